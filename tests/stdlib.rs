//! gilgate's own standard-library modules (`capi/src/modules/`) against CPython 3.14, one file
//! of `tests/data/stdlib/` per module, written by `scripts/record-expectations.sh stdlib`:
//!
//! - `"module"`: the dotted name imported;
//! - `"names"`: CPython 3.14's public names of the module (`__all__`, else every attribute not
//!   starting with `_`), recorded, never typed;
//! - `"setup"` (optional) and `"cases"`: statements and `[expression, answer]` pairs, run in one
//!   namespace holding the module's attributes and the module under the last part of its name
//!   (as `gilgate eval MODULE` builds it); an answer is the `repr` of the result,
//!   `Type: message` for an exception, `<no value>` for a statement.
//!
//! Every recorded name must be an attribute of gilgate's module and must be exercised: named
//! by some case, or listed in `capi/data/stdlib-needs-python.tsv` (the names whose CPython
//! behaviour needs Python code to run, such as `types.FunctionType(code, globals)`), where the
//! row's example must raise the row's error in gilgate.

mod support;

use gilgate::embed::Host;
use gilgate::eval::{Evaluator, parse};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One recorded module file.
struct ModuleFile {
    path: PathBuf,
    cpython: String,
    module: String,
    names: Vec<String>,
    setup: Vec<String>,
    pairs: Vec<(String, String)>,
}

fn strings(path: &Path, v: Option<&serde_json::Value>) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    v.as_array()
        .unwrap_or_else(|| panic!("{}: {v} is not a list", path.display()))
        .iter()
        .map(|x| {
            x.as_str()
                .unwrap_or_else(|| panic!("{}: {x} is not a string", path.display()))
                .to_string()
        })
        .collect()
}

fn load(path: &Path) -> ModuleFile {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cpython = v["cpython"].as_str().unwrap_or_default().to_string();
    assert!(
        cpython.starts_with("3.14."),
        "{} was recorded with CPython {cpython:?}; rerun scripts/record-expectations.sh stdlib",
        path.display()
    );
    let pairs = v["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"cases\"", path.display()))
        .iter()
        .map(|p| {
            let pair = strings(path, Some(p));
            assert_eq!(pair.len(), 2, "{}: {p} is not a pair", path.display());
            (pair[0].clone(), pair[1].clone())
        })
        .collect();
    ModuleFile {
        path: path.to_path_buf(),
        cpython,
        module: v["module"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no \"module\"", path.display()))
            .to_string(),
        names: strings(path, v.get("names")),
        setup: strings(path, v.get("setup")),
        pairs,
    }
}

/// Every file of `tests/data/stdlib`, sorted by name.
fn module_files() -> Vec<ModuleFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/stdlib");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}

/// One row of `capi/data/stdlib-needs-python.tsv`.
struct NeedsPython {
    module: String,
    name: String,
    example: String,
    error: String,
}

fn needs_python() -> Vec<NeedsPython> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("capi/data/stdlib-needs-python.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(
                f.len() >= 4,
                "{}: row {l:?} needs module, name, example, error",
                path.display()
            );
            NeedsPython {
                module: f[0].into(),
                name: f[1].into(),
                example: f[2].into(),
                error: f[3].into(),
            }
        })
        .collect()
}

/// A namespace like `gilgate eval MODULE`'s: the module's attributes and the module itself.
fn namespace(host: &mut Host, module: &str) -> Evaluator {
    let m = host
        .import(module)
        .unwrap_or_else(|e| panic!("import {module}: {e}"));
    let mut ev = Evaluator::new();
    ev.add_module(&m, true)
        .unwrap_or_else(|e| panic!("{module}'s attributes: {e}"));
    ev
}

fn answer(ev: &mut Evaluator, src: &str) -> String {
    let stmt = match parse::parse_stmt(src) {
        Ok(s) => s,
        Err(e) => return format!("gilgate eval cannot parse it: {e}"),
    };
    match ev.exec(&stmt) {
        Ok(Some(v)) => v.repr().unwrap_or_else(|e| format!("repr failed: {e}")),
        Ok(None) => "<no value>".into(),
        Err(e) => e.to_string(),
    }
}

