//! What a PDF would do when opened: a streaming scan for active content and a page count.
//!
//! The file is read once in 64 KiB chunks through a small PDF lexer that only keeps the name
//! being read (names may be written with `#xx` escapes, `/J#61vaScript`, so they are decoded
//! before they are compared). Stream data is skipped, except compressed object streams
//! (`/ObjStm` with `/FlateDecode`), whose objects are inflated and lexed the same way, within a
//! hard budget of inflated bytes per file: a deflate bomb stops the scan instead of filling
//! memory or the CPU. Memory stays bounded whatever the file holds.
//!
//! The scan does not resolve references, so `/Type /Page` objects replaced by an incremental
//! update are counted twice; the page count errs on the high side.

mod lexer;

use std::collections::BTreeSet;
use std::io::{Read, Seek};

use flate2::{Decompress, FlushDecompress, Status};

use lexer::{Lexer, Tok};

/// Inflated bytes allowed per file across all of its object streams.
pub const INFLATE_BUDGET: u64 = 16 << 20;
/// Pages are counted up to this cap; past it the exact number does not matter.
pub const PAGE_COUNT_CAP: u32 = 100_000;
const CHUNK: usize = 64 * 1024;

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
    /// be inflated (a broken or encrypted stream): what it holds was not seen.
    pub flags: Vec<String>,
    pub pages: u32,
    pub inflated_bytes: u64,
    /// The object streams inflate to more than [`INFLATE_BUDGET`]: a decompression bomb.
    pub budget_exceeded: bool,
}

/// Scans a whole PDF from `reader` with a budget of `budget` inflated bytes.
pub fn scan(reader: &mut impl Read, budget: u64) -> std::io::Result<Report> {
    let mut s = Scanner::new(budget);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 || s.findings.budget_exceeded {
            break;
        }
        s.feed(&buf[..n]);
    }
    Ok(s.finish())
}

/// Scans bytes already in memory (tests, fuzzing).
pub fn scan_bytes(bytes: &[u8]) -> Report {
    let mut s = Scanner::new(INFLATE_BUDGET);
    for chunk in bytes.chunks(CHUNK) {
        if s.findings.budget_exceeded {
            break;
        }
        s.feed(chunk);
    }
    s.finish()
}

