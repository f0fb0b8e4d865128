//! The test harness: a real Jury server per test, over a fresh SQLite file or a fresh
//! PostgreSQL database, reached through real HTTP. `JURY_TEST_BACKEND=postgres` runs the same
//! suite against PostgreSQL (`JURY_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/test`).
#![allow(dead_code)]

pub mod judged;
pub mod smtp;
pub mod spec_check;
pub mod webdriver;

use std::sync::{Arc, Mutex};

use actix_web::http::{Method, StatusCode};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use jury::AppState;
use jury::config::Config;
use jury::mail::{SentMail, Transport};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery";

pub fn pg_base_url() -> String {
    std::env::var("JURY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn use_postgres() -> bool {
    std::env::var("JURY_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

/// A PostgreSQL server for tests that need one whatever the backend, or `None` with a printed
/// reason. With `JURY_REQUIRE_POSTGRES=1` (CI) a missing server fails the test instead.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    let url = pg_base_url();
    match diesel::PgConnection::establish(&url) {
        Ok(_) => Some(url),
        Err(e) if std::env::var("JURY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("{test}: PostgreSQL required (JURY_REQUIRE_POSTGRES=1) but {url} failed: {e}")
        }
        Err(e) => {
            eprintln!("SKIP {test}: no PostgreSQL at {url} ({e}); set JURY_TEST_PG_URL to run it");
            None
        }
    }
}

/// A scratch PostgreSQL database, dropped with the test.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    pub fn create(admin_url: &str) -> PgDatabase {
        let name = format!("jury_t_{}", &jury::auth::tokens::random_token()[..16]);
        let mut admin = diesel::PgConnection::establish(admin_url).expect("connect to PostgreSQL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        PgDatabase {
            url: format!("{base}/{name}"),
            admin_url: admin_url.to_string(),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = diesel::PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct TestApp {
    pub state: AppState,
    pub base_url: String,
    pub dir: tempfile::TempDir,
    mail: Arc<Mutex<Vec<SentMail>>>,
    handle: actix_web::dev::ServerHandle,
    _pg: Option<PgDatabase>,
}

/// A signed-in user as the tests drive it.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password: String,
    pub token: String,
    pub refresh: Option<String>,
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
    pub headers: actix_web::http::header::HeaderMap,
}

impl Resp {
    /// The refresh cookie's value if this response set one (empty when it cleared it).
    pub fn refresh_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("jury_refresh="))
            .map(|c| {
                c["jury_refresh=".len()..]
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
    }
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn cheap_hasher() -> jury::auth::password::Hasher {
    let params = argon2::Params::new(1024, 1, 1, None).expect("params");
    jury::auth::password::Hasher::with_params(4, params).expect("hasher")
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(|_| {}).await
    }

    pub async fn with_config(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::with_transport(tweak, None).await
    }

    /// A server that delivers mail to a real SMTP listener instead of memory.
    pub async fn with_smtp(smtp_url: &str) -> TestApp {
        let transport = jury::mail::Mailer::smtp(smtp_url).expect("smtp url");
        Self::with_transport(|_| {}, Some(transport)).await
    }

    pub async fn with_transport(
        tweak: impl FnOnce(&mut Config),
        transport: Option<Transport>,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = use_postgres().then(|| PgDatabase::create(&pg_base_url()));
        let url = match &pg {
            Some(db) => db.url.clone(),
            None => format!("sqlite://{}", dir.path().join("jury.db").display()),
        };
        let mut config = Config::for_data_dir(dir.path(), url);
        config.db_pool_size = 4;
        tweak(&mut config);
        let mail = Arc::new(Mutex::new(Vec::new()));
        let transport = transport.unwrap_or_else(|| Transport::Memory(mail.clone()));
        let state = AppState::build(config, transport, Some(cheap_hasher())).expect("state");
        Self::start(state, dir, mail, pg)
    }

    /// A server whose database cannot be reached (the pool connects lazily).
    pub async fn without_database() -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, target) = if use_postgres() {
            let u = "postgres://postgres@127.0.0.1:1/none".to_string();
            (u.clone(), jury::db::Target::Postgres(u))
        } else {
            let p = dir.path().join("missing-dir").join("jury.db");
            (
                format!("sqlite://{}", p.display()),
                jury::db::Target::Sqlite(p),
            )
        };
        let mut config = Config::for_data_dir(dir.path(), url);
        config.db_timeout_ms = 300;
        let pool = jury::db::pool(&target, 2, std::time::Duration::from_millis(300));
        let mail = Arc::new(Mutex::new(Vec::new()));
        let state = AppState::with_pool(
            config,
            target.backend(),
            pool,
            Transport::Memory(mail.clone()),
            Some(cheap_hasher()),
        )
        .expect("state");
        Self::start(state, dir, mail, None)
    }

    fn start(
        state: AppState,
        dir: tempfile::TempDir,
        mail: Arc<Mutex<Vec<SentMail>>>,
        pg: Option<PgDatabase>,
    ) -> TestApp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let s = state.clone();
        let server = actix_web::HttpServer::new(move || jury::app(s.clone()))
            .client_request_timeout(std::time::Duration::from_millis(
                state.config.header_timeout_ms,
            ))
            .keep_alive(std::time::Duration::from_secs(state.config.keep_alive_secs))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .expect("listen")
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp {
            state,
            base_url: format!("http://{addr}"),
            dir,
            mail,
            handle,
            _pg: pg,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn client(&self) -> awc::Client {
        awc::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .disable_redirects()
            .finish()
    }

    pub fn req(&self, method: Method, path: &str) -> Req {
        Req {
            inner: self.client().request(method, self.url(path)),
        }
    }
    pub fn get(&self, path: &str) -> Req {
        self.req(Method::GET, path)
    }
    pub fn post(&self, path: &str) -> Req {
        self.req(Method::POST, path)
    }
    pub fn patch(&self, path: &str) -> Req {
        self.req(Method::PATCH, path)
    }

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
        let now = chrono::Utc::now();
        let res = self
            .post("/api/v1/contests")
            .by(admin)
            .json(&json!({
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
            }))
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
        self.login(&email, PASSWORD).await
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

    /// Runs the outbox dispatcher until nothing is due and returns every mail sent so far.
    pub async fn deliver_mail(&self) -> Vec<SentMail> {
        jury::mail::dispatcher::drain(&self.state.db, &self.state.mailer)
            .await
            .expect("drain outbox");
        self.mail.lock().expect("mail lock").clone()
    }

    /// Runs blocking diesel work against the test database.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut jury::db::DbConn) -> Result<T, jury::error::AppError> + Send + 'static,
    ) -> T {
        jury::db::run(&self.state.db, f).await.expect("db")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The server future runs on this test's runtime; stopping is enough, no need to await.
        drop(self.handle.stop(false));
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

/// A multipart/form-data body with one file part.
pub fn multipart(
    field: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----jury-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn rand_suffix() -> String {
    jury::auth::tokens::random_token()[..10].to_string()
}

pub struct Req {
    inner: awc::ClientRequest,
}

impl Req {
    pub fn bearer(mut self, token: &str) -> Req {
        self.inner = self.inner.bearer_auth(token);
        self
    }
    pub fn by(self, user: &User) -> Req {
        self.bearer(&user.token)
    }
    pub fn header(mut self, name: &str, value: &str) -> Req {
        self.inner = self.inner.insert_header((name, value));
        self
    }
    pub fn cookie(self, refresh: &str) -> Req {
        self.header("cookie", &format!("jury_refresh={refresh}"))
    }
    /// What the response will be checked against the OpenAPI document as.
    fn target(&self) -> Target {
        let uri = self.inner.get_uri();
        Target {
            method: self.inner.get_method().to_string(),
            base: format!(
                "{}://{}",
                uri.scheme_str().unwrap_or("http"),
                uri.authority().map(|a| a.as_str()).unwrap_or_default()
            ),
            path: uri.path().to_string(),
        }
    }
    pub fn json(self, body: &Value) -> impl std::future::Future<Output = Resp> + use<> {
        let body = body.clone();
        let target = self.target();
        async move { finish(target, self.inner.send_json(&body).await).await }
    }
    pub async fn body(self, content_type: &str, body: impl Into<bytes::Bytes>) -> Resp {
        let b: bytes::Bytes = body.into();
        let target = self.target();
        finish(
            target,
            self.inner
                .insert_header(("content-type", content_type))
                .send_body(b)
                .await,
        )
        .await
    }
    pub async fn send(self) -> Resp {
        let target = self.target();
        finish(target, self.inner.send().await).await
    }
}

impl std::future::IntoFuture for Req {
    type Output = Resp;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Resp>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

struct Target {
    method: String,
    base: String,
    path: String,
}

async fn finish<S>(
    target: Target,
    res: Result<awc::ClientResponse<S>, awc::error::SendRequestError>,
) -> Resp
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    let mut res = res.expect("request failed");
    let bytes = res.body().limit(64 << 20).await.expect("body");
    let text = String::from_utf8_lossy(&bytes).to_string();
    let resp = Resp {
        status: res.status(),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
        headers: res.headers().clone(),
    };
    let json = resp
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json"));
    if json {
        let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{} {}: JSON content type but not JSON ({e}): {}",
                target.method, target.path, resp.text
            )
        });
        let spec = spec_check::published(&target.base).await;
        if let Err(e) = spec_check::check(
            spec,
            &target.method,
            &target.path,
            resp.status.as_u16(),
            &body,
        ) {
            panic!("response does not match the OpenAPI document: {e}");
        }
    }
    resp
}
