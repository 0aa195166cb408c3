//! int, float, complex and bool: storage, the number slots, comparison, hash and repr.
//! Expected values were verified with CPython 3.11 (`python3 -c ...`) and the error texts again
//! with CPython 3.14.10 (the reference root of scripts/reference-cpython.sh, C probes of the same
//! calls); where 3.14 changed a message (ZeroDivisionError texts) the test asserts 3.14's and
//! names 3.11's.

use gilgate_capi::ffi::_Py_FalseStruct;
use gilgate_capi::ffi::_Py_NotImplementedStruct;
use gilgate_capi::ffi::_Py_TrueStruct;
use gilgate_capi::ffi::Py_EQ;
use gilgate_capi::ffi::Py_GE;
use gilgate_capi::ffi::Py_GT;
use gilgate_capi::ffi::Py_LT;
use gilgate_capi::ffi::Py_NE;
use gilgate_capi::ffi::Py_complex;
use gilgate_capi::ffi::PyBool_FromLong;
use gilgate_capi::ffi::PyBool_Type;
use gilgate_capi::ffi::PyComplex_FromDoubles;
use gilgate_capi::ffi::PyFloat_AsDouble;
use gilgate_capi::ffi::PyFloat_FromDouble;
use gilgate_capi::ffi::PyLong_Type;
use gilgate_capi::ffi::PyLongObject;
use gilgate_capi::ffi::PyNumberMethods;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::testing::longobject as lo;

use gilgate_capi::host::decref;
use std::ffi::{CString, c_int};
use std::ptr::null_mut;

fn init() {
    gilgate_capi::host::initialize().unwrap();
}

/// A new int parsed from decimal (or prefixed) text.
fn int(text: &str) -> *mut PyObject {
    let c = CString::new(text).unwrap();
    // SAFETY: a NUL-terminated string.
    let o = unsafe { gilgate_capi::ffi::PyLong_FromString(c.as_ptr(), null_mut(), 0) };
    assert!(
        !o.is_null(),
        "{text}: {:?}",
        gilgate_capi::host::take_exception()
    );
    o
}

fn small(v: i64) -> *mut PyObject {
    gilgate_capi::ffi::PyLong_FromLongLong(v)
}

fn float(v: f64) -> *mut PyObject {
    PyFloat_FromDouble(v)
}

fn complex(re: f64, im: f64) -> *mut PyObject {
    PyComplex_FromDoubles(re, im)
}

/// `repr(o)`, consuming `o`.
fn repr(o: *mut PyObject) -> String {
    assert!(
        !o.is_null(),
        "NULL result: {:?}",
        gilgate_capi::host::take_exception()
    );
    // SAFETY: a live object we own.
    unsafe {
        let r = gilgate_capi::testing::object::repr(o);
        assert!(
            !r.is_null(),
            "repr failed: {:?}",
            gilgate_capi::host::take_exception()
        );
        let s = gilgate_capi::testing::unicodeobject::as_str(r)
            .unwrap()
            .to_owned();
        decref(r);
        decref(o);
        s
    }
}

/// The pending exception as (type, message), which must be set.
fn err() -> (String, String) {
    let e = gilgate_capi::host::take_exception().expect("an exception");
    (e.type_name, e.message)
}

fn expect_err(o: *mut PyObject, ty: &str, msg: &str) {
    assert!(o.is_null(), "expected {ty}, got a value");
    assert_eq!(err(), (ty.to_string(), msg.to_string()));
}

fn nb(o: *mut PyObject) -> &'static PyNumberMethods {
    // SAFETY: a live object whose type has number slots.
    unsafe { &*(*gilgate_capi::testing::object::ty(o)).tp_as_number }
}

type Pick = fn(&PyNumberMethods) -> gilgate_capi::ffi::binaryfunc;

/// Binary operation through the slots: the left operand's, then the right one's if the
/// first returned NotImplemented (what `PyNumber_*` does). Consumes both operands.
fn bin(pick: Pick, a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    let ni: *mut PyObject = &raw mut _Py_NotImplementedStruct;
    let mut r = ni;
    for o in [a, b] {
        if let Some(f) = pick(nb(o)) {
            // SAFETY: live operands.
            r = unsafe { f(a, b) };
            if r != ni {
                break;
            }
        }
    }
    // SAFETY: we own the operands.
    unsafe {
        decref(a);
        decref(b);
    }
    assert!(r != ni, "both slots returned NotImplemented");
    r
}

fn add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_add, a, b)
}
fn sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_subtract, a, b)
}
fn mul(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_multiply, a, b)
}
fn truediv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_true_divide, a, b)
}
fn floordiv(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_floor_divide, a, b)
}
fn rem(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_remainder, a, b)
}
fn divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    bin(|n| n.nb_divmod, a, b)
}

fn pow3(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    let ni: *mut PyObject = &raw mut _Py_NotImplementedStruct;
    // SAFETY: live operands.
    unsafe {
        let mut r = nb(a).nb_power.unwrap()(a, b, m);
        if r == ni {
            r = nb(b).nb_power.unwrap()(a, b, m);
        }
        decref(a);
        decref(b);
        decref(m);
        r
    }
}

fn pow(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    pow3(a, b, gilgate_capi::testing::object::new_none())
}

fn unary(
    pick: fn(&PyNumberMethods) -> gilgate_capi::ffi::unaryfunc,
    a: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live operand we own.
    unsafe {
        let r = pick(nb(a)).unwrap()(a);
        decref(a);
        r
    }
}

/// `a op b` through `tp_richcompare` (left, then the reflected right), consuming both.
fn cmp(a: *mut PyObject, op: c_int, b: *mut PyObject) -> bool {
    let ni: *mut PyObject = &raw mut _Py_NotImplementedStruct;
    // The reflected operator: LT<->GT, LE<->GE.
    let swapped = [4, 5, 2, 3, 0, 1][op as usize];
    // SAFETY: live operands.
    unsafe {
        let mut r = (*gilgate_capi::testing::object::ty(a))
            .tp_richcompare
            .unwrap()(a, b, op);
        if r == ni {
            r = (*gilgate_capi::testing::object::ty(b))
                .tp_richcompare
                .unwrap()(b, a, swapped);
        }
        assert!(!r.is_null() && r != ni);
        let t = r == (&raw mut _Py_TrueStruct).cast();
        decref(a);
        decref(b);
        t
    }
}

fn hash(o: *mut PyObject) -> isize {
    // SAFETY: a live object we own.
    unsafe {
        let h = gilgate_capi::testing::object::hash(o);
        decref(o);
        h
    }
}

// ---- storage ------------------------------------------------------------------------------

fn tag_and_digits(o: *mut PyObject) -> (usize, Vec<u32>) {
    // SAFETY: a live int.
    unsafe {
        let l = o.cast::<PyLongObject>();
        let t = (*l).long_value.lv_tag;
        let d = (&raw const (*l).long_value.ob_digit).cast::<u32>();
        (t, (0..t >> 3).map(|i| *d.add(i)).collect())
    }
}

#[test]
fn int_layout_matches_cpython() {
    init();
    // 0: no digits, sign bits 1; 1 and -5: one digit; 2**30: two digits.
    assert_eq!(tag_and_digits(small(0)), (1, vec![]));
    assert_eq!(tag_and_digits(small(1)), (1 << 3, vec![1]));
    assert_eq!(tag_and_digits(small(-5)), (1 << 3 | 2, vec![5]));
    assert_eq!(tag_and_digits(small(1 << 30)), (2 << 3, vec![0, 1]));
    assert_eq!(
        tag_and_digits(small(-(1 << 60) - 7)),
        (3 << 3 | 2, vec![7, 0, 1])
    );
    // 2**200 = digit 20 of 30 bits has bit 20 set (200 = 6*30 + 20).
    let (t, d) = tag_and_digits(int(
        "1606938044258990275541962092341162602522202993782792835301376",
    ));
    assert_eq!(t, 7 << 3);
    assert_eq!(d, vec![0, 0, 0, 0, 0, 0, 1 << 20]);
    // 2**64 - 1: 64 one bits = 30 + 30 + 4.
    let o = gilgate_capi::ffi::PyLong_FromUnsignedLongLong(u64::MAX);
    assert_eq!(
        tag_and_digits(o),
        (3 << 3, vec![(1 << 30) - 1, (1 << 30) - 1, 15])
    );
    assert_eq!(repr(o), "18446744073709551615");
    // bools are PyLongObjects of type bool.
    assert_eq!(
        tag_and_digits((&raw mut _Py_TrueStruct).cast()),
        (1 << 3, vec![1])
    );
    assert_eq!(
        tag_and_digits((&raw mut _Py_FalseStruct).cast()),
        (1, vec![])
    );
    assert_eq!(std::mem::size_of::<PyLongObject>(), 48);
    assert_eq!(
        std::mem::size_of::<gilgate_capi::ffi::PyComplexObject>(),
        48
    );
    assert_eq!(std::mem::size_of::<gilgate_capi::ffi::PyFloatObject>(), 40);
    // SAFETY: reading static type fields.
    unsafe {
        let (l, b) = (&raw const PyLong_Type, &raw const PyBool_Type);
        assert_eq!(((*l).tp_basicsize, (*l).tp_itemsize), (40, 4));
        assert_eq!((*b).tp_base, &raw mut PyLong_Type);
    }
}