/// The upload check on a finished temp file: is it a PDF at all, and if so what it holds.
pub fn check_upload(path: &std::path::Path) -> std::io::Result<(bool, Report)> {
    let mut file = std::fs::File::open(path)?;
    if !super::pdf::looks_like_pdf(&mut file)? {
        return Ok((false, Report::default()));
    }
    file.rewind()?;
    let report = scan(&mut file, INFLATE_BUDGET)?;
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

#[derive(Default)]
struct Findings {
    flags: BTreeSet<&'static str>,
    pages: u32,
    inflated: u64,
    budget_exceeded: bool,
    incomplete: bool,
}

/// Meaning drawn from the token sequence: flags, pages, and which streams to inflate.
#[derive(Default)]
struct Grammar {
    after_type: bool,
    /// A name that is an action only if a dictionary or a reference follows it.
    pending: Option<&'static str>,
    in_objstm: bool,
    flate: bool,
    /// Saw `stream` in an object stream worth inflating.
    stream_starts: bool,
}

impl Grammar {
    fn token(&mut self, tok: &Tok<'_>, f: &mut Findings) {
        if let Some(flag) = self.pending.take()
            && matches!(tok, Tok::DictOpen | Tok::Word(_))
        {
            f.flags.insert(flag);
        }
        let was_type = std::mem::take(&mut self.after_type);
        match tok {
            Tok::Name(n) => {
                if was_type && *n == b"Page" {
                    f.pages = (f.pages + 1).min(PAGE_COUNT_CAP);
                }
                match *n {
                    b"Type" => self.after_type = true,
                    b"JavaScript" | b"JS" => {
                        f.flags.insert("javascript");
                    }
                    b"EmbeddedFile" | b"EmbeddedFiles" => {
                        f.flags.insert("embedded_file");
                    }
                    b"Launch" => {
                        f.flags.insert("launch");
                    }
                    b"RichMedia" => {
                        f.flags.insert("rich_media");
                    }
                    b"XFA" => {
                        f.flags.insert("xfa");
                    }
                    b"Encrypt" => {
                        f.flags.insert("encrypted");
                    }
                    // `/OpenAction [3 0 R /Fit]` only opens a page; a dictionary or a
                    // reference is an action.
                    b"OpenAction" => self.pending = Some("open_action"),
                    b"AA" => self.pending = Some("additional_actions"),
                    b"ObjStm" => self.in_objstm = true,
                    b"FlateDecode" | b"Fl" => self.flate = true,
                    _ => {}
                }
            }
            Tok::Word(w) => match *w {
                b"obj" | b"endobj" => {
                    self.in_objstm = false;
                    self.flate = false;
                }
                b"stream" => self.stream_starts = true,
                _ => {}
            },
            Tok::DictOpen | Tok::Other => {}
        }
    }
}

/// Skips stream data to `endstream`, inflating it on the way when it is an object stream.
struct StreamData {
    matched: usize,
    /// Still before the first data byte: the end-of-line after `stream` is skipped.
    at_start: bool,
    inflater: Option<Inflater>,
}

const ENDSTREAM: &[u8] = b"endstream";

struct Inflater {
    z: Decompress,
    lexer: Lexer,
    grammar: Grammar,
    done: bool,
    out: Vec<u8>,
}

impl Inflater {
    fn feed(&mut self, mut input: &[u8], f: &mut Findings, budget: u64) {
        while !self.done && !input.is_empty() {
            let before_in = self.z.total_in();
            let before_out = self.z.total_out();
            let status = self
                .z
                .decompress(input, &mut self.out, FlushDecompress::None);
            let used = (self.z.total_in() - before_in) as usize;
            let produced = (self.z.total_out() - before_out) as usize;
            input = &input[used..];
            f.inflated += produced as u64;
            let (lexer, grammar) = (&mut self.lexer, &mut self.grammar);
            for &b in &self.out[..produced] {
                lexer.byte(b, &mut |t| grammar.token(&t, f));
            }
            if f.inflated > budget {
                f.budget_exceeded = true;
                self.done = true;
                return;
            }
            match status {
                Ok(Status::StreamEnd) => {
                    self.lexer.flush(&mut |t| self.grammar.token(&t, f));
                    self.done = true;
                }
                Ok(_) if used == 0 && produced == 0 => return,
                Ok(_) => {}
                Err(_) => {
                    f.incomplete = true;
                    self.done = true;
                }
            }
        }
    }
}

struct Scanner {
    lexer: Lexer,
    grammar: Grammar,
    stream: Option<StreamData>,
    findings: Findings,
    budget: u64,
}

impl Scanner {
    fn new(budget: u64) -> Scanner {
        Scanner {
            lexer: Lexer::new(),
            grammar: Grammar::default(),
            stream: None,
            findings: Findings::default(),
            budget,
        }
    }

    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if let Some(stream) = &mut self.stream {
                let (consumed, ended) = skip_stream(stream, data, &mut self.findings, self.budget);
                data = &data[consumed..];
                if ended {
                    if let Some(inf) = &stream.inflater
                        && !inf.done
                    {
                        // The data ended before the deflate stream did: truncated or not Flate.
                        self.findings.incomplete = true;
                    }
                    self.stream = None;
                }
                continue;
            }
            let mut i = 0;
            while i < data.len() {
                let (lexer, grammar, f) = (&mut self.lexer, &mut self.grammar, &mut self.findings);
                lexer.byte(data[i], &mut |t| grammar.token(&t, f));
                i += 1;
                if std::mem::take(&mut self.grammar.stream_starts) {
                    let inflate = self.grammar.in_objstm && self.grammar.flate;
                    self.stream = Some(StreamData {
                        matched: 0,
                        at_start: true,
                        inflater: inflate.then(|| Inflater {
                            z: Decompress::new(true),
                            lexer: Lexer::new(),
                            grammar: Grammar::default(),
                            done: false,
                            out: vec![0u8; CHUNK],
                        }),
                    });
                    // The byte that ended the `stream` keyword is its end-of-line.
                    if data[i - 1] != b'\r'
                        && let Some(s) = &mut self.stream
                    {
                        s.at_start = false;
                    }
                    break;
                }
            }
            data = &data[i..];
        }
    }

    fn finish(mut self) -> Report {
        if self.stream.is_none() {
            let (lexer, grammar, f) = (&mut self.lexer, &mut self.grammar, &mut self.findings);
            lexer.flush(&mut |t| grammar.token(&t, f));
        }
        let f = self.findings;
        let mut flags: Vec<String> = f.flags.iter().map(|s| s.to_string()).collect();
        if f.incomplete && !f.budget_exceeded {
            flags.push("scan_incomplete".into());
        }
        flags.sort();
        Report {
            flags,
            pages: f.pages,
            inflated_bytes: f.inflated,
            budget_exceeded: f.budget_exceeded,
        }
    }
}

/// Consumes stream bytes up to and including `endstream`; returns (bytes used, ended).
fn skip_stream(s: &mut StreamData, data: &[u8], f: &mut Findings, budget: u64) -> (usize, bool) {
    let mut start = 0;
    if s.at_start {
        // `stream` ended with CR: its LF belongs to the keyword, not to the data.
        s.at_start = false;
        if data[0] == b'\n' {
            start = 1;
        }
    }
    let mut end = data.len();
    let mut ended = false;
    for (i, &b) in data.iter().enumerate().skip(start) {
        if b == ENDSTREAM[s.matched] {
            s.matched += 1;
            if s.matched == ENDSTREAM.len() {
                end = i + 1;
                ended = true;
                break;
            }
        } else {
            s.matched = usize::from(b == ENDSTREAM[0]);
        }
    }
    if let Some(inf) = &mut s.inflater {
        inf.feed(&data[start..end], f, budget);
    }
    (end, ended)
}

#[cfg(test)]
mod tests;
