//! Live-final rows: the settings and clock of a live round, its run sheet, unlocks of closed
//! pitches, the judges' idempotency keys and when each judge's phone was last connected.
//! The only writer of the `live_*` tables.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{live_finals, live_pitches, live_presence, live_saves, live_unlocks};
use crate::db::text_enum::text_enum;
use crate::db::{DbConn, now};
use crate::error::AppError;

text_enum! {
    /// Where the show is. Stored as this text in `live_finals.phase`.
    pub enum LivePhase {
        Ready = "ready",
        Running = "running",
        Paused = "paused",
        Finished = "finished",
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = live_finals, treat_none_as_null = true)]
pub struct FinalRow {
    pub round_id: i64,
    pub pitch_secs: i32,
    pub qa_secs: i32,
    pub grace_secs: i32,
    pub languages: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub phase: LivePhase,
    pub current_position: Option<i32>,
    pub clock_started_at: Option<NaiveDateTime>,
    pub clock_elapsed_ms: i64,
    pub reveal_step: i32,
    pub display_token_hash: Option<String>,
    pub revision: i64,
    pub updated_at: NaiveDateTime,
}

impl FinalRow {
    /// Milliseconds on the current pitch's clock at `at`.
    pub fn elapsed_ms(&self, at: NaiveDateTime) -> i64 {
        let running = match (self.phase, self.clock_started_at) {
            (LivePhase::Running, Some(t)) => (at - t).num_milliseconds().max(0),
            _ => 0,
        };
        self.clock_elapsed_ms + running
    }

    pub fn languages(&self) -> Vec<String> {
        self.languages.split(',').map(str::to_string).collect()
    }
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = live_pitches)]
pub struct PitchRow {
    pub id: i64,
    pub round_id: i64,
    pub application_id: i64,
    pub position: i32,
    pub opened_at: Option<NaiveDateTime>,
    pub closes_at: Option<NaiveDateTime>,
}

impl PitchRow {
    /// Scores are taken: the pitch has started and its grace time (if set) has not run out.
    pub fn open_at(&self, at: NaiveDateTime) -> bool {
        self.opened_at.is_some() && self.closes_at.is_none_or(|c| at < c)
    }
}

pub fn find(c: &mut DbConn, round_id: i64) -> Result<Option<FinalRow>, AppError> {
    Ok(live_finals::table
        .find(round_id)
        .select(FinalRow::as_select())
        .first(c)
        .optional()?)
}

pub fn by_display_token(c: &mut DbConn, hash: &str) -> Result<Option<FinalRow>, AppError> {
    Ok(live_finals::table
        .filter(live_finals::display_token_hash.eq(hash))
        .select(FinalRow::as_select())
        .first(c)
        .optional()?)
}

/// Writes the row (creating it the first time), one revision past what it was. (`serialize_as`
/// on the phase makes the insert and changeset owned, hence the clones.)
pub fn save(c: &mut DbConn, row: &FinalRow) -> Result<FinalRow, AppError> {
    let mut next = row.clone();
    next.updated_at = now();
    match find(c, row.round_id)? {
        None => {
            next.revision = 1;
            diesel::insert_into(live_finals::table)
                .values(next.clone())
                .execute(c)?;
        }
        Some(old) => {
            next.revision = old.revision + 1;
            diesel::update(live_finals::table.find(row.round_id))
                .set(next.clone())
                .execute(c)?;
        }
    }
    Ok(next)
}

pub fn pitches(c: &mut DbConn, round_id: i64) -> Result<Vec<PitchRow>, AppError> {
    Ok(live_pitches::table
        .filter(live_pitches::round_id.eq(round_id))
        .order((live_pitches::position, live_pitches::id))
        .select(PitchRow::as_select())
        .load(c)?)
}

