//! Shared by the integration tests: running the `gilgate` binary, the runtime lock of the tests
//! that use the runtime in-process, compiling C fixtures (`cc`, whose file capi's tests share),
//! and the data fetched or built outside git.
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

pub mod cc;
pub mod runtime_thread;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// The in-process runtime is used from one thread at a time: a test that runs it (through
/// `gilgate::embed` or `gilgate::capi`) holds this lock. A test that panicked while holding it
/// does not poison it for the others.
pub fn runtime_lock() -> MutexGuard<'static, ()> {
    static RUNTIME: Mutex<()> = Mutex::new(());
    RUNTIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs the test `name` of this test binary alone in a child process: in the child (marked by
/// `GILGATE_TEST_CHILD`) returns true and the caller runs the body; in the parent, runs the
/// child, asserts it passed, and returns false. Tests of the process's lock use it (one lock
/// and one policy per process; cargo runs a binary's tests as threads of one process).
pub fn in_child(name: &str) -> bool {
    if std::env::var("GILGATE_TEST_CHILD").as_deref() == Ok(name) {
        return true;
    }
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("GILGATE_TEST_CHILD", name)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "child {name} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

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

/// The `gilgate` binary, with no lock or search settings inherited from the environment.
pub fn gilgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gilgate"));
    c.env_remove("PYTHON_GIL")
        .env_remove("GILGATE_GIL")
        .env_remove("GILGATE_PATH")
        .env_remove("GILGATE_LOG");
    c
}

/// Runs `gilgate stress --gil off --timeout 120 --threads 4 --iterations N --setup ...
/// --then THEN MODULE EXPR` (the timeout is the hang guard) and returns the last line of its
/// output (the repr of THEN); fails unless it exits 0 with `errors: none`.
#[allow(dead_code)] // not every test binary runs threads
pub fn stress_off(module: &str, setup: &[&str], iterations: u32, expr: &str, then: &str) -> String {
    let mut c = gilgate();
    c.args([
        "stress",
        "--gil",
        "off",
        "--timeout",
        "120",
        "--threads",
        "4",
    ])
    .args(["--iterations", &iterations.to_string()]);
    for s in setup {
        c.args(["--setup", s]);
    }
    let out = c
        .args(["--then", then, module, expr])
        .output()
        .expect("run gilgate");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains("errors: none"),
        "{expr}: exit {:?}\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().last().unwrap_or_default().to_string()
}

/// An `inspect` report without its line `sandbox: ...` (just before the summary), which
/// depends on the kernel (`tests/sandbox.rs` checks it).
pub fn without_sandbox_line(report: &str) -> String {
    report
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("sandbox: "))
        .collect()
}

/// A finished `gilgate` run.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `c` to the end.
pub fn run(c: &mut Command) -> Out {
    let o = c.output().expect("running gilgate");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// Compiles `tests/c/imports/imp_probe.c` as module `name` (its init imports `import`) into the
/// file `out`.
pub fn build_importer_at(out: &Path, name: &str, import: &str) {
    cc::shared(cc::fixture("imports/imp_probe.c"), out)
        .args(["-O1", "-Wall", "-Werror"])
        .define("GG_NAME", name)
        .define("GG_IMPORT", &format!("\"{import}\""))
        .build();
}

/// Writes a wheel (a zip file) holding `members` (name, contents) at `path`.
pub fn write_wheel(path: &Path, members: &[(&str, Vec<u8>)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    for (name, body) in members {
        z.start_file(*name, o).unwrap();
        z.write_all(body).unwrap();
    }
    z.finish().unwrap();
}
