//! Unit tests of `scan` against files built to make a straight read see less than a reader:
//! objects behind an unterminated string, comment or stream, bombs outside object streams.

use super::tests::{objstm, zlib};
use super::*;

fn flags(r: &Report) -> Vec<&str> {
    r.flags.iter().map(String::as_str).collect()
}

/// `n` one-page objects, numbered from `from`.
fn page_objects(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("{i} 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n"))
        .collect()
}

#[test]
fn an_unbalanced_parenthesis_between_objects_hides_nothing() {
    let file = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n(\n\
        2 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n";
    let r = scan_bytes(file);
    assert_eq!(flags(&r), ["javascript", "open_action", "scan_incomplete"]);

    // Nor does a hex string, a comment or an `endobj` inside a string.
    for hider in ["<", "%", "(endobj"] {
        let file = format!("1 0 obj << /A 2 0 R >> endobj {hider} 2 0 obj << /S /Launch >> endobj");
        assert_eq!(
            flags(&scan_bytes(file.as_bytes())),
            ["launch", "scan_incomplete"],
            "{hider}"
        );
    }
    let r = scan_bytes(b"1 0 obj (a string that never ends endobj << /S /JavaScript >>");
    assert_eq!(flags(&r), ["javascript", "scan_incomplete"]);
}

#[test]
fn pages_behind_an_unbalanced_parenthesis_are_counted() {
    let file = format!(
        "%PDF-1.7\n1 0 obj << /Type /Pages >> endobj\n(\n{}",
        page_objects(3, 250)
    );
    let r = scan_bytes(file.as_bytes());
    assert_eq!(r.pages, 250);
    assert!(refuse(&r, 200).is_err());
}

#[test]
fn objects_hidden_in_stream_data_are_found() {
    // `/Length` covers an object a reader reaches through the xref table.
    let file = b"1 0 obj << /Length 60 >>\nstream\n\
        2 0 obj << /S /JavaScript /JS (x) >> endobj                   \nendstream\nendobj";
    let r = scan_bytes(file);
    assert_eq!(flags(&r), ["javascript", "scan_incomplete"]);
}

#[test]
fn an_object_stream_with_an_unbalanced_parenthesis_is_read_at_its_offsets() {
    let objects = [
        "<< /Type /Catalog >> ( ",
        "<< /S /JavaScript /JS (x) >> ",
        "<< /Type /Page >> )",
    ];
    let mut header = String::new();
    let mut offset = 0;
    for (i, o) in objects.iter().enumerate() {
        header.push_str(&format!("{} {offset} ", i + 1));
        offset += o.len();
    }
    let mut inner = header.clone().into_bytes();
    inner.extend_from_slice(objects.concat().as_bytes());
    let z = zlib(&inner);
    let mut file = format!(
        "5 0 obj\n<< /Type /ObjStm /N 3 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
        header.len(),
        z.len()
    )
    .into_bytes();
    file.extend_from_slice(&z);
    file.extend_from_slice(b"\nendstream\nendobj\n");
    let r = scan_bytes(&file);
    assert_eq!(flags(&r), ["javascript", "scan_incomplete"]);
    assert_eq!(r.pages, 1);
    // A string left open at the end of an object stream is as suspicious.
    let r = scan_bytes(&objstm(b"1 0 << /Title (never closed >>"));
    assert_eq!(flags(&r), ["scan_incomplete"]);
}

#[test]
fn a_deflate_bomb_in_a_page_content_stream_is_refused() {
    // 100 MiB of zeros: about 100 KiB compressed.
    let z = zlib(&vec![0u8; 100 << 20]);
    let mut file = format!(
        "%PDF-1.7\n3 0 obj << /Type /Page /Contents 4 0 R >> endobj\n\
         4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n",
        z.len()
    )
    .into_bytes();
    file.extend_from_slice(&z);
    file.extend_from_slice(b"\nendstream\nendobj\n");
    assert!(file.len() < 200 << 10, "{}", file.len());
    let r = scan_bytes(&file);
    assert!(r.budget_exceeded);
    assert!(r.decoded_bytes <= budget_for(file.len() as u64) + CHUNK as u64);
    assert!(refuse(&r, 200).is_err());
}

#[test]
fn the_budget_is_shared_by_all_streams() {
    let z = zlib(&vec![b'x'; 8 << 20]);
    let mut file = Vec::new();
    for i in 0..10 {
        file.extend_from_slice(
            format!("{i} 0 obj << /Filter /Fl /Length {} >>\nstream\n", z.len()).as_bytes(),
        );
        file.extend_from_slice(&z);
        file.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let r = scan_bytes(&file);
    assert!(r.budget_exceeded, "{r:?}");
    // The same bytes one stream short of the budget are fine.
    let seven = file.len() * 7 / 10;
    assert!(!scan_bytes(&file[..seven]).budget_exceeded);
}

#[test]
fn a_false_endstream_inside_the_data_does_not_cut_decoding_short() {
    // RunLength: a literal run holding `endstream`, then 128-byte repeats past the budget.
    let mut data = vec![8u8];
    data.extend_from_slice(b"endstream");
    let repeats = (DECODE_BUDGET_MIN / 128 + 1) as usize;
    data.extend(std::iter::repeat_n([0x81u8, b' '], repeats).flatten());
    data.push(128);
    assert!(scan_bytes(&run_length_file(&data, data.len())).budget_exceeded);
    // A `/Length` that falls short: the data still runs to `endstream`.
    assert!(scan_bytes(&run_length_file(&data[10..], 12)).budget_exceeded);
}

fn run_length_file(data: &[u8], length: usize) -> Vec<u8> {
    let mut file =
        format!("1 0 obj << /Filter /RunLengthDecode /Length {length} >>\nstream\n").into_bytes();
    file.extend_from_slice(data);
    file.extend_from_slice(b"\nendstream\nendobj\n");
    file
}

#[test]
fn legitimate_structure_is_not_flagged() {
    // Strings with parentheses and escapes, a wrong `/Length`, a referenced `/Length`.
    let file = b"%PDF-1.7\n1 0 obj << /Title (Deck \\(v2\\) (final): our 2024 3 objectives) /Subject <4a5321> >> endobj\n\
        2 0 obj << /Length 3 >>\nstream\nBT /F1 12 Tf ET\nendstream\nendobj\n\
        3 0 obj << /Length 9 0 R >>\nstream\nq 1 0 0 1 0 0 cm Q\nendstream\nendobj\n\
        4 0 obj << /Length 99 >>\nstream\nBT ET\nendstream\nendobj\n\
        5 0 obj << /Type /Page >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let r = scan_bytes(file);
    assert!(r.flags.is_empty(), "{:?}", r.flags);
    assert_eq!(r.pages, 1);
}
