//! The `copyreg` module, native (CPython's is `Lib/copyreg.py`): the pickling registry
//! (`dispatch_table`, `pickle`, `constructor`, the extension-code registry) and the helpers
//! `object.__reduce_ex__` calls (`_reduce_ex` and `_reconstructor` for protocols 0 and 1,
//! `__newobj__`/`__newobj_ex__` for protocol 2 and later, `_slotnames`).
//!
//! The functions read the module's globals (`dispatch_table`, `_extension_registry`, ...) from
//! its dict at call time, as the Python functions do, and check their arguments with Python
//! functions' error texts. Differences from CPython, all from gilgate having no Python code:
//! the functions are builtin functions (their repr), and `dispatch_table` starts with
//! `complex` only (CPython also registers `types.UnionType` and `super`, types gilgate does not
//! have). Every type with its own `tp_new` has CPython's `__new__` builtin in its dict
//! (`typeobject::add_tp_new_wrapper`); where a lookup still finds none, `__newobj__`,
//! `_reconstructor` and `_reduce_ex` use the type's `tp_new` with the same checks.

use crate::methodobject::{METH_KEYWORDS, METH_VARARGS, PyMethodDef};
use crate::object::*;
use crate::pyerrors::{EXC_AssertionError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

static MODULE: OnceLock<usize> = OnceLock::new();

/// Python's "a, b, and c" list of quoted names.
fn quoted_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// The arguments of a Python function `func(names..., *rest)` whose first `required` names
/// have no default: the named values (NULL where absent) and, when `star` is set, the extra
/// positional arguments. Raises Python's TypeError texts.
///
/// # Safety
/// `args` must be a tuple, `kw` NULL or a dict.
unsafe fn bind(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
    star: bool,
) -> Option<(Vec<*mut PyObject>, Vec<*mut PyObject>)> {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        let mut out = vec![null_mut(); names.len()];
        let n = pos.len().min(names.len());
        out[..n].copy_from_slice(&pos[..n]);
        let rest = if star { pos[n..].to_vec() } else { Vec::new() };
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = uni::as_str(k).unwrap_or("?");
                match names.iter().position(|n| *n == key) {
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return None;
                    }
                    Some(i) if !out[i].is_null() => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got multiple values for argument '{key}'"),
                        );
                        return None;
                    }
                    Some(i) => out[i] = v,
                }
            }
        }
        if !star && pos.len() > names.len() {
            let takes = if required == names.len() {
                format!(
                    "{} positional argument{}",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                )
            } else {
                format!("from {required} to {} positional arguments", names.len())
            };
            let given = pos.len();
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes {takes} but {given} {} given",
                    if given == 1 { "was" } else { "were" }
                ),
            );
            return None;
        }
        let missing: Vec<&str> = (0..required)
            .filter(|&i| out[i].is_null())
            .map(|i| names[i])
            .collect();
        if !missing.is_empty() {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() missing {} required positional argument{}: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    quoted_list(&missing)
                ),
            );
            return None;
        }
        Some((out, rest))
    }
}

/// One of the module's globals, borrowed (NULL with NameError when it was deleted).
///
/// # Safety
/// `m` must be the module.
unsafe fn global(m: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let v = crate::dictobject::get_str(d, name);
        if v.is_null() && !crate::pyerrors::occurred() {
            raise(
                &raw mut crate::pyerrors::EXC_NameError,
                &format!("name '{name}' is not defined"),
            );
        }
        v
    }
}

