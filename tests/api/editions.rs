//! A whole edition (issue 15): copying an edition, extending the deadline, archiving.
//! Awards are in `awards.rs`.

use serde_json::{Value, json};

use crate::common::{TestApp, User};

pub fn tiers() -> Value {
    json!([
        {"key": "grand", "name": {"en": "Grand Prize", "ko": "대상", "zh": "特等奖"}, "places": 1,
         "prize": {"en": "KRW 30,000,000", "ko": "상금 3,000만 원", "zh": "奖金 3000 万韩元"}},
        {"key": "merit", "name": {"en": "Merit Award", "ko": "우수상", "zh": "鼓励奖"}, "places": 2}
    ])
}

pub async fn audit_actions(app: &TestApp, admin: &User, action: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/admin/audit?action={action}"))
        .by(admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The entry's details are stored as JSON text; read them as JSON.
    let mut entries = res.body.as_array().cloned().unwrap_or_default();
    for e in &mut entries {
        if let Some(text) = e["details"].as_str() {
            e["details"] = serde_json::from_str(text).expect("details JSON");
        }
    }
    entries
}

#[actix_web::test]
async fn copying_an_edition_takes_its_setup_and_judges_not_its_entries() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.published(&admin, 2).await;
    let old = format!("/api/v1/contests/{}", j.contest);
    app.patch(&old)
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    let source = app.get(&old).by(&admin).await.body;
    let body = json!({
        "slug": "gsc-2027",
        "name": {"en": "Global Start-up Contest 2027", "ko": "글로벌 스타트업 콘테스트 2027", "zh": "2027 全球创业大赛"},
        "opens_at": "2027-03-01T00:00:00Z",
        "closes_at": "2027-04-30T09:00:00Z",
        "invite_judges": true
    });
    let before = app.deliver_mail().await.len();
    let res = app
        .post(&format!("{old}/copy"))
        .by(&admin)
        .json(&body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let new = &res.body["contest"];
    let new_id = new["id"].as_i64().unwrap();
    assert_eq!(new["tracks"], source["tracks"]);
    assert_eq!(new["eligibility"], source["eligibility"]);
    assert_eq!(new["awards"], tiers());
    assert_eq!(new["published"], false, "a copy starts unpublished");
    assert_eq!(new["previous_id"], j.contest);
    assert_eq!(new["name"]["zh"], "2027 全球创业大赛");
    assert_eq!(
        (&res.body["rounds"], &res.body["judges_invited"]),
        (&json!(1), &json!(2))
    );

    let rounds = app
        .get(&format!("/api/v1/contests/{new_id}/rounds"))
        .by(&admin)
        .await;
    assert_eq!(rounds.body.as_array().map(Vec::len), Some(1));
    assert_eq!(rounds.body[0]["state"], "setup");
    let copied = rounds.body[0]["id"].as_i64().unwrap();
    let old_rubric = app
        .get(&format!("/api/v1/rounds/{}/rubric", j.round))
        .by(&admin)
        .await;
    let new_rubric = app
        .get(&format!("/api/v1/rounds/{copied}/rubric"))
        .by(&admin)
        .await;
    assert_eq!(new_rubric.body["criteria"], old_rubric.body["criteria"]);
    let apps = app
        .get(&format!("/api/v1/contests/{new_id}/applications"))
        .by(&admin)
        .await;
    assert_eq!(apps.body["total"], 0, "{}", apps.text);
    assert_eq!(
        app.get(&format!("/api/v1/contests/{new_id}/results"))
            .await
            .status,
        404,
        "an unpublished copy has no public page"
    );
    let judges = app
        .get(&format!("/api/v1/contests/{new_id}/judges"))
        .by(&admin)
        .await;
    let mut emails: Vec<_> = judges
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["email"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<_> = j.judges.iter().map(|u| u.email.clone()).collect();
    emails.sort();
    want.sort();
    assert_eq!(emails, want);
    let mails = app.deliver_mail().await;
    assert!(mails[before..].iter().all(|m| !m.subject.is_empty()));

    let again = app
        .post(&format!("{old}/copy"))
        .by(&admin)
        .json(&body)
        .await;
    assert_eq!(again.body["fields"]["slug"], "taken", "{}", again.text);
    let copies = audit_actions(&app, &admin, "contest.copied").await;
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0]["details"]["from"], j.contest);
}

#[actix_web::test]
async fn extending_the_deadline_emails_each_draft_holder_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, contest, _) = app.submitted_application(&admin).await;
    let drafter = app.applicant().await;
    app.draft_application(&drafter, contest).await;
    let path = format!("/api/v1/contests/{contest}");
    let current = app.get(&path).by(&admin).await.body;
    assert_eq!(current["drafts"], 1);
    let closes: chrono::DateTime<chrono::Utc> =
        current["closes_at"].as_str().unwrap().parse().unwrap();
    let before = app.deliver_mail().await.len();

    let later = (closes + chrono::Duration::days(7)).to_rfc3339();
    let res = app
        .patch(&path)
        .by(&admin)
        .json(&json!({"closes_at": later}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // Saving again, renaming, or moving the deadline earlier tells nobody anything new.
    app.patch(&path)
        .by(&admin)
        .json(&json!({"closes_at": later, "name": {"en": "GSC 2026", "ko": "GSC 2026"}}))
        .await;
    app.patch(&path)
        .by(&admin)
        .json(&json!({"closes_at": (closes + chrono::Duration::days(3)).to_rfc3339()}))
        .await;
    let mails = app.deliver_mail().await;
    let sent: Vec<_> = mails[before..].iter().collect();
    assert_eq!(
        sent.len(),
        1,
        "{:?}",
        sent.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    assert_eq!(sent[0].to, drafter.email);
    assert!(sent[0].subject.contains("More time"), "{}", sent[0].subject);
    assert!(
        sent[0].text.contains("(Asia/Seoul)") && sent[0].text.contains("(Asia/Shanghai)"),
        "the new deadline in both regions' clocks: {}",
        sent[0].text
    );
    let audit = audit_actions(&app, &admin, "contest.updated").await;
    assert!(
        audit.iter().any(|e| e["details"]["drafts_notified"] == 1),
        "{audit:?}"
    );
}

#[actix_web::test]
async fn an_archived_edition_is_read_only_until_restored() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let path = format!("/api/v1/contests/{}", j.contest);
    let res = app.post(&format!("{path}/archive")).by(&admin).send().await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "contest_active"));
    app.close_window(&admin, j.contest).await;
    let res = app.post(&format!("{path}/archive")).by(&admin).send().await;
    assert_eq!(res.code(), "contest_active", "the round is still judging");
    app.post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    let res = app.post(&format!("{path}/archive")).by(&admin).send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.body["archived_at"].is_string());
    let res = app
        .patch(&path)
        .by(&admin)
        .json(&json!({"description": {"en": "changed"}}))
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "contest_archived"));
    let judge = &j.judges[0];
    assert_eq!(
        app.post(&format!("{path}/archive"))
            .by(judge)
            .send()
            .await
            .status,
        403
    );
    let res = app.post(&format!("{path}/restore")).by(&admin).send().await;
    assert_eq!(res.body["archived_at"], Value::Null, "{}", res.text);
    let res = app
        .patch(&path)
        .by(&admin)
        .json(&json!({"description": {"en": "changed"}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        audit_actions(&app, &admin, "contest.archived").await.len(),
        1
    );
    assert_eq!(
        audit_actions(&app, &admin, "contest.restored").await.len(),
        1
    );
}
