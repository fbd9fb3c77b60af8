//! Load bench of the GraphQL API (issue 5): latency at concurrency 1 and
//! throughput at concurrency 64 for four typical questions, against the
//! release `newsgraph serve` on 127.0.0.1, over HTTP/1.1 keep-alive.
//!
//! ```sh
//! cargo bench -p newsgraph --bench load -- [--articles 100000] [--db DIR]
//!     [--requests 2000] [--seconds 60] [--concurrency 64] [--client-threads 1]
//!     [--only one_hop,two_hop_count,shortest_path,document] [--inline]
//!     [--response-cache-mb N] [--no-metrics]
//! ```
//!
//! Without `--db` the store is `target/bench-store-N`, built on first use
//! from `python3 ../shared/bench/gen_corpus.py --articles N --seed 42` with
//! the release `newsgraph ingest`. Prints one JSON line per query type:
//! p50/p99 latency over `--requests` sequential requests, then requests
//! per second (and p50/p99 under load) over `--seconds` with
//! `--concurrency` connections; every HTTP error or GraphQL `errors`
//! counts as an error. Each query type is one text with the ids as
//! variables, as front-ends send it (the server parses it once); `--inline`
//! writes the ids into the text instead, so that every request is parsed.
//! The server runs with its default response cache unless
//! `--response-cache-mb` says otherwise (0: none); each line says how many
//! requests of each phase the cache answered (`cache_hits`), since a
//! repeated question costs a fraction of a new one. `--no-metrics` serves
//! without counting anything for `/metrics`, to measure what counting
//! costs. The client is
//! deliberately small (a hand-written
//! HTTP/1.1 client on one thread by default) so that it takes little of
//! the CPU it shares with the server.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The issue's targets, reported beside the figures.
const TARGET_RPS: f64 = 20_000.0;

/// The question types: name, issue target for p50 at concurrency 1 (ms).
const QUERIES: [(&str, f64); 4] = [
    ("one_hop", 0.25),
    ("two_hop_count", 2.0),
    ("shortest_path", 0.1),
    ("document", 0.3),
];

/// Bodies prepared per query type, cycled through by the clients.
const BODIES: usize = 4096;

struct Options {
    articles: usize,
    db: Option<PathBuf>,
    requests: usize,
    seconds: u64,
    concurrency: usize,
    client_threads: usize,
    only: Option<Vec<String>>,
    inline: bool,
    /// `--response-cache-mb` for the server (None: its default).
    response_cache_mb: Option<usize>,
    /// `serve --no-metrics`.
    no_metrics: bool,
}

fn parse_options() -> Result<Options> {
    let mut options = Options {
        articles: 100_000,
        db: None,
        requests: 2_000,
        seconds: 60,
        concurrency: 64,
        client_threads: 1,
        only: None,
        inline: false,
        response_cache_mb: None,
        no_metrics: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            // `cargo bench` passes this to every bench binary.
            "--bench" => {}
            "--articles" => options.articles = value("--articles")?.parse()?,
            "--db" => options.db = Some(PathBuf::from(value("--db")?)),
            "--requests" => options.requests = value("--requests")?.parse()?,
            "--seconds" => options.seconds = value("--seconds")?.parse()?,
            "--concurrency" => options.concurrency = value("--concurrency")?.parse()?,
            "--client-threads" => options.client_threads = value("--client-threads")?.parse()?,
            "--inline" => options.inline = true,
            "--no-metrics" => options.no_metrics = true,
            "--response-cache-mb" => {
                options.response_cache_mb = Some(value("--response-cache-mb")?.parse()?)
            }
            "--only" => {
                options.only = Some(value("--only")?.split(',').map(str::to_owned).collect())
            }
            other => bail!("unknown argument '{other}' (see the doc comment of benches/load.rs)"),
        }
    }
    if options.requests == 0 || options.concurrency == 0 || options.client_threads == 0 {
        bail!("--requests, --concurrency and --client-threads must be positive");
    }
    Ok(options)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn newsgraph_bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsgraph")
}

