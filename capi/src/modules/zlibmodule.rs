//! gilgate's own `zlib` module (CPython's `Modules/zlibmodule.c`): `compress`, `decompress`,
//! `compressobj`, `decompressobj` (the `zlib.Compress` and `zlib.Decompress` objects with their
//! methods, `unused_data`, `unconsumed_tail` and `eof`), `crc32`, `adler32`, the constants and
//! `error`, with CPython's arguments, results and messages.
//!
//! The compressor is zlib itself (the `libz-sys` crate, built from its bundled source and linked
//! statically with hidden symbols, so an extension's own zlib is never interposed), so the
//! compressed bytes are the ones CPython's zlib gives at the same settings. `ZLIB_VERSION` and
//! `ZLIB_RUNTIME_VERSION` are both the version of that zlib (`zlibVersion()`): gilgate is built
//! and run with the same one. Output buffers grow in the block sizes CPython's use, so how much
//! input a `max_length`-limited `decompress` leaves in `unconsumed_tail` matches too.

use crate::binascii::parse_args;
use crate::longobject::method;
use crate::methodobject::{METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_Exception, EXC_MemoryError, EXC_ValueError, raise};
use crate::refcount::decref;
use libz_sys as z;
use std::ffi::{CStr, c_int, c_void};
use std::ptr::null_mut;
use std::sync::{Mutex, MutexGuard, OnceLock};

const MAX_WBITS: c_int = 15;
const DEF_MEM_LEVEL: c_int = 8;
const DEF_BUF_SIZE: isize = 16 * 1024;

/// Addresses of the module and its `error` class (created once, kept for the process).
static MODULE: OnceLock<usize> = OnceLock::new();
/// The addresses of the `error` class, set by `build`.
static PARTS: OnceLock<usize> = OnceLock::new();

/// Raises `zlib.error(msg)`.
fn raise_zerror(msg: &str) -> *mut PyObject {
    module();
    let e = PARTS.get().map_or(null_mut(), |&e| e as *mut PyObject);
    if e.is_null() {
        return null_mut();
    }
    let m = crate::unicodeobject::from_str(msg);
    // SAFETY: `e` is the live error class; `m` a new str (the call keeps what it needs).
    unsafe {
        crate::pyerrors::set_object(e, m);
        crate::refcount::xdecref(m);
    }
    null_mut()
}

/// Raises `zlib.error` for zlib's return code `err` during `what`, with zlib's message for the
/// stream when it has one (CPython's texts).
fn zlib_error(zst: &z::z_stream, err: c_int, what: &str) -> *mut PyObject {
    let own = if zst.msg.is_null() {
        None
    } else {
        // SAFETY: zlib's messages are static NUL-terminated strings.
        Some(
            unsafe { CStr::from_ptr(zst.msg) }
                .to_string_lossy()
                .into_owned(),
        )
    };
    let text = if err == z::Z_VERSION_ERROR {
        Some("library version mismatch".to_string())
    } else {
        own.or_else(|| {
            match err {
                z::Z_BUF_ERROR => Some("incomplete or truncated stream"),
                z::Z_STREAM_ERROR => Some("inconsistent stream state"),
                z::Z_DATA_ERROR => Some("invalid input data"),
                _ => None,
            }
            .map(str::to_string)
        })
    };
    match text {
        Some(t) => raise_zerror(&format!("Error {err} {what}: {t}")),
        None => raise_zerror(&format!("Error {err} {what}")),
    }
}

unsafe extern "C" fn z_alloc(_: z::voidpf, items: z::uInt, size: z::uInt) -> z::voidpf {
    // SAFETY: calloc takes any sizes and returns NULL when it cannot allocate.
    unsafe { libc::calloc(items as usize, size as usize) }
}

unsafe extern "C" fn z_free(_: z::voidpf, p: z::voidpf) {
    // SAFETY: `p` came from `z_alloc`.
    unsafe { libc::free(p) }
}

