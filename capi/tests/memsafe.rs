//! Objects safe to share across threads (issue 9, items 5 and 6): biased reference counting
//! hands a foreign thread's last decref to the owner, which frees the object at its next safe
//! point (or when it exits), and a list's old item arrays are freed only when no attached
//! thread can still be reading them (QSBR), so readers that use the array without the lock
//! never touch freed memory. Driven from real threads with a C fixture
//! (`c/memsafe/memsafe.c`), thousands of rounds each; `scripts/valgrind-race.sh` runs the
//! reader-vs-appender test under memcheck, with a negative control.
//!
//! `finishes` turns a hang into a failure after a generous limit (a hang guard, not a measure
//! of speed).

use gilgate_capi::ffi::{PyObject, PyThreadState_Get};
use gilgate_capi::host::{self, safe_point};
use gilgate_capi::testing::refcount::pending_count;
use std::ffi::{c_int, c_long};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;
use support::{Library, cc};

mod support;

const HANG_GUARD: Duration = Duration::from_secs(300);

fn fixture() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        host::initialize().expect("runtime initializes");
        let so = cc::shared(
            cc::fixture("memsafe/memsafe.c"),
            cc::out_dir("memsafe").join(format!("gilgate-memsafe-{}.so", std::process::id())),
        )
        .args([
            "-std=gnu11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-O1",
            "-pthread",
        ])
        .build();
        // SAFETY: a fixture just built against our headers; its undefined symbols resolve
        // against this test binary's exported C API.
        unsafe { Library::open(&so) }
    })
}

macro_rules! c_fn {
    ($name:literal as $ty:ty) => {{
        let p = fixture().sym($name);
        // SAFETY: the fixture defines `$name` with exactly this C signature.
        unsafe { std::mem::transmute::<*mut std::ffi::c_void, $ty>(p) }
    }};
}

type New = unsafe extern "C" fn() -> *mut PyObject;
type Count = unsafe extern "C" fn() -> c_long;
type Decref = unsafe extern "C" fn(*mut PyObject);
type Race = unsafe extern "C" fn(c_int, c_long, c_int, c_int, *mut c_long) -> c_long;

/// `support::finishes` with this file's hang guard.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    support::finishes(what, HANG_GUARD, f)
}

#[derive(Clone, Copy)]
struct Obj(*mut PyObject);
// SAFETY: handed between threads on purpose; each reference is used by one thread at a time.
unsafe impl Send for Obj {}

/// Attaches the calling thread (gilgate's implicit attach), so it has safe points.
fn attach_here() {
    PyThreadState_Get();
}

