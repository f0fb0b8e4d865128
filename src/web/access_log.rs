//! The outermost middleware: one access-log line per request and the request metrics, from
//! one look at the request. Every request runs in a span carrying its id, so an error logged
//! while it is answered carries the same id as its access line:
//!
//!     2026-12-02T14:00:00.000001Z  INFO request{id=5f0c2a1b00000007}: method=GET path=/api/v1/me status=200 ms=0.41
//!
//! It replaced `tracing-actix-web`'s logger, whose span of fifteen fields formatted on open and
//! again on close cost a light request 20–40 % of its time (issue 20). The path is logged
//! without its query string, which may carry a one-time token.
//!
//! Small bodies are not worth compressing (the gzip state is set up for every body, and a
//! few hundred bytes barely shrink): `headers::middleware`, inside `Compress`, marks them
//! `Content-Encoding: identity` so `Compress` leaves them, and this middleware, outside it,
//! takes the mark off again.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_ENCODING, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::metrics::Metrics;

/// Marks a body too small to compress; removed before the response leaves.
pub fn identity() -> HeaderValue {
    HeaderValue::from_static("identity")
}

/// Request ids: a random prefix per process (two instances do not share ids) and a counter.
fn next_id() -> u64 {
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| u64::from(rand::random::<u32>()) << 32);
    prefix | (COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff_ffff)
}

struct Hex(u64);

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

struct Millis(std::time::Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}", self.0.as_secs_f64() * 1000.0)
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req.match_pattern();
    let unmatched_api = route.is_none() && req.path().starts_with("/api/");
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let span = tracing::info_span!("request", id = %Hex(next_id()));
    // Only the path is kept for the line (and only when lines are written at all).
    let path = (!span.is_disabled()).then(|| req.path().to_owned());
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = start.elapsed();
    let status = match &result {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    if let Some(m) = metrics {
        let route = match &route {
            Some(r) => r.as_str(),
            None if unmatched_api => "unmatched_api",
            None => "static",
        };
        m.observe(&method, route, status.as_u16(), elapsed.as_secs_f64());
    }
    if let Some(path) = path {
        span.in_scope(|| {
            tracing::info!(
                method = %method,
                path = %path,
                status = status.as_u16(),
                ms = %Millis(elapsed)
            );
        });
    }
    let mut res = result?;
    let h = res.headers_mut();
    if h.get(CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes() == b"identity")
    {
        h.remove(CONTENT_ENCODING);
    }
    Ok(res)
}
