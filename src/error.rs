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

/// Declares [`ErrorCode`] and [`ERROR_CODES`] from one list, so the two cannot drift.
macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal;)*) => {
        /// Every stable error code the API can answer with. The compiler keeps the list: a
        /// call site names a variant, and the OpenAPI `ErrorCode` schema is built from it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The snake_case text the client sees in `ErrorBody.error`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The HTTP status this code is always answered with.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)*
                }
            }
        }

        /// `(code, status)` of every [`ErrorCode`], in the order the OpenAPI schema lists them.
        pub const ERROR_CODES: &[(&str, u16)] = &[$(($code, $status),)*];
    };
}

error_codes! {
    AccountDeletionNotAllowed = "account_deletion_not_allowed", 403;
    AccountDisabled = "account_disabled", 403;
    AlreadyAssigned = "already_assigned", 409;
    AlreadyDisqualified = "already_disqualified", 409;
    AlreadyErased = "already_erased", 409;
    AlreadyVoted = "already_voted", 409;
    ApplicationExists = "application_exists", 409;
    ApplicationSubmitted = "application_submitted", 409;
    BadRequest = "bad_request", 400;
    Conflict = "conflict", 409;
    ConflictOfInterest = "conflict_of_interest", 409;
    ContestActive = "contest_active", 409;
    ContestArchived = "contest_archived", 409;
    ContestNotOver = "contest_not_over", 409;
    CsrfHeaderMissing = "csrf_header_missing", 400;
    DemoExists = "demo_exists", 409;
    EditConflict = "edit_conflict", 409;
    EmailNotVerified = "email_not_verified", 403;
    Forbidden = "forbidden", 403;
    InternalError = "internal_error", 500;
    InvalidBody = "invalid_body", 400;
    InvalidCredentials = "invalid_credentials", 401;
    InvalidCsv = "invalid_csv", 400;
    InvalidDayLink = "invalid_day_link", 400;
    InvalidInvitationToken = "invalid_invitation_token", 400;
    InvalidPath = "invalid_path", 400;
    InvalidQuery = "invalid_query", 400;
    InvalidResetToken = "invalid_reset_token", 400;
    InvalidSetupToken = "invalid_setup_token", 400;
    InvalidToken = "invalid_token", 401;
    InvalidTransition = "invalid_transition", 409;
    InvalidTwoFactorChallenge = "invalid_two_factor_challenge", 401;
    InvalidTwoFactorCode = "invalid_two_factor_code", 401;
    InvalidVerificationToken = "invalid_verification_token", 400;
    InvalidVoteLink = "invalid_vote_link", 400;
    JudgeAtCapacity = "judge_at_capacity", 409;
    MalformedJson = "malformed_json", 400;
    NoEntries = "no_entries", 409;
    NobodyAwarded = "nobody_awarded", 409;
    NoRubric = "no_rubric", 409;
    NoTickets = "no_tickets", 409;
    NotEditable = "not_editable", 409;
    NotErasable = "not_erasable", 409;
    NotFailed = "not_failed", 409;
    NotFound = "not_found", 404;
    PanelFull = "panel_full", 409;
    PayloadTooLarge = "payload_too_large", 413;
    PitchNotStarted = "pitch_not_started", 409;
    PreviousRoundOpen = "previous_round_open", 409;
    QuestionAnswered = "question_answered", 409;
    RateLimited = "rate_limited", 429;
    RequestTimeout = "request_timeout", 408;
    ResultsPublished = "results_published", 409;
    ReviewSubmitted = "review_submitted", 409;
    RoundBlind = "round_blind", 403;
    RoundClosed = "round_closed", 409;
    RoundNotClosed = "round_not_closed", 409;
    RoundNotJudging = "round_not_judging", 409;
    RoundNotOpen = "round_not_open", 409;
    RoundPublished = "round_published", 409;
    RoutingFrozen = "routing_frozen", 409;
    RubricFrozen = "rubric_frozen", 409;
    ScoreLocked = "score_locked", 409;
    ServiceUnavailable = "service_unavailable", 503;
    SetupComplete = "setup_complete", 409;
    StorageFull = "storage_full", 507;
    StorageUnavailable = "storage_unavailable", 503;
    TokenExpired = "token_expired", 401;
    TrackInUse = "track_in_use", 409;
    TwoFactorAlreadyEnabled = "two_factor_already_enabled", 409;
    TwoFactorChallengeExpired = "two_factor_challenge_expired", 401;
    TwoFactorNotAvailable = "two_factor_not_available", 403;
    TwoFactorNotEnabled = "two_factor_not_enabled", 409;
    TwoFactorNotSetUp = "two_factor_not_set_up", 409;
    TwoFactorSetupRequired = "two_factor_setup_required", 403;
    Unauthorized = "unauthorized", 401;
    UnfinishedReviews = "unfinished_reviews", 409;
    UnknownTicket = "unknown_ticket", 403;
    UnsupportedMediaType = "unsupported_media_type", 415;
    UploadInterrupted = "upload_interrupted", 400;
    ValidationFailed = "validation_failed", 422;
    VoteNotOpen = "vote_not_open", 409;
    VoteStarted = "vote_started", 409;
    WindowClosed = "window_closed", 409;
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
    Denied { code: ErrorCode, message: String },
    #[error("not allowed")]
    Forbidden,
    /// 403 with a precise code, e.g. `email_not_verified`.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    #[error("not found")]
    NotFound,
    #[error("some fields are not valid")]
    Validation(FieldErrors),
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{message}")]
    BadRequest { code: ErrorCode, message: String },
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    #[error("too many requests; try again in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// The upload volume is full: the operator has to act; the client can retry later.
    #[error("no space is left for uploads; please try again later")]
    StorageFull(String),
    /// The object store holding the uploads cannot be reached; the client can retry later.
    #[error("the file store is temporarily unavailable; please try again shortly")]
    StorageUnavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AppError::Unauthorized => ErrorCode::Unauthorized,
            AppError::TokenExpired => ErrorCode::TokenExpired,
            AppError::InvalidToken => ErrorCode::InvalidToken,
            AppError::AccountDisabled => ErrorCode::AccountDisabled,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::MalformedJson(_) => ErrorCode::MalformedJson,
            AppError::BadRequest { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Refused { code, .. }
            | AppError::Denied { code, .. } => *code,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::RequestTimeout => ErrorCode::RequestTimeout,
            AppError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Unavailable(_) => ErrorCode::ServiceUnavailable,
            AppError::StorageFull(_) => ErrorCode::StorageFull,
            AppError::StorageUnavailable(_) => ErrorCode::StorageUnavailable,
            AppError::Internal(_) => ErrorCode::InternalError,
        }
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> AppError {
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
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            AppError::Unavailable(detail) => {
                // An outage is logged once, when it starts and when it ends (db::DbManager);
                // a line per request would bury everything else while it lasts.
                tracing::debug!(code = self.code().as_str(), %detail, "request failed: unavailable");
                self.to_string()
            }
            AppError::StorageFull(detail) | AppError::StorageUnavailable(detail) => {
                tracing::warn!(code = self.code().as_str(), %detail, "request failed: storage");
                self.to_string()
            }
            AppError::Internal(detail) => {
                tracing::error!(code = self.code().as_str(), %detail, "request failed: internal");
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
        if matches!(
            self,
            AppError::Unavailable(_) | AppError::StorageUnavailable(_)
        ) {
            res.insert_header((header::RETRY_AFTER, "5"));
        }
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        res.json(ErrorBody {
            error: self.code().as_str(),
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
                AppError::conflict(
                    ErrorCode::Conflict,
                    "the record was changed by someone else",
                )
            }
            // PostgreSQL rolled the whole transaction back (a deadlock, a serialization
            // failure): nothing was written, and asking again is the remedy.
            Error::DatabaseError(kind, ref info)
                if matches!(kind, DatabaseErrorKind::SerializationFailure)
                    || info.message().contains("deadlock detected") =>
            {
                tracing::warn!(detail = info.message(), "transaction rolled back; retry");
                AppError::Unavailable(info.message().to_string())
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
