//! Streaming decoders for the standard PDF filters a stream may name (ISO 32000 §7.4), each
//! with bounded memory: Flate, LZW, ASCIIHex, ASCII85 and RunLength. Image codecs (DCT, JPX,
//! JBIG2, CCITT) end a chain: what they would produce is pixels, not PDF syntax.

use flate2::{Decompress, FlushDecompress, Status};

use super::lexer::{hex, is_white};

const OUT_CHUNK: usize = 64 * 1024;
/// More filters than this on one stream is not a real file.
const CHAIN_MAX: usize = 8;

/// Why decoding stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Halt {
    /// The file's decode budget is spent.
    Budget,
    /// The data is not what the filter says.
    Broken,
}

pub(super) type Out<'a> = dyn FnMut(&[u8]) -> Result<(), Halt> + 'a;

pub(super) trait Stage {
    fn feed(&mut self, input: &[u8], out: &mut Out<'_>) -> Result<(), Halt>;
    /// The stream's data has ended.
    fn finish(&mut self, _out: &mut Out<'_>) -> Result<(), Halt> {
        Ok(())
    }
}

/// The decoders for a `/Filter` list, and whether every filter in it was understood (an
/// unknown or encrypting filter leaves the decoded content unseen).
pub(super) fn chain(names: &[Vec<u8>], early_change: bool) -> (Vec<Box<dyn Stage>>, bool) {
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    if names.len() > CHAIN_MAX {
        return (stages, false);
    }
    for name in names {
        let stage: Box<dyn Stage> = match name.as_slice() {
            b"FlateDecode" | b"Fl" => Box::new(Flate::new()),
            b"LZWDecode" | b"LZW" => Box::new(Lzw::new(early_change)),
            b"ASCIIHexDecode" | b"AHx" => Box::new(AsciiHex::default()),
            b"ASCII85Decode" | b"A85" => Box::new(Ascii85::default()),
            b"RunLengthDecode" | b"RL" => Box::new(RunLength::default()),
            b"DCTDecode" | b"DCT" | b"JPXDecode" | b"JBIG2Decode" | b"CCITTFaxDecode" | b"CCF" => {
                return (stages, true);
            }
            _ => return (stages, false),
        };
        stages.push(stage);
    }
    (stages, true)
}

/// Emits `buf` when it is full (or `force`), then empties it.
fn spill(buf: &mut Vec<u8>, force: bool, out: &mut Out<'_>) -> Result<(), Halt> {
    if !buf.is_empty() && (force || buf.len() >= OUT_CHUNK) {
        out(buf)?;
        buf.clear();
    }
    Ok(())
}

pub(super) struct Flate {
    z: Decompress,
    buf: Vec<u8>,
    ended: bool,
}

impl Flate {
    pub(super) fn new() -> Flate {
        Flate {
            z: Decompress::new(true),
            buf: vec![0; OUT_CHUNK],
            ended: false,
        }
    }
}

impl Stage for Flate {
    fn feed(&mut self, mut input: &[u8], out: &mut Out<'_>) -> Result<(), Halt> {
        while !self.ended {
            let (before_in, before_out) = (self.z.total_in(), self.z.total_out());
            let status = self
                .z
                .decompress(input, &mut self.buf, FlushDecompress::None)
                .map_err(|_| Halt::Broken)?;
            let used = (self.z.total_in() - before_in) as usize;
            let produced = (self.z.total_out() - before_out) as usize;
            input = &input[used..];
            if produced > 0 {
                out(&self.buf[..produced])?;
            }
            if status == Status::StreamEnd {
                self.ended = true;
            } else if used == 0 && produced == 0 {
                break;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Out<'_>) -> Result<(), Halt> {
        self.feed(&[], out)?;
        if self.ended {
            Ok(())
        } else {
            Err(Halt::Broken)
        }
    }
}

#[derive(Default)]
pub(super) struct AsciiHex {
    high: Option<u8>,
    ended: bool,
    buf: Vec<u8>,
}

impl Stage for AsciiHex {
    fn feed(&mut self, input: &[u8], out: &mut Out<'_>) -> Result<(), Halt> {
        for &b in input {
            if self.ended {
                break;
            }
            if b == b'>' {
                self.ended = true;
                if let Some(h) = self.high.take() {
                    self.buf.push(h << 4);
                }
            } else if let Some(v) = hex(b) {
                match self.high.take() {
                    Some(h) => self.buf.push((h << 4) | v),
                    None => self.high = Some(v),
                }
            }
            // Anything else is skipped, as readers do.
            spill(&mut self.buf, false, out)?;
        }
        spill(&mut self.buf, true, out)
    }

    fn finish(&mut self, out: &mut Out<'_>) -> Result<(), Halt> {
        if let Some(h) = self.high.take() {
            self.buf.push(h << 4);
        }
        spill(&mut self.buf, true, out)
    }
}

#[derive(Default)]
pub(super) struct Ascii85 {
    acc: u64,
    n: usize,
    ended: bool,
    buf: Vec<u8>,
}

impl Ascii85 {
    /// A final group of `n` characters stands for `n - 1` bytes, padded with `u`.
    fn partial(&mut self) {
        if self.n > 1 {
            let mut acc = self.acc;
            for _ in self.n..5 {
                acc = acc * 85 + 84;
            }
            let bytes = (acc as u32).to_be_bytes();
            self.buf.extend_from_slice(&bytes[..self.n - 1]);
        }
        self.n = 0;
        self.acc = 0;
    }
}

impl Stage for Ascii85 {
    fn feed(&mut self, input: &[u8], out: &mut Out<'_>) -> Result<(), Halt> {
        for &b in input {
            if self.ended {
                break;
            }
            match b {
                b'~' => {
                    self.ended = true;
                    self.partial();
                }
                b'z' if self.n == 0 => self.buf.extend_from_slice(&[0; 4]),
                b'!'..=b'u' => {
                    self.acc = self.acc * 85 + u64::from(b - b'!');
                    self.n += 1;
                    if self.n == 5 {
                        let v = u32::try_from(self.acc).map_err(|_| Halt::Broken)?;
                        self.buf.extend_from_slice(&v.to_be_bytes());
                        self.n = 0;
                        self.acc = 0;
                    }
                }
                _ if is_white(b) => {}
                _ => return Err(Halt::Broken),
            }
            spill(&mut self.buf, false, out)?;
        }
        spill(&mut self.buf, true, out)
    }

    fn finish(&mut self, out: &mut Out<'_>) -> Result<(), Halt> {
        if !self.ended {
            self.partial();
        }
        spill(&mut self.buf, true, out)
    }
}

#[derive(Default)]
pub(super) struct RunLength {
    /// Literal bytes still to copy, or the count of a repeat waiting for its byte.
    literal: usize,
    repeat: Option<usize>,
    ended: bool,
    buf: Vec<u8>,
}

impl Stage for RunLength {
    fn feed(&mut self, input: &[u8], out: &mut Out<'_>) -> Result<(), Halt> {
        for &b in input {
            if self.ended {
                break;
            }
            if self.literal > 0 {
                self.buf.push(b);
                self.literal -= 1;
            } else if let Some(n) = self.repeat.take() {
                self.buf.resize(self.buf.len() + n, b);
            } else {
                match b {
                    0..=127 => self.literal = usize::from(b) + 1,
                    128 => self.ended = true,
                    _ => self.repeat = Some(257 - usize::from(b)),
                }
            }
            spill(&mut self.buf, false, out)?;
        }
        spill(&mut self.buf, true, out)
    }
}

const LZW_CLEAR: u16 = 256;
const LZW_EOD: u16 = 257;
const LZW_MAX: usize = 4096;

pub(super) struct Lzw {
    /// `/EarlyChange 1` (the default): code widths grow one code early.
    early: usize,
    bits: u32,
    nbits: u32,
    width: u32,
    /// Each entry is (prefix code, last byte); the first 256 are the bytes themselves.
    table: Vec<(u16, u8)>,
    prev: Option<u16>,
    ended: bool,
    word: Vec<u8>,
    buf: Vec<u8>,
}

impl Lzw {
    pub(super) fn new(early_change: bool) -> Lzw {
        let mut lzw = Lzw {
            early: usize::from(early_change),
            bits: 0,
            nbits: 0,
            width: 9,
            table: Vec::with_capacity(LZW_MAX),
            prev: None,
            ended: false,
            word: Vec::with_capacity(LZW_MAX),
            buf: Vec::new(),
        };
        lzw.clear();
        lzw
    }

    fn clear(&mut self) {
        self.table.clear();
        self.table.extend((0..=255u8).map(|b| (u16::MAX, b)));
        // Placeholders for the clear and end codes.
        self.table.extend([(u16::MAX, 0), (u16::MAX, 0)]);
        self.width = 9;
        self.prev = None;
    }

    /// Spells the entry `code` into `self.word`.
    fn spell(&mut self, mut code: u16) {
        self.word.clear();
        loop {
            let (prefix, byte) = self.table[usize::from(code)];
            self.word.push(byte);
            if prefix == u16::MAX {
                break;
            }
            code = prefix;
        }
        self.word.reverse();
    }

    fn code(&mut self, code: u16) -> Result<(), Halt> {
        match code {
            LZW_CLEAR => {
                self.clear();
                return Ok(());
            }
            LZW_EOD => {
                self.ended = true;
                return Ok(());
            }
            _ => {}
        }
        let next = self.table.len();
        match self.prev {
            _ if usize::from(code) < next => {
                self.spell(code);
                if let Some(p) = self.prev {
                    self.add(p, self.word[0]);
                }
            }
            Some(p) if usize::from(code) == next => {
                self.spell(p);
                let first = self.word[0];
                self.word.push(first);
                self.add(p, first);
            }
            _ => return Err(Halt::Broken),
        }
        self.buf.extend_from_slice(&self.word);
        self.prev = Some(code);
        Ok(())
    }

    fn add(&mut self, prefix: u16, byte: u8) {
        if self.table.len() < LZW_MAX {
            self.table.push((prefix, byte));
        }
        if self.table.len() + self.early >= 1 << self.width && self.width < 12 {
            self.width += 1;
        }
    }
}

impl Stage for Lzw {
    fn feed(&mut self, input: &[u8], out: &mut Out<'_>) -> Result<(), Halt> {
        for &b in input {
            self.bits = (self.bits << 8) | u32::from(b);
            self.nbits += 8;
            while self.nbits >= self.width && !self.ended {
                self.nbits -= self.width;
                let code = ((self.bits >> self.nbits) & ((1 << self.width) - 1)) as u16;
                self.code(code)?;
            }
            self.bits &= (1 << self.nbits) - 1;
            if self.ended {
                break;
            }
            spill(&mut self.buf, false, out)?;
        }
        spill(&mut self.buf, true, out)
    }
}
