//! `moduleobject.h`: module definitions, slots and module objects.

use crate::export;
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, freefunc, inquiry, traverseproc};
use crate::pyport::Py_ssize_t;
use std::ffi::{c_char, c_int, c_void};

/// `PyModuleDef_Base` (56 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef_Base {
    pub ob_base: PyObject,
    pub m_init: Option<unsafe extern "C" fn() -> *mut PyObject>,
    pub m_index: Py_ssize_t,
    pub m_copy: *mut PyObject,
}

/// `PyModuleDef_Slot` (16 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef_Slot {
    pub slot: c_int,
    pub value: *mut c_void,
}

/// `PyModuleDef` (120 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleDef {
    pub m_base: PyModuleDef_Base,
    pub m_name: *const c_char,
    pub m_doc: *const c_char,
    pub m_size: Py_ssize_t,
    pub m_methods: *mut PyMethodDef,
    pub m_slots: *mut PyModuleDef_Slot,
    pub m_traverse: traverseproc,
    pub m_clear: inquiry,
    pub m_free: freefunc,
}

/// The module object of a 3.14t build (80 bytes; the layout is internal in CPython but
/// kept identical).
#[repr(C)]
#[derive(Debug)]
pub struct PyModuleObject {
    pub ob_base: PyObject,
    pub md_dict: *mut PyObject,
    pub md_def: *mut PyModuleDef,
    pub md_state: *mut c_void,
    pub md_weaklist: *mut PyObject,
    pub md_name: *mut PyObject,
    pub md_gil: *mut c_void,
}

// Slot IDs, 3.13/3.14 numbering.
pub const Py_mod_create: c_int = 1;
pub const Py_mod_exec: c_int = 2;
pub const Py_mod_multiple_interpreters: c_int = 3;
pub const Py_mod_gil: c_int = 4;
pub const _Py_mod_LAST_SLOT: c_int = 4;

/// Slot IDs in 3.15 numbering (PEP 820); 1..=4 are still accepted and map to 84..=87.
pub mod v315 {
    use std::ffi::c_int;
    pub const Py_slot_end: c_int = 0;
    pub const Py_mod_create: c_int = 84;
    pub const Py_mod_exec: c_int = 85;
    pub const Py_mod_multiple_interpreters: c_int = 86;
    pub const Py_mod_gil: c_int = 87;
    pub const Py_slot_subslots: c_int = 92;
    pub const Py_mod_slots: c_int = 94;
    pub const Py_mod_name: c_int = 100;
    pub const Py_mod_doc: c_int = 101;
    pub const Py_mod_state_size: c_int = 102;
    pub const Py_mod_methods: c_int = 103;
    pub const Py_mod_state_traverse: c_int = 104;
    pub const Py_mod_state_clear: c_int = 105;
    pub const Py_mod_state_free: c_int = 106;
    pub const Py_mod_abi: c_int = 109;
    pub const Py_mod_token: c_int = 110;
    pub const Py_slot_invalid: c_int = 0xffff;
}

pub const Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED: usize = 0;
pub const Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED: usize = 1;
pub const Py_MOD_PER_INTERPRETER_GIL_SUPPORTED: usize = 2;
pub const Py_MOD_GIL_USED: usize = 0;
pub const Py_MOD_GIL_NOT_USED: usize = 1;

/// `PYTHON_API_VERSION` and `PYTHON_ABI_VERSION`.
pub const PYTHON_API_VERSION: c_int = 1013;
pub const PYTHON_ABI_VERSION: c_int = 3;

// ---------------------------------------------------------------------------------------
// Rust-level interface used by gilgate-loader (contract; bodies filled in by the object
// model work). Everything returning `*mut PyObject` follows the C API convention: NULL
// means an exception is set.
// ---------------------------------------------------------------------------------------

/// Whose rules apply to a module: slot numbering, the meaning of the `Py_mod_gil` value,
/// the order of checks and error texts (see docs/architecture.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Cp313t,
    Cp314t,
    Cp315t,
}

/// One slot as written in a module's slot array, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    /// The ID as written in the module.
    pub id: i32,
    /// The slot's name under the target's numbering (`Py_mod_gil`), if known.
    pub name: Option<&'static str>,
    /// `"function"` for create/exec, `Py_MOD_GIL_NOT_USED`-style names for known values,
    /// else the raw value in hex (`"0x2"`).
    pub value: String,
}

/// 3.15 `PySlot` (16 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PySlot {
    pub sl_id: u16,
    pub sl_flags: u16,
    pub sl_reserved: u32,
    /// The `sl_ptr`/`sl_func`/`sl_size`/`sl_int64`/`sl_uint64` union.
    pub sl_value: u64,
}

pub const PySlot_OPTIONAL: u16 = 0x1;
pub const PySlot_STATIC: u16 = 0x2;
pub const PySlot_INTPTR: u16 = 0x4;
/// `_PySlot_MAX_NESTING`.
pub(crate) const PySlot_MAX_NESTING: usize = 5;
/// Entries read at most from one slot array by `describe_*`.
pub(crate) const DESCRIBE_LIMIT: usize = 1024;

use crate::object::{PyTypeObject, static_type};
use crate::pyerrors::{EXC_SystemError, EXC_TypeError, EXC_ValueError, raise, raise_from_cause};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::CStr;
use std::ptr::null_mut;
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, AtomicU64, Ordering};

type CreateFn = unsafe extern "C" fn(*mut PyObject, *mut PyModuleDef) -> *mut PyObject;
type ExecFn = unsafe extern "C" fn(*mut PyObject) -> c_int;

#[export]
pub static mut PyModuleDef_Type: PyTypeObject =
    static_type(c"moduledef", std::mem::size_of::<PyModuleDef>(), 0, 0);

#[export]
pub static mut PyModule_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(module_dealloc),
    tp_repr: Some(module_repr),
    tp_getattro: Some(module_getattro),
    tp_new: Some(module_new),
    tp_init: Some(module_init),
    tp_dictoffset: std::mem::offset_of!(PyModuleObject, md_dict) as Py_ssize_t,
    tp_weaklistoffset: std::mem::offset_of!(PyModuleObject, md_weaklist) as Py_ssize_t,
    ..static_type(
        c"module",
        std::mem::size_of::<PyModuleObject>(),
        0,
        crate::object::Py_TPFLAGS_BASETYPE,
    )
};

/// `module.__new__` (`types.ModuleType`): a module of type `t` with an empty dict.
unsafe extern "C" fn module_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            decref(op);
            return null_mut();
        }
        (*op.cast::<PyModuleObject>()).md_dict = d;
        op
    }
}

/// `module.__init__(name, doc=None)`.
unsafe extern "C" fn module_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> std::ffi::c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let a = crate::tupleobject::items(args);
        let mut name = a.first().copied().unwrap_or(null_mut());
        let mut doc = a.get(1).copied().unwrap_or(null_mut());
        if a.len() > 2 {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("module() takes at most 2 arguments ({} given)", a.len()),
            );
            return -1;
        }
        if !kw.is_null() {
            for (k, slot) in [("name", &mut name), ("doc", &mut doc)] {
                let v = crate::dictobject::get_str(kw, k);
                if !v.is_null() {
                    *slot = v;
                }
            }
        }
        if name.is_null() {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                "module() missing required argument 'name' (pos 1)",
            );
            return -1;
        }
        if !crate::unicodeobject::is_str(name) {
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!(
                    "module() argument 'name' must be str, not {}",
                    crate::object::tname(name)
                ),
            );
            return -1;
        }
        let m = &mut *op.cast::<PyModuleObject>();
        let old = std::mem::replace(&mut m.md_name, new_ref(name));
        crate::refcount::xdecref(old);
        let none = crate::object::none();
        let doc = if doc.is_null() { none } else { doc };
        for (k, v) in [
            ("__name__", name),
            ("__doc__", doc),
            ("__package__", none),
            ("__loader__", none),
            ("__spec__", none),
        ] {
            if crate::dictobject::set_item_str(m.md_dict, k, v) < 0 {
                return -1;
            }
        }
        0
    }
}

