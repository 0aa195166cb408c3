//! Calls through the exported C functions: builtin functions of every `METH_` convention,
//! `PyObject_Call*` / vectorcall entry points, result checking, and the abstract number,
//! comparison, sequence, mapping and iterator protocols over small test types.

use gilgate_capi::ffi::PyErr_Occurred;
use gilgate_capi::ffi::PyModule_AddFunctions;
use gilgate_capi::ffi::PyModule_New;
use gilgate_capi::ffi::PyNumberMethods;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyObject_GetAttrString;
use gilgate_capi::ffi::PyObject_Repr;
use gilgate_capi::ffi::PySequenceMethods;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::decref;
use gilgate_capi::testing::longobject as long;
use gilgate_capi::testing::object::static_type;
use gilgate_capi::testing::pyerrors;
use gilgate_capi::testing::tupleobject as tup;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{c_char, c_int};
use std::ptr::null_mut;
use std::sync::Mutex;

unsafe extern "C" {
    fn PyObject_CallFunctionObjArgs(callable: *mut PyObject, ...) -> *mut PyObject;
    fn PyObject_CallMethodObjArgs(obj: *mut PyObject, name: *mut PyObject, ...) -> *mut PyObject;
    fn PyObject_CallFunction(callable: *mut PyObject, format: *const c_char, ...) -> *mut PyObject;
    fn PyObject_CallMethod(
        obj: *mut PyObject,
        name: *const c_char,
        format: *const c_char,
        ...
    ) -> *mut PyObject;
    fn PyErr_SetString(t: *mut PyObject, msg: *const c_char);
    static mut PyExc_ValueError: *mut PyObject;
}

/// Tests share the error indicator of their thread only, but the counters below are global.
static LOCK: Mutex<()> = Mutex::new(());

fn init() -> std::sync::MutexGuard<'static, ()> {
    gilgate_capi::host::initialize().unwrap();
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// "Type: message" of the pending exception (cleared); panics if none.
fn error() -> String {
    let e = gilgate_capi::host::take_exception().expect("an exception is set");
    format!("{}: {}", e.type_name, e.message)
}

fn s(text: &str) -> *mut PyObject {
    uni::from_str(text)
}

fn int(v: i64) -> *mut PyObject {
    long::from_i128(v as i128)
}

fn ival(o: *mut PyObject) -> i128 {
    assert!(!o.is_null(), "{}", error());
    // SAFETY: a live object we own.
    unsafe {
        let v = long::value_i128(o).expect("an int");
        decref(o);
        v
    }
}

fn nval(o: *mut PyObject) -> i64 {
    assert!(!o.is_null(), "{}", error());
    // SAFETY: a live Num we own.
    unsafe {
        let v = num_value(o).expect("a Num");
        decref(o);
        v
    }
}

fn num(v: i64) -> *mut PyObject {
    // SAFETY: NUM_TYPE is a ready static type.
    unsafe { new_num(&raw mut NUM_TYPE, v) }
}

fn text(o: *mut PyObject) -> String {
    assert!(!o.is_null(), "{}", error());
    // SAFETY: a live object we own.
    unsafe {
        let r = PyObject_Repr(o);
        decref(o);
        let t = uni::as_str(r).unwrap().to_string();
        decref(r);
        t
    }
}

// ---- the builtin functions under test -----------------------------------------------------

/// Renders what a function received: "self|args|kwargs" with reprs.
unsafe fn describe(self_: *mut PyObject, parts: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live objects (or NULL).
    unsafe {
        let mut out = if self_.is_null() {
            String::from("NULL")
        } else if gilgate_capi::testing::moduleobject::is_module(self_) {
            String::from("module")
        } else {
            text(gilgate_capi::testing::refcount::new_ref(self_))
        };
        for &p in parts {
            out.push('|');
            out.push_str(&if p.is_null() {
                "NULL".to_string()
            } else {
                text(gilgate_capi::testing::refcount::new_ref(p))
            });
        }
        uni::from_str(&out)
    }
}

unsafe extern "C" fn f_noargs(self_: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { describe(self_, &[arg]) }
}

unsafe extern "C" fn f_o(self_: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { describe(self_, &[arg]) }
}

unsafe extern "C" fn f_varargs(self_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_VARARGS contract.
    unsafe { describe(self_, &[args]) }
}

unsafe extern "C" fn f_varargs_kw(
    self_: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_VARARGS|METH_KEYWORDS contract.
    unsafe { describe(self_, &[args, kw]) }
}

unsafe extern "C" fn f_fast(
    self_: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    unsafe {
        let t = tup::from_slice(std::slice::from_raw_parts(args, n as usize));
        let r = describe(self_, &[t]);
        decref(t);
        r
    }
}

unsafe extern "C" fn f_fast_kw(
    self_: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    unsafe {
        let nk = if kwnames.is_null() {
            0
        } else {
            tup::items(kwnames).len()
        };
        let t = tup::from_slice(std::slice::from_raw_parts(args, n as usize + nk));
        let r = describe(self_, &[t, kwnames]);
        decref(t);
        r
    }
}

unsafe extern "C" fn f_method(
    self_: *mut PyObject,
    cls: *mut PyTypeObject,
    args: *const *mut PyObject,
    n: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_METHOD|METH_FASTCALL|METH_KEYWORDS contract.
    unsafe {
        let t = tup::from_slice(std::slice::from_raw_parts(args, n));
        let c = gilgate_capi::testing::object::type_name(cls);
        let r = describe(self_, &[t, kwnames, uni::from_str(&c)]);
        decref(t);
        r
    }
}

unsafe extern "C" fn f_null_no_error(_s: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    null_mut()
}

unsafe extern "C" fn f_result_and_error(_s: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyExc_ValueError is initialised.
    unsafe { PyErr_SetString(PyExc_ValueError, c"pending".as_ptr()) };
    int(1)
}

unsafe extern "C" fn f_raise(_s: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    // SAFETY: PyExc_ValueError is initialised.
    unsafe { PyErr_SetString(PyExc_ValueError, c"boom".as_ptr()) };
    null_mut()
}

