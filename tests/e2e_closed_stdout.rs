//! Regression: a command whose standard output is a pipe that its reader
//! has already closed (`newsgraph ingest DIR -q | head -0`) panicked with
//! "failed printing to stdout: Broken pipe" and a backtrace. A closed
//! output now ends the printing quietly, as `cat | head` does: the command
//! still does all its work (an ingest stores every article), and the exit
//! code is the one that work gives, 0 when it succeeded.
//!
//! Each run here gets a pipe whose read end is dropped before the binary
//! starts, so that its very first write to standard output fails.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{cli_stats, newsgraph, Scratch};

/// Two short invented articles, as ingest reads them (headline first).
const ARTICLES: [(&str, &str); 2] = [
    (
        "harbour-strike.txt",
        "Dockworkers End Strike at Port Halden\n\n\
         The Halden Dockworkers Union said on Tuesday that its members would \
         return to work after a three-week strike. Union leader Maren Okafor \
         told reporters that the agreement \"protects every job on the quay\". \
         The port authority rejected claims that ships had been diverted to \
         other harbours.\n",
    ),
    (
        "library-budget.txt",
        "Council Approves Library Budget\n\n\
         Mayor Tomas Reyes urged the city council to fund two new libraries. \
         Councillor Ida Brandt said the plan was too expensive, but the council \
         approved it by seven votes to four on Monday.\n",
    ),
];

/// Writes [`ARTICLES`] into a fresh directory of `scratch`.
fn articles(scratch: &Scratch) -> PathBuf {
    let dir = scratch.path("articles");
    std::fs::create_dir_all(&dir).expect("creating the articles directory");
    for (name, text) in ARTICLES {
        std::fs::write(dir.join(name), text).expect("writing an article");
    }
    dir
}

/// A `newsgraph ARGS...` command with a clean environment and no input.
fn command<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(args)
        .env_remove("NEWSGRAPH_DB")
        .env_remove("NEWSGRAPH_ADDR")
        .env_remove("NEWSGRAPH_TOKEN")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `newsgraph ARGS...` with standard output a pipe whose reader has
/// gone before the command writes anything; standard error is captured.
fn into_closed_pipe<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let mut child = command(args).spawn().expect("starting newsgraph");
    drop(child.stdout.take());
    child.wait_with_output().expect("waiting for newsgraph")
}

/// Like [`into_closed_pipe`], standard error closed as well (`2>&1 | head`).
fn into_closed_pipes<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let mut child = command(args).spawn().expect("starting newsgraph");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait_with_output().expect("waiting for newsgraph")
}

/// The run exited 0, quietly: no panic, no error.
fn assert_quiet_success(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{what} panicked ({}):\n{stderr}",
        out.status
    );
    assert!(
        !stderr.contains("error"),
        "{what} reported an error:\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{what}:\n{stderr}");
}

fn db_arg(db: &Path) -> &str {
    db.to_str().expect("a UTF-8 temp path")
}

/// Ingests `dir` into the store at `db` with its output read as usual.
fn ingest(dir: &Path, db: &Path) -> common::Run {
    newsgraph([
        OsStr::new("ingest"),
        dir.as_os_str(),
        OsStr::new("--db"),
        db.as_os_str(),
    ])
    .success()
}

#[test]
fn an_ingest_into_a_closed_pipe_stores_every_article_and_exits_0() {
    // Given two articles and an empty store
    let scratch = Scratch::new();
    let dir = articles(&scratch);
    let db = scratch.db();

    // When they are ingested with one line per article and the summary
    // written to a pipe whose reader has gone
    let out = into_closed_pipe(&["ingest", db_arg(&dir), "--db", db_arg(&db)]);

    // Then the ingest ends quietly with exit code 0
    assert_quiet_success("ingest", &out);
    // And both documents are stored: a second command reopens the store
    // and finds them, and ingesting again changes nothing
    let stats = cli_stats(&db);
    assert_eq!(stats["documents"], 2, "{stats}");
    let again = ingest(&dir, &db);
    assert!(
        again
            .stdout
            .contains("0 added, 0 replaced, 2 unchanged, 0 failed"),
        "{}",
        again.stdout
    );

    // When a quiet ingest (the summary line alone) writes to a closed pipe
    let quiet_db = scratch.path("quiet-db");
    let out = into_closed_pipe(&["ingest", db_arg(&dir), "--db", db_arg(&quiet_db), "-q"]);
    // Then it too ends quietly with both articles stored
    assert_quiet_success("ingest -q", &out);
    assert_eq!(cli_stats(&quiet_db)["documents"], 2);
}

