//! One error type for every request path. Each variant has a stable snake_case code that the
//! frontend translates; internal detail is logged with the request's span, never sent.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Field name → problem code (`required`, `too_long`, …), reported together so a form can mark
/// every bad field at once.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &str) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| code.to_string());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing was added, so validators end with `errors.into_result()?`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("sign in first")]
    Unauthorized,
    #[error("the session has expired")]
    TokenExpired,
    #[error("the token is not valid")]
    InvalidToken,
    #[error("this account is disabled")]
    AccountDisabled,
    /// 401 with a precise code, e.g. `invalid_two_factor_code`.
    #[error("{message}")]
    Denied { code: &'static str, message: String },
    #[error("not allowed")]
    Forbidden,
    /// 403 with a precise code, e.g. `email_not_verified`.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("some fields are not valid")]
    Validation(FieldErrors),
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("too many requests; try again in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// The upload volume is full: the operator has to act; the client can retry later.
    #[error("no space is left for uploads; please try again later")]
    StorageFull(String),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Unauthorized => "unauthorized",
            AppError::TokenExpired => "token_expired",
            AppError::InvalidToken => "invalid_token",
            AppError::AccountDisabled => "account_disabled",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Validation(_) => "validation_failed",
            AppError::MalformedJson(_) => "malformed_json",
            AppError::BadRequest { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Refused { code, .. }
            | AppError::Denied { code, .. } => code,
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::RequestTimeout => "request_timeout",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::StorageFull(_) => "storage_full",
            AppError::Internal(_) => "internal_error",
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    pub fn field(field: &str, code: &str) -> AppError {
        let mut errors = FieldErrors::default();
        errors.add(field, code);
        AppError::Validation(errors)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub error: &'static str,
    /// English explanation for people reading logs or the raw API.
    pub message: String,
    /// For `validation_failed`: field → problem code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::InvalidCredentials
            | AppError::Unauthorized
            | AppError::TokenExpired
            | AppError::InvalidToken
            | AppError::Denied { .. } => StatusCode::UNAUTHORIZED,
            AppError::AccountDisabled | AppError::Forbidden | AppError::Refused { .. } => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::MalformedJson(_) | AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            AppError::Unavailable(detail) | AppError::StorageFull(detail) => {
                tracing::warn!(code = self.code(), %detail, "request failed: unavailable");
                self.to_string()
            }
            AppError::Internal(detail) => {
                tracing::error!(code = self.code(), %detail, "request failed: internal");
                self.to_string()
            }
            _ => self.to_string(),
        };
        let fields = match self {
            AppError::Validation(f) => Some(f.0.clone()),
            _ => None,
        };
        let mut res = HttpResponse::build(self.status_code());
        if let AppError::RateLimited { retry_after } = self {
            res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if matches!(self, AppError::Unavailable(_)) {
            res.insert_header((header::RETRY_AFTER, "5"));
        }
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        res.json(ErrorBody {
            error: self.code(),
            message,
            fields,
        })
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_string())
            }
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // Callers check uniqueness first and map it to a precise code; reaching this
                // means a race lost to a concurrent writer.
                tracing::info!(detail = info.message(), "unique violation");
                AppError::conflict("conflict", "the record was changed by someone else")
            }
            Error::DatabaseError(_, ref info) if is_unavailable_message(info.message()) => {
                AppError::Unavailable(info.message().to_string())
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Driver messages that mean "the database is not there right now" rather than a bug.
fn is_unavailable_message(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    [
        "database is locked",
        "server closed the connection",
        "connection refused",
        "terminating connection",
        "could not connect",
        "no connection to the server",
        "the database system is",
        "unable to open database",
        "disk i/o error",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("blocking task failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn internal_detail_is_not_sent() {
        let res = AppError::Internal("secret table users_x".into()).error_response();
        assert_eq!(res.status(), 500);
        let body = to_bytes(res.into_body()).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("users_x"));
        assert!(text.contains("internal_error"));
    }

    #[actix_web::test]
    async fn validation_lists_fields() {
        let mut f = FieldErrors::default();
        f.add("email", "required");
        f.add("email", "invalid_email");
        let res = AppError::Validation(f).error_response();
        assert_eq!(res.status(), 422);
        let body = to_bytes(res.into_body()).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"], "validation_failed");
        assert_eq!(v["fields"]["email"], "required");
    }
}
