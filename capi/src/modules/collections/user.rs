//! The wrapper classes of `collections`: `UserDict`, `UserList` and `UserString` keep their
//! contents in the instance attribute `data` (a dict, list or str), `ChainMap` its mappings in
//! `maps`; as in CPython these live in the instance `__dict__`. Most methods forward to the
//! wrapped object's method of the same name; the ones CPython defines differently (results
//! wrapped in the instance's class, `__missing__`, ChainMap's first-mapping rules) are here.

use super::{s, tuple_of, type_name_of};
use crate::longobject::method;
use crate::methodobject::{
    METH_CLASS, METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef,
};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_MAPPING, Py_TPFLAGS_SEQUENCE, PyMappingMethods, PyObject,
    PySequenceMethods, PyTypeObject, static_type,
};
use crate::pyerrors::{EXC_KeyError, EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// The layout of every wrapper: the instance dict and the weak-reference list.
#[repr(C)]
struct Wrapper {
    ob_base: PyObject,
    dict: *mut PyObject,
    weakreflist: *mut PyObject,
}

/// `op.<name>` (new reference).
unsafe fn attr(op: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: `op` live.
    unsafe { crate::object::getattr(op, crate::unicodeobject::intern(name)) }
}

/// `op.<name> = v`.
unsafe fn set_attr(op: *mut PyObject, name: &str, v: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe { crate::object::setattr(op, crate::unicodeobject::intern(name), v) }
}

/// `self.data` (or `self.maps`) `.name(*args, **kw)`.
unsafe fn forward(
    op: *mut PyObject,
    field: &str,
    name: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects; `args` a tuple or NULL; `kw` NULL or a dict.
    unsafe {
        let data = attr(op, field);
        if data.is_null() {
            return data;
        }
        let m = attr(data, name);
        decref(data);
        if m.is_null() {
            return m;
        }
        let owned_args = args.is_null();
        let args = if owned_args {
            crate::tupleobject::new_tuple(0)
        } else {
            args
        };
        let r = crate::abstract_::call(m, args, kw);
        if owned_args {
            decref(args);
        }
        decref(m);
        r
    }
}

/// `self.__class__(value)` (steals `value`).
unsafe fn rewrap(op: *mut PyObject, value: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if value.is_null() {
            return value;
        }
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), &[value]);
        decref(value);
        r
    }
}

macro_rules! forwarders {
    ($field:literal: $($f:ident => $name:literal),* $(,)?) => {
        $(
            unsafe extern "C" fn $f(
                op: *mut PyObject,
                args: *mut PyObject,
                kw: *mut PyObject,
            ) -> *mut PyObject {
                // SAFETY: the method contract: live self, argument tuple, NULL or dict.
                unsafe { forward(op, $field, $name, args, kw) }
            }
        )*
    };
}

macro_rules! wrapping_forwarders {
    ($field:literal: $($f:ident => $name:literal),* $(,)?) => {
        $(
            unsafe extern "C" fn $f(
                op: *mut PyObject,
                args: *mut PyObject,
                kw: *mut PyObject,
            ) -> *mut PyObject {
                // SAFETY: the method contract: live self, argument tuple, NULL or dict.
                unsafe { rewrap(op, forward(op, $field, $name, args, kw)) }
            }
        )*
    };
}

const VK: std::ffi::c_int = METH_VARARGS | METH_KEYWORDS;

macro_rules! fwd_row {
    ($f:ident, $name:literal) => {
        method($name, $f as *mut c_void, VK)
    };
}

/// A `tp_new` that makes the wrapper with an empty instance dict.
unsafe extern "C" fn wrapper_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: one of the wrapper types or a subtype (slot contract).
    unsafe { crate::objimpl::alloc_object(t, 0) }
}

unsafe extern "C" fn wrapper_dealloc(op: *mut PyObject) {
    // SAFETY: a dead wrapper (slot contract).
    unsafe {
        let w = &mut *op.cast::<Wrapper>();
        if !w.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        let d = std::mem::replace(&mut w.dict, null_mut());
        xdecref(d);
        crate::objimpl::default_dealloc(op);
    }
}

/// `repr(self.<field>)`.
unsafe fn repr_field(op: *mut PyObject, field: &str) -> *mut PyObject {
    // SAFETY: live object.
    unsafe {
        let d = attr(op, field);
        if d.is_null() {
            return d;
        }
        let r = crate::object::repr(d);
        decref(d);
        r
    }
}

/// `len(self.<field>)`.
unsafe fn len_field(op: *mut PyObject, field: &str) -> Py_ssize_t {
    // SAFETY: live object.
    unsafe {
        let d = attr(op, field);
        if d.is_null() {
            return -1;
        }
        let n = crate::abstract_::size(d);
        decref(d);
        n
    }
}

/// `iter(self.<field>)`.
unsafe fn iter_field(op: *mut PyObject, field: &str) -> *mut PyObject {
    // SAFETY: live object.
    unsafe {
        let d = attr(op, field);
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::get_iter(d);
        decref(d);
        r
    }
}

/// `x in self.<field>`.
unsafe fn contains_field(op: *mut PyObject, field: &str, x: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let d = attr(op, field);
        if d.is_null() {
            return -1;
        }
        let r = crate::abstract_::contains(d, x);
        decref(d);
        r
    }
}

/// The wrapped value of `other` when it is a wrapper of type `t` (`other.data`), else `other`
/// (new reference).
unsafe fn cast(other: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if crate::object::type_check(other, t) {
            attr(other, "data")
        } else {
            new_ref(other)
        }
    }
}

