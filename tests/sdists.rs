//! Real hand-written C extension modules from PyPI sdists, compiled unmodified against gilgate's
//! `include/` and run with `gilgate eval`, checked against CPython 3.14's answers for the same
//! sources (issue #3 item 11; findings in docs/sdists.md).
//!
//! The sdists are pinned in `scripts/sdists.lock`; `scripts/build-sdists.sh` fetches them into
//! `$GILGATE_CACHE/sdists/` (default `~/.cache/gilgate/sdists/`) and builds them into
//! `build/gilgate/`, recording in `build/status.txt` which compiled. Nothing third-party is
//! committed. With the cache missing these tests fail and say how to fill it, unless
//! `GILGATE_SKIP_SDISTS=1` is set (then they report `gilgate-test: SKIPPED` and pass).
//!
//! CPython's side is recorded, not run: `scripts/record-expectations.sh sdists` builds the same
//! sources against CPython 3.14's headers in the reference root (`build-sdists.sh --reference`),
//! runs every case there and writes `tests/data/sdists.json` (the exact CPython version first, then
//! each case's stdout lines, exit code and last stderr line, then which modules compiled). The
//! tests need no CPython.
//!
//! Three lists:
//! - the cases of `tests/data/sdists.json`: gilgate prints the same stdout lines as CPython, exits
//!   the same way and (on an error) gives the same last stderr line, the exception as `gilgate
//!   eval` reports it (design.md: the type's `__name__`, then `: ` and `str()` when that is not
//!   empty). Each case is one `eval` run; a run stops at its first exception, so error cases come
//!   last in their run. To add one, add its module and exprs to the file and rerun the script.
//! - `NEEDS_MORE_CAPI`: the module compiles but gilgate stops at a known missing piece; the test
//!   asserts that exact text, so it fails when the piece lands (move the case to the data then) or
//!   when it fails differently.
//! - `DOES_NOT_COMPILE`: the first compiler error against `include/`, checked in the build log.

mod expect;

use std::path::PathBuf;
use std::process::{Command, Output};

mod support;

fn cache() -> PathBuf {
    support::sdists_dir()
}

/// The build status file, or `None` when the tests are to be skipped (reported as skipped).
fn status() -> Option<String> {
    support::sdist_status("tests/sdists.rs (PyPI sdist modules)")
}

fn compiled(status: &str, side: &str, module: &str) -> bool {
    status.lines().any(|l| l == format!("{side} {module} ok"))
}

fn gilgate(module: &str, exprs: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("GILGATE_GIL")
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_PATH")
        .env_remove("GILGATE_LOG")
        // the recorded answers' local times are UTC's
        .env("TZ", "UTC")
        .arg("eval")
        .arg("--path")
        .arg(cache().join("build/gilgate"))
        .arg(module)
        .args(exprs)
        .output()
        .expect("run gilgate")
}

/// `tests/data/sdists.json`: CPython's answers and builds.
fn reference() -> expect::Reference {
    expect::load("sdists.json")
}

