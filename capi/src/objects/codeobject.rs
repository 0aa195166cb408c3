//! `cpython/code.h`: code objects (CPython's `Objects/codeobject.c`), laid out as CPython
//! 3.14t's `PyCodeObject` because extensions read and write its fields directly.
//!
//! gilgate executes no Python code, so a code object here is a record: names, counts, flags,
//! line numbers and the tuples and bytes it was made with. Its instruction units (the tail
//! `co_code_adaptive`, `ob_size` units of 2 bytes) are the bytes it was given (`co_code`);
//! `PyCode_NewEmpty` gives the three units CPython 3.14 gives, with CPython's one-entry line
//! table, so line lookups (`PyCode_Addr2Line`, a traceback's `tb_lineno`) answer as CPython's.
//! Running one (`PyEval_EvalCode`, `exec`) is an error that says gilgate runs no bytecode.

use crate::descrobject::{Py_READONLY, Py_T_INT, Py_T_OBJECT, PyGetSetDef, PyMemberDef};
use crate::export;
use crate::object::{PyObject, PyTypeObject, PyVarObject, static_type, ty};
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::tupleobject as tuple;
use crate::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;

/// `PyCodeObject` (240 bytes with its one-unit tail; the tail starts at 232).
#[repr(C)]
pub struct PyCodeObject {
    pub ob_base: PyVarObject,
    pub co_consts: *mut PyObject,
    pub co_names: *mut PyObject,
    pub co_exceptiontable: *mut PyObject,
    pub co_flags: c_int,
    pub co_argcount: c_int,
    pub co_posonlyargcount: c_int,
    pub co_kwonlyargcount: c_int,
    pub co_stacksize: c_int,
    pub co_firstlineno: c_int,
    pub co_nlocalsplus: c_int,
    pub co_framesize: c_int,
    pub co_nlocals: c_int,
    pub co_ncellvars: c_int,
    pub co_nfreevars: c_int,
    pub co_version: u32,
    pub co_localsplusnames: *mut PyObject,
    pub co_localspluskinds: *mut PyObject,
    pub co_filename: *mut PyObject,
    pub co_name: *mut PyObject,
    pub co_qualname: *mut PyObject,
    pub co_linetable: *mut PyObject,
    pub co_weakreflist: *mut PyObject,
    pub co_executors: *mut c_void,
    pub _co_cached: *mut c_void,
    pub _co_instrumentation_version: usize,
    pub _co_monitoring: *mut c_void,
    pub _co_unique_id: Py_ssize_t,
    pub _co_firsttraceable: c_int,
    pub co_extra: *mut c_void,
    pub co_tlbc: *mut c_void,
    pub co_code_adaptive: [c_char; 1],
}

/// Where the instruction units start (`offsetof(PyCodeObject, co_code_adaptive)`).
const CODE_OFFSET: usize = std::mem::offset_of!(PyCodeObject, co_code_adaptive);

/// The kinds of `co_localspluskinds` (CPython's `CO_FAST_*`).
const FAST_LOCAL: u8 = 0x20;
const FAST_CELL: u8 = 0x40;
const FAST_FREE: u8 = 0x80;

const fn int_member(name: &'static CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: Py_T_INT,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: std::ptr::null(),
    }
}

const fn obj_member(name: &'static CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_: Py_T_OBJECT,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: std::ptr::null(),
    }
}

macro_rules! off {
    ($f:ident) => {
        std::mem::offset_of!(PyCodeObject, $f)
    };
}

static mut CODE_MEMBERS: [PyMemberDef; 14] = [
    int_member(c"co_argcount", off!(co_argcount)),
    int_member(c"co_posonlyargcount", off!(co_posonlyargcount)),
    int_member(c"co_kwonlyargcount", off!(co_kwonlyargcount)),
    int_member(c"co_stacksize", off!(co_stacksize)),
    int_member(c"co_flags", off!(co_flags)),
    int_member(c"co_firstlineno", off!(co_firstlineno)),
    obj_member(c"co_consts", off!(co_consts)),
    obj_member(c"co_names", off!(co_names)),
    obj_member(c"co_filename", off!(co_filename)),
    obj_member(c"co_name", off!(co_name)),
    obj_member(c"co_qualname", off!(co_qualname)),
    obj_member(c"co_linetable", off!(co_linetable)),
    obj_member(c"co_exceptiontable", off!(co_exceptiontable)),
    PyMemberDef::END,
];

