//! The scan's reading loop: bytes are lexed, except stream data, which is read the way a
//! reader reads it: `/Length` bytes when `endstream` follows them,
//! else up to the first `endstream`. Every stream is decoded through its filters on the way,
//! each decoded byte counted against the file's one budget; object streams are lexed too.
//!
//! Where the two readings disagree the scan takes both: bytes after an `endstream` that comes
//! before the end `/Length` gives are decoded and lexed. An object header inside stream data
//! (where an xref entry may point) ends the stream, and the file is reported as ambiguous.

use super::decoder::Decoder;
use super::findings::Findings;
use super::grammar::{Grammar, StreamDict};
use super::lexer::{Boundary, Lexer, Tok, is_white};

const ENDSTREAM: &[u8] = b"endstream";
/// White space allowed between the end of `/Length` bytes and `endstream`.
const GAP_MAX: usize = 64;

pub(super) struct Scanner {
    lexer: Lexer,
    grammar: Grammar,
    boundary: Boundary,
    stream: Option<StreamData>,
    findings: Findings,
    budget: u64,
}

impl Scanner {
    pub(super) fn new(budget: u64) -> Scanner {
        Scanner {
            lexer: Lexer::new(),
            grammar: Grammar::default(),
            boundary: Boundary::new(),
            stream: None,
            findings: Findings::default(),
            budget,
        }
    }

    pub(super) fn feed(&mut self, data: &[u8]) {
        let mut i = 0;
        while i < data.len() && !self.findings.budget_exceeded {
            if self.stream.is_some() {
                i += self.stream_bytes(&data[i..]);
                continue;
            }
            let b = data[i];
            i += 1;
            self.lex_byte(b);
            if let Some(dict) = self.grammar.stream_starts.take() {
                // The byte that ended the `stream` keyword is its end-of-line.
                self.start_stream(dict, b == b'\r');
            }
        }
    }

    fn lex_byte(&mut self, b: u8) {
        let fired = self.boundary.push(b);
        self.lex_raw(b, fired);
    }

    /// Lexes `b`; `fired` is the keyword `b` ends, where a reader may start reading.
    fn lex_raw(&mut self, b: u8, fired: Option<&'static [u8]>) {
        let hiding = self.lexer.hiding();
        let (lexer, grammar, f) = (&mut self.lexer, &mut self.grammar, &mut self.findings);
        lexer.byte(b, &mut |t| grammar.token(&t, f));
        if let Some(word) = fired
            && hiding
        {
            // `b` ended the keyword: read it again, now outside the string or comment.
            f.ambiguous = true;
            lexer.reset();
            grammar.token(&Tok::Word(word), f);
            lexer.byte(b, &mut |t| grammar.token(&t, f));
        }
    }

    pub(super) fn budget_exceeded(&self) -> bool {
        self.findings.budget_exceeded
    }

    pub(super) fn finish(mut self) -> Findings {
        match self.stream.take() {
            Some(s) if !self.findings.budget_exceeded => self.end_of_file(s),
            Some(_) => {}
            None => {
                let (lexer, grammar, f) = (&mut self.lexer, &mut self.grammar, &mut self.findings);
                lexer.flush(&mut |t| grammar.token(&t, f));
            }
        }
        self.findings
    }
}

struct StreamData {
    /// Still before the first data byte after `stream` and a CR: its LF is not data.
    at_start: bool,
    /// `/Length` bytes still to come; `None` reads up to `endstream`.
    left: Option<u64>,
    /// The bytes after the `/Length` ones, while checking that `endstream` follows.
    verify: Option<Vec<u8>>,
    matched: usize,
    /// An `endstream` came before the `/Length` ones ran out: what follows is lexed as well.
    lex_too: bool,
    decoder: Option<Decoder>,
}

enum Verdict {
    More,
    Ended,
    Mismatch,
}

impl StreamData {
    fn check(&mut self, b: u8) -> Verdict {
        let Some(v) = &mut self.verify else {
            return Verdict::Mismatch;
        };
        v.push(b);
        let gap = v.iter().take_while(|&&c| is_white(c)).count();
        let word = &v[gap..];
        if word.is_empty() {
            return if gap > GAP_MAX {
                Verdict::Mismatch
            } else {
                Verdict::More
            };
        }
        match ENDSTREAM.starts_with(word) {
            true if word.len() == ENDSTREAM.len() => Verdict::Ended,
            true => Verdict::More,
            false => Verdict::Mismatch,
        }
    }
}

