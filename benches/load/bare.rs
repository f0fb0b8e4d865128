//! The bare comparison server: plain actix-web and diesel r2d2 on the same database the harness
//! seeded, doing the same work as Jury for four requests and nothing else — no middleware, no
//! logging, no metrics, no compression. The harness runs it as a child process (its own binary
//! re-executed with `JURY_BARE_BIND`), so every run prints Jury's ratio to it.
//!
//! - `GET /me`: verify the JWT (HS256, issuer, audience, expiry), one query for the user row and
//!   whether the token's session is open, the user as JSON.
//! - `GET /healthz`: a constant JSON body.
//! - `GET /me/assignments`: the same check, then the judge queue's two queries (started rounds,
//!   the three-table join), the same per-judge order and JSON fields.
//! - `PUT /assignments/{id}/review`: the same check, then one write transaction (IMMEDIATE on
//!   SQLite): the assignment is the judge's, the round accepts reviews, the rubric keys and
//!   scales, the stored review merged with the new scores, update (or insert), the row back.

use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use jury::db::schema::{refresh_tokens as rt, users};
use serde::{Deserialize, Serialize};

use crate::bare_work::{ReviewInput, queue_of, save_tx};

#[derive(diesel::MultiConnection)]
pub enum Conn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

struct Bare {
    pool: Pool<ConnectionManager<Conn>>,
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    role: String,
    ver: i32,
    sid: String,
}

type Res = Result<HttpResponse, Fail>;

/// A refusal with its status (sendable from the blocking pool, unlike `actix_web::Error`).
#[derive(Debug)]
pub struct Fail(u16, String);

impl Fail {
    pub fn of<E: std::fmt::Display>(status: u16) -> impl Fn(E) -> Fail {
        move |e| Fail(status, e.to_string())
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

impl actix_web::ResponseError for Fail {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(self.0)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

pub fn e500(e: impl std::fmt::Display) -> Fail {
    Fail(500, e.to_string())
}

pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The JWT and the one query that checks user and session; the user row on success.
type UserRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

fn authenticate(b: &Bare, c: &mut Conn, req_token: &str) -> Result<UserRow, Fail> {
    let claims = jsonwebtoken::decode::<Claims>(req_token, &b.key, &b.validation)
        .map_err(Fail::of(401))?
        .claims;
    let id: i64 = claims.sub.parse().map_err(Fail::of(401))?;
    let open = diesel::dsl::exists(
        rt::table
            .filter(rt::family.eq(claims.sid))
            .filter(rt::user_id.eq(id))
            .filter(rt::revoked_at.is_null())
            .filter(rt::expires_at.gt(now())),
    );
    let (row, open, disabled, ver): (UserRow, bool, Option<chrono::NaiveDateTime>, i32) =
        users::table
            .find(id)
            .select((
                (
                    users::id,
                    users::email,
                    users::name,
                    users::role,
                    users::locale,
                    users::verified_at,
                    users::created_at,
                ),
                open,
                users::disabled_at,
                users::token_version,
            ))
            .first(c)
            .map_err(Fail::of(401))?;
    if !open || disabled.is_some() || ver != claims.ver || row.3 != claims.role {
        return Err(Fail::of(401)("token"));
    }
    Ok(row)
}

fn token(req: &HttpRequest) -> Result<String, Fail> {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
        .ok_or_else(|| Fail::of(401)("no token"))
}

async fn blocking<T: Send + 'static>(
    b: web::Data<Bare>,
    f: impl FnOnce(&Bare, &mut Conn) -> Result<T, Fail> + Send + 'static,
) -> Result<T, Fail> {
    web::block(move || {
        let mut c = b.pool.get().map_err(e500)?;
        f(&b, &mut c)
    })
    .await
    .map_err(e500)?
}

#[derive(Serialize)]
struct Me {
    id: i64,
    email: String,
    name: String,
    role: String,
    locale: String,
    verified: bool,
    created_at: chrono::DateTime<chrono::Utc>,
}

async fn me(b: web::Data<Bare>, req: HttpRequest) -> Res {
    let t = token(&req)?;
    let u = blocking(b, move |b, c| authenticate(b, c, &t)).await?;
    Ok(HttpResponse::Ok().json(Me {
        id: u.0,
        email: u.1,
        name: u.2,
        role: u.3,
        locale: u.4,
        verified: u.5.is_some(),
        created_at: u.6.and_utc(),
    }))
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

async fn queue(b: web::Data<Bare>, req: HttpRequest) -> Res {
    let t = token(&req)?;
    let q = blocking(b, move |b, c| {
        let u = authenticate(b, c, &t)?;
        queue_of(c, u.0).map_err(e500)
    })
    .await?;
    Ok(HttpResponse::Ok().json(q))
}

async fn save(
    b: web::Data<Bare>,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ReviewInput>,
) -> Res {
    let t = token(&req)?;
    let (id, input) = (id.into_inner(), body.into_inner());
    let saved = blocking(b, move |b, c| {
        let judge = authenticate(b, c, &t)?.0;
        let begin = if matches!(c, Conn::Sqlite(_)) {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        c.batch_execute(begin).map_err(e500)?;
        let out = save_tx(c, judge, id, input);
        c.batch_execute(if out.is_ok() { "COMMIT" } else { "ROLLBACK" })
            .map_err(e500)?;
        out
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[derive(Debug)]
struct Pragmas;

impl diesel::r2d2::CustomizeConnection<Conn, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, c: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        if matches!(c, Conn::Sqlite(_)) {
            // What any SQLite server under concurrent writes sets (Jury sets the same).
            c.batch_execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Runs the bare server until killed (called from `main` when `JURY_BARE_BIND` is set).
pub fn serve(bind: &str, database_url: &str, secret: &str) -> std::io::Result<()> {
    let url = database_url
        .strip_prefix("sqlite://")
        .unwrap_or(database_url);
    let pool = Pool::builder()
        .max_size(10)
        .connection_customizer(Box::new(Pragmas))
        .connection_timeout(Duration::from_secs(3))
        .build(ConnectionManager::<Conn>::new(url))
        .map_err(std::io::Error::other)?;
    // jsonwebtoken is built without a crypto backend; Jury's keys install its HS256 provider
    // (HMAC-SHA-256 from RustCrypto) for the process, the same code Jury verifies with.
    let _ = jury::auth::jwt::Keys::new(secret.as_bytes(), 900);
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_issuer(&["jury"]);
    validation.set_audience(&["jury-api"]);
    let bare = web::Data::new(Bare {
        pool,
        key: jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        validation,
    });
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(bare.clone())
                .route("/healthz", web::get().to(healthz))
                .route("/api/v1/me", web::get().to(me))
                .route("/api/v1/me/assignments", web::get().to(queue))
                .route("/api/v1/assignments/{id}/review", web::put().to(save))
        })
        .tcp_nodelay(true)
        .worker_max_blocking_threads(12)
        .bind(bind)?
        .run()
        .await
    })
}
