//! `array`: typed arrays of numbers and characters (CPython's `Modules/arraymodule.c`).
//! The object keeps CPython 3.14t's `arrayobject` layout (`ob_base`, `ob_item`,
//! `allocated`, `ob_descr`, `weakreflist`, `ob_exports`) and its `arraydescr` table, because
//! Cython's `cpython.array` reads and resizes those fields inline; the item memory comes from
//! `PyMem_Realloc` as Cython expects. Every access to the items holds the array's critical
//! section; Python values are converted to raw items before the section is taken, and item
//! objects are built from raw bytes copied out under it.

use crate::critical_section::hold;
use crate::longobject::method;
use crate::methodobject::{METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_SEQUENCE, Py_buffer, PyBufferProcs, PyMappingMethods, PyObject,
    PySequenceMethods, PyTypeObject, PyVarObject, static_type,
};
use crate::pyerrors::{
    EXC_BufferError, EXC_EOFError, EXC_IndexError, EXC_OverflowError, EXC_TypeError,
    EXC_ValueError, raise,
};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// CPython's `arraydescr`.
#[repr(C)]
pub(crate) struct ArrayDescr {
    typecode: c_char,
    itemsize: c_int,
    getitem: unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject,
    setitem: unsafe extern "C" fn(*mut PyObject, Py_ssize_t, *mut PyObject) -> c_int,
    compareitems: *const c_void,
    formats: *const c_char,
    is_integer_type: c_int,
    is_signed: c_int,
}

// SAFETY: the table is immutable and holds only static data and function pointers.
unsafe impl Sync for ArrayDescr {}

/// CPython 3.14t's `arrayobject`.
#[repr(C)]
pub(crate) struct Array {
    ob_base: PyVarObject,
    ob_item: *mut u8,
    allocated: Py_ssize_t,
    ob_descr: *const ArrayDescr,
    weakreflist: *mut PyObject,
    ob_exports: Py_ssize_t,
}

const fn d(tc: u8, size: c_int, fmt: &'static CStr, int: bool, signed: bool) -> ArrayDescr {
    ArrayDescr {
        typecode: tc as c_char,
        itemsize: size,
        getitem: descr_getitem,
        setitem: descr_setitem,
        compareitems: std::ptr::null(),
        formats: fmt.as_ptr(),
        is_integer_type: int as c_int,
        is_signed: signed as c_int,
    }
}

static DESCRIPTORS: [ArrayDescr; 14] = [
    d(b'b', 1, c"b", true, true),
    d(b'B', 1, c"B", true, false),
    d(b'u', 4, c"w", false, false),
    d(b'w', 4, c"w", false, false),
    d(b'h', 2, c"h", true, true),
    d(b'H', 2, c"H", true, false),
    d(b'i', 4, c"i", true, true),
    d(b'I', 4, c"I", true, false),
    d(b'l', 8, c"l", true, true),
    d(b'L', 8, c"L", true, false),
    d(b'q', 8, c"q", true, true),
    d(b'Q', 8, c"Q", true, false),
    d(b'f', 4, c"f", false, false),
    d(b'd', 8, c"d", false, false),
];

const TYPECODES: &str = "bBuwhHiIlLqQfd";

fn descr_of(tc: u8) -> Option<&'static ArrayDescr> {
    DESCRIPTORS.iter().find(|d| d.typecode as u8 == tc)
}

/// # Safety
/// `op` must be a live array.
unsafe fn arr<'a>(op: *mut PyObject) -> &'a mut Array {
    // SAFETY: forwarded contract.
    unsafe { &mut *op.cast::<Array>() }
}

/// # Safety
/// `op` must be a live array.
unsafe fn descr<'a>(op: *mut PyObject) -> &'a ArrayDescr {
    // SAFETY: forwarded contract; `ob_descr` points into DESCRIPTORS (or a copy Cython made).
    unsafe { &*arr(op).ob_descr }
}

/// # Safety
/// `op` must be a live array.
unsafe fn tc(op: *mut PyObject) -> u8 {
    // SAFETY: forwarded contract.
    unsafe { descr(op).typecode as u8 }
}

/// # Safety
/// `op` must be a live array.
unsafe fn isz(op: *mut PyObject) -> usize {
    // SAFETY: forwarded contract.
    unsafe { descr(op).itemsize as usize }
}

/// # Safety
/// `op` must be a live array.
unsafe fn len_of(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe { arr(op).ob_base.ob_size }
}

/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_array(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut Array_Type) }
}

/// The items' bytes (a copy made under the section).
///
/// # Safety
/// `op` must be a live array.
unsafe fn bytes_of(op: *mut PyObject) -> Vec<u8> {
    // SAFETY: forwarded contract; the section keeps the memory stable.
    unsafe {
        hold!(_g, op);
        raw(op).to_vec()
    }
}

/// The items' bytes as a slice (the caller holds the section).
///
/// # Safety
/// `op` must be a live array whose section the caller holds.
unsafe fn raw<'a>(op: *mut PyObject) -> &'a mut [u8] {
    // SAFETY: forwarded contract; `ob_item` holds `ob_size * itemsize` bytes.
    unsafe {
        let a = arr(op);
        let n = a.ob_base.ob_size as usize * isz(op);
        if n == 0 || a.ob_item.is_null() {
            return &mut [];
        }
        std::slice::from_raw_parts_mut(a.ob_item, n)
    }
}

/// Resizes to `n` items (section held); -1 with BufferError while exported.
///
/// # Safety
/// `op` must be a live array whose section the caller holds.
unsafe fn resize(op: *mut PyObject, n: Py_ssize_t) -> c_int {
    // SAFETY: forwarded contract; `ob_item` came from PyMem_Realloc.
    unsafe {
        let a = arr(op);
        if a.ob_exports > 0 && n != a.ob_base.ob_size {
            raise(
                &raw mut EXC_BufferError,
                "cannot resize an array that is exporting buffers",
            );
            return -1;
        }
        if n == 0 {
            crate::pymem::PyMem_Free(a.ob_item.cast());
            a.ob_item = null_mut();
            a.ob_base.ob_size = 0;
            a.allocated = 0;
            return 0;
        }
        if n <= a.allocated && n >= a.allocated / 2 {
            a.ob_base.ob_size = n;
            return 0;
        }
        let new_alloc = if n > a.ob_base.ob_size && a.ob_base.ob_size > 0 {
            n + (n >> 4) + if n < 8 { 3 } else { 7 }
        } else {
            n
        };
        let Some(bytes) = (new_alloc as usize).checked_mul(isz(op)) else {
            crate::pyerrors::PyErr_NoMemory();
            return -1;
        };
        let p = crate::pymem::PyMem_Realloc(a.ob_item.cast(), bytes);
        if p.is_null() {
            crate::pyerrors::PyErr_NoMemory();
            return -1;
        }
        a.ob_item = p.cast();
        a.allocated = new_alloc;
        a.ob_base.ob_size = n;
        0
    }
}

