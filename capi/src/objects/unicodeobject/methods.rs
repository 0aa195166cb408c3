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

/// [`bind`] with the first `required` parameters required, checked in argument clinic's order:
/// too few positional-only arguments, then a missing required one, then unknown keywords.
///
/// # Safety
/// As [`bind`].
pub(crate) unsafe fn bind_req(
    name: &str,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
    params: &[&str],
    pos_only: usize,
    required: usize,
) -> Result<Vec<*mut PyObject>, ()> {
    let need_pos = required.min(pos_only);
    if (n as usize) < need_pos {
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "{name}() takes at least {need_pos} positional argument{} ({n} given)",
                if need_pos == 1 { "" } else { "s" }
            ),
        );
        return Err(());
    }
    // SAFETY: forwarded contract.
    unsafe {
        let names = if kwnames.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(kwnames)
        };
        for (i, p) in params.iter().enumerate().take(required) {
            let given = i < n as usize || names.iter().any(|&k| super::as_str(k) == Some(*p));
            if !given {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("{name}() missing required argument '{p}' (pos {})", i + 1),
                );
                return Err(());
            }
        }
        bind(name, args, n, kwnames, params, pos_only)
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
pub(super) static mut STR_METHODS: [PyMethodDef; 50] = [
    crate::bytes_methods::def!(c"__getnewargs__", noargs, str_getnewargs),
    crate::bytes_methods::def!(c"capitalize", noargs, str_capitalize),
    crate::bytes_methods::def!(c"casefold", noargs, str_casefold),
    crate::bytes_methods::def!(c"center", fast, str_center),
    crate::bytes_methods::def!(c"count", fast, str_count),
    crate::bytes_methods::def!(c"expandtabs", kw, str_expandtabs),
    crate::bytes_methods::def!(c"format", kw, str_format),
    crate::bytes_methods::def!(c"format_map", o, str_format_map),
    crate::bytes_methods::def!(c"isalnum", noargs, str_isalnum),
    crate::bytes_methods::def!(c"isalpha", noargs, str_isalpha),
    crate::bytes_methods::def!(c"isascii", noargs, str_isascii),
    crate::bytes_methods::def!(c"isdecimal", noargs, str_isdecimal),
    crate::bytes_methods::def!(c"isdigit", noargs, str_isdigit),
    crate::bytes_methods::def!(c"isidentifier", noargs, str_isidentifier),
    crate::bytes_methods::def!(c"islower", noargs, str_islower),
    crate::bytes_methods::def!(c"isnumeric", noargs, str_isnumeric),
    crate::bytes_methods::def!(c"isprintable", noargs, str_isprintable),
    crate::bytes_methods::def!(c"isspace", noargs, str_isspace),
    crate::bytes_methods::def!(c"istitle", noargs, str_istitle),
    crate::bytes_methods::def!(c"isupper", noargs, str_isupper),
    crate::bytes_methods::def!(c"ljust", fast, str_ljust),
    crate::bytes_methods::def!(c"maketrans", static_kw, str_maketrans_kw),
    crate::bytes_methods::def!(c"partition", o, str_partition),
    crate::bytes_methods::def!(c"removeprefix", o, str_removeprefix),
    crate::bytes_methods::def!(c"removesuffix", o, str_removesuffix),
    crate::bytes_methods::def!(c"rjust", fast, str_rjust),
    crate::bytes_methods::def!(c"rpartition", o, str_rpartition),
    crate::bytes_methods::def!(c"rsplit", kw, str_rsplit),
    crate::bytes_methods::def!(c"splitlines", kw, str_splitlines),
    crate::bytes_methods::def!(c"swapcase", noargs, str_swapcase),
    crate::bytes_methods::def!(c"title", noargs, str_title),
    crate::bytes_methods::def!(c"translate", o, str_translate),
    crate::bytes_methods::def!(c"zfill", o, str_zfill),
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

// ---- the rest of str's methods ------------------------------------------------------------------

use crate::object::{none, tname};

fn to_str(units: &[u32]) -> *mut PyObject {
    from_ucs4(units)
}

fn cat(c: char) -> unicode_general_category::GeneralCategory {
    unicode_general_category::get_general_category(c)
}

pub(crate) fn is_title_char(u: u32) -> bool {
    char::from_u32(u)
        .is_some_and(|c| cat(c) == unicode_general_category::GeneralCategory::TitlecaseLetter)
}
fn is_upper(u: u32) -> bool {
    char::from_u32(u).is_some_and(char::is_uppercase)
}
fn is_lower(u: u32) -> bool {
    char::from_u32(u).is_some_and(char::is_lowercase)
}
fn is_cased(u: u32) -> bool {
    is_upper(u) || is_lower(u) || is_title_char(u)
}
pub(crate) fn is_decimal(u: u32) -> bool {
    char::from_u32(u)
        .is_some_and(|c| cat(c) == unicode_general_category::GeneralCategory::DecimalNumber)
}
/// Digits that are not decimal (superscripts, circled digits, ...): Numeric_Type=Digit.
pub(crate) fn is_digit(u: u32) -> bool {
    is_decimal(u)
        || matches!(u, 0xb2 | 0xb3 | 0xb9 | 0x2070 | 0x2074..=0x2079 | 0x2080..=0x2089
            | 0x1369..=0x1371 | 0x19da | 0x2460..=0x2468 | 0x2474..=0x247c | 0x2488..=0x2490
            | 0x24ea | 0x24f5..=0x24fd | 0x24ff | 0x2776..=0x277e | 0x2780..=0x2788
            | 0x278a..=0x2792 | 0x10a40..=0x10a43 | 0x1f100..=0x1f10a)
}
/// Numeric characters: the number categories and the CJK numerals with numeric values.
pub(crate) fn is_numeric(u: u32) -> bool {
    char::from_u32(u).is_some_and(char::is_numeric)
        || matches!(
            u,
            0x3007
                | 0x4e00
                | 0x4e03
                | 0x4e07
                | 0x4e09
                | 0x4e5d
                | 0x4e8c
                | 0x4e94
                | 0x516b
                | 0x516d
                | 0x5341
                | 0x5343
                | 0x56db
                | 0x5104
                | 0x5146
                | 0x767e
                | 0x96f6
                | 0x842c
                | 0x5f10
                | 0x5f0c
                | 0x5f0d
                | 0x5f0e
                | 0x58f9
                | 0x8cb3
                | 0x53c3
                | 0x8086
                | 0x4f0d
                | 0x9678
                | 0x67d2
                | 0x634c
                | 0x7396
                | 0x62fe
                | 0x4f70
                | 0x4edf
        )
}

/// An `is*` method: `f` over every code point of a non-empty string.
unsafe fn all_chars(op: *mut PyObject, f: fn(u32) -> bool) -> *mut PyObject {
    // SAFETY: a live str.
    let c = unsafe { chars(op) };
    crate::boolobject::from_bool(!c.is_empty() && c.iter().all(|&u| f(u)))
}

macro_rules! is_method {
    ($fn:ident, $f:expr) => {
        unsafe fn $fn(op: *mut PyObject) -> *mut PyObject {
            // SAFETY: METH_NOARGS on a live str.
            unsafe { all_chars(op, $f) }
        }
    };
}
is_method!(str_isalpha, super::is_alpha);
is_method!(str_isdecimal, is_decimal);
is_method!(str_isdigit, is_digit);
is_method!(str_isnumeric, is_numeric);
is_method!(str_isspace, is_space);
is_method!(str_isalnum, |u| super::is_alpha(u) || is_numeric(u));

unsafe fn str_isascii(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    crate::boolobject::from_bool(unsafe { chars(op) }.iter().all(|&u| u < 0x80))
}
unsafe fn str_isprintable(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    crate::boolobject::from_bool(unsafe { chars(op) }.iter().all(|&u| super::is_printable(u)))
}
unsafe fn str_isidentifier(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    crate::boolobject::from_bool(unsafe { super::PyUnicode_IsIdentifier(op) } == 1)
}
unsafe fn str_islower(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    crate::boolobject::from_bool(
        c.iter().any(|&u| is_lower(u)) && !c.iter().any(|&u| is_upper(u) || is_title_char(u)),
    )
}
unsafe fn str_isupper(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    crate::boolobject::from_bool(
        c.iter().any(|&u| is_upper(u)) && !c.iter().any(|&u| is_lower(u) || is_title_char(u)),
    )
}
unsafe fn str_istitle(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    let (mut cased, mut prev) = (false, false);
    for &u in &c {
        if is_upper(u) || is_title_char(u) {
            if prev {
                return crate::boolobject::from_bool(false);
            }
            prev = true;
            cased = true;
        } else if is_lower(u) {
            if !prev {
                return crate::boolobject::from_bool(false);
            }
            prev = true;
            cased = true;
        } else {
            prev = false;
        }
    }
    crate::boolobject::from_bool(cased)
}

fn upper_of(u: u32, out: &mut Vec<u32>) {
    match char::from_u32(u) {
        Some(c) => out.extend(c.to_uppercase().map(u32::from)),
        None => out.push(u),
    }
}
fn lower_of(u: u32, out: &mut Vec<u32>) {
    match char::from_u32(u) {
        Some(c) => out.extend(c.to_lowercase().map(u32::from)),
        None => out.push(u),
    }
}

/// Title case of one code point: the titlecase letter of a digraph, else its uppercase.
fn title_of(u: u32, out: &mut Vec<u32>) {
    match u {
        0x1c4..=0x1c6 => out.push(0x1c5),
        0x1c7..=0x1c9 => out.push(0x1c8),
        0x1ca..=0x1cc => out.push(0x1cb),
        0x1f1..=0x1f3 => out.push(0x1f2),
        0xdf => out.extend([0x53, 0x73]),
        0xfb00 => out.extend([0x46, 0x66]),
        0xfb01 => out.extend([0x46, 0x69]),
        0xfb02 => out.extend([0x46, 0x6c]),
        _ => upper_of(u, out),
    }
}

/// The lower case of `c[i]` in context: a final capital sigma becomes 'ς'.
fn lower_at(c: &[u32], i: usize, out: &mut Vec<u32>) {
    if c[i] == 0x3a3 {
        let before = c[..i]
            .iter()
            .rev()
            .find(|&&u| !is_case_ignorable(u))
            .is_some_and(|&u| is_cased(u));
        let after = c[i + 1..]
            .iter()
            .find(|&&u| !is_case_ignorable(u))
            .is_some_and(|&u| is_cased(u));
        out.push(if before && !after { 0x3c2 } else { 0x3c3 });
        return;
    }
    lower_of(c[i], out);
}

fn is_case_ignorable(u: u32) -> bool {
    use unicode_general_category::GeneralCategory as G;
    matches!(
        u,
        0x27 | 0x2e | 0x3a | 0x5e | 0x60 | 0xa8 | 0xad | 0xaf | 0xb4 | 0xb7 | 0xb8 | 0x2019
    ) || char::from_u32(u).is_some_and(|c| {
        matches!(
            cat(c),
            G::NonspacingMark
                | G::EnclosingMark
                | G::Format
                | G::ModifierLetter
                | G::ModifierSymbol
        )
    })
}

unsafe fn str_capitalize(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    let mut out = Vec::with_capacity(c.len());
    for i in 0..c.len() {
        if i == 0 {
            title_of(c[0], &mut out);
        } else {
            lower_at(&c, i, &mut out);
        }
    }
    to_str(&out)
}

unsafe fn str_title(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    let mut out = Vec::with_capacity(c.len());
    let mut prev = false;
    for i in 0..c.len() {
        let u = c[i];
        if prev {
            lower_at(&c, i, &mut out);
        } else {
            title_of(u, &mut out);
        }
        prev = is_cased(u);
    }
    to_str(&out)
}

unsafe fn str_swapcase(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    let mut out = Vec::with_capacity(c.len());
    for i in 0..c.len() {
        if is_upper(c[i]) {
            lower_at(&c, i, &mut out);
        } else if is_lower(c[i]) {
            upper_of(c[i], &mut out);
        } else {
            out.push(c[i]);
        }
    }
    to_str(&out)
}

/// Full case folding: lower case, with the foldings that differ from it.
unsafe fn str_casefold(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live str.
    let c = unsafe { chars(op) };
    let mut out = Vec::with_capacity(c.len());
    for &u in &c {
        match u {
            0xdf | 0x1e9e => out.extend([0x73, 0x73]),
            0x17f => out.push(0x73),
            0x3c2 => out.push(0x3c3),
            0x345 | 0x1fbe => out.push(0x3b9),
            0x149 => out.extend([0x2bc, 0x6e]),
            0x130 => out.extend([0x69, 0x307]),
            0x3d0 => out.push(0x3b2),
            0x3d1 => out.push(0x3b8),
            0x3d5 => out.push(0x3c6),
            0x3d6 => out.push(0x3c0),
            0x3f0 => out.push(0x3ba),
            0x3f1 => out.push(0x3c1),
            0x3f5 => out.push(0x3b5),
            0x1e9b => out.push(0x1e61),
            0xfb00 => out.extend([0x66, 0x66]),
            0xfb01 => out.extend([0x66, 0x69]),
            0xfb02 => out.extend([0x66, 0x6c]),
            0xfb03 => out.extend([0x66, 0x66, 0x69]),
            0xfb04 => out.extend([0x66, 0x66, 0x6c]),
            0xfb05 | 0xfb06 => out.extend([0x73, 0x74]),
            0x13f8..=0x13fd => out.push(u - 8),
            0xab70..=0xabbf => out.push(u - 0xab70 + 0x13a0),
            _ => lower_of(u, &mut out),
        }
    }
    to_str(&out)
}

/// `center`/`ljust`/`rjust(width, fillchar=' ', /)`.
unsafe fn pad(name: &str, op: *mut PyObject, a: &[*mut PyObject], how: u8) -> *mut PyObject {
    if !nargs(name, a.len() as Py_ssize_t, 1, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let Ok(width) = count_arg(Some(&a[0])) else {
            return null_mut();
        };
        let fill = match a.get(1) {
            None => 0x20,
            Some(&f) if is_str(f) => {
                let v = chars(f);
                if v.len() != 1 {
                    return raise(
                        &raw mut EXC_TypeError,
                        "The fill character must be exactly one character long",
                    );
                }
                v[0]
            }
            Some(&f) => {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "The fill character must be a unicode character, not {}",
                        tname(f)
                    ),
                );
            }
        };
        let c = chars(op);
        let len = c.len() as Py_ssize_t;
        if width <= len {
            return to_str(&c);
        }
        let marg = width - len;
        let (l, r) = match how {
            b'l' => (0, marg),
            b'r' => (marg, 0),
            _ => {
                let l = marg / 2 + (marg & width & 1);
                (l, marg - l)
            }
        };
        let mut out = vec![fill; l as usize];
        out.extend_from_slice(&c);
        out.extend(std::iter::repeat_n(fill, r as usize));
        to_str(&out)
    }
}

