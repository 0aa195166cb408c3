//! The rules of the test trees themselves (`tests/`, `capi/tests/`, `loader/tests/`):
//!
//! - C is compiled only through `tests/support/cc.rs` (which honours `$CC`): no test file starts
//!   a compiler itself;
//! - C fixtures live in the tree's `c/<area>/`, where `<area>` is the stem of the test file that
//!   uses them (`capi/tests/c/layout/probe.c` belongs to `capi/tests/layout.rs`, as CPython's
//!   `Modules/_testcapi/<area>.c` belongs to `Lib/test/test_capi/test_<area>.py`), and every
//!   fixture is named by some test source of its tree.

mod support;

use std::path::{Path, PathBuf};
use support::cc;

const TREES: [&str; 3] = ["tests", "capi/tests", "loader/tests"];

/// Source trees whose unit tests compile C too (through the same helper, by `#[path]`): they
/// are scanned for compiler spawns as well, but hold no fixtures.
const SOURCE_TREES: [&str; 4] = ["src", "capi/src", "loader/src", "test-extensions/src"];

/// The one file allowed to start a compiler.
const HELPER: &str = "tests/support/cc.rs";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

fn is_rust(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "rs")
}

/// `Command::new("<compiler>"` and reads of the compiler variables, split so that this file
/// does not match itself.
fn compiler_spawns() -> Vec<String> {
    let mut pats: Vec<String> = ["cc", "c++", "gcc", "g++", "clang", "clang++"]
        .iter()
        .map(|c| format!("Command::new(\"{c}\""))
        .collect();
    for v in ["CC", "CXX", "CFLAGS"] {
        pats.push(format!("var(\"{v}\")"));
        pats.push(format!("var_os(\"{v}\")"));
    }
    pats
}

#[test]
fn test_files_compile_c_only_through_the_helper() {
    let pats = compiler_spawns();
    let this = file!().replace('\\', "/");
    let mut found = Vec::new();
    let mut scanned = 0;
    for tree in TREES.iter().chain(SOURCE_TREES.iter()) {
        for f in files(&root().join(tree)).into_iter().filter(|f| is_rust(f)) {
            let name = rel(&f);
            if name == HELPER || this.ends_with(&name) {
                continue;
            }
            scanned += 1;
            let text = std::fs::read_to_string(&f).unwrap();
            for (i, line) in text.lines().enumerate() {
                if let Some(p) = pats.iter().find(|p| line.contains(p.as_str())) {
                    found.push(format!("{name}:{}: {p}", i + 1));
                }
            }
        }
    }
    assert!(scanned > 30, "scanned only {scanned} test sources");
    assert!(
        found.is_empty(),
        "compile C through {HELPER} (support::cc), not directly:\n{}",
        found.join("\n")
    );
}

#[test]
fn c_fixtures_live_in_their_areas_and_are_used() {
    let mut wrong = Vec::new();
    let mut fixtures = 0;
    for tree in TREES {
        let dir = root().join(tree);
        let all = files(&dir);
        let sources: Vec<String> = all
            .iter()
            .filter(|f| is_rust(f))
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        for f in &all {
            let is_c = f
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["c", "h", "cc", "cpp"].contains(&e));
            if !is_c {
                continue;
            }
            fixtures += 1;
            // <tree>/c/<area>/<file>
            let inner = f.strip_prefix(dir.join("c")).ok();
            let parts: Vec<String> = inner
                .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            let [area, file] = parts.as_slice() else {
                wrong.push(format!("{}: not in {tree}/c/<area>/", rel(f)));
                continue;
            };
            if !dir.join(format!("{area}.rs")).is_file() {
                wrong.push(format!("{}: no test file {tree}/{area}.rs", rel(f)));
            }
            let named = format!("{area}/{file}");
            if !sources.iter().any(|s| s.contains(&named)) {
                wrong.push(format!("{}: no test of {tree} names it", rel(f)));
            }
        }
    }
    assert!(fixtures >= 10, "found only {fixtures} C fixtures");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The helper's command lines: `$CC`/`$CXX` with their arguments, `$CFLAGS`/`$CXXFLAGS` before
/// the test's flags (which win), `-I include/`, linker arguments after the source.
#[test]
fn the_helper_honours_cc_and_cflags() {
    let include = cc::include_dir().display().to_string();
    let build = || cc::shared("x.c", "x.so").arg("-Werror").link_args(["-lm"]);
    let line = |b: cc::Build, vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        cc::shown(&b.command_with(&|v| vars.iter().find(|(k, _)| k == v).map(|(_, x)| x.clone())))
    };
    assert_eq!(
        line(build(), &[]),
        format!("cc -shared -fPIC -Werror -I {include} x.c -o x.so -lm")
    );
    assert_eq!(
        line(
            build(),
            &[("CC", "ccache gcc-14 -m64"), ("CFLAGS", "-O2  -g")]
        ),
        format!("ccache gcc-14 -m64 -O2 -g -shared -fPIC -Werror -I {include} x.c -o x.so -lm")
    );
    assert_eq!(
        line(build(), &[("CC", " "), ("CXX", "clang++")]),
        format!("cc -shared -fPIC -Werror -I {include} x.c -o x.so -lm")
    );
    assert_eq!(
        line(
            cc::executable("p.c", "p").lang(cc::Lang::Cxx),
            &[("CC", "gcc"), ("CXX", "clang++"), ("CXXFLAGS", "-O1")]
        ),
        format!("clang++ -O1 -I {include} p.c -o p")
    );
    assert_eq!(
        line(cc::syntax_check("s.c").arg("-DX=1"), &[]),
        format!("cc -fsyntax-only -DX=1 -I {include} s.c")
    );
}
