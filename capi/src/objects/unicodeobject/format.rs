//! printf-style formatting of strings: `fmt % args`, `PyUnicode_Format`.
//!
//! A conversion is `%[(key)][flags][width][.precision][length]type`; flags are `-` (left
//! justify), `+` and space (sign of non-negative numbers), `#` (alternate form) and `0` (pad
//! numbers with zeros); width and precision may be `*` (taken from the arguments); the length
//! letters `h`, `l`, `L` are accepted and ignored. Types: `s r a` (str, repr, ascii), `c`
//! (one character), `d i u` (integer, also from floats), `o x X` (integers only), `e E f F g G`
//! (floats), `%`. The arguments are a tuple, a mapping (for `%(key)` conversions) or one
//! object. Every error text is CPython's.

use crate::export;
use crate::object::PyObject;
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use std::ptr::null_mut;

/// The conversion flags.
#[derive(Default, Clone, Copy)]
struct Flags {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
}

/// Where positional arguments come from.
struct Args {
    /// The tuple's items, or the one non-tuple argument.
    items: Vec<*mut PyObject>,
    next: usize,
    /// The argument when it is a mapping (`%(key)` conversions read it).
    mapping: Option<*mut PyObject>,
}

impl Args {
    fn take(&mut self) -> Option<*mut PyObject> {
        let v = self.items.get(self.next).copied();
        if v.is_some() {
            self.next += 1;
        }
        v
    }
}

/// A borrowed-or-owned argument value.
struct Value {
    obj: *mut PyObject,
    owned: bool,
}

impl Drop for Value {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: an owned reference taken from a mapping lookup.
            unsafe { decref(self.obj) };
        }
    }
}

/// The text of a str object as code points, or NULL with an exception when `o` is NULL.
unsafe fn units_of(o: *mut PyObject) -> Option<Vec<u32>> {
    if o.is_null() {
        return None;
    }
    // SAFETY: `o` is a fresh str (from str/repr/ascii); we own it.
    unsafe {
        let u = super::chars(o);
        decref(o);
        Some(u)
    }
}

/// `fmt % args` for a str `fmt`. Returns a new reference, or NULL with an exception set.
///
/// # Safety
/// `fmt` must be a live str and `args` a live object.
pub(crate) unsafe fn format(fmt: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let f = super::chars(fmt);
        let is_tuple = crate::tupleobject::is_tuple(args);
        let mapping =
            (!is_tuple && !super::is_str(args) && crate::abstract_::PyMapping_Check(args) != 0)
                .then_some(args);
        let items = if is_tuple {
            crate::tupleobject::items(args).to_vec()
        } else {
            vec![args]
        };
        let mut a = Args {
            items,
            next: 0,
            mapping,
        };
        let mut out: Vec<u32> = Vec::with_capacity(f.len() + 16);
        let mut i = 0;
        while i < f.len() {
            if f[i] != u32::from(b'%') {
                out.push(f[i]);
                i += 1;
                continue;
            }
            i += 1;
            match conversion(&f, &mut i, &mut a, &mut out) {
                Ok(()) => {}
                Err(()) => return null_mut(),
            }
        }
        if a.next < a.items.len() && a.mapping.is_none() {
            return raise(
                &raw mut EXC_TypeError,
                "not all arguments converted during string formatting",
            );
        }
        super::from_ucs4(&out)
    }
}

fn ch(c: u32) -> Option<u8> {
    u8::try_from(c).ok().filter(u8::is_ascii)
}

fn fail(t: *mut crate::object::PyTypeObject, msg: &str) -> Result<(), ()> {
    raise(t, msg);
    Err(())
}

/// Reads a `*` width or precision from the arguments.
unsafe fn star(a: &mut Args) -> Result<isize, ()> {
    let Some(v) = a.take() else {
        return fail(
            &raw mut EXC_TypeError,
            "not enough arguments for format string",
        )
        .map(|_| 0);
    };
    // SAFETY: a live argument.
    unsafe {
        if !crate::abstract_::is_long(v) {
            return fail(&raw mut EXC_TypeError, "* wants int").map(|_| 0);
        }
        let n = crate::longobject::PyLong_AsSsize_t(v);
        if n == -1 && crate::pyerrors::occurred() {
            return Err(());
        }
        Ok(n)
    }
}

