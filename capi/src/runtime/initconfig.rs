//! `cpython/initconfig.h`: what the process was started with. `Py_GetArgcArgv` hands out the
//! host process's own command line (gilgate's argv, as CPython hands out python's), decoded
//! the way CPython decodes it (UTF-8 with `surrogateescape`: an undecodable byte `b` becomes
//! U+DC00+b) into NUL-terminated `wchar_t` strings that live as long as the process.

use std::ffi::c_int;
use std::sync::OnceLock;

/// `argc` and the address of the NULL-terminated `wchar_t *argv[]` (leaked on purpose).
static ARGV: OnceLock<(c_int, usize)> = OnceLock::new();

/// One argument's code points, `surrogateescape`-decoded, NUL-terminated.
fn decode_arg(bytes: &[u8]) -> Vec<i32> {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    for chunk in bytes.utf8_chunks() {
        out.extend(chunk.valid().chars().map(|c| c as i32));
        out.extend(chunk.invalid().iter().map(|&b| 0xdc00 + i32::from(b)));
    }
    out.push(0);
    out
}

fn argv() -> (c_int, usize) {
    *ARGV.get_or_init(|| {
        use std::os::unix::ffi::OsStrExt;
        let mut ptrs: Vec<*mut i32> = std::env::args_os()
            .map(|a| Box::leak(decode_arg(a.as_bytes()).into_boxed_slice()).as_mut_ptr())
            .collect();
        let argc = ptrs.len() as c_int;
        ptrs.push(std::ptr::null_mut());
        (
            argc,
            Box::leak(ptrs.into_boxed_slice()).as_mut_ptr() as usize,
        )
    })
}

/// The decoded command line as Rust strings (for tests and diagnostics).
pub fn orig_argv() -> Vec<Vec<u32>> {
    let (argc, p) = argv();
    let p = p as *const *const i32;
    (0..argc as usize)
        .map(|i| {
            // SAFETY: `argv()` built `argc` NUL-terminated arrays that are never freed.
            unsafe {
                let s = *p.add(i);
                let mut v = Vec::new();
                let mut j = 0;
                while *s.add(j) != 0 {
                    v.push(*s.add(j) as u32);
                    j += 1;
                }
                v
            }
        })
        .collect()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_GetArgcArgv(argc: *mut c_int, out: *mut *mut *mut i32) {
    crate::ffi_guard::guard("Py_GetArgcArgv", (), || {
        let (n, p) = argv();
        // SAFETY: both pointers are writable, per the C API contract.
        unsafe {
            if !argc.is_null() {
                *argc = n;
            }
            if !out.is_null() {
                *out = p as *mut *mut i32;
            }
        }
    })
}