/// A fresh stream for `deflateInit2_`/`inflateInit2_` (boxed: zlib's state points back at it,
/// so it never moves).
fn new_stream() -> Box<z::z_stream> {
    Box::new(z::z_stream {
        next_in: null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: null_mut(),
        state: null_mut(),
        zalloc: z_alloc,
        zfree: z_free,
        opaque: null_mut(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

fn stream_size() -> c_int {
    std::mem::size_of::<z::z_stream>() as c_int
}

/// # Safety
/// `zst` must be a stream made by `new_stream` and not initialised.
unsafe fn deflate_init(
    zst: &mut z::z_stream,
    level: c_int,
    method: c_int,
    wbits: c_int,
    mem_level: c_int,
    strategy: c_int,
) -> c_int {
    // SAFETY: forwarded contract; the version string is zlib's own.
    unsafe {
        z::deflateInit2_(
            zst,
            level,
            method,
            wbits,
            mem_level,
            strategy,
            z::zlibVersion(),
            stream_size(),
        )
    }
}

/// # Safety
/// `zst` must be a stream made by `new_stream` and not initialised.
unsafe fn inflate_init(zst: &mut z::z_stream, wbits: c_int) -> c_int {
    // SAFETY: forwarded contract; the version string is zlib's own.
    unsafe { z::inflateInit2_(zst, wbits, z::zlibVersion(), stream_size()) }
}

/// The block sizes CPython's output buffers grow by (`_BlockOutputBuffer`).
const BLOCKS: [usize; 17] = [
    32 << 10,
    64 << 10,
    256 << 10,
    1 << 20,
    4 << 20,
    8 << 20,
    16 << 20,
    16 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    64 << 20,
    64 << 20,
    128 << 20,
    128 << 20,
    256 << 20,
];

/// An output buffer growing block by block up to an optional limit.
struct Out {
    buf: Vec<u8>,
    blocks: usize,
    limit: usize,
}

impl Out {
    /// A buffer whose first block holds `first` bytes (clipped to `limit`).
    fn new(first: usize, limit: usize) -> Out {
        Out {
            buf: vec![0; first.min(limit)],
            blocks: 1,
            limit,
        }
    }

    /// Points the stream's output at the free part of the buffer, adding a block when it is
    /// full; false when the limit is reached.
    fn arrange(&mut self, zst: &mut z::z_stream) -> bool {
        let filled = self.filled(zst);
        if filled == self.buf.len() {
            if self.buf.len() >= self.limit {
                return false;
            }
            let block = BLOCKS.get(self.blocks).copied().unwrap_or(256 << 20);
            let block = block.min(self.limit - self.buf.len());
            self.buf.resize(self.buf.len() + block, 0);
            self.blocks += 1;
        }
        let free = (self.buf.len() - filled).min(u32::MAX as usize);
        // SAFETY: `filled` is within the buffer.
        zst.next_out = unsafe { self.buf.as_mut_ptr().add(filled) };
        zst.avail_out = free as z::uInt;
        true
    }

    fn filled(&self, zst: &z::z_stream) -> usize {
        if zst.next_out.is_null() {
            return 0;
        }
        // SAFETY: `next_out` points into `buf` (set by `arrange`, advanced by zlib within it).
        unsafe { zst.next_out.offset_from(self.buf.as_ptr()) as usize }
    }

    fn finish(mut self, zst: &mut z::z_stream) -> *mut PyObject {
        let n = self.filled(zst);
        zst.next_out = null_mut();
        zst.avail_out = 0;
        self.buf.truncate(n);
        crate::bytesobject::from_bytes(&self.buf)
    }
}

/// Points the stream's input at `data` (gilgate passes inputs below 4 GiB whole).
fn arrange_input(zst: &mut z::z_stream, data: &[u8]) -> bool {
    let Ok(n) = z::uInt::try_from(data.len()) else {
        crate::pyerrors::no_memory();
        return false;
    };
    zst.next_in = data.as_ptr().cast_mut();
    zst.avail_in = n;
    true
}

/// How much of `data` the stream has consumed.
fn consumed(zst: &z::z_stream, data: &[u8]) -> usize {
    if zst.next_in.is_null() {
        return data.len();
    }
    // SAFETY: `next_in` points into `data` (set by `arrange_input`, advanced within it).
    unsafe { zst.next_in.cast_const().offset_from(data.as_ptr()) as usize }
}

/// A C `int` argument (CPython's `int` converter), or the default when absent.
///
/// # Safety
/// `o` must be NULL or live.
unsafe fn int_arg(o: *mut PyObject, default: c_int) -> Option<c_int> {
    if o.is_null() {
        return Some(default);
    }
    // SAFETY: forwarded contract.
    let v = unsafe { crate::longobject::PyLong_AsInt(o) };
    if v == -1 && crate::pyerrors::occurred() {
        return None;
    }
    Some(v)
}

/// A `Py_ssize_t` argument (through `__index__`), or the default when absent.
///
/// # Safety
/// `o` must be NULL or live.
unsafe fn ssize_arg(o: *mut PyObject, default: isize) -> Option<isize> {
    if o.is_null() {
        return Some(default);
    }
    // SAFETY: forwarded contract.
    unsafe {
        let i = crate::abstract_::PyNumber_Index(o);
        if i.is_null() {
            return None;
        }
        let v = crate::longobject::PyLong_AsSsize_t(i);
        decref(i);
        if v == -1 && crate::pyerrors::occurred() {
            return None;
        }
        Some(v)
    }
}

/// An `unsigned int` argument taken modulo 2**32 (CPython's `bitwise=True` converter).
///
/// # Safety
/// `o` must be NULL or live.
unsafe fn u32_arg(o: *mut PyObject, default: u32) -> Option<u32> {
    if o.is_null() {
        return Some(default);
    }
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::longobject::is_int(o) {
            let i = crate::abstract_::PyNumber_Index(o);
            if i.is_null() {
                return None;
            }
            let v = crate::longobject::PyLong_AsUnsignedLongMask(i);
            decref(i);
            return Some(v as u32);
        }
        let v = crate::longobject::PyLong_AsUnsignedLongMask(o);
        if v == u64::MAX && crate::pyerrors::occurred() {
            return None;
        }
        Some(v as u32)
    }
}

/// # Safety
/// `o` must be live.
unsafe fn data_arg(o: *mut PyObject) -> Option<Vec<u8>> {
    // SAFETY: forwarded contract.
    unsafe { crate::bytesobject::bytes_like(o) }
}

fn guard(name: &'static str, f: impl FnOnce() -> *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard(name, null_mut(), f)
}

// --- module functions ---

unsafe extern "C" fn zlib_compress(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.compress", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_args("compress", args, kw, &["data", "level", "wbits"], 1, 1)
            else {
                return null_mut();
            };
            let Some(data) = data_arg(a[0]) else {
                return null_mut();
            };
            let Some(level) = int_arg(a[1], z::Z_DEFAULT_COMPRESSION) else {
                return null_mut();
            };
            let Some(wbits) = int_arg(a[2], MAX_WBITS) else {
                return null_mut();
            };
            compress_all(&data, level, wbits)
        }
    })
}

