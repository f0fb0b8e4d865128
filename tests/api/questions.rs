//! A contest's own questions (issue 15): validation per kind, required at submit per track,
//! frozen once answered except for wording, hidden from blind judges when identifying, the
//! admin list filter and the CSV columns.

use serde_json::{Value, json};

use crate::common::{TestApp, User, complete_fields};

fn questions() -> Value {
    json!([
        {"key": "funding", "kind": "single_choice", "required": true,
         "label": {"en": "Funding so far", "ko": "지금까지의 투자", "zh": "迄今融资"},
         "options": [
            {"key": "none", "label": {"en": "None", "ko": "없음", "zh": "无"}},
            {"key": "seed", "label": {"en": "Seed", "ko": "시드", "zh": "种子轮"}}
         ]},
        {"key": "channels", "kind": "multiple_choice",
         "label": {"en": "Sales channels"},
         "options": [
            {"key": "online", "label": {"en": "Online"}},
            {"key": "retail", "label": {"en": "Retail"}},
            {"key": "b2b", "label": {"en": "B2B"}}
         ]},
        {"key": "founder_linkedin", "kind": "url", "identifying": true,
         "label": {"en": "Founder's LinkedIn"}},
        {"key": "employees_2025", "kind": "number", "min": 0, "max": 500,
         "label": {"en": "Employees at the end of 2025"}},
        {"key": "lab_partner", "kind": "short_text", "required": true, "tracks": ["bio"],
         "label": {"en": "Partner laboratory"}, "help": {"en": "Name and city"}},
        {"key": "pitch_story", "kind": "long_text", "label": {"en": "Your story"}},
        {"key": "relocate", "kind": "yes_no", "label": {"en": "Willing to relocate?"}}
    ])
}

