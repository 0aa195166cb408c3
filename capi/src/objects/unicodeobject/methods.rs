//! Python-level methods of `str` that C extensions and `gilgate eval` call by name (`lower`,
//! `join`, `split`, ...). Each is a thin layer over the C API functions of this module
//! (`PyUnicode_Join`, `PyUnicode_Split`, `PyUnicode_Find`, ...), with CPython's argument
//! handling and texts.

use super::{chars, from_ucs4, is_space, is_str};
use crate::longobject::method;
use crate::methodobject::{METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_O, PyMethodDef};
use crate::object::PyObject;
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use std::ffi::{CString, c_void};
use std::ptr::null_mut;

type Noargs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type FastKw = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;

/// Checks a positional argument count (CPython's `_PyArg_CheckPositional`).
pub(crate) fn nargs(name: &str, n: Py_ssize_t, lo: Py_ssize_t, hi: Py_ssize_t) -> bool {
    crate::getargs::check_positional(Some(name), n, lo, hi)
}

/// The positional arguments of a METH_FASTCALL call.
///
/// # Safety
/// `args` holds `n` live objects.
pub(crate) unsafe fn slice<'a>(args: *const *mut PyObject, n: Py_ssize_t) -> &'a [*mut PyObject] {
    if n <= 0 {
        &[]
    } else {
        // SAFETY: forwarded contract.
        unsafe { std::slice::from_raw_parts(args, n as usize) }
    }
}

/// A METH_FASTCALL | METH_KEYWORDS method's arguments in parameter order, as argument clinic
/// binds them for `name(params)` whose first `pos_only` parameters are positional-only: NULL for
/// one not given, trailing NULLs dropped. Errors are clinic's texts: too many arguments, an
/// unknown (or positional-only) name, a parameter given both ways.
///
/// # Safety
/// `args` holds `n` positional values followed by one per name in `kwnames` (a tuple or NULL).
pub(crate) unsafe fn bind(
    name: &str,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
    params: &[&str],
    pos_only: usize,
) -> Result<Vec<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let names = if kwnames.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(kwnames)
        };
        let pos = slice(args, n);
        let total = pos.len() + names.len();
        if total > params.len() {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name}() takes at most {} argument{} ({total} given)",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" }
                ),
            );
            return Err(());
        }
        let mut out = vec![null_mut(); params.len()];
        out[..pos.len()].copy_from_slice(pos);
        let values = slice(args.add(pos.len()), names.len() as Py_ssize_t);
        for (&k, &v) in names.iter().zip(values) {
            let key = super::as_str(k).unwrap_or("");
            let Some(i) = params
                .iter()
                .position(|p| *p == key)
                .filter(|&i| i >= pos_only)
            else {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("{name}() got an unexpected keyword argument '{key}'"),
                );
                return Err(());
            };
            if !out[i].is_null() {
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "argument for {name}() given by name ('{key}') and position ({})",
                        i + 1
                    ),
                );
                return Err(());
            }
            out[i] = v;
        }
        while out.last().is_some_and(|p| p.is_null()) {
            out.pop();
        }
        Ok(out)
    }
}

/// An optional slice index (`None` or absent: `default`), as `_PyEval_SliceIndex` reads it.
///
/// # Safety
/// `o` NULL or live.
pub(crate) unsafe fn index_arg(
    o: Option<&*mut PyObject>,
    default: Py_ssize_t,
) -> Result<Py_ssize_t, ()> {
    match o {
        None => Ok(default),
        Some(&o) if o == crate::object::none() => Ok(default),
        Some(&o) => {
            let mut v = default;
            // SAFETY: a live object and a writable target.
            if unsafe { crate::ceval::_PyEval_SliceIndex(o, &mut v) } == 0 {
                Err(())
            } else {
                Ok(v)
            }
        }
    }
}

