//! The judge's side of assignments: the queue in each judge's own stable order, and the
//! scoring view of one application as the round lets the judge see it (`access::JudgeView`).

use super::api::{JudgeAnswer, JudgeApplication, Queue, QueueItem, QueueQuery, ScoringView};
use crate::access::JudgeView;
use crate::applications::model::{self as apps, ApplicationRow};
use crate::auth::JudgeToken;
use crate::contests::questions::Question;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::reviews::model::ReviewStatus;
use crate::rounds::model::RoundState;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;
use actix_web::web::Bytes;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::{queue_stamps, rounds as rounds_table};

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
/// first, each round in the judge's own stable shuffle; with the judge's queue stamp, read in
/// the rounds' statement (None when there is no started round to read it with).
fn ordered(c: &mut DbConn, judge: i64) -> Result<Ordered, AppError> {
    use crate::db::schema::{
        applications as ap, assignments, queue_stamps as qs, reviews, rounds as r,
    };
    let stamp = qs::table.find(judge).select(qs::stamp).single_value();
    let read: Vec<(QueueRound, Option<i64>)> = r::table
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
            (
                r::id,
                r::name,
                r::state,
                r::blind,
                r::position,
                r::judging_closes_at,
            ),
            stamp,
        ))
        .load(c)?;
    let stamp = read.first().map(|(_, s)| *s);
    let mut started: Vec<QueueRound> = read.into_iter().map(|(r, _)| r).collect();
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
    Ok(Ordered {
        started,
        rows,
        stamp,
    })
}

struct Ordered {
    started: Vec<QueueRound>,
    rows: Vec<QueueLine>,
    stamp: Option<Option<i64>>,
}

// The rounds' statement reads the judge's stamp as a subquery.
diesel::allow_tables_to_appear_in_same_query!(queue_stamps, rounds_table);

/// The queue with its ETag (gzipped JSON for a client that takes gzip), or only the ETag
/// when it is the one the client holds.
pub enum Answer {
    Fresh(Queue, String),
    Gzipped(Bytes, String),
    Unchanged(String),
}

/// The judge's queue; with `if_none_match` naming its current tag, only that instead of the
/// join: the sign-in check reads the stamp (`revalidate::confirm`), so a revalidation is one
/// statement in one pool hop. A client that takes gzip is answered from the copy kept
/// under the current tag when there is one (`queue_cache`); a client that does not gets the
/// stamp with the rounds, so the queue is three statements, as the bare query's (issue 20).
pub async fn queue(
    state: &AppState,
    judge: JudgeToken,
    q: QueueQuery,
    if_none_match: Option<String>,
    gzip: bool,
) -> Result<Answer, AppError> {
    let kept = state.queues.clone();
    let answer = db::run(&state.db, move |c| {
        // A client that holds a copy, or may be answered from a kept one, needs the tag first:
        // read with the sign-in check.
        let (uid, held) = if if_none_match.is_some() || gzip {
            let (uid, stamp) = super::revalidate::confirm(c, judge)?;
            let tag = super::revalidate::tag(uid, &q, stamp);
            if if_none_match.is_some_and(|h| super::revalidate::matches(&h, &tag)) {
                return Ok(Answer::Unchanged(tag));
            }
            (uid, Some(tag))
        } else {
            (judge.confirm(c)?.id, None)
        };
        if gzip
            && let Some(tag) = &held
            && let Some(body) = kept.get(tag)
        {
            return Ok(Answer::Gzipped(body, tag.clone()));
        }
        let mut read = ordered(c, uid)?;
        // Read before the lines, like the tag above, so it is never newer than the body; with
        // no started round there was no stamp to read, and the queue is read again after it.
        let tag = match (held, read.stamp) {
            (Some(tag), _) => tag,
            (None, Some(stamp)) => super::revalidate::tag(uid, &q, stamp),
            (None, None) => {
                let tag = super::revalidate::etag(c, uid, &q)?;
                read = ordered(c, uid)?;
                tag
            }
        };
        let Ordered { started, rows, .. } = read;
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
        Ok(Answer::Fresh(
            Queue {
                items,
                total,
                submitted,
            },
            tag,
        ))
    })
    .await?;
    // Kept for the next client without a copy: serialized and gzipped here, on the worker,
    // after the connection went back to the pool.
    match answer {
        Answer::Fresh(queue, tag) if gzip => {
            let json = serde_json::to_vec(&queue).map_err(AppError::internal)?;
            match state.queues.put(&tag, &json) {
                Some(gz) => Ok(Answer::Gzipped(gz, tag)),
                None => Ok(Answer::Fresh(queue, tag)),
            }
        }
        other => Ok(other),
    }
}

/// The application as a judge of `round` may see it.
pub fn redact(
    app: &ApplicationRow,
    round: &RoundRow,
    deck: Option<&apps::DocumentRow>,
    questions: &[Question],
) -> JudgeApplication {
    let view = JudgeView::of_round(round);
    let open = view.identity;
    let mut stored = app.answers();
    let answers = questions
        .iter()
        .filter(|q| view.answer(q.identifying))
        .filter_map(|q| {
            stored.remove(&q.key).map(|value| JudgeAnswer {
                key: q.key.clone(),
                kind: q.kind,
                label: q.label.clone(),
                options: q.options.clone(),
                value,
            })
        })
        .collect();
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
        answers,
    }
}

pub async fn scoring_view(
    state: &AppState,
    judge: JudgeToken,
    id: i64,
) -> Result<ScoringView, AppError> {
    db::run(&state.db, move |c| {
        let uid = judge.confirm(c)?.id;
        let a = crate::access::review(c, uid, id)?;
        let round = rounds::find(c, a.round_id)?;
        crate::access::judge_sees_round(&round)?;
        let app = apps::find(c, a.application_id)?;
        let deck = apps::deck(c, app.id)?;
        let questions = crate::contests::model::find(c, app.contest_id)?.questions()?;
        let order: Vec<i64> = ordered(c, uid)?.rows.iter().map(|l| l.assignment).collect();
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
            application: redact(&app, &round, deck.as_ref(), &questions),
            review,
            previous: pos.and_then(|p| p.checked_sub(1)).map(|p| order[p]),
            next: pos.and_then(|p| order.get(p + 1).copied()),
        })
    })
    .await
}
