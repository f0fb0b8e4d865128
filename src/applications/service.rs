//! The applicant journey and the administrators' view of it.

use serde_json::json;

use super::api::{self, Application, ApplicationInput, ApplicationSummary, ListQuery, Page};
use super::changes::Changes;
use super::model::ApplicationStatus;
use super::model::{self, ApplicationRow};
use super::views::{self, Filter};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::contests::model::{self as contests, ContestRow};
use crate::contests::questions::answer_text;
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::scope::Scope;
use crate::state::AppState;
use crate::unit::{self, Tx};

pub(super) fn window_closed(contest: &ContestRow) -> AppError {
    AppError::conflict(
        ErrorCode::WindowClosed,
        format!(
            "the application window closed at {} UTC",
            contest.closes_at.format("%Y-%m-%d %H:%M")
        ),
    )
}

pub(super) fn view(c: &mut DbConn, row: &ApplicationRow) -> Result<Application, AppError> {
    let contest = contests::find(c, row.contest_id)?;
    let deck = model::deck(c, row.id)?;
    let published = model::results_published(c, row.contest_id)?;
    Ok(row.to_api(&contest, deck.as_ref(), published))
}

pub(super) fn view_id(c: &mut DbConn, id: i64) -> Result<Application, AppError> {
    let row = model::find(c, id)?;
    view(c, &row)
}

pub(super) fn audit_entry(
    c: &mut Tx<'_>,
    actor: i64,
    action: &str,
    id: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(actor),
        action,
        entity: "application",
        entity_id: Some(id.to_string()),
        details,
    })
}

pub async fn create(
    state: &AppState,
    user: &AuthUser,
    contest_id: i64,
    input: ApplicationInput,
) -> Result<Application, AppError> {
    let uid = user.id;
    unit::write(state, move |c| {
        let contest = contests::find(c, contest_id)?;
        if !contest.published {
            return Err(AppError::NotFound);
        }
        if !contest.is_open(now()) {
            return Err(window_closed(&contest));
        }
        if let Some(existing) = model::find_for(c, contest_id, uid)? {
            return Err(AppError::conflict(
                ErrorCode::ApplicationExists,
                format!(
                    "you already have application {} for this contest",
                    existing.id
                ),
            ));
        }
        let mut errors = FieldErrors::default();
        api::validate(&input, &contest.tracks()?, &mut errors);
        let changes = Changes::from_input(&input)?.with_answers(
            &input,
            &contest.questions()?,
            "{}",
            &mut errors,
        )?;
        errors.into_result()?;
        let id = model::insert_draft(c, contest_id, uid)?;
        model::apply(c, id, &changes, None)?;
        audit_entry(
            c,
            uid,
            "application.created",
            id,
            json!({"contest_id": contest_id}),
        )?;
        view_id(c, id)
    })
    .await
}

pub async fn get(state: &AppState, user: &AuthUser, id: i64) -> Result<Application, AppError> {
    let user = user.clone();
    db::run(&state.db, move |c| {
        let row = crate::access::application(c, &user, id)?;
        view(c, &row)
    })
    .await
}

pub async fn mine(state: &AppState, user: &AuthUser) -> Result<Vec<Application>, AppError> {
    let uid = user.id;
    db::run(&state.db, move |c| {
        model::mine(c, uid)?.iter().map(|r| view(c, r)).collect()
    })
    .await
}

/// Saves draft fields (autosave). A submitted application may be edited too until the window
/// closes, but never into an incomplete state.
pub async fn update(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    input: ApplicationInput,
) -> Result<Application, AppError> {
    let uid = user.id;
    unit::write(state, move |tx| {
        let c = tx.conn();
        let row = model::find_owned(c, id, uid)?;
        let contest = contests::find(c, row.contest_id)?;
        if !row.status.is_live() {
            return Err(AppError::conflict(
                ErrorCode::NotEditable,
                format!("the application is {}", row.status),
            ));
        }
        if !contest.is_open(now()) {
            return Err(window_closed(&contest));
        }
        let mut errors = FieldErrors::default();
        api::validate(&input, &contest.tracks()?, &mut errors);
        let changes = Changes::from_input(&input)?.with_answers(
            &input,
            &contest.questions()?,
            &row.answers,
            &mut errors,
        )?;
        errors.into_result()?;
        // The merge read the answers of `row`; without a version from the client, the row's
        // own version still guards them against a concurrent save.
        let expected = input
            .version
            .or(changes.answers.as_ref().map(|_| row.version));
        if !model::apply(c, id, &changes, expected)? {
            return Err(AppError::conflict(
                ErrorCode::EditConflict,
                "the application was changed elsewhere; reload to see the latest version",
            ));
        }
        let updated = model::find(c, id)?;
        if updated.status == ApplicationStatus::Submitted {
            let deck = model::deck(c, id)?;
            let missing = updated
                .to_api(&contest, deck.as_ref(), false)
                .completeness
                .missing;
            if !missing.is_empty() {
                let mut e = FieldErrors::default();
                missing.iter().for_each(|f| e.add(f, "required"));
                return Err(AppError::Validation(e));
            }
        }
        view(c, &updated)
    })
    .await
}

