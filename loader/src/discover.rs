//! Finding modules: a `.so`, a folder (recursive) or a wheel (extracted privately).

use crate::names::{AbiTag, dotted_name, is_libs_dir, split_extension_name};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

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
                Ok((dir, members, warnings)) => {
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

/// Whether a wheel member name is safe to extract: relative, no `..`, no root or prefix,
/// no backslashes and no NUL.
pub fn member_name_is_safe(name: &str) -> bool {
    if name.is_empty() || name.contains('\\') || name.contains('\0') || name.starts_with('/') {
        return false;
    }
    Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Extracts a wheel into a private temporary folder with its layout intact. Returns the
/// folder, the extracted file names (relative, `/`-separated) and notes about skipped members.
pub fn extract_wheel(path: &Path) -> Result<(tempfile::TempDir, Vec<String>, Vec<String>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open wheel: {e}"))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable wheel (zip): {e}"))?;
    let dir = tempfile::Builder::new()
        .prefix("gilgate-wheel-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip
            .by_index(i)
            .map_err(|e| format!("unreadable wheel member #{i}: {e}"))?;
        let name = match member.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                warnings.push(format!("skipped member #{i} with an unreadable name: {e}"));
                continue;
            }
        };
        if !member_name_is_safe(&name) {
            warnings.push(format!(
                "skipped unsafe member name {name:?} (it would land outside the wheel's folder)"
            ));
            continue;
        }
        if member.is_symlink() {
            warnings.push(format!("skipped symbolic link member {name:?}"));
            continue;
        }
        let dest = dir.path().join(&name);
        if member.is_dir() {
            std::fs::create_dir_all(&dest).map_err(|e| format!("cannot extract {name}: {e}"))?;
            continue;
        }
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot extract {name}: {e}"))?;
        }
        let mut data = Vec::new();
        member
            .read_to_end(&mut data)
            .map_err(|e| format!("cannot extract {name}: {e}"))?;
        std::fs::write(&dest, &data).map_err(|e| format!("cannot extract {name}: {e}"))?;
        files.push(name.trim_start_matches("./").to_string());
    }
    files.sort();
    Ok((dir, files, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn member_names() {
        assert!(member_name_is_safe("pkg/m.so"));
        assert!(member_name_is_safe("pkg.libs/libz.so.1"));
        assert!(!member_name_is_safe("../evil"));
        assert!(!member_name_is_safe("pkg/../../evil"));
        assert!(!member_name_is_safe("/etc/passwd"));
        assert!(!member_name_is_safe("a\\..\\b"));
        assert!(!member_name_is_safe(""));
    }

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
        assert!(root.join("pkg.libs/libdep-1234.so").exists());
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
