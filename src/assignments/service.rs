//! Manual assignment under the hard rules of DESIGN §6, the judge's queue and scoring view.

use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::api::{Assignment, JudgeApplication, Queue, QueueItem, QueueQuery, ScoringView};
use super::model::{self, AssignmentRow};
use crate::access::JudgeView;
use crate::applications::model::{self as apps, ApplicationRow};
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::auth::model::Role;
use crate::db::schema::{judge_profiles, users};
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode};
use crate::judges::conflicts;
use crate::reviews::model::ReviewStatus;
use crate::rounds::model::RoundState;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;

/// Adds one assignment after checking every hard rule; each refusal has its own code.
pub fn assign(
    c: &mut DbConn,
    round: &RoundRow,
    judge: i64,
    application_id: i64,
    source: &str,
    by: Option<i64>,
) -> Result<i64, AppError> {
    if !round.state.takes_assignments() {
        return Err(AppError::conflict(
            ErrorCode::RoundClosed,
            "assignments of a closed round cannot change",
        ));
    }
    let app = apps::find(c, application_id)
        .map_err(|_| AppError::field("application_id", "not_found"))?;
    if app.contest_id != round.contest_id
        || (round.state == RoundState::Judging && !rounds::is_entry(c, round.id, application_id)?)
    {
        return Err(AppError::field("application_id", "not_in_round"));
    }
    let user = crate::auth::model::find_by_id(c, judge)?;
    let is_judge = user
        .as_ref()
        .is_some_and(|u| u.role == Role::Judge && u.disabled_at.is_none());
    if !is_judge || crate::judges::model::membership(c, round.contest_id, judge)?.is_none() {
        return Err(AppError::field("judge_id", "not_a_judge"));
    }
    if crate::judges::model::conflict_exists(c, judge, application_id)?
        || conflicts::detect_pair(c, judge, application_id)?
    {
        return Err(AppError::conflict(
            ErrorCode::ConflictOfInterest,
            "this judge has a conflict of interest with the application",
        ));
    }
    if model::exists(c, round.id, judge, application_id)? {
        return Err(AppError::conflict(
            ErrorCode::AlreadyAssigned,
            "the judge already reviews this application",
        ));
    }
    if model::panel_size(c, round.id, application_id)? >= i64::from(round.reviews_per_application) {
        return Err(AppError::conflict(
            ErrorCode::PanelFull,
            "the application already has all its judges",
        ));
    }
    let capacity: i32 = judge_profiles::table
        .find(judge)
        .select(judge_profiles::capacity)
        .first(c)
        .optional()?
        .unwrap_or(10);
    if model::load(c, round.id, judge)? >= i64::from(capacity) {
        return Err(AppError::conflict(
            ErrorCode::JudgeAtCapacity,
            "the judge has reached their capacity in this round",
        ));
    }
    model::insert(c, round.id, judge, application_id, source, by)
}

fn record(
    c: &mut DbConn,
    actor: i64,
    action: &str,
    a: &AssignmentRow,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        c,
        Entry {
            actor_id: Some(actor),
            action,
            entity: "assignment",
            entity_id: Some(a.id.to_string()),
            details: json!({"round_id": a.round_id, "judge_id": a.judge_id, "application_id": a.application_id, "more": details}),
        },
    )
}

fn view(c: &mut DbConn, a: &AssignmentRow) -> Result<Assignment, AppError> {
    let (judge_name, judge_region): (String, Option<String>) = users::table
        .left_join(judge_profiles::table)
        .filter(users::id.eq(a.judge_id))
        .select((users::name, judge_profiles::region.nullable()))
        .first(c)?;
    let app = apps::find(c, a.application_id)?;
    Ok(Assignment {
        id: a.id,
        round_id: a.round_id,
        judge_id: a.judge_id,
        judge_name,
        judge_region: judge_region.unwrap_or_default(),
        application_id: a.application_id,
        company_name: app.company_name,
        track: app.track,
        review_status: model::review_status(c, a.id)?,
        source: a.source.clone(),
    })
}

pub async fn add(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    judge: i64,
    application_id: i64,
) -> Result<Assignment, AppError> {
    let actor = admin.id;
    db::write(&state.db, move |c| {
        let round = rounds::find(c, round_id)?;
        let id = assign(c, &round, judge, application_id, "manual", Some(actor))?;
        let a = model::find(c, id)?;
        record(c, actor, "assignment.added", &a, json!({}))?;
        view(c, &a)
    })
    .await
}

fn removable(c: &mut DbConn, a: &AssignmentRow) -> Result<RoundRow, AppError> {
    let round = rounds::find(c, a.round_id)?;
    if !round.state.takes_assignments() {
        return Err(AppError::conflict(
            ErrorCode::RoundClosed,
            "assignments of a closed round cannot change",
        ));
    }
    if model::review_status(c, a.id)? == ReviewStatus::Submitted.as_str() {
        return Err(AppError::conflict(
            ErrorCode::ReviewSubmitted,
            "the judge has submitted this review; it cannot be taken away",
        ));
    }
    Ok(round)
}

