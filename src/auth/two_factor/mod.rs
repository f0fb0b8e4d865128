//! Two-factor sign-in (TOTP, RFC 6238) with recovery codes, for judges and administrators:
//! routes under `/api/v1/me/2fa` and the second sign-in step `/api/v1/auth/login/2fa`.

pub mod api;
pub mod login;
pub mod model;
pub mod service;

use actix_web::{HttpResponse, web};

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use api::{
    CodeRequest, DisableRequest, PasswordRequest, RecoveryCodes, RegenerateRequest,
    SecondFactorRequest, SetupResponse, TwoFactorChallenge, TwoFactorStatus,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login/2fa", web::post().to(login_second_step))
        .route("/me/2fa", web::get().to(status))
        .route("/me/2fa/setup", web::post().to(setup))
        .route("/me/2fa/enable", web::post().to(enable))
        .route("/me/2fa/disable", web::post().to(disable))
        .route("/me/2fa/recovery-codes", web::post().to(regenerate));
}

/// The `POST /auth/login` answer for an account with two-factor sign-in: no cookie, no token.
pub fn challenge_response(challenge: TwoFactorChallenge) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(challenge)
}

fn no_store<T: serde::Serialize>(body: T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body)
}

/// Second sign-in step: the challenge from `POST /auth/login` with a code from the
/// authenticator app or a recovery code (each recovery code works once).
#[utoipa::path(post, path = "/api/v1/auth/login/2fa", tag = "auth", request_body = SecondFactorRequest,
    responses((status = 200, body = crate::auth::api::SessionResponse, description = "Signed in; sets the refresh cookie"),
        (status = 401, body = ErrorBody, description = "invalid_two_factor_code (wrong or reused code; the fifth voids the challenge), \
            invalid_two_factor_challenge, two_factor_challenge_expired"),
        (status = 422, body = ErrorBody, description = "neither code nor recovery_code"),
        (status = 429, body = ErrorBody, description = "rate_limited: shares the sign-in quota of this client address")))]
pub async fn login_second_step(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<SecondFactorRequest>,
) -> Result<HttpResponse, AppError> {
    // Five tries per challenge; the client's sign-in quota bounds how many challenges it gets.
    state
        .limits
        .check(&req, crate::web::ratelimit::Action::Login, None)?;
    let session = login::complete_login(&state, body.into_inner()).await?;
    Ok(crate::auth::session_http(
        &state,
        session,
        actix_web::http::StatusCode::OK,
    ))
}

/// Whether two-factor sign-in is on for the signed-in judge or administrator.
#[utoipa::path(get, path = "/api/v1/me/2fa", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TwoFactorStatus), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "two_factor_not_available (applicants)")))]
pub async fn status(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<TwoFactorStatus>, AppError> {
    Ok(web::Json(service::status(&state, &user).await?))
}

/// Starts enrolment (password required): a new secret, its `otpauth://` URI and QR matrix.
/// Sign-in does not change until `enable` confirms a code.
#[utoipa::path(post, path = "/api/v1/me/2fa/setup", tag = "auth", security(("bearer" = [])), request_body = PasswordRequest,
    responses((status = 200, body = SetupResponse), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "two_factor_not_available (applicants)"),
        (status = 409, body = ErrorBody, description = "two_factor_already_enabled"),
        (status = 422, body = ErrorBody, description = "password: incorrect")))]
pub async fn setup(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<PasswordRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(no_store(
        service::setup(&state, &user, body.into_inner().password).await?,
    ))
}

/// Turns two-factor sign-in on with a first code; answers the ten recovery codes, once.
#[utoipa::path(post, path = "/api/v1/me/2fa/enable", tag = "auth", security(("bearer" = [])), request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "two_factor_not_available (applicants)"),
        (status = 409, body = ErrorBody, description = "two_factor_already_enabled, two_factor_not_set_up"),
        (status = 422, body = ErrorBody, description = "code: invalid_code")))]
pub async fn enable(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CodeRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(no_store(
        service::enable(&state, &user, body.into_inner().code).await?,
    ))
}

/// Turns two-factor sign-in off: password and a code or a recovery code.
#[utoipa::path(post, path = "/api/v1/me/2fa/disable", tag = "auth", security(("bearer" = [])), request_body = DisableRequest,
    responses((status = 204), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "two_factor_not_available (applicants)"),
        (status = 409, body = ErrorBody, description = "two_factor_not_enabled"),
        (status = 422, body = ErrorBody, description = "password: incorrect, code: required | invalid_code")))]
pub async fn disable(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DisableRequest>,
) -> Result<HttpResponse, AppError> {
    service::disable(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replaces the recovery codes (password and a current code); the old ones stop working.
#[utoipa::path(post, path = "/api/v1/me/2fa/recovery-codes", tag = "auth", security(("bearer" = [])), request_body = RegenerateRequest,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "two_factor_not_available (applicants)"),
        (status = 409, body = ErrorBody, description = "two_factor_not_enabled"),
        (status = 422, body = ErrorBody, description = "password: incorrect, code: invalid_code")))]
pub async fn regenerate(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<RegenerateRequest>,
) -> Result<HttpResponse, AppError> {
    Ok(no_store(
        service::regenerate(&state, &user, body.into_inner()).await?,
    ))
}