/// The store to serve: `--db`, or `target/bench-store-N`, built if missing.
fn store_path(options: &Options) -> Result<PathBuf> {
    if let Some(db) = &options.db {
        return Ok(db.clone());
    }
    let target = repo_root().join("target");
    let store = target.join(format!("bench-store-{}", options.articles));
    if store.exists() {
        eprintln!("load: using the existing store {}", store.display());
        return Ok(store);
    }
    let corpus = target.join(format!("bench-corpus-{}", options.articles));
    if !corpus.exists() {
        eprintln!(
            "load: generating {} articles into {}",
            options.articles,
            corpus.display()
        );
        let generator = repo_root().join("../shared/bench/gen_corpus.py");
        let status = Command::new("python3")
            .arg(&generator)
            .args([
                "--articles",
                &options.articles.to_string(),
                "--seed",
                "42",
                "--out",
            ])
            .arg(&corpus)
            .status()
            .with_context(|| format!("running {}", generator.display()))?;
        if !status.success() {
            bail!("gen_corpus.py failed: {status}");
        }
    }
    eprintln!(
        "load: ingesting {} into {}",
        corpus.display(),
        store.display()
    );
    let started = Instant::now();
    let status = Command::new(newsgraph_bin())
        .arg("ingest")
        .arg(&corpus)
        .arg("--db")
        .arg(&store)
        .stdout(Stdio::null())
        .status()
        .context("running newsgraph ingest")?;
    if !status.success() {
        bail!("newsgraph ingest failed: {status}");
    }
    eprintln!("load: ingested in {:.1} s", started.elapsed().as_secs_f64());
    Ok(store)
}

/// The server child process; killed when dropped.
struct ServerProcess {
    child: Child,
    port: u16,
}

impl ServerProcess {
    fn start(store: &Path, response_cache_mb: Option<usize>, no_metrics: bool) -> Result<Self> {
        let mut command = Command::new(newsgraph_bin());
        command
            .arg("serve")
            .arg("--db")
            .arg(store)
            .args(["--addr", "127.0.0.1:0", "--read-only"]);
        if let Some(mb) = response_cache_mb {
            command.args(["--response-cache-mb", &mb.to_string()]);
        }
        if no_metrics {
            command.arg("--no-metrics");
        }
        let mut child = command
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("spawning newsgraph serve")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let mut lines = std::io::BufReader::new(stdout).lines();
        let line = lines
            .next()
            .context("the server exited before listening")??;
        // Keep draining so the server never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let port = line
            .strip_prefix("newsgraph listening on http://127.0.0.1:")
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("unexpected first line from the server: {line:?}"))?;
        Ok(Self { child, port })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) a process has used so far, from
/// `/proc/PID/stat` (None where there is no procfs): dividing the server's
/// CPU by the requests gives a cost per request that other processes on
/// the machine do not distort as they distort requests per second.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name (which may hold spaces) in ")".
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks / 100.0)
}

/// A minimal HTTP/1.1 keep-alive client for POST /graphql.
struct Client {
    stream: BufReader<TcpStream>,
    head: String,
    line: String,
    body: Vec<u8>,
}

impl Client {
    async fn connect(port: u16) -> Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
            head: format!(
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            ),
            line: String::new(),
            body: Vec::new(),
        })
    }

    /// POSTs a body; Ok(true) when the answer is HTTP 200 without GraphQL
    /// errors.
    async fn post(&mut self, body: &[u8]) -> Result<bool> {
        let mut request = Vec::with_capacity(self.head.len() + 32 + body.len());
        request.extend_from_slice(self.head.as_bytes());
        request.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        request.extend_from_slice(body);
        self.stream.get_mut().write_all(&request).await?;

        self.line.clear();
        self.stream.read_line(&mut self.line).await?;
        let status: u16 = self
            .line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {:?}", self.line))?;
        let mut length = None;
        loop {
            self.line.clear();
            if self.stream.read_line(&mut self.line).await? == 0 {
                bail!("the server closed the connection");
            }
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let length = length.context("a response without Content-Length")?;
        self.body.resize(length, 0);
        self.stream.read_exact(&mut self.body).await?;
        let has_errors = self.body.windows(10).any(|w| w == b"\"errors\":[");
        Ok(status == 200 && self.body.starts_with(b"{\"data\":") && !has_errors)
    }
}

/// Requests the server's response cache has answered so far (0 without
/// a cache), from /healthz.
async fn cache_hits(port: u16) -> Result<u64> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let answer = String::from_utf8_lossy(&answer);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let health: Value = serde_json::from_str(body).context("/healthz is not JSON")?;
    Ok(health["response_cache"]["hits"].as_u64().unwrap_or(0))
}

