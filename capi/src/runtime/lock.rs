//! `cpython/lock.h`: the slow paths of `PyMutex` (the inline fast path is a CAS 0 -> 1).
//! gilgate spins with yields instead of parking; bit 1 ("has parked") is never set.

use crate::export;
use crate::object::PyMutex;
use std::ffi::c_int;
use std::sync::atomic::{AtomicU8, Ordering};

const LOCKED: u8 = 1;

fn bits(m: *mut PyMutex) -> &'static AtomicU8 {
    // SAFETY: a PyMutex is one byte that every party accesses atomically; the caller passes
    // a live mutex (C API contract).
    unsafe { AtomicU8::from_ptr(&raw mut (*m)._bits) }
}

/// Locks `m`, spinning and then yielding while another thread holds it.
pub(crate) fn lock(m: *mut PyMutex) {
    let b = bits(m);
    let mut spins = 0u32;
    loop {
        let cur = b.load(Ordering::Relaxed);
        if cur & LOCKED == 0
            && b.compare_exchange_weak(cur, cur | LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        {
            return;
        }
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// Takes an owner-word lock: swaps `owner` from 0 to `me` (a thread id), spinning and then
/// yielding while another thread holds it. The reentrant locks of dicts and sets use it; the
/// caller checks first whether `me` already holds the lock.
pub(crate) fn acquire_owner(owner: &std::sync::atomic::AtomicUsize, me: usize) {
    let mut spins = 0u32;
    while owner
        .compare_exchange_weak(0, me, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// Tries to lock `m` once.
pub(crate) fn try_lock(m: *mut PyMutex) -> bool {
    let b = bits(m);
    let cur = b.load(Ordering::Relaxed);
    cur & LOCKED == 0
        && b.compare_exchange(cur, cur | LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
}

/// Unlocks `m`; false if it was not locked.
pub(crate) fn unlock(m: *mut PyMutex) -> bool {
    let prev = bits(m).fetch_and(!LOCKED, Ordering::Release);
    prev & LOCKED != 0
}

#[export]
pub unsafe fn PyMutex_Lock(m: *mut PyMutex) {
    lock(m)
}

#[export]
pub unsafe fn PyMutex_Unlock(m: *mut PyMutex) {
    if !unlock(m) {
        crate::pyerrors::set_system_error("unlocking mutex that is not locked");
        eprintln!("Fatal Python error: PyMutex_Unlock: unlocking mutex that is not locked");
        std::process::abort();
    }
}

#[export]
pub unsafe fn PyMutex_IsLocked(m: *mut PyMutex) -> c_int {
    c_int::from(bits(m).load(Ordering::Relaxed) & LOCKED != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contended_lock_is_exclusive() {
        let m = Box::leak(Box::new(PyMutex::default())) as *mut PyMutex as usize;
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let c = counter.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        lock(m as *mut PyMutex);
                        let v = c.load(Ordering::Relaxed);
                        c.store(v + 1, Ordering::Relaxed);
                        assert!(unlock(m as *mut PyMutex));
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::Relaxed), 4000);
        assert!(!unlock(m as *mut PyMutex));
    }
}
