//! `floatobject.h`: `float` (40 bytes: header and a double), with Python's arithmetic,
//! exact comparison against ints, the numeric hash and the shortest round-trip repr.

use crate::export;
use crate::longobject::{
    HASH_BITS, HASH_INF, HASH_MODULUS, NB_EMPTY, compare_result, is_int, not_implemented,
};
use crate::object::{Py_TPFLAGS_BASETYPE, PyNumberMethods, PyObject, PyTypeObject, static_type};
use crate::pyerrors::{
    EXC_OverflowError, EXC_TypeError, EXC_ValueError, EXC_ZeroDivisionError, raise,
};
use crate::pyport::Py_hash_t;
use num_bigint::BigInt;
use num_traits::FromPrimitive;
use std::cmp::Ordering;
use std::ffi::c_int;
use std::ptr::null_mut;

/// `PyFloatObject`.
#[repr(C)]
pub struct PyFloatObject {
    pub ob_base: PyObject,
    pub ob_fval: f64,
}

pub(crate) static mut FLOAT_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(float_add),
    nb_subtract: Some(float_sub),
    nb_multiply: Some(float_mul),
    nb_remainder: Some(float_mod),
    nb_divmod: Some(float_divmod),
    nb_power: Some(float_pow),
    nb_negative: Some(float_neg),
    nb_positive: Some(float_pos),
    nb_absolute: Some(float_abs),
    nb_bool: Some(float_bool),
    nb_int: Some(float_int),
    nb_float: Some(float_pos),
    nb_floor_divide: Some(float_floordiv),
    nb_true_divide: Some(float_truediv),
    ..NB_EMPTY
};

#[export]
pub static mut PyFloat_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(float_dealloc),
    tp_repr: Some(float_repr),
    tp_hash: Some(float_hash),
    tp_richcompare: Some(float_richcompare),
    tp_as_number: &raw mut FLOAT_AS_NUMBER,
    tp_new: Some(float_new),
    tp_getset: (&raw mut FLOAT_GETSET).cast(),
    tp_methods: (&raw mut FLOAT_METHODS).cast(),
    ..static_type(
        c"float",
        std::mem::size_of::<PyFloatObject>(),
        0,
        Py_TPFLAGS_BASETYPE,
    )
};

unsafe extern "C" fn float_get_real(op: *mut PyObject, _c: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live float.
    unsafe { float_pos(op) }
}

unsafe extern "C" fn float_get_imag(
    _op: *mut PyObject,
    _c: *mut std::ffi::c_void,
) -> *mut PyObject {
    from_f64(0.0)
}

/// `float.real`, `float.imag`.
static mut FLOAT_GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::longobject::getset(c"real", Some(float_get_real)),
    crate::longobject::getset(c"imag", Some(float_get_imag)),
    crate::descrobject::PyGetSetDef::END,
];

use crate::longobject::method;
use crate::methodobject::PyMethodDef;
use crate::methodobject::{METH_FASTCALL, METH_NOARGS};
use crate::pyport::Py_ssize_t;
use std::ffi::c_void;

static mut FLOAT_METHODS: [crate::methodobject::PyMethodDef; 14] = [
    crate::bytes_methods::def!(c"__getnewargs__", noargs, float_getnewargs),
    crate::bytes_methods::def!(c"__getformat__", class_o, float_getformat),
    crate::bytes_methods::def!(c"__format__", o, float_format),
    crate::bytes_methods::def!(c"fromhex", class_o, m_fromhex),
    crate::bytes_methods::def!(c"from_number", class_o, m_from_number),
    method(c"is_integer", float_is_integer as *mut c_void, METH_NOARGS),
    method(
        c"as_integer_ratio",
        float_as_integer_ratio as *mut c_void,
        METH_NOARGS,
    ),
    method(c"hex", float_hex as *mut c_void, METH_NOARGS),
    method(c"conjugate", float_conjugate as *mut c_void, METH_NOARGS),
    method(c"__trunc__", float_trunc as *mut c_void, METH_NOARGS),
    method(c"__floor__", float_floor as *mut c_void, METH_NOARGS),
    method(c"__ceil__", float_ceil as *mut c_void, METH_NOARGS),
    method(c"__round__", float_round as *mut c_void, METH_FASTCALL),
    PyMethodDef::END,
];

/// `(m, e)` with `v = m * 2**e` exactly, `m` an integer (v finite).
fn mantissa_exponent(v: f64) -> (i64, i64) {
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = (bits & ((1 << 52) - 1)) as i64;
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp_bits - 1075)
    };
    (if v.is_sign_negative() { -m } else { m }, e)
}

unsafe extern "C" fn float_is_integer(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    let v = unsafe { value(op) };
    crate::boolobject::from_bool(v.is_finite() && v == v.trunc())
}

