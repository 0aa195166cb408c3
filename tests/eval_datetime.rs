//! gilgate's built-in `datetime` module (and its small `time` module) at the Python level, through the `eval` language:
//! methods, class attributes, arithmetic, comparisons, hashes and error messages. Every
//! expected answer of `datetime_matches_cpython` is CPython 3.14's, recorded in
//! `tests/data/eval-datetime.json` (`from datetime import *`, `import time as timemod`, TZ=UTC,
//! by `scripts/record-expectations.sh datetime`); expressions that read the clock or the local
//! zone compare results with each other so they hold anywhere.

use gilgate::embed::{Host, PyRef};
use gilgate::eval::{Evaluator, parse};

mod support;

/// The recorded expressions and CPython's answers (`tests/data/eval-datetime.json`, written by
/// `scripts/record-expectations.sh datetime`): hand-written ones (`"cases"`) and seeded random
/// ones (`"random"`, from `scripts/gen_datetime_cases.py`: calendar and timedelta arithmetic on
/// years 1..9999, leap days, large and negative timedeltas, float factors, offsets), each
/// answered with the `repr` of the result or `Type: message`.
struct Recorded {
    cpython: String,
    pairs: Vec<(String, String)>,
}

fn recorded() -> Recorded {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval-datetime.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cpython = v["cpython"].as_str().unwrap_or_default().to_string();
    assert!(
        cpython.starts_with("3.14."),
        "{} was recorded with CPython {cpython:?}; rerun scripts/record-expectations.sh datetime",
        path.display()
    );
    let mut pairs = Vec::new();
    for key in ["cases", "random"] {
        for p in v[key].as_array().unwrap_or_else(|| panic!("{key}")) {
            let s = |i: usize| p[i].as_str().unwrap_or_else(|| panic!("{p}")).to_string();
            pairs.push((s(0), s(1)));
        }
    }
    Recorded { cpython, pairs }
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

/// The runtime is used from one thread at a time.
static RUNTIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    RUNTIME.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn datetime_matches_cpython() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let r = recorded();
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
/// back into the datetime module. Expected answers: CPython 3.14.10 with the same statements.
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
    let _g = lock();
    let mut host = Host::builder().path(cache.join("build/gilgate")).build();
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
    let setup = [
        "tm._time_machine = _time_machine",
        "tm.traveller_stack = [tm]",
        "tm.time_ns = (1234567890123456789).__int__",
        r#"sys.modules["time_machine"] = tm"#,
        "_time_machine.patch()",
    ];
    for src in setup {
        let got = answer(&mut ev, src);
        assert!(got == "<no value>" || got == "None", "{src}: {got}");
    }
    let cases: &[(&str, &str)] = &[
        (
            "datetime.now() == datetime.fromtimestamp(1234567890.123456)",
            "True",
        ),
        (
            "datetime.now(timezone.utc)",
            "datetime.datetime(2009, 2, 13, 23, 31, 30, 123456, tzinfo=datetime.timezone.utc)",
        ),
        (
            "datetime.now(tz=timezone(timedelta(hours=-5)))",
            "datetime.datetime(2009, 2, 13, 18, 31, 30, 123456, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))",
        ),
        (
            "datetime.utcnow()",
            "datetime.datetime(2009, 2, 13, 23, 31, 30, 123456)",
        ),
        ("date.today() == date.fromtimestamp(1234567890)", "True"),
        (
            "datetime.today() == datetime.fromtimestamp(1234567890.123456)",
            "True",
        ),
        ("timemod.time()", "1234567890.1234567"),
        ("timemod.time_ns()", "1234567890123456789"),
        (
            "timemod.gmtime()",
            "time.struct_time(tm_year=2009, tm_mon=2, tm_mday=13, tm_hour=23, tm_min=31, tm_sec=30, tm_wday=4, tm_yday=44, tm_isdst=0)",
        ),
        (
            "timemod.clock_gettime(timemod.CLOCK_REALTIME)",
            "1234567890.1234567",
        ),
        (
            "timemod.clock_gettime_ns(timemod.CLOCK_REALTIME)",
            "1234567890123456789",
        ),
        (
            r#"timemod.strftime("%Y-%m-%d %H:%M") == timemod.strftime("%Y-%m-%d %H:%M", timemod.localtime(1234567890))"#,
            "True",
        ),
        (
            "timemod.localtime() == timemod.localtime(1234567890)",
            "True",
        ),
        (
            "_time_machine.original_now() > datetime(2024, 1, 1)",
            "True",
        ),
        (
            "datetime.now(foo=1)",
            "TypeError: now() got an unexpected keyword argument 'foo'",
        ),
        ("_time_machine.unpatch()", "None"),
        ("datetime.now() > datetime(2024, 1, 1)", "True"),
        ("timemod.time() > 1.7e9", "True"),
    ];
    let mut wrong = Vec::new();
    for (src, want) in cases {
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
/// resolve repeated and skipped wall times by `fold` as CPython does. Expected answers: CPython
/// 3.14.10 under the same TZ.
#[test]
fn local_time_with_daylight_saving_folds_and_gaps() {
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let old = std::env::var_os("TZ");
    // SAFETY: the runtime lock is held, so no other test thread of this binary calls into the
    // C library's time functions while the environment changes.
    unsafe {
        std::env::set_var("TZ", "EST5EDT,M3.2.0,M11.1.0");
        tzset();
    }
    let cases: &[(&str, &str)] = &[
        (r#"timemod.tzset()"#, r#"None"#),
        (r#"timemod.tzname"#, r#"('EST', 'EDT')"#),
        (r#"timemod.timezone"#, r#"18000"#),
        (r#"timemod.altzone"#, r#"14400"#),
        (r#"timemod.daylight"#, r#"1"#),
        (r#"timemod.ctime(0)"#, r#"'Wed Dec 31 19:00:00 1969'"#),
        (
            r#"timemod.ctime(1625140800)"#,
            r#"'Thu Jul  1 08:00:00 2021'"#,
        ),
        (
            r#"datetime.fromtimestamp(1636263000)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30)"#,
        ),
        (
            r#"datetime.fromtimestamp(1636266600)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, fold=1)"#,
        ),
        (
            r#"datetime.fromtimestamp(1636266599.5)"#,
            r#"datetime.datetime(2021, 11, 7, 1, 29, 59, 500000, fold=1)"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30).timestamp()"#,
            r#"1636263000.0"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30, fold=1).timestamp()"#,
            r#"1636266600.0"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30).timestamp()"#,
            r#"1615707000.0"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30, fold=1).timestamp()"#,
            r#"1615703400.0"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30).astimezone()"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 11, 7, 1, 30, fold=1).astimezone()"#,
            r#"datetime.datetime(2021, 11, 7, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        // CPython 3.14 moves a skipped wall time across the gap as timestamp() does (3.11 gave
        // 1:30 EST for fold=0 and 3:30 EDT for fold=1)
        (
            r#"datetime(2021, 3, 14, 2, 30).astimezone()"#,
            r#"datetime.datetime(2021, 3, 14, 3, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 3, 14, 2, 30, fold=1).astimezone()"#,
            r#"datetime.datetime(2021, 3, 14, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        (
            r#"datetime(2021, 7, 1, 12).astimezone(timezone.utc)"#,
            r#"datetime.datetime(2021, 7, 1, 16, 0, tzinfo=datetime.timezone.utc)"#,
        ),
        (
            r#"datetime(2021, 1, 1, 12).astimezone(timezone.utc)"#,
            r#"datetime.datetime(2021, 1, 1, 17, 0, tzinfo=datetime.timezone.utc)"#,
        ),
        (
            r#"datetime(2021, 7, 1, 12, tzinfo=timezone.utc).astimezone()"#,
            r#"datetime.datetime(2021, 7, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'EDT'))"#,
        ),
        (
            r#"datetime(2021, 1, 1, 12, tzinfo=timezone.utc).astimezone()"#,
            r#"datetime.datetime(2021, 1, 1, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))"#,
        ),
        (
            r#"datetime.fromtimestamp(1625140800)"#,
            r#"datetime.datetime(2021, 7, 1, 8, 0)"#,
        ),
        (
            r#"date.fromtimestamp(1636266600)"#,
            r#"datetime.date(2021, 11, 7)"#,
        ),
        (
            r#"datetime.fromtimestamp(0)"#,
            r#"datetime.datetime(1969, 12, 31, 19, 0)"#,
        ),
        (
            r#"datetime.fromtimestamp(-86400 * 365 * 100)"#,
            r#"datetime.datetime(1870, 1, 24, 19, 0)"#,
        ),
        (
            r#"timemod.localtime(1625140800)"#,
            r#"time.struct_time(tm_year=2021, tm_mon=7, tm_mday=1, tm_hour=8, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=182, tm_isdst=1)"#,
        ),
        (r#"timemod.localtime(1625140800).tm_zone"#, r#"'EDT'"#),
        (r#"timemod.localtime(1609502400).tm_gmtoff"#, r#"-18000"#),
        (
            r#"timemod.mktime((2021, 7, 1, 8, 0, 0, 0, 1, -1))"#,
            r#"1625140800.0"#,
        ),
        (
            r#"timemod.strftime("%Z %z", timemod.localtime(1625140800))"#,
            r#"'EDT -0400'"#,
        ),
    ];
    let answers: Vec<(String, &str, &str)> = cases
        .iter()
        .map(|(src, want)| (answer(&mut ev, src), *src, *want))
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
    let _g = lock();
    let _h = Host::new();
    let mut ev = evaluator();
    let live = || {
        gilgate::capi::host::merge_pending();
        gilgate::capi::host::live_objects()
    };
    let mut leaking = Vec::new();
    let r = recorded();
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
    let _g = lock();
    let _h = Host::new();
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
