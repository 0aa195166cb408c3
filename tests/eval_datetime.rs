//! gilgate's built-in `datetime` module (and its small `time` module) at the Python level,
//! through the `eval` language: methods, class attributes, arithmetic, comparisons, hashes and
//! error messages. Every recorded answer is CPython 3.14's, in `tests/data/eval-datetime*.json`
//! (`from datetime import *`, `import time as timemod`, TZ=UTC unless the file names another, by
//! `scripts/record-expectations.sh datetime`); expressions that read the clock or the local zone
//! compare results with each other so they hold anywhere.

use gilgate::embed::{Host, PyRef};
use gilgate::eval::{Evaluator, parse};

mod support;

/// Recorded expressions and CPython's answers, from a file of `tests/data` written by
/// `scripts/record-expectations.sh datetime`:
/// - `eval-datetime.json`: hand-written ones (`"cases"`) and seeded random ones (`"random"`,
///   from `scripts/gen_datetime_cases.py`: calendar and timedelta arithmetic on years 1..9999,
///   leap days, large and negative timedeltas, float factors, offsets), under TZ=UTC;
/// - `eval-datetime-dst.json`: local time under the POSIX TZ rule of its `"tz"`;
/// - `eval-datetime-time-machine.json`: its `"setup"` statements, then the cases, with
///   time-machine's C module patching datetime and time.
///
/// Each answer is the `repr` of the result, `Type: message`, or `<no value>` for a statement.
struct Recorded {
    cpython: String,
    tz: Option<String>,
    setup: Vec<String>,
    pairs: Vec<(String, String)>,
}

fn recorded(file: &str) -> Recorded {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cpython = v["cpython"].as_str().unwrap_or_default().to_string();
    assert!(
        cpython.starts_with("3.14."),
        "{} was recorded with CPython {cpython:?}; rerun scripts/record-expectations.sh datetime",
        path.display()
    );
    let text_of = |x: &serde_json::Value| {
        x.as_str()
            .unwrap_or_else(|| panic!("{}: {x} is not a string", path.display()))
            .to_string()
    };
    let mut pairs = Vec::new();
    for key in ["cases", "random"] {
        let Some(list) = v.get(key) else {
            assert_ne!(key, "cases", "{}: no \"cases\"", path.display());
            continue;
        };
        for p in list.as_array().unwrap_or_else(|| panic!("{key}")) {
            pairs.push((text_of(&p[0]), text_of(&p[1])));
        }
    }
    assert!(!pairs.is_empty(), "{}: no cases", path.display());
    let setup = v
        .get("setup")
        .map(|s| s.as_array().expect("setup").iter().map(text_of).collect())
        .unwrap_or_default();
    Recorded {
        cpython,
        tz: v.get("tz").map(text_of),
        setup,
        pairs,
    }
}

fn evaluator() -> Evaluator {
    let mut ev = Evaluator::new();
    let m = gilgate::capi::host::import_module("datetime");
    // SAFETY: import_module returns a new reference or NULL with an exception set.
    let m = unsafe { PyRef::from_owned_ptr(m) }.expect("import datetime");
    for name in [
        "date",
        "datetime",
        "time",
        "timedelta",
        "timezone",
        "tzinfo",
    ] {
        ev.set(name, m.getattr(name).expect(name));
    }
    let t = gilgate::capi::host::import_module("time");
    // SAFETY: as above.
    ev.set(
        "timemod",
        unsafe { PyRef::from_owned_ptr(t) }.expect("import time"),
    );
    ev
}