/// Whether `op` is a module (or subclass instance).
///
/// # Safety
/// `op` must be a live object.
pub unsafe fn is_module(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, &raw mut PyModule_Type) }
}

unsafe fn as_module<'a>(op: *mut PyObject) -> Option<&'a mut PyModuleObject> {
    // SAFETY: `op` is NULL or a live object; modules have the PyModuleObject layout.
    unsafe {
        if op.is_null() || !is_module(op) {
            return None;
        }
        Some(&mut *op.cast::<PyModuleObject>())
    }
}

unsafe extern "C" fn module_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead module (slot contract).
    unsafe {
        let m = &mut *op.cast::<PyModuleObject>();
        if let Some(def) = m.md_def.as_ref()
            && let Some(free) = def.m_free
            && (def.m_size <= 0 || !m.md_state.is_null())
        {
            crate::extcall::free(free, op.cast());
        }
        crate::pymem::free(m.md_state);
        xdecref(m.md_dict);
        xdecref(m.md_name);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn module_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live module (slot contract).
    unsafe {
        let m = &*op.cast::<PyModuleObject>();
        let name = if m.md_dict.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(m.md_dict, "__name__")
        };
        let name = if name.is_null() {
            "?".to_string()
        } else {
            crate::object::str_string(name)
        };
        let file = if m.md_dict.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(m.md_dict, "__file__")
        };
        if !file.is_null() && uni::is_str(file) {
            uni::from_str(&format!(
                "<module '{name}' from '{}'>",
                uni::as_str(file).unwrap_or("")
            ))
        } else {
            uni::from_str(&format!("<module '{name}'>"))
        }
    }
}

unsafe extern "C" fn module_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live module and `name` a str (slot contract).
    unsafe {
        // `__dict__`: CPython's read-only member of the module type.
        let m = &*op.cast::<PyModuleObject>();
        static DICT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        if !m.md_dict.is_null() && uni::is_str(name) && uni::is_name(name, &DICT, "__dict__") {
            return new_ref(m.md_dict);
        }
        match crate::object::generic_getattr_opt(op, name) {
            Err(()) => null_mut(),
            Ok(v) if !v.is_null() => v,
            Ok(_) => {
                let m = &*op.cast::<PyModuleObject>();
                let attr = uni::as_str(name).unwrap_or("?");
                let modname = if m.md_dict.is_null() {
                    null_mut()
                } else {
                    crate::dictobject::get_str(m.md_dict, "__name__")
                };
                let msg = if !modname.is_null() && uni::is_str(modname) {
                    let pkg = uni::as_str(modname).unwrap_or("");
                    let note = crate::import::missing_submodule_note(m.md_dict, pkg, attr)
                        .unwrap_or_default();
                    format!("module '{pkg}' has no attribute '{attr}'{note}")
                } else {
                    format!("module has no attribute '{attr}'")
                };
                crate::pyerrors::raise_attribute_error(&msg, op, name)
            }
        }
    }
}

/// What the import machinery adds to an extension module loaded from `origin` before its exec
/// runs (CPython's `_init_module_attrs` for a spec with a location): `__spec__` (a spec named
/// after the module's `__name__`, with that origin) when it is None or missing (pybind11's
/// exec reads `__spec__.name`), and `__file__`, unless the module set one itself. Objects that
/// are not modules are left alone.
///
/// # Safety
/// `m` must be NULL or a live object.
pub unsafe fn init_module_attrs(m: *mut PyObject, origin: &str) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        if m.is_null() || !crate::object::type_check(m, &raw mut PyModule_Type) {
            return 0;
        }
        let d = (*m.cast::<PyModuleObject>()).md_dict;
        if d.is_null() {
            return 0;
        }
        let spec = crate::dictobject::get_str(d, "__spec__");
        let name = crate::dictobject::get_str(d, "__name__");
        if (spec.is_null() || spec == crate::object::none())
            && !name.is_null()
            && let Some(n) = uni::as_str(name)
        {
            let s = crate::import::new_module_spec(n, Some(origin));
            if s.is_null() {
                return -1;
            }
            let r = crate::dictobject::set_item_str(d, "__spec__", s);
            decref(s);
            if r < 0 {
                return -1;
            }
        }
        if !crate::dictobject::get_str(d, "__file__").is_null() {
            return 0;
        }
        let f = uni::from_str(origin);
        if f.is_null() {
            return -1;
        }
        let r = crate::dictobject::set_item_str(d, "__file__", f);
        decref(f);
        r
    }
}

/// `PyModule_NewObject`: a module named `name` with `__name__`, `__doc__`, `__package__`,
/// `__loader__` and `__spec__` in its dict.
///
/// # Safety
/// `name` must be a live object.
pub unsafe fn new_module(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let op = crate::objimpl::alloc_object(&raw mut PyModule_Type, 0);
        if op.is_null() {
            return op;
        }
        let d = crate::dictobject::new_dict();
        if d.is_null() {
            decref(op);
            return null_mut();
        }
        let m = &mut *op.cast::<PyModuleObject>();
        m.md_dict = d;
        m.md_name = new_ref(name);
        let none = crate::object::none();
        for (k, v) in [
            ("__name__", name),
            ("__doc__", none),
            ("__package__", none),
            ("__loader__", none),
            ("__spec__", none),
        ] {
            if crate::dictobject::set_item_str(d, k, v) < 0 {
                decref(op);
                return null_mut();
            }
        }
        op
    }
}

#[export]
pub unsafe fn PyModule_NewObject(name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object, per the C API contract.
    unsafe { new_module(name) }
}

#[export]
pub unsafe fn PyModule_New(name: *const c_char) -> *mut PyObject {
    // SAFETY: a NUL-terminated string, per the C API contract.
    unsafe {
        let n = uni::from_cstr(name);
        if n.is_null() {
            return n;
        }
        let m = new_module(n);
        decref(n);
        m
    }
}

static NEXT_MODULE_INDEX: AtomicIsize = AtomicIsize::new(1);

/// `PyModuleDef_Init` (3.13/3.14 behaviour: never fails).
///
/// # Safety
/// `def` must point to a writable `PyModuleDef`.
pub(crate) unsafe fn moduledef_init(def: *mut PyModuleDef) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if (*def).m_base.m_index == 0 {
            crate::refcount::set_refcnt(def.cast(), 1);
            (*def).m_base.ob_base.ob_type = &raw mut PyModuleDef_Type;
            (*def).m_base.m_index = NEXT_MODULE_INDEX.fetch_add(1, Ordering::SeqCst);
        }
        def.cast()
    }
}

#[export]
pub unsafe fn PyModuleDef_Init(def: *mut PyModuleDef) -> *mut PyObject {
    // SAFETY: a writable def, per the C API contract.
    unsafe { moduledef_init(def) }
}

