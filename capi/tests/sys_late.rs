//! The `sys` module is made on first use: `sys.path` and `sys.flags.gil` set before that (by
//! the loader: `set_path`, `set_lock_hooks`) are the made module's, and later calls replace
//! them in it. One test in its own process, so that nothing made the module before it.

use gilgate_capi::ffi::*;

fn path() -> Vec<String> {
    // SAFETY: a borrowed reference to sys.path (a list of str), read while it is live.
    unsafe {
        let l = PySys_GetObject(c"path".as_ptr());
        assert!(!l.is_null(), "sys.path exists");
        (0..PyList_Size(l))
            .map(|i| gilgate_capi::testing::object::str_string(PyList_GetItem(l, i)))
            .collect()
    }
}

fn flag_gil() -> String {
    // SAFETY: a borrowed reference to sys.flags; its attribute is our reference.
    unsafe {
        let f = PySys_GetObject(c"flags".as_ptr());
        assert!(!f.is_null(), "sys.flags exists");
        let g = PyObject_GetAttrString(f, c"gil".as_ptr());
        assert!(!g.is_null(), "sys.flags.gil exists");
        let s = gilgate_capi::testing::object::repr_string(g);
        Py_DecRef(g);
        s
    }
}

fn no_query() -> bool {
    false
}

#[test]
fn path_and_flags_set_before_sys_is_made_are_its_own() {
    gilgate_capi::host::initialize().expect("runtime initializes");
    gilgate_capi::host::set_path(&["/first".into()]);
    gilgate_capi::host::set_path(&["/a".into(), "/b".into()]);
    gilgate_capi::host::set_lock_hooks(no_query, Some(true));
    assert_eq!(path(), ["/a", "/b"]);
    assert_eq!(flag_gil(), "1");
    gilgate_capi::host::set_path(&["/c".into()]);
    gilgate_capi::host::set_lock_hooks(no_query, Some(false));
    assert_eq!(path(), ["/c"]);
    assert_eq!(flag_gil(), "0");
}
