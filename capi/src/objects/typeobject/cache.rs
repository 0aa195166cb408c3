//! The type attribute cache (CPython's method cache behind `_PyType_Lookup`): the answer of
//! an MRO lookup (the value, or "absent") kept in a global table of 4096 entries keyed by the
//! type's version tag (`tp_version_tag`) and the interned name.
//!
//! - **Tags.** A type gets a tag from a global counter at its first cached lookup; a tag is
//!   never reused (the counter stops at `u32::MAX`, after which nothing more is cached). A
//!   type whose MRO holds a heap type but which is static itself gets none (its heap bases
//!   do not list it as a subclass).
//! - **Invalidation.** Every dict a cached lookup read is marked with its type
//!   (`_ma_watcher_tag`); the dict's writes (`set_item`, `pop`, `setdefault`, `clear`) call
//!   `modifying` under the dict's section before they change the table. A heap type loses its
//!   tag, and so do its subclasses (`tp_subclasses`), recursively; a static type, whose
//!   subclasses are not listed, loses its tag and bumps the global generation (`GEN`, part of
//!   every entry's key), which drops every entry. `PyType_Modified` does the same, and so does
//!   a replaced type dict.
//! - **Safe reads without a type lock.** An entry holds a borrowed value; a reader takes the
//!   entry's spin lock, re-reads the type's tag and `GEN` under it, and increfs the value
//!   before unlocking. A writer clears the tags first, then locks and unlocks the entry each
//!   cleared tag maps to for the written name (every entry, for a generation bump), and only
//!   then changes the dict and releases the old value. So a reader either took its reference
//!   before the writer went past the entry (the dict still held the value) or sees the
//!   cleared tag. The lock is held for a few loads and one incref, never across a wait.
//! - **Safe fills.** A miss looks the name up along the MRO (under each dict's section) and
//!   stores the answer only if no invalidation started or ran meanwhile (`INVALIDATING`: a
//!   count of invalidations in progress and an epoch bumped at each start) and the type's
//!   tag and `GEN` are unchanged; otherwise it answers without storing.
//! - CPython 3.14t uses a sequence lock per entry and `_Py_TryIncrefCompare`, relying on
//!   QSBR to keep a freed value's memory readable; gilgate frees objects at once, hence the
//!   entry lock.

use crate::object::{Py_TPFLAGS_HEAPTYPE, PyObject, PyTypeObject};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};

const SIZE_EXP: u32 = 12;
const SIZE: usize = 1 << SIZE_EXP;
const MASK: usize = SIZE - 1;
/// Spins a reader makes on a busy entry before it answers from the dicts instead.
const READER_SPINS: u32 = 64;

#[repr(align(32))]
struct Entry {
    lock: AtomicU32,
    /// `GEN << 32 | tag`; 0 is empty (tag 0 is never valid).
    key: AtomicU64,
    /// An interned (immortal) str.
    name: AtomicPtr<PyObject>,
    /// Borrowed: the dict that holds it invalidates the entry before releasing it.
    value: AtomicPtr<PyObject>,
}

impl Entry {
    const fn empty() -> Entry {
        Entry {
            lock: AtomicU32::new(0),
            key: AtomicU64::new(0),
            name: AtomicPtr::new(null_mut()),
            value: AtomicPtr::new(null_mut()),
        }
    }

    #[inline]
    fn try_lock(&self, spins: u32) -> bool {
        let mut n = 0;
        loop {
            if self
                .lock
                .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return true;
            }
            n += 1;
            if n >= spins {
                return false;
            }
            std::hint::spin_loop();
        }
    }

    /// Locks, however long it takes (holders never wait while holding).
    fn lock(&self) {
        while !self.try_lock(64) {
            std::thread::yield_now();
        }
    }

    #[inline]
    fn unlock(&self) {
        self.lock.store(0, Ordering::Release);
    }

    /// Waits out any reader inside the entry.
    fn sync(&self) {
        self.lock();
        self.unlock();
    }
}

static CACHE: [Entry; SIZE] = [const { Entry::empty() }; SIZE];
static NEXT_TAG: AtomicU32 = AtomicU32::new(1);
static GEN: AtomicU32 = AtomicU32::new(1);
/// Low 32 bits: invalidations in progress; high 32 bits: an epoch bumped at each start.
static INVALIDATING: AtomicU64 = AtomicU64::new(0);

#[inline]
fn index(tag: u32, hash: isize) -> usize {
    ((tag as usize) ^ (hash as usize)) & MASK
}

#[inline]
fn key(gen_: u32, tag: u32) -> u64 {
    (u64::from(gen_) << 32) | u64::from(tag)
}

/// The tag field of `t`, read and written atomically.
///
/// # Safety
/// `t` must be a live type.
#[inline]
unsafe fn tag_of<'a>(t: *mut PyTypeObject) -> &'a AtomicU32 {
    // SAFETY: an aligned c_uint field of a live type.
    unsafe { AtomicU32::from_ptr(&raw mut (*t).tp_version_tag) }
}