unsafe fn str_center(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("center", op, a, b'c') }
}
unsafe fn str_ljust(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("ljust", op, a, b'l') }
}
unsafe fn str_rjust(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: forwarded method contract.
    unsafe { pad("rjust", op, a, b'r') }
}

unsafe fn str_zfill(op: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        let Ok(width) = count_arg(Some(&w)) else {
            return null_mut();
        };
        let c = chars(op);
        if width <= c.len() as Py_ssize_t {
            return to_str(&c);
        }
        let fill = width as usize - c.len();
        let mut out = vec![0x30; fill];
        out.extend_from_slice(&c);
        if matches!(c.first(), Some(0x2b | 0x2d)) {
            out[0] = c[0];
            out[fill] = 0x30;
        }
        to_str(&out)
    }
}

unsafe fn str_count(op: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("count", a.len() as Py_ssize_t, 1, 3) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        if !is_str(a[0]) {
            return raise(
                &raw mut EXC_TypeError,
                &format!("count() argument 1 must be str, not {}", tname(a[0])),
            );
        }
        let (Ok(start), Ok(end)) = (index_arg(a.get(1), 0), index_arg(a.get(2), Py_ssize_t::MAX))
        else {
            return null_mut();
        };
        let r = super::PyUnicode_Count(op, a[0], start, end);
        if r < 0 {
            return null_mut();
        }
        crate::longobject::from_i128(r as i128)
    }
}

