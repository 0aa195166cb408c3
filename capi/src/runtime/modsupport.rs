//! `modsupport.h`, CPython's `Python/modsupport.c`: `Py_BuildValue` (the Rust half; the C shim
//! `c/modsupport.c` reads the variadic arguments) and 3.15's `PyABIInfo` with its check. Argument
//! parsing (`PyArg_Parse*`) is in `getargs.rs`; module-building helpers in `objects/moduleobject.rs`.

use crate::export;
use crate::object::PyObject;
use crate::pyerrors::raise_import_error;
use crate::pyerrors::{self as err, EXC_SystemError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::c_void;
use std::ffi::{CStr, c_char, c_int};
use std::ptr::null_mut;

/// `PyABIInfo` (12 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PyABIInfo {
    pub abiinfo_major_version: u8,
    pub abiinfo_minor_version: u8,
    pub flags: u16,
    pub build_version: u32,
    pub abi_version: u32,
}

pub const PyABIInfo_STABLE: u16 = 0x1;
pub const PyABIInfo_GIL: u16 = 0x2;
pub const PyABIInfo_FREETHREADED: u16 = 0x4;
pub const PyABIInfo_INTERNAL: u16 = 0x8;
pub const PyABIInfo_FREETHREADING_AGNOSTIC: u16 = PyABIInfo_GIL | PyABIInfo_FREETHREADED;

/// The version whose rules `PyABIInfo_Check` applies (3.15.2, free-threaded).
pub(crate) const CHECK_VERSION_HEX: u32 = 0x030F_02F0;

/// `PyABIInfo_Check` (§2.5): 0 or -1 with ImportError("<module>: <reason>").
///
/// # Safety
/// `info` must be NULL or point to a `PyABIInfo`.
pub(crate) unsafe fn abi_info_check(info: *const PyABIInfo, module_name: Option<&str>) -> c_int {
    let fail = |reason: String| {
        let msg = match module_name {
            Some(n) => format!("{n}: {reason}"),
            None => reason,
        };
        raise_import_error(&msg, None, None);
        -1
    };
    // SAFETY: forwarded contract.
    let Some(i) = (unsafe { info.as_ref() }) else {
        return fail("NULL PyABIInfo".into());
    };
    if i.abiinfo_major_version == 0 {
        return 0;
    }
    if i.abiinfo_major_version > 1 {
        return fail("PyABIInfo version too high".into());
    }
    let running_xy = CHECK_VERSION_HEX & 0xffff_0000;
    let xy = |v: u32| ((v >> 24) & 0xff, (v >> 16) & 0xff);
    if i.flags & PyABIInfo_INTERNAL != 0 && i.abi_version != 0 && i.abi_version != CHECK_VERSION_HEX
    {
        return fail(format!(
            "incompatible internal ABI (0x{:x} != 0x{:x})",
            i.abi_version, CHECK_VERSION_HEX
        ));
    }
    if i.flags & PyABIInfo_STABLE != 0 {
        if i.abi_version != 0 {
            let (x, y) = xy(i.abi_version);
            if i.abi_version & 0xffff_0000 > running_xy {
                return fail(format!("incompatible future stable ABI version ({x}.{y})"));
            }
            if i.abi_version < 0x0302_0000 {
                return fail(format!("invalid stable ABI version ({x}.{y})"));
            }
        }
        if i.flags & PyABIInfo_INTERNAL != 0 {
            return fail("cannot use both internal and stable ABI".into());
        }
    } else if i.abi_version != 0 && i.abi_version & 0xffff_0000 != running_xy {
        let (x, y) = xy(i.abi_version);
        return fail(format!("incompatible ABI version ({x}.{y})"));
    }
    if i.flags & (PyABIInfo_GIL | PyABIInfo_FREETHREADED) == PyABIInfo_GIL {
        return fail("incompatible with free-threaded CPython".into());
    }
    0
}

