//! Is this really a PDF? The extension and the browser's content type prove nothing, so the
//! file itself is checked: a `%PDF-x.y` header near the start, and a trailer with `startxref`
//! pointing inside the file followed by `%%EOF` near the end (ISO 32000 §7.5).

use std::io::{Read, Seek, SeekFrom};

const HEAD: usize = 1024;
const TAIL: u64 = 2048;

pub fn looks_like_pdf(file: &mut std::fs::File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len < 64 {
        return Ok(false);
    }
    let mut head = vec![0u8; HEAD.min(len as usize)];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut head)?;
    if !header_ok(&head) {
        return Ok(false);
    }
    let start = len.saturating_sub(TAIL);
    let mut tail = Vec::with_capacity((len - start) as usize);
    file.seek(SeekFrom::Start(start))?;
    file.read_to_end(&mut tail)?;
    Ok(trailer_ok(&tail, len))
}

/// The same check over bytes in memory (what the fuzz target drives).
pub fn bytes_look_like_pdf(bytes: &[u8]) -> bool {
    let len = bytes.len();
    len >= 64
        && header_ok(&bytes[..HEAD.min(len)])
        && trailer_ok(&bytes[len.saturating_sub(TAIL as usize)..], len as u64)
}

fn header_ok(head: &[u8]) -> bool {
    let Some(pos) = find(head, b"%PDF-") else {
        return false;
    };
    let version = &head[pos + 5..(pos + 8).min(head.len())];
    version.len() == 3
        && version[0].is_ascii_digit()
        && version[1] == b'.'
        && version[2].is_ascii_digit()
}

fn trailer_ok(tail: &[u8], len: u64) -> bool {
    let Some(eof) = rfind(tail, b"%%EOF") else {
        return false;
    };
    let Some(sx) = rfind(&tail[..eof], b"startxref") else {
        return false;
    };
    let digits: String = tail[sx + 9..eof]
        .iter()
        .map(|&b| b as char)
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse::<u64>()
        .is_ok_and(|offset| offset > 0 && offset < len)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A minimal valid one-page PDF, for tests and demo data.
pub fn sample(title: &str) -> Vec<u8> {
    let content = format!(
        "BT /F1 24 Tf 72 720 Td ({}) Tj ET",
        title.replace(['(', ')', '\\'], "")
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}\nendstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, body).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn check(bytes: &[u8]) -> bool {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(bytes).unwrap();
        looks_like_pdf(&mut f).unwrap()
    }

    #[test]
    fn real_and_fake_pdfs() {
        assert!(check(&sample("Pitch deck")));
        let mut exe = b"MZ\x90\x00".to_vec();
        exe.resize(4096, 0);
        assert!(!check(&exe));
        let mut truncated = sample("x");
        truncated.truncate(truncated.len() - 30);
        assert!(!check(&truncated), "no trailer");
        let mut header_only = b"%PDF-1.7\n".to_vec();
        header_only.resize(500, b' ');
        assert!(!check(&header_only));
        let mut bad_offset = sample("x");
        let n = bad_offset.len();
        bad_offset.splice(n - 20..n - 6, b"99999999\n%%EOF".iter().copied());
        assert!(!check(&bad_offset));
    }
}
