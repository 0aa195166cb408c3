//! The machine-integer fast paths of int arithmetic (values of up to two 30-bit digits kept
//! as `i64`, products in `i128`, floor division and modulo with Python's signs), through
//! `PyNumber_*` (which skips the slot dispatch for exact ints and floats) and through the
//! int slots, against values computed here with `i128` arithmetic. Operands straddle the
//! one-digit, two-digit and big-integer boundaries.

use gilgate_capi::ffi::PyNumber_Add;
use gilgate_capi::ffi::PyNumber_FloorDivide;
use gilgate_capi::ffi::PyNumber_Multiply;
use gilgate_capi::ffi::PyNumber_Remainder;
use gilgate_capi::ffi::PyNumber_Subtract;
use gilgate_capi::ffi::PyNumber_TrueDivide;
use gilgate_capi::ffi::PyNumberMethods;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::testing::floatobject as fl;
use gilgate_capi::testing::longobject as lo;

use gilgate_capi::host::decref;
use std::ffi::CString;
use std::ptr::null_mut;

/// An int built from its decimal text (the big-integer parser, independent of the fast
/// paths under test).
fn int(v: i128) -> *mut PyObject {
    let c = CString::new(v.to_string()).unwrap();
    // SAFETY: a NUL-terminated string.
    let o = unsafe { gilgate_capi::ffi::PyLong_FromString(c.as_ptr(), null_mut(), 10) };
    assert!(!o.is_null());
    o
}

fn value(o: *mut PyObject, what: &str) -> i128 {
    assert!(
        !o.is_null(),
        "{what}: NULL ({:?})",
        gilgate_capi::host::take_exception()
    );
    // SAFETY: a live object we own.
    unsafe {
        let v = lo::value_i128(o).unwrap_or_else(|| panic!("{what}: not an i128 int"));
        decref(o);
        v
    }
}

fn floor_div(x: i128, y: i128) -> (i128, i128) {
    let (mut d, mut m) = (x / y, x % y);
    if m != 0 && ((m < 0) != (y < 0)) {
        d -= 1;
        m += y;
    }
    (d, m)
}

type Slot = fn(&PyNumberMethods) -> gilgate_capi::ffi::binaryfunc;

fn via_slot(pick: Slot, a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live ints; int has every arithmetic slot.
    unsafe {
        let nb = &*(*gilgate_capi::testing::object::ty(a)).tp_as_number;
        pick(nb).unwrap()(a, b)
    }
}

#[test]
fn int_arithmetic_matches_i128() {
    gilgate_capi::host::initialize().unwrap();
    let mut vals: Vec<i128> = vec![0, 1, 3, 7, 256, 257, 1000003, 40_000_000_000];
    for b in [30, 31, 53, 59, 60, 61, 62, 63] {
        let p = 1i128 << b;
        vals.extend([p - 1, p, p + 1]);
    }
    let neg: Vec<i128> = vals.iter().map(|v| -v).collect();
    vals.extend(neg);
    for &x in &vals {
        for &y in &vals {
            let (a, b) = (int(x), int(y));
            let ctx = format!("{x} op {y}");
            // SAFETY: live operands.
            unsafe {
                assert_eq!(value(PyNumber_Add(a, b), &ctx), x + y, "{ctx} +");
                assert_eq!(value(PyNumber_Subtract(a, b), &ctx), x - y, "{ctx} -");
                assert_eq!(value(PyNumber_Multiply(a, b), &ctx), x * y, "{ctx} *");
                assert_eq!(value(via_slot(|m| m.nb_add, a, b), &ctx), x + y);
                assert_eq!(value(via_slot(|m| m.nb_subtract, a, b), &ctx), x - y);
                assert_eq!(value(via_slot(|m| m.nb_multiply, a, b), &ctx), x * y);
                if y == 0 {
                    type Op = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
                    let ops: [Op; 3] = [
                        PyNumber_FloorDivide,
                        PyNumber_Remainder,
                        PyNumber_TrueDivide,
                    ];
                    for op in ops {
                        assert!(op(a, b).is_null());
                        let e = gilgate_capi::host::take_exception().unwrap();
                        assert_eq!(e.type_name, "ZeroDivisionError");
                        assert_eq!(e.message, "division by zero");
                    }
                } else {
                    let (d, m) = floor_div(x, y);
                    assert_eq!(value(PyNumber_FloorDivide(a, b), &ctx), d, "{ctx} //");
                    assert_eq!(value(PyNumber_Remainder(a, b), &ctx), m, "{ctx} %");
                    assert_eq!(value(via_slot(|m| m.nb_floor_divide, a, b), &ctx), d);
                    assert_eq!(value(via_slot(|m| m.nb_remainder, a, b), &ctx), m);
                    // True division: exact operands below 2**53 divide as doubles; larger
                    // ones must still round once (checked against a few known cases below).
                    let q = PyNumber_TrueDivide(a, b);
                    assert!(!q.is_null());
                    if x.unsigned_abs() < 1 << 53 && y.unsigned_abs() < 1 << 53 {
                        assert_eq!(fl::value(q), x as f64 / y as f64, "{ctx} /");
                    }
                    decref(q);
                }
                decref(a);
                decref(b);
            }
        }
    }
}

#[test]
fn true_division_of_wide_ints_rounds_once() {
    gilgate_capi::host::initialize().unwrap();
    // Values below 2**60 (two digits) where dividing the rounded doubles would be off by
    // one ulp; CPython 3.11 prints these quotients.
    for (x, y, want) in [
        (665254580340503029i128, 888599i128, 748655558176.9763),
        (144958205352227900, 519502, 279033007288.1873),
        (446673754019253275, 827037, 540089202803.8084),
    ] {
        let (a, b) = (int(x), int(y));
        // SAFETY: live operands we own.
        unsafe {
            let q = PyNumber_TrueDivide(a, b);
            assert_eq!(fl::value(q), want, "{x} / {y}");
            decref(q);
            decref(a);
            decref(b);
        }
    }
}

#[test]
fn float_fast_paths() {
    gilgate_capi::host::initialize().unwrap();
    let f = |v: f64| gilgate_capi::ffi::PyFloat_FromDouble(v);
    // SAFETY: live operands; results are owned and released.
    unsafe {
        for (x, y) in [
            (1.5, 0.25),
            (-0.0, 0.5),
            (0.0, -0.5),
            (f64::INFINITY, 2.0),
            (f64::NAN, 1.0),
            (1e308, 10.0),
        ] {
            let (a, b) = (f(x), f(y));
            for (r, want) in [
                (PyNumber_Add(a, b), x + y),
                (PyNumber_Subtract(a, b), x - y),
                (PyNumber_Multiply(a, b), x * y),
                (PyNumber_TrueDivide(a, b), x / y),
            ] {
                let v = fl::value(r);
                assert!(v == want || (v.is_nan() && want.is_nan()));
                assert_eq!(v.is_sign_negative(), want.is_sign_negative());
                decref(r);
            }
            decref(a);
            decref(b);
        }
        let (a, z) = (f(1.0), f(0.0));
        assert!(PyNumber_TrueDivide(a, z).is_null());
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(
            (e.type_name.as_str(), e.message.as_str()),
            ("ZeroDivisionError", "division by zero")
        );
        decref(a);
        decref(z);
    }
}