fn def(name: &'static std::ffi::CStr, meth: usize, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: meth as *mut std::ffi::c_void,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

/// A module `calltest` with one function per convention.
fn module() -> *mut PyObject {
    let table = vec![
        def(c"noargs", f_noargs as *const () as usize, METH_NOARGS),
        PyMethodDef {
            ml_doc: c"o($module, x, /)\n--\n\ntakes one\nargument".as_ptr(),
            ..def(c"o", f_o as *const () as usize, METH_O)
        },
        def(c"varargs", f_varargs as *const () as usize, METH_VARARGS),
        def(
            c"varargs_kw",
            f_varargs_kw as *const () as usize,
            METH_VARARGS | METH_KEYWORDS,
        ),
        def(c"fast", f_fast as *const () as usize, METH_FASTCALL),
        def(
            c"fast_kw",
            f_fast_kw as *const () as usize,
            METH_FASTCALL | METH_KEYWORDS,
        ),
        def(
            c"null_no_error",
            f_null_no_error as *const () as usize,
            METH_NOARGS,
        ),
        def(
            c"result_and_error",
            f_result_and_error as *const () as usize,
            METH_NOARGS,
        ),
        def(c"raises", f_raise as *const () as usize, METH_NOARGS),
        PyMethodDef {
            ml_name: std::ptr::null(),
            ml_meth: null_mut(),
            ml_flags: 0,
            ml_doc: std::ptr::null(),
        },
    ];
    let table = Box::leak(table.into_boxed_slice()).as_mut_ptr();
    // SAFETY: a fresh module and a leaked, NULL-terminated table.
    unsafe {
        let m = PyModule_New(c"calltest".as_ptr());
        assert!(!m.is_null());
        assert_eq!(PyModule_AddFunctions(m, table), 0, "{}", error());
        m
    }
}

fn attr(m: *mut PyObject, name: &std::ffi::CStr) -> *mut PyObject {
    // SAFETY: a live module.
    let f = unsafe { PyObject_GetAttrString(m, name.as_ptr()) };
    assert!(!f.is_null(), "{}", error());
    f
}

#[test]
fn builtin_functions_of_every_convention() {
    let _g = init();
    let m = module();
    // SAFETY: live objects throughout; every returned reference is consumed.
    unsafe {
        let noargs = attr(m, c"noargs");
        assert_eq!(text(PyObject_Repr(noargs)), "'<built-in function noargs>'");
        assert_eq!(PyCallable_Check(noargs), 1);
        assert_eq!(text(PyObject_CallNoArgs(noargs)), "'module|NULL'");
        assert!(PyObject_CallOneArg(noargs, int(1)).is_null());
        assert_eq!(
            error(),
            "TypeError: calltest.noargs() takes no arguments (1 given)"
        );

        let o = attr(m, c"o");
        assert_eq!(text(PyObject_CallOneArg(o, int(5))), "'module|5'");
        assert!(PyObject_CallNoArgs(o).is_null());
        assert_eq!(
            error(),
            "TypeError: calltest.o() takes exactly one argument (0 given)"
        );
        let two = tup::from_slice(&[int(1), int(2)]);
        assert!(PyObject_Call(o, two, null_mut()).is_null());
        assert_eq!(
            error(),
            "TypeError: calltest.o() takes exactly one argument (2 given)"
        );
        // Keywords to a convention without them.
        let kw = gilgate_capi::testing::dictobject::new_dict();
        gilgate_capi::host::dict_set_item_str(kw, "x", int(1));
        let one = tup::from_slice(&[int(1)]);
        assert!(PyObject_Call(o, one, kw).is_null());
        assert_eq!(
            error(),
            "TypeError: calltest.o() takes no keyword arguments"
        );

        let va = attr(m, c"varargs");
        assert_eq!(text(PyObject_Call(va, two, null_mut())), "'module|(1, 2)'");
        assert_eq!(text(PyObject_CallNoArgs(va)), "'module|()'");
        assert!(PyObject_Call(va, one, kw).is_null());
        assert_eq!(error(), "TypeError: varargs() takes no keyword arguments");
        // Through PyCFunction_Call too.
        assert_eq!(
            text(PyCFunction_Call(va, two, null_mut())),
            "'module|(1, 2)'"
        );

        let vak = attr(m, c"varargs_kw");
        assert_eq!(
            text(PyObject_Call(vak, one, kw)),
            "\"module|(1,)|{'x': 1}\""
        );
        assert_eq!(
            text(PyObject_Call(vak, one, null_mut())),
            "'module|(1,)|NULL'"
        );
        // Vectorcall with keyword names reaches a METH_VARARGS|METH_KEYWORDS function as a dict.
        let kwnames = tup::from_slice(&[s("k")]);
        let stack = [null_mut(), int(7), int(8)];
        assert_eq!(
            text(PyObject_Vectorcall(
                vak,
                stack.as_ptr().add(1),
                1 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames
            )),
            "\"module|(7,)|{'k': 8}\""
        );

        let fast = attr(m, c"fast");
        assert_eq!(
            text(PyObject_Vectorcall(
                fast,
                stack.as_ptr().add(1),
                2,
                null_mut()
            )),
            "'module|(7, 8)'"
        );
        assert!(PyObject_Vectorcall(fast, stack.as_ptr().add(1), 1, kwnames).is_null());
        assert_eq!(
            error(),
            "TypeError: calltest.fast() takes no keyword arguments"
        );
        assert_eq!(
            text(PyObject_Call(fast, two, null_mut())),
            "'module|(1, 2)'"
        );

        let fkw = attr(m, c"fast_kw");
        assert_eq!(
            text(PyObject_Vectorcall(fkw, stack.as_ptr().add(1), 1, kwnames)),
            "\"module|(7, 8)|('k',)\""
        );
        // PyObject_Call with a dict becomes kwnames.
        assert_eq!(
            text(PyObject_Call(fkw, one, kw)),
            "\"module|(1, 1)|('x',)\""
        );
        assert_eq!(
            text(PyObject_VectorcallDict(fkw, stack.as_ptr().add(1), 1, kw)),
            "\"module|(7, 1)|('x',)\""
        );
        assert_eq!(
            text(PyObject_VectorcallDict(
                fkw,
                stack.as_ptr().add(1),
                2,
                null_mut()
            )),
            "'module|(7, 8)|NULL'"
        );
        assert!(PyVectorcall_Function(fkw).is_some());
        assert!(PyVectorcall_Function(va).is_none());
        assert_eq!(
            text(PyVectorcall_Call(fkw, two, null_mut())),
            "'module|(1, 2)|NULL'"
        );
        assert_eq!(PyVectorcall_NARGS(3 | PY_VECTORCALL_ARGUMENTS_OFFSET), 3);

        // Variadic object-argument calls.
        assert_eq!(
            text(PyObject_CallFunctionObjArgs(
                fast,
                int(1),
                int(2),
                int(3),
                null_mut::<PyObject>()
            )),
            "'module|(1, 2, 3)'"
        );
        assert_eq!(
            text(PyObject_CallMethodObjArgs(
                m,
                s("o"),
                int(9),
                null_mut::<PyObject>()
            )),
            "'module|9'"
        );
        assert_eq!(
            text(PyObject_CallFunction(
                fast,
                c"iis".as_ptr(),
                1 as c_int,
                2 as c_int,
                c"x".as_ptr()
            )),
            "\"module|(1, 2, 'x')\""
        );
        // One tuple value is spread.
        assert_eq!(
            text(PyObject_CallFunction(
                fast,
                c"(ii)".as_ptr(),
                4 as c_int,
                5 as c_int
            )),
            "'module|(4, 5)'"
        );
        assert_eq!(
            text(PyObject_CallFunction(fast, std::ptr::null())),
            "'module|()'"
        );
        assert_eq!(
            text(PyObject_CallMethod(
                m,
                c"o".as_ptr(),
                c"i".as_ptr(),
                3 as c_int
            )),
            "'module|3'"
        );
        assert!(PyObject_CallMethod(m, c"missing".as_ptr(), std::ptr::null()).is_null());
        assert_eq!(
            error(),
            "AttributeError: module 'calltest' has no attribute 'missing'"
        );

        // Result checking.
        let bad = attr(m, c"null_no_error");
        assert!(PyObject_CallNoArgs(bad).is_null());
        assert_eq!(
            error(),
            "SystemError: <built-in function null_no_error> returned NULL without setting an exception"
        );
        let bad = attr(m, c"result_and_error");
        assert!(PyObject_CallNoArgs(bad).is_null());
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(e.type_name, "SystemError");
        assert_eq!(
            e.message,
            "<built-in function result_and_error> returned a result with an exception set"
        );
        let raises = attr(m, c"raises");
        assert!(PyObject_CallNoArgs(raises).is_null());
        assert_eq!(error(), "ValueError: boom");
        assert!(PyErr_Occurred().is_null());

        // Not callable.
        assert_eq!(PyCallable_Check(int(3)), 0);
        assert!(PyObject_CallNoArgs(int(3)).is_null());
        assert_eq!(error(), "TypeError: 'int' object is not callable");
        assert!(PyObject_Call(noargs, int(1), null_mut()).is_null());
        assert_eq!(error(), "TypeError: argument list must be a tuple");
        assert!(PyVectorcall_Call(int(3), two, null_mut()).is_null());
        assert_eq!(
            error(),
            "TypeError: 'int' object does not support vectorcall"
        );
        // VectorcallMethod: args[0] is self.
        let mstack = [null_mut(), m, int(11)];
        assert_eq!(
            text(PyObject_VectorcallMethod(
                s("o"),
                mstack.as_ptr().add(1),
                2 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                null_mut()
            )),
            "'module|11'"
        );
        // Attributes.
        let get =
            |f: *mut PyObject, a: &std::ffi::CStr| text(PyObject_GetAttrString(f, a.as_ptr()));
        assert_eq!(get(o, c"__name__"), "'o'");
        assert_eq!(get(o, c"__qualname__"), "'o'");
        assert_eq!(get(o, c"__module__"), "'calltest'");
        assert_eq!(get(o, c"__doc__"), "'takes one\\nargument'");
        assert_eq!(get(o, c"__text_signature__"), "'($module, x, /)'");
        assert_eq!(get(noargs, c"__doc__"), "None");
        assert_eq!(get(noargs, c"__text_signature__"), "None");
        assert_eq!(get(o, c"__self__"), "<module 'calltest'>");
        assert_eq!(PyCFunction_GetFlags(o), METH_O);
        assert_eq!(PyCFunction_GetSelf(o), m);
        assert_eq!(
            PyCFunction_GetFunction(o),
            f_o as *const () as usize as *mut std::ffi::c_void
        );
    }
}

static mut DEFINING: PyTypeObject = static_type(c"calltest.Definer", 32, 0, 0);

#[test]
fn pycmethod_gets_its_defining_class() {
    let _g = init();
    let ml = Box::leak(Box::new(def(
        c"meth",
        f_method as *const () as usize,
        METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
    )));
    // SAFETY: a leaked def, a static type, live objects.
    unsafe {
        let f = gilgate_capi::ffi::PyCMethod_New(ml, int(42), s("calltest"), &raw mut DEFINING);
        assert!(!f.is_null(), "{}", error());
        let kwnames = tup::from_slice(&[s("key")]);
        let stack = [null_mut(), int(1), int(2)];
        assert_eq!(
            text(PyObject_Vectorcall(
                f,
                stack.as_ptr().add(1),
                1 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames
            )),
            "\"42|(1,)|('key',)|'calltest.Definer'\""
        );
        assert!(text(PyObject_Repr(f)).starts_with("'<built-in method meth of int object at 0x"),);
    }
}

// ---- a small number type: Num(value) with nb_add / nb_subtract / nb_negative ---------------

#[repr(C)]
struct NumObject {
    ob_base: PyObject,
    value: i64,
}

static CALLS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(s: String) {
    CALLS.lock().unwrap().push(s);
}

fn take_log() -> Vec<String> {
    std::mem::take(&mut *CALLS.lock().unwrap())
}

unsafe fn num_value(o: *mut PyObject) -> Option<i64> {
    // SAFETY: live object; NumObject layout for Num and SubNum.
    unsafe {
        let t = gilgate_capi::testing::object::ty(o);
        (t == &raw mut NUM_TYPE || t == &raw mut SUBNUM_TYPE)
            .then(|| (*o.cast::<NumObject>()).value)
    }
}

unsafe fn new_num(t: *mut PyTypeObject, v: i64) -> *mut PyObject {
    // SAFETY: a ready static type of NumObject size.
    unsafe {
        let o = gilgate_capi::testing::objimpl::alloc_object(t, 0);
        (*o.cast::<NumObject>()).value = v;
        o
    }
}

fn not_implemented() -> *mut PyObject {
    &raw mut gilgate_capi::ffi::_Py_NotImplementedStruct
}

unsafe extern "C" fn num_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands (slot contract).
    unsafe {
        let who = gilgate_capi::testing::object::type_name(gilgate_capi::testing::object::ty(a));
        let whob = gilgate_capi::testing::object::type_name(gilgate_capi::testing::object::ty(b));
        log(format!("add({who},{whob})"));
        let (Some(x), y) = (num_value(a), num_value(b)) else {
            return not_implemented();
        };
        let y = match y {
            Some(y) => y,
            None => match long::value_i128(b) {
                Some(v) if long::is_int(b) => v as i64,
                _ => return not_implemented(),
            },
        };
        new_num(&raw mut NUM_TYPE, x + y)
    }
}

