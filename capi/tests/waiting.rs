//! Waiting never deadlocks (issue 9, item 4): `PyMutex` excludes under contention and parks
//! detached; critical sections nest on one object, suspend when their thread detaches (so a
//! thread blocked on an inner section releases its outer ones) and are held again after it
//! attaches. Driven from real OS threads through a C fixture that uses the inline functions and
//! macros of our headers (`c/waiting/waiting.c`), thousands of rounds each.
//!
//! A deadlock would hang the test; `finishes` turns that into a failure after a generous
//! limit (a hang guard, not a measure of speed).

use gilgate_capi::ffi::{
    PyCriticalSection, PyCriticalSection_Begin, PyCriticalSection_End, PyEval_RestoreThread,
    PyEval_SaveThread, PyMutex, PyMutex_IsLocked, PyObject, PyThreadState_Get,
    PyUnicode_FromString,
};
use gilgate_capi::host::{self, decref};
use std::ffi::{c_int, c_long};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;
use support::{Library, P, cc};

mod support;

const HANG_GUARD: Duration = Duration::from_secs(120);

/// Runs the test `name` again in a child process with the process's lock on for good
/// (`PYTHON_GIL=1` in CPython; see `support::in_child`); in the child, runs `body`.
fn under_the_lock(name: &str, body: impl FnOnce()) {
    support::in_child(name, host::GilConfig::Enable, body);
}

/// Waits (detached, so that a thread wanting the lock gets it) until `ready()`.
fn wait_detached(ready: impl Fn() -> bool) {
    host::allow_threads(|| {
        while !ready() {
            std::thread::yield_now();
        }
    })
}

fn fixture() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        gilgate_capi::host::initialize().expect("runtime initializes");
        let so: PathBuf = cc::shared(
            cc::fixture("waiting/waiting.c"),
            cc::out_dir("waiting").join("gilgate-waiting.so"),
        )
        .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1"])
        .build();
        // SAFETY: loading a library we just built; its undefined symbols resolve against this
        // test binary's exported C API.
        unsafe { Library::open(&so) }
    })
}

macro_rules! c_fn {
    ($name:literal as $ty:ty) => {{
        let p = fixture().sym($name);
        // SAFETY: the fixture defines the symbol with this signature.
        unsafe { std::mem::transmute::<*mut std::ffi::c_void, $ty>(p) }
    }};
}

fn new_object(text: &std::ffi::CStr) -> P {
    // SAFETY: a fresh string object, owned by the test.
    P::of(unsafe { PyUnicode_FromString(text.as_ptr()) })
}

fn new_mutex() -> P {
    P::of(Box::leak(Box::new(PyMutex::default())) as *mut PyMutex)
}

fn new_counter() -> P {
    P::of(Box::leak(Box::new(0 as c_long)) as *mut c_long)
}

fn read(c: P) -> c_long {
    // SAFETY: a leaked counter; every writer has been joined.
    unsafe { *c.get::<c_long>() }
}

fn mutex_of(o: P) -> *mut PyMutex {
    // SAFETY: a live object.
    unsafe { &raw mut (*o.get::<PyObject>()).ob_mutex }
}

/// `support::finishes` with this file's hang guard.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    support::finishes(what, HANG_GUARD, f)
}

fn top_section() -> usize {
    // SAFETY: the calling thread's state.
    unsafe { (*PyThreadState_Get()).critical_section }
}

#[test]
fn a_contended_pymutex_excludes_every_other_thread() {
    let add = c_fn!(c"gg_mutex_add" as unsafe extern "C" fn(*mut PyMutex, *mut c_long, c_long));
    let (m, c) = (new_mutex(), new_counter());
    const THREADS: c_long = 8;
    const EACH: c_long = 20_000;
    finishes("contended PyMutex", move || {
        std::thread::scope(|s| {
            for _ in 0..THREADS {
                // SAFETY: a leaked mutex and counter shared on purpose.
                s.spawn(move || unsafe { add(m.get(), c.get(), EACH) });
            }
        })
    });
    assert_eq!(read(c), THREADS * EACH);
    // SAFETY: a leaked mutex.
    assert_eq!(unsafe { PyMutex_IsLocked(m.get()) }, 0);
}

#[test]
fn a_thread_parked_on_a_mutex_held_across_a_detached_sleep_releases_its_sections() {
    parked_on_a_mutex_held_across_a_sleep(200);
}

#[test]
fn under_the_lock_a_thread_parked_on_a_mutex_held_across_a_detached_sleep_finishes() {
    under_the_lock(
        "under_the_lock_a_thread_parked_on_a_mutex_held_across_a_detached_sleep_finishes",
        || parked_on_a_mutex_held_across_a_sleep(100),
    );
}

