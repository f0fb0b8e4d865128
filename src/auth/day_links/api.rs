//! Request and response bodies of the sign-in links for the day of the final.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::two_factor::api::QrMatrix;

/// Minutes a link is valid when the request does not say (a day of pitches).
pub const DEFAULT_VALID_MINUTES: i64 = 12 * 60;
pub const MIN_VALID_MINUTES: i64 = 5;
pub const MAX_VALID_MINUTES: i64 = 48 * 60;

/// Which judges get a link: the listed ones, every judge assigned in `round_id`, or both.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct IssueDayLinks {
    #[serde(default)]
    pub judge_ids: Vec<i64>,
    pub round_id: Option<i64>,
    /// 5 to 2,880; default 720 (12 hours).
    pub valid_minutes: Option<i64>,
    /// Also mail each judge their link (through the outbox).
    #[serde(default)]
    pub send_email: bool,
}

/// A link as issued: the only time its secret is shown. Earlier unused links of the same
/// judge and contest are revoked.
#[derive(Serialize, ToSchema)]
pub struct IssuedDayLink {
    pub id: i64,
    pub judge_id: i64,
    pub judge_name: String,
    pub judge_email: String,
    /// The sign-in address; the secret is in the fragment, which browsers never send.
    pub url: String,
    pub qr: QrMatrix,
    pub expires_at: DateTime<Utc>,
    pub mailed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedDayLinks {
    pub links: Vec<IssuedDayLink>,
}

/// A link without its secret.
#[derive(Serialize, ToSchema)]
pub struct DayLinkStatus {
    pub id: i64,
    /// issued | used | expired | revoked
    pub state: &'static str,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A judge of the contest and their newest link.
#[derive(Serialize, ToSchema)]
pub struct JudgeDayLink {
    pub judge_id: i64,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    pub latest: Option<DayLinkStatus>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayLinkSignIn {
    pub contest_id: i64,
    pub token: String,
}