/// `self.data OP cast(other)` for comparisons.
unsafe fn compare_data(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let x = attr(a, "data");
        if x.is_null() {
            return x;
        }
        let y = cast(b, t);
        if y.is_null() {
            decref(x);
            return y;
        }
        let r = crate::abstract_::rich_compare(x, y, op);
        decref(x);
        decref(y);
        r
    }
}

// --- UserDict ---

unsafe extern "C" fn ud_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        let pos = crate::tupleobject::items(args);
        if pos.len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "UserDict.__init__() takes from 1 to 2 positional arguments but {} were given",
                    pos.len() + 1
                ),
            );
            return -1;
        }
        let d = crate::dictobject::new_dict();
        let r = set_attr(op, "data", d);
        decref(d);
        if r < 0 {
            return -1;
        }
        if let Some(&src) = pos.first()
            && src != crate::object::none()
        {
            let r = crate::abstract_::call_method(op, "update", &[src]);
            if r.is_null() {
                return -1;
            }
            decref(r);
        }
        if !kw.is_null() && crate::dictobject::len(kw) > 0 {
            let empty = crate::tupleobject::new_tuple(0);
            let m = attr(op, "update");
            let r = if m.is_null() {
                null_mut()
            } else {
                crate::abstract_::call(m, empty, kw)
            };
            xdecref(m);
            decref(empty);
            if r.is_null() {
                return -1;
            }
            decref(r);
        }
        0
    }
}

unsafe extern "C" fn ud_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe { len_field(op, "data") }
}

unsafe extern "C" fn ud_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return d;
        }
        let has = crate::abstract_::contains(d, k);
        if has != 0 {
            let r = if has < 0 {
                null_mut()
            } else {
                crate::abstract_::get_item(d, k)
            };
            decref(d);
            return r;
        }
        decref(d);
        let m = crate::object::type_lookup_ref(
            crate::object::ty(op),
            crate::unicodeobject::intern("__missing__"),
        );
        if !m.is_null() {
            let r = crate::abstract_::call_args(m, &[op, k]);
            decref(m);
            return r;
        }
        crate::dictobject::key_error(k);
        null_mut()
    }
}

unsafe extern "C" fn ud_setitem(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects; `v` NULL (delete) or live (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return -1;
        }
        let r = if v.is_null() {
            crate::abstract_::PyObject_DelItem(d, k)
        } else {
            crate::abstract_::set_item(d, k, v)
        };
        decref(d);
        r
    }
}

unsafe extern "C" fn ud_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe { contains_field(op, "data", k) }
}

unsafe extern "C" fn ud_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { iter_field(op, "data") }
}

unsafe extern "C" fn ud_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { repr_field(op, "data") }
}

unsafe extern "C" fn ud_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if op != crate::object::Py_EQ && op != crate::object::Py_NE {
            return crate::longobject::not_implemented();
        }
        compare_data(a, b, op, &raw mut UserDict_Type)
    }
}

unsafe extern "C" fn ud_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let t = crate::object::ty(op);
        if t == &raw mut UserDict_Type {
            let d = attr(op, "data");
            if d.is_null() {
                return d;
            }
            let c = crate::abstract_::call_method(d, "copy", &[]);
            decref(d);
            return rewrap(op, c);
        }
        let r = crate::abstract_::call_args(t.cast(), &[]);
        if r.is_null() {
            return r;
        }
        let d = attr(op, "data");
        let c = if d.is_null() {
            null_mut()
        } else {
            crate::abstract_::call_method(d, "copy", &[])
        };
        xdecref(d);
        if c.is_null() || set_attr(r, "data", c) < 0 {
            xdecref(c);
            decref(r);
            return null_mut();
        }
        decref(c);
        r
    }
}

unsafe extern "C" fn ud_get(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self and argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "UserDict.get() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        match ud_contains(op, a[0]) {
            -1 => null_mut(),
            1 => ud_getitem(op, a[0]),
            _ => new_ref(a.get(1).copied().unwrap_or(crate::object::none())),
        }
    }
}

unsafe extern "C" fn ud_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let ud = &raw mut UserDict_Type;
        let (this, other, left) = if crate::object::type_check(a, ud) {
            (a, b, true)
        } else {
            (b, a, false)
        };
        let o = if crate::object::type_check(other, ud) {
            attr(other, "data")
        } else if crate::dictobject::is_dict(other) {
            new_ref(other)
        } else {
            return crate::longobject::not_implemented();
        };
        if o.is_null() {
            return o;
        }
        let d = attr(this, "data");
        if d.is_null() {
            decref(o);
            return d;
        }
        // dict | dict: a copy of the left updated with the right.
        let (x, y) = if left { (d, o) } else { (o, d) };
        let r = crate::dictobject::copy(x);
        if !r.is_null() && crate::dictobject::PyDict_Update(r, y) < 0 {
            decref(r);
            decref(d);
            decref(o);
            return null_mut();
        }
        decref(d);
        decref(o);
        rewrap(this, r)
    }
}

unsafe extern "C" fn ud_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let o = cast(b, &raw mut UserDict_Type);
        if o.is_null() {
            return o;
        }
        let d = attr(a, "data");
        if d.is_null() {
            decref(o);
            return d;
        }
        let r = crate::abstract_::call_method(d, "update", &[o]);
        decref(d);
        decref(o);
        if r.is_null() {
            return r;
        }
        decref(r);
        new_ref(a)
    }
}

