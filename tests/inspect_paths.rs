//! What `inspect`, `load` and `eval` make of their paths: wheels found in folders, pure-Python
//! wheels, paths with nothing to inspect, wheels on `--path` and given as MODULE, and a
//! package's `__init__` extension named after its package (as CPython names it).

mod support;

use gilgate_test_extensions::sample;
use std::path::{Path, PathBuf};
use support::{Out, build_importer_at, cc, gilgate, run, write_wheel};

fn json(o: &Out) -> serde_json::Value {
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", o.stdout, o.stderr))
}

const TAG: &str = ".cpython-314t-x86_64-linux-gnu.so";

fn read(module: &str) -> Vec<u8> {
    std::fs::read(sample(module)).unwrap()
}

/// `dist/` with a wheel of two modules (one enabling the lock) in a sub-folder, and a
/// pure-Python wheel.
fn dist(root: &Path) -> PathBuf {
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("more")).unwrap();
    write_wheel(
        &dist.join("more/mixed-1.0-cp314-cp314t-linux_x86_64.whl"),
        &[
            ("mixed/__init__.py", b"".to_vec()),
            (&format!("mixed/mp_ft{TAG}"), read("mp_ft")),
            (&format!("mixed/mp_noslot{TAG}"), read("mp_noslot")),
        ],
    );
    write_wheel(
        &dist.join("pure-1.0-py3-none-any.whl"),
        &[
            ("pure/__init__.py", b"".to_vec()),
            ("pure-1.0.dist-info/RECORD", b"".to_vec()),
        ],
    );
    dist
}

#[test]
fn deny_gil_over_a_folder_of_wheels_sees_their_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = dist(tmp.path());
    let shown = dist.display().to_string();
    let o = run(gilgate().args(["inspect", "--deny-gil"]).arg(&dist));
    assert_eq!(o.code, 3, "{}{}", o.stdout, o.stderr);
    let whl = format!("{shown}/more/mixed-1.0-cp314-cp314t-linux_x86_64.whl");
    assert_eq!(
        support::without_sandbox_line(&o.stdout),
        format!(
            "MODULE           TARGET  INIT         GIL       VERDICT
mixed.mp_ft      3.14t   multi-phase  not_used  free-threaded
mixed.mp_noslot  3.14t   multi-phase  used      enables the lock (undeclared)

{shown}/pure-1.0-py3-none-any.whl: pure Python: nothing to inspect

2 modules: 1 keeps the host free-threaded, 1 enables the lock (mixed.mp_noslot), 0 errors.
"
        ),
        "{}",
        o.stdout
    );
    // Exactly as if given by itself; the rows' paths start with the folder's.
    let o = run(gilgate().args(["inspect", "--json"]).arg(&dist));
    assert_eq!(o.code, 0);
    let doc = json(&o);
    let paths: Vec<&str> = doc["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            format!("{whl}!mixed/mp_ft{TAG}"),
            format!("{whl}!mixed/mp_noslot{TAG}")
        ]
    );
    assert_eq!(
        doc["wheels"],
        serde_json::json!([
            {"path": format!("{shown}/more/mixed-1.0-cp314-cp314t-linux_x86_64.whl"), "modules": 2, "pure_python": false},
            {"path": format!("{shown}/pure-1.0-py3-none-any.whl"), "modules": 0, "pure_python": true},
        ])
    );
    let alone = run(gilgate()
        .args(["inspect", "--json"])
        .arg(dist.join("more/mixed-1.0-cp314-cp314t-linux_x86_64.whl")));
    let alone = json(&alone);
    for (a, b) in alone["modules"]
        .as_array()
        .unwrap()
        .iter()
        .zip(doc["modules"].as_array().unwrap())
    {
        let mut a = a.clone();
        a["path"] = b["path"].clone();
        assert_eq!(&a, b);
    }
}

