//! gilgate's own `math` module (CPython's `Modules/mathmodule.c`): every public name of
//! CPython 3.14's `math`, with its results and error texts.
//!
//! The elementary functions are the platform libm's (Rust's `f64` methods and, for `erf`,
//! `erfc`, `nextafter`, the C library's own), the ones CPython calls, so results agree to the
//! bit. Where CPython computes a result with its own algorithm, gilgate follows the same
//! algorithm step for step, because the last bit depends on it: `gamma`/`lgamma` (the Lanczos
//! sum with N=13, g=6.024680040776729583740234375 and the reflection formula), `fsum`
//! (Shewchuk's exact partials with half-even correction), `hypot`/`dist` (scaled compensated
//! sum of squares with a differential square-root correction), `sumprod` (an exact int path and
//! a triple-length float path), `pow`'s special values. Integer functions (`comb`, `perm`,
//! `factorial`, `isqrt`, `gcd`, `lcm`) work on gilgate's arbitrary-precision ints.

use crate::binascii::parse_kwonly;
use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::PyObject;
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, xdecref};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The C library's math functions, the ones CPython calls. Rust's own `f64` methods are not
/// used for them: some are Rust implementations (`acosh`, `atanh`) and some resolve to the
/// Rust runtime's built-in copies (`cbrt`), which can differ from libm in the last bit. Each is
/// looked up once in the process's loaded libm (`dlsym`).
mod libm {
    use std::ffi::CStr;
    use std::sync::OnceLock;

    type F1 = unsafe extern "C" fn(f64) -> f64;
    type F2 = unsafe extern "C" fn(f64, f64) -> f64;

    fn sym(name: &CStr) -> usize {
        // SAFETY: dlsym with a NUL-terminated name; RTLD_DEFAULT searches the loaded objects'
        // exported symbols (libm's, not the binary's private copies).
        let mut p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) } as usize;
        if p == 0 {
            // SAFETY: as above, after loading libm by its soname.
            unsafe {
                let h = libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL);
                if !h.is_null() {
                    p = libc::dlsym(h, name.as_ptr()) as usize;
                }
            }
        }
        assert!(p != 0, "gilgate: libm has no {name:?}");
        p
    }

    macro_rules! f1 {
        ($($name:ident),*) => {$(
            pub(super) fn $name(x: f64) -> f64 {
                static P: OnceLock<usize> = OnceLock::new();
                let p = *P.get_or_init(|| sym(&std::ffi::CString::new(stringify!($name)).unwrap_or_default()));
                // SAFETY: `p` is libm's function of this name, of this C signature.
                unsafe { std::mem::transmute::<usize, F1>(p)(x) }
            }
        )*};
    }
    macro_rules! f2 {
        ($($name:ident),*) => {$(
            pub(super) fn $name(x: f64, y: f64) -> f64 {
                static P: OnceLock<usize> = OnceLock::new();
                let p = *P.get_or_init(|| sym(&std::ffi::CString::new(stringify!($name)).unwrap_or_default()));
                // SAFETY: `p` is libm's function of this name, of this C signature.
                unsafe { std::mem::transmute::<usize, F2>(p)(x, y) }
            }
        )*};
    }
    f1!(
        acos, acosh, asin, asinh, atan, atanh, cbrt, cos, cosh, erf, erfc, exp, exp2, expm1
    );
    f1!(log, log2, log10, log1p, sin, sinh, sqrt, tan, tanh);
    f2!(atan2, pow, fmod, remainder, nextafter);

    pub(super) fn frexp(x: f64) -> (f64, i32) {
        type F = unsafe extern "C" fn(f64, *mut std::ffi::c_int) -> f64;
        static P: OnceLock<usize> = OnceLock::new();
        let p = *P.get_or_init(|| sym(c"frexp"));
        let mut e: std::ffi::c_int = 0;
        // SAFETY: libm's frexp with a valid out pointer.
        let m = unsafe { std::mem::transmute::<usize, F>(p)(x, &mut e) };
        (m, e)
    }

    pub(super) fn ldexp(x: f64, e: i32) -> f64 {
        type F = unsafe extern "C" fn(f64, std::ffi::c_int) -> f64;
        static P: OnceLock<usize> = OnceLock::new();
        let p = *P.get_or_init(|| sym(c"ldexp"));
        // SAFETY: libm's ldexp takes any double and int.
        unsafe { std::mem::transmute::<usize, F>(p)(x, e) }
    }
}

const PI: f64 = std::f64::consts::PI;
const LOGPI: f64 = 1.144_729_885_849_400_2;

type R<T> = Result<T, ()>;

fn fail<T>(t: *mut crate::object::PyTypeObject, msg: &str) -> R<T> {
    raise(t, msg);
    Err(())
}

fn float(v: f64) -> *mut PyObject {
    crate::floatobject::PyFloat_FromDouble(v)
}

fn done(r: R<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

/// A float argument (`PyFloat_AsDouble`: floats, ints, `__float__`, `__index__`).
///
/// # Safety
/// `o` must be live.
unsafe fn dbl(o: *mut PyObject) -> R<f64> {
    // SAFETY: forwarded contract.
    let v = unsafe { crate::floatobject::PyFloat_AsDouble(o) };
    if v == -1.0 && crate::pyerrors::occurred() {
        return Err(());
    }
    Ok(v)
}

/// `repr(x)` of a float, as the domain-error texts quote it.
fn repr(x: f64) -> String {
    crate::floatobject::repr_f64(x)
}

/// The positional arguments, checked as CPython's `_PyArg_CheckPositional` does.
///
/// # Safety
/// `args` must be a tuple.
unsafe fn positional<'a>(
    name: &str,
    args: *mut PyObject,
    min: usize,
    max: usize,
) -> R<&'a [*mut PyObject]> {
    // SAFETY: forwarded contract.
    let a = unsafe { crate::tupleobject::items(args) };
    let n = a.len();
    let s = |k: usize| if k == 1 { "" } else { "s" };
    if n < min || n > max {
        let msg = if min == max {
            format!("{name} expected {min} argument{}, got {n}", s(min))
        } else if n < min {
            format!("{name} expected at least {min} argument{}, got {n}", s(min))
        } else {
            format!("{name} expected at most {max} argument{}, got {n}", s(max))
        };
        return fail(&raw mut EXC_TypeError, &msg);
    }
    Ok(a)
}

