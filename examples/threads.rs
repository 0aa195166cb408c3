//! Several Rust threads sharing one host's modules and objects: `PyRef` handles are
//! `Send + Sync`, every call attaches its thread for the call's duration, and the main thread
//! waits for the others inside `embed::allow_threads` (detached, so it holds no lock they need).
//!
//! ```sh
//! cargo build -p gilgate-test-extensions      # builds the samples into target/samples
//! cargo run --example threads -- target/samples
//! ```

use gilgate::embed::{self, Host, PyErr, PyRef};
use std::process::ExitCode;

/// Threads and calls per thread.
pub const THREADS: usize = 4;
/// Calls per thread.
pub const PER_THREAD: usize = 500;

/// Runs the example: returns the shared dict's count (a critical section in the module keeps
/// it exact), the shared list's length (the list's own lock keeps it exact), and the count of
/// the undeclared `racy_counter` (exact because importing it switched the process's lock on).
pub fn run(dir: &str) -> Result<(i64, usize, i64), PyErr> {
    let mut host = Host::builder().path(dir).build();
    let sections = host.import("mutex_sections")?;
    let racy = host.import("racy_counter")?;
    let counts: PyRef = embed::dict_from_pairs([("n", 0)])?;
    let items: PyRef = embed::list(Vec::new())?;

    let results: Vec<Result<(), PyErr>> = embed::allow_threads(|| {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|t| {
                    let (sections, racy, counts, items) = (
                        sections.clone(),
                        racy.clone(),
                        counts.clone(),
                        items.clone(),
                    );
                    s.spawn(move || -> Result<(), PyErr> {
                        for i in 0..PER_THREAD {
                            sections.call("add", (&counts, "n"))?;
                            items.call_method("append", (t * PER_THREAD + i,))?;
                            racy.call("bump", ())?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread panicked"))
                .collect()
        })
    });
    for r in results {
        r?;
    }
    let n: i64 = counts.get_item("n")?.extract()?;
    let len = items.iter_items()?.len();
    let bumps: i64 = racy.call("value", ())?.extract()?;
    Ok((n, len, bumps))
}

#[allow(dead_code)] // the tests include this file for `run`
fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/samples".into());
    match run(&dir) {
        Ok((n, len, bumps)) => {
            println!(
                "{THREADS} threads x {PER_THREAD} calls: dict count {n}, list length {len}, racy_counter {bumps}"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
