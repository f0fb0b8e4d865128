//! The set-ups the tests share: users of each role, a contest, applications, a round in
//! judging, published results, and the sample data they are built from.

use actix_web::http::Method;
use serde_json::{Value, json};

use super::{PASSWORD, Resp, TestApp, User, multipart};

impl TestApp {
    /// The one-time link `jury serve` prints on a fresh database (path and query).
    pub async fn setup_link(&self) -> String {
        let link = jury::auth::service::ensure_setup_link(&self.state)
            .await
            .expect("setup link")
            .expect("no admin yet");
        link.trim_start_matches(&self.state.config.public_url)
            .to_string()
    }

    /// An administrator created the way `jury create-admin` does, then signed in.
    pub async fn admin(&self) -> User {
        let email = format!("admin{}@jury.test", rand_suffix());
        jury::auth::service::create_admin(
            &self.state,
            email.clone(),
            "Ada Admin".into(),
            PASSWORD.into(),
        )
        .await
        .expect("create admin");
        self.login(&email, PASSWORD).await
    }

    /// A user of any role inserted directly (registration and invitations come with their own
    /// issues; these tests only need the account).
    pub async fn user(&self, role: &str, name: &str) -> User {
        let email = format!("{role}{}@jury.test", rand_suffix());
        let hash = self.state.hasher.hash(PASSWORD.into()).await.expect("hash");
        let (e, r, n) = (email.clone(), role.to_string(), name.to_string());
        jury::db::write(&self.state.db, move |c| {
            let t = jury::db::now();
            jury::auth::model::insert(
                c,
                &jury::auth::model::NewUser {
                    email: &e,
                    password_hash: Some(&hash),
                    name: &n,
                    locale: "en",
                    role: &r,
                    verified_at: Some(t),
                    token_version: 0,
                    created_at: t,
                    updated_at: t,
                },
            )
        })
        .await
        .expect("insert user");
        self.login(&email, PASSWORD).await
    }

    pub async fn judge(&self) -> User {
        self.user("judge", "Jun Judge").await
    }
    pub async fn applicant(&self) -> User {
        self.user("applicant", "Min Applicant").await
    }

    pub async fn login(&self, email: &str, password: &str) -> User {
        let res = self
            .post("/api/v1/auth/login")
            .json(&json!({"email": email, "password": password}))
            .await;
        assert_eq!(res.status, 200, "login {email}: {}", res.text);
        User {
            id: res.body["user"]["id"].as_i64().expect("id"),
            email: email.to_string(),
            password: password.to_string(),
            token: res.body["access_token"]
                .as_str()
                .expect("token")
                .to_string(),
            refresh: res.refresh_cookie(),
        }
    }

    /// A published contest whose window opened yesterday and closes in 30 days.
    pub async fn contest(&self, admin: &User) -> i64 {
        let res = self
            .post("/api/v1/contests")
            .by(admin)
            .json(&contest_body())
            .await;
        assert_eq!(res.status, 201, "create contest: {}", res.text);
        res.body["id"].as_i64().expect("contest id")
    }

    /// Moves the contest's deadline into the past (the window has just closed).
    pub async fn close_window(&self, admin: &User, contest: i64) {
        let now = chrono::Utc::now();
        let res = self
            .patch(&format!("/api/v1/contests/{contest}"))
            .by(admin)
            .json(&json!({
                "opens_at": (now - chrono::Duration::days(10)).to_rfc3339(),
                "closes_at": (now - chrono::Duration::seconds(1)).to_rfc3339()
            }))
            .await;
        assert_eq!(res.status, 200, "close window: {}", res.text);
    }

    pub async fn draft_application(&self, applicant: &User, contest: i64) -> i64 {
        let res = self
            .post(&format!("/api/v1/contests/{contest}/applications"))
            .by(applicant)
            .json(&json!({}))
            .await;
        assert_eq!(res.status, 201, "create application: {}", res.text);
        res.body["id"].as_i64().expect("application id")
    }

    pub async fn upload(&self, user: &User, app: i64, filename: &str, bytes: Vec<u8>) -> Resp {
        let (content_type, body) = multipart("file", filename, "application/pdf", &bytes);
        self.post(&format!("/api/v1/applications/{app}/documents"))
            .by(user)
            .body(&content_type, body)
            .await
    }

