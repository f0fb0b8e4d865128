//! The byte-at-a-time PDF lexer of the upload scan, with bounded buffers: it keeps only the
//! name or word being read, and decodes `#xx` escapes in names before they are compared.

const WORD_MAX: usize = 32;
const NAME_MAX: usize = 256;
/// What the lexer hands on.
#[derive(Debug, PartialEq)]
pub(super) enum Tok<'a> {
    Name(&'a [u8]),
    Word(&'a [u8]),
    DictOpen,
    Other,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum State {
    Normal,
    Comment,
    /// Inside `( … )`; depth of unbalanced parentheses, and whether a backslash came just before.
    Str(u32, bool),
    Hex,
    /// Saw `<`: a dictionary opens with another `<`, else a hex string begins.
    Less,
    Name,
}

pub(super) fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | 0)
}

pub(super) fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// A byte-at-a-time PDF lexer with bounded buffers.
pub(super) struct Lexer {
    pub(super) state: State,
    pub(super) name: Vec<u8>,
    pub(super) word: Vec<u8>,
}

impl Lexer {
    pub(super) fn new() -> Lexer {
        Lexer {
            state: State::Normal,
            name: Vec::with_capacity(NAME_MAX),
            word: Vec::with_capacity(WORD_MAX),
        }
    }

    pub(super) fn end_word(&mut self, sink: &mut impl FnMut(Tok<'_>)) {
        if !self.word.is_empty() {
            sink(Tok::Word(&self.word));
            self.word.clear();
        }
    }

    pub(super) fn end_name(&mut self, sink: &mut impl FnMut(Tok<'_>)) {
        let decoded = decode_name(&self.name);
        sink(Tok::Name(&decoded));
        self.name.clear();
        self.state = State::Normal;
    }

    pub(super) fn byte(&mut self, b: u8, sink: &mut impl FnMut(Tok<'_>)) {
        match self.state {
            State::Comment => {
                if b == b'\r' || b == b'\n' {
                    self.state = State::Normal;
                }
            }
            State::Str(depth, escaped) => {
                self.state = if escaped {
                    State::Str(depth, false)
                } else {
                    match b {
                        b'\\' => State::Str(depth, true),
                        b'(' => State::Str(depth + 1, false),
                        b')' if depth <= 1 => State::Normal,
                        b')' => State::Str(depth - 1, false),
                        _ => State::Str(depth, false),
                    }
                };
            }
            State::Hex => {
                if b == b'>' {
                    self.state = State::Normal;
                }
            }
            State::Less => {
                if b == b'<' {
                    self.state = State::Normal;
                    sink(Tok::DictOpen);
                } else {
                    self.state = if b == b'>' { State::Normal } else { State::Hex };
                }
            }
            State::Name => {
                if is_white(b) || is_delim(b) {
                    self.end_name(sink);
                    self.normal(b, sink);
                } else if self.name.len() < NAME_MAX {
                    self.name.push(b);
                }
            }
            State::Normal => self.normal(b, sink),
        }
    }

    pub(super) fn normal(&mut self, b: u8, sink: &mut impl FnMut(Tok<'_>)) {
        if is_white(b) {
            self.end_word(sink);
            return;
        }
        if !is_delim(b) {
            if self.word.len() < WORD_MAX {
                self.word.push(b);
            }
            return;
        }
        self.end_word(sink);
        match b {
            b'%' => self.state = State::Comment,
            b'(' => self.state = State::Str(1, false),
            b'<' => self.state = State::Less,
            b'/' => self.state = State::Name,
            _ => sink(Tok::Other),
        }
    }

    /// Ends a trailing token at the end of the input.
    pub(super) fn flush(&mut self, sink: &mut impl FnMut(Tok<'_>)) {
        match self.state {
            State::Name => self.end_name(sink),
            State::Normal => self.end_word(sink),
            _ => {}
        }
    }
}

/// Decodes `#xx` escapes in a name; a malformed escape is kept as it is.
pub(super) fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len()
            && let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2]))
        {
            out.push((h << 4) | l);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

pub(super) fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}
