//! No leaks through the Rust embedding API: each realistic sample module of `test-extensions/`
//! is loaded, a workload of its functions runs (error paths included: exceptions raised,
//! fetched and dropped), every handle is dropped, and the runtime's live-object count
//! (`gilgate_capi::host::live_objects`: objects created and not yet deallocated) must be back
//! exactly where it was.
//!
//! The module objects themselves stay loaded (gilgate never unloads a module, and
//! `sys.modules` keeps them), so the baseline is taken after the load. It is also taken after
//! one warm-up round of the same workload: a first run may create objects that are meant to
//! live on (interned attribute names, lazily created caches). Every later round must then
//! create and free exactly the same objects; a missing decref anywhere on the path leaves at
//! least one object per round and fails the test.

use gilgate::capi::host::live_objects;
use gilgate::capi::host::merge_pending;
use gilgate::embed::{self, Host, IntoPy, Module, PyErr, PyRef, PyResult};
use gilgate::eval::{Evaluator, parse::parse_stmt};
use gilgate_test_extensions::samples_dir;

mod support;

use support::runtime_thread::on_runtime_thread;

fn init_runtime() {
    embed::init_runtime().unwrap();
}

/// Rounds measured after the warm-up.
const ROUNDS: usize = 3;

fn live() -> isize {
    merge_pending();
    live_objects()
}

/// Runs `work` once to warm up, then `ROUNDS` more times, and asserts the live-object count
/// after those rounds equals the count before them.
fn assert_no_leak(what: &str, mut work: impl FnMut() -> PyResult<()>) {
    work().unwrap_or_else(|e| panic!("{what}: warm-up failed: {e}"));
    let before = live();
    for round in 0..ROUNDS {
        work().unwrap_or_else(|e| panic!("{what}: round {round} failed: {e}"));
    }
    let after = live();
    assert_eq!(
        after - before,
        0,
        "{what}: {} objects created by {ROUNDS} rounds are still alive",
        after - before
    );
}

fn host() -> Host {
    Host::builder().path(samples_dir()).build()
}

/// Expects `r` to be an error of type `ty`; the error (already fetched out of the runtime's
/// indicator by the embedding API) is dropped here.
fn expect_err<T>(r: PyResult<T>, ty: &str) -> PyResult<()> {
    match r {
        Ok(_) => Err(PyErr::new("AssertionError", format!("expected {ty}"))),
        Err(e) if e.type_name == ty => {
            assert!(!PyErr::occurred(), "the error indicator was not cleared");
            Ok(())
        }
        Err(e) => Err(PyErr::new(
            "AssertionError",
            format!("expected {ty}, got {e}"),
        )),
    }
}

/// One `gilgate eval`-style session: a fresh namespace holding the module's attributes, the
/// statements run in order with the `repr` of each value taken; the last statement may raise
/// `err` (a type name).
fn eval_session(m: &Module, stmts: &[&str], err: Option<&str>) -> PyResult<()> {
    let mut ev = Evaluator::new();
    ev.add_module(m, true)?;
    for (i, src) in stmts.iter().enumerate() {
        let stmt = parse_stmt(src).map_err(|e| PyErr::new("SyntaxError", e.to_string()))?;
        let r = ev.exec(&stmt).and_then(|v| match v {
            Some(v) => Evaluator::repr(&v).map(|_| ()),
            None => Ok(()),
        });
        match (r, err) {
            (Ok(()), _) if i + 1 < stmts.len() || err.is_none() => {}
            (r, Some(ty)) if i + 1 == stmts.len() => expect_err(r, ty)?,
            (r, _) => r.map_err(|e| PyErr::new(e.type_name, format!("{src}: {}", e.message)))?,
        }
    }
    Ok(())
}

/// Sessions: (statements, the exception type the last one raises).
type Sessions = &'static [(&'static [&'static str], Option<&'static str>)];

fn check_eval(module: &'static str, sessions: Sessions) {
    on_runtime_thread(move || {
        init_runtime();
        let mut h = host();
        let m = h.import(module).unwrap();
        assert_no_leak(&format!("{module} through eval"), || {
            for (stmts, err) in sessions {
                eval_session(&m, stmts, *err)?;
            }
            Ok(())
        });
    });
}