unsafe fn str_expandtabs(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let Ok(a) = bind("expandtabs", args, n, kw, &["tabsize"], 0) else {
            return null_mut();
        };
        let tab = match a.first() {
            Some(t) if !t.is_null() => match count_arg(Some(t)) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
            _ => 8,
        };
        let mut out = Vec::new();
        let mut col: Py_ssize_t = 0;
        for u in chars(op) {
            if u == 0x09 {
                if tab > 0 {
                    let incr = tab - col % tab;
                    out.extend(std::iter::repeat_n(0x20, incr as usize));
                    col += incr;
                }
            } else {
                out.push(u);
                col += 1;
                if u == 0x0a || u == 0x0d {
                    col = 0;
                }
            }
        }
        to_str(&out)
    }
}

unsafe fn need_str_arg(x: *mut PyObject, what: &str) -> bool {
    // SAFETY: a live object.
    unsafe {
        if is_str(x) {
            return true;
        }
        raise(&raw mut EXC_TypeError, &format!("{what}{}", tname(x)));
        false
    }
}

unsafe fn str_partition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        if !need_str_arg(sep, "must be str, not ") {
            return null_mut();
        }
        super::PyUnicode_Partition(op, sep)
    }
}
unsafe fn str_rpartition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        if !need_str_arg(sep, "must be str, not ") {
            return null_mut();
        }
        super::PyUnicode_RPartition(op, sep)
    }
}