/// A holds a mutex across a detached sleep; B, inside a section on x, waits for the mutex;
/// x must become free (B parked detached), and everything finishes once A lets go.
fn parked_on_a_mutex_held_across_a_sleep(rounds: usize) {
    let hold = c_fn!(
        c"gg_hold_across_sleep"
            as unsafe extern "C" fn(*mut PyMutex, *const AtomicI32, *const AtomicI32)
    );
    let wait = c_fn!(
        c"gg_wait_inside_section"
            as unsafe extern "C" fn(*mut PyObject, *mut PyMutex, *const AtomicI32)
    );
    let add = c_fn!(c"gg_section_add" as unsafe extern "C" fn(*mut PyObject, *mut c_long));
    for round in 0..rounds {
        let (m, x, c) = (new_mutex(), new_object(c"x"), new_counter());
        let holding: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
        let release: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
        let in_section: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
        // A holds m and sleeps detached until released.
        // SAFETY: leaked flags and mutex.
        let a = std::thread::spawn(move || unsafe { hold(m.get(), holding, release) });
        wait_detached(|| holding.load(Ordering::SeqCst) != 0);
        // B enters a section on x, then waits for m.
        // SAFETY: a live object, a leaked mutex and flag.
        let b = std::thread::spawn(move || unsafe { wait(x.get(), m.get(), in_section) });
        wait_detached(|| in_section.load(Ordering::SeqCst) != 0);
        // x becomes free only once B parks detached (its section suspended): A still holds m.
        let what = format!("round {round}: section on x while B waits");
        host::allow_threads(|| {
            finishes(&what, move || {
                // SAFETY: a live object and a leaked counter.
                unsafe { add(x.get(), c.get()) }
            })
        });
        assert_eq!(read(c), 1);
        assert_eq!(holding.load(Ordering::SeqCst), 1, "A still holds m");
        release.store(1, Ordering::SeqCst);
        host::allow_threads(|| {
            finishes("A and B", move || {
                a.join().unwrap();
                b.join().unwrap();
            })
        });
        // SAFETY: the object and mutex are no longer used by anyone.
        unsafe {
            assert_eq!(PyMutex_IsLocked(m.get()), 0);
            assert_eq!(PyMutex_IsLocked(mutex_of(x)), 0);
            decref(x.get());
        }
    }
}

#[test]
fn nested_sections_on_one_object_return() {
    let nested = c_fn!(c"gg_nested_on_one" as unsafe extern "C" fn(*mut PyObject) -> c_long);
    let pair = c_fn!(
        c"gg_nested_pair_on_held" as unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_long
    );
    let (o, p) = (new_object(c"o"), new_object(c"p"));
    finishes("nested sections", move || {
        for _ in 0..2000 {
            // SAFETY: live objects.
            unsafe {
                assert_eq!(nested(o.get()), 6);
                assert_eq!(pair(o.get(), p.get()), 2);
                assert_eq!(pair(p.get(), o.get()), 2);
                assert_eq!(PyMutex_IsLocked(mutex_of(o)), 0);
                assert_eq!(PyMutex_IsLocked(mutex_of(p)), 0);
            }
            assert_eq!(top_section(), 0, "every section was popped");
        }
    });
    // SAFETY: owned objects.
    unsafe {
        decref(o.get());
        decref(p.get());
    }
}

#[test]
fn nested_sections_in_opposite_orders_on_two_threads_finish() {
    opposite_orders(20_000);
}

#[test]
fn under_the_lock_nested_sections_in_opposite_orders_finish() {
    under_the_lock(
        "under_the_lock_nested_sections_in_opposite_orders_finish",
        || opposite_orders(5_000),
    );
}

/// Two threads nest sections on a and b in opposite orders, `n` times each.
fn opposite_orders(n: c_long) {
    let rounds = c_fn!(
        c"gg_nested_rounds"
            as unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut c_long, *mut c_long, c_long)
    );
    let (a, b) = (new_object(c"a"), new_object(c"b"));
    let (ca, cb) = (new_counter(), new_counter());
    host::allow_threads(|| {
        finishes("A->B against B->A", move || {
            std::thread::scope(|s| {
                // SAFETY: live objects and leaked counters, each counter written only under the
                // section of its object.
                s.spawn(move || unsafe { rounds(a.get(), b.get(), ca.get(), cb.get(), n) });
                // SAFETY: as above.
                s.spawn(move || unsafe { rounds(b.get(), a.get(), cb.get(), ca.get(), n) });
            })
        })
    });
    assert_eq!(read(ca), 2 * n);
    assert_eq!(read(cb), 2 * n);
    // SAFETY: owned objects.
    unsafe {
        decref(a.get());
        decref(b.get());
    }
}

