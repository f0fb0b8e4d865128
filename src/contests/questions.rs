//! A contest's own questions and the rules for their answers. The contest stores the
//! questions, each application its answers by question key; both sides check them here.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::text::{I18nText, I18nTextSchema, check_i18n, is_http_url, is_key};
use crate::error::FieldErrors;

/// The answers of one application, by question key.
pub type Answers = BTreeMap<String, Value>;

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Number,
    Url,
    YesNo,
}

impl QuestionKind {
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QuestionOption {
    pub key: String,
    #[schema(value_type = I18nTextSchema)]
    pub label: I18nText,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable key: answers are stored under it and the CSV export names its column by it.
    pub key: String,
    pub kind: QuestionKind,
    #[schema(value_type = I18nTextSchema)]
    pub label: I18nText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<I18nTextSchema>)]
    pub help: Option<I18nText>,
    /// The choices (2–30) of a single or multiple choice question; empty for the other kinds.
    #[serde(default)]
    pub options: Vec<QuestionOption>,
    /// Must be answered before submission.
    #[serde(default)]
    pub required: bool,
    /// Track keys the question is asked in; empty means every track.
    #[serde(default)]
    pub tracks: Vec<String>,
    /// Says who the applicant is: hidden from judges in blind rounds.
    #[serde(default)]
    pub identifying: bool,
    /// Bounds of a number answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Question {
    /// Asked of an application in `track` (an application without a track yet sees them all).
    pub fn applies_to(&self, track: &str) -> bool {
        self.tracks.is_empty() || track.is_empty() || self.tracks.iter().any(|t| t == track)
    }

    /// What stays fixed once someone answered it: everything but the wording.
    fn substance(&self) -> impl PartialEq + use<> {
        let set = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
        (
            self.kind,
            set(self.options.iter().map(|o| o.key.clone()).collect()),
            self.required,
            set(self.tracks.clone()),
            self.min.map(f64::to_bits),
            self.max.map(f64::to_bits),
        )
    }
}

/// Standard columns of the CSV export; a question key may not take one of their names.
pub const RESERVED: [&str; 18] = [
    "id",
    "status",
    "company_name",
    "company_name_native",
    "country",
    "city",
    "founded_year",
    "team_size",
    "stage",
    "track",
    "website",
    "applicant_name",
    "applicant_email",
    "team",
    "summary",
    "has_deck",
    "submitted_at",
    "updated_at",
];

pub fn check_questions(questions: &[Question], tracks: &[&str], e: &mut FieldErrors) {
    if questions.len() > 30 {
        e.add("questions", "too_many");
    }
    let mut keys = BTreeSet::new();
    for q in questions {
        if !is_key(&q.key, 40) || RESERVED.contains(&q.key.as_str()) || !keys.insert(&q.key) {
            e.add("questions", "invalid_key");
        }
        check_i18n("questions", &q.label, 300, true, e);
        if let Some(h) = &q.help {
            check_i18n("questions", h, 1000, false, e);
        }
        if q.kind.is_choice() {
            let mut option_keys = BTreeSet::new();
            if !(2..=30).contains(&q.options.len()) {
                e.add("questions", "invalid_options");
            }
            for o in &q.options {
                if !is_key(&o.key, 40) || !option_keys.insert(&o.key) {
                    e.add("questions", "invalid_options");
                }
                check_i18n("questions", &o.label, 200, true, e);
            }
        } else if !q.options.is_empty() {
            e.add("questions", "invalid_options");
        }
        let bounded = q.min.is_some() || q.max.is_some();
        if bounded && q.kind != QuestionKind::Number
            || q.min.zip(q.max).is_some_and(|(lo, hi)| lo > hi)
            || [q.min, q.max].iter().flatten().any(|v| !v.is_finite())
        {
            e.add("questions", "invalid_range");
        }
        if q.tracks.iter().any(|t| !tracks.contains(&t.as_str())) {
            e.add("questions", "invalid_track");
        }
    }
}

/// The first answered question that `new` removes or changes beyond its wording.
pub fn frozen_change(
    old: &[Question],
    new: &[Question],
    answered: &BTreeSet<String>,
) -> Option<String> {
    old.iter()
        .filter(|q| answered.contains(&q.key))
        .find(|q| {
            new.iter()
                .find(|n| n.key == q.key)
                .is_none_or(|n| n.substance() != q.substance())
        })
        .map(|q| q.key.clone())
}

