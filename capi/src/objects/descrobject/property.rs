//! `property` (`PyProperty_Type`; CPython's `Objects/descrobject.c`).

use super::*;
use crate::export;
use crate::methodobject::{METH_O, METH_VARARGS};

/// A `property` object (the layout of CPython's `propertyobject`).
#[repr(C)]
#[derive(Debug)]
pub(crate) struct PyPropertyObject {
    pub ob_base: PyObject,
    pub prop_get: *mut PyObject,
    pub prop_set: *mut PyObject,
    pub prop_del: *mut PyObject,
    pub prop_doc: *mut PyObject,
    pub prop_name: *mut PyObject,
    /// Whether `prop_doc` was taken from the getter's `__doc__`.
    pub getter_doc: c_int,
}

static mut PROPERTY_MEMBERS: [PyMemberDef; 5] = [
    member(
        c"fget",
        std::mem::offset_of!(PyPropertyObject, prop_get),
        Py_READONLY,
    ),
    member(
        c"fset",
        std::mem::offset_of!(PyPropertyObject, prop_set),
        Py_READONLY,
    ),
    member(
        c"fdel",
        std::mem::offset_of!(PyPropertyObject, prop_del),
        Py_READONLY,
    ),
    member(
        c"__doc__",
        std::mem::offset_of!(PyPropertyObject, prop_doc),
        0,
    ),
    PyMemberDef::END,
];

static mut PROPERTY_GETSET: [PyGetSetDef; 3] = [
    PyGetSetDef {
        name: c"__name__".as_ptr(),
        get: Some(property_get_name),
        set: Some(property_set_name_attr),
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"__isabstractmethod__".as_ptr(),
        get: Some(property_get_isabstract),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef::END,
];

static mut PROPERTY_METHODS: [PyMethodDef; 5] = [
    method(c"getter", property_getter as Meth as *mut c_void, METH_O),
    method(c"setter", property_setter as Meth as *mut c_void, METH_O),
    method(c"deleter", property_deleter as Meth as *mut c_void, METH_O),
    method(
        c"__set_name__",
        property_set_name as Meth as *mut c_void,
        METH_VARARGS,
    ),
    PyMethodDef::END,
];

#[export]
pub static mut PyProperty_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(property_dealloc),
    tp_descr_get: Some(property_descr_get),
    tp_descr_set: Some(property_descr_set),
    tp_init: Some(property_init),
    tp_new: Some(crate::objimpl::PyType_GenericNew),
    tp_members: (&raw mut PROPERTY_MEMBERS).cast(),
    tp_getset: (&raw mut PROPERTY_GETSET).cast(),
    tp_methods: (&raw mut PROPERTY_METHODS).cast(),
    ..static_type(
        c"property",
        std::mem::size_of::<PyPropertyObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

unsafe fn as_prop<'a>(op: *mut PyObject) -> &'a mut PyPropertyObject {
    // SAFETY: callers pass a live property (or subclass) instance.
    unsafe { &mut *op.cast::<PyPropertyObject>() }
}

/// Stores `v` (new reference taken here, NULL allowed) in `slot`, releasing the old value.
unsafe fn replace(slot: &mut *mut PyObject, v: *mut PyObject) {
    let old = std::mem::replace(slot, v);
    // SAFETY: `v` is NULL or live; the slot owned `old`.
    unsafe {
        crate::refcount::xincref(v);
        xdecref(old);
    }
}

unsafe extern "C" fn property_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead property (slot contract).
    unsafe {
        let p = as_prop(op);
        for f in [
            &mut p.prop_get,
            &mut p.prop_set,
            &mut p.prop_del,
            &mut p.prop_doc,
            &mut p.prop_name,
        ] {
            xdecref(std::mem::replace(f, null_mut()));
        }
        crate::objimpl::default_dealloc(op);
    }
}

/// The property's name: the one `__set_name__` gave, else the getter's `__name__`.
/// `Ok(NULL)` when there is none.
unsafe fn property_name(p: &PyPropertyObject) -> Result<*mut PyObject, ()> {
    // SAFETY: the fields are NULL or live.
    unsafe {
        if !p.prop_name.is_null() {
            return Ok(new_ref(p.prop_name));
        }
        if p.prop_get.is_null() {
            return Ok(null_mut());
        }
        let name = uni::from_str("__name__");
        if name.is_null() {
            return Err(());
        }
        let mut out = null_mut();
        let r = crate::object::getattr_opt(p.prop_get, name, &mut out);
        decref(name);
        if r < 0 { Err(()) } else { Ok(out) }
    }
}

/// Raises "property 'x' of 'C' object has no getter" (or the shorter forms).
unsafe fn property_missing(p: &PyPropertyObject, obj: *mut PyObject, what: &str) {
    // SAFETY: `obj` is NULL or live.
    unsafe {
        let Ok(name) = property_name(p) else { return };
        let msg = match (name.is_null(), obj.is_null()) {
            (_, true) => format!("property has no {what}"),
            (true, false) => {
                let q = crate::object::type_qualname(ty(obj));
                format!("property of '{q}' object has no {what}")
            }
            (false, false) => {
                let q = crate::object::type_qualname(ty(obj));
                let n = crate::object::repr_string(name);
                format!("property {n} of '{q}' object has no {what}")
            }
        };
        xdecref(name);
        raise(&raw mut EXC_AttributeError, &msg);
    }
}

unsafe extern "C" fn property_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `op` is a live property (slot contract); `obj` NULL or live.
    unsafe {
        if obj.is_null() || obj == crate::object::none() {
            return new_ref(op);
        }
        let p = as_prop(op);
        if p.prop_get.is_null() {
            property_missing(p, obj, "getter");
            return null_mut();
        }
        crate::abstract_::call_args(p.prop_get, &[obj])
    }
}