/// Converts `v` to one item's bytes for typecode `tc` (CPython's setitem texts).
///
/// # Safety
/// `v` must be live.
unsafe fn to_item(tc: u8, v: *mut PyObject) -> Result<[u8; 8], ()> {
    let mut out = [0u8; 8];
    // SAFETY: forwarded contract; each pointer handed to the parser outlives the call.
    unsafe {
        let parse = |fmt: &CStr, p: *mut c_void| -> Result<(), ()> {
            let c = crate::getargs::compiled(fmt.as_ptr());
            let r = crate::getargs::parse_compiled(
                v,
                null_mut(),
                c,
                &[],
                &[p],
                crate::getargs::ParseMode::Single,
            );
            if r == 0 { Err(()) } else { Ok(()) }
        };
        let over = |m: &str| -> Result<[u8; 8], ()> {
            raise(&raw mut EXC_OverflowError, m);
            Err(())
        };
        match tc {
            b'b' => {
                let mut x: i16 = 0;
                parse(c"h;array item must be integer", (&raw mut x).cast())?;
                if x < -128 {
                    return over("signed char is less than minimum");
                }
                if x > 127 {
                    return over("signed char is greater than maximum");
                }
                out[0] = x as i8 as u8;
            }
            b'B' => {
                let mut x: u8 = 0;
                parse(c"b;array item must be integer", (&raw mut x).cast())?;
                out[0] = x;
            }
            b'h' => {
                let mut x: i16 = 0;
                parse(c"h;array item must be integer", (&raw mut x).cast())?;
                out[..2].copy_from_slice(&x.to_ne_bytes());
            }
            b'H' => {
                let mut x: c_int = 0;
                parse(c"i;array item must be integer", (&raw mut x).cast())?;
                if x < 0 {
                    return over("unsigned short is less than minimum");
                }
                if x > 0xffff {
                    return over("unsigned short is greater than maximum");
                }
                out[..2].copy_from_slice(&(x as u16).to_ne_bytes());
            }
            b'i' => {
                let mut x: c_int = 0;
                parse(c"i;array item must be integer", (&raw mut x).cast())?;
                out[..4].copy_from_slice(&x.to_ne_bytes());
            }
            b'l' | b'q' => {
                let mut x: i64 = 0;
                let f = if tc == b'l' {
                    c"l;array item must be integer"
                } else {
                    c"L;array item must be integer"
                };
                if tc == b'q' && crate::longobject::is_int(v) {
                    let mut of: c_int = 0;
                    let y = crate::longobject::PyLong_AsLongLongAndOverflow(v, &mut of);
                    if of != 0 {
                        return over("int too big to convert");
                    }
                    if y == -1 && crate::pyerrors::occurred() {
                        return Err(());
                    }
                }
                parse(f, (&raw mut x).cast())?;
                out.copy_from_slice(&x.to_ne_bytes());
            }
            b'I' | b'L' | b'Q' => {
                let owned = if crate::longobject::is_int(v) {
                    new_ref(v)
                } else {
                    crate::abstract_::index(v)
                };
                if owned.is_null() {
                    return Err(());
                }
                let neg = crate::abstract_::PyObject_RichCompareBool(
                    owned,
                    crate::longobject::from_i64(0),
                    crate::object::Py_LT,
                );
                if neg == 1 {
                    decref(owned);
                    return over(if tc == b'Q' {
                        "can't convert negative int to unsigned"
                    } else {
                        "can't convert negative value to unsigned int"
                    });
                }
                let x = crate::longobject::PyLong_AsUnsignedLongLong(owned);
                decref(owned);
                if x == u64::MAX && crate::pyerrors::occurred() {
                    if crate::pyerrors::PyErr_ExceptionMatches((&raw mut EXC_OverflowError).cast())
                        != 0
                    {
                        crate::pyerrors::PyErr_Clear();
                        return over(if tc == b'Q' {
                            "int too big to convert"
                        } else {
                            "Python int too large to convert to C unsigned long"
                        });
                    }
                    return Err(());
                }
                if tc == b'I' {
                    if x > u32::MAX as u64 {
                        return over("unsigned int is greater than maximum");
                    }
                    out[..4].copy_from_slice(&(x as u32).to_ne_bytes());
                } else {
                    out.copy_from_slice(&x.to_ne_bytes());
                }
            }
            b'f' => {
                let mut x: f32 = 0.0;
                parse(c"f;array item must be float", (&raw mut x).cast())?;
                out[..4].copy_from_slice(&x.to_ne_bytes());
            }
            b'd' => {
                let mut x: f64 = 0.0;
                parse(c"d;array item must be float", (&raw mut x).cast())?;
                out.copy_from_slice(&x.to_ne_bytes());
            }
            _ => {
                // 'u' and 'w': one character
                if !crate::unicodeobject::is_str(v) {
                    let n = crate::object::type_name(crate::object::ty(v));
                    raise(
                        &raw mut EXC_TypeError,
                        &format!("array item must be a unicode character, not {n}"),
                    );
                    return Err(());
                }
                let n = crate::unicodeobject::PyUnicode_GetLength(v);
                if n != 1 {
                    raise(
                        &raw mut EXC_TypeError,
                        &format!(
                            "array item must be a unicode character, not a string of length {n}"
                        ),
                    );
                    return Err(());
                }
                let ch = crate::unicodeobject::PyUnicode_ReadChar(v, 0);
                out[..4].copy_from_slice(&ch.to_ne_bytes());
            }
        }
    }
    Ok(out)
}

/// The object for one item's bytes.
fn from_item(tc: u8, b: &[u8]) -> *mut PyObject {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    let u32_ = u32::from_ne_bytes([w[0], w[1], w[2], w[3]]);
    match tc {
        b'b' => crate::longobject::from_i64(w[0] as i8 as i64),
        b'B' => crate::longobject::from_i64(w[0] as i64),
        b'h' => crate::longobject::from_i64(i16::from_ne_bytes([w[0], w[1]]) as i64),
        b'H' => crate::longobject::from_i64(u16::from_ne_bytes([w[0], w[1]]) as i64),
        b'i' => crate::longobject::from_i64(u32_ as i32 as i64),
        b'I' => crate::longobject::from_i64(u32_ as i64),
        b'l' | b'q' => crate::longobject::from_i64(i64::from_ne_bytes(w)),
        b'L' | b'Q' => crate::longobject::PyLong_FromUnsignedLongLong(u64::from_ne_bytes(w)),
        b'f' => crate::floatobject::PyFloat_FromDouble(
            f32::from_ne_bytes([w[0], w[1], w[2], w[3]]) as f64,
        ),
        b'd' => crate::floatobject::PyFloat_FromDouble(f64::from_ne_bytes(w)),
        _ => {
            // SAFETY: one UCS4 unit read from a local.
            unsafe {
                crate::unicodeobject::PyUnicode_FromKindAndData(4, (&raw const u32_).cast(), 1)
            }
        }
    }
}

/// Item `i` as an object (bounds checked by the caller; re-checked here), NULL with
/// IndexError.
///
/// # Safety
/// `op` must be a live array.
unsafe fn get(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let (t, b) = {
            hold!(_g, op);
            if i < 0 || i >= len_of(op) {
                return raise(&raw mut EXC_IndexError, "array index out of range");
            }
            let s = isz(op);
            let r = raw(op);
            let mut b = [0u8; 8];
            b[..s].copy_from_slice(&r[i as usize * s..(i as usize + 1) * s]);
            (tc(op), b)
        };
        from_item(t, &b[..descr_of(t).map_or(8, |d| d.itemsize as usize)])
    }
}

unsafe extern "C" fn descr_getitem(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: an array (the descriptor's contract).
    unsafe { get(op, i) }
}

unsafe extern "C" fn descr_setitem(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: an array (the descriptor's contract).
    unsafe {
        let Ok(b) = to_item(tc(op), v) else {
            return -1;
        };
        hold!(_g, op);
        if i < 0 || i >= len_of(op) {
            return 0;
        }
        let s = isz(op);
        raw(op)[i as usize * s..(i as usize + 1) * s].copy_from_slice(&b[..s]);
        0
    }
}

/// Every item as an object.
///
/// # Safety
/// `op` must be a live array.
unsafe fn items(op: *mut PyObject) -> Result<Vec<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = tc(op);
        let s = isz(op);
        let data = bytes_of(op);
        let mut v = Vec::with_capacity(data.len() / s.max(1));
        for c in data.chunks_exact(s) {
            let o = from_item(t, c);
            if o.is_null() {
                crate::iterobject::release_all(v);
                return Err(());
            }
            v.push(o);
        }
        Ok(v)
    }
}

/// A new array of type `t` and typecode `code` holding `data`.
///
/// # Safety
/// `t` must be array or a subtype.
unsafe fn new_array(t: *mut PyTypeObject, code: u8, data: &[u8]) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let a = arr(op);
        a.ob_descr = descr_of(code).expect("a known typecode");
        a.ob_item = null_mut();
        a.ob_base.ob_size = 0;
        a.allocated = 0;
        a.weakreflist = null_mut();
        a.ob_exports = 0;
        if !data.is_empty() {
            let n = (data.len() / isz(op)) as Py_ssize_t;
            if resize(op, n) < 0 {
                decref(op);
                return null_mut();
            }
            raw(op).copy_from_slice(data);
        }
        op
    }
}

