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
//! - **Lock-free reads** (a light read section, `qsbr::ReadSection::enter_light`). An entry
//!   holds a borrowed value. A reader enters its thread's read section (its counter goes odd:
//!   a plain store; the writer's `membarrier` system call stands for the reader's barrier),
//!   reads the type's tag and `GEN`, reads the entry under the entry's sequence (so it sees
//!   one fill's key, name and value, never a mix), increfs the value and leaves the section;
//!   it writes no shared cache line. An invalidation clears the tags (or bumps `GEN`), then
//!   waits out the read sections in progress (`qsbr::wait_light_readers`), and only then does the
//!   dict write change the dict and release the old value. A reader that read the tag before
//!   it was cleared is inside a section the writer waits for (the system call puts a full
//!   barrier between the section's entry and its loads, as seen from the writer's scan,
//!   which follows the clearing), so its incref comes before the release; one that read it after sees 0 or a
//!   changed `GEN` (tags are never reused) and fills instead. The old value is still
//!   released by the writer where it was before, so finalizers run exactly when they did.
//!   The wait is bounded and cannot deadlock: a read section is a few loads and one incref
//!   (or, for `lookup_peek`, a few loads of the borrowed value instead of the incref), with
//!   no lock, wait, detach or safe point inside.
//! - **Safe fills.** A miss looks the name up along the MRO (under each dict's section) and
//!   stores the answer only if no invalidation started or ran meanwhile (`INVALIDATING`: a
//!   count of invalidations in progress and an epoch bumped at each start) and the type's
//!   tag and `GEN` are unchanged. The check and the store are made inside a read section: an
//!   invalidation that starts after the check waits for the store (whose entry is then keyed
//!   by a cleared tag and never answers again). A fill that finds the entry being written by
//!   another fill does not store (fills never wait either).
//! - CPython 3.14t uses the same sequence per entry, and `_Py_TryIncrefCompare` on memory
//!   QSBR keeps readable; gilgate frees objects at once, hence the writer's wait instead.

use crate::object::{Py_TPFLAGS_HEAPTYPE, PyObject, PyTypeObject};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering, fence};

const SIZE_EXP: u32 = 12;
const SIZE: usize = 1 << SIZE_EXP;
const MASK: usize = SIZE - 1;

#[repr(align(32))]
struct Entry {
    /// A sequence lock for fills: odd while a fill writes the entry (fills never wait: one
    /// that finds it odd does not store), so a reader that sees it unchanged and even across
    /// its loads read one fill's fields.
    seq: AtomicU32,
    /// `GEN << 32 | tag`; 0 is empty (tag 0 is never valid).
    key: AtomicU64,
    /// An interned (immortal) str.
    name: AtomicPtr<PyObject>,
    /// Borrowed: the dict that holds it invalidates the entry, and waits out the readers,
    /// before releasing it.
    value: AtomicPtr<PyObject>,
}

impl Entry {
    const fn empty() -> Entry {
        Entry {
            seq: AtomicU32::new(0),
            key: AtomicU64::new(0),
            name: AtomicPtr::new(null_mut()),
            value: AtomicPtr::new(null_mut()),
        }
    }

    /// The entry's value if it holds `name` under `k`, read inside the caller's read section.
    #[inline]
    fn read(&self, k: u64, name: *mut PyObject) -> Option<*mut PyObject> {
        let s = self.seq.load(Ordering::Acquire);
        if s & 1 != 0 {
            return None;
        }
        let ek = self.key.load(Ordering::Relaxed);
        let en = self.name.load(Ordering::Relaxed);
        let v = self.value.load(Ordering::Relaxed);
        // The loads above before the re-read (the sequence-lock reader's fence).
        fence(Ordering::Acquire);
        (self.seq.load(Ordering::Relaxed) == s && ek == k && en == name).then_some(v)
    }

