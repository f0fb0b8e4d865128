//! Judge, invitation and conflict bodies.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;

pub const REGIONS: [&str; 3] = ["KR", "CN", "OTHER"];

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRow {
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub organization: String,
    /// KR | CN | OTHER
    pub region: String,
    /// Track key → level 0–3.
    #[serde(default)]
    pub expertise: BTreeMap<String, i32>,
    #[serde(default = "default_capacity")]
    pub capacity: i32,
    /// en | ko | zh: the invitation's language.
    #[serde(default)]
    pub locale: Option<String>,
}

fn default_capacity() -> i32 {
    10
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub judges: Vec<InviteRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteResult {
    /// 1-based row number (CSV: the header is row 0).
    pub row: usize,
    pub email: String,
    /// invited | reinvited | already_active | error
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, String>>,
}

/// The body of a CSV import: the file's bytes as sent (`text/csv`, UTF-8).
pub struct CsvFile;

impl utoipa::PartialSchema for CsvFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some(
                "`email,name,organization,region,expertise,capacity[,locale]`, a header row first",
            ))
            .into()
    }
}

impl utoipa::ToSchema for CsvFile {}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteReport {
    pub invited: usize,
    pub failed: usize,
    pub rows: Vec<InviteResult>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
    /// Optionally correct the name the organisers typed.
    pub name: Option<String>,
}

/// How a judge is tied to an organisation; every kind counts as a conflict the same way.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AffiliationKind {
    Employer,
    Investment,
    Advisory,
    Family,
}

/// An organisation the judge is tied to, in any script: "Hanbit Robotics", "(주)한빛로보틱스",
/// "杭州云智科技有限公司".
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Affiliation {
    pub name: String,
    pub kind: AffiliationKind,
}

/// Most organisations a profile lists.
pub const MAX_AFFILIATIONS: usize = 30;

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, Default)]
pub struct JudgeProfile {
    pub organization: String,
    /// Organisations the judge is tied to beyond `organization`; conflict detection matches
    /// them against every start-up's names.
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
    pub region: String,
    pub expertise: BTreeMap<String, i32>,
    pub languages: Vec<String>,
    pub capacity: i32,
    /// Whether reminder emails are wanted.
    pub reminders: bool,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    pub organization: Option<String>,
    /// The whole list: replaces the previous one.
    pub affiliations: Option<Vec<Affiliation>>,
    pub region: Option<String>,
    pub expertise: Option<BTreeMap<String, i32>>,
    pub languages: Option<Vec<String>>,
    /// Administrators only.
    pub capacity: Option<i32>,
    pub reminders: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Judge {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// invited | active | disabled
    pub status: &'static str,
    pub profile: JudgeProfile,
    pub invited_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Assignments across the contest's rounds.
    pub assigned: i64,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ConflictDeclaration {
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictInput {
    pub judge_id: i64,
    pub application_id: i64,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conflict {
    pub id: i64,
    pub judge_id: i64,
    pub judge_name: String,
    pub application_id: i64,
    pub company_name: String,
    /// declared | admin | detected
    pub source: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

pub fn validate_profile(p: &ProfilePatch, e: &mut FieldErrors) {
    if let Some(o) = &p.organization
        && o.chars().count() > 200
    {
        e.add("organization", "too_long");
    }
    if let Some(list) = &p.affiliations
        && (list.len() > MAX_AFFILIATIONS
            || list.iter().any(|a| {
                let n = a.name.trim().chars().count();
                n == 0 || n > 200
            }))
    {
        e.add("affiliations", "invalid");
    }
    if let Some(r) = &p.region
        && !REGIONS.contains(&r.as_str())
    {
        e.add("region", "invalid_choice");
    }
    if let Some(x) = &p.expertise
        && (x.len() > 30
            || x.iter()
                .any(|(k, v)| !(0..=3).contains(v) || k.is_empty() || k.len() > 32))
    {
        e.add("expertise", "out_of_range");
    }
    if let Some(l) = &p.languages
        && (l.len() > 10 || l.iter().any(|s| s.is_empty() || s.len() > 10))
    {
        e.add("languages", "invalid");
    }
    if let Some(c) = p.capacity
        && !(0..=500).contains(&c)
    {
        e.add("capacity", "out_of_range");
    }
}

/// One start-up on the contest's entry list a judge may read before any assignment: its names
/// and track only, never a person, a document or an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub application_id: i64,
    pub company_name: String,
    /// The name in Korean or Chinese script, when given.
    pub company_name_native: String,
    pub track: String,
    /// The standing conflict of this judge with the start-up, if any: declared (by the judge,
    /// who may withdraw it) | admin | detected.
    pub conflict: Option<String>,
}

/// The entries of a contest's current or next round, for a judge to mark conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryList {
    pub contest_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub contest_name: crate::contests::api::I18nText,
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: crate::contests::api::I18nText,
    /// A blind round hides its entries from judges: `entries` is then empty.
    pub blind: bool,
    pub entries: Vec<Entry>,
}
