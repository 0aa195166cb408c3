//! The models. Each keeps to 2-3 threads and a handful of operations: loom explores every
//! interleaving, so the state space grows very fast with either.

use crate::mutex::{self, HAS_PARKED, LOCKED};
use crate::parking_lot::{Parked, park, unpark_one};
use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use loom::thread;

/// A `PyMutex` byte and what it protects: a plain cell, so that loom reports any access that
/// the mutex failed to order (two threads inside at once).
struct Guarded {
    bits: AtomicU8,
    value: UnsafeCell<usize>,
}

// SAFETY: `value` is only touched while `bits` is locked (what the models check).
unsafe impl Sync for Guarded {}

impl Guarded {
    fn new() -> Arc<Guarded> {
        Arc::new(Guarded {
            bits: AtomicU8::new(0),
            value: UnsafeCell::new(0),
        })
    }

    fn key(&self) -> usize {
        &self.bits as *const AtomicU8 as usize
    }

    /// Locks, adds one (a read and a write that may not interleave with another thread's),
    /// unlocks.
    fn add_one(&self) {
        mutex::lock(&self.bits, self.key());
        // SAFETY: the mutex is held; loom checks that claim.
        self.value.with_mut(|v| unsafe { *v += 1 });
        assert!(mutex::unlock(&self.bits, self.key()), "was locked");
    }

    fn value(&self) -> usize {
        // SAFETY: every thread that wrote has been joined.
        self.value.with(|v| unsafe { *v })
    }
}

/// Two threads each lock and unlock once: mutual exclusion, nobody blocked for ever, and the
/// byte ends free with no parked bit left over.
#[test]
fn pymutex_two_lockers() {
    loom::model(|| {
        let g = Guarded::new();
        let g2 = g.clone();
        let t = thread::spawn(move || g2.add_one());
        g.add_one();
        t.join().unwrap();
        assert_eq!(g.value(), 2);
        assert_eq!(g.bits.load(Ordering::Relaxed), 0);
    });
}

/// Three threads, one of which locks twice: a waiter is woken (or handed the mutex) every
/// time, across both outcomes of the fairness test.
#[test]
fn pymutex_three_lockers_one_twice() {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(|| {
        let g = Guarded::new();
        let ts: Vec<_> = (0..2)
            .map(|i| {
                let g = g.clone();
                thread::spawn(move || {
                    g.add_one();
                    if i == 0 {
                        g.add_one();
                    }
                })
            })
            .collect();
        g.add_one();
        for t in ts {
            t.join().unwrap();
        }
        assert_eq!(g.value(), 4);
        assert_eq!(g.bits.load(Ordering::Relaxed) & LOCKED, 0);
    });
}

/// A holder that unlocks while another thread is parked: the unlock with the parked bit set
/// goes through the parking lot, and the waiter gets the mutex (woken to compete, or handed it
/// locked), never left parked.
#[test]
fn pymutex_unlock_wakes_a_parked_waiter() {
    loom::model(|| {
        let g = Guarded::new();
        mutex::lock(&g.bits, g.key());
        let g2 = g.clone();
        let t = thread::spawn(move || g2.add_one());
        // Hold the mutex until the waiter has announced it parks (or given up spinning).
        while g.bits.load(Ordering::Relaxed) & HAS_PARKED == 0 {
            thread::yield_now();
        }
        assert!(mutex::unlock(&g.bits, g.key()));
        t.join().unwrap();
        assert_eq!(g.value(), 1);
        assert_eq!(g.bits.load(Ordering::Relaxed), 0);
    });
}

