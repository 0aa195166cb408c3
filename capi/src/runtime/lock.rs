//! `cpython/lock.h`: `PyMutex`, CPython's one-byte lock, and its slow paths.
//!
//! The byte is part of the ABI: an extension's inline `PyMutex_Lock` swaps 0 -> 1 and its
//! inline `PyMutex_Unlock` 1 -> 0, and only calls in here when that fails. Bit 0 (`LOCKED`) is
//! "held", bit 1 (`HAS_PARKED`) "a thread may be parked on this byte: the unlocker must come
//! here to wake it". A locker that finds the mutex held yields a few times, then sets
//! `HAS_PARKED` and parks on the byte's address (`lock/parking_lot.rs`), detached from its
//! thread state while it sleeps (which releases the critical sections it holds, and the lock
//! the runtime may hold for it). An unlocker that sees `HAS_PARKED` wakes the first waiter:
//! normally the woken thread competes again (a running thread may barge in first), but once a
//! waiter has waited longer than 1 ms the mutex is handed to it directly, still locked, so it
//! cannot starve.

use crate::export;
use crate::object::PyMutex;
use crate::sync::AtomicU8;
use std::ffi::c_int;

mod mutex;
mod parking_lot;
#[allow(unused_imports)]
pub(crate) use mutex::{LOCKED, lock_slow_bits};
#[allow(unused_imports)]
pub(crate) use parking_lot::{Parked, park, unpark_one, waiters};

/// `PyLockStatus`.
pub(crate) const PY_LOCK_FAILURE: c_int = 0;
pub(crate) const PY_LOCK_ACQUIRED: c_int = 1;
/// `_PyLockFlags`: detach the thread state while parked.
pub(crate) const _PY_LOCK_DETACH: c_int = 1;

fn bits(m: *mut PyMutex) -> &'static AtomicU8 {
    // SAFETY: a PyMutex is one byte that every party accesses atomically; the caller passes
    // a live mutex (C API contract).
    unsafe { AtomicU8::from_ptr(&raw mut (*m)._bits) }
}

/// Runs `wait` (a park) detached from the thread state when `detach` and the thread is
/// attached, attaching again after: the one place the waiting core (`mutex.rs`) reaches the
/// thread-state machinery (the model crate supplies its own).
fn detach_while_waiting<R>(detach: bool, wait: impl FnOnce() -> R) -> R {
    let ts = (detach && crate::pystate::is_attached()).then(crate::ceval::detach);
    let r = wait();
    if let Some(ts) = ts {
        crate::ceval::attach(ts);
    }
    r
}

/// Locks `m`, parking (detached) while another thread holds it: `PyMutex_Lock`.
#[inline]
pub(crate) fn lock(m: *mut PyMutex) {
    if !lock_fast(m) {
        let _w = crate::wait_record::waiting(crate::wait_record::Wait::Mutex(m as usize));
        mutex::lock(bits(m), m as usize)
    }
}

/// Locks `m` if it is entirely free (no holder, no parked waiter): the inline fast path.
#[inline]
pub(crate) fn lock_fast(m: *mut PyMutex) -> bool {
    mutex::lock_fast(bits(m))
}

/// Tries to lock `m` once (a mutex with parked waiters may be taken too).
#[inline]
pub(crate) fn try_lock(m: *mut PyMutex) -> bool {
    mutex::try_lock(bits(m))
}

/// `_PyMutex_LockTimed`: `timeout_ns` < 0 waits for ever, 0 only tries, > 0 waits that long.
/// True when `m` was locked.
pub(crate) fn lock_slow(m: *mut PyMutex, timeout_ns: i64, detach: bool) -> bool {
    let _w = crate::wait_record::waiting(crate::wait_record::Wait::Mutex(m as usize));
    lock_slow_bits(bits(m), m as usize, timeout_ns, detach)
}

/// Unlocks `m`; false if it was not locked.
#[inline]
pub(crate) fn unlock(m: *mut PyMutex) -> bool {
    mutex::unlock(bits(m), m as usize)
}

#[export]
pub unsafe fn PyMutex_Lock(m: *mut PyMutex) {
    lock(m)
}

/// Unlocks `m`, which the caller holds; CPython's fatal error when it is not locked.
pub(crate) fn unlock_or_abort(m: *mut PyMutex) {
    if !unlock(m) {
        eprintln!("Fatal Python error: PyMutex_Unlock: unlocking mutex that is not locked");
        std::process::abort();
    }
}