#[test]
fn small_ints_are_cached_and_immortal() {
    init();
    assert_eq!(small(-5), small(-5));
    assert_eq!(small(256), gilgate_capi::ffi::PyLong_FromLong(256));
    assert_eq!(add(small(200), small(56)), small(256));
    let (a, b) = (small(257), small(257));
    assert_ne!(a, b);
    // SAFETY: live objects.
    unsafe {
        assert!(gilgate_capi::testing::refcount::is_immortal(small(7)));
        assert!(!gilgate_capi::testing::refcount::is_immortal(a));
        decref(a);
        decref(b);
    }
}

// ---- int arithmetic -----------------------------------------------------------------------

#[test]
fn int_floor_division_and_modulo() {
    init();
    for (a, b, q, r) in [
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (7, 2, 3, 1),
        (-7, -2, 3, -1),
        (0, 5, 0, 0),
    ] {
        assert_eq!(
            repr(floordiv(small(a), small(b))),
            q.to_string(),
            "{a}//{b}"
        );
        assert_eq!(repr(rem(small(a), small(b))), r.to_string(), "{a}%{b}");
        assert_eq!(repr(divmod(small(a), small(b))), format!("({q}, {r})"));
    }
    let big = int("-1180591620717411303424"); // -(2**70)
    assert_eq!(repr(floordiv(big, small(3))), "-393530540239137101142");
    assert_eq!(repr(rem(int("-1180591620717411303424"), small(3))), "2");
    assert_eq!(
        repr(divmod(int("1180591620717411303424"), small(-7))),
        "(-168655945816773043347, -5)"
    );
    // CPython 3.14: "division by zero" (3.11: "integer division or modulo by zero").
    for f in [floordiv, rem, divmod, truediv] {
        expect_err(
            f(small(1), small(0)),
            "ZeroDivisionError",
            "division by zero",
        );
    }
    expect_err(
        floordiv(int("1180591620717411303424"), small(0)),
        "ZeroDivisionError",
        "division by zero",
    );
}

#[test]
fn int_add_sub_mul_overflow_to_big() {
    init();
    assert_eq!(
        repr(mul(small(1 << 62), small(1 << 62))),
        "21267647932558653966460912964485513216"
    );
    assert_eq!(
        repr(mul(
            int("18446744073709551616"),
            int("18446744073709551616")
        )),
        "340282366920938463463374607431768211456"
    );
    assert_eq!(
        repr(sub(
            int("100000000000000000000"),
            int("1000000000000000000000")
        )),
        "-900000000000000000000"
    );
    assert_eq!(repr(add(small(i64::MAX), small(1))), "9223372036854775808");
    // A big result shrinking back to a compact (cached) int.
    assert_eq!(
        add(int("18446744073709551616"), int("-18446744073709551615")),
        small(1)
    );
}

#[test]
fn int_true_division() {
    init();
    assert_eq!(repr(truediv(small(7), small(2))), "3.5");
    assert_eq!(repr(truediv(small(-7), small(2))), "-3.5");
    assert_eq!(repr(truediv(small(1), small(3))), "0.3333333333333333");
    assert_eq!(
        repr(truediv(int("1000000000000000000000000000000"), small(7))),
        "1.4285714285714285e+29"
    );
    assert_eq!(
        repr(truediv(int("10000000000000000000000"), small(1000))),
        "1e+19"
    );
    // (2**1100) / (3**600), correctly rounded.
    let a = pow(small(2), small(1100));
    let b = pow(small(3), small(600));
    assert_eq!(repr(truediv(a, b)), "7.24840412057269e+44");
    let huge = pow(small(10), small(400));
    expect_err(
        truediv(huge, small(3)),
        "OverflowError",
        "integer division result too large for a float",
    );
}

#[test]
fn int_power() {
    init();
    assert_eq!(
        repr(pow(small(2), small(100))),
        "1267650600228229401496703205376"
    );
    assert_eq!(
        repr(pow(small(2), small(200))),
        "1606938044258990275541962092341162602522202993782792835301376"
    );
    assert_eq!(repr(pow(small(2), small(-1))), "0.5");
    assert_eq!(repr(pow(small(3), small(-2))), "0.1111111111111111");
    assert_eq!(repr(pow(small(-3), small(3))), "-27");
    assert_eq!(repr(pow3(small(3), small(-1), small(7))), "5");
    assert_eq!(repr(pow3(small(3), small(1), small(-7))), "-4");
    assert_eq!(
        repr(pow3(small(-3), small(101), pow(small(2), small(70)))),
        "562356190747899184269"
    );
    assert_eq!(
        repr(pow3(small(12345), small(-1), int("2305843009213693951"))),
        "2288845705541077819"
    );
    expect_err(
        pow3(small(2), small(-1), small(4)),
        "ValueError",
        "base is not invertible for the given modulus",
    );
    expect_err(
        pow3(small(2), small(3), small(0)),
        "ValueError",
        "pow() 3rd argument cannot be 0",
    );
    expect_err(
        pow(small(0), small(-1)),
        "ZeroDivisionError",
        "zero to a negative power", // 3.11: "0.0 cannot be raised to a negative power"
    );
}

#[test]
fn int_unary_shift_and_bitwise() {
    init();
    let neg = |p| unary(|n| n.nb_negative, p);
    let inv = |p| unary(|n| n.nb_invert, p);
    let abs = |p| unary(|n| n.nb_absolute, p);
    assert_eq!(repr(neg(small(5))), "-5");
    assert_eq!(
        repr(inv(int("1180591620717411303424"))),
        "-1180591620717411303425"
    );
    assert_eq!(
        repr(abs(int("-1180591620717411303424"))),
        "1180591620717411303424"
    );
    let lshift = |a, b| bin(|n| n.nb_lshift, a, b);
    let rshift = |a, b| bin(|n| n.nb_rshift, a, b);
    assert_eq!(
        repr(lshift(small(1), small(100))),
        "1267650600228229401496703205376"
    );
    assert_eq!(
        repr(rshift(int("-1180591620717411303424"), small(3))),
        "-147573952589676412928"
    );
    assert_eq!(repr(rshift(small(-1), small(1000))), "-1");
    assert_eq!(repr(rshift(small(-7), small(1))), "-4");
    expect_err(
        lshift(small(1), small(-1)),
        "ValueError",
        "negative shift count",
    );
    expect_err(
        rshift(small(1), small(-1)),
        "ValueError",
        "negative shift count",
    );
    expect_err(
        lshift(small(1), pow(small(2), small(70))),
        "OverflowError",
        "too many digits in integer",
    );
    let and = |a, b| bin(|n| n.nb_and, a, b);
    let or = |a, b| bin(|n| n.nb_or, a, b);
    let xor = |a, b| bin(|n| n.nb_xor, a, b);
    assert_eq!(
        repr(and(int("-1180591620717411303424"), small(0xffff))),
        "0"
    );
    assert_eq!(repr(and(small(-1), small(0xff))), "255");
    assert_eq!(repr(or(small(-8), small(3))), "-5");
    assert_eq!(
        repr(xor(int("1180591620717411303424"), small(1))),
        "1180591620717411303425"
    );
}