/// The parking lot alone: a park whose check passes is ended by exactly one unpark with the
/// token it left; an unpark that finds nobody tells its decider so.
#[test]
fn parking_lot_park_and_unpark() {
    loom::model(|| {
        let word = Arc::new(AtomicUsize::new(0));
        let key = Arc::as_ptr(&word) as usize;
        let w2 = word.clone();
        let t = thread::spawn(move || park(key, || w2.load(Ordering::SeqCst) == 0, 7, None));
        word.store(1, Ordering::SeqCst);
        let mut saw = None;
        unpark_one(key, |arg, more| {
            assert!(!more);
            saw = Some(arg);
            42
        });
        match t.join().unwrap() {
            // The waiter checked after the store: it never parked, and nobody was there.
            Parked::Again => assert_eq!(saw, Some(None)),
            // It parked before: the unpark found it and its argument.
            Parked::Woken(token) => {
                assert_eq!(token, 42);
                assert_eq!(saw, Some(Some(7)));
            }
            Parked::TimedOut => panic!("no deadline was given"),
        }
    });
}

// ---- critical sections -------------------------------------------------------------------

use crate::critical_section::stack::{
    PyCriticalSection, PyCriticalSection2, begin_mutex, begin2_mutex, end, end2,
};
use crate::critical_section::{PyMutex, stack_is_empty};

/// Two objects' mutexes and a counter each, the counter guarded by its object's mutex.
struct Objects {
    a: PyMutex,
    b: PyMutex,
    a_count: UnsafeCell<usize>,
    b_count: UnsafeCell<usize>,
}

// SAFETY: each counter is only touched inside a section that holds its mutex as the top-most
// section (what the models check).
unsafe impl Sync for Objects {}

impl Objects {
    fn new() -> Arc<Objects> {
        Arc::new(Objects {
            a: PyMutex::new(),
            b: PyMutex::new(),
            a_count: UnsafeCell::new(0),
            b_count: UnsafeCell::new(0),
        })
    }

    fn a(&self) -> *mut PyMutex {
        &self.a as *const PyMutex as *mut PyMutex
    }

    fn b(&self) -> *mut PyMutex {
        &self.b as *const PyMutex as *mut PyMutex
    }

    fn bump(cell: &UnsafeCell<usize>) {
        // SAFETY: the caller's top-most section holds the cell's mutex; loom checks it.
        cell.with_mut(|v| unsafe { *v += 1 });
    }

    fn read(cell: &UnsafeCell<usize>) -> usize {
        // SAFETY: every thread that wrote has been joined.
        cell.with(|v| unsafe { *v })
    }

    /// A section on `outer`, touching its counter, then a nested one on `inner` touching that
    /// one, then the outer counter again once the inner section ended (when the outer section
    /// is the top-most again, so its mutex is held again).
    fn nested(&self, outer: *mut PyMutex, inner: *mut PyMutex) {
        let (oc, ic) = if outer == self.a() {
            (&self.a_count, &self.b_count)
        } else {
            (&self.b_count, &self.a_count)
        };
        let mut o = PyCriticalSection::EMPTY;
        let mut i = PyCriticalSection::EMPTY;
        begin_mutex(&raw mut o, outer);
        Objects::bump(oc);
        begin_mutex(&raw mut i, inner);
        Objects::bump(ic);
        // SAFETY: `i` is this thread's top-most section.
        unsafe { end(&raw mut i) };
        Objects::bump(oc);
        // SAFETY: `o` is this thread's top-most section again.
        unsafe { end(&raw mut o) };
        assert!(stack_is_empty());
    }
}

/// One thread nests a -> b, the other b -> a: with sections suspended while a thread waits,
/// both finish (plain mutexes would deadlock here), and every counter access happens under the
/// top-most section's mutex.
#[test]
fn sections_nested_in_opposite_orders_finish() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder.check(|| {
        let o = Objects::new();
        let o2 = o.clone();
        let t = thread::spawn(move || o2.nested(o2.b(), o2.a()));
        o.nested(o.a(), o.b());
        t.join().unwrap();
        assert_eq!(Objects::read(&o.a_count), 3);
        assert_eq!(Objects::read(&o.b_count), 3);
        assert_eq!(o.a.bits.load(Ordering::Relaxed), 0);
        assert_eq!(o.b.bits.load(Ordering::Relaxed), 0);
    });
}

