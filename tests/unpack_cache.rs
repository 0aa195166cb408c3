//! The cache of unpacked wheels (`$GILGATE_CACHE/unpacked`, `GILGATE_UNPACK_CACHE=off`): a hit
//! gives exactly the report of a miss and of no cache; an entry changed or left incomplete is
//! never used; processes filling the same entry at once all get the right answer and leave one
//! sound entry.

mod support;

use gilgate_test_extensions::sample;
use std::path::{Path, PathBuf};
use support::{Out, gilgate, run, write_wheel};

const TAG: &str = ".cpython-314t-x86_64-linux-gnu.so";

fn read(module: &str) -> Vec<u8> {
    std::fs::read(sample(module)).unwrap()
}

/// A wheel of four modules (free-threaded, enabling the lock, single-phase, an init that
/// crashes its worker: exit 2) and an unsafe member name (a warning on stderr).
fn wheel(dir: &Path) -> PathBuf {
    let whl = dir.join("cached-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(
        &whl,
        &[
            ("cached/__init__.py", b"".to_vec()),
            (&format!("cached/mp_ft{TAG}"), read("mp_ft")),
            (&format!("cached/mp_noslot{TAG}"), read("mp_noslot")),
            (&format!("cached/sub/sp_plain{TAG}"), read("sp_plain")),
            (&format!("cached/crash_init{TAG}"), read("crash_init")),
            ("../evil", b"x".to_vec()),
        ],
    );
    whl
}

/// `gilgate inspect ARGS WHEEL` with the cache at `cache` (`None`: cache off).
fn inspect(cache: Option<&Path>, args: &[&str], whl: &Path) -> Out {
    let mut c = gilgate();
    match cache {
        Some(dir) => c
            .env("GILGATE_CACHE", dir)
            .env_remove("GILGATE_UNPACK_CACHE"),
        None => c.env("GILGATE_UNPACK_CACHE", "off"),
    };
    run(c.arg("inspect").args(args).arg(whl))
}

/// The entries of the cache (`unpacked/v1/<sha256>`), and any other names in its folder but
/// `by-file` (the hash memos, written for a wheel once its change time is 2 s old: on a busy
/// machine, any run may be late enough to write one).
fn entries(cache: &Path) -> Vec<String> {
    let root = cache.join("unpacked/v1");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != "by-file")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The only entry's folder.
fn only_entry(cache: &Path) -> PathBuf {
    let names = entries(cache);
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].len() == 64 && names[0].chars().all(|c| c.is_ascii_hexdigit()),
        "{names:?}"
    );
    cache.join("unpacked/v1").join(&names[0])
}

fn same(a: &Out, b: &Out, what: &str) {
    assert_eq!(
        (a.code, &a.stdout, &a.stderr),
        (b.code, &b.stdout, &b.stderr),
        "{what}"
    );
}

/// Whether a run with the debug log on took the wheel from the cache.
fn served_from_cache(cache: &Path, whl: &Path) -> bool {
    let o = run(gilgate()
        .env("GILGATE_CACHE", cache)
        .env("GILGATE_LOG", "gilgate_loader=debug")
        .arg("inspect")
        .arg(whl));
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    o.stderr.contains("unpacked files from the cache")
}

#[test]
fn a_hit_gives_the_report_of_a_miss_and_of_no_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let whl = wheel(tmp.path());
    for args in [&[][..], &["--json"][..]] {
        let off = inspect(None, args, &whl);
        assert_eq!(off.code, 2, "{}{}", off.stdout, off.stderr);
        assert!(off.stdout.contains("crashed (signal"), "{}", off.stdout);
        assert!(off.stderr.contains("../evil"), "{}", off.stderr);
        assert!(off.stdout.contains("cached.sub.sp_plain"), "{}", off.stdout);
        let miss = inspect(Some(&cache), args, &whl);
        same(&off, &miss, "a miss");
        let entry = only_entry(&cache);
        assert!(entry.join("manifest.json").is_file());
        assert!(entry.join(format!("tree/cached/mp_ft{TAG}")).is_file());
        let hit = inspect(Some(&cache), args, &whl);
        same(&off, &hit, "a hit");
        assert_eq!(only_entry(&cache), entry);
    }
    assert!(served_from_cache(&cache, &whl));
    // Another wheel with other bytes gets an entry of its own.
    let other = tmp.path().join("other-1.0-cp314-cp314t-linux_x86_64.whl");
    write_wheel(&other, &[(&format!("other/mp_ft{TAG}"), read("mp_ft"))]);
    let o = inspect(Some(&cache), &[], &other);
    same(&inspect(None, &[], &other), &o, "another wheel");
    assert_eq!(entries(&cache).len(), 2);
    // The cache switched off neither reads nor writes it.
    let fresh = tmp.path().join("unused");
    let mut c = gilgate();
    let o = run(c
        .env("GILGATE_CACHE", &fresh)
        .env("GILGATE_UNPACK_CACHE", "off")
        .arg("inspect")
        .arg(&whl));
    assert_eq!(o.code, 2);
    assert!(!fresh.exists());
}

