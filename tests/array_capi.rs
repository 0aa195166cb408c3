//! `array.array` from C: the buffer protocol (`PyObject_GetBuffer`, BufferError on a resize
//! while exported) and the object's fields read and resized inline as Cython's
//! `cpython.array` does (`tests/c/array/arrcheck.c`).

mod support;

use gilgate::capi::ffi::{PyObject, PyObject_CallNoArgs, PyObject_GetAttrString};
use gilgate::{Loader, Policy};
use support::cc;

#[test]
fn c_extensions_read_and_resize_arrays() {
    let dir = cc::out_dir("array").join(format!("p{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    cc::shared(
        cc::fixture("array/arrcheck.c"),
        dir.join("arrcheck.cpython-314t-x86_64-linux-gnu.so"),
    )
    .build();
    let host: &'static mut Loader = Box::leak(Box::new(Loader::new(Policy::Module)));
    let m = host
        .load("arrcheck", &[dir])
        .unwrap_or_else(|e| panic!("arrcheck: {e}"));
    // SAFETY: a live module; `check` takes no arguments and returns a str.
    let text = unsafe {
        let f = PyObject_GetAttrString(m.as_ptr(), c"check".as_ptr());
        assert!(!f.is_null());
        let r: *mut PyObject = PyObject_CallNoArgs(f);
        assert!(!r.is_null(), "{:?}", gilgate::capi::host::take_exception());
        let s = gilgate::capi::ffi::PyUnicode_AsUTF8(r);
        std::ffi::CStr::from_ptr(s).to_string_lossy().into_owned()
    };
    assert_eq!(
        text,
        "buf len=12 itemsize=4 format=i ndim=1 shape=3 items=1,2,3; \
         append while exported: BufferError; \
         fields size=4 typecode=i itemsize=4 exports=0 items=1,20,3,4; \
         getitem(1)=20; after resize [1, 20, 3, 4, 50, 60]"
    );
}
