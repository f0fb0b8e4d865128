//! Unit tests of `scan`.

use super::*;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;

pub(super) fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub(super) fn objstm(inner: &[u8]) -> Vec<u8> {
    let z = zlib(inner);
    let mut out = format!(
        "%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        z.len()
    )
    .into_bytes();
    out.extend_from_slice(&z);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out
}

#[test]
fn a_plain_deck_has_no_flags_and_one_page() {
    let r = scan_bytes(&super::super::pdf::sample("Deck"));
    assert!(r.flags.is_empty(), "{:?}", r.flags);
    assert_eq!(r.pages, 1);
}

#[test]
fn active_content_is_flagged_even_when_escaped() {
    let r = scan_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj",
    );
    assert_eq!(r.flags, vec!["javascript", "open_action"]);
    let r = scan_bytes(
        b"1 0 obj << /OpenAction [3 0 R /Fit] /Names << /EmbeddedFiles 9 0 R >> >> endobj",
    );
    assert_eq!(r.flags, vec!["embedded_file"]);
    let r = scan_bytes(b"<< /AA << /O << /S /Launch /F (calc.exe) >> >> /AcroForm << /XFA 4 0 R >> /RichMedia 1 0 R >>");
    assert_eq!(
        r.flags,
        vec!["additional_actions", "launch", "rich_media", "xfa"]
    );
}

#[test]
fn names_in_strings_comments_and_plain_streams_do_not_count() {
    let r = scan_bytes(
        b"% /JavaScript\n(/JavaScript \\) /JS) 1 0 obj << /Length 20 >>\nstream\n/JavaScript /Launch\nendstream endobj /Type /Pages",
    );
    assert!(r.flags.is_empty(), "{:?}", r.flags);
    assert_eq!(r.pages, 0);
}

#[test]
fn object_streams_are_inflated_and_scanned() {
    let r = scan_bytes(&objstm(
        b"6 0 << /Type /Page >> << /Type /Page >> << /S /JavaScript /JS 7 0 R >>",
    ));
    assert_eq!(r.flags, vec!["javascript"]);
    assert_eq!(r.pages, 2);
}

#[test]
fn a_deflate_bomb_stops_at_the_budget() {
    let r = scan_bytes(&objstm(&vec![
        b' ';
        (OBJECT_STREAM_BUDGET + (1 << 20)) as usize
    ]));
    assert!(r.budget_exceeded);
    assert!(r.decoded_bytes <= OBJECT_STREAM_BUDGET + CHUNK as u64);
}

#[test]
fn a_broken_object_stream_is_reported() {
    let mut bad = objstm(b"<< /Type /Page >>");
    // A zlib header with an unknown compression method.
    let at = bad.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
    bad[at] = 0x87;
    let r = scan_bytes(&bad);
    assert!(r.flags.contains(&"scan_incomplete".to_string()), "{r:?}");
}

#[test]
fn tokens_split_across_chunks_are_seen() {
    let mut bytes = vec![b' '; CHUNK - 5];
    bytes.extend_from_slice(b"/JavaScript /Type /Page ");
    let r = scan(&mut &bytes[..], DECODE_BUDGET_MIN).unwrap();
    assert_eq!(r.flags, vec!["javascript"]);
    assert_eq!(r.pages, 1);
}