/// The counted objects' deallocations, the biased-refcount cases in sequence (they share the
/// fixture's counter, so they are one test).
#[test]
fn a_foreign_decref_is_merged_by_the_owner() {
    let new_c = c_fn!(c"gg_counted_new" as New);
    let deallocs_c = c_fn!(c"gg_deallocs" as Count);
    let decref_c = c_fn!(c"gg_decref" as Decref);
    // SAFETY: no preconditions.
    let new = move || unsafe { new_c() };
    // SAFETY: no preconditions.
    let deallocs = move || unsafe { deallocs_c() };
    // SAFETY: each call drops one reference the caller owns to a counted object (the callers
    // below hand every reference to exactly one decref).
    let decref = move |o: *mut PyObject| unsafe { decref_c(o) };
    // SAFETY: as `decref`, adding one.
    let incref = |o: *mut PyObject| unsafe { gilgate_capi::ffi::Py_IncRef(o) };
    finishes("biased refcounting", move || {
        attach_here();

        // 1. Created on A (this thread), dropped on B: queued to A, freed at A's next safe
        //    point, not before. Thousands of rounds.
        const ROUNDS: usize = 3000;
        let (to_b, b_in) = mpsc::channel::<Obj>();
        let (b_done, done_in) = mpsc::channel::<()>();
        let b = std::thread::spawn(move || {
            for o in b_in {
                decref(o.0);
                b_done.send(()).unwrap();
            }
        });
        for _ in 0..ROUNDS {
            let o = new();
            assert!(!o.is_null());
            let before = deallocs();
            to_b.send(Obj(o)).unwrap();
            done_in.recv().unwrap();
            assert_eq!(deallocs(), before, "freed before the owner's safe point");
            assert_eq!(pending_count(), 1);
            safe_point();
            assert_eq!(deallocs(), before + 1, "not freed at the safe point");
            assert_eq!(pending_count(), 0);
        }
        drop(to_b);
        b.join().unwrap();

        // 2. Many threads drop A's objects concurrently while A keeps creating and reaching
        //    safe points: every object is freed exactly once by the end.
        let before = deallocs();
        const EACH: usize = 2000;
        const DROPPERS: usize = 4;
        let mut txs = Vec::new();
        let mut droppers = Vec::new();
        for _ in 0..DROPPERS {
            let (tx, rx) = mpsc::channel::<Obj>();
            txs.push(tx);
            droppers.push(std::thread::spawn(move || {
                for o in rx {
                    decref(o.0);
                }
            }));
        }
        for i in 0..EACH {
            let o = new();
            // Two references: one dropped by a foreign thread, one by A itself.
            incref(o);
            txs[i % DROPPERS].send(Obj(o)).unwrap();
            decref(o);
            safe_point();
        }
        drop(txs);
        for d in droppers {
            d.join().unwrap();
        }
        safe_point();
        assert_eq!(deallocs(), before + EACH as c_long);
        assert_eq!(pending_count(), 0);

        // 3. An owner that exits with objects queued for it frees them on its way out: one
        //    attached owner, one that never had a thread state.
        for attached in [true, false] {
            for _ in 0..200 {
                let before = deallocs();
                const K: usize = 5;
                let (tx, rx) = mpsc::channel::<Vec<Obj>>();
                let (dropped, dropped_in) = mpsc::channel::<()>();
                let owner = std::thread::spawn(move || {
                    if attached {
                        attach_here();
                    }
                    let objs: Vec<Obj> = (0..K).map(|_| Obj(new())).collect();
                    tx.send(objs).unwrap();
                    dropped_in.recv().unwrap();
                    assert_eq!(pending_count(), K);
                    assert_eq!(deallocs(), before);
                });
                for o in rx.recv().unwrap() {
                    decref(o.0);
                }
                dropped.send(()).unwrap();
                owner.join().unwrap();
                assert_eq!(deallocs(), before + K as c_long, "leaked at exit");
            }
        }

        // 4. The owner exited first: a later foreign decref merges on the spot.
        for _ in 0..200 {
            let o = std::thread::spawn(move || {
                attach_here();
                Obj(new())
            })
            .join()
            .unwrap();
            let before = deallocs();
            decref(o.0);
            assert_eq!(deallocs(), before + 1);
        }
    });
}

/// `rounds` of the fixture's race (one appender, `readers` readers; with `need_pass`, more
/// rounds until a reader made a pass); asserts no bad read and returns the reader passes.
fn race(readers: c_int, rounds: c_long, getitem: bool, need_pass: bool) -> c_long {
    let race = c_fn!(c"gg_race" as Race);
    finishes("reader vs appender", move || {
        attach_here();
        let mut passes: c_long = 0;
        // SAFETY: the fixture's entry point, called attached.
        let bad = unsafe {
            race(
                readers,
                rounds,
                c_int::from(getitem),
                c_int::from(need_pass),
                &mut passes,
            )
        };
        assert!(bad >= 0, "the race's threads did not start");
        assert_eq!(bad, 0, "readers saw {bad} slots that were never stored");
        passes
    })
}

