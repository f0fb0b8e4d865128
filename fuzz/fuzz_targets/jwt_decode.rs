//! Access-token verification: any string is refused cleanly unless it is a token this key
//! signed; a token with other bytes appended or changed never passes as another user.
#![no_main]

use jury_fuzz::auth::jwt::Keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keys = Keys::new(b"fuzzing-secret-fuzzing-secret-32", 900);
    if let Ok(text) = std::str::from_utf8(data) {
        // Nothing the fuzzer writes can be signed with this secret.
        assert!(keys.verify(text).is_err(), "forged token accepted: {text:?}");
    }
    // A real token, tampered with by the input, is only accepted if it is unchanged.
    let id = data.iter().fold(0i64, |a, &b| a.wrapping_mul(31).wrapping_add(i64::from(b)));
    let token = keys.issue(id, "judge", 0, "fuzz-session").expect("issue");
    assert_eq!(keys.verify(&token).expect("own token").user_id().ok(), Some(id));
    let mut bytes = token.clone().into_bytes();
    if let Some((&pos, rest)) = data.split_first() {
        let i = usize::from(pos) % bytes.len();
        for (k, b) in rest.iter().take(4).enumerate() {
            let j = (i + k) % bytes.len();
            bytes[j] ^= b;
        }
    }
    if let Ok(tampered) = String::from_utf8(bytes) {
        if tampered != token {
            if let Ok(claims) = keys.verify(&tampered) {
                assert_eq!(claims.user_id().ok(), Some(id), "tampered token changed identity");
            }
        }
    }
});
