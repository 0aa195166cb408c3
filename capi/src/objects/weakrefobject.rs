//! `weakrefobject.h`: weak references (`_PyWeakref_RefType`, 88 bytes as in 3.14t), a minimal
//! proxy type, and clearing them when the referent dies (`PyObject_ClearWeakRefs`).
//!
//! Each referent's list head lives at its type's `tp_weaklistoffset` (or the managed slot in
//! the pre-header). A ref does not own its referent; `wr_object` becomes `None` when the
//! referent is cleared. Callbacks run once, after every ref of the referent is cleared.

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

unsafe fn is_weakref(op: *mut PyObject) -> bool {
    // SAFETY: `op` is a live object (caller contract).
    unsafe {
        type_check(op, &raw mut _PyWeakref_RefType)
            || ty(op) == &raw mut _PyWeakref_ProxyType
            || ty(op) == &raw mut _PyWeakref_CallableProxyType
    }
}

/// The live referent of a weak reference, or NULL when it is gone (borrowed).
unsafe fn referent(r: *mut PyObject) -> *mut PyObject {
    // SAFETY: `r` is a live weak reference (caller contract).
    unsafe {
        let o = (*r.cast::<PyWeakReference>()).wr_object;
        if o.is_null() || o == none() || crate::refcount::refcnt(o) == 0 {
            null_mut()
        } else {
            o
        }
    }
}

/// Takes `r` out of its referent's list.
unsafe fn unlink(r: *mut PyWeakReference) {
    // SAFETY: `r` is a live weak reference whose referent is still alive.
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
        (*r).wr_object = none();
    }
}

unsafe extern "C" fn weakref_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead weak reference (slot contract).
    unsafe {
        let r = op.cast::<PyWeakReference>();
        unlink(r);
        let cb = (*r).wr_callback;
        (*r).wr_callback = null_mut();
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
        uni::from_str(&format!(
            "<weakref at {op:p}; to '{}' at {o:p}>",
            type_display_name(ty(o))
        ))
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
        if o.is_null() { new_none() } else { new_ref(o) }
    }
}

unsafe extern "C" fn weakref_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live weak reference (slot contract).
    unsafe {
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
        (*r).hash = h;
        h
    }
}

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
        getattr(o, name)
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
        setattr(o, name, v)
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
        crate::object::call(o, args, kw)
    }
}

/// Creates a weak reference (or proxy) of type `rt` to `ob`.
unsafe fn new_weak(
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
        let first = (*head).cast::<PyWeakReference>();
        if callback.is_null()
            && !first.is_null()
            && ty(first.cast()) == rt
            && (*first).wr_callback.is_null()
        {
            return new_ref(first.cast());
        }
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
        let mut pending: Vec<(*mut PyObject, *mut PyObject)> = Vec::new();
        while !(*head).is_null() {
            let r = (*head).cast::<PyWeakReference>();
            unlink(r);
            let cb = (*r).wr_callback;
            (*r).wr_callback = null_mut();
            if !cb.is_null() && crate::refcount::refcnt(r.cast()) > 0 {
                pending.push((new_ref(r.cast()), cb));
            } else {
                xdecref(cb);
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
        if o.is_null() {
            *pobj = null_mut();
            0
        } else {
            *pobj = new_ref(o);
            1
        }
    }
}

#[export]
pub unsafe fn PyWeakref_GetObject(r: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe {
        if r.is_null() || !is_weakref(r) {
            return crate::pyerrors::bad_internal_call();
        }
        let o = referent(r);
        if o.is_null() { none() } else { o }
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
        c_int::from(referent(r).is_null())
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
        let mut n = 0;
        let mut r = (*head).cast::<PyWeakReference>();
        while !r.is_null() {
            n += 1;
            r = (*r).wr_next;
        }
        n
    }
}