/// CPython's `math_1`: `f(x)`; a NaN from a non-NaN is a domain error (`msg` with the
/// argument's repr, else "math domain error"), an infinity from a finite x an overflow
/// (`can_overflow`) or a domain error.
///
/// # Safety
/// `arg` must be live.
unsafe fn math_1(
    arg: *mut PyObject,
    f: fn(f64) -> f64,
    can_overflow: bool,
    msg: Option<&str>,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let Ok(x) = (unsafe { dbl(arg) }) else {
        return null_mut();
    };
    let r = f(x);
    let domain = |x: f64| match msg {
        Some(m) => raise(&raw mut EXC_ValueError, &m.replace("%s", &repr(x))),
        None => raise(&raw mut EXC_ValueError, "math domain error"),
    };
    if r.is_nan() && !x.is_nan() {
        return domain(x);
    }
    if r.is_infinite() && x.is_finite() {
        if can_overflow {
            return raise(&raw mut EXC_OverflowError, "math range error");
        }
        return domain(x);
    }
    float(r)
}

/// What CPython's functions that set errno themselves (`math_1a`) report.
enum Errno {
    Ok,
    Dom,
    Range,
}

/// CPython's `math_1a` for `gamma` and `lgamma`.
///
/// # Safety
/// `arg` must be live.
unsafe fn math_1a(arg: *mut PyObject, f: fn(f64) -> (f64, Errno), msg: &str) -> *mut PyObject {
    // SAFETY: forwarded contract.
    let Ok(x) = (unsafe { dbl(arg) }) else {
        return null_mut();
    };
    match f(x) {
        (_, Errno::Dom) => raise(&raw mut EXC_ValueError, &msg.replace("%s", &repr(x))),
        (r, Errno::Range) if r.abs() >= 1.5 => {
            raise(&raw mut EXC_OverflowError, "math range error")
        }
        (r, _) => float(r),
    }
}

/// CPython's `math_2`: `f(x, y)` with the NaN/infinity rules of two-argument functions.
///
/// # Safety
/// `args` must be a tuple.
unsafe fn math_2(name: &str, args: *mut PyObject, f: fn(f64, f64) -> f64) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Ok(a) = positional(name, args, 2, 2) else {
            return null_mut();
        };
        let Ok(x) = dbl(a[0]) else {
            return null_mut();
        };
        let Ok(y) = dbl(a[1]) else {
            return null_mut();
        };
        let r = f(x, y);
        if r.is_nan() && !x.is_nan() && !y.is_nan() {
            return raise(&raw mut EXC_ValueError, "math domain error");
        }
        if r.is_infinite() && x.is_finite() && y.is_finite() {
            return raise(&raw mut EXC_OverflowError, "math range error");
        }
        float(r)
    }
}

// --- CPython's own algorithms ---

/// sin(pi*x), accurate near integers (for the reflection formula).
fn sinpi(x: f64) -> f64 {
    let y = libm::fmod(x.abs(), 2.0);
    let n = (2.0 * y).round() as i32;
    let r = match n {
        0 => libm::sin(PI * y),
        1 => libm::cos(PI * (y - 0.5)),
        2 => libm::sin(PI * (1.0 - y)),
        3 => -libm::cos(PI * (y - 1.5)),
        _ => libm::sin(PI * (y - 2.0)),
    };
    1.0f64.copysign(x) * r
}

// the Lanczos constants are written with all their published digits; each is the nearest
// double all the same
#[allow(clippy::excessive_precision)]
const LANCZOS_G: f64 = 6.024_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_NUM: [f64; 13] = [
    23_531_376_880.410_759_688_572_007_674_451_636_754_734_846_804_940,
    42_919_803_642.649_098_768_957_899_047_001_988_850_926_355_848_959,
    35_711_959_237.355_668_049_440_185_451_547_166_705_960_488_635_843,
    17_921_034_426.037_209_699_919_755_754_458_931_112_671_403_265_390,
    6_039_542_586.352_028_005_064_291_644_307_297_921_069_938_842_070_8,
    1_439_720_407.311_721_673_663_223_072_794_912_393_971_548_578_677_2,
    248_874_557.862_054_156_511_460_386_413_229_423_216_321_251_278_01,
    31_426_415.585_400_194_380_614_231_628_318_205_362_874_684_987_640,
    2_876_370.628_935_372_441_225_409_051_620_849_613_599_114_537_876_8,
    186_056.265_395_223_495_040_294_989_716_045_699_282_207_842_363_28,
    8_071.672_002_365_816_210_638_002_902_272_250_613_821_851_632_502_4,
    210.824_277_751_579_345_872_509_733_920_713_362_711_669_695_802_91,
    2.506_628_274_631_000_270_164_908_177_133_837_338_626_431_079_340_8,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0,
    39_916_800.0,
    120_543_840.0,
    150_917_976.0,
    105_258_076.0,
    45_995_730.0,
    13_339_535.0,
    2_637_558.0,
    357_423.0,
    32_670.0,
    1_925.0,
    66.0,
    1.0,
];

fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

