//! Small C API pieces real extensions need: the slice index converters
//! (`_PyEval_SliceIndex`, `_PyEval_SliceIndexNotNone`), `_PyList_Extend`, `Py_GetArgcArgv`,
//! `PyErr_CheckSignals`, the arena allocator, the thread state's private tail, and from C the
//! `_Py_atomic_*` functions of `cpython/pyatomic.h` and
//! `Py_MEMCPY`. Expected values and messages are CPython's.

use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::ExcInfo;
use gilgate_capi::host::decref;
use std::ffi::{CStr, c_char, c_int};
use support::{Library, cc};

mod support;

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
}

fn err() -> (String, String) {
    let ExcInfo {
        type_name, message, ..
    } = gilgate_capi::host::take_exception().expect("an exception is set");
    (type_name, message)
}

fn int(v: i64) -> *mut PyObject {
    gilgate_capi::ffi::PyLong_FromLong(v as _)
}

#[test]
fn slice_index_converters() {
    init();
    // SAFETY: live objects and a writable index.
    unsafe {
        let mut i: isize = 99;
        let five = int(5);
        assert_eq!(_PyEval_SliceIndex(five, &mut i), 1);
        assert_eq!(i, 5);
        // None leaves the index alone
        let none = gilgate_capi::testing::object::none();
        assert_eq!(_PyEval_SliceIndex(none, &mut i), 1);
        assert_eq!(i, 5);
        // True has __index__; huge values clamp to the Py_ssize_t range
        let t = gilgate_capi::testing::boolobject::from_bool(true);
        assert_eq!(_PyEval_SliceIndex(t, &mut i), 1);
        assert_eq!(i, 1);
        let big = gilgate_capi::ffi::PyLong_FromString(
            c"-100000000000000000000000".as_ptr(),
            std::ptr::null_mut(),
            10,
        );
        assert_eq!(_PyEval_SliceIndex(big, &mut i), 1);
        assert_eq!(i, isize::MIN);
        let s = gilgate_capi::testing::unicodeobject::from_str("3");
        assert_eq!(_PyEval_SliceIndex(s, &mut i), 0);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "slice indices must be integers or None or have an __index__ method".into()
            )
        );
        assert_eq!(i, isize::MIN, "unchanged on error");
        assert_eq!(_PyEval_SliceIndexNotNone(none, &mut i), 0);
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "slice indices must be integers or have an __index__ method".into()
            )
        );
        assert_eq!(_PyEval_SliceIndexNotNone(five, &mut i), 1);
        assert_eq!(i, 5);
        for o in [five, t, big, s] {
            decref(o);
        }
    }
}

#[test]
fn private_list_extend_returns_none() {
    init();
    use gilgate_capi::ffi::_PyList_Extend;
    use gilgate_capi::ffi::PyList_New;
    use gilgate_capi::ffi::PyList_Size;
    // SAFETY: live objects.
    unsafe {
        let l = PyList_New(0);
        let t = gilgate_capi::ffi::PyTuple_New(0);
        let src = PyList_New(0);
        for v in [1, 2, 3] {
            gilgate_capi::ffi::PyList_Append(src, int(v));
        }
        let r = _PyList_Extend(l, src);
        assert_eq!(r, gilgate_capi::testing::object::none());
        decref(r);
        assert_eq!(PyList_Size(l), 3);
        let r = _PyList_Extend(l, l);
        assert!(!r.is_null());
        decref(r);
        assert_eq!(PyList_Size(l), 6, "extending with itself doubles it");
        let r = _PyList_Extend(l, int(5));
        assert!(r.is_null());
        assert_eq!(
            err(),
            ("TypeError".into(), "'int' object is not iterable".into())
        );
        assert_eq!(PyList_Size(l), 6);
        decref(l);
        decref(t);
        decref(src);
    }
}

#[test]
fn argv_is_the_process_command_line() {
    init();
    let mut argc: c_int = -1;
    let mut argv: *mut *mut i32 = std::ptr::null_mut();
    // SAFETY: writable out-pointers; the arrays live for the whole process.
    unsafe {
        gilgate_capi::ffi::Py_GetArgcArgv(&mut argc, &mut argv);
        let want: Vec<String> = std::env::args().collect();
        assert_eq!(argc as usize, want.len());
        for (i, w) in want.iter().enumerate() {
            let p = *argv.add(i);
            let mut got = String::new();
            let mut j = 0;
            while *p.add(j) != 0 {
                got.push(char::from_u32(*p.add(j) as u32).unwrap());
                j += 1;
            }
            assert_eq!(&got, w);
        }
        assert!((*argv.add(argc as usize)).is_null());
        // a second call hands out the same arrays
        let mut again: *mut *mut i32 = std::ptr::null_mut();
        gilgate_capi::ffi::Py_GetArgcArgv(&mut argc, &mut again);
        assert_eq!(again, argv);
    }
    assert_eq!(
        gilgate_capi::testing::initconfig::orig_argv().len(),
        std::env::args().count()
    );
}

