//! A real S3-compatible server for the tests: `s3s-fs` from crates.io, started per test on a
//! free port over a temp directory, with an access key, so it checks every request's SigV4
//! signature. Found as `$JURY_S3S_FS`, on `PATH`, or in `~/.cache/jury-ci/bin` (where `.ci/run`
//! installs it); absent, the tests skip with the reason, unless `JURY_REQUIRE_S3=1` (CI).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jury::storage::StorageConfig;

pub const ACCESS_KEY: &str = "jury-test-access";
pub const SECRET_KEY: &str = "jury-test-secret-0123456789abcdef";
pub const BUCKET: &str = "jury-test";

fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("JURY_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/jury-ci/bin"))
        .into_iter();
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(cache)
        .map(|d| d.join("s3s-fs"))
        .find(|p| p.is_file())
}

/// The store, or `None` with a printed reason. With `JURY_REQUIRE_S3=1` a missing binary fails.
pub fn s3_or_skip(test: &str) -> Option<S3Server> {
    match binary() {
        Some(bin) => Some(S3Server::start(bin)),
        None if std::env::var("JURY_REQUIRE_S3").is_ok_and(|v| v == "1") => {
            panic!(
                "{test}: s3s-fs required (JURY_REQUIRE_S3=1) but not found on PATH, in $JURY_S3S_FS or ~/.cache/jury-ci/bin"
            )
        }
        None => {
            eprintln!(
                "SKIP {test}: no s3s-fs (cargo install s3s-fs@0.14.1 --features binary --locked --debug --root ~/.cache/jury-ci)"
            );
            None
        }
    }
}

pub struct S3Server {
    bin: PathBuf,
    child: Option<Child>,
    pub port: u16,
    pub root: tempfile::TempDir,
}

impl S3Server {
    fn start(bin: PathBuf) -> S3Server {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(root.path().join(BUCKET)).expect("bucket");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut s = S3Server {
            bin,
            child: None,
            port,
            root,
        };
        s.resume();
        s
    }

    /// Starts (again) on the same port and directory, and waits until it accepts connections.
    pub fn resume(&mut self) {
        let child = Command::new(&self.bin)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(self.root.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start s3s-fs");
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < until, "s3s-fs did not start listening");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the store (SIGKILL): an outage, as far as Jury can tell.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// `JURY_STORAGE_URL` for this store, under `prefix`.
    pub fn url(&self, prefix: &str) -> String {
        format!(
            "s3://{BUCKET}/{prefix}?endpoint=http://127.0.0.1:{}&region=us-east-1",
            self.port
        )
    }

    /// The storage settings Jury reads from the environment, with this store's keys (or a
    /// wrong secret, to see the store refuse a bad signature).
    pub fn config(&self, prefix: &str, secret: &str) -> StorageConfig {
        let secret = secret.to_string();
        StorageConfig::parse(Some(&self.url(prefix)), move |k| match k {
            "JURY_S3_ACCESS_KEY_ID" => Some(ACCESS_KEY.into()),
            "JURY_S3_SECRET_ACCESS_KEY" => Some(secret.clone()),
            _ => None,
        })
        .expect("storage url")
    }

    /// Every object file the store holds under `prefix` (its own bookkeeping files aside).
    pub fn objects(&self, prefix: &str) -> Vec<String> {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else if !e.file_name().to_string_lossy().starts_with('.') {
                    out.push(p.strip_prefix(base).unwrap().display().to_string());
                }
            }
        }
        let base = self.root.path().join(BUCKET);
        let mut out = Vec::new();
        walk(&base.join(prefix), &base, &mut out);
        out.sort();
        out
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
