//! The rounds routes and handlers: extract the request, call one use case, map the answer.

use super::service;
use actix_web::{HttpResponse, web};

use super::api::{Progress, Reminders, Round, RoundInput, Rubric, Transition};
use crate::auth::{Admin, AuthUser, Staff};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/rounds", web::post().to(create))
        .route("/contests/{id}/rounds", web::get().to(list))
        .route("/rounds/{id}", web::get().to(get))
        .route("/rounds/{id}", web::patch().to(update))
        .route("/rounds/{id}/transition", web::post().to(transition))
        .route("/rounds/{id}/rubric", web::get().to(get_rubric))
        .route("/rounds/{id}/rubric", web::put().to(put_rubric))
        .route("/rounds/{id}/progress", web::get().to(progress))
        .route("/rounds/{id}/reminders", web::post().to(remind));
}

/// Add a round to a contest (admin); it starts in `setup`.
#[utoipa::path(post, path = "/api/v1/contests/{id}/rounds", tag = "rounds", security(("bearer" = [])),
    request_body = RoundInput, responses((status = 201, body = Round), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<RoundInput>,
) -> Result<HttpResponse, AppError> {
    let round = service::create(&state, &admin, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(round))
}

/// The rounds of a contest, in order (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/rounds", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = [Round])))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Round>>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Contest(*id)).await?;
    let scope = crate::scope::Scope::of(&staff);
    let rounds = service::list(&state, id.into_inner()).await?;
    Ok(web::Json(
        rounds
            .into_iter()
            .filter(|r| scope.reaches(r.organisation_id))
            .collect(),
    ))
}

/// One round (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = Round), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Round>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(service::get(&state, id.into_inner()).await?))
}

/// Change a round's settings (admin).
#[utoipa::path(patch, path = "/api/v1/rounds/{id}", tag = "rounds", security(("bearer" = [])),
    request_body = RoundInput, responses((status = 200, body = Round), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<RoundInput>,
) -> Result<web::Json<Round>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        service::update(&state, &staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Move the round to `judging` or `closed` (admin).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/transition", tag = "rounds", security(("bearer" = [])),
    request_body = Transition,
    responses((status = 200, body = Round), (status = 409, body = ErrorBody, description = "no_rubric, no_entries, unfinished_reviews, invalid_transition")))]
pub async fn transition(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<Transition>,
) -> Result<web::Json<Round>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        service::transition(&state, &staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// The round's rubric (admins, and judges assigned in the round).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/rubric", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = Rubric), (status = 404, body = ErrorBody)))]
pub async fn get_rubric(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Rubric>, AppError> {
    Ok(web::Json(
        service::rubric(&state, &user, id.into_inner()).await?,
    ))
}

/// Replace the rubric (admin); refused with 409 `rubric_frozen` once a review is submitted.
#[utoipa::path(put, path = "/api/v1/rounds/{id}/rubric", tag = "rounds", security(("bearer" = [])),
    request_body = Rubric, responses((status = 200, body = Rubric), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_rubric(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<Rubric>,
) -> Result<web::Json<Rubric>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        service::put_rubric(&state, &staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Completion per judge and per application (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/progress", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = Progress)))]
pub async fn progress(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Progress>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        super::progress::progress(&state, id.into_inner()).await?,
    ))
}

/// Email judges with unfinished reviews (at most once per judge per day).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/reminders", tag = "rounds", security(("bearer" = [])),
    responses((status = 200, body = Reminders), (status = 409, body = ErrorBody)))]
pub async fn remind(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Reminders>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        super::progress::remind(&state, &staff, id.into_inner()).await?,
    ))
}
