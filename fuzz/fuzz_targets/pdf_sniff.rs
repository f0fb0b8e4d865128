//! PDF sniffing on uploads: never panics on any bytes, only accepts files with a `%PDF-x.y`
//! header and a `startxref … %%EOF` trailer, and still accepts a real PDF behind a little junk.
#![no_main]

use jury_fuzz::pdf::{bytes_look_like_pdf, sample};
use libfuzzer_sys::fuzz_target;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fuzz_target!(|data: &[u8]| {
    if bytes_look_like_pdf(data) {
        assert!(contains(data, b"%PDF-"));
        assert!(contains(data, b"startxref"));
        assert!(contains(data, b"%%EOF"));
    }
    // A genuine file with up to 64 bytes of junk (without `%`) before it still passes: the
    // header may sit anywhere in the first KiB and the trailer's offset stays inside the file.
    let junk: Vec<u8> = data.iter().filter(|&&b| b != b'%').take(64).copied().collect();
    let mut pdf = junk;
    pdf.extend_from_slice(&sample("fuzz"));
    assert!(bytes_look_like_pdf(&pdf));
});