/// `float.as_integer_ratio()` as big integers.
pub(crate) fn integer_ratio(v: f64) -> Result<(BigInt, BigInt), (bool, &'static str)> {
    if v.is_nan() {
        return Err((false, "cannot convert NaN to integer ratio"));
    }
    if v.is_infinite() {
        return Err((true, "cannot convert Infinity to integer ratio"));
    }
    let (m, e) = mantissa_exponent(v);
    if m == 0 {
        return Ok((BigInt::from(0), BigInt::from(1)));
    }
    if e >= 0 {
        return Ok((BigInt::from(m) << e as u64, BigInt::from(1)));
    }
    let tz = i64::from(m.unsigned_abs().trailing_zeros()).min(-e);
    Ok((BigInt::from(m >> tz), BigInt::from(1) << (-e - tz) as u64))
}

unsafe extern "C" fn float_as_integer_ratio(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.as_integer_ratio", null_mut(), || {
        // SAFETY: method contract: a live float.
        match integer_ratio(unsafe { value(op) }) {
            Ok((n, d)) => crate::longobject::pair(
                crate::longobject::from_bigint(&n),
                crate::longobject::from_bigint(&d),
            ),
            Err((true, m)) => raise(&raw mut EXC_OverflowError, m),
            Err((false, m)) => raise(&raw mut EXC_ValueError, m),
        }
    })
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p±e`, subnormals as `0x0.<digits>p-1022`.
pub(crate) fn hex_f64(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (lead, e) = if exp_bits == 0 {
        (0, -1022)
    } else {
        (1, exp_bits - 1023)
    };
    format!(
        "{sign}0x{lead}.{frac:013x}p{}{}",
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

unsafe extern "C" fn float_hex(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    crate::unicodeobject::from_str(&hex_f64(unsafe { value(op) }))
}

unsafe extern "C" fn float_conjugate(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    unsafe { float_pos(op) }
}

unsafe extern "C" fn float_trunc(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    crate::longobject::from_f64_trunc(unsafe { value(op) })
}

unsafe extern "C" fn float_floor(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    crate::longobject::from_f64_trunc(unsafe { value(op) }.floor())
}

unsafe extern "C" fn float_ceil(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: a live float.
    crate::longobject::from_f64_trunc(unsafe { value(op) }.ceil())
}

/// `round(x, n)`: the exact value of `x` rounded to `n` decimal places (ties to even),
/// then correctly rounded back to a double. `None` when the result overflows.
pub(crate) fn round_f64(x: f64, n: i64) -> Option<f64> {
    if !x.is_finite() || x == 0.0 || n > 400 {
        return Some(x);
    }
    if n < -400 {
        return Some(0.0f64.copysign(x));
    }
    let (m, e) = mantissa_exponent(x.abs());
    let m = BigInt::from(m);
    let ten = |k: u64| num_traits::Pow::pow(BigInt::from(10), k);
    // x * 10**n = num / den exactly.
    let (mut num, mut den) = (m, BigInt::from(1));
    if e >= 0 {
        num <<= e as u64;
    } else {
        den <<= (-e) as u64;
    }
    if n >= 0 {
        num *= ten(n as u64);
    } else {
        den *= ten(n.unsigned_abs());
    }
    let (mut q, r) = num_integer::Integer::div_rem(&num, &den);
    let twice: BigInt = &r * 2;
    if twice > den || (twice == den && num_integer::Integer::is_odd(&q)) {
        q += 1;
    }
    let y = if n >= 0 {
        crate::longobject::true_divide(&q, &ten(n as u64)).ok()?
    } else {
        crate::longobject::bigint_to_f64(&(q * ten(n.unsigned_abs())))?
    };
    Some(y.copysign(x))
}

unsafe extern "C" fn float_round(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    crate::ffi_guard::guard("float.__round__", null_mut(), || {
        // SAFETY: method contract: a live float and `nargs` live arguments.
        unsafe {
            let x = value(op);
            match crate::longobject::round_ndigits(args, nargs, "__round__") {
                Err(()) => null_mut(),
                Ok(None) => crate::longobject::from_f64_trunc(x.round_ties_even()),
                Ok(Some(n)) => match round_f64(x, n) {
                    Some(y) => from_f64(y),
                    None => raise(
                        &raw mut EXC_OverflowError,
                        "rounded value too large to represent",
                    ),
                },
            }
        }
    })
}

/// Whether `op` is a float (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_float(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyFloat_Type) }
}

/// The value of a float object.
///
/// # Safety
/// `op` must be a live float.
pub unsafe fn value(op: *mut PyObject) -> f64 {
    // SAFETY: forwarded contract.
    unsafe { (*op.cast::<PyFloatObject>()).ob_fval }
}

/// The numeric value of a float or int (`None` for anything else or ints too big for a float).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn as_f64(op: *mut PyObject) -> Option<f64> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_float(op) {
            return Some(value(op));
        }
        if is_int(op) {
            let r = crate::longobject::to_f64(op).ok();
            crate::pyerrors::clear_if(r.is_none());
            return r;
        }
        None
    }
}

/// The values of two exact floats (the number protocol's fast path).
///
/// # Safety
/// Both must be live objects.
#[inline]
pub(crate) unsafe fn exact_pair(v: *mut PyObject, w: *mut PyObject) -> Option<(f64, f64)> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = &raw mut PyFloat_Type;
        if crate::object::ty(v) != t || crate::object::ty(w) != t {
            return None;
        }
        Some((value(v), value(w)))
    }
}

/// A new float (from the calling thread's free list when it has one).
#[inline]
pub fn from_f64(v: f64) -> *mut PyObject {
    // SAFETY: PyFloat_Type is a ready static type without pre-header; the block size is
    // its basic size, and the value is written right after.
    let op = unsafe {
        crate::objimpl::alloc_listed(
            crate::objimpl::FreeKind::Float,
            &raw mut PyFloat_Type,
            std::mem::size_of::<PyFloatObject>(),
        )
    };
    if !op.is_null() {
        // SAFETY: fresh float object.
        unsafe { (*op.cast::<PyFloatObject>()).ob_fval = v };
    }
    op
}

/// `tp_dealloc` of float: exact floats go back to the free list (subclass instances, which
/// come here through their own dealloc, are freed normally).
unsafe extern "C" fn float_dealloc(op: *mut PyObject) {
    // SAFETY: a dead float (or subclass instance) whose count reached zero.
    unsafe {
        if crate::object::ty(op) == &raw mut PyFloat_Type {
            crate::objimpl::free_listed(crate::objimpl::FreeKind::Float, op);
        } else {
            // `plain_dealloc` is `extern "C"`: reached by a tail jump, no frame here.
            crate::objimpl::plain_dealloc(op);
        }
    }
}

// ---- repr ---------------------------------------------------------------------------------

/// The shortest round-trip digits of a finite, non-zero |v| and the decimal point position:
/// `|v| = 0.DIGITS * 10**decpt`.
fn shortest_digits(v: f64) -> (String, i32) {
    // `{:e}` prints the shortest representation that round-trips: "1.2345e-5".
    let s = format!("{:e}", v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_string(), exp + 1)
}

/// Formats a float as Python's `repr` does; `add_dot_0` appends ".0" to integral values
/// (complex parts are printed without it).
fn format_repr(v: f64, add_dot_0: bool) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v == 0.0 {
        return format!("{sign}0{}", if add_dot_0 { ".0" } else { "" });
    }
    let (digits, decpt) = shortest_digits(v);
    let n = digits.len() as i32;
    let body = if decpt <= -4 || decpt > 16 {
        // Exponent notation: d[.ddd]e±XX, at least two exponent digits.
        let e = decpt - 1;
        let mant = if n > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt >= n {
        let zeros = "0".repeat((decpt - n) as usize);
        format!("{digits}{zeros}{}", if add_dot_0 { ".0" } else { "" })
    } else {
        format!(
            "{}.{}",
            &digits[..decpt as usize],
            &digits[decpt as usize..]
        )
    };
    format!("{sign}{body}")
}

/// Python's `repr(float)`: shortest round-trip digits, exponent notation when the decimal
/// point position is above 16 or below -3.
pub(crate) fn repr_f64(v: f64) -> String {
    format_repr(v, true)
}

/// A float as a part of `repr(complex)` (no ".0" added).
pub(crate) fn repr_f64_part(v: f64) -> String {
    format_repr(v, false)
}

unsafe extern "C" fn float_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live float (slot contract).
    crate::unicodeobject::from_str(&repr_f64(unsafe { value(op) }))
}

// ---- hash ---------------------------------------------------------------------------------

/// `2**e mod (2**61 - 1)` for any integer `e` (2**61 is 1 modulo the prime).
fn pow2_mod(e: i64) -> u64 {
    1u64 << e.rem_euclid(HASH_BITS as i64)
}

/// The numeric hash of a finite double: `sign * (|m| * 2**e mod (2**61 - 1))` where
/// `v = m * 2**e` with an integer mantissa `m`. `None` for infinities and NaN.
pub(crate) fn hash_finite(v: f64) -> Option<Py_hash_t> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some(0);
    }
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp_bits - 1075)
    };
    let x = (u128::from(m % HASH_MODULUS) * u128::from(pow2_mod(e))) % u128::from(HASH_MODULUS);
    let h = x as Py_hash_t;
    let h = if v < 0.0 { -h } else { h };
    Some(if h == -1 { -2 } else { h })
}

/// `_Py_HashDouble(obj, v)`: NaN hashes by identity (3.10+).
pub(crate) fn hash_double(obj: *mut PyObject, v: f64) -> Py_hash_t {
    match hash_finite(v) {
        Some(h) => h,
        None if v.is_nan() => {
            let p = obj as usize;
            let h = (p >> 4 | p << (usize::BITS - 4)) as Py_hash_t;
            if h == -1 { -2 } else { h }
        }
        None => {
            if v > 0.0 {
                HASH_INF
            } else {
                -HASH_INF
            }
        }
    }
}

unsafe extern "C" fn float_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live float (slot contract).
    hash_double(op, unsafe { value(op) })
}

#[export]
pub fn _Py_HashDouble(obj: *mut PyObject, v: f64) -> Py_hash_t {
    hash_double(obj, v)
}

// ---- comparison ---------------------------------------------------------------------------

/// Compares a finite or infinite (not NaN) double with a big integer exactly.
pub(crate) fn compare_with_int(f: f64, i: &BigInt) -> Ordering {
    if f.is_infinite() {
        return if f > 0.0 {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    let fl = f.floor();
    let fb = BigInt::from_f64(fl).unwrap_or_default();
    match fb.cmp(i) {
        Ordering::Equal if f > fl => Ordering::Greater,
        o => o,
    }
}

unsafe extern "C" fn float_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard("float.__richcmp__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        unsafe {
            if !is_float(a) {
                return not_implemented();
            }
            let x = value(a);
            let ord = if is_float(b) {
                x.partial_cmp(&value(b))
            } else if is_int(b) {
                if x.is_nan() {
                    None
                } else if let Some(y) = crate::longobject::compact(b) {
                    (x).partial_cmp(&(y as f64))
                } else {
                    Some(compare_with_int(x, &crate::longobject::to_bigint(b)))
                }
            } else {
                return not_implemented();
            };
            crate::boolobject::from_bool(match ord {
                Some(o) => compare_result(o, op),
                None => op == crate::object::Py_NE,
            })
        }
    })
}

// ---- arithmetic ---------------------------------------------------------------------------

/// Both operands as doubles: `Ok(None)` for `NotImplemented`, `Err` with an exception set
/// when an int is too large.
unsafe fn operands(a: *mut PyObject, b: *mut PyObject) -> Result<Option<(f64, f64)>, ()> {
    // SAFETY: forwarded contract.
    unsafe fn one(o: *mut PyObject) -> Result<Option<f64>, ()> {
        // SAFETY: forwarded contract.
        unsafe {
            if is_float(o) {
                Ok(Some(value(o)))
            } else if is_int(o) {
                crate::longobject::to_f64(o).map(Some)
            } else {
                Ok(None)
            }
        }
    }
    // SAFETY: forwarded contract.
    unsafe {
        match (one(a)?, one(b)?) {
            (Some(x), Some(y)) => Ok(Some((x, y))),
            _ => Ok(None),
        }
    }
}

fn binary(
    a: *mut PyObject,
    b: *mut PyObject,
    f: impl FnOnce(f64, f64) -> *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: live objects.
    match unsafe { operands(a, b) } {
        Err(()) => null_mut(),
        Ok(None) => not_implemented(),
        Ok(Some((x, y))) => f(x, y),
    }
}

unsafe extern "C" fn float_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__add__", null_mut(), || {
        binary(a, b, |x, y| from_f64(x + y))
    })
}

unsafe extern "C" fn float_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__sub__", null_mut(), || {
        binary(a, b, |x, y| from_f64(x - y))
    })
}

unsafe extern "C" fn float_mul(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__mul__", null_mut(), || {
        binary(a, b, |x, y| from_f64(x * y))
    })
}

/// CPython 3.14's text for float `/`, `//`, `%` and `divmod` by zero (3.11 said
/// "float division by zero", "float floor division by zero", "float modulo", "float divmod()").
fn zero_division() -> *mut PyObject {
    raise(&raw mut EXC_ZeroDivisionError, "division by zero")
}