/// Appends raw bytes (a whole number of items).
///
/// # Safety
/// `op` must be a live array.
unsafe fn append_bytes(op: *mut PyObject, data: &[u8]) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if data.is_empty() {
            return 0;
        }
        hold!(_g, op);
        let old = len_of(op);
        let s = isz(op);
        if resize(op, old + (data.len() / s) as Py_ssize_t) < 0 {
            return -1;
        }
        raw(op)[old as usize * s..].copy_from_slice(data);
        0
    }
}

/// Converts every object in `objs` to raw items.
///
/// # Safety
/// Each object must be live.
unsafe fn convert_all(t: u8, objs: &[*mut PyObject]) -> Result<Vec<u8>, ()> {
    let s = descr_of(t).map_or(1, |d| d.itemsize as usize);
    let mut out = Vec::with_capacity(objs.len() * s);
    for &o in objs {
        // SAFETY: forwarded contract.
        let b = unsafe { to_item(t, o) }?;
        out.extend_from_slice(&b[..s]);
    }
    Ok(out)
}

/// Code points of a str.
///
/// # Safety
/// `s` must be a live str.
unsafe fn code_points(s: *mut PyObject) -> Vec<u32> {
    // SAFETY: forwarded contract.
    unsafe {
        let n = crate::unicodeobject::PyUnicode_GetLength(s);
        (0..n)
            .map(|i| crate::unicodeobject::PyUnicode_ReadChar(s, i))
            .collect()
    }
}

fn chars_to_bytes(cps: &[u32]) -> Vec<u8> {
    cps.iter().flat_map(|c| c.to_ne_bytes()).collect()
}

/// `extend` with any iterable (arrays must share the typecode).
///
/// # Safety
/// Live objects.
unsafe fn extend_impl(op: *mut PyObject, other: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if is_array(other) {
            if tc(other) != tc(op) {
                raise(
                    &raw mut EXC_TypeError,
                    "can only extend with array of same kind",
                );
                return -1;
            }
            let data = bytes_of(other);
            return append_bytes(op, &data);
        }
        let it = crate::abstract_::get_iter(other);
        if it.is_null() {
            return -1;
        }
        let t = tc(op);
        loop {
            let v = crate::abstract_::PyIter_Next(it);
            if v.is_null() {
                decref(it);
                return if crate::pyerrors::occurred() { -1 } else { 0 };
            }
            let b = to_item(t, v);
            decref(v);
            let Ok(b) = b else {
                decref(it);
                return -1;
            };
            if append_bytes(op, &b[..isz(op)]) < 0 {
                decref(it);
                return -1;
            }
        }
    }
}

/// Sets `op`'s items from an initializer (constructor).
///
/// # Safety
/// Live objects; `op` an empty array.
unsafe fn initialize(op: *mut PyObject, init: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let t = tc(op);
        if crate::unicodeobject::is_str(init) {
            let cps = code_points(init);
            return append_bytes(op, &chars_to_bytes(&cps));
        }
        if crate::bytesobject::is_bytes(init) || crate::bytearrayobject::is_bytearray(init) {
            return frombytes_impl(op, init);
        }
        if is_array(init)
            && matches!(tc(init), b'u' | b'w')
            && t != tc(init)
            && matches!(t, b'u' | b'w')
        {
            let data = bytes_of(init);
            return append_bytes(op, &data);
        }
        if is_array(init) && tc(init) != t {
            let Ok(v) = items(init) else { return -1 };
            let r = convert_all(t, &v);
            crate::iterobject::release_all(v);
            let Ok(b) = r else { return -1 };
            return append_bytes(op, &b);
        }
        if crate::listobject::is_list(init) || crate::tupleobject::is_tuple(init) {
            let Ok(v) = crate::iterobject::collect(init) else {
                return -1;
            };
            let r = convert_all(t, &v);
            crate::iterobject::release_all(v);
            let Ok(b) = r else { return -1 };
            return append_bytes(op, &b);
        }
        extend_impl(op, init)
    }
}

unsafe extern "C" fn array_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: `args` a tuple, `kw` NULL or a dict.
    unsafe {
        if t == &raw mut Array_Type && !kw.is_null() && crate::dictobject::PyDict_Size(kw) > 0 {
            return raise(
                &raw mut EXC_TypeError,
                "array.array() takes no keyword arguments",
            );
        }
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 2 {
            let msg = if a.is_empty() {
                "array() takes at least 1 argument (0 given)".to_string()
            } else {
                format!("array() takes at most 2 arguments ({} given)", a.len())
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let code = a[0];
        if !crate::unicodeobject::is_str(code)
            || crate::unicodeobject::PyUnicode_GetLength(code) != 1
        {
            let what = if crate::unicodeobject::is_str(code) {
                format!(
                    "a string of length {}",
                    crate::unicodeobject::PyUnicode_GetLength(code)
                )
            } else {
                crate::object::type_name(crate::object::ty(code))
            };
            return raise(
                &raw mut EXC_TypeError,
                &format!("array() argument 1 must be a unicode character, not {what}"),
            );
        }
        let ch = crate::unicodeobject::PyUnicode_ReadChar(code, 0);
        let init = a.get(1).copied().unwrap_or(null_mut());
        let known = ch < 128 && descr_of(ch as u8).is_some();
        if !known {
            return raise(
                &raw mut EXC_ValueError,
                "bad typecode (must be b, B, u, w, h, H, i, I, l, L, q, Q, f or d)",
            );
        }
        let ch = ch as u8;
        if ch == b'u'
            && crate::warnings::warn(
                (&raw mut crate::pyerrors::EXC_DeprecationWarning).cast(),
                "The 'u' type code is deprecated and will be removed in Python 3.16",
                1,
            ) < 0
        {
            return null_mut();
        }
        if !init.is_null() && init != crate::object::none() && !matches!(ch, b'u' | b'w') {
            if crate::unicodeobject::is_str(init) {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "cannot use a str to initialize an array with typecode '{}'",
                        ch as char
                    ),
                );
            }
            if is_array(init) && matches!(tc(init), b'u' | b'w') {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!(
                        "cannot use a unicode array to initialize an array with typecode '{}'",
                        ch as char
                    ),
                );
            }
        }
        let op = new_array(t, ch, &[]);
        if op.is_null() {
            return op;
        }
        if !init.is_null() && initialize(op, init) < 0 {
            decref(op);
            return null_mut();
        }
        op
    }
}

unsafe extern "C" fn array_dealloc(op: *mut PyObject) {
    // SAFETY: a dead array (slot contract); `ob_item` came from PyMem_Realloc.
    unsafe {
        let a = arr(op);
        if !a.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        crate::pymem::PyMem_Free(a.ob_item.cast());
        a.ob_item = null_mut();
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn array_len(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live array (slot contract).
    unsafe {
        hold!(_g, op);
        len_of(op)
    }
}

unsafe extern "C" fn array_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array (slot contract).
    unsafe { get(op, i) }
}

/// Replaces items `lo..hi` with `data` (section held inside).
///
/// # Safety
/// `op` must be a live array.
unsafe fn splice(op: *mut PyObject, lo: usize, hi: usize, data: &[u8]) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        hold!(_g, op);
        let s = isz(op);
        let n = len_of(op) as usize;
        let hi = hi.min(n).max(lo.min(n));
        let lo = lo.min(n);
        let mut all = raw(op).to_vec();
        all.splice(lo * s..hi * s, data.iter().copied());
        if resize(op, (all.len() / s) as Py_ssize_t) < 0 {
            return -1;
        }
        raw(op).copy_from_slice(&all);
        0
    }
}

