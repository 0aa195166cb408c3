//! The Rust embedding API: load extension modules into this process and call them with Rust
//! values.
//!
//! - [`Host`] loads modules (a dotted name on the search path, or a path to a `.so`) exactly as
//!   `gilgate load` does: init, create, the lock decision under its [`Policy`], exec.
//! - [`Module`] is a loaded module: [`Module::call`] calls one of its functions,
//!   [`Module::getattr`] reads an attribute.
//! - [`PyRef`] is an owned reference to any Python object (`Clone` adds a reference, `Drop`
//!   releases it).
//! - [`IntoPy`] and [`FromPy`] convert between Rust values and Python objects: `()` (None),
//!   `bool`, the integer types, `f64`, `&str`/`String` (str), `&[u8]`/`Vec<u8>` (bytes),
//!   `Vec<T>` (list; any iterable when extracting), tuples of up to 4 elements,
//!   `HashMap`/`BTreeMap` (dict; [`PyRef::dict_items`] and [`dict_from_pairs`] keep the
//!   order), `Option<T>` (None for `None`), and ints of any size as [`num_bigint::BigInt`].
//! - Errors are [`PyErr`]: the Python exception's type name and message.
//!
//! Threads: [`PyRef`] (and so [`Module`]) is `Send + Sync`, the runtime's reference counts being
//! thread-safe; any Rust thread may use the API once a [`Host`] exists. Every call attaches the
//! calling thread for its duration when it is not attached ([`attach`]: a thread that has never
//! called gets a thread state, kept for the thread's life), and detaches it again after, so a
//! thread between calls does not hold the process's lock; a thread that is attached (the one
//! that started the runtime, or one holding an [`Attached`] guard) stays attached, and waits
//! for other threads inside [`allow_threads`]. See `examples/threads.rs`.
//! A program using this API must export the C API symbols to the modules it loads: link it
//! with `-rdynamic` (a `build.rs` printing `cargo:rustc-link-arg=-rdynamic`).
//!
//! ```no_run
//! use gilgate::embed::{Host, PyErr};
//!
//! fn main() -> Result<(), PyErr> {
//!     let mut host = Host::builder().path("build/ext").build();
//!     let counter = host.import("counter")?;
//!     let c = counter.call("Counter", (10,))?;
//!     c.call_method("increment", (5,))?;
//!     let value: i64 = c.getattr("value")?.extract()?;
//!     assert_eq!(value, 15);
//!     println!("{}", c.repr()?);
//!     Ok(())
//! }
//! ```

use crate::ffi::{self, Obj};
use gilgate_capi::ffi::PyObject;
use gilgate_loader::{LoadError, Policy};
use std::collections::{BTreeMap, HashMap};
use std::ffi::{CStr, CString, c_char, c_ulong};
use std::fmt;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::ptr::{NonNull, null_mut};

/// A Python exception, as a Rust error: the exception type's `__name__` and `str()` of the
/// exception.
///
/// ```
/// let e = gilgate::embed::PyErr::new("ValueError", "bad value");
/// assert_eq!(e.to_string(), "ValueError: bad value");
/// assert_eq!(gilgate::embed::PyErr::new("KeyError", "").to_string(), "KeyError");
/// ```
#[derive(Clone, Debug)]
pub struct PyErr {
    /// The exception type's `__name__` (`"ZeroDivisionError"`).
    pub type_name: String,
    /// `str()` of the exception (may be empty).
    pub message: String,
    /// The exception's traceback entries as CPython prints them, outermost first
    /// (`  File "x.pyx", line 3, in mod.f`): the functions of extension modules the error
    /// left (Cython adds one per function). Empty for errors without one. Not compared by
    /// `==`: two errors are equal when their type and message are.
    pub traceback: Vec<String>,
    /// The exception's `__cause__` (an init that failed in an import: pybind11 raises
    /// `ImportError: initialization failed` from the import's error). Not compared by `==`
    /// and not part of `Display` (Python's last traceback line); [`PyErr::chain`] shows it.
    pub cause: Option<Box<PyErr>>,
}

impl PartialEq for PyErr {
    fn eq(&self, other: &PyErr) -> bool {
        self.type_name == other.type_name && self.message == other.message
    }
}

impl Eq for PyErr {}

impl PyErr {
    /// An error with this type name and message.
    pub fn new(type_name: impl Into<String>, message: impl Into<String>) -> PyErr {
        PyErr {
            type_name: type_name.into(),
            message: message.into(),
            traceback: Vec::new(),
            cause: None,
        }
    }

    fn from_info(info: gilgate_capi::host::ExcInfo) -> PyErr {
        PyErr {
            traceback: info.traceback,
            cause: info.cause.map(|c| Box::new(PyErr::from_info(*c))),
            ..PyErr::new(info.type_name, info.message)
        }
    }

    /// The error as `Display` shows it, followed by ` (caused by TYPE: MESSAGE)` for each
    /// `__cause__` in turn: the real first error behind a wrapper such as pybind11's
    /// `ImportError: initialization failed`.
    pub fn chain(&self) -> String {
        let mut s = self.to_string();
        let mut c = self.cause.as_deref();
        while let Some(e) = c {
            s.push_str(&format!(" (caused by {e})"));
            c = e.cause.as_deref();
        }
        s
    }

    /// Takes the current exception out of the runtime's error indicator (a `SystemError` when a
    /// function reported failure without setting one, as CPython says).
    pub fn fetch() -> PyErr {
        let _g = attach();
        match gilgate_capi::host::take_exception() {
            Some(info) => PyErr::from_info(info),
            None => PyErr::new("SystemError", "error return without exception set"),
        }
    }