fn tgamma(x: f64) -> (f64, Errno) {
    if !x.is_finite() {
        if x.is_nan() || x > 0.0 {
            return (x, Errno::Ok);
        }
        return (f64::NAN, Errno::Dom);
    }
    if x == 0.0 {
        return (f64::INFINITY.copysign(x), Errno::Dom);
    }
    if x == x.floor() {
        if x < 0.0 {
            return (f64::NAN, Errno::Dom);
        }
        if x <= 23.0 {
            let mut f = 1.0;
            for k in 2..(x as i64) {
                f *= k as f64;
            }
            return (f, Errno::Ok);
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        let r = 1.0 / x;
        return (
            r,
            if r.is_infinite() {
                Errno::Range
            } else {
                Errno::Ok
            },
        );
    }
    if absx > 200.0 {
        if x < 0.0 {
            return (0.0 / sinpi(x), Errno::Ok);
        }
        return (f64::INFINITY, Errno::Range);
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    let z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -PI / sinpi(absx) / absx * libm::exp(y) / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= libm::pow(y, absx - 0.5);
        } else {
            let sqrtpow = libm::pow(y, absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / libm::exp(y);
        r += z * r;
        if absx < 140.0 {
            r *= libm::pow(y, absx - 0.5);
        } else {
            let sqrtpow = libm::pow(y, absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    (
        r,
        if r.is_infinite() {
            Errno::Range
        } else {
            Errno::Ok
        },
    )
}

fn lgamma(x: f64) -> (f64, Errno) {
    if !x.is_finite() {
        if x.is_nan() {
            return (x, Errno::Ok);
        }
        return (f64::INFINITY, Errno::Ok);
    }
    if x == x.floor() && x <= 2.0 {
        if x <= 0.0 {
            return (f64::INFINITY, Errno::Dom);
        }
        return (0.0, Errno::Ok);
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return (-libm::log(absx), Errno::Ok);
    }
    let mut r = libm::log(lanczos_sum(absx)) - LANCZOS_G;
    r += (absx - 0.5) * (libm::log(absx + LANCZOS_G - 0.5) - 1.0);
    if x < 0.0 {
        r = LOGPI - libm::log(sinpi(absx).abs()) - libm::log(absx) - r;
    }
    (
        r,
        if r.is_infinite() {
            Errno::Range
        } else {
            Errno::Ok
        },
    )
}

/// An error-free product: hi + lo == x * y exactly.
fn dl_mul(x: f64, y: f64) -> (f64, f64) {
    let z = x * y;
    (z, x.mul_add(y, -z))
}

/// An error-free sum (any magnitudes).
fn dl_sum(a: f64, b: f64) -> (f64, f64) {
    let x = a + b;
    let z = x - a;
    (x, (a - (x - z)) + (b - z))
}

/// An error-free sum when |a| >= |b|.
fn dl_fast_sum(a: f64, b: f64) -> (f64, f64) {
    let x = a + b;
    (x, (a - x) + b)
}

/// The Euclidean norm of `vec` (all finite or `max` infinite), `max` its largest element.
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let max_e = frexp(max).1;
    if max_e < -1023 {
        for v in vec.iter_mut() {
            *v /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = ldexp(1.0, -max_e);
    let (mut csum, mut frac1, mut frac2) = (1.0, 0.0, 0.0);
    for &v in vec.iter() {
        let x = v * scale;
        let pr = dl_mul(x, x);
        let sm = dl_fast_sum(csum, pr.0);
        csum = sm.0;
        frac1 += pr.1;
        frac2 += sm.1;
    }
    let mut h = libm::sqrt(csum - 1.0 + (frac1 + frac2));
    let pr = dl_mul(-h, h);
    let sm = dl_fast_sum(csum, pr.0);
    csum = sm.0;
    frac1 += pr.1;
    frac2 += sm.1;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

/// C's `frexp`: (m, e) with x == m * 2**e, 0.5 <= |m| < 1 (x itself and 0 for 0, inf, nan).
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    libm::frexp(x)
}

/// C's `ldexp`: x * 2**e, correctly rounded.
fn ldexp(x: f64, e: i32) -> f64 {
    libm::ldexp(x, e)
}

fn m_log(x: f64) -> f64 {
    if x.is_finite() {
        if x > 0.0 {
            libm::log(x)
        } else if x == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        }
    } else if x.is_nan() || x > 0.0 {
        x
    } else {
        f64::NAN
    }
}

fn m_log2(x: f64) -> f64 {
    if x.is_finite() && x <= 0.0 {
        return if x == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        };
    }
    if !x.is_finite() && !x.is_nan() && x < 0.0 {
        return f64::NAN;
    }
    libm::log2(x)
}

fn m_log10(x: f64) -> f64 {
    if x.is_finite() && x <= 0.0 {
        return if x == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        };
    }
    if !x.is_finite() && !x.is_nan() && x < 0.0 {
        return f64::NAN;
    }
    libm::log10(x)
}

fn m_log1p(x: f64) -> f64 {
    if x == 0.0 { x } else { libm::log1p(x) }
}

/// CPython's `loghelper`: `func` of an int of any size, else of a float.
///
/// # Safety
/// `arg` must be live.
unsafe fn loghelper(arg: *mut PyObject, func: fn(f64) -> f64) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::longobject::is_int(arg) {
            let v = crate::longobject::to_bigint(arg);
            if v.sign() != Sign::Plus {
                return raise(&raw mut EXC_ValueError, "expected a positive input");
            }
            return match crate::longobject::bigint_to_f64(&v) {
                Some(x) if x.is_finite() => float(func(x)),
                _ => {
                    let (x, e) = crate::longobject::frexp_bigint(&v);
                    float(func(x) + func(2.0) * e as f64)
                }
            };
        }
        math_1(arg, func, false, Some("expected a positive input, got %s"))
    }
}

// --- the functions ---

macro_rules! one {
    ($fname:ident, $name:literal, $f:expr, $over:expr, $msg:expr) => {
        unsafe extern "C" fn $fname(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
            crate::ffi_guard::guard(concat!("math.", $name), null_mut(), || {
                // SAFETY: METH_O contract: a live argument.
                unsafe { math_1(x, $f, $over, $msg) }
            })
        }
    };
}

const RANGE_1: &str = "expected a number in range from -1 up to 1, got %s";
const FINITE: &str = "expected a finite input, got %s";
one!(m_acos, "acos", libm::acos, false, Some(RANGE_1));
one!(
    m_acosh,
    "acosh",
    libm::acosh,
    false,
    Some("expected argument value not less than 1, got %s")
);
one!(m_asin, "asin", libm::asin, false, Some(RANGE_1));
one!(m_asinh, "asinh", libm::asinh, false, None);
one!(m_atan, "atan", libm::atan, false, None);
one!(
    m_atanh,
    "atanh",
    libm::atanh,
    false,
    Some("expected a number between -1 and 1, got %s")
);
one!(m_cbrt, "cbrt", libm::cbrt, false, None);
one!(m_cos, "cos", libm::cos, false, Some(FINITE));
one!(m_cosh, "cosh", libm::cosh, true, None);
one!(m_exp, "exp", libm::exp, true, None);
one!(m_exp2, "exp2", libm::exp2, true, None);
one!(m_expm1, "expm1", libm::expm1, true, None);
one!(m_fabs, "fabs", f64::abs, false, None);
one!(
    m_log1p_fn,
    "log1p",
    m_log1p,
    false,
    Some("expected argument value > -1, got %s")
);
one!(m_sin, "sin", libm::sin, false, Some(FINITE));
one!(m_sinh, "sinh", libm::sinh, true, None);
one!(
    m_sqrt,
    "sqrt",
    libm::sqrt,
    false,
    Some("expected a nonnegative input, got %s")
);
one!(m_tan, "tan", libm::tan, false, Some(FINITE));
one!(m_tanh, "tanh", libm::tanh, false, None);

one!(m_erf, "erf", libm::erf, false, None);
one!(m_erfc, "erfc", libm::erfc, false, None);

const GAMMA_MSG: &str = "expected a noninteger or positive integer, got %s";

unsafe extern "C" fn m_gamma(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.gamma", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe { math_1a(x, tgamma, GAMMA_MSG) }
    })
}

unsafe extern "C" fn m_lgamma(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.lgamma", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe { math_1a(x, lgamma, GAMMA_MSG) }
    })
}

macro_rules! two {
    ($fname:ident, $name:literal, $f:expr) => {
        unsafe extern "C" fn $fname(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
            crate::ffi_guard::guard(concat!("math.", $name), null_mut(), || {
                // SAFETY: METH_VARARGS contract: a tuple.
                unsafe { math_2($name, args, $f) }
            })
        }
    };
}

