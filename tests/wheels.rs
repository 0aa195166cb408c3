//! `gilgate inspect` on real PyPI wheels built for free-threaded CPython (cp314t, cp313t).
//!
//! The wheels are pinned in `scripts/wheels.lock` and fetched by `scripts/fetch-wheels.sh` into
//! `$GILGATE_CACHE/wheels/` (default `~/.cache/gilgate/wheels/`). They are never committed. With
//! wheels missing these tests fail and say how to fill the cache, unless `GILGATE_SKIP_WHEELS=1` is
//! set (then they report `gilgate-test: SKIPPED` and pass; with the wheels there they run anyway).
//!
//! Every run of the CLI here happens with an empty environment and a `PATH` that holds only an empty
//! folder, so no Python can be involved.
//!
//! What each module declares was read from the binaries themselves (the `PyModuleDef` that
//! `PyInit_*` hands to `PyModuleDef_Init`, and its slot array; for single-phase modules the
//! `PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED)` call in `PyInit_*`), and is what a free-threaded
//! CPython of the wheel's version decides for it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod expect;
mod support;

/// One line of `scripts/wheels.lock`.
#[derive(Debug, Clone)]
struct Pinned {
    package: String,
    version: String,
    abi: String,
    file: String,
}

/// What one module of a wheel declares.
#[derive(Debug, Clone, Copy)]
struct Expect {
    /// dotted module name
    name: &'static str,
    init: &'static str,
    /// slot names in the order the module lists them (empty for single-phase)
    slots: &'static [&'static str],
    /// `multiple_interpreters` in the report (null for single-phase)
    multiple_interpreters: Option<&'static str>,
}

const MI_PER_GIL: Option<&str> = Some("per_interpreter_gil_supported");
const MI_DEFAULT: Option<&str> = Some("supported");
const CREATE_EXEC_GIL: &[&str] = &["Py_mod_create", "Py_mod_exec", "Py_mod_gil"];
const EXEC_GIL: &[&str] = &["Py_mod_exec", "Py_mod_gil"];
const EXEC_MI_GIL: &[&str] = &["Py_mod_exec", "Py_mod_multiple_interpreters", "Py_mod_gil"];

