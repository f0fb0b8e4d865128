//! Mail at contest scale, against the real SMTP listener: two `jury serve` instances draining
//! one PostgreSQL outbox send 2,000 messages exactly once between them, and the configured
//! rate limit holds for a bulk send.

use std::collections::BTreeSet;
use std::time::Instant;

use jury::AppState;
use jury::config::Config;
use jury::mail::{self, Outgoing};

use crate::common::smtp::SmtpServer;
use crate::common::{PgDatabase, cheap_hasher, postgres_or_skip};

fn state(url: String, dir: &std::path::Path, smtp: &SmtpServer, rate: u32) -> AppState {
    let mut config = Config::for_data_dir(dir, url);
    config.db_pool_size = 4;
    config.mail_rate = rate;
    let transport = jury::mail::Mailer::smtp(&smtp.url()).expect("smtp url");
    AppState::build(config, transport, Some(cheap_hasher())).expect("state")
}

async fn enqueue(state: &AppState, n: usize) {
    let mailer = state.mailer.clone();
    jury::db::write(&state.db, move |c| {
        for i in 0..n {
            let to = format!("founder{i}@startup{i}.example");
            mail::enqueue(
                c,
                &mailer,
                Outgoing {
                    key: format!("bulk:{i}"),
                    user_id: None,
                    to: &to,
                    to_name: "Founder",
                    locale: ["en", "ko", "zh"][i % 3],
                    template: "result_not_advanced",
                    vars: vec![
                        ("name", "Founder".into()),
                        ("company", format!("Startup {i}")),
                        ("round", "Screening".into()),
                        ("feedback", "-".into()),
                        ("link", "http://jury.test/".into()),
                    ],
                },
            )?;
        }
        Ok(())
    })
    .await
    .expect("enqueue");
}

