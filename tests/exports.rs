//! The `gilgate` CLI binary exports the whole C API surface (every name of
//! `capi/data/cpython-exports.tsv`) in its dynamic symbol table, so that extension modules the
//! CLI dlopens with `RTLD_NOW` resolve every symbol.

use gilgate::capi::surface::{Kind, SURFACE};
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
}
