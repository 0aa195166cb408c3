//! `types.GenericAlias` (`list[int]`): `Py_GenericAlias`, the alias type, and the
//! `__class_getitem__` of the built-in containers that make one.
//!
//! An alias keeps its origin and argument tuple. Attribute reads go to the origin, except the
//! alias's own names (`__origin__`, `__args__`, `__parameters__`, ...); calling it calls the
//! origin and tags the result with `__orig_class__`; it compares and hashes by origin and
//! arguments. Type-variable substitution (`alias[T]`) needs `typing`'s type variables, which
//! gilgate does not provide: an alias has no parameters unless its arguments carry
//! `__parameters__`, and subscripting one with parameters raises `NotImplementedError`.

use crate::export;
use crate::methodobject::{METH_CLASS, METH_NOARGS, METH_O, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type, ty};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::c_void;
use std::ptr::null_mut;

/// The alias object.
#[repr(C)]
pub(crate) struct GenericAliasObject {
    pub ob_base: PyObject,
    pub(crate) origin: *mut PyObject,
    /// Always a tuple.
    pub args: *mut PyObject,
    /// `__parameters__`, computed on first read (NULL until then), published atomically.
    pub parameters: *mut PyObject,
    /// `*tuple[int]`'s star.
    pub starred: bool,
}

#[export]
pub static mut Py_GenericAliasType: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(ga_dealloc),
    tp_repr: Some(ga_repr),
    tp_hash: Some(ga_hash),
    tp_call: Some(ga_call),
    tp_getattro: Some(ga_getattro),
    tp_richcompare: Some(ga_richcompare),
    tp_new: Some(ga_new),
    tp_as_mapping: &raw mut GA_AS_MAPPING,
    tp_methods: (&raw mut GA_METHODS).cast(),
    tp_getset: (&raw mut GA_GETSET).cast(),
    ..static_type(
        c"types.GenericAlias",
        std::mem::size_of::<GenericAliasObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

static mut GA_AS_MAPPING: crate::object::PyMappingMethods = crate::object::PyMappingMethods {
    mp_length: None,
    mp_subscript: Some(ga_getitem),
    mp_ass_subscript: None,
};

static mut GA_METHODS: [PyMethodDef; 5] = [
    crate::longobject::method(c"__mro_entries__", ga_mro_entries as *mut c_void, METH_O),
    crate::longobject::method(
        c"__instancecheck__",
        ga_instancecheck as *mut c_void,
        METH_O,
    ),
    crate::longobject::method(
        c"__subclasscheck__",
        ga_subclasscheck as *mut c_void,
        METH_O,
    ),
    crate::longobject::method(c"__reduce__", ga_reduce as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut GA_GETSET: [crate::descrobject::PyGetSetDef; 6] = [
    crate::longobject::getset(c"__origin__", Some(get_origin)),
    crate::longobject::getset(c"__args__", Some(get_args)),
    crate::longobject::getset(c"__parameters__", Some(get_parameters)),
    crate::longobject::getset(c"__unpacked__", Some(get_unpacked)),
    crate::longobject::getset(
        c"__typing_unpacked_tuple_args__",
        Some(get_unpacked_tuple_args),
    ),
    crate::descrobject::PyGetSetDef::END,
];

/// The names an alias answers itself; every other attribute is the origin's.
const OWN_NAMES: [&str; 12] = [
    "__class__",
    "__bases__",
    "__origin__",
    "__args__",
    "__unpacked__",
    "__parameters__",
    "__typing_unpacked_tuple_args__",
    "__mro_entries__",
    "__reduce_ex__",
    "__reduce__",
    "__copy__",
    "__deepcopy__",
];

/// `getattr(o, name)` when `o` has it, `None` when it has not, `Err` with an exception set.
unsafe fn lookup_attr(o: *mut PyObject, name: *mut PyObject) -> Result<Option<*mut PyObject>, ()> {
    let mut out = null_mut();
    // SAFETY: live objects; `out` is ours.
    match unsafe { crate::object::getattr_opt(o, name, &mut out) } {
        1 => Ok(Some(out)),
        0 => Ok(None),
        _ => Err(()),
    }
}

unsafe fn alias<'a>(op: *mut PyObject) -> &'a mut GenericAliasObject {
    // SAFETY: callers pass a live alias.
    unsafe { &mut *op.cast::<GenericAliasObject>() }
}

/// A new alias of `origin` over `args` (a tuple, or one argument made into one).
///
/// # Safety
/// Both must be live objects.
pub(crate) unsafe fn new_alias(
    t: *mut PyTypeObject,
    origin: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract; the new object's fields are ours to fill.
    unsafe {
        let args = if crate::tupleobject::is_tuple(args) {
            new_ref(args)
        } else {
            crate::tupleobject::from_slice(&[args])
        };
        if args.is_null() {
            return null_mut();
        }
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            decref(args);
            return op;
        }
        let a = alias(op);
        a.origin = new_ref(origin);
        a.args = args;
        a.parameters = null_mut();
        a.starred = false;
        op
    }
}

#[export]
pub unsafe fn Py_GenericAlias(origin: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe { new_alias(&raw mut Py_GenericAliasType, origin, args) }
}

unsafe extern "C" fn ga_dealloc(op: *mut PyObject) {
    // SAFETY: the last reference to a live alias.
    unsafe {
        let a = alias(op);
        xdecref(a.origin);
        xdecref(a.args);
        xdecref(a.parameters);
        crate::objimpl::free_object(op);
    }
}

unsafe extern "C" fn ga_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("GenericAlias", null_mut(), || {
        // SAFETY: tp_new contract: a type, a tuple and NULL or a dict.
        unsafe {
            if !kw.is_null() && crate::dictobject::len(kw) > 0 {
                return raise(
                    &raw mut EXC_TypeError,
                    "GenericAlias() takes no keyword arguments",
                );
            }
            let a = crate::tupleobject::items(args);
            if a.len() != 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("GenericAlias expected 2 arguments, got {}", a.len()),
                );
            }
            new_alias(t, a[0], a[1])
        }
    })
}

