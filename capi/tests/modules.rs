//! Module creation end to end through the exported C functions: multi-phase validation
//! messages (3.14 and 3.15 rules), create/exec slots, single-phase creation, SetGIL and the
//! lock verdict.

use gilgate_capi::ffi::_Py_STATICALLY_ALLOCATED_FLAG;
use gilgate_capi::ffi::METH_NOARGS;
use gilgate_capi::ffi::METH_STATIC;
use gilgate_capi::ffi::PyMethodDef;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::*;
use gilgate_capi::host::ExcInfo;
use gilgate_capi::host::Target;
use gilgate_capi::host::describe_pyslots;
use gilgate_capi::host::describe_slots;
use gilgate_capi::host::module_from_def_and_spec;
use gilgate_capi::host::module_from_slots_and_spec;
use gilgate_capi::host::module_requires_gil;
use gilgate_capi::host::setgil_call_count;
use gilgate_capi::host::swap_package_context;
use gilgate_capi::testing::moduleobject::exec_module;
use gilgate_capi::testing::refcount;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::{null, null_mut};

fn init() {
    gilgate_capi::host::initialize().expect("runtime initializes");
    gilgate_capi::testing::warnings::set_quiet(true);
}

/// A leaked, statically-initialised-looking def (what `PyModuleDef_HEAD_INIT` produces).
fn def(
    name: &'static CStr,
    size: isize,
    slots: Vec<(c_int, usize)>,
    methods: *mut PyMethodDef,
) -> *mut PyModuleDef {
    let slots_ptr = if slots.is_empty() {
        null_mut()
    } else {
        let mut v: Vec<PyModuleDef_Slot> = slots
            .into_iter()
            .map(|(slot, value)| PyModuleDef_Slot {
                slot,
                value: value as *mut c_void,
            })
            .collect();
        v.push(PyModuleDef_Slot {
            slot: 0,
            value: null_mut(),
        });
        Box::leak(v.into_boxed_slice()).as_mut_ptr()
    };
    Box::leak(Box::new(PyModuleDef {
        m_base: PyModuleDef_Base {
            ob_base: PyObject::static_immortal(null_mut()),
            m_init: None,
            m_index: 0,
            m_copy: null_mut(),
        },
        m_name: name.as_ptr(),
        m_doc: null(),
        m_size: size,
        m_methods: methods,
        m_slots: slots_ptr,
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }))
}

fn create(d: *mut PyModuleDef, name: &str, target: Target) -> Result<*mut PyObject, ExcInfo> {
    let spec = gilgate_capi::host::new_module_spec(name, Some("/x/m.so"));
    // SAFETY: a live def and spec.
    let m = unsafe { module_from_def_and_spec(d, spec, PYTHON_API_VERSION, target) };
    // SAFETY: our spec reference.
    unsafe { gilgate_capi::host::decref(spec) };
    if m.is_null() {
        Err(gilgate_capi::host::take_exception().expect("error set"))
    } else {
        Ok(m)
    }
}

fn err_text(d: *mut PyModuleDef, target: Target) -> String {
    let e = create(d, "pkg.m", target).expect_err("creation fails");
    format!("{}: {}", e.type_name, e.message)
}

unsafe extern "C" fn exec_ok(m: *mut PyObject) -> c_int {
    // SAFETY: called by exec with a live module.
    unsafe { PyModule_AddIntConstant(m, c"answer".as_ptr(), 42) }
}
unsafe extern "C" fn exec_fail_silent(_m: *mut PyObject) -> c_int {
    -1
}
unsafe extern "C" fn exec_unreported(_m: *mut PyObject) -> c_int {
    gilgate_capi::host::set_error("ValueError", "v");
    0
}
unsafe extern "C" fn create_null(_s: *mut PyObject, _d: *mut PyModuleDef) -> *mut PyObject {
    null_mut()
}
unsafe extern "C" fn create_dict(_s: *mut PyObject, _d: *mut PyModuleDef) -> *mut PyObject {
    gilgate_capi::testing::dictobject::new_dict()
}
unsafe extern "C" fn create_unreported(s: *mut PyObject, _d: *mut PyModuleDef) -> *mut PyObject {
    gilgate_capi::host::set_error("KeyError", "k");
    // SAFETY: the spec is live.
    unsafe { refcount::new_ref(s) }
}
unsafe extern "C" fn noargs(_s: *mut PyObject, _a: *mut PyObject) -> *mut PyObject {
    gilgate_capi::testing::object::new_none()
}

