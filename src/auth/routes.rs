//! The auth routes and handlers: extract the request, call one use case, map the answer.

use super::{AuthUser, api, device, model, service, two_factor};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{
    Accepted, EmailRequest, LoginRequest, LogoutRequest, Me, RegisterRequest, ResetRequest,
    SessionResponse, SetupQuery, SetupRequest, SetupStatus, TokenRequest, UpdateMe,
};
use super::issue::Session;
use super::service::LoginOutcome;
use crate::error::{AppError, ErrorBody, ErrorCode};
use crate::state::AppState;
use crate::web::ratelimit::Action;

pub const REFRESH_COOKIE: &str = "jury_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";
/// The refresh endpoint acts on a cookie, so it demands a header a cross-site form or image
/// cannot send: a forged request fails even where SameSite is not enforced.
pub const CSRF_HEADER: &str = "x-jury-csrf";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login))
        .route("/auth/refresh", web::post().to(refresh))
        .route("/auth/logout", web::post().to(logout))
        .route("/me", web::get().to(get_me))
        .route("/me", web::patch().to(patch_me))
        .route("/setup/status", web::get().to(setup_status))
        .route("/setup", web::post().to(setup))
        .route("/auth/register", web::post().to(register))
        .route("/auth/verify-email", web::post().to(verify_email))
        .route(
            "/auth/verify-email/resend",
            web::post().to(resend_verification),
        )
        .route("/auth/password/forgot", web::post().to(forgot_password))
        .route("/auth/password/reset", web::post().to(reset_password))
        .configure(two_factor::routes);
}

fn refresh_cookie(state: &AppState, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

/// A session as an HTTP response with its refresh cookie (for other domains' sign-in flows).
pub fn session_http(
    state: &AppState,
    session: Session,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    session_response(state, session, status)
}

fn session_response(
    state: &AppState,
    session: Session,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(refresh_cookie(
            state,
            session.refresh_token,
            state.config.refresh_ttl_secs,
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionResponse {
            access_token: session.access_token,
            token_type: "Bearer",
            expires_in: session.expires_in,
            user: session.user,
        })
}

fn cookie_value(req: &HttpRequest) -> Option<String> {
    req.cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// Sign in with email and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = api::LoginAnswer, description = "Signed in; sets the refresh cookie and the known-device cookie \
            (which lets this browser past the wait that other clients' failures put on the address). \
            For an account with two-factor sign-in the answer is a TwoFactorChallenge instead \
            (no cookie, no token): finish with POST /api/v1/auth/login/2fa"),
        (status = 401, body = ErrorBody, description = "invalid_credentials (same for unknown email)"),
        (status = 403, body = ErrorBody, description = "account_disabled"),
        (status = 429, body = ErrorBody, description = "rate_limited: too many attempts from this client, or waiting after failures for this address from this client, or from all clients (not for a known device); see Retry-After")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let email = model::normalize_email(&body.email);
    state.limits.check(&req, Action::Login, Some(&email))?;
    let known_device = device::is_known(&state, &req, &email);
    state.limits.login_gate(&req, &email, known_device)?;
    // A right password (with or without a second step to come) clears this client's count.
    let result = service::login(&state, body.into_inner()).await;
    state.limits.login_outcome(&req, &email, &result);
    let mut res = match result? {
        LoginOutcome::Session(session) => {
            session_response(&state, session, actix_web::http::StatusCode::OK)
        }
        LoginOutcome::TwoFactor(challenge) => two_factor::challenge_response(challenge),
    };
    // The password was right: this browser may pass the address-wide wait from now on.
    res.add_cookie(&device::cookie(&state, &email))
        .map_err(AppError::internal)?;
    Ok(res)
}

/// Exchange the refresh cookie for a new access token; the cookie rotates.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    params(("X-Jury-CSRF" = String, Header, description = "any value; proves a same-origin script")),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody, description = "invalid_token")))]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if !req.headers().contains_key(CSRF_HEADER) {
        return Err(AppError::bad_request(
            ErrorCode::CsrfHeaderMissing,
            "send the X-Jury-CSRF header",
        ));
    }
    match service::refresh(&state, cookie_value(&req)).await {
        Ok(session) => Ok(session_response(
            &state,
            session,
            actix_web::http::StatusCode::OK,
        )),
        Err(AppError::InvalidToken) => {
            let mut res = actix_web::ResponseError::error_response(&AppError::InvalidToken);
            let _ = res.add_removal_cookie(&refresh_cookie(&state, String::new(), 0));
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

/// Sign out this device, or with `all: true` every device.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = LogoutRequest,
    security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: Option<web::Json<LogoutRequest>>,
) -> Result<HttpResponse, AppError> {
    let all = body.map(|b| b.all).unwrap_or(false);
    service::logout(&state, &user, cookie_value(&req), all).await?;
    let mut res = HttpResponse::NoContent().finish();
    let _ = res.add_removal_cookie(&refresh_cookie(&state, String::new(), 0));
    Ok(res)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn get_me(user: AuthUser) -> web::Json<Me> {
    web::Json(service::me(&user))
}

/// Change name, language or password. A password change signs out every other device unless
/// `end_other_sessions` is `false`; then this device gets a fresh session (and cookie).
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), request_body = UpdateMe,
    responses((status = 200, body = api::MeUpdated, description = "Me, or a SessionResponse after a password change that ended the other sessions"),
        (status = 422, body = ErrorBody)))]
pub async fn patch_me(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<UpdateMe>,
) -> Result<HttpResponse, AppError> {
    match service::update_me(&state, &user, body.into_inner()).await? {
        (_, Some(session)) => Ok(session_response(
            &state,
            session,
            actix_web::http::StatusCode::OK,
        )),
        (me, None) => Ok(HttpResponse::Ok().json(me)),
    }
}

/// Whether a first-admin setup token is still usable.
#[utoipa::path(get, path = "/api/v1/setup/status", tag = "auth", params(SetupQuery),
    responses((status = 200, body = SetupStatus)))]
