//! The audience vote's routes: the organiser's set-up and result under the round, and the
//! public vote page's endpoints under `/votes/{key}` (no account; rate limited per client).

use actix_web::{HttpRequest, HttpResponse, web};

use super::api::{
    AudienceVote, BallotAccepted, BallotRequest, PeoplesChoice, PublicVote, TicketsAdded,
    TicketsRequest, VoteEmailAccepted, VoteEmailRequest, VoteSetup, VoteTransition,
};
use super::{public, service};
use crate::auth::Admin;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rounds/{id}/audience-vote", web::get().to(get))
        .route("/rounds/{id}/audience-vote", web::put().to(setup))
        .route(
            "/rounds/{id}/audience-vote/tickets",
            web::post().to(add_tickets),
        )
        .route(
            "/rounds/{id}/audience-vote/transition",
            web::post().to(transition),
        )
        .route("/rounds/{id}/audience-vote/result", web::get().to(result))
        .route(
            "/rounds/{id}/audience-vote/publish",
            web::post().to(publish),
        )
        .route("/votes/{key}", web::get().to(page))
        .route("/votes/{key}/ballots", web::post().to(cast))
        .route("/votes/{key}/email", web::post().to(request_email))
        .route("/votes/{key}/result", web::get().to(public_result));
}

/// The round's audience vote: mode, state, the public page's address and QR code; `null` while
/// the round has none, so the organiser's screen opens on its empty state (admin).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/audience-vote", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")),
    responses((status = 200, body = Option<AudienceVote>, description = "the vote, or null when the round has none"),
        (status = 404, body = ErrorBody, description = "no such round")))]
pub async fn get(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<Option<AudienceVote>>, AppError> {
    Ok(web::Json(service::get(&state, id.into_inner()).await?))
}

/// Turn on the audience vote for a round (its entries are the finalists) or change its mode
/// before it opens (admin).
#[utoipa::path(put, path = "/api/v1/rounds/{id}/audience-vote", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")), request_body = VoteSetup,
    responses((status = 200, body = AudienceVote), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`vote_started`"), (status = 422, body = ErrorBody, description = "`mode` `unknown_mode`")))]
pub async fn setup(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<VoteSetup>,
) -> Result<web::Json<AudienceVote>, AppError> {
    Ok(web::Json(
        service::setup(&state, admin.id, id.into_inner(), body.into_inner().mode).await?,
    ))
}

/// Add ticket codes, generated or uploaded (admin). Codes are stored hashed: the generated
/// ones are in this answer only.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/audience-vote/tickets", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")), request_body = TicketsRequest,
    responses((status = 201, body = TicketsAdded), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`vote_not_open`: the vote is closed"),
        (status = 422, body = ErrorBody, description = "`codes` `required`, `too_many`, `invalid_ticket_code`; `mode` `not_tickets`")))]
pub async fn add_tickets(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<TicketsRequest>,
) -> Result<HttpResponse, AppError> {
    let added = service::add_tickets(&state, admin.id, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(added))
}

/// Open or close the vote (admin).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/audience-vote/transition", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")), request_body = VoteTransition,
    responses((status = 200, body = AudienceVote), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`invalid_transition`, `no_entries`, `no_tickets`"),
        (status = 422, body = ErrorBody, description = "`to` `unknown_state`")))]
pub async fn transition(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
    body: web::Json<VoteTransition>,
) -> Result<web::Json<AudienceVote>, AppError> {
    Ok(web::Json(
        service::transition(&state, admin.id, id.into_inner(), body.into_inner().to).await?,
    ))
}

/// The People's Choice count as it stands (admin; any state).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/audience-vote/result", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")),
    responses((status = 200, body = PeoplesChoice), (status = 404, body = ErrorBody)))]
pub async fn result(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<PeoplesChoice>, AppError> {
    Ok(web::Json(service::result(&state, id.into_inner()).await?))
}

/// Publish the People's Choice of a closed vote (admin).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/audience-vote/publish", tag = "audience", security(("bearer" = [])),
    params(("id" = i64, Path, description = "round id")),
    responses((status = 200, body = PeoplesChoice), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`invalid_transition`: not closed, or already published")))]
pub async fn publish(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<web::Json<PeoplesChoice>, AppError> {
    Ok(web::Json(
        service::publish(&state, admin.id, id.into_inner()).await?,
    ))
}

/// The public vote page: the finalists and whether voting is open (no account).
#[utoipa::path(get, path = "/api/v1/votes/{key}", tag = "audience",
    params(("key" = String, Path, description = "the vote's public key, from its QR code")),
    responses((status = 200, body = PublicVote), (status = 404, body = ErrorBody)))]
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<web::Json<PublicVote>, AppError> {
    state.limits.check_vote(&req, None)?;
    Ok(web::Json(public::page(&state, key.into_inner()).await?))
}

/// Cast a vote with a ticket code or an emailed token (no account).
#[utoipa::path(post, path = "/api/v1/votes/{key}/ballots", tag = "audience",
    params(("key" = String, Path, description = "the vote's public key")), request_body = BallotRequest,
    responses((status = 201, body = BallotAccepted), (status = 404, body = ErrorBody),
        (status = 400, body = ErrorBody, description = "`invalid_vote_link`: the emailed token is unknown, used or expired"),
        (status = 403, body = ErrorBody, description = "`unknown_ticket`"),
        (status = 409, body = ErrorBody, description = "`already_voted`, `vote_not_open`"),
        (status = 422, body = ErrorBody, description = "`application_id` `not_a_finalist`; `ticket` `required`"),
        (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn cast(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    body: web::Json<BallotRequest>,
) -> Result<HttpResponse, AppError> {
    state.limits.check_vote(&req, None)?;
    public::cast(&state, key.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(BallotAccepted { status: "counted" }))
}

/// Mail a one-time voting link to an address (email mode; no account). Same answer for any
/// address.
#[utoipa::path(post, path = "/api/v1/votes/{key}/email", tag = "audience",
    params(("key" = String, Path, description = "the vote's public key")), request_body = VoteEmailRequest,
    responses((status = 202, body = VoteEmailAccepted), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`vote_not_open`"),
        (status = 422, body = ErrorBody, description = "`email` invalid, or `tickets_mode`"),
        (status = 429, body = ErrorBody, description = "rate_limited; see Retry-After")))]
pub async fn request_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    body: web::Json<VoteEmailRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let email = crate::auth::model::normalize_email(&b.email);
    state.limits.check_vote(&req, Some(&email))?;
    public::request_email(&state, key.into_inner(), b.email, b.locale).await?;
    Ok(HttpResponse::Accepted().json(VoteEmailAccepted {
        status: "check_your_email",
    }))
}

/// The published People's Choice (no account); 404 until the organiser publishes it.
#[utoipa::path(get, path = "/api/v1/votes/{key}/result", tag = "audience",
    params(("key" = String, Path, description = "the vote's public key")),
    responses((status = 200, body = PeoplesChoice), (status = 404, body = ErrorBody)))]
pub async fn public_result(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<web::Json<PeoplesChoice>, AppError> {
    state.limits.check_vote(&req, None)?;
    Ok(web::Json(
        public::published_result(&state, key.into_inner()).await?,
    ))
}
