//! `mappingproxy` (`PyDictProxy_Type`, `PyDictProxy_New`; CPython's `Objects/descrobject.c`):
//! a read-only view of a mapping, and of a type's `__dict__`.

use super::*;
use crate::export;
use crate::object::{PyMappingMethods, PyNumberMethods, PySequenceMethods};

/// A read-only view of a mapping (CPython's `mappingproxyobject`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct MappingProxyObject {
    pub ob_base: PyObject,
    pub mapping: *mut PyObject,
    /// For a type's `__dict__`: the type, kept alive while the proxy lives (the descriptors
    /// in its dict hold a borrowed `d_type`). NULL otherwise.
    pub owner: *mut PyObject,
}

static mut PROXY_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(proxy_len),
    mp_subscript: Some(proxy_getitem),
    mp_ass_subscript: None,
};

static mut PROXY_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: None,
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(proxy_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut PROXY_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_or: Some(proxy_or),
    nb_inplace_or: Some(proxy_ior),
    ..crate::longobject::NB_EMPTY
};

type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;

static mut PROXY_METHODS: [PyMethodDef; 6] = [
    method(
        c"get",
        proxy_get as Fast as *mut c_void,
        crate::methodobject::METH_FASTCALL,
    ),
    method(
        c"keys",
        proxy_keys as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"values",
        proxy_values as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"items",
        proxy_items as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    method(
        c"copy",
        proxy_copy as Meth as *mut c_void,
        crate::methodobject::METH_NOARGS,
    ),
    PyMethodDef::END,
];

#[export]
pub static mut PyDictProxy_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(proxy_dealloc),
    tp_repr: Some(proxy_repr),
    tp_str: Some(proxy_str),
    tp_hash: Some(proxy_hash),
    tp_richcompare: Some(proxy_richcompare),
    tp_iter: Some(proxy_iter),
    tp_as_mapping: &raw mut PROXY_AS_MAPPING,
    tp_as_sequence: &raw mut PROXY_AS_SEQUENCE,
    tp_as_number: &raw mut PROXY_AS_NUMBER,
    tp_methods: (&raw mut PROXY_METHODS).cast(),
    tp_new: Some(proxy_new),
    ..static_type(
        c"mappingproxy",
        std::mem::size_of::<MappingProxyObject>(),
        0,
        crate::object::Py_TPFLAGS_MAPPING,
    )
};

unsafe fn mapping_of(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: callers pass a live mappingproxy.
    unsafe { (*op.cast::<MappingProxyObject>()).mapping }
}

/// `PyDictProxy_New`: checks that `mapping` is a mapping (not a list or tuple).
///
/// # Safety
/// `mapping` must be a live object.
pub(crate) unsafe fn dictproxy_new(mapping: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let t = ty(mapping);
        let is_mapping = (*t)
            .tp_as_mapping
            .as_ref()
            .is_some_and(|m| m.mp_subscript.is_some());
        if !is_mapping
            || crate::object::has_flag(mapping, crate::object::Py_TPFLAGS_LIST_SUBCLASS)
            || crate::tupleobject::is_tuple(mapping)
        {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "mappingproxy() argument must be a mapping, not {}",
                    type_name(t)
                ),
            );
        }
        let op = crate::objimpl::alloc_object(&raw mut PyDictProxy_Type, 0);
        if !op.is_null() {
            let p = op.cast::<MappingProxyObject>();
            (*p).mapping = new_ref(mapping);
            (*p).owner = null_mut();
        }
        op
    }
}

#[export]
pub unsafe fn PyDictProxy_New(mapping: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if mapping.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        dictproxy_new(mapping)
    }
}

