//! Thread states and the process's lock (issue 9 items 1 and 2), with real OS threads: foreign
//! threads attaching through `PyGILState_Ensure`, `Py_BEGIN_ALLOW_THREADS` overlapping under the
//! lock, a counter bumped without atomics staying exact under it, the registry coming back to
//! its size after threads exit, `sys`'s switch interval and CPython's fatal error for a call
//! without an attached thread state.
//!
//! The lock is one per process and its setting is fixed once, so every test runs in a child
//! process of this test binary (`child`), one test per process.

use gilgate_capi::ffi::*;
use gilgate_capi::host::{self, GilConfig};
use std::ffi::{CStr, c_int, c_long, c_void};
use std::sync::OnceLock;
use support::{Library, cc};

mod support;

/// Runs `body` in a child process with the lock configured as `config` (see
/// `support::in_child`); returns the child's stderr in the parent.
fn child(name: &str, config: GilConfig, body: impl FnOnce()) -> Option<String> {
    support::in_child(name, config, body)
}

fn lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        let so = cc::shared(
            cc::fixture("threads/threads.c"),
            cc::out_dir("threads").join(format!("gilgate-threads-{}.so", std::process::id())),
        )
        .build();
        // SAFETY: the fixture was just built against our headers.
        unsafe { Library::open(&so) }
    })
}

/// A fixture function as the C type `T` (an `extern "C" fn` pointer type).
fn f<T: Copy>(name: &CStr) -> T {
    let p = lib().sym(name);
    assert_eq!(std::mem::size_of::<T>(), std::mem::size_of::<*mut c_void>());
    // SAFETY: `T` is the function pointer type the fixture defines under `name`.
    unsafe { std::mem::transmute_copy(&p) }
}

type Bump = unsafe extern "C" fn(c_long);
type BumpAttached = unsafe extern "C" fn(c_long, c_long);
type Count = unsafe extern "C" fn() -> c_long;
type Sleep = unsafe extern "C" fn(c_int, c_int, *mut f64, *mut f64);
type Start = unsafe extern "C" fn(c_long) -> *mut c_void;
type Join = unsafe extern "C" fn(*mut c_void, *mut c_long) -> c_long;
type Check = unsafe extern "C" fn() -> c_int;

/// Some work on objects while attached, with a safe point after each round.
fn work(rounds: usize) {
    for i in 0..rounds {
        let l = PyList_New(0);
        assert!(!l.is_null());
        let v = PyLong_FromLong(i as _);
        // SAFETY: live objects we own.
        unsafe {
            assert_eq!(PyList_Append(l, v), 0);
            host::decref(v);
            host::decref(l);
        }
        host::safe_point();
    }
}

fn foreign_threads(threads: usize, iterations: c_long) {
    let start: Start = f(c"gg_foreign_start");
    let join: Join = f(c"gg_foreign_join");
    let walk: Count = f(c"gg_walk_states");
    host::set_switch_interval(0.0002);
    let before = host::thread_state_count();
    // SAFETY: fixture functions with their C signatures.
    unsafe {
        assert_eq!(walk(), before as c_long, "the walk sees every state");
        let handles: Vec<usize> = (0..threads).map(|_| start(iterations) as usize).collect();
        assert!(handles.iter().all(|h| *h != 0), "threads started");
        work(3000);
        for h in handles {
            let mut bad = 0;
            let done = host::allow_threads(|| join(h as *mut c_void, &mut bad));
            assert_eq!(done, iterations);
            assert_eq!(bad, 0, "checks failed in the foreign thread");
        }
        assert_eq!(
            host::thread_state_count(),
            before,
            "Ensure-made states are gone"
        );
        assert_eq!(walk(), before as c_long);
    }
}

#[test]
fn foreign_pthreads_ensure_under_on() {
    child(
        "foreign_pthreads_ensure_under_on",
        GilConfig::Enable,
        || {
            assert!(host::lock_enabled());
            foreign_threads(2, 3000);
        },
    );
}

#[test]
fn foreign_pthreads_ensure_under_off() {
    child(
        "foreign_pthreads_ensure_under_off",
        GilConfig::Disable,
        || {
            assert!(!host::lock_enabled());
            foreign_threads(2, 3000);
        },
    );
}