unsafe extern "C" fn float_truediv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__truediv__", null_mut(), || {
        binary(a, b, |x, y| {
            if y == 0.0 {
                zero_division()
            } else {
                from_f64(x / y)
            }
        })
    })
}

/// Python's float `divmod`: floor quotient and a remainder with the divisor's sign.
pub(crate) fn float_divmod_values(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// Python's float `%`.
pub(crate) fn float_mod_value(vx: f64, wx: f64) -> f64 {
    let mut m = vx % wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    m
}

unsafe extern "C" fn float_floordiv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__floordiv__", null_mut(), || {
        binary(a, b, |x, y| {
            if y == 0.0 {
                zero_division()
            } else {
                from_f64(float_divmod_values(x, y).0)
            }
        })
    })
}

unsafe extern "C" fn float_mod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__mod__", null_mut(), || {
        binary(a, b, |x, y| {
            if y == 0.0 {
                zero_division()
            } else {
                from_f64(float_mod_value(x, y))
            }
        })
    })
}

unsafe extern "C" fn float_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__divmod__", null_mut(), || {
        binary(a, b, |x, y| {
            if y == 0.0 {
                return zero_division();
            }
            let (d, m) = float_divmod_values(x, y);
            crate::longobject::pair(from_f64(d), from_f64(m))
        })
    })
}

