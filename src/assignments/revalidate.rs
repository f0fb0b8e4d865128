//! The judge queue's version stamp: an unchanged queue answers 304 Not Modified without
//! running the join that builds it (issue 20). One aggregate query over the judge's
//! assignments, their applications, rounds and reviews reads what can change what the queue
//! shows, and the ETag is a digest of it with the judge and the filters:
//!
//! - an assignment added or removed (a move, a conflict, the solver): the count and the newest
//!   `created_at` and id (a removal lowers the count; an addition is the newest row);
//! - a review saved, submitted or edited: the count, the sum of `version` (every save adds one)
//!   and the newest `updated_at`;
//! - an application edited or erased: the sum of `version` and the newest `updated_at`;
//! - a round opened, closed, renamed or made blind: the newest `updated_at` of its rounds
//!   (every round change stamps it).
//!
//! Read before the queue, so a write between the two can only make the tag older than the
//! body, which costs one more full answer, never a stale one.

use chrono::NaiveDateTime;
use diesel::dsl::{count, max, sum};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::api::QueueQuery;
use crate::db::DbConn;
use crate::error::AppError;

/// Bumped when the queue's shape changes, so a copy from an older version is not revalidated.
const FORMAT: &str = "queue-v1";

type Stamp = (
    i64,
    Option<NaiveDateTime>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<NaiveDateTime>,
    Option<i64>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn stamp(c: &mut DbConn, judge: i64) -> Result<Stamp, AppError> {
    use crate::db::schema::{applications as ap, assignments as a, reviews as rv, rounds as r};
    Ok(a::table
        .inner_join(ap::table)
        .inner_join(r::table)
        .left_join(rv::table)
        .filter(a::judge_id.eq(judge))
        .select((
            count(a::id),
            max(a::created_at),
            max(a::id),
            count(rv::id.nullable()),
            sum(rv::version.nullable()),
            max(rv::updated_at.nullable()),
            sum(ap::version),
            max(ap::updated_at),
            max(r::updated_at),
        ))
        .first(c)?)
}

/// The queue's ETag for this judge and these filters, as of now (weak: the body may go out
/// compressed or not).
pub fn etag(c: &mut DbConn, judge: i64, q: &QueueQuery) -> Result<String, AppError> {
    let s = stamp(c, judge)?;
    let text = format!(
        "{FORMAT}|{judge}|{:?}|{:?}|{:?}|{s:?}",
        q.status, q.round, q.track
    );
    let digest = Sha256::digest(text.as_bytes());
    Ok(format!("W/\"{}\"", hex::encode(&digest[..16])))
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
