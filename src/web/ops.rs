//! The operations endpoints: liveness, readiness and the Prometheus text. They read the whole
//! state, so they sit above it, beside the domains' handlers.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok",
        database: None,
    })
}

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

/// Prometheus metrics in the OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, content_type = "application/openmetrics-text", body = String)))]
pub async fn metrics_endpoint(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let pool = state.db.state();
    let out = state
        .metrics
        .render(pool.connections, pool.idle_connections, state.db.max_size())?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(out))
}
