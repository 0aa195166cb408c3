//! `listobject.h`: `list` with CPython's layout (`ob_item` at 40, `allocated` at 48), so
//! `PyList_GET_ITEM`/`PyList_SET_ITEM`/`PyList_GET_SIZE` work inline; CPython's growth
//! pattern; sequence and mapping slots (slice assignment included); methods.
//!
//! Locking (free threading): every mutation, and every read that hands out items, holds the
//! list's own `ob_mutex` (the mutex `Py_BEGIN_CRITICAL_SECTION(list)` takes, so an extension
//! holding a critical section on a list excludes gilgate's own list operations too). It is
//! held only around plain memory work (no comparison, no decref, no other lock while held),
//! so it never nests inside gilgate; uncontended it costs one compare-and-swap. A thread that
//! already holds the mutex through one of its critical sections goes on without locking
//! again, as CPython's critical sections do. `PyList_GetItem` and the inline macros
//! (`PyList_GET_ITEM`, ...) read without the lock, as in CPython.

use crate::export;
use crate::iterobject::{self as iters, Step};
use crate::methodobject::{METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_O, PyMethodDef};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_SEQUENCE, PyMappingMethods, PyMutex,
    PyObject, PySequenceMethods, PyTypeObject, PyVarObject, static_type,
};
use crate::pyerrors::{EXC_IndexError, EXC_SystemError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use crate::sliceobject::{self as sl, Subscript};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// `PyListObject` (56 bytes).
#[repr(C)]
pub struct PyListObject {
    pub ob_base: PyVarObject,
    pub ob_item: *mut *mut PyObject,
    pub allocated: Py_ssize_t,
}

/// Holds a list's `ob_mutex` until dropped (or nothing, when the calling thread already holds
/// it through a critical section).
struct ListLock(*mut PyMutex, bool);

impl ListLock {
    /// Locks `op` (a live list).
    #[inline]
    fn new(op: *mut PyObject) -> ListLock {
        // SAFETY: `op` is a live object (every caller's contract).
        let m = unsafe { &raw mut (*op).ob_mutex };
        if crate::lock::try_lock(m) {
            return ListLock(m, true);
        }
        ListLock::contended(m)
    }

    #[cold]
    fn contended(m: *mut PyMutex) -> ListLock {
        if crate::critical_section::held_by_current_thread(m) {
            return ListLock(m, false);
        }
        crate::lock::lock(m);
        ListLock(m, true)
    }
}

impl Drop for ListLock {
    #[inline]
    fn drop(&mut self) {
        if self.1 {
            crate::lock::unlock(self.0);
        }
    }
}

/// New references to the items, read under the list's lock.
///
/// # Safety
/// `op` must be a live list.
pub(crate) unsafe fn snapshot(op: *mut PyObject) -> Vec<*mut PyObject> {
    let _g = ListLock::new(op);
    // SAFETY: forwarded contract; the lock keeps the array in place while copying.
    unsafe { items(op).iter().map(|&o| new_ref(o)).collect() }
}

/// A new reference to item `i`, read under the list's lock (None when out of range).
unsafe fn item_ref(op: *mut PyObject, i: usize) -> Option<*mut PyObject> {
    let _g = ListLock::new(op);
    // SAFETY: a live list; the lock keeps the array in place.
    unsafe { items(op).get(i).map(|&o| new_ref(o)) }
}

static mut LIST_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(list_length),
    sq_concat: Some(list_concat),
    sq_repeat: Some(list_repeat),
    sq_item: Some(list_item),
    was_sq_slice: std::ptr::null_mut(),
    sq_ass_item: Some(list_ass_item),
    was_sq_ass_slice: std::ptr::null_mut(),
    sq_contains: Some(list_contains),
    sq_inplace_concat: Some(list_inplace_concat),
    sq_inplace_repeat: Some(list_inplace_repeat),
};

static mut LIST_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(list_length),
    mp_subscript: Some(list_subscript),
    mp_ass_subscript: Some(list_ass_subscript),
};

const fn meth(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

type Noargs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type FastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;

static mut LIST_METHODS: [PyMethodDef; 13] = [
    meth(
        c"__reversed__",
        m_reversed as Noargs as *mut c_void,
        METH_NOARGS,
    ),
    meth(c"append", m_append as Noargs as *mut c_void, METH_O),
    meth(c"extend", m_extend as Noargs as *mut c_void, METH_O),
    meth(c"insert", m_insert as Fast as *mut c_void, METH_FASTCALL),
    meth(c"pop", m_pop as Fast as *mut c_void, METH_FASTCALL),
    meth(c"remove", m_remove as Noargs as *mut c_void, METH_O),
    meth(c"index", m_index as Fast as *mut c_void, METH_FASTCALL),
    meth(c"count", m_count as Noargs as *mut c_void, METH_O),
    meth(c"clear", m_clear as Noargs as *mut c_void, METH_NOARGS),
    meth(c"copy", m_copy as Noargs as *mut c_void, METH_NOARGS),
    meth(c"reverse", m_reverse as Noargs as *mut c_void, METH_NOARGS),
    meth(
        c"sort",
        m_sort as FastKw as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

#[export]
pub static mut PyList_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(list_dealloc),
    tp_repr: Some(list_repr),
    tp_hash: Some(iters::unhashable),
    tp_richcompare: Some(list_richcompare),
    tp_iter: Some(list_iter),
    tp_as_sequence: &raw mut LIST_AS_SEQUENCE,
    tp_as_mapping: &raw mut LIST_AS_MAPPING,
    tp_methods: (&raw mut LIST_METHODS).cast(),
    tp_new: Some(list_new),
    tp_init: Some(list_init),
    ..static_type(
        c"list",
        std::mem::size_of::<PyListObject>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_SEQUENCE,
    )
};

#[export]
pub static mut PyListIter_Type: PyTypeObject = iters::iter_type(c"list_iterator", listiter_next);

#[export]
pub static mut PyListRevIter_Type: PyTypeObject =
    iters::iter_type(c"list_reverseiterator", listreviter_next);

/// Whether `op` is a list (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_list(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_LIST_SUBCLASS) }
}

/// The items of a list (borrowed, valid until the list changes).
///
/// # Safety
/// `op` must be a live list.
pub(crate) unsafe fn items<'a>(op: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: forwarded contract: `ob_item` holds `ob_size` pointers.
    unsafe {
        let l = op.cast::<PyListObject>();
        let n = (*l).ob_base.ob_size;
        if n <= 0 || (*l).ob_item.is_null() {
            return &[];
        }
        std::slice::from_raw_parts((*l).ob_item, n as usize)
    }
}