const fn getter(
    name: &'static CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
) -> PyGetSetDef {
    PyGetSetDef {
        name: name.as_ptr(),
        get: Some(get),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    }
}

static mut CODE_GETSET: [PyGetSetDef; 7] = [
    getter(c"co_code", get_code),
    getter(c"co_varnames", get_varnames),
    getter(c"co_cellvars", get_cellvars),
    getter(c"co_freevars", get_freevars),
    getter(c"co_nlocals", get_nlocals),
    getter(c"co_lnotab", get_lnotab),
    PyGetSetDef::END,
];

#[export]
pub static mut PyCode_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(code_dealloc),
    tp_repr: Some(code_repr),
    tp_hash: Some(code_hash),
    tp_richcompare: Some(code_richcompare),
    tp_members: &raw mut CODE_MEMBERS as *mut PyMemberDef,
    tp_getset: &raw mut CODE_GETSET as *mut PyGetSetDef,
    tp_weaklistoffset: std::mem::offset_of!(PyCodeObject, co_weakreflist) as Py_ssize_t,
    ..static_type(c"code", CODE_OFFSET, 2, 0)
};

/// Whether `op` is a code object.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_code(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyCode_Type }
}

fn code_of(op: *mut PyObject) -> *mut PyCodeObject {
    op.cast()
}

/// The instruction bytes of a code object.
///
/// # Safety
/// `co` must be a live code object.
unsafe fn code_bytes<'a>(co: *mut PyCodeObject) -> &'a [u8] {
    // SAFETY: forwarded contract: `ob_size` units of 2 bytes follow at CODE_OFFSET.
    unsafe {
        let n = (*co).ob_base.ob_size.max(0) as usize * 2;
        std::slice::from_raw_parts(co.cast::<u8>().add(CODE_OFFSET), n)
    }
}

/// The line table's bytes.
///
/// # Safety
/// `co` must be a live code object.
unsafe fn linetable<'a>(co: *mut PyCodeObject) -> &'a [u8] {
    // SAFETY: forwarded contract; the line table is bytes (checked at creation).
    unsafe {
        let t = (*co).co_linetable;
        if t.is_null() {
            &[]
        } else {
            crate::bytesobject::as_bytes(t)
        }
    }
}

/// The names of `co_localsplusnames` whose kind has `mask` (new tuple).
///
/// # Safety
/// `co` must be a live code object.
unsafe fn names_of_kind(co: *mut PyCodeObject, mask: u8) -> *mut PyObject {
    // SAFETY: forwarded contract; names are a tuple and kinds bytes of the same length.
    unsafe {
        let names = tuple::items((*co).co_localsplusnames);
        let kinds = crate::bytesobject::as_bytes((*co).co_localspluskinds);
        let picked: Vec<*mut PyObject> = names
            .iter()
            .zip(kinds)
            .filter(|&(_, &k)| k & mask != 0)
            .map(|(&n, _)| n)
            .collect();
        tuple::from_slice(&picked)
    }
}

unsafe extern "C" fn get_code(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live code object.
    crate::bytesobject::from_bytes(unsafe { code_bytes(code_of(op)) })
}

unsafe extern "C" fn get_varnames(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { names_of_kind(code_of(op), FAST_LOCAL) }
}

unsafe extern "C" fn get_cellvars(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { names_of_kind(code_of(op), FAST_CELL) }
}

unsafe extern "C" fn get_freevars(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    unsafe { names_of_kind(code_of(op), FAST_FREE) }
}

unsafe extern "C" fn get_nlocals(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    crate::longobject::from_i64(i64::from(unsafe { (*code_of(op)).co_nlocals }))
}

unsafe extern "C" fn get_lnotab(_op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // CPython 3.14 answers b'' for the line tables its code objects carry (with a
    // DeprecationWarning gilgate does not issue).
    crate::bytesobject::from_bytes(&[])
}

