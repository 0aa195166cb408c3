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
