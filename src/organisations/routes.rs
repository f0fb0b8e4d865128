//! The organisations routes: organisations and staff (owner), dashboards (owner and the
//! organisation's staff), routing (owner overrides; staff read their own).

use actix_web::{HttpResponse, web};

use super::api::{
    Dashboard, Organisation, OrganisationInput, RouteOverride, Routed, StaffInvite, StaffMember,
};
use super::dashboard::{self, Summary};
use super::{routing, service};
use crate::auth::{Admin, Staff};
use crate::error::{AppError, ErrorBody};
use crate::scope::{Object, allow};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contests/{id}/organisations", web::post().to(create))
        .route("/contests/{id}/organisations", web::get().to(list))
        .route(
            "/contests/{id}/organisations/summary",
            web::get().to(summary),
        )
        .route("/organisations/{id}", web::get().to(get))
        .route("/organisations/{id}", web::patch().to(update))
        .route("/organisations/{id}/staff", web::get().to(staff))
        .route("/organisations/{id}/staff", web::post().to(invite))
        .route(
            "/organisations/{id}/dashboard",
            web::get().to(one_dashboard),
        )
        .route("/contests/{id}/routing", web::get().to(routed))
        .route("/applications/{id}/route", web::put().to(set_route));
}

/// Create an organiser organisation (owner).
#[utoipa::path(post, path = "/api/v1/contests/{id}/organisations", tag = "organisations", security(("bearer" = [])),
    request_body = OrganisationInput, responses((status = 201, body = Organisation), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    owner: Admin,
    id: web::Path<i64>,
    body: web::Json<OrganisationInput>,
) -> Result<HttpResponse, AppError> {
    let org = service::create(&state, &owner, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(org))
}

/// The contest's organisations (owners: all; staff: their own).
#[utoipa::path(get, path = "/api/v1/contests/{id}/organisations", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = [Organisation]), (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Organisation>>, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, Object::Contest(id)).await?;
    Ok(web::Json(service::list(&state, &staff, id).await?))
}

/// The joint summary: every organisation's dashboard and the joint rounds (owner).
#[utoipa::path(get, path = "/api/v1/contests/{id}/organisations/summary", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = Summary), (status = 404, body = ErrorBody)))]
pub async fn summary(
    state: web::Data<AppState>,
    _owner: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Summary>, AppError> {
    Ok(web::Json(
        dashboard::summary(&state, id.into_inner()).await?,
    ))
}

/// One organisation (owners; its staff).
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = Organisation), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Organisation>, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, Object::Organisation(id)).await?;
    Ok(web::Json(service::get(&state, id).await?))
}

/// Rename an organisation or change its region (owner).
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", security(("bearer" = [])),
    request_body = OrganisationInput, responses((status = 200, body = Organisation), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    owner: Admin,
    id: web::Path<i64>,
    body: web::Json<OrganisationInput>,
) -> Result<web::Json<Organisation>, AppError> {
    Ok(web::Json(
        service::update(&state, &owner, id.into_inner(), body.into_inner()).await?,
    ))
}

/// The organisation's staff (owners; its staff).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/staff", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = [StaffMember]), (status = 404, body = ErrorBody)))]
pub async fn staff(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<StaffMember>>, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, Object::Organisation(id)).await?;
    Ok(web::Json(service::staff(&state, id).await?))
}

/// Invite a staff member by email (owner): a one-time link to set a password.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/staff", tag = "organisations", security(("bearer" = [])),
    request_body = StaffInvite, responses((status = 201, body = StaffMember), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite(
    state: web::Data<AppState>,
    owner: Admin,
    id: web::Path<i64>,
    body: web::Json<StaffInvite>,
) -> Result<HttpResponse, AppError> {
    let member = service::invite(&state, &owner, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(member))
}

/// The organisation's rounds, their progress and its mail (owners; its staff).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/dashboard", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = Dashboard), (status = 404, body = ErrorBody)))]
pub async fn one_dashboard(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Dashboard>, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, Object::Organisation(id)).await?;
    Ok(web::Json(dashboard::one(&state, id).await?))
}

/// Which preliminary each submitted application goes to (owners: all; staff: their own).
#[utoipa::path(get, path = "/api/v1/contests/{id}/routing", tag = "organisations", security(("bearer" = [])),
    responses((status = 200, body = [Routed]), (status = 404, body = ErrorBody)))]
pub async fn routed(
    state: web::Data<AppState>,
    staff: Staff,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Routed>>, AppError> {
    let id = id.into_inner();
    allow(&state, &staff, Object::Contest(id)).await?;
    Ok(web::Json(routing::list(&state, &staff, id).await?))
}

/// Send an application to another preliminary, or back to the rules (owner; audited).
#[utoipa::path(put, path = "/api/v1/applications/{id}/route", tag = "organisations", security(("bearer" = [])),
    request_body = RouteOverride, responses((status = 200, body = Routed), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_route(
    state: web::Data<AppState>,
    owner: Admin,
    id: web::Path<i64>,
    body: web::Json<RouteOverride>,
) -> Result<web::Json<Routed>, AppError> {
    Ok(web::Json(
        routing::set(&state, &owner, id.into_inner(), body.into_inner()).await?,
    ))
}