unsafe fn items_mut<'a>(op: *mut PyObject) -> &'a mut [*mut PyObject] {
    // SAFETY: as `items`; the caller has the only access.
    unsafe {
        let l = op.cast::<PyListObject>();
        let n = (*l).ob_base.ob_size;
        if n <= 0 || (*l).ob_item.is_null() {
            return &mut [];
        }
        std::slice::from_raw_parts_mut((*l).ob_item, n as usize)
    }
}

/// Number of items.
///
/// # Safety
/// `op` must be a live list.
pub(crate) unsafe fn len(op: *mut PyObject) -> Py_ssize_t {
    // Relaxed, as CPython's `PyList_GET_SIZE` in the free-threaded build: a reader without the
    // lock gets some recent size (writers store it atomically under the lock).
    // SAFETY: forwarded contract.
    unsafe { size_atomic(op).load(std::sync::atomic::Ordering::Relaxed) }
}

/// The list's size as an atomic (lock-free readers load it; writers store it under the lock).
///
/// # Safety
/// `op` must be a live list.
#[inline]
unsafe fn size_atomic<'a>(op: *mut PyObject) -> &'a std::sync::atomic::AtomicIsize {
    // SAFETY: `ob_size` is an aligned isize of a live list; every concurrent access is atomic.
    unsafe {
        std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*op.cast::<PyVarObject>()).ob_size)
    }
}

/// The list's item array pointer as an atomic.
///
/// # Safety
/// `op` must be a live list.
#[inline]
unsafe fn items_atomic<'a>(op: *mut PyObject) -> &'a std::sync::atomic::AtomicPtr<*mut PyObject> {
    // SAFETY: as `size_atomic`.
    unsafe { std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*op.cast::<PyListObject>()).ob_item) }
}

/// Publishes a new size (a reader that sees it sees the slots written before).
///
/// # Safety
/// `op` must be a live list the caller has locked.
#[inline]
unsafe fn set_size(op: *mut PyObject, n: Py_ssize_t) {
    // SAFETY: forwarded contract.
    unsafe { size_atomic(op).store(n, std::sync::atomic::Ordering::Release) }
}

/// Resizes the item array to hold `newsize` items with CPython's over-allocation and sets the
/// size; new slots are NULL (the caller fills them). False with MemoryError on failure.
///
/// # Safety
/// `op` must be a live list the caller has locked.
unsafe fn resize(op: *mut PyObject, newsize: Py_ssize_t) -> bool {
    // SAFETY: forwarded contract.
    unsafe { resize_with(op, newsize, true) }
}

/// `resize`; with `set` false the size is left alone (the caller writes the new slots, then
/// publishes the size: `append`).
///
/// Lock-free readers (`PyList_GET_ITEM`, `PyList_GetItem`) may be reading the array, so it is
/// never reallocated in place: a new array gets the items and is published before a larger
/// size (after a smaller one), so that while `ob_item` points to an array the size never
/// exceeds its capacity. The old array goes to `qsbr::free_delayed` when the list is shared
/// (another thread read it through `PyList_GetItem`, see [`mark_shared`]), else it is freed at
/// once, as CPython 3.14t does (`_PyObject_GC_IS_SHARED`): a list only its owner reads pays
/// nothing for delayed freeing.
///
/// # Safety
/// As `resize`.
unsafe fn resize_with(op: *mut PyObject, newsize: Py_ssize_t, set: bool) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let l = op.cast::<PyListObject>();
        let allocated = (*l).allocated;
        let size = (*l).ob_base.ob_size;
        if allocated >= newsize && newsize >= (allocated >> 1) {
            if set {
                set_size(op, newsize);
            }
            return true;
        }
        let mut new_alloc = ((newsize as usize) + ((newsize as usize) >> 3) + 6) & !3;
        if (newsize - size) as usize > new_alloc - newsize as usize {
            new_alloc = (newsize as usize + 3) & !3;
        }
        if newsize == 0 {
            new_alloc = 0;
        }
        let Some(bytes) = new_alloc.checked_mul(8) else {
            crate::pyerrors::no_memory();
            return false;
        };
        let old = (*l).ob_item;
        if !is_shared(op)
            && crate::refcount::tid(op).load(std::sync::atomic::Ordering::Relaxed)
                != crate::refcount::thread_id()
        {
            // A thread other than the owner resizes: the owner may be reading the old array
            // lock-free at this moment, so it goes through delayed freeing from now on (CPython
            // marks a dict shared the same way when another thread resizes it).
            gc_bits(op).fetch_or(GC_BITS_SHARED, std::sync::atomic::Ordering::Relaxed);
        }
        if !is_shared(op) && !old.is_null() && new_alloc != 0 {
            // No thread but the owner reads this list lock-free through the API (`mark_shared`
            // takes the lock this caller holds), so the array may move in place or be copied
            // by the allocator (CPython 3.13t's `PyMem_Realloc`): growth by an eighth often
            // fits the block's spare room and copies nothing.
            let p = crate::pymem::realloc(old.cast(), bytes).cast::<*mut PyObject>();
            if p.is_null() {
                crate::pyerrors::no_memory();
                return false;
            }
            if newsize > size {
                let keep = size.max(0) as usize;
                std::ptr::write_bytes(p.add(keep), 0, newsize as usize - keep);
            }
            if set && newsize < size {
                set_size(op, newsize);
            }
            items_atomic(op).store(p, std::sync::atomic::Ordering::Release);
            (*l).allocated = new_alloc as Py_ssize_t;
            if set && newsize >= size {
                set_size(op, newsize);
            }
            return true;
        }
        let new: *mut *mut PyObject = if new_alloc == 0 {
            null_mut()
        } else {
            let p = crate::pymem::malloc(bytes).cast::<*mut PyObject>();
            if p.is_null() {
                crate::pyerrors::no_memory();
                return false;
            }
            let keep = size.clamp(0, newsize) as usize;
            if keep > 0 {
                std::ptr::copy_nonoverlapping(old, p, keep);
            }
            std::ptr::write_bytes(p.add(keep), 0, newsize as usize - keep);
            p
        };
        let growing = newsize >= size;
        if set && !growing {
            set_size(op, newsize);
        }
        items_atomic(op).store(new, std::sync::atomic::Ordering::Release);
        (*l).allocated = new_alloc as Py_ssize_t;
        if set && growing {
            set_size(op, newsize);
        }
        if is_shared(op) {
            crate::qsbr::free_delayed(old.cast());
        } else {
            crate::pymem::free(old.cast());
        }
        true
    }
}

