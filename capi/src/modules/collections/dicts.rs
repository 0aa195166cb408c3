//! The dict subclasses of `collections`: `defaultdict` (CPython's C type: a `default_factory`
//! slot after the dict's layout), `OrderedDict` (gilgate's dict keeps insertion order, so
//! `move_to_end` and `popitem(last=False)` reorder the dict's own entries) and `Counter`.

use super::{parse, repr_of, s, tuple_of, type_name_of};
use crate::dictobject::{PyDict_Type, PyDictObject};
use crate::longobject::method;
use crate::methodobject::{
    METH_CLASS, METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef,
};
use crate::object::{
    Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_DICT_SUBCLASS,
    Py_TPFLAGS_MAPPING, PyNumberMethods, PyObject, PyTypeObject, static_type,
};
use crate::pyerrors::{EXC_KeyError, EXC_NotImplementedError, EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

const DICT_FLAGS: std::ffi::c_ulong =
    Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS | Py_TPFLAGS_MAPPING;

/// A new empty instance of the dict subtype `t`.
///
/// # Safety
/// `t` must be a ready dict subtype.
unsafe fn new_empty(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: forwarded contract; dict's `tp_new` with no arguments makes an empty table.
    unsafe {
        let empty = crate::tupleobject::new_tuple(0);
        let new = PyDict_Type.tp_new.expect("dict has tp_new");
        let d = crate::extcall::new(new, t, empty, null_mut());
        decref(empty);
        d
    }
}

/// `dict.update(op, *args, **kw)` through the method (so a subclass's data goes in as dict's
/// own update puts it).
///
/// # Safety
/// `op` a live dict; `args` a tuple; `kw` NULL or a dict.
unsafe fn dict_update(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let name = crate::unicodeobject::intern("update");
        let f = crate::object::type_lookup_ref(&raw mut PyDict_Type, name);
        if f.is_null() {
            return -1;
        }
        let pos = crate::tupleobject::items(args);
        let mut all = vec![op];
        all.extend_from_slice(pos);
        let full = tuple_of(&all);
        let r = crate::abstract_::call(f, full, kw);
        decref(full);
        decref(f);
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

/// `repr(dict)` of `op` as dict prints it (a Rust string; None with the exception).
unsafe fn plain_dict_repr(op: *mut PyObject) -> Option<String> {
    // SAFETY: `op` a live dict.
    unsafe {
        let f = PyDict_Type.tp_repr.expect("dict has tp_repr");
        let r = crate::extcall::unary(f, op);
        if r.is_null() {
            return None;
        }
        let t = crate::unicodeobject::as_str(r).unwrap_or("").to_owned();
        decref(r);
        Some(t)
    }
}

// --- defaultdict ---

#[repr(C)]
struct DefaultDict {
    dict: PyDictObject,
    default_factory: *mut PyObject,
}

/// # Safety
/// `op` must be a live defaultdict.
unsafe fn factory_slot<'a>(op: *mut PyObject) -> &'a mut *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { &mut (*op.cast::<DefaultDict>()).default_factory }
}

unsafe extern "C" fn dd_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `t` is defaultdict or a subtype (slot contract).
    unsafe {
        let d = new_empty(t);
        if !d.is_null() {
            *factory_slot(d) = null_mut();
        }
        d
    }
}

unsafe extern "C" fn dd_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live defaultdict, argument tuple, NULL or dict (slot contract).
    unsafe {
        let pos = crate::tupleobject::items(args);
        let mut factory = null_mut();
        let mut rest = pos;
        if let Some(&f) = pos.first() {
            if f != crate::object::none() && !crate::abstract_::callable_check(f) {
                raise(
                    &raw mut EXC_TypeError,
                    "first argument must be callable or None",
                );
                return -1;
            }
            if f != crate::object::none() {
                factory = new_ref(f);
            }
            rest = &pos[1..];
        }
        if rest.len() > 1 {
            xdecref(factory);
            raise(
                &raw mut EXC_TypeError,
                &format!("dict expected at most 1 argument, got {}", rest.len()),
            );
            return -1;
        }
        let old = std::mem::replace(factory_slot(op), factory);
        xdecref(old);
        let rest = tuple_of(rest);
        let r = dict_update(op, rest, kw);
        decref(rest);
        r
    }
}

unsafe extern "C" fn dd_dealloc(op: *mut PyObject) {
    // SAFETY: a dead defaultdict (slot contract).
    unsafe {
        let f = std::mem::replace(factory_slot(op), null_mut());
        xdecref(f);
        crate::extcall::destructor(PyDict_Type.tp_dealloc.expect("dict has tp_dealloc"), op);
    }
}

unsafe extern "C" fn dd_missing(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live defaultdict and key (method contract).
    unsafe {
        let f = *factory_slot(op);
        if f.is_null() {
            crate::dictobject::key_error(key);
            return null_mut();
        }
        let v = crate::abstract_::call_args(f, &[]);
        if v.is_null() {
            return v;
        }
        if crate::abstract_::set_item(op, key, v) < 0 {
            decref(v);
            return null_mut();
        }
        v
    }
}

unsafe fn factory_or_none(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live defaultdict.
    unsafe {
        let f = *factory_slot(op);
        if f.is_null() {
            crate::object::new_none()
        } else {
            new_ref(f)
        }
    }
}