    /// Whether an exception is pending in the runtime.
    pub fn occurred() -> bool {
        let _g = attach();
        gilgate_capi::host::error_occurred()
    }

    fn type_error(message: impl Into<String>) -> PyErr {
        PyErr::new("TypeError", message)
    }
}

impl fmt::Display for PyErr {
    /// Formats the error as Python's last traceback line does: `Type: message`, or `Type`
    /// alone when the message is empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.type_name)
        } else {
            write!(f, "{}: {}", self.type_name, self.message)
        }
    }
}

impl std::error::Error for PyErr {}

impl From<LoadError> for PyErr {
    fn from(e: LoadError) -> PyErr {
        let r = e.report();
        fn of_cause(c: gilgate_loader::ErrorCause) -> PyErr {
            PyErr {
                cause: c.cause.map(|d| Box::new(of_cause(*d))),
                ..PyErr::new(c.kind, c.message)
            }
        }
        PyErr {
            cause: r.cause.map(|c| Box::new(of_cause(c))),
            ..PyErr::new(r.kind, r.message)
        }
    }
}

/// Result of the embedding API.
pub type PyResult<T> = Result<T, PyErr>;

/// Keeps the calling thread attached to its thread state (CPython's "holding the GIL") while it
/// lives; see [`attach`]. Not `Send`: it belongs to the thread that made it.
#[must_use = "the thread stays attached only while the guard lives"]
pub struct Attached {
    /// The state this guard attached (to detach on drop); NULL when the thread was attached
    /// already.
    ts: *mut gilgate_capi::ffi::PyThreadState,
}

/// Attaches the calling thread for as long as the guard lives (PyO3's `Python::with_gil`,
/// CPython's `PyGILState_Ensure`): nothing when it is attached already; else its detached state
/// is attached again, or, on a thread that has none, one is made (gilgate's implicit attach,
/// deleted when the thread exits). While the process's lock is enabled this waits for it. Every
/// call of this API takes one for its own duration, so a guard is needed only around a run of
/// direct C API calls (`gilgate::capi::ffi`) or to keep a thread attached between calls.
/// Dropping the guard detaches the thread again (`PyEval_SaveThread`) if it attached it.
pub fn attach() -> Attached {
    // SAFETY: these thread-state functions may be called with no state attached; a state
    // returned by PyGILState_GetThisThreadState is this thread's own and detached here.
    unsafe {
        if !ffi::PyThreadState_GetUnchecked().is_null() {
            return Attached { ts: null_mut() };
        }
        let bound = ffi::PyGILState_GetThisThreadState();
        if !bound.is_null() {
            ffi::PyEval_RestoreThread(bound);
            return Attached { ts: bound };
        }
        Attached {
            ts: ffi::PyThreadState_Get(),
        }
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        if !self.ts.is_null() {
            // This guard attached `ts` on this thread (the guard is not Send) and every guard
            // taken since has been dropped, so it is the attached state.
            ffi::PyEval_SaveThread();
        }
    }
}

/// Whether the calling thread is attached now (it may call the C API directly).
pub fn is_attached() -> bool {
    !ffi::PyThreadState_GetUnchecked().is_null()
}

/// Runs `f` detached (`Py_BEGIN_ALLOW_THREADS` .. `Py_END_ALLOW_THREADS`, PyO3's
/// `allow_threads`): an attached thread releases its state and the process's lock meanwhile,
/// so other threads run; a detached thread just runs `f`. Wait for other threads (join,
/// channels, sleeps) inside it. `f` may still use this API: each call attaches for itself.
pub fn allow_threads<R>(f: impl FnOnce() -> R) -> R {
    gilgate_capi::host::allow_threads(f)
}

/// Initializes the runtime (once per process). [`Host::new`] does it; call it before creating
/// objects without a host.
pub fn init_runtime() -> PyResult<()> {
    gilgate_capi::host::initialize().map_err(|e| PyErr::new("HostError", e))
}

/// An owned (strong) reference to a Python object.
///
/// `Clone` adds a reference, `Drop` releases one.
pub struct PyRef {
    ptr: NonNull<PyObject>,
}

impl PyRef {
    /// Takes ownership of a new reference returned by a C API function; NULL means the function
    /// raised, and gives that exception.
    ///
    /// # Safety
    /// `p` must be NULL or a strong reference to a live object, owned by the caller.
    pub unsafe fn from_owned_ptr(p: *mut PyObject) -> PyResult<PyRef> {
        match NonNull::new(p) {
            Some(ptr) => Ok(PyRef { ptr }),
            None => Err(PyErr::fetch()),
        }
    }

    /// Adds a reference to a borrowed object.
    ///
    /// # Safety
    /// `p` must be NULL (an error, as for [`PyRef::from_owned_ptr`]) or a live object.
    pub unsafe fn from_borrowed_ptr(p: *mut PyObject) -> PyResult<PyRef> {
        if !p.is_null() {
            // SAFETY: the caller guarantees `p` is live.
            unsafe { ffi::Py_IncRef(p) };
        }
        // SAFETY: a new strong reference was just taken.
        unsafe { PyRef::from_owned_ptr(p) }
    }

    /// The object pointer (still owned by this handle).
    pub fn as_ptr(&self) -> *mut PyObject {
        self.ptr.as_ptr()
    }

    /// Gives up ownership: the caller now owns the reference.
    pub fn into_ptr(self) -> *mut PyObject {
        let p = self.ptr.as_ptr();
        std::mem::forget(self);
        p
    }

    /// `None`.
    pub fn none() -> PyRef {
        // SAFETY: `_Py_NoneStruct` is the runtime's static None object.
        unsafe { PyRef::from_borrowed_ptr(&raw mut ffi::_Py_NoneStruct) }.expect("None exists")
    }

