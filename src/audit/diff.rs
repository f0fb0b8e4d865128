//! What an update changed, for its audit entry: `{field: {"old": …, "new": …}}` over the
//! fields of two serialisations of the same thing, so an entry names every changed field
//! without each use case picking which ones to mention. `updated_at` is left out: it changes
//! on every update and says nothing the entry's own time does not.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// The fields that differ between `old` and `new`. Values that are not objects are compared
/// whole, under the key `value`. Unserialisable values compare as null.
pub fn changes<A: Serialize + ?Sized, B: Serialize + ?Sized>(old: &A, new: &B) -> Value {
    let old = serde_json::to_value(old).unwrap_or(Value::Null);
    let new = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut out = Map::new();
    match (old, new) {
        (Value::Object(mut o), Value::Object(n)) => {
            o.remove("updated_at");
            for (k, v) in n.into_iter().filter(|(k, _)| k != "updated_at") {
                let before = o.remove(&k).unwrap_or(Value::Null);
                if before != v {
                    out.insert(k, json!({"old": before, "new": v}));
                }
            }
            for (k, before) in o {
                out.insert(k, json!({"old": before, "new": Value::Null}));
            }
        }
        (o, n) if o != n => {
            out.insert("value".into(), json!({"old": o, "new": n}));
        }
        _ => {}
    }
    Value::Object(out)
}

/// `changes`, with the fields of `extra` (an object) added: what else the update did.
pub fn changes_and<T: Serialize + ?Sized>(old: &T, new: &T, extra: Value) -> Value {
    let mut out = changes(old, new);
    if let (Value::Object(o), Value::Object(e)) = (&mut out, extra) {
        o.extend(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_only_the_changed_fields_with_both_values() {
        let a = json!({"ranking_method": "raw", "blind": false, "name": {"en": "R1"}});
        let b = json!({"ranking_method": "zscore", "blind": false, "name": {"en": "R1"}});
        assert_eq!(
            changes(&a, &b),
            json!({"ranking_method": {"old": "raw", "new": "zscore"}})
        );
        assert_eq!(changes(&a, &a), json!({}));
        assert_eq!(
            changes(&json!([1]), &json!([2])),
            json!({"value": {"old": [1], "new": [2]}})
        );
        assert_eq!(
            changes(&json!({"gone": 1}), &json!({})),
            json!({"gone": {"old": 1, "new": null}})
        );
    }
}