fn answer(ev: &mut Evaluator, src: &str) -> String {
    let stmt = parse::parse_stmt(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    match ev.exec(&stmt) {
        Ok(Some(v)) => v.repr().unwrap_or_else(|e| format!("repr failed: {e}")),
        Ok(None) => "<no value>".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn datetime_matches_cpython() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    // Direct runtime calls below: keep this thread attached.
    let _a = gilgate::embed::attach();
    let mut ev = evaluator();
    let r = recorded("eval-datetime.json");
    let mut wrong = Vec::new();
    for (src, want) in &r.pairs {
        let got = answer(&mut ev, src);
        if got != *want {
            wrong.push(format!("{src}\n    want: {want}\n    got:  {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ from CPython {}:\n{}",
        wrong.len(),
        r.pairs.len(),
        r.cpython,
        wrong.join("\n")
    );
}

/// time-machine 3.6.0's C module (built by `scripts/build-sdists.sh`) travelling for real: a
/// stand-in `time_machine` module in `sys.modules` whose traveller's `time_ns()` gives a fixed
/// instant, then the patched `datetime.datetime.now`, `date.today`, `time.time`, ... of gilgate's
/// own modules answer with it, through `cls.fromtimestamp(...).replace(microsecond=...)` calls
/// back into the datetime module. The statements and CPython's answers (the same statements with
/// `_time_machine` built against CPython): `tests/data/eval-datetime-time-machine.json`.
#[test]
fn time_machine_travels_with_gilgates_datetime_and_time() {
    let cache = support::sdists_dir();
    let Some(status) = support::sdist_status("tests/eval_datetime.rs time-machine test") else {
        return;
    };
    assert!(
        status.lines().any(|l| l == "gilgate _time_machine ok"),
        "_time_machine did not compile against include/"
    );
    let _g = support::runtime_lock();
    let mut host = Host::builder().path(cache.join("build/gilgate")).build();
    // Direct runtime calls below: keep this thread attached.
    let _a = gilgate::embed::attach();
    let tm = host.import("_time_machine").expect("load _time_machine");
    let mut ev = evaluator();
    ev.add_module(&tm, false).expect("add _time_machine");
    let sys = gilgate::capi::host::import_module("sys");
    // SAFETY: a new reference or NULL with an exception set.
    ev.set(
        "sys",
        unsafe { PyRef::from_owned_ptr(sys) }.expect("import sys"),
    );
    // the stand-in for the pure-Python `time_machine` package
    let name = gilgate::capi::testing::unicodeobject::from_str("time_machine");
    // SAFETY: a live str; new_module returns a new reference or NULL with an exception set.
    let stand_in = unsafe { gilgate::capi::testing::moduleobject::new_module(name) };
    // SAFETY: our reference to the name.
    unsafe { gilgate::capi::host::decref(name) };
    // SAFETY: as above.
    ev.set(
        "tm",
        unsafe { PyRef::from_owned_ptr(stand_in) }.expect("module"),
    );
    let r = recorded("eval-datetime-time-machine.json");
    for src in &r.setup {
        let got = answer(&mut ev, src);
        assert!(got == "<no value>" || got == "None", "{src}: {got}");
    }
    let mut wrong = Vec::new();
    for (src, want) in &r.pairs {
        let got = answer(&mut ev, src);
        if got != *want {
            wrong.push(format!("{src}\n    want: {want}\n    got:  {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

unsafe extern "C" {
    fn tzset();
}

/// Local time in a zone with daylight saving time (a POSIX TZ rule, so no tz database is
/// needed): `fromtimestamp` sets `fold` on the repeated hour, `timestamp()` and `astimezone()`
/// resolve repeated and skipped wall times by `fold` as CPython does (3.14 moves a skipped wall
/// time across the gap as `timestamp()` does; 3.11 gave 1:30 EST for fold=0 and 3:30 EDT for
/// fold=1). The zone and CPython's answers under it: `tests/data/eval-datetime-dst.json`.
#[test]
fn local_time_with_daylight_saving_folds_and_gaps() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    // Direct runtime calls below: keep this thread attached.
    let _a = gilgate::embed::attach();
    let mut ev = evaluator();
    let r = recorded("eval-datetime-dst.json");
    let Some(tz) = r.tz.as_deref() else {
        panic!("eval-datetime-dst.json names no \"tz\"");
    };
    let old = std::env::var_os("TZ");
    // SAFETY: the runtime lock is held, so no other test thread of this binary calls into the
    // C library's time functions while the environment changes.
    unsafe {
        std::env::set_var("TZ", tz);
        tzset();
    }
    let answers: Vec<(String, &str, &str)> = r
        .pairs
        .iter()
        .map(|(src, want)| (answer(&mut ev, src), src.as_str(), want.as_str()))
        .collect();
    // SAFETY: as above.
    unsafe {
        match old {
            Some(v) => std::env::set_var("TZ", v),
            None => std::env::remove_var("TZ"),
        }
        tzset();
    }
    assert_eq!(answer(&mut ev, "timemod.tzset()"), "None");
    let wrong: Vec<String> = answers
        .iter()
        .filter(|(got, _, want)| got != want)
        .map(|(got, src, want)| format!("{src}\n    want: {want}\n    got:  {got}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// No leaks: after a warm-up, evaluating each case again (results, errors and all) creates and
/// frees exactly the same objects (`live_objects`, the runtime's count of objects not yet
/// deallocated, is back where it was).
#[test]
fn datetime_and_time_operations_do_not_leak() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    // Direct runtime calls below: keep this thread attached.
    let _a = gilgate::embed::attach();
    let mut ev = evaluator();
    let live = || {
        gilgate::capi::host::merge_pending();
        gilgate::capi::host::live_objects()
    };
    let mut leaking = Vec::new();
    let r = recorded("eval-datetime.json");
    for (src, _) in &r.pairs {
        answer(&mut ev, src);
        // a case leaks when every one of three measured rounds leaves objects behind
        let leaked = (0..3).all(|_| {
            let before = live();
            answer(&mut ev, src);
            answer(&mut ev, src);
            live() > before
        });
        if leaked {
            leaking.push(src.as_str());
        }
    }
    assert!(leaking.is_empty(), "leaking: {leaking:#?}");
}

/// `divmod()` (not in the `eval` language's builtins) through `PyNumber_Divmod`, which
/// reaches timedelta's `nb_divmod`.
#[test]
fn timedelta_divmod() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    // Direct runtime calls below: keep this thread attached.
    let _a = gilgate::embed::attach();
    let mut ev = evaluator();
    let cases: &[(&str, &str, &str)] = &[
        (
            "timedelta(1)",
            "timedelta(hours=7)",
            r#"(3, datetime.timedelta(seconds=10800))"#,
        ),
        (
            "timedelta(-1)",
            "timedelta(hours=7)",
            r#"(-4, datetime.timedelta(seconds=14400))"#,
        ),
        (
            "timedelta(1)",
            "timedelta(hours=-7)",
            r#"(-4, datetime.timedelta(days=-1, seconds=72000))"#,
        ),
        (
            "timedelta(1)",
            "timedelta(0)",
            r#"ZeroDivisionError: division by zero"#,
        ),
        (
            "timedelta(1)",
            "3",
            r#"TypeError: unsupported operand type(s) for divmod(): 'datetime.timedelta' and 'int'"#,
        ),
        (
            "date(2020, 1, 1)",
            "timedelta(1)",
            r#"TypeError: unsupported operand type(s) for divmod(): 'datetime.date' and 'datetime.timedelta'"#,
        ),
    ];
    let mut eval_obj = |src: &str| {
        let stmt = parse::parse_stmt(src).expect(src);
        ev.exec(&stmt).expect(src).expect(src)
    };
    for (a, b, want) in cases {
        let (x, y) = (eval_obj(a), eval_obj(b));
        // SAFETY: two live objects; the result is a new reference or NULL with an exception.
        let r = unsafe {
            PyRef::from_owned_ptr(gilgate::capi::ffi::PyNumber_Divmod(x.as_ptr(), y.as_ptr()))
        };
        let got = match r {
            Ok(v) => v.repr().unwrap_or_default(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, *want, "divmod({a}, {b})");
    }
}
