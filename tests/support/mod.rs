//! Shared by the integration tests that use data fetched or built outside git.
//!
//! One cache rule: `$GILGATE_CACHE` (default `~/.cache/gilgate`) holds `wheels/`
//! (`scripts/fetch-wheels.sh`), `sdists/` (`scripts/build-sdists.sh`), `corpus/` and `reference/`.
//! `bash scripts/test.sh` fills it before running the tests.
//!
//! Skip switches (`GILGATE_SKIP_WHEELS=1`, `GILGATE_SKIP_SDISTS=1`) only apply when the data is
//! missing: with the data there the tests run anyway. A skip is never silent: it writes
//! `gilgate-test: SKIPPED <what> ...` straight to the process's stderr (past the test harness's
//! output capture), the line `.ci/run` looks for.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// `$GILGATE_CACHE`, else `$HOME/.cache/gilgate`.
pub fn cache_root() -> PathBuf {
    match std::env::var_os("GILGATE_CACHE") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .expect("GILGATE_CACHE and HOME are both unset: cannot find the cache");
            PathBuf::from(home).join(".cache/gilgate")
        }
    }
}

/// `$GILGATE_CACHE/wheels` (scripts/fetch-wheels.sh).
pub fn wheels_dir() -> PathBuf {
    cache_root().join("wheels")
}

/// `$GILGATE_CACHE/sdists` (scripts/build-sdists.sh).
pub fn sdists_dir() -> PathBuf {
    cache_root().join("sdists")
}

/// Whether the skip switch `var` is set (`1`).
pub fn skip_requested(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// Reports a skip: one `gilgate-test: SKIPPED` line on the real stderr (not captured by the
/// test harness, so it shows in every run and `.ci/run` can find it).
pub fn report_skip(what: &str, why: &str) {
    let line = format!("gilgate-test: SKIPPED {what}: {why}\n");
    // Through the `Stderr` handle, not `eprintln!`: the harness captures only the macros.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// The build status file of `scripts/build-sdists.sh`, or `None` when the sdists are missing
/// and `GILGATE_SKIP_SDISTS=1` allows skipping (the skip is reported for `what`). Missing
/// without the switch is a failure that says how to fill the cache.
pub fn sdist_status(what: &str) -> Option<String> {
    let path = sdists_dir().join("build/status.txt");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) if skip_requested("GILGATE_SKIP_SDISTS") => {
            report_skip(
                what,
                &format!("{}: {e} (GILGATE_SKIP_SDISTS=1)", path.display()),
            );
            None
        }
        Err(e) => panic!(
            "{}: {e}; run `bash scripts/build-sdists.sh` first, or `bash scripts/test.sh` \
             (or set GILGATE_SKIP_SDISTS=1 to skip these tests)",
            path.display()
        ),
    }
}
