//! Shared by capi's integration tests: compiling the C fixtures of `capi/tests/c/<area>/` (the
//! module `cc` is the root crate's `tests/support/cc.rs`, one file for both trees), loading what
//! they build with `dlopen`, so the fixture's undefined symbols resolve against the test
//! binary's exported C API, as a real extension's do, and the leak tests' runtime thread (also
//! the root's file).
#![allow(dead_code)]

#[path = "../../../tests/support/cc.rs"]
pub mod cc;
#[path = "../../../tests/support/runtime_thread.rs"]
pub mod runtime_thread;

use std::ffi::{CStr, CString, c_void};
use std::path::Path;

/// A library loaded with `dlopen(RTLD_NOW | RTLD_LOCAL)`. It is never closed: objects and types
/// the tests keep may point into it.
pub struct Library(*mut c_void);

// SAFETY: the handle is only passed to dlsym, which may be called from any thread.
unsafe impl Send for Library {}
// SAFETY: as above; the handle itself is never written.
unsafe impl Sync for Library {}

impl Library {
    /// Loads `path`; panics with `dlerror()`'s text when that fails.
    ///
    /// # Safety
    /// Loading runs the library's constructors and binds its undefined symbols: the caller
    /// vouches that the library (a fixture just built) is fit to load into this process.
    pub unsafe fn open(path: &Path) -> Library {
        let c = CString::new(path.to_str().expect("UTF-8 path")).unwrap();
        // SAFETY: a NUL-terminated path; the caller vouches for the library.
        let h = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if h.is_null() {
            // SAFETY: after a failed dlopen, dlerror returns a NUL-terminated message.
            let e = unsafe { CStr::from_ptr(libc::dlerror()) };
            panic!("dlopen {}: {}", path.display(), e.to_string_lossy());
        }
        Library(h)
    }

    /// The address of the symbol `name`; panics when the library has none.
    pub fn sym(&self, name: &CStr) -> *mut c_void {
        // SAFETY: a live handle from dlopen and a NUL-terminated name.
        let p = unsafe { libc::dlsym(self.0, name.as_ptr()) };
        assert!(!p.is_null(), "symbol {name:?} missing");
        p
    }
}

/// The environment variable naming the one test a child process of a test binary runs.
pub const CHILD: &str = "GILGATE_CAPI_TEST_CHILD";

/// Runs the test `name` again in a child process of this test binary (that test only) with the
/// process's lock configured as `config`: the setting is per process, and cargo runs a binary's
/// tests as threads of one process. In the child this initializes the runtime, configures the
/// lock, runs `body` and returns None; in the parent it checks that the child ran exactly that
/// test and passed, and returns the child's stderr.
pub fn in_child(
    name: &str,
    config: gilgate_capi::host::GilConfig,
    body: impl FnOnce(),
) -> Option<String> {
    use gilgate_capi::host;
    if std::env::var(CHILD).as_deref() == Ok(name) {
        host::initialize().expect("runtime initializes");
        host::lock_configure(config).expect("first setting");
        body();
        return None;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, name)
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child {name} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    Some(stderr)
}

/// Runs `f` on a thread of its own and returns its result, re-raising its panic; fails (rather
/// than hanging) when it takes longer than `guard`, a hang guard and not a measure of speed.
/// The calling thread waits detached: attached, it could hold the process's lock, and hold
/// back every delayed free, while `f` runs.
pub fn finishes<T: Send + 'static>(
    what: &str,
    guard: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match gilgate_capi::host::allow_threads(|| rx.recv_timeout(guard)) {
        Ok(Ok(v)) => v,
        Ok(Err(p)) => std::panic::resume_unwind(p),
        Err(_) => panic!("{what}: did not finish (deadlock?)"),
    }
}

/// An address that may cross threads (an object or a C variable the test keeps alive).
#[derive(Clone, Copy)]
pub struct P(pub usize);

impl P {
    pub fn of<T>(p: *mut T) -> P {
        P(p as usize)
    }
    pub fn get<T>(self) -> *mut T {
        self.0 as *mut T
    }
}