/// `cls.__new__(cls, *args, **kwargs)`: the attribute when the type has one, else its
/// `tp_new` with the checks of CPython's `tp_new_wrapper`.
///
/// # Safety
/// Every object must be live; `args` a tuple, `kwargs` NULL or a dict.
pub(crate) unsafe fn call_new(
    on: *mut PyObject,
    cls: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let mut new = null_mut();
        if getattr_opt(on, uni::intern("__new__"), &mut new) < 0 {
            return null_mut();
        }
        if !new.is_null() {
            let mut all = vec![cls];
            all.extend_from_slice(crate::tupleobject::items(args));
            let t = crate::tupleobject::from_slice(&all);
            let r = if t.is_null() {
                t
            } else {
                let r = crate::abstract_::PyObject_Call(new, t, kwargs);
                decref(t);
                r
            };
            decref(new);
            return r;
        }
        let base: *mut PyTypeObject = if is_type(on) { on.cast() } else { ty(on) };
        let bname = type_name(base);
        if !is_type(cls) {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{bname}.__new__(X): X is not a type object ({})",
                    type_name(ty(cls))
                ),
            );
        }
        let sub: *mut PyTypeObject = cls.cast();
        if !is_subtype(sub, base) {
            let sname = type_name(sub);
            return raise(
                &raw mut EXC_TypeError,
                &format!("{bname}.__new__({sname}): {sname} is not a subtype of {bname}"),
            );
        }
        let Some(f) = (*base).tp_new else {
            return raise(
                &raw mut EXC_TypeError,
                &format!("cannot create '{bname}' instances"),
            );
        };
        if let Some(g) = (*sub).tp_new
            && g as usize != f as usize
        {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{bname}.__new__({}) is not safe, use {}.__new__()",
                    type_name(sub),
                    type_name(sub)
                ),
            );
        }
        crate::extcall::new(f, sub, args, kwargs)
    }
}

unsafe extern "C" fn c_pickle(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with the module, a tuple and NULL or a dict.
    unsafe {
        let names = ["ob_type", "pickle_function", "constructor_ob"];
        let Some((a, _)) = bind("pickle", args, kw, &names, 2, false) else {
            return null_mut();
        };
        if !crate::abstract_::callable_check(a[1]) {
            return raise(
                &raw mut EXC_TypeError,
                "reduction functions must be callable",
            );
        }
        let table = global(m, "dispatch_table");
        if table.is_null() || crate::abstract_::set_item(table, a[0], a[1]) < 0 {
            return null_mut();
        }
        if !a[2].is_null() && a[2] != none() && !crate::abstract_::callable_check(a[2]) {
            return raise(&raw mut EXC_TypeError, "constructors must be callable");
        }
        new_none()
    }
}

unsafe extern "C" fn c_constructor(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let Some((a, _)) = bind("constructor", args, kw, &["object"], 1, false) else {
            return null_mut();
        };
        if !crate::abstract_::callable_check(a[0]) {
            return raise(&raw mut EXC_TypeError, "constructors must be callable");
        }
        new_none()
    }
}

unsafe extern "C" fn c_pickle_complex(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let Some((a, _)) = bind("pickle_complex", args, kw, &["c"], 1, false) else {
            return null_mut();
        };
        let re = getattr(a[0], uni::intern("real"));
        if re.is_null() {
            return re;
        }
        let im = getattr(a[0], uni::intern("imag"));
        if im.is_null() {
            decref(re);
            return im;
        }
        let pair = crate::tupleobject::from_slice(&[re, im]);
        decref(re);
        decref(im);
        if pair.is_null() {
            return pair;
        }
        let r = crate::tupleobject::from_slice(&[
            (&raw mut crate::complexobject::PyComplex_Type).cast(),
            pair,
        ]);
        decref(pair);
        r
    }
}

unsafe extern "C" fn c_reconstructor(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let names = ["cls", "base", "state"];
        let Some((a, _)) = bind("_reconstructor", args, kw, &names, 3, false) else {
            return null_mut();
        };
        let (cls, base, state) = (a[0], a[1], a[2]);
        let object: *mut PyObject = (&raw mut PyBaseObject_Type).cast();
        let empty = crate::tupleobject::from_slice(&[]);
        if base == object {
            let r = call_new(object, cls, empty, null_mut());
            decref(empty);
            return r;
        }
        decref(empty);
        let one = crate::tupleobject::from_slice(&[state]);
        if one.is_null() {
            return one;
        }
        let obj = call_new(base, cls, one, null_mut());
        decref(one);
        if obj.is_null() {
            return obj;
        }
        let init_name = uni::intern("__init__");
        let init = getattr(base, init_name);
        if init.is_null() {
            decref(obj);
            return init;
        }
        let object_init = getattr(object, init_name);
        let differs = if object_init.is_null() {
            -1
        } else {
            crate::abstract_::rich_compare_bool(init, object_init, Py_NE)
        };
        xdecref(object_init);
        let ok = differs == 0 || {
            differs > 0 && {
                let r = crate::abstract_::call_args(init, &[obj, state]);
                xdecref(r);
                !r.is_null()
            }
        };
        decref(init);
        if !ok {
            decref(obj);
            return null_mut();
        }
        obj
    }
}

