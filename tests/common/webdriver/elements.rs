//! Finding, waiting for, reading and operating page elements, each with a clear failure that
//! names the selector.

use super::*;

impl Browser {
    /// The first element matching `css` now, if any (its WebDriver id).
    pub async fn find(&self, css: &str) -> Option<String> {
        let v = self
            .raw(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v["value"][ELEMENT].as_str().map(str::to_string)
    }

    /// Waits up to `WAIT` for an element matching `css` and returns its id.
    pub async fn wait_for(&self, css: &str) -> String {
        self.wait_for_within(css, WAIT).await
    }

    /// Polls every 50 ms until an element matches `css`; panics with the page text on timeout.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            if let Some(id) = self.find(css).await {
                return id;
            }
            if started.elapsed() > timeout {
                let page = self.page_text().await;
                panic!(
                    "{}: timed out after {timeout:?} waiting for {css}; page shows:\n{page}",
                    self.test
                );
            }
            actix_web::rt::time::sleep(POLL).await;
        }
    }

    /// Waits until `script` (a function body returning a boolean) returns true.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.exec(script, json!([])).await != Value::Bool(true) {
            if started.elapsed() > WAIT {
                let page = self.page_text().await;
                panic!(
                    "{}: timed out waiting until {what}; page shows:\n{page}",
                    self.test
                );
            }
            actix_web::rt::time::sleep(POLL).await;
        }
    }

    async fn page_text(&self) -> String {
        let v = self
            .raw(
                "POST",
                "/execute/sync",
                json!({"script": "return location.href + '\\n' + document.body.innerText", "args": []}),
            )
            .await;
        v["value"].as_str().unwrap_or("(unreadable)").to_string()
    }

    // --- acting -----------------------------------------------------------------------------

    pub async fn click(&self, css: &str) {
        let id = self.wait_for(css).await;
        self.cmd("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    /// Types into the element matching `css` (after what is already there).
    pub async fn send_keys(&self, css: &str, text: &str) {
        let id = self.wait_for(css).await;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    /// Clears the field matching `css`, then types `text`.
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

    /// Sends keys to whatever has focus (see `key`): Tab, Enter, digits…
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
    pub async fn send_file(&self, element: &str, path: &Path) {
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            json!({"text": path.display().to_string()}),
        )
        .await;
    }

    /// Chooses the option with `value` in the `<select>` matching `css` by clicking it, as a
    /// person would (the browser fires `input` and `change`).
    pub async fn select_option(&self, css: &str, value: &str) {
        let option = format!("{css} option[value=\"{value}\"]");
        self.click(&option).await;
        let now = self.value(css).await;
        assert_eq!(now, value, "{}: {css} did not change to {value}", self.test);
    }

    /// Sets a `<select>` to `value` and fires `change` (for selects that are not on screen).
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.exec(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([css, value]),
        )
        .await;
    }

    // --- reading ----------------------------------------------------------------------------

    /// The rendered text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let id = self.wait_for(css).await;
        self.cmd("GET", &format!("/element/{id}/text"), json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The current `value` property of the form control matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let id = self.wait_for(css).await;
        self.cmd("GET", &format!("/element/{id}/property/value"), json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}
