//! Unpacking a wheel privately, and only as much of it as `dlopen` can need: the extension
//! modules, then the shared libraries inside the wheel that they name in `DT_NEEDED` and find
//! through an `$ORIGIN`-relative `DT_RPATH`/`DT_RUNPATH` (auditwheel's `pkg.libs/`), followed
//! transitively. Members are inflated on several threads, each with its own handle on the zip
//! file, straight from one reused buffer into their files.

use crate::elf::dynamic_deps;
use crate::names::dotted_name;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// A wheel unpacked into a private temporary folder.
#[derive(Debug)]
pub struct Unpacked {
    /// The folder (removed when this is dropped).
    pub dir: tempfile::TempDir,
    /// The extension modules found, relative `/`-separated member names, sorted.
    pub modules: Vec<String>,
    /// Every member written, sorted (modules and the libraries they need).
    pub extracted: Vec<String>,
    /// Notes about skipped members.
    pub warnings: Vec<String>,
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

/// A safe member name without `.` components or a trailing `/` (`./pkg/m.so` -> `pkg/m.so`).
fn canonical(name: &str) -> String {
    name.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The folder part of a canonical member name (`""` at the top).
fn parent_of(member: &str) -> &str {
    member.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Resolves one search-path entry of the object at `origin` (its folder in the wheel) to a
/// folder in the wheel. Only `$ORIGIN`-relative entries can point into the wheel; one that
/// climbs above the wheel's top is outside it.
pub(crate) fn resolve_origin(origin: &str, entry: &str) -> Option<String> {
    let rest = entry
        .strip_prefix("${ORIGIN}")
        .or_else(|| entry.strip_prefix("$ORIGIN"))?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let mut parts: Vec<&str> = origin.split('/').filter(|p| !p.is_empty()).collect();
    for p in rest.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The member a `DT_NEEDED` name resolves to in `dir` (`""`: the wheel's top).
fn join_member(dir: &str, needed: &str) -> String {
    if dir.is_empty() {
        needed.to_string()
    } else {
        format!("{dir}/{needed}")
    }
}

/// Where unpacked wheels and inspection workers' folders go: `$TMPDIR` when set, else
/// `/dev/shm` when it is a writable file system that allows mapping code (memory-backed:
/// creating, writing and removing files and folders is much cheaper than on a disk file
/// system), else the system's temporary folder (`None`).
fn temp_root() -> Option<PathBuf> {
    if std::env::var_os("TMPDIR").is_some() {
        return None;
    }
    let shm = Path::new("/dev/shm");
    writable_for_code(shm).then(|| shm.to_path_buf())
}

/// Whether the file system of the folder `dir` is writable and allows mapping code (`dlopen`
/// of a file there works: not mounted `noexec` or read-only).
pub(crate) fn writable_for_code(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a NUL-terminated path and a pointer to writable storage for one `statvfs`.
    let rc = unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return false;
    }
    // SAFETY: `statvfs` returned 0, so it filled the structure.
    let st = unsafe { st.assume_init() };
    st.f_flag & (libc::ST_NOEXEC | libc::ST_RDONLY) == 0
}

fn private_dir() -> Result<tempfile::TempDir, String> {
    private_temp_dir("gilgate-wheel-").map_err(|e| format!("cannot create a temporary folder: {e}"))
}

/// A fresh private folder named `prefix` and random letters, in [`temp_root`] (or the
/// system's temporary folder when that fails).
pub(crate) fn private_temp_dir(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    if let Some(root) = temp_root()
        && let Ok(d) = b.tempdir_in(&root)
    {
        return Ok(d);
    }
    b.tempdir()
}

/// One member to write, with the folders its libraries may come from (its own
/// `$ORIGIN`-relative search path and, conservatively, those of the objects that needed it).
struct Job {
    index: usize,
    name: String,
    search: Arc<Vec<String>>,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    queued: HashSet<usize>,
    busy: usize,
    error: Option<String>,
    extracted: Vec<String>,
    warnings: Vec<String>,
}

struct Shared<'a> {
    wheel: &'a Path,
    root: &'a Path,
    by_name: &'a HashMap<String, usize>,
    queue: Mutex<Queue>,
    changed: Condvar,
}

/// At most this many threads inflate members.
const MAX_THREADS: usize = 4;

/// Unpacks the extension modules of the wheel at `path` and the libraries they need into a
/// private temporary folder, keeping the wheel's layout.
pub fn extract_wheel(path: &Path) -> Result<Unpacked, String> {
    let dir = private_dir()?;
    let Extracted {
        modules,
        extracted,
        warnings,
    } = extract_into(path, dir.path())?;
    Ok(Unpacked {
        dir,
        modules,
        extracted,
        warnings,
    })
}

/// What [`extract_into`] wrote: see [`Unpacked`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Extracted {
    pub modules: Vec<String>,
    pub extracted: Vec<String>,
    pub warnings: Vec<String>,
}

/// Unpacks the extension modules of the wheel at `path` and the libraries they need into the
/// existing folder `root`, keeping the wheel's layout.
pub(crate) fn extract_into(path: &Path, root: &Path) -> Result<Extracted, String> {
    let started = std::time::Instant::now();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open wheel: {e}"))?;
    let zip = zip::ZipArchive::new(file).map_err(|e| format!("not a readable wheel (zip): {e}"))?;
    let mut warnings = Vec::new();
    let mut by_name = HashMap::new();
    for i in 0..zip.len() {
        let name = match zip.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            Some(Err(e)) => {
                warnings.push(format!("skipped member #{i} with an unreadable name: {e}"));
                continue;
            }
            None => continue,
        };
        if !member_name_is_safe(&name) {
            warnings.push(format!(
                "skipped unsafe member name {name:?} (it would land outside the wheel's folder)"
            ));
            continue;
        }
        if name.ends_with('/') {
            continue;
        }
        by_name.insert(canonical(&name), i);
    }
    let mut modules: Vec<String> = by_name
        .keys()
        .filter(|n| dotted_name(n).is_some())
        .cloned()
        .collect();
    modules.sort();
    let mut queue = Queue::default();
    for m in &modules {
        let index = by_name[m];
        queue.queued.insert(index);
        queue.jobs.push_back(Job {
            index,
            name: m.clone(),
            search: Arc::new(Vec::new()),
        });
    }
    let shared = Shared {
        wheel: path,
        root,
        by_name: &by_name,
        queue: Mutex::new(queue),
        changed: Condvar::new(),
    };
    let n = crate::cores(MAX_THREADS).min(modules.len().max(1));
    std::thread::scope(|s| {
        // This thread reuses the archive already open; the others open their own handles.
        for _ in 1..n {
            s.spawn(|| match open(shared.wheel) {
                Ok(z) => run(&shared, z),
                Err(e) => fail(&shared, e),
            });
        }
        run(&shared, zip);
    });
    let q = shared.queue.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(e) = q.error {
        return Err(e);
    }
    warnings.extend(q.warnings);
    let mut extracted = q.extracted;
    extracted.sort();
    tracing::debug!(
        "{}: unpacked {} of {} members ({} modules) into {} on {n} threads in {:.1} ms",
        path.display(),
        extracted.len(),
        by_name.len(),
        modules.len(),
        root.display(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let modules = modules
        .into_iter()
        .filter(|m| extracted.binary_search(m).is_ok())
        .collect();
    Ok(Extracted {
        modules,
        extracted,
        warnings,
    })
}

/// The suffixes of the source files a traceback from an extension can name (Cython's `.pyx`
/// and included files; mypyc's compiled `.py` modules).
const SOURCE_SUFFIXES: [&str; 4] = [".pyx", ".pxi", ".pxd", ".py"];

/// Writes the wheel's source files ([`SOURCE_SUFFIXES`], at most 4 MiB each) into the folder
/// an [`extract_wheel`] of it made, keeping the layout, so that a traceback's lines can be
/// read as CPython reads them from the installed package. Members already written, unsafe
/// names and symbolic links are left out. Returns how many were written.
pub fn extract_sources(path: &Path, into: &Unpacked) -> Result<usize, String> {
    const MAX: u64 = 4 << 20;
    let mut zip = open(path)?;
    let mut written = 0;
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip
            .by_index(i)
            .map_err(|e| format!("cannot read member #{i}: {e}"))?;
        let Ok(name) = member.name().map(|n| n.into_owned()) else {
            continue;
        };
        if !SOURCE_SUFFIXES.iter().any(|s| name.ends_with(s))
            || !member_name_is_safe(&name)
            || member.is_symlink()
            || member.size() > MAX
            || into.extracted.binary_search(&name).is_ok()
        {
            continue;
        }
        buf.clear();
        member
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot extract {name}: {e}"))?;
        let dest = into.dir.path().join(&name);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot extract {name}: {e}"))?;
        }
        std::fs::write(&dest, &buf).map_err(|e| format!("cannot extract {name}: {e}"))?;
        written += 1;
    }
    Ok(written)
}

/// The dotted names of the extension modules in the wheel at `path`, sorted, from its member
/// names alone (nothing is unpacked).
pub fn module_names(path: &Path) -> Result<Vec<String>, String> {
    let zip = open(path)?;
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| member_name_is_safe(n) && !n.ends_with('/'))
        .filter_map(|n| dotted_name(&canonical(&n)))
        .map(|(n, _)| n)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

fn open(path: &Path) -> Result<zip::ZipArchive<std::fs::File>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open wheel: {e}"))?;
    zip::ZipArchive::new(file).map_err(|e| format!("not a readable wheel (zip): {e}"))
}

