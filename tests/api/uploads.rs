//! Upload hardening, with small PDFs crafted here: active content is flagged for the
//! administrators, decompression and page-count bombs are refused without exhausting the
//! server, fakes are refused, and a hostile filename is only ever a harmless display name.

use std::io::Write;

use diesel::prelude::*;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use serde_json::json;

use crate::common::{TestApp, User};

/// A PDF with the given object bodies (numbered from 1), a valid xref table and trailer.
pub(crate) fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    pdf_with_junk(objects, 0, b"")
}

/// A PDF whose objects (numbered from 1) are all in its xref table, with `junk` written
/// between object `after` and the next: a reader never reads it.
pub(crate) fn pdf_with_junk(objects: &[Vec<u8>], after: usize, junk: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
        if i + 1 == after {
            out.extend_from_slice(junk);
        }
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub(crate) fn obj(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// An object stream (`/Type /ObjStm`, Flate) whose inflated content is `inner`.
fn objstm(inner: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(inner).unwrap();
    let data = z.finish().unwrap();
    let mut out = format!(
        "<< /Type /ObjStm /N 1 /First 6 /Filter /FlateDecode /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream");
    out
}

pub(crate) fn catalog() -> Vec<u8> {
    obj("<< /Type /Catalog /Pages 2 0 R >>")
}

fn pages(n: usize) -> Vec<Vec<u8>> {
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut v = vec![
        catalog(),
        obj(&format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            kids.join(" ")
        )),
    ];
    v.extend((0..n).map(|_| obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")));
    v
}

pub(crate) async fn draft(app: &TestApp) -> (User, i64) {
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    (founder, id)
}

pub(crate) async fn document_count(app: &TestApp) -> i64 {
    app.db(|c| {
        use jury::db::schema::documents;
        Ok(documents::table.count().get_result::<i64>(c)?)
    })
    .await
}

fn uploads_dir_files(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    }
    walk(&app.dir.path().join("uploads"))
}

#[actix_web::test]
async fn active_content_is_flagged_and_shown_to_administrators() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let mut objects = pages(3);
    objects[0] = obj(
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /EmbeddedFiles 7 0 R >> >>",
    );
    objects.push(obj("<< /S /JavaScript /JS (app.alert\\(1\\)) >>"));
    objects.push(obj("<< /Names [(a.exe) 8 0 R] >>"));
    let res = app.upload(&founder, id, "deck.pdf", pdf(&objects)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        res.body["flags"],
        json!(["embedded_file", "javascript", "open_action"])
    );
    assert_eq!(res.body["page_count"], 3);

    // Hex-escaped names are the same names.
    let escaped = pdf(&[
        obj("<< /Type /Catalog /Pages 2 0 R /A#41 << /O << /S /#4C#61unch /F (calc.exe) >> >> >>"),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        obj("<< /S /J#61vaScript /J#53 (x) >>"),
        obj("<< /AcroForm << /X#46A 9 0 R >> /RichM#65dia 1 0 R >>"),
    ]);
    let res = app.upload(&founder, id, "deck.pdf", escaped).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        res.body["flags"],
        json!([
            "additional_actions",
            "javascript",
            "launch",
            "rich_media",
            "xfa"
        ])
    );

    // The administrators see the flags on the application; the upload is audited with them.
    let admin = app.admin().await;
    let view = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&admin)
        .await;
    assert_eq!(view.body["deck"]["flags"][1], "javascript");
    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    let upload = audit
        .iter()
        .find(|e| e.action == "application.deck_uploaded")
        .unwrap();
    assert!(
        upload.details.contains("\"javascript\""),
        "{}",
        upload.details
    );

    // Inside an object stream too.
    let hidden = pdf(&[
        catalog(),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        objstm(b"4 0 << /Type /Action /S /JavaScript /JS (this.exportDataObject) >>"),
    ]);
    let res = app.upload(&founder, id, "deck.pdf", hidden).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["flags"], json!(["javascript"]));

    // A plain deck has none, and a page destination is not an action.
    let mut plain = pages(2);
    plain[0] = obj("<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>");
    let res = app.upload(&founder, id, "deck.pdf", pdf(&plain)).await;
    assert_eq!(res.body["flags"], json!([]), "{}", res.text);
    assert_eq!(res.body["page_count"], 2);
}

