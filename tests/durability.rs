//! End-to-end tests of the store's durability commands and failure modes:
//! backup / restore / verify, an interrupted ingest that resumes, large
//! runs that print only a summary, a full disk and a store that cannot be
//! written. Each runs the real binary on its own temp store.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{export_json, newsgraph, Scratch};
use newsgraph_store::Store;

fn db_args<'a>(command: &'a str, db: &'a Path) -> Vec<&'a OsStr> {
    vec![OsStr::new(command), OsStr::new("--db"), db.as_os_str()]
}

/// `count` distinct articles: the seed articles under varied names, each
/// with its own closing line.
fn corpus(scratch: &Scratch, count: usize) -> PathBuf {
    let dir = scratch.path("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let seeds = common::seed_files();
    for i in 0..count {
        let text = std::fs::read_to_string(&seeds[i % seeds.len()]).unwrap();
        std::fs::write(
            dir.join(format!("article_{i:04}.txt")),
            format!("{text}\nArchive reference {i}.\n"),
        )
        .unwrap();
    }
    dir
}

fn verb_lines<'a>(stdout: &'a str, verb: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .filter(|l| l.split_whitespace().next() == Some(verb))
        .collect()
}

#[test]
fn backup_and_restore_round_trip_and_refuse_bad_dumps() {
    // Given the seed in a store
    let scratch = Scratch::new();
    let db = scratch.db();
    common::ingest_seed(&db);

    // When it is backed up and restored into a new store
    let dump = scratch.path("seed.dump");
    let mut args = db_args("backup", &db);
    args.extend([OsStr::new("-o"), dump.as_os_str()]);
    let run = newsgraph(args).success();
    assert!(run.stdout.contains("backed up"), "{}", run.stdout);
    let restored = scratch.path("restored");
    let run = newsgraph([
        OsStr::new("restore"),
        dump.as_os_str(),
        OsStr::new("--db"),
        restored.as_os_str(),
    ])
    .success();
    assert!(run.stdout.contains("5 documents"), "{}", run.stdout);

    // Then the restored store verifies and exports exactly the same graph
    let run = newsgraph(db_args("verify", &restored)).success();
    assert!(run.stdout.contains("is consistent"), "{}", run.stdout);
    assert_eq!(export_json(&restored), export_json(&db));

    // When the dump is corrupted, truncated, or restored over a store
    let bytes = std::fs::read(&dump).unwrap();
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let cases = [
        ("flipped", flipped, "corrupt"),
        ("truncated", bytes[..bytes.len() - 10].to_vec(), "truncated"),
    ];
    for (name, content, reason) in cases {
        let bad = scratch.path(&format!("{name}.dump"));
        std::fs::write(&bad, content).unwrap();
        let target = scratch.path(&format!("from-{name}"));
        let run = newsgraph([
            OsStr::new("restore"),
            bad.as_os_str(),
            OsStr::new("--db"),
            target.as_os_str(),
        ]);
        // Then restore fails, says why, and leaves no store behind
        assert_eq!(run.status.code(), Some(1), "{name}: {run:?}");
        assert!(run.stderr.contains(reason), "{name}: {}", run.stderr);
        assert!(!target.exists(), "{name}: a store was left behind");
    }
    let run = newsgraph([
        OsStr::new("restore"),
        dump.as_os_str(),
        OsStr::new("--db"),
        db.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
}

/// Appends one record to a dump and rewrites its trailer, checksums and all.
fn with_extra_record(dump: &[u8], key: &[u8], value: &[u8]) -> Vec<u8> {
    let (body, _) = dump.split_at(dump.len() - 25);
    let mut record = vec![b'R'];
    record.extend_from_slice(&(key.len() as u32).to_be_bytes());
    record.extend_from_slice(&(value.len() as u32).to_be_bytes());
    record.extend_from_slice(key);
    record.extend_from_slice(value);
    record.extend_from_slice(&crc32fast::hash(&record).to_be_bytes());
    let mut out = body.to_vec();
    out.extend_from_slice(&record);
    let records = &out[20..];
    let (mut count, mut bytes, mut at) = (0u64, 0u64, 0usize);
    while at < records.len() {
        let k = u32::from_be_bytes(records[at + 1..at + 5].try_into().unwrap()) as usize;
        let v = u32::from_be_bytes(records[at + 5..at + 9].try_into().unwrap()) as usize;
        count += 1;
        bytes += (k + v) as u64;
        at += 9 + k + v + 4;
    }
    let mut trailer = vec![b'E'];
    trailer.extend_from_slice(&count.to_be_bytes());
    trailer.extend_from_slice(&bytes.to_be_bytes());
    trailer.extend_from_slice(&crc32fast::hash(records).to_be_bytes());
    trailer.extend_from_slice(&crc32fast::hash(&trailer).to_be_bytes());
    out.extend_from_slice(&trailer);
    out
}

#[test]
fn verify_names_each_violation_and_exits_1() {
    // Given a store holding an actor record that no document mentions
    // (restored from a well-formed dump of inconsistent data)
    let scratch = Scratch::new();
    let db = scratch.db();
    common::ingest_seed(&db);
    let dump = scratch.path("seed.dump");
    let mut args = db_args("backup", &db);
    args.extend([OsStr::new("-o"), dump.as_os_str()]);
    newsgraph(args).success();
    let orphan = newsgraph_model::Actor {
        id: newsgraph_model::Actor::id_for_name("Atlantis"),
        name: "Atlantis".into(),
        kind: newsgraph_model::ActorKind::Country,
        aliases: Vec::new(),
    };
    let mut key = vec![newsgraph_store::keys::ACTOR];
    key.extend_from_slice(&orphan.id.0.to_be_bytes());
    let value = newsgraph_store::codec::encode(&orphan).unwrap();
    let bad = scratch.path("orphan.dump");
    std::fs::write(
        &bad,
        with_extra_record(&std::fs::read(&dump).unwrap(), &key, &value),
    )
    .unwrap();
    let broken = scratch.path("broken");
    newsgraph([
        OsStr::new("restore"),
        bad.as_os_str(),
        OsStr::new("--db"),
        broken.as_os_str(),
    ])
    .success();

    // When it is verified
    let run = newsgraph(db_args("verify", &broken));

    // Then the violation is named and the exit code is 1
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(
        run.stdout.contains("violation:") && run.stdout.contains("mentioned by no document"),
        "{}",
        run.stdout
    );
    // And verify refuses a store that does not exist rather than create one
    let missing = scratch.path("nothing-here");
    let run = newsgraph(db_args("verify", &missing));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(!missing.exists());
}

#[test]
fn an_interrupted_ingest_stops_cleanly_and_a_rerun_resumes() {
    // Given a corpus of 300 articles (over the 200 that get one line each)
    let scratch = Scratch::new();
    let db = scratch.db();
    let dir = corpus(&scratch, 300);

    // When an ingest is interrupted with Ctrl-C (SIGINT) after a few
    // articles were reported
    let mut child = Command::new(common::bin())
        .arg("ingest")
        .arg(&dir)
        .arg("--db")
        .arg(&db)
        .arg("--verbose")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("added");
        seen.push(line);
        if done && seen.len() >= 5 {
            break;
        }
    }
    let signalled = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    seen.extend(lines.map(Result::unwrap));
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();

    // Then it exits 130 after a summary of what it stored, and says how to resume
    let stdout = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{stdout}\n{stderr}");
    let added = verb_lines(&stdout, "added").len();
    assert!((5..300).contains(&added), "{stdout}");
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with(&format!("ingested {added} of 300 files")),
        "{summary}"
    );
    assert!(stderr.contains("run the same command again"), "{stderr}");

    // When the same command runs again (no --verbose: 300 files is a big run)
    let mut args = vec![OsStr::new("ingest"), dir.as_os_str()];
    args.extend([OsStr::new("--db"), db.as_os_str()]);
    let run = newsgraph(args).success();

    // Then it prints only the summary: the rest added, the stored skipped
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("ingested 300 files")
            && run.stdout.contains(&format!("{} added", 300 - added))
            && run.stdout.contains(&format!("{added} unchanged")),
        "{}",
        run.stdout
    );

    // And --quiet prints the summary alone, --verbose every article
    let mut args = vec![OsStr::new("ingest"), dir.as_os_str(), OsStr::new("--quiet")];
    args.extend([OsStr::new("--db"), db.as_os_str()]);
    let run = newsgraph(args).success();
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let mut args = vec![OsStr::new("ingest"), dir.as_os_str(), OsStr::new("-v")];
    args.extend([OsStr::new("--db"), db.as_os_str()]);
    let run = newsgraph(args).success();
    assert_eq!(verb_lines(&run.stdout, "unchanged").len(), 300);
    newsgraph(db_args("verify", &db)).success();
}

