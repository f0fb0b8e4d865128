//! The judge queue's version stamp: an unchanged queue answers 304 Not Modified without
//! running the join that builds it (issue 20). Triggers (migration 18) give each judge a random
//! stamp in `queue_stamps` that changes whenever anything the queue shows changes: an
//! assignment added, moved or removed, a review's status, an application's name, track, country
//! or summary, a round's name, state, blindness, closing time or position. The ETag is a digest
//! of that stamp with the judge and the filters, so revalidating is one primary-key read.
//!
//! Read before the queue, so a write between the two can only make the tag older than the
//! body, which costs one more full answer, never a stale one.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::api::QueueQuery;
use crate::auth::JudgeToken;
use crate::auth::model::{UserRow, session_open};
use crate::db::DbConn;
use crate::db::schema::{queue_stamps, users};
use crate::error::AppError;

// The sign-in check reads the judge's stamp as a subquery.
diesel::allow_tables_to_appear_in_same_query!(queue_stamps, users);

/// Bumped when the queue's shape changes, so a copy from an older version is not revalidated.
const FORMAT: &str = "queue-v2";

/// The judge's stamp; none until the first change to anything their queue shows.
fn stamp(c: &mut DbConn, judge: i64) -> Result<Option<i64>, AppError> {
    use crate::db::schema::queue_stamps as q;
    Ok(q::table.find(judge).select(q::stamp).first(c).optional()?)
}

/// The judge's sign-in check (`JudgeToken::confirm`) and their stamp, in one statement: a
/// revalidation, or an answer from a kept copy, is one round trip to the database.
pub fn confirm(c: &mut DbConn, judge: JudgeToken) -> Result<(i64, Option<i64>), AppError> {
    use crate::db::schema::queue_stamps as q;
    let (id, session) = judge.names()?;
    let stamp = q::table
        .filter(q::judge_id.eq(users::id))
        .select(q::stamp)
        .single_value();
    let found: Option<(UserRow, bool, Option<i64>)> = users::table
        .find(id)
        .select((UserRow::as_select(), session_open!(id, session), stamp))
        .first(c)
        .optional()?;
    let (found, stamp) = match found {
        Some((row, open, stamp)) => (Some((row, open)), stamp),
        None => (None, None),
    };
    Ok((judge.confirm_row(found)?.id, stamp))
}

/// The queue's ETag for this judge and these filters, as of now (weak: the body may go out
/// compressed or not).
pub fn etag(c: &mut DbConn, judge: i64, q: &QueueQuery) -> Result<String, AppError> {
    Ok(tag(judge, q, stamp(c, judge)?))
}

/// The ETag for a stamp read by the caller (the queue reads it with its rounds).
pub fn tag(judge: i64, q: &QueueQuery, stamp: Option<i64>) -> String {
    let text = format!(
        "{FORMAT}|{judge}|{:?}|{:?}|{:?}|{stamp:?}",
        q.status, q.round, q.track
    );
    let digest = Sha256::digest(text.as_bytes());
    format!("W/\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` header names `tag` (weak comparison, lists and `*` allowed).
pub fn matches(header: &str, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(tag);
    header
        .split(',')
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let tag = "W/\"abc\"";
        assert!(matches("W/\"abc\"", tag));
        assert!(matches("\"abc\"", tag));
        assert!(matches("\"x\", W/\"abc\"", tag));
        assert!(matches("*", tag));
        assert!(!matches("W/\"abd\"", tag));
        assert!(!matches("", tag));
    }
}