unsafe extern "C" fn subnum_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    unsafe {
        log("subnum_add".into());
        match (num_value(a), num_value(b)) {
            (Some(x), Some(y)) => new_num(&raw mut SUBNUM_TYPE, x + y + 1000),
            _ => not_implemented(),
        }
    }
}

unsafe extern "C" fn num_neg(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operand.
    unsafe { new_num(&raw mut NUM_TYPE, -num_value(a).unwrap()) }
}

unsafe extern "C" fn num_index(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operand.
    unsafe { int(num_value(a).unwrap()) }
}

unsafe extern "C" fn num_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live operands.
    unsafe {
        log(format!("cmp{op}"));
        match (num_value(a), num_value(b)) {
            (Some(x), Some(y)) => gilgate_capi::testing::boolobject::from_bool(match op {
                0 => x < y,
                2 => x == y,
                4 => x > y,
                _ => return not_implemented(),
            }),
            _ => not_implemented(),
        }
    }
}

unsafe extern "C" fn num_repr(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operand.
    unsafe { uni::from_str(&format!("Num({})", num_value(a).unwrap())) }
}

static mut NUM_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(num_add),
    nb_negative: Some(num_neg),
    nb_index: Some(num_index),
    // SAFETY: all-zero is a valid `PyNumberMethods` (every slot `None`).
    ..unsafe { std::mem::zeroed() }
};

