//! What an extension file says about itself before it is loaded: ELF sanity, the C-API
//! symbols it imports (which build it was made for) and the hooks it exports.

use goblin::elf::Elf;
use std::collections::BTreeSet;
use std::path::Path;

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

/// Reads the file's dynamic symbols. The error is a one-line reason for refusing the file
/// before `dlopen` (not an ELF file, truncated, wrong machine).
pub fn read_elf(path: &Path) -> Result<ElfFacts, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
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
