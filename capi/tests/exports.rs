//! The export surface as the dynamic linker sees it: every name of `data/cpython-exports.tsv`
//! must be in this test binary's dynamic symbol table (`nm -D`), functions as code, data as
//! objects of at least the free-threaded size.

use gilgate_capi::host::surface::Kind;
use gilgate_capi::host::surface::SURFACE;
use gilgate_capi::host::surface::Status;
use gilgate_capi::host::surface::surface_counts;
use gilgate_capi::testing::refcount::refcnt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use support::{Library, cc};

mod support;

/// `nm -D --defined-only -S` of `exe`: name -> (type letter, size if known).
fn dynamic_symbols(exe: &Path) -> BTreeMap<String, (char, Option<u64>)> {
    let out = Command::new("nm")
        .args(["-D", "--defined-only", "-S"])
        .arg(exe)
        .output()
        .expect("running nm (binutils)");
    assert!(
        out.status.success(),
        "nm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut syms = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (ty, size, name) = match f.as_slice() {
            [_, size, ty, name] => (ty, u64::from_str_radix(size, 16).ok(), name),
            [_, ty, name] => (ty, None, name),
            _ => continue,
        };
        // Versioned names (`name@@VER`) are not ours.
        syms.insert(name.to_string(), (ty.chars().next().unwrap(), size));
    }
    syms
}

fn listed_names() -> Vec<(String, String)> {
    let tsv = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cpython-exports.tsv"),
    )
    .unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut c = l.split('\t');
            (c.next().unwrap().to_string(), c.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn surface_table_covers_the_export_list() {
    let listed = listed_names();
    let table: BTreeSet<&str> = SURFACE.iter().map(|e| e.name).collect();
    assert_eq!(
        table.len(),
        SURFACE.len(),
        "a name appears twice in SURFACE"
    );
    for (name, kind) in &listed {
        let e = gilgate_capi::host::surface::lookup(name)
            .unwrap_or_else(|| panic!("{name} not in SURFACE"));
        assert_eq!(e.kind.as_str(), kind, "{name}");
    }
    assert_eq!(listed.len(), SURFACE.len());
    for ft in [
        "PyUnstable_Module_SetGIL",
        "_Py_DecRefShared",
        "_Py_DecRefSharedDebug",
        "_Py_MergeZeroLocalRefcount",
        "_Py_GetThreadLocal_Addr",
    ] {
        assert!(
            gilgate_capi::host::surface::lookup(ft)
                .unwrap()
                .free_threaded_only,
            "{ft}"
        );
    }
    let c = surface_counts();
    assert_eq!(c.total, SURFACE.len());
    assert_eq!(
        c.funcs_real + c.funcs_partial + c.funcs_stub + c.data_real + c.data_generated,
        c.total
    );
    // Functions that never return are always real (capi/c/fatal.c).
    for never in [
        "Py_FatalError",
        "Py_Exit",
        "_Py_FatalErrorFunc",
        "Py_ExitStatusException",
    ] {
        assert_eq!(
            gilgate_capi::host::surface::lookup(never).unwrap().status,
            Status::Real,
            "{never}"
        );
    }
}

#[test]
fn every_surface_name_is_in_the_dynamic_symbol_table() {
    let exe = std::env::current_exe().unwrap();
    let syms = dynamic_symbols(&exe);
    let mut problems = Vec::new();
    for e in SURFACE {
        match (syms.get(e.name), e.kind) {
            (None, _) => problems.push(format!("{}: not defined", e.name)),
            (Some((t, _)), Kind::Func) if !matches!(t, 'T' | 'W') => {
                problems.push(format!("{}: function has symbol type {t}", e.name))
            }
            (Some((t, size)), Kind::Data) => {
                if !matches!(t, 'B' | 'D' | 'R' | 'V') {
                    problems.push(format!("{}: data has symbol type {t}", e.name));
                }
                match size {
                    Some(s) if (*s as usize) >= e.size => {}
                    other => problems.push(format!(
                        "{}: size {other:?}, expected at least {}",
                        e.name, e.size
                    )),
                }
            }
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in {}:\n{}",
        problems.len(),
        exe.display(),
        problems.join("\n")
    );
}

/// `data/shim-exports.tsv` is exactly what the compiled C shim defines: every row is a global
/// function of its file's object, and every global symbol of the shim (the generated data
/// blobs aside) has a row, so build.rs's list of hand-written C names cannot drift.
#[test]
fn shim_export_table_matches_the_compiled_shim() {
    let lib = env!("GILGATE_SHIM_LIB");
    let out = Command::new("nm")
        .args(["-A", "-g", "--defined-only"])
        .arg(lib)
        .output()
        .expect("running nm (binutils)");
    assert!(
        out.status.success(),
        "nm {lib} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `lib.a:<hash>-<stem>.o:<value> <type> <name>` -> (name, "<stem>.c")
    let mut defined = BTreeSet::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let mut parts = line.rsplitn(2, ':');
        let (Some(sym), Some(head)) = (parts.next(), parts.next()) else {
            continue;
        };
        let object = head.rsplit(':').next().unwrap();
        let stem = object.trim_end_matches(".o");
        let stem = stem.split_once('-').map_or(stem, |(_, s)| s);
        if stem == "gg_data_blobs" {
            continue;
        }
        let f: Vec<&str> = sym.split_whitespace().collect();
        let [_, ty, name] = f.as_slice() else {
            continue;
        };
        assert_eq!(*ty, "T", "{name} ({stem}.c): a shim export is a function");
        defined.insert((name.to_string(), format!("{stem}.c")));
    }
    let tsv = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shim-exports.tsv"),
    )
    .unwrap();
    let listed: BTreeSet<(String, String)> = tsv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[1].to_string())
        })
        .collect();
    assert!(listed.len() > 40, "{} rows", listed.len());
    let unlisted: Vec<_> = defined.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&defined).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "defined by the shim but not in data/shim-exports.tsv: {unlisted:?}\n\
         in data/shim-exports.tsv but not defined there: {missing:?}"
    );
    // And each is Real in the surface.
    for (name, _) in &listed {
        if let Some(e) = gilgate_capi::host::surface::lookup(name) {
            assert_eq!(e.status, Status::Real, "{name}");
        }
    }
}

