//! Issue 17, findings 6 and 7: PDFs built so that a scan reading straight through sees less
//! than a PDF reader, which finds each object through the xref table. Active content behind
//! an unterminated string or inside an ASCIIHex object stream is still flagged, pages behind
//! one still count, and a deflate bomb in a page's content stream is refused. Files as common
//! tools write them (object streams, an xref stream, Flate images) are still accepted.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use serde_json::json;

use crate::common::TestApp;
use crate::uploads::{catalog, document_count, draft, obj, pdf, pdf_with_junk};

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// A stream object: its dictionary entries, then the data.
fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

#[actix_web::test]
async fn javascript_behind_an_unbalanced_parenthesis_is_flagged() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let objects = [
        obj("<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>"),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        obj("<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"),
    ];
    let res = app
        .upload(&founder, id, "deck.pdf", pdf_with_junk(&objects, 2, b"(\n"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // The file is also one no writer produces: it could not be read one single way.
    assert_eq!(
        res.body["flags"],
        json!(["javascript", "open_action", "scan_incomplete"])
    );
}

#[actix_web::test]
async fn pages_behind_an_unbalanced_parenthesis_count_against_the_limit() {
    let app = TestApp::with_config(|c| c.upload_max_pages = 200).await;
    let (founder, id) = draft(&app).await;
    let kids: Vec<String> = (0..250).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        catalog(),
        obj(&format!(
            "<< /Type /Pages /Kids [{}] /Count 250 >>",
            kids.join(" ")
        )),
    ];
    objects
        .extend((0..250).map(|_| obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")));
    let res = app
        .upload(&founder, id, "long.pdf", pdf_with_junk(&objects, 2, b"(\n"))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["file"], "too_many_pages");
    assert_eq!(document_count(&app).await, 0);
}

#[actix_web::test]
async fn javascript_in_an_ascii_hex_object_stream_is_flagged() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let inner = b"4 0 << /Type /Action /S /JavaScript /JS (this.exportDataObject) >>";
    let hex: String = inner.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">";
    let objstm = stream(
        "/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode",
        hex.as_bytes(),
    );
    let file = pdf(&[
        catalog(),
        obj("<< /Type /Pages /Kids [] /Count 0 >>"),
        objstm,
    ]);
    let res = app.upload(&founder, id, "deck.pdf", file).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["flags"], json!(["javascript"]));
}

#[actix_web::test]
async fn a_deflate_bomb_in_a_page_content_stream_is_refused() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let mib = vec![0u8; 1 << 20];
    for _ in 0..100 {
        z.write_all(&mib).unwrap();
    }
    let contents = stream("/Filter /FlateDecode", &z.finish().unwrap());
    let bomb = pdf(&[
        catalog(),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj("<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"),
        contents,
    ]);
    assert!(bomb.len() < 110_000, "{}", bomb.len());
    let started = std::time::Instant::now();
    let res = app.upload(&founder, id, "bomb.pdf", bomb).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["file"], "pdf_decompression_bomb");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(document_count(&app).await, 0);
}

/// Object streams and an xref stream with a PNG predictor, as pdfTeX, Word or qpdf write
/// them, Flate page contents and a Flate image, a JPEG, a `/Length` given by reference.
fn modern_deck(pages: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", i + 3))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    objects.extend((0..pages).map(|_| {
        "<< /Type /Page /Parent 2 0 R /Contents 20 0 R /Resources << /XObject << /Im1 21 0 R /Im2 22 0 R >> >> /Annots [<< /Subtype /Link /A << /S /URI /URI (https://example.com/a\\)b) >> >>] >>".to_string()
    }));
    let mut header = String::new();
    let mut body = String::new();
    for (i, o) in objects.iter().enumerate() {
        header.push_str(&format!("{} {} ", i + 1, body.len()));
        body.push_str(o);
        body.push('\n');
    }
    let inner = format!("{header}{body}");
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = vec![(10usize, out.len())];
    out.extend_from_slice(b"10 0 obj\n");
    out.extend_from_slice(&stream(
        &format!(
            "/Type /ObjStm /N {} /First {} /Filter /FlateDecode",
            objects.len(),
            header.len()
        ),
        &zlib(inner.as_bytes()),
    ));
    out.extend_from_slice(b"\nendobj\n");
    let content = zlib(
        "q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 24 Tf (Slide \\(1\\)) Tj ET\n"
            .repeat(50)
            .as_bytes(),
    );
    let pixels: Vec<u8> = (0..300 * 300 * 3)
        .map(|i| ((i / 3) % 300 / 10) as u8)
        .collect();
    let indirect = format!(
        "<< /Length 23 0 R >>\nstream\n{}\nendstream",
        "0.5 g 0 0 10 10 re f"
    );
    let parts: [(usize, Vec<u8>); 5] = [
        (20, stream("/Filter /FlateDecode", &content)),
        (
            21,
            stream(
                "/Subtype /Image /Width 300 /Height 300 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
                &zlib(&pixels),
            ),
        ),
        (
            22,
            stream(
                "/Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode",
                b"\xff\xd8\xff\xe0(JFIF) /JavaScript endstream\xff\xd9",
            ),
        ),
        (23, b"20".to_vec()),
        (24, indirect.into_bytes()),
    ];
    for (n, part) in parts {
        offsets.push((n, out.len()));
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(&part);
        out.extend_from_slice(b"\nendobj\n");
    }
    // The xref stream: /W [1 4 2], rows behind a PNG "None" predictor byte.
    let xref_at = out.len();
    let mut rows = Vec::new();
    for i in 0..objects.len() {
        rows.extend_from_slice(&[0, 2, 0, 0, 0, 10, 0, i as u8]);
    }
    for (_, at) in &offsets {
        rows.extend_from_slice(&[0, 1]);
        rows.extend_from_slice(&(*at as u32).to_be_bytes());
        rows.extend_from_slice(&[0, 0]);
    }
    out.extend_from_slice(b"30 0 obj\n");
    out.extend_from_slice(&stream(
        "/Type /XRef /Size 31 /Root 1 0 R /W [1 4 2] /Filter /FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >>",
        &zlib(&rows),
    ));
    out.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

#[actix_web::test]
async fn decks_as_common_tools_write_them_are_accepted() {
    let app = TestApp::new().await;
    let (founder, id) = draft(&app).await;
    let res = app.upload(&founder, id, "deck.pdf", modern_deck(12)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["flags"], json!([]));
    assert_eq!(res.body["page_count"], 12);
}
