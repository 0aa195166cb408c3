//! gilgate's own `posixpath` module (CPython's `Lib/posixpath.py` with the parts of
//! `Lib/genericpath.py` it re-exports), also imported as `os.path`: the path functions work
//! on str and bytes (and `os.PathLike`), on the file-system encoded bytes of a str, which
//! keeps `/` and `.` intact; the results have the argument's type.

use crate::abc::{FuncDef, Kind, Obj, py_bool};
use crate::object::{PyObject, PyTypeObject};
use crate::posixmodule::{
    R, Target, done, fs_out, is_none, list_own, nn, opt_bool, os_bytes, path_or_fd, raise_errno,
    stat_bytes, tuple_own,
};
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use crate::unicodeobject as uni;
use std::ffi::{CString, c_int};
use std::ptr::null_mut;
use std::sync::OnceLock;

macro_rules! path_fn {
    ($name:ident, |$a:ident| $body:block) => {
        #[allow(unused_unsafe, clippy::redundant_closure_call)]
        unsafe fn $name($a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments (Func contract).
            unsafe { done((|| -> R<*mut PyObject> { $body })()) }
        }
    };
}

fn out(b: &[u8], bytes: bool) -> R<*mut PyObject> {
    nn(fs_out(b, bytes))
}

/// CPython's `_check_arg_types`: the TypeError for a bad or mixed argument list.
unsafe fn check_arg_types(func: &str, args: &[*mut PyObject]) {
    // SAFETY: live objects.
    unsafe {
        let (mut s, mut b) = (false, false);
        for &o in args {
            if uni::is_str(o) {
                s = true;
            } else if crate::bytesobject::is_bytes(o) {
                b = true;
            } else {
                let t = crate::object::type_name(crate::object::ty(o));
                raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "{func}() argument must be str, bytes, or os.PathLike object, not '{t}'"
                    ),
                );
                return;
            }
        }
        if s && b {
            raise(
                &raw mut EXC_TypeError,
                "Can't mix strings and bytes in path components",
            );
        }
    }
}

/// The fspath'd arguments of a multi-argument function, all one type (CPython's texts).
unsafe fn same_type(func: &str, args: &[*mut PyObject]) -> R<(Vec<Vec<u8>>, bool)> {
    // SAFETY: live objects.
    unsafe {
        let mut paths = Vec::new();
        let mut objs = Vec::new();
        for &o in args {
            let p = Obj::new(uni::PyOS_FSPath(o));
            if p.is_null() {
                crate::pyerrors::clear();
                check_arg_types(func, args);
                if !crate::pyerrors::occurred() {
                    let _ = Obj::new(uni::PyOS_FSPath(o));
                }
                return Err(());
            }
            objs.push(p);
        }
        let ptrs: Vec<*mut PyObject> = objs.iter().map(|o| o.ptr()).collect();
        let bytes = crate::bytesobject::is_bytes(ptrs[0]);
        if ptrs
            .iter()
            .any(|&p| crate::bytesobject::is_bytes(p) != bytes)
        {
            check_arg_types(func, &ptrs);
            return Err(());
        }
        for &p in &ptrs {
            let (b, _) = os_bytes(p)?;
            paths.push(b);
        }
        Ok((paths, bytes))
    }
}

path_fn!(f_normcase, |a| { nn(uni::PyOS_FSPath(a[0])) });

path_fn!(f_isabs, |a| {
    let (p, _) = os_bytes(a[0])?;
    Ok(py_bool(p.starts_with(b"/")))
});

pub(crate) fn join(a: &[u8], b: &[u8]) -> Vec<u8> {
    crate::posixmodule::join_bytes(a, b)
}

path_fn!(f_join, |a| {
    let first = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(first.ptr())?;
    let mut all = vec![a[0]];
    all.extend(a.iter().skip(1).copied());
    let (parts, bytes) = same_type("join", &all)?;
    let mut p = parts[0].clone();
    for b in &parts[1..] {
        if b.starts_with(b"/") {
            p = b.clone();
        } else if p.is_empty() || p.ends_with(b"/") {
            p.extend_from_slice(b);
        } else {
            p.push(b'/');
            p.extend_from_slice(b);
        }
    }
    out(&p, bytes)
});

