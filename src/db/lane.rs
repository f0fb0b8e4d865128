//! SQLite's group commit. SQLite lets one transaction write at a time, so the units of work of
//! this process go through one thread that owns the writing: it takes every unit queued while
//! the previous batch ran and runs them back to back in one transaction, each inside its own
//! savepoint, and commits once.
//!
//! Why (issue 20): taking turns per request (a lock, a blocking-pool hop, BEGIN IMMEDIATE, the
//! work, COMMIT, the next waiter woken) kept two thread hand-offs and a commit on the critical
//! path of every save, so saves ran one by one at the speed of the hand-offs. Here the writer
//! goes from one unit to the next without waiting, and a burst of saves shares one commit.
//!
//! What a caller sees is unchanged: its unit succeeds or fails alone (a failing unit rolls back
//! to its savepoint and the others keep their work), and it is answered only after the shared
//! COMMIT, so a save is never reported that a failed commit lost. When the transaction itself
//! is lost (the commit fails, a unit panics, SQLite rolls everything back on a full disk), every
//! unit that ran in it is answered with 503 and the connection is discarded; units not yet
//! started wait for the next batch. A caller that stopped waiting (its deadline passed) has its
//! unit skipped, not run behind its back.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use diesel::connection::{Connection, TransactionManager};
use tokio::sync::{mpsc, oneshot};

use super::{DbConn, DbPool, answer_deadline, begin_write, checkout};
use crate::error::AppError;

type Tm = <DbConn as Connection>::TransactionManager;

/// A burst larger than this is split over several commits, so the first unit of a long queue
/// is not held back by the last.
const MAX_BATCH: usize = 128;

/// The queue to the writer thread. Cloned into every worker; the thread ends when the last
/// clone is dropped.
#[derive(Clone)]
pub struct Lane {
    units: mpsc::UnboundedSender<Box<dyn Unit>>,
    deadline: Duration,
}

impl Lane {
    pub fn start(pool: DbPool) -> std::io::Result<Lane> {
        let (units, queue) = mpsc::unbounded_channel();
        let deadline = answer_deadline(pool.connection_timeout());
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer(&pool, queue))?;
        Ok(Lane { units, deadline })
    }

    /// Runs `f` in the writer's transaction and answers once that has committed. Waiting for
    /// the queue counts against the same deadline as the work (`db::answer_deadline`).
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let unit = Pending {
            work: Some(f),
            result: None,
            answer,
        };
        self.units
            .send(Box::new(unit))
            .map_err(|_| AppError::Unavailable("the database's writer has stopped".into()))?;
        match tokio::time::timeout(self.deadline, answered).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(AppError::Internal(
                "the writer dropped a unit unanswered".into(),
            )),
            Err(_) => Err(AppError::Unavailable(format!(
                "the database's writer did not answer within {} ms",
                self.deadline.as_millis()
            ))),
        }
    }
}

/// A queued unit of work, type-erased so units returning different values share the queue.
trait Unit: Send {
    /// Its caller stopped waiting.
    fn abandoned(&self) -> bool;
    /// Runs the work; true when it succeeded and its savepoint is to be kept.
    fn run(&mut self, conn: &mut DbConn) -> bool;
    /// Answers the caller with the work's result, or with `lost` when the transaction that
    /// held its writes did not commit.
    fn answer(self: Box<Self>, lost: Option<&str>);
}

struct Pending<T, F> {
    /// Taken when the unit starts.
    work: Option<F>,
    result: Option<Result<T, AppError>>,
    answer: oneshot::Sender<Result<T, AppError>>,
}

impl<T, F> Unit for Pending<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    fn abandoned(&self) -> bool {
        self.answer.is_closed()
    }

    fn run(&mut self, conn: &mut DbConn) -> bool {
        let result = match self.work.take() {
            Some(f) => f(conn),
            None => Err(AppError::Internal("a unit of work ran twice".into())),
        };
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn answer(self: Box<Self>, lost: Option<&str>) {
        let result = match (self.result, lost) {
            // The unit's own refusal stands whatever became of the others.
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(v)), None) => Ok(v),
            // Started and no result: it panicked (the writer logged it).
            (None, _) if self.work.is_none() => {
                Err(AppError::Internal("a unit of work panicked".into()))
            }
            (_, Some(why)) => Err(AppError::Unavailable(why.into())),
            (None, None) => Err(AppError::Internal("a unit of work was not run".into())),
        };
        // The caller may have stopped waiting meanwhile; then nobody is left to tell.
        let _ = self.answer.send(result);
    }
}

