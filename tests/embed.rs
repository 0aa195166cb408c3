//! The Rust embedding API (`gilgate::embed`): hosts, modules, object handles, conversions and
//! errors.

mod support;

use gilgate::Policy;
use gilgate::embed::{self, FromPy, Host, IntoPy, PyErr, PyRef};
use gilgate_test_extensions::samples_dir;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

fn roundtrip<T: IntoPy + FromPy + Clone + PartialEq + Debug>(v: T, repr: &str) {
    let o = v.clone().into_py().unwrap();
    assert_eq!(o.repr().unwrap(), repr, "{v:?}");
    assert_eq!(o.extract::<T>().unwrap(), v);
}

#[test]
fn scalars_strings_tuples_and_dicts_round_trip() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    roundtrip(42i64, "42");
    roundtrip(-7i32, "-7");
    roundtrip(u64::MAX, "18446744073709551615");
    roundtrip(i64::MIN, "-9223372036854775808");
    roundtrip(3usize, "3");
    roundtrip(1.5f64, "1.5");
    roundtrip(true, "True");
    roundtrip(false, "False");
    roundtrip(
        String::from("it's \u{e9}\u{1F600}"),
        "\"it's \u{e9}\u{1F600}\"",
    );
    roundtrip((1i64, String::from("a")), "(1, 'a')");
    roundtrip((1i64,), "(1,)");
    roundtrip((1i64, 2.5f64, true, String::new()), "(1, 2.5, True, '')");
    roundtrip(Option::<i64>::None, "None");
    roundtrip(Some(5i64), "5");
    let d: BTreeMap<String, i64> = BTreeMap::from([("a".into(), 1), ("b".into(), 2)]);
    roundtrip(d, "{'a': 1, 'b': 2}");
    assert_eq!(().into_py().unwrap().repr().unwrap(), "None");
    assert!(PyRef::none().is_none());
    assert_eq!("x".into_py().unwrap().str().unwrap(), "x");
}

#[test]
fn ints_of_any_size() {
    use num_bigint::BigInt;
    let _g = support::runtime_lock();
    let _h = Host::new();
    let big: BigInt = BigInt::from(2).pow(100u32);
    roundtrip(big.clone(), "1267650600228229401496703205376");
    roundtrip(-big.clone() * 3, "-3802951800684688204490109616128");
    roundtrip(BigInt::from(-5), "-5");
    let o = big.into_py().unwrap();
    assert_eq!(
        o.extract::<i64>().unwrap_err().type_name,
        "OverflowError",
        "2**100 does not fit in i64"
    );
    assert_eq!(
        "1".into_py()
            .unwrap()
            .extract::<BigInt>()
            .unwrap_err()
            .to_string(),
        "TypeError: expected int, got str"
    );
}

#[test]
fn dict_order_is_kept() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    let d = embed::dict_from_pairs([("z", 1), ("a", 2), ("m", 3)]).unwrap();
    assert_eq!(d.repr().unwrap(), "{'z': 1, 'a': 2, 'm': 3}");
    let items: Vec<(String, i64)> = d.dict_items().unwrap();
    assert_eq!(
        items,
        vec![("z".into(), 1), ("a".into(), 2), ("m".into(), 3)]
    );
    let m: HashMap<String, i64> = d.extract().unwrap();
    assert_eq!(m["m"], 3);
}

#[test]
fn items_through_the_mapping_protocol() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    let d = embed::dict_from_pairs([("z", 1)]).unwrap();
    d.set_item("q", 9).unwrap();
    assert_eq!(d.get_item("q").unwrap().extract::<i64>().unwrap(), 9);
    assert_eq!(
        d.get_item("nope").unwrap_err().type_name,
        "KeyError",
        "dict subscript"
    );
}

#[test]
fn conversion_errors_are_python_errors() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    let big = (1i64 << 40).into_py().unwrap();
    assert_eq!(
        big.extract::<i32>().unwrap_err(),
        PyErr::new("OverflowError", "Python int too large to convert to C int")
    );
    let neg = (-1).into_py().unwrap();
    assert_eq!(neg.extract::<u64>().unwrap_err().type_name, "OverflowError");
    let s = "text".into_py().unwrap();
    assert_eq!(
        s.extract::<bool>().unwrap_err(),
        PyErr::new("TypeError", "expected bool, got str")
    );
    let i = 1.into_py().unwrap();
    assert_eq!(
        i.extract::<String>().unwrap_err().to_string(),
        "TypeError: expected str, got int"
    );
    assert_eq!(
        i.extract::<()>().unwrap_err().to_string(),
        "TypeError: expected None, got int"
    );
    assert_eq!(
        i.extract::<(i64, i64)>().unwrap_err().to_string(),
        "TypeError: expected tuple, got int"
    );
    assert_eq!(
        (1, 2)
            .into_py()
            .unwrap()
            .extract::<(i64,)>()
            .unwrap_err()
            .type_name,
        "ValueError"
    );
    assert_eq!(PyErr::new("KeyError", "").to_string(), "KeyError");
    let e: Box<dyn std::error::Error> = Box::new(PyErr::new("ValueError", "x"));
    assert_eq!(e.to_string(), "ValueError: x");
}