#[test]
fn a_pure_python_wheel_is_one_line_and_fine() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = dist(tmp.path());
    std::fs::remove_dir_all(dist.join("more")).unwrap();
    let o = run(gilgate().args(["inspect", "--deny-gil"]).arg(&dist));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(
        o.stdout,
        format!(
            "{}/pure-1.0-py3-none-any.whl: pure Python: nothing to inspect\n\n0 modules: 0 keep the host free-threaded, none enables the lock, 0 errors.\n",
            dist.display()
        )
    );
    let o = run(gilgate()
        .args(["inspect", "--json"])
        .arg(dist.join("pure-1.0-py3-none-any.whl")));
    assert_eq!(o.code, 0);
    let doc = json(&o);
    assert_eq!(doc["modules"], serde_json::json!([]));
    assert_eq!(
        doc["wheels"],
        serde_json::json!([{"path": "pure-1.0-py3-none-any.whl", "modules": 0, "pure_python": true}])
    );
    // Without wheels, the document has no "wheels" key.
    let o = run(gilgate().args(["inspect", "--json"]).arg(sample("mp_ft")));
    assert!(json(&o).get("wheels").is_none(), "{}", o.stdout);
}

#[test]
fn a_path_with_nothing_to_inspect_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(empty.join("pkg.libs")).unwrap();
    std::fs::write(empty.join("pkg.libs/libz.so"), b"").unwrap();
    std::fs::write(empty.join("pkg.py"), b"").unwrap();
    let o = run(gilgate().args(["inspect", "--deny-gil"]).arg(&empty));
    assert_eq!(o.code, 64, "{}{}", o.stdout, o.stderr);
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        format!(
            "gilgate: {}: nothing to inspect: no extension module (*.so) and no wheel (*.whl) in this folder\n",
            empty.display()
        )
    );
    // One such PATH among good ones is enough, and each is named.
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, b"").unwrap();
    let o = run(gilgate()
        .args(["inspect", "--json"])
        .arg(sample("mp_ft"))
        .arg(&empty)
        .arg(&notes)
        .arg(tmp.path().join("missing")));
    assert_eq!(o.code, 64);
    assert_eq!(o.stdout, "");
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.stderr);
    assert!(lines[0].contains("empty: nothing to inspect"));
    assert!(lines[1].ends_with(
        "notes.txt: nothing to inspect: not an extension module (*.so), a wheel (*.whl) or a folder"
    ));
    assert!(lines[2].contains("missing: cannot read: "), "{}", lines[2]);
}

/// A package whose `__init__` is an extension (as mypyc builds them): the `mp_ft` sample's
/// hook is `PyInit_mp_ft`, so it only loads under the name `mp_ft`.
fn package(root: &Path, name: &str, module: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("__init__{TAG}"));
    std::fs::copy(sample(module), &p).unwrap();
    p
}

