//! `--gil module`: the per-module lock (capi's `runtime/module_lock.rs`) and the import lock.
//!
//! Each test runs in a child process of this binary (the lock policy is per process), with a
//! hang guard (the child aborts after [`HANG_GUARD`]: a deadlock fails the test instead of
//! hanging it). The fixtures (`tests/c/modlock/`): `racy`, an undeclared single-phase module
//! whose counters are plain C ints updated with a wide window between read and write, and
//! `declared`, a multi-phase module declaring `Py_MOD_GIL_NOT_USED`. Nothing asserts timings.

mod support;

use gilgate::capi::ffi::{
    Py_DecRef, PyImport_ImportModule, PyLong_AsLong, PyLong_FromVoidPtr, PyNumber_Add, PyObject,
    PyObject_CallNoArgs, PyObject_CallOneArg, PyObject_GetAttrString, PyTuple_GetItem,
};
use gilgate::{Loader, Policy};
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use support::cc;

const HANG_GUARD: Duration = Duration::from_secs(300);
const THREADS: usize = 4;
const ROUNDS: usize = 3000;
/// Copies of `racy` under other names (`racy0`..), each imported by all threads at once.
const IMPORT_NAMES: usize = 16;

/// Builds the fixtures into a folder of this process (a module search root).
fn fixtures() -> PathBuf {
    let dir = cc::out_dir("modlock").join(format!("p{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (m, src) in [
        ("racy", "modlock/racy.c"),
        ("declared", "modlock/declared.c"),
    ] {
        cc::shared(
            cc::fixture(src),
            dir.join(format!("{m}.cpython-314t-x86_64-linux-gnu.so")),
        )
        .arg("-pthread")
        .build();
    }
    // `withlib` and its private library in `withlib.libs/`, found through the module's rpath.
    let libs = dir.join("withlib.libs");
    std::fs::create_dir_all(&libs).unwrap();
    cc::shared(cc::fixture("modlock/privlib.c"), libs.join("libwl.so")).build();
    cc::shared(
        cc::fixture("modlock/withlib.c"),
        dir.join("withlib.cpython-314t-x86_64-linux-gnu.so"),
    )
    .link_args([
        "-L",
        "withlib.libs",
        "-l:libwl.so",
        "-Wl,-rpath,$ORIGIN/withlib.libs",
    ])
    .current_dir(&dir)
    .build();
    dir
}

/// In the child: the hang guard, the fixtures, and a host under `policy` that loaded `loads`.
fn setup(policy: Policy, loads: &[&str]) -> (PathBuf, Vec<usize>) {
    std::thread::spawn(|| {
        std::thread::sleep(HANG_GUARD);
        eprintln!("modlock: hang guard: the test did not finish in {HANG_GUARD:?}");
        std::process::abort();
    });
    let dir = fixtures();
    let host: &'static mut Loader = Box::leak(Box::new(Loader::new(policy)));
    let search = vec![dir.clone()];
    let mods = loads
        .iter()
        .map(|m| match host.load(m, &search) {
            Ok(m) => m.as_ptr() as usize,
            Err(e) => panic!("{m}: {e}"),
        })
        .collect();
    (dir, mods)
}

fn attr(o: usize, name: &str) -> usize {
    let c = CString::new(name).unwrap();
    // SAFETY: a live object and a C string.
    let v = unsafe { PyObject_GetAttrString(o as *mut PyObject, c.as_ptr()) };
    assert!(!v.is_null(), "{name}");
    v as usize
}

/// Calls `f()` (or `f(arg)`), asserts success and drops the result.
fn call(f: usize, arg: Option<usize>) {
    // SAFETY: live objects.
    unsafe {
        let r = match arg {
            None => PyObject_CallNoArgs(f as *mut PyObject),
            Some(a) => PyObject_CallOneArg(f as *mut PyObject, a as *mut PyObject),
        };
        assert!(!r.is_null(), "{:?}", gilgate::capi::host::take_exception());
        Py_DecRef(r);
    }
}

/// `racy.counts()`: (counter, dealloc_count, init_calls).
fn counts(racy: usize) -> [i64; 3] {
    let f = attr(racy, "counts");
    // SAFETY: live objects; the result is a 3-tuple of ints.
    unsafe {
        let t = PyObject_CallNoArgs(f as *mut PyObject);
        assert!(!t.is_null());
        let out = [0, 1, 2].map(|i| PyLong_AsLong(PyTuple_GetItem(t, i)) as i64);
        Py_DecRef(t);
        out
    }
}

/// Two flags for the fixtures' `hold`/`wait_detached`/`set_flag`: [release, entered].
struct Flags([AtomicI32; 2]);

impl Flags {
    fn new() -> Arc<Flags> {
        Arc::new(Flags([AtomicI32::new(0), AtomicI32::new(0)]))
    }
    /// The flags' address as a Python int (a new reference, kept for the process).
    fn arg(&self) -> usize {
        // The fixture reads it as `atomic_int[2]` while the Arc lives.
        PyLong_FromVoidPtr(self.0.as_ptr() as *mut _) as usize
    }
    fn wait_entered(&self) {
        while self.0[1].load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
    }
}

/// Runs `f(index)` on `n` threads started together; joins them detached.
fn on_threads(n: usize, f: impl Fn(usize) + Send + Sync + 'static) {
    let f = Arc::new(f);
    let go = Arc::new(Barrier::new(n));
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let (f, go) = (f.clone(), go.clone());
            std::thread::spawn(move || {
                go.wait();
                f(i)
            })
        })
        .collect();
    gilgate::capi::host::allow_threads(|| {
        for h in hs {
            h.join().unwrap();
        }
    });
}