fn fail(shared: &Shared, e: String) {
    let mut q = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
    q.error.get_or_insert(e);
    shared.changed.notify_all();
}

/// One inflating thread: takes jobs until none is left and no other thread can add any.
fn run(shared: &Shared, mut zip: zip::ZipArchive<std::fs::File>) {
    let mut buf = Vec::new();
    loop {
        let job = {
            let mut q = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if q.error.is_some() {
                    return;
                }
                if let Some(j) = q.jobs.pop_front() {
                    q.busy += 1;
                    break j;
                }
                if q.busy == 0 {
                    shared.changed.notify_all();
                    return;
                }
                q = shared.changed.wait(q).unwrap_or_else(|p| p.into_inner());
            }
        };
        let outcome = extract_one(&mut zip, &job, shared.root, &mut buf);
        let wanted = match outcome {
            Ok(Written::File) => needed_members(shared.by_name, &job, &buf),
            _ => Vec::new(),
        };
        let mut q = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
        q.busy -= 1;
        match outcome {
            Ok(Written::File) => {
                q.extracted.push(job.name);
                for w in wanted {
                    if q.queued.insert(w.index) {
                        q.jobs.push_back(w);
                    }
                }
            }
            Ok(Written::Skipped(w)) => q.warnings.push(w),
            Err(e) => {
                q.error.get_or_insert(e);
            }
        }
        shared.changed.notify_all();
    }
}

