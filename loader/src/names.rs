//! File names, ABI tags, dotted module names and init hook symbol names (pure functions).

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Whose rules apply to a module (see the design's "Which CPython's rules apply").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    #[serde(rename = "3.13t")]
    Cp313t,
    #[serde(rename = "3.14t")]
    Cp314t,
    #[serde(rename = "3.15t")]
    Cp315t,
}

impl Target {
    /// `"3.14t"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Cp313t => "3.13t",
            Target::Cp314t => "3.14t",
            Target::Cp315t => "3.15t",
        }
    }

    /// The runtime's twin of this value.
    pub fn to_capi(self) -> gilgate_capi::host::Target {
        use gilgate_capi::host::Target as T;
        match self {
            Target::Cp313t => T::Cp313t,
            Target::Cp314t => T::Cp314t,
            Target::Cp315t => T::Cp315t,
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ABI tag carried by an extension file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AbiTag {
    /// `.cpython-3XY[t]-<platform>.so`: `minor` is XY, `free_threaded` the `t` flag.
    Cpython {
        tag: String,
        minor: u32,
        free_threaded: bool,
        platform: String,
    },
    /// `.abi3.so` (stable ABI of the GIL build).
    Abi3,
    /// `.abi3t.so` / `.abi3t-<platform>.so` (3.15's free-threading stable ABI).
    Abi3t,
    /// A plain `.so`.
    Untagged,
}

impl AbiTag {
    /// The tag as reports show it (`"cpython-314t"`, `"abi3"`), `None` for an untagged file.
    pub fn report_tag(&self) -> Option<String> {
        match self {
            AbiTag::Cpython { tag, .. } => Some(tag.clone()),
            AbiTag::Abi3 => Some("abi3".into()),
            AbiTag::Abi3t => Some("abi3t".into()),
            AbiTag::Untagged => None,
        }
    }
}

/// Splits an extension file name into the module's short name and its ABI tag. `None` when the
/// name does not end in an extension suffix (`.so`).
pub fn split_extension_name(file_name: &str) -> Option<(String, AbiTag)> {
    let stem = file_name.strip_suffix(".so")?;
    if stem.is_empty() {
        return None;
    }
    if let Some((base, last)) = stem.rsplit_once('.')
        && let Some(tag) = parse_tag(last)
    {
        if base.is_empty() {
            return None;
        }
        return Some((base.to_string(), tag));
    }
    Some((stem.to_string(), AbiTag::Untagged))
}

fn parse_tag(part: &str) -> Option<AbiTag> {
    if part == "abi3" || part.starts_with("abi3-") {
        return Some(AbiTag::Abi3);
    }
    if part == "abi3t" || part.starts_with("abi3t-") {
        return Some(AbiTag::Abi3t);
    }
    let rest = part.strip_prefix("cpython-")?;
    let (ver, platform) = rest.split_once('-').unwrap_or((rest, ""));
    let digits: String = ver.chars().take_while(|c| c.is_ascii_digit()).collect();
    let flags = &ver[digits.len()..];
    if digits.len() < 2 || !digits.starts_with('3') || !flags.chars().all(|c| "tdm".contains(c)) {
        return None;
    }
    let minor: u32 = digits[1..].parse().ok()?;
    Some(AbiTag::Cpython {
        tag: format!("cpython-{ver}"),
        minor,
        free_threaded: flags.contains('t'),
        platform: platform.to_string(),
    })
}

/// The target a command-line path's name points to: a `.so` tagged `cpython-3XYt`, or a
/// wheel whose ABI tag is `cp3XYt` alone (its modules carry that tag). `None` for anything
/// else (a folder, another tag, several). Only a guess, from the name alone (the file is not
/// read): it picks the version the first inspection worker presents before the inputs are
/// read ([`crate::worker::fork_early`]), and a wrong one only costs that worker.
pub fn target_by_name(path: &Path) -> Option<Target> {
    let name = path.file_name()?.to_str()?;
    let minor = if let Some(wheel) = name.strip_suffix(".whl") {
        // name-version[-build]-python-abi-platform
        let abi = wheel.rsplit('-').nth(1)?;
        abi.strip_prefix("cp3")?
            .strip_suffix('t')?
            .parse::<u32>()
            .ok()?
    } else {
        match split_extension_name(name)?.1 {
            AbiTag::Cpython {
                minor,
                free_threaded: true,
                ..
            } => minor,
            _ => return None,
        }
    };
    match minor {
        13 => Some(Target::Cp313t),
        14 => Some(Target::Cp314t),
        15 => Some(Target::Cp315t),
        _ => None,
    }
}

/// The target all of `paths`' names point to ([`target_by_name`]); 3.14t, gilgate's own, when
/// they point to none or to several.
pub fn target_by_names<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Target {
    let mut common = None;
    for p in paths {
        match (target_by_name(p), common) {
            (None, _) => return Target::Cp314t,
            (Some(t), None) => common = Some(t),
            (Some(t), Some(c)) if t != c => return Target::Cp314t,
            _ => {}
        }
    }
    common.unwrap_or(Target::Cp314t)
}

/// Whether a path component names an auditwheel-style library folder (`pkg.libs`), whose
/// files are shared libraries, not modules.
pub fn is_libs_dir(component: &str) -> bool {
    component.ends_with(".libs")
}

/// The file stem of a package's own module (`pkg/__init__.cpython-314t-x86_64-linux-gnu.so`).
pub const PACKAGE_INIT: &str = "__init__";

/// The dotted module name for a file at `rel` (a `/`-separated path relative to the folder or
/// wheel root). Wheel data prefixes (`*.data/platlib/`, `*.data/purelib/`) are stripped.
/// A package's `__init__` extension is the package (`pkg/__init__.so` is `pkg`), as CPython's
/// path finder names it; one at the root itself keeps the name `__init__`.
/// `None` when the file is not a module (no extension suffix, or inside a `*.libs/` folder).
pub fn dotted_name(rel: &str) -> Option<(String, AbiTag)> {
    let mut parts: Vec<&str> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.len() >= 3
        && parts[0].ends_with(".data")
        && (parts[1] == "platlib" || parts[1] == "purelib")
    {
        parts.drain(..2);
    }
    let (file, dirs) = parts.split_last()?;
    if dirs.iter().any(|d| is_libs_dir(d)) {
        return None;
    }
    let (short, tag) = split_extension_name(file)?;
    let mut name = dirs.join(".");
    if short == PACKAGE_INIT && !name.is_empty() {
        return Some((name, tag));
    }
    if !name.is_empty() {
        name.push('.');
    }
    name.push_str(&short);
    Some((name, tag))
}

/// Whether `dir` is a regular package: it holds an `__init__` module (`__init__.py`,
/// `__init__.pyc` or an `__init__` extension of any tag).
pub fn is_package_dir(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        (name == "__init__.py"
            || name == "__init__.pyc"
            || split_extension_name(&name).is_some_and(|(s, _)| s == PACKAGE_INIT))
            && e.path().is_file()
    })
}

