//! Soak: 200 judges each working through their open reviews for a long time — four autosaves,
//! then a submit, per assignment, round and round — with a short pause between requests.
//! Afterwards every acknowledged write is checked against the database (zero lost writes) and
//! the server's memory is reported at start, peak and end (sampled every few seconds).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use jury::db::schema::reviews;

use crate::data::Data;
use crate::http::{self, Gen, OnOk, Outcome, Request};
use crate::scenarios::scores;
use crate::server::Server;

pub const JUDGES: usize = 200;

pub struct Soak {
    pub outcome: Outcome,
    pub acknowledged: usize,
    pub checked: usize,
    pub lost: usize,
    pub rss_start_mb: f64,
    pub rss_peak_mb: f64,
    pub rss_end_mb: f64,
    pub rss_series: Vec<f64>,
    pub think_ms: u64,
}

/// The last acknowledged content of one assignment's review.
#[derive(Clone)]
struct Written {
    comment: String,
    scores: String,
}

pub async fn run(server: &Server, data: &Arc<Data>, duration: Duration, think_ms: u64) -> Soak {
    let judges = JUDGES.min(data.judges.len());
    let d = data.clone();
    let make: Gen = Arc::new(move |c, n| {
        let j = &d.judges[c];
        let step = n as usize;
        let id = j.open[(step / 5) % j.open.len()];
        let sheet = scores(n * 13 + c as u64);
        let body = format!(
            r#"{{"scores":{sheet},"comment_applicant":"soak judge {c} write {n}","comment_private":"private {c}/{n}"}}"#
        );
        if step % 5 == 4 {
            Request::json(
                "POST",
                format!("/api/v1/assignments/{id}/review/submit"),
                j.token.clone(),
                body,
            )
        } else {
            Request::json(
                "PUT",
                format!("/api/v1/assignments/{id}/review"),
                j.token.clone(),
                body,
            )
        }
    });
    let written: Arc<Mutex<HashMap<i64, Written>>> = Arc::default();
    let acknowledged = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (w, a) = (written.clone(), acknowledged.clone());
    let on_ok: OnOk = Arc::new(move |c, n, req, _| {
        let id: i64 = req
            .path
            .trim_start_matches("/api/v1/assignments/")
            .split('/')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("assignment id");
        a.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let entry = Written {
            comment: format!("soak judge {c} write {n}"),
            scores: scores(n * 13 + c as u64),
        };
        w.lock().expect("written").insert(id, entry);
    });

    // Memory, every 5 s, from a thread of its own.
    let pid = server.pid();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let series = Arc::new(Mutex::new(Vec::new()));
    let (s, st) = (series.clone(), stop.clone());
    let sampler = std::thread::spawn(move || {
        let mut next = Instant::now();
        while !st.load(std::sync::atomic::Ordering::Relaxed) {
            if Instant::now() >= next {
                let mb = crate::server::rss_kb(pid).unwrap_or(0) as f64 / 1024.0;
                s.lock().expect("series").push(mb);
                next += Duration::from_secs(5);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let think = (think_ms > 0).then(|| Duration::from_millis(think_ms));
    let outcome = http::drive(&server.addr, judges, duration, think, make, Some(on_ok)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    sampler.join().expect("sampler");
    let rss_end_mb = server.rss_mb();
    let mut rss_series = series.lock().expect("series").clone();
    rss_series.push(rss_end_mb);

    // Every acknowledged write must be what the database holds now.
    let expected = written.lock().expect("written").clone();
    let ids: Vec<i64> = expected.keys().copied().collect();
    let pool = data.pool.clone();
    let rows: Vec<(i64, String, String)> = {
        let c = &mut **jury::db::checkout(&pool).expect("database");
        let mut rows = Vec::new();
        for chunk in ids.chunks(500) {
            rows.extend(
                reviews::table
                    .filter(reviews::assignment_id.eq_any(chunk))
                    .select((
                        reviews::assignment_id,
                        reviews::comment_applicant,
                        reviews::scores,
                    ))
                    .load::<(i64, String, String)>(c)
                    .expect("reviews"),
            );
        }
        rows
    };
    let stored: HashMap<i64, (String, serde_json::Value)> = rows
        .into_iter()
        .map(|(id, comment, s)| (id, (comment, serde_json::from_str(&s).unwrap_or_default())))
        .collect();
    let lost = expected
        .iter()
        .filter(|(id, w)| {
            let want: serde_json::Value = serde_json::from_str(&w.scores).expect("scores");
            stored
                .get(*id)
                .is_none_or(|(comment, scores)| *comment != w.comment || *scores != want)
        })
        .count();
    Soak {
        acknowledged: acknowledged.load(std::sync::atomic::Ordering::Relaxed),
        checked: expected.len(),
        lost,
        rss_start_mb: rss_series.first().copied().unwrap_or(0.0),
        rss_peak_mb: rss_series.iter().copied().fold(0.0, f64::max),
        rss_end_mb,
        rss_series,
        outcome,
        think_ms,
    }
}
