//! gilgate's own `numbers` module (CPython's `Lib/numbers.py`): the numeric tower `Number`,
//! `Complex`, `Real`, `Rational`, `Integral`, made by `abc.ABCMeta`, with their abstract
//! methods and properties, their mixin methods (written in Rust as [`crate::abc::Func`]s)
//! and the registrations of `complex`, `float` and `int`.

use crate::abc::{Body, FuncDef, Kind, Obj, call, call_method, getattr};
use crate::object::{PyObject, PyTypeObject};
use crate::unicodeobject as uni;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The body of CPython's abstract methods: `raise NotImplementedError`.
unsafe fn nie(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live exception type.
    unsafe {
        crate::pyerrors::PyErr_SetNone((&raw mut crate::pyerrors::EXC_NotImplementedError).cast())
    };
    null_mut()
}

/// `Complex.__complex__`'s body (a docstring only): None.
unsafe fn returns_none(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::object::new_none()
}

/// `Complex.__sub__`: `self + -other`.
unsafe fn complex_sub(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let n = Obj::new(crate::abstract_::PyNumber_Negative(a[1]));
        if n.is_null() {
            return null_mut();
        }
        crate::abstract_::PyNumber_Add(a[0], n.ptr())
    }
}

/// `Complex.__rsub__`: `-self + other`.
unsafe fn complex_rsub(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let n = Obj::new(crate::abstract_::PyNumber_Negative(a[0]));
        if n.is_null() {
            return null_mut();
        }
        crate::abstract_::PyNumber_Add(n.ptr(), a[1])
    }
}

/// `Complex.__bool__`: `self != 0`.
unsafe fn complex_bool(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let z = Obj::new(crate::longobject::from_i128(0));
        crate::abstract_::PyObject_RichCompare(a[0], z.ptr(), crate::object::Py_NE)
    }
}

/// `(x // y, x % y)`.
unsafe fn divmod_of(x: *mut PyObject, y: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (Func contract of the callers).
    let q = Obj::new(unsafe { crate::abstract_::PyNumber_FloorDivide(x, y) });
    if q.is_null() {
        return null_mut();
    }
    // SAFETY: as above.
    let r = Obj::new(unsafe { crate::abstract_::PyNumber_Remainder(x, y) });
    if r.is_null() {
        return null_mut();
    }
    // SAFETY: live objects.
    unsafe { crate::tupleobject::from_slice(&[q.ptr(), r.ptr()]) }
}
unsafe fn real_divmod(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { divmod_of(a[0], a[1]) }
}
unsafe fn real_rdivmod(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { divmod_of(a[1], a[0]) }
}

/// `Real.__complex__`: `complex(float(self))`.
unsafe fn real_complex(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let f = Obj::new(crate::abstract_::PyNumber_Float(a[0]));
        if f.is_null() {
            return null_mut();
        }
        call(
            (&raw mut crate::complexobject::PyComplex_Type).cast(),
            &[f.ptr()],
        )
        .into_raw()
    }
}

/// `+self` (`Real.real`, `Real.conjugate`, `Integral.numerator`).
unsafe fn positive(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { crate::abstract_::PyNumber_Positive(a[0]) }
}

unsafe fn zero(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(0)
}
unsafe fn one(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(1)
}

/// `Rational.__float__`: `int(self.numerator) / int(self.denominator)`.
unsafe fn rational_float(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let n = getattr(a[0], "numerator");
        if n.is_null() {
            return null_mut();
        }
        let n = Obj::new(crate::abstract_::PyNumber_Long(n.ptr()));
        if n.is_null() {
            return null_mut();
        }
        let d = getattr(a[0], "denominator");
        if d.is_null() {
            return null_mut();
        }
        let d = Obj::new(crate::abstract_::PyNumber_Long(d.ptr()));
        if d.is_null() {
            return null_mut();
        }
        crate::abstract_::PyNumber_TrueDivide(n.ptr(), d.ptr())
    }
}

/// `Integral.__index__`: `int(self)`.
unsafe fn integral_index(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { crate::abstract_::PyNumber_Long(a[0]) }
}

/// `Integral.__float__`: `float(int(self))`.
unsafe fn integral_float(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let i = Obj::new(crate::abstract_::PyNumber_Long(a[0]));
        if i.is_null() {
            return null_mut();
        }
        crate::abstract_::PyNumber_Float(i.ptr())
    }
}

