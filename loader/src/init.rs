//! Running a module's hook in this process: dlopen, hook lookup, CPython's init protocol
//! (single-phase, multi-phase, 3.15's `PyModExport_`) and create. Exec is not run here.

use crate::elf::ElfFacts;
use crate::ffi;
use crate::incomplete::DefSeen;
use crate::names::{HookKind, Target, encoded_short_name, hook_symbols, missing_hook_message};
use crate::report::{Declaration, ErrorReport, Gil, InitKind, Lint, SlotReport};
use gilgate_capi::ffi::PyModuleDef;
use gilgate_capi::ffi::PyModuleDef_Slot;
use gilgate_capi::ffi::PyObject;
use std::ffi::{CString, c_void};
use std::path::Path;
use std::sync::OnceLock;

/// What a hook plus create produced.
pub(crate) struct InitRun {
    pub decl: Declaration,
    /// The module object (a new reference), NULL on error.
    pub module: *mut PyObject,
    /// The def of a multi-phase module (for exec), else NULL.
    pub def: *mut PyModuleDef,
    /// The lock verdict of the created module; `None` on error.
    pub requires_gil: Option<bool>,
    /// The definition the hook returned, as read before create (multi-phase and export).
    pub def_seen: Option<DefSeen>,
    /// `--gil module`: the registration of the module's code with the per-module lock (made
    /// before the hook runs, so init and create run under the lock; the caller drops it when
    /// the module turns out to declare free-threading support).
    pub lock_id: Option<u64>,
}

/// How the target was determined, for the hook and slot rules.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TargetInfo {
    pub target: Target,
    /// True when the file name's tag fixed the target.
    pub from_tag: bool,
}

/// Initializes the runtime once per process.
pub(crate) fn runtime() -> Result<(), ErrorReport> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(gilgate_capi::host::initialize)
        .clone()
        .map_err(|e| ErrorReport::new("HostError", e))
}

/// An exception taken from the error indicator.
pub(crate) struct Taken {
    pub report: ErrorReport,
    /// The module an `ImportError` (the exception or its `__cause__`) says could not be
    /// imported: a Python module gilgate cannot provide.
    pub missing_module: Option<String>,
}

impl Taken {
    /// The `needs-python-module` lint for `module`, when the error is a failed import.
    pub fn lint(&self, module: &str) -> Option<Lint> {
        self.missing_module
            .as_ref()
            .map(|m| needs_module_lint(module, m))
    }
}

/// `needs Python module X`: the module's code imported X and the import failed, which in
/// gilgate is expected for any module it cannot provide (Python source, or a module not on
/// the search path); the error itself stays CPython's.
pub(crate) fn needs_module_lint(module: &str, missing: &str) -> Lint {
    lint(
        "needs-python-module",
        format!(
            "needs Python module {missing}: {module} imports '{missing}', which gilgate cannot provide (it runs compiled extension modules, not Python source); the import error is not a crash of {module}"
        ),
    )
}

/// Takes the current exception (clearing the indicator), with its `__cause__` and, for a
/// failed import, the missing module's name.
pub(crate) fn take_exception() -> Taken {
    let e = gilgate_capi::host::take_raised();
    if e.is_null() {
        return Taken {
            report: ErrorReport::new("SystemError", "error return without exception set"),
            missing_module: None,
        };
    }
    // SAFETY: `e` is the owned exception just taken from the indicator; its cause (borrowed
    // from it) lives as long as it does; `e` is released last.
    unsafe {
        let info = gilgate_capi::host::describe_exception(e, 0);
        let cause = (*e.cast::<gilgate_capi::ffi::PyBaseExceptionObject>()).cause;
        let missing = ffi::import_error_name(e).or_else(|| {
            (!cause.is_null())
                .then(|| ffi::import_error_name(cause))
                .flatten()
        });
        gilgate_capi::host::decref(e);
        let report = report_of(info);
        Taken {
            report,
            missing_module: missing,
        }
    }
}

/// The report of a described exception, with its chain of causes.
fn report_of(info: gilgate_capi::host::ExcInfo) -> ErrorReport {
    let report = ErrorReport::new(&info.type_name, info.message);
    match info.cause {
        Some(c) => report.caused_by(&report_of(*c)),
        None => report,
    }
}