#[test]
fn an_ingest_with_both_outputs_closed_still_stores_and_reports_by_exit_code() {
    // Given two good articles and an empty one, which is skipped with a
    // line on standard error
    let scratch = Scratch::new();
    let dir = articles(&scratch);
    std::fs::write(dir.join("empty.txt"), "").expect("writing the empty file");
    let db = scratch.db();

    // When they are ingested with standard output and standard error both
    // going to a reader that has gone (`ingest ... 2>&1 | head -0`)
    let out = into_closed_pipes(&["ingest", db_arg(&dir), "--db", db_arg(&db)]);

    // Then the exit code is 1 (one article failed), not a panic's 101
    assert_eq!(out.status.code(), Some(1), "{}", out.status);
    // And the two good articles are stored
    assert_eq!(cli_stats(&db)["documents"], 2);
}

#[test]
fn exports_queries_and_store_commands_into_a_closed_pipe_exit_0() {
    // Given a store holding two articles
    let scratch = Scratch::new();
    let dir = articles(&scratch);
    let db = scratch.db();
    ingest(&dir, &db);
    let db = db_arg(&db);

    // When each export format is written to a pipe whose reader has gone
    for format in ["json", "dot", "graphml", "jsonl"] {
        let out = into_closed_pipe(&["export", "--format", format, "--db", db]);
        // Then it ends quietly with exit code 0
        assert_quiet_success(&format!("export --format {format}"), &out);
    }

    // And so do a query, the schema, a verify and help
    let stats = "{ stats { documents } }";
    assert_quiet_success("query", &into_closed_pipe(&["query", stats, "--db", db]));
    assert_quiet_success("schema", &into_closed_pipe(&["schema"]));
    assert_quiet_success("verify", &into_closed_pipe(&["verify", "--db", db]));
    assert_quiet_success("--help", &into_closed_pipe(&["--help"]));

    // When a backup reports to a closed pipe
    let dump = scratch.path("store.dump");
    let dump_arg = dump.to_str().expect("a UTF-8 temp path");
    let out = into_closed_pipe(&["backup", "--db", db, "-o", dump_arg]);
    // Then the dump is written all the same
    assert_quiet_success("backup", &out);
    assert!(dump.is_file(), "no dump at {}", dump.display());

    // When it is restored, reporting to a closed pipe
    let restored = scratch.path("restored-db");
    let out = into_closed_pipe(&["restore", dump_arg, "--db", db_arg(&restored)]);
    // Then the restored store holds both documents
    assert_quiet_success("restore", &out);
    assert_eq!(cli_stats(&restored)["documents"], 2);
}

#[test]
fn an_import_into_a_closed_pipe_stores_every_line_and_exits_0() {
    // Given the articles' extracted graphs as extract --jsonl writes them
    let scratch = Scratch::new();
    let mut child = command(&["extract", "--jsonl"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("starting newsgraph extract");
    let mut stdin = child.stdin.take().expect("the child's stdin");
    for (id, text) in ARTICLES {
        let line = serde_json::json!({ "id": id, "text": text });
        writeln!(stdin, "{line}").expect("writing an input line");
    }
    drop(stdin);
    let extracted = child.wait_with_output().expect("waiting for extract");
    assert!(extracted.status.success(), "{extracted:?}");
    let lines = scratch.path("graphs.jsonl");
    std::fs::write(&lines, &extracted.stdout).expect("writing the extracted lines");

    // When they are imported, reporting to a pipe whose reader has gone
    let db = scratch.db();
    let out = into_closed_pipe(&[
        "import",
        lines.to_str().expect("a UTF-8 temp path"),
        "--db",
        db_arg(&db),
    ]);

    // Then the import ends quietly, both documents stored
    assert_quiet_success("import", &out);
    assert_eq!(cli_stats(&db)["documents"], 2);
}

#[test]
fn a_server_whose_stdout_is_closed_keeps_serving() {
    // Given a store
    let scratch = Scratch::new();
    let dir = articles(&scratch);
    let db = scratch.db();
    ingest(&dir, &db);

    // When a server starts with its standard output closed, so that its
    // listening line goes nowhere (the log on stderr names the address)
    let mut child = command(&["serve", "--db", db_arg(&db), "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .spawn()
        .expect("starting newsgraph serve");
    drop(child.stdout.take());
    let stderr = child.stderr.take().expect("the server's stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Keep draining after the address so the log never blocks.
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut log = String::new();
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server never logged its address; log:\n{log}");
        };
        log.push_str(&line);
        log.push('\n');
        let Some(rest) = line.split("open http://127.0.0.1:").nth(1) else {
            continue;
        };
        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
        break port.parse::<u16>().expect("a port number");
    };

    // Then it answers requests
    let health = common::get(port, "/healthz");
    let stats = common::graphql(port, "{ stats { documents } }");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(health.status, 200, "{}", health.text());
    assert_eq!(stats["data"]["stats"]["documents"], 2, "{stats}");
    assert!(!log.contains("panicked"), "{log}");
}
