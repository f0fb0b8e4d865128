//! A network partition between Jury and PostgreSQL: a proxy in between stops forwarding without
//! closing anything, so no error ever reaches the driver. Requests must still answer 503 within
//! the configured time, and recover by themselves when the network does.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::{self, PgDatabase};

use super::{Server, judge_emails, seed};

/// Forwards TCP to `upstream` until `partition()`; then holds every byte, accepting and
/// acknowledging like a silent network, until `heal()`.
struct SilentProxy {
    port: u16,
    held: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl SilentProxy {
    fn start(upstream: String) -> SilentProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let held = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (held.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let Ok(server) = TcpStream::connect(&upstream) else {
                            continue;
                        };
                        for (from, to) in [
                            (client.try_clone(), server.try_clone()),
                            (Ok(server), Ok(client)),
                        ] {
                            if let (Ok(from), Ok(to)) = (from, to) {
                                pipe(from, to, h.clone(), s.clone());
                            }
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        SilentProxy { port, held, stop }
    }

    fn partition(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    fn heal(&self) {
        self.held.store(false, Ordering::SeqCst);
    }
}

impl Drop for SilentProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream, held: Arc<AtomicBool>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let _ = from.set_read_timeout(Some(Duration::from_millis(20)));
        let mut buf = [0u8; 16 * 1024];
        while !stop.load(Ordering::Relaxed) {
            if held.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => break,
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// `postgres://user@host:port/db` → (`host:port`, the URL with `proxy` in its place).
fn through(url: &str, proxy: u16) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (user, rest) = rest.split_once('@').expect("user@");
    let (authority, db) = rest.split_once('/').expect("/db");
    let authority = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:5432")
    };
    let proxied = format!("{scheme}://{user}@127.0.0.1:{proxy}/{db}");
    (authority, proxied)
}

#[actix_web::test]
async fn a_silent_partition_answers_503_in_time_and_recovers() {
    if !common::use_postgres() {
        eprintln!(
            "SKIP in the SQLite pass: runs in the PostgreSQL pass (JURY_TEST_BACKEND=postgres)"
        );
        return;
    }
    let db = PgDatabase::create(&common::pg_base_url());
    let (upstream, _) = through(&db.url, 0);
    let proxy = SilentProxy::start(upstream);
    let (_, url) = through(&db.url, proxy.port);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed(&data, &url);
    // 300 ms to get a connection; statements are cancelled after 3 s; so an answer within
    // 0.3 + 2 × 3 s (db::answer_deadline).
    let timeout = Duration::from_millis(300);
    let deadline = jury::db::answer_deadline(timeout);
    let server = Server::start(&data, &url, &[("JURY_DB_TIMEOUT_MS", "300")]).await;
    let token = server.login(&judge_emails(&url)[0]).await;
    let queue = "/api/v1/me/assignments";
    assert_eq!(server.call("GET", queue, &token, None).await.0, 200);

    proxy.partition();
    for path in [queue, "/readyz"] {
        let started = Instant::now();
        let (status, body) = server.call("GET", path, &token, None).await;
        let took = started.elapsed();
        assert_eq!(status, 503, "{path} during the partition: {body}");
        assert_eq!(body["error"], "service_unavailable", "{body}");
        assert!(
            took <= deadline + Duration::from_secs(1),
            "{path} answered after {took:?}, more than {deadline:?}"
        );
    }

    proxy.heal();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if server.call("GET", queue, &token, None).await.0 == 200 {
            break;
        }
        assert!(
            Instant::now() < until,
            "no recovery within 30 s of the network"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
