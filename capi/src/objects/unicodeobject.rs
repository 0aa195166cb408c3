//! `unicodeobject.h`: `str` with CPython 3.14t's compact (PEP 393) layouts, so that the
//! inline macros of extensions (`PyUnicode_DATA`, `PyUnicode_KIND`, `PyUnicode_GET_LENGTH`)
//! read the right bytes. Every str gilgate makes is compact: ASCII strings keep their data
//! right after the 56-byte `PyASCIIObject`; others after the 72-byte
//! `PyCompactUnicodeObject`, with a UTF-8 copy made at creation.
#![allow(clippy::result_unit_err)]

use crate::export;
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_UNICODE_SUBCLASS, PyObject, PyTypeObject, static_type, ty,
};
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref};
use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};

/// `PyASCIIObject` (56 bytes).
#[repr(C)]
pub struct PyASCIIObject {
    pub ob_base: PyObject,
    pub length: Py_ssize_t,
    pub hash: Py_hash_t,
    /// byte 0: interned; byte 1: kind bits 0-2, compact bit 3, ascii bit 4, static bit 5.
    pub state: u32,
    pub _pad: u32,
}

/// `PyCompactUnicodeObject` (72 bytes).
#[repr(C)]
pub struct PyCompactUnicodeObject {
    pub _base: PyASCIIObject,
    pub utf8_length: Py_ssize_t,
    pub utf8: *mut c_char,
}

/// `PyUnicodeObject` (80 bytes; only the legacy non-compact form uses `data`).
#[repr(C)]
pub struct PyUnicodeObject {
    pub _base: PyCompactUnicodeObject,
    pub data: *mut c_void,
}

pub const PyUnicode_1BYTE_KIND: u32 = 1;
pub const PyUnicode_2BYTE_KIND: u32 = 2;
pub const PyUnicode_4BYTE_KIND: u32 = 4;
pub const SSTATE_NOT_INTERNED: u32 = 0;
pub const SSTATE_INTERNED_MORTAL: u32 = 1;
pub const SSTATE_INTERNED_IMMORTAL: u32 = 2;

const STATE_COMPACT: u32 = 1 << 11;
const STATE_ASCII: u32 = 1 << 12;

/// str's number methods: only `%` (printf-style formatting).
static mut UNICODE_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_remainder: Some(format::unicode_mod),
    ..crate::longobject::NB_EMPTY
};

#[export]
pub static mut PyUnicode_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(unicode_dealloc),
    tp_repr: Some(unicode_repr),
    tp_hash: Some(unicode_hash),
    tp_str: Some(unicode_str),
    tp_richcompare: Some(unicode_richcompare),
    tp_iter: Some(unicode_iter),
    tp_new: Some(unicode_new),
    tp_as_number: &raw mut UNICODE_AS_NUMBER,
    tp_as_sequence: &raw mut UNICODE_AS_SEQUENCE,
    tp_as_mapping: &raw mut UNICODE_AS_MAPPING,
    tp_methods: (&raw mut methods::STR_METHODS).cast(),
    ..static_type(
        c"str",
        std::mem::size_of::<PyUnicodeObject>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS,
    )
};

/// Whether `op` is a str (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_str(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_UNICODE_SUBCLASS) }
}

/// Whether `op` is exactly a str.
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_exact_str(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { ty(op) == &raw mut PyUnicode_Type }
}

/// Builds a compact str from valid UTF-8. Returns a new reference or NULL (MemoryError).
pub fn from_str(s: &str) -> *mut PyObject {
    if s.is_ascii() {
        return new_ascii(s.as_bytes());
    }
    from_non_ascii(s)
}

/// [`from_str`] for a text with at least one character above U+007F: a compact str of kind 1,
/// 2 or 4 whose block also holds the text's UTF-8 form (with its NUL) right after the
/// characters' NUL, as its `utf8` cache: one allocation, and nothing to make on the first
/// `PyUnicode_AsUTF8AndSize` (see [`utf8_inline`]).
fn from_non_ascii(s: &str) -> *mut PyObject {
    let (len, maxchar) = s
        .chars()
        .fold((0usize, 0u32), |(n, m), c| (n + 1, m.max(c as u32)));
    debug_assert!(maxchar >= 0x80);
    let kind: usize = if maxchar < 0x100 {
        1
    } else if maxchar < 0x10000 {
        2
    } else {
        4
    };
    let header = std::mem::size_of::<PyCompactUnicodeObject>();
    let chars_end = header + (len + 1) * kind;
    let size = chars_end + s.len() + 1;
    let p = crate::pymem::calloc(1, size).cast::<PyObject>();
    if p.is_null() {
        return crate::pyerrors::no_memory();
    }
    // SAFETY: `p` is a fresh zeroed block of `size` bytes laid out as computed above.
    unsafe {
        crate::objimpl::init_header(p, &raw mut PyUnicode_Type);
        let a = p.cast::<PyASCIIObject>();
        (*a).length = len as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = ((kind as u32) << 8) | STATE_COMPACT;
        let data = p.cast::<u8>().add(header);
        for (i, c) in s.chars().enumerate() {
            match kind {
                1 => *data.add(i) = c as u32 as u8,
                2 => data.cast::<u16>().add(i).write_unaligned(c as u32 as u16),
                _ => data.cast::<u32>().add(i).write_unaligned(c as u32),
            }
        }
        // the UTF-8 form and its NUL (the block is zeroed)
        let utf8 = p.cast::<u8>().add(chars_end);
        std::ptr::copy_nonoverlapping(s.as_ptr(), utf8, s.len());
        let c = p.cast::<PyCompactUnicodeObject>();
        (*c).utf8 = utf8.cast();
        (*c).utf8_length = s.len() as Py_ssize_t;
    }
    p
}

/// Whether the `utf8` form `utf8` of the compact non-ASCII str `op` lies in the str's own block
/// (made by [`from_non_ascii`]: right after the characters' NUL), so it is not a block to free.
///
/// # Safety
/// `op` must be a live compact str without the ASCII state.
unsafe fn utf8_inline(op: *mut PyObject, utf8: *mut c_char) -> bool {
    // SAFETY: forwarded contract: the characters and their NUL follow the compact header.
    unsafe {
        let chars_end = data_ptr(op).add((length(op) as usize + 1) * kind(op) as usize);
        std::ptr::eq(utf8.cast_const().cast::<u8>(), chars_end.cast_const())
    }
}

/// Block size of the short ASCII strs kept in the free list (`FreeKind::ShortStr`): the
/// 56-byte `PyASCIIObject` header and up to 7 characters with their NUL. Every exact compact
/// ASCII str of up to 7 characters is allocated as a whole block of this size, whichever way
/// it is made (`new_ascii` takes it from the list, `new_uninit` asks for the whole block, and
/// no str is ever reallocated), so its memory can go back to the list and serve any later
/// short str. (Relying on mimalloc rounding a 58-byte request up to 64 would hold in memory,
/// but memcheck, which knows the requested size, reports the write past it.) A free list also spares a str made and dropped over
/// and over from mimalloc's slow path: a block cycling alone through an otherwise full page
/// goes back to the page's local free list, which mimalloc moves to its allocation list only
/// in its generic path (about 90 instructions per allocation).
const SHORT_STR_BLOCK: usize = 64;
const _: () = assert!(std::mem::size_of::<PyASCIIObject>() == 56);

