//! The upload scan (issue 17): never panics and stays within its decode budget on any bytes,
//! whatever the bytes do nothing can hide an object that follows them, and each stream
//! decoder takes any data.
#![no_main]

use jury_fuzz::scan::{FLAGS, budget_for, scan_bytes};
use libfuzzer_sys::fuzz_target;

/// One decoder's output chunk, plus an LZW word: how far a budget check can be passed.
const SLACK: u64 = 256 * 1024;
const FILTERS: [&str; 6] = [
    "/FlateDecode",
    "/LZWDecode",
    "/ASCIIHexDecode",
    "/ASCII85Decode",
    "/RunLengthDecode",
    "[/ASCIIHexDecode /FlateDecode]",
];

fuzz_target!(|data: &[u8]| {
    let r = scan_bytes(data);
    for f in &r.flags {
        assert!(FLAGS.contains(&f.as_str()) || f == "scan_incomplete", "{f}");
    }
    assert!(r.decoded_bytes <= budget_for(data.len() as u64) + SLACK);

    // Whatever comes before an object (an open string, comment, dictionary or stream), the
    // scan still reads the object, unless it stopped at a decompression bomb.
    let mut file = data.to_vec();
    file.extend_from_slice(b"\n9 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n");
    let r = scan_bytes(&file);
    assert!(
        r.budget_exceeded || r.flags.iter().any(|f| f == "javascript"),
        "{r:?}"
    );

    // The same bytes as the data of an object stream, through one of the filters.
    let filter = FILTERS[data.first().map_or(0, |&b| usize::from(b)) % FILTERS.len()];
    let mut objstm = format!(
        "1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter {filter} /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    objstm.extend_from_slice(data);
    objstm.extend_from_slice(b"\nendstream\nendobj\n");
    let r = scan_bytes(&objstm);
    assert!(r.decoded_bytes <= budget_for(objstm.len() as u64) + SLACK);
});
