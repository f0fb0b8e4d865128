//! The cross-instance listener's connection, on libpq directly (`pq-sys`, which diesel's
//! PostgreSQL backend already links). Waiting for a notification means waiting on the
//! connection's socket, and diesel's connection does not expose it: polling it every 10 ms
//! instead cost an idle instance about 0.8 % of a core for as long as it ran. Here the thread
//! sleeps in `poll(2)` until the server sends something or the wait ends.

use std::ffi::{CStr, CString};
use std::time::Duration;

use pq_sys as pq;

/// One libpq connection that has run `LISTEN`, owned by the listening thread.
pub struct Listener {
    conn: *mut pq::PGconn,
}

// SAFETY: libpq allows a connection to be used from any thread as long as only one thread
// uses it at a time; a `Listener` is moved into its thread and used only there.
unsafe impl Send for Listener {}

impl Listener {
    /// Connects (a `postgres://` URL or a libpq connection string) and listens on `channel`.
    pub fn connect(url: &str, channel: &str) -> Result<Listener, String> {
        let info = CString::new(url).map_err(|_| "the database URL holds a NUL byte")?;
        crate::db::init_tls();
        // SAFETY: `info` is a valid C string for the call; the connection returned (even a
        // failed one) is freed by `Drop` once it is in a `Listener`.
        let conn = unsafe { pq::PQconnectdb(info.as_ptr()) };
        if conn.is_null() {
            return Err("libpq could not allocate a connection".into());
        }
        let listener = Listener { conn };
        // SAFETY: `conn` is the live connection this listener owns.
        if unsafe { pq::PQstatus(conn) } != pq::ConnStatusType::CONNECTION_OK {
            return Err(listener.error());
        }
        listener.exec(&format!("LISTEN {channel}"))?;
        Ok(listener)
    }

    fn error(&self) -> String {
        // SAFETY: libpq returns a valid C string owned by the connection (never null).
        let text = unsafe { CStr::from_ptr(pq::PQerrorMessage(self.conn)) };
        text.to_string_lossy().trim().to_string()
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        let query = CString::new(sql).map_err(|_| "a query with a NUL byte")?;
        // SAFETY: a live connection and a valid C string; the result is cleared below.
        let res = unsafe { pq::PQexec(self.conn, query.as_ptr()) };
        if res.is_null() {
            return Err(self.error());
        }
        // SAFETY: `res` is the non-null result just returned, cleared exactly once.
        let status = unsafe { pq::PQresultStatus(res) };
        unsafe { pq::PQclear(res) };
        match status {
            pq::ExecStatusType::PGRES_COMMAND_OK | pq::ExecStatusType::PGRES_TUPLES_OK => Ok(()),
            _ => Err(self.error()),
        }
    }

    /// A round trip, to find a connection that died without a word.
    pub fn ping(&self) -> Result<(), String> {
        self.exec("SELECT 1")
    }

    /// The payloads of the notifications that arrive within `wait` (empty when none did);
    /// an error when the connection failed.
    pub fn wait(&mut self, wait: Duration) -> Result<Vec<String>, String> {
        let ready = self.take();
        if !ready.is_empty() {
            return Ok(ready);
        }
        // SAFETY: a live connection.
        let fd = unsafe { pq::PQsocket(self.conn) };
        if fd < 0 {
            return Err("the listening connection has no socket".into());
        }
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd, its count, a bounded timeout.
        let n = unsafe { libc::poll(&mut poll, 1, ms) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return match e.kind() {
                std::io::ErrorKind::Interrupted => Ok(Vec::new()),
                _ => Err(e.to_string()),
            };
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        // SAFETY: a live connection; 0 means it failed (closed, reset, timed out).
        if unsafe { pq::PQconsumeInput(self.conn) } == 0 {
            return Err(self.error());
        }
        Ok(self.take())
    }

    /// The notifications libpq has already read.
    fn take(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            // SAFETY: a live connection; each notification returned is ours to free.
            let n = unsafe { pq::PQnotifies(self.conn) };
            if n.is_null() {
                return out;
            }
            // SAFETY: `n` is non-null and valid until freed; `extra` is a C string or null.
            unsafe {
                let extra = (*n).extra;
                if !extra.is_null() {
                    out.push(CStr::from_ptr(extra).to_string_lossy().into_owned());
                }
                pq::PQfreemem(n.cast());
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // SAFETY: the connection this listener owns, finished once.
        unsafe { pq::PQfinish(self.conn) };
    }
}
