//! The synchronisation primitives of the runtime's lock-free parts (the biased-refcount queues
//! in `refcount.rs`, the delayed-free scheme in `qsbr.rs`): every atomic and mutex they use is
//! imported from here, so a model checker's layer (loom or shuttle, under a `cfg`) can replace
//! these names without touching the code that uses them. Thread-locals stay in the thin
//! per-thread glue of each file, outside the parts a model would check.

pub(crate) use std::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering, fence,
};
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

/// Locks `m`, ignoring poisoning (a panic while holding one of these locks leaves plain data
/// behind, never a broken invariant the next holder could trip over).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
