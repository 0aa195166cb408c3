//! The issue-3 sample modules (`test-extensions/src/{counter,stateful,strproc,containers_demo,
//! numbers_demo,kwargs_demo,buffers_demo}.c`) through `gilgate eval` and through the Rust
//! embedding API.
//!
//! Every expected output is CPython's: the same C sources were built against CPython 3.11's
//! headers (`cc -shared -fPIC $(python3-config --includes)`) and each group of statements run
//! with `python3 -c` in a namespace holding the module's attributes and the module, as
//! `gilgate eval` builds it. Where CPython 3.14 words a message differently from 3.11, 3.14's
//! text is used (noted at the case).

use gilgate::embed::{Host, IntoPy, PyErr, PyRef};
use gilgate_test_extensions::samples_dir;
use std::collections::HashMap;
use std::process::Command;
use std::sync::Mutex;

/// One `gilgate eval` run: the statements, the lines printed, and the exception that ends it.
struct Case {
    module: &'static str,
    stmts: &'static [&'static str],
    out: &'static [&'static str],
    err: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        module: "counter",
        stmts: &[
            r#"c = Counter(5, step=2)"#,
            r#"c"#,
            r#"c.increment()"#,
            r#"c.increment(3)"#,
            r#"c.value"#,
            r#"c.doubled"#,
            r#"c.parity"#,
            r#"c.value = 8"#,
            r#"c.parity"#,
            r#"c.step"#,
            r#"Counter()"#,
            r#"Counter(label='x')"#,
            r#"c.merged(Counter(1)).value"#,
            r#"Counter(1) < Counter(2)"#,
            r#"Counter(3) == Counter(3)"#,
            r#"Counter(3) != Counter(3)"#,
            r#"c.reset()"#,
            r#"c.value"#,
            r#"c.label"#,
            r#"c.label = (1,)"#,
            r#"c"#,
            r#"DEFAULT_STEP"#,
            r#"counter.Counter.__name__"#,
            r#"Counter.__module__"#,
        ],
        out: &[
            r#"Counter(5, step=2)"#,
            r#"7"#,
            r#"13"#,
            r#"13"#,
            r#"26"#,
            r#"'odd'"#,
            r#"'even'"#,
            r#"2"#,
            r#"Counter(0, step=1)"#,
            r#"Counter(0, step=1, label='x')"#,
            r#"9"#,
            r#"True"#,
            r#"True"#,
            r#"False"#,
            r#"None"#,
            r#"0"#,
            r#"None"#,
            r#"Counter(0, step=2, label=(1,))"#,
            r#"1"#,
            r#"'Counter'"#,
            r#"'counter'"#,
        ],
        err: None,
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(step=0)"#],
        out: &[],
        err: Some(r#"ValueError: step must not be zero"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1).step = 5"#],
        out: &[],
        err: Some(r#"AttributeError: readonly attribute"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1).merged(5)"#],
        out: &[],
        err: Some(r#"TypeError: expected a Counter, got int"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1).increment(-1)"#],
        out: &[],
        err: Some(r#"ValueError: times must be >= 0, not -1"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter('a')"#],
        out: &[],
        err: Some(r#"TypeError: 'str' object cannot be interpreted as an integer"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1).parity = 'odd'"#],
        out: &[],
        err: Some(r#"AttributeError: parity is computed from value"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1, 2, 3, 4)"#],
        out: &[],
        err: Some(r#"TypeError: Counter() takes at most 3 arguments (4 given)"#),
    },
    Case {
        module: "counter",
        stmts: &[r#"Counter(1).nope"#],
        out: &[],
        err: Some(r#"AttributeError: 'counter.Counter' object has no attribute 'nope'"#),
    },
    Case {
        module: "stateful",
        stmts: &[
            r#"add(5)"#,
            r#"add(7)"#,
            r#"stats()"#,
            r#"reset()"#,
            r#"stats()"#,
            r#"Error.__name__"#,
            r#"Error.__module__"#,
            r#"__version__"#,
            r#"stateful.add(1)"#,
        ],
        out: &[
            r#"5"#,
            r#"12"#,
            r#"{'total': 12, 'calls': 2}"#,
            r#"None"#,
            r#"{'total': 0, 'calls': 0}"#,
            r#"'Error'"#,
            r#"'stateful'"#,
            r#"'1.0'"#,
            r#"1"#,
        ],
        err: None,
    },
    Case {
        module: "stateful",
        stmts: &[r#"add(2)"#, r#"add(-1)"#],
        out: &[r#"2"#],
        err: Some(r#"Error: negative amount: -1"#),
    },
    Case {
        module: "stateful",
        stmts: &[r#"fail('boom')"#],
        out: &[],
        err: Some(r#"Error: boom"#),
    },
    Case {
        module: "stateful",
        stmts: &[r#"fail()"#],
        out: &[],
        err: Some(r#"Error: failed"#),
    },
    Case {
        module: "stateful",
        stmts: &[r#"add('x')"#],
        out: &[],
        err: Some(r#"TypeError: 'str' object cannot be interpreted as an integer"#),
    },
    Case {
        module: "strproc",
        stmts: &[
            r#"swap_ascii('Hello, World')"#,
            r#"swap_ascii('ÀbC')"#,
            r#"swap_ascii('')"#,
            r#"reverse('abc')"#,
            r#"reverse('héllo')"#,
            r#"reverse('a😀b')"#,
            r#"stats('abc')"#,
            r#"stats('é')"#,
            r#"stats('€')"#,
            r#"stats('😀x')"#,
            r#"stats('')"#,
            r#"count('banana', 'a')"#,
            r#"count('😀😀x', '😀')"#,
            r#"utf8_len('h€llo')"#,
            r#"utf8_len('😀')"#,
        ],
        out: &[
            r#"'hELLO, wORLD'"#,
            r#"'ÀBc'"#,
            r#"''"#,
            r#"'cba'"#,
            r#"'olléh'"#,
            r#"'b😀a'"#,
            r#"(3, 1, 99, True)"#,
            r#"(1, 1, 233, False)"#,
            r#"(1, 2, 8364, False)"#,
            r#"(2, 4, 128512, False)"#,
            r#"(0, 1, 0, True)"#,
            r#"3"#,
            r#"2"#,
            r#"7"#,
            r#"4"#,
        ],
        err: None,
    },
    Case {
        module: "strproc",
        stmts: &[r#"swap_ascii(1)"#],
        out: &[],
        err: Some(r#"TypeError: expected str, got int"#),
    },
    Case {
        module: "strproc",
        stmts: &[r#"count('a', 'bc')"#],
        out: &[],
        err: Some(r#"ValueError: expected one character, got a string of length 2"#),
    },
    Case {
        module: "strproc",
        stmts: &[r#"stats(1)"#],
        out: &[],
        err: Some(r#"TypeError: stats() argument 1 must be str, not int"#),
    },
    Case {
        module: "strproc",
        stmts: &[r#"count('a')"#],
        out: &[],
        err: Some(r#"TypeError: count expected 2 arguments, got 1"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[
            r#"chunks([1, 2, 3, 4, 5], 2)"#,
            r#"chunks('abc', 5)"#,
            r#"chunks((), 3)"#,
            r#"invert({'a': 1, 'b': 2})"#,
            r#"lookup({'a': 1}, 'a')"#,
            r#"lookup({'a': 1}, 'z')"#,
            r#"lookup({'a': 1}, 'z', 0)"#,
            r#"summary([1, 2, 3])"#,
            r#"summary('xyz')"#,
            r#"pairs(b=2, a=1)"#,
            r#"pairs()"#,
        ],
        out: &[
            r#"[(1, 2), (3, 4), (5,)]"#,
            r#"[('a', 'b', 'c')]"#,
            r#"[]"#,
            r#"{1: 'a', 2: 'b'}"#,
            r#"1"#,
            r#"None"#,
            r#"0"#,
            r#"(3, 1, 3, [3, 2, 1])"#,
            r#"(3, 'x', 'z', ['z', 'y', 'x'])"#,
            r#"[('a', 1), ('b', 2)]"#,
            r#"[]"#,
        ],
        err: None,
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"unique([3, 3, 3])"#, r#"unique('aaa')"#],
        out: &[r#"{3}"#, r#"{'a'}"#],
        err: None,
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"chunks([1], 0)"#],
        out: &[],
        err: Some(r#"ValueError: chunk size must be positive"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"invert([])"#],
        out: &[],
        err: Some(r#"TypeError: invert() expects a dict, not list"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"lookup([], 1)"#],
        out: &[],
        err: Some(r#"TypeError: lookup() argument 1 must be dict, not list"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"summary([])"#],
        out: &[],
        err: Some(r#"IndexError: summary() of an empty sequence"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"unique(5)"#],
        out: &[],
        err: Some(r#"TypeError: 'int' object is not iterable"#),
    },
    Case {
        module: "containers_demo",
        stmts: &[r#"chunks(5, 1)"#],
        out: &[],
        err: Some(r#"TypeError: chunks() expects a sequence"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[
            r#"factorial(0)"#,
            r#"factorial(25)"#,
            r#"hypot(3, 4)"#,
            r#"hypot(1.5, 2)"#,
            r#"safe_div(7, -2)"#,
            r#"safe_div(-7.5, 2)"#,
            r#"to_c_long(2**62)"#,
            r#"to_c_long(-5)"#,
            r#"mean(1, 2, 4)"#,
            r#"mean(0.1, 0.2)"#,
            r#"power(2, 100)"#,
            r#"power(2, -2)"#,
            r#"power(2.5, 2)"#,
            r#"describe(True)"#,
            r#"describe(10**20)"#,
            r#"describe(0.1)"#,
            r#"describe(-3)"#,
            r#"describe('x')"#,
            r#"LONG_BITS"#,
            r#"TAU"#,
        ],
        out: &[
            r#"1"#,
            r#"15511210043330985984000000"#,
            r#"5.0"#,
            r#"2.5"#,
            r#"(-4, -1)"#,
            r#"(-4.0, 0.5)"#,
            r#"4611686018427387904"#,
            r#"-5"#,
            r#"2.3333333333333335"#,
            r#"0.15000000000000002"#,
            r#"1267650600228229401496703205376"#,
            r#"0.25"#,
            r#"6.25"#,
            r#"'bool True'"#,
            r#"'int 100000000000000000000'"#,
            r#"'float 0.1'"#,
            r#"'int -3'"#,
            r#"'not a number: str'"#,
            r#"64"#,
            r#"6.283185307179586"#,
        ],
        err: None,
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"factorial(-1)"#],
        out: &[],
        err: Some(r#"ValueError: factorial() not defined for negative values"#),
    },
    Case {
        module: "numbers_demo",
        // CPython 3.14's wording (3.11: "integer division or modulo by zero").
        stmts: &[r#"safe_div(1, 0)"#],
        out: &[],
        err: Some(r#"ZeroDivisionError: division by zero"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"to_c_long(2**64)"#],
        out: &[],
        err: Some(r#"OverflowError: a large positive int does not fit in a C long"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"to_c_long(-2**64)"#],
        out: &[],
        err: Some(r#"OverflowError: a large negative int does not fit in a C long"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"hypot('a', 1)"#],
        out: &[],
        err: Some(r#"TypeError: must be real number, not str"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"mean()"#],
        out: &[],
        err: Some(r#"ValueError: mean() needs at least one number"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"mean(1, 'x')"#],
        out: &[],
        err: Some(r#"TypeError: must be real number, not str"#),
    },
    Case {
        module: "numbers_demo",
        stmts: &[r#"factorial(2.5)"#],
        out: &[],
        err: Some(r#"TypeError: 'float' object cannot be interpreted as an integer"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[
            r#"greet('Ann')"#,
            r#"greet('Ann', 'Hi')"#,
            r#"greet('Ann', punct='?')"#,
            r#"greet(name='Bo', greeting='Yo', times=2)"#,
            r#"scale(3)"#,
            r#"scale(3, 0.5)"#,
            r#"scale(3, factor=3, offset=1)"#,
            r#"scale(2, offset=0.5)"#,
            r#"record(1, 2)"#,
            r#"record(a=1)"#,
            r#"record()"#,
            r#"span(0, 5)"#,
            r#"span(5, 0, step=-2)"#,
            r#"span(stop=3, start=1)"#,
        ],
        out: &[
            r#"'Hello, Ann!'"#,
            r#"'Hi, Ann!'"#,
            r#"'Hello, Ann?'"#,
            r#"'Yo, Bo! Yo, Bo!'"#,
            r#"6.0"#,
            r#"1.5"#,
            r#"10.0"#,
            r#"4.5"#,
            r#"((1, 2), None)"#,
            r#"((), {'a': 1})"#,
            r#"((), None)"#,
            r#"[0, 1, 2, 3, 4]"#,
            r#"[5, 3, 1]"#,
            r#"[1, 2]"#,
        ],
        err: None,
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"greet()"#],
        out: &[],
        err: Some(r#"TypeError: greet() missing required argument 'name' (pos 1)"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"greet('a', 'b', 'c')"#],
        out: &[],
        err: Some(r#"TypeError: greet() takes at most 2 positional arguments (3 given)"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"greet('a', 'b', '!')"#],
        out: &[],
        err: Some(r#"TypeError: greet() takes at most 2 positional arguments (3 given)"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"greet('a', bogus=1)"#],
        out: &[],
        err: Some(r#"TypeError: 'bogus' is an invalid keyword argument for greet()"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"greet('a', times='x')"#],
        out: &[],
        err: Some(r#"TypeError: 'str' object cannot be interpreted as an integer"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"scale(1, 2, factor=2)"#],
        out: &[],
        err: Some(r#"TypeError: scale() got multiple values for argument 'factor'"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"scale(1, nope=2)"#],
        out: &[],
        err: Some(r#"TypeError: scale() got an unexpected keyword argument 'nope'"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"scale()"#],
        out: &[],
        err: Some(r#"TypeError: scale() takes 1 or 2 positional arguments (0 given)"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"scale('x')"#],
        out: &[],
        err: Some(r#"TypeError: must be real number, not str"#),
    },
    Case {
        module: "kwargs_demo",
        stmts: &[r#"span(0, 1, step=0)"#],
        out: &[],
        err: Some(r#"ValueError: span() arg 3 must not be zero"#),
    },
    Case {
        module: "buffers_demo",
        stmts: &[
            r#"checksum(b'abc')"#,
            r#"checksum(Ring(10))"#,
            r#"r = Ring(4)"#,
            r#"r"#,
            r#"fill(r, 7)"#,
            r#"checksum(r)"#,
            r#"r"#,
            r#"r.exports"#,
            r#"info(b'xy')"#,
            r#"info(Ring(3))"#,
            r#"hexlify(b'\x00\xffA')"#,
            r#"hexlify(Ring(3))"#,
            r#"hexlify(b'')"#,
            r#"Ring(0)"#,
        ],
        out: &[
            r#"294"#,
            r#"45"#,
            r#"Ring(4, first=0)"#,
            r#"4"#,
            r#"28"#,
            r#"Ring(4, first=7)"#,
            r#"0"#,
            r#"(2, 1, 1, True, 'B')"#,
            r#"(3, 1, 1, False, 'B')"#,
            r#"b'00ff41'"#,
            r#"b'000102'"#,
            r#"b''"#,
            r#"Ring(0, first=-1)"#,
        ],
        err: None,
    },
    Case {
        module: "buffers_demo",
        stmts: &[r#"fill(b'abc', 1)"#],
        out: &[],
        err: Some(
            r#"TypeError: fill() argument 1 must be read-write bytes-like object, not bytes"#,
        ),
    },
    Case {
        module: "buffers_demo",
        stmts: &[r#"checksum(1)"#],
        out: &[],
        err: Some(r#"TypeError: a bytes-like object is required, not 'int'"#),
    },
    Case {
        module: "buffers_demo",
        stmts: &[r#"fill(Ring(2), 300)"#],
        out: &[],
        err: Some(r#"ValueError: byte must be in range(0, 256)"#),
    },
    Case {
        module: "buffers_demo",
        stmts: &[r#"Ring(-1)"#],
        out: &[],
        err: Some(r#"ValueError: size must be >= 0"#),
    },
    Case {
        module: "buffers_demo",
        stmts: &[r#"hexlify('text')"#],
        out: &[],
        err: Some(r#"TypeError: a bytes-like object is required, not 'str'"#),
    },
];

fn run_case(c: &Case) -> Result<(), String> {
    let o = Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("GILGATE_GIL")
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_PATH")
        .arg("eval")
        .arg("--path")
        .arg(samples_dir())
        .arg(c.module)
        .args(c.stmts)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let got: Vec<&str> = stdout.lines().collect();
    let mut problems = Vec::new();
    if got != c.out {
        problems.push(format!("stdout {got:?}, want {:?}", c.out));
    }
    let want_code = if c.err.is_some() { 1 } else { 0 };
    if o.status.code() != Some(want_code) {
        problems.push(format!("exit {:?}, want {want_code}", o.status.code()));
    }
    if let Some(e) = c.err {
        let last = stderr.lines().last().unwrap_or_default();
        if last != e {
            problems.push(format!("last stderr line {last:?}, want {e:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} {:?}: {}\n  stderr: {stderr}",
            c.module,
            c.stmts,
            problems.join("; ")
        ))
    }
}

fn check_module(module: &str) {
    check_cases(module, |_| true);
}

/// Checks the cases of `module` that `pick` selects.
fn check_cases(module: &str, pick: impl Fn(&Case) -> bool) {
    let failures: Vec<String> = CASES
        .iter()
        .filter(|c| c.module == module && pick(c))
        .filter_map(|c| run_case(c).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_ends_with_at_most_one_exception() {
    for c in CASES {
        assert!(c.out.len() <= c.stmts.len(), "{:?}", c.stmts);
    }
    for m in [
        "counter",
        "stateful",
        "strproc",
        "containers_demo",
        "numbers_demo",
        "kwargs_demo",
        "buffers_demo",
    ] {
        assert!(CASES.iter().any(|c| c.module == m), "{m}");
        assert!(gilgate_test_extensions::sample(m).is_file());
    }
}

#[test]
fn counter_through_eval() {
    check_module("counter");
}

#[test]
fn stateful_through_eval() {
    check_module("stateful");
}

#[test]
fn strproc_through_eval() {
    check_module("strproc");
}

#[test]
fn containers_demo_through_eval() {
    check_cases("containers_demo", |c| !uses_sets(c));
}

/// `unique()` returns a set.
fn uses_sets(c: &Case) -> bool {
    c.stmts.iter().any(|s| s.contains("unique("))
}

#[test]
fn containers_demo_sets_through_eval() {
    check_cases("containers_demo", uses_sets);
}

#[test]
fn numbers_demo_through_eval() {
    check_module("numbers_demo");
}

#[test]
fn kwargs_demo_through_eval() {
    check_module("kwargs_demo");
}

#[test]
fn buffers_demo_through_eval() {
    check_module("buffers_demo");
}

/// The runtime is used from one thread at a time.
static RUNTIME: Mutex<()> = Mutex::new(());

fn host() -> Host {
    Host::builder().path(samples_dir()).build()
}

fn kw(pairs: &[(&'static str, PyRef)]) -> Vec<(&'static str, PyRef)> {
    pairs.to_vec()
}

#[test]
fn counter_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let m = h.import("counter")?;
    let c = m.call_kw("Counter", (5,), kw(&[("step", 2.into_py()?)]))?;
    assert_eq!(c.repr()?, "Counter(5, step=2)");
    assert_eq!(c.call_method("increment", ())?.extract::<i64>()?, 7);
    assert_eq!(c.call_method("increment", (3,))?.extract::<i64>()?, 13);
    c.setattr("value", 8)?;
    assert_eq!(c.getattr("parity")?.extract::<String>()?, "even");
    assert_eq!(c.getattr("doubled")?.extract::<i64>()?, 16);
    assert_eq!(
        c.setattr("step", 5).unwrap_err().to_string(),
        "AttributeError: readonly attribute"
    );
    assert_eq!(
        m.call_kw("Counter", (), kw(&[("step", 0.into_py()?)]))
            .unwrap_err(),
        PyErr::new("ValueError", "step must not be zero")
    );
    assert_eq!(m.getattr("DEFAULT_STEP")?.extract::<i32>()?, 1);
    Ok(())
}

#[test]
fn stateful_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let m = h.import("stateful")?;
    assert_eq!(m.call("add", (5,))?.extract::<i64>()?, 5);
    assert_eq!(m.call("add", (7,))?.extract::<i64>()?, 12);
    let stats: HashMap<String, i64> = m.call("stats", ())?.extract()?;
    assert_eq!(
        stats,
        HashMap::from([("total".into(), 12), ("calls".into(), 2)])
    );
    assert_eq!(
        m.call("add", (-1,)).unwrap_err(),
        PyErr::new("Error", "negative amount: -1")
    );
    assert_eq!(m.call("fail", ()).unwrap_err().to_string(), "Error: failed");
    m.call("reset", ())?;
    Ok(())
}

#[test]
fn strproc_and_containers_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let s = h.import("strproc")?;
    assert_eq!(
        s.call("reverse", ("a\u{1F600}b",))?.extract::<String>()?,
        "b\u{1F600}a"
    );
    assert_eq!(
        s.call("swap_ascii", ("\u{c0}bC",))?.extract::<String>()?,
        "\u{c0}Bc"
    );
    assert_eq!(
        s.call("stats", ("\u{20ac}",))?
            .extract::<(usize, i32, u32, bool)>()?,
        (1, 2, 8364, false)
    );
    assert_eq!(
        s.call("utf8_len", ("h\u{20ac}llo",))?.extract::<usize>()?,
        7
    );
    let c = h.import("containers_demo")?;
    let chunks: Vec<Vec<i64>> = c.call("chunks", (vec![1, 2, 3, 4, 5], 2))?.extract()?;
    assert_eq!(chunks, vec![vec![1, 2], vec![3, 4], vec![5]]);
    let inv: HashMap<i64, String> = c
        .call("invert", (HashMap::from([("a", 1), ("b", 2)]),))?
        .extract()?;
    assert_eq!(inv, HashMap::from([(1, "a".into()), (2, "b".into())]));
    let pairs = c.call_kw("pairs", (), kw(&[("b", 2.into_py()?), ("a", 1.into_py()?)]))?;
    assert_eq!(
        pairs.extract::<Vec<(String, i64)>>()?,
        vec![("a".into(), 1), ("b".into(), 2)]
    );
    let missing: Option<i64> = c
        .call("lookup", (HashMap::from([("a", 1)]), "z"))?
        .extract()?;
    assert_eq!(missing, None);
    assert_eq!(
        c.call("summary", (Vec::<i64>::new(),)).unwrap_err(),
        PyErr::new("IndexError", "summary() of an empty sequence")
    );
    Ok(())
}

#[test]
fn numbers_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let n = h.import("numbers_demo")?;
    assert_eq!(
        n.call("factorial", (25,))?.str()?,
        "15511210043330985984000000"
    );
    assert_eq!(n.call("hypot", (3.0, 4.0))?.extract::<f64>()?, 5.0);
    assert_eq!(
        n.call("safe_div", (7, -2))?.extract::<(i64, i64)>()?,
        (-4, -1)
    );
    assert_eq!(
        n.call("to_c_long", (u64::MAX,)).unwrap_err().to_string(),
        "OverflowError: a large positive int does not fit in a C long"
    );
    assert_eq!(
        n.call("safe_div", (1, 0)).unwrap_err().to_string(),
        "ZeroDivisionError: division by zero"
    );
    Ok(())
}

#[test]
fn kwargs_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let k = h.import("kwargs_demo")?;
    assert_eq!(
        k.call("greet", ("Ann",))?.extract::<String>()?,
        "Hello, Ann!"
    );
    let twice = k.call_kw(
        "greet",
        ("Bo",),
        kw(&[("greeting", "Yo".into_py()?), ("times", 2.into_py()?)]),
    )?;
    assert_eq!(twice.extract::<String>()?, "Yo, Bo! Yo, Bo!");
    let scaled = k.call_kw(
        "scale",
        (3,),
        kw(&[("factor", 3.into_py()?), ("offset", 1.into_py()?)]),
    )?;
    assert_eq!(scaled.extract::<f64>()?, 10.0);
    assert_eq!(
        k.call_kw("scale", (1,), kw(&[("nope", 2.into_py()?)]))
            .unwrap_err()
            .to_string(),
        "TypeError: scale() got an unexpected keyword argument 'nope'"
    );
    Ok(())
}

#[test]
fn buffers_through_the_rust_api() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    let b = h.import("buffers_demo")?;
    assert_eq!(b.call("checksum", (&b"abc"[..],))?.extract::<u64>()?, 294);
    let r = b.call("Ring", (4,))?;
    assert_eq!(b.call("fill", (&r, 7))?.extract::<i64>()?, 4);
    assert_eq!(b.call("checksum", (&r,))?.extract::<u64>()?, 28);
    assert_eq!(r.getattr("exports")?.extract::<i64>()?, 0);
    assert_eq!(
        b.call("hexlify", (vec![0u8, 255, 65],))?
            .extract::<Vec<u8>>()?,
        b"00ff41"
    );
    assert_eq!(
        b.call("fill", (&b"abc"[..], 1)).unwrap_err().to_string(),
        "TypeError: fill() argument 1 must be read-write bytes-like object, not bytes"
    );
    Ok(())
}

/// The reference count of an object owned by this thread (local plus shared references).
fn refcnt(o: &PyRef) -> isize {
    // SAFETY: reading the refcount fields of a live object.
    unsafe { (*o.as_ptr()).ob_ref_local as isize + ((*o.as_ptr()).ob_ref_shared >> 2) }
}

#[test]
fn calls_leave_no_references_behind() -> Result<(), PyErr> {
    let _g = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = host();
    // Arguments: every call path (METH_O, FASTCALL, VARARGS|KEYWORDS, FASTCALL|KEYWORDS,
    // type calls) must give back the references it took.
    let s = h.import("strproc")?;
    let text = "leak check \u{e9}".into_py()?;
    let base = refcnt(&text);
    for _ in 0..50 {
        drop(s.call("reverse", (&text,))?);
        drop(s.call("count", (&text, "e"))?);
        drop(s.call("stats", (&text,))?);
    }
    assert_eq!(refcnt(&text), base, "strproc calls leaked their argument");

    let c = h.import("containers_demo")?;
    let items: Vec<PyRef> = (1000..1010)
        .map(|i| (i as i64).into_py())
        .collect::<Result<_, _>>()?;
    let before: Vec<isize> = items.iter().map(refcnt).collect();
    let list = gilgate::embed::list(items.clone())?;
    for _ in 0..20 {
        drop(c.call("chunks", (&list, 3))?);
        drop(c.call("summary", (&list,))?);
    }
    drop(list);
    let after: Vec<isize> = items.iter().map(refcnt).collect();
    assert_eq!(after, before, "chunks/summary results kept items alive");

    let k = h.import("kwargs_demo")?;
    let x = 1.25f64.into_py()?;
    let f = 3.5f64.into_py()?;
    let (bx, bf) = (refcnt(&x), refcnt(&f));
    for _ in 0..50 {
        drop(k.call_kw("scale", (&x,), [("factor", f.clone())])?);
        drop(k.call_kw("record", (&x,), [("f", f.clone())])?);
    }
    assert_eq!((refcnt(&x), refcnt(&f)), (bx, bf), "keyword calls leaked");

    // Instances: dropping the last reference runs tp_dealloc, which releases the members.
    let counter = h.import("counter")?;
    let label = "a label".into_py()?;
    let bl = refcnt(&label);
    let inst = counter.call_kw("Counter", (1,), [("label", label.clone())])?;
    assert_eq!(refcnt(&label), bl + 1);
    drop(inst);
    assert_eq!(
        refcnt(&label),
        bl,
        "Counter's dealloc did not release its label"
    );
    Ok(())
}
