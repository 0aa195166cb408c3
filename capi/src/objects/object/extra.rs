//! Small `object.h` / `cpython/object.h` / `objimpl.h` services that real extensions reach for
//! in their init, repr and dealloc paths (multidict, immutables): the constant objects
//! (`Py_GetConstant`), the repr recursion guard (`Py_ReprEnter`/`Py_ReprLeave`), the trashcan
//! behind `Py_TRASHCAN_BEGIN`/`END` with the C stack check it asks
//! (`_Py_ReachedRecursionLimitWithMargin`), the free-threading reference helpers
//! (`PyUnstable_TryIncRef` and friends) and `PyObject_GC_IsTracked`.

use super::{Py_TPFLAGS_HAVE_GC, PyObject, ty};
use crate::export;
use crate::pyport::Py_ssize_t;
use crate::pystate::PyThreadState;
use crate::refcount::{incref, new_ref, refcnt};
use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_uint};
use std::ptr::null_mut;
use std::sync::OnceLock;

// ---- Py_GetConstant -------------------------------------------------------------------------

/// The ten constants in `Py_CONSTANT_*` order, each holding one reference for the process's
/// life (stored as addresses so the table is `Sync`).
static CONSTANTS: OnceLock<[usize; 10]> = OnceLock::new();

fn constants() -> &'static [usize; 10] {
    CONSTANTS.get_or_init(|| {
        // SAFETY: the static singletons live forever; the constructors return new references
        // the table keeps.
        unsafe {
            [
                (&raw mut super::_Py_NoneStruct) as usize,
                (&raw mut crate::boolobject::_Py_FalseStruct) as usize,
                (&raw mut crate::boolobject::_Py_TrueStruct) as usize,
                (&raw mut super::_Py_EllipsisObject) as usize,
                (&raw mut super::_Py_NotImplementedStruct) as usize,
                crate::longobject::PyLong_FromLong(0) as usize,
                crate::longobject::PyLong_FromLong(1) as usize,
                crate::unicodeobject::from_str("") as usize,
                crate::bytesobject::PyBytes_FromStringAndSize(c"".as_ptr(), 0) as usize,
                crate::tupleobject::PyTuple_New(0) as usize,
            ]
        }
    })
}

/// The constant `id` (borrowed), or NULL with `SystemError` for an unknown id.
fn constant(id: c_uint) -> *mut PyObject {
    match constants().get(id as usize) {
        Some(&p) if p != 0 => p as *mut PyObject,
        _ => crate::pyerrors::bad_internal_call(),
    }
}

#[export]
pub fn Py_GetConstant(id: c_uint) -> *mut PyObject {
    let p = constant(id);
    if p.is_null() {
        return p;
    }
    // SAFETY: the table keeps every constant alive.
    unsafe { new_ref(p) }
}

#[export]
pub fn Py_GetConstantBorrowed(id: c_uint) -> *mut PyObject {
    constant(id)
}

// ---- repr recursion guard -------------------------------------------------------------------

/// `Py_ReprEnter`: 1 when `op`'s repr is already in progress on this thread (the caller then
/// prints a placeholder such as `...`), else records it and returns 0. The list is the one
/// gilgate's own container reprs use.
#[export]
pub fn Py_ReprEnter(op: *mut PyObject) -> c_int {
    c_int::from(!crate::iterobject::repr_enter(op))
}

/// `Py_ReprLeave`: forgets `op`; the current exception is untouched.
#[export]
pub fn Py_ReprLeave(op: *mut PyObject) {
    crate::iterobject::repr_leave(op)
}

// ---- the C stack check and the trashcan -----------------------------------------------------

/// CPython's `_PyOS_STACK_MARGIN_BYTES` on 64-bit builds: 4096 pointers.
const STACK_MARGIN_BYTES: usize = 4096 * std::mem::size_of::<usize>();

thread_local! {
    /// The lowest usable stack address of this thread plus the soft margin (0: not known yet).
    static STACK_SOFT_LIMIT: Cell<usize> = const { Cell::new(0) };
    /// Objects whose deallocation the trashcan postponed on this thread, last in first out.
    static DELETE_LATER: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// The current thread's stack as (lowest, highest) address, or None if unknown.
fn stack_bounds() -> Option<(usize, usize)> {
    // SAFETY: plain pthread queries about the calling thread into a local attribute object,
    // destroyed after use.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = null_mut();
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (rc == 0).then(|| (addr as usize, addr as usize + size))
    }
}

