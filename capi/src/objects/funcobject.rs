//! `cpython/funcobject.h`: the `staticmethod` wrapper (`PyStaticMethod_New`), which
//! `PyType_Ready` uses for `METH_STATIC` methods.

use crate::export;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::refcount::{new_ref, xdecref};

/// `staticmethod` objects: the callable and an (unused) instance dict.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct StaticMethodObject {
    pub ob_base: PyObject,
    pub sm_callable: *mut PyObject,
    pub sm_dict: *mut PyObject,
}

#[export]
pub static mut PyStaticMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(sm_dealloc),
    tp_descr_get: Some(sm_descr_get),
    tp_call: Some(sm_call),
    tp_new: Some(sm_new),
    tp_init: Some(sm_init),
    tp_repr: Some(sm_repr),
    tp_getset: (&raw const SM_GETSET).cast_mut().cast(),
    tp_dictoffset: std::mem::offset_of!(StaticMethodObject, sm_dict) as isize,
    ..static_type(
        c"staticmethod",
        std::mem::size_of::<StaticMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

unsafe extern "C" fn sm_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead staticmethod (slot contract).
    unsafe {
        let s = op.cast::<StaticMethodObject>();
        xdecref((*s).sm_callable);
        xdecref((*s).sm_dict);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn sm_descr_get(
    op: *mut PyObject,
    _obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live staticmethod (slot contract).
    unsafe { new_ref((*op.cast::<StaticMethodObject>()).sm_callable) }
}

unsafe extern "C" fn sm_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live staticmethod; args/kw per the tp_call contract.
    unsafe { crate::object::call((*op.cast::<StaticMethodObject>()).sm_callable, args, kw) }
}

/// `PyStaticMethod_New`.
///
/// # Safety
/// `callable` must be a live object.
pub(crate) unsafe fn new_staticmethod(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyStaticMethod_Type is a ready static type; `callable` is live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyStaticMethod_Type, 0);
        if !op.is_null() {
            (*op.cast::<StaticMethodObject>()).sm_callable = new_ref(callable);
        }
        op
    }
}

#[export]
pub unsafe fn PyStaticMethod_New(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_staticmethod(callable) }
}

static mut SM_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    sm_getter(c"__func__", sm_get_func),
    sm_getter(c"__wrapped__", sm_get_func),
    sm_getter(c"__isabstractmethod__", sm_get_isabstract),
    crate::descrobject::PyGetSetDef::END,
];

const fn sm_getter(
    name: &'static std::ffi::CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut std::ffi::c_void) -> *mut PyObject,
) -> crate::descrobject::PyGetSetDef {
    crate::descrobject::PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    }
}

/// `staticmethod.__new__`: an empty staticmethod (`__init__` stores the callable).
unsafe extern "C" fn sm_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is staticmethod or a subclass.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if !op.is_null() {
            (*op.cast::<StaticMethodObject>()).sm_callable = crate::object::new_none();
        }
        op
    }
}

/// What CPython's `functools_wraps` copies from the callable into a staticmethod's or
/// classmethod's dict: `__module__`, `__name__`, `__qualname__`, `__doc__` (each if present).
///
/// # Safety
/// Both objects are live.
unsafe fn copy_wrapped_attrs(wrapper: *mut PyObject, wrapped: *mut PyObject) -> std::ffi::c_int {
    for name in ["__module__", "__name__", "__qualname__", "__doc__"] {
        // SAFETY: live objects (caller).
        unsafe {
            let n = crate::unicodeobject::intern(name);
            let mut v = std::ptr::null_mut();
            if crate::object::PyObject_GetOptionalAttr(wrapped, n, &mut v) < 0 {
                return -1;
            }
            if !v.is_null() {
                let r = crate::object::setattr(wrapper, n, v);
                crate::refcount::decref(v);
                if r < 0 {
                    return -1;
                }
            }
        }
    }
    0
}

/// `staticmethod.__init__(callable)`.
unsafe extern "C" fn sm_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> std::ffi::c_int {
    // SAFETY: tp_init contract: args a tuple, kw NULL or a dict.
    unsafe {
        if !kw.is_null() && crate::dictobject::len(kw) != 0 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "staticmethod() takes no keyword arguments",
            );
            return -1;
        }
        let items = crate::tupleobject::items(args);
        if items.len() != 1 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("staticmethod expected 1 argument, got {}", items.len()),
            );
            return -1;
        }
        let s = op.cast::<StaticMethodObject>();
        let old = std::mem::replace(&mut (*s).sm_callable, new_ref(items[0]));
        xdecref(old);
        copy_wrapped_attrs(op, items[0])
    }
}

unsafe extern "C" fn sm_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live staticmethod (slot contract).
    unsafe {
        let r = crate::object::repr((*op.cast::<StaticMethodObject>()).sm_callable);
        if r.is_null() {
            return r;
        }
        let s = format!(
            "<{}({})>",
            crate::object::type_name(crate::object::ty(op)),
            crate::unicodeobject::as_str(r).unwrap_or("")
        );
        crate::refcount::decref(r);
        crate::unicodeobject::from_str(&s)
    }
}

unsafe extern "C" fn sm_get_func(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: a live staticmethod (getter contract).
    unsafe { new_ref((*op.cast::<StaticMethodObject>()).sm_callable) }
}

