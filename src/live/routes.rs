//! The live routes and handlers: extract the request, call one use case, map the answer.

use actix_web::{HttpResponse, web};

use super::api::{
    Board, DisplayLink, JudgeLive, LiveControl, LiveScore, LiveScoreAnswer, LiveSettings,
    LiveUnlock, Show,
};
use super::stream::{self, Audience};
use super::{scoring, service, views};
use crate::auth::{Admin, Judge};
use crate::db;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rounds/{id}/live", web::get().to(board))
        .route("/rounds/{id}/live", web::put().to(configure))
        .route("/rounds/{id}/live/control", web::post().to(control))
        .route("/rounds/{id}/live/unlock", web::post().to(unlock))
        .route("/rounds/{id}/live/display-link", web::post().to(make_link))
        .route(
            "/rounds/{id}/live/display-link",
            web::delete().to(revoke_link),
        )
        .route("/rounds/{id}/live/events", web::get().to(board_events))
        .route("/me/live/{id}", web::get().to(judge_screen))
        .route("/me/live/{id}/events", web::get().to(judge_events))
        .route("/me/live/{id}/scores/{application}", web::put().to(score))
        .route("/live/display/{token}", web::get().to(display))
        .route(
            "/live/display/{token}/events",
            web::get().to(display_events),
        );
}

/// The organiser's board of a live round (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/live", tag = "live", security(("bearer" = [])),
    responses((status = 200, body = Board), (status = 404, body = ErrorBody)))]
pub async fn board(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Board>, AppError> {
    Ok(web::Json(service::board(&state, id.into_inner()).await?))
}

/// Mark the round live, or change its durations, languages and run-sheet order (admin).
#[utoipa::path(put, path = "/api/v1/rounds/{id}/live", tag = "live", security(("bearer" = [])),
    request_body = LiveSettings,
    responses((status = 200, body = Board), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn configure(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<LiveSettings>,
) -> Result<web::Json<Board>, AppError> {
    Ok(web::Json(
        service::configure(&state, &admin, id.into_inner(), body.into_inner()).await?,
    ))
}

/// One move of the show: start, next, back, pause, resume, reveal, hide (admin, audited).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/live/control", tag = "live", security(("bearer" = [])),
    request_body = LiveControl,
    responses((status = 200, body = Board), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "invalid_transition, round_not_judging"), (status = 422, body = ErrorBody)))]
pub async fn control(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<LiveControl>,
) -> Result<web::Json<Board>, AppError> {
    Ok(web::Json(
        service::control(&state, &admin, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Let one judge score a closed pitch again (admin, audited).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/live/unlock", tag = "live", security(("bearer" = [])),
    request_body = LiveUnlock, responses((status = 200, body = Board), (status = 404, body = ErrorBody)))]
pub async fn unlock(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<LiveUnlock>,
) -> Result<web::Json<Board>, AppError> {
    Ok(web::Json(
        service::unlock(&state, &admin, id.into_inner(), body.into_inner()).await?,
    ))
}

/// A new link for the projector's display; the previous one stops working (admin, audited).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/live/display-link", tag = "live", security(("bearer" = [])),
    responses((status = 201, body = DisplayLink), (status = 404, body = ErrorBody)))]
pub async fn make_link(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let link = service::display_link(&state, &admin, id.into_inner(), true).await?;
    Ok(HttpResponse::Created().json(link))
}

/// Revoke the display link (admin, audited).
#[utoipa::path(delete, path = "/api/v1/rounds/{id}/live/display-link", tag = "live", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_link(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    service::display_link(&state, &admin, id.into_inner(), false).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The board as a stream of snapshots (`text/event-stream`, admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/live/events", tag = "live", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String, description = "each message a Board"), (status = 404, body = ErrorBody)))]
pub async fn board_events(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let round_id = id.into_inner();
    db::run(&state.db, move |c| views::final_of(c, round_id).map(drop)).await?;
    Ok(stream::response(&state, round_id, Audience::Board))
}

/// The judge's live screen: the show, the rubric and their pitches (judge on the panel).
#[utoipa::path(get, path = "/api/v1/me/live/{id}", tag = "live", security(("bearer" = [])),
    responses((status = 200, body = JudgeLive), (status = 404, body = ErrorBody)))]
pub async fn judge_screen(
    state: web::Data<AppState>,
    judge: Judge,
    id: web::Path<i64>,
) -> Result<web::Json<JudgeLive>, AppError> {
    Ok(web::Json(
        scoring::screen(&state, &judge, id.into_inner()).await?,
    ))
}

/// The judge's screen as a stream of snapshots; being connected is the judge's presence.
#[utoipa::path(get, path = "/api/v1/me/live/{id}/events", tag = "live", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String, description = "each message a JudgeLive"), (status = 404, body = ErrorBody)))]
pub async fn judge_events(
    state: web::Data<AppState>,
    judge: Judge,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let round_id = id.into_inner();
    scoring::screen(&state, &judge, round_id).await?;
    Ok(stream::response(
        &state,
        round_id,
        Audience::Judge(judge.id),
    ))
}

/// Score a pitch while it is open; idempotent by `client_id` (a replay answers the same).
#[utoipa::path(put, path = "/api/v1/me/live/{id}/scores/{application}", tag = "live", security(("bearer" = [])),
    request_body = LiveScore,
    responses((status = 200, body = LiveScoreAnswer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "score_locked, pitch_not_started"), (status = 422, body = ErrorBody)))]
pub async fn score(
    state: web::Data<AppState>,
    judge: Judge,
    path: web::Path<(i64, i64)>,
    body: web::Json<LiveScore>,
) -> Result<web::Json<LiveScoreAnswer>, AppError> {
    let (round_id, application_id) = path.into_inner();
    Ok(web::Json(
        scoring::score(&state, &judge, round_id, application_id, body.into_inner()).await?,
    ))
}

/// What the projector shows (no sign-in; the link is the key).
#[utoipa::path(get, path = "/api/v1/live/display/{token}", tag = "live",
    responses((status = 200, body = Show), (status = 404, body = ErrorBody)))]
pub async fn display(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<Show>, AppError> {
    let round_id = service::display_round(&state, token.into_inner()).await?;
    Ok(web::Json(
        db::run(&state.db, move |c| views::show(c, round_id)).await?,
    ))
}

/// The display as a stream of snapshots.
#[utoipa::path(get, path = "/api/v1/live/display/{token}/events", tag = "live",
    responses((status = 200, content_type = "text/event-stream", body = String, description = "each message a Show"), (status = 404, body = ErrorBody)))]
pub async fn display_events(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let round_id = service::display_round(&state, token.into_inner()).await?;
    Ok(stream::response(&state, round_id, Audience::Display))
}
