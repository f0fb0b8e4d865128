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
use crate::db::DbConn;
use crate::error::AppError;

/// Bumped when the queue's shape changes, so a copy from an older version is not revalidated.
const FORMAT: &str = "queue-v2";

/// The judge's stamp; none until the first change to anything their queue shows.
fn stamp(c: &mut DbConn, judge: i64) -> Result<Option<i64>, AppError> {
    use crate::db::schema::queue_stamps as q;
    Ok(q::table.find(judge).select(q::stamp).first(c).optional()?)
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
