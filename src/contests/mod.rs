//! Contest editions: public listing, and administration of names, tracks, window and rules.

pub mod api;
pub mod model;
pub mod service;

use actix_web::{HttpResponse, web};

use crate::auth::{Admin, AuthUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use api::{Contest, ContestInput, ContestPatch};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests", web::get().to(list))
        .route("/contests", web::post().to(create))
        .route("/contests/{id}", web::get().to(get))
        .route("/contests/{id}", web::patch().to(update));
}

/// Published contests (administrators also see unpublished ones).
#[utoipa::path(get, path = "/api/v1/contests", tag = "contests", responses((status = 200, body = [Contest])))]
pub async fn list(
    state: web::Data<AppState>,
    viewer: Option<AuthUser>,
) -> Result<web::Json<Vec<Contest>>, AppError> {
    Ok(web::Json(service::list(&state, viewer.as_ref()).await?))
}

/// One contest.
#[utoipa::path(get, path = "/api/v1/contests/{id}", tag = "contests",
    responses((status = 200, body = Contest), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    viewer: Option<AuthUser>,
    id: web::Path<i64>,
) -> Result<web::Json<Contest>, AppError> {
    Ok(web::Json(
        service::get(&state, viewer.as_ref(), id.into_inner()).await?,
    ))
}

/// Create a contest edition (admin).
#[utoipa::path(post, path = "/api/v1/contests", tag = "contests", request_body = ContestInput, security(("bearer" = [])),
    responses((status = 201, body = Contest), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<ContestInput>,
) -> Result<HttpResponse, AppError> {
    let contest = service::create(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(contest))
}

/// Change a contest edition (admin). Removing a track that applications use answers 409.
#[utoipa::path(patch, path = "/api/v1/contests/{id}", tag = "contests", request_body = ContestPatch, security(("bearer" = [])),
    responses((status = 200, body = Contest), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<ContestPatch>,
) -> Result<web::Json<Contest>, AppError> {
    Ok(web::Json(
        service::update(&state, &admin, id.into_inner(), body.into_inner()).await?,
    ))
}
