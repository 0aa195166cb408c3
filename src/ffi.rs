//! Declarations of the exported C API functions the evaluator and the embedding API call.
//!
//! They are the same symbols extension modules call; `gilgate-capi` defines every one of them
//! (a name it does not implement yet is a generated stub raising `SystemError`), so these
//! declarations always link.
#![allow(non_snake_case, non_upper_case_globals, dead_code)]

use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTypeObject;
use std::ffi::{c_char, c_int, c_ulong, c_void};

pub(crate) type Obj = *mut PyObject;

pub(crate) const Py_LT: c_int = 0;
pub(crate) const Py_LE: c_int = 1;
pub(crate) const Py_EQ: c_int = 2;
pub(crate) const Py_NE: c_int = 3;
pub(crate) const Py_GT: c_int = 4;
pub(crate) const Py_GE: c_int = 5;

pub(crate) const TPFLAGS_LONG_SUBCLASS: c_ulong = 1 << 24;
pub(crate) const TPFLAGS_LIST_SUBCLASS: c_ulong = 1 << 25;
pub(crate) const TPFLAGS_TUPLE_SUBCLASS: c_ulong = 1 << 26;
pub(crate) const TPFLAGS_BYTES_SUBCLASS: c_ulong = 1 << 27;
pub(crate) const TPFLAGS_UNICODE_SUBCLASS: c_ulong = 1 << 28;
pub(crate) const TPFLAGS_DICT_SUBCLASS: c_ulong = 1 << 29;

unsafe extern "C" {
    pub(crate) static mut _Py_NoneStruct: PyObject;
    pub(crate) static mut _Py_TrueStruct: PyObject;
    pub(crate) static mut _Py_FalseStruct: PyObject;
    pub(crate) static mut _Py_EllipsisObject: PyObject;
    pub(crate) static mut PyFloat_Type: PyTypeObject;
    pub(crate) static mut PyBool_Type: PyTypeObject;

    pub(crate) fn Py_IncRef(o: Obj);
    pub(crate) fn Py_DecRef(o: Obj);
    pub(crate) fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong;

    pub(crate) fn PyObject_Repr(o: Obj) -> Obj;
    pub(crate) fn PyObject_Str(o: Obj) -> Obj;
    pub(crate) fn PyObject_GetAttr(o: Obj, name: Obj) -> Obj;
    pub(crate) fn PyObject_SetAttr(o: Obj, name: Obj, v: Obj) -> c_int;
    pub(crate) fn PyObject_GetItem(o: Obj, key: Obj) -> Obj;
    pub(crate) fn PyObject_SetItem(o: Obj, key: Obj, v: Obj) -> c_int;
    pub(crate) fn PyObject_IsTrue(o: Obj) -> c_int;
    pub(crate) fn PyObject_Not(o: Obj) -> c_int;
    pub(crate) fn PyObject_Call(callable: Obj, args: Obj, kwargs: Obj) -> Obj;
    pub(crate) fn PyObject_RichCompare(a: Obj, b: Obj, op: c_int) -> Obj;
    pub(crate) fn PyObject_GetIter(o: Obj) -> Obj;
    pub(crate) fn PyIter_Next(o: Obj) -> Obj;
    pub(crate) fn PySequence_Contains(seq: Obj, item: Obj) -> c_int;

    pub(crate) fn PyNumber_Add(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Subtract(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Multiply(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_MatrixMultiply(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_TrueDivide(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_FloorDivide(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Remainder(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Power(a: Obj, b: Obj, c: Obj) -> Obj;
    pub(crate) fn PyNumber_Lshift(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Rshift(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_And(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Or(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Xor(a: Obj, b: Obj) -> Obj;
    pub(crate) fn PyNumber_Negative(a: Obj) -> Obj;
    pub(crate) fn PyNumber_Positive(a: Obj) -> Obj;
    pub(crate) fn PyNumber_Invert(a: Obj) -> Obj;

    pub(crate) fn PyLong_FromString(s: *const c_char, end: *mut *mut c_char, base: c_int) -> Obj;
    pub(crate) fn PyLong_FromLongLong(v: i64) -> Obj;
    pub(crate) fn PyLong_FromUnsignedLongLong(v: u64) -> Obj;
    pub(crate) fn PyLong_AsLongLong(o: Obj) -> i64;
    pub(crate) fn PyLong_AsUnsignedLongLong(o: Obj) -> u64;
    pub(crate) fn PyLong_AsLongLongAndOverflow(o: Obj, overflow: *mut c_int) -> i64;
    pub(crate) fn PyFloat_FromDouble(v: f64) -> Obj;
    pub(crate) fn PyFloat_AsDouble(o: Obj) -> f64;
    pub(crate) fn PyComplex_FromDoubles(re: f64, im: f64) -> Obj;
    pub(crate) fn PyBool_FromLong(v: std::ffi::c_long) -> Obj;

    pub(crate) fn PyUnicode_FromStringAndSize(s: *const c_char, n: isize) -> Obj;
    pub(crate) fn PyUnicode_FromKindAndData(kind: c_int, data: *const c_void, n: isize) -> Obj;
    pub(crate) fn PyUnicode_AsUTF8AndSize(o: Obj, n: *mut isize) -> *const c_char;
    pub(crate) fn PyBytes_FromStringAndSize(s: *const c_char, n: isize) -> Obj;
    pub(crate) fn PyBytes_AsStringAndSize(o: Obj, s: *mut *mut c_char, n: *mut isize) -> c_int;

    pub(crate) fn PyTuple_New(n: isize) -> Obj;
    pub(crate) fn PyTuple_Size(t: Obj) -> isize;
    pub(crate) fn PyTuple_GetItem(t: Obj, i: isize) -> Obj;
    pub(crate) fn PyList_Size(l: Obj) -> isize;
    pub(crate) fn PyList_GetItem(l: Obj, i: isize) -> Obj;
    pub(crate) fn PyTuple_SetItem(t: Obj, i: isize, v: Obj) -> c_int;
    pub(crate) fn PyList_New(n: isize) -> Obj;
    pub(crate) fn PyList_SetItem(l: Obj, i: isize, v: Obj) -> c_int;
    pub(crate) fn PyDict_New() -> Obj;
    pub(crate) fn PyDict_SetItem(d: Obj, k: Obj, v: Obj) -> c_int;
    pub(crate) fn PyDict_Next(d: Obj, pos: *mut isize, k: *mut Obj, v: *mut Obj) -> c_int;
    pub(crate) fn PySet_New(iterable: Obj) -> Obj;
    pub(crate) fn PySet_Add(s: Obj, v: Obj) -> c_int;
    pub(crate) fn PySlice_New(start: Obj, stop: Obj, step: Obj) -> Obj;

    pub(crate) fn PyModule_GetDict(m: Obj) -> Obj;
    pub(crate) fn PyImport_ImportModule(name: *const c_char) -> Obj;
}