/// The dotted name of the package that the folder `dir` is, or `""` when it is not one: its
/// own name, after those of the enclosing folders that are packages too (`a/b/` with an
/// `__init__` in both is `a.b`). This is the name CPython gives it when the nearest folder
/// above that is not a package is on `sys.path`.
pub fn package_name(dir: &Path) -> String {
    let mut parts = Vec::new();
    let mut cur = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    while is_package_dir(&cur) {
        let Some(n) = cur.file_name() else { break };
        parts.push(n.to_string_lossy().into_owned());
        if !cur.pop() {
            break;
        }
    }
    parts.reverse();
    parts.join(".")
}

/// The dotted name of the extension module file at `path`, given by itself: its short name,
/// after the package that its folder is (see [`package_name`]); a package's `__init__`
/// extension is the package itself. `None` when the file name has no extension suffix.
pub fn file_module_name(path: &Path) -> Option<(String, AbiTag)> {
    let file = path.file_name()?.to_string_lossy().into_owned();
    let (short, tag) = split_extension_name(&file)?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some((in_package(&package_name(parent), short), tag))
}

/// The full name of the module `name` found in the folder that is the package `package`
/// (`""`: no package): `package.name`, or the package itself for its `__init__`.
pub fn in_package(package: &str, name: String) -> String {
    if package.is_empty() {
        name
    } else if name == PACKAGE_INIT {
        package.to_string()
    } else {
        format!("{package}.{name}")
    }
}

/// The short name (after the last dot) encoded the way CPython encodes it for the hook
/// symbol: ASCII as is, otherwise punycode; then every `-` becomes `_`. The flag says whether
/// the name was ASCII (`PyInit`) or not (`PyInitU`).
pub fn encoded_short_name(full_name: &str) -> (String, bool) {
    let short = full_name.rsplit('.').next().unwrap_or(full_name);
    let (encoded, ascii) = if short.is_ascii() {
        (short.to_string(), true)
    } else {
        (
            idna::punycode::encode_str(short).unwrap_or_else(|| short.to_string()),
            false,
        )
    };
    (encoded.replace('-', "_"), ascii)
}

