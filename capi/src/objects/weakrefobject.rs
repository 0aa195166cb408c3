//! `weakrefobject.h`: weak references (`_PyWeakref_RefType`, 88 bytes as in 3.14t), a minimal
//! proxy type, and clearing them when the referent dies (`PyObject_ClearWeakRefs`).
//!
//! Each referent's list head lives at its type's `tp_weaklistoffset` (or the managed slot in
//! the pre-header). A ref does not own its referent; `wr_object` becomes `None` when the
//! referent is cleared. Callbacks run once, after every ref of the referent is cleared.
//!
//! Threads (CPython 3.14t's scheme): the list head, the links and `wr_object` are changed only
//! under one of 127 striped mutexes chosen by the referent's address (`weakrefs_lock` of each
//! ref points at its referent's), locked without detaching and held only around pointer
//! surgery. The referent's deallocation clears its refs under that mutex before its memory
//! goes, so a reader that finds `wr_object` set under the mutex reads valid memory, and takes
//! its reference with a try-incref that fails once the count reached zero (never reviving a
//! dying object). Creating a ref sets `_Py_REF_MAYBE_WEAKREF` on the referent (and the ref),
//! so the owner's last decref merges instead of freeing under a racing try-incref.

use crate::export;
use crate::object::*;
use crate::pyerrors::{EXC_ReferenceError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::c_int;
use std::ptr::null_mut;

/// `PyWeakReference` (88 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyWeakReference {
    pub ob_base: PyObject,
    pub wr_object: *mut PyObject,
    pub wr_callback: *mut PyObject,
    pub hash: Py_hash_t,
    pub wr_prev: *mut PyWeakReference,
    pub wr_next: *mut PyWeakReference,
    pub vectorcall: vectorcallfunc,
    pub weakrefs_lock: *mut PyMutex,
}

const _: () = assert!(std::mem::size_of::<PyWeakReference>() == 88);

#[export]
pub static mut _PyWeakref_RefType: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(weakref_repr),
    tp_call: Some(weakref_call),
    tp_hash: Some(weakref_hash),
    tp_new: Some(weakref_new),
    tp_init: Some(weakref_init),
    tp_richcompare: Some(weakref_richcompare),
    tp_getset: (&raw mut WEAKREF_GETSET).cast(),
    ..static_type(
        c"weakref.ReferenceType",
        std::mem::size_of::<PyWeakReference>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

#[export]
pub static mut _PyWeakref_ProxyType: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(proxy_repr),
    tp_getattro: Some(proxy_getattro),
    tp_setattro: Some(proxy_setattro),
    ..static_type(
        c"weakref.ProxyType",
        std::mem::size_of::<PyWeakReference>(),
        0,
        0,
    )
};

#[export]
pub static mut _PyWeakref_CallableProxyType: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(proxy_repr),
    tp_getattro: Some(proxy_getattro),
    tp_setattro: Some(proxy_setattro),
    tp_call: Some(proxy_call),
    ..static_type(
        c"weakref.CallableProxyType",
        std::mem::size_of::<PyWeakReference>(),
        0,
        0,
    )
};

/// `NUM_WEAKREF_LIST_LOCKS`.
const NUM_LOCKS: usize = 127;

/// The striped weak reference list mutexes (each a `PyMutex` byte).
static LOCKS: [std::sync::atomic::AtomicU8; NUM_LOCKS] =
    [const { std::sync::atomic::AtomicU8::new(0) }; NUM_LOCKS];

/// `WEAKREF_LIST_LOCK(obj)`: the mutex of `obj`'s list (only its address is used).
fn lock_of(obj: *mut PyObject) -> *mut PyMutex {
    (&raw const LOCKS[obj as usize % NUM_LOCKS])
        .cast_mut()
        .cast()
}

/// A held weak reference list mutex (`_Py_LOCK_DONT_DETACH`: held only around pointer work
/// that never waits, so no section needs suspending).
struct ListLock(*mut PyMutex);