/// `x ** y` for doubles with Python's rules: a float, a complex for a negative base and a
/// non-integral exponent, or an exception.
pub(crate) fn float_pow_values(x: f64, y: f64) -> *mut PyObject {
    if y == 0.0 {
        return from_f64(1.0);
    }
    if x == 0.0 && y < 0.0 && y.is_finite() {
        // 3.14's text (3.11: "0.0 cannot be raised to a negative power").
        return raise(&raw mut EXC_ZeroDivisionError, "zero to a negative power");
    }
    if x.is_finite() && x < 0.0 && y.is_finite() && y != y.floor() {
        // A negative number to a fractional power: the principal complex root.
        return crate::complexobject::complex_pow_values(
            crate::complexobject::Py_complex { real: x, imag: 0.0 },
            crate::complexobject::Py_complex { real: y, imag: 0.0 },
        );
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return raise(
            &raw mut EXC_OverflowError,
            "(34, 'Numerical result out of range')",
        );
    }
    from_f64(r)
}

unsafe extern "C" fn float_pow(
    a: *mut PyObject,
    b: *mut PyObject,
    m: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("float.__pow__", null_mut(), || {
        if !m.is_null() && m != crate::object::none() {
            return raise(
                &raw mut EXC_TypeError,
                "pow() 3rd argument not allowed unless all arguments are integers",
            );
        }
        binary(a, b, float_pow_values)
    })
}