/// The dict's mark (its type, or 0), read and written atomically.
///
/// # Safety
/// `d` must be a live dict.
#[inline]
unsafe fn mark_of<'a>(d: *mut PyObject) -> &'a AtomicU64 {
    // SAFETY: an aligned u64 field of a live dict.
    unsafe {
        AtomicU64::from_ptr(&raw mut (*d.cast::<crate::dictobject::PyDictObject>())._ma_watcher_tag)
    }
}

/// An interned exact str's cached hash (`None` for any other name: not cached).
///
/// # Safety
/// `name` must be a live str.
#[inline]
unsafe fn cacheable(name: *mut PyObject) -> Option<isize> {
    use crate::unicodeobject::PyASCIIObject;
    // SAFETY: forwarded contract; interned strs are immortal and hashed when interned.
    unsafe {
        if !crate::unicodeobject::is_exact_str(name) {
            return None;
        }
        // Only immortal interned strs: the pointer names the text for the life of the
        // process.
        if !crate::unicodeobject::is_interned_immortal(name) {
            return None;
        }
        let a = name.cast::<PyASCIIObject>();
        let h =
            std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*a).hash).load(Ordering::Relaxed);
        (h != -1).then_some(h)
    }
}

/// `_PyType_LookupRef` through the cache: `name` along `t`'s MRO as a new reference, or NULL
/// when absent (no error).
///
/// # Safety
/// `t` must be a live type and `name` a str.
#[inline]
pub(crate) unsafe fn lookup_ref(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(h) = cacheable(name) else {
            return crate::object::type_lookup_ref_uncached(t, name);
        };
        let tag = tag_of(t).load(Ordering::Acquire);
        if tag != 0 {
            let e = &CACHE[index(tag, h)];
            if e.try_lock(READER_SPINS) {
                // Re-read under the lock: a writer clears the tag (or bumps GEN) before it
                // passes through this entry.
                let hit = e.key.load(Ordering::Relaxed) == key(GEN.load(Ordering::Acquire), tag)
                    && e.name.load(Ordering::Relaxed) == name
                    && tag_of(t).load(Ordering::Acquire) == tag;
                if hit {
                    let v = e.value.load(Ordering::Relaxed);
                    crate::refcount::xincref(v);
                    e.unlock();
                    return v;
                }
                e.unlock();
            } else {
                // Busy (another thread in this entry): answer from the dicts.
                return crate::object::type_lookup_ref_uncached(t, name);
            }
        }
        fill(t, name, h)
    }
}

#[cold]
unsafe fn fill(t: *mut PyTypeObject, name: *mut PyObject, h: isize) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let inv = INVALIDATING.load(Ordering::SeqCst);
        let gen_ = GEN.load(Ordering::SeqCst);
        let tag = if inv & 0xffff_ffff == 0 {
            assign_tag(t)
        } else {
            0
        };
        let v = crate::object::type_lookup_ref_uncached(t, name);
        if tag != 0 {
            let e = &CACHE[index(tag, h)];
            e.lock();
            if INVALIDATING.load(Ordering::SeqCst) == inv
                && GEN.load(Ordering::SeqCst) == gen_
                && tag_of(t).load(Ordering::SeqCst) == tag
            {
                e.key.store(key(gen_, tag), Ordering::Relaxed);
                e.name.store(name, Ordering::Relaxed);
                e.value.store(v, Ordering::Relaxed);
            }
            e.unlock();
        }
        v
    }
}