#[export]
pub unsafe fn PyABIInfo_Check(info: *const PyABIInfo, module_name: *const c_char) -> c_int {
    // SAFETY: NULL or a PyABIInfo, and NULL or a NUL-terminated name.
    unsafe {
        let n = if module_name.is_null() {
            None
        } else {
            Some(CStr::from_ptr(module_name).to_string_lossy())
        };
        abi_info_check(info, n.as_deref())
    }
}

// ---- Py_BuildValue ------------------------------------------------------------------------
//
// The C shim (`c/modsupport.c`) asks `_gilgate_build_prepare` for the format's [`BuildPlan`]
// (compiled once per format, cached per thread by the format's address as argument parsing
// caches its formats): which C type each variadic argument has. It pulls them from the
// `va_list` into an array of [`BuildVal`] and hands the array to `_gilgate_build_prepared`,
// which builds the values (tuples straight into their slots, no intermediate vector).

type Py_ssize_t = isize;

pub(crate) mod ext {
    use super::{Py_ssize_t, PyObject};
    use std::ffi::{c_char, c_int, c_ulong};
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub(crate) struct Py_complex {
        pub real: f64,
        pub imag: f64,
    }
    unsafe extern "C" {
        pub(crate) fn PyBytes_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject;
        pub(crate) fn PyList_New(n: Py_ssize_t) -> *mut PyObject;
        pub(crate) fn PyList_SetItem(l: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int;
        pub(crate) fn PyComplex_FromDoubles(re: f64, im: f64) -> *mut PyObject;
        pub(crate) fn PyComplex_AsCComplex(o: *mut PyObject) -> Py_complex;
        pub(crate) fn PyUnicode_AsUTF8AndSize(
            o: *mut PyObject,
            n: *mut Py_ssize_t,
        ) -> *const c_char;
        pub(crate) fn PyLong_AsLong(o: *mut PyObject) -> std::ffi::c_long;
        pub(crate) fn PyLong_AsLongLong(o: *mut PyObject) -> i64;
        pub(crate) fn PyLong_AsSsize_t(o: *mut PyObject) -> Py_ssize_t;
        pub(crate) fn PyLong_AsUnsignedLongMask(o: *mut PyObject) -> c_ulong;
        pub(crate) fn PyLong_AsUnsignedLongLongMask(o: *mut PyObject) -> u64;
        pub(crate) fn PyFloat_AsDouble(o: *mut PyObject) -> f64;
        pub(crate) fn PyMem_Malloc(n: usize) -> *mut std::ffi::c_void;
        pub(crate) fn PyUnicode_AsEncodedString(
            u: *mut PyObject,
            encoding: *const c_char,
            errors: *const c_char,
        ) -> *mut PyObject;
        pub(crate) static mut PyByteArray_Type: crate::object::PyTypeObject;
    }
}

/// One variadic argument of `Py_BuildValue`, as the shim read it.
#[repr(C)]
#[derive(Clone, Copy)]
pub union BuildVal {
    pub i: i64,
    pub u: u64,
    pub d: f64,
    pub p: *mut c_void,
}

pub(crate) fn system_error(msg: &str) {
    raise(&raw mut EXC_SystemError, msg);
}

/// The C type of each variadic argument `format` consumes: `i` int, `I` unsigned int, `l`
/// long, `k` unsigned long, `L` long long, `K` unsigned long long, `n` Py_ssize_t, `d` double,
/// `p` pointer. Errors for unknown units are raised later, when the values are built.
pub(crate) fn build_plan(format: &[u8]) -> Vec<u8> {
    let mut kinds = Vec::new();
    let mut i = 0;
    while i < format.len() {
        let c = format[i];
        i += 1;
        let next = format.get(i).copied();
        match c {
            b'b' | b'B' | b'h' | b'H' | b'i' | b'c' | b'C' | b'p' => kinds.push(b'i'),
            b'I' => kinds.push(b'I'),
            b'l' => kinds.push(b'l'),
            b'k' => kinds.push(b'k'),
            b'L' => kinds.push(b'L'),
            b'K' => kinds.push(b'K'),
            b'n' => kinds.push(b'n'),
            b'f' | b'd' => kinds.push(b'd'),
            b'D' | b'N' | b'S' => kinds.push(b'p'),
            b's' | b'z' | b'U' | b'y' | b'u' => {
                kinds.push(b'p');
                if next == Some(b'#') {
                    kinds.push(b'n');
                    i += 1;
                }
            }
            b'O' => {
                kinds.push(b'p');
                if next == Some(b'&') {
                    kinds.push(b'p');
                    i += 1;
                }
            }
            _ => {}
        }
    }
    kinds
}

struct Builder<'a> {
    f: &'a [u8],
    pos: usize,
    vals: &'a [BuildVal],
    vi: usize,
    failed: bool,
}

