//! The results routes and handlers: extract the request, call one use case, map the answer.

use super::{awards, service};
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::api::{
    AdvanceInput, Advanced, AwardOverrideInput, Fragility, MyResult, PublicRound, PublishPreview,
    PublishQuery, Published, RoundResults,
};
use crate::auth::{AuthUser, Staff};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rounds/{id}/results", web::get().to(results))
        .route("/rounds/{id}/results.csv", web::get().to(results_csv))
        .route("/rounds/{id}/reviews.csv", web::get().to(reviews_csv))
        .route("/rounds/{id}/sensitivity", web::get().to(sensitivity))
        .route("/rounds/{id}/advance", web::post().to(advance))
        .route("/rounds/{id}/publish", web::post().to(publish))
        .route(
            "/rounds/{id}/publish-preview",
            web::get().to(publish_preview),
        )
        .route(
            "/rounds/{id}/awards/{application_id}",
            web::put().to(override_award),
        )
        .route(
            "/rounds/{id}/awards/{application_id}",
            web::delete().to(clear_award),
        )
        .route("/contests/{id}/results", web::get().to(public))
        .route("/applications/{id}/result", web::get().to(mine));
}

fn csv(name: String, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// Every method's score side by side, dispersion, flags, ranks, alpha, severity (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/results", tag = "results", security(("bearer" = [])),
    responses((status = 200, body = RoundResults)))]
pub async fn results(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<RoundResults>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(service::results(&state, id.into_inner()).await?))
}

/// The ranked table as CSV, UTF-8 with BOM (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/results.csv", tag = "results", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = crate::web::files::CsvText)))]
pub async fn results_csv(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    let id = id.into_inner();
    Ok(csv(
        format!("results-{id}.csv"),
        service::results_csv(&state, id).await?,
    ))
}

/// One row per review and criterion, enough to recompute the ranking (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/reviews.csv", tag = "results", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = crate::web::files::CsvText)))]
pub async fn reviews_csv(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    let id = id.into_inner();
    Ok(csv(
        format!("reviews-{id}.csv"),
        service::reviews_csv(&state, id).await?,
    ))
}

/// For the top 20: rank under each method and worst rank without any one judge (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/sensitivity", tag = "results", security(("bearer" = [])),
    responses((status = 200, body = [Fragility])))]
pub async fn sensitivity(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Fragility>>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        service::sensitivity(&state, id.into_inner()).await?,
    ))
}

/// Choose who advances: `top` N, `top_per_track` N, or `manual` ids (admin, closed round).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/advance", tag = "results", security(("bearer" = [])),
    request_body = AdvanceInput, responses((status = 200, body = Advanced), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn advance(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<AdvanceInput>,
) -> Result<web::Json<Advanced>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        service::advance(&state, &staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Publish: freeze, store the snapshot and its SHA-256, email every applicant. Idempotent.
/// A final that awards nobody answers 409 `nobody_awarded` unless `confirm_no_winners=true`.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/publish", tag = "results", security(("bearer" = [])),
    params(PublishQuery),
    responses((status = 200, body = Published), (status = 409, body = ErrorBody)))]
pub async fn publish(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    query: web::Query<PublishQuery>,
) -> Result<web::Json<Published>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(
        super::publish::publish(&state, &staff, id.into_inner(), query.confirm_no_winners).await?,
    ))
}

/// What publishing will tell whom: advanced, awarded per tier, not advanced; the award places
/// and overrides; whether confirmation is needed (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/publish-preview", tag = "results", security(("bearer" = [])),
    responses((status = 200, body = PublishPreview), (status = 404, body = ErrorBody)))]
pub async fn publish_preview(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<PublishPreview>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(*id)).await?;
    Ok(web::Json(awards::preview(&state, id.into_inner()).await?))
}

/// Place an entry in an award tier by hand (or give it none), with a reason; before publishing.
#[utoipa::path(put, path = "/api/v1/rounds/{id}/awards/{application_id}", tag = "results",
    request_body = AwardOverrideInput, security(("bearer" = [])),
    params(("id" = i64, Path), ("application_id" = i64, Path)),
    responses((status = 200, body = PublishPreview), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn override_award(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(i64, i64)>,
    body: web::Json<AwardOverrideInput>,
) -> Result<web::Json<PublishPreview>, AppError> {
    let (round, app) = path.into_inner();
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(round)).await?;
    Ok(web::Json(
        awards::set_override(&state, &staff, round, app, Some(body.into_inner())).await?,
    ))
}

/// Let the ranks decide an entry's award again (admin); before publishing.
#[utoipa::path(delete, path = "/api/v1/rounds/{id}/awards/{application_id}", tag = "results",
    security(("bearer" = [])), params(("id" = i64, Path), ("application_id" = i64, Path)),
    responses((status = 200, body = PublishPreview), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn clear_award(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<PublishPreview>, AppError> {
    let (round, app) = path.into_inner();
    crate::scope::allow(&state, &staff, crate::scope::Object::Round(round)).await?;
    Ok(web::Json(
        awards::set_override(&state, &staff, round, app, None).await?,
    ))
}

/// Published results of a contest (public): who advanced, and each snapshot's digest. Carries
/// a strong ETag; `If-None-Match` with it answers 304.
#[utoipa::path(get, path = "/api/v1/contests/{id}/results", tag = "results",
    responses((status = 200, body = [PublicRound]), (status = 304, description = "not modified"),
        (status = 404, body = ErrorBody)))]
pub async fn public(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(super::publish::public(&state, id.into_inner())
        .await?
        .respond(&req))
}

/// The applicant's results in published rounds (its applicant, administrators).
#[utoipa::path(get, path = "/api/v1/applications/{id}/result", tag = "results", security(("bearer" = [])),
    responses((status = 200, body = [MyResult]), (status = 404, body = ErrorBody)))]
pub async fn mine(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<MyResult>>, AppError> {
    Ok(web::Json(
        super::publish::mine(&state, &user, id.into_inner()).await?,
    ))
}
