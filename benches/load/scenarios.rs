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

pub fn all(data: &Arc<Data>) -> Vec<Scenario> {
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
            make: floor,
        },
        Scenario {
            name: "queue",
            what: "judge queue read (GET /me/assignments)",
            connections: 64,
            make: queue,
        },
        Scenario {
            name: "save",
            what: "review save (PUT …/review)",
            connections: 64,
            make: save,
        },
        Scenario {
            name: "submit",
            what: "review submit (POST …/review/submit)",
            connections: 64,
            make: submit,
        },
        Scenario {
            name: "draft",
            what: "applicant draft save (PATCH /applications/{id})",
            connections: 64,
            make: draft,
        },
        Scenario {
            name: "admin-list",
            what: "admin applications list (GET /contests/{id}/applications)",
            connections: 64,
            make: list,
        },
        Scenario {
            name: "results",
            what: "public results (GET /contests/{id}/results, anonymous)",
            connections: 64,
            make: results,
        },
        Scenario {
            name: "mixed",
            what: "deadline hour: 70 % reads, 25 % saves, 5 % submits",
            connections: 256,
            make: mixed,
        },
    ]
}