/// One item of an alias's repr, as CPython writes it.
unsafe fn repr_item(p: *mut PyObject) -> Option<String> {
    // SAFETY: `p` live.
    unsafe {
        if p == &raw mut crate::object::_Py_EllipsisObject {
            return Some("...".into());
        }
        if crate::listobject::is_list(p) {
            let items: Vec<*mut PyObject> = crate::listobject::items(p).to_vec();
            let mut parts = Vec::with_capacity(items.len());
            for i in items {
                parts.push(repr_item(i)?);
            }
            return Some(format!("[{}]", parts.join(", ")));
        }
        let has = |name: &str| -> Result<bool, ()> {
            match lookup_attr(p, uni::intern(name)) {
                Ok(Some(v)) => {
                    decref(v);
                    Ok(true)
                }
                Ok(None) => Ok(false),
                Err(()) => Err(()),
            }
        };
        if has("__origin__").ok()? && has("__args__").ok()? {
            return plain_repr(p);
        }
        let qual = lookup_attr(p, uni::intern("__qualname__")).ok()?;
        let module = lookup_attr(p, uni::intern("__module__")).ok()?;
        match (qual, module) {
            (Some(q), Some(m)) => {
                let qs = crate::object::str_string(q);
                let out = if uni::is_str(m) && uni::as_str(m) == Some("builtins") {
                    Some(qs)
                } else {
                    Some(format!("{}.{qs}", crate::object::str_string(m)))
                };
                decref(q);
                decref(m);
                out
            }
            (q, m) => {
                if let Some(q) = q {
                    decref(q);
                }
                if let Some(m) = m {
                    decref(m);
                }
                plain_repr(p)
            }
        }
    }
}

unsafe fn plain_repr(p: *mut PyObject) -> Option<String> {
    // SAFETY: `p` live.
    unsafe {
        let r = crate::object::repr(p);
        if r.is_null() {
            return None;
        }
        let s = crate::object::str_string(r);
        decref(r);
        Some(s)
    }
}

unsafe extern "C" fn ga_repr(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("GenericAlias.__repr__", null_mut(), || {
        // SAFETY: a live alias.
        unsafe {
            let a = alias(op);
            let Some(origin) = repr_item(a.origin) else {
                return null_mut();
            };
            let args = crate::tupleobject::items(a.args);
            let mut parts = Vec::with_capacity(args.len());
            for &x in args {
                let Some(s) = repr_item(x) else {
                    return null_mut();
                };
                parts.push(s);
            }
            let inner = if parts.is_empty() {
                "()".to_string()
            } else {
                parts.join(", ")
            };
            let star = if a.starred { "*" } else { "" };
            uni::from_str(&format!("{star}{origin}[{inner}]"))
        }
    })
}

unsafe extern "C" fn ga_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: a live alias.
    unsafe {
        let a = alias(op);
        let h0 = crate::object::hash(a.origin);
        if h0 == -1 {
            return -1;
        }
        let h1 = crate::object::hash(a.args);
        if h1 == -1 {
            return -1;
        }
        h0 ^ h1
    }
}

