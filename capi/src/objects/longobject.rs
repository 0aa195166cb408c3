//! `longobject.h`: `int` with CPython's layout: `lv_tag = ndigits << 3 | sign` (sign 0
//! positive, 1 zero, 2 negative) followed by 30-bit digits, least significant first.
//!
//! The storage is CPython's, so inline code (`_PyLong_IsCompact`, `_PyLong_CompactValue`,
//! Cython's digit access) reads it directly. Arithmetic on values that do not fit one digit
//! goes through `num-bigint`; values of at most one digit take an `i64` fast path. The ints
//! -5..=256 are immortal statics, as in CPython (identity of small ints is observable).

use crate::export;
use crate::object::{
    Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_LONG_SUBCLASS,
    PyNumberMethods, PyObject, PyTypeObject, static_type,
};
use crate::pyerrors::{
    EXC_OverflowError, EXC_TypeError, EXC_ValueError, EXC_ZeroDivisionError, raise,
};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::ffi::{c_char, c_int, c_long, c_longlong, c_ulong, c_ulonglong, c_void};
use std::ptr::null_mut;

pub const PyLong_SHIFT: u32 = 30;
const MASK: u64 = (1 << PyLong_SHIFT) - 1;

/// The largest number of decimal digits converted to or from `str` (`sys.int_info.default_max_str_digits`).
pub(crate) const MAX_STR_DIGITS: usize = 4300;

/// The hash modulus: the Mersenne prime 2**61 - 1 (`sys.hash_info.modulus`).
pub(crate) const HASH_MODULUS: u64 = (1 << 61) - 1;
/// Hash bits (`sys.hash_info.width` is 64, the modulus uses 61).
pub(crate) const HASH_BITS: u32 = 61;
/// `hash(float('inf'))`.
pub(crate) const HASH_INF: Py_hash_t = 314159;

/// `_PyLongValue`.
#[repr(C)]
pub struct _PyLongValue {
    pub lv_tag: usize,
    pub ob_digit: [u32; 1],
}

/// `PyLongObject` (48 bytes).
#[repr(C)]
pub struct PyLongObject {
    pub ob_base: PyObject,
    pub long_value: _PyLongValue,
}

/// A `PyNumberMethods` with every slot empty.
pub(crate) const NB_EMPTY: PyNumberMethods = PyNumberMethods {
    nb_add: None,
    nb_subtract: None,
    nb_multiply: None,
    nb_remainder: None,
    nb_divmod: None,
    nb_power: None,
    nb_negative: None,
    nb_positive: None,
    nb_absolute: None,
    nb_bool: None,
    nb_invert: None,
    nb_lshift: None,
    nb_rshift: None,
    nb_and: None,
    nb_xor: None,
    nb_or: None,
    nb_int: None,
    nb_reserved: null_mut(),
    nb_float: None,
    nb_inplace_add: None,
    nb_inplace_subtract: None,
    nb_inplace_multiply: None,
    nb_inplace_remainder: None,
    nb_inplace_power: None,
    nb_inplace_lshift: None,
    nb_inplace_rshift: None,
    nb_inplace_and: None,
    nb_inplace_xor: None,
    nb_inplace_or: None,
    nb_floor_divide: None,
    nb_true_divide: None,
    nb_inplace_floor_divide: None,
    nb_inplace_true_divide: None,
    nb_index: None,
    nb_matrix_multiply: None,
    nb_inplace_matrix_multiply: None,
};

/// The number slots of `int` (bool starts from them too).
pub(crate) const fn long_number_methods() -> PyNumberMethods {
    PyNumberMethods {
        nb_add: Some(long_add),
        nb_subtract: Some(long_sub),
        nb_multiply: Some(long_mul),
        nb_remainder: Some(long_mod),
        nb_divmod: Some(long_divmod),
        nb_power: Some(long_pow),
        nb_negative: Some(long_neg),
        nb_positive: Some(long_pos),
        nb_absolute: Some(long_abs),
        nb_bool: Some(long_bool),
        nb_invert: Some(long_invert),
        nb_lshift: Some(long_lshift),
        nb_rshift: Some(long_rshift),
        nb_and: Some(long_and),
        nb_xor: Some(long_xor),
        nb_or: Some(long_or),
        nb_int: Some(long_pos),
        nb_float: Some(long_float),
        nb_floor_divide: Some(long_floordiv),
        nb_true_divide: Some(long_truediv),
        nb_index: Some(long_pos),
        ..NB_EMPTY
    }
}

pub static mut LONG_AS_NUMBER: PyNumberMethods = long_number_methods();

#[export]
pub static mut PyLong_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(long_dealloc),
    tp_repr: Some(long_repr),
    tp_hash: Some(long_hash),
    tp_richcompare: Some(long_richcompare),
    tp_as_number: &raw mut LONG_AS_NUMBER,
    tp_new: Some(long_new),
    tp_getset: (&raw mut LONG_GETSET).cast(),
    tp_methods: (&raw mut LONG_METHODS).cast(),
    ..static_type(
        c"int",
        40,
        4,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LONG_SUBCLASS,
    )
};

/// A read-only getset table entry.
pub(crate) const fn getset(
    name: &'static std::ffi::CStr,
    get: crate::descrobject::getter,
) -> crate::descrobject::PyGetSetDef {
    crate::descrobject::PyGetSetDef {
        name: name.as_ptr(),
        get,
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

unsafe extern "C" fn long_get_self(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live int.
    unsafe { long_pos(op) }
}

unsafe extern "C" fn long_get_zero(_op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    from_i64(0)
}

unsafe extern "C" fn long_get_one(_op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    from_i64(1)
}

/// `int.real`, `int.imag`, `int.numerator`, `int.denominator`.
static mut LONG_GETSET: [crate::descrobject::PyGetSetDef; 5] = [
    getset(c"real", Some(long_get_self)),
    getset(c"imag", Some(long_get_zero)),
    getset(c"numerator", Some(long_get_self)),
    getset(c"denominator", Some(long_get_one)),
    crate::descrobject::PyGetSetDef::END,
];

/// A method table entry.
pub(crate) const fn method(
    name: &'static std::ffi::CStr,
    meth: *mut c_void,
    flags: c_int,
) -> crate::methodobject::PyMethodDef {
    crate::methodobject::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: meth,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

use crate::methodobject::{METH_FASTCALL, METH_NOARGS};

static mut LONG_METHODS: [crate::methodobject::PyMethodDef; 15] = [
    crate::bytes_methods::def!(c"__getnewargs__", noargs, long_getnewargs),
    crate::bytes_methods::def!(c"__format__", o, long_format),
    method(
        c"to_bytes",
        long_to_bytes as *mut c_void,
        METH_FASTCALL | crate::methodobject::METH_KEYWORDS,
    ),
    method(
        c"from_bytes",
        long_from_bytes as *mut c_void,
        METH_FASTCALL | crate::methodobject::METH_KEYWORDS | crate::methodobject::METH_CLASS,
    ),
    method(c"bit_length", long_bit_length as *mut c_void, METH_NOARGS),
    method(c"bit_count", long_bit_count as *mut c_void, METH_NOARGS),
    method(c"conjugate", long_self_method as *mut c_void, METH_NOARGS),
    method(c"is_integer", long_is_integer as *mut c_void, METH_NOARGS),
    method(
        c"as_integer_ratio",
        long_as_integer_ratio as *mut c_void,
        METH_NOARGS,
    ),
    method(c"__trunc__", long_self_method as *mut c_void, METH_NOARGS),
    method(c"__floor__", long_self_method as *mut c_void, METH_NOARGS),
    method(c"__ceil__", long_self_method as *mut c_void, METH_NOARGS),
    method(c"__index__", long_self_method as *mut c_void, METH_NOARGS),
    method(c"__round__", long_round as *mut c_void, METH_FASTCALL),
    crate::methodobject::PyMethodDef::END,
];

unsafe extern "C" fn long_bit_length(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: `op` is a live int.
    crate::ffi_guard::guard("int.bit_length", null_mut(), || unsafe {
        from_i128(num_bits(op) as i128)
    })
}

unsafe extern "C" fn long_bit_count(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: `op` is a live int.
    crate::ffi_guard::guard("int.bit_count", null_mut(), || unsafe {
        let ones: u64 = digits(op).iter().map(|d| u64::from(d.count_ones())).sum();
        from_i128(ones as i128)
    })
}

unsafe extern "C" fn long_self_method(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: `op` is a live int.
    unsafe { long_pos(op) }
}

unsafe extern "C" fn long_is_integer(_op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::boolobject::true_()
}

unsafe extern "C" fn long_as_integer_ratio(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: method contract: `op` is a live int.
    crate::ffi_guard::guard("int.as_integer_ratio", null_mut(), || unsafe {
        pair(long_pos(op), from_i64(1))
    })
}

/// Binds FASTCALL arguments to `names` (the first `max_positional` may be positional).
/// `Err` with `TypeError` set for surplus or unknown arguments.
unsafe fn bind_args(
    func: &str,
    names: &[&str],
    max_positional: usize,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> Result<Vec<*mut PyObject>, ()> {
    let nargs = nargsf & !(1usize << (usize::BITS - 1));
    let mut out = vec![null_mut(); names.len()];
    if nargs > max_positional {
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "{func}() takes at most {max_positional} positional arguments ({nargs} given)"
            ),
        );
        return Err(());
    }
    // SAFETY: `args` holds `nargs` positional values followed by one per keyword name.
    unsafe {
        for (i, slot) in out.iter_mut().enumerate().take(nargs) {
            *slot = *args.add(i);
        }
        if !kwnames.is_null() {
            for (k, &name) in crate::tupleobject::items(kwnames).iter().enumerate() {
                let key = crate::unicodeobject::as_str(name).unwrap_or("");
                match names.iter().position(|n| *n == key) {
                    Some(i) if out[i].is_null() => out[i] = *args.add(nargs + k),
                    Some(i) => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for {func}() given by name ('{key}') and position ({})",
                                i + 1
                            ),
                        );
                        return Err(());
                    }
                    None => {
                        raise(
                            &raw mut EXC_TypeError,
                            &format!("{func}() got an unexpected keyword argument '{key}'"),
                        );
                        return Err(());
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `byteorder`: little endian or not (default big); `Err` with `ValueError` set.
unsafe fn byteorder(op: *mut PyObject) -> Result<bool, ()> {
    if op.is_null() {
        return Ok(false);
    }
    // SAFETY: a live object.
    match unsafe { crate::unicodeobject::as_str(op) } {
        Some("little") => Ok(true),
        Some("big") => Ok(false),
        _ => {
            raise(
                &raw mut EXC_ValueError,
                "byteorder must be either 'little' or 'big'",
            );
            Err(())
        }
    }
}

unsafe extern "C" fn long_to_bytes(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("int.to_bytes", null_mut(), || {
        // SAFETY: method contract: a live int and vectorcall arguments.
        unsafe {
            let Ok(a) = bind_args(
                "to_bytes",
                &["length", "byteorder", "signed"],
                2,
                args,
                nargsf,
                kwnames,
            ) else {
                return null_mut();
            };
            let length = if a[0].is_null() {
                BigInt::one()
            } else {
                match index_value(a[0]) {
                    Ok(v) => v,
                    Err(()) => return null_mut(),
                }
            };
            if length.is_negative() {
                return raise(
                    &raw mut EXC_ValueError,
                    "length argument must be non-negative",
                );
            }
            let Ok(little) = byteorder(a[1]) else {
                return null_mut();
            };
            let signed = !a[2].is_null() && crate::object::truth(a[2]) == 1;
            let v = to_bigint(op);
            if !signed && v.is_negative() {
                return raise(
                    &raw mut EXC_OverflowError,
                    "can't convert negative int to unsigned",
                );
            }
            let Some(n) = length.to_usize().filter(|&n| n <= (1 << 40)) else {
                return crate::pyerrors::no_memory();
            };
            let flags = if little { NB_LITTLE_ENDIAN } else { 0 };
            let flags = if signed {
                flags
            } else {
                flags | NB_UNSIGNED_BUFFER
            };
            let mut buf = vec![0u8; n];
            if as_native_bytes(&v, &mut buf, flags) as usize > n {
                return raise(&raw mut EXC_OverflowError, "int too big to convert");
            }
            crate::bytesobject::from_bytes(&buf)
        }
    })
}

unsafe extern "C" fn long_from_bytes(
    cls: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("int.from_bytes", null_mut(), || {
        // SAFETY: method contract: the class and vectorcall arguments.
        unsafe {
            let Ok(a) = bind_args(
                "from_bytes",
                &["bytes", "byteorder", "signed"],
                2,
                args,
                nargsf,
                kwnames,
            ) else {
                return null_mut();
            };
            if a[0].is_null() {
                return raise(
                    &raw mut EXC_TypeError,
                    "from_bytes() missing required argument 'bytes' (pos 1)",
                );
            }
            let Some(data) = crate::bytesobject::bytes_like(a[0]) else {
                let t = crate::object::type_name(crate::object::ty(a[0]));
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("cannot convert '{t}' object to bytes"),
                );
            };
            let Ok(little) = byteorder(a[1]) else {
                return null_mut();
            };
            let signed = !a[2].is_null() && crate::object::truth(a[2]) == 1;
            let flags = if little { NB_LITTLE_ENDIAN } else { 0 };
            let r = if data.is_empty() {
                from_i64(0)
            } else {
                from_native(&data, flags, signed)
            };
            let t = cls.cast::<PyTypeObject>();
            if t == &raw mut PyLong_Type || r.is_null() {
                r
            } else {
                subtype_new(t, r)
            }
        }
    })
}

/// The optional `ndigits` of `__round__` (`Ok(None)` when absent or None; `Err`: the
/// exception is set).
#[allow(clippy::result_unit_err)]
///
/// # Safety
/// `args` holds `nargs` live objects.
pub(crate) unsafe fn round_ndigits(
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    what: &str,
) -> Result<Option<i64>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if nargs > 1 {
            raise(
                &raw mut EXC_TypeError,
                &format!("{what} expected at most 1 argument, got {nargs}"),
            );
            return Err(());
        }
        if nargs == 0 || *args == crate::object::none() {
            return Ok(None);
        }
        let v = index_value(*args)?;
        Ok(Some(v.to_i64().unwrap_or(if v.is_negative() {
            i64::MIN
        } else {
            i64::MAX
        })))
    }
}

/// `x` rounded to a multiple of `10**k` (k > 0), ties to even.
pub(crate) fn round_to_power_of_ten(x: &BigInt, k: u64) -> BigInt {
    let p = num_traits::Pow::pow(BigInt::from(10), k);
    let (mut q, r) = x.div_mod_floor(&p);
    let twice: BigInt = &r * 2;
    if twice > p || (twice == p && q.is_odd()) {
        q += 1;
    }
    q * p
}

unsafe extern "C" fn long_round(
    op: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    crate::ffi_guard::guard("int.__round__", null_mut(), || {
        // SAFETY: method contract: a live int and `nargs` live arguments.
        unsafe {
            match round_ndigits(args, nargs, "__round__") {
                Err(()) => null_mut(),
                Ok(None) => long_pos(op),
                Ok(Some(n)) if n >= 0 => long_pos(op),
                Ok(Some(n)) => {
                    let k = n.unsigned_abs();
                    if k > 1 << 20 {
                        return from_i64(0);
                    }
                    from_bigint(&round_to_power_of_ten(&to_bigint(op), k))
                }
            }
        }
    })
}

/// The tag of a value with `ndigits` digits and `sign` (-1, 0, 1).
pub(crate) const fn tag(ndigits: usize, sign: i32) -> usize {
    (ndigits << 3) | (1 - sign) as usize
}

const SMALL_MIN: i64 = -5;
const SMALL_MAX: i64 = 256;
const SMALL_COUNT: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

const fn small_int(v: i64) -> PyLongObject {
    let sign = if v < 0 {
        -1
    } else if v == 0 {
        0
    } else {
        1
    };
    PyLongObject {
        ob_base: PyObject::static_immortal(&raw mut PyLong_Type),
        long_value: _PyLongValue {
            lv_tag: tag(if v == 0 { 0 } else { 1 }, sign),
            ob_digit: [v.unsigned_abs() as u32],
        },
    }
}

const fn small_ints() -> [PyLongObject; SMALL_COUNT] {
    let mut a = [const { small_int(0) }; SMALL_COUNT];
    let mut i = 0;
    while i < SMALL_COUNT {
        a[i] = small_int(SMALL_MIN + i as i64);
        i += 1;
    }
    a
}

/// The immortal small ints -5..=256 (CPython's small-int cache).
static mut SMALL_INTS: [PyLongObject; SMALL_COUNT] = small_ints();

/// Whether `op` is an int (bool included).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_int(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_LONG_SUBCLASS) }
}

/// Whether `op` is exactly an int (not bool or a subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_exact_int(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::ty(op) == &raw mut PyLong_Type }
}

