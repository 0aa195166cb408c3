//! Types end to end: static types readied by `PyType_Ready` (descriptors for methods,
//! members and getsets, inheritance), heap types from specs with module state, MRO, instance
//! dicts, weak references, deallocation of instances and heap types, and CPython's error texts.
//! The types are written in C (`tests/c/types/types_ext.c`), compiled against `include/` and
//! loaded with `dlopen`, the way a real extension reaches the runtime.

use gilgate_capi::ffi::PyCFunctionObject;
use gilgate_capi::ffi::PyObject;
use gilgate_capi::ffi::PyTypeObject;
use gilgate_capi::host::ExcInfo;
use gilgate_capi::host::decref;
use gilgate_capi::testing::longobject;
use gilgate_capi::testing::object;
use gilgate_capi::testing::refcount::refcnt;
use gilgate_capi::testing::tupleobject;
use gilgate_capi::testing::typeobject;
use gilgate_capi::testing::unicodeobject as uni;
use std::ffi::{CString, c_char, c_int, c_long, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;
use support::{Library, cc};

mod support;

/// The tests of this file share one fixture whose deallocations they count
/// (`types_counter_frees`): they run one at a time, so that no other test frees a counter
/// between a test's two reads.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn ext() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        gilgate_capi::host::initialize().expect("initialize");
        gilgate_capi::testing::warnings::set_quiet(true);
        let lib = cc::shared(
            cc::fixture("types/types_ext.c"),
            cc::out_dir("types-ext").join("libtypes_ext.so"),
        )
        .args(["-O1", "-Wall", "-Werror", "-DPy_GIL_DISABLED=1"])
        .build();
        // SAFETY: a test library without constructors; its symbols resolve against this binary.
        unsafe { Library::open(&lib) }
    })
}

fn sym<T: Copy>(name: &str) -> T {
    let c = CString::new(name).unwrap();
    let p = ext().sym(&c);
    assert_eq!(std::mem::size_of::<T>(), std::mem::size_of::<*mut c_void>());
    // SAFETY: the caller names the symbol's real function type.
    unsafe { std::mem::transmute_copy(&p) }
}

fn ty_fn(name: &str) -> *mut PyTypeObject {
    let f: extern "C" fn() -> *mut PyTypeObject = sym(name);
    let t = f();
    assert!(
        !t.is_null(),
        "{name}: {:?}",
        gilgate_capi::host::take_exception()
    );
    t
}

fn counter_type() -> *mut PyTypeObject {
    ty_fn("types_counter_type")
}

fn int_fn(name: &str) -> c_int {
    let f: extern "C" fn() -> c_int = sym(name);
    f()
}

fn err() -> ExcInfo {
    gilgate_capi::host::take_exception().expect("an exception is set")
}

fn expect_err(ty: &str, msg: &str) {
    let e = err();
    assert_eq!((e.type_name.as_str(), e.message.as_str()), (ty, msg));
}

fn call(t: *mut PyTypeObject, args: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments; the type is ready.
    unsafe {
        let a = tupleobject::from_slice(args);
        let r = typeobject::type_call(t.cast(), a, null_mut());
        decref(a);
        r
    }
}

fn getattr(o: *mut PyObject, name: &str) -> *mut PyObject {
    let n = CString::new(name).unwrap();
    // SAFETY: a live object and a C string.
    unsafe { gilgate_capi::ffi::PyObject_GetAttrString(o, n.as_ptr()) }
}

fn setattr(o: *mut PyObject, name: &str, v: *mut PyObject) -> c_int {
    let n = CString::new(name).unwrap();
    // SAFETY: a live object, a C string, NULL or a live value.
    unsafe { gilgate_capi::ffi::PyObject_SetAttrString(o, n.as_ptr(), v) }
}

fn int(v: i128) -> *mut PyObject {
    longobject::from_i128(v)
}

fn int_of(o: *mut PyObject) -> i128 {
    assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: a live int; we own the reference.
    unsafe {
        let v = longobject::value_i128(o).expect("an int");
        decref(o);
        v
    }
}

fn repr(o: *mut PyObject) -> String {
    // SAFETY: a live object.
    unsafe { object::repr_string(o) }
}

fn text(o: *mut PyObject) -> String {
    assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: a live str; we own the reference.
    unsafe {
        let s = uni::as_str(o).expect("a str").to_string();
        decref(o);
        s
    }
}

fn set_and_get(o: *mut PyObject, name: &str, v: *mut PyObject) -> c_int {
    let r = setattr(o, name, v);
    // SAFETY: we own `v`.
    unsafe { decref(v) };
    r
}