unsafe extern "C" fn array_ass_item(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live array (slot contract).
    unsafe {
        let n = array_len(op);
        if i < 0 || i >= n {
            raise(
                &raw mut EXC_IndexError,
                "array assignment index out of range",
            );
            return -1;
        }
        if v.is_null() {
            return splice(op, i as usize, i as usize + 1, &[]);
        }
        let Ok(b) = to_item(tc(op), v) else {
            return -1;
        };
        hold!(_g, op);
        if i >= len_of(op) {
            raise(
                &raw mut EXC_IndexError,
                "array assignment index out of range",
            );
            return -1;
        }
        let s = isz(op);
        raw(op)[i as usize * s..(i as usize + 1) * s].copy_from_slice(&b[..s]);
        0
    }
}

unsafe extern "C" fn array_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if crate::sliceobject::is_slice(key) {
            let data = bytes_of(op);
            let s = isz(op);
            let Ok((b, st, n)) = crate::sliceobject::indices(key, (data.len() / s) as Py_ssize_t)
            else {
                return null_mut();
            };
            let mut out = Vec::with_capacity(n.max(0) as usize * s);
            for p in crate::sliceobject::positions(b, st, n) {
                out.extend_from_slice(&data[p * s..(p + 1) * s]);
            }
            return new_array(&raw mut Array_Type, tc(op), &out);
        }
        if crate::abstract_::PyIndex_Check(key) == 0 {
            return raise(&raw mut EXC_TypeError, "array indices must be integers");
        }
        let i = crate::abstract_::as_ssize_t(key, &raw mut EXC_IndexError);
        if i == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        let i = if i < 0 { i + array_len(op) } else { i };
        get(op, i)
    }
}

unsafe extern "C" fn array_ass_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !crate::sliceobject::is_slice(key) {
            if crate::abstract_::PyIndex_Check(key) == 0 {
                raise(&raw mut EXC_TypeError, "array indices must be integers");
                return -1;
            }
            let i = crate::abstract_::as_ssize_t(key, &raw mut EXC_IndexError);
            if i == -1 && crate::pyerrors::occurred() {
                return -1;
            }
            let i = if i < 0 { i + array_len(op) } else { i };
            return array_ass_item(op, i, v);
        }
        let data: Vec<u8> = if v.is_null() {
            Vec::new()
        } else if is_array(v) {
            if tc(v) != tc(op) {
                raise(
                    &raw mut EXC_TypeError,
                    "bad argument type for built-in operation",
                );
                return -1;
            }
            bytes_of(v)
        } else {
            let n = crate::object::type_name(crate::object::ty(v));
            raise(
                &raw mut EXC_TypeError,
                &format!("can only assign array (not \"{n}\") to array slice"),
            );
            return -1;
        };
        let s = isz(op);
        hold!(_g, op);
        let len = len_of(op);
        let Ok((mut b, mut e, st)) = crate::sliceobject::unpack(key) else {
            return -1;
        };
        let n = crate::sliceobject::adjust(len, &mut b, &mut e, st);
        if st == 1 {
            let hi = if e < b { b } else { e };
            let mut all = raw(op).to_vec();
            all.splice(b as usize * s..hi as usize * s, data.iter().copied());
            if resize(op, (all.len() / s) as Py_ssize_t) < 0 {
                return -1;
            }
            raw(op).copy_from_slice(&all);
            return 0;
        }
        if v.is_null() {
            let drop: std::collections::HashSet<usize> =
                crate::sliceobject::positions(b, st, n).collect();
            let all = raw(op).to_vec();
            let kept: Vec<u8> = all
                .chunks_exact(s)
                .enumerate()
                .filter(|(k, _)| !drop.contains(k))
                .flat_map(|(_, c)| c.iter().copied())
                .collect();
            if resize(op, (kept.len() / s) as Py_ssize_t) < 0 {
                return -1;
            }
            raw(op).copy_from_slice(&kept);
            return 0;
        }
        if (data.len() / s) as Py_ssize_t != n {
            raise(
                &raw mut EXC_ValueError,
                &format!(
                    "attempt to assign array of size {} to extended slice of size {n}",
                    data.len() / s
                ),
            );
            return -1;
        }
        let r = raw(op);
        for (k, p) in crate::sliceobject::positions(b, st, n).enumerate() {
            r[p * s..(p + 1) * s].copy_from_slice(&data[k * s..(k + 1) * s]);
        }
        0
    }
}

unsafe extern "C" fn array_concat(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_array(other) {
            let n = crate::object::type_name(crate::object::ty(other));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can only append array (not \"{n}\") to array"),
            );
        }
        if tc(other) != tc(op) {
            return raise(
                &raw mut EXC_TypeError,
                "bad argument type for built-in operation",
            );
        }
        let mut data = bytes_of(op);
        data.extend(bytes_of(other));
        new_array(&raw mut Array_Type, tc(op), &data)
    }
}

fn repeated(data: &[u8], n: Py_ssize_t) -> Result<Vec<u8>, ()> {
    let n = n.max(0) as usize;
    if data
        .len()
        .checked_mul(n)
        .is_none_or(|t| t > isize::MAX as usize / 2)
    {
        crate::pyerrors::PyErr_NoMemory();
        return Err(());
    }
    Ok(data.repeat(n))
}

unsafe extern "C" fn array_repeat(op: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array (slot contract).
    unsafe {
        let Ok(data) = repeated(&bytes_of(op), n) else {
            return null_mut();
        };
        new_array(&raw mut Array_Type, tc(op), &data)
    }
}

unsafe extern "C" fn array_inplace_concat(
    op: *mut PyObject,
    other: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_array(other) {
            let n = crate::object::type_name(crate::object::ty(other));
            return raise(
                &raw mut EXC_TypeError,
                &format!("can only extend array with array (not \"{n}\")"),
            );
        }
        if extend_impl(op, other) < 0 {
            return null_mut();
        }
        new_ref(op)
    }
}

unsafe extern "C" fn array_inplace_repeat(op: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array (slot contract).
    unsafe {
        {
            hold!(_g, op);
            let Ok(data) = repeated(raw(op), n) else {
                return null_mut();
            };
            let s = isz(op);
            if resize(op, (data.len() / s) as Py_ssize_t) < 0 {
                return null_mut();
            }
            raw(op).copy_from_slice(&data);
        }
        new_ref(op)
    }
}

unsafe extern "C" fn array_contains(op: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        let n = array_len(op);
        for i in 0..n {
            let x = get(op, i);
            if x.is_null() {
                crate::pyerrors::PyErr_Clear();
                break;
            }
            let r = crate::abstract_::PyObject_RichCompareBool(x, v, crate::object::Py_EQ);
            decref(x);
            if r != 0 {
                return r;
            }
        }
        0
    }
}

unsafe extern "C" fn array_richcompare(
    op: *mut PyObject,
    other: *mut PyObject,
    cmp: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_array(op) || !is_array(other) {
            return crate::longobject::not_implemented();
        }
        let Ok(a) = items(op) else { return null_mut() };
        let Ok(b) = items(other) else {
            crate::iterobject::release_all(a);
            return null_mut();
        };
        let r = crate::iterobject::compare_sequences(&a, &b, cmp);
        crate::iterobject::release_all(a);
        crate::iterobject::release_all(b);
        r
    }
}

unsafe extern "C" fn array_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (slot contract).
    unsafe {
        let name = super::collections::type_name_of(op);
        let t = tc(op);
        let n = array_len(op);
        let text = if n == 0 {
            format!("{name}('{}')", t as char)
        } else if matches!(t, b'u' | b'w') {
            let data = bytes_of(op);
            let cps: Vec<u32> = data
                .chunks_exact(4)
                .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let s = crate::unicodeobject::PyUnicode_FromKindAndData(
                4,
                cps.as_ptr().cast(),
                cps.len() as Py_ssize_t,
            );
            if s.is_null() {
                return s;
            }
            let r = super::collections::repr_of(s);
            decref(s);
            let Some(r) = r else { return null_mut() };
            format!("{name}('{}', {r})", t as char)
        } else {
            let Ok(v) = items(op) else { return null_mut() };
            let parts = crate::iterobject::repr_all(&v);
            crate::iterobject::release_all(v);
            let Some(parts) = parts else {
                return null_mut();
            };
            format!("{name}('{}', [{}])", t as char, parts.join(", "))
        };
        crate::unicodeobject::from_utf8(text.as_bytes())
    }
}

