//! What an extension file says about itself before it is loaded: ELF sanity, the C-API
//! symbols it imports (which build it was made for) and the hooks it exports.

use goblin::elf::Elf;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Symbols of interest in one ELF file.
#[derive(Debug, Clone, Default)]
pub struct ElfFacts {
    /// Undefined dynamic symbols starting with `Py` or `_Py`.
    pub python_imports: BTreeSet<String>,
    /// Defined dynamic symbols starting with `PyInit` or `PyModExport`.
    pub hooks: BTreeSet<String>,
}

/// Which build an untagged file was made for, judged by its imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// Imports the free-threaded refcount halves.
    FreeThreaded,
    /// Imports `_Py_Dealloc` but neither free-threaded half: the default (GIL) build.
    Default,
    /// No refcounting symbols at all.
    Unknown,
}

impl ElfFacts {
    /// The build the file's imports point to.
    pub fn build_kind(&self) -> BuildKind {
        let has = |s: &str| self.python_imports.contains(s);
        if has("_Py_MergeZeroLocalRefcount") || has("_Py_DecRefShared") {
            BuildKind::FreeThreaded
        } else if has("_Py_Dealloc") {
            BuildKind::Default
        } else {
            BuildKind::Unknown
        }
    }

    /// Whether the file imports `name`.
    pub fn imports(&self, name: &str) -> bool {
        self.python_imports.contains(name)
    }

    /// Whether the file exports any `PyModExport` hook.
    pub fn has_export_hook(&self) -> bool {
        self.hooks.iter().any(|h| h.starts_with("PyModExport"))
    }
}

const EM_X86_64: u16 = 62;
const ET_DYN: u16 = 3;

/// A file's identity and state when it was read: any write, truncation, replacement or
/// `chmod` after that changes one of these (the change time, which no user can set back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    /// The file's stamp, when it can vouch for the file's content: `None` for a file changed
    /// less than [`SETTLED`] ago, since a write within the file system clock's granularity of
    /// the last one could leave every field as it was. Once the change time is older than
    /// that, any later change gets a later change time.
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let changed = std::time::UNIX_EPOCH
            + std::time::Duration::new(
                u64::try_from(m.ctime()).ok()?,
                u32::try_from(m.ctime_nsec()).ok()?,
            );
        if std::time::SystemTime::now()
            .duration_since(changed)
            .map_or(true, |age| age < SETTLED)
        {
            return None;
        }
        Some(Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// How long ago a file must have changed for its stamp to vouch for its content (as for the
/// unpack cache's memos of wheel keys).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// Answers kept for one more question each: `inspect` asks about every module file twice
/// (discovery, whether it is a plain library; classification, its imports), and the second
/// question reads and parses nothing when the file is unchanged (a large module is megabytes
/// of reading and symbol tables). An entry is taken by the question that uses it, so the memo
/// holds no more than the files of one discovery.
type Memo = Vec<(PathBuf, Stamp, Result<ElfFacts, String>)>;
static MEMO: Mutex<Memo> = Mutex::new(Vec::new());

/// Reads the file's dynamic symbols. The error is a one-line reason for refusing the file
/// before `dlopen` (not an ELF file, truncated, wrong machine).
pub fn read_elf(path: &Path) -> Result<ElfFacts, String> {
    // The stamp is taken before the file is read: a change during the read gives a later
    // stamp than the one kept, so the next question reads the file again. A file changed
    // just now is read every time.
    let Some(stamp) = Stamp::of(path) else {
        return parse_elf(path);
    };
    {
        let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = memo.iter().position(|(p, _, _)| p == path) {
            let (_, kept, answer) = memo.swap_remove(i);
            if kept == stamp {
                return answer;
            }
        }
    }
    let answer = parse_elf(path);
    MEMO.lock().unwrap_or_else(|e| e.into_inner()).push((
        path.to_path_buf(),
        stamp,
        answer.clone(),
    ));
    answer
}

/// A file's bytes: read into memory, or mapped (see [`file_bytes`]).
enum FileBytes {
    Read(Vec<u8>),
    Mapped { at: *mut libc::c_void, len: usize },
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(v) => v,
            // SAFETY: a live read-only mapping of `len` bytes, unmapped only on drop.
            FileBytes::Mapped { at, len } => unsafe {
                std::slice::from_raw_parts(at.cast::<u8>(), *len)
            },
        }
    }
}