/// A new compact ASCII str holding `bytes` (every byte below 0x80): the layout [`from_str`]
/// gives such a text, written field by field instead of decoded character by character into a
/// zeroed block.
#[inline]
fn new_ascii(bytes: &[u8]) -> *mut PyObject {
    debug_assert!(bytes.is_ascii());
    let len = bytes.len();
    let header = std::mem::size_of::<PyASCIIObject>();
    let p = if header + len < SHORT_STR_BLOCK {
        // SAFETY: PyUnicode_Type is a ready static type without pre-header; every block of the
        // list holds `SHORT_STR_BLOCK` bytes, at least `header + len + 1`.
        unsafe {
            crate::objimpl::alloc_listed(
                crate::objimpl::FreeKind::ShortStr,
                &raw mut PyUnicode_Type,
                SHORT_STR_BLOCK,
            )
        }
    } else {
        let p = crate::pymem::malloc(header + len + 1).cast::<PyObject>();
        if p.is_null() {
            return crate::pyerrors::no_memory();
        }
        // SAFETY: a fresh block of at least an object header.
        unsafe { crate::objimpl::init_header(p, &raw mut PyUnicode_Type) };
        p
    };
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` is a block of at least `header + len + 1` bytes with its object header
    // written; every other header field is written, then the characters and their NUL.
    unsafe {
        let a = p.cast::<PyASCIIObject>();
        (*a).length = len as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = (1 << 8) | STATE_COMPACT | STATE_ASCII;
        (*a)._pad = 0;
        let data = p.cast::<u8>().add(header);
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), data, len);
        *data.add(len) = 0;
    }
    p
}

/// Decodes `bytes` as UTF-8 into a new str; raises UnicodeDecodeError on invalid input.
pub(crate) fn from_utf8(bytes: &[u8]) -> *mut PyObject {
    if bytes.is_ascii() {
        return new_ascii(bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => from_non_ascii(s),
        Err(e) => raise(
            &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
            &utf8_error_text(bytes, e),
        ),
    }
}

/// A new str from a NUL-terminated UTF-8 C string.
///
/// # Safety
/// `s` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn from_cstr(s: *const c_char) -> *mut PyObject {
    if s.is_null() {
        crate::pyerrors::bad_internal_call();
        return null_mut();
    }
    // SAFETY: forwarded contract.
    from_utf8(unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// The UTF-8 text of a str (borrowed for as long as the object lives).
///
/// # Safety
/// `op` must be a live object; the result must not outlive it.
pub unsafe fn as_str<'a>(op: *mut PyObject) -> Option<&'a str> {
    // SAFETY: forwarded contract; str data is valid UTF-8 by construction.
    unsafe {
        let (p, n) = utf8_ptr(op)?;
        Some(std::str::from_utf8_unchecked(std::slice::from_raw_parts(
            p.cast::<u8>(),
            n,
        )))
    }
}

/// The NUL-terminated UTF-8 of a str.
///
/// # Safety
/// `op` must be a live object; the result must not outlive it.
pub(crate) unsafe fn as_cstr(op: *mut PyObject) -> Option<*const c_char> {
    // SAFETY: forwarded contract.
    unsafe { utf8_ptr(op).map(|(p, _)| p) }
}

/// Pointer to the UTF-8 bytes and their length, made (and cached in `utf8`) on first use;
/// None for non-str objects and for strings holding lone surrogates.
unsafe fn utf8_ptr(op: *mut PyObject) -> Option<(*const c_char, usize)> {
    // SAFETY: `op` is a live object; for str objects the layout below holds.
    unsafe {
        if op.is_null() || !is_str(op) {
            return None;
        }
        let a = op.cast::<PyASCIIObject>();
        let st = (*a).state;
        if st & STATE_COMPACT != 0 && st & STATE_ASCII != 0 {
            let data = op.cast::<u8>().add(std::mem::size_of::<PyASCIIObject>());
            return Some((data.cast(), (*a).length as usize));
        }
        let c = op.cast::<PyCompactUnicodeObject>();
        let cache = std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*c).utf8);
        let len = AtomicIsize::from_ptr(&raw mut (*c).utf8_length);
        let p = cache.load(Ordering::Acquire);
        if !p.is_null() {
            return Some((p, len.load(Ordering::Relaxed) as usize));
        }
        let text: String = chars(op)
            .iter()
            .map(|&u| char::from_u32(u))
            .collect::<Option<String>>()?;
        let buf = crate::pymem::malloc(text.len() + 1).cast::<u8>();
        if buf.is_null() {
            return None;
        }
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
        *buf.add(text.len()) = 0;
        len.store(text.len() as isize, Ordering::Relaxed);
        match cache.compare_exchange(null_mut(), buf.cast(), Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Some((buf.cast(), text.len())),
            Err(other) => {
                crate::pymem::free(buf.cast());
                Some((other, text.len()))
            }
        }
    }
}

/// Length in code points.
///
/// # Safety
/// `op` must be a live str.
pub unsafe fn length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe { (*op.cast::<PyASCIIObject>()).length }
}

/// Whether two str objects hold the same text.
///
/// # Safety
/// Both must be live str objects.
pub(crate) unsafe fn equal(a: *mut PyObject, b: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        a == b || (length(a) == length(b) && kind(a) == kind(b) && raw_data(a) == raw_data(b))
    }
}

/// SipHash-1-3 with the all-zero key of `_Py_HashSecret` (CPython's `_Py_HashBytes` with
/// hash randomization off): 0 for empty input, never -1. Shared with `bytes`.
pub(crate) fn hash_bytes(data: &[u8]) -> Py_hash_t {
    if data.is_empty() {
        return 0;
    }
    let (k0, k1) = (0u64, 0u64);
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        v[3] ^= m;
        round(&mut v);
        v[0] ^= m;
    }
    let mut last = (data.len() as u64) << 56;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    v[3] ^= last;
    round(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for _ in 0..3 {
        round(&mut v);
    }
    let h = (v[0] ^ v[1] ^ v[2] ^ v[3]) as Py_hash_t;
    if h == -1 { -2 } else { h }
}

unsafe extern "C" fn unicode_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: `op` is a live str (slot contract); the cached hash is accessed atomically.
    unsafe {
        let cache = AtomicIsize::from_ptr(&raw mut (*op.cast::<PyASCIIObject>()).hash);
        let h = cache.load(Ordering::Relaxed);
        if h != -1 {
            return h;
        }
        let h = hash_bytes(raw_data(op));
        cache.store(h, Ordering::Relaxed);
        h
    }
}

unsafe extern "C" fn unicode_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead str allocated by `from_str` (slot contract).
    unsafe {
        let st = (*op.cast::<PyASCIIObject>()).state;
        if st & STATE_COMPACT == 0 {
            // A subclass instance in the non-compact form (`subtype_new`, or an extension
            // building one as CPython's `unicode_subtype_new` does): its data is a block of its
            // own, and so is its UTF-8 form unless it shares the data (ASCII text may).
            let u = op.cast::<PyUnicodeObject>();
            let utf8 = (*u)._base.utf8.cast::<c_void>();
            if !utf8.is_null() && utf8 != (*u).data {
                crate::pymem::free(utf8);
            }
            crate::pymem::free((*u).data);
        } else if st & STATE_ASCII == 0 {
            let utf8 = (*op.cast::<PyCompactUnicodeObject>()).utf8;
            if !utf8_inline(op, utf8) {
                crate::pymem::free(utf8.cast());
            }
        } else if ((*op.cast::<PyASCIIObject>()).length as usize)
            < SHORT_STR_BLOCK - std::mem::size_of::<PyASCIIObject>()
            && crate::object::ty(op) == &raw mut PyUnicode_Type
        {
            // A short ASCII str's block holds at least `SHORT_STR_BLOCK` bytes whichever way
            // it was made (see `SHORT_STR_BLOCK`): it goes back to the free list.
            crate::objimpl::free_listed(crate::objimpl::FreeKind::ShortStr, op);
            return;
        }
        crate::objimpl::dealloc_as(op, unicode_dealloc);
    }
}

/// Whether Python's `str.isprintable` holds for code point `u` (space is printable; other
/// separators, controls, format characters, surrogates, private-use and unassigned
/// code points are not).
pub(crate) fn is_printable(u: u32) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    if u == 0x20 {
        return true;
    }
    let Some(c) = char::from_u32(u) else {
        return false;
    };
    !matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::Surrogate
            | G::PrivateUse
            | G::Unassigned
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::SpaceSeparator
    )
}

/// `repr()` text of a sequence of code points.
pub(crate) fn repr_units(units: &[u32]) -> String {
    let has = |c: u8| units.contains(&u32::from(c));
    let quote = if has(b'\'') && !has(b'"') { '"' } else { '\'' };
    let mut out = String::with_capacity(units.len() + 2);
    out.push(quote);
    for &u in units {
        match u {
            0x5c => out.push_str("\\\\"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            u if u == quote as u32 => {
                out.push('\\');
                out.push(quote);
            }
            u if u < 0x20 || u == 0x7f => out.push_str(&format!("\\x{u:02x}")),
            u if u < 0x7f => out.push(u as u8 as char),
            u if is_printable(u) => out.push(char::from_u32(u).unwrap_or('?')),
            u if u < 0x100 => out.push_str(&format!("\\x{u:02x}")),
            u if u < 0x10000 => out.push_str(&format!("\\u{u:04x}")),
            u => out.push_str(&format!("\\U{u:08x}")),
        }
    }
    out.push(quote);
    out
}

/// `repr()` text of a string value.
pub(crate) fn repr_text(s: &str) -> String {
    repr_units(&s.chars().map(|c| c as u32).collect::<Vec<_>>())
}

unsafe extern "C" fn unicode_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live str (slot contract).
    from_str(&repr_units(&unsafe { chars(op) }))
}

// ---- interning --------------------------------------------------------------------------

struct Interned(*mut PyObject);
// SAFETY: interned strings are immortal and never mutated after creation.
unsafe impl Send for Interned {}

static INTERNED: Mutex<Option<HashMap<String, Interned>>> = Mutex::new(None);

/// The unit of memory an interned str has to itself: two 64-byte cache lines, the pair that
/// the cores' adjacent-line prefetchers move together.
const ISOLATED_BLOCK: usize = 128;

/// Moves the fresh compact str `p` (from [`from_str`]; NULL passes through) into a zeroed block
/// of whole [`ISOLATED_BLOCK`]s aligned to one, and releases `p`. An interned str is read by
/// every thread for the rest of the process but made by whichever thread asks first: in that
/// thread's own pages it would share a line pair with the objects that thread makes and frees
/// over and over (a 64-byte tuple next to a keyword name, say), and every other thread's read
/// of the name would then wait for the line the maker keeps writing.
fn isolated(p: *mut PyObject) -> *mut PyObject {
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` is a fresh compact str (ASCII: the characters and their NUL follow the
    // header; else the UTF-8 form may follow the characters' NUL, `from_non_ascii`'s layout)
    // that only we know about; the copy gets its own header and `utf8` pointer before use.
    unsafe {
        let chars_end = data_ptr(p).add((length(p) as usize + 1) * kind(p) as usize);
        let mut size = chars_end.offset_from(p.cast::<u8>()) as usize;
        let ascii = (*p.cast::<PyASCIIObject>()).state & STATE_ASCII != 0;
        let mut utf8_at = None;
        if !ascii {
            let c = p.cast::<PyCompactUnicodeObject>();
            if utf8_inline(p, (*c).utf8) {
                utf8_at = Some(size);
                size += (*c).utf8_length as usize + 1;
            }
        }
        let q = crate::pymem::calloc_aligned(size.next_multiple_of(ISOLATED_BLOCK), ISOLATED_BLOCK)
            .cast::<PyObject>();
        if q.is_null() {
            decref(p);
            return crate::pyerrors::no_memory();
        }
        std::ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), size);
        crate::objimpl::init_header(q, &raw mut PyUnicode_Type);
        if !ascii {
            // The copy's UTF-8 form is its own block's copy; a form kept elsewhere goes with `p`
            // (the copy makes its own when asked).
            let c = q.cast::<PyCompactUnicodeObject>();
            match utf8_at {
                Some(at) => (*c).utf8 = q.cast::<u8>().add(at).cast(),
                None => {
                    (*c).utf8 = std::ptr::null_mut();
                    (*c).utf8_length = 0;
                }
            }
        }
        decref(p);
        q
    }
}

