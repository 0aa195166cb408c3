//! gilgate's own `os` module (CPython's `Lib/os.py` over `Modules/posixmodule.c`, the `posix`
//! module): the file-system, process, environment and file-descriptor functions, called
//! through the `libc` crate, with CPython's argument conventions and its `OSError` subclasses
//! (errno, strerror, filename); `environ`/`environb` (mappings over one snapshot of the
//! process environment, kept in step with it through `putenv`/`unsetenv`), `PathLike`,
//! `DirEntry`/`scandir`, `walk`/`fwalk` and the struct sequences (`stat_result`, ...).

use crate::abc::{FuncDef, Kind, Obj, call_method, py_bool};
use crate::object::{PyObject, PyTypeObject, ty};
use crate::pyerrors::{EXC_OSError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, new_ref};
use crate::unicodeobject as uni;
use std::ffi::{CStr, CString, c_int};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// A result whose error is an exception already set.
pub(crate) type R<T> = Result<T, ()>;

pub(crate) fn none() -> *mut PyObject {
    crate::object::new_none()
}

fn int(v: i64) -> *mut PyObject {
    crate::longobject::from_i64(v)
}

fn type_name(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe { crate::object::type_name(ty(o)) }
}

pub(crate) fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Raises the `OSError` subclass of `e` with the file names (NULL: none), as CPython's
/// `path_error` does.
pub(crate) fn raise_errno(e: c_int, f1: *mut PyObject, f2: *mut PyObject) -> *mut PyObject {
    // SAFETY: errno is thread-local; the filenames are NULL or live.
    unsafe {
        *libc::__errno_location() = e;
        crate::pyerrors::PyErr_SetFromErrnoWithFilenameObjects(
            (&raw mut EXC_OSError).cast(),
            f1,
            f2,
        )
    }
}

pub(crate) fn is_none(o: *mut PyObject) -> bool {
    o.is_null() || o == crate::object::none()
}

/// An integer argument (`__index__`), as a C `long long`.
///
/// # Safety
/// `o` must be live.
pub(crate) unsafe fn int_arg(o: *mut PyObject) -> R<i64> {
    // SAFETY: a live object.
    unsafe {
        if crate::floatobject::is_float(o) {
            raise(
                &raw mut EXC_TypeError,
                "'float' object cannot be interpreted as an integer",
            );
            return Err(());
        }
        let v = crate::longobject::PyLong_AsLongLong(o);
        if v == -1 && crate::pyerrors::occurred() {
            return Err(());
        }
        Ok(v)
    }
}

/// An `int` argument that fits a C int (CPython's `int` converter).
unsafe fn cint_arg(o: *mut PyObject) -> R<c_int> {
    // SAFETY: forwarded.
    let v = unsafe { int_arg(o) }?;
    c_int::try_from(v).map_err(|_| {
        let m = if v > 0 {
            "signed integer is greater than maximum"
        } else {
            "signed integer is less than minimum"
        };
        raise(&raw mut crate::pyerrors::EXC_OverflowError, m);
    })
}

/// An optional argument with a default.
unsafe fn opt_int(o: *mut PyObject, default: i64) -> R<i64> {
    if o.is_null() {
        Ok(default)
    } else {
        // SAFETY: forwarded.
        unsafe { int_arg(o) }
    }
}

pub(crate) unsafe fn opt_bool(o: *mut PyObject, default: bool) -> R<bool> {
    if o.is_null() {
        return Ok(default);
    }
    // SAFETY: a live object.
    unsafe { crate::abc::truth(o) }
}

/// A path argument after CPython's `path_converter`: the original object (for error
/// messages), its bytes (file-system encoded) and whether results should be bytes.
pub(crate) struct PathArg {
    pub obj: *mut PyObject,
    pub c: CString,
    pub bytes: bool,
    /// The `os.fspath()` result `obj` points to (error messages name it, as CPython's do).
    pub _keep: Option<Obj>,
}

/// A path or a file descriptor.
pub(crate) enum Target {
    Path(PathArg),
    Fd(c_int),
}

impl Target {
    fn obj(&self) -> *mut PyObject {
        match self {
            Target::Path(p) => p.obj,
            Target::Fd(_) => null_mut(),
        }
    }
}

/// CPython's `path_converter`: str, bytes or `os.PathLike` (and an int when `allow_fd`);
/// None when `nullable` (then `Ok(None)`).
///
/// # Safety
/// `o` must be live.
pub(crate) unsafe fn path_conv(
    func: &str,
    arg: &str,
    o: *mut PyObject,
    allow_fd: bool,
    nullable: bool,
) -> R<Option<Target>> {
    // SAFETY: a live object.
    unsafe {
        if nullable && is_none(o) {
            return Ok(None);
        }
        if allow_fd && crate::longobject::is_int(o) && !crate::boolobject::is_bool(o) {
            return cint_arg(o).map(|fd| Some(Target::Fd(fd)));
        }
        let bad = |t: String| {
            let what = match (allow_fd, nullable) {
                (true, true) => "string, bytes, os.PathLike, integer or None",
                (true, false) => "string, bytes, os.PathLike or integer",
                (false, true) => "string, bytes, os.PathLike or None",
                (false, false) => "string, bytes or os.PathLike",
            };
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}: {arg} should be {what}, not {t}"),
            );
        };
        let p = if uni::is_str(o) || crate::bytesobject::is_bytes(o) {
            Obj::new(new_ref(o))
        } else {
            let t = ty(o);
            let m = crate::object::type_lookup_ref(t, uni::intern("__fspath__"));
            if m.is_null() {
                bad(type_name(o));
                return Err(());
            }
            decref(m);
            let p = Obj::new(uni::PyOS_FSPath(o));
            if p.is_null() {
                return Err(());
            }
            p
        };
        let (bytes, is_bytes) = if crate::bytesobject::is_bytes(p.ptr()) {
            (crate::bytesobject::as_bytes(p.ptr()).to_vec(), true)
        } else {
            (uni::encode_fs(p.ptr())?, false)
        };
        match CString::new(bytes) {
            Ok(c) => Ok(Some(Target::Path(PathArg {
                obj: p.ptr(),
                c,
                bytes: is_bytes,
                _keep: Some(p),
            }))),
            Err(_) => {
                raise(
                    &raw mut EXC_ValueError,
                    &format!("{func}: embedded null character in {arg}"),
                );
                Err(())
            }
        }
    }
}

/// A path argument that must be a path (no fd, no None).
pub(crate) unsafe fn path_only(func: &str, arg: &str, o: *mut PyObject) -> R<PathArg> {
    // SAFETY: forwarded.
    match unsafe { path_conv(func, arg, o, false, false) }? {
        Some(Target::Path(p)) => Ok(p),
        _ => Err(()),
    }
}

/// A path or fd argument.
pub(crate) unsafe fn path_or_fd(func: &str, arg: &str, o: *mut PyObject) -> R<Target> {
    // SAFETY: forwarded.
    match unsafe { path_conv(func, arg, o, true, false) }? {
        Some(t) => Ok(t),
        None => Err(()),
    }
}

/// A file-system name as str (decoded, surrogateescape) or bytes.
pub(crate) fn fs_out(b: &[u8], bytes: bool) -> *mut PyObject {
    if bytes {
        crate::bytesobject::from_bytes(b)
    } else {
        uni::decode_fs(b)
    }
}

/// `dir_fd` as CPython reads it (None: `AT_FDCWD`).
unsafe fn dir_fd(o: *mut PyObject) -> R<c_int> {
    if is_none(o) {
        return Ok(libc::AT_FDCWD);
    }
    // SAFETY: a live object.
    unsafe {
        if !crate::longobject::is_int(o) {
            raise(
                &raw mut EXC_TypeError,
                &format!("argument should be integer or None, not {}", type_name(o)),
            );
            return Err(());
        }
        cint_arg(o)
    }
}

pub(crate) fn done(r: R<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

// ---- struct sequences ------------------------------------------------------------------------

struct Ptr(usize);

/// Makes a struct-sequence type (`name` is its dotted name) with these fields, the first
/// `visible` in the tuple.
fn make_seq(name: &'static CStr, fields: &'static [&'static CStr], visible: c_int) -> usize {
    let mut v: Vec<crate::structseq::PyStructSequence_Field> = fields
        .iter()
        .map(|f| crate::structseq::PyStructSequence_Field {
            name: f.as_ptr(),
            doc: std::ptr::null(),
        })
        .collect();
    v.push(crate::structseq::PyStructSequence_Field {
        name: std::ptr::null(),
        doc: std::ptr::null(),
    });
    let fields = Box::leak(v.into_boxed_slice());
    let mut desc = crate::structseq::PyStructSequence_Desc {
        name: name.as_ptr(),
        doc: std::ptr::null(),
        fields: fields.as_mut_ptr(),
        n_in_sequence: visible,
    };
    // SAFETY: a valid descriptor with a terminated field list that lives for the process.
    unsafe { crate::structseq::PyStructSequence_NewType(&mut desc) as usize }
}

macro_rules! seq_type {
    ($f:ident, $name:expr, $visible:expr, [$($field:expr),* $(,)?]) => {
        pub(crate) fn $f() -> *mut PyTypeObject {
            static T: OnceLock<Ptr> = OnceLock::new();
            T.get_or_init(|| Ptr(make_seq($name, &[$($field),*], $visible))).0 as *mut PyTypeObject
        }
    };
}

seq_type!(
    stat_result_type,
    c"os.stat_result",
    10,
    [
        c"st_mode",
        c"st_ino",
        c"st_dev",
        c"st_nlink",
        c"st_uid",
        c"st_gid",
        c"st_size",
        c"st_atime",
        c"st_mtime",
        c"st_ctime",
        c"st_atime",
        c"st_mtime",
        c"st_ctime",
        c"st_atime_ns",
        c"st_mtime_ns",
        c"st_ctime_ns",
        c"st_blksize",
        c"st_blocks",
        c"st_rdev",
    ]
);
seq_type!(
    statvfs_result_type,
    c"os.statvfs_result",
    10,
    [
        c"f_bsize",
        c"f_frsize",
        c"f_blocks",
        c"f_bfree",
        c"f_bavail",
        c"f_files",
        c"f_ffree",
        c"f_favail",
        c"f_flag",
        c"f_namemax",
        c"f_fsid",
    ]
);
seq_type!(
    terminal_size_type,
    c"os.terminal_size",
    2,
    [c"columns", c"lines"]
);
seq_type!(
    times_result_type,
    c"posix.times_result",
    5,
    [
        c"user",
        c"system",
        c"children_user",
        c"children_system",
        c"elapsed",
    ]
);
seq_type!(
    uname_result_type,
    c"posix.uname_result",
    5,
    [c"sysname", c"nodename", c"release", c"version", c"machine",]
);
seq_type!(
    waitid_result_type,
    c"posix.waitid_result",
    5,
    [c"si_pid", c"si_uid", c"si_signo", c"si_status", c"si_code",]
);
seq_type!(
    sched_param_type,
    c"posix.sched_param",
    1,
    [c"sched_priority"]
);

/// A new struct sequence of `t` holding `items` (new references, stolen).
fn new_seq(t: *mut PyTypeObject, items: Vec<*mut PyObject>) -> *mut PyObject {
    if t.is_null() || items.iter().any(|p| p.is_null()) {
        for p in items {
            // SAFETY: our references.
            unsafe { crate::refcount::xdecref(p) };
        }
        return null_mut();
    }
    let op = crate::structseq::new_instance(t);
    for (i, it) in items.into_iter().enumerate() {
        if op.is_null() {
            // SAFETY: our reference.
            unsafe { decref(it) };
            continue;
        }
        // SAFETY: a fresh struct sequence being filled; the reference is stolen.
        unsafe { crate::structseq::PyStructSequence_SetItem(op, i as isize, it) };
    }
    op
}

/// `stat_result(seq)`: the float times default to the integer ones, as CPython's does.
unsafe extern "C" fn stat_result_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract; the base new is the struct sequence's.
    unsafe {
        let Some(base) = *STAT_NEW.get().unwrap_or(&None) else {
            return crate::pyerrors::bad_internal_call();
        };
        let op = base(t, args, kw);
        if op.is_null() {
            return op;
        }
        let slots = op.cast::<u8>().add(48).cast::<*mut PyObject>();
        for k in 0..3 {
            let f = slots.add(10 + k);
            if *f == crate::object::none() {
                let v = *slots.add(7 + k);
                decref(*f);
                *f = new_ref(v);
            }
        }
        op
    }
}

static STAT_NEW: OnceLock<crate::object::newfunc> = OnceLock::new();

fn timespec_parts(sec: i64, nsec: i64) -> [*mut PyObject; 3] {
    [
        int(sec),
        crate::floatobject::from_f64(sec as f64 + nsec as f64 * 1e-9),
        crate::longobject::from_i128(i128::from(sec) * 1_000_000_000 + i128::from(nsec)),
    ]
}

/// An `os.stat_result` of a C `stat`.
pub(crate) fn stat_result(st: &libc::stat) -> *mut PyObject {
    let [ai, af, an] = timespec_parts(st.st_atime, st.st_atime_nsec);
    let [mi, mf, mn] = timespec_parts(st.st_mtime, st.st_mtime_nsec);
    let [ci, cf, cn] = timespec_parts(st.st_ctime, st.st_ctime_nsec);
    new_seq(
        stat_result_type(),
        vec![
            int(i64::from(st.st_mode)),
            crate::longobject::from_i128(i128::from(st.st_ino)),
            crate::longobject::from_i128(i128::from(st.st_dev)),
            crate::longobject::from_i128(i128::from(st.st_nlink)),
            int(i64::from(st.st_uid)),
            int(i64::from(st.st_gid)),
            int(st.st_size),
            ai,
            mi,
            ci,
            af,
            mf,
            cf,
            an,
            mn,
            cn,
            int(st.st_blksize),
            int(st.st_blocks),
            crate::longobject::from_i128(i128::from(st.st_rdev)),
        ],
    )
}

// ---- stat ------------------------------------------------------------------------------------

/// `stat`/`lstat`/`fstat` of a target (errno on failure).
pub(crate) fn do_stat(t: &Target, dfd: c_int, follow: bool) -> Result<libc::stat, c_int> {
    // SAFETY: a zeroed stat is a valid output buffer; paths are NUL-terminated.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let r = match t {
            Target::Fd(fd) => libc::fstat(*fd, &mut st),
            Target::Path(p) => libc::fstatat(
                dfd,
                p.c.as_ptr(),
                &mut st,
                if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
            ),
        };
        if r == 0 { Ok(st) } else { Err(errno()) }
    }
}

/// `stat` of a path (bytes) for `os.path` (errno on failure).
pub(crate) fn stat_bytes(p: &CStr, follow: bool) -> Result<libc::stat, c_int> {
    // SAFETY: a zeroed stat is a valid output buffer; the path is NUL-terminated.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let r = if follow {
            libc::stat(p.as_ptr(), &mut st)
        } else {
            libc::lstat(p.as_ptr(), &mut st)
        };
        if r == 0 { Ok(st) } else { Err(errno()) }
    }
}

unsafe fn f_stat(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(t) = path_or_fd("stat", "path", a[0]) else {
            return null_mut();
        };
        let Ok(dfd) = dir_fd(a[1]) else {
            return null_mut();
        };
        let Ok(follow) = opt_bool(a[2], true) else {
            return null_mut();
        };
        match do_stat(&t, dfd, follow) {
            Ok(st) => stat_result(&st),
            Err(e) => raise_errno(e, t.obj(), null_mut()),
        }
    }
}

unsafe fn f_lstat(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(p) = path_only("lstat", "path", a[0]) else {
            return null_mut();
        };
        let Ok(dfd) = dir_fd(a[1]) else {
            return null_mut();
        };
        let t = Target::Path(p);
        match do_stat(&t, dfd, false) {
            Ok(st) => stat_result(&st),
            Err(e) => raise_errno(e, t.obj(), null_mut()),
        }
    }
}

unsafe fn f_fstat(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(fd) = cint_arg(a[0]) else {
            return null_mut();
        };
        match do_stat(&Target::Fd(fd), 0, true) {
            Ok(st) => stat_result(&st),
            Err(e) => raise_errno(e, null_mut(), null_mut()),
        }
    }
}

fn statvfs_result(s: &libc::statvfs) -> *mut PyObject {
    let u = |v: u64| crate::longobject::from_i128(i128::from(v));
    new_seq(
        statvfs_result_type(),
        vec![
            u(s.f_bsize),
            u(s.f_frsize),
            u(s.f_blocks),
            u(s.f_bfree),
            u(s.f_bavail),
            u(s.f_files),
            u(s.f_ffree),
            u(s.f_favail),
            u(s.f_flag),
            u(s.f_namemax),
            u(s.f_fsid),
        ],
    )
}

unsafe fn f_statvfs(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(t) = path_or_fd("statvfs", "path", a[0]) else {
            return null_mut();
        };
        let mut s: libc::statvfs = std::mem::zeroed();
        let r = match &t {
            Target::Fd(fd) => libc::fstatvfs(*fd, &mut s),
            Target::Path(p) => libc::statvfs(p.c.as_ptr(), &mut s),
        };
        if r != 0 {
            return raise_errno(errno(), t.obj(), null_mut());
        }
        statvfs_result(&s)
    }
}

unsafe fn f_fstatvfs(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(fd) = cint_arg(a[0]) else {
            return null_mut();
        };
        let mut s: libc::statvfs = std::mem::zeroed();
        if libc::fstatvfs(fd, &mut s) != 0 {
            return raise_errno(errno(), null_mut(), null_mut());
        }
        statvfs_result(&s)
    }
}

// ---- helpers for the bodies ------------------------------------------------------------------

/// A function body: live arguments (NULL for an optional one not given); the closure's `?`
/// returns with the exception set.
macro_rules! os_fn {
    ($name:ident, |$a:ident| $body:block) => {
        #[allow(unused_unsafe, clippy::redundant_closure_call)]
        unsafe fn $name($a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments (Func contract); the libc calls get valid,
            // NUL-terminated paths and buffers of the sizes passed.
            unsafe { done((|| -> R<*mut PyObject> { $body })()) }
        }
    };
}

/// Raises the current errno's `OSError` with these file names.
fn oserr(f1: *mut PyObject, f2: *mut PyObject) -> R<*mut PyObject> {
    raise_errno(errno(), f1, f2);
    Err(())
}

/// Checks a C call's `-1`.
fn check(r: c_int, f1: *mut PyObject, f2: *mut PyObject) -> R<*mut PyObject> {
    if r < 0 { oserr(f1, f2) } else { Ok(none()) }
}

/// A C call's non-negative int result as an int, or the errno's `OSError` when it is negative.
fn int_or_oserr(r: c_int) -> R<*mut PyObject> {
    if r < 0 {
        oserr(null_mut(), null_mut())
    } else {
        Ok(int(i64::from(r)))
    }
}

pub(crate) fn nn(p: *mut PyObject) -> R<*mut PyObject> {
    if p.is_null() { Err(()) } else { Ok(p) }
}

/// A tuple owning these new references.
pub(crate) fn tuple_own(items: Vec<*mut PyObject>) -> R<*mut PyObject> {
    let ok = items.iter().all(|p| !p.is_null());
    // SAFETY: live items (when all were made); each of our references is released.
    unsafe {
        let t = if ok {
            crate::tupleobject::from_slice(&items)
        } else {
            null_mut()
        };
        for p in items {
            crate::refcount::xdecref(p);
        }
        nn(t)
    }
}

/// A list owning these new references.
pub(crate) fn list_own(items: Vec<*mut PyObject>) -> R<*mut PyObject> {
    let ok = items.iter().all(|p| !p.is_null());
    // SAFETY: as tuple_own.
    unsafe {
        let t = if ok {
            crate::listobject::from_slice(&items)
        } else {
            null_mut()
        };
        for p in items {
            crate::refcount::xdecref(p);
        }
        nn(t)
    }
}

/// A readable buffer's bytes (copied).
unsafe fn buffer_bytes(o: *mut PyObject) -> R<Vec<u8>> {
    // SAFETY: a live object; the view is released after the copy.
    unsafe {
        let mut view: crate::object::Py_buffer = std::mem::zeroed();
        if crate::pybuffer::PyObject_GetBuffer(o, &mut view, 0) < 0 {
            return Err(());
        }
        let v = if view.len > 0 {
            std::slice::from_raw_parts(view.buf.cast::<u8>(), view.len as usize).to_vec()
        } else {
            Vec::new()
        };
        crate::pybuffer::PyBuffer_Release(&mut view);
        Ok(v)
    }
}

/// Runs `f` on a writable buffer of `o`.
unsafe fn with_wbuffer<T>(o: *mut PyObject, f: impl FnOnce(&mut [u8]) -> T) -> R<T> {
    // SAFETY: a live object; the view is released after `f`.
    unsafe {
        let mut view: crate::object::Py_buffer = std::mem::zeroed();
        if crate::pybuffer::PyObject_GetBuffer(o, &mut view, 1) < 0 {
            return Err(());
        }
        let s: &mut [u8] = if view.len > 0 {
            std::slice::from_raw_parts_mut(view.buf.cast::<u8>(), view.len as usize)
        } else {
            &mut []
        };
        let r = f(s);
        crate::pybuffer::PyBuffer_Release(&mut view);
        Ok(r)
    }
}

fn mode_of(o: *mut PyObject, default: i64) -> R<libc::mode_t> {
    // SAFETY: a live object or NULL.
    let v = unsafe { opt_int(o, default) }?;
    Ok(v as libc::mode_t)
}

// ---- files and directories -------------------------------------------------------------------

os_fn!(f_mkdir, |a| {
    let p = path_only("mkdir", "path", a[0])?;
    let mode = mode_of(a[1], 0o777)?;
    let dfd = dir_fd(a[2])?;
    check(libc::mkdirat(dfd, p.c.as_ptr(), mode), p.obj, null_mut())
});

os_fn!(f_rmdir, |a| {
    let p = path_only("rmdir", "path", a[0])?;
    let dfd = dir_fd(a[1])?;
    check(
        libc::unlinkat(dfd, p.c.as_ptr(), libc::AT_REMOVEDIR),
        p.obj,
        null_mut(),
    )
});

os_fn!(f_unlink, |a| {
    let p = path_only("unlink", "path", a[0])?;
    let dfd = dir_fd(a[1])?;
    check(libc::unlinkat(dfd, p.c.as_ptr(), 0), p.obj, null_mut())
});

os_fn!(f_remove, |a| {
    let p = path_only("remove", "path", a[0])?;
    let dfd = dir_fd(a[1])?;
    check(libc::unlinkat(dfd, p.c.as_ptr(), 0), p.obj, null_mut())
});

unsafe fn rename_common(func: &str, a: &[*mut PyObject]) -> R<*mut PyObject> {
    // SAFETY: live arguments; NUL-terminated paths.
    unsafe {
        let s = path_only(func, "src", a[0])?;
        let d = path_only(func, "dst", a[1])?;
        let sfd = dir_fd(a[2])?;
        let dfd = dir_fd(a[3])?;
        check(
            libc::renameat(sfd, s.c.as_ptr(), dfd, d.c.as_ptr()),
            s.obj,
            d.obj,
        )
    }
}

os_fn!(f_rename, |a| { rename_common("rename", a) });
os_fn!(f_replace, |a| { rename_common("replace", a) });

os_fn!(f_link, |a| {
    let s = path_only("link", "src", a[0])?;
    let d = path_only("link", "dst", a[1])?;
    let sfd = dir_fd(a[2])?;
    let dfd = dir_fd(a[3])?;
    let follow = opt_bool(a[4], true)?;
    let flags = if follow { libc::AT_SYMLINK_FOLLOW } else { 0 };
    check(
        libc::linkat(sfd, s.c.as_ptr(), dfd, d.c.as_ptr(), flags),
        s.obj,
        d.obj,
    )
});

os_fn!(f_symlink, |a| {
    let s = path_only("symlink", "src", a[0])?;
    let d = path_only("symlink", "dst", a[1])?;
    let dfd = dir_fd(a[3])?;
    check(
        libc::symlinkat(s.c.as_ptr(), dfd, d.c.as_ptr()),
        s.obj,
        d.obj,
    )
});