#[test]
fn a_full_disk_fails_the_ingest_clearly_and_keeps_what_was_reported() {
    // Given a file size limit the store outgrows part way (RLIMIT_FSIZE,
    // with SIGXFSZ ignored so that writes fail with EFBIG instead)
    let scratch = Scratch::new();
    let db = scratch.db();
    let dir = corpus(&scratch, 300);
    let script = format!(
        "ulimit -f 1024 && trap '' XFSZ && exec '{}' ingest '{}' --db '{}' --verbose",
        common::bin(),
        dir.display(),
        db.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    // Then the ingest fails with a message that says the disk is full
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("disk is full") && stderr.contains("File too large"),
        "{stderr}"
    );
    // And every article it reported is in the store, which is consistent
    let store = Store::open(&db).unwrap();
    assert!(store.verify().unwrap().is_empty());
    let view = store.view();
    let reported = verb_lines(&stdout, "added");
    assert!(reported.len() < 300, "the limit was never hit:\n{stdout}");
    for line in reported {
        let name = line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .trim_end_matches(':');
        assert!(view.document_by_file(name).is_some(), "{name} was lost");
    }
}

#[test]
fn a_store_the_user_cannot_write_is_refused_with_a_clear_message() {
    // Given a store owned by another user (root runs the test as `nobody`
    // through setpriv: root itself may write anywhere)
    let scratch = Scratch::new();
    let db = scratch.db();
    common::ingest_seed(&db);
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut command = if is_root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            common::bin(),
        ]);
        c
    } else {
        Command::new(common::bin())
    };
    if !is_root {
        for entry in std::fs::read_dir(&db).unwrap() {
            let path = entry.unwrap().path();
            let mut perms = std::fs::metadata(&path).unwrap().permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(&path, perms).unwrap();
        }
    }
    // `nobody` must reach the store: open the scratch directory's mode.
    let _ = Command::new("chmod")
        .args(["a+rx"])
        .arg(db.parent().unwrap())
        .status();
    let out = command
        .args(["ingest"])
        .arg(common::seed_dir())
        .arg("--db")
        .arg(&db)
        .env("RUST_LOG", "off")
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            eprintln!("SKIPPED: cannot run newsgraph as another user ({e})");
            return;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("setpriv:")
        || stderr.contains("Permission denied (os error 13)\n") && !stderr.contains("store")
    {
        eprintln!("SKIPPED: cannot run newsgraph as another user: {stderr}");
        return;
    }

    // Then it fails, naming the store and the reason
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not writable") && stderr.contains(&db.display().to_string()),
        "{stderr}"
    );
}
