//! CPython's `Objects/classobject.c`: bound methods (`method`, `PyMethod_New`) and instance
//! methods (`instancemethod`, `PyInstanceMethod_New`, which pybind11 wraps every method of a
//! class in). Both lay out as `cpython/classobject.h` says (the `PyMethod_GET_*` and
//! `PyInstanceMethod_GET_FUNCTION` macros read the fields), look attributes up on their type
//! first and then on the function, and compare and hash as CPython's do.

use crate::descrobject::{Py_READONLY, PyGetSetDef, PyMemberDef};
use crate::export;
use crate::object::*;
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// `PyMethodObject` (64 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyMethodObject {
    pub ob_base: PyObject,
    pub im_func: *mut PyObject,
    pub im_self: *mut PyObject,
    pub im_weakreflist: *mut PyObject,
    pub vectorcall: vectorcallfunc,
}

/// `PyInstanceMethodObject` (40 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyInstanceMethodObject {
    pub ob_base: PyObject,
    pub func: *mut PyObject,
}

const fn member(name: &'static std::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: std::ptr::null(),
    }
}

static mut METHOD_MEMBERS: [PyMemberDef; 3] = [
    member(c"__func__", std::mem::offset_of!(PyMethodObject, im_func)),
    member(c"__self__", std::mem::offset_of!(PyMethodObject, im_self)),
    PyMemberDef::END,
];

static mut INSTANCEMETHOD_MEMBERS: [PyMemberDef; 2] = [
    member(
        c"__func__",
        std::mem::offset_of!(PyInstanceMethodObject, func),
    ),
    PyMemberDef::END,
];

/// `__doc__`: the function's.
static mut METHOD_GETSET: [PyGetSetDef; 2] = [
    PyGetSetDef {
        name: c"__doc__".as_ptr(),
        get: Some(get_doc),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

static mut METHOD_METHODS: [crate::methodobject::PyMethodDef; 2] = [
    crate::methodobject::PyMethodDef {
        ml_name: c"__reduce__".as_ptr(),
        ml_meth: method_reduce as unsafe extern "C" fn(_, _) -> _ as *mut c_void,
        ml_flags: crate::methodobject::METH_NOARGS,
        ml_doc: std::ptr::null(),
    },
    crate::methodobject::PyMethodDef::END,
];

#[export]
pub static mut PyMethod_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(method_new),
    tp_dealloc: Some(method_dealloc),
    tp_repr: Some(method_repr),
    tp_hash: Some(method_hash),
    tp_richcompare: Some(method_richcompare),
    tp_call: Some(crate::abstract_::PyVectorcall_Call),
    tp_getattro: Some(method_getattro),
    tp_setattro: Some(PyObject_GenericSetAttr),
    tp_descr_get: Some(method_descr_get),
    tp_members: (&raw mut METHOD_MEMBERS).cast(),
    tp_getset: (&raw mut METHOD_GETSET).cast(),
    tp_methods: (&raw mut METHOD_METHODS).cast(),
    tp_doc: c"Create a bound instance method object.".as_ptr(),
    tp_weaklistoffset: std::mem::offset_of!(PyMethodObject, im_weakreflist) as Py_ssize_t,
    tp_vectorcall_offset: std::mem::offset_of!(PyMethodObject, vectorcall) as Py_ssize_t,
    ..static_type(
        c"method",
        std::mem::size_of::<PyMethodObject>(),
        0,
        Py_TPFLAGS_HAVE_VECTORCALL,
    )
};

#[export]
pub static mut PyInstanceMethod_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(instancemethod_new),
    tp_dealloc: Some(instancemethod_dealloc),
    tp_repr: Some(instancemethod_repr),
    tp_hash: Some(crate::typeobject::PyObject_HashNotImplemented),
    tp_richcompare: Some(instancemethod_richcompare),
    tp_call: Some(instancemethod_call),
    tp_getattro: Some(method_getattro),
    tp_setattro: Some(PyObject_GenericSetAttr),
    tp_descr_get: Some(instancemethod_descr_get),
    tp_members: (&raw mut INSTANCEMETHOD_MEMBERS).cast(),
    tp_getset: (&raw mut METHOD_GETSET).cast(),
    tp_doc: c"Bind a function to a class.".as_ptr(),
    ..static_type(
        c"instancemethod",
        std::mem::size_of::<PyInstanceMethodObject>(),
        0,
        0,
    )
};

/// The wrapped function of a method or instance method (borrowed).
///
/// # Safety
/// `op` must be a live method or instance method.
unsafe fn func_of(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the two layouts are told apart by type.
    unsafe {
        if ty(op) == &raw mut PyMethod_Type {
            (*op.cast::<PyMethodObject>()).im_func
        } else {
            (*op.cast::<PyInstanceMethodObject>()).func
        }
    }
}

unsafe extern "C" fn get_doc(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: a live method or instance method (getter contract).
    unsafe { getattr(func_of(op), uni::intern("__doc__")) }
}

