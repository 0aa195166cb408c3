//! Objects safe to share (issue 9, item 5): references taken under the owner's lock, per-object
//! slots (instance `__dict__`, object members, weak reference lists), try-incref that never
//! revives a dying object, shared iterators, and `PyDict_SetDefaultRef`'s single winner.
//! Driven from real OS threads through the C fixture `c/sharing/sharing.c`, thousands of
//! rounds each.
//!
//! The values the threads race on poison themselves when deallocated and keep their memory, so
//! a use after the last reference reads the poison (a "bad" read here) instead of crashing at
//! random, and a double deallocation shows in the counts: at the end of each test every value
//! it created has been deallocated exactly once. A hang fails through `finishes` (a hang
//! guard, not a measure of speed).

use gilgate_capi::ffi::{
    PyDict_New, PyDict_SetItem, PyList_Append, PyList_New, PyLong_FromLong, PyObject,
    PyObject_GenericGetDict, PyObject_GetIter, PySeqIter_New, PyTuple_New, PyTuple_SetItem,
    PyUnicode_FromString, PyWeakref_NewRef,
};
use gilgate_capi::host::{self, decref};
use std::ffi::{CStr, c_char, c_int, c_long};
use std::path::PathBuf;
use std::sync::{Arc, Barrier, OnceLock};
use std::time::Duration;
use support::{Library, P, cc};

mod support;

const HANG_GUARD: Duration = Duration::from_secs(300);

fn fixture() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        host::initialize().expect("runtime initializes");
        let so: PathBuf = cc::shared(
            cc::fixture("sharing/sharing.c"),
            cc::out_dir("sharing").join("gilgate-sharing.so"),
        )
        .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1"])
        .build();
        // SAFETY: loading a library we just built; its undefined symbols resolve against this
        // test binary's exported C API.
        let lib = unsafe { Library::open(&so) };
        let p = lib.sym(c"gg_init");
        // SAFETY: the fixture defines `int gg_init(void)`.
        let init = unsafe {
            std::mem::transmute::<*mut std::ffi::c_void, unsafe extern "C" fn() -> c_int>(p)
        };
        // SAFETY: readies the fixture's static type once.
        assert_eq!(unsafe { init() }, 0);
        lib
    })
}

macro_rules! c_fn {
    ($name:literal as $ty:ty) => {{
        let p = fixture().sym($name);
        // SAFETY: the fixture defines the symbol with this signature.
        unsafe { std::mem::transmute::<*mut std::ffi::c_void, $ty>(p) }
    }};
}

/// `support::finishes` with this file's hang guard.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    support::finishes(what, HANG_GUARD, f)
}

fn string(s: &CStr) -> P {
    // SAFETY: a fresh str owned by the caller.
    let o = unsafe { PyUnicode_FromString(s.as_ptr()) };
    assert!(!o.is_null());
    P::of(o)
}

fn value(tag: c_long) -> P {
    let new = c_fn!(c"gg_value_new" as unsafe extern "C" fn(c_long) -> *mut PyObject);
    // SAFETY: the fixture's constructor.
    let v = unsafe { new(tag) };
    assert!(!v.is_null());
    P::of(v)
}