#[test]
fn data_objects_are_sized_for_the_free_threaded_build() {
    let size = |n: &str| gilgate_capi::host::surface::lookup(n).unwrap().size;
    assert_eq!(size("PyLong_Type"), 432);
    assert_eq!(size("_Py_NoneStruct"), 32);
    // Measured in a 3.15 GIL build: a type object there is 424 bytes, 16 less than in a t build.
    assert_eq!(size("PySentinel_Type"), 440);
    assert_eq!(size("_PyInstrumentation_DISABLE"), 32);
    // Arrays keep their listed size.
    assert_eq!(size("_PyOpcode_Deopt"), 256);
    assert_eq!(size("PyExc_ImportCycleError"), 8);
}

/// The address the dynamic linker resolves `name` to in this process.
fn resolve(name: &str) -> *mut std::ffi::c_void {
    let c = std::ffi::CString::new(name).unwrap();
    // SAFETY: dlsym with RTLD_DEFAULT and a valid NUL-terminated name only looks the name up.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c.as_ptr()) };
    assert!(!p.is_null(), "dlsym({name}) found nothing");
    p
}

#[test]
fn type_objects_are_real_immortal_type_objects() {
    use gilgate_capi::ffi::_Py_IMMORTAL_REFCNT_LOCAL;
    use gilgate_capi::ffi::PyTypeObject;
    let type_type = resolve("PyType_Type") as *mut PyTypeObject;
    let object_type = resolve("PyBaseObject_Type") as *mut PyTypeObject;
    let read = |name: &str| {
        let t = resolve(name) as *const PyTypeObject;
        // SAFETY: every type-object symbol of the surface is a 3.14t `PyTypeObject` (at least
        // 432 bytes, checked by nm above), initialized statically.
        let t = unsafe { &*t };
        // SAFETY: tp_name of a static type points at a static NUL-terminated string.
        let tp_name = unsafe { std::ffi::CStr::from_ptr(t.tp_name) }
            .to_str()
            .unwrap()
            .to_string();
        (
            t.ob_base.ob_base.ob_type,
            t.ob_base.ob_base.ob_ref_local,
            t.tp_base,
            tp_name,
        )
    };
    let mut checked = 0;
    for e in SURFACE
        .iter()
        .filter(|e| e.kind == Kind::Data && (e.size == 432 || e.size == 440))
    {
        let (ob_type, refcnt, base, tp_name) = read(e.name);
        assert_eq!(ob_type, type_type, "{}: ob_type is not PyType_Type", e.name);
        assert_eq!(
            refcnt, _Py_IMMORTAL_REFCNT_LOCAL,
            "{}: not immortal",
            e.name
        );
        assert!(!tp_name.is_empty(), "{}", e.name);
        if e.status == Status::GeneratedData && e.name != "PyBaseObject_Type" {
            assert_eq!(base, object_type, "{}: tp_base", e.name);
        }
        checked += 1;
    }
    assert!(checked >= 90, "only {checked} type objects");
    for (sym, name) in [
        ("PyRange_Type", "range"),
        ("PyMemoryView_Type", "memoryview"),
        ("PyCapsule_Type", "PyCapsule"),
        ("PyCFunction_Type", "builtin_function_or_method"),
        ("PyLong_Type", "int"),
        ("PyUnicode_Type", "str"),
        ("_PyNone_Type", "NoneType"),
        ("Py_GenericAliasType", "types.GenericAlias"),
    ] {
        assert_eq!(read(sym).3, name, "tp_name of {sym}");
    }
}