/// The 3.15t `PyModuleDef_Init` header check: the def must look like a free-threaded one.
///
/// # Safety
/// `def` must point to a `PyModuleDef`.
unsafe fn check_def_abi_315(def: *mut PyModuleDef) -> bool {
    use crate::object::{_Py_LEGACY_ABI_CHECK_FLAG, _Py_STATICALLY_ALLOCATED_FLAG};
    // SAFETY: forwarded contract.
    let flags = unsafe { (*def).m_base.ob_base.ob_flags };
    if flags & (_Py_STATICALLY_ALLOCATED_FLAG | _Py_LEGACY_ABI_CHECK_FLAG)
        != _Py_STATICALLY_ALLOCATED_FLAG
    {
        raise(
            &raw mut EXC_SystemError,
            "invalid PyModuleDef, extension possibly compiled for non-free-threaded Python",
        );
        return false;
    }
    true
}

fn cstr_lossy(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL C strings handed to us are NUL-terminated.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The API version check of `PyModule_Create2`/`PyModule_FromDefAndSpec2`: a RuntimeWarning
/// on mismatch; false if the warning was turned into an error.
fn check_api_version(name: &str, api_version: c_int) -> bool {
    if api_version == PYTHON_API_VERSION || api_version == PYTHON_ABI_VERSION {
        return true;
    }
    let n: String = name.chars().take(100).collect();
    let msg = format!(
        "Python C API version mismatch for module {n}: This Python has API version {PYTHON_API_VERSION}, module {n} has version {api_version}."
    );
    // SAFETY: RuntimeWarning is an exception type.
    unsafe { crate::warnings::warn(&raw mut crate::pyerrors::EXC_RuntimeWarning, &msg, 1) == 0 }
}

// ---- single-phase ------------------------------------------------------------------------

thread_local! {
    /// The package context of the single-phase init running on this thread (each thread's
    /// own: two threads importing at once do not see each other's).
    static PACKAGE_CONTEXT: std::cell::RefCell<Option<std::ffi::CString>> =
        const { std::cell::RefCell::new(None) };
}

/// Sets this thread's package context (the full dotted name) that single-phase
/// `PyModule_Create2` resolves a short `m_name` against; returns the previous one.
pub fn swap_package_context(full_name: Option<std::ffi::CString>) -> Option<std::ffi::CString> {
    PACKAGE_CONTEXT.with(|c| c.replace(full_name))
}

fn resolve_name(name: &str) -> String {
    PACKAGE_CONTEXT.with(|c| resolve_in(&mut c.borrow_mut(), name))
}

fn resolve_in(ctx: &mut Option<std::ffi::CString>, name: &str) -> String {
    if let Some(full) = ctx.as_ref() {
        let full = full.to_string_lossy().into_owned();
        if let Some(i) = full.rfind('.')
            && full[i + 1..] == *name
        {
            *ctx = None;
            return full;
        }
    }
    name.to_owned()
}

/// `PyModule_Create2` (`_PyModule_CreateInitialized`).
///
/// # Safety
/// `def` must point to a `PyModuleDef` that stays alive.
pub(crate) unsafe fn create_module(def: *mut PyModuleDef, api_version: c_int) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        moduledef_init(def);
        let d = &*def;
        let short = cstr_lossy(d.m_name);
        if !check_api_version(&short, api_version) {
            return null_mut();
        }
        if !d.m_slots.is_null() {
            return raise(
                &raw mut EXC_SystemError,
                &format!("module {short}: PyModule_Create is incompatible with m_slots"),
            );
        }
        let full = resolve_name(&short);
        let n = uni::from_str(&full);
        if n.is_null() {
            return n;
        }
        let m = new_module(n);
        decref(n);
        if m.is_null() {
            return m;
        }
        let mo = &mut *m.cast::<PyModuleObject>();
        if d.m_size > 0 {
            let st = crate::pymem::calloc(1, d.m_size as usize);
            if st.is_null() {
                decref(m);
                return crate::pyerrors::no_memory();
            }
            mo.md_state = st;
        }
        if !d.m_methods.is_null() && add_functions(m, d.m_methods) < 0 {
            decref(m);
            return null_mut();
        }
        if !d.m_doc.is_null() && set_doc_string(m, d.m_doc) < 0 {
            decref(m);
            return null_mut();
        }
        mo.md_def = def;
        mo.md_gil = Py_MOD_GIL_USED as *mut c_void;
        m
    }
}

#[export]
pub unsafe fn PyModule_Create2(def: *mut PyModuleDef, api_version: c_int) -> *mut PyObject {
    // SAFETY: a live def, per the C API contract.
    unsafe { create_module(def, api_version) }
}

#[export(err = null_mut())]
pub unsafe fn _PyModule_CreateInitialized(
    def: *mut PyModuleDef,
    api_version: c_int,
) -> *mut PyObject {
    // SAFETY: a live def, per the C API contract.
    unsafe { create_module(def, api_version) }
}

// ---- functions, doc, constants --------------------------------------------------------------

/// Adds builtin functions for `methods` (NULL-name terminated) as attributes of `m`.
///
/// # Safety
/// `m` must be a live object; `methods` a method table that outlives it.
pub(crate) unsafe fn add_functions(m: *mut PyObject, methods: *mut PyMethodDef) -> c_int {
    use crate::methodobject::{METH_CLASS, METH_STATIC};
    // SAFETY: forwarded contract.
    unsafe {
        let name = if is_module(m) {
            module_name_object(m)
        } else {
            crate::object::getattr(m, uni::intern("__name__"))
        };
        if name.is_null() {
            return -1;
        }
        let mut f = methods;
        let mut rc = 0;
        while !(*f).ml_name.is_null() {
            if (*f).ml_flags & (METH_CLASS | METH_STATIC) != 0 {
                raise(
                    &raw mut EXC_ValueError,
                    "module functions cannot set METH_CLASS or METH_STATIC",
                );
                rc = -1;
                break;
            }
            let func = crate::methodobject::new_cfunction(f, m, name, null_mut());
            if func.is_null() {
                rc = -1;
                break;
            }
            // Interned, as CPython's attribute setting by C string interns the name.
            let key = uni::PyUnicode_InternFromString((*f).ml_name);
            let r = if key.is_null() {
                -1
            } else {
                crate::object::setattr(m, key, func)
            };
            xdecref(key);
            decref(func);
            if r < 0 {
                rc = -1;
                break;
            }
            f = f.add(1);
        }
        decref(name);
        rc
    }
}

#[export]
pub unsafe fn PyModule_AddFunctions(m: *mut PyObject, methods: *mut PyMethodDef) -> c_int {
    // SAFETY: a live module and a method table, per the C API contract.
    unsafe { add_functions(m, methods) }
}

/// Sets `__doc__` from a C string.
///
/// # Safety
/// `m` must be a live object; `doc` a NUL-terminated string.
pub(crate) unsafe fn set_doc_string(m: *mut PyObject, doc: *const c_char) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let v = uni::from_cstr(doc);
        if v.is_null() {
            return -1;
        }
        let r = crate::object::setattr(m, uni::intern("__doc__"), v);
        decref(v);
        r
    }
}

#[export]
pub unsafe fn PyModule_SetDocString(m: *mut PyObject, doc: *const c_char) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { set_doc_string(m, doc) }
}

/// `PyModule_GetNameObject` (new reference).
///
/// # Safety
/// `m` must be NULL or a live object.
pub(crate) unsafe fn module_name_object(m: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { module_dict_str(m, "__name__", "nameless module") }
}