/// The identifiers of a piece of source (enough to tell whether a case names an attribute).
fn identifiers(src: &str) -> BTreeSet<&str> {
    src.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().next().is_some_and(|c| !c.is_ascii_digit()))
        .collect()
}

#[test]
fn stdlib_modules_answer_as_cpython() {
    let _g = support::runtime_lock();
    let mut host = Host::new();
    let _a = gilgate::embed::attach();
    let files = module_files();
    assert!(!files.is_empty(), "no files in tests/data/stdlib");
    let mut wrong = Vec::new();
    for f in &files {
        let mut ev = namespace(&mut host, &f.module);
        for s in &f.setup {
            let got = answer(&mut ev, s);
            assert!(
                got == "<no value>" || got == "None",
                "{}: setup {s:?} gave {got}",
                f.path.display()
            );
        }
        for (src, want) in &f.pairs {
            let got = answer(&mut ev, src);
            if got != *want {
                wrong.push(format!(
                    "{}: {src}\n    want: {want}\n    got:  {got}",
                    f.module
                ));
            }
        }
    }
    let total: usize = files.iter().map(|f| f.pairs.len()).sum();
    assert!(
        wrong.is_empty(),
        "{} of {total} cases differ from CPython {}:\n{}",
        wrong.len(),
        files[0].cpython,
        wrong.join("\n")
    );
}

#[test]
fn every_public_name_is_provided_and_exercised() {
    let _g = support::runtime_lock();
    let mut host = Host::new();
    let _a = gilgate::embed::attach();
    let listed = needs_python();
    let mut problems = Vec::new();
    for f in module_files() {
        assert!(
            !f.names.is_empty(),
            "{}: no recorded \"names\"",
            f.path.display()
        );
        let m = host
            .import(&f.module)
            .unwrap_or_else(|e| panic!("import {}: {e}", f.module));
        let mut used = BTreeSet::new();
        for s in f.setup.iter().chain(f.pairs.iter().map(|(s, _)| s)) {
            used.extend(identifiers(s));
        }
        for name in &f.names {
            if m.getattr(name).is_err() {
                problems.push(format!(
                    "{}.{name}: gilgate's module has no such attribute",
                    f.module
                ));
                continue;
            }
            let on_list = listed
                .iter()
                .any(|r| r.module == f.module && r.name == *name);
            if !used.contains(name.as_str()) && !on_list {
                problems.push(format!(
                    "{}.{name}: no case uses it and it is not in capi/data/stdlib-needs-python.tsv",
                    f.module
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Each name that needs Python execution raises its documented error in gilgate, and names a
/// module with a recorded file and a name that module has.
#[test]
fn names_that_need_python_raise_their_documented_error() {
    let _g = support::runtime_lock();
    let mut host = Host::new();
    let _a = gilgate::embed::attach();
    let files = module_files();
    let mut problems = Vec::new();
    for r in needs_python() {
        let Some(f) = files.iter().find(|f| f.module == r.module) else {
            problems.push(format!(
                "{}.{}: no tests/data/stdlib file for {}",
                r.module, r.name, r.module
            ));
            continue;
        };
        if !f.names.contains(&r.name) {
            problems.push(format!(
                "{}.{}: not one of the module's recorded names",
                r.module, r.name
            ));
        }
        if !identifiers(&r.example).contains(r.name.as_str()) {
            problems.push(format!(
                "{}.{}: the example {:?} does not use it",
                r.module, r.name, r.example
            ));
        }
        let mut ev = namespace(&mut host, &r.module);
        let got = answer(&mut ev, &r.example);
        if got != r.error {
            problems.push(format!(
                "{}.{}: {}\n    want: {}\n    got:  {got}",
                r.module, r.name, r.example, r.error
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The coverage check's word splitting: names with digits and underscores, no numbers.
#[test]
fn identifiers_split_like_python_names() {
    let ids = identifiers("isinstance([], Sequence) and abc.ABCMeta.register(x_1, 2)");
    for w in [
        "isinstance",
        "Sequence",
        "abc",
        "ABCMeta",
        "register",
        "x_1",
    ] {
        assert!(ids.contains(w), "{w} missing from {ids:?}");
    }
    assert!(!ids.contains("2"));
}