const CREATE: c_int = Py_mod_create;
const EXEC: c_int = Py_mod_exec;
const MI: c_int = Py_mod_multiple_interpreters;
const GIL: c_int = Py_mod_gil;

#[test]
fn def_init_sets_type_and_index() {
    init();
    let d = def(c"m", 0, vec![], null_mut());
    // SAFETY: a live def.
    unsafe {
        let o = PyModuleDef_Init(d);
        assert_eq!(o, d.cast());
        assert_eq!((*o).ob_type, &raw mut PyModuleDef_Type);
        let idx = (*d).m_base.m_index;
        assert!(idx >= 1);
        PyModuleDef_Init(d);
        assert_eq!((*d).m_base.m_index, idx, "second init keeps the index");
        assert_eq!((*o).ob_ref_local, u32::MAX, "immortal def stays immortal");
    }
}

#[test]
fn duplicate_and_unknown_slots_314_messages() {
    init();
    let f = exec_ok as *const () as usize;
    let cases: Vec<(Vec<(c_int, usize)>, &str)> = vec![
        (
            vec![(GIL, 1), (GIL, 1)],
            "SystemError: module pkg.m has more than one 'gil' slot",
        ),
        (
            vec![
                (CREATE, create_dict as *const () as usize),
                (CREATE, create_dict as *const () as usize),
            ],
            "SystemError: module pkg.m has multiple create slots",
        ),
        (
            vec![(MI, 1), (MI, 0)],
            "SystemError: module pkg.m has more than one 'multiple interpreters' slots",
        ),
        (
            vec![(999, 0)],
            "SystemError: module pkg.m uses unknown slot ID 999",
        ),
        (
            vec![(EXEC, f), (GIL, 1), (87, 1)],
            "SystemError: module pkg.m uses unknown slot ID 87",
        ),
    ];
    for (slots, want) in cases {
        assert_eq!(
            err_text(def(c"m", 0, slots.clone(), null_mut()), Target::Cp314t),
            want
        );
        assert_eq!(
            err_text(def(c"m", 0, slots, null_mut()), Target::Cp313t),
            want
        );
    }
}

#[test]
fn negative_size_is_checked_before_slots_in_314_after_in_315() {
    init();
    let slots = vec![(GIL, 1), (GIL, 1)];
    assert_eq!(
        err_text(def(c"m", -1, slots.clone(), null_mut()), Target::Cp314t),
        "SystemError: module pkg.m: m_size may not be negative for multi-phase initialization"
    );
    assert_eq!(
        err_text(def(c"m", -1, slots, null_mut()), Target::Cp315t),
        "SystemError: module pkg.m has multiple Py_mod_gil (87) slots"
    );
    assert_eq!(
        err_text(def(c"m", -1, vec![], null_mut()), Target::Cp315t),
        "SystemError: module pkg.m: m_size may not be negative for multi-phase initialization"
    );
}