/// `t`'s tag, assigned (and the dicts of its MRO marked) when it has none; 0 when `t` cannot
/// be cached.
unsafe fn assign_tag(t: *mut PyTypeObject) -> u32 {
    // SAFETY: `t` is a live type; its MRO tuple holds live types.
    unsafe {
        let a = tag_of(t);
        let cur = a.load(Ordering::Acquire);
        if cur != 0 {
            return cur;
        }
        let mro = (*t).tp_mro;
        if !mro.is_null()
            && (!crate::tupleobject::is_tuple(mro)
                || crate::tupleobject::items(mro).first().copied() != Some(t.cast()))
        {
            return 0;
        }
        // The types the lookup visits (`find_in_mro`: the MRO tuple, or for a built-in static
        // type without one its `tp_base` chain and `object`), each dict marked before it is
        // read: a write under the dict's section after this sees the mark, one before it is
        // what the lookup reads.
        let is_static = (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0;
        let refused = crate::object::find_in_mro(t, |u| {
            if u.is_null() || (is_static && (*u).tp_flags & Py_TPFLAGS_HEAPTYPE != 0) {
                return Some(());
            }
            // Not `ensure_dict`: a built-in's dict is made by the first (uncached) lookup
            // that needs it, and this may run under `ensure_dict`'s lock.
            let d = std::sync::atomic::AtomicPtr::from_ptr(&raw mut (*u).tp_dict)
                .load(Ordering::Acquire);
            if d.is_null() || !crate::dictobject::is_dict(d) {
                return Some(());
            }
            let m = mark_of(d);
            if m.load(Ordering::Relaxed) != u as u64 {
                m.store(u as u64, Ordering::SeqCst);
            }
            None
        });
        if refused.is_some() {
            return 0;
        }
        let new = NEXT_TAG.load(Ordering::Relaxed);
        if new == u32::MAX {
            return 0;
        }
        let new = NEXT_TAG.fetch_add(1, Ordering::Relaxed);
        if new == 0 || new == u32::MAX {
            NEXT_TAG.store(u32::MAX, Ordering::Relaxed);
            return 0;
        }
        match a.compare_exchange(0, new, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => new,
            Err(x) => x,
        }
    }
}

/// An invalidation in progress, ended (the dict written) when dropped.
pub(crate) struct Modifying(());

impl Drop for Modifying {
    fn drop(&mut self) {
        INVALIDATING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called by a dict write on a marked dict `d` (its section held, before the write): drops the
/// cached answers the write may change. `hash` is the written key's hash when the key is an
/// exact str, else `None` (every entry is waited out).
///
/// # Safety
/// `d` must be a live dict whose section the caller holds.
#[cold]
unsafe fn modifying(d: *mut PyObject, hash: Option<isize>) -> Option<Modifying> {
    // SAFETY: forwarded contract; a marked dict's type clears the mark before it dies.
    unsafe {
        let t = mark_of(d).load(Ordering::Acquire) as *mut PyTypeObject;
        if t.is_null() {
            return None;
        }
        Some(invalidate(t, hash))
    }
}

/// `PyType_Modified`: drops every cached answer of `t` and its subclasses.
///
/// # Safety
/// `t` must be a live type.
pub(crate) unsafe fn modified(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    drop(unsafe { invalidate(t, None) });
}

unsafe fn invalidate(t: *mut PyTypeObject, hash: Option<isize>) -> Modifying {
    INVALIDATING.fetch_add((1 << 32) + 1, Ordering::SeqCst);
    let guard = Modifying(());
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            tag_of(t).store(0, Ordering::SeqCst);
            GEN.fetch_add(1, Ordering::SeqCst);
            sync_all();
        } else {
            clear_tree(t, hash);
        }
    }
    guard
}

/// Clears the tags of heap type `t` and of its subclasses, waiting out the readers of the
/// entries they map to for the written name.
unsafe fn clear_tree(t: *mut PyTypeObject, hash: Option<isize>) {
    // SAFETY: `t` is a live heap type; `subclasses` gives new references.
    unsafe {
        let old = tag_of(t).swap(0, Ordering::SeqCst);
        if old != 0 {
            match hash {
                Some(h) => CACHE[index(old, h)].sync(),
                None => sync_all(),
            }
        }
        for sub in crate::typeobject::slots::subclasses(t) {
            clear_tree(sub, hash);
            crate::refcount::decref(sub.cast());
        }
    }
}

fn sync_all() {
    for e in &CACHE {
        e.sync();
    }
}

/// A type going away: its dict forgets it (under the dict's section) and its tag is cleared.
///
/// # Safety
/// `t` must be a dying type.
pub(crate) unsafe fn forget(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    unsafe {
        tag_of(t).store(0, Ordering::SeqCst);
        let d = (*t).tp_dict;
        if !d.is_null() && crate::dictobject::is_dict(d) {
            crate::critical_section::hold!(_g, d);
            let m = mark_of(d);
            if m.load(Ordering::Relaxed) == t as u64 {
                m.store(0, Ordering::SeqCst);
            }
        }
    }
}

/// The hook of dict writes: `None` at once for an unmarked dict (every dict but the type
/// dicts a cached lookup read), else the invalidation for `key`, to keep until the write is
/// done.
///
/// # Safety
/// `d` must be a live dict whose section the caller holds, `key` a live object, `hash` its
/// hash.
#[inline]
pub(crate) unsafe fn watch(d: *mut PyObject, key: *mut PyObject, hash: isize) -> Option<Modifying> {
    // SAFETY: forwarded contract.
    unsafe {
        if mark_of(d).load(Ordering::Relaxed) == 0 {
            return None;
        }
        let h = crate::unicodeobject::is_exact_str(key).then_some(hash);
        modifying(d, h)
    }
}

/// Type dict `old` of `t` is being replaced: it forgets `t`, and `t`'s answers are dropped.
///
/// # Safety
/// `t` must be a live type and `old` its dict.
pub(crate) unsafe fn dict_replaced(t: *mut PyTypeObject, old: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        modified(t);
        if !old.is_null() && crate::dictobject::is_dict(old) {
            crate::critical_section::hold!(_g, old);
            mark_of(old).store(0, Ordering::SeqCst);
        }
    }
}

/// The hook of a dict's clearing: as [`watch`], for every name the dict held.
///
/// # Safety
/// `d` must be a live dict whose section the caller holds.
#[inline]
pub(crate) unsafe fn watch_all(d: *mut PyObject) -> Option<Modifying> {
    // SAFETY: forwarded contract.
    unsafe {
        if mark_of(d).load(Ordering::Relaxed) == 0 {
            return None;
        }
        modifying(d, None)
    }
}
