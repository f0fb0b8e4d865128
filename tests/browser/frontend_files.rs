//! Checks on the frontend's files that need no browser: the three languages carry the same
//! keys, every key the code asks for exists, and nothing is loaded from another origin.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn keys(lang: &str) -> BTreeSet<String> {
    let text = fs::read_to_string(format!("frontend/i18n/{lang}.json")).unwrap();
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    for (k, v) in &map {
        assert!(
            v.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{lang}.json: {k} is empty"
        );
    }
    map.keys().cloned().collect()
}

#[test]
fn every_language_has_every_key() {
    let en = keys("en");
    for lang in ["ko", "zh"] {
        let other = keys(lang);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(missing.is_empty(), "{lang}.json lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang}.json has keys en.json lacks: {extra:?}"
        );
    }
}

#[test]
fn every_literal_key_in_the_code_exists() {
    let en = keys("en");
    let mut js = Vec::new();
    files(Path::new("frontend/js"), "js", &mut js);
    let mut unknown = Vec::new();
    for path in js {
        let text = fs::read_to_string(&path).unwrap();
        // t('a.b') and t("a.b") with a literal, dotted key.
        for quote in ['\'', '"'] {
            let needle = format!("t({quote}");
            let mut rest = text.as_str();
            while let Some(i) = rest.find(&needle) {
                let preceded_by_ident = rest[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
                rest = &rest[i + needle.len()..];
                let Some(end) = rest.find(quote) else { break };
                let key = &rest[..end];
                if !preceded_by_ident
                    && key.contains('.')
                    && !key.contains(['$', ' ', '{'])
                    && !en.contains(key)
                    && !en.contains(&format!("{key}.other"))
                {
                    unknown.push(format!("{}: {key}", path.display()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "keys missing from en.json: {unknown:#?}"
    );
}

#[test]
fn nothing_comes_from_another_origin() {
    let mut all = Vec::new();
    for ext in ["js", "html", "css"] {
        files(Path::new("frontend"), ext, &mut all);
    }
    for path in all {
        let text = fs::read_to_string(&path).unwrap();
        for bad in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "import('http",
            "from 'http",
        ] {
            assert!(
                !text.contains(bad),
                "{} loads from another origin ({bad})",
                path.display()
            );
        }
    }
}
