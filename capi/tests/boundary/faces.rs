// The C ABI and the host contract resolve through their faces.
fn main() {
    let _append: unsafe extern "C" fn(
        *mut gilgate_capi::ffi::PyObject,
        *mut gilgate_capi::ffi::PyObject,
    ) -> std::ffi::c_int = gilgate_capi::ffi::PyList_Append;
    let _init: fn() -> Result<(), String> = gilgate_capi::host::initialize;
}
