//! Finding modules: a `.so`, a folder (recursive) or a wheel (extracted privately).

use crate::names::{AbiTag, dotted_name, is_libs_dir, split_extension_name};
use crate::wheel::{Unpacked, extract_wheel};
use std::path::{Path, PathBuf};

/// One module file found on disk.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The dotted module name.
    pub name: String,
    /// The path shown in reports (`dist.whl!pkg/m.so` for a wheel member).
    pub display_path: String,
    /// Where the file is on disk (a private temporary folder for wheel members).
    pub fs_path: PathBuf,
    /// The ABI tag from the file name.
    pub tag: AbiTag,
}

/// Something given on the command line that could not be read at all.
#[derive(Debug, Clone)]
pub struct InputError {
    /// The path as given.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// The result of discovery for all inputs.
#[derive(Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub input_errors: Vec<InputError>,
    /// Notes for the user (skipped wheel members).
    pub warnings: Vec<String>,
    /// Private folders holding extracted wheels; removed when this is dropped.
    pub temp_dirs: Vec<tempfile::TempDir>,
}

/// Finds the modules in each input path.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut d = Discovery::default();
    for p in paths {
        let shown = p.display().to_string();
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                d.input_errors.push(InputError {
                    path: shown,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, "", &mut found);
            found.sort();
            for rel in found {
                if let Some((name, tag)) = dotted_name(&rel) {
                    d.candidates.push(Candidate {
                        name,
                        display_path: join_display(&shown, &rel),
                        fs_path: p.join(&rel),
                        tag,
                    });
                }
            }
        } else if shown.ends_with(".whl") {
            match extract_wheel(p) {
                Ok(Unpacked {
                    dir,
                    modules: members,
                    warnings,
                    ..
                }) => {
                    let whl = p
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or(shown.clone());
                    for rel in members {
                        if let Some((name, tag)) = dotted_name(&rel) {
                            d.candidates.push(Candidate {
                                name,
                                display_path: format!("{whl}!{rel}"),
                                fs_path: dir.path().join(&rel),
                                tag,
                            });
                        }
                    }
                    d.warnings
                        .extend(warnings.into_iter().map(|w| format!("{whl}: {w}")));
                    d.temp_dirs.push(dir);
                }
                Err(e) => d.input_errors.push(InputError {
                    path: shown,
                    message: e,
                }),
            }
        } else {
            let file = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            match split_extension_name(&file) {
                Some((name, tag)) => d.candidates.push(Candidate {
                    name,
                    display_path: shown,
                    fs_path: p.clone(),
                    tag,
                }),
                None => d.input_errors.push(InputError {
                    path: shown,
                    message:
                        "not an extension module (the name does not end in .so), a folder or a .whl"
                            .into(),
                }),
            }
        }
    }
    d
}

fn join_display(base: &str, rel: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
    }
}

fn walk(root: &Path, rel: &str, out: &mut Vec<String>) {
    let dir = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if !is_libs_dir(&name) {
                walk(root, &child, out);
            }
        } else if (ft.is_file() || ft.is_symlink()) && name.ends_with(".so") {
            out.push(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn crafted_wheel_is_extracted_safely() {
        let tmp = tempfile::tempdir().unwrap();
        let whl = tmp.path().join("demo-1.0-cp314-cp314t-linux_x86_64.whl");
        {
            let f = std::fs::File::create(&whl).unwrap();
            let mut z = zip::ZipWriter::new(f);
            let o = zip::write::SimpleFileOptions::default();
            for (n, body) in [
                ("pkg/a.cpython-314t-x86_64-linux-gnu.so", "x"),
                ("pkg/sub/b.so", "y"),
                ("pkg.libs/libdep-1234.so", "z"),
                ("demo-1.0.data/platlib/c.so", "w"),
                ("../evil", "bad"),
                ("pkg/README", "r"),
            ] {
                z.start_file(n, o).unwrap();
                z.write_all(body.as_bytes()).unwrap();
            }
            z.finish().unwrap();
        }
        let d = discover(std::slice::from_ref(&whl));
        let names: Vec<_> = d.candidates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["c", "pkg.a", "pkg.sub.b"]);
        assert_eq!(
            d.candidates[1].display_path,
            "demo-1.0-cp314-cp314t-linux_x86_64.whl!pkg/a.cpython-314t-x86_64-linux-gnu.so"
        );
        assert!(d.candidates[1].fs_path.exists());
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("../evil"));
        let root = d.temp_dirs[0].path();
        // not ELF files, so nothing needs the library and it stays in the zip
        assert!(!root.join("pkg.libs/libdep-1234.so").exists());
        assert!(!root.join("pkg/README").exists());
        assert!(!root.parent().unwrap().join("evil").exists());
    }

    #[test]
    fn folder_walk_skips_libs() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("pkg/x.libs")).unwrap();
        std::fs::write(tmp.path().join("pkg/m.abi3t.so"), "").unwrap();
        std::fs::write(tmp.path().join("pkg/x.libs/libq.so"), "").unwrap();
        std::fs::write(tmp.path().join("top.so"), "").unwrap();
        let d = discover(&[tmp.path().to_path_buf()]);
        let names: Vec<_> = d.candidates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["pkg.m", "top"]);
    }
}
