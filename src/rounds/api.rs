//! Round and rubric bodies, and their rules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::contests::api::I18nText;
use crate::error::FieldErrors;

pub const METHODS: [&str; 3] = ["raw", "trimmed", "zscore"];

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    #[schema(value_type = Option<crate::contests::api::I18nTextSchema>)]
    pub name: Option<I18nText>,
    /// k: reviews each application should get (1–20).
    pub reviews_per_application: Option<i32>,
    pub judging_opens_at: Option<DateTime<Utc>>,
    pub judging_closes_at: Option<DateTime<Utc>>,
    /// Judges do not see names, team, website or video.
    pub blind: Option<bool>,
    /// In a blind round, whether judges may open the pitch deck.
    pub blind_shows_deck: Option<bool>,
    /// raw | trimmed | zscore
    pub ranking_method: Option<String>,
    /// Criterion keys that break ties, in order.
    pub tie_break: Option<Vec<String>>,
    /// Judges' comments to the applicant are sent with the results.
    pub feedback_to_applicants: Option<bool>,
    /// Owner only: the organiser that runs the round (a preliminary); null for the owner's own.
    pub organisation_id: Option<i64>,
    /// Owner only, at creation: the stage to stand in beside its rounds (default: a new stage).
    pub stage: Option<i32>,
    /// Owner only: which submitted applications a first-stage round takes.
    pub route: Option<super::routing::Route>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    pub id: i64,
    pub contest_id: i64,
    pub position: i32,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    pub reviews_per_application: i32,
    pub judging_opens_at: Option<DateTime<Utc>>,
    pub judging_closes_at: Option<DateTime<Utc>>,
    pub blind: bool,
    pub blind_shows_deck: bool,
    pub ranking_method: String,
    pub tie_break: Vec<String>,
    pub feedback_to_applicants: bool,
    /// setup | judging | closed | published
    pub state: String,
    pub criteria: i64,
    pub entries: i64,
    pub organisation_id: Option<i64>,
    pub stage: i32,
    pub route: super::routing::Route,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub key: String,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    #[serde(default)]
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub guidance: I18nText,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
    /// True once a review was submitted: the rubric can no longer change.
    #[serde(default)]
    pub frozen: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// judging | closed
    pub to: String,
    /// Closing with unfinished reviews needs `true`.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeProgress {
    pub judge_id: i64,
    pub name: String,
    pub region: String,
    pub assigned: i64,
    pub submitted: i64,
    pub drafts: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationProgress {
    pub application_id: i64,
    pub company_name: String,
    pub assigned: i64,
    pub submitted: i64,
    /// Seats still open: k minus assigned judges.
    pub open_seats: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub round_id: i64,
    pub state: String,
    pub assignments: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub percent: f64,
    pub judges: Vec<JudgeProgress>,
    pub applications: Vec<ApplicationProgress>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reminders {
    pub queued: usize,
    /// Judges reminded today already, or who opted out.
    pub skipped: usize,
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub fn validate_round(r: &RoundInput, e: &mut FieldErrors) {
    if let Some(name) = &r.name
        && name.get("en").is_none_or(|s| s.trim().is_empty())
    {
        e.add("name", "required");
    }
    if let Some(k) = r.reviews_per_application
        && !(1..=20).contains(&k)
    {
        e.add("reviews_per_application", "out_of_range");
    }
    if let (Some(a), Some(b)) = (r.judging_opens_at, r.judging_closes_at)
        && a >= b
    {
        e.add("judging_closes_at", "before_opens_at");
    }
    if let Some(m) = &r.ranking_method
        && !METHODS.contains(&m.as_str())
    {
        e.add("ranking_method", "invalid_choice");
    }
}

pub fn validate_rubric(criteria: &[Criterion], e: &mut FieldErrors) {
    if criteria.is_empty() {
        e.add("criteria", "required");
    }
    if criteria.len() > 20 {
        e.add("criteria", "too_many");
    }
    let mut keys = std::collections::BTreeSet::new();
    for (i, c) in criteria.iter().enumerate() {
        let f = format!("criteria.{i}");
        if !is_key(&c.key) || !keys.insert(c.key.as_str()) {
            e.add(&format!("{f}.key"), "invalid_key");
        }
        if c.name.get("en").is_none_or(|s| s.trim().is_empty()) {
            e.add(&format!("{f}.name"), "required");
        }
        if c.name
            .values()
            .chain(c.guidance.values())
            .any(|v| v.chars().count() > 2000)
        {
            e.add(&format!("{f}.guidance"), "too_long");
        }
        if !(c.weight.is_finite() && c.weight > 0.0 && c.weight <= 100.0) {
            e.add(&format!("{f}.weight"), "out_of_range");
        }
        if c.min < 0 || c.max <= c.min || c.max - c.min > 100 {
            e.add(&format!("{f}.max"), "invalid_scale");
        }
    }
}