unsafe extern "C" fn property_descr_set(
    op: *mut PyObject,
    obj: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: `op` is a live property (slot contract); `obj`, `value` NULL or live.
    unsafe {
        let p = as_prop(op);
        let (f, what) = if value.is_null() {
            (p.prop_del, "deleter")
        } else {
            (p.prop_set, "setter")
        };
        if f.is_null() {
            property_missing(p, obj, what);
            return -1;
        }
        let r = if value.is_null() {
            crate::abstract_::call_args(f, &[obj])
        } else {
            crate::abstract_::call_args(f, &[obj, value])
        };
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

/// `property.__init__(fget=None, fset=None, fdel=None, doc=None)`.
unsafe extern "C" fn property_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    const NAMES: [&str; 4] = ["fget", "fset", "fdel", "doc"];
    // SAFETY: tp_init contract: `op` is a property, args a tuple, kw NULL or a dict.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::len(kw) as usize
        };
        if pos.len() + nkw > 4 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "property() takes at most 4 arguments ({} given)",
                    pos.len() + nkw
                ),
            );
            return -1;
        }
        let mut vals = [null_mut::<PyObject>(); 4];
        vals[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let Some(i) = uni::as_str(k).and_then(|s| NAMES.iter().position(|n| *n == s))
                else {
                    let msg = if uni::is_str(k) {
                        format!(
                            "property() got an unexpected keyword argument {}",
                            crate::object::repr_string(k)
                        )
                    } else {
                        "keywords must be strings".to_string()
                    };
                    raise(&raw mut EXC_TypeError, &msg);
                    return -1;
                };
                if i < pos.len() {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "argument for property() given by name ('{}') and position ({})",
                            NAMES[i],
                            i + 1
                        ),
                    );
                    return -1;
                }
                vals[i] = v;
            }
        }
        let none = crate::object::none();
        let opt = |v: *mut PyObject| if v == none { null_mut() } else { v };
        let (fget, fset, fdel, doc) = (opt(vals[0]), opt(vals[1]), opt(vals[2]), opt(vals[3]));
        let p = as_prop(op);
        replace(&mut p.prop_get, fget);
        replace(&mut p.prop_set, fset);
        replace(&mut p.prop_del, fdel);
        replace(&mut p.prop_doc, null_mut());
        replace(&mut p.prop_name, null_mut());
        p.getter_doc = 0;
        let mut prop_doc = null_mut();
        if !doc.is_null() {
            prop_doc = new_ref(doc);
        } else if !fget.is_null() {
            let name = uni::from_str("__doc__");
            if name.is_null() {
                return -1;
            }
            let r = crate::object::getattr_opt(fget, name, &mut prop_doc);
            decref(name);
            if r < 0 {
                return -1;
            }
            if prop_doc == none {
                decref(prop_doc);
                prop_doc = null_mut();
            }
            if !prop_doc.is_null() {
                p.getter_doc = 1;
            }
        }
        if ty(op) == &raw mut PyProperty_Type {
            p.prop_doc = prop_doc;
            return 0;
        }
        // A subclass: `__doc__` goes through attribute assignment (the subclass's dict or
        // slot), or the class's own `__doc__` would shadow it.
        if prop_doc.is_null() {
            prop_doc = new_ref(none);
        }
        let name = uni::from_str("__doc__");
        if name.is_null() {
            decref(prop_doc);
            return -1;
        }
        let r = crate::object::setattr(op, name, prop_doc);
        decref(name);
        decref(prop_doc);
        if r < 0 {
            if p.getter_doc == 0 && crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
                crate::pyerrors::clear();
                return 0;
            }
            return -1;
        }
        0
    }
}