enum Written {
    File,
    Skipped(String),
}

fn extract_one(
    zip: &mut zip::ZipArchive<std::fs::File>,
    job: &Job,
    root: &Path,
    buf: &mut Vec<u8>,
) -> Result<Written, String> {
    let name = &job.name;
    let mut member = zip
        .by_index(job.index)
        .map_err(|e| format!("cannot extract {name}: {e}"))?;
    if member.is_symlink() {
        return Ok(Written::Skipped(format!(
            "skipped symbolic link member {name:?}"
        )));
    }
    buf.clear();
    buf.reserve(usize::try_from(member.size()).unwrap_or(0));
    member
        .read_to_end(buf)
        .map_err(|e| format!("cannot extract {name}: {e}"))?;
    let dest = root.join(name);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot extract {name}: {e}"))?;
    }
    std::fs::write(&dest, &buf[..]).map_err(|e| format!("cannot extract {name}: {e}"))?;
    Ok(Written::File)
}

/// The wheel members that the object just written (`bytes`) needs.
fn needed_members(by_name: &HashMap<String, usize>, job: &Job, bytes: &[u8]) -> Vec<Job> {
    let mut out = Vec::new();
    let Some(deps) = dynamic_deps(bytes) else {
        return out;
    };
    let origin = parent_of(&job.name);
    let mut search: Vec<String> = deps
        .search
        .iter()
        .filter_map(|e| resolve_origin(origin, e))
        .collect();
    for d in job.search.iter() {
        if !search.contains(d) {
            search.push(d.clone());
        }
    }
    let search = Arc::new(search);
    for needed in &deps.needed {
        if needed.contains('/') {
            continue;
        }
        for dir in search.iter() {
            let member = join_member(dir, needed);
            if let Some(&index) = by_name.get(&member) {
                out.push(Job {
                    index,
                    name: member,
                    search: search.clone(),
                });
                break;
            }
        }
    }
    out
}