/// The base `_reduce_ex` reconstructs from: the first non-heap type of the MRO, or a heap
/// type with its own `__new__` builtin.
///
/// # Safety
/// `cls` must be live.
unsafe fn reduce_base(cls: *mut PyObject) -> Result<*mut PyObject, ()> {
    // SAFETY: forwarded contract; references taken are released.
    unsafe {
        let mro = getattr(cls, uni::intern("__mro__"));
        if mro.is_null() {
            return Err(());
        }
        let it = crate::abstract_::get_iter(mro);
        decref(mro);
        if it.is_null() {
            return Err(());
        }
        let mut found: *mut PyObject = (&raw mut PyBaseObject_Type).cast();
        loop {
            let base = crate::abstract_::PyIter_Next(it);
            if base.is_null() {
                break;
            }
            let mut flags = null_mut();
            if getattr_opt(base, uni::intern("__flags__"), &mut flags) < 0 {
                decref(base);
                decref(it);
                return Err(());
            }
            if !flags.is_null() {
                let heap = crate::longobject::from_i64(Py_TPFLAGS_HEAPTYPE as i64);
                let and = crate::abstract_::PyNumber_And(flags, heap);
                decref(heap);
                decref(flags);
                if and.is_null() {
                    decref(base);
                    decref(it);
                    return Err(());
                }
                let t = crate::object::truth(and);
                decref(and);
                if t < 0 {
                    decref(base);
                    decref(it);
                    return Err(());
                }
                if t == 0 {
                    found = base;
                    break;
                }
            }
            let mut new = null_mut();
            if getattr_opt(base, uni::intern("__new__"), &mut new) < 0 {
                decref(base);
                decref(it);
                return Err(());
            }
            let own_new = if new.is_null() {
                // no `__new__` attribute: the type's own `tp_new` stands for it
                is_type(base) && {
                    let b: *mut PyTypeObject = base.cast();
                    let parent = (*b).tp_base;
                    (*b).tp_new.is_some()
                        && (parent.is_null()
                            || (*parent).tp_new.map(|f| f as usize)
                                != (*b).tp_new.map(|f| f as usize))
                }
            } else {
                let own = crate::methodobject::is_cfunction(new)
                    && (*new.cast::<crate::methodobject::PyCFunctionObject>()).m_self == base;
                decref(new);
                own
            };
            if own_new {
                found = base;
                break;
            }
            decref(base);
        }
        decref(it);
        if crate::pyerrors::occurred() {
            if found != (&raw mut PyBaseObject_Type).cast() {
                decref(found);
            }
            return Err(());
        }
        if found == (&raw mut PyBaseObject_Type).cast() {
            return Ok(new_ref(found));
        }
        Ok(found)
    }
}

/// `getattr(op, "__slots__", None)` is truthy (-1 on error).
///
/// # Safety
/// `op` must be live.
unsafe fn has_slots(op: *mut PyObject) -> i32 {
    // SAFETY: forwarded contract.
    unsafe {
        let mut s = null_mut();
        if getattr_opt(op, uni::intern("__slots__"), &mut s) < 0 {
            return -1;
        }
        if s.is_null() {
            return 0;
        }
        let t = crate::object::truth(s);
        decref(s);
        t
    }
}

