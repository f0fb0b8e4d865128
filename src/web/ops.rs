//! The operations endpoints: liveness, readiness and the Prometheus text. They read the whole
//! state, so they sit above it, beside the domains' handlers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
}

/// The process is up. The answer never changes, so it is sent from a constant (the same bytes
/// `Health { status: "ok" }` serializes to, checked in the tests) rather than serialized anew
/// for every probe.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(HEALTHY)
}

const HEALTHY: &str = r#"{"status":"ok"}"#;

/// The database answers; 503 otherwise, so a load balancer stops sending traffic here.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses((status = 200, body = Health),
    (status = 503, body = crate::error::ErrorBody, description = "`service_unavailable`: the database does not answer")))]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, AppError> {
    use diesel::connection::SimpleConnection;
    let backend = state.backend;
    db::run(&state.db, |c| Ok(c.batch_execute("SELECT 1")?)).await?;
    Ok(web::Json(Health {
        status: "ok",
        database: Some(backend),
    }))
}

/// Prometheus metrics in the OpenMetrics text format. With `JURY_METRICS_TOKEN` set, only for
/// `Authorization: Bearer <token>`; without it, only for a scraper on this machine.
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, content_type = "application/openmetrics-text", body = String),
        (status = 401, body = crate::error::ErrorBody, description = "`unauthorized`: JURY_METRICS_TOKEN is set and the request does not carry it"),
        (status = 403, body = crate::error::ErrorBody, description = "`forbidden`: no JURY_METRICS_TOKEN, and the request does not come straight from this machine")))]
pub async fn metrics_endpoint(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    may_scrape(&state, &req)?;
    let pool = state.db.state();
    let out = state
        .metrics
        .render(pool.connections, pool.idle_connections, state.db.max_size())?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(out))
}

/// Route names, latencies and pool figures tell an outsider what the server does and how busy
/// it is, so they are not public.
fn may_scrape(state: &AppState, req: &HttpRequest) -> Result<(), AppError> {
    let headers = req.headers();
    match &state.config.metrics_token {
        Some(token) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, t)| t.trim())
                .unwrap_or_default();
            if bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
                Ok(())
            } else {
                Err(AppError::Unauthorized)
            }
        }
        None => {
            // A reverse proxy on this machine makes every client look local; what it forwards
            // carries its forwarding headers, a local scraper's request does not.
            let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"]
                .iter()
                .any(|h| headers.contains_key(*h));
            let local = req
                .peer_addr()
                .is_some_and(|a| a.ip().to_canonical().is_loopback());
            if local && !forwarded {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constant_liveness_answer_is_what_health_serializes_to() {
        let health = Health {
            status: "ok",
            database: None,
        };
        assert_eq!(
            serde_json::to_string(&health).ok().as_deref(),
            Some(HEALTHY)
        );
    }
}