/// `readlink` of a path (errno on failure).
pub(crate) fn readlink_bytes(dfd: c_int, p: &CStr) -> Result<Vec<u8>, c_int> {
    let mut buf = vec![0u8; 4096];
    loop {
        // SAFETY: a NUL-terminated path and a buffer of `buf.len()` bytes.
        let n = unsafe { libc::readlinkat(dfd, p.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(errno());
        }
        if (n as usize) < buf.len() {
            buf.truncate(n as usize);
            return Ok(buf);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

os_fn!(f_readlink, |a| {
    let p = path_only("readlink", "path", a[0])?;
    let dfd = dir_fd(a[1])?;
    match readlink_bytes(dfd, &p.c) {
        Ok(b) => nn(fs_out(&b, p.bytes)),
        Err(e) => {
            raise_errno(e, p.obj, null_mut());
            Err(())
        }
    }
});

os_fn!(f_chdir, |a| {
    let t = path_or_fd("chdir", "path", a[0])?;
    let r = match &t {
        Target::Fd(fd) => libc::fchdir(*fd),
        Target::Path(p) => libc::chdir(p.c.as_ptr()),
    };
    check(r, t.obj(), null_mut())
});

os_fn!(f_fchdir, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::fchdir(fd), null_mut(), null_mut())
});

os_fn!(f_chroot, |a| {
    let p = path_only("chroot", "path", a[0])?;
    check(libc::chroot(p.c.as_ptr()), p.obj, null_mut())
});

os_fn!(f_chmod, |a| {
    let t = path_or_fd("chmod", "path", a[0])?;
    let mode = int_arg(a[1])? as libc::mode_t;
    let dfd = dir_fd(a[2])?;
    let follow = opt_bool(a[3], true)?;
    let r = match &t {
        Target::Fd(fd) => libc::fchmod(*fd, mode),
        Target::Path(p) => libc::fchmodat(
            dfd,
            p.c.as_ptr(),
            mode,
            if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
        ),
    };
    check(r, t.obj(), null_mut())
});

os_fn!(f_fchmod, |a| {
    let fd = cint_arg(a[0])?;
    let mode = int_arg(a[1])? as libc::mode_t;
    check(libc::fchmod(fd, mode), null_mut(), null_mut())
});

/// A uid or gid argument (CPython's `_Py_Uid_Converter`: -1 means "unchanged").
fn id_conv(o: *mut PyObject, what: &str) -> R<u32> {
    // SAFETY: a live object.
    unsafe {
        let idx = if crate::floatobject::is_float(o) {
            null_mut()
        } else {
            crate::longobject::index(o)
        };
        if idx.is_null() {
            crate::pyerrors::clear();
            raise(
                &raw mut EXC_TypeError,
                &format!("{what} should be integer, not {}", type_name(o)),
            );
            return Err(());
        }
        let idx = Obj::new(idx);
        let v = crate::longobject::PyLong_AsLongLong(idx.ptr());
        if v == -1 && crate::pyerrors::occurred() {
            crate::pyerrors::clear();
            raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                &format!("{what} is greater than maximum"),
            );
            return Err(());
        }
        if v == -1 {
            return Ok(u32::MAX);
        }
        if v < -1 {
            raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                &format!("{what} is less than minimum"),
            );
            return Err(());
        }
        u32::try_from(v)
            .ok()
            .filter(|&x| x != u32::MAX)
            .ok_or_else(|| {
                raise(
                    &raw mut crate::pyerrors::EXC_OverflowError,
                    &format!("{what} is greater than maximum"),
                );
            })
    }
}

fn uid_arg(o: *mut PyObject) -> R<u32> {
    id_conv(o, "uid")
}

fn gid_arg(o: *mut PyObject) -> R<u32> {
    id_conv(o, "gid")
}

os_fn!(f_chown, |a| {
    let t = path_or_fd("chown", "path", a[0])?;
    let uid = uid_arg(a[1])?;
    let gid = gid_arg(a[2])?;
    let dfd = dir_fd(a[3])?;
    let follow = opt_bool(a[4], true)?;
    let r = match &t {
        Target::Fd(fd) => libc::fchown(*fd, uid, gid),
        Target::Path(p) => libc::fchownat(
            dfd,
            p.c.as_ptr(),
            uid,
            gid,
            if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
        ),
    };
    check(r, t.obj(), null_mut())
});

os_fn!(f_lchown, |a| {
    let p = path_only("lchown", "path", a[0])?;
    let uid = uid_arg(a[1])?;
    let gid = gid_arg(a[2])?;
    check(libc::lchown(p.c.as_ptr(), uid, gid), p.obj, null_mut())
});

os_fn!(f_fchown, |a| {
    let fd = cint_arg(a[0])?;
    let uid = uid_arg(a[1])?;
    let gid = gid_arg(a[2])?;
    check(libc::fchown(fd, uid, gid), null_mut(), null_mut())
});

os_fn!(f_access, |a| {
    let p = path_only("access", "path", a[0])?;
    let mode = cint_arg(a[1])?;
    let dfd = dir_fd(a[2])?;
    let eff = opt_bool(a[3], false)?;
    let follow = opt_bool(a[4], true)?;
    let mut flags = 0;
    if eff {
        flags |= libc::AT_EACCESS;
    }
    if !follow {
        flags |= libc::AT_SYMLINK_NOFOLLOW;
    }
    Ok(py_bool(
        libc::faccessat(dfd, p.c.as_ptr(), mode, flags) == 0,
    ))
});

os_fn!(f_mkfifo, |a| {
    let p = path_only("mkfifo", "path", a[0])?;
    let mode = mode_of(a[1], 0o666)?;
    let dfd = dir_fd(a[2])?;
    check(
        libc::mkfifoat(dfd, p.c.as_ptr(), mode),
        null_mut(),
        null_mut(),
    )
});

os_fn!(f_mknod, |a| {
    let p = path_only("mknod", "path", a[0])?;
    let mode = mode_of(a[1], 0o600)?;
    let dev = opt_int(a[2], 0)? as libc::dev_t;
    let dfd = dir_fd(a[3])?;
    check(
        libc::mknodat(dfd, p.c.as_ptr(), mode, dev),
        p.obj,
        null_mut(),
    )
});

os_fn!(f_truncate, |a| {
    let t = path_or_fd("truncate", "path", a[0])?;
    let len = int_arg(a[1])?;
    let r = match &t {
        Target::Fd(fd) => libc::ftruncate(*fd, len),
        Target::Path(p) => libc::truncate(p.c.as_ptr(), len),
    };
    check(r, t.obj(), null_mut())
});

os_fn!(f_ftruncate, |a| {
    let fd = cint_arg(a[0])?;
    let len = int_arg(a[1])?;
    check(libc::ftruncate(fd, len), null_mut(), null_mut())
});

/// A time in seconds (int or float) as a timespec.
unsafe fn seconds_ts(o: *mut PyObject) -> R<libc::timespec> {
    // SAFETY: a live object.
    unsafe {
        if crate::floatobject::is_float(o) {
            let f = crate::floatobject::as_f64(o).unwrap_or(0.0);
            let s = f.floor();
            let ns = ((f - s) * 1e9).round() as i64;
            let (s, ns) = if ns >= 1_000_000_000 {
                (s as i64 + 1, ns - 1_000_000_000)
            } else {
                (s as i64, ns)
            };
            return Ok(libc::timespec {
                tv_sec: s,
                tv_nsec: ns,
            });
        }
        let v = int_arg(o)?;
        Ok(libc::timespec {
            tv_sec: v,
            tv_nsec: 0,
        })
    }
}

/// A two-item tuple argument.
unsafe fn pair(o: *mut PyObject, msg: &str) -> R<(*mut PyObject, *mut PyObject)> {
    // SAFETY: a live object.
    unsafe {
        if !crate::tupleobject::is_tuple(o) || crate::tupleobject::items(o).len() != 2 {
            raise(&raw mut EXC_TypeError, msg);
            return Err(());
        }
        let it = crate::tupleobject::items(o);
        Ok((it[0], it[1]))
    }
}

os_fn!(f_utime, |a| {
    let t = path_or_fd("utime", "path", a[0])?;
    let times = a[1];
    let ns = a[2];
    let dfd = dir_fd(a[3])?;
    let follow = opt_bool(a[4], true)?;
    let spec: Option<[libc::timespec; 2]> = if !is_none(times) && !ns.is_null() {
        raise(
            &raw mut EXC_ValueError,
            "utime: you may specify either 'times' or 'ns' but not both",
        );
        return Err(());
    } else if !is_none(times) {
        let (x, y) = pair(
            times,
            "utime: 'times' must be either a tuple of two ints or None",
        )?;
        Some([seconds_ts(x)?, seconds_ts(y)?])
    } else if !ns.is_null() {
        let (x, y) = pair(ns, "utime: 'ns' must be a tuple of two ints")?;
        let conv = |v: *mut PyObject| -> R<libc::timespec> {
            let n = crate::longobject::PyLong_AsLongLong(v);
            if n == -1 && crate::pyerrors::occurred() {
                return Err(());
            }
            Ok(libc::timespec {
                tv_sec: n.div_euclid(1_000_000_000),
                tv_nsec: n.rem_euclid(1_000_000_000),
            })
        };
        Some([conv(x)?, conv(y)?])
    } else {
        None
    };
    let ptr = spec.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    let r = match &t {
        Target::Fd(fd) => libc::futimens(*fd, ptr),
        Target::Path(p) => libc::utimensat(
            dfd,
            p.c.as_ptr(),
            ptr,
            if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW },
        ),
    };
    check(r, t.obj(), null_mut())
});

/// The names in a directory (without `.` and `..`), from a path or an fd (errno on failure).
pub(crate) fn list_dir(t: &Target) -> Result<Vec<(Vec<u8>, u8, u64)>, c_int> {
    // SAFETY: opendir/fdopendir with a valid path or a dup'ed fd; readdir entries are read
    // before the next call; the stream is closed.
    unsafe {
        let d = match t {
            Target::Path(p) => libc::opendir(p.c.as_ptr()),
            Target::Fd(fd) => {
                let f = libc::fcntl(*fd, libc::F_DUPFD_CLOEXEC, 0);
                if f < 0 {
                    return Err(errno());
                }
                let d = libc::fdopendir(f);
                if d.is_null() {
                    let e = errno();
                    libc::close(f);
                    return Err(e);
                }
                libc::rewinddir(d);
                d
            }
        };
        if d.is_null() {
            return Err(errno());
        }
        let mut out = Vec::new();
        loop {
            *libc::__errno_location() = 0;
            let e = libc::readdir(d);
            if e.is_null() {
                let err = errno();
                libc::closedir(d);
                if err != 0 {
                    return Err(err);
                }
                return Ok(out);
            }
            let name = CStr::from_ptr((*e).d_name.as_ptr()).to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            out.push((name.to_vec(), (*e).d_type, (*e).d_ino));
        }
    }
}

os_fn!(f_listdir, |a| {
    let t = path_conv("listdir", "path", a[0], true, true)?;
    let (t, bytes) = match t {
        Some(t) => {
            let b = matches!(&t, Target::Path(p) if p.bytes);
            (t, b)
        }
        None => (
            Target::Path(PathArg {
                obj: null_mut(),
                c: CString::from(c"."),
                bytes: false,
                _keep: None,
            }),
            false,
        ),
    };
    let obj = if is_none(a[0]) {
        uni::intern(".")
    } else {
        t.obj()
    };
    match list_dir(&t) {
        Ok(v) => list_own(v.iter().map(|(n, _, _)| fs_out(n, bytes)).collect()),
        Err(e) => {
            raise_errno(e, obj, null_mut());
            Err(())
        }
    }
});

fn cwd_bytes() -> Result<Vec<u8>, c_int> {
    std::env::current_dir()
        .map(|p| std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec())
        .map_err(|e| e.raw_os_error().unwrap_or(libc::ENOENT))
}

os_fn!(f_getcwd, |a| {
    let _ = a;
    match cwd_bytes() {
        Ok(b) => nn(fs_out(&b, false)),
        Err(e) => {
            raise_errno(e, null_mut(), null_mut());
            Err(())
        }
    }
});

os_fn!(f_getcwdb, |a| {
    let _ = a;
    match cwd_bytes() {
        Ok(b) => nn(fs_out(&b, true)),
        Err(e) => {
            raise_errno(e, null_mut(), null_mut());
            Err(())
        }
    }
});

/// The current directory's bytes (for `os.path.abspath`).
pub(crate) fn getcwd_bytes() -> Result<Vec<u8>, c_int> {
    cwd_bytes()
}

// ---- file descriptors ------------------------------------------------------------------------

os_fn!(f_open, |a| {
    let p = path_only("open", "path", a[0])?;
    let flags = cint_arg(a[1])?;
    let mode = mode_of(a[2], 0o777)?;
    let dfd = dir_fd(a[3])?;
    let fd = libc::openat(
        dfd,
        p.c.as_ptr(),
        flags | libc::O_CLOEXEC,
        mode as libc::c_uint,
    );
    if fd < 0 {
        return oserr(p.obj, null_mut());
    }
    Ok(int(i64::from(fd)))
});

os_fn!(f_close, |a| {
    let fd = cint_arg(a[0])?;
    check(libc::close(fd), null_mut(), null_mut())
});

os_fn!(f_closerange, |a| {
    let lo = cint_arg(a[0])?;
    let hi = cint_arg(a[1])?;
    for fd in lo.max(0)..hi {
        libc::close(fd);
    }
    Ok(none())
});

os_fn!(f_dup, |a| {
    let fd = cint_arg(a[0])?;
    int_or_oserr(libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0))
});

os_fn!(f_dup2, |a| {
    let fd = cint_arg(a[0])?;
    let fd2 = cint_arg(a[1])?;
    let inh = opt_bool(a[2], true)?;
    let r = if inh {
        libc::dup2(fd, fd2)
    } else {
        libc::dup3(fd, fd2, libc::O_CLOEXEC)
    };
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(i64::from(r)))
});

os_fn!(f_read, |a| {
    let fd = cint_arg(a[0])?;
    let n = int_arg(a[1])?;
    if n < 0 {
        return oserr_code(libc::EINVAL);
    }
    let mut buf = vec![0u8; n as usize];
    let r = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    buf.truncate(r as usize);
    nn(crate::bytesobject::from_bytes(&buf))
});

fn oserr_code(e: c_int) -> R<*mut PyObject> {
    raise_errno(e, null_mut(), null_mut());
    Err(())
}

os_fn!(f_readinto, |a| {
    let fd = cint_arg(a[0])?;
    let r = with_wbuffer(a[1], |b| libc::read(fd, b.as_mut_ptr().cast(), b.len()))?;
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

os_fn!(f_write, |a| {
    let fd = cint_arg(a[0])?;
    let data = buffer_bytes(a[1])?;
    let r = libc::write(fd, data.as_ptr().cast(), data.len());
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

os_fn!(f_pread, |a| {
    let fd = cint_arg(a[0])?;
    let n = int_arg(a[1])?;
    let off = int_arg(a[2])?;
    if n < 0 {
        return oserr_code(libc::EINVAL);
    }
    let mut buf = vec![0u8; n as usize];
    let r = libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), off);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    buf.truncate(r as usize);
    nn(crate::bytesobject::from_bytes(&buf))
});

os_fn!(f_pwrite, |a| {
    let fd = cint_arg(a[0])?;
    let data = buffer_bytes(a[1])?;
    let off = int_arg(a[2])?;
    let r = libc::pwrite(fd, data.as_ptr().cast(), data.len(), off);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

/// The buffers of a sequence argument (copied).
unsafe fn buffers(o: *mut PyObject) -> R<Vec<Vec<u8>>> {
    // SAFETY: a live object.
    unsafe {
        let items = crate::abc::collect(o)?;
        items.iter().map(|b| buffer_bytes(b.ptr())).collect()
    }
}

os_fn!(f_writev, |a| {
    let fd = cint_arg(a[0])?;
    let bufs = buffers(a[1])?;
    let iov: Vec<libc::iovec> = bufs
        .iter()
        .map(|b| libc::iovec {
            iov_base: b.as_ptr().cast_mut().cast(),
            iov_len: b.len(),
        })
        .collect();
    let r = libc::writev(fd, iov.as_ptr(), iov.len() as c_int);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

os_fn!(f_pwritev, |a| {
    let fd = cint_arg(a[0])?;
    let bufs = buffers(a[1])?;
    let off = int_arg(a[2])?;
    let flags = opt_int(a[3], 0)? as c_int;
    let iov: Vec<libc::iovec> = bufs
        .iter()
        .map(|b| libc::iovec {
            iov_base: b.as_ptr().cast_mut().cast(),
            iov_len: b.len(),
        })
        .collect();
    let r = libc::pwritev2(fd, iov.as_ptr(), iov.len() as c_int, off, flags);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

/// readv/preadv: reads into each writable buffer in turn.
unsafe fn read_vec(fd: c_int, o: *mut PyObject, off: Option<(i64, c_int)>) -> R<*mut PyObject> {
    // SAFETY: a live sequence of writable buffers; each view is live during its read.
    unsafe {
        let items = crate::abc::collect(o)?;
        let mut views: Vec<crate::object::Py_buffer> = Vec::new();
        for b in &items {
            let mut v: crate::object::Py_buffer = std::mem::zeroed();
            if crate::pybuffer::PyObject_GetBuffer(b.ptr(), &mut v, 1) < 0 {
                for mut v in views {
                    crate::pybuffer::PyBuffer_Release(&mut v);
                }
                return Err(());
            }
            views.push(v);
        }
        let iov: Vec<libc::iovec> = views
            .iter()
            .map(|v| libc::iovec {
                iov_base: v.buf,
                iov_len: v.len as usize,
            })
            .collect();
        let r = match off {
            None => libc::readv(fd, iov.as_ptr(), iov.len() as c_int),
            Some((o, f)) => libc::preadv2(fd, iov.as_ptr(), iov.len() as c_int, o, f),
        };
        let e = errno();
        for mut v in views {
            crate::pybuffer::PyBuffer_Release(&mut v);
        }
        if r < 0 {
            return oserr_code(e);
        }
        Ok(int(r as i64))
    }
}

os_fn!(f_readv, |a| {
    let fd = cint_arg(a[0])?;
    read_vec(fd, a[1], None)
});

os_fn!(f_preadv, |a| {
    let fd = cint_arg(a[0])?;
    let off = int_arg(a[2])?;
    let flags = opt_int(a[3], 0)? as c_int;
    read_vec(fd, a[1], Some((off, flags)))
});

os_fn!(f_lseek, |a| {
    let fd = cint_arg(a[0])?;
    let pos = int_arg(a[1])?;
    let how = cint_arg(a[2])?;
    let r = libc::lseek(fd, pos, how);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r))
});

/// An fd argument: an int or an object with `fileno()`.
unsafe fn fd_arg(o: *mut PyObject) -> R<c_int> {
    // SAFETY: a live object.
    unsafe {
        let fd = if crate::longobject::is_int(o) {
            cint_arg(o)?
        } else {
            let r = call_method(o, "fileno", &[]);
            if r.is_null() {
                return Err(());
            }
            cint_arg(r.ptr())?
        };
        if fd < 0 {
            raise(
                &raw mut EXC_ValueError,
                &format!("file descriptor cannot be a negative integer ({fd})"),
            );
            return Err(());
        }
        Ok(fd)
    }
}

os_fn!(f_fsync, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::fsync(fd), null_mut(), null_mut())
});

os_fn!(f_fdatasync, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::fdatasync(fd), null_mut(), null_mut())
});

os_fn!(f_isatty, |a| {
    let fd = cint_arg(a[0])?;
    Ok(py_bool(libc::isatty(fd) == 1))
});

os_fn!(f_ttyname, |a| {
    let fd = cint_arg(a[0])?;
    let mut buf = [0 as libc::c_char; 256];
    let r = libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len());
    if r != 0 {
        return oserr_code(r);
    }
    nn(uni::decode_fs(CStr::from_ptr(buf.as_ptr()).to_bytes()))
});

os_fn!(f_device_encoding, |a| {
    let fd = cint_arg(a[0])?;
    if libc::isatty(fd) == 1 {
        nn(uni::from_str("UTF-8"))
    } else {
        Ok(none())
    }
});

os_fn!(f_pipe, |a| {
    let _ = a;
    let mut fds = [0 as c_int; 2];
    if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(fds[0])), int(i64::from(fds[1]))])
});

os_fn!(f_pipe2, |a| {
    let flags = cint_arg(a[0])?;
    let mut fds = [0 as c_int; 2];
    if libc::pipe2(fds.as_mut_ptr(), flags) < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(fds[0])), int(i64::from(fds[1]))])
});

/// Whether `bit` of the fd's `fcntl` flags (read with `get`) is clear: CPython's inheritable
/// (FD_CLOEXEC) and blocking (O_NONBLOCK) answers.
fn fd_flag_clear(fd: c_int, get: c_int, bit: c_int) -> R<*mut PyObject> {
    // SAFETY: fcntl's read commands take no pointer; a bad fd is an errno.
    let f = unsafe { libc::fcntl(fd, get) };
    if f < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(py_bool(f & bit == 0))
}

/// Clears `bit` of the fd's `fcntl` flags when `clear`, else sets it (`get`/`set` the
/// commands that read and write those flags).
fn fd_flag_set(fd: c_int, get: c_int, set: c_int, bit: c_int, clear: bool) -> R<*mut PyObject> {
    // SAFETY: fcntl's flag commands take an int; a bad fd is an errno.
    unsafe {
        let f = libc::fcntl(fd, get);
        if f < 0 {
            return oserr(null_mut(), null_mut());
        }
        let nf = if clear { f & !bit } else { f | bit };
        check(libc::fcntl(fd, set, nf), null_mut(), null_mut())
    }
}

os_fn!(f_get_inheritable, |a| {
    fd_flag_clear(cint_arg(a[0])?, libc::F_GETFD, libc::FD_CLOEXEC)
});

os_fn!(f_set_inheritable, |a| {
    let fd = cint_arg(a[0])?;
    let inheritable = crate::abc::truth(a[1])?;
    fd_flag_set(
        fd,
        libc::F_GETFD,
        libc::F_SETFD,
        libc::FD_CLOEXEC,
        inheritable,
    )
});

os_fn!(f_get_blocking, |a| {
    fd_flag_clear(cint_arg(a[0])?, libc::F_GETFL, libc::O_NONBLOCK)
});

os_fn!(f_set_blocking, |a| {
    let fd = cint_arg(a[0])?;
    let blocking = crate::abc::truth(a[1])?;
    fd_flag_set(fd, libc::F_GETFL, libc::F_SETFL, libc::O_NONBLOCK, blocking)
});

os_fn!(f_lockf, |a| {
    let fd = cint_arg(a[0])?;
    let cmd = cint_arg(a[1])?;
    let len = int_arg(a[2])?;
    check(libc::lockf(fd, cmd, len), null_mut(), null_mut())
});

os_fn!(f_posix_fallocate, |a| {
    let fd = cint_arg(a[0])?;
    let off = int_arg(a[1])?;
    let len = int_arg(a[2])?;
    let r = libc::posix_fallocate(fd, off, len);
    if r != 0 {
        return oserr_code(r);
    }
    Ok(none())
});

os_fn!(f_posix_fadvise, |a| {
    let fd = cint_arg(a[0])?;
    let off = int_arg(a[1])?;
    let len = int_arg(a[2])?;
    let adv = cint_arg(a[3])?;
    let r = libc::posix_fadvise(fd, off, len, adv);
    if r != 0 {
        return oserr_code(r);
    }
    Ok(none())
});

