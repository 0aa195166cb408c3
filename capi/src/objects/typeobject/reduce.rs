//! `object.__reduce_ex__`, `object.__reduce__` and `object.__getstate__` (in CPython's
//! `Objects/typeobject.c`): the default pickling protocol every object inherits. Protocols 0
//! and 1 go through `copyreg._reduce_ex` (returning `copyreg._reconstructor`), protocol 2 and
//! later build `(copyreg.__newobj__, (cls, *args), state, listitems, dictitems)` (or
//! `__newobj_ex__` when `__getnewargs_ex__` gives keyword arguments). `copyreg` is gilgate's
//! native module (`modules/copyreg.rs`), looked up by attribute as CPython does, so a patched
//! `copyreg` is honoured.

use crate::object::*;
use crate::pyerrors::{EXC_RuntimeError, EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ptr::null_mut;

/// `getattr(copyreg, name)` (new reference or NULL with an exception).
///
/// # Safety
/// Must run attached.
pub(crate) unsafe fn copyreg_attr(name: &str) -> *mut PyObject {
    let m = crate::runtime::import::import_module("copyreg");
    if m.is_null() {
        return m;
    }
    // SAFETY: `m` is a live module and the name an immortal str.
    unsafe {
        let r = getattr(m, uni::intern(name));
        decref(m);
        r
    }
}

/// A special method looked up on the type and bound to `op` (CPython's
/// `lookup_maybe_method`): `Ok(NULL)` when the type has none.
///
/// # Safety
/// `op` must be a live object.
unsafe fn special_method(op: *mut PyObject, name: &str) -> Result<*mut PyObject, ()> {
    // SAFETY: forwarded contract; the descriptor is a new reference we release.
    unsafe {
        let t = ty(op);
        let descr = type_lookup_ref(t, uni::intern(name));
        if descr.is_null() {
            return Ok(null_mut());
        }
        let Some(get) = (*ty(descr)).tp_descr_get else {
            return Ok(descr);
        };
        let bound = crate::extcall::ternary(get, descr, op, t.cast());
        decref(descr);
        if bound.is_null() { Err(()) } else { Ok(bound) }
    }
}

/// `op.__getnewargs_ex__()` or `op.__getnewargs__()` checked as CPython's
/// `_PyObject_GetNewArguments` does: `(args, kwargs)`, either NULL when not given.
///
/// # Safety
/// `op` must be a live object.
unsafe fn new_arguments(op: *mut PyObject) -> Result<(*mut PyObject, *mut PyObject), ()> {
    // SAFETY: forwarded contract; every reference taken is released or returned.
    unsafe {
        let ex = special_method(op, "__getnewargs_ex__")?;
        if !ex.is_null() {
            let r = crate::abstract_::call_args(ex, &[]);
            decref(ex);
            if r.is_null() {
                return Err(());
            }
            let fail = |msg: String| {
                decref(r);
                raise(&raw mut EXC_TypeError, &msg);
                Err(())
            };
            if !crate::tupleobject::is_tuple(r) {
                return fail(format!(
                    "__getnewargs_ex__ should return a tuple, not '{:.200}'",
                    type_name(ty(r))
                ));
            }
            let items = crate::tupleobject::items(r);
            if items.len() != 2 {
                return fail(format!(
                    "__getnewargs_ex__ should return a tuple of length 2, not {}",
                    items.len()
                ));
            }
            let (a, k) = (items[0], items[1]);
            if !crate::tupleobject::is_tuple(a) {
                return fail(format!(
                    "first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{:.200}'",
                    type_name(ty(a))
                ));
            }
            if !crate::dictobject::is_dict(k) {
                return fail(format!(
                    "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{:.200}'",
                    type_name(ty(k))
                ));
            }
            let out = (new_ref(a), new_ref(k));
            decref(r);
            return Ok(out);
        }
        let plain = special_method(op, "__getnewargs__")?;
        if !plain.is_null() {
            let r = crate::abstract_::call_args(plain, &[]);
            decref(plain);
            if r.is_null() {
                return Err(());
            }
            if !crate::tupleobject::is_tuple(r) {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "__getnewargs__ should return a tuple, not '{:.200}'",
                        type_name(ty(r))
                    ),
                );
                decref(r);
                return Err(());
            }
            return Ok((r, null_mut()));
        }
        Ok((null_mut(), null_mut()))
    }
}