#[test]
fn singletons_point_at_their_types() {
    use gilgate_capi::ffi::_Py_IMMORTAL_REFCNT_LOCAL;
    use gilgate_capi::ffi::PyObject;
    use gilgate_capi::ffi::PyTypeObject;
    for (obj, ty) in [
        ("_Py_NoneStruct", "_PyNone_Type"),
        ("_Py_NotImplementedStruct", "_PyNotImplemented_Type"),
        ("_Py_EllipsisObject", "PyEllipsis_Type"),
        ("_Py_TrueStruct", "PyBool_Type"),
        ("_Py_FalseStruct", "PyBool_Type"),
    ] {
        // SAFETY: these symbols are statically initialized objects starting with a PyObject header.
        let o = unsafe { &*(resolve(obj) as *const PyObject) };
        assert_eq!(o.ob_type, resolve(ty) as *mut PyTypeObject, "{obj}");
        assert_eq!(o.ob_ref_local, _Py_IMMORTAL_REFCNT_LOCAL, "{obj}");
    }
}

#[test]
fn data_read_by_inline_code_has_its_contents() {
    // SAFETY: the symbols are the arrays and scalars named, defined with these C types.
    unsafe {
        let ctype = std::slice::from_raw_parts(resolve("_Py_ctype_table") as *const u32, 256);
        assert_eq!(ctype[b'A' as usize], 0x02 | 0x10);
        assert_eq!(ctype[b' ' as usize], 0x08);
        let lower = std::slice::from_raw_parts(resolve("_Py_ctype_tolower") as *const u8, 256);
        assert_eq!(lower[b'Q' as usize], b'q');
        let ws = std::slice::from_raw_parts(resolve("_Py_ascii_whitespace") as *const u8, 128);
        assert_eq!(ws[0x1f], 1);
        assert_eq!(ws[b'x' as usize], 0);
        let dv = std::slice::from_raw_parts(resolve("_PyLong_DigitValue") as *const u8, 256);
        assert_eq!(
            (dv[b'z' as usize], dv[b'Z' as usize], dv[b'-' as usize]),
            (35, 35, 37)
        );
        let hex = *(resolve("Py_hexdigits") as *const *const std::ffi::c_char);
        assert_eq!(
            std::ffi::CStr::from_ptr(hex).to_str().unwrap(),
            "0123456789abcdef"
        );
        let swapped = std::slice::from_raw_parts(resolve("_Py_SwappedOp") as *const i32, 6);
        assert_eq!(swapped, &[4, 5, 2, 3, 0, 1]);
        assert_eq!(*(resolve("Py_Version") as *const u64), 0x030E0AF0);
    }
}