#[test]
fn handles_count_references() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    let o = "a string object".into_py().unwrap();
    let refs = |o: &PyRef| {
        // SAFETY: reading the refcount fields of a live object owned by this thread.
        unsafe { (*o.as_ptr()).ob_ref_local as isize + ((*o.as_ptr()).ob_ref_shared >> 2) }
    };
    let before = refs(&o);
    let c = o.clone();
    assert_eq!(refs(&o), before + 1);
    assert!(c.is(&o));
    drop(c);
    assert_eq!(refs(&o), before);
    let raw = o.clone().into_ptr();
    assert_eq!(refs(&o), before + 1);
    // SAFETY: `raw` is the strong reference given up by into_ptr.
    let back = unsafe { PyRef::from_owned_ptr(raw) }.unwrap();
    drop(back);
    assert_eq!(refs(&o), before);
}

#[test]
fn modules_import_once_and_expose_attributes() {
    let _g = support::runtime_lock();
    let mut h = Host::builder().path(samples_dir()).build();
    let m = h.import("mp_ft").unwrap();
    assert_eq!(m.name(), "mp_ft");
    assert_eq!(
        m.getattr("__name__").unwrap().extract::<String>().unwrap(),
        "mp_ft"
    );
    let again = h.import("mp_ft").unwrap();
    assert!(
        again.object().is(m.object()),
        "a second import gives the same module"
    );
    m.setattr("answer", 42).unwrap();
    assert_eq!(m.getattr("answer").unwrap().extract::<i64>().unwrap(), 42);
    let names: Vec<String> = m
        .attributes()
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert!(names.contains(&"__name__".to_string()) && names.contains(&"answer".to_string()));
    assert_eq!(
        m.getattr("missing").unwrap_err(),
        PyErr::new(
            "AttributeError",
            "module 'mp_ft' has no attribute 'missing'"
        )
    );
}

#[test]
fn import_errors_and_lock_policies() {
    if !support::in_child("import_errors_and_lock_policies") {
        return;
    }
    let mut h = Host::builder().path(samples_dir()).build();
    assert_eq!(
        h.import("no_such_module").unwrap_err(),
        PyErr::new("ModuleNotFoundError", "No module named 'no_such_module'")
    );
    assert_eq!(
        h.import("init_raises").unwrap_err(),
        PyErr::new("ValueError", "init_raises refuses to load")
    );
    assert!(!h.lock_enabled());
    h.import("mp_ft").unwrap();
    assert!(!h.lock_enabled(), "a declared module keeps the lock off");
    h.import("mp_noslot").unwrap();
    assert!(h.lock_enabled(), "an undeclared module enables it");
    // Direct runtime calls need the thread attached (embed calls attach for themselves).
    let _a = gilgate::embed::attach();
    // SAFETY: import_module returns a new reference or NULL.
    let sys = unsafe { PyRef::from_owned_ptr(gilgate_capi::host::import_module("sys")) }.unwrap();
    assert!(
        sys.call_method("_is_gil_enabled", ())
            .unwrap()
            .is_true()
            .unwrap(),
        "sys._is_gil_enabled() tells the truth"
    );

    // One policy per process: a host with another one is refused, naming both.
    let e = Host::builder()
        .path(samples_dir())
        .policy(Policy::Off)
        .try_build()
        .err()
        .expect("another policy is refused");
    assert_eq!(e.type_name, "RuntimeError");
    assert!(
        e.message.contains("'auto'") && e.message.contains("'off'"),
        "{}",
        e.message
    );
    let mut again = Host::builder().path(samples_dir()).build();
    again.import("mp_ft").unwrap();
    assert!(again.lock_enabled(), "the lock is the process's");
}

#[test]
fn off_policy_keeps_the_lock_off() {
    if !support::in_child("off_policy_keeps_the_lock_off") {
        return;
    }
    let mut off = Host::builder()
        .path(samples_dir())
        .policy(Policy::Off)
        .build();
    off.import("mp_noslot").unwrap();
    assert!(!off.lock_enabled());
}