unsafe extern "C" fn code_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead code object (slot contract).
    unsafe {
        let co = code_of(op);
        if !(*co).co_weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        for p in [
            (*co).co_consts,
            (*co).co_names,
            (*co).co_exceptiontable,
            (*co).co_localsplusnames,
            (*co).co_localspluskinds,
            (*co).co_filename,
            (*co).co_name,
            (*co).co_qualname,
            (*co).co_linetable,
        ] {
            xdecref(p);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn code_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live code object (slot contract).
    unsafe {
        let co = code_of(op);
        let name = uni::as_str((*co).co_name).unwrap_or("???");
        let line = (*co).co_firstlineno;
        let text = match uni::as_str((*co).co_filename) {
            Some(f) => format!("<code object {name} at {op:p}, file \"{f}\", line {line}>"),
            None => format!("<code object {name} at {op:p}, file ???, line {line}>"),
        };
        uni::from_str(&text)
    }
}

/// The fields CPython compares and hashes (name, counts, flags, first line, code, constants,
/// names, local names, line table and exception table).
///
/// # Safety
/// `co` must be a live code object.
unsafe fn key_objects(co: *mut PyCodeObject) -> [*mut PyObject; 5] {
    // SAFETY: forwarded contract.
    unsafe {
        [
            (*co).co_name,
            (*co).co_consts,
            (*co).co_names,
            (*co).co_localsplusnames,
            (*co).co_linetable,
        ]
    }
}

/// # Safety
/// `co` must be a live code object.
unsafe fn key_ints(co: *mut PyCodeObject) -> [c_int; 6] {
    // SAFETY: forwarded contract.
    unsafe {
        [
            (*co).co_argcount,
            (*co).co_posonlyargcount,
            (*co).co_kwonlyargcount,
            (*co).co_stacksize,
            (*co).co_flags,
            (*co).co_firstlineno,
        ]
    }
}

unsafe extern "C" fn code_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    use crate::object::{Py_EQ, Py_NE};
    // SAFETY: slot contract: `a` is a code object, `b` live.
    unsafe {
        if (op != Py_EQ && op != Py_NE) || !is_code(b) {
            return new_ref(&raw mut crate::object::_Py_NotImplementedStruct);
        }
        let (x, y) = (code_of(a), code_of(b));
        let mut same = a == b;
        if !same {
            same = key_ints(x) == key_ints(y)
                && code_bytes(x) == code_bytes(y)
                && linetable(x) == linetable(y);
            if same {
                for (p, q) in key_objects(x).into_iter().zip(key_objects(y)) {
                    let r = crate::abstract_::rich_compare_bool(p, q, Py_EQ);
                    if r < 0 {
                        return null_mut();
                    }
                    if r == 0 {
                        same = false;
                        break;
                    }
                }
            }
        }
        crate::boolobject::from_bool(same == (op == Py_EQ))
    }
}

unsafe extern "C" fn code_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: slot contract: a live code object.
    unsafe {
        let co = code_of(op);
        let mut h: Py_hash_t = 0x345678;
        for p in key_objects(co) {
            let x = crate::object::hash(p);
            if x == -1 {
                return -1;
            }
            h = h.wrapping_mul(1_000_003) ^ x;
        }
        for i in key_ints(co) {
            h = h.wrapping_mul(1_000_003) ^ i as Py_hash_t;
        }
        if h == -1 { -2 } else { h }
    }
}

/// Everything a code object is made from (`PyUnstable_Code_NewWithPosOnlyArgs`' arguments).
struct Parts {
    argcount: c_int,
    posonly: c_int,
    kwonly: c_int,
    stacksize: c_int,
    flags: c_int,
    code: *mut PyObject,
    consts: *mut PyObject,
    names: *mut PyObject,
    varnames: *mut PyObject,
    freevars: *mut PyObject,
    cellvars: *mut PyObject,
    filename: *mut PyObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    firstlineno: c_int,
    linetable: *mut PyObject,
    exceptiontable: *mut PyObject,
}