/// Modules that compile but stop in gilgate at a known missing piece: (module, exprs, the stderr
/// line that names the first missing piece today; the run must exit with that code (2: the module
/// did not load, 1: an expression raised) and print exactly that line).
const NEEDS_MORE_CAPI: &[(&str, &[&str], i32, &str)] = &[
    // not a C API gap: the module's exec imports wrapt's pure-Python `wrapt.exceptions`, and
    // gilgate runs compiled modules only (CPython without site-packages fails the same way)
    (
        "wrapt._wrappers",
        &["ObjectProxy([1, 2])"],
        2,
        "gilgate: wrapt._wrappers: error: ModuleNotFoundError: No module named 'wrapt.exceptions' (gilgate runs compiled extension modules only; it does not execute Python source)",
    ),
    // simplejson 4.3.0 compiles (the 3.14 PyUnicodeWriter API) but, like wrapt, its exec imports
    // pure-Python parts of its package (CPython without them fails the same way)
    (
        "simplejson._speedups",
        &[r#"encode_basestring_ascii("x")"#],
        2,
        "gilgate: simplejson._speedups: error: ModuleNotFoundError: No module named 'simplejson.raw_json' (gilgate runs compiled extension modules only; it does not execute Python source)",
    ),
    // not a gap: the recorded expression raises its own TypeError (count_n takes a and n);
    // move it to tests/data/sdists.json with `record-expectations.sh sdists`
    (
        "bitarray._util",
        &["count_n(1)"],
        1,
        "TypeError: count_n() takes at least 2 arguments (1 given)",
    ),
];

/// Modules whose sources do not compile against `include/`: (module, the first error's text,
/// what CPython's recorded build says: `None` when it compiled, else a text its first error
/// holds). The build treats an undeclared function as an error
/// (`-Werror=implicit-function-declaration`, the default of newer compilers), since it would
/// otherwise fail only at load time.
const DOES_NOT_COMPILE: &[(&str, &str, Option<&str>)] = &[
    // a private function CPython 3.13 removed from its public headers (it still exports it, and
    // so does gilgate, but neither declares it: pyrsistent 0.20.0 does not compile against
    // CPython 3.14's headers either, as recorded; its fix, using PyList_SetSlice, is not released
    // yet)
    (
        "pvectorc",
        "implicit declaration of function ‘_PyList_Extend’",
        Some("_PyList_Extend"),
    ),
];

#[test]
fn cpythons_builds_of_the_recorded_modules_compiled() {
    let r = reference();
    assert!(!r.cases.is_empty());
    for c in &r.cases {
        assert_eq!(
            r.builds.get(&c.module).map(String::as_str),
            Some("ok"),
            "{}: CPython {}'s build is not recorded as ok",
            c.module,
            r.cpython
        );
    }
}

#[test]
fn sdist_modules_answer_as_cpython_does() {
    let Some(status) = status() else { return };
    let r = reference();
    let mut failures = Vec::new();
    for c in &r.cases {
        assert!(
            compiled(&status, "gilgate", &c.module),
            "{} did not compile against include/",
            c.module
        );
        if let Some(f) = expect::compare(c, &gilgate(&c.module, &c.exprs())) {
            failures.push(f);
        }
    }
    expect::assert_agrees(&failures, r.cases.len(), &r.cpython);
}

#[test]
fn sdist_modules_that_need_more_of_the_c_api_fail_as_recorded() {
    let Some(status) = status() else { return };
    let mut failures = Vec::new();
    for (module, exprs, code, known) in NEEDS_MORE_CAPI {
        assert!(
            compiled(&status, "gilgate", module),
            "{module} did not compile against include/"
        );
        let known = known.replace(
            "{build}",
            &cache().join("build/gilgate").display().to_string(),
        );
        let o = gilgate(module, exprs);
        let stderr = String::from_utf8_lossy(&o.stderr);
        if o.status.code() != Some(*code) || !stderr.lines().any(|l| l == known) {
            failures.push(format!(
                "{module} {exprs:?}: exit {:?}, stderr {stderr:?}, recorded {known:?}",
                o.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sdist_modules_that_do_not_compile_fail_at_the_recorded_declaration() {
    let Some(status) = status() else { return };
    let r = reference();
    for (module, first_error, cpython) in DOES_NOT_COMPILE {
        assert!(
            !compiled(&status, "gilgate", module),
            "{module} compiles now: add cases to tests/data/sdists.json"
        );
        let recorded = r
            .builds
            .get(*module)
            .map(String::as_str)
            .unwrap_or_default();
        match cpython {
            None => assert_eq!(recorded, "ok", "{module} must compile against CPython"),
            Some(text) => assert!(
                recorded.starts_with("fail") && recorded.contains(text),
                "{module}: CPython's recorded build is {recorded:?}"
            ),
        }
        let log = std::fs::read_to_string(cache().join(format!("build/gilgate/{module}.log")))
            .expect("build log");
        let first = log
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or_default();
        assert!(
            first.contains(first_error),
            "{module}: first error is now {first:?}"
        );
    }
}