#[test]
fn counter_eval_workload_leaks_nothing() {
    check_eval(
        "counter",
        &[
            (
                &[
                    "c = Counter(5, step=2)",
                    "c",
                    "c.increment()",
                    "c.increment(3)",
                    "c.value",
                    "c.doubled",
                    "c.parity",
                    "c.value = 8",
                    "c.parity",
                    "c.step",
                    "Counter()",
                    "Counter(label='x')",
                    "c.merged(Counter(1)).value",
                    "Counter(1) < Counter(2)",
                    "Counter(3) == Counter(3)",
                    "Counter(3) != Counter(3)",
                    "c.reset()",
                    "c.label = (1, [2, 'three'], {'k': 4.5})",
                    "c",
                    "c.label = None",
                    "counter.Counter.__name__",
                ],
                None,
            ),
            (&["Counter(step=0)"], Some("ValueError")),
            (&["Counter(1).step = 5"], Some("AttributeError")),
            (&["Counter(1).merged(5)"], Some("TypeError")),
            (&["Counter(1).increment(-1)"], Some("ValueError")),
            (&["Counter('a')"], Some("TypeError")),
            (&["Counter(1).parity = 'odd'"], Some("AttributeError")),
            (&["Counter(1, 2, 3, 4)"], Some("TypeError")),
            (
                &["c = Counter(1, label='kept')", "c.nope"],
                Some("AttributeError"),
            ),
        ],
    );
}

#[test]
fn stateful_eval_workload_leaks_nothing() {
    check_eval(
        "stateful",
        &[
            (
                &[
                    "add(5)",
                    "stats()",
                    "reset()",
                    "stats()",
                    "Error.__name__",
                    "stateful.add(1)",
                    "reset()",
                ],
                None,
            ),
            (&["add(2)", "add(-1)"], Some("Error")),
            (&["fail('boom')"], Some("Error")),
            (&["fail()"], Some("Error")),
            (&["add('x')"], Some("TypeError")),
        ],
    );
}

#[test]
fn strproc_eval_workload_leaks_nothing() {
    check_eval(
        "strproc",
        &[
            (
                &[
                    "swap_ascii('Hello, World')",
                    "swap_ascii('ÀbC')",
                    "swap_ascii('')",
                    "reverse('abc')",
                    "reverse('héllo')",
                    "reverse('a😀b')",
                    "reverse('€uro')",
                    "stats('abc')",
                    "stats('é')",
                    "stats('€')",
                    "stats('😀x')",
                    "count('banana', 'a')",
                    "count('😀😀x', '😀')",
                    "utf8_len('h€llo')",
                    "utf8_len('😀')",
                ],
                None,
            ),
            (&["swap_ascii(1)"], Some("TypeError")),
            (&["count('a', 'bc')"], Some("ValueError")),
            (&["stats(1)"], Some("TypeError")),
            (&["count('a')"], Some("TypeError")),
        ],
    );
}

#[test]
fn containers_demo_eval_workload_leaks_nothing() {
    check_eval(
        "containers_demo",
        &[
            (
                &[
                    "chunks([1, 2, 3, 4, 5], 2)",
                    "chunks('abc', 5)",
                    "chunks((), 3)",
                    "invert({'a': 1, 'b': 2, 'c': (3, 4)})",
                    "lookup({'a': 1}, 'a')",
                    "lookup({'a': 1}, 'z')",
                    "lookup({'a': 1}, 'z', 0)",
                    "summary([1, 2, 3])",
                    "summary('xyz')",
                    "pairs(b=2, a=1)",
                    "pairs()",
                    "unique([3, 3, 1, 'x', 'x'])",
                    "unique('aaa')",
                ],
                None,
            ),
            (&["chunks([1], 0)"], Some("ValueError")),
            (&["invert([])"], Some("TypeError")),
            (&["lookup([], 1)"], Some("TypeError")),
            (&["summary([])"], Some("IndexError")),
            (&["unique(5)"], Some("TypeError")),
            (&["chunks(5, 1)"], Some("TypeError")),
            (&["invert({'a': [1]})"], Some("TypeError")),
        ],
    );
}

