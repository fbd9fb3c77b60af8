//! The extraction-quality ratchet (issue 13): `scripts/eval.py` ingests the
//! evaluation sets in `../shared` with the binary under test, scores them,
//! and fails when the F1 of any row is below its floor in `eval/floor.json`.
//!
//! The sets are research-only and live outside the repository, so the test
//! skips, saying why, where `../shared/eval` or `python3` is absent.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};
use std::time::Instant;

use common::{bin, repo_root, Scratch};

#[test]
fn no_extraction_figure_drops_below_its_floor() {
    // Given the evaluation sets and a Python to score them with
    let root = repo_root();
    let shared = root.join("../shared");
    if !shared.join("eval").is_dir() {
        eprintln!(
            "skipped: {} is absent, so there is nothing to measure",
            shared.join("eval").display()
        );
        return;
    }
    let python = Command::new("python3")
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    if !python.is_ok_and(|out| out.status.success()) {
        eprintln!("skipped: python3 is not installed, and the scorers are Python scripts");
        return;
    }
    let scratch = Scratch::new();
    let out = scratch.path("eval.json");

    // When the evaluation runs on the binary under test
    let started = Instant::now();
    let run = Command::new("python3")
        .arg("scripts/eval.py")
        .arg("--bin")
        .arg(bin())
        .arg("--shared")
        .arg(&shared)
        .arg("--check")
        .arg("eval/floor.json")
        .arg("--out")
        .arg(&out)
        .current_dir(&root)
        .stdin(Stdio::null())
        .output()
        .expect("running scripts/eval.py");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!(
        "{stdout}{stderr}eval.py took {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Then every F1 is at or above its floor
    assert!(
        run.status.success(),
        "scripts/eval.py --check eval/floor.json failed ({}): exit 1 is a figure below \
         its floor, 2 missing input, 3 a failed step.\nstdout:\n{stdout}\nstderr:\n{stderr}",
        run.status
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("reading eval.json"))
            .expect("eval.json is JSON");
    assert_eq!(
        results["check"]["dropped"].as_array().map(Vec::len),
        Some(0),
        "eval.json records no dropped figure: {}",
        results["check"]
    );
}
