//! Model tests of gilgate-capi's concurrency cores under [loom](https://docs.rs/loom).
//!
//! This crate has no code of its own beyond the models and a stand-in for the thread-state
//! hook: it compiles capi's production files by `#[path]`, at the module paths they expect
//! (`crate::sync`, `super::parking_lot`, ...). Built with `--cfg loom`, `crate::sync`
//! (`capi/src/runtime/sync.rs`) hands those files loom's mutexes, condition variables, atomics
//! and thread-locals, and each model in `models.rs` runs under `loom::model`, which explores
//! every interleaving of its threads (bounded by loom's preemption bound) and fails on a
//! deadlock, a lost wake-up that leaves a thread blocked for ever, or a broken assertion.
//!
//! Run them with `scripts/model-check.sh` (it sets `RUSTFLAGS=--cfg loom` and a target folder
//! of its own). Without `--cfg loom` the crate builds against std and has no tests.

// The crate exists for its models: outside `cfg(all(test, loom))` nothing calls the files it
// compiles.
#![allow(dead_code)]

#[path = "../../src/runtime/sync.rs"]
pub(crate) mod sync;

// `capi/src/runtime/lock.rs`'s waiting core, the parking lot and `PyMutex`'s byte protocol.
// In capi they sit below `lock`; `mutex.rs` names its siblings through `super::`, which here
// is the crate root.
#[path = "../../src/runtime/lock/mutex.rs"]
pub(crate) mod mutex;
#[path = "../../src/runtime/lock/parking_lot.rs"]
pub(crate) mod parking_lot;

// `capi/src/runtime/critical_section/stack.rs`, the section core, with its parent.
pub(crate) mod critical_section;

// What `mutex.rs` calls around a park: capi's detaches from the thread state, which suspends
// the thread's critical sections; the model's does the same to the model's sections.
pub(crate) use critical_section::detach_while_waiting;

// `capi/src/runtime/module_lock/fair.rs`, the `--gil module` lock's core (a re-entrant ticket
// lock); it names nothing but `crate::sync`.
#[path = "../../src/runtime/module_lock/fair.rs"]
pub(crate) mod module_lock_fair;

#[cfg(all(test, loom))]
mod models;