/// N threads x M bumps of a plain counter; returns (expected, counted).
fn bump_all(threads: usize, per_thread: c_long) -> (c_long, c_long) {
    let bump: Bump = f(c"gg_bump_ensure");
    let bump_attached: BumpAttached = f(c"gg_bump_attached");
    let counter: Count = f(c"gg_counter");
    let reset: unsafe extern "C" fn() = f(c"gg_counter_reset");
    // SAFETY: fixture function, no other thread bumps now.
    unsafe { reset() };
    host::set_switch_interval(0.0002);
    let before = host::thread_state_count();
    let total = host::allow_threads(|| {
        let barrier = std::sync::Barrier::new(threads * 2);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    barrier.wait();
                    // SAFETY: fixture function with its C signature.
                    unsafe { bump(per_thread) }
                });
                s.spawn(|| {
                    barrier.wait();
                    // SAFETY: fixture function with its C signature.
                    unsafe { bump_attached(per_thread, 100) }
                });
            }
        });
        // SAFETY: as above; every bumping thread has joined.
        unsafe { counter() }
    });
    assert_eq!(host::thread_state_count(), before);
    (threads as c_long * 2 * per_thread, total)
}

#[test]
fn plain_counter_is_exact_under_on() {
    child("plain_counter_is_exact_under_on", GilConfig::Enable, || {
        let (expected, counted) = bump_all(4, 5000);
        assert_eq!(counted, expected, "the lock serialises attached regions");
    });
}

#[test]
fn plain_counter_under_off_is_reported() {
    let err = child(
        "plain_counter_under_off_is_reported",
        GilConfig::Disable,
        || {
            let (expected, counted) = bump_all(4, 5000);
            eprintln!("off: counted {counted} of {expected} bumps");
        },
    );
    if let Some(e) = err {
        // Lost updates are expected without a lock; only report them.
        eprintln!(
            "{}",
            e.lines().find(|l| l.starts_with("off:")).unwrap_or("")
        );
    }
}

fn two_sleeps(detach: c_int) -> [(f64, f64); 2] {
    let sleep: Sleep = f(c"gg_sleep");
    host::allow_threads(|| {
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let (mut a, mut b) = (0.0, 0.0);
                        barrier.wait();
                        // SAFETY: fixture function; two writable doubles.
                        unsafe { sleep(300, detach, &mut a, &mut b) };
                        (a, b)
                    })
                })
                .collect();
            let r: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
            [r[0], r[1]]
        })
    })
}

#[test]
fn sleeps_in_allow_threads_overlap_under_on() {
    child(
        "sleeps_in_allow_threads_overlap_under_on",
        GilConfig::Enable,
        || {
            let [a, b] = two_sleeps(1);
            assert!(
                a.0.max(b.0) < a.1.min(b.1),
                "detached sleeps overlap: {a:?} {b:?}"
            );
            // The control: sleeping attached holds the lock, so the two sleeps take turns.
            let [a, b] = two_sleeps(0);
            assert!(
                a.0.max(b.0) >= a.1.min(b.1),
                "attached sleeps do not overlap: {a:?} {b:?}"
            );
        },
    );
}

#[test]
fn registry_comes_back_after_threads_exit() {
    child(
        "registry_comes_back_after_threads_exit",
        GilConfig::Enable,
        || {
            let check: Check = f(c"gg_new_swap_delete");
            let walk: Count = f(c"gg_walk_states");
            let before = host::thread_state_count();
            for _round in 0..50 {
                host::allow_threads(|| {
                    // Joined one by one: `join` waits for the thread's exit (its thread-local
                    // destructors), the end of a scope only for its closure.
                    let hs: Vec<_> = (0..8)
                        .map(|_| {
                            std::thread::spawn(move || {
                                // SAFETY: fixture function, called with no state.
                                assert_eq!(unsafe { check() }, 0);
                                // Implicit attach (a call that reads the thread state): gilgate
                                // makes one and deletes it when the thread exits.
                                assert!(PyErr_Occurred().is_null());
                                let v = PyLong_FromLong(5);
                                // SAFETY: our reference.
                                unsafe { host::decref(v) };
                                assert!(!PyThreadState_GetUnchecked().is_null());
                                assert_eq!(PyGILState_Check(), 1);
                                let ts = PyEval_SaveThread();
                                // SAFETY: the state SaveThread returned.
                                unsafe { PyEval_RestoreThread(ts) };
                            })
                        })
                        .collect();
                    for h in hs {
                        h.join().unwrap();
                    }
                });
                assert_eq!(host::thread_state_count(), before);
            }
            // SAFETY: fixture function, attached.
            assert_eq!(unsafe { walk() }, before as c_long);
        },
    );
}