impl Drop for FileBytes {
    fn drop(&mut self) {
        if let FileBytes::Mapped { at, len } = *self {
            // SAFETY: the mapping made by `file_bytes`, no longer borrowed (`self` is dropped).
            unsafe { libc::munmap(at, len) };
        }
    }
}

/// The bytes of `path`. A file of an unpack-cache entry is mapped instead of read: its pages
/// are already in the page cache, while a read copies them into fresh memory, whose first touch
/// is what costs here (pillow's 3.6 MB `_imaging` module: about 5 ms of system time to read,
/// 0.2 ms to map and touch whole, on the benchmark machine), and `inspect` reads every module
/// before it can ask any worker. Only there: a cache entry's files are never written in place
/// (entries are filled under a temporary name, replaced by `rename`, removed by `unlink`, none
/// of which changes a mapped file's pages), while any other file could be truncated while
/// mapped, and touching a page past the new end would kill this process with `SIGBUS`.
fn file_bytes(path: &Path) -> std::io::Result<FileBytes> {
    read_or_map(path, crate::unpack_cache::holds(path))
}

/// The bytes of `path`, mapped when `map` (and the mapping works), else read.
fn read_or_map(path: &Path, map: bool) -> std::io::Result<FileBytes> {
    use std::os::fd::AsRawFd;
    if map {
        let f = std::fs::File::open(path)?;
        let len = usize::try_from(f.metadata()?.len()).unwrap_or(0);
        if len > 0 {
            // SAFETY: a new private read-only mapping of an open file; nothing else is passed.
            let at = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    f.as_raw_fd(),
                    0,
                )
            };
            if at != libc::MAP_FAILED {
                return Ok(FileBytes::Mapped { at, len });
            }
        }
    }
    std::fs::read(path).map(FileBytes::Read)
}

fn parse_elf(path: &Path) -> Result<ElfFacts, String> {
    let bytes = file_bytes(path).map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return Err("not an ELF file (no ELF header)".to_string());
    }
    let header = Elf::parse_header(&bytes)
        .map_err(|_| "truncated or malformed ELF file (incomplete ELF header)".to_string())?;
    if header.e_machine != EM_X86_64 {
        return Err(format!(
            "ELF file for another machine (e_machine {}); gilgate hosts x86_64 Linux modules",
            header.e_machine
        ));
    }
    if header.e_type != ET_DYN {
        return Err("not a shared object (ELF type is not ET_DYN)".to_string());
    }
    let elf = Elf::parse(&bytes).map_err(|e| {
        format!(
            "truncated or malformed ELF file ({})",
            short_goblin_error(&e)
        )
    })?;
    let len = bytes.len() as u64;
    if elf
        .program_headers
        .iter()
        .any(|ph| ph.p_offset.saturating_add(ph.p_filesz) > len)
    {
        return Err("truncated ELF file (the file ends before its segments do)".to_string());
    }
    let mut facts = ElfFacts::default();
    for sym in elf.dynsyms.iter() {
        let Some(name) = elf.dynstrtab.get_at(sym.st_name) else {
            continue;
        };
        if sym.is_import() {
            if name.starts_with("Py") || name.starts_with("_Py") {
                facts.python_imports.insert(name.to_string());
            }
        } else if sym.st_shndx != 0
            && (name.starts_with("PyInit") || name.starts_with("PyModExport"))
        {
            facts.hooks.insert(name.to_string());
        }
    }
    Ok(facts)
}

/// Whether the file's program headers are readable but a loadable segment runs past the end
/// of the file: the case where `dlopen` maps pages that do not exist and the process dies of
/// `SIGBUS` instead of getting an error. Other malformed files are refused by `dlopen` itself.
pub fn segments_past_end(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(header) = Elf::parse_header(&bytes) else {
        return false;
    };
    let (Ok(container), Ok(endian)) = (header.container(), header.endianness()) else {
        return false;
    };
    let ctx = goblin::container::Ctx::new(container, endian);
    let Ok(phdrs) = goblin::elf::ProgramHeader::parse(
        &bytes,
        header.e_phoff as usize,
        header.e_phnum as usize,
        ctx,
    ) else {
        return false;
    };
    let len = bytes.len() as u64;
    phdrs.iter().any(|ph| {
        ph.p_type == goblin::elf::program_header::PT_LOAD
            && ph.p_offset.saturating_add(ph.p_filesz) > len
    })
}

