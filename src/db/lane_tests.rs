//! The group commit on a real SQLite file: units queued together share one commit and are
//! answered only after it, yet each succeeds or fails alone; a lost transaction takes back
//! every unit it held and says so; a caller that gave up has its unit skipped.

use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::*;
use crate::db::{self, DbManager, Target};
use crate::error::ErrorCode;

struct Db {
    _dir: tempfile::TempDir,
    target: Target,
    lane: Lane,
}

fn db() -> Db {
    let dir = tempfile::tempdir().expect("a temp dir");
    let target = Target::Sqlite(dir.path().join("lane.db"));
    let pool = db::pool(&target, 4, Duration::from_secs(2));
    let mut c = db::checkout(&pool).expect("a connection");
    c.batch_execute(
        "CREATE TABLE t (k TEXT PRIMARY KEY);
         CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);",
    )
    .expect("the test tables");
    drop(c);
    let lane = Lane::start(pool).expect("the writer starts");
    Db {
        _dir: dir,
        target,
        lane,
    }
}

/// What another connection sees: only what has committed.
fn committed(target: &Target) -> Vec<String> {
    #[derive(QueryableByName)]
    struct K {
        #[diesel(sql_type = Text)]
        k: String,
    }
    let mut c = DbManager::new(target.clone(), Duration::from_secs(2))
        .establish()
        .expect("a reader");
    let rows: Vec<K> = diesel::sql_query("SELECT k FROM t ORDER BY k")
        .load(&mut c)
        .expect("read t");
    rows.into_iter().map(|r| r.k).collect()
}

fn insert(c: &mut DbConn, k: &str) -> Result<(), AppError> {
    diesel::sql_query("INSERT INTO t (k) VALUES (?)")
        .bind::<Text, _>(k)
        .execute(c)?;
    Ok(())
}

fn refused() -> AppError {
    AppError::conflict(ErrorCode::EditConflict, "refused after writing")
}

/// A unit that holds the writer until the test lets it go, so what is sent meanwhile queues
/// up and forms the next batch.
fn gate(
    lane: &Lane,
    k: &'static str,
) -> (
    std_mpsc::Sender<()>,
    tokio::task::JoinHandle<Result<(), AppError>>,
) {
    let (open, wait) = std_mpsc::channel::<()>();
    let held = spawn(lane, move |c| {
        insert(c, k)?;
        let _ = wait.recv_timeout(Duration::from_secs(10));
        Ok(())
    });
    (open, held)
}

/// Sends `f` to the writer from a task of its own, as a request would.
fn spawn<T, F>(lane: &Lane, f: F) -> tokio::task::JoinHandle<Result<T, AppError>>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    let lane = lane.clone();
    tokio::spawn(async move { lane.write(f).await })
}

async fn queued() {
    // The units sent before this are in the channel; give the runtime a moment regardless.
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[actix_web::test]
async fn units_queued_together_share_one_commit_and_are_answered_after_it() {
    let db = db();
    let (open_g, g) = gate(&db.lane, "g");
    queued().await;
    let a = spawn(&db.lane, |c| insert(c, "a"));
    let (open_b, b) = gate(&db.lane, "b");
    queued().await;
    open_g.send(()).expect("g waits");
    g.await.expect("g joins").expect("g commits");
    // a ran in the batch that b still holds open: not answered, not visible.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !a.is_finished(),
        "a was answered before its batch committed"
    );
    assert_eq!(committed(&db.target), ["g"]);
    open_b.send(()).expect("b waits");
    a.await.expect("a joins").expect("a commits");
    b.await.expect("b joins").expect("b commits");
    assert_eq!(committed(&db.target), ["a", "b", "g"]);
}