fn compress_all(data: &[u8], level: c_int, wbits: c_int) -> *mut PyObject {
    let mut zst = new_stream();
    // SAFETY: a fresh stream.
    let err = unsafe {
        deflate_init(
            &mut zst,
            level,
            z::Z_DEFLATED,
            wbits,
            DEF_MEM_LEVEL,
            z::Z_DEFAULT_STRATEGY,
        )
    };
    match err {
        z::Z_OK => {}
        z::Z_MEM_ERROR => {
            return raise(
                &raw mut EXC_MemoryError,
                "Out of memory while compressing data",
            );
        }
        z::Z_STREAM_ERROR => return raise_zerror("Bad compression level"),
        _ => {
            // SAFETY: the stream was (partly) initialised by zlib.
            unsafe { z::deflateEnd(&mut *zst) };
            return zlib_error(&zst, err, "while compressing data");
        }
    }
    let mut out = Out::new(BLOCKS[0], usize::MAX);
    if !arrange_input(&mut zst, data) {
        // SAFETY: an initialised stream.
        unsafe { z::deflateEnd(&mut *zst) };
        return null_mut();
    }
    loop {
        out.arrange(&mut zst);
        // SAFETY: an initialised stream whose buffers point into `data` and `out`.
        let err = unsafe { z::deflate(&mut *zst, z::Z_FINISH) };
        if err == z::Z_STREAM_ERROR {
            // SAFETY: an initialised stream.
            unsafe { z::deflateEnd(&mut *zst) };
            return zlib_error(&zst, err, "while compressing data");
        }
        if zst.avail_out != 0 {
            break;
        }
    }
    // SAFETY: an initialised stream.
    let err = unsafe { z::deflateEnd(&mut *zst) };
    if err != z::Z_OK {
        return zlib_error(&zst, err, "while finishing compression");
    }
    out.finish(&mut zst)
}

unsafe extern "C" fn zlib_decompress(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.decompress", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_args("decompress", args, kw, &["data", "wbits", "bufsize"], 1, 1)
            else {
                return null_mut();
            };
            let Some(data) = data_arg(a[0]) else {
                return null_mut();
            };
            let Some(wbits) = int_arg(a[1], MAX_WBITS) else {
                return null_mut();
            };
            let Some(bufsize) = ssize_arg(a[2], DEF_BUF_SIZE) else {
                return null_mut();
            };
            if bufsize < 0 {
                return raise(&raw mut EXC_ValueError, "bufsize must be non-negative");
            }
            decompress_all(&data, wbits, bufsize.max(1) as usize)
        }
    })
}

fn decompress_all(data: &[u8], wbits: c_int, bufsize: usize) -> *mut PyObject {
    let mut zst = new_stream();
    let mut out = Out::new(bufsize, usize::MAX);
    // SAFETY: a fresh stream.
    let err = unsafe { inflate_init(&mut zst, wbits) };
    match err {
        z::Z_OK => {}
        z::Z_MEM_ERROR => {
            return raise(
                &raw mut EXC_MemoryError,
                "Out of memory while decompressing data",
            );
        }
        _ => {
            // SAFETY: the stream was (partly) initialised by zlib.
            unsafe { z::inflateEnd(&mut *zst) };
            return zlib_error(&zst, err, "while preparing to decompress data");
        }
    }
    if !arrange_input(&mut zst, data) {
        // SAFETY: an initialised stream.
        unsafe { z::inflateEnd(&mut *zst) };
        return null_mut();
    }
    let mut err;
    loop {
        out.arrange(&mut zst);
        // SAFETY: an initialised stream whose buffers point into `data` and `out`.
        err = unsafe { z::inflate(&mut *zst, z::Z_FINISH) };
        match err {
            z::Z_OK | z::Z_BUF_ERROR | z::Z_STREAM_END => {}
            z::Z_MEM_ERROR => {
                // SAFETY: an initialised stream.
                unsafe { z::inflateEnd(&mut *zst) };
                return raise(
                    &raw mut EXC_MemoryError,
                    "Out of memory while decompressing data",
                );
            }
            _ => {
                // SAFETY: an initialised stream.
                unsafe { z::inflateEnd(&mut *zst) };
                return zlib_error(&zst, err, "while decompressing data");
            }
        }
        if zst.avail_out != 0 {
            break;
        }
    }
    if err != z::Z_STREAM_END {
        // SAFETY: an initialised stream.
        unsafe { z::inflateEnd(&mut *zst) };
        return zlib_error(&zst, err, "while decompressing data");
    }
    // SAFETY: an initialised stream.
    let err = unsafe { z::inflateEnd(&mut *zst) };
    if err != z::Z_OK {
        return zlib_error(&zst, err, "while finishing decompression");
    }
    out.finish(&mut zst)
}

