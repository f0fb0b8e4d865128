//! Cross-cutting HTTP pieces: health, readiness, metrics, docs, static files, extractor error
//! mapping and security headers.

pub mod files;
pub mod headers;
pub mod metrics;
pub mod openapi;
pub mod prepared;
pub mod ratelimit;
pub mod slow_body;
pub mod static_files;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::AppState;
use crate::db;
use crate::error::AppError;

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

pub async fn api_not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req: &HttpRequest| json_error(err).into())
}

fn json_error(err: JsonPayloadError) -> AppError {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            AppError::PayloadTooLarge
        }
        JsonPayloadError::ContentType => {
            AppError::UnsupportedMediaType("send application/json".into())
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => AppError::bad_request(
            "invalid_body",
            format!("the body does not match the expected shape: {e}"),
        ),
        JsonPayloadError::Deserialize(e) => AppError::MalformedJson(e.to_string()),
        JsonPayloadError::Payload(e) if slow_body::is_timeout(&e) => AppError::RequestTimeout,
        other => AppError::bad_request("bad_request", other.to_string()),
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _| {
        AppError::bad_request("invalid_query", err.to_string()).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _| {
        AppError::bad_request("invalid_path", err.to_string()).into()
    })
}

/// Prometheus metrics in the OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, content_type = "application/openmetrics-text", body = String)))]
pub async fn metrics_endpoint(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    metrics::endpoint(state).await
}