#[test]
fn two_object_sections_in_both_orders_and_on_one_object_twice_finish() {
    let rounds = c_fn!(
        c"gg_pair_rounds"
            as unsafe extern "C" fn(
                *mut PyObject,
                *mut PyObject,
                *mut PyObject,
                *mut c_long,
                *mut c_long,
                c_long,
            )
    );
    let (a, b, o) = (new_object(c"a"), new_object(c"b"), new_object(c"o"));
    let (ca, cb) = (new_counter(), new_counter());
    const ROUNDS: c_long = 10_000;
    finishes("two-object sections", move || {
        std::thread::scope(|s| {
            // The outer section of every 16th round is on a, b or o.
            // SAFETY: live objects and leaked counters written under their object's section.
            s.spawn(move || unsafe {
                rounds(a.get(), a.get(), b.get(), ca.get(), cb.get(), ROUNDS)
            });
            // SAFETY: as above.
            s.spawn(move || unsafe {
                rounds(b.get(), b.get(), a.get(), cb.get(), ca.get(), ROUNDS)
            });
            // SAFETY: as above; (a, a) locks a once.
            s.spawn(move || unsafe {
                rounds(o.get(), a.get(), a.get(), ca.get(), ca.get(), ROUNDS)
            });
        })
    });
    assert_eq!(read(ca), 4 * ROUNDS);
    assert_eq!(read(cb), 2 * ROUNDS);
    // SAFETY: owned objects.
    unsafe {
        for x in [a, b, o] {
            assert_eq!(PyMutex_IsLocked(mutex_of(x)), 0);
            decref(x.get());
        }
    }
}

#[test]
fn a_section_is_released_while_detached_and_held_again_after() {
    let across = c_fn!(
        c"gg_section_across_sleep"
            as unsafe extern "C" fn(*mut PyObject, *mut c_long, c_long) -> c_int
    );
    let add = c_fn!(c"gg_section_add" as unsafe extern "C" fn(*mut PyObject, *mut c_long));
    let (x, c) = (new_object(c"x"), new_counter());
    let done: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
    let adds = finishes("section across a detached sleep", move || {
        std::thread::scope(|s| {
            let adder = s.spawn(move || {
                let mut n = 0 as c_long;
                while done.load(Ordering::SeqCst) == 0 {
                    // SAFETY: a live object and a leaked counter.
                    unsafe { add(x.get(), c.get()) };
                    n += 1;
                }
                n
            });
            for _ in 0..1000 {
                // SAFETY: as above.
                let same = unsafe { across(x.get(), c.get(), 50) };
                assert_eq!(same, 1, "x held after attach");
            }
            done.store(1, Ordering::SeqCst);
            adder.join().unwrap()
        })
    });
    assert_eq!(read(c), adds);
    // SAFETY: an owned object.
    unsafe { decref(x.get()) };
}

#[test]
fn save_thread_suspends_the_sections_and_restore_thread_resumes_the_top_one() {
    fixture();
    let (outer, inner) = (new_object(c"outer"), new_object(c"inner"));
    finishes("suspend and resume", move || {
        let mut cs_o = std::mem::MaybeUninit::<PyCriticalSection>::uninit();
        let mut cs_i = std::mem::MaybeUninit::<PyCriticalSection>::uninit();
        // SAFETY: live objects; sections on this stack frame, ended below in order.
        unsafe {
            PyCriticalSection_Begin(cs_o.as_mut_ptr(), outer.get());
            PyCriticalSection_Begin(cs_i.as_mut_ptr(), inner.get());
            assert_eq!(PyMutex_IsLocked(mutex_of(outer)), 1);
            assert_eq!(PyMutex_IsLocked(mutex_of(inner)), 1);
            let ts = PyEval_SaveThread();
            assert_eq!(PyMutex_IsLocked(mutex_of(outer)), 0, "suspended");
            assert_eq!(PyMutex_IsLocked(mutex_of(inner)), 0, "suspended");
            assert_eq!(top_section_of(ts) & 1, 1, "the top is marked inactive");
            PyEval_RestoreThread(ts);
            assert_eq!(
                PyMutex_IsLocked(mutex_of(inner)),
                1,
                "the top one is resumed"
            );
            assert_eq!(PyMutex_IsLocked(mutex_of(outer)), 0, "the outer one waits");
            PyCriticalSection_End(cs_i.as_mut_ptr());
            assert_eq!(PyMutex_IsLocked(mutex_of(inner)), 0);
            assert_eq!(
                PyMutex_IsLocked(mutex_of(outer)),
                1,
                "resumed when it is the top"
            );
            PyCriticalSection_End(cs_o.as_mut_ptr());
            assert_eq!(PyMutex_IsLocked(mutex_of(outer)), 0);
        }
        assert_eq!(top_section(), 0);
    });
    // SAFETY: owned objects.
    unsafe {
        decref(outer.get());
        decref(inner.get());
    }
}

