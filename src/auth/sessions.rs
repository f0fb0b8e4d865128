//! Administrators end every session of an account (a lost laptop, a judge who left): the token
//! version moves on, so every access token dies at its next request, and every refresh family
//! is revoked, so no device can sign itself back in.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::extract::Admin;
use super::{model, tokens};
use crate::audit::Entry;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use crate::unit;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users/{id}/sessions/end", web::post().to(end_all));
}

/// End every session of a user on every device (administrators).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/sessions/end", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path, description = "user id")),
    responses((status = 204, description = "Every access and refresh token of the user is void"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_all(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    end_all_sessions(&state, admin.id, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn end_all_sessions(state: &AppState, actor: i64, user: i64) -> Result<(), AppError> {
    unit::write(state, move |c| {
        let row = model::find_by_id(c, user)?.ok_or(AppError::NotFound)?;
        model::bump_token_version(c, user)?;
        tokens::end_all_sessions(c, user)?;
        c.audit(Entry {
            actor_id: Some(actor),
            action: "session.ended_by_admin",
            entity: "user",
            entity_id: Some(user.to_string()),
            details: json!({"email": row.email}),
        })
    })
    .await
}