impl ListLock {
    fn new(m: *mut PyMutex) -> ListLock {
        if !crate::lock::lock_fast(m) {
            crate::lock::lock_slow(m, -1, false);
        }
        ListLock(m)
    }
}

impl Drop for ListLock {
    fn drop(&mut self) {
        crate::lock::unlock(self.0);
    }
}

/// `wr_object` as an atomic (written under the list mutex, read without it first).
///
/// # Safety
/// `r` must be a live weak reference.
unsafe fn wr_object<'a>(r: *mut PyWeakReference) -> &'a std::sync::atomic::AtomicPtr<PyObject> {
    // SAFETY: forwarded contract; an aligned pointer field.
    unsafe { std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*r).wr_object) }
}

pub(crate) unsafe fn is_weakref(op: *mut PyObject) -> bool {
    // SAFETY: `op` is a live object (caller contract).
    unsafe {
        type_check(op, &raw mut _PyWeakref_RefType)
            || ty(op) == &raw mut _PyWeakref_ProxyType
            || ty(op) == &raw mut _PyWeakref_CallableProxyType
    }
}

/// `_PyWeakref_GET_REF`: a new reference to the live referent, or NULL when it is gone or
/// dying (its count reached zero: the try-incref fails rather than reviving it).
///
/// # Safety
/// `r` must be a live weak reference.
pub(crate) unsafe fn referent(r: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let r = r.cast::<PyWeakReference>();
        let o = wr_object(r).load(std::sync::atomic::Ordering::Acquire);
        if o.is_null() || o == none() {
            return null_mut();
        }
        let _g = ListLock::new(lock_of(o));
        // Cleared meanwhile? (Under the mutex `wr_object` only goes from `o` to None, and the
        // referent's memory is valid while it is still `o`.)
        if wr_object(r).load(std::sync::atomic::Ordering::Relaxed) != o {
            return null_mut();
        }
        if crate::object::extra::try_incref(o) {
            o
        } else {
            null_mut()
        }
    }
}

/// `_PyWeakref_IS_DEAD`: cleared, or the referent's count reached zero (merged, none left).
///
/// # Safety
/// `r` must be a live weak reference.
unsafe fn is_dead(r: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let r = r.cast::<PyWeakReference>();
        let o = wr_object(r).load(std::sync::atomic::Ordering::Acquire);
        if o.is_null() || o == none() {
            return true;
        }
        let _g = ListLock::new(lock_of(o));
        wr_object(r).load(std::sync::atomic::Ordering::Relaxed) != o
            || crate::refcount::shared(o).load(std::sync::atomic::Ordering::Relaxed)
                == crate::object::_Py_REF_MERGED
    }
}

/// Takes `r` out of its referent's list (the list mutex of the referent held).
unsafe fn unlink(r: *mut PyWeakReference) {
    // SAFETY: `r` is a live weak reference whose referent's memory is valid (it is cleared
    // under the same mutex before it goes).
    unsafe {
        let o = (*r).wr_object;
        if o.is_null() || o == none() {
            return;
        }
        if let Some(head) = weaklist_ptr(o)
            && *head == r.cast()
        {
            *head = (*r).wr_next.cast();
        }
        if !(*r).wr_prev.is_null() {
            (*(*r).wr_prev).wr_next = (*r).wr_next;
        }
        if !(*r).wr_next.is_null() {
            (*(*r).wr_next).wr_prev = (*r).wr_prev;
        }
        (*r).wr_prev = null_mut();
        (*r).wr_next = null_mut();
        wr_object(r).store(none(), std::sync::atomic::Ordering::Release);
    }
}