static mut SUBNUM_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(subnum_add),
    // SAFETY: all-zero is a valid `PyNumberMethods` (every slot `None`).
    ..unsafe { std::mem::zeroed() }
};

static mut NUM_TYPE: PyTypeObject = PyTypeObject {
    tp_as_number: &raw mut NUM_AS_NUMBER,
    tp_richcompare: Some(num_richcompare),
    tp_repr: Some(num_repr),
    ..static_type(c"Num", std::mem::size_of::<NumObject>(), 0, 0)
};

static mut SUBNUM_TYPE: PyTypeObject = PyTypeObject {
    tp_base: &raw mut NUM_TYPE,
    tp_as_number: &raw mut SUBNUM_AS_NUMBER,
    tp_richcompare: Some(num_richcompare),
    tp_repr: Some(num_repr),
    ..static_type(c"SubNum", std::mem::size_of::<NumObject>(), 0, 0)
};

#[test]
fn number_protocol_dispatch() {
    let _g = init();
    // SAFETY: live objects; results consumed.
    unsafe {
        let a = new_num(&raw mut NUM_TYPE, 2);
        let b = new_num(&raw mut NUM_TYPE, 3);
        take_log();
        assert_eq!(text(PyNumber_Add(a, b)), "Num(5)");
        assert_eq!(
            take_log(),
            ["add(Num,Num)"],
            "same type: the slot runs once"
        );
        assert_eq!(text(PyNumber_Add(a, int(10))), "Num(12)");
        // The right operand's slot runs when the left has none.
        take_log();
        let r = PyNumber_Add(gilgate_capi::testing::object::none(), a);
        assert!(r.is_null());
        assert_eq!(
            error(),
            "TypeError: unsupported operand type(s) for +: 'NoneType' and 'Num'"
        );
        assert_eq!(take_log(), ["add(NoneType,Num)"]);
        assert!(PyNumber_Subtract(a, b).is_null());
        assert_eq!(
            error(),
            "TypeError: unsupported operand type(s) for -: 'Num' and 'Num'"
        );
        assert!(PyNumber_InPlaceSubtract(a, b).is_null());
        assert_eq!(
            error(),
            "TypeError: unsupported operand type(s) for -=: 'Num' and 'Num'"
        );
        assert!(PyNumber_Power(a, b, gilgate_capi::testing::object::none()).is_null());
        assert_eq!(
            error(),
            "TypeError: unsupported operand type(s) for ** or pow(): 'Num' and 'Num'"
        );
        assert!(PyNumber_Divmod(a, b).is_null());
        assert_eq!(
            error(),
            "TypeError: unsupported operand type(s) for divmod(): 'Num' and 'Num'"
        );
        // A subclass on the right goes first.
        let sub = new_num(&raw mut SUBNUM_TYPE, 1);
        take_log();
        assert_eq!(text(PyNumber_Add(a, sub)), "Num(1003)");
        assert_eq!(take_log(), ["subnum_add"]);
        // In-place falls back to the binary slot.
        assert_eq!(text(PyNumber_InPlaceAdd(a, b)), "Num(5)");
        // Unary.
        assert_eq!(text(PyNumber_Negative(a)), "Num(-2)");
        assert!(PyNumber_Invert(a).is_null());
        assert_eq!(error(), "TypeError: bad operand type for unary ~: 'Num'");
        assert!(PyNumber_Absolute(s("x")).is_null());
        assert_eq!(error(), "TypeError: bad operand type for abs(): 'str'");
        // Index.
        assert_eq!(ival(PyNumber_Index(a)), 2);
        let t = PyNumber_Index(gilgate_capi::testing::boolobject::true_());
        assert_eq!(
            gilgate_capi::testing::object::type_name(gilgate_capi::testing::object::ty(t)),
            "int"
        );
        assert_eq!(ival(t), 1);
        assert_eq!(PyNumber_AsSsize_t(a, null_mut()), 2);
        assert_eq!(PyNumber_Check(a), 1);
        assert_eq!(PyNumber_Check(s("x")), 0);
        assert!(PyNumber_Index(s("x")).is_null());
        assert_eq!(
            error(),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        assert_eq!(ival(PyNumber_Long(a)), 2);
        assert_eq!(text(PyNumber_ToBase(a, 16)), "'0x2'");
        assert_eq!(text(PyNumber_ToBase(int(-5), 2)), "'-0b101'");
        assert!(PyNumber_ToBase(a, 3).is_null());
        assert_eq!(
            error(),
            "SystemError: PyNumber_ToBase: base must be 2, 8, 10 or 16"
        );
        assert!(PyNumber_Long(gilgate_capi::testing::object::none()).is_null());
        assert_eq!(
            error(),
            "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
        );
        assert!(PyNumber_Float(gilgate_capi::testing::object::none()).is_null());
        assert_eq!(
            error(),
            "TypeError: float() argument must be a string or a real number, not 'NoneType'"
        );
    }
}

#[test]
fn rich_comparison() {
    let _g = init();
    // SAFETY: live objects.
    unsafe {
        let a = new_num(&raw mut NUM_TYPE, 2);
        let b = new_num(&raw mut NUM_TYPE, 3);
        take_log();
        assert_eq!(PyObject_RichCompareBool(a, b, 0), 1);
        assert_eq!(PyObject_RichCompareBool(a, b, 4), 0);
        assert_eq!(take_log(), ["cmp0", "cmp4"]);
        // Identity shortcut: the slot is not called.
        assert_eq!(PyObject_RichCompareBool(a, a, 2), 1);
        assert_eq!(PyObject_RichCompareBool(a, a, 3), 0);
        assert!(take_log().is_empty());
        // Reflected: Num > Num is asked as b < a when the left returns NotImplemented (LE here).
        assert!(PyObject_RichCompare(a, b, 1).is_null());
        assert_eq!(
            error(),
            "TypeError: '<=' not supported between instances of 'Num' and 'Num'"
        );
        assert_eq!(take_log(), ["cmp1", "cmp5"]);
        // Subclass on the right is asked first, with the swapped operator.
        let sub = new_num(&raw mut SUBNUM_TYPE, 5);
        assert_eq!(PyObject_RichCompareBool(a, sub, 0), 1);
        assert_eq!(take_log(), ["cmp4"]);
        // Default equality is identity; ordering is an error.
        let x = s("x");
        assert_eq!(PyObject_RichCompareBool(a, x, 2), 0);
        assert_eq!(PyObject_RichCompareBool(a, x, 3), 1);
        assert!(PyObject_RichCompare(int(1), x, 0).is_null());
        assert_eq!(
            error(),
            "TypeError: '<' not supported between instances of 'int' and 'str'"
        );
    }
}

// ---- a sequence type: Seq(n) holds 0..n, item assignment logs -----------------------------

#[repr(C)]
struct SeqObject {
    ob_base: PyObject,
    n: isize,
}

unsafe extern "C" fn seq_len(o: *mut PyObject) -> isize {
    // SAFETY: a Seq.
    unsafe { (*o.cast::<SeqObject>()).n }
}

unsafe extern "C" fn seq_item(o: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: a Seq.
    unsafe {
        if i < 0 || i >= (*o.cast::<SeqObject>()).n {
            return pyerrors::raise(
                gilgate_capi::ffi::PyExc_IndexError.cast(),
                "Seq index out of range",
            );
        }
        new_num(&raw mut NUM_TYPE, i as i64 * 10)
    }
}

unsafe extern "C" fn seq_ass(o: *mut PyObject, i: isize, v: *mut PyObject) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let _ = o;
        log(format!(
            "ass {i} {}",
            if v.is_null() {
                "del".into()
            } else {
                text(gilgate_capi::testing::refcount::new_ref(v))
            }
        ));
    }
    0
}

