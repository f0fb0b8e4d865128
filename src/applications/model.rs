//! Application and document rows and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::changes::Changes;
use crate::contests::model::ContestRow;
use crate::db::schema::{applications, documents, published_results, rounds};
use crate::db::text_enum::text_enum;
use crate::db::{DbConn, now};
use crate::error::AppError;

text_enum! {
    /// Where an application is. Stored as this text in `applications.status`.
    pub enum ApplicationStatus {
        Draft = "draft",
        Submitted = "submitted",
        Withdrawn = "withdrawn",
        Disqualified = "disqualified",
    }
}

impl ApplicationStatus {
    /// Still in the contest: the applicant may edit it while the contest is open.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Draft | ApplicationStatus::Submitted
        )
    }
}

/// What an erased application's text fields read afterwards (`erase`; `privacy::erase` decides when).
pub const ERASED: &str = "[erased]";

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: i64,
    pub contest_id: i64,
    pub applicant_id: i64,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ApplicationStatus,
    pub company_name: String,
    pub company_name_native: String,
    pub country: String,
    pub city: String,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    pub stage: String,
    pub track: String,
    pub website: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub market: String,
    pub traction: String,
    pub team: String,
    pub video_url: String,
    pub status_reason: Option<String>,
    pub version: i32,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub erased_at: Option<NaiveDateTime>,
    pub answers: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: i64,
    pub application_id: i64,
    pub kind: String,
    pub storage_key: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
    pub flags: String,
    pub page_count: Option<i32>,
}