#[test]
fn no_python_signal_handlers_to_run() {
    init();
    assert_eq!(PyErr_CheckSignals(), 0);
    assert!(gilgate_capi::host::take_exception().is_none());
}

#[test]
fn atomics_and_memcpy_from_c() {
    init();
    let so = cc::shared(
        cc::fixture("small_apis/atomics.c"),
        cc::out_dir("small_apis").join("gilgate-atomics.so"),
    )
    .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
    .build();
    // SAFETY: loading a library we just built; its undefined symbols resolve against this
    // test binary's exported C API.
    unsafe {
        let f = Library::open(&so).sym(c"gg_atomic_checks");
        let check: unsafe extern "C" fn(*mut c_char, usize) -> c_int = std::mem::transmute(f);
        let mut buf = vec![0 as c_char; 4096];
        let failed = check(buf.as_mut_ptr(), buf.len());
        let text = CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned();
        assert_eq!(failed, 0, "C checks failed:\n{text}");
        assert!(
            text.lines().filter(|l| l.starts_with("ok ")).count() == 17,
            "{text}"
        );
    }
}

#[test]
fn binascii_module_hex_and_crc() {
    init();
    use gilgate_capi::ffi::PyObject_Call;
    use gilgate_capi::ffi::PyObject_CallOneArg;
    use gilgate_capi::ffi::PyObject_GetAttrString;
    let bytes = |o: *mut PyObject| -> Vec<u8> {
        assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
        // SAFETY: a live bytes object we own.
        unsafe {
            let v = gilgate_capi::testing::bytesobject::as_bytes(o).to_vec();
            decref(o);
            v
        }
    };
    // SAFETY: live objects throughout.
    unsafe {
        let m = gilgate_capi::host::import_module("binascii");
        assert!(!m.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let hexlify = PyObject_GetAttrString(m, c"hexlify".as_ptr());
        let unhexlify = PyObject_GetAttrString(m, c"a2b_hex".as_ptr());
        let crc = PyObject_GetAttrString(m, c"crc32".as_ptr());
        let data = gilgate_capi::testing::bytesobject::from_bytes(b"abcde");
        assert_eq!(bytes(PyObject_CallOneArg(hexlify, data)), b"6162636465");
        let sep = gilgate_capi::testing::unicodeobject::from_str(":");
        let args = gilgate_capi::testing::tupleobject::from_slice(&[data, sep, int(-2)]);
        assert_eq!(
            bytes(PyObject_Call(hexlify, args, std::ptr::null_mut())),
            b"6162:6364:65"
        );
        let hex = gilgate_capi::testing::unicodeobject::from_str("01aB");
        assert_eq!(bytes(PyObject_CallOneArg(unhexlify, hex)), b"\x01\xab");
        let odd = gilgate_capi::testing::unicodeobject::from_str("abc");
        assert!(PyObject_CallOneArg(unhexlify, odd).is_null());
        let ExcInfo {
            type_name, message, ..
        } = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(
            (type_name.as_str(), message.as_str()),
            ("Error", "Odd-length string")
        );
        let n = int(5);
        assert!(PyObject_CallOneArg(unhexlify, n).is_null());
        assert_eq!(
            err(),
            (
                "TypeError".into(),
                "argument should be bytes, buffer or ASCII string, not 'int'".into()
            )
        );
        let hello = gilgate_capi::testing::bytesobject::from_bytes(b"hello");
        let r = PyObject_CallOneArg(crc, hello);
        assert_eq!(gilgate_capi::ffi::PyLong_AsLong(r), 907060870);
        for o in [
            hexlify, unhexlify, crc, data, sep, args, hex, odd, n, hello, r,
        ] {
            decref(o);
        }
    }
}

#[test]
fn recursion_guard_is_the_c_stack() {
    init();
    use gilgate_capi::ffi::Py_EnterRecursiveCall;
    use gilgate_capi::ffi::Py_LeaveRecursiveCall;
    // SAFETY: a NUL-terminated `where` text.
    unsafe {
        assert_eq!(Py_EnterRecursiveCall(c" in a shallow call".as_ptr()), 0);
        Py_LeaveRecursiveCall();
    }
    // a thread with a 1 MiB stack: recurse until the guard refuses, well before an overflow
    let (depth, err) = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            fn dive(n: usize) -> (usize, Option<(String, String)>) {
                let pad = std::hint::black_box([0u8; 1024]);
                // SAFETY: a NUL-terminated `where` text.
                if unsafe { Py_EnterRecursiveCall(c" while diving".as_ptr()) } != 0 {
                    let ExcInfo {
                        type_name, message, ..
                    } = gilgate_capi::host::take_exception().expect("RecursionError");
                    return (n + pad[0] as usize, Some((type_name, message)));
                }
                let r = dive(n + 1);
                Py_LeaveRecursiveCall();
                r
            }
            gilgate_capi::host::initialize().unwrap();
            dive(0)
        })
        .unwrap()
        .join()
        .unwrap();
    let (t, m) = err.expect("the guard refused at some depth");
    assert!(depth > 100, "refused after only {depth} frames");
    assert_eq!(t, "RecursionError");
    assert!(
        m.starts_with("Stack overflow (used ") && m.ends_with(" kB) while diving"),
        "{m}"
    );
    let kb: usize = m["Stack overflow (used ".len()..m.len() - " kB) while diving".len()]
        .parse()
        .unwrap();
    assert!((800..1024).contains(&kb), "{kb} kB of a 1024 kB stack");
}