/// Rounds of the race: `GILGATE_RACE_ROUNDS` (scripts/valgrind-race.sh sets fewer) or 3000.
fn rounds() -> c_long {
    std::env::var("GILGATE_RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

#[test]
fn readers_of_the_raw_array_never_see_it_freed() {
    let passes = race(3, rounds(), false, true);
    assert!(passes > 0);
}

#[test]
fn readers_through_pylist_getitem_never_see_it_freed() {
    let passes = race(3, rounds(), true, true);
    assert!(passes > 0);
}

/// The list's owner reads it through `PyList_GetItem` (which never marks it shared) while
/// another thread grows and clears it: that thread's resizes mark the list shared, so the
/// owner never reads an array freed (or moved by `realloc`) under it.
#[test]
fn the_owner_reading_while_another_thread_resizes_never_sees_the_array_freed() {
    let race = c_fn!(c"gg_race_owner" as unsafe extern "C" fn(c_long, *mut c_long) -> c_long);
    let passes = finishes("owner reader vs appender", move || {
        attach_here();
        let mut passes: c_long = 0;
        // SAFETY: the fixture's entry point, called attached.
        let bad = unsafe { race(rounds(), &mut passes) };
        assert!(bad >= 0, "the appender did not start");
        assert_eq!(bad, 0, "the owner saw {bad} slots that were never stored");
        passes
    });
    assert!(passes > 0);
}

/// Runs the test `name` again in a child process with the process's lock on for good
/// (`PYTHON_GIL=1` in CPython; see `support::in_child`); in the child, runs `body`.
fn under_the_lock(name: &str, body: impl FnOnce()) {
    support::in_child(name, host::GilConfig::Enable, body);
}

/// With the lock on, readers and the appender take turns (each reader hands the lock over at
/// its detaches): nothing deadlocks and nothing is read freed.
#[test]
fn readers_and_appender_under_the_lock() {
    under_the_lock("readers_and_appender_under_the_lock", || {
        race(2, rounds() / 3, false, false);
        race(2, rounds() / 3, true, false);
    });
}

/// The old arrays do get freed: after the race nothing is left in this thread's queue, and
/// what the exited appender left behind is freed by the next thread that processes.
#[test]
fn delayed_frees_are_freed_eventually() {
    race(2, 200, false, false);
    finishes("abandoned frees", || {
        attach_here();
        // Other tests' threads may be online meanwhile (and their appenders leave blocks
        // behind when they exit); each of them passes quiescent points, so the abandoned list
        // drains; the hang guard ends a wait that never does.
        while gilgate_capi::testing::qsbr::abandoned_frees() != 0 {
            safe_point();
            host::allow_threads(std::thread::yield_now);
        }
        assert_eq!(gilgate_capi::testing::qsbr::pending_frees(), 0);
    });
}

/// As in CPython 3.14t, only a list another thread has read (through `PyList_GetItem`) pays
/// for delayed freeing: its owner's resizes free the old array at once until then, and go
/// through the delayed-free queue after, while another thread is online.
#[test]
fn only_a_shared_list_delays_freeing_its_old_arrays() {
    use gilgate_capi::ffi::{
        Py_DecRef, PyList_Append, PyList_GetItem, PyList_New, PyLong_FromLong,
    };
    use gilgate_capi::testing::qsbr::pending_frees;
    use std::sync::atomic::{AtomicU8, Ordering};
    finishes("shared list", || {
        attach_here();
        let l = Obj(PyList_New(0));
        assert!(!l.0.is_null());
        let append_many = |l: Obj| {
            for i in 0..2000 {
                // SAFETY: a live list and a new int, released after the append took its own.
                unsafe {
                    let x = PyLong_FromLong(i);
                    assert_eq!(PyList_Append(l.0, x), 0);
                    Py_DecRef(x);
                }
            }
        };
        // 0: waiting, 1: go and read, 2: has read (and stays online), 3: may leave.
        let step = std::sync::Arc::new(AtomicU8::new(0));
        let s2 = step.clone();
        let lo = l;
        let other = std::thread::spawn(move || {
            let l = lo; // the whole `Obj` (Send), not its raw field
            attach_here();
            while s2.load(Ordering::SeqCst) != 1 {
                std::hint::spin_loop();
            }
            // SAFETY: the list stays alive until this thread is joined.
            assert!(!unsafe { PyList_GetItem(l.0, 0) }.is_null());
            s2.store(2, Ordering::SeqCst);
            // Online, with no quiescent point, until told.
            while s2.load(Ordering::SeqCst) != 3 {
                std::hint::spin_loop();
            }
            host::allow_threads(|| ());
        });
        let before = pending_frees();
        append_many(l);
        assert_eq!(
            pending_frees(),
            before,
            "a private list's old arrays are freed at once"
        );
        step.store(1, Ordering::SeqCst);
        while step.load(Ordering::SeqCst) != 2 {
            std::hint::spin_loop();
        }
        append_many(l);
        let queued = pending_frees();
        step.store(3, Ordering::SeqCst);
        other.join().unwrap();
        assert!(
            queued > before,
            "a shared list's old arrays wait for the other thread's quiescent point"
        );
        // SAFETY: this thread's reference.
        unsafe { Py_DecRef(l.0) };
    });
}