    /// Whether this is `None`.
    pub fn is_none(&self) -> bool {
        self.as_ptr() == &raw mut ffi::_Py_NoneStruct
    }

    /// Identity (`a is b`).
    pub fn is(&self, other: &PyRef) -> bool {
        self.as_ptr() == other.as_ptr()
    }

    /// The `__name__` of the object's type (`"int"`, `"Counter"`).
    pub fn type_name(&self) -> String {
        // SAFETY: a live object has a live type whose `tp_name` is a C string.
        unsafe {
            let t = (*self.as_ptr()).ob_type;
            let name = CStr::from_ptr((*t).tp_name).to_string_lossy();
            name.rsplit('.').next().unwrap_or_default().to_string()
        }
    }

    fn flags(&self) -> c_ulong {
        // SAFETY: a live object has a live type.
        unsafe { ffi::PyType_GetFlags((*self.as_ptr()).ob_type) }
    }

    /// `repr(obj)`.
    pub fn repr(&self) -> PyResult<String> {
        let _g = attach();
        // SAFETY: `self` is live; PyObject_Repr returns a new reference or NULL.
        let r = unsafe { PyRef::from_owned_ptr(ffi::PyObject_Repr(self.as_ptr())) }?;
        r.extract()
    }

    /// `str(obj)`.
    pub fn str(&self) -> PyResult<String> {
        let _g = attach();
        // SAFETY: as in `repr`.
        let r = unsafe { PyRef::from_owned_ptr(ffi::PyObject_Str(self.as_ptr())) }?;
        r.extract()
    }

    /// `obj.name`.
    pub fn getattr(&self, name: &str) -> PyResult<PyRef> {
        let _g = attach();
        let n = name.into_py()?;
        // SAFETY: both objects are live.
        unsafe { PyRef::from_owned_ptr(ffi::PyObject_GetAttr(self.as_ptr(), n.as_ptr())) }
    }

    /// `obj.name = value`.
    pub fn setattr(&self, name: &str, value: impl IntoPy) -> PyResult<()> {
        let _g = attach();
        let n = name.into_py()?;
        let v = value.into_py()?;
        // SAFETY: all three objects are live; SetAttr does not steal.
        check(unsafe { ffi::PyObject_SetAttr(self.as_ptr(), n.as_ptr(), v.as_ptr()) })
    }

    /// `obj[key]`.
    pub fn get_item(&self, key: impl IntoPy) -> PyResult<PyRef> {
        let _g = attach();
        let k = key.into_py()?;
        // SAFETY: both objects are live.
        unsafe { PyRef::from_owned_ptr(ffi::PyObject_GetItem(self.as_ptr(), k.as_ptr())) }
    }

    /// `obj[key] = value`.
    pub fn set_item(&self, key: impl IntoPy, value: impl IntoPy) -> PyResult<()> {
        let _g = attach();
        let k = key.into_py()?;
        let v = value.into_py()?;
        // SAFETY: all three objects are live; SetItem does not steal.
        check(unsafe { ffi::PyObject_SetItem(self.as_ptr(), k.as_ptr(), v.as_ptr()) })
    }

    /// `bool(obj)`.
    pub fn is_true(&self) -> PyResult<bool> {
        let _g = attach();
        // SAFETY: `self` is live.
        let r = unsafe { ffi::PyObject_IsTrue(self.as_ptr()) };
        if r < 0 {
            Err(PyErr::fetch())
        } else {
            Ok(r == 1)
        }
    }

    /// `obj(*args)`.
    pub fn call(&self, args: impl IntoPyArgs) -> PyResult<PyRef> {
        let _g = attach();
        let a = args.into_args()?;
        // SAFETY: callable and argument tuple are live; NULL kwargs means none.
        unsafe { PyRef::from_owned_ptr(ffi::PyObject_Call(self.as_ptr(), a.as_ptr(), null_mut())) }
    }

    /// `obj(*args, **kwargs)`, keyword arguments in order.
    ///
    /// ```no_run
    /// # fn f(func: &gilgate::embed::PyRef) -> gilgate::embed::PyResult<()> {
    /// use gilgate::embed::IntoPy;
    /// let r = func.call_kw((1,), [("scale", 2.5.into_py()?), ("name", "x".into_py()?)])?;
    /// # Ok(()) }
    /// ```
    pub fn call_kw<K: AsRef<str>>(
        &self,
        args: impl IntoPyArgs,
        kwargs: impl IntoIterator<Item = (K, PyRef)>,
    ) -> PyResult<PyRef> {
        let _g = attach();
        let a = args.into_args()?;
        let kw = dict_from_pairs(kwargs.into_iter().map(|(k, v)| (k.as_ref().to_string(), v)))?;
        // SAFETY: callable, tuple and dict are live.
        unsafe { PyRef::from_owned_ptr(ffi::PyObject_Call(self.as_ptr(), a.as_ptr(), kw.as_ptr())) }
    }

    /// `obj.name(*args)`.
    pub fn call_method(&self, name: &str, args: impl IntoPyArgs) -> PyResult<PyRef> {
        let _g = attach();
        self.getattr(name)?.call(args)
    }

    /// Converts to a Rust value.
    pub fn extract<T: FromPy>(&self) -> PyResult<T> {
        let _g = attach();
        T::from_py(self)
    }

