//! Responses are gzipped here, where they leave the app, and nowhere else: actix's `Compress`
//! is not in the stack. It handed every chunk over 1 KB to the blocking pool (a thread hop per
//! large answer, on the threads database calls wait for, and a chunked body of unknown
//! length), and on every answer, compressed or not, it parsed the content type and looked up
//! four headers: some 2,000 of a `/healthz` answer's 27,300 instructions (issue 20).
//!
//! - Under `SMALL` bytes a body goes out as it is: gzip would save a few dozen bytes for the
//!   cost of setting up its state.
//! - Up to `INLINE_MAX`, a body in memory is gzipped at level 1 on the worker thread: a judge's
//!   queue (some 60 KB of JSON) takes about 50 µs, less than a hop to another thread.
//! - Past it (a large export), on the blocking pool, so the worker keeps answering.
//! - Streamed bodies are sent as they are: the uploaded files (PDFs, which do not shrink) and
//!   the live event stream (a compressor would hold its messages back).
//!
//! A compressed answer is one body of known length, with `Vary: accept-encoding`.

use std::io::Write;

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{ResponseHead, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::web::Bytes;

/// Below this a body is sent as it is: gzip would save a few dozen bytes for the cost of
/// setting up its state (some 300 KB) on every response.
pub const SMALL: u64 = 1024;

/// Above this a body is gzipped on the blocking pool, not on the worker.
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

/// Where a response's body is gzipped, if at all.
#[derive(Debug)]
enum Plan {
    AsIs,
    /// On the worker thread.
    Here,
    /// On the blocking pool.
    Aside,
}

/// Gzip when the body is in memory and worth compressing, the client takes gzip (asked only
/// then: most answers are small), the body is not encoded already and the answer is whole.
fn plan(head: &ResponseHead, size: BodySize, gzip: impl FnOnce() -> bool) -> Plan {
    let BodySize::Sized(n) = size else {
        return Plan::AsIs;
    };
    let whole = !matches!(
        head.status,
        StatusCode::PARTIAL_CONTENT | StatusCode::NO_CONTENT | StatusCode::SWITCHING_PROTOCOLS
    );
    if n < SMALL
        || !gzip()
        || !whole
        || head.headers().contains_key(header::CONTENT_ENCODING)
        || !compressible(head)
    {
        Plan::AsIs
    } else if n <= INLINE_MAX {
        Plan::Here
    } else {
        Plan::Aside
    }
}

/// Says in the head that the body is gzipped.
fn mark(head: &mut ResponseHead) {
    let h = head.headers_mut();
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
}

/// The body gzipped on this thread, with its head saying so.
fn here<B: MessageBody>(head: &mut ResponseHead, body: B) -> EitherBody<B, Bytes> {
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return EitherBody::left(body),
    };
    // Writing into a Vec cannot fail; if it ever did, the body goes out as it was.
    let Some(gz) = fast(&bytes) else {
        return EitherBody::right(bytes);
    };
    mark(head);
    EitherBody::right(Bytes::from(gz))
}

/// The response with its body gzipped as `plan` says (the module's comment).
pub async fn respond<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> ServiceResponse<EitherBody<B, Bytes>> {
    let gzip = || accepted(res.request().headers());
    match plan(res.response().head(), res.response().body().size(), gzip) {
        Plan::AsIs => return res.map_into_left_body(),
        Plan::Here => return res.map_body(here),
        Plan::Aside => {}
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return ServiceResponse::new(req, res.set_body(EitherBody::left(body))),
    };
    let plain = bytes.clone();
    // If the pool is gone (the server is stopping), the body goes out as it was.
    let body = match actix_web::web::block(move || fast(&bytes)).await {
        Ok(Some(gz)) => {
            mark(res.head_mut());
            Bytes::from(gz)
        }
        _ => plain,
    };
    ServiceResponse::new(req, res.set_body(EitherBody::right(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::HttpResponse;

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

    #[actix_web::test]
    async fn large_json_is_gzipped_and_other_bodies_are_left() {
        let json = format!(
            "[{}]",
            vec!["{\"company\":\"Zenith Startup\"}"; 200].join(",")
        );
        let out = gzipped(respond(srv(answer("application/json", &json), true)).await).await;
        assert_eq!(unzip(&out), json);
        assert!(out.len() < json.len() / 4);

        for (kind, gzip, body) in [
            ("application/json", false, json.clone()),
            ("application/json", true, "{\"ok\":true}".to_string()),
            ("application/pdf", true, json.clone()),
            ("image/png", true, json.clone()),
        ] {
            let out = as_is(respond(srv(answer(kind, &body), gzip)).await, kind).await;
            assert_eq!(out, body.as_bytes());
        }
        let res = respond(srv(answer("image/svg+xml", &json), true)).await;
        assert!(res.headers().get(header::CONTENT_ENCODING).is_some());
    }

    fn answer(kind: &str, body: &str) -> HttpResponse {
        HttpResponse::Ok().content_type(kind).body(body.to_owned())
    }

    /// `res` as the answer to a request that takes gzip or not.
    fn srv(res: HttpResponse, gzip: bool) -> ServiceResponse {
        let req = actix_web::test::TestRequest::default();
        let req = if gzip {
            req.insert_header((header::ACCEPT_ENCODING, "gzip"))
        } else {
            req
        };
        req.to_srv_response(res)
    }

    /// The body of an answer that says it is gzipped.
    async fn gzipped(res: ServiceResponse<impl MessageBody>) -> Bytes {
        let h = res.headers();
        assert_eq!(h.get(header::CONTENT_ENCODING).unwrap(), "gzip");
        assert_eq!(h.get(header::VARY).unwrap(), "accept-encoding");
        body_of(res).await
    }

    /// The body of an answer sent as it was.
    async fn as_is(res: ServiceResponse<impl MessageBody>, what: &str) -> Bytes {
        assert!(
            res.headers().get(header::CONTENT_ENCODING).is_none(),
            "{what}"
        );
        body_of(res).await
    }

    async fn body_of(res: ServiceResponse<impl MessageBody>) -> Bytes {
        // A body's error type need not be `Debug`.
        let Ok(body) = actix_web::body::to_bytes(res.into_body()).await else {
            panic!("body")
        };
        body
    }

    fn unzip(bytes: &[u8]) -> String {
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut back)
            .expect("gzip");
        back
    }

    #[actix_web::test]
    async fn a_large_body_is_gzipped_aside_and_streams_go_as_they_are() {
        let csv: String = (0..40_000)
            .map(|i| format!("{i},Zenith Startup {i},KR,8.25\n"))
            .collect();
        assert!(csv.len() as u64 > INLINE_MAX);
        let big = || answer("text/csv", &csv);
        let body = gzipped(respond(srv(big(), true)).await).await;
        assert!(body.len() < csv.len() / 4);
        assert_eq!(unzip(&body), csv);

        // Refused: as it was.
        let body = as_is(respond(srv(big(), false)).await, "refused").await;
        assert_eq!(body, csv.as_bytes());

        // A stream (an uploaded file, the live events) is never held back to compress.
        let chunks =
            futures_util::stream::iter(vec![Ok::<_, actix_web::Error>(Bytes::from(csv.clone()))]);
        let stream = HttpResponse::Ok()
            .content_type("text/plain")
            .streaming(chunks);
        let body = as_is(respond(srv(stream, true)).await, "stream").await;
        assert_eq!(body, csv.as_bytes());
    }
}