unsafe extern "C" fn c_reduce_ex(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with the module, a tuple and NULL or a dict.
    unsafe {
        let Some((a, _)) = bind("_reduce_ex", args, kw, &["self", "proto"], 2, false) else {
            return null_mut();
        };
        let (op, proto) = (a[0], a[1]);
        let two = crate::longobject::from_i64(2);
        let lt = crate::abstract_::rich_compare_bool(proto, two, Py_LT);
        decref(two);
        if lt < 0 {
            return null_mut();
        }
        if lt == 0 {
            crate::pyerrors::PyErr_SetNone((&raw mut EXC_AssertionError).cast());
            return null_mut();
        }
        let cls = getattr(op, uni::intern("__class__"));
        if cls.is_null() {
            return cls;
        }
        let Ok(base) = reduce_base(cls) else {
            decref(cls);
            return null_mut();
        };
        let object: *mut PyObject = (&raw mut PyBaseObject_Type).cast();
        let state = if base == object {
            new_none()
        } else if base == cls {
            let n = getattr(cls, uni::intern("__name__"));
            if !n.is_null() {
                let r = crate::object::repr_string(n);
                decref(n);
                raise(&raw mut EXC_TypeError, &format!("cannot pickle {r} object"));
            }
            null_mut()
        } else {
            crate::abstract_::call_args(base, &[op])
        };
        if state.is_null() {
            decref(base);
            decref(cls);
            return null_mut();
        }
        let targs = crate::tupleobject::from_slice(&[cls, base, state]);
        decref(state);
        decref(base);
        if targs.is_null() {
            decref(cls);
            return null_mut();
        }
        let mut getstate = null_mut();
        if getattr_opt(op, uni::intern("__getstate__"), &mut getstate) < 0 {
            decref(targs);
            decref(cls);
            return null_mut();
        }
        let dict = if getstate.is_null() {
            match has_slots(op) {
                s if s < 0 => null_mut(),
                s if s > 0 => {
                    let n = getattr(cls, uni::intern("__name__"));
                    if !n.is_null() {
                        let r = crate::object::repr_string(n);
                        decref(n);
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "cannot pickle {r} object: a class that defines __slots__ \
                                 without defining __getstate__ cannot be pickled with protocol {}",
                                crate::object::str_string(proto)
                            ),
                        );
                    }
                    null_mut()
                }
                _ => {
                    let mut d = null_mut();
                    if getattr_opt(op, uni::intern("__dict__"), &mut d) < 0 {
                        null_mut()
                    } else if d.is_null() {
                        new_none()
                    } else {
                        d
                    }
                }
            }
        } else {
            let name = uni::intern("__getstate__");
            let mine = crate::object::type_lookup(ty(op), name);
            let default = crate::object::type_lookup(&raw mut PyBaseObject_Type, name);
            let refuse = if !mine.is_null() && mine == default {
                has_slots(op)
            } else {
                0
            };
            let d = match refuse {
                r if r < 0 => null_mut(),
                r if r > 0 => raise(
                    &raw mut EXC_TypeError,
                    "a class that defines __slots__ without defining __getstate__ cannot be pickled",
                ),
                _ => crate::abstract_::call_args(getstate, &[]),
            };
            decref(getstate);
            d
        };
        decref(cls);
        if dict.is_null() {
            decref(targs);
            return null_mut();
        }
        let recon = global(m, "_reconstructor");
        let t = crate::object::truth(dict);
        let r = if recon.is_null() || t < 0 {
            null_mut()
        } else if t > 0 {
            crate::tupleobject::from_slice(&[recon, targs, dict])
        } else {
            crate::tupleobject::from_slice(&[recon, targs])
        };
        decref(dict);
        decref(targs);
        r
    }
}

unsafe extern "C" fn c_newobj(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let Some((a, rest)) = bind("__newobj__", args, kw, &["cls"], 1, true) else {
            return null_mut();
        };
        let t = crate::tupleobject::from_slice(&rest);
        if t.is_null() {
            return t;
        }
        let r = call_new(a[0], a[0], t, null_mut());
        decref(t);
        r
    }
}

unsafe extern "C" fn c_newobj_ex(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let names = ["cls", "args", "kwargs"];
        let Some((a, _)) = bind("__newobj_ex__", args, kw, &names, 3, false) else {
            return null_mut();
        };
        let t = crate::abstract_::sequence_tuple(a[1]);
        if t.is_null() {
            return t;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() || crate::dictobject::PyDict_Merge(d, a[2], 1) < 0 {
            xdecref(d);
            decref(t);
            return null_mut();
        }
        let r = call_new(a[0], a[0], t, d);
        decref(t);
        decref(d);
        r
    }
}

/// `'_%s%s' % (stripped class name, name)` for a private slot name, else the name itself.
///
/// # Safety
/// `c` and `name` must be live.
unsafe fn mangled(c: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let starts = crate::abstract_::call_method(name, "startswith", &[uni::intern("__")]);
        if starts.is_null() {
            return starts;
        }
        let ends = crate::abstract_::call_method(name, "endswith", &[uni::intern("__")]);
        if ends.is_null() {
            decref(starts);
            return ends;
        }
        let (s, e) = (crate::object::truth(starts), crate::object::truth(ends));
        decref(starts);
        decref(ends);
        if s < 0 || e < 0 {
            return null_mut();
        }
        if s == 0 || e > 0 {
            return new_ref(name);
        }
        let cname = getattr(c, uni::intern("__name__"));
        if cname.is_null() {
            return cname;
        }
        let stripped = crate::abstract_::call_method(cname, "lstrip", &[uni::intern("_")]);
        decref(cname);
        if stripped.is_null() {
            return stripped;
        }
        let st = crate::object::truth(stripped);
        let r = if st < 0 {
            null_mut()
        } else if st == 0 {
            new_ref(name)
        } else {
            uni::from_str(&format!(
                "_{}{}",
                crate::object::str_string(stripped),
                crate::object::str_string(name)
            ))
        };
        decref(stripped);
        r
    }
}

