//! `complexobject.h`: `complex` (48 bytes: header and a `Py_complex`), its arithmetic,
//! comparison, hash and repr, and the `_Py_c_*` helpers.

use crate::export;
use crate::floatobject::{hash_double, repr_f64_part};
use crate::longobject::{NB_EMPTY, is_int, not_implemented};
use crate::object::{
    Py_EQ, Py_NE, Py_TPFLAGS_BASETYPE, PyNumberMethods, PyObject, PyTypeObject, static_type,
};
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, EXC_ZeroDivisionError, raise};
use crate::pyport::Py_hash_t;
use std::ffi::c_int;
use std::ptr::null_mut;

/// `Py_complex`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Py_complex {
    pub real: f64,
    pub imag: f64,
}

/// `PyComplexObject`.
#[repr(C)]
pub struct PyComplexObject {
    pub ob_base: PyObject,
    pub cval: Py_complex,
}

pub(crate) static mut COMPLEX_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(complex_add),
    nb_subtract: Some(complex_sub),
    nb_multiply: Some(complex_mul),
    nb_power: Some(complex_pow),
    nb_negative: Some(complex_neg),
    nb_positive: Some(complex_pos),
    nb_absolute: Some(complex_abs),
    nb_bool: Some(complex_bool),
    nb_true_divide: Some(complex_truediv),
    ..NB_EMPTY
};

#[export]
pub static mut PyComplex_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(complex_repr),
    tp_hash: Some(complex_hash),
    tp_richcompare: Some(complex_richcompare),
    tp_as_number: &raw mut COMPLEX_AS_NUMBER,
    tp_new: Some(complex_new),
    tp_getset: (&raw mut COMPLEX_GETSET).cast(),
    tp_methods: (&raw mut COMPLEX_METHODS).cast(),
    ..static_type(
        c"complex",
        std::mem::size_of::<PyComplexObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

unsafe extern "C" fn complex_get_real(
    op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: getter contract: a live complex.
    crate::floatobject::from_f64(unsafe { value(op) }.real)
}

unsafe extern "C" fn complex_get_imag(
    op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    // SAFETY: getter contract: a live complex.
    crate::floatobject::from_f64(unsafe { value(op) }.imag)
}

/// `complex.real`, `complex.imag`.
static mut COMPLEX_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::longobject::getset(c"real", Some(complex_get_real)),
    crate::longobject::getset(c"imag", Some(complex_get_imag)),
    crate::descrobject::PyGetSetDef::END,
];

unsafe extern "C" fn complex_conjugate(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live complex.
    let v = unsafe { value(op) };
    from_complex(c(v.real, -v.imag))
}

static mut COMPLEX_METHODS: [crate::methodobject::PyMethodDef; 5] = [
    crate::bytes_methods::def!(c"__getnewargs__", noargs, complex_getnewargs),
    crate::bytes_methods::def!(c"__complex__", noargs, complex_complex),
    crate::bytes_methods::def!(c"from_number", class_o, complex_from_number),
    crate::longobject::method(
        c"conjugate",
        complex_conjugate as *mut std::ffi::c_void,
        crate::methodobject::METH_NOARGS,
    ),
    crate::methodobject::PyMethodDef::END,
];

const fn c(real: f64, imag: f64) -> Py_complex {
    Py_complex { real, imag }
}

/// Whether `op` is a complex (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_complex(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyComplex_Type) }
}

/// The value of a complex object.
///
/// # Safety
/// `op` must be a live complex.
pub(crate) unsafe fn value(op: *mut PyObject) -> Py_complex {
    // SAFETY: forwarded contract.
    unsafe { (*op.cast::<PyComplexObject>()).cval }
}

pub(crate) fn from_complex(v: Py_complex) -> *mut PyObject {
    // SAFETY: PyComplex_Type is a ready static type.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut PyComplex_Type, 0) };
    if !op.is_null() {
        // SAFETY: fresh complex object.
        unsafe { (*op.cast::<PyComplexObject>()).cval = v };
    }
    op
}

// ---- the arithmetic on values -------------------------------------------------------------

pub(crate) fn sum(a: Py_complex, b: Py_complex) -> Py_complex {
    c(a.real + b.real, a.imag + b.imag)
}