#[test]
fn a_package_init_extension_is_named_after_its_package() {
    let tmp = tempfile::tempdir().unwrap();
    let init = package(tmp.path(), "mp_ft", "mp_ft");
    // single-phase: the package context must be the package's name too
    package(tmp.path(), "sp_setgil", "sp_setgil");
    std::fs::copy(
        sample("mp_noslot"),
        tmp.path().join(format!("mp_ft/mp_noslot{TAG}")),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let whl = elsewhere
        .path()
        .join("pk-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(&whl, &[(&format!("mp_ft/__init__{TAG}"), read("mp_ft"))]);
    let rows = |args: &[&Path]| -> Vec<String> {
        let o = run(gilgate().args(["inspect", "--json"]).args(args));
        json(&o)["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{} {} {}",
                    m["name"].as_str().unwrap(),
                    m["status"].as_str().unwrap(),
                    m["gil"].as_str().unwrap_or("-")
                )
            })
            .collect()
    };
    let all = [
        "mp_ft ok not_used",
        "mp_ft.mp_noslot ok used",
        "sp_setgil ok not_used",
    ];
    assert_eq!(rows(&[tmp.path()]), all);
    assert_eq!(rows(&[&init]), ["mp_ft ok not_used"]);
    // The package's own folder: it is the package, its modules are in it.
    assert_eq!(
        rows(&[&tmp.path().join("mp_ft")]),
        ["mp_ft ok not_used", "mp_ft.mp_noslot ok used"]
    );
    assert_eq!(rows(&[&whl]), ["mp_ft ok not_used"]);

    // load and eval: by path, and by dotted name (the package before any file beside it).
    let o = run(gilgate().arg("load").arg(&init));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout
            .contains("mp_ft: loaded (multi-phase, gil not_used); lock off"),
        "{}",
        o.stdout
    );
    let o = run(gilgate()
        .arg("eval")
        .arg("--path")
        .arg(tmp.path())
        .args(["-m", "mp_ft.mp_noslot", "mp_ft"])
        .args(["__name__", "__path__", "mp_noslot.__name__"]));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(
        o.stdout,
        format!(
            "'mp_ft'\n['{}']\n'mp_ft.mp_noslot'\n",
            std::path::absolute(tmp.path().join("mp_ft"))
                .unwrap()
                .display()
        )
    );
    let o = run(gilgate()
        .arg("eval")
        .arg("--path")
        .arg(tmp.path())
        .args(["sp_setgil", "__name__"]));
    assert_eq!(o.stdout, "'sp_setgil'\n", "{}", o.stderr);
}

#[test]
fn a_package_init_imports_from_its_packages_search_root() {
    // The worker's search root for `probe/__init__` is the folder above `probe/`.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("probe")).unwrap();
    build_importer_at(
        &tmp.path().join(format!("probe/__init__{TAG}")),
        "probe",
        "mp_gil_two",
    );
    std::fs::copy(
        sample("mp_gil_two"),
        tmp.path().join(format!("mp_gil_two{TAG}")),
    )
    .unwrap();
    let o = run(gilgate()
        .args(["inspect", "--json"])
        .arg(tmp.path().join("probe")));
    let doc = json(&o);
    let m = &doc["modules"][0];
    assert_eq!(m["name"], "probe", "{doc}");
    assert_eq!(m["status"], "ok", "{doc}");
    assert_eq!(m["init"], "single-phase", "{doc}");
}

/// A wheel whose module needs a shared library of the wheel (`pkg.libs/`, found through
/// `$ORIGIN/../pkg.libs`), as auditwheel repairs them.
fn wheel_with_libs(dir: &Path) -> PathBuf {
    cc::shared(
        cc::fixture("inspect_paths/helper.c"),
        dir.join("libhelper-1a2b.so"),
    )
    .arg("-Wl,-soname,libhelper-1a2b.so")
    .build();
    cc::shared(
        cc::fixture("inspect_paths/needlib.c"),
        dir.join("needlib.so"),
    )
    .link_args([
        "-L.",
        "-l:libhelper-1a2b.so",
        "-Wl,-rpath,$ORIGIN/../pkg.libs",
    ])
    .current_dir(dir)
    .build();
    let whl = dir.join("pkg-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(
        &whl,
        &[
            (
                &format!("pkg/needlib{TAG}"),
                std::fs::read(dir.join("needlib.so")).unwrap(),
            ),
            (
                "pkg.libs/libhelper-1a2b.so",
                std::fs::read(dir.join("libhelper-1a2b.so")).unwrap(),
            ),
            (
                &format!("pkg-1.0.data/platlib/untagged{TAG}"),
                read("untagged"),
            ),
        ],
    );
    whl
}