    /// The items of a dict, in its iteration order (Python's insertion order).
    pub fn dict_items<K: FromPy, V: FromPy>(&self) -> PyResult<Vec<(K, V)>> {
        let _g = attach();
        if self.flags() & ffi::Py_TPFLAGS_DICT_SUBCLASS == 0 {
            return Err(PyErr::type_error(format!(
                "expected dict, got {}",
                self.type_name()
            )));
        }
        let mut out = Vec::new();
        let mut pos: isize = 0;
        let (mut k, mut v): (Obj, Obj) = (null_mut(), null_mut());
        // SAFETY: `self` is a live dict; PyDict_Next hands out borrowed references, which are
        // turned into owned ones before anything else runs.
        while unsafe { ffi::PyDict_Next(self.as_ptr(), &mut pos, &mut k, &mut v) } != 0 {
            // SAFETY: borrowed references just returned by PyDict_Next.
            let (kr, vr) = unsafe { (PyRef::from_borrowed_ptr(k)?, PyRef::from_borrowed_ptr(v)?) };
            out.push((kr.extract()?, vr.extract()?));
        }
        Ok(out)
    }

    /// The items of a tuple, a list or any iterable (`list(obj)`).
    pub fn iter_items(&self) -> PyResult<Vec<PyRef>> {
        let _g = attach();
        let flags = self.flags();
        let (size, get): (
            unsafe extern "C" fn(Obj) -> isize,
            unsafe extern "C" fn(Obj, isize) -> Obj,
        ) = if flags & ffi::Py_TPFLAGS_TUPLE_SUBCLASS != 0 {
            (ffi::PyTuple_Size, ffi::PyTuple_GetItem)
        } else if flags & ffi::Py_TPFLAGS_LIST_SUBCLASS != 0 {
            (ffi::PyList_Size, ffi::PyList_GetItem)
        } else {
            return self.iterate();
        };
        // SAFETY: `self` is a live tuple or list, matching the size function.
        let n = unsafe { size(self.as_ptr()) };
        if n < 0 {
            return Err(PyErr::fetch());
        }
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            // SAFETY: `i` is in range; the item is borrowed and turned into an owned handle
            // before anything else runs.
            out.push(unsafe { PyRef::from_borrowed_ptr(get(self.as_ptr(), i)) }?);
        }
        Ok(out)
    }

    /// Iterates over the object (`iter(obj)`), collecting the items.
    pub fn iterate(&self) -> PyResult<Vec<PyRef>> {
        let _g = attach();
        // SAFETY: `self` is live.
        let it = unsafe { PyRef::from_owned_ptr(ffi::PyObject_GetIter(self.as_ptr())) }?;
        let mut out = Vec::new();
        loop {
            // SAFETY: `it` is a live iterator.
            let next = unsafe { ffi::PyIter_Next(it.as_ptr()) };
            if next.is_null() {
                if PyErr::occurred() {
                    return Err(PyErr::fetch());
                }
                return Ok(out);
            }
            // SAFETY: PyIter_Next returned a new reference.
            out.push(unsafe { PyRef::from_owned_ptr(next) }?);
        }
    }
}

// SAFETY: the runtime's reference counts are thread-safe (biased reference counting: another
// thread's increments and decrements go to the shared count, the last one frees through the
// owner's queue or directly), and every method that touches the object attaches the calling
// thread first; what a shared object allows concurrently is the object's own locking, as in
// CPython's free-threaded build.
unsafe impl Send for PyRef {}
// SAFETY: as for Send: `&PyRef` only gives the pointer and methods that attach.
unsafe impl Sync for PyRef {}

impl Clone for PyRef {
    fn clone(&self) -> PyRef {
        // SAFETY: `self` is live; the new handle owns the added reference.
        unsafe { ffi::Py_IncRef(self.as_ptr()) };
        PyRef { ptr: self.ptr }
    }
}

impl Drop for PyRef {
    fn drop(&mut self) {
        // The last reference runs the type's deallocator: extension code, which needs an
        // attached thread.
        let _g = attach();
        // SAFETY: this handle owns one strong reference.
        unsafe { ffi::Py_DecRef(self.as_ptr()) };
    }
}

impl fmt::Debug for PyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr() {
            Ok(r) => write!(f, "PyRef({r})"),
            Err(e) => write!(f, "PyRef(<{} object; repr failed: {e}>)", self.type_name()),
        }
    }
}

fn check(rc: std::ffi::c_int) -> PyResult<()> {
    if rc < 0 { Err(PyErr::fetch()) } else { Ok(()) }
}

/// Conversion of a Rust value into a new Python object.
pub trait IntoPy {
    /// Creates the object.
    fn into_py(self) -> PyResult<PyRef>;
}

/// Conversion of a Python object into a Rust value.
pub trait FromPy: Sized {
    /// Converts `obj`, or fails with Python's `TypeError`/`OverflowError`.
    fn from_py(obj: &PyRef) -> PyResult<Self>;
}

/// Positional arguments of a call: `()`, tuples of up to 4 [`IntoPy`] values, or a
/// `Vec<PyRef>`.
pub trait IntoPyArgs {
    /// The argument tuple.
    fn into_args(self) -> PyResult<PyRef>;
}

/// A new tuple of these objects.
pub fn tuple(items: Vec<PyRef>) -> PyResult<PyRef> {
    let _g = attach();
    // SAFETY: PyTuple_New returns a new reference or NULL.
    let t = unsafe { PyRef::from_owned_ptr(ffi::PyTuple_New(items.len() as isize)) }?;
    for (i, item) in items.into_iter().enumerate() {
        // SAFETY: `t` is a new tuple of the right size; SetItem steals the item's reference.
        check(unsafe { ffi::PyTuple_SetItem(t.as_ptr(), i as isize, item.into_ptr()) })?;
    }
    Ok(t)
}

/// A new list of these objects.
pub fn list(items: Vec<PyRef>) -> PyResult<PyRef> {
    let _g = attach();
    // SAFETY: PyList_New returns a new reference or NULL.
    let l = unsafe { PyRef::from_owned_ptr(ffi::PyList_New(items.len() as isize)) }?;
    for (i, item) in items.into_iter().enumerate() {
        // SAFETY: `l` is a new list of the right size; SetItem steals the item's reference.
        check(unsafe { ffi::PyList_SetItem(l.as_ptr(), i as isize, item.into_ptr()) })?;
    }
    Ok(l)
}

