//! The test harness: a real Jury server per test, over a fresh SQLite file or a fresh
//! PostgreSQL database, reached through real HTTP. `JURY_TEST_BACKEND=postgres` runs the same
//! suite against PostgreSQL (`JURY_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/test`).
//! This file starts and stops the server; the parts are re-exported so tests name everything
//! as `common::…`.
#![allow(dead_code)]

mod backend;
mod fixtures;
mod http;
pub mod judged;
mod organisers;
pub mod s3;
pub mod smtp;
pub mod spec_check;
pub mod sse;
pub mod webdriver;

pub use backend::*;
pub use fixtures::*;
pub use http::*;
pub use organisers::*;

use std::sync::{Arc, Mutex};

use actix_web::http::Method;
use jury::AppState;
use jury::config::Config;
use jury::mail::{SentMail, Transport};

pub const PASSWORD: &str = "correct horse battery";

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
        let pg = use_postgres().then(|| PgDatabase::migrated(&pg_base_url()));
        let url = match &pg {
            Some(db) => db.url.clone(),
            None => {
                let file = dir.path().join("jury.db");
                migrated_sqlite(&file);
                format!("sqlite://{}", file.display())
            }
        };
        let mut config = Config::for_data_dir(dir.path(), url);
        config.db_pool_size = 4;
        tweak(&mut config);
        let mail = Arc::new(Mutex::new(Vec::new()));
        let transport = transport.unwrap_or_else(|| Transport::Memory(mail.clone()));
        let state = AppState::build(config, transport, Some(cheap_hasher())).expect("state");
        Self::start(state, dir, mail, pg)
    }

    /// A second instance on the same database with the same keys, as behind a load balancer.
    pub async fn sibling(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = (*self.state.config).clone();
        let mail = Arc::new(Mutex::new(Vec::new()));
        let state = AppState::build(
            config,
            Transport::Memory(mail.clone()),
            Some(cheap_hasher()),
        )
        .expect("state");
        Self::start(state, dir, mail, None)
    }

    /// Opens an event stream (Server-Sent Events) as `user`, or without sign-in.
    pub async fn events(&self, path: &str, user: Option<&User>) -> sse::Events {
        let mut req = self
            .client()
            .get(self.url(path))
            .timeout(std::time::Duration::from_secs(3600));
        if let Some(u) = user {
            req = req.bearer_auth(&u.token);
        }
        let res = req.send().await.expect("event stream");
        assert_eq!(res.status(), 200, "event stream {path}");
        sse::Events::new(res)
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

    /// Runs the outbox dispatcher until nothing is due and returns every mail sent so far.
    pub async fn deliver_mail(&self) -> Vec<SentMail> {
        // Reset and verification mails are queued after the answer; wait for them first.
        self.state.background.settled().await;
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