#[test]
fn load_and_eval_take_a_wheel_on_the_search_path() {
    let tmp = tempfile::tempdir().unwrap();
    let build = tmp.path().join("build");
    std::fs::create_dir(&build).unwrap();
    let whl = wheel_with_libs(&build);
    // Unpacked into $TMPDIR, and gone when the command ends.
    let private = tmp.path().join("tmp");
    std::fs::create_dir(&private).unwrap();
    let o = run(gilgate()
        .env("TMPDIR", &private)
        .arg("eval")
        .arg("--path")
        .arg(&whl)
        .args(["-m", "untagged", "pkg.needlib", "answer", "untagged.kind"]));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(o.stdout, "42\n'good'\n");
    assert_eq!(std::fs::read_dir(&private).unwrap().count(), 0);

    let o = run(gilgate()
        .env("TMPDIR", &private)
        .arg("load")
        .arg("--path")
        .arg(&whl)
        .args(["pkg.needlib", "untagged"]));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout
            .contains("pkg.needlib: loaded (single-phase, gil used, undeclared); lock on"),
        "{}",
        o.stdout
    );
    assert_eq!(std::fs::read_dir(&private).unwrap().count(), 0);
    // Without the wheel on the path, the module is not found.
    let o = run(gilgate().args(["load", "pkg.needlib"]).current_dir(&build));
    assert_eq!(o.code, 2);

    // An unreadable wheel on the path is a configuration error naming it.
    let bad = tmp.path().join("bad-1.0-py3-none-any.whl");
    std::fs::write(&bad, b"not a zip").unwrap();
    for cmd in [&["load"][..], &["eval"][..]] {
        let o = run(gilgate()
            .args(cmd)
            .arg("--path")
            .arg(&bad)
            .args(["untagged", "1"]));
        assert_eq!(o.code, 64, "{cmd:?}: {}{}", o.stdout, o.stderr);
        assert!(
            o.stderr.starts_with(&format!(
                "gilgate: --path {}: not a readable wheel (zip): ",
                bad.display()
            )) || o.stderr.starts_with(&format!(
                "gilgate: --path: cannot use the wheel {}: not a readable wheel (zip): ",
                bad.display()
            )),
            "{cmd:?}: {}",
            o.stderr
        );
    }
}

#[test]
fn a_wheel_given_as_module_says_how_to_use_it() {
    let tmp = tempfile::tempdir().unwrap();
    let whl = tmp.path().join("pkg-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(
        &whl,
        &[
            (&format!("pkg/mp_ft{TAG}"), read("mp_ft")),
            (&format!("pkg/__init__{TAG}"), read("mp_ft")),
        ],
    );
    let w = whl.display().to_string();
    let expected = format!(
        "gilgate: {w} is a wheel, not a module: put it on the search path with --path {w} and name one of its extension modules (pkg, pkg.mp_ft)\n"
    );
    let o = run(gilgate().arg("load").arg(&whl));
    assert_eq!((o.code, o.stdout.as_str()), (64, ""));
    assert_eq!(o.stderr, expected);
    let o = run(gilgate().arg("eval").arg(&whl).arg("1"));
    assert_eq!(o.code, 64);
    assert_eq!(o.stderr, expected);
    let o = run(gilgate()
        .arg("eval")
        .args(["--path"])
        .arg(&whl)
        .arg("-m")
        .arg(&whl)
        .args(["pkg.mp_ft", "1"]));
    assert_eq!(o.code, 64);
    assert_eq!(o.stderr, expected);
    // A bare file name in the current folder too.
    let o = run(gilgate()
        .arg("load")
        .arg("pkg-1.0-cp314-cp314t-linux_x86_64.whl")
        .current_dir(tmp.path()));
    assert_eq!(o.code, 64);
    assert!(
        o.stderr.contains("is a wheel, not a module"),
        "{}",
        o.stderr
    );
}

/// Compiles the fixture `tests/c/<fixture>` into the shared object `out`.
fn build_c(out: &Path, fixture: &str) {
    cc::shared(cc::fixture(fixture), out)
        .args(["-O1", "-Wall", "-Werror"])
        .build();
}

const NOT_A_MODULE: &str = "not a module (exports no PyInit_/PyModExport_ hook)";

