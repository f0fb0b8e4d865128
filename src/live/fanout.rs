//! Fan-out of live changes: every write pulses this instance's hub after it commits; on
//! PostgreSQL the write also sends `NOTIFY jury_live '<instance>:<round>'` in its transaction
//! (delivered only if it commits), and each instance with live streams keeps one dedicated
//! connection that `LISTEN`s, on its own thread, reconnecting, and pulses its own hub for
//! the other instances' writes. A pulse carries the public snapshot rendered once.

use std::sync::{Arc, Weak};
use std::time::Duration;

use diesel::prelude::*;

use super::listen::Listener;
use super::views;
use crate::db::{self, DbConn, DbPool, Target};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::push::{Hub, Pulse};

pub const CHANNEL: &str = "jury_live";
/// The longest the listening thread sleeps on its socket before it looks whether the hub is
/// still there.
const WAIT: Duration = Duration::from_secs(1);
/// A connection quiet for this long is asked for a round trip.
const PING_AFTER: Duration = Duration::from_secs(15);

/// Inside a write transaction: tells the other instances (PostgreSQL only; delivered on commit).
pub fn notify_in(c: &mut DbConn, instance: &str, round_id: i64) -> Result<(), AppError> {
    if let DbConn::Pg(pg) = c {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(CHANNEL)
            .bind::<diesel::sql_types::Text, _>(format!("{instance}:{round_id}"))
            .execute(pg)?;
    }
    Ok(())
}

fn render(c: &mut DbConn, round_id: i64) -> Option<Arc<str>> {
    let show = views::show(c, round_id).ok()?;
    serde_json::to_string(&show).ok().map(Arc::from)
}

/// After a write committed: renders the show once and pulses this instance's streams.
pub async fn changed(state: &AppState, round_id: i64) {
    let show = db::run(&state.db, move |c| Ok(render(c, round_id)))
        .await
        .ok()
        .flatten();
    state.push.send(Pulse { round_id, show });
}

/// Starts the cross-instance listener the first time a stream opens on PostgreSQL.
pub fn ensure_listener(state: &AppState) {
    let Ok(Target::Postgres(url)) = Target::parse(&state.config.database_url) else {
        return;
    };
    // The pool's network timeouts, so a partition ends the wait instead of hanging it.
    let url =
        crate::db::with_network_timeouts(&url, Duration::from_millis(state.config.db_timeout_ms));
    if !state.push.claim_listener() {
        return;
    }
    let hub = Arc::downgrade(&state.push);
    let pool = state.db.clone();
    let spawned = std::thread::Builder::new()
        .name("jury-live-listen".into())
        .spawn(move || listen(hub, url, pool));
    if spawned.is_err() {
        state.push.release_listener();
    }
}

/// Listens until the hub is gone; reconnects with a growing pause, and after a reconnect
/// asks every stream to look again (notifications sent while down are lost).
fn listen(hub: Weak<Hub>, url: String, pool: DbPool) {
    let mut pause = Duration::from_millis(200);
    let mut first = true;
    loop {
        let Some(h) = hub.upgrade() else { return };
        let instance = h.instance.clone();
        drop(h);
        match Listener::connect(&url, CHANNEL) {
            Ok(mut conn) => {
                pause = Duration::from_millis(200);
                if !first && let Some(h) = hub.upgrade() {
                    h.send(Pulse {
                        round_id: 0,
                        show: None,
                    });
                }
                first = false;
                if let Err(e) = drain(&hub, &mut conn, &instance, &pool) {
                    tracing::warn!(error = %e, "live listener lost its connection");
                }
            }
            Err(e) => tracing::warn!(error = %e, "live listener cannot connect"),
        }
        if hub.upgrade().is_none() {
            return;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// Waits on the connection for notifications until it fails or the hub is gone.
fn drain(
    hub: &Weak<Hub>,
    conn: &mut Listener,
    instance: &str,
    pool: &DbPool,
) -> Result<(), String> {
    let mut idle = Duration::ZERO;
    loop {
        let payloads = conn.wait(WAIT)?;
        let Some(h) = hub.upgrade() else {
            return Ok(());
        };
        if payloads.is_empty() {
            idle += WAIT;
            // A quiet socket may be dead without saying so; a round trip finds out.
            if idle >= PING_AFTER {
                idle = Duration::ZERO;
                conn.ping()?;
            }
            continue;
        }
        idle = Duration::ZERO;
        let mut rounds = Vec::new();
        for payload in payloads {
            let Some((from, round)) = payload.split_once(':') else {
                continue;
            };
            if from != instance
                && let Ok(r) = round.parse::<i64>()
                && !rounds.contains(&r)
            {
                rounds.push(r);
            }
        }
        for round_id in rounds {
            let show = db::checkout(pool)
                .ok()
                .and_then(|mut c| render(&mut c, round_id));
            h.send(Pulse { round_id, show });
        }
    }
}