/// One conversion, `f[*i]` being the character after `%`.
unsafe fn conversion(f: &[u32], i: &mut usize, a: &mut Args, out: &mut Vec<u32>) -> Result<(), ()> {
    // SAFETY: the arguments are live objects (forwarded from `format`).
    unsafe {
        let incomplete = || fail(&raw mut EXC_ValueError, "incomplete format");
        let mut key_value: Option<Value> = None;
        if f.get(*i) == Some(&u32::from(b'(')) {
            let Some(m) = a.mapping else {
                return fail(&raw mut EXC_TypeError, "format requires a mapping");
            };
            let start = *i + 1;
            let mut depth = 1;
            let mut j = start;
            while j < f.len() && depth > 0 {
                match ch(f[j]) {
                    Some(b'(') => depth += 1,
                    Some(b')') => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth > 0 {
                return fail(&raw mut EXC_ValueError, "incomplete format key");
            }
            let key = super::from_ucs4(&f[start..j - 1]);
            if key.is_null() {
                return Err(());
            }
            let v = crate::abstract_::PyObject_GetItem(m, key);
            decref(key);
            if v.is_null() {
                return Err(());
            }
            key_value = Some(Value {
                obj: v,
                owned: true,
            });
            *i = j;
        }
        let mut fl = Flags::default();
        while let Some(c) = f.get(*i).copied().and_then(ch) {
            match c {
                b'-' => fl.left = true,
                b'+' => fl.plus = true,
                b' ' => fl.space = true,
                b'#' => fl.alt = true,
                b'0' => fl.zero = true,
                _ => break,
            }
            *i += 1;
        }
        let mut width: isize = -1;
        if f.get(*i) == Some(&u32::from(b'*')) {
            width = star(a)?;
            if width < 0 {
                fl.left = true;
                width = -width;
            }
            *i += 1;
        } else {
            while let Some(d) = f.get(*i).copied().and_then(ch).filter(u8::is_ascii_digit) {
                width = width
                    .max(0)
                    .saturating_mul(10)
                    .saturating_add(isize::from(d - b'0'));
                *i += 1;
            }
        }
        let mut prec: isize = -1;
        if f.get(*i) == Some(&u32::from(b'.')) {
            *i += 1;
            prec = 0;
            if f.get(*i) == Some(&u32::from(b'*')) {
                prec = star(a)?.max(0);
                *i += 1;
            } else {
                while let Some(d) = f.get(*i).copied().and_then(ch).filter(u8::is_ascii_digit) {
                    prec = prec
                        .saturating_mul(10)
                        .saturating_add(isize::from(d - b'0'));
                    *i += 1;
                }
            }
        }
        while matches!(f.get(*i).copied().and_then(ch), Some(b'h' | b'l' | b'L')) {
            *i += 1;
        }
        let Some(&code) = f.get(*i) else {
            return incomplete();
        };
        *i += 1;
        if code == u32::from(b'%') {
            out.push(code);
            return Ok(());
        }
        let v = match key_value {
            Some(v) => v,
            None => match a.take() {
                Some(obj) => Value { obj, owned: false },
                None => {
                    return fail(
                        &raw mut EXC_TypeError,
                        "not enough arguments for format string",
                    );
                }
            },
        };
        let Some(c) = ch(code).filter(|c| b"sracdiuoxXeEfFgG".contains(c)) else {
            let shown = char::from_u32(code).unwrap_or('?');
            return fail(
                &raw mut EXC_ValueError,
                &format!(
                    "unsupported format character '{shown}' (0x{code:x}) at index {}",
                    *i - 1
                ),
            );
        };
        let (body, numeric): (Vec<u32>, bool) = match c {
            b's' | b'r' | b'a' => {
                let o = match c {
                    b's' => crate::object::PyObject_Str(v.obj),
                    b'r' => crate::object::PyObject_Repr(v.obj),
                    _ => crate::object::PyObject_ASCII(v.obj),
                };
                let Some(mut u) = units_of(o) else {
                    return Err(());
                };
                if prec >= 0 {
                    u.truncate(prec as usize);
                }
                (u, false)
            }
            b'c' => (char_arg(v.obj)?, false),
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => (integer(v.obj, c, fl, prec)?, true),
            _ => (float(v.obj, c, fl, prec)?, true),
        };
        pad(out, &body, width, fl, numeric);
        Ok(())
    }
}

/// Appends `body` padded to `width`: zeros after the sign and base prefix for numbers with the
/// `0` flag (unless left-justified), else spaces.
fn pad(out: &mut Vec<u32>, body: &[u32], width: isize, fl: Flags, numeric: bool) {
    let fill = (width.max(0) as usize).saturating_sub(body.len());
    if fill == 0 {
        out.extend_from_slice(body);
    } else if fl.left {
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(u32::from(b' '), fill));
    } else if fl.zero && numeric {
        let is = |k: usize, set: &[u8]| {
            body.get(k)
                .copied()
                .and_then(ch)
                .is_some_and(|c| set.contains(&c))
        };
        let mut head = usize::from(is(0, b"+- "));
        if is(head, b"0") && is(head + 1, b"xXoO") {
            head += 2;
        }
        let finite = body
            .iter()
            .all(|&u| !matches!(ch(u), Some(b'n' | b'N' | b'i' | b'I')));
        if finite {
            out.extend_from_slice(&body[..head]);
            out.extend(std::iter::repeat_n(u32::from(b'0'), fill));
            out.extend_from_slice(&body[head..]);
        } else {
            out.extend(std::iter::repeat_n(u32::from(b' '), fill));
            out.extend_from_slice(body);
        }
    } else {
        out.extend(std::iter::repeat_n(u32::from(b' '), fill));
        out.extend_from_slice(body);
    }
}

/// `%c`: an int in range(0x110000) or a str of length 1.
unsafe fn char_arg(v: *mut PyObject) -> Result<Vec<u32>, ()> {
    // SAFETY: a live argument.
    unsafe {
        if super::is_str(v) {
            let u = super::chars(v);
            if u.len() == 1 {
                return Ok(u);
            }
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "%c requires an int or a unicode character, not a string of length {}",
                    u.len()
                ),
            )
            .map(|_| Vec::new());
        }
        if !crate::abstract_::is_long(v) {
            let t = crate::object::tname(v);
            return fail(
                &raw mut EXC_TypeError,
                &format!("%c requires an int or a unicode character, not {t}"),
            )
            .map(|_| Vec::new());
        }
        let mut overflow = 0;
        let n = crate::longobject::PyLong_AsLongAndOverflow(v, &mut overflow);
        if n == -1 && crate::pyerrors::occurred() {
            return Err(());
        }
        if overflow != 0 || !(0..0x110000).contains(&n) {
            return fail(&raw mut EXC_OverflowError, "%c arg not in range(0x110000)")
                .map(|_| Vec::new());
        }
        Ok(vec![n as u32])
    }
}