#[test]
fn numbers_demo_eval_workload_leaks_nothing() {
    check_eval(
        "numbers_demo",
        &[
            (
                &[
                    "factorial(0)",
                    "factorial(40)",
                    "hypot(3, 4)",
                    "hypot(1.5, 2)",
                    "safe_div(7, -2)",
                    "safe_div(-7.5, 2)",
                    "safe_div(10**40, 7)",
                    "to_c_long(2**62)",
                    "to_c_long(-5)",
                    "mean(1, 2, 4)",
                    "mean(0.1, 0.2)",
                    "power(2, 100)",
                    "power(2, -2)",
                    "power(2.5, 2)",
                    "describe(True)",
                    "describe(10**20)",
                    "describe(0.1)",
                    "describe(-3)",
                    "describe('x')",
                    "-(2**70) // 3 + 2**65 % 7 - 1.5 * 4",
                ],
                None,
            ),
            (&["factorial(-1)"], Some("ValueError")),
            (&["safe_div(1, 0)"], Some("ZeroDivisionError")),
            (&["to_c_long(2**64)"], Some("OverflowError")),
            (&["to_c_long(-2**64)"], Some("OverflowError")),
            (&["hypot('a', 1)"], Some("TypeError")),
            (&["mean()"], Some("ValueError")),
            (&["mean(1, 'x')"], Some("TypeError")),
            (&["factorial(2.5)"], Some("TypeError")),
        ],
    );
}

#[test]
fn kwargs_demo_eval_workload_leaks_nothing() {
    check_eval(
        "kwargs_demo",
        &[
            (
                &[
                    "greet('Ann')",
                    "greet('Ann', 'Hi')",
                    "greet('Ann', punct='?')",
                    "greet(name='Bo', greeting='Yo', times=2)",
                    "scale(3)",
                    "scale(3, 0.5)",
                    "scale(3, factor=3, offset=1)",
                    "scale(2, offset=0.5)",
                    "record(1, 2)",
                    "record(a=1, b=[2])",
                    "record()",
                    "span(0, 5)",
                    "span(5, 0, step=-2)",
                    "span(stop=3, start=1)",
                ],
                None,
            ),
            (&["greet()"], Some("TypeError")),
            (&["greet('a', 'b', 'c')"], Some("TypeError")),
            (&["greet('a', bogus=1)"], Some("TypeError")),
            (&["greet('a', times='x')"], Some("TypeError")),
            (&["scale(1, 2, factor=2)"], Some("TypeError")),
            (&["scale(1, nope=2)"], Some("TypeError")),
            (&["scale()"], Some("TypeError")),
            (&["scale('x')"], Some("TypeError")),
            (&["span(0, 1, step=0)"], Some("ValueError")),
        ],
    );
}

#[test]
fn buffers_demo_eval_workload_leaks_nothing() {
    check_eval(
        "buffers_demo",
        &[
            (
                &[
                    "checksum(b'abc')",
                    "checksum(Ring(10))",
                    "r = Ring(4)",
                    "r",
                    "fill(r, 7)",
                    "checksum(r)",
                    "r.exports",
                    "info(b'xy')",
                    "info(Ring(3))",
                    "hexlify(b'\\x00\\xffA')",
                    "hexlify(Ring(3))",
                    "hexlify(b'')",
                    "Ring(0)",
                ],
                None,
            ),
            (&["fill(b'abc', 1)"], Some("TypeError")),
            (&["checksum(1)"], Some("TypeError")),
            (&["fill(Ring(2), 300)"], Some("ValueError")),
            (&["Ring(-1)"], Some("ValueError")),
            (&["hexlify('text')"], Some("TypeError")),
        ],
    );
}

#[test]
fn api_tour_eval_workload_leaks_nothing() {
    check_eval(
        "api_tour",
        &[
            (
                &[
                    "calls()",
                    "describe(5)",
                    "describe('héllo')",
                    "describe((1, 2, 3))",
                    "describe([])",
                    "add(2, 3)",
                    "greet('Ann')",
                    "greet('Ann', punctuation='?')",
                    "count_args(1, 'two', 3.0)",
                    "count_all(1, 2, x=3)",
                    "nap()",
                    "c = Counter()",
                    "c.increment()",
                    "c.double",
                    "c.value = 20",
                    "c.double",
                    "limits",
                ],
                None,
            ),
            (&["fail()"], Some("KeyError")),
            (&["add(1)"], Some("TypeError")),
            (&["add('a', 1)"], Some("TypeError")),
            (&["greet(1)"], Some("TypeError")),
            (&["greet('a', nope=1)"], Some("TypeError")),
            (&["Counter().label = 'x'"], Some("AttributeError")),
        ],
    );
}

