//! What the sweep opens: every route of `frontend/js/routes.js` for the roles its options
//! allow, made concrete with the seeded ids, and the words that are codes on a ko/zh page.

use serde_json::{Value, json};

const ROUTES: &str = include_str!("../../../frontend/js/routes.js");
const ROLES: [&str; 4] = ["anonymous", "applicant", "judge", "admin"];
/// Screens that only a signed-out visitor has reason to open (a signed-in one is sent on).
const SIGNED_OUT_ONLY: [&str; 8] = [
    "/login",
    "/day",
    "/setup",
    "/register",
    "/verify-email",
    "/forgot-password",
    "/reset-password",
    "/accept-invitation",
];

/// The ids the concrete paths need.
pub struct Ids {
    pub contest: i64,
    pub empty_contest: i64,
    pub application: i64,
    pub assignment: i64,
    pub rounds: Vec<i64>,
    /// The public key of the audience vote opened on the first round.
    pub vote: String,
    /// The demo final's display link token.
    pub display: String,
}

impl Ids {
    /// The demo's joint final: the last round.
    pub fn final_round(&self) -> i64 {
        self.rounds.last().copied().unwrap_or_default()
    }
}

/// What an organiser's staff member opens (issue 22): their contests, the organisations
/// screen (their dashboard and routing), the lists their scope filters, their preliminary's
/// tabs (the demo's first round is the Korean one), their mail and their audit entries.
pub fn staff_pages(ids: &Ids) -> Vec<String> {
    let c = ids.contest;
    let mut out: Vec<String> = [
        "/admin/contests".to_string(),
        format!("/admin/contests/{c}/organisations"),
        format!("/admin/contests/{c}/applications"),
        format!("/admin/contests/{c}/rounds"),
        format!("/admin/contests/{c}/judges"),
    ]
    .into();
    out.extend(
        ["settings", "rubric", "assignments", "progress", "results"]
            .map(|tab| format!("/admin/rounds/{}?tab={tab}", ids.rounds[0])),
    );
    out.extend(["/admin/outbox".to_string(), "/admin/audit".to_string()]);
    out
}

/// `(pattern, roles)` for every route in routes.js, from its options.
pub fn routes() -> Vec<(String, Vec<&'static str>)> {
    ROUTES
        .lines()
        .filter_map(|l| l.strip_prefix("route('"))
        .map(|l| {
            let (pattern, rest) = l.split_once('\'').expect("route pattern");
            let roles = if rest.contains("JUDGE") {
                vec!["judge"]
            } else if rest.contains("ADMIN") {
                vec!["admin"]
            } else if rest.contains("auth: true") {
                vec!["applicant", "judge", "admin"]
            } else if SIGNED_OUT_ONLY.contains(&pattern) {
                vec!["anonymous"]
            } else {
                ROLES.to_vec()
            };
            (pattern.to_string(), roles)
        })
        .collect()
}

/// The concrete paths of `pattern` for `role`: the full demo contest and the empty one.
pub fn paths(pattern: &str, role: &str, ids: &Ids) -> Vec<String> {
    let contests = [ids.contest, ids.empty_contest];
    if pattern.contains("/contests/:id") {
        return contests
            .iter()
            .map(|c| pattern.replace(":id", &c.to_string()))
            .collect();
    }
    match pattern {
        // The owner and administrators read an application; a judge reads it through a review.
        "/applications/:id" if role == "judge" => vec![],
        "/applications/:id" => vec![format!("/applications/{}", ids.application)],
        "/judge/assignments/:id" => vec![format!("/judge/assignments/{}", ids.assignment)],
        "/admin/rounds/:id" => ids
            .rounds
            .iter()
            .flat_map(|r| {
                ["settings", "rubric", "assignments", "progress", "results"]
                    .map(|tab| format!("/admin/rounds/{r}?tab={tab}"))
            })
            .collect(),
        // The first round, whose vote the sweep's seed opened, and the second, which has none
        // (the empty state with the setup form).
        "/admin/rounds/:id/audience-vote" => ids
            .rounds
            .iter()
            .take(2)
            .map(|r| format!("/admin/rounds/{r}/audience-vote"))
            .collect(),
        "/vote/:key" => vec![format!("/vote/{}", ids.vote)],
        // The demo's joint final (the last round) is the live one.
        "/admin/rounds/:id/live" => vec![format!("/admin/rounds/{}/live", ids.final_round())],
        "/judge/live/:id" => vec![format!("/judge/live/{}", ids.final_round())],
        "/live/display/:token" => vec![format!("/live/display/{}", ids.display)],
        p if p.contains(':') => panic!("the sweep has no data for route {p}: add it to paths()"),
        p => vec![p.to_string()],
    }
}

/// Words that are codes, not text, on a Korean or Chinese page.
pub fn codes() -> Value {
    let mut m = serde_json::Map::new();
    let mut add = |kind: &str, list: &[&str]| {
        for c in list {
            m.insert(c.to_string(), json!(kind));
        }
    };
    add(
        "track",
        &["ai", "robotics", "bio", "energy", "mobility", "content"],
    );
    add("stage", &["idea", "prototype", "mvp", "revenue", "growth"]);
    add(
        "state",
        &[
            "draft",
            "open",
            "judging",
            "closed",
            "published",
            "submitted",
            "withdrawn",
            "disqualified",
        ],
    );
    add("role", &["admin", "judge", "applicant"]);
    add("region", &["KR", "CN", "OTHER"]);
    Value::Object(m)
}

/// Every route in routes.js is swept by some role (a new screen cannot slip past).
#[test]
fn every_route_is_swept() {
    let ids = Ids {
        contest: 1,
        empty_contest: 2,
        application: 3,
        assignment: 4,
        rounds: vec![5, 6, 7],
        vote: "key".into(),
        display: "abc".into(),
    };
    let all = routes();
    assert!(all.len() > 20, "routes.js parsed: {}", all.len());
    for (pattern, roles) in all {
        let n: usize = roles.iter().map(|r| paths(&pattern, r, &ids).len()).sum();
        assert!(n > 0, "{pattern} is not swept");
    }
}