static mut SEQ_METHODS: PySequenceMethods = PySequenceMethods {
    sq_length: Some(seq_len),
    sq_item: Some(seq_item),
    sq_ass_item: Some(seq_ass),
    // SAFETY: all-zero is a valid `PySequenceMethods` (every slot `None`).
    ..unsafe { std::mem::zeroed() }
};

static mut SEQ_TYPE: PyTypeObject = PyTypeObject {
    tp_as_sequence: &raw mut SEQ_METHODS,
    ..static_type(c"Seq", std::mem::size_of::<SeqObject>(), 0, 0)
};

#[test]
fn sequence_and_item_protocols() {
    let _g = init();
    // SAFETY: live objects.
    unsafe {
        let q = gilgate_capi::testing::objimpl::alloc_object(&raw mut SEQ_TYPE, 0);
        (*q.cast::<SeqObject>()).n = 4;
        assert_eq!(PySequence_Check(q), 1);
        assert_eq!(PyMapping_Check(q), 0);
        assert_eq!(PySequence_Size(q), 4);
        assert_eq!(PyObject_Size(q), 4);
        assert_eq!(nval(PySequence_GetItem(q, 1)), 10);
        assert_eq!(nval(PySequence_GetItem(q, -1)), 30);
        assert_eq!(nval(PyObject_GetItem(q, int(-2))), 20);
        assert_eq!(nval(PyObject_GetItem(q, num(2))), 20);
        assert!(PyObject_GetItem(q, s("a")).is_null());
        assert_eq!(
            error(),
            "TypeError: sequence index must be integer, not 'str'"
        );
        assert!(PySequence_GetItem(q, 9).is_null());
        assert_eq!(error(), "IndexError: Seq index out of range");
        // Containment, count and index iterate the old sequence protocol.
        assert_eq!(PySequence_Contains(q, num(20)), 1);
        assert_eq!(PySequence_Contains(q, num(25)), 0);
        assert_eq!(PySequence_Count(q, num(30)), 1);
        assert_eq!(PySequence_Index(q, num(30)), 3);
        assert_eq!(PySequence_Index(q, num(31)), -1);
        assert_eq!(error(), "ValueError: sequence.index(x): x not in sequence");
        assert_eq!(
            text(PySequence_Tuple(q)),
            "(Num(0), Num(10), Num(20), Num(30))"
        );
        take_log();
        assert_eq!(PySequence_SetItem(q, -1, int(5)), 0);
        assert_eq!(PyObject_SetItem(q, int(0), int(6)), 0);
        assert_eq!(PySequence_DelItem(q, 1), 0);
        assert_eq!(PyObject_DelItem(q, int(2)), 0);
        assert_eq!(take_log(), ["ass 3 5", "ass 0 6", "ass 1 del", "ass 2 del"]);

        // Errors of objects without the protocols.
        let x = int(5);
        assert_eq!(PySequence_Check(x), 0);
        assert!(PyObject_GetItem(x, int(0)).is_null());
        assert_eq!(error(), "TypeError: 'int' object is not subscriptable");
        assert_eq!(PyObject_SetItem(x, int(0), x), -1);
        assert_eq!(
            error(),
            "TypeError: 'int' object does not support item assignment"
        );
        assert_eq!(PyObject_DelItem(x, int(0)), -1);
        assert_eq!(
            error(),
            "TypeError: 'int' object does not support item deletion"
        );
        assert_eq!(PyObject_Length(x), -1);
        assert_eq!(error(), "TypeError: object of type 'int' has no len()");
        assert!(PySequence_GetItem(x, 0).is_null());
        assert_eq!(error(), "TypeError: 'int' object does not support indexing");
        assert!(PyObject_GetIter(x).is_null());
        assert_eq!(error(), "TypeError: 'int' object is not iterable");
        assert_eq!(PySequence_Contains(x, x), -1);
        assert_eq!(
            error(),
            "TypeError: argument of type 'int' is not a container or iterable"
        );
        assert!(PySequence_Concat(x, x).is_null());
        assert_eq!(error(), "TypeError: 'int' object can't be concatenated");
        assert!(PySequence_Repeat(x, 2).is_null());
        assert_eq!(error(), "TypeError: 'int' object can't be repeated");
        // str has sq_repeat, so CPython repeats the right operand and rejects the count.
        assert!(PyNumber_Multiply(q, s("a")).is_null());
        assert_eq!(
            error(),
            "TypeError: can't multiply sequence by non-int of type 'Seq'"
        );
        assert_eq!(PyIter_Check(x), 0);
        assert_eq!(PyAIter_Check(x), 0);
        assert!(PyObject_GetAIter(x).is_null());
        assert_eq!(error(), "TypeError: 'int' object is not an async iterable");
        let t = tup::from_slice(&[int(1), int(2)]);
        assert!(PySequence_Fast(x, c"need a sequence".as_ptr()).is_null());
        assert_eq!(error(), "TypeError: need a sequence");
        assert_eq!(PySequence_Fast(t, c"".as_ptr()), t);
        // isinstance / issubclass.
        let num = new_num(&raw mut SUBNUM_TYPE, 1);
        assert_eq!(PyObject_IsInstance(num, (&raw mut NUM_TYPE).cast()), 1);
        assert_eq!(PyObject_IsInstance(num, (&raw mut SEQ_TYPE).cast()), 0);
        let both = tup::from_slice(&[(&raw mut SEQ_TYPE).cast(), (&raw mut NUM_TYPE).cast()]);
        assert_eq!(PyObject_IsInstance(num, both), 1);
        assert_eq!(
            PyObject_IsSubclass((&raw mut SUBNUM_TYPE).cast(), (&raw mut NUM_TYPE).cast()),
            1
        );
        assert_eq!(
            PyObject_IsSubclass((&raw mut NUM_TYPE).cast(), (&raw mut SUBNUM_TYPE).cast()),
            0
        );
        assert_eq!(PyObject_IsInstance(num, x), -1);
        assert_eq!(
            error(),
            "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union"
        );
    }
}

