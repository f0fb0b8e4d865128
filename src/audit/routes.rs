//! The audit log for administrators: filter by entity, actor and action; verify the chain.

use actix_web::web;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::AuditRow;
use crate::auth::{Admin, Staff};
use crate::db::{self, schema::audit_log};
use crate::error::AppError;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(list))
        .route("/admin/audit/verify", web::get().to(verify));
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<i64>,
    pub action: Option<String>,
    pub page: Option<i64>,
}

const PAGE: i64 = 100;

/// Audit entries, newest first, with filters (owners: all; organiser staff: their
/// organisation's entries).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditRow], description = "Up to 100 entries a page")))]
pub async fn list(
    state: web::Data<AppState>,
    staff: Staff,
    q: web::Query<AuditQuery>,
) -> Result<web::Json<Vec<AuditRow>>, AppError> {
    let q = q.into_inner();
    let organisation = staff.organisation_id;
    // Saturating: a huge page number is an empty page, never an overflow.
    let offset = (q.page.unwrap_or(1).clamp(1, i64::MAX / PAGE) - 1).saturating_mul(PAGE);
    Ok(web::Json(
        db::run(&state.db, move |c| {
            let mut query = audit_log::table.into_boxed();
            if let Some(org) = organisation {
                query = query.filter(audit_log::organisation_id.eq(org));
            }
            if let Some(v) = q.entity {
                query = query.filter(audit_log::entity.eq(v));
            }
            if let Some(v) = q.entity_id {
                query = query.filter(audit_log::entity_id.eq(v));
            }
            if let Some(v) = q.actor {
                query = query.filter(audit_log::actor_id.eq(v));
            }
            if let Some(v) = q.action {
                query = query.filter(audit_log::action.eq(v));
            }
            Ok(query
                .order(audit_log::id.desc())
                .offset(offset)
                .limit(PAGE)
                .select(AuditRow::as_select())
                .load(c)?)
        })
        .await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChainCheck {
    pub intact: bool,
    pub entries: usize,
    /// The first entry whose link or content does not match, when broken.
    pub first_broken: Option<i64>,
}

/// Walk the hash chain (admin).
#[utoipa::path(get, path = "/api/v1/admin/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = ChainCheck)))]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: Admin,
) -> Result<web::Json<ChainCheck>, AppError> {
    let r = db::run(&state.db, super::verify_chain).await?;
    Ok(web::Json(match r {
        Ok(n) => ChainCheck {
            intact: true,
            entries: n,
            first_broken: None,
        },
        Err(id) => ChainCheck {
            intact: false,
            entries: 0,
            first_broken: Some(id),
        },
    }))
}
