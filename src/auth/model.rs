//! User rows and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::users;
use crate::db::text_enum::text_enum;
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
}

impl UserRow {
    pub fn role(&self) -> Result<Role, AppError> {
        Ok(self.role)
    }
}

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

/// Emails compare case-insensitively; storing them folded makes the unique index enforce it.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn find_by_id(conn: &mut DbConn, id: i64) -> Result<Option<UserRow>, AppError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
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

/// Bumping the version invalidates every access token issued before, at once.
pub fn bump_token_version(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}
