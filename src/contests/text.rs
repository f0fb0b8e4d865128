//! Text shared by the contest and application shapes: text in several languages, stable
//! keys and web links.

use std::collections::BTreeMap;

use crate::error::FieldErrors;

/// Text in several languages: `{"en": "…", "ko": "…", "zh": "…"}`; English is required.
pub type I18nText = BTreeMap<String, String>;

/// How [`I18nText`] is published (`#[schema(value_type = I18nTextSchema)]`): one named
/// schema with the three languages as typed fields, so a generated client has them.
pub struct I18nTextSchema;

impl utoipa::PartialSchema for I18nTextSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let text = || ObjectBuilder::new().schema_type(Type::String);
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Text by language code: `en`, `ko`, `zh`; English is required where the text is.",
            ))
            .property("en", text())
            .property("ko", text())
            .property("zh", text())
            // Older rows may carry another language; it is text all the same.
            .additional_properties(Some(text()))
            .into()
    }
}

impl utoipa::ToSchema for I18nTextSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "I18nText".into()
    }
}

const LANGS: [&str; 3] = ["en", "ko", "zh"];

pub fn check_i18n(
    field: &str,
    text: &I18nText,
    max: usize,
    required: bool,
    errors: &mut FieldErrors,
) {
    if text.keys().any(|k| !LANGS.contains(&k.as_str())) {
        errors.add(field, "invalid_language");
    }
    if required && text.get("en").is_none_or(|s| s.trim().is_empty()) {
        errors.add(field, "required");
    }
    if text.values().any(|v| v.chars().count() > max) {
        errors.add(field, "too_long");
    }
}

pub fn is_key(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.')
            && !host.contains(['<', '>', '"', ' ', '\\'])
            && !r.chars().any(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_http_url("https://example.com/x?y=1"));
        assert!(is_http_url("http://스타트업.한국"));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "ftp://x.y",
            "https://a b.com",
            "https://localhost",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
