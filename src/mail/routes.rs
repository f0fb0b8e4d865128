//! The outbox for administrators (filter, see the last error, retry) and each user's own
//! notifications.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Admin, AuthUser};
use crate::db::schema::outbox;
use crate::db::{self, now};
use crate::error::{AppError, ErrorBody};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/outbox", web::get().to(list))
        .route("/admin/outbox/retry-failed", web::post().to(retry_failed))
        .route("/admin/outbox/{id}/retry", web::post().to(retry))
        .route("/me/notifications", web::get().to(notifications));
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OutboxQuery {
    /// pending | sending | sent | failed
    pub status: Option<String>,
    pub page: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema, Queryable)]
pub struct OutboxItem {
    pub id: i64,
    pub to_address: String,
    pub template: String,
    pub locale: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[serde(skip)]
    created: chrono::NaiveDateTime,
    #[serde(skip)]
    sent: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxEntry {
    #[serde(flatten)]
    pub item: OutboxItem,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

const PAGE: i64 = 50;

/// Every email with its state and last error, newest first (admin).
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "mail", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = [OutboxEntry])))]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    q: web::Query<OutboxQuery>,
) -> Result<web::Json<Vec<OutboxEntry>>, AppError> {
    let q = q.into_inner();
    if q.status
        .as_deref()
        .is_some_and(|s| !["pending", "sending", "sent", "failed"].contains(&s))
    {
        return Err(AppError::field("status", "invalid_choice"));
    }
    let offset = (q.page.unwrap_or(1).max(1) - 1) * PAGE;
    let items = db::run(&state.db, move |c| {
        let mut query = outbox::table.into_boxed();
        if let Some(s) = q.status {
            query = query.filter(outbox::status.eq(s));
        }
        Ok(query
            .order(outbox::id.desc())
            .offset(offset)
            .limit(PAGE)
            .select((
                outbox::id,
                outbox::to_address,
                outbox::template,
                outbox::locale,
                outbox::subject,
                outbox::status,
                outbox::attempts,
                outbox::last_error,
                outbox::created_at,
                outbox::sent_at,
            ))
            .load::<OutboxItem>(c)?)
    })
    .await?;
    Ok(web::Json(
        items
            .into_iter()
            .map(|item| OutboxEntry {
                created_at: item.created.and_utc(),
                sent_at: item.sent.map(|t| t.and_utc()),
                item,
            })
            .collect(),
    ))
}

async fn requeue(state: &AppState, admin: &AuthUser, id: Option<i64>) -> Result<usize, AppError> {
    let actor = admin.id;
    let n = db::write(&state.db, move |c| {
        let mut q = diesel::update(outbox::table)
            .filter(outbox::status.eq("failed"))
            .into_boxed();
        if let Some(id) = id {
            q = q.filter(outbox::id.eq(id));
        }
        let n = q
            .set((
                outbox::status.eq("pending"),
                outbox::attempts.eq(0),
                outbox::next_attempt_at.eq(now()),
            ))
            .execute(c)?;
        if id.is_some() && n == 0 {
            return Err(AppError::conflict(
                "not_failed",
                "only failed messages can be retried",
            ));
        }
        audit::record(
            c,
            Entry {
                actor_id: Some(actor),
                action: "outbox.retry",
                entity: "outbox",
                entity_id: id.map(|i| i.to_string()),
                details: serde_json::json!({"messages": n}),
            },
        )?;
        Ok(n)
    })
    .await?;
    state.mailer.wake();
    Ok(n)
}

/// Send a failed message again (admin).
#[utoipa::path(post, path = "/api/v1/admin/outbox/{id}/retry", tag = "mail", security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn retry(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    requeue(&state, &admin, Some(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Retried {
    pub retried: usize,
}

/// Send every failed message again (admin).
#[utoipa::path(post, path = "/api/v1/admin/outbox/retry-failed", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Retried)))]
pub async fn retry_failed(
    state: web::Data<AppState>,
    admin: Admin,
) -> Result<web::Json<Retried>, AppError> {
    Ok(web::Json(Retried {
        retried: requeue(&state, &admin, None).await?,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub template: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
}

/// The signed-in user's own messages, newest first (the in-app copy of their emails).
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = [Notification])))]
pub async fn notifications(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<Notification>>, AppError> {
    let uid = user.id;
    let rows = db::run(&state.db, move |c| {
        Ok(outbox::table
            .filter(outbox::user_id.eq(uid))
            .order(outbox::id.desc())
            .limit(PAGE)
            .select((
                outbox::id,
                outbox::template,
                outbox::subject,
                outbox::created_at,
            ))
            .load::<(i64, String, String, chrono::NaiveDateTime)>(c)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(id, template, subject, at)| Notification {
                id,
                template,
                subject,
                created_at: at.and_utc(),
            })
            .collect(),
    ))
}
