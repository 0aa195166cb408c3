//! The benchmark extension `benchmod` (issue 3's C API benchmark) gives the checksums
//! CPython 3.11 computes for the same source (measured with the module built against
//! `python3-config --includes`; every value is a deterministic function of `n`).

use gilgate::embed::Host;
use gilgate_test_extensions::samples_dir;
use std::sync::Mutex;

/// The runtime is used from one thread at a time.
static RUNTIME: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    RUNTIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// The workloads returning an int, in the order of the rows below.
const INT_WORKLOADS: [&str; 6] = [
    "objects",
    "int_arith",
    "list_ops",
    "dict_ops",
    "str_build",
    "parse_args",
];

#[test]
fn checksums_equal_cpython() {
    let _g = lock();
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").unwrap();
    // Printed by CPython 3.11.7 running the same benchmod.c.
    let ints: [(i64, [i64; 6]); 4] = [
        (0, [0, 0, 0, 0, 0, 0]),
        (1, [2, 0, 1, 1, 59, 11]),
        (1000, [501500, 888559, 1499500, 490576, 15445, 511000]),
        (
            20000,
            [10030000, 118194, 599990000, 389750544, 309881, 100220000],
        ),
    ];
    for (n, expected) in ints {
        for (name, want) in INT_WORKLOADS.iter().zip(expected) {
            let got: i64 = m.call(name, (n,)).unwrap().extract().unwrap();
            assert_eq!(got, want, "{name}({n})");
        }
    }
    let floats: [(i64, f64); 4] = [
        (0, 0.0),
        (1, 1.0),
        (1000, 198608.0),
        (20000, 3979607.999999999),
    ];
    for (n, want) in floats {
        let got: f64 = m.call("float_arith", (n,)).unwrap().extract().unwrap();
        assert_eq!(got, want, "float_arith({n})");
    }
}

#[test]
fn bad_arguments_raise_as_in_cpython() {
    let _g = lock();
    let mut host = Host::builder().path(samples_dir()).build();
    let m = host.import("benchmod").unwrap();
    let e = m.call("objects", (-1,)).unwrap_err();
    assert_eq!(e.to_string(), "ValueError: n must be >= 0");
    let e = m.call("target", ("x", 1.0, "s")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "TypeError: 'str' object cannot be interpreted as an integer"
    );
    let six: i64 = m
        .call("target", (1, 2.5, "ab", true))
        .unwrap()
        .extract()
        .unwrap();
    assert_eq!(six, 6);
}
