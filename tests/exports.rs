//! The `gilgate` CLI binary exports the whole C API surface (every name of
//! `capi/data/cpython-exports.tsv`) in its dynamic symbol table, so that extension modules the
//! CLI dlopens with `RTLD_NOW` resolve every symbol, and nothing of its own besides (build.rs).

mod support;

use gilgate::capi::host::surface::Kind;
use gilgate::capi::host::surface::SURFACE;
use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn cli_binary_exports_every_surface_name() {
    let exe = env!("CARGO_BIN_EXE_gilgate");
    let out = Command::new("nm")
        .args(["-D", "--defined-only", "-S", exe])
        .output()
        .expect("running nm (binutils)");
    assert!(
        out.status.success(),
        "nm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut syms: BTreeMap<String, (char, Option<u64>)> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            [_, size, ty, name] => {
                syms.insert(
                    name.to_string(),
                    (
                        ty.chars().next().unwrap(),
                        u64::from_str_radix(size, 16).ok(),
                    ),
                );
            }
            [_, ty, name] => {
                syms.insert(name.to_string(), (ty.chars().next().unwrap(), None));
            }
            _ => {}
        }
    }
    let listed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/capi/data/cpython-exports.tsv"
    ))
    .unwrap();
    assert_eq!(
        listed.lines().skip(1).filter(|l| !l.is_empty()).count(),
        SURFACE.len()
    );
    let mut problems = Vec::new();
    for e in SURFACE {
        let ok = match (syms.get(e.name), e.kind) {
            (Some((t, _)), Kind::Func) => matches!(t, 'T' | 'W'),
            (Some((t, Some(size))), Kind::Data) => {
                matches!(t, 'B' | 'D' | 'R' | 'V') && *size as usize >= e.size
            }
            _ => false,
        };
        if !ok {
            problems.push(format!("{}: {:?}", e.name, syms.get(e.name)));
        }
    }
    assert!(
        problems.is_empty(),
        "{} names missing or wrong in {exe}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Only C API names (the C runtime's few aside): the Rust functions and the allocator's
    // stay out of the table every symbol lookup of an extension goes through.
    let own: Vec<&String> = syms
        .keys()
        .filter(|n| !["Py", "_Py", "PY"].iter().any(|p| n.starts_with(p)))
        .filter(|n| {
            !matches!(
                n.as_str(),
                "_start" | "main" | "data_start" | "__data_start" | "_IO_stdin_used"
            )
        })
        .collect();
    assert!(own.is_empty(), "{} exported: {own:?}", own.len());
}

/// `gilgate surface` counts real, partial and stub functions; `--list` says what a partial one
/// lacks (capi/data/partial.tsv).
#[test]
fn surface_command_reports_real_partial_and_stub() {
    let c = gilgate::capi::host::surface::surface_counts();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gilgate"))
        .args(["surface", "--list"])
        .output()
        .expect("run gilgate surface");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let want = format!(
        "functions: {} real, {} partial (--list says what each lacks), {} stubs",
        c.funcs_real, c.funcs_partial, c.funcs_stub
    );
    assert!(text.contains(&want), "{want:?} not in:\n{text}");
    assert!(c.funcs_partial > 0 && c.funcs_real > 0 && c.funcs_stub > 0);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.split('\t').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed"))
            .split('\t')
            .nth(2)
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        line("PyErr_WarnEx"),
        format!(
            "partial: {}",
            gilgate::capi::host::surface::lookup("PyErr_WarnEx")
                .unwrap()
                .missing()
                .unwrap()
        )
    );
    assert!(line("PyErr_WarnEx").contains("stacklevel is ignored"));
    assert_eq!(line("PyList_New"), "real");
    let stub = SURFACE
        .iter()
        .find(|e| e.kind == Kind::Func && e.status == gilgate::capi::host::surface::Status::Stub)
        .unwrap();
    assert_eq!(line(stub.name), "stub");
}

/// The functions of `data/symbol-order.txt` (what an `inspect` runs) come first in the
/// binary's code, in the file's order (build.rs hands the file to the linker). When most of
/// its names are not in a release build, the file is stale (a toolchain or dependency update
/// changed the symbols' hashes): `scripts/symbol-order.sh` writes it again.
#[test]
fn inspects_functions_are_laid_out_as_the_order_file_says() {
    if option_env!("GILGATE_SYMBOL_ORDERED").is_none() {
        // On the process's own stderr, past the harness's capture: .ci/run fails on it.
        support::report_skip(
            "the symbol layout check",
            "build.rs left data/symbol-order.txt out (GILGATE_SYMBOL_ORDER=0, or a linker other than LLD)",
        );
        return;
    }
    let exe = env!("CARGO_BIN_EXE_gilgate");
    let out = Command::new("nm")
        .args(["--defined-only", exe])
        .output()
        .expect("running nm (binutils)");
    assert!(out.status.success());
    let mut at: BTreeMap<String, u64> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if let [addr, "t" | "T", name] = line.split_whitespace().collect::<Vec<_>>()[..] {
            at.insert(name.to_string(), u64::from_str_radix(addr, 16).unwrap());
        }
    }
    let order = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/symbol-order.txt"
    ))
    .unwrap();
    let names: Vec<&str> = order.lines().filter(|l| !l.is_empty()).collect();
    let placed: Vec<u64> = names.iter().filter_map(|n| at.get(*n).copied()).collect();
    // The file is written from a release build (scripts/symbol-order.sh); a debug build shares
    // only the standard library's names with it (its own crates' symbols hash differently).
    assert!(
        placed.len() * 10 >= names.len() * if cfg!(debug_assertions) { 2 } else { 9 },
        "only {} of the {} names of data/symbol-order.txt are functions of {exe}: run scripts/symbol-order.sh",
        placed.len(),
        names.len()
    );
    // In the file's order, and before every other function of the binary's code (names may
    // share an address: code the compiler folded into one).
    assert!(
        placed.windows(2).all(|w| w[0] <= w[1]),
        "not in the file's order"
    );
    let last = *placed.last().unwrap();
    let listed: std::collections::BTreeSet<u64> = placed.iter().copied().collect();
    let other = at
        .iter()
        .find(|(_, a)| (placed[0]..last).contains(*a) && !listed.contains(*a));
    assert!(other.is_none(), "{other:?} lies among the listed functions");
}