/// `%d %i %u %o %x %X`.
unsafe fn integer(v: *mut PyObject, c: u8, fl: Flags, prec: isize) -> Result<Vec<u32>, ()> {
    // SAFETY: a live argument.
    unsafe {
        let iobj = if crate::abstract_::is_long(v) {
            crate::refcount::new_ref(v)
        } else {
            let decimal = matches!(c, b'd' | b'i' | b'u');
            let has_index = crate::abstract_::index_check(v);
            if decimal && crate::abstract_::PyNumber_Check(v) != 0 {
                if has_index {
                    crate::abstract_::PyNumber_Index(v)
                } else {
                    crate::abstract_::PyNumber_Long(v)
                }
            } else if !decimal && has_index {
                crate::abstract_::PyNumber_Index(v)
            } else {
                let what = if decimal {
                    "a real number"
                } else {
                    "an integer"
                };
                let t = crate::object::tname(v);
                return fail(
                    &raw mut EXC_TypeError,
                    &format!("%{} format: {what} is required, not {t}", char::from(c)),
                )
                .map(|_| Vec::new());
            }
        };
        if iobj.is_null() {
            return Err(());
        }
        let base = match c {
            b'o' => 8,
            b'x' | b'X' => 16,
            _ => 10,
        };
        let text = crate::longobject::format_base(iobj, base);
        decref(iobj);
        let Some(text) = text else {
            return Err(());
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let digits = digits.trim_start_matches("0o").trim_start_matches("0x");
        let mut s = String::new();
        if negative {
            s.push('-');
        } else if fl.plus {
            s.push('+');
        } else if fl.space {
            s.push(' ');
        }
        if fl.alt && base != 10 {
            s.push_str(match c {
                b'o' => "0o",
                b'x' => "0x",
                _ => "0X",
            });
        }
        let zeros = (prec.max(0) as usize).saturating_sub(digits.len());
        s.extend(std::iter::repeat_n('0', zeros));
        if c == b'X' {
            s.push_str(&digits.to_ascii_uppercase());
        } else {
            s.push_str(digits);
        }
        Ok(s.chars().map(u32::from).collect())
    }
}

/// `%e %E %f %F %g %G`.
unsafe fn float(v: *mut PyObject, c: u8, fl: Flags, prec: isize) -> Result<Vec<u32>, ()> {
    // SAFETY: a live argument.
    let x = unsafe { crate::floatobject::PyFloat_AsDouble(v) };
    if x == -1.0 && crate::pyerrors::occurred() {
        return Err(());
    }
    let prec = if prec < 0 {
        6
    } else {
        prec.min(i32::MAX as isize) as i32
    };
    let mut dflags = 0;
    if fl.alt {
        dflags |= crate::pystrtod::Py_DTSF_ALT;
    }
    if fl.plus {
        dflags |= crate::pystrtod::Py_DTSF_SIGN;
    }
    let Some((mut s, _)) = crate::pystrtod::double_to_string(x, c, prec, dflags) else {
        return fail(&raw mut EXC_ValueError, "invalid float format").map(|_| Vec::new());
    };
    if fl.space && !fl.plus && !s.starts_with('-') {
        s.insert(0, ' ');
    }
    Ok(s.chars().map(u32::from).collect())
}

#[export]
pub unsafe fn PyUnicode_Format(format_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if format_.is_null() || args.is_null() || !super::is_str(format_) {
            return crate::pyerrors::bad_internal_call();
        }
        format(format_, args)
    }
}

/// `str.__mod__` (str's `nb_remainder`): formatting when the left operand is a str.
pub(crate) unsafe extern "C" fn unicode_mod(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("str.__mod__", null_mut(), || {
        // SAFETY: the number protocol passes two live objects.
        unsafe {
            if !super::is_str(v) {
                return crate::refcount::new_ref(&raw mut crate::object::_Py_NotImplementedStruct);
            }
            format(v, w)
        }
    })
}