unsafe fn unary(op: *mut PyObject, f: impl FnOnce(f64) -> *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract: a live object.
    unsafe {
        if !is_float(op) {
            return not_implemented();
        }
        f(value(op))
    }
}

unsafe extern "C" fn float_neg(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("float.__neg__", null_mut(), || unsafe {
        unary(op, |x| from_f64(-x))
    })
}

unsafe extern "C" fn float_pos(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__pos__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            if crate::object::ty(op) == &raw mut PyFloat_Type {
                return crate::refcount::new_ref(op);
            }
            unary(op, from_f64)
        }
    })
}

unsafe extern "C" fn float_abs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("float.__abs__", null_mut(), || unsafe {
        unary(op, |x| from_f64(x.abs()))
    })
}

unsafe extern "C" fn float_bool(op: *mut PyObject) -> c_int {
    // SAFETY: slot contract: a live float.
    c_int::from(unsafe { value(op) } != 0.0)
}

unsafe extern "C" fn float_int(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    crate::ffi_guard::guard("float.__int__", null_mut(), || unsafe {
        unary(op, crate::longobject::from_f64_trunc)
    })
}

// ---- parsing and the API ------------------------------------------------------------------

/// Parses `float(text)`: whitespace around, underscores between digits, `inf`/`nan`.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let s = text.trim_matches(|c: char| c.is_whitespace());
    if s.is_empty() {
        return None;
    }
    let bytes = s.as_bytes();
    // Underscores only between two digits.
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'_' {
            let before = i > 0 && bytes[i - 1].is_ascii_digit();
            let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !before || !after {
                return None;
            }
        }
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let body = clean.trim_start_matches(['+', '-']);
    if clean.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return clean.parse().ok();
    }
    // Only digits, one dot, an exponent: Rust's parser accepts the same grammar otherwise.
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    clean.parse().ok()
}

/// `float(x)`.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn number_float(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::object::ty(op) == &raw mut PyFloat_Type {
            return crate::refcount::new_ref(op);
        }
        if is_float(op) {
            return from_f64(value(op));
        }
        if crate::unicodeobject::is_str(op) {
            return from_string(op);
        }
        if let Some(nb) = (*crate::object::ty(op)).tp_as_number.as_ref() {
            if let Some(f) = nb.nb_float {
                return crate::extcall::unary(f, op);
            }
            if nb.nb_index.is_some() {
                let r = crate::longobject::index(op);
                if r.is_null() {
                    return r;
                }
                let v = crate::longobject::to_f64(r);
                crate::refcount::decref(r);
                return v.map_or(null_mut(), from_f64);
            }
        }
        let t = crate::object::type_name(crate::object::ty(op));
        raise(
            &raw mut EXC_TypeError,
            &format!("float() argument must be a string or a real number, not '{t}'"),
        )
    }
}

unsafe fn from_string(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(s) = crate::unicodeobject::as_str(op) else {
            let t = crate::object::type_name(crate::object::ty(op));
            return raise(
                &raw mut EXC_TypeError,
                &format!("float() argument must be a string or a real number, not '{t}'"),
            );
        };
        match parse_float(s) {
            Some(v) => from_f64(v),
            None => raise(
                &raw mut EXC_ValueError,
                &format!(
                    "could not convert string to float: {}",
                    crate::unicodeobject::repr_text(s)
                ),
            ),
        }
    }
}

