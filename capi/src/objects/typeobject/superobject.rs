//! `super` (CPython's `superobject`, in `Objects/typeobject.c`): `super(T, obj)` and
//! `super(T, T2)` look attributes up along the MRO of `obj`'s type (or `T2`) after `T` and bind
//! what they find to `obj`; `super(T)` is unbound and binds through `__get__`. gilgate runs no
//! Python frame, so `super()` without arguments raises CPython's text for a call without one.

use crate::descrobject::{Py_READONLY, PyMemberDef};
use crate::export;
use crate::object::*;
use crate::pyerrors::{EXC_RuntimeError, EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_int};
use std::ptr::null_mut;

/// The object's layout (CPython's: the class invoking `super`, the object or class bound, and
/// the type whose MRO is searched).
#[repr(C)]
struct SuperObject {
    ob_base: PyObject,
    type_: *mut PyTypeObject,
    obj: *mut PyObject,
    obj_type: *mut PyTypeObject,
}

const fn member(name: &'static CStr, offset: usize, doc: &'static CStr) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: doc.as_ptr(),
    }
}

static mut SUPER_MEMBERS: [PyMemberDef; 4] = [
    member(
        c"__thisclass__",
        std::mem::offset_of!(SuperObject, type_),
        c"the class invoking super()",
    ),
    member(
        c"__self__",
        std::mem::offset_of!(SuperObject, obj),
        c"the instance invoking super(); may be None",
    ),
    member(
        c"__self_class__",
        std::mem::offset_of!(SuperObject, obj_type),
        c"the type of the instance invoking super(); may be None",
    ),
    PyMemberDef::END,
];

const SUPER_DOC: &CStr = c"super() -> same as super(__class__, <first argument>)
super(type) -> unbound super object
super(type, obj) -> bound super object; requires isinstance(obj, type)
super(type, type2) -> bound super object; requires
    issubclass(type2, type)
Typical use to call a cooperative superclass method:
class C(B):
    def meth(self, arg):
        super().meth(arg)
This works for class methods too:
class C(B):
    @classmethod
    def cmeth(cls, arg):
        super().cmeth(arg)
";

/// `super`.
#[export]
pub static mut PySuper_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(crate::objimpl::PyType_GenericNew),
    tp_init: Some(super_init),
    tp_dealloc: Some(super_dealloc),
    tp_repr: Some(super_repr),
    tp_getattro: Some(super_getattro),
    tp_descr_get: Some(super_descr_get),
    tp_members: (&raw mut SUPER_MEMBERS).cast(),
    tp_doc: SUPER_DOC.as_ptr(),
    tp_vectorcall: Some(super_vectorcall),
    ..static_type(
        c"super",
        std::mem::size_of::<SuperObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

/// The type whose MRO `super(t, obj)` searches: `obj` itself when it is a subclass of `t`,
/// else its type, else its `__class__` (a proxy's); TypeError otherwise (new reference).
///
/// # Safety
/// `t` must be a type, `obj` live.
unsafe fn supercheck(t: *mut PyTypeObject, obj: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: forwarded contract.
    unsafe {
        if is_type(obj) && is_subtype(obj.cast(), t) {
            return new_ref(obj).cast();
        }
        if is_subtype(ty(obj), t) {
            return new_ref(ty(obj).cast()).cast();
        }
        let mut class: *mut PyObject = null_mut();
        if getattr_opt(obj, uni::intern("__class__"), &mut class) < 0 {
            return null_mut();
        }
        if !class.is_null() {
            if is_type(class) && class != ty(obj).cast() && is_subtype(class.cast(), t) {
                return class.cast();
            }
            decref(class);
        }
        let (what, name) = if is_type(obj) {
            ("type", type_name(obj.cast()))
        } else {
            ("instance of", type_name(ty(obj)))
        };
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "super(type, obj): obj ({what} {name}) is not an instance or subtype of type ({}).",
                type_name(t)
            ),
        );
        null_mut()
    }
}

/// Fills a fresh (or re-initialised) super object: `obj` None counts as absent.
///
/// # Safety
/// `op` must be a live super object, `t` NULL or a type, `obj` NULL or live.
unsafe fn init_impl(op: *mut PyObject, t: *mut PyTypeObject, obj: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if t.is_null() {
            // `super()` takes its class and first argument from the calling Python frame;
            // gilgate never has one.
            raise(&raw mut EXC_RuntimeError, "super(): no current frame");
            return -1;
        }
        let obj = if obj == none() { null_mut() } else { obj };
        let mut obj_type: *mut PyTypeObject = null_mut();
        if !obj.is_null() {
            obj_type = supercheck(t, obj);
            if obj_type.is_null() {
                return -1;
            }
            incref(obj);
        }
        incref(t.cast());
        let s = op.cast::<SuperObject>();
        let old = [
            (*s).type_.cast::<PyObject>(),
            (*s).obj,
            (*s).obj_type.cast(),
        ];
        (*s).type_ = t;
        (*s).obj = obj;
        (*s).obj_type = obj_type;
        old.into_iter().for_each(|o| xdecref(o));
        0
    }
}

unsafe extern "C" fn super_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    crate::ffi_guard::guard("super.__init__", -1, || {
        // SAFETY: tp_init contract: a live super, a tuple, NULL or a dict.
        unsafe {
            if !kw.is_null() && crate::dictobject::len(kw) > 0 {
                raise(&raw mut EXC_TypeError, "super() takes no keyword arguments");
                return -1;
            }
            let a = crate::tupleobject::items(args);
            if a.len() > 2 {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("super() takes at most 2 arguments ({} given)", a.len()),
                );
                return -1;
            }
            let t = match a.first() {
                None => null_mut(),
                Some(&t) if is_type(t) => t.cast(),
                Some(&t) => {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("super() argument 1 must be type, not {}", type_name(ty(t))),
                    );
                    return -1;
                }
            };
            init_impl(op, t, a.get(1).copied().unwrap_or(null_mut()))
        }
    })
}