/// (a) An undeclared module's racy counter, bumped from 4 threads: exact under `module`,
/// and `sys._is_gil_enabled()` stays False.
#[test]
fn racy_counter_is_exact_under_module() {
    if !support::in_child("racy_counter_is_exact_under_module") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["racy"]);
    let racy = m[0];
    assert!(gilgate::capi::host::module_lock_active());
    assert!(
        !gilgate::capi::host::lock_enabled(),
        "the process's lock stays off"
    );
    let bump = attr(racy, "bump");
    on_threads(THREADS, move |_| {
        for _ in 0..ROUNDS {
            call(bump, None);
        }
        assert!(
            !gilgate::capi::host::module_lock_held(),
            "left after each call"
        );
    });
    assert_eq!(counts(racy)[0], (THREADS * ROUNDS) as i64);
}

/// (b) Two threads call a declared module's function while a third sits inside an undeclared
/// module's function holding the per-module lock without detaching (until the two set a flag,
/// after their rounds): finishing proves the declared calls never waited for the lock.
#[test]
fn declared_calls_do_not_wait_for_the_module_lock() {
    if !support::in_child("declared_calls_do_not_wait_for_the_module_lock") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["declared", "racy"]);
    let (declared, racy) = (m[0], m[1]);
    let (work, set_flag, hold) = (
        attr(declared, "work"),
        attr(declared, "set_flag"),
        attr(racy, "hold"),
    );
    for _ in 0..5 {
        let flags = Flags::new();
        let arg = flags.arg();
        let holder = std::thread::spawn(move || call(hold, Some(arg)));
        flags.wait_entered();
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        on_threads(2, move |_| {
            for _ in 0..ROUNDS {
                call(work, None);
            }
            if done.fetch_add(1, Ordering::SeqCst) == 1 {
                call(set_flag, Some(arg));
            }
        });
        gilgate::capi::host::allow_threads(|| holder.join().unwrap());
    }
}

/// (c) An undeclared module's function that detaches (`Py_BEGIN_ALLOW_THREADS`) releases the
/// per-module lock: another thread enters the same module (its `set_flag`, the one thing that
/// lets the first return) meanwhile.
#[test]
fn a_detached_call_lets_others_into_the_module() {
    if !support::in_child("a_detached_call_lets_others_into_the_module") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["racy"]);
    let racy = m[0];
    let (wait, set_flag, bump) = (
        attr(racy, "wait_detached"),
        attr(racy, "set_flag"),
        attr(racy, "bump"),
    );
    for _ in 0..300 {
        let flags = Flags::new();
        let arg = flags.arg();
        let waiter = std::thread::spawn(move || {
            call(wait, Some(arg));
            // Back from the detached part, it holds the lock again: its bumps stay exact.
            for _ in 0..10 {
                call(bump, None);
            }
        });
        flags.wait_entered();
        let f2 = flags.clone();
        let other = std::thread::spawn(move || {
            for _ in 0..10 {
                call(bump, None);
            }
            call(set_flag, Some(arg));
            drop(f2);
        });
        gilgate::capi::host::allow_threads(|| {
            other.join().unwrap();
            waiter.join().unwrap();
        });
    }
    assert_eq!(counts(racy)[0], 300 * 20);
}

