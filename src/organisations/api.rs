//! Organisation, staff and routing bodies, and their rules.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::contests::api::I18nText;
use crate::contests::text::check_i18n;
use crate::error::FieldErrors;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Names in en (required), ko and zh.
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    /// Where it runs its preliminary: an ISO 3166 alpha-2 code (KR, CN) or INTL.
    pub region: String,
}

impl OrganisationInput {
    pub fn validate(&self) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_i18n("name", &self.name, 200, true, &mut e);
        let r = self.region.trim();
        if r.len() < 2 || r.len() > 8 || !r.chars().all(|c| c.is_ascii_uppercase()) {
            e.add("region", "invalid_region");
        }
        e
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub contest_id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    pub region: String,
    /// How many staff accounts it has.
    pub staff: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffInvite {
    pub email: String,
    pub name: String,
    /// en | ko | zh (default en)
    pub locale: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The invitation was accepted (a password is set).
    pub active: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteOverride {
    /// The first-stage round the application goes to; null returns it to the rules.
    pub round_id: Option<i64>,
    /// Why (kept in the audit log); required when a round is chosen.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Routed {
    pub application_id: i64,
    /// The first-stage round it goes to, if any takes it.
    pub round_id: Option<i64>,
    /// "override" (the owner's choice) or "rule".
    pub by: String,
}

/// One round of an organisation's dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    pub id: i64,
    #[schema(value_type = crate::contests::api::I18nTextSchema)]
    pub name: I18nText,
    pub stage: i32,
    /// setup | judging | closed | published
    pub state: String,
    pub entries: i64,
    pub assignments: i64,
    pub submitted_reviews: i64,
    pub advanced: i64,
}

/// An organisation's dashboard: its rounds, their progress and its mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub organisation: Organisation,
    pub rounds: Vec<RoundSummary>,
    pub judges: i64,
    pub mail_pending: i64,
    pub mail_failed: i64,
    pub mail_sent: i64,
}
