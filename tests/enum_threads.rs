//! gilgate's `enum` module shared by threads running without the lock: one flag class, its
//! pseudo-members made on demand by several threads at once (each value gets one member, the
//! same object in every thread), inversions cached on members, lookups and reprs. Runs in a
//! child process (one policy per process); no timing asserted.

mod support;

use gilgate::Policy;
use gilgate::embed::{self, Host, IntoPy, PyRef};
use support::in_child;

const THREADS: usize = 4;
const VALUES: i64 = 512;

#[test]
fn flag_pseudo_members_are_shared_across_threads() {
    if !in_child("flag_pseudo_members_are_shared_across_threads") {
        return;
    }
    let _h = Host::builder().policy(Policy::Off).build();
    let m = gilgate::capi::host::import_module("enum");
    // SAFETY: import_module returns a new reference or NULL with an exception set.
    let m = unsafe { PyRef::from_owned_ptr(m) }.expect("import enum");
    let names: Vec<PyRef> = (0..9)
        .map(|i| {
            embed::tuple(vec![
                format!("B{i}").as_str().into_py().expect("str"),
                (1i64 << i).into_py().expect("int"),
            ])
            .expect("tuple")
        })
        .collect();
    let names = embed::list(names).expect("list");
    let flag = m.getattr("Flag").expect("Flag");
    let bits = flag
        .call_kw(("Bits", names), [("module", "m".into_py().expect("str"))])
        .expect("Bits");
    let results: Vec<Vec<(PyRef, PyRef, String)>> = embed::allow_threads(|| {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|t| {
                    let bits = bits.clone();
                    s.spawn(move || {
                        let mut out = Vec::new();
                        for k in 0..VALUES {
                            // Each thread walks the values in its own order.
                            let v = (k * (2 * t as i64 + 1) + t as i64) % VALUES;
                            let member = bits.call((v,)).expect("Bits(v)");
                            let inverted = member.call_method("__invert__", ()).expect("~");
                            let r = member.repr().expect("repr");
                            assert!(bits.call((v,)).expect("again").is(&member));
                            out.push((member, inverted, r));
                        }
                        let mut sorted: Vec<(i64, (PyRef, PyRef, String))> = out
                            .into_iter()
                            .map(|x| (x.0.getattr("value").unwrap().extract().unwrap(), x))
                            .collect();
                        sorted.sort_by_key(|x| x.0);
                        sorted.into_iter().map(|x| x.1).collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        })
    });
    for v in 0..VALUES as usize {
        let (first, inv, r) = &results[0][v];
        for other in &results[1..] {
            assert!(
                other[v].0.is(first),
                "Bits({v}) is one object in every thread"
            );
            assert!(
                other[v].1.is(inv),
                "~Bits({v}) is one object in every thread"
            );
            assert_eq!(&other[v].2, r);
        }
        let value: i64 = first.getattr("value").unwrap().extract().unwrap();
        assert_eq!(value, v as i64);
        let iv: i64 = inv.getattr("value").unwrap().extract().unwrap();
        assert_eq!(iv, !(v as i64) & (VALUES - 1));
    }
    assert_eq!(results[0][0].2, "<Bits: 0>");
    assert_eq!(results[0][5].2, "<Bits.B0|B2: 5>");
    assert_eq!(results[0][511].2, "<Bits.B0|B1|B2|B3|B4|B5|B6|B7|B8: 511>");
    let map = bits.getattr("_value2member_map_").expect("map");
    let n: i64 = map.call_method("__len__", ()).unwrap().extract().unwrap();
    assert_eq!(n, VALUES);
}