// ---- an iterator type: Count(n) yields n-1 .. 0 -------------------------------------------

unsafe extern "C" fn count_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live object.
    unsafe { gilgate_capi::testing::refcount::new_ref(o) }
}

unsafe extern "C" fn count_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a Count object (SeqObject layout).
    unsafe {
        let c = o.cast::<SeqObject>();
        if (*c).n == 0 {
            return null_mut();
        }
        (*c).n -= 1;
        new_num(&raw mut NUM_TYPE, (*c).n as i64)
    }
}

static mut COUNT_TYPE: PyTypeObject = PyTypeObject {
    tp_iter: Some(count_iter),
    tp_iternext: Some(count_next),
    ..static_type(c"Count", std::mem::size_of::<SeqObject>(), 0, 0)
};

#[test]
fn iterators() {
    let _g = init();
    // SAFETY: live objects.
    unsafe {
        let c = gilgate_capi::testing::objimpl::alloc_object(&raw mut COUNT_TYPE, 0);
        (*c.cast::<SeqObject>()).n = 3;
        assert_eq!(PyIter_Check(c), 1);
        let it = PyObject_GetIter(c);
        assert_eq!(it, c);
        decref(it);
        assert_eq!(nval(PyIter_Next(c)), 2);
        let mut item = null_mut();
        assert_eq!(PyIter_NextItem(c, &mut item), 1);
        assert_eq!(nval(item), 1);
        assert_eq!(PySequence_Contains(c, num(0)), 1);
        assert_eq!(PyIter_NextItem(c, &mut item), 0);
        assert!(item.is_null());
        assert!(PyIter_Next(c).is_null());
        assert!(PyErr_Occurred().is_null());
        assert_eq!(PyIter_NextItem(int(1), &mut item), -1);
        assert_eq!(error(), "TypeError: expected an iterator, got 'int'");
        (*c.cast::<SeqObject>()).n = 2;
        assert_eq!(text(PySequence_Tuple(c)), "(Num(1), Num(0))");
        // PyIter_Send without am_send: next() for None, PYGEN_RETURN with None at the end.
        (*c.cast::<SeqObject>()).n = 1;
        let mut out = null_mut();
        assert_eq!(
            PyIter_Send(c, gilgate_capi::testing::object::none(), &mut out),
            1
        );
        assert_eq!(nval(out), 0);
        assert_eq!(
            PyIter_Send(c, gilgate_capi::testing::object::none(), &mut out),
            0
        );
        assert_eq!(out, gilgate_capi::testing::object::none());
        assert!(PyErr_Occurred().is_null());
    }
}

