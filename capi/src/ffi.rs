//! The C ABI, flat, as extension modules see it through `include/` (like pyo3-ffi): every
//! hand-written exported function, the `#[repr(C)]` layouts, the typedefs, constants and
//! data objects. Rust code calls these as C does (`gilgate_capi::ffi::PyList_Append`).
//!
//! Inside capi only these items are `pub`; everything else is `pub(crate)` (or `pub` and
//! re-exported by `host`/`testing`), and `#![deny(unreachable_pub)]` makes a new `pub` export
//! fail the build until it is listed here. The generated stubs (`surface::stubs`) are left out:
//! they are declared without parameters and are only good for the linker.

pub use crate::abi::object::{
    _Py_IMMORTAL_FLAGS, _Py_IMMORTAL_INITIAL_REFCNT, _Py_IMMORTAL_REFCNT_LOCAL,
    _Py_LEGACY_ABI_CHECK_FLAG, _Py_REF_MAYBE_WEAKREF, _Py_REF_MERGED, _Py_REF_QUEUED,
    _Py_REF_SHARED_FLAG_MASK, _Py_REF_SHARED_SHIFT, _Py_STATICALLY_ALLOCATED_FLAG, _Py_UNOWNED_TID,
    Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE, Py_TPFLAGS_BASE_EXC_SUBCLASS, Py_TPFLAGS_BASETYPE,
    Py_TPFLAGS_BYTES_SUBCLASS, Py_TPFLAGS_DEFAULT, Py_TPFLAGS_DICT_SUBCLASS,
    Py_TPFLAGS_DISALLOW_INSTANTIATION, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_HAVE_VECTORCALL,
    Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_IMMUTABLETYPE, Py_TPFLAGS_IS_ABSTRACT,
    Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_LONG_SUBCLASS, Py_TPFLAGS_MANAGED_DICT,
    Py_TPFLAGS_MAPPING, Py_TPFLAGS_METHOD_DESCRIPTOR, Py_TPFLAGS_READY, Py_TPFLAGS_READYING,
    Py_TPFLAGS_SEQUENCE, Py_TPFLAGS_TUPLE_SUBCLASS, Py_TPFLAGS_TYPE_SUBCLASS,
    Py_TPFLAGS_UNICODE_SUBCLASS, Py_TPFLAGS_VALID_VERSION_TAG, Py_buffer, PyAsyncMethods,
    PyBufferProcs, PyMappingMethods, PyMutex, PyNumberMethods, PyObject, PySequenceMethods,
    PyTypeObject, PyVarObject, allocfunc, binaryfunc, descrgetfunc, descrsetfunc, destructor,
    freefunc, getattrfunc, getattrofunc, getbufferproc, getiterfunc, hashfunc, initproc, inquiry,
    iternextfunc, lenfunc, newfunc, objobjargproc, objobjproc, releasebufferproc, reprfunc,
    richcmpfunc, sendfunc, setattrfunc, setattrofunc, ssizeargfunc, ssizeobjargproc, ternaryfunc,
    traverseproc, unaryfunc, vectorcallfunc, visitproc,
};
pub use crate::abi::pyport::{Py_hash_t, Py_ssize_t, Py_uhash_t};
pub use crate::modules::bltinmodule::{
    PyEval_GetBuiltins, PyEval_GetFrameBuiltins, PyEval_GetGlobals,
};
pub use crate::modules::datetime::{
    PyDateTime_CAPI, PyDateTime_Date, PyDateTime_DateTime, PyDateTime_Delta, PyDateTime_Time,
};
pub use crate::modules::sysmodule::{
    _gilgate_sys_write, _gilgate_sys_write_obj, PySys_GetAttr, PySys_GetAttrString,
    PySys_GetObject, PySys_GetOptionalAttr, PySys_GetOptionalAttrString, PySys_SetObject,
};
pub use crate::objects::abstract_::{
    _PyNumber_Index, _PyObject_MakeTpCall, _PyStack_AsDict, _gilgate_call_array,
    _gilgate_call_built, _gilgate_call_method_array, PY_VECTORCALL_ARGUMENTS_OFFSET, PyAIter_Check,
    PyCallable_Check, PyIter_Check, PyIter_Next, PyIter_NextItem, PyIter_Send, PyMapping_Check,
    PyMapping_GetItemString, PyMapping_GetOptionalItem, PyMapping_GetOptionalItemString,
    PyMapping_HasKey, PyMapping_HasKeyString, PyMapping_HasKeyStringWithError,
    PyMapping_HasKeyWithError, PyMapping_Items, PyMapping_Keys, PyMapping_Length,
    PyMapping_SetItemString, PyMapping_Size, PyMapping_Values, PyNumber_Absolute, PyNumber_Add,
    PyNumber_And, PyNumber_AsSsize_t, PyNumber_Check, PyNumber_Divmod, PyNumber_Float,
    PyNumber_FloorDivide, PyNumber_InPlaceAdd, PyNumber_InPlaceAnd, PyNumber_InPlaceFloorDivide,
    PyNumber_InPlaceLshift, PyNumber_InPlaceMatrixMultiply, PyNumber_InPlaceMultiply,
    PyNumber_InPlaceOr, PyNumber_InPlacePower, PyNumber_InPlaceRemainder, PyNumber_InPlaceRshift,
    PyNumber_InPlaceSubtract, PyNumber_InPlaceTrueDivide, PyNumber_InPlaceXor, PyNumber_Index,
    PyNumber_Invert, PyNumber_Long, PyNumber_Lshift, PyNumber_MatrixMultiply, PyNumber_Multiply,
    PyNumber_Negative, PyNumber_Or, PyNumber_Positive, PyNumber_Power, PyNumber_Remainder,
    PyNumber_Rshift, PyNumber_Subtract, PyNumber_ToBase, PyNumber_TrueDivide, PyNumber_Xor,
    PyObject_Call, PyObject_CallNoArgs, PyObject_CallObject, PyObject_CallOneArg, PyObject_DelItem,
    PyObject_DelItemString, PyObject_Format, PyObject_GetAIter, PyObject_GetItem, PyObject_GetIter,
    PyObject_IsInstance, PyObject_IsSubclass, PyObject_Length, PyObject_LengthHint,
    PyObject_RichCompare, PyObject_RichCompareBool, PyObject_SetItem, PyObject_Size,
    PyObject_Vectorcall, PyObject_VectorcallDict, PyObject_VectorcallMethod, PySequence_Check,
    PySequence_Concat, PySequence_Contains, PySequence_Count, PySequence_DelItem,
    PySequence_DelSlice, PySequence_Fast, PySequence_GetItem, PySequence_GetSlice, PySequence_In,
    PySequence_InPlaceConcat, PySequence_InPlaceRepeat, PySequence_Index, PySequence_Length,
    PySequence_List, PySequence_Repeat, PySequence_SetItem, PySequence_SetSlice, PySequence_Size,
    PySequence_Tuple, PyVectorcall_Call, PyVectorcall_Function, PyVectorcall_NARGS,
};
pub use crate::objects::boolobject::{
    _Py_FalseStruct, _Py_TrueStruct, PyBool_FromLong, PyBool_Type,
};
pub use crate::objects::bytearrayobject::{
    _PyByteArray_empty_string, PyByteArray_AsString, PyByteArray_Concat, PyByteArray_FromObject,
    PyByteArray_FromStringAndSize, PyByteArray_Resize, PyByteArray_Size, PyByteArray_Type,
    PyByteArrayIter_Type, PyByteArrayObject,
};
pub use crate::objects::bytesobject::{
    _PyBytes_Resize, PyBytes_AsString, PyBytes_AsStringAndSize, PyBytes_Concat,
    PyBytes_ConcatAndDel, PyBytes_FromObject, PyBytes_FromString, PyBytes_FromStringAndSize,
    PyBytes_Join, PyBytes_Repr, PyBytes_Size, PyBytes_Type, PyBytesIter_Type, PyBytesObject,
};
pub use crate::objects::classobject::{
    PyInstanceMethod_Function, PyInstanceMethod_New, PyInstanceMethod_Type, PyInstanceMethodObject,
    PyMethod_Function, PyMethod_New, PyMethod_Self, PyMethod_Type, PyMethodObject,
};
pub use crate::objects::codeobject::{
    PyCode_Addr2Line, PyCode_GetCellvars, PyCode_GetCode, PyCode_GetFreevars, PyCode_GetVarnames,
    PyCode_NewEmpty, PyCode_Type, PyCodeObject, PyEval_EvalCode, PyUnstable_Code_New,
    PyUnstable_Code_NewWithPosOnlyArgs,
};
pub use crate::objects::complexobject::{
    _Py_c_abs, _Py_c_diff, _Py_c_neg, _Py_c_pow, _Py_c_prod, _Py_c_quot, _Py_c_sum, Py_complex,
    PyComplex_AsCComplex, PyComplex_FromCComplex, PyComplex_FromDoubles, PyComplex_ImagAsDouble,
    PyComplex_RealAsDouble, PyComplex_Type, PyComplexObject,
};
pub use crate::objects::descrobject::mappingproxy::{PyDictProxy_New, PyDictProxy_Type};
pub use crate::objects::descrobject::property::PyProperty_Type;
pub use crate::objects::descrobject::{
    Py_READONLY, Py_T_BOOL, Py_T_BYTE, Py_T_CHAR, Py_T_DOUBLE, Py_T_FLOAT, Py_T_INT, Py_T_LONG,
    Py_T_LONGLONG, Py_T_OBJECT_EX, Py_T_PYSSIZET, Py_T_SHORT, Py_T_STRING, Py_T_STRING_INPLACE,
    Py_T_UBYTE, Py_T_UINT, Py_T_ULONG, Py_T_ULONGLONG, Py_T_USHORT, PyClassMethodDescr_Type,
    PyDescr_IsData, PyDescr_NewClassMethod, PyDescr_NewGetSet, PyDescr_NewMember,
    PyDescr_NewMethod, PyDescrObject, PyGetSetDef, PyGetSetDescr_Type, PyGetSetDescrObject,
    PyMemberDef, PyMemberDescr_Type, PyMemberDescrObject, PyMethodDescr_Type, PyMethodDescrObject,
    PyWrapperDescr_Type, PyWrapperDescrObject, getter, setter,
};
pub use crate::objects::dictobject::{
    PyDict_Clear, PyDict_Contains, PyDict_ContainsString, PyDict_Copy, PyDict_DelItem,
    PyDict_DelItemString, PyDict_GetItem, PyDict_GetItemRef, PyDict_GetItemString,
    PyDict_GetItemStringRef, PyDict_GetItemWithError, PyDict_Items, PyDict_Keys, PyDict_Merge,
    PyDict_MergeFromSeq2, PyDict_New, PyDict_Next, PyDict_Pop, PyDict_PopString, PyDict_SetDefault,
    PyDict_SetDefaultRef, PyDict_SetItem, PyDict_SetItemString, PyDict_Size, PyDict_Type,
    PyDict_Update, PyDict_Values, PyDictItems_Type, PyDictIterItem_Type, PyDictIterKey_Type,
    PyDictIterValue_Type, PyDictKeys_Type, PyDictObject, PyDictValues_Type,
};
pub use crate::objects::exceptions::{
    PyBaseExceptionObject, PyExc_ArithmeticError, PyExc_AssertionError, PyExc_AttributeError,
    PyExc_BaseException, PyExc_BaseExceptionGroup, PyExc_BlockingIOError, PyExc_BrokenPipeError,
    PyExc_BufferError, PyExc_BytesWarning, PyExc_ChildProcessError, PyExc_ConnectionAbortedError,
    PyExc_ConnectionError, PyExc_ConnectionRefusedError, PyExc_ConnectionResetError,
    PyExc_DeprecationWarning, PyExc_EOFError, PyExc_EncodingWarning, PyExc_EnvironmentError,
    PyExc_Exception, PyExc_FileExistsError, PyExc_FileNotFoundError, PyExc_FloatingPointError,
    PyExc_FutureWarning, PyExc_GeneratorExit, PyExc_IOError, PyExc_ImportCycleError,
    PyExc_ImportError, PyExc_ImportWarning, PyExc_IndentationError, PyExc_IndexError,
    PyExc_InterpreterError, PyExc_InterpreterNotFoundError, PyExc_InterruptedError,
    PyExc_IsADirectoryError, PyExc_KeyError, PyExc_KeyboardInterrupt, PyExc_LookupError,
    PyExc_MemoryError, PyExc_ModuleNotFoundError, PyExc_NameError, PyExc_NotADirectoryError,
    PyExc_NotImplementedError, PyExc_OSError, PyExc_OverflowError, PyExc_PendingDeprecationWarning,
    PyExc_PermissionError, PyExc_ProcessLookupError, PyExc_PythonFinalizationError,
    PyExc_RecursionError, PyExc_ReferenceError, PyExc_ResourceWarning, PyExc_RuntimeError,
    PyExc_RuntimeWarning, PyExc_StopAsyncIteration, PyExc_StopIteration, PyExc_SyntaxError,
    PyExc_SyntaxWarning, PyExc_SystemError, PyExc_SystemExit, PyExc_TabError, PyExc_TimeoutError,
    PyExc_TypeError, PyExc_UnboundLocalError, PyExc_UnicodeDecodeError, PyExc_UnicodeEncodeError,
    PyExc_UnicodeError, PyExc_UnicodeTranslateError, PyExc_UnicodeWarning, PyExc_UserWarning,
    PyExc_ValueError, PyExc_Warning, PyExc_ZeroDivisionError, PyException_GetArgs,
    PyException_GetCause, PyException_GetContext, PyException_GetTraceback, PyException_SetArgs,
    PyException_SetCause, PyException_SetContext, PyException_SetTraceback, PyImportErrorObject,
};
pub use crate::objects::fileobject::{
    PyFile_WriteObject, PyFile_WriteString, PyObject_AsFileDescriptor,
};
pub use crate::objects::floatobject::{
    _Py_HashDouble, PyFloat_AsDouble, PyFloat_FromDouble, PyFloat_FromString, PyFloat_GetMax,
    PyFloat_GetMin, PyFloat_Pack2, PyFloat_Pack4, PyFloat_Pack8, PyFloat_Type, PyFloat_Unpack2,
    PyFloat_Unpack4, PyFloat_Unpack8, PyFloatObject,
};
pub use crate::objects::frameobject::{
    PyFrame_GetBack, PyFrame_GetBuiltins, PyFrame_GetCode, PyFrame_GetGenerator,
    PyFrame_GetGlobals, PyFrame_GetLasti, PyFrame_GetLineNumber, PyFrame_GetLocals, PyFrame_New,
    PyFrame_Type, PyFrameObject,
};
pub use crate::objects::funcobject::{
    _Py_CheckFunctionResult, PyClassMethod_New, PyClassMethod_Type, PyFunction_GetAnnotations,
    PyFunction_Type, PyStaticMethod_New, PyStaticMethod_Type,
};
pub use crate::objects::genericaliasobject::{Py_GenericAlias, Py_GenericAliasType};
pub use crate::objects::genobject::{PyAsyncGen_Type, PyCoro_Type, PyGen_GetCode, PyGen_Type};
pub use crate::objects::iterobject::{
    PyCallIter_New, PyCallIter_Type, PySeqIter_New, PySeqIter_Type,
};
pub use crate::objects::listobject::{
    _PyList_Extend, PyList_Append, PyList_AsTuple, PyList_Clear, PyList_Extend, PyList_GetItem,
    PyList_GetItemRef, PyList_GetSlice, PyList_Insert, PyList_New, PyList_Reverse, PyList_SetItem,
    PyList_SetSlice, PyList_Size, PyList_Sort, PyList_Type, PyListIter_Type, PyListObject,
    PyListRevIter_Type,
};
pub use crate::objects::longobject::{
    _PyLong_AsByteArray, _PyLong_Copy, _PyLong_Format, _PyLong_Frexp, _PyLong_FromByteArray,
    _PyLong_FromDigits, _PyLong_GCD, _PyLong_New, _PyLong_NumBits, _PyLong_Sign, _PyLongValue,
    PyLong_AsDouble, PyLong_AsInt, PyLong_AsInt32, PyLong_AsInt64, PyLong_AsLong,
    PyLong_AsLongAndOverflow, PyLong_AsLongLong, PyLong_AsLongLongAndOverflow,
    PyLong_AsNativeBytes, PyLong_AsSize_t, PyLong_AsSsize_t, PyLong_AsUInt32, PyLong_AsUInt64,
    PyLong_AsUnsignedLong, PyLong_AsUnsignedLongLong, PyLong_AsUnsignedLongLongMask,
    PyLong_AsUnsignedLongMask, PyLong_AsVoidPtr, PyLong_Export, PyLong_FreeExport,
    PyLong_FromDouble, PyLong_FromInt32, PyLong_FromInt64, PyLong_FromLong, PyLong_FromLongLong,
    PyLong_FromNativeBytes, PyLong_FromSize_t, PyLong_FromSsize_t, PyLong_FromString,
    PyLong_FromUInt32, PyLong_FromUInt64, PyLong_FromUnicodeObject, PyLong_FromUnsignedLong,
    PyLong_FromUnsignedLongLong, PyLong_FromUnsignedNativeBytes, PyLong_FromVoidPtr,
    PyLong_GetNativeLayout, PyLong_GetSign, PyLong_IsNegative, PyLong_IsPositive, PyLong_IsZero,
    PyLong_SHIFT, PyLong_Type, PyLongExport, PyLongLayout, PyLongObject, PyLongWriter_Create,
    PyLongWriter_Discard, PyLongWriter_Finish, PyOS_strtol, PyOS_strtoul,
    PyUnstable_Long_CompactValue, PyUnstable_Long_IsCompact,
};
pub use crate::objects::memoryobject::{
    PyBUF_READ, PyBUF_WRITE, PyMemoryView_FromBuffer, PyMemoryView_FromMemory,
    PyMemoryView_FromObject, PyMemoryView_GetContiguous, PyMemoryView_Type, PyMemoryViewObject,
};
pub use crate::objects::methodobject::{
    METH_CLASS, METH_COEXIST, METH_FASTCALL, METH_KEYWORDS, METH_METHOD, METH_NOARGS, METH_O,
    METH_STACKLESS, METH_STATIC, METH_VARARGS, PyCFunction_Call, PyCFunction_GetFlags,
    PyCFunction_GetFunction, PyCFunction_GetSelf, PyCFunction_New, PyCFunction_NewEx,
    PyCFunction_Type, PyCFunctionObject, PyCMethod_New, PyCMethod_Type, PyCMethodObject,
    PyMethodDef,
};
pub use crate::objects::moduleobject::{
    _Py_mod_LAST_SLOT, _PyModule_CreateInitialized, PYTHON_ABI_VERSION, PYTHON_API_VERSION,
    Py_MOD_GIL_NOT_USED, Py_MOD_GIL_USED, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED,
    Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED, Py_mod_create,
    Py_mod_exec, Py_mod_gil, Py_mod_multiple_interpreters, PyModule_Add, PyModule_AddFunctions,
    PyModule_AddIntConstant, PyModule_AddObject, PyModule_AddObjectRef, PyModule_AddStringConstant,
    PyModule_AddType, PyModule_Create2, PyModule_ExecDef, PyModule_FromDefAndSpec2,
    PyModule_FromSlotsAndSpec, PyModule_GetDef, PyModule_GetDict, PyModule_GetFilename,
    PyModule_GetFilenameObject, PyModule_GetName, PyModule_GetNameObject, PyModule_GetState,
    PyModule_New, PyModule_NewObject, PyModule_SetDocString, PyModule_Type, PyModuleDef,
    PyModuleDef_Base, PyModuleDef_Init, PyModuleDef_Slot, PyModuleDef_Type, PySlot, PySlot_INTPTR,
    PySlot_OPTIONAL, PySlot_STATIC, PyUnstable_Module_SetGIL, v315,
};
pub use crate::objects::object::extra::{
    _Py_ReachedRecursionLimitWithMargin, _PyTrash_thread_deposit_object,
    _PyTrash_thread_destroy_chain, Py_GetConstant, Py_GetConstantBorrowed, Py_ReprEnter,
    Py_ReprLeave, PyObject_GC_IsTracked, PyUnstable_EnableTryIncRef,
    PyUnstable_Object_IsUniquelyReferenced, PyUnstable_TryIncRef,
};
pub use crate::objects::object::{
    _Py_EllipsisObject, _Py_NoneStruct, _Py_NotImplementedStruct, _PyNone_Type,
    _PyNotImplemented_Type, Py_Is, Py_IsFalse, Py_IsNone, Py_IsTrue, Py_NewRef,
    Py_TPFLAGS_MANAGED_WEAKREF, Py_TPFLAGS_PREHEADER, Py_XNewRef, PyBaseObject_Type,
    PyEllipsis_Type, PyObject_DelAttr, PyObject_DelAttrString, PyObject_Dir,
    PyObject_GenericGetAttr, PyObject_GenericSetAttr, PyObject_GetAttr, PyObject_GetAttrString,
    PyObject_GetOptionalAttr, PyObject_GetOptionalAttrString, PyObject_HasAttr,
    PyObject_HasAttrString, PyObject_HasAttrStringWithError, PyObject_HasAttrWithError,
    PyObject_Hash, PyObject_IsTrue, PyObject_Not, PyObject_Repr, PyObject_SetAttr,
    PyObject_SetAttrString, PyObject_Str, PyObject_Type, PyType_GetFlags, PyType_IsSubtype,
    PyType_Ready, PyType_Type,
};
pub use crate::objects::pybuffer::{
    PyBUF_ANY_CONTIGUOUS, PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS, PyBUF_FORMAT, PyBUF_FULL_RO,
    PyBUF_INDIRECT, PyBUF_ND, PyBUF_RECORDS_RO, PyBUF_SIMPLE, PyBUF_STRIDES, PyBUF_WRITABLE,
    PyBuffer_FillContiguousStrides, PyBuffer_FillInfo, PyBuffer_FromContiguous,
    PyBuffer_GetPointer, PyBuffer_IsContiguous, PyBuffer_Release, PyBuffer_SizeFromFormat,
    PyBuffer_ToContiguous, PyObject_CheckBuffer, PyObject_GetBuffer,
};
pub use crate::objects::pycapsule::{
    Destructor, PyCapsule_GetContext, PyCapsule_GetDestructor, PyCapsule_GetName,
    PyCapsule_GetPointer, PyCapsule_Import, PyCapsule_IsValid, PyCapsule_New, PyCapsule_SetContext,
    PyCapsule_SetDestructor, PyCapsule_SetName, PyCapsule_SetPointer, PyCapsule_Type,
};
pub use crate::objects::rangeobject::{PyLongRangeIter_Type, PyRange_Type, PyRangeIter_Type};
pub use crate::objects::setobject::{
    PyFrozenSet_New, PyFrozenSet_Type, PySet_Add, PySet_Clear, PySet_Contains, PySet_Discard,
    PySet_New, PySet_Pop, PySet_Size, PySet_Type, PySetIter_Type, PySetObject, setentry,
};
pub use crate::objects::sliceobject::{
    PySlice_AdjustIndices, PySlice_GetIndices, PySlice_GetIndicesEx, PySlice_New, PySlice_Type,
    PySlice_Unpack, PySliceObject,
};
pub use crate::objects::structseq::{
    PyStructSequence_Desc, PyStructSequence_Field, PyStructSequence_GetItem,
    PyStructSequence_InitType, PyStructSequence_InitType2, PyStructSequence_New,
    PyStructSequence_NewType, PyStructSequence_SetItem,
};
pub use crate::objects::tupleobject::{
    _PyTuple_Resize, _gilgate_tuple_from_array, PyTuple_FromArray, PyTuple_GetItem,
    PyTuple_GetSlice, PyTuple_New, PyTuple_SetItem, PyTuple_Size, PyTuple_Type, PyTupleIter_Type,
    PyTupleObject,
};
pub use crate::objects::typeobject::superobject::PySuper_Type;
pub use crate::objects::typeobject::{
    _PyObject_GetDictPtr, _PyType_Lookup, _PyType_LookupRef, _PyType_Name, PyHeapTypeObject,
    PyObject_CallFinalizer, PyObject_CallFinalizerFromDealloc, PyObject_ClearManagedDict,
    PyObject_GenericGetDict, PyObject_GenericHash, PyObject_GenericSetDict,
    PyObject_HashNotImplemented, PyObject_SelfIter, PyObject_VisitManagedDict,
    PyType_FromMetaclass, PyType_FromModuleAndSpec, PyType_FromSpec, PyType_FromSpecWithBases,
    PyType_GetBaseByToken, PyType_GetDict, PyType_GetFullyQualifiedName, PyType_GetModule,
    PyType_GetModuleByDef, PyType_GetModuleName, PyType_GetModuleState, PyType_GetName,
    PyType_GetQualName, PyType_GetSlot, PyType_Modified, PyType_SUPPORTS_WEAKREFS, PyType_Slot,
    PyType_Spec,
};
pub use crate::objects::typeslots::{
    Py_am_aiter, Py_am_anext, Py_am_await, Py_am_send, Py_bf_getbuffer, Py_bf_releasebuffer,
    Py_mp_ass_subscript, Py_mp_length, Py_mp_subscript, Py_nb_absolute, Py_nb_add, Py_nb_and,
    Py_nb_bool, Py_nb_divmod, Py_nb_float, Py_nb_floor_divide, Py_nb_index, Py_nb_inplace_add,
    Py_nb_inplace_and, Py_nb_inplace_floor_divide, Py_nb_inplace_lshift,
    Py_nb_inplace_matrix_multiply, Py_nb_inplace_multiply, Py_nb_inplace_or, Py_nb_inplace_power,
    Py_nb_inplace_remainder, Py_nb_inplace_rshift, Py_nb_inplace_subtract,
    Py_nb_inplace_true_divide, Py_nb_inplace_xor, Py_nb_int, Py_nb_invert, Py_nb_lshift,
    Py_nb_matrix_multiply, Py_nb_multiply, Py_nb_negative, Py_nb_or, Py_nb_positive, Py_nb_power,
    Py_nb_remainder, Py_nb_rshift, Py_nb_subtract, Py_nb_true_divide, Py_nb_xor, Py_sq_ass_item,
    Py_sq_concat, Py_sq_contains, Py_sq_inplace_concat, Py_sq_inplace_repeat, Py_sq_item,
    Py_sq_length, Py_sq_repeat, Py_tp_alloc, Py_tp_base, Py_tp_bases, Py_tp_call, Py_tp_clear,
    Py_tp_dealloc, Py_tp_del, Py_tp_descr_get, Py_tp_descr_set, Py_tp_doc, Py_tp_finalize,
    Py_tp_free, Py_tp_getattr, Py_tp_getattro, Py_tp_getset, Py_tp_hash, Py_tp_init, Py_tp_is_gc,
    Py_tp_iter, Py_tp_iternext, Py_tp_members, Py_tp_methods, Py_tp_new, Py_tp_repr,
    Py_tp_richcompare, Py_tp_setattr, Py_tp_setattro, Py_tp_str, Py_tp_token, Py_tp_traverse,
    Py_tp_vectorcall,
};
pub use crate::objects::unicodectype::{
    _PyUnicode_IsDecimalDigit, _PyUnicode_IsDigit, _PyUnicode_IsNumeric, _PyUnicode_IsTitlecase,
};
pub use crate::objects::unicodeobject::writer::{
    _PyUnicodeWriter, _PyUnicodeWriter_Dealloc, _PyUnicodeWriter_Finish, _PyUnicodeWriter_Init,
    _PyUnicodeWriter_PrepareInternal, _PyUnicodeWriter_PrepareKindInternal,
    _PyUnicodeWriter_WriteASCIIString, _PyUnicodeWriter_WriteChar,
    _PyUnicodeWriter_WriteLatin1String, _PyUnicodeWriter_WriteStr, _PyUnicodeWriter_WriteSubstring,
    PyUnicodeWriter, PyUnicodeWriter_Create, PyUnicodeWriter_DecodeUTF8Stateful,
    PyUnicodeWriter_Discard, PyUnicodeWriter_Finish, PyUnicodeWriter_WriteASCII,
    PyUnicodeWriter_WriteChar, PyUnicodeWriter_WriteRepr, PyUnicodeWriter_WriteStr,
    PyUnicodeWriter_WriteSubstring, PyUnicodeWriter_WriteUCS4, PyUnicodeWriter_WriteUTF8,
    PyUnicodeWriter_WriteWideChar,
};
pub use crate::objects::unicodeobject::{
    _PyUnicode_IsAlpha, _PyUnicode_IsLinebreak, _PyUnicode_IsLowercase, _PyUnicode_IsUppercase,
    _PyUnicode_IsWhitespace, _PyUnicode_ToLowercase, _PyUnicode_ToUppercase, _gilgate_fmt_ascii,
    _gilgate_fmt_bytes, _gilgate_fmt_cstr, _gilgate_fmt_finish, _gilgate_fmt_new,
    _gilgate_fmt_object, FormatBuffer, PyASCIIObject, PyCompactUnicodeObject, PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND, PyUnicode_4BYTE_KIND, PyUnicode_Append, PyUnicode_AppendAndDel,
    PyUnicode_AsASCIIString, PyUnicode_AsEncodedString, PyUnicode_AsLatin1String, PyUnicode_AsUCS4,
    PyUnicode_AsUCS4Copy, PyUnicode_AsUTF8, PyUnicode_AsUTF8AndSize, PyUnicode_AsUTF8String,
    PyUnicode_AsWideChar, PyUnicode_AsWideCharString, PyUnicode_Compare,
    PyUnicode_CompareWithASCIIString, PyUnicode_Concat, PyUnicode_Contains,
    PyUnicode_CopyCharacters, PyUnicode_Count, PyUnicode_DATA, PyUnicode_Decode,
    PyUnicode_DecodeASCII, PyUnicode_DecodeFSDefault, PyUnicode_DecodeFSDefaultAndSize,
    PyUnicode_DecodeLatin1, PyUnicode_DecodeUTF8, PyUnicode_DecodeUTF8Stateful,
    PyUnicode_EncodeFSDefault, PyUnicode_Equal, PyUnicode_EqualToUTF8,
    PyUnicode_EqualToUTF8AndSize, PyUnicode_FSConverter, PyUnicode_Fill, PyUnicode_Find,
    PyUnicode_FindChar, PyUnicode_FromKindAndData, PyUnicode_FromObject, PyUnicode_FromOrdinal,
    PyUnicode_FromString, PyUnicode_FromStringAndSize, PyUnicode_FromWideChar,
    PyUnicode_GetDefaultEncoding, PyUnicode_GetLength, PyUnicode_InternFromString,
    PyUnicode_InternInPlace, PyUnicode_IsIdentifier, PyUnicode_Join, PyUnicode_KIND, PyUnicode_New,
    PyUnicode_Partition, PyUnicode_RPartition, PyUnicode_RSplit, PyUnicode_ReadChar,
    PyUnicode_Replace, PyUnicode_Resize, PyUnicode_RichCompare, PyUnicode_Split,
    PyUnicode_Splitlines, PyUnicode_Substring, PyUnicode_Tailmatch, PyUnicode_Type,
    PyUnicode_WriteChar, PyUnicodeIter_Type, PyUnicodeObject, SSTATE_INTERNED_IMMORTAL,
    SSTATE_INTERNED_MORTAL, SSTATE_NOT_INTERNED,
};
pub use crate::objects::weakrefobject::{
    _PyWeakref_CallableProxyType, _PyWeakref_ProxyType, _PyWeakref_RefType, PyObject_ClearWeakRefs,
    PyWeakReference, PyWeakref_GetObject, PyWeakref_GetRef, PyWeakref_IsDead, PyWeakref_NewProxy,
    PyWeakref_NewRef,
};
pub use crate::runtime::ceval::{
    _PyEval_SliceIndex, _PyEval_SliceIndexNotNone, Py_AddPendingCall, Py_EnterRecursiveCall,
    Py_LeaveRecursiveCall, Py_MakePendingCalls, PyErr_CheckSignals, PyEval_AcquireLock,
    PyEval_AcquireThread, PyEval_InitThreads, PyEval_ReleaseLock, PyEval_ReleaseThread,
    PyEval_RestoreThread, PyEval_SaveThread, PyEval_ThreadsInitialized,
};
pub use crate::runtime::ceval::{
    Py_GetRecursionLimit, Py_SetRecursionLimit, PyErr_SetInterrupt, PyErr_SetInterruptEx,
    PyOS_AfterFork, PyOS_AfterFork_Child, PyOS_AfterFork_Parent, PyOS_BeforeFork, PyOS_getsig,
    PyOS_setsig,
};
pub use crate::runtime::context::{
    PyContext_Copy, PyContext_CopyCurrent, PyContext_Enter, PyContext_Exit, PyContext_New,
    PyContext_Type, PyContextToken_Type, PyContextVar_Get, PyContextVar_New, PyContextVar_Reset,
    PyContextVar_Set, PyContextVar_Type,
};
pub use crate::runtime::critical_section::{
    _PyCriticalSection_BeginSlow, _PyCriticalSection_Resume, _PyCriticalSection_SuspendAll,
    _PyCriticalSection2_BeginSlow, PyCriticalSection, PyCriticalSection_Begin,
    PyCriticalSection_BeginMutex, PyCriticalSection_End, PyCriticalSection2,
    PyCriticalSection2_Begin, PyCriticalSection2_BeginMutex, PyCriticalSection2_End,
};
pub use crate::runtime::gc_free_threading::{
    PyGC_Collect, PyGC_Disable, PyGC_Enable, PyGC_IsEnabled, PyObject_GC_IsFinalized,
    PyObject_IS_GC,
};
pub use crate::runtime::getargs::{
    _PyArg_BadArgument, _PyArg_CheckPositional, _PyArg_NoKeywords, _PyArg_NoPositional,
    _gilgate_parse, _gilgate_parse_count, _gilgate_parse_prepare, _gilgate_parse_prepared,
    _gilgate_unpack_check, Compiled, PyArg_ValidateKeywordArguments,
};
pub use crate::runtime::getargs::{_PyArg_Parser, _PyArg_UnpackKeywords};
pub use crate::runtime::import::{
    InitFunc, PyImport_AddModule, PyImport_AddModuleObject, PyImport_AddModuleRef,
    PyImport_AppendInittab, PyImport_GetModule, PyImport_GetModuleDict, PyImport_Import,
    PyImport_ImportModule, PyImport_ImportModuleAttr, PyImport_ImportModuleAttrString,
    PyImport_ImportModuleLevel, PyImport_ImportModuleLevelObject, PyImport_ImportModuleNoBlock,
};
pub use crate::runtime::initconfig::Py_GetArgcArgv;
pub use crate::runtime::legacy_tracing::{PyEval_SetProfile, PyEval_SetTrace};
pub use crate::runtime::lock::{
    _PyMutex_LockTimed, PyMutex_IsLocked, PyMutex_Lock, PyMutex_Unlock,
};
pub use crate::runtime::modsupport::{
    _gilgate_build_prepare, _gilgate_build_prepared, BuildPlan, BuildVal, PyABIInfo,
    PyABIInfo_Check, PyABIInfo_FREETHREADED, PyABIInfo_FREETHREADING_AGNOSTIC, PyABIInfo_GIL,
    PyABIInfo_INTERNAL, PyABIInfo_STABLE,
};
pub use crate::runtime::objimpl::{
    _PyObject_GC_New, _PyObject_GC_NewVar, _PyObject_New, _PyObject_NewVar, PyObject_GC_Del,
    PyObject_GC_Track, PyObject_GC_UnTrack, PyObject_GetArenaAllocator, PyObject_Init,
    PyObject_InitVar, PyObject_SetArenaAllocator, PyObjectArenaAllocator, PyType_GenericAlloc,
    PyType_GenericNew,
};
pub use crate::runtime::pyctype::{
    _Py_ctype_table, _Py_ctype_tolower, _Py_ctype_toupper, PY_CTF_ALNUM, PY_CTF_ALPHA,
    PY_CTF_DIGIT, PY_CTF_LOWER, PY_CTF_SPACE, PY_CTF_UPPER, PY_CTF_XDIGIT,
};
pub use crate::runtime::pyerrors::{
    _PyErr_BadInternalCall, _gilgate_err_set_formatted, PyErr_BadArgument, PyErr_BadInternalCall,
    PyErr_Clear, PyErr_ExceptionMatches, PyErr_Fetch, PyErr_GetExcInfo, PyErr_GetHandledException,
    PyErr_GetRaisedException, PyErr_GivenExceptionMatches, PyErr_NewException,
    PyErr_NewExceptionWithDoc, PyErr_NoMemory, PyErr_NormalizeException, PyErr_Occurred,
    PyErr_Print, PyErr_PrintEx, PyErr_Restore, PyErr_SetExcInfo, PyErr_SetHandledException,
    PyErr_SetImportError, PyErr_SetImportErrorSubclass, PyErr_SetNone, PyErr_SetObject,
    PyErr_SetRaisedException, PyErr_SetString, PyErr_WriteUnraisable,
};
pub use crate::runtime::pyhash::{Py_HashBuffer, Py_HashPointer};
pub use crate::runtime::pylifecycle::{Py_GetVersion, Py_IsFinalizing, Py_IsInitialized};
pub use crate::runtime::pymem::{
    PyMem_Calloc, PyMem_Free, PyMem_Malloc, PyMem_RawCalloc, PyMem_RawFree, PyMem_RawMalloc,
    PyMem_RawRealloc, PyMem_Realloc, PyObject_Calloc, PyObject_Free, PyObject_Malloc,
    PyObject_Realloc,
};
pub use crate::runtime::pystate::{
    _PyErr_StackItem, _PyThreadState_GetCurrent, _gilgate_gilstate_ensure, PyGILState_Check,
    PyGILState_GetThisThreadState, PyGILState_LOCKED, PyGILState_Release, PyGILState_UNLOCKED,
    PyInterpreterState, PyInterpreterState_Get, PyInterpreterState_GetDict,
    PyInterpreterState_GetID, PyInterpreterState_Head, PyInterpreterState_Main,
    PyInterpreterState_Next, PyInterpreterState_ThreadHead, PyState_AddModule, PyState_FindModule,
    PyState_RemoveModule, PyThreadState, PyThreadState_Clear, PyThreadState_Delete,
    PyThreadState_DeleteCurrent, PyThreadState_EnterTracing, PyThreadState_Get,
    PyThreadState_GetDict, PyThreadState_GetFrame, PyThreadState_GetID,
    PyThreadState_GetInterpreter, PyThreadState_GetUnchecked, PyThreadState_LeaveTracing,
    PyThreadState_New, PyThreadState_Next, PyThreadState_Swap,
};
pub use crate::runtime::pystrtod::{
    Py_DTSF_ADD_DOT_0, Py_DTSF_ALT, Py_DTSF_NO_NEG_0, Py_DTSF_SIGN, Py_DTST_FINITE,
    Py_DTST_INFINITE, Py_DTST_NAN, PyOS_double_to_string, PyOS_string_to_double,
};
pub use crate::runtime::pythread::{
    PY_LOCK_ACQUIRED, PY_LOCK_FAILURE, PY_LOCK_INTR, Py_tss_t, PyThread_ReInitTLS,
    PyThread_acquire_lock, PyThread_acquire_lock_timed, PyThread_allocate_lock,
    PyThread_create_key, PyThread_delete_key, PyThread_delete_key_value, PyThread_detach_thread,
    PyThread_free_lock, PyThread_get_key_value, PyThread_get_stacksize, PyThread_get_thread_ident,
    PyThread_get_thread_native_id, PyThread_init_thread, PyThread_join_thread,
    PyThread_release_lock, PyThread_set_key_value, PyThread_start_joinable_thread,
    PyThread_start_new_thread, PyThread_tss_alloc, PyThread_tss_create, PyThread_tss_delete,
    PyThread_tss_free, PyThread_tss_get, PyThread_tss_is_created, PyThread_tss_set,
};
pub use crate::runtime::qsbr::_PyObject_XDecRefDelayed;
pub use crate::runtime::refcount::{
    _Py_Dealloc, _Py_DecRef, _Py_DecRefShared, _Py_DecRefSharedDebug, _Py_GetThreadLocal_Addr,
    _Py_IncRef, _Py_MergeZeroLocalRefcount, _Py_SetRefcnt, Py_DecRef, Py_IncRef, Py_REFCNT,
    Py_TYPE, PyUnstable_Object_EnableDeferredRefcount,
};
pub use crate::runtime::structmember::{
    Py_AUDIT_READ, Py_RELATIVE_OFFSET, PyMember_GetOne, PyMember_SetOne,
};
pub use crate::runtime::traceback::{
    PyTraceBack_Here, PyTraceBack_Print, PyTraceBack_Type, PyTracebackObject,
};
pub use crate::runtime::tracemalloc::{PyTraceMalloc_Track, PyTraceMalloc_Untrack};
pub use crate::runtime::warnings::{_gilgate_warn_formatted, PyErr_WarnEx};
pub use crate::surface::static_data::{
    _Py_HashSecret, _Py_SwappedOp, _Py_ascii_whitespace, _PyLong_DigitValue, ConstCStr,
    PY_TIMEOUT_MAX, PY_VERSION_HEX, Py_BytesWarningFlag, Py_DebugFlag, Py_DontWriteBytecodeFlag,
    Py_FileSystemDefaultEncodeErrors, Py_FileSystemDefaultEncoding, Py_FrozenFlag,
    Py_HasFileSystemDefaultEncoding, Py_HashRandomizationFlag, Py_IgnoreEnvironmentFlag,
    Py_InspectFlag, Py_InteractiveFlag, Py_IsolatedFlag, Py_NoSiteFlag, Py_NoUserSiteDirectory,
    Py_OptimizeFlag, Py_QuietFlag, Py_UTF8Mode, Py_UnbufferedStdioFlag, Py_VerboseFlag, Py_Version,
    Py_hexdigits, PyHashSecret, PyStructSequence_UnnamedField,
};