/// The hook symbols to try, in order: 3.15 tries `PyModExport[U]_` before `PyInit[U]_`.
pub fn hook_symbols(full_name: &str, target: Target) -> Vec<(HookKind, String)> {
    let (enc, ascii) = encoded_short_name(full_name);
    let u = if ascii { "" } else { "U" };
    let mut out = Vec::new();
    if target == Target::Cp315t {
        out.push((HookKind::Export, format!("PyModExport{u}_{enc}")));
    }
    out.push((HookKind::Init, format!("PyInit{u}_{enc}")));
    out
}

/// Which kind of hook a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HookKind {
    /// `PyInit_<name>` / `PyInitU_<name>`.
    Init,
    /// 3.15's `PyModExport_<name>` / `PyModExportU_<name>`.
    Export,
}

/// CPython's message when no hook symbol exists.
pub fn missing_hook_message(full_name: &str, target: Target) -> String {
    let syms = hook_symbols(full_name, target);
    let list: Vec<&str> = syms.iter().map(|(_, s)| s.as_str()).collect();
    format!(
        "dynamic module does not define module export function ({})",
        list.join(" or ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_by_name() {
        let t = |s: &str| target_by_name(Path::new(s));
        assert_eq!(
            t("d/markupsafe-3.0.3-cp313-cp313t-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"),
            Some(Target::Cp313t)
        );
        assert_eq!(
            t("pkg-1.0-1-cp315-cp315t-manylinux_2_28_x86_64.whl"),
            Some(Target::Cp315t)
        );
        assert_eq!(
            t("x.cpython-314t-x86_64-linux-gnu.so"),
            Some(Target::Cp314t)
        );
        assert_eq!(t("/a/b/_speedups.cpython-313t.so"), Some(Target::Cp313t));
        for none in [
            "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
            "pkg-1.0-cp313-cp313t.cp314t-manylinux_2_17_x86_64.whl",
            "pkg-1.0-cp312-abi3-manylinux_2_17_x86_64.whl",
            "x.cpython-313-x86_64-linux-gnu.so",
            "x.cpython-312t-x86_64-linux-gnu.so",
            "x.abi3.so",
            "x.so",
            "folder",
            "5",
        ] {
            assert_eq!(t(none), None, "{none}");
        }
        let all = |v: &[&str]| target_by_names(v.iter().map(Path::new));
        assert_eq!(
            all(&["a.cpython-313t.so", "b-1-cp313-cp313t-any.whl"]),
            Target::Cp313t
        );
        assert_eq!(
            all(&["a.cpython-313t.so", "b.cpython-315t.so"]),
            Target::Cp314t
        );
        assert_eq!(all(&["a.cpython-313t.so", "folder"]), Target::Cp314t);
        assert_eq!(all(&[]), Target::Cp314t);
    }

    #[test]
    fn tags_are_parsed() {
        let (n, t) = split_extension_name("_speedups.cpython-314t-x86_64-linux-gnu.so").unwrap();
        assert_eq!(n, "_speedups");
        assert_eq!(t.report_tag().as_deref(), Some("cpython-314t"));
        assert!(matches!(
            t,
            AbiTag::Cpython {
                minor: 14,
                free_threaded: true,
                ..
            }
        ));
        let (_, t) = split_extension_name("m.cpython-314-x86_64-linux-gnu.so").unwrap();
        assert!(matches!(
            t,
            AbiTag::Cpython {
                minor: 14,
                free_threaded: false,
                ..
            }
        ));
        let (_, t) = split_extension_name("m.cpython-313t-x86_64-linux-gnu.so").unwrap();
        assert!(matches!(
            t,
            AbiTag::Cpython {
                minor: 13,
                free_threaded: true,
                ..
            }
        ));
        assert_eq!(
            split_extension_name("m.abi3.so").unwrap(),
            ("m".into(), AbiTag::Abi3)
        );
        assert_eq!(
            split_extension_name("m.abi3t.so").unwrap(),
            ("m".into(), AbiTag::Abi3t)
        );
        assert_eq!(
            split_extension_name("m.so").unwrap(),
            ("m".into(), AbiTag::Untagged)
        );
        assert_eq!(split_extension_name("libfoo.so.1"), None);
        assert_eq!(split_extension_name("m.py"), None);
        assert_eq!(split_extension_name(".so"), None);
    }

    #[test]
    fn dotted_names_come_from_relative_paths() {
        assert_eq!(
            dotted_name("pkg/sub/_m.cpython-314t-x86_64-linux-gnu.so")
                .unwrap()
                .0,
            "pkg.sub._m"
        );
        assert_eq!(dotted_name("m.so").unwrap().0, "m");
        assert_eq!(
            dotted_name("dist-1.0.data/platlib/pkg/m.so").unwrap().0,
            "pkg.m"
        );
        assert_eq!(dotted_name("x-1.data/purelib/m.abi3t.so").unwrap().0, "m");
        assert_eq!(dotted_name("pkg.libs/libz-abc.so"), None);
        assert_eq!(dotted_name("a/pkg.libs/x/libz.so"), None);
        assert_eq!(dotted_name("pkg/README.md"), None);
    }

    #[test]
    fn a_package_init_extension_is_the_package() {
        // CPython 3.14 imports package `mypy` from `mypy/__init__.<suffix>` under the name
        // `mypy` (hook PyInit_mypy), whatever way it is reached.
        let (n, t) = dotted_name("mypy/__init__.cpython-314t-x86_64-linux-gnu.so").unwrap();
        assert_eq!(n, "mypy");
        assert_eq!(t.report_tag().as_deref(), Some("cpython-314t"));
        assert_eq!(dotted_name("a/b/__init__.so").unwrap().0, "a.b");
        assert_eq!(
            dotted_name("x-1.data/platlib/pkg/__init__.abi3t.so")
                .unwrap()
                .0,
            "pkg"
        );
        assert_eq!(
            hook_symbols(&dotted_name("a/b/__init__.so").unwrap().0, Target::Cp314t),
            vec![(HookKind::Init, "PyInit_b".to_string())]
        );
        // At the root of a wheel (site-packages) it is a top-level module named `__init__`.
        assert_eq!(dotted_name("__init__.so").unwrap().0, "__init__");
    }

    #[test]
    fn names_of_files_given_alone_follow_their_packages() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("top");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("plain")).unwrap();
        std::fs::write(root.join("a/__init__.py"), "").unwrap();
        std::fs::write(
            root.join("a/b/__init__.cpython-314t-x86_64-linux-gnu.so"),
            "",
        )
        .unwrap();
        std::fs::write(root.join("a/b/m.so"), "").unwrap();
        std::fs::write(root.join("plain/m.so"), "").unwrap();
        std::fs::write(root.join("plain/__init__.txt"), "").unwrap();
        assert!(is_package_dir(&root.join("a")));
        assert!(is_package_dir(&root.join("a/b")));
        assert!(!is_package_dir(&root.join("plain")));
        assert_eq!(package_name(&root.join("a/b")), "a.b");
        assert_eq!(package_name(&root.join("plain")), "");
        let name = |p: &str| file_module_name(&root.join(p)).unwrap().0;
        assert_eq!(name("a/b/__init__.cpython-314t-x86_64-linux-gnu.so"), "a.b");
        assert_eq!(name("a/b/m.so"), "a.b.m");
        assert_eq!(name("plain/m.so"), "m");
        assert_eq!(file_module_name(&root.join("a/__init__.py")), None);
    }

    #[test]
    fn hook_names_follow_cpython() {
        assert_eq!(encoded_short_name("pkg.foo"), ("foo".into(), true));
        assert_eq!(encoded_short_name("my-mod"), ("my_mod".into(), true));
        // Python: 'héllo'.encode('punycode') == b'hllo-bpa'
        assert_eq!(encoded_short_name("pkg.héllo"), ("hllo_bpa".into(), false));
        assert_eq!(
            hook_symbols("pkg.héllo", Target::Cp314t),
            vec![(HookKind::Init, "PyInitU_hllo_bpa".to_string())]
        );
        assert_eq!(
            hook_symbols("foo", Target::Cp315t),
            vec![
                (HookKind::Export, "PyModExport_foo".to_string()),
                (HookKind::Init, "PyInit_foo".to_string())
            ]
        );
        assert_eq!(
            missing_hook_message("a.foo", Target::Cp314t),
            "dynamic module does not define module export function (PyInit_foo)"
        );
        assert_eq!(
            missing_hook_message("foo", Target::Cp315t),
            "dynamic module does not define module export function (PyModExport_foo or PyInit_foo)"
        );
    }
}
