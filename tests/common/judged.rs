//! A round judged to a known order: every review submitted, the application at index `i`
//! scored `i` points above the first (so the last ranks first), then closed.

use serde_json::json;

use super::{Judging, TestApp, User};

impl TestApp {
    pub async fn scored_and_closed(&self, admin: &User, j: &Judging) {
        let res = self
            .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
            .by(admin)
            .json(&json!({}))
            .await;
        assert_eq!(res.status, 200, "auto-assign: {}", res.text);
        for judge in &j.judges {
            let queue = self.get("/api/v1/me/assignments").by(judge).await;
            for item in queue.body["items"].as_array().expect("queue") {
                let at = j
                    .applications
                    .iter()
                    .position(|(_, id)| Some(*id) == item["application_id"].as_i64())
                    .expect("an application of the round") as i64;
                let res = self
                    .post(&format!(
                        "/api/v1/assignments/{}/review/submit",
                        item["assignment_id"]
                    ))
                    .by(judge)
                    .json(&json!({"scores": {"team": 1 + at, "market": 2 + at}}))
                    .await;
                assert_eq!(res.status, 200, "review: {}", res.text);
            }
        }
        let res = self
            .post(&format!("/api/v1/rounds/{}/transition", j.round))
            .by(admin)
            .json(&json!({"to": "closed", "confirm": true}))
            .await;
        assert_eq!(res.status, 200, "close: {}", res.text);
    }
}
