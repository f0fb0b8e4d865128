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
use std::time::Duration;

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

/// A request's access line, exactly as `Line` and `Fields` format
/// `info!(method = %method, path = %path, status, ms = %Millis(elapsed))` inside the request's
/// scope, built from plain byte pushes. Written straight to the log's buffer
/// (`log_writer::append`), it skips `tracing`'s event, filter and formatter and `fmt`'s
/// machinery: the line cost a `/healthz` answer about 5,000 of its 35,600 instructions through
/// `tracing`, and still 3,200 through `write!` (issue 20, benches/RESULTS.md).
pub fn access_line(
    out: &mut Vec<u8>,
    ansi: bool,
    id: u64,
    method: &str,
    path: &str,
    status: u16,
    elapsed: Duration,
) {
    with_second(|second, micros| {
        out.extend_from_slice(second.as_bytes());
        out.push(b'.');
        push_digits(out, u64::from(micros), 6);
    });
    out.extend_from_slice(if ansi {
        b"Z \x1b[32m INFO\x1b[0m request{id="
    } else {
        b"Z  INFO request{id="
    });
    let hex = id
        .to_be_bytes()
        .map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
    out.extend_from_slice(hex.as_flattened());
    out.extend_from_slice(b"}: method=");
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(b" path=");
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(b" status=");
    push_digits(out, u64::from(status), 1);
    out.extend_from_slice(b" ms=");
    let hundredths = Millis(elapsed).hundredths();
    push_digits(out, hundredths / 100, 1);
    out.push(b'.');
    push_digits(out, hundredths % 100, 2);
    out.push(b'\n');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `n` in decimal, zero-padded to at least `width` (at most 20) digits.
fn push_digits(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < width.min(20) {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[i..]);
}

/// Milliseconds with two decimals, rounded up, from integers (float formatting was a visible
/// share of a logged `/healthz`).
pub struct Millis(pub Duration);

impl Millis {
    fn hundredths(&self) -> u64 {
        u64::try_from(self.0.as_micros().div_ceil(10)).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = self.hundredths();
        write!(f, "{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

/// `2026-12-02T14:00:00.000001Z`.
fn timestamp(w: &mut Writer<'_>) -> fmt::Result {
    with_second(|second, micros| write!(w, "{second}.{micros:06}Z"))
}

/// The time now as the second (`2026-12-02T14:00:00`) and the microseconds. The second is
/// formatted once a second per thread; the profile of a logged `/healthz` had the full date
/// formatting at a twentieth of all its instructions.
fn with_second<R>(f: impl FnOnce(&str, u32) -> R) -> R {
    thread_local! {
        static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    // From the system clock directly: chrono's conversion to a date is needed once a second.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (secs, micros) = (now.as_secs(), now.subsec_micros());
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            cached.1.clear();
            let date = i64::try_from(secs)
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .unwrap_or_default();
            let _ = write!(cached.1, "{}", date.format("%Y-%m-%dT%H:%M:%S"));
            cached.0 = secs;
        }
        f(&cached.1, micros)
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
        captured_with(false, f)
    }

    fn captured_with(ansi: bool, f: impl FnOnce()) -> String {
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || Sink(sink.clone()))
            .with_ansi(ansi)
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

    #[test]
    fn the_access_line_written_directly_reads_as_tracing_would_write_it() {
        let cases = [
            ("PATCH", "/api/v1/assignments/12/review", 409u16, 410u64),
            ("GET", "/healthz", 200, 0),
            ("POST", "/api/v1/auth/login", 500, 64_905),
            ("GET", "/", 304, 3_000_000),
        ];
        for ansi in [false, true] {
            for (i, (method, path, status, micros)) in cases.into_iter().enumerate() {
                let id = 0x5f0c_2a1b_0000_0007 + ((i as u64) << 52);
                let elapsed = Duration::from_micros(micros);
                let traced = captured_with(ansi, || {
                    in_request_sync(id, || {
                        tracing::info!(method = %method, path = %path, status, ms = %Millis(elapsed));
                    });
                });
                let mut direct = Vec::new();
                access_line(&mut direct, ansi, id, method, path, status, elapsed);
                let direct = String::from_utf8(direct).unwrap_or_default();
                // Past the timestamp, which differs by the microseconds between the two.
                let stamp = "2026-12-02T14:00:00.000001Z".len();
                assert_eq!(direct.len(), traced.len(), "{direct:?} {traced:?}");
                assert_eq!(direct[..10], traced[..10], "the date");
                assert_eq!(direct[stamp - 1..], traced[stamp - 1..], "ansi {ansi}");
            }
        }
    }

    #[test]
    fn milliseconds_have_two_decimals_rounded_up() {
        let ms = |micros| Millis(Duration::from_micros(micros)).to_string();
        assert_eq!(ms(0), "0.00");
        assert_eq!(ms(410), "0.41");
        assert_eq!(ms(411), "0.42");
        assert_eq!(ms(64_905), "64.91");
        assert_eq!(ms(3_000_000), "3000.00");
    }

    #[test]
    fn digits_are_zero_padded_to_the_width() {
        let digits = |n, width| {
            let mut s = Vec::new();
            push_digits(&mut s, n, width);
            String::from_utf8(s).unwrap_or_default()
        };
        assert_eq!(digits(0, 1), "0");
        assert_eq!(digits(7, 6), "000007");
        assert_eq!(digits(999_999, 6), "999999");
        assert_eq!(digits(u64::MAX, 1), u64::MAX.to_string());
    }
}
