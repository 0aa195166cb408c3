//! The benchmark extension `benchmod` (issue 3's C API benchmark) gives the checksums
//! CPython 3.14 computes for the same source, through the Rust embedding API (every value is a
//! deterministic function of `n`). CPython's answers are the `benchmod` cases of
//! `tests/data/eval-samples.json` (`scripts/record-expectations.sh samples` builds benchmod.c
//! against CPython's headers in the reference root and records them; `tests/eval_samples.rs`
//! runs the same cases through `gilgate eval`).

mod expect;
mod support;

use gilgate::embed::Host;
use gilgate_test_extensions::samples_dir;

/// The workloads returning an int, in the order of the rows below.
const INT_WORKLOADS: [&str; 6] = [
    "objects",
    "int_arith",
    "list_ops",
    "dict_ops",
    "str_build",
    "parse_args",
];

/// The workloads issue 12 added, each returning an int, in the order of their recorded case.
const NEW_WORKLOADS: [&str; 8] = [
    "getattr",
    "getitem",
    "unicode_utf8",
    "long_as",
    "exceptions",
    "build_value",
    "call_fastcall",
    "parse_kwargs",
];

const SIZES: [i64; 4] = [0, 1, 1000, 20000];

/// The ints of one recorded line such as `[0, 1, 2]`.
fn ints(line: &str) -> Vec<i64> {
    line.trim_matches(|c| c == '[' || c == ']')
        .split(", ")
        .map(|v| v.parse().unwrap())
        .collect()
}

/// The recorded benchmod case whose first statement is `first`.
fn recorded(first: &str) -> expect::Recorded {
    expect::load("eval-samples.json")
        .cases
        .into_iter()
        .find(|c| c.module == "benchmod" && c.exprs.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no recorded benchmod case {first:?}"))
}

#[test]
fn checksums_equal_cpython() {
    let _g = support::runtime_lock();
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").unwrap();
    let first = format!("[{}]", INT_WORKLOADS.map(|w| format!("{w}(0)")).join(", "));
    let r = recorded(&first);
    // CPython's lines: one list of the int workloads per size, then float_arith per size.
    assert_eq!(r.stdout.len(), 2 * SIZES.len(), "{:?}", r.stdout);
    for (n, line) in SIZES.iter().zip(&r.stdout) {
        let expected = ints(line);
        assert_eq!(expected.len(), INT_WORKLOADS.len(), "{line}");
        for (name, want) in INT_WORKLOADS.iter().zip(expected) {
            let got: i64 = m.call(name, (*n,)).unwrap().extract().unwrap();
            assert_eq!(got, want, "{name}({n})");
        }
    }
    for (n, line) in SIZES.iter().zip(&r.stdout[SIZES.len()..]) {
        let want: f64 = line.parse().unwrap();
        let got: f64 = m.call("float_arith", (*n,)).unwrap().extract().unwrap();
        assert_eq!(got, want, "float_arith({n})");
    }
}

#[test]
fn new_workloads_give_cpythons_checksums() {
    let _g = support::runtime_lock();
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").unwrap();
    let first = format!("[{}]", NEW_WORKLOADS.map(|w| format!("{w}(0)")).join(", "));
    let r = recorded(&first);
    assert_eq!(r.stdout.len(), SIZES.len(), "{:?}", r.stdout);
    for (n, line) in SIZES.iter().zip(&r.stdout) {
        let expected = ints(line);
        assert_eq!(expected.len(), NEW_WORKLOADS.len(), "{line}");
        for (name, want) in NEW_WORKLOADS.iter().zip(expected) {
            let got: i64 = m.call(name, (*n,)).unwrap().extract().unwrap();
            assert_eq!(got, want, "{name}({n})");
        }
    }
}

#[test]
fn bad_arguments_raise_as_in_cpython() {
    let _g = support::runtime_lock();
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").unwrap();
    let e = m.call("objects", (-1,)).unwrap_err();
    assert_eq!(e.to_string(), recorded("objects(-1)").stderr);
    let e = m.call("target", ("x", 1.0, "s")).unwrap_err();
    assert_eq!(e.to_string(), recorded(r#"target("x", 1.0, "s")"#).stderr);
    let six: i64 = m
        .call("target", (1, 2.5, "ab", true))
        .unwrap()
        .extract()
        .unwrap();
    assert_eq!(
        six.to_string(),
        recorded(r#"target(1, 2.5, "ab", True)"#).stdout[0]
    );
}