os_fn!(f_sendfile, |a| {
    let out = cint_arg(a[0])?;
    let inp = cint_arg(a[1])?;
    let count = int_arg(a[3])? as usize;
    let r = if is_none(a[2]) {
        libc::sendfile(out, inp, null_mut(), count)
    } else {
        let mut off = int_arg(a[2])?;
        libc::sendfile(out, inp, &mut off, count)
    };
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

/// An optional offset argument (None: the file position).
unsafe fn opt_off(o: *mut PyObject) -> R<Option<i64>> {
    if is_none(o) {
        Ok(None)
    } else {
        // SAFETY: a live object.
        unsafe { int_arg(o) }.map(Some)
    }
}

os_fn!(f_copy_file_range, |a| {
    let src = cint_arg(a[0])?;
    let dst = cint_arg(a[1])?;
    let count = int_arg(a[2])? as usize;
    let mut oi = opt_off(a[3])?;
    let mut oo = opt_off(a[4])?;
    let pi = oi.as_mut().map_or(null_mut(), |v| v as *mut i64);
    let po = oo.as_mut().map_or(null_mut(), |v| v as *mut i64);
    let r = libc::copy_file_range(src, pi, dst, po, count, 0);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

os_fn!(f_splice, |a| {
    let src = cint_arg(a[0])?;
    let dst = cint_arg(a[1])?;
    let count = int_arg(a[2])? as usize;
    let mut oi = opt_off(a[3])?;
    let mut oo = opt_off(a[4])?;
    let flags = opt_int(a[5], 0)? as libc::c_uint;
    let pi = oi.as_mut().map_or(null_mut(), |v| v as *mut i64);
    let po = oo.as_mut().map_or(null_mut(), |v| v as *mut i64);
    let r = libc::splice(src, pi, dst, po, count, flags);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r as i64))
});

fn conf_name(o: *mut PyObject, table: &[(&str, i64)]) -> R<c_int> {
    // SAFETY: a live object.
    unsafe {
        if uni::is_str(o) {
            let s = uni::as_str(o).unwrap_or("");
            return match table.iter().find(|(n, _)| *n == s) {
                Some(&(_, v)) => Ok(v as c_int),
                None => {
                    raise(&raw mut EXC_ValueError, "unrecognized configuration name");
                    Err(())
                }
            };
        }
        if !crate::longobject::is_int(o) {
            raise(
                &raw mut EXC_TypeError,
                "configuration names must be strings or integers",
            );
            return Err(());
        }
        cint_arg(o)
    }
}

os_fn!(f_fpathconf, |a| {
    let fd = fd_arg(a[0])?;
    let name = conf_name(a[1], PATHCONF_NAMES)?;
    *libc::__errno_location() = 0;
    let r = libc::fpathconf(fd, name);
    if r == -1 && errno() != 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r))
});

os_fn!(f_pathconf, |a| {
    let t = path_or_fd("pathconf", "path", a[0])?;
    let name = conf_name(a[1], PATHCONF_NAMES)?;
    *libc::__errno_location() = 0;
    let r = match &t {
        Target::Fd(fd) => libc::fpathconf(*fd, name),
        Target::Path(p) => libc::pathconf(p.c.as_ptr(), name),
    };
    if r == -1 && errno() != 0 {
        return oserr(t.obj(), null_mut());
    }
    Ok(int(r))
});

os_fn!(f_sysconf, |a| {
    let name = conf_name(a[0], SYSCONF_NAMES)?;
    *libc::__errno_location() = 0;
    let r = libc::sysconf(name);
    if r == -1 && errno() != 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r))
});

os_fn!(f_confstr, |a| {
    let name = conf_name(a[0], CONFSTR_NAMES)?;
    *libc::__errno_location() = 0;
    let n = libc::confstr(name, null_mut(), 0);
    if n == 0 {
        if errno() != 0 {
            return oserr(null_mut(), null_mut());
        }
        return Ok(none());
    }
    let mut buf = vec![0 as libc::c_char; n];
    libc::confstr(name, buf.as_mut_ptr(), n);
    nn(uni::decode_fs(CStr::from_ptr(buf.as_ptr()).to_bytes()))
});

os_fn!(f_eventfd, |a| {
    let init = int_arg(a[0])? as libc::c_uint;
    let flags = opt_int(a[1], i64::from(libc::EFD_CLOEXEC))? as c_int;
    int_or_oserr(libc::eventfd(init, flags))
});

os_fn!(f_eventfd_read, |a| {
    let fd = fd_arg(a[0])?;
    let mut v: u64 = 0;
    let r = libc::read(fd, (&raw mut v).cast(), 8);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    nn(crate::longobject::from_i128(i128::from(v)))
});

os_fn!(f_eventfd_write, |a| {
    let fd = fd_arg(a[0])?;
    let v = crate::longobject::PyLong_AsUnsignedLongLong(a[1]);
    if crate::pyerrors::occurred() {
        return Err(());
    }
    let r = libc::write(fd, (&raw const v).cast(), 8);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(none())
});

os_fn!(f_memfd_create, |a| {
    let p = path_only("memfd_create", "name", a[0])?;
    let flags = opt_int(a[1], i64::from(libc::MFD_CLOEXEC))? as libc::c_uint;
    int_or_oserr(libc::memfd_create(p.c.as_ptr(), flags))
});
/// The integer constants of CPython 3.14's `os` on Linux (x86-64 values).
pub(crate) const CONSTANTS: &[(&str, i64)] = &[
    ("CLD_CONTINUED", 6),
    ("CLD_DUMPED", 3),
    ("CLD_EXITED", 1),
    ("CLD_KILLED", 2),
    ("CLD_STOPPED", 5),
    ("CLD_TRAPPED", 4),
    ("CLONE_FILES", 1024),
    ("CLONE_FS", 512),
    ("CLONE_NEWCGROUP", 33554432),
    ("CLONE_NEWIPC", 134217728),
    ("CLONE_NEWNET", 1073741824),
    ("CLONE_NEWNS", 131072),
    ("CLONE_NEWPID", 536870912),
    ("CLONE_NEWTIME", 128),
    ("CLONE_NEWUSER", 268435456),
    ("CLONE_NEWUTS", 67108864),
    ("CLONE_SIGHAND", 2048),
    ("CLONE_SYSVSEM", 262144),
    ("CLONE_THREAD", 65536),
    ("CLONE_VM", 256),
    ("EFD_CLOEXEC", 524288),
    ("EFD_NONBLOCK", 2048),
    ("EFD_SEMAPHORE", 1),
    ("EX_CANTCREAT", 73),
    ("EX_CONFIG", 78),
    ("EX_DATAERR", 65),
    ("EX_IOERR", 74),
    ("EX_NOHOST", 68),
    ("EX_NOINPUT", 66),
    ("EX_NOPERM", 77),
    ("EX_NOUSER", 67),
    ("EX_OK", 0),
    ("EX_OSERR", 71),
    ("EX_OSFILE", 72),
    ("EX_PROTOCOL", 76),
    ("EX_SOFTWARE", 70),
    ("EX_TEMPFAIL", 75),
    ("EX_UNAVAILABLE", 69),
    ("EX_USAGE", 64),
    ("F_LOCK", 1),
    ("F_OK", 0),
    ("F_TEST", 3),
    ("F_TLOCK", 2),
    ("F_ULOCK", 0),
    ("GRND_NONBLOCK", 1),
    ("GRND_RANDOM", 2),
    ("MFD_ALLOW_SEALING", 2),
    ("MFD_CLOEXEC", 1),
    ("MFD_HUGETLB", 4),
    ("MFD_HUGE_16GB", 2281701376),
    ("MFD_HUGE_16MB", 1610612736),
    ("MFD_HUGE_1GB", 2013265920),
    ("MFD_HUGE_1MB", 1342177280),
    ("MFD_HUGE_256MB", 1879048192),
    ("MFD_HUGE_2GB", 2080374784),
    ("MFD_HUGE_2MB", 1409286144),
    ("MFD_HUGE_32MB", 1677721600),
    ("MFD_HUGE_512KB", 1275068416),
    ("MFD_HUGE_512MB", 1946157056),
    ("MFD_HUGE_64KB", 1073741824),
    ("MFD_HUGE_8MB", 1543503872),
    ("MFD_HUGE_MASK", 63),
    ("MFD_HUGE_SHIFT", 26),
    ("NGROUPS_MAX", 65536),
    ("O_ACCMODE", 3),
    ("O_APPEND", 1024),
    ("O_ASYNC", 8192),
    ("O_CLOEXEC", 524288),
    ("O_CREAT", 64),
    ("O_DIRECT", 16384),
    ("O_DIRECTORY", 65536),
    ("O_DSYNC", 4096),
    ("O_EXCL", 128),
    ("O_FSYNC", 1052672),
    ("O_LARGEFILE", 0),
    ("O_NDELAY", 2048),
    ("O_NOATIME", 262144),
    ("O_NOCTTY", 256),
    ("O_NOFOLLOW", 131072),
    ("O_NONBLOCK", 2048),
    ("O_PATH", 2097152),
    ("O_RDONLY", 0),
    ("O_RDWR", 2),
    ("O_RSYNC", 1052672),
    ("O_SYNC", 1052672),
    ("O_TMPFILE", 4259840),
    ("O_TRUNC", 512),
    ("O_WRONLY", 1),
    ("PIDFD_NONBLOCK", 2048),
    ("POSIX_FADV_DONTNEED", 4),
    ("POSIX_FADV_NOREUSE", 5),
    ("POSIX_FADV_NORMAL", 0),
    ("POSIX_FADV_RANDOM", 1),
    ("POSIX_FADV_SEQUENTIAL", 2),
    ("POSIX_FADV_WILLNEED", 3),
    ("POSIX_SPAWN_CLOSE", 1),
    ("POSIX_SPAWN_CLOSEFROM", 3),
    ("POSIX_SPAWN_DUP2", 2),
    ("POSIX_SPAWN_OPEN", 0),
    ("PRIO_PGRP", 1),
    ("PRIO_PROCESS", 0),
    ("PRIO_USER", 2),
    ("P_ALL", 0),
    ("P_NOWAIT", 1),
    ("P_NOWAITO", 1),
    ("P_PGID", 2),
    ("P_PID", 1),
    ("P_PIDFD", 3),
    ("P_WAIT", 0),
    ("RTLD_DEEPBIND", 8),
    ("RTLD_GLOBAL", 256),
    ("RTLD_LAZY", 1),
    ("RTLD_LOCAL", 0),
    ("RTLD_NODELETE", 4096),
    ("RTLD_NOLOAD", 4),
    ("RTLD_NOW", 2),
    ("RWF_APPEND", 16),
    ("RWF_DSYNC", 2),
    ("RWF_HIPRI", 1),
    ("RWF_NOWAIT", 8),
    ("RWF_SYNC", 4),
    ("R_OK", 4),
    ("SCHED_BATCH", 3),
    ("SCHED_DEADLINE", 6),
    ("SCHED_FIFO", 1),
    ("SCHED_IDLE", 5),
    ("SCHED_NORMAL", 0),
    ("SCHED_OTHER", 0),
    ("SCHED_RESET_ON_FORK", 1073741824),
    ("SCHED_RR", 2),
    ("SEEK_CUR", 1),
    ("SEEK_DATA", 3),
    ("SEEK_END", 2),
    ("SEEK_HOLE", 4),
    ("SEEK_SET", 0),
    ("SPLICE_F_MORE", 4),
    ("SPLICE_F_MOVE", 1),
    ("SPLICE_F_NONBLOCK", 2),
    ("ST_APPEND", 256),
    ("ST_MANDLOCK", 64),
    ("ST_NOATIME", 1024),
    ("ST_NODEV", 4),
    ("ST_NODIRATIME", 2048),
    ("ST_NOEXEC", 8),
    ("ST_NOSUID", 2),
    ("ST_RDONLY", 1),
    ("ST_RELATIME", 4096),
    ("ST_SYNCHRONOUS", 16),
    ("ST_WRITE", 128),
    ("TFD_CLOEXEC", 524288),
    ("TFD_NONBLOCK", 2048),
    ("TFD_TIMER_ABSTIME", 1),
    ("TFD_TIMER_CANCEL_ON_SET", 2),
    ("TMP_MAX", 238328),
    ("WCONTINUED", 8),
    ("WEXITED", 4),
    ("WNOHANG", 1),
    ("WNOWAIT", 16777216),
    ("WSTOPPED", 2),
    ("WUNTRACED", 2),
    ("W_OK", 2),
    ("XATTR_CREATE", 1),
    ("XATTR_REPLACE", 2),
    ("XATTR_SIZE_MAX", 65536),
    ("X_OK", 1),
];
/// `os.confstr_names`.
pub(crate) const CONFSTR_NAMES: &[(&str, i64)] = &[
    ("CS_GNU_LIBC_VERSION", 2),
    ("CS_GNU_LIBPTHREAD_VERSION", 3),
    ("CS_LFS64_CFLAGS", 1004),
    ("CS_LFS64_LDFLAGS", 1005),
    ("CS_LFS64_LIBS", 1006),
    ("CS_LFS64_LINTFLAGS", 1007),
    ("CS_LFS_CFLAGS", 1000),
    ("CS_LFS_LDFLAGS", 1001),
    ("CS_LFS_LIBS", 1002),
    ("CS_LFS_LINTFLAGS", 1003),
    ("CS_PATH", 0),
    ("CS_XBS5_ILP32_OFF32_CFLAGS", 1100),
    ("CS_XBS5_ILP32_OFF32_LDFLAGS", 1101),
    ("CS_XBS5_ILP32_OFF32_LIBS", 1102),
    ("CS_XBS5_ILP32_OFF32_LINTFLAGS", 1103),
    ("CS_XBS5_ILP32_OFFBIG_CFLAGS", 1104),
    ("CS_XBS5_ILP32_OFFBIG_LDFLAGS", 1105),
    ("CS_XBS5_ILP32_OFFBIG_LIBS", 1106),
    ("CS_XBS5_ILP32_OFFBIG_LINTFLAGS", 1107),
    ("CS_XBS5_LP64_OFF64_CFLAGS", 1108),
    ("CS_XBS5_LP64_OFF64_LDFLAGS", 1109),
    ("CS_XBS5_LP64_OFF64_LIBS", 1110),
    ("CS_XBS5_LP64_OFF64_LINTFLAGS", 1111),
    ("CS_XBS5_LPBIG_OFFBIG_CFLAGS", 1112),
    ("CS_XBS5_LPBIG_OFFBIG_LDFLAGS", 1113),
    ("CS_XBS5_LPBIG_OFFBIG_LIBS", 1114),
    ("CS_XBS5_LPBIG_OFFBIG_LINTFLAGS", 1115),
];
/// `os.pathconf_names`.
pub(crate) const PATHCONF_NAMES: &[(&str, i64)] = &[
    ("PC_ALLOC_SIZE_MIN", 18),
    ("PC_ASYNC_IO", 10),
    ("PC_CHOWN_RESTRICTED", 6),
    ("PC_FILESIZEBITS", 13),
    ("PC_LINK_MAX", 0),
    ("PC_MAX_CANON", 1),
    ("PC_MAX_INPUT", 2),
    ("PC_NAME_MAX", 3),
    ("PC_NO_TRUNC", 7),
    ("PC_PATH_MAX", 4),
    ("PC_PIPE_BUF", 5),
    ("PC_PRIO_IO", 11),
    ("PC_REC_INCR_XFER_SIZE", 14),
    ("PC_REC_MAX_XFER_SIZE", 15),
    ("PC_REC_MIN_XFER_SIZE", 16),
    ("PC_REC_XFER_ALIGN", 17),
    ("PC_SOCK_MAXBUF", 12),
    ("PC_SYMLINK_MAX", 19),
    ("PC_SYNC_IO", 9),
    ("PC_VDISABLE", 8),
];
/// `os.sysconf_names`.
pub(crate) const SYSCONF_NAMES: &[(&str, i64)] = &[
    ("SC_2_CHAR_TERM", 95),
    ("SC_2_C_BIND", 47),
    ("SC_2_C_DEV", 48),
    ("SC_2_C_VERSION", 96),
    ("SC_2_FORT_DEV", 49),
    ("SC_2_FORT_RUN", 50),
    ("SC_2_LOCALEDEF", 52),
    ("SC_2_SW_DEV", 51),
    ("SC_2_UPE", 97),
    ("SC_2_VERSION", 46),
    ("SC_AIO_LISTIO_MAX", 23),
    ("SC_AIO_MAX", 24),
    ("SC_AIO_PRIO_DELTA_MAX", 25),
    ("SC_ARG_MAX", 0),
    ("SC_ASYNCHRONOUS_IO", 12),
    ("SC_ATEXIT_MAX", 87),
    ("SC_AVPHYS_PAGES", 86),
    ("SC_BC_BASE_MAX", 36),
    ("SC_BC_DIM_MAX", 37),
    ("SC_BC_SCALE_MAX", 38),
    ("SC_BC_STRING_MAX", 39),
    ("SC_CHARCLASS_NAME_MAX", 45),
    ("SC_CHAR_BIT", 101),
    ("SC_CHAR_MAX", 102),
    ("SC_CHAR_MIN", 103),
    ("SC_CHILD_MAX", 1),
    ("SC_CLK_TCK", 2),
    ("SC_COLL_WEIGHTS_MAX", 40),
    ("SC_DELAYTIMER_MAX", 26),
    ("SC_EQUIV_CLASS_MAX", 41),
    ("SC_EXPR_NEST_MAX", 42),
    ("SC_FSYNC", 15),
    ("SC_GETGR_R_SIZE_MAX", 69),
    ("SC_GETPW_R_SIZE_MAX", 70),
    ("SC_INT_MAX", 104),
    ("SC_INT_MIN", 105),
    ("SC_IOV_MAX", 60),
    ("SC_JOB_CONTROL", 7),
    ("SC_LINE_MAX", 43),
    ("SC_LOGIN_NAME_MAX", 71),
    ("SC_LONG_BIT", 106),
    ("SC_MAPPED_FILES", 16),
    ("SC_MB_LEN_MAX", 108),
    ("SC_MEMLOCK", 17),
    ("SC_MEMLOCK_RANGE", 18),
    ("SC_MEMORY_PROTECTION", 19),
    ("SC_MESSAGE_PASSING", 20),
    ("SC_MINSIGSTKSZ", 249),
    ("SC_MQ_OPEN_MAX", 27),
    ("SC_MQ_PRIO_MAX", 28),
    ("SC_NGROUPS_MAX", 3),
    ("SC_NL_ARGMAX", 119),
    ("SC_NL_LANGMAX", 120),
    ("SC_NL_MSGMAX", 121),
    ("SC_NL_NMAX", 122),
    ("SC_NL_SETMAX", 123),
    ("SC_NL_TEXTMAX", 124),
    ("SC_NPROCESSORS_CONF", 83),
    ("SC_NPROCESSORS_ONLN", 84),
    ("SC_NZERO", 109),
    ("SC_OPEN_MAX", 4),
    ("SC_PAGESIZE", 30),
    ("SC_PAGE_SIZE", 30),
    ("SC_PASS_MAX", 88),
    ("SC_PHYS_PAGES", 85),
    ("SC_PII", 53),
    ("SC_PII_INTERNET", 56),
    ("SC_PII_INTERNET_DGRAM", 62),
    ("SC_PII_INTERNET_STREAM", 61),
    ("SC_PII_OSI", 57),
    ("SC_PII_OSI_CLTS", 64),
    ("SC_PII_OSI_COTS", 63),
    ("SC_PII_OSI_M", 65),
    ("SC_PII_SOCKET", 55),
    ("SC_PII_XTI", 54),
    ("SC_POLL", 58),
    ("SC_PRIORITIZED_IO", 13),
    ("SC_PRIORITY_SCHEDULING", 10),
    ("SC_REALTIME_SIGNALS", 9),
    ("SC_RE_DUP_MAX", 44),
    ("SC_RTSIG_MAX", 31),
    ("SC_SAVED_IDS", 8),
    ("SC_SCHAR_MAX", 111),
    ("SC_SCHAR_MIN", 112),
    ("SC_SELECT", 59),
    ("SC_SEMAPHORES", 21),
    ("SC_SEM_NSEMS_MAX", 32),
    ("SC_SEM_VALUE_MAX", 33),
    ("SC_SHARED_MEMORY_OBJECTS", 22),
    ("SC_SHRT_MAX", 113),
    ("SC_SHRT_MIN", 114),
    ("SC_SIGQUEUE_MAX", 34),
    ("SC_SSIZE_MAX", 110),
    ("SC_STREAM_MAX", 5),
    ("SC_SYNCHRONIZED_IO", 14),
    ("SC_THREADS", 67),
    ("SC_THREAD_ATTR_STACKADDR", 77),
    ("SC_THREAD_ATTR_STACKSIZE", 78),
    ("SC_THREAD_DESTRUCTOR_ITERATIONS", 73),
    ("SC_THREAD_KEYS_MAX", 74),
    ("SC_THREAD_PRIORITY_SCHEDULING", 79),
    ("SC_THREAD_PRIO_INHERIT", 80),
    ("SC_THREAD_PRIO_PROTECT", 81),
    ("SC_THREAD_PROCESS_SHARED", 82),
    ("SC_THREAD_SAFE_FUNCTIONS", 68),
    ("SC_THREAD_STACK_MIN", 75),
    ("SC_THREAD_THREADS_MAX", 76),
    ("SC_TIMERS", 11),
    ("SC_TIMER_MAX", 35),
    ("SC_TTY_NAME_MAX", 72),
    ("SC_TZNAME_MAX", 6),
    ("SC_T_IOV_MAX", 66),
    ("SC_UCHAR_MAX", 115),
    ("SC_UINT_MAX", 116),
    ("SC_UIO_MAXIOV", 60),
    ("SC_ULONG_MAX", 117),
    ("SC_USHRT_MAX", 118),
    ("SC_VERSION", 29),
    ("SC_WORD_BIT", 107),
    ("SC_XBS5_ILP32_OFF32", 125),
    ("SC_XBS5_ILP32_OFFBIG", 126),
    ("SC_XBS5_LP64_OFF64", 127),
    ("SC_XBS5_LPBIG_OFFBIG", 128),
    ("SC_XOPEN_CRYPT", 92),
    ("SC_XOPEN_ENH_I18N", 93),
    ("SC_XOPEN_LEGACY", 129),
    ("SC_XOPEN_REALTIME", 130),
    ("SC_XOPEN_REALTIME_THREADS", 131),
    ("SC_XOPEN_SHM", 94),
    ("SC_XOPEN_UNIX", 91),
    ("SC_XOPEN_VERSION", 89),
    ("SC_XOPEN_XCU_VERSION", 90),
    ("SC_XOPEN_XPG2", 98),
    ("SC_XOPEN_XPG3", 99),
    ("SC_XOPEN_XPG4", 100),
];

// ---- processes and users ---------------------------------------------------------------------

macro_rules! id_fn {
    ($name:ident, $call:expr) => {
        os_fn!($name, |a| {
            let _ = a;
            Ok(int(i64::from($call)))
        });
    };
}

id_fn!(f_getpid, libc::getpid());
id_fn!(f_getppid, libc::getppid());
id_fn!(f_getuid, libc::getuid());
id_fn!(f_geteuid, libc::geteuid());
id_fn!(f_getgid, libc::getgid());
id_fn!(f_getegid, libc::getegid());
id_fn!(f_getpgrp, libc::getpgrp());

os_fn!(f_getpgid, |a| {
    let pid = cint_arg(a[0])?;
    int_or_oserr(libc::getpgid(pid))
});

os_fn!(f_getsid, |a| {
    let pid = cint_arg(a[0])?;
    int_or_oserr(libc::getsid(pid))
});

os_fn!(f_setsid, |a| {
    let _ = a;
    check(libc::setsid(), null_mut(), null_mut())
});

os_fn!(f_setpgid, |a| {
    let pid = cint_arg(a[0])?;
    let pg = cint_arg(a[1])?;
    check(libc::setpgid(pid, pg), null_mut(), null_mut())
});

os_fn!(f_setpgrp, |a| {
    let _ = a;
    check(libc::setpgid(0, 0), null_mut(), null_mut())
});

macro_rules! set_id_fn {
    ($name:ident, $call:ident, $conv:ident, 1) => {
        os_fn!($name, |a| {
            check(libc::$call($conv(a[0])?), null_mut(), null_mut())
        });
    };
    ($name:ident, $call:ident, $conv:ident, 2) => {
        os_fn!($name, |a| {
            check(
                libc::$call($conv(a[0])?, $conv(a[1])?),
                null_mut(),
                null_mut(),
            )
        });
    };
    ($name:ident, $call:ident, $conv:ident, 3) => {
        os_fn!($name, |a| {
            check(
                libc::$call($conv(a[0])?, $conv(a[1])?, $conv(a[2])?),
                null_mut(),
                null_mut(),
            )
        });
    };
}

set_id_fn!(f_setuid, setuid, uid_arg, 1);
set_id_fn!(f_seteuid, seteuid, uid_arg, 1);
set_id_fn!(f_setgid, setgid, gid_arg, 1);
set_id_fn!(f_setegid, setegid, gid_arg, 1);
set_id_fn!(f_setreuid, setreuid, uid_arg, 2);
set_id_fn!(f_setregid, setregid, gid_arg, 2);
set_id_fn!(f_setresuid, setresuid, uid_arg, 3);
set_id_fn!(f_setresgid, setresgid, gid_arg, 3);