/// A new reference to the str stored under `key` in module `m`'s dict; SystemError `missing`
/// when it is absent or not a str, `PyErr_BadInternalCall` when `m` is not a module.
///
/// # Safety
/// `m` must be NULL or a valid object.
unsafe fn module_dict_str(m: *mut PyObject, key: &str, missing: &str) -> *mut PyObject {
    // SAFETY: forwarded contract; `as_module` checks the type before the dict is read.
    unsafe {
        let Some(mo) = as_module(m) else {
            return crate::pyerrors::bad_internal_call();
        };
        let v = if mo.md_dict.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(mo.md_dict, key)
        };
        if v.is_null() || !uni::is_str(v) {
            return raise(&raw mut EXC_SystemError, missing);
        }
        new_ref(v)
    }
}

/// The UTF-8 buffer of a str obtained by `get` (a new reference, NULL on error). The buffer
/// stays valid after the reference is dropped because the module dict still holds the str.
///
/// # Safety
/// `get` must return NULL or a new reference to a str that something else keeps alive.
unsafe fn borrowed_utf8(get: impl FnOnce() -> *mut PyObject) -> *const c_char {
    let s = get();
    if s.is_null() {
        return std::ptr::null();
    }
    // SAFETY: `s` is a live str (contract above).
    unsafe {
        let p = uni::as_cstr(s).unwrap_or(std::ptr::null());
        decref(s);
        p
    }
}

#[export]
pub unsafe fn PyModule_GetNameObject(m: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { module_name_object(m) }
}

#[export]
pub unsafe fn PyModule_GetName(m: *mut PyObject) -> *const c_char {
    // SAFETY: per the C API contract; the name stays alive in the module dict.
    unsafe { borrowed_utf8(|| module_name_object(m)) }
}

#[export]
pub unsafe fn PyModule_GetFilenameObject(m: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { module_dict_str(m, "__file__", "module filename missing") }
}

#[export]
pub unsafe fn PyModule_GetFilename(m: *mut PyObject) -> *const c_char {
    // SAFETY: per the C API contract; the file name stays alive in the module dict.
    unsafe { borrowed_utf8(|| module_dict_str(m, "__file__", "module filename missing")) }
}

#[export]
pub unsafe fn PyModule_GetDict(m: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the C API contract.
    match unsafe { as_module(m) } {
        Some(mo) => mo.md_dict,
        None => crate::pyerrors::bad_internal_call(),
    }
}

#[export]
pub unsafe fn PyModule_GetDef(m: *mut PyObject) -> *mut PyModuleDef {
    // SAFETY: per the C API contract.
    match unsafe { as_module(m) } {
        Some(mo) => mo.md_def,
        None => {
            crate::pyerrors::bad_internal_call();
            null_mut()
        }
    }
}

#[export]
pub unsafe fn PyModule_GetState(m: *mut PyObject) -> *mut c_void {
    // SAFETY: per the C API contract.
    match unsafe { as_module(m) } {
        Some(mo) => mo.md_state,
        None => {
            crate::pyerrors::bad_internal_call();
            null_mut()
        }
    }
}

/// `PyModule_AddObjectRef`.
///
/// # Safety
/// `m` live; `name` NUL-terminated; `value` NULL or live.
pub(crate) unsafe fn add_object_ref(
    m: *mut PyObject,
    name: *const c_char,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(mo) = as_module(m) else {
            raise(
                &raw mut EXC_TypeError,
                "PyModule_AddObjectRef() first argument must be a module",
            );
            return -1;
        };
        if value.is_null() {
            if !crate::pyerrors::occurred() {
                raise(
                    &raw mut EXC_SystemError,
                    "PyModule_AddObjectRef() must be called with an exception raised if value is NULL",
                );
            }
            return -1;
        }
        if mo.md_dict.is_null() {
            let n = cstr_lossy(PyModule_GetName(m));
            raise(
                &raw mut EXC_SystemError,
                &format!("module '{n}' has no __dict__"),
            );
            return -1;
        }
        // PyDict_SetItemString interns the name, as CPython's does.
        crate::dictobject::PyDict_SetItemString(mo.md_dict, name, value)
    }
}

#[export]
pub unsafe fn PyModule_AddObjectRef(
    m: *mut PyObject,
    name: *const c_char,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { add_object_ref(m, name, v) }
}

#[export]
pub unsafe fn PyModule_Add(m: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract; `v` is stolen.
    unsafe {
        let r = add_object_ref(m, name, v);
        xdecref(v);
        r
    }
}

#[export]
pub unsafe fn PyModule_AddObject(m: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int {
    // SAFETY: per the C API contract; `v` is stolen on success only.
    unsafe {
        let r = add_object_ref(m, name, v);
        if r == 0 {
            decref(v);
        }
        r
    }
}

#[export]
pub unsafe fn PyModule_AddIntConstant(
    m: *mut PyObject,
    name: *const c_char,
    v: std::ffi::c_long,
) -> c_int {
    let o = crate::longobject::from_i128(i128::from(v));
    // SAFETY: per the C API contract; `o` is ours.
    unsafe {
        let r = add_object_ref(m, name, o);
        xdecref(o);
        r
    }
}

#[export]
pub unsafe fn PyModule_AddStringConstant(
    m: *mut PyObject,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    // SAFETY: per the C API contract; `o` is ours.
    unsafe {
        let o = uni::from_cstr(v);
        let r = add_object_ref(m, name, o);
        xdecref(o);
        r
    }
}

#[export]
pub unsafe fn PyModule_AddType(m: *mut PyObject, t: *mut PyTypeObject) -> c_int {
    // SAFETY: per the C API contract.
    unsafe {
        if crate::object::type_ready(t) < 0 {
            return -1;
        }
        let short = crate::object::type_short_name(t);
        let c = std::ffi::CString::new(short).unwrap_or_default();
        add_object_ref(m, c.as_ptr(), t.cast())
    }
}

static SETGIL_CALLS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// `PyUnstable_Module_SetGIL` calls made on this thread.
    static SETGIL_CALLS_HERE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many times `PyUnstable_Module_SetGIL` has been called in this process.
pub fn setgil_call_count() -> u64 {
    SETGIL_CALLS.load(Ordering::SeqCst)
}

/// How many times `PyUnstable_Module_SetGIL` has been called on this thread (the loader
/// compares two readings around an init or exec: another thread's init does not count).
pub fn setgil_thread_count() -> u64 {
    SETGIL_CALLS_HERE.with(std::cell::Cell::get)
}

/// One `PyUnstable_Module_SetGIL` call on a module: the module's `__name__` (None when it has
/// none that is a str) and the value passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetGilCall {
    pub module: Option<String>,
    pub value: usize,
}

static SETGIL_LOG: Mutex<Vec<SetGilCall>> = Mutex::new(Vec::new());
static SETGIL_OBSERVER: std::sync::OnceLock<fn(&SetGilCall)> = std::sync::OnceLock::new();

/// The `PyUnstable_Module_SetGIL` calls made on modules so far, in order; the first `from`
/// are skipped (pass an earlier [`setgil_call_count`] to get the calls made since then).
pub fn setgil_calls(from: u64) -> Vec<SetGilCall> {
    let log = SETGIL_LOG.lock().unwrap_or_else(|e| e.into_inner());
    log.iter().skip(from as usize).cloned().collect()
}

/// Registers `f`, called at each `PyUnstable_Module_SetGIL` call on a module as it happens
/// (the inspection worker streams the call to its parent, so that a crash later in the same
/// init does not lose it). One observer per process; a second registration is ignored.
pub fn set_setgil_observer(f: fn(&SetGilCall)) {
    let _ = SETGIL_OBSERVER.set(f);
}