/// `getter`/`setter`/`deleter`: a new property of the same type with one function replaced.
unsafe fn property_copy(
    old: *mut PyObject,
    get: *mut PyObject,
    set: *mut PyObject,
    del: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `old` is a live property; the functions NULL or live.
    unsafe {
        let p = as_prop(old);
        let none = crate::object::none();
        let pick = |new: *mut PyObject, cur: *mut PyObject| {
            if !new.is_null() && new != none {
                new
            } else if !cur.is_null() {
                cur
            } else {
                none
            }
        };
        let get = pick(get, p.prop_get);
        let set = pick(set, p.prop_set);
        let del = pick(del, p.prop_del);
        // A doc taken from the old getter is taken afresh from the new one.
        let doc = if (p.getter_doc != 0 && get != none) || p.prop_doc.is_null() {
            none
        } else {
            p.prop_doc
        };
        let new = crate::abstract_::call_args(ty(old).cast(), &[get, set, del, doc]);
        if !new.is_null() && is_subtype(ty(new), &raw mut PyProperty_Type) {
            let name = p.prop_name;
            replace(&mut as_prop(new).prop_name, name);
        }
        new
    }
}

unsafe extern "C" fn property_getter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, f, null_mut(), null_mut()) }
}

unsafe extern "C" fn property_setter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, null_mut(), f, null_mut()) }
}

unsafe extern "C" fn property_deleter(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(op, null_mut(), null_mut(), f) }
}

unsafe extern "C" fn property_set_name(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_VARARGS contract: `args` is a tuple.
    unsafe {
        let items = crate::tupleobject::items(args);
        if items.len() != 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "__set_name__() takes 2 positional arguments but {} were given",
                    items.len()
                ),
            );
        }
        replace(&mut as_prop(op).prop_name, items[1]);
        crate::object::new_none()
    }
}

unsafe extern "C" fn property_get_name(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe {
        match property_name(as_prop(op)) {
            Err(()) => null_mut(),
            Ok(n) if n.is_null() => raise(
                &raw mut EXC_AttributeError,
                "'property' object has no attribute '__name__'",
            ),
            Ok(n) => n,
        }
    }
}

unsafe extern "C" fn property_set_name_attr(
    op: *mut PyObject,
    v: *mut PyObject,
    _c: *mut c_void,
) -> c_int {
    // SAFETY: setter contract; `v` NULL or live.
    unsafe { replace(&mut as_prop(op).prop_name, v) };
    0
}

unsafe extern "C" fn property_get_isabstract(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract; the functions are NULL or live.
    unsafe {
        let p = as_prop(op);
        let name = uni::from_str("__isabstractmethod__");
        if name.is_null() {
            return name;
        }
        for f in [p.prop_get, p.prop_set, p.prop_del] {
            if f.is_null() {
                continue;
            }
            let mut v = null_mut();
            let r = crate::object::getattr_opt(f, name, &mut v);
            let t = if r > 0 {
                let t = crate::object::truth(v);
                decref(v);
                t
            } else {
                r
            };
            if t != 0 {
                decref(name);
                return if t < 0 {
                    null_mut()
                } else {
                    crate::boolobject::from_bool(true)
                };
            }
        }
        decref(name);
        crate::boolobject::from_bool(false)
    }
}
