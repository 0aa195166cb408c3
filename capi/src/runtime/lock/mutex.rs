//! The core of `PyMutex` (see `lock.rs` for the byte's meaning): locking and unlocking a
//! byte given as an atomic plus the address its waiters park on. Free of FFI and of the
//! thread-state machinery (it reaches that only through `super::detach_while_waiting`) and
//! built on `crate::sync`, so the model crate (`capi/model`) compiles this very file against
//! loom.

use super::detach_while_waiting;
use super::parking_lot::{Parked, park, unpark_one};
use crate::sync::{AtomicU8, Ordering, TIME_TO_BE_FAIR_NS, now_ns, yield_now};
use std::time::{Duration, Instant};

/// `_Py_LOCKED`.
pub(crate) const LOCKED: u8 = 1;
/// `_Py_HAS_PARKED`.
pub(crate) const HAS_PARKED: u8 = 2;
/// How often a locker yields before it parks (CPython's `MAX_SPIN_COUNT` of the free-threaded
/// build).
const MAX_SPIN: u32 = 40;
/// The token an unlocker leaves a waiter it handed the mutex to.
const HANDED_OFF: usize = 1;

/// Locks `b`, parking on `key` while another thread holds it.
#[inline]
pub(crate) fn lock(b: &AtomicU8, key: usize) {
    if !lock_fast(b) {
        lock_slow_bits(b, key, -1, true);
    }
}

/// Locks `b` if it is entirely free (no holder, no parked waiter).
#[inline]
pub(crate) fn lock_fast(b: &AtomicU8) -> bool {
    b.compare_exchange(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
}

/// Tries to lock `b` once (a mutex with parked waiters may be taken too).
#[inline]
pub(crate) fn try_lock(b: &AtomicU8) -> bool {
    let cur = b.load(Ordering::Relaxed);
    cur & LOCKED == 0
        && b.compare_exchange(cur, cur | LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
}

/// Parks on `key` while `b` still reads `expected`, detached when `detach`.
fn park_on(
    b: &AtomicU8,
    key: usize,
    expected: u8,
    fair_at: u64,
    deadline: Option<Instant>,
    detach: bool,
) -> Parked {
    detach_while_waiting(detach, || {
        park(
            key,
            || b.load(Ordering::Relaxed) == expected,
            fair_at,
            deadline,
        )
    })
}

/// Locks `b` (waiters park on `key`): `timeout_ns` < 0 waits for ever, 0 only tries, > 0
/// waits that long. True when locked.
#[cold]
#[inline(never)]
pub(crate) fn lock_slow_bits(b: &AtomicU8, key: usize, timeout_ns: i64, detach: bool) -> bool {
    let mut v = b.load(Ordering::Relaxed);
    let mut spins = 0u32;
    let mut fair_at = None;
    let mut deadline = None;
    loop {
        if v & LOCKED == 0 {
            match b.compare_exchange(v, v | LOCKED, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(cur) => {
                    v = cur;
                    continue;
                }
            }
        }
        if timeout_ns == 0 {
            return false;
        }
        if v & HAS_PARKED == 0 && spins < MAX_SPIN {
            yield_now();
            spins += 1;
            v = b.load(Ordering::Relaxed);
            continue;
        }
        if v & HAS_PARKED == 0 {
            match b.compare_exchange(v, v | HAS_PARKED, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => v |= HAS_PARKED,
                Err(cur) => {
                    v = cur;
                    continue;
                }
            }
        }
        let fair = *fair_at.get_or_insert_with(|| now_ns() + TIME_TO_BE_FAIR_NS);
        if timeout_ns > 0 && deadline.is_none() {
            deadline = Some(Instant::now() + Duration::from_nanos(timeout_ns as u64));
        }
        match park_on(b, key, v, fair, deadline, detach) {
            // The unlocker left the byte locked for us.
            Parked::Woken(HANDED_OFF) => return true,
            Parked::TimedOut => return false,
            Parked::Woken(_) | Parked::Again => {}
        }
        v = b.load(Ordering::Relaxed);
    }
}

/// Unlocks `b`; false if it was not locked.
#[inline]
pub(crate) fn unlock(b: &AtomicU8, key: usize) -> bool {
    b.compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
        .is_ok()
        || unlock_slow(b, key)
}

/// `_PyMutex_TryUnlock`: unlocks `b`, waking (or handing the mutex to) a thread parked on
/// `key`.
#[cold]
#[inline(never)]
fn unlock_slow(b: &AtomicU8, key: usize) -> bool {
    let mut v = b.load(Ordering::Relaxed);
    loop {
        if v & LOCKED == 0 {
            return false;
        }
        if v & HAS_PARKED != 0 {
            unpark_one(key, |waiter, more| {
                let hand_off = waiter.is_some_and(|fair_at| now_ns() > fair_at);
                let parked = if more { HAS_PARKED } else { 0 };
                let new = if hand_off { LOCKED | parked } else { parked };
                b.store(new, Ordering::Release);
                usize::from(hand_off)
            });
            return true;
        }
        match b.compare_exchange(v, v & !LOCKED, Ordering::Release, Ordering::Relaxed) {
            Ok(_) => return true,
            Err(cur) => v = cur,
        }
    }
}
