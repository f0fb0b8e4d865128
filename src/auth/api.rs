//! Request and response bodies of the account endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Role, UserRow};
use crate::error::{AppError, FieldErrors};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// en | ko | zh
    pub locale: String,
    pub verified: bool,
    pub created_at: DateTime<Utc>,
    /// Set on an organiser's staff (an administrator bounded by this organisation); null for
    /// contest owners and everyone else.
    pub organisation_id: Option<i64>,
}

impl Me {
    pub fn from_row(row: &UserRow) -> Result<Me, AppError> {
        Ok(Me {
            id: row.id,
            email: row.email.clone(),
            name: row.name.clone(),
            role: row.role()?,
            locale: row.locale.clone(),
            verified: row.verified_at.is_some(),
            created_at: row.created_at.and_utc(),
            organisation_id: row.organisation_id,
        })
    }
}

/// A signed-in session: the access token goes in the `Authorization: Bearer` header; the
/// refresh token travels only in the HttpOnly cookie set with this response.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: Me,
}

/// What `POST /auth/login` answers with 200: a session, or for an account with two-factor
/// sign-in a challenge to finish at `POST /auth/login/2fa`. Documentation only: the handler
/// writes either body itself.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginAnswer {
    Session(SessionResponse),
    TwoFactor(super::two_factor::api::TwoFactorChallenge),
}

/// What `PATCH /me` answers with 200: the user, or a fresh session after a password change
/// that ended the other sessions. Documentation only, like [`LoginAnswer`].
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum MeUpdated {
    Me(Me),
    Session(SessionResponse),
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    /// End every session of this user, on every device.
    #[serde(default)]
    pub all: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub name: Option<String>,
    pub locale: Option<String>,
    /// Required with `new_password`.
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    /// With `new_password`: sign out every other device (default `true`). This device stays
    /// signed in with the fresh session in the answer.
    pub end_other_sessions: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub name: String,
    /// en | ko | zh (default en); emails follow it.
    #[serde(default = "default_locale")]
    pub locale: String,
}

fn default_locale() -> String {
    "en".into()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub token: String,
    pub password: String,
}

/// The same answer whether or not the address is registered.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// Always `check_your_email`.
    pub status: &'static str,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SetupQuery {
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct SetupStatus {
    pub valid: bool,
}

pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;

pub fn check_name(field: &str, name: &str, errors: &mut FieldErrors) {
    let n = name.trim().chars().count();
    if n == 0 {
        errors.add(field, "required");
    } else if n > NAME_MAX {
        errors.add(field, "too_long");
    } else if name.chars().any(char::is_control) {
        errors.add(field, "invalid");
    }
}

/// Deliberately simple: one `@`, something on both sides, a dot in the domain, no spaces. The
/// verification email is the real test of an address.
pub fn check_email(field: &str, email: &str, errors: &mut FieldErrors) {
    let e = email.trim();
    if e.is_empty() {
        errors.add(field, "required");
        return;
    }
    if e.len() > EMAIL_MAX {
        errors.add(field, "too_long");
        return;
    }
    let valid = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ','
                })
        }
        None => false,
    };
    if !valid {
        errors.add(field, "invalid_email");
    }
}

pub fn check_locale(field: &str, locale: &str, errors: &mut FieldErrors) {
    if !super::model::LOCALES.contains(&locale) {
        errors.add(field, "invalid_locale");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        let ok = ["a@b.co", "김민준@회사.한국", "x.y+z@sub.example.cn"];
        let bad = [
            "", "a", "a@b", "@b.co", "a@.co", "a b@c.de", "a@b@c.de", "a@b.co,", "<a@b.co>",
        ];
        for e in ok {
            let mut f = FieldErrors::default();
            check_email("e", e, &mut f);
            assert!(f.is_empty(), "{e}");
        }
        for e in bad {
            let mut f = FieldErrors::default();
            check_email("e", e, &mut f);
            assert!(!f.is_empty(), "{e}");
        }
    }
}
