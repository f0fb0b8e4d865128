//! Request and response bodies of the audience vote (People's Choice).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::two_factor::api::QrMatrix;
use crate::contests::api::I18nTextSchema;
use crate::contests::text::I18nText;

/// Ticket codes one request may generate or upload.
pub const MAX_TICKETS_PER_REQUEST: usize = 5_000;

/// Turn the vote on for a round, or change its mode before it opens.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteSetup {
    /// `tickets` (one vote per ticket code) or `email` (one vote per verified address).
    pub mode: String,
}

/// The organiser's view of a round's audience vote.
#[derive(Serialize, ToSchema)]
pub struct AudienceVote {
    pub round_id: i64,
    /// tickets | email
    pub mode: String,
    /// setup | open | closed
    pub state: String,
    /// The public vote page (no account needed); the QR code leads there.
    pub vote_url: String,
    pub qr: QrMatrix,
    pub tickets: i64,
    pub ballots: i64,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Add ticket codes: `generate` new random ones, and/or upload `codes` (letters and digits;
/// spaces and dashes are ignored, case does not matter).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TicketsRequest {
    pub generate: Option<usize>,
    #[serde(default)]
    pub codes: Vec<String>,
}

/// Only hashes are stored: `codes` (the generated ones) is the one chance to print them.
#[derive(Serialize, ToSchema)]
pub struct TicketsAdded {
    pub added: usize,
    /// Codes already known, or listed twice.
    pub duplicates: usize,
    pub total: i64,
    pub codes: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteTransition {
    /// open | closed
    pub to: String,
}

/// A finalist on the public vote page.
#[derive(Serialize, ToSchema, Clone)]
pub struct Finalist {
    pub application_id: i64,
    pub company_name: String,
    pub company_name_native: String,
    pub track: String,
    #[schema(value_type = I18nTextSchema)]
    pub track_name: I18nText,
}

/// What the public vote page shows.
#[derive(Serialize, ToSchema)]
pub struct PublicVote {
    #[schema(value_type = I18nTextSchema)]
    pub contest_name: I18nText,
    #[schema(value_type = I18nTextSchema)]
    pub round_name: I18nText,
    /// tickets | email
    pub mode: String,
    /// setup | open | closed
    pub state: String,
    pub finalists: Vec<Finalist>,
    /// Whether the People's Choice has been published (then `GET …/result` answers).
    pub published: bool,
}

/// One vote: the finalist, and the ticket code (ticket mode) or the emailed token (email mode).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotRequest {
    pub application_id: i64,
    pub ticket: Option<String>,
    pub token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BallotAccepted {
    /// Always `counted`.
    pub status: &'static str,
}

/// Ask for a one-time voting link by email (email mode).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteEmailRequest {
    pub email: String,
    /// en | ko | zh, the language of the mail; default en.
    pub locale: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VoteEmailAccepted {
    /// Always `check_your_email` (the same for any address).
    pub status: &'static str,
}

/// A finalist's People's Choice count.
#[derive(Serialize, ToSchema, Clone)]
pub struct FinalistVotes {
    pub application_id: i64,
    pub company_name: String,
    pub company_name_native: String,
    pub track: String,
    #[schema(value_type = I18nTextSchema)]
    pub track_name: I18nText,
    pub votes: i64,
    /// Competition rank (1, 2, 2, 4) by votes.
    pub rank: i64,
}

/// The People's Choice: the audience's own award, never part of the judges' ranking.
#[derive(Serialize, ToSchema)]
pub struct PeoplesChoice {
    pub round_id: i64,
    /// setup | open | closed
    pub state: String,
    pub published_at: Option<DateTime<Utc>>,
    pub ballots: i64,
    /// Most votes first.
    pub finalists: Vec<FinalistVotes>,
    /// Every finalist with the most votes (none while nobody has voted).
    pub winners: Vec<i64>,
    /// More than one winner: a tie, shown as such.
    pub tie: bool,
}