unsafe extern "C" fn ud_fromkeys(cls: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: the class and an argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "UserDict.fromkeys() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let d = crate::abstract_::call_args(cls, &[]);
        if d.is_null() {
            return d;
        }
        let value = a.get(1).copied().unwrap_or(crate::object::none());
        let it = crate::abstract_::get_iter(a[0]);
        if it.is_null() {
            decref(d);
            return it;
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

/// `Mapping.keys`/`values`/`items`: `KeysView(self)` (...) of `collections.abc`, or the
/// wrapped dict's view when gilgate has no `_collections_abc`.
unsafe fn view(op: *mut PyObject, abc_name: &std::ffi::CStr, dict_method: &str) -> *mut PyObject {
    // SAFETY: live self.
    unsafe {
        let abc = super::abc_module();
        if abc.is_null() {
            crate::pyerrors::clear();
            return forward(op, "data", dict_method, null_mut(), null_mut());
        }
        let v = crate::object::PyObject_GetAttrString(abc, abc_name.as_ptr());
        if v.is_null() {
            return v;
        }
        let r = crate::abstract_::call_args(v, &[op]);
        decref(v);
        r
    }
}

unsafe extern "C" fn ud_keys(
    op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { view(op, c"KeysView", "keys") }
}

unsafe extern "C" fn ud_values(
    op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { view(op, c"ValuesView", "values") }
}

unsafe extern "C" fn ud_items(
    op: *mut PyObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe { view(op, c"ItemsView", "items") }
}

forwarders!("data":
    ud_pop => "pop",
    ud_popitem => "popitem", ud_setdefault => "setdefault", ud_clear => "clear",
    ud_update => "update",
);

static mut UD_METHODS: [PyMethodDef; 15] = [
    method(c"__ior__", ud_ior as *mut c_void, METH_O),
    fwd_row!(ud_keys, c"keys"),
    fwd_row!(ud_values, c"values"),
    fwd_row!(ud_items, c"items"),
    fwd_row!(ud_pop, c"pop"),
    fwd_row!(ud_popitem, c"popitem"),
    fwd_row!(ud_setdefault, c"setdefault"),
    fwd_row!(ud_clear, c"clear"),
    fwd_row!(ud_update, c"update"),
    method(c"get", ud_get as *mut c_void, METH_VARARGS),
    method(c"copy", ud_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", ud_copy as *mut c_void, METH_NOARGS),
    method(
        c"fromkeys",
        ud_fromkeys as *mut c_void,
        METH_VARARGS | METH_CLASS,
    ),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut UD_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(ud_len),
    mp_subscript: Some(ud_getitem),
    mp_ass_subscript: Some(ud_setitem),
};

static mut UD_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_contains: Some(ud_contains),
    ..super::SQ_EMPTY
};

static mut UD_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_or: Some(ud_or),
    nb_inplace_or: Some(ud_ior),
    ..crate::longobject::NB_EMPTY
};

const WRAPPER_SIZE: usize = size_of::<Wrapper>();
const DICT_OFF: Py_ssize_t = std::mem::offset_of!(Wrapper, dict) as Py_ssize_t;
const WEAK_OFF: Py_ssize_t = std::mem::offset_of!(Wrapper, weakreflist) as Py_ssize_t;

#[allow(non_upper_case_globals)]
pub(crate) static mut UserDict_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(wrapper_new),
    tp_init: Some(ud_init),
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(ud_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(ud_iter),
    tp_richcompare: Some(ud_richcompare),
    tp_as_mapping: &raw mut UD_AS_MAPPING,
    tp_as_sequence: &raw mut UD_AS_SEQUENCE,
    tp_as_number: &raw mut UD_AS_NUMBER,
    tp_methods: (&raw mut UD_METHODS).cast(),
    tp_dictoffset: DICT_OFF,
    tp_weaklistoffset: WEAK_OFF,
    ..static_type(
        c"collections.UserDict",
        WRAPPER_SIZE,
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_MAPPING,
    )
};

// --- UserList ---

unsafe extern "C" fn ul_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        if !super::no_keywords("UserList.__init__", kw) {
            return -1;
        }
        let pos = crate::tupleobject::items(args);
        if pos.len() > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "UserList.__init__() takes from 1 to 2 positional arguments but {} were given",
                    pos.len() + 1
                ),
            );
            return -1;
        }
        let data = match pos.first() {
            Some(&src) if src != crate::object::none() => {
                let src = cast(src, &raw mut UserList_Type);
                if src.is_null() {
                    return -1;
                }
                let l = crate::abstract_::sequence_list(src);
                decref(src);
                l
            }
            _ => crate::listobject::new_list(0),
        };
        if data.is_null() {
            return -1;
        }
        let r = set_attr(op, "data", data);
        decref(data);
        r
    }
}

unsafe extern "C" fn ul_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe { len_field(op, "data") }
}

unsafe extern "C" fn ul_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::get_item(d, k);
        decref(d);
        if crate::sliceobject::is_slice(k) {
            return rewrap(op, r);
        }
        r
    }
}

unsafe extern "C" fn ul_setitem(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects; `v` NULL (delete) or live (slot contract).
    unsafe { ud_setitem(op, k, v) }
}

unsafe extern "C" fn ul_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe { contains_field(op, "data", k) }
}

unsafe extern "C" fn ul_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { iter_field(op, "data") }
}

unsafe extern "C" fn ul_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { repr_field(op, "data") }
}