/// A new dict with these items, inserted in order.
pub fn dict_from_pairs<K: IntoPy, V: IntoPy>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> PyResult<PyRef> {
    let _g = attach();
    // SAFETY: PyDict_New returns a new reference or NULL.
    let d = unsafe { PyRef::from_owned_ptr(ffi::PyDict_New()) }?;
    for (k, v) in pairs {
        let (k, v) = (k.into_py()?, v.into_py()?);
        // SAFETY: all live; SetItem does not steal.
        check(unsafe { ffi::PyDict_SetItem(d.as_ptr(), k.as_ptr(), v.as_ptr()) })?;
    }
    Ok(d)
}

/// A new set with these objects.
pub fn set(items: Vec<PyRef>) -> PyResult<PyRef> {
    let _g = attach();
    // SAFETY: PySet_New(NULL) returns a new empty set or NULL.
    let s = unsafe { PyRef::from_owned_ptr(ffi::PySet_New(null_mut())) }?;
    for item in items {
        // SAFETY: both live; PySet_Add does not steal.
        check(unsafe { ffi::PySet_Add(s.as_ptr(), item.as_ptr()) })?;
    }
    Ok(s)
}

/// An int from its digits in `radix` (2 to 36), of any size.
pub fn int_from_digits(digits: &str, radix: u32) -> PyResult<PyRef> {
    let _g = attach();
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        return v.into_py();
    }
    let c = CString::new(digits).map_err(|_| PyErr::new("ValueError", "NUL in digits"))?;
    // SAFETY: `c` is a NUL-terminated string; NULL end pointer is allowed.
    unsafe {
        PyRef::from_owned_ptr(ffi::PyLong_FromString(
            c.as_ptr(),
            null_mut::<*mut c_char>(),
            radix as std::ffi::c_int,
        ))
    }
}

/// A str from code points (lone surrogates allowed, as in Python).
pub fn str_from_code_points(cps: &[u32]) -> PyResult<PyRef> {
    let _g = attach();
    if let Some(s) = cps
        .iter()
        .map(|&c| char::from_u32(c))
        .collect::<Option<String>>()
    {
        return s.as_str().into_py();
    }
    // SAFETY: `cps` holds `cps.len()` UCS-4 code units.
    unsafe {
        PyRef::from_owned_ptr(ffi::PyUnicode_FromKindAndData(
            4,
            cps.as_ptr().cast(),
            cps.len() as isize,
        ))
    }
}

impl IntoPy for PyRef {
    fn into_py(self) -> PyResult<PyRef> {
        Ok(self)
    }
}

impl IntoPy for &PyRef {
    fn into_py(self) -> PyResult<PyRef> {
        Ok(self.clone())
    }
}

impl IntoPy for () {
    fn into_py(self) -> PyResult<PyRef> {
        Ok(PyRef::none())
    }
}

impl IntoPy for bool {
    fn into_py(self) -> PyResult<PyRef> {
        let _g = attach();
        // SAFETY: PyBool_FromLong returns a new reference.
        unsafe { PyRef::from_owned_ptr(ffi::PyBool_FromLong(self as std::ffi::c_long)) }
    }
}

macro_rules! signed_into_py {
    ($($t:ty),*) => {$(
        impl IntoPy for $t {
            fn into_py(self) -> PyResult<PyRef> {
                let _g = attach();
                // SAFETY: PyLong_FromLongLong returns a new reference or NULL.
                unsafe { PyRef::from_owned_ptr(ffi::PyLong_FromLongLong(self as i64)) }
            }
        }
    )*};
}
signed_into_py!(i8, i16, i32, i64, isize);

macro_rules! unsigned_into_py {
    ($($t:ty),*) => {$(
        impl IntoPy for $t {
            fn into_py(self) -> PyResult<PyRef> {
                let _g = attach();
                // SAFETY: PyLong_FromUnsignedLongLong returns a new reference or NULL.
                unsafe { PyRef::from_owned_ptr(ffi::PyLong_FromUnsignedLongLong(self as u64)) }
            }
        }
    )*};
}
unsigned_into_py!(u16, u32, u64, usize);

impl IntoPy for f64 {
    fn into_py(self) -> PyResult<PyRef> {
        let _g = attach();
        // SAFETY: PyFloat_FromDouble returns a new reference or NULL.
        unsafe { PyRef::from_owned_ptr(ffi::PyFloat_FromDouble(self)) }
    }
}

impl IntoPy for num_bigint::BigInt {
    fn into_py(self) -> PyResult<PyRef> {
        (&self).into_py()
    }
}

impl IntoPy for &num_bigint::BigInt {
    fn into_py(self) -> PyResult<PyRef> {
        if let Ok(v) = i64::try_from(self) {
            return v.into_py();
        }
        int_from_digits(&self.to_str_radix(16), 16)
    }
}

impl FromPy for num_bigint::BigInt {
    /// Any int (by way of its hexadecimal digits when it does not fit in 64 bits).
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.flags() & ffi::Py_TPFLAGS_LONG_SUBCLASS == 0 {
            return Err(PyErr::type_error(format!(
                "expected int, got {}",
                obj.type_name()
            )));
        }
        let mut overflow: std::ffi::c_int = 0;
        // SAFETY: `obj` is a live int.
        let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
        if overflow == 0 {
            if v == -1 && PyErr::occurred() {
                return Err(PyErr::fetch());
            }
            return Ok(v.into());
        }
        // Wider than 64 bits: read its decimal str().
        let text = obj.str()?;
        text.parse::<num_bigint::BigInt>()
            .map_err(|e| PyErr::new("ValueError", format!("cannot read int {text:?}: {e}")))
    }
}

