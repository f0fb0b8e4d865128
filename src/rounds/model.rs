//! Round and entry rows and their queries (the rubric's are in `rubric.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::Round;
pub use super::rubric::{
    CriterionRow, Scale, ScalesOfAssignmentRound, count_criteria, criteria, parse_scales,
    replace_criteria, scales,
};
use crate::applications::model::ApplicationStatus;
use crate::db::schema::{applications, assignments, reviews, round_entries, rounds};
use crate::db::text_enum::text_enum;
use crate::db::{DbConn, Scrub, now};
use crate::error::{AppError, ErrorCode};
use crate::reviews::status::ReviewStatus;

text_enum! {
    /// Where a round is in its life. Stored as this text in `rounds.state`.
    pub enum RoundState {
        Setup = "setup",
        Judging = "judging",
        Closed = "closed",
        Published = "published",
    }
}

/// Every move a round makes, and the only place they are listed. `rounds::service::transition`
/// makes the first three on an administrator's request; publishing (closed → published) has
/// its own endpoint in `results::publish`.
pub const ROUND_MOVES: [(RoundState, RoundState); 4] = [
    (RoundState::Setup, RoundState::Judging),
    (RoundState::Judging, RoundState::Closed),
    (RoundState::Closed, RoundState::Judging),
    (RoundState::Closed, RoundState::Published),
];

impl RoundState {
    pub fn can_move_to(self, to: RoundState) -> bool {
        ROUND_MOVES.contains(&(self, to))
    }

    /// Judging is over (closed or published): scores are final, the rubric is frozen.
    pub fn is_over(self) -> bool {
        matches!(self, RoundState::Closed | RoundState::Published)
    }

    /// Assignments may still change (setup or judging).
    pub fn takes_assignments(self) -> bool {
        matches!(self, RoundState::Setup | RoundState::Judging)
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, AsChangeset)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub id: i64,
    pub contest_id: i64,
    pub position: i32,
    pub name: String,
    pub reviews_per_application: i32,
    pub judging_opens_at: Option<NaiveDateTime>,
    pub judging_closes_at: Option<NaiveDateTime>,
    pub blind: bool,
    pub blind_shows_deck: bool,
    pub ranking_method: String,
    pub tie_break: String,
    pub feedback_to_applicants: bool,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: RoundState,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The organiser that runs it (a preliminary); none for the owner's rounds (the final).
    pub organisation_id: Option<i64>,
    /// Rounds of one stage run side by side; a later stage takes who advanced from them all.
    pub stage: i32,
    /// The routing rule of a first-stage round (`routing::Route` as JSON).
    pub route: String,
}

impl RoundRow {
    pub fn tie_break(&self) -> Vec<String> {
        serde_json::from_str(&self.tie_break).unwrap_or_default()
    }

    /// Reviews may be written: the round is judging and its window (if set) has not ended.
    pub fn accepts_reviews(&self, at: NaiveDateTime) -> Result<(), AppError> {
        match self.state {
            RoundState::Setup => Err(AppError::conflict(
                ErrorCode::RoundNotOpen,
                "judging has not started yet",
            )),
            RoundState::Judging if self.judging_closes_at.is_some_and(|c| at >= c) => Err(
                AppError::conflict(ErrorCode::RoundClosed, "the judging window has ended"),
            ),
            RoundState::Judging => Ok(()),
            _ => Err(AppError::conflict(
                ErrorCode::RoundClosed,
                "the round is closed; reviews can no longer change",
            )),
        }
    }

    pub fn to_api(&self, criteria: i64, entries: i64) -> Result<Round, AppError> {
        Ok(Round {
            id: self.id,
            contest_id: self.contest_id,
            position: self.position,
            name: serde_json::from_str(&self.name).map_err(AppError::internal)?,
            reviews_per_application: self.reviews_per_application,
            judging_opens_at: self.judging_opens_at.map(|t| t.and_utc()),
            judging_closes_at: self.judging_closes_at.map(|t| t.and_utc()),
            blind: self.blind,
            blind_shows_deck: self.blind_shows_deck,
            ranking_method: self.ranking_method.clone(),
            tie_break: self.tie_break(),
            feedback_to_applicants: self.feedback_to_applicants,
            state: self.state.as_str().to_string(),
            criteria,
            entries,
            organisation_id: self.organisation_id,
            stage: self.stage,
            route: super::routing::Route::parse(&self.route),
        })
    }
}

pub fn find(c: &mut DbConn, id: i64) -> Result<RoundRow, AppError> {
    Ok(rounds::table
        .find(id)
        .select(RoundRow::as_select())
        .first(c)?)
}

pub fn list(c: &mut DbConn, contest_id: i64) -> Result<Vec<RoundRow>, AppError> {
    Ok(rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .order(rounds::position.asc())
        .select(RoundRow::as_select())
        .load(c)?)
}