/// Takes the current exception into `decl`: its error, and the `needs-python-module` lint
/// when it is a failed import.
fn take_into(decl: &mut Declaration, name: &str) {
    let t = take_exception();
    decl.lints.extend(t.lint(name));
    decl.error = Some(t.report);
}

fn fail(decl: Declaration) -> InitRun {
    InitRun {
        decl,
        module: std::ptr::null_mut(),
        def: std::ptr::null_mut(),
        requires_gil: None,
        def_seen: None,
        lock_id: None,
    }
}

/// A failed run after the hook returned `def`.
fn fail_after_def(decl: Declaration, def: DefSeen) -> InitRun {
    InitRun {
        def_seen: Some(def),
        ..fail(decl)
    }
}

/// The value of the `Py_mod_gil` slot among `raw`, None when there is none.
fn gil_slot_value(raw: &[(i32, usize)], target: Target) -> Option<u64> {
    let gil = if target == Target::Cp315t {
        gilgate_capi::ffi::v315::Py_mod_gil
    } else {
        gilgate_capi::ffi::Py_mod_gil
    };
    raw.iter()
        .find(|(id, _)| resolve_id(*id, target) == gil)
        .map(|(_, v)| *v as u64)
}

/// Records the definition a hook returned and streams it to the inspection worker's parent
/// (when this process is a worker), before its create slot runs.
fn seen_def(decl: &Declaration, raw: &[(i32, usize)], target: Target) -> DefSeen {
    let def = DefSeen {
        init: decl.init.unwrap_or(InitKind::MultiPhase),
        target,
        slots: decl.slots.clone(),
        multiple_interpreters: decl.multiple_interpreters.clone(),
        gil_slot: gil_slot_value(raw, target),
    };
    crate::worker::stream_def(&def);
    def
}

/// Opens the library with `RTLD_NOW`, never to be closed, and returns the hook to call.
fn open_hook(
    name: &str,
    path: &Path,
    target: Target,
) -> Result<(HookKind, *mut c_void), ErrorReport> {
    let shown = path.to_string_lossy();
    let path_arg = if shown.contains('/') {
        path.to_path_buf()
    } else {
        Path::new(".").join(path)
    };
    // SAFETY: loading a shared object runs its constructors; that is what loading an
    // extension means, and CPython does the same.
    let open = || unsafe {
        libloading::os::unix::Library::open(Some(&path_arg), libloading::os::unix::RTLD_NOW)
    };
    let lib = match open() {
        // A module (or a library it needs) that calls the C math library without naming it
        // loads in CPython, whose interpreter links `libm`: it loads here once `libm` is in
        // the global scope too. A failed `RTLD_NOW` load ran none of the module's code.
        Err(e) if undefined_symbol(&e) && libm_global() => open(),
        other => other,
    };
    let lib = lib.map_err(|e| {
        let msg = std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_else(|| "unknown dlopen() error".to_string());
        ErrorReport::new("ImportError", msg)
    })?;
    let mut found = None;
    for (kind, sym) in hook_symbols(name, target) {
        // SAFETY: the symbol is only read as an address here; it is called later with the
        // signature CPython uses for this kind of hook.
        if let Ok(s) = unsafe { lib.get::<*mut c_void>(sym.as_bytes()) } {
            let addr = s.into_raw();
            if !addr.is_null() {
                found = Some((kind, addr));
                break;
            }
        }
    }
    // Never unloaded: modules leave pointers to their code and data in the runtime.
    std::mem::forget(lib);
    found.ok_or_else(|| ErrorReport::new("ImportError", missing_hook_message(name, target)))
}

/// Whether a failed `dlopen` failed on a symbol nothing loaded defines.
fn undefined_symbol(e: &libloading::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.to_string().contains("undefined symbol"))
}

