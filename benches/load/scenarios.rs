//! The named scenarios. Each is a request generator over the seeded data; connection `c`
//! plays one user throughout (judge `c`, applicant `c`), so writes never race each other.

use std::sync::Arc;

use crate::data::Data;
use crate::http::{Gen, Request};

pub struct Scenario {
    pub name: &'static str,
    pub what: &'static str,
    pub connections: usize,
    pub make: Gen,
    /// The same work asked of the bare server (`bare.rs`), for the ratio; None: not compared.
    pub bare: Option<Gen>,
}

/// Each judge's queue ETag as a browser holding the queue would send it (index: judge).
pub type Etags = Arc<std::sync::RwLock<Vec<Option<Arc<str>>>>>;

/// Reads every judge's queue once and keeps its ETag (none from a server that sends none).
pub async fn fill_etags(addr: &str, data: &Data, etags: &Etags) {
    let mut conn = crate::http::Conn::open(addr).await.expect("connect");
    let mut tags = Vec::with_capacity(data.judges.len());
    for j in &data.judges {
        let req = Request::get("/api/v1/me/assignments".into(), Some(j.token.clone()));
        let res = conn.send(&req, &[]).await.expect("queue");
        tags.push(res.header("etag").map(Arc::from));
    }
    *etags.write().expect("etags") = tags;
}

/// A complete score sheet for the demo rubric (team, market and global 1–5, product 1–10).
pub fn scores(seed: u64) -> String {
    format!(
        r#"{{"team":{},"market":{},"product":{},"global":{}}}"#,
        1 + seed % 5,
        1 + (seed / 5) % 5,
        1 + (seed / 25) % 10,
        1 + (seed / 250) % 5
    )
}

fn review_body(c: usize, n: u64) -> String {
    format!(
        r#"{{"scores":{},"comment_applicant":"Strong team; the market sizing needs work. (autosave {c}/{n})","comment_private":"check references"}}"#,
        scores(n * 7 + c as u64)
    )
}

fn judge(data: &Arc<Data>, c: usize) -> &crate::data::Judge {
    &data.judges[c % data.judges.len()]
}

pub fn all(data: &Arc<Data>, etags: &Etags) -> Vec<Scenario> {
    let (d, tags) = (data.clone(), etags.clone());
    // The queue as a browser that holds it asks again: If-None-Match with the ETag it has.
    let revalidate: Gen = Arc::new(move |c, n| {
        let i = (c + n as usize * 64) % d.judges.len();
        let mut req = Request::get(
            "/api/v1/me/assignments".into(),
            Some(d.judges[i].token.clone()),
        );
        req.if_none_match = tags.read().ok().and_then(|t| t.get(i).cloned().flatten());
        req.also = 304;
        req
    });
    let healthz: Gen = Arc::new(|_, _| Request::get("/healthz".into(), None));
    let d = data.clone();
    let queue: Gen = Arc::new(move |c, n| {
        // 64 connections rotate over every judge, so no single user's rows stay hot.
        let j = &d.judges[(c + n as usize * 64) % d.judges.len()];
        Request::get("/api/v1/me/assignments".into(), Some(j.token.clone()))
    });
    let d = data.clone();
    // The lightest signed-in request (token check, one user row, a small body): the floor
    // every other scenario stands on, so a miss can be told apart from the machine's limit.
    let floor: Gen = Arc::new(move |c, n| {
        let j = &d.judges[(c + n as usize * 64) % d.judges.len()];
        Request::get("/api/v1/me".into(), Some(j.token.clone()))
    });
    let d = data.clone();
    let save: Gen = Arc::new(move |c, n| {
        let j = judge(&d, c);
        let id = j.open[n as usize % j.open.len()];
        Request::json(
            "PUT",
            format!("/api/v1/assignments/{id}/review"),
            j.token.clone(),
            review_body(c, n),
        )
    });
    let d = data.clone();
    let submit: Gen = Arc::new(move |c, n| {
        let j = judge(&d, c);
        let id = j.open[n as usize % j.open.len()];
        Request::json(
            "POST",
            format!("/api/v1/assignments/{id}/review/submit"),
            j.token.clone(),
            review_body(c, n),
        )
    });
    let d = data.clone();
    let draft: Gen = Arc::new(move |c, n| {
        let (token, id) = &d.drafts[c % d.drafts.len()];
        Request::json(
            "PATCH",
            format!("/api/v1/applications/{id}"),
            token.clone(),
            format!(
                r#"{{"summary":"We turn factory sensor data into maintenance plans, draft {n}.","traction":"Pilots with three plants in Suwon and Hangzhou.","team_size":{}}}"#,
                3 + n % 20
            ),
        )
    });
    let d = data.clone();
    let list: Gen = Arc::new(move |_, n| {
        Request::get(
            format!(
                "/api/v1/contests/{}/applications?page={}",
                d.contest,
                1 + n % 20
            ),
            Some(d.admin.clone()),
        )
    });
    let d = data.clone();
    let results: Gen =
        Arc::new(move |_, _| Request::get(format!("/api/v1/contests/{}/results", d.contest), None));
    let d = data.clone();
    let (q, s, sub) = (queue.clone(), save.clone(), submit.clone());
    let mixed: Gen = Arc::new(move |c, n| {
        // Deterministic spread: 70 % reads (queue 50, one review 20), 25 % saves, 5 % submits.
        let roll = (n * 37 + c as u64 * 11) % 100;
        match roll {
            0..50 => q(c, n),
            50..70 => {
                let j = judge(&d, c);
                let id = j.open[n as usize % j.open.len()];
                Request::get(
                    format!("/api/v1/assignments/{id}/review"),
                    Some(j.token.clone()),
                )
            }
            70..95 => s(c, n),
            _ => sub(c, n),
        }
    });
    vec![
        Scenario {
            name: "floor",
            what: "signed-in floor (GET /me, for comparison)",
            connections: 64,
            make: floor.clone(),
            bare: Some(floor),
        },
        Scenario {
            name: "healthz",
            what: "liveness (GET /healthz) vs plain JSON",
            connections: 64,
            make: healthz.clone(),
            bare: Some(healthz),
        },
        Scenario {
            name: "queue",
            what: "judge queue read (GET /me/assignments)",
            connections: 64,
            make: queue.clone(),
            bare: Some(queue.clone()),
        },
        Scenario {
            name: "queue-304",
            what: "judge queue revalidated (If-None-Match) vs the bare query",
            connections: 64,
            make: revalidate,
            bare: Some(queue.clone()),
        },
        Scenario {
            name: "save",
            what: "review save (PUT …/review)",
            connections: 64,
            make: save.clone(),
            bare: Some(save.clone()),
        },
        Scenario {
            name: "submit",
            what: "review submit (POST …/review/submit)",
            connections: 64,
            make: submit,
            bare: None,
        },
        Scenario {
            name: "draft",
            what: "applicant draft save (PATCH /applications/{id})",
            connections: 64,
            make: draft,
            bare: None,
        },
        Scenario {
            name: "admin-list",
            what: "admin applications list (GET /contests/{id}/applications)",
            connections: 64,
            make: list,
            bare: None,
        },
        Scenario {
            name: "results",
            what: "public results (GET /contests/{id}/results, anonymous)",
            connections: 64,
            make: results,
            bare: None,
        },
        Scenario {
            name: "mixed",
            what: "deadline hour: 70 % reads, 25 % saves, 5 % submits",
            connections: 256,
            make: mixed,
            bare: None,
        },
    ]
}