pub(crate) fn diff(a: Py_complex, b: Py_complex) -> Py_complex {
    c(a.real - b.real, a.imag - b.imag)
}

pub(crate) fn neg(a: Py_complex) -> Py_complex {
    c(-a.real, -a.imag)
}

pub(crate) fn prod(a: Py_complex, b: Py_complex) -> Py_complex {
    c(
        a.real * b.real - a.imag * b.imag,
        a.real * b.imag + a.imag * b.real,
    )
}

/// `a / b` by scaling with the larger component of `b` (Smith's method); `None` when `b` is 0.
pub(crate) fn quot(a: Py_complex, b: Py_complex) -> Option<Py_complex> {
    let (br, bi) = (b.real.abs(), b.imag.abs());
    if br >= bi {
        if br == 0.0 {
            return None;
        }
        let ratio = b.imag / b.real;
        let denom = b.real + b.imag * ratio;
        Some(c(
            (a.real + a.imag * ratio) / denom,
            (a.imag - a.real * ratio) / denom,
        ))
    } else if bi >= br {
        let ratio = b.real / b.imag;
        let denom = b.real * ratio + b.imag;
        Some(c(
            (a.real * ratio + a.imag) / denom,
            (a.imag * ratio - a.real) / denom,
        ))
    } else {
        // A NaN component.
        Some(c(f64::NAN, f64::NAN))
    }
}

/// `a ** n` for a non-negative integer `n` by repeated squaring.
fn pow_unsigned(a: Py_complex, n: u64) -> Py_complex {
    let (mut r, mut p, mut n) = (c(1.0, 0.0), a, n);
    while n > 0 {
        if n & 1 == 1 {
            r = prod(r, p);
        }
        n >>= 1;
        if n > 0 {
            p = prod(p, p);
        }
    }
    r
}

/// Why a complex power failed.
pub(crate) enum PowError {
    ZeroToNegative,
    Overflow,
}

/// `a ** b` through polar form (`Err` for 0 to a negative or complex power).
pub(crate) fn pow_general(a: Py_complex, b: Py_complex) -> Result<Py_complex, PowError> {
    if b.real == 0.0 && b.imag == 0.0 {
        return Ok(c(1.0, 0.0));
    }
    if a.real == 0.0 && a.imag == 0.0 {
        if b.imag != 0.0 || b.real < 0.0 {
            return Err(PowError::ZeroToNegative);
        }
        return Ok(c(0.0, 0.0));
    }
    let modulus = a.real.hypot(a.imag);
    let mut len = modulus.powf(b.real);
    let arg = a.imag.atan2(a.real);
    let mut phase = arg * b.real;
    if b.imag != 0.0 {
        len /= (arg * b.imag).exp();
        phase += b.imag * modulus.ln();
    }
    Ok(c(len * phase.cos(), len * phase.sin()))
}

/// Python's `complex ** complex`: small integral exponents by repeated multiplication.
pub(crate) fn pow(a: Py_complex, b: Py_complex) -> Result<Py_complex, PowError> {
    let r = if b.imag == 0.0 && b.real == b.real.trunc() && b.real.abs() <= 100.0 {
        let n = b.real as i64;
        if n >= 0 {
            pow_unsigned(a, n as u64)
        } else {
            let p = pow_unsigned(a, n.unsigned_abs());
            quot(c(1.0, 0.0), p).ok_or(PowError::ZeroToNegative)?
        }
    } else {
        pow_general(a, b)?
    };
    if !(r.real.is_finite() && r.imag.is_finite())
        && a.real.is_finite()
        && a.imag.is_finite()
        && b.real.is_finite()
        && b.imag.is_finite()
    {
        return Err(PowError::Overflow);
    }
    Ok(r)
}

/// `a ** b` as a new object, raising CPython's errors.
pub(crate) fn complex_pow_values(a: Py_complex, b: Py_complex) -> *mut PyObject {
    match pow(a, b) {
        Ok(r) => from_complex(r),
        // 3.14's text (3.11: "0.0 to a negative or complex power").
        Err(PowError::ZeroToNegative) => raise(
            &raw mut EXC_ZeroDivisionError,
            "zero to a negative or complex power",
        ),
        Err(PowError::Overflow) => raise(&raw mut EXC_OverflowError, "complex exponentiation"),
    }
}

// ---- slots --------------------------------------------------------------------------------

