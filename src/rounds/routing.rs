//! Which preliminary a submitted application goes to (issue 22). The rounds of a contest's
//! first stage stand side by side; each has a route (`rounds.route`, JSON `{"countries": [...],
//! "tracks": [...]}`). An application goes to the owner's manual choice when there is one
//! (`application_routes`), else to the first round (by position) whose route names its
//! country and track (an empty list allows any), else to the first round with an empty route
//! (the catch-all, e.g. "international"). A contest with one first-stage round and no route
//! keeps today's shape: every submitted application enters it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{application_routes, rounds};
use crate::db::{DbConn, now};
use crate::error::AppError;

/// A preliminary's routing rule. A region is the list of its countries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Route {
    /// ISO 3166 alpha-2 codes; empty = any country.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Contest track keys; empty = any track.
    #[serde(default)]
    pub tracks: Vec<String>,
}

impl Route {
    pub fn parse(text: &str) -> Route {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn is_catch_all(&self) -> bool {
        self.countries.is_empty() && self.tracks.is_empty()
    }

    pub fn matches(&self, country: &str, track: &str) -> bool {
        (self.countries.is_empty()
            || self
                .countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(country)))
            && (self.tracks.is_empty() || self.tracks.iter().any(|t| t == track))
    }
}

/// The owner's manual choice for one application.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = application_routes)]
pub struct Override {
    pub application_id: i64,
    pub round_id: i64,
    pub reason: String,
    pub set_by: Option<i64>,
    pub set_at: NaiveDateTime,
}

/// A round of the first stage, as routing sees it.
#[derive(Clone, Debug, Queryable)]
pub struct Preliminary {
    pub id: i64,
    pub organisation_id: Option<i64>,
    pub route: String,
}

/// The rounds of the contest's first stage, by position.
pub fn first_stage(c: &mut DbConn, contest_id: i64) -> Result<Vec<Preliminary>, AppError> {
    let first: Option<i32> = rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .select(diesel::dsl::min(rounds::stage))
        .first(c)?;
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    Ok(rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .filter(rounds::stage.eq(first))
        .order(rounds::position.asc())
        .select((rounds::id, rounds::organisation_id, rounds::route))
        .load(c)?)
}

/// The preliminary the rules choose among `stage` (no override).
pub fn by_rule(stage: &[Preliminary], country: &str, track: &str) -> Option<i64> {
    let routes: Vec<(i64, Route)> = stage
        .iter()
        .map(|r| (r.id, Route::parse(&r.route)))
        .collect();
    routes
        .iter()
        .find(|(_, r)| !r.is_catch_all() && r.matches(country, track))
        .or_else(|| routes.iter().find(|(_, r)| r.is_catch_all()))
        .map(|(id, _)| *id)
}

pub fn overrides(c: &mut DbConn, contest_id: i64) -> Result<Vec<Override>, AppError> {
    Ok(application_routes::table
        .inner_join(rounds::table)
        .filter(rounds::contest_id.eq(contest_id))
        .select(Override::as_select())
        .load(c)?)
}

pub fn find_override(c: &mut DbConn, application_id: i64) -> Result<Option<Override>, AppError> {
    Ok(application_routes::table
        .find(application_id)
        .select(Override::as_select())
        .first(c)
        .optional()?)
}

/// The preliminary of one application: its override, else the rules.
pub fn route_of(
    c: &mut DbConn,
    contest_id: i64,
    application_id: i64,
    country: &str,
    track: &str,
) -> Result<Option<i64>, AppError> {
    if let Some(o) = find_override(c, application_id)? {
        return Ok(Some(o.round_id));
    }
    Ok(by_rule(&first_stage(c, contest_id)?, country, track))
}

/// Sets (`Some`) or clears (`None`) the owner's manual choice.
pub fn set_override(
    c: &mut DbConn,
    application_id: i64,
    choice: Option<(i64, &str, i64)>,
) -> Result<(), AppError> {
    diesel::delete(application_routes::table.find(application_id)).execute(c)?;
    if let Some((round_id, reason, by)) = choice {
        diesel::insert_into(application_routes::table)
            .values((
                application_routes::application_id.eq(application_id),
                application_routes::round_id.eq(round_id),
                application_routes::reason.eq(reason),
                application_routes::set_by.eq(Some(by)),
                application_routes::set_at.eq(now()),
            ))
            .execute(c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_country_wins_over_the_catch_all() {
        let kr = Route {
            countries: vec!["KR".into()],
            tracks: vec![],
        };
        assert!(kr.matches("kr", "ai"));
        assert!(!kr.matches("CN", "ai"));
        assert!(Route::default().is_catch_all());
        let t = Route {
            countries: vec![],
            tracks: vec!["bio".into()],
        };
        assert!(t.matches("US", "bio") && !t.matches("US", "ai"));
    }
}
