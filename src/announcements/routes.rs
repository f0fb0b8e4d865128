//! The announcements routes and handlers: extract the request, call one use case, map the answer.

use actix_web::{HttpResponse, web};

use super::api::{Announcement, AnnouncementInput, Preview, Sent};
use super::service;
use crate::auth::Admin;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/announcements", web::get().to(list))
        .route("/contests/{id}/announcements", web::post().to(send))
        .route(
            "/contests/{id}/announcements/preview",
            web::post().to(preview),
        );
}

/// How many people an announcement would reach, by language, and the mail each language gets
/// (admin). Sends nothing.
#[utoipa::path(post, path = "/api/v1/contests/{id}/announcements/preview", tag = "announcements",
    security(("bearer" = [])), request_body = AnnouncementInput,
    responses((status = 200, body = Preview), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`fields`: `subject.*`/`body.*` `too_long`; `track` `unknown_track`; `round_id` `required`; `result` `not_published`")))]
pub async fn preview(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
    body: web::Json<AnnouncementInput>,
) -> Result<web::Json<Preview>, AppError> {
    Ok(web::Json(
        service::preview(&state, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Send an announcement: one mail per person through the outbox, in their language (admin).
#[utoipa::path(post, path = "/api/v1/contests/{id}/announcements", tag = "announcements",
    security(("bearer" = [])), request_body = AnnouncementInput,
    responses((status = 201, body = Sent), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "as the preview, `subject.en`/`body.en` `required`, and `audience` `no_recipients`")))]
pub async fn send(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<AnnouncementInput>,
) -> Result<HttpResponse, AppError> {
    let sent = service::send(&state, &admin, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(sent))
}

/// The contest's announcements, newest first (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/announcements", tag = "announcements",
    security(("bearer" = [])), responses((status = 200, body = [Announcement]), (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Announcement>>, AppError> {
    Ok(web::Json(service::list(&state, id.into_inner()).await?))
}