/// The `zdict` argument: its bytes, or None with TypeError when it is not a buffer.
///
/// # Safety
/// `o` must be live.
unsafe fn zdict_arg(o: *mut PyObject) -> Option<Vec<u8>> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::unicodeobject::is_str(o) {
            raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "zdict argument must support the buffer protocol",
            );
            return None;
        }
        match crate::bytesobject::bytes_like(o) {
            Some(v) => Some(v),
            None => {
                crate::pyerrors::clear();
                raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    "zdict argument must support the buffer protocol",
                );
                None
            }
        }
    }
}

unsafe extern "C" fn zlib_compressobj(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.compressobj", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let names = ["level", "method", "wbits", "memLevel", "strategy", "zdict"];
            let Some(a) = parse_args("compressobj", args, kw, &names, 0, 0) else {
                return null_mut();
            };
            let Some(level) = int_arg(a[0], z::Z_DEFAULT_COMPRESSION) else {
                return null_mut();
            };
            let Some(method) = int_arg(a[1], z::Z_DEFLATED) else {
                return null_mut();
            };
            let Some(wbits) = int_arg(a[2], MAX_WBITS) else {
                return null_mut();
            };
            let Some(mem_level) = int_arg(a[3], DEF_MEM_LEVEL) else {
                return null_mut();
            };
            let Some(strategy) = int_arg(a[4], z::Z_DEFAULT_STRATEGY) else {
                return null_mut();
            };
            let zdict = if a[5].is_null() {
                None
            } else {
                match data_arg(a[5]) {
                    Some(v) => Some(v),
                    None => return null_mut(),
                }
            };
            let mut zst = new_stream();
            let err = deflate_init(&mut zst, level, method, wbits, mem_level, strategy);
            match err {
                z::Z_OK => {}
                z::Z_MEM_ERROR => {
                    return raise(
                        &raw mut EXC_MemoryError,
                        "Can't allocate memory for compression object",
                    );
                }
                z::Z_STREAM_ERROR => {
                    return raise(&raw mut EXC_ValueError, "Invalid initialization option");
                }
                _ => {
                    z::deflateEnd(&mut *zst);
                    return zlib_error(&zst, err, "while creating compression object");
                }
            }
            if let Some(d) = &zdict {
                let err = match z::uInt::try_from(d.len()) {
                    Ok(n) => z::deflateSetDictionary(&mut *zst, d.as_ptr(), n),
                    Err(_) => z::Z_STREAM_ERROR,
                };
                if err != z::Z_OK {
                    z::deflateEnd(&mut *zst);
                    return raise(&raw mut EXC_ValueError, "Invalid dictionary");
                }
            }
            new_object(&raw mut Compress_Type, Stream::new(zst, false, None))
        }
    })
}

unsafe extern "C" fn zlib_decompressobj(
    _m: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.decompressobj", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS contract: a tuple and NULL or a dict.
        unsafe {
            let Some(a) = parse_args("decompressobj", args, kw, &["wbits", "zdict"], 0, 0) else {
                return null_mut();
            };
            let Some(wbits) = int_arg(a[0], MAX_WBITS) else {
                return null_mut();
            };
            let zdict = if a[1].is_null() {
                None
            } else {
                match zdict_arg(a[1]) {
                    Some(v) => Some(v),
                    None => return null_mut(),
                }
            };
            let mut zst = new_stream();
            let err = inflate_init(&mut zst, wbits);
            match err {
                z::Z_OK => {}
                z::Z_STREAM_ERROR => {
                    return raise(&raw mut EXC_ValueError, "Invalid initialization option");
                }
                z::Z_MEM_ERROR => {
                    return raise(
                        &raw mut EXC_MemoryError,
                        "Can't allocate memory for decompression object",
                    );
                }
                _ => {
                    z::inflateEnd(&mut *zst);
                    return zlib_error(&zst, err, "while creating decompression object");
                }
            }
            let mut s = Stream::new(zst, true, zdict);
            if wbits < 0 && s.zdict.is_some() && !s.set_inflate_zdict() {
                return null_mut();
            }
            new_object(&raw mut Decompress_Type, s)
        }
    })
}

