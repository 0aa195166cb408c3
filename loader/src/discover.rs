//! Finding modules: a `.so`, a folder (recursive: its extension modules and its wheels) or a
//! wheel (extracted privately).

use crate::elf::read_elf;
use crate::names::{
    AbiTag, dotted_name, file_module_name, in_package, is_libs_dir, package_name,
    split_extension_name,
};
use crate::report::Skipped;
use crate::unpack_cache::{WheelDir, unpack};
use crate::wheel::Extracted;
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

/// Something given on the command line that could not be read at all, or that holds nothing
/// to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// One wheel read (given, or found in a folder), and how many extension modules it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelFound {
    /// The wheel as reports show it (`x.whl` given, `dist/x.whl` found in `dist/`).
    pub path: String,
    /// Its extension modules.
    pub modules: usize,
    /// Its shared objects that are plain libraries, not modules (skipped).
    pub libraries: usize,
}

/// The result of discovery for all inputs.
#[derive(Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub input_errors: Vec<InputError>,
    /// Every wheel read, in the order found.
    pub wheels: Vec<WheelFound>,
    /// Notes for the user (skipped wheel members).
    pub warnings: Vec<String>,
    /// Files found by searching a folder or a wheel that are shared libraries, not modules.
    pub skipped: Vec<Skipped>,
    /// The folders holding the wheels' unpacked files (private temporary folders, removed when
    /// this is dropped, or entries of the unpack cache, held until then).
    pub temp_dirs: Vec<WheelDir>,
}

/// Why a file found by searching is not a module: it is an ELF file that exports no module
/// hook of any name (no `PyInit_*`, no `PyModExport_*`), a plain shared library such as
/// pycryptodome's ctypes libraries. A file that cannot be read as ELF is not judged here (it
/// goes on, and gets the error CPython would give).
pub const NOT_A_MODULE: &str = "not a module (exports no PyInit_/PyModExport_ hook)";

/// Whether the file at `path` is a plain shared library (see [`NOT_A_MODULE`]).
pub fn is_plain_library(path: &Path) -> bool {
    matches!(read_elf(path), Ok(f) if f.hooks.is_empty())
}

