//! Prints how much of the C API surface is real and how much is stubbed; with `--list`, every
//! name with its status; with `--dlopen FILE...`, loads each file with `RTLD_NOW` (as CPython
//! loads extension modules, without running their init) and reports whether every symbol
//! resolved. It is also a program embedding `gilgate-capi`: `nm -D` on it shows the surface.

use std::ffi::{CStr, CString};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        print!("{}", gilgate_capi::host::surface::render_list());
    }
    if let Some(i) = args.iter().position(|a| a == "--dlopen") {
        let mut failed = 0;
        for file in &args[i + 1..] {
            let path = CString::new(file.as_str()).expect("path without NUL");
            // SAFETY: loading a shared library runs its ELF constructors; the user asked for
            // exactly that file. The handle is never closed (extension modules never unload).
            let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
            if handle.is_null() {
                failed += 1;
                // SAFETY: after a failed dlopen, dlerror returns a NUL-terminated message.
                let err = unsafe { CStr::from_ptr(libc::dlerror()) };
                println!("FAIL {file}: {}", err.to_string_lossy());
            } else {
                println!("ok   {file}");
            }
        }
        if failed > 0 {
            std::process::exit(1);
        }
    }
    println!("{}", gilgate_capi::host::surface::surface_counts());
}