/// An operand as a complex: `Ok(None)` for `NotImplemented`, `Err` with an exception set.
unsafe fn operand(o: *mut PyObject) -> Result<Option<Py_complex>, ()> {
    // SAFETY: forwarded contract: a live object.
    unsafe {
        if is_complex(o) {
            Ok(Some(value(o)))
        } else if crate::floatobject::is_float(o) {
            Ok(Some(c(crate::floatobject::value(o), 0.0)))
        } else if is_int(o) {
            crate::longobject::to_f64(o).map(|x| Some(c(x, 0.0)))
        } else {
            Ok(None)
        }
    }
}

fn binary(
    a: *mut PyObject,
    b: *mut PyObject,
    f: impl FnOnce(Py_complex, Py_complex) -> *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: live objects.
    unsafe {
        match (operand(a), operand(b)) {
            (Err(()), _) | (_, Err(())) => null_mut(),
            (Ok(Some(x)), Ok(Some(y))) => f(x, y),
            _ => not_implemented(),
        }
    }
}

unsafe extern "C" fn complex_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__add__", null_mut(), || {
        binary(a, b, |x, y| from_complex(sum(x, y)))
    })
}

unsafe extern "C" fn complex_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__sub__", null_mut(), || {
        binary(a, b, |x, y| from_complex(diff(x, y)))
    })
}

unsafe extern "C" fn complex_mul(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__mul__", null_mut(), || {
        binary(a, b, |x, y| from_complex(prod(x, y)))
    })
}

unsafe extern "C" fn complex_truediv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__truediv__", null_mut(), || {
        binary(a, b, |x, y| match quot(x, y) {
            Some(r) => from_complex(r),
            // 3.14's text (3.11: "complex division by zero").
            None => raise(&raw mut EXC_ZeroDivisionError, "division by zero"),
        })
    })
}

unsafe extern "C" fn complex_pow(
    a: *mut PyObject,
    b: *mut PyObject,
    m: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__pow__", null_mut(), || {
        if !m.is_null() && m != crate::object::none() {
            return raise(&raw mut crate::pyerrors::EXC_ValueError, "complex modulo");
        }
        binary(a, b, complex_pow_values)
    })
}

unsafe fn unary(op: *mut PyObject, f: impl FnOnce(Py_complex) -> *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract: a live object.
    unsafe {
        if !is_complex(op) {
            return not_implemented();
        }
        f(value(op))
    }
}

unsafe extern "C" fn complex_neg(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("complex.__neg__", null_mut(), || unsafe {
        unary(op, |x| from_complex(neg(x)))
    })
}

unsafe extern "C" fn complex_pos(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__pos__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            if crate::object::ty(op) == &raw mut PyComplex_Type {
                return crate::refcount::new_ref(op);
            }
            unary(op, from_complex)
        }
    })
}

unsafe extern "C" fn complex_abs(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__abs__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            unary(op, |x| {
                let r = x.real.hypot(x.imag);
                if r.is_infinite() && x.real.is_finite() && x.imag.is_finite() {
                    return raise(&raw mut EXC_OverflowError, "absolute value too large");
                }
                crate::floatobject::from_f64(r)
            })
        }
    })
}

unsafe extern "C" fn complex_bool(op: *mut PyObject) -> c_int {
    // SAFETY: slot contract: a live complex.
    let v = unsafe { value(op) };
    c_int::from(v.real != 0.0 || v.imag != 0.0)
}

unsafe extern "C" fn complex_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__richcmp__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        unsafe {
            if (op != Py_EQ && op != Py_NE) || !is_complex(a) {
                return not_implemented();
            }
            let x = value(a);
            let equal = if is_complex(b) {
                x == value(b)
            } else if crate::floatobject::is_float(b) {
                x.imag == 0.0 && x.real == crate::floatobject::value(b)
            } else if is_int(b) {
                x.imag == 0.0
                    && !x.real.is_nan()
                    && crate::floatobject::compare_with_int(
                        x.real,
                        &crate::longobject::to_bigint(b),
                    ) == std::cmp::Ordering::Equal
            } else {
                return not_implemented();
            };
            crate::boolobject::from_bool(equal == (op == Py_EQ))
        }
    })
}