/// `copyreg._slotnames(cls)` through the type's `__slotnames__` cache (CPython's
/// `_PyType_GetSlotNames`): a list or None.
///
/// # Safety
/// `t` must be a type object.
unsafe fn slot_names(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let d = ensure_dict(t);
        if !d.is_null() {
            let cached = crate::dictobject::get_ref(d, uni::intern("__slotnames__"));
            if !cached.is_null() {
                if cached == crate::object::none() || crate::listobject::is_list(cached) {
                    return cached;
                }
                let msg = format!(
                    "{:.200}.__slotnames__ should be a list or None, not {:.200}",
                    type_name(t),
                    type_name(ty(cached))
                );
                decref(cached);
                return raise(&raw mut EXC_TypeError, &msg);
            }
            if crate::pyerrors::occurred() {
                return null_mut();
            }
        }
        let f = copyreg_attr("_slotnames");
        if f.is_null() {
            return f;
        }
        let r = crate::abstract_::call_args(f, &[t.cast()]);
        decref(f);
        if r.is_null() {
            return r;
        }
        if r != crate::object::none() && !crate::listobject::is_list(r) {
            decref(r);
            return raise(
                &raw mut EXC_TypeError,
                "copyreg._slotnames didn't return a list or None",
            );
        }
        r
    }
}

/// Whether `op` has no instance dict or an empty one.
///
/// # Safety
/// `op` must be a live object.
unsafe fn instance_dict_empty(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(dp) = dict_ptr(op) else {
            return true;
        };
        let d = instance_dict_ref(op, dp, false);
        if d.is_null() {
            return true;
        }
        let empty = crate::dictobject::len(d) == 0;
        decref(d);
        empty
    }
}

/// CPython's `object_getstate_default`: the instance dict (or None), paired with a dict of
/// the slot values when there are any. `required`: refuse objects whose C layout holds state
/// the default cannot see (variable-size objects, extra C fields).
///
/// # Safety
/// `op` must be a live object.
unsafe fn getstate_default(op: *mut PyObject, required: bool) -> *mut PyObject {
    // SAFETY: forwarded contract; every reference taken is released or returned.
    unsafe {
        let t = ty(op);
        if required && (*t).tp_itemsize != 0 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("cannot pickle {:.200} objects", type_name(t)),
            );
        }
        let mut state = if instance_dict_empty(op) {
            crate::object::new_none()
        } else {
            crate::typeobject::generic_get_dict(op)
        };
        if state.is_null() {
            return state;
        }
        let names = slot_names(t);
        if names.is_null() {
            decref(state);
            return names;
        }
        let ptr = std::mem::size_of::<*mut PyObject>() as isize;
        if required {
            let mut basic = PyBaseObject_Type.tp_basicsize;
            if dict_ptr(op).is_some() {
                basic += ptr;
            }
            if weaklist_ptr(op).is_some() {
                basic += ptr;
            }
            if crate::listobject::is_list(names) {
                basic += ptr * crate::listobject::items(names).len() as isize;
            }
            if (*t).tp_basicsize > basic {
                decref(names);
                decref(state);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("cannot pickle '{:.200}' object", type_name(t)),
                );
            }
        }
        if crate::listobject::is_list(names) && !crate::listobject::items(names).is_empty() {
            let slots = crate::dictobject::new_dict();
            if slots.is_null() {
                decref(names);
                decref(state);
                return slots;
            }
            let n = crate::listobject::items(names).len();
            let mut i = 0;
            while i < crate::listobject::items(names).len() {
                let name = new_ref(crate::listobject::items(names)[i]);
                let mut v = null_mut();
                let found = getattr_opt(op, name, &mut v);
                let ok =
                    found >= 0 && (found == 0 || crate::dictobject::set_item(slots, name, v) == 0);
                xdecref(v);
                decref(name);
                if ok && crate::listobject::items(names).len() != n {
                    raise(
                        &raw mut EXC_RuntimeError,
                        "__slotnames__ changed size during iteration",
                    );
                }
                if !ok || crate::pyerrors::occurred() {
                    decref(slots);
                    decref(names);
                    decref(state);
                    return null_mut();
                }
                i += 1;
            }
            if crate::dictobject::len(slots) > 0 {
                let pair = crate::tupleobject::from_slice(&[state, slots]);
                decref(state);
                state = pair;
            }
            decref(slots);
        }
        decref(names);
        state
    }
}

/// CPython's `object_getstate`: `op.__getstate__()`, taking the default path directly when
/// that is `object.__getstate__` itself.
///
/// # Safety
/// `op` must be a live object.
unsafe fn getstate(op: *mut PyObject, required: bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let g = getattr(op, uni::intern("__getstate__"));
        if g.is_null() {
            return g;
        }
        if crate::methodobject::is_cfunction(g) {
            let f = g.cast::<crate::methodobject::PyCFunctionObject>();
            if (*f).m_self == op && (*(*f).m_ml).ml_meth == object_getstate as *mut _ {
                decref(g);
                return getstate_default(op, required);
            }
        }
        let r = crate::abstract_::call_args(g, &[]);
        decref(g);
        r
    }
}