impl Builder<'_> {
    fn val(&mut self) -> BuildVal {
        let v = self.vals.get(self.vi).copied().unwrap_or(BuildVal { i: 0 });
        self.vi += 1;
        v
    }

    /// Number of items before the `end` character at this nesting level.
    fn count(&self, end: u8) -> Result<usize, ()> {
        let mut level = 0;
        let mut n = 0;
        let mut i = self.pos;
        loop {
            let c = self.f.get(i).copied().unwrap_or(0);
            if level == 0 && c == end {
                return Ok(n);
            }
            match c {
                0 => {
                    if end == 0 {
                        return Ok(n);
                    }
                    system_error("unmatched paren in format");
                    return Err(());
                }
                b'(' | b'[' | b'{' => {
                    if level == 0 {
                        n += 1;
                    }
                    level += 1;
                }
                b')' | b']' | b'}' => level -= 1,
                b'#' | b'&' | b',' | b':' | b' ' | b'\t' => {}
                _ => {
                    if level == 0 {
                        n += 1;
                    }
                }
            }
            i += 1;
        }
    }

    /// The next value before `end` (separators skipped; NULL after a failure, which is
    /// recorded), or `None` at `end` (consumed) or at the format's end.
    fn next_value(&mut self, end: u8) -> Option<*mut PyObject> {
        loop {
            let c = self.f.get(self.pos).copied().unwrap_or(0);
            if c == end || c == 0 {
                if c != 0 {
                    self.pos += 1;
                }
                return None;
            }
            if matches!(c, b',' | b':' | b' ' | b'\t') {
                self.pos += 1;
                continue;
            }
            let o = self.one();
            if o.is_null() {
                self.failed = true;
            }
            return Some(o);
        }
    }

    fn items(&mut self, end: u8) -> Vec<*mut PyObject> {
        let mut out = Vec::new();
        while let Some(o) = self.next_value(end) {
            out.push(o);
        }
        out
    }

    /// The `n` values up to `end` as a tuple, each stored straight into its slot (a failure
    /// still consumes the rest, so stolen references are released).
    fn tuple_of(&mut self, end: u8, n: usize) -> *mut PyObject {
        let t = crate::tupleobject::new_tuple(n);
        if t.is_null() {
            self.failed = true;
            let items = self.items(end);
            return self.release(items);
        }
        let mut i = 0;
        while let Some(o) = self.next_value(end) {
            // SAFETY: a fresh tuple of `n` items; [`Builder::count`] counted exactly the
            // values this loop produces, so `i < n` (checked all the same).
            unsafe {
                if i < n {
                    crate::tupleobject::set_fresh(t, i, o);
                } else {
                    xdecref(o);
                }
            }
            i += 1;
        }
        if self.failed {
            // SAFETY: the tuple owns the values stored so far (NULL slots are skipped).
            unsafe { decref(t) };
            return null_mut();
        }
        t
    }

    fn seq(&mut self, end: u8) -> *mut PyObject {
        let n = match self.count(end) {
            Ok(n) => n,
            Err(()) => {
                self.failed = true;
                // Keep consuming so stolen references are released.
                let items = self.items(end);
                return self.release(items);
            }
        };
        if end == b')' {
            let r = self.tuple_of(end, n);
            if r.is_null() {
                self.failed = true;
            }
            return r;
        }
        let items = self.items(end);
        self.collection(end, items)
    }

    /// The list (`end` `]`) or dict (`}`) of `items` (owned references, NULL after a
    /// failure), which are released; NULL after a failure.
    fn collection(&mut self, end: u8, items: Vec<*mut PyObject>) -> *mut PyObject {
        let result = if self.failed {
            null_mut()
        } else {
            // SAFETY: every item is an owned, live object.
            unsafe {
                match end {
                    b')' => crate::tupleobject::from_slice(&items),
                    b']' => {
                        let l = ext::PyList_New(items.len() as Py_ssize_t);
                        if !l.is_null() {
                            for (i, &o) in items.iter().enumerate() {
                                ext::PyList_SetItem(l, i as Py_ssize_t, new_ref(o));
                            }
                        }
                        l
                    }
                    _ => {
                        if !items.len().is_multiple_of(2) {
                            system_error("Bad dict format");
                            null_mut()
                        } else {
                            let d = crate::dictobject::new_dict();
                            for kv in items.chunks(2) {
                                if !d.is_null() && crate::dictobject::set_item(d, kv[0], kv[1]) < 0
                                {
                                    decref(d);
                                    return self.release(items);
                                }
                            }
                            d
                        }
                    }
                }
            }
        };
        self.release(items);
        if result.is_null() {
            self.failed = true;
        }
        result
    }

    /// The value of the operation at `ops[*i]` (a unit, or a sequence with its items), as
    /// [`Builder::next_value`] gives the same unit or sequence from the text: NULL after a
    /// failure, which is recorded.
    #[inline(always)]
    fn op_value(&mut self, ops: &[BuildOp], i: &mut usize) -> *mut PyObject {
        let op = ops[*i];
        *i += 1;
        // The common units inline (each as [`Builder::one`] builds it), the rest by `one`.
        let o = match op {
            BuildOp::Int => {
                // SAFETY: the plan put an int here (`build_plan`'s `i`).
                let v = unsafe { self.val().i } as c_int;
                if self.failed {
                    null_mut()
                } else {
                    crate::longobject::from_i64(v.into())
                }
            }
            BuildOp::Long => {
                // SAFETY: the plan put a long, long long or Py_ssize_t here.
                let v = unsafe { self.val().i };
                if self.failed {
                    null_mut()
                } else {
                    crate::longobject::from_i64(v)
                }
            }
            BuildOp::Double => {
                // SAFETY: the plan put a double here.
                let v = unsafe { self.val().d };
                if self.failed {
                    null_mut()
                } else {
                    crate::floatobject::from_f64(v)
                }
            }
            BuildOp::Str => {
                // SAFETY: the plan put a pointer here.
                let p = unsafe { self.val().p }.cast::<c_char>().cast_const();
                if self.failed {
                    null_mut()
                } else if p.is_null() {
                    crate::object::new_none()
                } else {
                    // SAFETY: the caller passed a NUL-terminated string.
                    crate::unicodeobject::from_utf8(unsafe { CStr::from_ptr(p) }.to_bytes())
                }
            }
            BuildOp::Unit(pos) => {
                self.pos = pos as usize;
                self.one()
            }
            BuildOp::Seq { end, n } => self.op_seq(ops, i, end, n as usize),
        };
        if o.is_null() {
            self.failed = true;
        }
        o
    }

    /// The sequence of the `n` values from `ops[*i]` (out of line: [`Builder::op_value`] is
    /// inlined into the loops that build the items, and a sequence recurses through here).
    #[inline(never)]
    fn op_seq(&mut self, ops: &[BuildOp], i: &mut usize, end: u8, n: usize) -> *mut PyObject {
        if end == b')' {
            return self.op_tuple(ops, i, n);
        }
        let items = (0..n).map(|_| self.op_value(ops, i)).collect();
        self.collection(end, items)
    }

    /// [`Builder::tuple_of`] over the `n` operations from `ops[*i]`.
    fn op_tuple(&mut self, ops: &[BuildOp], i: &mut usize, n: usize) -> *mut PyObject {
        let t = crate::tupleobject::new_tuple(n);
        if t.is_null() {
            self.failed = true;
            let items = (0..n).map(|_| self.op_value(ops, i)).collect();
            return self.release(items);
        }
        for k in 0..n {
            let o = self.op_value(ops, i);
            // SAFETY: a fresh tuple of `n` items, `k < n`.
            unsafe { crate::tupleobject::set_fresh(t, k, o) };
        }
        if self.failed {
            // SAFETY: the tuple owns the values stored so far (NULL slots are skipped).
            unsafe { decref(t) };
            return null_mut();
        }
        t
    }

    fn release(&mut self, items: Vec<*mut PyObject>) -> *mut PyObject {
        for o in items {
            // SAFETY: owned references (or NULL).
            unsafe { xdecref(o) };
        }
        null_mut()
    }

    /// The pointer of a string unit and its length when the unit is followed by `#` (-1 when
    /// not). `Err` holds the unit's result when there is nothing to convert: NULL after a
    /// failure, None for a NULL pointer.
    fn pointer_and_length<T>(&mut self) -> Result<(*const T, Py_ssize_t), *mut PyObject> {
        // SAFETY: the plan put a pointer here.
        let p = unsafe { self.val().p }.cast::<T>().cast_const();
        let mut n: Py_ssize_t = -1;
        if self.f.get(self.pos) == Some(&b'#') {
            self.pos += 1;
            // SAFETY: the plan put a Py_ssize_t here.
            n = unsafe { self.val().i } as Py_ssize_t;
        }
        if self.failed {
            return Err(null_mut());
        }
        if p.is_null() {
            return Err(crate::object::new_none());
        }
        Ok((p, n))
    }

    fn string(&mut self, kind: u8) -> *mut PyObject {
        let (p, n) = match self.pointer_and_length::<std::ffi::c_char>() {
            Ok(v) => v,
            Err(result) => return result,
        };
        // SAFETY: the caller passed a valid string of `n` bytes or NUL-terminated.
        unsafe {
            let len = if n < 0 {
                std::ffi::CStr::from_ptr(p).to_bytes().len()
            } else {
                n as usize
            };
            if kind == b'y' {
                return ext::PyBytes_FromStringAndSize(p, len as Py_ssize_t);
            }
            crate::unicodeobject::from_utf8(std::slice::from_raw_parts(p.cast::<u8>(), len))
        }
    }

    /// `u` / `u#`: a `wchar_t` string (32-bit on Linux), NUL-terminated or of the given
    /// length; NULL gives None.
    fn wide_string(&mut self) -> *mut PyObject {
        let (p, n) = match self.pointer_and_length::<i32>() {
            Ok(v) => v,
            Err(result) => return result,
        };
        // SAFETY: the caller passed `n` wide characters, or a NUL-terminated wide string when
        // `n` is negative (-1 is PyUnicode_FromWideChar's "NUL-terminated").
        unsafe { crate::unicodeobject::PyUnicode_FromWideChar(p, n.max(-1)) }
    }

    fn one(&mut self) -> *mut PyObject {
        let c = self.f[self.pos];
        self.pos += 1;
        let int = |v: i128| crate::longobject::from_i128(v);
        // SAFETY: the union member read matches what the plan told the shim to store.
        unsafe {
            match c {
                b'(' => self.seq(b')'),
                b'[' => self.seq(b']'),
                b'{' => self.seq(b'}'),
                b'b' | b'B' | b'h' | b'H' | b'i' => {
                    let v = self.val().i as std::ffi::c_int;
                    if self.failed {
                        null_mut()
                    } else {
                        crate::longobject::from_i64(v.into())
                    }
                }
                b'I' => {
                    let v = self.val().u as u32;
                    if self.failed {
                        null_mut()
                    } else {
                        crate::longobject::from_i64(v.into())
                    }
                }
                b'l' | b'L' | b'n' => {
                    let v = self.val().i;
                    if self.failed {
                        null_mut()
                    } else {
                        crate::longobject::from_i64(v)
                    }
                }
                b'k' | b'K' => {
                    let v = self.val().u;
                    if self.failed {
                        null_mut()
                    } else {
                        int(v as i128)
                    }
                }
                b'p' => {
                    let v = self.val().i as std::ffi::c_int;
                    if self.failed {
                        null_mut()
                    } else {
                        crate::boolobject::from_bool(v != 0)
                    }
                }
                b'f' | b'd' => {
                    let v = self.val().d;
                    if self.failed {
                        null_mut()
                    } else {
                        crate::floatobject::from_f64(v)
                    }
                }
                b'D' => {
                    let p = self.val().p.cast::<ext::Py_complex>();
                    if self.failed {
                        null_mut()
                    } else {
                        ext::PyComplex_FromDoubles((*p).real, (*p).imag)
                    }
                }
                b'c' => {
                    let v = self.val().i as u8;
                    if self.failed {
                        null_mut()
                    } else {
                        ext::PyBytes_FromStringAndSize((&raw const v).cast(), 1)
                    }
                }
                b'C' => {
                    let v = self.val().i as std::ffi::c_int;
                    if self.failed {
                        null_mut()
                    } else {
                        match u32::try_from(v).ok().and_then(char::from_u32) {
                            Some(ch) => crate::unicodeobject::from_str(ch.encode_utf8(&mut [0; 4])),
                            None => raise(
                                &raw mut crate::pyerrors::EXC_ValueError,
                                "chr() arg not in range(0x110000)",
                            ),
                        }
                    }
                }
                b's' | b'z' | b'U' | b'y' => self.string(c),
                b'u' => self.wide_string(),
                b'N' | b'S' | b'O' => {
                    if c == b'O' && self.f.get(self.pos) == Some(&b'&') {
                        self.pos += 1;
                        let conv = self.val().p;
                        let arg = self.val().p;
                        if self.failed {
                            return null_mut();
                        }
                        let conv: unsafe extern "C" fn(*mut c_void) -> *mut PyObject =
                            std::mem::transmute(conv);
                        return crate::extcall::build_converter(conv, arg);
                    }
                    let o = self.val().p.cast::<PyObject>();
                    if self.failed {
                        if c == b'N' {
                            xdecref(o);
                        }
                        return null_mut();
                    }
                    if o.is_null() {
                        if !err::occurred() {
                            system_error("NULL object passed to Py_BuildValue");
                        }
                        return null_mut();
                    }
                    if c == b'N' { o } else { new_ref(o) }
                }
                _ => {
                    system_error("bad format char passed to Py_BuildValue");
                    null_mut()
                }
            }
        }
    }
}