/// `copyreg._slotnames(cls)` (also called by `object.__getstate__`).
///
/// # Safety
/// `cls` must be live.
pub(crate) unsafe fn slotnames(cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; references taken are released or returned.
    unsafe {
        let dict_name = uni::intern("__dict__");
        let cd = getattr(cls, dict_name);
        if cd.is_null() {
            return cd;
        }
        let cached = crate::abstract_::call_method(cd, "get", &[uni::intern("__slotnames__")]);
        decref(cd);
        if cached.is_null() || cached != none() {
            return cached;
        }
        decref(cached);
        let names = crate::listobject::new_list(0);
        if names.is_null() {
            return names;
        }
        let slots_name = uni::intern("__slots__");
        let mut probe = null_mut();
        let has = getattr_opt(cls, slots_name, &mut probe);
        xdecref(probe);
        if has < 0 {
            decref(names);
            return null_mut();
        }
        if has > 0 && gather_slots(cls, names).is_err() {
            decref(names);
            return null_mut();
        }
        if setattr(cls, uni::intern("__slotnames__"), names) < 0 {
            crate::pyerrors::clear();
        }
        names
    }
}

/// The slot names along `cls.__mro__`, appended to `names`.
///
/// # Safety
/// `cls` must be live, `names` a list.
unsafe fn gather_slots(cls: *mut PyObject, names: *mut PyObject) -> Result<(), ()> {
    // SAFETY: forwarded contract; references taken are released.
    unsafe {
        let mro = getattr(cls, uni::intern("__mro__"));
        if mro.is_null() {
            return Err(());
        }
        let it = crate::abstract_::get_iter(mro);
        decref(mro);
        if it.is_null() {
            return Err(());
        }
        let result = (|| {
            loop {
                let c = crate::abstract_::PyIter_Next(it);
                if c.is_null() {
                    return if crate::pyerrors::occurred() {
                        Err(())
                    } else {
                        Ok(())
                    };
                }
                let r = class_slots(c, names);
                decref(c);
                r?;
            }
        })();
        decref(it);
        result
    }
}

/// The slot names one class defines itself, appended to `names`.
///
/// # Safety
/// `c` must be live, `names` a list.
unsafe fn class_slots(c: *mut PyObject, names: *mut PyObject) -> Result<(), ()> {
    // SAFETY: forwarded contract; references taken are released.
    unsafe {
        let cd = getattr(c, uni::intern("__dict__"));
        if cd.is_null() {
            return Err(());
        }
        let key = uni::intern("__slots__");
        let has = crate::abstract_::contains(cd, key);
        if has <= 0 {
            decref(cd);
            return if has < 0 { Err(()) } else { Ok(()) };
        }
        let mut slots = crate::abstract_::get_item(cd, key);
        decref(cd);
        if slots.is_null() {
            return Err(());
        }
        if uni::is_str(slots) {
            let one = crate::tupleobject::from_slice(&[slots]);
            decref(slots);
            if one.is_null() {
                return Err(());
            }
            slots = one;
        }
        let it = crate::abstract_::get_iter(slots);
        decref(slots);
        if it.is_null() {
            return Err(());
        }
        let special = [uni::intern("__dict__"), uni::intern("__weakref__")];
        let result = (|| {
            loop {
                let name = crate::abstract_::PyIter_Next(it);
                if name.is_null() {
                    return if crate::pyerrors::occurred() {
                        Err(())
                    } else {
                        Ok(())
                    };
                }
                let mut skip = false;
                for s in special {
                    let e = crate::abstract_::rich_compare_bool(name, s, Py_EQ);
                    if e < 0 {
                        decref(name);
                        return Err(());
                    }
                    skip |= e > 0;
                }
                if !skip {
                    let m = mangled(c, name);
                    if m.is_null() {
                        decref(name);
                        return Err(());
                    }
                    let r = crate::listobject::append(names, m);
                    decref(m);
                    if r < 0 {
                        decref(name);
                        return Err(());
                    }
                }
                decref(name);
            }
        })();
        decref(it);
        result
    }
}