/// The test trees' one C-compiling helper (honours `$CC`/`$CFLAGS`), for the unit tests below.
#[cfg(test)]
#[path = "../../tests/support/cc.rs"]
mod cc_support;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names() {
        assert!(member_name_is_safe("pkg/m.so"));
        assert!(member_name_is_safe("pkg.libs/libz.so.1"));
        assert!(!member_name_is_safe("../evil"));
        assert!(!member_name_is_safe("pkg/../../evil"));
        assert!(!member_name_is_safe("/etc/passwd"));
        assert!(!member_name_is_safe("a\\..\\b"));
        assert!(!member_name_is_safe(""));
        assert_eq!(canonical("./pkg//m.so"), "pkg/m.so");
    }

    #[test]
    fn origin_paths() {
        assert_eq!(
            resolve_origin("PIL", "$ORIGIN/../pillow.libs").as_deref(),
            Some("pillow.libs")
        );
        assert_eq!(resolve_origin("a/b", "${ORIGIN}").as_deref(), Some("a/b"));
        assert_eq!(resolve_origin("", "$ORIGIN/.").as_deref(), Some(""));
        assert_eq!(resolve_origin("", "$ORIGIN/../x"), None);
        assert_eq!(resolve_origin("a", "/usr/lib"), None);
        assert_eq!(resolve_origin("a", "$ORIGINAL"), None);
        assert_eq!(join_member("", "libz.so"), "libz.so");
        assert_eq!(join_member("p.libs", "libz.so"), "p.libs/libz.so");
    }

    /// Builds a shared object `out` in `dir` from `src`, with `extra` link arguments.
    fn cc(dir: &Path, out: &str, src: &str, extra: &[&str]) -> Vec<u8> {
        let c = dir.join(format!("{out}.c"));
        std::fs::write(&c, src).unwrap();
        let so = super::cc_support::shared(&c, dir.join(out))
            .link_args(extra)
            .current_dir(dir)
            .build();
        std::fs::read(so).unwrap()
    }

    #[test]
    fn only_needed_libraries_are_unpacked_transitively() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        // m.so -> libb (via $ORIGIN/../demo.libs) -> liba (libb's own $ORIGIN); libunused is
        // needed by nothing.
        let liba = cc(d, "liba-1.so", "int a(void) { return 1; }", &[]);
        let libb = cc(
            d,
            "libb-2.so",
            "int a(void); int b(void) { return a(); }",
            &["-L.", "-l:liba-1.so", "-Wl,-rpath,$ORIGIN"],
        );
        let unused = cc(d, "libunused.so", "int u(void) { return 0; }", &[]);
        let m = cc(
            d,
            "m.so",
            "int b(void); int PyInit_m(void) { return b(); }",
            &[
                "-L.",
                "-l:libb-2.so",
                "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../demo.libs",
            ],
        );
        let whl = d.join("demo-1.0-cp314-cp314t-linux_x86_64.whl");
        {
            use std::io::Write;
            let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
            let o = zip::write::SimpleFileOptions::default();
            for (n, body) in [
                ("demo/m.cpython-314t-x86_64-linux-gnu.so", &m),
                ("demo.libs/libb-2.so", &libb),
                ("demo.libs/liba-1.so", &liba),
                ("demo.libs/libunused.so", &unused),
                ("demo/__init__.py", &Vec::new()),
            ] {
                z.start_file(n, o).unwrap();
                z.write_all(body).unwrap();
            }
            z.finish().unwrap();
        }
        let u = extract_wheel(&whl).unwrap();
        assert_eq!(u.modules, ["demo/m.cpython-314t-x86_64-linux-gnu.so"]);
        assert_eq!(
            u.extracted,
            [
                "demo.libs/liba-1.so",
                "demo.libs/libb-2.so",
                "demo/m.cpython-314t-x86_64-linux-gnu.so",
            ]
        );
        assert_eq!(
            std::fs::read(u.dir.path().join("demo.libs/libb-2.so")).unwrap(),
            libb
        );
        assert!(u.warnings.is_empty(), "{:?}", u.warnings);
    }
}