unsafe extern "C" fn ul_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { compare_data(a, b, op, &raw mut UserList_Type) }
}

/// `self + other` / `other + self` (UserList, list or any iterable on the other side).
unsafe extern "C" fn ul_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let ul = &raw mut UserList_Type;
        let (this, other, left) = if crate::object::type_check(a, ul) {
            (a, b, true)
        } else {
            (b, a, false)
        };
        let o = if crate::object::type_check(other, ul) {
            attr(other, "data")
        } else if crate::listobject::is_list(other) {
            new_ref(other)
        } else {
            crate::abstract_::sequence_list(other)
        };
        if o.is_null() {
            return o;
        }
        let d = attr(this, "data");
        if d.is_null() {
            decref(o);
            return d;
        }
        let r = if left {
            crate::abstract_::PyNumber_Add(d, o)
        } else {
            crate::abstract_::PyNumber_Add(o, d)
        };
        decref(d);
        decref(o);
        rewrap(this, r)
    }
}

unsafe extern "C" fn ul_iadd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let o = cast(b, &raw mut UserList_Type);
        if o.is_null() {
            return o;
        }
        let r = forward(a, "data", "extend", tuple_of(&[o]), null_mut());
        decref(o);
        if r.is_null() {
            return r;
        }
        decref(r);
        new_ref(a)
    }
}

unsafe extern "C" fn ul_mul(a: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let ul = &raw mut UserList_Type;
        let (this, count) = if crate::object::type_check(a, ul) {
            (a, n)
        } else {
            (n, a)
        };
        let d = attr(this, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::PyNumber_Multiply(d, count);
        decref(d);
        rewrap(this, r)
    }
}

unsafe extern "C" fn ul_imul(a: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = attr(a, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::PyNumber_InPlaceMultiply(d, n);
        decref(d);
        if r.is_null() {
            return r;
        }
        let rc = set_attr(a, "data", r);
        decref(r);
        if rc < 0 {
            return null_mut();
        }
        new_ref(a)
    }
}

unsafe extern "C" fn ul_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return d;
        }
        rewrap(op, d)
    }
}

forwarders!("data":
    ul_append => "append", ul_insert => "insert", ul_pop => "pop", ul_remove => "remove",
    ul_clear => "clear", ul_count => "count", ul_index => "index", ul_reverse => "reverse",
    ul_sort => "sort",
);

unsafe extern "C" fn ul_extend(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let o = cast(other, &raw mut UserList_Type);
        if o.is_null() {
            return o;
        }
        let args = tuple_of(&[o]);
        decref(o);
        let r = forward(op, "data", "extend", args, null_mut());
        decref(args);
        r
    }
}

static mut UL_METHODS: [PyMethodDef; 16] = [
    method(c"__iadd__", ul_iadd as *mut c_void, METH_O),
    method(c"__imul__", ul_imul as *mut c_void, METH_O),
    fwd_row!(ul_append, c"append"),
    fwd_row!(ul_insert, c"insert"),
    fwd_row!(ul_pop, c"pop"),
    fwd_row!(ul_remove, c"remove"),
    fwd_row!(ul_clear, c"clear"),
    fwd_row!(ul_count, c"count"),
    fwd_row!(ul_index, c"index"),
    fwd_row!(ul_reverse, c"reverse"),
    fwd_row!(ul_sort, c"sort"),
    method(c"extend", ul_extend as *mut c_void, METH_O),
    method(c"copy", ul_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", ul_copy as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
    PyMethodDef::END,
];

static mut UL_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(ul_len),
    mp_subscript: Some(ul_getitem),
    mp_ass_subscript: Some(ul_setitem),
};

static mut UL_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(ul_len),
    sq_contains: Some(ul_contains),
    ..super::SQ_EMPTY
};

static mut UL_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_add: Some(ul_add),
    nb_multiply: Some(ul_mul),
    nb_inplace_add: Some(ul_iadd),
    nb_inplace_multiply: Some(ul_imul),
    ..crate::longobject::NB_EMPTY
};

#[allow(non_upper_case_globals)]
pub(crate) static mut UserList_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(wrapper_new),
    tp_init: Some(ul_init),
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(ul_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(ul_iter),
    tp_richcompare: Some(ul_richcompare),
    tp_as_mapping: &raw mut UL_AS_MAPPING,
    tp_as_sequence: &raw mut UL_AS_SEQUENCE,
    tp_as_number: &raw mut UL_AS_NUMBER,
    tp_methods: (&raw mut UL_METHODS).cast(),
    tp_dictoffset: DICT_OFF,
    tp_weaklistoffset: WEAK_OFF,
    ..static_type(
        c"collections.UserList",
        WRAPPER_SIZE,
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_SEQUENCE,
    )
};

// --- UserString ---

unsafe extern "C" fn us_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        if !super::no_keywords("UserString.__init__", kw) {
            return -1;
        }
        let pos = crate::tupleobject::items(args);
        if pos.len() != 1 {
            let msg = if pos.is_empty() {
                "UserString.__init__() missing 1 required positional argument: 'seq'".to_string()
            } else {
                format!(
                    "UserString.__init__() takes 2 positional arguments but {} were given",
                    pos.len() + 1
                )
            };
            raise(&raw mut EXC_TypeError, &msg);
            return -1;
        }
        let data = if crate::unicodeobject::is_str(pos[0]) {
            new_ref(pos[0])
        } else if crate::object::type_check(pos[0], &raw mut UserString_Type) {
            let d = attr(pos[0], "data");
            if d.is_null() {
                return -1;
            }
            let c = crate::object::str(d);
            decref(d);
            c
        } else {
            crate::object::str(pos[0])
        };
        if data.is_null() {
            return -1;
        }
        let r = set_attr(op, "data", data);
        decref(data);
        r
    }
}