/// IEEE 754 remainder (exact; C's `remainder`, as CPython's own gives the same).
fn remainder(x: f64, y: f64) -> f64 {
    libm::remainder(x, y)
}

two!(m_atan2, "atan2", libm::atan2);
two!(m_copysign, "copysign", f64::copysign);
two!(m_remainder, "remainder", remainder);

unsafe extern "C" fn m_fmod(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.fmod", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("fmod", args, 2, 2) else {
                return null_mut();
            };
            let (Ok(x), Ok(y)) = (dbl(a[0]), dbl(a[1])) else {
                return null_mut();
            };
            if y.is_infinite() && x.is_finite() {
                return float(x);
            }
            let r = libm::fmod(x, y);
            if r.is_nan() && !x.is_nan() && !y.is_nan() {
                return raise(&raw mut EXC_ValueError, "math domain error");
            }
            float(r)
        }
    })
}

unsafe extern "C" fn m_pow(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.pow", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("pow", args, 2, 2) else {
                return null_mut();
            };
            let Ok(x) = dbl(a[0]) else {
                return null_mut();
            };
            let Ok(y) = dbl(a[1]) else {
                return null_mut();
            };
            let r;
            if !x.is_finite() || !y.is_finite() {
                r = if x.is_nan() {
                    if y == 0.0 { 1.0 } else { x }
                } else if y.is_nan() {
                    if x == 1.0 { 1.0 } else { y }
                } else if x.is_infinite() {
                    let odd_y = y.is_finite() && libm::fmod(y.abs(), 2.0) == 1.0;
                    if y > 0.0 {
                        if odd_y { x } else { x.abs() }
                    } else if y == 0.0 {
                        1.0
                    } else if odd_y {
                        0.0f64.copysign(x)
                    } else {
                        0.0
                    }
                } else if x.abs() == 1.0 {
                    1.0
                } else if y > 0.0 && x.abs() > 1.0 {
                    y
                } else if y < 0.0 && x.abs() < 1.0 {
                    -y
                } else {
                    0.0
                };
                return float(r);
            }
            r = libm::pow(x, y);
            if r.is_nan() {
                return raise(&raw mut EXC_ValueError, "math domain error");
            }
            if r.is_infinite() {
                if x == 0.0 {
                    return raise(&raw mut EXC_ValueError, "math domain error");
                }
                return raise(&raw mut EXC_OverflowError, "math range error");
            }
            float(r)
        }
    })
}

unsafe extern "C" fn m_log_fn(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.log", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("log", args, 1, 2) else {
                return null_mut();
            };
            let num = loghelper(a[0], m_log);
            if num.is_null() || a.len() == 1 {
                return num;
            }
            let den = loghelper(a[1], m_log);
            if den.is_null() {
                decref(num);
                return null_mut();
            }
            let r = crate::abstract_::PyNumber_TrueDivide(num, den);
            decref(num);
            decref(den);
            r
        }
    })
}

unsafe extern "C" fn m_log2_fn(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.log2", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe { loghelper(x, m_log2) }
    })
}

unsafe extern "C" fn m_log10_fn(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.log10", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe { loghelper(x, m_log10) }
    })
}

/// Calls `obj.<name>()` looked up on its type, if the type has it: Ok(Some(result)),
/// Ok(None) when it has none.
///
/// # Safety
/// `obj` must be live.
unsafe fn call_special(obj: *mut PyObject, name: &str) -> R<Option<*mut PyObject>> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = crate::object::ty(obj).cast::<PyObject>();
        let key = crate::unicodeobject::from_str(name);
        let mut f = null_mut();
        let rc = crate::object::getattr_opt(t, key, &mut f);
        decref(key);
        if rc < 0 {
            return Err(());
        }
        if f.is_null() {
            return Ok(None);
        }
        let args = crate::tupleobject::PyTuple_New(1);
        crate::refcount::incref(obj);
        crate::tupleobject::PyTuple_SetItem(args, 0, obj);
        let r = crate::abstract_::PyObject_Call(f, args, null_mut());
        decref(args);
        decref(f);
        if r.is_null() { Err(()) } else { Ok(Some(r)) }
    }
}

/// `floor` (`up` false) or `ceil`.
///
/// # Safety
/// `x` must be live.
unsafe fn rounding(x: *mut PyObject, up: bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let v = if crate::floatobject::is_float(x)
            && crate::object::ty(x) == &raw mut crate::floatobject::PyFloat_Type
        {
            crate::floatobject::as_f64(x).unwrap_or(0.0)
        } else {
            match call_special(x, if up { "__ceil__" } else { "__floor__" }) {
                Err(()) => return null_mut(),
                Ok(Some(r)) => return r,
                Ok(None) => match dbl(x) {
                    Ok(v) => v,
                    Err(()) => return null_mut(),
                },
            }
        };
        crate::longobject::PyLong_FromDouble(if up { v.ceil() } else { v.floor() })
    }
}

unsafe extern "C" fn m_floor(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: a live argument.
    crate::ffi_guard::guard("math.floor", null_mut(), || unsafe { rounding(x, false) })
}

unsafe extern "C" fn m_ceil(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: a live argument.
    crate::ffi_guard::guard("math.ceil", null_mut(), || unsafe { rounding(x, true) })
}

unsafe extern "C" fn m_trunc(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.trunc", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe {
            if crate::object::ty(x) == &raw mut crate::floatobject::PyFloat_Type {
                return crate::longobject::from_f64_trunc(
                    crate::floatobject::as_f64(x).unwrap_or(0.0),
                );
            }
            match call_special(x, "__trunc__") {
                Err(()) => null_mut(),
                Ok(Some(r)) => r,
                Ok(None) => {
                    let t = crate::object::type_name(crate::object::ty(x));
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("type {t} doesn't define __trunc__ method"),
                    )
                }
            }
        }
    })
}

unsafe extern "C" fn m_degrees(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.degrees", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { dbl(x) }.map(|v| float(v * (180.0 / PI))))
    })
}

unsafe extern "C" fn m_radians(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.radians", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { dbl(x) }.map(|v| float(v * (PI / 180.0))))
    })
}

unsafe extern "C" fn m_isfinite(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.isfinite", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { dbl(x) }.map(|v| crate::boolobject::from_bool(v.is_finite())))
    })
}

unsafe extern "C" fn m_isinf(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.isinf", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { dbl(x) }.map(|v| crate::boolobject::from_bool(v.is_infinite())))
    })
}

unsafe extern "C" fn m_isnan(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.isnan", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { dbl(x) }.map(|v| crate::boolobject::from_bool(v.is_nan())))
    })
}