unsafe fn str_removeprefix(op: *mut PyObject, p: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        if !need_str_arg(p, "removeprefix() argument must be str, not ") {
            return null_mut();
        }
        let (c, pv) = (chars(op), chars(p));
        to_str(c.strip_prefix(pv.as_slice()).unwrap_or(&c))
    }
}
unsafe fn str_removesuffix(op: *mut PyObject, p: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        if !need_str_arg(p, "removesuffix() argument must be str, not ") {
            return null_mut();
        }
        let (c, pv) = (chars(op), chars(p));
        to_str(c.strip_suffix(pv.as_slice()).unwrap_or(&c))
    }
}

unsafe fn str_rsplit(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let Ok(a) = bind("rsplit", args, n, kw, &["sep", "maxsplit"], 0) else {
            return null_mut();
        };
        let sep = a.first().copied().unwrap_or(null_mut());
        if !sep.is_null() && sep != none() && !is_str(sep) {
            return raise(
                &raw mut EXC_TypeError,
                &format!("must be str or None, not {}", tname(sep)),
            );
        }
        let Ok(maxsplit) = count_arg(a.get(1).filter(|x| !x.is_null())) else {
            return null_mut();
        };
        super::PyUnicode_RSplit(op, sep, maxsplit)
    }
}

unsafe fn str_splitlines(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let Ok(a) = bind("splitlines", args, n, kw, &["keepends"], 0) else {
            return null_mut();
        };
        let keep = match a.first() {
            Some(&k) if !k.is_null() => crate::object::PyObject_IsTrue(k),
            _ => 0,
        };
        if keep < 0 {
            return null_mut();
        }
        super::PyUnicode_Splitlines(op, keep)
    }
}

