//! Imports through the loader's hook: a dotted name inside a package folder loads the
//! extension exactly as `gilgate load` does, sibling extensions of one package load, the
//! package itself is a plain module (its `__init__.py` does not run), and `sys` reports the
//! lock state the loads left.

mod support;

use gilgate::capi::testing::import;
use gilgate::{Loader, Policy};
use gilgate_test_extensions::sample;

fn attr_repr(o: *mut gilgate::capi::ffi::PyObject, name: &str) -> String {
    let k = gilgate::capi::testing::unicodeobject::from_str(name);
    // SAFETY: live objects; the result is a new reference or NULL.
    unsafe {
        let v = gilgate::capi::testing::object::getattr(o, k);
        assert!(
            !v.is_null(),
            "{name}: {:?}",
            gilgate::capi::host::take_exception()
        );
        gilgate::capi::testing::object::repr_string(v)
    }
}

#[test]
fn sibling_extensions_of_a_package_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(
        pkg.join("__init__.py"),
        "raise SystemExit('must not run')\n",
    )
    .unwrap();
    for m in ["mp_ft", "mp_gil_two"] {
        let src = sample(m);
        std::fs::copy(&src, pkg.join(src.file_name().unwrap())).unwrap();
    }
    let mut host = Loader::new(Policy::Auto);
    let search = vec![tmp.path().to_path_buf()];
    let m = host.load("pkg.mp_ft", &search).expect("loads").as_ptr();
    assert_eq!(attr_repr(m, "__name__"), "'pkg.mp_ft'");
    // The loader made its search path sys.path.
    assert_eq!(import::search_roots(), search);

    // The sibling comes through PyImport_ImportModule and the loader's hook.
    // SAFETY: a C string.
    let sib = unsafe { gilgate::capi::ffi::PyImport_ImportModule(c"pkg.mp_gil_two".as_ptr()) };
    assert!(
        !sib.is_null(),
        "{:?}",
        gilgate::capi::host::take_exception()
    );
    assert_eq!(attr_repr(sib, "__name__"), "'pkg.mp_gil_two'");
    let p = gilgate::capi::host::get_module("pkg");
    assert!(!p.is_null());
    assert!(import::is_package(p));
    // `__path__` holds the folder (a list; a tuple until gilgate has lists).
    let path = attr_repr(p, "__path__");
    assert!(
        path.contains(&format!("'{}'", pkg.to_string_lossy())),
        "{path}"
    );
    // The submodule is an attribute of its package, and sys.modules has both.
    let k = gilgate::capi::testing::unicodeobject::from_str("mp_gil_two");
    // SAFETY: live objects.
    let sub = unsafe { gilgate::capi::testing::object::getattr(p, k) };
    assert_eq!(sub, sib);
    // Both declare Py_MOD_GIL_NOT_USED: the lock stays off.
    assert!(!gilgate::capi::testing::sysmodule::gil_enabled());
    // Importing again returns the same module object.
    // SAFETY: a C string.
    let again = unsafe { gilgate::capi::ffi::PyImport_ImportModule(c"pkg.mp_gil_two".as_ptr()) };
    assert_eq!(again, sib);

    // A name with only Python source names the module.
    std::fs::write(pkg.join("helper.py"), "x = 1\n").unwrap();
    // SAFETY: a C string.
    assert!(unsafe { gilgate::capi::ffi::PyImport_ImportModule(c"pkg.helper".as_ptr()) }.is_null());
    let e = gilgate::capi::host::take_exception().unwrap();
    assert_eq!(e.type_name, "ImportError");
    assert!(
        e.message
            .starts_with("cannot import Python module 'pkg.helper' from ")
            && e.message.ends_with("it does not execute Python source)"),
        "{}",
        e.message
    );

    // `from pkg import sub` imports a submodule that is not yet an attribute (CPython's
    // `_handle_fromlist`); any error of the submodule's import is raised.
    let src = sample("counter");
    std::fs::copy(&src, pkg.join(src.file_name().unwrap())).unwrap();
    let fromlist = |names: &[&std::ffi::CStr]| {
        use gilgate::capi::ffi;
        // SAFETY: a fresh tuple filled with new str references.
        unsafe {
            let t = ffi::PyTuple_New(names.len() as ffi::Py_ssize_t);
            for (i, n) in names.iter().enumerate() {
                ffi::PyTuple_SetItem(
                    t,
                    i as ffi::Py_ssize_t,
                    ffi::PyUnicode_FromString(n.as_ptr()),
                );
            }
            t
        }
    };
    let from = |names: &[&std::ffi::CStr]| {
        // SAFETY: a C string and a live tuple.
        unsafe {
            gilgate::capi::ffi::PyImport_ImportModuleLevel(
                c"pkg".as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                fromlist(names),
                0,
            )
        }
    };
    // A name that is neither, in a package whose non-empty __init__.py did not run: that
    // file would have set it, and the error says so (the submodule before it was imported).
    assert!(from(&[c"counter", c"nosuch"]).is_null());
    let e = gilgate::capi::host::take_exception().unwrap();
    assert_eq!(e.type_name, "ImportError");
    assert!(
        e.message.starts_with(
            "cannot import name 'nosuch' from 'pkg' (its __init__.py did not run: gilgate \
             cannot run Python module 'pkg' from "
        ),
        "{}",
        e.message
    );
    let m = from(&[c"counter"]);
    assert!(!m.is_null(), "{:?}", gilgate::capi::host::take_exception());
    assert_eq!(attr_repr(m, "__name__"), "'pkg'");
    assert_eq!(
        attr_repr(attr_ptr(m, "counter"), "__name__"),
        "'pkg.counter'"
    );
    assert!(from(&[c"helper"]).is_null());
    let e = gilgate::capi::host::take_exception().unwrap();
    assert_eq!(e.type_name, "ImportError");
    assert!(
        e.message
            .starts_with("cannot import Python module 'pkg.helper'"),
        "{}",
        e.message
    );
}

