//! The reviews routes and handlers: extract the request, call one use case, map the answer.

use super::service;
use actix_web::web;

use super::api::{Review, ReviewInput};
use crate::auth::JudgeToken;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/assignments/{id}/review", web::get().to(get))
        .route("/assignments/{id}/review", web::put().to(put))
        .route("/assignments/{id}/review/submit", web::post().to(submit));
}

/// The judge's review of this assignment (`status: none` before the first save).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/review", tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    judge: JudgeToken,
    id: web::Path<i64>,
) -> Result<web::Json<Review>, AppError> {
    Ok(web::Json(
        service::get(&state, judge, id.into_inner()).await?,
    ))
}

/// Save scores and comments (autosave). Scores outside the scale answer 422.
#[utoipa::path(put, path = "/api/v1/assignments/{id}/review", tag = "reviews", security(("bearer" = [])),
    request_body = ReviewInput,
    responses((status = 200, body = Review), (status = 409, body = ErrorBody, description = "round_closed, edit_conflict"), (status = 422, body = ErrorBody)))]
pub async fn put(
    state: web::Data<AppState>,
    judge: JudgeToken,
    id: web::Path<i64>,
    body: web::Json<ReviewInput>,
) -> Result<web::Json<Review>, AppError> {
    Ok(web::Json(
        service::save(&state, judge, id.into_inner(), body.into_inner(), false).await?,
    ))
}

/// Submit the review; every criterion must be scored (422 names the missing ones).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/review/submit", tag = "reviews", security(("bearer" = [])),
    request_body = ReviewInput, responses((status = 200, body = Review), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    state: web::Data<AppState>,
    judge: JudgeToken,
    id: web::Path<i64>,
    body: Option<web::Json<ReviewInput>>,
) -> Result<web::Json<Review>, AppError> {
    let input = body.map(|b| b.into_inner()).unwrap_or_default();
    Ok(web::Json(
        service::save(&state, judge, id.into_inner(), input, true).await?,
    ))
}