fn pair(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    if a.is_null() || b.is_null() {
        // SAFETY: our references (or NULL).
        unsafe {
            xdecref(a);
            xdecref(b);
        }
        return null_mut();
    }
    // SAFETY: two new references handed to a new tuple.
    unsafe {
        let t = crate::tupleobject::PyTuple_New(2);
        crate::tupleobject::PyTuple_SetItem(t, 0, a);
        crate::tupleobject::PyTuple_SetItem(t, 1, b);
        t
    }
}

unsafe extern "C" fn m_frexp(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.frexp", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Ok(v) = (unsafe { dbl(x) }) else {
            return null_mut();
        };
        let (m, e) = frexp(v);
        pair(float(m), crate::longobject::from_i64(i64::from(e)))
    })
}

unsafe extern "C" fn m_modf(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.modf", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Ok(v) = (unsafe { dbl(x) }) else {
            return null_mut();
        };
        if v.is_infinite() {
            return pair(float(0.0f64.copysign(v)), float(v));
        }
        if v.is_nan() {
            return pair(float(v), float(v));
        }
        let i = v.trunc();
        pair(float((v - i).copysign(v)), float(i))
    })
}

unsafe extern "C" fn m_ldexp(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.ldexp", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("ldexp", args, 2, 2) else {
                return null_mut();
            };
            let Ok(x) = dbl(a[0]) else {
                return null_mut();
            };
            if !crate::longobject::is_int(a[1]) {
                return raise(
                    &raw mut EXC_TypeError,
                    "Expected an int as second argument to ldexp.",
                );
            }
            let e = crate::longobject::to_bigint(a[1]);
            let e = e
                .to_i64()
                .unwrap_or(if e.is_negative() { i64::MIN } else { i64::MAX });
            let r = if x == 0.0 || !x.is_finite() {
                x
            } else if e > i64::from(i32::MAX) {
                return raise(&raw mut EXC_OverflowError, "math range error");
            } else if e < i64::from(i32::MIN) {
                0.0f64.copysign(x)
            } else {
                ldexp(x, e as i32)
            };
            if r.is_infinite() && x.is_finite() {
                return raise(&raw mut EXC_OverflowError, "math range error");
            }
            float(r)
        }
    })
}

unsafe extern "C" fn m_fsum(_m: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.fsum", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        unsafe {
            let it = crate::abstract_::PyObject_GetIter(seq);
            if it.is_null() {
                return null_mut();
            }
            let r = fsum(it);
            decref(it);
            done(r.map(float))
        }
    })
}

/// # Safety
/// `it` must be a live iterator.
unsafe fn fsum(it: *mut PyObject) -> R<f64> {
    let mut p: Vec<f64> = Vec::new();
    let (mut special_sum, mut inf_sum) = (0.0f64, 0.0f64);
    loop {
        // SAFETY: forwarded contract.
        let item = unsafe { crate::abstract_::PyIter_Next(it) };
        if item.is_null() {
            if crate::pyerrors::occurred() {
                return Err(());
            }
            break;
        }
        // SAFETY: a live item, then our reference.
        let x = unsafe { dbl(item) };
        // SAFETY: our reference.
        unsafe { decref(item) };
        let mut x = x?;
        let xsave = x;
        let mut i = 0;
        for j in 0..p.len() {
            let mut y = p[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let yr = hi - x;
            let lo = y - yr;
            if lo != 0.0 {
                p[i] = lo;
                i += 1;
            }
            x = hi;
        }
        p.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // an infinity or nan among the items, or an intermediate overflow
                if xsave.is_finite() {
                    return fail(&raw mut EXC_OverflowError, "intermediate overflow in fsum");
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                p.clear();
            } else {
                p.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return fail(&raw mut EXC_ValueError, "-inf + inf in fsum");
        }
        return Ok(special_sum);
    }
    let mut hi = 0.0;
    let mut n = p.len();
    if n > 0 {
        n -= 1;
        hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // half-even rounding across several partials
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

unsafe extern "C" fn m_hypot(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.hypot", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let items = crate::tupleobject::items(args);
            let mut v = Vec::with_capacity(items.len());
            let (mut max, mut nan) = (0.0f64, false);
            for &o in items {
                let Ok(x) = dbl(o) else {
                    return null_mut();
                };
                let x = x.abs();
                nan |= x.is_nan();
                if x > max {
                    max = x;
                }
                v.push(x);
            }
            float(vector_norm(&mut v, max, nan))
        }
    })
}

/// The items of an iterable, as a tuple (new reference).
///
/// # Safety
/// `o` must be live.
unsafe fn as_tuple(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::tupleobject::is_tuple(o) {
            crate::refcount::incref(o);
            return o;
        }
        crate::abstract_::PySequence_Tuple(o)
    }
}

unsafe extern "C" fn m_dist(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.dist", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("dist", args, 2, 2) else {
                return null_mut();
            };
            let p = as_tuple(a[0]);
            if p.is_null() {
                return null_mut();
            }
            let q = as_tuple(a[1]);
            if q.is_null() {
                decref(p);
                return null_mut();
            }
            let (pi, qi) = (crate::tupleobject::items(p), crate::tupleobject::items(q));
            let r = (|| {
                if pi.len() != qi.len() {
                    return fail(
                        &raw mut EXC_ValueError,
                        "both points must have the same number of dimensions",
                    );
                }
                let mut v = Vec::with_capacity(pi.len());
                let (mut max, mut nan) = (0.0f64, false);
                for (&x, &y) in pi.iter().zip(qi) {
                    let px = dbl(x)?;
                    let qx = dbl(y)?;
                    let d = (px - qx).abs();
                    nan |= d.is_nan();
                    if d > max {
                        max = d;
                    }
                    v.push(d);
                }
                Ok(float(vector_norm(&mut v, max, nan)))
            })();
            decref(p);
            decref(q);
            done(r)
        }
    })
}

/// The int value of `o` through `__index__`.
///
/// # Safety
/// `o` must be live.
unsafe fn index(o: *mut PyObject) -> R<BigInt> {
    // SAFETY: forwarded contract.
    unsafe {
        let i = crate::abstract_::PyNumber_Index(o);
        if i.is_null() {
            return Err(());
        }
        let v = crate::longobject::to_bigint(i);
        decref(i);
        Ok(v)
    }
}

fn int(v: &BigInt) -> *mut PyObject {
    crate::longobject::from_bigint(v)
}

unsafe extern "C" fn m_gcd(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.gcd", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let mut g = BigInt::zero();
            for &o in crate::tupleobject::items(args) {
                let Ok(v) = index(o) else {
                    return null_mut();
                };
                g = g.gcd(&v);
            }
            int(&g)
        }
    })
}