/// `hash(complex)`: `hash(real) + 1000003 * hash(imag)`, -1 becoming -2.
pub(crate) fn hash_complex(obj: *mut PyObject, v: Py_complex) -> Py_hash_t {
    let h = hash_double(obj, v.real).wrapping_add(hash_double(obj, v.imag).wrapping_mul(1000003));
    if h == -1 { -2 } else { h }
}

unsafe extern "C" fn complex_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: slot contract: a live complex.
    hash_complex(op, unsafe { value(op) })
}

/// Python's `repr(complex)`: `1j`, `(1+2j)`, `(-0-1j)`, `(nan+infj)`.
pub(crate) fn repr_complex(v: Py_complex) -> String {
    let im = repr_f64_part(v.imag);
    if v.real == 0.0 && v.real.is_sign_positive() {
        return format!("{im}j");
    }
    let re = repr_f64_part(v.real);
    let im = if im.starts_with('-') {
        im
    } else {
        format!("+{im}")
    };
    format!("({re}{im}j)")
}

unsafe extern "C" fn complex_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract: a live complex.
    crate::unicodeobject::from_str(&repr_complex(unsafe { value(op) }))
}

/// Parses `complex(text)`: `[(] [real] [±imag j] [)]` with optional blanks inside the
/// parentheses and around, `j` alone meaning 1j. `None` if malformed.
pub(crate) fn parse_complex(text: &str) -> Option<Py_complex> {
    let mut s = text.trim_matches(|c: char| c.is_whitespace());
    if let Some(inner) = s.strip_prefix('(') {
        s = inner
            .strip_suffix(')')?
            .trim_matches(|c: char| c.is_whitespace());
    }
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let number = |t: &[u8]| -> Option<f64> { std::str::from_utf8(t).ok()?.parse().ok() };
    let is_j = |c: u8| c == b'j' || c == b'J';
    let n = crate::pystrtod::float_prefix_len(b);
    if n == b.len() {
        return Some(c(number(b)?, 0.0));
    }
    if n == 0 {
        // "j", "+j", "-j".
        return match b {
            [j] if is_j(*j) => Some(c(0.0, 1.0)),
            [b'+', j] if is_j(*j) => Some(c(0.0, 1.0)),
            [b'-', j] if is_j(*j) => Some(c(0.0, -1.0)),
            _ => None,
        };
    }
    if n + 1 == b.len() && is_j(b[n]) {
        return Some(c(0.0, number(&b[..n])?));
    }
    let real = number(&b[..n])?;
    let rest = &b[n..];
    if !matches!(rest.first(), Some(b'+' | b'-')) || !is_j(*rest.last()?) {
        return None;
    }
    let imag_text = &rest[..rest.len() - 1];
    let imag = match imag_text {
        b"+" => 1.0,
        b"-" => -1.0,
        t if crate::pystrtod::float_prefix_len(t) == t.len() => number(t)?,
        _ => return None,
    };
    Some(c(real, imag))
}

/// `complex(x)` for one numeric argument: `Ok(None)` if it is no number.
unsafe fn as_complex_value(op: *mut PyObject) -> Result<Option<Py_complex>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(v) = operand(op)? {
            return Ok(Some(v));
        }
        let nb = (*crate::object::ty(op)).tp_as_number.as_ref();
        if nb.is_some_and(|nb| nb.nb_float.is_some() || nb.nb_index.is_some()) {
            let f = crate::floatobject::PyFloat_AsDouble(op);
            if f == -1.0 && crate::pyerrors::occurred() {
                return Err(());
            }
            return Ok(Some(c(f, 0.0)));
        }
        Ok(None)
    }
}

unsafe extern "C" fn complex_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    let exact = complex_new_exact(args, kwargs);
    if t.is_null() || t == &raw mut PyComplex_Type || exact.is_null() {
        return exact;
    }
    // SAFETY: `t` is a subtype of complex (slot contract); `exact` an owned complex.
    crate::ffi_guard::guard("complex.__new__", null_mut(), || unsafe {
        let op = crate::longobject::alloc_instance(t, 0);
        if !op.is_null() {
            (*op.cast::<PyComplexObject>()).cval = value(exact);
        }
        crate::refcount::decref(exact);
        op
    })
}

