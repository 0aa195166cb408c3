//! gilgate's own `copy` module (CPython's `Lib/copy.py`, written natively): `copy`,
//! `deepcopy` (with its memo), `replace` (`__replace__`), `Error` (alias `error`) and
//! `dispatch_table` (the same dict as `copyreg.dispatch_table`, as in CPython).
//!
//! Objects without `__copy__`/`__deepcopy__` go through the reduce protocol:
//! `dispatch_table[type(x)](x)`, else `x.__reduce_ex__(4)` (`object`'s, in
//! `objects/typeobject/reduce.rs`, unless the type overrides it), as `Lib/copy.py` does.

use crate::methodobject::{METH_KEYWORDS, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The module, its `Error` class and `dispatch_table` (addresses; created once).
static MODULE: OnceLock<usize> = OnceLock::new();
/// The addresses of the `Error` class and `dispatch_table`, set by `build`.
static PARTS: OnceLock<(usize, usize)> = OnceLock::new();

/// The `copy` module (borrowed, process-lifetime; NULL with an exception if it could not be
/// made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "copy", build)
}

fn parts() -> (*mut PyObject, *mut PyObject) {
    module();
    PARTS.get().map_or((null_mut(), null_mut()), |&(e, d)| {
        (e as *mut PyObject, d as *mut PyObject)
    })
}

/// Raises `copy.Error(msg)`.
fn raise_error(msg: &str) -> *mut PyObject {
    let (e, _) = parts();
    let m = crate::unicodeobject::from_str(msg);
    // SAFETY: `e` is the live Error class (or NULL: then a plain TypeError); `m` a new str.
    unsafe {
        if e.is_null() {
            raise(&raw mut EXC_TypeError, msg);
        } else {
            crate::pyerrors::set_object(e, m);
        }
        xdecref(m);
    }
    null_mut()
}

/// # Safety
/// `t` must be a type.
unsafe fn type_is(t: *mut PyTypeObject, set: &[*mut PyTypeObject]) -> bool {
    set.contains(&t)
}

/// The types `copy.copy` returns as they are (`_copy_atomic_types`, those gilgate has).
fn copy_atomic() -> [*mut PyTypeObject; 16] {
    [
        &raw mut crate::object::_PyNone_Type,
        &raw mut crate::longobject::PyLong_Type,
        &raw mut crate::floatobject::PyFloat_Type,
        &raw mut crate::boolobject::PyBool_Type,
        &raw mut crate::complexobject::PyComplex_Type,
        &raw mut crate::unicodeobject::PyUnicode_Type,
        &raw mut crate::tupleobject::PyTuple_Type,
        &raw mut crate::bytesobject::PyBytes_Type,
        &raw mut crate::setobject::PyFrozenSet_Type,
        &raw mut crate::object::PyType_Type,
        &raw mut crate::rangeobject::PyRange_Type,
        &raw mut crate::sliceobject::PySlice_Type,
        &raw mut crate::descrobject::property::PyProperty_Type,
        &raw mut crate::methodobject::PyCFunction_Type,
        &raw mut crate::object::PyEllipsis_Type,
        &raw mut crate::object::_PyNotImplemented_Type,
    ]
}

/// The types `copy.deepcopy` returns as they are (`_atomic_types`, those gilgate has).
fn deep_atomic() -> [*mut PyTypeObject; 14] {
    [
        &raw mut crate::object::_PyNone_Type,
        &raw mut crate::object::PyEllipsis_Type,
        &raw mut crate::object::_PyNotImplemented_Type,
        &raw mut crate::longobject::PyLong_Type,
        &raw mut crate::floatobject::PyFloat_Type,
        &raw mut crate::boolobject::PyBool_Type,
        &raw mut crate::complexobject::PyComplex_Type,
        &raw mut crate::bytesobject::PyBytes_Type,
        &raw mut crate::unicodeobject::PyUnicode_Type,
        &raw mut crate::object::PyType_Type,
        &raw mut crate::rangeobject::PyRange_Type,
        &raw mut crate::methodobject::PyCFunction_Type,
        &raw mut crate::weakrefobject::_PyWeakref_RefType,
        &raw mut crate::descrobject::property::PyProperty_Type,
    ]
}