fn none_if_empty(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.trim().is_empty())
}

fn filter_from(q: &ListQuery) -> Result<(Filter, i64, i64), AppError> {
    let mut e = FieldErrors::default();
    if let Some(s) = &q.status
        && ApplicationStatus::parse(s).is_none()
    {
        e.add("status", "invalid_choice");
    }
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(50);
    if page < 1 {
        e.add("page", "out_of_range");
    }
    if !(1..=200).contains(&per_page) {
        e.add("per_page", "out_of_range");
    }
    if q.q.as_deref().is_some_and(|t| t.chars().count() > 100) {
        e.add("q", "too_long");
    }
    let question = none_if_empty(&q.question);
    if question.is_none() && none_if_empty(&q.answer).is_some() {
        e.add("question", "required");
    }
    if q.answer.as_deref().is_some_and(|t| t.chars().count() > 200) {
        e.add("answer", "too_long");
    }
    e.into_result()?;
    Ok((
        Filter {
            status: none_if_empty(&q.status),
            track: none_if_empty(&q.track),
            country: none_if_empty(&q.country),
            q: none_if_empty(&q.q),
            answer: question.map(|k| (k, none_if_empty(&q.answer))),
            only: None,
        },
        page,
        per_page,
    ))
}

/// An organiser's staff list only the applications in their scope.
fn scoped(
    c: &mut crate::db::DbConn,
    scope: Scope,
    filter: &mut views::Filter,
) -> Result<(), AppError> {
    if let Scope::Organisation(org) = scope {
        filter.only = Some(crate::scope::applications(c, org)?);
    }
    Ok(())
}

pub async fn list(
    state: &AppState,
    scope: Scope,
    contest_id: i64,
    q: ListQuery,
) -> Result<Page<ApplicationSummary>, AppError> {
    let (mut filter, page, per_page) = filter_from(&q)?;
    db::run(&state.db, move |c| {
        contests::find(c, contest_id)?;
        scoped(c, scope, &mut filter)?;
        let (rows, total) = views::list(
            c,
            contest_id,
            &filter,
            (page - 1).saturating_mul(per_page),
            per_page,
        )?;
        Ok(Page {
            items: rows.iter().map(views::summary).collect(),
            total,
            page,
            per_page,
        })
    })
    .await
}

/// Every application of the contest as CSV, UTF-8 with a byte-order mark so spreadsheet
/// programs open Korean and Chinese names correctly.
pub async fn export_csv(
    state: &AppState,
    scope: Scope,
    contest_id: i64,
    q: ListQuery,
) -> Result<Vec<u8>, AppError> {
    let (mut filter, _, _) = filter_from(&ListQuery {
        page: None,
        per_page: None,
        ..q
    })?;
    db::run(&state.db, move |c| {
        let questions = contests::find(c, contest_id)?.questions()?;
        scoped(c, scope, &mut filter)?;
        let mut rows = Vec::new();
        loop {
            let (page, total) = views::list(c, contest_id, &filter, rows.len() as i64, 1000)?;
            let done = page.is_empty() || rows.len() + page.len() >= total as usize;
            rows.extend(page);
            if done {
                break;
            }
        }
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        // The standard columns are the names a question key may not take.
        let header = crate::contests::questions::RESERVED
            .into_iter()
            .chain(questions.iter().map(|q| q.key.as_str()));
        w.write_record(header).map_err(AppError::internal)?;
        for (row, name, email, deck) in &rows {
            let team: Vec<String> = row
                .team()
                .iter()
                .map(|m| format!("{} ({})", m.name, m.role))
                .collect();
            let record = [
                row.id.to_string(),
                row.status.as_str().to_string(),
                csv_safe(&row.company_name),
                csv_safe(&row.company_name_native),
                row.country.clone(),
                csv_safe(&row.city),
                row.founded_year.map(|v| v.to_string()).unwrap_or_default(),
                row.team_size.map(|v| v.to_string()).unwrap_or_default(),
                row.stage.clone(),
                row.track.clone(),
                csv_safe(&row.website),
                csv_safe(name),
                csv_safe(email),
                csv_safe(&team.join("; ")),
                csv_safe(&row.summary),
                deck.is_some().to_string(),
                row.submitted_at
                    .map(|t| t.and_utc().to_rfc3339())
                    .unwrap_or_default(),
                row.updated_at.and_utc().to_rfc3339(),
            ];
            let answers = row.answers();
            let asked = questions
                .iter()
                .map(|q| csv_safe(&answers.get(&q.key).map(answer_text).unwrap_or_default()));
            w.write_record(record.into_iter().chain(asked))
                .map_err(AppError::internal)?;
        }
        w.into_inner().map_err(AppError::internal)
    })
    .await
}

/// Cells that start like a formula are prefixed with `'` so a spreadsheet shows them as text
/// instead of running them (CSV injection).
pub fn csv_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}