/// An optional count (`maxsplit`, `count`): absent is -1 (no limit), else anything with
/// `__index__`, as argument clinic converts a `Py_ssize_t`.
///
/// # Safety
/// `o` NULL or live.
pub(crate) unsafe fn count_arg(o: Option<&*mut PyObject>) -> Result<Py_ssize_t, ()> {
    let Some(&o) = o else { return Ok(-1) };
    // SAFETY: a live object; `index` gives a new int reference or NULL with an error set.
    unsafe {
        let i = crate::longobject::index(o);
        if i.is_null() {
            return Err(());
        }
        let v = crate::longobject::PyLong_AsSsize_t(i);
        crate::refcount::decref(i);
        if v == -1 && crate::pyerrors::occurred() {
            Err(())
        } else {
            Ok(v)
        }
    }
}

/// Maps every code point through `f` (full case mappings can give several characters). Text
/// without lone surrogates goes through Rust's `str` mappings, which apply the final-sigma rule
/// of `str.lower` as CPython does.
///
/// # Safety
/// `op` is a live str.
unsafe fn map_case(op: *mut PyObject, lower: bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    if let Some(s) = unsafe { super::as_str(op) } {
        let out = if lower {
            s.to_lowercase()
        } else {
            s.to_uppercase()
        };
        return super::from_str(&out);
    }
    // SAFETY: forwarded contract.
    let units = unsafe { chars(op) };
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        match char::from_u32(u) {
            Some(c) if lower => out.extend(c.to_lowercase().map(u32::from)),
            Some(c) => out.extend(c.to_uppercase().map(u32::from)),
            None => out.push(u),
        }
    }
    from_ucs4(&out)
}

unsafe extern "C" fn str_lower(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    crate::ffi_guard::guard("str.lower", null_mut(), || unsafe { map_case(op, true) })
}

unsafe extern "C" fn str_upper(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    crate::ffi_guard::guard("str.upper", null_mut(), || unsafe { map_case(op, false) })
}

unsafe extern "C" fn str_join(op: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O: a live str and a live argument.
    unsafe { super::PyUnicode_Join(op, seq) }
}

unsafe extern "C" fn str_split(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("str.split", null_mut(), || {
        // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` live arguments, then the keywords'.
        unsafe {
            let Ok(a) = bind("split", args, n, kwnames, &["sep", "maxsplit"], 0) else {
                return null_mut();
            };
            let sep = a.first().copied().unwrap_or(null_mut());
            // the method's own text (PyUnicode_Split says "must be str, not T")
            if !sep.is_null() && sep != crate::object::none() && !is_str(sep) {
                let t = crate::object::type_name(crate::object::ty(sep));
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("must be str or None, not {t}"),
                );
            }
            let Ok(maxsplit) = count_arg(a.get(1)) else {
                return null_mut();
            };
            super::PyUnicode_Split(op, sep, maxsplit)
        }
    })
}

unsafe extern "C" fn str_replace(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("str.replace", null_mut(), || {
        // argument clinic's texts: replace(old, new, /, count=-1)
        if n < 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("replace() takes at least 2 positional arguments ({n} given)"),
            );
        }
        // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` live arguments, then the keywords'.
        unsafe {
            let Ok(a) = bind("replace", args, n, kwnames, &["old", "new", "count"], 2) else {
                return null_mut();
            };
            for (i, &x) in a[..2].iter().enumerate() {
                if !is_str(x) {
                    let t = crate::object::type_name(crate::object::ty(x));
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("replace() argument {} must be str, not {t}", i + 1),
                    );
                }
            }
            let Ok(count) = count_arg(a.get(2)) else {
                return null_mut();
            };
            super::PyUnicode_Replace(op, a[0], a[1], count)
        }
    })
}