#[export]
pub unsafe fn PyUnstable_Module_SetGIL(m: *mut PyObject, gil: *mut c_void) -> c_int {
    // SAFETY: per the C API contract.
    match unsafe { as_module(m) } {
        Some(mo) => {
            mo.md_gil = gil;
            // SAFETY: a module's dict is NULL or a live dict; the name is copied out.
            let module = unsafe {
                (!mo.md_dict.is_null())
                    .then(|| crate::dictobject::get_str(mo.md_dict, "__name__"))
                    .filter(|n| !n.is_null())
                    .and_then(|n| uni::as_str(n).map(str::to_string))
            };
            let call = SetGilCall {
                module,
                value: gil as usize,
            };
            SETGIL_LOG
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(call.clone());
            SETGIL_CALLS.fetch_add(1, Ordering::SeqCst);
            SETGIL_CALLS_HERE.with(|c| c.set(c.get() + 1));
            if let Some(f) = SETGIL_OBSERVER.get() {
                f(&call);
            }
            0
        }
        None => {
            crate::pyerrors::bad_internal_call();
            -1
        }
    }
}

/// Whether `m` leaves the lock required under `target`'s rules: `m` is not a module, or
/// its `md_gil` is `Py_MOD_GIL_USED` (3.13/3.14: NULL; 3.15: anything but `Py_MOD_GIL_NOT_USED`).
///
/// # Safety
/// `m` must be a valid object.
pub unsafe fn module_requires_gil(m: *mut PyObject, target: Target) -> bool {
    // SAFETY: forwarded contract.
    match unsafe { as_module(m) } {
        None => true,
        Some(mo) => gil_value_requires_gil(mo.md_gil as usize, target),
    }
}

/// Whether a `Py_mod_gil` value (a slot's, or one given to `PyUnstable_Module_SetGIL`) leaves
/// the lock required under `target`'s rules: 3.13/3.14 compare with `Py_MOD_GIL_USED` (NULL),
/// 3.15 with `Py_MOD_GIL_NOT_USED`.
pub fn gil_value_requires_gil(value: usize, target: Target) -> bool {
    match target {
        Target::Cp313t | Target::Cp314t => value == Py_MOD_GIL_USED,
        Target::Cp315t => value != Py_MOD_GIL_NOT_USED,
    }
}

// ---- slot names and descriptions ----------------------------------------------------------

/// Names of the type slots 1..=83 (`typeslots.h`), for 3.15's "invalid module slot" text.
const TYPE_SLOT_NAMES: [&str; 83] = [
    "Py_bf_getbuffer",
    "Py_bf_releasebuffer",
    "Py_mp_ass_subscript",
    "Py_mp_length",
    "Py_mp_subscript",
    "Py_nb_absolute",
    "Py_nb_add",
    "Py_nb_and",
    "Py_nb_bool",
    "Py_nb_divmod",
    "Py_nb_float",
    "Py_nb_floor_divide",
    "Py_nb_index",
    "Py_nb_inplace_add",
    "Py_nb_inplace_and",
    "Py_nb_inplace_floor_divide",
    "Py_nb_inplace_lshift",
    "Py_nb_inplace_multiply",
    "Py_nb_inplace_or",
    "Py_nb_inplace_power",
    "Py_nb_inplace_remainder",
    "Py_nb_inplace_rshift",
    "Py_nb_inplace_subtract",
    "Py_nb_inplace_true_divide",
    "Py_nb_inplace_xor",
    "Py_nb_int",
    "Py_nb_invert",
    "Py_nb_lshift",
    "Py_nb_multiply",
    "Py_nb_negative",
    "Py_nb_or",
    "Py_nb_positive",
    "Py_nb_power",
    "Py_nb_remainder",
    "Py_nb_rshift",
    "Py_nb_subtract",
    "Py_nb_true_divide",
    "Py_nb_xor",
    "Py_sq_ass_item",
    "Py_sq_concat",
    "Py_sq_contains",
    "Py_sq_inplace_concat",
    "Py_sq_inplace_repeat",
    "Py_sq_item",
    "Py_sq_length",
    "Py_sq_repeat",
    "Py_tp_alloc",
    "Py_tp_base",
    "Py_tp_bases",
    "Py_tp_call",
    "Py_tp_clear",
    "Py_tp_dealloc",
    "Py_tp_del",
    "Py_tp_descr_get",
    "Py_tp_descr_set",
    "Py_tp_doc",
    "Py_tp_getattr",
    "Py_tp_getattro",
    "Py_tp_hash",
    "Py_tp_init",
    "Py_tp_is_gc",
    "Py_tp_iter",
    "Py_tp_iternext",
    "Py_tp_methods",
    "Py_tp_new",
    "Py_tp_repr",
    "Py_tp_richcompare",
    "Py_tp_setattr",
    "Py_tp_setattro",
    "Py_tp_str",
    "Py_tp_traverse",
    "Py_tp_members",
    "Py_tp_getset",
    "Py_tp_free",
    "Py_nb_matrix_multiply",
    "Py_nb_inplace_matrix_multiply",
    "Py_am_await",
    "Py_am_aiter",
    "Py_am_anext",
    "Py_tp_finalize",
    "Py_am_send",
    "Py_tp_vectorcall",
    "Py_tp_token",
];

/// The name of a 3.15 module-side slot ID (already resolved: 84.. numbering).
pub(crate) fn slot_name_315(id: u32) -> Option<&'static str> {
    Some(match id {
        84 => "Py_mod_create",
        85 => "Py_mod_exec",
        86 => "Py_mod_multiple_interpreters",
        87 => "Py_mod_gil",
        92 => "Py_slot_subslots",
        94 => "Py_mod_slots",
        100 => "Py_mod_name",
        101 => "Py_mod_doc",
        102 => "Py_mod_state_size",
        103 => "Py_mod_methods",
        104 => "Py_mod_state_traverse",
        105 => "Py_mod_state_clear",
        106 => "Py_mod_state_free",
        109 => "Py_mod_abi",
        110 => "Py_mod_token",
        _ => return None,
    })
}

/// 3.15: legacy module IDs 1..=4 map to 84..=87.
fn resolve_315(id: u32) -> u32 {
    if (1..=4).contains(&id) { id + 83 } else { id }
}

fn slot_name_314(id: i32) -> Option<&'static str> {
    Some(match id {
        1 => "Py_mod_create",
        2 => "Py_mod_exec",
        3 => "Py_mod_multiple_interpreters",
        4 => "Py_mod_gil",
        _ => return None,
    })
}

fn describe_value(name: Option<&str>, value: usize) -> String {
    match (name, value) {
        (Some("Py_mod_create" | "Py_mod_exec"), _) => "function".into(),
        (Some("Py_mod_gil"), 0) => "Py_MOD_GIL_USED".into(),
        (Some("Py_mod_gil"), 1) => "Py_MOD_GIL_NOT_USED".into(),
        (Some("Py_mod_multiple_interpreters"), 0) => {
            "Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED".into()
        }
        (Some("Py_mod_multiple_interpreters"), 1) => {
            "Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED".into()
        }
        (Some("Py_mod_multiple_interpreters"), 2) => "Py_MOD_PER_INTERPRETER_GIL_SUPPORTED".into(),
        _ => format!("{value:#x}"),
    }
}

