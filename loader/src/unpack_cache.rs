//! The cache of unpacked wheels: `inspect` unpacks a wheel's extension modules and the libraries
//! they need ([`crate::wheel::extract_into`]) once, into `$GILGATE_CACHE/unpacked/v1/<sha256>`
//! (`GILGATE_CACHE` defaults to `~/.cache/gilgate`), keyed by the SHA-256 of the wheel's bytes;
//! later inspections of the same bytes use that folder. `GILGATE_UNPACK_CACHE=off` (or `0`)
//! unpacks into a private temporary folder instead, as without a cache; removing the folder
//! clears it.
//!
//! An entry is `tree/` (the files, in the wheel's layout) and `manifest.json` (what was found,
//! with each file's size, inode and change time as written). The hash of a wheel file is
//! memoised under the file's identity in `by-file/` ([`key_of`]). Safety:
//! - A filler writes a whole entry under a temporary name in the cache folder (`.tmp-*`) and
//!   renames it into place: an entry's name only ever shows a complete entry. Two processes
//!   filling the same entry at once both succeed; the second rename fails, and that process
//!   uses the first one's entry (or, if that one is unusable, its own private copy).
//! - A reader takes a shared `flock` on the manifest, then checks every file against it (size,
//!   inode, change time: any write, truncation, replacement or `chmod` of a file changes its
//!   change time, which no user can set back). An entry that fails the check is not used: it is
//!   replaced, or the wheel is unpacked privately.
//! - Eviction (the least recently used entries beyond [`MAX_BYTES`], after each fill) takes
//!   an exclusive `flock` without waiting and skips entries in use, then renames the entry
//!   away before removing it.
//!
//! The cache is only an optimisation: any failure of it (no home, a read-only, `noexec` or
//! full disk) falls back to the private temporary folder, so the answer never depends on it.

use crate::wheel::{Extracted, extract_into, member_name_is_safe};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Set to `off` or `0` to unpack every wheel privately (no cache).
pub const SWITCH_ENV: &str = "GILGATE_UNPACK_CACHE";

/// The layout version: an entry of another version is never read (a change in what is
/// unpacked, or in the manifest, changes it).
const FORMAT: &str = "v1";

/// The cache keeps at most about this many bytes of unpacked files; older entries go first.
pub const MAX_BYTES: u64 = 2 << 30;

/// Leftovers of a process that died while filling or evicting are removed after this long.
const STALE: Duration = Duration::from_secs(3600);

/// A wheel's unpacked folder for one inspection: a cache entry (held with a shared lock so
/// that no eviction removes it meanwhile) or a private temporary folder (removed on drop).
#[derive(Debug)]
pub struct WheelDir {
    tree: PathBuf,
    _hold: Hold,
}

#[derive(Debug)]
enum Hold {
    /// Removed when dropped.
    Temp { _dir: tempfile::TempDir },
    /// The entry's manifest, open with a shared lock.
    Entry { _manifest: std::fs::File },
}

impl WheelDir {
    /// The folder holding the wheel's files in its layout.
    pub fn path(&self) -> &Path {
        &self.tree
    }
}

/// One file of an entry as it was written.
#[derive(Debug, Serialize, Deserialize)]
struct FileStamp {
    name: String,
    size: u64,
    ino: u64,
    ctime: i64,
    ctime_nsec: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    found: Extracted,
    files: Vec<FileStamp>,
}

/// Unpacks the wheel at `path` (see [`crate::wheel::extract_wheel`]), from the cache when it
/// holds these bytes.
pub(crate) fn unpack(path: &Path) -> Result<(WheelDir, Extracted), String> {
    if let Some(root) = cache_root() {
        match cached(path, &root) {
            Ok(found) => return Ok(found),
            Err(why) => tracing::debug!("{}: unpack cache not used: {why}", path.display()),
        }
    }
    private(path)
}

fn private(path: &Path) -> Result<(WheelDir, Extracted), String> {
    let u = crate::wheel::extract_wheel(path)?;
    let found = Extracted {
        modules: u.modules,
        extracted: u.extracted,
        warnings: u.warnings,
    };
    Ok((
        WheelDir {
            tree: u.dir.path().to_path_buf(),
            _hold: Hold::Temp { _dir: u.dir },
        },
        found,
    ))
}

/// Whether `path` names a file inside the cache's entries (a path as discovery gives it,
/// under [`cache_root`]).
pub(crate) fn holds(path: &Path) -> bool {
    cache_root().is_some_and(|root| path.starts_with(root))
}

