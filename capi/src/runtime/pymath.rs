//! The C math library, loaded the first time the runtime needs it.
//!
//! The runtime calls nine functions of `libm` (what Rust's `f64` methods compile to: `exp`,
//! `log`, `log2`, `pow`, `atan2`, `hypot`, `sin`, `cos`, and `sincos`, which an optimised
//! build makes of a sine and a cosine of one value).
//! Linked the usual way, `libm.so.6` is a `DT_NEEDED` library that the dynamic loader maps and
//! relocates at every start of every process, about 0.06 ms here, though most `gilgate`
//! processes (an `inspect` of a small wheel, the command that drives its workers) never
//! compute one of them. This file defines the nine names, so the linker binds the runtime's
//! calls here, and the binaries link no `libm` (the root `build.rs`); the first call opens
//! `libm.so.6` and every call goes on to the C library's own function, so results are glibc's,
//! bit for bit, as before.
//!
//! The definitions are not exported (the binaries export only the C API's names, `build.rs`):
//! an extension that needs `libm` still loads it and binds to it, and its `dlopen` then costs
//! this file nothing. Where a test binary exports every symbol (`-rdynamic`), an extension's
//! call may land here first: it is forwarded the same way.

use std::ffi::{CStr, c_void};
use std::sync::OnceLock;

/// The nine functions, as the C library defines them.
struct Libm {
    exp: unsafe extern "C" fn(f64) -> f64,
    log: unsafe extern "C" fn(f64) -> f64,
    log2: unsafe extern "C" fn(f64) -> f64,
    pow: unsafe extern "C" fn(f64, f64) -> f64,
    atan2: unsafe extern "C" fn(f64, f64) -> f64,
    hypot: unsafe extern "C" fn(f64, f64) -> f64,
    sin: unsafe extern "C" fn(f64) -> f64,
    cos: unsafe extern "C" fn(f64) -> f64,
    sincos: unsafe extern "C" fn(f64, *mut f64, *mut f64),
}

static LIBM: OnceLock<Libm> = OnceLock::new();

/// The math library, opened on the first call (a concurrent first call waits for it). A
/// process that cannot open the C library's own math library cannot compute at all: it stops
/// with a message.
fn libm() -> &'static Libm {
    LIBM.get_or_init(open)
}

#[cold]
fn open() -> Libm {
    // SAFETY: `dlopen` of a constant, NUL-terminated name; the handle is never closed, so
    // every pointer `dlsym` gives stays valid for the life of the process.
    let handle = unsafe { libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        fail(c"libm.so.6");
    }
    let sym = |name: &CStr| -> *mut c_void {
        // SAFETY: a live handle and a NUL-terminated name; the lookup is in `libm.so.6`'s own
        // scope, so it finds the C library's function, never the definitions below.
        let p = unsafe { libc::dlsym(handle, name.as_ptr()) };
        if p.is_null() {
            fail(name);
        }
        p
    };
    // SAFETY: each pointer is the named function of `libm.so.6`, whose C type is the one given
    // (C99 and glibc's `sincos`).
    unsafe {
        Libm {
            exp: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64) -> f64>(sym(c"exp")),
            log: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64) -> f64>(sym(c"log")),
            log2: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64) -> f64>(sym(
                c"log2",
            )),
            pow: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64, f64) -> f64>(sym(
                c"pow",
            )),
            atan2: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64, f64) -> f64>(sym(
                c"atan2",
            )),
            hypot: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64, f64) -> f64>(sym(
                c"hypot",
            )),
            sin: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64) -> f64>(sym(c"sin")),
            cos: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64) -> f64>(sym(c"cos")),
            sincos: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(f64, *mut f64, *mut f64)>(
                sym(c"sincos"),
            ),
        }
    }
}

