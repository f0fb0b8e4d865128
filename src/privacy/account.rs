//! An applicant deletes their own account. Allowed only while no application of theirs was ever
//! submitted: a submitted, withdrawn or disqualified one is part of the contest's record (the
//! administrators erase it after the contest). The user row is kept but anonymised, so the ids
//! in old audit entries and any row that points at the user stay valid while nothing in it
//! identifies a person any more.

use serde_json::json;

use crate::applications::model as applications;
use crate::applications::model::ApplicationStatus;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::{self as users, Role};
use crate::auth::tokens;
use crate::db;
use crate::error::{AppError, ErrorCode};
use crate::mail;
use crate::state::AppState;
use crate::unit;

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
    let keys = unit::write(state, move |c| {
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
        let keys = applications::delete_drafts(c, &ids)?;
        tokens::forget_user(c, uid, &email)?;
        let mails = mail::forget_recipient(c, uid, &email)?;
        users::anonymise(c, uid, &deleted_email(uid))?;
        c.audit(Entry {
            actor_id: Some(uid),
            action: "account.deleted",
            entity: "user",
            entity_id: Some(uid.to_string()),
            details: json!({
                "drafts_removed": ids,
                "documents_removed": keys.len(),
                "emails_removed": mails,
            }),
        })?;
        Ok(keys)
    })
    .await?;
    for key in keys {
        if let Err(e) = state.storage.delete(&key).await {
            tracing::warn!(%key, error = %e, "file of a deleted account not removed");
        }
    }
    Ok(())
}