/// `Py_NotImplemented` as a new reference (it is immortal).
pub(crate) fn not_implemented() -> *mut PyObject {
    &raw mut crate::object::_Py_NotImplementedStruct
}

// ---- storage ------------------------------------------------------------------------------

/// `(ndigits, sign)` of an int; sign is -1, 0 or 1.
///
/// # Safety
/// `op` must be a live int.
unsafe fn tag_of(op: *mut PyObject) -> (usize, i32) {
    // SAFETY: forwarded contract.
    let t = unsafe { (*op.cast::<PyLongObject>()).long_value.lv_tag };
    (t >> 3, 1 - (t & 3) as i32)
}

/// The digits of an int, least significant first.
///
/// # Safety
/// `op` must be a live int; the slice lives as long as it.
unsafe fn digits<'a>(op: *mut PyObject) -> &'a [u32] {
    // SAFETY: forwarded contract: an int carries `lv_tag >> 3` digits.
    unsafe {
        let (n, _) = tag_of(op);
        let d = (&raw const (*op.cast::<PyLongObject>()).long_value.ob_digit).cast::<u32>();
        std::slice::from_raw_parts(d, n)
    }
}

/// The value of an int of at most one digit (CPython's "compact" ints).
///
/// # Safety
/// `op` must be a live int.
pub unsafe fn compact(op: *mut PyObject) -> Option<i64> {
    // SAFETY: forwarded contract.
    unsafe {
        let (n, sign) = tag_of(op);
        if n > 1 {
            return None;
        }
        let d = (*op.cast::<PyLongObject>()).long_value.ob_digit[0];
        Some(if n == 0 { 0 } else { sign as i64 * d as i64 })
    }
}

/// Block size of the ints kept in the free list (one or two digits): header, tag and two
/// digits.
const SMALL_INT_BLOCK: usize = 48;

/// `tp_dealloc` of int: exact ints of one or two digits go back to the free list (every int
/// gilgate allocates has room for at least one digit, so such an int's block holds
/// `SMALL_INT_BLOCK` bytes); others, and subclass instances, are freed normally.
unsafe extern "C" fn long_dealloc(op: *mut PyObject) {
    // SAFETY: a dead int (or subclass instance) whose count reached zero.
    unsafe {
        if crate::object::ty(op) == &raw mut PyLong_Type && (1..=2).contains(&tag_of(op).0) {
            crate::objimpl::free_listed(crate::objimpl::FreeKind::SmallInt, op);
        } else {
            // `plain_dealloc` is `extern "C"`: reached by a tail jump, no frame here.
            crate::objimpl::plain_dealloc(op);
        }
    }
}

/// The value of an int of at most two digits (|v| < 2**60), read straight from the digits.
///
/// # Safety
/// `op` must be a live int.
#[inline]
pub(crate) unsafe fn compact2(op: *mut PyObject) -> Option<i64> {
    // SAFETY: forwarded contract: an int carries `lv_tag >> 3` digits, at least one slot.
    // Laid out as CPython reads a compact int: one compare splits zero or one digit from the
    // rest, and the sign is a factor (1, 0 or -1 from the tag's low bits) rather than a branch,
    // so the common cases take no jump.
    unsafe {
        let t = (*op.cast::<PyLongObject>()).long_value.lv_tag;
        let d = (&raw const (*op.cast::<PyLongObject>()).long_value.ob_digit).cast::<u32>();
        let sign = 1 - (t & 3) as i64;
        if t < tag(2, 1) {
            // A zero's factor is 0; its digit slot (every int has one) holds 0 too.
            return Some(sign * i64::from(*d));
        }
        if t >> 3 == 2 {
            return Some(sign * (i64::from(*d) | (i64::from(*d.add(1)) << PyLong_SHIFT)));
        }
        None
    }
}

/// The values of two exact ints of at most two digits each (the number protocol's fast
/// path: for such operands the int slots are what the dispatch would pick).
///
/// # Safety
/// Both must be live objects.
#[inline]
pub(crate) unsafe fn exact_small_pair(v: *mut PyObject, w: *mut PyObject) -> Option<(i64, i64)> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = &raw mut PyLong_Type;
        if crate::object::ty(v) != t || crate::object::ty(w) != t {
            return None;
        }
        Some((compact2(v)?, compact2(w)?))
    }
}

/// `x // y` and `x % y` of small values as new ints (`y != 0`).
pub(crate) fn small_floordiv(x: i64, y: i64) -> *mut PyObject {
    from_i64(floor_divmod_small(x, y).0)
}

/// See [`small_floordiv`].
pub(crate) fn small_mod(x: i64, y: i64) -> *mut PyObject {
    from_i64(floor_divmod_small(x, y).1)
}

/// Allocates an int with the given sign and 30-bit digits (most significant digit non-zero).
fn alloc_digits(sign: i32, ds: &[u32]) -> *mut PyObject {
    let n = ds.len().max(1);
    let op = if n <= 2 {
        // SAFETY: PyLong_Type is a ready static type without pre-header; the block holds
        // two digits, and the tag and digits are written below.
        unsafe {
            crate::objimpl::alloc_listed(
                crate::objimpl::FreeKind::SmallInt,
                &raw mut PyLong_Type,
                SMALL_INT_BLOCK,
            )
        }
    } else {
        // SAFETY: PyLong_Type is a ready static type; the allocation covers `n` digits.
        unsafe { crate::objimpl::alloc_object(&raw mut PyLong_Type, n as Py_ssize_t) }
    };
    if op.is_null() {
        return op;
    }
    // SAFETY: `op` is a fresh int with room for `n` digits after the tag.
    unsafe {
        let l = op.cast::<PyLongObject>();
        (*l).long_value.lv_tag = tag(ds.len(), if ds.is_empty() { 0 } else { sign });
        let d = (&raw mut (*l).long_value.ob_digit).cast::<u32>();
        // A zero's one slot is written too (a free-listed block holds an older int's digit):
        // `compact2` reads it.
        *d = 0;
        for (i, x) in ds.iter().enumerate() {
            *d.add(i) = *x;
        }
    }
    op
}

