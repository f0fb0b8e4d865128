//! What a scan has found so far, shared by its parts, and the limits they keep to.

use std::collections::BTreeSet;

/// Decoded bytes of object streams, which are lexed, per file; they hold only small objects.
pub const OBJECT_STREAM_BUDGET: u64 = 16 << 20;
/// Pages are counted up to this cap; past it the exact number does not matter.
pub const PAGE_COUNT_CAP: u32 = 100_000;

#[derive(Default)]
pub(super) struct Findings {
    pub(super) flags: BTreeSet<&'static str>,
    pub(super) pages: u32,
    pub(super) decoded: u64,
    pub(super) objstm_decoded: u64,
    pub(super) budget_exceeded: bool,
    /// Content that had to be seen could not be decoded.
    pub(super) incomplete: bool,
    /// An object hid where a straight read does not look: the scan re-synchronised.
    pub(super) ambiguous: bool,
}