/// Why a path given to `inspect` has nothing to inspect, checked before anything is
/// unpacked or run: it cannot be read, it is a folder holding no extension module and no
/// wheel (outside `*.libs/` folders), or a file that is neither.
pub fn check_input(path: &Path) -> Result<(), InputError> {
    let err = |message: String| InputError {
        path: path.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read: {e}")))?;
    if meta.is_dir() {
        if holds_a_module_or_wheel(path, "") {
            return Ok(());
        }
        return Err(err(
            "nothing to inspect: no extension module (*.so) and no wheel (*.whl) in this folder"
                .into(),
        ));
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_wheel(&file) || split_extension_name(&file).is_some() {
        return Ok(());
    }
    Err(err(
        "nothing to inspect: not an extension module (*.so), a wheel (*.whl) or a folder".into(),
    ))
}

fn is_wheel(name: &str) -> bool {
    name.ends_with(".whl")
}

/// Finds the modules in each input path. Each wheel in a folder is read as if given by
/// itself, its rows' paths starting with the folder's (`dist/x.whl!pkg/m.so`).
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
            // A folder that is itself a package names its modules after it.
            let package = package_name(p);
            let mut found = Vec::new();
            walk(p, "", &mut found);
            found.sort();
            for rel in found {
                let display = join_display(&shown, &rel);
                if is_wheel(&rel) {
                    add_wheel(&mut d, &p.join(&rel), display);
                    continue;
                }
                let Some((name, tag)) = dotted_name(&rel) else {
                    continue;
                };
                if is_plain_library(&p.join(&rel)) {
                    d.skipped.push(Skipped::not_a_module(display));
                    continue;
                }
                d.candidates.push(Candidate {
                    name: in_package(&package, name),
                    display_path: display,
                    fs_path: p.join(&rel),
                    tag,
                });
            }
        } else if is_wheel(&shown) {
            let whl = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or(shown.clone());
            add_wheel(&mut d, p, whl);
        } else {
            match file_module_name(p) {
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

/// Unpacks the wheel at `path` and adds its modules, their paths shown as `whl!member`.
fn add_wheel(d: &mut Discovery, path: &Path, whl: String) {
    match unpack(path) {
        Ok((
            dir,
            Extracted {
                modules: members,
                warnings,
                ..
            },
        )) => {
            let before = d.candidates.len();
            let skipped_before = d.skipped.len();
            for rel in members {
                if let Some((name, tag)) = dotted_name(&rel) {
                    let fs_path = dir.path().join(&rel);
                    if is_plain_library(&fs_path) {
                        d.skipped
                            .push(Skipped::not_a_module(format!("{whl}!{rel}")));
                        continue;
                    }
                    d.candidates.push(Candidate {
                        name,
                        display_path: format!("{whl}!{rel}"),
                        fs_path,
                        tag,
                    });
                }
            }
            d.warnings
                .extend(warnings.into_iter().map(|w| format!("{whl}: {w}")));
            d.wheels.push(WheelFound {
                path: whl,
                modules: d.candidates.len() - before,
                libraries: d.skipped.len() - skipped_before,
            });
            d.temp_dirs.push(dir);
        }
        Err(e) => d.input_errors.push(InputError {
            path: whl,
            message: e,
        }),
    }
}

fn join_display(base: &str, rel: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
    }
}

/// Whether the folder `root/rel` holds, at any depth outside `*.libs/`, a wheel or an
/// extension module that is not a plain shared library (stops at the first such file; only the
/// `.so` files before it are read).
fn holds_a_module_or_wheel(root: &Path, rel: &str) -> bool {
    let mut found = Vec::new();
    walk(root, rel, &mut found);
    found.iter().any(|child| {
        is_wheel(child) || (dotted_name(child).is_some() && !is_plain_library(&root.join(child)))
    })
}

/// Collects the `*.so` and `*.whl` files under `root` (relative paths), skipping `*.libs/`.
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
        } else if (ft.is_file() || ft.is_symlink()) && (name.ends_with(".so") || is_wheel(&name)) {
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

    fn write_zip(path: &Path, members: &[(&str, &str)]) {
        let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        for (n, body) in members {
            z.start_file(*n, o).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }

    #[test]
    fn folders_hold_wheels_too() {
        let tmp = tempfile::tempdir().unwrap();
        let dist = tmp.path().join("dist");
        std::fs::create_dir_all(dist.join("sub")).unwrap();
        std::fs::create_dir_all(dist.join("x.libs")).unwrap();
        write_zip(
            &dist.join("sub/b-1.0-cp314-cp314t-linux_x86_64.whl"),
            &[("b/m.so", "x"), ("b/__init__.so", "y")],
        );
        write_zip(
            &dist.join("a-1.0-py3-none-any.whl"),
            &[("a/__init__.py", "")],
        );
        // A wheel in a library folder is not looked at.
        write_zip(&dist.join("x.libs/c-1.0-py3-none-any.whl"), &[]);
        let d = discover(std::slice::from_ref(&dist));
        let rows: Vec<(String, String)> = d
            .candidates
            .iter()
            .map(|c| (c.name.clone(), c.display_path.clone()))
            .collect();
        let shown = dist.display().to_string();
        assert_eq!(
            rows,
            [
                (
                    "b".to_string(),
                    format!("{shown}/sub/b-1.0-cp314-cp314t-linux_x86_64.whl!b/__init__.so")
                ),
                (
                    "b.m".to_string(),
                    format!("{shown}/sub/b-1.0-cp314-cp314t-linux_x86_64.whl!b/m.so")
                ),
            ]
        );
        assert!(d.candidates.iter().all(|c| c.fs_path.exists()));
        assert_eq!(
            d.wheels,
            [
                WheelFound {
                    path: format!("{shown}/a-1.0-py3-none-any.whl"),
                    modules: 0,
                    libraries: 0
                },
                WheelFound {
                    path: format!("{shown}/sub/b-1.0-cp314-cp314t-linux_x86_64.whl"),
                    modules: 2,
                    libraries: 0
                },
            ]
        );
        assert!(check_input(&dist).is_ok());
    }

    #[test]
    fn paths_with_nothing_to_inspect() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        std::fs::create_dir_all(p.join("empty/pkg.libs")).unwrap();
        std::fs::write(p.join("empty/pkg.libs/libz.so"), "").unwrap();
        std::fs::write(p.join("empty/README"), "").unwrap();
        let e = check_input(&p.join("empty")).unwrap_err();
        assert_eq!(e.path, p.join("empty").display().to_string());
        assert!(e.message.starts_with("nothing to inspect: "), "{e}");
        std::fs::write(p.join("notes.txt"), "").unwrap();
        assert!(
            check_input(&p.join("notes.txt"))
                .unwrap_err()
                .message
                .contains("not an extension module")
        );
        assert!(
            check_input(&p.join("missing"))
                .unwrap_err()
                .message
                .starts_with("cannot read: ")
        );
        std::fs::write(p.join("empty/m.abi3t.so"), "").unwrap();
        assert!(check_input(&p.join("empty")).is_ok());
        assert!(check_input(&p.join("empty/m.abi3t.so")).is_ok());
    }

    #[test]
    fn a_folder_that_is_a_package_names_its_modules_after_it() {
        let tmp = tempfile::tempdir().unwrap();
        let pkg = tmp.path().join("mypkg");
        std::fs::create_dir_all(pkg.join("sub")).unwrap();
        std::fs::write(pkg.join("__init__.cpython-314t-x86_64-linux-gnu.so"), "").unwrap();
        std::fs::write(pkg.join("sub/__init__.so"), "").unwrap();
        std::fs::write(pkg.join("sub/m.so"), "").unwrap();
        let names = |p: &Path| -> Vec<String> {
            discover(&[p.to_path_buf()])
                .candidates
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        assert_eq!(names(&pkg), ["mypkg", "mypkg.sub", "mypkg.sub.m"]);
        assert_eq!(names(tmp.path()), ["mypkg", "mypkg.sub", "mypkg.sub.m"]);
        assert_eq!(names(&pkg.join("sub")), ["mypkg.sub", "mypkg.sub.m"]);
        assert_eq!(names(&pkg.join("sub/__init__.so")), ["mypkg.sub"]);
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