unsafe extern "C" fn m_lcm(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.lcm", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let mut l = BigInt::one();
            for &o in crate::tupleobject::items(args) {
                let Ok(v) = index(o) else {
                    return null_mut();
                };
                l = if l.is_zero() || v.is_zero() {
                    BigInt::zero()
                } else {
                    l.lcm(&v)
                };
            }
            int(&l.abs())
        }
    })
}

unsafe extern "C" fn m_isqrt(_m: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.isqrt", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Ok(v) = (unsafe { index(n) }) else {
            return null_mut();
        };
        if v.is_negative() {
            return raise(
                &raw mut EXC_ValueError,
                "isqrt() argument must be nonnegative",
            );
        }
        int(&v.sqrt())
    })
}

fn factorial_of(n: u64) -> BigInt {
    // a product tree keeps big factorials quick
    fn range(lo: u64, hi: u64) -> BigInt {
        if hi - lo < 16 {
            let mut p = BigInt::one();
            for k in lo..hi {
                p *= k;
            }
            return p;
        }
        let mid = lo + (hi - lo) / 2;
        range(lo, mid) * range(mid, hi)
    }
    if n < 2 {
        BigInt::one()
    } else {
        range(2, n + 1)
    }
}

unsafe extern "C" fn m_factorial(_m: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.factorial", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Ok(v) = (unsafe { index(n) }) else {
            return null_mut();
        };
        factorial(&v)
    })
}

fn factorial(v: &BigInt) -> *mut PyObject {
    if v.is_negative() {
        return raise(
            &raw mut EXC_ValueError,
            "factorial() not defined for negative values",
        );
    }
    let Some(n) = v.to_i64() else {
        return raise(
            &raw mut EXC_OverflowError,
            "factorial() argument should not exceed 9223372036854775807",
        );
    };
    int(&factorial_of(n as u64))
}

/// n * (n-1) * ... * (n-k+1).
fn falling(n: &BigInt, k: u64) -> BigInt {
    fn range(n: &BigInt, lo: u64, hi: u64) -> BigInt {
        if hi - lo < 16 {
            let mut p = BigInt::one();
            for j in lo..hi {
                p *= n - j;
            }
            return p;
        }
        let mid = lo + (hi - lo) / 2;
        range(n, lo, mid) * range(n, mid, hi)
    }
    range(n, 0, k)
}

/// Checks n and k (non-negative) for comb and perm; None with ValueError.
fn nk(n: &BigInt, k: &BigInt) -> R<()> {
    if n.is_negative() {
        return fail(&raw mut EXC_ValueError, "n must be a non-negative integer");
    }
    if k.is_negative() {
        return fail(&raw mut EXC_ValueError, "k must be a non-negative integer");
    }
    Ok(())
}

fn too_big(what: &str) -> *mut PyObject {
    raise(
        &raw mut EXC_OverflowError,
        &format!("{what} must not exceed 9223372036854775807"),
    )
}

unsafe extern "C" fn m_comb(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.comb", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("comb", args, 2, 2) else {
                return null_mut();
            };
            let (Ok(n), Ok(k)) = (index(a[0]), index(a[1])) else {
                return null_mut();
            };
            if nk(&n, &k).is_err() {
                return null_mut();
            }
            if k > n {
                return int(&BigInt::zero());
            }
            let k = std::cmp::min(k.clone(), &n - &k);
            let Some(k) = k.to_u64().filter(|&k| k <= i64::MAX as u64) else {
                return too_big("min(n - k, k)");
            };
            int(&(falling(&n, k) / factorial_of(k)))
        }
    })
}

unsafe extern "C" fn m_perm(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.perm", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("perm", args, 1, 2) else {
                return null_mut();
            };
            let Ok(n) = index(a[0]) else {
                return null_mut();
            };
            if a.len() == 1 || a[1] == crate::object::none() {
                return factorial(&n);
            }
            let Ok(k) = index(a[1]) else {
                return null_mut();
            };
            if nk(&n, &k).is_err() {
                return null_mut();
            }
            if k > n {
                return int(&BigInt::zero());
            }
            let Some(k) = k.to_u64().filter(|&k| k <= i64::MAX as u64) else {
                return too_big("k");
            };
            int(&falling(&n, k))
        }
    })
}

unsafe extern "C" fn m_prod(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("math.prod", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_kwonly("prod", args, kw, &["iterable", "start"], 1, 1, 1) else {
                return null_mut();
            };
            let it = crate::abstract_::PyObject_GetIter(a[0]);
            if it.is_null() {
                return null_mut();
            }
            let mut total = if a[1].is_null() {
                crate::longobject::from_i64(1)
            } else {
                crate::refcount::incref(a[1]);
                a[1]
            };
            loop {
                let item = crate::abstract_::PyIter_Next(it);
                if item.is_null() {
                    decref(it);
                    if crate::pyerrors::occurred() {
                        decref(total);
                        return null_mut();
                    }
                    return total;
                }
                let t = crate::abstract_::PyNumber_Multiply(total, item);
                decref(item);
                decref(total);
                if t.is_null() {
                    decref(it);
                    return null_mut();
                }
                total = t;
            }
        }
    })
}

/// A double of an exact int, or None when it does not fit.
///
/// # Safety
/// `o` must be a live int.
unsafe fn int_as_f64(o: *mut PyObject) -> Option<f64> {
    // SAFETY: forwarded contract.
    let v = unsafe { crate::longobject::PyLong_AsDouble(o) };
    if v == -1.0 && crate::pyerrors::occurred() {
        crate::pyerrors::clear();
        return None;
    }
    Some(v)
}

unsafe extern "C" fn m_sumprod(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.sumprod", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("sumprod", args, 2, 2) else {
                return null_mut();
            };
            let pit = crate::abstract_::PyObject_GetIter(a[0]);
            if pit.is_null() {
                return null_mut();
            }
            let qit = crate::abstract_::PyObject_GetIter(a[1]);
            if qit.is_null() {
                decref(pit);
                return null_mut();
            }
            let r = sumprod(pit, qit);
            decref(pit);
            decref(qit);
            done(r)
        }
    })
}