unsafe extern "C" fn array_getbuffer(
    op: *mut PyObject,
    view: *mut Py_buffer,
    flags: c_int,
) -> c_int {
    // SAFETY: a live array and a writable view (slot contract).
    unsafe {
        if view.is_null() {
            raise(
                &raw mut EXC_BufferError,
                "array_buffer_getbuf: view==NULL argument is obsolete",
            );
            return -1;
        }
        hold!(_g, op);
        let a = arr(op);
        let d = descr(op);
        static mut EMPTY: u64 = 0;
        let buf: *mut c_void = if a.ob_item.is_null() {
            (&raw mut EMPTY).cast()
        } else {
            a.ob_item.cast()
        };
        let v = &mut *view;
        v.buf = buf;
        v.obj = new_ref(op);
        v.len = a.ob_base.ob_size * d.itemsize as Py_ssize_t;
        v.readonly = 0;
        v.ndim = 1;
        v.itemsize = d.itemsize as Py_ssize_t;
        v.suboffsets = null_mut();
        v.shape = null_mut();
        if flags & crate::pybuffer::PyBUF_ND == crate::pybuffer::PyBUF_ND {
            v.shape = &raw mut a.ob_base.ob_size;
        }
        v.strides = null_mut();
        if flags & crate::pybuffer::PyBUF_STRIDES == crate::pybuffer::PyBUF_STRIDES {
            v.strides = &raw mut v.itemsize;
        }
        v.format = null_mut();
        v.internal = null_mut();
        if flags & crate::pybuffer::PyBUF_FORMAT == crate::pybuffer::PyBUF_FORMAT {
            v.format = d.formats.cast_mut();
        }
        a.ob_exports += 1;
        0
    }
}

unsafe extern "C" fn array_releasebuffer(op: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: a live array (slot contract).
    unsafe {
        hold!(_g, op);
        arr(op).ob_exports -= 1;
    }
}

// --- methods ---

/// A new tuple that steals `objs` (NULL, releasing them, when one is NULL).
///
/// # Safety
/// Each must be NULL or an owned reference.
unsafe fn pack(objs: &[*mut PyObject], _steal: bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if objs.iter().any(|o| o.is_null()) {
            for &o in objs {
                xdecref(o);
            }
            return null_mut();
        }
        let t = super::collections::tuple_of(objs);
        for &o in objs {
            decref(o);
        }
        t
    }
}

/// `getattr(op, name)` (new reference, NULL with the error set).
///
/// # Safety
/// `op` must be live.
unsafe fn attr(op: *mut PyObject, name: &str) -> *mut PyObject {
    let n = crate::unicodeobject::intern(name);
    // SAFETY: forwarded contract; `n` is an interned str.
    unsafe { crate::object::getattr(op, n) }
}

unsafe extern "C" fn m_append(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let Ok(b) = to_item(tc(op), v) else {
            return null_mut();
        };
        if append_bytes(op, &b[..isz(op)]) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_extend(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if extend_impl(op, v) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_buffer_info(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        let (p, n) = {
            hold!(_g, op);
            (arr(op).ob_item as usize, len_of(op))
        };
        let a = crate::longobject::PyLong_FromUnsignedLongLong(p as u64);
        let b = crate::longobject::from_i64(n as i64);
        pack(&[a, b], true)
    }
}

unsafe extern "C" fn m_byteswap(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        let s = isz(op);
        if ![1, 2, 4, 8].contains(&s) {
            return raise(
                &raw mut crate::pyerrors::EXC_RuntimeError,
                "don't know how to byteswap this array type",
            );
        }
        hold!(_g, op);
        for c in raw(op).chunks_exact_mut(s) {
            c.reverse();
        }
        crate::object::new_none()
    }
}

/// Positions of items equal to `v` in `lo..hi` (first only when `first`).
///
/// # Safety
/// Live objects.
unsafe fn find(
    op: *mut PyObject,
    v: *mut PyObject,
    lo: Py_ssize_t,
    hi: Py_ssize_t,
    first: bool,
) -> Result<Vec<Py_ssize_t>, ()> {
    let mut out = Vec::new();
    let mut i = lo.max(0);
    // SAFETY: forwarded contract.
    unsafe {
        while i < hi.min(array_len(op)) {
            let x = get(op, i);
            if x.is_null() {
                crate::pyerrors::PyErr_Clear();
                break;
            }
            let r = crate::abstract_::PyObject_RichCompareBool(x, v, crate::object::Py_EQ);
            decref(x);
            if r < 0 {
                return Err(());
            }
            if r > 0 {
                out.push(i);
                if first {
                    break;
                }
            }
            i += 1;
        }
    }
    Ok(out)
}

unsafe extern "C" fn m_count(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        match find(op, v, 0, Py_ssize_t::MAX, false) {
            Ok(f) => crate::longobject::from_i64(f.len() as i64),
            Err(()) => null_mut(),
        }
    }
}

/// A clinic-style `Py_ssize_t` argument clamped like `_PyEval_SliceIndexNotNone`.
///
/// # Safety
/// `v` must be live.
unsafe fn slice_index(v: *mut PyObject, len: Py_ssize_t) -> Result<Py_ssize_t, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::abstract_::PyIndex_Check(v) == 0 {
            raise(
                &raw mut EXC_TypeError,
                "slice indices must be integers or have an __index__ method",
            );
            return Err(());
        }
        let i = crate::abstract_::as_ssize_t(v, null_mut());
        if i == -1 && crate::pyerrors::occurred() {
            return Err(());
        }
        Ok(if i < 0 { (i + len).max(0) } else { i })
    }
}

unsafe extern "C" fn m_index(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.is_empty() || a.len() > 3 {
            let msg = if a.is_empty() {
                "index expected at least 1 argument, got 0".to_string()
            } else {
                format!("index expected at most 3 arguments, got {}", a.len())
            };
            return raise(&raw mut EXC_TypeError, &msg);
        }
        let n = array_len(op);
        let lo = match a.get(1) {
            Some(&x) => match slice_index(x, n) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
            None => 0,
        };
        let hi = match a.get(2) {
            Some(&x) => match slice_index(x, n) {
                Ok(v) => v,
                Err(()) => return null_mut(),
            },
            None => Py_ssize_t::MAX,
        };
        match find(op, a[0], lo, hi, true) {
            Ok(f) if !f.is_empty() => crate::longobject::from_i64(f[0] as i64),
            Ok(_) => raise(&raw mut EXC_ValueError, "array.index(x): x not in array"),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn m_remove(op: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        match find(op, v, 0, Py_ssize_t::MAX, true) {
            Ok(f) if !f.is_empty() => {
                let i = f[0] as usize;
                if splice(op, i, i + 1, &[]) < 0 {
                    return null_mut();
                }
                crate::object::new_none()
            }
            Ok(_) => raise(&raw mut EXC_ValueError, "array.remove(x): x not in array"),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn m_insert(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() != 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("insert expected 2 arguments, got {}", a.len()),
            );
        }
        let i = crate::abstract_::as_ssize_t(a[0], &raw mut EXC_OverflowError);
        if i == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        let Ok(b) = to_item(tc(op), a[1]) else {
            return null_mut();
        };
        let n = array_len(op);
        let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
        if splice(op, i, i, &b[..isz(op)]) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_pop(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("pop expected at most 1 argument, got {}", a.len()),
            );
        }
        let mut i: Py_ssize_t = -1;
        if let Some(&x) = a.first() {
            i = crate::abstract_::as_ssize_t(x, &raw mut EXC_OverflowError);
            if i == -1 && crate::pyerrors::occurred() {
                return null_mut();
            }
        }
        let (t, b) = {
            hold!(_g, op);
            let n = len_of(op);
            if n == 0 {
                return raise(&raw mut EXC_IndexError, "pop from empty array");
            }
            let k = if i < 0 { i + n } else { i };
            if k < 0 || k >= n {
                return raise(&raw mut EXC_IndexError, "pop index out of range");
            }
            let s = isz(op);
            let k = k as usize;
            let b = raw(op)[k * s..(k + 1) * s].to_vec();
            let mut all = raw(op).to_vec();
            all.drain(k * s..(k + 1) * s);
            if resize(op, n - 1) < 0 {
                return null_mut();
            }
            raw(op).copy_from_slice(&all);
            (tc(op), b)
        };
        from_item(t, &b)
    }
}