fn complex_new_exact(args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("complex.__new__", null_mut(), || {
        // SAFETY: slot contract: `args` is a tuple, `kwargs` NULL or a dict.
        unsafe {
            let a = if args.is_null() {
                &[][..]
            } else {
                crate::tupleobject::items(args)
            };
            if a.len() > 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("complex() takes at most 2 arguments ({} given)", a.len()),
                );
            }
            // complex(real=0, imag=0): both may be given by name
            let mut slots: [Option<*mut PyObject>; 2] = [a.first().copied(), a.get(1).copied()];
            let mut named = false;
            if !kwargs.is_null() {
                for (k, v) in crate::dictobject::entries(kwargs) {
                    let key = crate::unicodeobject::as_str(k).unwrap_or("");
                    let Some(i) = ["real", "imag"].iter().position(|n| *n == key) else {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("complex() got an unexpected keyword argument '{key}'"),
                        );
                    };
                    if slots[i].is_some() {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for complex() given by name ('{key}') and position ({})",
                                i + 1
                            ),
                        );
                    }
                    slots[i] = Some(v);
                    named = true;
                }
            }
            if !named
                && let [x] = a
                && crate::unicodeobject::is_str(*x)
            {
                let text = crate::unicodeobject::as_str(*x).unwrap_or("");
                return match parse_complex(text) {
                    Some(v) => from_complex(v),
                    None => raise(
                        &raw mut crate::pyerrors::EXC_ValueError,
                        "complex() arg is a malformed string",
                    ),
                };
            }
            let mut parts = [c(0.0, 0.0), c(0.0, 0.0)];
            for (i, x) in slots.iter().enumerate() {
                let Some(x) = *x else { continue };
                match as_complex_value(x) {
                    Err(()) => return null_mut(),
                    Ok(Some(v)) => parts[i] = v,
                    Ok(None) => {
                        // CPython 3.14's texts: a lone positional argument may be a string,
                        // otherwise each part must be a real number
                        let t = crate::object::type_name(crate::object::ty(x));
                        let msg = if i == 0 && !named && a.len() == 1 {
                            format!("complex() argument must be a string or a number, not {t}")
                        } else {
                            let which = if i == 0 { "real" } else { "imag" };
                            format!("complex() argument '{which}' must be a real number, not {t}")
                        };
                        return raise(&raw mut EXC_TypeError, &msg);
                    }
                }
            }
            // complex(a, b) = a + b*1j
            let [x, y] = parts;
            from_complex(c(x.real - y.imag, x.imag + y.real))
        }
    })
}

// ---- the exported API ---------------------------------------------------------------------

#[export]
pub fn PyComplex_FromDoubles(real: f64, imag: f64) -> *mut PyObject {
    from_complex(c(real, imag))
}

#[export]
pub fn PyComplex_FromCComplex(v: Py_complex) -> *mut PyObject {
    from_complex(v)
}

#[export]
pub unsafe fn PyComplex_RealAsDouble(op: *mut PyObject) -> f64 {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !op.is_null() && is_complex(op) {
            value(op).real
        } else {
            crate::floatobject::PyFloat_AsDouble(op)
        }
    }
}

#[export]
pub unsafe fn PyComplex_ImagAsDouble(op: *mut PyObject) -> f64 {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !op.is_null() && is_complex(op) {
            value(op).imag
        } else {
            // CPython 3.14: the imaginary part of a real number is 0.0 (after checking
            // that it is one).
            let f = crate::floatobject::PyFloat_AsDouble(op);
            if f == -1.0 && crate::pyerrors::occurred() {
                -1.0
            } else {
                0.0
            }
        }
    }
}

#[export(err = c(-1.0, 0.0))]
pub unsafe fn PyComplex_AsCComplex(op: *mut PyObject) -> Py_complex {
    let err = c(-1.0, 0.0);
    if op.is_null() {
        crate::pyerrors::bad_internal_call();
        return err;
    }
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if is_complex(op) {
            return value(op);
        }
        match as_complex_value(op) {
            Ok(Some(v)) => v,
            Ok(None) => {
                let t = crate::object::type_name(crate::object::ty(op));
                raise(
                    &raw mut EXC_TypeError,
                    &format!("must be real number, not {t}"),
                );
                err
            }
            Err(()) => err,
        }
    }
}

#[export(unguarded)]
pub fn _Py_c_sum(a: Py_complex, b: Py_complex) -> Py_complex {
    sum(a, b)
}

