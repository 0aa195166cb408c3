//! `collections.namedtuple`: builds a real tuple subclass with `type(name, (tuple,), ns)`.
//! CPython's factory writes the class body as Python source; here each piece is native: the
//! field properties are `_collections._tuplegetter` descriptors (CPython's C type), the
//! constructor is the class's `tp_new` (reading `_fields` and `_field_defaults` from the
//! class), and `_make`, `_replace`, `_asdict`, `__repr__` and `__getnewargs__` are method
//! descriptors on `tuple` (every namedtuple instance is one).

use super::{parse, s, tuple_of};
use crate::longobject::method;
use crate::methodobject::{
    METH_CLASS, METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef,
};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_AttributeError, EXC_IndexError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// # Safety
/// `o` must be a live str.
unsafe fn is_identifier(o: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::unicodeobject::PyUnicode_IsIdentifier(o) == 1 }
}

/// # Safety
/// `o` must be live.
unsafe fn text(o: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe { crate::unicodeobject::as_str(o).unwrap_or("").to_owned() }
}

/// `namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)`.
pub(crate) unsafe extern "C" fn namedtuple(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("collections.namedtuple", null_mut(), || {
        // SAFETY: the call contract: an argument tuple, NULL or a dict.
        unsafe { build(args, kw) }
    })
}

unsafe fn build(args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        if pos.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "namedtuple() takes 2 positional arguments but {} were given",
                    pos.len()
                ),
            );
        }
        let Some(a) = parse(
            "namedtuple",
            args,
            kw,
            &["typename", "field_names", "rename", "defaults", "module"],
            0,
        ) else {
            return null_mut();
        };
        let missing: Vec<&str> = ["typename", "field_names"]
            .iter()
            .zip(&a[..2])
            .filter(|(_, v)| v.is_null())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            let msg = if missing.len() == 2 {
                "namedtuple() missing 2 required positional arguments: 'typename' and 'field_names'"
                    .to_string()
            } else {
                format!(
                    "namedtuple() missing 1 required positional argument: '{}'",
                    missing[0]
                )
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        // field_names: a str split on commas and whitespace, else str() of each item.
        let mut fields: Vec<*mut PyObject> = Vec::new();
        if crate::unicodeobject::is_str(a[1]) {
            for w in text(a[1]).replace(',', " ").split_whitespace() {
                fields.push(s(w));
            }
        } else {
            let Ok(items) = crate::iterobject::collect(a[1]) else {
                return null_mut();
            };
            for &o in &items {
                let t = crate::object::str(o);
                if t.is_null() {
                    crate::iterobject::release_all(items);
                    super::release(fields);
                    return null_mut();
                }
                fields.push(t);
            }
            crate::iterobject::release_all(items);
        }
        let typename = crate::object::str(a[0]);
        if typename.is_null() {
            super::release(fields);
            return null_mut();
        }
        let rename = !a[2].is_null() && crate::object::truth(a[2]) == 1;
        let fail = |fields: Vec<*mut PyObject>, typename: *mut PyObject, t, msg: &str| {
            super::release(fields);
            decref(typename);
            raise(t, msg)
        };
        if rename {
            let mut seen: Vec<String> = Vec::new();
            for (i, f) in fields.iter_mut().enumerate() {
                let name = text(*f);
                if !is_identifier(*f)
                    || KEYWORDS.contains(&name.as_str())
                    || name.starts_with('_')
                    || seen.contains(&name)
                {
                    decref(*f);
                    *f = s(&format!("_{i}"));
                }
                seen.push(name);
            }
        }
        let mut check = vec![typename];
        check.extend(fields.iter().copied());
        for &n in &check {
            let name = text(n);
            let r = crate::unicodeobject::repr_text(&name);
            if !is_identifier(n) {
                return fail(
                    fields,
                    typename,
                    &raw mut EXC_ValueError,
                    &format!("Type names and field names must be valid identifiers: {r}"),
                );
            }
            if KEYWORDS.contains(&name.as_str()) {
                return fail(
                    fields,
                    typename,
                    &raw mut EXC_ValueError,
                    &format!("Type names and field names cannot be a keyword: {r}"),
                );
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for &f in &fields {
            let name = text(f);
            let r = crate::unicodeobject::repr_text(&name);
            if name.starts_with('_') && !rename {
                return fail(
                    fields,
                    typename,
                    &raw mut EXC_ValueError,
                    &format!("Field names cannot start with an underscore: {r}"),
                );
            }
            if seen.contains(&name) {
                return fail(
                    fields,
                    typename,
                    &raw mut EXC_ValueError,
                    &format!("Encountered duplicate field name: {r}"),
                );
            }
            seen.push(name);
        }
        // defaults: the last len(defaults) fields get them.
        let field_defaults = crate::dictobject::new_dict();
        if !a[3].is_null() && a[3] != crate::object::none() {
            let d = crate::abstract_::sequence_tuple(a[3]);
            if d.is_null() {
                decref(field_defaults);
                super::release(fields);
                decref(typename);
                return null_mut();
            }
            let ds = crate::tupleobject::items(d);
            if ds.len() > fields.len() {
                decref(d);
                decref(field_defaults);
                return fail(
                    fields,
                    typename,
                    &raw mut EXC_TypeError,
                    "Got more default values than field names",
                );
            }
            let off = fields.len() - ds.len();
            for (i, &v) in ds.iter().enumerate() {
                crate::dictobject::set_item(field_defaults, fields[off + i], v);
            }
            decref(d);
        }
        let names: Vec<String> = fields.iter().map(|&f| text(f)).collect();
        let fields_t = tuple_of(&fields);
        super::release(fields);
        let ns = crate::dictobject::new_dict();
        let doc = s(&format!("{}({})", text(typename), names.join(", ")));
        crate::dictobject::set_item_str(ns, "__doc__", doc);
        decref(doc);
        let slots = crate::tupleobject::new_tuple(0);
        crate::dictobject::set_item_str(ns, "__slots__", slots);
        decref(slots);
        crate::dictobject::set_item_str(ns, "_fields", fields_t);
        crate::dictobject::set_item_str(ns, "__match_args__", fields_t);
        crate::dictobject::set_item_str(ns, "_field_defaults", field_defaults);
        decref(field_defaults);
        let module = if !a[4].is_null() && a[4] != crate::object::none() {
            new_ref(a[4])
        } else {
            s("__main__")
        };
        crate::dictobject::set_item_str(ns, "__module__", module);
        decref(module);
        let tuple_t = &raw mut crate::tupleobject::PyTuple_Type;
        let table = &raw mut METHODS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let d = if (*ml).ml_flags & METH_CLASS != 0 {
                crate::descrobject::PyDescr_NewClassMethod(tuple_t, ml)
            } else {
                crate::descrobject::PyDescr_NewMethod(tuple_t, ml)
            };
            if d.is_null() {
                decref(ns);
                decref(fields_t);
                decref(typename);
                return null_mut();
            }
            let k = std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy();
            crate::dictobject::set_item_str(ns, &k, d);
            decref(d);
        }
        for (i, n) in names.iter().enumerate() {
            let g = new_getter(i as Py_ssize_t, &format!("Alias for field number {i}"));
            if g.is_null() {
                decref(ns);
                decref(fields_t);
                decref(typename);
                return null_mut();
            }
            crate::dictobject::set_item_str(ns, n, g);
            decref(g);
        }
        decref(fields_t);
        let bases = tuple_of(&[tuple_t.cast()]);
        let cls = crate::abstract_::call_args(
            (&raw mut crate::object::PyType_Type).cast(),
            &[typename, bases, ns],
        );
        decref(bases);
        decref(ns);
        decref(typename);
        if cls.is_null() {
            return cls;
        }
        (*cls.cast::<PyTypeObject>()).tp_new = Some(nt_new);
        (*cls.cast::<PyTypeObject>()).tp_repr = Some(nt_repr);
        cls
    }
}

