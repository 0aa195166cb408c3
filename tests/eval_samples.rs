//! The issue-3 sample modules (`test-extensions/src/{counter,stateful,strproc,containers_demo,
//! numbers_demo,kwargs_demo,buffers_demo,benchmod}.c`) through `gilgate eval` and through the
//! Rust embedding API.
//!
//! Every expected output of the `eval` cases is CPython 3.14's, recorded in
//! `tests/data/eval-samples.json` by `scripts/record-expectations.sh samples`: the same C sources
//! built against CPython's headers in the reference root and each case's statements run there in
//! a namespace holding the module's attributes and the module, as `gilgate eval` builds it. To add
//! a case, add its module and statements to the file and rerun the script. The Rust-API tests
//! below assert the same answers.

mod expect;
mod support;

use expect::Recorded;
use gilgate::embed::{Host, IntoPy, PyErr, PyRef};
use gilgate_test_extensions::samples_dir;
use std::collections::HashMap;
use std::process::Command;

/// The recorded cases (`tests/data/eval-samples.json`).
fn cases() -> Vec<Recorded> {
    expect::load("eval-samples.json").cases
}

fn run_case(c: &Recorded) -> Result<(), String> {
    let o = Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("GILGATE_GIL")
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_PATH")
        .arg("eval")
        .arg("--path")
        .arg(samples_dir())
        .arg(&c.module)
        .args(&c.exprs)
        .output()
        .map_err(|e| e.to_string())?;
    match expect::compare(c, &o) {
        None => Ok(()),
        Some(f) => Err(f),
    }
}

fn check_module(module: &str) {
    check_cases(module, |_| true);
}

/// Checks the cases of `module` that `pick` selects.
fn check_cases(module: &str, pick: impl Fn(&Recorded) -> bool) {
    let picked: Vec<Recorded> = cases()
        .into_iter()
        .filter(|c| c.module == module && pick(c))
        .collect();
    assert!(!picked.is_empty(), "no recorded cases of {module} selected");
    let failures: Vec<String> = picked.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_ends_with_at_most_one_exception() {
    let cases = cases();
    for c in &cases {
        // One line per expression at most, besides what tracebacks.print_tb writes
        // (PyTraceBack_Print to sys.stdout).
        let printed = c
            .stdout
            .iter()
            .filter(|l| !l.starts_with("Traceback (") && !l.starts_with("  File "))
            .count();
        assert!(printed <= c.exprs.len(), "{:?}", c.exprs);
        assert!(matches!(c.exit, 0 | 1), "{:?}: exit {}", c.exprs, c.exit);
    }
    for m in [
        "counter",
        "stateful",
        "strproc",
        "containers_demo",
        "numbers_demo",
        "kwargs_demo",
        "buffers_demo",
        "benchmod",
        "tracebacks",
    ] {
        assert!(cases.iter().any(|c| c.module == m), "{m}");
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
fn uses_sets(c: &Recorded) -> bool {
    c.exprs.iter().any(|s| s.contains("unique("))
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

/// The benchmark module's checksums (also checked through the Rust API in tests/benchmod.rs).
#[test]
fn benchmod_through_eval() {
    check_module("benchmod");
}

/// Code objects, frames and tracebacks made as Cython's `__Pyx_AddTraceback` makes them and
/// read as pybind11 reads them (`test-extensions/src/tracebacks.c`): attributes, reprs without
/// addresses, the thread state's handled exception, and the traceback block `gilgate eval`
/// prints before an error that left extension functions.
#[test]
fn tracebacks_through_eval() {
    check_module("tracebacks");
}

/// An error's traceback entries reach the Rust API (`PyErr::traceback`) and do not take part
/// in `==`.
#[test]
fn tracebacks_through_the_rust_api() {
    let mut h = host();
    let m = h.import("tracebacks").expect("import tracebacks");
    let e = m.call("fail", ("boom",)).expect_err("fail() raises");
    assert_eq!(e, PyErr::new("ValueError", "boom"));
    assert_eq!(
        e.traceback,
        [
            "  File \"tracebacks.pyx\", line 30, in tracebacks.Outer.run",
            "  File \"tracebacks.pyx\", line 12, in tracebacks.inner",
        ]
    );
}

fn host() -> Host {
    Host::builder().path(samples_dir()).build()
}

fn kw(pairs: &[(&'static str, PyRef)]) -> Vec<(&'static str, PyRef)> {
    pairs.to_vec()
}

#[test]
fn counter_through_the_rust_api() -> Result<(), PyErr> {
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
    let _g = support::runtime_lock();
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