/// A new code object from `p` (borrowed objects), or NULL with CPython's `SystemError`
/// for arguments of the wrong types.
///
/// # Safety
/// Every object of `p` must be NULL or live.
unsafe fn new_code(p: &Parts) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let is_t = |o: *mut PyObject| !o.is_null() && tuple::is_tuple(o);
        let is_b = |o: *mut PyObject| !o.is_null() && crate::bytesobject::is_bytes(o);
        let is_s = |o: *mut PyObject| !o.is_null() && uni::is_str(o);
        if p.argcount < p.posonly
            || p.posonly < 0
            || p.kwonly < 0
            || !is_b(p.code)
            || !is_t(p.consts)
            || !is_t(p.names)
            || !is_t(p.varnames)
            || !is_t(p.freevars)
            || !is_t(p.cellvars)
            || !is_s(p.filename)
            || !is_s(p.name)
            || !is_s(p.qualname)
            || !is_b(p.linetable)
            || !is_b(p.exceptiontable)
        {
            return crate::pyerrors::bad_internal_call();
        }
        let code = crate::bytesobject::as_bytes(p.code);
        if code.len() % 2 != 0 {
            return raise(&raw mut EXC_SystemError, "code: co_code is malformed");
        }
        // Local names: the arguments and locals, then cells, then free variables.
        let mut names: Vec<*mut PyObject> = Vec::new();
        let mut kinds: Vec<u8> = Vec::new();
        for (t, k) in [
            (p.varnames, FAST_LOCAL),
            (p.cellvars, FAST_CELL),
            (p.freevars, FAST_FREE),
        ] {
            for &n in tuple::items(t) {
                if let Some(i) = names.iter().position(|&m| uni::equal(m, n)) {
                    kinds[i] |= k;
                } else {
                    names.push(n);
                    kinds.push(k);
                }
            }
        }
        let units = (code.len() / 2) as Py_ssize_t;
        let op = crate::objimpl::alloc_object(&raw mut PyCode_Type, units);
        if op.is_null() {
            return op;
        }
        let co = code_of(op);
        std::ptr::copy_nonoverlapping(code.as_ptr(), co.cast::<u8>().add(CODE_OFFSET), code.len());
        (*co).co_argcount = p.argcount;
        (*co).co_posonlyargcount = p.posonly;
        (*co).co_kwonlyargcount = p.kwonly;
        (*co).co_stacksize = p.stacksize.max(1);
        (*co).co_flags = p.flags;
        (*co).co_firstlineno = p.firstlineno;
        let nvars = tuple::items(p.varnames).len() as c_int;
        (*co).co_nlocals = nvars;
        (*co).co_ncellvars = tuple::items(p.cellvars).len() as c_int;
        (*co).co_nfreevars = tuple::items(p.freevars).len() as c_int;
        (*co).co_nlocalsplus = names.len() as c_int;
        (*co).co_framesize = (*co).co_nlocalsplus + (*co).co_stacksize + 10;
        (*co).co_consts = new_ref(p.consts);
        (*co).co_names = new_ref(p.names);
        (*co).co_localsplusnames = tuple::from_slice(&names);
        (*co).co_localspluskinds = crate::bytesobject::from_bytes(&kinds);
        (*co).co_filename = new_ref(p.filename);
        (*co).co_name = new_ref(p.name);
        (*co).co_qualname = new_ref(p.qualname);
        (*co).co_linetable = new_ref(p.linetable);
        (*co).co_exceptiontable = new_ref(p.exceptiontable);
        (*co)._co_firsttraceable = 0;
        if (*co).co_localsplusnames.is_null() || (*co).co_localspluskinds.is_null() {
            decref(op);
            return null_mut();
        }
        op
    }
}

/// CPython 3.14's body of an empty code object: RESUME 0, then raising AssertionError
/// (`LOAD_COMMON_CONSTANT 0; RAISE_VARARGS 1`), as `PyCode_NewEmpty` makes it.
const EMPTY_CODE: [u8; 6] = [0x80, 0x00, 0x51, 0x00, 0x68, 0x01];
/// Its line table: one entry without columns covering the three units, at the first line.
const EMPTY_LINETABLE: [u8; 2] = [0xea, 0x00];