/// `__isabstractmethod__`: the callable's (False when it has none).
unsafe extern "C" fn sm_get_isabstract(
    op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: a live staticmethod (getter contract).
    unsafe {
        let f = (*op.cast::<StaticMethodObject>()).sm_callable;
        match crate::abc::is_abstract(f) {
            Ok(b) => crate::abc::py_bool(b),
            Err(()) => std::ptr::null_mut(),
        }
    }
}

/// `classmethod` objects (CPython's `classmethod` layout): the callable and an instance dict.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct ClassMethodObject {
    pub ob_base: PyObject,
    pub cm_callable: *mut PyObject,
    pub cm_dict: *mut PyObject,
}

#[export]
pub static mut PyClassMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(sm_dealloc),
    tp_descr_get: Some(cm_descr_get),
    tp_new: Some(sm_new),
    tp_init: Some(cm_init),
    tp_repr: Some(sm_repr),
    tp_getset: (&raw const SM_GETSET).cast_mut().cast(),
    tp_dictoffset: std::mem::offset_of!(ClassMethodObject, cm_dict) as isize,
    ..static_type(
        c"classmethod",
        std::mem::size_of::<ClassMethodObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `classmethod.__get__`: the callable bound to the class.
unsafe extern "C" fn cm_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live classmethod (slot contract); obj/t NULL or live.
    unsafe {
        let t = if t.is_null() {
            crate::object::ty(obj).cast()
        } else {
            t
        };
        crate::classobject::new_method((*op.cast::<ClassMethodObject>()).cm_callable, t)
    }
}

/// `classmethod.__init__(callable)` (the layout matches staticmethod's).
unsafe extern "C" fn cm_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> std::ffi::c_int {
    // SAFETY: tp_init contract: args a tuple, kw NULL or a dict.
    unsafe {
        if !kw.is_null() && crate::dictobject::len(kw) != 0 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "classmethod() takes no keyword arguments",
            );
            return -1;
        }
        let items = crate::tupleobject::items(args);
        if items.len() != 1 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("classmethod expected 1 argument, got {}", items.len()),
            );
            return -1;
        }
        let s = op.cast::<ClassMethodObject>();
        let old = std::mem::replace(&mut (*s).cm_callable, new_ref(items[0]));
        xdecref(old);
        copy_wrapped_attrs(op, items[0])
    }
}

/// `PyClassMethod_New`.
///
/// # Safety
/// `callable` must be a live object.
#[export]
pub unsafe fn PyClassMethod_New(callable: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyClassMethod_Type is a static type; `callable` is live.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyClassMethod_Type, 0);
        if !op.is_null() {
            (*op.cast::<ClassMethodObject>()).cm_callable = new_ref(callable);
        }
        op
    }
}

/// `function`: the type of Python functions. gilgate runs no Python code, so no function
/// object exists (`types.FunctionType(code, globals)` raises "cannot create 'function'
/// instances"); the type has CPython 3.14t's name, sizes, offsets and flags, so
/// `PyFunction_Check` answers and `types.FunctionType` works as a class.
#[export]
pub static mut PyFunction_Type: PyTypeObject = PyTypeObject {
    // 3.14t offsets of `func_dict`, `func_weakreflist` and `vectorcall` in `PyFunctionObject`
    // (measured from the 3.14 headers with `Py_GIL_DISABLED`).
    tp_dictoffset: 104,
    tp_weaklistoffset: 112,
    tp_vectorcall_offset: 152,
    ..static_type(
        c"function",
        168,
        0,
        crate::object::Py_TPFLAGS_HAVE_GC
            | crate::object::Py_TPFLAGS_METHOD_DESCRIPTOR
            | crate::object::Py_TPFLAGS_HAVE_VECTORCALL
            | crate::object::Py_TPFLAGS_DISALLOW_INSTANTIATION,
    )
};

/// `PyFunction_GetAnnotations(op)`: CPython's `PyErr_BadInternalCall` for anything that is not
/// a function, which is everything in gilgate (no function object exists).
#[export]
pub unsafe fn PyFunction_GetAnnotations(op: *mut PyObject) -> *mut PyObject {
    let _ = op;
    crate::pyerrors::bad_internal_call()
}

/// `_Py_CheckFunctionResult(tstate, callable, result, where)`: CPython's checks after a call
/// (`SystemError` for NULL without an exception, and for a result with one, chained). The
/// calling thread's state is used; `where` names the call only when `callable` is NULL.
#[export(err = std::ptr::null_mut())]
pub unsafe fn _Py_CheckFunctionResult(
    tstate: *mut crate::pystate::PyThreadState,
    callable: *mut PyObject,
    result: *mut PyObject,
    r#where: *const std::ffi::c_char,
) -> *mut PyObject {
    let _ = tstate;
    if !callable.is_null() {
        // SAFETY: the caller passes a live callable and NULL or an owned result.
        return unsafe { crate::abstract_::check_result(callable, result) };
    }
    let name = if r#where.is_null() {
        "NULL".to_string()
    } else {
        // SAFETY: `where` is a NUL-terminated C string when not NULL.
        unsafe { std::ffi::CStr::from_ptr(r#where) }
            .to_string_lossy()
            .into_owned()
    };
    // SAFETY: `result` is NULL or an owned reference.
    unsafe { crate::abstract_::check_result_named(&name, result) }
}