/// Reads a legacy `PyModuleDef_Slot` array (NULL = none) for reports, without validating.
///
/// # Safety
/// `slots` must be NULL or point to a slot array terminated by a zero ID.
pub unsafe fn describe_slots(slots: *const PyModuleDef_Slot, target: Target) -> Vec<SlotInfo> {
    let mut out = Vec::new();
    if slots.is_null() {
        return out;
    }
    for i in 0..DESCRIBE_LIMIT {
        // SAFETY: forwarded contract: entries up to the terminator are readable.
        let s = unsafe { &*slots.add(i) };
        if s.slot == 0 {
            break;
        }
        let name = match target {
            Target::Cp313t | Target::Cp314t => slot_name_314(s.slot),
            Target::Cp315t => u32::try_from(s.slot)
                .ok()
                .and_then(|v| slot_name_315(resolve_315(v))),
        };
        out.push(SlotInfo {
            id: s.slot,
            name,
            value: describe_value(name, s.value as usize),
        });
    }
    out
}

/// Reads a 3.15 `PySlot` array for reports, without validating.
///
/// # Safety
/// `slots` must point to a `PySlot` array terminated by an end slot.
pub unsafe fn describe_pyslots(slots: *const c_void) -> Vec<SlotInfo> {
    let mut out = Vec::new();
    let slots = slots.cast::<PySlot>();
    if slots.is_null() {
        return out;
    }
    for i in 0..DESCRIBE_LIMIT {
        // SAFETY: forwarded contract.
        let s = unsafe { *slots.add(i) };
        if s.sl_id == 0 {
            break;
        }
        let name = slot_name_315(resolve_315(u32::from(s.sl_id)));
        out.push(SlotInfo {
            id: i32::from(s.sl_id),
            name,
            value: describe_value(name, s.sl_value as usize),
        });
    }
    out
}

// ---- multi-phase: slot walking -------------------------------------------------------------

/// What a slot walk collected.
#[derive(Default, Debug)]
struct Collected {
    create: Option<usize>,
    execs: Vec<usize>,
    mi: Option<usize>,
    gil: Option<usize>,
    name: Option<usize>,
    doc: Option<usize>,
    state_size: Option<usize>,
    methods: Option<usize>,
    traverse: Option<usize>,
    clear: Option<usize>,
    free: Option<usize>,
    token: Option<usize>,
    abi: Vec<usize>,
    seen: Vec<u32>,
}

/// 3.13/3.14 walk of a def's slots (§2.1 step 5).
unsafe fn walk_slots_314(slots: *const PyModuleDef_Slot, name: &str) -> Result<Collected, ()> {
    let mut c = Collected::default();
    if slots.is_null() {
        return Ok(c);
    }
    let (mut has_create, mut has_mi, mut has_gil) = (false, false, false);
    let mut i = 0;
    loop {
        // SAFETY: the def's slot array is terminated by a zero ID.
        let s = unsafe { &*slots.add(i) };
        i += 1;
        let v = s.value as usize;
        match s.slot {
            0 => break,
            Py_mod_create => {
                if has_create {
                    raise(
                        &raw mut EXC_SystemError,
                        &format!("module {name} has multiple create slots"),
                    );
                    return Err(());
                }
                if v != 0 {
                    has_create = true;
                    c.create = Some(v);
                }
            }
            Py_mod_exec => c.execs.push(v),
            Py_mod_multiple_interpreters => {
                if has_mi {
                    raise(
                        &raw mut EXC_SystemError,
                        &format!("module {name} has more than one 'multiple interpreters' slots"),
                    );
                    return Err(());
                }
                has_mi = true;
                c.mi = Some(v);
            }
            Py_mod_gil => {
                if has_gil {
                    raise(
                        &raw mut EXC_SystemError,
                        &format!("module {name} has more than one 'gil' slot"),
                    );
                    return Err(());
                }
                has_gil = true;
                c.gil = Some(v);
            }
            other => {
                raise(
                    &raw mut EXC_SystemError,
                    &format!("module {name} uses unknown slot ID {other}"),
                );
                return Err(());
            }
        }
    }
    Ok(c)
}

/// One entry of either slot array kind.
#[derive(Clone, Copy)]
enum SlotArray {
    Legacy(*const PyModuleDef_Slot),
    Py(*const PySlot),
}

/// The 3.15 slot iterator (PEP 820) for both array kinds.
struct Walk315<'a> {
    name: &'a str,
    def: *mut PyModuleDef,
    c: Collected,
}

impl Walk315<'_> {
    fn fail(&self, msg: String) -> Result<(), ()> {
        raise(&raw mut EXC_SystemError, &msg);
        Err(())
    }

    fn conflicts(&self, field: &str, slot: &str) -> Result<(), ()> {
        self.fail(format!(
            "module {}: {slot} conflicts with PyModuleDef.m_{field}",
            self.name
        ))
    }

    unsafe fn walk(&mut self, arr: SlotArray, depth: usize) -> Result<(), ()> {
        let mut i = 0;
        loop {
            // SAFETY: slot arrays are terminated by an end entry (caller contract).
            let (id, flags, value, is_py) = unsafe {
                match arr {
                    SlotArray::Legacy(p) => {
                        let s = &*p.add(i);
                        (s.slot as u32, 0u16, s.value as usize, false)
                    }
                    SlotArray::Py(p) => {
                        let s = &*p.add(i);
                        (u32::from(s.sl_id), s.sl_flags, s.sl_value as usize, true)
                    }
                }
            };
            i += 1;
            if id == 0 {
                if is_py && flags != 0 {
                    return self.fail(format!("invalid flags for Py_slot_end: {flags:#x}"));
                }
                return Ok(());
            }
            let id = resolve_315(id);
            let Some(sname) = slot_name_315(id) else {
                if flags & PySlot_OPTIONAL != 0 {
                    continue;
                }
                if id == 0xffff {
                    return self.fail(format!("invalid slot (Py_slot_invalid, {id})"));
                }
                if (5..=83).contains(&id) {
                    return self.fail(format!(
                        "invalid module slot {id} ({})",
                        TYPE_SLOT_NAMES[id as usize - 1]
                    ));
                }
                return self.fail(format!("unknown module slot ID {id}"));
            };
            // NULL values.
            if value == 0 {
                match id {
                    84 => {
                        if is_py {
                            let msg = format!("NULL value in slot {sname} is deprecated");
                            // SAFETY: DeprecationWarning is an exception type.
                            if unsafe {
                                crate::warnings::warn(
                                    &raw mut crate::pyerrors::EXC_DeprecationWarning,
                                    &msg,
                                    1,
                                )
                            } < 0
                            {
                                return Err(());
                            }
                        }
                        continue;
                    }
                    86 | 87 | 102 => {}
                    92 | 94 => continue,
                    _ => return self.fail(format!("NULL not allowed for slot {sname}")),
                }
            }
            if id == 103 && is_py && flags & PySlot_STATIC == 0 {
                return self.fail(format!("{sname} requires PySlot_STATIC"));
            }
            // Duplicates.
            let dup_allowed = id == 109 || (id == 85 && !self.def.is_null());
            if !dup_allowed && self.c.seen.contains(&id) {
                if id == 85 {
                    return self.fail(format!("module {} has multiple {sname} slots", self.name));
                }
                return self.fail(format!(
                    "module {} has multiple {sname} ({id}) slots",
                    self.name
                ));
            }
            self.c.seen.push(id);
            // SAFETY: a non-NULL def pointer is live (caller contract).
            let def = unsafe { self.def.as_ref() };
            match id {
                84 => self.c.create = Some(value),
                85 => self.c.execs.push(value),
                86 => self.c.mi = Some(value),
                87 => self.c.gil = Some(value),
                92 | 94 => {
                    if depth + 1 >= PySlot_MAX_NESTING {
                        return self.fail(format!(
                            "{sname} (slot {id}): too many levels of nested slots"
                        ));
                    }
                    let inner = if id == 92 {
                        SlotArray::Py(value as *const PySlot)
                    } else {
                        SlotArray::Legacy(value as *const PyModuleDef_Slot)
                    };
                    // SAFETY: nested arrays follow the same contract.
                    unsafe { self.walk(inner, depth + 1)? };
                }
                100 => {
                    if let Some(d) = def {
                        // SAFETY: C strings from the module.
                        if d.m_name.is_null()
                            // SAFETY: C strings from the module.
                            || unsafe {
                                CStr::from_ptr(value as *const c_char) != CStr::from_ptr(d.m_name)
                            }
                        {
                            return self.conflicts("name", sname);
                        }
                    }
                    self.c.name = Some(value);
                }
                101 => {
                    if let Some(d) = def {
                        // SAFETY: C strings from the module.
                        if d.m_doc.is_null()
                            // SAFETY: C strings from the module.
                            || unsafe {
                                CStr::from_ptr(value as *const c_char) != CStr::from_ptr(d.m_doc)
                            }
                        {
                            return self.conflicts("doc", sname);
                        }
                    }
                    self.c.doc = Some(value);
                }
                102 => {
                    if def.is_some_and(|d| d.m_size as usize != value) {
                        return self.conflicts("size", sname);
                    }
                    self.c.state_size = Some(value);
                }
                103 => {
                    if def.is_some_and(|d| d.m_methods as usize != value) {
                        return self.conflicts("methods", sname);
                    }
                    self.c.methods = Some(value);
                }
                104 => {
                    if def.is_some_and(|d| d.m_traverse.map_or(0, |f| f as usize) != value) {
                        return self.conflicts("traverse", sname);
                    }
                    self.c.traverse = Some(value);
                }
                105 => {
                    if def.is_some_and(|d| d.m_clear.map_or(0, |f| f as usize) != value) {
                        return self.conflicts("clear", sname);
                    }
                    self.c.clear = Some(value);
                }
                106 => {
                    if def.is_some_and(|d| d.m_free.map_or(0, |f| f as usize) != value) {
                        return self.conflicts("free", sname);
                    }
                    self.c.free = Some(value);
                }
                109 => {
                    // SAFETY: a non-NULL Py_mod_abi value points to a PyABIInfo.
                    if unsafe {
                        crate::modsupport::abi_info_check(
                            value as *const crate::modsupport::PyABIInfo,
                            Some(self.name),
                        )
                    } < 0
                    {
                        return Err(());
                    }
                    self.c.abi.push(value);
                }
                110 => {
                    if !self.def.is_null() && value != self.def as usize {
                        return self.fail(format!(
                            "module {}: arbitrary Py_mod_token not allowed with PyModuleDef",
                            self.name
                        ));
                    }
                    self.c.token = Some(value);
                }
                _ => unreachable!("named slot {id}"),
            }
        }
    }
}