/// The class attribute `name` of `t` (new reference; NULL with AttributeError).
unsafe fn class_attr(t: *mut PyTypeObject, name: &str) -> *mut PyObject {
    // SAFETY: `t` a live type.
    unsafe { crate::object::getattr(t.cast(), crate::unicodeobject::intern(name)) }
}

/// Joins names as CPython's missing-argument message does: `'x'`, `'x' and 'y'`,
/// `'x', 'y', and 'z'`.
fn join_names(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// `Point(x, y)`: the fields from positional and keyword arguments and the defaults.
unsafe extern "C" fn nt_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a namedtuple class, an argument tuple, NULL or a dict (slot contract).
    unsafe {
        let fields = class_attr(t, "_fields");
        if fields.is_null() {
            return null_mut();
        }
        let defaults = class_attr(t, "_field_defaults");
        if defaults.is_null() {
            decref(fields);
            return null_mut();
        }
        let r = make_from_args(t, fields, defaults, args, kw);
        decref(fields);
        decref(defaults);
        r
    }
}

unsafe fn make_from_args(
    t: *mut PyTypeObject,
    fields: *mut PyObject,
    defaults: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let qual = crate::object::type_name(t);
        let names: Vec<String> = crate::tupleobject::items(fields)
            .iter()
            .map(|&f| text(f))
            .collect();
        let pos = crate::tupleobject::items(args);
        let n = names.len();
        let nd = crate::dictobject::len(defaults) as usize;
        if pos.len() > n {
            let takes = if nd == 0 {
                format!(
                    "{} positional argument{}",
                    n + 1,
                    if n == 0 { "" } else { "s" }
                )
            } else {
                format!("from {} to {} positional arguments", n - nd + 1, n + 1)
            };
            let given = pos.len() + 1;
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{qual}.__new__() takes {takes} but {given} {} given",
                    if given == 1 { "was" } else { "were" }
                ),
            );
        }
        let mut vals: Vec<*mut PyObject> = vec![null_mut(); n];
        vals[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = text(k);
                match names.iter().position(|x| *x == key) {
                    Some(i) if !vals[i].is_null() => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("{qual}.__new__() got multiple values for argument '{key}'"),
                        );
                    }
                    Some(i) => vals[i] = v,
                    None => {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("{qual}.__new__() got an unexpected keyword argument '{key}'"),
                        );
                    }
                }
            }
        }
        let mut missing = Vec::new();
        for (i, v) in vals.iter_mut().enumerate() {
            if v.is_null() {
                let d = crate::dictobject::get_str(defaults, &names[i]);
                if d.is_null() {
                    missing.push(names[i].clone());
                } else {
                    *v = d;
                }
            }
        }
        if !missing.is_empty() {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{qual}.__new__() missing {} required positional argument{}: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    join_names(&missing)
                ),
            );
        }
        let tup = tuple_of(&vals);
        if tup.is_null() {
            return tup;
        }
        let new = crate::tupleobject::PyTuple_Type
            .tp_new
            .expect("tuple has tp_new");
        let targs = tuple_of(&[tup]);
        decref(tup);
        let r = crate::extcall::new(new, t, targs, null_mut());
        decref(targs);
        r
    }
}