/// The immortal interned str for `s` (a new reference, which costs nothing), in memory of its
/// own ([`isolated`]).
pub(crate) fn intern(s: &str) -> *mut PyObject {
    let mut g = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    let map = g.get_or_insert_with(HashMap::new);
    if let Some(p) = map.get(s) {
        return p.0;
    }
    let p = isolated(from_str(s));
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` is a fresh str only we know about.
    unsafe {
        crate::refcount::tid(p).store(0, Ordering::Relaxed);
        crate::refcount::local(p).store(u32::MAX, Ordering::Relaxed);
        (*p).ob_flags |= crate::object::_Py_IMMORTAL_FLAGS;
        let a = p.cast::<PyASCIIObject>();
        (*a).state = ((*a).state & !0xff) | SSTATE_INTERNED_IMMORTAL;
        unicode_hash(p);
    }
    map.insert(s.to_owned(), Interned(p));
    p
}

/// Whether `op` is an immortal interned str (`intern`'s): for two such strs, pointer
/// equality is text equality.
///
/// # Safety
/// `op` must be a live str.
#[inline]
pub(crate) unsafe fn is_interned_immortal(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract; `state` is written only before the str is shared.
    unsafe { (*op.cast::<PyASCIIObject>()).state & 0xff >= SSTATE_INTERNED_IMMORTAL }
}

/// Whether str `name` is `text`, answered by pointer for an interned `name` (`slot` caches the
/// interned `text`).
///
/// # Safety
/// `name` must be a live str.
#[inline]
pub(crate) unsafe fn is_name(
    name: *mut PyObject,
    slot: &std::sync::OnceLock<usize>,
    text: &str,
) -> bool {
    let interned = *slot.get_or_init(|| intern(text) as usize);
    if name as usize == interned {
        return true;
    }
    // SAFETY: forwarded contract.
    unsafe {
        !is_interned_immortal(name)
            && length(name) == text.len() as Py_ssize_t
            && as_str(name) == Some(text)
    }
}

// ---- exported API -------------------------------------------------------------------------

#[export]
pub unsafe fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated string, per the C API contract.
    unsafe { from_cstr(s) }
}

#[export]
pub unsafe fn PyUnicode_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject {
    if n < 0 {
        return raise(
            &raw mut EXC_SystemError,
            "Negative size passed to PyUnicode_FromStringAndSize",
        );
    }
    if s.is_null() {
        if n > 0 {
            return raise(
                &raw mut EXC_SystemError,
                "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize",
            );
        }
        return from_str("");
    }
    // SAFETY: `s` points to `n` readable bytes, per the C API contract.
    from_utf8(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n as usize) })
}

#[export]
pub unsafe fn PyUnicode_InternFromString(s: *const c_char) -> *mut PyObject {
    if s.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a NUL-terminated string, per the C API contract.
    match unsafe { CStr::from_ptr(s) }.to_str() {
        Ok(t) => intern(t),
        // SAFETY: as above.
        Err(_) => unsafe { from_cstr(s) },
    }
}

#[export]
pub unsafe fn PyUnicode_InternInPlace(p: *mut *mut PyObject) {
    // SAFETY: `p` points to a reference the caller owns, per the C API contract.
    unsafe {
        let s = *p;
        if s.is_null() || !is_exact_str(s) {
            return;
        }
        let Some(t) = as_str(s) else { return };
        let i = intern(t);
        if !i.is_null() && i != s {
            *p = i;
            decref(s);
        }
    }
}

/// `PyUnicode_AsUTF8AndSize`'s answer when the UTF-8 form is at hand (a compact ASCII str's
/// own text, or the form cached by an earlier call), before the guard; `None` leaves making
/// it, and every error, to the guarded body.
///
/// # Safety
/// As `PyUnicode_AsUTF8AndSize`: `op` NULL or live, `size` NULL or writable.
#[inline(always)]
unsafe fn utf8_at_hand(op: *mut PyObject, size: *mut Py_ssize_t) -> Option<*const c_char> {
    // SAFETY: forwarded contract; for a str the layout below holds.
    unsafe {
        if op.is_null() || !is_str(op) {
            return None;
        }
        let a = op.cast::<PyASCIIObject>();
        let st = (*a).state;
        let (p, n) = if st & STATE_COMPACT != 0 && st & STATE_ASCII != 0 {
            let data = op.cast::<u8>().add(std::mem::size_of::<PyASCIIObject>());
            (data.cast::<c_char>().cast_const(), (*a).length)
        } else {
            let c = op.cast::<PyCompactUnicodeObject>();
            // Published by `utf8_ptr` (length first, then the pointer, released).
            let p =
                std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*c).utf8).load(Ordering::Acquire);
            if p.is_null() {
                return None;
            }
            (
                p.cast_const(),
                AtomicIsize::from_ptr(&raw mut (*c).utf8_length).load(Ordering::Relaxed),
            )
        };
        if !size.is_null() {
            *size = n;
        }
        Some(p)
    }
}

#[export(fast = utf8_at_hand)]
pub unsafe fn PyUnicode_AsUTF8AndSize(op: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char {
    // SAFETY: a live object and NULL or a writable size, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            if !size.is_null() {
                *size = -1;
            }
            raise(
                &raw mut EXC_TypeError,
                "bad argument type for built-in operation",
            );
            return std::ptr::null();
        }
        match utf8_ptr(op) {
            Some((p, n)) => {
                if !size.is_null() {
                    *size = n as Py_ssize_t;
                }
                p
            }
            None => {
                if !size.is_null() {
                    *size = -1;
                }
                // Only lone surrogates make the UTF-8 form impossible: report them.
                if encode("utf-8", &chars(op), 0, Errors::Strict).is_ok() {
                    crate::pyerrors::no_memory();
                }
                std::ptr::null()
            }
        }
    }
}

#[export]
pub unsafe fn PyUnicode_AsUTF8(op: *mut PyObject) -> *const c_char {
    // SAFETY: as PyUnicode_AsUTF8AndSize with no size.
    unsafe { PyUnicode_AsUTF8AndSize(op, null_mut()) }
}

#[export]
pub unsafe fn PyUnicode_GetLength(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            raise(
                &raw mut EXC_TypeError,
                "bad argument type for built-in operation",
            );
            return -1;
        }
        length(op)
    }
}

#[export]
pub unsafe fn PyUnicode_Compare(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if is_str(a) && is_str(b) {
            return match chars(a).cmp(&chars(b)) {
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
            };
        }
        let (ta, tb) = (
            crate::object::type_name(ty(a)),
            crate::object::type_name(ty(b)),
        );
        raise(
            &raw mut EXC_TypeError,
            &format!("Can't compare {ta:.100} and {tb:.100}"),
        );
        -1
    }
}

#[export]
pub unsafe fn PyUnicode_CompareWithASCIIString(a: *mut PyObject, s: *const c_char) -> c_int {
    // SAFETY: a live str and a NUL-terminated string, per the C API contract.
    unsafe {
        let x = as_str(a).unwrap_or("").as_bytes();
        let y = CStr::from_ptr(s).to_bytes();
        match x.cmp(y) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    }
}

#[export]
pub unsafe fn PyUnicode_EqualToUTF8AndSize(
    a: *mut PyObject,
    s: *const c_char,
    n: Py_ssize_t,
) -> c_int {
    // SAFETY: a live object and `n` readable bytes, per the C API contract.
    unsafe {
        if a.is_null() || !is_str(a) || n < 0 {
            return 0;
        }
        let y = std::slice::from_raw_parts(s.cast::<u8>(), n as usize);
        c_int::from(as_str(a).is_some_and(|x| x.as_bytes() == y))
    }
}

#[export]
pub unsafe fn PyUnicode_EqualToUTF8(a: *mut PyObject, s: *const c_char) -> c_int {
    // SAFETY: a live object and a NUL-terminated string, per the C API contract.
    unsafe {
        if a.is_null() || !is_str(a) {
            return 0;
        }
        c_int::from(as_str(a).is_some_and(|x| x.as_bytes() == CStr::from_ptr(s).to_bytes()))
    }
}

#[export]
pub unsafe fn PyUnicode_Equal(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        for o in [a, b] {
            if !is_str(o) {
                let t = crate::object::type_name(ty(o));
                raise(
                    &raw mut EXC_TypeError,
                    &format!("first argument must be str, not {t}"),
                );
                return -1;
            }
        }
        c_int::from(equal(a, b))
    }
}

#[export]
pub unsafe fn PyUnicode_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        match (is_str(a), is_str(b)) {
            (true, true) => {
                let mut v = chars(a);
                v.extend(chars(b));
                from_ucs4(&v)
            }
            _ => {
                let t = crate::object::type_name(ty(if is_str(a) { b } else { a }));
                raise(
                    &raw mut EXC_TypeError,
                    &format!("can only concatenate str (not \"{t}\") to str"),
                )
            }
        }
    }
}

// ---- PEP 393 core: kinds, data, building from code points ---------------------------------

/// The kind (1, 2 or 4 bytes per code point) of a str.
///
/// # Safety
/// `op` must be a live str.
pub unsafe fn kind(op: *mut PyObject) -> u32 {
    // SAFETY: forwarded contract.
    unsafe { ((*op.cast::<PyASCIIObject>()).state >> 8) & 7 }
}

/// Pointer to the code unit data of a compact str.
///
/// # Safety
/// `op` must be a live str made by gilgate (compact).
pub(crate) unsafe fn data_ptr(op: *mut PyObject) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let st = (*op.cast::<PyASCIIObject>()).state;
        if st & STATE_COMPACT == 0 {
            return (*op.cast::<PyUnicodeObject>()).data.cast();
        }
        let header = if st & STATE_ASCII != 0 {
            std::mem::size_of::<PyASCIIObject>()
        } else {
            std::mem::size_of::<PyCompactUnicodeObject>()
        };
        op.cast::<u8>().add(header)
    }
}

/// The raw code unit bytes (`length * kind` bytes).
///
/// # Safety
/// `op` must be a live str; the slice must not outlive it.
pub(crate) unsafe fn raw_data<'a>(op: *mut PyObject) -> &'a [u8] {
    // SAFETY: forwarded contract.
    unsafe { std::slice::from_raw_parts(data_ptr(op), length(op) as usize * kind(op) as usize) }
}

/// Code point `i` (unchecked index).
///
/// # Safety
/// `op` must be a live str and `i < length(op)`.
pub unsafe fn read(op: *mut PyObject, i: usize) -> u32 {
    // SAFETY: forwarded contract.
    unsafe {
        let d = data_ptr(op);
        match kind(op) {
            1 => u32::from(*d.add(i)),
            2 => u32::from(d.cast::<u16>().add(i).read_unaligned()),
            _ => d.cast::<u32>().add(i).read_unaligned(),
        }
    }
}

/// All code points of a str.
///
/// # Safety
/// `op` must be a live str.
pub unsafe fn chars(op: *mut PyObject) -> Vec<u32> {
    // SAFETY: forwarded contract.
    unsafe {
        let n = length(op) as usize;
        let d = data_ptr(op);
        match kind(op) {
            1 => std::slice::from_raw_parts(d, n)
                .iter()
                .map(|&b| u32::from(b))
                .collect(),
            2 => (0..n)
                .map(|i| u32::from(d.cast::<u16>().add(i).read_unaligned()))
                .collect(),
            _ => (0..n)
                .map(|i| d.cast::<u32>().add(i).read_unaligned())
                .collect(),
        }
    }
}

/// `PyUnicode_New`: an uninitialised compact str of `len` code points able to hold
/// `maxchar`, with the terminating NUL written. NULL with an exception on failure.
pub(crate) fn new_uninit(len: usize, maxchar: u32) -> *mut PyObject {
    let ascii = maxchar < 0x80;
    let k: usize = if maxchar < 0x100 {
        1
    } else if maxchar < 0x10000 {
        2
    } else {
        4
    };
    let header = if ascii {
        std::mem::size_of::<PyASCIIObject>()
    } else {
        std::mem::size_of::<PyCompactUnicodeObject>()
    };
    let Some(size) = len
        .checked_add(1)
        .and_then(|n| n.checked_mul(k))
        .and_then(|n| n.checked_add(header))
        .filter(|&n| n < isize::MAX as usize)
    else {
        return crate::pyerrors::no_memory();
    };
    // A short ASCII str gets the whole block the free list serves (see `SHORT_STR_BLOCK`).
    let size = if ascii && size <= SHORT_STR_BLOCK {
        SHORT_STR_BLOCK
    } else {
        size
    };
    let p = crate::pymem::calloc(1, size).cast::<PyObject>();
    if p.is_null() {
        return crate::pyerrors::no_memory();
    }
    // SAFETY: `p` is a fresh zeroed block of at least `size` bytes laid out as computed above.
    unsafe {
        crate::objimpl::init_header(p, &raw mut PyUnicode_Type);
        let a = p.cast::<PyASCIIObject>();
        (*a).length = len as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = ((k as u32) << 8) | STATE_COMPACT | if ascii { STATE_ASCII } else { 0 };
    }
    p
}

/// The largest code point the str `op` can hold, after checking that it may be changed in
/// place (only one reference, not hashed yet, not interned): else SystemError, as CPython.
///
/// # Safety
/// `op` must be a live exact str.
unsafe fn modifiable_max_char(op: *mut PyObject) -> Result<u32, ()> {
    let a = op.cast::<PyASCIIObject>();
    // SAFETY: `op` is a live str, whose header `PyASCIIObject` mirrors.
    let (hash, state) = unsafe { ((*a).hash, (*a).state) };
    // SAFETY: as above.
    if unsafe { crate::refcount::refcnt(op) } != 1 || hash != -1 || state & 0xff != 0 {
        raise(
            &raw mut EXC_SystemError,
            "Cannot modify a string currently used",
        );
        return Err(());
    }
    // SAFETY: as above.
    Ok(match unsafe { kind(op) } {
        1 if state & STATE_ASCII != 0 => 0x7f,
        1 => 0xff,
        2 => 0xffff,
        _ => 0x10ffff,
    })
}

/// A new str holding `units` (the smallest kind that fits).
pub fn from_ucs4(units: &[u32]) -> *mut PyObject {
    let maxchar = units.iter().copied().max().unwrap_or(0);
    if maxchar > 0x10ffff {
        return raise(
            &raw mut EXC_SystemError,
            "invalid maximum character passed to PyUnicode_New",
        );
    }
    let p = new_uninit(units.len(), maxchar);
    if p.is_null() {
        return p;
    }
    // SAFETY: fresh str of `units.len()` code points of a kind that holds `maxchar`.
    unsafe {
        let d = data_ptr(p);
        match kind(p) {
            1 => {
                for (i, &u) in units.iter().enumerate() {
                    *d.add(i) = u as u8;
                }
            }
            2 => {
                for (i, &u) in units.iter().enumerate() {
                    d.cast::<u16>().add(i).write_unaligned(u as u16);
                }
            }
            _ => {
                for (i, &u) in units.iter().enumerate() {
                    d.cast::<u32>().add(i).write_unaligned(u);
                }
            }
        }
    }
    p
}

/// The CPython text of a UTF-8 decoding error.
fn utf8_error_text(bytes: &[u8], e: std::str::Utf8Error) -> String {
    utf8_error_text_at(bytes, e, 0)
}

/// As `utf8_error_text` for `bytes` starting at offset `base` of the whole input.
fn utf8_error_text_at(bytes: &[u8], e: std::str::Utf8Error, base: usize) -> String {
    let pos = e.valid_up_to();
    let (end, reason) = match e.error_len() {
        None => (bytes.len(), "unexpected end of data"),
        Some(_) if (0x80..0xc2).contains(&bytes[pos]) || bytes[pos] >= 0xf5 => {
            (pos + 1, "invalid start byte")
        }
        Some(n) => (pos + n, "invalid continuation byte"),
    };
    let shown = &bytes[pos..end];
    if shown.len() == 1 {
        format!(
            "'utf-8' codec can't decode byte 0x{:02x} in position {}: {reason}",
            shown[0],
            base + pos
        )
    } else {
        format!(
            "'utf-8' codec can't decode bytes in position {}-{}: {reason}",
            base + pos,
            base + end - 1
        )
    }
}

fn bad_argument() {
    raise(
        &raw mut EXC_TypeError,
        "bad argument type for built-in operation",
    );
}

fn decode_error_text(codec: &str, bytes: &[u8], start: usize, end: usize, reason: &str) -> String {
    if end - start == 1 {
        format!(
            "'{codec}' codec can't decode byte 0x{:02x} in position {start}: {reason}",
            bytes[start]
        )
    } else {
        format!(
            "'{codec}' codec can't decode bytes in position {start}-{}: {reason}",
            end - 1
        )
    }
}

/// How an encoder or decoder treats what it cannot handle.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Errors {
    Strict,
    Replace,
    Ignore,
    /// UTF-8 only: lone surrogates are encoded (and decoded) as their 3-byte forms; for the
    /// one-byte codecs it acts like `Strict`, as in CPython.
    SurrogatePass,
    /// PEP 383: an undecodable byte `b` (0x80 and above) decodes to the lone surrogate
    /// U+DC00+b, and such a surrogate encodes back to its byte (SWIG decodes every C string
    /// it exports with this handler).
    SurrogateEscape,
    /// Undecodable bytes become `\xNN`; unencodable characters `\xNN`, `\uNNNN` or
    /// `\UNNNNNNNN`.
    BackslashReplace,
    /// Encoding only: unencodable characters become `&#N;` (decimal).
    XmlCharRefReplace,
}

/// A backslash escape of code point `u`, as `backslashreplace` writes it.
pub(crate) fn backslash_escape(u: u32) -> String {
    match u {
        0..0x100 => format!("\\x{u:02x}"),
        0x100..0x10000 => format!("\\u{u:04x}"),
        _ => format!("\\U{u:08x}"),
    }
}

/// What a decoder does with an encode-only handler: CPython's TypeError. Returns NULL.
pub(crate) fn decode_handler_error() -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_TypeError,
        "don't know how to handle UnicodeDecodeError in error callback",
    )
}

/// Parses an `errors` argument (NULL means strict).
///
/// # Safety
/// `errors` must be NULL or NUL-terminated.
pub(crate) unsafe fn parse_errors(errors: *const c_char) -> Result<Errors, ()> {
    if errors.is_null() {
        return Ok(Errors::Strict);
    }
    // SAFETY: forwarded contract.
    match unsafe { CStr::from_ptr(errors) }.to_bytes() {
        b"strict" => Ok(Errors::Strict),
        b"replace" => Ok(Errors::Replace),
        b"ignore" => Ok(Errors::Ignore),
        b"surrogatepass" => Ok(Errors::SurrogatePass),
        b"surrogateescape" => Ok(Errors::SurrogateEscape),
        b"backslashreplace" => Ok(Errors::BackslashReplace),
        b"xmlcharrefreplace" => Ok(Errors::XmlCharRefReplace),
        other => {
            let name = String::from_utf8_lossy(other);
            raise(
                &raw mut crate::pyerrors::EXC_LookupError,
                &format!("unknown error handler name '{name}'"),
            );
            Err(())
        }
    }
}