os_fn!(f_getresuid, |a| {
    let _ = a;
    let (mut r, mut e, mut s) = (0, 0, 0);
    if libc::getresuid(&mut r, &mut e, &mut s) < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![
        int(i64::from(r)),
        int(i64::from(e)),
        int(i64::from(s)),
    ])
});

os_fn!(f_getresgid, |a| {
    let _ = a;
    let (mut r, mut e, mut s) = (0, 0, 0);
    if libc::getresgid(&mut r, &mut e, &mut s) < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![
        int(i64::from(r)),
        int(i64::from(e)),
        int(i64::from(s)),
    ])
});

os_fn!(f_getgroups, |a| {
    let _ = a;
    let n = libc::getgroups(0, null_mut());
    if n < 0 {
        return oserr(null_mut(), null_mut());
    }
    let mut v = vec![0 as libc::gid_t; n as usize];
    let n = libc::getgroups(n, v.as_mut_ptr());
    if n < 0 {
        return oserr(null_mut(), null_mut());
    }
    list_own(v[..n as usize].iter().map(|&g| int(i64::from(g))).collect())
});

os_fn!(f_setgroups, |a| {
    if crate::abstract_::PySequence_Check(a[0]) == 0 {
        raise(
            &raw mut EXC_TypeError,
            "setgroups argument must be a sequence",
        );
        return Err(());
    }
    let items = crate::abc::collect(a[0])?;
    let mut v = Vec::new();
    for g in &items {
        v.push(gid_arg(g.ptr())?);
    }
    check(libc::setgroups(v.len(), v.as_ptr()), null_mut(), null_mut())
});

/// A user name argument (CPython's `PyUnicode_FSConverter`).
unsafe fn name_arg(o: *mut PyObject) -> R<CString> {
    // SAFETY: a live object.
    let (b, _) = unsafe { os_bytes(o) }?;
    CString::new(b).map_err(|_| {
        raise(&raw mut EXC_ValueError, "embedded null byte");
    })
}

os_fn!(f_initgroups, |a| {
    let p = name_arg(a[0])?;
    let g = gid_arg(a[1])?;
    check(libc::initgroups(p.as_ptr(), g), null_mut(), null_mut())
});

os_fn!(f_getgrouplist, |a| {
    let p = name_arg(a[0])?;
    let g = gid_arg(a[1])?;
    let mut n: c_int = 64;
    loop {
        let mut v = vec![0 as libc::gid_t; n as usize];
        let mut m = n;
        if libc::getgrouplist(p.as_ptr(), g, v.as_mut_ptr(), &mut m) >= 0 {
            return list_own(v[..m as usize].iter().map(|&g| int(i64::from(g))).collect());
        }
        n = m.max(n * 2);
    }
});

os_fn!(f_getlogin, |a| {
    let _ = a;
    let p = libc::getlogin();
    if p.is_null() {
        let e = errno();
        return oserr_code(if e == 0 { libc::ENOTTY } else { e });
    }
    nn(uni::decode_fs(CStr::from_ptr(p).to_bytes()))
});

os_fn!(f_getpriority, |a| {
    let which = cint_arg(a[0])?;
    let who = cint_arg(a[1])?;
    *libc::__errno_location() = 0;
    let r = libc::getpriority(which as libc::__priority_which_t, who as libc::id_t);
    if r == -1 && errno() != 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(i64::from(r)))
});

os_fn!(f_setpriority, |a| {
    let which = cint_arg(a[0])?;
    let who = cint_arg(a[1])?;
    let p = cint_arg(a[2])?;
    check(
        libc::setpriority(which as libc::__priority_which_t, who as libc::id_t, p),
        null_mut(),
        null_mut(),
    )
});

os_fn!(f_nice, |a| {
    let inc = cint_arg(a[0])?;
    *libc::__errno_location() = 0;
    let r = libc::nice(inc);
    if r == -1 && errno() != 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(i64::from(r)))
});

os_fn!(f_kill, |a| {
    let pid = cint_arg(a[0])?;
    let sig = cint_arg(a[1])?;
    check(libc::kill(pid, sig), null_mut(), null_mut())
});

os_fn!(f_killpg, |a| {
    let pg = cint_arg(a[0])?;
    let sig = cint_arg(a[1])?;
    check(libc::killpg(pg, sig), null_mut(), null_mut())
});

os_fn!(f_umask, |a| {
    let m = int_arg(a[0])? as libc::mode_t;
    Ok(int(i64::from(libc::umask(m))))
});

os_fn!(f_times, |a| {
    let _ = a;
    let mut t: libc::tms = std::mem::zeroed();
    let c = libc::times(&mut t);
    if c == -1 as libc::clock_t {
        return oserr(null_mut(), null_mut());
    }
    let tick = libc::sysconf(libc::_SC_CLK_TCK) as f64;
    let f = |v: libc::clock_t| crate::floatobject::from_f64(v as f64 / tick);
    nn(new_seq(
        times_result_type(),
        vec![
            f(t.tms_utime),
            f(t.tms_stime),
            f(t.tms_cutime),
            f(t.tms_cstime),
            f(c),
        ],
    ))
});

os_fn!(f_uname, |a| {
    let _ = a;
    let mut u: libc::utsname = std::mem::zeroed();
    if libc::uname(&mut u) < 0 {
        return oserr(null_mut(), null_mut());
    }
    let s = |f: &[libc::c_char]| uni::decode_fs(CStr::from_ptr(f.as_ptr()).to_bytes());
    nn(new_seq(
        uname_result_type(),
        vec![
            s(&u.sysname),
            s(&u.nodename),
            s(&u.release),
            s(&u.version),
            s(&u.machine),
        ],
    ))
});

os_fn!(f_getloadavg, |a| {
    let _ = a;
    let mut v = [0f64; 3];
    if libc::getloadavg(v.as_mut_ptr(), 3) != 3 {
        raise(&raw mut EXC_OSError, "Load averages are unobtainable");
        return Err(());
    }
    tuple_own(v.iter().map(|&x| crate::floatobject::from_f64(x)).collect())
});

os_fn!(f_cpu_count, |a| {
    let _ = a;
    let n = libc::sysconf(libc::_SC_NPROCESSORS_ONLN);
    if n < 1 { Ok(none()) } else { Ok(int(n)) }
});

os_fn!(f_process_cpu_count, |a| {
    let _ = a;
    let mut set: libc::cpu_set_t = std::mem::zeroed();
    if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
        return Ok(int(i64::from(libc::CPU_COUNT(&set))));
    }
    let n = libc::sysconf(libc::_SC_NPROCESSORS_ONLN);
    if n < 1 { Ok(none()) } else { Ok(int(n)) }
});

os_fn!(f_sched_getaffinity, |a| {
    let pid = cint_arg(a[0])?;
    let mut set: libc::cpu_set_t = std::mem::zeroed();
    if libc::sched_getaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &mut set) < 0 {
        return oserr(null_mut(), null_mut());
    }
    let s = Obj::new(crate::setobject::PySet_New(null_mut()));
    nn(s.ptr())?;
    for c in 0..libc::CPU_SETSIZE as usize {
        if libc::CPU_ISSET(c, &set) {
            let i = Obj::new(int(c as i64));
            if crate::setobject::PySet_Add(s.ptr(), i.ptr()) < 0 {
                return Err(());
            }
        }
    }
    Ok(s.into_raw())
});

os_fn!(f_sched_setaffinity, |a| {
    let pid = cint_arg(a[0])?;
    let items = crate::abc::collect(a[1])?;
    let mut set: libc::cpu_set_t = std::mem::zeroed();
    for c in &items {
        let v = int_arg(c.ptr())?;
        if v < 0 {
            raise(&raw mut EXC_ValueError, "negative CPU number");
            return Err(());
        }
        if (v as usize) < libc::CPU_SETSIZE as usize {
            libc::CPU_SET(v as usize, &mut set);
        }
    }
    check(
        libc::sched_setaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &set),
        null_mut(),
        null_mut(),
    )
});

os_fn!(f_sched_yield, |a| {
    let _ = a;
    check(libc::sched_yield(), null_mut(), null_mut())
});

os_fn!(f_sched_get_priority_max, |a| {
    let p = cint_arg(a[0])?;
    int_or_oserr(libc::sched_get_priority_max(p))
});

os_fn!(f_sched_get_priority_min, |a| {
    let p = cint_arg(a[0])?;
    int_or_oserr(libc::sched_get_priority_min(p))
});

os_fn!(f_sched_getscheduler, |a| {
    let pid = cint_arg(a[0])?;
    int_or_oserr(libc::sched_getscheduler(pid))
});

os_fn!(f_sched_getparam, |a| {
    let pid = cint_arg(a[0])?;
    let mut p: libc::sched_param = std::mem::zeroed();
    if libc::sched_getparam(pid, &mut p) < 0 {
        return oserr(null_mut(), null_mut());
    }
    nn(new_seq(
        sched_param_type(),
        vec![int(i64::from(p.sched_priority))],
    ))
});

/// `sched_param(sched_priority)`.
unsafe extern "C" fn sched_param_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: `args` a tuple, `kw` NULL or a dict.
    unsafe {
        let Some(v) = crate::importlib::py_args("sched_param", args, kw, &["sched_priority"], 1)
        else {
            return null_mut();
        };
        new_seq(sched_param_type(), vec![new_ref(v[0])])
    }
}

unsafe fn sched_param_arg(o: *mut PyObject) -> R<libc::sched_param> {
    // SAFETY: a live object.
    unsafe {
        if ty(o) != sched_param_type() {
            raise(&raw mut EXC_TypeError, "must have a sched_param object");
            return Err(());
        }
        let v = crate::tupleobject::items(o)[0];
        let mut p: libc::sched_param = std::mem::zeroed();
        p.sched_priority = cint_arg(v)?;
        Ok(p)
    }
}

os_fn!(f_sched_setparam, |a| {
    let pid = cint_arg(a[0])?;
    let p = sched_param_arg(a[1])?;
    check(libc::sched_setparam(pid, &p), null_mut(), null_mut())
});

os_fn!(f_sched_setscheduler, |a| {
    let pid = cint_arg(a[0])?;
    let pol = cint_arg(a[1])?;
    let p = sched_param_arg(a[2])?;
    check(
        libc::sched_setscheduler(pid, pol, &p),
        null_mut(),
        null_mut(),
    )
});

os_fn!(f_sched_rr_get_interval, |a| {
    let pid = cint_arg(a[0])?;
    let mut t: libc::timespec = std::mem::zeroed();
    if libc::sched_rr_get_interval(pid, &mut t) < 0 {
        return oserr(null_mut(), null_mut());
    }
    nn(crate::floatobject::from_f64(
        t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9,
    ))
});

os_fn!(f_strerror, |a| {
    let code = cint_arg(a[0])?;
    let p = libc::strerror(code);
    nn(uni::decode_fs(CStr::from_ptr(p).to_bytes()))
});

os_fn!(f_urandom, |a| {
    let n = int_arg(a[0])?;
    if n < 0 {
        raise(&raw mut EXC_ValueError, "negative argument not allowed");
        return Err(());
    }
    let mut buf = vec![0u8; n as usize];
    let mut got = 0;
    while got < buf.len() {
        let r = libc::getrandom(buf[got..].as_mut_ptr().cast(), buf.len() - got, 0);
        if r < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return oserr(null_mut(), null_mut());
        }
        got += r as usize;
    }
    nn(crate::bytesobject::from_bytes(&buf))
});

os_fn!(f_getrandom, |a| {
    let n = int_arg(a[0])?;
    let flags = opt_int(a[1], 0)? as libc::c_uint;
    if n < 0 {
        return oserr_code(libc::EINVAL);
    }
    let mut buf = vec![0u8; n as usize];
    let r = libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), flags);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    buf.truncate(r as usize);
    nn(crate::bytesobject::from_bytes(&buf))
});

os_fn!(f_ctermid, |a| {
    let _ = a;
    let mut buf = [0 as libc::c_char; 64];
    let p = libc::ctermid(buf.as_mut_ptr());
    if p.is_null() {
        return oserr(null_mut(), null_mut());
    }
    nn(uni::decode_fs(CStr::from_ptr(p).to_bytes()))
});

os_fn!(f_sync, |a| {
    let _ = a;
    libc::sync();
    Ok(none())
});

os_fn!(f__exit, |a| {
    let code = cint_arg(a[0])?;
    libc::_exit(code)
});

os_fn!(f_abort, |a| {
    let _ = a;
    libc::abort()
});

os_fn!(f_unshare, |a| {
    let flags = cint_arg(a[0])?;
    check(libc::unshare(flags), null_mut(), null_mut())
});

os_fn!(f_setns, |a| {
    let fd = fd_arg(a[0])?;
    let t = opt_int(a[1], 0)? as c_int;
    check(libc::setns(fd, t), null_mut(), null_mut())
});

os_fn!(f_pidfd_open, |a| {
    let pid = cint_arg(a[0])?;
    let flags = opt_int(a[1], 0)?;
    let r = libc::syscall(libc::SYS_pidfd_open, pid, flags as libc::c_uint);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    Ok(int(r))
});

// wait status macros
macro_rules! wfn {
    ($name:ident, $f:ident, bool) => {
        os_fn!($name, |a| {
            let s = cint_arg(a[0])?;
            Ok(py_bool(libc::$f(s)))
        });
    };
    ($name:ident, $f:ident, int) => {
        os_fn!($name, |a| {
            let s = cint_arg(a[0])?;
            Ok(int(i64::from(libc::$f(s))))
        });
    };
}

wfn!(f_wcoredump, WCOREDUMP, bool);
wfn!(f_wifcontinued, WIFCONTINUED, bool);
wfn!(f_wifstopped, WIFSTOPPED, bool);
wfn!(f_wifsignaled, WIFSIGNALED, bool);
wfn!(f_wifexited, WIFEXITED, bool);
wfn!(f_wexitstatus, WEXITSTATUS, int);
wfn!(f_wtermsig, WTERMSIG, int);
wfn!(f_wstopsig, WSTOPSIG, int);

os_fn!(f_waitstatus_to_exitcode, |a| {
    let s = cint_arg(a[0])?;
    if libc::WIFEXITED(s) {
        return Ok(int(i64::from(libc::WEXITSTATUS(s))));
    }
    if libc::WIFSIGNALED(s) {
        return Ok(int(-i64::from(libc::WTERMSIG(s))));
    }
    if libc::WIFSTOPPED(s) {
        raise(
            &raw mut EXC_ValueError,
            &format!(
                "process stopped by delivery of signal {}",
                libc::WSTOPSIG(s)
            ),
        );
        return Err(());
    }
    raise(
        &raw mut EXC_ValueError,
        &format!("invalid wait status: {s}"),
    );
    Err(())
});

seq_type!(
    struct_rusage_type,
    c"resource.struct_rusage",
    16,
    [
        c"ru_utime",
        c"ru_stime",
        c"ru_maxrss",
        c"ru_ixrss",
        c"ru_idrss",
        c"ru_isrss",
        c"ru_minflt",
        c"ru_majflt",
        c"ru_nswap",
        c"ru_inblock",
        c"ru_oublock",
        c"ru_msgsnd",
        c"ru_msgrcv",
        c"ru_nsignals",
        c"ru_nvcsw",
        c"ru_nivcsw",
    ]
);

/// The `resource.struct_rusage` that `wait3`/`wait4` return beside the status (gilgate has
/// no `resource` module; the type is made here with CPython's name and fields).
fn rusage_obj(r: &libc::rusage) -> *mut PyObject {
    let secs = |t: libc::timeval| {
        crate::floatobject::from_f64(t.tv_sec as f64 + t.tv_usec as f64 * 0.000001)
    };
    let counts = [
        r.ru_maxrss,
        r.ru_ixrss,
        r.ru_idrss,
        r.ru_isrss,
        r.ru_minflt,
        r.ru_majflt,
        r.ru_nswap,
        r.ru_inblock,
        r.ru_oublock,
        r.ru_msgsnd,
        r.ru_msgrcv,
        r.ru_nsignals,
        r.ru_nvcsw,
        r.ru_nivcsw,
    ];
    let mut items = vec![secs(r.ru_utime), secs(r.ru_stime)];
    items.extend(counts.iter().map(|&c| int(c)));
    new_seq(struct_rusage_type(), items)
}

os_fn!(f_waitpid, |a| {
    let pid = cint_arg(a[0])?;
    let opts = cint_arg(a[1])?;
    let mut st: c_int = 0;
    let r = loop {
        let r = libc::waitpid(pid, &mut st, opts);
        if r < 0 && errno() == libc::EINTR {
            continue;
        }
        break r;
    };
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(r)), int(i64::from(st))])
});

os_fn!(f_wait, |a| {
    let _ = a;
    let mut st: c_int = 0;
    let r = libc::wait(&mut st);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(r)), int(i64::from(st))])
});

os_fn!(f_wait3, |a| {
    let opts = cint_arg(a[0])?;
    let mut st: c_int = 0;
    let mut ru: libc::rusage = std::mem::zeroed();
    let r = libc::wait4(-1, &mut st, opts, &mut ru);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(r)), int(i64::from(st)), rusage_obj(&ru)])
});

os_fn!(f_wait4, |a| {
    let pid = cint_arg(a[0])?;
    let opts = cint_arg(a[1])?;
    let mut st: c_int = 0;
    let mut ru: libc::rusage = std::mem::zeroed();
    let r = libc::wait4(pid, &mut st, opts, &mut ru);
    if r < 0 {
        return oserr(null_mut(), null_mut());
    }
    tuple_own(vec![int(i64::from(r)), int(i64::from(st)), rusage_obj(&ru)])
});

os_fn!(f_waitid, |a| {
    let idtype = cint_arg(a[0])?;
    let id = int_arg(a[1])? as libc::id_t;
    let opts = cint_arg(a[2])?;
    let mut si: libc::siginfo_t = std::mem::zeroed();
    if libc::waitid(idtype as libc::idtype_t, id, &mut si, opts) < 0 {
        return oserr(null_mut(), null_mut());
    }
    if si.si_pid() == 0 {
        return Ok(none());
    }
    nn(new_seq(
        waitid_result_type(),
        vec![
            int(i64::from(si.si_pid())),
            int(i64::from(si.si_uid())),
            int(i64::from(si.si_signo)),
            int(i64::from(si.si_status())),
            int(i64::from(si.si_code)),
        ],
    ))
});

os_fn!(f_major, |a| {
    let d = int_arg(a[0])? as libc::dev_t;
    Ok(int(i64::from(libc::major(d))))
});

os_fn!(f_minor, |a| {
    let d = int_arg(a[0])? as libc::dev_t;
    Ok(int(i64::from(libc::minor(d))))
});

os_fn!(f_makedev, |a| {
    let ma = int_arg(a[0])? as libc::c_uint;
    let mi = int_arg(a[1])? as libc::c_uint;
    nn(crate::longobject::from_i128(i128::from(libc::makedev(
        ma, mi,
    ))))
});

os_fn!(f_get_terminal_size, |a| {
    let fd = opt_int(a[0], 1)? as c_int;
    let mut w: libc::winsize = std::mem::zeroed();
    if libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) < 0 {
        return oserr(null_mut(), null_mut());
    }
    nn(new_seq(
        terminal_size_type(),
        vec![int(i64::from(w.ws_col)), int(i64::from(w.ws_row))],
    ))
});

os_fn!(f_openpty, |a| {
    let _ = a;
    let (mut m, mut s) = (0 as c_int, 0 as c_int);
    if libc::openpty(&mut m, &mut s, null_mut(), null_mut(), null_mut()) < 0 {
        return oserr(null_mut(), null_mut());
    }
    libc::fcntl(m, libc::F_SETFD, libc::FD_CLOEXEC);
    libc::fcntl(s, libc::F_SETFD, libc::FD_CLOEXEC);
    tuple_own(vec![int(i64::from(m)), int(i64::from(s))])
});

os_fn!(f_posix_openpt, |a| {
    let flags = cint_arg(a[0])?;
    int_or_oserr(libc::posix_openpt(flags | libc::O_CLOEXEC))
});

os_fn!(f_grantpt, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::grantpt(fd), null_mut(), null_mut())
});

os_fn!(f_unlockpt, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::unlockpt(fd), null_mut(), null_mut())
});

os_fn!(f_ptsname, |a| {
    let fd = fd_arg(a[0])?;
    let mut buf = [0 as libc::c_char; 128];
    let r = libc::ptsname_r(fd, buf.as_mut_ptr(), buf.len());
    if r != 0 {
        return oserr_code(r);
    }
    nn(uni::decode_fs(CStr::from_ptr(buf.as_ptr()).to_bytes()))
});

os_fn!(f_login_tty, |a| {
    let fd = fd_arg(a[0])?;
    check(libc::login_tty(fd), null_mut(), null_mut())
});

os_fn!(f_tcgetpgrp, |a| {
    let fd = cint_arg(a[0])?;
    int_or_oserr(libc::tcgetpgrp(fd))
});

os_fn!(f_tcsetpgrp, |a| {
    let fd = cint_arg(a[0])?;
    let pg = cint_arg(a[1])?;
    check(libc::tcsetpgrp(fd, pg), null_mut(), null_mut())
});

os_fn!(f_timerfd_create, |a| {
    let clock = cint_arg(a[0])?;
    let flags = opt_int(a[1], 0)? as c_int;
    int_or_oserr(libc::timerfd_create(clock, flags))
});

fn its_floats(v: &libc::itimerspec) -> R<*mut PyObject> {
    let f = |t: &libc::timespec| {
        crate::floatobject::from_f64(t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9)
    };
    tuple_own(vec![f(&v.it_value), f(&v.it_interval)])
}

fn its_ns(v: &libc::itimerspec) -> R<*mut PyObject> {
    let f = |t: &libc::timespec| {
        crate::longobject::from_i128(i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec))
    };
    tuple_own(vec![f(&v.it_value), f(&v.it_interval)])
}

fn ts_of_f(s: f64) -> libc::timespec {
    libc::timespec {
        tv_sec: s.trunc() as i64,
        tv_nsec: ((s - s.trunc()) * 1e9) as i64,
    }
}

fn ts_of_ns(n: i64) -> libc::timespec {
    libc::timespec {
        tv_sec: n.div_euclid(1_000_000_000),
        tv_nsec: n.rem_euclid(1_000_000_000),
    }
}

os_fn!(f_timerfd_gettime, |a| {
    let fd = fd_arg(a[0])?;
    let mut v: libc::itimerspec = std::mem::zeroed();
    if libc::timerfd_gettime(fd, &mut v) < 0 {
        return oserr(null_mut(), null_mut());
    }
    its_floats(&v)
});

os_fn!(f_timerfd_gettime_ns, |a| {
    let fd = fd_arg(a[0])?;
    let mut v: libc::itimerspec = std::mem::zeroed();
    if libc::timerfd_gettime(fd, &mut v) < 0 {
        return oserr(null_mut(), null_mut());
    }
    its_ns(&v)
});

unsafe fn float_arg(o: *mut PyObject, default: f64) -> R<f64> {
    if o.is_null() {
        return Ok(default);
    }
    // SAFETY: a live object.
    let v = unsafe { crate::floatobject::PyFloat_AsDouble(o) };
    if v == -1.0 && crate::pyerrors::occurred() {
        return Err(());
    }
    Ok(v)
}

os_fn!(f_timerfd_settime, |a| {
    let fd = fd_arg(a[0])?;
    let flags = opt_int(a[1], 0)? as c_int;
    let init = float_arg(a[2], 0.0)?;
    let intv = float_arg(a[3], 0.0)?;
    if init < 0.0 || intv < 0.0 {
        raise(&raw mut EXC_ValueError, "invalid value");
        return Err(());
    }
    let new = libc::itimerspec {
        it_value: ts_of_f(init),
        it_interval: ts_of_f(intv),
    };
    let mut old: libc::itimerspec = std::mem::zeroed();
    if libc::timerfd_settime(fd, flags, &new, &mut old) < 0 {
        return oserr(null_mut(), null_mut());
    }
    its_floats(&old)
});

os_fn!(f_timerfd_settime_ns, |a| {
    let fd = fd_arg(a[0])?;
    let flags = opt_int(a[1], 0)? as c_int;
    let init = opt_int(a[2], 0)?;
    let intv = opt_int(a[3], 0)?;
    let new = libc::itimerspec {
        it_value: ts_of_ns(init),
        it_interval: ts_of_ns(intv),
    };
    let mut old: libc::itimerspec = std::mem::zeroed();
    if libc::timerfd_settime(fd, flags, &new, &mut old) < 0 {
        return oserr(null_mut(), null_mut());
    }
    its_ns(&old)
});