path_fn!(f_splitdrive, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    tuple_own(vec![fs_out(b"", bytes), fs_out(&p, bytes)])
});

path_fn!(f_splitroot, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let (root, rest): (&[u8], &[u8]) = if !p.starts_with(b"/") {
        (b"", &p)
    } else if p.get(1) != Some(&b'/') || p.get(2) == Some(&b'/') {
        (b"/", &p[1..])
    } else {
        (&p[..2], &p[2..])
    };
    tuple_own(vec![
        fs_out(b"", bytes),
        fs_out(root, bytes),
        fs_out(rest, bytes),
    ])
});

path_fn!(f_split, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let (h, t) = crate::posixmodule::split_bytes(&p);
    tuple_own(vec![fs_out(&h, bytes), fs_out(&t, bytes)])
});

fn splitext(p: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let sep = p.iter().rposition(|&c| c == b'/');
    let dot = p.iter().rposition(|&c| c == b'.');
    if let Some(d) = dot
        && sep.is_none_or(|s| d > s)
    {
        let start = sep.map_or(0, |s| s + 1);
        if p[start..d].iter().any(|&c| c != b'.') {
            return (p[..d].to_vec(), p[d..].to_vec());
        }
    }
    (p.to_vec(), Vec::new())
}

path_fn!(f_splitext, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let (r, e) = splitext(&p);
    tuple_own(vec![fs_out(&r, bytes), fs_out(&e, bytes)])
});

path_fn!(f_basename, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let i = p.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    out(&p[i..], bytes)
});

path_fn!(f_dirname, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let (h, _) = crate::posixmodule::split_bytes(&p);
    out(&h, bytes)
});

path_fn!(f_commonprefix, |a| {
    let items = crate::abc::collect(a[0])?;
    if items.is_empty() {
        return nn(uni::from_str(""));
    }
    let first = items[0].ptr();
    if crate::listobject::is_list(first) || crate::tupleobject::is_tuple(first) {
        // sequences of components: the common leading items of min() and max()
        let mn = crate::abc::call(
            crate::dictobject::get_str(crate::bltinmodule::builtins_dict(), "min"),
            &[a[0]],
        );
        let mx = crate::abc::call(
            crate::dictobject::get_str(crate::bltinmodule::builtins_dict(), "max"),
            &[a[0]],
        );
        nn(mn.ptr())?;
        nn(mx.ptr())?;
        let s1 = crate::abc::collect(mn.ptr())?;
        let s2 = crate::abc::collect(mx.ptr())?;
        let mut n = s1.len();
        for (i, x) in s1.iter().enumerate() {
            let eq = if i < s2.len() {
                crate::abstract_::PyObject_RichCompareBool(
                    x.ptr(),
                    s2[i].ptr(),
                    crate::object::Py_EQ,
                )
            } else {
                0
            };
            if eq < 0 {
                return Err(());
            }
            if eq == 0 {
                n = i;
                break;
            }
        }
        return nn(crate::abstract_::PySequence_GetSlice(
            mn.ptr(),
            0,
            n as isize,
        ));
    }
    let mut paths = Vec::new();
    let mut bytes = false;
    for (i, it) in items.iter().enumerate() {
        let p = Obj::new(uni::PyOS_FSPath(it.ptr()));
        nn(p.ptr())?;
        let b = crate::bytesobject::is_bytes(p.ptr());
        if i == 0 {
            bytes = b;
        } else if b != bytes {
            let t = |x: bool| if x { "bytes" } else { "str" };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "'<' not supported between instances of '{}' and '{}'",
                    t(b),
                    t(bytes)
                ),
            );
            return Err(());
        }
        paths.push(os_bytes(p.ptr())?.0);
    }
    let s1 = paths.iter().min().cloned().unwrap_or_default();
    let s2 = paths.iter().max().cloned().unwrap_or_default();
    let mut n = s1.iter().zip(&s2).take_while(|(x, y)| x == y).count();
    if !bytes {
        // a str prefix ends on a character boundary
        while n > 0 && n < s1.len() && (s1[n] & 0xC0) == 0x80 {
            n -= 1;
        }
    }
    out(&s1[..n], bytes)
});