async fn with_questions(app: &TestApp, admin: &User) -> i64 {
    let contest = app.contest(admin).await;
    let res = app
        .patch(&format!("/api/v1/contests/{contest}"))
        .by(admin)
        .json(&json!({"questions": questions()}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let stored = res.body["questions"].as_array().unwrap();
    assert_eq!(stored.len(), 7, "{}", res.text);
    for (got, sent) in stored.iter().zip(questions().as_array().unwrap()) {
        for field in [
            "key",
            "kind",
            "label",
            "help",
            "options",
            "identifying",
            "tracks",
        ] {
            if !sent[field].is_null() {
                assert_eq!(got[field], sent[field], "{field}: {}", res.text);
            }
        }
    }
    assert_eq!(stored[3]["max"].as_f64(), Some(500.0));
    contest
}

#[actix_web::test]
async fn questions_are_validated_on_the_contest() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let url = format!("/api/v1/contests/{contest}");
    for bad in [
        json!([{"key": "Bad Key", "kind": "short_text", "label": {"en": "x"}}]),
        json!([{"key": "status", "kind": "short_text", "label": {"en": "x"}}]),
        json!([{"key": "a", "kind": "short_text", "label": {"en": ""}}]),
        json!([{"key": "a", "kind": "short_text", "label": {"en": "x"},
                "options": [{"key": "o", "label": {"en": "o"}}, {"key": "p", "label": {"en": "p"}}]}]),
        json!([{"key": "a", "kind": "single_choice", "label": {"en": "x"},
                "options": [{"key": "o", "label": {"en": "o"}}]}]),
        json!([{"key": "a", "kind": "short_text", "label": {"en": "x"}, "tracks": ["space"]}]),
        json!([{"key": "a", "kind": "number", "label": {"en": "x"}, "min": 5, "max": 1}]),
        json!([{"key": "a", "kind": "short_text", "label": {"en": "x"}},
               {"key": "a", "kind": "yes_no", "label": {"en": "y"}}]),
    ] {
        let res = app
            .patch(&url)
            .by(&admin)
            .json(&json!({"questions": bad}))
            .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
        assert!(res.body["fields"]["questions"].is_string(), "{}", res.text);
    }
    let res = app
        .patch(&url)
        .by(&admin)
        .json(&json!({"questions": [{"key": "a", "kind": "essay", "label": {"en": "x"}}]}))
        .await;
    assert!(res.status == 400 || res.status == 422, "{}", res.text);
    let many: Vec<Value> = (0..31)
        .map(|i| json!({"key": format!("q{i}"), "kind": "yes_no", "label": {"en": "?"}}))
        .collect();
    let res = app
        .patch(&url)
        .by(&admin)
        .json(&json!({"questions": many}))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
}

#[actix_web::test]
async fn answers_are_checked_per_kind_merged_and_required_per_track() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = with_questions(&app, &admin).await;
    let applicant = app.applicant().await;
    let id = app.draft_application(&applicant, contest).await;
    let url = format!("/api/v1/applications/{id}");
    for (key, value, code) in [
        ("funding", json!("series_z"), "invalid_choice"),
        ("channels", json!(["online", "tv"]), "invalid_choice"),
        (
            "founder_linkedin",
            json!("javascript:alert(1)"),
            "invalid_url",
        ),
        ("employees_2025", json!(501), "out_of_range"),
        ("employees_2025", json!("ten"), "invalid"),
        ("lab_partner", json!("x".repeat(201)), "too_long"),
        ("pitch_story", json!("x".repeat(3001)), "too_long"),
        ("relocate", json!("yes"), "invalid"),
        ("favourite_colour", json!("blue"), "unknown"),
    ] {
        let res = app
            .patch(&url)
            .by(&applicant)
            .json(&json!({"answers": {key: value}}))
            .await;
        assert_eq!(res.status, 422, "{key}: {}", res.text);
        assert_eq!(
            res.body["fields"][format!("answers.{key}")],
            code,
            "{key}: {}",
            res.text
        );
    }
    // Autosave sends only what changed: answers merge key by key, `null` clears one.
    let res = app
        .patch(&url)
        .by(&applicant)
        .json(&json!({"answers": {"channels": ["b2b", "online"], "employees_2025": 12, "relocate": false}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .patch(&url)
        .by(&applicant)
        .json(&json!({"answers": {"employees_2025": null, "pitch_story": "  Began in Suwon.  "}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["answers"],
        json!({"channels": ["online", "b2b"], "pitch_story": "Began in Suwon.", "relocate": false})
    );

    let mut fields = complete_fields();
    fields["track"] = json!("bio");
    let res = app.patch(&url).by(&applicant).json(&fields).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let missing = res.body["completeness"]["missing"].clone();
    assert_eq!(
        missing,
        json!(["deck", "answers.funding", "answers.lab_partner"]),
        "{}",
        res.text
    );
    let res = app
        .upload(
            &applicant,
            id,
            "deck.pdf",
            jury::applications::pdf::sample("Deck"),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let submit = format!("/api/v1/applications/{id}/submit");
    let res = app.post(&submit).by(&applicant).send().await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["answers.funding"], "required");
    assert_eq!(res.body["fields"]["answers.lab_partner"], "required");

    // The laboratory is asked in the bio track only: in AI it is not required.
    let res = app
        .patch(&url)
        .by(&applicant)
        .json(&json!({"track": "ai", "answers": {"funding": "seed"}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["completeness"]["missing"], json!([]));
    assert_eq!(res.body["actions"]["submit"], true);
    let res = app.post(&submit).by(&applicant).send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    // A submitted application cannot drop a required answer.
    let res = app
        .patch(&url)
        .by(&applicant)
        .json(&json!({"answers": {"funding": null}}))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["answers.funding"], "required");
}

#[actix_web::test]
async fn answered_questions_are_frozen_except_for_their_wording() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = with_questions(&app, &admin).await;
    let applicant = app.applicant().await;
    let id = app.draft_application(&applicant, contest).await;
    let res = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&applicant)
        .json(&json!({"answers": {"funding": "none"}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let url = format!("/api/v1/contests/{contest}");
    let change = |f: &dyn Fn(&mut Value)| {
        let mut q = questions();
        f(&mut q);
        json!({"questions": q})
    };
    for body in [
        change(&|q| {
            q.as_array_mut().unwrap().remove(0);
        }),
        change(&|q| q[0]["kind"] = json!("multiple_choice")),
        change(&|q| q[0]["required"] = json!(false)),
        change(&|q| q[0]["tracks"] = json!(["ai"])),
        change(&|q| q[0]["options"][1]["key"] = json!("angel")),
    ] {
        let res = app.patch(&url).by(&admin).json(&body).await;
        assert_eq!(res.status, 409, "{body}: {}", res.text);
        assert_eq!(res.body["error"], "question_answered", "{}", res.text);
        assert!(res.body["message"].as_str().unwrap().contains("funding"));
    }
    // Wording fixes, and any change to questions nobody answered, are fine.
    let body = change(&|q| {
        q[0]["label"]["en"] = json!("Funding raised so far");
        q[0]["help"] = json!({"en": "Equity rounds only"});
        q[0]["options"][1]["label"]["en"] = json!("Seed round");
        q[1]["kind"] = json!("single_choice");
        q.as_array_mut().unwrap().remove(6);
    });
    let res = app.patch(&url).by(&admin).json(&body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["questions"][0]["label"]["en"],
        "Funding raised so far"
    );
}

#[actix_web::test]
async fn blind_judges_miss_identifying_answers_and_admins_filter_and_export_them() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], true).await;
    let mut qs = questions();
    qs[0]["required"] = json!(false);
    qs[4]["required"] = json!(false);
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"questions": qs}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let answers = [
        json!({"funding": "seed", "channels": ["retail", "online"],
               "founder_linkedin": "https://linkedin.example.com/in/kim", "relocate": true}),
        json!({"funding": "none", "pitch_story": "=HYPERLINK(\"https://evil.example\")",
               "employees_2025": 7}),
    ];
    for ((founder, id), a) in j.applications.iter().zip(&answers) {
        let res = app
            .patch(&format!("/api/v1/applications/{id}"))
            .by(founder)
            .json(&json!({"answers": a}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let (first, second) = (j.applications[0].1, j.applications[1].1);

    let res = app.assign(&admin, j.round, &j.judges[0], first).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    let view = app
        .get(&format!("/api/v1/assignments/{assignment}"))
        .by(&j.judges[0])
        .await;
    assert_eq!(view.status, 200, "{}", view.text);
    let shown: Vec<&str> = view.body["application"]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["funding", "channels", "relocate"], "{}", view.text);
    let funding = &view.body["application"]["answers"][0];
    assert_eq!(funding["label"]["ko"], "지금까지의 투자");
    assert_eq!(funding["value"], "seed");
    assert_eq!(funding["options"][1]["label"]["en"], "Seed");
    assert!(!view.text.contains("linkedin.example.com"));
    assert!(view.body["application"]["company_name"].is_null());

    let list = |query: &str| {
        app.get(&format!(
            "/api/v1/contests/{}/applications?{query}",
            j.contest
        ))
        .by(&admin)
    };
    let ids = |res: &crate::common::Resp| -> Vec<i64> {
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let res = list("question=funding&answer=seed").await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        (ids(&res), res.body["total"].as_i64()),
        (vec![first], Some(1))
    );
    assert_eq!(ids(&list("question=channels&answer=online").await), [first]);
    assert_eq!(ids(&list("question=relocate&answer=true").await), [first]);
    assert_eq!(
        ids(&list("question=employees_2025&answer=7").await),
        [second]
    );
    assert_eq!(ids(&list("question=employees_2025").await), [second]);
    assert_eq!(ids(&list("question=funding").await), [second, first]);
    assert!(ids(&list("question=funding&answer=seed&status=withdrawn").await).is_empty());
    assert_eq!(list("answer=seed").await.status, 422);

    let csv = app
        .get(&format!("/api/v1/contests/{}/applications.csv", j.contest))
        .by(&admin)
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let mut reader = csv::Reader::from_reader(csv.text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[header.len() - 7..],
        [
            "funding",
            "channels",
            "founder_linkedin",
            "employees_2025",
            "lab_partner",
            "pitch_story",
            "relocate"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let cells = |id: i64| {
        let row = rows.iter().find(|r| r[0] == id.to_string()).unwrap();
        row[row.len() - 7..].to_vec()
    };
    assert_eq!(
        cells(first),
        [
            "seed",
            "online; retail",
            "https://linkedin.example.com/in/kim",
            "",
            "",
            "",
            "true"
        ]
    );
    assert_eq!(cells(second)[5], "'=HYPERLINK(\"https://evil.example\")");
    assert_eq!(cells(second)[3], "7");
}