/// A `Py_BuildValue` format analysed once ([`getargs::cached`](super::getargs::cached) keeps
/// it per format): the C type of each variadic argument and the number of top-level values.
pub struct BuildPlan {
    /// The format's bytes followed by a NUL.
    text: Box<[u8]>,
    /// [`build_plan`] of the format.
    kinds: Box<[u8]>,
    /// The number of top-level values (what `Builder::count(0)` answers).
    top: usize,
    /// The format as operations ([`compile_ops`]), when it is well formed.
    ops: Option<Box<[BuildOp]>>,
}

/// One value of a compiled `Py_BuildValue` format: a unit at its position in the text (built
/// by [`Builder::one`], so every unit means exactly what the interpreter makes of it), or a
/// sequence (`end`: `)`, `]` or `}`) of the `n` values whose operations follow it.
/// The most common units have their own operations, built inline: `Int` (`b B h H i`), `Long`
/// (`l L n`), `Double` (`f d`), `Str` (`s z U` without `#`).
#[derive(Clone, Copy)]
enum BuildOp {
    Int,
    Long,
    Double,
    Str,
    Unit(u32),
    Seq { end: u8, n: u32 },
}

/// `format` as [`BuildOp`]s in the order the interpreter meets its values, or `None` for a
/// format the interpreter should see itself (mismatched or unclosed brackets, a unit it does
/// not know or a `#` / `&` where none belongs, a dict of an odd number of values: every error
/// and oddity stays with one implementation). Separators are dropped here, and each sequence
/// knows its length, so building walks no text.
fn compile_ops(format: &[u8]) -> Option<Box<[BuildOp]>> {
    let mut ops = Vec::new();
    // The open sequences: (index of their operation, closing character).
    let mut open: Vec<(usize, u8)> = Vec::new();
    let mut top: u32 = 0;
    let mut i = 0;
    while i < format.len() {
        let c = format[i];
        let count = |ops: &mut Vec<BuildOp>, open: &[(usize, u8)], top: &mut u32| match open.last()
        {
            Some(&(at, _)) => {
                if let BuildOp::Seq { n, .. } = &mut ops[at] {
                    *n += 1;
                }
            }
            None => *top += 1,
        };
        match c {
            b',' | b':' | b' ' | b'\t' => {}
            b'(' | b'[' | b'{' => {
                count(&mut ops, &open, &mut top);
                let end = match c {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                };
                open.push((ops.len(), end));
                ops.push(BuildOp::Seq { end, n: 0 });
            }
            b')' | b']' | b'}' => {
                let (at, end) = open.pop()?;
                if end != c {
                    return None;
                }
                if let BuildOp::Seq { end: b'}', n } = ops[at]
                    && n % 2 != 0
                {
                    return None;
                }
            }
            b'b' | b'B' | b'h' | b'H' | b'i' | b'I' | b'l' | b'k' | b'L' | b'K' | b'n' | b'f'
            | b'd' | b'D' | b'c' | b'C' | b'p' | b's' | b'z' | b'U' | b'y' | b'u' | b'N' | b'S'
            | b'O' => {
                count(&mut ops, &open, &mut top);
                let suffix = match c {
                    b's' | b'z' | b'U' | b'y' | b'u' => b'#',
                    b'O' => b'&',
                    _ => 0,
                };
                let suffixed = suffix != 0 && format.get(i + 1) == Some(&suffix);
                ops.push(match c {
                    b'b' | b'B' | b'h' | b'H' | b'i' => BuildOp::Int,
                    b'l' | b'L' | b'n' => BuildOp::Long,
                    b'f' | b'd' => BuildOp::Double,
                    b's' | b'z' | b'U' if !suffixed => BuildOp::Str,
                    _ => BuildOp::Unit(u32::try_from(i).ok()?),
                });
                if suffixed {
                    i += 1;
                }
            }
            _ => return None,
        }
        i += 1;
    }
    if !open.is_empty() || top as usize != top_count(format) {
        return None;
    }
    Some(ops.into())
}

