//! Unit tests of the stream decoders, alone and under object streams.

use super::filters::{Halt, chain};
use super::tests::zlib;
use super::*;

fn decode(filters: &[&str], data: &[u8]) -> Result<Vec<u8>, Halt> {
    let names: Vec<Vec<u8>> = filters.iter().map(|f| f.as_bytes().to_vec()).collect();
    let (mut stages, known) = chain(&names, true);
    assert!(known);
    let mut bytes = data.to_vec();
    for stage in &mut stages {
        let mut out = Vec::new();
        let mut sink = |chunk: &[u8]| {
            out.extend_from_slice(chunk);
            Ok(())
        };
        // Byte by byte: a decoder must not care where its input is cut.
        for b in &bytes {
            stage.feed(std::slice::from_ref(b), &mut sink)?;
        }
        stage.finish(&mut sink)?;
        bytes = out;
    }
    Ok(bytes)
}

pub(super) fn hex_encode(data: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = data
        .iter()
        .flat_map(|b| format!("{b:02X} ").into_bytes())
        .collect();
    out.push(b'>');
    out
}

fn a85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        let mut v = u32::from_be_bytes(b);
        if chunk.len() == 4 && v == 0 {
            out.push(b'z');
            continue;
        }
        let mut d = [0u8; 5];
        for slot in d.iter_mut().rev() {
            *slot = (v % 85) as u8 + b'!';
            v /= 85;
        }
        out.extend_from_slice(&d[..chunk.len() + 1]);
        out.push(b'\n');
    }
    out.extend_from_slice(b"~>");
    out
}

/// LZW as PDF writers do it (`/EarlyChange 1`), one clear code first.
fn lzw(data: &[u8]) -> Vec<u8> {
    let mut dict: std::collections::HashMap<Vec<u8>, u16> =
        (0..=255u16).map(|b| (vec![b as u8], b)).collect();
    let (mut next, mut width) = (258u16, 9u32);
    let (mut acc, mut nbits, mut out) = (0u64, 0u32, Vec::new());
    let mut emit = |code: u16, width: u32| {
        acc = (acc << width) | u64::from(code);
        nbits += width;
        while nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
        }
    };
    emit(256, width);
    let mut w: Vec<u8> = Vec::new();
    for &c in data {
        let mut wc = w.clone();
        wc.push(c);
        if dict.contains_key(&wc) {
            w = wc;
            continue;
        }
        emit(dict[&w], width);
        assert!(next < 4000, "no clear codes needed");
        dict.insert(wc, next);
        next += 1;
        if next >= 1 << width {
            width += 1;
        }
        w = vec![c];
    }
    emit(dict[&w], width);
    if next + 1 >= 1 << width {
        width += 1;
    }
    emit(257, width);
    emit(0, 7);
    out
}

fn run_length(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(100) {
        out.push(chunk.len() as u8 - 1);
        out.extend_from_slice(chunk);
    }
    out.push(128);
    out
}

fn text() -> Vec<u8> {
    (0..100)
        .map(|i| {
            format!(
                "<< /Type /Annot /Rect [{i} {} 10 10] /Contents (note {i}) >>\n",
                i * 7
            )
        })
        .collect::<String>()
        .into_bytes()
}

#[test]
fn each_decoder_reverses_its_encoder() {
    let text = text();
    assert_eq!(
        decode(&["ASCIIHexDecode"], &hex_encode(&text)).unwrap(),
        text
    );
    assert_eq!(decode(&["AHx"], b"4a 5\n3 3").unwrap(), b"JS0");
    let mut zeros = text.clone();
    zeros.extend_from_slice(&[0; 9]);
    assert_eq!(decode(&["ASCII85Decode"], &a85(&zeros)).unwrap(), zeros);
    assert!(
        text.len() > 4000,
        "long enough for 10- and 11-bit LZW codes"
    );
    assert_eq!(decode(&["LZWDecode"], &lzw(&text)).unwrap(), text);
    assert_eq!(
        decode(&["RunLengthDecode"], &run_length(&text)).unwrap(),
        text
    );
    assert_eq!(
        decode(&["RL"], &[1, b'a', b'b', 253, b'c', 128]).unwrap(),
        b"abcccc"
    );
    let chained = hex_encode(&zlib(&text));
    assert_eq!(decode(&["AHx", "Fl"], &chained).unwrap(), text);
}

#[test]
fn the_lzw_example_of_the_standard_decodes() {
    // ISO 32000-1 §7.4.4.2.
    let data = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
    assert_eq!(decode(&["LZWDecode"], &data).unwrap(), b"-----A---B");
}

#[test]
fn broken_data_stops_the_decoder() {
    assert_eq!(decode(&["A85"], b"ab{"), Err(Halt::Broken));
    assert_eq!(decode(&["LZW"], &[0x80, 0x7f, 0xff]), Err(Halt::Broken));
    assert_eq!(decode(&["Fl"], b"not zlib"), Err(Halt::Broken));
    let (stages, known) = chain(&[b"Crypt".to_vec()], true);
    assert!(stages.is_empty() && !known);
}

/// An object stream holding `objects` (one object), written through `filters`.
fn objstm_through(filters: &str, data: &[u8]) -> Vec<u8> {
    let mut file = format!(
        "%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 {filters} /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    file.extend_from_slice(data);
    file.extend_from_slice(b"\nendstream\nendobj\n");
    file
}

#[test]
fn active_content_is_found_in_object_streams_whatever_the_filter() {
    let inner = b"6 0 << /Type /Action /S /Java#53cript /JS (app.launchURL) >>".to_vec();
    let cases: [(&str, Vec<u8>); 8] = [
        ("/Filter /ASCIIHexDecode", hex_encode(&inner)),
        ("/Filter /A85", a85(&inner)),
        ("/Filter /LZWDecode", lzw(&inner)),
        ("/Filter /RunLengthDecode", run_length(&inner)),
        (
            "/Filter [/ASCIIHexDecode /FlateDecode]",
            hex_encode(&zlib(&inner)),
        ),
        ("/Filter [ /AHx /A85 ]", hex_encode(&a85(&inner))),
        ("/F /AHx", hex_encode(&inner)),
        ("", inner.clone()),
    ];
    for (filters, data) in cases {
        let r = scan_bytes(&objstm_through(filters, &data));
        assert_eq!(r.flags, vec!["javascript"], "{filters}");
    }
}

#[test]
fn object_streams_that_cannot_be_read_are_reported() {
    let inner = b"6 0 << /S /JavaScript >>";
    for filters in [
        "/Filter /Crypt",
        "/Filter 9 0 R",
        "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >>",
    ] {
        let r = scan_bytes(&objstm_through(filters, &zlib(inner)));
        assert_eq!(r.flags, vec!["scan_incomplete"], "{filters}");
    }
    // An image is decoded for the budget only; its codec ends the chain without a flag.
    let file = b"1 0 obj << /Subtype /Image /Filter [/AHx /DCTDecode] /Length 6 >>\nstream\nFFD8FF\nendstream\nendobj";
    let r = scan_bytes(file);
    assert!(r.flags.is_empty(), "{:?}", r.flags);
    assert_eq!(r.decoded_bytes, 3);
}
