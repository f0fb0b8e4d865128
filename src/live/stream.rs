//! The event streams (Server-Sent Events). Each message is a whole snapshot read from the
//! database (or, for the display, the one the pulse carries), so a client that reconnects or
//! sits on another instance is always right. A judge's stream is also their presence: it
//! records them as seen on connect and every beat, and as gone when it ends.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::{fanout, model, views};
use crate::db::{self, now};
use crate::state::AppState;
use crate::web::push::Pulse;

/// How often a stream beats: a judge's presence, the board's clock, a keep-alive comment.
pub const BEAT: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Display,
    Judge(i64),
    Board,
}

async fn render(state: &AppState, round_id: i64, who: Audience) -> Option<String> {
    db::run(&state.db, move |c| {
        let json = match who {
            Audience::Display => serde_json::to_string(&views::show(c, round_id)?),
            Audience::Judge(j) => serde_json::to_string(&views::judge(c, round_id, j)?),
            Audience::Board => serde_json::to_string(&views::board(c, round_id)?),
        };
        json.map_err(crate::error::AppError::internal)
    })
    .await
    .ok()
}

fn frame(json: &str) -> Bytes {
    Bytes::from(format!("data: {json}\n\n"))
}

/// Records the judge as connected now, and remembers when in `last` (microseconds).
async fn seen(state: &AppState, round_id: i64, judge: i64, last: &AtomicI64) {
    let at = now();
    if db::run(&state.db, move |c| model::seen(c, round_id, judge, at))
        .await
        .is_ok()
    {
        last.store(at.and_utc().timestamp_micros(), Ordering::Relaxed);
    }
}

/// Marks a judge gone when their stream is dropped (the phone went away), unless another of
/// their streams (a reconnect, a second tab) has recorded them since this one last did.
struct Leave {
    state: AppState,
    round_id: i64,
    judge: Option<i64>,
    last: Arc<AtomicI64>,
}

impl Drop for Leave {
    fn drop(&mut self) {
        let Some(judge) = self.judge else { return };
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Some(since) =
            chrono::DateTime::from_timestamp_micros(self.last.load(Ordering::Relaxed))
        else {
            return;
        };
        let since = since.naive_utc();
        let (state, round_id) = (self.state.clone(), self.round_id);
        rt.spawn(async move {
            let left = db::run(&state.db, move |c| model::left(c, round_id, judge, since)).await;
            if matches!(left, Ok(true)) {
                fanout::changed(&state, round_id).await;
            }
        });
    }
}

struct Cursor {
    state: AppState,
    round_id: i64,
    who: Audience,
    rx: tokio::sync::broadcast::Receiver<Pulse>,
    beat: tokio::time::Interval,
    started: bool,
    leave: Leave,
}

impl Cursor {
    async fn next(&mut self) -> Option<Bytes> {
        if !self.started {
            self.started = true;
            if let Audience::Judge(j) = self.who {
                seen(&self.state, self.round_id, j, &self.leave.last).await;
                fanout::changed(&self.state, self.round_id).await;
            }
            // The first beat fires at once; the snapshot just sent covers it.
            self.beat.tick().await;
            return Some(match render(&self.state, self.round_id, self.who).await {
                Some(json) => frame(&json),
                None => Bytes::from_static(b": unavailable\n\n"),
            });
        }
        loop {
            tokio::select! {
                pulse = self.rx.recv() => match pulse {
                    Ok(p) if p.round_id != self.round_id && p.round_id != 0 => continue,
                    Ok(Pulse { show: Some(show), .. }) if self.who == Audience::Display => {
                        return Some(frame(&show));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        if let Some(json) = render(&self.state, self.round_id, self.who).await {
                            return Some(frame(&json));
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.beat.tick() => match self.who {
                    Audience::Judge(j) => {
                        seen(&self.state, self.round_id, j, &self.leave.last).await;
                        return Some(Bytes::from_static(b": beat\n\n"));
                    }
                    Audience::Board => {
                        if let Some(json) = render(&self.state, self.round_id, self.who).await {
                            return Some(frame(&json));
                        }
                    }
                    Audience::Display => return Some(Bytes::from_static(b": beat\n\n")),
                },
            }
        }
    }
}

fn events(
    state: AppState,
    round_id: i64,
    who: Audience,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    fanout::ensure_listener(&state);
    let cursor = Cursor {
        rx: state.push.subscribe(),
        beat: tokio::time::interval(BEAT),
        started: false,
        leave: Leave {
            state: state.clone(),
            round_id,
            judge: match who {
                Audience::Judge(j) => Some(j),
                _ => None,
            },
            last: Arc::new(AtomicI64::new(i64::MIN)),
        },
        state,
        round_id,
        who,
    };
    stream::unfold(cursor, |mut c| async move {
        let item = c.next().await?;
        Some((Ok(item), c))
    })
}

/// The streaming answer: never compressed (a compressor would hold messages back), never cached.
pub fn response(state: &AppState, round_id: i64, who: Audience) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(events(state.clone(), round_id, who))
}