#[test]
fn messages_315() {
    init();
    let cases: Vec<(Vec<(c_int, usize)>, &str)> = vec![
        (
            vec![
                (CREATE, create_dict as *const () as usize),
                (84, create_dict as *const () as usize),
            ],
            "SystemError: module pkg.m has multiple Py_mod_create (84) slots",
        ),
        (
            vec![(MI, 1), (MI, 1)],
            "SystemError: module pkg.m has multiple Py_mod_multiple_interpreters (86) slots",
        ),
        (vec![(999, 0)], "SystemError: unknown module slot ID 999"),
        (
            vec![(50, 1)],
            "SystemError: invalid module slot 50 (Py_tp_call)",
        ),
        (
            vec![(56, 1)],
            "SystemError: invalid module slot 56 (Py_tp_doc)",
        ),
        (
            vec![(EXEC, 0)],
            "SystemError: NULL not allowed for slot Py_mod_exec",
        ),
        (
            vec![(100, c"other".as_ptr() as usize)],
            "SystemError: module pkg.m: Py_mod_name conflicts with PyModuleDef.m_name",
        ),
        (
            vec![(110, 0x1234)],
            "SystemError: module pkg.m: arbitrary Py_mod_token not allowed with PyModuleDef",
        ),
    ];
    for (slots, want) in cases {
        assert_eq!(
            err_text(def(c"m", 0, slots, null_mut()), Target::Cp315t),
            want
        );
    }
    // A matching name is accepted; duplicate exec slots are allowed with a def.
    let ok = def(
        c"m",
        0,
        vec![
            (100, c"m".as_ptr() as usize),
            (EXEC, exec_ok as *const () as usize),
            (EXEC, exec_ok as *const () as usize),
        ],
        null_mut(),
    );
    assert!(create(ok, "pkg.m", Target::Cp315t).is_ok());
}

#[test]
fn def_abi_flag_check_315() {
    init();
    let d = def(c"m", 0, vec![], null_mut());
    // SAFETY: our def; simulate a header without the static flag (a GIL-build def).
    unsafe { (*d).m_base.ob_base.ob_flags = 0 };
    assert_eq!(
        err_text(d, Target::Cp315t),
        "SystemError: invalid PyModuleDef, extension possibly compiled for non-free-threaded Python"
    );
    // SAFETY: as above.
    unsafe { (*d).m_base.ob_base.ob_flags = _Py_STATICALLY_ALLOCATED_FLAG };
    assert!(create(d, "pkg.m", Target::Cp315t).is_ok());
}

#[test]
fn create_slot_errors() {
    init();
    assert_eq!(
        err_text(
            def(
                c"m",
                0,
                vec![(CREATE, create_null as *const () as usize)],
                null_mut()
            ),
            Target::Cp314t
        ),
        "SystemError: creation of module pkg.m failed without setting an exception"
    );
    let e = create(
        def(
            c"m",
            0,
            vec![(CREATE, create_unreported as *const () as usize)],
            null_mut(),
        ),
        "pkg.m",
        Target::Cp314t,
    )
    .expect_err("fails");
    assert_eq!(
        e.message,
        "creation of module pkg.m raised unreported exception"
    );
    let cause = e.cause.expect("chained");
    assert_eq!(
        (cause.type_name.as_str(), cause.message.as_str()),
        ("KeyError", "'k'")
    );
    assert_eq!(
        err_text(
            def(
                c"m",
                8,
                vec![(CREATE, create_dict as *const () as usize)],
                null_mut()
            ),
            Target::Cp314t
        ),
        "SystemError: module pkg.m is not a module object, but requests module state"
    );
    assert_eq!(
        err_text(
            def(
                c"m",
                0,
                vec![
                    (CREATE, create_dict as *const () as usize),
                    (EXEC, exec_ok as *const () as usize)
                ],
                null_mut()
            ),
            Target::Cp314t
        ),
        "SystemError: module pkg.m specifies execution slots, but did not create a ModuleType instance"
    );
    // A create slot returning a non-module without state or exec is fine, and needs the lock.
    let m = create(
        def(
            c"m",
            0,
            vec![(CREATE, create_dict as *const () as usize), (GIL, 1)],
            null_mut(),
        ),
        "pkg.m",
        Target::Cp314t,
    )
    .expect("dict accepted");
    // SAFETY: a live object.
    unsafe { assert!(module_requires_gil(m, Target::Cp314t)) };
}