unsafe extern "C" fn dd_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live defaultdict (method contract).
    unsafe {
        let f = factory_or_none(op);
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), &[f, op]);
        decref(f);
        r
    }
}

unsafe extern "C" fn dd_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live defaultdict (slot contract).
    unsafe {
        let Some(base) = plain_dict_repr(op) else {
            return null_mut();
        };
        let f = *factory_slot(op);
        let ftext = if f.is_null() {
            "None".to_string()
        } else if !crate::iterobject::repr_enter(f) {
            "...".to_string()
        } else {
            let r = repr_of(f);
            crate::iterobject::repr_leave(f);
            match r {
                Some(r) => r,
                None => return null_mut(),
            }
        };
        s(&format!("{}({ftext}, {base})", type_name_of(op)))
    }
}

unsafe extern "C" fn dd_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live defaultdict (method contract).
    unsafe {
        let f = *factory_slot(op);
        let args = if f.is_null() {
            crate::tupleobject::new_tuple(0)
        } else {
            tuple_of(&[f])
        };
        let items = crate::abstract_::call_method(op, "items", &[]);
        if items.is_null() {
            decref(args);
            return null_mut();
        }
        let it = crate::abstract_::get_iter(items);
        decref(items);
        if it.is_null() {
            decref(args);
            return null_mut();
        }
        let none = crate::object::none();
        let r = tuple_of(&[crate::object::ty(op).cast(), args, none, none, it]);
        decref(args);
        decref(it);
        r
    }
}

unsafe extern "C" fn dd_factory_get(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live defaultdict (getter contract).
    unsafe { factory_or_none(op) }
}

unsafe extern "C" fn dd_factory_set(op: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live defaultdict; `v` NULL (delete) or live.
    unsafe {
        let new = if v.is_null() || v == crate::object::none() {
            null_mut()
        } else {
            new_ref(v)
        };
        let old = std::mem::replace(factory_slot(op), new);
        xdecref(old);
        0
    }
}

/// `a | b` with a defaultdict on either side (CPython's `__or__` / `__ror__`).
unsafe extern "C" fn dd_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let (this, other, left) = if is_defaultdict(a) {
            (a, b, true)
        } else {
            (b, a, false)
        };
        if !crate::dictobject::is_dict(other) {
            return crate::longobject::not_implemented();
        }
        let f = factory_or_none(this);
        let first = if left { this } else { other };
        let second = if left { other } else { this };
        let n = crate::abstract_::call_args(crate::object::ty(this).cast(), &[f, first]);
        decref(f);
        if n.is_null() {
            return n;
        }
        if crate::dictobject::PyDict_Update(n, second) < 0 {
            decref(n);
            return null_mut();
        }
        n
    }
}

unsafe extern "C" fn dd_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let t = tuple_of(&[b]);
        let r = dict_update(a, t, null_mut());
        decref(t);
        if r < 0 {
            return null_mut();
        }
        new_ref(a)
    }
}

/// # Safety
/// `op` must be live.
unsafe fn is_defaultdict(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut DefaultDict_Type) }
}

