//! An application's status changes after creation: submit, withdraw, disqualify. Each is one
//! unit of work with its audit entry and the mail it sends.

use super::api::Application;
use super::model::ApplicationStatus;
use super::model::{self};
use super::service::{audit_entry, view, view_id, window_closed};
use crate::auth::AuthUser;
use crate::contests::model::{self as contests};
use crate::db::now;
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::state::AppState;
use crate::unit;
use chrono::Datelike;
use serde_json::json;

pub async fn submit(state: &AppState, user: &AuthUser, id: i64) -> Result<Application, AppError> {
    let (uid, base) = (user.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let row = model::find_owned(c, id, uid)?;
        let contest = contests::find(c, row.contest_id)?;
        match row.status {
            ApplicationStatus::Submitted => return view(c, &row),
            ApplicationStatus::Draft => {}
            other => {
                return Err(AppError::conflict(
                    ErrorCode::NotEditable,
                    format!("the application is {other}"),
                ));
            }
        }
        if !contest.is_open(now()) {
            return Err(window_closed(&contest));
        }
        let current = view(c, &row)?;
        let mut e = FieldErrors::default();
        current
            .completeness
            .missing
            .iter()
            .for_each(|f| e.add(f, "required"));
        super::completeness::eligibility(
            &contest.eligibility()?,
            row.founded_year,
            &row.country,
            contest.closes_at.year(),
            &mut e,
        );
        e.into_result()?;
        model::set_status(c, id, ApplicationStatus::Submitted, None)?;
        audit_entry(c, uid, "application.submitted", id, json!({}))?;
        let user = crate::auth::model::find_by_id(c, uid)?.ok_or(AppError::NotFound)?;
        let names = contest.names()?;
        let contest_name = names
            .get(&user.locale)
            .or(names.get("en"))
            .cloned()
            .unwrap_or_default();
        c.mail_for(
            &user,
            "application_submitted",
            format!("application_submitted:{id}"),
            vec![
                ("name", user.name.clone()),
                ("company", row.company_name.clone()),
                ("contest", contest_name),
                ("track", row.track.clone()),
                ("summary", row.summary.clone()),
                (
                    "deadline",
                    contest.closes_at.format("%Y-%m-%d %H:%M").to_string(),
                ),
                ("link", format!("{base}/applications/{id}")),
            ],
        )?;
        view_id(c, id)
    })
    .await
}

pub async fn withdraw(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    reason: String,
) -> Result<Application, AppError> {
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "too_long"));
    }
    let (uid, base) = (user.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let row = model::find_owned(c, id, uid)?;
        if !row.status.is_live() {
            return Err(AppError::conflict(
                ErrorCode::NotEditable,
                format!("the application is {}", row.status),
            ));
        }
        // After the deadline the application is in judging, and after publication it is part
        // of a public record; withdrawing then would silently remove a result and feedback.
        let contest = contests::find(c, row.contest_id)?;
        if !contest.is_open(now()) {
            return Err(window_closed(&contest));
        }
        if model::results_published(c, row.contest_id)? {
            return Err(AppError::conflict(
                ErrorCode::ResultsPublished,
                "results of this contest are published; the application can no longer be withdrawn",
            ));
        }
        let reason = Some(reason.trim()).filter(|r| !r.is_empty());
        model::set_status(c, id, ApplicationStatus::Withdrawn, reason)?;
        audit_entry(
            c,
            uid,
            "application.withdrawn",
            id,
            json!({"reason": reason}),
        )?;
        let user = crate::auth::model::find_by_id(c, uid)?.ok_or(AppError::NotFound)?;
        c.mail_for(
            &user,
            "application_withdrawn",
            format!("application_withdrawn:{id}"),
            vec![
                ("name", user.name.clone()),
                ("company", row.company_name.clone()),
                ("link", format!("{base}/applications/{id}")),
            ],
        )?;
        view_id(c, id)
    })
    .await
}

pub async fn disqualify(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    reason: String,
) -> Result<Application, AppError> {
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("reason", "required"));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "too_long"));
    }
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let row = model::find(c, id)?;
        if row.status == ApplicationStatus::Disqualified {
            return Err(AppError::conflict(
                ErrorCode::AlreadyDisqualified,
                "the application is already disqualified",
            ));
        }
        if row.status == ApplicationStatus::Withdrawn {
            return Err(AppError::conflict(
                ErrorCode::NotEditable,
                "the application was withdrawn",
            ));
        }
        model::set_status(c, id, ApplicationStatus::Disqualified, Some(&reason))?;
        audit_entry(
            c,
            actor,
            "application.disqualified",
            id,
            json!({"reason": reason, "previous": row.status}),
        )?;
        let user =
            crate::auth::model::find_by_id(c, row.applicant_id)?.ok_or(AppError::NotFound)?;
        c.mail_for(
            &user,
            "application_disqualified",
            format!("application_disqualified:{id}"),
            vec![
                ("name", user.name.clone()),
                ("company", row.company_name.clone()),
                ("reason", reason.clone()),
                ("link", format!("{base}/applications/{id}")),
            ],
        )?;
        view_id(c, id)
    })
    .await
}