/// Reads `spec.name` as (str object, UTF-8 text).
unsafe fn spec_name(spec: *mut PyObject) -> Option<(*mut PyObject, String)> {
    // SAFETY: `spec` is a live object (caller contract).
    unsafe {
        let n = crate::object::getattr(spec, uni::intern("name"));
        if n.is_null() {
            return None;
        }
        match uni::as_str(n) {
            Some(s) => {
                let s = s.to_owned();
                Some((n, s))
            }
            None => {
                decref(n);
                raise(
                    &raw mut EXC_TypeError,
                    "bad argument type for built-in operation",
                );
                None
            }
        }
    }
}

/// Runs a create slot and applies the "failed without"/"unreported exception" checks.
unsafe fn run_create(
    create: Option<usize>,
    spec: *mut PyObject,
    def: *mut PyModuleDef,
    name_obj: *mut PyObject,
    name: &str,
) -> *mut PyObject {
    // SAFETY: a create slot value is a create function (module contract).
    unsafe {
        match create {
            Some(f) => {
                let f: CreateFn = std::mem::transmute::<usize, CreateFn>(f);
                let m = crate::extcall::module_create(f, spec, def);
                if m.is_null() {
                    if !crate::pyerrors::occurred() {
                        raise(
                            &raw mut EXC_SystemError,
                            &format!(
                                "creation of module {name} failed without setting an exception"
                            ),
                        );
                    }
                    return null_mut();
                }
                if crate::pyerrors::occurred() {
                    decref(m);
                    return raise_from_cause(
                        &raw mut EXC_SystemError,
                        &format!("creation of module {name} raised unreported exception"),
                    );
                }
                m
            }
            None => new_module(name_obj),
        }
    }
}

/// Multi-phase creation (`PyModule_FromDefAndSpec2`) under `target`'s rules: validation in
/// that CPython's order with its messages, create slot, module set-up; exec does not run.
///
/// # Safety
/// `def` must point to a `PyModuleDef` that stays alive; `spec` must be a valid object.
pub unsafe fn module_from_def_and_spec(
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    api_version: c_int,
    target: Target,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if target == Target::Cp315t && !check_def_abi_315(def) {
            return null_mut();
        }
        moduledef_init(def);
        let Some((name_obj, name)) = spec_name(spec) else {
            return null_mut();
        };
        let r = from_def_checked(def, spec, api_version, target, name_obj, &name);
        decref(name_obj);
        r
    }
}

unsafe fn from_def_checked(
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    api_version: c_int,
    target: Target,
    name_obj: *mut PyObject,
    name: &str,
) -> *mut PyObject {
    // SAFETY: forwarded contract of `module_from_def_and_spec`.
    unsafe {
        let d = &*def;
        let negative_size = || {
            raise(
                &raw mut EXC_SystemError,
                &format!(
                    "module {name}: m_size may not be negative for multi-phase initialization"
                ),
            )
        };
        let c = if target == Target::Cp315t {
            let mut w = Walk315 {
                name,
                def,
                c: Collected::default(),
            };
            if !d.m_slots.is_null() && w.walk(SlotArray::Legacy(d.m_slots), 0).is_err() {
                return null_mut();
            }
            if !check_api_version(name, api_version) {
                return null_mut();
            }
            if d.m_size < 0 {
                return negative_size();
            }
            w.c
        } else {
            if !check_api_version(name, api_version) {
                return null_mut();
            }
            if d.m_size < 0 {
                return negative_size();
            }
            match walk_slots_314(d.m_slots, name) {
                Ok(c) => c,
                Err(()) => return null_mut(),
            }
        };
        let m = run_create(c.create, spec, def, name_obj, name);
        if m.is_null() {
            return m;
        }
        if let Some(mo) = as_module(m) {
            mo.md_state = null_mut();
            mo.md_def = def;
            mo.md_gil = c.gil.unwrap_or(Py_MOD_GIL_USED) as *mut c_void;
        } else {
            if d.m_size > 0 || d.m_traverse.is_some() || d.m_clear.is_some() || d.m_free.is_some() {
                decref(m);
                return raise(
                    &raw mut EXC_SystemError,
                    &format!("module {name} is not a module object, but requests module state"),
                );
            }
            if !c.execs.is_empty() {
                decref(m);
                return raise(
                    &raw mut EXC_SystemError,
                    &format!(
                        "module {name} specifies execution slots, but did not create a ModuleType instance"
                    ),
                );
            }
        }
        if !d.m_methods.is_null() && add_functions(m, d.m_methods) < 0 {
            decref(m);
            return null_mut();
        }
        if !d.m_doc.is_null() && set_doc_string(m, d.m_doc) < 0 {
            decref(m);
            return null_mut();
        }
        m
    }
}