/// Every value made under `tag` was deallocated, each exactly once. A value whose last
/// reference went on a thread that does not own it may wait in its owner's merge queue, and
/// the owner may be an unrelated thread that reuses an exited thread's id (the tests of this
/// binary run at once): so the count may still rise for a while, never past the creations.
fn all_freed_once(tag: c_long) {
    let created = c_fn!(c"gg_created" as unsafe extern "C" fn(c_long) -> c_long);
    let freed = c_fn!(c"gg_freed" as unsafe extern "C" fn(c_long) -> c_long);
    let deadline = std::time::Instant::now() + HANG_GUARD;
    loop {
        gilgate_capi::host::merge_pending();
        // SAFETY: plain counters.
        let (c, f) = unsafe { (created(tag), freed(tag)) };
        assert!(c > 0, "tag {tag}: nothing created");
        assert!(
            f <= c,
            "tag {tag}: {c} created, freed count {f} (1000000 per double free)"
        );
        if f == c {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "tag {tag}: {c} created, {f} freed"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn release(o: P) {
    // SAFETY: a reference the test owns.
    unsafe { decref(o.get()) };
}

// Tags of the values each test creates (the fixture counts per tag).
const TAG_DICT: c_long = 1;
const TAG_SETDEFAULT: c_long = 2;
const TAG_ATTR: c_long = 3;
const TAG_MEMBER: c_long = 4;
const TAG_WEAK: c_long = 5;
const TAG_ITER: c_long = 6;
const TAG_CLASS: c_long = 7;
const TAG_ASSIGN: c_long = 8;
const TAG_TRYINC: c_long = 9;
const TAG_GROW: c_long = 10;
const TAG_CACHED: c_long = 11;
const TAG_LIGHT: c_long = 14;

type Reader = unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, *mut c_long) -> c_long;
type AttrReader = unsafe extern "C" fn(*mut PyObject, *const c_char, c_long, *mut c_long) -> c_long;
type AttrWriter = unsafe extern "C" fn(*mut PyObject, *const c_char, c_long, c_long) -> c_int;

/// Runs `readers` threads of `read` against `writers` threads of `write` at once; returns the
/// readers' (bad reads, hits). A round in which no reader found anything (on a loaded machine
/// the readers can all run before or after the writers' window) is run again, up to
/// `RACE_ROUNDS` rounds, so that the callers' `hits > 0` checks what the race exercised rather
/// than how the scheduler placed the threads.
fn race(
    what: &str,
    readers: usize,
    writers: usize,
    read: impl Fn() -> (c_long, c_long) + Send + Sync + 'static,
    write: impl Fn() -> c_int + Send + Sync + 'static,
) -> (c_long, c_long) {
    const RACE_ROUNDS: usize = 5;
    let read = Arc::new(read);
    let write = Arc::new(write);
    let mut total = (0, 0);
    for _ in 0..RACE_ROUNDS {
        let (bad, hits) = race_round(what, readers, writers, read.clone(), write.clone());
        total = (total.0 + bad, total.1 + hits);
        if total.0 != 0 || total.1 != 0 {
            break;
        }
    }
    total
}

/// One round of [`race`].
fn race_round(
    what: &str,
    readers: usize,
    writers: usize,
    read: Arc<impl Fn() -> (c_long, c_long) + Send + Sync + 'static>,
    write: Arc<impl Fn() -> c_int + Send + Sync + 'static>,
) -> (c_long, c_long) {
    finishes(what, move || {
        let go = Arc::new(Barrier::new(readers + writers));
        let mut rs = Vec::new();
        let mut ws = Vec::new();
        for _ in 0..readers {
            let (go, read) = (go.clone(), read.clone());
            rs.push(std::thread::spawn(move || {
                go.wait();
                read()
            }));
        }
        for _ in 0..writers {
            let (go, write) = (go.clone(), write.clone());
            ws.push(std::thread::spawn(move || {
                go.wait();
                write()
            }));
        }
        for w in ws {
            assert_eq!(w.join().unwrap(), 0, "a writer failed");
        }
        rs.into_iter().fold((0, 0), |(b, h), r| {
            let (rb, rh) = r.join().unwrap();
            assert!(rb >= 0, "a reader failed");
            (b + rb, h + rh)
        })
    })
}

#[test]
fn dict_get_item_ref_never_returns_a_freed_value_while_writers_replace_and_delete_it() {
    let read = c_fn!(c"gg_dict_reader" as Reader);
    let write = c_fn!(
        c"gg_dict_writer"
            as unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, c_long) -> c_int
    );
    let d = P::of(PyDict_New());
    let key = string(c"k");
    let (bad, hits) = race(
        "dict readers and writers",
        3,
        2,
        move || {
            let mut hits = 0;
            // SAFETY: live dict and key shared on purpose.
            let bad = unsafe { read(d.get(), key.get(), 200_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { write(d.get(), key.get(), 100_000, TAG_DICT) },
    );
    assert_eq!(
        bad, 0,
        "PyDict_GetItemRef returned freed values ({hits} hits)"
    );
    assert!(hits > 0, "the readers never found the key");
    release(d);
    release(key);
    all_freed_once(TAG_DICT);
}

/// The dict lookup's common path (a probe comparing keys that run no code, under the dict's
/// mutex without a section) against a writer that grows the table from empty, replaces,
/// deletes and clears: every value read is live (a lookup without the mutex, or one that
/// drops it before taking its reference, returns freed values here).
#[test]
fn dict_int_key_reads_never_return_a_freed_value_while_the_table_grows_and_clears() {
    let read = c_fn!(c"gg_dict_int_reader" as Reader);
    let grow = c_fn!(
        c"gg_dict_grower"
            as unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, c_long) -> c_int
    );
    let d = P::of(PyDict_New());
    // SAFETY: plain constructors.
    let keys = P::of(unsafe {
        let t = PyTuple_New(64);
        for i in 0..64 {
            PyTuple_SetItem(t, i, PyLong_FromLong(i as c_long));
        }
        t
    });
    let (bad, hits) = race(
        "dict int-key readers and a growing writer",
        2,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: live dict and key tuple shared on purpose.
            let bad = unsafe { read(d.get(), keys.get(), 150_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { grow(d.get(), keys.get(), 3_000, TAG_GROW) },
    );
    assert_eq!(bad, 0, "dict reads returned freed values ({hits} hits)");
    assert!(hits > 0, "the readers never found a key");
    release(d);
    release(keys);
    all_freed_once(TAG_GROW);
}

#[test]
fn set_default_ref_has_exactly_one_winner() {
    let setdefault = c_fn!(
        c"gg_setdefault"
            as unsafe extern "C" fn(
                *mut PyObject,
                *mut PyObject,
                *mut *mut PyObject,
                c_long,
            ) -> c_int
    );
    const THREADS: usize = 4;
    const ROUNDS: usize = 20_000;
    let key = string(c"k");
    finishes("setdefault rounds", move || {
        let go = Arc::new(Barrier::new(THREADS));
        let slots: Arc<Vec<std::sync::Mutex<(c_int, usize)>>> = Arc::new(
            (0..THREADS)
                .map(|_| std::sync::Mutex::new((0, 0)))
                .collect(),
        );
        let dict: Arc<std::sync::Mutex<P>> = Arc::new(std::sync::Mutex::new(P(0)));
        let hs: Vec<_> = (0..THREADS)
            .map(|i| {
                let (go, slots, dict) = (go.clone(), slots.clone(), dict.clone());
                std::thread::spawn(move || {
                    for round in 0..ROUNDS {
                        if i == 0 {
                            // a fresh dict; the previous round's was released
                            *dict.lock().unwrap() = P::of(PyDict_New());
                        }
                        go.wait();
                        let d = *dict.lock().unwrap();
                        let mut out = std::ptr::null_mut();
                        // SAFETY: a live dict and key shared on purpose.
                        let r = unsafe { setdefault(d.get(), key.get(), &mut out, TAG_SETDEFAULT) };
                        *slots[i].lock().unwrap() = (r, out as usize);
                        go.wait();
                        if i == 0 {
                            let got: Vec<(c_int, usize)> =
                                slots.iter().map(|s| *s.lock().unwrap()).collect();
                            let winners = got.iter().filter(|g| g.0 == 0).count();
                            assert_eq!(winners, 1, "round {round}: {got:?}");
                            assert!(
                                got.iter().all(|g| g.0 >= 0 && g.1 == got[0].1),
                                "round {round}: {got:?}"
                            );
                            for g in &got {
                                release(P(g.1));
                            }
                            release(d);
                        }
                        go.wait();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
    release(key);
    all_freed_once(TAG_SETDEFAULT);
}

fn holder_type() -> P {
    static T: OnceLock<usize> = OnceLock::new();
    P(*T.get_or_init(|| {
        let make = c_fn!(c"gg_holder_type" as unsafe extern "C" fn() -> *mut PyObject);
        // SAFETY: the fixture's spec; the type is kept for the process.
        let t = unsafe { make() };
        assert!(!t.is_null());
        t as usize
    }))
}

fn holder() -> P {
    let new = c_fn!(c"gg_holder_new" as unsafe extern "C" fn(*mut PyObject) -> *mut PyObject);
    // SAFETY: a live type.
    let o = unsafe { new(holder_type().get()) };
    assert!(!o.is_null());
    P::of(o)
}

#[test]
fn getattr_never_returns_a_freed_value_while_setattr_replaces_and_deletes_it() {
    let read = c_fn!(c"gg_getattr_reader" as AttrReader);
    let write = c_fn!(c"gg_setattr_writer" as AttrWriter);
    let o = holder();
    let (bad, hits) = race(
        "getattr against setattr",
        3,
        2,
        move || {
            let mut hits = 0;
            // SAFETY: a live object shared on purpose.
            let bad = unsafe { read(o.get(), c"a".as_ptr(), 30_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { write(o.get(), c"a".as_ptr(), 20_000, TAG_ATTR) },
    );
    assert_eq!(bad, 0, "getattr returned freed values ({hits} hits)");
    release(o);
    all_freed_once(TAG_ATTR);
}

#[test]
fn getattr_survives_dict_assignment_on_another_thread() {
    let read = c_fn!(c"gg_getattr_reader" as AttrReader);
    let assign = c_fn!(c"gg_dict_assigner" as AttrWriter);
    let o = holder();
    let (bad, hits) = race(
        "getattr against __dict__ assignment",
        3,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live object shared on purpose.
            let bad = unsafe { read(o.get(), c"a".as_ptr(), 30_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { assign(o.get(), c"a".as_ptr(), 20_000, TAG_ASSIGN) },
    );
    assert_eq!(bad, 0, "getattr returned freed values ({hits} hits)");
    assert!(hits > 0);
    release(o);
    all_freed_once(TAG_ASSIGN);
}

#[test]
fn a_class_attribute_replaced_on_another_thread_is_never_read_freed() {
    let read = c_fn!(c"gg_getattr_reader" as AttrReader);
    let write = c_fn!(c"gg_setattr_writer" as AttrWriter);
    let t = holder_type();
    let o = holder();
    let (bad, hits) = race(
        "instance getattr against class setattr",
        3,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live object shared on purpose.
            let bad = unsafe { read(o.get(), c"c".as_ptr(), 30_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: a live heap type.
        move || unsafe { write(t.get(), c"c".as_ptr(), 20_000, TAG_CLASS) },
    );
    assert_eq!(
        bad, 0,
        "getattr returned freed class attributes ({hits} hits)"
    );
    release(o);
    // the class keeps its last value: delete it so every value is freed
    // SAFETY: a live heap type.
    unsafe {
        let r = gilgate_capi::ffi::PyObject_DelAttrString(t.get(), c"c".as_ptr());
        if r < 0 {
            gilgate_capi::ffi::PyErr_Clear();
        }
    }
    all_freed_once(TAG_CLASS);
}

#[test]
fn an_object_member_read_never_sees_a_freed_value() {
    let read = c_fn!(c"gg_getattr_reader" as AttrReader);
    let write = c_fn!(c"gg_setattr_writer" as AttrWriter);
    let o = holder();
    let (bad, hits) = race(
        "member get against member set",
        3,
        2,
        move || {
            let mut hits = 0;
            // SAFETY: a live object shared on purpose.
            let bad = unsafe { read(o.get(), c"m".as_ptr(), 30_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { write(o.get(), c"m".as_ptr(), 20_000, TAG_MEMBER) },
    );
    assert_eq!(
        bad, 0,
        "the member read returned freed values ({hits} hits)"
    );
    assert!(hits > 0);
    release(o);
    all_freed_once(TAG_MEMBER);
}

#[test]
fn two_threads_materialising_one_instance_dict_get_the_same_dict() {
    let slot =
        c_fn!(c"gg_holder_dict_slot" as unsafe extern "C" fn(*mut PyObject) -> *mut PyObject);
    const ROUNDS: usize = 20_000;
    finishes("instance dict rounds", move || {
        let go = Arc::new(Barrier::new(2));
        let cur: Arc<std::sync::Mutex<P>> = Arc::new(std::sync::Mutex::new(P(0)));
        let got: Arc<[std::sync::Mutex<usize>; 2]> =
            Arc::new([Default::default(), Default::default()]);
        let hs: Vec<_> = (0..2)
            .map(|i| {
                let (go, cur, got) = (go.clone(), cur.clone(), got.clone());
                std::thread::spawn(move || {
                    for round in 0..ROUNDS {
                        if i == 0 {
                            *cur.lock().unwrap() = holder();
                        }
                        go.wait();
                        let o = *cur.lock().unwrap();
                        // SAFETY: a live object shared on purpose.
                        let d = unsafe { PyObject_GenericGetDict(o.get(), std::ptr::null_mut()) };
                        assert!(!d.is_null());
                        *got[i].lock().unwrap() = d as usize;
                        go.wait();
                        if i == 0 {
                            let (a, b) = (*got[0].lock().unwrap(), *got[1].lock().unwrap());
                            assert_eq!(a, b, "round {round}: two dicts made");
                            // SAFETY: the object is live.
                            assert_eq!(unsafe { slot(o.get()) } as usize, a);
                            release(P(a));
                            release(P(b));
                            release(o);
                        }
                        go.wait();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
}

#[test]
fn first_setattrs_on_two_threads_lose_no_attribute() {
    const ROUNDS: usize = 20_000;
    finishes("first setattr rounds", move || {
        let go = Arc::new(Barrier::new(2));
        let cur: Arc<std::sync::Mutex<P>> = Arc::new(std::sync::Mutex::new(P(0)));
        let hs: Vec<_> = (0..2)
            .map(|i| {
                let (go, cur) = (go.clone(), cur.clone());
                std::thread::spawn(move || {
                    let name = [c"x", c"y"][i];
                    for round in 0..ROUNDS {
                        if i == 0 {
                            *cur.lock().unwrap() = holder();
                        }
                        go.wait();
                        let o = *cur.lock().unwrap();
                        // SAFETY: a live object shared on purpose; None is immortal.
                        let r = unsafe {
                            gilgate_capi::ffi::PyObject_SetAttrString(
                                o.get(),
                                name.as_ptr(),
                                gilgate_capi::ffi::Py_GetConstantBorrowed(0),
                            )
                        };
                        assert_eq!(r, 0);
                        go.wait();
                        if i == 0 {
                            for n in [c"x", c"y"] {
                                // SAFETY: as above.
                                let has = unsafe {
                                    gilgate_capi::ffi::PyObject_HasAttrString(o.get(), n.as_ptr())
                                };
                                assert_eq!(has, 1, "round {round}: attribute {n:?} lost");
                            }
                            release(o);
                        }
                        go.wait();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
}

#[test]
fn weakref_get_ref_against_the_last_decref_never_revives_the_referent() {
    let reader =
        c_fn!(c"gg_weak_reader" as unsafe extern "C" fn(*mut PyObject, *mut c_long) -> c_long);
    const ROUNDS: usize = 4000;
    let (bad, hits) = finishes("weakref rounds", move || {
        let go = Arc::new(Barrier::new(2));
        let shared: Arc<std::sync::Mutex<(P, P)>> = Arc::new(std::sync::Mutex::new((P(0), P(0))));
        // A: the owner; makes the referent and its weak reference, then drops the referent.
        let a = {
            let (go, shared) = (go.clone(), shared.clone());
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    let v = value(TAG_WEAK);
                    // SAFETY: a live referent of a type with weak references.
                    let w = P::of(unsafe { PyWeakref_NewRef(v.get(), std::ptr::null_mut()) });
                    assert_ne!(w.0, 0, "PyWeakref_NewRef failed");
                    *shared.lock().unwrap() = (v, w);
                    go.wait();
                    release(v);
                    go.wait();
                    release(w);
                }
            })
        };
        // B: takes references through the weak reference until it reports the referent dead.
        let b = {
            let (go, shared) = (go.clone(), shared.clone());
            std::thread::spawn(move || {
                let (mut bad, mut hits) = (0, 0);
                for _ in 0..ROUNDS {
                    go.wait();
                    let (_, w) = *shared.lock().unwrap();
                    // SAFETY: a live weak reference (A releases it after the next barrier).
                    let r = unsafe { reader(w.get(), &mut hits) };
                    assert!(r >= 0, "PyWeakref_GetRef failed");
                    bad += r;
                    go.wait();
                }
                (bad, hits)
            })
        };
        a.join().unwrap();
        b.join().unwrap()
    });
    assert_eq!(
        bad, 0,
        "PyWeakref_GetRef returned a dead referent ({hits} hits)"
    );
    all_freed_once(TAG_WEAK);
}

#[test]
fn try_incref_against_the_last_decref_never_revives_the_object() {
    let reader =
        c_fn!(c"gg_tryincref_reader" as unsafe extern "C" fn(*mut PyObject, *mut c_long) -> c_long);
    let enable = c_fn!(c"gg_enable_tryincref" as unsafe extern "C" fn(*mut PyObject));
    const ROUNDS: usize = 4000;
    let (bad, hits) = finishes("try-incref rounds", move || {
        let go = Arc::new(Barrier::new(2));
        let shared: Arc<std::sync::Mutex<P>> = Arc::new(std::sync::Mutex::new(P(0)));
        let a = {
            let (go, shared) = (go.clone(), shared.clone());
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    let v = value(TAG_TRYINC);
                    // SAFETY: a live object.
                    unsafe { enable(v.get()) };
                    *shared.lock().unwrap() = v;
                    go.wait();
                    release(v);
                    go.wait();
                }
            })
        };
        let b = {
            let (go, shared) = (go.clone(), shared.clone());
            std::thread::spawn(move || {
                let (mut bad, mut hits) = (0, 0);
                for _ in 0..ROUNDS {
                    go.wait();
                    let v = *shared.lock().unwrap();
                    // SAFETY: the fixture's values keep their memory after deallocation.
                    bad += unsafe { reader(v.get(), &mut hits) };
                    go.wait();
                }
                (bad, hits)
            })
        };
        a.join().unwrap();
        b.join().unwrap()
    });
    assert_eq!(
        bad, 0,
        "PyUnstable_TryIncRef revived a dead object ({hits} hits)"
    );
    all_freed_once(TAG_TRYINC);
}

/// Four threads drain one iterator made by `make` over a container of `n` values, `rounds`
/// times: no item is ever a freed value, the container is released exactly once.
fn drain_shared(what: &str, make: fn(P) -> P, container: fn(usize) -> P, rounds: usize) {
    let drain =
        c_fn!(c"gg_iter_drain" as unsafe extern "C" fn(*mut PyObject, *mut c_long) -> c_long);
    const THREADS: usize = 4;
    const N: usize = 200;
    let what = what.to_string();
    finishes(&what.clone(), move || {
        for round in 0..rounds {
            let c = container(N);
            let it = make(c);
            release(c);
            let go = Arc::new(Barrier::new(THREADS));
            let hs: Vec<_> = (0..THREADS)
                .map(|_| {
                    let go = go.clone();
                    std::thread::spawn(move || {
                        let mut items = 0;
                        go.wait();
                        // SAFETY: a live iterator shared on purpose.
                        let bad = unsafe { drain(it.get(), &mut items) };
                        (bad, items)
                    })
                })
                .collect();
            let mut total = 0;
            for h in hs {
                let (bad, items) = h.join().unwrap();
                assert_eq!(bad, 0, "{what} round {round}: a freed item");
                total += items;
            }
            // Items may repeat or be skipped under a race (CPython 3.14t's rule), but the
            // iterator ends and yields about the container's size.
            assert!(
                total >= 1 && total <= (N * THREADS) as c_long,
                "{what}: {total} items"
            );
            release(it);
        }
    });
}

fn list_of_values(n: usize) -> P {
    // SAFETY: a fresh list owned by the caller.
    unsafe {
        let l = PyList_New(0);
        for _ in 0..n {
            let v = value(TAG_ITER);
            assert_eq!(PyList_Append(l, v.get()), 0);
            release(v);
        }
        P::of(l)
    }
}

fn tuple_of_values(n: usize) -> P {
    // SAFETY: a fresh tuple owned by the caller; SetItem steals each value.
    unsafe {
        let t = PyTuple_New(n as isize);
        for i in 0..n {
            assert_eq!(PyTuple_SetItem(t, i as isize, value(TAG_ITER).get()), 0);
        }
        P::of(t)
    }
}

fn dict_of_values(n: usize) -> P {
    // SAFETY: a fresh dict owned by the caller.
    unsafe {
        let d = PyDict_New();
        for i in 0..n {
            let k = gilgate_capi::ffi::PyLong_FromLong(i as c_long);
            let v = value(TAG_ITER);
            assert_eq!(PyDict_SetItem(d, k, v.get()), 0);
            decref(k);
            release(v);
        }
        P::of(d)
    }
}

fn iter_of(c: P) -> P {
    // SAFETY: a live iterable.
    let it = unsafe { PyObject_GetIter(c.get()) };
    assert!(!it.is_null());
    P::of(it)
}

fn items_iter_of(d: P) -> P {
    // SAFETY: a live dict.
    unsafe {
        let m = gilgate_capi::ffi::PyObject_GetAttrString(d.get(), c"items".as_ptr());
        assert!(!m.is_null());
        let items = gilgate_capi::ffi::PyObject_CallNoArgs(m);
        decref(m);
        assert!(!items.is_null());
        let it = PyObject_GetIter(items);
        decref(items);
        assert!(!it.is_null());
        P::of(it)
    }
}

fn seq_iter_of(c: P) -> P {
    // SAFETY: a live sequence.
    let it = unsafe { PySeqIter_New(c.get()) };
    assert!(!it.is_null());
    P::of(it)
}

#[test]
fn threads_calling_next_on_one_iterator_never_double_release_or_read_freed_items() {
    drain_shared("list iterator", iter_of, list_of_values, 300);
    drain_shared("tuple iterator", iter_of, tuple_of_values, 300);
    drain_shared("sequence iterator", seq_iter_of, list_of_values, 300);
    drain_shared("dict values iterator", items_iter_of, dict_of_values, 200);
    all_freed_once(TAG_ITER);
}

/// `type(name, (base,), {})`, made on the calling thread (which then owns its counts).
fn class_of(name: &CStr, base: *mut PyObject) -> P {
    // SAFETY: live objects; the call takes new references to what it keeps.
    unsafe {
        let args = PyTuple_New(3);
        let bases = PyTuple_New(1);
        gilgate_capi::ffi::Py_IncRef(base);
        assert_eq!(PyTuple_SetItem(bases, 0, base), 0);
        assert_eq!(PyTuple_SetItem(args, 0, string(name).get()), 0);
        assert_eq!(PyTuple_SetItem(args, 1, bases), 0);
        assert_eq!(PyTuple_SetItem(args, 2, PyDict_New()), 0);
        let t = gilgate_capi::ffi::PyObject_CallObject(
            (&raw mut gilgate_capi::ffi::PyType_Type).cast(),
            args,
        );
        decref(args);
        assert!(!t.is_null());
        P::of(t)
    }
}

/// Instances of classes made by `type()` hold a reference to their class, dropped by
/// `subtype_dealloc` after the base's dealloc. Threads creating and dropping instances at
/// once leave the class's count where it was: whether the base's dealloc had dropped that
/// reference was once decided by comparing the class's count before and after it, which other
/// threads' references changed meanwhile (a class freed while in use, or leaked).
#[test]
fn instances_made_and_dropped_on_many_threads_keep_their_class_count() {
    fixture();
    let obj = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let dict = (&raw mut gilgate_capi::ffi::PyDict_Type).cast::<PyObject>();
    let k = class_of(c"K", obj);
    let d = class_of(c"D", dict);
    let sub = class_of(c"S", k.get());
    // SAFETY: live classes.
    let before: Vec<isize> = [k, d, sub]
        .iter()
        .map(|c| unsafe { gilgate_capi::ffi::Py_REFCNT(c.get()) })
        .collect();
    finishes("instances on four threads", move || {
        let go = Arc::new(Barrier::new(4));
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let go = go.clone();
                std::thread::spawn(move || {
                    go.wait();
                    for i in 0..20_000usize {
                        let c = [k, d, sub][i % 3];
                        // SAFETY: a live class; the instance is ours.
                        unsafe {
                            let o = gilgate_capi::ffi::PyObject_CallNoArgs(c.get());
                            assert!(!o.is_null());
                            decref(o);
                        }
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
    host::merge_pending();
    // SAFETY: live classes.
    let after: Vec<isize> = [k, d, sub]
        .iter()
        .map(|c| unsafe { gilgate_capi::ffi::Py_REFCNT(c.get()) })
        .collect();
    assert_eq!(after, before, "the classes' counts (K, D, S)");
}

type CachedReader =
    unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, *mut c_long) -> c_long;
type CachedWriter =
    unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject, c_long, c_long) -> c_int;

fn version_tag(t: P) -> u32 {
    // SAFETY: a live type; the field is read while no other thread changes it.
    unsafe { (*t.get::<gilgate_capi::ffi::PyTypeObject>()).tp_version_tag }
}

/// Class `t`'s lookups are cached: a lookup of `name` through `o` gives `t` a tag. A lookup
/// made while an invalidation is under way (of this test's writer, or of another test running
/// at once) caches nothing, so it is retried until one does.
fn cached_eventually(t: P, o: P, name: P) {
    let deadline = std::time::Instant::now() + HANG_GUARD;
    loop {
        // SAFETY: live objects; an absent attribute's error is cleared.
        unsafe {
            let v = gilgate_capi::ffi::PyObject_GetAttr(o.get(), name.get());
            if v.is_null() {
                gilgate_capi::ffi::PyErr_Clear();
            } else {
                decref(v);
            }
        }
        if version_tag(t) != 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the class's lookups are never cached"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The type attribute cache (`typeobject::cache`): three threads read a class attribute
/// through an instance of a subclass, with an interned name (the cached path), while a fourth
/// sets it on the base class to a new value each round and deletes it every third round. No
/// read gives a freed value, a value older than the last step the writer had finished before
/// the read, or "absent" when no deletion happened around it; the writer reads its own change
/// back at once (the subclass's cached answer was dropped). At the end every value was freed
/// exactly once and the classes' counts are back where they were.
#[test]
fn a_class_attribute_read_through_the_type_cache_is_never_freed_or_stale() {
    fixture();
    let read = c_fn!(c"gg_cached_reader" as CachedReader);
    let write = c_fn!(c"gg_cached_writer" as CachedWriter);
    let obj = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let base = class_of(c"CacheBase", obj);
    let sub = class_of(c"CacheSub", base.get());
    // SAFETY: live classes.
    let before: Vec<isize> = [base, sub]
        .iter()
        .map(|c| unsafe { gilgate_capi::ffi::Py_REFCNT(c.get()) })
        .collect();
    // SAFETY: a live class; the instance is ours.
    let inst = unsafe {
        let o = gilgate_capi::ffi::PyObject_CallNoArgs(sub.get());
        assert!(!o.is_null());
        P::of(o)
    };
    let name = interned(c"cached_attr");
    let (bad, hits) = race(
        "cached class attribute reads against setattr/delattr on the base",
        3,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live instance shared on purpose and an interned name.
            let bad = unsafe { read(inst.get(), name.get(), 400_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: live heap types and instance.
        move || unsafe { write(base.get(), inst.get(), name.get(), 200_000, TAG_CACHED) },
    );
    assert_eq!(bad, 0, "wrong reads through the type cache ({hits} hits)");
    assert!(hits > 0);
    cached_eventually(sub, inst, name);
    // SAFETY: live objects.
    unsafe {
        if gilgate_capi::ffi::PyObject_DelAttr(base.get(), name.get()) < 0 {
            gilgate_capi::ffi::PyErr_Clear();
        }
        decref(inst.get());
    }
    all_freed_once(TAG_CACHED);
    host::merge_pending();
    // SAFETY: live classes.
    let after: Vec<isize> = [base, sub]
        .iter()
        .map(|c| unsafe { gilgate_capi::ffi::Py_REFCNT(c.get()) })
        .collect();
    assert_eq!(after, before, "the classes' counts (CacheBase, CacheSub)");
}

/// The type cache's light read sections (issue 12: a reader's section entry is a plain store,
/// and an invalidation's `membarrier` system call stands for the reader's barrier): three
/// threads read a class attribute from a subclass itself (`getattr(Sub, name)`, whose every
/// lookup, the metatype's and the class's, is a cached one in a light section, with no
/// other section in between) while a fourth replaces it on the base class each round, and
/// deletes it every third round, releasing the old value at once. Every answer is the value
/// the writer had published before the read or a newer one (or "absent" around a deletion),
/// never a freed one; every value is freed exactly once. Fails when the writer skips the
/// system call (tried: see the report of the commit that added it).
#[test]
fn a_class_attribute_read_from_the_class_in_light_sections_is_never_freed_or_stale() {
    fixture();
    let read = c_fn!(c"gg_class_attr_reader" as CachedReader);
    let write = c_fn!(c"gg_class_attr_writer" as CachedWriter);
    let obj = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let base = class_of(c"LightBase", obj);
    let sub = class_of(c"LightSub", base.get());
    let name = interned(c"light_attr");
    let (bad, hits) = race(
        "class attribute reads from the class against setattr/delattr on the base",
        3,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live class shared on purpose and an interned name.
            let bad = unsafe { read(sub.get(), name.get(), 400_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: live heap types.
        move || unsafe { write(base.get(), sub.get(), name.get(), 200_000, TAG_LIGHT) },
    );
    assert_eq!(bad, 0, "wrong reads through the type cache ({hits} hits)");
    assert!(hits > 0);
    cached_eventually(sub, sub, name);
    // SAFETY: a live class.
    unsafe {
        if gilgate_capi::ffi::PyObject_DelAttr(base.get(), name.get()) < 0 {
            gilgate_capi::ffi::PyErr_Clear();
        }
    }
    all_freed_once(TAG_LIGHT);
}

/// `PyType_Modified` drops the version tag of a type and of its subclasses (CPython's
/// invalidation), and a later lookup gives each a new one.
#[test]
fn type_modified_clears_the_version_tags_of_a_type_and_its_subclasses() {
    fixture();
    let obj = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let base = class_of(c"TagBase", obj);
    let sub = class_of(c"TagSub", base.get());
    // SAFETY: live classes, an interned name.
    unsafe {
        let n = gilgate_capi::ffi::PyUnicode_InternFromString(c"__doc__".as_ptr());
        let v = gilgate_capi::ffi::PyObject_GetAttr(sub.get(), n);
        assert!(!v.is_null());
        decref(v);
        let (b0, s0) = (version_tag(base), version_tag(sub));
        assert_ne!(s0, 0);
        gilgate_capi::ffi::PyType_Modified(base.get());
        assert_eq!((version_tag(base), version_tag(sub)), (0, 0));
        let v = gilgate_capi::ffi::PyObject_GetAttr(sub.get(), n);
        assert!(!v.is_null());
        decref(v);
        let s1 = version_tag(sub);
        assert!(s1 != 0 && s1 != s0 && s1 != b0, "a new tag, never reused");
    }
}

const TAG_STR_GROW: c_long = 12;
const TAG_MODULE: c_long = 13;

/// The lock-free dict lookup (a read section: no lock, the writers wait out the readers
/// in flight before they release anything): two threads look up str keys of their own (equal
/// text, other objects, so each hit compares the table's key object) while a third fills the
/// dict from empty with fresh keys and values (the table grows and rebuilds), replaces, deletes
/// and clears it, letting keys and values go each round. Every value read is live and is the
/// one of its key; the dict, made on this thread and read by others, is marked shared (which
/// is what makes its writers wait). Fails when a writer skips the wait (tried).
#[test]
fn lock_free_dict_reads_of_str_keys_survive_a_writer_that_grows_and_clears() {
    let read = c_fn!(
        c"gg_dict_str_reader" as unsafe extern "C" fn(*mut PyObject, c_long, *mut c_long) -> c_long
    );
    let grow = c_fn!(
        c"gg_dict_str_grower" as unsafe extern "C" fn(*mut PyObject, c_long, c_long) -> c_int
    );
    let d = P::of(PyDict_New());
    let (bad, hits) = race(
        "lock-free str-key dict readers against a growing writer",
        2,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live dict shared on purpose.
            let bad = unsafe { read(d.get(), 300_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { grow(d.get(), 4_000, TAG_STR_GROW) },
    );
    assert_eq!(bad, 0, "wrong or freed values read ({hits} hits)");
    assert!(hits > 0, "the readers never found a key");
    // SAFETY: a live dict; `_PyGC_BITS_SHARED` (1 << 4) of `ob_gc_bits`.
    let bits = unsafe { (*d.get::<PyObject>()).ob_gc_bits };
    assert_ne!(
        bits & (1 << 4),
        0,
        "the dict read by other threads is marked shared"
    );
    release(d);
    all_freed_once(TAG_STR_GROW);
}

/// A module attribute read (`PyObject_GetAttr(module, name)`: the module type's cached
/// "absent", the instance dict slot and the module dict, all read lock-free) against a writer
/// that sets it to a new value each round, deletes it every third round and churns filler
/// attributes (the module dict grows and rebuilds, and lets keys go): no read gives a freed
/// value, one older than the writer's last finished step, or "absent" when no deletion can
/// have been under way. Fails when the dict's writer skips its wait (tried).
#[test]
fn a_module_attribute_read_lock_free_is_never_freed_or_stale() {
    fixture();
    let read = c_fn!(
        c"gg_module_reader"
            as unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, *mut c_long) -> c_long
    );
    let write = c_fn!(
        c"gg_module_writer"
            as unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long, c_long) -> c_int
    );
    // SAFETY: a plain constructor; the module is ours.
    let m = unsafe {
        let m = gilgate_capi::ffi::PyModule_New(c"lockfree_mod".as_ptr());
        assert!(!m.is_null());
        P::of(m)
    };
    let name = interned(c"shared_attr");
    let (bad, hits) = race(
        "module attribute readers against a writer",
        2,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live module shared on purpose and an interned name.
            let bad = unsafe { read(m.get(), name.get(), 300_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: as above.
        move || unsafe { write(m.get(), name.get(), 100_000, TAG_MODULE) },
    );
    assert_eq!(bad, 0, "wrong module attribute reads ({hits} hits)");
    assert!(hits > 0);
    release(m);
    release(name);
    all_freed_once(TAG_MODULE);
}

type PairReader = unsafe extern "C" fn(
    *mut PyObject,
    *mut PyObject,
    c_long,
    c_long,
    c_long,
    *mut c_long,
) -> c_long;

fn pair_type() -> P {
    static T: OnceLock<usize> = OnceLock::new();
    P(*T.get_or_init(|| {
        let make = c_fn!(c"gg_pair_type" as unsafe extern "C" fn() -> *mut PyObject);
        // SAFETY: the fixture's spec; the type is kept for the process.
        let t = unsafe { make() };
        assert!(!t.is_null());
        t as usize
    }))
}

fn pair(t: P, a: c_long, b: c_long) -> P {
    let new = c_fn!(
        c"gg_pair_new" as unsafe extern "C" fn(*mut PyObject, c_long, c_long) -> *mut PyObject
    );
    // SAFETY: a live type whose instances are Pairs.
    let o = unsafe { new(t.get(), a, b) };
    assert!(!o.is_null());
    P::of(o)
}

fn interned(s: &CStr) -> P {
    // SAFETY: an interned str, ours.
    let n = unsafe { gilgate_capi::ffi::PyUnicode_InternFromString(s.as_ptr()) };
    assert!(!n.is_null());
    P::of(n)
}

/// `getattr(o, name)` as an int, or the error's type name.
fn get_long(o: P, name: P) -> Result<c_long, String> {
    // SAFETY: live objects; the value and the error are released here.
    unsafe {
        let v = gilgate_capi::ffi::PyObject_GetAttr(o.get(), name.get());
        if v.is_null() {
            let exc = host::take_raised();
            assert!(!exc.is_null());
            let e = host::describe_exception(exc, 0);
            decref(exc);
            return Err(format!("{}: {}", e.type_name, e.message));
        }
        let x = gilgate_capi::ffi::PyLong_AsLong(v);
        decref(v);
        Ok(x)
    }
}

/// A member read through the type cache takes no reference to the member descriptor (the
/// definition is copied inside the cache's read section) and behaves as `member_descr_get`:
/// through an instance of the class and of a subclass, and with a descriptor of another class
/// the TypeError CPython raises. The descriptor's count is where it was.
#[test]
fn member_reads_through_the_type_cache_match_the_descriptor() {
    fixture();
    let t = pair_type();
    let obj = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let sub = class_of(c"PairSub", t.get());
    let other = class_of(c"PairOther", obj);
    let (a, b) = (interned(c"a"), interned(c"b"));
    // SAFETY: live class dict; the descriptor is borrowed from it, then owned.
    let descr = unsafe {
        let d = gilgate_capi::ffi::PyObject_GetAttr(t.get(), a.get());
        assert!(!d.is_null());
        P::of(d)
    };
    // SAFETY: a live descriptor.
    let count = || unsafe { gilgate_capi::ffi::Py_REFCNT(descr.get()) };
    let before = count();
    let o = pair(t, 11, 22);
    let s = pair(sub, 33, 44);
    for _ in 0..3 {
        assert_eq!(get_long(o, a), Ok(11));
        assert_eq!(get_long(o, b), Ok(22));
        assert_eq!(get_long(s, a), Ok(33));
        assert_eq!(get_long(s, b), Ok(44));
    }
    assert_eq!(count(), before, "the descriptor's count after member reads");
    // SAFETY: live objects; `PairOther.stolen` is Pair's descriptor of `a`.
    let x = unsafe {
        let stolen = interned(c"stolen");
        assert_eq!(
            gilgate_capi::ffi::PyObject_SetAttr(other.get(), stolen.get(), descr.get()),
            0
        );
        let x = gilgate_capi::ffi::PyObject_CallNoArgs(other.get());
        assert!(!x.is_null());
        let r = get_long(P::of(x), stolen);
        decref(x);
        r
    };
    let e = x.expect_err("a descriptor of another class applies");
    assert!(
        e.contains("TypeError")
            && e.contains(
                "descriptor 'a' for 'sharing.Pair' objects doesn't apply to a 'PairOther' object"
            ),
        "{e}"
    );
    release(o);
    release(s);
}

/// Member reads through the type cache take no reference to the descriptor, so what keeps it
/// alive while its definition is read is the cache's read section: three threads read `pm`
/// through an instance (an interned name: the cached path) while a fourth sets the class's
/// `pm` to a fresh member descriptor each round (field a, then b), releasing the old one at
/// once, deletes it every third round, and lets junk take the freed memory. Every read gives
/// a or b (or "absent"), never junk, an error or a crash.
#[test]
fn a_member_descriptor_replaced_on_another_thread_is_never_read_freed() {
    fixture();
    let read = c_fn!(c"gg_pair_reader" as PairReader);
    let write = c_fn!(
        c"gg_pair_writer" as unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_long) -> c_int
    );
    let t = class_of(c"PairSwap", pair_type().get());
    let o = pair(t, 1234, 5678);
    let name = interned(c"pm");
    let (bad, hits) = race(
        "member reads against member descriptor replacement",
        3,
        1,
        move || {
            let mut hits = 0;
            // SAFETY: a live instance shared on purpose and an interned name.
            let bad = unsafe { read(o.get(), name.get(), 1234, 5678, 400_000, &mut hits) };
            (bad, hits)
        },
        // SAFETY: a live heap type and an interned name.
        move || unsafe { write(t.get(), name.get(), 100_000) },
    );
    assert_eq!(bad, 0, "member reads of released descriptors ({hits} hits)");
    assert!(hits > 0);
    release(o);
}

/// An interned str is read by every thread but made by whichever thread asks first; it gets a
/// 128-byte-aligned block of whole 128-byte units to itself (the line pair the cores'
/// prefetchers move together), so the objects its maker goes on making and freeing never share
/// that pair with it. Four threads intern the same fresh names at once (ASCII short and long,
/// Latin-1, BMP, astral) and then make and drop short strs and small tuples, the sizes that
/// sat next to it before: every thread gets the same immortal str, with the right text, UTF-8
/// form and hash, and none of their objects ever lands in an interned name's pair.
#[test]
fn interned_names_made_on_worker_threads_have_their_own_line_pair() {
    use gilgate_capi::ffi::{
        Py_REFCNT, PyObject_Hash, PyUnicode_AsUTF8AndSize, PyUnicode_InternFromString,
    };
    fixture();
    const NAMES: [&CStr; 5] = [
        c"sc3_k",
        c"sc3_a_longer_keyword_name_than_a_line_pair_holds_even_with_its_own_header_bytes_x",
        c"sc3_caf\xc3\xa9",
        c"sc3_\xe2\x82\xac",
        c"sc3_\xf0\x9f\x90\x8d",
    ];
    const THREADS: usize = 4;
    let barrier = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || -> (Vec<usize>, usize) {
                barrier.wait();
                // SAFETY: NUL-terminated names; immortal results.
                let got: Vec<usize> = NAMES
                    .iter()
                    .map(|n| unsafe { PyUnicode_InternFromString(n.as_ptr()) } as usize)
                    .collect();
                let pairs: Vec<usize> = got.iter().map(|p| p & !127).collect();
                let mut inside = 0;
                // Kept alive 300 at a time, so that fresh blocks keep coming from the pages.
                let mut alive = Vec::with_capacity(300);
                for i in 0..20_000 {
                    // SAFETY: fresh objects, checked here and released below.
                    unsafe {
                        let s = PyUnicode_FromString(c"sc3".as_ptr());
                        let one = PyLong_FromLong(i % 7);
                        let t = PyTuple_New(2);
                        assert!(!s.is_null() && !one.is_null() && !t.is_null());
                        for o in [s as usize, one as usize, t as usize] {
                            inside += usize::from(pairs.contains(&(o & !127)));
                        }
                        assert_eq!(PyTuple_SetItem(t, 0, s), 0);
                        assert_eq!(PyTuple_SetItem(t, 1, one), 0);
                        alive.push(P::of(t));
                    }
                    if alive.len() == 300 {
                        alive.drain(..).for_each(release);
                    }
                }
                alive.into_iter().for_each(release);
                (got, inside)
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().expect("a worker panicked"))
        .collect();
    let first = &results[0].0;
    for (got, inside) in &results {
        assert_eq!(got, first, "every thread interns to the same objects");
        assert_eq!(*inside, 0, "objects made next to an interned name");
    }
    for (&p, name) in first.iter().zip(NAMES) {
        let o = p as *mut PyObject;
        assert!(!o.is_null());
        assert_eq!(p % 128, 0, "{name:?} at {p:#x}");
        // SAFETY: an immortal interned str; a fresh equal str, released here.
        unsafe {
            let mut n = 0;
            let u = PyUnicode_AsUTF8AndSize(o, &mut n);
            assert!(!u.is_null());
            assert_eq!(
                std::slice::from_raw_parts(u.cast::<u8>(), n as usize),
                name.to_bytes()
            );
            assert_eq!(*u.add(n as usize), 0);
            let fresh = PyUnicode_FromString(name.as_ptr());
            assert!(!fresh.is_null());
            assert_eq!(PyObject_Hash(o), PyObject_Hash(fresh));
            assert_eq!(gilgate_capi::ffi::PyUnicode_Compare(o, fresh), 0);
            decref(fresh);
            let before = Py_REFCNT(o);
            assert_eq!(PyUnicode_InternFromString(name.as_ptr()), o);
            decref(o);
            assert_eq!(Py_REFCNT(o), before, "an interned str is immortal");
        }
    }
}