unsafe extern "C" fn c_slotnames(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with a tuple and NULL or a dict.
    unsafe {
        let Some((a, _)) = bind("_slotnames", args, kw, &["cls"], 1, false) else {
            return null_mut();
        };
        slotnames(a[0])
    }
}

/// `d.get(key)` as a new reference (None when absent).
///
/// # Safety
/// `d` must be live.
unsafe fn dict_get(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { crate::abstract_::call_method(d, "get", &[key]) }
}

/// `a == b` (or `!=` with `op`) between a new reference `a` (released) and `b`.
///
/// # Safety
/// `a` must be NULL or live (NULL gives -1), `b` live.
unsafe fn compare_owned(a: *mut PyObject, b: *mut PyObject, op: std::ffi::c_int) -> i32 {
    if a.is_null() {
        return -1;
    }
    // SAFETY: forwarded contract.
    unsafe {
        let r = crate::abstract_::rich_compare_bool(a, b, op);
        decref(a);
        r
    }
}

unsafe extern "C" fn c_add_extension(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with the module, a tuple and NULL or a dict.
    unsafe {
        let names = ["module", "name", "code"];
        let Some((a, _)) = bind("add_extension", args, kw, &names, 3, false) else {
            return null_mut();
        };
        let code = crate::abstract_::number_long(a[2]);
        if code.is_null() {
            return code;
        }
        let fail = |code: *mut PyObject| {
            decref(code);
            null_mut()
        };
        let low = crate::longobject::from_i64(1);
        let high = crate::longobject::from_i64(0x7fff_ffff);
        let in_range = compare_owned(low, code, Py_LE);
        let in_range = if in_range > 0 {
            compare_owned(high, code, Py_GE)
        } else {
            decref(high);
            in_range
        };
        if in_range < 0 {
            return fail(code);
        }
        if in_range == 0 {
            raise(&raw mut EXC_ValueError, "code out of range");
            return fail(code);
        }
        let key = crate::tupleobject::from_slice(&[a[0], a[1]]);
        if key.is_null() {
            return fail(code);
        }
        let reg = global(m, "_extension_registry");
        let inv = if reg.is_null() {
            reg
        } else {
            global(m, "_inverted_registry")
        };
        if inv.is_null() {
            decref(key);
            return fail(code);
        }
        let same = compare_owned(dict_get(reg, key), code, Py_EQ);
        let same = if same > 0 {
            compare_owned(dict_get(inv, code), key, Py_EQ)
        } else {
            same
        };
        let r = if same < 0 {
            null_mut()
        } else if same > 0 {
            new_none()
        } else {
            register(reg, inv, key, code)
        };
        decref(key);
        decref(code);
        r
    }
}

/// The rest of `add_extension`: refuse a used key or code, else record both ways.
///
/// # Safety
/// `reg` and `inv` must be live, `key` and `code` live.
unsafe fn register(
    reg: *mut PyObject,
    inv: *mut PyObject,
    key: *mut PyObject,
    code: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        for (d, k, text) in [
            (reg, key, "key {} is already registered with code {}"),
            (inv, code, "code {} is already in use for key {}"),
        ] {
            let has = crate::abstract_::contains(d, k);
            if has < 0 {
                return null_mut();
            }
            if has > 0 {
                let old = crate::abstract_::get_item(d, k);
                if old.is_null() {
                    return old;
                }
                let msg = text
                    .replacen("{}", &crate::object::str_string(k), 1)
                    .replacen("{}", &crate::object::str_string(old), 1);
                decref(old);
                return raise(&raw mut EXC_ValueError, &msg);
            }
        }
        if crate::abstract_::set_item(reg, key, code) < 0
            || crate::abstract_::set_item(inv, code, key) < 0
        {
            return null_mut();
        }
        new_none()
    }
}