static mut DD_METHODS: [PyMethodDef; 6] = [
    method(c"__ior__", dd_ior as *mut c_void, METH_O),
    method(c"__missing__", dd_missing as *mut c_void, METH_O),
    method(c"copy", dd_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", dd_copy as *mut c_void, METH_NOARGS),
    method(c"__reduce__", dd_reduce as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut DD_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"default_factory".as_ptr(),
        get: Some(dd_factory_get),
        set: Some(dd_factory_set),
        doc: c"Factory for default value called by __missing__().".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut DD_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_or: Some(dd_or),
    nb_inplace_or: Some(dd_ior),
    ..crate::longobject::NB_EMPTY
};

#[allow(non_upper_case_globals)]
pub(crate) static mut DefaultDict_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyDict_Type,
    tp_new: Some(dd_new),
    tp_init: Some(dd_init),
    tp_dealloc: Some(dd_dealloc),
    tp_repr: Some(dd_repr),
    tp_methods: (&raw mut DD_METHODS).cast(),
    tp_getset: (&raw mut DD_GETSET).cast(),
    tp_as_number: &raw mut DD_AS_NUMBER,
    ..static_type(
        c"collections.defaultdict",
        size_of::<DefaultDict>(),
        0,
        DICT_FLAGS,
    )
};

// --- OrderedDict ---

/// The entries of `op` (new references), in order.
unsafe fn entries(op: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: `op` a live dict.
    unsafe { crate::dictobject::owned_entries(op) }
}

/// Moves `key` to the end (or the front) of `op`'s order; KeyError when absent.
unsafe fn move_key(op: *mut PyObject, key: *mut PyObject, last: bool) -> c_int {
    // SAFETY: `op` a live dict, `key` live.
    unsafe {
        let v = crate::dictobject::get_ref(op, key);
        if v.is_null() {
            if !crate::pyerrors::occurred() {
                crate::dictobject::key_error(key);
            }
            return -1;
        }
        let k = new_ref(key);
        let rc = if last {
            let r = crate::dictobject::del_item(op, k);
            if r == 0 {
                crate::dictobject::set_item(op, k, v)
            } else {
                r
            }
        } else {
            // To the front: re-insert every entry after it.
            let all = entries(op);
            let mut rc = 0;
            for &(ek, _) in &all {
                if crate::dictobject::del_item(op, ek) < 0 {
                    rc = -1;
                    break;
                }
            }
            if rc == 0 {
                rc = crate::dictobject::set_item(op, k, v);
                for &(ek, ev) in &all {
                    if rc < 0 {
                        break;
                    }
                    let same = crate::abstract_::rich_compare_bool(ek, k, Py_EQ);
                    if same < 0 {
                        rc = -1;
                    } else if same == 0 {
                        rc = crate::dictobject::set_item(op, ek, ev);
                    }
                }
            }
            crate::dictobject::release_entries(all);
            rc
        };
        decref(k);
        decref(v);
        rc
    }
}

unsafe extern "C" fn od_move_to_end(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live OrderedDict, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(a) = parse("move_to_end", args, kw, &["key", "last"], 1) else {
            return null_mut();
        };
        let last = if a[1].is_null() {
            true
        } else {
            match crate::object::truth(a[1]) {
                -1 => return null_mut(),
                t => t == 1,
            }
        };
        if move_key(op, a[0], last) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

/// Removes and returns the last (or first) `(key, value)` pair.
pub(crate) unsafe fn popitem_impl(op: *mut PyObject, last: bool, what: &str) -> *mut PyObject {
    // SAFETY: `op` a live dict.
    unsafe {
        let all = entries(op);
        let pick = if last { all.last() } else { all.first() };
        let Some(&(k, v)) = pick else {
            crate::dictobject::release_entries(all);
            return raise(&raw mut EXC_KeyError, &format!("{what} is empty"));
        };
        let r = if crate::dictobject::del_item(op, k) < 0 {
            null_mut()
        } else {
            tuple_of(&[k, v])
        };
        crate::dictobject::release_entries(all);
        r
    }
}

unsafe extern "C" fn od_popitem(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live OrderedDict, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(a) = parse("popitem", args, kw, &["last"], 0) else {
            return null_mut();
        };
        let last = if a[0].is_null() {
            true
        } else {
            match crate::object::truth(a[0]) {
                -1 => return null_mut(),
                t => t == 1,
            }
        };
        popitem_impl(op, last, "dictionary")
    }
}

unsafe extern "C" fn od_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (slot contract).
    unsafe {
        let name = type_name_of(op);
        if crate::dictobject::len(op) == 0 {
            return s(&format!("{name}()"));
        }
        match plain_dict_repr(op) {
            Some(r) => s(&format!("{name}({r})")),
            None => null_mut(),
        }
    }
}

/// # Safety
/// `op` must be live.
unsafe fn is_od(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut OrderedDict_Type) }
}

unsafe extern "C" fn od_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let base = PyDict_Type.tp_richcompare.expect("dict compares");
        if (op == Py_EQ || op == Py_NE) && is_od(b) {
            let eq = crate::extcall::richcmp(base, a, b, Py_EQ);
            if eq.is_null() || eq != crate::boolobject::from_bool(true) {
                if !eq.is_null() && op == Py_NE && crate::dictobject::is_dict(b) {
                    decref(eq);
                    return crate::boolobject::from_bool(true);
                }
                return eq;
            }
            decref(eq);
            // Same items: the orders must agree too.
            let ka = crate::dictobject::owned_keys(a);
            let kb = crate::dictobject::owned_keys(b);
            let mut same = true;
            for (&x, &y) in ka.iter().zip(kb.iter()) {
                match crate::abstract_::rich_compare_bool(x, y, Py_EQ) {
                    1 => {}
                    0 => {
                        same = false;
                        break;
                    }
                    _ => {
                        super::release(ka);
                        super::release(kb);
                        return null_mut();
                    }
                }
            }
            super::release(ka);
            super::release(kb);
            return crate::boolobject::from_bool(same == (op == Py_EQ));
        }
        crate::extcall::richcmp(base, a, b, op)
    }
}

unsafe extern "C" fn od_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe {
        let mut keys = crate::dictobject::owned_keys(op);
        keys.reverse();
        let l = crate::listobject::from_vec(keys);
        if l.is_null() {
            return l;
        }
        let it = crate::abstract_::get_iter(l);
        decref(l);
        it
    }
}

unsafe extern "C" fn od_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe { crate::abstract_::call_args(crate::object::ty(op).cast(), &[op]) }
}

unsafe extern "C" fn od_fromkeys(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the class, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(a) = parse("fromkeys", args, kw, &["iterable", "value"], 1) else {
            return null_mut();
        };
        let value = if a[1].is_null() {
            crate::object::none()
        } else {
            a[1]
        };
        let d = crate::abstract_::call_args(cls, &[]);
        if d.is_null() {
            return d;
        }
        let it = crate::abstract_::get_iter(a[0]);
        if it.is_null() {
            decref(d);
            return null_mut();
        }
        loop {
            let k = crate::abstract_::iter_next(it);
            if k.is_null() {
                break;
            }
            let r = crate::abstract_::set_item(d, k, value);
            decref(k);
            if r < 0 {
                break;
            }
        }
        decref(it);
        if crate::pyerrors::occurred() {
            decref(d);
            return null_mut();
        }
        d
    }
}