fn multi(name: &'static str, slots: &'static [&'static str], mi: Option<&'static str>) -> Expect {
    Expect {
        name,
        init: "multi-phase",
        slots,
        multiple_interpreters: mi,
    }
}

fn single(name: &'static str) -> Expect {
    Expect {
        name,
        init: "single-phase",
        slots: &[],
        multiple_interpreters: None,
    }
}

/// The declarations of every module of every pinned wheel. Every module of these wheels declares
/// that it does not need the GIL (multi-phase through `Py_mod_gil` = `Py_MOD_GIL_NOT_USED`,
/// single-phase through `PyUnstable_Module_SetGIL`).
fn expected(package: &str, abi: &str) -> Vec<Expect> {
    match (package, abi) {
        // hand-written multi-phase, one module
        ("markupsafe", _) => vec![multi(
            "markupsafe._speedups",
            &["Py_mod_multiple_interpreters", "Py_mod_gil"],
            MI_PER_GIL,
        )],
        // hand-written multi-phase, eight modules, auditwheel's pillow.libs/
        ("pillow", "cp314t") => vec![
            multi("PIL._avif", EXEC_GIL, MI_DEFAULT),
            multi("PIL._imaging", EXEC_GIL, MI_DEFAULT),
            multi("PIL._imagingcms", EXEC_GIL, MI_DEFAULT),
            multi("PIL._imagingft", EXEC_GIL, MI_DEFAULT),
            multi("PIL._imagingmath", EXEC_GIL, MI_DEFAULT),
            multi("PIL._imagingmorph", &["Py_mod_gil"], MI_DEFAULT),
            multi("PIL._imagingtk", EXEC_GIL, MI_DEFAULT),
            multi("PIL._webp", EXEC_GIL, MI_DEFAULT),
        ],
        // hand-written multi-phase, two modules
        ("multidict", "cp314t") => vec![
            multi("multidict._multidict", EXEC_MI_GIL, MI_PER_GIL),
            multi("multidict._testcapi", EXEC_MI_GIL, MI_PER_GIL),
        ],
        // Cython multi-phase with a create slot
        ("msgpack", "cp314t") => vec![multi("msgpack._cmsgpack", CREATE_EXEC_GIL, MI_DEFAULT)],
        ("pyyaml", "cp314t") => vec![multi("yaml._yaml", CREATE_EXEC_GIL, MI_DEFAULT)],
        ("frozenlist", "cp313t") => {
            vec![multi("frozenlist._frozenlist", CREATE_EXEC_GIL, MI_DEFAULT)]
        }
        // hand-written multi-phase that refuses subinterpreters (Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED)
        ("coverage", "cp314t") => {
            vec![multi("coverage.tracer", EXEC_MI_GIL, Some("not_supported"))]
        }
        // Cython multi-phase, four modules, one of them two packages deep
        ("aiohttp", "cp314t") => vec![
            multi("aiohttp._http_parser", CREATE_EXEC_GIL, MI_DEFAULT),
            multi("aiohttp._http_writer", CREATE_EXEC_GIL, MI_DEFAULT),
            multi("aiohttp._websocket.mask", CREATE_EXEC_GIL, MI_DEFAULT),
            multi("aiohttp._websocket.reader_c", CREATE_EXEC_GIL, MI_DEFAULT),
        ],
        // hand-written single-phase calling PyUnstable_Module_SetGIL
        ("ujson", "cp314t") => vec![single("ujson")],
        ("cffi", "cp314t") => vec![single("_cffi_backend")],
        _ => panic!("tests/wheels.rs has no expectations for {package} ({abi}); add them"),
    }
}

/// Single-phase modules whose whole init runs during `inspect` and calls C API functions that
/// gilgate does not implement yet, with those functions. Such a module may be reported as the error
/// `SystemError: gilgate: <function> is not implemented` (for one of the functions listed) instead
/// of its declaration; any other outcome is checked in full. Remove an entry once it passes.
const NEEDS_MORE_CAPI: &[(&str, &[&str])] = &[];

/// `Some(function)` when the module is listed in [`NEEDS_MORE_CAPI`] and its row is exactly the
/// not-implemented error of one of its listed functions.
fn missing_api(e: &Expect, m: &Value) -> Option<String> {
    let (_, apis) = NEEDS_MORE_CAPI.iter().find(|(name, _)| *name == e.name)?;
    if m["status"] != "error" || m["error"]["type"] != "SystemError" {
        return None;
    }
    // the init protocol was told apart before the failure
    if m["init"] != e.init {
        return None;
    }
    let msg = m["error"]["message"].as_str()?;
    let api = msg
        .strip_prefix("gilgate: ")?
        .strip_suffix(" is not implemented")?;
    apis.contains(&api).then(|| api.to_owned())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pinned() -> Vec<Pinned> {
    let lock = repo().join("scripts/wheels.lock");
    let text = std::fs::read_to_string(&lock).expect("read scripts/wheels.lock");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 6, "malformed line in wheels.lock: {l}");
            Pinned {
                package: f[0].to_owned(),
                version: f[1].to_owned(),
                abi: f[3].to_owned(),
                file: f[5].to_owned(),
            }
        })
        .collect()
}

fn cache_dir() -> PathBuf {
    support::wheels_dir()
}

/// The pinned wheels with their paths in the cache. Fails when any is missing, unless
/// `GILGATE_SKIP_WHEELS=1` allows skipping: then the skip is reported (`gilgate-test: SKIPPED`).
/// With every wheel there the switch changes nothing.
fn wheels() -> Option<Vec<(Pinned, PathBuf)>> {
    let cache = cache_dir();
    let all: Vec<(Pinned, PathBuf)> = pinned()
        .into_iter()
        .map(|p| {
            let path = cache.join(&p.file);
            (p, path)
        })
        .collect();
    let missing: Vec<&str> = all
        .iter()
        .filter(|(_, path)| !path.is_file())
        .map(|(p, _)| p.file.as_str())
        .collect();
    if !missing.is_empty() && support::skip_requested("GILGATE_SKIP_WHEELS") {
        support::report_skip(
            "tests/wheels.rs (real PyPI wheels)",
            &format!(
                "{} of {} pinned wheels missing from {} (GILGATE_SKIP_WHEELS=1)",
                missing.len(),
                all.len(),
                cache.display()
            ),
        );
        return None;
    }
    assert!(
        missing.is_empty(),
        "{} of {} pinned wheels are missing from {}: run `bash scripts/fetch-wheels.sh` first, \
         or `bash scripts/test.sh` (or set GILGATE_SKIP_WHEELS=1 to skip these tests). Missing: {}",
        missing.len(),
        all.len(),
        cache.display(),
        missing.join(", ")
    );
    Some(all)
}