/// CPython's `reduce_newobj`: the protocol 2+ reduction.
///
/// # Safety
/// `op` must be a live object.
unsafe fn reduce_newobj(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; every reference taken is released or returned.
    unsafe {
        let t = ty(op);
        if (*t).tp_new.is_none() {
            return raise(
                &raw mut EXC_TypeError,
                &format!("cannot pickle '{:.200}' object", type_name(t)),
            );
        }
        let Ok((args, kwargs)) = new_arguments(op) else {
            return null_mut();
        };
        let has_args = !args.is_null();
        let no_kwargs = kwargs.is_null() || crate::dictobject::len(kwargs) == 0;
        let (newobj, newargs) = if no_kwargs {
            let f = copyreg_attr("__newobj__");
            let mut v = vec![t.cast::<PyObject>()];
            if has_args {
                v.extend_from_slice(crate::tupleobject::items(args));
            }
            (f, crate::tupleobject::from_slice(&v))
        } else {
            let f = copyreg_attr("__newobj_ex__");
            (f, crate::tupleobject::from_slice(&[t.cast(), args, kwargs]))
        };
        xdecref(args);
        xdecref(kwargs);
        if newobj.is_null() || newargs.is_null() {
            xdecref(newobj);
            xdecref(newargs);
            return null_mut();
        }
        let required =
            !(has_args || crate::listobject::is_list(op) || crate::dictobject::is_dict(op));
        let state = getstate(op, required);
        if state.is_null() {
            decref(newobj);
            decref(newargs);
            return null_mut();
        }
        let listitems = if crate::listobject::is_list(op) {
            crate::abstract_::get_iter(op)
        } else {
            crate::object::new_none()
        };
        let dictitems = if listitems.is_null() {
            null_mut()
        } else if crate::dictobject::is_dict(op) {
            let items = crate::abstract_::call_method(op, "items", &[]);
            if items.is_null() {
                items
            } else {
                let it = crate::abstract_::get_iter(items);
                decref(items);
                it
            }
        } else {
            crate::object::new_none()
        };
        let r = if dictitems.is_null() {
            null_mut()
        } else {
            crate::tupleobject::from_slice(&[newobj, newargs, state, listitems, dictitems])
        };
        decref(newobj);
        decref(newargs);
        decref(state);
        xdecref(listitems);
        xdecref(dictitems);
        r
    }
}

/// CPython's `_common_reduce`.
///
/// # Safety
/// `op` must be a live object.
unsafe fn common_reduce(op: *mut PyObject, proto: i32) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if proto >= 2 {
            return reduce_newobj(op);
        }
        let f = copyreg_attr("_reduce_ex");
        if f.is_null() {
            return f;
        }
        let p = crate::longobject::from_i64(i64::from(proto));
        let r = crate::abstract_::call_args(f, &[op, p]);
        decref(p);
        decref(f);
        r
    }
}

/// `object.__reduce__()`.
pub(crate) unsafe extern "C" fn object_reduce(
    op: *mut PyObject,
    _unused: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the method is called with a live self.
    unsafe { common_reduce(op, 0) }
}

/// `object.__reduce_ex__(protocol)`: a `__reduce__` the class overrides wins.
pub(crate) unsafe extern "C" fn object_reduce_ex(
    op: *mut PyObject,
    protocol: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the method is called with a live self and argument.
    unsafe {
        let proto = crate::longobject::PyLong_AsInt(protocol);
        if proto == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        let name = uni::intern("__reduce__");
        let mut reduce = null_mut();
        if getattr_opt(op, name, &mut reduce) < 0 {
            return null_mut();
        }
        if !reduce.is_null() {
            let cls_reduce = getattr(ty(op).cast(), name);
            if cls_reduce.is_null() {
                decref(reduce);
                return null_mut();
            }
            let object_reduce = type_lookup(&raw mut PyBaseObject_Type, name);
            let overridden = cls_reduce != object_reduce;
            decref(cls_reduce);
            if overridden {
                let r = crate::abstract_::call_args(reduce, &[]);
                decref(reduce);
                return r;
            }
            decref(reduce);
        }
        common_reduce(op, proto)
    }
}

/// `object.__getstate__()`.
pub(crate) unsafe extern "C" fn object_getstate(
    op: *mut PyObject,
    _unused: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the method is called with a live self.
    unsafe { getstate_default(op, false) }
}