unsafe extern "C" fn weakref_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead weak reference (slot contract).
    unsafe {
        let r = op.cast::<PyWeakReference>();
        let cb = {
            let m = (*r).weakrefs_lock;
            let _g = (!m.is_null()).then(|| ListLock::new(m));
            unlink(r);
            std::mem::replace(&mut (*r).wr_callback, null_mut())
        };
        xdecref(cb);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn weakref_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live weak reference (slot contract).
    unsafe {
        let o = referent(op);
        if o.is_null() {
            return uni::from_str(&format!("<weakref at {op:p}; dead>"));
        }
        let r = uni::from_str(&format!(
            "<weakref at {op:p}; to '{}' at {o:p}>",
            type_display_name(ty(o))
        ));
        decref(o);
        r
    }
}

unsafe extern "C" fn weakref_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let n = if args.is_null() {
            0
        } else {
            crate::tupleobject::items(args).len()
        };
        let nk = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw)
        };
        if n != 0 || nk != 0 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("weakref() takes no arguments ({n} given)"),
            );
        }
        let o = referent(op);
        if o.is_null() { new_none() } else { o }
    }
}

unsafe extern "C" fn weakref_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live weak reference (slot contract).
    unsafe {
        // Under the ref's own section, as CPython's (the cached hash is written once).
        crate::critical_section::hold!(_g, op);
        let r = op.cast::<PyWeakReference>();
        if (*r).hash != -1 {
            return (*r).hash;
        }
        let o = referent(op);
        if o.is_null() {
            raise(&raw mut EXC_TypeError, "weak object has gone away");
            return -1;
        }
        let h = hash(o);
        decref(o);
        (*r).hash = h;
        h
    }
}

/// A new reference to a proxy's live referent, or NULL with `ReferenceError`.
unsafe fn proxy_target(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live proxy.
    let o = unsafe { referent(op) };
    if o.is_null() {
        raise(
            &raw mut EXC_ReferenceError,
            "weakly-referenced object no longer exists",
        );
    }
    o
}

unsafe extern "C" fn proxy_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live proxy (slot contract).
    unsafe {
        let o = referent(op);
        let (tn, p) = if o.is_null() {
            ("NoneType".to_string(), null_mut())
        } else {
            (type_name(ty(o)), o)
        };
        crate::refcount::xdecref(o);
        uni::from_str(&format!("<weakproxy at {op:p}; to '{tn}' at {p:p}>"))
    }
}

unsafe extern "C" fn proxy_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let o = proxy_target(op);
        if o.is_null() {
            return null_mut();
        }
        let r = getattr(o, name);
        decref(o);
        r
    }
}

unsafe extern "C" fn proxy_setattro(
    op: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: slot contract.
    unsafe {
        let o = proxy_target(op);
        if o.is_null() {
            return -1;
        }
        let r = setattr(o, name, v);
        decref(o);
        r
    }
}

unsafe extern "C" fn proxy_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let o = proxy_target(op);
        if o.is_null() {
            return null_mut();
        }
        let r = crate::object::call(o, args, kw);
        decref(o);
        r
    }
}

/// Creates a weak reference (or proxy) of type `rt` to `ob`.
pub(crate) unsafe fn new_weak(
    ob: *mut PyObject,
    callback: *mut PyObject,
    rt: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: `ob` is a live object, callback NULL or live (caller contract).
    unsafe {
        let Some(head) = weaklist_ptr(ob) else {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "cannot create weak reference to '{:.200}' object",
                    type_name(ty(ob))
                ),
            );
        };
        let callback = if callback == none() {
            null_mut()
        } else {
            callback
        };
        let m = lock_of(ob);
        let _g = ListLock::new(m);
        let first = (*head).cast::<PyWeakReference>();
        if callback.is_null()
            && !first.is_null()
            && ty(first.cast()) == rt
            && (*first).wr_callback.is_null()
            // the first ref may be in its deallocation on another thread
            && crate::object::extra::try_incref(first.cast())
        {
            return first.cast();
        }
        // (allocating only takes memory: nothing here waits while the mutex is held)
        let op = crate::objimpl::alloc_object(rt, 0);
        if op.is_null() {
            return op;
        }
        let r = op.cast::<PyWeakReference>();
        (*r).wr_object = ob;
        (*r).wr_callback = if callback.is_null() {
            null_mut()
        } else {
            new_ref(callback)
        };
        (*r).hash = -1;
        (*r).weakrefs_lock = m;
        crate::object::extra::set_maybe_weakref(ob);
        crate::object::extra::set_maybe_weakref(op);
        // Plain refs without callback stay first so they can be shared.
        let head_ref = *head as *mut PyWeakReference;
        if callback.is_null() || head_ref.is_null() {
            (*r).wr_next = head_ref;
            if !head_ref.is_null() {
                (*head_ref).wr_prev = r;
            }
            *head = op;
        } else {
            (*r).wr_prev = head_ref;
            (*r).wr_next = (*head_ref).wr_next;
            if !(*head_ref).wr_next.is_null() {
                (*(*head_ref).wr_next).wr_prev = r;
            }
            (*head_ref).wr_next = r;
        }
        op
    }
}