impl Scanner {
    /// `stream` was just read; `cr` when the byte that ended it was a carriage return.
    fn start_stream(&mut self, dict: StreamDict, cr: bool) {
        let decoder = Decoder::new(&dict, &mut self.findings);
        self.stream = Some(StreamData {
            at_start: cr,
            left: dict.length,
            verify: (dict.length == Some(0)).then(Vec::new),
            matched: 0,
            lex_too: false,
            decoder,
        });
    }

    /// The file ended inside a stream: what was held back for the `endstream` check is data.
    fn end_of_file(&mut self, mut s: StreamData) {
        if let Some(bytes) = s.verify.take() {
            self.decode(&mut s, &bytes);
        }
        self.end_stream(s);
    }

    fn end_stream(&mut self, s: StreamData) {
        if let Some(d) = s.decoder {
            d.finish(&mut self.findings, self.budget);
        }
    }

    fn decode(&mut self, s: &mut StreamData, data: &[u8]) {
        if let Some(d) = &mut s.decoder {
            d.feed(data, &mut self.findings, self.budget);
        }
    }

    /// Takes stream bytes from `data`; returns how many were used (all unless it ended).
    fn stream_bytes(&mut self, data: &[u8]) -> usize {
        let Some(mut s) = self.stream.take() else {
            return 0;
        };
        let (mut j, mut run) = (0, 0);
        if s.at_start && !data.is_empty() {
            s.at_start = false;
            if data[0] == b'\n' {
                (j, run) = (1, 1);
            }
        }
        while j < data.len() {
            let b = data[j];
            j += 1;
            if s.verify.is_some() {
                match s.check(b) {
                    Verdict::More => continue,
                    Verdict::Ended => {
                        if s.lex_too {
                            self.lexer.reset();
                        }
                        self.end_stream(s);
                    }
                    Verdict::Mismatch => self.mismatch(s),
                }
                return j;
            }
            let fired = self.boundary.push(b);
            if s.lex_too {
                self.lex_raw(b, fired);
                if let Some(dict) = self.grammar.stream_starts.take() {
                    // A stream inside another's `/Length`: read the inner one from here on.
                    self.findings.ambiguous = true;
                    self.decode(&mut s, &data[run..j]);
                    self.end_stream(s);
                    self.start_stream(dict, b == b'\r');
                    return j;
                }
            } else if let Some(word) = fired {
                self.findings.ambiguous = true;
                self.findings.incomplete |= s.decoder.as_ref().is_some_and(|d| d.objstm.is_some());
                self.decode(&mut s, &data[run..(j - 1).max(run)]);
                self.end_stream(s);
                self.lexer.reset();
                self.grammar.token(&Tok::Word(word), &mut self.findings);
                self.lex_raw(b, None);
                if let Some(dict) = self.grammar.stream_starts.take() {
                    self.start_stream(dict, b == b'\r');
                }
                return j;
            }
            s.matched = if b == ENDSTREAM[s.matched] {
                s.matched + 1
            } else {
                usize::from(b == ENDSTREAM[0])
            };
            if s.matched == ENDSTREAM.len() {
                s.matched = 0;
                if s.left.is_none() {
                    let end = j.saturating_sub(ENDSTREAM.len()).max(run);
                    self.decode(&mut s, &data[run..end]);
                    self.end_stream(s);
                    return j;
                }
                if !s.lex_too {
                    s.lex_too = true;
                    self.lexer.reset();
                }
            }
            if let Some(left) = &mut s.left {
                *left = left.saturating_sub(1);
                if *left == 0 {
                    self.decode(&mut s, &data[run..j]);
                    run = j;
                    s.verify = Some(Vec::new());
                }
            }
        }
        if s.verify.is_none() {
            self.decode(&mut s, &data[run..]);
        }
        self.stream = Some(s);
        data.len()
    }

    /// `endstream` does not follow the `/Length` bytes.
    fn mismatch(&mut self, mut s: StreamData) {
        let bytes = s.verify.take().unwrap_or_default();
        if s.lex_too {
            // The earlier `endstream` ended the stream; these bytes are the file's.
            self.end_stream(s);
        } else {
            // `/Length` was short: the data goes on to `endstream`.
            s.left = None;
            self.stream = Some(s);
        }
        self.feed(&bytes);
    }
}