/// Rewrites the run sheet's order; pitches already opened keep their times.
pub fn set_order(c: &mut DbConn, round_id: i64, order: &[i64]) -> Result<(), AppError> {
    let old = pitches(c, round_id)?;
    for p in old.iter().filter(|p| !order.contains(&p.application_id)) {
        diesel::delete(live_pitches::table.find(p.id)).execute(c)?;
    }
    for (i, app) in order.iter().enumerate() {
        let pos = i as i32 + 1;
        match old.iter().find(|p| p.application_id == *app) {
            Some(p) => {
                diesel::update(live_pitches::table.find(p.id))
                    .set(live_pitches::position.eq(pos))
                    .execute(c)?;
            }
            None => {
                diesel::insert_into(live_pitches::table)
                    .values((
                        live_pitches::round_id.eq(round_id),
                        live_pitches::application_id.eq(app),
                        live_pitches::position.eq(pos),
                    ))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// The pitch takes scores again (it is on stage): opened now if never before, no close time.
pub fn open_pitch(c: &mut DbConn, pitch_id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    let p: PitchRow = live_pitches::table
        .find(pitch_id)
        .select(PitchRow::as_select())
        .first(c)?;
    diesel::update(live_pitches::table.find(pitch_id))
        .set((
            live_pitches::opened_at.eq(p.opened_at.or(Some(at))),
            live_pitches::closes_at.eq(None::<NaiveDateTime>),
        ))
        .execute(c)?;
    Ok(())
}

/// The pitch left the stage: scores are taken for `grace` more seconds.
pub fn close_pitch(
    c: &mut DbConn,
    pitch_id: i64,
    at: NaiveDateTime,
    grace: i32,
) -> Result<(), AppError> {
    diesel::update(live_pitches::table.find(pitch_id))
        .filter(live_pitches::closes_at.is_null())
        .set(live_pitches::closes_at.eq(at + Duration::seconds(grace.into())))
        .execute(c)?;
    Ok(())
}

pub fn unlocks(c: &mut DbConn, round_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(live_unlocks::table
        .filter(live_unlocks::round_id.eq(round_id))
        .select((live_unlocks::application_id, live_unlocks::judge_id))
        .load(c)?)
}

/// Lets this judge score this pitch again; false when it was unlocked already.
pub fn unlock(
    c: &mut DbConn,
    round_id: i64,
    app: i64,
    judge: i64,
    by: i64,
) -> Result<bool, AppError> {
    if unlocks(c, round_id)?.contains(&(app, judge)) {
        return Ok(false);
    }
    diesel::insert_into(live_unlocks::table)
        .values((
            live_unlocks::round_id.eq(round_id),
            live_unlocks::application_id.eq(app),
            live_unlocks::judge_id.eq(judge),
            live_unlocks::unlocked_by.eq(by),
            live_unlocks::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(true)
}

/// The answer given to this judge's earlier save with the same client id, if any.
pub fn saved_answer(
    c: &mut DbConn,
    judge: i64,
    client_id: &str,
) -> Result<Option<(i64, String)>, AppError> {
    Ok(live_saves::table
        .filter(live_saves::judge_id.eq(judge))
        .filter(live_saves::client_id.eq(client_id))
        .select((live_saves::assignment_id, live_saves::answer))
        .first(c)
        .optional()?)
}

pub fn record_answer(
    c: &mut DbConn,
    judge: i64,
    client_id: &str,
    assignment: i64,
    answer: &str,
) -> Result<(), AppError> {
    diesel::insert_into(live_saves::table)
        .values((
            live_saves::judge_id.eq(judge),
            live_saves::client_id.eq(client_id),
            live_saves::assignment_id.eq(assignment),
            live_saves::answer.eq(answer),
            live_saves::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

/// When each judge of the round was last connected.
pub fn presence(c: &mut DbConn, round_id: i64) -> Result<Vec<(i64, NaiveDateTime)>, AppError> {
    Ok(live_presence::table
        .filter(live_presence::round_id.eq(round_id))
        .select((live_presence::judge_id, live_presence::last_seen))
        .load(c)?)
}

/// Records the judge as gone (seen long ago) when their stream ends, unless a newer stream
/// has recorded them after `since` (the ending stream's last record). True when it changed.
pub fn left(
    c: &mut DbConn,
    round_id: i64,
    judge: i64,
    since: NaiveDateTime,
) -> Result<bool, AppError> {
    let n = diesel::update(live_presence::table)
        .filter(live_presence::round_id.eq(round_id))
        .filter(live_presence::judge_id.eq(judge))
        .filter(live_presence::last_seen.le(since))
        .set(live_presence::last_seen.eq(since - chrono::Duration::hours(1)))
        .execute(c)?;
    Ok(n > 0)
}

/// Records the judge as connected at `at`.
pub fn seen(c: &mut DbConn, round_id: i64, judge: i64, at: NaiveDateTime) -> Result<(), AppError> {
    let n = diesel::update(live_presence::table)
        .filter(live_presence::round_id.eq(round_id))
        .filter(live_presence::judge_id.eq(judge))
        .set(live_presence::last_seen.eq(at))
        .execute(c)?;
    if n > 0 {
        return Ok(());
    }
    let inserted = diesel::insert_into(live_presence::table)
        .values((
            live_presence::round_id.eq(round_id),
            live_presence::judge_id.eq(judge),
            live_presence::last_seen.eq(at),
        ))
        .execute(c);
    match inserted {
        // Two of the judge's streams connected at once and the other inserted first.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {
            diesel::update(live_presence::table)
                .filter(live_presence::round_id.eq(round_id))
                .filter(live_presence::judge_id.eq(judge))
                .set(live_presence::last_seen.eq(at))
                .execute(c)?;
            Ok(())
        }
        other => other.map(|_| ()).map_err(AppError::from),
    }
}