#[test]
fn plain_shared_libraries_found_by_searching_are_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain.so");
    build_c(&plain, "inspect_paths/plain_lib.c");
    let other = tmp.path().join("other.so");
    build_c(&other, "inspect_paths/other_hook.c");

    // In a wheel: the two libraries are notes, not rows; the gate passes on the real module.
    let dist = tmp.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let whl = "libs-1.0-cp314-cp314t-linux_x86_64.whl";
    write_wheel(
        &dist.join(whl),
        &[
            (&format!("libs/mp_ft{TAG}"), read("mp_ft")),
            ("libs/_raw.abi3.so", std::fs::read(&plain).unwrap()),
            ("libs/libhelper.so", std::fs::read(&plain).unwrap()),
        ],
    );
    let o = run(gilgate()
        .args(["inspect", "--deny-gil", "--json"])
        .arg(dist.join(whl)));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let doc = json(&o);
    assert_eq!(doc["summary"]["modules"], 1);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["modules"][0]["name"], "libs.mp_ft");
    assert_eq!(
        doc["skipped"],
        serde_json::json!([
            {"path": format!("{whl}!libs/_raw.abi3.so"), "reason": NOT_A_MODULE},
            {"path": format!("{whl}!libs/libhelper.so"), "reason": NOT_A_MODULE},
        ])
    );
    assert_eq!(doc["wheels"][0]["modules"], 1);
    let o = run(gilgate().args(["inspect", "--deny-gil"]).arg(&dist));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let shown = dist.display();
    assert!(
        o.stdout.contains(&format!(
            "\n{shown}/{whl}!libs/_raw.abi3.so: {NOT_A_MODULE}: skipped\n{shown}/{whl}!libs/libhelper.so: {NOT_A_MODULE}: skipped\n"
        )),
        "{}",
        o.stdout
    );
    assert!(
        support::without_sandbox_line(&o.stdout).ends_with(
            "\n1 module: 1 keeps the host free-threaded, none enables the lock, 0 errors.\n"
        ),
        "{}",
        o.stdout
    );

    // A wheel holding only libraries has nothing that could enable the lock: no rows, fine,
    // and not called pure Python.
    let only = tmp.path().join("only-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(
        &only,
        &[("only/_raw.abi3.so", std::fs::read(&plain).unwrap())],
    );
    let o = run(gilgate()
        .args(["inspect", "--deny-gil", "--json"])
        .arg(&only));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let doc = json(&o);
    assert_eq!(doc["modules"], serde_json::json!([]));
    assert_eq!(doc["wheels"][0]["pure_python"], false);
    assert_eq!(doc["skipped"].as_array().unwrap().len(), 1);

    // In a folder: the library is skipped; a file exporting another name's hook stays an
    // error, with CPython's text.
    let dir = tmp.path().join("dir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&plain, dir.join("_raw.abi3.so")).unwrap();
    std::fs::copy(&other, dir.join("wrong.so")).unwrap();
    let o = run(gilgate().args(["inspect", "--json"]).arg(&dir));
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    let doc = json(&o);
    assert_eq!(doc["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(doc["modules"].as_array().unwrap().len(), 1);
    assert_eq!(doc["modules"][0]["name"], "wrong");
    assert_eq!(doc["modules"][0]["error"]["type"], "ImportError");
    assert_eq!(
        doc["modules"][0]["error"]["message"],
        "dynamic module does not define module export function (PyInit_wrong)"
    );

    // A folder whose only shared object is a library holds nothing to inspect.
    std::fs::remove_file(dir.join("wrong.so")).unwrap();
    let o = run(gilgate().args(["inspect"]).arg(&dir));
    assert_eq!(o.code, 64, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("nothing to inspect"), "{}", o.stderr);

    // Named on the command line, the library is what the user asked about: an error as before.
    let o = run(gilgate()
        .args(["inspect", "--json"])
        .arg(dir.join("_raw.abi3.so")));
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    let doc = json(&o);
    assert!(doc.get("skipped").is_none());
    assert_eq!(doc["modules"][0]["error"]["type"], "ImportError");
}
