//! gilgate's own `stat` module (CPython's `Lib/stat.py` over `Modules/_stat.c`): the file
//! mode, file type and flag constants with their Linux values, the `S_IS*` tests, `S_IMODE`,
//! `S_IFMT` and `filemode`.

use crate::abc::Obj;
use crate::bytes_methods::def;
use crate::methodobject::PyMethodDef;
use crate::object::PyObject;
use crate::unicodeobject as uni;
use std::ptr::null_mut;
use std::sync::OnceLock;

/// The integer constants of `stat` on Linux (the Windows `FILE_ATTRIBUTE_*` and the BSD
/// `UF_*`/`SF_*` flags are defined on every platform, as in CPython).
pub(crate) const CONSTANTS: &[(&str, i64)] = &[
    ("FILE_ATTRIBUTE_ARCHIVE", 32),
    ("FILE_ATTRIBUTE_COMPRESSED", 2048),
    ("FILE_ATTRIBUTE_DEVICE", 64),
    ("FILE_ATTRIBUTE_DIRECTORY", 16),
    ("FILE_ATTRIBUTE_ENCRYPTED", 16384),
    ("FILE_ATTRIBUTE_HIDDEN", 2),
    ("FILE_ATTRIBUTE_INTEGRITY_STREAM", 32768),
    ("FILE_ATTRIBUTE_NORMAL", 128),
    ("FILE_ATTRIBUTE_NOT_CONTENT_INDEXED", 8192),
    ("FILE_ATTRIBUTE_NO_SCRUB_DATA", 131072),
    ("FILE_ATTRIBUTE_OFFLINE", 4096),
    ("FILE_ATTRIBUTE_READONLY", 1),
    ("FILE_ATTRIBUTE_REPARSE_POINT", 1024),
    ("FILE_ATTRIBUTE_SPARSE_FILE", 512),
    ("FILE_ATTRIBUTE_SYSTEM", 4),
    ("FILE_ATTRIBUTE_TEMPORARY", 256),
    ("FILE_ATTRIBUTE_VIRTUAL", 65536),
    ("SF_APPEND", 0x0004_0000),
    ("SF_ARCHIVED", 0x0001_0000),
    ("SF_DATALESS", 0x4000_0000),
    ("SF_FIRMLINK", 0x0080_0000),
    ("SF_IMMUTABLE", 0x0002_0000),
    ("SF_NOUNLINK", 0x0010_0000),
    ("SF_RESTRICTED", 0x0008_0000),
    ("SF_SETTABLE", 0xffff_0000),
    ("SF_SNAPSHOT", 0x0020_0000),
    ("ST_MODE", 0),
    ("ST_INO", 1),
    ("ST_DEV", 2),
    ("ST_NLINK", 3),
    ("ST_UID", 4),
    ("ST_GID", 5),
    ("ST_SIZE", 6),
    ("ST_ATIME", 7),
    ("ST_MTIME", 8),
    ("ST_CTIME", 9),
    ("S_ENFMT", 0o2000),
    ("S_IEXEC", 0o100),
    ("S_IFBLK", 0o060000),
    ("S_IFCHR", 0o020000),
    ("S_IFDIR", 0o040000),
    ("S_IFDOOR", 0),
    ("S_IFIFO", 0o010000),
    ("S_IFLNK", 0o120000),
    ("S_IFPORT", 0),
    ("S_IFREG", 0o100000),
    ("S_IFSOCK", 0o140000),
    ("S_IFWHT", 0),
    ("S_IREAD", 0o400),
    ("S_IRGRP", 0o040),
    ("S_IROTH", 0o004),
    ("S_IRUSR", 0o400),
    ("S_IRWXG", 0o070),
    ("S_IRWXO", 0o007),
    ("S_IRWXU", 0o700),
    ("S_ISGID", 0o2000),
    ("S_ISUID", 0o4000),
    ("S_ISVTX", 0o1000),
    ("S_IWGRP", 0o020),
    ("S_IWOTH", 0o002),
    ("S_IWRITE", 0o200),
    ("S_IWUSR", 0o200),
    ("S_IXGRP", 0o010),
    ("S_IXOTH", 0o001),
    ("S_IXUSR", 0o100),
    ("UF_APPEND", 4),
    ("UF_COMPRESSED", 0x20),
    ("UF_DATAVAULT", 0x80),
    ("UF_HIDDEN", 0x8000),
    ("UF_IMMUTABLE", 2),
    ("UF_NODUMP", 1),
    ("UF_NOUNLINK", 0x10),
    ("UF_OPAQUE", 8),
    ("UF_SETTABLE", 0xffff),
    ("UF_TRACKED", 0x40),
];

const S_IFMT: u32 = 0o170000;

/// A mode argument as `_stat.c` reads it: an int (or `__index__`) that fits a `mode_t`.
///
/// # Safety
/// `o` must be live.
unsafe fn mode_arg(o: *mut PyObject) -> Option<u32> {
    // SAFETY: a live object.
    let v = unsafe { crate::longobject::PyLong_AsLong(o) };
    if v == -1 && crate::pyerrors::occurred() {
        return None;
    }
    match u32::try_from(v) {
        Ok(m) => Some(m),
        Err(_) => {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                if v < 0 {
                    "can't convert negative value to unsigned int"
                } else {
                    "mode out of range"
                },
            );
            None
        }
    }
}