/// `os.stat(path)` as genericpath calls it: the stat, or None for the errors it swallows
/// (OSError, ValueError); other errors propagate.
unsafe fn stat_quiet(o: *mut PyObject, follow: bool) -> R<Option<libc::stat>> {
    // SAFETY: a live object.
    unsafe {
        let t = if follow {
            path_or_fd("stat", "path", o)
        } else {
            crate::posixmodule::path_only("lstat", "path", o).map(Target::Path)
        };
        let t = match t {
            Ok(t) => t,
            Err(()) => {
                if crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                    crate::pyerrors::clear();
                    return Ok(None);
                }
                return Err(());
            }
        };
        Ok(crate::posixmodule::do_stat(&t, libc::AT_FDCWD, follow).ok())
    }
}

/// `os.stat(path)` raising its error.
unsafe fn stat_raise(o: *mut PyObject) -> R<libc::stat> {
    // SAFETY: a live object.
    unsafe {
        let t = path_or_fd("stat", "path", o)?;
        crate::posixmodule::do_stat(&t, libc::AT_FDCWD, true).map_err(|e| {
            raise_errno(e, o, null_mut());
        })
    }
}

path_fn!(f_exists, |a| {
    Ok(py_bool(stat_quiet(a[0], true)?.is_some()))
});
path_fn!(f_lexists, |a| {
    Ok(py_bool(stat_quiet(a[0], false)?.is_some()))
});

fn fmt(st: &Option<libc::stat>, want: u32) -> bool {
    st.is_some_and(|s| s.st_mode & libc::S_IFMT == want)
}

path_fn!(f_isdir, |a| {
    Ok(py_bool(fmt(&stat_quiet(a[0], true)?, libc::S_IFDIR)))
});
path_fn!(f_isfile, |a| {
    Ok(py_bool(fmt(&stat_quiet(a[0], true)?, libc::S_IFREG)))
});
path_fn!(f_islink, |a| {
    Ok(py_bool(fmt(&stat_quiet(a[0], false)?, libc::S_IFLNK)))
});

path_fn!(f_isjunction, |a| {
    nn(uni::PyOS_FSPath(a[0]))?;
    crate::refcount::decref(uni::PyOS_FSPath(a[0]));
    Ok(py_bool(false))
});

path_fn!(f_getsize, |a| {
    Ok(crate::longobject::from_i64(stat_raise(a[0])?.st_size))
});

fn ftime(s: i64, ns: i64) -> R<*mut PyObject> {
    nn(crate::floatobject::from_f64(s as f64 + ns as f64 * 1e-9))
}

path_fn!(f_getmtime, |a| {
    let st = stat_raise(a[0])?;
    ftime(st.st_mtime, st.st_mtime_nsec)
});
path_fn!(f_getatime, |a| {
    let st = stat_raise(a[0])?;
    ftime(st.st_atime, st.st_atime_nsec)
});
path_fn!(f_getctime, |a| {
    let st = stat_raise(a[0])?;
    ftime(st.st_ctime, st.st_ctime_nsec)
});

path_fn!(f_ismount, |a| {
    let Some(s1) = stat_quiet(a[0], false)? else {
        return Ok(py_bool(false));
    };
    if s1.st_mode & libc::S_IFMT == libc::S_IFLNK {
        return Ok(py_bool(false));
    }
    let (p, _) = os_bytes(a[0])?;
    let parent = join(&p, b"..");
    let c = CString::new(parent.clone()).unwrap_or_default();
    let s2 = match stat_bytes(&c, false) {
        Ok(s) => s,
        Err(_) => {
            let r = realpath(&parent, Strict::No)?;
            let c = CString::new(r).unwrap_or_default();
            match stat_bytes(&c, false) {
                Ok(s) => s,
                Err(_) => return Ok(py_bool(false)),
            }
        }
    };
    Ok(py_bool(s1.st_dev != s2.st_dev || s1.st_ino == s2.st_ino))
});