unsafe extern "C" fn m_reverse(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        hold!(_g, op);
        let s = isz(op);
        let r = raw(op);
        let n = r.len() / s;
        for k in 0..n / 2 {
            for j in 0..s {
                r.swap(k * s + j, (n - 1 - k) * s + j);
            }
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        hold!(_g, op);
        if resize(op, 0) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_tobytes(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        let data = bytes_of(op);
        crate::bytesobject::PyBytes_FromStringAndSize(
            data.as_ptr().cast(),
            data.len() as Py_ssize_t,
        )
    }
}

unsafe extern "C" fn m_tolist(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        let Ok(v) = items(op) else { return null_mut() };
        crate::listobject::from_vec(v)
    }
}

/// # Safety
/// Live objects.
unsafe fn frombytes_impl(op: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let mut view: Py_buffer = std::mem::zeroed();
        if crate::pybuffer::get_buffer(b, &mut view, crate::pybuffer::PyBUF_SIMPLE) < 0 {
            return -1;
        }
        let data = if view.len > 0 {
            std::slice::from_raw_parts(view.buf.cast::<u8>(), view.len as usize).to_vec()
        } else {
            Vec::new()
        };
        crate::pybuffer::release(&mut view);
        if data.len() % isz(op) != 0 {
            raise(
                &raw mut EXC_ValueError,
                "bytes length not a multiple of item size",
            );
            return -1;
        }
        append_bytes(op, &data)
    }
}

unsafe extern "C" fn m_frombytes(op: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if crate::pybuffer::check_buffer(b) {
            if frombytes_impl(op, b) < 0 {
                return null_mut();
            }
            return crate::object::new_none();
        }
        let n = crate::object::type_name(crate::object::ty(b));
        raise(
            &raw mut EXC_TypeError,
            &format!("a bytes-like object is required, not '{n}'"),
        )
    }
}

unsafe extern "C" fn m_fromlist(op: *mut PyObject, l: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if !crate::listobject::is_list(l) {
            return raise(&raw mut EXC_TypeError, "arg must be list");
        }
        let Ok(v) = crate::iterobject::collect(l) else {
            return null_mut();
        };
        let r = convert_all(tc(op), &v);
        crate::iterobject::release_all(v);
        let Ok(b) = r else { return null_mut() };
        if append_bytes(op, &b) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_fromunicode(op: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        if !crate::unicodeobject::is_str(s) {
            let n = crate::object::type_name(crate::object::ty(s));
            return raise(
                &raw mut EXC_TypeError,
                &format!("fromunicode() argument must be str, not {n}"),
            );
        }
        if !matches!(tc(op), b'u' | b'w') {
            return raise(
                &raw mut EXC_ValueError,
                "fromunicode() may only be called on unicode type arrays ('u' or 'w')",
            );
        }
        if append_bytes(op, &chars_to_bytes(&code_points(s))) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_tounicode(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        if !matches!(tc(op), b'u' | b'w') {
            return raise(
                &raw mut EXC_ValueError,
                "tounicode() may only be called on unicode type arrays ('u' or 'w')",
            );
        }
        let data = bytes_of(op);
        let cps: Vec<u32> = data
            .chunks_exact(4)
            .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if let Some(bad) = cps.iter().find(|&&c| c > 0x10ffff) {
            return raise(
                &raw mut EXC_ValueError,
                &format!("character U+{bad:x} is not in range [U+0000; U+10ffff]"),
            );
        }
        crate::unicodeobject::PyUnicode_FromKindAndData(
            4,
            cps.as_ptr().cast(),
            cps.len() as Py_ssize_t,
        )
    }
}

unsafe extern "C" fn m_fromfile(op: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() != 2 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("fromfile expected 2 arguments, got {}", a.len()),
            );
        }
        let n = crate::abstract_::as_ssize_t(a[1], &raw mut EXC_OverflowError);
        if n == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        if n < 0 {
            return raise(&raw mut EXC_ValueError, "negative count");
        }
        let s = isz(op) as Py_ssize_t;
        if n > Py_ssize_t::MAX / s {
            return crate::pyerrors::PyErr_NoMemory();
        }
        let want = crate::longobject::from_i64((n * s) as i64);
        let b = crate::abstract_::call_method(a[0], "read", &[want]);
        decref(want);
        if b.is_null() {
            return b;
        }
        if !crate::bytesobject::is_bytes(b) {
            decref(b);
            return raise(&raw mut EXC_TypeError, "read() didn't return bytes");
        }
        let data = crate::bytesobject::as_bytes(b).to_vec();
        decref(b);
        let whole = data.len() - data.len() % s as usize;
        if append_bytes(op, &data[..whole]) < 0 {
            return null_mut();
        }
        if (data.len() as Py_ssize_t) != n * s {
            return raise(&raw mut EXC_EOFError, "read() didn't return enough bytes");
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_tofile(op: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let data = bytes_of(op);
        for block in data.chunks(64 * 1024) {
            let b = crate::bytesobject::PyBytes_FromStringAndSize(
                block.as_ptr().cast(),
                block.len() as Py_ssize_t,
            );
            if b.is_null() {
                return b;
            }
            let r = crate::abstract_::call_method(f, "write", &[b]);
            decref(b);
            if r.is_null() {
                return r;
            }
            decref(r);
        }
        crate::object::new_none()
    }
}

unsafe extern "C" fn m_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe { new_array(&raw mut Array_Type, tc(op), &bytes_of(op)) }
}

unsafe extern "C" fn m_deepcopy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe { m_copy(op, null_mut()) }
}

unsafe extern "C" fn m_sizeof(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (method contract).
    unsafe {
        let n = {
            hold!(_g, op);
            (*crate::object::ty(op)).tp_basicsize + arr(op).allocated * isz(op) as Py_ssize_t
        };
        crate::longobject::from_i64(n as i64)
    }
}

/// CPython's machine-format code for a typecode on this (little-endian, LP64) machine.
fn mformat(t: u8) -> i64 {
    match t {
        b'b' => 1,
        b'B' => 0,
        b'h' => 4,
        b'H' => 2,
        b'i' => 8,
        b'I' => 6,
        b'l' | b'q' => 12,
        b'L' | b'Q' => 10,
        b'f' => 14,
        b'd' => 16,
        _ => 20,
    }
}

unsafe extern "C" fn m_reduce_ex(op: *mut PyObject, proto: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let p = crate::abstract_::as_ssize_t(proto, &raw mut EXC_OverflowError);
        if p == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        let mut dict = attr(op, "__dict__");
        if dict.is_null() {
            crate::pyerrors::PyErr_Clear();
            dict = crate::object::new_none();
        }
        let t = crate::object::ty(op);
        let code = crate::unicodeobject::from_utf8(&[tc(op)]);
        if p < 3 {
            let l = m_tolist(op, null_mut());
            if l.is_null() {
                decref(code);
                decref(dict);
                return l;
            }
            let args = pack(&[code, l], true);
            return pack(&[new_ref(t.cast()), args, dict], true);
        }
        let recon = attr(module(), "_array_reconstructor");
        if recon.is_null() {
            decref(code);
            decref(dict);
            return recon;
        }
        let b = m_tobytes(op, null_mut());
        let args = pack(
            &[
                new_ref(t.cast()),
                code,
                crate::longobject::from_i64(mformat(tc(op))),
                b,
            ],
            true,
        );
        pack(&[recon, args, dict], true)
    }
}

