//! How actix's extractor failures (JSON body, query, path) and unknown API paths turn into
//! the one `AppError` shape, with its stable codes.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, web};

use super::slow_body;
use crate::error::{AppError, ErrorCode};

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
            ErrorCode::InvalidBody,
            format!("the body does not match the expected shape: {e}"),
        ),
        JsonPayloadError::Deserialize(e) => AppError::MalformedJson(e.to_string()),
        JsonPayloadError::Payload(e) if slow_body::is_timeout(&e) => AppError::RequestTimeout,
        other => AppError::bad_request(ErrorCode::BadRequest, other.to_string()),
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _| {
        AppError::bad_request(ErrorCode::InvalidQuery, err.to_string()).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _| {
        AppError::bad_request(ErrorCode::InvalidPath, err.to_string()).into()
    })
}
