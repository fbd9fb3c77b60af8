//! Shared helpers of the end-to-end tests: temp stores, running the real
//! `newsgraph` binary, a server child process on 127.0.0.1:0, and a minimal
//! HTTP/1.1 client.
//!
//! The client is a raw `TcpStream` speaking HTTP/1.1 with `Connection: close`
//! rather than a client crate: the tests need to see exactly what the server
//! sends (status, content type, a 413 written while the body is still
//! streaming), and reading to EOF needs no connection pooling or TLS.

// Each test binary (`e2e_server`, `e2e_cli`) uses its own subset of these.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// How long a server may take to print its listening line.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one HTTP exchange may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a server may take to exit after SIGTERM.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsgraph")
}

/// Starts `newsgraph ARGS...` with its standard streams piped (warnings
/// only in the log), for a test that feeds its stdin.
#[allow(dead_code)]
pub fn spawn_piped(args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting newsgraph")
}

/// The repository root (the cli crate lives in `crates/cli`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed corpus directory.
pub fn seed_dir() -> PathBuf {
    repo_root().join("seed")
}

/// The seed articles, sorted by name.
pub fn seed_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seed_dir())
        .expect("the seed directory is readable")
        .map(|e| e.expect("a seed directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "the seed corpus has five articles");
    files
}

/// The text of the seed article named `file` (a bare file name).
pub fn seed_text(file: &str) -> String {
    std::fs::read_to_string(seed_dir().join(file))
        .unwrap_or_else(|e| panic!("reading seed article {file}: {e}"))
}

/// A scratch directory that holds one test's store (and anything else the
/// test writes); removed when dropped.
pub struct Scratch {
    dir: TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("newsgraph-e2e-")
                .tempdir()
                .expect("creating a temp dir"),
        }
    }

    /// The store directory (created by the binary on first use).
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    /// A path inside the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the run exited 0.
    pub fn success(self) -> Self {
        assert!(
            self.status.success(),
            "newsgraph failed ({}):\nstdout:\n{}\nstderr:\n{}",
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// A `newsgraph` command with an environment that cannot leak in from the
/// developer's shell.
fn command() -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_remove("NEWSGRAPH_DB")
        .env_remove("NEWSGRAPH_ADDR")
        .env_remove("NEWSGRAPH_TOKEN")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    cmd
}

/// Runs the binary to completion.
pub fn newsgraph<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = command()
        .args(args)
        .output()
        .expect("running the newsgraph binary");
    Run {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Ingests the seed corpus into `db` with the `ingest` command.
pub fn ingest_seed(db: &Path) -> Run {
    newsgraph([
        OsStr::new("ingest"),
        seed_dir().as_os_str(),
        OsStr::new("--db"),
        db.as_os_str(),
    ])
    .success()
}

/// The whole graph of the store `db` as `newsgraph export --format json`
/// writes it.
pub fn export_json(db: &Path) -> String {
    newsgraph([
        OsStr::new("export"),
        OsStr::new("--format"),
        OsStr::new("json"),
        OsStr::new("--db"),
        db.as_os_str(),
    ])
    .success()
    .stdout
}

/// Runs `newsgraph query` and returns its parsed JSON (whatever the exit code).
pub fn cli_query(db: &Path, query: &str) -> (Run, Value) {
    let run = newsgraph([
        OsStr::new("query"),
        OsStr::new(query),
        OsStr::new("--db"),
        db.as_os_str(),
    ]);
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "query output is not JSON ({e}):\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    });
    (run, value)
}

/// `{ stats { documents actors relations events } }` through `newsgraph query`.
pub fn cli_stats(db: &Path) -> Value {
    let (run, v) = cli_query(db, "{ stats { documents actors relations events } }");
    assert!(run.status.success(), "stats query failed: {v}");
    v["data"]["stats"].clone()
}

/// A `newsgraph serve` child process on 127.0.0.1:0; killed when dropped.
pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `newsgraph serve --db DB --addr 127.0.0.1:0 EXTRA...` and waits
    /// for the one line that reports the bound port. Server logs go to
    /// `log` so that a failing test can show them.
    pub fn start(scratch: &Scratch, extra: &[&str]) -> Self {
        let log = scratch.path(&format!(
            "server-{}.log",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        let log_file = std::fs::File::create(&log).expect("creating the server log");
        let mut child = command()
            .arg("serve")
            .arg("--db")
            .arg(scratch.db())
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("spawning newsgraph serve");
        let stdout = child.stdout.take().expect("the server's stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining stdout after the first line so the server never
            // writes into a closed pipe.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut server = Self {
            child,
            port: 0,
            log,
        };
        let line = match rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(line) => line,
            Err(e) => panic!(
                "the server printed no listening line within {STARTUP_TIMEOUT:?} ({e}); log:\n{}",
                server.log()
            ),
        };
        server.port = parse_listening_line(&line)
            .unwrap_or_else(|| panic!("unexpected first line from the server: {line:?}"));
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// POSTs a GraphQL query and returns the response JSON (HTTP 200 expected).
    pub fn graphql(&self, query: &str) -> Value {
        graphql(self.port, query)
    }

    /// Sends SIGTERM and waits for a graceful exit.
    pub fn terminate(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -TERM failed: {status}");
        let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the server") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {SHUTDOWN_TIMEOUT:?} of SIGTERM; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already exited (terminate) or not: either way make sure it is gone.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of `newsgraph listening on http://127.0.0.1:PORT/ (GraphQL at
/// http://127.0.0.1:PORT/graphql)`, when the line has exactly that shape.
pub fn parse_listening_line(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("newsgraph listening on http://127.0.0.1:")?;
    let (port, rest) = rest.split_once('/')?;
    let port: u16 = port.parse().ok()?;
    (rest == format!(" (GraphQL at http://127.0.0.1:{port}/graphql)")).then_some(port)
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response body is not JSON ({e}); status {}: {}",
                self.status,
                self.text()
            )
        })
    }
}

/// GET `path`.
pub fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, &[], &[]).expect("GET request")
}

