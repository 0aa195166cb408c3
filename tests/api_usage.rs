//! `gilgate inspect --api-usage`: the C API names module files import, read from the files alone
//! and classified by gilgate's export surface (implemented, partial, stub, missing), with how
//! many modules use each.

mod support;

use gilgate::capi::host::surface::{SURFACE, Status};
use support::{cc, gilgate, run};

const TAG: &str = ".cpython-314t-x86_64-linux-gnu.so";
const MISSING: &str = "_PyGilgateTest_NotExported";

/// Builds `tests/c/api_usage/uses.c` as module `name` into `dir`.
fn module(dir: &std::path::Path, name: &str, stub: &str, missing: bool) -> std::path::PathBuf {
    let out = dir.join(format!("{name}{TAG}"));
    let mut b = cc::shared(cc::fixture("api_usage/uses.c"), &out)
        .args(["-O1", "-Wall", "-Werror"])
        .define("MODULE", name)
        .define("STUB_NAME", stub);
    if missing {
        b = b.define("MISSING_NAME", MISSING);
    }
    b.build()
}

#[test]
fn names_are_counted_per_module_and_classified() {
    // A stub of the surface as this build has it (the test does not name one, so it stays true
    // as stubs get implemented).
    let stub = SURFACE
        .iter()
        .find(|e| e.status == Status::Stub && e.name.starts_with("Py"))
        .expect("gilgate has a stub")
        .name;
    let tmp = tempfile::tempdir().unwrap();
    module(tmp.path(), "first", stub, true);
    module(tmp.path(), "second", stub, false);

    let o = run(gilgate()
        .args(["inspect", "--api-usage", "--json"])
        .arg(tmp.path()));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout));
    assert_eq!(doc["modules"], 2, "{doc}");
    assert_eq!(doc["names_used"], 3, "{doc}");
    assert_eq!(doc["implemented"], 1, "{doc}");
    assert_eq!(doc["stubs"], 1, "{doc}");
    assert_eq!(doc["missing"], 1, "{doc}");
    let row = |name: &str| {
        doc["names"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {doc}"))
            .clone()
    };
    let append = row("PyList_Append");
    assert_eq!(append["status"], "implemented");
    assert_eq!(append["kind"], "func");
    assert_eq!(append["modules"], 2);
    assert_eq!(append["used_by"], serde_json::json!(["first", "second"]));
    assert_eq!(row(stub)["status"], "stub");
    let missing = row(MISSING);
    assert_eq!(missing["status"], "missing");
    assert_eq!(missing["used_by"], serde_json::json!(["first"]));

    let o = run(gilgate().args(["inspect", "--api-usage"]).arg(tmp.path()));
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let first = o.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first, "implemented 1 of 3 names used (2 modules)",
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["PyList_Append", "2", "modules"]),
        "{}",
        o.stdout
    );
}

#[test]
fn no_init_runs_and_unreadable_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    // Its init returns NULL without an error set, a SystemError if it ran: --api-usage only
    // reads the file.
    module(tmp.path(), "fine", "PyList_Append", false);
    let bad = tmp.path().join(format!("broken{TAG}"));
    std::fs::write(&bad, b"not an ELF file").unwrap();
    let o = run(gilgate().args(["inspect", "--api-usage"]).arg(tmp.path()));
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("(1 modules)"), "{}", o.stdout);
    assert!(!o.stdout.contains("SystemError"), "{}", o.stdout);
    assert!(
        o.stdout.contains("broken")
            && o.stdout.contains("module broken")
            && o.stdout.contains("not an ELF file"),
        "{}",
        o.stdout
    );
    let o = run(gilgate()
        .args(["inspect", "--api-usage", "--gil", "on"])
        .arg(tmp.path()));
    assert_eq!(o.code, 64, "{}{}", o.stdout, o.stderr);
}
