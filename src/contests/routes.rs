//! The contests routes and handlers: extract the request, call one use case, map the answer.

use super::{edition, service};
use actix_web::{HttpResponse, web};

use super::api::{Contest, ContestInput, ContestPatch, CopiedEdition, CopyInput};
use crate::auth::{Admin, AuthUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests", web::get().to(list))
        .route("/contests", web::post().to(create))
        .route("/contests/{id}", web::get().to(get))
        .route("/contests/{id}", web::patch().to(update))
        .route("/contests/{id}/archive", web::post().to(archive))
        .route("/contests/{id}/restore", web::post().to(restore))
        .route("/contests/{id}/copy", web::post().to(copy));
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

/// Archive an edition that is over (admin): read-only and listed apart. 409 while the window
/// is open or a round is not closed.
#[utoipa::path(post, path = "/api/v1/contests/{id}/archive", tag = "contests", security(("bearer" = [])),
    responses((status = 200, body = Contest), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn archive(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Contest>, AppError> {
    Ok(web::Json(
        edition::archive(&state, &admin, id.into_inner()).await?,
    ))
}

/// Make an archived edition writable again (admin).
#[utoipa::path(post, path = "/api/v1/contests/{id}/restore", tag = "contests", security(("bearer" = [])),
    responses((status = 200, body = Contest), (status = 404, body = ErrorBody)))]
pub async fn restore(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Contest>, AppError> {
    Ok(web::Json(
        edition::restore(&state, &admin, id.into_inner()).await?,
    ))
}

/// Copy as the next edition (admin): tracks, eligibility, awards and rounds with their
/// rubrics; optionally invites this edition's judges. No application, review or result.
#[utoipa::path(post, path = "/api/v1/contests/{id}/copy", tag = "contests", request_body = CopyInput, security(("bearer" = [])),
    responses((status = 201, body = CopiedEdition), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn copy(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<CopyInput>,
) -> Result<HttpResponse, AppError> {
    let copied = edition::copy(&state, &admin, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(copied))
}