/// Extension suffixes CPython accepts for a free-threaded build, plus the ones gilgate refuses
/// (they still are modules and get a row).
fn module_name_from_member(member: &str) -> Option<String> {
    if member.ends_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = member.split('/').collect();
    // auditwheel's vendored libraries are not modules
    if parts.first().is_some_and(|top| top.ends_with(".libs")) {
        return None;
    }
    // platlib/purelib data folders hold importable files under their own root
    if parts.len() > 2
        && parts[0].ends_with(".data")
        && (parts[1] == "platlib" || parts[1] == "purelib")
    {
        parts.drain(..2);
    }
    let file = parts.pop()?;
    let stem = file.strip_suffix(".so")?;
    let stem = match stem.rfind(".cpython-") {
        Some(i) => &stem[..i],
        None => stem.strip_suffix(".abi3").unwrap_or(stem),
    };
    if stem.contains('.') {
        return None;
    }
    parts.push(stem);
    Some(parts.join("."))
}

/// Module names found in the wheel by listing its zip members (independently of gilgate).
fn modules_in_zip(wheel: &Path) -> BTreeSet<String> {
    let file = File::open(wheel).expect("open wheel");
    let zip = zip::ZipArchive::new(file).expect("read wheel as zip");
    zip.file_names()
        .filter_map(|n| module_name_from_member(&n.expect("zip member name")))
        .collect()
}

/// A folder that is empty, to be the whole `PATH` of the CLI.
fn empty_path_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in [
        "python",
        "python3",
        "python3.13t",
        "python3.14t",
        "python3.14",
    ] {
        assert!(!dir.path().join(name).exists());
    }
    dir
}

/// Runs the built CLI with no environment but `PATH` = an empty folder.
fn gilgate(args: &[&str], path_dir: &Path) -> Output {
    // no python can be found through this PATH
    let path = path_dir.as_os_str().to_owned();
    for dir in std::env::split_paths(&path) {
        for name in ["python", "python3"] {
            assert!(
                !dir.join(name).exists(),
                "python found in test PATH: {}",
                dir.display()
            );
        }
    }
    Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .args(args)
        .env_clear()
        .env("PATH", &path)
        .current_dir(path_dir)
        .output()
        .expect("run gilgate")
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn inspect_json(wheel: &Path, path_dir: &Path) -> (Output, Value) {
    let out = gilgate(&["inspect", "--json", wheel.to_str().unwrap()], path_dir);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "inspect --json output is not JSON ({e}):\n{}",
            describe(&out)
        )
    });
    (out, json)
}

