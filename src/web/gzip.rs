//! JSON and other bodies already in memory are gzipped where the response leaves the app, on
//! the worker thread. actix's `Compress` hands every chunk over 1 KB to the blocking pool
//! (`spawn_blocking`): a thread hop per large answer, on the threads database calls wait for,
//! and a chunked body of unknown length. A judge's queue (some 60 KB of JSON) takes about
//! 50 µs to gzip at level 1, less than the hop (issue 20). Bodies past `INLINE_MAX` (a large
//! export) and streamed bodies are still left to `Compress`, which keeps them off the worker.

use std::io::Write;

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::ResponseHead;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::web::Bytes;

/// Below this a body is sent as it is: gzip would save a few dozen bytes for the cost of
/// setting up its state (some 300 KB) on every response.
pub const SMALL: u64 = 1024;

/// Above this a body is gzipped by `Compress` on the blocking pool, not on the worker.
pub const INLINE_MAX: u64 = 512 * 1024;

/// Whether the client takes gzip (and did not refuse it with `q=0`).
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let mut parts = t.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// Formats that are compressed already or do not shrink.
fn compressible(head: &ResponseHead) -> bool {
    let Some(kind) = head
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let kind = kind.trim_start().to_ascii_lowercase();
    let packed = [
        "image/",
        "video/",
        "audio/",
        "font/woff",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/octet-stream",
    ];
    kind.starts_with("image/svg") || !packed.iter().any(|p| kind.starts_with(p))
}

/// `bytes` gzipped at level 1: a 60 KB judge queue takes some 50 µs.
pub fn fast(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::fast(),
    );
    enc.write_all(bytes).ok()?;
    enc.finish().ok()
}

/// The body gzipped, with its head saying so, when the client takes gzip and the body is in
/// memory, worth compressing and not encoded already; otherwise as it was.
pub fn inline<B: MessageBody>(
    head: &mut ResponseHead,
    body: B,
    gzip: bool,
) -> EitherBody<B, Bytes> {
    let fits = matches!(body.size(), BodySize::Sized(n) if (SMALL..=INLINE_MAX).contains(&n));
    let whole = !matches!(
        head.status,
        StatusCode::PARTIAL_CONTENT | StatusCode::NO_CONTENT | StatusCode::SWITCHING_PROTOCOLS
    );
    if !gzip
        || !fits
        || !whole
        || head.headers().contains_key(header::CONTENT_ENCODING)
        || !compressible(head)
    {
        return EitherBody::left(body);
    }
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return EitherBody::left(body),
    };
    // Writing into a Vec cannot fail; if it ever did, the body goes out as it was.
    let Some(gz) = fast(&bytes) else {
        return EitherBody::right(bytes);
    };
    let h = head.headers_mut();
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    EitherBody::right(Bytes::from(gz))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::HttpResponse;

    fn head_of(kind: &str) -> ResponseHead {
        let mut res = HttpResponse::Ok();
        res.insert_header((header::CONTENT_TYPE, kind));
        res.finish().head().clone()
    }

    #[test]
    fn takes_gzip_unless_refused() {
        let mut h = HeaderMap::new();
        assert!(!accepted(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, GZIP;q=0.5"),
        );
        assert!(accepted(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, br"),
        );
        assert!(!accepted(&h));
    }

    #[test]
    fn large_json_is_gzipped_and_other_bodies_are_left() {
        let json = format!(
            "[{}]",
            vec!["{\"company\":\"Zenith Startup\"}"; 200].join(",")
        );
        let mut head = head_of("application/json");
        let body = inline(&mut head, Bytes::from(json.clone()), true);
        let Ok(out) = body.try_into_bytes() else {
            panic!("a body in memory")
        };
        assert_eq!(
            head.headers().get(header::CONTENT_ENCODING).unwrap(),
            "gzip"
        );
        assert_eq!(head.headers().get(header::VARY).unwrap(), "accept-encoding");
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&out[..]), &mut back)
            .expect("gzip");
        assert_eq!(back, json);
        assert!(out.len() < json.len() / 4);

        for (kind, gzip, body) in [
            ("application/json", false, json.clone()),
            ("application/json", true, "{\"ok\":true}".to_string()),
            ("application/pdf", true, json.clone()),
            ("image/png", true, json.clone()),
        ] {
            let mut head = head_of(kind);
            let out = inline(&mut head, Bytes::from(body.clone()), gzip);
            assert!(
                head.headers().get(header::CONTENT_ENCODING).is_none(),
                "{kind}"
            );
            let Ok(out) = out.try_into_bytes() else {
                panic!("a body in memory")
            };
            assert_eq!(out, body.as_bytes());
        }
        let mut head = head_of("image/svg+xml");
        let _ = inline(&mut head, Bytes::from(json), true);
        assert!(head.headers().get(header::CONTENT_ENCODING).is_some());
    }
}