unsafe fn str_maketrans_kw(
    _: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS | METH_STATIC.
    unsafe {
        if !crate::bytes_methods::no_keywords("str.maketrans", kw) {
            return null_mut();
        }
        str_maketrans(null_mut(), slice(args, n))
    }
}

/// `str.maketrans(x, y=None, z=None, /)` (a static method).
unsafe fn str_maketrans(_: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !nargs("maketrans", a.len() as Py_ssize_t, 1, 3) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let d = crate::dictobject::PyDict_New();
        if d.is_null() {
            return d;
        }
        let set = |k: u32, v: *mut PyObject| -> bool {
            let key = crate::longobject::from_i128(i128::from(k));
            let r = crate::dictobject::PyDict_SetItem(d, key, v);
            crate::refcount::decref(key);
            r == 0
        };
        let fail = |d| {
            crate::refcount::decref(d);
            null_mut()
        };
        if a.len() == 1 {
            if !crate::dictobject::is_dict(a[0]) {
                raise(
                    &raw mut EXC_TypeError,
                    "if you give only one argument to maketrans it must be a dict",
                );
                return fail(d);
            }
            for (k, v) in crate::dictobject::entries(a[0]) {
                if is_str(k) {
                    let kc = chars(k);
                    if kc.len() != 1 {
                        raise(
                            &raw mut EXC_ValueError,
                            "string keys in translatetable must be of length 1",
                        );
                        return fail(d);
                    }
                    if !set(kc[0], v) {
                        return fail(d);
                    }
                } else if crate::longobject::is_int(k) {
                    if crate::dictobject::PyDict_SetItem(d, k, v) < 0 {
                        return fail(d);
                    }
                } else {
                    raise(
                        &raw mut EXC_TypeError,
                        "keys in translate table mustbe strings or integers",
                    );
                    return fail(d);
                }
            }
            return d;
        }
        for (i, &x) in a.iter().enumerate() {
            if !is_str(x) {
                let msg = if i == 0 {
                    "first maketrans argument must be a string if there is a second argument"
                        .to_string()
                } else {
                    format!(
                        "maketrans() argument {} must be str, not {}",
                        i + 1,
                        tname(x)
                    )
                };
                raise(&raw mut EXC_TypeError, &msg);
                return fail(d);
            }
        }
        let (x, y) = (chars(a[0]), chars(a[1]));
        if x.len() != y.len() {
            raise(
                &raw mut EXC_ValueError,
                "the first two maketrans arguments must have equal length",
            );
            return fail(d);
        }
        for (&k, &v) in x.iter().zip(&y) {
            let val = crate::longobject::from_i128(i128::from(v));
            let ok = set(k, val);
            crate::refcount::decref(val);
            if !ok {
                return fail(d);
            }
        }
        if let Some(&z) = a.get(2) {
            for k in chars(z) {
                if !set(k, none()) {
                    return fail(d);
                }
            }
        }
        d
    }
}