/// Compiles `tests/c/imports/imp_probe.c` as module `name` importing `import` into `dir`.
fn build_importer(dir: &std::path::Path, name: &str, import: &str) -> std::path::PathBuf {
    let out = dir.join(format!("{name}.cpython-314t-x86_64-linux-gnu.so"));
    support::build_importer_at(&out, name, import);
    out
}

fn inspect_json(args: &[&std::path::Path]) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_GIL")
        .env_remove("GILGATE_PATH")
        .args(["inspect", "--json"])
        .args(args)
        .output()
        .expect("run gilgate");
    serde_json::from_str(&String::from_utf8(out.stdout).unwrap()).expect("JSON report")
}

#[test]
fn inspect_reports_python_dependencies_and_finds_sibling_extensions() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    let src = sample("mp_ft");
    std::fs::copy(&src, pkg.join(src.file_name().unwrap())).unwrap();
    build_importer(&pkg, "needs_py", "six");
    build_importer(&pkg, "uses_sibling", "pkg.mp_ft");
    build_importer(&pkg, "uses_datetime", "datetime");
    let doc = inspect_json(&[tmp.path()]);
    let mods = doc["modules"].as_array().unwrap();
    let row = |n: &str| {
        mods.iter()
            .find(|m| m["name"] == n)
            .unwrap_or_else(|| panic!("no row {n}: {doc}"))
    };
    // No declaration before the failed import: undetermined, the error kept as evidence.
    let m = row("pkg.needs_py");
    assert_eq!(m["status"], "undetermined", "{m}");
    let e = &m["evidence"]["stopped_by"];
    assert_eq!(e["type"], "ModuleNotFoundError");
    assert_eq!(
        e["message"],
        "No module named 'six' (gilgate runs compiled extension modules only; it does not execute Python source)"
    );
    assert_eq!(m["lints"][0]["code"], "needs-python-module", "{m}");
    assert!(
        m["lints"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("needs Python module six: pkg.needs_py imports 'six'")
    );
    // The worker's search root is the inspected folder: `pkg.mp_ft` loads from it.
    let m = row("pkg.uses_sibling");
    assert_eq!(m["status"], "ok", "{m}");
    let m = row("pkg.uses_datetime");
    assert_eq!(m["status"], "ok", "{m}");
}

