//! Standard output and standard error for what the commands print, so
//! that a reader that goes away never panics a command nor stops its work.
//!
//! Rust programs ignore SIGPIPE, so writing to a pipe whose reader has gone
//! (`newsgraph ingest DIR | head -0`) fails with `BrokenPipe`, which
//! `println!` and `eprintln!` turn into a panic. Here a closed standard
//! output is not an error, as for `cat | head`: from then on what the
//! command prints is dropped, the command still does all its work (an
//! ingest stores every article), and the exit code is the one that work
//! gives (0 when it succeeded). Any other failure to write standard output
//! (a full disk behind `> file`) is an error for the caller to report.
//! Standard error has nowhere left to report its own failures: they are
//! ignored.
//!
//! [`outln!`] and [`errln!`] replace `println!` and `eprintln!` in this
//! crate (clippy's `print_stdout` and `print_stderr` lints keep them out).

use std::io::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, Result};

/// Standard output's reader has gone: nothing more is written to it.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output and flushes it. `Ok` when the reader
/// has gone, now or earlier (then nothing is written); an error for any
/// other failure.
pub fn stdout(text: &str) -> Result<()> {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_GONE.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other.context("writing to standard output"),
    }
}

/// Writes `text` to standard error, ignoring a failure (a closed or full
/// standard error has nowhere to be reported).
pub fn stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `println!` that returns a `Result` instead of panicking: see
/// [`stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics: see [`stderr`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, outln};
