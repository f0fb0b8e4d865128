//! Result bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::contests::api::{AwardTier, I18nText};

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultRow {
    pub rank: Option<usize>,
    pub tied: bool,
    pub application_id: i64,
    pub company_name: String,
    pub track: String,
    pub reviews: usize,
    pub raw: Option<f64>,
    pub trimmed: Option<f64>,
    pub zscore: Option<f64>,
    pub dispersion: Option<f64>,
    pub disagreement: bool,
    pub advanced: bool,
    /// The award tier's key, in a published final that gives awards.
    #[serde(default)]
    pub award: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JudgeSeverity {
    pub judge_id: i64,
    pub judge_name: String,
    pub reviews: usize,
    pub mean: f64,
    pub severity: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundResults {
    pub round_id: i64,
    pub state: String,
    /// raw | trimmed | zscore: the method the ranks use.
    pub method: String,
    pub rows: Vec<ResultRow>,
    pub round_mean: f64,
    pub round_sd: f64,
    /// Krippendorff's alpha (interval) over the review totals; null when undefined.
    pub alpha: Option<f64>,
    pub severity: Vec<JudgeSeverity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Fragility {
    pub application_id: i64,
    pub company_name: String,
    pub rank: usize,
    pub rank_raw: Option<usize>,
    pub rank_trimmed: Option<usize>,
    pub rank_zscore: Option<usize>,
    pub worst_rank_leave_one_out: usize,
    pub worst_without_judge: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceInput {
    /// top | top_per_track | manual
    pub mode: String,
    #[serde(default)]
    pub n: Option<usize>,
    #[serde(default)]
    pub application_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Advanced {
    pub advanced: Vec<i64>,
}

/// What the public and applicants see once a round is published.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: I18nText,
    pub method: String,
    pub entries: usize,
    pub rows: Vec<ResultRow>,
    pub published_at: DateTime<Utc>,
    /// The round ended the contest: nobody advanced and no round follows.
    #[serde(default)]
    pub final_round: bool,
    /// The award tiers as they stood when the final was published.
    #[serde(default)]
    pub awards: Vec<AwardTier>,
    /// Digests this snapshot replaced, oldest first: each erasure of an entry after
    /// publication replaces its name and re-digests the snapshot (see docs/scoring.md §7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub round_id: i64,
    pub sha256: String,
    pub published_at: DateTime<Utc>,
    /// Result emails queued by this call (0 when it was already published).
    pub emails_queued: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicRound {
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: I18nText,
    pub published_at: DateTime<Utc>,
    /// SHA-256 of the stored snapshot: anyone can check it never changed.
    pub sha256: String,
    pub entries: usize,
    /// The applications that went through, by rank.
    pub advanced: Vec<PublicEntry>,
    pub final_round: bool,
    /// In a final: each award tier with its winners, best tier first.
    pub awards: Vec<PublicAward>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicAward {
    pub key: String,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    #[schema(value_type = Option<crate::contests::api::I18nTextSchema>)]
    pub prize: Option<I18nText>,
    pub winners: Vec<PublicEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEntry {
    pub rank: Option<usize>,
    pub company_name: String,
    pub track: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyResult {
    pub round_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub round_name: I18nText,
    pub rank: Option<usize>,
    pub entries: usize,
    pub score: Option<f64>,
    pub advanced: bool,
    /// The award won in the final, if any.
    pub award: Option<AwardTier>,
    pub final_round: bool,
    /// Judges' comments to the applicant, when the round shares them.
    pub feedback: Vec<String>,
}

/// What publishing a round will tell whom, before it is done (or what it told, once done).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishPreview {
    pub round_id: i64,
    pub published: bool,
    /// Nobody advanced and no round follows: the ranks fill the contest's award tiers.
    pub final_round: bool,
    pub entries: usize,
    /// Told they advanced.
    pub advanced: usize,
    /// Told they won an award (per tier in `awards`).
    pub awarded: usize,
    /// Told they did not advance (in a final: placed without an award).
    pub not_advanced: usize,
    pub awards: Vec<AwardPlaces>,
    /// Publishing needs `confirm_no_winners=true`: a final in which nobody is awarded.
    pub needs_confirmation: bool,
    /// Places an administrator set by hand, with their reasons.
    pub overrides: Vec<AwardOverride>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardPlaces {
    pub key: String,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    pub places: u32,
    pub winners: Vec<AwardWinner>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardWinner {
    pub application_id: i64,
    pub company_name: String,
    pub rank: Option<usize>,
    /// Placed by an administrator's override rather than by rank.
    pub overridden: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardOverride {
    pub application_id: i64,
    pub company_name: String,
    /// The tier's key; null = no award whatever the rank.
    pub award: Option<String>,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardOverrideInput {
    /// A tier key of the contest, or null for "no award".
    pub award: Option<String>,
    /// Why the ranks are overridden (kept in the audit log).
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PublishQuery {
    /// Publish a final in which nobody is awarded.
    #[serde(default)]
    pub confirm_no_winners: bool,
}