/// Puts the C math library in the process's global scope (where CPython's interpreter, which
/// links it, has it from the start), once, the first time a module fails to load on an
/// undefined symbol: gilgate's binaries do not link it (the root `build.rs`). Whether it is
/// there (a load that failed for another missing symbol fails again, the same way).
fn libm_global() -> bool {
    static GLOBAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *GLOBAL.get_or_init(|| {
        // SAFETY: loads the C library's math library, a library of glibc's own; the handle
        // is never closed.
        let handle =
            unsafe { libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        !handle.is_null()
    })
}

/// Reads a legacy slot array's raw IDs and values (NULL: none).
///
/// # Safety
/// `slots` must be NULL or a zero-terminated slot array.
unsafe fn raw_slots(slots: *const PyModuleDef_Slot) -> Vec<(i32, usize)> {
    let mut out = Vec::new();
    if slots.is_null() {
        return out;
    }
    for i in 0..4096 {
        // SAFETY: the array is terminated by a zero ID; we stop there.
        let s = unsafe { &*slots.add(i) };
        if s.slot == 0 {
            break;
        }
        out.push((s.slot, s.value as usize));
    }
    out
}

/// Reads a 3.15 `PySlot` array's top-level IDs and values.
///
/// # Safety
/// `slots` must point to a `PySlot` array terminated by an end slot.
unsafe fn raw_pyslots(slots: *const c_void) -> Vec<(i32, usize)> {
    #[repr(C)]
    struct PySlot {
        id: u16,
        flags: u16,
        reserved: u32,
        value: u64,
    }
    let p = slots as *const PySlot;
    let mut out = Vec::new();
    for i in 0..4096 {
        // SAFETY: terminated by `Py_slot_end` (ID 0); we stop there.
        let s = unsafe { &*p.add(i) };
        if s.id == 0 {
            break;
        }
        out.push((s.id as i32, s.value as usize));
    }
    out
}

/// Module slot IDs that exist only in 3.15's numbering (PEP 820).
fn is_315_module_slot(id: i32) -> bool {
    matches!(id, 84..=87 | 92 | 94 | 100..=106 | 109 | 110)
}

fn resolve_id(id: i32, target: Target) -> i32 {
    if target == Target::Cp315t && (1..=4).contains(&id) {
        id + 83
    } else {
        id
    }
}

fn multiple_interpreters(raw: &[(i32, usize)], target: Target) -> String {
    let mi = if target == Target::Cp315t { 86 } else { 3 };
    match raw
        .iter()
        .find(|(id, _)| resolve_id(*id, target) == mi)
        .map(|(_, v)| *v)
    {
        None | Some(1) => "supported".into(),
        Some(0) => "not_supported".into(),
        Some(2) => "per_interpreter_gil_supported".into(),
        Some(v) => format!("{v:#x}"),
    }
}

fn has_gil_slot(raw: &[(i32, usize)], target: Target) -> bool {
    gil_slot_value(raw, target).is_some()
}

fn slot_reports(infos: Vec<gilgate_capi::host::SlotInfo>) -> Vec<SlotReport> {
    infos
        .into_iter()
        .map(|s| SlotReport {
            id: s.id,
            name: s.name.map(str::to_string),
            value: stable_value(s.id, s.value),
        })
        .collect()
}

/// Reports never show addresses: a pointer value becomes what it points to (the text of
/// `Py_mod_name`/`Py_mod_doc`) or the kind of thing it is.
fn stable_value(id: i32, value: String) -> String {
    let addr = value
        .strip_prefix("0x")
        .and_then(|h| usize::from_str_radix(h, 16).ok())
        .filter(|a| *a >= 0x10000);
    let Some(addr) = addr else {
        return value;
    };
    match id {
        100 | 101 => {
            // SAFETY: these 3.15 slots hold a NUL-terminated `const char *` (name, doc).
            let text = unsafe { std::ffi::CStr::from_ptr(addr as *const std::ffi::c_char) };
            format!("{:?}", text.to_string_lossy())
        }
        103 => "PyMethodDef array".into(),
        109 => "PyABIInfo".into(),
        92 | 94 => "slot array".into(),
        _ => "pointer".into(),
    }
}

fn lint(code: &str, message: String) -> Lint {
    Lint {
        code: code.to_string(),
        message,
    }
}

/// A strong reference released when dropped (NULL allowed).
struct OwnedRef(*mut PyObject);

impl Drop for OwnedRef {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the wrapper owns one strong reference to a live object.
            unsafe { gilgate_capi::host::decref(self.0) };
        }
    }
}