/// Attributes: the type's descriptors first, then the function's attributes.
unsafe extern "C" fn method_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live method and a str (slot contract).
    unsafe {
        let t = ty(op);
        let descr = type_lookup_ref(t, name);
        if !descr.is_null() {
            return match (*ty(descr)).tp_descr_get {
                Some(f) => {
                    let r = crate::extcall::ternary(f, descr, op, t.cast());
                    decref(descr);
                    r
                }
                None => descr,
            };
        }
        getattr(func_of(op), name)
    }
}

unsafe extern "C" fn method_vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("method.__call__", null_mut(), || {
        // SAFETY: vectorcall contract: `args` holds nargs + len(kwnames) live objects.
        unsafe {
            let m = callable.cast::<PyMethodObject>();
            let nargs = nargsf & !crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET;
            let nkw = if kwnames.is_null() {
                0
            } else {
                crate::tupleobject::items(kwnames).len()
            };
            let mut stack: Vec<*mut PyObject> = Vec::with_capacity(nargs + nkw + 2);
            stack.push(null_mut());
            stack.push((*m).im_self);
            if nargs + nkw > 0 {
                stack.extend_from_slice(std::slice::from_raw_parts(args, nargs + nkw));
            }
            crate::abstract_::vectorcall(
                (*m).im_func,
                stack.as_ptr().add(1),
                (nargs + 1) | crate::abstract_::PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames,
            )
        }
    })
}

/// A new bound method (`PyMethod_New` without its NULL check).
///
/// # Safety
/// `func` and `self_` must be live.
pub(crate) unsafe fn new_method(func: *mut PyObject, self_: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyMethod_Type is a ready static type; the objects are live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyMethod_Type, 0);
        if !op.is_null() {
            let m = op.cast::<PyMethodObject>();
            (*m).im_func = new_ref(func);
            (*m).im_self = new_ref(self_);
            (*m).im_weakreflist = null_mut();
            (*m).vectorcall = Some(method_vectorcall);
        }
        op
    }
}

/// The positional arguments of `name(...)`, exactly `n` of them and no keywords, with
/// CPython's texts for `method(...)` and `instancemethod(...)`.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
unsafe fn exact_args<'a>(
    name: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    n: usize,
) -> Option<&'a [*mut PyObject]> {
    // SAFETY: forwarded contract.
    unsafe {
        if !kw.is_null() && crate::dictobject::len(kw) > 0 {
            raise(
                &raw mut EXC_TypeError,
                &format!("{name}() takes no keyword arguments"),
            );
            return None;
        }
        let a = crate::tupleobject::items(args);
        if a.len() != n {
            let plural = if n == 1 { "" } else { "s" };
            raise(
                &raw mut EXC_TypeError,
                &format!("{name} expected {n} argument{plural}, got {}", a.len()),
            );
            return None;
        }
        Some(a)
    }
}

unsafe extern "C" fn method_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("method.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = exact_args("method", args, kw, 2) else {
                return null_mut();
            };
            if !crate::abstract_::callable_check(a[0]) {
                return raise(&raw mut EXC_TypeError, "first argument must be callable");
            }
            if a[1] == none() {
                return raise(&raw mut EXC_TypeError, "instance must not be None");
            }
            new_method(a[0], a[1])
        }
    })
}

unsafe extern "C" fn method_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        if !(*m).im_weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        xdecref((*m).im_func);
        xdecref((*m).im_self);
        crate::objimpl::default_dealloc(op);
    }
}

/// `func.__qualname__`, else `func.__name__`, as text when it is a str.
///
/// # Safety
/// `func` must be live.
unsafe fn func_name(func: *mut PyObject, attrs: &[&str]) -> Result<Option<String>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        for a in attrs {
            let mut v = null_mut();
            if getattr_opt(func, uni::intern(a), &mut v) < 0 {
                return Err(());
            }
            if !v.is_null() {
                let s = uni::as_str(v).map(str::to_string);
                decref(v);
                return Ok(s);
            }
        }
        Ok(None)
    }
}

unsafe extern "C" fn method_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let Ok(name) = func_name((*m).im_func, &["__qualname__", "__name__"]) else {
            return null_mut();
        };
        let r = repr((*m).im_self);
        if r.is_null() {
            return r;
        }
        let self_repr = uni::as_str(r).unwrap_or("?").to_string();
        decref(r);
        uni::from_str(&format!(
            "<bound method {} of {self_repr}>",
            name.as_deref().unwrap_or("?")
        ))
    }
}

unsafe extern "C" fn method_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live method (slot contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let x = crate::typeobject::object_hash((*m).im_self);
        let y = hash((*m).im_func);
        if y == -1 {
            return -1;
        }
        let h = x ^ y;
        if h == -1 { -2 } else { h }
    }
}

/// `==`/`!=` of two `t` objects by `same`; NotImplemented otherwise.
///
/// # Safety
/// `a` and `b` must be live.
unsafe fn compare_as(
    t: *mut PyTypeObject,
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
    same: impl FnOnce() -> c_int,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if ty(a) != t || ty(b) != t || (op != Py_EQ && op != Py_NE) {
            return new_ref((&raw mut _Py_NotImplementedStruct).cast());
        }
        let eq = same();
        if eq < 0 {
            return null_mut();
        }
        crate::boolobject::from_bool((eq > 0) == (op == Py_EQ))
    }
}