/// One GraphQL request over a fresh connection, parsed.
async fn ask(port: u16, query: &str) -> Result<Value> {
    let mut client = Client::connect(port).await?;
    if !client
        .post(json!({ "query": query }).to_string().as_bytes())
        .await?
    {
        bail!(
            "query failed: {query}: {}",
            String::from_utf8_lossy(&client.body)
        );
    }
    Ok(serde_json::from_slice::<Value>(&client.body)?["data"].take())
}

/// A small deterministic generator (xorshift64*), for reproducible picks.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
}

/// Request bodies for one query type over random actors / documents.
///
/// By default each query type is one fixed text with the ids passed as
/// variables, as a front-end (and the Explorer) sends them; with `inline`
/// the ids are written into the text, so that every request is a text the
/// server has not parsed before.
fn bodies(
    kind: &str,
    actors: &[String],
    documents: &[String],
    rng: &mut Rng,
    inline: bool,
) -> Vec<Arc<[u8]>> {
    let text = match kind {
        "one_hop" => "query($a: ID!) { actor(id: $a) { relations(first: 50) { nodes { id kind subject { name } object { name } } } } }",
        "two_hop_count" => "query($a: String!) { neighborhood(actor: $a, depth: 2) { actorCount } }",
        "shortest_path" => "query($a: String!, $b: String!) { shortestPath(from: $a, to: $b, maxHops: 6) { length relations { id } } }",
        _ => "query($d: ID!) { document(id: $d) { relations { nodes { id kind } } } }",
    };
    (0..BODIES)
        .map(|_| {
            let variables = match kind {
                "shortest_path" => json!({ "a": rng.pick(actors), "b": rng.pick(actors) }),
                "document" => json!({ "d": rng.pick(documents) }),
                _ => json!({ "a": rng.pick(actors) }),
            };
            let body = if inline {
                json!({ "query": inline_variables(text, &variables) })
            } else {
                json!({ "query": text, "variables": variables })
            };
            Arc::from(body.to_string().into_bytes())
        })
        .collect()
}

/// `text` without its variable definitions, each `$name` replaced by its
/// value as a string literal.
fn inline_variables(text: &str, variables: &Value) -> String {
    let body = text.find(") {").map_or(text, |end| &text[end + 2..]);
    let mut out = body.to_owned();
    if let Some(map) = variables.as_object() {
        for (name, value) in map {
            out = out.replace(&format!("${name}"), &value.to_string());
        }
    }
    out
}

/// Milliseconds at a percentile of sorted microsecond samples.
fn percentile_ms(sorted_micros: &[u32], percent: usize) -> f64 {
    if sorted_micros.is_empty() {
        return f64::NAN;
    }
    let index = (sorted_micros.len() * percent / 100).min(sorted_micros.len() - 1);
    f64::from(sorted_micros[index]) / 1000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Sequential requests on one connection: (sorted latencies in µs, errors).
async fn sequential(port: u16, bodies: &[Arc<[u8]>], requests: usize) -> Result<(Vec<u32>, usize)> {
    let mut client = Client::connect(port).await?;
    // Warm up caches and the connection.
    for body in bodies.iter().cycle().take(200) {
        client.post(body).await?;
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for body in bodies.iter().cycle().skip(200).take(requests) {
        let started = Instant::now();
        let ok = client.post(body).await.unwrap_or(false);
        latencies.push(started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        if !ok {
            errors += 1;
            client = Client::connect(port).await?;
        }
    }
    latencies.sort_unstable();
    Ok((latencies, errors))
}

/// `concurrency` connections for `seconds`: (completed requests, errors,
/// sorted latencies in µs, elapsed seconds).
async fn concurrent(
    port: u16,
    bodies: Arc<Vec<Arc<[u8]>>>,
    concurrency: usize,
    seconds: u64,
) -> Result<(usize, usize, Vec<u32>, f64)> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::with_capacity(concurrency);
    for worker in 0..concurrency {
        let bodies = bodies.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::new();
            let mut errors = 0usize;
            let mut client = match Client::connect(port).await {
                Ok(c) => c,
                Err(_) => return (0usize, 1usize, latencies),
            };
            let mut i = worker * 97;
            while Instant::now() < deadline {
                let body = &bodies[i % bodies.len()];
                i += 1;
                let sent = Instant::now();
                let ok = client.post(body).await.unwrap_or(false);
                latencies.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                if !ok {
                    errors += 1;
                    match Client::connect(port).await {
                        Ok(c) => client = c,
                        Err(_) => break,
                    }
                }
            }
            (latencies.len(), errors, latencies)
        }));
    }
    let (mut done, mut errors, mut all) = (0, 0, Vec::new());
    for task in tasks {
        let (n, e, latencies) = task.await?;
        done += n;
        errors += e;
        all.extend(latencies);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    Ok((done, errors, all, elapsed))
}