/// `$GILGATE_CACHE/unpacked/v1`, or `None` when the cache is switched off or has no home.
fn cache_root() -> Option<PathBuf> {
    if let Ok(v) = std::env::var(SWITCH_ENV)
        && matches!(v.trim(), "off" | "0")
    {
        return None;
    }
    let base = match std::env::var_os("GILGATE_CACHE") {
        Some(c) if !c.is_empty() => PathBuf::from(c),
        _ => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?)
            .join(".cache/gilgate"),
    };
    Some(base.join("unpacked").join(FORMAT))
}

/// The SHA-256 of the file's bytes, in hex.
fn hash_file(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 18];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The folder of the memos of [`key_of`].
const MEMOS: &str = "by-file";

/// A file's identity: its device, inode, size, modification and change times. Any write,
/// truncation or replacement changes the change time (set by the kernel; no user can set it)
/// or the inode.
fn file_id(md: &std::fs::Metadata) -> String {
    format!(
        "{}:{}:{}:{}.{}:{}.{}",
        md.dev(),
        md.ino(),
        md.len(),
        md.mtime(),
        md.mtime_nsec(),
        md.ctime(),
        md.ctime_nsec()
    )
}

/// The SHA-256 of the wheel's bytes, from a memo when the very same file (same [`file_id`])
/// was hashed before. A memo is written only for a file whose change time is at least
/// [`SETTLED`] old and that did not change while it was hashed: a later write gets a later
/// change time even on a file system with a coarse clock, so a memo never outlives the bytes
/// it was made from. The memo's name is the identity itself (its digits and dots, `_` for
/// `:`, a character some file systems refuse), which its first line repeats: hashing it into a
/// name (SHA-256, as until stop 26) cost the command about 20 µs of CPU feature detection
/// (`cpuid`, which a virtual machine traps) on every cached inspection.
fn key_of(path: &Path, root: &Path) -> std::io::Result<String> {
    let before = std::fs::metadata(path)?;
    let id = file_id(&before);
    let memo = root.join(MEMOS).join(id.replace(':', "_"));
    if let Ok(text) = std::fs::read_to_string(&memo)
        && let Some((seen, key)) = text.split_once('\n')
        && seen == id
        && key.len() == 64
        && key.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Ok(key.to_string());
    }
    let key = hash_file(path)?;
    let after = std::fs::metadata(path)?;
    let changed = std::time::UNIX_EPOCH.checked_add(Duration::new(
        u64::try_from(before.ctime()).unwrap_or(0),
        u32::try_from(before.ctime_nsec()).unwrap_or(0),
    ));
    let settled = changed
        .and_then(|c| c.elapsed().ok())
        .is_some_and(|age| age >= SETTLED);
    if settled && file_id(&after) == id {
        let _ = write_memo(&memo, &format!("{id}\n{key}"));
    }
    Ok(key)
}

/// How old a wheel's change time must be before its hash is memoised.
const SETTLED: Duration = Duration::from_secs(2);

/// Writes `text` at `memo` atomically (a temporary file renamed into place).
fn write_memo(memo: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = memo.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(memo).map_err(|e| e.error)?;
    Ok(())
}

