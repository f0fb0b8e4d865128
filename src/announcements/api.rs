//! Announcement bodies: who receives it (the audience), what it says in each language, and
//! what the preview and the send answer.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::applications::model::ApplicationStatus;
use crate::contests::api::I18nText;
use crate::error::FieldErrors;

/// The languages an announcement is written and mailed in; English is required.
pub const LANGUAGES: [&str; 3] = ["en", "ko", "zh"];
pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Owners of the contest's applications that match the filters.
    Applicants,
    /// Judges of the contest who accepted their invitation (of the round, with `round_id`).
    Judges,
    /// Both, each person once.
    Everyone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultFilter {
    Advanced,
    NotAdvanced,
    /// Won an award tier in the published final.
    Awarded,
}

/// Who receives an announcement. The application filters (`statuses`, `track`, `result`) narrow
/// the applicants; `round_id` narrows both applicants (entered in the round) and judges
/// (holding an assignment in it); `result` needs `round_id` and a published round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub group: Group,
    /// Application statuses to include; empty means every status.
    #[serde(default)]
    pub statuses: Vec<ApplicationStatus>,
    #[serde(default)]
    pub round_id: Option<i64>,
    /// A track key of the contest.
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub result: Option<ResultFilter>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    pub audience: Audience,
    /// At most 200 characters per language; English is required.
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub subject: I18nText,
    /// At most 10,000 characters per language; English is required.
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub body: I18nText,
}

impl AnnouncementInput {
    /// The texts' rules, field by field (`subject.en`: `required`, `body.ko`: `too_long`).
    /// A preview may come before the English text is written (`require_english` false).
    pub fn validate(&self, e: &mut FieldErrors, require_english: bool) {
        for (field, map, max) in [
            ("subject", &self.subject, SUBJECT_MAX),
            ("body", &self.body, BODY_MAX),
        ] {
            if require_english && map.get("en").is_none_or(|s| s.trim().is_empty()) {
                e.add(&format!("{field}.en"), "required");
            }
            for (lang, text) in map {
                if !LANGUAGES.contains(&lang.as_str()) {
                    e.add(&format!("{field}.{lang}"), "invalid_language");
                } else if text.chars().count() > max {
                    e.add(&format!("{field}.{lang}"), "too_long");
                }
            }
        }
    }

    /// The text in `lang`, or `None` when the administrator left that language empty.
    pub fn text(&self, lang: &str) -> Option<(&str, &str)> {
        fn pick<'a>(m: &'a I18nText, lang: &str) -> Option<&'a str> {
            m.get(lang).map(|s| s.trim()).filter(|s| !s.is_empty())
        }
        Some((pick(&self.subject, lang)?, pick(&self.body, lang)?))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenderedText {
    pub subject: String,
    pub text: String,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ByLanguage {
    pub en: i64,
    pub ko: i64,
    pub zh: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenderedLanguages {
    pub en: RenderedText,
    pub ko: RenderedText,
    pub zh: RenderedText,
}

/// What sending would do: how many people in which language, and the mail each language gets.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub recipients: i64,
    pub by_language: ByLanguage,
    pub rendered: RenderedLanguages,
    /// Languages left empty: their readers get the English text.
    pub fallback: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    pub id: i64,
    pub recipients: i64,
    pub emails_queued: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Announcement {
    pub id: i64,
    pub contest_id: i64,
    pub audience: Audience,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub subject: BTreeMap<String, String>,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub body: BTreeMap<String, String>,
    pub recipients: i64,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
}