unsafe extern "C" fn us_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::object::str(d);
        decref(d);
        r
    }
}

unsafe extern "C" fn us_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe { repr_field(op, "data") }
}

unsafe extern "C" fn us_hash(op: *mut PyObject) -> crate::pyport::Py_hash_t {
    // SAFETY: live self (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return -1;
        }
        let h = crate::object::PyObject_Hash(d);
        decref(d);
        h
    }
}

unsafe extern "C" fn us_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe { len_field(op, "data") }
}

unsafe extern "C" fn us_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let d = attr(op, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::get_item(d, k);
        decref(d);
        rewrap(op, r)
    }
}

unsafe extern "C" fn us_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let k = cast(k, &raw mut UserString_Type);
        if k.is_null() {
            return -1;
        }
        let r = contains_field(op, "data", k);
        decref(k);
        r
    }
}

unsafe extern "C" fn us_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { compare_data(a, b, op, &raw mut UserString_Type) }
}

unsafe extern "C" fn us_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let us = &raw mut UserString_Type;
        let (this, other, left) = if crate::object::type_check(a, us) {
            (a, b, true)
        } else {
            (b, a, false)
        };
        let o = if crate::object::type_check(other, us) {
            attr(other, "data")
        } else if crate::unicodeobject::is_str(other) {
            new_ref(other)
        } else {
            crate::object::str(other)
        };
        if o.is_null() {
            return o;
        }
        let d = attr(this, "data");
        if d.is_null() {
            decref(o);
            return d;
        }
        let r = if left {
            crate::abstract_::PyNumber_Add(d, o)
        } else {
            crate::abstract_::PyNumber_Add(o, d)
        };
        decref(d);
        decref(o);
        rewrap(this, r)
    }
}

unsafe extern "C" fn us_mul(a: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let us = &raw mut UserString_Type;
        let (this, count) = if crate::object::type_check(a, us) {
            (a, n)
        } else {
            (n, a)
        };
        let d = attr(this, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::PyNumber_Multiply(d, count);
        decref(d);
        rewrap(this, r)
    }
}

unsafe extern "C" fn us_mod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !crate::object::type_check(a, &raw mut UserString_Type) {
            return crate::longobject::not_implemented();
        }
        let d = attr(a, "data");
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::PyNumber_Remainder(d, b);
        decref(d);
        rewrap(a, r)
    }
}

forwarders!("data":
    us_count => "count", us_endswith => "endswith", us_find => "find", us_index => "index",
    us_isalpha => "isalpha", us_isalnum => "isalnum", us_isascii => "isascii",
    us_isdecimal => "isdecimal", us_isdigit => "isdigit", us_isidentifier => "isidentifier",
    us_islower => "islower", us_isnumeric => "isnumeric", us_isprintable => "isprintable",
    us_isspace => "isspace", us_istitle => "istitle", us_isupper => "isupper",
    us_join => "join", us_rfind => "rfind", us_rindex => "rindex", us_split => "split",
    us_rsplit => "rsplit", us_splitlines => "splitlines", us_startswith => "startswith",
    us_partition => "partition", us_rpartition => "rpartition", us_encode => "encode",
    us_format => "format", us_format_map => "format_map", us_maketrans => "maketrans",
);

wrapping_forwarders!("data":
    us_capitalize => "capitalize", us_casefold => "casefold", us_center => "center",
    us_expandtabs => "expandtabs", us_ljust => "ljust", us_lower => "lower",
    us_lstrip => "lstrip", us_removeprefix => "removeprefix", us_removesuffix => "removesuffix",
    us_replace => "replace", us_rjust => "rjust", us_rstrip => "rstrip", us_strip => "strip",
    us_swapcase => "swapcase", us_title => "title", us_translate => "translate",
    us_upper => "upper", us_zfill => "zfill",
);