fn short_goblin_error(e: &goblin::error::Error) -> String {
    match e {
        goblin::error::Error::Malformed(_) => "malformed".into(),
        goblin::error::Error::BadMagic(_) => "bad magic".into(),
        goblin::error::Error::Scroll(_) => "data ends early".into(),
        goblin::error::Error::IO(_) => "read error".into(),
        goblin::error::Error::BufferTooShort(..) => "data ends early".into(),
        _ => "unreadable".into(),
    }
}

/// What an ELF object needs from the dynamic linker: its `DT_NEEDED` names and its library
/// search path (`DT_RUNPATH`, then `DT_RPATH` entries, split at `:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DynamicDeps {
    pub needed: Vec<String>,
    pub search: Vec<String>,
}

/// The dynamic dependencies of an ELF object in memory; `None` for anything that is not an ELF
/// file goblin can read.
pub(crate) fn dynamic_deps(bytes: &[u8]) -> Option<DynamicDeps> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return None;
    }
    let elf = Elf::parse(bytes).ok()?;
    let split = |v: &[&str]| -> Vec<String> {
        v.iter()
            .flat_map(|p| p.split(':'))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut search = split(&elf.runpaths);
    search.extend(split(&elf.rpaths));
    Some(DynamicDeps {
        needed: elf.libraries.iter().map(|s| s.to_string()).collect(),
        search,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libc_path() -> &'static str {
        [
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/libc.so.6",
        ]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("no libc.so.6 in the usual x86_64 places")
    }

    #[test]
    fn a_file_changed_between_two_questions_is_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("m.so");
        std::fs::copy(libc_path(), &f).unwrap();
        let first = read_elf(&f).unwrap();
        assert!(first.hooks.is_empty());
        // Overwrite it in place (same inode, same size, within the file system clock's
        // granularity) with bytes that are no ELF file: the next question sees them.
        let len = std::fs::metadata(&f).unwrap().len() as usize;
        std::fs::write(&f, vec![b'x'; len]).unwrap();
        assert_eq!(read_elf(&f).unwrap_err(), "not an ELF file (no ELF header)");
        std::fs::copy(libc_path(), &f).unwrap();
        assert_eq!(read_elf(&f).unwrap().hooks, first.hooks);
    }

    #[test]
    fn a_mapped_file_gives_the_bytes_a_read_gives() {
        let f = Path::new(libc_path());
        let mapped = read_or_map(f, true).unwrap();
        assert!(matches!(mapped, FileBytes::Mapped { .. }));
        let read = read_or_map(f, false).unwrap();
        assert!(matches!(read, FileBytes::Read(_)));
        assert_eq!(&*mapped, &std::fs::read(f).unwrap()[..]);
        assert_eq!(&*mapped, &*read);
        // An empty file is read (there is nothing to map).
        let tmp = tempfile::tempdir().unwrap();
        let empty = tmp.path().join("empty.so");
        std::fs::write(&empty, b"").unwrap();
        assert!(read_or_map(&empty, true).unwrap().is_empty());
    }

    #[test]
    fn a_settled_file_gets_the_same_answer_twice() {
        // The system's libc changed long ago: its first answer is kept for the second question.
        let f = Path::new(libc_path());
        assert!(Stamp::of(f).is_some());
        let first = read_elf(f).unwrap();
        let again = read_elf(f).unwrap();
        assert_eq!(again.python_imports, first.python_imports);
        assert_eq!(again.hooks, first.hooks);
        // A file changed just now has no stamp (it is read at every question).
        let tmp = tempfile::tempdir().unwrap();
        let g = tmp.path().join("m.so");
        std::fs::copy(f, &g).unwrap();
        assert!(Stamp::of(&g).is_none());
    }
}