/// `gilgate eval --path PATH MODULE EXPRS...`: exit code, stdout, stderr.
fn eval(path: &std::path::Path, module: &str, exprs: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_GIL")
        .env_remove("GILGATE_PATH")
        .arg("eval")
        .arg("--path")
        .arg(path)
        .arg(module)
        .args(["-m", "importlib"])
        .args(exprs)
        .output()
        .expect("run gilgate");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An init that fails in an import and wraps its error twice (pybind11's `raise_from`:
/// matplotlib's `_tkagg`) is reported with its whole chain of causes, the import's error last.
#[test]
fn init_failure_shows_its_chain_of_causes() {
    let tmp = tempfile::tempdir().unwrap();
    support::cc::shared(
        support::cc::fixture("imports/chained.c"),
        tmp.path().join("chained.cpython-314t-x86_64-linux-gnu.so"),
    )
    .args(["-O1", "-Wall", "-Werror"])
    .define("GG_NAME", "chained")
    .define("GG_IMPORT", "\"gg_absent_dep\"")
    .build();
    let (rc, _, err) = eval(tmp.path(), "chained", &["1"]);
    assert_ne!(rc, 0);
    assert_eq!(
        err.trim_end(),
        "gilgate: chained: error: ImportError: initialization failed \
         (caused by ImportError: failed to load its dependency) \
         (caused by ModuleNotFoundError: No module named 'gg_absent_dep' \
         (gilgate runs compiled extension modules only; it does not execute Python source))"
    );
    // `gilgate load` reports the same chain.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .env_remove("GILGATE_PATH")
        .arg("load")
        .arg("--path")
        .arg(tmp.path())
        .arg("chained")
        .output()
        .expect("run gilgate");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(
            "ImportError: initialization failed (caused by ImportError: failed to load its \
             dependency) (caused by ModuleNotFoundError: No module named 'gg_absent_dep'"
        ),
        "{text}"
    );
}

/// A wheel's Python files are unpacked with its extensions (never run): a package with an
/// `__init__.py` is a regular package, and whatever its Python code would have provided says
/// so. `from pkg import sub` imports the submodule as CPython's `_handle_fromlist` does; an
/// init that wraps the import's error twice (pybind11's `raise_from`) shows the whole chain.
#[test]
fn python_source_in_a_wheel_is_named_where_it_is_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let so = "pkg/chained.cpython-314t-x86_64-linux-gnu.so";
    let built = tmp.path().join("chained.so");
    support::cc::shared(support::cc::fixture("imports/chained.c"), &built)
        .args(["-O1", "-Wall", "-Werror"])
        .define("GG_NAME", "chained")
        .define("GG_IMPORT", "\"pkg.sub\"")
        .build();
    let capsule_so = "pkg/capsule_user.cpython-314t-x86_64-linux-gnu.so";
    let capsule_built = tmp.path().join("capsule_user.so");
    support::cc::shared(support::cc::fixture("imports/chained.c"), &capsule_built)
        .args(["-O1", "-Wall", "-Werror"])
        .define("GG_NAME", "capsule_user")
        .define("GG_IMPORT", "\"pkg.sub\"")
        .define("GG_CAPSULE", "\"pkg._C_API\"")
        .build();
    let ft = sample("mp_ft");
    let ft_member = format!("pkg/{}", ft.file_name().unwrap().to_string_lossy());
    let wheel = tmp.path().join("pkg-1.0-cp314-cp314t-linux_x86_64.whl");
    support::write_wheel(
        &wheel,
        &[
            ("pkg/__init__.py", b"from .sub import y\n".to_vec()),
            ("pkg/sub.py", b"y = 2\n".to_vec()),
            ("plain/__init__.py", Vec::new()),
            (so, std::fs::read(&built).unwrap()),
            (capsule_so, std::fs::read(&capsule_built).unwrap()),
            (&ft_member, std::fs::read(&ft).unwrap()),
        ],
    );
    let note = "gilgate runs compiled extension modules only; it does not execute Python source";

    // The chain of causes, down to the Python submodule the exec imported.
    let (rc, _, err) = eval(&wheel, "pkg.chained", &["1"]);
    assert_ne!(rc, 0);
    let want = "gilgate: pkg.chained: error: ImportError: initialization failed \
        (caused by ImportError: failed to load its dependency) \
        (caused by ImportError: cannot import Python module 'pkg.sub' from ";
    assert!(err.contains(want), "{err}");
    assert!(err.contains(&format!("pkg/sub.py ({note}))")), "{err}");

    // A capsule the package's __init__.py would have set (greenlet's `_C_API`): the
    // attribute's error, saying why.
    let (rc, _, err) = eval(&wheel, "pkg.capsule_user", &["1"]);
    assert_ne!(rc, 0);
    assert!(
        err.contains(
            "error: AttributeError: module 'pkg' has no attribute '_C_API' (its __init__.py did \
             not run: gilgate cannot run Python module 'pkg' from "
        ),
        "{err}"
    );

    let p = "p = importlib.import_module('pkg')";
    // An attribute that is a Python submodule: AttributeError, naming the file.
    let (_, _, err) = eval(&wheel, "pkg.mp_ft", &[p, "p.sub"]);
    assert!(
        err.contains(
            "AttributeError: module 'pkg' has no attribute 'sub' (its __init__.py did not run, \
             and gilgate cannot import Python module 'pkg.sub' from "
        ),
        "{err}"
    );
    // Any other attribute: the package's own code did not run.
    let (_, _, err) = eval(&wheel, "pkg.mp_ft", &[p, "p.y"]);
    assert!(
        err.contains(
            "AttributeError: module 'pkg' has no attribute 'y' (its __init__.py did not run: \
             gilgate cannot run Python module 'pkg' from "
        ) && err.contains(&format!("pkg/__init__.py: {note})")),
        "{err}"
    );
    // `from pkg import sub`: the submodule's import error, as CPython would raise it.
    let (_, _, err) = eval(
        &wheel,
        "pkg.mp_ft",
        &["__import__('pkg', None, None, ['sub'])"],
    );
    assert!(
        err.contains("ImportError: cannot import Python module 'pkg.sub' from "),
        "{err}"
    );
    // `from pkg import y`, a name with no submodule that the package's __init__.py would have
    // set (aiohttp's `from multidict import CIMultiDict`): the import says why, where the
    // caller's would only say `cannot import name y`.
    let (rc, _, err) = eval(
        &wheel,
        "pkg.mp_ft",
        &["__import__('pkg', None, None, ['y'])"],
    );
    assert_eq!(rc, 1, "{err}");
    assert!(
        err.contains(
            "ImportError: cannot import name 'y' from 'pkg' (its __init__.py did not run: \
             gilgate cannot run Python module 'pkg' from "
        ) && err.contains(&format!("pkg/__init__.py: {note})")),
        "{err}"
    );
    // In a package whose __init__.py is empty, a from-list name with no submodule is left to
    // the caller (no error), and an extension submodule is imported.
    let (rc, out, err) = eval(
        &wheel,
        "pkg.mp_ft",
        &[
            "q = __import__('plain', None, None, ['absent'])",
            "q.__name__",
            "__import__('pkg', None, None, ['chained'])",
        ],
    );
    assert_eq!(rc, 1, "{out}{err}");
    assert!(out.starts_with("'plain'\n"), "{out}{err}");
    assert!(err.contains("ImportError: initialization failed"), "{err}");
}

fn attr_ptr(o: *mut gilgate::capi::ffi::PyObject, name: &str) -> *mut gilgate::capi::ffi::PyObject {
    let k = gilgate::capi::testing::unicodeobject::from_str(name);
    // SAFETY: live objects; a new reference (kept: the test's process ends).
    let v = unsafe { gilgate::capi::testing::object::getattr(o, k) };
    assert!(!v.is_null(), "{name}");
    v
}
