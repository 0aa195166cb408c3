//! The recorded CPython answers of `tests/data/*.json` (written by
//! `scripts/record-expectations.sh`, read by the tests that compare gilgate with them).
//!
//! A file names the exact CPython version first (`"cpython": "3.14.x"`), then its cases: a
//! module, the statements of one `gilgate eval` run, and CPython's answer (stdout lines, exit
//! code, the last stderr line when the exit code is not 0, and the traceback block before it
//! when extension code added entries).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// One recorded case.
pub struct Recorded {
    pub module: String,
    pub exprs: Vec<String>,
    pub stdout: Vec<String>,
    pub exit: i32,
    /// The last stderr line; empty when the run exited 0.
    pub stderr: String,
    /// The traceback block printed before the last line (`Traceback (most recent call
    /// last):` and the entries extension code added); empty when CPython printed none.
    pub traceback: Vec<String>,
}

impl Recorded {
    pub fn exprs(&self) -> Vec<&str> {
        self.exprs.iter().map(String::as_str).collect()
    }
}

/// One data file.
pub struct Reference {
    pub cpython: String,
    pub cases: Vec<Recorded>,
    /// Per module, "ok" or "fail: <first compiler error>" (the sdists file only).
    pub builds: BTreeMap<String, String>,
}

fn str_of(v: &serde_json::Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn strs(v: &serde_json::Value, what: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is not a list"))
        .iter()
        .map(str_of)
        .collect()
}

/// Reads `tests/data/<name>` and checks that CPython 3.14 answered it.
pub fn load(name: &str) -> Reference {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cpython = str_of(&v["cpython"]);
    assert!(
        cpython.starts_with("3.14."),
        "{} was recorded with CPython {cpython:?}; rerun scripts/record-expectations.sh",
        path.display()
    );
    let cases = v["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no cases", path.display()))
        .iter()
        .map(|c| Recorded {
            module: str_of(&c["module"]),
            exprs: strs(&c["exprs"], "exprs"),
            stdout: strs(&c["stdout"], "stdout"),
            exit: c["exit"]
                .as_i64()
                .unwrap_or_else(|| panic!("{}: exit", path.display())) as i32,
            stderr: str_of(&c["stderr"]),
            traceback: if c["traceback"].is_null() {
                Vec::new()
            } else {
                strs(&c["traceback"], "traceback")
            },
        })
        .collect();
    let builds = v["builds"]
        .as_object()
        .map(|m| m.iter().map(|(k, b)| (k.clone(), str_of(b))).collect())
        .unwrap_or_default();
    Reference {
        cpython,
        cases,
        builds,
    }
}

/// Compares a `gilgate eval` run with a recorded case: `None` when they agree, else what differs.
pub fn compare(c: &Recorded, o: &std::process::Output) -> Option<String> {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let got: Vec<&str> = stdout.split_terminator('\n').collect();
    let mut problems = Vec::new();
    if got != c.stdout {
        problems.push(format!("stdout {got:?}, CPython {:?}", c.stdout));
    }
    if o.status.code() != Some(c.exit) {
        problems.push(format!("exit {:?}, CPython {}", o.status.code(), c.exit));
    }
    if c.exit != 0 {
        let last = stderr.lines().last().unwrap_or_default();
        if last != c.stderr {
            problems.push(format!("last stderr line {last:?}, CPython {:?}", c.stderr));
        }
        if !c.traceback.is_empty() {
            let lines: Vec<&str> = stderr.lines().collect();
            let n = c.traceback.len();
            let got = if lines.len() > n {
                &lines[lines.len() - 1 - n..lines.len() - 1]
            } else {
                &lines[..]
            };
            if got != c.traceback {
                problems.push(format!("traceback {got:?}, CPython {:?}", c.traceback));
            }
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{} {:?}: {}\n  stderr: {stderr}",
            c.module,
            c.exprs,
            problems.join("; ")
        )
    })
}

/// Fails, listing every difference, unless `failures` is empty (`total` cases were compared
/// with CPython `cpython`'s answers).
pub fn assert_agrees(failures: &[String], total: usize, cpython: &str) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ from CPython {cpython}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