static mut US_METHODS: [PyMethodDef; 48] = [
    fwd_row!(us_count, c"count"),
    fwd_row!(us_endswith, c"endswith"),
    fwd_row!(us_find, c"find"),
    fwd_row!(us_index, c"index"),
    fwd_row!(us_isalpha, c"isalpha"),
    fwd_row!(us_isalnum, c"isalnum"),
    fwd_row!(us_isascii, c"isascii"),
    fwd_row!(us_isdecimal, c"isdecimal"),
    fwd_row!(us_isdigit, c"isdigit"),
    fwd_row!(us_isidentifier, c"isidentifier"),
    fwd_row!(us_islower, c"islower"),
    fwd_row!(us_isnumeric, c"isnumeric"),
    fwd_row!(us_isprintable, c"isprintable"),
    fwd_row!(us_isspace, c"isspace"),
    fwd_row!(us_istitle, c"istitle"),
    fwd_row!(us_isupper, c"isupper"),
    fwd_row!(us_join, c"join"),
    fwd_row!(us_rfind, c"rfind"),
    fwd_row!(us_rindex, c"rindex"),
    fwd_row!(us_split, c"split"),
    fwd_row!(us_rsplit, c"rsplit"),
    fwd_row!(us_splitlines, c"splitlines"),
    fwd_row!(us_startswith, c"startswith"),
    fwd_row!(us_partition, c"partition"),
    fwd_row!(us_rpartition, c"rpartition"),
    fwd_row!(us_encode, c"encode"),
    fwd_row!(us_format, c"format"),
    fwd_row!(us_format_map, c"format_map"),
    fwd_row!(us_maketrans, c"maketrans"),
    fwd_row!(us_capitalize, c"capitalize"),
    fwd_row!(us_casefold, c"casefold"),
    fwd_row!(us_center, c"center"),
    fwd_row!(us_expandtabs, c"expandtabs"),
    fwd_row!(us_ljust, c"ljust"),
    fwd_row!(us_lower, c"lower"),
    fwd_row!(us_lstrip, c"lstrip"),
    fwd_row!(us_removeprefix, c"removeprefix"),
    fwd_row!(us_removesuffix, c"removesuffix"),
    fwd_row!(us_replace, c"replace"),
    fwd_row!(us_rjust, c"rjust"),
    fwd_row!(us_rstrip, c"rstrip"),
    fwd_row!(us_strip, c"strip"),
    fwd_row!(us_swapcase, c"swapcase"),
    fwd_row!(us_title, c"title"),
    fwd_row!(us_translate, c"translate"),
    fwd_row!(us_upper, c"upper"),
    fwd_row!(us_zfill, c"zfill"),
    PyMethodDef::END,
];

static mut US_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(us_len),
    mp_subscript: Some(us_getitem),
    mp_ass_subscript: None,
};

static mut US_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(us_len),
    sq_contains: Some(us_contains),
    ..super::SQ_EMPTY
};

static mut US_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_add: Some(us_add),
    nb_multiply: Some(us_mul),
    nb_remainder: Some(us_mod),
    ..crate::longobject::NB_EMPTY
};

#[allow(non_upper_case_globals)]
pub(crate) static mut UserString_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(wrapper_new),
    tp_init: Some(us_init),
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(us_repr),
    tp_str: Some(us_str),
    tp_hash: Some(us_hash),
    tp_richcompare: Some(us_richcompare),
    tp_as_mapping: &raw mut US_AS_MAPPING,
    tp_as_sequence: &raw mut US_AS_SEQUENCE,
    tp_as_number: &raw mut US_AS_NUMBER,
    tp_methods: (&raw mut US_METHODS).cast(),
    tp_dictoffset: DICT_OFF,
    tp_weaklistoffset: WEAK_OFF,
    ..static_type(
        c"collections.UserString",
        WRAPPER_SIZE,
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_SEQUENCE,
    )
};

// --- ChainMap ---

/// `self.maps` as a Rust vector (new references); None with the exception.
unsafe fn maps(op: *mut PyObject) -> Option<Vec<*mut PyObject>> {
    // SAFETY: live self.
    unsafe {
        let m = attr(op, "maps");
        if m.is_null() {
            return None;
        }
        let r = crate::iterobject::collect(m);
        decref(m);
        r.ok()
    }
}

unsafe extern "C" fn cm_init(op: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: live self, argument tuple, NULL or dict (slot contract).
    unsafe {
        if !kw.is_null()
            && let Some((k, _)) = crate::dictobject::entries(kw).first()
        {
            let key = crate::unicodeobject::as_str(*k).unwrap_or("");
            raise(
                &raw mut EXC_TypeError,
                &format!("ChainMap.__init__() got an unexpected keyword argument '{key}'"),
            );
            return -1;
        }
        let pos = crate::tupleobject::items(args);
        let l = if pos.is_empty() {
            let d = crate::dictobject::new_dict();
            let l = crate::listobject::from_slice(&[d]);
            decref(d);
            l
        } else {
            crate::listobject::from_slice(pos)
        };
        if l.is_null() {
            return -1;
        }
        let r = set_attr(op, "maps", l);
        decref(l);
        r
    }
}

unsafe extern "C" fn cm_getitem(op: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(ms) = maps(op) else {
            return null_mut();
        };
        for &m in &ms {
            let v = crate::abstract_::get_item(m, k);
            if !v.is_null() {
                crate::iterobject::release_all(ms);
                return v;
            }
            if !crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
                crate::iterobject::release_all(ms);
                return null_mut();
            }
            crate::pyerrors::clear();
        }
        crate::iterobject::release_all(ms);
        let m = crate::object::type_lookup_ref(
            crate::object::ty(op),
            crate::unicodeobject::intern("__missing__"),
        );
        if !m.is_null() {
            let r = crate::abstract_::call_args(m, &[op, k]);
            decref(m);
            return r;
        }
        crate::dictobject::key_error(k);
        null_mut()
    }
}

/// The keys of every map, first occurrence from the last map to the first (CPython's
/// `dict.fromkeys` union in reverse), as a dict.
unsafe fn union_keys(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self.
    unsafe {
        let Some(ms) = maps(op) else {
            return null_mut();
        };
        let d = crate::dictobject::new_dict();
        let none = crate::object::none();
        for &m in ms.iter().rev() {
            let Ok(keys) = crate::iterobject::collect(m) else {
                crate::iterobject::release_all(ms);
                decref(d);
                return null_mut();
            };
            for &k in &keys {
                if crate::dictobject::set_item(d, k, none) < 0 {
                    crate::iterobject::release_all(keys);
                    crate::iterobject::release_all(ms);
                    decref(d);
                    return null_mut();
                }
            }
            crate::iterobject::release_all(keys);
        }
        crate::iterobject::release_all(ms);
        d
    }
}