/// `getattr(o, name, None)` as an optional new reference (None: absent; Err: an error).
unsafe fn lookup(o: *mut PyObject, name: &str) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: `o` live.
    unsafe {
        let mut out = null_mut();
        match crate::object::getattr_opt(o, crate::unicodeobject::intern(name), &mut out) {
            r if r < 0 => Err(()),
            0 => Ok(None),
            _ => Ok(Some(out)),
        }
    }
}

/// The one argument `x` of `copy(x)` (a Python function in CPython: its messages).
unsafe fn one_x(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    extra: &[&str],
) -> Option<Vec<*mut PyObject>> {
    // SAFETY: an argument tuple, NULL or a dict.
    unsafe {
        let mut names = vec!["x"];
        names.extend_from_slice(extra);
        let pos = crate::tupleobject::items(args);
        if pos.len() > names.len() {
            let n = names.len();
            let takes = if n == 1 {
                "1 positional argument".to_string()
            } else {
                format!("from 1 to {n} positional arguments")
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes {takes} but {} {} given",
                    pos.len(),
                    if pos.len() == 1 { "was" } else { "were" }
                ),
            );
            return None;
        }
        let mut out = vec![null_mut(); names.len()];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = crate::unicodeobject::as_str(k).unwrap_or("");
                match names.iter().position(|n| *n == key) {
                    Some(i) if !out[i].is_null() => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got multiple values for argument '{key}'"),
                        );
                        return None;
                    }
                    Some(i) => out[i] = v,
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return None;
                    }
                }
            }
        }
        if out[0].is_null() {
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}() missing 1 required positional argument: 'x'"),
            );
            return None;
        }
        Some(out)
    }
}

unsafe extern "C" fn copy_copy_call(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: an argument tuple, NULL or a dict (method contract).
    unsafe {
        let Some(a) = one_x("copy", args, kw, &[]) else {
            return null_mut();
        };
        copy_copy(m, a[0])
    }
}

/// `copy.copy(x)`.
unsafe extern "C" fn copy_copy(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (method contract).
    unsafe {
        let cls = crate::object::ty(x);
        if type_is(cls, &copy_atomic()) || crate::object::is_type(x) {
            return new_ref(x);
        }
        if cls == &raw mut crate::bytearrayobject::PyByteArray_Type {
            return crate::abstract_::call_args(cls.cast(), &[x]);
        }
        if type_is(
            cls,
            &[
                &raw mut crate::listobject::PyList_Type,
                &raw mut crate::dictobject::PyDict_Type,
                &raw mut crate::setobject::PySet_Type,
            ],
        ) {
            return crate::abstract_::call_method(x, "copy", &[]);
        }
        match lookup(cls.cast(), "__copy__") {
            Err(()) => return null_mut(),
            Ok(Some(f)) => {
                let r = crate::abstract_::call_args(f, &[x]);
                decref(f);
                return r;
            }
            Ok(None) => {}
        }
        let rv = reduce(x, "un(shallow)copyable");
        if rv.is_null() {
            return rv;
        }
        let r = if crate::unicodeobject::is_str(rv) {
            new_ref(x)
        } else {
            reconstruct(x, null_mut(), rv)
        };
        decref(rv);
        r
    }
}

/// The reduce value of `x`: `dispatch_table[type(x)](x)`, `x.__reduce_ex__(4)`,
/// `x.__reduce__()`, or the default `object.__reduce_ex__(4)`.
unsafe fn reduce(x: *mut PyObject, what: &str) -> *mut PyObject {
    // SAFETY: `x` live.
    unsafe {
        let cls = crate::object::ty(x);
        let (_, table) = parts();
        if !table.is_null() {
            let f = crate::dictobject::get_ref(table, cls.cast());
            if !f.is_null() {
                let r = crate::abstract_::call_args(f, &[x]);
                decref(f);
                return r;
            }
            if crate::pyerrors::occurred() {
                return null_mut();
            }
        }
        match lookup(x, "__reduce_ex__") {
            Err(()) => return null_mut(),
            Ok(Some(f)) => {
                let four = crate::longobject::from_i64(4);
                let r = crate::abstract_::call_args(f, &[four]);
                decref(four);
                decref(f);
                return r;
            }
            Ok(None) => {}
        }
        match lookup(x, "__reduce__") {
            Err(()) => return null_mut(),
            Ok(Some(f)) => {
                let r = crate::abstract_::call_args(f, &[]);
                decref(f);
                return r;
            }
            Ok(None) => {}
        }
        // Every object has `object.__reduce_ex__`; a type that deleted it is not copyable.
        let shown = crate::object::repr_string(cls.cast());
        raise_error(&format!("{what} object of type {shown}"))
    }
}

