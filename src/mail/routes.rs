//! The outbox for administrators (filter, see the last error, retry) and each user's own
//! notifications.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::Entry;
use crate::auth::{Admin, AuthUser, Staff};
use crate::db;
use crate::db::schema::{notification_reads, outbox};
use crate::error::{AppError, ErrorBody, ErrorCode};
use crate::state::AppState;
use crate::unit;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/outbox", web::get().to(list))
        .route("/admin/outbox/retry-failed", web::post().to(retry_failed))
        .route("/admin/outbox/{id}/retry", web::post().to(retry))
        .route("/admin/mail/templates", web::get().to(template_names))
        .route("/admin/mail/templates/{name}", web::get().to(preview))
        .route("/me/notifications", web::get().to(notifications))
        .route("/me/notifications/unread", web::get().to(unread))
        .route("/me/notifications/seen", web::post().to(seen));
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

/// Every email with its state and last error, newest first (owners: all; organiser staff:
/// their organisation's mail).
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "mail", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = [OutboxEntry])))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    q: web::Query<OutboxQuery>,
) -> Result<web::Json<Vec<OutboxEntry>>, AppError> {
    let q = q.into_inner();
    let organisation = staff.organisation_id;
    if q.status
        .as_deref()
        .is_some_and(|s| !["pending", "sending", "sent", "failed"].contains(&s))
    {
        return Err(AppError::field("status", "invalid_choice"));
    }
    // Saturating: a huge page number is an empty page, never an overflow.
    let offset = (q.page.unwrap_or(1).clamp(1, i64::MAX / PAGE) - 1).saturating_mul(PAGE);
    let items = db::run(&state.db, move |c| {
        let mut query = outbox::table.into_boxed();
        if let Some(org) = organisation {
            query = query.filter(outbox::organisation_id.eq(org));
        }
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
    let n = unit::write(state, move |c| {
        let n = super::requeue_failed(c, id)?;
        if id.is_some() && n == 0 {
            return Err(AppError::conflict(
                ErrorCode::NotFailed,
                "only failed messages can be retried",
            ));
        }
        c.audit(Entry {
            actor_id: Some(actor),
            action: "outbox.retry",
            entity: "outbox",
            entity_id: id.map(|i| i.to_string()),
            details: serde_json::json!({"messages": n}),
        })?;
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
    staff: Staff,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    crate::scope::allow(&state, &staff, crate::scope::Object::Outbox(id)).await?;
    requeue(&state, &staff, Some(id)).await?;
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PreviewQuery {
    /// en | ko | zh (default en)
    pub locale: Option<String>,
}

/// The names of every email template (admin).
#[utoipa::path(get, path = "/api/v1/admin/mail/templates", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Vec<String>)))]
pub async fn template_names(state: web::Data<AppState>, _admin: Admin) -> web::Json<Vec<String>> {
    web::Json(state.mailer.templates().names())
}

/// One template rendered with sample data in a language (admin).
#[utoipa::path(get, path = "/api/v1/admin/mail/templates/{name}", tag = "mail", security(("bearer" = [])),
    params(PreviewQuery), responses((status = 200, body = crate::mail::templates::Rendered), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn preview(
    state: web::Data<AppState>,
    _admin: Admin,
    name: web::Path<String>,
    q: web::Query<PreviewQuery>,
) -> Result<web::Json<crate::mail::templates::Rendered>, AppError> {
    let locale = q.locale.as_deref().unwrap_or("en");
    if !["en", "ko", "zh"].contains(&locale) {
        return Err(AppError::field("locale", "invalid_locale"));
    }
    let templates = state.mailer.templates();
    if !templates.names().contains(&name) {
        return Err(AppError::NotFound);
    }
    let vars = crate::mail::templates::sample_vars(locale);
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    templates
        .render(&name, locale, &pairs)
        .map(web::Json)
        .map_err(AppError::internal)
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Unread {
    pub unread: i64,
}

/// How many of the user's messages arrived since they last opened their notifications.
#[utoipa::path(get, path = "/api/v1/me/notifications/unread", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Unread)))]
pub async fn unread(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Unread>, AppError> {
    let uid = user.id;
    let unread = db::run(&state.db, move |c| {
        let seen: Option<chrono::NaiveDateTime> = notification_reads::table
            .find(uid)
            .select(notification_reads::seen_at)
            .first(c)
            .optional()?;
        let mut q = outbox::table.filter(outbox::user_id.eq(uid)).into_boxed();
        if let Some(seen) = seen {
            q = q.filter(outbox::created_at.gt(seen));
        }
        Ok(q.count().get_result::<i64>(c)?)
    })
    .await?;
    Ok(web::Json(Unread { unread }))
}

/// Marks every message so far as read.
#[utoipa::path(post, path = "/api/v1/me/notifications/seen", tag = "mail", security(("bearer" = [])),
    responses((status = 204)))]
pub async fn seen(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, AppError> {
    let uid = user.id;
    crate::unit::write(&state, move |tx| super::mark_seen(tx, uid)).await?;
    Ok(HttpResponse::NoContent().finish())
}