unsafe extern "C" fn zlib_crc32(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    guard("zlib.crc32", || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe { checksum("crc32", args, 0, |c, d| crate::binascii::crc32(d, c)) }
    })
}

unsafe extern "C" fn zlib_adler32(_m: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    guard("zlib.adler32", || {
        // SAFETY: METH_VARARGS contract: a tuple.
        unsafe {
            checksum("adler32", args, 1, |c, d| {
                let mut v = u64::from(c);
                for chunk in d.chunks(1 << 30) {
                    // SAFETY: a valid slice below 4 GiB.
                    v = z::adler32(v as z::uLong, chunk.as_ptr(), chunk.len() as z::uInt);
                }
                v as u32
            })
        }
    })
}

/// # Safety
/// `args` must be a tuple.
unsafe fn checksum(
    name: &str,
    args: *mut PyObject,
    start: u32,
    f: impl Fn(u32, &[u8]) -> u32,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::tupleobject::items(args);
        if pos.is_empty() || pos.len() > 2 {
            let msg = if pos.is_empty() {
                format!("{name} expected at least 1 argument, got 0")
            } else {
                format!("{name} expected at most 2 arguments, got {}", pos.len())
            };
            return raise(&raw mut crate::pyerrors::EXC_TypeError, &msg);
        }
        let Some(data) = data_arg(pos[0]) else {
            return null_mut();
        };
        let Some(v) = u32_arg(pos.get(1).copied().unwrap_or(null_mut()), start) else {
            return null_mut();
        };
        crate::longobject::from_i64(i64::from(f(v, &data)))
    }
}

// --- the Compress and Decompress objects ---

/// A compression or decompression stream and what CPython keeps beside it.
struct Stream {
    zst: Box<z::z_stream>,
    /// An inflate stream (else a deflate one).
    inflate: bool,
    initialised: bool,
    eof: bool,
    unused_data: Vec<u8>,
    unconsumed_tail: Vec<u8>,
    zdict: Option<Vec<u8>>,
}

// SAFETY: the stream's pointers are zlib's own state (owned by this value) or point into
// buffers only while a call holds the lock; nothing is tied to a thread.
unsafe impl Send for Stream {}

impl Stream {
    fn new(zst: Box<z::z_stream>, inflate: bool, zdict: Option<Vec<u8>>) -> Stream {
        Stream {
            zst,
            inflate,
            initialised: true,
            eof: false,
            unused_data: Vec::new(),
            unconsumed_tail: Vec::new(),
            zdict,
        }
    }

    fn set_inflate_zdict(&mut self) -> bool {
        let d = self.zdict.as_deref().unwrap_or_default();
        let Ok(n) = z::uInt::try_from(d.len()) else {
            raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                "zdict length does not fit in an unsigned int",
            );
            return false;
        };
        // SAFETY: an initialised inflate stream and a valid slice.
        let err = unsafe { z::inflateSetDictionary(&mut *self.zst, d.as_ptr(), n) };
        if err != z::Z_OK {
            zlib_error(&self.zst, err, "while setting zdict");
            return false;
        }
        true
    }

    /// CPython's `save_unconsumed_input`: input after the end of the stream goes to
    /// `unused_data`, input not yet consumed to `unconsumed_tail`.
    fn save_unconsumed(&mut self, data: &[u8], err: c_int) {
        let used = consumed(&self.zst, data);
        if err == z::Z_STREAM_END {
            if used < data.len() {
                self.unused_data.extend_from_slice(&data[used..]);
            }
            self.zst.avail_in = 0;
        }
        let left = self.zst.avail_in as usize;
        if left > 0 || !self.unconsumed_tail.is_empty() {
            self.unconsumed_tail = data[used..used + left].to_vec();
        }
        self.zst.next_in = null_mut();
        self.zst.avail_in = 0;
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if self.initialised {
            // SAFETY: an initialised stream of this kind, ended once.
            unsafe {
                if self.inflate {
                    z::inflateEnd(&mut *self.zst);
                } else {
                    z::deflateEnd(&mut *self.zst);
                }
            }
        }
    }
}

/// A `zlib.Compress` or `zlib.Decompress` object.
#[repr(C)]
struct ZObject {
    ob_base: PyObject,
    stream: *mut Mutex<Stream>,
}

fn new_object(t: *mut PyTypeObject, s: Stream) -> *mut PyObject {
    // SAFETY: `t` is one of this module's ready static types, sized for a ZObject.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return null_mut();
        }
        (*op.cast::<ZObject>()).stream = Box::into_raw(Box::new(Mutex::new(s)));
        op
    }
}

/// The object's stream, locked (CPython holds the object's lock for each call).
///
/// # Safety
/// `op` must be a live Compress or Decompress object.
unsafe fn lock<'a>(op: *mut PyObject) -> MutexGuard<'a, Stream> {
    // SAFETY: forwarded contract: the stream lives as long as the object.
    let m = unsafe { &*(*op.cast::<ZObject>()).stream };
    if let Ok(g) = m.try_lock() {
        return g;
    }
    // another thread works on this object: wait detached, as every wait in the runtime does
    let ts = crate::ceval::detach();
    let g = m.lock().unwrap_or_else(|e| e.into_inner());
    crate::ceval::attach(ts);
    g
}