unsafe extern "C" fn c_remove_extension(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with the module, a tuple and NULL or a dict.
    unsafe {
        let names = ["module", "name", "code"];
        let Some((a, _)) = bind("remove_extension", args, kw, &names, 3, false) else {
            return null_mut();
        };
        let code = a[2];
        let key = crate::tupleobject::from_slice(&[a[0], a[1]]);
        if key.is_null() {
            return key;
        }
        let reg = global(m, "_extension_registry");
        let inv = if reg.is_null() {
            reg
        } else {
            global(m, "_inverted_registry")
        };
        let cache = if inv.is_null() {
            inv
        } else {
            global(m, "_extension_cache")
        };
        if cache.is_null() {
            decref(key);
            return null_mut();
        }
        let differs = compare_owned(dict_get(reg, key), code, Py_NE);
        let differs = if differs == 0 {
            compare_owned(dict_get(inv, code), key, Py_NE)
        } else {
            differs
        };
        let r = if differs < 0 {
            null_mut()
        } else if differs > 0 {
            raise(
                &raw mut EXC_ValueError,
                &format!(
                    "key {} is not registered with code {}",
                    crate::object::str_string(key),
                    crate::object::str_string(code)
                ),
            )
        } else if crate::abstract_::PyObject_DelItem(reg, key) < 0
            || crate::abstract_::PyObject_DelItem(inv, code) < 0
        {
            null_mut()
        } else {
            match crate::abstract_::contains(cache, code) {
                c if c < 0 => null_mut(),
                c if c > 0 && crate::abstract_::PyObject_DelItem(cache, code) < 0 => null_mut(),
                _ => new_none(),
            }
        };
        decref(key);
        r
    }
}

unsafe extern "C" fn c_clear_extension_cache(
    m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: called by the runtime with the module, a tuple and NULL or a dict.
    unsafe {
        if bind("clear_extension_cache", args, kw, &[], 0, false).is_none() {
            return null_mut();
        }
        let cache = global(m, "_extension_cache");
        if cache.is_null() {
            return cache;
        }
        crate::abstract_::call_method(cache, "clear", &[])
    }
}

type VarArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

const fn func(name: &'static CStr, f: VarArgs) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f as *mut c_void,
        ml_flags: METH_VARARGS | METH_KEYWORDS,
        ml_doc: std::ptr::null(),
    }
}

static mut FUNCTIONS: [PyMethodDef; 12] = [
    func(c"pickle", c_pickle),
    func(c"constructor", c_constructor),
    func(c"pickle_complex", c_pickle_complex),
    func(c"_reconstructor", c_reconstructor),
    func(c"_reduce_ex", c_reduce_ex),
    func(c"__newobj__", c_newobj),
    func(c"__newobj_ex__", c_newobj_ex),
    func(c"_slotnames", c_slotnames),
    func(c"add_extension", c_add_extension),
    func(c"remove_extension", c_remove_extension),
    func(c"clear_extension_cache", c_clear_extension_cache),
    PyMethodDef::END,
];

/// The `copyreg` module (a borrowed, process-lifetime reference; NULL with an exception if it
/// could not be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "copyreg", build)
}

fn build() -> *mut PyObject {
    let name = uni::intern("copyreg");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let put = |k: &str, v: *mut PyObject| {
            if v.is_null() {
                return false;
            }
            let ok = crate::dictobject::set_item_str(d, k, v) == 0;
            decref(v);
            ok
        };
        let mut ok = true;
        let table = &raw mut FUNCTIONS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let f = crate::methodobject::new_cfunction(ml, m, name, null_mut());
            let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
            ok &= put(&k, f);
        }
        let all = crate::listobject::new_list(0);
        if !all.is_null() {
            for n in [
                "pickle",
                "constructor",
                "add_extension",
                "remove_extension",
                "clear_extension_cache",
            ] {
                ok &= crate::listobject::append(all, uni::intern(n)) == 0;
            }
        }
        ok &= put("__all__", all);
        let table = crate::dictobject::new_dict();
        ok &= !table.is_null()
            && crate::dictobject::set_item(
                table,
                (&raw mut crate::complexobject::PyComplex_Type).cast(),
                crate::dictobject::get_str(d, "pickle_complex"),
            ) == 0;
        ok &= put("dispatch_table", table);
        for k in [
            "_extension_registry",
            "_inverted_registry",
            "_extension_cache",
        ] {
            ok &= put(k, crate::dictobject::new_dict());
        }
        ok &= put(
            "_HEAPTYPE",
            crate::longobject::from_i64(Py_TPFLAGS_HEAPTYPE as i64),
        );
        ok &= put(
            "_new_type",
            new_ref((&raw mut crate::methodobject::PyCFunction_Type).cast()),
        );
        if !ok {
            decref(m);
            return null_mut();
        }
        m
    }
}