unsafe extern "C" fn nt_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live namedtuple (slot contract).
    unsafe {
        let t = crate::object::ty(op);
        let fields = class_attr(t, "_fields");
        if fields.is_null() {
            return null_mut();
        }
        let names: Vec<String> = crate::tupleobject::items(fields)
            .iter()
            .map(|&f| text(f))
            .collect();
        decref(fields);
        let name = crate::object::type_name(t);
        if !crate::iterobject::repr_enter(op) {
            return s("...");
        }
        let vals = crate::tupleobject::items(op);
        let reprs = crate::iterobject::repr_all(vals);
        crate::iterobject::repr_leave(op);
        let Some(reprs) = reprs else {
            return null_mut();
        };
        let parts: Vec<String> = names
            .iter()
            .zip(reprs.iter())
            .map(|(n, r)| format!("{n}={r}"))
            .collect();
        s(&format!("{name}({})", parts.join(", ")))
    }
}

unsafe extern "C" fn m_repr(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live tuple (method contract).
    unsafe { nt_repr(op) }
}

unsafe extern "C" fn m_make(cls: *mut PyObject, iterable: *mut PyObject) -> *mut PyObject {
    // SAFETY: the class and a live argument (method contract).
    unsafe {
        let t = crate::abstract_::sequence_tuple(iterable);
        if t.is_null() {
            return t;
        }
        let fields = class_attr(cls.cast(), "_fields");
        if fields.is_null() {
            decref(t);
            return null_mut();
        }
        let want = crate::tupleobject::items(fields).len();
        decref(fields);
        let got = crate::tupleobject::items(t).len();
        if got != want {
            decref(t);
            return raise(
                &raw mut EXC_TypeError,
                &format!("Expected {want} arguments, got {got}"),
            );
        }
        let new = crate::tupleobject::PyTuple_Type
            .tp_new
            .expect("tuple has tp_new");
        let targs = tuple_of(&[t]);
        decref(t);
        let r = crate::extcall::new(new, cls.cast(), targs, null_mut());
        decref(targs);
        r
    }
}

unsafe extern "C" fn m_replace(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live namedtuple, argument tuple, NULL or a dict (method contract).
    unsafe {
        if !crate::tupleobject::items(args).is_empty() {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{}._replace() takes 1 positional argument but {} were given",
                    super::type_name_of(op),
                    crate::tupleobject::items(args).len() + 1
                ),
            );
        }
        let t = crate::object::ty(op);
        let fields = class_attr(t, "_fields");
        if fields.is_null() {
            return null_mut();
        }
        let names: Vec<String> = crate::tupleobject::items(fields)
            .iter()
            .map(|&f| text(f))
            .collect();
        decref(fields);
        let mut vals: Vec<*mut PyObject> = crate::tupleobject::items(op).to_vec();
        let mut unknown = Vec::new();
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = text(k);
                match names.iter().position(|x| *x == key) {
                    Some(i) if i < vals.len() => vals[i] = v,
                    _ => unknown.push(key),
                }
            }
        }
        if !unknown.is_empty() {
            let reprs: Vec<String> = unknown
                .iter()
                .map(|u| crate::unicodeobject::repr_text(u))
                .collect();
            return raise(
                &raw mut EXC_TypeError,
                &format!("Got unexpected field names: [{}]", reprs.join(", ")),
            );
        }
        let tup = tuple_of(&vals);
        let r = m_make(t.cast(), tup);
        decref(tup);
        r
    }
}