#[test]
fn int_richcompare_hash_and_repr() {
    init();
    assert!(cmp(small(1), Py_LT, small(2)));
    assert!(cmp(int("-1180591620717411303424"), Py_LT, small(-1)));
    assert!(cmp(
        pow(small(2), small(70)),
        Py_EQ,
        int("1180591620717411303424")
    ));
    assert!(cmp(
        pow(small(2), small(70)),
        Py_NE,
        int("1180591620717411303425")
    ));
    assert_eq!(hash(pow(small(2), small(61))), 1);
    assert_eq!(hash(small(-1)), -2);
    assert_eq!(hash(small(-2)), -2);
    assert_eq!(hash(sub(small(1), pow(small(2), small(61)))), 0);
    assert_eq!(hash(pow(small(2), small(200))), 131072);
    assert_eq!(
        hash(unary(|n| n.nb_negative, pow(small(2), small(100)))),
        -549755813888
    );
    assert_eq!(
        repr(int(
            "-369988485035126972924700782451696644186473100389722973815184405301748249"
        )),
        "-369988485035126972924700782451696644186473100389722973815184405301748249"
    );
    // The 4300-digit limit on int -> str.
    let big = pow(small(10), small(5000));
    // SAFETY: a live object.
    let r = unsafe { gilgate_capi::testing::object::repr(big) };
    assert!(r.is_null());
    assert_eq!(
        err(),
        (
            "ValueError".into(),
            "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit".into()
        )
    );
}

// ---- int conversions ----------------------------------------------------------------------

#[test]
fn int_from_string() {
    init();
    let parse = |s: &str, base: c_int| {
        let c = CString::new(s).unwrap();
        let mut end: *mut std::ffi::c_char = null_mut();
        // SAFETY: a NUL-terminated string and a writable end pointer.
        let o = unsafe { gilgate_capi::ffi::PyLong_FromString(c.as_ptr(), &mut end, base) };
        if !o.is_null() {
            // SAFETY: `end` points into `c`.
            assert_eq!(unsafe { end.offset_from(c.as_ptr()) } as usize, s.len());
        }
        o
    };
    assert_eq!(repr(parse("-0x1f", 0)), "-31");
    assert_eq!(repr(parse("0x1f", 16)), "31");
    assert_eq!(repr(parse("0o17", 0)), "15");
    assert_eq!(repr(parse("-0b101", 0)), "-5");
    assert_eq!(repr(parse(" 1_000 ", 10)), "1000");
    assert_eq!(repr(parse("z", 36)), "35");
    assert_eq!(repr(parse("000", 0)), "0");
    assert_eq!(
        repr(parse("123456789012345678901234567890", 10)),
        "123456789012345678901234567890"
    );
    expect_err(
        parse("010", 0),
        "ValueError",
        "invalid literal for int() with base 0: '010'",
    );
    expect_err(
        parse("abc", 10),
        "ValueError",
        "invalid literal for int() with base 10: 'abc'",
    );
    expect_err(
        parse("1__0", 10),
        "ValueError",
        "invalid literal for int() with base 10: '1__0'",
    );
    expect_err(
        parse("12", 1),
        "ValueError",
        "int() arg 2 must be >= 2 and <= 36",
    );
    expect_err(
        parse(&"1".repeat(5000), 10),
        "ValueError",
        "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit",
    );
    let u = gilgate_capi::testing::unicodeobject::from_str("-12345678901234567890");
    assert_eq!(
        // SAFETY: a live str.
        repr(unsafe { gilgate_capi::ffi::PyLong_FromUnicodeObject(u, 10) }),
        "-12345678901234567890"
    );
}

#[test]
fn int_to_c_conversions() {
    init();
    let big = pow(small(2), small(70));
    // SAFETY: live objects throughout.
    unsafe {
        assert_eq!(gilgate_capi::ffi::PyLong_AsLong(big), -1);
        assert_eq!(err().1, "Python int too large to convert to C long");
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsUnsignedLong(small(-1)),
            u64::MAX
        );
        assert_eq!(
            err(),
            (
                "OverflowError".into(),
                "can't convert negative value to unsigned int".into()
            )
        );
        assert_eq!(gilgate_capi::ffi::PyLong_AsSize_t(small(-1)), usize::MAX);
        assert_eq!(err().1, "can't convert negative value to size_t");
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsUnsignedLongLong(small(-1)),
            u64::MAX
        );
        assert_eq!(err().1, "can't convert negative int to unsigned");
        assert_eq!(gilgate_capi::ffi::PyLong_AsUnsignedLongLong(big), u64::MAX);
        assert_eq!(err().1, "int too big to convert");

        assert_eq!(
            gilgate_capi::ffi::PyLong_AsUnsignedLongMask(small(-1)),
            u64::MAX
        );
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsUnsignedLongMask(add(small(2), pow(small(2), small(64)))),
            2
        );
        let f = float(1.5);
        assert_eq!(gilgate_capi::ffi::PyLong_AsLong(f), -1);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "'float' object cannot be interpreted as an integer".into()
            )
        );
        assert_eq!(gilgate_capi::ffi::PyLong_AsDouble(small(3)), 3.0);
        let huge = pow(small(2), small(1100));
        assert_eq!(gilgate_capi::ffi::PyLong_AsDouble(huge), -1.0);
        assert_eq!(
            err(),
            (
                "OverflowError".into(),
                "int too large to convert to float".into()
            )
        );
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsDouble(pow(small(2), small(1000))),
            2f64.powi(1000)
        );
        let mut of = 0;
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsLongLongAndOverflow(unary(|n| n.nb_negative, big), &mut of),
            -1
        );
        assert_eq!(of, -1);
        assert!(gilgate_capi::host::take_exception().is_none());
        let mut sign = 5;
        assert_eq!(gilgate_capi::ffi::PyLong_GetSign(small(-9), &mut sign), 0);
        assert_eq!(sign, -1);
        assert_eq!(gilgate_capi::ffi::PyLong_IsZero(small(0)), 1);
        assert_eq!(gilgate_capi::ffi::PyLong_IsPositive(small(0)), 0);
        assert_eq!(gilgate_capi::ffi::PyLong_IsNegative(small(-3)), 1);
        assert_eq!(gilgate_capi::ffi::PyLong_IsNegative(f), -1);
        assert_eq!(
            err(),
            ("TypeError".into(), "expected int, got float".into())
        );
        assert_eq!(gilgate_capi::ffi::_PyLong_NumBits(small(255)), 8);
        assert_eq!(
            gilgate_capi::ffi::_PyLong_NumBits(pow(small(2), small(100))),
            101
        );
        let p = 0xdead_beef_usize as *mut std::ffi::c_void;
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsVoidPtr(gilgate_capi::ffi::PyLong_FromVoidPtr(p)),
            p
        );
        assert_eq!(
            repr(gilgate_capi::ffi::PyLong_FromDouble(-1e20)),
            "-100000000000000000000"
        );
        assert_eq!(repr(gilgate_capi::ffi::PyLong_FromDouble(-2.9)), "-2");
        expect_err(
            gilgate_capi::ffi::PyLong_FromDouble(f64::NAN),
            "ValueError",
            "cannot convert float NaN to integer",
        );
        expect_err(
            gilgate_capi::ffi::PyLong_FromDouble(f64::INFINITY),
            "OverflowError",
            "cannot convert float infinity to integer",
        );
        decref(f);
    }
}