#[test]
fn gil_slot_values_and_verdicts() {
    init();
    for (slots, t313, t315) in [
        (vec![], true, true),
        (vec![(GIL, 0)], true, true),
        (vec![(GIL, 1)], false, false),
        (vec![(GIL, 2)], false, true),
    ] {
        let m = create(
            def(c"m", 0, slots.clone(), null_mut()),
            "pkg.m",
            Target::Cp314t,
        )
        .expect("created");
        // SAFETY: a live module.
        unsafe {
            assert_eq!(module_requires_gil(m, Target::Cp313t), t313, "{slots:?}");
            assert_eq!(module_requires_gil(m, Target::Cp314t), t313, "{slots:?}");
            assert_eq!(module_requires_gil(m, Target::Cp315t), t315, "{slots:?}");
        }
    }
}

#[test]
fn module_object_dict_and_exec() {
    init();
    let d = def(
        c"m",
        16,
        vec![(EXEC, exec_ok as *const () as usize)],
        null_mut(),
    );
    // SAFETY: a live def.
    unsafe { (*d).m_doc = c"the doc".as_ptr() };
    let m = create(d, "pkg.m", Target::Cp314t).expect("created");
    // SAFETY: a live module.
    unsafe {
        assert_eq!(
            CStr::from_ptr(PyModule_GetName(m)).to_str().unwrap(),
            "pkg.m"
        );
        assert_eq!(PyModule_GetDef(m), d);
        assert!(PyModule_GetState(m).is_null(), "state comes with exec");
        let doc = gilgate_capi::ffi::PyObject_GetAttrString(m, c"__doc__".as_ptr());
        assert_eq!(uni::as_str(doc), Some("the doc"));
        for k in [c"__package__", c"__loader__", c"__spec__"] {
            let v = gilgate_capi::ffi::PyObject_GetAttrString(m, k.as_ptr());
            assert_eq!(v, gilgate_capi::testing::object::none());
        }
        assert_eq!(exec_module(m), 0);
        assert!(!PyModule_GetState(m).is_null());
        let v = gilgate_capi::ffi::PyObject_GetAttrString(m, c"answer".as_ptr());
        assert_eq!(gilgate_capi::ffi::PyLong_AsLong(v), 42);
        assert!(gilgate_capi::ffi::PyObject_GetAttrString(m, c"nope".as_ptr()).is_null());
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(
            (e.type_name.as_str(), e.message.as_str()),
            ("AttributeError", "module 'pkg.m' has no attribute 'nope'")
        );
        assert_eq!(exec_module(m), 0, "already initialised: no second exec");
    }
}

#[test]
fn exec_errors() {
    init();
    for (f, want) in [
        (
            exec_fail_silent as *const () as usize,
            "execution of module pkg.m failed without setting an exception",
        ),
        (
            exec_unreported as *const () as usize,
            "execution of module pkg.m raised unreported exception",
        ),
    ] {
        let d = def(c"m", 0, vec![(EXEC, f)], null_mut());
        let m = create(d, "pkg.m", Target::Cp314t).expect("created");
        // SAFETY: a live module and def.
        assert_eq!(unsafe { PyModule_ExecDef(m, d) }, -1);
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(e.message, want);
    }
}

#[test]
fn methods_are_added_and_static_rejected() {
    init();
    let table = Box::leak(Box::new([
        PyMethodDef {
            ml_name: c"f".as_ptr(),
            ml_meth: noargs as *mut c_void,
            ml_flags: METH_NOARGS,
            ml_doc: null(),
        },
        PyMethodDef {
            ml_name: null(),
            ml_meth: null_mut(),
            ml_flags: 0,
            ml_doc: null(),
        },
    ]));
    let m = create(
        def(c"m", 0, vec![], table.as_mut_ptr()),
        "pkg.m",
        Target::Cp314t,
    )
    .expect("created");
    // SAFETY: a live module.
    unsafe {
        let f = gilgate_capi::ffi::PyObject_GetAttrString(m, c"f".as_ptr());
        assert!(!f.is_null());
        assert_eq!(
            gilgate_capi::testing::object::repr_string(f),
            "<built-in function f>"
        );
        assert_eq!(
            gilgate_capi::testing::object::type_name((*f).ob_type),
            "builtin_function_or_method"
        );
    }
    let bad = Box::leak(Box::new([
        PyMethodDef {
            ml_name: c"g".as_ptr(),
            ml_meth: noargs as *mut c_void,
            ml_flags: METH_NOARGS | METH_STATIC,
            ml_doc: null(),
        },
        PyMethodDef {
            ml_name: null(),
            ml_meth: null_mut(),
            ml_flags: 0,
            ml_doc: null(),
        },
    ]));
    assert_eq!(
        err_text(def(c"m", 0, vec![], bad.as_mut_ptr()), Target::Cp314t),
        "ValueError: module functions cannot set METH_CLASS or METH_STATIC"
    );
}

