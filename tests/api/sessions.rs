//! Session hygiene: an administrator ends every session of a user; a password change ends the
//! other devices' sessions only when asked, and this device carries on either way.

use serde_json::json;

use crate::common::{PASSWORD, TestApp};

async fn refresh_status(app: &TestApp, cookie: &str) -> u16 {
    app.post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(cookie)
        .send()
        .await
        .status
        .as_u16()
}

#[actix_web::test]
async fn an_admin_ends_every_session_of_a_judge() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let judge = app.judge().await;
    let tablet = app.login(&judge.email, PASSWORD).await;
    let bystander = app.judge().await;

    let res = app
        .post(&format!("/api/v1/admin/users/{}/sessions/end", judge.id))
        .by(&bystander)
        .send()
        .await;
    assert_eq!(res.status, 403, "only administrators");
    assert_eq!(app.get("/api/v1/me").by(&judge).await.status, 200);

    let res = app
        .post(&format!("/api/v1/admin/users/{}/sessions/end", judge.id))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 204, "{}", res.text);

    for device in [&judge, &tablet] {
        assert_eq!(app.get("/api/v1/me").by(device).await.status, 401);
        assert_eq!(
            refresh_status(&app, device.refresh.as_deref().unwrap()).await,
            401
        );
    }
    assert_eq!(app.get("/api/v1/me").by(&bystander).await.status, 200);
    assert_eq!(app.get("/api/v1/me").by(&admin).await.status, 200);
    // The judge can sign in again with the password.
    app.login(&judge.email, PASSWORD).await;

    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    let entry = audit
        .iter()
        .find(|e| e.action == "session.ended_by_admin")
        .expect("audited");
    assert_eq!(
        entry.entity_id.as_deref(),
        Some(judge.id.to_string().as_str())
    );
    assert_eq!(entry.actor_id, Some(admin.id));

    let res = app
        .post("/api/v1/admin/users/999999/sessions/end")
        .by(&admin)
        .send()
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (404, "not_found"));
}

#[actix_web::test]
async fn a_password_change_can_keep_or_end_the_other_devices() {
    let app = TestApp::new().await;
    let laptop = app.applicant().await;
    let phone = app.login(&laptop.email, PASSWORD).await;

    // Keep the phone signed in: the answer is the profile, this token stays valid.
    let res = app
        .patch("/api/v1/me")
        .by(&laptop)
        .json(&json!({"current_password": PASSWORD, "new_password": "second secret phrase", "end_other_sessions": false}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["email"], laptop.email);
    assert!(res.body["access_token"].is_null());
    assert_eq!(app.get("/api/v1/me").by(&laptop).await.status, 200);
    assert_eq!(app.get("/api/v1/me").by(&phone).await.status, 200);
    assert_eq!(
        refresh_status(&app, phone.refresh.as_deref().unwrap()).await,
        200
    );

    // End the others: the phone is out, the laptop continues with a fresh session.
    let phone = app.login(&laptop.email, "second secret phrase").await;
    let res = app
        .patch("/api/v1/me")
        .by(&laptop)
        .json(&json!({"current_password": "second secret phrase", "new_password": "third secret phrase", "end_other_sessions": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let fresh = res.body["access_token"].as_str().unwrap().to_string();
    let cookie = res.refresh_cookie().unwrap();
    assert_eq!(app.get("/api/v1/me").bearer(&fresh).await.status, 200);
    assert_eq!(refresh_status(&app, &cookie).await, 200);
    assert_eq!(app.get("/api/v1/me").by(&phone).await.status, 401);
    assert_eq!(
        refresh_status(&app, phone.refresh.as_deref().unwrap()).await,
        401
    );

    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    let changes: Vec<bool> = audit
        .iter()
        .filter(|e| e.action == "user.password_changed")
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.details).unwrap();
            d["other_sessions_ended"].as_bool().unwrap()
        })
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(changes.contains(&true) && changes.contains(&false));
    let mails = app.deliver_mail().await;
    assert_eq!(
        mails.iter().filter(|m| m.to == laptop.email).count(),
        2,
        "each change is mailed"
    );
}
