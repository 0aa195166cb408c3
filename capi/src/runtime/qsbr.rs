//! Delayed freeing by quiescent-state-based reclamation (CPython 3.14t's `Python/qsbr.c` and
//! `_PyMem_FreeDelayed`), so that a thread reading a container's storage without its lock
//! (an extension's `PyList_GET_ITEM`, `PySequence_Fast_ITEMS`, our `PyList_GetItem`) never
//! reads memory another thread has freed.
//!
//! A global write sequence starts at `QSBR_INITIAL` (1) and moves by `QSBR_INCR` (2). Every
//! OS thread that attaches a thread state has a read sequence (a slot): `QSBR_OFFLINE` (0)
//! while it is detached, else the write sequence it last saw. Attaching and each safe point
//! (`ceval::safe_point`) copy the write sequence into the slot (a *quiescent point*: the thread
//! holds no pointer into storage it read lock-free before); detaching sets the slot offline.
//! A writer that unlinks storage (a list's old item array) calls `free_delayed`: the block
//! goes on the writer's queue with the goal `advance()` returned, and is freed once every
//! other online slot has reached the goal.
//!
//! **Read sections** (gilgate's, for lock-free reads of objects, which it frees at once): the
//! same slot holds a second counter, odd while its thread is inside a `ReadSection` (a few
//! loads and increfs: no lock, wait, detach, safe point or code inside). A writer that unlinks
//! something a section may be reading (a type cache entry's value, a dict's value, key or
//! table, an instance dict) calls `wait_readers` before releasing it: for every other slot
//! whose counter is odd it spins (then yields) until the counter moves. Entering is a
//! sequentially consistent swap and the wait starts with a fence, so either the section sees
//! the unlinking or the writer sees the section. The old object is still released by the
//! writer, at once and where it was before (a synchronous grace period, not a delayed
//! decref), so finalizers run exactly when they did; and since sections never wait, the
//! writer's wait is bounded and cannot deadlock whatever it holds. *Light* sections
//! (`ReadSection::enter_light`, for structures whose writers are rare: the type cache) enter
//! with a plain store and no barrier; their writers (`wait_light_readers`) make the
//! `membarrier` system call, which stands for the readers' barriers, before the same wait.
//! Decided once, before the first slot is handed out: without the call, light is heavy.
//!
//! Decisions (gilgate's, with why):
//! - **Slots per OS thread, not per thread state**: an OS thread has at most one attached
//!   state, and attach/detach always run on it, so the slot is a thread-local made on the
//!   first attach and released when the thread exits.
//! - **The writer's own slot does not hold back its frees**: after a thread replaced an array
//!   itself, its own old pointers into it are already invalid under any lock (CPython with the
//!   GIL `realloc`s in place), so only the other threads can still be reading it.
//! - **Nobody else online: freed at once**. A detached thread reads nothing, and when it
//!   attaches it sees the new array (its slot store and the writer's scan are ordered by
//!   sequentially consistent fences), so single-threaded programs pay a scan, not a queue.
//! - Threads with no attached state (gilgate lets a stateless thread call some functions) are
//!   offline: their lock-free reads are not protected, as CPython forbids them outright.
//! - Queues are processed at the owner's detach, attach and safe points, and when a queue
//!   reaches `PROCESS_AT` entries; a thread that exits hands what is left to a shared list that
//!   the next thread to process takes over (CPython's `_PyMem_AbandonDelayed`).
//! - Built with the cargo feature `free-at-once` (the negative control of
//!   `scripts/valgrind-race.sh`), `free_delayed` frees at once.
//!
//! The scheme (`Qsbr`: the sequences and slots; the per-thread queues and their processing;
//! the thread-local glue of attach, detach, quiescent points and exit) is `qsbr/reclaim.rs`,
//! FFI-free: its primitives come from `runtime/sync.rs` and it frees a block through this
//! file's `free_block`, so that `capi/model` compiles it against loom.

use std::ffi::c_void;

mod reclaim;
pub(crate) use reclaim::{
    ReadSection, attach, detach, free_delayed, has_queued, online, process_queued, quiescent,
    wait_light_readers, wait_readers,
};
pub use reclaim::{abandoned_frees, pending_frees};

/// Whether `free_delayed` frees at once (the cargo feature `free-at-once`: the negative
/// control of `scripts/valgrind-race.sh`).
const FREE_AT_ONCE: bool = cfg!(feature = "free-at-once");

