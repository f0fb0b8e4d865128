//! Application and document rows and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::{Application, ApplicationActions, Document, Presence, TeamMember, completeness};
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

/// What an erased application's text fields read afterwards (`privacy::erase` writes it).
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

impl DocumentRow {
    pub fn to_api(&self) -> Document {
        Document {
            id: self.id,
            kind: self.kind.clone(),
            original_name: self.original_name.clone(),
            content_type: self.content_type.clone(),
            size_bytes: self.size_bytes,
            sha256: self.sha256.clone(),
            created_at: self.created_at.and_utc(),
            flags: serde_json::from_str(&self.flags).unwrap_or_default(),
            page_count: self.page_count,
            url: format!(
                "/api/v1/applications/{}/documents/{}",
                self.application_id, self.id
            ),
        }
    }
}

impl ApplicationRow {
    pub fn team(&self) -> Vec<TeamMember> {
        serde_json::from_str(&self.team).unwrap_or_default()
    }

    pub fn presence<'a>(&'a self, team_members: usize, has_deck: bool) -> Presence<'a> {
        Presence {
            company_name: &self.company_name,
            country: &self.country,
            city: &self.city,
            founded_year: self.founded_year,
            team_size: self.team_size,
            stage: &self.stage,
            track: &self.track,
            summary: &self.summary,
            problem: &self.problem,
            solution: &self.solution,
            market: &self.market,
            team_members,
            has_deck,
        }
    }

    /// `results_published`: whether any round of the contest has published results (then the
    /// application is part of a public record and can no longer be withdrawn).
    pub fn to_api(
        &self,
        contest: &ContestRow,
        deck: Option<&DocumentRow>,
        results_published: bool,
    ) -> Application {
        let team = self.team();
        let completeness = completeness(&self.presence(team.len(), deck.is_some()));
        let editable = self.is_editable(contest, now());
        let actions = ApplicationActions {
            edit: editable,
            submit: editable
                && self.status == ApplicationStatus::Draft
                && completeness.missing.is_empty(),
            withdraw: editable && !results_published,
        };
        Application {
            id: self.id,
            contest_id: self.contest_id,
            status: self.status.as_str().to_string(),
            status_reason: self.status_reason.clone(),
            company_name: self.company_name.clone(),
            company_name_native: self.company_name_native.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            founded_year: self.founded_year,
            team_size: self.team_size,
            stage: self.stage.clone(),
            track: self.track.clone(),
            website: self.website.clone(),
            summary: self.summary.clone(),
            problem: self.problem.clone(),
            solution: self.solution.clone(),
            market: self.market.clone(),
            traction: self.traction.clone(),
            team,
            video_url: self.video_url.clone(),
            version: self.version,
            deck: deck.map(DocumentRow::to_api),
            completeness,
            editable,
            actions,
            closes_at: contest.closes_at.and_utc(),
            submitted_at: self.submitted_at.map(|t| t.and_utc()),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            erased_at: self.erased_at.map(|t| t.and_utc()),
        }
    }

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
