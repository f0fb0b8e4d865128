//! Role extractors. A handler states who may call it in its signature (`Admin`, `Judge`,
//! `Applicant`, or any signed-in `AuthUser`); there is no path list to keep in step.
//! The user row is read on every request so that disabling an account, logging out everywhere
//! or changing the password (all of which bump `token_version`) take effect at once; the same
//! query checks that the token's session is still open, so signing out of one device, or a
//! refresh family revoked for reuse, ends that device's access tokens at once too.
//! The extracted user carries every column `GET /me` shows, so a handler never reads the row
//! a second time (issue 20: that second read was a third of the signed-in floor).

use std::future::{Future, Ready, ready};
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::jwt::Claims;
use super::model::{self, Role, UserRow};
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub role: Role,
    pub email: String,
    pub name: String,
    pub locale: String,
    /// The session (refresh family) the access token belongs to.
    pub session: String,
    /// Whether the email address is verified.
    pub verified: bool,
    pub created_at: chrono::NaiveDateTime,
    /// Staff of an organiser: an administrator bounded by this organisation (`scope.rs`).
    pub organisation_id: Option<i64>,
}

impl AuthUser {
    /// A contest owner: an administrator bounded by no organisation.
    pub fn is_owner(&self) -> bool {
        self.role == Role::Admin && self.organisation_id.is_none()
    }
}

fn bearer(req: &HttpRequest) -> Result<String, AppError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(AppError::Unauthorized)?
        .to_str()
        .map_err(|_| AppError::InvalidToken)?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(AppError::InvalidToken),
    }
}

/// The token's claims, checked without touching the database. Role extractors use the claimed
/// role to refuse at once, so a caller of the wrong role always gets 403, never a body error.
fn claims(req: &HttpRequest) -> Result<(web::Data<AppState>, Claims), AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("AppState missing"))?;
    let claims = state.keys.verify(&bearer(req)?)?;
    Ok((state, claims))
}

async fn authenticate(state: web::Data<AppState>, claims: Claims) -> Result<AuthUser, AppError> {
    db::run(&state.db, move |c| check(c, claims)).await
}

/// The database half of every sign-in check: the user row and the token's session, in one
/// query.
fn check(c: &mut DbConn, claims: Claims) -> Result<AuthUser, AppError> {
    let (id, session) = names(&claims)?;
    let found = model::find_with_session(c, id, session)?;
    check_row(claims, found)
}

/// The user and session a token names.
fn names(claims: &Claims) -> Result<(i64, &str), AppError> {
    let id = claims.user_id()?;
    if claims.sid.is_empty() {
        return Err(AppError::InvalidToken);
    }
    Ok((id, &claims.sid))
}

/// The checks on the user row and session the token names, read by the caller.
fn check_row(claims: Claims, found: Option<(UserRow, bool)>) -> Result<AuthUser, AppError> {
    let (row, open) = found.ok_or(AppError::InvalidToken)?;
    if !open
        || row.disabled_at.is_some()
        || row.token_version != claims.ver
        || row.claim_role() != claims.role
    {
        return Err(AppError::InvalidToken);
    }
    Ok(AuthUser {
        id: row.id,
        role: row.role()?,
        email: row.email,
        name: row.name,
        locale: row.locale,
        session: claims.sid,
        verified: row.verified_at.is_some(),
        created_at: row.created_at,
        organisation_id: row.organisation_id,
    })
}

/// A judge's token whose signature and role claim are checked; `confirm` checks the user row
/// and the session inside the handler's own database call. The judge queue revalidates in one
/// pool hop this way instead of two (issue 20). Every refusal is the one `Judge` gives, and a
/// caller of another role is refused at once, as there.
#[derive(Debug)]
pub struct JudgeToken(Claims);

impl JudgeToken {
    pub fn confirm(self, c: &mut DbConn) -> Result<AuthUser, AppError> {
        let (id, session) = self.names()?;
        let found = model::find_with_session(c, id, session)?;
        self.confirm_row(found)
    }

    /// The user and session the token names, for a caller that reads the user row with more
    /// in the same statement (`model::session_open!`) and then calls `confirm_row`.
    pub fn names(&self) -> Result<(i64, &str), AppError> {
        names(&self.0)
    }

    /// `confirm` on the row and session state the caller read for `names`.
    pub fn confirm_row(self, found: Option<(UserRow, bool)>) -> Result<AuthUser, AppError> {
        let user = check_row(self.0, found)?;
        if user.role != Role::Judge {
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }
}

impl FromRequest for JudgeToken {
    type Error = AppError;
    type Future = Ready<Result<JudgeToken, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(claims(req).and_then(|(_, claims)| {
            if claims.role == Role::Judge.as_str() {
                Ok(JudgeToken(claims))
            } else {
                Err(AppError::Forbidden)
            }
        }))
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = claims(req);
        Box::pin(async move {
            let (state, claims) = checked?;
            authenticate(state, claims).await
        })
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        role_extractor!($(#[$doc])* $name, $role, [$role.as_str()], |_user: &AuthUser| true);
    };
    ($(#[$doc:meta])* $name:ident, $role:expr, $claims:expr, $admits:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub AuthUser);

        impl Deref for $name {
            type Target = AuthUser;
            fn deref(&self) -> &AuthUser {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Pin<Box<dyn Future<Output = Result<$name, AppError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let checked = claims(req).and_then(|(state, claims)| {
                    if $claims.contains(&claims.role.as_str()) { Ok((state, claims)) } else { Err(AppError::Forbidden) }
                });
                Box::pin(async move {
                    let (state, claims) = checked?;
                    let user = authenticate(state.clone(), claims).await?;
                    if user.role != $role || !($admits)(&user) {
                        return Err(AppError::Forbidden);
                    }
                    // JURY_REQUIRE_ADMIN_2FA: admin endpoints wait for enrolment; `/me` and
                    // `/me/2fa/*` take any `AuthUser`, so enrolling stays possible.
                    if user.role == Role::Admin && state.config.require_admin_2fa {
                        require_enrolled(&state, user.id).await?;
                    }
                    Ok($name(user))
                })
            }
        }
    };
}

role_extractor!(
    /// A contest owner: an administrator bounded by no organisation. Organiser staff get 403
    /// here, so a route that takes `Admin` is owner-only.
    Admin,
    Role::Admin,
    [Role::Admin.as_str()],
    |user: &AuthUser| user.organisation_id.is_none()
);
role_extractor!(
    /// An administrator of any scope: an owner, or an organiser's staff. The handler asks
    /// `scope.rs` about every object it touches (another scope's answers 404).
    Staff,
    Role::Admin,
    [Role::Admin.as_str(), model::STAFF_CLAIM],
    |_user: &AuthUser| true
);
role_extractor!(
    /// A signed-in judge.
    Judge,
    Role::Judge
);
role_extractor!(
    /// A signed-in applicant.
    Applicant,
    Role::Applicant
);

/// For `JURY_REQUIRE_ADMIN_2FA`: refuses an administrator who has not enrolled.
pub async fn require_enrolled(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let enabled = db::run(&state.db, move |c| {
        Ok(super::two_factor::model::find(c, user_id)?.is_some_and(|r| r.enabled_at.is_some()))
    })
    .await?;
    if enabled {
        Ok(())
    } else {
        Err(AppError::Refused {
            code: ErrorCode::TwoFactorSetupRequired,
            message: "administrators must turn on two-factor sign-in first (account screen)".into(),
        })
    }
}