#[test]
fn native_bytes() {
    init();
    // SAFETY: buffers of the given sizes.
    unsafe {
        let two64 = pow(small(2), small(64));
        let mut buf = [0u8; 9];
        // (2**64).to_bytes(9, 'little') == 000000000000000001
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsNativeBytes(two64, buf.as_mut_ptr().cast(), 9, 1),
            9
        );
        assert_eq!(buf, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
        // Unsigned buffer: 8 bytes suffice for 2**64 - 1 but not as signed.
        let m = gilgate_capi::ffi::PyLong_FromUnsignedLongLong(u64::MAX);
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsNativeBytes(m, null_mut(), 0, 1),
            9
        );
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsNativeBytes(m, null_mut(), 0, 1 | 4),
            8
        );
        let neg = unary(|n| n.nb_negative, two64);
        let mut buf = [0u8; 9];
        assert_eq!(
            gilgate_capi::ffi::PyLong_AsNativeBytes(neg, buf.as_mut_ptr().cast(), 9, 0),
            9
        );
        // Big endian: -(2**64) = ff 00*8.
        assert_eq!(buf, [0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
        let back = gilgate_capi::ffi::PyLong_FromNativeBytes(buf.as_ptr().cast(), 9, 0);
        assert_eq!(repr(back), "-18446744073709551616");
        let ff = [0xffu8];
        assert_eq!(
            repr(gilgate_capi::ffi::PyLong_FromNativeBytes(
                ff.as_ptr().cast(),
                1,
                -1
            )),
            "-1"
        );
        assert_eq!(
            repr(gilgate_capi::ffi::PyLong_FromUnsignedNativeBytes(
                ff.as_ptr().cast(),
                1,
                -1
            )),
            "255"
        );
        decref(m);
        decref(neg);
    }
}

// ---- bool ---------------------------------------------------------------------------------

#[test]
fn bool_behaves_as_int_subclass() {
    init();
    let t = PyBool_FromLong(7);
    let f = PyBool_FromLong(0);
    assert_eq!(t, (&raw mut _Py_TrueStruct).cast());
    assert_eq!(repr(t), "True");
    assert_eq!(repr(f), "False");
    let and = |a, b| bin(|n| n.nb_and, a, b);
    let or = |a, b| bin(|n| n.nb_or, a, b);
    let xor = |a, b| bin(|n| n.nb_xor, a, b);
    assert_eq!(repr(and(PyBool_FromLong(1), PyBool_FromLong(1))), "True");
    assert_eq!(repr(xor(PyBool_FromLong(1), PyBool_FromLong(1))), "False");
    assert_eq!(repr(or(PyBool_FromLong(1), small(2))), "3");
    assert_eq!(repr(add(PyBool_FromLong(1), PyBool_FromLong(1))), "2");
    assert_eq!(repr(unary(|n| n.nb_invert, PyBool_FromLong(1))), "-2");
    assert_eq!(repr(unary(|n| n.nb_negative, PyBool_FromLong(1))), "-1");
    assert_eq!(repr(unary(|n| n.nb_positive, PyBool_FromLong(1))), "1");
    assert_eq!(hash(PyBool_FromLong(1)), 1);
    assert!(cmp(PyBool_FromLong(1), Py_EQ, small(1)));
    assert!(cmp(PyBool_FromLong(1), Py_EQ, float(1.0)));
}

// ---- float --------------------------------------------------------------------------------

