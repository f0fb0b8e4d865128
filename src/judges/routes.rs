//! The judges routes and handlers: extract the request, call one use case, map the answer.

use super::{api, conflict_cases, conflicts, entries, invitations, service};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::api::{
    AcceptInvitation, Conflict, ConflictDeclaration, ConflictInput, InviteReport, InviteRequest,
    JudgeProfile, ProfilePatch,
};
use crate::auth::api::SessionResponse;
use crate::auth::{Admin, Judge, Staff};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/judges/invitations", web::post().to(invite))
        .service(
            web::resource("/contests/{id}/judges/import")
                .app_data(web::PayloadConfig::new(2 << 20))
                .route(web::post().to(import)),
        )
        .route("/contests/{id}/judges", web::get().to(list))
        .route("/auth/invitations/accept", web::post().to(accept))
        .route("/me/judge-profile", web::get().to(my_profile))
        .route("/me/judge-profile", web::patch().to(patch_my_profile))
        .route("/judges/{id}", web::patch().to(patch_profile))
        .route("/judges/{id}/deactivate", web::post().to(deactivate))
        .route("/judges/{id}/reactivate", web::post().to(reactivate))
        .route(
            "/applications/{id}/conflict",
            web::post().to(declare_conflict),
        )
        .route(
            "/applications/{id}/conflict",
            web::delete().to(withdraw_conflict),
        )
        .route("/contests/{id}/entries", web::get().to(contest_entries))
        .route("/me/entries", web::get().to(my_entries))
        .route("/contests/{id}/conflicts", web::get().to(list_conflicts))
        .route("/contests/{id}/conflicts", web::post().to(add_conflict))
        .route(
            "/contests/{id}/conflicts/detect",
            web::post().to(detect_conflicts),
        )
        .route("/conflicts/{id}", web::delete().to(lift_conflict));
}

/// Invite judges by email (admin). Each row is reported on its own.
#[utoipa::path(post, path = "/api/v1/contests/{id}/judges/invitations", tag = "judges", security(("bearer" = [])),
    request_body = InviteRequest, responses((status = 200, body = InviteReport)))]
pub async fn invite(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<InviteRequest>,
) -> Result<web::Json<InviteReport>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Contest(*id)).await?;
    Ok(web::Json(
        invitations::invite(&state, &staff, id.into_inner(), body.into_inner().judges).await?,
    ))
}

/// Bulk invite from CSV (admin): `email,name,organization,region,expertise,capacity[,locale]`,
/// expertise as `ai:3;bio:1`.
#[utoipa::path(post, path = "/api/v1/contests/{id}/judges/import", tag = "judges", security(("bearer" = [])),
    request_body(content = api::CsvFile, content_type = "text/csv"), responses((status = 200, body = InviteReport), (status = 400, body = ErrorBody)))]
pub async fn import(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<web::Json<InviteReport>, AppError> {
    let ct = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct.starts_with("text/csv") && !ct.starts_with("text/plain") {
        return Err(AppError::UnsupportedMediaType("send text/csv".into()));
    }
    Ok(web::Json(
        super::import::import_csv(&state, &admin, id.into_inner(), body.to_vec()).await?,
    ))
}

/// The contest's judges with status and load (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/judges", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = [api::Judge])))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<api::Judge>>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Contest(*id)).await?;
    Ok(web::Json(
        service::list(&state, crate::scope::Scope::of(&staff), id.into_inner()).await?,
    ))
}

/// Accept an invitation: choose a password and sign in.
#[utoipa::path(post, path = "/api/v1/auth/invitations/accept", tag = "judges", request_body = AcceptInvitation,
    responses((status = 200, body = SessionResponse), (status = 400, body = ErrorBody, description = "invalid_invitation_token"),
        (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn accept(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<AcceptInvitation>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::web::ratelimit::Action::InvitationAccept, None)?;
    let session = invitations::accept(&state, body.into_inner()).await?;
    Ok(crate::auth::session_http(
        &state,
        session,
        actix_web::http::StatusCode::OK,
    ))
}

/// The signed-in judge's profile.
#[utoipa::path(get, path = "/api/v1/me/judge-profile", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = JudgeProfile)))]
pub async fn my_profile(
    state: web::Data<AppState>,
    judge: Judge,
) -> Result<web::Json<JudgeProfile>, AppError> {
    Ok(web::Json(service::my_profile(&state, &judge).await?))
}

/// Update the signed-in judge's profile (not capacity).
#[utoipa::path(patch, path = "/api/v1/me/judge-profile", tag = "judges", security(("bearer" = [])),
    request_body = ProfilePatch, responses((status = 200, body = JudgeProfile), (status = 422, body = ErrorBody)))]