unsafe extern "C" fn float_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    let exact = float_new_exact(args, kwargs);
    if t.is_null() || t == &raw mut PyFloat_Type || exact.is_null() {
        return exact;
    }
    // SAFETY: `t` is a subtype of float (slot contract); `exact` an owned float.
    crate::ffi_guard::guard("float.__new__", null_mut(), || unsafe {
        let op = crate::longobject::alloc_instance(t, 0);
        if !op.is_null() {
            (*op.cast::<PyFloatObject>()).ob_fval = value(exact);
        }
        crate::refcount::decref(exact);
        op
    })
}

fn float_new_exact(args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("float.__new__", null_mut(), || {
        // SAFETY: slot contract: `args` is a tuple, `kwargs` NULL or a dict.
        unsafe {
            let a = if args.is_null() {
                &[][..]
            } else {
                crate::tupleobject::items(args)
            };
            if !kwargs.is_null() && crate::dictobject::len(kwargs) != 0 {
                return raise(&raw mut EXC_TypeError, "float() takes no keyword arguments");
            }
            match a {
                [] => from_f64(0.0),
                [x] => number_float(*x),
                _ => raise(
                    &raw mut EXC_TypeError,
                    &format!("float expected at most 1 argument, got {}", a.len()),
                ),
            }
        }
    })
}

#[export(unguarded)]
pub fn PyFloat_FromDouble(v: f64) -> *mut PyObject {
    // Unguarded (see `ffi_guard`): `from_f64` is a free-list pop or a mimalloc call, the
    // header and the value; nothing on that path can panic.
    from_f64(v)
}

#[export]
pub unsafe fn PyFloat_FromString(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a live object, per the C API contract.
    unsafe { from_string(op) }
}

#[export(unguarded)]
pub fn PyFloat_GetMax() -> f64 {
    f64::MAX
}

#[export(unguarded)]
pub fn PyFloat_GetMin() -> f64 {
    f64::MIN_POSITIVE
}

/// The exact-float case of `PyFloat_AsDouble`, one field read, answered before the guard.
///
/// # Safety
/// `op` must be a live object or NULL.
#[inline]
unsafe fn exact_value(op: *mut PyObject) -> Option<f64> {
    // SAFETY: a live object or NULL (forwarded contract).
    if !op.is_null() && unsafe { crate::object::ty(op) } == &raw mut PyFloat_Type {
        // SAFETY: `op` is a live float.
        return Some(unsafe { value(op) });
    }
    None
}

#[export(fast = exact_value)]
pub unsafe fn PyFloat_AsDouble(op: *mut PyObject) -> f64 {
    {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return -1.0;
        }
        // SAFETY: a live object, per the C API contract.
        unsafe {
            if is_float(op) {
                return value(op);
            }
            let nb = (*crate::object::ty(op)).tp_as_number.as_ref();
            if let Some(f) = nb.and_then(|nb| nb.nb_float) {
                let r = crate::extcall::unary(f, op);
                if r.is_null() {
                    return -1.0;
                }
                if !is_float(r) {
                    let t = crate::object::type_name(crate::object::ty(op));
                    let rt = crate::object::type_name(crate::object::ty(r));
                    crate::refcount::decref(r);
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("{t}.__float__ returned non-float (type {rt})"),
                    );
                    return -1.0;
                }
                let v = value(r);
                crate::refcount::decref(r);
                return v;
            }
            if nb.is_some_and(|nb| nb.nb_index.is_some()) {
                let r = crate::longobject::index(op);
                if r.is_null() {
                    return -1.0;
                }
                let v = crate::longobject::to_f64(r);
                crate::refcount::decref(r);
                return v.unwrap_or(-1.0);
            }
            let t = crate::object::type_name(crate::object::ty(op));
            raise(
                &raw mut EXC_TypeError,
                &format!("must be real number, not {t}"),
            );
            -1.0
        }
    }
}

#[export]
pub unsafe fn PyFloat_Pack8(x: f64, p: *mut u8, le: c_int) -> c_int {
    let b = if le != 0 {
        x.to_le_bytes()
    } else {
        x.to_be_bytes()
    };
    // SAFETY: `p` points to 8 writable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, 8) };
    0
}

#[export]
pub unsafe fn PyFloat_Unpack8(p: *const u8, le: c_int) -> f64 {
    let mut b = [0u8; 8];
    // SAFETY: `p` points to 8 readable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), 8) };
    if le != 0 {
        f64::from_le_bytes(b)
    } else {
        f64::from_be_bytes(b)
    }
}