unsafe extern "C" fn cm_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live self (slot contract).
    unsafe {
        let d = union_keys(op);
        if d.is_null() {
            return -1;
        }
        let n = crate::dictobject::len(d);
        decref(d);
        n
    }
}

unsafe extern "C" fn cm_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe {
        let d = union_keys(op);
        if d.is_null() {
            return d;
        }
        let it = crate::abstract_::get_iter(d);
        decref(d);
        it
    }
}

unsafe extern "C" fn cm_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let Some(ms) = maps(op) else {
            return -1;
        };
        let mut r = 0;
        for &m in &ms {
            r = crate::abstract_::contains(m, k);
            if r != 0 {
                break;
            }
        }
        crate::iterobject::release_all(ms);
        r
    }
}

unsafe extern "C" fn cm_bool(op: *mut PyObject) -> c_int {
    // SAFETY: live self (slot contract).
    unsafe {
        let Some(ms) = maps(op) else {
            return -1;
        };
        let mut r = 0;
        for &m in &ms {
            r = crate::object::truth(m);
            if r != 0 {
                break;
            }
        }
        crate::iterobject::release_all(ms);
        r
    }
}

unsafe extern "C" fn cm_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (slot contract).
    unsafe {
        if !crate::iterobject::repr_enter(op) {
            return s("...");
        }
        let r = maps(op).and_then(|ms| {
            let parts = crate::iterobject::repr_all(&ms);
            crate::iterobject::release_all(ms);
            parts
        });
        crate::iterobject::repr_leave(op);
        match r {
            Some(parts) => s(&format!("{}({})", type_name_of(op), parts.join(", "))),
            None => null_mut(),
        }
    }
}

/// `self.maps[0]` (new reference).
unsafe fn first_map(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self.
    unsafe {
        let m = attr(op, "maps");
        if m.is_null() {
            return m;
        }
        let f = crate::abstract_::sequence_get_item(m, 0);
        decref(m);
        f
    }
}

unsafe extern "C" fn cm_setitem(op: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects; `v` NULL (delete) or live (slot contract).
    unsafe {
        let m = first_map(op);
        if m.is_null() {
            return -1;
        }
        let r = if v.is_null() {
            let r = crate::abstract_::PyObject_DelItem(m, k);
            if r < 0 && crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
                crate::pyerrors::clear();
                if let Some(kr) = super::repr_of(k) {
                    key_error_text(&format!("Key not found in the first mapping: {kr}"));
                }
            }
            r
        } else {
            crate::abstract_::set_item(m, k, v)
        };
        decref(m);
        r
    }
}

/// Raises `KeyError(text)`.
fn key_error_text(text: &str) {
    let t = s(text);
    // SAFETY: a live str; KeyError takes it as its one argument.
    unsafe {
        crate::dictobject::key_error(t);
        decref(t);
    }
}

unsafe extern "C" fn cm_get(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "ChainMap.get() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        match cm_contains(op, a[0]) {
            -1 => null_mut(),
            1 => cm_getitem(op, a[0]),
            _ => new_ref(a.get(1).copied().unwrap_or(crate::object::none())),
        }
    }
}

unsafe extern "C" fn cm_new_child(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live self, argument tuple, NULL or dict (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "ChainMap.new_child() takes from 1 to 2 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let m = match a.first() {
            Some(&m) if m != crate::object::none() => new_ref(m),
            _ => crate::dictobject::new_dict(),
        };
        if !kw.is_null() && crate::dictobject::len(kw) > 0 {
            let r = crate::abstract_::call_method(m, "update", &[kw]);
            if r.is_null() {
                decref(m);
                return r;
            }
            decref(r);
        }
        let Some(ms) = maps(op) else {
            decref(m);
            return null_mut();
        };
        let mut all = vec![m];
        all.extend_from_slice(&ms);
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), &all);
        decref(m);
        crate::iterobject::release_all(ms);
        r
    }
}

unsafe extern "C" fn cm_parents(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live self (getter contract).
    unsafe {
        let Some(ms) = maps(op) else {
            return null_mut();
        };
        let rest = if ms.is_empty() { &ms[..] } else { &ms[1..] };
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), rest);
        crate::iterobject::release_all(ms);
        r
    }
}

unsafe extern "C" fn cm_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let Some(ms) = maps(op) else {
            return null_mut();
        };
        if ms.is_empty() {
            crate::iterobject::release_all(ms);
            return crate::abstract_::call_args(crate::object::ty(op).cast(), &[]);
        }
        let first = crate::abstract_::call_method(ms[0], "copy", &[]);
        if first.is_null() {
            crate::iterobject::release_all(ms);
            return first;
        }
        let mut all = vec![first];
        all.extend_from_slice(&ms[1..]);
        let r = crate::abstract_::call_args(crate::object::ty(op).cast(), &all);
        decref(first);
        crate::iterobject::release_all(ms);
        r
    }
}

unsafe extern "C" fn cm_pop(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self, argument tuple (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "ChainMap.pop() takes from 2 to 3 positional arguments but {} were given",
                    a.len() + 1
                ),
            );
        }
        let m = first_map(op);
        if m.is_null() {
            return m;
        }
        let r = crate::abstract_::call_method(m, "pop", &a[..1]);
        decref(m);
        if r.is_null() && crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
            crate::pyerrors::clear();
            if let Some(&d) = a.get(1) {
                return new_ref(d);
            }
            if let Some(kr) = super::repr_of(a[0]) {
                key_error_text(&format!("Key not found in the first mapping: {kr}"));
            }
            return null_mut();
        }
        r
    }
}

