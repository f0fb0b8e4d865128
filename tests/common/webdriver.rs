//! A small W3C WebDriver client over awc, driving Debian's Chromium through chromedriver.
//!
//! `browser_or_skip()` finds the binaries (or prints why the test is skipped and returns
//! `None`; with `JURY_REQUIRE_BROWSER=1`, as in CI, a missing browser panics instead so a test
//! can never pass by silently skipping). `Browser::start(test)` does that and launches a
//! headless session with a fresh profile. chromedriver (and with it Chromium) is ended on drop,
//! also when a test panics.
//!
//! Binaries: `JURY_CHROMIUM` (default `/usr/bin/chromium`, then `chromium` on PATH) and
//! `JURY_CHROMEDRIVER` (default `chromedriver` on PATH).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod elements;

/// The W3C key of an element reference in WebDriver JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long `wait_for` / `wait_until` wait, and how often they look.
pub const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// WebDriver key codes for `keys` / `send_keys`.
pub mod key {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const ARROW_DOWN: &str = "\u{E015}";
}

/// The browser binaries found on this machine.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Finds Chromium and chromedriver. Missing: prints the reason and returns `None`, or panics
/// when `JURY_REQUIRE_BROWSER=1`.
pub fn browser_or_skip() -> Option<Chrome> {
    let chromium = from_env("JURY_CHROMIUM")
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.is_file()))
        .or_else(|| which("chromium"));
    let chromedriver = from_env("JURY_CHROMEDRIVER").or_else(|| which("chromedriver"));
    let problem = match (&chromium, &chromedriver) {
        (Some(c), _) if !c.is_file() => Some(format!("{} does not exist", c.display())),
        (_, Some(d)) if !d.is_file() => Some(format!("{} does not exist", d.display())),
        (None, _) => Some("chromium is not installed".to_string()),
        (_, None) => Some("chromedriver is not installed".to_string()),
        _ => None,
    };
    if let Some(problem) = problem {
        let hint =
            "apt-get install chromium chromium-driver, or set JURY_CHROMIUM / JURY_CHROMEDRIVER";
        if std::env::var("JURY_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("JURY_REQUIRE_BROWSER=1 but {problem} ({hint})");
        }
        eprintln!("SKIP browser test: {problem} ({hint})");
        return None;
    }
    Some(Chrome {
        chromium: chromium?,
        chromedriver: chromedriver?,
    })
}

pub struct Browser {
    client: awc::Client,
    /// `http://127.0.0.1:PORT` of chromedriver.
    driver: String,
    /// `{driver}/session/{id}` once a session exists.
    base: String,
    child: Child,
    profile: tempfile::TempDir,
    test: String,
}

impl Browser {
    /// Finds the browser (see `browser_or_skip`) and opens a fresh headless session.
    pub async fn start(test: &str) -> Option<Browser> {
        let chrome = browser_or_skip()?;
        Some(Browser::launch(&chrome, test).await)
    }

    pub async fn launch(chrome: &Chrome, test: &str) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(&chrome.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chrome.chromedriver.display()));
        let driver = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            client: awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish(),
            base: driver.clone(),
            driver,
            child,
            profile: tempfile::tempdir().expect("profile dir"),
            test: test.to_string(),
        };
        browser.wait_ready().await;
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            format!("--user-data-dir={}", browser.profile.path().display()),
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chrome.chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let res = browser.raw("POST", "/session", caps).await;
        let session = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("{test}: chromedriver gave no session: {res}"))
            .to_string();
        browser.base = format!("{}/session/{session}", browser.driver);
        browser
    }

    async fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(mut r) = self
                .client
                .get(format!("{}/status", self.driver))
                .send()
                .await
                && r.json::<Value>()
                    .await
                    .is_ok_and(|v| v["value"]["ready"] == true)
            {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{}: chromedriver did not become ready in 20 s", self.test);
    }

    async fn raw(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.client.get(url),
            "DELETE" => self.client.delete(url),
            _ => self.client.post(url),
        };
        let mut res = if method == "POST" {
            req.send_json(&body).await
        } else {
            req.send().await
        }
        .unwrap_or_else(|e| panic!("{}: webdriver {method} {path}: {e}", self.test));
        res.json::<Value>()
            .limit(64 << 20)
            .await
            .unwrap_or_else(|e| panic!("{}: webdriver {method} {path}: {e}", self.test))
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let v = self.raw(method, path, body).await;
        if v["value"]["error"].is_string() {
            panic!("{}: webdriver {method} {path}: {}", self.test, v["value"]);
        }
        v["value"].clone()
    }

    // --- navigation -------------------------------------------------------------------------

    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url})).await;
    }

    pub async fn current_url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn refresh(&self) {
        self.cmd("POST", "/refresh", json!({})).await;
    }

    // --- finding ----------------------------------------------------------------------------

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its result.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// Runs `script` with a callback as its last argument and returns what it is called with.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            json!({"script": script, "args": args}),
        )
        .await
    }

    pub async fn exec(&self, script: &str, args: Value) -> Value {
        self.execute(script, args).await
    }

    /// Console errors and CSP violations the page reported since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let v = self
            .raw("POST", "/se/log", json!({"type": "browser"}))
            .await;
        v["value"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .filter_map(|e| e["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A Chrome DevTools command through chromedriver, e.g.
    /// `cdp("Emulation.setEmulatedMedia", json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}))`.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": cmd, "params": params}),
        )
        .await
    }

    // --- window -----------------------------------------------------------------------------

    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }

    /// Saves a PNG of the viewport as `target/browser-screens/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.cmd("GET", "/screenshot", json!({})).await;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screens");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        let bytes = base64_decode(png.as_str().unwrap_or_default());
        std::fs::write(&path, bytes).expect("write screenshot");
        path
    }

    /// Signs in through the form at `login_url` (the app's `/login?next=…`).
    pub async fn sign_in(&self, login_url: &str, email: &str, password: &str) {
        self.goto(login_url).await;
        self.fill("#login-email", email).await;
        self.fill("#login-password", password).await;
        self.click("form button[type=submit]").await;
    }

    /// Signs out with the header button and waits for the sign-in form.
    pub async fn sign_out(&self) {
        self.click("#logout").await;
        self.wait_for("[data-screen=login]").await;
    }

    /// Console errors. (A signed-out page load used to log a 401 from `/auth/refresh`; the app
    /// now asks only when this browser may hold a session, so no error is expected at all.)
    pub async fn unexpected_console_errors(&self) -> Vec<String> {
        self.console_errors().await
    }

    /// Ends the session (Chromium exits) and chromedriver.
    pub async fn quit(mut self) {
        let _ = self.raw("DELETE", "", json!({})).await;
        self.base = self.driver.clone(); // the session is gone; Drop only stops chromedriver
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // On a panic the async `quit` never ran: end the session with a blocking request so
        // Chromium exits too, then stop chromedriver.
        if let Some(path) = self.base.strip_prefix(&self.driver)
            && !path.is_empty()
        {
            delete_blocking(&self.driver, path);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `DELETE {driver}{path}` over a plain socket (no runtime is available in Drop).
fn delete_blocking(driver: &str, path: &str) {
    let Some(addr) = driver.strip_prefix("http://") else {
        return;
    };
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = T.iter().position(|&t| t == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}