/// A shared library that references every surface name (functions and data) loads with
/// `RTLD_NOW` in this process, and each reference binds to the symbol this process defines.
/// This is what a real extension module needs; it is built here with the system C compiler.
#[test]
fn a_library_using_every_name_dlopens_with_rtld_now() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("exports-dlopen");
    std::fs::create_dir_all(&dir).unwrap();
    let mut c = String::from("/* references every name of the gilgate export surface */\n");
    for e in SURFACE {
        match e.kind {
            Kind::Func => c.push_str(&format!("extern void {}(void);\n", e.name)),
            Kind::Data => c.push_str(&format!("extern char {};\n", e.name)),
        }
    }
    c.push_str("void *const gg_refs[] = {\n");
    for e in SURFACE {
        c.push_str(&format!("    (void *)&{},\n", e.name));
    }
    c.push_str("};\n");
    let src = dir.join("uses_everything.c");
    let lib = dir.join("libuses_everything.so");
    std::fs::write(&src, c).unwrap();
    cc::shared(&src, &lib).args(["-O0", "-w"]).build();

    // SAFETY: a library whose only content is a table of addresses (no constructors).
    let handle = unsafe { Library::open(&lib) };
    let p = handle.sym(c"gg_refs") as *const *mut std::ffi::c_void;
    // SAFETY: gg_refs is an array of SURFACE.len() pointers in the library just loaded.
    let refs = unsafe { std::slice::from_raw_parts(p, SURFACE.len()) };
    for (e, &r) in SURFACE.iter().zip(refs) {
        assert_eq!(r, resolve(e.name), "{} bound elsewhere", e.name);
    }
}

/// Signature rows: name -> (return_kind, error_value).
fn signatures() -> BTreeMap<String, (String, String)> {
    let tsv = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cpython-signatures.tsv"),
    )
    .unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), (c[1].to_string(), c[2].to_string()))
        })
        .collect()
}

/// The first function that is still a stub and whose signature matches `pred`.
fn a_stub(pred: impl Fn(&str, &str) -> bool) -> &'static str {
    find_stub(pred).expect("no stub of that kind left")
}

/// As `a_stub`, None when no stub of that kind is left.
fn find_stub(pred: impl Fn(&str, &str) -> bool) -> Option<&'static str> {
    let sigs = signatures();
    SURFACE
        .iter()
        .filter(|e| e.kind == Kind::Func && e.status == Status::Stub)
        .find(|e| sigs.get(e.name).is_some_and(|(k, v)| pred(k, v)))
        .map(|e| e.name)
}

fn expect_not_implemented(name: &str) {
    let exc = gilgate_capi::host::take_exception()
        .unwrap_or_else(|| panic!("{name} returned without setting an exception"));
    assert_eq!(exc.type_name, "SystemError", "{name}");
    assert_eq!(exc.message, format!("gilgate: {name} is not implemented"));
}

#[test]
fn stubs_raise_system_error_and_return_their_error_value() {
    gilgate_capi::host::initialize().expect("initialize");

    let name = a_stub(|k, _| k == "pointer");
    // SAFETY: the symbol is a generated stub that ignores its arguments and returns a pointer.
    let f: extern "C" fn() -> *mut std::ffi::c_void = unsafe { std::mem::transmute(resolve(name)) };
    assert!(f().is_null(), "{name}");
    expect_not_implemented(name);

    let name = a_stub(|k, v| k == "int" && v == "-1");
    // SAFETY: as above, returning an int.
    let f: extern "C" fn() -> std::ffi::c_int = unsafe { std::mem::transmute(resolve(name)) };
    assert_eq!(f(), -1, "{name}");
    expect_not_implemented(name);

    let name = a_stub(|k, v| k == "int" && v.starts_with("0 "));
    // SAFETY: as above, returning an int (boolean-style: 0 on error).
    let f: extern "C" fn() -> std::ffi::c_int = unsafe { std::mem::transmute(resolve(name)) };
    assert_eq!(f(), 0, "{name}");
    expect_not_implemented(name);

    let name = a_stub(|k, _| k == "float:double");
    // SAFETY: as above, returning a double.
    let f: extern "C" fn() -> f64 = unsafe { std::mem::transmute(resolve(name)) };
    assert_eq!(f(), -1.0, "{name}");
    expect_not_implemented(name);

    // Checked while a stub of this kind is left (PyThread_start_new_thread, the last one, is
    // real since issue 9).
    if let Some(name) = find_stub(|k, _| k == "integer:long unsigned int") {
        // SAFETY: as above, returning an unsigned long ((unsigned long)-1 on error).
        let f: extern "C" fn() -> std::ffi::c_ulong = unsafe { std::mem::transmute(resolve(name)) };
        assert_eq!(f(), std::ffi::c_ulong::MAX, "{name}");
        expect_not_implemented(name);
    }

    let name = a_stub(|k, _| k == "void");
    // SAFETY: as above, returning nothing.
    let f: extern "C" fn() = unsafe { std::mem::transmute(resolve(name)) };
    f();
    expect_not_implemented(name);
    assert!(gilgate_capi::testing::ffi_guard::take_void_failures().contains(&name));
}

