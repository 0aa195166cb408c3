//! Header parity with CPython 3.14t: the facts `scripts/header-facts.py` extracts from `include/`
//! (host gcc, `-DPy_GIL_DISABLED=1`) against those recorded from CPython 3.14.10's headers
//! (`tests/data/cpython314t-headers.tsv`, by `scripts/record-headers.sh`).
//!
//! Required: every public name (macro, function, data), and every private name of
//! `tests/data/toolchain-private-names.txt` (used by Cython, PyO3, pybind11 or mypyc), with the
//! same fact: a macro's integer value and C type, its arity, or that it is empty or something
//! else; a declaration's normalised prototype. A function CPython defines `static inline` may be
//! declared `extern` here and the other way round (the export surface provides it either way).
//! Allowed absences are `tests/data/header-parity-allowed.tsv` (name, reason); an entry that is
//! no longer absent fails too, so the list stays exact.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

struct Fact {
    kind: String,
    tier: String,
    header: String,
    fact: String,
}

fn load(text: &str) -> BTreeMap<String, Fact> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kind\t") && !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "bad facts row: {l}");
            (
                c[1].to_string(),
                Fact {
                    kind: c[0].into(),
                    tier: c[2].into(),
                    header: c[3].into(),
                    fact: c[4].into(),
                },
            )
        })
        .collect()
}

fn data(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

#[test]
fn include_matches_cpython_314t_headers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("header-parity");
    std::fs::create_dir_all(&out_dir).unwrap();
    let ours_path = out_dir.join("gilgate-headers.tsv");
    let run = Command::new("python3")
        .arg(root.join("scripts/header-facts.py"))
        .arg("-I")
        .arg(root.join("include"))
        .arg("-o")
        .arg(&ours_path)
        .output()
        .expect("running python3 scripts/header-facts.py (needs python3 and gcc)");
    assert!(
        run.status.success(),
        "header-facts.py on include/ failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let ours = load(&std::fs::read_to_string(&ours_path).unwrap());
    let cpython = load(&data("cpython314t-headers.tsv"));
    let toolchain: BTreeMap<String, String> = data("toolchain-private-names.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (n, t) = l.split_once('\t').expect("name<TAB>toolchains");
            (n.to_string(), t.to_string())
        })
        .collect();
    let allowed: BTreeMap<String, String> = data("header-parity-allowed.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (n, r) = l.split_once('\t').expect("name<TAB>reason");
            assert!(!r.trim().is_empty(), "allowed absence `{n}` has no reason");
            (n.to_string(), r.to_string())
        })
        .collect();

    let mut gaps = Vec::new();
    let mut stale = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut other_header = 0;
    for (name, want) in &cpython {
        let required = want.tier == "public" || toolchain.contains_key(name);
        let group = format!(
            "{} {}",
            want.tier,
            if want.kind == "macro" {
                "macros"
            } else {
                "declarations"
            }
        );
        *counts.entry(format!("{group}: CPython")).or_default() += 1;
        let problem = match ours.get(name) {
            None => Some("missing".to_string()),
            Some(have) => {
                let same = if want.kind == "macro" || have.kind == "macro" {
                    have.kind == want.kind && have.fact == want.fact
                } else {
                    (have.kind == "data") == (want.kind == "data") && have.fact == want.fact
                };
                if have.header != want.header {
                    other_header += 1;
                }
                (!same).then(|| {
                    format!(
                        "{} `{}` here, CPython: {} `{}`",
                        have.kind, have.fact, want.kind, want.fact
                    )
                })
            }
        };
        if problem.is_none() {
            *counts.entry(format!("{group}: same here")).or_default() += 1;
        }
        if !required {
            continue;
        }
        match (problem, allowed.contains_key(name)) {
            (Some(p), false) => gaps.push(format!(
                "{name} ({} {}, {}): {p}",
                want.tier, want.kind, want.header
            )),
            (None, true) => stale.push(name.clone()),
            _ => {}
        }
    }
    for name in allowed.keys() {
        if !cpython.contains_key(name) {
            stale.push(format!("{name} (not a CPython name)"));
        }
    }
    for (k, v) in &counts {
        eprintln!("{k}: {v}");
    }
    eprintln!(
        "names in another header than CPython's: {other_header}; allowed absences: {}",
        allowed.len()
    );
    assert!(
        stale.is_empty(),
        "tests/data/header-parity-allowed.tsv lists names that are not absent (remove them):\n  {}",
        stale.join("\n  ")
    );
    assert!(
        gaps.is_empty(),
        "{} differences from CPython 3.14t's headers (add them to include/, or to \
         tests/data/header-parity-allowed.tsv with a reason):\n  {}",
        gaps.len(),
        gaps.join("\n  ")
    );
}