unsafe extern "C" fn zobject_dealloc(op: *mut PyObject) {
    // SAFETY: a dead Compress or Decompress object (slot contract): its stream is owned.
    unsafe {
        let p = (*op.cast::<ZObject>()).stream;
        if !p.is_null() {
            drop(Box::from_raw(p));
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn comp_compress(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.Compress.compress", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS on a Compress object.
        unsafe {
            let Some(a) = parse_args("compress", args, kw, &["data"], 1, 1) else {
                return null_mut();
            };
            let Some(data) = data_arg(a[0]) else {
                return null_mut();
            };
            let mut s = lock(op);
            let zst = &mut *s.zst;
            let mut out = Out::new(BLOCKS[0], usize::MAX);
            if !arrange_input(zst, &data) {
                return null_mut();
            }
            loop {
                out.arrange(zst);
                let err = z::deflate(zst, z::Z_NO_FLUSH);
                if err == z::Z_STREAM_ERROR {
                    zst.next_in = null_mut();
                    zst.avail_in = 0;
                    return zlib_error(zst, err, "while compressing data");
                }
                if zst.avail_out != 0 {
                    break;
                }
            }
            zst.next_in = null_mut();
            zst.avail_in = 0;
            out.finish(zst)
        }
    })
}

unsafe extern "C" fn comp_flush(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.Compress.flush", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS on a Compress object.
        unsafe {
            let Some(a) = parse_args("flush", args, kw, &["mode"], 1, 0) else {
                return null_mut();
            };
            let Some(mode) = int_arg(a[0], z::Z_FINISH) else {
                return null_mut();
            };
            if mode == z::Z_NO_FLUSH {
                return crate::bytesobject::from_bytes(b"");
            }
            let mut s = lock(op);
            let mut out = Out::new(BLOCKS[0], usize::MAX);
            s.zst.next_in = null_mut();
            s.zst.avail_in = 0;
            let mut err;
            loop {
                out.arrange(&mut s.zst);
                err = z::deflate(&mut *s.zst, mode);
                if err == z::Z_STREAM_ERROR {
                    return zlib_error(&s.zst, err, "while flushing");
                }
                if s.zst.avail_out != 0 {
                    break;
                }
            }
            if err == z::Z_STREAM_END && mode == z::Z_FINISH {
                let e = z::deflateEnd(&mut *s.zst);
                s.initialised = false;
                if e != z::Z_OK {
                    return zlib_error(&s.zst, e, "while finishing compression");
                }
            } else if err != z::Z_OK && err != z::Z_BUF_ERROR {
                return zlib_error(&s.zst, err, "while flushing");
            }
            out.finish(&mut s.zst)
        }
    })
}

/// A copy of a Compress (`decompress` false) or Decompress object.
///
/// # Safety
/// `op` must be a live object of that kind.
unsafe fn copy_object(op: *mut PyObject, decompress: bool) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let s = lock(op);
        if !s.initialised {
            return raise(&raw mut EXC_ValueError, "Inconsistent stream state");
        }
        let mut zst = new_stream();
        let src = (&*s.zst as *const z::z_stream).cast_mut();
        let err = if decompress {
            z::inflateCopy(&mut *zst, src)
        } else {
            z::deflateCopy(&mut *zst, src)
        };
        let kind = if decompress {
            "decompression"
        } else {
            "compression"
        };
        match err {
            z::Z_OK => {}
            z::Z_STREAM_ERROR => {
                return raise(&raw mut EXC_ValueError, "Inconsistent stream state");
            }
            z::Z_MEM_ERROR => {
                return raise(
                    &raw mut EXC_MemoryError,
                    &format!("Can't allocate memory for {kind} object"),
                );
            }
            _ => return zlib_error(&s.zst, err, &format!("while copying {kind} object")),
        }
        let t = if decompress {
            &raw mut Decompress_Type
        } else {
            &raw mut Compress_Type
        };
        let mut n = Stream::new(zst, decompress, s.zdict.clone());
        n.eof = s.eof;
        n.unused_data = s.unused_data.clone();
        n.unconsumed_tail = s.unconsumed_tail.clone();
        drop(s);
        new_object(t, n)
    }
}

unsafe extern "C" fn comp_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Compress.
    guard("zlib.Compress.copy", || unsafe { copy_object(op, false) })
}

unsafe extern "C" fn decomp_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a method of Decompress.
    guard("zlib.Decompress.copy", || unsafe { copy_object(op, true) })
}