fn sys_call(name: &CStr, arg: *mut PyObject) -> *mut PyObject {
    let sys = host::import_module("sys");
    assert!(!sys.is_null());
    // SAFETY: live objects; a NUL-terminated name.
    unsafe {
        let f = PyObject_GetAttrString(sys, name.as_ptr());
        assert!(!f.is_null());
        let r = if arg.is_null() {
            PyObject_CallNoArgs(f)
        } else {
            PyObject_CallOneArg(f, arg)
        };
        host::decref(f);
        host::decref(sys);
        r
    }
}

#[test]
fn switch_interval_and_is_gil_enabled() {
    child(
        "switch_interval_and_is_gil_enabled",
        GilConfig::Enable,
        || {
            // SAFETY: live objects we own.
            unsafe {
                let r = sys_call(c"getswitchinterval", std::ptr::null_mut());
                assert_eq!(PyFloat_AsDouble(r), 0.005);
                host::decref(r);
                for bad in [0.0, -1.0] {
                    let v = PyFloat_FromDouble(bad);
                    assert!(sys_call(c"setswitchinterval", v).is_null());
                    let e = host::take_exception().expect("raised");
                    assert_eq!(
                        (e.type_name.as_str(), e.message.as_str()),
                        ("ValueError", "switch interval must be strictly positive")
                    );
                    host::decref(v);
                }
                let v = PyFloat_FromDouble(0.001);
                let r = sys_call(c"setswitchinterval", v);
                assert!(!r.is_null());
                host::decref(r);
                host::decref(v);
                let r = sys_call(c"getswitchinterval", std::ptr::null_mut());
                assert!((PyFloat_AsDouble(r) - 0.001).abs() < 1e-9);
                host::decref(r);
                let r = sys_call(c"_is_gil_enabled", std::ptr::null_mut());
                assert_eq!(r, &raw mut _Py_TrueStruct as *mut PyObject);
                host::decref(r);
            }
            assert_eq!(
                host::lock_configure(GilConfig::Disable),
                Err(GilConfig::Enable)
            );
            assert_eq!(host::lock_configure(GilConfig::Enable), Ok(()));
        },
    );
}

#[test]
fn is_gil_enabled_false_under_off() {
    child("is_gil_enabled_false_under_off", GilConfig::Disable, || {
        let r = sys_call(c"_is_gil_enabled", std::ptr::null_mut());
        assert_eq!(r, &raw mut _Py_FalseStruct as *mut PyObject);
        assert!(!host::lock_enable_transient(), "off never switches");
        assert_eq!(host::lock_counter(), 0);
    });
}

#[test]
fn transient_requests_count_under_default() {
    child(
        "transient_requests_count_under_default",
        GilConfig::Default,
        || {
            assert!(!host::lock_enabled());
            assert!(host::lock_enable_transient());
            assert!(!host::lock_enable_transient());
            assert_eq!(host::lock_counter(), 2);
            assert!(!host::lock_disable());
            assert!(host::lock_disable(), "the last request turns it off");
            // Threads run attached regions freely again, then serialised once permanent.
            let (expected, counted) = bump_all(2, 2000);
            eprintln!("default, off: counted {counted} of {expected}");
            assert!(host::lock_enable_transient());
            assert!(host::lock_enable_permanent());
            assert!(!host::lock_disable(), "permanent stays on");
            let (expected, counted) = bump_all(2, 2000);
            assert_eq!(counted, expected, "exact once on");
        },
    );
}