/// How many bytes of the current thread's C stack are in use (0 if unknown).
pub(crate) fn stack_used() -> usize {
    thread_local! {
        static TOP: Cell<usize> = const { Cell::new(0) };
    }
    let top = TOP.with(|c| {
        if c.get() == 0 {
            c.set(stack_bounds().map_or(usize::MAX, |(_, hi)| hi));
        }
        c.get()
    });
    let marker = 0u8;
    let here = std::hint::black_box(&raw const marker) as usize;
    if top == usize::MAX {
        0
    } else {
        top.saturating_sub(here)
    }
}

/// The bottom of the current thread's stack (it grows down on x86_64), or 0 if unknown.
fn stack_low() -> usize {
    stack_bounds().map_or(0, |(lo, _)| lo)
}

/// Whether the C stack is within `margin` safety margins of its soft limit (CPython keeps
/// the soft limit a few margins above the end of the thread's stack).
pub fn near_stack_limit(margin: c_int) -> bool {
    let soft = STACK_SOFT_LIMIT.with(|c| {
        if c.get() == 0 {
            let low = stack_low();
            c.set(if low == 0 {
                usize::MAX
            } else {
                low + 4 * STACK_MARGIN_BYTES
            });
        }
        c.get()
    });
    if soft == usize::MAX {
        return false;
    }
    let marker = 0u8;
    let here = std::hint::black_box(&raw const marker) as usize;
    here <= soft.saturating_add(margin.max(0) as usize * STACK_MARGIN_BYTES)
}

#[export]
pub fn _Py_ReachedRecursionLimitWithMargin(_tstate: *mut PyThreadState, margin: c_int) -> c_int {
    c_int::from(near_stack_limit(margin))
}

/// Postpones `op`'s deallocation (a dead object whose dealloc started too deep in the stack):
/// it joins this thread's chain, which `tstate->delete_later` shows non-empty.
#[export]
pub unsafe fn _PyTrash_thread_deposit_object(tstate: *mut PyThreadState, op: *mut PyObject) {
    DELETE_LATER.with_borrow_mut(|v| v.push(op as usize));
    if !tstate.is_null() {
        // SAFETY: `tstate` is the caller's live thread state.
        unsafe { (*tstate).delete_later = op };
    }
}

/// Runs the postponed deallocations of this thread, newest first (a dealloc may deposit more).
#[export]
pub unsafe fn _PyTrash_thread_destroy_chain(tstate: *mut PyThreadState) {
    loop {
        let (op, next) = DELETE_LATER.with_borrow_mut(|v| {
            let op = v.pop();
            (op, v.last().copied().unwrap_or(0))
        });
        let Some(op) = op else { break };
        let op = op as *mut PyObject;
        // SAFETY: `tstate` is the caller's live thread state; `op` is a dead object whose
        // type's dealloc was interrupted by the trashcan and runs now.
        unsafe {
            if !tstate.is_null() {
                (*tstate).delete_later = next as *mut PyObject;
            }
            if let Some(dealloc) = (*ty(op)).tp_dealloc {
                crate::extcall::destructor(dealloc, op);
            }
        }
    }
}

// ---- references and GC state ----------------------------------------------------------------

/// `PyUnstable_TryIncRef`: a new reference unless the object is already being destroyed.
#[export]
pub unsafe fn PyUnstable_TryIncRef(op: *mut PyObject) -> c_int {
    // SAFETY: `op` points to an object whose memory is still valid, per the contract.
    unsafe {
        if refcnt(op) <= 0 {
            return 0;
        }
        incref(op);
        1
    }
}

/// Nothing to prepare: gilgate's `PyUnstable_TryIncRef` works on any object.
#[export(unguarded)]
pub fn PyUnstable_EnableTryIncRef(_op: *mut PyObject) {}

#[export]
pub unsafe fn PyUnstable_Object_IsUniquelyReferenced(op: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live object.
    c_int::from(unsafe { refcnt(op) } == 1 as Py_ssize_t)
}

/// 1 for an object of a GC type that `PyObject_GC_Track` tracked (and not untracked since).
#[export]
pub unsafe fn PyObject_GC_IsTracked(op: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live object; the tracked bit is read atomically as Track sets it.
    unsafe {
        let gc_type = (*ty(op)).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
        let bits = std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op).ob_gc_bits)
            .load(std::sync::atomic::Ordering::Relaxed);
        c_int::from(gc_type && bits & 1 != 0)
    }
}
