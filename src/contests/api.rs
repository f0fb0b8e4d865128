//! Contest request and response bodies, and their validation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::questions::{Question, check_questions};
pub use super::text::{I18nText, I18nTextSchema};
use super::text::{check_i18n, is_key};
use crate::error::FieldErrors;

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Stable key used by applications and judge expertise, e.g. `ai`.
    pub key: String,
    #[schema(value_type = I18nTextSchema)]
    pub name: I18nText,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// The start-up must have been founded at most this many years before the closing year.
    #[serde(default)]
    pub founded_within_years: Option<i32>,
    /// ISO 3166-1 alpha-2 codes; empty means every country.
    #[serde(default)]
    pub allowed_countries: Vec<String>,
}

/// One tier of the contest's awards, e.g. Grand Prize ×1. The final round's ranks fill the
/// tiers in order: the first `places` ranks get the first tier, and so on.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AwardTier {
    /// Stable key, e.g. `grand`.
    pub key: String,
    #[schema(value_type = I18nTextSchema)]
    pub name: I18nText,
    /// How many entries receive it (1–50).
    pub places: u32,
    /// What the award brings, e.g. "KRW 30,000,000 and a Hangzhou incubator place".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<I18nTextSchema>)]
    pub prize: Option<I18nText>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContestInput {
    pub slug: String,
    #[schema(value_type = I18nTextSchema)]
    pub name: I18nText,
    #[serde(default)]
    #[schema(value_type = I18nTextSchema)]
    pub description: I18nText,
    /// IANA zone, e.g. `Asia/Seoul`.
    pub timezone: String,
    pub tracks: Vec<Track>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Listed on the public pages.
    #[serde(default)]
    pub published: bool,
    /// Award tiers, best first; empty when the final round names no winners.
    #[serde(default)]
    pub awards: Vec<AwardTier>,
    /// The contest's own questions on the application form, in form order.
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ContestPatch {
    pub slug: Option<String>,
    #[schema(value_type = Option<I18nTextSchema>)]
    pub name: Option<I18nText>,
    #[schema(value_type = Option<I18nTextSchema>)]
    pub description: Option<I18nText>,
    pub timezone: Option<String>,
    pub tracks: Option<Vec<Track>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub eligibility: Option<Eligibility>,
    pub published: Option<bool>,
    pub awards: Option<Vec<AwardTier>>,
    /// Once an application answered a question, only its wording (label, help, option
    /// labels) may change: 409 `question_answered` otherwise.
    pub questions: Option<Vec<Question>>,
}

/// "Copy as next edition": a new contest with this one's tracks, eligibility, awards,
/// questions and rounds (settings and rubrics, no entries); no application, review or result
/// is copied.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyInput {
    pub slug: String,
    /// Defaults to this edition's name.
    #[serde(default)]
    #[schema(value_type = Option<I18nTextSchema>)]
    pub name: Option<I18nText>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Invite this edition's judges (active or invited) to the new one, each by email.
    #[serde(default)]
    pub invite_judges: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CopiedEdition {
    pub contest: Contest,
    /// Rounds created in set-up, with their settings and rubrics.
    pub rounds: usize,
    /// Judges sent an invitation to the new edition.
    pub judges_invited: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Contest {
    pub id: i64,
    pub slug: String,
    #[schema(value_type = I18nTextSchema)]
    pub name: I18nText,
    #[schema(value_type = I18nTextSchema)]
    pub description: I18nText,
    pub timezone: String,
    pub tracks: Vec<Track>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub eligibility: Eligibility,
    pub published: bool,
    pub awards: Vec<AwardTier>,
    pub questions: Vec<Question>,
    /// Set when an administrator archived the edition: it is read-only and listed apart.
    pub archived_at: Option<DateTime<Utc>>,
    /// The edition this one was copied from.
    pub previous_id: Option<i64>,
    /// Applicants who still hold a draft (administrators only; 0 for others).
    pub drafts: i64,
    /// `upcoming`, `open` or `closed`, by the server's clock.
    pub phase: &'static str,
    /// The server's clock, so a client can show a countdown that does not trust its own.
    pub server_time: DateTime<Utc>,
}

pub fn is_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

pub struct Checked<'a> {
    pub slug: &'a str,
    pub name: &'a I18nText,
    pub description: &'a I18nText,
    pub timezone: &'a str,
    pub tracks: &'a [Track],
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub eligibility: &'a Eligibility,
    pub awards: &'a [AwardTier],
    pub questions: &'a [Question],
}

pub fn validate(c: &Checked<'_>) -> FieldErrors {
    let mut e = FieldErrors::default();
    if !is_key(c.slug, 40) || c.slug.len() < 2 {
        e.add("slug", "invalid");
    }
    check_i18n("name", c.name, 200, true, &mut e);
    check_i18n("description", c.description, 5000, false, &mut e);
    if c.timezone.parse::<chrono_tz::Tz>().is_err() {
        e.add("timezone", "invalid_timezone");
    }
    if c.tracks.is_empty() {
        e.add("tracks", "required");
    } else if c.tracks.len() > 20 {
        e.add("tracks", "too_many");
    }
    let mut keys = std::collections::BTreeSet::new();
    for t in c.tracks {
        if !is_key(&t.key, 32) || !keys.insert(t.key.as_str()) {
            e.add("tracks", "invalid_key");
        }
        check_i18n("tracks", &t.name, 100, true, &mut e);
    }
    if c.opens_at >= c.closes_at {
        e.add("closes_at", "before_opens_at");
    }
    if let Some(n) = c.eligibility.founded_within_years
        && !(1..=100).contains(&n)
    {
        e.add("eligibility", "invalid");
    }
    if c.eligibility
        .allowed_countries
        .iter()
        .any(|c| !is_country(c))
    {
        e.add("eligibility", "invalid_country");
    }
    check_awards(c.awards, &mut e);
    let track_keys: Vec<&str> = c.tracks.iter().map(|t| t.key.as_str()).collect();
    check_questions(c.questions, &track_keys, &mut e);
    e
}

fn check_awards(awards: &[AwardTier], e: &mut FieldErrors) {
    if awards.len() > 10 {
        e.add("awards", "too_many");
    }
    let mut keys = std::collections::BTreeSet::new();
    for a in awards {
        if !is_key(&a.key, 32) || !keys.insert(a.key.as_str()) {
            e.add("awards", "invalid_key");
        }
        check_i18n("awards", &a.name, 100, true, e);
        if let Some(p) = &a.prize {
            check_i18n("awards", p, 300, false, e);
        }
        if !(1..=50).contains(&a.places) {
            e.add("awards", "invalid_places");
        }
    }
}