fn check_wheel(p: &Pinned, wheel: &Path, path_dir: &Path) {
    let ctx = format!("{} {} ({})", p.package, p.version, p.abi);
    let (out, json) = inspect_json(wheel, path_dir);
    // the private folder the wheel was unpacked to never shows
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("/tmp/"),
        "{ctx}: temporary path in the report\n{}",
        describe(&out)
    );
    let modules = json["modules"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: no modules array:\n{}", describe(&out)));

    // one row per extension module in the wheel, counted from the zip itself
    let in_zip = modules_in_zip(wheel);
    let reported: BTreeSet<String> = modules
        .iter()
        .map(|m| m["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        modules.len(),
        in_zip.len(),
        "{ctx}: rows vs modules in the zip\n{}",
        describe(&out)
    );
    assert_eq!(reported, in_zip, "{ctx}: module names\n{}", describe(&out));

    let expect = expected(&p.package, &p.abi);
    let expect_names: BTreeSet<String> = expect.iter().map(|e| e.name.to_owned()).collect();
    assert_eq!(
        expect_names, in_zip,
        "{ctx}: the test's expectations do not match the wheel"
    );

    let target = match p.abi.as_str() {
        "cp313t" => "3.13t",
        "cp314t" => "3.14t",
        other => panic!("unexpected abi {other}"),
    };
    let tag = format!("cpython-{}", &p.abi[2..]);
    let by_name: BTreeMap<&str, &Value> = modules
        .iter()
        .map(|m| (m["name"].as_str().unwrap_or_default(), m))
        .collect();
    let mut pending = 0;
    for e in &expect {
        let m = by_name[e.name];
        let mctx = format!("{ctx} module {}: {m}", e.name);
        let path = m["path"].as_str().unwrap_or_default();
        let file_name = wheel.file_name().unwrap().to_str().unwrap();
        assert!(
            path.starts_with(&format!("{file_name}!")),
            "{mctx}: path should be WHEEL!member"
        );
        assert!(
            !path.contains("/tmp/"),
            "{mctx}: no temporary paths in output"
        );
        assert_eq!(m["abi_tag"], tag.as_str(), "{mctx}");
        assert_eq!(m["target"], target, "{mctx}");
        if let Some(api) = missing_api(e, m) {
            eprintln!("{ctx}: {} not inspected yet: gilgate lacks {api}", e.name);
            pending += 1;
            continue;
        }
        assert_eq!(m["status"], "ok", "{mctx}");
        assert!(m["error"].is_null(), "{mctx}");
        assert_eq!(m["init"], e.init, "{mctx}");
        // none of these needs a lint: the Cython modules import PyUnstable_Module_SetGIL but
        // declare a Py_mod_gil slot, and the single-phase ones call it from their init
        assert_eq!(m["lints"], Value::Array(vec![]), "{mctx}");
        assert_eq!(m["gil"], "not_used", "{mctx}");
        assert_eq!(m["gil_declared"], true, "{mctx}");
        assert_eq!(m["requires_gil"], false, "{mctx}");
        match e.multiple_interpreters {
            Some(mi) => assert_eq!(m["multiple_interpreters"], mi, "{mctx}"),
            None => assert!(m["multiple_interpreters"].is_null(), "{mctx}"),
        }
        let slots: Vec<&str> = m["slots"]
            .as_array()
            .unwrap_or_else(|| panic!("{mctx}: slots"))
            .iter()
            .map(|s| s["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(slots, e.slots, "{mctx}");
        for s in m["slots"].as_array().unwrap() {
            match s["name"].as_str().unwrap_or_default() {
                "Py_mod_gil" => {
                    assert_eq!(s["id"], 4, "{mctx}");
                    assert_eq!(s["value"], "Py_MOD_GIL_NOT_USED", "{mctx}");
                }
                "Py_mod_create" => {
                    assert_eq!(s["id"], 1, "{mctx}");
                    assert_eq!(s["value"], "function", "{mctx}");
                }
                "Py_mod_exec" => {
                    assert_eq!(s["id"], 2, "{mctx}");
                    assert_eq!(s["value"], "function", "{mctx}");
                }
                "Py_mod_multiple_interpreters" => {
                    assert_eq!(s["id"], 3, "{mctx}");
                    // markupsafe and multidict write Py_MOD_PER_INTERPRETER_GIL_SUPPORTED (2),
                    // coverage Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED (0)
                    let value = match e.multiple_interpreters {
                        Some("not_supported") => "Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED",
                        _ => "Py_MOD_PER_INTERPRETER_GIL_SUPPORTED",
                    };
                    assert_eq!(s["value"], value, "{mctx}");
                }
                other => panic!("{mctx}: unexpected slot {other}"),
            }
        }
    }

    let summary = &json["summary"];
    assert_eq!(summary["modules"], expect.len(), "{ctx}: summary");
    assert_eq!(
        summary["free_threaded"],
        expect.len() - pending,
        "{ctx}: summary"
    );
    assert_eq!(summary["requires_gil"], 0, "{ctx}: summary");
    assert_eq!(summary["errors"], pending, "{ctx}: summary");
    // 2 when a module could not be inspected
    let want_exit = if pending > 0 { 2 } else { 0 };
    assert_eq!(
        out.status.code(),
        Some(want_exit),
        "{ctx}: exit code\n{}",
        describe(&out)
    );

    // every module keeps the host free-threaded: --deny-gil has nothing to deny
    let deny = gilgate(
        &["inspect", "--deny-gil", wheel.to_str().unwrap()],
        path_dir,
    );
    assert_eq!(
        deny.status.code(),
        Some(want_exit),
        "{ctx}: --deny-gil exit code\n{}",
        describe(&deny)
    );
    let table = String::from_utf8_lossy(&deny.stdout);
    for e in &expect {
        assert!(
            table.contains(e.name),
            "{ctx}: human table names {}\n{}",
            e.name,
            describe(&deny)
        );
    }
}

#[test]
fn pinned_wheels_have_expectations() {
    for p in pinned() {
        assert!(!expected(&p.package, &p.abi).is_empty());
    }
}

#[test]
fn member_names_become_dotted_module_names() {
    let cases = [
        (
            "markupsafe/_speedups.cpython-314t-x86_64-linux-gnu.so",
            Some("markupsafe._speedups"),
        ),
        ("ujson.cpython-314t-x86_64-linux-gnu.so", Some("ujson")),
        ("pillow.libs/libjpeg-6dc8d115.so.62.4.0", None),
        ("pillow.libs/libfoo.so", None),
        ("pkg-1.0.data/platlib/pkg/_m.abi3.so", Some("pkg._m")),
        ("pkg/_m.so", Some("pkg._m")),
        ("pkg/__init__.py", None),
        ("pkg/", None),
    ];
    for (member, want) in cases {
        assert_eq!(module_name_from_member(member).as_deref(), want, "{member}");
    }
}

#[test]
fn each_pinned_wheel_is_inspected_without_python() {
    let Some(wheels) = wheels() else { return };
    let path_dir = empty_path_dir();
    // check every wheel, then report all the failing ones together
    let mut failed = Vec::new();
    for (p, wheel) in &wheels {
        let result =
            std::panic::catch_unwind(|| check_wheel(p, wheel, path_dir.path())).map_err(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            });
        if let Err(msg) = result {
            failed.push(format!("{} {} ({}): {msg}", p.package, p.version, p.abi));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} wheels failed:\n\n{}",
        failed.len(),
        wheels.len(),
        failed.join("\n\n")
    );
}

#[test]
fn all_wheels_in_one_run_give_one_row_per_module() {
    let Some(wheels) = wheels() else { return };
    let path_dir = empty_path_dir();
    let mut args = vec!["inspect".to_owned(), "--json".to_owned()];
    let mut total = 0;
    for (_, wheel) in &wheels {
        args.push(wheel.to_str().unwrap().to_owned());
        total += modules_in_zip(wheel).len();
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gilgate(&args, path_dir.path());
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", describe(&out)));
    assert_eq!(
        json["modules"].as_array().map(Vec::len),
        Some(total),
        "{}",
        describe(&out)
    );
    assert_eq!(json["summary"]["modules"], total);
    // the only errors allowed are the not-implemented ones listed in NEEDS_MORE_CAPI
    let mut pending = 0;
    for m in json["modules"].as_array().unwrap() {
        if m["status"] == "ok" {
            continue;
        }
        let name = m["name"].as_str().unwrap_or_default();
        let e = wheels
            .iter()
            .flat_map(|(p, _)| expected(&p.package, &p.abi))
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("unexpected module {name}"));
        assert!(
            missing_api(&e, m).is_some(),
            "{name}: {m}\n{}",
            describe(&out)
        );
        pending += 1;
    }
    assert_eq!(json["summary"]["errors"], pending, "{}", describe(&out));
    let want_exit = if pending > 0 { 2 } else { 0 };
    assert_eq!(out.status.code(), Some(want_exit), "{}", describe(&out));
}

/// A real single-phase module's functions run: ujson's `loads`/`dumps` give what the same
/// ujson release answers under CPython 3.14 (its cp314 wheel in the reference root, recorded in
/// `tests/data/wheels-ujson.json` by `scripts/record-expectations.sh ujson`), including
/// `PyState_FindModule` (module state) and the `surrogatepass` UTF-8 handler.
#[test]
fn ujson_functions_run_like_cpython() {
    let Some(all) = wheels() else { return };
    let (_, wheel) = all
        .iter()
        .find(|(p, _)| p.package == "ujson" && p.abi == "cp314t")
        .expect("ujson cp314t is pinned");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = std::fs::File::open(wheel).expect("open wheel");
    zip::ZipArchive::new(file)
        .expect("read wheel")
        .extract(dir.path())
        .expect("extract wheel");
    let path_dir = empty_path_dir();
    let recorded = expect::load("wheels-ujson.json");
    for case in &recorded.cases {
        let mut args = vec!["eval", "--path", dir.path().to_str().unwrap(), &case.module];
        args.extend(case.exprs());
        let out = gilgate(&args, path_dir.path());
        if let Some(problem) = expect::compare(case, &out) {
            panic!(
                "differs from CPython {}: {problem}\n{}",
                recorded.cpython,
                describe(&out)
            );
        }
    }
}

// ---- Corpus wheels whose inits could not finish or crashed (issue 7, items 2 and 5) ----------
//
// From the survey's corpus (`$GILGATE_CACHE/corpus`, default `~/.cache/gilgate/corpus`).
// Before: faiss's SWIG inits died with SIGSEGV (gilgate refused the `surrogateescape` error
// handler SWIG decodes its C strings with, and SWIG used the NULL); matplotlib's pybind11
// inits died with SIGABRT (`PyInterpreterState_GetDict` was a stub and `PyType_Type.tp_alloc`
// was NULL, so pybind11's internals could not be made, and its error's destructor threw during
// unwinding); the cp313t pybind11 modules refused a 3.14 interpreter; bottleneck's and
// numexpr's single-phase inits ended in "numpy._core.multiarray failed to import".

/// `(file in the corpus, pip requirement, python version, abi)` of each corpus wheel used here.
const CORPUS: &[(&str, &str, &str, &str)] = &[
    (
        "faiss_cpu-1.12.0-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "faiss_cpu==1.12.0",
        "3.14",
        "cp314t",
    ),
    (
        "matplotlib-3.11.2-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "matplotlib==3.11.2",
        "3.14",
        "cp314t",
    ),
    (
        "matplotlib-3.11.1-cp313-cp313t-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "matplotlib==3.11.1",
        "3.13",
        "cp313t",
    ),
    (
        "contourpy-1.3.3-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "contourpy==1.3.3",
        "3.13",
        "cp313t",
    ),
    (
        "bottleneck-1.6.0-cp314-cp314t-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl",
        "bottleneck==1.6.0",
        "3.14",
        "cp314t",
    ),
    (
        "bottleneck-1.6.0-cp313-cp313t-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl",
        "bottleneck==1.6.0",
        "3.13",
        "cp313t",
    ),
    (
        "numexpr-2.14.2-cp314-cp314t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "numexpr==2.14.2",
        "3.14",
        "cp314t",
    ),
    (
        "numexpr-2.14.1-cp313-cp313t-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "numexpr==2.14.1",
        "3.13",
        "cp313t",
    ),
];

fn corpus_dir() -> PathBuf {
    support::cache_root().join("corpus")
}

/// The corpus wheel `file`: fails saying how to fetch it when it is missing, unless
/// `GILGATE_SKIP_WHEELS=1`, which reports the skip (`gilgate-test: SKIPPED`) and gives None.
fn corpus_wheel(file: &str) -> Option<PathBuf> {
    let path = corpus_dir().join(file);
    if path.is_file() {
        return Some(path);
    }
    let (_, req, py, abi) = CORPUS
        .iter()
        .find(|(f, ..)| *f == file)
        .expect("a corpus wheel this file lists");
    let how = format!(
        "pip download --no-deps --only-binary=:all: --python-version {py} --abi {abi} \
         --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 {req} -d {}",
        corpus_dir().display()
    );
    if support::skip_requested("GILGATE_SKIP_WHEELS") {
        support::report_skip(
            &format!("corpus wheel {file}"),
            &format!(
                "missing from {} (GILGATE_SKIP_WHEELS=1); fetch: {how}",
                corpus_dir().display()
            ),
        );
        return None;
    }
    panic!(
        "corpus wheel {} is missing; fetch it with: {how} (or set GILGATE_SKIP_WHEELS=1 to skip)",
        path.display()
    );
}

/// The rows of `inspect --json` on a corpus wheel, by module name, and the exit code.
fn corpus_rows(file: &str) -> Option<(i32, BTreeMap<String, Value>, Value)> {
    let wheel = corpus_wheel(file)?;
    let path_dir = empty_path_dir();
    let (out, json) = inspect_json(&wheel, path_dir.path());
    let rows = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m.clone()))
        .collect();
    Some((out.status.code().unwrap_or(-1), rows, json))
}