impl IntoPy for &str {
    fn into_py(self) -> PyResult<PyRef> {
        let _g = attach();
        // SAFETY: `self` is valid UTF-8 of the given length.
        unsafe {
            PyRef::from_owned_ptr(ffi::PyUnicode_FromStringAndSize(
                self.as_ptr().cast(),
                self.len() as isize,
            ))
        }
    }
}

impl IntoPy for String {
    fn into_py(self) -> PyResult<PyRef> {
        self.as_str().into_py()
    }
}

impl IntoPy for &String {
    fn into_py(self) -> PyResult<PyRef> {
        self.as_str().into_py()
    }
}

impl IntoPy for &[u8] {
    fn into_py(self) -> PyResult<PyRef> {
        let _g = attach();
        // SAFETY: the slice's bytes are readable; bytes copies them.
        unsafe {
            PyRef::from_owned_ptr(ffi::PyBytes_FromStringAndSize(
                self.as_ptr().cast(),
                self.len() as isize,
            ))
        }
    }
}

impl IntoPy for Vec<u8> {
    fn into_py(self) -> PyResult<PyRef> {
        self.as_slice().into_py()
    }
}

impl<T: IntoPy> IntoPy for Vec<T> {
    fn into_py(self) -> PyResult<PyRef> {
        list(
            self.into_iter()
                .map(IntoPy::into_py)
                .collect::<PyResult<_>>()?,
        )
    }
}

impl<T: IntoPy> IntoPy for Option<T> {
    fn into_py(self) -> PyResult<PyRef> {
        match self {
            Some(v) => v.into_py(),
            None => Ok(PyRef::none()),
        }
    }
}

impl<K: IntoPy, V: IntoPy, S> IntoPy for HashMap<K, V, S> {
    fn into_py(self) -> PyResult<PyRef> {
        dict_from_pairs(self)
    }
}

impl<K: IntoPy, V: IntoPy> IntoPy for BTreeMap<K, V> {
    fn into_py(self) -> PyResult<PyRef> {
        dict_from_pairs(self)
    }
}

macro_rules! tuple_impls {
    ($(($($n:tt $T:ident),+)),*) => {$(
        impl<$($T: IntoPy),+> IntoPy for ($($T,)+) {
            fn into_py(self) -> PyResult<PyRef> {
                tuple(vec![$(self.$n.into_py()?),+])
            }
        }
        impl<$($T: IntoPy),+> IntoPyArgs for ($($T,)+) {
            fn into_args(self) -> PyResult<PyRef> {
                tuple(vec![$(self.$n.into_py()?),+])
            }
        }
        impl<$($T: FromPy),+> FromPy for ($($T,)+) {
            fn from_py(obj: &PyRef) -> PyResult<Self> {
                if obj.flags() & ffi::Py_TPFLAGS_TUPLE_SUBCLASS == 0 {
                    return Err(PyErr::type_error(format!("expected tuple, got {}", obj.type_name())));
                }
                let items = obj.iter_items()?;
                let want = [$($n),+].len();
                if items.len() != want {
                    return Err(PyErr::new("ValueError", format!(
                        "expected a tuple of {want} items, got {}", items.len())));
                }
                Ok(($($T::from_py(&items[$n])?,)+))
            }
        }
    )*};
}
tuple_impls!((0 A), (0 A, 1 B), (0 A, 1 B, 2 C), (0 A, 1 B, 2 C, 3 D));

impl IntoPyArgs for () {
    fn into_args(self) -> PyResult<PyRef> {
        tuple(Vec::new())
    }
}

impl IntoPyArgs for Vec<PyRef> {
    fn into_args(self) -> PyResult<PyRef> {
        tuple(self)
    }
}

impl FromPy for PyRef {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        Ok(obj.clone())
    }
}

impl FromPy for () {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.is_none() {
            Ok(())
        } else {
            Err(PyErr::type_error(format!(
                "expected None, got {}",
                obj.type_name()
            )))
        }
    }
}

impl FromPy for bool {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        // SAFETY: a live object has a live type.
        if unsafe { (*obj.as_ptr()).ob_type } != &raw mut ffi::PyBool_Type {
            return Err(PyErr::type_error(format!(
                "expected bool, got {}",
                obj.type_name()
            )));
        }
        Ok(obj.as_ptr() == (&raw mut ffi::_Py_TrueStruct).cast())
    }
}

fn as_i64(obj: &PyRef) -> PyResult<i64> {
    // SAFETY: `obj` is live.
    let v = unsafe { ffi::PyLong_AsLongLong(obj.as_ptr()) };
    if v == -1 && PyErr::occurred() {
        return Err(PyErr::fetch());
    }
    Ok(v)
}

fn as_u64(obj: &PyRef) -> PyResult<u64> {
    // SAFETY: `obj` is live.
    let v = unsafe { ffi::PyLong_AsUnsignedLongLong(obj.as_ptr()) };
    if v == u64::MAX && PyErr::occurred() {
        return Err(PyErr::fetch());
    }
    Ok(v)
}

macro_rules! int_from_py {
    ($via:ident, $ctype:literal, $($t:ty),*) => {$(
        impl FromPy for $t {
            fn from_py(obj: &PyRef) -> PyResult<Self> {
                <$t>::try_from($via(obj)?).map_err(|_| {
                    PyErr::new("OverflowError", concat!("Python int too large to convert to ", $ctype))
                })
            }
        }
    )*};
}
int_from_py!(as_i64, "C long", i64);
int_from_py!(as_i64, "C int", i32, i16, i8);
int_from_py!(as_i64, "C ssize_t", isize);
int_from_py!(as_u64, "C unsigned long", u64);
int_from_py!(as_u64, "C unsigned int", u32, u16);
int_from_py!(as_u64, "C size_t", usize);

