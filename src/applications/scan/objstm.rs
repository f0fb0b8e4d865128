//! The decoded content of an object stream (ISO 32000 §7.5.7), lexed like the file itself.
//! Its objects have no `obj` headers: a reader finds each at the offset the stream's header
//! gives, so the lexer starts afresh at each of those offsets too. An object that begins
//! inside another object's string, or a string still open at the end, is what a writer never
//! produces and what would hide an object from a scan that reads straight through: it is
//! reported as ambiguous.

use std::collections::BTreeSet;

use super::filters::Halt;
use super::findings::{Findings, OBJECT_STREAM_BUDGET};
use super::grammar::Grammar;
use super::lexer::{Lexer, Tok};

/// Offsets kept per object stream; real ones hold a few hundred objects.
const OFFSETS_MAX: usize = 100_000;

pub(super) struct ObjStm {
    lexer: Lexer,
    grammar: Grammar,
    /// `/First`: where the objects start, after the header of number and offset pairs.
    first: Option<u64>,
    pos: u64,
    /// Integers read in the header so far; every second one is an offset.
    header_ints: u64,
    offsets: BTreeSet<u64>,
}

impl ObjStm {
    pub(super) fn new(first: Option<u64>) -> ObjStm {
        ObjStm {
            lexer: Lexer::new(),
            grammar: Grammar::default(),
            first,
            pos: 0,
            header_ints: 0,
            offsets: BTreeSet::new(),
        }
    }

    fn in_header(&self) -> bool {
        self.first.is_some_and(|first| self.pos < first)
    }

    pub(super) fn bytes(&mut self, data: &[u8], f: &mut Findings) -> Result<(), Halt> {
        f.objstm_decoded += data.len() as u64;
        if f.objstm_decoded > OBJECT_STREAM_BUDGET {
            return Err(Halt::Budget);
        }
        for &b in data {
            if let Some(first) = self.first {
                if self.pos == first {
                    if self.lexer.hiding() {
                        f.ambiguous = true;
                    }
                    self.lex_end(f);
                }
                while let Some(&offset) = self.offsets.first() {
                    let at = first.saturating_add(offset);
                    if at > self.pos {
                        break;
                    }
                    self.offsets.pop_first();
                    if at == self.pos {
                        if self.lexer.hiding() {
                            f.ambiguous = true;
                        }
                        self.lex_end(f);
                        self.grammar.token(&Tok::Word(b"obj"), f);
                    }
                }
            }
            let header = self.in_header();
            let (lexer, grammar) = (&mut self.lexer, &mut self.grammar);
            let (offsets, ints) = (&mut self.offsets, &mut self.header_ints);
            lexer.byte(b, &mut |t| {
                if header {
                    collect(&t, ints, offsets, f);
                }
                grammar.token(&t, f);
            });
            // There are no streams inside an object stream.
            self.grammar.stream_starts = None;
            self.pos += 1;
        }
        Ok(())
    }

    /// Ends the token being read and starts the next object from a clean state.
    fn lex_end(&mut self, f: &mut Findings) {
        let header = self.in_header() || self.first == Some(self.pos);
        let (lexer, grammar) = (&mut self.lexer, &mut self.grammar);
        let (offsets, ints) = (&mut self.offsets, &mut self.header_ints);
        lexer.flush(&mut |t| {
            if header {
                collect(&t, ints, offsets, f);
            }
            grammar.token(&t, f);
        });
        lexer.reset();
    }

    /// The stream's data has ended.
    pub(super) fn end(&mut self, f: &mut Findings) {
        if matches!(
            self.lexer.state,
            super::lexer::State::Str(..) | super::lexer::State::Hex
        ) {
            f.ambiguous = true;
        }
        self.lex_end(f);
    }
}

fn collect(t: &Tok<'_>, ints: &mut u64, offsets: &mut BTreeSet<u64>, f: &mut Findings) {
    let Tok::Word(w) = t else { return };
    let Some(n) = std::str::from_utf8(w)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    else {
        return;
    };
    if *ints % 2 == 1 {
        if offsets.len() < OFFSETS_MAX {
            offsets.insert(n);
        } else {
            f.incomplete = true;
        }
    }
    *ints += 1;
}