/// Struct results cross the C ABI correctly: a C caller sees the error `PyStatus` (32 bytes,
/// returned through a hidden pointer) and the `Py_complex` (two doubles in registers; every
/// `Py_complex` function is implemented now, so the real `_Py_c_sum` is called).
#[test]
fn struct_returning_stubs_follow_the_c_abi() {
    gilgate_capi::host::initialize().expect("initialize");
    let status_fn = a_stub(|k, _| k == "struct:PyStatus");
    let complex_fn = "_Py_c_sum";
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("exports-struct-abi");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("struct_abi.c");
    let lib = dir.join("libstruct_abi.so");
    std::fs::write(
        &src,
        format!(
            r#"typedef struct {{ int _type; const char *func; const char *err_msg; int exitcode; }} St;
typedef struct {{ double real; double imag; }} Cx;
extern St {status_fn}(void);
extern Cx {complex_fn}(Cx, Cx);
int status_type(const char **func, const char **msg) {{
    St s = {status_fn}();
    *func = s.func; *msg = s.err_msg;
    return s._type;
}}
void complex_parts(double *re, double *im) {{
    Cx a = {{1.5, -2.0}}, b = {{0.25, 4.0}};
    Cx c = {complex_fn}(a, b);
    *re = c.real; *im = c.imag;
}}
"#
        ),
    )
    .unwrap();
    cc::shared(&src, &lib).arg("-O1").build();
    // SAFETY: the library has no constructors; its two functions match the declared types.
    unsafe {
        let h = Library::open(&lib);
        let st: extern "C" fn(*mut *const std::ffi::c_char, *mut *const std::ffi::c_char) -> i32 =
            std::mem::transmute(h.sym(c"status_type"));
        let cx: extern "C" fn(*mut f64, *mut f64) = std::mem::transmute(h.sym(c"complex_parts"));
        let (mut func, mut msg) = (std::ptr::null(), std::ptr::null());
        assert_eq!(st(&mut func, &mut msg), 1, "{status_fn}: _type is 'error'");
        assert_eq!(std::ffi::CStr::from_ptr(func).to_str().unwrap(), status_fn);
        assert_eq!(
            std::ffi::CStr::from_ptr(msg).to_str().unwrap(),
            format!("gilgate: {status_fn} is not implemented")
        );
        expect_not_implemented(status_fn);
        let (mut re, mut im) = (0.0, 0.0);
        cx(&mut re, &mut im);
        assert_eq!((re, im), (1.75, 2.0), "{complex_fn}");
    }
}

#[test]
fn exception_variables_point_at_exception_types_after_initialize() {
    gilgate_capi::host::initialize().expect("initialize");
    for e in SURFACE
        .iter()
        .filter(|e| e.name.starts_with("PyExc_") && (e.in_314 || e.in_313t))
    {
        // SAFETY: every PyExc_* symbol is a `PyObject *` variable.
        let p = unsafe { *(resolve(e.name) as *const *mut gilgate_capi::ffi::PyObject) };
        assert!(!p.is_null(), "{} is NULL after initialize()", e.name);
    }
}