/// `_PyGC_BITS_SHARED` of `ob_gc_bits`: a thread other than the list's owner has read the list
/// without its lock, so its old item arrays must go through delayed freeing.
pub(crate) const GC_BITS_SHARED: u8 = 1 << 4;

/// `ob_gc_bits` as an atomic.
///
/// # Safety
/// `op` must be a live object.
#[inline]
unsafe fn gc_bits<'a>(op: *mut PyObject) -> &'a std::sync::atomic::AtomicU8 {
    // SAFETY: a byte of a live object's header, accessed atomically by every party.
    unsafe { std::sync::atomic::AtomicU8::from_ptr(&raw mut (*op).ob_gc_bits) }
}

/// Whether the list is marked shared.
///
/// # Safety
/// `op` must be a live list.
#[inline]
unsafe fn is_shared(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { gc_bits(op).load(std::sync::atomic::Ordering::Relaxed) & GC_BITS_SHARED != 0 }
}

/// Marks the list shared, under its lock: every resize after this one (writers hold the lock)
/// sees the mark and delays freeing, and a resize before it has published its new array, which
/// this thread's reads after the lock see.
///
/// # Safety
/// `op` must be a live list.
#[cold]
unsafe fn mark_shared(op: *mut PyObject) {
    let _g = ListLock::new(op);
    // SAFETY: forwarded contract.
    unsafe { gc_bits(op).fetch_or(GC_BITS_SHARED, std::sync::atomic::Ordering::Relaxed) };
}

/// A new list of `n` NULL items.
pub(crate) fn new_list(n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: PyList_Type is a ready static type.
    let l = unsafe { crate::objimpl::alloc_object(&raw mut PyList_Type, 0) };
    if l.is_null() || n <= 0 {
        return l;
    }
    let p = crate::pymem::calloc(n as usize, 8);
    if p.is_null() {
        // SAFETY: our fresh list.
        unsafe { decref(l) };
        return crate::pyerrors::no_memory();
    }
    // SAFETY: fresh list.
    unsafe {
        let o = l.cast::<PyListObject>();
        (*o).ob_item = p.cast();
        (*o).allocated = n;
        (*o).ob_base.ob_size = n;
    }
    l
}

/// A new list holding new references to `objs`.
///
/// # Safety
/// Every element must be live.
pub(crate) unsafe fn from_slice(objs: &[*mut PyObject]) -> *mut PyObject {
    let l = new_list(objs.len() as Py_ssize_t);
    if !l.is_null() {
        // SAFETY: fresh list of the right size.
        unsafe {
            for (s, &o) in items_mut(l).iter_mut().zip(objs) {
                *s = new_ref(o);
            }
        }
    }
    l
}

/// A new list taking ownership of `objs`.
///
/// # Safety
/// Every element must be an owned reference.
pub(crate) unsafe fn from_vec(objs: Vec<*mut PyObject>) -> *mut PyObject {
    let l = new_list(objs.len() as Py_ssize_t);
    // SAFETY: fresh list of the right size; references are transferred.
    unsafe {
        if l.is_null() {
            iters::release_all(objs);
            return l;
        }
        for (s, o) in items_mut(l).iter_mut().zip(objs) {
            *s = o;
        }
    }
    l
}

/// Appends a new reference to `v`.
///
/// # Safety
/// `op` must be a live list and `v` a live object.
#[inline]
pub(crate) unsafe fn append(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live list (forwarded contract).
    let m = unsafe { &raw mut (*op).ob_mutex };
    if crate::lock::lock_fast(m) {
        // SAFETY: forwarded contract; the lock gives this thread the only access to the array.
        unsafe {
            let l = op.cast::<PyListObject>();
            let n = (*l).ob_base.ob_size;
            if n < (*l).allocated {
                // Room left, the mutex free (the common case): inline, no stack frame. The new
                // slot is written before the size that makes it visible is published.
                *(*l).ob_item.add(n as usize) = new_ref(v);
                set_size(op, n + 1);
                crate::lock::unlock(m);
                return 0;
            }
            append_slow(op, v, ListLock(m, true))
        }
    } else {
        // SAFETY: forwarded contract.
        unsafe { append_slow(op, v, ListLock::contended(m)) }
    }
}

/// [`append`] when the list is full (a resize) or its mutex was not free, with the lock `g`
/// (or the caller's own section's) held.
///
/// # Safety
/// As [`append`].
#[cold]
#[inline(never)]
unsafe fn append_slow(op: *mut PyObject, v: *mut PyObject, g: ListLock) -> c_int {
    let _g = g;
    // SAFETY: forwarded contract; the lock gives this thread the only access to the array.
    unsafe {
        let l = op.cast::<PyListObject>();
        let n = (*l).ob_base.ob_size;
        // The new slot is written before the size that makes it visible is published.
        if n < (*l).allocated {
            *(*l).ob_item.add(n as usize) = new_ref(v);
            set_size(op, n + 1);
            return 0;
        }
        if !resize_with(op, n + 1, false) {
            return -1;
        }
        *(*l).ob_item.add(n as usize) = new_ref(v);
        set_size(op, n + 1);
        0
    }
}

/// Replaces `list[lo:hi]` with owned references `new` (step 1). `lo` and `hi` are clamped
/// to the length found under the lock (`usize::MAX` for "the end"); the replaced items are
/// released after the lock is dropped.
unsafe fn replace_range(op: *mut PyObject, lo: usize, hi: usize, new: Vec<*mut PyObject>) -> c_int {
    let g = ListLock::new(op);
    // SAFETY: `op` is a live list, locked.
    let r = unsafe { replace_range_locked(op, lo, hi, new) };
    drop(g);
    let (drop_now, rc) = match r {
        Ok(old) => (old, 0),
        Err(new) => (new, -1),
    };
    // SAFETY: owned references, released outside the lock.
    unsafe { iters::release_all(drop_now) };
    rc
}