    /// Stores a fill's answer unless another fill is writing the entry (never waits).
    #[inline]
    fn write(&self, k: u64, name: *mut PyObject, v: *mut PyObject) {
        let s = self.seq.load(Ordering::Relaxed);
        if s & 1 != 0
            || self
                .seq
                .compare_exchange(s, s.wrapping_add(1), Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        // The odd sequence before the fields (the sequence-lock writer's fence).
        fence(Ordering::Release);
        self.key.store(k, Ordering::Relaxed);
        self.name.store(name, Ordering::Relaxed);
        self.value.store(v, Ordering::Relaxed);
        self.seq.store(s.wrapping_add(2), Ordering::Release);
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
    match unsafe { lookup_peek(t, name, |_| None::<()>) } {
        Peek::Ref(v) => v,
        Peek::Hit(()) => null_mut(),
    }
}

/// What [`lookup_peek`] found.
pub(crate) enum Peek<R> {
    /// The peek's answer from the borrowed value (no reference was taken).
    Hit(R),
    /// A new reference to the value (NULL when absent), as `lookup_ref` gives it.
    Ref(*mut PyObject),
}

/// `lookup_ref` that first offers a cached value, borrowed, to `peek` inside the read section:
/// when `peek` answers, its answer is returned and no reference is taken (no write to the
/// value's count, which two threads reading one class attribute would share). `peek` runs
/// inside a light read section, so it may only load (a few loads: no lock, wait, call, detach,
/// safe point or reference change); what it returns must not point into the value.
///
/// # Safety
/// `t` must be a live type and `name` a str.
#[inline]
pub(crate) unsafe fn lookup_peek<R>(
    t: *mut PyTypeObject,
    name: *mut PyObject,
    peek: impl FnOnce(*mut PyObject) -> Option<R>,
) -> Peek<R> {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(h) = cacheable(name) else {
            return Peek::Ref(crate::object::type_lookup_ref_uncached(t, name));
        };
        let Some(sec) = crate::qsbr::ReadSection::enter_light() else {
            // No read section on this thread (it never attached): answer from the dicts.
            return Peek::Ref(crate::object::type_lookup_ref_uncached(t, name));
        };
        // Read inside the section: a writer clears the tag (or bumps GEN) before it waits
        // out the sections in progress, so a tag still set here keeps the value alive
        // until the section ends.
        let tag = tag_of(t).load(Ordering::SeqCst);
        if tag != 0
            && let Some(v) = CACHE[index(tag, h)].read(key(GEN.load(Ordering::SeqCst), tag), name)
        {
            if !v.is_null()
                && let Some(r) = peek(v)
            {
                drop(sec);
                return Peek::Hit(r);
            }
            crate::refcount::xincref(v);
            drop(sec);
            return Peek::Ref(v);
        }
        drop(sec);
        Peek::Ref(fill(t, name, h))
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
        if tag != 0
            && let Some(sec) = crate::qsbr::ReadSection::enter_light()
        {
            // Checked and stored inside a read section: an invalidation that starts after
            // the checks waits for the store (and has cleared the tag the entry is keyed
            // by, so the entry never answers again); one that started before fails them.
            if INVALIDATING.load(Ordering::SeqCst) == inv
                && GEN.load(Ordering::SeqCst) == gen_
                && tag_of(t).load(Ordering::SeqCst) == tag
            {
                CACHE[index(tag, h)].write(key(gen_, tag), name, v);
            }
            drop(sec);
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
/// cached answers the write may change.
///
/// # Safety
/// `d` must be a live dict whose section the caller holds.
#[cold]
unsafe fn modifying(d: *mut PyObject) -> Option<Modifying> {
    // SAFETY: forwarded contract; a marked dict's type clears the mark before it dies.
    unsafe {
        let t = mark_of(d).load(Ordering::Acquire) as *mut PyTypeObject;
        if t.is_null() {
            return None;
        }
        Some(invalidate(t))
    }
}

/// `PyType_Modified`: drops every cached answer of `t` and its subclasses.
///
/// # Safety
/// `t` must be a live type.
pub(crate) unsafe fn modified(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    drop(unsafe { invalidate(t) });
}

unsafe fn invalidate(t: *mut PyTypeObject) -> Modifying {
    INVALIDATING.fetch_add((1 << 32) + 1, Ordering::SeqCst);
    let guard = Modifying(());
    // SAFETY: forwarded contract.
    unsafe {
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            tag_of(t).store(0, Ordering::SeqCst);
            GEN.fetch_add(1, Ordering::SeqCst);
        } else {
            clear_tree(t);
        }
    }
    // Every reader that could still use a cleared tag's entries is inside a read section
    // that began before the clearing: waited out here, before the caller changes the dict
    // and releases the old value. Cache readers are in light sections (no barrier of their
    // own), so this wait begins with the `membarrier` system call that stands for theirs.
    crate::qsbr::wait_light_readers();
    guard
}

/// Clears the tags of heap type `t` and of its subclasses.
unsafe fn clear_tree(t: *mut PyTypeObject) {
    // SAFETY: `t` is a live heap type; `subclasses` gives new references.
    unsafe {
        tag_of(t).store(0, Ordering::SeqCst);
        for sub in crate::typeobject::slots::subclasses(t) {
            clear_tree(sub);
            crate::refcount::decref(sub.cast());
        }
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
/// dicts a cached lookup read), else the invalidation, to keep until the write is done.
///
/// # Safety
/// `d` must be a live dict whose section the caller holds.
#[inline]
pub(crate) unsafe fn watch(d: *mut PyObject) -> Option<Modifying> {
    // SAFETY: forwarded contract.
    unsafe {
        if mark_of(d).load(Ordering::Relaxed) == 0 {
            return None;
        }
        modifying(d)
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
        modifying(d)
    }
}