/// A user's home directory from the password database (None: no such user).
fn home_of(name: Option<&[u8]>) -> Option<Vec<u8>> {
    let mut buf = vec![0 as libc::c_char; 16384];
    // SAFETY: a zeroed passwd, a buffer of its length and a result pointer; the name is
    // NUL-terminated.
    unsafe {
        let mut pw: libc::passwd = std::mem::zeroed();
        let mut res: *mut libc::passwd = null_mut();
        let r = match name {
            None => libc::getpwuid_r(
                libc::getuid(),
                &mut pw,
                buf.as_mut_ptr(),
                buf.len(),
                &mut res,
            ),
            Some(n) => {
                let c = CString::new(n).ok()?;
                libc::getpwnam_r(c.as_ptr(), &mut pw, buf.as_mut_ptr(), buf.len(), &mut res)
            }
        };
        if r != 0 || res.is_null() || pw.pw_dir.is_null() {
            return None;
        }
        Some(std::ffi::CStr::from_ptr(pw.pw_dir).to_bytes().to_vec())
    }
}

/// A value of the `os.environ` snapshot (bytes).
fn env_get(k: &[u8]) -> Option<Vec<u8>> {
    let d = crate::posixmodule::env_data();
    if d.is_null() {
        return None;
    }
    let key = Obj::new(crate::bytesobject::from_bytes(k));
    // SAFETY: the live snapshot dict and a new bytes key.
    unsafe {
        let v = crate::dictobject::get(d, key.ptr());
        if v.is_null() {
            crate::pyerrors::clear();
            return None;
        }
        Some(crate::bytesobject::as_bytes(v).to_vec())
    }
}

path_fn!(f_expanduser, |a| {
    let p = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(p.ptr())?;
    let (b, bytes) = os_bytes(p.ptr())?;
    if !b.starts_with(b"~") {
        return Ok(p.into_raw());
    }
    let i = b[1..]
        .iter()
        .position(|&c| c == b'/')
        .map_or(b.len(), |i| i + 1);
    let home = if i == 1 {
        match env_get(b"HOME") {
            Some(h) => h,
            None => match home_of(None) {
                Some(h) => h,
                None => return Ok(p.into_raw()),
            },
        }
    } else {
        match home_of(Some(&b[1..i])) {
            Some(h) => h,
            None => return Ok(p.into_raw()),
        }
    };
    let mut h = home;
    while h.ends_with(b"/") {
        h.pop();
    }
    h.extend_from_slice(&b[i..]);
    if h.is_empty() {
        h.push(b'/');
    }
    out(&h, bytes)
});

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

path_fn!(f_expandvars, |a| {
    let p = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(p.ptr())?;
    let (b, bytes) = os_bytes(p.ptr())?;
    if !b.contains(&b'$') {
        return Ok(p.into_raw());
    }
    let mut res = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            res.push(b[i]);
            i += 1;
            continue;
        }
        // `$name` or `${...}` (the closing brace optional in the match)
        let (name, end, whole_ok) = if b.get(i + 1) == Some(&b'{') {
            match b[i + 2..].iter().position(|&c| c == b'}') {
                Some(k) => (&b[i + 2..i + 2 + k], i + 3 + k, true),
                None => (&b[i + 2..], b.len(), false),
            }
        } else {
            let k = b[i + 1..].iter().take_while(|&&c| is_word(c)).count();
            if k == 0 {
                res.push(b'$');
                i += 1;
                continue;
            }
            (&b[i + 1..i + 1 + k], i + 1 + k, true)
        };
        match env_get(name).filter(|_| whole_ok) {
            Some(v) => res.extend_from_slice(&v),
            None => res.extend_from_slice(&b[i..end]),
        }
        i = end;
    }
    out(&res, bytes)
});