/// The stored form of one answer, or the error code; `Ok(None)` clears it.
pub fn check_answer(q: &Question, value: &Value) -> Result<Option<Value>, &'static str> {
    let text = |max: usize| match value {
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) if s.chars().count() > max => Err("too_long"),
        Value::String(s)
            if s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Err("invalid")
        }
        Value::String(s) => Ok(Some(Value::String(s.trim().to_string()))),
        _ => Err("invalid"),
    };
    let is_option = |k: &str| q.options.iter().any(|o| o.key == k);
    match (q.kind, value) {
        (_, Value::Null) => Ok(None),
        (QuestionKind::ShortText, _) => text(200),
        (QuestionKind::LongText, _) => text(3000),
        (QuestionKind::Url, Value::String(s)) if s.trim().is_empty() => Ok(None),
        (QuestionKind::Url, Value::String(s)) => {
            let s = s.trim();
            if s.len() <= 300 && is_http_url(s) {
                Ok(Some(Value::String(s.to_string())))
            } else {
                Err("invalid_url")
            }
        }
        (QuestionKind::SingleChoice, Value::String(s)) if s.is_empty() => Ok(None),
        (QuestionKind::SingleChoice, Value::String(s)) if is_option(s) => Ok(Some(value.clone())),
        (QuestionKind::MultipleChoice, Value::Array(items)) => {
            let mut picked = BTreeSet::new();
            for i in items {
                match i.as_str() {
                    Some(k) if is_option(k) => picked.insert(k),
                    _ => return Err("invalid_choice"),
                };
            }
            // Stored in the question's own order, so exports and filters read alike.
            let ordered: Vec<Value> = q
                .options
                .iter()
                .filter(|o| picked.contains(o.key.as_str()))
                .map(|o| Value::String(o.key.clone()))
                .collect();
            Ok((!ordered.is_empty()).then_some(Value::Array(ordered)))
        }
        (QuestionKind::SingleChoice | QuestionKind::MultipleChoice, _) => Err("invalid_choice"),
        (QuestionKind::Number, Value::Number(n)) => match n.as_f64() {
            Some(v) if q.min.is_some_and(|lo| v < lo) || q.max.is_some_and(|hi| v > hi) => {
                Err("out_of_range")
            }
            Some(_) => Ok(Some(value.clone())),
            None => Err("invalid"),
        },
        (QuestionKind::YesNo, Value::Bool(_)) => Ok(Some(value.clone())),
        _ => Err("invalid"),
    }
}

/// Checks `changes` (null clears a key) and merges them into `stored`, key by key.
pub fn merge_answers(
    questions: &[Question],
    stored: &mut Answers,
    changes: &Answers,
    e: &mut FieldErrors,
) {
    for (key, value) in changes {
        let field = format!("answers.{key}");
        let Some(q) = questions.iter().find(|q| &q.key == key) else {
            e.add(&field, "unknown");
            continue;
        };
        match check_answer(q, value) {
            Ok(Some(v)) => {
                stored.insert(key.clone(), v);
            }
            Ok(None) => {
                stored.remove(key);
            }
            Err(code) => e.add(&field, code),
        }
    }
}

/// The required questions asked in `track`, each with whether it is answered.
pub fn required_answers(
    questions: &[Question],
    track: &str,
    answers: &Answers,
) -> Vec<(String, bool)> {
    questions
        .iter()
        .filter(|q| q.required && q.applies_to(track))
        .map(|q| (format!("answers.{}", q.key), answers.contains_key(&q.key)))
        .collect()
}

/// One answer as a cell or a filter reads it: choices by key, several joined with `; `.
pub fn answer_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(answer_text).collect::<Vec<_>>().join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Whether `value` matches the filter text: equal, or one of the picked choices.
pub fn answer_matches(value: &Value, wanted: &str) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|i| answer_matches(i, wanted)),
        Value::Number(n) => n.to_string() == wanted || wanted.parse::<f64>().ok() == n.as_f64(),
        other => answer_text(other) == wanted,
    }
}

pub fn parse_answers(text: &str) -> Answers {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(v: Value) -> Question {
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn answers_are_checked_by_kind() {
        let choice = question(
            json!({"key": "c", "kind": "multiple_choice", "label": {"en": "C"},
            "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}]}),
        );
        assert_eq!(
            check_answer(&choice, &json!(["b", "a", "b"])),
            Ok(Some(json!(["a", "b"])))
        );
        assert_eq!(check_answer(&choice, &json!([])), Ok(None));
        assert_eq!(check_answer(&choice, &json!("a")), Err("invalid_choice"));
        let number = question(
            json!({"key": "n", "kind": "number", "label": {"en": "N"}, "min": 1, "max": 9}),
        );
        assert_eq!(check_answer(&number, &json!(9)), Ok(Some(json!(9))));
        assert_eq!(check_answer(&number, &json!(0.5)), Err("out_of_range"));
        assert_eq!(check_answer(&number, &Value::Null), Ok(None));
        let url = question(json!({"key": "u", "kind": "url", "label": {"en": "U"}}));
        assert_eq!(
            check_answer(&url, &json!(" https://a.example ")),
            Ok(Some(json!("https://a.example")))
        );
        assert_eq!(
            check_answer(&url, &json!("ftp://a.example")),
            Err("invalid_url")
        );
        let yes = question(json!({"key": "y", "kind": "yes_no", "label": {"en": "Y"}}));
        assert_eq!(check_answer(&yes, &json!(false)), Ok(Some(json!(false))));
        assert_eq!(check_answer(&yes, &json!("no")), Err("invalid"));
    }

    #[test]
    fn only_wording_changes_once_answered() {
        let old = vec![question(
            json!({"key": "q", "kind": "single_choice", "label": {"en": "Q"},
            "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}]}),
        )];
        let answered: BTreeSet<String> = ["q".to_string()].into();
        let mut reworded = old.clone();
        reworded[0].label.insert("en".into(), "Which?".into());
        reworded[0].options.reverse();
        assert_eq!(frozen_change(&old, &reworded, &answered), None);
        let mut required = old.clone();
        required[0].required = true;
        assert_eq!(frozen_change(&old, &required, &answered), Some("q".into()));
        assert_eq!(frozen_change(&old, &[], &answered), Some("q".into()));
        assert_eq!(frozen_change(&old, &[], &BTreeSet::new()), None);
    }

    #[test]
    fn filters_and_cells_read_answers_alike() {
        assert_eq!(answer_text(&json!(["a", "b"])), "a; b");
        assert!(answer_matches(&json!(["a", "b"]), "b"));
        assert!(answer_matches(&json!(7), "7.0"));
        assert!(answer_matches(&json!(true), "true"));
        assert!(!answer_matches(&json!("seed"), "see"));
    }
}
