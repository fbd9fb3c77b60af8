//! A minimal W3C WebDriver client for the browser tests: `chromedriver` as a
//! child process on a free 127.0.0.1 port, headless Chromium behind it, and
//! the handful of commands the tests use, spoken as plain HTTP/JSON.
//!
//! Why not a crate (fantoccini, thirtyfour): they pull an async HTTP stack
//! and TLS into the dev-dependencies for a dozen JSON requests to loopback.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long chromedriver may take to answer /status.
const DRIVER_STARTUP: Duration = Duration::from_secs(20);
/// How long one WebDriver command may take (a session start launches Chromium).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// WebDriver key codes (the spec's "keyboard actions" table).
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const ARROW_UP: &str = "\u{E013}";
}

/// Whether Chromium and chromedriver are installed where Debian puts them.
pub fn available() -> bool {
    Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file()
}

/// A chromedriver child process; killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Driver {
    /// Starts chromedriver on a free loopback port and waits until it is ready.
    pub fn start(log: PathBuf) -> Self {
        let port = free_port();
        let log_file = std::fs::File::create(&log).expect("creating the chromedriver log");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("cloning the log handle"))
            .stderr(log_file)
            .spawn()
            .expect("spawning chromedriver");
        let driver = Self { child, port, log };
        let deadline = Instant::now() + DRIVER_STARTUP;
        loop {
            if call(port, "GET", "/status", None).is_ok_and(|v| v["ready"] == true) {
                return driver;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver was not ready within {DRIVER_STARTUP:?}; log:\n{}",
                driver.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A new headless Chromium session with its own profile directory.
    pub fn session(&self, profile: &Path, width: u32, height: u32) -> Session {
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        format!("--window-size={width},{height}"),
                        format!("--user-data-dir={}", profile.display()),
                    ],
                },
            } }
        });
        let value = call(self.port, "POST", "/session", Some(&capabilities))
            .unwrap_or_else(|e| panic!("cannot start a browser session: {e}\n{}", self.log()));
        let id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {value}"))
            .to_owned();
        Session {
            port: self.port,
            id,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("finding a free port")
}

/// One WebDriver command; returns its `value`, or the WebDriver error as text.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let payload = body.map(Value::to_string).unwrap_or_default();
    let (status, body) =
        exchange(port, method, path, &payload).map_err(|e| format!("{method} {path}: {e}"))?;
    let json: Value = serde_json::from_slice(&body).map_err(|e| {
        format!(
            "{method} {path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    })?;
    if status == 200 {
        Ok(json["value"].clone())
    } else {
        Err(format!(
            "{method} {path} -> {status}: {} {}",
            json["value"]["error"], json["value"]["message"]
        ))
    }
}

/// One HTTP/1.1 exchange with chromedriver. Unlike the common client this
/// reads exactly `Content-Length` bytes: chromedriver keeps the connection
/// open after answering, so reading to EOF would wait for a timeout.
fn exchange(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(COMMAND_TIMEOUT))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok((status, body))
}

/// A browser session; deleted (the browser quits) when dropped.
pub struct Session {
    port: u16,
    id: String,
}

/// The key the spec uses for element references in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Session {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.id);
        call(self.port, method, &path, body.as_ref()).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn current_url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The first element matching a CSS selector, if any.
    pub fn find(&self, css: &str) -> Option<String> {
        let path = format!("/session/{}/element", self.id);
        let body = json!({ "using": "css selector", "value": css });
        call(self.port, "POST", &path, Some(&body))
            .ok()
            .and_then(|v| v[ELEMENT].as_str().map(str::to_owned))
    }

    /// Waits for an element matching `css`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(id) = self.find(css) {
                return id;
            }
            assert!(
                Instant::now() < deadline,
                "no element matches {css:?} after {timeout:?}; page text:\n{}",
                self.text_of("body")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls `script` (which returns a value) until `done` accepts it.
    pub fn wait_until(
        &self,
        what: &str,
        script: &str,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.js(script, vec![]);
            if done(&value) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {timeout:?} waiting for {what}; last value {value}; page text:\n{}",
                self.text_of("body")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The rendered text of the first element matching `css` ("" if none).
    pub fn text_of(&self, css: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
            vec![json!(css)],
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub fn click(&self, element: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// Types `text` into an element (WebDriver key codes allowed).
    pub fn type_into(&self, element: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn clear(&self, element: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
    }

    /// Sets the viewport through Chrome's DevTools protocol, so that the
    /// page sees exactly `width`×`height` CSS pixels (a window size would
    /// include browser chrome).
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": { "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile },
            })),
        );
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) {
        let value = self.cmd("GET", "/screenshot", None);
        let png = base64_decode(value.as_str().expect("screenshot is base64 text"));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("creating the artefact directory");
        }
        std::fs::write(path, png).expect("writing the screenshot");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

/// Standard base64 (with padding, whitespace ignored), for screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", c as char),
        }
    }
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes_with_and_without_padding() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGVsbG8h"), b"hello!");
    assert_eq!(base64_decode("aGk="), b"hi");
}
