//! A whole edition (issue 15): award tiers filled by the final's ranks and overridden with a
//! reason, the publish dialog's counts, a final that names nobody, copying an edition,
//! extending the deadline, archiving.

use serde_json::{Value, json};

use crate::common::{TestApp, User};

fn tiers() -> Value {
    json!([
        {"key": "grand", "name": {"en": "Grand Prize", "ko": "대상", "zh": "特等奖"}, "places": 1,
         "prize": {"en": "KRW 30,000,000", "ko": "상금 3,000만 원", "zh": "奖金 3000 万韩元"}},
        {"key": "merit", "name": {"en": "Merit Award", "ko": "우수상", "zh": "鼓励奖"}, "places": 2}
    ])
}

async fn audit_actions(app: &TestApp, admin: &User, action: &str) -> Vec<Value> {
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
async fn the_finals_ranks_fill_the_award_tiers_and_an_override_needs_a_reason() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 4, &["KR", "CN"], false).await;
    let contest = format!("/api/v1/contests/{}", j.contest);

    let bad = app
        .patch(&contest)
        .by(&admin)
        .json(&json!({"awards": [{"key": "Grand Prize!", "name": {"en": ""}, "places": 0}]}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.body["fields"]["awards"].is_string(), "{}", bad.text);
    let ok = app
        .patch(&contest)
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["awards"], tiers());

    app.scored_and_closed(&admin, &j).await;
    let ids: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    let (best, second, third, last) = (ids[3], ids[2], ids[1], ids[0]);
    let preview = format!("/api/v1/rounds/{}/publish-preview", j.round);
    let p = app.get(&preview).by(&admin).await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["final_round"], true);
    assert_eq!(
        (
            &p.body["awarded"],
            &p.body["not_advanced"],
            &p.body["advanced"]
        ),
        (&json!(3), &json!(1), &json!(0)),
        "{}",
        p.text
    );
    assert_eq!(p.body["needs_confirmation"], false);
    assert_eq!(p.body["awards"][0]["winners"][0]["application_id"], best);

    // An override needs a known tier and a reason; it takes the place, the ranks move up.
    let place = |app_id: i64| format!("/api/v1/rounds/{}/awards/{app_id}", j.round);
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": null, "reason": "  "}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["fields"]["reason"].as_str()),
        (422, Some("required"))
    );
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": "platinum", "reason": "typo"}))
        .await;
    assert_eq!(res.body["fields"]["award"], "unknown", "{}", res.text);
    let res = app
        .req(actix_web::http::Method::PUT, &place(9_999_999))
        .by(&admin)
        .json(&json!({"award": null, "reason": "not an entry"}))
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": null, "reason": "Already funded beyond the contest's limit"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["awards"][0]["winners"][0]["application_id"],
        second
    );
    assert_eq!(
        res.body["overrides"][0]["reason"],
        "Already funded beyond the contest's limit"
    );
    let audit = audit_actions(&app, &admin, "award.overridden").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["details"]["application_id"], best);
    // A judge cannot see the dialog's counts.
    assert_eq!(app.get(&preview).by(&j.judges[0]).await.status, 403);

    let before = app.deliver_mail().await.len();
    let publish = format!("/api/v1/rounds/{}/publish", j.round);
    let res = app.post(&publish).by(&admin).send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["emails_queued"], 4);
    let again = app.post(&publish).by(&admin).send().await;
    assert_eq!(again.body["emails_queued"], 0, "publishing is idempotent");
    assert_eq!(again.body["sha256"], res.body["sha256"]);
    let mails = app.deliver_mail().await;
    let mails = &mails[before..];
    assert_eq!(mails.len(), 4);
    let to = |app_id: i64| {
        let owner = &j
            .applications
            .iter()
            .find(|(_, id)| *id == app_id)
            .unwrap()
            .0;
        mails
            .iter()
            .find(|m| m.to == owner.email)
            .expect("a result mail")
    };
    assert!(
        to(second).subject.contains("Grand Prize"),
        "{}",
        to(second).subject
    );
    assert!(to(second).text.contains("KRW 30,000,000"));
    assert!(to(third).subject.contains("Merit Award"));
    assert!(to(last).subject.contains("Merit Award"));
    assert!(to(best).subject.contains("placed"), "{}", to(best).subject);

    let res = app
        .req(actix_web::http::Method::DELETE, &place(best))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.code(), "results_published");

    let public = app
        .get(&format!("/api/v1/contests/{}/results", j.contest))
        .await;
    let round = &public.body[0];
    assert_eq!(round["final_round"], true, "{}", public.text);
    assert_eq!(round["awards"][0]["name"]["ko"], "대상");
    assert_eq!(
        round["awards"][0]["winners"][0]["company_name"],
        "Zenith Startup 2"
    );
    assert_eq!(
        round["awards"][1]["winners"].as_array().map(Vec::len),
        Some(2)
    );
    let (owner, _) = &j.applications[2];
    let mine = app
        .get(&format!("/api/v1/applications/{second}/result"))
        .by(owner)
        .await;
    assert_eq!(mine.body[0]["award"]["key"], "grand", "{}", mine.text);
    let p = app.get(&preview).by(&admin).await;
    assert_eq!(
        (p.body["published"].clone(), p.body["awarded"].clone()),
        (json!(true), json!(3))
    );
}

#[actix_web::test]
async fn a_final_that_names_nobody_is_published_only_when_confirmed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    app.scored_and_closed(&admin, &j).await;
    let p = app
        .get(&format!("/api/v1/rounds/{}/publish-preview", j.round))
        .by(&admin)
        .await;
    assert_eq!(p.body["needs_confirmation"], true, "{}", p.text);
    assert_eq!(p.body["not_advanced"], 2);
    let publish = format!("/api/v1/rounds/{}/publish", j.round);
    let res = app.post(&publish).by(&admin).send().await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "nobody_awarded"));
    let round = app
        .get(&format!("/api/v1/rounds/{}", j.round))
        .by(&admin)
        .await;
    assert_eq!(
        round.body["state"], "closed",
        "a refused publish changes nothing"
    );
    let before = app.deliver_mail().await.len();
    let res = app
        .post(&format!("{publish}?confirm_no_winners=true"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mails = app.deliver_mail().await;
    assert!(
        mails[before..]
            .iter()
            .all(|m| m.subject.contains("Final results")),
        "a final's entrants are told their place, not that they did not advance"
    );
    let audit = audit_actions(&app, &admin, "round.published").await;
    assert_eq!(audit[0]["details"]["confirmed_no_winners"], true);
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