#[test]
fn pybind11_modules_of_matplotlib_and_contourpy_declare_not_used() {
    // 3.14t and 3.13t wheels: pybind11's internals are made (interpreter dict, type's
    // tp_alloc) and the 3.13t modules see 3.13 in their own workers.
    for (file, target, names) in [
        (CORPUS[1].0, "3.14t", 8),
        (CORPUS[2].0, "3.13t", 8),
        (CORPUS[3].0, "3.13t", 1),
    ] {
        let Some((code, rows, json)) = corpus_rows(file) else {
            continue;
        };
        assert_eq!(code, 0, "{file}: {json}");
        assert_eq!(rows.len(), names, "{file}: {json}");
        for (name, m) in &rows {
            assert_eq!(m["target"], target, "{name}");
            assert_eq!(m["init"], "multi-phase", "{name}: {m}");
            assert_eq!(m["gil"], "not_used", "{name}: {m}");
            assert_eq!(m["init_complete"], true, "{name}: {m}");
        }
        if file.contains("matplotlib") {
            assert!(rows.contains_key("matplotlib.ft2font"), "{file}");
        }
    }
}

#[test]
fn single_phase_inits_that_import_numpy_give_their_setgil_declaration() {
    for (file, module_count) in [
        (CORPUS[4].0, 4),
        (CORPUS[5].0, 4),
        (CORPUS[6].0, 1),
        (CORPUS[7].0, 1),
    ] {
        let Some((code, rows, json)) = corpus_rows(file) else {
            continue;
        };
        assert_eq!(code, 0, "{file}: {json}");
        assert_eq!(rows.len(), module_count, "{file}: {json}");
        assert_eq!(json["summary"]["init_incomplete"], module_count as u64);
        for (name, m) in &rows {
            assert_eq!(m["init"], "single-phase", "{name}: {m}");
            assert_eq!(m["status"], "ok", "{name}: {m}");
            assert_eq!(m["gil"], "not_used", "{name}: {m}");
            assert_eq!(m["init_complete"], false, "{name}: {m}");
            let ev = &m["evidence"];
            assert_eq!(
                ev["reason"], "needs Python module numpy, which gilgate cannot provide",
                "{name}: {m}"
            );
            assert_eq!(
                ev["verdict_from"],
                format!("PyUnstable_Module_SetGIL({name}, Py_MOD_GIL_NOT_USED) before it stopped"),
                "{name}: {m}"
            );
            assert_eq!(m["lints"][0]["code"], "needs-python-module", "{name}");
        }
    }
}

#[test]
fn faiss_swig_inits_no_longer_crash_and_are_undetermined() {
    let Some((code, rows, json)) = corpus_rows(CORPUS[0].0) else {
        return;
    };
    // No declaration comes before SWIG's init imports numpy: undetermined (exit 2).
    assert_eq!(code, 2, "{json}");
    assert_eq!(rows.len(), 3, "{json}");
    for (name, m) in &rows {
        assert_eq!(m["status"], "undetermined", "{name}: {m}");
        assert_eq!(m["gil"], Value::Null, "{name}");
        let ev = &m["evidence"];
        assert_eq!(ev["stopped_by"]["type"], "ImportError", "{name}: {m}");
        assert_eq!(
            ev["stopped_by"]["message"], "numpy._core.multiarray failed to import",
            "{name}: {m}"
        );
        assert_eq!(ev["imports_setgil"], false, "{name}: {m}");
    }
    assert_eq!(json["summary"]["undetermined"], 3);
}
