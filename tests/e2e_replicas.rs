//! Read replicas behind HAProxy (README "Read replicas"): read-only
//! `serve` processes, each on its own store restored from one backup,
//! balanced by HAProxy with the shipped `deploy/haproxy/haproxy.cfg`, and
//! `deploy/replicas.sh`, which restores and starts them. The HAProxy test
//! is skipped with a message when HAProxy is not installed.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{data, errors, newsgraph, Scratch, Server};
use serde_json::Value;

/// How long HAProxy, a health check or the replica script may take to get
/// where a test waits for it (a bound against hanging, not a measurement).
const WAIT_LIMIT: Duration = Duration::from_secs(30);

/// Questions about the seed whose answers hold names, sentences and counts,
/// so that a wrong or empty answer cannot pass for the right one.
const QUERIES: [&str; 4] = [
    "{ stats { documents actors relations events } }",
    "{ relations(kind: REQUESTED, first: 10) { totalCount edges { node { subject { name } object { name } evidence { sentence } } } } }",
    "{ actor(name: \"Vucic\") { name aliases statements(first: 5) { nodes { quote document { title } } } } }",
    "{ shortestPath(from: \"United States\", to: \"Kosovo\", maxHops: 4) { length relations { subject { name } kind object { name } } } }",
];

#[test]
fn replicas_behind_haproxy_answer_every_query_after_one_dies_and_refuse_mutations() {
    let Some(haproxy) = haproxy_binary() else {
        eprintln!("skipping: haproxy not installed (apt-get install haproxy)");
        return;
    };

    // Given one backup of the seed, restored into two fresh stores, each
    // served by a read-only replica
    let primary = Scratch::new();
    let backup = seed_backup(&primary);
    let (store1, store2) = (Scratch::new(), Scratch::new());
    restore(&backup, &store1.db());
    restore(&backup, &store2.db());
    let replica1 = Server::start(&store1, &["--read-only"]);
    let replica2 = Server::start(&store2, &["--read-only"]);
    let expected = answers_of(&replica1);
    assert_eq!(answers_of(&replica2), expected, "the replicas disagree");
    assert_eq!(expected[0]["stats"]["documents"], 5, "{}", expected[0]);
    assert!(expected[1]["relations"]["totalCount"].as_u64() > Some(0));
    assert_eq!(expected[2]["actor"]["name"], "Aleksandar Vucic");
    assert!(expected[3]["shortestPath"]["length"].as_u64() > Some(0));

    // And HAProxy in front of them, with the shipped configuration (its
    // ports replaced, its health-check timing kept)
    let balancer = Haproxy::start(
        &haproxy,
        &primary,
        free_port(),
        &[replica1.port(), replica2.port()],
    );
    balancer.wait_until_checks_pass(&["r1", "r2"]);

    // When queries go through it
    let before = [graphql_requests(&replica1), graphql_requests(&replica2)];
    for i in 0..20 {
        let query = QUERIES[i % QUERIES.len()];
        // Then each is answered as a replica answers it directly
        let answer = common::graphql(balancer.port, query);
        assert_eq!(data(&answer), &expected[i % QUERIES.len()], "{query}");
    }
    // And both replicas answered some of them
    for (replica, before) in [&replica1, &replica2].into_iter().zip(before) {
        assert!(
            graphql_requests(replica) > before,
            "replica on port {} answered none of the queries",
            replica.port()
        );
    }

    // When one replica dies (SIGKILL: dropping a Server kills it) and the
    // next queries follow at once, most of them before a health check (1 s
    // apart, two failures) can notice
    drop(replica1);
    for i in 0..50 {
        let query = QUERIES[i % QUERIES.len()];
        // Then every one is still answered, and rightly: a query sent to
        // the dead replica is retried on the live one
        let answer = common::graphql(balancer.port, query);
        assert_eq!(data(&answer), &expected[i % QUERIES.len()], "{query}");
    }
    // And once the health checks take the dead replica out of the pool,
    // queries are still answered
    balancer.wait_for_status("r1", "DOWN");
    assert_eq!(balancer.server_stat("r2", "status"), "UP");
    for (query, expected) in QUERIES.iter().zip(&expected) {
        assert_eq!(data(&common::graphql(balancer.port, query)), expected);
    }

    // When mutations are sent through the balancer
    let document_id = data(&common::graphql(
        balancer.port,
        "{ documents(first: 1) { nodes { id } } }",
    ))["documents"]["nodes"][0]["id"]
        .as_str()
        .expect("a document id")
        .to_owned();
    let mutations = [
        "mutation { ingestArticle(file: \"new.txt\", text: \"President Lena Marsh urged Germany to lift the sanctions.\") { outcome } }".to_owned(),
        format!("mutation {{ deleteDocument(id: \"{document_id}\") {{ deleted }} }}"),
    ];
    for mutation in &mutations {
        // Then each is refused
        let answer = common::graphql(balancer.port, mutation);
        let errors = errors(&answer);
        assert_eq!(errors.len(), 1, "{answer}");
        assert_eq!(errors[0]["extensions"]["code"], "UNAUTHORIZED", "{answer}");
        assert_eq!(errors[0]["message"], "this server is read-only", "{answer}");
        assert!(answer["data"].is_null(), "{answer}");
    }
    // And the graph is unchanged
    assert_eq!(
        data(&common::graphql(balancer.port, QUERIES[0])),
        &expected[0]
    );
}