/// Decodes `data` written in machine format `mf` into item objects.
fn decode_mformat(mf: i64, data: &[u8]) -> Option<Vec<Value>> {
    let (size, kind, le) = match mf {
        0 => (1, 'u', true),
        1 => (1, 's', true),
        2..=13 => {
            let k = mf - 2;
            let width = [2, 4, 8][(k / 4) as usize];
            let signed = (k % 4) >= 2;
            (width, if signed { 's' } else { 'u' }, k % 2 == 0)
        }
        14 | 15 => (4, 'f', mf == 14),
        16 | 17 => (8, 'f', mf == 16),
        18 | 19 => (2, 'c', mf == 18),
        20 | 21 => (4, 'c', mf == 20),
        _ => return None,
    };
    if !data.len().is_multiple_of(size) {
        return None;
    }
    let mut out = Vec::new();
    if kind == 'c' && size == 2 {
        let units: Vec<u16> = data
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        for ch in char::decode_utf16(units) {
            out.push(Value::C(ch.map_or(0xfffd, |c| c as u32)));
        }
        return Some(out);
    }
    for c in data.chunks_exact(size) {
        let mut w = [0u8; 8];
        if le {
            w[..size].copy_from_slice(c);
        } else {
            for (k, &x) in c.iter().rev().enumerate() {
                w[k] = x;
            }
        }
        let u = u64::from_le_bytes(w);
        out.push(match kind {
            'u' => Value::U(u),
            's' => {
                let shift = 64 - 8 * size as u32;
                Value::S(((u << shift) as i64) >> shift)
            }
            'f' if size == 4 => Value::F(f32::from_bits(u as u32) as f64),
            'f' => Value::F(f64::from_bits(u)),
            _ => Value::C(u as u32),
        });
    }
    Some(out)
}

enum Value {
    U(u64),
    S(i64),
    F(f64),
    C(u32),
}

unsafe extern "C" fn array_reconstructor(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    // SAFETY: a tuple of arguments (method contract).
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() != 4 {
            return raise(
                &raw mut EXC_TypeError,
                &format!("_array_reconstructor expected 4 arguments, got {}", a.len()),
            );
        }
        let (t, code, mf, items_) = (a[0], a[1], a[2], a[3]);
        if !crate::object::is_type(t) {
            let n = crate::object::type_name(crate::object::ty(t));
            return raise(
                &raw mut EXC_TypeError,
                &format!("first argument must be a type object, not {n}"),
            );
        }
        if crate::object::PyType_IsSubtype(t.cast(), &raw mut Array_Type) == 0 {
            let n = crate::object::type_name(t.cast());
            return raise(
                &raw mut EXC_TypeError,
                &format!("{n} is not a subtype of array.array"),
            );
        }
        if !crate::unicodeobject::is_str(code)
            || crate::unicodeobject::PyUnicode_GetLength(code) != 1
        {
            return raise(
                &raw mut EXC_TypeError,
                "_array_reconstructor() argument 2 must be a unicode character",
            );
        }
        let ch = crate::unicodeobject::PyUnicode_ReadChar(code, 0);
        if ch >= 128 || descr_of(ch as u8).is_none() {
            return raise(
                &raw mut EXC_ValueError,
                "second argument must be a valid type code",
            );
        }
        let ch = ch as u8;
        let m = crate::abstract_::as_ssize_t(mf, &raw mut EXC_OverflowError);
        if m == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        if !(0..=21).contains(&m) {
            return raise(
                &raw mut EXC_ValueError,
                "third argument must be a valid machine format code.",
            );
        }
        if !crate::bytesobject::is_bytes(items_) {
            let n = crate::object::type_name(crate::object::ty(items_));
            return raise(
                &raw mut EXC_TypeError,
                &format!("fourth argument should be bytes, not {n}"),
            );
        }
        let data = crate::bytesobject::as_bytes(items_).to_vec();
        if m as i64 == mformat(ch) {
            return new_array(t.cast(), ch, &data);
        }
        let mut ch = ch;
        if (0..=13).contains(&m) {
            let (width, signed) = if m < 2 {
                (1, m == 1)
            } else {
                ([2, 4, 8][((m - 2) / 4) as usize], (m - 2) % 4 >= 2)
            };
            if let Some(d) = DESCRIPTORS.iter().find(|d| {
                d.is_integer_type != 0 && d.itemsize == width && (d.is_signed != 0) == signed
            }) {
                ch = d.typecode as u8;
            }
            if m as i64 == mformat(ch) {
                return new_array(t.cast(), ch, &data);
            }
        }
        let Some(vals) = decode_mformat(m as i64, &data) else {
            return raise(
                &raw mut EXC_ValueError,
                "string length not a multiple of item size",
            );
        };
        let mut objs = Vec::with_capacity(vals.len());
        for v in vals {
            objs.push(match v {
                Value::U(u) => crate::longobject::PyLong_FromUnsignedLongLong(u),
                Value::S(s) => crate::longobject::from_i64(s),
                Value::F(f) => crate::floatobject::PyFloat_FromDouble(f),
                Value::C(c) => {
                    crate::unicodeobject::PyUnicode_FromKindAndData(4, (&raw const c).cast(), 1)
                }
            });
        }
        let r = convert_all(ch, &objs);
        crate::iterobject::release_all(objs);
        let Ok(b) = r else { return null_mut() };
        new_array(t.cast(), ch, &b)
    }
}

unsafe extern "C" fn get_typecode(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live array (getter contract).
    unsafe { crate::unicodeobject::from_utf8(&[tc(op)]) }
}

unsafe extern "C" fn get_itemsize(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live array (getter contract).
    unsafe { crate::longobject::from_i64(isz(op) as i64) }
}

// --- iterator ---

#[repr(C)]
struct ArrayIter {
    ob_base: PyObject,
    index: Py_ssize_t,
    array: *mut PyObject,
}

unsafe extern "C" fn array_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array (slot contract).
    unsafe {
        let it = crate::objimpl::alloc_object(&raw mut ArrayIter_Type, 0);
        if it.is_null() {
            return it;
        }
        let s = &mut *it.cast::<ArrayIter>();
        s.index = 0;
        s.array = new_ref(op);
        it
    }
}

unsafe extern "C" fn iter_next(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array iterator (slot contract).
    unsafe {
        let s = &mut *it.cast::<ArrayIter>();
        let op = s.array;
        if op.is_null() {
            return null_mut();
        }
        if s.index < array_len(op) {
            let v = get(op, s.index);
            if !v.is_null() {
                s.index += 1;
                return v;
            }
            crate::pyerrors::PyErr_Clear();
        }
        s.array = null_mut();
        decref(op);
        null_mut()
    }
}

unsafe extern "C" fn iter_dealloc(it: *mut PyObject) {
    // SAFETY: a dead array iterator (slot contract).
    unsafe {
        xdecref((*it.cast::<ArrayIter>()).array);
        crate::objimpl::default_dealloc(it);
    }
}

unsafe extern "C" fn iter_self(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: live object (slot contract).
    unsafe { new_ref(it) }
}

unsafe extern "C" fn iter_reduce(it: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array iterator (method contract).
    unsafe {
        let s = &*it.cast::<ArrayIter>();
        let iter = attr(crate::bltinmodule::module(), "iter");
        if iter.is_null() {
            return iter;
        }
        if s.array.is_null() {
            let empty = crate::tupleobject::new_tuple(0);
            let args = pack(&[empty], true);
            return pack(&[iter, args], true);
        }
        let args = pack(&[new_ref(s.array)], true);
        let idx = crate::longobject::from_i64(s.index as i64);
        pack(&[iter, args, idx], true)
    }
}

unsafe extern "C" fn iter_setstate(it: *mut PyObject, st: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let s = &mut *it.cast::<ArrayIter>();
        let mut i = crate::abstract_::as_ssize_t(st, &raw mut EXC_OverflowError);
        if i == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        if !s.array.is_null() {
            i = i.max(0).min(array_len(s.array));
            s.index = i;
        }
        crate::object::new_none()
    }
}

