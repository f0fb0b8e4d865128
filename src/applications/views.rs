//! Joined reads of applications: the administrators' list with applicant and deck, and its
//! summaries. Writes stay in `model.rs`.

use diesel::prelude::*;

use super::api::ApplicationSummary;
use super::model::{ApplicationRow, ApplicationStatus, ERASED};
use crate::contests::questions::{answer_matches, parse_answers};
use crate::db::DbConn;
use crate::db::schema::{applications, documents, users};
use crate::error::AppError;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub struct Filter {
    pub status: Option<String>,
    pub track: Option<String>,
    pub country: Option<String>,
    pub q: Option<String>,
    /// A question key and, if given, the answer wanted (see `ListQuery::question`).
    pub answer: Option<(String, Option<String>)>,
    /// Only these ids: an organiser's scope (`scope::applications`).
    pub only: Option<Vec<i64>>,
}

type Listed = (ApplicationRow, String, String, Option<i64>);

/// One page of a contest's applications with their applicant and deck, newest first.
/// The page's ids are found first on the narrow index, and only those 50 rows are loaded
/// with their joins: sorting 10,000 full rows to keep 50 was the slow part.
pub fn list(
    conn: &mut DbConn,
    contest_id: i64,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Listed>, i64), AppError> {
    let text = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let build = || {
        let mut q = applications::table
            .filter(applications::contest_id.eq(contest_id))
            .into_boxed();
        if let Some(ids) = &f.only {
            q = q.filter(applications::id.eq_any(ids.clone()));
        }
        if let Some(s) = &f.status {
            q = q.filter(applications::status.eq(s.clone()));
        }
        if let Some(t) = &f.track {
            q = q.filter(applications::track.eq(t.clone()));
        }
        if let Some(c) = &f.country {
            q = q.filter(applications::country.eq(c.clone()));
        }
        if let Some(text) = text {
            let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
            let by_email = users::table
                .filter(lower(users::email).like(pattern.clone()))
                .select(users::id);
            q = q.filter(
                lower(applications::company_name)
                    .like(pattern.clone())
                    .or(lower(applications::company_name_native).like(pattern.clone()))
                    .or(lower(applications::summary).like(pattern))
                    .or(applications::applicant_id.eq_any(by_email)),
            );
        }
        q
    };
    let (ids, total): (Vec<i64>, i64) = match &f.answer {
        // Answers are JSON text, read alike by both databases only once parsed: the other
        // filters narrow the rows first and the answer is matched here.
        Some((key, wanted)) => {
            let matched: Vec<i64> = build()
                .order(applications::id.desc())
                .select((applications::id, applications::answers))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .filter(|(_, a)| {
                    parse_answers(a)
                        .get(key)
                        .is_some_and(|v| wanted.as_deref().is_none_or(|w| answer_matches(v, w)))
                })
                .map(|(id, _)| id)
                .collect();
            let total = matched.len() as i64;
            let page = matched
                .into_iter()
                .skip(usize::try_from(offset).unwrap_or(0))
                .take(usize::try_from(limit).unwrap_or(0))
                .collect();
            (page, total)
        }
        None => (
            build()
                .order(applications::id.desc())
                .offset(offset)
                .limit(limit)
                .select(applications::id)
                .load(conn)?,
            build().count().get_result(conn)?,
        ),
    };
    let rows: Vec<Listed> = applications::table
        .inner_join(users::table)
        .left_join(
            documents::table.on(documents::application_id
                .eq(applications::id)
                .and(documents::kind.eq("pitch_deck"))),
        )
        .filter(applications::id.eq_any(&ids))
        .order(applications::id.desc())
        .select((
            ApplicationRow::as_select(),
            users::name,
            users::email,
            documents::id.nullable(),
        ))
        .load::<Listed>(conn)?
        .into_iter()
        .map(mask_erased)
        .collect();
    Ok((rows, total))
}

/// An erased application no longer names its applicant in lists and exports.
fn mask_erased((row, name, email, deck): Listed) -> Listed {
    if row.erased_at.is_some() {
        let erased = ERASED.to_string();
        return (row, erased.clone(), erased, deck);
    }
    (row, name, email, deck)
}

pub fn summary((row, name, email, deck): &Listed) -> ApplicationSummary {
    ApplicationSummary {
        id: row.id,
        contest_id: row.contest_id,
        status: row.status.as_str().to_string(),
        company_name: row.company_name.clone(),
        company_name_native: row.company_name_native.clone(),
        country: row.country.clone(),
        track: row.track.clone(),
        applicant_name: name.clone(),
        applicant_email: email.clone(),
        has_deck: deck.is_some(),
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        updated_at: row.updated_at.and_utc(),
        erased_at: row.erased_at.map(|t| t.and_utc()),
    }
}

/// The question keys any application of the contest has answered (they are frozen).
pub fn answered_keys(
    conn: &mut DbConn,
    contest_id: i64,
) -> Result<std::collections::BTreeSet<String>, AppError> {
    let stored: Vec<String> = applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::answers.ne("{}"))
        .select(applications::answers)
        .load(conn)?;
    Ok(stored
        .iter()
        .flat_map(|a| parse_answers(a).into_keys())
        .collect())
}

/// The applicants who still hold a draft in the contest (each once), for the deadline notice.
pub fn draft_owners(conn: &mut DbConn, contest_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::status.eq(ApplicationStatus::Draft))
        .filter(applications::erased_at.is_null())
        .select(applications::applicant_id)
        .distinct()
        .load(conn)?)
}

/// Applicants holding a draft, per contest.
pub fn draft_counts(conn: &mut DbConn) -> Result<std::collections::HashMap<i64, i64>, AppError> {
    let mut counts = std::collections::HashMap::new();
    for (contest, _) in applications::table
        .filter(applications::status.eq(ApplicationStatus::Draft))
        .filter(applications::erased_at.is_null())
        .select((applications::contest_id, applications::applicant_id))
        .distinct()
        .load::<(i64, i64)>(conn)?
    {
        *counts.entry(contest).or_insert(0) += 1;
    }
    Ok(counts)
}