/// `PyCode_NewEmpty(filename, funcname, firstlineno)`.
///
/// # Safety
/// The strings must be NUL-terminated.
pub(crate) unsafe fn new_empty(
    filename: *const c_char,
    funcname: *const c_char,
    firstlineno: c_int,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let f = uni::from_cstr(filename);
        let n = uni::from_cstr(funcname);
        let code = crate::bytesobject::from_bytes(&EMPTY_CODE);
        let table = crate::bytesobject::from_bytes(&EMPTY_LINETABLE);
        let empty_b = crate::bytesobject::from_bytes(&[]);
        let empty_t = tuple::new_tuple(0);
        let r = if [f, n, code, table, empty_b, empty_t]
            .iter()
            .any(|p| p.is_null())
        {
            null_mut()
        } else {
            new_code(&Parts {
                argcount: 0,
                posonly: 0,
                kwonly: 0,
                stacksize: 1,
                flags: 0,
                code,
                consts: empty_t,
                names: empty_t,
                varnames: empty_t,
                freevars: empty_t,
                cellvars: empty_t,
                filename: f,
                name: n,
                qualname: n,
                firstlineno,
                linetable: table,
                exceptiontable: empty_b,
            })
        };
        for p in [f, n, code, table, empty_b, empty_t] {
            xdecref(p);
        }
        r
    }
}

// ---- the location table (CPython's Objects/locations.md format) ----

/// Reads an unsigned varint (6 bits a byte, bit 6 = more) from `t` at `*i`.
fn read_varint(t: &[u8], i: &mut usize) -> Option<u32> {
    let mut shift = 0;
    let mut v: u32 = 0;
    loop {
        let b = *t.get(*i)?;
        *i += 1;
        v |= u32::from(b & 63) << shift;
        shift += 6;
        if b & 64 == 0 || shift > 30 {
            return Some(v);
        }
    }
}

/// A signed varint: the lowest bit is the sign.
fn read_svarint(t: &[u8], i: &mut usize) -> Option<i32> {
    let u = read_varint(t, i)?;
    let v = (u >> 1) as i32;
    Some(if u & 1 != 0 { -v } else { v })
}

/// The line of the instruction at byte offset `addr` (`PyCode_Addr2Line`): -1 when the
/// table has no entry for it (or the entry has no line).
///
/// # Safety
/// `co` must be a live code object.
pub(crate) unsafe fn addr2line(co: *mut PyCodeObject, addr: c_int) -> c_int {
    // SAFETY: forwarded contract.
    let (t, first) = unsafe { (linetable(co), (*co).co_firstlineno) };
    if addr < 0 {
        return first;
    }
    let target = (addr / 2) as u32;
    let mut i = 0;
    let mut unit: u32 = 0;
    let mut line = first;
    while i < t.len() {
        let head = t[i];
        i += 1;
        if head & 0x80 == 0 {
            return -1; // not the start of an entry: a malformed table
        }
        let code = (head >> 3) & 15;
        let len = u32::from(head & 7) + 1;
        let mut this_line = Some(line);
        match code {
            15 => this_line = None,
            14 => {
                let Some(d) = read_svarint(t, &mut i) else {
                    return -1;
                };
                line += d;
                this_line = Some(line);
                for _ in 0..3 {
                    if read_varint(t, &mut i).is_none() {
                        return -1;
                    }
                }
            }
            13 => {
                let Some(d) = read_svarint(t, &mut i) else {
                    return -1;
                };
                line += d;
                this_line = Some(line);
            }
            10..=12 => {
                line += c_int::from(code) - 10;
                this_line = Some(line);
                i += 2;
            }
            _ => i += 1,
        }
        if target < unit + len {
            return this_line.unwrap_or(-1);
        }
        unit += len;
    }
    -1
}

// ---- exported API ----

#[export]
pub unsafe fn PyCode_NewEmpty(
    filename: *const c_char,
    funcname: *const c_char,
    firstlineno: c_int,
) -> *mut PyCodeObject {
    // SAFETY: NUL-terminated strings, per the C API contract.
    unsafe { new_empty(filename, funcname, firstlineno).cast() }
}