/// # Safety
/// `pit` and `qit` must be live iterators.
unsafe fn sumprod(pit: *mut PyObject, qit: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract; every object is live while used and released once.
    unsafe {
        let mut total = crate::longobject::from_i64(0);
        let add = |total: &mut *mut PyObject, term: *mut PyObject| -> R<()> {
            if term.is_null() {
                return Err(());
            }
            let t = crate::abstract_::PyNumber_Add(*total, term);
            decref(term);
            if t.is_null() {
                return Err(());
            }
            decref(*total);
            *total = t;
            Ok(())
        };
        let (mut int_on, mut int_used, mut int_total) = (true, false, 0i64);
        let (mut flt_on, mut flt_used, mut flt) = (true, false, (0.0f64, 0.0f64, 0.0f64));
        let result = (|| loop {
            let p = crate::abstract_::PyIter_Next(pit);
            if p.is_null() && crate::pyerrors::occurred() {
                return Err(());
            }
            let q = crate::abstract_::PyIter_Next(qit);
            if q.is_null() && crate::pyerrors::occurred() {
                xdecref(p);
                return Err(());
            }
            if p.is_null() != q.is_null() {
                xdecref(p);
                xdecref(q);
                return fail(&raw mut EXC_ValueError, "Inputs are not the same length");
            }
            let finished = p.is_null();
            let release = || {
                xdecref(p);
                xdecref(q);
            };
            let exact_int =
                |o: *mut PyObject| crate::object::ty(o) == &raw mut crate::longobject::PyLong_Type;
            let exact_float = |o: *mut PyObject| {
                crate::object::ty(o) == &raw mut crate::floatobject::PyFloat_Type
            };
            if int_on {
                if !finished && exact_int(p) && exact_int(q) {
                    let pv = crate::longobject::value_i128(p).and_then(|v| i64::try_from(v).ok());
                    let qv = crate::longobject::value_i128(q).and_then(|v| i64::try_from(v).ok());
                    if let (Some(x), Some(y)) = (pv, qv)
                        && let Some(prod) = x.checked_mul(y)
                        && let Some(t) = int_total.checked_add(prod)
                    {
                        int_total = t;
                        int_used = true;
                        release();
                        continue;
                    }
                }
                int_on = false;
                if int_used {
                    int_used = false;
                    if add(&mut total, crate::longobject::from_i64(int_total)).is_err() {
                        release();
                        return Err(());
                    }
                    int_total = 0;
                }
            }
            if flt_on {
                if !finished {
                    let pair = if exact_float(p) && exact_float(q) {
                        crate::floatobject::as_f64(p).zip(crate::floatobject::as_f64(q))
                    } else if exact_float(p) && (exact_int(q) || crate::boolobject::is_bool(q)) {
                        crate::floatobject::as_f64(p).zip(int_as_f64(q))
                    } else if exact_float(q) && (exact_int(p) || crate::boolobject::is_bool(p)) {
                        int_as_f64(p).zip(crate::floatobject::as_f64(q))
                    } else {
                        None
                    };
                    if let Some((x, y)) = pair {
                        let n = tl_fma(x, y, flt);
                        if n.0.is_finite() {
                            flt = n;
                            flt_used = true;
                            release();
                            continue;
                        }
                    }
                }
                flt_on = false;
                if flt_used {
                    flt_used = false;
                    if add(&mut total, float(tl_to_d(flt))).is_err() {
                        release();
                        return Err(());
                    }
                    flt = (0.0, 0.0, 0.0);
                }
            }
            if finished {
                return Ok(());
            }
            let term = crate::abstract_::PyNumber_Multiply(p, q);
            release();
            add(&mut total, term)?;
        })();
        match result {
            Ok(()) => Ok(total),
            Err(()) => {
                decref(total);
                Err(())
            }
        }
    }
}

fn tl_fma(x: f64, y: f64, t: (f64, f64, f64)) -> (f64, f64, f64) {
    let pr = dl_mul(x, y);
    let sm = dl_sum(t.0, pr.0);
    let r1 = dl_sum(t.1, pr.1);
    let r2 = dl_sum(r1.0, sm.1);
    (sm.0, r2.0, t.2 + r1.1 + r2.1)
}

fn tl_to_d(t: (f64, f64, f64)) -> f64 {
    let last = dl_sum(t.1, t.0);
    t.2 + last.1 + last.0
}

unsafe extern "C" fn m_isclose(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("math.isclose", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["a", "b", "rel_tol", "abs_tol"];
            let Some(o) = parse_kwonly("isclose", args, kw, &names, 0, 2, 2) else {
                return null_mut();
            };
            let Ok(a) = dbl(o[0]) else {
                return null_mut();
            };
            let Ok(b) = dbl(o[1]) else {
                return null_mut();
            };
            let rel = if o[2].is_null() { Ok(1e-9) } else { dbl(o[2]) };
            let abs = if o[3].is_null() { Ok(0.0) } else { dbl(o[3]) };
            let (Ok(rel), Ok(abs)) = (rel, abs) else {
                return null_mut();
            };
            if rel < 0.0 || abs < 0.0 {
                return raise(&raw mut EXC_ValueError, "tolerances must be non-negative");
            }
            if a == b {
                return crate::boolobject::from_bool(true);
            }
            if a.is_infinite() || b.is_infinite() {
                return crate::boolobject::from_bool(false);
            }
            let diff = (b - a).abs();
            crate::boolobject::from_bool(
                diff <= (rel * b).abs() || diff <= (rel * a).abs() || diff <= abs,
            )
        }
    })
}

unsafe extern "C" fn m_nextafter(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("math.nextafter", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["x", "y", "steps"];
            let Some(o) = parse_kwonly("nextafter", args, kw, &names, 2, 2, 2) else {
                return null_mut();
            };
            let (Ok(x), Ok(y)) = (dbl(o[0]), dbl(o[1])) else {
                return null_mut();
            };
            if o[2].is_null() || o[2] == crate::object::none() {
                return float(libm::nextafter(x, y));
            }
            let Ok(steps) = index(o[2]) else {
                return null_mut();
            };
            if steps.is_negative() {
                return raise(
                    &raw mut EXC_ValueError,
                    "steps must be a non-negative integer",
                );
            }
            let n = steps.to_u64().unwrap_or(u64::MAX);
            float(next_steps(x, y, n))
        }
    })
}

/// `x` moved `n` representable doubles toward `y` (stopping at `y`).
fn next_steps(x: f64, y: f64, n: u64) -> f64 {
    if n == 0 {
        return x;
    }
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return y;
    }
    let (ux, uy) = (x.to_bits(), y.to_bits());
    if ux == uy {
        return x;
    }
    const SIGN: u64 = 1 << 63;
    let (ax, ay) = (ux & !SIGN, uy & !SIGN);
    if (ux ^ uy) & SIGN != 0 {
        if ax + ay <= n {
            y
        } else if ax < n {
            f64::from_bits((uy & SIGN) | (n - ax))
        } else {
            f64::from_bits(ux - n)
        }
    } else if ax > ay {
        if ax - ay >= n {
            f64::from_bits(ux - n)
        } else {
            y
        }
    } else if ay - ax >= n {
        f64::from_bits(ux + n)
    } else {
        y
    }
}