impl super::getargs::FormatCompiled for BuildPlan {
    fn compile(format: &[u8]) -> BuildPlan {
        let mut text = Vec::with_capacity(format.len() + 1);
        text.extend_from_slice(format);
        text.push(0);
        BuildPlan {
            text: text.into(),
            kinds: build_plan(format).into(),
            top: top_count(format),
            ops: compile_ops(format),
        }
    }
    fn text(&self) -> &[u8] {
        &self.text
    }
}

static BUILD_PLANS: super::getargs::CompiledByText<BuildPlan> = std::sync::Mutex::new(None);

thread_local! {
    static BUILD_CACHE: super::getargs::FormatSlots<BuildPlan> =
        const { [const { std::cell::Cell::new((0, std::ptr::null())) }; super::getargs::FORMAT_CACHE_SLOTS] };
}

/// The number of top-level values of `format`, as [`Builder::count`] with end 0 finds it (at
/// the top level the format's end closes every open parenthesis, so this never fails).
fn top_count(format: &[u8]) -> usize {
    let mut level = 0i32;
    let mut n = 0;
    for &c in format {
        match c {
            b'(' | b'[' | b'{' => {
                if level == 0 {
                    n += 1;
                }
                level += 1;
            }
            b')' | b']' | b'}' => level -= 1,
            b'#' | b'&' | b',' | b':' | b' ' | b'\t' => {}
            _ => {
                if level == 0 {
                    n += 1;
                }
            }
        }
    }
    n
}