/// `replace_range` with the lock held: Ok(the replaced items) or Err(`new`, not stored).
unsafe fn replace_range_locked(
    op: *mut PyObject,
    lo: usize,
    hi: usize,
    new: Vec<*mut PyObject>,
) -> Result<Vec<*mut PyObject>, Vec<*mut PyObject>> {
    // SAFETY: `op` is a live list the caller has locked.
    unsafe {
        let n = len(op) as usize;
        let hi = hi.min(n);
        let lo = lo.min(hi);
        let old: Vec<*mut PyObject> = items(op)[lo..hi].to_vec();
        let newlen = n - (hi - lo) + new.len();
        let tail = n - hi;
        if newlen > n {
            if !resize(op, newlen as Py_ssize_t) {
                return Err(new);
            }
            let base = (*op.cast::<PyListObject>()).ob_item;
            std::ptr::copy(base.add(hi), base.add(lo + new.len()), tail);
        } else {
            let base = (*op.cast::<PyListObject>()).ob_item;
            if !base.is_null() {
                std::ptr::copy(base.add(hi), base.add(lo + new.len()), tail);
            }
            if !resize(op, newlen as Py_ssize_t) {
                // Shrinking never fails for lack of memory in practice; keep the size.
                (*op.cast::<PyVarObject>()).ob_size = newlen as Py_ssize_t;
            }
        }
        let base = (*op.cast::<PyListObject>()).ob_item;
        for (i, o) in new.into_iter().enumerate() {
            *base.add(lo + i) = o;
        }
        Ok(old)
    }
}

unsafe fn index_error() -> *mut PyObject {
    raise(&raw mut EXC_IndexError, "list index out of range")
}

unsafe fn check_list(op: *mut PyObject) -> bool {
    // SAFETY: NULL or a live object.
    if op.is_null() || !unsafe { is_list(op) } {
        crate::pyerrors::bad_internal_call();
        return false;
    }
    true
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn list_dealloc(op: *mut PyObject) {
    // SAFETY: a dead list (slot contract).
    unsafe {
        let l = op.cast::<PyListObject>();
        // Nothing else can reach a dead list: the array is detached, its items released in
        // place (first to last, as before), then freed.
        let arr = (*l).ob_item;
        let n = (*l).ob_base.ob_size.max(0) as usize;
        (*l).ob_item = null_mut();
        if !arr.is_null() {
            for i in 0..n {
                xdecref(*arr.add(i));
            }
        }
        crate::pymem::free(arr.cast());
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn list_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (slot contract).
    unsafe {
        if len(op) == 0 {
            return crate::unicodeobject::from_str("[]");
        }
        if !iters::repr_enter(op) {
            return crate::unicodeobject::from_str("[...]");
        }
        let snap = snapshot(op);
        let parts = iters::repr_all(&snap);
        iters::release_all(snap);
        iters::repr_leave(op);
        match parts {
            Some(p) => crate::unicodeobject::from_str(&format!("[{}]", p.join(", "))),
            None => null_mut(),
        }
    }
}

unsafe extern "C" fn list_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_list(b) {
            return iters::not_implemented();
        }
        let x = snapshot(a);
        let y = snapshot(b);
        let r = iters::compare_sequences(&x, &y, op);
        iters::release_all(x);
        iters::release_all(y);
        r
    }
}

unsafe extern "C" fn list_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (slot contract).
    unsafe { iters::new_iter(&raw mut PyListIter_Type, op, 0) }
}

unsafe fn listiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live list.
    unsafe {
        match item_ref(it.seq, it.index as usize) {
            Some(o) => Step::Item(o),
            None => Step::End,
        }
    }
}

unsafe extern "C" fn listiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, listiter_step) }
}

/// `list.__reversed__()`: a `list_reverseiterator`.
unsafe extern "C" fn m_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (method contract).
    unsafe { iters::new_iter(&raw mut PyListRevIter_Type, op, 0) }
}

unsafe fn listreviter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live list.
    unsafe {
        let _g = ListLock::new(it.seq);
        let its = items(it.seq);
        let i = its.len() as Py_ssize_t - 1 - it.index;
        if i >= 0 {
            Step::Item(new_ref(its[i as usize]))
        } else {
            Step::End
        }
    }
}

unsafe extern "C" fn listreviter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, listreviter_step) }
}

unsafe extern "C" fn list_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live list (slot contract).
    unsafe { len(op) }
}

unsafe extern "C" fn list_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live list (slot contract).
    unsafe {
        match item_ref(op, usize::try_from(i).unwrap_or(usize::MAX)) {
            Some(o) => o,
            None => index_error(),
        }
    }
}

unsafe extern "C" fn list_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_list(b) {
            let n = crate::object::tname(b);
            return raise(
                &raw mut EXC_TypeError,
                &format!("can only concatenate list (not \"{n}\") to list"),
            );
        }
        let mut v = snapshot(a);
        v.extend(snapshot(b));
        from_vec(v)
    }
}

unsafe extern "C" fn list_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live list (slot contract).
    unsafe {
        let its = snapshot(a);
        let n = n.max(0) as usize;
        if its
            .len()
            .checked_mul(n)
            .is_none_or(|t| t > isize::MAX as usize / 8)
        {
            iters::release_all(its);
            return crate::pyerrors::no_memory();
        }
        let r = from_slice(&its.repeat(n));
        iters::release_all(its);
        r
    }
}

unsafe extern "C" fn list_ass_item(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live list (slot contract); `v` NULL (delete) or live.
    unsafe {
        if v.is_null() {
            // The index is checked under the lock: another thread may shrink the list
            // between a check made before it and the removal.
            let g = ListLock::new(op);
            if i < 0 || i >= len(op) {
                drop(g);
                raise(
                    &raw mut EXC_IndexError,
                    "list assignment index out of range",
                );
                return -1;
            }
            let removed = replace_range_locked(op, i as usize, i as usize + 1, Vec::new());
            drop(g);
            iters::release_all(removed.unwrap_or_default());
            return 0;
        }
        // The new reference is made before locking; the old one is dropped after.
        let v = new_ref(v);
        match set_locked(op, i, v) {
            Ok(old) => {
                xdecref(old);
                0
            }
            Err(()) => {
                decref(v);
                raise(
                    &raw mut EXC_IndexError,
                    "list assignment index out of range",
                );
                -1
            }
        }
    }
}

/// Stores owned `v` at `i` under the lock and returns the item it replaces (Err: out of
/// range, nothing stored).
unsafe fn set_locked(
    op: *mut PyObject,
    i: Py_ssize_t,
    v: *mut PyObject,
) -> Result<*mut PyObject, ()> {
    let _g = ListLock::new(op);
    // SAFETY: a live list, locked.
    unsafe {
        match items_mut(op).get_mut(usize::try_from(i).unwrap_or(usize::MAX)) {
            Some(slot) => Ok(std::mem::replace(slot, v)),
            None => Err(()),
        }
    }
}