/// Decodes UTF-8; with `consumed`, an incomplete sequence at the end is left undecoded.
pub(crate) fn decode_utf8(
    bytes: &[u8],
    errors: Errors,
    consumed: Option<&mut usize>,
) -> *mut PyObject {
    if matches!(errors, Errors::SurrogatePass | Errors::SurrogateEscape) {
        // A String cannot hold a surrogate: decode to code points instead.
        return decode_utf8_surrogates(bytes, errors, consumed);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut offset = 0;
    let stateful = consumed.is_some();
    loop {
        match std::str::from_utf8(rest) {
            Ok(t) => {
                out.push_str(t);
                offset += rest.len();
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // SAFETY: the prefix was just validated.
                out.push_str(unsafe { std::str::from_utf8_unchecked(&rest[..good]) });
                let bad = match e.error_len() {
                    None if stateful => {
                        offset += good;
                        break;
                    }
                    None => rest.len() - good,
                    Some(n) => n,
                };
                match errors {
                    Errors::Strict | Errors::SurrogatePass | Errors::SurrogateEscape => {
                        return raise(
                            &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
                            &utf8_error_text_at(rest, e, offset),
                        );
                    }
                    Errors::Replace => out.push('\u{fffd}'),
                    Errors::Ignore => {}
                    Errors::BackslashReplace => {
                        for &b in &rest[good..good + bad] {
                            out.push_str(&backslash_escape(u32::from(b)));
                        }
                    }
                    Errors::XmlCharRefReplace => return decode_handler_error(),
                }
                offset += good + bad;
                rest = &rest[good + bad..];
            }
        }
    }
    if let Some(c) = consumed {
        *c = offset;
    }
    from_str(&out)
}

/// UTF-8 decoding with `surrogatepass` (3-byte surrogate forms become lone surrogates) or
/// `surrogateescape` (each byte of an invalid sequence becomes U+DC00+byte), so the result is
/// built from code points.
fn decode_utf8_surrogates(
    bytes: &[u8],
    errors: Errors,
    consumed: Option<&mut usize>,
) -> *mut PyObject {
    let mut units = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut offset = 0;
    let stateful = consumed.is_some();
    loop {
        let (good, err) = match std::str::from_utf8(rest) {
            Ok(t) => (t.len(), None),
            Err(e) => (e.valid_up_to(), Some(e)),
        };
        // SAFETY: the prefix was just validated.
        let text = unsafe { std::str::from_utf8_unchecked(&rest[..good]) };
        units.extend(text.chars().map(u32::from));
        let Some(e) = err else {
            offset += good;
            break;
        };
        match rest[good..] {
            [0xed, b1 @ 0xa0..=0xbf, b2 @ 0x80..=0xbf, ..] if errors == Errors::SurrogatePass => {
                units.push(0xd000 | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f));
                offset += good + 3;
                rest = &rest[good + 3..];
            }
            _ if stateful && e.error_len().is_none() => {
                offset += good;
                break;
            }
            _ if errors == Errors::SurrogateEscape => {
                // Invalid UTF-8 bytes are all 0x80 or above.
                let bad = e.error_len().unwrap_or(rest.len() - good);
                units.extend(
                    rest[good..good + bad]
                        .iter()
                        .map(|&b| 0xdc00 | u32::from(b)),
                );
                offset += good + bad;
                rest = &rest[good + bad..];
            }
            _ => {
                return raise(
                    &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
                    &utf8_error_text_at(rest, e, offset),
                );
            }
        }
    }
    if let Some(c) = consumed {
        *c = offset;
    }
    from_ucs4(&units)
}

/// Decodes bytes where each byte below `limit` is its own code point (ASCII: 128,
/// Latin-1: 256).
fn decode_simple(codec: &str, bytes: &[u8], limit: u32, errors: Errors) -> *mut PyObject {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if u32::from(b) < limit {
            out.push(u32::from(b));
            continue;
        }
        match errors {
            Errors::SurrogateEscape => out.push(0xdc00 | u32::from(b)),
            Errors::Strict | Errors::SurrogatePass => {
                return raise(
                    &raw mut crate::pyerrors::EXC_UnicodeDecodeError,
                    &decode_error_text(codec, bytes, i, i + 1, "ordinal not in range(128)"),
                );
            }
            Errors::Replace => out.push(0xfffd),
            Errors::Ignore => {}
            Errors::BackslashReplace => {
                out.extend(backslash_escape(u32::from(b)).chars().map(u32::from))
            }
            Errors::XmlCharRefReplace => return decode_handler_error(),
        }
    }
    from_ucs4(&out)
}

/// Encodes code points with a codec that maps code points below `limit` to one byte each
/// (ASCII 128, Latin-1 256) or as UTF-8 (`limit == 0`).
pub(crate) fn encode(
    codec: &str,
    units: &[u32],
    limit: u32,
    errors: Errors,
) -> Result<Vec<u8>, ()> {
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let ok = if limit == 0 {
            !(0xd800..0xe000).contains(&u)
        } else {
            u < limit
        };
        let pass_surrogate = limit == 0 && errors == Errors::SurrogatePass;
        if ok || pass_surrogate {
            if pass_surrogate && !ok {
                // The 3-byte form UTF-8 would give the code point if it were allowed.
                out.extend_from_slice(&[
                    0xe0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3f) as u8,
                    0x80 | (u & 0x3f) as u8,
                ]);
            } else if limit == 0 {
                let mut buf = [0u8; 4];
                let c = char::from_u32(u).unwrap_or('\u{fffd}');
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            } else {
                out.push(u as u8);
            }
            i += 1;
            continue;
        }
        match errors {
            Errors::SurrogateEscape if (0xdc80..=0xdcff).contains(&u) => {
                out.push((u - 0xdc00) as u8);
            }
            Errors::Strict | Errors::SurrogatePass | Errors::SurrogateEscape => {
                let bad = |v: u32| {
                    if limit == 0 {
                        (0xd800..0xe000).contains(&v)
                    } else {
                        v >= limit
                    }
                };
                let mut end = i + 1;
                while end < units.len() && bad(units[end]) {
                    end += 1;
                }
                let reason = if limit == 0 {
                    "surrogates not allowed".to_string()
                } else {
                    format!("ordinal not in range({limit})")
                };
                let msg = if end - i == 1 {
                    let ch = match u {
                        0x20..0x7f => (u as u8 as char).to_string(),
                        0..0x100 => format!("\\x{u:02x}"),
                        0x100..0x10000 => format!("\\u{u:04x}"),
                        _ => format!("\\U{u:08x}"),
                    };
                    format!(
                        "'{codec}' codec can't encode character '{ch}' in position {i}: {reason}"
                    )
                } else {
                    format!(
                        "'{codec}' codec can't encode characters in position {i}-{}: {reason}",
                        end - 1
                    )
                };
                raise(&raw mut crate::pyerrors::EXC_UnicodeEncodeError, &msg);
                return Err(());
            }
            Errors::Replace => out.push(b'?'),
            Errors::Ignore => {}
            Errors::BackslashReplace => out.extend_from_slice(backslash_escape(u).as_bytes()),
            Errors::XmlCharRefReplace => out.extend_from_slice(format!("&#{u};").as_bytes()),
        }
        i += 1;
    }
    Ok(out)
}

/// The codecs gilgate has built in: (canonical name, one-byte limit; 0 = UTF-8).
fn lookup_codec(name: &str) -> Option<(&'static str, u32)> {
    let n = name.to_ascii_lowercase().replace('_', "-");
    match n.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Some(("utf-8", 0)),
        "ascii" | "us-ascii" | "646" => Some(("ascii", 128)),
        "latin-1" | "latin1" | "latin" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819" | "l1" => {
            Some(("latin-1", 256))
        }
        _ => None,
    }
}

unsafe fn codec_arg(encoding: *const c_char) -> Result<(&'static str, u32), ()> {
    if encoding.is_null() {
        return Ok(("utf-8", 0));
    }
    // SAFETY: a NUL-terminated string, per the C API contract.
    let name = unsafe { CStr::from_ptr(encoding) }.to_string_lossy();
    lookup_codec(&name).ok_or_else(|| {
        raise(
            &raw mut crate::pyerrors::EXC_LookupError,
            &format!("unknown encoding: {name}"),
        );
    })
}

fn decode_with(codec: (&'static str, u32), bytes: &[u8], errors: Errors) -> *mut PyObject {
    match codec.1 {
        0 => decode_utf8(bytes, errors, None),
        l => decode_simple(codec.0, bytes, l, errors),
    }
}

/// Encodes a str into a new bytes object.
///
/// # Safety
/// `op` must be a live object.
unsafe fn encode_obj(
    op: *mut PyObject,
    codec: (&'static str, u32),
    errors: Errors,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            bad_argument();
            return null_mut();
        }
        if codec.1 == 0
            && let Some((p, n)) = utf8_ptr(op)
        {
            return crate::bytesobject::from_bytes(std::slice::from_raw_parts(p.cast(), n));
        }
        match encode(codec.0, &chars(op), codec.1, errors) {
            Ok(b) => crate::bytesobject::from_bytes(&b),
            Err(()) => null_mut(),
        }
    }
}

/// Checks that `op` is a str, raising `TypeError` with CPython's wording otherwise.
unsafe fn need_str(op: *mut PyObject) -> bool {
    // SAFETY: NULL or a live object.
    unsafe {
        if op.is_null() {
            crate::pyerrors::bad_internal_call();
            return false;
        }
        if !is_str(op) {
            let t = crate::object::type_name(ty(op));
            raise(&raw mut EXC_TypeError, &format!("must be str, not {t}"));
            return false;
        }
        true
    }
}

// ---- text algorithms on code points ---------------------------------------------------------

fn find_in(hay: &[u32], needle: &[u32], from_end: bool) -> Option<usize> {
    if needle.is_empty() {
        return Some(if from_end { hay.len() } else { 0 });
    }
    if needle.len() > hay.len() {
        return None;
    }
    let positions = 0..=hay.len() - needle.len();
    if from_end {
        positions
            .rev()
            .find(|&i| &hay[i..i + needle.len()] == needle)
    } else {
        positions
            .into_iter()
            .find(|&i| &hay[i..i + needle.len()] == needle)
    }
}