impl FromPy for f64 {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        // SAFETY: `obj` is live.
        let v = unsafe { ffi::PyFloat_AsDouble(obj.as_ptr()) };
        if v == -1.0 && PyErr::occurred() {
            return Err(PyErr::fetch());
        }
        Ok(v)
    }
}

impl FromPy for String {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.flags() & ffi::Py_TPFLAGS_UNICODE_SUBCLASS == 0 {
            return Err(PyErr::type_error(format!(
                "expected str, got {}",
                obj.type_name()
            )));
        }
        let mut n: isize = 0;
        // SAFETY: `obj` is a live str; the UTF-8 buffer lives as long as the object.
        unsafe {
            let p = ffi::PyUnicode_AsUTF8AndSize(obj.as_ptr(), &mut n);
            if p.is_null() {
                return Err(PyErr::fetch());
            }
            let bytes = std::slice::from_raw_parts(p.cast::<u8>(), n as usize);
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

impl FromPy for Vec<u8> {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.flags() & ffi::Py_TPFLAGS_BYTES_SUBCLASS == 0 {
            return Err(PyErr::type_error(format!(
                "expected bytes, got {}",
                obj.type_name()
            )));
        }
        let mut p: *mut c_char = null_mut();
        let mut n: isize = 0;
        // SAFETY: `obj` is live bytes; the buffer lives as long as the object.
        unsafe {
            check(ffi::PyBytes_AsStringAndSize(obj.as_ptr(), &mut p, &mut n))?;
            Ok(std::slice::from_raw_parts(p.cast::<u8>(), n as usize).to_vec())
        }
    }
}

impl<T: FromPy> FromPy for Vec<T> {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.flags() & ffi::Py_TPFLAGS_UNICODE_SUBCLASS != 0 {
            return Err(PyErr::type_error("can't extract a str to a Vec"));
        }
        obj.iter_items()?.iter().map(T::from_py).collect()
    }
}

impl<T: FromPy> FromPy for Option<T> {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        if obj.is_none() {
            Ok(None)
        } else {
            T::from_py(obj).map(Some)
        }
    }
}

impl<K: FromPy + Eq + Hash, V: FromPy> FromPy for HashMap<K, V> {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        Ok(obj.dict_items()?.into_iter().collect())
    }
}

impl<K: FromPy + Ord, V: FromPy> FromPy for BTreeMap<K, V> {
    fn from_py(obj: &PyRef) -> PyResult<Self> {
        Ok(obj.dict_items()?.into_iter().collect())
    }
}

/// Configures a [`Host`]: lock policy, search path, modules exempt from the `error` policy.
#[derive(Clone, Debug, Default)]
pub struct HostBuilder {
    policy: Option<Policy>,
    paths: Vec<PathBuf>,
    allow: Vec<String>,
}

impl HostBuilder {
    /// The lock policy (default: [`Policy::Auto`], CPython 3.14t's behaviour).
    pub fn policy(mut self, policy: Policy) -> HostBuilder {
        self.policy = Some(policy);
        self
    }

    /// Adds a folder to search for dotted names (searched in order, before `GILGATE_PATH` and
    /// the current folder). A wheel (`*.whl`) is unpacked privately, as `inspect` does (its
    /// extension modules and the libraries they need), for as long as the host lives, and
    /// searched in its place.
    pub fn path(mut self, dir: impl Into<PathBuf>) -> HostBuilder {
        self.paths.push(dir.into());
        self
    }

    /// Exempts a module from the `error` policy.
    pub fn allow(mut self, name: impl Into<String>) -> HostBuilder {
        self.allow.push(name.into());
        self
    }

    /// The host. A wheel on the search path that cannot be unpacked makes every import
    /// fail with an `ImportError` naming it (see [`HostBuilder::try_build`]).
    pub fn build(self) -> Host {
        let (mut host, error) = self.build_inner();
        host.broken_path = error;
        host
    }

    /// The host, or the error of a wheel on the search path (`path(x.whl)`, or one in
    /// `GILGATE_PATH`) that cannot be unpacked.
    pub fn try_build(self) -> PyResult<Host> {
        match self.build_inner() {
            (host, None) => Ok(host),
            (_, Some(e)) => Err(e),
        }
    }

    fn build_inner(self) -> (Host, Option<PyErr>) {
        // A failure here (no -rdynamic) shows again, as an error, on the first import.
        let runtime = init_runtime();
        let policy = self.policy.unwrap_or(Policy::Auto);
        // One lock and one policy per process: the first host fixes it.
        let conflict = match runtime {
            Ok(_) => gilgate_loader::lock::fix_process_policy(policy)
                .err()
                .map(|e| PyErr::new("RuntimeError", e.to_string())),
            Err(_) => None,
        };
        let mut inner = gilgate_loader::Loader::new(policy);
        for a in self.allow {
            inner.allow(a);
        }
        let search = gilgate_loader::search_path(&self.paths);
        let (search, wheels, mut error) = match gilgate_loader::expand_wheels(&search) {
            Ok(expanded) => (expanded.dirs, expanded.unpacked, None),
            Err(e) => (
                search,
                Vec::new(),
                Some(PyErr::new(
                    "ImportError",
                    format!("cannot use the wheel {e}"),
                )),
            ),
        };
        if conflict.is_some() {
            error = conflict;
        }
        let host = Host {
            inner,
            search,
            _wheels: wheels,
            broken_path: None,
        };
        (host, error)
    }
}