unsafe extern "C" fn od_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe {
        let state = match crate::object::dict_ptr(op) {
            Some(p) if !(*p).is_null() => new_ref(*p),
            _ => crate::object::new_none(),
        };
        let items = crate::abstract_::call_method(op, "items", &[]);
        let it = if items.is_null() {
            null_mut()
        } else {
            let it = crate::abstract_::get_iter(items);
            decref(items);
            it
        };
        if it.is_null() {
            decref(state);
            return null_mut();
        }
        let empty = crate::tupleobject::new_tuple(0);
        let none = crate::object::none();
        let r = tuple_of(&[crate::object::ty(op).cast(), empty, state, none, it]);
        decref(empty);
        decref(state);
        decref(it);
        r
    }
}

/// `a | b` for OrderedDict (and Counter, which has its own): a copy of the left updated.
unsafe extern "C" fn od_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !crate::dictobject::is_dict(a) || !crate::dictobject::is_dict(b) {
            return crate::longobject::not_implemented();
        }
        let t = if is_od(a) {
            crate::object::ty(a)
        } else {
            crate::object::ty(b)
        };
        let n = crate::abstract_::call_args(t.cast(), &[a]);
        if n.is_null() {
            return n;
        }
        if crate::dictobject::PyDict_Update(n, b) < 0 {
            decref(n);
            return null_mut();
        }
        n
    }
}

unsafe extern "C" fn od_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live OrderedDict, argument tuple, NULL or dict (slot contract).
    unsafe {
        if crate::tupleobject::items(args).len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "expected at most 1 argument, got {}",
                    crate::tupleobject::items(args).len()
                ),
            );
            return -1;
        }
        dict_update(op, args, kw)
    }
}

unsafe extern "C" fn od_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a dict subtype (slot contract).
    unsafe { new_empty(t) }
}

unsafe fn od_view(op: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a live OrderedDict; `t` one of its view types.
    unsafe { crate::dictobject::new_view(op, t) }
}

unsafe extern "C" fn od_keys(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe { od_view(op, &raw mut OdictKeys_Type) }
}

unsafe extern "C" fn od_values(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe { od_view(op, &raw mut OdictValues_Type) }
}

unsafe extern "C" fn od_items(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live OrderedDict (method contract).
    unsafe { od_view(op, &raw mut OdictItems_Type) }
}

/// `reversed(view)`: the view's items, last first.
unsafe extern "C" fn view_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view (method contract).
    unsafe {
        let l = crate::abstract_::sequence_list(op);
        if l.is_null() {
            return l;
        }
        let mut v = crate::listobject::snapshot(l);
        decref(l);
        v.reverse();
        let l = crate::listobject::from_vec(v);
        if l.is_null() {
            return l;
        }
        let it = crate::abstract_::get_iter(l);
        decref(l);
        it
    }
}

static mut VIEW_METHODS: [PyMethodDef; 2] = [
    method(c"__reversed__", view_reversed as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

#[allow(non_upper_case_globals)]
static mut OdictKeys_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut crate::dictobject::PyDictKeys_Type,
    tp_methods: (&raw mut VIEW_METHODS).cast(),
    ..static_type(c"odict_keys", 0, 0, 0)
};

#[allow(non_upper_case_globals)]
static mut OdictValues_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut crate::dictobject::PyDictValues_Type,
    tp_methods: (&raw mut VIEW_METHODS).cast(),
    ..static_type(c"odict_values", 0, 0, 0)
};

#[allow(non_upper_case_globals)]
static mut OdictItems_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut crate::dictobject::PyDictItems_Type,
    tp_methods: (&raw mut VIEW_METHODS).cast(),
    ..static_type(c"odict_items", 0, 0, 0)
};

static mut OD_METHODS: [PyMethodDef; 12] = [
    method(c"keys", od_keys as *mut c_void, METH_NOARGS),
    method(c"values", od_values as *mut c_void, METH_NOARGS),
    method(c"items", od_items as *mut c_void, METH_NOARGS),
    method(c"__ior__", dd_ior as *mut c_void, METH_O),
    method(
        c"move_to_end",
        od_move_to_end as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"popitem",
        od_popitem as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"__reversed__", od_reversed as *mut c_void, METH_NOARGS),
    method(c"copy", od_copy as *mut c_void, METH_NOARGS),
    method(c"__reduce__", od_reduce as *mut c_void, METH_NOARGS),
    method(
        c"fromkeys",
        od_fromkeys as *mut c_void,
        METH_VARARGS | METH_KEYWORDS | METH_CLASS,
    ),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut OD_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_or: Some(od_or),
    nb_inplace_or: Some(dd_ior),
    ..crate::longobject::NB_EMPTY
};

#[allow(non_upper_case_globals)]
pub(crate) static mut OrderedDict_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyDict_Type,
    tp_new: Some(od_new),
    tp_init: Some(od_init),
    tp_repr: Some(od_repr),
    tp_richcompare: Some(od_richcompare),
    tp_methods: (&raw mut OD_METHODS).cast(),
    tp_as_number: &raw mut OD_AS_NUMBER,
    tp_doc: c"Dictionary that remembers insertion order".as_ptr(),
    ..static_type(
        c"collections.OrderedDict",
        size_of::<PyDictObject>(),
        0,
        DICT_FLAGS,
    )
};

// --- Counter ---