#[export]
pub unsafe fn PyMutex_Unlock(m: *mut PyMutex) {
    unlock_or_abort(m)
}

#[export]
pub unsafe fn PyMutex_IsLocked(m: *mut PyMutex) -> c_int {
    c_int::from(bits(m).load(crate::sync::Ordering::Relaxed) & LOCKED != 0)
}

/// `_PyMutex_LockTimed(m, timeout_ns, flags)`: `PY_LOCK_ACQUIRED` or `PY_LOCK_FAILURE` (at
/// the timeout; 0 only tries); `_PY_LOCK_DETACH` in `flags` detaches while parked.
/// `_PY_LOCK_HANDLE_SIGNALS` changes nothing: gilgate runs no Python-level signal handlers.
#[export]
pub unsafe fn _PyMutex_LockTimed(m: *mut PyMutex, timeout_ns: i64, flags: c_int) -> c_int {
    if try_lock(m) || lock_slow(m, timeout_ns, flags & _PY_LOCK_DETACH != 0) {
        PY_LOCK_ACQUIRED
    } else {
        PY_LOCK_FAILURE
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::sync::Ordering;
    use mutex::LOCKED;
    use std::time::Duration;

    fn new_mutex() -> usize {
        Box::leak(Box::new(PyMutex::default())) as *mut PyMutex as usize
    }

    #[test]
    fn contended_lock_is_exclusive() {
        let m = new_mutex();
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let hs: Vec<_> = (0..8)
            .map(|_| {
                let c = counter.clone();
                std::thread::spawn(move || {
                    for i in 0..5000 {
                        lock(m as *mut PyMutex);
                        let v = c.load(Ordering::Relaxed);
                        if i % 64 == 0 {
                            // Hold it a while, so that others park.
                            std::thread::yield_now();
                        }
                        c.store(v + 1, Ordering::Relaxed);
                        assert!(unlock(m as *mut PyMutex));
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::Relaxed), 40_000);
        assert_eq!(bits(m as *mut PyMutex).load(Ordering::Relaxed) & LOCKED, 0);
        assert!(!unlock(m as *mut PyMutex));
    }

    #[test]
    fn a_zero_timeout_only_tries_and_a_timeout_expires() {
        let m = new_mutex() as *mut PyMutex;
        lock(m);
        assert!(!lock_slow(m, 0, false));
        let p = m as usize;
        let waited = std::thread::spawn(move || lock_slow(p as *mut PyMutex, 2_000_000, true))
            .join()
            .unwrap();
        assert!(!waited, "the holder kept it past the timeout");
        assert!(unlock(m));
        assert!(lock_slow(m, 0, false));
        assert!(unlock(m));
    }

    #[test]
    fn a_waiter_parked_past_a_millisecond_is_handed_the_mutex() {
        for _ in 0..50 {
            let m = new_mutex() as *mut PyMutex;
            lock(m);
            let p = m as usize;
            let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
            let h = std::thread::spawn(move || {
                lock(p as *mut PyMutex);
                go_rx.recv().unwrap();
                assert!(unlock(p as *mut PyMutex));
            });
            while waiters(m as usize) == 0 {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_millis(2));
            assert!(unlock(m));
            // Handed off: the byte went from held-by-us to held-by-the-waiter, never free.
            assert!(!try_lock(m), "the mutex was handed to the waiter");
            go_tx.send(()).unwrap();
            h.join().unwrap();
            assert_eq!(bits(m).load(Ordering::Relaxed), 0);
        }
    }

    #[test]
    fn a_fresh_waiter_is_woken_to_compete() {
        // Woken before its millisecond is up, the waiter must take the mutex itself: the
        // unlocker leaves it free (the holder may even take it back first).
        let m = new_mutex() as *mut PyMutex;
        let p = m as usize;
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let c2 = counter.clone();
        lock(m);
        let h = std::thread::spawn(move || {
            for _ in 0..2000 {
                lock(p as *mut PyMutex);
                c2.fetch_add(1, Ordering::Relaxed);
                assert!(unlock(p as *mut PyMutex));
            }
        });
        assert!(unlock(m));
        for _ in 0..2000 {
            lock(m);
            counter.fetch_add(1, Ordering::Relaxed);
            assert!(unlock(m));
        }
        h.join().unwrap();
        assert_eq!(counter.load(Ordering::Relaxed), 4000);
        assert_eq!(
            bits(m).load(Ordering::Relaxed),
            0,
            "no parked bit left behind"
        );
    }
}
