//! Issuing a session: the access token and refresh token every completed sign-in answers with
//! (password, second factor, e-mail verification, invitation).

use super::api::Me;
use super::model::UserRow;
use super::tokens::Refresh;
use crate::error::AppError;
use crate::state::AppState;

pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: Me,
}

pub fn session_for(
    state: &AppState,
    user: &UserRow,
    refresh: Refresh,
) -> Result<Session, AppError> {
    Ok(Session {
        access_token: state.keys.issue(
            user.id,
            user.claim_role(),
            user.token_version,
            &refresh.family,
        )?,
        refresh_token: refresh.raw,
        expires_in: state.keys.access_ttl_secs,
        user: Me::from_row(user)?,
    })
}