/// POST `body` to `path`.
pub fn post(port: u16, path: &str, content_type: &str, body: &[u8]) -> Response {
    request(port, "POST", path, &[("Content-Type", content_type)], body).expect("POST request")
}

/// POSTs `{"query": query}` to /graphql, expects HTTP 200 and returns the JSON.
pub fn graphql(port: u16, query: &str) -> Value {
    graphql_with_headers(port, query, &[])
}

/// Like [`graphql`], with extra request headers (e.g. `Authorization`).
pub fn graphql_with_headers(port: u16, query: &str, headers: &[(&str, &str)]) -> Value {
    let body = serde_json::json!({ "query": query }).to_string();
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let response = request(port, "POST", "/graphql", &all, body.as_bytes()).expect("POST request");
    assert_eq!(
        response.status,
        200,
        "POST /graphql {query:?} answered {}: {}",
        response.status,
        response.text()
    );
    response.json()
}

/// One HTTP/1.1 exchange with `Connection: close`. A failure to write the
/// whole body is not an error by itself: a server may answer (413) and close
/// before reading it all, and that answer is what the caller wants.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let mut all = vec![("Accept", "*/*")];
    all.extend_from_slice(headers);
    request_exact(port, method, path, &all, body)
}

/// Like [`request`], with no `Accept` header but those in `headers`.
pub fn request_exact(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(HTTP_TIMEOUT))?;
    stream.set_write_timeout(Some(HTTP_TIMEOUT))?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    for chunk in body.chunks(64 * 1024) {
        if stream.write_all(chunk).is_err() {
            break;
        }
    }
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        // A reset after the response arrived still leaves a usable answer.
        if raw.is_empty() {
            return Err(e);
        }
    }
    parse_response(&raw)
}

