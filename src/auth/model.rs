//! User rows and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::users;
use crate::db::text_enum::text_enum;
use crate::db::{DbConn, now};
use crate::error::AppError;

text_enum! {
    /// What a user is. Stored as this text in `users.role` and carried in access tokens.
    pub enum Role {
        Admin = "admin",
        Judge = "judge",
        Applicant = "applicant",
    }
}

pub const LOCALES: [&str; 3] = ["en", "ko", "zh"];

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub name: String,
    pub locale: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Set on an organiser's staff: an administrator bounded by this organisation.
    pub organisation_id: Option<i64>,
}

impl UserRow {
    pub fn role(&self) -> Result<Role, AppError> {
        Ok(self.role)
    }

    /// The role an access token claims: `staff` for an organiser's staff (an administrator
    /// bounded by an organisation), so owner-only routes refuse them before reading a body.
    pub fn claim_role(&self) -> &'static str {
        match (self.role, self.organisation_id) {
            (Role::Admin, Some(_)) => STAFF_CLAIM,
            (role, _) => role.as_str(),
        }
    }
}

/// The claimed role of an organiser's staff (`UserRow::claim_role`).
pub const STAFF_CLAIM: &str = "staff";

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub name: &'a str,
    pub locale: &'a str,
    pub role: &'a str,
    pub verified_at: Option<NaiveDateTime>,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The one spelling of an address, used before every lookup and insert (sign-up, sign-in,
/// reset, invitations and their CSV import): trimmed, lower case and Unicode NFC, so case and
/// composed-or-decomposed accents (`é` as one code point or `e` + U+0301) name one account and
/// the unique index enforces it.
pub fn normalize_email(email: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    email.trim().to_lowercase().nfc().collect()
}

pub fn find_by_id(conn: &mut DbConn, id: i64) -> Result<Option<UserRow>, AppError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Whether the session (refresh family) `$session` of user `$id` is open: an SQL expression,
/// so a caller can read it in the statement that reads the user row.
macro_rules! session_open {
    ($id:expr, $session:expr) => {{
        use $crate::db::schema::refresh_tokens as rt;
        diesel::dsl::exists(
            rt::table
                .filter(rt::family.eq($session.to_string()))
                .filter(rt::user_id.eq($id))
                .filter(rt::revoked_at.is_null())
                .filter(rt::expires_at.gt($crate::db::now())),
        )
    }};
}
pub(crate) use session_open;

/// The user an access token names and whether the token's session (its refresh family) is
/// still open, in the one query every signed-in request makes.
pub fn find_with_session(
    conn: &mut DbConn,
    id: i64,
    session: &str,
) -> Result<Option<(UserRow, bool)>, AppError> {
    Ok(crate::db::native!(conn, |c| users::table
        .find(id)
        .select((UserRow::as_select(), session_open!(id, session)))
        .first(c)
        .optional())?)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<UserRow>, AppError> {
    Ok(users::table
        .filter(users::email.eq(normalize_email(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConn, user: &NewUser<'_>) -> Result<i64, AppError> {
    Ok(diesel::insert_into(users::table)
        .values(user)
        .returning(users::id)
        .get_result(conn)?)
}

pub fn any_admin(conn: &mut DbConn) -> Result<bool, AppError> {
    let n: i64 = users::table
        .filter(users::role.eq(Role::Admin))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Makes the account staff of an organisation (an administrator bounded by it).
pub fn set_organisation(conn: &mut DbConn, id: i64, organisation: i64) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((
            users::organisation_id.eq(Some(organisation)),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets the password; `verified` (the time the address counts as confirmed) also marks the
/// address verified, since a link that sets a password proves the mailbox.
pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    verified: Option<NaiveDateTime>,
) -> Result<(), AppError> {
    let target = users::table.find(id);
    let t = now();
    match verified {
        Some(v) => diesel::update(target)
            .set((
                users::password_hash.eq(hash),
                users::verified_at.eq(Some(v)),
                users::updated_at.eq(t),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((users::password_hash.eq(hash), users::updated_at.eq(t)))
            .execute(conn)?,
    };
    Ok(())
}

pub fn mark_verified(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    let t = now();
    diesel::update(users::table.find(id))
        .set((users::verified_at.eq(t), users::updated_at.eq(t)))
        .execute(conn)?;
    Ok(())
}

pub fn set_name(conn: &mut DbConn, id: i64, name: &str) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((users::name.eq(name), users::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

pub fn set_locale(conn: &mut DbConn, id: i64, locale: &str) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((users::locale.eq(locale), users::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

/// Disabling keeps the account but refuses every sign-in; the caller ends its sessions.
pub fn set_disabled(conn: &mut DbConn, id: i64, disabled: bool) -> Result<(), AppError> {
    let t = now();
    diesel::update(users::table.find(id))
        .set((
            users::disabled_at.eq(disabled.then_some(t)),
            users::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

/// Keeps the row (old audit entries and rows point at it) but nothing in it names a person:
/// the address becomes `email`, the name and password go, and every token dies.
pub fn anonymise(conn: &mut DbConn, id: i64, email: &str) -> Result<(), AppError> {
    let t = now();
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::name.eq(""),
            users::password_hash.eq(None::<String>),
            users::disabled_at.eq(Some(t)),
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
}

/// An unverified sign-up at an address an administrator invites as a judge becomes that judge:
/// whoever chose its password never proved the mailbox, so the password goes, and the
/// invitation link (which does reach the mailbox) sets the next one.
pub fn make_invited_judge(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    locale: &str,
) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .filter(users::verified_at.is_null())
        .set((
            users::role.eq(Role::Judge),
            users::password_hash.eq(None::<String>),
            users::name.eq(name),
            users::locale.eq(locale),
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Bumping the version invalidates every access token issued before, at once.
pub fn bump_token_version(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
