//! The parent the section core (`capi/src/runtime/critical_section/stack.rs`) expects, for the
//! models: a `PyMutex` that is just the byte, the byte protocol of `lock/mutex.rs`, and a
//! per-thread stack head and "attached" flag standing in for the thread state.

use crate::sync::AtomicU8;
use std::cell::Cell;

#[path = "../../src/runtime/critical_section/stack.rs"]
pub(crate) mod stack;

/// A `PyMutex` as the models see it: the byte.
pub(crate) struct PyMutex {
    pub(crate) bits: AtomicU8,
}

impl PyMutex {
    pub(crate) fn new() -> PyMutex {
        PyMutex {
            bits: AtomicU8::new(0),
        }
    }
}

pub(crate) fn lock(m: *mut PyMutex) {
    // SAFETY: the models pass mutexes that outlive their threads.
    crate::mutex::lock(unsafe { &(*m).bits }, m as usize)
}

pub(crate) fn lock_fast(m: *mut PyMutex) -> bool {
    // SAFETY: as above.
    crate::mutex::lock_fast(unsafe { &(*m).bits })
}

pub(crate) fn unlock_or_abort(m: *mut PyMutex) {
    // SAFETY: as above.
    let bits = unsafe { &(*m).bits };
    assert!(
        crate::mutex::unlock(bits, m as usize),
        "unlocking a free mutex"
    );
}

#[cfg(loom)]
loom::thread_local! {
    /// The thread's stack of sections (`PyThreadState.critical_section`).
    static HEAD: Cell<usize> = Cell::new(0);
    /// Whether the thread is attached (model threads start attached).
    static ATTACHED: Cell<bool> = Cell::new(true);
}

// Without loom the crate only has to build.
#[cfg(not(loom))]
std::thread_local! {
    static HEAD: Cell<usize> = const { Cell::new(0) };
    static ATTACHED: Cell<bool> = const { Cell::new(true) };
}

/// The stack head of the calling thread while it is attached, else NULL.
pub(crate) fn attached_head() -> *mut usize {
    if ATTACHED.with(Cell::get) {
        HEAD.with(Cell::as_ptr)
    } else {
        std::ptr::null_mut()
    }
}

/// Where a new section goes: model threads are always attached when they begin one.
pub(crate) fn section_head() -> *mut usize {
    attached_head()
}

/// What capi's `ceval::detach` and `ceval::attach` do to sections around a wait: suspend every
/// section while still attached, then detach; attach, then resume the top-most one.
pub(crate) fn detach_while_waiting<R>(detach: bool, wait: impl FnOnce() -> R) -> R {
    if !detach || !ATTACHED.with(Cell::get) {
        return wait();
    }
    stack::suspend_all();
    ATTACHED.with(|a| a.set(false));
    let r = wait();
    ATTACHED.with(|a| a.set(true));
    stack::resume_top();
    r
}

/// Whether the calling thread's stack is empty (every section ended).
pub(crate) fn stack_is_empty() -> bool {
    HEAD.with(Cell::get) == 0
}
