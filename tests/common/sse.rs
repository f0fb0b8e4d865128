//! Reading a Server-Sent Events stream in tests: each `data:` message parsed as JSON.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;

type Body = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<bytes::Bytes, awc::error::PayloadError>>>,
>;

pub struct Events {
    res: Body,
    buf: String,
}

impl Events {
    pub fn new<S>(res: S) -> Events
    where
        S: futures_util::Stream<Item = Result<bytes::Bytes, awc::error::PayloadError>> + 'static,
    {
        Events {
            res: Box::pin(res),
            buf: String::new(),
        }
    }

    /// The next message, or None if none comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return Some(serde_json::from_str(data).expect("message JSON"));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.res.next())
                .await
                .ok()??;
            self.buf
                .push_str(&String::from_utf8_lossy(&chunk.expect("stream chunk")));
        }
    }

    /// Skips messages until one satisfies `want`; panics after `wait`.
    pub async fn until(&mut self, wait: Duration, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Some(v) if want(&v) => return v,
                Some(_) => continue,
                None => panic!("no matching event within {wait:?}"),
            }
        }
    }
}