pub(crate) fn normpath(p: &[u8]) -> Vec<u8> {
    if p.is_empty() {
        return b".".to_vec();
    }
    let mut initial = usize::from(p.starts_with(b"/"));
    if p.starts_with(b"//") && !p.starts_with(b"///") {
        initial = 2;
    }
    let mut comps: Vec<&[u8]> = Vec::new();
    for c in p.split(|&c| c == b'/') {
        if c.is_empty() || c == b"." {
            continue;
        }
        if c != b".." || (initial == 0 && comps.is_empty()) || comps.last() == Some(&&b".."[..]) {
            comps.push(c);
        } else if !comps.is_empty() {
            comps.pop();
        }
    }
    let mut out = vec![b'/'; initial];
    out.extend_from_slice(&comps.join(&b'/'));
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

path_fn!(f_normpath, |a| {
    let (p, bytes) = match crate::posixmodule::path_only("_path_normpath", "path", a[0]) {
        Ok(p) => (p.c.into_bytes(), p.bytes),
        Err(()) => {
            if crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                // an embedded NUL is a character like any other here
                crate::pyerrors::clear();
                os_bytes(a[0])?
            } else {
                return Err(());
            }
        }
    };
    out(&normpath(&p), bytes)
});

fn cwd() -> R<Vec<u8>> {
    crate::posixmodule::getcwd_bytes().map_err(|e| {
        raise_errno(e, null_mut(), null_mut());
    })
}

pub(crate) fn abspath(p: &[u8]) -> R<Vec<u8>> {
    if p.starts_with(b"/") {
        return Ok(normpath(p));
    }
    Ok(normpath(&join(&cwd()?, p)))
}