#[actix_web::test]
async fn a_failing_unit_takes_back_only_its_own_writes() {
    let db = db();
    let (open, g) = gate(&db.lane, "g");
    queued().await;
    let send = |k: &'static str, fail: bool| {
        spawn(&db.lane, move |c| {
            insert(c, k)?;
            if fail { Err(refused()) } else { Ok(k) }
        })
    };
    let (a, bad, c) = (send("a", false), send("bad", true), send("c", false));
    // A duplicate key fails inside SQLite itself; its statement is undone, the batch goes on.
    let dup = send("a", false);
    queued().await;
    open.send(()).expect("g waits");
    g.await.expect("joins").expect("g commits");
    assert_eq!(a.await.expect("joins").expect("a commits"), "a");
    assert_eq!(c.await.expect("joins").expect("c commits"), "c");
    let err = bad.await.expect("joins").expect_err("bad is refused");
    assert!(
        matches!(
            err,
            AppError::Conflict {
                code: ErrorCode::EditConflict,
                ..
            }
        ),
        "{err:?}"
    );
    let err = dup
        .await
        .expect("joins")
        .expect_err("a second a is refused");
    assert!(!matches!(err, AppError::Unavailable(_)), "{err:?}");
    assert_eq!(committed(&db.target), ["a", "c", "g"]);
}

#[actix_web::test]
async fn a_failed_commit_answers_every_unit_of_the_batch_and_keeps_none() {
    let db = db();
    let (open, g) = gate(&db.lane, "g");
    queued().await;
    let a = spawn(&db.lane, |c| insert(c, "a"));
    // Passes its savepoint; the deferred foreign key fails the shared COMMIT.
    let orphan = spawn(&db.lane, |c| {
        c.batch_execute("INSERT INTO child (pid) VALUES (42)")?;
        Ok(())
    });
    queued().await;
    open.send(()).expect("g waits");
    g.await.expect("joins").expect("g commits");
    for unit in [a, orphan] {
        let err = unit
            .await
            .expect("joins")
            .expect_err("the batch did not commit");
        assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
    }
    assert_eq!(committed(&db.target), ["g"]);
    // The writer goes on.
    db.lane
        .write(|c| insert(c, "later"))
        .await
        .expect("a later unit commits");
    assert_eq!(committed(&db.target), ["g", "later"]);
}

#[actix_web::test]
async fn a_panicking_unit_loses_its_batch_which_says_so_and_the_rest_runs_next() {
    let db = db();
    let (open, g) = gate(&db.lane, "g");
    queued().await;
    let send = |k: &'static str, panics: bool| {
        spawn(&db.lane, move |c| {
            insert(c, k)?;
            assert!(!panics, "a bug in a unit of work");
            Ok(())
        })
    };
    let (before, boom, after) = (
        send("before", false),
        send("boom", true),
        send("after", false),
    );
    queued().await;
    open.send(()).expect("g waits");
    g.await.expect("joins").expect("g commits");
    let err = before
        .await
        .expect("joins")
        .expect_err("its transaction was lost");
    assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
    let err = boom.await.expect("joins").expect_err("it panicked");
    assert!(matches!(err, AppError::Internal(_)), "{err:?}");
    after
        .await
        .expect("joins")
        .expect("a unit not yet started runs in the next batch");
    assert_eq!(committed(&db.target), ["after", "g"]);
}

#[actix_web::test]
async fn a_caller_that_gave_up_has_its_unit_skipped() {
    let db = db();
    let (open, g) = gate(&db.lane, "g");
    queued().await;
    let gave_up = tokio::time::timeout(
        Duration::from_millis(20),
        db.lane.write(|c| insert(c, "late")),
    )
    .await;
    assert!(gave_up.is_err(), "the writer was held");
    open.send(()).expect("g waits");
    g.await.expect("joins").expect("g commits");
    db.lane
        .write(|c| insert(c, "next"))
        .await
        .expect("next commits");
    assert_eq!(committed(&db.target), ["g", "next"]);
}

#[actix_web::test]
async fn many_concurrent_units_all_commit() {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let db = db();
    let units: Vec<_> = (0..500)
        .map(|i| spawn(&db.lane, move |c| insert(c, &format!("k{i:03}"))))
        .collect();
    for unit in units {
        unit.await.expect("joins").expect("commits");
    }
    let mut c = DbManager::new(db.target.clone(), Duration::from_secs(2))
        .establish()
        .expect("a reader");
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM t")
        .load(&mut c)
        .expect("count");
    assert_eq!(n.first().map(|r| r.n), Some(500));
}
