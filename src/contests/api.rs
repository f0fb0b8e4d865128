//! Contest request and response bodies, and their validation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;

/// Text in several languages: `{"en": "…", "ko": "…", "zh": "…"}`; English is required.
pub type I18nText = BTreeMap<String, String>;

/// How [`I18nText`] is published (`#[schema(value_type = I18nTextSchema)]`): one named
/// schema with the three languages as typed fields, so a generated client has them.
pub struct I18nTextSchema;

impl utoipa::PartialSchema for I18nTextSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let text = || ObjectBuilder::new().schema_type(Type::String);
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Text by language code: `en`, `ko`, `zh`; English is required where the text is.",
            ))
            .property("en", text())
            .property("ko", text())
            .property("zh", text())
            // Older rows may carry another language; it is text all the same.
            .additional_properties(Some(text()))
            .into()
    }
}

impl utoipa::ToSchema for I18nTextSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "I18nText".into()
    }
}

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
    /// `upcoming`, `open` or `closed`, by the server's clock.
    pub phase: &'static str,
    /// The server's clock, so a client can show a countdown that does not trust its own.
    pub server_time: DateTime<Utc>,
}

const LANGS: [&str; 3] = ["en", "ko", "zh"];

fn check_i18n(field: &str, text: &I18nText, max: usize, required: bool, errors: &mut FieldErrors) {
    if text.keys().any(|k| !LANGS.contains(&k.as_str())) {
        errors.add(field, "invalid_language");
    }
    if required && text.get("en").is_none_or(|s| s.trim().is_empty()) {
        errors.add(field, "required");
    }
    if text.values().any(|v| v.chars().count() > max) {
        errors.add(field, "too_long");
    }
}

fn is_key(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
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
    e
}