/// Calling `super` itself (CPython's `super_vectorcall`, with its texts).
unsafe extern "C" fn super_vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("super", null_mut(), || {
        // SAFETY: vectorcall contract: `callable` is the type, `args` holds the arguments.
        unsafe {
            if !kwnames.is_null() && !crate::tupleobject::items(kwnames).is_empty() {
                return raise(&raw mut EXC_TypeError, "super() takes no keyword arguments");
            }
            let n = crate::abstract_::PyVectorcall_NARGS(nargsf) as usize;
            if n > 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("super() expected at most 2 arguments, got {n}"),
                );
            }
            let a: &[*mut PyObject] = if n == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(args, n)
            };
            let t: *mut PyTypeObject = callable.cast();
            let op = crate::objimpl::alloc_object(t, 0);
            if op.is_null() {
                return op;
            }
            let first = match a.first() {
                None => null_mut(),
                Some(&f) if is_type(f) => f.cast(),
                Some(&f) => {
                    decref(op);
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "super() argument 1 must be a type, not {}",
                            type_name(ty(f))
                        ),
                    );
                }
            };
            if init_impl(op, first, a.get(1).copied().unwrap_or(null_mut())) < 0 {
                decref(op);
                return null_mut();
            }
            op
        }
    })
}

unsafe extern "C" fn super_dealloc(op: *mut PyObject) {
    // SAFETY: a dead super object (slot contract).
    unsafe {
        let s = op.cast::<SuperObject>();
        xdecref((*s).obj);
        xdecref((*s).type_.cast());
        xdecref((*s).obj_type.cast());
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn super_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live super object (slot contract).
    unsafe {
        let s = op.cast::<SuperObject>();
        let name = |t: *mut PyTypeObject| {
            if t.is_null() {
                "NULL".to_string()
            } else {
                type_name(t)
            }
        };
        let this = name((*s).type_);
        if (*s).obj_type.is_null() {
            uni::from_str(&format!("<super: <class '{this}'>, NULL>"))
        } else {
            let of = name((*s).obj_type);
            uni::from_str(&format!("<super: <class '{this}'>, <{of} object>>"))
        }
    }
}

/// `name` in the dicts of the MRO of `start` that follow `this` (new reference; NULL without
/// an exception when absent).
///
/// # Safety
/// `this` and `start` must be types, `name` a str.
unsafe fn lookup_after(
    this: *mut PyTypeObject,
    start: *mut PyTypeObject,
    name: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract; the MRO tuple is kept alive while it is walked.
    unsafe {
        let mro = (*start).tp_mro;
        let types: Vec<*mut PyTypeObject> = if !mro.is_null() && crate::tupleobject::is_tuple(mro) {
            incref(mro);
            let v = crate::tupleobject::items(mro)
                .iter()
                .map(|&t| t.cast())
                .collect();
            decref(mro);
            v
        } else {
            let mut v = Vec::new();
            find_in_mro(start, |t| {
                v.push(t);
                None::<()>
            });
            v
        };
        let n = types.len();
        // the last class is never searched (nothing follows it)
        let mut i = 0;
        while i + 1 < n && types[i] != this {
            i += 1;
        }
        for &t in types.iter().skip(i + 1) {
            let d = ensure_dict(t);
            if !d.is_null() && crate::dictobject::is_dict(d) {
                let v = crate::dictobject::get_ref_quiet(d, name);
                if !v.is_null() {
                    return v;
                }
            }
        }
        null_mut()
    }
}

unsafe extern "C" fn super_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("super.__getattribute__", null_mut(), || {
        // SAFETY: a live super object and a str (slot contract).
        unsafe {
            let s = op.cast::<SuperObject>();
            let start = (*s).obj_type;
            // `__class__` is the super object's own class, never the object's.
            if !start.is_null() && uni::as_str(name) != Some("__class__") {
                let found = lookup_after((*s).type_, start, name);
                if !found.is_null() {
                    let Some(get) = (*ty(found)).tp_descr_get else {
                        return found;
                    };
                    // an instance is passed only in instance mode (`super(T, obj)`)
                    let obj = if (*s).obj == start.cast() {
                        null_mut()
                    } else {
                        (*s).obj
                    };
                    let r = crate::extcall::ternary(get, found, obj, start.cast());
                    decref(found);
                    return r;
                }
                if crate::pyerrors::occurred() {
                    return null_mut();
                }
            }
            PyObject_GenericGetAttr(op, name)
        }
    })
}

unsafe extern "C" fn super_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("super.__get__", null_mut(), || {
        // SAFETY: a live super object; `obj` NULL or live (slot contract).
        unsafe {
            let s = op.cast::<SuperObject>();
            if obj.is_null() || obj == none() || !(*s).obj.is_null() {
                return new_ref(op);
            }
            let this = (*s).type_;
            if ty(op) != &raw mut PySuper_Type {
                // a subclass of super: call it as `type(self)(self.__thisclass__, obj)`
                let args = [this.cast::<PyObject>(), obj];
                return crate::abstract_::PyObject_Vectorcall(
                    ty(op).cast(),
                    args.as_ptr(),
                    2,
                    null_mut(),
                );
            }
            if this.is_null() {
                // an empty `super.__new__(super)`: nothing to bind with
                return new_ref(op);
            }
            let op2 = crate::objimpl::alloc_object(&raw mut PySuper_Type, 0);
            if op2.is_null() {
                return op2;
            }
            if init_impl(op2, this, obj) < 0 {
                decref(op2);
                return null_mut();
            }
            op2
        }
    })
}
