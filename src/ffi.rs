//! The C API the evaluator and the embedding API call: the same functions, data and constants
//! extension modules use, taken from `gilgate_capi::ffi` (the C ABI face of gilgate-capi).

pub(crate) use gilgate_capi::ffi::{
    _Py_EllipsisObject, _Py_NoneStruct, _Py_TrueStruct, Py_DecRef, Py_EQ, Py_GE, Py_GT, Py_IncRef,
    Py_LE, Py_LT, Py_NE, Py_TPFLAGS_BYTES_SUBCLASS, Py_TPFLAGS_DICT_SUBCLASS,
    Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_LONG_SUBCLASS, Py_TPFLAGS_TUPLE_SUBCLASS,
    Py_TPFLAGS_UNICODE_SUBCLASS, PyBool_FromLong, PyBool_Type, PyBytes_AsStringAndSize,
    PyBytes_FromStringAndSize, PyComplex_FromDoubles, PyDict_New, PyDict_Next, PyDict_SetItem,
    PyEval_RestoreThread, PyEval_SaveThread, PyFloat_AsDouble, PyFloat_FromDouble,
    PyGILState_GetThisThreadState, PyImport_ImportModule, PyIter_Next, PyList_GetItem, PyList_New,
    PyList_SetItem, PyList_Size, PyLong_AsLongLong, PyLong_AsLongLongAndOverflow,
    PyLong_AsUnsignedLongLong, PyLong_FromLongLong, PyLong_FromString, PyLong_FromUnsignedLongLong,
    PyModule_GetDict, PyNumber_Add, PyNumber_And, PyNumber_FloorDivide, PyNumber_Invert,
    PyNumber_Lshift, PyNumber_MatrixMultiply, PyNumber_Multiply, PyNumber_Negative, PyNumber_Or,
    PyNumber_Positive, PyNumber_Power, PyNumber_Remainder, PyNumber_Rshift, PyNumber_Subtract,
    PyNumber_TrueDivide, PyNumber_Xor, PyObject, PyObject_Call, PyObject_GetAttr, PyObject_GetItem,
    PyObject_GetIter, PyObject_IsTrue, PyObject_Not, PyObject_Repr, PyObject_RichCompare,
    PyObject_SetAttr, PyObject_SetItem, PyObject_Str, PySequence_Contains, PySet_Add, PySet_New,
    PySlice_New, PyThreadState_Get, PyThreadState_GetUnchecked, PyTuple_GetItem, PyTuple_New,
    PyTuple_SetItem, PyTuple_Size, PyType_GetFlags, PyUnicode_AsUTF8AndSize,
    PyUnicode_FromKindAndData, PyUnicode_FromStringAndSize,
};

pub(crate) type Obj = *mut PyObject;