/// Parses a whole HTTP/1.1 response as read from a connection.
pub fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| bad("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest).ok_or_else(|| bad("bad chunked body"))?
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_field = std::str::from_utf8(&rest[..eol]).ok()?;
        let size = usize::from_str_radix(size_field.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// The `errors` array of a GraphQL response (empty when there is none).
pub fn errors(v: &Value) -> Vec<Value> {
    v["errors"].as_array().cloned().unwrap_or_default()
}

/// Panics with the response unless it has no errors; returns `data`.
pub fn data(v: &Value) -> &Value {
    assert!(errors(v).is_empty(), "unexpected GraphQL errors: {v}");
    &v["data"]
}

/// The nodes of a connection (`{ edges { node } }`).
pub fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Where the `dot` tool is, if Graphviz is installed.
pub fn graphviz_dot() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("dot"))
        .find(|candidate| candidate.is_file())
}

/// Renders DOT with `dot -Tsvg` and asserts that it worked; prints a SKIPPED
/// line and returns false when Graphviz is not installed.
pub fn assert_renders_with_graphviz(dot_source: &str) -> bool {
    let Some(dot) = graphviz_dot() else {
        eprintln!("SKIPPED: graphviz `dot` not installed; DOT not rendered");
        return false;
    };
    let mut child = Command::new(dot)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning dot");
    child
        .stdin
        .take()
        .expect("dot's stdin is piped")
        .write_all(dot_source.as_bytes())
        .expect("writing DOT to dot");
    let out = child.wait_with_output().expect("waiting for dot");
    assert!(
        out.status.success(),
        "dot -Tsvg failed: {}\n{dot_source}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("<svg"),
        "dot -Tsvg wrote no SVG"
    );
    true
}

/// What a run of the binary did within a time limit: `status` is None when
/// it was still running at the limit (it is then killed).
#[derive(Debug)]
pub struct TimedRun {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary for at most `limit`, killing it if it is still running
/// then (e.g. a server that was expected to refuse to start).
pub fn newsgraph_for<I, S>(args: I, limit: Duration) -> TimedRun
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = command();
    cmd.args(args);
    run_for(cmd, limit)
}

/// Runs `cmd` (its standard input left as set) for at most `limit`,
/// killing it if it is still running then, and collects its output.
pub fn run_for(mut cmd: Command, limit: Duration) -> TimedRun {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawning {cmd:?}: {e}"));
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for a child process") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    TimedRun {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Writes a corpus of `articles` .txt files into `dir`: the synthetic
/// corpus generator's articles when it is around
/// (`../shared/bench/gen_corpus.py`, with `seed`), otherwise the seed
/// articles copied under varied names with a distinct closing line each.
pub fn write_corpus(dir: &Path, articles: usize, seed: u64) {
    let generator = [
        repo_root().join("../shared/bench/gen_corpus.py"),
        PathBuf::from("/work/shared/bench/gen_corpus.py"),
    ]
    .into_iter()
    .find(|p| p.is_file());
    if let Some(generator) = generator {
        let generated = Command::new("python3")
            .arg(&generator)
            .args(["--articles", &articles.to_string()])
            .args(["--seed", &seed.to_string(), "--out"])
            .arg(dir)
            .stdout(Stdio::null())
            .status();
        if generated.is_ok_and(|s| s.success()) {
            return;
        }
        eprintln!("gen_corpus.py failed; using copies of the seed articles");
    }
    std::fs::create_dir_all(dir).expect("creating the corpus directory");
    let seeds = seed_files();
    for i in 0..articles {
        let text =
            std::fs::read_to_string(&seeds[i % seeds.len()]).expect("reading a seed article");
        let text = format!("{text}\nArchive reference {i}.\n");
        std::fs::write(dir.join(format!("copy_{i:04}.txt")), text).expect("writing an article");
    }
}
