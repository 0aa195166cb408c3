//! Smoke calls over the real-wheel corpus: for each package of `tests/data/smoke-calls.json`,
//! calls taken from the package's own documentation into its compiled module, run by
//! `gilgate eval --path <the package's cp314t corpus wheel> MODULE EXPR...` and compared with
//! CPython 3.14's answers (recorded by `scripts/record-expectations.sh smoke` from the same
//! package version's CPython 3.14 wheel, the module's parent packages imported as plain
//! packages, as gilgate imports them).
//!
//! Which packages give CPython's answer today is committed in
//! `tests/data/smoke-calls-gilgate.tsv` (`package<TAB>pass|fail<TAB>first difference`). A
//! package that passed and now fails is a regression; one that failed and now passes makes the
//! table stale. Both fail the test, so the table always says what gilgate does;
//! `GILGATE_UPDATE_SMOKE=1 cargo test --test smoke_calls` rewrites it.

mod expect;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TABLE: &str = "tests/data/smoke-calls-gilgate.tsv";

/// The cp314t corpus wheel of each package (`scripts/corpus.lock`: package, version, python,
/// abi, sha256, file).
fn corpus_wheels() -> BTreeMap<String, String> {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/corpus.lock");
    let text = std::fs::read_to_string(&lock).unwrap_or_else(|e| panic!("{}: {e}", lock.display()));
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 6 && f[3] == "cp314t").then(|| (f[0].to_string(), f[5].to_string()))
        })
        .collect()
}

/// The package of each recorded case, in file order.
fn case_packages() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/smoke-calls.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("smoke-calls.json parses");
    v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["package"].as_str().expect("package").to_string())
        .collect()
}

/// The committed table: package -> (passes, first difference).
fn table() -> BTreeMap<String, (bool, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            assert!(f.len() >= 2, "{TABLE}: bad row {l:?}");
            assert!(
                f[1] == "pass" || f[1] == "fail",
                "{TABLE}: {l:?}: pass or fail"
            );
            (
                f[0].to_string(),
                (f[1] == "pass", f.get(2).unwrap_or(&"").to_string()),
            )
        })
        .collect()
}

/// What differs first, short enough for a table cell: gilgate's last stderr line when it
/// stopped where CPython did not, else the first output line that differs.
fn gist(case: &expect::Recorded, o: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let got: Vec<&str> = stdout.split_terminator('\n').collect();
    let text = match got.iter().zip(&case.stdout).position(|(g, want)| g != want) {
        Some(i) => format!(
            "{:?} gives {}, CPython {}",
            case.exprs.get(i).map_or("", String::as_str),
            got[i],
            case.stdout[i]
        ),
        None if o.status.code().is_none() => format!(
            "killed by a signal after {} answers: {}",
            got.len(),
            stderr.lines().last().unwrap_or_default()
        ),
        None => format!(
            "after {} answers, exit {:?} (CPython {}): {}",
            got.len(),
            o.status.code(),
            case.exit,
            stderr.lines().last().unwrap_or_default()
        ),
    };
    stable(&text)
        .chars()
        .take(300)
        .collect::<String>()
        .replace('\t', " ")
}

/// `text` with each private wheel folder's random part (`gilgate-wheel-XXXXXX`) replaced by
/// `*`, so that the table does not change from run to run.
fn stable(text: &str) -> String {
    const MARK: &str = "gilgate-wheel-";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i + MARK.len()]);
        out.push('*');
        rest = &rest[i + MARK.len()..];
        rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    }
    out.push_str(rest);
    out
}

#[test]
fn smoke_calls_match_the_committed_table() {
    let reference = expect::load("smoke-calls.json");
    let packages = case_packages();
    assert_eq!(packages.len(), reference.cases.len());
    let wheels = corpus_wheels();
    let corpus: PathBuf = support::cache_root().join("corpus");
    let mut results: BTreeMap<String, (bool, String)> = BTreeMap::new();
    for (pkg, case) in packages.iter().zip(&reference.cases) {
        let file = wheels
            .get(pkg)
            .unwrap_or_else(|| panic!("{pkg}: no cp314t wheel in scripts/corpus.lock"));
        let wheel = corpus.join(file);
        if !wheel.is_file() {
            if support::skip_requested("GILGATE_SKIP_WHEELS") {
                support::report_skip(
                    "tests/smoke_calls.rs",
                    "the corpus is not fetched (scripts/fetch-corpus.sh)",
                );
                return;
            }
            panic!(
                "{} is missing: run scripts/fetch-corpus.sh (or set GILGATE_SKIP_WHEELS=1)",
                wheel.display()
            );
        }
        let o = support::gilgate()
            .env("TZ", "UTC")
            .arg("eval")
            .arg("--path")
            .arg(&wheel)
            .arg(&case.module)
            .args(&case.exprs)
            .output()
            .expect("gilgate runs");
        let pass = expect::compare(case, &o).is_none();
        let diff = if pass { String::new() } else { gist(case, &o) };
        results.insert(pkg.clone(), (pass, diff));
    }
    let passing = results.values().filter(|r| r.0).count();
    eprintln!(
        "smoke calls: {passing} of {} packages give CPython {}'s answers",
        results.len(),
        reference.cpython
    );
    if std::env::var_os("GILGATE_UPDATE_SMOKE").is_some() {
        let mut out = String::from(
            "# Which smoke calls of tests/data/smoke-calls.json give CPython's answers in gilgate\n\
             # (tests/smoke_calls.rs; rewrite with GILGATE_UPDATE_SMOKE=1 cargo test --test smoke_calls)\n\
             # package\tpass|fail\tfirst difference\n",
        );
        for (pkg, (pass, diff)) in &results {
            out += &format!("{pkg}\t{}\t{diff}\n", if *pass { "pass" } else { "fail" });
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
        std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = table();
    let mut problems = Vec::new();
    for (pkg, (pass, diff)) in &results {
        match committed.get(pkg) {
            None => problems.push(format!("{pkg}: not in {TABLE}")),
            Some((true, _)) if !pass => problems.push(format!("{pkg}: REGRESSION: {diff}")),
            Some((false, _)) if *pass => problems.push(format!(
                "{pkg}: passes now; mark it pass in {TABLE} (GILGATE_UPDATE_SMOKE=1)"
            )),
            _ => {}
        }
    }
    for pkg in committed.keys() {
        if !results.contains_key(pkg) {
            problems.push(format!("{pkg}: in {TABLE} but has no smoke calls"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} smoke-call packages differ from {TABLE}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
