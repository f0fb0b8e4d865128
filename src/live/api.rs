//! Live-final bodies: the organiser's settings and controls, the judge's score, and the three
//! snapshots a stream sends (show for the display and judges, the judge's own, the board).
//! Every stream message is a whole snapshot, never a delta, so a reconnect is always right.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::reviews::api::Review;
use crate::rounds::api::Criterion;

/// The organiser's settings for a live round; sending it marks the round live.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveSettings {
    /// Seconds each finalist pitches (30–3600).
    pub pitch_secs: i32,
    /// Seconds of questions after the pitch (0–3600).
    pub qa_secs: i32,
    /// Seconds scores are still taken after the next pitch starts (0–3600).
    pub grace_secs: i32,
    /// The two languages of the display: `ko`+`zh`, or either with `en`.
    pub languages: Vec<String>,
    /// The finalists (application ids, all entries of the round) in pitching order; empty
    /// keeps the current order (the entries' order the first time).
    #[serde(default)]
    pub order: Vec<i64>,
    /// Judges to seat on every finalist (conflicted pairs are skipped); may be empty when
    /// the panel was assigned already.
    #[serde(default)]
    pub judge_ids: Vec<i64>,
}

/// One move of the show: `start`, `next`, `back`, `pause`, `resume`, `reveal` (one more
/// award on the display, after the last pitch), `hide` (one award fewer).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveControl {
    pub action: String,
}

/// Lets one judge score one closed pitch again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveUnlock {
    pub application_id: i64,
    pub judge_id: i64,
}

/// A judge's scores for one pitch, keyed by an id the phone made: sending the same id again
/// answers the first answer and changes nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveScore {
    /// 8–100 characters the phone chose (e.g. a UUID), unique per save.
    pub client_id: String,
    pub scores: BTreeMap<String, i32>,
    pub comment_private: Option<String>,
}

/// The answer to a live score: the review as stored, and whether this was a replay.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LiveScoreAnswer {
    pub assignment_id: i64,
    pub review: Review,
}

/// The display link (shown once; only its hash is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct DisplayLink {
    pub token: String,
    /// The page to open on the projector: `/live/display/{token}`.
    pub path: String,
}

/// One finalist on the run sheet.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
pub struct ShowPitch {
    pub position: i32,
    pub application_id: i64,
    pub company_name: String,
    pub track: String,
}

/// One award tier as the display reveals it.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
pub struct RevealedAward {
    pub key: String,
    /// The tier's name by language.
    pub name: BTreeMap<String, String>,
    pub winners: Vec<String>,
}

/// What the hall sees: the current finalist, the clock, the revealed awards. The display and
/// the judges receive it; it holds no scores.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
pub struct Show {
    pub round_id: i64,
    /// Grows with every change; a client keeps the highest it has seen.
    pub revision: i64,
    /// ready | running | paused | finished
    pub phase: String,
    pub languages: Vec<String>,
    pub pitch_secs: i32,
    pub qa_secs: i32,
    pub pitches: i32,
    pub current: Option<ShowPitch>,
    /// Milliseconds on the current pitch's clock when this was sent.
    pub elapsed_ms: i64,
    pub running: bool,
    /// The awards revealed so far, lowest tier first.
    pub revealed: Vec<RevealedAward>,
    /// How many reveal steps there are.
    pub reveal_steps: i32,
}

/// A pitch as one judge sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JudgePitch {
    pub position: i32,
    pub application_id: i64,
    pub company_name: String,
    pub assignment_id: Option<i64>,
    /// upcoming | open | locked
    pub scoring: String,
    /// Milliseconds until scoring locks (grace running), when it will.
    pub locks_in_ms: Option<i64>,
    pub submitted: bool,
}

/// The judge's live screen: the show, the rubric, their own pitches (never totals).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JudgeLive {
    pub show: Show,
    pub criteria: Vec<Criterion>,
    pub pitches: Vec<JudgePitch>,
}

/// One judge on the organiser's board.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BoardJudge {
    pub id: i64,
    pub name: String,
    pub online: bool,
}

/// One judge's state on one pitch: submitted (up to date), pending (connected, not yet in),
/// offline (not connected and not in), none (not on this panel).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BoardCell {
    pub judge_id: i64,
    pub status: String,
    pub unlocked: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BoardPitch {
    pub position: i32,
    pub application_id: i64,
    pub company_name: String,
    /// upcoming | open | locked
    pub scoring: String,
    pub locks_in_ms: Option<i64>,
    pub cells: Vec<BoardCell>,
}

/// The organiser's board.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Board {
    pub show: Show,
    pub grace_secs: i32,
    pub judges: Vec<BoardJudge>,
    pub pitches: Vec<BoardPitch>,
    /// Every pitch has every panel judge's submitted scores.
    pub results_ready: bool,
    /// A display link exists (its token is never shown again).
    pub display_link: bool,
}