/// The rounds of the stage before this round's (empty for the first stage).
pub fn previous(c: &mut DbConn, round: &RoundRow) -> Result<Vec<RoundRow>, AppError> {
    let stage: Option<i32> = rounds::table
        .filter(rounds::contest_id.eq(round.contest_id))
        .filter(rounds::stage.lt(round.stage))
        .select(diesel::dsl::max(rounds::stage))
        .first(c)?;
    let Some(stage) = stage else {
        return Ok(Vec::new());
    };
    Ok(rounds::table
        .filter(rounds::contest_id.eq(round.contest_id))
        .filter(rounds::stage.eq(stage))
        .order(rounds::position.asc())
        .select(RoundRow::as_select())
        .load(c)?)
}

pub fn next_stage(c: &mut DbConn, contest_id: i64) -> Result<i32, AppError> {
    let max: Option<i32> = rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .select(diesel::dsl::max(rounds::stage))
        .first(c)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn next_position(c: &mut DbConn, contest_id: i64) -> Result<i32, AppError> {
    let max: Option<i32> = rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .select(diesel::dsl::max(rounds::position))
        .first(c)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert(c: &mut DbConn, r: &RoundRow) -> Result<i64, AppError> {
    Ok(diesel::insert_into(rounds::table)
        .values((
            rounds::contest_id.eq(r.contest_id),
            rounds::position.eq(r.position),
            rounds::name.eq(&r.name),
            rounds::reviews_per_application.eq(r.reviews_per_application),
            rounds::judging_opens_at.eq(r.judging_opens_at),
            rounds::judging_closes_at.eq(r.judging_closes_at),
            rounds::blind.eq(r.blind),
            rounds::blind_shows_deck.eq(r.blind_shows_deck),
            rounds::ranking_method.eq(&r.ranking_method),
            rounds::tie_break.eq(&r.tie_break),
            rounds::feedback_to_applicants.eq(r.feedback_to_applicants),
            rounds::state.eq(r.state),
            rounds::created_at.eq(r.created_at),
            rounds::updated_at.eq(r.updated_at),
            rounds::organisation_id.eq(r.organisation_id),
            rounds::stage.eq(r.stage),
            rounds::route.eq(&r.route),
        ))
        .returning(rounds::id)
        .get_result(c)?)
}

pub fn save(c: &mut DbConn, r: &RoundRow) -> Result<(), AppError> {
    // `serialize_as` on the state makes the changeset owned, hence the clone.
    diesel::update(rounds::table.find(r.id))
        .set(r.clone())
        .execute(c)?;
    Ok(())
}

pub fn count_entries(c: &mut DbConn, round_id: i64) -> Result<i64, AppError> {
    Ok(round_entries::table
        .filter(round_entries::round_id.eq(round_id))
        .count()
        .get_result(c)?)
}

pub fn entry_ids(c: &mut DbConn, round_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(round_entries::table
        .filter(round_entries::round_id.eq(round_id))
        .order(round_entries::application_id.asc())
        .select(round_entries::application_id)
        .load(c)?)
}

pub fn is_entry(c: &mut DbConn, round_id: i64, application_id: i64) -> Result<bool, AppError> {
    Ok(round_entries::table
        .filter(round_entries::round_id.eq(round_id))
        .filter(round_entries::application_id.eq(application_id))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

/// The round's entries, or, before they are filled, the ones `fill_entries` would take: round
/// 1 every submitted application, a later round those advanced from the round before.
pub fn entries_or_pending(c: &mut DbConn, round: &RoundRow) -> Result<Vec<i64>, AppError> {
    let filled = entry_ids(c, round.id)?;
    if !filled.is_empty() {
        return Ok(filled);
    }
    let previous = previous(c, round)?;
    let mut ids: Vec<i64> = if previous.is_empty() {
        let stage = super::routing::first_stage(c, round.contest_id)?;
        let overrides: std::collections::BTreeMap<i64, i64> =
            super::routing::overrides(c, round.contest_id)?
                .into_iter()
                .map(|o| (o.application_id, o.round_id))
                .collect();
        applications::table
            .filter(applications::contest_id.eq(round.contest_id))
            .filter(applications::status.eq(ApplicationStatus::Submitted))
            .select((applications::id, applications::country, applications::track))
            .load::<(i64, String, String)>(c)?
            .into_iter()
            .filter(|(id, country, track)| {
                overrides
                    .get(id)
                    .copied()
                    .or_else(|| super::routing::by_rule(&stage, country, track))
                    == Some(round.id)
            })
            .map(|(id, _, _)| id)
            .collect()
    } else {
        // From every round of the stage before: an application is in one of them only, and
        // the set keeps it once even so.
        let ids: std::collections::BTreeSet<i64> = round_entries::table
            .inner_join(applications::table)
            .filter(round_entries::round_id.eq_any(previous.iter().map(|r| r.id)))
            .filter(round_entries::advanced.eq(true))
            .filter(applications::status.eq(ApplicationStatus::Submitted))
            .select(round_entries::application_id)
            .load::<i64>(c)?
            .into_iter()
            .collect();
        ids.into_iter().collect()
    };
    ids.sort_unstable();
    Ok(ids)
}

/// Fills the round's entries (see `entries_or_pending`). Returns how many entries it has.
pub fn fill_entries(c: &mut DbConn, round: &RoundRow) -> Result<i64, AppError> {
    if count_entries(c, round.id)? > 0 {
        return count_entries(c, round.id);
    }
    let ids = entries_or_pending(c, round)?;
    let t = now();
    for id in &ids {
        diesel::insert_into(round_entries::table)
            .values((
                round_entries::round_id.eq(round.id),
                round_entries::application_id.eq(id),
                round_entries::created_at.eq(t),
            ))
            .execute(c)?;
    }
    Ok(ids.len() as i64)
}

/// Submitted reviews in the round; one is enough to freeze the rubric.
pub fn submitted_reviews(c: &mut DbConn, round_id: i64) -> Result<i64, AppError> {
    Ok(reviews::table
        .inner_join(assignments::table)
        .filter(assignments::round_id.eq(round_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .count()
        .get_result(c)?)
}

pub fn count_assignments(c: &mut DbConn, round_id: i64) -> Result<i64, AppError> {
    Ok(assignments::table
        .filter(assignments::round_id.eq(round_id))
        .count()
        .get_result(c)?)
}

/// Marks exactly `chosen` as advancing from the round (every other entry as not).
pub fn set_advanced(c: &mut DbConn, round_id: i64, chosen: &[i64]) -> Result<(), AppError> {
    diesel::update(round_entries::table.filter(round_entries::round_id.eq(round_id)))
        .set(round_entries::advanced.eq(false))
        .execute(c)?;
    diesel::update(
        round_entries::table
            .filter(round_entries::round_id.eq(round_id))
            .filter(round_entries::application_id.eq_any(chosen)),
    )
    .set(round_entries::advanced.eq(true))
    .execute(c)?;
    Ok(())
}

/// Sets (`Some`) or clears (`None`) an administrator's award place for an entry: the tier key,
/// or "" for no award. False when the application is not an entry of the round.
pub fn set_award_override(
    c: &mut DbConn,
    round_id: i64,
    application_id: i64,
    place: Option<(&str, &str)>,
) -> Result<bool, AppError> {
    let n = diesel::update(
        round_entries::table
            .filter(round_entries::round_id.eq(round_id))
            .filter(round_entries::application_id.eq(application_id)),
    )
    .set((
        round_entries::award_override.eq(place.map(|(a, _)| a)),
        round_entries::award_reason.eq(place.map(|(_, r)| r)),
    ))
    .execute(c)?;
    Ok(n > 0)
}

/// The round's award overrides: application → (tier key or "" for none, reason).
pub fn award_overrides(
    c: &mut DbConn,
    round_id: i64,
) -> Result<std::collections::BTreeMap<i64, (String, String)>, AppError> {
    Ok(round_entries::table
        .filter(round_entries::round_id.eq(round_id))
        .filter(round_entries::award_override.is_not_null())
        .select((
            round_entries::application_id,
            round_entries::award_override,
            round_entries::award_reason,
        ))
        .load::<(i64, Option<String>, Option<String>)>(c)?
        .into_iter()
        .map(|(id, a, r)| (id, (a.unwrap_or_default(), r.unwrap_or_default())))
        .collect())
}

/// No stage comes after this round's in its contest.
pub fn is_last(c: &mut DbConn, round: &RoundRow) -> Result<bool, AppError> {
    let later: i64 = rounds::table
        .filter(rounds::contest_id.eq(round.contest_id))
        .filter(rounds::stage.gt(round.stage))
        .count()
        .get_result(c)?;
    Ok(later == 0)
}

/// Rewrites the contest's award-override reasons that `f` changes (erasure).
pub fn scrub_award_reasons(c: &mut DbConn, contest: i64, f: Scrub) -> Result<usize, AppError> {
    let rows: Vec<(i64, Option<String>)> = round_entries::table
        .inner_join(rounds::table)
        .filter(rounds::contest_id.eq(contest))
        .select((round_entries::id, round_entries::award_reason))
        .load(c)?;
    let mut n = 0;
    let changed = rows.into_iter().filter_map(|(id, r)| Some((id, f(&r?)?)));
    for (id, r) in changed {
        let (row, set) = (
            round_entries::table.find(id),
            round_entries::award_reason.eq(Some(r)),
        );
        n += diesel::update(row).set(set).execute(c)?;
    }
    Ok(n)
}