fn count_in(hay: &[u32], needle: &[u32], max: usize) -> usize {
    if needle.is_empty() {
        return (hay.len() + 1).min(max);
    }
    let mut n = 0;
    let mut i = 0;
    while n < max && i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

/// Clamps `start`/`end` as Python's slice-like string arguments.
fn clamp_range(len: usize, start: Py_ssize_t, end: Py_ssize_t) -> (usize, usize) {
    let l = len as Py_ssize_t;
    let fix = |v: Py_ssize_t| {
        if v < 0 { (v + l).max(0) } else { v.min(l) }
    };
    let (a, b) = (fix(start), fix(end));
    (a as usize, b.max(a) as usize)
}

fn is_space(u: u32) -> bool {
    matches!(u, 0x09..=0x0d | 0x1c..=0x20 | 0x85 | 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000)
}

fn replace_units(s: &[u32], old: &[u32], new: &[u32], count: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut done = 0;
    if old.is_empty() {
        for (i, &u) in s.iter().enumerate() {
            if done < count {
                out.extend_from_slice(new);
                done += 1;
            }
            out.push(u);
            let _ = i;
        }
        if done < count {
            out.extend_from_slice(new);
        }
        return out;
    }
    let mut i = 0;
    while i < s.len() {
        if done < count && s[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
            done += 1;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn split_units(s: &[u32], sep: Option<&[u32]>, maxsplit: Py_ssize_t) -> Vec<Vec<u32>> {
    let max = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut out = Vec::new();
    match sep {
        None => {
            let mut i = 0;
            let n = s.len();
            while i < n {
                while i < n && is_space(s[i]) {
                    i += 1;
                }
                if i == n {
                    break;
                }
                if out.len() == max {
                    // the rest as it is (its trailing whitespace stays, as in CPython)
                    out.push(s[i..].to_vec());
                    break;
                }
                let st = i;
                while i < n && !is_space(s[i]) {
                    i += 1;
                }
                out.push(s[st..i].to_vec());
            }
        }
        Some(sep) => {
            let mut start = 0;
            let mut i = 0;
            let mut splits = 0;
            while splits < max && i + sep.len() <= s.len() {
                if s[i..].starts_with(sep) {
                    out.push(s[start..i].to_vec());
                    i += sep.len();
                    start = i;
                    splits += 1;
                } else {
                    i += 1;
                }
            }
            out.push(s[start..].to_vec());
        }
    }
    out
}

// ---- slots ----------------------------------------------------------------------------------

use crate::iterobject::{self as iters, Step};
use crate::object::{PyMappingMethods, PySequenceMethods};

static mut UNICODE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(unicode_length),
    sq_concat: Some(unicode_concat),
    sq_repeat: Some(unicode_repeat),
    sq_item: Some(unicode_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(unicode_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut UNICODE_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(unicode_length),
    mp_subscript: Some(unicode_subscript),
    mp_ass_subscript: None,
};

#[export]
pub static mut PyUnicodeIter_Type: PyTypeObject =
    iters::iter_type(c"str_iterator", unicodeiter_next);

unsafe extern "C" fn unicode_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    if t != &raw mut PyUnicode_Type {
        // SAFETY: tp_new contract; `t` is a subtype of str.
        return unsafe { subtype_new(t, unicode_new(&raw mut PyUnicode_Type, args, kw)) };
    }
    crate::ffi_guard::guard("str.__new__", null_mut(), || {
        // SAFETY: tp_new contract: an argument tuple, NULL or a dict.
        unsafe {
            // str(object='', encoding=..., errors=...): all three may be given by name
            let Some(pos) = iters::ctor_args("str", args, kw, 3, true) else {
                return null_mut();
            };
            let mut a: [*mut PyObject; 3] = [null_mut(); 3];
            a[..pos.len()].copy_from_slice(&pos);
            if !kw.is_null() {
                for (k, v) in crate::dictobject::entries(kw) {
                    let key = as_str(k).unwrap_or("");
                    let Some(i) = ["object", "encoding", "errors"]
                        .iter()
                        .position(|n| *n == key)
                    else {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!("str() got an unexpected keyword argument '{key}'"),
                        );
                    };
                    if !a[i].is_null() {
                        return raise(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for str() given by name ('{key}') and position ({})",
                                i + 1
                            ),
                        );
                    }
                    a[i] = v;
                }
            }
            for (i, what) in [(1, "encoding"), (2, "errors")] {
                if !a[i].is_null() && !is_str(a[i]) {
                    let t = crate::object::type_name(ty(a[i]));
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("str() argument '{what}' must be str, not {t}"),
                    );
                }
            }
            let x = a[0];
            if x.is_null() {
                return from_str("");
            }
            if a[1].is_null() && a[2].is_null() {
                return crate::object::str(x);
            }
            if is_str(x) {
                return raise(&raw mut EXC_TypeError, "decoding str is not supported");
            }
            let Some(data) = crate::bytesobject::bytes_like(x) else {
                crate::pyerrors::clear();
                let t = crate::object::type_name(ty(x));
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("decoding to str: need a bytes-like object, {t} found"),
                );
            };
            let cstr = |o: *mut PyObject| {
                if o.is_null() {
                    std::ptr::null()
                } else {
                    as_cstr(o).unwrap_or(std::ptr::null())
                }
            };
            PyUnicode_Decode(
                data.as_ptr().cast(),
                data.len() as Py_ssize_t,
                cstr(a[1]),
                cstr(a[2]),
            )
        }
    })
}

/// `str.__new__` for a subclass (CPython's `unicode_subtype_new`): an instance of `t` in the
/// legacy non-compact form, its code units in a block of their own (`data`), copied from the
/// exact str computed first.
///
/// # Safety
/// `t` must be a subtype of str; `exact` NULL (an exception is set) or an owned exact str.
unsafe fn subtype_new(t: *mut PyTypeObject, exact: *mut PyObject) -> *mut PyObject {
    if exact.is_null() {
        return exact;
    }
    // SAFETY: `exact` is a live exact str; `t` lays its instances out as str does.
    unsafe {
        let exact_s = if is_exact_str(exact) {
            exact
        } else {
            let e = crate::object::str(exact);
            crate::refcount::decref(exact);
            if e.is_null() {
                return e;
            }
            e
        };
        let n = length(exact_s) as usize;
        let k = kind(exact_s) as usize;
        let ascii = (*exact_s.cast::<PyASCIIObject>()).state & STATE_ASCII;
        let data = crate::pymem::malloc((n + 1) * k).cast::<u8>();
        if data.is_null() {
            crate::refcount::decref(exact_s);
            return crate::pyerrors::no_memory();
        }
        std::ptr::copy_nonoverlapping(data_ptr(exact_s), data, (n + 1) * k);
        crate::refcount::decref(exact_s);
        let op = match (*t).tp_alloc {
            Some(a) => crate::extcall::alloc(a, t, 0),
            None => crate::objimpl::alloc_object(t, 0),
        };
        if op.is_null() {
            crate::pymem::free(data.cast());
            return op;
        }
        let u = op.cast::<PyUnicodeObject>();
        (*u)._base._base.length = n as Py_ssize_t;
        (*u)._base._base.hash = -1;
        (*u)._base._base.state = ((k as u32) << 8) | ascii;
        (*u)._base.utf8 = null_mut();
        (*u)._base.utf8_length = 0;
        (*u).data = data.cast();
        op
    }
}

unsafe extern "C" fn unicode_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live str (slot contract).
    unsafe {
        if is_exact_str(op) {
            new_ref(op)
        } else {
            from_ucs4(&chars(op))
        }
    }
}

unsafe extern "C" fn unicode_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live str (slot contract).
    unsafe { length(op) }
}

unsafe extern "C" fn unicode_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { PyUnicode_Concat(a, b) }
}

unsafe extern "C" fn unicode_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live str (slot contract).
    unsafe {
        if n == 1 && is_exact_str(a) {
            return new_ref(a);
        }
        let c = chars(a);
        let n = n.max(0) as usize;
        if c.len()
            .checked_mul(n)
            .is_none_or(|t| t > isize::MAX as usize / 4)
        {
            return crate::pyerrors::no_memory();
        }
        from_ucs4(&c.repeat(n))
    }
}

unsafe extern "C" fn unicode_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live str (slot contract).
    unsafe {
        if i < 0 || i >= length(op) {
            return raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
        }
        from_ucs4(&[read(op, i as usize)])
    }
}

unsafe extern "C" fn unicode_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_str(x) {
            let t = crate::object::type_name(ty(x));
            raise(
                &raw mut EXC_TypeError,
                &format!("'in <string>' requires string as left operand, not {t}"),
            );
            return -1;
        }
        c_int::from(find_in(&chars(op), &chars(x), false).is_some())
    }
}

unsafe extern "C" fn unicode_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let n = length(op);
        if !crate::sliceobject::is_slice(key) {
            match crate::sliceobject::as_ssize_index(key) {
                Err(()) => return null_mut(),
                Ok(None) => {
                    let t = crate::object::type_name(ty(key));
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("string indices must be integers, not '{t}'"),
                    );
                }
                Ok(Some(i)) => return unicode_item(op, if i < 0 { i + n } else { i }),
            }
        }
        let Ok((b, st, cnt)) = crate::sliceobject::indices(key, n) else {
            return null_mut();
        };
        if b == 0 && st == 1 && cnt == n && is_exact_str(op) {
            return new_ref(op);
        }
        let c = chars(op);
        let v: Vec<u32> = crate::sliceobject::positions(b, st, cnt)
            .map(|p| c[p])
            .collect();
        from_ucs4(&v)
    }
}

unsafe extern "C" fn unicode_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_str(b) {
            return iters::not_implemented();
        }
        use crate::object::{Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE};
        let v = match op {
            Py_EQ => equal(a, b),
            Py_NE => !equal(a, b),
            _ => {
                let ord = if kind(a) == 1 && kind(b) == 1 {
                    raw_data(a).cmp(raw_data(b))
                } else {
                    chars(a).cmp(&chars(b))
                };
                use std::cmp::Ordering as O;
                match op {
                    Py_LT => ord == O::Less,
                    Py_LE => ord != O::Greater,
                    Py_GT => ord == O::Greater,
                    Py_GE => ord != O::Less,
                    _ => false,
                }
            }
        };
        crate::boolobject::from_bool(v)
    }
}

unsafe extern "C" fn unicode_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live str (slot contract).
    unsafe { iters::new_iter(&raw mut PyUnicodeIter_Type, op, 0) }
}

unsafe fn unicodeiter_step(it: &mut iters::IterState) -> Step {
    // SAFETY: `seq` is a live str.
    unsafe {
        if it.index < length(it.seq) {
            Step::Item(from_ucs4(&[read(it.seq, it.index as usize)]))
        } else {
            Step::End
        }
    }
}

unsafe extern "C" fn unicodeiter_next(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, unicodeiter_step) }
}

// ---- more exported API ----------------------------------------------------------------------

#[export]
pub fn PyUnicode_New(size: Py_ssize_t, maxchar: u32) -> *mut PyObject {
    if size < 0 {
        return raise(
            &raw mut EXC_SystemError,
            "Negative size passed to PyUnicode_New",
        );
    }
    if maxchar > 0x10ffff {
        return raise(
            &raw mut EXC_SystemError,
            "invalid maximum character passed to PyUnicode_New",
        );
    }
    new_uninit(size as usize, maxchar)
}

#[export]
pub unsafe fn PyUnicode_FromKindAndData(
    k: c_int,
    buf: *const c_void,
    size: Py_ssize_t,
) -> *mut PyObject {
    if size < 0 {
        return raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "size must be positive",
        );
    }
    if size > 0 && buf.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    let n = size as usize;
    // SAFETY: `buf` holds `size` code units of `k` bytes, per the C API contract.
    let units: Vec<u32> = unsafe {
        match k {
            1 => std::slice::from_raw_parts(buf.cast::<u8>(), n)
                .iter()
                .map(|&b| u32::from(b))
                .collect(),
            2 => (0..n)
                .map(|i| u32::from(buf.cast::<u16>().add(i).read_unaligned()))
                .collect(),
            4 => (0..n)
                .map(|i| buf.cast::<u32>().add(i).read_unaligned())
                .collect(),
            _ => return raise(&raw mut crate::pyerrors::EXC_SystemError, "invalid kind"),
        }
    };
    if units.iter().any(|&u| u > 0x10ffff) {
        return raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "character U+110000 is not in range [U+0000; U+10ffff]",
        );
    }
    from_ucs4(&units)
}

#[export]
pub unsafe fn PyUnicode_ReadChar(op: *mut PyObject, i: Py_ssize_t) -> u32 {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            bad_argument();
            return u32::MAX;
        }
        if i < 0 || i >= length(op) {
            raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
            return u32::MAX;
        }
        read(op, i as usize)
    }
}

#[export]
pub unsafe fn PyUnicode_WriteChar(op: *mut PyObject, i: Py_ssize_t, ch: u32) -> c_int {
    // SAFETY: a live str the caller owns alone, per the C API contract.
    unsafe {
        if op.is_null() || !is_exact_str(op) {
            bad_argument();
            return -1;
        }
        if i < 0 || i >= length(op) {
            raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
            return -1;
        }
        let Ok(limit) = modifiable_max_char(op) else {
            return -1;
        };
        if ch > limit {
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "character out of range",
            );
            return -1;
        }
        write_unit(op, i as usize, ch);
        0
    }
}

/// Stores a code unit (the kind must hold it); drops a cached UTF-8 copy.
unsafe fn write_unit(op: *mut PyObject, i: usize, ch: u32) {
    // SAFETY: a live compact str with `i < length`.
    unsafe {
        let d = data_ptr(op);
        match kind(op) {
            1 => *d.add(i) = ch as u8,
            2 => d.cast::<u16>().add(i).write_unaligned(ch as u16),
            _ => d.cast::<u32>().add(i).write_unaligned(ch),
        }
        if (*op.cast::<PyASCIIObject>()).state & STATE_ASCII == 0 {
            let c = op.cast::<PyCompactUnicodeObject>();
            let old = std::mem::replace(&mut (*c).utf8, null_mut());
            if !utf8_inline(op, old) {
                crate::pymem::free(old.cast());
            }
            (*c).utf8_length = 0;
        }
    }
}

#[export]
pub unsafe fn PyUnicode_Substring(
    op: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !need_str(op) {
            return null_mut();
        }
        if start < 0 || end < 0 {
            return raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
        }
        let n = length(op);
        let end = end.min(n);
        if start == 0 && end == n && is_exact_str(op) {
            return new_ref(op);
        }
        if start >= end {
            return from_str("");
        }
        from_ucs4(&chars(op)[start as usize..end as usize])
    }
}

#[export]
pub fn PyUnicode_FromOrdinal(o: c_int) -> *mut PyObject {
    if !(0..=0x10ffff).contains(&o) {
        return raise(
            &raw mut crate::pyerrors::EXC_ValueError,
            "chr() arg not in range(0x110000)",
        );
    }
    from_ucs4(&[o as u32])
}

unsafe fn bytes_arg<'a>(s: *const c_char, size: Py_ssize_t) -> Option<&'a [u8]> {
    if size < 0 || (s.is_null() && size > 0) {
        crate::pyerrors::bad_internal_call();
        return None;
    }
    if size == 0 {
        return Some(&[]);
    }
    // SAFETY: `size` readable bytes, per the C API contract.
    Some(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), size as usize) })
}

