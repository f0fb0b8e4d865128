//! The bare server's two heavier pieces of work (`bare.rs`): the judge queue's queries and
//! JSON, and the review save's transaction, written as a lean server would write them.

use std::collections::BTreeMap;

use diesel::prelude::*;
use jury::db::schema::{
    applications as ap, assignments as asg, reviews as rv, rounds as r, rubric_criteria as rc,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::bare::{Conn, Fail, e500, now};

#[derive(Serialize)]
struct Item {
    assignment_id: i64,
    round_id: i64,
    round_name: serde_json::Value,
    round_state: String,
    application_id: i64,
    company_name: Option<String>,
    track: String,
    country: String,
    summary: String,
    review_status: String,
    judging_closes_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize)]
pub struct Queue {
    items: Vec<Item>,
    total: usize,
    submitted: usize,
}

type RoundLine = (
    i64,
    String,
    String,
    bool,
    i32,
    Option<chrono::NaiveDateTime>,
);
type Line = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
);

pub fn queue_of(c: &mut Conn, judge: i64) -> QueryResult<Queue> {
    let mut started: Vec<RoundLine> = r::table
        .filter(r::state.ne("setup"))
        .filter(
            r::id.eq_any(
                asg::table
                    .filter(asg::judge_id.eq(judge))
                    .select(asg::round_id)
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
    started.sort_by_key(|r| std::cmp::Reverse(r.4));
    let ids: Vec<i64> = started.iter().map(|r| r.0).collect();
    let mut rows: Vec<Line> = asg::table
        .inner_join(ap::table)
        .left_join(rv::table)
        .filter(asg::judge_id.eq(judge))
        .filter(asg::round_id.eq_any(&ids))
        .select((
            asg::id,
            asg::round_id,
            ap::id,
            ap::company_name,
            ap::track,
            ap::country,
            ap::summary,
            rv::status.nullable(),
        ))
        .load(c)?;
    let rank = |round: i64| ids.iter().position(|id| *id == round);
    rows.sort_by_cached_key(|l| {
        (
            rank(l.1),
            <[u8; 32]>::from(Sha256::digest(format!("queue:{judge}:{}", l.0).as_bytes())),
        )
    });
    let names: Vec<serde_json::Value> = started
        .iter()
        .map(|r| serde_json::from_str(&r.1).unwrap_or_default())
        .collect();
    let mut submitted = 0;
    let items: Vec<Item> = rows
        .into_iter()
        .filter_map(|l| {
            let i = ids.iter().position(|id| *id == l.1)?;
            let round = &started[i];
            let status = l.7.unwrap_or_else(|| "none".into());
            submitted += usize::from(status == "submitted");
            Some(Item {
                assignment_id: l.0,
                round_id: l.1,
                round_name: names[i].clone(),
                round_state: round.2.clone(),
                application_id: l.2,
                company_name: (!round.3).then_some(l.3),
                track: l.4,
                country: l.5,
                summary: l.6,
                review_status: status,
                judging_closes_at: round.5.map(|t| t.and_utc()),
            })
        })
        .collect();
    Ok(Queue {
        total: items.len(),
        items,
        submitted,
    })
}

#[derive(Deserialize)]
pub struct ReviewInput {
    scores: Option<BTreeMap<String, i32>>,
    comment_applicant: Option<String>,
    comment_private: Option<String>,
}

#[derive(Serialize)]
pub struct Review {
    status: String,
    scores: BTreeMap<String, i32>,
    comment_applicant: String,
    comment_private: String,
    version: i32,
    updated_at: chrono::DateTime<chrono::Utc>,
}

type Stored = (i64, String, String, String, String, i32);

pub fn save_tx(c: &mut Conn, judge: i64, id: i64, input: ReviewInput) -> Result<Review, Fail> {
    let (owner, round): (i64, i64) = asg::table
        .find(id)
        .select((asg::judge_id, asg::round_id))
        .first(c)
        .map_err(Fail::of(404))?;
    let (state, closes): (String, Option<chrono::NaiveDateTime>) = r::table
        .find(round)
        .select((r::state, r::judging_closes_at))
        .first(c)
        .map_err(e500)?;
    if owner != judge || state != "judging" || closes.is_some_and(|t| now() >= t) {
        return Err(Fail::of(409)("not open"));
    }
    let scales: Vec<(String, i32, i32)> = rc::table
        .filter(rc::round_id.eq(round))
        .select((rc::key, rc::scale_min, rc::scale_max))
        .load(c)
        .map_err(e500)?;
    let current: Option<Stored> = rv::table
        .filter(rv::assignment_id.eq(id))
        .select((
            rv::id,
            rv::status,
            rv::scores,
            rv::comment_applicant,
            rv::comment_private,
            rv::version,
        ))
        .first(c)
        .optional()
        .map_err(e500)?;
    let mut scores: BTreeMap<String, i32> = current
        .as_ref()
        .and_then(|s| serde_json::from_str(&s.2).ok())
        .unwrap_or_default();
    for (k, v) in input.scores.unwrap_or_default() {
        if !scales
            .iter()
            .any(|(key, lo, hi)| *key == k && (*lo..=*hi).contains(&v))
        {
            return Err(Fail::of(422)("score"));
        }
        scores.insert(k, v);
    }
    let text = serde_json::to_string(&scores).map_err(e500)?;
    let (status, version) = current
        .as_ref()
        .map_or(("draft".to_string(), 1), |s| (s.1.clone(), s.5 + 1));
    let pick = |new: Option<String>, old: Option<&String>| {
        new.or_else(|| old.cloned()).unwrap_or_default()
    };
    let applicant = pick(input.comment_applicant, current.as_ref().map(|s| &s.3));
    let private = pick(input.comment_private, current.as_ref().map(|s| &s.4));
    let t = now();
    match &current {
        Some(s) => diesel::update(rv::table.find(s.0))
            .set((
                rv::scores.eq(&text),
                rv::comment_applicant.eq(&applicant),
                rv::comment_private.eq(&private),
                rv::version.eq(version),
                rv::updated_at.eq(t),
            ))
            .execute(c),
        None => diesel::insert_into(rv::table)
            .values((
                rv::assignment_id.eq(id),
                rv::status.eq("draft"),
                rv::scores.eq(&text),
                rv::comment_applicant.eq(&applicant),
                rv::comment_private.eq(&private),
                rv::created_at.eq(t),
                rv::updated_at.eq(t),
            ))
            .execute(c),
    }
    .map_err(e500)?;
    Ok(Review {
        status,
        scores,
        comment_applicant: applicant,
        comment_private: private,
        version,
        updated_at: t.and_utc(),
    })
}