pub async fn setup_status(
    state: web::Data<AppState>,
    query: web::Query<SetupQuery>,
) -> Result<web::Json<SetupStatus>, AppError> {
    let valid = service::setup_status(&state, query.into_inner().token).await?;
    Ok(web::Json(SetupStatus { valid }))
}

/// Create the first administrator with the one-time setup link printed at start-up.
#[utoipa::path(post, path = "/api/v1/setup", tag = "auth", request_body = SetupRequest,
    responses((status = 201, body = SessionResponse), (status = 400, body = ErrorBody, description = "invalid_setup_token"),
        (status = 409, body = ErrorBody, description = "setup_complete"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<SetupRequest>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, Action::Setup, None)?;
    let session = service::setup(&state, body.into_inner()).await?;
    Ok(session_response(
        &state,
        session,
        actix_web::http::StatusCode::CREATED,
    ))
}

fn accepted() -> HttpResponse {
    HttpResponse::Accepted().json(Accepted {
        status: "check_your_email",
    })
}

/// Register as an applicant. The answer is the same for a new and a taken address; the
/// mailbox gets either a verification link or a note that the account exists.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let email = model::normalize_email(&b.email);
    state.limits.check(&req, Action::Register, Some(&email))?;
    super::register::register(
        &state,
        super::register::Registration {
            email: b.email,
            password: b.password,
            name: b.name,
            locale: b.locale,
        },
    )
    .await?;
    Ok(accepted())
}

/// Confirm an email address with the emailed link; signs the user in.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = SessionResponse), (status = 400, body = ErrorBody, description = "invalid_verification_token")))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let session = super::register::verify_email(&state, body.into_inner().token).await?;
    Ok(session_response(
        &state,
        session,
        actix_web::http::StatusCode::OK,
    ))
}

/// Send the verification link again (at most once a minute; same answer for any address).
#[utoipa::path(post, path = "/api/v1/auth/verify-email/resend", tag = "auth", request_body = EmailRequest,
    responses((status = 202, body = Accepted), (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn resend_verification(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<EmailRequest>,
) -> Result<HttpResponse, AppError> {
    let email = model::normalize_email(&body.email);
    state
        .limits
        .check(&req, Action::VerifyResend, Some(&email))?;
    super::register::resend_verification(&state, body.into_inner().email);
    Ok(accepted())
}

/// Ask for a password reset link (same answer for any address).
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = EmailRequest,
    responses((status = 202, body = Accepted), (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn forgot_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<EmailRequest>,
) -> Result<HttpResponse, AppError> {
    let email = model::normalize_email(&body.email);
    state
        .limits
        .check(&req, Action::PasswordForgot, Some(&email))?;
    super::register::forgot_password(&state, body.into_inner().email);
    Ok(accepted())
}

/// Set a new password with the emailed link; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = ResetRequest,
    responses((status = 204), (status = 400, body = ErrorBody, description = "invalid_reset_token"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn reset_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, Action::PasswordReset, None)?;
    let b = body.into_inner();
    super::register::reset_password(&state, b.token, b.password).await?;
    Ok(HttpResponse::NoContent().finish())
}