#[export]
pub unsafe fn PyUnicode_DecodeUTF8Stateful(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
    consumed: *mut Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: as PyUnicode_DecodeUTF8; `consumed` NULL or writable.
    unsafe {
        let Some(b) = bytes_arg(s, size) else {
            return null_mut();
        };
        let Ok(e) = parse_errors(errors) else {
            return null_mut();
        };
        if consumed.is_null() {
            return decode_utf8(b, e, None);
        }
        let mut n = 0;
        let r = decode_utf8(b, e, Some(&mut n));
        *consumed = n as Py_ssize_t;
        r
    }
}

#[export]
pub unsafe fn PyUnicode_DecodeUTF8(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: `size` readable bytes and NULL or a C string, per the C API contract.
    unsafe { PyUnicode_DecodeUTF8Stateful(s, size, errors, null_mut()) }
}

#[export]
pub unsafe fn PyUnicode_DecodeLatin1(
    s: *const c_char,
    size: Py_ssize_t,
    _errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: `size` readable bytes, per the C API contract.
    unsafe {
        let Some(b) = bytes_arg(s, size) else {
            return null_mut();
        };
        decode_simple("latin-1", b, 256, Errors::Strict)
    }
}

#[export]
pub unsafe fn PyUnicode_DecodeASCII(
    s: *const c_char,
    size: Py_ssize_t,
    errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: `size` readable bytes and NULL or a C string, per the C API contract.
    unsafe {
        let Some(b) = bytes_arg(s, size) else {
            return null_mut();
        };
        let Ok(e) = parse_errors(errors) else {
            return null_mut();
        };
        decode_simple("ascii", b, 128, e)
    }
}

#[export]
pub unsafe fn PyUnicode_Decode(
    s: *const c_char,
    size: Py_ssize_t,
    encoding: *const c_char,
    errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: as the decoders above.
    unsafe {
        let Some(b) = bytes_arg(s, size) else {
            return null_mut();
        };
        let Ok(codec) = codec_arg(encoding) else {
            return null_mut();
        };
        let Ok(e) = parse_errors(errors) else {
            return null_mut();
        };
        decode_with(codec, b, e)
    }
}

#[export]
pub unsafe fn PyUnicode_AsEncodedString(
    op: *mut PyObject,
    encoding: *const c_char,
    errors: *const c_char,
) -> *mut PyObject {
    // SAFETY: a live object and NULL or C strings, per the C API contract.
    unsafe {
        let Ok(codec) = codec_arg(encoding) else {
            return null_mut();
        };
        let Ok(e) = parse_errors(errors) else {
            return null_mut();
        };
        encode_obj(op, codec, e)
    }
}

#[export]
pub unsafe fn PyUnicode_AsUTF8String(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { encode_obj(op, ("utf-8", 0), Errors::Strict) }
}

#[export]
pub unsafe fn PyUnicode_AsASCIIString(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { encode_obj(op, ("ascii", 128), Errors::Strict) }
}

#[export]
pub unsafe fn PyUnicode_AsLatin1String(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { encode_obj(op, ("latin-1", 256), Errors::Strict) }
}

#[export]
pub unsafe fn PyUnicode_Join(sep: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    // SAFETY: NULL or live objects, per the C API contract.
    unsafe {
        let sepv = if sep.is_null() {
            vec![0x20]
        } else if is_str(sep) {
            chars(sep)
        } else {
            let t = crate::object::type_name(ty(sep));
            return raise(
                &raw mut EXC_TypeError,
                &format!("separator: expected str instance, {t} found"),
            );
        };
        let Ok(items) = iters::collect(seq) else {
            return null_mut();
        };
        let mut out = Vec::new();
        for (i, &o) in items.iter().enumerate() {
            if !is_str(o) {
                let t = crate::object::type_name(ty(o));
                iters::release_all(items);
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("sequence item {i}: expected str instance, {t} found"),
                );
            }
            if i > 0 {
                out.extend_from_slice(&sepv);
            }
            out.extend(chars(o));
        }
        iters::release_all(items);
        from_ucs4(&out)
    }
}

/// The checked arguments of `PyUnicode_Split`/`RSplit`: `op` must be a str, `sep` NULL or None
/// (split on whitespace) or a non-empty str, given back as code points. Err: exception set.
///
/// # Safety
/// `op` live; `sep` NULL or live.
unsafe fn split_args(op: *mut PyObject, sep: *mut PyObject) -> Result<Option<Vec<u32>>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if !need_str(op) {
            return Err(());
        }
        if sep.is_null() || sep == crate::object::none() {
            return Ok(None);
        }
        if !need_str(sep) {
            return Err(());
        }
        let v = chars(sep);
        if v.is_empty() {
            raise(&raw mut crate::pyerrors::EXC_ValueError, "empty separator");
            return Err(());
        }
        Ok(Some(v))
    }
}

#[export]
pub unsafe fn PyUnicode_Split(
    op: *mut PyObject,
    sep: *mut PyObject,
    maxsplit: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: live objects (sep may be NULL or None), per the C API contract.
    unsafe {
        let Ok(sepv) = split_args(op, sep) else {
            return null_mut();
        };
        str_list(&split_units(&chars(op), sepv.as_deref(), maxsplit))
    }
}

#[export]
pub unsafe fn PyUnicode_Replace(
    op: *mut PyObject,
    old: *mut PyObject,
    new: *mut PyObject,
    count: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !need_str(op) || !need_str(old) || !need_str(new) {
            return null_mut();
        }
        let max = if count < 0 {
            usize::MAX
        } else {
            count as usize
        };
        from_ucs4(&replace_units(&chars(op), &chars(old), &chars(new), max))
    }
}

#[export]
pub unsafe fn PyUnicode_Contains(container: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !need_str(container) {
            return -1;
        }
        unicode_contains(container, x)
    }
}

#[export]
pub unsafe fn PyUnicode_Find(
    op: *mut PyObject,
    sub: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
    direction: c_int,
) -> Py_ssize_t {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !need_str(op) || !need_str(sub) {
            return -2;
        }
        let c = chars(op);
        let (a, b) = clamp_range(c.len(), start, end);
        let sv = chars(sub);
        if sv.len() > b - a && !(sv.is_empty() && a <= c.len()) {
            return -1;
        }
        match find_in(&c[a..b], &sv, direction < 0) {
            Some(i) => (a + i) as Py_ssize_t,
            None => -1,
        }
    }
}

#[export]
pub unsafe fn PyUnicode_FindChar(
    op: *mut PyObject,
    ch: u32,
    start: Py_ssize_t,
    end: Py_ssize_t,
    direction: c_int,
) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !need_str(op) {
            return -2;
        }
        let c = chars(op);
        let (a, b) = clamp_range(c.len(), start, end);
        let hay = &c[a..b];
        let r = if direction > 0 {
            hay.iter().position(|&u| u == ch)
        } else {
            hay.iter().rposition(|&u| u == ch)
        };
        r.map_or(-1, |i| (a + i) as Py_ssize_t)
    }
}

#[export]
pub unsafe fn PyUnicode_Tailmatch(
    op: *mut PyObject,
    sub: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
    direction: c_int,
) -> Py_ssize_t {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !need_str(op) || !need_str(sub) {
            return -1;
        }
        let c = chars(op);
        let (a, b) = clamp_range(c.len(), start, end);
        let sv = chars(sub);
        if (start as usize) > c.len() && start >= 0 {
            return 0;
        }
        if sv.len() > b - a {
            return 0;
        }
        let hay = &c[a..b];
        Py_ssize_t::from(if direction > 0 {
            hay.ends_with(&sv)
        } else {
            hay.starts_with(&sv)
        })
    }
}

#[export]
pub unsafe fn PyUnicode_Count(
    op: *mut PyObject,
    sub: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
) -> Py_ssize_t {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !need_str(op) || !need_str(sub) {
            return -1;
        }
        let c = chars(op);
        if start >= 0 && start as usize > c.len() {
            return 0;
        }
        let (a, b) = clamp_range(c.len(), start, end);
        count_in(&c[a..b], &chars(sub), usize::MAX) as Py_ssize_t
    }
}

#[export]
pub unsafe fn PyUnicode_FromWideChar(w: *const i32, size: Py_ssize_t) -> *mut PyObject {
    // SAFETY: `size` wide characters (or NUL-terminated when -1), per the C API contract.
    unsafe {
        if w.is_null() {
            if size == 0 {
                return from_str("");
            }
            return crate::pyerrors::bad_internal_call();
        }
        let n = if size == -1 {
            let mut n = 0;
            while *w.add(n) != 0 {
                n += 1;
            }
            n
        } else if size < 0 {
            return crate::pyerrors::bad_internal_call();
        } else {
            size as usize
        };
        let units: Vec<u32> = std::slice::from_raw_parts(w, n)
            .iter()
            .map(|&c| c as u32)
            .collect();
        if let Some(&bad) = units.iter().find(|&&u| u > 0x10ffff) {
            return raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                &format!("character U+{bad:x} is not in range [U+0000; U+10ffff]"),
            );
        }
        from_ucs4(&units)
    }
}

#[export]
pub unsafe fn PyUnicode_AsWideChar(op: *mut PyObject, w: *mut i32, size: Py_ssize_t) -> Py_ssize_t {
    // SAFETY: a live object and room for `size` wide characters, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let c = chars(op);
        if w.is_null() {
            return c.len() as Py_ssize_t + 1;
        }
        let n = c.len().min(size.max(0) as usize);
        for (i, &u) in c[..n].iter().enumerate() {
            *w.add(i) = u as i32;
        }
        if n < size.max(0) as usize {
            *w.add(n) = 0;
        }
        n as Py_ssize_t
    }
}

#[export]
pub unsafe fn PyUnicode_AsWideCharString(op: *mut PyObject, size: *mut Py_ssize_t) -> *mut i32 {
    // SAFETY: a live object and NULL or a writable size, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            crate::pyerrors::bad_internal_call();
            return null_mut();
        }
        let c = chars(op);
        if size.is_null() && c.contains(&0) {
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "embedded null character",
            );
            return null_mut();
        }
        let buf = crate::pymem::malloc((c.len() + 1) * 4).cast::<i32>();
        if buf.is_null() {
            crate::pyerrors::no_memory();
            return null_mut();
        }
        for (i, &u) in c.iter().enumerate() {
            *buf.add(i) = u as i32;
        }
        *buf.add(c.len()) = 0;
        if !size.is_null() {
            *size = c.len() as Py_ssize_t;
        }
        buf
    }
}

#[export]
pub unsafe fn PyUnicode_AsUCS4(
    op: *mut PyObject,
    buf: *mut u32,
    buflen: Py_ssize_t,
    copy_null: c_int,
) -> *mut u32 {
    // SAFETY: a live object and room for `buflen` code points, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) || buf.is_null() || buflen < 0 {
            crate::pyerrors::bad_internal_call();
            return null_mut();
        }
        let c = chars(op);
        let need = c.len() + usize::from(copy_null != 0);
        if (buflen as usize) < need {
            raise(
                &raw mut crate::pyerrors::EXC_SystemError,
                "string is longer than the buffer",
            );
            return null_mut();
        }
        std::ptr::copy_nonoverlapping(c.as_ptr(), buf, c.len());
        if copy_null != 0 {
            *buf.add(c.len()) = 0;
        }
        buf
    }
}

#[export]
pub unsafe fn PyUnicode_AsUCS4Copy(op: *mut PyObject) -> *mut u32 {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            crate::pyerrors::bad_internal_call();
            return null_mut();
        }
        let c = chars(op);
        let buf = crate::pymem::malloc((c.len() + 1) * 4).cast::<u32>();
        if buf.is_null() {
            crate::pyerrors::no_memory();
            return null_mut();
        }
        std::ptr::copy_nonoverlapping(c.as_ptr(), buf, c.len());
        *buf.add(c.len()) = 0;
        buf
    }
}

#[export]
pub unsafe fn PyUnicode_Fill(
    op: *mut PyObject,
    start: Py_ssize_t,
    length_: Py_ssize_t,
    ch: u32,
) -> Py_ssize_t {
    // SAFETY: a live str the caller owns alone, per the C API contract.
    unsafe {
        if op.is_null() || !is_exact_str(op) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let n = length(op);
        if start < 0 || start > n {
            raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
            return -1;
        }
        let Ok(maxc) = modifiable_max_char(op) else {
            return -1;
        };
        if ch > maxc {
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "fill character is bigger than the string maximum character",
            );
            return -1;
        }
        let cnt = length_.max(0).min(n - start);
        for i in start..start + cnt {
            write_unit(op, i as usize, ch);
        }
        cnt
    }
}