#[test]
fn float_reprs() {
    init();
    for (v, s) in [
        (1e16, "1e+16"),
        (0.1, "0.1"),
        (1.0, "1.0"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
        (-0.0, "-0.0"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (123456789012345.0, "123456789012345.0"),
        (1.2345678901234567e16, "1.2345678901234568e+16"),
        (1e22, "1e+22"),
        (1e-7, "1e-07"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (3f64.sqrt(), "1.7320508075688772"),
    ] {
        assert_eq!(repr(float(v)), s);
    }
}

#[test]
fn float_arithmetic() {
    init();
    assert_eq!(repr(divmod(float(-7.5), small(2))), "(-4.0, 0.5)");
    assert_eq!(repr(divmod(float(7.5), small(-2))), "(-4.0, -0.5)");
    assert_eq!(repr(floordiv(float(-7.5), small(2))), "-4.0");
    assert_eq!(repr(rem(float(7.5), small(-2))), "-0.5");
    assert_eq!(repr(rem(float(-0.0), small(5))), "0.0");
    assert_eq!(repr(rem(float(0.0), small(-5))), "-0.0");
    assert_eq!(repr(rem(float(-1.0), float(f64::INFINITY))), "inf");
    assert_eq!(repr(floordiv(float(-1.0), float(f64::INFINITY))), "-1.0");
    assert_eq!(repr(add(small(1), float(0.5))), "1.5");
    assert_eq!(repr(mul(float(1e308), small(10))), "inf");
    assert_eq!(repr(truediv(small(1), float(3.0))), "0.3333333333333333");
    // CPython 3.14: "division by zero" (3.11: "float division by zero",
    // "float floor division by zero", "float modulo", "float divmod()").
    for f in [truediv, floordiv, rem, divmod] {
        expect_err(
            f(float(1.0), small(0)),
            "ZeroDivisionError",
            "division by zero",
        );
    }
    expect_err(
        add(float(1.0), pow(small(10), small(400))),
        "OverflowError",
        "int too large to convert to float",
    );
    assert_eq!(repr(pow(float(2.0), small(-1074))), "5e-324");
    assert_eq!(repr(pow(float(2.0), float(0.5))), "1.4142135623730951");
    assert_eq!(repr(pow(float(f64::NAN), small(0))), "1.0");
    assert_eq!(
        repr(pow(float(-8.0), truediv(small(1), small(3)))),
        "(1.0000000000000002+1.7320508075688772j)"
    );
    expect_err(
        pow(float(0.0), float(-1.5)),
        "ZeroDivisionError",
        "zero to a negative power", // 3.11: "0.0 cannot be raised to a negative power"
    );
    expect_err(
        pow(float(10.0), small(400)),
        "OverflowError",
        "(34, 'Numerical result out of range')",
    );
    expect_err(
        pow3(float(2.0), small(3), small(5)),
        "TypeError",
        "pow() 3rd argument not allowed unless all arguments are integers",
    );
    assert_eq!(repr(unary(|n| n.nb_int, float(-3.99))), "-3");
    assert_eq!(repr(unary(|n| n.nb_float, small(7))), "7.0");
}

#[test]
fn float_int_comparison_is_exact() {
    init();
    let p1000 = || pow(small(2), small(1000));
    let f1000 = || pow(float(2.0), small(1000));
    assert!(cmp(p1000(), Py_EQ, f1000()));
    assert!(cmp(add(p1000(), small(1)), Py_GT, f1000()));
    assert!(cmp(f1000(), Py_LT, add(p1000(), small(1))));
    let p53 = pow(small(2), small(53));
    assert!(!cmp(add(p53, small(1)), Py_EQ, float(9007199254740992.0)));
    assert!(cmp(float(2.5), Py_GT, small(2)));
    assert!(cmp(float(-2.5), Py_LT, small(-2)));
    assert!(cmp(float(f64::INFINITY), Py_GT, pow(small(10), small(400))));
    assert!(!cmp(float(f64::NAN), Py_EQ, small(0)));
    assert!(cmp(float(f64::NAN), Py_NE, small(0)));
    assert!(!cmp(float(f64::NAN), Py_GE, float(f64::NAN)));
}

#[test]
fn float_hash() {
    init();
    assert_eq!(hash(float(1.5)), 1152921504606846977);
    assert_eq!(hash(float(-1.5)), -1152921504606846977);
    assert_eq!(hash(float(0.1)), 230584300921369408);
    assert_eq!(hash(float(-2.5e-10)), -699647011998930896);
    assert_eq!(hash(float(1e100)), 1822893315824342674);
    assert_eq!(hash(float(1e-300)), 482449582752280463);
    assert_eq!(hash(float(f64::INFINITY)), 314159);
    assert_eq!(hash(float(f64::NEG_INFINITY)), -314159);
    assert_eq!(hash(float(-1.0)), -2);
    // Integral floats hash like the equal int.
    assert_eq!(hash(pow(float(2.0), small(80))), 524288);
    assert_eq!(hash(pow(small(2), small(80))), 524288);
    // NaN hashes by identity: two NaN objects differ.
    let (a, b) = (float(f64::NAN), float(f64::NAN));
    // SAFETY: live objects.
    unsafe {
        assert_ne!(
            gilgate_capi::testing::object::hash(a),
            gilgate_capi::testing::object::hash(b)
        );
        decref(a);
        decref(b);
    }
}

#[test]
fn float_api() {
    init();
    // SAFETY: live objects.
    unsafe {
        let s = |t: &str| {
            gilgate_capi::ffi::PyFloat_FromString(gilgate_capi::testing::unicodeobject::from_str(t))
        };
        assert_eq!(repr(s(" 1_0.5 ")), "10.5");
        assert_eq!(repr(s("-Infinity")), "-inf");
        assert_eq!(repr(s("nan")), "nan");
        assert_eq!(repr(s("1e-5")), "1e-05");
        assert_eq!(repr(s(".5")), "0.5");
        for bad in ["1__0", "_1", "1_", "0x10", "", "abc"] {
            expect_err(
                s(bad),
                "ValueError",
                &format!("could not convert string to float: '{bad}'"),
            );
        }
        assert_eq!(PyFloat_AsDouble(small(3)), 3.0);
        assert_eq!(gilgate_capi::ffi::PyFloat_GetMax(), f64::MAX);
        assert_eq!(gilgate_capi::ffi::PyFloat_GetMin(), f64::MIN_POSITIVE);
        let mut b = [0u8; 8];
        assert_eq!(gilgate_capi::ffi::PyFloat_Pack8(1.5, b.as_mut_ptr(), 1), 0);
        assert_eq!(gilgate_capi::ffi::PyFloat_Unpack8(b.as_ptr(), 1), 1.5);
        let mut b = [0u8; 4];
        assert_eq!(
            gilgate_capi::ffi::PyFloat_Pack4(-0.25, b.as_mut_ptr(), 0),
            0
        );
        assert_eq!(b, (-0.25f32).to_be_bytes());
        assert_eq!(gilgate_capi::ffi::PyFloat_Unpack4(b.as_ptr(), 0), -0.25);
    }
}

// ---- complex ------------------------------------------------------------------------------

#[test]
fn complex_repr_and_arithmetic() {
    init();
    assert_eq!(repr(complex(1.0, 2.0)), "(1+2j)");
    assert_eq!(repr(complex(0.0, 1.0)), "1j");
    assert_eq!(repr(complex(-0.0, -1.0)), "(-0-1j)");
    assert_eq!(repr(complex(0.0, -0.0)), "-0j");
    assert_eq!(repr(complex(f64::INFINITY, 0.0)), "(inf+0j)");
    assert_eq!(repr(complex(0.0, f64::INFINITY)), "infj");
    assert_eq!(repr(complex(1e16, 1e-5)), "(1e+16+1e-05j)");
    assert_eq!(
        repr(truediv(complex(1.0, 2.0), complex(3.0, -4.0))),
        "(-0.2+0.4j)"
    );
    assert_eq!(repr(pow(complex(1.0, 2.0), small(2))), "(-3+4j)");
    assert_eq!(
        repr(pow(complex(1.0, 2.0), float(0.5))),
        "(1.272019649514069+0.7861513777574233j)"
    );
    assert_eq!(repr(pow(complex(1.0, 1.0), small(-2))), "-0.5j");
    assert_eq!(
        repr(pow(complex(0.0, 2.0), float(0.5))),
        "(1.0000000000000002+1j)"
    );
    assert_eq!(repr(add(small(1), complex(0.0, 1.0))), "(1+1j)");
    assert_eq!(repr(mul(float(2.0), complex(1.0, -1.0))), "(2-2j)");
    assert_eq!(repr(unary(|n| n.nb_absolute, complex(3.0, 4.0))), "5.0");
    // CPython 3.14: "division by zero" (3.11: "complex division by zero").
    expect_err(
        truediv(complex(1.0, 1.0), small(0)),
        "ZeroDivisionError",
        "division by zero",
    );
    expect_err(
        pow(complex(0.0, 0.0), small(-1)),
        "ZeroDivisionError",
        "zero to a negative or complex power", // 3.11: "0.0 to a negative or complex power"
    );
    expect_err(
        pow(complex(1e200, 1e200), small(1000)),
        "OverflowError",
        "complex exponentiation",
    );
    assert_eq!(hash(complex(1.0, 2.0)), 2000007);
    assert_eq!(hash(complex(0.0, -1.0)), -2000006);
    assert!(cmp(complex(1.0, 0.0), Py_EQ, small(1)));
    assert!(cmp(complex(1.0, 0.0), Py_EQ, float(1.0)));
    assert!(!cmp(
        complex(2f64.powi(60), 0.0),
        Py_EQ,
        add(pow(small(2), small(60)), small(1))
    ));
    // Ordering comparisons are NotImplemented.
    let (a, b) = (complex(1.0, 2.0), complex(1.0, 2.0));
    // SAFETY: live objects.
    unsafe {
        let r = (*gilgate_capi::testing::object::ty(a))
            .tp_richcompare
            .unwrap()(a, b, Py_LT);
        assert_eq!(r, (&raw mut _Py_NotImplementedStruct).cast());
        decref(a);
        decref(b);
    }
    // SAFETY: live objects.
    unsafe {
        let z = complex(1.5, -2.5);
        assert_eq!(gilgate_capi::ffi::PyComplex_RealAsDouble(z), 1.5);
        assert_eq!(gilgate_capi::ffi::PyComplex_ImagAsDouble(z), -2.5);
        assert_eq!(
            gilgate_capi::ffi::PyComplex_AsCComplex(z),
            Py_complex {
                real: 1.5,
                imag: -2.5
            }
        );
        assert_eq!(
            gilgate_capi::ffi::PyComplex_AsCComplex(small(4)),
            Py_complex {
                real: 4.0,
                imag: 0.0
            }
        );
        decref(z);
        assert_eq!(
            repr(gilgate_capi::ffi::PyComplex_FromCComplex(Py_complex {
                real: -1.0,
                imag: 0.5
            })),
            "(-1+0.5j)"
        );
    }
}

// ---- 3.14 export/writer API and helpers ---------------------------------------------------

#[test]
fn export_and_writer_round_trip() {
    init();
    // SAFETY: live objects and valid out-parameters throughout.
    unsafe {
        let layout = &*gilgate_capi::ffi::PyLong_GetNativeLayout();
        assert_eq!(
            (
                layout.bits_per_digit,
                layout.digit_size,
                layout.digits_order,
                layout.digit_endianness
            ),
            (30, 4, -1, -1)
        );
        let mut e = std::mem::zeroed::<gilgate_capi::ffi::PyLongExport>();
        let v = small(-123456789012);
        assert_eq!(gilgate_capi::ffi::PyLong_Export(v, &mut e), 0);
        assert_eq!((e.value, e.digits.is_null()), (-123456789012, true));
        gilgate_capi::ffi::PyLong_FreeExport(&mut e);
        decref(v);
        // -(2**100 + 5): digits 5, 0, 0, 1 << 10.
        let big = int("-1267650600228229401496703205381");
        assert_eq!(gilgate_capi::ffi::PyLong_Export(big, &mut e), 0);
        assert_eq!((e.negative, e.ndigits), (1, 4));
        let ds = std::slice::from_raw_parts(e.digits.cast::<u32>(), 4);
        assert_eq!(ds, [5, 0, 0, 1 << 10]);
        // Rebuild it through a writer.
        let mut p: *mut std::ffi::c_void = null_mut();
        let w = gilgate_capi::ffi::PyLongWriter_Create(1, 4, &mut p);
        assert!(!w.is_null());
        std::ptr::copy_nonoverlapping(ds.as_ptr(), p.cast::<u32>(), 4);
        gilgate_capi::ffi::PyLong_FreeExport(&mut e);
        decref(big);
        assert_eq!(
            repr(gilgate_capi::ffi::PyLongWriter_Finish(w)),
            "-1267650600228229401496703205381"
        );
        // Leading zero digits are normalized away; small results are the cached ints.
        let w = gilgate_capi::ffi::PyLongWriter_Create(0, 3, &mut p);
        *p.cast::<u32>() = 7;
        assert_eq!(gilgate_capi::ffi::PyLongWriter_Finish(w), small(7));
        let w = gilgate_capi::ffi::PyLongWriter_Create(0, 2, &mut p);
        gilgate_capi::ffi::PyLongWriter_Discard(w);
        assert!(gilgate_capi::ffi::PyLongWriter_Create(0, 0, &mut p).is_null());
        assert_eq!(
            err(),
            ("ValueError".into(), "ndigits must be positive".into())
        );
        let ds = [0u32, 1, 0];
        assert_eq!(
            repr(gilgate_capi::ffi::_PyLong_FromDigits(1, 3, ds.as_ptr()).cast()),
            "-1073741824"
        );
        assert_eq!(
            repr(gilgate_capi::ffi::_PyLong_Format(small(-255), 16)),
            "'-0xff'"
        );
        assert_eq!(
            repr(gilgate_capi::ffi::_PyLong_Format(small(5), 2)),
            "'0b101'"
        );
        assert_eq!(
            repr(gilgate_capi::ffi::_PyLong_Format(small(8), 8)),
            "'0o10'"
        );
    }
}

#[test]
fn c_string_to_long() {
    init();
    // SAFETY: NUL-terminated strings and writable end pointers.
    unsafe {
        let mut end: *mut std::ffi::c_char = null_mut();
        let s = c"  0x1fZ";
        assert_eq!(gilgate_capi::ffi::PyOS_strtoul(s.as_ptr(), &mut end, 0), 31);
        assert_eq!(end.offset_from(s.as_ptr()), 6);
        assert_eq!(
            gilgate_capi::ffi::PyOS_strtol(c"-42".as_ptr(), &mut end, 10),
            -42
        );
        assert_eq!(
            gilgate_capi::ffi::PyOS_strtol(c"zz".as_ptr(), &mut end, 36),
            1295
        );
        let s = c"abc";
        assert_eq!(gilgate_capi::ffi::PyOS_strtol(s.as_ptr(), &mut end, 10), 0);
        assert_eq!(end.cast_const(), s.as_ptr());
        assert_eq!(
            gilgate_capi::ffi::PyOS_strtoul(c"99999999999999999999999".as_ptr(), null_mut(), 10),
            u64::MAX
        );
    }
}

// ---- through the abstract layer -----------------------------------------------------------

#[test]
fn through_pynumber_dispatch() {
    init();
    // SAFETY: live operands; results are owned.
    unsafe {
        let call = |f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
                    a: *mut PyObject,
                    b: *mut PyObject| {
            let r = f(a, b);
            decref(a);
            decref(b);
            r
        };
        assert_eq!(
            repr(call(gilgate_capi::ffi::PyNumber_Add, small(1), float(0.5))),
            "1.5"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_Add,
                float(0.1),
                float(0.2)
            )),
            "0.30000000000000004"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_Multiply,
                small(2),
                complex(0.0, 1.0)
            )),
            "2j"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_FloorDivide,
                small(-7),
                small(2)
            )),
            "-4"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_Remainder,
                small(7),
                small(-2)
            )),
            "-1"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_TrueDivide,
                small(-7),
                small(2)
            )),
            "-3.5"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_Divmod,
                float(7.5),
                small(-2)
            )),
            "(-4.0, -0.5)"
        );
        assert_eq!(
            repr(call(
                gilgate_capi::ffi::PyNumber_And,
                PyBool_FromLong(1),
                PyBool_FromLong(0)
            )),
            "False"
        );
        let none = gilgate_capi::testing::object::new_none();
        let r = gilgate_capi::ffi::PyNumber_Power(small(2), small(-1), none);
        assert_eq!(repr(r), "0.5");
        let (b, e, m) = (small(3), small(-1), small(7));
        assert_eq!(repr(gilgate_capi::ffi::PyNumber_Power(b, e, m)), "5");
        let f = float(5.0);
        expect_err(
            gilgate_capi::ffi::PyNumber_Power(b, small(3), f),
            "TypeError",
            "pow() 3rd argument not allowed unless all arguments are integers",
        );
        decref(b);
        decref(e);
        decref(m);
        decref(f);
        expect_err(
            call(gilgate_capi::ffi::PyNumber_FloorDivide, small(1), small(0)),
            "ZeroDivisionError",
            "division by zero",
        );
        let x = float(-3.7);
        assert_eq!(repr(gilgate_capi::ffi::PyNumber_Long(x)), "-3");
        assert_eq!(repr(gilgate_capi::ffi::PyNumber_Float(small(3))), "3.0");
        assert_eq!(repr(gilgate_capi::ffi::PyNumber_Negative(x)), "3.7");
        assert_eq!(repr(gilgate_capi::ffi::PyNumber_Absolute(x)), "3.7");
        decref(x);
        let big = pow(small(2), small(100));
        assert_eq!(
            repr(gilgate_capi::ffi::PyNumber_Invert(big)),
            "-1267650600228229401496703205377"
        );
        decref(big);
    }
}