#[test]
fn single_phase_create_and_setgil() {
    init();
    swap_package_context(Some(c"pkg.sub.sp".to_owned()));
    let d = def(c"sp", 0, vec![], null_mut());
    // SAFETY: a live def.
    unsafe {
        let m = PyModule_Create2(d, PYTHON_API_VERSION);
        assert!(!m.is_null());
        assert_eq!(
            CStr::from_ptr(PyModule_GetName(m)).to_str().unwrap(),
            "pkg.sub.sp"
        );
        assert!(swap_package_context(None).is_none(), "context consumed");
        assert!(module_requires_gil(m, Target::Cp314t));
        let before = setgil_call_count();
        assert_eq!(
            PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED as *mut c_void),
            0
        );
        assert_eq!(setgil_call_count(), before + 1);
        assert!(!module_requires_gil(m, Target::Cp314t));
        let notmod = gilgate_capi::testing::dictobject::new_dict();
        assert_eq!(PyUnstable_Module_SetGIL(notmod, null_mut()), -1);
        assert_eq!(
            gilgate_capi::host::take_exception().unwrap().message,
            "bad argument to internal function"
        );
        let with_slots = def(c"sp2", 0, vec![(GIL, 1)], null_mut());
        assert!(PyModule_Create2(with_slots, PYTHON_API_VERSION).is_null());
        assert_eq!(
            gilgate_capi::host::take_exception().unwrap().message,
            "module sp2: PyModule_Create is incompatible with m_slots"
        );
        let _ = gilgate_capi::testing::warnings::take_warnings();
        let m2 = PyModule_Create2(def(c"sp3", 0, vec![], null_mut()), 1012);
        assert!(!m2.is_null());
        let w = gilgate_capi::testing::warnings::take_warnings();
        assert!(w.iter().any(|w| w.category == "RuntimeWarning"
            && w.message == "Python C API version mismatch for module sp3: This Python has API version 1013, module sp3 has version 1012."), "{w:?}");
    }
}

#[test]
fn describe_slot_lists() {
    let d = def(
        c"m",
        0,
        vec![
            (CREATE, 0x10),
            (EXEC, 0x20),
            (GIL, 1),
            (MI, 2),
            (GIL, 5),
            (87, 0),
        ],
        null_mut(),
    );
    // SAFETY: a live def.
    let s = unsafe { describe_slots((*d).m_slots, Target::Cp314t) };
    let v: Vec<(i32, Option<&str>, &str)> =
        s.iter().map(|i| (i.id, i.name, i.value.as_str())).collect();
    assert_eq!(
        v,
        vec![
            (1, Some("Py_mod_create"), "function"),
            (2, Some("Py_mod_exec"), "function"),
            (4, Some("Py_mod_gil"), "Py_MOD_GIL_NOT_USED"),
            (
                3,
                Some("Py_mod_multiple_interpreters"),
                "Py_MOD_PER_INTERPRETER_GIL_SUPPORTED"
            ),
            (4, Some("Py_mod_gil"), "0x5"),
            (87, None, "0x0"),
        ]
    );
    // SAFETY: as above.
    let s = unsafe { describe_slots((*d).m_slots, Target::Cp315t) };
    assert_eq!(s.last().unwrap().name, Some("Py_mod_gil"));
    assert_eq!(s.last().unwrap().value, "Py_MOD_GIL_USED");
    // SAFETY: NULL is allowed.
    assert!(unsafe { describe_slots(null(), Target::Cp314t) }.is_empty());
}