/// Whether `o` is a mapping as `Counter.update` tells (`collections.abc.Mapping`, or a dict
/// when gilgate has no `_collections_abc`).
unsafe fn is_mapping(o: *mut PyObject) -> c_int {
    // SAFETY: `o` live.
    unsafe {
        if crate::dictobject::is_dict(o) {
            return 1;
        }
        let abc = super::abc_module();
        if abc.is_null() {
            crate::pyerrors::clear();
            return 0;
        }
        let m = crate::object::PyObject_GetAttrString(abc, c"Mapping".as_ptr());
        if m.is_null() {
            return -1;
        }
        let r = crate::abstract_::PyObject_IsInstance(o, m);
        decref(m);
        r
    }
}

/// `self[k]` as the counter reads it (`self.get(k, 0)`): a new reference.
unsafe fn count_of(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter and key.
    unsafe {
        let v = crate::dictobject::get_ref(op, k);
        if v.is_null() && !crate::pyerrors::occurred() {
            return crate::longobject::from_i64(0);
        }
        v
    }
}

/// `Counter.update` (`sign` 1) and `Counter.subtract` (-1) with CPython's order of operands:
/// a mapping's `count + self.get(elem, 0)` (or, into an empty counter, a plain
/// `dict.update`), an iterable's `self.get(elem, 0) + 1`, subtraction's
/// `self.get(elem, 0) - count`; then the keyword arguments as one more mapping.
unsafe fn count_update(
    op: *mut PyObject,
    iterable: *mut PyObject,
    kw: *mut PyObject,
    sign: i32,
) -> c_int {
    // SAFETY: live counter; `iterable` NULL or live; `kw` NULL or dict.
    unsafe {
        // cur = self.get(k, 0); self[k] = (n + cur | cur + n | cur - n)
        let step = |k: *mut PyObject, n: *mut PyObject, count_first: bool| -> c_int {
            let cur = count_of(op, k);
            if cur.is_null() {
                return -1;
            }
            let v = if sign < 0 {
                crate::abstract_::PyNumber_Subtract(cur, n)
            } else if count_first {
                crate::abstract_::PyNumber_Add(n, cur)
            } else {
                crate::abstract_::PyNumber_Add(cur, n)
            };
            decref(cur);
            if v.is_null() {
                return -1;
            }
            let r = crate::abstract_::set_item(op, k, v);
            decref(v);
            r
        };
        if !iterable.is_null() && iterable != crate::object::none() {
            match is_mapping(iterable) {
                -1 => return -1,
                1 => {
                    if sign > 0 && crate::dictobject::len(op) == 0 {
                        let t = tuple_of(&[iterable]);
                        let r = dict_update(op, t, null_mut());
                        decref(t);
                        if r < 0 {
                            return -1;
                        }
                    } else {
                        let items = crate::abstract_::call_method(iterable, "items", &[]);
                        if items.is_null() {
                            return -1;
                        }
                        let pairs = crate::iterobject::collect(items);
                        decref(items);
                        let Ok(pairs) = pairs else { return -1 };
                        let mut rc = 0;
                        for &p in &pairs {
                            let kv = crate::abstract_::sequence_tuple(p);
                            if kv.is_null() {
                                rc = -1;
                                break;
                            }
                            let kvs = crate::tupleobject::items(kv);
                            rc = step(kvs[0], kvs[1], true);
                            decref(kv);
                            if rc < 0 {
                                break;
                            }
                        }
                        crate::iterobject::release_all(pairs);
                        if rc < 0 {
                            return -1;
                        }
                    }
                }
                _ => {
                    let it = crate::abstract_::get_iter(iterable);
                    if it.is_null() {
                        return -1;
                    }
                    let one = crate::longobject::from_i64(1);
                    loop {
                        let k = crate::abstract_::iter_next(it);
                        if k.is_null() {
                            break;
                        }
                        let r = step(k, one, false);
                        decref(k);
                        if r < 0 {
                            break;
                        }
                    }
                    decref(one);
                    decref(it);
                    if crate::pyerrors::occurred() {
                        return -1;
                    }
                }
            }
        }
        if !kw.is_null() && crate::dictobject::len(kw) > 0 {
            let kw = crate::dictobject::copy(kw);
            if kw.is_null() {
                return -1;
            }
            let r = count_update(op, kw, null_mut(), sign);
            decref(kw);
            return r;
        }
        0
    }
}

/// The one optional positional argument of `Counter.NAME(self, iterable=None, /, **kwds)`.
unsafe fn one_positional(name: &str, args: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: `args` a tuple.
    let pos = unsafe { crate::tupleobject::items(args) };
    if pos.len() > 1 {
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "Counter.{name}() takes from 1 to 2 positional arguments but {} were given",
                pos.len() + 1
            ),
        );
        return None;
    }
    Some(pos.first().copied().unwrap_or(null_mut()))
}

unsafe extern "C" fn c_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live counter, argument tuple, NULL or dict (slot contract).
    unsafe {
        let Some(it) = one_positional("__init__", args) else {
            return -1;
        };
        count_update(op, it, kw, 1)
    }
}

