//! Steps the live-final tests share: mark a round live, open a display link.

use actix_web::http::Method;
use serde_json::json;

use crate::common::{Judging, Resp, TestApp, User};

/// Marks the round live: the run sheet in `order`, every judge of the round on the panel,
/// the hall in Korean and Chinese.
pub(crate) async fn make_live(
    app: &TestApp,
    admin: &User,
    j: &Judging,
    order: &[i64],
    grace: i32,
) -> Resp {
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{}/live", j.round))
        .by(admin)
        .json(
            &json!({"pitch_secs": 300, "qa_secs": 120, "grace_secs": grace,
            "languages": ["ko", "zh"], "order": order,
            "judge_ids": j.judges.iter().map(|u| u.id).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(res.status, 200, "configure: {}", res.text);
    res
}

/// A new display link for the round: the display's API path.
pub(crate) async fn display_path(app: &TestApp, admin: &User, round: i64) -> String {
    let link = app
        .post(&format!("/api/v1/rounds/{round}/live/display-link"))
        .by(admin)
        .send()
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    format!(
        "/api/v1/live/display/{}",
        link.body["token"].as_str().unwrap()
    )
}
