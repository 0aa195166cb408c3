//! `enumerate` and `reversed` (CPython's `Objects/enumobject.c`), and the object layout the
//! lazy builtin iterators share (`map`, `filter` and `zip` are in `modules/bltinmodule.rs`).

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type, tname, ty};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::ptr::null_mut;

/// The state of a lazy builtin iterator: `it` the source iterator (or a tuple of them),
/// `func` a callable (or NULL), `count` enumerate's next index, `index` reversed's next
/// position, `strict` zip/map's flag.
#[repr(C)]
pub(crate) struct LazyIter {
    pub ob_base: PyObject,
    pub it: *mut PyObject,
    pub func: *mut PyObject,
    pub count: *mut PyObject,
    pub index: Py_ssize_t,
    pub strict: Py_ssize_t,
}

unsafe extern "C" fn lazy_dealloc(op: *mut PyObject) {
    // SAFETY: a dead lazy iterator (slot contract); its fields are owned or NULL.
    unsafe {
        let p = op.cast::<LazyIter>();
        xdecref((*p).it);
        xdecref((*p).func);
        xdecref((*p).count);
        crate::objimpl::default_dealloc(op);
    }
}

/// A static lazy-iterator type.
pub(crate) const fn lazy_type(
    name: &'static std::ffi::CStr,
    new: crate::object::newfunc,
    next: unsafe extern "C" fn(*mut PyObject) -> *mut PyObject,
) -> PyTypeObject {
    PyTypeObject {
        tp_dealloc: Some(lazy_dealloc),
        tp_iter: Some(crate::iterobject::self_iter),
        tp_iternext: Some(next),
        tp_new: new,
        ..static_type(
            name,
            std::mem::size_of::<LazyIter>(),
            0,
            crate::object::Py_TPFLAGS_BASETYPE,
        )
    }
}

/// A new instance of `t` with the given (owned) fields.
///
/// # Safety
/// `t` is a ready lazy-iterator type.
pub(crate) unsafe fn new_lazy(
    t: *mut PyTypeObject,
    it: *mut PyObject,
    func: *mut PyObject,
    count: *mut PyObject,
    index: Py_ssize_t,
    strict: bool,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let o = crate::longobject::alloc_instance(t, 0);
        if o.is_null() {
            xdecref(it);
            xdecref(func);
            xdecref(count);
            return o;
        }
        let p = o.cast::<LazyIter>();
        (*p).it = it;
        (*p).func = func;
        (*p).count = count;
        (*p).index = index;
        (*p).strict = Py_ssize_t::from(strict);
        o
    }
}

/// The positional arguments and the keyword dict (NULL when empty) of a tp_new call.
///
/// # Safety
/// `args` a tuple or NULL, `kw` a dict or NULL.
pub(crate) unsafe fn new_args<'a>(
    args: *mut PyObject,
    kw: *mut PyObject,
) -> (&'a [*mut PyObject], Vec<(String, *mut PyObject)>) {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = if args.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(args)
        };
        let kws = if kw.is_null() {
            Vec::new()
        } else {
            crate::dictobject::entries(kw)
                .into_iter()
                .map(|(k, v)| (crate::unicodeobject::as_str(k).unwrap_or("").to_string(), v))
                .collect()
        };
        (pos, kws)
    }
}

unsafe extern "C" fn enum_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("enumerate.__new__", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let (pos, kws) = new_args(args, kw);
            let total = pos.len() + kws.len();
            if total > 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("enumerate() takes at most 2 arguments ({total} given)"),
                );
            }
            let mut a = [null_mut(); 2];
            a[..pos.len()].copy_from_slice(pos);
            for (k, v) in kws {
                match k.as_str() {
                    "iterable" if a[0].is_null() => a[0] = v,
                    "start" if a[1].is_null() => a[1] = v,
                    _ => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("'{k}' is an invalid keyword argument for enumerate()"),
                        );
                    }
                }
            }
            if a[0].is_null() {
                return raise(
                    &raw mut EXC_TypeError,
                    "enumerate() missing required argument 'iterable'",
                );
            }
            let start = if a[1].is_null() {
                crate::longobject::from_i128(0)
            } else {
                let s = crate::longobject::index(a[1]);
                if s.is_null() {
                    return s;
                }
                s
            };
            let it = crate::abstract_::PyObject_GetIter(a[0]);
            if it.is_null() {
                decref(start);
                return it;
            }
            new_lazy(t, it, null_mut(), start, 0, false)
        }
    })
}

unsafe extern "C" fn enum_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("enumerate.__next__", null_mut(), || {
        // SAFETY: a live enumerate object (slot contract).
        unsafe {
            let p = op.cast::<LazyIter>();
            let item = crate::abstract_::PyIter_Next((*p).it);
            if item.is_null() {
                return item;
            }
            let one = crate::longobject::from_i128(1);
            let next = crate::abstract_::PyNumber_Add((*p).count, one);
            decref(one);
            if next.is_null() {
                decref(item);
                return next;
            }
            let idx = std::mem::replace(&mut (*p).count, next);
            crate::bytes_methods::own_tuple(&[idx, item])
        }
    })
}

unsafe extern "C" fn reversed_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("reversed.__new__", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let (pos, kws) = new_args(args, kw);
            if !kws.is_empty() {
                return raise(
                    &raw mut EXC_TypeError,
                    "reversed() takes no keyword arguments",
                );
            }
            if !crate::unicodeobject::methods::nargs("reversed", pos.len() as Py_ssize_t, 1, 1) {
                return null_mut();
            }
            let seq = pos[0];
            let name = crate::unicodeobject::intern("__reversed__");
            let f = crate::object::type_lookup(ty(seq), name);
            if f == crate::object::none() {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("'{}' object is not reversible", tname(seq)),
                );
            }
            if !f.is_null() {
                let m = crate::object::PyObject_GetAttr(seq, name);
                if m.is_null() {
                    return m;
                }
                let r = crate::abstract_::call_args(m, &[]);
                decref(m);
                return r;
            }
            let sq = (*ty(seq)).tp_as_sequence;
            let is_seq = !sq.is_null()
                && (*sq).sq_item.is_some()
                && !crate::dictobject::is_dict(seq)
                && !crate::setobject::is_anyset(seq);
            if !is_seq {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("'{}' object is not reversible", tname(seq)),
                );
            }
            let n = crate::abstract_::PySequence_Size(seq);
            if n < 0 {
                return null_mut();
            }
            new_lazy(t, new_ref(seq), null_mut(), null_mut(), n - 1, false)
        }
    })
}

unsafe extern "C" fn reversed_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("reversed.__next__", null_mut(), || {
        // SAFETY: a live reversed object (slot contract).
        unsafe {
            let p = op.cast::<LazyIter>();
            if (*p).index < 0 || (*p).it.is_null() {
                return null_mut();
            }
            let item = crate::abstract_::PySequence_GetItem((*p).it, (*p).index);
            (*p).index -= 1;
            if item.is_null() {
                if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_IndexError)
                    || crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_StopIteration)
                {
                    crate::pyerrors::clear();
                }
                (*p).index = -1;
                let s = std::mem::replace(&mut (*p).it, null_mut());
                decref(s);
                return null_mut();
            }
            item
        }
    })
}

#[export]
#[allow(unreachable_pub)] // exported by name (no_mangle)
pub static mut PyEnum_Type: PyTypeObject = lazy_type(c"enumerate", Some(enum_new), enum_next);

#[export]
#[allow(unreachable_pub)] // exported by name (no_mangle)
pub static mut PyReversed_Type: PyTypeObject =
    lazy_type(c"reversed", Some(reversed_new), reversed_next);