unsafe extern "C" fn decomp_decompress(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.Decompress.decompress", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS on a Decompress object.
        unsafe {
            let Some(a) = parse_args("decompress", args, kw, &["data", "max_length"], 1, 1) else {
                return null_mut();
            };
            let Some(data) = data_arg(a[0]) else {
                return null_mut();
            };
            let Some(max_length) = ssize_arg(a[1], 0) else {
                return null_mut();
            };
            if max_length < 0 {
                return raise(&raw mut EXC_ValueError, "max_length must be non-negative");
            }
            let limit = if max_length == 0 {
                isize::MAX as usize
            } else {
                max_length as usize
            };
            let mut s = lock(op);
            let mut out = Out::new(BLOCKS[0], limit);
            if !arrange_input(&mut s.zst, &data) {
                return null_mut();
            }
            let mut err = z::Z_OK;
            'feed: loop {
                if !out.arrange(&mut s.zst) {
                    break 'feed;
                }
                err = z::inflate(&mut *s.zst, z::Z_SYNC_FLUSH);
                match err {
                    z::Z_OK | z::Z_BUF_ERROR | z::Z_STREAM_END => {}
                    z::Z_NEED_DICT if s.zdict.is_some() => {
                        if !s.set_inflate_zdict() {
                            s.zst.next_in = null_mut();
                            s.zst.avail_in = 0;
                            out.finish(&mut s.zst);
                            return null_mut();
                        }
                    }
                    _ => break 'feed,
                }
                if s.zst.avail_out != 0 && err != z::Z_NEED_DICT {
                    break;
                }
            }
            s.save_unconsumed(&data, err);
            if err == z::Z_STREAM_END {
                s.eof = true;
            } else if err != z::Z_OK && err != z::Z_BUF_ERROR {
                let e = zlib_error(&s.zst, err, "while decompressing data");
                out.finish(&mut s.zst);
                return e;
            }
            out.finish(&mut s.zst)
        }
    })
}

unsafe extern "C" fn decomp_flush(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    guard("zlib.Decompress.flush", || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS on a Decompress object.
        unsafe {
            let Some(a) = parse_args("flush", args, kw, &["length"], 1, 0) else {
                return null_mut();
            };
            let Some(length) = ssize_arg(a[0], DEF_BUF_SIZE) else {
                return null_mut();
            };
            if length <= 0 {
                return raise(&raw mut EXC_ValueError, "length must be greater than zero");
            }
            let mut s = lock(op);
            let data = std::mem::take(&mut s.unconsumed_tail);
            s.unconsumed_tail = data.clone();
            let mut out = Out::new(length as usize, usize::MAX);
            if !arrange_input(&mut s.zst, &data) {
                return null_mut();
            }
            let mut err;
            loop {
                out.arrange(&mut s.zst);
                err = z::inflate(&mut *s.zst, z::Z_FINISH);
                match err {
                    z::Z_OK | z::Z_BUF_ERROR | z::Z_STREAM_END => {}
                    z::Z_NEED_DICT if s.zdict.is_some() => {
                        if !s.set_inflate_zdict() {
                            s.zst.next_in = null_mut();
                            s.zst.avail_in = 0;
                            out.finish(&mut s.zst);
                            return null_mut();
                        }
                    }
                    _ => break,
                }
                if s.zst.avail_out != 0 && err != z::Z_NEED_DICT {
                    break;
                }
            }
            s.save_unconsumed(&data, err);
            if err == z::Z_STREAM_END {
                s.eof = true;
                s.initialised = false;
                let e = z::inflateEnd(&mut *s.zst);
                if e != z::Z_OK {
                    let r = zlib_error(&s.zst, e, "while finishing decompression");
                    out.finish(&mut s.zst);
                    return r;
                }
            }
            out.finish(&mut s.zst)
        }
    })
}

unsafe extern "C" fn decomp_unused_data(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live Decompress object.
    let s = unsafe { lock(op) };
    crate::bytesobject::from_bytes(&s.unused_data)
}

unsafe extern "C" fn decomp_unconsumed_tail(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live Decompress object.
    let s = unsafe { lock(op) };
    crate::bytesobject::from_bytes(&s.unconsumed_tail)
}

unsafe extern "C" fn decomp_eof(op: *mut PyObject, _c: *mut c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live Decompress object.
    let s = unsafe { lock(op) };
    crate::boolobject::from_bool(s.eof)
}

static mut COMPRESS_METHODS: [PyMethodDef; 6] = [
    method(
        c"compress",
        comp_compress as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"flush",
        comp_flush as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"copy", comp_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", comp_copy as *mut c_void, METH_NOARGS),
    method(c"__deepcopy__", comp_copy as *mut c_void, METH_O),
    PyMethodDef::END,
];

static mut DECOMPRESS_METHODS: [PyMethodDef; 6] = [
    method(
        c"decompress",
        decomp_decompress as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"flush",
        decomp_flush as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"copy", decomp_copy as *mut c_void, METH_NOARGS),
    method(c"__copy__", decomp_copy as *mut c_void, METH_NOARGS),
    method(c"__deepcopy__", decomp_copy as *mut c_void, METH_O),
    PyMethodDef::END,
];

static mut DECOMPRESS_GETSET: [crate::descrobject::PyGetSetDef; 4] = [
    crate::longobject::getset(c"unused_data", Some(decomp_unused_data)),
    crate::longobject::getset(c"unconsumed_tail", Some(decomp_unconsumed_tail)),
    crate::longobject::getset(c"eof", Some(decomp_eof)),
    crate::descrobject::PyGetSetDef::END,
];

pub(crate) static mut Compress_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(zobject_dealloc),
    tp_methods: (&raw mut COMPRESS_METHODS).cast(),
    ..static_type(c"zlib.Compress", size_of::<ZObject>(), 0, 0)
};