unsafe extern "C" fn c_update(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live counter, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(it) = one_positional("update", args) else {
            return null_mut();
        };
        if count_update(op, it, kw, 1) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn c_subtract(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live counter, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(it) = one_positional("subtract", args) else {
            return null_mut();
        };
        if count_update(op, it, kw, -1) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn c_missing(_op: *mut PyObject, _k: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i64(0)
}

unsafe extern "C" fn c_total(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (method contract).
    unsafe {
        let all = entries(op);
        let mut acc = crate::longobject::from_i64(0);
        for &(_, v) in &all {
            let n = crate::abstract_::PyNumber_Add(acc, v);
            decref(acc);
            acc = n;
            if acc.is_null() {
                break;
            }
        }
        crate::dictobject::release_entries(all);
        acc
    }
}

/// The entries sorted by count, largest first, ties in insertion order (a stable sort).
unsafe fn sorted_entries(op: *mut PyObject) -> Option<Vec<(*mut PyObject, *mut PyObject)>> {
    // SAFETY: live counter.
    unsafe {
        let mut all = entries(op);
        let mut failed = false;
        all.sort_by(|a, b| {
            if failed {
                return std::cmp::Ordering::Equal;
            }
            // b < a: a comes first.
            match crate::abstract_::rich_compare_bool(b.1, a.1, Py_LT) {
                1 => std::cmp::Ordering::Less,
                0 => match crate::abstract_::rich_compare_bool(a.1, b.1, Py_LT) {
                    1 => std::cmp::Ordering::Greater,
                    0 => std::cmp::Ordering::Equal,
                    _ => {
                        failed = true;
                        std::cmp::Ordering::Equal
                    }
                },
                _ => {
                    failed = true;
                    std::cmp::Ordering::Equal
                }
            }
        });
        if failed {
            crate::dictobject::release_entries(all);
            return None;
        }
        Some(all)
    }
}

unsafe extern "C" fn c_most_common(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live counter, argument tuple, NULL or dict (method contract).
    unsafe {
        let Some(a) = parse("most_common", args, kw, &["n"], 0) else {
            return null_mut();
        };
        let Some(all) = sorted_entries(op) else {
            return null_mut();
        };
        let mut n = all.len();
        if !a[0].is_null() && a[0] != crate::object::none() {
            // heapq.nlargest(n, ...) first compares `n >= len(self)`.
            let size = crate::longobject::from_i64(n as i64);
            let ge = crate::abstract_::rich_compare_bool(a[0], size, Py_GE);
            decref(size);
            if ge < 0 {
                crate::dictobject::release_entries(all);
                return null_mut();
            }
            let k = crate::abstract_::as_ssize_t(a[0], &raw mut crate::pyerrors::EXC_OverflowError);
            if k == -1 && crate::pyerrors::occurred() {
                crate::dictobject::release_entries(all);
                return null_mut();
            }
            n = n.min(k.max(0) as usize);
        }
        let l = crate::listobject::new_list(0);
        for &(k, v) in &all[..n] {
            let t = tuple_of(&[k, v]);
            crate::listobject::append(l, t);
            decref(t);
        }
        crate::dictobject::release_entries(all);
        l
    }
}

unsafe extern "C" fn c_elements(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (method contract).
    unsafe {
        let all = entries(op);
        let mut out = Vec::new();
        let mut failed = false;
        for &(k, v) in &all {
            let n = crate::abstract_::as_ssize_t(v, &raw mut crate::pyerrors::EXC_OverflowError);
            if n == -1 && crate::pyerrors::occurred() {
                failed = true;
                break;
            }
            for _ in 0..n.max(0) {
                out.push(new_ref(k));
            }
        }
        crate::dictobject::release_entries(all);
        if failed {
            super::release(out);
            return null_mut();
        }
        let l = crate::listobject::from_vec(out);
        if l.is_null() {
            return l;
        }
        let it = crate::abstract_::get_iter(l);
        decref(l);
        it
    }
}

unsafe extern "C" fn c_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (slot contract).
    unsafe {
        let name = type_name_of(op);
        if crate::dictobject::len(op) == 0 {
            return s(&format!("{name}()"));
        }
        if !crate::iterobject::repr_enter(op) {
            return s("...");
        }
        let Some(all) = sorted_entries(op) else {
            crate::iterobject::repr_leave(op);
            // CPython falls back to the dict's order when counts do not sort.
            crate::pyerrors::clear();
            let r = plain_dict_repr(op);
            return r.map_or(null_mut(), |r| s(&format!("{name}({r})")));
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for &(k, v) in &all {
            match crate::iterobject::repr_all(&[k, v]) {
                Some(kv) => parts.push(format!("{}: {}", kv[0], kv[1])),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        crate::dictobject::release_entries(all);
        crate::iterobject::repr_leave(op);
        if !ok {
            return null_mut();
        }
        s(&format!("{name}({{{}}})", parts.join(", ")))
    }
}

unsafe extern "C" fn c_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (method contract).
    unsafe { crate::abstract_::call_args(crate::object::ty(op).cast(), &[op]) }
}

unsafe extern "C" fn c_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (method contract).
    unsafe {
        let d = crate::dictobject::copy(op);
        if d.is_null() {
            return d;
        }
        let args = tuple_of(&[d]);
        decref(d);
        let r = tuple_of(&[crate::object::ty(op).cast(), args]);
        decref(args);
        r
    }
}

unsafe extern "C" fn c_fromkeys(
    _cls: *mut PyObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    raise(
        &raw mut EXC_NotImplementedError,
        "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.",
    )
}

unsafe extern "C" fn c_delitem(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live counter and key; `v` NULL (delete) or live (slot contract).
    unsafe {
        let base = PyDict_Type
            .tp_as_mapping
            .as_ref()
            .and_then(|m| m.mp_ass_subscript);
        let base = base.expect("dict assigns");
        if v.is_null() {
            let has = crate::dictobject::get_ref(op, k);
            if has.is_null() {
                return if crate::pyerrors::occurred() { -1 } else { 0 };
            }
            decref(has);
        }
        crate::extcall::objobjarg(base, op, k, v)
    }
}

/// A new counter of `op`'s type keeping the entries of `pairs` whose count is > 0.
unsafe fn positive_of(
    t: *mut PyTypeObject,
    pairs: &[(*mut PyObject, *mut PyObject)],
) -> *mut PyObject {
    // SAFETY: live pairs; `t` a Counter type.
    unsafe {
        let r = crate::abstract_::call_args(t.cast(), &[]);
        if r.is_null() {
            return r;
        }
        let zero = crate::longobject::from_i64(0);
        for &(k, v) in pairs {
            match crate::abstract_::rich_compare_bool(v, zero, Py_GT) {
                1 => {
                    if crate::abstract_::set_item(r, k, v) < 0 {
                        decref(zero);
                        decref(r);
                        return null_mut();
                    }
                }
                0 => {}
                _ => {
                    decref(zero);
                    decref(r);
                    return null_mut();
                }
            }
        }
        decref(zero);
        r
    }
}

/// # Safety
/// `op` must be live.
unsafe fn is_counter(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut Counter_Type) }
}

