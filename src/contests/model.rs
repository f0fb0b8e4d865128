//! Contest rows and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::{AwardTier, Contest, Eligibility, I18nText, Track};
use super::questions::Question;
use crate::db::schema::contests;
use crate::db::{DbConn, now};
use crate::error::{AppError, ErrorCode};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, AsChangeset)]
#[diesel(table_name = contests, treat_none_as_null = true)]
pub struct ContestRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub timezone: String,
    pub tracks: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub eligibility: String,
    pub published: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub awards: String,
    pub archived_at: Option<NaiveDateTime>,
    pub previous_id: Option<i64>,
    pub questions: String,
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, AppError> {
    serde_json::from_str(s).map_err(|e| AppError::internal(format!("contest {what} JSON: {e}")))
}

impl ContestRow {
    pub fn tracks(&self) -> Result<Vec<Track>, AppError> {
        parse("tracks", &self.tracks)
    }
    pub fn eligibility(&self) -> Result<Eligibility, AppError> {
        parse("eligibility", &self.eligibility)
    }
    pub fn names(&self) -> Result<I18nText, AppError> {
        parse("name", &self.name)
    }
    pub fn awards(&self) -> Result<Vec<AwardTier>, AppError> {
        parse("awards", &self.awards)
    }
    pub fn questions(&self) -> Result<Vec<Question>, AppError> {
        parse("questions", &self.questions)
    }
    /// The name in `locale`, else English.
    pub fn name_in(&self, locale: &str) -> Result<String, AppError> {
        let names = self.names()?;
        Ok(names
            .get(locale)
            .filter(|s| !s.trim().is_empty())
            .or(names.get("en"))
            .cloned()
            .unwrap_or_default())
    }
    /// Archived editions are read-only.
    pub fn writable(&self) -> Result<(), AppError> {
        match self.archived_at {
            Some(_) => Err(AppError::conflict(
                ErrorCode::ContestArchived,
                "the edition is archived; restore it before changing it",
            )),
            None => Ok(()),
        }
    }
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.opens_at <= at && at < self.closes_at
    }
    pub fn phase(&self, at: NaiveDateTime) -> &'static str {
        if at < self.opens_at {
            "upcoming"
        } else if at < self.closes_at {
            "open"
        } else {
            "closed"
        }
    }
    pub fn to_api(&self, drafts: i64) -> Result<Contest, AppError> {
        let t = now();
        Ok(Contest {
            id: self.id,
            slug: self.slug.clone(),
            name: self.names()?,
            description: parse("description", &self.description)?,
            timezone: self.timezone.clone(),
            tracks: self.tracks()?,
            opens_at: self.opens_at.and_utc(),
            closes_at: self.closes_at.and_utc(),
            eligibility: self.eligibility()?,
            published: self.published,
            awards: self.awards()?,
            questions: self.questions()?,
            archived_at: self.archived_at.map(|a| a.and_utc()),
            previous_id: self.previous_id,
            drafts,
            phase: self.phase(t),
            server_time: t.and_utc(),
        })
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<ContestRow, AppError> {
    Ok(contests::table
        .find(id)
        .select(ContestRow::as_select())
        .first(conn)?)
}

pub fn list(conn: &mut DbConn, only_published: bool) -> Result<Vec<ContestRow>, AppError> {
    let mut q = contests::table
        .select(ContestRow::as_select())
        .order(contests::opens_at.desc())
        .into_boxed();
    if only_published {
        q = q.filter(contests::published.eq(true));
    }
    Ok(q.load(conn)?)
}

pub fn slug_taken(conn: &mut DbConn, slug: &str, except: Option<i64>) -> Result<bool, AppError> {
    let mut q = contests::table.filter(contests::slug.eq(slug)).into_boxed();
    if let Some(id) = except {
        q = q.filter(contests::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn insert(conn: &mut DbConn, row: &ContestRow) -> Result<i64, AppError> {
    Ok(diesel::insert_into(contests::table)
        .values((
            contests::slug.eq(&row.slug),
            contests::name.eq(&row.name),
            contests::description.eq(&row.description),
            contests::timezone.eq(&row.timezone),
            contests::tracks.eq(&row.tracks),
            contests::opens_at.eq(row.opens_at),
            contests::closes_at.eq(row.closes_at),
            contests::eligibility.eq(&row.eligibility),
            contests::published.eq(row.published),
            contests::created_at.eq(row.created_at),
            contests::updated_at.eq(row.updated_at),
            contests::awards.eq(&row.awards),
            contests::archived_at.eq(row.archived_at),
            contests::previous_id.eq(row.previous_id),
            contests::questions.eq(&row.questions),
        ))
        .returning(contests::id)
        .get_result(conn)?)
}

pub fn update(conn: &mut DbConn, row: &ContestRow) -> Result<(), AppError> {
    diesel::update(contests::table.find(row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}