os_fn!(f_system, |a| {
    let p = path_only("system", "command", a[0])?;
    let r = libc::system(p.c.as_ptr());
    Ok(int(i64::from(r)))
});

// ---- extended attributes ---------------------------------------------------------------------

/// Runs an xattr call on a path (following links or not) or an fd, growing the buffer.
unsafe fn xattr_read(
    t: &Target,
    follow: bool,
    call: impl Fn(Option<&CStr>, c_int, bool, *mut libc::c_char, usize) -> isize,
) -> R<Vec<u8>> {
    let mut size = 256usize;
    loop {
        let mut buf = vec![0u8; size];
        let r = match t {
            Target::Path(p) => call(Some(&p.c), -1, follow, buf.as_mut_ptr().cast(), size),
            Target::Fd(fd) => call(None, *fd, follow, buf.as_mut_ptr().cast(), size),
        };
        if r >= 0 {
            buf.truncate(r as usize);
            return Ok(buf);
        }
        let e = errno();
        if e == libc::ERANGE && size < 65536 * 16 {
            size *= 4;
            continue;
        }
        raise_errno(e, t.obj(), null_mut());
        return Err(());
    }
}

os_fn!(f_getxattr, |a| {
    let t = path_or_fd("getxattr", "path", a[0])?;
    let attr = path_only("getxattr", "attribute", a[1])?;
    let follow = opt_bool(a[2], true)?;
    let name = attr.c.clone();
    let v = xattr_read(&t, follow, |p, fd, fl, buf, n| match p {
        Some(p) if fl => libc::getxattr(p.as_ptr(), name.as_ptr(), buf.cast(), n),
        Some(p) => libc::lgetxattr(p.as_ptr(), name.as_ptr(), buf.cast(), n),
        None => libc::fgetxattr(fd, name.as_ptr(), buf.cast(), n),
    })?;
    nn(crate::bytesobject::from_bytes(&v))
});

os_fn!(f_listxattr, |a| {
    let t = if is_none(a[0]) {
        Target::Path(PathArg {
            obj: null_mut(),
            c: CString::from(c"."),
            bytes: false,
            _keep: None,
        })
    } else {
        match path_conv("listxattr", "path", a[0], true, true)? {
            Some(t) => t,
            None => return Err(()),
        }
    };
    let follow = opt_bool(a[1], true)?;
    let v = xattr_read(&t, follow, |p, fd, fl, buf, n| match p {
        Some(p) if fl => libc::listxattr(p.as_ptr(), buf, n),
        Some(p) => libc::llistxattr(p.as_ptr(), buf, n),
        None => libc::flistxattr(fd, buf, n),
    })?;
    list_own(
        v.split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(uni::decode_fs)
            .collect(),
    )
});

os_fn!(f_setxattr, |a| {
    let t = path_or_fd("setxattr", "path", a[0])?;
    let attr = path_only("setxattr", "attribute", a[1])?;
    let val = buffer_bytes(a[2])?;
    let flags = opt_int(a[3], 0)? as c_int;
    let follow = opt_bool(a[4], true)?;
    let n = attr.c.as_ptr();
    let r = match &t {
        Target::Path(p) if follow => {
            libc::setxattr(p.c.as_ptr(), n, val.as_ptr().cast(), val.len(), flags)
        }
        Target::Path(p) => libc::lsetxattr(p.c.as_ptr(), n, val.as_ptr().cast(), val.len(), flags),
        Target::Fd(fd) => libc::fsetxattr(*fd, n, val.as_ptr().cast(), val.len(), flags),
    };
    check(r, t.obj(), null_mut())
});

os_fn!(f_removexattr, |a| {
    let t = path_or_fd("removexattr", "path", a[0])?;
    let attr = path_only("removexattr", "attribute", a[1])?;
    let follow = opt_bool(a[2], true)?;
    let n = attr.c.as_ptr();
    let r = match &t {
        Target::Path(p) if follow => libc::removexattr(p.c.as_ptr(), n),
        Target::Path(p) => libc::lremovexattr(p.c.as_ptr(), n),
        Target::Fd(fd) => libc::fremovexattr(*fd, n),
    };
    check(r, t.obj(), null_mut())
});

// ---- fspath, fsencode, fsdecode --------------------------------------------------------------

os_fn!(f_fspath, |a| { nn(uni::PyOS_FSPath(a[0])) });

os_fn!(f_fsencode, |a| {
    let p = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(p.ptr())?;
    if crate::bytesobject::is_bytes(p.ptr()) {
        return Ok(p.into_raw());
    }
    let b = uni::encode_fs(p.ptr())?;
    nn(crate::bytesobject::from_bytes(&b))
});

os_fn!(f_fsdecode, |a| {
    let p = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(p.ptr())?;
    if uni::is_str(p.ptr()) {
        return Ok(p.into_raw());
    }
    nn(uni::decode_fs(crate::bytesobject::as_bytes(p.ptr())))
});

// ---- the environment -------------------------------------------------------------------------

/// The snapshot of the environment `environ` and `environb` share (bytes keys and values),
/// and the two mapping objects (addresses).
struct Env {
    data: usize,
    environ: usize,
    environb: usize,
}

static ENV: OnceLock<Env> = OnceLock::new();

pub(crate) fn env_data() -> *mut PyObject {
    ENV.get().map_or(null_mut(), |e| e.data as *mut PyObject)
}

/// Whether `op` is `environb` (keys and values are bytes).
fn is_environb(op: *mut PyObject) -> bool {
    ENV.get().is_some_and(|e| e.environb == op as usize)
}

/// A key or value of `environ` (str, encoded) or `environb` (bytes).
unsafe fn env_encode(op: *mut PyObject, v: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: live objects.
    unsafe {
        if is_environb(op) {
            if !crate::bytesobject::is_bytes(v) {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("bytes expected, not {}", type_name(v)),
                );
                return Err(());
            }
            return Ok(new_ref(v));
        }
        if !uni::is_str(v) {
            raise(
                &raw mut EXC_TypeError,
                &format!("str expected, not {}", type_name(v)),
            );
            return Err(());
        }
        let b = uni::encode_fs(v)?;
        nn(crate::bytesobject::from_bytes(&b))
    }
}

unsafe fn env_decode(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live bytes object.
    unsafe {
        if is_environb(op) {
            new_ref(v)
        } else {
            uni::decode_fs(crate::bytesobject::as_bytes(v))
        }
    }
}

/// `putenv(key, value)` on bytes (CPython's checks).
fn putenv_bytes(k: &[u8], v: &[u8]) -> R<()> {
    if k.contains(&b'=') {
        raise(&raw mut EXC_ValueError, "illegal environment variable name");
        return Err(());
    }
    if k.is_empty() {
        raise_errno(libc::EINVAL, null_mut(), null_mut());
        return Err(());
    }
    if k.contains(&0) || v.contains(&0) {
        raise(&raw mut EXC_ValueError, "embedded null byte");
        return Err(());
    }
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: std's environment lock orders this against every std::env access; the
    // name and value were checked as `set_var` requires.
    unsafe {
        std::env::set_var(
            std::ffi::OsStr::from_bytes(k),
            std::ffi::OsStr::from_bytes(v),
        )
    };
    Ok(())
}

fn unsetenv_bytes(k: &[u8]) -> R<()> {
    if k.is_empty() || k.contains(&b'=') {
        raise_errno(libc::EINVAL, null_mut(), null_mut());
        return Err(());
    }
    if k.contains(&0) {
        raise(&raw mut EXC_ValueError, "embedded null byte");
        return Err(());
    }
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: as putenv_bytes.
    unsafe { std::env::remove_var(std::ffi::OsStr::from_bytes(k)) };
    Ok(())
}

/// An environment argument of `putenv`/`unsetenv`: str (encoded) or bytes.
unsafe fn env_arg(o: *mut PyObject) -> R<Vec<u8>> {
    // SAFETY: a live object.
    unsafe {
        if crate::bytesobject::is_bytes(o) {
            return Ok(crate::bytesobject::as_bytes(o).to_vec());
        }
        let p = Obj::new(uni::PyOS_FSPath(o));
        nn(p.ptr())?;
        if crate::bytesobject::is_bytes(p.ptr()) {
            return Ok(crate::bytesobject::as_bytes(p.ptr()).to_vec());
        }
        uni::encode_fs(p.ptr())
    }
}

os_fn!(f_putenv, |a| {
    let k = env_arg(a[0])?;
    let v = env_arg(a[1])?;
    putenv_bytes(&k, &v)?;
    Ok(none())
});

os_fn!(f_unsetenv, |a| {
    let k = env_arg(a[0])?;
    unsetenv_bytes(&k)?;
    Ok(none())
});

unsafe fn env_getitem(op: *mut PyObject, key: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: live objects.
    unsafe {
        let k = Obj::new(env_encode(op, key)?);
        let v = crate::dictobject::get(env_data(), k.ptr());
        if v.is_null() {
            if !crate::pyerrors::occurred() {
                crate::dictobject::key_error(key);
            }
            return Err(());
        }
        nn(env_decode(op, v))
    }
}

/// Orders the changes of the process environment with the snapshot's (each `putenv` or
/// `unsetenv` and its dict update happen as one step, so threads racing on one key leave the
/// two agreeing); held only around calls that run no Python code.
static ENV_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

unsafe fn env_setitem(op: *mut PyObject, key: *mut PyObject, val: *mut PyObject) -> R<()> {
    // SAFETY: live objects (val NULL: delete).
    unsafe {
        let k = Obj::new(env_encode(op, key)?);
        let v = if val.is_null() {
            None
        } else {
            Some(Obj::new(env_encode(op, val)?))
        };
        let _g = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        if v.is_none() {
            unsetenv_bytes(crate::bytesobject::as_bytes(k.ptr()))?;
            if crate::dictobject::del_item(env_data(), k.ptr()) < 0 {
                crate::pyerrors::clear();
                crate::dictobject::key_error(key);
                return Err(());
            }
            return Ok(());
        }
        let Some(v) = v else { return Err(()) };
        putenv_bytes(
            crate::bytesobject::as_bytes(k.ptr()),
            crate::bytesobject::as_bytes(v.ptr()),
        )?;
        if crate::dictobject::set_item(env_data(), k.ptr(), v.ptr()) < 0 {
            return Err(());
        }
        Ok(())
    }
}

unsafe extern "C" fn env_mp_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    done(unsafe { env_getitem(op, key) })
}

unsafe extern "C" fn env_mp_ass(op: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: slot contract.
    if unsafe { env_setitem(op, key, v) }.is_ok() {
        0
    } else {
        -1
    }
}

unsafe extern "C" fn env_len(_op: *mut PyObject) -> isize {
    // SAFETY: the live snapshot dict.
    unsafe { crate::dictobject::len(env_data()) }
}

/// The keys (decoded for `environ`) as a list.
unsafe fn env_keys(op: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: the live snapshot dict; owned keys are released.
    unsafe {
        let keys = crate::dictobject::owned_keys(env_data());
        let out: Vec<*mut PyObject> = keys.iter().map(|&k| env_decode(op, k)).collect();
        for k in keys {
            decref(k);
        }
        list_own(out)
    }
}

unsafe extern "C" fn env_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let Ok(l) = env_keys(op) else {
            return null_mut();
        };
        let it = crate::abstract_::PyObject_GetIter(l);
        decref(l);
        it
    }
}

/// A plain dict of the decoded items.
unsafe fn env_dict(op: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: the live snapshot dict; owned entries are released.
    unsafe {
        let d = Obj::new(crate::dictobject::new_dict());
        nn(d.ptr())?;
        let entries = crate::dictobject::owned_entries(env_data());
        let mut ok = true;
        for &(k, v) in &entries {
            let kk = Obj::new(env_decode(op, k));
            let vv = Obj::new(env_decode(op, v));
            if kk.is_null()
                || vv.is_null()
                || crate::dictobject::set_item(d.ptr(), kk.ptr(), vv.ptr()) < 0
            {
                ok = false;
                break;
            }
        }
        crate::dictobject::release_entries(entries);
        if ok { Ok(d.into_raw()) } else { Err(()) }
    }
}

unsafe extern "C" fn env_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let Ok(d) = env_dict(op) else {
            return null_mut();
        };
        let d = Obj::new(d);
        let r = crate::object::repr_string(d.ptr());
        if crate::pyerrors::occurred() {
            return null_mut();
        }
        uni::from_str(&format!("environ({r})"))
    }
}

unsafe fn m_env_getitem(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    done(unsafe { env_getitem(a[0], a[1]) })
}
unsafe fn m_env_setitem(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    done(unsafe { env_setitem(a[0], a[1], a[2]) }.map(|()| none()))
}
unsafe fn m_env_delitem(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    done(unsafe { env_setitem(a[0], a[1], null_mut()) }.map(|()| none()))
}
unsafe fn m_env_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { env_iter(a[0]) }
}
unsafe fn m_env_len(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: the live snapshot dict.
    int(unsafe { crate::dictobject::len(env_data()) } as i64)
}
unsafe fn m_env_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { env_repr(a[0]) }
}
unsafe fn m_env_copy(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    done(unsafe { env_dict(a[0]) })
}
unsafe fn m_env_setdefault(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let k = Obj::new(match env_encode(a[0], a[1]) {
            Ok(k) => k,
            Err(()) => return null_mut(),
        });
        if crate::dictobject::get(env_data(), k.ptr()).is_null()
            && env_setitem(a[0], a[1], a[2]).is_err()
        {
            return null_mut();
        }
        done(env_getitem(a[0], a[1]))
    }
}

/// `environ | other` / `other | environ`: a new dict.
unsafe fn env_or(a: &[*mut PyObject], reflected: bool) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        if !is_mapping(a[1]) {
            return crate::abc::not_implemented();
        }
        let Ok(d) = env_dict(a[0]) else {
            return null_mut();
        };
        let d = Obj::new(d);
        if reflected {
            let n = Obj::new(crate::dictobject::new_dict());
            if call_method(n.ptr(), "update", &[a[1]]).is_null()
                || call_method(n.ptr(), "update", &[d.ptr()]).is_null()
            {
                return null_mut();
            }
            return n.into_raw();
        }
        if call_method(d.ptr(), "update", &[a[1]]).is_null() {
            return null_mut();
        }
        d.into_raw()
    }
}
unsafe fn m_env_or(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { env_or(a, false) }
}
unsafe fn m_env_ror(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { env_or(a, true) }
}
unsafe fn m_env_ior(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        if call_method(a[0], "update", &[a[1]]).is_null() {
            return null_mut();
        }
        new_ref(a[0])
    }
}

static ENVIRON_FUNCS: [FuncDef; 11] = [
    FuncDef::new(
        "_Environ.__getitem__",
        &["self", "key"],
        2,
        Kind::Method,
        m_env_getitem,
    ),
    FuncDef::new(
        "_Environ.__setitem__",
        &["self", "key", "value"],
        3,
        Kind::Method,
        m_env_setitem,
    ),
    FuncDef::new(
        "_Environ.__delitem__",
        &["self", "key"],
        2,
        Kind::Method,
        m_env_delitem,
    ),
    FuncDef::new("_Environ.__iter__", &["self"], 1, Kind::Method, m_env_iter),
    FuncDef::new("_Environ.__len__", &["self"], 1, Kind::Method, m_env_len),
    FuncDef::new("_Environ.__repr__", &["self"], 1, Kind::Method, m_env_repr),
    FuncDef::new("_Environ.copy", &["self"], 1, Kind::Method, m_env_copy),
    FuncDef::new(
        "_Environ.setdefault",
        &["self", "key", "value"],
        3,
        Kind::Method,
        m_env_setdefault,
    ),
    FuncDef::new(
        "_Environ.__or__",
        &["self", "other"],
        2,
        Kind::Method,
        m_env_or,
    ),
    FuncDef::new(
        "_Environ.__ror__",
        &["self", "other"],
        2,
        Kind::Method,
        m_env_ror,
    ),
    FuncDef::new(
        "_Environ.__ior__",
        &["self", "other"],
        2,
        Kind::Method,
        m_env_ior,
    ),
];

unsafe extern "C" fn env_nb_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        if ENV
            .get()
            .is_some_and(|e| e.environ == a as usize || e.environb == a as usize)
        {
            env_or(&[a, b], false)
        } else {
            env_or(&[b, a], true)
        }
    }
}

unsafe extern "C" fn env_nb_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe { m_env_ior(&[a, b], null_mut()) }
}

/// Builds `_Environ`, the snapshot and the two mappings.
unsafe fn make_environ() -> R<()> {
    // SAFETY: live objects; the class is a fresh heap type whose slot tables are its own.
    unsafe {
        let cabc = crate::collections_abc::module();
        nn(cabc)?;
        let mm = crate::abc::getattr(cabc, "MutableMapping");
        nn(mm.ptr())?;
        let cls = crate::abc::make_class(
            crate::abc::abcmeta(),
            "os",
            "_Environ",
            &[mm.ptr()],
            &ENVIRON_FUNCS,
            &[],
        );
        nn(cls.ptr())?;
        let t = cls.ptr().cast::<PyTypeObject>();
        if (*t).tp_as_mapping.is_null()
            || (*t).tp_as_sequence.is_null()
            || (*t).tp_as_number.is_null()
        {
            crate::pyerrors::set_system_error("gilgate: _Environ has no slot tables");
            return Err(());
        }
        (*(*t).tp_as_mapping).mp_subscript = Some(env_mp_subscript);
        (*(*t).tp_as_mapping).mp_ass_subscript = Some(env_mp_ass);
        (*(*t).tp_as_mapping).mp_length = Some(env_len);
        (*(*t).tp_as_sequence).sq_length = Some(env_len);
        (*(*t).tp_as_number).nb_or = Some(env_nb_or);
        (*(*t).tp_as_number).nb_inplace_or = Some(env_nb_ior);
        (*t).tp_iter = Some(env_iter);
        (*t).tp_repr = Some(env_repr);
        let data = crate::dictobject::new_dict();
        nn(data)?;
        use std::os::unix::ffi::OsStrExt;
        for (k, v) in std::env::vars_os() {
            let kk = Obj::new(crate::bytesobject::from_bytes(k.as_bytes()));
            let vv = Obj::new(crate::bytesobject::from_bytes(v.as_bytes()));
            if kk.is_null()
                || vv.is_null()
                || crate::dictobject::set_item(data, kk.ptr(), vv.ptr()) < 0
            {
                return Err(());
            }
        }
        let e = crate::abc::call(cls.ptr(), &[]);
        let eb = crate::abc::call(cls.ptr(), &[]);
        nn(e.ptr())?;
        nn(eb.ptr())?;
        let _ = ENV.set(Env {
            data: data as usize,
            environ: e.into_raw() as usize,
            environb: eb.into_raw() as usize,
        });
        Ok(())
    }
}

os_fn!(f_getenv, |a| {
    let e = ENV.get().map_or(null_mut(), |e| e.environ as *mut PyObject);
    match env_getitem(e, a[0]) {
        Ok(v) => Ok(v),
        Err(()) if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError) => {
            crate::pyerrors::clear();
            Ok(new_ref(if a[1].is_null() {
                crate::object::none()
            } else {
                a[1]
            }))
        }
        Err(()) => Err(()),
    }
});

os_fn!(f_getenvb, |a| {
    let e = ENV
        .get()
        .map_or(null_mut(), |e| e.environb as *mut PyObject);
    match env_getitem(e, a[0]) {
        Ok(v) => Ok(v),
        Err(()) if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_KeyError) => {
            crate::pyerrors::clear();
            Ok(new_ref(if a[1].is_null() {
                crate::object::none()
            } else {
                a[1]
            }))
        }
        Err(()) => Err(()),
    }
});

os_fn!(f_reload_environ, |a| {
    let _ = a;
    let data = env_data();
    let _g = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    crate::dictobject::PyDict_Clear(data);
    use std::os::unix::ffi::OsStrExt;
    for (k, v) in std::env::vars_os() {
        let kk = Obj::new(crate::bytesobject::from_bytes(k.as_bytes()));
        let vv = Obj::new(crate::bytesobject::from_bytes(v.as_bytes()));
        if kk.is_null() || vv.is_null() || crate::dictobject::set_item(data, kk.ptr(), vv.ptr()) < 0
        {
            return Err(());
        }
    }
    Ok(none())
});

// `get_exec_path(env=None)`: the `PATH` entries of `env` (default `environ`), else
// `defpath`.
os_fn!(f_get_exec_path, |a| {
    let env = if is_none(a[0]) {
        ENV.get().map_or(null_mut(), |e| e.environ as *mut PyObject)
    } else {
        a[0]
    };
    let get = |k: *mut PyObject| -> R<Option<Obj>> {
        let v = call_method(env, "get", &[k]);
        nn(v.ptr())?;
        Ok(if v.ptr() == crate::object::none() {
            None
        } else {
            Some(v)
        })
    };
    let s = Obj::new(uni::from_str("PATH"));
    let b = Obj::new(crate::bytesobject::from_bytes(b"PATH"));
    let vs = get(s.ptr())?;
    let vb = if is_environb(env) || ENV.get().is_some_and(|e| e.environ == env as usize) {
        None
    } else {
        match get(b.ptr()) {
            Ok(v) => v,
            Err(()) => {
                if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    crate::pyerrors::clear();
                    None
                } else {
                    return Err(());
                }
            }
        }
    };
    if vs.is_some() && vb.is_some() {
        raise(
            &raw mut EXC_ValueError,
            "env cannot contain 'PATH' and b'PATH' keys",
        );
        return Err(());
    }
    let text: Vec<u8> = match (vs, vb) {
        (Some(v), _) => {
            if crate::bytesobject::is_bytes(v.ptr()) {
                crate::bytesobject::as_bytes(v.ptr()).to_vec()
            } else {
                let p = Obj::new(uni::PyOS_FSPath(v.ptr()));
                nn(p.ptr())?;
                if crate::bytesobject::is_bytes(p.ptr()) {
                    crate::bytesobject::as_bytes(p.ptr()).to_vec()
                } else {
                    uni::encode_fs(p.ptr())?
                }
            }
        }
        (None, Some(v)) => {
            let p = Obj::new(uni::PyOS_FSPath(v.ptr()));
            nn(p.ptr())?;
            if crate::bytesobject::is_bytes(p.ptr()) {
                crate::bytesobject::as_bytes(p.ptr()).to_vec()
            } else {
                uni::encode_fs(p.ptr())?
            }
        }
        (None, None) => b"/bin:/usr/bin".to_vec(),
    };
    list_own(text.split(|&c| c == b':').map(uni::decode_fs).collect())
});

/// `isinstance(o, collections.abc.Mapping)` (an error counts as False).
unsafe fn is_mapping(o: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe {
        let m = crate::collections_abc::module();
        if m.is_null() {
            crate::pyerrors::clear();
            return false;
        }
        let c = crate::abc::getattr(m, "Mapping");
        if c.is_null() {
            crate::pyerrors::clear();
            return false;
        }
        let r = crate::abstract_::PyObject_IsInstance(o, c.ptr());
        if r < 0 {
            crate::pyerrors::clear();
        }
        r > 0
    }
}

// ---- PathLike ----------------------------------------------------------------------------------

unsafe fn m_pathlike_fspath(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise(&raw mut crate::pyerrors::EXC_NotImplementedError, "")
}

unsafe fn m_pathlike_hook(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        if Some(a[0] as usize) == PATHLIKE.get().copied() {
            return crate::collections_abc::check_methods(a[1], &["__fspath__"]);
        }
        crate::abc::not_implemented()
    }
}

unsafe fn m_class_getitem(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { crate::genericaliasobject::Py_GenericAlias(a[0], a[1]) }
}

static PATHLIKE: OnceLock<usize> = OnceLock::new();

static PATHLIKE_FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "PathLike.__fspath__",
        &["self"],
        1,
        Kind::Abstract,
        m_pathlike_fspath,
    ),
    FuncDef::new(
        "PathLike.__subclasshook__",
        &["cls", "subclass"],
        2,
        Kind::Class,
        m_pathlike_hook,
    ),
    FuncDef::new(
        "PathLike.__class_getitem__",
        &["cls", "item"],
        2,
        Kind::Class,
        m_class_getitem,
    ),
];

// ---- DirEntry and scandir --------------------------------------------------------------------

static DIRENTRY: OnceLock<usize> = OnceLock::new();
static SCANDIR_ITER: OnceLock<usize> = OnceLock::new();