#[test]
fn real_imag_attributes() {
    init();
    let attr = |o: *mut PyObject, name: &str| {
        let n = gilgate_capi::testing::unicodeobject::from_str(name);
        // SAFETY: live objects.
        unsafe {
            let r = gilgate_capi::testing::object::getattr(o, n);
            decref(n);
            r
        }
    };
    let i = small(-7);
    assert_eq!(repr(attr(i, "real")), "-7");
    assert_eq!(repr(attr(i, "imag")), "0");
    assert_eq!(repr(attr(i, "denominator")), "1");
    let t = PyBool_FromLong(1);
    assert_eq!(repr(attr(t, "numerator")), "1");
    let f = float(2.5);
    assert_eq!(repr(attr(f, "imag")), "0.0");
    assert_eq!(repr(attr(f, "real")), "2.5");
    let z = complex(1.5, -2.0);
    assert_eq!(repr(attr(z, "real")), "1.5");
    assert_eq!(repr(attr(z, "imag")), "-2.0");
    // SAFETY: owned objects.
    unsafe {
        decref(f);
        decref(z);
    }
}

static mut MY_INT: gilgate_capi::ffi::PyTypeObject = gilgate_capi::ffi::PyTypeObject {
    tp_base: &raw mut PyLong_Type,
    tp_as_number: &raw mut lo::LONG_AS_NUMBER,
    ..gilgate_capi::testing::object::static_type(
        c"MyInt",
        40,
        4,
        gilgate_capi::ffi::Py_TPFLAGS_LONG_SUBCLASS,
    )
};

#[test]
fn constructors_through_tp_new() {
    init();
    let args = |xs: &[*mut PyObject]| {
        // SAFETY: live objects; the tuple takes new references, we drop ours.
        unsafe {
            let t = gilgate_capi::testing::tupleobject::from_slice(xs);
            for &x in xs {
                decref(x);
            }
            t
        }
    };
    let s = |t: &str| gilgate_capi::testing::unicodeobject::from_str(t);
    let new = |t: *mut gilgate_capi::ffi::PyTypeObject, a: *mut PyObject| {
        // SAFETY: static ready types (tp_new inherited along tp_base) and an args tuple.
        unsafe {
            let mut owner = t;
            while (*owner).tp_new.is_none() {
                owner = (*owner).tp_base;
            }
            let r = (*owner).tp_new.unwrap()(t, a, null_mut());
            decref(a);
            r
        }
    };
    let int_t = &raw mut PyLong_Type;
    let float_t = &raw mut gilgate_capi::ffi::PyFloat_Type;
    let complex_t = &raw mut gilgate_capi::ffi::PyComplex_Type;
    let bool_t = &raw mut PyBool_Type;
    assert_eq!(repr(new(int_t, args(&[]))), "0");
    assert_eq!(repr(new(int_t, args(&[s("0x1f"), small(16)]))), "31");
    assert_eq!(repr(new(int_t, args(&[s(" -12 ")]))), "-12");
    assert_eq!(repr(new(int_t, args(&[float(-3.9)]))), "-3");
    expect_err(
        new(int_t, args(&[s("12"), small(1)])),
        "ValueError",
        "int() base must be >= 2 and <= 36, or 0",
    );
    expect_err(
        new(int_t, args(&[small(12), small(10)])),
        "TypeError",
        "int() can't convert non-string with explicit base",
    );
    assert_eq!(repr(new(float_t, args(&[s("1e-5")]))), "1e-05");
    assert_eq!(repr(new(float_t, args(&[small(7)]))), "7.0");
    expect_err(
        new(float_t, args(&[s("x")])),
        "ValueError",
        "could not convert string to float: 'x'",
    );
    assert_eq!(repr(new(complex_t, args(&[small(1), small(2)]))), "(1+2j)");
    assert_eq!(
        repr(new(
            complex_t,
            args(&[complex(0.0, 1.0), complex(0.0, 1.0)])
        )),
        "(-1+1j)"
    );
    assert_eq!(
        repr(new(complex_t, args(&[s(" (1-2.5e3J) ")]))),
        "(1-2500j)"
    );
    expect_err(
        new(complex_t, args(&[s("1 + 2j")])),
        "ValueError",
        "complex() arg is a malformed string",
    );
    assert_eq!(repr(new(bool_t, args(&[small(0)]))), "False");
    assert_eq!(repr(new(bool_t, args(&[s("a")]))), "True");
    // A subclass of int gets an instance of itself holding the value.
    let my = &raw mut MY_INT;
    let o = new(my, args(&[pow(small(2), small(70))]));
    // SAFETY: a live object.
    unsafe {
        assert_eq!(gilgate_capi::testing::object::ty(o), my);
        assert_eq!(tag_and_digits(o), (3 << 3, vec![0, 0, 1 << 10]));
        let plain = unary(|n| n.nb_int, gilgate_capi::testing::refcount::new_ref(o));
        assert_eq!(gilgate_capi::testing::object::ty(plain), int_t);
        assert_eq!(repr(plain), "1180591620717411303424");
        decref(o);
    }
}