/// The file-type character of `filemode` (`?` for an unknown type).
pub(crate) fn type_char(mode: u32) -> char {
    match mode & S_IFMT {
        0o120000 => 'l',
        0o140000 => 's',
        0o100000 => '-',
        0o060000 => 'b',
        0o040000 => 'd',
        0o020000 => 'c',
        0o010000 => 'p',
        _ => '?',
    }
}

/// `stat.filemode(mode)`'s text: the type, then `rwx` for user, group and others with the
/// set-id and sticky bits folded into the execute columns.
pub(crate) fn filemode(mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(type_char(mode));
    let bit = |b: u32, c: char| if mode & b != 0 { c } else { '-' };
    let exec =
        |x: u32, special: u32, on: char, off: char| match (mode & x != 0, mode & special != 0) {
            (true, true) => on,
            (false, true) => off,
            (true, false) => 'x',
            (false, false) => '-',
        };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(exec(0o100, 0o4000, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(exec(0o010, 0o2000, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(exec(0o001, 0o1000, 't', 'T'));
    s
}

macro_rules! type_test {
    ($f:ident, $ifmt:expr) => {
        unsafe fn $f(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
            // SAFETY: a live argument (METH_O).
            match unsafe { mode_arg(a) } {
                Some(m) => crate::abc::py_bool($ifmt != 0 && m & S_IFMT == $ifmt),
                None => null_mut(),
            }
        }
    };
}

type_test!(s_isdir, 0o040000);
type_test!(s_ischr, 0o020000);
type_test!(s_isblk, 0o060000);
type_test!(s_isreg, 0o100000);
type_test!(s_isfifo, 0o010000);
type_test!(s_islnk, 0o120000);
type_test!(s_issock, 0o140000);
type_test!(s_isdoor, 0);
type_test!(s_isport, 0);
type_test!(s_iswht, 0);

unsafe fn s_imode(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (METH_O).
    match unsafe { mode_arg(a) } {
        Some(m) => crate::longobject::from_i64(i64::from(m & 0o7777)),
        None => null_mut(),
    }
}

unsafe fn s_ifmt(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (METH_O).
    match unsafe { mode_arg(a) } {
        Some(m) => crate::longobject::from_i64(i64::from(m & S_IFMT)),
        None => null_mut(),
    }
}

unsafe fn f_filemode(_m: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (METH_O).
    match unsafe { mode_arg(a) } {
        Some(m) => uni::from_str(&filemode(m)),
        None => null_mut(),
    }
}

/// `_stat`'s functions (built-in functions whose `__module__` is `_stat`, as in CPython).
static mut FUNCTIONS: [PyMethodDef; 14] = [
    def!(c"S_ISDIR", o, s_isdir),
    def!(c"S_ISCHR", o, s_ischr),
    def!(c"S_ISBLK", o, s_isblk),
    def!(c"S_ISREG", o, s_isreg),
    def!(c"S_ISFIFO", o, s_isfifo),
    def!(c"S_ISLNK", o, s_islnk),
    def!(c"S_ISSOCK", o, s_issock),
    def!(c"S_ISDOOR", o, s_isdoor),
    def!(c"S_ISPORT", o, s_isport),
    def!(c"S_ISWHT", o, s_iswht),
    def!(c"S_IMODE", o, s_imode),
    def!(c"S_IFMT", o, s_ifmt),
    def!(c"filemode", o, f_filemode),
    PyMethodDef {
        ml_name: std::ptr::null(),
        ml_meth: null_mut(),
        ml_flags: 0,
        ml_doc: std::ptr::null(),
    },
];

/// Puts `(name, value)` ints into a module dict.
///
/// # Safety
/// `d` must be a live dict.
pub(crate) unsafe fn add_ints(d: *mut PyObject, table: &[(&str, i64)]) -> Result<(), ()> {
    for &(n, v) in table {
        let o = Obj::new(crate::longobject::from_i64(v));
        // SAFETY: a live dict (caller) and a new int.
        if o.is_null() || unsafe { crate::dictobject::set_item_str(d, n, o.ptr()) } < 0 {
            return Err(());
        }
    }
    Ok(())
}

static MADE: OnceLock<usize> = OnceLock::new();

/// The `stat` module (borrowed, process-lifetime; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "stat", || build().unwrap_or(0) as *mut PyObject)
}

fn build() -> Option<usize> {
    // SAFETY: a new module whose dict is filled with live objects.
    unsafe {
        let m = crate::moduleobject::new_module(uni::intern("stat"));
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        add_ints(d, CONSTANTS).ok()?;
        let table = &raw mut FUNCTIONS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let f = Obj::new(crate::methodobject::new_cfunction(
                ml,
                null_mut(),
                uni::intern("_stat"),
                null_mut(),
            ));
            if f.is_null() {
                return None;
            }
            let k = std::ffi::CStr::from_ptr((*ml).ml_name).to_string_lossy();
            crate::dictobject::set_item_str(d, &k, f.ptr());
        }
        Some(m as usize)
    }
}