/// A section nested on the object its top-most section already holds returns at once (the
/// skip), while another thread contends for that object.
#[test]
fn a_section_nested_on_the_same_object_returns() {
    loom::model(|| {
        let o = Objects::new();
        let o2 = o.clone();
        let t = thread::spawn(move || {
            let mut s = PyCriticalSection::EMPTY;
            begin_mutex(&raw mut s, o2.a());
            Objects::bump(&o2.a_count);
            // SAFETY: `s` is the top-most section.
            unsafe { end(&raw mut s) };
        });
        let mut outer = PyCriticalSection::EMPTY;
        let mut same = PyCriticalSection::EMPTY;
        begin_mutex(&raw mut outer, o.a());
        begin_mutex(&raw mut same, o.a());
        Objects::bump(&o.a_count);
        // SAFETY: the skipped section ends as a no-op, then the outer one.
        unsafe {
            end(&raw mut same);
            end(&raw mut outer);
        }
        t.join().unwrap();
        assert!(stack_is_empty());
        assert_eq!(Objects::read(&o.a_count), 2);
    });
}

/// A two-object section against one thread nesting the two one-object sections the other way
/// round: both finish; the two-object section holds both counters at once.
#[test]
fn a_two_object_section_against_nested_sections() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder.check(|| {
        let o = Objects::new();
        let o2 = o.clone();
        let t = thread::spawn(move || o2.nested(o2.b(), o2.a()));
        let mut s = PyCriticalSection2 {
            _cs_base: PyCriticalSection::EMPTY,
            _cs_mutex2: std::ptr::null_mut(),
        };
        begin2_mutex(&raw mut s, o.a(), o.b());
        Objects::bump(&o.a_count);
        Objects::bump(&o.b_count);
        // SAFETY: `s` is this thread's top-most section.
        unsafe { end2(&raw mut s) };
        t.join().unwrap();
        assert!(stack_is_empty());
        assert_eq!(Objects::read(&o.a_count), 2);
        assert_eq!(Objects::read(&o.b_count), 3);
    });
}

/// The per-module lock's core (`module_lock/fair.rs`): three threads, one entering twice
/// (re-entry), each adding one to a plain cell inside: mutual exclusion, every waiter served
/// (no lost wake-up), the lock free at the end.
#[test]
fn module_lock_three_threads_one_reentrant() {
    use crate::module_lock_fair::FairLock;
    struct Shared {
        lock: FairLock,
        value: UnsafeCell<usize>,
    }
    // SAFETY: `value` is only touched while `lock` is held (what the model checks).
    unsafe impl Sync for Shared {}
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(|| {
        let s = Arc::new(Shared {
            lock: FairLock::new(),
            value: UnsafeCell::new(0),
        });
        let enter = |s: &Shared, me: usize| {
            if !s.lock.try_enter(me) {
                s.lock.acquire(me, 1);
            }
        };
        let ts: Vec<_> = (1..3)
            .map(|me| {
                let s = s.clone();
                thread::spawn(move || {
                    enter(&s, me);
                    if me == 1 {
                        assert!(s.lock.try_enter(me), "the owner re-enters");
                    }
                    // SAFETY: the lock is held; loom checks that claim.
                    s.value.with_mut(|v| unsafe { *v += 1 });
                    if me == 1 {
                        assert!(s.lock.leave(me));
                    }
                    assert!(s.lock.leave(me));
                })
            })
            .collect();
        enter(&s, 3);
        // SAFETY: as above.
        s.value.with_mut(|v| unsafe { *v += 1 });
        assert_eq!(s.lock.release_all(3), 1);
        for t in ts {
            t.join().unwrap();
        }
        // SAFETY: every thread that wrote has been joined.
        assert_eq!(s.value.with(|v| unsafe { *v }), 3);
        assert_eq!(s.lock.owner(), (0, 0));
    });
}