unsafe extern "C" fn ga_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: std::ffi::c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let is_alias =
            |o: *mut PyObject| crate::object::type_check(o, &raw mut Py_GenericAliasType);
        if !is_alias(a)
            || !is_alias(b)
            || (op != crate::object::Py_EQ && op != crate::object::Py_NE)
        {
            return new_ref(&raw mut crate::object::_Py_NotImplementedStruct);
        }
        let (x, y) = (alias(a), alias(b));
        let mut equal = x.starred == y.starred;
        if equal {
            let r = crate::abstract_::rich_compare_bool(x.origin, y.origin, crate::object::Py_EQ);
            if r < 0 {
                return null_mut();
            }
            equal = r == 1;
        }
        if equal {
            let r = crate::abstract_::rich_compare_bool(x.args, y.args, crate::object::Py_EQ);
            if r < 0 {
                return null_mut();
            }
            equal = r == 1;
        }
        crate::boolobject::from_bool(equal == (op == crate::object::Py_EQ))
    }
}

unsafe extern "C" fn ga_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract: a live alias, a tuple and NULL or a dict.
    unsafe {
        let obj = crate::abstract_::PyObject_Call(alias(op).origin, args, kw);
        if obj.is_null() {
            return obj;
        }
        if crate::object::setattr(obj, uni::intern("__orig_class__"), op) < 0 {
            let tolerated =
                crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_AttributeError)
                    || crate::pyerrors::matches_current(&raw mut EXC_TypeError);
            if !tolerated {
                decref(obj);
                return null_mut();
            }
            crate::pyerrors::clear();
        }
        obj
    }
}

unsafe extern "C" fn ga_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live alias and name (slot contract).
    unsafe {
        if uni::is_str(name)
            && let Some(n) = uni::as_str(name)
            && !OWN_NAMES.contains(&n)
        {
            return crate::object::getattr(alias(op).origin, name);
        }
        crate::object::PyObject_GenericGetAttr(op, name)
    }
}

unsafe extern "C" fn ga_getitem(op: *mut PyObject, _key: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live alias.
    unsafe {
        let params = get_parameters(op, null_mut());
        if params.is_null() {
            return params;
        }
        let n = crate::tupleobject::items(params).len();
        decref(params);
        if n == 0 {
            let r = crate::object::repr(op);
            if r.is_null() {
                return r;
            }
            let shown = crate::object::str_string(r);
            decref(r);
            return raise(
                &raw mut EXC_TypeError,
                &format!("{shown} is not a generic class"),
            );
        }
        raise(
            &raw mut crate::pyerrors::EXC_NotImplementedError,
            "gilgate: substituting the type variables of a GenericAlias needs typing, which gilgate does not provide",
        )
    }
}

unsafe extern "C" fn ga_mro_entries(op: *mut PyObject, _bases: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live alias.
    unsafe { crate::tupleobject::from_slice(&[alias(op).origin]) }
}

unsafe extern "C" fn ga_instancecheck(_op: *mut PyObject, _o: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut EXC_TypeError,
        "isinstance() argument 2 cannot be a parameterized generic",
    )
}

unsafe extern "C" fn ga_subclasscheck(_op: *mut PyObject, _o: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut EXC_TypeError,
        "issubclass() argument 2 cannot be a parameterized generic",
    )
}

/// `__reduce__`: `(type(alias), (origin, args))`.
unsafe extern "C" fn ga_reduce(op: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live alias.
    unsafe {
        let a = alias(op);
        let inner = crate::tupleobject::from_slice(&[a.origin, a.args]);
        if inner.is_null() {
            return inner;
        }
        let r = crate::tupleobject::from_slice(&[ty(op).cast(), inner]);
        decref(inner);
        r
    }
}

unsafe extern "C" fn get_origin(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter on a live alias.
    unsafe { new_ref(alias(op).origin) }
}

unsafe extern "C" fn get_args(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter on a live alias.
    unsafe { new_ref(alias(op).args) }
}

unsafe extern "C" fn get_unpacked(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter on a live alias.
    unsafe { crate::boolobject::from_bool(alias(op).starred) }
}

unsafe extern "C" fn get_unpacked_tuple_args(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter on a live alias.
    unsafe {
        let a = alias(op);
        if a.starred && a.origin == (&raw mut crate::tupleobject::PyTuple_Type).cast() {
            new_ref(a.args)
        } else {
            crate::object::new_none()
        }
    }
}