unsafe extern "C" fn method_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract); the fields are read only once both are methods.
    unsafe {
        compare_as(&raw mut PyMethod_Type, a, b, op, || {
            let (ma, mb) = (a.cast::<PyMethodObject>(), b.cast::<PyMethodObject>());
            if (*ma).im_self != (*mb).im_self {
                return 0;
            }
            crate::abstract_::rich_compare_bool((*ma).im_func, (*mb).im_func, Py_EQ)
        })
    }
}

/// A bound method is already bound: binding it again gives itself.
unsafe extern "C" fn method_descr_get(
    op: *mut PyObject,
    _obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live method (slot contract).
    unsafe { new_ref(op) }
}

/// `__reduce__`: `(getattr, (self, name))`.
unsafe extern "C" fn method_reduce(op: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live method (method contract).
    unsafe {
        let m = op.cast::<PyMethodObject>();
        let name = getattr((*m).im_func, uni::intern("__name__"));
        if name.is_null() {
            return name;
        }
        let builtins = crate::bltinmodule::module();
        let ga = if builtins.is_null() {
            null_mut()
        } else {
            getattr(builtins, uni::intern("getattr"))
        };
        let r = if ga.is_null() {
            null_mut()
        } else {
            let inner = crate::tupleobject::from_slice(&[(*m).im_self, name]);
            let r = if inner.is_null() {
                inner
            } else {
                crate::tupleobject::from_slice(&[ga, inner])
            };
            xdecref(inner);
            r
        };
        xdecref(ga);
        decref(name);
        r
    }
}

#[export]
pub unsafe fn PyMethod_New(func: *mut PyObject, self_: *mut PyObject) -> *mut PyObject {
    if self_.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: live objects, per the C API contract.
    unsafe { new_method(func, self_) }
}

#[export]
pub unsafe fn PyMethod_Function(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if ty(op) != &raw mut PyMethod_Type {
            return crate::pyerrors::bad_internal_call();
        }
        (*op.cast::<PyMethodObject>()).im_func
    }
}

#[export]
pub unsafe fn PyMethod_Self(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if ty(op) != &raw mut PyMethod_Type {
            return crate::pyerrors::bad_internal_call();
        }
        (*op.cast::<PyMethodObject>()).im_self
    }
}

// ---- instancemethod --------------------------------------------------------------------------

unsafe extern "C" fn instancemethod_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("instancemethod.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = exact_args("instancemethod", args, kw, 1) else {
                return null_mut();
            };
            if !crate::abstract_::callable_check(a[0]) {
                return raise(&raw mut EXC_TypeError, "first argument must be callable");
            }
            new_instancemethod(a[0])
        }
    })
}

/// `PyInstanceMethod_New`.
///
/// # Safety
/// `func` must be live.
unsafe fn new_instancemethod(func: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyInstanceMethod_Type is a ready static type; `func` is live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyInstanceMethod_Type, 0);
        if !op.is_null() {
            (*op.cast::<PyInstanceMethodObject>()).func = new_ref(func);
        }
        op
    }
}

unsafe extern "C" fn instancemethod_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead instance method (slot contract).
    unsafe {
        xdecref((*op.cast::<PyInstanceMethodObject>()).func);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn instancemethod_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live instance method; args/kw per the tp_call contract.
    unsafe { call((*op.cast::<PyInstanceMethodObject>()).func, args, kw) }
}

/// Through the class: the function itself; through an instance: a method bound to it.
unsafe extern "C" fn instancemethod_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live instance method (slot contract); `obj` NULL or live.
    unsafe {
        let func = (*op.cast::<PyInstanceMethodObject>()).func;
        if obj.is_null() || obj == none() {
            return new_ref(func);
        }
        new_method(func, obj)
    }
}

unsafe extern "C" fn instancemethod_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live instance method (slot contract).
    unsafe {
        let func = (*op.cast::<PyInstanceMethodObject>()).func;
        let Ok(name) = func_name(func, &["__name__"]) else {
            return null_mut();
        };
        uni::from_str(&format!(
            "<instancemethod {} at {op:p}>",
            name.as_deref().unwrap_or("?")
        ))
    }
}

unsafe extern "C" fn instancemethod_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract); the fields are read only once both match.
    unsafe {
        compare_as(&raw mut PyInstanceMethod_Type, a, b, op, || {
            crate::abstract_::rich_compare_bool(
                (*a.cast::<PyInstanceMethodObject>()).func,
                (*b.cast::<PyInstanceMethodObject>()).func,
                Py_EQ,
            )
        })
    }
}

#[export]
pub unsafe fn PyInstanceMethod_New(func: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_instancemethod(func) }
}

#[export]
pub unsafe fn PyInstanceMethod_Function(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if ty(op) != &raw mut PyInstanceMethod_Type {
            return crate::pyerrors::bad_internal_call();
        }
        (*op.cast::<PyInstanceMethodObject>()).func
    }
}