/// `str.translate(table, /)`: each code point looked up in `table` (missing: kept, None:
/// deleted, an int: that code point, a str: inserted).
unsafe fn str_translate(op: *mut PyObject, table: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        let mut out = Vec::new();
        for u in chars(op) {
            let key = crate::longobject::from_i128(i128::from(u));
            let v = crate::abstract_::PyObject_GetItem(table, key);
            crate::refcount::decref(key);
            if v.is_null() {
                if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_LookupError) {
                    crate::pyerrors::clear();
                    out.push(u);
                    continue;
                }
                return null_mut();
            }
            let ok = if v == none() {
                true
            } else if crate::longobject::is_int(v) {
                let x = crate::longobject::PyLong_AsLong(v);
                if !(0..0x110000).contains(&x) {
                    crate::refcount::decref(v);
                    if !crate::pyerrors::occurred() {
                        raise(
                            &raw mut EXC_ValueError,
                            "character mapping must be in range(0x110000)",
                        );
                    }
                    return null_mut();
                }
                out.push(x as u32);
                true
            } else if is_str(v) {
                out.extend(chars(v));
                true
            } else {
                false
            };
            crate::refcount::decref(v);
            if !ok {
                return raise(
                    &raw mut EXC_TypeError,
                    "character mapping must return integer, None or str",
                );
            }
        }
        to_str(&out)
    }
}

// ---- str.format / str.format_map -------------------------------------------------------------

/// Where `format` looks names up: positional arguments and keywords, or one mapping.
struct FormatArgs<'a> {
    pos: &'a [*mut PyObject],
    kw: Option<*mut PyObject>,
    map: Option<*mut PyObject>,
    auto: Option<usize>,
    manual: bool,
}

fn fmt_err(msg: &str) {
    raise(&raw mut EXC_ValueError, msg);
}