#[derive(Clone, Copy, PartialEq)]
enum Arith {
    Add,
    Sub,
    Or,
    And,
}

/// `a OP b` for two counters: the combined counts, keeping the positive ones.
unsafe fn arith(a: *mut PyObject, b: *mut PyObject, how: Arith) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if !is_counter(a) || !is_counter(b) {
            return crate::longobject::not_implemented();
        }
        let ea = entries(a);
        let eb = entries(b);
        let mut out: Vec<(*mut PyObject, *mut PyObject)> = Vec::new();
        let mut failed = false;
        'outer: {
            for &(k, va) in &ea {
                let vb = count_of(b, k);
                if vb.is_null() {
                    failed = true;
                    break 'outer;
                }
                let v = match how {
                    Arith::Add => crate::abstract_::PyNumber_Add(va, vb),
                    Arith::Sub => crate::abstract_::PyNumber_Subtract(va, vb),
                    Arith::Or | Arith::And => {
                        let want = if how == Arith::Or { Py_LT } else { Py_GT };
                        match crate::abstract_::rich_compare_bool(va, vb, want) {
                            1 => new_ref(vb),
                            0 => new_ref(va),
                            _ => null_mut(),
                        }
                    }
                };
                decref(vb);
                if v.is_null() {
                    failed = true;
                    break 'outer;
                }
                out.push((new_ref(k), v));
            }
            if how == Arith::Add || how == Arith::Or {
                for &(k, vb) in &eb {
                    let has = crate::dictobject::get_ref(a, k);
                    if !has.is_null() {
                        decref(has);
                        continue;
                    }
                    if crate::pyerrors::occurred() {
                        failed = true;
                        break 'outer;
                    }
                    out.push((new_ref(k), new_ref(vb)));
                }
            }
        }
        crate::dictobject::release_entries(ea);
        crate::dictobject::release_entries(eb);
        let r = if failed {
            null_mut()
        } else {
            positive_of(&raw mut Counter_Type, &out)
        };
        crate::dictobject::release_entries(out);
        r
    }
}

unsafe extern "C" fn c_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { arith(a, b, Arith::Add) }
}

unsafe extern "C" fn c_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { arith(a, b, Arith::Sub) }
}

unsafe extern "C" fn c_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { arith(a, b, Arith::Or) }
}

unsafe extern "C" fn c_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { arith(a, b, Arith::And) }
}

/// `+c` (sign 1) and `-c` (sign -1): the positive counts, or the negated negative ones.
unsafe fn unary(op: *mut PyObject, sign: i32) -> *mut PyObject {
    // SAFETY: live counter.
    unsafe {
        let all = entries(op);
        let mut out = Vec::new();
        let mut failed = false;
        for &(k, v) in &all {
            let v = if sign > 0 {
                new_ref(v)
            } else {
                crate::abstract_::PyNumber_Negative(v)
            };
            if v.is_null() {
                failed = true;
                break;
            }
            out.push((new_ref(k), v));
        }
        crate::dictobject::release_entries(all);
        let r = if failed {
            null_mut()
        } else {
            positive_of(&raw mut Counter_Type, &out)
        };
        crate::dictobject::release_entries(out);
        r
    }
}

unsafe extern "C" fn c_pos(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (slot contract).
    unsafe { unary(op, 1) }
}

unsafe extern "C" fn c_neg(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live counter (slot contract).
    unsafe { unary(op, -1) }
}

/// In place: `self` becomes `self OP other` (keeping only positive counts).
unsafe fn inplace(a: *mut PyObject, b: *mut PyObject, how: Arith) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let r = arith(a, b, how);
        if r.is_null() || r == crate::longobject::not_implemented() {
            return r;
        }
        let all = entries(r);
        decref(r);
        crate::dictobject::PyDict_Clear(a);
        for &(k, v) in &all {
            if crate::dictobject::set_item(a, k, v) < 0 {
                crate::dictobject::release_entries(all);
                return null_mut();
            }
        }
        crate::dictobject::release_entries(all);
        new_ref(a)
    }
}