path_fn!(f_abspath, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    out(&abspath(&p)?, bytes)
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strict {
    No,
    Yes,
    AllowMissing,
}

/// CPython 3.14's `realpath` walk (its order of `lstat`/`readlink`, loop detection and
/// strict modes).
fn realpath(filename: &[u8], strict: Strict) -> R<Vec<u8>> {
    let bytes_path = |p: &[u8]| Obj::new(fs_out(p, false));
    let mut rest: Vec<Option<Vec<u8>>> = filename
        .split(|&c| c == b'/')
        .rev()
        .map(|s| Some(s.to_vec()))
        .collect();
    let mut part_count = rest.len();
    let mut path = if filename.starts_with(b"/") {
        b"/".to_vec()
    } else {
        cwd()?
    };
    let mut seen: std::collections::HashMap<Vec<u8>, Option<Vec<u8>>> =
        std::collections::HashMap::new();
    let strict_on = strict != Strict::No;
    let ignored = |e: c_int| match strict {
        Strict::No => true,
        Strict::Yes => false,
        Strict::AllowMissing => e == libc::ENOENT,
    };
    while part_count > 0 {
        let Some(name) = rest.pop() else { break };
        let Some(name) = name else {
            if let Some(Some(link)) = rest.pop() {
                seen.insert(link, Some(path.clone()));
            }
            continue;
        };
        part_count -= 1;
        if name.is_empty() || name == b"." {
            continue;
        }
        if name == b".." {
            let i = path.iter().rposition(|&c| c == b'/').unwrap_or(0);
            path.truncate(i);
            if path.is_empty() {
                path.push(b'/');
            }
            continue;
        }
        let newpath = if path == b"/" {
            [&path[..], &name].concat()
        } else {
            [&path[..], b"/", &name].concat()
        };
        let c = CString::new(newpath.clone()).unwrap_or_default();
        let err: c_int;
        match stat_bytes(&c, false) {
            Ok(st) => {
                let m = st.st_mode & libc::S_IFMT;
                if m != libc::S_IFLNK {
                    if strict_on && part_count > 0 && m != libc::S_IFDIR {
                        err = libc::ENOTDIR;
                    } else {
                        path = newpath;
                        continue;
                    }
                } else if let Some(v) = seen.get(&newpath) {
                    if let Some(v) = v {
                        path = v.clone();
                        continue;
                    }
                    if strict_on {
                        // os.stat on the loop raises ELOOP
                        let e = stat_bytes(&c, true).err().unwrap_or(libc::ELOOP);
                        let o = bytes_path(&newpath);
                        raise_errno(e, o.ptr(), null_mut());
                        return Err(());
                    }
                    path = newpath;
                    continue;
                } else {
                    match crate::posixmodule::readlink_bytes(libc::AT_FDCWD, &c) {
                        Ok(target) => {
                            if target.starts_with(b"/") {
                                path = b"/".to_vec();
                            }
                            seen.insert(newpath.clone(), None);
                            rest.push(Some(newpath));
                            rest.push(None);
                            let parts: Vec<Option<Vec<u8>>> = target
                                .split(|&c| c == b'/')
                                .rev()
                                .map(|s| Some(s.to_vec()))
                                .collect();
                            part_count += parts.len();
                            rest.extend(parts);
                            continue;
                        }
                        Err(e) => err = e,
                    }
                }
            }
            Err(e) => err = e,
        }
        if !ignored(err) {
            let o = bytes_path(&newpath);
            raise_errno(err, o.ptr(), null_mut());
            return Err(());
        }
        path = newpath;
    }
    Ok(path)
}

static ALLOW_MISSING: OnceLock<usize> = OnceLock::new();

path_fn!(f_realpath, |a| {
    let (p, bytes) = os_bytes(a[0])?;
    let strict = if a[1].is_null() {
        Strict::No
    } else if Some(a[1] as usize) == ALLOW_MISSING.get().copied() {
        Strict::AllowMissing
    } else if opt_bool(a[1], false)? {
        Strict::Yes
    } else {
        Strict::No
    };
    match realpath(&p, strict) {
        Ok(r) => out(&r, bytes),
        Err(()) => {
            // the error's filename has the argument's type
            if bytes && crate::pyerrors::occurred() {
                let e = crate::pyerrors::take_raised();
                let f = crate::abc::getattr(e, "filename");
                if !f.is_null() && uni::is_str(f.ptr()) {
                    let b = uni::encode_fs(f.ptr()).unwrap_or_default();
                    let nb = Obj::new(crate::bytesobject::from_bytes(&b));
                    let k = Obj::new(uni::from_str("filename"));
                    crate::object::setattr(e, k.ptr(), nb.ptr());
                }
                crate::pyerrors::clear();
                crate::pyerrors::restore_raised(e);
            }
            Err(())
        }
    }
});

path_fn!(f_relpath, |a| {
    let p0 = Obj::new(uni::PyOS_FSPath(a[0]));
    nn(p0.ptr())?;
    let (pb, bytes) = os_bytes(p0.ptr())?;
    if pb.is_empty() {
        raise(&raw mut EXC_ValueError, "no path specified");
        return Err(());
    }
    let start = if is_none(a[1]) {
        Obj::new(fs_out(b".", bytes))
    } else {
        Obj::new(uni::PyOS_FSPath(a[1]))
    };
    nn(start.ptr())?;
    let (parts, bytes) = same_type("relpath", &[p0.ptr(), start.ptr()])?;
    let st = abspath(&parts[1])?;
    let pt = abspath(&parts[0])?;
    let split = |v: &[u8]| -> Vec<Vec<u8>> {
        let t: &[u8] = {
            let k = v.iter().take_while(|&&c| c == b'/').count();
            &v[k..]
        };
        if t.is_empty() {
            Vec::new()
        } else {
            t.split(|&c| c == b'/').map(|s| s.to_vec()).collect()
        }
    };
    let sl = split(&st);
    let pl = split(&pt);
    let i = sl.iter().zip(&pl).take_while(|(x, y)| x == y).count();
    let mut rel: Vec<Vec<u8>> = vec![b"..".to_vec(); sl.len() - i];
    rel.extend(pl[i..].iter().cloned());
    if rel.is_empty() {
        return out(b".", bytes);
    }
    out(&rel.join(&b'/'), bytes)
});

path_fn!(f_commonpath, |a| {
    let items = crate::abc::collect(a[0])?;
    let mut objs = Vec::new();
    for it in &items {
        let p = Obj::new(uni::PyOS_FSPath(it.ptr()));
        nn(p.ptr())?;
        objs.push(p);
    }
    if objs.is_empty() {
        raise(
            &raw mut EXC_ValueError,
            "commonpath() arg is an empty sequence",
        );
        return Err(());
    }
    let ptrs: Vec<*mut PyObject> = objs.iter().map(|o| o.ptr()).collect();
    let (paths, bytes) = same_type("commonpath", &ptrs)?;
    let abs: Vec<bool> = paths.iter().map(|p| p.starts_with(b"/")).collect();
    if abs.iter().any(|&x| x != abs[0]) {
        raise(
            &raw mut EXC_ValueError,
            "Can't mix absolute and relative paths",
        );
        return Err(());
    }
    let split: Vec<Vec<&[u8]>> = paths
        .iter()
        .map(|p| {
            p.split(|&c| c == b'/')
                .filter(|c| !c.is_empty() && *c != b".")
                .collect()
        })
        .collect();
    let s1 = split.iter().min().cloned().unwrap_or_default();
    let s2 = split.iter().max().cloned().unwrap_or_default();
    let n = s1.iter().zip(&s2).take_while(|(x, y)| x == y).count();
    let mut r = if abs[0] { b"/".to_vec() } else { Vec::new() };
    r.extend_from_slice(&s1[..n].join(&b'/'));
    out(&r, bytes)
});

unsafe fn same(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: live stat results (any objects with st_ino and st_dev).
    unsafe {
        for name in ["st_ino", "st_dev"] {
            let x = crate::abc::getattr(a, name);
            nn(x.ptr())?;
            let y = crate::abc::getattr(b, name);
            nn(y.ptr())?;
            let r =
                crate::abstract_::PyObject_RichCompareBool(x.ptr(), y.ptr(), crate::object::Py_EQ);
            if r < 0 {
                return Err(());
            }
            if r == 0 {
                return Ok(py_bool(false));
            }
        }
        Ok(py_bool(true))
    }
}

path_fn!(f_samestat, |a| { same(a[0], a[1]) });

path_fn!(f_samefile, |a| {
    let s1 = Obj::new(crate::posixmodule::stat_result(&stat_raise(a[0])?));
    let s2 = Obj::new(crate::posixmodule::stat_result(&stat_raise(a[1])?));
    nn(s1.ptr())?;
    nn(s2.ptr())?;
    same(s1.ptr(), s2.ptr())
});

path_fn!(f_sameopenfile, |a| {
    let st = |o: *mut PyObject| -> R<Obj> {
        let fd = crate::posixmodule::int_arg(o)? as c_int;
        match crate::posixmodule::do_stat(&Target::Fd(fd), 0, true) {
            Ok(s) => Ok(Obj::new(crate::posixmodule::stat_result(&s))),
            Err(e) => {
                raise_errno(e, null_mut(), null_mut());
                Err(())
            }
        }
    };
    let s1 = st(a[0])?;
    let s2 = st(a[1])?;
    same(s1.ptr(), s2.ptr())
});

macro_rules! p {
    ($name:literal, [$($p:literal),*], $req:literal, $body:ident) => {
        FuncDef::new($name, &[$($p),*], $req, Kind::Static, $body)
    };
}

static FUNCS: &[FuncDef] = &[
    p!("normcase", ["s"], 1, f_normcase),
    p!("isabs", ["s"], 1, f_isabs),
    p!("join", ["a"], 1, f_join).with_varargs(),
    p!("splitdrive", ["p"], 1, f_splitdrive),
    p!("splitroot", ["p"], 1, f_splitroot),
    p!("split", ["p"], 1, f_split),
    p!("splitext", ["p"], 1, f_splitext),
    p!("basename", ["p"], 1, f_basename),
    p!("dirname", ["p"], 1, f_dirname),
    p!("commonprefix", ["m"], 1, f_commonprefix),
    p!("getsize", ["filename"], 1, f_getsize),
    p!("getmtime", ["filename"], 1, f_getmtime),
    p!("getatime", ["filename"], 1, f_getatime),
    p!("getctime", ["filename"], 1, f_getctime),
    p!("islink", ["path"], 1, f_islink),
    p!("exists", ["path"], 1, f_exists),
    p!("lexists", ["path"], 1, f_lexists),
    p!("isdir", ["s"], 1, f_isdir),
    p!("isfile", ["path"], 1, f_isfile),
    p!("ismount", ["path"], 1, f_ismount),
    p!("expanduser", ["path"], 1, f_expanduser),
    p!("expandvars", ["path"], 1, f_expandvars),
    p!("normpath", ["path"], 1, f_normpath),
    p!("abspath", ["path"], 1, f_abspath),
    p!("realpath", ["filename", "strict"], 1, f_realpath).with_kwonly(1),
    p!("relpath", ["path", "start"], 1, f_relpath),
    p!("commonpath", ["paths"], 1, f_commonpath),
    p!("isjunction", ["path"], 1, f_isjunction),
    p!("isdevdrive", ["path"], 1, f_isjunction),
    p!("samefile", ["f1", "f2"], 2, f_samefile),
    p!("sameopenfile", ["fp1", "fp2"], 2, f_sameopenfile),
    p!("samestat", ["s1", "s2"], 2, f_samestat),
];

unsafe fn m_allow_missing_repr(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    uni::from_str("os.path.ALLOW_MISSING")
}
unsafe fn m_allow_missing_reduce(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    uni::from_str("ALLOW_MISSING")
}
unsafe extern "C" fn allow_missing_repr(_op: *mut PyObject) -> *mut PyObject {
    uni::from_str("os.path.ALLOW_MISSING")
}

static ALLOW_MISSING_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "ALLOW_MISSING.__repr__",
        &["self"],
        1,
        Kind::Method,
        m_allow_missing_repr,
    ),
    FuncDef::new(
        "ALLOW_MISSING.__reduce__",
        &["self"],
        1,
        Kind::Method,
        m_allow_missing_reduce,
    ),
];