unsafe extern "C" fn cm_popitem(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let m = first_map(op);
        if m.is_null() {
            return m;
        }
        let r = if crate::dictobject::is_dict(m) {
            super::dicts::popitem_impl(m, true, "popitem(): dictionary")
        } else {
            crate::abstract_::call_method(m, "popitem", &[])
        };
        decref(m);
        if r.is_null() && crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
            crate::pyerrors::clear();
            key_error_text("No keys found in the first mapping.");
            return null_mut();
        }
        r
    }
}

unsafe extern "C" fn cm_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let m = first_map(op);
        if m.is_null() {
            return m;
        }
        let r = crate::abstract_::call_method(m, "clear", &[]);
        decref(m);
        r
    }
}

unsafe extern "C" fn cm_fromkeys(cls: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: the class and an argument tuple (method contract).
    unsafe {
        let d = ud_fromkeys((&raw mut crate::dictobject::PyDict_Type).cast(), args);
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::call_args(cls, &[d]);
        decref(d);
        r
    }
}

unsafe extern "C" fn cm_keys(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live self (method contract).
    unsafe {
        let d = union_keys(op);
        if d.is_null() {
            return d;
        }
        let r = crate::abstract_::call_method(d, "keys", &[]);
        decref(d);
        r
    }
}

unsafe extern "C" fn cm_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let cm = &raw mut ChainMap_Type;
        if !crate::object::type_check(a, cm) {
            return crate::longobject::not_implemented();
        }
        let n = cm_copy(a, null_mut());
        if n.is_null() {
            return n;
        }
        let m = first_map(n);
        let r = if m.is_null() {
            null_mut()
        } else {
            crate::abstract_::call_method(m, "update", &[b])
        };
        xdecref(m);
        if r.is_null() {
            decref(n);
            return r;
        }
        decref(r);
        n
    }
}

unsafe extern "C" fn cm_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let m = first_map(a);
        if m.is_null() {
            return m;
        }
        let r = crate::abstract_::call_method(m, "update", &[b]);
        decref(m);
        if r.is_null() {
            return r;
        }
        decref(r);
        new_ref(a)
    }
}

unsafe extern "C" fn cm_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if op != crate::object::Py_EQ && op != crate::object::Py_NE {
            return crate::longobject::not_implemented();
        }
        // Mapping.__eq__: dict(self.items()) == dict(other.items()).
        let x = crate::abstract_::call_args((&raw mut crate::dictobject::PyDict_Type).cast(), &[a]);
        if x.is_null() {
            return x;
        }
        let y = if crate::dictobject::is_dict(b)
            || crate::object::type_check(b, &raw mut ChainMap_Type)
        {
            crate::abstract_::call_args((&raw mut crate::dictobject::PyDict_Type).cast(), &[b])
        } else {
            decref(x);
            return crate::longobject::not_implemented();
        };
        if y.is_null() {
            decref(x);
            return y;
        }
        let r = crate::abstract_::rich_compare(x, y, op);
        decref(x);
        decref(y);
        r
    }
}

static mut CM_METHODS: [PyMethodDef; 11] = [
    method(c"__ior__", cm_ior as *mut c_void, METH_O),
    method(c"get", cm_get as *mut c_void, METH_VARARGS),
    method(c"new_child", cm_new_child as *mut c_void, VK),
    method(c"copy", cm_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", cm_copy as *mut c_void, METH_NOARGS),
    method(c"pop", cm_pop as *mut c_void, METH_VARARGS),
    method(c"popitem", cm_popitem as *mut c_void, METH_NOARGS),
    method(c"clear", cm_clear as *mut c_void, METH_NOARGS),
    method(
        c"fromkeys",
        cm_fromkeys as *mut c_void,
        METH_VARARGS | METH_CLASS,
    ),
    method(c"keys", cm_keys as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

static mut CM_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"parents".as_ptr(),
        get: Some(cm_parents),
        set: None,
        doc: c"New ChainMap from maps[1:].".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut CM_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(cm_len),
    mp_subscript: Some(cm_getitem),
    mp_ass_subscript: Some(cm_setitem),
};

static mut CM_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_contains: Some(cm_contains),
    ..super::SQ_EMPTY
};

static mut CM_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_or: Some(cm_or),
    nb_inplace_or: Some(cm_ior),
    nb_bool: Some(cm_bool),
    ..crate::longobject::NB_EMPTY
};

#[allow(non_upper_case_globals)]
pub(crate) static mut ChainMap_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(wrapper_new),
    tp_init: Some(cm_init),
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(cm_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_iter: Some(cm_iter),
    tp_richcompare: Some(cm_richcompare),
    tp_as_mapping: &raw mut CM_AS_MAPPING,
    tp_as_sequence: &raw mut CM_AS_SEQUENCE,
    tp_as_number: &raw mut CM_AS_NUMBER,
    tp_methods: (&raw mut CM_METHODS).cast(),
    tp_getset: (&raw mut CM_GETSET).cast(),
    tp_dictoffset: DICT_OFF,
    tp_weaklistoffset: WEAK_OFF,
    ..static_type(
        c"collections.ChainMap",
        WRAPPER_SIZE,
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_MAPPING,
    )
};

/// The types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut UserDict_Type,
        &raw mut UserList_Type,
        &raw mut UserString_Type,
        &raw mut ChainMap_Type,
    ]
}
