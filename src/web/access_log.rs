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

use std::cell::RefCell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::log_format::{self, Millis};
use super::log_writer;
use super::metrics::Metrics;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

/// Request ids: a random prefix per process (two instances do not share ids) and a counter.
fn next_id() -> u64 {
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| u64::from(rand::random::<u32>()) << 32);
    prefix | (COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff_ffff)
}

/// The access line: straight into the log's buffer when the server's writer is installed,
/// through `tracing` otherwise (the same text either way, `log_format::access_line`).
fn write_line(id: u64, method: &Method, path: &str, status: u16, elapsed: Duration) {
    let Some(ansi) = log_writer::direct() else {
        log_format::in_request_sync(id, || {
            tracing::info!(method = %method, path = %path, status, ms = %Millis(elapsed));
        });
        return;
    };
    thread_local! {
        static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    LINE.with(|line| {
        let Ok(mut line) = line.try_borrow_mut() else {
            return;
        };
        line.clear();
        log_format::access_line(&mut line, ansi, id, method.as_str(), path, status, elapsed);
        log_writer::append(&line);
    });
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
        write_line(id, &method, &path, status.as_u16(), elapsed);
    }
    result
}