#[test]
fn error_policy_refuses_undeclared_modules() {
    if !support::in_child("error_policy_refuses_undeclared_modules") {
        return;
    }
    let mut strict = Host::builder()
        .path(samples_dir())
        .policy(Policy::Error)
        .allow("mp_gil_used")
        .build();
    assert_eq!(
        strict.import("mp_noslot").unwrap_err().type_name,
        "ImportError"
    );
    assert!(!strict.lock_enabled());
    strict.import("mp_gil_used").unwrap();
    assert!(
        strict.lock_enabled(),
        "an allowed undeclared module enables it"
    );
    let m = strict
        .load_path(gilgate_test_extensions::sample("mp_ft"))
        .unwrap();
    assert_eq!(m.name(), "mp_ft");
}

#[test]
fn lists_and_bytes_round_trip() {
    let _g = support::runtime_lock();
    let _h = Host::new();
    roundtrip(vec![1i64, 2, 3], "[1, 2, 3]");
    roundtrip(Vec::<String>::new(), "[]");
    roundtrip(vec![(1i64, String::from("x"))], "[(1, 'x')]");
    roundtrip(b"a\x00\xff".to_vec(), "b'a\\x00\\xff'");
    assert_eq!((&b"xy"[..]).into_py().unwrap().repr().unwrap(), "b'xy'");
}

#[test]
fn calls_with_keywords() {
    let _g = support::runtime_lock();
    let mut h = Host::builder().path(samples_dir()).build();
    let k = h.import("kwargs_demo").unwrap();
    let r = k
        .call_kw("record", (1, "a"), [("flag", true.into_py().unwrap())])
        .unwrap();
    assert_eq!(r.repr().unwrap(), "((1, 'a'), {'flag': True})");
    let greet = k.getattr("greet").unwrap();
    assert_eq!(
        greet.call(("Ann",)).unwrap().extract::<String>().unwrap(),
        "Hello, Ann!"
    );
}

#[test]
fn loaded_modules_go_into_sys_modules_with_their_file() {
    let _g = support::runtime_lock();
    let mut h = Host::builder().path(samples_dir()).build();
    let m = h.import("kwargs_demo").unwrap();
    let file = std::path::absolute(samples_dir())
        .unwrap()
        .join("kwargs_demo.cpython-314t-x86_64-linux-gnu.so");
    let file = file.to_string_lossy().into_owned();
    assert_eq!(
        m.getattr("__file__").unwrap().extract::<String>().unwrap(),
        file
    );
    assert_eq!(
        m.object().repr().unwrap(),
        format!("<module 'kwargs_demo' from '{file}'>")
    );
    // An import through the runtime's import system (as an extension's PyImport_ImportModule
    // does) finds the loaded module instead of loading the file again. Direct runtime calls
    // need the thread attached (embed calls attach for themselves).
    let _a = gilgate::embed::attach();
    let again = gilgate_capi::host::import_module("kwargs_demo");
    assert_eq!(again, m.object().as_ptr());
    // SAFETY: our new reference.
    unsafe { gilgate_capi::host::decref(again) };
    let sys = gilgate_capi::host::import_module("sys");
    // SAFETY: our new reference to a live module.
    let sys = unsafe { PyRef::from_owned_ptr(sys) }.unwrap();
    let modules = sys.getattr("modules").unwrap();
    assert!(modules.get_item("kwargs_demo").unwrap().is(m.object()));
}

#[test]
fn a_wheel_on_the_search_path_is_unpacked_for_the_hosts_lifetime() {
    use std::io::Write;
    let _g = support::runtime_lock();
    let tmp = tempfile::tempdir().unwrap();
    let whl = tmp.path().join("w-1.0-cp314-cp314t-linux_x86_64.whl");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
        z.start_file(
            "w/untagged.cpython-314t-x86_64-linux-gnu.so",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(&std::fs::read(samples_dir().join("untagged.so")).unwrap())
            .unwrap();
        z.finish().unwrap();
    }
    let mut host = Host::builder().path(&whl).build();
    let unpacked = host.search_path()[0].clone();
    assert_ne!(unpacked, whl);
    let m = host.import("w.untagged").unwrap();
    assert_eq!(
        m.getattr("kind").unwrap().extract::<String>().unwrap(),
        "good"
    );
    drop(host);
    assert!(!unpacked.exists(), "removed with the host");

    let bad = tmp.path().join("bad.whl");
    std::fs::write(&bad, "not a zip").unwrap();
    let e = Host::builder().path(&bad).try_build().err().unwrap();
    assert_eq!(e.type_name, "ImportError");
    let mut host = Host::builder().path(&bad).build();
    let e2 = host.import("anything").unwrap_err();
    assert_eq!(e2, e);
    assert!(
        e.message.starts_with(&format!(
            "cannot use the wheel {}: not a readable wheel",
            bad.display()
        )),
        "{e}"
    );
}
