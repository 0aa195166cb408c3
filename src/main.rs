fn main() {
    let _ = gilgate::capi::object::_Py_IMMORTAL_REFCNT_LOCAL;
}