/// Stops the process: the math library (or one of its functions) is missing.
fn fail(what: &CStr) -> ! {
    eprintln!(
        "gilgate: cannot load {} from the C math library",
        what.to_string_lossy()
    );
    std::process::abort()
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn exp(x: f64) -> f64 {
    // SAFETY: the C library's `exp`, called with its C signature.
    unsafe { (libm().exp)(x) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn log(x: f64) -> f64 {
    // SAFETY: the C library's `log`, called with its C signature.
    unsafe { (libm().log)(x) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn log2(x: f64) -> f64 {
    // SAFETY: the C library's `log2`, called with its C signature.
    unsafe { (libm().log2)(x) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn pow(x: f64, y: f64) -> f64 {
    // SAFETY: the C library's `pow`, called with its C signature.
    unsafe { (libm().pow)(x, y) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn atan2(y: f64, x: f64) -> f64 {
    // SAFETY: the C library's `atan2`, called with its C signature.
    unsafe { (libm().atan2)(y, x) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn hypot(x: f64, y: f64) -> f64 {
    // SAFETY: the C library's `hypot`, called with its C signature.
    unsafe { (libm().hypot)(x, y) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn sin(x: f64) -> f64 {
    // SAFETY: the C library's `sin`, called with its C signature.
    unsafe { (libm().sin)(x) }
}

#[unsafe(no_mangle)]
pub(crate) extern "C" fn cos(x: f64) -> f64 {
    // SAFETY: the C library's `cos`, called with its C signature.
    unsafe { (libm().cos)(x) }
}

/// # Safety
/// `sin` and `cos` must be valid for writing one `f64` each.
#[unsafe(no_mangle)]
pub(crate) unsafe extern "C" fn sincos(x: f64, sin: *mut f64, cos: *mut f64) {
    // SAFETY: the C library's `sincos`, with the caller's pointers (its contract).
    unsafe { (libm().sincos)(x, sin, cos) }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::{E, FRAC_PI_2, SQRT_2};

    // Each name reaches the C library's function of that name, with its arguments in order:
    // values whose results glibc gives exactly, and ones that tell the two arguments apart.
    #[test]
    fn each_name_is_the_c_librarys_function() {
        assert_eq!(super::exp(0.0), 1.0);
        assert_eq!(super::exp(1.0), E);
        assert_eq!(super::log(E), 1.0);
        assert!(super::log(-1.0).is_nan());
        assert_eq!(super::log(0.0), f64::NEG_INFINITY);
        assert_eq!(super::log2(8.0), 3.0);
        assert_eq!(super::log2(0.5), -1.0);
        assert_eq!(super::pow(2.0, 10.0), 1024.0);
        assert_eq!(super::pow(10.0, 2.0), 100.0);
        assert_eq!(super::pow(0.0, -1.0), f64::INFINITY);
        assert_eq!(super::atan2(1.0, 0.0), FRAC_PI_2);
        assert_eq!(super::atan2(0.0, 1.0), 0.0);
        assert_eq!(super::atan2(-0.0, -1.0), -std::f64::consts::PI);
        assert_eq!(super::hypot(3.0, 4.0), 5.0);
        assert_eq!(super::hypot(f64::NAN, f64::INFINITY), f64::INFINITY);
        let (mut s, mut c) = (0.0, 0.0);
        // SAFETY: two writable locals.
        unsafe { super::sincos(FRAC_PI_2, &mut s, &mut c) };
        assert_eq!((s, c), (1.0, 6.123233995736766e-17));
        assert_eq!(super::sin(FRAC_PI_2), 1.0);
        assert_eq!(super::cos(FRAC_PI_2), 6.123233995736766e-17);
        assert_eq!(super::sin(0.0), 0.0);
        assert_eq!(super::cos(0.0), 1.0);
    }

    // What Rust's `f64` methods compile to (calls of the C names) lands on the same functions.
    #[test]
    fn f64_methods_go_through_them() {
        let two = std::hint::black_box(2.0f64);
        assert_eq!(two.powf(0.5), SQRT_2);
        assert_eq!(two.powf(-1.0), 0.5);
        assert_eq!(two.ln().exp(), two);
        assert_eq!((two * 4.0).log2(), 3.0);
        assert_eq!(two.hypot(0.0), two);
        assert_eq!(two.atan2(0.0), FRAC_PI_2);
        assert_eq!(0.0f64.atan2(two), 0.0);
        let (s, c) = std::hint::black_box(0.0f64).sin_cos();
        assert_eq!((s, c), (0.0, 1.0));
    }
}