fn top_section_of(ts: *mut gilgate_capi::ffi::PyThreadState) -> usize {
    // SAFETY: the calling thread's (detached) state, still alive.
    unsafe { (*ts).critical_section }
}

#[test]
fn a_dict_comparing_keys_releases_its_section_while_the_comparison_waits() {
    let key = c_fn!(c"gg_gate_key" as unsafe extern "C" fn(*mut PyMutex, isize) -> *mut PyObject);
    let lookup =
        c_fn!(c"gg_dict_lookup" as unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int);
    let gate_then_set = c_fn!(
        c"gg_gate_then_setitem"
            as unsafe extern "C" fn(
                *mut PyMutex,
                *mut PyObject,
                *mut PyObject,
                *const AtomicI32,
            ) -> c_int
    );
    for round in 0..300 {
        let gate = new_mutex();
        // SAFETY: fresh objects owned by the test (the keys are leaked on purpose: small).
        let (d, stored, probe, other) = unsafe {
            let d = P::of(gilgate_capi::ffi::PyDict_New());
            let stored = P::of(key(gate.get(), 42));
            let probe = P::of(key(std::ptr::null_mut(), 42));
            let other = P::of(key(std::ptr::null_mut(), 7));
            assert_eq!(
                gilgate_capi::ffi::PyDict_SetItem(d.get(), stored.get(), stored.get()),
                0
            );
            (d, stored, probe, other)
        };
        let locked: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
        // B holds the gate, then needs the dict.
        // SAFETY: live objects, a leaked mutex and flag.
        let b = std::thread::spawn(move || unsafe {
            gate_then_set(gate.get(), d.get(), other.get(), locked)
        });
        while locked.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        // A looks up a key that compares with `stored`, whose comparison waits for the gate.
        // SAFETY: live objects.
        let found = finishes(
            &format!("round {round}: lookup against setitem"),
            move || unsafe { lookup(d.get(), probe.get()) },
        );
        assert_eq!(found, 0);
        assert_eq!(b.join().unwrap(), 0);
        // SAFETY: live objects.
        unsafe {
            assert_eq!(gilgate_capi::ffi::PyDict_Size(d.get()), 2);
            assert_eq!(lookup(d.get(), other.get()), 1);
            assert_eq!(PyMutex_IsLocked(mutex_of(d)), 0);
            let _ = stored;
            decref(d.get());
        }
    }
}

#[test]
fn a_section_on_a_dict_or_set_excludes_their_operations_on_other_threads() {
    fixture();
    // SAFETY: fresh containers owned by the test.
    let (d, s) = unsafe {
        (
            P::of(gilgate_capi::ffi::PyDict_New()),
            P::of(gilgate_capi::ffi::PySet_New(std::ptr::null_mut())),
        )
    };
    for round in 0..50 {
        for (c, is_set) in [(d, false), (s, true)] {
            let mut cs = std::mem::MaybeUninit::<PyCriticalSection>::uninit();
            let done: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(0)));
            // SAFETY: a live container; the section is ended below on this thread.
            unsafe { PyCriticalSection_Begin(cs.as_mut_ptr(), c.get()) };
            let h = std::thread::spawn(move || {
                // SAFETY: live objects; the container is shared on purpose.
                unsafe {
                    let k = gilgate_capi::ffi::PyLong_FromLong(round);
                    let r = if is_set {
                        gilgate_capi::ffi::PySet_Add(c.get(), k)
                    } else {
                        gilgate_capi::ffi::PyDict_SetItem(c.get(), k, k)
                    };
                    decref(k);
                    done.store(1, Ordering::SeqCst);
                    r
                }
            });
            for _ in 0..200 {
                std::thread::yield_now();
            }
            assert_eq!(done.load(Ordering::SeqCst), 0, "changed inside our section");
            // The holder itself may use it (a nested section on the top-most one returns).
            // SAFETY: live objects.
            unsafe {
                let n = if is_set {
                    gilgate_capi::ffi::PySet_Size(c.get())
                } else {
                    gilgate_capi::ffi::PyDict_Size(c.get())
                };
                assert_eq!(n, round as isize);
                PyCriticalSection_End(cs.as_mut_ptr());
            }
            assert_eq!(finishes("the other thread", move || h.join().unwrap()), 0);
        }
    }
    // SAFETY: owned containers.
    unsafe {
        assert_eq!(gilgate_capi::ffi::PyDict_Size(d.get()), 50);
        assert_eq!(gilgate_capi::ffi::PySet_Size(s.get()), 50);
        decref(d.get());
        decref(s.get());
    }
}