/// `_reconstruct(x, memo, *rv)`; `memo` NULL for a shallow copy.
unsafe fn reconstruct(x: *mut PyObject, memo: *mut PyObject, rv: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects; `memo` NULL or a dict.
    unsafe {
        if !crate::tupleobject::is_tuple(rv) {
            return raise_error("__reduce__ must return a string or tuple");
        }
        let parts = crate::tupleobject::items(rv);
        if parts.len() < 2 || parts.len() > 5 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "_reconstruct() takes from 4 to 7 positional arguments but {} were given",
                    parts.len() + 2
                ),
            );
        }
        let deep = !memo.is_null();
        let get = |i: usize| -> *mut PyObject {
            parts
                .get(i)
                .copied()
                .filter(|&p| p != crate::object::none())
                .unwrap_or(null_mut())
        };
        let func = parts[0];
        let mut args = new_ref(parts[1]);
        if deep && crate::object::truth(args) == 1 {
            let a = deepcopy_impl(args, memo);
            decref(args);
            if a.is_null() {
                return a;
            }
            args = a;
        }
        let targs = crate::abstract_::sequence_tuple(args);
        decref(args);
        if targs.is_null() {
            return targs;
        }
        let y = crate::abstract_::call(func, targs, null_mut());
        decref(targs);
        if y.is_null() {
            return y;
        }
        if deep && memo_set(memo, x, y) < 0 {
            decref(y);
            return null_mut();
        }
        let fail = |y: *mut PyObject| {
            decref(y);
            null_mut()
        };
        let state = get(2);
        if !state.is_null() {
            let state = if deep {
                deepcopy_impl(state, memo)
            } else {
                new_ref(state)
            };
            if state.is_null() {
                return fail(y);
            }
            let ok = set_state(y, state);
            decref(state);
            if !ok {
                return fail(y);
            }
        }
        let li = get(3);
        if !li.is_null() {
            loop {
                let item = crate::abstract_::iter_next(li);
                if item.is_null() {
                    break;
                }
                let item2 = if deep {
                    let c = deepcopy_impl(item, memo);
                    decref(item);
                    c
                } else {
                    item
                };
                if item2.is_null() {
                    return fail(y);
                }
                let r = crate::abstract_::call_method(y, "append", &[item2]);
                decref(item2);
                if r.is_null() {
                    return fail(y);
                }
                decref(r);
            }
            if crate::pyerrors::occurred() {
                return fail(y);
            }
        }
        let di = get(4);
        if !di.is_null() {
            loop {
                let pair = crate::abstract_::iter_next(di);
                if pair.is_null() {
                    break;
                }
                let kv = crate::abstract_::sequence_tuple(pair);
                decref(pair);
                if kv.is_null() {
                    return fail(y);
                }
                let (k, v) = (
                    crate::tupleobject::items(kv)[0],
                    crate::tupleobject::items(kv)[1],
                );
                let (k, v) = if deep {
                    (deepcopy_impl(k, memo), deepcopy_impl(v, memo))
                } else {
                    (new_ref(k), new_ref(v))
                };
                decref(kv);
                if k.is_null() || v.is_null() {
                    xdecref(k);
                    xdecref(v);
                    return fail(y);
                }
                let r = crate::abstract_::set_item(y, k, v);
                decref(k);
                decref(v);
                if r < 0 {
                    return fail(y);
                }
            }
            if crate::pyerrors::occurred() {
                return fail(y);
            }
        }
        y
    }
}

