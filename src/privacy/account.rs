//! An applicant deletes their own account. Allowed only while no application of theirs was ever
//! submitted: a submitted, withdrawn or disqualified one is part of the contest's record (the
//! administrators erase it after the contest). The user row is kept but anonymised, so the ids
//! in old audit entries and any row that points at the user stay valid while nothing in it
//! identifies a person any more.

use diesel::prelude::*;
use serde_json::json;

use crate::applications::model as applications;
use crate::applications::model::ApplicationStatus;
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::auth::model::{self as users, Role};
use crate::db::schema::{
    applications as app_t, documents, notification_reads, one_time_tokens, outbox, refresh_tokens,
    users as users_t,
};
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// What an anonymised account's email becomes; `.invalid` never resolves (RFC 2606).
pub fn deleted_email(id: i64) -> String {
    format!("deleted-{id}@deleted.invalid")
}

pub async fn delete(state: &AppState, user: &AuthUser, password: String) -> Result<(), AppError> {
    if user.role != Role::Applicant {
        return Err(AppError::Refused {
            code: ErrorCode::AccountDeletionNotAllowed,
            message: "judge and administrator accounts are closed by an administrator".into(),
        });
    }
    let uid = user.id;
    let stored = db::run(&state.db, move |c| users::find_by_id(c, uid))
        .await?
        .and_then(|u| u.password_hash);
    if password.is_empty() || !state.hasher.verify(password, stored).await?.ok {
        return Err(AppError::field("password", "incorrect"));
    }

    let email = user.email.clone();
    let keys = db::write(&state.db, move |c| {
        let mine = applications::mine(c, uid)?;
        if let Some(kept) = mine
            .iter()
            .find(|a| a.status != ApplicationStatus::Draft || a.submitted_at.is_some())
        {
            return Err(AppError::conflict(
                ErrorCode::ApplicationSubmitted,
                format!(
                    "application {} was submitted ({}); it stays on record for the contest",
                    kept.id, kept.status
                ),
            ));
        }
        let ids: Vec<i64> = mine.iter().map(|a| a.id).collect();
        let keys: Vec<String> = documents::table
            .filter(documents::application_id.eq_any(&ids))
            .select(documents::storage_key)
            .load(c)?;
        diesel::delete(documents::table.filter(documents::application_id.eq_any(&ids)))
            .execute(c)?;
        diesel::delete(app_t::table.filter(app_t::id.eq_any(&ids))).execute(c)?;
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(uid))).execute(c)?;
        diesel::delete(
            one_time_tokens::table.filter(
                one_time_tokens::user_id
                    .eq(uid)
                    .or(one_time_tokens::email.eq(&email)),
            ),
        )
        .execute(c)?;
        // Mail to them is their notification history: pending mail is never sent, sent mail
        // no longer kept.
        let mails = diesel::delete(
            outbox::table.filter(outbox::user_id.eq(uid).or(outbox::to_address.eq(&email))),
        )
        .execute(c)?;
        diesel::delete(notification_reads::table.filter(notification_reads::user_id.eq(uid)))
            .execute(c)?;
        let t = now();
        diesel::update(users_t::table.find(uid))
            .set((
                users_t::email.eq(deleted_email(uid)),
                users_t::name.eq(""),
                users_t::password_hash.eq(None::<String>),
                users_t::disabled_at.eq(Some(t)),
                users_t::token_version.eq(users_t::token_version + 1),
                users_t::updated_at.eq(t),
            ))
            .execute(c)?;
        audit::record(
            c,
            Entry {
                actor_id: Some(uid),
                action: "account.deleted",
                entity: "user",
                entity_id: Some(uid.to_string()),
                details: json!({
                    "drafts_removed": ids,
                    "documents_removed": keys.len(),
                    "emails_removed": mails,
                }),
            },
        )?;
        Ok(keys)
    })
    .await?;
    for key in keys {
        if let Err(e) = state.storage.delete(&key) {
            tracing::warn!(%key, error = %e, "file of a deleted account not removed");
        }
    }
    Ok(())
}