/// `Py_BuildValue` once the arguments are in the builder's values and the `n` top-level values
/// are counted: `as_tuple` always returns a tuple of the top-level values (what
/// `PyObject_CallFunction` wants).
fn build_top(mut b: Builder<'_>, n: usize, as_tuple: bool) -> *mut PyObject {
    if !as_tuple && n == 0 {
        return crate::object::new_none();
    }
    if !as_tuple && n == 1 {
        // The one value, then whatever the format still holds (nothing but separators).
        let v = b.next_value(0).unwrap_or(null_mut());
        let rest = b.items(0);
        b.release(rest);
        if b.failed {
            // SAFETY: an owned reference or NULL.
            unsafe { xdecref(v) };
            return null_mut();
        }
        return v;
    }
    b.tuple_of(0, n)
}

/// [`build_top`] over a compiled format's operations.
fn build_top_ops(mut b: Builder<'_>, ops: &[BuildOp], n: usize, as_tuple: bool) -> *mut PyObject {
    if !as_tuple && n == 0 {
        return crate::object::new_none();
    }
    let mut i = 0;
    if !as_tuple && n == 1 {
        let v = b.op_value(ops, &mut i);
        if b.failed {
            // SAFETY: an owned reference or NULL.
            unsafe { xdecref(v) };
            return null_mut();
        }
        return v;
    }
    b.op_tuple(ops, &mut i, n)
}