pub(crate) static mut Decompress_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(zobject_dealloc),
    tp_methods: (&raw mut DECOMPRESS_METHODS).cast(),
    tp_getset: (&raw mut DECOMPRESS_GETSET).cast(),
    ..static_type(c"zlib.Decompress", size_of::<ZObject>(), 0, 0)
};

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Compress_Type, &raw mut Decompress_Type]
}

static mut FUNCTIONS: [PyMethodDef; 7] = [
    method(
        c"compress",
        zlib_compress as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"decompress",
        zlib_decompress as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"compressobj",
        zlib_compressobj as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"decompressobj",
        zlib_decompressobj as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"crc32", zlib_crc32 as *mut c_void, METH_VARARGS),
    method(c"adler32", zlib_adler32 as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

/// The `zlib` module (a borrowed, process-lifetime reference; NULL with an exception if it
/// could not be made).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MODULE, "zlib", build)
}

/// The version of the zlib gilgate runs.
fn version() -> String {
    // SAFETY: zlibVersion returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(z::zlibVersion()) }
        .to_string_lossy()
        .into_owned()
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("zlib");
    // SAFETY: `name` is a live str; the method table is static; every object put in the dict
    // is live.
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
        let ints: [(&str, i64); 20] = [
            ("MAX_WBITS", i64::from(MAX_WBITS)),
            ("DEFLATED", i64::from(z::Z_DEFLATED)),
            ("DEF_MEM_LEVEL", i64::from(DEF_MEM_LEVEL)),
            ("DEF_BUF_SIZE", DEF_BUF_SIZE as i64),
            ("Z_NO_COMPRESSION", i64::from(z::Z_NO_COMPRESSION)),
            ("Z_BEST_SPEED", i64::from(z::Z_BEST_SPEED)),
            ("Z_BEST_COMPRESSION", i64::from(z::Z_BEST_COMPRESSION)),
            ("Z_DEFAULT_COMPRESSION", i64::from(z::Z_DEFAULT_COMPRESSION)),
            ("Z_FILTERED", i64::from(z::Z_FILTERED)),
            ("Z_HUFFMAN_ONLY", i64::from(z::Z_HUFFMAN_ONLY)),
            ("Z_RLE", i64::from(z::Z_RLE)),
            ("Z_FIXED", i64::from(z::Z_FIXED)),
            ("Z_DEFAULT_STRATEGY", i64::from(z::Z_DEFAULT_STRATEGY)),
            ("Z_NO_FLUSH", i64::from(z::Z_NO_FLUSH)),
            ("Z_PARTIAL_FLUSH", i64::from(z::Z_PARTIAL_FLUSH)),
            ("Z_SYNC_FLUSH", i64::from(z::Z_SYNC_FLUSH)),
            ("Z_FULL_FLUSH", i64::from(z::Z_FULL_FLUSH)),
            ("Z_FINISH", i64::from(z::Z_FINISH)),
            ("Z_BLOCK", i64::from(z::Z_BLOCK)),
            ("Z_TREES", i64::from(z::Z_TREES)),
        ];
        for (k, v) in ints {
            let o = crate::longobject::from_i64(v);
            crate::dictobject::set_item_str(d, k, o);
            decref(o);
        }
        let v = version();
        for k in ["ZLIB_VERSION", "ZLIB_RUNTIME_VERSION"] {
            let o = crate::unicodeobject::from_str(&v);
            crate::dictobject::set_item_str(d, k, o);
            decref(o);
        }
        let error = crate::pyerrors::PyErr_NewException(
            c"zlib.error".as_ptr(),
            (&raw mut EXC_Exception).cast(),
            null_mut(),
        );
        if error.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "error", error);
        // the module's dict and this table both keep `error` alive
        let _ = PARTS.set(error as usize);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_blocks_grow_like_cpythons() {
        let mut zst = new_stream();
        let mut out = Out::new(5, 100_000);
        assert!(out.arrange(&mut zst));
        assert_eq!(zst.avail_out, 5);
        // SAFETY: within the 5-byte block.
        zst.next_out = unsafe { zst.next_out.add(5) };
        assert!(out.arrange(&mut zst));
        assert_eq!(zst.avail_out, 64 << 10);
        // SAFETY: within the block.
        zst.next_out = unsafe { zst.next_out.add(64 << 10) };
        assert!(out.arrange(&mut zst));
        assert_eq!(zst.avail_out as usize, 100_000 - 5 - (64 << 10));
        // SAFETY: within the block.
        zst.next_out = unsafe { zst.next_out.add(zst.avail_out as usize) };
        assert!(!out.arrange(&mut zst));
    }
}