#[export]
#[allow(clippy::too_many_arguments)]
pub unsafe fn PyUnstable_Code_NewWithPosOnlyArgs(
    argcount: c_int,
    posonlyargcount: c_int,
    kwonlyargcount: c_int,
    _nlocals: c_int,
    stacksize: c_int,
    flags: c_int,
    code: *mut PyObject,
    consts: *mut PyObject,
    names: *mut PyObject,
    varnames: *mut PyObject,
    freevars: *mut PyObject,
    cellvars: *mut PyObject,
    filename: *mut PyObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    firstlineno: c_int,
    linetable: *mut PyObject,
    exceptiontable: *mut PyObject,
) -> *mut PyCodeObject {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe {
        new_code(&Parts {
            argcount,
            posonly: posonlyargcount,
            kwonly: kwonlyargcount,
            stacksize,
            flags,
            code,
            consts,
            names,
            varnames,
            freevars,
            cellvars,
            filename,
            name,
            qualname,
            firstlineno,
            linetable,
            exceptiontable,
        })
        .cast()
    }
}

#[export]
#[allow(clippy::too_many_arguments)]
pub unsafe fn PyUnstable_Code_New(
    argcount: c_int,
    kwonlyargcount: c_int,
    nlocals: c_int,
    stacksize: c_int,
    flags: c_int,
    code: *mut PyObject,
    consts: *mut PyObject,
    names: *mut PyObject,
    varnames: *mut PyObject,
    freevars: *mut PyObject,
    cellvars: *mut PyObject,
    filename: *mut PyObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    firstlineno: c_int,
    linetable: *mut PyObject,
    exceptiontable: *mut PyObject,
) -> *mut PyCodeObject {
    // SAFETY: forwarded C API contract.
    unsafe {
        PyUnstable_Code_NewWithPosOnlyArgs(
            argcount,
            0,
            kwonlyargcount,
            nlocals,
            stacksize,
            flags,
            code,
            consts,
            names,
            varnames,
            freevars,
            cellvars,
            filename,
            name,
            qualname,
            firstlineno,
            linetable,
            exceptiontable,
        )
    }
}

#[export]
pub unsafe fn PyCode_Addr2Line(co: *mut PyCodeObject, addr: c_int) -> c_int {
    // SAFETY: a live code object, per the C API contract.
    unsafe { addr2line(co, addr) }
}

#[export]
pub unsafe fn PyCode_GetCode(co: *mut PyCodeObject) -> *mut PyObject {
    // SAFETY: a live code object, per the C API contract.
    unsafe { get_code(co.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyCode_GetVarnames(co: *mut PyCodeObject) -> *mut PyObject {
    // SAFETY: a live code object, per the C API contract.
    unsafe { get_varnames(co.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyCode_GetCellvars(co: *mut PyCodeObject) -> *mut PyObject {
    // SAFETY: a live code object, per the C API contract.
    unsafe { get_cellvars(co.cast(), null_mut()) }
}

#[export]
pub unsafe fn PyCode_GetFreevars(co: *mut PyCodeObject) -> *mut PyObject {
    // SAFETY: a live code object, per the C API contract.
    unsafe { get_freevars(co.cast(), null_mut()) }
}

/// The error for running a code object: gilgate executes no bytecode.
///
/// # Safety
/// `co` must be NULL or a live object.
pub(crate) unsafe fn refuse_to_run(co: *mut PyObject, what: &str) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if co.is_null() || !is_code(co) {
            let t = if co.is_null() {
                "NULL".to_string()
            } else {
                crate::object::tname(co)
            };
            return raise(
                &raw mut EXC_TypeError,
                &format!("{what}() arg 1 must be a code object, not {t}"),
            );
        }
        let r = crate::object::repr_string(co);
        raise(
            &raw mut EXC_SystemError,
            &format!(
                "gilgate: {what} cannot run {r}: gilgate executes no Python bytecode \
                 (its code objects only name functions and lines for tracebacks)"
            ),
        )
    }
}

#[export]
pub unsafe fn PyEval_EvalCode(
    co: *mut PyObject,
    _globals: *mut PyObject,
    _locals: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: NULL or a live object, per the C API contract.
    unsafe { refuse_to_run(co, "PyEval_EvalCode") }
}