unsafe extern "C" fn list_contains(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let mut i = 0;
        loop {
            let Some(o) = item_ref(op, i) else { return 0 };
            let r = iters::compare_bool(o, v, crate::object::Py_EQ);
            decref(o);
            if r != 0 {
                return r;
            }
            i += 1;
        }
    }
}

unsafe extern "C" fn list_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if extend(a, b) < 0 {
            return null_mut();
        }
        new_ref(a)
    }
}

unsafe extern "C" fn list_inplace_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live list (slot contract).
    unsafe {
        if n <= 0 {
            replace_range(a, 0, usize::MAX, Vec::new());
        } else if n > 1 {
            let its = snapshot(a);
            if its
                .len()
                .checked_mul(n as usize)
                .is_none_or(|t| t > isize::MAX as usize / 8)
            {
                iters::release_all(its);
                return crate::pyerrors::no_memory();
            }
            let extra: Vec<*mut PyObject> = its
                .repeat(n as usize - 1)
                .into_iter()
                .map(|o| new_ref(o))
                .collect();
            iters::release_all(its);
            if replace_range(a, usize::MAX, usize::MAX, extra) < 0 {
                return null_mut();
            }
        }
        new_ref(a)
    }
}

pub(crate) unsafe extern "C" fn list_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        // An exact int of at most two digits is its own index: what `subscript` would find.
        if crate::longobject::is_exact_int(key)
            && let Some(i) = crate::longobject::compact2(key)
        {
            let i = i as Py_ssize_t;
            return list_item(op, if i < 0 { i + len(op) } else { i });
        }
        match sl::subscript(key, len(op), "list") {
            Err(()) => null_mut(),
            Ok(Subscript::Index(i)) => list_item(op, i),
            Ok(Subscript::Slice(b, st, n)) => {
                let g = ListLock::new(op);
                let its = items(op);
                let v: Vec<*mut PyObject> = sl::positions(b, st, n)
                    .filter_map(|p| its.get(p).map(|&o| new_ref(o)))
                    .collect();
                drop(g);
                from_vec(v)
            }
        }
    }
}

unsafe extern "C" fn list_ass_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // As in CPython 3.14t, the whole operation runs in a critical section on the list, so an
    // index or slice is resolved against the length it applies to (gilgate's own list locks
    // inside go on under it).
    crate::critical_section::hold!(_g, op);
    // SAFETY: live objects (slot contract); `v` NULL for deletion.
    unsafe {
        match sl::subscript(key, len(op), "list") {
            Err(()) => -1,
            Ok(Subscript::Index(i)) => list_ass_item(op, i, v),
            Ok(Subscript::Slice(b, st, n)) => ass_slice(op, b, st, n, v),
        }
    }
}

/// `list[slice] = v` / `del list[slice]` for a resolved slice.
unsafe fn ass_slice(
    op: *mut PyObject,
    b: Py_ssize_t,
    st: Py_ssize_t,
    n: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: live objects; the slice was resolved against the current length.
    unsafe {
        let new = if v.is_null() {
            Vec::new()
        } else if v == op {
            snapshot(op)
        } else {
            match iters::collect(v) {
                Ok(x) => x,
                Err(()) => {
                    if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                        crate::pyerrors::clear();
                        raise(
                            &raw mut EXC_TypeError,
                            "must assign iterable to extended slice",
                        );
                    }
                    return -1;
                }
            }
        };
        if st == 1 {
            let lo = b as usize;
            let hi = (b + n).max(b) as usize;
            return replace_range(op, lo, hi, new);
        }
        if v.is_null() {
            // Delete every selected position, from the highest down.
            let mut pos: Vec<usize> = sl::positions(b, st, n).collect();
            pos.sort_unstable();
            let mut removed = Vec::with_capacity(pos.len());
            let g = ListLock::new(op);
            let its = items(op).to_vec();
            let keep: Vec<*mut PyObject> = its
                .iter()
                .enumerate()
                .filter_map(|(i, &o)| {
                    if pos.binary_search(&i).is_ok() {
                        removed.push(o);
                        None
                    } else {
                        Some(o)
                    }
                })
                .collect();
            let k = keep.len();
            let base = (*op.cast::<PyListObject>()).ob_item;
            for (i, o) in keep.into_iter().enumerate() {
                *base.add(i) = o;
            }
            resize(op, k as Py_ssize_t);
            drop(g);
            iters::release_all(removed);
            return 0;
        }
        if new.len() as Py_ssize_t != n {
            let m = new.len();
            iters::release_all(new);
            raise(
                &raw mut EXC_ValueError,
                &format!("attempt to assign sequence of size {m} to extended slice of size {n}"),
            );
            return -1;
        }
        let g = ListLock::new(op);
        let its = items_mut(op);
        let mut old = Vec::with_capacity(new.len());
        for (p, o) in sl::positions(b, st, n).zip(new) {
            // A position beyond a list that shrank meanwhile drops its new item.
            match its.get_mut(p) {
                Some(slot) => old.push(std::mem::replace(slot, o)),
                None => old.push(o),
            }
        }
        drop(g);
        iters::release_all(old);
        0
    }
}

/// `list.extend(iterable)`.
///
/// # Safety
/// `op` must be a live list and `it` a live object.
pub(crate) unsafe fn extend(op: *mut PyObject, it: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let new = if it == op {
            snapshot(op)
        } else {
            match iters::collect(it) {
                Ok(v) => v,
                Err(()) => return -1,
            }
        };
        replace_range(op, usize::MAX, usize::MAX, new)
    }
}