#[test]
fn benchmod_workloads_leak_nothing() {
    on_runtime_thread(move || {
        init_runtime();
        let mut h = host();
        let m = h.import("benchmod").unwrap();
        assert_no_leak("benchmod", || {
            for name in [
                "objects",
                "int_arith",
                "float_arith",
                "list_ops",
                "dict_ops",
                "str_build",
                "parse_args",
                "getattr",
                "getitem",
                "unicode_utf8",
                "long_as",
                "exceptions",
                "build_value",
                "call_fastcall",
                "parse_kwargs",
            ] {
                m.call(name, (300,))?.repr()?;
            }
            m.call("target", (1, 2.5, "ab", true))?;
            expect_err(m.call("objects", (-1,)), "ValueError")?;
            expect_err(m.call("target", ("x", 1.0, "s")), "TypeError")?;
            Ok(())
        });
    });
}

fn kw(pairs: &[(&'static str, PyRef)]) -> Vec<(&'static str, PyRef)> {
    pairs.to_vec()
}

#[test]
fn samples_through_rust_calls_leak_nothing() {
    on_runtime_thread(move || {
        init_runtime();
        let mut h = host();
        let counter = h.import("counter").unwrap();
        let stateful = h.import("stateful").unwrap();
        let strproc = h.import("strproc").unwrap();
        let containers = h.import("containers_demo").unwrap();
        let numbers = h.import("numbers_demo").unwrap();
        let kwargs = h.import("kwargs_demo").unwrap();
        let buffers = h.import("buffers_demo").unwrap();
        assert_no_leak("Rust API calls", || {
            let ty = counter.getattr("Counter")?;
            let c = ty.call_kw((5,), kw(&[("step", 2.into_py()?)]))?;
            c.call_method("increment", (3,))?;
            let other = ty.call((1,))?;
            let merged = c.call_method("merged", (other.clone(),))?;
            let _: i64 = merged.getattr("value")?.extract()?;
            c.setattr("label", embed::list(vec!["a".into_py()?, 1.5.into_py()?])?)?;
            c.setattr("value", 8)?;
            let _: String = c.getattr("parity")?.extract()?;
            expect_err(c.setattr("step", 1), "AttributeError")?;
            expect_err(c.call_method("merged", (5,)), "TypeError")?;
            expect_err(c.getattr("nope"), "AttributeError")?;
            expect_err(ty.call_kw((), kw(&[("step", 0.into_py()?)])), "ValueError")?;

            stateful.call("add", (7,))?;
            let _: Vec<(String, i64)> = stateful.call("stats", ())?.dict_items()?;
            stateful.call("reset", ())?;
            expect_err(stateful.call("add", (-1,)), "Error")?;
            expect_err(stateful.call("fail", ("boom",)), "Error")?;

            let _: String = strproc.call("reverse", ("a😀bé",))?.extract()?;
            let _: String = strproc.call("swap_ascii", ("Hello €",))?.extract()?;
            strproc.call("stats", ("😀x",))?;
            let _: i64 = strproc.call("count", ("banana", "a"))?.extract()?;
            expect_err(strproc.call("count", ("a", "bc")), "ValueError")?;

            let seq = embed::list((1..=7).map(|i| i.into_py()).collect::<PyResult<_>>()?)?;
            containers.call("chunks", (seq.clone(), 3))?.iterate()?;
            let d = embed::dict_from_pairs([("a", 1i64), ("b", 2)])?;
            containers
                .call("invert", (d.clone(),))?
                .dict_items::<i64, String>()?;
            containers.call("lookup", (d, "z", 0))?;
            containers.call("summary", (seq.clone(),))?;
            containers.call("unique", (seq,))?;
            expect_err(
                containers.call("summary", (embed::list(vec![])?,)),
                "IndexError",
            )?;

            let _: num_bigint::BigInt = numbers.call("factorial", (30,))?.extract()?;
            let _: f64 = numbers.call("hypot", (3, 4))?.extract()?;
            numbers.call("safe_div", (7, -2))?.iterate()?;
            numbers.call("power", (2, 100))?;
            expect_err(numbers.call("safe_div", (1, 0)), "ZeroDivisionError")?;
            let two_64 = embed::int_from_digits("18446744073709551616", 10)?;
            expect_err(numbers.call("to_c_long", (two_64,)), "OverflowError")?;

            let _: String = kwargs
                .call_kw("greet", ("Ann",), kw(&[("times", 2.into_py()?)]))?
                .extract()?;
            kwargs.call_kw("record", (1, 2), kw(&[("a", 1.into_py()?)]))?;
            expect_err(
                kwargs.call_kw("greet", ("a",), kw(&[("bogus", 1.into_py()?)])),
                "TypeError",
            )?;

            let ring = buffers.getattr("Ring")?.call((8,))?;
            buffers.call("fill", (ring.clone(), 3))?;
            let _: i64 = buffers.call("checksum", (ring.clone(),))?.extract()?;
            buffers.call("hexlify", (ring,))?;
            expect_err(buffers.call("checksum", (1,)), "TypeError")?;
            Ok(())
        });
    });
}

#[test]
fn plain_values_through_the_embedding_api_leak_nothing() {
    use std::collections::BTreeMap;
    on_runtime_thread(move || {
        init_runtime();
        let _h = host();
        assert_no_leak("conversions", || {
            let d: BTreeMap<String, i64> = BTreeMap::from([("a".into(), 1), ("b".into(), 2)]);
            let o = d.clone().into_py()?;
            assert_eq!(o.extract::<BTreeMap<String, i64>>()?, d);
            let t = (1i64, 2.5f64, true, String::from("é😀")).into_py()?;
            let _: (i64, f64, bool, String) = t.extract()?;
            let big = embed::int_from_digits("123456789012345678901234567890", 10)?;
            expect_err(big.extract::<i64>(), "OverflowError")?;
            let _: num_bigint::BigInt = big.extract()?;
            let s = embed::str_from_code_points(&[0x41, 0xe9, 0x20ac, 0x1f600])?;
            s.repr()?;
            let set = embed::set(vec![1.into_py()?, "x".into_py()?])?;
            set.iterate()?;
            expect_err("1".into_py()?.extract::<i64>(), "TypeError")?;
            Ok(())
        });
    });
}

#[test]
fn failed_loads_leak_nothing() {
    on_runtime_thread(move || {
        init_runtime();
        for name in [
            "init_raises",
            "init_unreported",
            "null_noexc",
            "exec_fail_ft",
            "exec_fail_gil",
            "exec_noexc",
            "needs_pymod",
            "dup_gil",
            "unknown_slot",
        ] {
            assert_no_leak(&format!("loading {name}"), || {
                let mut h = host();
                match h.import(name) {
                    Ok(_) => Err(PyErr::new(
                        "AssertionError",
                        format!("{name} loaded, expected an error"),
                    )),
                    Err(_) => {
                        assert!(!PyErr::occurred(), "{name}: error indicator left set");
                        Ok(())
                    }
                }
            });
        }
    });
}

/// A workload run on a freshly loaded module.
type UseModule = fn(&Module) -> PyResult<()>;

#[test]
fn whole_hosts_come_and_go() {
    // Each round builds a host, loads a sample into it, uses it, and drops the host and every
    // handle: the module object, its dict, types and state go with them.
    //
    // Only modules without module-level functions take part: a function object refers to its
    // module (`m_self`) and the module's dict refers to the function, a reference cycle that
    // CPython's collector breaks and gilgate, with no cycle collector yet, does not (README,
    // "Limits"). Such modules stay alive after their host is dropped.
    on_runtime_thread(move || {
        init_runtime();
        let work: [(&str, UseModule); 4] = [
            ("counter", |m| {
                let ty = m.getattr("Counter")?;
                let c = ty.call_kw((3,), kw(&[("label", "x".into_py()?)]))?;
                c.call_method("increment", (2,))?;
                expect_err(ty.call_kw((), kw(&[("step", 0.into_py()?)])), "ValueError")
            }),
            ("mp_ft", |m| m.getattr("answer").map(drop)),
            ("sp_plain", |_| Ok(())),
            ("sp_setgil", |_| Ok(())),
        ];
        for (name, use_it) in work {
            assert_no_leak(&format!("a host with {name}"), || {
                let mut h = host();
                let m = h.import(name)?;
                use_it(&m)
            });
        }
    });
}

/// Real extension modules from PyPI sdists (built by `scripts/build-sdists.sh`, as for
/// `tests/sdists.rs`), through the same kind of eval sessions: their own C code's reference
/// handling and gilgate's, together.
#[test]
fn real_sdist_modules_leak_nothing() {
    let cache = support::sdists_dir();
    let Some(status) = support::sdist_status("tests/leaks.rs real sdist modules") else {
        return;
    };
    type Session = (&'static [&'static str], Option<&'static str>);
    const CASES: &[(&str, &[Session])] = &[
        (
            "markupsafe._speedups",
            &[(
                &[
                    r#"_escape_inner("<a href='x'>&\"</a>")"#,
                    r#"_escape_inner("caf\u00e9 <\u4e2d> \U0001f600&")"#,
                    r#"_escape_inner("plain")"#,
                ],
                None,
            )],
        ),
        (
            "mmh3",
            &[
                (
                    &[
                        r#"hash("foo", 42)"#,
                        r#"hash128("foo", 42, True)"#,
                        r#"hash64("foo", 42)"#,
                        r#"hash_bytes("foo")"#,
                        r#"mmh3_x64_128_uintdigest(b"hello world")"#,
                    ],
                    None,
                ),
                (&[r#"hash("foo", 1, 2, 3)"#], Some("TypeError")),
                (&[r#"mmh3_32_digest("not bytes")"#], Some("TypeError")),
            ],
        ),
        (
            "ciso8601",
            &[
                (
                    &[
                        r#"parse_datetime("2014-12-05T12:30:45.123456")"#,
                        r#"parse_datetime("2014-12-05T12:30:45+05:30").utcoffset()"#,
                        r#"parse_datetime_as_naive("2014-12-05T12:30:45Z")"#,
                        r#"str(parse_datetime("2014-12-05T12:30:45+05:30"))"#,
                    ],
                    None,
                ),
                (&[r#"parse_datetime("x")"#], Some("ValueError")),
            ],
        ),
        (
            "crcmod._crcfunext",
            &[
                (
                    &[
                        r#"_crc8(b"123456789", 0, bytes(range(256)))"#,
                        r#"_crc32r(b"123456789", 4294967295, bytes(range(256)) * 4)"#,
                    ],
                    None,
                ),
                (
                    &[r#"_crc8("text", 0, bytes(range(256)))"#],
                    Some("TypeError"),
                ),
            ],
        ),
        (
            "lru._lru",
            &[
                (
                    &[
                        r#"l = LRU(2)"#,
                        r#"l.update({"a": 1, "b": 2, "c": [3]})"#,
                        "l.keys()",
                        "l.items()",
                        r#"l.setdefault("d", (4,))"#,
                        "l.peek_first_item()",
                    ],
                    None,
                ),
                (&["LRU(0)"], Some("ValueError")),
            ],
        ),
        (
            "_xxhash",
            &[(
                &[
                    r#"xxh64_intdigest(b"abc")"#,
                    r#"xxh32_hexdigest(b"abc", 5)"#,
                ],
                None,
            )],
        ),
    ];
    let dir = cache.join("build/gilgate");
    on_runtime_thread(move || {
        init_runtime();
        let mut h = Host::builder().path(dir).build();
        let mut checked = 0;
        for (module, sessions) in CASES {
            if !status.lines().any(|l| l == format!("gilgate {module} ok")) {
                continue;
            }
            let m = h.import(module).unwrap();
            assert_no_leak(&format!("{module} (sdist) through eval"), || {
                for (stmts, err) in sessions.iter() {
                    eval_session(&m, stmts, *err)?;
                }
                Ok(())
            });
            checked += 1;
        }
        assert!(checked > 0, "no sdist module compiled");
    });
}