/// Runs the hook and create for `name` from `path`. `inspect` adds the lints only inspection
/// gives (a possible SetGIL call from exec). Under `--gil module` the module's code (and its
/// wheel's private libraries) is registered with the per-module lock before the hook runs.
pub(crate) fn run(
    name: &str,
    path: &Path,
    ti: TargetInfo,
    facts: &ElfFacts,
    inspect: bool,
) -> InitRun {
    let mut lock_id = None;
    let mut r = run_hook(name, path, ti, facts, inspect, &mut lock_id);
    r.lock_id = lock_id;
    r
}

/// Registers the code of the object holding `hook` (and the private libraries in `*.libs`
/// folders beside any folder above `path`) with the per-module lock, when the process runs
/// under `--gil module`.
fn register_module_code(hook: *mut c_void, path: &Path) -> Option<u64> {
    if !gilgate_capi::host::module_lock_active() {
        return None;
    }
    let file = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let roots: Vec<std::path::PathBuf> = file.ancestors().skip(1).map(Path::to_path_buf).collect();
    let ranges = gilgate_capi::host::module_code_ranges(hook as usize, &roots);
    Some(gilgate_capi::host::module_lock_register(&ranges))
}

fn run_hook(
    name: &str,
    path: &Path,
    ti: TargetInfo,
    facts: &ElfFacts,
    inspect: bool,
    lock_id: &mut Option<u64>,
) -> InitRun {
    let mut target = ti.target;
    let mut decl = Declaration::failed(Some(target), ErrorReport::new("", ""));
    decl.error = None;
    let (kind, hook) = match open_hook(name, path, target) {
        Ok(h) => h,
        Err(e) => {
            decl.error = Some(e);
            return fail(decl);
        }
    };
    if let Err(e) = runtime() {
        decl.error = Some(e);
        return fail(decl);
    }
    *lock_id = register_module_code(hook, path);
    let (encoded, ascii) = encoded_short_name(name);
    let spec = gilgate_capi::host::new_module_spec(name, Some(&path.to_string_lossy()));
    // Released on every way out: a module that needs the spec keeps its own reference.
    let _spec_ref = OwnedRef(spec);

    let prev = gilgate_capi::host::swap_package_context(CString::new(name).ok());
    // This thread's calls only: another thread's init may call SetGIL meanwhile.
    let setgil_before = gilgate_capi::host::setgil_thread_count();
    crate::worker::stream_hook_called();
    // SAFETY: the hook has CPython's hook signature (no arguments, returns a pointer: a module,
    // a `PyModuleDef` or, for `PyModExport_*`, a slot array); it is called through the capi's
    // one way into extension code.
    let result: *mut c_void = unsafe {
        let f: unsafe extern "C" fn() -> *mut gilgate_capi::ffi::PyObject =
            std::mem::transmute(hook);
        gilgate_capi::host::module_init(f).cast()
    };
    let setgil_in_init = gilgate_capi::host::setgil_thread_count() != setgil_before;
    gilgate_capi::host::swap_package_context(prev);

    if kind == HookKind::Export {
        decl.init = Some(InitKind::Export);
        let quoted = format!("'{name}'");
        if result.is_null() {
            if ffi::err_occurred() {
                take_into(&mut decl, name);
            } else {
                decl.error = Some(ErrorReport::new(
                    "SystemError",
                    format!(
                        "module export hook for module {quoted} failed without setting an exception"
                    ),
                ));
            }
            return fail(decl);
        }
        if ffi::err_occurred() {
            let cause = take_exception();
            decl.lints.extend(cause.lint(name));
            decl.error = Some(
                ErrorReport::new(
                    "SystemError",
                    format!("module export hook for module {quoted} raised unreported exception"),
                )
                .caused_by(&cause.report),
            );
            return fail(decl);
        }
        // SAFETY: a non-NULL result of an export hook is a `PySlot` array.
        let (raw, infos) = unsafe {
            (
                raw_pyslots(result),
                gilgate_capi::host::describe_pyslots(result),
            )
        };
        decl.slots = slot_reports(infos);
        decl.multiple_interpreters = Some(multiple_interpreters(&raw, target));
        let def_seen = seen_def(&decl, &raw, target);
        // SAFETY: as above; `spec` is a valid object.
        let m = unsafe { gilgate_capi::host::module_from_slots_and_spec(result, spec) };
        if m.is_null() {
            take_into(&mut decl, name);
            return fail_after_def(decl, def_seen);
        }
        let mut run = finish_created(
            decl,
            m,
            std::ptr::null_mut(),
            &raw,
            target,
            facts,
            inspect,
            name,
        );
        run.def_seen = Some(def_seen);
        return run;
    }

    let m = result as *mut PyObject;
    let fmt = |s: &str| s.replace("%s", &encoded);
    if m.is_null() {
        decl.init = Some(InitKind::SinglePhase);
        if ffi::err_occurred() {
            take_into(&mut decl, name);
        } else {
            decl.error = Some(ErrorReport::new(
                "SystemError",
                fmt("initialization of %s failed without raising an exception"),
            ));
        }
        return fail(decl);
    }
    if ffi::err_occurred() {
        // CPython files this under single-phase whatever `m` is; the report names the kind
        // the returned object shows (a def that went through `PyModuleDef_Init` is multi-phase).
        // SAFETY: `m` is non-NULL; its type is read only when set.
        let is_def = unsafe { !(*m).ob_type.is_null() && ffi::type_check(m, c"PyModuleDef_Type") };
        decl.init = Some(if is_def {
            InitKind::MultiPhase
        } else {
            InitKind::SinglePhase
        });
        let cause = take_exception();
        decl.lints.extend(cause.lint(name));
        decl.error = Some(
            ErrorReport::new(
                "SystemError",
                fmt("initialization of %s raised unreported exception"),
            )
            .caused_by(&cause.report),
        );
        return fail(decl);
    }
    // SAFETY: `m` is non-NULL and was returned as an object pointer.
    if unsafe { (*m).ob_type }.is_null() {
        decl.error = Some(ErrorReport::new(
            "SystemError",
            fmt("init function of %s returned uninitialized object"),
        ));
        return fail(decl);
    }
    // SAFETY: `m` is an object with a type.
    if unsafe { ffi::type_check(m, c"PyModuleDef_Type") } {
        decl.init = Some(InitKind::MultiPhase);
        let def = m as *mut PyModuleDef;
        // SAFETY: a `PyModuleDef_Type` object is a `PyModuleDef`.
        let raw = unsafe { raw_slots((*def).m_slots) };
        let new_ids: Vec<String> = raw
            .iter()
            .filter(|(id, _)| is_315_module_slot(*id))
            .map(|(id, _)| id.to_string())
            .collect();
        if !new_ids.is_empty() {
            if ti.from_tag && target != Target::Cp315t {
                decl.lints.push(lint(
                    "slots-3.15-in-3.14",
                    format!(
                        "slot IDs {} use 3.15 numbering, but the file is built for {}, whose CPython does not know them; rebuild against that version's headers",
                        new_ids.join(", "),
                        target
                    ),
                ));
            } else if !ti.from_tag {
                target = Target::Cp315t;
                decl.target = Some(target);
            }
        }
        // SAFETY: as above.
        decl.slots = slot_reports(unsafe {
            gilgate_capi::host::describe_slots((*def).m_slots, target.to_capi())
        });
        decl.multiple_interpreters = Some(multiple_interpreters(&raw, target));
        let def_seen = seen_def(&decl, &raw, target);
        // SAFETY: `def` is a live def (static in the extension); `spec` is a valid object.
        let created = unsafe {
            gilgate_capi::host::module_from_def_and_spec(
                def,
                spec,
                gilgate_capi::ffi::PYTHON_API_VERSION,
                target.to_capi(),
            )
        };
        if created.is_null() {
            take_into(&mut decl, name);
            return fail_after_def(decl, def_seen);
        }
        let mut run = finish_created(decl, created, def, &raw, target, facts, inspect, name);
        run.def_seen = Some(def_seen);
        return run;
    }
    if !ascii {
        decl.error = Some(ErrorReport::new(
            "SystemError",
            fmt("initialization of %s did not return PyModuleDef"),
        ));
        return fail(decl);
    }
    decl.init = Some(InitKind::SinglePhase);
    // SAFETY: `m` is an object with a type.
    if !unsafe { ffi::type_check(m, c"PyModule_Type") } {
        decl.error = Some(ErrorReport::new(
            "SystemError",
            fmt("initialization of %s did not return an extension module"),
        ));
        return fail(decl);
    }
    // SAFETY: `m` is a module object, whose layout `PyModuleObject` mirrors.
    let md_def = unsafe { (*(m as *mut gilgate_capi::host::PyModuleObject)).md_def };
    if md_def.is_null() {
        decl.error = Some(ErrorReport::new(
            "SystemError",
            fmt("initialization of %s did not return a valid extension module"),
        ));
        return fail(decl);
    }
    // CPython files a single-phase module by its def's index once init succeeded, so the
    // extension can find it again with `PyState_FindModule`.
    // SAFETY: `m` is a valid module and `md_def` its live def.
    if unsafe { gilgate_capi::host::add_module(m, md_def) } != 0 {
        take_into(&mut decl, name);
        return fail(decl);
    }
    // SAFETY: `m` is a valid module.
    let requires = unsafe { gilgate_capi::host::module_requires_gil(m, target.to_capi()) };
    decl.gil = Some(if requires { Gil::Used } else { Gil::NotUsed });
    decl.gil_declared = Some(setgil_in_init);
    InitRun {
        decl,
        module: m,
        def: std::ptr::null_mut(),
        requires_gil: Some(requires),
        def_seen: None,
        lock_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn finish_created(
    mut decl: Declaration,
    m: *mut PyObject,
    def: *mut PyModuleDef,
    raw: &[(i32, usize)],
    target: Target,
    facts: &ElfFacts,
    inspect: bool,
    name: &str,
) -> InitRun {
    // SAFETY: `m` is a valid object returned by module creation.
    let is_module = unsafe { ffi::type_check(m, c"PyModule_Type") };
    if !is_module {
        // SAFETY: as above.
        let tn = unsafe { ffi::type_name(m) };
        decl.lints.push(lint(
            "create-returned-non-module",
            format!(
                "the create slot of {name} returned a '{tn}' object, not a module: CPython counts it as undeclared and enables the lock whatever its Py_mod_gil slot says"
            ),
        ));
    }
    // Only a module without a gil slot can mean its SetGIL call as its declaration (Cython's
    // multi-phase modules import the function but declare the slot).
    if inspect && facts.imports("PyUnstable_Module_SetGIL") && !has_gil_slot(raw, target) {
        decl.lints.push(lint(
            "setgil-in-exec",
            format!(
                "{name} is multi-phase without a Py_mod_gil slot but imports PyUnstable_Module_SetGIL: if an exec slot calls it, the call comes after the lock decision and is ignored (possible; `gilgate load` shows it); declare a Py_mod_gil slot instead"
            ),
        ));
    }
    // SAFETY: `m` is a valid object.
    let requires = unsafe { gilgate_capi::host::module_requires_gil(m, target.to_capi()) };
    decl.gil = Some(if requires { Gil::Used } else { Gil::NotUsed });
    decl.gil_declared = Some(has_gil_slot(raw, target));
    InitRun {
        decl,
        module: m,
        def,
        requires_gil: Some(requires),
        def_seen: None,
        lock_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_numbering() {
        assert!(is_315_module_slot(87));
        assert!(is_315_module_slot(109));
        assert!(!is_315_module_slot(4));
        assert!(!is_315_module_slot(99));
        assert_eq!(resolve_id(4, Target::Cp315t), 87);
        assert_eq!(resolve_id(4, Target::Cp314t), 4);
        let raw = [(3, 0usize), (4, 1usize)];
        assert_eq!(multiple_interpreters(&raw, Target::Cp314t), "not_supported");
        assert_eq!(multiple_interpreters(&raw, Target::Cp315t), "not_supported");
        assert_eq!(multiple_interpreters(&[], Target::Cp314t), "supported");
        assert!(has_gil_slot(&raw, Target::Cp315t));
        assert!(!has_gil_slot(&[(87, 1)], Target::Cp314t));
    }
}