/// A stable merge sort; `less(x, y)` is 1 when y < x must move x after y (-1 on error).
fn merge_sort(v: Vec<usize>, gt: &mut dyn FnMut(usize, usize) -> c_int) -> Result<Vec<usize>, ()> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let mut right = v;
    let left = right.drain(..right.len() / 2).collect();
    let left = merge_sort(left, gt)?;
    let right = merge_sort(right, gt)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        // Take from the right only when right < left (keeps equal items in order).
        match gt(left[i], right[j]) {
            1 => {
                out.push(right[j]);
                j += 1;
            }
            0 => {
                out.push(left[i]);
                i += 1;
            }
            _ => return Err(()),
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

/// Sorts in place with `<` (a stable merge sort); `reverse` keeps stability as CPython.
unsafe fn sort(op: *mut PyObject, key: *mut PyObject, reverse: bool) -> c_int {
    // SAFETY: a live list; items are kept alive by the snapshot while comparing.
    unsafe {
        let mut vals = snapshot(op);
        let keys: Vec<*mut PyObject> = if key.is_null() || key == crate::object::none() {
            vals.iter().map(|&o| new_ref(o)).collect()
        } else {
            let mut ks = Vec::with_capacity(vals.len());
            for &o in &vals {
                let args = crate::tupleobject::from_slice(&[o]);
                let r = crate::abstract_::PyObject_Call(key, args, null_mut());
                decref(args);
                if r.is_null() {
                    iters::release_all(ks);
                    iters::release_all(vals);
                    return -1;
                }
                ks.push(r);
            }
            ks
        };
        if reverse {
            vals.reverse();
        }
        let kidx = |i: usize| if reverse { keys.len() - 1 - i } else { i };
        let order = merge_sort((0..vals.len()).collect(), &mut |x, y| {
            iters::compare_bool(keys[kidx(y)], keys[kidx(x)], crate::object::Py_LT)
        });
        let failed = order.is_err();
        let order = order.unwrap_or_default();
        iters::release_all(keys);
        if failed {
            iters::release_all(vals);
            return -1;
        }
        let mut sorted: Vec<*mut PyObject> = order.iter().map(|&i| vals[i]).collect();
        if reverse {
            sorted.reverse();
        }
        let r = replace_range(op, 0, usize::MAX, sorted);
        let _ = vals;
        r
    }
}

unsafe extern "C" fn list_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("list.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a list type, an argument tuple, NULL or a dict.
        unsafe {
            // The items come from `__init__` (CPython's `list.__init__`), so that a subclass's
            // own `__init__` decides them.
            let _ = (args, kw);
            crate::objimpl::alloc_object(t, 0)
        }
    })
}

/// `list.__init__(iterable=(), /)`: empties the list, then extends it.
unsafe extern "C" fn list_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    crate::ffi_guard::guard("list.__init__", -1, || {
        // SAFETY: tp_init contract: a list, an argument tuple, NULL or a dict.
        unsafe {
            let Some(a) = iters::ctor_args("list", args, kw, 1, false) else {
                return -1;
            };
            if len(op) != 0 && replace_range(op, 0, usize::MAX, Vec::new()) < 0 {
                return -1;
            }
            if !a.is_empty() && extend(op, a[0]) < 0 {
                return -1;
            }
            0
        }
    })
}

// ---- methods --------------------------------------------------------------------------------

