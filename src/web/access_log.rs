//! The outermost middleware: one access-log line per request and the request metrics, from
//! one look at the request. Every request is answered inside a scope holding its id
//! (`log_format`), so an error logged while it is answered carries the same id as its access
//! line:
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

use super::log_format;
use super::metrics::Metrics;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_ENCODING, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

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

/// Milliseconds with two decimals, from integers (float formatting was a visible share of a
/// logged `/healthz`).
struct Millis(std::time::Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hundredths = self.0.as_micros().div_ceil(10);
        write!(f, "{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    super::slow_body::limit(&mut req);
    let method = req.method().clone();
    let route = req.match_pattern();
    let unmatched_api = route.is_none() && req.path().starts_with("/api/");
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let id = next_id();
    // Only the path is kept for the line (and only when lines are written at all).
    let path = tracing::enabled!(tracing::Level::INFO).then(|| req.path().to_owned());
    let result = log_format::in_request(id, next.call(req)).await;
    let elapsed = start.elapsed();
    let status = match &result {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    if let Some(m) = metrics {
        let route = match route {
            Some(r) => r,
            None if unmatched_api => "unmatched_api".to_owned(),
            None => "static".to_owned(),
        };
        m.observe(&method, route, status.as_u16(), elapsed.as_secs_f64());
    }
    if let Some(path) = path {
        log_format::in_request_sync(id, || {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Millis;

    #[test]
    fn milliseconds_have_two_decimals_rounded_up() {
        let ms = |micros| Millis(Duration::from_micros(micros)).to_string();
        assert_eq!(ms(0), "0.00");
        assert_eq!(ms(410), "0.41");
        assert_eq!(ms(411), "0.42");
        assert_eq!(ms(64_905), "64.91");
        assert_eq!(ms(3_000_000), "3000.00");
    }
}
