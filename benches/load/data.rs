//! The dataset: `jury seed-demo` at 10,000 applications and 300 judges (round 1: 30,000
//! assignments, judged and published; round 2, the final: 12,500 assignments, open and half
//! scored), then what the scenarios need, read straight from the database. Access tokens are
//! minted with the server's secret, exactly as `/auth/login` would issue them, so argon2 and
//! the sign-in rate limits stay out of the figures.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use jury::db::schema::{applications, assignments, contests, outbox, rounds, users};

use crate::server::JWT_SECRET;

pub struct Judge {
    pub token: Arc<str>,
    /// Assignment ids in the open round (the final).
    pub open: Vec<i64>,
}

pub struct Data {
    pub contest: i64,
    pub admin: Arc<str>,
    pub judges: Vec<Judge>,
    /// (token, application id) of applicants with a draft.
    pub drafts: Vec<(Arc<str>, i64)>,
    pub assignments: usize,
    pub pool: jury::db::DbPool,
}

pub fn pool(url: &str) -> jury::db::DbPool {
    let target = jury::db::Target::parse(url).expect("database url");
    jury::db::pool(&target, 2, Duration::from_secs(10))
}

fn conn(pool: &jury::db::DbPool) -> r2d2::PooledConnection<jury::db::DbManager> {
    jury::db::checkout(pool).expect("database")
}

use diesel::r2d2;

/// Waits until the server has sent the mail the seed queued (about 10,000 messages at full
/// size: confirmations to applicants, assignments to judges) and returns how many it found
/// waiting and how long they took. Until then the dispatcher writes a file and a row per
/// message beside whatever is measured, which the bare server never does: the first
/// scenarios of every run paid for it.
pub fn wait_for_outbox(pool: &jury::db::DbPool, limit: Duration) -> (i64, Duration) {
    let started = std::time::Instant::now();
    let waiting = |c: &mut jury::db::DbConn| -> i64 {
        outbox::table
            .filter(outbox::status.eq_any(["pending", "sending"]))
            .count()
            .get_result(c)
            .expect("count the outbox")
    };
    let queued = waiting(&mut conn(pool));
    let mut left = queued;
    while left > 0 && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(200));
        left = waiting(&mut conn(pool));
    }
    (queued, started.elapsed())
}

pub fn load(url: &str) -> Data {
    let pool = pool(url);
    let c = &mut **conn(&pool);
    let keys = jury::auth::jwt::Keys::new(JWT_SECRET.as_bytes(), 24 * 3600);
    // Access tokens name an open session, as a real sign-in's do.
    let token = |c: &mut jury::db::DbConn, id: i64, role: &str, ver: i32| -> Arc<str> {
        let session = jury::auth::tokens::start_session(c, id, 24 * 3600).expect("session");
        keys.issue(id, role, ver, &session.family)
            .expect("token")
            .into()
    };
    let contest: i64 = contests::table
        .filter(contests::slug.eq(jury::demo::SLUG))
        .select(contests::id)
        .first(c)
        .expect("demo contest");
    // Applicant drafts are only editable while the contest takes applications: reopen it.
    diesel::update(contests::table.find(contest))
        .set(contests::closes_at.eq(jury::db::now() + chrono::Duration::days(30)))
        .execute(c)
        .expect("reopen contest");
    let (admin_id, admin_ver): (i64, i32) = users::table
        .filter(users::role.eq("admin"))
        .select((users::id, users::token_version))
        .order(users::id)
        .first(c)
        .expect("admin");
    let open_round: i64 = rounds::table
        .filter(rounds::contest_id.eq(contest))
        .filter(rounds::state.eq("judging"))
        .select(rounds::id)
        .first(c)
        .expect("open round");
    let rows: Vec<(i64, i64, i32)> = assignments::table
        .inner_join(users::table.on(users::id.eq(assignments::judge_id)))
        .filter(assignments::round_id.eq(open_round))
        .filter(users::disabled_at.is_null())
        .select((assignments::id, users::id, users::token_version))
        .order(assignments::id)
        .load(c)
        .expect("assignments");
    let mut by_judge: HashMap<i64, (i32, Vec<i64>)> = HashMap::new();
    for (a, j, v) in rows {
        by_judge.entry(j).or_insert((v, Vec::new())).1.push(a);
    }
    let mut ids: Vec<i64> = by_judge.keys().copied().collect();
    ids.sort_unstable();
    let judges = ids
        .into_iter()
        .map(|j| {
            let (ver, open) = by_judge.remove(&j).expect("judge");
            Judge {
                token: token(c, j, "judge", ver),
                open,
            }
        })
        .collect();
    let drafts = applications::table
        .inner_join(users::table.on(users::id.eq(applications::applicant_id)))
        .filter(applications::contest_id.eq(contest))
        .filter(applications::status.eq("draft"))
        .select((applications::id, users::id, users::token_version))
        .order(applications::id)
        .load::<(i64, i64, i32)>(c)
        .expect("drafts")
        .into_iter()
        .map(|(a, u, v)| (token(c, u, "applicant", v), a))
        .collect();
    let assignments: i64 = assignments::table.count().get_result(c).expect("count");
    Data {
        contest,
        admin: token(c, admin_id, "admin", admin_ver),
        judges,
        drafts,
        assignments: assignments as usize,
        pool: pool.clone(),
    }
}

/// A fresh PostgreSQL database `jury_load` (dropped again by `Drop`).
pub struct Postgres {
    pub url: String,
    admin: String,
}

pub const PG_DB: &str = "jury_load";

impl Postgres {
    pub fn create() -> Option<Postgres> {
        use diesel::connection::SimpleConnection;
        let admin = std::env::var("JURY_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let mut c = jury::db::connect_pg(&admin).ok()?;
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
            .ok()?;
        c.batch_execute(&format!("CREATE DATABASE {PG_DB}")).ok()?;
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string())?;
        Some(Postgres {
            url: format!("{base}/{PG_DB}"),
            admin,
        })
    }
}

impl Postgres {
    /// `VACUUM ANALYZE` on the seeded database.
    pub fn analyze(&self) {
        use diesel::connection::SimpleConnection;
        let mut c = jury::db::connect_pg(&self.url).expect("connect to jury_load");
        c.batch_execute("VACUUM ANALYZE").expect("VACUUM ANALYZE");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        use diesel::connection::SimpleConnection;
        if let Ok(mut c) = jury::db::connect_pg(&self.admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"));
        }
    }
}