#[test]
fn call_without_attached_state_is_fatal() {
    let name = "call_without_attached_state_is_fatal";
    if std::env::var(support::CHILD).as_deref() == Ok(name) {
        host::initialize().expect("runtime initializes");
        let _ts = PyEval_SaveThread();
        // Needs a thread state: CPython's fatal error, then abort.
        PyErr_Occurred();
        unreachable!("PyErr_Occurred returned without a thread state");
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(support::CHILD, name)
        .output()
        .expect("child runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("Fatal Python error: PyThreadState_Get: the function must be called with an active thread state, after Python initialization and before Python finalization, but it was called without an active thread state. Are you trying to call the C API inside of a Py_BEGIN_ALLOW_THREADS block?"),
        "{stderr}"
    );
}

#[test]
fn pythread_started_threads_attach_and_join_under_on() {
    child(
        "pythread_started_threads_attach_and_join_under_on",
        GilConfig::Enable,
        || {
            let joinable: unsafe extern "C" fn(c_int, c_long) -> c_int = f(c"gg_joinable");
            let new_thread: unsafe extern "C" fn(c_long) -> c_int = f(c"gg_new_thread");
            let counter: Count = f(c"gg_counter");
            let reset: unsafe extern "C" fn() = f(c"gg_counter_reset");
            let before = host::thread_state_count();
            // SAFETY: fixture functions with their C signatures, called attached.
            unsafe {
                reset();
                assert_eq!(joinable(4, 3000), 0);
                assert_eq!(counter(), 12000, "exact under the lock");
                assert_eq!(new_thread(3000), 0);
                assert_eq!(counter(), 15000);
            }
            assert_eq!(host::thread_state_count(), before);
        },
    );
}

#[test]
fn a_thread_attached_when_the_lock_goes_on_waits_for_it_at_its_next_safe_point() {
    child(
        "a_thread_attached_when_the_lock_goes_on_waits_for_it_at_its_next_safe_point",
        GilConfig::Default,
        || {
            use std::sync::atomic::{AtomicU8, Ordering};
            // 0: starting; 1: lock switched on; 2: worker checked; 3: worker attached.
            static STEP: AtomicU8 = AtomicU8::new(0);
            static ATTACHED: AtomicU8 = AtomicU8::new(0);
            let worker = std::thread::spawn(|| {
                let ts = PyThreadState_Get();
                // SAFETY: this thread's own state.
                assert_eq!(unsafe { (*ts).holds_gil }, 0, "the lock is off");
                ATTACHED.store(1, Ordering::SeqCst);
                // Runs attached (without the lock) until the main thread switched it on.
                while STEP.load(Ordering::SeqCst) == 0 {
                    work(1);
                }
                host::safe_point();
                // SAFETY: as above.
                assert_eq!(unsafe { (*ts).holds_gil }, 1, "waited for the lock");
                STEP.store(2, Ordering::SeqCst);
            });
            // Once the worker runs attached, the main thread switches the lock on (and then
            // holds it), then lets the worker go.
            while ATTACHED.load(Ordering::SeqCst) == 0 {
                std::thread::yield_now();
            }
            assert!(host::lock_enable_transient());
            assert!(host::lock_enable_permanent());
            STEP.store(1, Ordering::SeqCst);
            // The worker cannot finish its safe point while this thread holds the lock.
            host::allow_threads(|| worker.join().unwrap());
            assert_eq!(STEP.load(Ordering::SeqCst), 2);
        },
    );
}

#[test]
fn pending_calls_run_on_the_main_thread() {
    child(
        "pending_calls_run_on_the_main_thread",
        GilConfig::Enable,
        || {
            let check: Check = f(c"gg_pending_calls");
            // SAFETY: fixture function, on the thread that started the runtime, attached.
            assert_eq!(unsafe { check() }, 0);
        },
    );
}

#[test]
fn switching_the_lock_on_stops_the_world_then_serialises() {
    child(
        "switching_the_lock_on_stops_the_world_then_serialises",
        GilConfig::Default,
        || {
            type Run = unsafe extern "C" fn(c_long, c_long, *mut c_int, *mut c_long, *mut c_long);
            let run: Run = f(c"gg_bump_after_switch");
            let after: Count = f(c"gg_after");
            host::set_switch_interval(0.0002);
            let switched = std::sync::atomic::AtomicI32::new(0);
            let threads = 4;
            let started: Vec<std::sync::atomic::AtomicI64> =
                (0..threads).map(|_| Default::default()).collect();
            let mine: Vec<std::sync::atomic::AtomicI64> =
                (0..threads).map(|_| Default::default()).collect();
            std::thread::scope(|s| {
                for i in 0..threads {
                    let (switched, started, mine) = (&switched, &started[i], &mine[i]);
                    s.spawn(move || {
                        // SAFETY: fixture function; the pointers are live atomics of the
                        // right sizes for the whole call.
                        unsafe {
                            run(
                                20_000,
                                50,
                                switched.as_ptr(),
                                started.as_ptr(),
                                mine.as_ptr(),
                            )
                        }
                    });
                }
                // Once every worker runs, switch the lock on as an undeclared import does.
                while started
                    .iter()
                    .any(|s| s.load(std::sync::atomic::Ordering::SeqCst) == 0)
                {
                    std::thread::yield_now();
                }
                assert!(host::lock_enable_transient());
                assert!(host::lock_enable_permanent());
                switched.store(1, std::sync::atomic::Ordering::SeqCst);
                // Wait detached: the workers need the lock.
                PyEval_SaveThread();
            });
            let total: i64 = mine
                .iter()
                .map(|m| m.load(std::sync::atomic::Ordering::SeqCst))
                .sum();
            assert_eq!(total, 4 * 20_000, "bumps after the switch");
            // SAFETY: fixture function; every worker has finished.
            assert_eq!(unsafe { after() } as i64, total, "exact after the switch");
        },
    );
}