/// `o.name(*args)` through attribute lookup and a call; consumes `o` and `args`.
fn call_method(o: *mut PyObject, name: &str, args: &[*mut PyObject]) -> *mut PyObject {
    let n = gilgate_capi::testing::unicodeobject::from_str(name);
    // SAFETY: live objects we own.
    unsafe {
        let m = gilgate_capi::testing::object::getattr(o, n);
        decref(n);
        assert!(
            !m.is_null(),
            "{name}: {:?}",
            gilgate_capi::host::take_exception()
        );
        let t = gilgate_capi::testing::tupleobject::from_slice(args);
        let r = gilgate_capi::ffi::PyObject_Call(m, t, null_mut());
        decref(t);
        decref(m);
        decref(o);
        for &a in args {
            decref(a);
        }
        r
    }
}

#[test]
fn number_methods() {
    init();
    assert_eq!(repr(call_method(small(255), "bit_length", &[])), "8");
    assert_eq!(repr(call_method(small(-255), "bit_count", &[])), "8");
    assert_eq!(repr(call_method(small(3), "is_integer", &[])), "True");
    assert_eq!(
        repr(call_method(small(7), "as_integer_ratio", &[])),
        "(7, 1)"
    );
    assert_eq!(
        repr(call_method(small(1250), "__round__", &[small(-2)])),
        "1200"
    );
    assert_eq!(
        repr(call_method(small(1350), "__round__", &[small(-2)])),
        "1400"
    );
    assert_eq!(
        repr(call_method(small(-1250), "__round__", &[small(-2)])),
        "-1200"
    );
    assert_eq!(repr(call_method(small(5), "__round__", &[small(1)])), "5");
    assert_eq!(
        repr(call_method(float(0.75), "as_integer_ratio", &[])),
        "(3, 4)"
    );
    expect_err(
        call_method(float(f64::INFINITY), "as_integer_ratio", &[]),
        "OverflowError",
        "cannot convert Infinity to integer ratio",
    );
    expect_err(
        call_method(float(f64::NAN), "as_integer_ratio", &[]),
        "ValueError",
        "cannot convert NaN to integer ratio",
    );
    for (v, s) in [
        (1.5, "'0x1.8000000000000p+0'"),
        (-0.1, "'-0x1.999999999999ap-4'"),
        (0.0, "'0x0.0p+0'"),
        (5e-324, "'0x0.0000000000001p-1022'"),
        (f64::INFINITY, "'inf'"),
    ] {
        assert_eq!(repr(call_method(float(v), "hex", &[])), s);
    }
    assert_eq!(repr(call_method(float(2.0), "is_integer", &[])), "True");
    assert_eq!(repr(call_method(float(2.5), "is_integer", &[])), "False");
    for (v, r) in [(2.5, "2"), (0.5, "0"), (-0.5, "0"), (1.5, "2")] {
        assert_eq!(repr(call_method(float(v), "__round__", &[])), r);
    }
    for (v, n, r) in [
        (2.675, 2, "2.67"),
        (1234.5, -2, "1200.0"),
        (2.5, 0, "2.0"),
        (-0.0, 1, "-0.0"),
        (123.456, -1, "120.0"),
        (0.125, 2, "0.12"),
        (1e22, 2, "1e+22"),
        (5e-324, 400, "5e-324"),
    ] {
        assert_eq!(
            repr(call_method(float(v), "__round__", &[small(n)])),
            r,
            "round({v}, {n})"
        );
    }
    assert_eq!(
        repr(call_method(float(f64::INFINITY), "__round__", &[small(2)])),
        "inf"
    );
    expect_err(
        call_method(float(f64::INFINITY), "__round__", &[]),
        "OverflowError",
        "cannot convert float infinity to integer",
    );
    assert_eq!(repr(call_method(float(-2.5), "__floor__", &[])), "-3");
    assert_eq!(repr(call_method(float(-2.5), "__ceil__", &[])), "-2");
    assert_eq!(repr(call_method(float(2.5), "__trunc__", &[])), "2");
    assert_eq!(
        repr(call_method(complex(1.0, 2.0), "conjugate", &[])),
        "(1-2j)"
    );
}

#[test]
fn packing_frexp_and_strtod() {
    init();
    // struct.pack('<e', v).hex() in python3.
    for (v, hex) in [
        (1.0, "003c"),
        (-2.5, "00c1"),
        (65504.0, "ff7b"),
        (5.960464477539063e-08, "0100"),
        (6.097555160522461e-05, "ff03"),
        (0.1, "662e"),
        (1.0 / 3.0, "5535"),
        (2049.0, "0068"),
        (2051.0, "0268"),
        (1e-8, "0000"),
        (3e-8, "0100"),
        (-0.0, "0080"),
    ] {
        let mut b = [0u8; 2];
        // SAFETY: a 2-byte buffer.
        unsafe {
            assert_eq!(gilgate_capi::ffi::PyFloat_Pack2(v, b.as_mut_ptr(), 1), 0);
            assert_eq!(format!("{:02x}{:02x}", b[0], b[1]), hex, "{v}");
            let back = gilgate_capi::ffi::PyFloat_Unpack2(b.as_ptr(), 1);
            assert!((back - v).abs() <= v.abs() * 1e-3 + 6e-8, "{v} -> {back}");
        }
    }
    let mut b = [0u8; 2];
    // SAFETY: a 2-byte buffer.
    unsafe {
        assert_eq!(
            gilgate_capi::ffi::PyFloat_Pack2(65520.0, b.as_mut_ptr(), 1),
            -1
        );
        assert_eq!(err().1, "float too large to pack with e format");
        b = [0xff, 0x7b];
        assert_eq!(gilgate_capi::ffi::PyFloat_Unpack2(b.as_ptr(), 1), 65504.0);
    }
    // _PyLong_Frexp: 2**100 + 1 rounds to 0.5 * 2**101; -(3 * 2**70) is -0.75 * 2**72.
    let mut e = 0i64;
    // SAFETY: live ints and a writable exponent.
    unsafe {
        let a = add(pow(small(2), small(100)), small(1));
        assert_eq!((gilgate_capi::ffi::_PyLong_Frexp(a, &mut e), e), (0.5, 101));
        let b = mul(small(-3), pow(small(2), small(70)));
        assert_eq!(
            (gilgate_capi::ffi::_PyLong_Frexp(b, &mut e), e),
            (-0.75, 72)
        );
        let c = small(0);
        assert_eq!((gilgate_capi::ffi::_PyLong_Frexp(c, &mut e), e), (0.0, 0));
        // 2**60 - 1 rounds up to 2**60.
        let d = sub(pow(small(2), small(60)), small(1));
        assert_eq!((gilgate_capi::ffi::_PyLong_Frexp(d, &mut e), e), (0.5, 61));
        decref(a);
        decref(b);
        decref(d);
    }
    // PyOS_double_to_string / PyOS_string_to_double.

    // SAFETY: valid arguments; the returned buffer is freed with PyMem_Free.
    unsafe {
        let mut ty = -1;
        let p = gilgate_capi::ffi::PyOS_double_to_string(
            1e16,
            b'r' as std::ffi::c_char,
            0,
            gilgate_capi::ffi::Py_DTSF_ADD_DOT_0,
            &mut ty,
        );
        assert_eq!(std::ffi::CStr::from_ptr(p).to_str().unwrap(), "1e+16");
        assert_eq!(ty, gilgate_capi::ffi::Py_DTST_FINITE);
        gilgate_capi::ffi::PyMem_Free(p.cast());
        let p = gilgate_capi::ffi::PyOS_double_to_string(
            -1.0 / 3.0,
            b'g' as std::ffi::c_char,
            6,
            0,
            &mut ty,
        );
        assert_eq!(std::ffi::CStr::from_ptr(p).to_str().unwrap(), "-0.333333");
        gilgate_capi::ffi::PyMem_Free(p.cast());
        let mut end: *mut std::ffi::c_char = null_mut();
        let s = c"1.5e3xyz";
        assert_eq!(
            gilgate_capi::ffi::PyOS_string_to_double(s.as_ptr(), &mut end, null_mut()),
            1500.0
        );
        assert_eq!(end.offset_from(s.as_ptr()), 5);
        assert_eq!(
            gilgate_capi::ffi::PyOS_string_to_double(c"-inf".as_ptr(), null_mut(), null_mut()),
            f64::NEG_INFINITY
        );
        assert_eq!(
            gilgate_capi::ffi::PyOS_string_to_double(c"1x".as_ptr(), null_mut(), null_mut()),
            -1.0
        );
        assert_eq!(
            err(),
            (
                "ValueError".into(),
                "could not convert string to float: '1x'".into()
            )
        );
        assert_eq!(
            gilgate_capi::ffi::PyOS_string_to_double(c"1e500".as_ptr(), null_mut(), null_mut()),
            f64::INFINITY
        );
        let ovf = gilgate_capi::ffi::PyExc_OverflowError;
        assert_eq!(
            gilgate_capi::ffi::PyOS_string_to_double(c"1e500".as_ptr(), null_mut(), ovf),
            -1.0
        );
        assert_eq!(
            err(),
            (
                "OverflowError".into(),
                "value too large to convert to float: '1e500'".into()
            )
        );
    }
}

