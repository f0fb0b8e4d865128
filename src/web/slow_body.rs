//! A deadline on request bodies. actix-web times out a slow request head
//! (`client_request_timeout`) but not a body: a client that sends its headers and then trickles
//! the body a byte at a time would hold a connection and a handler for as long as it likes. Every
//! body must arrive within `JURY_BODY_TIMEOUT_SECS`; after that the body stream fails, the
//! handler answers 408 `request_timeout` and the connection is closed.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::web::{Bytes, Data};
use futures_util::Stream;

/// The per-request body deadline in seconds (0 = none), registered as app data by `app()`
/// so the middleware needs nothing else from the state.
#[derive(Clone, Copy, Debug)]
pub struct BodyTimeout(pub u64);

/// Puts the deadline on the request's body, if it has one (called by `access_log::middleware`,
/// which every request passes: one middleware layer fewer per request).
pub fn limit(req: &mut ServiceRequest) {
    let secs = req.app_data::<Data<BodyTimeout>>().map_or(0, |t| t.0);
    if secs == 0 {
        return;
    }
    let inner = req.take_payload();
    if matches!(inner, Payload::None) {
        req.set_payload(inner);
        return;
    }
    let deadline = Deadline {
        inner,
        sleep: Box::pin(tokio::time::sleep(Duration::from_secs(secs))),
        expired: false,
    };
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(deadline);
    req.set_payload(Payload::from(boxed));
}

/// Whether a body error is this deadline passing.
pub fn is_timeout(e: &PayloadError) -> bool {
    matches!(e, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired = true;
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        Poll::Pending
    }
}
