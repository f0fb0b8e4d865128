//! A small W3C WebDriver client over awc, driving Debian's Chromium through chromedriver.
//! `Browser::start` returns `None` with a printed reason when Chromium is not installed, unless
//! `JURY_REQUIRE_BROWSER=1` (CI), where a missing browser fails the test instead.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    client: awc::Client,
    base: String,
    child: Child,
    _profile: tempfile::TempDir,
}

fn which(name: &str) -> Option<String> {
    std::env::var("PATH")
        .ok()?
        .split(':')
        .map(|d| format!("{d}/{name}"))
        .find(|p| std::path::Path::new(p).is_file())
}

impl Browser {
    pub async fn start(test: &str) -> Option<Browser> {
        let chromium = std::env::var("JURY_CHROMIUM")
            .ok()
            .or_else(|| which("chromium"));
        let driver = std::env::var("JURY_CHROMEDRIVER")
            .ok()
            .or_else(|| which("chromedriver"));
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            if std::env::var("JURY_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("{test}: JURY_REQUIRE_BROWSER=1 but chromium or chromedriver is missing");
            }
            eprintln!(
                "SKIP {test}: chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser {
            client: awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish(),
            base: format!("http://127.0.0.1:{port}"),
            child,
            _profile: profile,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(mut r) = browser
                .client
                .get(format!("{}/status", browser.base))
                .send()
                .await
                && r.json::<Value>()
                    .await
                    .is_ok_and(|v| v["value"]["ready"] == true)
            {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
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
            format!("--user-data-dir={}", browser._profile.path().display()),
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let res = browser.raw("POST", "/session", caps).await;
        let session = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"))
            .to_string();
        browser.base = format!("{}/session/{session}", browser.base);
        Some(browser)
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
        .expect("webdriver request");
        res.json::<Value>()
            .limit(64 << 20)
            .await
            .expect("webdriver json")
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let v = self.raw(method, path, body).await;
        if v["value"]["error"].is_string() {
            panic!("webdriver {method} {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

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

    async fn try_find(&self, css: &str) -> Option<String> {
        let v = self
            .raw(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v["value"][ELEMENT].as_str().map(str::to_string)
    }

    /// Waits up to 10 s for an element matching `css` and returns its id.
    pub async fn wait_for(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(id) = self.try_find(css).await {
                return id;
            }
            if started.elapsed() > Duration::from_secs(10) {
                let body = self.exec("return document.body.innerText", json!([])).await;
                panic!("timed out waiting for {css}; page shows: {body}");
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `script` (a function body returning a boolean) is true.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.exec(script, json!([])).await != Value::Bool(true) {
            if started.elapsed() > Duration::from_secs(10) {
                let body = self.exec("return document.body.innerText", json!([])).await;
                panic!("timed out waiting until {what}; page shows: {body}");
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.wait_for(css).await;
        self.cmd("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.wait_for(css).await;
        self.cmd("POST", &format!("/element/{id}/clear"), json!({}))
            .await;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    /// Sends keys to whatever has focus (Tab, Enter, digits…). `\u{E004}` is Tab, `\u{E007}` Enter.
    pub async fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]}),
        )
        .await;
    }

    /// Chooses a file in an `<input type=file>` (chromedriver reads it from this machine).
    pub async fn send_file(&self, element: &str, path: &std::path::Path) {
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            json!({"text": path.display().to_string()}),
        )
        .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let id = self.wait_for(css).await;
        self.cmd("GET", &format!("/element/{id}/text"), json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn exec(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// Chooses an option of a `<select>` the way a person would, firing `change`.
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.exec(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([css, value]),
        )
        .await;
    }

    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }

    pub async fn screenshot(&self, name: &str) {
        use base64_decode as decode;
        let png = self.cmd("GET", "/screenshot", json!({})).await;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screens");
        let _ = std::fs::create_dir_all(&dir);
        if let Some(b64) = png.as_str() {
            let _ = std::fs::write(dir.join(format!("{name}.png")), decode(b64));
        }
    }

    /// Console errors and CSP violations the page reported.
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

    pub async fn quit(mut self) {
        let _ = self.raw("DELETE", "", json!({})).await;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
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