    /// An applicant with a complete, submitted application, and the ids involved.
    pub async fn submitted_application(&self, admin: &User) -> (User, i64, i64) {
        let applicant = self.applicant().await;
        let contest = self.contest(admin).await;
        let app = self.draft_application(&applicant, contest).await;
        let res = self
            .patch(&format!("/api/v1/applications/{app}"))
            .by(&applicant)
            .json(&complete_fields())
            .await;
        assert_eq!(res.status, 200, "fill: {}", res.text);
        let res = self
            .upload(
                &applicant,
                app,
                "deck.pdf",
                jury::applications::pdf::sample("Deck"),
            )
            .await;
        assert_eq!(res.status, 201, "upload: {}", res.text);
        let res = self
            .post(&format!("/api/v1/applications/{app}/submit"))
            .by(&applicant)
            .send()
            .await;
        assert_eq!(res.status, 200, "submit: {}", res.text);
        (applicant, contest, app)
    }

    /// Invites a judge to the contest through the API, accepts through the emailed link and
    /// signs in.
    pub async fn invited_judge(&self, admin: &User, contest: i64, region: &str, org: &str) -> User {
        let email = format!(
            "judge{}@{}.example",
            rand_suffix(),
            org.to_lowercase().replace(' ', "")
        );
        let res = self
            .post(&format!("/api/v1/contests/{contest}/judges/invitations"))
            .by(admin)
            .json(&json!({"judges": [{
                "email": email, "name": format!("Judge {region}"), "organization": org, "region": region,
                "expertise": {"ai": 3, "bio": 1}, "capacity": 20
            }]}))
            .await;
        assert_eq!(res.status, 200, "invite: {}", res.text);
        assert_eq!(res.body["rows"][0]["status"], "invited", "{}", res.text);
        self.accept_invitation(&email).await
    }

