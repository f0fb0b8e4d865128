//! The routes of the day's sign-in links: the administrator's issue, list and revoke, and the
//! public sign-in that spends a link.

use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{DayLinkSignIn, DayLinkStatus, IssueDayLinks, IssuedDayLinks, JudgeDayLink};
use super::service;
use crate::auth::extract::Admin;
use crate::auth::service::LoginOutcome;
use crate::auth::{api, device, two_factor};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use crate::web::ratelimit::Action;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/day-links", web::get().to(list))
        .route("/contests/{id}/day-links", web::post().to(issue))
        .route("/day-links/{id}/revoke", web::post().to(revoke))
        .route("/auth/day-link", web::post().to(sign_in));
}

/// Issue one-time sign-in links for judges of the contest: those listed and/or every judge
/// assigned in a round (admin). Each earlier unused link of those judges is revoked. The
/// answer is the only place the links' secrets appear.
#[utoipa::path(post, path = "/api/v1/contests/{id}/day-links", tag = "auth",
    security(("bearer" = [])), params(("id" = i64, Path, description = "contest id")),
    request_body = IssueDayLinks,
    responses((status = 201, body = IssuedDayLinks), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`judge_ids` `required` or `not_a_judge`; `valid_minutes` `out_of_range`")))]
pub async fn issue(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<IssueDayLinks>,
) -> Result<HttpResponse, AppError> {
    let links = service::issue(&state, admin.id, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(IssuedDayLinks { links }))
}

/// The contest's judges and the state of each one's newest sign-in link (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/day-links", tag = "auth",
    security(("bearer" = [])), params(("id" = i64, Path, description = "contest id")),
    responses((status = 200, body = [JudgeDayLink]), (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<JudgeDayLink>>, AppError> {
    Ok(web::Json(service::list(&state, id.into_inner()).await?))
}

/// Revoke a sign-in link that was not used yet (admin).
#[utoipa::path(post, path = "/api/v1/day-links/{id}/revoke", tag = "auth",
    security(("bearer" = [])), params(("id" = i64, Path, description = "link id")),
    responses((status = 200, body = DayLinkStatus), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`invalid_transition`: already used or revoked")))]
pub async fn revoke(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<DayLinkStatus>, AppError> {
    Ok(web::Json(
        service::revoke(&state, admin.id, id.into_inner()).await?,
    ))
}

/// Sign in with a one-time link of the day. Like a password sign-in, it sets the refresh and
/// known-device cookies, or answers a TwoFactorChallenge for an account with two-factor.
#[utoipa::path(post, path = "/api/v1/auth/day-link", tag = "auth", request_body = DayLinkSignIn,
    responses((status = 200, body = api::LoginAnswer),
        (status = 400, body = ErrorBody, description = "`invalid_day_link`: unknown, used, revoked, expired, or for another contest"),
        (status = 403, body = ErrorBody, description = "account_disabled"),
        (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<DayLinkSignIn>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, Action::DayLink, None)?;
    let (outcome, email) = service::sign_in(&state, body.into_inner()).await?;
    let mut res = match outcome {
        LoginOutcome::Session(session) => {
            crate::auth::session_http(&state, session, actix_web::http::StatusCode::OK)
        }
        LoginOutcome::TwoFactor(challenge) => two_factor::challenge_response(challenge),
    };
    // The link stood in for the password: this browser is a known device for the address.
    res.add_cookie(&device::cookie(&state, &email))
        .map_err(AppError::internal)?;
    Ok(res)
}
