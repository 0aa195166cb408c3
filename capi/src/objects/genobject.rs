//! `cpython/genobject.h`: the `generator`, `coroutine` and `async_generator` types.
//!
//! gilgate runs no Python code, so no generator, coroutine or asynchronous generator is ever
//! made: the types exist with CPython 3.14t's names, sizes and flags (so `PyGen_Check` and
//! friends answer, `types.GeneratorType.__name__` works, `isinstance` is false), none can be
//! instantiated ("cannot create 'generator' instances", CPython's text), and the functions that
//! need an instance raise `SystemError` for anything they are given.

use crate::export;
use crate::object::{
    Py_TPFLAGS_DISALLOW_INSTANTIATION, Py_TPFLAGS_HAVE_GC, PyObject, PyTypeObject, static_type,
};

/// `sizeof` of the 3.14t frame-less part of `PyGenObject` (`offsetof(gi_iframe.localsplus)`),
/// measured from the 3.14 headers with `Py_GIL_DISABLED`; the same for coroutines and
/// asynchronous generators. The item size is one `PyObject *` of the frame's locals.
const GEN_BASICSIZE: usize = 168;
/// `offsetof(PyGenObject, gi_weakreflist)` in 3.14t (the first field after the header).
const GEN_WEAKLISTOFFSET: isize = 32;

const fn gen_type(name: &'static std::ffi::CStr) -> PyTypeObject {
    PyTypeObject {
        tp_weaklistoffset: GEN_WEAKLISTOFFSET,
        ..static_type(
            name,
            GEN_BASICSIZE,
            std::mem::size_of::<*mut PyObject>(),
            Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
        )
    }
}

#[export]
pub static mut PyGen_Type: PyTypeObject = gen_type(c"generator");

#[export]
pub static mut PyCoro_Type: PyTypeObject = gen_type(c"coroutine");

#[export]
pub static mut PyAsyncGen_Type: PyTypeObject = gen_type(c"async_generator");

/// `PyGen_GetCode(gen)`: the generator's code object. No generator exists in gilgate, so
/// every argument is a bad one: `SystemError` (CPython does not check its argument).
#[export]
pub unsafe fn PyGen_GetCode(r#gen: *mut PyObject) -> *mut PyObject {
    let _ = r#gen;
    crate::pyerrors::raise(
        &raw mut crate::pyerrors::EXC_SystemError,
        "gilgate: PyGen_GetCode needs a generator, and gilgate runs no Python code, so none exists",
    )
}
