//! What a PDF would do when opened: a streaming scan for active content and a page count.
//!
//! The file is read once in 64 KiB chunks through a small PDF lexer that only keeps the name
//! being read (names may be written with `#xx` escapes, `/J#61vaScript`, so they are decoded
//! before they are compared). Every stream is decoded through the standard filters it names
//! (Flate, LZW, ASCIIHex, ASCII85, RunLength, in chains), and all decoded bytes of a file count
//! against one budget: a decompression bomb anywhere stops the scan and is refused. Object
//! streams are lexed like the file itself, within a smaller budget of their own.
//!
//! A reader finds objects through the xref table, wherever they are; the scan reads straight
//! through. So that a string, comment or stream that never ends cannot hide the objects after
//! it, the lexer starts afresh at every object header (`12 0 obj`), `endobj` and `trailer`,
//! and inside object streams at every offset their header gives. A file where that mattered
//! is one no writer produces: it is flagged `scan_incomplete`. Memory stays bounded whatever
//! the file holds.
//!
//! The scan does not resolve references, so `/Type /Page` objects replaced by an incremental
//! update are counted twice; the page count errs on the high side.

mod decoder;
mod filters;
mod findings;
mod grammar;
mod lexer;
mod objstm;
mod scanner;

use std::io::{Read, Seek};

use findings::Findings;
pub use findings::{OBJECT_STREAM_BUDGET, PAGE_COUNT_CAP};
use scanner::Scanner;

/// Decoded bytes allowed per file across all of its streams: this much, or
/// [`DECODE_RATIO`] times the file's size when that is more (slides full of Flate images
/// decode to many times their size; a bomb to a thousand times).
pub const DECODE_BUDGET_MIN: u64 = 64 << 20;
pub const DECODE_RATIO: u64 = 16;
const CHUNK: usize = 64 * 1024;

/// The decode budget of a file of `len` bytes.
pub fn budget_for(len: u64) -> u64 {
    DECODE_BUDGET_MIN.max(len.saturating_mul(DECODE_RATIO))
}

/// The flags a scan can raise, as stored on the document row and shown to administrators.
pub const FLAGS: [&str; 8] = [
    "javascript",
    "embedded_file",
    "launch",
    "open_action",
    "additional_actions",
    "rich_media",
    "xfa",
    "encrypted",
];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Sorted flag names from [`FLAGS`], plus `scan_incomplete` when an object stream could not
    /// be decoded (a broken or encrypted stream, an unknown filter), or when the file is built
    /// so that a reader and a straight read would see different objects.
    pub flags: Vec<String>,
    pub pages: u32,
    pub decoded_bytes: u64,
    /// The streams decode to more than the budget: a decompression bomb.
    pub budget_exceeded: bool,
}

/// Scans a whole PDF from `reader` with a budget of `budget` decoded bytes.
pub fn scan(reader: &mut impl Read, budget: u64) -> std::io::Result<Report> {
    let mut s = Scanner::new(budget);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 || s.budget_exceeded() {
            break;
        }
        s.feed(&buf[..n]);
    }
    Ok(Report::from(s.finish()))
}

/// Scans bytes already in memory (tests, fuzzing).
pub fn scan_bytes(bytes: &[u8]) -> Report {
    let mut s = Scanner::new(budget_for(bytes.len() as u64));
    for chunk in bytes.chunks(CHUNK) {
        if s.budget_exceeded() {
            break;
        }
        s.feed(chunk);
    }
    Report::from(s.finish())
}

/// The upload check on a finished temp file: is it a PDF at all, and if so what it holds.
pub fn check_upload(path: &std::path::Path) -> std::io::Result<(bool, Report)> {
    let mut file = std::fs::File::open(path)?;
    if !super::pdf::looks_like_pdf(&mut file)? {
        return Ok((false, Report::default()));
    }
    let budget = budget_for(file.metadata()?.len());
    file.rewind()?;
    let report = scan(&mut file, budget)?;
    Ok((true, report))
}

/// What is refused outright rather than flagged: a decompression bomb (it would also stall the
/// judges' PDF viewers) and a deck over the page limit. Active content is only flagged; the
/// administrators decide.
pub fn refuse(report: &Report, max_pages: u32) -> Result<(), crate::error::AppError> {
    if report.budget_exceeded {
        return Err(crate::error::AppError::field(
            "file",
            "pdf_decompression_bomb",
        ));
    }
    if report.pages > max_pages {
        return Err(crate::error::AppError::field("file", "too_many_pages"));
    }
    Ok(())
}

impl Report {
    fn from(f: Findings) -> Report {
        let mut flags: Vec<String> = f.flags.iter().map(|s| s.to_string()).collect();
        if (f.incomplete || f.ambiguous) && !f.budget_exceeded {
            flags.push("scan_incomplete".into());
        }
        flags.sort();
        Report {
            flags,
            pages: f.pages,
            decoded_bytes: f.decoded,
            budget_exceeded: f.budget_exceeded,
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_evasion;
#[cfg(test)]
mod tests_filters;
