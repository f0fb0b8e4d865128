//! What erasure looks for in the copies an application left behind (mail, audit details,
//! reviews, snapshots): its names, its texts, its free-text answers, its team's names and
//! addresses and its documents' file names, as written, HTML-escaped (mail bodies) and
//! JSON-escaped (JSON columns read as text). Each occurrence is replaced by `ERASED`,
//! ignoring ASCII case. Values shorter than `MIN_CHARS` are left alone: "AI" or "Seed" would
//! erase the words from every other record too.

use serde_json::Value;

use crate::applications::model::{ApplicationRow, ERASED};
use crate::contests::questions::{Question, QuestionKind};

const MIN_CHARS: usize = 4;
/// Long texts also go line by line, in case a copy kept only part of them.
const MIN_LINE_CHARS: usize = 12;

pub struct Scrubber {
    /// Longest first, so a name is replaced whole before any shorter value inside it.
    terms: Vec<String>,
}

impl Scrubber {
    pub fn new(values: impl IntoIterator<Item = String>) -> Scrubber {
        let mut terms = Vec::new();
        for v in values {
            let v = v.trim().to_string();
            if v.chars().count() < MIN_CHARS || ERASED.contains(&v.to_ascii_lowercase()) {
                continue;
            }
            terms.push(crate::mail::templates::escape(&v));
            let json = serde_json::to_string(&v).unwrap_or_default();
            terms.push(json.trim_matches('"').to_string());
            terms.push(v);
        }
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        terms.dedup();
        Scrubber { terms }
    }

    /// Everything that identifies the application, read before it is erased.
    pub fn for_application(
        row: &ApplicationRow,
        questions: &[Question],
        document_names: &[String],
    ) -> Scrubber {
        let mut v: Vec<String> = vec![
            row.company_name.clone(),
            row.company_name_native.clone(),
            row.website.clone(),
            row.video_url.clone(),
        ];
        v.extend(row.status_reason.clone());
        for text in [
            &row.summary,
            &row.problem,
            &row.solution,
            &row.market,
            &row.traction,
        ] {
            v.push(text.clone());
            v.extend(lines(text));
        }
        for m in row.team() {
            v.extend([m.name, m.email]);
        }
        for (key, answer) in row.answers() {
            let free = questions.iter().any(|q| {
                q.key == key
                    && matches!(
                        q.kind,
                        QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Url
                    )
            });
            if let (true, Value::String(text)) = (free, answer) {
                v.extend(lines(&text));
                v.push(text);
            }
        }
        v.extend(document_names.iter().cloned());
        Scrubber::new(v)
    }

    /// `text` with every value replaced, or None when it holds none.
    pub fn text(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for t in &self.terms {
            if let Some(s) = replace_ignoring_ascii_case(out.as_deref().unwrap_or(text), t) {
                out = Some(s);
            }
        }
        out
    }

    /// Replaces the values in every string of `v`; true when something changed.
    pub fn json(&self, v: &mut Value) -> bool {
        match v {
            Value::String(s) => match self.text(s) {
                Some(new) => {
                    *s = new;
                    true
                }
                None => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |acc, i| self.json(i) | acc),
            Value::Object(map) => map.values_mut().fold(false, |acc, i| self.json(i) | acc),
            _ => false,
        }
    }

    /// For JSON kept as text: parsed and scrubbed value by value, so escaping stays valid.
    pub fn json_text(&self, text: &str) -> Option<String> {
        match serde_json::from_str::<Value>(text) {
            Ok(mut v) => self.json(&mut v).then(|| v.to_string()),
            Err(_) => self.text(text),
        }
    }
}

/// Every string of `v` becomes `ERASED`; keys, numbers and flags stay. True when any did.
pub fn wipe_strings(v: &mut Value) -> bool {
    match v {
        Value::String(s) if s != ERASED => {
            *s = ERASED.to_string();
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |acc, i| wipe_strings(i) | acc),
        Value::Object(map) => map.values_mut().fold(false, |acc, i| wipe_strings(i) | acc),
        _ => false,
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= MIN_LINE_CHARS)
        .map(String::from)
        .collect()
}

/// ASCII lowering keeps every byte offset, so matches found in the lowered text cut the
/// original at the same places.
fn replace_ignoring_ascii_case(text: &str, term: &str) -> Option<String> {
    let hay = text.to_ascii_lowercase();
    let needle = term.to_ascii_lowercase();
    let mut out = String::new();
    let mut last = 0;
    for (at, _) in hay.match_indices(&needle) {
        out.push_str(&text[last..at]);
        out.push_str(ERASED);
        last = at + needle.len();
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replaces_every_form_of_a_value_and_leaves_short_ones() {
        let s = Scrubber::new(["Zyxwvut & Sons".to_string(), "AI".to_string()]);
        assert_eq!(
            s.text("Dear ZYXWVUT & sons, AI").as_deref(),
            Some("Dear [erased], AI")
        );
        assert_eq!(
            s.text("<p>Zyxwvut &amp; Sons</p>").as_deref(),
            Some("<p>[erased]</p>")
        );
        assert_eq!(s.text("nothing here"), None);
        let mut v = json!({"reason": "left Zyxwvut & Sons", "n": 3});
        assert!(s.json(&mut v));
        assert_eq!(v, json!({"reason": "left [erased]", "n": 3}));
        let mut v = json!({"a": ["x", 1], "b": {"c": "y"}});
        assert!(wipe_strings(&mut v));
        assert_eq!(v, json!({"a": ["[erased]", 1], "b": {"c": "[erased]"}}));
    }
}
