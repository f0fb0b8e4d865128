//! Assignment bodies and the judge's view of an application.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::applications::api::TeamMember;
use crate::contests::api::{I18nText, I18nTextSchema};
use crate::contests::questions::{QuestionKind, QuestionOption};
use crate::reviews::api::Review;
use crate::rounds::api::Criterion;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    pub judge_id: i64,
    pub application_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    pub judge_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub round_id: i64,
    pub judge_id: i64,
    pub judge_name: String,
    pub judge_region: String,
    pub application_id: i64,
    pub company_name: String,
    pub track: String,
    /// none | draft | submitted
    pub review_status: String,
    /// manual | auto
    pub source: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// todo | draft | submitted
    pub status: Option<String>,
    pub round: Option<i64>,
    pub track: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    pub assignment_id: i64,
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: I18nText,
    pub round_state: String,
    pub application_id: i64,
    /// The company name, or `null` in a blind round.
    pub company_name: Option<String>,
    pub track: String,
    pub country: String,
    pub summary: String,
    /// none | draft | submitted
    pub review_status: String,
    pub judging_closes_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub total: usize,
    pub submitted: usize,
}

/// What a judge may see of an application: identity fields are `null` in a blind round.
#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeApplication {
    pub id: i64,
    pub track: String,
    pub country: String,
    pub stage: String,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub market: String,
    pub traction: String,
    pub company_name: Option<String>,
    pub company_name_native: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub video_url: Option<String>,
    pub team: Option<Vec<TeamMember>>,
    /// Download link of the pitch deck when the judge may open it.
    pub deck_url: Option<String>,
    /// Answers to the contest's own questions, in form order; a blind round leaves out the
    /// questions marked identifying.
    pub answers: Vec<JudgeAnswer>,
}

/// One answer with its question's wording, so the scoring screen needs nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeAnswer {
    pub key: String,
    pub kind: QuestionKind,
    #[schema(value_type = I18nTextSchema)]
    pub label: I18nText,
    /// The choices of a choice question, to show the picked keys by their labels.
    pub options: Vec<QuestionOption>,
    /// Text, an option key, a list of option keys, a number or a boolean, by `kind`.
    pub value: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoringView {
    pub assignment_id: i64,
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: I18nText,
    pub round_state: String,
    pub blind: bool,
    pub judging_closes_at: Option<DateTime<Utc>>,
    pub criteria: Vec<Criterion>,
    pub application: JudgeApplication,
    pub review: Review,
    /// Neighbours in the judge's queue order, for previous / next.
    pub previous: Option<i64>,
    pub next: Option<i64>,
}

/// A judge as the solver reads them (docs/assignment-format.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct SolverJudge {
    /// The user id, written as text.
    pub id: String,
    /// KR | CN | OTHER
    pub region: String,
    pub capacity: i64,
    /// Track key → level 0–3.
    pub expertise: std::collections::BTreeMap<String, i64>,
}

/// An application as the solver reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolverApplication {
    /// The application id, written as text.
    pub id: String,
    pub track: String,
}

/// The assignment instance of a round, in the format `jury assign --instance` reads
/// (docs/assignment-format.md): the solver's own shape, with its text ids.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolverInstance {
    pub reviews_per_application: i64,
    pub required_regions: Vec<String>,
    pub judges: Vec<SolverJudge>,
    pub applications: Vec<SolverApplication>,
    /// `[judge id, application id]` pairs that may not be assigned.
    #[schema(value_type = Vec<Vec<String>>)]
    pub conflicts: Vec<(String, String)>,
}