/// A host: the modules loaded into this process, under one lock policy.
pub struct Host {
    inner: gilgate_loader::Loader,
    search: Vec<PathBuf>,
    /// Wheels on the search path, unpacked for as long as the host lives.
    _wheels: Vec<gilgate_loader::Unpacked>,
    /// Why the search path cannot be used (an unreadable wheel): every import fails with it.
    broken_path: Option<PyErr>,
}

impl Default for Host {
    fn default() -> Host {
        Host::new()
    }
}

impl Host {
    /// A host with the `auto` policy searching `GILGATE_PATH` and the current folder.
    pub fn new() -> Host {
        HostBuilder::default().build()
    }

    /// A [`HostBuilder`].
    pub fn builder() -> HostBuilder {
        HostBuilder::default()
    }

    /// The loader's host (lock state, declarations and lints of the loaded modules).
    pub fn loader(&self) -> &gilgate_loader::Loader {
        &self.inner
    }

    /// The folders searched for dotted names, in order (a wheel's unpacked folder in its place).
    pub fn search_path(&self) -> &[PathBuf] {
        &self.search
    }

    /// Whether the process's lock is enabled now (a module enabled it, or the policy is `on`).
    pub fn lock_enabled(&self) -> bool {
        self.inner.lock().describe() != "off"
    }

    fn find_loaded(&self, name: &str) -> Option<Module> {
        self.inner
            .modules()
            .iter()
            .find(|m| m.name == name)
            .map(|m| Module {
                name: m.name.clone(),
                // SAFETY: the loader's host keeps a strong reference to every loaded module.
                obj: unsafe { PyRef::from_borrowed_ptr(m.as_ptr()) }.expect("live module"),
            })
    }

    /// Imports a module by dotted name from the search path (once: a second import gives the
    /// same module object).
    ///
    /// gilgate's built-in modules (`datetime`, `collections`, ...) come first, as CPython's
    /// built-in importer does; the search path is for extension files.
    pub fn import(&mut self, name: &str) -> PyResult<Module> {
        let _g = attach();
        if let Some(m) = self.find_loaded(name) {
            return Ok(m);
        }
        if gilgate_capi::host::builtin_module_names().any(|b| b == name) {
            let m = gilgate_capi::host::import_module(name);
            // SAFETY: a new reference, or NULL with an exception set.
            let obj = unsafe { PyRef::from_owned_ptr(m) }?;
            return Ok(Module {
                name: name.to_string(),
                obj,
            });
        }
        self.load_spec(name)
    }

    /// Loads the extension module file at `path` (its name comes from the file name).
    pub fn load_path(&mut self, path: impl AsRef<Path>) -> PyResult<Module> {
        let p = path.as_ref();
        let spec = if p.components().count() > 1 {
            p.to_string_lossy().into_owned()
        } else {
            format!("./{}", p.display())
        };
        self.load_spec(&spec)
    }

    fn load_spec(&mut self, spec: &str) -> PyResult<Module> {
        let _g = attach();
        if let Some(e) = &self.broken_path {
            return Err(e.clone());
        }
        let before = gilgate_capi::host::get_module(spec);
        let loaded = self.inner.load(spec, &self.search);
        let stored = gilgate_capi::host::get_module(spec);
        // SAFETY: our new references (or NULL).
        unsafe {
            gilgate_capi::host::xdecref(before);
            gilgate_capi::host::xdecref(stored);
        }
        let m = loaded?;
        let module = Module {
            name: m.name.clone(),
            // SAFETY: the loader's host keeps a strong reference to every loaded module.
            obj: unsafe { PyRef::from_borrowed_ptr(m.as_ptr()) }?,
        };
        // As an import does: `sys.modules[name]`, so that a later import (from an extension)
        // finds it instead of loading the file again. An entry the module's own init or exec
        // put there (a module replacing itself) stays.
        let replaced_itself = stored != before && !stored.is_null();
        if !replaced_itself && gilgate_capi::host::set_module(&module.name, module.obj.as_ptr()) < 0
        {
            return Err(PyErr::fetch());
        }
        Ok(module)
    }
}

/// A loaded module.
#[derive(Clone, Debug)]
pub struct Module {
    name: String,
    obj: PyRef,
}

impl Module {
    /// The dotted name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The module object.
    pub fn object(&self) -> &PyRef {
        &self.obj
    }

    /// `module.name`.
    pub fn getattr(&self, name: &str) -> PyResult<PyRef> {
        let _g = attach();
        self.obj.getattr(name)
    }

    /// `module.name = value`.
    pub fn setattr(&self, name: &str, value: impl IntoPy) -> PyResult<()> {
        let _g = attach();
        self.obj.setattr(name, value)
    }

    /// `module.name(*args)`.
    pub fn call(&self, name: &str, args: impl IntoPyArgs) -> PyResult<PyRef> {
        self.obj.getattr(name)?.call(args)
    }

    /// `module.name(*args, **kwargs)`.
    pub fn call_kw<K: AsRef<str>>(
        &self,
        name: &str,
        args: impl IntoPyArgs,
        kwargs: impl IntoIterator<Item = (K, PyRef)>,
    ) -> PyResult<PyRef> {
        self.obj.getattr(name)?.call_kw(args, kwargs)
    }

    /// The module's attributes (its `__dict__`), in insertion order.
    pub fn attributes(&self) -> PyResult<Vec<(String, PyRef)>> {
        let _g = attach();
        // SAFETY: the module is live; PyModule_GetDict returns a borrowed reference.
        let d = unsafe { PyRef::from_borrowed_ptr(ffi::PyModule_GetDict(self.obj.as_ptr())) }?;
        d.dict_items()
    }
}