unsafe extern "C" fn c_iadd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, Arith::Add) }
}

unsafe extern "C" fn c_isub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, Arith::Sub) }
}

unsafe extern "C" fn c_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, Arith::Or) }
}

unsafe extern "C" fn c_iand(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { inplace(a, b, Arith::And) }
}

/// Counter comparisons (3.10+): missing elements count as zero; `<=` is "every count <=".
unsafe extern "C" fn c_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_counter(b) {
            if op == Py_EQ || op == Py_NE {
                return crate::extcall::richcmp(
                    PyDict_Type.tp_richcompare.expect("dict compares"),
                    a,
                    b,
                    op,
                );
            }
            return crate::longobject::not_implemented();
        }
        // all(x cmp y for every key of either), with `cmp` per op; < and > add "!=".
        let all_keys = |x: *mut PyObject, y: *mut PyObject, cmp: c_int| -> c_int {
            for k in crate::dictobject::owned_keys(x) {
                let vx = count_of(x, k);
                let vy = count_of(y, k);
                decref(k);
                if vx.is_null() || vy.is_null() {
                    xdecref(vx);
                    xdecref(vy);
                    return -1;
                }
                let r = crate::abstract_::rich_compare_bool(vx, vy, cmp);
                decref(vx);
                decref(vy);
                if r != 1 {
                    return r;
                }
            }
            1
        };
        let both = |cmp: c_int, rev: c_int| -> c_int {
            match all_keys(a, b, cmp) {
                1 => all_keys(b, a, rev),
                r => r,
            }
        };
        let r = match op {
            Py_EQ => both(Py_EQ, Py_EQ),
            Py_NE => match both(Py_EQ, Py_EQ) {
                -1 => -1,
                r => 1 - r,
            },
            Py_LE => both(Py_LE, Py_GE),
            Py_GE => both(Py_GE, Py_LE),
            Py_LT | Py_GT => {
                let (c, rv) = if op == Py_LT {
                    (Py_LE, Py_GE)
                } else {
                    (Py_GE, Py_LE)
                };
                match both(c, rv) {
                    1 => match both(Py_EQ, Py_EQ) {
                        -1 => -1,
                        e => 1 - e,
                    },
                    r => r,
                }
            }
            _ => return crate::longobject::not_implemented(),
        };
        if r < 0 {
            return null_mut();
        }
        crate::boolobject::from_bool(r == 1)
    }
}

static mut C_METHODS: [PyMethodDef; 15] = [
    method(c"__iadd__", c_iadd as *mut c_void, METH_O),
    method(c"__isub__", c_isub as *mut c_void, METH_O),
    method(c"__ior__", c_ior as *mut c_void, METH_O),
    method(c"__iand__", c_iand as *mut c_void, METH_O),
    method(c"__missing__", c_missing as *mut c_void, METH_O),
    method(c"total", c_total as *mut c_void, METH_NOARGS),
    method(
        c"most_common",
        c_most_common as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"elements", c_elements as *mut c_void, METH_NOARGS),
    method(
        c"update",
        c_update as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"subtract",
        c_subtract as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"copy", c_copy as *mut c_void, METH_NOARGS),
    method(c"__reduce__", c_reduce as *mut c_void, METH_NOARGS),
    method(
        c"fromkeys",
        c_fromkeys as *mut c_void,
        METH_VARARGS | METH_KEYWORDS | METH_CLASS,
    ),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut C_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(c_add),
    nb_subtract: Some(c_sub),
    nb_or: Some(c_or),
    nb_and: Some(c_and),
    nb_positive: Some(c_pos),
    nb_negative: Some(c_neg),
    nb_inplace_add: Some(c_iadd),
    nb_inplace_subtract: Some(c_isub),
    nb_inplace_or: Some(c_ior),
    nb_inplace_and: Some(c_iand),
    ..crate::longobject::NB_EMPTY
};

static mut C_AS_MAPPING: crate::object::PyMappingMethods = crate::object::PyMappingMethods {
    mp_length: None,
    mp_subscript: None,
    mp_ass_subscript: Some(c_delitem),
};

#[allow(non_upper_case_globals)]
pub(crate) static mut Counter_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut PyDict_Type,
    tp_new: Some(od_new),
    tp_init: Some(c_init),
    tp_repr: Some(c_repr),
    tp_richcompare: Some(c_richcompare),
    tp_methods: (&raw mut C_METHODS).cast(),
    tp_as_number: &raw mut C_AS_NUMBER,
    tp_as_mapping: &raw mut C_AS_MAPPING,
    tp_doc: c"Dict subclass for counting hashable items.".as_ptr(),
    ..static_type(
        c"collections.Counter",
        size_of::<PyDictObject>(),
        0,
        DICT_FLAGS,
    )
};

/// The types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut DefaultDict_Type,
        &raw mut OrderedDict_Type,
        &raw mut Counter_Type,
        &raw mut OdictKeys_Type,
        &raw mut OdictValues_Type,
        &raw mut OdictItems_Type,
    ]
}