unsafe extern "C" fn m_asdict(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live namedtuple (method contract).
    unsafe {
        let fields = class_attr(crate::object::ty(op), "_fields");
        if fields.is_null() {
            return null_mut();
        }
        let d = crate::dictobject::new_dict();
        for (&k, &v) in crate::tupleobject::items(fields)
            .iter()
            .zip(crate::tupleobject::items(op))
        {
            crate::dictobject::set_item(d, k, v);
        }
        decref(fields);
        d
    }
}

unsafe extern "C" fn m_getnewargs(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live tuple (method contract).
    unsafe { tuple_of(crate::tupleobject::items(op)) }
}

static mut METHODS: [PyMethodDef; 7] = [
    method(
        c"__replace__",
        m_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"_make", m_make as *mut c_void, METH_O | METH_CLASS),
    method(
        c"_replace",
        m_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"_asdict", m_asdict as *mut c_void, METH_NOARGS),
    method(c"__repr__", m_repr as *mut c_void, METH_NOARGS),
    method(c"__getnewargs__", m_getnewargs as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

// --- _tuplegetter ---

#[repr(C)]
struct TupleGetter {
    ob_base: PyObject,
    index: Py_ssize_t,
    doc: *mut PyObject,
}

fn new_getter(index: Py_ssize_t, doc: &str) -> *mut PyObject {
    // SAFETY: the ready static type; a fresh object of its layout.
    unsafe {
        let g = crate::objimpl::alloc_object(&raw mut TupleGetter_Type, 0);
        if !g.is_null() {
            (*g.cast::<TupleGetter>()).index = index;
            (*g.cast::<TupleGetter>()).doc = s(doc);
        }
        g
    }
}

unsafe extern "C" fn tg_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    _t: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live getter; `obj` NULL/None (class access) or live (slot contract).
    unsafe {
        if obj.is_null() || obj == crate::object::none() {
            return new_ref(op);
        }
        if !crate::tupleobject::is_tuple(obj) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "descriptor for index '{}' for tuple subclasses doesn't apply to '{}' object",
                    (*op.cast::<TupleGetter>()).index,
                    crate::object::tname(obj)
                ),
            );
        }
        let i = (*op.cast::<TupleGetter>()).index;
        let items = crate::tupleobject::items(obj);
        if i < 0 || i as usize >= items.len() {
            return raise(&raw mut EXC_IndexError, "tuple index out of range");
        }
        new_ref(items[i as usize])
    }
}

unsafe extern "C" fn tg_set(_op: *mut PyObject, _obj: *mut PyObject, v: *mut PyObject) -> c_int {
    let msg = if v.is_null() {
        "can't delete attribute"
    } else {
        "can't set attribute"
    };
    raise(&raw mut EXC_AttributeError, msg);
    -1
}

unsafe extern "C" fn tg_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live getter (slot contract).
    unsafe {
        let g = &*op.cast::<TupleGetter>();
        let Some(d) = super::repr_of(g.doc) else {
            return null_mut();
        };
        s(&format!("_tuplegetter({}, {d})", g.index))
    }
}

unsafe extern "C" fn tg_dealloc(op: *mut PyObject) {
    // SAFETY: a dead getter (slot contract).
    unsafe {
        xdecref((*op.cast::<TupleGetter>()).doc);
        crate::objimpl::default_dealloc(op);
    }
}

static mut TG_MEMBERS: [crate::descrobject::PyMemberDef; 2] = [
    crate::descrobject::PyMemberDef {
        name: c"__doc__".as_ptr(),
        type_: crate::descrobject::Py_T_OBJECT,
        offset: std::mem::offset_of!(TupleGetter, doc) as Py_ssize_t,
        flags: 0,
        doc: std::ptr::null(),
    },
    crate::descrobject::PyMemberDef::END,
];

#[allow(non_upper_case_globals)]
static mut TupleGetter_Type: PyTypeObject = PyTypeObject {
    tp_descr_get: Some(tg_get),
    tp_descr_set: Some(tg_set),
    tp_repr: Some(tg_repr),
    tp_dealloc: Some(tg_dealloc),
    tp_members: (&raw mut TG_MEMBERS).cast(),
    ..static_type(c"_collections._tuplegetter", size_of::<TupleGetter>(), 0, 0)
};

/// The types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut TupleGetter_Type]
}
