//! Snapshot tests of every email template in every language: subject, text and HTML, rendered
//! with the same sample data the admin preview uses. A change to a template shows up here as a
//! diff to review; `JURY_UPDATE_SNAPSHOTS=1 cargo test --test api templates` rewrites them.

use std::path::PathBuf;

use jury::mail::templates::{Templates, sample_vars};

fn snapshot_path(name: &str, locale: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/mail")
        .join(format!("{name}.{locale}.txt"))
}

#[test]
fn every_template_in_every_language_matches_its_snapshot() {
    let templates = Templates::load().expect("templates");
    let update = std::env::var("JURY_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let names = templates.names();
    assert!(names.len() >= 15, "the catalogue: {names:?}");
    for name in &names {
        for locale in ["en", "ko", "zh"] {
            let vars = sample_vars(locale);
            let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = templates.render(name, locale, &pairs).expect("render");
            for part in [&r.subject, &r.text, &r.html] {
                assert!(
                    !part.contains("{") || part.contains("{{"),
                    "{name}.{locale}: a placeholder was left unfilled: {part}"
                );
            }
            let got = format!(
                "subject: {}\n\n--- text ---\n{}\n--- html ---\n{}\n",
                r.subject, r.text, r.html
            );
            let path = snapshot_path(name, locale);
            match std::fs::read_to_string(&path) {
                Ok(want) if want == got => {}
                _ if update => std::fs::write(&path, &got).expect("write snapshot"),
                Ok(want) => failures.push(format!(
                    "{}: differs\n--- stored ---\n{want}\n--- now ---\n{got}",
                    path.display()
                )),
                Err(_) => failures.push(format!(
                    "{}: no snapshot (run with JURY_UPDATE_SNAPSHOTS=1 and review it)",
                    path.display()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