#[test]
fn to_bytes_and_from_bytes() {
    init();
    let s = |t: &str| gilgate_capi::testing::unicodeobject::from_str(t);
    let bytes = |b: &[u8]| gilgate_capi::testing::bytesobject::from_bytes(b);
    assert_eq!(
        repr(call_method(small(1024), "to_bytes", &[small(2), s("big")])),
        "b'\\x04\\x00'"
    );
    assert_eq!(repr(call_method(small(5), "to_bytes", &[])), "b'\\x05'");
    expect_err(
        call_method(small(1024), "to_bytes", &[small(1), s("big")]),
        "OverflowError",
        "int too big to convert",
    );
    expect_err(
        call_method(small(-1), "to_bytes", &[small(2), s("big")]),
        "OverflowError",
        "can't convert negative int to unsigned",
    );
    expect_err(
        call_method(small(5), "to_bytes", &[small(2), s("middle")]),
        "ValueError",
        "byteorder must be either 'little' or 'big'",
    );
    expect_err(
        call_method(
            small(5),
            "to_bytes",
            &[small(2), s("big"), PyBool_FromLong(1)],
        ),
        "TypeError",
        "to_bytes() takes at most 2 positional arguments (3 given)",
    );
    let int_type: *mut PyObject = (&raw mut PyLong_Type).cast();
    // SAFETY: immortal static type.
    unsafe { gilgate_capi::host::incref(int_type) };
    assert_eq!(
        repr(call_method(
            int_type,
            "from_bytes",
            &[bytes(&[0xff, 0]), s("little")]
        )),
        "255"
    );
    // Keyword arguments: (-1).to_bytes(2, 'little', signed=True) and
    // int.from_bytes(b'\xff\x00', 'big', signed=True).
    // SAFETY: live objects we own.
    unsafe {
        let kw = gilgate_capi::testing::dictobject::new_dict();
        assert_eq!(
            gilgate_capi::host::dict_set_item_str(kw, "signed", PyBool_FromLong(1)),
            0
        );
        let name = s("to_bytes");
        let v = small(-1);
        let m = gilgate_capi::testing::object::getattr(v, name);
        let args = gilgate_capi::testing::tupleobject::from_slice(&[small(2), s("little")]);
        assert_eq!(
            repr(gilgate_capi::ffi::PyObject_Call(m, args, kw)),
            "b'\\xff\\xff'"
        );
        decref(m);
        decref(args);
        decref(name);
        let name = s("from_bytes");
        let m = gilgate_capi::testing::object::getattr(int_type, name);
        let args = gilgate_capi::testing::tupleobject::from_slice(&[bytes(&[0xff, 0]), s("big")]);
        assert_eq!(repr(gilgate_capi::ffi::PyObject_Call(m, args, kw)), "-256");
        decref(m);
        decref(args);
        decref(name);
        decref(kw);
    }
}

/// `PyNumber_Check` as CPython 3.14 decides it: number methods with `nb_index`, `nb_int` or
/// `nb_float`, or a complex, subclasses included; never the type's name.
#[test]
fn number_check_follows_the_slots_and_complex_subclasses() {
    init();
    let s = |t: &str| gilgate_capi::testing::unicodeobject::from_str(t);
    // SAFETY: live objects; every new reference is released.
    unsafe {
        let check = |o: *mut PyObject| {
            assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
            let r = gilgate_capi::ffi::PyNumber_Check(o);
            decref(o);
            r
        };
        // type(name, bases, {}) through the C API
        let new_class = |name: &str, bases: &[*mut PyObject]| {
            let bases = gilgate_capi::testing::tupleobject::from_slice(bases);
            let ns = gilgate_capi::testing::dictobject::new_dict();
            let n = s(name);
            let args = gilgate_capi::testing::tupleobject::from_slice(&[n, bases, ns]);
            decref(n);
            decref(bases);
            decref(ns);
            let t = gilgate_capi::ffi::PyObject_Call(
                (&raw mut gilgate_capi::ffi::PyType_Type).cast(),
                args,
                null_mut(),
            );
            decref(args);
            assert!(
                !t.is_null(),
                "{name}: {:?}",
                gilgate_capi::host::take_exception()
            );
            t
        };
        assert_eq!(gilgate_capi::ffi::PyNumber_Check(null_mut()), 0);
        assert_eq!(check(small(3)), 1);
        assert_eq!(check(float(0.5)), 1);
        assert_eq!(check(complex(1.0, 2.0)), 1);
        assert_eq!(check(PyBool_FromLong(1)), 1);
        assert_eq!(check(s("12")), 0);
        assert_eq!(
            check(gilgate_capi::testing::tupleobject::from_slice(&[])),
            0
        );

        // a complex subclass: complex's number methods have none of the three slots, so only
        // the complex check makes it a number
        let complex_type: *mut PyObject = (&raw mut gilgate_capi::ffi::PyComplex_Type).cast();
        let sub = new_class("C", &[complex_type]);
        let arg = float(1.5);
        let inst = gilgate_capi::ffi::PyObject_CallOneArg(sub, arg);
        decref(arg);
        assert!(
            !inst.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(
            gilgate_capi::testing::object::ty(inst).cast::<PyObject>(),
            sub
        );
        assert_eq!(gilgate_capi::ffi::PyComplex_RealAsDouble(inst), 1.5);
        assert_eq!(check(inst), 1);
        // a subclass of the subclass
        let subsub = new_class("D", &[sub]);
        assert_eq!(check(gilgate_capi::ffi::PyObject_CallNoArgs(subsub)), 1);
        decref(subsub);
        decref(sub);

        // a class merely named "complex" is not a number
        let fake = new_class("complex", &[]);
        assert_eq!(check(gilgate_capi::ffi::PyObject_CallNoArgs(fake)), 0);
        decref(fake);
    }
}
