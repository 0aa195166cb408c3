//! Sizes and offsets of the runtime's object structs against CPython 3.14t's numbers
//! (tests/data/abi-layouts.md).

use gilgate_capi::ffi::PyABIInfo;
use gilgate_capi::ffi::PyASCIIObject;
use gilgate_capi::ffi::PyBaseExceptionObject;
use gilgate_capi::ffi::PyCFunctionObject;
use gilgate_capi::ffi::PyCMethodObject;
use gilgate_capi::ffi::PyCompactUnicodeObject;
use gilgate_capi::ffi::PyCriticalSection;
use gilgate_capi::ffi::PyCriticalSection2;
use gilgate_capi::ffi::PyDictObject;
use gilgate_capi::ffi::PyFloatObject;
use gilgate_capi::ffi::PyImportErrorObject;
use gilgate_capi::ffi::PyLongObject;
use gilgate_capi::ffi::PySlot;
use gilgate_capi::ffi::PyThreadState;
use gilgate_capi::ffi::PyTupleObject;
use gilgate_capi::ffi::PyUnicodeObject;
use gilgate_capi::host::PyModuleObject;
use std::mem::{offset_of, size_of};

#[test]
fn sizes_and_offsets() {
    assert_eq!(size_of::<PyLongObject>(), 48);
    assert_eq!(size_of::<PyFloatObject>(), 40);
    assert_eq!(offset_of!(PyTupleObject, ob_hash), 40);
    assert_eq!(offset_of!(PyTupleObject, ob_item), 48);
    assert_eq!(size_of::<PyTupleObject>(), 56);
    assert_eq!(offset_of!(PyDictObject, ma_used), 32);
    assert_eq!(offset_of!(PyDictObject, ma_keys), 48);
    assert_eq!(size_of::<PyDictObject>(), 64);
    assert_eq!(size_of::<PyASCIIObject>(), 56);
    assert_eq!(offset_of!(PyASCIIObject, state), 48);
    assert_eq!(size_of::<PyCompactUnicodeObject>(), 72);
    assert_eq!(offset_of!(PyCompactUnicodeObject, utf8), 64);
    assert_eq!(size_of::<PyUnicodeObject>(), 80);
    assert_eq!(size_of::<PyBaseExceptionObject>(), 88);
    assert_eq!(offset_of!(PyBaseExceptionObject, suppress_context), 80);
    assert_eq!(size_of::<PyImportErrorObject>(), 120);
    assert_eq!(offset_of!(PyImportErrorObject, name_from), 112);
    assert_eq!(size_of::<PyCFunctionObject>(), 72);
    assert_eq!(size_of::<PyCMethodObject>(), 80);
    assert_eq!(size_of::<PyModuleObject>(), 80);
    assert_eq!(offset_of!(PyModuleObject, md_gil), 72);
    assert_eq!(size_of::<PySlot>(), 16);
    assert_eq!(size_of::<PyABIInfo>(), 12);
    assert_eq!(size_of::<PyCriticalSection>(), 16);
    assert_eq!(size_of::<PyCriticalSection2>(), 24);
    assert_eq!(size_of::<PyThreadState>(), 832);
    assert_eq!(offset_of!(PyThreadState, current_exception), 112);
    assert_eq!(offset_of!(PyThreadState, gilstate_counter), 136);
    assert_eq!(offset_of!(PyThreadState, thread_id), 152);
    assert_eq!(offset_of!(PyThreadState, critical_section), 176);
    assert_eq!(offset_of!(PyThreadState, exc_state), 256);
    assert_eq!(offset_of!(PyThreadState, datastack_cached_chunk), 824);
}

#[test]
fn error_indicator_lives_in_the_thread_state() {
    gilgate_capi::host::set_error("ValueError", "x");
    let ts = gilgate_capi::ffi::PyThreadState_Get();
    // SAFETY: the calling thread's state.
    let cur = unsafe { (*ts).current_exception };
    assert!(!cur.is_null());
    assert_eq!(cur, gilgate_capi::testing::pyerrors::current());
    assert_eq!(gilgate_capi::host::take_exception().unwrap().message, "x");
    // SAFETY: as above.
    assert!(unsafe { (*ts).current_exception }.is_null());
}