pub async fn remove(state: &AppState, admin: &AuthUser, id: i64) -> Result<(), AppError> {
    let actor = admin.id;
    db::write(&state.db, move |c| {
        let a = model::find(c, id)?;
        removable(c, &a)?;
        diesel::delete(crate::db::schema::assignments::table.find(id)).execute(c)?;
        record(c, actor, "assignment.removed", &a, json!({}))
    })
    .await
}

/// Moves an unsubmitted assignment to another judge in one transaction.
pub async fn move_to(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    judge: i64,
) -> Result<Assignment, AppError> {
    let actor = admin.id;
    db::write(&state.db, move |c| {
        let a = model::find(c, id)?;
        let round = removable(c, &a)?;
        diesel::delete(crate::db::schema::assignments::table.find(id)).execute(c)?;
        let new_id = assign(c, &round, judge, a.application_id, "manual", Some(actor))?;
        let moved = model::find(c, new_id)?;
        record(
            c,
            actor,
            "assignment.moved",
            &moved,
            json!({"from_judge": a.judge_id}),
        )?;
        view(c, &moved)
    })
    .await
}

/// An assignment with its judge's name and region, the company, its track and review status.
type ListRow = (
    AssignmentRow,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

pub async fn list(state: &AppState, round_id: i64) -> Result<Vec<Assignment>, AppError> {
    db::run(&state.db, move |c| {
        use crate::db::schema::{applications, assignments, reviews};
        rounds::find(c, round_id)?;
        // One query for the whole round: the assignments tab lists thousands of rows.
        let rows: Vec<ListRow> = assignments::table
            .inner_join(users::table.left_join(judge_profiles::table))
            .inner_join(applications::table)
            .left_join(reviews::table)
            .filter(assignments::round_id.eq(round_id))
            .order(assignments::id.asc())
            .select((
                AssignmentRow::as_select(),
                users::name,
                judge_profiles::region.nullable(),
                applications::company_name,
                applications::track,
                reviews::status.nullable(),
            ))
            .load(c)?;
        Ok(rows
            .into_iter()
            .map(
                |(a, judge_name, region, company_name, track, status)| Assignment {
                    id: a.id,
                    round_id: a.round_id,
                    judge_id: a.judge_id,
                    judge_name,
                    judge_region: region.unwrap_or_default(),
                    application_id: a.application_id,
                    company_name,
                    track,
                    review_status: status.unwrap_or_else(|| "none".into()),
                    source: a.source,
                },
            )
            .collect())
    })
    .await
}

/// A per-judge, stable order: every judge reads the applications in a different sequence, so
/// no application is always read first (or last, by a tired judge).
/// The raw digest sorts exactly as its hex form did, without a string per row.
fn queue_key(judge: i64, assignment: i64) -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(&Sha256::digest(
        format!("queue:{judge}:{assignment}").as_bytes(),
    ));
    key
}

/// One line of a judge's queue: only the columns the queue shows (it is the most read page
/// on judging days, so it is one narrow query; the few rounds are read on their own rather
/// than decoded again on every line).
#[derive(Queryable)]
struct QueueLine {
    assignment: i64,
    round_id: i64,
    application: i64,
    company_name: String,
    track: String,
    country: String,
    summary: String,
    status: Option<String>,
}

/// A started round the judge has work in.
#[derive(Queryable)]
struct QueueRound {
    id: i64,
    name: String,
    state: String,
    blind: bool,
    position: i32,
    closes: Option<chrono::NaiveDateTime>,
}

/// The judge's started rounds (newest first) and their assignments in them, newest round
/// first, each round in the judge's own stable shuffle.
fn ordered(c: &mut DbConn, judge: i64) -> Result<(Vec<QueueRound>, Vec<QueueLine>), AppError> {
    use crate::db::schema::{applications as ap, assignments, reviews, rounds as r};
    let mut started: Vec<QueueRound> = r::table
        .filter(r::state.ne(RoundState::Setup))
        .filter(
            r::id.eq_any(
                assignments::table
                    .filter(assignments::judge_id.eq(judge))
                    .select(assignments::round_id)
                    .distinct(),
            ),
        )
        .select((
            r::id,
            r::name,
            r::state,
            r::blind,
            r::position,
            r::judging_closes_at,
        ))
        .load(c)?;
    started.sort_by_key(|r| std::cmp::Reverse(r.position));
    let ids: Vec<i64> = started.iter().map(|r| r.id).collect();
    let mut rows: Vec<QueueLine> = assignments::table
        .inner_join(ap::table)
        .left_join(reviews::table)
        .filter(assignments::judge_id.eq(judge))
        .filter(assignments::round_id.eq_any(&ids))
        .select((
            assignments::id,
            assignments::round_id,
            ap::id,
            ap::company_name,
            ap::track,
            ap::country,
            ap::summary,
            reviews::status.nullable(),
        ))
        .load(c)?;
    let rank = |round: i64| ids.iter().position(|id| *id == round);
    rows.sort_by_cached_key(|l| (rank(l.round_id), queue_key(judge, l.assignment)));
    Ok((started, rows))
}