unsafe extern "C" fn m_append(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list and object (method contract).
    unsafe {
        if append(op, v) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_extend(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: as above.
    unsafe {
        if extend(op, v) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe fn arg_count(name: &str, nargs: Py_ssize_t, lo: Py_ssize_t, hi: Py_ssize_t) -> bool {
    crate::getargs::check_positional(Some(name), nargs, lo, hi)
}

unsafe fn int_arg(o: *mut PyObject) -> Result<Py_ssize_t, ()> {
    // SAFETY: a live object.
    unsafe {
        match sl::index_value(o)? {
            Some(v) => Ok(v.clamp(Py_ssize_t::MIN as i128, Py_ssize_t::MAX as i128) as Py_ssize_t),
            None => {
                let n = crate::object::tname(o);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("'{n}' object cannot be interpreted as an integer"),
                );
                Err(())
            }
        }
    }
}

unsafe extern "C" fn m_insert(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a live list and `nargs` live arguments (method contract).
    unsafe {
        if !arg_count("insert", nargs, 2, 2) {
            return null_mut();
        }
        let Ok(i) = int_arg(*args) else {
            return null_mut();
        };
        if insert(op, i, *args.add(1)) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

/// `list.insert(i, v)` with Python's clamping.
///
/// # Safety
/// `op` must be a live list and `v` a live object.
pub(crate) unsafe fn insert(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    let _g = ListLock::new(op);
    // SAFETY: forwarded contract; the lock gives this thread the only access to the array.
    unsafe {
        let n = len(op);
        let mut i = i;
        if i < 0 {
            i = (i + n).max(0);
        }
        let i = i.min(n) as usize;
        if !resize(op, n + 1) {
            return -1;
        }
        let base = (*op.cast::<PyListObject>()).ob_item;
        std::ptr::copy(base.add(i), base.add(i + 1), n as usize - i);
        *base.add(i) = new_ref(v);
        0
    }
}

unsafe extern "C" fn m_pop(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: as m_insert.
    unsafe {
        if !arg_count("pop", nargs, 0, 1) {
            return null_mut();
        }
        let mut i = -1;
        if nargs == 1 {
            let Ok(v) = int_arg(*args) else {
                return null_mut();
            };
            i = v;
        }
        match pop_at(op, i) {
            Ok(v) => v,
            Err(msg) => raise(&raw mut EXC_IndexError, msg),
        }
    }
}

/// Removes item `i` (negative: from the end) under the lock and returns it (owned), or the
/// IndexError message.
unsafe fn pop_at(op: *mut PyObject, i: Py_ssize_t) -> Result<*mut PyObject, &'static str> {
    let _g = ListLock::new(op);
    // SAFETY: a live list, locked.
    unsafe {
        let n = len(op);
        if n == 0 {
            return Err("pop from empty list");
        }
        let i = if i < 0 { i + n } else { i };
        if i < 0 || i >= n {
            return Err("pop index out of range");
        }
        let base = (*op.cast::<PyListObject>()).ob_item;
        let v = *base.add(i as usize);
        std::ptr::copy(
            base.add(i as usize + 1),
            base.add(i as usize),
            (n - i - 1) as usize,
        );
        if !resize(op, n - 1) {
            // Shrinking keeps the array when memory runs out.
            crate::pyerrors::clear();
            (*op.cast::<PyVarObject>()).ob_size = n - 1;
        }
        Ok(v)
    }
}

unsafe fn find_index(
    op: *mut PyObject,
    v: *mut PyObject,
    lo: usize,
    hi: usize,
) -> Result<Option<usize>, ()> {
    // SAFETY: live objects.
    unsafe {
        let mut i = lo;
        while i < hi {
            let Some(o) = item_ref(op, i) else { break };
            let r = iters::compare_bool(o, v, crate::object::Py_EQ);
            decref(o);
            match r {
                1 => return Ok(Some(i)),
                0 => {}
                _ => return Err(()),
            }
            i += 1;
        }
        Ok(None)
    }
}

unsafe extern "C" fn m_remove(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        match find_index(op, v, 0, usize::MAX) {
            Err(()) => null_mut(),
            Ok(None) => raise(&raw mut EXC_ValueError, "list.remove(x): x not in list"),
            Ok(Some(i)) => {
                replace_range(op, i, i + 1, Vec::new());
                crate::object::new_none()
            }
        }
    }
}

unsafe extern "C" fn m_index(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: as m_insert.
    unsafe {
        if !arg_count("index", nargs, 1, 3) {
            return null_mut();
        }
        let n = len(op);
        let mut bounds = [0, n];
        for (k, b) in bounds.iter_mut().enumerate() {
            if nargs > k as Py_ssize_t + 1 {
                // clinic's slice-index converter (its text for None and non-integers)
                let mut v: Py_ssize_t = 0;
                if crate::ceval::_PyEval_SliceIndexNotNone(*args.add(k + 1), &mut v) == 0 {
                    return null_mut();
                }
                if v < 0 {
                    v = (v + n).max(0);
                }
                *b = v;
            }
        }
        match find_index(op, *args, bounds[0] as usize, bounds[1].max(0) as usize) {
            Err(()) => null_mut(),
            // CPython 3.14's text (3.11 showed the value's repr)
            Ok(None) => raise(&raw mut EXC_ValueError, "list.index(x): x not in list"),
            Ok(Some(i)) => crate::longobject::from_i128(i as i128),
        }
    }
}

unsafe extern "C" fn m_count(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let mut c = 0;
        let mut i = 0;
        while let Some(o) = item_ref(op, i) {
            let r = iters::compare_bool(o, v, crate::object::Py_EQ);
            decref(o);
            match r {
                1 => c += 1,
                0 => {}
                _ => return null_mut(),
            }
            i += 1;
        }
        crate::longobject::from_i128(c)
    }
}

unsafe extern "C" fn m_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (method contract).
    unsafe {
        replace_range(op, 0, usize::MAX, Vec::new());
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (method contract).
    unsafe { from_vec(snapshot(op)) }
}

unsafe extern "C" fn m_reverse(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list (method contract).
    unsafe {
        let _g = ListLock::new(op);
        items_mut(op).reverse();
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_sort(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live list; `nargs` positional then keyword values named by `kwnames`.
    unsafe {
        if nargs > 0 {
            return raise(
                &raw mut EXC_TypeError,
                "sort() takes no positional arguments",
            );
        }
        let mut key = null_mut();
        let mut reverse = false;
        if !kwnames.is_null() {
            for (k, &name) in crate::tupleobject::items(kwnames).iter().enumerate() {
                let v = *args.add(k);
                match crate::unicodeobject::as_str(name) {
                    Some("key") => key = v,
                    Some("reverse") => {
                        let t = crate::object::truth(v);
                        if t < 0 {
                            return null_mut();
                        }
                        reverse = t == 1;
                    }
                    other => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "sort() got an unexpected keyword argument '{}'",
                                other.unwrap_or("?")
                            ),
                        );
                    }
                }
            }
        }
        if sort(op, key, reverse) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

// ---- exported API ---------------------------------------------------------------------------

#[export]
pub fn PyList_New(n: Py_ssize_t) -> *mut PyObject {
    if n < 0 {
        return crate::pyerrors::bad_internal_call();
    }
    new_list(n)
}

#[export]
pub unsafe fn PyList_Size(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        len(op)
    }
}

/// Item `i` (borrowed) read without the lock, as an extension's `PyList_GET_ITEM` does: the
/// array, then the size, then the array again; when the array is still the same one, the size
/// read in between never exceeds its capacity (`resize_with`), and QSBR keeps it allocated
/// while this thread is attached. None when `i` is out of range.
///
/// # Safety
/// `op` must be a live list.
#[inline]
unsafe fn get_unlocked(op: *mut PyObject, i: Py_ssize_t) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract; see above for why the slot read stays inside the array.
    unsafe {
        // The owner first: its reads never need the mark (one compare, no load of the bits).
        if crate::refcount::tid(op).load(std::sync::atomic::Ordering::Relaxed)
            != crate::refcount::thread_id()
            && !is_shared(op)
        {
            mark_shared(op);
        }
        read_slot(op, i)
    }
}

/// The lock-free read of [`get_unlocked`] after its mark: array, size, array again.
///
/// # Safety
/// As [`get_unlocked`], with the list owned by this thread or marked shared.
#[inline(always)]
unsafe fn read_slot(op: *mut PyObject, i: Py_ssize_t) -> Option<*mut PyObject> {
    use std::sync::atomic::Ordering::Acquire;
    // SAFETY: forwarded contract; see `get_unlocked` for why the slot read stays inside the
    // array.
    unsafe {
        loop {
            let a = items_atomic(op).load(Acquire);
            let n = size_atomic(op).load(Acquire);
            if items_atomic(op).load(Acquire) != a {
                continue;
            }
            if i < 0 || i >= n || a.is_null() {
                return None;
            }
            return Some(std::sync::atomic::AtomicPtr::from_ptr(a.add(i as usize)).load(Acquire));
        }
    }
}

#[export]
pub unsafe fn PyList_GetItem(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        // The common case (a list read by its owner or already marked shared, `i` in range)
        // makes no call, so it needs no stack frame; everything else is out of line.
        if !op.is_null()
            && is_list(op)
            && {
                crate::refcount::tid(op).load(std::sync::atomic::Ordering::Relaxed)
                    == crate::refcount::thread_id()
                    || is_shared(op)
            }
            && let Some(o) = get_unlocked(op, i)
        {
            return o;
        }
        get_item_slow(op, i)
    }
}

/// `PyList_GetItem` outside its common case: not a list, a first read by a thread other than
/// the owner (which marks the list shared), or an index out of range.
///
/// # Safety
/// `op` NULL or live.
#[cold]
#[inline(never)]
unsafe fn get_item_slow(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !check_list(op) {
            return null_mut();
        }
        match get_unlocked(op, i) {
            Some(o) => o,
            None => index_error(),
        }
    }
}

#[export]
pub unsafe fn PyList_GetItemRef(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_list(op) {
            let n = if op.is_null() {
                "NULL".into()
            } else {
                crate::object::tname(op)
            };
            return raise(&raw mut EXC_TypeError, &format!("expected a list, got {n}"));
        }
        list_item(op, i)
    }
}

