//! Meaning drawn from the token sequence: flags, pages, and what a stream's dictionary says
//! about its data (filters, length, whether it is an object stream).

use super::findings::{Findings, PAGE_COUNT_CAP};
use super::lexer::Tok;

/// What a stream's dictionary says, read before its `stream` keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StreamDict {
    pub(super) objstm: bool,
    pub(super) filters: Vec<Vec<u8>>,
    /// The filters are given by reference or otherwise not as names.
    pub(super) filters_unknown: bool,
    pub(super) length: Option<u64>,
    pub(super) first: Option<u64>,
    /// `/EarlyChange 0` turns this off for LZW.
    pub(super) early_change: bool,
    /// A `/Predictor` above 1: the decoded bytes are still differences, not PDF syntax.
    pub(super) predictor: bool,
}

impl Default for StreamDict {
    fn default() -> StreamDict {
        StreamDict {
            objstm: false,
            filters: Vec::new(),
            filters_unknown: false,
            length: None,
            first: None,
            early_change: true,
            predictor: false,
        }
    }
}

/// The value a key just read is waiting for.
#[derive(Default, Clone, Copy, PartialEq)]
enum Expect {
    #[default]
    Nothing,
    Filter,
    FilterArray,
    Length,
    /// `/Length n` then another integer: `n g R` is a reference, not a length.
    LengthRef(u64),
    LengthRef2(u64),
    First,
    EarlyChange,
    Predictor,
}

const FILTERS_MAX: usize = 16;

#[derive(Default)]
pub(super) struct Grammar {
    after_type: bool,
    /// A name that is an action only if a dictionary or a reference follows it.
    pending: Option<&'static str>,
    /// Dictionary nesting inside the current object; the stream's own keys are at depth 1.
    depth: u32,
    expect: Expect,
    dict: StreamDict,
    /// Saw `stream`: the dictionary that came before it.
    pub(super) stream_starts: Option<StreamDict>,
}

fn int(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 19 || !w.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(w).ok()?.parse().ok()
}

impl Grammar {
    fn new_object(&mut self) {
        self.depth = 0;
        self.expect = Expect::Nothing;
        self.dict = StreamDict::default();
    }

    /// Reads a value the last key asked for; `true` when the token was used up by it.
    fn value(&mut self, tok: &Tok<'_>) -> bool {
        let expect = std::mem::take(&mut self.expect);
        let d = &mut self.dict;
        match (expect, tok) {
            (Expect::Nothing, _) => return false,
            (Expect::Filter, Tok::Name(n)) => {
                d.filters = vec![n.to_vec()];
                d.filters_unknown = false;
            }
            (Expect::Filter, Tok::ArrayOpen) => {
                d.filters.clear();
                d.filters_unknown = false;
                self.expect = Expect::FilterArray;
            }
            (Expect::FilterArray, Tok::Name(n)) => {
                if d.filters.len() < FILTERS_MAX {
                    d.filters.push(n.to_vec());
                } else {
                    d.filters_unknown = true;
                }
                self.expect = Expect::FilterArray;
            }
            (Expect::FilterArray, Tok::ArrayClose) => {}
            (Expect::Filter | Expect::FilterArray, _) => {
                d.filters_unknown = true;
                return false;
            }
            (Expect::Length, Tok::Word(w)) => {
                d.length = int(w);
                if let Some(n) = d.length {
                    self.expect = Expect::LengthRef(n);
                }
            }
            (Expect::LengthRef(n), Tok::Word(w)) if int(w).is_some() => {
                self.expect = Expect::LengthRef2(n);
            }
            (Expect::LengthRef2(_), Tok::Word(b"R")) => d.length = None,
            (Expect::First, Tok::Word(w)) => d.first = int(w),
            (Expect::EarlyChange, Tok::Word(w)) => d.early_change = int(w) != Some(0),
            (Expect::Predictor, Tok::Word(w)) => {
                d.predictor |= int(w).is_none_or(|p| p > 1);
            }
            _ => return false,
        }
        true
    }

    pub(super) fn token(&mut self, tok: &Tok<'_>, f: &mut Findings) {
        if let Some(flag) = self.pending.take()
            && matches!(tok, Tok::DictOpen | Tok::Word(_))
        {
            f.flags.insert(flag);
        }
        let was_type = std::mem::take(&mut self.after_type);
        let used = self.value(tok);
        match tok {
            Tok::Name(n) => {
                if was_type && *n == b"Page" {
                    f.pages = (f.pages + 1).min(PAGE_COUNT_CAP);
                }
                if was_type && *n == b"ObjStm" && self.depth == 1 {
                    self.dict.objstm = true;
                }
                if !used {
                    self.key(n, f);
                }
            }
            Tok::Word(w) => match *w {
                b"obj" | b"endobj" | b"trailer" => self.new_object(),
                b"stream" => {
                    self.stream_starts = Some(std::mem::take(&mut self.dict));
                    self.new_object();
                }
                _ => {}
            },
            Tok::DictOpen => self.depth = self.depth.saturating_add(1),
            Tok::DictClose => self.depth = self.depth.saturating_sub(1),
            Tok::ArrayOpen | Tok::ArrayClose | Tok::Other => {}
        }
    }

    fn key(&mut self, n: &[u8], f: &mut Findings) {
        let top = self.depth == 1;
        match n {
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
            // Readers take the abbreviations of inline images in stream dictionaries too.
            b"Filter" | b"F" if top => self.expect = Expect::Filter,
            b"Length" if top => self.expect = Expect::Length,
            b"First" if top => self.expect = Expect::First,
            b"EarlyChange" => self.expect = Expect::EarlyChange,
            b"Predictor" => self.expect = Expect::Predictor,
            _ => {}
        }
    }
}