/// An attribute kept in an instance's dict.
unsafe fn slot(op: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: a live instance with a dict.
    unsafe {
        let d = crate::typeobject::PyObject_GenericGetDict(op, null_mut());
        if d.is_null() {
            return null_mut();
        }
        let v = crate::dictobject::get_str(d, name);
        decref(d);
        if v.is_null() {
            raise(&raw mut crate::pyerrors::EXC_AttributeError, name);
        }
        v
    }
}

unsafe fn set_slot(op: *mut PyObject, name: &str, v: *mut PyObject) -> R<()> {
    // SAFETY: a live instance with a dict; `v` a new reference (released).
    unsafe {
        let v = Obj::new(v);
        nn(v.ptr())?;
        let d = crate::typeobject::PyObject_GenericGetDict(op, null_mut());
        nn(d)?;
        let r = crate::dictobject::set_item_str(d, name, v.ptr());
        decref(d);
        if r < 0 { Err(()) } else { Ok(()) }
    }
}

/// A new `DirEntry` for `name` in the directory `dir` (bytes; `bytes`: results are bytes).
unsafe fn new_direntry(
    dir: &[u8],
    name: &[u8],
    d_type: u8,
    ino: u64,
    bytes: bool,
    dfd: c_int,
) -> R<*mut PyObject> {
    // SAFETY: the DirEntry class is live; a fresh instance is filled.
    unsafe {
        let t = *DIRENTRY.get().unwrap_or(&0) as *mut PyTypeObject;
        if t.is_null() {
            crate::pyerrors::set_system_error("gilgate: os.DirEntry is not ready");
            return Err(());
        }
        let op = Obj::new(crate::objimpl::PyType_GenericAlloc(t, 0));
        nn(op.ptr())?;
        let mut path = dir.to_vec();
        if dfd == libc::AT_FDCWD {
            if !path.is_empty() && !path.ends_with(b"/") {
                path.push(b'/');
            }
            path.extend_from_slice(name);
        } else {
            path = name.to_vec();
        }
        set_slot(op.ptr(), "name", fs_out(name, bytes))?;
        set_slot(op.ptr(), "path", fs_out(&path, bytes))?;
        set_slot(op.ptr(), "_d_type", int(i64::from(d_type)))?;
        set_slot(
            op.ptr(),
            "_d_ino",
            crate::longobject::from_i128(i128::from(ino)),
        )?;
        set_slot(op.ptr(), "_dir_fd", int(i64::from(dfd)))?;
        Ok(op.into_raw())
    }
}

/// The entry's own stat (cached in its dict), following links or not.
unsafe fn entry_stat(op: *mut PyObject, follow: bool) -> R<*mut PyObject> {
    // SAFETY: a live DirEntry.
    unsafe {
        let key = if follow { "_stat" } else { "_lstat" };
        let d = crate::typeobject::PyObject_GenericGetDict(op, null_mut());
        nn(d)?;
        let d = Obj::new(d);
        let c = crate::dictobject::get_str(d.ptr(), key);
        if !c.is_null() {
            return Ok(new_ref(c));
        }
        let dfd = int_arg(slot(op, "_dir_fd"))? as c_int;
        let (po, name) = if dfd == libc::AT_FDCWD {
            (slot(op, "path"), "path")
        } else {
            (slot(op, "name"), "name")
        };
        nn(po)?;
        let p = path_only("DirEntry.stat", name, po)?;
        let st = match do_stat(&Target::Path(p), dfd, follow) {
            Ok(st) => st,
            Err(e) => {
                raise_errno(e, slot(op, "path"), null_mut());
                return Err(());
            }
        };
        let r = nn(stat_result(&st))?;
        crate::dictobject::set_item_str(d.ptr(), key, r);
        Ok(r)
    }
}

const DT_UNKNOWN: u8 = 0;
const DT_DIR: u8 = 4;
const DT_REG: u8 = 8;
const DT_LNK: u8 = 10;

/// Whether the entry's type (from `d_type`, else its stat) is `want` (`S_IFDIR`, ...).
unsafe fn entry_is(op: *mut PyObject, want: u32, dt: u8, follow: bool) -> R<bool> {
    // SAFETY: a live DirEntry.
    unsafe {
        let d_type = int_arg(slot(op, "_d_type"))? as u8;
        if d_type != DT_UNKNOWN && !(follow && d_type == DT_LNK) {
            return Ok(d_type == dt);
        }
        match entry_stat(op, follow) {
            Ok(st) => {
                let st = Obj::new(st);
                let m = int_arg(crate::tupleobject::items(st.ptr())[0])? as u32;
                Ok(m & 0o170000 == want)
            }
            Err(()) => {
                if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_FileNotFoundError)
                {
                    crate::pyerrors::clear();
                    Ok(false)
                } else {
                    Err(())
                }
            }
        }
    }
}

macro_rules! entry_method {
    ($name:ident, |$op:ident, $a:ident| $body:block) => {
        #[allow(unused_unsafe, clippy::redundant_closure_call)]
        unsafe fn $name($a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
            let $op = $a[0];
            // SAFETY: a live DirEntry and arguments (Func contract).
            unsafe { done((|| -> R<*mut PyObject> { $body })()) }
        }
    };
}

entry_method!(m_entry_is_dir, |op, a| {
    let f = opt_bool(a[1], true)?;
    Ok(py_bool(entry_is(op, 0o040000, DT_DIR, f)?))
});
entry_method!(m_entry_is_file, |op, a| {
    let f = opt_bool(a[1], true)?;
    Ok(py_bool(entry_is(op, 0o100000, DT_REG, f)?))
});
entry_method!(m_entry_is_symlink, |op, a| {
    let _ = a;
    Ok(py_bool(entry_is(op, 0o120000, DT_LNK, false)?))
});
entry_method!(m_entry_is_junction, |op, a| {
    let _ = (op, a);
    Ok(py_bool(false))
});
entry_method!(m_entry_stat, |op, a| {
    let f = opt_bool(a[1], true)?;
    let d_type = int_arg(slot(op, "_d_type"))? as u8;
    if f && d_type != DT_LNK && d_type != DT_UNKNOWN {
        return entry_stat(op, false);
    }
    entry_stat(op, f)
});
entry_method!(m_entry_inode, |op, a| {
    let _ = a;
    nn(new_ref(slot(op, "_d_ino")))
});
entry_method!(m_entry_fspath, |op, a| {
    let _ = a;
    nn(new_ref(slot(op, "path")))
});
entry_method!(m_entry_repr, |op, a| {
    let _ = a;
    let n = nn(slot(op, "name"))?;
    let r = crate::object::repr_string(n);
    nn(uni::from_str(&format!("<DirEntry {r}>")))
});

unsafe extern "C" fn direntry_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe { m_entry_repr(&[op], null_mut()) }
}

unsafe extern "C" fn no_new(
    t: *mut PyTypeObject,
    _a: *mut PyObject,
    _k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a live type.
    let n = unsafe { CStr::from_ptr((*t).tp_name) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: a live type.
    let m = unsafe { crate::abc::getattr(t.cast(), "__module__") };
    let m = if m.is_null() {
        None
    } else {
        // SAFETY: a live object.
        unsafe { uni::as_str(m.ptr()) }
    };
    crate::pyerrors::clear();
    let full = match m {
        Some(m) if m != "builtins" => format!("{m}.{n}"),
        _ => n,
    };
    raise(
        &raw mut EXC_TypeError,
        &format!("cannot create '{full}' instances"),
    )
}

static DIRENTRY_FUNCS: [FuncDef; 9] = [
    FuncDef::new(
        "DirEntry.is_dir",
        &["self", "follow_symlinks"],
        1,
        Kind::Method,
        m_entry_is_dir,
    ),
    FuncDef::new(
        "DirEntry.is_file",
        &["self", "follow_symlinks"],
        1,
        Kind::Method,
        m_entry_is_file,
    ),
    FuncDef::new(
        "DirEntry.is_symlink",
        &["self"],
        1,
        Kind::Method,
        m_entry_is_symlink,
    ),
    FuncDef::new(
        "DirEntry.is_junction",
        &["self"],
        1,
        Kind::Method,
        m_entry_is_junction,
    ),
    FuncDef::new(
        "DirEntry.stat",
        &["self", "follow_symlinks"],
        1,
        Kind::Method,
        m_entry_stat,
    ),
    FuncDef::new("DirEntry.inode", &["self"], 1, Kind::Method, m_entry_inode),
    FuncDef::new(
        "DirEntry.__fspath__",
        &["self"],
        1,
        Kind::Method,
        m_entry_fspath,
    ),
    FuncDef::new(
        "DirEntry.__repr__",
        &["self"],
        1,
        Kind::Method,
        m_entry_repr,
    ),
    FuncDef::new(
        "DirEntry.__class_getitem__",
        &["cls", "item"],
        2,
        Kind::Class,
        m_class_getitem,
    ),
];

entry_method!(m_scan_iter, |op, a| {
    let _ = a;
    Ok(new_ref(op))
});
entry_method!(m_scan_next, |op, a| {
    let _ = a;
    let it = nn(slot(op, "_it"))?;
    let v = crate::abstract_::PyIter_Next(it);
    if v.is_null() {
        if !crate::pyerrors::occurred() {
            raise(&raw mut crate::pyerrors::EXC_StopIteration, "");
            crate::pyerrors::clear();
            crate::pyerrors::PyErr_SetNone((&raw mut crate::pyerrors::EXC_StopIteration).cast());
        }
        return Err(());
    }
    Ok(v)
});
entry_method!(m_scan_close, |op, a| {
    let _ = a;
    let empty = Obj::new(crate::tupleobject::from_slice(&[]));
    set_slot(op, "_it", crate::abstract_::PyObject_GetIter(empty.ptr()))?;
    Ok(none())
});
entry_method!(m_scan_exit, |op, a| {
    m_scan_close(&[op], null_mut());
    if crate::pyerrors::occurred() {
        return Err(());
    }
    let _ = a;
    Ok(none())
});

unsafe extern "C" fn scan_iternext(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let it = slot(op, "_it");
        if it.is_null() {
            return null_mut();
        }
        crate::abstract_::PyIter_Next(it)
    }
}

unsafe extern "C" fn self_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe { new_ref(op) }
}

static SCANDIR_FUNCS: [FuncDef; 5] = [
    FuncDef::new(
        "ScandirIterator.__iter__",
        &["self"],
        1,
        Kind::Method,
        m_scan_iter,
    ),
    FuncDef::new(
        "ScandirIterator.__next__",
        &["self"],
        1,
        Kind::Method,
        m_scan_next,
    ),
    FuncDef::new(
        "ScandirIterator.close",
        &["self"],
        1,
        Kind::Method,
        m_scan_close,
    ),
    FuncDef::new(
        "ScandirIterator.__enter__",
        &["self"],
        1,
        Kind::Method,
        m_scan_iter,
    ),
    FuncDef::new(
        "ScandirIterator.__exit__",
        &["self"],
        1,
        Kind::Method,
        m_scan_exit,
    )
    .with_varargs(),
];

/// The `DirEntry` objects of a directory as a list.
unsafe fn scandir_list(t: &Target, bytes: bool, obj: *mut PyObject) -> R<Vec<*mut PyObject>> {
    // SAFETY: forwarded.
    unsafe {
        let entries = match list_dir(t) {
            Ok(v) => v,
            Err(e) => {
                raise_errno(e, obj, null_mut());
                return Err(());
            }
        };
        let (dir, dfd) = match t {
            Target::Path(p) => (p.c.as_bytes().to_vec(), libc::AT_FDCWD),
            Target::Fd(fd) => (Vec::new(), *fd),
        };
        let mut out = Vec::new();
        for (name, dt, ino) in entries {
            match new_direntry(&dir, &name, dt, ino, bytes, dfd) {
                Ok(e) => out.push(e),
                Err(()) => {
                    for e in out {
                        decref(e);
                    }
                    return Err(());
                }
            }
        }
        Ok(out)
    }
}

os_fn!(f_scandir, |a| {
    let t = path_conv("scandir", "path", a[0], true, true)?;
    let (t, bytes, obj) = match t {
        Some(t) => {
            let b = matches!(&t, Target::Path(p) if p.bytes);
            let o = t.obj();
            (t, b, o)
        }
        None => (
            Target::Path(PathArg {
                obj: null_mut(),
                c: CString::from(c"."),
                bytes: false,
                _keep: None,
            }),
            false,
            uni::intern("."),
        ),
    };
    let items = scandir_list(&t, bytes, obj)?;
    // CPython's paths for scandir(None) and scandir('.') are './name'; for '' the name
    let l = Obj::new(list_own(items)?);
    let cls = *SCANDIR_ITER.get().unwrap_or(&0) as *mut PyTypeObject;
    let it = Obj::new(crate::objimpl::PyType_GenericAlloc(cls, 0));
    nn(it.ptr())?;
    set_slot(it.ptr(), "_it", crate::abstract_::PyObject_GetIter(l.ptr()))?;
    Ok(it.into_raw())
});

// ---- walk, fwalk -----------------------------------------------------------------------------

static WALK_ITER: OnceLock<usize> = OnceLock::new();

/// `a/b` as `posixpath.join` makes it for two parts of one type.
pub(crate) fn join_bytes(a: &[u8], b: &[u8]) -> Vec<u8> {
    if b.starts_with(b"/") {
        return b.to_vec();
    }
    let mut v = a.to_vec();
    if !v.is_empty() && !v.ends_with(b"/") {
        v.push(b'/');
    }
    v.extend_from_slice(b);
    v
}

/// The bytes of a str or bytes object (file-system encoded).
pub(crate) unsafe fn os_bytes(o: *mut PyObject) -> R<(Vec<u8>, bool)> {
    // SAFETY: a live object.
    unsafe {
        let p = Obj::new(uni::PyOS_FSPath(o));
        nn(p.ptr())?;
        if crate::bytesobject::is_bytes(p.ptr()) {
            Ok((crate::bytesobject::as_bytes(p.ptr()).to_vec(), true))
        } else {
            Ok((uni::encode_fs(p.ptr())?, false))
        }
    }
}

/// Whether `p` (bytes) is a directory (following links or not); errors count as False.
fn is_dir_bytes(p: &[u8], follow: bool) -> bool {
    CString::new(p)
        .ok()
        .and_then(|c| stat_bytes(&c, follow).ok())
        .is_some_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR)
}

fn is_link_bytes(p: &[u8]) -> bool {
    CString::new(p)
        .ok()
        .and_then(|c| stat_bytes(&c, false).ok())
        .is_some_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFLNK)
}

/// One walk step over the state in the iterator's dict; Ok(None) when exhausted.
unsafe fn walk_step(op: *mut PyObject) -> R<Option<*mut PyObject>> {
    // SAFETY: a live walk iterator whose dict holds the state.
    unsafe {
        let stack = nn(slot(op, "_stack"))?;
        let topdown = crate::abc::truth(nn(slot(op, "_topdown"))?)?;
        let follow = crate::abc::truth(nn(slot(op, "_followlinks"))?)?;
        let onerror = nn(slot(op, "_onerror"))?;
        let fwalk_fd = nn(slot(op, "_fwalk"))?;
        let is_fwalk = fwalk_fd != crate::object::none();
        // close the fd handed out by the last fwalk step
        let lastfd = slot(op, "_lastfd");
        if !lastfd.is_null() && lastfd != crate::object::none() {
            libc::close(int_arg(lastfd)? as c_int);
            set_slot(op, "_lastfd", none())?;
        } else if lastfd.is_null() {
            crate::pyerrors::clear();
        }
        // the directories of the last top-down step, as the caller left them
        let pending = slot(op, "_pending");
        if !pending.is_null() && pending != crate::object::none() {
            let pending = Obj::new(new_ref(pending));
            set_slot(op, "_pending", none())?;
            let it = crate::tupleobject::items(pending.ptr());
            let (top, bytes) = os_bytes(it[0])?;
            let dirs = crate::abc::collect(it[1])?;
            for d in dirs.iter().rev() {
                let (name, _) = os_bytes(d.ptr())?;
                let np = join_bytes(&top, &name);
                if follow || !is_link_bytes(&np) {
                    let o = Obj::new(fs_out(&np, bytes));
                    nn(o.ptr())?;
                    crate::listobject::append(stack, o.ptr());
                }
            }
        } else if pending.is_null() {
            crate::pyerrors::clear();
        }
        loop {
            let n = crate::listobject::items(stack).len();
            if n == 0 {
                return Ok(None);
            }
            let top = Obj::new(new_ref(crate::listobject::items(stack)[n - 1]));
            if crate::listobject::PyList_SetSlice(stack, (n - 1) as isize, n as isize, null_mut())
                < 0
            {
                return Err(());
            }
            if crate::tupleobject::is_tuple(top.ptr()) {
                if is_fwalk {
                    let it = crate::tupleobject::items(top.ptr());
                    let (tb, _) = os_bytes(it[0])?;
                    let fd = open_dir_fd(&tb, fwalk_fd, true)?;
                    set_slot(op, "_lastfd", int(i64::from(fd)))?;
                    return tuple_own(vec![
                        new_ref(it[0]),
                        new_ref(it[1]),
                        new_ref(it[2]),
                        int(i64::from(fd)),
                    ])
                    .map(Some);
                }
                return Ok(Some(top.into_raw()));
            }
            let top = Obj::new(uni::PyOS_FSPath(top.ptr()));
            nn(top.ptr())?;
            let (tb, bytes) = os_bytes(top.ptr())?;
            let c = CString::new(tb.clone()).unwrap_or_default();
            let root = slot(op, "_root") == crate::boolobject::true_();
            set_slot(op, "_root", py_bool(false))?;
            let target = if is_fwalk {
                match open_dir_fd(&tb, fwalk_fd, follow || n == 1) {
                    Ok(fd) => Target::Fd(fd),
                    Err(()) => {
                        if !root && crate::pyerrors::matches_current(&raw mut EXC_OSError) {
                            let e = crate::pyerrors::take_raised();
                            if onerror != crate::object::none() {
                                let r = crate::abc::call(onerror, &[e]);
                                decref(e);
                                nn(r.ptr())?;
                            } else {
                                decref(e);
                            }
                            continue;
                        }
                        return Err(());
                    }
                }
            } else {
                Target::Path(PathArg {
                    obj: top.ptr(),
                    c,
                    bytes,
                    _keep: None,
                })
            };
            let listed = list_dir(&target);
            let entries = match listed {
                Ok(v) => v,
                Err(e) => {
                    if let Target::Fd(fd) = target {
                        libc::close(fd);
                    }
                    if onerror != crate::object::none() {
                        raise_errno(e, top.ptr(), null_mut());
                        let ex = crate::pyerrors::take_raised();
                        let r = crate::abc::call(onerror, &[ex]);
                        decref(ex);
                        nn(r.ptr())?;
                    }
                    continue;
                }
            };
            let mut dirs = Vec::new();
            let mut files = Vec::new();
            let mut walk_into = Vec::new();
            for (name, dt, _) in &entries {
                let full = join_bytes(&tb, name);
                let is_dir = match (*dt, is_fwalk) {
                    (DT_DIR, _) => true,
                    (DT_LNK, true) if !follow => false,
                    (DT_LNK, _) | (DT_UNKNOWN, _) => is_dir_bytes(&full, true),
                    _ => false,
                };
                if is_dir {
                    dirs.push(fs_out(name, bytes));
                    let link = *dt == DT_LNK || (*dt == DT_UNKNOWN && is_link_bytes(&full));
                    if !topdown && (follow || !link) {
                        walk_into.push(full);
                    }
                } else {
                    files.push(fs_out(name, bytes));
                }
            }
            if let Target::Fd(fd) = target {
                libc::close(fd);
            }
            let dl = Obj::new(list_own(dirs)?);
            let fl = Obj::new(list_own(files)?);
            if topdown {
                let p = tuple_own(vec![new_ref(top.ptr()), new_ref(dl.ptr())])?;
                set_slot(op, "_pending", p)?;
                if is_fwalk {
                    let fd = open_dir_fd(&tb, fwalk_fd, true)?;
                    set_slot(op, "_lastfd", int(i64::from(fd)))?;
                    return tuple_own(vec![
                        top.into_raw(),
                        dl.into_raw(),
                        fl.into_raw(),
                        int(i64::from(fd)),
                    ])
                    .map(Some);
                }
                return tuple_own(vec![top.into_raw(), dl.into_raw(), fl.into_raw()]).map(Some);
            }
            let t = Obj::new(tuple_own(vec![
                top.into_raw(),
                dl.into_raw(),
                fl.into_raw(),
            ])?);
            crate::listobject::append(stack, t.ptr());
            for p in walk_into.iter().rev() {
                let o = Obj::new(fs_out(p, bytes));
                nn(o.ptr())?;
                crate::listobject::append(stack, o.ptr());
            }
        }
    }
}

/// Opens a directory for `fwalk` relative to its `dir_fd` (None: the current directory).
unsafe fn open_dir_fd(p: &[u8], dfd: *mut PyObject, follow: bool) -> R<c_int> {
    // SAFETY: a live dir_fd object (an int or False for none); a NUL-terminated path.
    unsafe {
        let base = if crate::boolobject::is_bool(dfd) {
            libc::AT_FDCWD
        } else {
            int_arg(dfd)? as c_int
        };
        let c = CString::new(p).unwrap_or_default();
        let mut flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | libc::O_NONBLOCK;
        if !follow {
            flags |= libc::O_NOFOLLOW;
        }
        let fd = libc::openat(base, c.as_ptr(), flags);
        if fd < 0 {
            let o = Obj::new(fs_out(p, false));
            raise_errno(errno(), o.ptr(), null_mut());
            return Err(());
        }
        Ok(fd)
    }
}

entry_method!(m_walk_next, |op, a| {
    let _ = a;
    match walk_step(op)? {
        Some(v) => Ok(v),
        None => {
            crate::pyerrors::PyErr_SetNone((&raw mut crate::pyerrors::EXC_StopIteration).cast());
            Err(())
        }
    }
});

unsafe extern "C" fn walk_iternext(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    match unsafe { walk_step(op) } {
        Ok(Some(v)) => v,
        _ => null_mut(),
    }
}

static WALK_FUNCS: [FuncDef; 2] = [
    FuncDef::new("walk.__iter__", &["self"], 1, Kind::Method, m_scan_iter),
    FuncDef::new("walk.__next__", &["self"], 1, Kind::Method, m_walk_next),
];

unsafe fn new_walk(
    top: *mut PyObject,
    topdown: bool,
    onerror: *mut PyObject,
    follow: bool,
    fwalk: *mut PyObject,
) -> R<*mut PyObject> {
    // SAFETY: live objects.
    unsafe {
        let p = Obj::new(new_ref(top));
        let cls = *WALK_ITER.get().unwrap_or(&0) as *mut PyTypeObject;
        let it = Obj::new(crate::objimpl::PyType_GenericAlloc(cls, 0));
        nn(it.ptr())?;
        set_slot(it.ptr(), "_stack", list_own(vec![p.into_raw()])?)?;
        set_slot(it.ptr(), "_topdown", py_bool(topdown))?;
        set_slot(it.ptr(), "_followlinks", py_bool(follow))?;
        set_slot(
            it.ptr(),
            "_onerror",
            new_ref(if onerror.is_null() {
                crate::object::none()
            } else {
                onerror
            }),
        )?;
        set_slot(it.ptr(), "_root", py_bool(true))?;
        set_slot(it.ptr(), "_fwalk", new_ref(fwalk))?;
        set_slot(it.ptr(), "_pending", none())?;
        set_slot(it.ptr(), "_lastfd", none())?;
        Ok(it.into_raw())
    }
}

os_fn!(f_walk, |a| {
    let topdown = opt_bool(a[1], true)?;
    let follow = opt_bool(a[3], false)?;
    new_walk(a[0], topdown, a[2], follow, crate::object::none())
});

os_fn!(f_fwalk, |a| {
    let top = if a[0].is_null() {
        uni::intern(".")
    } else {
        a[0]
    };
    let topdown = opt_bool(a[1], true)?;
    let follow = opt_bool(a[3], false)?;
    let dfd = if is_none(a[4]) {
        crate::boolobject::false_()
    } else {
        a[4]
    };
    let p = Obj::new(uni::PyOS_FSPath(top));
    nn(p.ptr())?;
    new_walk(p.ptr(), topdown, a[2], follow, dfd)
});

// ---- makedirs, removedirs, renames -----------------------------------------------------------