/// The object one replacement field names (`0`, `name`, `a.b`, `a[0]`), a new reference.
unsafe fn field_value(name: &[u32], fa: &mut FormatArgs) -> Result<*mut PyObject, ()> {
    // SAFETY: live objects in `fa`.
    unsafe {
        let end = name
            .iter()
            .position(|&u| u == 0x2e || u == 0x5b)
            .unwrap_or(name.len());
        let first: String = name[..end]
            .iter()
            .filter_map(|&u| char::from_u32(u))
            .collect();
        let mut obj = if first.is_empty() || first.bytes().all(|b| b.is_ascii_digit()) {
            let idx = if first.is_empty() {
                if fa.manual {
                    fmt_err(
                        "cannot switch from manual field specification to automatic field numbering",
                    );
                    return Err(());
                }
                let i = fa.auto.unwrap_or(0);
                fa.auto = Some(i + 1);
                i
            } else {
                if fa.auto.is_some() {
                    fmt_err(
                        "cannot switch from automatic field numbering to manual field specification",
                    );
                    return Err(());
                }
                fa.manual = true;
                first.parse().unwrap_or(usize::MAX)
            };
            if fa.map.is_some() {
                fmt_err("Format string contains positional fields");
                return Err(());
            }
            match fa.pos.get(idx) {
                Some(&o) => crate::refcount::new_ref(o),
                None => {
                    raise(
                        &raw mut crate::pyerrors::EXC_IndexError,
                        &format!("Replacement index {idx} out of range for positional args tuple"),
                    );
                    return Err(());
                }
            }
        } else {
            let key = super::from_str(&first);
            let src = fa.map.or(fa.kw);
            let v = match src {
                Some(m) => crate::abstract_::PyObject_GetItem(m, key),
                None => {
                    crate::dictobject::key_error(key);
                    null_mut()
                }
            };
            crate::refcount::decref(key);
            if v.is_null() {
                return Err(());
            }
            v
        };
        let mut i = end;
        while i < name.len() {
            let next_obj;
            if name[i] == 0x2e {
                let s = i + 1;
                let mut e = s;
                while e < name.len() && name[e] != 0x2e && name[e] != 0x5b {
                    e += 1;
                }
                if e == s {
                    fmt_err("Empty attribute in format string");
                    crate::refcount::decref(obj);
                    return Err(());
                }
                let attr = from_ucs4(&name[s..e]);
                next_obj = crate::object::PyObject_GetAttr(obj, attr);
                crate::refcount::decref(attr);
                i = e;
            } else {
                let s = i + 1;
                let Some(off) = name[s..].iter().position(|&u| u == 0x5d) else {
                    fmt_err("Missing ']' in format string");
                    crate::refcount::decref(obj);
                    return Err(());
                };
                let e = s + off;
                if e == s {
                    fmt_err("Empty attribute in format string");
                    crate::refcount::decref(obj);
                    return Err(());
                }
                let k: String = name[s..e]
                    .iter()
                    .filter_map(|&u| char::from_u32(u))
                    .collect();
                let key = match k.parse::<i64>() {
                    Ok(v) if k.bytes().all(|b| b.is_ascii_digit()) => {
                        crate::longobject::from_i128(i128::from(v))
                    }
                    _ => super::from_str(&k),
                };
                next_obj = crate::abstract_::PyObject_GetItem(obj, key);
                crate::refcount::decref(key);
                i = e + 1;
                if i < name.len() && name[i] != 0x2e && name[i] != 0x5b {
                    fmt_err("Only '.' or '[' may follow ']' in format field specifier");
                    crate::refcount::xdecref(next_obj);
                    crate::refcount::decref(obj);
                    return Err(());
                }
            }
            crate::refcount::decref(obj);
            if next_obj.is_null() {
                return Err(());
            }
            obj = next_obj;
        }
        Ok(obj)
    }
}

