//! Review bodies and score validation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::rounds::model::Scale;

#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
pub struct Review {
    /// none | draft | submitted
    pub status: String,
    pub scores: BTreeMap<String, i32>,
    pub comment_applicant: String,
    pub comment_private: String,
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A draft save: any subset of scores and comments. `version`, when sent, must match.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub scores: Option<BTreeMap<String, i32>>,
    pub comment_applicant: Option<String>,
    pub comment_private: Option<String>,
    pub version: Option<i32>,
}

pub const COMMENT_MAX: usize = 5000;

/// Unknown criteria and scores outside the scale are refused, each named as `scores.KEY`.
pub fn validate(input: &ReviewInput, criteria: &[Scale], e: &mut FieldErrors) {
    if let Some(scores) = &input.scores {
        for (key, value) in scores {
            match criteria.iter().find(|c| &c.key == key) {
                None => e.add(&format!("scores.{key}"), "unknown_criterion"),
                Some(c) if *value < c.scale_min || *value > c.scale_max => {
                    e.add(&format!("scores.{key}"), "out_of_range")
                }
                Some(_) => {}
            }
        }
    }
    for (field, v) in [
        ("comment_applicant", &input.comment_applicant),
        ("comment_private", &input.comment_private),
    ] {
        if v.as_ref().is_some_and(|s| s.chars().count() > COMMENT_MAX) {
            e.add(field, "too_long");
        }
    }
}

/// Every criterion must be scored before submission.
pub fn missing(scores: &BTreeMap<String, i32>, criteria: &[Scale], e: &mut FieldErrors) {
    for c in criteria {
        if !scores.contains_key(&c.key) {
            e.add(&format!("scores.{}", c.key), "required");
        }
    }
}