/// `os.path.split` on bytes.
pub(crate) fn split_bytes(p: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let i = p.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let mut head = head.to_vec();
    if !head.is_empty() && head.iter().any(|&c| c != b'/') {
        while head.ends_with(b"/") {
            head.pop();
        }
    }
    (head, tail.to_vec())
}

unsafe fn makedirs(
    p: &[u8],
    mode: libc::mode_t,
    exist_ok: bool,
    bytes: bool,
    orig: *mut PyObject,
) -> R<()> {
    // SAFETY: NUL-terminated paths.
    unsafe {
        let (mut head, mut tail) = split_bytes(p);
        if tail.is_empty() {
            (head, tail) = split_bytes(&head);
        }
        if !head.is_empty() && !tail.is_empty() {
            let hc = CString::new(head.clone()).unwrap_or_default();
            if stat_bytes(&hc, true).is_err() {
                let o = Obj::new(fs_out(&head, bytes));
                match makedirs(&head, mode, exist_ok, bytes, o.ptr()) {
                    Ok(()) => {}
                    Err(()) => {
                        if !crate::pyerrors::matches_current(
                            &raw mut crate::pyerrors::EXC_FileExistsError,
                        ) {
                            return Err(());
                        }
                        crate::pyerrors::clear();
                    }
                }
                if tail == b"." || tail == b".." {
                    return Ok(());
                }
            }
        }
        let c = CString::new(p).unwrap_or_default();
        if libc::mkdir(c.as_ptr(), mode) < 0 {
            let e = errno();
            if !exist_ok || !is_dir_bytes(p, true) {
                raise_errno(e, orig, null_mut());
                return Err(());
            }
        }
        Ok(())
    }
}

os_fn!(f_makedirs, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let mode = mode_of(a[1], 0o777)?;
    let exist_ok = opt_bool(a[2], false)?;
    if p.contains(&0) {
        raise(
            &raw mut EXC_ValueError,
            "mkdir: embedded null character in path",
        );
        return Err(());
    }
    makedirs(&p, mode, exist_ok, bytes, a[0])?;
    Ok(none())
});

/// Removes the empty parents of `p` (stops at the first that cannot be removed).
unsafe fn prune_parents(p: &[u8]) {
    let (mut head, mut tail) = split_bytes(p);
    if tail.is_empty() {
        (head, tail) = split_bytes(&head);
    }
    while !head.is_empty() && !tail.is_empty() {
        let c = CString::new(head.clone()).unwrap_or_default();
        // SAFETY: a NUL-terminated path.
        if unsafe { libc::rmdir(c.as_ptr()) } < 0 {
            break;
        }
        (head, tail) = split_bytes(&head);
    }
}

os_fn!(f_removedirs, |a| {
    let p = path_only("rmdir", "path", a[0])?;
    if libc::rmdir(p.c.as_ptr()) < 0 {
        return oserr(p.obj, null_mut());
    }
    prune_parents(p.c.as_bytes());
    Ok(none())
});

os_fn!(f_renames, |a| {
    let (old, _) = os_bytes(a[0])?;
    let (new, bytes) = os_bytes(a[1])?;
    let (head, tail) = split_bytes(&new);
    if !head.is_empty() && !tail.is_empty() {
        let hc = CString::new(head.clone()).unwrap_or_default();
        if stat_bytes(&hc, true).is_err() {
            let o = Obj::new(fs_out(&head, bytes));
            makedirs(&head, 0o777, false, bytes, o.ptr())?;
        }
    }
    let s = path_only("rename", "src", a[0])?;
    let d = path_only("rename", "dst", a[1])?;
    if libc::rename(s.c.as_ptr(), d.c.as_ptr()) < 0 {
        return oserr(s.obj, d.obj);
    }
    let (head, tail) = split_bytes(&old);
    if !head.is_empty() && !tail.is_empty() {
        let c = CString::new(head.clone()).unwrap_or_default();
        if libc::rmdir(c.as_ptr()) == 0 {
            prune_parents(&head);
        }
    }
    Ok(none())
});

// ---- exec, spawn -----------------------------------------------------------------------------

/// `argv` of the exec/spawn functions: a non-empty tuple or list of paths.
unsafe fn argv_arg(func: &str, o: *mut PyObject, first_nonempty: bool) -> R<Vec<CString>> {
    // SAFETY: a live object.
    unsafe {
        if !crate::tupleobject::is_tuple(o) && !crate::listobject::is_list(o) {
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}() arg 2 must be a tuple or list"),
            );
            return Err(());
        }
        let items = crate::abc::collect(o)?;
        if items.is_empty() {
            raise(
                &raw mut EXC_ValueError,
                &format!("{func}() arg 2 must not be empty"),
            );
            return Err(());
        }
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let (b, _) = os_bytes(it.ptr())?;
            if i == 0 && first_nonempty && b.is_empty() {
                raise(
                    &raw mut EXC_ValueError,
                    &format!("{func}() arg 2 first element cannot be empty"),
                );
                return Err(());
            }
            out.push(CString::new(b).map_err(|_| {
                raise(&raw mut EXC_ValueError, "embedded null byte");
            })?);
        }
        Ok(out)
    }
}

/// An environment mapping as `KEY=VALUE` strings.
unsafe fn env_list(o: *mut PyObject) -> R<Vec<CString>> {
    // SAFETY: a live object.
    unsafe {
        let keys = call_method(o, "keys", &[]);
        nn(keys.ptr())?;
        let keys = crate::abc::collect(keys.ptr())?;
        let mut out = Vec::new();
        for k in &keys {
            let v = Obj::new(crate::abstract_::PyObject_GetItem(o, k.ptr()));
            nn(v.ptr())?;
            let kb = env_arg(k.ptr())?;
            let vb = env_arg(v.ptr())?;
            if kb.is_empty() || kb[1..].contains(&b'=') {
                raise(&raw mut EXC_ValueError, "illegal environment variable name");
                return Err(());
            }
            let mut e = kb;
            e.push(b'=');
            e.extend_from_slice(&vb);
            out.push(CString::new(e).map_err(|_| {
                raise(&raw mut EXC_ValueError, "embedded null byte");
            })?);
        }
        Ok(out)
    }
}

fn ptrs(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

unsafe fn do_exec(
    func: &str,
    path: *mut PyObject,
    argv: *mut PyObject,
    env: *mut PyObject,
    search: bool,
) -> R<*mut PyObject> {
    // SAFETY: live objects; NULL-terminated pointer arrays of live CStrings.
    unsafe {
        let p = path_only(func, "path", path)?;
        let args = argv_arg(func, argv, true)?;
        let envs = if env.is_null() {
            None
        } else {
            Some(env_list(env)?)
        };
        let av = ptrs(&args);
        match (&envs, search) {
            (Some(e), true) => {
                let ev = ptrs(e);
                libc::execvpe(p.c.as_ptr(), av.as_ptr(), ev.as_ptr());
            }
            (Some(e), false) => {
                let ev = ptrs(e);
                libc::execve(p.c.as_ptr(), av.as_ptr(), ev.as_ptr());
            }
            (None, true) => {
                libc::execvp(p.c.as_ptr(), av.as_ptr());
            }
            (None, false) => {
                libc::execv(p.c.as_ptr(), av.as_ptr());
            }
        }
        // execv reports no file name; execve names the path
        oserr(
            if search || envs.is_none() {
                null_mut()
            } else {
                p.obj
            },
            null_mut(),
        )
    }
}

/// `os._execvpe`: runs `file` from each `PATH` entry (of `env`, else `environ`) in turn with
/// execv (no env) or execve; raises the first error other than "not found", else the last.
unsafe fn exec_search(
    file: *mut PyObject,
    argv: *mut PyObject,
    env: *mut PyObject,
) -> R<*mut PyObject> {
    // SAFETY: live objects.
    unsafe {
        let (name, _) = os_bytes(file)?;
        let func = if env.is_null() { "execv" } else { "execve" };
        if name.contains(&b'/') {
            return do_exec(func, file, argv, env, false);
        }
        let dirs = Obj::new(f_get_exec_path(&[env], null_mut()));
        nn(dirs.ptr())?;
        let mut saved: Option<Obj> = None;
        let mut last: Option<Obj> = None;
        for d in crate::abc::collect(dirs.ptr())? {
            let (db, _) = os_bytes(d.ptr())?;
            let full = Obj::new(crate::bytesobject::from_bytes(&join_bytes(&db, &name)));
            nn(full.ptr())?;
            let _ = do_exec(func, full.ptr(), argv, env, false);
            let e = Obj::new(crate::pyerrors::take_raised());
            if e.is_null() {
                continue;
            }
            let t = ty(e.ptr());
            let not_found =
                crate::object::PyType_IsSubtype(t, &raw mut crate::pyerrors::EXC_FileNotFoundError)
                    != 0
                    || crate::object::PyType_IsSubtype(
                        t,
                        &raw mut crate::pyerrors::EXC_NotADirectoryError,
                    ) != 0;
            if crate::object::PyType_IsSubtype(t, &raw mut EXC_OSError) == 0 {
                crate::pyerrors::restore_raised(e.into_raw());
                return Err(());
            }
            if !not_found && saved.is_none() {
                saved = Some(Obj::new(new_ref(e.ptr())));
            }
            last = Some(e);
        }
        match saved.or(last) {
            Some(e) => crate::pyerrors::restore_raised(e.into_raw()),
            None => {
                raise(
                    &raw mut EXC_TypeError,
                    "exceptions must derive from BaseException",
                );
            }
        }
        Err(())
    }
}

os_fn!(f_execv, |a| {
    do_exec("execv", a[0], a[1], null_mut(), false)
});
os_fn!(f_execve, |a| { do_exec("execve", a[0], a[1], a[2], false) });
os_fn!(f_execvp, |a| { exec_search(a[0], a[1], null_mut()) });
os_fn!(f_execvpe, |a| { exec_search(a[0], a[1], a[2]) });

/// The `*args` tuple of a Func with varargs (after the named parameters).
fn rest(a: &[*mut PyObject], named: usize) -> Vec<*mut PyObject> {
    a.iter().skip(named).copied().collect()
}

os_fn!(f_execl, |a| {
    let t = tuple_own(rest(a, 1).into_iter().map(|p| new_ref(p)).collect())?;
    let t = Obj::new(t);
    do_exec("execv", a[0], t.ptr(), null_mut(), false)
});
os_fn!(f_execlp, |a| {
    let t = Obj::new(tuple_own(
        rest(a, 1).into_iter().map(|p| new_ref(p)).collect(),
    )?);
    exec_search(a[0], t.ptr(), null_mut())
});
os_fn!(f_execle, |a| {
    let mut r = rest(a, 1);
    let env = r.pop().unwrap_or(null_mut());
    let t = Obj::new(tuple_own(r.into_iter().map(|p| new_ref(p)).collect())?);
    do_exec(
        "execve",
        a[0],
        t.ptr(),
        if env.is_null() {
            crate::object::none()
        } else {
            env
        },
        false,
    )
});
os_fn!(f_execlpe, |a| {
    let mut r = rest(a, 1);
    let env = r.pop().unwrap_or(null_mut());
    let t = Obj::new(tuple_own(r.into_iter().map(|p| new_ref(p)).collect())?);
    exec_search(
        a[0],
        t.ptr(),
        if env.is_null() {
            crate::object::none()
        } else {
            env
        },
    )
});

/// The spawn attributes and file actions of `posix_spawn`.
struct SpawnOpts {
    actions: Vec<(i64, c_int, c_int, Option<CString>, c_int, libc::mode_t)>,
    setpgroup: Option<libc::pid_t>,
    resetids: bool,
    setsid: bool,
    sigmask: Option<Vec<c_int>>,
    sigdef: Option<Vec<c_int>>,
    scheduler: Option<(c_int, c_int)>,
}

unsafe fn spawn(
    path: &CStr,
    argv: &[CString],
    env: Option<&[CString]>,
    search: bool,
    o: &SpawnOpts,
) -> Result<libc::pid_t, c_int> {
    // SAFETY: initialised spawn attributes and file actions, destroyed before returning;
    // NULL-terminated pointer arrays of live CStrings.
    unsafe {
        let mut fa: libc::posix_spawn_file_actions_t = std::mem::zeroed();
        let mut at: libc::posix_spawnattr_t = std::mem::zeroed();
        libc::posix_spawn_file_actions_init(&mut fa);
        libc::posix_spawnattr_init(&mut at);
        let mut flags: libc::c_short = 0;
        let mut err = 0;
        for (tag, fd, fd2, p, fl, mode) in &o.actions {
            let r = match *tag {
                0 => libc::posix_spawn_file_actions_addopen(
                    &mut fa,
                    *fd,
                    p.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
                    *fl,
                    *mode,
                ),
                1 => libc::posix_spawn_file_actions_addclose(&mut fa, *fd),
                2 => libc::posix_spawn_file_actions_adddup2(&mut fa, *fd, *fd2),
                _ => libc::posix_spawn_file_actions_addclosefrom_np(&mut fa, *fd),
            };
            if r != 0 {
                err = r;
            }
        }
        if let Some(pg) = o.setpgroup {
            flags |= libc::POSIX_SPAWN_SETPGROUP as libc::c_short;
            libc::posix_spawnattr_setpgroup(&mut at, pg);
        }
        if o.resetids {
            flags |= libc::POSIX_SPAWN_RESETIDS as libc::c_short;
        }
        if o.setsid {
            flags |= libc::POSIX_SPAWN_SETSID as libc::c_short;
        }
        if let Some(m) = &o.sigmask {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &s in m {
                libc::sigaddset(&mut set, s);
            }
            flags |= libc::POSIX_SPAWN_SETSIGMASK as libc::c_short;
            libc::posix_spawnattr_setsigmask(&mut at, &set);
        }
        if let Some(m) = &o.sigdef {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &s in m {
                libc::sigaddset(&mut set, s);
            }
            flags |= libc::POSIX_SPAWN_SETSIGDEF as libc::c_short;
            libc::posix_spawnattr_setsigdefault(&mut at, &set);
        }
        if let Some((pol, prio)) = o.scheduler {
            let mut sp: libc::sched_param = std::mem::zeroed();
            sp.sched_priority = prio;
            flags |=
                (libc::POSIX_SPAWN_SETSCHEDULER | libc::POSIX_SPAWN_SETSCHEDPARAM) as libc::c_short;
            libc::posix_spawnattr_setschedpolicy(&mut at, pol);
            libc::posix_spawnattr_setschedparam(&mut at, &sp);
        }
        libc::posix_spawnattr_setflags(&mut at, flags);
        let mut pid: libc::pid_t = 0;
        if err == 0 {
            let av = ptrs(argv);
            let env_owned: Vec<CString>;
            let envs: &[CString] = match env {
                Some(e) => e,
                None => {
                    use std::os::unix::ffi::OsStrExt;
                    env_owned = std::env::vars_os()
                        .filter_map(|(k, v)| {
                            let mut b = k.as_bytes().to_vec();
                            b.push(b'=');
                            b.extend_from_slice(v.as_bytes());
                            CString::new(b).ok()
                        })
                        .collect();
                    &env_owned
                }
            };
            let ev = ptrs(envs);
            err = if search {
                libc::posix_spawnp(
                    &mut pid,
                    path.as_ptr(),
                    &fa,
                    &at,
                    av.as_ptr().cast(),
                    ev.as_ptr().cast(),
                )
            } else {
                libc::posix_spawn(
                    &mut pid,
                    path.as_ptr(),
                    &fa,
                    &at,
                    av.as_ptr().cast(),
                    ev.as_ptr().cast(),
                )
            };
        }
        libc::posix_spawn_file_actions_destroy(&mut fa);
        libc::posix_spawnattr_destroy(&mut at);
        if err != 0 { Err(err) } else { Ok(pid) }
    }
}

fn no_opts() -> SpawnOpts {
    SpawnOpts {
        actions: Vec::new(),
        setpgroup: None,
        resetids: false,
        setsid: false,
        sigmask: None,
        sigdef: None,
        scheduler: None,
    }
}

unsafe fn sig_list(o: *mut PyObject) -> R<Vec<c_int>> {
    // SAFETY: a live iterable.
    unsafe {
        let items = crate::abc::collect(o)?;
        items.iter().map(|i| cint_arg(i.ptr())).collect()
    }
}

unsafe fn posix_spawn_common(func: &str, a: &[*mut PyObject], search: bool) -> R<*mut PyObject> {
    // SAFETY: live arguments.
    unsafe {
        let p = path_only(func, "path", a[0])?;
        if !crate::tupleobject::is_tuple(a[1]) && !crate::listobject::is_list(a[1]) {
            raise(
                &raw mut EXC_TypeError,
                &format!("{func}: argv must be a tuple or list"),
            );
            return Err(());
        }
        if crate::abc::collect(a[1])?.is_empty() {
            raise(
                &raw mut EXC_ValueError,
                &format!("{func}: argv must not be empty"),
            );
            return Err(());
        }
        let args = argv_arg(func, a[1], false)?;
        let envs = if is_none(a[2]) {
            None
        } else {
            if !is_mapping(a[2]) {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("{func}: environment must be a mapping object or None"),
                );
                return Err(());
            }
            Some(env_list(a[2])?)
        };
        let mut o = no_opts();
        if !is_none(a[3]) {
            for fa in crate::abc::collect(a[3])? {
                if !crate::tupleobject::is_tuple(fa.ptr())
                    || crate::tupleobject::items(fa.ptr()).is_empty()
                {
                    raise(
                        &raw mut EXC_TypeError,
                        "Each file_actions element must be a non-empty tuple",
                    );
                    return Err(());
                }
                let it = crate::tupleobject::items(fa.ptr());
                let tag = int_arg(it[0])?;
                let need = match tag {
                    0 => 5,
                    1 | 3 => 2,
                    2 => 3,
                    _ => {
                        raise(&raw mut EXC_TypeError, "Unknown file_actions identifier");
                        return Err(());
                    }
                };
                if it.len() != need {
                    let m = match tag {
                        0 => "A open file_action tuple must have 5 elements",
                        1 => "A close file_action tuple must have 2 elements",
                        2 => "A dup2 file_action tuple must have 3 elements",
                        _ => "A closefrom file_action tuple must have 2 elements",
                    };
                    raise(&raw mut EXC_TypeError, m);
                    return Err(());
                }
                let fd = cint_arg(it[1])?;
                match tag {
                    0 => {
                        let path = path_only(func, "path", it[2])?;
                        let fl = cint_arg(it[3])?;
                        let mode = int_arg(it[4])? as libc::mode_t;
                        o.actions.push((0, fd, 0, Some(path.c), fl, mode));
                    }
                    2 => {
                        let fd2 = cint_arg(it[2])?;
                        o.actions.push((2, fd, fd2, None, 0, 0));
                    }
                    t => o.actions.push((t, fd, 0, None, 0, 0)),
                }
            }
        }
        if !a[4].is_null() {
            o.setpgroup = Some(cint_arg(a[4])?);
        }
        o.resetids = opt_bool(a[5], false)?;
        o.setsid = opt_bool(a[6], false)?;
        if !a[7].is_null() {
            o.sigmask = Some(sig_list(a[7])?);
        }
        if !a[8].is_null() {
            o.sigdef = Some(sig_list(a[8])?);
        }
        if !a[9].is_null() {
            let (pol, sp) = pair(a[9], "scheduler must be a tuple or None")?;
            let prm = sched_param_arg(sp)?;
            o.scheduler = Some((cint_arg(pol)?, prm.sched_priority));
        }
        match spawn(&p.c, &args, envs.as_deref(), search, &o) {
            Ok(pid) => Ok(int(i64::from(pid))),
            Err(e) => {
                raise_errno(e, p.obj, null_mut());
                Err(())
            }
        }
    }
}

const SPAWN_PARAMS: &[&str] = &[
    "path",
    "argv",
    "env",
    "file_actions",
    "setpgroup",
    "resetids",
    "setsid",
    "setsigmask",
    "setsigdef",
    "scheduler",
];

os_fn!(f_posix_spawn, |a| {
    posix_spawn_common("posix_spawn", a, false)
});
os_fn!(f_posix_spawnp, |a| {
    posix_spawn_common("posix_spawnp", a, true)
});

/// `spawnv*` (`os.py`'s functions, run through `posix_spawn`): P_WAIT waits and gives the
/// exit code (minus the signal number), P_NOWAIT gives the pid.
unsafe fn spawnv_common(
    mode: *mut PyObject,
    file: *mut PyObject,
    argv: *mut PyObject,
    env: *mut PyObject,
    search: bool,
) -> R<*mut PyObject> {
    // SAFETY: live arguments.
    unsafe {
        let mode = cint_arg(mode)?;
        let p = path_only("spawnv", "path", file)?;
        if !crate::tupleobject::is_tuple(argv) && !crate::listobject::is_list(argv) {
            raise(&raw mut EXC_TypeError, "argv must be a tuple or a list");
            return Err(());
        }
        let args = argv_arg("spawnv", argv, false)?;
        let envs = if env.is_null() {
            None
        } else {
            Some(env_list(env)?)
        };
        let pid = match spawn(&p.c, &args, envs.as_deref(), search, &no_opts()) {
            Ok(pid) => pid,
            Err(_) => return Ok(int(127)),
        };
        if mode == 1 {
            return Ok(int(i64::from(pid)));
        }
        let mut st = 0;
        loop {
            let r = libc::waitpid(pid, &mut st, 0);
            if r < 0 && errno() == libc::EINTR {
                continue;
            }
            if r < 0 {
                return oserr(null_mut(), null_mut());
            }
            if libc::WIFSTOPPED(st) {
                continue;
            }
            break;
        }
        if libc::WIFSIGNALED(st) {
            return Ok(int(-i64::from(libc::WTERMSIG(st))));
        }
        Ok(int(i64::from(libc::WEXITSTATUS(st))))
    }
}

os_fn!(f_spawnv, |a| {
    spawnv_common(a[0], a[1], a[2], null_mut(), false)
});
os_fn!(f_spawnve, |a| {
    spawnv_common(a[0], a[1], a[2], a[3], false)
});
os_fn!(f_spawnvp, |a| {
    spawnv_common(a[0], a[1], a[2], null_mut(), true)
});
os_fn!(f_spawnvpe, |a| {
    spawnv_common(a[0], a[1], a[2], a[3], true)
});
os_fn!(f_spawnl, |a| {
    let t = Obj::new(tuple_own(
        rest(a, 2).into_iter().map(|p| new_ref(p)).collect(),
    )?);
    spawnv_common(a[0], a[1], t.ptr(), null_mut(), false)
});
os_fn!(f_spawnlp, |a| {
    let t = Obj::new(tuple_own(
        rest(a, 2).into_iter().map(|p| new_ref(p)).collect(),
    )?);
    spawnv_common(a[0], a[1], t.ptr(), null_mut(), true)
});
os_fn!(f_spawnle, |a| {
    let mut r = rest(a, 2);
    let env = r.pop().unwrap_or(null_mut());
    let t = Obj::new(tuple_own(r.into_iter().map(|p| new_ref(p)).collect())?);
    spawnv_common(a[0], a[1], t.ptr(), env, false)
});
os_fn!(f_spawnlpe, |a| {
    let mut r = rest(a, 2);
    let env = r.pop().unwrap_or(null_mut());
    let t = Obj::new(tuple_own(r.into_iter().map(|p| new_ref(p)).collect())?);
    spawnv_common(a[0], a[1], t.ptr(), env, true)
});

// ---- fork and what gilgate cannot run --------------------------------------------------------

/// The callables `register_at_fork` keeps (a list of (before, child, parent) tuples).
static AT_FORK: OnceLock<usize> = OnceLock::new();

os_fn!(f_register_at_fork, |a| {
    let names = ["before", "after_in_child", "after_in_parent"];
    if a.iter().take(3).all(|p| p.is_null()) {
        raise(&raw mut EXC_TypeError, "At least one argument is required.");
        return Err(());
    }
    for (i, n) in names.iter().enumerate() {
        let f = a[i];
        if !f.is_null() && crate::abstract_::PyCallable_Check(f) == 0 {
            raise(
                &raw mut EXC_TypeError,
                &format!("'{n}' must be callable, not {}", type_name(f)),
            );
            return Err(());
        }
    }
    let l = *AT_FORK.get_or_init(|| crate::listobject::new_list(0) as usize) as *mut PyObject;
    nn(l)?;
    let t = Obj::new(tuple_own(
        a.iter()
            .take(3)
            .map(|&p| {
                new_ref(if p.is_null() {
                    crate::object::none()
                } else {
                    p
                })
            })
            .collect(),
    )?);
    crate::listobject::append(l, t.ptr());
    Ok(none())
});

