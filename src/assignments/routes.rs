//! The assignments routes and handlers: extract the request, call one use case, map the answer.

use super::{auto, instance as built, service};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{Assignment, AssignmentInput, MoveInput, Queue, QueueQuery, ScoringView};
use super::queue::Answer;
use crate::auth::{JudgeToken, Staff};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use crate::web::gzip;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rounds/{id}/assignments", web::get().to(list))
        .route("/rounds/{id}/assignments", web::post().to(add))
        .route("/assignments/{id}", web::get().to(scoring_view))
        .route("/assignments/{id}", web::delete().to(remove))
        .route("/assignments/{id}/move", web::post().to(move_to))
        .route("/me/assignments", web::get().to(queue))
        .route("/rounds/{id}/assignments/auto", web::post().to(auto_assign))
        .route(
            "/rounds/{id}/assignments/instance",
            web::get().to(solver_instance),
        );
}

/// Every assignment of the round with its review status (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/assignments", tag = "assignments", security(("bearer" = [])),
    responses((status = 200, body = [Assignment])))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Assignment>>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(service::list(&state, id.into_inner()).await?))
}

/// Assign a judge to an application by hand (admin). Refusals: 409 `conflict_of_interest`,
/// `already_assigned`, `panel_full`, `judge_at_capacity`, `round_closed`.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/assignments", tag = "assignments", security(("bearer" = [])),
    request_body = AssignmentInput, responses((status = 201, body = Assignment), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<AssignmentInput>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    let b = body.into_inner();
    crate::scope::allow(&state, &staff, crate::scope::Object::Judge(b.judge_id)).await?;
    crate::scope::allow(
        &state,
        &staff,
        crate::scope::Object::Application(b.application_id),
    )
    .await?;
    let a = service::add(
        &state,
        &staff,
        id.into_inner(),
        b.judge_id,
        b.application_id,
    )
    .await?;
    Ok(HttpResponse::Created().json(a))
}

/// Remove an assignment whose review is not submitted (admin).
#[utoipa::path(delete, path = "/api/v1/assignments/{id}", tag = "assignments", security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn remove(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Assignment(*id)).await?;
    service::remove(&state, &staff, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Move an assignment to another judge (admin).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/move", tag = "assignments", security(("bearer" = [])),
    request_body = MoveInput, responses((status = 200, body = Assignment), (status = 409, body = ErrorBody)))]
pub async fn move_to(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<MoveInput>,
) -> Result<web::Json<Assignment>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Assignment(*id)).await?;
    let judge = body.into_inner().judge_id;
    crate::scope::allow(&state, &staff, crate::scope::Object::Judge(judge)).await?;
    Ok(web::Json(
        service::move_to(&state, &staff, id.into_inner(), judge).await?,
    ))
}

/// The signed-in judge's queue, in their own stable shuffled order. It carries an ETag; asked
/// again with `If-None-Match`, an unchanged queue answers 304 without a body.
#[utoipa::path(get, path = "/api/v1/me/assignments", tag = "assignments", security(("bearer" = [])),
    params(QueueQuery), responses((status = 200, body = Queue),
        (status = 304, description = "Not modified: the queue is the one the If-None-Match tag names")))]
pub async fn queue(
    state: web::Data<AppState>,
    judge: JudgeToken,
    q: web::Query<QueueQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Kept by this browser only, and asked again each time (If-None-Match), never shown stale.
    let cache = (header::CACHE_CONTROL, "private, no-cache");
    Ok(
        match super::queue::queue(
            &state,
            judge,
            q.into_inner(),
            held,
            gzip::accepted(req.headers()),
        )
        .await?
        {
            Answer::Fresh(queue, tag) => HttpResponse::Ok()
                .insert_header((header::ETAG, tag))
                .insert_header(cache)
                .json(queue),
            Answer::Gzipped(body, tag) => HttpResponse::Ok()
                .insert_header((header::ETAG, tag))
                .insert_header(cache)
                .insert_header((header::CONTENT_ENCODING, "gzip"))
                .insert_header((header::VARY, "accept-encoding"))
                .content_type(header::ContentType::json())
                .body(body),
            Answer::Unchanged(tag) => HttpResponse::NotModified()
                .insert_header((header::ETAG, tag))
                .insert_header(cache)
                .finish(),
        },
    )
}

/// Everything the scoring screen needs: the (redacted) application, rubric, review, neighbours.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", tag = "assignments", security(("bearer" = [])),
    responses((status = 200, body = ScoringView), (status = 404, body = ErrorBody)))]
pub async fn scoring_view(
    state: web::Data<AppState>,
    judge: JudgeToken,
    id: web::Path<i64>,
) -> Result<web::Json<ScoringView>, AppError> {
    Ok(web::Json(
        super::queue::scoring_view(&state, judge, id.into_inner()).await?,
    ))
}

/// Run the assignment solver for the round (admin): `dry_run` previews the objective figures
/// and the diff; otherwise the diff is applied atomically. Started reviews are never moved.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/assignments/auto", tag = "assignments", security(("bearer" = [])),
    request_body = auto::AutoInput, responses((status = 200, body = auto::AutoResult), (status = 409, body = ErrorBody)))]
pub async fn auto_assign(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: Option<web::Json<auto::AutoInput>>,
) -> Result<web::Json<auto::AutoResult>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    let input = body.map(|b| b.into_inner()).unwrap_or_default();
    Ok(web::Json(
        auto::run(&state, &staff, id.into_inner(), input).await?,
    ))
}

/// The solver instance the next run of the round solves (admin), in the format of `jury assign
/// --instance`: save it and re-run it offline to reach the same objective. Pairs with a review
/// started stay in a run but have no place in the format, so only without them do the figures
/// match exactly.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/assignments/instance", tag = "assignments", security(("bearer" = [])),
    responses((status = 200, body = super::api::SolverInstance), (status = 404, body = ErrorBody)))]
pub async fn solver_instance(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<crate::assign::Instance>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(built::instance(&state, id.into_inner()).await?))
}
