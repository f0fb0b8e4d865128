//! The byte-at-a-time PDF lexer of the upload scan, with bounded buffers: it keeps only the
//! name or word being read, and decodes `#xx` escapes in names before they are compared.
//! [`Boundary`] watches the raw bytes for object headers, so that a string, comment or stream
//! that never ends cannot hide the objects a reader finds through the xref table.

const WORD_MAX: usize = 32;
const NAME_MAX: usize = 256;
/// What the lexer hands on.
#[derive(Debug, PartialEq)]
pub(super) enum Tok<'a> {
    Name(&'a [u8]),
    Word(&'a [u8]),
    DictOpen,
    DictClose,
    ArrayOpen,
    ArrayClose,
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
    /// Saw `>`: a dictionary closes with another `>`.
    Greater,
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

    /// Inside data a reader does not read as tokens: a string or a comment.
    pub(super) fn hiding(&self) -> bool {
        matches!(self.state, State::Str(..) | State::Hex | State::Comment)
    }

    /// Back to the state between objects, dropping whatever was being read.
    pub(super) fn reset(&mut self) {
        self.state = State::Normal;
        self.name.clear();
        self.word.clear();
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
                        b'(' => State::Str(depth.saturating_add(1), false),
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
            State::Greater => {
                self.state = State::Normal;
                if b == b'>' {
                    sink(Tok::DictClose);
                } else {
                    sink(Tok::Other);
                    self.normal(b, sink);
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
            b'>' => self.state = State::Greater,
            b'/' => self.state = State::Name,
            b'[' => sink(Tok::ArrayOpen),
            b']' => sink(Tok::ArrayClose),
            _ => sink(Tok::Other),
        }
    }

    /// Ends a trailing token at the end of the input.
    pub(super) fn flush(&mut self, sink: &mut impl FnMut(Tok<'_>)) {
        match self.state {
            State::Name => self.end_name(sink),
            State::Normal => self.end_word(sink),
            State::Greater => {
                self.state = State::Normal;
                sink(Tok::Other);
            }
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

/// The keywords a reader may start reading at, whatever came before them: an object header
/// (`12 0 obj`, where the xref table sends it), `endobj` and `trailer`.
const RING: usize = 64;

/// Remembers the last raw bytes and says when they end in an object header, `endobj` or
/// `trailer` that starts after a white-space or delimiter byte.
pub(super) struct Boundary {
    ring: [u8; RING],
    /// Where the next byte goes, and how many of the slots hold bytes.
    pos: usize,
    len: usize,
    /// A keyword just ended; it counts if a white-space or delimiter byte follows.
    armed: Option<&'static [u8]>,
}

impl Boundary {
    pub(super) fn new() -> Boundary {
        Boundary {
            ring: [0; RING],
            pos: 0,
            len: 0,
            armed: None,
        }
    }

    /// The byte `back` places before the newest (0 is the newest); `None` before the start,
    /// which counts as a separator.
    fn at(&self, back: usize) -> Option<u8> {
        (back < self.len).then(|| self.ring[(self.pos + 2 * RING - 1 - back) % RING])
    }

    fn separated(&self, back: usize) -> bool {
        self.at(back).is_none_or(|b| is_white(b) || is_delim(b))
    }

    fn ends_with(&self, word: &[u8]) -> bool {
        word.iter()
            .rev()
            .enumerate()
            .all(|(i, &c)| self.at(i) == Some(c))
    }

    /// Takes the next raw byte; returns the keyword that the byte before it completed, as
    /// the word the grammar should see (the byte itself separates it from what follows).
    pub(super) fn push(&mut self, b: u8) -> Option<&'static [u8]> {
        let fired = self.armed.take().filter(|_| is_white(b) || is_delim(b));
        self.ring[self.pos] = b;
        self.pos = (self.pos + 1) % RING;
        self.len = (self.len + 1).min(RING);
        self.armed = self.keyword(b);
        fired
    }

    fn keyword(&self, b: u8) -> Option<&'static [u8]> {
        if b == b'r' && self.ends_with(b"trailer") && self.separated(7) {
            return Some(b"trailer");
        }
        if b != b'j' || !self.ends_with(b"obj") {
            return None;
        }
        if self.ends_with(b"endobj") && self.separated(6) {
            return Some(b"endobj");
        }
        // `<digits> <white> <digits> <white> obj`, read backwards.
        let mut back = 3;
        for part in 0..2 {
            let white = self.run(&mut back, is_white);
            let digits = self.run(&mut back, |c| c.is_ascii_digit());
            if white == 0 || digits == 0 || digits > 10 {
                return None;
            }
            if part == 1 && !self.separated(back) {
                return None;
            }
        }
        Some(b"obj")
    }

    fn run(&self, back: &mut usize, class: impl Fn(u8) -> bool) -> usize {
        let start = *back;
        while self.at(*back).is_some_and(&class) {
            *back += 1;
        }
        *back - start
    }
}