/// The names 3.14t exports only under `Py_GIL_DISABLED` (`data/cpython314t-only.tsv`) are in the
/// surface, marked free-threaded-only; the three whose machinery comes with the threads work
/// are stubs that say so and keep the reference they were given (a leak, never a free while
/// another thread may still read the object).
#[test]
fn free_threaded_only_names_are_exported_and_the_delayed_ones_say_so() {
    gilgate_capi::host::initialize().expect("initialize");
    let listed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/cpython314t-only.tsv"
    ))
    .unwrap();
    let names: Vec<&str> = listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t") && !l.is_empty())
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert!(names.contains(&"_PyObject_XDecRefDelayed"), "{names:?}");
    for name in &names {
        let e = SURFACE
            .iter()
            .find(|e| e.name == *name)
            .unwrap_or_else(|| panic!("{name} is not in the surface"));
        assert!(e.free_threaded_only, "{name}");
        assert!(!resolve(name).is_null(), "{name}");
    }
    let obj = gilgate_capi::testing::unicodeobject::from_str("kept alive");
    // SAFETY: a live object we own.
    let before = unsafe { refcnt(obj) };
    // _PyObject_XDecRefDelayed is real: with no other thread online it drops the reference
    // at once, and sets no exception.
    // SAFETY: a live object; the reference given to the call is one we took.
    unsafe {
        gilgate_capi::host::incref(obj);
        let f: extern "C" fn(*mut gilgate_capi::ffi::PyObject) =
            std::mem::transmute(resolve("_PyObject_XDecRefDelayed"));
        f(obj);
        f(std::ptr::null_mut());
    }
    assert!(gilgate_capi::host::take_exception().is_none());
    // SAFETY: a live object we own.
    assert_eq!(unsafe { refcnt(obj) }, before);
    {
        let name = "_PyObject_ThreadIncrefSlow";
        // SAFETY: it takes (PyObject *, ...) and returns nothing; the stub reads no argument.
        let f: extern "C" fn(*mut gilgate_capi::ffi::PyObject, usize) =
            unsafe { std::mem::transmute(resolve(name)) };
        f(obj, 0);
        expect_not_implemented(name);
        assert!(gilgate_capi::testing::ffi_guard::take_void_failures().contains(&name));
    }
    // SAFETY: as above, returning an int.
    let f: extern "C" fn(*mut gilgate_capi::ffi::PyObject) -> std::ffi::c_int =
        unsafe { std::mem::transmute(resolve("_PyObject_ResurrectEndSlow")) };
    assert_eq!(f(obj), -1);
    expect_not_implemented("_PyObject_ResurrectEndSlow");
    // SAFETY: still alive: nothing released the reference.
    assert_eq!(unsafe { refcnt(obj) }, before);
    // SAFETY: we own `obj`.
    unsafe { gilgate_capi::host::decref(obj) };
}

/// A stub called while an error is pending (Cython's traceback code calls functions while it
/// holds the first error) keeps that error: it becomes the `SystemError`'s `__context__` and
/// the message names it.
#[test]
fn a_stub_keeps_the_error_that_was_pending() {
    use gilgate_capi::ffi::{PyErr_GetRaisedException, PyException_GetContext};
    gilgate_capi::host::initialize().expect("initialize");
    let name = a_stub(|k, _| k == "pointer");
    // SAFETY: as in the test above: a generated stub returning a pointer.
    let f: extern "C" fn() -> *mut std::ffi::c_void = unsafe { std::mem::transmute(resolve(name)) };
    gilgate_capi::host::set_error("ValueError", "the first error");
    assert!(f().is_null(), "{name}");
    let exc = PyErr_GetRaisedException();
    assert!(!exc.is_null(), "{name} cleared the error indicator");
    // SAFETY: `exc` is the owned SystemError; its context is a new reference or NULL.
    unsafe {
        let info = gilgate_capi::host::describe_exception(exc, 0);
        assert_eq!(info.type_name, "SystemError");
        assert_eq!(
            info.message,
            format!(
                "gilgate: {name} is not implemented (called while ValueError: the first error was pending)"
            )
        );
        let ctx = PyException_GetContext(exc);
        assert!(!ctx.is_null(), "no __context__");
        let first = gilgate_capi::host::describe_exception(ctx, 0);
        assert_eq!(
            (first.type_name.as_str(), first.message.as_str()),
            ("ValueError", "the first error")
        );
        gilgate_capi::host::decref(ctx);
        gilgate_capi::host::decref(exc);
    }
}