pub async fn patch_my_profile(
    state: web::Data<AppState>,
    judge: Judge,
    body: web::Json<ProfilePatch>,
) -> Result<web::Json<JudgeProfile>, AppError> {
    let id = judge.id;
    Ok(web::Json(
        service::update_profile(&state, &judge, id, body.into_inner()).await?,
    ))
}

/// Update a judge's profile, capacity included (admin).
#[utoipa::path(patch, path = "/api/v1/judges/{id}", tag = "judges", security(("bearer" = [])),
    request_body = ProfilePatch, responses((status = 200, body = JudgeProfile), (status = 404, body = ErrorBody)))]
pub async fn patch_profile(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
    body: web::Json<ProfilePatch>,
) -> Result<web::Json<JudgeProfile>, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Judge(*id)).await?;
    Ok(web::Json(
        service::update_profile(&state, &staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Deactivate a judge: their sessions end at once (admin).
#[utoipa::path(post, path = "/api/v1/judges/{id}/deactivate", tag = "judges", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn deactivate(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Judge(*id)).await?;
    service::set_active(&state, &staff, id.into_inner(), false).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reactivate a judge (admin).
#[utoipa::path(post, path = "/api/v1/judges/{id}/reactivate", tag = "judges", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn reactivate(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    crate::scope::allow(&state, &staff, crate::scope::Object::Judge(*id)).await?;
    service::set_active(&state, &staff, id.into_inner(), true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Declare a conflict of interest on an application assigned to you, or on an entry of a round
/// that is not blind (`GET /me/entries`); an assignment of the pair is removed.
#[utoipa::path(post, path = "/api/v1/applications/{id}/conflict", tag = "judges", security(("bearer" = [])),
    request_body = ConflictDeclaration, responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn declare_conflict(
    state: web::Data<AppState>,
    judge: Judge,
    id: web::Path<i64>,
    body: Option<web::Json<ConflictDeclaration>>,
) -> Result<HttpResponse, AppError> {
    let reason = body.map(|b| b.into_inner().reason).unwrap_or_default();
    conflict_cases::declare(&state, &judge, id.into_inner(), reason).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraw a conflict you declared (judge); organisers' and detected ones stay.
#[utoipa::path(delete, path = "/api/v1/applications/{id}/conflict", tag = "judges", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn withdraw_conflict(
    state: web::Data<AppState>,
    judge: Judge,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    conflict_cases::withdraw(&state, &judge, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The start-ups of the contest's current or next round, names and tracks only, for a judge
/// of the contest to mark conflicts before assignment. 403 `round_blind` in a blind round.
#[utoipa::path(get, path = "/api/v1/contests/{id}/entries", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = api::EntryList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn contest_entries(
    state: web::Data<AppState>,
    judge: Judge,
    id: web::Path<i64>,
) -> Result<web::Json<api::EntryList>, AppError> {
    Ok(web::Json(
        entries::for_contest(&state, &judge, id.into_inner()).await?,
    ))
}

/// The entry lists of every contest of the signed-in judge with a round being prepared or
/// judged; a blind round's list says so and is empty.
#[utoipa::path(get, path = "/api/v1/me/entries", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = [api::EntryList])))]
pub async fn my_entries(
    state: web::Data<AppState>,
    judge: Judge,
) -> Result<web::Json<Vec<api::EntryList>>, AppError> {
    Ok(web::Json(entries::mine(&state, &judge).await?))
}

/// Active conflicts in the contest (admin).
#[utoipa::path(get, path = "/api/v1/contests/{id}/conflicts", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = [Conflict])))]
pub async fn list_conflicts(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Conflict>>, AppError> {
    Ok(web::Json(
        conflict_cases::list(&state, id.into_inner()).await?,
    ))
}

/// Set a conflict (admin); an existing assignment of the pair is removed.
#[utoipa::path(post, path = "/api/v1/contests/{id}/conflicts", tag = "judges", security(("bearer" = [])),
    request_body = ConflictInput, responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn add_conflict(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<ConflictInput>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    conflict_cases::add_by_admin(
        &state,
        &admin,
        id.into_inner(),
        b.judge_id,
        b.application_id,
        b.reason,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Detected {
    pub found: usize,
}

/// Run conflict detection now (admin). It also runs when judging starts.
#[utoipa::path(post, path = "/api/v1/contests/{id}/conflicts/detect", tag = "judges", security(("bearer" = [])),
    responses((status = 200, body = Detected)))]
pub async fn detect_conflicts(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Detected>, AppError> {
    let id = id.into_inner();
    let found = crate::unit::write(&state, move |tx| {
        let c = tx.conn();
        crate::contests::model::find(c, id)?;
        conflicts::detect(c, id)
    })
    .await?;
    Ok(web::Json(Detected { found }))
}

/// Lift a conflict (admin).
#[utoipa::path(delete, path = "/api/v1/conflicts/{id}", tag = "judges", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn lift_conflict(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    conflict_cases::lift(&state, &admin, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