/// A new int holding `v` (a cached immortal one for -5..=256).
#[inline]
pub(crate) fn from_i64(v: i64) -> *mut PyObject {
    if (SMALL_MIN..=SMALL_MAX).contains(&v) {
        // SAFETY: in bounds of the static cache; its entries are immortal.
        return unsafe { (&raw mut SMALL_INTS[(v - SMALL_MIN) as usize]).cast() };
    }
    let sign = if v < 0 { -1 } else { 1 };
    let mag = v.unsigned_abs();
    if mag >> (2 * PyLong_SHIFT) != 0 {
        return from_i128(v as i128);
    }
    let n = if mag >> PyLong_SHIFT == 0 { 1 } else { 2 };
    // SAFETY: PyLong_Type is a ready static type without pre-header; the block holds two
    // digits, and the tag and both digit slots are written below.
    unsafe {
        let op = crate::objimpl::alloc_listed(
            crate::objimpl::FreeKind::SmallInt,
            &raw mut PyLong_Type,
            SMALL_INT_BLOCK,
        );
        if !op.is_null() {
            let l = op.cast::<PyLongObject>();
            (*l).long_value.lv_tag = tag(n, sign);
            let d = (&raw mut (*l).long_value.ob_digit).cast::<u32>();
            *d = (mag & MASK) as u32;
            *d.add(1) = (mag >> PyLong_SHIFT) as u32;
        }
        op
    }
}

/// A new int holding `v`.
pub fn from_i128(v: i128) -> *mut PyObject {
    // Up to two digits: `from_i64`'s direct path (which comes back here only for more).
    if let Ok(x) = i64::try_from(v)
        && x.unsigned_abs() >> (2 * PyLong_SHIFT) == 0
    {
        return from_i64(x);
    }
    let mut mag = v.unsigned_abs();
    // 128 bits need at most 5 digits of 30 bits.
    let mut ds = [0u32; 5];
    let mut n = 0;
    while mag != 0 {
        ds[n] = (mag & MASK as u128) as u32;
        n += 1;
        mag >>= PyLong_SHIFT;
    }
    alloc_digits(v.signum() as i32, &ds[..n])
}

/// A new int holding `v`.
pub(crate) fn from_bigint(v: &BigInt) -> *mut PyObject {
    if let Some(x) = v.to_i128() {
        return from_i128(x);
    }
    let (sign, words) = v.to_u32_digits();
    let mut ds = Vec::with_capacity(words.len() * 32 / 30 + 1);
    let (mut acc, mut bits) = (0u64, 0u32);
    for w in words {
        acc |= u64::from(w) << bits;
        bits += 32;
        while bits >= PyLong_SHIFT {
            ds.push((acc & MASK) as u32);
            acc >>= PyLong_SHIFT;
            bits -= PyLong_SHIFT;
        }
    }
    if acc != 0 {
        ds.push(acc as u32);
    }
    while ds.last() == Some(&0) {
        ds.pop();
    }
    alloc_digits(if sign == Sign::Minus { -1 } else { 1 }, &ds)
}

/// The value of an int as a big integer.
///
/// # Safety
/// `op` must be a live int.
pub(crate) unsafe fn to_bigint(op: *mut PyObject) -> BigInt {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(v) = compact(op) {
            return BigInt::from(v);
        }
        let (_, sign) = tag_of(op);
        let ds = digits(op);
        let mut words = Vec::with_capacity(ds.len() * 30 / 32 + 1);
        let (mut acc, mut bits) = (0u64, 0u32);
        for &d in ds {
            acc |= u64::from(d) << bits;
            bits += PyLong_SHIFT;
            if bits >= 32 {
                words.push(acc as u32);
                acc >>= 32;
                bits -= 32;
            }
        }
        if bits > 0 {
            words.push(acc as u32);
        }
        let mag = BigUint::new(words);
        BigInt::from_biguint(if sign < 0 { Sign::Minus } else { Sign::Plus }, mag)
    }
}

/// The value of an int if it fits in an i128 (`None` otherwise or for non-ints).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn value_i128(op: *mut PyObject) -> Option<i128> {
    // SAFETY: forwarded contract; ints carry `lv_tag >> 3` digits.
    unsafe {
        if !is_int(op) {
            return None;
        }
        if let Some(v) = compact(op) {
            return Some(v as i128);
        }
        let (_, sign) = tag_of(op);
        let mut mag: u128 = 0;
        for &d in digits(op).iter().rev() {
            if mag >> (127 - PyLong_SHIFT) != 0 {
                return None;
            }
            mag = (mag << PyLong_SHIFT) | u128::from(d);
        }
        let mag = i128::try_from(mag).ok()?;
        Some(if sign < 0 { -mag } else { mag })
    }
}

/// The sign of an int (-1, 0, 1).
///
/// # Safety
/// `op` must be a live int.
pub(crate) unsafe fn sign_of(op: *mut PyObject) -> i32 {
    // SAFETY: forwarded contract.
    unsafe { tag_of(op).1 }
}

/// Number of bits of `|v|` (0 for 0).
///
/// # Safety
/// `op` must be a live int.
pub(crate) unsafe fn num_bits(op: *mut PyObject) -> u64 {
    // SAFETY: forwarded contract.
    unsafe {
        let ds = digits(op);
        match ds.last() {
            None => 0,
            Some(&top) => {
                (ds.len() as u64 - 1) * u64::from(PyLong_SHIFT)
                    + u64::from(32 - top.leading_zeros())
            }
        }
    }
}

// ---- conversions ------------------------------------------------------------------------

/// A correctly rounded conversion to float (`None` if it overflows).
pub(crate) fn bigint_to_f64(v: &BigInt) -> Option<f64> {
    if let Some(x) = v.to_i64()
        && x.unsigned_abs() < (1 << 53)
    {
        return Some(x as f64);
    }
    let f = v.to_f64()?;
    if f.is_finite() { Some(f) } else { None }
}

/// Int to float with CPython's `OverflowError`.
///
/// # Safety
/// `op` must be a live int.
#[allow(clippy::result_unit_err)] // Err: the Python exception is set
pub(crate) unsafe fn to_f64(op: *mut PyObject) -> Result<f64, ()> {
    // SAFETY: forwarded contract.
    let c = unsafe { compact(op) };
    if let Some(v) = c {
        return Ok(v as f64);
    }
    // SAFETY: forwarded contract.
    match bigint_to_f64(&unsafe { to_bigint(op) }) {
        Some(f) => Ok(f),
        None => {
            raise(
                &raw mut EXC_OverflowError,
                "int too large to convert to float",
            );
            Err(())
        }
    }
}

fn not_int(op: *mut PyObject) {
    // SAFETY: `op` is a live object (callers check NULL).
    let t = unsafe { crate::object::type_name(crate::object::ty(op)) };
    raise(
        &raw mut EXC_TypeError,
        &format!("'{t}' object cannot be interpreted as an integer"),
    );
}

/// `__index__`: an int (new reference) for `op`, or NULL with `TypeError` set.
///
/// # Safety
/// `op` must be NULL or a live object.
pub(crate) unsafe fn index(op: *mut PyObject) -> *mut PyObject {
    if op.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: forwarded contract.
    unsafe {
        if is_int(op) {
            return crate::refcount::new_ref(op);
        }
        if let Some(nb) = (*crate::object::ty(op)).tp_as_number.as_ref()
            && let Some(f) = nb.nb_index
        {
            let r = crate::extcall::unary(f, op);
            if r.is_null() {
                return r;
            }
            if !is_int(r) {
                let t = crate::object::type_name(crate::object::ty(r));
                crate::refcount::decref(r);
                raise(
                    &raw mut EXC_TypeError,
                    &format!("__index__ returned non-int (type {t})"),
                );
                return null_mut();
            }
            return r;
        }
        not_int(op);
        null_mut()
    }
}

/// Reads `op` (through `__index__`) as a big integer.
unsafe fn index_value(op: *mut PyObject) -> Result<BigInt, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let r = index(op);
        if r.is_null() {
            return Err(());
        }
        let v = to_bigint(r);
        crate::refcount::decref(r);
        Ok(v)
    }
}

fn overflow(msg: &str) {
    raise(&raw mut EXC_OverflowError, msg);
}

// ---- the number slots -----------------------------------------------------------------------

/// Both operands as ints, or `None` (the slot then returns `NotImplemented`).
unsafe fn both(a: *mut PyObject, b: *mut PyObject) -> Option<(Operand, Operand)> {
    // SAFETY: slot contract: live objects.
    unsafe {
        if !is_int(a) || !is_int(b) {
            return None;
        }
        Some((Operand::of(a), Operand::of(b)))
    }
}

/// An int operand: values of up to two digits (|v| < 2**60) stay machine integers, so sums
/// and differences fit an `i64` and products an `i128`.
enum Operand {
    Small(i64),
    Big(BigInt),
}

impl Operand {
    #[inline]
    unsafe fn of(op: *mut PyObject) -> Operand {
        // SAFETY: forwarded contract.
        unsafe {
            match compact2(op) {
                Some(v) => Operand::Small(v),
                None => Operand::Big(to_bigint(op)),
            }
        }
    }

    fn big(&self) -> BigInt {
        match self {
            Operand::Small(v) => BigInt::from(*v),
            Operand::Big(b) => b.clone(),
        }
    }

    fn is_zero(&self) -> bool {
        match self {
            Operand::Small(v) => *v == 0,
            Operand::Big(b) => b.is_zero(),
        }
    }

    fn is_negative(&self) -> bool {
        match self {
            Operand::Small(v) => *v < 0,
            Operand::Big(b) => b.is_negative(),
        }
    }
}

macro_rules! binary_slot {
    ($name:ident, |$x:ident, $y:ident| small $small:expr, big $big:expr) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            crate::ffi_guard::guard(stringify!($name), null_mut(), || {
                // SAFETY: slot contract: live objects.
                match unsafe { both(a, b) } {
                    None => not_implemented(),
                    Some((Operand::Small($x), Operand::Small($y))) => $small,
                    Some((p, q)) => {
                        let ($x, $y) = (p.big(), q.big());
                        $big
                    }
                }
            })
        }
    };
}

binary_slot!(long_add, |x, y| small from_i64(x + y), big from_bigint(&(x + y)));
binary_slot!(long_sub, |x, y| small from_i64(x - y), big from_bigint(&(x - y)));
binary_slot!(long_mul, |x, y| small from_i128(i128::from(x) * i128::from(y)), big from_bigint(&(x * y)));
binary_slot!(long_and, |x, y| small from_i64(x & y), big from_bigint(&(x & y)));
binary_slot!(long_or, |x, y| small from_i64(x | y), big from_bigint(&(x | y)));
binary_slot!(long_xor, |x, y| small from_i64(x ^ y), big from_bigint(&(x ^ y)));

fn zero_division() -> *mut PyObject {
    // CPython 3.14's text for int `/`, `//`, `%` and `divmod` by zero (3.11 said
    // "integer division or modulo by zero" / "integer modulo by zero").
    raise(&raw mut EXC_ZeroDivisionError, "division by zero")
}

/// Floor division and modulo of machine integers (`y != 0`, no `i64::MIN / -1`).
#[inline]
fn floor_divmod_small(x: i64, y: i64) -> (i64, i64) {
    let (mut d, mut m) = (x / y, x % y);
    if m != 0 && ((m < 0) != (y < 0)) {
        d -= 1;
        m += y;
    }
    (d, m)
}