const fn ab(q: &'static str, p: &'static [&'static str], body: Body) -> FuncDef {
    FuncDef::new(q, p, p.len(), Kind::Abstract, body)
}
const fn m(q: &'static str, p: &'static [&'static str], body: Body) -> FuncDef {
    FuncDef::new(q, p, p.len(), Kind::Method, body)
}
const S: &[&str] = &["self"];
const O: &[&str] = &["self", "other"];

static COMPLEX: [FuncDef; 19] = [
    ab("Complex.__complex__", S, returns_none),
    m("Complex.__bool__", S, complex_bool),
    ab("Complex.__add__", O, nie),
    ab("Complex.__radd__", O, nie),
    ab("Complex.__neg__", S, nie),
    ab("Complex.__pos__", S, nie),
    m("Complex.__sub__", O, complex_sub),
    m("Complex.__rsub__", O, complex_rsub),
    ab("Complex.__mul__", O, nie),
    ab("Complex.__rmul__", O, nie),
    ab("Complex.__truediv__", O, nie),
    ab("Complex.__rtruediv__", O, nie),
    ab("Complex.__pow__", &["self", "exponent"], nie),
    ab("Complex.__rpow__", &["self", "base"], nie),
    ab("Complex.__abs__", S, nie),
    ab("Complex.conjugate", S, nie),
    ab("Complex.__eq__", O, nie),
    // Properties (wrapped below).
    ab("Complex.real", S, nie),
    ab("Complex.imag", S, nie),
];
static REAL: [FuncDef; 17] = [
    ab("Real.__float__", S, nie),
    ab("Real.__trunc__", S, nie),
    ab("Real.__floor__", S, nie),
    ab("Real.__ceil__", S, nie),
    FuncDef::new(
        "Real.__round__",
        &["self", "ndigits"],
        1,
        Kind::Abstract,
        nie,
    ),
    m("Real.__divmod__", O, real_divmod),
    m("Real.__rdivmod__", O, real_rdivmod),
    ab("Real.__floordiv__", O, nie),
    ab("Real.__rfloordiv__", O, nie),
    ab("Real.__mod__", O, nie),
    ab("Real.__rmod__", O, nie),
    ab("Real.__lt__", O, nie),
    ab("Real.__le__", O, nie),
    m("Real.__complex__", S, real_complex),
    m("Real.conjugate", S, positive),
    // Properties (wrapped below).
    m("Real.real", S, positive),
    m("Real.imag", S, zero),
];
static RATIONAL: [FuncDef; 3] = [
    m("Rational.__float__", S, rational_float),
    // Properties (wrapped below).
    ab("Rational.numerator", S, nie),
    ab("Rational.denominator", S, nie),
];
static INTEGRAL: [FuncDef; 17] = [
    ab("Integral.__int__", S, nie),
    m("Integral.__index__", S, integral_index),
    FuncDef::new(
        "Integral.__pow__",
        &["self", "exponent", "modulus"],
        2,
        Kind::Abstract,
        nie,
    ),
    ab("Integral.__lshift__", O, nie),
    ab("Integral.__rlshift__", O, nie),
    ab("Integral.__rshift__", O, nie),
    ab("Integral.__rrshift__", O, nie),
    ab("Integral.__and__", O, nie),
    ab("Integral.__rand__", O, nie),
    ab("Integral.__xor__", O, nie),
    ab("Integral.__rxor__", O, nie),
    ab("Integral.__or__", O, nie),
    ab("Integral.__ror__", O, nie),
    ab("Integral.__invert__", S, nie),
    m("Integral.__float__", S, integral_float),
    // Properties (wrapped below).
    m("Integral.numerator", S, positive),
    m("Integral.denominator", S, one),
];

/// The names among a class's functions that are properties.
const PROPERTIES: [&str; 4] = ["real", "imag", "numerator", "denominator"];

static MADE: OnceLock<usize> = OnceLock::new();

/// The `numbers` module (a borrowed, process-lifetime reference; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "numbers", build)
}

/// One class of the tower: `name(base)` with `defs` (those named in [`PROPERTIES`] become
/// properties).
unsafe fn make(name: &str, base: *mut PyObject, defs: &'static [FuncDef]) -> Obj {
    // SAFETY: live objects.
    unsafe {
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        let mut values: Vec<(&str, Obj)> = Vec::new();
        for d in defs {
            let f = Obj::new(crate::abc::new_func(d, null_mut()));
            if f.is_null() {
                return f;
            }
            let v = if PROPERTIES.contains(&d.name()) {
                call(
                    (&raw mut crate::descrobject::property::PyProperty_Type).cast(),
                    &[f.ptr()],
                )
            } else {
                f
            };
            if v.is_null() {
                return v;
            }
            values.push((d.name(), v));
        }
        let mut extra: Vec<(&str, *mut PyObject)> = vec![("__slots__", empty.ptr())];
        extra.extend(values.iter().map(|(n, v)| (*n, v.ptr())));
        if name == "Number" || name == "Complex" {
            extra.push(("__hash__", crate::object::none()));
        }
        let bases: Vec<*mut PyObject> = if base.is_null() { vec![] } else { vec![base] };
        crate::abc::make_class(crate::abc::abcmeta(), "numbers", name, &bases, &[], &extra)
    }
}

fn build() -> *mut PyObject {
    let name = uni::intern("numbers");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        if crate::abc::abcmeta().is_null() {
            return null_mut();
        }
        let md = crate::moduleobject::new_module(name);
        if md.is_null() {
            return null_mut();
        }
        let d = (*md.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        static NONE: [FuncDef; 0] = [];
        let number = make("Number", null_mut(), &NONE);
        if number.is_null() {
            return null_mut();
        }
        let complex = make("Complex", number.ptr(), &COMPLEX);
        if complex.is_null() {
            return null_mut();
        }
        let real = make("Real", complex.ptr(), &REAL);
        if real.is_null() {
            return null_mut();
        }
        let rational = make("Rational", real.ptr(), &RATIONAL);
        if rational.is_null() {
            return null_mut();
        }
        let integral = make("Integral", rational.ptr(), &INTEGRAL);
        if integral.is_null() {
            return null_mut();
        }
        let all = Obj::new(crate::listobject::new_list(0));
        for (n, c) in [
            ("Number", &number),
            ("Complex", &complex),
            ("Real", &real),
            ("Rational", &rational),
            ("Integral", &integral),
        ] {
            crate::dictobject::set_item_str(d, n, c.ptr());
            let s = Obj::new(uni::from_str(n));
            crate::listobject::append(all.ptr(), s.ptr());
        }
        crate::dictobject::set_item_str(d, "__all__", all.ptr());
        let t = |p: *mut PyTypeObject| p.cast::<PyObject>();
        for (c, ty_) in [
            (&complex, t(&raw mut crate::complexobject::PyComplex_Type)),
            (&real, t(&raw mut crate::floatobject::PyFloat_Type)),
            (&integral, t(&raw mut crate::longobject::PyLong_Type)),
        ] {
            if call_method(c.ptr(), "register", &[ty_]).is_null() {
                return null_mut();
            }
        }
        md
    }
}