unsafe extern "C" fn f_identity(_s: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: `arg` is live.
    unsafe { gilgate_capi::testing::refcount::new_ref(arg) }
}

unsafe extern "C" fn f_first_kw(
    _s: *mut PyObject,
    args: *const *mut PyObject,
    n: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: FASTCALL|KEYWORDS contract: n positional plus the keyword values.
    unsafe {
        let nk = if kwnames.is_null() {
            0
        } else {
            tup::items(kwnames).len()
        };
        assert!(n as usize + nk > 0);
        gilgate_capi::testing::refcount::new_ref(*args)
    }
}

/// Every call path gives back exactly the references it took.
#[test]
fn calls_do_not_leak_references() {
    let _g = init();
    use gilgate_capi::testing::refcount::refcnt;
    let id_def = Box::leak(Box::new(def(
        c"identity",
        f_identity as *const () as usize,
        METH_O,
    )));
    let kw_def = Box::leak(Box::new(def(
        c"first",
        f_first_kw as *const () as usize,
        METH_FASTCALL | METH_KEYWORDS,
    )));
    // SAFETY: live objects; every result is released.
    unsafe {
        let m = module();
        let ident = PyCFunction_NewEx(id_def, m, s("calltest"));
        let first = PyCFunction_NewEx(kw_def, m, s("calltest"));
        let o = s("payload");
        let key = s("k");
        let before = (refcnt(o), refcnt(ident), refcnt(first), refcnt(m));
        for _ in 0..3 {
            decref(PyObject_CallOneArg(ident, o));
            let t = tup::from_slice(&[o]);
            decref(PyObject_Call(ident, t, null_mut()));
            let kw = gilgate_capi::testing::dictobject::new_dict();
            gilgate_capi::testing::dictobject::set_item(kw, key, o);
            decref(PyObject_Call(first, t, kw));
            decref(PyObject_VectorcallDict(first, [o].as_ptr(), 1, kw));
            decref(kw);
            decref(t);
            let names = tup::from_slice(&[key]);
            decref(PyObject_Vectorcall(first, [o, o].as_ptr(), 1, names));
            decref(names);
            decref(PyObject_CallFunctionObjArgs(
                ident,
                o,
                null_mut::<PyObject>(),
            ));
            decref(PyObject_CallFunction(ident, c"O".as_ptr(), o));
            decref(PyObject_CallMethodObjArgs(
                m,
                s("o"),
                o,
                null_mut::<PyObject>(),
            ));
            // Failing calls release what they built too.
            assert!(PyObject_CallFunction(ident, c"OO".as_ptr(), o, o).is_null());
            gilgate_capi::host::take_exception();
            assert!(PyObject_CallNoArgs(o).is_null());
            gilgate_capi::host::take_exception();
        }
        assert_eq!((refcnt(o), refcnt(ident), refcnt(first), refcnt(m)), before);
    }
}

// ---- calling a type: every entry point runs tp_new, then tp_init on an instance --------------

unsafe fn arg_ints(args: *mut PyObject) -> Vec<i64> {
    // SAFETY: a live tuple of ints (the tests pass nothing else).
    unsafe { tup::items(args).iter().map(|&a| ival(a) as i64).collect() }
}

unsafe extern "C" fn made_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract: a live tuple, kw NULL or a dict.
    unsafe {
        let a = arg_ints(args);
        log(format!("new{a:?} kw={}", !kw.is_null()));
        if a == [7] {
            // Not an instance of `t`: tp_init must not run.
            return int(7);
        }
        new_num(t, a.len() as i64)
    }
}

unsafe extern "C" fn made_init(o: *mut PyObject, args: *mut PyObject, _kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let a = arg_ints(args);
        log(format!("init{a:?}"));
        if a == [13] {
            PyErr_SetString(PyExc_ValueError, c"thirteen".as_ptr());
            return -1;
        }
        (*o.cast::<NumObject>()).value *= 10;
        0
    }
}

unsafe extern "C" fn made_dealloc(o: *mut PyObject) {
    log("dealloc".into());
    // SAFETY: the object's own block, dead now.
    unsafe { PyObject_Free(o.cast()) }
}

static mut MADE_TYPE: PyTypeObject = PyTypeObject {
    tp_new: Some(made_new),
    tp_init: Some(made_init),
    tp_dealloc: Some(made_dealloc),
    ..static_type(c"calltest.Made", std::mem::size_of::<NumObject>(), 0, 0)
};

static mut NONEW_TYPE: PyTypeObject = static_type(
    c"calltest.NoNew",
    std::mem::size_of::<PyObject>(),
    0,
    Py_TPFLAGS_DISALLOW_INSTANTIATION,
);

unsafe extern "C" fn meta_call(
    _t: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let a = arg_ints(args);
        log(format!("meta_call{a:?} kw={}", !kw.is_null()));
        int(100 + a.len() as i64)
    }
}