#[export]
pub unsafe fn PyModule_FromDefAndSpec2(
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    api_version: c_int,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { module_from_def_and_spec(def, spec, api_version, Target::Cp314t) }
}

/// What a slots-only (3.15) module keeps besides the module object: its exec slots, state
/// size, token and state hooks (its `md_def` is NULL).
#[derive(Clone, Debug, Default)]
#[allow(dead_code)] // recorded, not read yet (was reachable as `pub`)
pub(crate) struct SlotsModule {
    pub execs: Vec<usize>,
    pub state_size: usize,
    pub token: usize,
    pub traverse: usize,
    pub clear: usize,
    pub free: usize,
}

static SLOTS_MODULES: Mutex<Vec<(usize, SlotsModule)>> = Mutex::new(Vec::new());

/// The slots-only data recorded for module `m`.
#[allow(dead_code)] // recorded, not read yet (was reachable as `pub`)
pub(crate) fn slots_module(m: *mut PyObject) -> Option<SlotsModule> {
    let g = SLOTS_MODULES.lock().unwrap_or_else(|e| e.into_inner());
    g.iter()
        .find(|(p, _)| *p == m as usize)
        .map(|(_, s)| s.clone())
}

/// 3.15 `PyModule_FromSlotsAndSpec` for a `PyModExport_` hook's `PySlot` array.
///
/// # Safety
/// `slots` must point to a `PySlot` array terminated by an end slot.
pub unsafe fn module_from_slots_and_spec(
    slots: *const c_void,
    spec: *mut PyObject,
) -> *mut PyObject {
    if slots.is_null() {
        return raise(
            &raw mut EXC_SystemError,
            "PyModule_FromSlotsAndSpec called with NULL slots",
        );
    }
    // SAFETY: forwarded contract.
    unsafe {
        let Some((name_obj, name)) = spec_name(spec) else {
            return null_mut();
        };
        let r = from_slots_checked(slots.cast(), spec, name_obj, &name);
        decref(name_obj);
        r
    }
}

unsafe fn from_slots_checked(
    slots: *const PySlot,
    spec: *mut PyObject,
    name_obj: *mut PyObject,
    name: &str,
) -> *mut PyObject {
    // SAFETY: forwarded contract of `module_from_slots_and_spec`.
    unsafe {
        let mut w = Walk315 {
            name,
            def: null_mut(),
            c: Collected::default(),
        };
        if w.walk(SlotArray::Py(slots), 0).is_err() {
            return null_mut();
        }
        let c = w.c;
        if c.abi.is_empty() {
            return raise(
                &raw mut EXC_SystemError,
                &format!(
                    "module {name} does not define Py_mod_abi, which is mandatory for modules defined from slots only."
                ),
            );
        }
        let m = run_create(c.create, spec, null_mut(), name_obj, name);
        if m.is_null() {
            return m;
        }
        let wants_state = c.state_size.unwrap_or(0) > 0
            || c.traverse.is_some()
            || c.clear.is_some()
            || c.free.is_some();
        if let Some(mo) = as_module(m) {
            mo.md_state = null_mut();
            mo.md_def = null_mut();
            mo.md_gil = c.gil.unwrap_or(Py_MOD_GIL_USED) as *mut c_void;
            let rec = SlotsModule {
                execs: c.execs.clone(),
                state_size: c.state_size.unwrap_or(0),
                token: c.token.unwrap_or(slots as usize),
                traverse: c.traverse.unwrap_or(0),
                clear: c.clear.unwrap_or(0),
                free: c.free.unwrap_or(0),
            };
            SLOTS_MODULES
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((m as usize, rec));
        } else {
            let fail = |msg: String| {
                decref(m);
                raise(&raw mut EXC_SystemError, &msg)
            };
            if c.token.is_some() {
                return fail(format!(
                    "module {name} specifies a token, but did not create a ModuleType instance"
                ));
            }
            if wants_state {
                return fail(format!(
                    "module {name} is not a module object, but requests module state"
                ));
            }
            if !c.execs.is_empty() {
                return fail(format!(
                    "module {name} specifies execution slots, but did not create a ModuleType instance"
                ));
            }
        }
        if let Some(methods) = c.methods
            && add_functions(m, methods as *mut PyMethodDef) < 0
        {
            decref(m);
            return null_mut();
        }
        if let Some(doc) = c.doc
            && set_doc_string(m, doc as *const c_char) < 0
        {
            decref(m);
            return null_mut();
        }
        m
    }
}

#[export]
pub unsafe fn PyModule_FromSlotsAndSpec(
    slots: *const c_void,
    spec: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the C API contract.
    unsafe { module_from_slots_and_spec(slots, spec) }
}

// ---- exec ----------------------------------------------------------------------------------

/// `PyModule_ExecDef` (3.13/3.14, §2.2).
///
/// # Safety
/// `m` must be a live object and `def` a live def.
pub(crate) unsafe fn exec_def(m: *mut PyObject, def: *mut PyModuleDef) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let n = module_name_object(m);
        if n.is_null() {
            return -1;
        }
        let name = uni::as_str(n).unwrap_or("").to_owned();
        decref(n);
        let d = &*def;
        if let Some(mo) = as_module(m)
            && d.m_size >= 0
            && mo.md_state.is_null()
        {
            let st = crate::pymem::calloc(1, d.m_size as usize);
            if st.is_null() {
                crate::pyerrors::no_memory();
                return -1;
            }
            mo.md_state = st;
        }
        if d.m_slots.is_null() {
            return 0;
        }
        let mut i = 0;
        loop {
            let s = &*d.m_slots.add(i);
            i += 1;
            match s.slot {
                0 => return 0,
                Py_mod_create | Py_mod_multiple_interpreters | Py_mod_gil => {}
                Py_mod_exec => {
                    if s.value.is_null() {
                        raise(
                            &raw mut EXC_SystemError,
                            &format!("gilgate: module {name} has a NULL Py_mod_exec slot"),
                        );
                        return -1;
                    }
                    let f: ExecFn = std::mem::transmute::<*mut c_void, ExecFn>(s.value);
                    let r = crate::extcall::module_exec(f, m);
                    if r != 0 {
                        if !crate::pyerrors::occurred() {
                            raise(
                                &raw mut EXC_SystemError,
                                &format!(
                                    "execution of module {name} failed without setting an exception"
                                ),
                            );
                        }
                        return -1;
                    }
                    if crate::pyerrors::occurred() {
                        raise_from_cause(
                            &raw mut EXC_SystemError,
                            &format!("execution of module {name} raised unreported exception"),
                        );
                        return -1;
                    }
                }
                other => {
                    raise(
                        &raw mut EXC_SystemError,
                        &format!("module {name} initialized with unknown slot {other}"),
                    );
                    return -1;
                }
            }
        }
    }
}

#[export]
pub unsafe fn PyModule_ExecDef(m: *mut PyObject, def: *mut PyModuleDef) -> c_int {
    // SAFETY: per the C API contract.
    unsafe { exec_def(m, def) }
}

/// What `_imp.exec_dynamic` does: nothing for non-modules, modules without a def, or
/// modules whose state already exists; else `PyModule_ExecDef`.
///
/// # Safety
/// `m` must be a live object.
pub unsafe fn exec_module(m: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        match as_module(m) {
            Some(mo) if !mo.md_def.is_null() && mo.md_state.is_null() => exec_def(m, mo.md_def),
            _ => 0,
        }
    }
}