fn no_fork(name: &str) -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_NotImplementedError,
        &format!(
            "gilgate: {name}() is not available in an embedding host (the child would run on \
             with the host's other threads' locks held)"
        ),
    )
}

unsafe fn f_fork(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    no_fork("fork")
}
unsafe fn f_forkpty(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    no_fork("forkpty")
}
unsafe fn f_popen(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_NotImplementedError,
        "gilgate runs no Python code: popen() is not available (it wraps subprocess.Popen, Python code)",
    )
}
unsafe fn f_fdopen(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_NotImplementedError,
        "gilgate runs no Python code: fdopen() is not available (it calls io.open, Python code)",
    )
}

// ---- the module ------------------------------------------------------------------------------

macro_rules! f {
    ($name:literal, [$($p:literal),*], $req:literal, $body:ident) => {
        FuncDef::new($name, &[$($p),*], $req, Kind::Static, $body)
    };
}

static FUNCS: &[FuncDef] = &[
    f!("stat", ["path", "dir_fd", "follow_symlinks"], 1, f_stat).with_kwonly(1),
    f!("lstat", ["path", "dir_fd"], 1, f_lstat).with_kwonly(1),
    f!("fstat", ["fd"], 1, f_fstat),
    f!("statvfs", ["path"], 1, f_statvfs),
    f!("fstatvfs", ["fd"], 1, f_fstatvfs),
    f!("mkdir", ["path", "mode", "dir_fd"], 1, f_mkdir).with_kwonly(2),
    f!("rmdir", ["path", "dir_fd"], 1, f_rmdir).with_kwonly(1),
    f!("unlink", ["path", "dir_fd"], 1, f_unlink).with_kwonly(1),
    f!("remove", ["path", "dir_fd"], 1, f_remove).with_kwonly(1),
    f!(
        "rename",
        ["src", "dst", "src_dir_fd", "dst_dir_fd"],
        2,
        f_rename
    )
    .with_kwonly(2),
    f!(
        "replace",
        ["src", "dst", "src_dir_fd", "dst_dir_fd"],
        2,
        f_replace
    )
    .with_kwonly(2),
    f!(
        "link",
        ["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"],
        2,
        f_link
    )
    .with_kwonly(2),
    f!(
        "symlink",
        ["src", "dst", "target_is_directory", "dir_fd"],
        2,
        f_symlink
    )
    .with_kwonly(3),
    f!("readlink", ["path", "dir_fd"], 1, f_readlink).with_kwonly(1),
    f!("chdir", ["path"], 1, f_chdir),
    f!("fchdir", ["fd"], 1, f_fchdir),
    f!("chroot", ["path"], 1, f_chroot),
    f!(
        "chmod",
        ["path", "mode", "dir_fd", "follow_symlinks"],
        2,
        f_chmod
    )
    .with_kwonly(2),
    f!("fchmod", ["fd", "mode"], 2, f_fchmod),
    f!(
        "chown",
        ["path", "uid", "gid", "dir_fd", "follow_symlinks"],
        3,
        f_chown
    )
    .with_kwonly(3),
    f!("lchown", ["path", "uid", "gid"], 3, f_lchown),
    f!("fchown", ["fd", "uid", "gid"], 3, f_fchown),
    f!(
        "access",
        ["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"],
        2,
        f_access
    )
    .with_kwonly(2),
    f!("mkfifo", ["path", "mode", "dir_fd"], 1, f_mkfifo).with_kwonly(2),
    f!("mknod", ["path", "mode", "device", "dir_fd"], 1, f_mknod).with_kwonly(3),
    f!("truncate", ["path", "length"], 2, f_truncate),
    f!("ftruncate", ["fd", "length"], 2, f_ftruncate),
    f!(
        "utime",
        ["path", "times", "ns", "dir_fd", "follow_symlinks"],
        1,
        f_utime
    )
    .with_kwonly(2),
    f!("listdir", ["path"], 0, f_listdir),
    f!("scandir", ["path"], 0, f_scandir),
    f!("getcwd", [], 0, f_getcwd),
    f!("getcwdb", [], 0, f_getcwdb),
    f!("open", ["path", "flags", "mode", "dir_fd"], 2, f_open).with_kwonly(3),
    f!("close", ["fd"], 1, f_close),
    f!("closerange", ["fd_low", "fd_high"], 2, f_closerange),
    f!("dup", ["fd"], 1, f_dup),
    f!("dup2", ["fd", "fd2", "inheritable"], 2, f_dup2),
    f!("read", ["fd", "length"], 2, f_read),
    f!("readinto", ["fd", "buffer"], 2, f_readinto),
    f!("write", ["fd", "data"], 2, f_write),
    f!("pread", ["fd", "length", "offset"], 3, f_pread),
    f!("pwrite", ["fd", "buffer", "offset"], 3, f_pwrite),
    f!("readv", ["fd", "buffers"], 2, f_readv),
    f!("writev", ["fd", "buffers"], 2, f_writev),
    f!("preadv", ["fd", "buffers", "offset", "flags"], 3, f_preadv),
    f!(
        "pwritev",
        ["fd", "buffers", "offset", "flags"],
        3,
        f_pwritev
    ),
    f!("lseek", ["fd", "position", "whence"], 3, f_lseek),
    f!("fsync", ["fd"], 1, f_fsync),
    f!("fdatasync", ["fd"], 1, f_fdatasync),
    f!("isatty", ["fd"], 1, f_isatty),
    f!("ttyname", ["fd"], 1, f_ttyname),
    f!("device_encoding", ["fd"], 1, f_device_encoding),
    f!("pipe", [], 0, f_pipe),
    f!("pipe2", ["flags"], 1, f_pipe2),
    f!("get_inheritable", ["fd"], 1, f_get_inheritable),
    f!(
        "set_inheritable",
        ["fd", "inheritable"],
        2,
        f_set_inheritable
    ),
    f!("get_blocking", ["fd"], 1, f_get_blocking),
    f!("set_blocking", ["fd", "blocking"], 2, f_set_blocking),
    f!("lockf", ["fd", "command", "length"], 3, f_lockf),
    f!(
        "posix_fallocate",
        ["fd", "offset", "len"],
        3,
        f_posix_fallocate
    ),
    f!(
        "posix_fadvise",
        ["fd", "offset", "len", "advice"],
        4,
        f_posix_fadvise
    ),
    f!(
        "sendfile",
        ["out_fd", "in_fd", "offset", "count"],
        4,
        f_sendfile
    ),
    f!(
        "copy_file_range",
        ["src", "dst", "count", "offset_src", "offset_dst"],
        3,
        f_copy_file_range
    ),
    f!(
        "splice",
        ["src", "dst", "count", "offset_src", "offset_dst", "flags"],
        3,
        f_splice
    ),
    f!("fpathconf", ["fd", "name"], 2, f_fpathconf),
    f!("pathconf", ["path", "name"], 2, f_pathconf),
    f!("sysconf", ["name"], 1, f_sysconf),
    f!("confstr", ["name"], 1, f_confstr),
    f!("eventfd", ["initval", "flags"], 1, f_eventfd),
    f!("eventfd_read", ["fd"], 1, f_eventfd_read),
    f!("eventfd_write", ["fd", "value"], 2, f_eventfd_write),
    f!("memfd_create", ["name", "flags"], 1, f_memfd_create),
    f!("getpid", [], 0, f_getpid),
    f!("getppid", [], 0, f_getppid),
    f!("getuid", [], 0, f_getuid),
    f!("geteuid", [], 0, f_geteuid),
    f!("getgid", [], 0, f_getgid),
    f!("getegid", [], 0, f_getegid),
    f!("getpgrp", [], 0, f_getpgrp),
    f!("getpgid", ["pid"], 1, f_getpgid),
    f!("getsid", ["pid"], 1, f_getsid),
    f!("setsid", [], 0, f_setsid),
    f!("setpgid", ["pid", "pgrp"], 2, f_setpgid),
    f!("setpgrp", [], 0, f_setpgrp),
    f!("setuid", ["uid"], 1, f_setuid),
    f!("seteuid", ["euid"], 1, f_seteuid),
    f!("setgid", ["gid"], 1, f_setgid),
    f!("setegid", ["egid"], 1, f_setegid),
    f!("setreuid", ["ruid", "euid"], 2, f_setreuid),
    f!("setregid", ["rgid", "egid"], 2, f_setregid),
    f!("setresuid", ["ruid", "euid", "suid"], 3, f_setresuid),
    f!("setresgid", ["rgid", "egid", "sgid"], 3, f_setresgid),
    f!("getresuid", [], 0, f_getresuid),
    f!("getresgid", [], 0, f_getresgid),
    f!("getgroups", [], 0, f_getgroups),
    f!("setgroups", ["groups"], 1, f_setgroups),
    f!("initgroups", ["username", "gid"], 2, f_initgroups),
    f!("getgrouplist", ["user", "group"], 2, f_getgrouplist),
    f!("getlogin", [], 0, f_getlogin),
    f!("getpriority", ["which", "who"], 2, f_getpriority),
    f!(
        "setpriority",
        ["which", "who", "priority"],
        3,
        f_setpriority
    ),
    f!("nice", ["increment"], 1, f_nice),
    f!("kill", ["pid", "signal"], 2, f_kill),
    f!("killpg", ["pgid", "signal"], 2, f_killpg),
    f!("umask", ["mask"], 1, f_umask),
    f!("times", [], 0, f_times),
    f!("uname", [], 0, f_uname),
    f!("getloadavg", [], 0, f_getloadavg),
    f!("cpu_count", [], 0, f_cpu_count),
    f!("process_cpu_count", [], 0, f_process_cpu_count),
    f!("sched_getaffinity", ["pid"], 1, f_sched_getaffinity),
    f!("sched_setaffinity", ["pid", "mask"], 2, f_sched_setaffinity),
    f!("sched_yield", [], 0, f_sched_yield),
    f!(
        "sched_get_priority_max",
        ["policy"],
        1,
        f_sched_get_priority_max
    ),
    f!(
        "sched_get_priority_min",
        ["policy"],
        1,
        f_sched_get_priority_min
    ),
    f!("sched_getscheduler", ["pid"], 1, f_sched_getscheduler),
    f!("sched_getparam", ["pid"], 1, f_sched_getparam),
    f!("sched_setparam", ["pid", "param"], 2, f_sched_setparam),
    f!(
        "sched_setscheduler",
        ["pid", "policy", "param"],
        3,
        f_sched_setscheduler
    ),
    f!("sched_rr_get_interval", ["pid"], 1, f_sched_rr_get_interval),
    f!("strerror", ["code"], 1, f_strerror),
    f!("urandom", ["size"], 1, f_urandom),
    f!("getrandom", ["size", "flags"], 1, f_getrandom),
    f!("ctermid", [], 0, f_ctermid),
    f!("sync", [], 0, f_sync),
    f!("abort", [], 0, f_abort),
    f!("_exit", ["status"], 1, f__exit),
    f!("unshare", ["flags"], 1, f_unshare),
    f!("setns", ["fd", "nstype"], 1, f_setns),
    f!("pidfd_open", ["pid", "flags"], 1, f_pidfd_open),
    f!("WCOREDUMP", ["status"], 1, f_wcoredump),
    f!("WIFCONTINUED", ["status"], 1, f_wifcontinued),
    f!("WIFSTOPPED", ["status"], 1, f_wifstopped),
    f!("WIFSIGNALED", ["status"], 1, f_wifsignaled),
    f!("WIFEXITED", ["status"], 1, f_wifexited),
    f!("WEXITSTATUS", ["status"], 1, f_wexitstatus),
    f!("WTERMSIG", ["status"], 1, f_wtermsig),
    f!("WSTOPSIG", ["status"], 1, f_wstopsig),
    f!(
        "waitstatus_to_exitcode",
        ["status"],
        1,
        f_waitstatus_to_exitcode
    ),
    f!("waitpid", ["pid", "options"], 2, f_waitpid),
    f!("wait", [], 0, f_wait),
    f!("wait3", ["options"], 1, f_wait3),
    f!("wait4", ["pid", "options"], 2, f_wait4),
    f!("waitid", ["idtype", "id", "options"], 3, f_waitid),
    f!("major", ["device"], 1, f_major),
    f!("minor", ["device"], 1, f_minor),
    f!("makedev", ["major", "minor"], 2, f_makedev),
    f!("get_terminal_size", ["fd"], 0, f_get_terminal_size),
    f!("openpty", [], 0, f_openpty),
    f!("posix_openpt", ["oflag"], 1, f_posix_openpt),
    f!("grantpt", ["fd"], 1, f_grantpt),
    f!("unlockpt", ["fd"], 1, f_unlockpt),
    f!("ptsname", ["fd"], 1, f_ptsname),
    f!("login_tty", ["fd"], 1, f_login_tty),
    f!("tcgetpgrp", ["fd"], 1, f_tcgetpgrp),
    f!("tcsetpgrp", ["fd", "pgid"], 2, f_tcsetpgrp),
    f!("timerfd_create", ["clockid", "flags"], 1, f_timerfd_create),
    f!("timerfd_gettime", ["fd"], 1, f_timerfd_gettime),
    f!("timerfd_gettime_ns", ["fd"], 1, f_timerfd_gettime_ns),
    f!(
        "timerfd_settime",
        ["fd", "flags", "initial", "interval"],
        1,
        f_timerfd_settime
    ),
    f!(
        "timerfd_settime_ns",
        ["fd", "flags", "initial", "interval"],
        1,
        f_timerfd_settime_ns
    ),
    f!("system", ["command"], 1, f_system),
    f!(
        "getxattr",
        ["path", "attribute", "follow_symlinks"],
        2,
        f_getxattr
    )
    .with_kwonly(2),
    f!("listxattr", ["path", "follow_symlinks"], 0, f_listxattr).with_kwonly(1),
    f!(
        "setxattr",
        ["path", "attribute", "value", "flags", "follow_symlinks"],
        3,
        f_setxattr
    )
    .with_kwonly(4),
    f!(
        "removexattr",
        ["path", "attribute", "follow_symlinks"],
        2,
        f_removexattr
    )
    .with_kwonly(2),
    f!("fspath", ["path"], 1, f_fspath),
    f!("fsencode", ["filename"], 1, f_fsencode),
    f!("fsdecode", ["filename"], 1, f_fsdecode),
    f!("putenv", ["name", "value"], 2, f_putenv),
    f!("unsetenv", ["name"], 1, f_unsetenv),
    f!("getenv", ["key", "default"], 1, f_getenv),
    f!("getenvb", ["key", "default"], 1, f_getenvb),
    f!("reload_environ", [], 0, f_reload_environ),
    f!("get_exec_path", ["env"], 0, f_get_exec_path),
    f!(
        "walk",
        ["top", "topdown", "onerror", "followlinks"],
        1,
        f_walk
    ),
    f!(
        "fwalk",
        ["top", "topdown", "onerror", "follow_symlinks", "dir_fd"],
        0,
        f_fwalk
    )
    .with_kwonly(3),
    f!("makedirs", ["name", "mode", "exist_ok"], 1, f_makedirs),
    f!("removedirs", ["name"], 1, f_removedirs),
    f!("renames", ["old", "new"], 2, f_renames),
    f!("execv", ["path", "argv"], 2, f_execv),
    f!("execve", ["path", "argv", "env"], 3, f_execve),
    f!("execvp", ["file", "args"], 2, f_execvp),
    f!("execvpe", ["file", "args", "env"], 3, f_execvpe),
    f!("execl", ["file"], 1, f_execl).with_varargs(),
    f!("execle", ["file"], 1, f_execle).with_varargs(),
    f!("execlp", ["file"], 1, f_execlp).with_varargs(),
    f!("execlpe", ["file"], 1, f_execlpe).with_varargs(),
    FuncDef::new("posix_spawn", SPAWN_PARAMS, 3, Kind::Static, f_posix_spawn).with_kwonly(3),
    FuncDef::new(
        "posix_spawnp",
        SPAWN_PARAMS,
        3,
        Kind::Static,
        f_posix_spawnp,
    )
    .with_kwonly(3),
    f!("spawnv", ["mode", "file", "args"], 3, f_spawnv),
    f!("spawnve", ["mode", "file", "args", "env"], 4, f_spawnve),
    f!("spawnvp", ["mode", "file", "args"], 3, f_spawnvp),
    f!("spawnvpe", ["mode", "file", "args", "env"], 4, f_spawnvpe),
    f!("spawnl", ["mode", "file"], 2, f_spawnl).with_varargs(),
    f!("spawnle", ["mode", "file"], 2, f_spawnle).with_varargs(),
    f!("spawnlp", ["mode", "file"], 2, f_spawnlp).with_varargs(),
    f!("spawnlpe", ["mode", "file"], 2, f_spawnlpe).with_varargs(),
    f!(
        "register_at_fork",
        ["before", "after_in_child", "after_in_parent"],
        0,
        f_register_at_fork
    ),
    f!("fork", [], 0, f_fork),
    f!("forkpty", [], 0, f_forkpty),
    f!("popen", ["cmd", "mode", "buffering"], 1, f_popen),
    f!(
        "fdopen",
        [
            "fd",
            "mode",
            "buffering",
            "encoding",
            "errors",
            "newline",
            "closefd",
            "opener"
        ],
        1,
        f_fdopen
    ),
];

/// The `os` module and `posix` (addresses; made once).
static MADE: OnceLock<(usize, usize)> = OnceLock::new();

fn made() -> (usize, usize) {
    *MADE.get_or_init(|| build().unwrap_or((0, 0)))
}

/// The `os` module (borrowed, process-lifetime; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    static OS: OnceLock<usize> = OnceLock::new();
    super::once(&OS, "os", || made().0 as *mut PyObject)
}

/// The `posix` module: the same functions, types and constants as `os`.
pub(crate) fn posix_module() -> *mut PyObject {
    static POSIX: OnceLock<usize> = OnceLock::new();
    super::once(&POSIX, "posix", || made().1 as *mut PyObject)
}

/// A class made by calling `type` (or `meta`) with these methods.
unsafe fn plain_class(module: &str, name: &str, defs: &'static [FuncDef]) -> R<*mut PyTypeObject> {
    // SAFETY: live objects.
    unsafe {
        let c = crate::abc::make_class(
            &raw mut crate::object::PyType_Type,
            module,
            name,
            &[],
            defs,
            &[],
        );
        nn(c.ptr())?;
        Ok(c.into_raw().cast())
    }
}

fn str_obj(s: &str) -> *mut PyObject {
    uni::from_str(s)
}

unsafe fn fill(d: *mut PyObject, posix: bool) -> R<()> {
    // SAFETY: a live module dict; every value put is a live new reference released after.
    unsafe {
        crate::stat::add_ints(d, CONSTANTS)?;
        crate::abc::add_funcs(d, FUNCS)?;
        let put = |k: &str, v: *mut PyObject| -> R<()> {
            let v = Obj::new(v);
            nn(v.ptr())?;
            if crate::dictobject::set_item_str(d, k, v.ptr()) < 0 {
                Err(())
            } else {
                Ok(())
            }
        };
        for (k, t) in [
            ("stat_result", stat_result_type()),
            ("statvfs_result", statvfs_result_type()),
            ("terminal_size", terminal_size_type()),
            ("times_result", times_result_type()),
            ("uname_result", uname_result_type()),
            ("waitid_result", waitid_result_type()),
            ("sched_param", sched_param_type()),
        ] {
            nn(t.cast())?;
            put(k, new_ref(t.cast()))?;
        }
        for (k, table) in [
            ("confstr_names", CONFSTR_NAMES),
            ("pathconf_names", PATHCONF_NAMES),
            ("sysconf_names", SYSCONF_NAMES),
        ] {
            let dd = Obj::new(crate::dictobject::new_dict());
            nn(dd.ptr())?;
            crate::stat::add_ints(dd.ptr(), table)?;
            put(k, dd.into_raw())?;
        }
        let env = ENV.get().ok_or(())?;
        // `posix.environ` is the dict of bytes `os.environ` reads (CPython's `_data`)
        put(
            "environ",
            new_ref(if posix { env.data } else { env.environ } as *mut PyObject),
        )?;
        put("error", new_ref((&raw mut EXC_OSError).cast()))?;
        put(
            "DirEntry",
            new_ref(*DIRENTRY.get().ok_or(())? as *mut PyObject),
        )?;
        if posix {
            return Ok(());
        }
        put("environb", new_ref(env.environb as *mut PyObject))?;
        put(
            "PathLike",
            new_ref(*PATHLIKE.get().ok_or(())? as *mut PyObject),
        )?;
        put("name", str_obj("posix"))?;
        put("linesep", str_obj("\n"))?;
        put("curdir", str_obj("."))?;
        put("pardir", str_obj(".."))?;
        put("sep", str_obj("/"))?;
        put("pathsep", str_obj(":"))?;
        put("extsep", str_obj("."))?;
        put("defpath", str_obj("/bin:/usr/bin"))?;
        put("devnull", str_obj("/dev/null"))?;
        put("altsep", none())?;
        put("supports_bytes_environ", py_bool(true))?;
        let p = crate::posixpath::module();
        nn(p)?;
        put("path", new_ref(p))?;
        let all: Vec<*mut PyObject> = {
            let mut names: Vec<String> = CONSTANTS.iter().map(|(n, _)| n.to_string()).collect();
            names.extend(
                FUNCS
                    .iter()
                    .map(|f| f.name().to_string())
                    .filter(|n| n != "process_cpu_count"),
            );
            names.extend(
                [
                    "stat_result",
                    "statvfs_result",
                    "terminal_size",
                    "times_result",
                    "uname_result",
                    "waitid_result",
                    "sched_param",
                    "confstr_names",
                    "pathconf_names",
                    "sysconf_names",
                    "environ",
                    "environb",
                    "error",
                    "DirEntry",
                    "name",
                    "linesep",
                    "curdir",
                    "pardir",
                    "sep",
                    "pathsep",
                    "extsep",
                    "defpath",
                    "devnull",
                    "altsep",
                    "supports_bytes_environ",
                    "path",
                ]
                .iter()
                .map(|s| s.to_string()),
            );
            names.iter().map(|n| str_obj(n)).collect()
        };
        put("__all__", list_own(all)?)?;
        Ok(())
    }
}

fn build() -> Option<(usize, usize)> {
    // SAFETY: new modules and classes filled with live objects.
    unsafe {
        // the struct sequences first; `stat_result` gets its own `__new__`
        let st = stat_result_type();
        if st.is_null() {
            return None;
        }
        let _ = STAT_NEW.set((*st).tp_new);
        (*st).tp_new = Some(stat_result_new);
        let sp = sched_param_type();
        if sp.is_null() {
            return None;
        }
        (*sp).tp_new = Some(sched_param_new);
        if ENV.get().is_none() {
            make_environ().ok()?;
        }
        let pl = crate::abc::make_class(
            crate::abc::abcmeta(),
            "os",
            "PathLike",
            &[],
            &PATHLIKE_FUNCS,
            &[],
        );
        if pl.is_null() {
            return None;
        }
        let _ = PATHLIKE.set(pl.into_raw() as usize);
        let de = plain_class("posix", "DirEntry", &DIRENTRY_FUNCS).ok()?;
        (*de).tp_repr = Some(direntry_repr);
        (*de).tp_new = Some(no_new);
        let _ = DIRENTRY.set(de as usize);
        let si = plain_class("posix", "ScandirIterator", &SCANDIR_FUNCS).ok()?;
        (*si).tp_iter = Some(self_iter);
        (*si).tp_iternext = Some(scan_iternext);
        (*si).tp_new = Some(no_new);
        let _ = SCANDIR_ITER.set(si as usize);
        let wi = plain_class("os", "walk", &WALK_FUNCS).ok()?;
        (*wi).tp_iter = Some(self_iter);
        (*wi).tp_iternext = Some(walk_iternext);
        (*wi).tp_new = Some(no_new);
        let _ = WALK_ITER.set(wi as usize);
        let os = crate::moduleobject::new_module(uni::intern("os"));
        let px = crate::moduleobject::new_module(uni::intern("posix"));
        if os.is_null() || px.is_null() {
            return None;
        }
        let dos = (*os.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let dpx = (*px.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        fill(dos, false).ok()?;
        fill(dpx, true).ok()?;
        Some((os as usize, px as usize))
    }
}