/// Floor division and modulo (sign of the divisor), `None` for division by zero.
fn floor_divmod(p: &Operand, q: &Operand) -> Option<(BigInt, BigInt)> {
    if q.is_zero() {
        return None;
    }
    Some(match (p, q) {
        (Operand::Small(x), Operand::Small(y)) => {
            let (d, m) = floor_divmod_small(*x, *y);
            (BigInt::from(d), BigInt::from(m))
        }
        _ => p.big().div_mod_floor(&q.big()),
    })
}

unsafe extern "C" fn long_floordiv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__floordiv__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        match unsafe { both(a, b) } {
            None => not_implemented(),
            Some((Operand::Small(x), Operand::Small(y))) if y != 0 => {
                from_i64(floor_divmod_small(x, y).0)
            }
            Some((p, q)) => match floor_divmod(&p, &q) {
                None => zero_division(),
                Some((d, _)) => from_bigint(&d),
            },
        }
    })
}

unsafe extern "C" fn long_mod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__mod__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        match unsafe { both(a, b) } {
            None => not_implemented(),
            Some((Operand::Small(x), Operand::Small(y))) if y != 0 => {
                from_i64(floor_divmod_small(x, y).1)
            }
            Some((p, q)) => match floor_divmod(&p, &q) {
                None => zero_division(),
                Some((_, m)) => from_bigint(&m),
            },
        }
    })
}

/// A new 2-tuple taking ownership of `a` and `b` (NULL if either is NULL).
pub(crate) fn pair(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: both are NULL or owned references to live objects.
    unsafe {
        if a.is_null() || b.is_null() {
            crate::refcount::xdecref(a);
            crate::refcount::xdecref(b);
            return null_mut();
        }
        let t = crate::tupleobject::from_slice(&[a, b]);
        crate::refcount::decref(a);
        crate::refcount::decref(b);
        t
    }
}

unsafe extern "C" fn long_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__divmod__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        match unsafe { both(a, b) } {
            None => not_implemented(),
            Some((p, q)) => match floor_divmod(&p, &q) {
                None => zero_division(),
                Some((d, m)) => pair(from_bigint(&d), from_bigint(&m)),
            },
        }
    })
}

/// `a / b` for ints, correctly rounded.
pub(crate) fn true_divide(a: &BigInt, b: &BigInt) -> Result<f64, &'static str> {
    if b.is_zero() {
        return Err("division by zero");
    }
    const EXACT: u64 = 1 << 53;
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64())
        && x.unsigned_abs() <= EXACT
        && y.unsigned_abs() <= EXACT
    {
        return Ok(x as f64 / y as f64);
    }
    if a.is_zero() {
        return Ok(if b.is_negative() { -0.0 } else { 0.0 });
    }
    let negative = a.is_negative() != b.is_negative();
    let (n, d) = (a.magnitude(), b.magnitude());
    // Scale so the quotient has 55 or 56 bits, keep a sticky bit for the remainder, and let
    // the u64 -> f64 conversion do the rounding.
    let shift = d.bits() as i64 - n.bits() as i64 + 55;
    let (n, d) = if shift >= 0 {
        (n << shift as u64, d.clone())
    } else {
        (n.clone(), d << (-shift) as u64)
    };
    let (q, r) = n.div_rem(&d);
    let mut q = q.to_u64().unwrap_or(u64::MAX);
    if !r.is_zero() {
        q |= 1;
    }
    // value = q * 2**-shift
    let exp = -shift;
    let mut f = q as f64;
    // Scale in steps to stay exact (apart from the final under/overflow).
    let mut e = exp;
    while e > 0 {
        let s = e.min(1000);
        f *= 2f64.powi(s as i32);
        e -= s;
    }
    while e < 0 {
        let s = (-e).min(1000);
        f /= 2f64.powi(s as i32);
        e += s;
    }
    if f.is_infinite() {
        return Err("integer division result too large for a float");
    }
    Ok(if negative { -f } else { f })
}

unsafe extern "C" fn long_truediv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__truediv__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        match unsafe { both(a, b) } {
            None => not_implemented(),
            Some((p, q)) => {
                if q.is_zero() {
                    return zero_division();
                }
                // Exact only when both convert to a double without rounding.
                if let (Operand::Small(x), Operand::Small(y)) = (&p, &q)
                    && x.unsigned_abs() < (1 << 53)
                    && y.unsigned_abs() < (1 << 53)
                {
                    return crate::floatobject::from_f64(*x as f64 / *y as f64);
                }
                match true_divide(&p.big(), &q.big()) {
                    Ok(f) => crate::floatobject::from_f64(f),
                    Err(m) => raise(&raw mut EXC_OverflowError, m),
                }
            }
        }
    })
}

/// The inverse of `a` modulo `m` (m > 0), if it exists.
fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let (mut r0, mut r1) = (a.mod_floor(m), m.clone());
    let (mut s0, mut s1) = (BigInt::one(), BigInt::zero());
    while !r1.is_zero() {
        let q = r0.div_floor(&r1);
        let r2 = &r0 - &q * &r1;
        r0 = std::mem::replace(&mut r1, r2);
        let s2 = &s0 - &q * &s1;
        s0 = std::mem::replace(&mut s1, s2);
    }
    if r0.is_one() {
        Some(s0.mod_floor(m))
    } else {
        None
    }
}

unsafe extern "C" fn long_pow(
    a: *mut PyObject,
    b: *mut PyObject,
    m: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("int.__pow__", null_mut(), || {
        // SAFETY: slot contract: live objects (`m` may be None).
        unsafe {
            let Some((base, exp)) = both(a, b) else {
                return not_implemented();
            };
            let none = m.is_null() || m == crate::object::none();
            if !none && !is_int(m) {
                return not_implemented();
            }
            if none {
                if exp.is_negative() {
                    // A negative exponent: the result is a float, as `float(a) ** float(b)`.
                    let (Ok(x), Ok(y)) = (to_f64(a), to_f64(b)) else {
                        return null_mut();
                    };
                    return crate::floatobject::float_pow_values(x, y);
                }
                let e = exp.big();
                let Some(e) = e.to_u32() else {
                    let bb = base.big();
                    if bb.is_zero() || bb.is_one() {
                        return from_bigint(&bb);
                    }
                    if bb == BigInt::from(-1) {
                        return from_i64(if e.is_even() { 1 } else { -1 });
                    }
                    return crate::pyerrors::no_memory();
                };
                if let Operand::Small(x) = base
                    && let Some(r) = (x as i128).checked_pow(e)
                {
                    return from_i128(r);
                }
                return from_bigint(&num_traits::Pow::pow(base.big(), e));
            }
            let md = to_bigint(m);
            if md.is_zero() {
                return raise(&raw mut EXC_ValueError, "pow() 3rd argument cannot be 0");
            }
            let mm = md.abs();
            let mut x = base.big().mod_floor(&mm);
            let mut e = exp.big();
            if e.is_negative() {
                match mod_inverse(&x, &mm) {
                    Some(inv) => x = inv,
                    None => {
                        return raise(
                            &raw mut EXC_ValueError,
                            "base is not invertible for the given modulus",
                        );
                    }
                }
                e = -e;
            }
            let mut r = x.modpow(&e, &mm);
            if md.is_negative() && !r.is_zero() {
                r -= &mm;
            }
            from_bigint(&r)
        }
    })
}

unsafe fn unary(op: *mut PyObject, f: impl FnOnce(Operand) -> *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract: a live int.
    unsafe {
        if !is_int(op) {
            return not_implemented();
        }
        f(Operand::of(op))
    }
}

unsafe extern "C" fn long_neg(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__neg__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            unary(op, |v| match v {
                Operand::Small(x) => from_i64(-x),
                Operand::Big(b) => from_bigint(&-b),
            })
        }
    })
}

/// `+x`, `int(x)`, `x.__index__()`: the same value as an exact int.
unsafe extern "C" fn long_pos(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__pos__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            if is_exact_int(op) {
                return crate::refcount::new_ref(op);
            }
            unary(op, |v| match v {
                Operand::Small(x) => from_i64(x),
                Operand::Big(b) => from_bigint(&b),
            })
        }
    })
}

unsafe extern "C" fn long_abs(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__abs__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            unary(op, |v| match v {
                Operand::Small(x) => from_i64(x.abs()),
                Operand::Big(b) => from_bigint(&b.abs()),
            })
        }
    })
}

unsafe extern "C" fn long_invert(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__invert__", null_mut(), || {
        // SAFETY: slot contract.
        unsafe {
            unary(op, |v| match v {
                Operand::Small(x) => from_i64(!x),
                Operand::Big(b) => from_bigint(&!b),
            })
        }
    })
}

unsafe extern "C" fn long_bool(op: *mut PyObject) -> c_int {
    // SAFETY: slot contract: a live int.
    c_int::from(unsafe { sign_of(op) } != 0)
}

unsafe extern "C" fn long_float(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__float__", null_mut(), || {
        // SAFETY: slot contract: a live int.
        match unsafe { to_f64(op) } {
            Ok(f) => crate::floatobject::from_f64(f),
            Err(()) => null_mut(),
        }
    })
}

/// The shift count of `<<`/`>>`: `Err` with an exception set if negative.
fn shift_count(q: &Operand) -> Result<Option<u64>, ()> {
    if q.is_negative() {
        raise(&raw mut EXC_ValueError, "negative shift count");
        return Err(());
    }
    Ok(match q {
        Operand::Small(v) => Some(*v as u64),
        Operand::Big(b) => b.to_u64(),
    })
}

unsafe extern "C" fn long_lshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__lshift__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        let Some((p, q)) = (unsafe { both(a, b) }) else {
            return not_implemented();
        };
        let Ok(n) = shift_count(&q) else {
            return null_mut();
        };
        if p.is_zero() {
            return from_i64(0);
        }
        match n {
            Some(n) if n < (1 << 40) => {
                if let Operand::Small(x) = p
                    && n < 64
                    && let Some(r) = (x as i128).checked_mul(1i128 << n)
                {
                    return from_i128(r);
                }
                from_bigint(&(p.big() << n))
            }
            _ => raise(&raw mut EXC_OverflowError, "too many digits in integer"),
        }
    })
}

unsafe extern "C" fn long_rshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__rshift__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        let Some((p, q)) = (unsafe { both(a, b) }) else {
            return not_implemented();
        };
        let Ok(n) = shift_count(&q) else {
            return null_mut();
        };
        match (p, n) {
            (p, None) => from_i64(if p.is_negative() { -1 } else { 0 }),
            (Operand::Small(x), Some(n)) => from_i64(x >> n.min(63)),
            (Operand::Big(x), Some(n)) => from_bigint(&(x >> n)),
        }
    })
}

// ---- comparison, hash, repr ---------------------------------------------------------------

/// The boolean result of comparing with `ord` under `op`.
pub(crate) fn compare_result(ord: Ordering, op: c_int) -> bool {
    match op {
        Py_LT => ord == Ordering::Less,
        Py_LE => ord != Ordering::Greater,
        Py_EQ => ord == Ordering::Equal,
        Py_NE => ord != Ordering::Equal,
        Py_GT => ord == Ordering::Greater,
        Py_GE => ord != Ordering::Less,
        _ => false,
    }
}