#[export]
pub unsafe fn PyUnicode_CopyCharacters(
    to: *mut PyObject,
    to_start: Py_ssize_t,
    from: *mut PyObject,
    from_start: Py_ssize_t,
    how_many: Py_ssize_t,
) -> Py_ssize_t {
    // SAFETY: live strs, `to` owned alone by the caller, per the C API contract.
    unsafe {
        if to.is_null() || from.is_null() || !is_str(to) || !is_str(from) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let (tl, fl) = (length(to), length(from));
        if from_start < 0 || from_start > fl || to_start < 0 || to_start > tl {
            raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "string index out of range",
            );
            return -1;
        }
        if how_many < 0 {
            raise(&raw mut EXC_SystemError, "how_many cannot be negative");
            return -1;
        }
        let n = how_many.min(fl - from_start).min(tl - to_start);
        let src = chars(from);
        let a = to.cast::<PyASCIIObject>();
        let maxc = match kind(to) {
            1 if (*a).state & STATE_ASCII != 0 => 0x7f,
            1 => 0xff,
            2 => 0xffff,
            _ => 0x10ffff,
        };
        let part = &src[from_start as usize..(from_start + n) as usize];
        if let Some(&m) = part.iter().max()
            && m > maxc
        {
            raise(
                &raw mut EXC_SystemError,
                &format!(
                    "Cannot write {n} characters at {to_start} in a string of {tl} characters"
                ),
            );
            return -1;
        }
        if crate::refcount::refcnt(to) != 1 || (*a).hash != -1 || (*a).state & 0xff != 0 {
            raise(
                &raw mut EXC_SystemError,
                "Cannot modify a string currently used",
            );
            return -1;
        }
        for (i, &u) in part.iter().enumerate() {
            write_unit(to, to_start as usize + i, u);
        }
        n
    }
}

// ---- file-system encoding, append/resize, identifiers ---------------------------------------

/// Decodes UTF-8 with `surrogateescape`: each undecodable byte becomes U+DC80..U+DCFF.
pub(crate) fn decode_fs(bytes: &[u8]) -> *mut PyObject {
    let mut out: Vec<u32> = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(t) => {
                out.extend(t.chars().map(|c| c as u32));
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // SAFETY: the prefix was just validated.
                let t = unsafe { std::str::from_utf8_unchecked(&rest[..good]) };
                out.extend(t.chars().map(|c| c as u32));
                let bad = e.error_len().unwrap_or(rest.len() - good);
                out.extend(
                    rest[good..good + bad]
                        .iter()
                        .map(|&b| 0xdc00 + u32::from(b)),
                );
                rest = &rest[good + bad..];
            }
        }
    }
    from_ucs4(&out)
}

/// Encodes with UTF-8 and `surrogateescape` (U+DC80..U+DCFF back to bytes).
///
/// # Safety
/// `op` must be a live str.
pub(crate) unsafe fn encode_fs(op: *mut PyObject) -> Result<Vec<u8>, ()> {
    // SAFETY: forwarded contract.
    let units = unsafe { chars(op) };
    let mut out = Vec::with_capacity(units.len());
    for (i, &u) in units.iter().enumerate() {
        match u {
            0xdc80..=0xdcff => out.push((u - 0xdc00) as u8),
            0xd800..=0xdfff => {
                let msg = format!(
                    "'utf-8' codec can't encode character '\\u{u:04x}' in position {i}: surrogates not allowed"
                );
                raise(&raw mut crate::pyerrors::EXC_UnicodeEncodeError, &msg);
                return Err(());
            }
            _ => {
                let mut b = [0u8; 4];
                out.extend_from_slice(
                    char::from_u32(u)
                        .unwrap_or('?')
                        .encode_utf8(&mut b)
                        .as_bytes(),
                );
            }
        }
    }
    Ok(out)
}

#[export]
pub unsafe fn PyUnicode_DecodeFSDefaultAndSize(
    s: *const c_char,
    size: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: `size` readable bytes, per the C API contract.
    unsafe {
        let Some(b) = bytes_arg(s, size) else {
            return null_mut();
        };
        decode_fs(b)
    }
}

#[export]
pub unsafe fn PyUnicode_DecodeFSDefault(s: *const c_char) -> *mut PyObject {
    if s.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a NUL-terminated string, per the C API contract.
    decode_fs(unsafe { CStr::from_ptr(s) }.to_bytes())
}

#[export]
pub unsafe fn PyUnicode_EncodeFSDefault(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !need_str(op) {
            return null_mut();
        }
        match encode_fs(op) {
            Ok(b) => crate::bytesobject::from_bytes(&b),
            Err(()) => null_mut(),
        }
    }
}

/// `PyUnicode_FSConverter`: str (encoded) or bytes to bytes without NUL; a cleanup call
/// (NULL object) releases the result.
#[export]
pub unsafe fn PyUnicode_FSConverter(arg: *mut PyObject, addr: *mut c_void) -> c_int {
    // SAFETY: NULL or a live object and a writable `PyObject **`, per the C API contract.
    unsafe {
        let out = addr.cast::<*mut PyObject>();
        if arg.is_null() {
            crate::refcount::xdecref(*out);
            *out = null_mut();
            return 1;
        }
        let b = if crate::bytesobject::is_bytes(arg) {
            new_ref(arg)
        } else if is_str(arg) {
            match encode_fs(arg) {
                Ok(v) => crate::bytesobject::from_bytes(&v),
                Err(()) => return 0,
            }
        } else {
            let t = crate::object::type_name(ty(arg));
            raise(
                &raw mut EXC_TypeError,
                &format!("expected str, bytes or os.PathLike object, not {t}"),
            );
            return 0;
        };
        if b.is_null() {
            return 0;
        }
        if crate::bytesobject::as_bytes(b).contains(&0) {
            decref(b);
            raise(
                &raw mut crate::pyerrors::EXC_ValueError,
                "embedded null byte",
            );
            return 0;
        }
        *out = b;
        0x20000
    }
}

#[export]
pub unsafe fn PyUnicode_FromObject(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        if is_exact_str(op) {
            return new_ref(op);
        }
        if is_str(op) {
            return from_ucs4(&chars(op));
        }
        let t = crate::object::type_name(ty(op));
        raise(
            &raw mut EXC_TypeError,
            &format!("Can't convert '{t}' object to str implicitly"),
        )
    }
}

#[export]
pub unsafe fn PyUnicode_RichCompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if a.is_null() || b.is_null() {
            return crate::pyerrors::bad_internal_call();
        }
        if !is_str(a) || !is_str(b) || !(0..=5).contains(&op) {
            return iters::not_implemented();
        }
        unicode_richcompare(a, b, op)
    }
}

#[export]
pub unsafe fn PyUnicode_Append(pleft: *mut *mut PyObject, right: *mut PyObject) {
    // SAFETY: `*pleft` an owned reference (or NULL); `right` NULL or live, per the C API.
    unsafe {
        if pleft.is_null() {
            return;
        }
        let left = *pleft;
        if left.is_null() {
            return;
        }
        if right.is_null() || !is_str(left) || !is_str(right) {
            if !right.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            decref(left);
            *pleft = null_mut();
            return;
        }
        let r = PyUnicode_Concat(left, right);
        decref(left);
        *pleft = r;
    }
}

#[export]
pub unsafe fn PyUnicode_AppendAndDel(pleft: *mut *mut PyObject, right: *mut PyObject) {
    // SAFETY: as PyUnicode_Append; `right`'s reference is stolen.
    unsafe {
        PyUnicode_Append(pleft, right);
        crate::refcount::xdecref(right);
    }
}

#[export]
pub unsafe fn PyUnicode_Resize(p: *mut *mut PyObject, length_: Py_ssize_t) -> c_int {
    // SAFETY: `*p` a str the caller owns, per the C API contract.
    unsafe {
        if p.is_null() || (*p).is_null() || !is_str(*p) || length_ < 0 {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let old = *p;
        let mut c = chars(old);
        c.resize(length_ as usize, 0);
        let n = from_ucs4(&c);
        if n.is_null() {
            return -1;
        }
        decref(old);
        *p = n;
        0
    }
}

#[export(unguarded)]
pub fn PyUnicode_GetDefaultEncoding() -> *const c_char {
    c"utf-8".as_ptr()
}

#[export]
pub unsafe fn PyUnicode_IsIdentifier(op: *mut PyObject) -> c_int {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    let start = |u: u32| {
        u == 0x5f
            || char::from_u32(u).is_some_and(|c| {
                matches!(
                    get_general_category(c),
                    G::UppercaseLetter
                        | G::LowercaseLetter
                        | G::TitlecaseLetter
                        | G::ModifierLetter
                        | G::OtherLetter
                        | G::LetterNumber
                )
            })
    };
    let cont = |u: u32| {
        start(u)
            || char::from_u32(u).is_some_and(|c| {
                matches!(
                    get_general_category(c),
                    G::NonspacingMark | G::SpacingMark | G::DecimalNumber | G::ConnectorPunctuation
                )
            })
    };
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if op.is_null() || !is_str(op) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        let c = chars(op);
        c_int::from(!c.is_empty() && start(c[0]) && c[1..].iter().all(|&u| cont(u)))
    }
}

#[export]
pub unsafe fn PyUnicode_KIND(op: *mut PyObject) -> c_int {
    // SAFETY: a live str, per the C API contract.
    unsafe { kind(op) as c_int }
}

#[export]
pub unsafe fn PyUnicode_DATA(op: *mut PyObject) -> *mut c_void {
    // SAFETY: a live str, per the C API contract.
    unsafe { data_ptr(op).cast() }
}

fn rsplit_units(s: &[u32], sep: Option<&[u32]>, maxsplit: Py_ssize_t) -> Vec<Vec<u32>> {
    let max = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let rev: Vec<u32> = s.iter().rev().copied().collect();
    let rsep: Option<Vec<u32>> = sep.map(|p| p.iter().rev().copied().collect());
    let mut parts = split_units(&rev, rsep.as_deref(), max as Py_ssize_t);
    for p in &mut parts {
        p.reverse();
    }
    parts.reverse();
    parts
}

fn str_list(parts: &[Vec<u32>]) -> *mut PyObject {
    let objs: Vec<*mut PyObject> = parts.iter().map(|p| from_ucs4(p)).collect();
    // SAFETY: fresh owned references (NULLs only on memory errors, which the list drops).
    unsafe { crate::listobject::from_vec(objs) }
}

#[export]
pub unsafe fn PyUnicode_RSplit(
    op: *mut PyObject,
    sep: *mut PyObject,
    maxsplit: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: live objects (sep may be NULL or None), per the C API contract.
    unsafe {
        let Ok(sepv) = split_args(op, sep) else {
            return null_mut();
        };
        str_list(&rsplit_units(&chars(op), sepv.as_deref(), maxsplit))
    }
}

#[export]
pub unsafe fn PyUnicode_Splitlines(op: *mut PyObject, keepends: c_int) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !need_str(op) {
            return null_mut();
        }
        let c = chars(op);
        let brk = |u: u32| {
            matches!(
                u,
                0x0a | 0x0b | 0x0c | 0x0d | 0x1c | 0x1d | 0x1e | 0x85 | 0x2028 | 0x2029
            )
        };
        let mut parts = Vec::new();
        let mut i = 0;
        while i < c.len() {
            let st = i;
            while i < c.len() && !brk(c[i]) {
                i += 1;
            }
            let mut eol = i;
            if i < c.len() {
                if c[i] == 0x0d && i + 1 < c.len() && c[i + 1] == 0x0a {
                    i += 2;
                } else {
                    i += 1;
                }
                if keepends != 0 {
                    eol = i;
                }
            }
            parts.push(c[st..eol].to_vec());
        }
        str_list(&parts)
    }
}

unsafe fn partition(op: *mut PyObject, sep: *mut PyObject, from_end: bool) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        if !need_str(op) || !need_str(sep) {
            return null_mut();
        }
        let (c, p) = (chars(op), chars(sep));
        if p.is_empty() {
            return raise(&raw mut crate::pyerrors::EXC_ValueError, "empty separator");
        }
        let parts: [Vec<u32>; 3] = match find_in(&c, &p, from_end) {
            Some(i) => [c[..i].to_vec(), p.clone(), c[i + p.len()..].to_vec()],
            None if from_end => [vec![], vec![], c.clone()],
            None => [c.clone(), vec![], vec![]],
        };
        let objs: Vec<*mut PyObject> = parts.iter().map(|x| from_ucs4(x)).collect();
        let t = crate::tupleobject::from_slice(&objs);
        iters::release_all(objs);
        t
    }
}

#[export]
pub unsafe fn PyUnicode_Partition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe { partition(op, sep, false) }
}

#[export]
pub unsafe fn PyUnicode_RPartition(op: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe { partition(op, sep, true) }
}

// ---- helpers for the C shim (`capi/c/format.c`) --------------------------------------------

/// Appends `text` to a format buffer, honouring width and precision in code points.
fn push_padded(buf: &mut String, text: &str, width: isize, prec: isize) {
    let text: String = if prec >= 0 {
        text.chars().take(prec as usize).collect()
    } else {
        text.to_owned()
    };
    let n = text.chars().count() as isize;
    if width > n {
        buf.extend(std::iter::repeat_n(' ', (width - n) as usize));
    }
    buf.push_str(&text);
}

/// A format buffer owned by Rust while the C shim walks a format string.
pub struct FormatBuffer(String);

