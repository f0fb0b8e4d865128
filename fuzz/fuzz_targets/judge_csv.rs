//! The judge bulk-import CSV: any bytes give either a clean refusal or one result per data
//! row, and every accepted row has what an invitation needs.
#![no_main]

use jury_fuzz::judges::import_format::parse_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rows) = parse_csv(data) else {
        return;
    };
    for row in rows {
        match row {
            Ok(r) => {
                assert_eq!(r.region, r.region.to_uppercase());
                assert!(r.locale.as_deref() != Some(""));
            }
            Err((_, errors)) => assert!(!errors.is_empty(), "a refused row names a reason"),
        }
    }
});