/// Compares two ints.
///
/// # Safety
/// Both must be live ints.
pub(crate) unsafe fn compare(a: *mut PyObject, b: *mut PyObject) -> Ordering {
    // SAFETY: forwarded contract.
    unsafe {
        match (compact(a), compact(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => to_bigint(a).cmp(&to_bigint(b)),
        }
    }
}

pub(crate) unsafe extern "C" fn long_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard("int.__richcmp__", null_mut(), || {
        // SAFETY: slot contract: live objects.
        unsafe {
            if !is_int(a) || !is_int(b) {
                return not_implemented();
            }
            crate::boolobject::from_bool(compare_result(compare(a, b), op))
        }
    })
}

/// `hash(op)` for a live int.
///
/// # Safety
/// `op` must be a live int.
#[inline]
pub(crate) unsafe fn hash_int(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(v) = compact2(op) {
            // |v| < 2**60, below the modulus: the hash is the value itself (-1 becomes -2).
            return if v == -1 { -2 } else { v as Py_hash_t };
        }
        hash_wide(op)
    }
}

/// `hash_int` of an int of three digits or more.
///
/// # Safety
/// `op` must be a live int.
#[cold]
#[inline(never)]
unsafe fn hash_wide(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe {
        let (_, sign) = tag_of(op);
        // Horner over the 30-bit digits, reducing modulo 2**61 - 1.
        let mut x: u64 = 0;
        for &d in digits(op).iter().rev() {
            let y = ((u128::from(x) << PyLong_SHIFT) | u128::from(d)) % u128::from(HASH_MODULUS);
            x = y as u64;
        }
        let h = if sign < 0 {
            -(x as Py_hash_t)
        } else {
            x as Py_hash_t
        };
        if h == -1 { -2 } else { h }
    }
}

pub(crate) unsafe extern "C" fn long_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: slot contract: a live int.
    unsafe { hash_int(op) }
}

/// The decimal text of an int, or `Err` with `ValueError` set past the 4300-digit limit.
///
/// # Safety
/// `op` must be a live int.
#[allow(clippy::result_unit_err)] // Err: the Python exception is set
pub(crate) unsafe fn decimal(op: *mut PyObject) -> Result<String, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if let Some(v) = compact(op) {
            return Ok(v.to_string());
        }
        // More than 14300 bits always has more than 4300 digits: skip the conversion.
        if num_bits(op) > 14300 {
            raise(&raw mut EXC_ValueError, &limit_message(None));
            return Err(());
        }
        let s = to_bigint(op).to_string();
        if s.trim_start_matches('-').len() > MAX_STR_DIGITS {
            raise(&raw mut EXC_ValueError, &limit_message(None));
            return Err(());
        }
        Ok(s)
    }
}

fn limit_message(value_digits: Option<usize>) -> String {
    match value_digits {
        None => format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; \
             use sys.set_int_max_str_digits() to increase the limit"
        ),
        Some(n) => format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: \
             value has {n} digits; use sys.set_int_max_str_digits() to increase the limit"
        ),
    }
}

unsafe extern "C" fn long_repr(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__repr__", null_mut(), || {
        // SAFETY: slot contract: a live int.
        match unsafe { decimal(op) } {
            Ok(s) => crate::unicodeobject::from_str(&s),
            Err(()) => null_mut(),
        }
    })
}

// ---- parsing ------------------------------------------------------------------------------

/// Parses an int literal as `int(text, base)` does. On failure the `ValueError` message.
/// Returns the value and the number of bytes consumed (all of them on success).
pub(crate) fn parse_int(text: &str, base: u32) -> Result<BigInt, String> {
    let invalid = || {
        let shown: String = text.chars().take(200).collect();
        format!(
            "invalid literal for int() with base {base}: {}",
            crate::unicodeobject::repr_text(&shown)
        )
    };
    let s = text.trim_matches(|c: char| c.is_whitespace());
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = s.to_ascii_lowercase();
    let mut radix = base;
    let mut body = s;
    let mut prefixed = false;
    for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if lower.starts_with(p) && (base == 0 || base == r) {
            radix = r;
            body = &s[2..];
            prefixed = true;
        }
    }
    if radix == 0 {
        radix = 10;
    }
    // After a prefix one underscore may come first ("0x_1f").
    if prefixed && body.starts_with('_') {
        body = &body[1..];
    }
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(invalid());
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid());
    }
    if base == 0 && !prefixed && clean.len() > 1 && clean.starts_with('0') {
        // Base 0 rejects leading zeros in non-zero decimals ("010").
        if clean.chars().any(|c| c != '0') {
            return Err(invalid());
        }
    }
    if radix == 10 && clean.len() > MAX_STR_DIGITS {
        return Err(limit_message(Some(clean.len())));
    }
    let v = BigInt::parse_bytes(clean.as_bytes(), radix).ok_or_else(invalid)?;
    Ok(if negative { -v } else { v })
}

// ---- the exported API ---------------------------------------------------------------------

#[export]
pub fn PyLong_FromLong(v: c_long) -> *mut PyObject {
    from_i64(v)
}

#[export]
pub fn PyLong_FromUnsignedLong(v: c_ulong) -> *mut PyObject {
    from_i128(v as i128)
}

#[export]
pub fn PyLong_FromLongLong(v: c_longlong) -> *mut PyObject {
    from_i64(v)
}

#[export]
pub fn PyLong_FromUnsignedLongLong(v: c_ulonglong) -> *mut PyObject {
    from_i128(v as i128)
}

#[export]
pub fn PyLong_FromSsize_t(v: Py_ssize_t) -> *mut PyObject {
    from_i64(v as i64)
}

#[export]
pub fn PyLong_FromSize_t(v: usize) -> *mut PyObject {
    from_i128(v as i128)
}

#[export]
pub fn PyLong_FromInt32(v: i32) -> *mut PyObject {
    from_i64(v as i64)
}

#[export]
pub fn PyLong_FromInt64(v: i64) -> *mut PyObject {
    from_i64(v)
}

#[export]
pub fn PyLong_FromUInt32(v: u32) -> *mut PyObject {
    from_i64(v as i64)
}

#[export]
pub fn PyLong_FromUInt64(v: u64) -> *mut PyObject {
    from_i128(v as i128)
}

#[export]
pub fn PyLong_FromVoidPtr(p: *mut c_void) -> *mut PyObject {
    from_i128(p as usize as i128)
}

#[export]
pub fn PyLong_FromDouble(v: f64) -> *mut PyObject {
    from_f64_trunc(v)
}

/// `int(v)` for a float: truncation, with CPython's errors for NaN and infinities.
pub(crate) fn from_f64_trunc(v: f64) -> *mut PyObject {
    if v.is_nan() {
        return raise(
            &raw mut EXC_ValueError,
            "cannot convert float NaN to integer",
        );
    }
    if v.is_infinite() {
        return raise(
            &raw mut EXC_OverflowError,
            "cannot convert float infinity to integer",
        );
    }
    let t = v.trunc();
    if t.abs() < 9.0e18 {
        return from_i64(t as i64);
    }
    match BigInt::from_f64(t) {
        Some(b) => from_bigint(&b),
        None => crate::pyerrors::bad_internal_call(),
    }
}

use num_traits::FromPrimitive;

/// The base check of `PyLong_FromString` and `PyLong_FromUnicodeObject`, with their text (the
/// `int()` constructor checks first, with its own); raises and gives false for a bad base.
fn base_ok(base: c_int) -> bool {
    if base != 0 && !(2..=36).contains(&base) {
        raise(
            &raw mut EXC_ValueError,
            "int() arg 2 must be >= 2 and <= 36",
        );
        return false;
    }
    true
}

/// `PyLong_FromString` on Rust text: parses the longest candidate token, as CPython does.
fn from_text(s: &str, base: c_int) -> *mut PyObject {
    if base != 0 && !(2..=36).contains(&base) {
        return raise(
            &raw mut EXC_ValueError,
            "int() base must be >= 2 and <= 36, or 0",
        );
    }
    match parse_int(s, base as u32) {
        Ok(v) => from_bigint(&v),
        Err(m) => raise(&raw mut EXC_ValueError, &m),
    }
}

#[export]
pub unsafe fn PyLong_FromString(
    s: *const c_char,
    pend: *mut *mut c_char,
    base: c_int,
) -> *mut PyObject {
    if s.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: `s` is a NUL-terminated string, per the C API contract.
    let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes();
    let text = String::from_utf8_lossy(bytes);
    if !base_ok(base) {
        return null_mut();
    }
    let r = from_text(&text, base);
    if !pend.is_null() {
        // SAFETY: `pend` is writable; on success the whole string was consumed.
        unsafe {
            *pend = if r.is_null() {
                s.cast_mut()
            } else {
                s.add(bytes.len()).cast_mut()
            }
        };
    }
    r
}

#[export]
pub unsafe fn PyLong_FromUnicodeObject(u: *mut PyObject, base: c_int) -> *mut PyObject {
    // SAFETY: `u` is a live str, per the C API contract.
    match unsafe { crate::unicodeobject::as_str(u) } {
        Some(_) if !base_ok(base) => null_mut(),
        Some(t) => from_text(t, base),
        None => crate::pyerrors::bad_internal_call(),
    }
}

/// Converts to a signed C integer type; `msg` is the OverflowError text.
#[inline]
unsafe fn as_signed<T: TryFrom<i128>>(op: *mut PyObject, msg: &str) -> Option<T> {
    // SAFETY: forwarded contract.
    unsafe {
        if !op.is_null()
            && is_int(op)
            && let Some(v) = compact2(op)
            && let Ok(x) = T::try_from(i128::from(v))
        {
            // The common case, with nothing to raise: an int of at most two digits that fits.
            return Some(x);
        }
        as_signed_slow(op, msg)
    }
}

/// `as_signed` past its common case.
///
/// # Safety
/// As `as_signed`.
#[inline(never)]
unsafe fn as_signed_slow<T: TryFrom<i128>>(op: *mut PyObject, msg: &str) -> Option<T> {
    // SAFETY: forwarded contract.
    unsafe {
        if !op.is_null() && is_int(op) {
            // An int is its own index: read it in place.
            let v = match compact2(op) {
                Some(v) => Some(i128::from(v)),
                None => value_i128(op),
            };
            return match v.and_then(|v| T::try_from(v).ok()) {
                Some(x) => Some(x),
                None => {
                    overflow(msg);
                    None
                }
            };
        }
        let r = index(op);
        if r.is_null() {
            return None;
        }
        let v = value_i128(r);
        crate::refcount::decref(r);
        match v.and_then(|v| T::try_from(v).ok()) {
            Some(x) => Some(x),
            None => {
                overflow(msg);
                None
            }
        }
    }
}

/// The common case of `PyLong_AsLong` / `PyLong_AsLongLong` / `PyLong_AsSsize_t`, answered
/// before their guard (`#[export(fast = ..)]`): an int (or subclass: read in place, as
/// [`as_signed`] reads it) of at most two digits, whose value fits every 64-bit C type. It only
/// reads fields, so nothing on it can panic; `None` leaves the rest to the guarded body.
///
/// # Safety
/// `op` NULL or a live object.
#[inline(always)]
unsafe fn small_i64(op: *mut PyObject) -> Option<i64> {
    // SAFETY: forwarded contract.
    unsafe {
        if op.is_null() || !is_int(op) {
            return None;
        }
        compact2(op)
    }
}