/// The wheel from its cache entry, filling the entry first when needed. An error means the
/// cache could not serve it (the caller unpacks privately, which reports any error of the
/// wheel itself).
fn cached(path: &Path, root: &Path) -> Result<(WheelDir, Extracted), String> {
    let started = std::time::Instant::now();
    std::fs::create_dir_all(root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    if !crate::wheel::writable_for_code(root) {
        return Err(format!(
            "{} is read-only or does not allow mapping code (noexec)",
            root.display()
        ));
    }
    let key = key_of(path, root).map_err(|e| format!("cannot hash the wheel: {e}"))?;
    let entry = root.join(&key);
    if let Some(hit) = open_entry(&entry) {
        tracing::debug!(
            "{}: unpacked files from the cache ({}) in {:.1} ms",
            path.display(),
            entry.display(),
            started.elapsed().as_secs_f64() * 1e3
        );
        return Ok(hit);
    }
    fill(path, root, &entry)
}

/// `flock` on an open file; false when it failed (or would wait, with `LOCK_NB`).
fn lock(f: &std::fs::File, op: libc::c_int) -> bool {
    // SAFETY: `flock` on a descriptor this process owns; it touches no memory.
    unsafe { libc::flock(f.as_raw_fd(), op) == 0 }
}

/// A usable entry, held with a shared lock; `None` when it is missing, incomplete or changed.
fn open_entry(entry: &Path) -> Option<(WheelDir, Extracted)> {
    match check_entry(entry) {
        Ok(hit) => Some(hit),
        Err(why) => {
            tracing::debug!("{}: not used: {why}", entry.display());
            None
        }
    }
}

fn check_entry(entry: &Path) -> Result<(WheelDir, Extracted), String> {
    let manifest_path = entry.join("manifest.json");
    let mut f = std::fs::File::open(&manifest_path).map_err(|e| format!("no manifest: {e}"))?;
    if !lock(&f, libc::LOCK_SH) {
        return Err("cannot lock the manifest".into());
    }
    let mut text = String::new();
    f.read_to_string(&mut text)
        .map_err(|e| format!("cannot read the manifest: {e}"))?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("unreadable manifest: {e}"))?;
    if m.format != FORMAT {
        return Err(format!("format {:?}", m.format));
    }
    let tree = entry.join("tree");
    for stamp in &m.files {
        if !member_name_is_safe(&stamp.name) {
            return Err(format!("unsafe name {:?}", stamp.name));
        }
        let md = std::fs::symlink_metadata(tree.join(&stamp.name))
            .map_err(|e| format!("{}: {e}", stamp.name))?;
        if !md.is_file()
            || md.len() != stamp.size
            || md.ino() != stamp.ino
            || md.ctime() != stamp.ctime
            || md.ctime_nsec() != stamp.ctime_nsec
        {
            return Err(format!("{} changed since it was written", stamp.name));
        }
    }
    let listed = |n: &String| m.files.iter().any(|s| &s.name == n);
    if !m.found.extracted.iter().all(listed) || !m.found.modules.iter().all(listed) {
        return Err("a file found is not stamped".into());
    }
    // The manifest read is the one at the entry's name now (not one an eviction renamed away
    // between our open and our lock).
    let held = f.metadata().map_err(|e| e.to_string())?;
    let now = std::fs::metadata(&manifest_path).map_err(|e| e.to_string())?;
    if (held.dev(), held.ino()) != (now.dev(), now.ino()) {
        return Err("removed meanwhile".into());
    }
    // Its modification time is the entry's last use, for eviction (at most once a minute).
    if held
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age > Duration::from_secs(60))
    {
        let _ = f.set_modified(SystemTime::now());
    }
    Ok((
        WheelDir {
            tree,
            _hold: Hold::Entry { _manifest: f },
        },
        m.found,
    ))
}

/// Unpacks the wheel into a new entry and installs it at `entry`.
fn fill(path: &Path, root: &Path, entry: &Path) -> Result<(WheelDir, Extracted), String> {
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempdir_in(root)
        .map_err(|e| format!("cannot create a folder in {}: {e}", root.display()))?;
    let tree = tmp.path().join("tree");
    std::fs::create_dir(&tree).map_err(|e| format!("cannot create {}: {e}", tree.display()))?;
    let found = extract_into(path, &tree)?;
    let mut files = Vec::with_capacity(found.extracted.len());
    for name in &found.extracted {
        let md = std::fs::symlink_metadata(tree.join(name))
            .map_err(|e| format!("cannot read back {name}: {e}"))?;
        files.push(FileStamp {
            name: name.clone(),
            size: md.len(),
            ino: md.ino(),
            ctime: md.ctime(),
            ctime_nsec: md.ctime_nsec(),
        });
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        found: found.clone(),
        files,
    };
    let text = serde_json::to_string(&manifest).expect("manifests serialize");
    std::fs::write(tmp.path().join("manifest.json"), text)
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    if install(tmp.path(), entry) {
        // The entry now owns the files; nothing is left at the temporary name.
        let _ = tmp.keep();
        prune(root, entry, MAX_BYTES);
        if let Some(hit) = open_entry(entry) {
            return Ok(hit);
        }
        // Evicted or changed at once by another process: unpack privately.
        return Err("the new entry was removed or changed at once".into());
    }
    // Another process installed this entry first: use it when it is sound, else this copy.
    if let Some(hit) = open_entry(entry) {
        return Ok(hit);
    }
    Ok((
        WheelDir {
            tree,
            _hold: Hold::Temp { _dir: tmp },
        },
        found,
    ))
}

/// Renames the complete folder `tmp` to `entry`; an unusable entry already there (no sound
/// manifest, and not in use) is moved away first. False when `entry` stays another's.
fn install(tmp: &Path, entry: &Path) -> bool {
    if std::fs::rename(tmp, entry).is_ok() {
        return true;
    }
    if open_entry(entry).is_some() {
        return false;
    }
    // Unusable: replace it unless a reader holds it (a reader only holds sound entries, but
    // one may have checked it before it changed).
    if !remove_entry(entry) {
        return false;
    }
    std::fs::rename(tmp, entry).is_ok()
}

