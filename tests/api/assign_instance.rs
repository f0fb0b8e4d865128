//! Reproducible assignment: the instance an assignment run solves can be read back by an
//! administrator and re-run offline with `jury assign --instance` to the same objective.

use serde_json::{Value, json};

use crate::common::TestApp;

const BIN: &str = env!("CARGO_BIN_EXE_jury");

/// Runs `jury assign --instance` on the instance text and returns its answer.
fn solve_offline(instance: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("instance.json");
    std::fs::write(&file, instance).expect("write instance");
    let out = std::process::Command::new(BIN)
        .args(["assign", "--instance"])
        .arg(&file)
        .env("JURY_LOG", "warn")
        .output()
        .expect("run jury assign");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("solution JSON")
}

#[actix_web::test]
async fn the_instance_of_a_round_reruns_offline_to_the_objective_of_the_run() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 5, &["KR", "CN", "KR", "CN"], false)
        .await;
    // A tie only detection knows of yet: the instance already leaves the pair out, as the run
    // will once it has detected it, and reading the instance records nothing.
    let res = app
        .patch("/api/v1/me/judge-profile")
        .by(&j.judges[0])
        .json(&json!({"affiliations": [{"name": "제니스 2 주식회사", "kind": "investment"}]}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let url = format!("/api/v1/rounds/{}/assignments/instance", j.round);
    let res = app.get(&url).by(&admin).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let pair = json!([j.judges[0].id.to_string(), j.applications[2].1.to_string()]);
    assert_eq!(res.body["conflicts"], json!([pair]), "{}", res.text);
    assert_eq!(res.body["applications"].as_array().unwrap().len(), 5);
    assert_eq!(res.body["judges"].as_array().unwrap().len(), 4);
    let listed = app
        .get(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .await;
    assert_eq!(listed.body, json!([]), "a read writes nothing");

    let offline = solve_offline(&res.text);
    let run = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(run.status, 200, "{}", run.text);
    assert_eq!(run.body["objective"], offline["objective"], "{}", run.text);
    assert_eq!(run.body["objective"]["reviews"], 10);
    // One id shape throughout the answer: numbers in named fields.
    for pair in run.body["added"].as_array().unwrap() {
        assert!(
            pair["judge_id"].is_i64() && pair["application_id"].is_i64(),
            "{pair}"
        );
    }
    assert!(
        !run.body["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["judge_id"] == j.judges[0].id && p["application_id"] == j.applications[2].1),
        "the tied pair stays out"
    );
    // After the run the instance is the same one: nothing the run did changes what it solves.
    let again = app.get(&url).by(&admin).await;
    assert_eq!(again.body, res.body);
    assert_eq!(
        solve_offline(&again.text)["objective"],
        run.body["objective"]
    );
}

#[actix_web::test]
async fn only_administrators_read_an_instance() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let url = format!("/api/v1/rounds/{}/assignments/instance", j.round);
    assert_eq!(app.get(&url).by(&j.judges[0]).await.status, 403);
    assert_eq!(app.get(&url).await.status, 401);
    let res = app
        .get("/api/v1/rounds/999999/assignments/instance")
        .by(&admin)
        .await;
    assert_eq!(res.status, 404);
}