/// As [`small_i64`], for `PyLong_AsLong`.
///
/// # Safety
/// As [`small_i64`].
#[inline(always)]
unsafe fn as_long_fast(op: *mut PyObject) -> Option<c_long> {
    // SAFETY: forwarded contract; c_long is 64 bits wide here.
    unsafe { small_i64(op).map(|v| v as c_long) }
}

/// As [`small_i64`], for `PyLong_AsLongLong`.
///
/// # Safety
/// As [`small_i64`].
#[inline(always)]
unsafe fn as_long_long_fast(op: *mut PyObject) -> Option<c_longlong> {
    // SAFETY: forwarded contract.
    unsafe { small_i64(op) }
}

const _: () = assert!(std::mem::size_of::<c_long>() == 8);

#[export(fast = as_long_fast)]
pub unsafe fn PyLong_AsLong(op: *mut PyObject) -> c_long {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { as_signed(op, "Python int too large to convert to C long") }.unwrap_or(-1)
}

#[export(fast = as_long_long_fast)]
pub unsafe fn PyLong_AsLongLong(op: *mut PyObject) -> c_longlong {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { as_signed(op, "Python int too large to convert to C long long") }.unwrap_or(-1)
}

#[export]
pub unsafe fn PyLong_AsSsize_t(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if !op.is_null() && !is_int(op) {
            // No __index__ here, as in CPython (3.11 and 3.14 give this text).
            raise(&raw mut EXC_TypeError, "an integer is required");
            return -1;
        }
        as_signed(op, "Python int too large to convert to C ssize_t").unwrap_or(-1)
    }
}

#[export]
pub unsafe fn PyLong_AsInt(op: *mut PyObject) -> c_int {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { as_signed(op, "Python int too large to convert to C int") }.unwrap_or(-1)
}

#[export]
pub unsafe fn PyLong_AsInt32(op: *mut PyObject, out: *mut i32) -> c_int {
    // SAFETY: NULL or a live object and a writable `out`, per the C API contract.
    unsafe {
        match as_signed::<i32>(op, "Python int too large to convert to C int32_t") {
            Some(v) => {
                *out = v;
                0
            }
            None => -1,
        }
    }
}

#[export]
pub unsafe fn PyLong_AsInt64(op: *mut PyObject, out: *mut i64) -> c_int {
    // SAFETY: NULL or a live object and a writable `out`, per the C API contract.
    unsafe {
        match as_signed::<i64>(op, "Python int too large to convert to C int64_t") {
            Some(v) => {
                *out = v;
                0
            }
            None => -1,
        }
    }
}

/// Unsigned conversion. `index_ok` lets non-ints through `__index__` (the 3.14 fixed-width
/// functions); the older ones require an int.
unsafe fn as_unsigned<T: TryFrom<i128>>(
    op: *mut PyObject,
    what: &str,
    index_ok: bool,
) -> Option<T> {
    let negative = format!("can't convert negative value to {what}");
    let big = format!("Python int too large to convert to C {what}");
    // SAFETY: forwarded contract.
    unsafe { as_unsigned_msgs(op, &negative, &big, index_ok) }
}

/// As `as_unsigned` with explicit OverflowError texts for negative and too large values.
unsafe fn as_unsigned_msgs<T: TryFrom<i128>>(
    op: *mut PyObject,
    negative_msg: &str,
    big_msg: &str,
    index_ok: bool,
) -> Option<T> {
    // SAFETY: forwarded contract.
    unsafe {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return None;
        }
        if !index_ok && !is_int(op) {
            raise(&raw mut EXC_TypeError, "an integer is required");
            return None;
        }
        let r = index(op);
        if r.is_null() {
            return None;
        }
        let (sign, v) = (sign_of(r), value_i128(r));
        crate::refcount::decref(r);
        if sign < 0 {
            overflow(negative_msg);
            return None;
        }
        match v.and_then(|v| T::try_from(v).ok()) {
            Some(x) => Some(x),
            None => {
                overflow(big_msg);
                None
            }
        }
    }
}

#[export]
pub unsafe fn PyLong_AsUnsignedLong(op: *mut PyObject) -> c_ulong {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        as_unsigned_msgs(
            op,
            "can't convert negative value to unsigned int",
            "Python int too large to convert to C unsigned long",
            false,
        )
    }
    .unwrap_or(c_ulong::MAX)
}

#[export]
pub unsafe fn PyLong_AsUnsignedLongLong(op: *mut PyObject) -> c_ulonglong {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        as_unsigned_msgs(
            op,
            "can't convert negative int to unsigned",
            "int too big to convert",
            false,
        )
    }
    .unwrap_or(c_ulonglong::MAX)
}

#[export]
pub unsafe fn PyLong_AsSize_t(op: *mut PyObject) -> usize {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { as_unsigned(op, "size_t", false) }.unwrap_or(usize::MAX)
}

#[export]
pub unsafe fn PyLong_AsUInt32(op: *mut PyObject, out: *mut u32) -> c_int {
    // SAFETY: NULL or a live object and a writable `out`, per the C API contract.
    unsafe {
        match as_unsigned::<u32>(op, "uint32_t", true) {
            Some(v) => {
                *out = v;
                0
            }
            None => -1,
        }
    }
}

#[export]
pub unsafe fn PyLong_AsUInt64(op: *mut PyObject, out: *mut u64) -> c_int {
    // SAFETY: NULL or a live object and a writable `out`, per the C API contract.
    unsafe {
        match as_unsigned::<u64>(op, "uint64_t", true) {
            Some(v) => {
                *out = v;
                0
            }
            None => -1,
        }
    }
}

/// The value modulo 2**64 (through `__index__`).
unsafe fn mask64(op: *mut PyObject) -> Option<u64> {
    // SAFETY: forwarded contract.
    let v = unsafe { index_value(op) }.ok()?;
    let m = v.mod_floor(&(BigInt::one() << 64u32));
    m.to_u64()
}

#[export]
pub unsafe fn PyLong_AsUnsignedLongMask(op: *mut PyObject) -> c_ulong {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { mask64(op) }.unwrap_or(c_ulong::MAX)
}

#[export]
pub unsafe fn PyLong_AsUnsignedLongLongMask(op: *mut PyObject) -> c_ulonglong {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { mask64(op) }.unwrap_or(c_ulonglong::MAX)
}

#[export]
pub unsafe fn PyLong_AsVoidPtr(op: *mut PyObject) -> *mut c_void {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if !op.is_null() && is_int(op) && sign_of(op) < 0 {
            as_signed::<i64>(op, "Python int too large to convert to C long")
                .map_or(null_mut(), |v| v as usize as *mut c_void)
        } else {
            as_unsigned::<u64>(op, "unsigned long", false)
                .map_or(null_mut(), |v| v as usize as *mut c_void)
        }
    }
}

#[export]
pub unsafe fn PyLong_AsDouble(op: *mut PyObject) -> f64 {
    if op.is_null() {
        crate::pyerrors::bad_internal_call();
        return -1.0;
    }
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !is_int(op) {
            raise(&raw mut EXC_TypeError, "an integer is required");
            return -1.0;
        }
        to_f64(op).unwrap_or(-1.0)
    }
}

unsafe fn and_overflow<T: TryFrom<i128> + From<i8>>(
    op: *mut PyObject,
    overflow_out: *mut c_int,
) -> T {
    // SAFETY: forwarded contract.
    unsafe {
        *overflow_out = 0;
        let r = index(op);
        if r.is_null() {
            return T::from(-1);
        }
        let (sign, v) = (sign_of(r), value_i128(r));
        crate::refcount::decref(r);
        match v.and_then(|v| T::try_from(v).ok()) {
            Some(x) => x,
            None => {
                *overflow_out = if sign < 0 { -1 } else { 1 };
                T::from(-1)
            }
        }
    }
}

#[export]
pub unsafe fn PyLong_AsLongAndOverflow(op: *mut PyObject, overflow_out: *mut c_int) -> c_long {
    // SAFETY: NULL or a live object and a writable flag, per the C API contract.
    unsafe { and_overflow(op, overflow_out) }
}

#[export]
pub unsafe fn PyLong_AsLongLongAndOverflow(
    op: *mut PyObject,
    overflow_out: *mut c_int,
) -> c_longlong {
    // SAFETY: NULL or a live object and a writable flag, per the C API contract.
    unsafe { and_overflow(op, overflow_out) }
}

/// Raises `TypeError("expected int, got <type>")` unless `op` is an int.
unsafe fn require_int(op: *mut PyObject) -> bool {
    if op.is_null() {
        crate::pyerrors::bad_internal_call();
        return false;
    }
    // SAFETY: forwarded contract.
    unsafe {
        if is_int(op) {
            return true;
        }
        let t = crate::object::type_name(crate::object::ty(op));
        raise(&raw mut EXC_TypeError, &format!("expected int, got {t}"));
        false
    }
}

#[export]
pub unsafe fn PyLong_GetSign(op: *mut PyObject, sign: *mut c_int) -> c_int {
    // SAFETY: NULL or a live object and a writable `sign`, per the C API contract.
    unsafe {
        if !require_int(op) {
            return -1;
        }
        *sign = sign_of(op);
        0
    }
}

#[export]
pub unsafe fn PyLong_IsPositive(op: *mut PyObject) -> c_int {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if require_int(op) {
            c_int::from(sign_of(op) > 0)
        } else {
            -1
        }
    }
}

#[export]
pub unsafe fn PyLong_IsNegative(op: *mut PyObject) -> c_int {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if require_int(op) {
            c_int::from(sign_of(op) < 0)
        } else {
            -1
        }
    }
}

#[export]
pub unsafe fn PyLong_IsZero(op: *mut PyObject) -> c_int {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe {
        if require_int(op) {
            c_int::from(sign_of(op) == 0)
        } else {
            -1
        }
    }
}

#[export]
pub unsafe fn _PyLong_Sign(op: *mut PyObject) -> c_int {
    // SAFETY: a live int, per the C API contract.
    unsafe { sign_of(op) }
}

#[export]
pub unsafe fn _PyLong_NumBits(op: *mut PyObject) -> i64 {
    // SAFETY: a live int, per the C API contract.
    unsafe { num_bits(op) as i64 }
}

#[export]
pub unsafe fn PyUnstable_Long_IsCompact(op: *mut PyObject) -> c_int {
    // SAFETY: a live int, per the C API contract.
    unsafe { c_int::from(tag_of(op).0 <= 1) }
}

#[export]
pub unsafe fn PyUnstable_Long_CompactValue(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live compact int, per the C API contract.
    unsafe { compact(op).unwrap_or(-1) as Py_ssize_t }
}

#[export]
pub unsafe fn _PyLong_Copy(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live int, per the C API contract.
    unsafe {
        let (_, sign) = tag_of(op);
        alloc_digits(sign, digits(op))
    }
}

#[export]
pub unsafe fn _PyLong_GCD(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live ints, per the C API contract.
    unsafe { from_bigint(&to_bigint(a).gcd(&to_bigint(b))) }
}

/// A fresh int of `n` zero digits with the given sign, as `_PyLong_New` and `PyLongWriter`
/// hand out (the caller fills the digits; `normalize` fixes the tag afterwards).
fn alloc_raw(n: usize, sign: i32) -> *mut PyObject {
    // SAFETY: PyLong_Type is a ready static type; the allocation covers `n` digits.
    let op = unsafe { crate::objimpl::alloc_object(&raw mut PyLong_Type, n.max(1) as Py_ssize_t) };
    if !op.is_null() {
        // SAFETY: a fresh int.
        unsafe {
            (*op.cast::<PyLongObject>()).long_value.lv_tag = tag(n, if n == 0 { 0 } else { sign })
        };
    }
    op
}