fn writer(pool: &DbPool, mut queue: mpsc::UnboundedReceiver<Box<dyn Unit>>) {
    let mut waiting: VecDeque<Box<dyn Unit>> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match queue.blocking_recv() {
                Some(unit) => waiting.push_back(unit),
                None => return,
            }
        }
        while waiting.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(unit) => waiting.push_back(unit),
                Err(_) => break,
            }
        }
        let take = waiting.len().min(MAX_BATCH);
        let batch: Vec<_> = waiting.drain(..take).collect();
        // Units the lost transaction never reached go first in the next one.
        for unit in batch_commit(pool, batch).into_iter().rev() {
            waiting.push_front(unit);
        }
    }
}

/// Runs one batch in one transaction; returns the units it did not start because the
/// transaction was lost.
fn batch_commit(pool: &DbPool, batch: Vec<Box<dyn Unit>>) -> Vec<Box<dyn Unit>> {
    let fail_all = |batch: Vec<Box<dyn Unit>>, why: &str| {
        for unit in batch {
            unit.answer(Some(why));
        }
    };
    let mut conn = match checkout(pool) {
        Ok(conn) => conn,
        Err(e) => {
            fail_all(
                batch,
                &format!("no database connection for the writer: {e}"),
            );
            return Vec::new();
        }
    };
    let conn: &mut DbConn = &mut conn;
    if let Err(e) = begin_write(conn) {
        fail_all(batch, &format!("the writer could not begin: {e}"));
        return Vec::new();
    }
    let mut ran: Vec<Box<dyn Unit>> = Vec::with_capacity(batch.len());
    let mut units = batch.into_iter();
    while let Some(mut unit) = units.next() {
        if unit.abandoned() {
            continue;
        }
        match in_savepoint(conn, unit.as_mut()) {
            Ok(()) => ran.push(unit),
            Err(Lost::Before(why)) => {
                // Not started: it goes on with the rest.
                tracing::error!(%why, "the writer's transaction was lost");
                fail_all(ran, "the database lost this write; please try again");
                return std::iter::once(unit).chain(units).collect();
            }
            Err(Lost::After(why)) => {
                tracing::error!(%why, "the writer's transaction was lost");
                ran.push(unit);
                fail_all(ran, "the database lost this write; please try again");
                return units.collect();
            }
        }
    }
    match Tm::commit_transaction(conn) {
        Ok(()) => {
            for unit in ran {
                unit.answer(None);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, units = ran.len(), "the writer's commit failed");
            fail_all(
                ran,
                "the database could not commit this write; please try again",
            );
        }
    }
    Vec::new()
}

enum Lost {
    /// The transaction was lost before the unit ran.
    Before(String),
    /// The transaction was lost by or after the unit (it panicked, left a transaction of its
    /// own open, or SQLite rolled everything back under it).
    After(String),
}

/// Runs one unit in a savepoint of the open transaction: kept if it succeeded, rolled back if
/// not. On `Err` the transaction is no longer usable and is left open, so the pool discards
/// the connection (`DbManager::has_broken`) and closing it rolls everything back.
fn in_savepoint(conn: &mut DbConn, unit: &mut dyn Unit) -> Result<(), Lost> {
    let depth = |conn: &mut DbConn| {
        Tm::transaction_manager_status_mut(conn)
            .transaction_depth()
            .ok()
            .flatten()
    };
    Tm::begin_transaction(conn).map_err(|e| Lost::Before(e.to_string()))?;
    let inside = depth(conn);
    let ok = catch_unwind(AssertUnwindSafe(|| unit.run(conn)))
        .map_err(|_| Lost::After("a unit of work panicked".into()))?;
    if depth(conn) != inside {
        return Err(Lost::After(
            "a unit of work left a nested transaction open".into(),
        ));
    }
    let end = if ok {
        Tm::commit_transaction(conn)
    } else {
        Tm::rollback_transaction(conn)
    };
    end.map_err(|e| Lost::After(e.to_string()))
}

#[cfg(test)]
#[path = "lane_tests.rs"]
mod tests;