impl ApplicationRow {
    pub fn is_editable(&self, contest: &ContestRow, at: NaiveDateTime) -> bool {
        self.status.is_live() && contest.is_open(at)
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<ApplicationRow, AppError> {
    Ok(applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)?)
}

/// Whether any round of the contest has published results.
pub fn results_published(conn: &mut DbConn, contest_id: i64) -> Result<bool, AppError> {
    let n: i64 = published_results::table
        .inner_join(rounds::table)
        .filter(rounds::contest_id.eq(contest_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The application if `applicant_id` owns it; someone else's answers 404 like a missing one.
pub fn find_owned(
    conn: &mut DbConn,
    id: i64,
    applicant_id: i64,
) -> Result<ApplicationRow, AppError> {
    let row = find(conn, id)?;
    if row.applicant_id != applicant_id {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

pub fn find_for(
    conn: &mut DbConn,
    contest_id: i64,
    applicant_id: i64,
) -> Result<Option<ApplicationRow>, AppError> {
    Ok(applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::applicant_id.eq(applicant_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_draft(
    conn: &mut DbConn,
    contest_id: i64,
    applicant_id: i64,
) -> Result<i64, AppError> {
    let t = now();
    Ok(diesel::insert_into(applications::table)
        .values((
            applications::contest_id.eq(contest_id),
            applications::applicant_id.eq(applicant_id),
            applications::status.eq(ApplicationStatus::Draft),
            applications::created_at.eq(t),
            applications::updated_at.eq(t),
        ))
        .returning(applications::id)
        .get_result(conn)?)
}

/// Applies `changes` and bumps the version; with `expected` set, only if the version matches.
pub fn apply(
    conn: &mut DbConn,
    id: i64,
    changes: &Changes,
    expected: Option<i32>,
) -> Result<bool, AppError> {
    let mut q = diesel::update(applications::table)
        .filter(applications::id.eq(id))
        .into_boxed();
    if let Some(v) = expected {
        q = q.filter(applications::version.eq(v));
    }
    let n = q
        .set((
            changes,
            applications::version.eq(applications::version + 1),
            applications::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn touch(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(applications::table.find(id))
        .set((
            applications::version.eq(applications::version + 1),
            applications::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: ApplicationStatus,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let t = now();
    let submitted_at = (status == ApplicationStatus::Submitted).then_some(t);
    diesel::update(applications::table.find(id))
        .set((
            applications::status.eq(status),
            applications::status_reason.eq(reason),
            applications::version.eq(applications::version + 1),
            applications::updated_at.eq(t),
        ))
        .execute(conn)?;
    if let Some(t) = submitted_at {
        diesel::update(applications::table.find(id))
            .set(applications::submitted_at.eq(t))
            .execute(conn)?;
    }
    Ok(())
}

pub fn deck(conn: &mut DbConn, application_id: i64) -> Result<Option<DocumentRow>, AppError> {
    Ok(documents::table
        .filter(documents::application_id.eq(application_id))
        .filter(documents::kind.eq("pitch_deck"))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn document(conn: &mut DbConn, application_id: i64, id: i64) -> Result<DocumentRow, AppError> {
    Ok(documents::table
        .filter(documents::application_id.eq(application_id))
        .filter(documents::id.eq(id))
        .select(DocumentRow::as_select())
        .first(conn)?)
}

pub struct NewDocument<'a> {
    pub application_id: i64,
    pub storage_key: &'a str,
    pub original_name: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    /// JSON array of scan flags (`["javascript"]`).
    pub flags: &'a str,
    pub page_count: Option<i32>,
}

/// Replaces the pitch deck row; returns the storage key of the old file, to delete after commit.
pub fn replace_deck(
    conn: &mut DbConn,
    doc: &NewDocument<'_>,
) -> Result<(DocumentRow, Option<String>), AppError> {
    let old = deck(conn, doc.application_id)?;
    if let Some(old) = &old {
        diesel::delete(documents::table.find(old.id)).execute(conn)?;
    }
    let id: i64 = diesel::insert_into(documents::table)
        .values((
            documents::application_id.eq(doc.application_id),
            documents::kind.eq("pitch_deck"),
            documents::storage_key.eq(doc.storage_key),
            documents::original_name.eq(doc.original_name),
            documents::content_type.eq("application/pdf"),
            documents::size_bytes.eq(doc.size_bytes),
            documents::sha256.eq(doc.sha256),
            documents::flags.eq(doc.flags),
            documents::page_count.eq(doc.page_count),
            documents::created_at.eq(now()),
        ))
        .returning(documents::id)
        .get_result(conn)?;
    touch(conn, doc.application_id)?;
    Ok((
        document(conn, doc.application_id, id)?,
        old.map(|o| o.storage_key),
    ))
}

/// Deletes draft applications and their documents; returns the documents' storage keys, whose
/// files the caller removes after the commit.
pub fn delete_drafts(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<String>, AppError> {
    let keys: Vec<String> = documents::table
        .filter(documents::application_id.eq_any(ids))
        .select(documents::storage_key)
        .load(conn)?;
    diesel::delete(documents::table.filter(documents::application_id.eq_any(ids))).execute(conn)?;
    diesel::delete(applications::table.filter(applications::id.eq_any(ids))).execute(conn)?;
    Ok(keys)
}

/// Replaces what describes people or the company by [`ERASED`] and deletes the documents;
/// returns the documents (id, storage key), whose files the caller removes after the commit.
/// Country, track, stage, founding year and team size stay: they are statistics.
pub fn erase(conn: &mut DbConn, row: &ApplicationRow) -> Result<Vec<(i64, String)>, AppError> {
    let id = row.id;
    let docs = documents::table
        .filter(documents::application_id.eq(id))
        .select((documents::id, documents::storage_key))
        .load::<(i64, String)>(conn)?;
    diesel::delete(documents::table.filter(documents::application_id.eq(id))).execute(conn)?;
    let t = now();
    diesel::update(applications::table.find(id))
        .set((
            applications::company_name.eq(ERASED),
            applications::company_name_native.eq(ERASED),
            applications::city.eq(ERASED),
            applications::website.eq(""),
            applications::summary.eq(ERASED),
            applications::problem.eq(ERASED),
            applications::solution.eq(ERASED),
            applications::market.eq(ERASED),
            applications::traction.eq(ERASED),
            applications::team.eq("[]"),
            applications::video_url.eq(""),
            applications::answers.eq("{}"),
            applications::status_reason.eq(row.status_reason.as_ref().map(|_| ERASED)),
            applications::erased_at.eq(Some(t)),
            applications::version.eq(applications::version + 1),
            applications::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(docs)
}

/// The contest's submitted applications, by id.
pub fn submitted_in(conn: &mut DbConn, contest_id: i64) -> Result<Vec<ApplicationRow>, AppError> {
    Ok(applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::status.eq(ApplicationStatus::Submitted))
        .order(applications::id.asc())
        .select(ApplicationRow::as_select())
        .load(conn)?)
}

pub fn mine(conn: &mut DbConn, applicant_id: i64) -> Result<Vec<ApplicationRow>, AppError> {
    Ok(applications::table
        .filter(applications::applicant_id.eq(applicant_id))
        .order(applications::id.desc())
        .select(ApplicationRow::as_select())
        .load(conn)?)
}

pub fn track_in_use(
    conn: &mut DbConn,
    contest_id: i64,
    keys: &[String],
) -> Result<Option<String>, AppError> {
    if keys.is_empty() {
        return Ok(None);
    }
    Ok(applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::track.eq_any(keys))
        .select(applications::track)
        .first(conn)
        .optional()?)
}