fn message_ids(smtp: &SmtpServer) -> Vec<String> {
    smtp.received()
        .iter()
        .map(|r| {
            r.data
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[actix_web::test]
async fn two_instances_on_one_postgres_send_every_message_once() {
    let Some(admin_url) = postgres_or_skip("two_instances_on_one_postgres_send_every_message_once")
    else {
        return;
    };
    let db = PgDatabase::create(&admin_url);
    let smtp = SmtpServer::start().await;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = state(db.url.clone(), d1.path(), &smtp, 0);
    let b = state(db.url.clone(), d2.path(), &smtp, 0);
    enqueue(&a, 2000).await;
    let started = Instant::now();
    let (sent_a, sent_b) = futures_util::future::join(
        jury::mail::dispatcher::drain(&a.db, &a.mailer),
        jury::mail::dispatcher::drain(&b.db, &b.mailer),
    )
    .await;
    let (sent_a, sent_b) = (sent_a.expect("drain a"), sent_b.expect("drain b"));
    let elapsed = started.elapsed();
    let ids = message_ids(&smtp);
    let unique: BTreeSet<&String> = ids.iter().collect();
    eprintln!(
        "two instances: {sent_a} + {sent_b} rows, {} messages received in {:.2} s ({:.0}/s)",
        ids.len(),
        elapsed.as_secs_f64(),
        ids.len() as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(
        sent_a + sent_b,
        2000,
        "every row claimed by exactly one instance"
    );
    assert_eq!(ids.len(), 2000, "every message received once");
    assert_eq!(unique.len(), 2000, "no Message-ID twice");
    assert!(
        sent_a > 0 && sent_b > 0,
        "both instances took part: {sent_a} / {sent_b}"
    );
}

#[actix_web::test]
async fn a_bulk_send_keeps_to_the_rate_limit() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start().await;
    let url = format!("sqlite://{}", dir.path().join("jury.db").display());
    let s = state(url, dir.path(), &smtp, 50);
    enqueue(&s, 60).await;
    let started = Instant::now();
    let sent = jury::mail::dispatcher::drain(&s.db, &s.mailer)
        .await
        .expect("drain");
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(sent, 60);
    assert_eq!(smtp.received().len(), 60);
    // 60 messages at 50/s take at least 1.2 s (the last slot ends at 60/50).
    assert!(elapsed >= 1.15, "60 at 50/s took only {elapsed:.2} s");
    assert!(elapsed < 10.0, "{elapsed:.2} s");
}

/// Waits (letting the SMTP listener run) until `done` holds. Panics with the server's log if
/// the server exits first or `secs` pass.
async fn wait_until(
    what: &str,
    secs: u64,
    server: &mut std::process::Child,
    log: &std::path::Path,
    mut done: impl FnMut() -> bool,
) -> std::time::Duration {
    let started = Instant::now();
    let until = started + std::time::Duration::from_secs(secs);
    while !done() {
        let exited = server.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() >= until {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(40)..];
            panic!(
                "{what}: {} after {:.1} s; the server's log ends:\n{}",
                exited.map_or("timed out".to_string(), |s| format!(
                    "the server exited ({s})"
                )),
                started.elapsed().as_secs_f64(),
                tail.join("\n")
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    started.elapsed()
}

#[actix_web::test]
async fn killed_mid_bulk_send_every_message_arrives_after_restart() {
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let url = format!("sqlite://{}", data.join("jury.db").display());
    let smtp = SmtpServer::start().await;
    // A slow relay: each message waits 15 ms for its 250, so some are always in flight.
    smtp.set_delay(std::time::Duration::from_millis(15));
    {
        let s = state(url.clone(), &data, &smtp, 0);
        enqueue(&s, N).await;
    }
    // The servers' warnings and errors (a failed send, a busy database) go to a file, shown if
    // a wait fails (it timed out once in a full CI run, with nothing to say why).
    let log = dir.path().join("serve.log");
    let serve = || {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        std::process::Command::new(env!("CARGO_BIN_EXE_jury"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("JURY_DATA_DIR", &data)
            .env("JURY_DATABASE_URL", &url)
            .env("JURY_SMTP_URL", smtp.url())
            .env("JURY_BIND", "127.0.0.1:0")
            .env("JURY_MAIL_LEASE_SECS", "2")
            .env("JURY_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(out)
            .spawn()
            .expect("start jury serve")
    };
    let mut first = serve();
    // Alone or in the full suite a third takes about 1.6 s. The limits are long because a send
    // that fails for a moment waits 30-90 s for its retry (by design); the log says if so.
    let third = wait_until("a third of the mail", 150, &mut first, &log, || {
        smtp.received().len() >= N / 3
    })
    .await;
    first.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
    first.wait().expect("reap");
    let at_kill = smtp.received().len();

    let mut second = serve();
    let rest = wait_until("every message", 180, &mut second, &log, || {
        message_ids(&smtp).iter().collect::<BTreeSet<_>>().len() >= N
    })
    .await;
    // Let anything still in flight land before counting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    second.kill().expect("stop");
    second.wait().expect("reap");

    let ids = message_ids(&smtp);
    let unique = ids.iter().collect::<BTreeSet<_>>().len();
    let duplicates = ids.len() - unique;
    eprintln!(
        "SIGKILL after {at_kill} of {N} messages ({:.1} s): all {unique} delivered after restart \
         ({:.1} s), {duplicates} sent twice",
        third.as_secs_f64(),
        rest.as_secs_f64()
    );
    assert_eq!(unique, N, "every message delivered");
    // Only messages in flight at the kill (one claimed batch at most) can go out twice.
    assert!(duplicates <= 20, "{duplicates} duplicates");
    let mut c = <diesel::SqliteConnection as diesel::Connection>::establish(
        data.join("jury.db").to_str().unwrap(),
    )
    .unwrap();
    use diesel::prelude::*;
    use jury::db::schema::outbox;
    let not_sent: i64 = outbox::table
        .filter(outbox::status.ne("sent"))
        .count()
        .get_result(&mut c)
        .unwrap();
    assert_eq!(not_sent, 0, "every row ends as sent");
}