    /// Delivers the queued mail, follows the invitation sent to `email`, sets the password and
    /// signs in.
    pub async fn accept_invitation(&self, email: &str) -> User {
        let mails = self.deliver_mail().await;
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.to == email)
            .expect("invitation mail");
        let token = link_token(&mail.text, "/accept-invitation?token=");
        let res = self
            .post("/api/v1/auth/invitations/accept")
            .json(&json!({"token": token, "password": PASSWORD}))
            .await;
        assert_eq!(res.status, 200, "accept: {}", res.text);
        self.login(email, PASSWORD).await
    }

    /// A contest with `apps` submitted applications, a round (k = 2, two criteria) and the
    /// given judges (by region), moved to `judging`.
    pub async fn judging(
        &self,
        admin: &User,
        apps: usize,
        regions: &[&str],
        blind: bool,
    ) -> Judging {
        let contest = self.contest(admin).await;
        let mut applications = Vec::new();
        for i in 0..apps {
            let founder = self.applicant().await;
            let id = self.draft_application(&founder, contest).await;
            let mut f = complete_fields();
            f["company_name"] = json!(format!("Zenith Startup {i}"));
            f["company_name_native"] = json!(format!("제니스 {i}"));
            f["team"] = json!([{"name": format!("Founder Kim {i}"), "role": "CEO", "email": format!("kim{i}@zenith{i}.kr")}]);
            f["website"] = json!(format!("https://zenith{i}.kr"));
            let res = self
                .patch(&format!("/api/v1/applications/{id}"))
                .by(&founder)
                .json(&f)
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
            self.upload(
                &founder,
                id,
                "deck.pdf",
                jury::applications::pdf::sample("Deck"),
            )
            .await;
            let res = self
                .post(&format!("/api/v1/applications/{id}/submit"))
                .by(&founder)
                .send()
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
            applications.push((founder, id));
        }
        let mut judges = Vec::new();
        for (i, region) in regions.iter().enumerate() {
            judges.push(
                self.invited_judge(admin, contest, region, &format!("Fund {i}"))
                    .await,
            );
        }
        let res = self
            .post(&format!("/api/v1/contests/{contest}/rounds"))
            .by(admin)
            .json(&json!({"name": {"en": "Screening", "ko": "서류 심사", "zh": "初审"}, "reviews_per_application": 2,
                "blind": blind, "blind_shows_deck": false, "ranking_method": "raw"}))
            .await;
        assert_eq!(res.status, 201, "round: {}", res.text);
        let round = res.body["id"].as_i64().expect("round id");
        let res = self
            .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
            .by(admin)
            .json(&rubric())
            .await;
        assert_eq!(res.status, 200, "rubric: {}", res.text);
        let res = self
            .post(&format!("/api/v1/rounds/{round}/transition"))
            .by(admin)
            .json(&json!({"to": "judging"}))
            .await;
        assert_eq!(res.status, 200, "start judging: {}", res.text);
        Judging {
            contest,
            round,
            applications,
            judges,
        }
    }

    /// A round judged (auto-assigned, every review submitted), closed and published while the
    /// contest's application window is still open.
    pub async fn published(&self, admin: &User, apps: usize) -> Judging {
        let j = self.judging(admin, apps, &["KR", "CN"], false).await;
        let res = self
            .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
            .by(admin)
            .json(&json!({}))
            .await;
        assert_eq!(res.status, 200, "auto-assign: {}", res.text);
        for judge in &j.judges {
            let queue = self.get("/api/v1/me/assignments").by(judge).await;
            for item in queue.body["items"].as_array().expect("queue items") {
                let a = item["assignment_id"].as_i64().expect("assignment id");
                let res = self
                    .post(&format!("/api/v1/assignments/{a}/review/submit"))
                    .by(judge)
                    .json(&json!({"scores": {"team": 4, "market": 7}}))
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
        let res = self
            .post(&format!(
                "/api/v1/rounds/{}/publish?confirm_no_winners=true",
                j.round
            ))
            .by(admin)
            .send()
            .await;
        assert_eq!(res.status, 200, "publish: {}", res.text);
        j
    }

    pub async fn assign(&self, admin: &User, round: i64, judge: &User, application: i64) -> Resp {
        self.post(&format!("/api/v1/rounds/{round}/assignments"))
            .by(admin)
            .json(&json!({"judge_id": judge.id, "application_id": application}))
            .await
    }
}

pub struct Judging {
    pub contest: i64,
    pub round: i64,
    pub applications: Vec<(User, i64)>,
    pub judges: Vec<User>,
}

pub fn rubric() -> Value {
    json!({"criteria": [
        {"key": "team", "name": {"en": "Team", "ko": "팀", "zh": "团队"}, "guidance": {"en": "Can they build it?"}, "weight": 2.0, "min": 1, "max": 5},
        {"key": "market", "name": {"en": "Market", "ko": "시장", "zh": "市场"}, "weight": 1.0, "min": 0, "max": 10}
    ]})
}

/// The hex token after `path` in a mail body.
pub fn link_token(text: &str, path: &str) -> String {
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("{path} not in {text}"))
        + path.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Every field a submitted application needs, in Korean.
/// The body of `POST /contests` for an open, published contest (window: yesterday to +30 days).
pub fn contest_body() -> Value {
    let now = chrono::Utc::now();
    json!({
        "slug": format!("gsc-{}", rand_suffix()),
        "name": {"en": "Global Start-up Contest 2026", "ko": "글로벌 스타트업 콘테스트 2026", "zh": "2026 全球创业大赛"},
        "description": {"en": "Gyeonggi–Hangzhou"},
        "timezone": "Asia/Seoul",
        "tracks": [
            {"key": "ai", "name": {"en": "AI", "ko": "인공지능", "zh": "人工智能"}},
            {"key": "bio", "name": {"en": "Bio & Health"}}
        ],
        "opens_at": (now - chrono::Duration::days(1)).to_rfc3339(),
        "closes_at": (now + chrono::Duration::days(30)).to_rfc3339(),
        "eligibility": {"founded_within_years": 7, "allowed_countries": []},
        "published": true
    })
}

pub fn complete_fields() -> Value {
    json!({
        "company_name": "Hanbit Robotics",
        "company_name_native": "한빛로보틱스",
        "country": "KR",
        "city": "수원",
        "founded_year": 2022,
        "team_size": 12,
        "stage": "mvp",
        "track": "ai",
        "website": "https://hanbit.example.kr",
        "summary": "물류 창고용 자율 주행 로봇",
        "problem": "창고 인력 부족",
        "solution": "저비용 자율 이동 로봇",
        "market": "국내 물류 시장",
        "traction": "파일럿 고객 3곳",
        "team": [{"name": "김민준", "role": "CEO", "email": "minjun@hanbit.example.kr"}],
        "video_url": "https://video.example.com/hanbit"
    })
}

pub fn rand_suffix() -> String {
    jury::auth::tokens::random_token()[..10].to_string()
}