#[test]
fn static_type_ready_fills_dict_mro_and_inherits() {
    let _serial = serial();
    let t = counter_type();
    // SAFETY: reading a ready type.
    unsafe {
        assert_ne!((*t).tp_flags & gilgate_capi::ffi::Py_TPFLAGS_READY, 0);
        assert_eq!((*t).tp_base, &raw mut gilgate_capi::ffi::PyBaseObject_Type);
        assert!((*t).tp_getattro.is_some() && (*t).tp_setattro.is_some());
        assert!((*t).tp_alloc.is_some() && (*t).tp_free.is_some());
        assert!((*t).tp_hash.is_some() && (*t).tp_richcompare.is_some());
        assert!(!(*t).tp_mro.is_null());
    }
    assert_eq!(repr(t.cast()), "<class 'counters.Counter'>");
    assert_eq!(text(getattr(t.cast(), "__name__")), "Counter");
    assert_eq!(text(getattr(t.cast(), "__module__")), "counters");
    assert_eq!(text(getattr(t.cast(), "__doc__")), "A counter.");
    let meta = getattr(t.cast(), "__class__");
    assert_eq!(repr(meta), "<class 'type'>");
    // SAFETY: we own `meta`.
    unsafe { decref(meta) };
    let mro = getattr(t.cast(), "__mro__");
    assert_eq!(repr(mro), "(<class 'counters.Counter'>, <class 'object'>)");
    // SAFETY: we own `mro`.
    unsafe { decref(mro) };
    let d = getattr(t.cast(), "increment");
    assert_eq!(
        repr(d),
        "<method 'increment' of 'counters.Counter' objects>"
    );
    // SAFETY: we own `d`.
    unsafe { decref(d) };
    let m = getattr(t.cast(), "value");
    assert_eq!(repr(m), "<member 'value' of 'counters.Counter' objects>");
    // SAFETY: we own `m`.
    unsafe { decref(m) };
    let g = getattr(t.cast(), "doubled");
    assert_eq!(
        repr(g),
        "<attribute 'doubled' of 'counters.Counter' objects>"
    );
    // SAFETY: we own `g`.
    unsafe { decref(g) };
    assert!(getattr(t.cast(), "nope").is_null());
    expect_err(
        "AttributeError",
        "type object 'counters.Counter' has no attribute 'nope'",
    );
}