#[test]
fn replicas_script_restores_fresh_stores_serves_them_and_stops_them() {
    // Given a backup of the seed
    let scratch = Scratch::new();
    let backup = seed_backup(&scratch);
    let stores = scratch.path("replicas");
    let base_port = two_free_ports();

    // When deploy/replicas.sh starts two replicas of it
    let script = ReplicaScript::start(&backup, &stores, base_port);

    // Then each listens on its port, read-only, on its own restored store
    let ports = script.listening_ports(2);
    assert_eq!(ports, [base_port, base_port + 1]);
    for &port in &ports {
        let stats = common::graphql(port, QUERIES[0]);
        assert_eq!(data(&stats)["stats"]["documents"], 5, "{stats}");
        let refused = common::graphql(
            port,
            "mutation { ingestArticle(file: \"x.txt\", text: \"Serbia urged KFOR to act.\") { outcome } }",
        );
        assert_eq!(errors(&refused)[0]["message"], "this server is read-only");
        assert!(stores.join(format!("seed-{port}")).is_dir());
    }

    // When it is asked for replicas whose stores already exist
    let again = Command::new("bash")
        .arg(common::repo_root().join("deploy/replicas.sh"))
        .arg(&backup)
        .args(["2", &base_port.to_string()])
        .env("NEWSGRAPH", common::bin())
        .env("REPLICAS_DIR", &stores)
        .stdin(Stdio::null())
        .output()
        .expect("running deploy/replicas.sh");
    // Then it refuses, and says why
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success(), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");

    // When the script gets SIGTERM
    let status = script.terminate();
    // Then it stops both replicas before it exits
    assert_eq!(status.code(), Some(143), "{status}");
    for port in ports {
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "a replica still listens on port {port}"
        );
    }
}

/// Ingests the seed into `scratch`'s store and backs it up; returns the dump.
fn seed_backup(scratch: &Scratch) -> PathBuf {
    common::ingest_seed(&scratch.db());
    let backup = scratch.path("seed.ngbackup");
    newsgraph([
        OsStr::new("backup"),
        OsStr::new("--db"),
        scratch.db().as_os_str(),
        OsStr::new("-o"),
        backup.as_os_str(),
    ])
    .success();
    backup
}

fn restore(backup: &Path, db: &Path) {
    newsgraph([
        OsStr::new("restore"),
        backup.as_os_str(),
        OsStr::new("--db"),
        db.as_os_str(),
    ])
    .success();
}

/// The `data` of each of [`QUERIES`], asked of `replica` directly.
fn answers_of(replica: &Server) -> Vec<Value> {
    QUERIES
        .iter()
        .map(|query| data(&replica.graphql(query)).clone())
        .collect()
}