/// Something done to an entry's folder behind the cache's back.
type Breakage<'a> = dyn Fn(&Path) + 'a;

#[test]
fn a_changed_or_incomplete_entry_is_not_used() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let whl = wheel(tmp.path());
    let expected = inspect(None, &["--json"], &whl);
    assert_eq!(expected.code, 2, "{}", expected.stderr);
    let module = format!("tree/cached/mp_noslot{TAG}");
    let original = read("mp_noslot");
    // A module of another kind in the place of mp_noslot: served, it would change the verdict.
    let impostor = read("mp_ft");
    let breakages: [(&str, &Breakage<'_>); 5] = [
        ("a module replaced by another file", &|entry: &Path| {
            let tmp = entry.join("replacement");
            std::fs::write(&tmp, &impostor).unwrap();
            std::fs::rename(&tmp, entry.join(&module)).unwrap();
        }),
        ("a module truncated", &|entry: &Path| {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(entry.join(&module))
                .unwrap();
            f.set_len(100).unwrap();
        }),
        ("a module missing", &|entry: &Path| {
            std::fs::remove_file(entry.join(&module)).unwrap();
        }),
        ("no manifest (a partial entry)", &|entry: &Path| {
            std::fs::remove_file(entry.join("manifest.json")).unwrap();
            std::fs::write(entry.join(&module), &impostor).unwrap();
        }),
        ("a manifest cut short", &|entry: &Path| {
            let m = std::fs::read(entry.join("manifest.json")).unwrap();
            std::fs::write(entry.join("manifest.json"), &m[..m.len() / 2]).unwrap();
            std::fs::write(entry.join(&module), &impostor).unwrap();
        }),
    ];
    for (what, breakage) in breakages {
        let fill = inspect(Some(&cache), &["--json"], &whl);
        same(&expected, &fill, what);
        let entry = only_entry(&cache);
        breakage(&entry);
        let o = inspect(Some(&cache), &["--json"], &whl);
        same(&expected, &o, what);
        // The entry was replaced by a sound one, which the next run uses.
        let entry = only_entry(&cache);
        assert_eq!(
            std::fs::read(entry.join(&module)).unwrap(),
            original,
            "{what}"
        );
        assert!(served_from_cache(&cache, &whl), "{what}");
        same(&expected, &inspect(Some(&cache), &["--json"], &whl), what);
    }
    // A folder at a temporary name (a filler that died) is never read as an entry.
    let root = cache.join("unpacked/v1");
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::create_dir_all(root.join(".tmp-dead/tree/cached")).unwrap();
    std::fs::write(root.join(format!(".tmp-dead/{module}")), &impostor).unwrap();
    same(
        &expected,
        &inspect(Some(&cache), &["--json"], &whl),
        "a dead filler",
    );
}

#[test]
fn concurrent_fills_agree_and_leave_one_sound_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let whl = wheel(tmp.path());
    let expected = inspect(None, &["--json"], &whl);
    assert_eq!(expected.code, 2, "{}", expected.stderr);
    for round in 0..3 {
        let cache = tmp.path().join(format!("cache-{round}"));
        let children: Vec<_> = (0..6)
            .map(|_| {
                gilgate()
                    .env("GILGATE_CACHE", &cache)
                    .env_remove("GILGATE_UNPACK_CACHE")
                    .args(["inspect", "--json"])
                    .arg(&whl)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            let o = Out {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8(o.stdout).unwrap(),
                stderr: String::from_utf8(o.stderr).unwrap(),
            };
            same(&expected, &o, "a concurrent fill");
        }
        // One entry, nothing left at a temporary name, and it is sound.
        only_entry(&cache);
        assert!(served_from_cache(&cache, &whl));
        same(
            &expected,
            &inspect(Some(&cache), &["--json"], &whl),
            "after the fills",
        );
    }
}

#[test]
fn a_wheel_rewritten_in_place_is_hashed_again() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let whl = wheel(tmp.path());
    // The hash of a file is memoised only once its change time is 2 s old.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let first = inspect(Some(&cache), &["--json"], &whl);
    same(&inspect(None, &["--json"], &whl), &first, "the first wheel");
    let memos = cache.join("unpacked/v1/by-file");
    assert_eq!(std::fs::read_dir(&memos).unwrap().count(), 1);
    assert!(served_from_cache(&cache, &whl));
    // Other bytes at the same path (the same inode): the memo is not used.
    let other = tmp.path().join("other.whl");
    write_wheel(
        &other,
        &[(&format!("cached/mp_noslot{TAG}"), read("mp_ft"))],
    );
    std::fs::write(&whl, std::fs::read(&other).unwrap()).unwrap();
    let o = inspect(Some(&cache), &["--json"], &whl);
    same(&inspect(None, &["--json"], &whl), &o, "the rewritten wheel");
    assert_ne!(o.stdout, first.stdout);
    assert_eq!(entries(&cache).len(), 2, "{:?}", entries(&cache));
}
