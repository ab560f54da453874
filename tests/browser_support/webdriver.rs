//! A small WebDriver client (W3C protocol over HTTP, through chromedriver) and the
//! page-specific waits the browser tests share.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{chromium, find_program, CHROME_ARGS};

/// Window sizes every page is checked at.
pub const SIZES: [(&str, (u32, u32)); 2] = [("desktop", (1366, 900)), ("phone", (390, 844))];
/// WebDriver key codes.
pub const ENTER: &str = "\u{E007}";
pub const ARROW_DOWN: &str = "\u{E015}";
pub const ESCAPE: &str = "\u{E00C}";

/// A WebDriver session with its own Chromium profile, or `None` (printed) without
/// Chromium or chromedriver.
pub fn session() -> Option<(tempfile::TempDir, Driver)> {
    let chrome = chromium()?;
    let Some(chromedriver) = find_program(&["chromedriver"]) else {
        println!("skipping: chromedriver not installed");
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let d = Driver::start(&chromedriver, &chrome, profile.path());
    Some((profile, d))
}

/// A WebDriver session (chromedriver driving headless Chromium).
pub struct Driver {
    child: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    pub fn start(chromedriver: &Path, chrome: &Path, profile: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let mut driver = Driver {
            child,
            base,
            session: String::new(),
            agent,
        };
        let ready = wait_for(Duration::from_secs(20), || {
            driver
                .agent
                .get(format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true)
        });
        assert!(ready, "chromedriver did not start");
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push("--window-size=1280,900".into());
        let v = driver.call(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chrome.to_str().unwrap(), "args": args}
            }}}),
        );
        driver.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        driver
    }

    /// Calls the WebDriver endpoint; returns `value`, panicking on WebDriver errors.
    pub fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.base, path);
        let resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.to_string()),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let text = resp.body_mut().read_to_string().unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let value = v["value"].clone();
        if let Some(err) = value.get("error") {
            panic!("{method} {path}: {err}: {}", value["message"]);
        }
        value
    }

    pub fn session(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", &self.session("/url"), json!({ "url": url }));
    }

    pub fn find_all(&self, css: &str) -> Vec<String> {
        self.call(
            "POST",
            &self.session("/elements"),
            json!({"using": "css selector", "value": css}),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e[ELEMENT]
                .as_str()
                .unwrap_or_else(|| panic!("not an element: {e}"))
                .to_string()
        })
        .collect()
    }

    /// Waits for an element matching `css` and returns it.
    pub fn find(&self, css: &str) -> String {
        let mut found = None;
        wait_for(Duration::from_secs(10), || {
            found = self.find_all(css).into_iter().next();
            found.is_some()
        });
        found.unwrap_or_else(|| panic!("no element {css}"))
    }

    pub fn text(&self, el: &str) -> String {
        self.call(
            "GET",
            &self.session(&format!("/element/{el}/text")),
            json!({}),
        )
        .as_str()
        .unwrap()
        .to_string()
    }

    pub fn click(&self, el: &str) {
        self.call(
            "POST",
            &self.session(&format!("/element/{el}/click")),
            json!({}),
        );
    }

    pub fn set_size(&self, (width, height): (u32, u32)) {
        self.call(
            "POST",
            &self.session("/window/rect"),
            json!({ "width": width, "height": height }),
        );
    }

    pub fn type_text(&self, el: &str, text: &str) {
        self.call(
            "POST",
            &self.session(&format!("/element/{el}/value")),
            json!({ "text": text }),
        );
    }

    pub fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session("/execute/sync"),
            json!({"script": script, "args": []}),
        )
    }

    /// Runs `script` as an asynchronous WebDriver script: it calls its last
    /// argument with the result (waits up to 60 s).
    pub fn script_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session("/timeouts"),
            json!({ "script": 60_000 }),
        );
        self.call(
            "POST",
            &self.session("/execute/async"),
            json!({"script": script, "args": []}),
        )
    }

    pub fn screenshot(&self, file: &Path) {
        let b64 = self.call("GET", &self.session("/screenshot"), json!({}));
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(file, png).unwrap();
    }

    /// Waits until `script` (a JS expression) is true.
    pub fn wait_js(&self, what: &str, expr: &str) {
        let ok = wait_for(Duration::from_secs(10), || {
            self.script(&format!("return !!({expr});")) == Value::Bool(true)
        });
        assert!(ok, "timed out waiting for {what} ({expr})");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `f` every 100 ms until it is true or `limit` has passed.
pub fn wait_for(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 byte {c}"),
        }
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

impl Driver {
    /// Opens `url` at `size` and waits for the search to settle.
    pub fn open_search(&self, url: &str, size: (u32, u32)) {
        self.set_size(size);
        // A new document, so that nothing a previous step installed stays.
        self.goto("about:blank");
        self.goto(url);
        self.wait_settled();
    }

    pub fn wait_settled(&self) {
        self.wait_js(
            "the search to finish",
            "document.querySelector('#results-col').getAttribute('aria-busy') === 'false' && (document.querySelectorAll('#results .hit').length > 0 || !document.querySelector('#error').hidden || !document.querySelector('#empty').hidden)",
        );
    }

    /// Counts the page's requests to /api/search from now on (`window.searches`).
    pub fn count_searches(&self) {
        self.script(
            "window.searches = 0; const f = window.fetch; window.fetch = function (u, o) { if (String(u).startsWith('/api/search')) window.searches++; return f.call(this, u, o); }; return null;",
        );
    }

    pub fn searches(&self) -> u64 {
        self.script("return window.searches").as_u64().unwrap()
    }

    pub fn js_str(&self, expr: &str) -> String {
        let v = self.script(&format!("return String({expr});"));
        v.as_str().unwrap_or_default().to_string()
    }

    /// Empties the search box (without an input event) and types `text` into it.
    pub fn retype(&self, text: &str) -> String {
        let q = self.find("#q");
        self.script("document.querySelector('#q').value = ''; return null;");
        self.type_text(&q, text);
        q
    }
}