/// Frees a block handed to `free_delayed`, once no reader can hold it.
///
/// # Safety
/// `p` must be a live block from `pymem` that no thread can still read.
#[inline]
unsafe fn free_block(p: *mut c_void) {
    if p as usize & DECREF_TAG != 0 {
        // A reference queued by `decref_delayed`: objects are at least 8-byte aligned, so the
        // tag bit is never part of a block's address.
        // SAFETY: the caller of `decref_delayed` gave up an owned reference.
        unsafe { crate::refcount::decref(p.cast::<u8>().wrapping_sub(DECREF_TAG).cast()) };
        return;
    }
    // SAFETY: forwarded contract.
    unsafe { crate::pymem::free(p) }
}

/// Whether light read sections are light (`reclaim::Qsbr::read_enter_light`): true once the
/// process registered for `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`; false before the
/// decision and when the call is unavailable (another kernel than Linux >= 4.14, valgrind,
/// a seccomp filter that denies it), when light sections are heavy ones.
static ASYMMETRIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static DECIDED: std::sync::Once = std::sync::Once::new();

/// Whether light sections skip the barrier instruction (read on every light section's entry:
/// one load of a flag written once, before the first slot was handed out).
#[inline]
fn asymmetric() -> bool {
    ASYMMETRIC.load(std::sync::atomic::Ordering::Relaxed)
}

/// Decides once, before the first slot is handed out (and before any light writer's wait, so
/// that a writer on a thread without a slot sees the decision too): registers the process for
/// expedited private `membarrier` when the kernel offers it. `GILGATE_NO_MEMBARRIER=1` keeps
/// light sections heavy (the fallback, for tests and comparisons).
fn decide_asymmetric() {
    DECIDED.call_once(|| {
        let off = std::env::var_os("GILGATE_NO_MEMBARRIER").is_some_and(|v| v == "1");
        if !off && membarrier_register() {
            ASYMMETRIC.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    });
}

/// `membarrier` commands (`linux/membarrier.h`).
#[cfg(target_os = "linux")]
const MEMBARRIER_CMD_QUERY: libc::c_long = 0;
#[cfg(target_os = "linux")]
const MEMBARRIER_CMD_PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
#[cfg(target_os = "linux")]
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;

/// Registers the process for expedited private barriers; false when the kernel (or a filter,
/// or valgrind) does not offer them.
#[cfg(target_os = "linux")]
fn membarrier_register() -> bool {
    // SAFETY: `membarrier` with the query and register commands reads and writes no memory of
    // the caller's.
    unsafe {
        let q = libc::syscall(libc::SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
        if q < 0 || q & MEMBARRIER_CMD_PRIVATE_EXPEDITED == 0 {
            return false;
        }
        libc::syscall(
            libc::SYS_membarrier,
            MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
            0,
            0,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn membarrier_register() -> bool {
    false
}

/// A full barrier on every CPU running a thread of the process (light writers, between their
/// unlinking and their scan of the sections). Once registered the call cannot fail but for a
/// filter installed since that denies it: light readers are then unprotected, so the process
/// stops rather than risk a use after free.
#[cfg(target_os = "linux")]
fn membarrier() {
    // SAFETY: as in `membarrier_register`.
    let r = unsafe { libc::syscall(libc::SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) };
    if r != 0 {
        eprintln!(
            "gilgate: membarrier failed after registration ({}): aborting",
            std::io::Error::last_os_error()
        );
        std::process::abort();
    }
}

#[cfg(not(target_os = "linux"))]
fn membarrier() {
    unreachable!("light sections are heavy without membarrier")
}

/// The low bit marks a queued entry as a reference to drop rather than a block to free
/// (CPython's tagging in `_PyObject_XDecRefDelayed`).
const DECREF_TAG: usize = 1;

/// `_PyObject_XDecRefDelayed(op)`: drops the reference once no other thread can still be
/// reading `op` lock-free (CPython 3.14t's delayed decref, on the same queues as
/// `free_delayed`); NULL is ignored. With no other thread online it is dropped at once.
#[crate::export(unguarded)]
pub unsafe fn _PyObject_XDecRefDelayed(op: *mut crate::object::PyObject) {
    if op.is_null() {
        return;
    }
    // SAFETY: the tagged pointer is only ever untagged and decref'ed by `free_block`.
    unsafe { free_delayed(op.cast::<u8>().wrapping_add(DECREF_TAG).cast()) }
}