fn main() -> Result<()> {
    let options = parse_options()?;
    let store = store_path(&options)?;
    let server = ServerProcess::start(&store, options.response_cache_mb, options.no_metrics)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.client_threads)
        .enable_all()
        .build()?;
    runtime.block_on(run(&options, &store, server.port, server.child.id()))
}

async fn run(options: &Options, store: &Path, port: u16, server_pid: u32) -> Result<()> {
    let stats = ask(port, "{ stats { documents actors relations events } }").await?["stats"].take();
    let actors: Vec<String> = ask(port, "{ actors(first: 1000) { nodes { id } } }").await?
        ["actors"]["nodes"]
        .as_array()
        .context("actors")?
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect();
    let documents: Vec<String> = ask(port, "{ documents(first: 1000) { nodes { id } } }").await?
        ["documents"]["nodes"]
        .as_array()
        .context("documents")?
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect();
    if actors.is_empty() || documents.is_empty() {
        bail!("the store {} is empty", store.display());
    }
    eprintln!(
        "load: store {} ({stats}); {} requests at concurrency 1, {} s at concurrency {} per query",
        store.display(),
        options.requests,
        options.seconds,
        options.concurrency
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (kind, target_p50) in QUERIES {
        if options
            .only
            .as_ref()
            .is_some_and(|only| !only.iter().any(|o| o == kind))
        {
            continue;
        }
        let bodies = Arc::new(bodies(kind, &actors, &documents, &mut rng, options.inline));
        let hits_before = cache_hits(port).await?;
        let (latencies, errors_c1) = sequential(port, &bodies, options.requests).await?;
        let hits_c1 = cache_hits(port).await?;
        let cpu_before = (cpu_seconds(server_pid), cpu_seconds(std::process::id()));
        let (done, errors_cn, loaded, elapsed) =
            concurrent(port, bodies.clone(), options.concurrency, options.seconds).await?;
        let cpu_after = (cpu_seconds(server_pid), cpu_seconds(std::process::id()));
        let hits_cn = cache_hits(port).await?;
        let per_request_us = |before: Option<f64>, after: Option<f64>| {
            before
                .zip(after)
                .map(|(b, a)| ((a - b) / done.max(1) as f64 * 1e6).round())
        };
        let rps = done as f64 / elapsed;
        let p50 = percentile_ms(&latencies, 50);
        let line = json!({
            "bench": "load",
            "query": kind,
            "ids": if options.inline { "inline" } else { "variables" },
            "response_cache_mb": options.response_cache_mb,
            "metrics": !options.no_metrics,
            "store": { "path": store.display().to_string(), "stats": stats },
            "c1": {
                "requests": latencies.len(),
                "p50_ms": round3(p50),
                "p99_ms": round3(percentile_ms(&latencies, 99)),
                "mean_ms": round3(latencies.iter().map(|&l| f64::from(l)).sum::<f64>() / latencies.len().max(1) as f64 / 1000.0),
                "errors": errors_c1,
                // Warm-up requests included.
                "cache_hits": hits_c1 - hits_before,
            },
            "load": {
                "concurrency": options.concurrency,
                "seconds": round3(elapsed),
                "requests": done,
                "rps": rps.round(),
                "p50_ms": round3(percentile_ms(&loaded, 50)),
                "p99_ms": round3(percentile_ms(&loaded, 99)),
                "errors": errors_cn,
                "cache_hits": hits_cn - hits_c1,
                "server_cpu_us_per_request": per_request_us(cpu_before.0, cpu_after.0),
                "client_cpu_us_per_request": per_request_us(cpu_before.1, cpu_after.1),
            },
            "targets": {
                "p50_ms": target_p50,
                "rps": TARGET_RPS,
                "p50_met": p50 <= target_p50,
                "rps_met": rps >= TARGET_RPS,
                "zero_errors": errors_c1 + errors_cn == 0,
            },
        });
        println!("{line}");
    }
    Ok(())
}
