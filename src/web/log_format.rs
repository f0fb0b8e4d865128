//! The log line's format, and the request id it carries. `access_log` runs each request inside
//! a task-local scope holding its id; every event logged while that request is answered (on its
//! task) is written with `request{id=…}:` after the level, so an error carries the same id as
//! its request's access line:
//!
//!     2026-12-02T14:00:00.000001Z ERROR request{id=5f0c2a1b00000007}: internal error …
//!     2026-12-02T14:00:00.000042Z  INFO request{id=5f0c2a1b00000007}: method=GET path=… status=500 ms=0.41
//!
//! This replaced a tracing span per request: opening it (a slot in the span registry, its field
//! formatted into a fresh string) and entering and leaving it on every poll cost a `/healthz`
//! answer about a fifth of its instructions (issue 20); a task-local costs a swap per poll.
//! Work handed to the blocking pool runs on another thread and logs without the id, as it
//! did with the span.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::future::Future;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

tokio::task_local! {
    static REQUEST_ID: u64;
}

/// Runs `fut` as the answer to the request `id`: events it logs carry the id.
pub fn in_request<F: Future>(id: u64, fut: F) -> impl Future<Output = F::Output> {
    REQUEST_ID.scope(id, fut)
}

/// Runs `f` as part of the request `id` (its access line, written after the answer).
pub fn in_request_sync<R>(id: u64, f: impl FnOnce() -> R) -> R {
    REQUEST_ID.sync_scope(id, f)
}

/// The id of the request being answered on this task, if any.
pub fn current_request() -> Option<u64> {
    REQUEST_ID.try_with(|id| *id).ok()
}

/// Time, level, the request id when there is one, then the event's fields. Colour (of the
/// level only) when the writer is a terminal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Line;

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        timestamp(&mut w)?;
        let level = *event.metadata().level();
        if w.has_ansi_escapes() {
            let colour = match level {
                Level::ERROR => 31,
                Level::WARN => 33,
                Level::INFO => 32,
                Level::DEBUG => 34,
                Level::TRACE => 35,
            };
            write!(w, " \x1b[{colour}m{level:>5}\x1b[0m ")?;
        } else {
            write!(w, " {level:>5} ")?;
        }
        if let Some(id) = current_request() {
            write!(w, "request{{id={id:016x}}}: ")?;
        }
        ctx.format_fields(w.by_ref(), event)?;
        writeln!(w)
    }
}

/// `2026-12-02T14:00:00.000001Z`. The part up to the second is formatted once a second per
/// thread; the profile of a logged `/healthz` had the full date formatting at a twentieth of
/// all its instructions.
fn timestamp(w: &mut Writer<'_>) -> fmt::Result {
    thread_local! {
        static SECOND: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
    }
    let now = chrono::Utc::now();
    let (secs, micros) = (now.timestamp(), now.timestamp_subsec_micros().min(999_999));
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            cached.1.clear();
            write!(cached.1, "{}", now.format("%Y-%m-%dT%H:%M:%S"))?;
            cached.0 = secs;
        }
        write!(w, "{}.{micros:06}Z", cached.1)
    })
}

/// The event's fields: the message as it is, then ` name=value` for each other field (strings
/// quoted). Unlike `DefaultFields`, it does not wrap every name and value in a (here empty)
/// terminal style.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields;

impl<'w> FormatFields<'w> for Fields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = FieldWriter {
            w: writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct FieldWriter<'w> {
    w: Writer<'w>,
    first: bool,
    result: fmt::Result,
}

impl FieldWriter<'_> {
    fn separator(&mut self) -> &'static str {
        if std::mem::take(&mut self.first) {
            ""
        } else {
            " "
        }
    }
}

impl FieldWriter<'_> {
    /// The message as `bare`, any other field as `name=` and its `quoted` form.
    fn put(&mut self, field: &Field, bare: &dyn fmt::Display, quoted: &dyn fmt::Debug) {
        if self.result.is_err() {
            return;
        }
        let sep = self.separator();
        self.result = if field.name() == "message" {
            write!(self.w, "{sep}{bare}")
        } else {
            write!(self.w, "{sep}{}={quoted:?}", field.name())
        };
    }
}

impl Visit for FieldWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, &value, &value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, &format_args!("{value:?}"), value);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn captured(f: impl FnOnce()) -> String {
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || Sink(sink.clone()))
            .with_ansi(false)
            .event_format(Line)
            .fmt_fields(Fields)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = out.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut out) = self.0.lock() {
                out.extend_from_slice(b);
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_carries_time_level_request_id_message_and_fields() {
        let text = captured(|| {
            in_request_sync(0xab, || {
                tracing::warn!(path = "/x y", status = 200u16, ms = %1.5, "slow answer");
            });
            tracing::info!(backend = "sqlite", "outside any request");
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let (time, rest) = lines[0].split_once(' ').unwrap_or_default();
        assert_eq!(time.len(), "2026-12-02T14:00:00.000001Z".len(), "{time}");
        assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
        assert_eq!(
            rest,
            " WARN request{id=00000000000000ab}: slow answer path=\"/x y\" status=200 ms=1.5"
        );
        assert!(
            lines[1].ends_with("  INFO outside any request backend=\"sqlite\""),
            "{text}"
        );
    }
}
