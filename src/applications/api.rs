//! Application bodies, field rules and the completeness check that gates submission.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub use super::completeness::Completeness;
use crate::contests::api::{Track, is_country};
pub use crate::contests::text::is_http_url;
use crate::error::FieldErrors;

pub const STAGES: [&str; 5] = ["idea", "prototype", "mvp", "revenue", "growth"];

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub email: String,
}

/// The editable fields; every one optional so autosave can send what changed. `version`, when
/// sent, must match the stored one (else 409 `edit_conflict`), so two tabs cannot silently
/// overwrite each other; without it the last write wins.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub company_name: Option<String>,
    pub company_name_native: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    /// idea | prototype | mvp | revenue | growth
    pub stage: Option<String>,
    pub track: Option<String>,
    pub website: Option<String>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub market: Option<String>,
    pub traction: Option<String>,
    pub team: Option<Vec<TeamMember>>,
    pub video_url: Option<String>,
    /// Answers to the contest's own questions, by question key, merged into the stored ones:
    /// send only what changed; `null` clears an answer. Text, a choice's option key, a list of
    /// option keys, a number or a boolean, by the question's kind.
    pub answers: Option<BTreeMap<String, serde_json::Value>>,
    pub version: Option<i32>,
}

/// The form of a deck upload (`multipart/form-data`); the handler streams the part itself.
#[derive(ToSchema)]
pub struct DeckUpload {
    /// The pitch deck: a PDF.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Document {
    pub id: i64,
    pub kind: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// What the upload scan found: javascript, embedded_file, launch, open_action,
    /// additional_actions, rich_media, xfa, encrypted, scan_incomplete. Empty when clean.
    pub flags: Vec<String>,
    /// Pages counted by the upload scan (`/Type /Page` objects).
    pub page_count: Option<i32>,
    /// Where to download it (owner, administrators and assigned judges only).
    pub url: String,
}

/// The server's limits for a pitch deck (`JURY_UPLOAD_MAX_BYTES`, `JURY_UPLOAD_MAX_PAGES`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRules {
    pub max_bytes: u64,
    pub max_pages: u32,
    /// Accepted media types.
    pub content_types: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    pub contest_id: i64,
    /// draft | submitted | withdrawn | disqualified
    pub status: String,
    pub status_reason: Option<String>,
    pub company_name: String,
    pub company_name_native: String,
    pub country: String,
    pub city: String,
    pub founded_year: Option<i32>,
    pub team_size: Option<i32>,
    pub stage: String,
    pub track: String,
    pub website: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub market: String,
    pub traction: String,
    pub team: Vec<TeamMember>,
    pub video_url: String,
    /// Answers to the contest's own questions, by question key.
    pub answers: BTreeMap<String, serde_json::Value>,
    pub version: i32,
    pub deck: Option<Document>,
    pub completeness: Completeness,
    /// Whether the applicant may still change it (window open, not withdrawn or disqualified).
    pub editable: bool,
    /// What its applicant may do now; the API refuses the rest with 409.
    pub actions: ApplicationActions,
    pub closes_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when an administrator erased the personal fields after the contest.
    pub erased_at: Option<DateTime<Utc>>,
}

/// The applicant's actions the API would accept now, so a screen offers only those.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationActions {
    /// Change fields and the deck: draft or submitted, window open.
    pub edit: bool,
    /// Submit: a complete draft, window open.
    pub submit: bool,
    /// Withdraw: draft or submitted, window open, and no results of the contest published.
    pub withdraw: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummary {
    pub id: i64,
    pub contest_id: i64,
    pub status: String,
    pub company_name: String,
    pub company_name_native: String,
    pub country: String,
    pub track: String,
    pub applicant_name: String,
    pub applicant_email: String,
    pub has_deck: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    pub track: Option<String>,
    pub country: Option<String>,
    /// Searches company names and the summary.
    pub q: Option<String>,
    /// With `answer`: only applications whose answer to this question key is `answer` (or,
    /// for a multiple choice, includes it). Without `answer`: those that answered it at all.
    pub question: Option<String>,
    pub answer: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

const SHORT: usize = 120;
const LONG: usize = 3000;

fn check_len(field: &str, value: &Option<String>, max: usize, e: &mut FieldErrors) {
    if let Some(v) = value {
        if v.chars().count() > max {
            e.add(field, "too_long");
        } else if v
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            e.add(field, "invalid");
        }
    }
}

/// Format rules for whatever fields are present; completeness is checked only on submit.
pub fn validate(input: &ApplicationInput, tracks: &[Track], e: &mut FieldErrors) {
    check_len("company_name", &input.company_name, SHORT, e);
    check_len("company_name_native", &input.company_name_native, SHORT, e);
    check_len("city", &input.city, 80, e);
    check_len("summary", &input.summary, 600, e);
    for (f, v) in [
        ("problem", &input.problem),
        ("solution", &input.solution),
        ("market", &input.market),
        ("traction", &input.traction),
    ] {
        check_len(f, v, LONG, e);
    }
    if let Some(c) = &input.country
        && !c.is_empty()
        && !is_country(c)
    {
        e.add("country", "invalid_country");
    }
    let this_year = Utc::now().year();
    if let Some(y) = input.founded_year
        && !(1900..=this_year).contains(&y)
    {
        e.add("founded_year", "out_of_range");
    }
    if let Some(n) = input.team_size
        && !(1..=100_000).contains(&n)
    {
        e.add("team_size", "out_of_range");
    }
    if let Some(s) = &input.stage
        && !s.is_empty()
        && !STAGES.contains(&s.as_str())
    {
        e.add("stage", "invalid_choice");
    }
    if let Some(t) = &input.track
        && !t.is_empty()
        && !tracks.iter().any(|k| &k.key == t)
    {
        e.add("track", "invalid_choice");
    }
    for (f, v) in [("website", &input.website), ("video_url", &input.video_url)] {
        if let Some(u) = v
            && !u.is_empty()
            && (u.len() > 300 || !is_http_url(u))
        {
            e.add(f, "invalid_url");
        }
    }
    if let Some(team) = &input.team {
        if team.len() > 20 {
            e.add("team", "too_many");
        }
        for m in team {
            let mut sub = FieldErrors::default();
            crate::auth::api::check_name("team", &m.name, &mut sub);
            if m.role.chars().count() > 80 {
                sub.add("team", "too_long");
            }
            if !m.email.is_empty() {
                crate::auth::api::check_email("team", &m.email, &mut sub);
            }
            if let Some(code) = sub.0.get("team") {
                e.add("team", code);
            }
        }
    }
}