// --- tables ---

unsafe extern "C" fn m_iadd(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe { array_inplace_concat(op, other) }
}

unsafe extern "C" fn m_imul(op: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (method contract).
    unsafe {
        let k = crate::abstract_::as_ssize_t(n, &raw mut EXC_OverflowError);
        if k == -1 && crate::pyerrors::occurred() {
            return null_mut();
        }
        array_inplace_repeat(op, k)
    }
}

static mut METHODS: [PyMethodDef; 26] = [
    method(c"append", m_append as *mut c_void, METH_O),
    method(c"buffer_info", m_buffer_info as *mut c_void, METH_NOARGS),
    method(c"byteswap", m_byteswap as *mut c_void, METH_NOARGS),
    method(c"clear", m_clear as *mut c_void, METH_NOARGS),
    method(c"__copy__", m_copy as *mut c_void, METH_NOARGS),
    method(c"count", m_count as *mut c_void, METH_O),
    method(c"__deepcopy__", m_deepcopy as *mut c_void, METH_O),
    method(c"extend", m_extend as *mut c_void, METH_O),
    method(c"frombytes", m_frombytes as *mut c_void, METH_O),
    method(c"fromfile", m_fromfile as *mut c_void, METH_VARARGS),
    method(c"fromlist", m_fromlist as *mut c_void, METH_O),
    method(c"fromunicode", m_fromunicode as *mut c_void, METH_O),
    method(c"index", m_index as *mut c_void, METH_VARARGS),
    method(c"insert", m_insert as *mut c_void, METH_VARARGS),
    method(c"pop", m_pop as *mut c_void, METH_VARARGS),
    method(c"__reduce_ex__", m_reduce_ex as *mut c_void, METH_O),
    method(c"remove", m_remove as *mut c_void, METH_O),
    method(c"reverse", m_reverse as *mut c_void, METH_NOARGS),
    method(c"tofile", m_tofile as *mut c_void, METH_O),
    method(c"tolist", m_tolist as *mut c_void, METH_NOARGS),
    method(c"tobytes", m_tobytes as *mut c_void, METH_NOARGS),
    method(c"tounicode", m_tounicode as *mut c_void, METH_NOARGS),
    method(c"__sizeof__", m_sizeof as *mut c_void, METH_NOARGS),
    method(c"__iadd__", m_iadd as *mut c_void, METH_O),
    method(c"__imul__", m_imul as *mut c_void, METH_O),
    PyMethodDef::END,
];

static mut GETSET: [crate::descrobject::PyGetSetDef; 3] = [
    crate::descrobject::PyGetSetDef {
        name: c"typecode".as_ptr(),
        get: Some(get_typecode),
        set: None,
        doc: c"the typecode character used to create the array".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef {
        name: c"itemsize".as_ptr(),
        get: Some(get_itemsize),
        set: None,
        doc: c"the size, in bytes, of one array item".as_ptr(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(array_len),
    sq_concat: Some(array_concat),
    sq_repeat: Some(array_repeat),
    sq_item: Some(array_item),
    was_sq_slice: null_mut(),
    sq_ass_item: Some(array_ass_item),
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(array_contains),
    sq_inplace_concat: Some(array_inplace_concat),
    sq_inplace_repeat: Some(array_inplace_repeat),
};

static mut AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(array_len),
    mp_subscript: Some(array_subscript),
    mp_ass_subscript: Some(array_ass_subscript),
};

static mut AS_BUFFER: PyBufferProcs = PyBufferProcs {
    bf_getbuffer: Some(array_getbuffer),
    bf_releasebuffer: Some(array_releasebuffer),
};

#[allow(non_upper_case_globals)]
pub(crate) static mut Array_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(array_new),
    tp_dealloc: Some(array_dealloc),
    tp_repr: Some(array_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_richcompare: Some(array_richcompare),
    tp_iter: Some(array_iter),
    tp_as_sequence: &raw mut AS_SEQUENCE,
    tp_as_mapping: &raw mut AS_MAPPING,
    tp_as_buffer: &raw mut AS_BUFFER,
    tp_methods: (&raw mut METHODS).cast(),
    tp_getset: (&raw mut GETSET).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Array, weakreflist) as Py_ssize_t,
    tp_doc: c"array(typecode [, initializer]) -> array\n\nReturn a new array whose items are restricted by typecode, and\ninitialized from the optional initializer value, which must be a list,\nstring, bytes-like object or iterable over elements of the appropriate type.".as_ptr(),
    ..static_type(
        c"array.array",
        size_of::<Array>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_SEQUENCE,
    )
};

static mut ITER_METHODS: [PyMethodDef; 3] = [
    method(c"__reduce__", iter_reduce as *mut c_void, METH_NOARGS),
    method(c"__setstate__", iter_setstate as *mut c_void, METH_O),
    PyMethodDef::END,
];

#[allow(non_upper_case_globals)]
static mut ArrayIter_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(iter_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(iter_next),
    tp_methods: (&raw mut ITER_METHODS).cast(),
    ..static_type(c"array.arrayiterator", size_of::<ArrayIter>(), 0, 0)
};

/// The types start-up readies.
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Array_Type, &raw mut ArrayIter_Type]
}

static mut FUNCTIONS: [PyMethodDef; 2] = [
    method(
        c"_array_reconstructor",
        array_reconstructor as *mut c_void,
        METH_VARARGS,
    ),
    PyMethodDef::END,
];

static MODULE: OnceLock<usize> = OnceLock::new();

/// The `array` module (created on first use), or NULL with SystemError.
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "array", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("array");
    // SAFETY: `name` is a live str; the tables are static; every object put in the dict is
    // live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        // `array[int]`
        if !crate::genericaliasobject::add_class_getitem(&raw mut Array_Type) {
            decref(m);
            return null_mut();
        }
        let t: *mut PyObject = (&raw mut Array_Type).cast();
        crate::dictobject::set_item_str(d, "array", t);
        crate::dictobject::set_item_str(d, "ArrayType", t);
        let codes = crate::unicodeobject::from_utf8(TYPECODES.as_bytes());
        crate::dictobject::set_item_str(d, "typecodes", codes);
        decref(codes);
        // as CPython's module does on exec: `collections.abc.MutableSequence.register(array)`
        let abc = crate::collections_abc::module();
        if abc.is_null() {
            decref(m);
            return null_mut();
        }
        let ms = attr(abc, "MutableSequence");
        let r = if ms.is_null() {
            ms
        } else {
            crate::abstract_::call_method(ms, "register", &[t])
        };
        xdecref(ms);
        if r.is_null() {
            decref(m);
            return null_mut();
        }
        decref(r);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::offset_of;

    #[test]
    fn layout_is_cpython_314t_arrayobject() {
        // free-threaded PyVarObject is 40 bytes; Cython's inline code reads these offsets
        assert_eq!(offset_of!(Array, ob_item), 40);
        assert_eq!(offset_of!(Array, allocated), 48);
        assert_eq!(offset_of!(Array, ob_descr), 56);
        assert_eq!(offset_of!(Array, weakreflist), 64);
        assert_eq!(offset_of!(Array, ob_exports), 72);
        assert_eq!(size_of::<Array>(), 80);
        assert_eq!(offset_of!(ArrayDescr, itemsize), 4);
        assert_eq!(offset_of!(ArrayDescr, getitem), 8);
        assert_eq!(offset_of!(ArrayDescr, formats), 32);
        assert_eq!(size_of::<ArrayDescr>(), 48);
    }

    #[test]
    fn machine_formats_decode() {
        let v = decode_mformat(9, &[0, 0, 0, 1]).unwrap();
        assert!(matches!(v[..], [Value::S(1)]));
        let v = decode_mformat(1, &[0xff]).unwrap();
        assert!(matches!(v[..], [Value::S(-1)]));
        assert!(decode_mformat(8, &[1, 2]).is_none());
        assert_eq!(mformat(b'd'), 16);
    }
}