unsafe extern "C" fn proxy_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let mut mapping = pos.first().copied().unwrap_or(null_mut());
        let mut n = pos.len();
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                if uni::as_str(k) != Some("mapping") {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "mappingproxy() got an unexpected keyword argument '{}'",
                            uni::as_str(k).unwrap_or("?")
                        ),
                    );
                }
                if !mapping.is_null() {
                    return raise(
                        &raw mut EXC_TypeError,
                        "argument for mappingproxy() given by name ('mapping') and position (1)",
                    );
                }
                mapping = v;
                n += 1;
            }
        }
        if n > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("mappingproxy() takes at most 1 argument ({n} given)"),
            );
        }
        if mapping.is_null() {
            return raise(
                &raw mut EXC_TypeError,
                "mappingproxy() missing required argument 'mapping' (pos 1)",
            );
        }
        dictproxy_new(mapping)
    }
}

/// `type.__dict__`: a proxy of the type's dict that keeps the type alive.
///
/// # Safety
/// `t` must be a type object with a dict.
pub(crate) unsafe fn type_dict_proxy(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let p = dictproxy_new((*t).tp_dict);
        if !p.is_null() {
            (*p.cast::<MappingProxyObject>()).owner = new_ref(t.cast());
        }
        p
    }
}

unsafe extern "C" fn proxy_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead mappingproxy (slot contract).
    unsafe {
        xdecref((*op.cast::<MappingProxyObject>()).owner);
        xdecref(mapping_of(op));
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn proxy_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe {
        let r = crate::object::repr(mapping_of(op));
        if r.is_null() {
            return r;
        }
        let s = format!("mappingproxy({})", uni::as_str(r).unwrap_or(""));
        decref(r);
        uni::from_str(&s)
    }
}

unsafe extern "C" fn proxy_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::object::str(mapping_of(op)) }
}

unsafe extern "C" fn proxy_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::object::hash(mapping_of(op)) }
}

unsafe extern "C" fn proxy_richcompare(
    op: *mut PyObject,
    w: *mut PyObject,
    cmp: c_int,
) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy, `w` live (slot contract).
    unsafe { crate::abstract_::rich_compare(mapping_of(op), w, cmp) }
}

unsafe extern "C" fn proxy_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::get_iter(mapping_of(op)) }
}

unsafe extern "C" fn proxy_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::size(mapping_of(op)) }
}

unsafe extern "C" fn proxy_getitem(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe { crate::abstract_::get_item(mapping_of(op), key) }
}

unsafe extern "C" fn proxy_contains(op: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: `op` is a live mappingproxy (slot contract).
    unsafe {
        let m = mapping_of(op);
        if ty(m) == &raw mut crate::dictobject::PyDict_Type {
            crate::dictobject::PyDict_Contains(m, key)
        } else {
            crate::abstract_::contains(m, key)
        }
    }
}

unsafe extern "C" fn proxy_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands (slot contract).
    unsafe {
        let unwrap = |o: *mut PyObject| {
            if ty(o) == &raw mut PyDictProxy_Type {
                mapping_of(o)
            } else {
                o
            }
        };
        crate::abstract_::PyNumber_Or(unwrap(a), unwrap(b))
    }
}

unsafe extern "C" fn proxy_ior(a: *mut PyObject, _b: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live operand (slot contract).
    let tn = unsafe { type_name(ty(a)) };
    raise(
        &raw mut EXC_TypeError,
        &format!("'|=' is not supported by {tn}; use '|' instead"),
    )
}

unsafe extern "C" fn proxy_get(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract: `args` holds `nargs` live objects.
    unsafe {
        if !(1..=2).contains(&nargs) {
            let msg = if nargs < 1 {
                format!("get expected at least 1 argument, got {nargs}")
            } else {
                format!("get expected at most 2 arguments, got {nargs}")
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let a = std::slice::from_raw_parts(args, nargs as usize);
        crate::abstract_::call_method(mapping_of(op), "get", a)
    }
}

unsafe extern "C" fn proxy_keys(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "keys", &[]) }
}

unsafe extern "C" fn proxy_values(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "values", &[]) }
}

unsafe extern "C" fn proxy_items(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "items", &[]) }
}

unsafe extern "C" fn proxy_copy(op: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { crate::abstract_::call_method(mapping_of(op), "copy", &[]) }
}