#[export]
pub unsafe fn PyList_SetItem(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live list and a stolen reference (NULL allowed), per the C API contract.
    unsafe {
        if op.is_null() || !is_list(op) {
            xdecref(v);
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        match set_locked(op, i, v) {
            Ok(old) => {
                xdecref(old);
                0
            }
            Err(()) => {
                xdecref(v);
                raise(
                    &raw mut EXC_IndexError,
                    "list assignment index out of range",
                );
                -1
            }
        }
    }
}

#[export]
pub unsafe fn PyList_Append(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check_list(op) || v.is_null() {
            if v.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            return -1;
        }
        append(op, v)
    }
}

#[export]
pub unsafe fn PyList_Insert(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check_list(op) || v.is_null() {
            if v.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            return -1;
        }
        insert(op, i, v)
    }
}

#[export]
pub unsafe fn PyList_GetSlice(op: *mut PyObject, lo: Py_ssize_t, hi: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live list, per the C API contract.
    unsafe {
        if !check_list(op) {
            return null_mut();
        }
        let g = ListLock::new(op);
        let its = items(op);
        let n = its.len() as Py_ssize_t;
        let lo = lo.clamp(0, n);
        let hi = hi.clamp(lo, n);
        let part: Vec<*mut PyObject> = its[lo as usize..hi as usize]
            .iter()
            .map(|&o| new_ref(o))
            .collect();
        drop(g);
        from_vec(part)
    }
}

#[export]
pub unsafe fn PyList_SetSlice(
    op: *mut PyObject,
    lo: Py_ssize_t,
    hi: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: a live list and NULL or a live object, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        let n = len(op);
        let lo = lo.clamp(0, n);
        let hi = hi.clamp(lo, n);
        ass_slice(op, lo, 1, hi - lo, v)
    }
}

#[export]
pub unsafe fn PyList_Sort(op: *mut PyObject) -> c_int {
    // SAFETY: a live list, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        sort(op, null_mut(), false)
    }
}

#[export]
pub unsafe fn PyList_Reverse(op: *mut PyObject) -> c_int {
    // SAFETY: a live list, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        let _g = ListLock::new(op);
        items_mut(op).reverse();
        0
    }
}

#[export]
pub unsafe fn PyList_AsTuple(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live list, per the C API contract.
    unsafe {
        if !check_list(op) {
            return null_mut();
        }
        let snap = snapshot(op);
        let t = crate::tupleobject::from_slice(&snap);
        iters::release_all(snap);
        t
    }
}

#[export]
pub unsafe fn PyList_Extend(op: *mut PyObject, it: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        extend(op, it)
    }
}

#[export]
pub unsafe fn PyList_Clear(op: *mut PyObject) -> c_int {
    // SAFETY: a live list, per the C API contract.
    unsafe {
        if !check_list(op) {
            return -1;
        }
        replace_range(op, 0, len(op) as usize, Vec::new())
    }
}

/// Silences the unused-import lint for the error type kept for future checks.
#[allow(dead_code)]
fn _unused() -> *mut PyTypeObject {
    &raw mut EXC_SystemError
}

/// `_PyList_Extend`: the pre-3.13 private spelling of `list.extend` (returns None or NULL).
/// CPython 3.14 still exports it but no longer declares it outside its own core headers.
#[export]
pub unsafe fn _PyList_Extend(op: *mut PyObject, it: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if PyList_Extend(op, it) < 0 {
            return null_mut();
        }
        crate::refcount::new_ref(crate::object::none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A list pointer that may cross threads (the list's own lock guards it).
    #[derive(Clone, Copy)]
    struct Shared(usize);

    impl Shared {
        fn get(self) -> *mut PyObject {
            self.0 as *mut PyObject
        }
    }

    #[test]
    fn concurrent_appends_and_pops_keep_every_item() {
        let l = Shared(new_list(0) as usize);
        let none = Shared(crate::object::none() as usize);
        let hs: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    // SAFETY: the list lives until every thread is joined; None is immortal.
                    unsafe {
                        let mut popped = 0;
                        for _ in 0..5000 {
                            assert_eq!(append(l.get(), none.get()), 0);
                            if t % 2 == 1 {
                                // Pop one item for each one appended (by anyone).
                                loop {
                                    if let Ok(v) = pop_at(l.get(), -1) {
                                        assert_eq!(v, none.get());
                                        decref(v);
                                        popped += 1;
                                        break;
                                    }
                                }
                            }
                        }
                        popped
                    }
                })
            })
            .collect();
        let popped: usize = hs.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(popped, 10000);
        // SAFETY: every thread is done; the list is ours.
        unsafe {
            assert_eq!(len(l.get()), 10000);
            assert!(items(l.get()).iter().all(|&o| o == none.get()));
            decref(l.get());
        }
    }

    #[test]
    fn a_critical_section_on_the_list_excludes_other_threads_but_not_its_holder() {
        let l = Shared(new_list(0) as usize);
        let none = Shared(crate::object::none() as usize);
        let mut cs = crate::critical_section::PyCriticalSection {
            _cs_prev: 0,
            _cs_mutex: null_mut(),
        };
        // SAFETY: a live list and a section on this thread's stack, ended below.
        unsafe {
            crate::critical_section::PyCriticalSection_Begin(&mut cs, l.get());
            // The holder's own list operations go through (no self-deadlock).
            assert_eq!(append(l.get(), none.get()), 0);
            let snap = snapshot(l.get());
            assert_eq!(snap.len(), 1);
            iters::release_all(snap);
        }
        let started = std::sync::Arc::new(AtomicBool::new(false));
        let s2 = started.clone();
        let h = std::thread::spawn(move || {
            s2.store(true, Ordering::Release);
            // SAFETY: the list outlives the thread.
            unsafe { append(l.get(), none.get()) }
        });
        while !started.load(Ordering::Acquire) {
            std::thread::yield_now();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        // SAFETY: the list is live.
        unsafe {
            assert_eq!(
                len(l.get()),
                1,
                "another thread appended inside the section"
            );
            crate::critical_section::PyCriticalSection_End(&mut cs);
        }
        assert_eq!(h.join().unwrap(), 0);
        // SAFETY: the list is ours again.
        unsafe {
            assert_eq!(len(l.get()), 2);
            decref(l.get());
        }
    }
}