/// Applies a reduce state: `y.__setstate__(state)`, else the `__dict__` update and the slot
/// assignments of a `(state, slotstate)` pair.
unsafe fn set_state(y: *mut PyObject, state: *mut PyObject) -> bool {
    // SAFETY: live objects.
    unsafe {
        match lookup(y, "__setstate__") {
            Err(()) => return false,
            Ok(Some(f)) => {
                let r = crate::abstract_::call_args(f, &[state]);
                decref(f);
                xdecref(r);
                return !r.is_null();
            }
            Ok(None) => {}
        }
        let (mut st, mut slotstate) = (state, null_mut());
        if crate::tupleobject::is_tuple(state) && crate::tupleobject::items(state).len() == 2 {
            st = crate::tupleobject::items(state)[0];
            slotstate = crate::tupleobject::items(state)[1];
        }
        if !st.is_null() && st != crate::object::none() {
            let d = crate::object::getattr(y, crate::unicodeobject::intern("__dict__"));
            if d.is_null() {
                return false;
            }
            let r = crate::abstract_::call_method(d, "update", &[st]);
            decref(d);
            if r.is_null() {
                return false;
            }
            decref(r);
        }
        if !slotstate.is_null() && slotstate != crate::object::none() {
            let items = crate::abstract_::call_method(slotstate, "items", &[]);
            if items.is_null() {
                return false;
            }
            let pairs = crate::iterobject::collect(items);
            decref(items);
            let Ok(pairs) = pairs else { return false };
            for &p in &pairs {
                let kv = crate::tupleobject::items(p);
                if crate::object::setattr(y, kv[0], kv[1]) < 0 {
                    crate::iterobject::release_all(pairs);
                    return false;
                }
            }
            crate::iterobject::release_all(pairs);
        }
        true
    }
}

/// `id(o)` as an int (the memo's key).
fn id_of(o: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(o as usize as i128)
}

/// `memo[id(x)] = y`.
unsafe fn memo_set(memo: *mut PyObject, x: *mut PyObject, y: *mut PyObject) -> i32 {
    // SAFETY: live objects.
    unsafe {
        let k = id_of(x);
        let r = crate::abstract_::set_item(memo, k, y);
        decref(k);
        r
    }
}

/// `_keep_alive(x, memo)`: `memo[id(memo)]` is a list holding every original copied.
unsafe fn keep_alive(x: *mut PyObject, memo: *mut PyObject) -> i32 {
    // SAFETY: live objects.
    unsafe {
        let k = id_of(memo);
        let l = crate::abstract_::get_item(memo, k);
        let r = if !l.is_null() {
            let r = crate::abstract_::call_method(l, "append", &[x]);
            decref(l);
            if r.is_null() {
                -1
            } else {
                decref(r);
                0
            }
        } else if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError) {
            crate::pyerrors::clear();
            let l = crate::listobject::from_slice(&[x]);
            let r = crate::abstract_::set_item(memo, k, l);
            decref(l);
            r
        } else {
            -1
        };
        decref(k);
        r
    }
}

/// `deepcopy(x, memo)`; `memo` a live mapping.
unsafe fn deepcopy_impl(x: *mut PyObject, memo: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let cls = crate::object::ty(x);
        if type_is(cls, &deep_atomic()) {
            return new_ref(x);
        }
        let k = id_of(x);
        let get = crate::abstract_::call_method(memo, "get", &[k]);
        decref(k);
        if get.is_null() {
            return get;
        }
        if get != crate::object::none() {
            return get;
        }
        decref(get);
        let y = if cls == &raw mut crate::listobject::PyList_Type {
            let y = crate::listobject::new_list(0);
            if memo_set(memo, x, y) < 0 {
                decref(y);
                return null_mut();
            }
            for v in crate::listobject::snapshot(x) {
                let c = deepcopy_impl(v, memo);
                decref(v);
                if c.is_null() || crate::listobject::append(y, c) < 0 {
                    xdecref(c);
                    decref(y);
                    return null_mut();
                }
                decref(c);
            }
            y
        } else if cls == &raw mut crate::tupleobject::PyTuple_Type {
            let items = crate::tupleobject::items(x).to_vec();
            let mut out = Vec::with_capacity(items.len());
            for &v in &items {
                let c = deepcopy_impl(v, memo);
                if c.is_null() {
                    crate::modules::collections::release(out);
                    return null_mut();
                }
                out.push(c);
            }
            // A tuple that contained itself was copied meanwhile.
            let k = id_of(x);
            let again = crate::abstract_::call_method(memo, "get", &[k]);
            decref(k);
            if again.is_null() || again != crate::object::none() {
                crate::modules::collections::release(out);
                return again;
            }
            decref(again);
            let same = out.iter().zip(&items).all(|(a, b)| a == b);
            let y = if same {
                new_ref(x)
            } else {
                crate::modules::collections::tuple_of(&out)
            };
            crate::modules::collections::release(out);
            y
        } else if cls == &raw mut crate::dictobject::PyDict_Type {
            let y = crate::dictobject::new_dict();
            if memo_set(memo, x, y) < 0 {
                decref(y);
                return null_mut();
            }
            for (k, v) in crate::dictobject::owned_entries(x) {
                let ck = deepcopy_impl(k, memo);
                let cv = if ck.is_null() {
                    null_mut()
                } else {
                    deepcopy_impl(v, memo)
                };
                decref(k);
                decref(v);
                if cv.is_null() || crate::dictobject::set_item(y, ck, cv) < 0 {
                    xdecref(ck);
                    xdecref(cv);
                    decref(y);
                    return null_mut();
                }
                decref(ck);
                decref(cv);
            }
            y
        } else if crate::object::is_type(x) {
            new_ref(x)
        } else {
            match lookup(x, "__deepcopy__") {
                Err(()) => return null_mut(),
                Ok(Some(f)) => {
                    let r = crate::abstract_::call_args(f, &[memo]);
                    decref(f);
                    r
                }
                Ok(None) => {
                    let rv = reduce(x, "un(deep)copyable");
                    if rv.is_null() {
                        return rv;
                    }
                    let r = if crate::unicodeobject::is_str(rv) {
                        new_ref(x)
                    } else {
                        reconstruct(x, memo, rv)
                    };
                    decref(rv);
                    r
                }
            }
        };
        if y.is_null() {
            return y;
        }
        if y != x && (memo_set(memo, x, y) < 0 || keep_alive(x, memo) < 0) {
            decref(y);
            return null_mut();
        }
        y
    }
}

