//! C API functions real extensions import that were stubs: `PyOS_snprintf`/`PyOS_vsnprintf`,
//! the method objects (`PyMethod_*`, `PyInstanceMethod_*`, `PyClassMethod_New`), the
//! collector switches and the smaller helpers, each checked from C against CPython's
//! behaviour (fixtures in `tests/c/runtime_apis/`).

use std::ffi::{CStr, c_char, c_int};
use support::{Library, cc};

mod support;

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

/// Builds the fixture `fixture` (which includes `runtime_apis/checks.h`), runs its `entry` and
/// asserts every check passed and that there were `expected` of them.
fn run_checks(fixture: &str, entry: &CStr, expected: usize) {
    init();
    let stem = std::path::Path::new(fixture)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("fixture");
    let so = cc::shared(
        cc::fixture(fixture),
        cc::out_dir("runtime_apis").join(format!("gilgate-{stem}.so")),
    )
    .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
    .build();
    // SAFETY: loading a library we just built; its undefined symbols resolve against this
    // test binary's exported C API; the entry point has the signature declared here.
    unsafe {
        let f = Library::open(&so).sym(entry);
        let check: unsafe extern "C" fn(*mut c_char, usize) -> c_int = std::mem::transmute(f);
        let mut buf = vec![0 as c_char; 16384];
        let failed = check(buf.as_mut_ptr(), buf.len());
        let text = CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned();
        assert_eq!(failed, 0, "C checks failed:\n{text}");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("ok ")).count(),
            expected,
            "{text}"
        );
    }
}

#[test]
fn pyos_snprintf_always_terminates() {
    run_checks("runtime_apis/snprintf.c", c"gg_snprintf_checks", 15);
}

#[test]
fn method_instancemethod_and_classmethod_objects() {
    run_checks("runtime_apis/methods.c", c"gg_method_checks", 55);
}

#[test]
fn smaller_apis_and_builtin_import() {
    run_checks("runtime_apis/misc.c", c"gg_misc_checks", 145);
}

#[test]
fn super_with_explicit_arguments() {
    run_checks("runtime_apis/super.c", c"gg_super_checks", 32);
}

#[test]
fn locale_encoding_of_the_calling_thread() {
    run_checks("runtime_apis/locale.c", c"gg_locale_checks", 33);
}

#[test]
fn context_variables() {
    run_checks("runtime_apis/context.c", c"gg_context_checks", 49);
}

#[test]
fn former_stubs_types_results_tracing_and_keywords() {
    run_checks("runtime_apis/former_stubs.c", c"gg_former_stub_checks", 87);
}
