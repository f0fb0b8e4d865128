//! The log's writer: lines are appended to a buffer in memory and a background thread writes
//! them to standard output in batches, so a request thread never waits on a `write` system
//! call (a line per request at `info` cost a light request 20–40 % of its time, issue 20).
//! Warnings and errors, and a full buffer, are written at once by the thread that logs them,
//! so nothing important waits on the next batch and a flood of lines cannot grow memory
//! without bound; `flush` (called when the process ends) writes what is left.

use std::io::Write;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use tracing::Level;
use tracing_subscriber::fmt::MakeWriter;

/// A batch is written once this much is waiting, or every `INTERVAL`.
const BATCH: usize = 64 << 10;
/// Beyond this the logging thread writes the buffer itself instead of waiting for the writer.
const LIMIT: usize = 1 << 20;
const INTERVAL: Duration = Duration::from_millis(50);

struct Shared {
    buf: Mutex<Vec<u8>>,
    wake: Condvar,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(run)
            .ok();
        Shared {
            buf: Mutex::new(Vec::with_capacity(BATCH)),
            wake: Condvar::new(),
        }
    })
}

fn write_out(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

fn run() {
    let s = shared();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        {
            let Ok(mut buf) = s.buf.lock() else { return };
            if buf.len() < BATCH {
                buf = match s.wake.wait_timeout(buf, INTERVAL) {
                    Ok((b, _)) => b,
                    Err(_) => return,
                };
            }
            std::mem::swap(&mut *buf, &mut batch);
        }
        if !batch.is_empty() {
            write_out(&batch);
            batch.clear();
        }
    }
}

/// Writes everything still buffered (at shutdown).
pub fn flush() {
    let s = shared();
    if let Ok(mut buf) = s.buf.lock() {
        write_out(&buf);
        buf.clear();
    }
}

/// Whether the access log writes its lines here itself, and with colour (`install`).
static DIRECT: OnceLock<bool> = OnceLock::new();

/// The writer for the server's `tracing` subscriber (`fmt().with_writer(..)`). Installing it
/// also lets `access_log` append its lines here directly, formatted as `Line` would (`ansi` as
/// the subscriber's): once per process, like the subscriber itself. Without it (tests, one-off
/// commands) access lines go through `tracing`, to whatever subscriber there is.
pub fn install(ansi: bool) -> Batched {
    let _ = DIRECT.set(ansi);
    Batched
}

/// `Some(ansi)` once `install` has made this the log's writer.
pub fn direct() -> Option<bool> {
    DIRECT.get().copied()
}

/// Appends a finished line (or several) to the batch.
pub fn append(bytes: &[u8]) {
    let _ = Line { now: false }.write(bytes);
}

/// The `MakeWriter` for `tracing_subscriber::fmt().with_writer(..)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Batched;

/// One log line on its way: `fmt` writes each event with a single `write_all`.
pub struct Line {
    now: bool,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let s = shared();
        let mut buf = s
            .buf
            .lock()
            .map_err(|_| std::io::Error::other("log buffer"))?;
        if self.now || buf.len() + bytes.len() > LIMIT {
            // Keep the order: what is buffered goes first.
            buf.extend_from_slice(bytes);
            write_out(&buf);
            buf.clear();
        } else {
            buf.extend_from_slice(bytes);
            if buf.len() >= BATCH {
                s.wake.notify_one();
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Batched {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line { now: false }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Line {
        Line {
            now: *meta.level() <= Level::WARN,
        }
    }
}