/// Removes an entry unless some process holds it (shared lock): renamed away first, so that
/// no reader can find it half removed. True when it is gone.
fn remove_entry(entry: &Path) -> bool {
    let manifest = std::fs::File::open(entry.join("manifest.json")).ok();
    if let Some(f) = &manifest
        && !lock(f, libc::LOCK_EX | libc::LOCK_NB)
    {
        return false;
    }
    let Some(parent) = entry.parent() else {
        return false;
    };
    let Ok(trash) = tempfile::Builder::new()
        .prefix(".trash-")
        .tempdir_in(parent)
        .map(|t| t.keep())
    else {
        return false;
    };
    let moved = trash.join("entry");
    let renamed = std::fs::rename(entry, &moved).is_ok();
    drop(manifest);
    let _ = std::fs::remove_dir_all(&trash);
    renamed
}

/// Keeps the cache under `max` bytes ([`MAX_BYTES`]): removes the least recently used entries
/// (never `keep`, never one in use), and leftovers of processes that died while filling or
/// removing.
fn prune(root: &Path, keep: &Path, max: u64) {
    let Ok(dir) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries = Vec::new();
    let mut total = 0u64;
    for e in dir.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name == MEMOS {
            prune_memos(&path, root);
            continue;
        }
        if name.starts_with(".tmp-") || name.starts_with(".trash-") {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE);
            if old {
                let _ = std::fs::remove_dir_all(&path);
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path.join("manifest.json")) else {
            continue;
        };
        let Ok(m) = serde_json::from_str::<Manifest>(&text) else {
            continue;
        };
        let size: u64 = m.files.iter().map(|f| f.size).sum();
        total += size;
        let used = std::fs::metadata(path.join("manifest.json"))
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        entries.push((used, size, path));
    }
    if total <= max {
        return;
    }
    entries.sort();
    for (_, size, path) in entries {
        if total <= max {
            break;
        }
        if path != keep && remove_entry(&path) {
            total -= size;
        }
    }
}

/// Removes the memos of [`key_of`] whose entry is gone (and leftovers of memo writers that
/// died), so that they do not pile up.
fn prune_memos(dir: &Path, root: &Path) {
    let Ok(memos) = std::fs::read_dir(dir) else {
        return;
    };
    for m in memos.flatten() {
        let path = m.path();
        let keep = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.split_once('\n').map(|(_, k)| root.join(k).is_dir()))
            .unwrap_or(false);
        let young = m
            .metadata()
            .and_then(|md| md.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < STALE);
        if !keep && !young {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A wheel holding one "module" (any bytes will do: nothing is loaded here).
    fn wheel(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
        let whl = dir.join(format!("{name}-1.0-cp314-cp314t-linux_x86_64.whl"));
        let mut z = zip::ZipWriter::new(std::fs::File::create(&whl).unwrap());
        z.start_file(
            format!("{name}/m.cpython-314t-x86_64-linux-gnu.so"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(body).unwrap();
        z.finish().unwrap();
        whl
    }

    fn names(root: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn entries_in_use_are_neither_replaced_nor_evicted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("v1");
        let a = wheel(tmp.path(), "a", b"first");
        let b = wheel(tmp.path(), "b", b"second");
        let (held_a, found) = cached(&a, &root).unwrap();
        assert_eq!(found.modules, ["a/m.cpython-314t-x86_64-linux-gnu.so"]);
        let entry_a = held_a.path().parent().unwrap().to_path_buf();
        assert_eq!(entry_a.parent(), Some(root.as_path()));
        // A second reader shares the entry; no one can remove it meanwhile.
        let (again, _) = cached(&a, &root).unwrap();
        assert_eq!(again.path(), held_a.path());
        assert!(!remove_entry(&entry_a));
        let (held_b, _) = cached(&b, &root).unwrap();
        let entry_b = held_b.path().parent().unwrap().to_path_buf();
        drop(held_b);
        // Over the limit: the entry not in use goes, the one in use stays.
        prune(&root, Path::new("/nowhere"), 0);
        assert!(entry_a.join("manifest.json").is_file());
        assert!(!entry_b.exists());
        drop(held_a);
        drop(again);
        // Once released it goes. Another test of this binary may fork a child at the moment
        // an entry's lock file is open: the child shares the lock until its exec closes the
        // descriptor, so the removal is retried for a while, as the next prune would.
        for _ in 0..200 {
            prune(&root, Path::new("/nowhere"), 0);
            if !entry_a.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!entry_a.exists());
        // Nothing left behind at a temporary name.
        assert!(
            names(&root).iter().all(|n| !n.starts_with('.')),
            "{:?}",
            names(&root)
        );
        // Still correct afterwards: a miss again.
        let (u, found) = cached(&a, &root).unwrap();
        assert_eq!(
            std::fs::read(u.path().join(&found.modules[0])).unwrap(),
            b"first"
        );
    }
}