/// Strips leading zero digits of an int filled in place and fixes its tag. Returns the int
/// (or the cached small int equal to it, releasing `op`).
///
/// # Safety
/// `op` must be an owned, unshared int from `alloc_raw`.
unsafe fn normalize(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let (n, sign) = tag_of(op);
        let ds = digits(op);
        let mut m = n;
        while m > 0 && ds[m - 1] == 0 {
            m -= 1;
        }
        (*op.cast::<PyLongObject>()).long_value.lv_tag = tag(m, if m == 0 { 0 } else { sign });
        if let Some(v) = compact(op)
            && (SMALL_MIN..=SMALL_MAX).contains(&v)
        {
            crate::refcount::decref(op);
            return from_i64(v);
        }
        op
    }
}

/// A pointer to the digit array of an int.
fn digit_ptr(op: *mut PyObject) -> *mut u32 {
    // SAFETY: `op` is a live int; only the address is taken.
    unsafe { (&raw mut (*op.cast::<PyLongObject>()).long_value.ob_digit).cast() }
}

#[export]
pub fn _PyLong_New(size: Py_ssize_t) -> *mut PyLongObject {
    if size < 0 {
        crate::pyerrors::bad_internal_call();
        return null_mut();
    }
    alloc_raw(size as usize, 1).cast()
}

#[export]
pub unsafe fn _PyLong_FromDigits(
    negative: c_int,
    count: Py_ssize_t,
    ds: *const u32,
) -> *mut PyLongObject {
    let n = count.max(0) as usize;
    let op = alloc_raw(n, if negative != 0 { -1 } else { 1 });
    if op.is_null() {
        return null_mut();
    }
    // SAFETY: `ds` holds `n` digits, per the C API contract; `op` has room for them.
    unsafe {
        if n > 0 {
            std::ptr::copy_nonoverlapping(ds, digit_ptr(op), n);
        }
        normalize(op).cast()
    }
}

/// `PyLongLayout`.
#[repr(C)]
pub struct PyLongLayout {
    pub bits_per_digit: u8,
    pub digit_size: u8,
    pub digits_order: i8,
    pub digit_endianness: i8,
}

/// 30-bit digits in 4 bytes, least significant digit first, little-endian digits.
static NATIVE_LAYOUT: PyLongLayout = PyLongLayout {
    bits_per_digit: PyLong_SHIFT as u8,
    digit_size: 4,
    digits_order: -1,
    digit_endianness: -1,
};

#[export(unguarded)]
pub fn PyLong_GetNativeLayout() -> *const PyLongLayout {
    &NATIVE_LAYOUT
}

/// `PyLongExport`.
#[repr(C)]
pub struct PyLongExport {
    pub value: i64,
    pub negative: u8,
    pub ndigits: Py_ssize_t,
    pub digits: *const c_void,
    pub _reserved: usize,
}

#[export]
pub unsafe fn PyLong_Export(op: *mut PyObject, out: *mut PyLongExport) -> c_int {
    // SAFETY: a live object and a writable export struct, per the C API contract.
    unsafe {
        if !require_int(op) {
            return -1;
        }
        let small = value_i128(op).and_then(|v| i64::try_from(v).ok());
        *out = match small {
            Some(v) => PyLongExport {
                value: v,
                negative: 0,
                ndigits: 0,
                digits: std::ptr::null(),
                _reserved: 0,
            },
            None => PyLongExport {
                value: 0,
                negative: u8::from(sign_of(op) < 0),
                ndigits: tag_of(op).0 as Py_ssize_t,
                digits: digit_ptr(op).cast_const().cast(),
                _reserved: crate::refcount::new_ref(op) as usize,
            },
        };
        0
    }
}

#[export]
pub unsafe fn PyLong_FreeExport(export: *mut PyLongExport) {
    // SAFETY: an export filled by PyLong_Export, per the C API contract.
    unsafe {
        let op = (*export)._reserved as *mut PyObject;
        if !op.is_null() {
            (*export)._reserved = 0;
            crate::refcount::decref(op);
        }
    }
}

#[export]
pub unsafe fn PyLongWriter_Create(
    negative: c_int,
    ndigits: Py_ssize_t,
    out_digits: *mut *mut c_void,
) -> *mut c_void {
    if ndigits <= 0 {
        raise(&raw mut EXC_ValueError, "ndigits must be positive");
        return null_mut();
    }
    let op = alloc_raw(ndigits as usize, if negative != 0 { -1 } else { 1 });
    if op.is_null() {
        return null_mut();
    }
    // SAFETY: `out_digits` is writable, per the C API contract.
    unsafe { *out_digits = digit_ptr(op).cast() };
    op.cast()
}

#[export]
pub unsafe fn PyLongWriter_Finish(writer: *mut c_void) -> *mut PyObject {
    // SAFETY: a writer from PyLongWriter_Create, per the C API contract.
    unsafe { normalize(writer.cast()) }
}

#[export]
pub unsafe fn PyLongWriter_Discard(writer: *mut c_void) {
    if !writer.is_null() {
        // SAFETY: a writer from PyLongWriter_Create, per the C API contract.
        unsafe { crate::refcount::decref(writer.cast()) };
    }
}

/// `_PyLong_Format(obj, base)`: `bin`/`oct`/`hex`-style text with a prefix, or decimal.
///
/// # Safety
/// `op` must be a live int.
pub(crate) unsafe fn format_base(op: *mut PyObject, base: u32) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe {
        if base == 10 {
            return decimal(op).ok();
        }
        let v = to_bigint(op);
        let prefix = match base {
            2 => "0b",
            8 => "0o",
            16 => "0x",
            _ => "",
        };
        let sign = if v.is_negative() { "-" } else { "" };
        Some(format!(
            "{sign}{prefix}{}",
            v.magnitude().to_str_radix(base)
        ))
    }
}

#[export]
pub unsafe fn _PyLong_Format(op: *mut PyObject, base: c_int) -> *mut PyObject {
    if !matches!(base, 2 | 8 | 10 | 16) {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a live int, per the C API contract.
    match unsafe { format_base(op, base as u32) } {
        Some(s) => crate::unicodeobject::from_str(&s),
        None => null_mut(),
    }
}

/// `PyOS_strtoul`/`PyOS_strtol`: C-style parsing (leading blanks, sign, `0x`/`0o`/`0b`
/// prefixes for base 0 or the matching base). Returns the magnitude, whether a `-` was
/// seen, and the number of bytes consumed (0 if no digits).
fn c_strto(bytes: &[u8], base: c_int) -> (Option<u128>, bool, usize) {
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut negative = false;
    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
        negative = bytes[i] == b'-';
        i += 1;
    }
    let mut radix = base as u32;
    if i + 1 < bytes.len() && bytes[i] == b'0' {
        let p = bytes[i + 1].to_ascii_lowercase();
        let r = match p {
            b'x' => 16,
            b'o' => 8,
            b'b' => 2,
            _ => 0,
        };
        if r != 0 && (base == 0 || base as u32 == r) {
            radix = r;
            i += 2;
        }
    }
    if radix == 0 {
        radix = 10;
    }
    if !(2..=36).contains(&radix) {
        return (None, negative, 0);
    }
    let start = i;
    let mut v: Option<u128> = Some(0);
    while i < bytes.len() {
        let Some(d) = (bytes[i] as char).to_digit(radix) else {
            break;
        };
        v = v
            .and_then(|x| x.checked_mul(u128::from(radix)))
            .and_then(|x| x.checked_add(u128::from(d)));
        i += 1;
    }
    if i == start {
        return (Some(0), false, 0);
    }
    (v, negative, i)
}

fn set_erange() {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() = libc::ERANGE };
}

#[export]
pub unsafe fn PyOS_strtoul(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_ulong {
    // SAFETY: a NUL-terminated string and NULL or a writable end pointer.
    unsafe {
        let bytes = std::ffi::CStr::from_ptr(s).to_bytes();
        let (v, negative, used) = c_strto(bytes, base);
        if !end.is_null() {
            *end = s.add(used).cast_mut();
        }
        match v.and_then(|v| c_ulong::try_from(v).ok()) {
            Some(x) if negative => x.wrapping_neg(),
            Some(x) => x,
            None => {
                set_erange();
                c_ulong::MAX
            }
        }
    }
}

#[export]
pub unsafe fn PyOS_strtol(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long {
    // SAFETY: a NUL-terminated string and NULL or a writable end pointer.
    unsafe {
        let bytes = std::ffi::CStr::from_ptr(s).to_bytes();
        let (v, negative, used) = c_strto(bytes, base);
        if !end.is_null() {
            *end = s.add(used).cast_mut();
        }
        let signed = v
            .and_then(|v| i128::try_from(v).ok())
            .map(|v| if negative { -v } else { v })
            .and_then(|v| c_long::try_from(v).ok());
        match signed {
            Some(x) => x,
            None => {
                set_erange();
                if negative { c_long::MIN } else { c_long::MAX }
            }
        }
    }
}

/// `(m, e)` with `|m|` in [0.5, 1), `m` carrying the sign and `v ~= m * 2**e`, the mantissa
/// rounded to 53 bits (half to even). `(0.0, 0)` for zero.
pub(crate) fn frexp_bigint(v: &BigInt) -> (f64, i64) {
    let nbits = v.bits();
    if nbits == 0 {
        return (0.0, 0);
    }
    let mag = v.magnitude();
    let (f, scale) = if nbits <= 55 {
        (mag.to_u64().unwrap_or(0) as f64, nbits)
    } else {
        let shift = nbits - 55;
        let mut q = (mag >> shift).to_u64().unwrap_or(0);
        if mag.trailing_zeros().unwrap_or(0) < shift {
            q |= 1;
        }
        (q as f64, 55)
    };
    let mut m = f / 2f64.powi(scale as i32);
    let mut e = nbits as i64;
    if m >= 1.0 {
        m /= 2.0;
        e += 1;
    }
    (if v.is_negative() { -m } else { m }, e)
}

#[export]
pub unsafe fn _PyLong_Frexp(op: *mut PyObject, e: *mut i64) -> f64 {
    // SAFETY: a live int and a writable exponent, per the C API contract.
    unsafe {
        let (m, x) = frexp_bigint(&to_bigint(op));
        *e = x;
        m
    }
}

// `PyLong_AsNativeBytes` flags.
const NB_LITTLE_ENDIAN: c_int = 1;
const NB_NATIVE_ENDIAN: c_int = 3;
const NB_UNSIGNED_BUFFER: c_int = 4;
const NB_REJECT_NEGATIVE: c_int = 8;
const NB_ALLOW_INDEX: c_int = 16;

fn little_endian(flags: c_int) -> bool {
    flags == -1 || flags & NB_NATIVE_ENDIAN == NB_NATIVE_ENDIAN || flags & NB_LITTLE_ENDIAN != 0
}

/// `PyLong_AsNativeBytes`: writes the two's complement value (truncated to `n` bytes) and
/// returns how many bytes the value needs.
fn as_native_bytes(v: &BigInt, buf: &mut [u8], flags: c_int) -> Py_ssize_t {
    let unsigned_ok = flags != -1 && flags & NB_UNSIGNED_BUFFER != 0;
    let bytes = v.to_signed_bytes_le();
    // Bytes needed as a signed value; an unsigned buffer may drop a sign byte of 0.
    let mut needed = bytes.len().max(1);
    if unsigned_ok && !v.is_negative() && needed > 1 && bytes[needed - 1] == 0 {
        needed -= 1;
    }
    let fill = if v.is_negative() { 0xff } else { 0 };
    for (i, slot) in buf.iter_mut().enumerate() {
        *slot = bytes.get(i).copied().unwrap_or(fill);
    }
    if !little_endian(flags) {
        buf.reverse();
    }
    needed as Py_ssize_t
}

#[export]
pub unsafe fn PyLong_AsNativeBytes(
    op: *mut PyObject,
    buffer: *mut c_void,
    n_bytes: Py_ssize_t,
    flags: c_int,
) -> Py_ssize_t {
    // SAFETY: a live object and a writable buffer of `n_bytes`, per the C API contract.
    unsafe {
        if op.is_null() || n_bytes < 0 {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let v = if is_int(op) {
            to_bigint(op)
        } else if flags != -1 && flags & NB_ALLOW_INDEX != 0 {
            match index_value(op) {
                Ok(v) => v,
                Err(()) => return -1,
            }
        } else {
            raise(&raw mut EXC_TypeError, "expect int");
            return -1;
        };
        if flags != -1 && flags & NB_REJECT_NEGATIVE != 0 && v.is_negative() {
            raise(&raw mut EXC_ValueError, "Cannot convert negative int");
            return -1;
        }
        let buf: &mut [u8] = if n_bytes == 0 || buffer.is_null() {
            &mut []
        } else {
            std::slice::from_raw_parts_mut(buffer.cast(), n_bytes as usize)
        };
        as_native_bytes(&v, buf, flags)
    }
}

fn from_native(buf: &[u8], flags: c_int, signed: bool) -> *mut PyObject {
    let mut le = buf.to_vec();
    if !little_endian(flags) {
        le.reverse();
    }
    let unsigned = !signed || (flags != -1 && flags & NB_UNSIGNED_BUFFER != 0);
    let v = if unsigned {
        BigInt::from_bytes_le(Sign::Plus, &le)
    } else {
        BigInt::from_signed_bytes_le(&le)
    };
    from_bigint(&v)
}

#[export]
pub unsafe fn PyLong_FromNativeBytes(
    buffer: *const c_void,
    n_bytes: usize,
    flags: c_int,
) -> *mut PyObject {
    if n_bytes == 0 {
        return from_i64(0);
    }
    // SAFETY: a readable buffer of `n_bytes`, per the C API contract.
    let buf = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), n_bytes) };
    from_native(buf, flags, true)
}