// ---- 3.15 slots-only modules ----

fn pyslots(entries: &[(u16, u16, u64)]) -> *const c_void {
    let mut v: Vec<PySlot> = entries
        .iter()
        .map(|&(sl_id, sl_flags, sl_value)| PySlot {
            sl_id,
            sl_flags,
            sl_reserved: 0,
            sl_value,
        })
        .collect();
    v.push(PySlot {
        sl_id: 0,
        sl_flags: 0,
        sl_reserved: 0,
        sl_value: 0,
    });
    Box::leak(v.into_boxed_slice()).as_ptr().cast()
}

fn from_slots(slots: *const c_void) -> Result<*mut PyObject, String> {
    let spec = gilgate_capi::host::new_module_spec("pkg.x", None);
    // SAFETY: live spec; slot array from `pyslots`.
    let m = unsafe { module_from_slots_and_spec(slots, spec) };
    if m.is_null() {
        let e = gilgate_capi::host::take_exception().unwrap();
        Err(format!("{}: {}", e.type_name, e.message))
    } else {
        Ok(m)
    }
}

fn abi(flags: u16) -> u64 {
    let info = Box::leak(Box::new(gilgate_capi::ffi::PyABIInfo {
        abiinfo_major_version: 1,
        abiinfo_minor_version: 0,
        flags,
        build_version: 0x030F_02F0,
        abi_version: 0x030F_02F0,
    }));
    info as *const _ as u64
}

#[test]
fn slots_only_modules_315() {
    init();
    use gilgate_capi::ffi::PyABIInfo_FREETHREADED;
    use gilgate_capi::ffi::PyABIInfo_GIL;
    // SAFETY: NULL is checked.
    assert!(unsafe { module_from_slots_and_spec(null(), null_mut()) }.is_null());
    assert_eq!(
        gilgate_capi::host::take_exception().unwrap().message,
        "PyModule_FromSlotsAndSpec called with NULL slots"
    );
    assert_eq!(
        from_slots(pyslots(&[(87, 0, 1)])).unwrap_err(),
        "SystemError: module pkg.x does not define Py_mod_abi, which is mandatory for modules defined from slots only."
    );
    assert_eq!(
        from_slots(pyslots(&[(109, 0, abi(PyABIInfo_GIL))])).unwrap_err(),
        "ImportError: pkg.x: incompatible with free-threaded CPython"
    );
    assert_eq!(
        from_slots(pyslots(&[
            (109, 0, abi(PyABIInfo_FREETHREADED)),
            (85, 0, exec_ok as *const () as u64),
            (85, 0, exec_ok as *const () as u64)
        ]))
        .unwrap_err(),
        "SystemError: module pkg.x has multiple Py_mod_exec slots"
    );
    let table = Box::leak(Box::new([PyMethodDef {
        ml_name: null(),
        ml_meth: null_mut(),
        ml_flags: 0,
        ml_doc: null(),
    }]));
    assert_eq!(
        from_slots(pyslots(&[
            (109, 0, abi(4)),
            (103, 0, table.as_ptr() as u64)
        ]))
        .unwrap_err(),
        "SystemError: Py_mod_methods requires PySlot_STATIC"
    );
    assert_eq!(
        from_slots(pyslots(&[(109, 0, abi(4)), (999, 0, 0)])).unwrap_err(),
        "SystemError: unknown module slot ID 999"
    );
    assert!(from_slots(pyslots(&[(109, 0, abi(4)), (999, PySlot_OPTIONAL, 0)])).is_ok());
    // Nested legacy slots: the gil value comes through Py_mod_slots.
    let legacy = def(c"x", 0, vec![(GIL, 1)], null_mut());
    // SAFETY: a live def.
    let nested = unsafe { (*legacy).m_slots } as u64;
    let m = from_slots(pyslots(&[
        (109, 0, abi(4)),
        (94, 0, nested),
        (101, 0, c"d".as_ptr() as u64),
    ]))
    .expect("created");
    // SAFETY: a live module.
    unsafe {
        assert!(!module_requires_gil(m, Target::Cp315t));
        assert!(PyModule_GetDef(m).is_null());
        let doc = gilgate_capi::ffi::PyObject_GetAttrString(m, c"__doc__".as_ptr());
        assert_eq!(uni::as_str(doc), Some("d"));
    }
    // SAFETY: a terminated PySlot array.
    let info = unsafe { describe_pyslots(pyslots(&[(109, 0, 0x10), (4, 0, 1)])) };
    assert_eq!(info[1].name, Some("Py_mod_gil"));
    assert_eq!(info[1].value, "Py_MOD_GIL_NOT_USED");
}