/// How many GraphQL requests `replica` has answered: every JSON request is
/// a hit or a miss of its response cache, which `/healthz` counts.
fn graphql_requests(replica: &Server) -> u64 {
    let health = common::get(replica.port(), "/healthz").json();
    let cache = &health["response_cache"];
    cache["hits"].as_u64().expect("hits in /healthz") + cache["misses"].as_u64().expect("misses")
}

/// HAProxy's binary: on PATH, or where Debian installs it (`/usr/sbin` is
/// not on every user's PATH).
fn haproxy_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("haproxy"))
        .find(|candidate| candidate.is_file())
}

/// A port nothing listens on now. HAProxy cannot bind port 0 and report
/// it, so the test picks the port: bind it, read it, let it go.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    listener.local_addr().expect("the bound address").port()
}

/// A port `p` such that `p` and `p + 1` are both free now.
fn two_free_ports() -> u16 {
    for _ in 0..100 {
        let first = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let port = first.local_addr().expect("the bound address").port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("found no two consecutive free ports");
}

/// `deploy/haproxy/haproxy.cfg` with the test's ports, preceded by a
/// `global` section of the test's own (a runtime API socket in `dir`,
/// instead of Debian's chroot, user and syslog).
fn haproxy_config(dir: &Scratch, balancer: u16, replicas: &[u16; 2]) -> String {
    let shipped = std::fs::read_to_string(common::repo_root().join("deploy/haproxy/haproxy.cfg"))
        .expect("reading deploy/haproxy/haproxy.cfg");
    let mut config = shipped;
    for (from, to) in [
        (
            "bind 127.0.0.1:8080".to_owned(),
            format!("bind 127.0.0.1:{balancer}"),
        ),
        (
            "server r1 127.0.0.1:8001".to_owned(),
            format!("server r1 127.0.0.1:{}", replicas[0]),
        ),
        (
            "server r2 127.0.0.1:8002".to_owned(),
            format!("server r2 127.0.0.1:{}", replicas[1]),
        ),
    ] {
        assert_eq!(
            config.matches(&from).count(),
            1,
            "deploy/haproxy/haproxy.cfg should hold `{from}` once: keep this test in step with it"
        );
        config = config.replace(&from, &to);
    }
    format!(
        "global\n    stats socket {} mode 600 level admin\n\n{config}",
        dir.path("haproxy.sock").display()
    )
}

/// An HAProxy child process in the foreground (`-db`); killed when dropped.
struct Haproxy {
    child: Child,
    port: u16,
    socket: PathBuf,
    log: PathBuf,
}

impl Haproxy {
    /// Starts HAProxy on 127.0.0.1:`port` in front of `replicas` and waits
    /// until it answers `/healthz` through them.
    fn start(binary: &Path, scratch: &Scratch, port: u16, replicas: &[u16; 2]) -> Self {
        let config = scratch.path("haproxy.cfg");
        std::fs::write(&config, haproxy_config(scratch, port, replicas))
            .expect("writing the HAProxy configuration");
        let log = scratch.path("haproxy.log");
        let log_file = std::fs::File::create(&log).expect("creating the HAProxy log");
        let child = Command::new(binary)
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("the HAProxy log"))
            .stderr(log_file)
            .spawn()
            .expect("starting haproxy");
        let haproxy = Self {
            child,
            port,
            socket: scratch.path("haproxy.sock"),
            log,
        };
        haproxy.wait_until("it answers /healthz", |haproxy| {
            common::request(haproxy.port, "GET", "/healthz", &[], &[])
                .is_ok_and(|response| response.status == 200)
        });
        haproxy
    }

    /// Waits until the health checks of every server in `servers` have
    /// passed (their last check answered as `http-check expect` wants).
    fn wait_until_checks_pass(&self, servers: &[&str]) {
        for server in servers {
            self.wait_until(&format!("server {server}'s health check passes"), |h| {
                h.server_stat(server, "check_status") == "L7OK"
            });
        }
    }

    /// Waits until HAProxy reports `server` with `status` (UP, DOWN...).
    fn wait_for_status(&self, server: &str, status: &str) {
        self.wait_until(&format!("server {server} is {status}"), |haproxy| {
            haproxy.server_stat(server, "status") == status
        });
    }

    fn wait_until(&self, what: &str, done: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + WAIT_LIMIT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "waited {WAIT_LIMIT:?} for HAProxy: {what}; its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One column of `show stat` (the runtime API) for a server of the
    /// `replicas` backend; empty while HAProxy cannot tell.
    fn server_stat(&self, server: &str, column: &str) -> String {
        let Ok(mut socket) = UnixStream::connect(&self.socket) else {
            return String::new();
        };
        let mut csv = String::new();
        if socket.write_all(b"show stat\n").is_err() || socket.read_to_string(&mut csv).is_err() {
            return String::new();
        }
        let mut lines = csv.lines();
        let header: Vec<&str> = lines
            .next()
            .and_then(|line| line.strip_prefix("# "))
            .map(|line| line.split(',').collect())
            .unwrap_or_default();
        let Some(index) = header.iter().position(|name| *name == column) else {
            return String::new();
        };
        lines
            .map(|line| line.split(',').collect::<Vec<_>>())
            .find(|fields| fields.first() == Some(&"replicas") && fields.get(1) == Some(&server))
            .and_then(|fields| fields.get(index).map(|field| (*field).to_owned()))
            .unwrap_or_default()
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `deploy/replicas.sh` running in a process group of its own, so that a
/// failing test can stop the script and its replicas together.
struct ReplicaScript {
    child: Child,
    lines: mpsc::Receiver<String>,
    log: PathBuf,
}

impl ReplicaScript {
    fn start(backup: &Path, stores: &Path, base_port: u16) -> Self {
        let log = stores.with_extension("log");
        let log_file = std::fs::File::create(&log).expect("creating the script's log");
        let mut child = Command::new("bash")
            .arg(common::repo_root().join("deploy/replicas.sh"))
            .arg(backup)
            .args(["2", &base_port.to_string()])
            .env("NEWSGRAPH", common::bin())
            .env("REPLICAS_DIR", stores)
            .env("RUST_LOG", "warn")
            .env_remove("NEWSGRAPH_DB")
            .env_remove("NEWSGRAPH_ADDR")
            .env_remove("NEWSGRAPH_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .process_group(0)
            .spawn()
            .expect("starting deploy/replicas.sh");
        let stdout = child.stdout.take().expect("the script's stdout is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        Self { child, lines, log }
    }

    /// The ports of the first `count` listening lines the replicas print.
    fn listening_ports(&self, count: usize) -> Vec<u16> {
        let deadline = Instant::now() + WAIT_LIMIT;
        let mut ports = Vec::new();
        while ports.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|e| {
                panic!(
                    "{} of {count} replicas listening after {WAIT_LIMIT:?} ({e}); log:\n{}",
                    ports.len(),
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                )
            });
            let port = common::parse_listening_line(&line)
                .unwrap_or_else(|| panic!("unexpected line from a replica: {line:?}"));
            ports.push(port);
        }
        ports.sort_unstable();
        ports
    }

    /// Sends SIGTERM to the script alone and waits for it to exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        signal(&format!("{}", self.child.id()), "TERM");
        let deadline = Instant::now() + WAIT_LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the script") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the script did not exit within {WAIT_LIMIT:?} of SIGTERM; log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ReplicaScript {
    fn drop(&mut self) {
        // The whole group, replicas included, whatever state a failed
        // check left it in (after `terminate` the group is already gone).
        signal(&format!("-{}", self.child.id()), "KILL");
        let _ = self.child.wait();
    }
}

/// `kill -SIGNAL TARGET` (a pid, or `-PGID` for a process group).
fn signal(target: &str, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg("--")
        .arg(target)
        .stderr(Stdio::null())
        .status();
}