/// `copy.deepcopy(x, memo=None)`.
unsafe extern "C" fn copy_deepcopy(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: an argument tuple, NULL or a dict (method contract).
    unsafe {
        let Some(a) = one_x("deepcopy", args, kw, &["memo", "_nil"]) else {
            return null_mut();
        };
        if !a[1].is_null() && a[1] != crate::object::none() {
            return deepcopy_impl(a[0], a[1]);
        }
        let memo = crate::dictobject::new_dict();
        let r = deepcopy_impl(a[0], memo);
        decref(memo);
        r
    }
}

/// `copy.replace(obj, /, **changes)`.
unsafe extern "C" fn copy_replace(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: an argument tuple, NULL or a dict (method contract).
    unsafe {
        let pos = crate::tupleobject::items(args);
        if pos.len() != 1 {
            let msg = if pos.is_empty() {
                "replace() missing 1 required positional argument: 'obj'".to_string()
            } else {
                format!(
                    "replace() takes 1 positional argument but {} were given",
                    pos.len()
                )
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let cls = crate::object::ty(pos[0]);
        let f = match lookup(cls.cast(), "__replace__") {
            Err(()) => return null_mut(),
            Ok(None) => {
                let name = crate::object::type_name(cls);
                let short = name.rsplit('.').next().unwrap_or(&name);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("replace() does not support {short} objects"),
                );
            }
            Ok(Some(f)) => f,
        };
        let t = crate::modules::collections::tuple_of(&[pos[0]]);
        let r = crate::abstract_::call(f, t, kw);
        decref(t);
        decref(f);
        r
    }
}

static mut FUNCTIONS: [PyMethodDef; 4] = [
    crate::longobject::method(
        c"copy",
        copy_copy_call as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    crate::longobject::method(
        c"deepcopy",
        copy_deepcopy as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    crate::longobject::method(
        c"replace",
        copy_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("copy");
    // SAFETY: `name` is a live str; the table is static; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        let error =
            crate::pyerrors::PyErr_NewException(c"copy.Error".as_ptr(), null_mut(), null_mut());
        if error.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "Error", error);
        crate::dictobject::set_item_str(d, "error", error);
        let copyreg = crate::copyreg::module();
        if copyreg.is_null() {
            decref(m);
            return null_mut();
        }
        let table = crate::object::getattr(copyreg, crate::unicodeobject::intern("dispatch_table"));
        if table.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "dispatch_table", table);
        let all = crate::listobject::new_list(0);
        for n in ["Error", "copy", "deepcopy", "replace"] {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::append(all, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(all);
        // The module's dict and this table both keep `error` and `table` alive.
        let _ = PARTS.set((error as usize, table as usize));
        m
    }
}
