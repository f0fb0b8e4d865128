//! Mail throughput and cost, against the test suite's real SMTP listener on 127.0.0.1:
//! messages per second for a bulk send (results to 2,000 applicants) through pooled SMTP
//! connections, and what queueing one email adds to a request's write transaction.
//!
//!     cargo bench --bench mail

use std::time::Instant;

use jury::AppState;
use jury::config::Config;
use jury::mail::{self, Outgoing};

#[allow(dead_code)]
#[path = "../tests/common/smtp.rs"]
mod smtp;
mod support;

fn outgoing(i: usize, to: &str) -> Outgoing<'_> {
    Outgoing {
        key: format!("bench:{i}"),
        user_id: None,
        to,
        to_name: "Founder",
        locale: ["en", "ko", "zh"][i % 3],
        template: "result_not_advanced",
        vars: vec![
            ("name", "Founder".into()),
            ("company", format!("Startup {i}")),
            ("round", "Screening".into()),
            (
                "feedback",
                "Strong team; show more evidence of demand.".into(),
            ),
            ("link", "http://jury.test/".into()),
        ],
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[(v.len() * 99 / 100).min(v.len() - 1)])
}

fn main() {
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    actix_web::rt::System::new().block_on(async {
        let smtp = smtp::SmtpServer::start().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let mut config = Config::for_data_dir(dir.path(), url);
        config.db_pool_size = 8;
        let transport = mail::Mailer::smtp(&smtp.url()).expect("smtp");
        let state = AppState::build(config, transport, Some(support::cheap_hasher())).expect("state");

        // Cost added to a write transaction by queueing one email (render + insert).
        let mut with = Vec::new();
        let mut without = Vec::new();
        for i in 0..2000 {
            let mailer = state.mailer.clone();
            let t = Instant::now();
            jury::db::write(&state.db, move |c| {
                let to = format!("founder{i}@startup{i}.example");
                mail::enqueue(c, &mailer, outgoing(i, &to))?;
                Ok(())
            })
            .await
            .expect("enqueue");
            with.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            jury::db::write(&state.db, |_| Ok(())).await.expect("empty tx");
            without.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let ((w50, w99), (o50, o99)) = (median(with), median(without));
        println!(
            "enqueue in a write transaction: p50 {w50:.3} ms (p99 {w99:.3}); empty transaction p50 {o50:.3} ms (p99 {o99:.3}); added ≈ {:.3} ms",
            w50 - o50
        );

        // Bulk send of those 2,000 messages.
        let t = Instant::now();
        let sent = jury::mail::dispatcher::drain(&state.db, &state.mailer)
            .await
            .expect("drain");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "bulk send: {sent} messages in {secs:.2} s = {:.0} messages/s ({} pooled connections), {} received",
            sent as f64 / secs,
            jury::mail::dispatcher::SEND_CONCURRENCY,
            smtp.received().len()
        );
    });
}