/// Renders a format string; `depth` limits nested specs.
unsafe fn render(s: &[u32], fa: &mut FormatArgs, depth: u32, out: &mut Vec<u32>) -> Result<(), ()> {
    if depth > 2 {
        fmt_err("Max string recursion exceeded");
        return Err(());
    }
    let mut i = 0;
    while i < s.len() {
        let u = s[i];
        if u == 0x7d {
            if s.get(i + 1) == Some(&0x7d) {
                out.push(0x7d);
                i += 2;
                continue;
            }
            fmt_err("Single '}' encountered in format string");
            return Err(());
        }
        if u != 0x7b {
            out.push(u);
            i += 1;
            continue;
        }
        if s.get(i + 1) == Some(&0x7b) {
            out.push(0x7b);
            i += 2;
            continue;
        }
        // a replacement field up to its matching '}'
        let mut level = 1;
        let mut j = i + 1;
        let mut bracket = false;
        while j < s.len() {
            match s[j] {
                0x5b if !bracket => bracket = true,
                0x5d if bracket => bracket = false,
                0x7b if !bracket => level += 1,
                0x7d if !bracket => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= s.len() {
            fmt_err(if level > 1 || i + 1 >= s.len() {
                "Single '{' encountered in format string"
            } else {
                "expected '}' before end of string"
            });
            return Err(());
        }
        let field = &s[i + 1..j];
        i = j + 1;
        // name, !conversion, :spec
        let mut k = 0;
        let mut br = false;
        while k < field.len() {
            match field[k] {
                0x5b => br = true,
                0x5d => br = false,
                0x21 | 0x3a if !br => break,
                _ => {}
            }
            k += 1;
        }
        let name = &field[..k];
        let mut conv = None;
        let mut spec: &[u32] = &[];
        if k < field.len() && field[k] == 0x21 {
            if k + 1 >= field.len() {
                // CPython reads the closing '}' as the conversion and then misses it
                fmt_err("unmatched '{' in format spec");
                return Err(());
            }
            conv = Some(field[k + 1]);
            k += 2;
            if k < field.len() && field[k] != 0x3a {
                fmt_err("expected ':' after conversion specifier");
                return Err(());
            }
        }
        if k < field.len() && field[k] == 0x3a {
            spec = &field[k + 1..];
        }
        // SAFETY: live objects in `fa`.
        unsafe {
            let obj = field_value(name, fa)?;
            let conv_obj = match conv {
                None => obj,
                Some(c) => {
                    let r = match c {
                        0x72 => crate::object::PyObject_Repr(obj),
                        0x73 => crate::object::PyObject_Str(obj),
                        0x61 => crate::bltinmodule::b_ascii(null_mut(), obj),
                        _ => {
                            let ch = char::from_u32(c).unwrap_or('?');
                            fmt_err(&format!("Unknown conversion specifier {ch}"));
                            null_mut()
                        }
                    };
                    crate::refcount::decref(obj);
                    if r.is_null() {
                        return Err(());
                    }
                    r
                }
            };
            let mut spec_out = Vec::new();
            if let Err(()) = render(spec, fa, depth + 1, &mut spec_out) {
                crate::refcount::decref(conv_obj);
                return Err(());
            }
            let spec_str = to_str(&spec_out);
            let r = crate::abstract_::PyObject_Format(conv_obj, spec_str);
            crate::refcount::decref(spec_str);
            crate::refcount::decref(conv_obj);
            if r.is_null() {
                return Err(());
            }
            out.extend(chars(r));
            crate::refcount::decref(r);
        }
    }
    Ok(())
}

unsafe fn str_format(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS.
    unsafe {
        let pos = slice(args, n);
        let kw = if kwnames.is_null() || crate::tupleobject::items(kwnames).is_empty() {
            None
        } else {
            let d = crate::dictobject::PyDict_New();
            let names = crate::tupleobject::items(kwnames);
            let vals = slice(args.add(n as usize), names.len() as Py_ssize_t);
            for (&k, &v) in names.iter().zip(vals) {
                crate::dictobject::PyDict_SetItem(d, k, v);
            }
            Some(d)
        };
        let mut fa = FormatArgs {
            pos,
            kw,
            map: None,
            auto: None,
            manual: false,
        };
        let mut out = Vec::new();
        let r = render(&chars(op), &mut fa, 0, &mut out);
        if let Some(d) = kw {
            crate::refcount::decref(d);
        }
        match r {
            Ok(()) => to_str(&out),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn str_format_map(op: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live str.
    unsafe {
        let mut fa = FormatArgs {
            pos: &[],
            kw: None,
            map: Some(m),
            auto: None,
            manual: false,
        };
        let mut out = Vec::new();
        match render(&chars(op), &mut fa, 0, &mut out) {
            Ok(()) => to_str(&out),
            Err(()) => null_mut(),
        }
    }
}

/// `str.__getnewargs__()`: `(str(self),)`, an exact str copy.
unsafe fn str_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live str (method contract).
    unsafe { crate::longobject::getnewargs_of(crate::unicodeobject::PyUnicode_FromObject(op)) }
}