/// `startswith`/`endswith`: `direction` -1 for a prefix, 1 for a suffix.
///
/// # Safety
/// `op` a live str, `args` `n` live objects.
unsafe fn tailmatch(
    name: &str,
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    direction: i32,
) -> *mut PyObject {
    if !nargs(name, n, 1, 3) {
        return null_mut();
    }
    // SAFETY: forwarded contract.
    unsafe {
        let a = slice(args, n);
        let (Ok(start), Ok(end)) = (index_arg(a.get(1), 0), index_arg(a.get(2), Py_ssize_t::MAX))
        else {
            return null_mut();
        };
        let candidates: Vec<*mut PyObject> = if crate::tupleobject::is_tuple(a[0]) {
            crate::tupleobject::items(a[0]).to_vec()
        } else {
            vec![a[0]]
        };
        let whole = !crate::tupleobject::is_tuple(a[0]);
        for c in candidates {
            if !is_str(c) {
                let t = crate::object::type_name(crate::object::ty(c));
                let msg = if whole {
                    format!("{name} first arg must be str or a tuple of str, not {t}")
                } else {
                    format!("tuple for {name} must only contain str, not {t}")
                };
                return raise(&raw mut EXC_TypeError, &msg);
            }
            let r = super::PyUnicode_Tailmatch(op, c, start, end, direction);
            if r < 0 {
                return null_mut();
            }
            if r == 1 {
                return crate::boolobject::from_bool(true);
            }
        }
        crate::boolobject::from_bool(false)
    }
}

unsafe extern "C" fn str_startswith(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live str.
    crate::ffi_guard::guard("str.startswith", null_mut(), || unsafe {
        tailmatch("startswith", op, args, n, -1)
    })
}

unsafe extern "C" fn str_endswith(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL on a live str.
    crate::ffi_guard::guard("str.endswith", null_mut(), || unsafe {
        tailmatch("endswith", op, args, n, 1)
    })
}

/// `find`/`rfind`/`index`/`rindex`: `direction` 1 forward, -1 backward; `raise_missing` for
/// the `index` forms.
///
/// # Safety
/// `op` a live str, `args` `n` live objects.
unsafe fn find(
    name: &str,
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    direction: i32,
    raise_missing: bool,
) -> *mut PyObject {
    if !nargs(name, n, 1, 3) {
        return null_mut();
    }
    // SAFETY: forwarded contract.
    unsafe {
        let a = slice(args, n);
        if !is_str(a[0]) {
            let t = crate::object::type_name(crate::object::ty(a[0]));
            return raise(&raw mut EXC_TypeError, &format!("must be str, not {t}"));
        }
        let (Ok(start), Ok(end)) = (index_arg(a.get(1), 0), index_arg(a.get(2), Py_ssize_t::MAX))
        else {
            return null_mut();
        };
        let r = super::PyUnicode_Find(op, a[0], start, end, direction);
        if r == -2 {
            return null_mut();
        }
        if r == -1 && raise_missing {
            return raise(&raw mut EXC_ValueError, "substring not found");
        }
        crate::longobject::from_i128(i128::from(r as i64))
    }
}

macro_rules! find_method {
    ($fn:ident, $name:literal, $dir:expr, $raise:expr) => {
        unsafe extern "C" fn $fn(
            op: *mut PyObject,
            args: *const *mut PyObject,
            n: Py_ssize_t,
        ) -> *mut PyObject {
            // SAFETY: METH_FASTCALL on a live str.
            crate::ffi_guard::guard(concat!("str.", $name), null_mut(), || unsafe {
                find($name, op, args, n, $dir, $raise)
            })
        }
    };
}

find_method!(str_find, "find", 1, false);
find_method!(str_rfind, "rfind", -1, false);
find_method!(str_index, "index", 1, true);
find_method!(str_rindex, "rindex", -1, true);

unsafe extern "C" fn str_encode(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("str.encode", null_mut(), || {
        // SAFETY: METH_FASTCALL | METH_KEYWORDS: `n` live arguments, then the keywords'.
        unsafe {
            const PARAMS: [&str; 2] = ["encoding", "errors"];
            let Ok(a) = bind("encode", args, n, kwnames, &PARAMS, 0) else {
                return null_mut();
            };
            let mut texts: [Option<CString>; 2] = [None, None];
            for (i, &x) in a.iter().enumerate() {
                if x.is_null() {
                    continue;
                }
                let Some(s) = super::as_str(x).filter(|_| is_str(x)) else {
                    let t = crate::object::type_name(crate::object::ty(x));
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("encode() argument '{}' must be str, not {t}", PARAMS[i]),
                    );
                };
                let Ok(c) = CString::new(s) else {
                    return raise(&raw mut EXC_ValueError, "embedded null character");
                };
                texts[i] = Some(c);
            }
            let enc = texts[0].as_ref().map_or(c"utf-8".as_ptr(), |c| c.as_ptr());
            let err = texts[1].as_ref().map_or(c"strict".as_ptr(), |c| c.as_ptr());
            super::PyUnicode_AsEncodedString(op, enc, err)
        }
    })
}

