//! Sends pending outbox rows. Rows are claimed with a lease (status `sending`, `locked_until`)
//! before sending, so several instances on one PostgreSQL never take the same row
//! (`FOR UPDATE SKIP LOCKED`), and a row whose sender died is picked up again when its lease
//! runs out: a crash between send and commit re-sends at most the rows in flight.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use rand::Rng;

use super::{Mailer, OutboxRow, SendError};
use crate::db::schema::outbox;
use crate::db::{self, DbConn, DbPool, now};
use crate::error::AppError;

const BATCH: i64 = 20;
pub const MAX_ATTEMPTS: i32 = 8;
const POLL: Duration = Duration::from_secs(5);

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn claim(conn: &mut DbConn, lease_secs: i64) -> Result<Vec<OutboxRow>, AppError> {
    db::write_tx(conn, |conn| {
        let t = now();
        let ids: Vec<i64> = match conn {
            DbConn::Pg(pg) => diesel::sql_query(
                "SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= $1) \
                 OR (status = 'sending' AND locked_until < $1) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
            )
            .bind::<diesel::sql_types::Timestamp, _>(t)
            .bind::<BigInt, _>(BATCH)
            .load::<IdRow>(pg)?
            .into_iter()
            .map(|r| r.id)
            .collect(),
            DbConn::Sqlite(_) => outbox::table
                .filter(
                    (outbox::status.eq("pending").and(outbox::next_attempt_at.le(t)))
                        .or(outbox::status.eq("sending").and(outbox::locked_until.lt(t))),
                )
                .order(outbox::id.asc())
                .limit(BATCH)
                .select(outbox::id)
                .load(conn)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::status.eq("sending"),
                outbox::locked_until.eq(t + chrono::Duration::seconds(lease_secs)),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(conn)?;
        Ok(outbox::table
            .filter(outbox::id.eq_any(&ids))
            .order(outbox::id.asc())
            .select(OutboxRow::as_select())
            .load(conn)?)
    })
}

/// Exponential back-off (30 s, 1 min, 2 min, … capped at 6 h) with ±50 % jitter so a recovering
/// SMTP server is not hit by every row at the same instant.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let base = 30i64
        .saturating_mul(1i64 << attempts.clamp(0, 20))
        .min(6 * 3600);
    let jitter = rand::rng().random_range(0.5..1.5);
    chrono::Duration::milliseconds((base as f64 * 1000.0 * jitter) as i64)
}

fn finish(
    conn: &mut DbConn,
    row: &OutboxRow,
    result: &Result<(), SendError>,
) -> Result<(), AppError> {
    let t = now();
    let target = outbox::table.find(row.id);
    match result {
        Ok(()) => diesel::update(target)
            .set((
                outbox::status.eq("sent"),
                outbox::sent_at.eq(t),
                outbox::locked_until.eq(None::<chrono::NaiveDateTime>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?,
        Err(SendError::Transient(e)) if row.attempts < MAX_ATTEMPTS => diesel::update(target)
            .set((
                outbox::status.eq("pending"),
                outbox::next_attempt_at.eq(t + backoff(row.attempts)),
                outbox::locked_until.eq(None::<chrono::NaiveDateTime>),
                outbox::last_error.eq(e),
            ))
            .execute(conn)?,
        Err(SendError::Transient(e) | SendError::Permanent(e)) => diesel::update(target)
            .set((
                outbox::status.eq("failed"),
                outbox::locked_until.eq(None::<chrono::NaiveDateTime>),
                outbox::last_error.eq(e),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Messages of a batch in flight at once: one per pooled SMTP connection (see `Mailer::smtp`).
pub const SEND_CONCURRENCY: usize = 4;

/// Claims and sends one batch; returns how many rows were processed. Sends overlap up to
/// `SEND_CONCURRENCY`; with a rate limit, the i-th send of the batch starts no earlier than
/// i / rate after the first, and the batch's last slot ends before the next batch starts.
pub async fn drain_once(pool: &DbPool, mailer: &Mailer) -> Result<usize, AppError> {
    use futures_util::StreamExt;
    let lease = mailer.lease_secs;
    let rows = db::run(pool, move |c| claim(c, lease)).await?;
    let n = rows.len();
    let started = tokio::time::Instant::now();
    let rate = mailer.max_per_second;
    let slot = |i: usize| started + Duration::from_secs_f64(i as f64 / f64::from(rate.max(1)));
    let outcomes: Vec<Result<(), AppError>> = futures_util::stream::iter(
        rows.into_iter().enumerate(),
    )
    .map(|(i, row)| async move {
        if rate > 0 {
            tokio::time::sleep_until(slot(i)).await;
        }
        let result = mailer.send(&row).await;
        if let Err(e) = &result {
            tracing::warn!(outbox_id = row.id, attempt = row.attempts, error = ?e, "mail not sent");
        }
        db::run(pool, move |conn| finish(conn, &row, &result)).await
    })
    .buffer_unordered(SEND_CONCURRENCY)
    .collect()
    .await;
    if rate > 0 && n > 0 {
        tokio::time::sleep_until(slot(n)).await;
    }
    outcomes
        .into_iter()
        .collect::<Result<Vec<()>, AppError>>()?;
    Ok(n)
}

/// Drains until nothing is due (tests and `jury` tools use this).
pub async fn drain(pool: &DbPool, mailer: &Mailer) -> Result<usize, AppError> {
    let mut total = 0;
    loop {
        let n = drain_once(pool, mailer).await?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// The background loop of `jury serve`: drains, then sleeps until woken or the poll interval.
pub async fn run(pool: DbPool, mailer: Mailer) {
    loop {
        match drain(&pool, &mailer).await {
            Ok(_) => {}
            // The pool reports an outage once; the loop simply retries.
            Err(AppError::Unavailable(_)) => {}
            Err(e) => tracing::warn!(error = %e, "outbox drain failed; retrying"),
        }
        let _ = tokio::time::timeout(POLL, mailer.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        for _ in 0..50 {
            let first = backoff(1).num_milliseconds();
            assert!((30_000..=90_000).contains(&first), "{first}");
            let late = backoff(30).num_milliseconds();
            assert!(late <= 6 * 3600 * 1500, "{late}");
            assert!(late >= 6 * 3600 * 500, "{late}");
        }
    }
}