/// The arena allocator extensions read and replace (greenlet allocates its stack copies with
/// it): the default maps memory that can be written and freed; a replaced one is what the
/// next read gives, until it is put back.
#[test]
fn arena_allocator_reads_allocates_and_replaces() {
    init();
    let mut orig = PyObjectArenaAllocator {
        ctx: std::ptr::null_mut(),
        alloc: None,
        free: None,
    };
    // SAFETY: room for one allocator; the default's functions take any context.
    unsafe {
        PyObject_GetArenaAllocator(&mut orig);
        let (alloc, free) = (orig.alloc.expect("alloc"), orig.free.expect("free"));
        let size = 256 * 1024;
        let p = alloc(orig.ctx, size).cast::<u8>();
        assert!(!p.is_null());
        p.write_bytes(0xab, size);
        assert_eq!(*p.add(size - 1), 0xab);
        free(orig.ctx, p.cast(), size);

        unsafe extern "C" fn no_alloc(_: *mut std::ffi::c_void, _: usize) -> *mut std::ffi::c_void {
            std::ptr::null_mut()
        }
        let mut mine = PyObjectArenaAllocator {
            ctx: 7usize as *mut _,
            alloc: Some(no_alloc),
            free: orig.free,
        };
        PyObject_SetArenaAllocator(&mut mine);
        let mut got = orig;
        PyObject_GetArenaAllocator(&mut got);
        assert_eq!(got.ctx as usize, 7);
        assert!(got.alloc.expect("alloc")(got.ctx, 16).is_null());
        PyObject_SetArenaAllocator(&mut orig);
        PyObject_GetArenaAllocator(&mut got);
        assert!(got.ctx.is_null());
    }
}

/// A thread state is a whole `_PyThreadStateImpl` (19216 bytes in 3.14t): its private fields
/// read as zero (`c_stack_refs` at 920, which greenlet reads, and the last byte).
#[test]
fn thread_state_has_the_private_tail_zeroed() {
    init();
    let ts = PyThreadState_Get().cast::<u8>();
    // SAFETY: the attached state is a live allocation of the full private size.
    unsafe {
        assert_eq!(ts.add(920).cast::<usize>().read(), 0);
        assert_eq!(*ts.add(19216 - 1), 0);
    }
}

/// `_PyUnicode_IsDecimalDigit` and relatives classify code points as `str.isdecimal()`,
/// `isdigit()`, `isnumeric()` and `istitle()` do in CPython: '7' is all three, superscript two
/// a digit but not decimal, one half only numeric, 'ǅ' titlecase.
#[test]
fn unicode_character_classes() {
    init();
    let c = |ch: char| ch as u32;
    assert_eq!(
        [
            _PyUnicode_IsDecimalDigit(c('7')),
            _PyUnicode_IsDigit(c('7')),
            _PyUnicode_IsNumeric(c('7'))
        ],
        [1, 1, 1]
    );
    assert_eq!(
        [
            _PyUnicode_IsDecimalDigit(c('²')),
            _PyUnicode_IsDigit(c('²')),
            _PyUnicode_IsNumeric(c('²'))
        ],
        [0, 1, 1]
    );
    assert_eq!(
        [
            _PyUnicode_IsDecimalDigit(c('½')),
            _PyUnicode_IsDigit(c('½')),
            _PyUnicode_IsNumeric(c('½'))
        ],
        [0, 0, 1]
    );
    assert_eq!(_PyUnicode_IsNumeric(c('a')), 0);
    assert_eq!(_PyUnicode_IsTitlecase(c('ǅ')), 1);
    assert_eq!(_PyUnicode_IsTitlecase(c('D')), 0);
}

/// `PyObject_Dir(op)` is `dir(op)`: a sorted list holding the type's names; NULL (the calling
/// frame's locals in CPython) is `dir()`'s error, as gilgate has no Python frames.
#[test]
fn object_dir() {
    init();
    // SAFETY: live objects; every new reference is released.
    unsafe {
        let l = PyList_New(0);
        let names = PyObject_Dir(l);
        assert!(!names.is_null());
        let n = PyList_Size(names);
        let mut got = Vec::new();
        for i in 0..n {
            let s = PyList_GetItem(names, i);
            got.push(
                CStr::from_ptr(PyUnicode_AsUTF8(s))
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(got, sorted);
        for want in ["__len__", "append", "sort"] {
            assert!(got.iter().any(|g| g == want), "{want} in dir([])");
        }
        decref(names);
        decref(l);
        assert!(PyObject_Dir(std::ptr::null_mut()).is_null());
        assert_eq!(
            err(),
            (
                "NotImplementedError".to_string(),
                "gilgate runs no Python code: dir() without an argument is not available"
                    .to_string()
            )
        );
    }
}
