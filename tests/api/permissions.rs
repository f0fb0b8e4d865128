//! Who may call what (DESIGN §4), over every judging endpoint: one row per route, one column
//! per kind of caller, each cell the exact status. Someone else's object answers 404, a wrong
//! role 403, no session 401. Mutating rows send bodies that authorised callers get refused
//! for a domain reason (422/409), so the table can run top to bottom on one fixture.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{TestApp, User};

const WHO: [&str; 7] = [
    "anonymous",
    "applicant",
    "owner",
    "assigned",
    "unassigned",
    "conflicted",
    "admin",
];

#[actix_web::test]
async fn judging_permission_matrix() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN", "KR"], false).await;
    let (owner, target) = (&j.applications[0].0, j.applications[0].1);
    let (assigned, unassigned, conflicted) = (&j.judges[0], &j.judges[1], &j.judges[2]);
    let a = app.assign(&admin, j.round, assigned, target).await.body["id"]
        .as_i64()
        .unwrap();
    app.post(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .json(&json!({"judge_id": conflicted.id, "application_id": target}))
        .await;
    let conflict_id = app
        .get(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .await
        .body[0]["id"]
        .as_i64()
        .unwrap();
    let stranger = app.applicant().await;
    let users: [Option<&User>; 7] = [
        None,
        Some(&stranger),
        Some(owner),
        Some(assigned),
        Some(unassigned),
        Some(conflicted),
        Some(&admin),
    ];
    let (c, r) = (j.contest, j.round);
    let empty = json!({});
    let bad_round = json!({"reviews_per_application": 0});
    let bad_rubric = json!({"criteria": []});
    let bad_invite = json!({"judges": []});
    let bad_profile = json!({"region": "MARS"});
    let bad_conflict = json!({"judge_id": 0, "application_id": 0});
    let bad_assign = json!({"judge_id": owner.id, "application_id": target});
    let bad_review = json!({"scores": {"team": 99}});
    let to_published = json!({"to": "published"});
    let bad_accept = json!({"token": "nope", "password": "a long enough secret"});
    let bad_move = json!({"judge_id": conflicted.id});

    // method, path, body, [anonymous, applicant, owner, assigned, unassigned, conflicted, admin]
    let table: Vec<(Method, String, Option<&Value>, [u16; 7])> = vec![
        (
            Method::POST,
            format!("/api/v1/contests/{c}/rounds"),
            Some(&bad_round),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::GET,
            format!("/api/v1/contests/{c}/rounds"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/rounds/{r}"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::PATCH,
            format!("/api/v1/rounds/{r}"),
            Some(&bad_round),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::POST,
            format!("/api/v1/rounds/{r}/transition"),
            Some(&to_published),
            [401, 403, 403, 403, 403, 403, 409],
        ),
        (
            Method::GET,
            format!("/api/v1/rounds/{r}/rubric"),
            None,
            [401, 404, 404, 200, 404, 404, 200],
        ),
        (
            Method::PUT,
            format!("/api/v1/rounds/{r}/rubric"),
            Some(&bad_rubric),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::GET,
            format!("/api/v1/rounds/{r}/progress"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/contests/{c}/judges/invitations"),
            Some(&bad_invite),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::GET,
            format!("/api/v1/contests/{c}/judges"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/auth/invitations/accept".into(),
            Some(&bad_accept),
            [400, 400, 400, 400, 400, 400, 400],
        ),
        (
            Method::GET,
            "/api/v1/me/judge-profile".into(),
            None,
            [401, 403, 403, 200, 200, 200, 403],
        ),
        (
            Method::PATCH,
            "/api/v1/me/judge-profile".into(),
            Some(&bad_profile),
            [401, 403, 403, 422, 422, 422, 403],
        ),
        (
            Method::PATCH,
            format!("/api/v1/judges/{}", unassigned.id),
            Some(&bad_profile),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::POST,
            format!("/api/v1/judges/{}/reactivate", unassigned.id),
            Some(&empty),
            [401, 403, 403, 403, 403, 403, 204],
        ),
        (
            Method::POST,
            format!("/api/v1/applications/{}/conflict", j.applications[1].1),
            Some(&empty),
            [401, 403, 403, 404, 404, 404, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/contests/{c}/conflicts"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/contests/{c}/conflicts"),
            Some(&bad_conflict),
            [401, 403, 403, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/contests/{c}/conflicts/detect"),
            Some(&empty),
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/conflicts/{}", conflict_id + 1000),
            None,
            [401, 403, 403, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/rounds/{r}/assignments"),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/rounds/{r}/assignments"),
            Some(&bad_assign),
            [401, 403, 403, 403, 403, 403, 422],
        ),
        (
            Method::POST,
            format!("/api/v1/assignments/{a}/move"),
            Some(&bad_move),
            [401, 403, 403, 403, 403, 403, 409],
        ),
        (
            Method::GET,
            "/api/v1/me/assignments".into(),
            None,
            [401, 403, 403, 200, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/assignments/{a}"),
            None,
            [401, 403, 403, 200, 404, 404, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/assignments/{a}/review"),
            None,
            [401, 403, 403, 200, 404, 404, 403],
        ),
        (
            Method::PUT,
            format!("/api/v1/assignments/{a}/review"),
            Some(&bad_review),
            [401, 403, 403, 422, 404, 404, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/assignments/{a}/review/submit"),
            Some(&empty),
            [401, 403, 403, 422, 404, 404, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/applications/{target}"),
            None,
            [401, 404, 200, 404, 404, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/rounds/{r}/reminders"),
            Some(&empty),
            [401, 403, 403, 403, 403, 403, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &table {
        for (i, user) in users.iter().enumerate() {
            let mut req = app.req(method.clone(), path);
            if let Some(u) = user {
                req = req.by(u);
            }
            let res = match body {
                Some(b) => req.json(b).await,
                None => req.send().await,
            };
            if res.status.as_u16() != expected[i] {
                failures.push(format!(
                    "{method} {path} as {}: got {}, want {} ({})",
                    WHO[i],
                    res.status.as_u16(),
                    expected[i],
                    res.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Deactivation last: the judge's token dies at once.
    assert_eq!(
        app.post(&format!("/api/v1/judges/{}/deactivate", unassigned.id))
            .by(&admin)
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        app.get("/api/v1/me/assignments")
            .by(unassigned)
            .await
            .status,
        401
    );
}