#[actix_web::test]
async fn a_deflate_bomb_in_an_object_stream_is_refused_quickly() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    // 32 MiB of zeros in a few dozen KiB: past the 16 MiB inflate budget.
    let bomb = pdf(&[
        catalog(),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        objstm(&vec![0u8; 32 << 20]),
    ]);
    assert!(bomb.len() < 256 * 1024, "{}", bomb.len());
    let started = std::time::Instant::now();
    let res = app.upload(&founder, id, "bomb.pdf", bomb).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["file"], "pdf_decompression_bomb");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(document_count(&app).await, 0);
    assert_eq!(uploads_dir_files(&app), 0, "no temp file left behind");
    assert_eq!(app.get("/healthz").await.status, 200);
}

#[actix_web::test]
async fn decks_over_the_page_limit_are_refused() {
    let app = TestApp::with_config(|c| c.upload_max_pages = 20).await;
    let (founder, id) = draft(&app).await;
    let res = app.upload(&founder, id, "long.pdf", pdf(&pages(21))).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["file"], "too_many_pages");
    // The same bomb packed in an object stream: 10,000 pages in a few KiB.
    let packed = pdf(&[
        catalog(),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        objstm("<< /Type /Page >>\n".repeat(10_000).as_bytes()),
    ]);
    let res = app.upload(&founder, id, "packed.pdf", packed).await;
    assert_eq!(res.body["fields"]["file"], "too_many_pages", "{}", res.text);
    let res = app.upload(&founder, id, "ok.pdf", pdf(&pages(20))).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["page_count"], 20);
    assert_eq!(document_count(&app).await, 1);
}

#[actix_web::test]
async fn fake_pdfs_are_refused() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let mut html = b"<html><script>alert(1)</script></html>".to_vec();
    html.resize(2048, b' ');
    let mut header_only = b"%PDF-1.7\n/JavaScript".to_vec();
    header_only.resize(4096, b' ');
    let mut zip = b"PK\x03\x04".to_vec();
    zip.resize(4096, 0);
    for fake in [html, header_only, zip] {
        let res = app.upload(&founder, id, "deck.pdf", fake).await;
        assert_eq!(res.status, 415, "{}", res.text);
    }
    assert_eq!(document_count(&app).await, 0);
}

#[actix_web::test]
async fn hostile_filenames_are_display_names_only() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let deck = jury::applications::pdf::sample("Deck");
    let res = app
        .upload(&founder, id, "../../etc/passwd.pdf", deck.clone())
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["original_name"], "passwd.pdf");
    let key: String = app
        .db(move |c| {
            use jury::db::schema::documents;
            Ok(documents::table
                .filter(documents::application_id.eq(id))
                .select(documents::storage_key)
                .first(c)?)
        })
        .await;
    let prefix = format!("applications/{id}/");
    assert!(key.starts_with(&prefix), "{key}");
    let name = &key[prefix.len()..];
    assert!(
        name.strip_suffix(".pdf")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_hexdigit())),
        "{key}"
    );
    assert!(!app.dir.path().join("etc").exists());
    let stored = app.dir.path().join("uploads").join(&key);
    assert_eq!(std::fs::read(stored).unwrap(), deck);

    // Bidi overrides, control characters and Windows paths are stripped; the download's
    // Content-Disposition carries an ASCII fallback and the UTF-8 name (RFC 6266 / 8187).
    let res = app
        .upload(&founder, id, "../투자\u{202E}fdp.exe", deck.clone())
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["original_name"], "투자fdp.exe.pdf");
    let url = res.body["url"].as_str().unwrap().to_string();
    let got = app.get(&url).by(&founder).await;
    assert_eq!(got.status, 200);
    let cd = got.header("content-disposition").unwrap().to_string();
    assert!(cd.starts_with("inline;"), "{cd}");
    assert!(cd.contains("filename=\"__fdp.exe.pdf\""), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''%ED%88%AC%EC%9E%90fdp.exe.pdf"),
        "{cd}"
    );
    assert!(cd.is_ascii());
}