#[test]
fn members_getsets_methods_and_dict_on_instances() {
    let _serial = serial();
    let t = counter_type();
    let c = call(t, &[int(5)]);
    assert!(!c.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert_eq!(int_of(getattr(c, "value")), 5);
    assert_eq!(getattr(c, "__class__"), t.cast());
    // SAFETY: the reference just returned.
    unsafe { decref(t.cast()) };
    assert_eq!(text(getattr(c, "__doc__")), "A counter.");
    assert_eq!(int_of(getattr(c, "fixed")), 42);
    assert_eq!(int_of(getattr(c, "doubled")), 10);
    assert_eq!(text(getattr(c, "kind")), "counter");
    assert_eq!(set_and_get(c, "doubled", int(30)), 0);
    assert_eq!(int_of(getattr(c, "value")), 15);
    assert_eq!(set_and_get(c, "value", int(-7)), 0);
    assert_eq!(int_of(getattr(c, "value")), -7);
    assert_eq!(set_and_get(c, "ratio", int(3)), 0);
    let r = getattr(c, "ratio");
    assert_eq!(repr(r), "3.0");
    // SAFETY: we own `r`.
    unsafe { decref(r) };

    // Errors, with CPython's texts.
    assert_eq!(set_and_get(c, "fixed", int(1)), -1);
    expect_err("AttributeError", "readonly attribute");
    assert_eq!(set_and_get(c, "kind", int(1)), -1);
    expect_err(
        "AttributeError",
        "attribute 'kind' of 'counters.Counter' objects is not writable",
    );
    assert!(getattr(c, "label").is_null());
    expect_err(
        "AttributeError",
        "'counters.Counter' object has no attribute 'label'",
    );
    assert_eq!(setattr(c, "label", null_mut()), -1);
    expect_err("AttributeError", "label");
    assert_eq!(set_and_get(c, "value", int(1 << 70)), -1);
    expect_err("OverflowError", "Python int too large to convert to C long");
    assert_eq!(set_and_get(c, "value", uni::from_str("x")), -1);
    expect_err(
        "TypeError",
        "'str' object cannot be interpreted as an integer",
    );
    assert_eq!(setattr(c, "value", null_mut()), -1);
    expect_err("TypeError", "can't delete numeric/char attribute");
    assert_eq!(set_and_get(c, "flag", int(1)), -1);
    expect_err("TypeError", "attribute value type must be bool");
    assert_eq!(
        setattr(c, "flag", gilgate_capi::testing::boolobject::true_()),
        0
    );
    assert_eq!(repr(getattr(c, "flag")), "True");
    assert_eq!(set_and_get(c, "small", int(-300)), 0);
    assert_eq!(int_of(getattr(c, "small")), -300);
    // Py_T_USHORT (10) and Py_T_UINT (11) as compiled from include/: each read with its own
    // width (the fields next to them hold 1 and 7, so a swapped number shows up).
    assert_eq!(int_of(getattr(c, "ushort")), 65535);
    assert_eq!(int_of(getattr(c, "uint")), 4_000_000_000);
    assert_eq!(int_of(getattr(c, "t_ushort")), 65535);
    assert_eq!(int_of(getattr(c, "t_uint")), 4_000_000_000);
    assert_eq!(set_and_get(c, "ushort", int(513)), 0);
    assert_eq!(int_of(getattr(c, "ushort")), 513);
    assert_eq!(set_and_get(c, "uint", int(70_000)), 0);
    assert_eq!(int_of(getattr(c, "uint")), 70_000);
    assert_eq!(int_of(getattr(c, "t_ushort")), 513);
    assert!(getattr(c, "missing").is_null());
    expect_err(
        "AttributeError",
        "'counters.Counter' object has no attribute 'missing'",
    );
    // Py_T_CHAR reads as a one-character str (CPython: `PyUnicode_FromStringAndSize` of the
    // byte, so a byte that is not ASCII does not decode) and takes a str whose UTF-8 form is
    // one byte.
    assert_eq!(text(getattr(c, "letter")), "g");
    assert_eq!(set_and_get(c, "letter", uni::from_str("Z")), 0);
    assert_eq!(text(getattr(c, "letter")), "Z");
    for bad in [uni::from_str("ab"), uni::from_str("\u{e9}"), int(65)] {
        assert_eq!(set_and_get(c, "letter", bad), -1);
        expect_err("TypeError", "bad argument type for built-in operation");
    }
    assert_eq!(text(getattr(c, "letter")), "Z");
    assert!(getattr(c, "high").is_null());
    expect_err(
        "UnicodeDecodeError",
        "'utf-8' codec can't decode byte 0xe9 in position 0: unexpected end of data",
    );

    // Py_T_OBJECT_EX set and read back.
    let s = uni::from_str("hello");
    assert_eq!(setattr(c, "label", s), 0);
    assert_eq!(text(getattr(c, "label")), "hello");
    // SAFETY: we own `s`.
    unsafe { decref(s) };

    // Instance dict: new attributes live there; data descriptors win over it.
    assert_eq!(set_and_get(c, "extra", int(9)), 0);
    assert_eq!(int_of(getattr(c, "extra")), 9);
    let d = getattr(c, "__dict__");
    assert!(d.is_null(), "static types get no __dict__ descriptor");
    gilgate_capi::host::clear_error();
    // SAFETY: a live instance; the dict pointer is inside it.
    unsafe {
        let dp = gilgate_capi::ffi::_PyObject_GetDictPtr(c);
        assert!(!dp.is_null() && !(*dp).is_null());
        assert_eq!(gilgate_capi::testing::dictobject::len(*dp), 1);
    }
    assert_eq!(setattr(c, "extra", null_mut()), 0);
    assert_eq!(setattr(c, "extra", null_mut()), -1);
    expect_err(
        "AttributeError",
        "'counters.Counter' object has no attribute 'extra'",
    );

    // Methods bind to the instance; class methods to the type; static methods to nothing.
    let m = getattr(c, "increment");
    assert!(repr(m).starts_with("<built-in method increment of counters.Counter object at 0x"));
    // SAFETY: a bound builtin method; its METH_NOARGS function takes (self, NULL).
    unsafe {
        let f = m.cast::<PyCFunctionObject>();
        assert_eq!((*f).m_self, c);
        let meth: extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject =
            std::mem::transmute((*(*f).m_ml).ml_meth);
        assert_eq!(int_of(meth((*f).m_self, null_mut())), -6);
        decref(m);
    }
    let cm = getattr(c, "make");
    // SAFETY: a bound class method.
    unsafe {
        assert_eq!((*cm.cast::<PyCFunctionObject>()).m_self, t.cast());
        decref(cm);
    }
    let sm = getattr(t.cast(), "twice");
    // SAFETY: a static method is the plain function.
    unsafe {
        assert_eq!(repr(sm), "<built-in function twice>");
        assert!((*sm.cast::<PyCFunctionObject>()).m_self.is_null());
        decref(sm);
    }

    // Hash and equality are object's: identity.
    let c2 = call(t, &[]);
    // SAFETY: live objects.
    unsafe {
        assert_eq!(object::eq(c, c), 1);
        assert_eq!(object::eq(c, c2), 0);
        assert_eq!(object::hash(c), typeobject::object_hash(c));
        assert_eq!(int_of(getattr(c2, "value")), 0);
        let before = int_fn("types_counter_frees");
        decref(c2);
        decref(c);
        assert_eq!(int_fn("types_counter_frees"), before + 2);
    }
}

#[test]
fn methods_are_called_through_their_descriptors() {
    let _serial = serial();
    use gilgate_capi::ffi::PyObject_Call;
    use gilgate_capi::ffi::PyObject_CallNoArgs;
    use gilgate_capi::ffi::PyObject_CallOneArg;
    let t = counter_type();
    let c = call(t, &[int(10)]);
    // SAFETY: calls through the exported entry points with live objects.
    unsafe {
        let m = getattr(c, "increment");
        assert_eq!(int_of(PyObject_CallNoArgs(m)), 11);
        assert_eq!(int_of(PyObject_CallNoArgs(m)), 12);
        decref(m);
        // Unbound: Counter.increment(c).
        let d = getattr(t.cast(), "increment");
        assert_eq!(int_of(PyObject_CallOneArg(d, c)), 13);
        let empty = tupleobject::from_slice(&[]);
        assert!(PyObject_Call(d, empty, null_mut()).is_null());
        expect_err(
            "TypeError",
            "unbound method Counter.increment() needs an argument",
        );
        let n = int(1);
        assert!(PyObject_CallOneArg(d, n).is_null());
        expect_err(
            "TypeError",
            "descriptor 'increment' for 'counters.Counter' objects doesn't apply to a 'int' object",
        );
        decref(d);
        // Class method: Counter.make() builds a new counter through the type call.
        let mk = getattr(t.cast(), "make");
        let made = PyObject_CallNoArgs(mk);
        assert!(
            !made.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(object::ty(made), t);
        assert_eq!(int_of(getattr(made, "fixed")), 42);
        decref(made);
        decref(mk);
        // Static method: Counter.twice(21), also reached through an instance.
        let tw = getattr(c, "twice");
        let x = int(21);
        assert_eq!(int_of(PyObject_CallOneArg(tw, x)), 42);
        decref(x);
        decref(tw);
        decref(n);
        decref(empty);
        decref(c);
    }
}

#[test]
fn descriptors_check_their_instance_type() {
    let _serial = serial();
    let t = counter_type();
    let plain = ty_fn("types_plain_type");
    let p = call(plain, &[]);
    assert!(!p.is_null());
    let d = getattr(t.cast(), "value");
    // SAFETY: a member descriptor's tp_descr_get with a wrong instance.
    unsafe {
        let get = (*object::ty(d)).tp_descr_get.unwrap();
        assert!(get(d, p, null_mut()).is_null());
        decref(d);
    }
    expect_err(
        "TypeError",
        "descriptor 'value' for 'counters.Counter' objects doesn't apply to a 'counters.Plain' object",
    );
    // Without a dict: methods are read-only, new attributes refused.
    // SAFETY: reading the type.
    unsafe {
        assert_eq!((*plain).tp_dictoffset, 0, "{:x}", (*plain).tp_flags);
    }
    assert_eq!(set_and_get(p, "increment", int(1)), -1);
    expect_err(
        "AttributeError",
        "'counters.Plain' object attribute 'increment' is read-only",
    );
    assert_eq!(set_and_get(p, "fresh", int(1)), -1);
    expect_err(
        "AttributeError",
        "'counters.Plain' object has no attribute 'fresh' and no __dict__ for setting new attributes",
    );
    // Static types are immutable.
    assert_eq!(set_and_get(plain.cast(), "x", int(1)), -1);
    expect_err(
        "TypeError",
        "cannot set 'x' attribute of immutable type 'counters.Plain'",
    );
    // object() takes no arguments when neither __new__ nor __init__ is overridden.
    let recorder = ty_fn("types_recorder_type");
    let _ = recorder;
    let o = call(&raw mut gilgate_capi::ffi::PyBaseObject_Type, &[int(1)]);
    assert!(o.is_null());
    expect_err("TypeError", "object() takes no arguments");
    let o = call(&raw mut gilgate_capi::ffi::PyBaseObject_Type, &[]);
    assert!(repr(o).starts_with("<object object at 0x"));
    // type(x) is the type.
    let tt = call(&raw mut gilgate_capi::ffi::PyType_Type, &[o]);
    assert_eq!(tt, (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast());
    // SAFETY: we own these.
    unsafe {
        decref(o);
        decref(p);
    }
}

type PtrFn = extern "C" fn(*mut PyObject) -> *mut PyObject;

#[test]
fn heap_types_from_specs_with_module_state() {
    let _serial = serial();
    let _ = counter_type();
    let module: extern "C" fn() -> *mut PyObject = sym("types_heap_module");
    let m = module();
    assert!(!m.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let point: PtrFn = sym("types_point_type");
    let pt = point(m);
    assert!(!pt.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let pt_t = pt.cast::<PyTypeObject>();
    assert_eq!(repr(pt), "<class 'heapmod.Point'>");
    assert_eq!(text(getattr(pt, "__module__")), "heapmod");
    assert_eq!(text(getattr(pt, "__qualname__")), "Point");
    assert_eq!(text(getattr(pt, "__doc__")), "A point.");
    // SAFETY: the exported query functions on a live heap type.
    unsafe {
        assert_eq!(gilgate_capi::ffi::PyType_GetModule(pt_t), m);
        assert_eq!(
            text(gilgate_capi::ffi::PyType_GetFullyQualifiedName(pt_t)),
            "heapmod.Point"
        );
        assert_eq!(text(gilgate_capi::ffi::PyType_GetName(pt_t)), "Point");
        assert_eq!(
            gilgate_capi::ffi::PyType_GetSlot(pt_t, gilgate_capi::ffi::Py_tp_doc),
            (*pt_t).tp_doc.cast_mut().cast()
        );
        assert!(
            !gilgate_capi::ffi::PyType_GetSlot(pt_t, gilgate_capi::ffi::Py_tp_dealloc).is_null()
        );
        assert!(gilgate_capi::ffi::PyType_GetSlot(pt_t, 1000).is_null());
        assert_eq!(err().type_name, "SystemError");
        assert!(
            gilgate_capi::ffi::PyType_GetModule(
                (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast()
            )
            .is_null()
        );
        expect_err(
            "TypeError",
            "PyType_GetModule: Type 'object' is not a heap type",
        );
    }
    let token_check: extern "C" fn(*mut PyObject) -> c_int = sym("types_point_token_check");
    assert_eq!(token_check(pt), 1);

    let p = call(pt_t, &[]);
    assert!(!p.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert!(repr(p).starts_with("<heapmod.Point object at 0x"));
    let state: extern "C" fn(*mut PyObject) -> c_long = sym("types_state_token");
    assert_eq!(state(p), 7);
    assert_eq!(set_and_get(p, "x", int(-3)), 0);
    assert_eq!(set_and_get(p, "y", int(4)), 0);
    assert_eq!(int_of(getattr(p, "x")), -3);
    // Managed dict.
    assert_eq!(set_and_get(p, "color", uni::from_str("red")), 0);
    assert_eq!(text(getattr(p, "color")), "red");
    let d = getattr(p, "__dict__");
    assert_eq!(repr(d), "{'color': 'red'}");
    // SAFETY: we own `d`.
    unsafe { decref(d) };
    // Arguments are refused by object.__new__.
    assert!(call(pt_t, &[int(1)]).is_null());
    expect_err("TypeError", "heapmod.Point() takes no arguments");

    // Instances hold their heap type; it dies with the last reference.
    // SAFETY: exported weakref functions on live objects.
    unsafe {
        let wt = gilgate_capi::ffi::PyWeakref_NewRef(pt, null_mut());
        let wp = gilgate_capi::ffi::PyWeakref_NewRef(p, null_mut());
        assert!(
            !wt.is_null() && !wp.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(getattr(p, "__weakref__"), wp);
        decref(wp);
        let type_refs = refcnt(pt);
        decref(pt);
        assert_eq!(refcnt(pt), type_refs - 1);
        let before = int_fn("types_point_frees");
        decref(p);
        assert_eq!(int_fn("types_point_frees"), before + 1);
        let mut out = null_mut();
        assert_eq!(gilgate_capi::ffi::PyWeakref_GetRef(wp, &mut out), 0);
        assert_eq!(
            gilgate_capi::ffi::PyWeakref_GetRef(wt, &mut out),
            0,
            "heap type freed"
        );
        assert!(out.is_null());
        decref(wp);
        decref(wt);
        decref(m);
    }
}

#[test]
fn heap_subtype_of_a_static_type() {
    let _serial = serial();
    let counter = counter_type();
    let module: extern "C" fn() -> *mut PyObject = sym("types_heap_module");
    let m = module();
    let ext_fn: PtrFn = sym("types_ext_type");
    let et = ext_fn(m);
    assert!(!et.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let et_t = et.cast::<PyTypeObject>();
    // SAFETY: reading the ready heap type.
    unsafe {
        assert_eq!((*et_t).tp_base, counter);
        assert!((*et_t).tp_basicsize >= (*counter).tp_basicsize + 4);
        assert_eq!((*et_t).tp_dictoffset, (*counter).tp_dictoffset);
        assert!(object::is_subtype(et_t, counter));
        assert_eq!(gilgate_capi::ffi::PyType_IsSubtype(counter, et_t), 0);
    }
    let e = call(et_t, &[int(3)]);
    assert!(!e.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert_eq!(
        int_of(getattr(e, "value")),
        3,
        "inherited tp_init and member"
    );
    assert_eq!(set_and_get(e, "extra", int(11)), 0);
    assert_eq!(int_of(getattr(e, "extra")), 11);
    assert_eq!(
        int_of(getattr(e, "value")),
        3,
        "relative offset lies past the base"
    );
    let state: extern "C" fn(*mut PyObject) -> c_long = sym("types_state_token");
    assert_eq!(state(e), 7);
    // SAFETY: refcounts of live objects.
    unsafe {
        let refs = refcnt(et);
        let before = int_fn("types_counter_frees");
        decref(e);
        assert_eq!(
            int_fn("types_counter_frees"),
            before + 1,
            "base dealloc ran"
        );
        assert_eq!(refcnt(et), refs - 1, "subtype_dealloc released the type");
        decref(et);
        decref(m);
    }
    // Disallowed instantiation.
    let nonew: extern "C" fn() -> *mut PyObject = sym("types_nonew_type");
    let nt = nonew();
    assert!(!nt.is_null());
    assert!(call(nt.cast(), &[]).is_null());
    expect_err("TypeError", "cannot create 'heapmod.NoNew' instances");
    // SAFETY: we own `nt`.
    unsafe { decref(nt) };
}

#[test]
fn multiple_inheritance_uses_c3() {
    let _serial = serial();
    let _ = counter_type();
    let bare: extern "C" fn(*const c_char, *mut PyObject) -> *mut PyObject = sym("types_bare_type");
    let mk = |name: &str, bases: &[*mut PyObject]| {
        let n = CString::new(name).unwrap();
        // SAFETY: live bases.
        let b = unsafe { tupleobject::from_slice(bases) };
        let t = bare(n.as_ptr(), b);
        // SAFETY: we own `b`.
        unsafe { decref(b) };
        t
    };
    let o = (&raw mut gilgate_capi::ffi::PyBaseObject_Type).cast::<PyObject>();
    let a = mk("mi.A", &[o]);
    let b = mk("mi.B", &[a]);
    let c = mk("mi.C", &[a]);
    let d = mk("mi.D", &[b, c]);
    assert!(!d.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let mro = getattr(d, "__mro__");
    // CPython: D.__mro__ for class D(B, C) with B(A), C(A).
    assert_eq!(
        repr(mro),
        "(<class 'mi.D'>, <class 'mi.B'>, <class 'mi.C'>, <class 'mi.A'>, <class 'object'>)"
    );
    // Python's classic example: class Z(K1, K2, K3) with K1(A, B, C), K2(D, B, E), K3(D, A).
    let (oa, ob, oc, od, oe) = (
        mk("x.A", &[o]),
        mk("x.B", &[o]),
        mk("x.C", &[o]),
        mk("x.D", &[o]),
        mk("x.E", &[o]),
    );
    let k1 = mk("x.K1", &[oa, ob, oc]);
    let k2 = mk("x.K2", &[od, ob, oe]);
    let k3 = mk("x.K3", &[od, oa]);
    let z = mk("x.Z", &[k1, k2, k3]);
    let zm = getattr(z, "__mro__");
    assert!(!zm.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: reading the MRO tuple.
    let names: Vec<String> = unsafe {
        let v = tupleobject::items(zm)
            .iter()
            .map(|&t| object::type_short_name(t.cast()))
            .collect();
        decref(zm);
        v
    };
    let names = names.join(" ");
    gilgate_capi::host::clear_error();
    assert_eq!(names, "Z K1 K2 K3 D A B C E object");
    // No consistent order.
    let bad = mk("mi.Bad", &[a, b]);
    assert!(bad.is_null());
    expect_err(
        "TypeError",
        "Cannot create a consistent method resolution order (MRO) for bases A, B",
    );
    // SAFETY: we own every type; subtypes first.
    unsafe {
        decref(mro);
        for t in [z, k3, k2, k1, oe, od, oc, ob, oa, d, c, b, a] {
            decref(t);
        }
    }
}

#[test]
fn weak_references_are_cleared_on_dealloc_and_call_back_once() {
    let _serial = serial();
    let t = counter_type();
    let recorder = ty_fn("types_recorder_type");
    let cb = call(recorder, &[]);
    let c = call(t, &[int(1)]);
    // SAFETY: exported weakref functions on live objects.
    unsafe {
        use gilgate_capi::ffi::*;
        use gilgate_capi::testing::weakrefobject::weakref_count;
        let r1 = PyWeakref_NewRef(c, null_mut());
        let r2 = PyWeakref_NewRef(c, object::none());
        assert_eq!(r1, r2, "plain refs are shared");
        let r3 = PyWeakref_NewRef(c, cb);
        assert_ne!(r3, r1);
        assert_eq!(weakref_count(c), 2);
        assert_eq!(PyWeakref_GetObject(r1), c);
        let mut out = null_mut();
        assert_eq!(PyWeakref_GetRef(r3, &mut out), 1);
        assert_eq!(out, c);
        decref(out);
        assert!(repr(r1).contains("; to 'counters.Counter' at 0x"));
        let calls = int_fn("types_recorder_calls");
        let frees = int_fn("types_counter_frees");
        decref(c);
        assert_eq!(int_fn("types_counter_frees"), frees + 1);
        assert_eq!(
            int_fn("types_recorder_calls"),
            calls + 1,
            "callback called once"
        );
        assert_eq!(int_fn("types_recorder_last_is_dead_ref"), 1);
        assert_eq!(PyWeakref_GetObject(r1), object::none());
        assert_eq!(PyWeakref_GetRef(r1, &mut out), 0);
        assert!(repr(r1).ends_with("; dead>"));
        assert_eq!(PyWeakref_IsDead(r3), 1);
        decref(r1);
        decref(r2);
        decref(r3);
        assert_eq!(int_fn("types_recorder_calls"), calls + 1);
        // Objects without a weak reference slot.
        let n = int(5);
        assert!(PyWeakref_NewRef(n, null_mut()).is_null());
        expect_err("TypeError", "cannot create weak reference to 'int' object");
        decref(n);
        assert_eq!(PyWeakref_GetRef(cb, &mut out), -1);
        expect_err("TypeError", "expected a weakref");
        decref(cb);
    }
}

#[test]
fn finalizers_run_once_and_may_resurrect() {
    let _serial = serial();
    let _ = counter_type();
    let fin_type: extern "C" fn() -> *mut PyObject = sym("types_fin_type");
    let set_resurrect: extern "C" fn(c_int) = sym("types_fin_set_resurrect");
    let take: extern "C" fn() -> *mut PyObject = sym("types_fin_take_resurrected");
    let ft = fin_type();
    assert!(!ft.is_null(), "{:?}", gilgate_capi::host::take_exception());
    // SAFETY: refcounts and weak references of live objects.
    unsafe {
        let calls = int_fn("types_fin_calls");
        let a = call(ft.cast(), &[]);
        let w = gilgate_capi::ffi::PyWeakref_NewRef(a, null_mut());
        assert!(w.is_null(), "no __weakref__ slot");
        gilgate_capi::host::clear_error();
        decref(a);
        assert_eq!(int_fn("types_fin_calls"), calls + 1);
        // A finalizer that stores `self` keeps the object alive; it never runs twice.
        set_resurrect(1);
        let b = call(ft.cast(), &[]);
        let type_refs = refcnt(ft);
        decref(b);
        assert_eq!(int_fn("types_fin_calls"), calls + 2);
        let back = take();
        assert_eq!(back, b, "resurrected");
        assert_eq!(refcnt(back), 1);
        assert_eq!(
            refcnt(ft),
            type_refs,
            "the resurrected instance still holds its type"
        );
        set_resurrect(0);
        decref(back);
        assert_eq!(int_fn("types_fin_calls"), calls + 2, "finalized once");
        assert_eq!(refcnt(ft), type_refs - 1);
        decref(ft);
    }
}

#[test]
fn exception_classes_from_specs() {
    let _serial = serial();
    let _ = counter_type();
    let mk: extern "C" fn() -> *mut PyObject = sym("types_coded_error_type");
    let et = mk();
    assert!(!et.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let et_t = et.cast::<PyTypeObject>();
    // SAFETY: live objects; the exception machinery reads the instance.
    unsafe {
        assert!(object::is_subtype(
            et_t,
            gilgate_capi::ffi::PyExc_ValueError.cast()
        ));
        assert_ne!(
            (*et_t).tp_flags & gilgate_capi::ffi::Py_TPFLAGS_BASE_EXC_SUBCLASS,
            0
        );
        let msg = uni::from_str("bad thing");
        let e = call(et_t, &[msg]);
        assert!(!e.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(repr(e), "CodedError('bad thing')");
        assert_eq!(set_and_get(e, "code", int(3)), 0);
        assert_eq!(int_of(getattr(e, "code")), 3);
        assert_eq!(repr(getattr(e, "args")), "('bad thing',)");
        let refs = refcnt(et);
        decref(e);
        assert_eq!(refcnt(et), refs - 1, "the instance released its type");
        decref(msg);
        decref(et);
    }
}

#[test]
fn slots_are_exposed_as_wrapper_descriptors() {
    let _serial = serial();
    use gilgate_capi::ffi::PyObject_Call;
    use gilgate_capi::ffi::PyObject_CallNoArgs;
    use gilgate_capi::ffi::PyObject_CallOneArg;
    let t = counter_type();
    let c = call(t, &[int(4)]);
    // SAFETY: calls through the exported entry points with live objects.
    unsafe {
        let init = getattr(t.cast(), "__init__");
        assert_eq!(
            repr(init),
            "<slot wrapper '__init__' of 'counters.Counter' objects>"
        );
        let args = tupleobject::from_slice(&[c, int(7)]);
        let r = PyObject_Call(init, args, null_mut());
        assert_eq!(
            r,
            object::none(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(int_of(getattr(c, "value")), 7);
        decref(args);
        decref(init);
        let h = getattr(c, "__hash__");
        assert!(repr(h).starts_with("<method-wrapper '__hash__' of counters.Counter object at 0x"));
        assert_eq!(
            int_of(PyObject_CallNoArgs(h)),
            typeobject::object_hash(c) as i128
        );
        decref(h);
        let eq = getattr(c, "__eq__");
        assert_eq!(repr(PyObject_CallOneArg(eq, c)), "True");
        let n = int(1);
        assert_eq!(repr(PyObject_CallOneArg(eq, n)), "NotImplemented");
        assert!(PyObject_CallNoArgs(eq).is_null());
        expect_err("TypeError", "expected 1 argument, got 0");
        decref(n);
        decref(eq);
        let rp = getattr(c, "__repr__");
        assert!(text(PyObject_CallNoArgs(rp)).starts_with("<counters.Counter object at 0x"));
        decref(rp);
        decref(c);
    }
}

fn call_obj(f: *mut PyObject, args: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let a = tupleobject::from_slice(args);
        let r = gilgate_capi::ffi::PyObject_Call(f, a, null_mut());
        decref(a);
        r
    }
}

#[test]
fn calling_a_type_goes_through_its_vectorcall() {
    let _serial = serial();
    let late: extern "C" fn() -> *mut PyObject = sym("types_vec_late_type");
    let slot: extern "C" fn() -> *mut PyObject = sym("types_vec_slot_type");
    let one: extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject =
        sym("types_vectorcall_one");
    for t in [late(), slot()] {
        assert!(!t.is_null(), "{:?}", gilgate_capi::host::take_exception());
        // PyObject_Call, the inline PyObject_Vectorcall, and both with keywords.
        assert_eq!(repr(call_obj(t, &[int(1), int(2)])), "('vectorcall', 2, 0)");
        assert_eq!(repr(one(t, int(1))), "('vectorcall', 1, 0)");
        // SAFETY: live objects; a dict of keywords.
        unsafe {
            let a = tupleobject::from_slice(&[int(1)]);
            let kw = gilgate_capi::testing::dictobject::new_dict();
            gilgate_capi::host::dict_set_item_str(kw, "seed", int(3));
            let r = gilgate_capi::ffi::PyObject_Call(t, a, kw);
            assert_eq!(repr(r), "('vectorcall', 1, 1)");
            decref(a);
            decref(kw);
        }
        // tp_call itself (type.__call__) still goes to tp_new.
        assert_eq!(text(call(t.cast(), &[int(1)])), "tp_new");
    }
    // tp_vectorcall is not inherited: a subclass is called through tp_new.
    let bare: extern "C" fn(*const c_char, *mut PyObject) -> *mut PyObject = sym("types_bare_type");
    let sub = bare(c"heapmod.VecSub".as_ptr(), slot());
    assert!(!sub.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert_eq!(text(call_obj(sub, &[])), "tp_new");
}

#[test]
fn an_instance_member_named_module_wins_over_the_types_module() {
    let _serial = serial();
    let mk: extern "C" fn() -> *mut PyObject = sym("types_modattr_type");
    let t = mk();
    assert!(!t.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let o = call_obj(t, &[uni::from_str("mod")]);
    assert!(!o.is_null(), "{:?}", gilgate_capi::host::take_exception());
    assert_eq!(text(getattr(o, "__module__")), "mod");
    // The type's own `__module__` is the member descriptor (CPython keeps the descriptor in the
    // dict and type.__module__ returns it); the repr then has no module part.
    assert_eq!(
        repr(getattr(t, "__module__")),
        "<member '__module__' of 'heapmod.ModAttr' objects>"
    );
    assert_eq!(repr(t), "<class 'ModAttr'>");
    assert_eq!(set_and_get(o, "__module__", uni::from_str("other")), 0);
    assert_eq!(text(getattr(o, "__module__")), "other");
}

#[test]
fn dict_proxies_are_read_only_views() {
    let _serial = serial();
    let _ = ext();
    // SAFETY: exported functions on live objects.
    unsafe {
        let d = gilgate_capi::testing::dictobject::new_dict();
        gilgate_capi::host::dict_set_item_str(d, "a", int(1));
        let p = gilgate_capi::ffi::PyDictProxy_New(d);
        assert!(!p.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(repr(p), "mappingproxy({'a': 1})");
        assert_eq!(gilgate_capi::ffi::PyObject_Size(p), 1);
        gilgate_capi::host::dict_set_item_str(d, "b", int(2));
        assert_eq!(repr(p), "mappingproxy({'a': 1, 'b': 2})", "a live view");
        let k = uni::from_str("a");
        assert_eq!(gilgate_capi::ffi::PyObject_SetItem(p, k, int(3)), -1);
        expect_err(
            "TypeError",
            "'mappingproxy' object does not support item assignment",
        );
        let l = gilgate_capi::ffi::PyList_New(0);
        assert!(gilgate_capi::ffi::PyDictProxy_New(l).is_null());
        expect_err(
            "TypeError",
            "mappingproxy() argument must be a mapping, not list",
        );
        // A type's __dict__ is a proxy of its dict.
        let td = getattr(counter_type().cast(), "__dict__");
        assert!(repr(td).starts_with("mappingproxy({"));
        decref(td);
        decref(k);
        decref(l);
        decref(p);
        decref(d);
    }
}

#[test]
fn a_metaclass_from_a_spec_makes_classes_from_namespaces() {
    let _serial = serial();
    let bare: extern "C" fn(*const c_char, *mut PyObject) -> *mut PyObject = sym("types_bare_type");
    let meta = bare(
        c"heapmod.Meta".as_ptr(),
        (&raw mut gilgate_capi::ffi::PyType_Type).cast(),
    );
    assert!(
        !meta.is_null(),
        "{:?}",
        gilgate_capi::host::take_exception()
    );
    // SAFETY: live objects; a namespace dict for the new class.
    unsafe {
        let ns = gilgate_capi::testing::dictobject::new_dict();
        gilgate_capi::host::dict_set_item_str(ns, "answer", int(42));
        gilgate_capi::host::dict_set_item_str(ns, "__module__", uni::from_str("m"));
        let c = call_obj(
            meta,
            &[uni::from_str("C"), tupleobject::from_slice(&[]), ns],
        );
        assert!(!c.is_null(), "{:?}", gilgate_capi::host::take_exception());
        assert_eq!(
            object::ty(c).cast::<PyObject>(),
            meta,
            "the class's type is the metaclass"
        );
        assert_eq!(repr(c), "<class 'm.C'>");
        assert_eq!(int_of(getattr(c, "answer")), 42);
        let inst = call_obj(c, &[]);
        assert!(
            !inst.is_null(),
            "{:?}",
            gilgate_capi::host::take_exception()
        );
        assert_eq!(int_of(getattr(inst, "answer")), 42);
        assert!(call_obj(meta, &[int(1), int(2)]).is_null());
        expect_err(
            "TypeError",
            "type.__new__() takes exactly 3 arguments (2 given)",
        );
        decref(inst);
        decref(c);
        decref(ns);
    }
}

#[test]
fn slot_values_are_released_with_their_instance() {
    let _serial = serial();
    let _ = ext();
    // SAFETY: live objects; a namespace dict with `__slots__`.
    unsafe {
        let ns = gilgate_capi::testing::dictobject::new_dict();
        let slots = tupleobject::from_slice(&[uni::from_str("v")]);
        gilgate_capi::host::dict_set_item_str(ns, "__slots__", slots);
        let t = call_obj(
            (&raw mut gilgate_capi::ffi::PyType_Type).cast(),
            &[uni::from_str("Slotted"), tupleobject::from_slice(&[]), ns],
        );
        assert!(!t.is_null(), "{:?}", gilgate_capi::host::take_exception());
        let inst = call_obj(t, &[]);
        let value = gilgate_capi::ffi::PyList_New(0);
        let before = refcnt(value);
        assert_eq!(setattr(inst, "v", value), 0);
        assert_eq!(refcnt(value), before + 1);
        assert_eq!(getattr(inst, "__dict__"), null_mut(), "no instance dict");
        let _ = gilgate_capi::host::take_exception();
        decref(inst);
        assert_eq!(
            refcnt(value),
            before,
            "the slot's reference went with the instance"
        );
        for o in [value, t, ns, slots] {
            decref(o);
        }
    }
}

/// A heap type from a spec and a subclass made by `type()`: dunders set and deleted on them
/// later from C (as nanobind sets its reprs) reach their slots, the subclass's own dunder
/// winning there; static types refuse with CPython's text.
#[test]
fn slots_follow_dunders_set_and_deleted_later() {
    let _serial = serial();
    let steps: extern "C" fn() -> *mut PyObject = sym("types_slot_steps");
    let out = steps();
    assert!(!out.is_null(), "{:?}", gilgate_capi::host::take_exception());
    let got = repr(out);
    // SAFETY: we own the list.
    unsafe { decref(out) };
    assert_eq!(
        got,
        "['spec', 'spec', 'B of slots.Dunder', 'B of Sub', 'B of slots.Dunder', 'C', \
         '<slots.Dunder object at ', 'C', \"TypeError: unsupported operand type(s) for +: \
         'Sub' and 'int'\", 'add 1', \"TypeError: cannot set '__repr__' attribute of \
         immutable type 'int'\"]"
    );
}
