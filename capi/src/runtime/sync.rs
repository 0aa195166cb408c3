//! The synchronisation primitives of the runtime's model-checked cores, from one place.
//!
//! The waiting machinery (`lock/parking_lot.rs`, `lock/mutex.rs`) takes its mutexes, condition
//! variables, atomics, `Arc`, thread-locals, `yield_now` and clock from here, never from `std`
//! directly; so do the biased-refcount core (`refcount/brc.rs`) and the delayed-free scheme
//! (`qsbr/reclaim.rs`), which declare their thread-locals with loom's macro under loom. A
//! normal build gets `std`'s; a build with `--cfg loom` (the model crate `capi/model`, which
//! compiles those same files by `#[path]`) gets `loom`'s, so the model tests
//! explore every interleaving of the production code rather than of a copy. What differs
//! between the two builds lives in this file (and in the `#[cfg(loom)]` declarations of
//! statics and thread-locals, which loom cannot make `const`).

// The model crate's std build (which only has to build) leaves the memory cores out.
#[cfg(not(loom))]
#[allow(unused_imports)]
pub(crate) use std::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering, fence,
};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread::yield_now;

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering, fence,
};
#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};
#[cfg(loom)]
pub(crate) use loom::thread::yield_now;

/// How long a `PyMutex` waiter waits before the unlocker hands it the mutex directly (CPython's
/// `TIME_TO_BE_FAIR_NS`, 1 ms). Under loom the clock is a counter (below), so one tick is
/// enough: both outcomes of the fairness test are explored.
#[cfg(not(loom))]
pub(crate) const TIME_TO_BE_FAIR_NS: u64 = 1_000_000;
#[cfg(loom)]
pub(crate) const TIME_TO_BE_FAIR_NS: u64 = 1;

/// Nanoseconds on a process-wide monotonic clock.
#[cfg(not(loom))]
pub(crate) fn now_ns() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// Under loom: a logical clock that advances by one on every reading, so that the model stays
/// deterministic (a model may not read real time).
#[cfg(loom)]
pub(crate) fn now_ns() -> u64 {
    loom::lazy_static! {
        static ref TICKS: AtomicU64 = AtomicU64::new(0);
    }
    TICKS.fetch_add(1, Ordering::Relaxed)
}

/// Locks `m`, ignoring poisoning (a panic while holding one of these locks leaves plain data
/// behind, never a broken invariant the next holder could trip over).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
