//! The parent the delayed-free scheme (`capi/src/runtime/qsbr/reclaim.rs`) expects, for the
//! models: `free_block` frees a model array (marks it freed, failing on a second free or on a
//! block that is not one) and `FREE_AT_ONCE` is false, as in a normal build.

use loom::cell::UnsafeCell;
use std::ffi::c_void;

#[path = "../../src/runtime/qsbr/reclaim.rs"]
pub(crate) mod reclaim;

pub(crate) const FREE_AT_ONCE: bool = false;

/// Loom cannot model `membarrier`: the models run light sections as what they degenerate to
/// without it, heavy ones (a swap and a fence). The asymmetric case rests on the system
/// call's guarantee instead (see `Qsbr::read_enter_light`): every other running thread
/// passes a full barrier during the writer's call, which orders a light section's counter
/// store before its loads exactly where the heavy section's own fence does, as seen by the
/// writer's scan after the call.
pub(crate) fn asymmetric() -> bool {
    false
}

pub(crate) fn decide_asymmetric() {}

pub(crate) fn membarrier() {
    unreachable!("light sections are heavy in the models")
}

/// A model of a container's storage (a list's item array): a value readers read without a
/// lock, and how many times it was freed.
pub(crate) struct Array {
    pub(crate) value: usize,
    frees: UnsafeCell<usize>,
}

// SAFETY: `frees` is written once, by the thread that frees the array, after every reader is
// done with it (what the models check).
unsafe impl Sync for Array {}
// SAFETY: as above.
unsafe impl Send for Array {}

impl Array {
    pub(crate) fn new(value: usize) -> Array {
        Array {
            value,
            frees: UnsafeCell::new(0),
        }
    }

    pub(crate) fn ptr(&self) -> *mut Array {
        self as *const Array as *mut Array
    }

    /// A lock-free reader's access: fails the model when the array was freed, or when its free
    /// is not ordered after this read (loom's cell check).
    pub(crate) fn read(&self) -> usize {
        // SAFETY: a read of the mark; loom checks its ordering against the free.
        self.frees
            .with(|v| assert_eq!(unsafe { *v }, 0, "a reader read a freed array"));
        self.value
    }

    /// How many times it was freed (read after joining every thread).
    pub(crate) fn frees(&self) -> usize {
        // SAFETY: every writer has been joined.
        self.frees.with(|v| unsafe { *v })
    }
}

/// `pymem::free` for the models: the blocks are `Array`s that the models keep alive.
pub(crate) unsafe fn free_block(p: *mut c_void) {
    // SAFETY: the models only retire pointers to live `Array`s.
    let a = unsafe { &*(p as *const Array) };
    // SAFETY: the write loom checks against every read of the array.
    a.frees.with_mut(|v| unsafe {
        assert_eq!(*v, 0, "an array is freed twice");
        *v += 1
    });
}