/// `__parameters__`: the parameters of the arguments, in order, each once. An argument is a
/// parameter when it has `__typing_subst__` (a type variable); else its own `__parameters__`
/// count.
unsafe extern "C" fn get_parameters(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter on a live alias.
    unsafe {
        let a = alias(op);
        // Computed once; threads racing here publish one tuple (the others drop theirs).
        let slot = std::sync::atomic::AtomicPtr::from_ptr(&raw mut a.parameters);
        let known = slot.load(std::sync::atomic::Ordering::Acquire);
        if !known.is_null() {
            return new_ref(known);
        }
        let mut found: Vec<*mut PyObject> = Vec::new();
        for &x in crate::tupleobject::items(a.args) {
            if crate::object::type_check(x, &raw mut crate::object::PyType_Type) {
                continue;
            }
            match lookup_attr(x, uni::intern("__typing_subst__")) {
                Err(()) => return null_mut(),
                Ok(Some(s)) => {
                    decref(s);
                    if !found.contains(&x) {
                        found.push(x);
                    }
                    continue;
                }
                Ok(None) => {}
            }
            match lookup_attr(x, uni::intern("__parameters__")) {
                Err(()) => return null_mut(),
                Ok(Some(p)) => {
                    if crate::tupleobject::is_tuple(p) {
                        for &q in crate::tupleobject::items(p) {
                            if !found.contains(&q) {
                                found.push(q);
                            }
                        }
                    }
                    decref(p);
                }
                Ok(None) => {}
            }
        }
        let t = crate::tupleobject::from_slice(&found);
        if t.is_null() {
            return t;
        }
        match slot.compare_exchange(
            null_mut(),
            t,
            std::sync::atomic::Ordering::AcqRel,
            std::sync::atomic::Ordering::Acquire,
        ) {
            // The alias keeps this reference; the caller gets a new one.
            Ok(_) => new_ref(t),
            Err(first) => {
                decref(t);
                new_ref(first)
            }
        }
    }
}

/// `cls.__class_getitem__(item)`: `GenericAlias(cls, item)`.
unsafe extern "C" fn class_getitem(cls: *mut PyObject, item: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live class and argument.
    unsafe { new_alias(&raw mut Py_GenericAliasType, cls, item) }
}

static mut CLASS_GETITEM: PyMethodDef = crate::longobject::method(
    c"__class_getitem__",
    class_getitem as *mut c_void,
    METH_O | METH_CLASS,
);

/// Gives `t` CPython's `__class_getitem__` (a class method making an alias).
///
/// # Safety
/// `t` must be a static type whose dict may still be written (start-up or its own module's
/// creation).
pub(crate) unsafe fn add_class_getitem(t: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        // A static type's dict is filled on first use.
        let dict = crate::object::ensure_dict(t);
        !dict.is_null() && add_class_getitem_to(t, dict)
    }
}

/// Stores `t`'s `__class_getitem__` in `dict` (`t`'s dict, or the one being built for it).
///
/// # Safety
/// `t` must be a type and `dict` a dict that may still be written.
pub(crate) unsafe fn add_class_getitem_to(t: *mut PyTypeObject, dict: *mut PyObject) -> bool {
    // SAFETY: forwarded contract; the method definition is static.
    unsafe {
        let d = crate::descrobject::PyDescr_NewClassMethod(t, &raw mut CLASS_GETITEM);
        if d.is_null() {
            return false;
        }
        let ok = crate::dictobject::set_item_str(dict, "__class_getitem__", d) == 0;
        decref(d);
        ok
    }
}

/// The built-in types with CPython's `__class_getitem__` (`list[int]`, `dict[str, int]`, ...).
fn builtin_generic_types() -> [*mut PyTypeObject; 11] {
    [
        &raw mut crate::listobject::PyList_Type,
        &raw mut crate::dictobject::PyDict_Type,
        &raw mut crate::tupleobject::PyTuple_Type,
        &raw mut crate::setobject::PySet_Type,
        &raw mut crate::setobject::PyFrozenSet_Type,
        &raw mut crate::memoryobject::PyMemoryView_Type,
        &raw mut crate::enumobject::PyEnum_Type,
        &raw mut crate::funcobject::PyClassMethod_Type,
        &raw mut crate::funcobject::PyStaticMethod_Type,
        &raw mut crate::descrobject::mappingproxy::PyDictProxy_Type,
        &raw mut crate::pyerrors::EXC_BaseExceptionGroup,
    ]
}

/// Whether `t` is one of the built-in generic containers: [`crate::object::ensure_dict`] adds
/// their `__class_getitem__` when it builds their dict.
pub(crate) fn is_builtin_generic(t: *mut PyTypeObject) -> bool {
    builtin_generic_types().contains(&t)
}

/// Start-up: the alias type's generic containers get their `__class_getitem__`. Most of their
/// dicts are not built yet: [`crate::object::ensure_dict`] adds it when it builds one (the same
/// entry, in the same place, last), so start-up does not build eleven type dicts of descriptors a
/// process may never look at (an inspection worker, for one). A dict that exists already (built
/// by start-up itself) gets it here.
pub(crate) fn init_builtin_generics() -> Result<(), String> {
    for t in builtin_generic_types() {
        // SAFETY: start-up, after every static type was readied; `tp_dict` is published with
        // release ordering by `ensure_dict` (acquire here).
        let built = unsafe {
            !std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*t).tp_dict)
                .load(std::sync::atomic::Ordering::Acquire)
                .is_null()
        };
        // SAFETY: as above.
        if built && !unsafe { add_class_getitem(t) } {
            return Err("gilgate: could not add __class_getitem__ to a built-in type".into());
        }
    }
    Ok(())
}