unsafe extern "C" fn m_ulp(_m: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.ulp", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Ok(v) = (unsafe { dbl(x) }) else {
            return null_mut();
        };
        if v.is_nan() {
            return float(v);
        }
        let v = v.abs();
        if v.is_infinite() {
            return float(v);
        }
        let up = libm::nextafter(v, f64::INFINITY);
        if up.is_infinite() {
            let down = libm::nextafter(v, -f64::INFINITY);
            return float(v - down);
        }
        float(up - v)
    })
}

unsafe extern "C" fn m_fma(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("math.fma", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            let Ok(a) = positional("fma", args, 3, 3) else {
                return null_mut();
            };
            let (Ok(x), Ok(y), Ok(z)) = (dbl(a[0]), dbl(a[1]), dbl(a[2])) else {
                return null_mut();
            };
            let r = x.mul_add(y, z);
            if !r.is_finite() {
                if r.is_nan() {
                    if !x.is_nan() && !y.is_nan() && !z.is_nan() {
                        return raise(&raw mut EXC_ValueError, "invalid operation in fma");
                    }
                } else if x.is_finite() && y.is_finite() && z.is_finite() {
                    return raise(&raw mut EXC_OverflowError, "overflow in fma");
                }
            }
            float(r)
        }
    })
}

static mut FUNCTIONS: [PyMethodDef; 58] = [
    method(c"acos", m_acos as *mut c_void, METH_O),
    method(c"acosh", m_acosh as *mut c_void, METH_O),
    method(c"asin", m_asin as *mut c_void, METH_O),
    method(c"asinh", m_asinh as *mut c_void, METH_O),
    method(c"atan", m_atan as *mut c_void, METH_O),
    method(c"atan2", m_atan2 as *mut c_void, METH_VARARGS),
    method(c"atanh", m_atanh as *mut c_void, METH_O),
    method(c"cbrt", m_cbrt as *mut c_void, METH_O),
    method(c"ceil", m_ceil as *mut c_void, METH_O),
    method(c"comb", m_comb as *mut c_void, METH_VARARGS),
    method(c"copysign", m_copysign as *mut c_void, METH_VARARGS),
    method(c"cos", m_cos as *mut c_void, METH_O),
    method(c"cosh", m_cosh as *mut c_void, METH_O),
    method(c"degrees", m_degrees as *mut c_void, METH_O),
    method(c"dist", m_dist as *mut c_void, METH_VARARGS),
    method(c"erf", m_erf as *mut c_void, METH_O),
    method(c"erfc", m_erfc as *mut c_void, METH_O),
    method(c"exp", m_exp as *mut c_void, METH_O),
    method(c"exp2", m_exp2 as *mut c_void, METH_O),
    method(c"expm1", m_expm1 as *mut c_void, METH_O),
    method(c"fabs", m_fabs as *mut c_void, METH_O),
    method(c"factorial", m_factorial as *mut c_void, METH_O),
    method(c"floor", m_floor as *mut c_void, METH_O),
    method(c"fma", m_fma as *mut c_void, METH_VARARGS),
    method(c"fmod", m_fmod as *mut c_void, METH_VARARGS),
    method(c"frexp", m_frexp as *mut c_void, METH_O),
    method(c"fsum", m_fsum as *mut c_void, METH_O),
    method(c"gamma", m_gamma as *mut c_void, METH_O),
    method(c"gcd", m_gcd as *mut c_void, METH_VARARGS),
    method(c"hypot", m_hypot as *mut c_void, METH_VARARGS),
    method(
        c"isclose",
        m_isclose as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"isfinite", m_isfinite as *mut c_void, METH_O),
    method(c"isinf", m_isinf as *mut c_void, METH_O),
    method(c"isnan", m_isnan as *mut c_void, METH_O),
    method(c"isqrt", m_isqrt as *mut c_void, METH_O),
    method(c"lcm", m_lcm as *mut c_void, METH_VARARGS),
    method(c"ldexp", m_ldexp as *mut c_void, METH_VARARGS),
    method(c"lgamma", m_lgamma as *mut c_void, METH_O),
    method(c"log", m_log_fn as *mut c_void, METH_VARARGS),
    method(c"log10", m_log10_fn as *mut c_void, METH_O),
    method(c"log1p", m_log1p_fn as *mut c_void, METH_O),
    method(c"log2", m_log2_fn as *mut c_void, METH_O),
    method(c"modf", m_modf as *mut c_void, METH_O),
    method(
        c"nextafter",
        m_nextafter as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"perm", m_perm as *mut c_void, METH_VARARGS),
    method(c"pow", m_pow as *mut c_void, METH_VARARGS),
    method(c"prod", m_prod as *mut c_void, METH_VARARGS | METH_KEYWORDS),
    method(c"radians", m_radians as *mut c_void, METH_O),
    method(c"remainder", m_remainder as *mut c_void, METH_VARARGS),
    method(c"sin", m_sin as *mut c_void, METH_O),
    method(c"sinh", m_sinh as *mut c_void, METH_O),
    method(c"sqrt", m_sqrt as *mut c_void, METH_O),
    method(c"sumprod", m_sumprod as *mut c_void, METH_VARARGS),
    method(c"tan", m_tan as *mut c_void, METH_O),
    method(c"tanh", m_tanh as *mut c_void, METH_O),
    method(c"trunc", m_trunc as *mut c_void, METH_O),
    method(c"ulp", m_ulp as *mut c_void, METH_O),
    PyMethodDef::END,
];

/// The `math` module (a borrowed, process-lifetime reference; NULL with an exception if it
/// could not be made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "math", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("math");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
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
        for (k, v) in [
            ("pi", PI),
            ("e", std::f64::consts::E),
            ("tau", std::f64::consts::TAU),
            ("inf", f64::INFINITY),
            ("nan", f64::NAN),
        ] {
            let o = float(v);
            crate::dictobject::set_item_str(d, k, o);
            decref(o);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frexp_and_ldexp_agree_with_c() {
        for x in [
            1.0,
            0.1,
            -3.5,
            1e300,
            5e-324,
            2.2250738585072014e-308,
            1e-310,
        ] {
            let (m, e) = frexp(x);
            assert!((0.5..1.0).contains(&m.abs()), "{x}");
            assert_eq!(ldexp(m, e), x, "{x}");
        }
        assert_eq!(ldexp(1.0, -1074), 5e-324);
        assert_eq!(ldexp(1.0, -1075), 0.0);
        assert_eq!(ldexp(1.5, -1074), 1e-323);
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
    }

    #[test]
    fn steps_and_remainder() {
        assert_eq!(next_steps(0.0, 1.0, 1), 5e-324);
        assert_eq!(next_steps(1.0, -1.0, u64::MAX), -1.0);
        assert_eq!(remainder(5.0, 2.0), 1.0);
        assert_eq!(remainder(7.0, 2.0), -1.0);
        assert_eq!(remainder(3.0, 2.0), -1.0);
    }
}