#[export(unguarded)]
pub fn _gilgate_fmt_new() -> *mut FormatBuffer {
    Box::into_raw(Box::new(FormatBuffer(String::new())))
}

/// Appends raw bytes (UTF-8; invalid sequences become U+FFFD).
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `p` must point to `n` readable bytes.
#[export(err = ())]
pub unsafe fn _gilgate_fmt_bytes(b: *mut FormatBuffer, p: *const c_char, n: usize) {
    // SAFETY: forwarded contract.
    unsafe {
        let bytes = std::slice::from_raw_parts(p.cast::<u8>(), n);
        (*b).0.push_str(&String::from_utf8_lossy(bytes));
    }
}

/// Appends a C string (`%s`): at most `prec` bytes (-1 = all) decoded as UTF-8 with
/// replacement, padded to `width` characters (-1 = none).
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `s` must be NULL or NUL-terminated (or have at
/// least `prec` readable bytes).
#[export(err = ())]
pub unsafe fn _gilgate_fmt_cstr(b: *mut FormatBuffer, s: *const c_char, width: isize, prec: isize) {
    // SAFETY: forwarded contract.
    unsafe {
        let t = if s.is_null() {
            "(null)".into()
        } else {
            let n = if prec >= 0 {
                libc::strnlen(s, prec as usize)
            } else {
                libc::strlen(s)
            };
            String::from_utf8_lossy(std::slice::from_raw_parts(s.cast::<u8>(), n)).into_owned()
        };
        push_padded(&mut (*b).0, &t, width, -1);
    }
}

/// Appends an object-valued unit: `conv` is b'U' (str as is), b'S' (str()), b'R' (repr()),
/// b'A' (ascii()), b'V' (the object if not NULL, else `fallback`), b'T' (the object's type's
/// fully qualified name), b'N' (a type's fully qualified name); 0x100 added to b'T' or b'N' is
/// the `#` flag (`:` between module and name). Returns -1 with an
/// exception set on failure.
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new`; `obj` NULL or live; `fallback` NULL or
/// NUL-terminated.
#[export(err = -1)]
pub unsafe fn _gilgate_fmt_object(
    b: *mut FormatBuffer,
    conv: c_int,
    obj: *mut PyObject,
    fallback: *const c_char,
    width: isize,
    prec: isize,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let conv_char = conv & 0xff;
        if conv_char == c_int::from(b'V') && obj.is_null() {
            _gilgate_fmt_cstr(b, fallback, width, prec);
            return 0;
        }
        if obj.is_null() {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        // bit 8 of `conv`: the `#` flag (`%#T`, `%#N` join module and name with `:`)
        let sep = if conv & 0x100 != 0 { ':' } else { '.' };
        let s = match conv as u8 {
            b'T' => from_str(&crate::object::fully_qualified_name(ty(obj), sep)),
            b'N' if crate::object::is_type(obj) => {
                from_str(&crate::object::fully_qualified_name(obj.cast(), sep))
            }
            b'N' => {
                raise(&raw mut EXC_TypeError, "%N argument must be a type");
                return -1;
            }
            b'U' | b'V' => new_ref(obj),
            b'S' => crate::object::str(obj),
            _ => crate::object::repr(obj),
        };
        if s.is_null() {
            return -1;
        }
        let mut text = as_str(s).unwrap_or("").to_owned();
        decref(s);
        if conv as u8 == b'A' {
            text = text
                .chars()
                .map(|c| match c as u32 {
                    0..0x80 => c.to_string(),
                    n @ 0x80..0x100 => format!("\\x{n:02x}"),
                    n @ 0x100..0x10000 => format!("\\u{n:04x}"),
                    n => format!("\\U{n:08x}"),
                })
                .collect();
        }
        push_padded(&mut (*b).0, &text, width, prec);
        0
    }
}

/// A str made from `n` ASCII bytes gathered by the C shim (its fast path: no buffer).
///
/// # Safety
/// `p` must point to `n` readable bytes, all below 0x80.
#[export(err = null_mut())]
pub unsafe fn _gilgate_fmt_ascii(p: *const c_char, n: usize) -> *mut PyObject {
    // SAFETY: forwarded contract (ASCII is valid UTF-8).
    let bytes = if n == 0 {
        &[][..]
    } else {
        // SAFETY: `p` points at `n` readable bytes (checked non-empty).
        unsafe { std::slice::from_raw_parts(p.cast::<u8>(), n) }
    };
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        from_str(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        from_str(&String::from_utf8_lossy(bytes))
    }
}

/// Turns the buffer into a str (new reference) and frees it. `fail` != 0 only frees it.
///
/// # Safety
/// `b` must come from `_gilgate_fmt_new` and not be used again.
#[export(err = null_mut())]
pub unsafe fn _gilgate_fmt_finish(b: *mut FormatBuffer, fail: c_int) -> *mut PyObject {
    // SAFETY: forwarded contract; the box was made by `_gilgate_fmt_new`.
    let buf = unsafe { Box::from_raw(b) };
    if fail != 0 {
        return null_mut();
    }
    from_str(&buf.0)
}

// Character classification behind the `Py_UNICODE_IS*`/`TO*` macros. Python's definitions:
// whitespace = bidi class WS/B/S or category Zs (White_Space plus U+001C..U+001F),
// lower/upper = the Lowercase/Uppercase derived properties, alpha = categories Lu Ll Lt Lm Lo,
// line breaks = the characters `str.splitlines()` splits on; the case mappings are the
// simple ones (the first character of a longer special-casing mapping, as CPython does).

/// `ch` as a `char`, if it is a scalar value (surrogates classify as nothing).
fn scalar(ch: u32) -> Option<char> {
    char::from_u32(ch)
}

/// Whether `ch` is a character `str.isalpha()` accepts.
pub(crate) fn is_alpha(ch: u32) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    scalar(ch).is_some_and(|c| {
        matches!(
            get_general_category(c),
            G::UppercaseLetter
                | G::LowercaseLetter
                | G::TitlecaseLetter
                | G::ModifierLetter
                | G::OtherLetter
        )
    })
}

/// Whether `ch` is one of the characters `str.splitlines()` breaks at.
pub(crate) fn is_linebreak(ch: u32) -> bool {
    matches!(
        ch,
        0x0a | 0x0b | 0x0c | 0x0d | 0x1c | 0x1d | 0x1e | 0x85 | 0x2028 | 0x2029
    )
}

/// The first character of `ch`'s mapping under `map`, or `ch` itself.
fn simple_case(ch: u32, map: impl FnOnce(char) -> Option<char>) -> u32 {
    scalar(ch).and_then(map).map_or(ch, u32::from)
}

#[export]
pub fn _PyUnicode_IsWhitespace(ch: u32) -> c_int {
    // U+001C..U+001F are separators (bidi B/S) that White_Space leaves out.
    c_int::from((0x1c..=0x1f).contains(&ch) || scalar(ch).is_some_and(char::is_whitespace))
}

#[export]
pub fn _PyUnicode_IsLinebreak(ch: u32) -> c_int {
    c_int::from(is_linebreak(ch))
}

#[export]
pub fn _PyUnicode_IsLowercase(ch: u32) -> c_int {
    c_int::from(scalar(ch).is_some_and(char::is_lowercase))
}

#[export]
pub fn _PyUnicode_IsUppercase(ch: u32) -> c_int {
    c_int::from(scalar(ch).is_some_and(char::is_uppercase))
}

#[export]
pub fn _PyUnicode_IsAlpha(ch: u32) -> c_int {
    c_int::from(is_alpha(ch))
}

#[export(err = ch)]
pub fn _PyUnicode_ToLowercase(ch: u32) -> u32 {
    simple_case(ch, |c| c.to_lowercase().next())
}

#[export(err = ch)]
pub fn _PyUnicode_ToUppercase(ch: u32) -> u32 {
    simple_case(ch, |c| c.to_uppercase().next())
}

// The string builders (`PyUnicodeWriter_*`, `_PyUnicodeWriter_*`).
pub(crate) mod format;
pub(crate) mod locale;
pub(crate) mod methods;
pub(crate) mod utf16_32;
pub(crate) mod writer;

/// `PyOS_FSPath` (CPython's `Modules/posixmodule.c`, `os.fspath`): str and bytes as they
/// are, else the result of the type's `__fspath__`, which must be str or bytes.
#[export]
pub unsafe fn PyOS_FSPath(path: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if is_str(path) || crate::bytesobject::is_bytes(path) {
            return new_ref(path);
        }
        let t = ty(path);
        let descr = crate::object::type_lookup_ref(t, intern("__fspath__"));
        if descr.is_null() {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "expected str, bytes or os.PathLike object, not {:.200}",
                    crate::object::type_name(t)
                ),
            );
        }
        let f = match (*ty(descr)).tp_descr_get {
            Some(get) => crate::extcall::ternary(get, descr, path, t.cast()),
            None => new_ref(descr),
        };
        decref(descr);
        if f.is_null() {
            return f;
        }
        let r = crate::abstract_::call_args(f, &[]);
        decref(f);
        if r.is_null() || is_str(r) || crate::bytesobject::is_bytes(r) {
            return r;
        }
        let msg = format!(
            "expected {:.200}.__fspath__() to return str or bytes, not {:.200}",
            crate::object::type_name(t),
            crate::object::type_name(ty(r))
        );
        decref(r);
        raise(&raw mut EXC_TypeError, &msg)
    }
}

/// `PyUnicode_FromEncodedObject`: decodes a bytes-like object (str is refused).
#[export]
pub unsafe fn PyUnicode_FromEncodedObject(
    obj: *mut PyObject,
    encoding: *const c_char,
    errors: *const c_char,
) -> *mut PyObject {
    if obj.is_null() {
        return crate::pyerrors::bad_internal_call();
    }
    // SAFETY: a live object and NULL or C strings, per the C API contract.
    unsafe {
        if is_str(obj) {
            return raise(&raw mut EXC_TypeError, "decoding str is not supported");
        }
        let mut view: crate::object::Py_buffer = std::mem::zeroed();
        if !crate::pybuffer::check_buffer(obj) || crate::pybuffer::get_buffer(obj, &mut view, 0) < 0
        {
            crate::pyerrors::clear();
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "decoding to str: need a bytes-like object, {:.80} found",
                    crate::object::type_name(ty(obj))
                ),
            );
        }
        let data: &[u8] = if view.len > 0 {
            std::slice::from_raw_parts(view.buf.cast(), view.len as usize)
        } else {
            &[]
        };
        let r = match (codec_arg(encoding), parse_errors(errors)) {
            (Ok(codec), Ok(e)) if data.is_empty() => {
                let _ = (codec, e);
                from_str("")
            }
            (Ok(codec), Ok(e)) => decode_with(codec, data, e),
            _ => null_mut(),
        };
        crate::pybuffer::release(&mut view);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_layout_and_text() {
        let s = from_str("hello");
        // SAFETY: `s` is a fresh str.
        unsafe {
            let a = s.cast::<PyASCIIObject>();
            assert_eq!((*a).length, 5);
            let state_bytes = (*a).state.to_le_bytes();
            assert_eq!(state_bytes[0], 0);
            assert_eq!(state_bytes[1] & 7, 1, "kind");
            assert_ne!(state_bytes[1] & 8, 0, "compact");
            assert_ne!(state_bytes[1] & 16, 0, "ascii");
            let data = s.cast::<u8>().add(56);
            assert_eq!(std::slice::from_raw_parts(data, 6), b"hello\0");
            assert_eq!(as_str(s), Some("hello"));
            decref(s);
        }
    }

    #[test]
    fn non_ascii_kinds_and_utf8() {
        for (text, kind) in [("caf\u{e9}", 1u8), ("\u{3b1}\u{3b2}", 2), ("\u{1f600}x", 4)] {
            let s = from_str(text);
            // SAFETY: `s` is a fresh str.
            unsafe {
                let st = (*s.cast::<PyASCIIObject>()).state.to_le_bytes();
                assert_eq!(st[1] & 7, kind);
                assert_eq!(st[1] & 16, 0);
                assert_eq!(as_str(s), Some(text));
                let data = s.cast::<u8>().add(72);
                let first = match kind {
                    1 => u32::from(*data),
                    2 => u32::from(data.cast::<u16>().read_unaligned()),
                    _ => data.cast::<u32>().read_unaligned(),
                };
                assert_eq!(first, text.chars().next().unwrap() as u32);
                decref(s);
            }
        }
    }

    #[test]
    fn interning_returns_one_immortal_object() {
        let a = intern("gilgate_name");
        let b = intern("gilgate_name");
        assert_eq!(a, b);
        // SAFETY: interned strings are immortal.
        unsafe { assert!(crate::refcount::is_immortal(a)) };
    }

    #[test]
    fn repr_quotes() {
        assert_eq!(repr_text("a'b"), "\"a'b\"");
        assert_eq!(repr_text("a\nb"), "'a\\nb'");
    }
}
