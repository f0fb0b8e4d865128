//! The real server as a child process (`jury serve`, the bench-profile build of the binary,
//! which is the release profile), so its memory is its own and can be read from /proc.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const JWT_SECRET: &str = "load-harness-secret-0123456789abcdef0123456789";

/// Everything the child needs to find its database and data.
#[derive(Clone)]
pub struct Env {
    pub database_url: String,
    pub data_dir: PathBuf,
}

impl Env {
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jury"));
        cmd.args(args)
            .env("JURY_DATABASE_URL", &self.database_url)
            .env("JURY_DATA_DIR", &self.data_dir)
            .env("JURY_JWT_SECRET", JWT_SECRET)
            .env(
                "JURY_LOG",
                std::env::var("JURY_LOAD_LOG").unwrap_or_else(|_| "info".into()),
            )
            // The rate limits of the sign-in routes are not what is measured here.
            .env_remove("JURY_SMTP_URL");
        for (k, v) in std::env::vars() {
            // Pool size, workers and the like can be tried without editing the harness.
            if let Some(name) = k.strip_prefix("JURY_LOAD_SERVER_") {
                cmd.env(format!("JURY_{name}"), v);
            }
        }
        cmd
    }

    /// `jury seed-demo`: the demo contest at the requested size.
    pub fn seed(&self, applications: usize, judges: usize) {
        let out = self
            .command(&[
                "seed-demo",
                "--applications",
                &applications.to_string(),
                "--judges",
                &judges.to_string(),
            ])
            .env("JURY_LOG", "warn")
            .output()
            .expect("run jury seed-demo");
        assert!(
            out.status.success(),
            "seed-demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        println!("  {}", text.lines().next().unwrap_or_default());
    }
}

pub struct Server {
    child: Child,
    pub addr: String,
    pub cold_start_ms: f64,
    rss: Arc<Sampler>,
    stop: Arc<AtomicBool>,
}

#[derive(Default)]
struct Sampler {
    current_kb: AtomicU64,
    window_peak_kb: AtomicU64,
}

pub fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

impl Server {
    /// Starts `jury serve` and polls until the first request is answered; the time from spawn
    /// to that answer is the cold start.
    pub fn start(env: &Env, log: &Path) -> Server {
        Server::spawn(env.command(&["serve"]), "/", log)
    }

    /// The bare comparison server (`bare.rs`): this harness's own binary, re-executed.
    pub fn start_bare(env: &Env, log: &Path) -> Server {
        let mut cmd = Command::new(std::env::current_exe().expect("harness binary"));
        cmd.env("JURY_BARE_DATABASE_URL", &env.database_url);
        Server::spawn(cmd, "/healthz", log)
    }

    fn spawn(mut cmd: Command, probe: &'static str, log: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(log).expect("server log");
        let started = Instant::now();
        let child = cmd
            .env("JURY_BIND", &addr)
            .env("JURY_BARE_BIND", &addr)
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("spawn jury serve");
        let cold_start_ms = loop {
            if let Some(ms) = first_answer(&addr, probe, started) {
                break ms;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server did not answer within 30 s"
            );
            std::thread::sleep(Duration::from_millis(1));
        };
        let rss = Arc::new(Sampler::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s, pid) = (rss.clone(), stop.clone(), child.id());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(kb) = rss_kb(pid) {
                    r.current_kb.store(kb, Ordering::Relaxed);
                    r.window_peak_kb.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Server {
            child,
            addr,
            cold_start_ms,
            rss,
            stop,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn rss_mb(&self) -> f64 {
        rss_kb(self.pid()).unwrap_or(0) as f64 / 1024.0
    }

    /// The highest RSS seen since the last call (sampled every 100 ms).
    pub fn take_peak_mb(&self) -> f64 {
        let now = self.rss.current_kb.load(Ordering::Relaxed);
        self.rss.window_peak_kb.swap(now, Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // SIGTERM for a graceful stop; the server drains within its shutdown timeout.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One blocking `GET probe` (`/`, the first screen); Some(ms since `started`) once it answers 200.
fn first_answer(addr: &str, probe: &str, started: Instant) -> Option<f64> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let head = format!("GET {probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).ok()?;
    let mut head = [0u8; 16];
    s.read_exact(&mut head).ok()?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    head.starts_with(b"HTTP/1.1 200").then_some(ms)
}