static MADE: OnceLock<usize> = OnceLock::new();

/// The `posixpath` module (also `os.path`; borrowed, process-lifetime; NULL with an
/// exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "posixpath", || build().unwrap_or(0) as *mut PyObject)
}

fn build() -> Option<usize> {
    // SAFETY: a new module whose dict is filled with live objects.
    unsafe {
        let m = crate::moduleobject::new_module(uni::intern("posixpath"));
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        crate::abc::add_funcs(d, FUNCS).ok()?;
        let put = |k: &str, v: *mut PyObject| -> Option<()> {
            let v = Obj::new(v);
            if v.is_null() || crate::dictobject::set_item_str(d, k, v.ptr()) < 0 {
                return None;
            }
            Some(())
        };
        for (k, v) in [
            ("curdir", "."),
            ("pardir", ".."),
            ("sep", "/"),
            ("pathsep", ":"),
            ("defpath", "/bin:/usr/bin"),
            ("extsep", "."),
            ("devnull", "/dev/null"),
        ] {
            put(k, uni::from_str(v))?;
        }
        put("altsep", crate::object::new_none())?;
        put("supports_unicode_filenames", py_bool(false))?;
        let cls = crate::abc::make_class(
            &raw mut crate::object::PyType_Type,
            "genericpath",
            "ALLOW_MISSING",
            &[],
            &ALLOW_MISSING_FUNCS,
            &[],
        );
        if cls.is_null() {
            return None;
        }
        (*cls.ptr().cast::<PyTypeObject>()).tp_repr = Some(allow_missing_repr);
        let inst = crate::abc::call(cls.ptr(), &[]);
        if inst.is_null() {
            return None;
        }
        let _ = ALLOW_MISSING.set(inst.ptr() as usize);
        put("ALLOW_MISSING", inst.into_raw())?;
        let names: Vec<*mut PyObject> = [
            "normcase",
            "isabs",
            "join",
            "splitdrive",
            "splitroot",
            "split",
            "splitext",
            "basename",
            "dirname",
            "commonprefix",
            "getsize",
            "getmtime",
            "getatime",
            "getctime",
            "islink",
            "exists",
            "lexists",
            "isdir",
            "isfile",
            "ismount",
            "expanduser",
            "expandvars",
            "normpath",
            "abspath",
            "samefile",
            "sameopenfile",
            "samestat",
            "curdir",
            "pardir",
            "sep",
            "pathsep",
            "defpath",
            "altsep",
            "extsep",
            "devnull",
            "realpath",
            "supports_unicode_filenames",
            "relpath",
            "commonpath",
            "isjunction",
            "isdevdrive",
            "ALLOW_MISSING",
        ]
        .iter()
        .map(|s| uni::from_str(s))
        .collect();
        put("__all__", list_own(names).ok()?)?;
        Some(m as usize)
    }
}
