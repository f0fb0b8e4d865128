//! Shared pieces of the HTTP benchmarks: seeding, an in-process server, a load driver.
#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use jury::AppState;
use jury::db::schema::{applications, contests, users};

pub const PASSWORD: &str = "benchmark password";

pub fn cheap_hasher() -> jury::auth::password::Hasher {
    let params = argon2::Params::new(1024, 1, 1, None).expect("params");
    jury::auth::password::Hasher::with_params(2, params).expect("hasher")
}

pub struct ScratchPg {
    pub url: String,
    admin: String,
    name: String,
}

impl Drop for ScratchPg {
    fn drop(&mut self) {
        use diesel::connection::SimpleConnection;
        if let Ok(mut c) = jury::db::connect_pg(&self.admin) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub fn scratch_postgres() -> Option<ScratchPg> {
    use diesel::connection::SimpleConnection;
    let admin = std::env::var("JURY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut c = jury::db::connect_pg(&admin).ok()?;
    let name = format!("jury_bench_{}", &jury::auth::tokens::random_token()[..12]);
    c.batch_execute(&format!("CREATE DATABASE {name}")).ok()?;
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string())?;
    Some(ScratchPg {
        url: format!("{base}/{name}"),
        admin,
        name,
    })
}

pub struct Seeded {
    pub contest: i64,
    pub admin_email: String,
    pub first_applicant_email: String,
    pub first_application: i64,
}

const TRACKS: [&str; 6] = ["ai", "robotics", "bio", "energy", "culture", "deeptech"];

/// A contest with `n` applicants, each with a filled-in application (a mix of drafts and
/// submissions, Korean, Chinese and English names).
pub async fn seed_applications(state: &AppState, n: usize) -> Seeded {
    let hash = state.hasher.hash(PASSWORD.into()).await.expect("hash");
    jury::db::write(&state.db, move |c| {
        let t = jury::db::now();
        let tracks: Vec<serde_json::Value> = TRACKS
            .iter()
            .map(|k| serde_json::json!({"key": k, "name": {"en": k.to_uppercase()}}))
            .collect();
        let contest: i64 = diesel::insert_into(contests::table)
            .values((
                contests::slug.eq("gsc-2026"),
                contests::name.eq(r#"{"en":"Global Start-up Contest 2026","ko":"글로벌 스타트업 콘테스트 2026","zh":"2026 全球创业大赛"}"#),
                contests::description.eq("{}"),
                contests::timezone.eq("Asia/Seoul"),
                contests::tracks.eq(serde_json::Value::from(tracks).to_string()),
                contests::opens_at.eq(t - chrono::Duration::days(10)),
                contests::closes_at.eq(t + chrono::Duration::days(10)),
                contests::eligibility.eq("{}"),
                contests::published.eq(true),
                contests::created_at.eq(t),
                contests::updated_at.eq(t),
            ))
            .returning(contests::id)
            .get_result(c)?;
        let user = |c: &mut jury::db::DbConn, email: &str, role: &str, name: &str| -> Result<i64, jury::error::AppError> {
            Ok(diesel::insert_into(users::table)
                .values((
                    users::email.eq(email),
                    users::password_hash.eq(&hash),
                    users::name.eq(name),
                    users::locale.eq("en"),
                    users::role.eq(role),
                    users::verified_at.eq(Some(t)),
                    users::token_version.eq(0),
                    users::created_at.eq(t),
                    users::updated_at.eq(t),
                ))
                .returning(users::id)
                .get_result(c)?)
        };
        user(c, "admin@bench.test", "admin", "Bench Admin")?;
        let mut first = 0;
        for i in 0..n {
            let uid = user(c, &format!("founder{i}@bench.test"), "applicant", &format!("Founder {i}"))?;
            let (native, country) = match i % 3 {
                0 => (format!("스타트업 {i}"), "KR"),
                1 => (format!("创业公司 {i}"), "CN"),
                _ => (format!("Startup {i}"), "SG"),
            };
            let id: i64 = diesel::insert_into(applications::table)
                .values((
                    applications::contest_id.eq(contest),
                    applications::applicant_id.eq(uid),
                    applications::status.eq(if i % 4 == 0 { "draft" } else { "submitted" }),
                    applications::company_name.eq(format!("Startup {i}")),
                    applications::company_name_native.eq(native),
                    applications::country.eq(country),
                    applications::city.eq("Suwon"),
                    applications::founded_year.eq(Some(2020 + (i % 6) as i32)),
                    applications::team_size.eq(Some(3 + (i % 40) as i32)),
                    applications::stage.eq("mvp"),
                    applications::track.eq(TRACKS[i % TRACKS.len()]),
                    applications::summary.eq(format!("Startup {i} builds something useful for many people.")),
                    applications::problem.eq("A real problem."),
                    applications::solution.eq("A clever solution."),
                    applications::market.eq("A large market."),
                    applications::team.eq(r#"[{"name":"Kim","role":"CEO","email":""}]"#),
                    applications::created_at.eq(t),
                    applications::updated_at.eq(t),
                ))
                .returning(applications::id)
                .get_result(c)?;
            if i == 0 {
                first = id;
            }
        }
        Ok(Seeded {
            contest,
            admin_email: "admin@bench.test".into(),
            first_applicant_email: "founder0@bench.test".into(),
            first_application: first,
        })
    })
    .await
    .expect("seed")
}

pub struct Server {
    pub url: String,
    pub handle: actix_web::dev::ServerHandle,
}

pub fn serve(state: AppState) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let server = actix_web::HttpServer::new(move || jury::app(state.clone()))
        .workers(2)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    Server { url, handle }
}

pub fn client() -> awc::Client {
    awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish()
}

pub async fn login(client: &awc::Client, base: &str, email: &str) -> String {
    let mut res = client
        .post(format!("{base}/api/v1/auth/login"))
        .send_json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .await
        .expect("login");
    let body: serde_json::Value = res.json().await.expect("login body");
    body["access_token"].as_str().expect("token").to_string()
}

pub struct Stats {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub per_sec: f64,
    pub errors: usize,
}

/// Sends `n` requests from `concurrency` loops and summarises the latencies.
pub async fn drive<F, Fut>(n: usize, concurrency: usize, make: F) -> Stats
where
    F: Fn(usize) -> Fut + Clone,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    let next = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let loops = (0..concurrency).map(|_| {
        let (next, make) = (next.clone(), make.clone());
        async move {
            let mut out = Vec::new();
            loop {
                let i = next.get();
                if i >= n {
                    return out;
                }
                next.set(i + 1);
                let t = Instant::now();
                let ok = make(i).await;
                out.push((t.elapsed(), ok));
            }
        }
    });
    let results: Vec<(Duration, bool)> = futures_util::future::join_all(loops)
        .await
        .into_iter()
        .flatten()
        .collect();
    let elapsed = started.elapsed();
    let errors = results.iter().filter(|(_, ok)| !ok).count();
    let mut lat: Vec<f64> = results
        .iter()
        .map(|(d, _)| d.as_secs_f64() * 1000.0)
        .collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Stats {
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        per_sec: results.len() as f64 / elapsed.as_secs_f64(),
        errors,
    }
}