/// (d) A type's slot (`nb_add`) and its deallocator, both from the undeclared module, run
/// under the lock: their racy counters are exact.
#[test]
fn slots_and_deallocators_are_covered() {
    if !support::in_child("slots_and_deallocators_are_covered") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["racy"]);
    let racy = m[0];
    let ty = attr(racy, "Counter");
    on_threads(THREADS, move |_| {
        for _ in 0..ROUNDS {
            // SAFETY: live objects; every new reference is dropped.
            unsafe {
                let c = PyObject_CallNoArgs(ty as *mut PyObject);
                assert!(!c.is_null());
                let r = PyNumber_Add(c, c);
                assert!(!r.is_null());
                Py_DecRef(r);
                Py_DecRef(c);
            }
        }
        gilgate::capi::host::merge_pending();
    });
    let [added, freed, _] = counts(racy);
    assert_eq!(added, (THREADS * ROUNDS) as i64);
    assert_eq!(freed, (THREADS * ROUNDS) as i64);
}

/// (e) Threads importing one single-phase module at once run its init once and get the same
/// module, under `auto` (the import switches the process's lock on) and `module`.
fn import_once(policy: Policy) {
    let (dir, _) = setup(policy, &["declared"]);
    for i in 0..IMPORT_NAMES {
        cc::shared(
            cc::fixture("modlock/racy.c"),
            dir.join(format!("racy{i}.cpython-314t-x86_64-linux-gnu.so")),
        )
        .define("GG_NAME", &format!("racy{i}"))
        .arg("-pthread")
        .build();
    }
    for i in 0..IMPORT_NAMES {
        let name = CString::new(format!("racy{i}")).unwrap();
        let got = Arc::new(std::sync::Mutex::new(Vec::new()));
        let g = got.clone();
        on_threads(THREADS, move |_| {
            // SAFETY: a C string.
            let m = unsafe { PyImport_ImportModule(name.as_ptr()) };
            assert!(!m.is_null(), "{:?}", gilgate::capi::host::take_exception());
            g.lock().unwrap().push(m as usize);
        });
        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), THREADS);
        assert!(got.iter().all(|&m| m == got[0]), "one module object");
        assert_eq!(counts(got[0])[2], 1, "PyInit_racy{i} ran once");
    }
}

#[test]
fn one_init_per_name_under_auto() {
    if support::in_child("one_init_per_name_under_auto") {
        import_once(Policy::Auto);
        assert!(gilgate::capi::host::lock_enabled(), "racy switched it on");
    }
}

#[test]
fn one_init_per_name_under_module() {
    if support::in_child("one_init_per_name_under_module") {
        import_once(Policy::Module);
        assert!(!gilgate::capi::host::lock_enabled());
    }
}

/// (f) A thread the undeclared module started calls back with `PyGILState_Ensure`: it takes
/// the per-module lock, so its racy bumps and the other threads' calls exclude each other.
#[test]
fn the_modules_own_thread_takes_the_lock_in_ensure() {
    if !support::in_child("the_modules_own_thread_takes_the_lock_in_ensure") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["racy"]);
    let racy = m[0];
    let (bump, start, join) = (
        attr(racy, "bump"),
        attr(racy, "start_callbacks"),
        attr(racy, "join_callbacks"),
    );
    let n = gilgate::capi::ffi::PyLong_FromLong(ROUNDS as _) as usize;
    call(start, Some(n));
    on_threads(THREADS - 1, move |_| {
        for _ in 0..ROUNDS {
            call(bump, None);
        }
    });
    call(join, None);
    assert_eq!(counts(racy)[0], (THREADS * ROUNDS) as i64);
}

/// A function an undeclared module exposes from the private library it loaded from its
/// wheel's `<pkg>.libs/` folder runs under the per-module lock too (the library's code is
/// registered as the module's).
#[test]
fn private_libraries_count_as_the_modules_code() {
    if !support::in_child("private_libraries_count_as_the_modules_code") {
        return;
    }
    let (_, m) = setup(Policy::Module, &["withlib"]);
    let withlib = m[0];
    let bump = attr(withlib, "bump");
    on_threads(THREADS, move |_| {
        for _ in 0..ROUNDS {
            call(bump, None);
        }
    });
    let f = attr(withlib, "count");
    // SAFETY: live objects; the result is an int.
    let n = unsafe {
        let r = PyObject_CallNoArgs(f as *mut PyObject);
        assert!(!r.is_null());
        let n = PyLong_AsLong(r);
        Py_DecRef(r);
        n
    };
    assert_eq!(n as usize, THREADS * ROUNDS);
}