/// `ref(ob, callback=None, /)` (and its subclasses).
unsafe extern "C" fn weakref_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: a ref type, an argument tuple.
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            let msg = if a.is_empty() {
                "__new__ expected at least 1 argument, got 0".to_string()
            } else {
                format!("__new__ expected at most 2 arguments, got {}", a.len())
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let cb = a.get(1).copied().unwrap_or(null_mut());
        new_weak(a[0], cb, t)
    }
}

/// `ref.__init__`: the arguments were taken by `__new__`.
unsafe extern "C" fn weakref_init(
    _op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> c_int {
    0
}

/// `==`/`!=` of two refs: their referents' comparison while both live, else identity.
unsafe extern "C" fn weakref_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if (op != Py_EQ && op != Py_NE) || !type_check(b, &raw mut _PyWeakref_RefType) {
            return crate::longobject::not_implemented();
        }
        let x = referent(a);
        let y = referent(b);
        if x.is_null() || y.is_null() {
            xdecref(x);
            xdecref(y);
            return crate::boolobject::from_bool((a == b) == (op == Py_EQ));
        }
        let r = crate::abstract_::rich_compare(x, y, op);
        decref(x);
        decref(y);
        r
    }
}

unsafe extern "C" fn weakref_callback(
    op: *mut PyObject,
    _: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: a live weak reference (getter contract).
    unsafe {
        let cb = (*op.cast::<PyWeakReference>()).wr_callback;
        if cb.is_null() {
            new_none()
        } else {
            new_ref(cb)
        }
    }
}

static mut WEAKREF_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"__callback__".as_ptr(),
        get: Some(weakref_callback),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

/// Every weak reference and proxy to `ob` still alive (new references), first to last.
///
/// # Safety
/// `ob` must be a live object.
pub(crate) unsafe fn refs_of(ob: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: forwarded contract; the list is walked under its mutex.
    unsafe {
        let Some(head) = weaklist_ptr(ob) else {
            return Vec::new();
        };
        let _g = ListLock::new(lock_of(ob));
        let mut out = Vec::new();
        let mut r = (*head).cast::<PyWeakReference>();
        while !r.is_null() {
            if crate::object::extra::try_incref(r.cast()) {
                out.push(r.cast());
            }
            r = (*r).wr_next;
        }
        out
    }
}

/// A new reference to the first weak reference to `ob` (its `__weakref__`), NULL when there
/// is none or it is being deallocated.
///
/// # Safety
/// `ob` must be a live object.
pub(crate) unsafe fn first_ref(ob: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the list is read under its mutex.
    unsafe {
        let Some(head) = weaklist_ptr(ob) else {
            return null_mut();
        };
        let _g = ListLock::new(lock_of(ob));
        let first = *head;
        if !first.is_null() && crate::object::extra::try_incref(first) {
            first
        } else {
            null_mut()
        }
    }
}