#[export(err = std::ptr::null(), guard_name = "Py_BuildValue")]
pub unsafe fn _gilgate_build_prepare(
    format: *const std::ffi::c_char,
    kinds: *mut *const u8,
    n: *mut Py_ssize_t,
) -> *const BuildPlan {
    if format.is_null() {
        system_error("NULL format passed to Py_BuildValue");
        return std::ptr::null();
    }
    // SAFETY: the shim passes a NUL-terminated format and writable `kinds` and `n`.
    unsafe {
        let plan = super::getargs::cached(format, &BUILD_CACHE, &BUILD_PLANS);
        *kinds = plan.kinds.as_ptr();
        *n = plan.kinds.len() as Py_ssize_t;
        plan
    }
}

#[export(err = null_mut(), guard_name = "Py_BuildValue")]
pub unsafe fn _gilgate_build_prepared(
    plan: *const BuildPlan,
    vals: *const BuildVal,
    n: Py_ssize_t,
    as_tuple: c_int,
) -> *mut PyObject {
    // SAFETY: `plan` from `_gilgate_build_prepare` (leaked, alive for the process); the shim
    // passes `n` values.
    unsafe {
        let plan = &*plan;
        let v = if n <= 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(vals, n as usize)
        };
        let b = Builder {
            f: &plan.text[..plan.text.len() - 1],
            pos: 0,
            vals: v,
            vi: 0,
            failed: false,
        };
        match &plan.ops {
            Some(ops) => build_top_ops(b, ops, plan.top, as_tuple != 0),
            None => build_top(b, plan.top, as_tuple != 0),
        }
    }
}