#[export(unguarded)]
pub fn _Py_c_diff(a: Py_complex, b: Py_complex) -> Py_complex {
    diff(a, b)
}

#[export(unguarded)]
pub fn _Py_c_neg(a: Py_complex) -> Py_complex {
    neg(a)
}

#[export(unguarded)]
pub fn _Py_c_prod(a: Py_complex, b: Py_complex) -> Py_complex {
    prod(a, b)
}

/// Sets `errno` as CPython's `_Py_c_*` helpers report errors.
fn set_errno(e: c_int) {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

#[export(unguarded)]
pub fn _Py_c_quot(a: Py_complex, b: Py_complex) -> Py_complex {
    match quot(a, b) {
        Some(r) => r,
        None => {
            set_errno(libc::EDOM);
            c(0.0, 0.0)
        }
    }
}

#[export(unguarded)]
pub fn _Py_c_pow(a: Py_complex, b: Py_complex) -> Py_complex {
    match pow_general(a, b) {
        Ok(r) => r,
        Err(_) => {
            set_errno(libc::EDOM);
            c(0.0, 0.0)
        }
    }
}

#[export(unguarded)]
pub fn _Py_c_abs(a: Py_complex) -> f64 {
    let r = a.real.hypot(a.imag);
    if r.is_infinite() && a.real.is_finite() && a.imag.is_finite() {
        set_errno(libc::ERANGE);
    }
    r
}

/// `complex.from_number(number)` (a class method): a complex as is, a real number with a zero
/// imaginary part; strings are refused. A subclass is called with the result.
unsafe fn complex_from_number(cls: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live class and argument.
    unsafe {
        let v = if is_complex(x) {
            value(x)
        } else {
            match crate::floatobject::real_value(x) {
                Ok(f) => c(f, 0.0),
                Err(()) => return std::ptr::null_mut(),
            }
        };
        let r = from_complex(v);
        if r.is_null() || cls == (&raw mut PyComplex_Type).cast() {
            return r;
        }
        let out = crate::abstract_::call_args(cls, &[r]);
        crate::refcount::decref(r);
        out
    }
}

/// `complex.__getnewargs__()`: `(real, imag)`.
unsafe fn complex_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live complex (method contract).
    unsafe {
        let v = value(op);
        let parts = [
            crate::floatobject::from_f64(v.real),
            crate::floatobject::from_f64(v.imag),
        ];
        if parts.iter().any(|p| p.is_null()) {
            parts.into_iter().for_each(|p| crate::refcount::xdecref(p));
            return null_mut();
        }
        let t = crate::tupleobject::from_slice(&parts);
        parts.into_iter().for_each(|p| crate::refcount::decref(p));
        t
    }
}

/// `complex.__complex__()`: an exact complex of the same value.
unsafe fn complex_complex(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live complex (method contract).
    unsafe { from_complex(value(op)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs() {
        assert_eq!(repr_complex(c(1.0, 2.0)), "(1+2j)");
        assert_eq!(repr_complex(c(0.0, 1.0)), "1j");
        assert_eq!(repr_complex(c(-0.0, -1.0)), "(-0-1j)");
        assert_eq!(repr_complex(c(1.0, f64::NAN)), "(1+nanj)");
        assert_eq!(repr_complex(c(1e16, 1e-5)), "(1e+16+1e-05j)");
        assert_eq!(repr_complex(c(0.0, -0.0)), "-0j");
    }

    #[test]
    fn parsing() {
        // complex(s) in python3.
        for (s, re, im) in [
            ("1+2j", 1.0, 2.0),
            ("(1+2j)", 1.0, 2.0),
            (" ( 1-2.5e3J ) ", 1.0, -2500.0),
            ("j", 0.0, 1.0),
            ("-j", 0.0, -1.0),
            ("3", 3.0, 0.0),
            ("2j", 0.0, 2.0),
            ("1+j", 1.0, 1.0),
        ] {
            assert_eq!(parse_complex(s), Some(c(re, im)), "{s}");
        }
        let v = parse_complex("inf+nanj").unwrap();
        assert!(v.real.is_infinite() && v.imag.is_nan());
        for bad in ["1 + 2j", "1+2", "abc", "", "()", "1j+2"] {
            assert_eq!(parse_complex(bad), None, "{bad}");
        }
    }
}