#[test]
fn spec_attributes() {
    init();
    let spec = gilgate_capi::host::new_module_spec("a.b.c", Some("/tmp/c.so"));
    let get = |n: &CStr| {
        // SAFETY: live spec.
        unsafe { gilgate_capi::ffi::PyObject_GetAttrString(spec, n.as_ptr() as *const c_char) }
    };
    // SAFETY: live objects returned above.
    unsafe {
        assert_eq!(uni::as_str(get(c"name")), Some("a.b.c"));
        assert_eq!(uni::as_str(get(c"parent")), Some("a.b"));
        assert_eq!(uni::as_str(get(c"origin")), Some("/tmp/c.so"));
        assert_eq!(get(c"loader"), gilgate_capi::testing::object::none());
        assert_eq!(
            get(c"submodule_search_locations"),
            gilgate_capi::testing::object::none()
        );
        assert_eq!(
            get(c"has_location"),
            gilgate_capi::testing::boolobject::true_()
        );
        assert!(get(c"nothing").is_null());
        let e = gilgate_capi::host::take_exception().unwrap();
        assert_eq!(e.message, "'ModuleSpec' object has no attribute 'nothing'");
    }
    let top = gilgate_capi::host::new_module_spec("top", None);
    // SAFETY: live spec.
    unsafe {
        let p = gilgate_capi::ffi::PyObject_GetAttrString(top, c"parent".as_ptr());
        assert_eq!(uni::as_str(p), Some(""));
        let o = gilgate_capi::ffi::PyObject_GetAttrString(top, c"origin".as_ptr());
        assert_eq!(o, gilgate_capi::testing::object::none());
    }
}

/// `PyState_AddModule`/`FindModule`/`RemoveModule`: single-phase modules are filed by their
/// def's index; defs with slots are refused; an unknown def finds nothing without an error.
#[test]
fn pystate_files_single_phase_modules_by_index() {
    init();
    use gilgate_capi::ffi::PyState_AddModule;
    use gilgate_capi::ffi::PyState_FindModule;
    use gilgate_capi::ffi::PyState_RemoveModule;
    let d = def(c"sp_state", -1, vec![], null_mut());
    let other = def(c"sp_other", -1, vec![], null_mut());
    // SAFETY: live defs and module objects.
    unsafe {
        let m = PyModule_Create2(d, PYTHON_API_VERSION);
        assert!(!m.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert!(PyState_FindModule(d).is_null());
        assert!(PyState_FindModule(other).is_null());
        assert!(gilgate_capi::host::take_exception().is_none());
        assert_eq!(PyState_AddModule(m, d), 0);
        assert_eq!(PyState_FindModule(d), m);
        assert_eq!(PyState_RemoveModule(d), 0);
        assert!(PyState_FindModule(d).is_null());

        let with_slots = def(
            c"mp_state",
            0,
            vec![(Py_mod_gil, Py_MOD_GIL_NOT_USED)],
            null_mut(),
        );
        PyModuleDef_Init(with_slots);
        assert_eq!(PyState_AddModule(m, with_slots), -1);
        let e = gilgate_capi::host::take_exception().expect("SystemError");
        assert_eq!(e.type_name, "SystemError");
        assert_eq!(e.message, "PyState_AddModule called on module with slots");
        gilgate_capi::host::decref(m);
    }
}