#[export]
pub unsafe fn PyFloat_Pack4(x: f64, p: *mut u8, le: c_int) -> c_int {
    let y = x as f32;
    if y.is_infinite() && x.is_finite() {
        raise(
            &raw mut EXC_OverflowError,
            "float too large to pack with f format",
        );
        return -1;
    }
    let b = if le != 0 {
        y.to_le_bytes()
    } else {
        y.to_be_bytes()
    };
    // SAFETY: `p` points to 4 writable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, 4) };
    0
}

#[export]
pub unsafe fn PyFloat_Unpack4(p: *const u8, le: c_int) -> f64 {
    let mut b = [0u8; 4];
    // SAFETY: `p` points to 4 readable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), 4) };
    f64::from(if le != 0 {
        f32::from_le_bytes(b)
    } else {
        f32::from_be_bytes(b)
    })
}

/// Packs a double as IEEE 754 binary16 (round half to even); `None` if it is too large.
pub(crate) fn to_half_bits(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    let a = x.abs();
    if a.is_infinite() {
        return Some(sign | 0x7c00);
    }
    if a >= 65520.0 {
        return None;
    }
    if a == 0.0 {
        return Some(sign);
    }
    let e = ((a.to_bits() >> 52) as i32) - 1023;
    let bits = if e < -14 {
        // Subnormal: units of 2**-24; 1024 rounds up into the smallest normal.
        (a * 2f64.powi(24)).round_ties_even() as u16
    } else {
        let mut e = e;
        let mut m = (a * 2f64.powi(10 - e)).round_ties_even() as u32;
        if m == 2048 {
            m = 1024;
            e += 1;
        }
        (((e + 15) as u16) << 10) | (m - 1024) as u16
    };
    Some(sign | bits)
}

/// Unpacks IEEE 754 binary16.
pub(crate) fn from_half_bits(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = i32::from((h >> 10) & 0x1f);
    let m = f64::from(h & 0x3ff);
    sign * match e {
        0 => m * 2f64.powi(-24),
        31 if m == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1024.0 + m) * 2f64.powi(e - 25),
    }
}

#[export]
pub unsafe fn PyFloat_Pack2(x: f64, p: *mut u8, le: c_int) -> c_int {
    let Some(h) = to_half_bits(x) else {
        raise(
            &raw mut EXC_OverflowError,
            "float too large to pack with e format",
        );
        return -1;
    };
    let b = if le != 0 {
        h.to_le_bytes()
    } else {
        h.to_be_bytes()
    };
    // SAFETY: `p` points to 2 writable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, 2) };
    0
}

#[export]
pub unsafe fn PyFloat_Unpack2(p: *const u8, le: c_int) -> f64 {
    let mut b = [0u8; 2];
    // SAFETY: `p` points to 2 readable bytes, per the C API contract.
    unsafe { std::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), 2) };
    from_half_bits(if le != 0 {
        u16::from_le_bytes(b)
    } else {
        u16::from_be_bytes(b)
    })
}

// ---- float.fromhex / float.from_number ----------------------------------------------------------

/// `m * 2**e` (plus a sticky bit for nonzero digits beyond `m`) correctly rounded to a double,
/// half to even; None on overflow.
fn compose(m: u128, e: i64, sticky: bool, negative: bool) -> Option<f64> {
    let sign = if negative { -1.0 } else { 1.0 };
    if m == 0 {
        return Some(0.0 * sign);
    }
    let bits = 128 - i64::from(m.leading_zeros());
    let top = e + bits - 1;
    let lsb = (top - 52).max(-1074);
    let shift = lsb - e;
    let q: u128 = if shift <= 0 {
        m << (-shift)
    } else if shift >= 128 {
        0
    } else {
        let q = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rem > half || (rem == half && (sticky || q & 1 == 1)) {
            q + 1
        } else {
            q
        }
    };
    if q == 0 {
        return Some(0.0 * sign);
    }
    let qbits = 128 - i64::from(q.leading_zeros());
    if lsb + qbits - 1 > 1023 {
        return None;
    }
    // exact: q has at most 54 bits and the scaling is by powers of two
    let mut v = q as f64;
    let mut k = lsb;
    while k < -1022 {
        v *= 2f64.powi(-1022);
        k += 1022;
    }
    while k > 1023 {
        v *= 2f64.powi(1023);
        k -= 1023;
    }
    Some(sign * v * 2f64.powi(k as i32))
}

