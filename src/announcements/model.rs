//! The `announcements` table: what was sent, to whom (the audience) and how many it reached.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::Announcement;
use crate::db::DbConn;
use crate::db::schema::announcements;
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = announcements)]
pub struct AnnouncementRow {
    pub id: i64,
    pub contest_id: i64,
    pub audience: String,
    pub subject: String,
    pub body: String,
    pub recipients: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

impl AnnouncementRow {
    pub fn to_api(&self) -> Result<Announcement, AppError> {
        Ok(Announcement {
            id: self.id,
            contest_id: self.contest_id,
            audience: parse("audience", &self.audience)?,
            subject: parse("subject", &self.subject)?,
            body: parse("body", &self.body)?,
            recipients: i64::from(self.recipients),
            created_by: self.created_by,
            created_at: self.created_at.and_utc(),
        })
    }
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, AppError> {
    serde_json::from_str(s).map_err(|e| AppError::internal(format!("announcement {what}: {e}")))
}

/// A new row; the texts are stored as JSON.
pub struct NewAnnouncement<'a> {
    pub contest_id: i64,
    pub audience: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub recipients: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert(c: &mut DbConn, a: &NewAnnouncement<'_>) -> Result<i64, AppError> {
    Ok(diesel::insert_into(announcements::table)
        .values((
            announcements::contest_id.eq(a.contest_id),
            announcements::audience.eq(a.audience),
            announcements::subject.eq(a.subject),
            announcements::body.eq(a.body),
            announcements::recipients.eq(a.recipients),
            announcements::created_by.eq(a.created_by),
            announcements::created_at.eq(a.created_at),
        ))
        .returning(announcements::id)
        .get_result(c)?)
}

/// The contest's announcements, newest first.
pub fn list(c: &mut DbConn, contest_id: i64) -> Result<Vec<AnnouncementRow>, AppError> {
    Ok(announcements::table
        .filter(announcements::contest_id.eq(contest_id))
        .order((announcements::created_at.desc(), announcements::id.desc()))
        .select(AnnouncementRow::as_select())
        .load(c)?)
}

/// Rewrites the contest's announcements whose subject or body `scrub` changes (erasure).
pub fn scrub(c: &mut DbConn, contest_id: i64, scrub: crate::db::Scrub) -> Result<usize, AppError> {
    let rows: Vec<(i64, String, String)> = announcements::table
        .filter(announcements::contest_id.eq(contest_id))
        .select((
            announcements::id,
            announcements::subject,
            announcements::body,
        ))
        .load(c)?;
    let mut changed = 0;
    for (id, subject, body) in rows {
        let (s, b) = (scrub(&subject), scrub(&body));
        if s.is_some() || b.is_some() {
            diesel::update(announcements::table.find(id))
                .set((
                    announcements::subject.eq(s.unwrap_or(subject)),
                    announcements::body.eq(b.unwrap_or(body)),
                ))
                .execute(c)?;
            changed += 1;
        }
    }
    Ok(changed)
}