pub async fn queue(state: &AppState, judge: &AuthUser, q: QueueQuery) -> Result<Queue, AppError> {
    let uid = judge.id;
    db::run(&state.db, move |c| {
        let (started, rows) = ordered(c, uid)?;
        let rounds: Vec<(QueueRound, crate::contests::api::I18nText)> = started
            .into_iter()
            .map(|r| {
                let name = serde_json::from_str(&r.name).unwrap_or_default();
                (r, name)
            })
            .collect();
        let mut items = Vec::with_capacity(rows.len());
        let (mut total, mut submitted) = (0, 0);
        for l in rows {
            let Some((round, name)) = rounds.iter().find(|(r, _)| r.id == l.round_id) else {
                continue;
            };
            let status = l.status.unwrap_or_else(|| "none".into());
            total += 1;
            submitted += usize::from(status == ReviewStatus::Submitted.as_str());
            let wanted = match q.status.as_deref() {
                Some("todo") => status == "none",
                Some(s) => status == s,
                None => true,
            };
            if !wanted
                || q.round.is_some_and(|r| r != l.round_id)
                || q.track.as_ref().is_some_and(|t| *t != l.track)
            {
                continue;
            }
            items.push(QueueItem {
                assignment_id: l.assignment,
                round_id: l.round_id,
                round_name: name.clone(),
                round_state: round.state.as_str().to_string(),
                application_id: l.application,
                company_name: (!round.blind).then_some(l.company_name),
                track: l.track,
                country: l.country,
                summary: l.summary,
                review_status: status,
                judging_closes_at: round.closes.map(|t| t.and_utc()),
            });
        }
        Ok(Queue {
            items,
            total,
            submitted,
        })
    })
    .await
}

/// The application as a judge of `round` may see it.
pub fn redact(
    app: &ApplicationRow,
    round: &RoundRow,
    deck: Option<&apps::DocumentRow>,
) -> JudgeApplication {
    let view = JudgeView::of_round(round);
    let open = view.identity;
    let show = |v: &String| open.then(|| v.clone());
    JudgeApplication {
        id: app.id,
        track: app.track.clone(),
        country: app.country.clone(),
        stage: app.stage.clone(),
        founded_year: app.founded_year,
        team_size: app.team_size,
        summary: app.summary.clone(),
        problem: app.problem.clone(),
        solution: app.solution.clone(),
        market: app.market.clone(),
        traction: app.traction.clone(),
        company_name: show(&app.company_name),
        company_name_native: show(&app.company_name_native),
        city: show(&app.city),
        website: show(&app.website),
        video_url: show(&app.video_url),
        team: open.then(|| app.team()),
        deck_url: deck
            .filter(|_| view.deck)
            .map(|d| format!("/api/v1/applications/{}/documents/{}", app.id, d.id)),
    }
}

pub async fn scoring_view(
    state: &AppState,
    judge: &AuthUser,
    id: i64,
) -> Result<ScoringView, AppError> {
    let uid = judge.id;
    db::run(&state.db, move |c| {
        let a = crate::access::review(c, uid, id)?;
        let round = rounds::find(c, a.round_id)?;
        crate::access::judge_sees_round(&round)?;
        let app = apps::find(c, a.application_id)?;
        let deck = apps::deck(c, app.id)?;
        let order: Vec<i64> = ordered(c, uid)?.1.iter().map(|l| l.assignment).collect();
        let pos = order.iter().position(|x| *x == id);
        let review = crate::reviews::model::find(c, id)?
            .map(|r| r.to_api())
            .unwrap_or_else(crate::reviews::model::empty);
        Ok(ScoringView {
            assignment_id: id,
            round_id: round.id,
            round_name: serde_json::from_str(&round.name).unwrap_or_default(),
            round_state: round.state.as_str().to_string(),
            blind: round.blind,
            judging_closes_at: round.judging_closes_at.map(|t| t.and_utc()),
            criteria: rounds::criteria(c, round.id)?
                .iter()
                .map(|k| k.to_api())
                .collect(),
            application: redact(&app, &round, deck.as_ref()),
            review,
            previous: pos.and_then(|p| p.checked_sub(1)).map(|p| order[p]),
            next: pos.and_then(|p| order.get(p + 1).copied()),
        })
    })
    .await
}