/// `strip`/`lstrip`/`rstrip`: which ends to trim.
///
/// # Safety
/// `op` a live str, `args` `n` live objects.
unsafe fn strip(
    name: &str,
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    left: bool,
    right: bool,
) -> *mut PyObject {
    if !nargs(name, n, 0, 1) {
        return null_mut();
    }
    // SAFETY: forwarded contract.
    unsafe {
        let a = slice(args, n);
        let set: Option<Vec<u32>> = match a.first() {
            None => None,
            Some(&c) if c == crate::object::none() => None,
            Some(&c) if is_str(c) => Some(chars(c)),
            Some(_) => {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("{name} arg must be None or str"),
                );
            }
        };
        let trims = |u: u32| match &set {
            None => is_space(u),
            Some(s) => s.contains(&u),
        };
        let units = chars(op);
        let mut a = 0;
        let mut b = units.len();
        if left {
            while a < b && trims(units[a]) {
                a += 1;
            }
        }
        if right {
            while b > a && trims(units[b - 1]) {
                b -= 1;
            }
        }
        if a == 0 && b == units.len() && super::is_exact_str(op) {
            return crate::refcount::new_ref(op);
        }
        from_ucs4(&units[a..b])
    }
}

macro_rules! strip_method {
    ($fn:ident, $name:literal, $l:expr, $r:expr) => {
        unsafe extern "C" fn $fn(
            op: *mut PyObject,
            args: *const *mut PyObject,
            n: Py_ssize_t,
        ) -> *mut PyObject {
            // SAFETY: METH_FASTCALL on a live str.
            crate::ffi_guard::guard(concat!("str.", $name), null_mut(), || unsafe {
                strip($name, op, args, n, $l, $r)
            })
        }
    };
}

strip_method!(str_strip, "strip", true, true);
strip_method!(str_lstrip, "lstrip", true, false);
strip_method!(str_rstrip, "rstrip", false, true);

/// `str`'s method table (`tp_methods` of `PyUnicode_Type`).
pub(super) static mut STR_METHODS: [PyMethodDef; 17] = [
    crate::bytes_methods::def!(c"__format__", o, str_format_spec),
    method(c"lower", str_lower as Noargs as *mut c_void, METH_NOARGS),
    method(c"upper", str_upper as Noargs as *mut c_void, METH_NOARGS),
    method(c"join", str_join as Noargs as *mut c_void, METH_O),
    method(
        c"split",
        str_split as FastKw as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS,
    ),
    method(
        c"replace",
        str_replace as FastKw as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS,
    ),
    method(
        c"startswith",
        str_startswith as Fast as *mut c_void,
        METH_FASTCALL,
    ),
    method(
        c"endswith",
        str_endswith as Fast as *mut c_void,
        METH_FASTCALL,
    ),
    method(c"find", str_find as Fast as *mut c_void, METH_FASTCALL),
    method(c"rfind", str_rfind as Fast as *mut c_void, METH_FASTCALL),
    method(c"index", str_index as Fast as *mut c_void, METH_FASTCALL),
    method(c"rindex", str_rindex as Fast as *mut c_void, METH_FASTCALL),
    method(
        c"encode",
        str_encode as FastKw as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS,
    ),
    method(c"strip", str_strip as Fast as *mut c_void, METH_FASTCALL),
    method(c"lstrip", str_lstrip as Fast as *mut c_void, METH_FASTCALL),
    method(c"rstrip", str_rstrip as Fast as *mut c_void, METH_FASTCALL),
    PyMethodDef::END,
];

/// `str.__format__(format_spec)`.
unsafe fn str_format_spec(op: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        let Some(sp) = crate::formatter_unicode::spec_arg(spec) else {
            return null_mut();
        };
        let text: String = chars(op)
            .into_iter()
            .map(|u| char::from_u32(u).unwrap_or('\u{fffd}'))
            .collect();
        crate::formatter_unicode::format_str(&text, sp)
    }
}