#[export]
pub unsafe fn PyLong_FromUnsignedNativeBytes(
    buffer: *const c_void,
    n_bytes: usize,
    flags: c_int,
) -> *mut PyObject {
    if n_bytes == 0 {
        return from_i64(0);
    }
    // SAFETY: a readable buffer of `n_bytes`, per the C API contract.
    let buf = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), n_bytes) };
    from_native(buf, flags, false)
}

#[export]
pub unsafe fn _PyLong_FromByteArray(
    bytes: *const u8,
    n: usize,
    little_endian: c_int,
    is_signed: c_int,
) -> *mut PyObject {
    if n == 0 {
        return from_i64(0);
    }
    // SAFETY: a readable buffer of `n` bytes, per the C API contract.
    let buf = unsafe { std::slice::from_raw_parts(bytes, n) };
    let flags = if little_endian != 0 {
        NB_LITTLE_ENDIAN
    } else {
        0
    };
    from_native(buf, flags, is_signed != 0)
}

#[export]
pub unsafe fn _PyLong_AsByteArray(
    op: *mut PyObject,
    bytes: *mut u8,
    n: usize,
    little_endian: c_int,
    is_signed: c_int,
    with_exceptions: c_int,
) -> c_int {
    // SAFETY: a live int and a writable buffer of `n` bytes, per the C API contract.
    unsafe {
        let v = to_bigint(op);
        if is_signed == 0 && v.is_negative() {
            if with_exceptions != 0 {
                overflow("can't convert negative int to unsigned");
            }
            return -1;
        }
        let buf = std::slice::from_raw_parts_mut(bytes, n);
        let flags = if little_endian != 0 {
            NB_LITTLE_ENDIAN
        } else {
            0
        };
        let flags = if is_signed == 0 {
            flags | NB_UNSIGNED_BUFFER
        } else {
            flags
        };
        let needed = as_native_bytes(&v, buf, flags);
        if needed as usize > n {
            if with_exceptions != 0 {
                overflow("int too big to convert");
            }
            return -1;
        }
        0
    }
}

// ---- int() --------------------------------------------------------------------------------

/// `int(x)`: through `nb_int`/`__index__`, `int(str)`, or floats by truncation.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn number_long(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if is_int(op) {
            return long_pos(op);
        }
        if crate::floatobject::is_float(op) {
            return from_f64_trunc((*op.cast::<crate::floatobject::PyFloatObject>()).ob_fval);
        }
        if let Some(s) = crate::unicodeobject::as_str(op)
            && crate::unicodeobject::is_str(op)
        {
            return from_text(s, 10);
        }
        if let Some(nb) = (*crate::object::ty(op)).tp_as_number.as_ref() {
            if let Some(f) = nb.nb_int {
                return crate::extcall::unary(f, op);
            }
            if nb.nb_index.is_some() {
                return index(op);
            }
        }
        let t = crate::object::type_name(crate::object::ty(op));
        raise(
            &raw mut EXC_TypeError,
            &format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{t}'"
            ),
        )
    }
}

/// Allocates an instance of `t` (through its `tp_alloc`) with `nitems` items.
///
/// # Safety
/// `t` must be a ready type object.
pub(crate) unsafe fn alloc_instance(t: *mut PyTypeObject, nitems: usize) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        match (*t).tp_alloc {
            Some(a) => crate::extcall::alloc(a, t, nitems as Py_ssize_t),
            None => crate::objimpl::alloc_object(t, nitems as Py_ssize_t),
        }
    }
}

/// `int.__new__` for a subclass: the value computed as an exact int, copied into an instance
/// of `t`.
unsafe fn subtype_new(t: *mut PyTypeObject, exact: *mut PyObject) -> *mut PyObject {
    if exact.is_null() {
        return exact;
    }
    // SAFETY: `exact` is an owned int; `t` a subtype of int with int's layout.
    unsafe {
        let (n, sign) = tag_of(exact);
        let op = alloc_instance(t, n.max(1));
        if !op.is_null() {
            (*op.cast::<PyLongObject>()).long_value.lv_tag = tag(n, sign);
            std::ptr::copy_nonoverlapping(digit_ptr(exact), digit_ptr(op), n);
        }
        crate::refcount::decref(exact);
        op
    }
}

unsafe extern "C" fn long_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    let exact = long_new_exact(args, kwargs);
    if t.is_null() || t == &raw mut PyLong_Type {
        return exact;
    }
    // SAFETY: `t` is a subtype of int (slot contract).
    crate::ffi_guard::guard("int.__new__", null_mut(), || unsafe {
        subtype_new(t, exact)
    })
}

fn long_new_exact(args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("int.__new__", null_mut(), || {
        // SAFETY: slot contract: `args` is a tuple, `kwargs` NULL or a dict.
        unsafe {
            let a = if args.is_null() {
                &[][..]
            } else {
                crate::tupleobject::items(args)
            };
            // int(x=0, /, base=10): `base` may be given by name
            let mut kw_base = None;
            if !kwargs.is_null() {
                for (k, v) in crate::dictobject::entries(kwargs) {
                    let key = crate::unicodeobject::as_str(k).unwrap_or("");
                    if key != "base" {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("int() got an unexpected keyword argument '{key}'"),
                        );
                    }
                    kw_base = Some(v);
                }
            }
            let total = a.len() + usize::from(kw_base.is_some());
            if total > 2 {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("int() takes at most 2 arguments ({total} given)"),
                );
            }
            let pair = match (a, kw_base) {
                ([], Some(_)) => {
                    return raise(&raw mut EXC_TypeError, "int() missing string argument");
                }
                ([x], Some(b)) => Some((x, b)),
                ([x, b], None) => Some((x, *b)),
                _ => None,
            };
            match (a, pair) {
                ([], _) => from_i64(0),
                ([x], None) => number_long(*x),
                (_, Some((x, b))) => {
                    let base = match value_i128(b) {
                        Some(v) => v,
                        None => {
                            not_int(b);
                            return null_mut();
                        }
                    };
                    match crate::unicodeobject::as_str(*x) {
                        Some(s) if crate::unicodeobject::is_str(*x) => {
                            from_text(s, base.clamp(-1, 99) as c_int)
                        }
                        _ => raise(
                            &raw mut EXC_TypeError,
                            "int() can't convert non-string with explicit base",
                        ),
                    }
                }
                _ => raise(
                    &raw mut EXC_TypeError,
                    &format!("int() takes at most 2 arguments ({} given)", a.len()),
                ),
            }
        }
    })
}

/// `int.__format__(format_spec)`.
unsafe fn long_format(op: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O on a live int.
    unsafe {
        match crate::formatter_unicode::spec_arg(spec) {
            Some(sp) => crate::formatter_unicode::format_int(op, sp),
            None => std::ptr::null_mut(),
        }
    }
}

/// `(o,)`, taking over the reference to `o` (NULL passes through).
pub(crate) unsafe fn getnewargs_of(o: *mut PyObject) -> *mut PyObject {
    if o.is_null() {
        return o;
    }
    // SAFETY: `o` is a live new reference.
    unsafe {
        let t = crate::tupleobject::from_slice(&[o]);
        crate::refcount::decref(o);
        t
    }
}

/// `int.__getnewargs__()`: `(int(self),)`, an exact int.
unsafe fn long_getnewargs(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live int (method contract).
    unsafe { getnewargs_of(crate::abstract_::number_long(op)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_round_trip() {
        for v in [
            0i128,
            1,
            -1,
            (1 << 30) - 1,
            1 << 30,
            -(1 << 62),
            i64::MAX as i128,
            u64::MAX as i128,
        ] {
            let o = from_i128(v);
            // SAFETY: `o` is a fresh int.
            unsafe {
                assert_eq!(value_i128(o), Some(v));
                assert_eq!(to_bigint(o), BigInt::from(v));
                let t = (*o.cast::<PyLongObject>()).long_value.lv_tag;
                assert_eq!(t & 3, (1 - v.signum()) as usize);
                crate::refcount::decref(o);
            }
        }
        let o = from_i128(1 << 30);
        // SAFETY: fresh int.
        unsafe {
            let l = o.cast::<PyLongObject>();
            assert_eq!((*l).long_value.lv_tag, 2 << 3);
            let d = (&raw const (*l).long_value.ob_digit).cast::<u32>();
            assert_eq!((*d, *d.add(1)), (0, 1));
        }
    }

    #[test]
    fn overflow_messages() {
        let o = from_i128(1i128 << 70);
        // SAFETY: fresh int.
        unsafe {
            assert_eq!(PyLong_AsLong(o), -1);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("OverflowError", "Python int too large to convert to C long")
            );
            let mut of = 0;
            assert_eq!(PyLong_AsLongAndOverflow(o, &mut of), -1);
            assert_eq!(of, 1);
            assert!(crate::pyerrors::take_exception().is_none());
            let n = from_i128(-5);
            assert_eq!(PyLong_AsUnsignedLong(n), c_ulong::MAX);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(e.message, "can't convert negative value to unsigned int");
        }
    }
}