/// Parses CPython's `float.fromhex` syntax; Err(true) for overflow, Err(false) for bad text.
fn parse_hex_float(s: &str) -> Result<f64, bool> {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = rest.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return Ok(if neg { -f64::NAN } else { f64::NAN });
    }
    let b = lower.as_bytes();
    let mut i = 0;
    if b.len() >= 2 && b[0] == b'0' && b[1] == b'x' {
        i = 2;
    }
    let (mut m, mut e, mut sticky, mut ndigits) = (0u128, 0i64, false, 0usize);
    let add = |d: u32, frac: bool, m: &mut u128, e: &mut i64, sticky: &mut bool| {
        if *m >> 120 == 0 {
            *m = *m * 16 + u128::from(d);
            if frac {
                *e -= 4;
            }
        } else {
            *sticky |= d != 0;
            if !frac {
                *e += 4;
            }
        }
    };
    while i < b.len() && (b[i] as char).is_ascii_hexdigit() {
        add(
            (b[i] as char).to_digit(16).unwrap_or(0),
            false,
            &mut m,
            &mut e,
            &mut sticky,
        );
        i += 1;
        ndigits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i] as char).is_ascii_hexdigit() {
            add(
                (b[i] as char).to_digit(16).unwrap_or(0),
                true,
                &mut m,
                &mut e,
                &mut sticky,
            );
            i += 1;
            ndigits += 1;
        }
    }
    if ndigits == 0 {
        return Err(false);
    }
    if i < b.len() && b[i] == b'p' {
        i += 1;
        let mut eneg = false;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            eneg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        let mut p: i64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            p = (p * 10 + i64::from(b[i] - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return Err(false);
        }
        e += if eneg { -p } else { p };
    }
    if i != b.len() {
        return Err(false);
    }
    compose(m, e, sticky, neg).ok_or(true)
}

/// The float `v` as an instance of `cls` (a subclass is called with it, as CPython does).
unsafe fn of_class(cls: *mut PyObject, v: f64) -> *mut PyObject {
    let r = from_f64(v);
    if r.is_null() || cls == (&raw mut PyFloat_Type).cast() {
        return r;
    }
    // SAFETY: a live class and an owned float.
    unsafe {
        let x = crate::abstract_::call_args(cls, &[r]);
        crate::refcount::decref(r);
        x
    }
}

unsafe fn m_fromhex(cls: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live class and argument.
    unsafe {
        let Some(text) =
            crate::unicodeobject::as_str(s).filter(|_| crate::unicodeobject::is_str(s))
        else {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "bad argument type for built-in operation",
            );
        };
        match parse_hex_float(text) {
            Ok(v) => of_class(cls, v),
            Err(true) => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                "hexadecimal value too large to represent as a float",
            ),
            Err(false) => crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "invalid hexadecimal floating-point string",
            ),
        }
    }
}

/// The value of a real number (float, int, or anything with `__float__`/`__index__`), with
/// `from_number`'s TypeError for anything else (strings included).
///
/// # Safety
/// `x` is live.
pub(crate) unsafe fn real_value(x: *mut PyObject) -> Result<f64, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_float(x) {
            return Ok(value(x));
        }
        let nb = (*crate::object::ty(x)).tp_as_number;
        let numeric = !nb.is_null() && ((*nb).nb_float.is_some() || (*nb).nb_index.is_some());
        if !numeric || crate::unicodeobject::is_str(x) {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("must be real number, not {}", crate::object::tname(x)),
            );
            return Err(());
        }
        let f = crate::abstract_::PyNumber_Float(x);
        if f.is_null() {
            return Err(());
        }
        let v = value(f);
        crate::refcount::decref(f);
        Ok(v)
    }
}

unsafe fn m_from_number(cls: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live class and argument.
    unsafe {
        match real_value(x) {
            Ok(v) => of_class(cls, v),
            Err(()) => null_mut(),
        }
    }
}

/// `float.__format__(format_spec)`.
unsafe fn float_format(op: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live float.
    unsafe {
        match crate::formatter_unicode::spec_arg(spec) {
            Some(sp) => crate::formatter_unicode::format_float(value(op), sp),
            None => null_mut(),
        }
    }
}

/// `float.__getnewargs__()`: `(float(self),)`, an exact float.
unsafe fn float_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live float (method contract).
    unsafe { crate::longobject::getnewargs_of(from_f64(PyFloat_AsDouble(op))) }
}

/// `float.__getformat__(typestr)`: how C doubles and floats are stored ('double' or 'float').
unsafe fn float_getformat(_cls: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: a live argument.
    unsafe {
        let Some(text) = crate::unicodeobject::as_str(s) else {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!(
                    "__getformat__() argument must be str, not {}",
                    crate::object::tname(s)
                ),
            );
        };
        if text != "double" && text != "float" {
            return crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "__getformat__() argument 1 must be 'double' or 'float'",
            );
        }
        let order = if cfg!(target_endian = "little") {
            "IEEE, little-endian"
        } else {
            "IEEE, big-endian"
        };
        crate::unicodeobject::from_str(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs() {
        for (v, s) in [
            (1e16, "1e+16"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789012345.0, "123456789012345.0"),
            (1.2345678901234567e16, "1.2345678901234568e+16"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(repr_f64(v), s);
        }
    }
}
