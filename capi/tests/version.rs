//! `gilgate_capi::host::set_version`: a process that inspects a module built for another CPython
//! presents that version everywhere an extension reads it. The version is process-wide and
//! fixed from its first use on, so this file holds one test (its own test binary).

use gilgate_capi::host::PyVersion;
use gilgate_capi::testing::sysmodule;
use gilgate_capi::testing::unicodeobject as uni;

#[test]
fn a_presented_version_shows_everywhere() {
    // First, before the runtime or anything else reads it.
    assert_eq!(
        gilgate_capi::host::set_version(PyVersion::new(3, 13, 15)),
        Ok(())
    );
    gilgate_capi::host::initialize().expect("runtime initializes");
    // Once fixed, it stays.
    assert_eq!(
        gilgate_capi::host::set_version(PyVersion::new(3, 15, 2)),
        Err(PyVersion::new(3, 13, 15))
    );
    let sys = sysmodule::module();
    let attr = |name: &str| {
        let k = uni::from_str(name);
        // SAFETY: live objects; `k` is our reference.
        unsafe {
            let v = gilgate_capi::testing::object::getattr(sys, k);
            gilgate_capi::host::decref(k);
            assert!(!v.is_null(), "sys.{name}");
            v
        }
    };
    // SAFETY: live objects.
    let repr = |o| unsafe { gilgate_capi::testing::object::repr_string(o) };
    assert_eq!(
        repr(attr("version_info")),
        "sys.version_info(major=3, minor=13, micro=15, releaselevel='final', serial=0)"
    );
    assert_eq!(repr(attr("hexversion")), (0x030D_0FF0u32).to_string());
    assert_eq!(repr(attr("version")), "'3.13.15 (gilgate) [rustc]'");
    // SAFETY: Py_GetVersion returns a static NUL-terminated string; Py_Version is plain data
    // written once, before this read.
    unsafe {
        let text = std::ffi::CStr::from_ptr(gilgate_capi::ffi::Py_GetVersion());
        assert_eq!(text.to_str().unwrap(), "3.13.15 (gilgate) [rustc]");
        let hex = gilgate_capi::ffi::Py_Version;
        assert_eq!(hex, 0x030D_0FF0);
    }
    let implementation = attr("implementation");
    let k = uni::from_str("cache_tag");
    // SAFETY: live objects; `k` is our reference.
    let tag = unsafe {
        let v = gilgate_capi::testing::object::getattr(implementation, k);
        gilgate_capi::host::decref(k);
        v
    };
    assert_eq!(repr(tag), "'cpython-313t'");
}