/// `PyObject_ClearWeakRefs`: clears every weak reference to `ob`, then calls their callbacks
/// (each once) with the dead reference.
///
/// # Safety
/// `ob` must be an object being deallocated (or otherwise valid).
pub(crate) unsafe fn clear_weakrefs(ob: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(head) = weaklist_ptr(ob) else {
            return;
        };
        // No ref can be made to an object nobody holds, so an empty list stays empty.
        if std::sync::atomic::AtomicPtr::from_ptr(head)
            .load(std::sync::atomic::Ordering::Acquire)
            .is_null()
        {
            return;
        }
        let m = lock_of(ob);
        let mut pending: Vec<(*mut PyObject, *mut PyObject)> = Vec::new();
        loop {
            let (done, drop_cb) = {
                let _g = ListLock::new(m);
                let r = (*head).cast::<PyWeakReference>();
                if r.is_null() {
                    break;
                }
                unlink(r);
                let cb = std::mem::replace(&mut (*r).wr_callback, null_mut());
                // A ref whose own count reached zero (its dealloc waits for this mutex) gets
                // no callback call.
                if !cb.is_null() && crate::object::extra::try_incref(r.cast()) {
                    pending.push((r.cast(), cb));
                    ((*head).is_null(), null_mut())
                } else {
                    ((*head).is_null(), cb)
                }
            };
            xdecref(drop_cb);
            if done {
                break;
            }
        }
        for (r, cb) in pending {
            let args = crate::tupleobject::from_slice(&[r]);
            if !args.is_null() {
                let saved = crate::pyerrors::take_raised();
                let res = crate::object::call(cb, args, null_mut());
                if res.is_null() {
                    crate::pyerrors::clear();
                } else {
                    decref(res);
                }
                crate::pyerrors::restore_raised(saved);
                decref(args);
            }
            decref(cb);
            decref(r);
        }
    }
}

#[export]
pub unsafe fn PyObject_ClearWeakRefs(ob: *mut PyObject) {
    // SAFETY: per the C API contract.
    unsafe { clear_weakrefs(ob) }
}

#[export]
pub unsafe fn PyWeakref_NewRef(ob: *mut PyObject, callback: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { new_weak(ob, callback, &raw mut _PyWeakref_RefType) }
}

#[export]
pub unsafe fn PyWeakref_NewProxy(ob: *mut PyObject, callback: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        let rt = if (*ty(ob)).tp_call.is_some() {
            &raw mut _PyWeakref_CallableProxyType
        } else {
            &raw mut _PyWeakref_ProxyType
        };
        new_weak(ob, callback, rt)
    }
}

#[export]
pub unsafe fn PyWeakref_GetRef(r: *mut PyObject, pobj: *mut *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if r.is_null() || !is_weakref(r) {
            *pobj = null_mut();
            raise(&raw mut EXC_TypeError, "expected a weakref");
            return -1;
        }
        let o = referent(r);
        *pobj = o;
        c_int::from(!o.is_null())
    }
}

#[export]
pub unsafe fn PyWeakref_GetObject(r: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if r.is_null() || !is_weakref(r) {
            return crate::pyerrors::bad_internal_call();
        }
        // Borrowed, as CPython's (documented unsafe when another thread may drop the
        // referent): the reference taken safely is released at once.
        let o = referent(r);
        if o.is_null() {
            return none();
        }
        decref(o);
        o
    }
}

#[export]
pub unsafe fn PyWeakref_IsDead(r: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if r.is_null() || !is_weakref(r) {
            raise(
                &raw mut EXC_TypeError,
                &format!("expected a weakref, got {}", type_name(ty(r))),
            );
            return -1;
        }
        c_int::from(is_dead(r))
    }
}

/// Number of weak references currently pointing at `ob` (for tests).
///
/// # Safety
/// `ob` must be a live object.
pub unsafe fn weakref_count(ob: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(head) = weaklist_ptr(ob) else {
            return 0;
        };
        let _g = ListLock::new(lock_of(ob));
        let mut n = 0;
        let mut r = (*head).cast::<PyWeakReference>();
        while !r.is_null() {
            n += 1;
            r = (*r).wr_next;
        }
        n
    }
}