/// `Made(...)`'s value (10 × the number of arguments, set by new and init), or the text of
/// what else came back.
unsafe fn made_value(r: *mut PyObject) -> String {
    // SAFETY: NULL or a live object, released here.
    unsafe {
        if r.is_null() {
            return format!("NULL {}", error());
        }
        let out = if gilgate_capi::testing::object::ty(r) == &raw mut MADE_TYPE {
            format!("Made {}", (*r.cast::<NumObject>()).value)
        } else {
            text(PyObject_Repr(r))
        };
        decref(r);
        out
    }
}

/// One entry point's call of the type under test.
type CallWay<'a> = Box<dyn Fn() -> *mut PyObject + 'a>;

/// Calls `t` with the ints `a` through every entry point: each gives what `tp_call` with a
/// tuple gives, with the same steps logged.
unsafe fn call_every_way(t: *mut PyObject, a: &[i64]) -> (String, Vec<String>) {
    // SAFETY: `t` live; every result is released by made_value.
    unsafe {
        let args: Vec<*mut PyObject> = a.iter().map(|&v| int(v)).collect();
        let tuple = tup::from_slice(&args);
        let reference = made_value(PyObject_Call(t, tuple, null_mut()));
        let reference_log = take_log();
        let mut stack = vec![null_mut()];
        stack.extend_from_slice(&args);
        let mut ways: Vec<(&str, CallWay)> = vec![
            (
                "Vectorcall",
                Box::new(|| {
                    PyObject_Vectorcall(
                        t,
                        stack.as_ptr().add(1),
                        a.len() | PY_VECTORCALL_ARGUMENTS_OFFSET,
                        null_mut(),
                    )
                }),
            ),
            ("CallObject", Box::new(|| PyObject_CallObject(t, tuple))),
        ];
        match a.len() {
            0 => ways.push(("CallNoArgs", Box::new(|| PyObject_CallNoArgs(t)))),
            1 => ways.push(("CallOneArg", Box::new(|| PyObject_CallOneArg(t, args[0])))),
            _ => {}
        }
        for (way, call) in ways {
            assert_eq!(made_value(call()), reference, "{way} of {a:?}");
            assert_eq!(take_log(), reference_log, "{way} of {a:?}");
        }
        decref(tuple);
        for o in args {
            decref(o);
        }
        (reference, reference_log)
    }
}

#[test]
fn calling_a_type_runs_new_then_init_on_every_entry_point() {
    let _g = init();
    take_log();
    // SAFETY: static types readied by their first use; live objects.
    unsafe {
        let made = (&raw mut MADE_TYPE).cast::<PyObject>();
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            call_every_way(made, &[]),
            (
                "Made 0".into(),
                strs(&["new[] kw=false", "init[]", "dealloc"])
            )
        );
        assert_eq!(
            call_every_way(made, &[5]),
            (
                "Made 10".into(),
                strs(&["new[5] kw=false", "init[5]", "dealloc"])
            )
        );
        assert_eq!(
            call_every_way(made, &[1, 2, 3]),
            (
                "Made 30".into(),
                strs(&["new[1, 2, 3] kw=false", "init[1, 2, 3]", "dealloc"])
            )
        );
        // tp_new answered something that is not an instance: no tp_init.
        assert_eq!(
            call_every_way(made, &[7]),
            ("'7'".into(), strs(&["new[7] kw=false"]))
        );
        // A failing tp_init: NULL with its exception, the new object released.
        assert_eq!(
            call_every_way(made, &[13]),
            (
                "NULL ValueError: thirteen".into(),
                strs(&["new[13] kw=false", "init[13]", "dealloc"])
            )
        );
        // Keywords go through tp_call with a dict.
        let (five, key) = (int(5), s("k"));
        let names = tup::from_slice(&[key]);
        let stack = [null_mut(), five, five];
        assert_eq!(
            made_value(PyObject_Vectorcall(
                made,
                stack.as_ptr().add(1),
                1 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                names
            )),
            "Made 10"
        );
        assert_eq!(take_log(), strs(&["new[5] kw=true", "init[5]", "dealloc"]));
        decref(names);
        decref(five);
        decref(key);
        // No tp_new.
        let nonew = (&raw mut NONEW_TYPE).cast::<PyObject>();
        assert_eq!(
            call_every_way(nonew, &[]).0,
            "NULL TypeError: cannot create 'calltest.NoNew' instances"
        );
        // `type` itself: one argument answers its type, other counts are refused.
        let type_type = (&raw mut PyType_Type).cast::<PyObject>();
        assert_eq!(call_every_way(type_type, &[4]).0, "\"<class 'int'>\"");
        for n in [&[][..], &[1, 2]] {
            assert_eq!(
                call_every_way(type_type, n).0,
                "NULL TypeError: type() takes 1 or 3 arguments"
            );
        }
        // A metatype with its own tp_call: that tp_call runs, not type.__call__.
        let meta_slots = Box::leak(Box::new([
            PyType_Slot {
                slot: Py_tp_call,
                pfunc: meta_call as *mut std::ffi::c_void,
            },
            PyType_Slot {
                slot: 0,
                pfunc: null_mut(),
            },
        ]));
        let meta_spec = Box::leak(Box::new(PyType_Spec {
            name: c"calltest.Meta".as_ptr(),
            basicsize: 0,
            itemsize: 0,
            flags: (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE) as u32,
            slots: meta_slots.as_mut_ptr(),
        }));
        let meta = PyType_FromSpecWithBases(meta_spec, type_type);
        assert!(!meta.is_null(), "{}", error());
        let slots = Box::leak(Box::new([PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        }]));
        let spec = Box::leak(Box::new(PyType_Spec {
            name: c"calltest.ViaMeta".as_ptr(),
            basicsize: std::mem::size_of::<PyObject>() as c_int,
            itemsize: 0,
            flags: Py_TPFLAGS_DEFAULT as u32,
            slots: slots.as_mut_ptr(),
        }));
        let via_meta = PyType_FromMetaclass(meta.cast(), null_mut(), spec, null_mut());
        assert!(!via_meta.is_null(), "{}", error());
        for a in [&[][..], &[1], &[1, 2]] {
            assert_eq!(
                call_every_way(via_meta, a),
                (
                    format!("'{}'", 100 + a.len()),
                    vec![format!("meta_call{a:?} kw=false")]
                )
            );
        }
    }
}
