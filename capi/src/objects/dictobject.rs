//! `dictobject.h`: `dict` with CPython's `PyDictObject` header (`ma_used` at 32); the
//! table behind `ma_keys` is owned by Rust and keeps insertion order.
//!
//! Every access to the table holds a critical section on the dict (its `ob_mutex`, as in
//! CPython 3.14t), so two threads can mutate one dict safely and an extension's
//! `Py_BEGIN_CRITICAL_SECTION(d)` excludes gilgate's own dict operations. Comparing keys may
//! run code that touches the same dict (a nested section on it returns at once) or waits (the
//! section is suspended while the thread is detached); lookups start over when the table
//! changed meanwhile.
#![allow(clippy::result_unit_err)]

use crate::critical_section::hold;
use crate::export;
use crate::object::{
    Py_TPFLAGS_BASETYPE, Py_TPFLAGS_DICT_SUBCLASS, PyObject, PyTypeObject, static_type,
};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, incref, new_ref};
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// `PyDictObject` (64 bytes).
#[repr(C)]
pub struct PyDictObject {
    pub ob_base: PyObject,
    pub ma_used: Py_ssize_t,
    pub _ma_watcher_tag: u64,
    pub ma_keys: *mut c_void,
    pub ma_values: *mut c_void,
}

/// Marks an unused slot of the index.
const EMPTY: u32 = u32::MAX;

/// The entries (insertion order) and an open-addressing index over them, probed directly
/// with the Python hash (no second hash): each used slot holds an entry position. A deleted
/// entry stays in `entries` as `None` and its slot keeps pointing at it (a tombstone) until
/// the next rebuild, so the probe sequences of the other keys stay intact.
#[derive(Default)]
struct Table {
    entries: Vec<Option<(Py_hash_t, *mut PyObject, *mut PyObject)>>,
    /// Power-of-two sized (or empty); every entry position appears in exactly one slot.
    indices: Vec<u32>,
    /// Live entries (`ma_used`).
    used: usize,
    /// Bumped on every insertion or deletion (iterators and lookups detect changes with it).
    version: AtomicUsize,
    /// Non-zero while a writer changes the table of a dict other threads may read lock-free
    /// (`Writing`); lock-free readers take the locked path meanwhile.
    writing: AtomicU32,
}

/// CPython's probe sequence: `i = i*5 + perturb + 1`, `perturb >>= 5`.
struct Probe {
    i: usize,
    perturb: usize,
    mask: usize,
}

impl Probe {
    fn new(h: Py_hash_t, mask: usize) -> Probe {
        Probe {
            i: (h as usize) & mask,
            perturb: h as usize,
            mask,
        }
    }

    fn advance(&mut self) {
        self.perturb >>= 5;
        self.i = (self
            .i
            .wrapping_mul(5)
            .wrapping_add(self.perturb)
            .wrapping_add(1))
            & self.mask;
    }
}

impl Table {
    /// Puts entry position `pos` (hash `h`) into the first free slot of its probe sequence;
    /// the index must have a free slot.
    fn place(&mut self, h: Py_hash_t, pos: usize) {
        let mut p = Probe::new(h, self.indices.len() - 1);
        while self.indices[p.i] != EMPTY {
            p.advance();
        }
        self.indices[p.i] = pos as u32;
    }

    /// Drops the holes left by deletions and rebuilds the index with room for `extra` more
    /// entries (the index is at most two-thirds full afterwards).
    fn rebuild(&mut self, extra: usize) {
        if self.used != self.entries.len() {
            self.entries.retain(|e| e.is_some());
        }
        let need = (self.entries.len() + extra) * 3 / 2 + 1;
        let cap = need.next_power_of_two().max(8);
        self.indices.clear();
        self.indices.resize(cap, EMPTY);
        for pos in 0..self.entries.len() {
            if let Some((h, _, _)) = self.entries[pos] {
                self.place(h, pos);
            }
        }
    }

    /// Appends a new entry (the key is known to be absent), growing or compacting first when
    /// the index would become more than two-thirds full.
    fn push(&mut self, h: Py_hash_t, k: *mut PyObject, v: *mut PyObject) {
        let n = self.entries.len();
        if (n + 1) * 3 > self.indices.len() * 2 {
            // Growth as CPython: room for about three times the live entries.
            self.rebuild(self.used.max(4) * 2);
        }
        let pos = self.entries.len();
        self.entries.push(Some((h, k, v)));
        self.place(h, pos);
        self.used += 1;
    }

    /// Removes every entry (returned for the caller to release).
    fn take_all(&mut self) -> Vec<Option<(Py_hash_t, *mut PyObject, *mut PyObject)>> {
        self.indices = Vec::new();
        self.used = 0;
        std::mem::take(&mut self.entries)
    }
}

/// Whether `d` has a table (every dict gilgate made has one).
///
/// # Safety
/// `d` must be a live dict.
unsafe fn has_table(d: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { !(*d.cast::<PyDictObject>()).ma_keys.is_null() }
}

#[export]
pub static mut PyDict_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dict_dealloc),
    tp_repr: Some(dict_repr),
    tp_hash: Some(crate::iterobject::unhashable),
    tp_richcompare: Some(dict_richcompare),
    tp_iter: Some(dict_iter),
    tp_as_sequence: &raw mut DICT_AS_SEQUENCE,
    tp_as_mapping: &raw mut DICT_AS_MAPPING,
    tp_as_number: &raw mut DICT_AS_NUMBER,
    tp_methods: (&raw mut DICT_METHODS).cast(),
    tp_new: Some(dict_new),
    ..static_type(
        c"dict",
        std::mem::size_of::<PyDictObject>(),
        0,
        Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS | crate::object::Py_TPFLAGS_MAPPING,
    )
};

/// Whether `op` is a dict (or subclass).
///
/// # Safety
/// `op` must be a live object.
pub(crate) unsafe fn is_dict(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::has_flag(op, Py_TPFLAGS_DICT_SUBCLASS) }
}

/// A new empty dict.
pub fn new_dict() -> *mut PyObject {
    // SAFETY: PyDict_Type is a ready static type.
    let d = unsafe { crate::objimpl::alloc_object(&raw mut PyDict_Type, 0) };
    if !d.is_null() {
        // SAFETY: fresh dict; the table is released in `dict_dealloc`.
        unsafe {
            (*d.cast::<PyDictObject>()).ma_keys = Box::into_raw(Box::<Table>::default()).cast()
        };
    }
    d
}

/// The table of a dict made by `new_dict`.
unsafe fn table<'a>(d: *mut PyObject) -> Option<&'a mut Table> {
    // SAFETY: `d` is a live dict; `ma_keys` is NULL or our table.
    unsafe {
        let k = (*d.cast::<PyDictObject>()).ma_keys;
        k.cast::<Table>().as_mut()
    }
}

/// `ma_used` as an atomic: written under the dict's section, read without it (`len`).
///
/// # Safety
/// `d` must be a live dict.
#[inline]
unsafe fn used_field<'a>(d: *mut PyObject) -> &'a std::sync::atomic::AtomicIsize {
    // SAFETY: the field is 8-byte aligned and every access in gilgate is atomic.
    unsafe {
        std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*d.cast::<PyDictObject>()).ma_used)
    }
}

unsafe fn sync_used(d: *mut PyObject, t: &Table) {
    // SAFETY: `d` is a live dict.
    unsafe { used_field(d).store(t.used as Py_ssize_t, Ordering::Relaxed) };
    t.version.fetch_add(1, Ordering::Relaxed);
}

/// Equality of two keys of the same exact builtin type whose comparison runs no code (str,
/// or ints of at most one digit); None for everything else.
#[inline]
unsafe fn exact_eq(a: *mut PyObject, b: *mut PyObject) -> Option<bool> {
    // SAFETY: both are live objects.
    unsafe {
        let t = crate::object::ty(a);
        if t != crate::object::ty(b) {
            return None;
        }
        if t == &raw mut crate::unicodeobject::PyUnicode_Type {
            return Some(crate::unicodeobject::equal(a, b));
        }
        if t == &raw mut crate::longobject::PyLong_Type
            && let (Some(x), Some(y)) =
                (crate::longobject::compact(a), crate::longobject::compact(b))
        {
            return Some(x == y);
        }
        None
    }
}

/// `find` for probes that run no code: Some(index or None when absent), or None when a key of
/// the same hash needs a comparison that may run code (then the caller takes the full path).
///
/// # Safety
/// `t` must be a live dict's table that no thread changes meanwhile: its mutex is held, or
/// the caller is inside a read section and saw no writer (`lookup_lockfree`). The keys it
/// dereferences are then held by the table.
#[inline]
unsafe fn find_quick(t: &Table, key: *mut PyObject, h: Py_hash_t) -> Option<Option<usize>> {
    // SAFETY: forwarded contract; nothing here runs code, so the table cannot change.
    unsafe {
        if t.indices.is_empty() {
            return Some(None);
        }
        let mut p = Probe::new(h, t.indices.len() - 1);
        loop {
            let slot = t.indices[p.i];
            if slot == EMPTY {
                return Some(None);
            }
            if let Some((eh, k, _)) = t.entries[slot as usize] {
                if k == key {
                    return Some(Some(slot as usize));
                }
                if eh == h {
                    // Equal hashes of different objects: compare from here on, out of line.
                    return find_quick_compare(t, key, h, p);
                }
            }
            p.advance();
        }
    }
}

/// `find_quick` from probe position `p` on, whose entry has `key`'s hash but is another object.
///
/// # Safety
/// As `find_quick`; `t` is the dict's table.
#[inline(never)]
unsafe fn find_quick_compare(
    t: &Table,
    key: *mut PyObject,
    h: Py_hash_t,
    mut p: Probe,
) -> Option<Option<usize>> {
    // SAFETY: forwarded contract; `exact_eq` runs no code.
    unsafe {
        loop {
            let slot = t.indices[p.i];
            if slot == EMPTY {
                return Some(None);
            }
            if let Some((eh, k, _)) = t.entries[slot as usize]
                && (k == key || (eh == h && exact_eq(k, key)?))
            {
                return Some(Some(slot as usize));
            }
            p.advance();
        }
    }
}

/// Finds the entry index of `key`: Ok(None) when absent, Err(()) on a comparison error.
/// Comparisons may run code that changes the dict; the lookup then starts over.
unsafe fn find(d: *mut PyObject, key: *mut PyObject, h: Py_hash_t) -> Result<Option<usize>, ()> {
    // SAFETY: `d` is a live dict with a table; its lock is held.
    unsafe {
        'restart: loop {
            let Some(t) = table(d) else { return Ok(None) };
            if t.indices.is_empty() {
                return Ok(None);
            }
            let mut p = Probe::new(h, t.indices.len() - 1);
            loop {
                let slot = t.indices[p.i];
                if slot == EMPTY {
                    return Ok(None);
                }
                let pos = slot as usize;
                if let Some((eh, k, _)) = t.entries[pos] {
                    if k == key {
                        return Ok(Some(pos));
                    }
                    if eh == h {
                        if let Some(same) = exact_eq(k, key) {
                            if same {
                                return Ok(Some(pos));
                            }
                            p.advance();
                            continue;
                        }
                        let version = t.version.load(Ordering::Relaxed);
                        let k = new_ref(k);
                        let r = crate::iterobject::compare_bool(k, key, crate::object::Py_EQ);
                        decref(k);
                        let Some(t) = table(d) else { return Ok(None) };
                        if t.version.load(Ordering::Relaxed) != version
                            || t.entries.get(pos).is_none_or(|e| e.is_none())
                        {
                            if r < 0 {
                                return Err(());
                            }
                            continue 'restart;
                        }
                        match r {
                            1 => return Ok(Some(pos)),
                            0 => {}
                            _ => return Err(()),
                        }
                    }
                }
                p.advance();
            }
        }
    }
}

/// Raises `KeyError(key)` (the key is always the single argument, even a tuple).
///
/// # Safety
/// `key` must be a live object.
pub(crate) unsafe fn key_error(key: *mut PyObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let args = crate::tupleobject::from_slice(&[key]);
        if args.is_null() {
            return;
        }
        crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), args);
        decref(args);
    }
}

/// Borrowed value for `key`; NULL if absent or on error (then an exception is set).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub(crate) unsafe fn get_with_error(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { get_with_error_as(d, key, DICT_KEY) }
}

/// What a dict's key is called in CPython 3.14's unhashable-key text.
pub(crate) const DICT_KEY: &str = "dict key";
/// What a set's element is called there (sets keep their elements in a dict).
pub(crate) const SET_ELEMENT: &str = "set element";

/// `hash(key)` for a lookup or store; a TypeError (an unhashable key) is reworded as CPython
/// 3.14 does: "cannot use 'T' as a dict key (unhashable type: 'T')", `what` naming the role.
///
/// # Safety
/// `key` must be live.
#[inline]
pub(crate) unsafe fn key_hash(key: *mut PyObject, what: &str) -> crate::pyport::Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::object::ty(key) == &raw mut crate::longobject::PyLong_Type {
            // An exact int's hash runs no code and never fails.
            return crate::longobject::hash_int(key);
        }
        if crate::unicodeobject::is_exact_str(key) {
            // An exact str keeps its hash once computed (-1 until then).
            let a = key.cast::<crate::unicodeobject::PyASCIIObject>();
            let h = std::sync::atomic::AtomicIsize::from_ptr(&raw mut (*a).hash)
                .load(std::sync::atomic::Ordering::Relaxed);
            if h != -1 {
                return h;
            }
        }
        key_hash_slow(key, what)
    }
}

/// `key_hash` through the type's `tp_hash`.
///
/// # Safety
/// As `key_hash`.
#[inline(never)]
unsafe fn key_hash_slow(key: *mut PyObject, what: &str) -> crate::pyport::Py_hash_t {
    // SAFETY: forwarded contract.
    unsafe {
        let h = crate::object::hash(key);
        if h == -1 && crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_TypeError) {
            let e = crate::pyerrors::take_raised();
            let text = crate::object::str_string(e);
            decref(e);
            let t = crate::object::fully_qualified_name(crate::object::ty(key), '.');
            crate::pyerrors::raise(
                &raw mut crate::pyerrors::EXC_TypeError,
                &format!("cannot use '{t}' as a {what} ({text})"),
            );
        }
        h
    }
}

/// Whether `d` is owned by the calling thread (`ob_tid`).
///
/// # Safety
/// `d` must be a live object.
#[inline]
unsafe fn owned(d: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::refcount::tid(d).load(Ordering::Relaxed) == crate::refcount::thread_id() }
}

/// Whether `d` is marked shared (`_PyGC_BITS_SHARED`): a thread other than its owner has
/// read it lock-free. Set under the dict's mutex, read by writers under it.
///
/// # Safety
/// `d` must be a live object.
#[inline]
unsafe fn is_shared(d: *mut PyObject) -> bool {
    // SAFETY: a byte of a live object's header, accessed atomically by every party.
    unsafe {
        std::sync::atomic::AtomicU8::from_ptr(&raw mut (*d).ob_gc_bits).load(Ordering::Relaxed)
            & crate::listobject::GC_BITS_SHARED
            != 0
    }
}

/// Marks `d` shared; the caller holds the dict's mutex.
///
/// # Safety
/// `d` must be a live object.
#[cold]
unsafe fn mark_shared(d: *mut PyObject) {
    // SAFETY: as in `is_shared`.
    unsafe {
        std::sync::atomic::AtomicU8::from_ptr(&raw mut (*d).ob_gc_bits)
            .fetch_or(crate::listobject::GC_BITS_SHARED, Ordering::Relaxed);
    }
}

/// A change of a dict's table that lock-free readers must not see half done: while it lives
/// the table's `writing` count is non-zero (readers take the locked path, which waits for the
/// section the writer holds), and it began by waiting out the read sections already in
/// progress. So from its start until the next read section that sees `writing` at zero
/// (after the change is complete), no lock-free reader holds anything of the table, and what
/// the change removed (a value, a key, an old index or entry array) may be released at once:
/// the writer releases it where it did before, so deallocators run exactly when they did.
struct Writing(*const AtomicU32);

impl Writing {
    /// Begins a change of `d`'s table; the caller holds the dict's section and runs no code
    /// until the guard drops. A dict only its owner reads lock-free (not shared), changed by
    /// its owner, has no other reader to wait for and pays nothing.
    ///
    /// # Safety
    /// `d` must be a live dict with a table, its section held.
    #[inline]
    unsafe fn begin(d: *mut PyObject) -> Writing {
        // SAFETY: forwarded contract.
        unsafe {
            if owned(d) && !is_shared(d) {
                return Writing(std::ptr::null());
            }
            let w = &raw const (*(*d.cast::<PyDictObject>()).ma_keys.cast::<Table>()).writing;
            Writing::wait(&*w);
            Writing(w)
        }
    }

    /// Sets the count (sequentially consistent, against a reader's section entry and its
    /// load of the count) and waits out the sections in progress.
    #[cold]
    fn wait(w: &AtomicU32) {
        w.fetch_add(1, Ordering::SeqCst);
        crate::qsbr::wait_readers();
    }
}

impl Drop for Writing {
    #[inline]
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the table outlives the change (the dict is live, its section held).
            unsafe { (*self.0).fetch_sub(1, Ordering::Release) };
        }
    }
}

/// The lock-free lookup (CPython 3.14t's `_Py_dict_lookup_threadsafe`, with a read section
/// instead of QSBR-delayed freeing): `Some(value)` (NULL when absent; a new reference when
/// `take_ref`), or `None` when the caller must take the locked path (no read section on this
/// thread, a writer at work, a key comparison that may run code, or a dict this thread may not
/// read lock-free yet: not its own and not marked shared).
///
/// Why it is safe: the section's entry is ordered before its load of the table's `writing`
/// count, and a writer's count increment before its scan of the sections (both sequentially
/// consistent). Either this section sees the count (and leaves), or the writer sees the
/// section and waits for it before changing the table: the table, the keys it holds and the
/// value read stay valid, and unchanged, until the section ends, and the reference is taken
/// inside it. Owner-only dicts are not protected by writers (`Writing::begin`), which is why
/// another thread marks a dict shared, under its mutex, before its first lock-free read.
///
/// # Safety
/// `d` must be a live dict with a table and `key` a live object whose hash is `h`.
#[inline]
unsafe fn lookup_lockfree(
    d: *mut PyObject,
    key: *mut PyObject,
    h: Py_hash_t,
    take_ref: bool,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract; see above for the table's validity.
    unsafe {
        if !owned(d) && !is_shared(d) {
            return None;
        }
        let sec = crate::qsbr::ReadSection::enter()?;
        probe_in_section(&sec, d, key, h, take_ref)
    }
}

/// The probe of `lookup_lockfree`, inside the caller's read section (which it borrows, so the
/// reference is taken before the section ends).
///
/// # Safety
/// As `lookup_lockfree`, and `d` may be read lock-free by this thread (its own or marked
/// shared).
#[inline(always)]
unsafe fn probe_in_section(
    _sec: &crate::qsbr::ReadSection,
    d: *mut PyObject,
    key: *mut PyObject,
    h: Py_hash_t,
    take_ref: bool,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let t = &*(*d.cast::<PyDictObject>()).ma_keys.cast::<Table>();
        if t.writing.load(Ordering::SeqCst) != 0 {
            return None;
        }
        let found = find_quick(t, key, h)?;
        let v = found.and_then(|i| t.entries[i]).map_or(null_mut(), |e| e.2);
        if take_ref {
            crate::refcount::xincref(v);
        }
        Some(v)
    }
}

/// An object's `__dict__` lookup without a reference to the dict (CPython 3.14t reads an
/// instance dict without one too): the slot `dp` and the dict's table are read in one read
/// section, and the value found (a new reference; NULL when the slot is empty or `key` is
/// absent) is taken inside it. `None` when the lock-free probe cannot answer (`key` not an
/// exact str, no read section, a dict this thread may not read lock-free
/// yet, a writer at work, a comparison that may run code): the caller then takes a reference
/// to the dict and looks up as before.
///
/// Why the dict stays alive: every writer of such a slot (`PyObject_GenericSetDict`, a type's
/// `__dict__` setter, `PyObject_ClearManagedDict`) waits out read sections before it releases
/// the old dict, and the object itself, whose reference the caller holds, keeps the slot's.
///
/// # Safety
/// `dp` must be the dict slot of a live object (`object::dict_ptr`) and `key` a live object.
#[inline]
pub(crate) unsafe fn slot_get_ref_lockfree(
    dp: *mut *mut PyObject,
    key: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract; the slot is an aligned pointer field.
    unsafe {
        if !crate::unicodeobject::is_exact_str(key) {
            return None;
        }
        // An exact str's hash runs no code and never fails.
        let h = key_hash(key, DICT_KEY);
        let sec = crate::qsbr::ReadSection::enter()?;
        let d = std::sync::atomic::AtomicPtr::from_ptr(dp).load(Ordering::Acquire);
        if d.is_null() {
            return Some(d);
        }
        if !has_table(d) || (!owned(d) && !is_shared(d)) {
            return None;
        }
        probe_in_section(&sec, d, key, h, true)
    }
}

/// Looks `key` up: the value found (a new reference when `take_ref`, taken while it is still
/// in the dict), or NULL when absent or on an error (which is then set).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
#[inline]
unsafe fn lookup(
    d: *mut PyObject,
    key: *mut PyObject,
    what: &str,
    take_ref: bool,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let h = key_hash(key, what);
        if h == -1 || !has_table(d) {
            return null_mut();
        }
        if let Some(v) = lookup_lockfree(d, key, h, take_ref) {
            return v;
        }
        lookup_locked(d, key, h, take_ref)
    }
}

/// `lookup` under the dict's lock, when the lock-free probe could not answer.
///
/// # Safety
/// As `lookup`; `h` is `key`'s hash and `d` has a table.
#[inline(never)]
unsafe fn lookup_locked(
    d: *mut PyObject,
    key: *mut PyObject,
    h: Py_hash_t,
    take_ref: bool,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        {
            // A probe that compares no key by running code holds the dict's mutex as a plain
            // lock (the exclusion of the section, without its bookkeeping: nothing in between
            // waits or runs code).
            let _g = crate::object::ObjectLock::new(d);
            if !owned(d) && !is_shared(d) {
                // From now on this thread reads the dict lock-free: its writers wait for
                // readers (`Writing::begin` sees the mark under this mutex).
                mark_shared(d);
            }
            if let Some(t) = table(d)
                && let Some(found) = find_quick(t, key, h)
            {
                let v = found.and_then(|i| t.entries[i]).map_or(null_mut(), |e| e.2);
                if take_ref {
                    crate::refcount::xincref(v);
                }
                return v;
            }
        }
        hold!(_g, d);
        let v = match find(d, key, h) {
            Ok(Some(i)) => table(d)
                .and_then(|t| t.entries[i])
                .map_or(null_mut(), |e| e.2),
            _ => null_mut(),
        };
        if take_ref {
            crate::refcount::xincref(v);
        }
        v
    }
}

/// `get_with_error` with `what` naming the key's role in an unhashable-key error.
///
/// The value is borrowed: another thread may replace or delete the entry and free it at once
/// (as CPython's `PyDict_GetItem*`, documented unsafe in free-threaded builds). Code that can
/// race uses `get_ref`.
///
/// # Safety
/// As `get_with_error`.
pub(crate) unsafe fn get_with_error_as(
    d: *mut PyObject,
    key: *mut PyObject,
    what: &str,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { lookup(d, key, what, false) }
}

/// A new reference to the value for `key`, taken under the dict's critical section; NULL if
/// absent or on error (then an exception is set).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
#[inline]
pub(crate) unsafe fn get_ref(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the reference is taken while the dict holds the value.
    unsafe { lookup(d, key, DICT_KEY, true) }
}

/// `get_ref` with errors swallowed (the current exception kept), as `get` for `get_with_error`.
///
/// # Safety
/// As `get_ref`.
pub(crate) unsafe fn get_ref_quiet(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::pyerrors::occurred() {
            // Nothing to keep aside: the lookup's own error, if any, is dropped.
            let v = get_ref(d, key);
            if v.is_null() {
                crate::pyerrors::clear();
            }
            return v;
        }
        let saved = crate::pyerrors::take_raised();
        let v = get_ref(d, key);
        crate::pyerrors::clear();
        crate::pyerrors::restore_raised(saved);
        v
    }
}

/// A new reference to the value for a UTF-8 key, NULL if absent (errors swallowed).
///
/// # Safety
/// `d` must be a live dict.
pub(crate) unsafe fn get_str_ref(d: *mut PyObject, key: &str) -> *mut PyObject {
    let k = crate::unicodeobject::from_str(key);
    if k.is_null() {
        crate::pyerrors::clear();
        return null_mut();
    }
    // SAFETY: forwarded contract; `k` is our reference.
    unsafe {
        let v = get_ref_quiet(d, k);
        decref(k);
        v
    }
}

/// Borrowed value for `key`, NULL if absent; errors are swallowed (as `PyDict_GetItem`).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub(crate) unsafe fn get(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::pyerrors::occurred() {
            // Nothing to keep aside: the lookup's own error, if any, is dropped.
            let v = get_with_error(d, key);
            if v.is_null() {
                crate::pyerrors::clear();
            }
            return v;
        }
        let saved = crate::pyerrors::take_raised();
        let v = get_with_error(d, key);
        crate::pyerrors::clear();
        crate::pyerrors::restore_raised(saved);
        v
    }
}

/// Borrowed value for a UTF-8 key.
///
/// # Safety
/// `d` must be a live dict.
pub unsafe fn get_str(d: *mut PyObject, key: &str) -> *mut PyObject {
    let k = crate::unicodeobject::from_str(key);
    if k.is_null() {
        crate::pyerrors::clear();
        return null_mut();
    }
    // SAFETY: forwarded contract; `k` is our reference.
    unsafe {
        let v = get(d, k);
        decref(k);
        v
    }
}

/// `d[key] = value` (new references are taken).
///
/// # Safety
/// `d` must be a live dict; `key` and `value` live objects.
pub unsafe fn set_item(d: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { set_item_as(d, key, value, DICT_KEY) }
}

/// `set_item` with `what` naming the key's role in an unhashable-key error.
///
/// # Safety
/// As `set_item`.
pub(crate) unsafe fn set_item_as(
    d: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
    what: &str,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let h = key_hash(key, what);
        if h == -1 {
            return -1;
        }
        if !has_table(d) {
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        hold!(g, d);
        let _inv = crate::typeobject::cache::watch(d);
        let found = find(d, key, h);
        let Some(t) = table(d) else { return -1 };
        let w = Writing::begin(d);
        let mut old = null_mut();
        let r = match found {
            Err(()) => -1,
            Ok(Some(i)) => {
                incref(value);
                if let Some(e) = t.entries[i].as_mut() {
                    old = std::mem::replace(&mut e.2, value);
                }
                0
            }
            Ok(None) => {
                t.push(h, new_ref(key), new_ref(value));
                sync_used(d, t);
                0
            }
        };
        drop(w);
        drop(g);
        crate::refcount::xdecref(old);
        r
    }
}

/// `d[key] = value` with a UTF-8 key.
///
/// # Safety
/// `d` must be a live dict; `value` a live object.
pub unsafe fn set_item_str(d: *mut PyObject, key: &str, value: *mut PyObject) -> c_int {
    let k = crate::unicodeobject::intern(key);
    if k.is_null() {
        return -1;
    }
    // SAFETY: forwarded contract.
    unsafe { set_item(d, k, value) }
}

/// `del d[key]`; KeyError when absent.
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub(crate) unsafe fn del_item(d: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        match pop(d, key) {
            Err(()) => -1,
            Ok(None) => {
                key_error(key);
                -1
            }
            Ok(Some(v)) => {
                decref(v);
                0
            }
        }
    }
}

/// Removes `key` and returns its value (owned): Ok(None) when absent (no exception).
///
/// # Safety
/// `d` must be a live dict and `key` a live object.
pub(crate) unsafe fn pop(
    d: *mut PyObject,
    key: *mut PyObject,
) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        // an empty dict answers "absent" without hashing the key, as CPython's does
        if len(d) == 0 {
            return Ok(None);
        }
        pop_as(d, key, DICT_KEY)
    }
}

/// `pop` with `what` naming the key's role in an unhashable-key error.
///
/// # Safety
/// As `pop`.
pub(crate) unsafe fn pop_as(
    d: *mut PyObject,
    key: *mut PyObject,
    what: &str,
) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let h = key_hash(key, what);
        if h == -1 {
            return Err(());
        }
        if !has_table(d) {
            crate::pyerrors::bad_internal_call();
            return Err(());
        }
        hold!(g, d);
        let _inv = crate::typeobject::cache::watch(d);
        let found = find(d, key, h)?;
        let Some(t) = table(d) else { return Ok(None) };
        let Some(i) = found else { return Ok(None) };
        let w = Writing::begin(d);
        let Some((_, k, v)) = t.entries[i].take() else {
            return Ok(None);
        };
        // The slot keeps pointing at the emptied entry (a tombstone); the holes are dropped
        // when an insertion next rebuilds the index (as CPython, deletion never moves entries).
        t.used -= 1;
        sync_used(d, t);
        drop(w);
        drop(g);
        decref(k);
        Ok(Some(v))
    }
}

/// Number of items.
///
/// # Safety
/// `d` must be a live dict.
pub unsafe fn len(d: *mut PyObject) -> Py_ssize_t {
    // SAFETY: forwarded contract.
    unsafe { used_field(d).load(Ordering::Relaxed) }
}

/// The live entries in insertion order (borrowed).
///
/// # Safety
/// `d` must be a live dict; the pointers are only valid while it is unchanged (a dict no other
/// thread can reach, such as a call's keyword arguments; otherwise use `owned_entries`).
pub(crate) unsafe fn entries(d: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: forwarded contract.
    unsafe { map_entries(d, |k, v| (k, v)) }
}

/// `f` applied to each live entry in insertion order, all under the dict's critical section
/// (so references `f` takes are taken while the dict holds its own).
///
/// # Safety
/// `d` must be a live dict; `f` must not run code that could detach.
unsafe fn map_entries<T>(
    d: *mut PyObject,
    mut f: impl FnMut(*mut PyObject, *mut PyObject) -> T,
) -> Vec<T> {
    // SAFETY: forwarded contract.
    unsafe {
        if !has_table(d) {
            return Vec::new();
        }
        hold!(_g, d);
        table(d)
            .map(|t| {
                let mut out = Vec::with_capacity(t.used);
                for &(_, k, v) in t.entries.iter().flatten() {
                    out.push(f(k, v));
                }
                out
            })
            .unwrap_or_default()
    }
}

/// New references to the keys in insertion order, taken under the dict's critical section.
///
/// # Safety
/// `d` must be a live dict.
pub(crate) unsafe fn owned_keys(d: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: forwarded contract; each key is live while the section is held.
    unsafe { map_entries(d, |k, _| new_ref(k)) }
}

unsafe extern "C" fn dict_dealloc(op: *mut PyObject) {
    // SAFETY: `op` is a dead dict (slot contract); the table came from `Box::into_raw`.
    unsafe {
        let k = (*op.cast::<PyDictObject>()).ma_keys;
        if !k.is_null() {
            let t = Box::from_raw(k.cast::<Table>());
            for (_, key, v) in t.entries.into_iter().flatten() {
                decref(key);
                decref(v);
            }
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn dict_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: `op` is a live dict (slot contract).
    unsafe {
        if len(op) == 0 {
            return crate::unicodeobject::from_str("{}");
        }
        if !crate::iterobject::repr_enter(op) {
            return crate::unicodeobject::from_str("{...}");
        }
        let snap = owned_entries(op);
        let mut parts = Vec::with_capacity(snap.len());
        let mut ok = true;
        for &(k, v) in &snap {
            match crate::iterobject::repr_all(&[k, v]) {
                Some(kv) => parts.push(format!("{}: {}", kv[0], kv[1])),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        release_entries(snap);
        crate::iterobject::repr_leave(op);
        if !ok {
            return null_mut();
        }
        crate::unicodeobject::from_str(&format!("{{{}}}", parts.join(", ")))
    }
}

/// The entries with new references (safe to use while the dict changes).
///
/// # Safety
/// `d` must be a live dict.
pub(crate) unsafe fn owned_entries(d: *mut PyObject) -> Vec<(*mut PyObject, *mut PyObject)> {
    // SAFETY: forwarded contract; the references are taken under the dict's section.
    unsafe { map_entries(d, |k, v| (new_ref(k), new_ref(v))) }
}

/// Drops the references of `owned_entries`.
///
/// # Safety
/// Owned references only.
pub(crate) unsafe fn release_entries(v: Vec<(*mut PyObject, *mut PyObject)>) {
    for (k, x) in v {
        // SAFETY: forwarded contract.
        unsafe {
            decref(k);
            decref(x);
        }
    }
}

unsafe fn check(d: *mut PyObject) -> bool {
    // SAFETY: NULL or a live object.
    if d.is_null() || !unsafe { is_dict(d) } {
        crate::pyerrors::bad_internal_call();
        return false;
    }
    true
}

unsafe fn with_key<R>(key: *const c_char, err: R, f: impl FnOnce(*mut PyObject) -> R) -> R {
    // SAFETY: a NUL-terminated string, per the C API contract.
    let k = unsafe { crate::unicodeobject::from_cstr(key) };
    if k.is_null() {
        return err;
    }
    let r = f(k);
    // SAFETY: our reference.
    unsafe { decref(k) };
    r
}

#[export]
pub fn PyDict_New() -> *mut PyObject {
    new_dict()
}

#[export]
pub unsafe fn PyDict_SetItem(d: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(d) || k.is_null() || v.is_null() {
            if !k.is_null() && !v.is_null() {
                return -1;
            }
            crate::pyerrors::bad_internal_call();
            return -1;
        }
        set_item(d, k, v)
    }
}

#[export]
pub unsafe fn PyDict_SetItemString(d: *mut PyObject, k: *const c_char, v: *mut PyObject) -> c_int {
    // SAFETY: live objects and a C string, per the C API contract.
    unsafe {
        if !check(d) {
            return -1;
        }
        // As CPython does, the key is interned: later lookups by an interned name (a module's
        // attributes, keyword names) then match by pointer.
        let text = if k.is_null() {
            None
        } else {
            std::ffi::CStr::from_ptr(k).to_str().ok()
        };
        match text {
            Some(t) => {
                let key = crate::unicodeobject::intern(t);
                if key.is_null() {
                    return -1;
                }
                set_item(d, key, v)
            }
            None => with_key(k, -1, |key| set_item(d, key, v)),
        }
    }
}

#[export]
pub unsafe fn PyDict_GetItem(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if d.is_null() || !is_dict(d) {
            return null_mut();
        }
        get(d, k)
    }
}

#[export]
pub unsafe fn PyDict_GetItemString(d: *mut PyObject, k: *const c_char) -> *mut PyObject {
    // SAFETY: live objects and a C string, per the C API contract.
    unsafe {
        if d.is_null() || !is_dict(d) {
            return null_mut();
        }
        let r = with_key(k, null_mut(), |key| get(d, key));
        crate::pyerrors::clear_if(r.is_null());
        r
    }
}

#[export]
pub unsafe fn PyDict_GetItemWithError(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        get_with_error(d, k)
    }
}

unsafe fn get_item_ref(d: *mut PyObject, k: *mut PyObject, out: *mut *mut PyObject) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        *out = null_mut();
        if !check(d) {
            return -1;
        }
        let v = get_ref(d, k);
        if v.is_null() {
            return if crate::pyerrors::occurred() { -1 } else { 0 };
        }
        *out = v;
        1
    }
}

#[export]
pub unsafe fn PyDict_GetItemRef(
    d: *mut PyObject,
    k: *mut PyObject,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: live objects and a writable out pointer, per the C API contract.
    unsafe { get_item_ref(d, k, out) }
}

#[export]
pub unsafe fn PyDict_GetItemStringRef(
    d: *mut PyObject,
    k: *const c_char,
    out: *mut *mut PyObject,
) -> c_int {
    // SAFETY: as PyDict_GetItemRef with a C string key.
    unsafe {
        *out = null_mut();
        with_key(k, -1, |key| get_item_ref(d, key, out))
    }
}

#[export]
pub unsafe fn PyDict_DelItem(d: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(d) {
            return -1;
        }
        del_item(d, k)
    }
}

#[export]
pub unsafe fn PyDict_DelItemString(d: *mut PyObject, k: *const c_char) -> c_int {
    // SAFETY: live objects and a C string, per the C API contract.
    unsafe {
        if !check(d) {
            return -1;
        }
        with_key(k, -1, |key| del_item(d, key))
    }
}

#[export]
pub unsafe fn PyDict_Size(d: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if !check(d) {
            return -1;
        }
        len(d)
    }
}

#[export]
pub unsafe fn PyDict_Contains(d: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(d) {
            return -1;
        }
        let v = get_with_error(d, k);
        if v.is_null() {
            if crate::pyerrors::occurred() { -1 } else { 0 }
        } else {
            1
        }
    }
}

#[export]
pub unsafe fn PyDict_ContainsString(d: *mut PyObject, k: *const c_char) -> c_int {
    // SAFETY: live objects and a C string, per the C API contract.
    unsafe { with_key(k, -1, |key| PyDict_Contains(d, key)) }
}

#[export]
pub unsafe fn PyDict_Next(
    d: *mut PyObject,
    pos: *mut Py_ssize_t,
    key: *mut *mut PyObject,
    value: *mut *mut PyObject,
) -> c_int {
    // SAFETY: a live dict and writable pointers (NULL allowed for key/value).
    unsafe {
        if d.is_null() || !is_dict(d) {
            return 0;
        }
        if !has_table(d) {
            return 0;
        }
        hold!(_g, d);
        let Some(t) = table(d) else { return 0 };
        let mut i = (*pos).max(0) as usize;
        while i < t.entries.len() {
            if let Some((_, k, v)) = t.entries[i] {
                *pos = (i + 1) as Py_ssize_t;
                if !key.is_null() {
                    *key = k;
                }
                if !value.is_null() {
                    *value = v;
                }
                return 1;
            }
            i += 1;
        }
        *pos = i as Py_ssize_t;
        0
    }
}

#[export]
pub unsafe fn PyDict_Clear(d: *mut PyObject) {
    // SAFETY: a live object, per the C API contract.
    unsafe {
        if d.is_null() || !is_dict(d) {
            return;
        }
        hold!(g, d);
        let _inv = crate::typeobject::cache::watch_all(d);
        let Some(t) = table(d) else { return };
        let w = Writing::begin(d);
        let old = t.take_all();
        sync_used(d, t);
        drop(w);
        drop(g);
        for (_, k, v) in old.into_iter().flatten() {
            decref(k);
            decref(v);
        }
    }
}

// ---- slots, iterators and views ------------------------------------------------------------

use crate::iterobject::{self as iters, IterObject, Step};
use crate::methodobject::{METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_VARARGS, PyMethodDef};
use crate::object::{PyMappingMethods, PySequenceMethods};

static mut DICT_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: None,
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: std::ptr::null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: std::ptr::null_mut(),
    sq_contains: Some(dict_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut DICT_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(dict_length),
    mp_subscript: Some(dict_subscript),
    mp_ass_subscript: Some(dict_ass_subscript),
};

type Meth = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type VarKw = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

const fn meth(name: &'static std::ffi::CStr, f: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: f,
        ml_flags: flags,
        ml_doc: std::ptr::null(),
    }
}

static mut DICT_METHODS: [PyMethodDef; 13] = [
    meth(
        c"__reversed__",
        m_reversed as Meth as *mut c_void,
        METH_NOARGS,
    ),
    crate::bytes_methods::def!(c"fromkeys", class_fast, m_fromkeys),
    crate::bytes_methods::def!(c"popitem", noargs, m_popitem),
    meth(c"keys", m_keys as Meth as *mut c_void, METH_NOARGS),
    meth(c"values", m_values as Meth as *mut c_void, METH_NOARGS),
    meth(c"items", m_items as Meth as *mut c_void, METH_NOARGS),
    meth(c"get", m_get as Fast as *mut c_void, METH_FASTCALL),
    meth(c"pop", m_pop as Fast as *mut c_void, METH_FASTCALL),
    meth(
        c"setdefault",
        m_setdefault as Fast as *mut c_void,
        METH_FASTCALL,
    ),
    meth(c"copy", m_copy as Meth as *mut c_void, METH_NOARGS),
    meth(c"clear", m_clear as Meth as *mut c_void, METH_NOARGS),
    meth(
        c"update",
        m_update as VarKw as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

#[export]
pub static mut PyDictIterKey_Type: PyTypeObject =
    iters::iter_type(c"dict_keyiterator", dictiter_keys);
#[export]
pub static mut PyDictIterValue_Type: PyTypeObject =
    iters::iter_type(c"dict_valueiterator", dictiter_values);
#[export]
pub static mut PyDictIterItem_Type: PyTypeObject =
    iters::iter_type(c"dict_itemiterator", dictiter_items);

/// `dict | other` and `dict |= other` (PEP 584).
static mut DICT_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_or: Some(dict_or),
    nb_inplace_or: Some(dict_ior),
    ..crate::setobject::const_default_number()
};

/// `a | b`: a new (exact) dict with `a`'s items updated by `b`'s; both must be dicts.
unsafe extern "C" fn dict_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_dict(a) || !is_dict(b) {
            return iters::not_implemented();
        }
        let c = copy(a);
        if !c.is_null() && update_from(c, b) < 0 {
            decref(c);
            return null_mut();
        }
        c
    }
}

/// `a |= b`: `a.update(b)` (any mapping or iterable of pairs), returning `a`.
unsafe extern "C" fn dict_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract); `a` is a dict (the slot is dict's).
    unsafe {
        if update_from(a, b) < 0 {
            return null_mut();
        }
        new_ref(a)
    }
}

unsafe extern "C" fn m_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe { new_reverse_iter(op, Part::Keys) }
}

static mut PyDictRevIterKey_Type: PyTypeObject =
    iters::iter_type(c"dict_reversekeyiterator", dictreviter_keys);
static mut PyDictRevIterValue_Type: PyTypeObject =
    iters::iter_type(c"dict_reversevalueiterator", dictreviter_values);
static mut PyDictRevIterItem_Type: PyTypeObject =
    iters::iter_type(c"dict_reverseitemiterator", dictreviter_items);

/// A reverse iterator over `d`'s keys, values or items.
unsafe fn new_reverse_iter(d: *mut PyObject, part: Part) -> *mut PyObject {
    let t = match part {
        Part::Keys => &raw mut PyDictRevIterKey_Type,
        Part::Values => &raw mut PyDictRevIterValue_Type,
        Part::Items => &raw mut PyDictRevIterItem_Type,
    };
    // SAFETY: a live dict.
    unsafe { iters::new_iter(t, d, len(d)) }
}

/// One step from the end: the iterator's index counts entry slots from the last one.
unsafe fn dictreviter_step(it: &mut iters::IterState, part: Part) -> Step {
    // SAFETY: `seq` is a live dict.
    unsafe {
        let d = it.seq;
        if len(d) != it.len0 {
            it.len0 = -1;
            return iters::runtime_error("dictionary changed size during iteration");
        }
        if !has_table(d) {
            return Step::End;
        }
        hold!(_g, d);
        let Some(t) = table(d) else { return Step::End };
        let n = t.entries.len();
        let mut back = it.index.max(0) as usize;
        while back < n {
            if let Some((_, k, v)) = t.entries[n - 1 - back] {
                it.index = back as Py_ssize_t;
                return Step::Item(entry_for(part, k, v));
            }
            back += 1;
        }
        Step::End
    }
}

/// One entry as an iterator over `part` yields it (a new reference, NULL with an exception).
///
/// # Safety
/// `k` and `v` must be live.
unsafe fn entry_for(part: Part, k: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live key and value, per the contract.
    unsafe {
        match part {
            Part::Keys => new_ref(k),
            Part::Values => new_ref(v),
            Part::Items => crate::tupleobject::from_slice(&[k, v]),
        }
    }
}

unsafe extern "C" fn dictreviter_keys(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictreviter_step(it, Part::Keys)) }
}
unsafe extern "C" fn dictreviter_values(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictreviter_step(it, Part::Values)) }
}
unsafe extern "C" fn dictreviter_items(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictreviter_step(it, Part::Items)) }
}

/// The set operators of `keys()` and `items()` views (either operand may be the view).
static mut VIEW_AS_NUMBER: crate::object::PyNumberMethods = crate::object::PyNumberMethods {
    nb_subtract: Some(view_sub),
    nb_and: Some(view_and),
    nb_xor: Some(view_xor),
    nb_or: Some(view_or),
    ..crate::setobject::const_default_number()
};

/// `set(a)` (a view's dict's keys for a keys view), then `set.<method>(b)` on it.
unsafe fn view_set_op(a: *mut PyObject, b: *mut PyObject, method: &str) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let s = crate::setobject::PySet_New(a);
        if s.is_null() {
            return s;
        }
        let r = crate::abstract_::call_method(s, method, &[b]);
        if r.is_null() {
            decref(s);
            return r;
        }
        decref(r);
        s
    }
}

unsafe extern "C" fn view_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { view_set_op(a, b, "difference_update") }
}
unsafe extern "C" fn view_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { view_set_op(a, b, "update") }
}
unsafe extern "C" fn view_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { view_set_op(a, b, "symmetric_difference_update") }
}

/// Whether `op` is a keys or items view (or a subtype's).
unsafe fn is_set_view(op: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe {
        let t = crate::object::ty(op);
        crate::object::PyType_IsSubtype(t, &raw mut PyDictKeys_Type) == 1
            || crate::object::PyType_IsSubtype(t, &raw mut PyDictItems_Type) == 1
    }
}

/// `a & b`: the elements of the other operand the view contains, as a set.
unsafe extern "C" fn view_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let (mut view, mut other) = if is_set_view(a) { (a, b) } else { (b, a) };
        let n_view = view_length(view);
        if crate::setobject::is_anyset(other)
            && crate::object::ty(other) == &raw mut crate::setobject::PySet_Type
        {
            let n_other = crate::abstract_::size(other);
            if n_other < 0 {
                return null_mut();
            }
            if n_view <= n_other {
                return crate::abstract_::call_method(other, "intersection", &[view]);
            }
        }
        if is_set_view(other) && view_length(other) > n_view {
            std::mem::swap(&mut view, &mut other);
        }
        let result = crate::setobject::PySet_New(null_mut());
        if result.is_null() {
            return result;
        }
        let r = crate::abstract_::for_each(other, |x| {
            let c = view_contains(view, x);
            if c < 0 || (c == 1 && crate::setobject::PySet_Add(result, x) < 0) {
                return Err(());
            }
            Ok(None::<()>)
        });
        if r.is_err() {
            decref(result);
            return null_mut();
        }
        result
    }
}

/// `view.isdisjoint(other)`.
unsafe extern "C" fn view_isdisjoint(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view and object (method contract).
    unsafe {
        if op == other {
            return crate::boolobject::from_bool(view_length(op) == 0);
        }
        // Iterate the smaller side when the other one has a cheap length and containment.
        let other_sized = crate::setobject::is_anyset(other) || is_set_view(other);
        let (iter_over, probe) = if other_sized && crate::abstract_::size(other) > view_length(op) {
            (op, other)
        } else {
            (other, op)
        };
        let r = crate::abstract_::for_each(iter_over, |x| {
            let c = if probe == op {
                view_contains(op, x)
            } else {
                crate::abstract_::contains(probe, x)
            };
            match c {
                0 => Ok(None),
                1 => Ok(Some(())),
                _ => Err(()),
            }
        });
        match r {
            Ok(found) => crate::boolobject::from_bool(found.is_none()),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn view_reversed(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view (method contract).
    unsafe { new_reverse_iter(view_dict(op), part_of(crate::object::ty(op))) }
}

/// `view.mapping`: a read-only proxy of the view's dict.
unsafe extern "C" fn view_mapping(op: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live view (getter contract).
    unsafe { crate::descrobject::mappingproxy::PyDictProxy_New(view_dict(op)) }
}

static mut VIEW_GETSET: [crate::descrobject::PyGetSetDef; 2] = [
    crate::descrobject::PyGetSetDef {
        name: c"mapping".as_ptr(),
        get: Some(view_mapping),
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
    crate::descrobject::PyGetSetDef::END,
];

static mut SET_VIEW_METHODS: [PyMethodDef; 3] = [
    meth(
        c"isdisjoint",
        view_isdisjoint as Meth as *mut c_void,
        crate::methodobject::METH_O,
    ),
    meth(
        c"__reversed__",
        view_reversed as Meth as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

static mut VALUES_VIEW_METHODS: [PyMethodDef; 2] = [
    meth(
        c"__reversed__",
        view_reversed as Meth as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

/// `values()` views: no `__contains__` of their own (`in` iterates, as in CPython).
static mut VALUES_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(view_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: std::ptr::null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: std::ptr::null_mut(),
    sq_contains: None,
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut VIEW_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(view_length),
    sq_concat: None,
    sq_repeat: None,
    sq_item: None,
    was_sq_slice: std::ptr::null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: std::ptr::null_mut(),
    sq_contains: Some(view_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

const fn view_type(name: &'static std::ffi::CStr, set_like: bool) -> PyTypeObject {
    PyTypeObject {
        tp_dealloc: Some(iters::iter_dealloc),
        tp_repr: Some(view_repr),
        tp_iter: Some(view_iter),
        tp_as_sequence: if set_like {
            &raw mut VIEW_AS_SEQUENCE
        } else {
            &raw mut VALUES_AS_SEQUENCE
        },
        tp_as_number: if set_like {
            &raw mut VIEW_AS_NUMBER
        } else {
            null_mut()
        },
        tp_methods: if set_like {
            (&raw mut SET_VIEW_METHODS).cast()
        } else {
            (&raw mut VALUES_VIEW_METHODS).cast()
        },
        tp_getset: (&raw mut VIEW_GETSET).cast(),
        ..static_type(name, std::mem::size_of::<IterObject>(), 0, 0)
    }
}

#[export]
pub static mut PyDictKeys_Type: PyTypeObject = view_type(c"dict_keys", true);
#[export]
pub static mut PyDictValues_Type: PyTypeObject = view_type(c"dict_values", false);
#[export]
pub static mut PyDictItems_Type: PyTypeObject = view_type(c"dict_items", true);

/// Which part of the entries a view or iterator yields.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Keys,
    Values,
    Items,
}

unsafe fn part_of(t: *mut PyTypeObject) -> Part {
    // (subtypes too: `OrderedDict`'s views derive from these)
    // SAFETY: `t` is a view or iterator type.
    let sub = |b: *mut PyTypeObject| unsafe { crate::object::PyType_IsSubtype(t, b) == 1 };
    if t == &raw mut PyDictIterValue_Type || sub(&raw mut PyDictValues_Type) {
        Part::Values
    } else if t == &raw mut PyDictIterItem_Type || sub(&raw mut PyDictItems_Type) {
        Part::Items
    } else {
        Part::Keys
    }
}

unsafe fn dictiter_step(it: &mut iters::IterState, part: Part) -> Step {
    // SAFETY: `seq` is a live dict.
    unsafe {
        let d = it.seq;
        if len(d) != it.len0 {
            it.len0 = -1;
            return iters::runtime_error("dictionary changed size during iteration");
        }
        if !has_table(d) {
            return Step::End;
        }
        hold!(_g, d);
        let Some(t) = table(d) else { return Step::End };
        let mut i = it.index.max(0) as usize;
        while i < t.entries.len() {
            if let Some((_, k, v)) = t.entries[i] {
                it.index = i as Py_ssize_t;
                return Step::Item(entry_for(part, k, v));
            }
            i += 1;
        }
        Step::End
    }
}

unsafe extern "C" fn dictiter_keys(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictiter_step(it, Part::Keys)) }
}
unsafe extern "C" fn dictiter_values(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictiter_step(it, Part::Values)) }
}
unsafe extern "C" fn dictiter_items(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator (slot contract).
    unsafe { iters::iter_step(op, |it| dictiter_step(it, Part::Items)) }
}

unsafe fn new_dict_iter(d: *mut PyObject, part: Part) -> *mut PyObject {
    let t = match part {
        Part::Keys => &raw mut PyDictIterKey_Type,
        Part::Values => &raw mut PyDictIterValue_Type,
        Part::Items => &raw mut PyDictIterItem_Type,
    };
    // SAFETY: a live dict.
    unsafe { iters::new_iter(t, d, len(d)) }
}

unsafe extern "C" fn dict_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (slot contract).
    unsafe { new_dict_iter(op, Part::Keys) }
}

unsafe fn view_dict(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view.
    unsafe { (*op.cast::<IterObject>()).seq }
}

unsafe extern "C" fn view_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live view (slot contract).
    unsafe { len(view_dict(op)) }
}

unsafe extern "C" fn view_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view (slot contract).
    unsafe { new_dict_iter(view_dict(op), part_of(crate::object::ty(op))) }
}

unsafe extern "C" fn view_contains(op: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: a live view and object (slot contract).
    unsafe {
        let d = view_dict(op);
        match part_of(crate::object::ty(op)) {
            Part::Keys => dict_contains(d, x),
            Part::Items => {
                if !crate::tupleobject::is_tuple(x) || crate::tupleobject::items(x).len() != 2 {
                    return 0;
                }
                let [k, v] = [
                    crate::tupleobject::items(x)[0],
                    crate::tupleobject::items(x)[1],
                ];
                let found = get_ref(d, k);
                if found.is_null() {
                    return if crate::pyerrors::occurred() { -1 } else { 0 };
                }
                let r = iters::compare_bool(found, v, crate::object::Py_EQ);
                decref(found);
                r
            }
            Part::Values => {
                let snap = owned_entries(d);
                let mut r = 0;
                for &(_, v) in &snap {
                    r = iters::compare_bool(v, x, crate::object::Py_EQ);
                    if r != 0 {
                        break;
                    }
                }
                release_entries(snap);
                r
            }
        }
    }
}

unsafe extern "C" fn view_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live view (slot contract).
    unsafe {
        let name = crate::object::type_name(crate::object::ty(op));
        let l = list_of(view_dict(op), part_of(crate::object::ty(op)));
        if l.is_null() {
            return l;
        }
        let r = crate::iterobject::repr_all(&[l]);
        decref(l);
        match r {
            Some(r) => crate::unicodeobject::from_str(&format!("{name}({})", r[0])),
            None => null_mut(),
        }
    }
}

/// A new view of type `t` (a dict view type or a subtype) on the dict `d`.
pub(crate) unsafe fn new_view(d: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: a live dict; views share the iterator layout.
    unsafe { iters::new_iter(t, d, 0) }
}

/// A new list of the keys, values or `(key, value)` tuples.
unsafe fn list_of(d: *mut PyObject, part: Part) -> *mut PyObject {
    // SAFETY: a live dict; the references are taken under its section (making a tuple only
    // allocates).
    unsafe {
        let v = map_entries(d, |k, v| entry_for(part, k, v));
        if v.iter().any(|o| o.is_null()) {
            iters::release_all(v.into_iter().filter(|o| !o.is_null()).collect());
            return null_mut();
        }
        crate::listobject::from_vec(v)
    }
}

unsafe extern "C" fn dict_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("dict.__new__", null_mut(), || {
        // SAFETY: tp_new contract: a dict type, an argument tuple, NULL or a dict.
        unsafe {
            let Some(a) = iters::ctor_args("dict", args, kw, 1, true) else {
                return null_mut();
            };
            let d = crate::objimpl::alloc_object(t, 0);
            if d.is_null() {
                return d;
            }
            (*d.cast::<PyDictObject>()).ma_keys = Box::into_raw(Box::<Table>::default()).cast();
            if let Some(&x) = a.first() {
                let r = if is_dict(x) || {
                    let n = crate::unicodeobject::intern("keys");
                    let mut k = null_mut();
                    let found = crate::object::getattr_opt(x, n, &mut k);
                    crate::refcount::xdecref(k);
                    crate::pyerrors::clear();
                    found == 1
                } {
                    merge(d, x, 1)
                } else {
                    merge_seq2(d, x, true)
                };
                if r < 0 {
                    decref(d);
                    return null_mut();
                }
            }
            if !kw.is_null() && merge(d, kw, 1) < 0 {
                decref(d);
                return null_mut();
            }
            d
        }
    })
}

unsafe extern "C" fn dict_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live dict (slot contract).
    unsafe { len(op) }
}

unsafe extern "C" fn dict_contains(op: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !get_with_error(op, k).is_null() {
            1
        } else if crate::pyerrors::occurred() {
            -1
        } else {
            0
        }
    }
}

pub(crate) unsafe extern "C" fn dict_subscript(
    op: *mut PyObject,
    k: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let v = get_ref(op, k);
        if !v.is_null() {
            return v;
        }
        if !crate::pyerrors::occurred() {
            // A subclass's `__missing__` answers for an absent key (defaultdict, Counter).
            let t = crate::object::ty(op);
            if t != &raw mut PyDict_Type {
                let m =
                    crate::object::type_lookup_ref(t, crate::unicodeobject::intern("__missing__"));
                if !m.is_null() {
                    let r = crate::abstract_::call_args(m, &[op, k]);
                    decref(m);
                    return r;
                }
            }
            key_error(k);
        }
        null_mut()
    }
}

unsafe extern "C" fn dict_ass_subscript(
    op: *mut PyObject,
    k: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: live objects (slot contract); `v` NULL for deletion.
    unsafe {
        if v.is_null() {
            del_item(op, k)
        } else {
            set_item(op, k, v)
        }
    }
}

unsafe extern "C" fn dict_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if !is_dict(b) || (op != crate::object::Py_EQ && op != crate::object::Py_NE) {
            return iters::not_implemented();
        }
        let r = equal_dicts(a, b);
        if r < 0 {
            return null_mut();
        }
        crate::boolobject::from_bool((r == 1) == (op == crate::object::Py_EQ))
    }
}

unsafe fn equal_dicts(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live dicts.
    unsafe {
        if len(a) != len(b) {
            return 0;
        }
        let snap = owned_entries(a);
        let mut r = 1;
        for &(k, v) in &snap {
            let w = get_ref(b, k);
            if w.is_null() {
                r = if crate::pyerrors::occurred() { -1 } else { 0 };
                break;
            }
            r = iters::compare_bool(v, w, crate::object::Py_EQ);
            decref(w);
            if r != 1 {
                break;
            }
        }
        release_entries(snap);
        r
    }
}

/// `a.update(b)` for a mapping or an iterable of pairs; `override_` 0 keeps existing keys,
/// 2 raises on duplicates (as `PyDict_Merge`'s `override`).
unsafe fn merge(a: *mut PyObject, b: *mut PyObject, override_: c_int) -> c_int {
    // SAFETY: live objects.
    unsafe {
        if is_dict(b) {
            let snap = owned_entries(b);
            let mut r = 0;
            for &(k, v) in &snap {
                if override_ != 1 {
                    let cur = get_with_error(a, k);
                    if !cur.is_null() {
                        if override_ == 2 {
                            key_error(k);
                            r = -1;
                            break;
                        }
                        continue;
                    }
                    if crate::pyerrors::occurred() {
                        r = -1;
                        break;
                    }
                }
                if set_item(a, k, v) < 0 {
                    r = -1;
                    break;
                }
            }
            release_entries(snap);
            return r;
        }
        // A mapping with keys() and __getitem__.
        let keys_name = crate::unicodeobject::intern("keys");
        let keys_fn = crate::object::getattr(b, keys_name);
        if keys_fn.is_null() {
            return -1;
        }
        let keys = iters::call_no_args(keys_fn);
        decref(keys_fn);
        if keys.is_null() {
            return -1;
        }
        let ks = iters::collect(keys);
        decref(keys);
        let Ok(ks) = ks else { return -1 };
        let mut r = 0;
        let getitem = (*crate::object::ty(b))
            .tp_as_mapping
            .as_ref()
            .and_then(|m| m.mp_subscript);
        for &k in &ks {
            if override_ != 1 && !get_with_error(a, k).is_null() {
                if override_ == 2 {
                    key_error(k);
                    r = -1;
                    break;
                }
                continue;
            }
            let Some(gi) = getitem else {
                r = -1;
                crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_TypeError,
                    "object is not subscriptable",
                );
                break;
            };
            let v = crate::extcall::binary(gi, b, k);
            if v.is_null() {
                r = -1;
                break;
            }
            let s = set_item(a, k, v);
            decref(v);
            if s < 0 {
                r = -1;
                break;
            }
        }
        iters::release_all(ks);
        r
    }
}

/// `PyDict_MergeFromSeq2`: pairs from an iterable of 2-item iterables.
unsafe fn merge_seq2(a: *mut PyObject, seq: *mut PyObject, override_: bool) -> c_int {
    // SAFETY: live objects.
    unsafe {
        let Ok(items) = iters::collect(seq) else {
            return -1;
        };
        let mut r = 0;
        for (n, &item) in items.iter().enumerate() {
            let pair = match iters::collect(item) {
                Ok(p) => p,
                Err(()) => {
                    if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_TypeError) {
                        crate::pyerrors::clear();
                        // CPython 3.14's text (3.11: "cannot convert dictionary update
                        // sequence element #N to a sequence")
                        crate::pyerrors::raise(
                            &raw mut crate::pyerrors::EXC_TypeError,
                            "object is not iterable",
                        );
                    }
                    r = -1;
                    break;
                }
            };
            if pair.len() != 2 {
                crate::pyerrors::raise(
                    &raw mut crate::pyerrors::EXC_ValueError,
                    &format!(
                        "dictionary update sequence element #{n} has length {}; 2 is required",
                        pair.len()
                    ),
                );
                iters::release_all(pair);
                r = -1;
                break;
            }
            let skip = !override_ && !get_with_error(a, pair[0]).is_null();
            let s = if skip {
                0
            } else {
                set_item(a, pair[0], pair[1])
            };
            iters::release_all(pair);
            if s < 0 || crate::pyerrors::occurred() {
                r = -1;
                break;
            }
        }
        iters::release_all(items);
        r
    }
}

/// A shallow copy.
///
/// # Safety
/// `d` must be a live dict.
pub(crate) unsafe fn copy(d: *mut PyObject) -> *mut PyObject {
    let c = new_dict();
    // SAFETY: forwarded contract; `c` is fresh.
    unsafe {
        if !c.is_null() && merge(c, d, 1) < 0 {
            decref(c);
            return null_mut();
        }
    }
    c
}

/// `setdefault` in one critical section on the dict (the lookup and the insertion cannot be
/// separated by another thread's insertion of the same key): `Ok((value, inserted))`, the
/// value present or `default` after inserting it, a new reference when `new_ref_out`
/// (borrowed otherwise, as `PyDict_SetDefault`'s).
unsafe fn setdefault_in(
    d: *mut PyObject,
    k: *mut PyObject,
    default: *mut PyObject,
    new_ref_out: bool,
) -> Result<(*mut PyObject, bool), ()> {
    // SAFETY: live objects.
    unsafe {
        let h = key_hash(k, DICT_KEY);
        if h == -1 {
            return Err(());
        }
        if !has_table(d) {
            crate::pyerrors::bad_internal_call();
            return Err(());
        }
        hold!(_g, d);
        let _inv = crate::typeobject::cache::watch(d);
        // `find` may run `__eq__` (the section suspendable, the lookup restarted when the table
        // changed); from its answer to the insertion nothing detaches.
        let found = find(d, k, h)?;
        let Some(t) = table(d) else { return Err(()) };
        let (v, inserted) = match found {
            Some(i) => (t.entries[i].map_or(null_mut(), |e| e.2), false),
            None => {
                let _w = Writing::begin(d);
                t.push(h, new_ref(k), new_ref(default));
                sync_used(d, t);
                (default, true)
            }
        };
        if new_ref_out {
            crate::refcount::xincref(v);
        }
        Ok((v, inserted))
    }
}

/// `setdefault`: the value present or `default` after inserting it (borrowed).
unsafe fn setdefault(d: *mut PyObject, k: *mut PyObject, default: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { setdefault_in(d, k, default, false).map_or(null_mut(), |(v, _)| v) }
}

unsafe extern "C" fn m_keys(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe { new_view(op, &raw mut PyDictKeys_Type) }
}
unsafe extern "C" fn m_values(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe { new_view(op, &raw mut PyDictValues_Type) }
}
unsafe extern "C" fn m_items(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe { new_view(op, &raw mut PyDictItems_Type) }
}
unsafe extern "C" fn m_copy(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe { copy(op) }
}
unsafe extern "C" fn m_clear(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict (method contract).
    unsafe {
        PyDict_Clear(op);
        crate::object::new_none()
    }
}
/// `dict.update([other], **kwargs)` (METH_VARARGS | METH_KEYWORDS).
unsafe extern "C" fn m_update(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (method contract): a tuple and NULL or a dict.
    unsafe {
        let items = crate::tupleobject::items(args);
        if !nargs_ok("update", items.len() as Py_ssize_t, 0, 1) {
            return null_mut();
        }
        if let Some(&b) = items.first()
            && update_from(op, b) < 0
        {
            return null_mut();
        }
        if !kw.is_null() && merge(op, kw, 1) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

/// `d.update(b)` for one positional argument: a mapping (has `keys`) or pairs; -1 on error.
unsafe fn update_from(op: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live objects (method contract).
    unsafe {
        let has_keys = is_dict(b) || {
            let n = crate::unicodeobject::intern("keys");
            let mut k = null_mut();
            let r = crate::object::getattr_opt(b, n, &mut k);
            crate::refcount::xdecref(k);
            crate::pyerrors::clear();
            r == 1
        };
        if has_keys {
            merge(op, b, 1)
        } else {
            merge_seq2(op, b, true)
        }
    }
}

unsafe fn nargs_ok(name: &str, n: Py_ssize_t, lo: Py_ssize_t, hi: Py_ssize_t) -> bool {
    crate::getargs::check_positional(Some(name), n, lo, hi)
}

unsafe extern "C" fn m_get(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: a live dict and `n` live arguments (method contract).
    unsafe {
        if !nargs_ok("get", n, 1, 2) {
            return null_mut();
        }
        let v = get_ref(op, *args);
        if !v.is_null() {
            return v;
        }
        if crate::pyerrors::occurred() {
            return null_mut();
        }
        if n == 2 {
            new_ref(*args.add(1))
        } else {
            crate::object::new_none()
        }
    }
}

unsafe extern "C" fn m_pop(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: as m_get.
    unsafe {
        if !nargs_ok("pop", n, 1, 2) {
            return null_mut();
        }
        match pop(op, *args) {
            Err(()) => null_mut(),
            Ok(Some(v)) => v,
            Ok(None) if n == 2 => new_ref(*args.add(1)),
            Ok(None) => {
                key_error(*args);
                null_mut()
            }
        }
    }
}

unsafe extern "C" fn m_setdefault(
    op: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: as m_get.
    unsafe {
        if !nargs_ok("setdefault", n, 1, 2) {
            return null_mut();
        }
        let default = if n == 2 {
            *args.add(1)
        } else {
            crate::object::none()
        };
        setdefault_in(op, *args, default, true).map_or(null_mut(), |(v, _)| v)
    }
}

// ---- more exported API ---------------------------------------------------------------------

#[export]
pub unsafe fn PyDict_Keys(d: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        list_of(d, Part::Keys)
    }
}

#[export]
pub unsafe fn PyDict_Values(d: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        list_of(d, Part::Values)
    }
}

#[export]
pub unsafe fn PyDict_Items(d: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        list_of(d, Part::Items)
    }
}

#[export]
pub unsafe fn PyDict_Copy(d: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live dict, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        copy(d)
    }
}

#[export]
pub unsafe fn PyDict_Update(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(a) || b.is_null() {
            if b.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            return -1;
        }
        merge(a, b, 1)
    }
}

#[export]
pub unsafe fn PyDict_Merge(a: *mut PyObject, b: *mut PyObject, over: c_int) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(a) || b.is_null() {
            if b.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            return -1;
        }
        merge(a, b, if over != 0 { 1 } else { 0 })
    }
}

#[export]
pub unsafe fn PyDict_MergeFromSeq2(a: *mut PyObject, seq: *mut PyObject, over: c_int) -> c_int {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(a) || seq.is_null() {
            if seq.is_null() {
                crate::pyerrors::bad_internal_call();
            }
            return -1;
        }
        merge_seq2(a, seq, over != 0)
    }
}

#[export]
pub unsafe fn PyDict_SetDefault(
    d: *mut PyObject,
    k: *mut PyObject,
    default: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !check(d) {
            return null_mut();
        }
        setdefault(d, k, default)
    }
}

#[export]
pub unsafe fn PyDict_SetDefaultRef(
    d: *mut PyObject,
    k: *mut PyObject,
    default: *mut PyObject,
    result: *mut *mut PyObject,
) -> c_int {
    // SAFETY: live objects and NULL or a writable result, per the C API contract.
    unsafe {
        let put = |v: *mut PyObject| {
            if !result.is_null() {
                *result = v;
            }
        };
        put(null_mut());
        if !check(d) {
            return -1;
        }
        match setdefault_in(d, k, default, !result.is_null()) {
            Err(()) => -1,
            Ok((v, inserted)) => {
                put(v);
                if inserted { 0 } else { 1 }
            }
        }
    }
}

#[export]
pub unsafe fn PyDict_Pop(d: *mut PyObject, k: *mut PyObject, result: *mut *mut PyObject) -> c_int {
    // SAFETY: live objects and NULL or a writable result, per the C API contract.
    unsafe {
        if !result.is_null() {
            *result = null_mut();
        }
        if !check(d) {
            return -1;
        }
        match pop(d, k) {
            Err(()) => -1,
            Ok(None) => 0,
            Ok(Some(v)) => {
                if result.is_null() {
                    decref(v);
                } else {
                    *result = v;
                }
                1
            }
        }
    }
}

#[export]
pub unsafe fn PyDict_PopString(
    d: *mut PyObject,
    k: *const c_char,
    result: *mut *mut PyObject,
) -> c_int {
    // SAFETY: as PyDict_Pop with a C string key.
    unsafe {
        if !result.is_null() {
            *result = null_mut();
        }
        with_key(k, -1, |key| PyDict_Pop(d, key, result))
    }
}

// ---- dict.fromkeys / dict.popitem ---------------------------------------------------------------

/// `dict.fromkeys(iterable, value=None, /)` (a class method: a subclass gets an instance of
/// itself, filled through `__setitem__` when it is not an exact dict).
unsafe fn m_fromkeys(cls: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    if !crate::unicodeobject::methods::nargs("fromkeys", a.len() as Py_ssize_t, 1, 2) {
        return null_mut();
    }
    // SAFETY: METH_FASTCALL | METH_CLASS: a live class and live arguments.
    unsafe {
        let v = a.get(1).copied().unwrap_or(crate::object::none());
        let d = crate::abstract_::call_args(cls, &[]);
        if d.is_null() {
            return d;
        }
        let keys = match crate::iterobject::collect(a[0]) {
            Ok(k) => k,
            Err(()) => {
                decref(d);
                return null_mut();
            }
        };
        let exact = crate::object::ty(d) == &raw mut PyDict_Type;
        for &k in &keys {
            let r = if exact {
                PyDict_SetItem(d, k, v)
            } else {
                crate::abstract_::PyObject_SetItem(d, k, v)
            };
            if r < 0 {
                crate::iterobject::release_all(keys);
                decref(d);
                return null_mut();
            }
        }
        crate::iterobject::release_all(keys);
        d
    }
}

/// `dict.popitem()`: removes and returns the last (key, value) pair.
unsafe fn m_popitem(d: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS on a live dict.
    unsafe {
        // the last entry, its references taken while the dict still holds its own (so the
        // ones given back on the way never free anything)
        let mut last: Option<(*mut PyObject, *mut PyObject)> = None;
        map_entries(d, |k, v| {
            if let Some((pk, pv)) = last.replace((new_ref(k), new_ref(v))) {
                decref(pk);
                decref(pv);
            }
        });
        let Some((k, v)) = last else {
            let msg = crate::unicodeobject::from_str("popitem(): dictionary is empty");
            crate::pyerrors::set_object((&raw mut crate::pyerrors::EXC_KeyError).cast(), msg);
            crate::refcount::xdecref(msg);
            return null_mut();
        };
        if del_item(d, k) < 0 {
            decref(k);
            decref(v);
            return null_mut();
        }
        crate::bytes_methods::own_tuple(&[k, v])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unicodeobject::from_str;

    #[test]
    fn insertion_order_update_delete() {
        let d = new_dict();
        // SAFETY: fresh objects owned by the test.
        unsafe {
            for (i, k) in ["b", "a", "c"].iter().enumerate() {
                let v = crate::longobject::from_i128(i as i128);
                assert_eq!(set_item_str(d, k, v), 0);
                decref(v);
            }
            assert_eq!((*d.cast::<PyDictObject>()).ma_used, 3);
            let one = crate::longobject::from_i128(1);
            let key = from_str("a");
            assert!(crate::object::eq(get(d, key), one) == 1);
            assert_eq!(del_item(d, key), 0);
            assert_eq!(len(d), 2);
            assert_eq!(del_item(d, key), -1);
            let e = crate::pyerrors::take_exception().unwrap();
            assert_eq!(
                (e.type_name.as_str(), e.message.as_str()),
                ("KeyError", "'a'")
            );
            let keys: Vec<String> = entries(d)
                .iter()
                .map(|&(k, _)| crate::object::str_string(k))
                .collect();
            assert_eq!(keys, ["b", "c"]);
            let mut pos = 0;
            let (mut k, mut v) = (null_mut(), null_mut());
            let mut n = 0;
            while PyDict_Next(d, &mut pos, &mut k, &mut v) != 0 {
                n += 1;
            }
            assert_eq!(n, 2);
            decref(key);
            decref(one);
            decref(d);
        }
    }

    /// Inserts, deletes and re-inserts against a model kept in Rust: lookups, `ma_used` and
    /// the `PyDict_Next` order (insertion order, a re-inserted key goes last) must agree
    /// through index growth, tombstones and compaction.
    #[test]
    fn open_addressing_index_against_a_model() {
        // SAFETY: fresh objects owned by the test.
        unsafe {
            let d = new_dict();
            let mut model: Vec<(i128, i128)> = Vec::new();
            let key = |k: i128| crate::longobject::from_i128(k);
            let mut step = 0i128;
            for round in 0..6 {
                for i in 0..300i128 {
                    // -1 and -2 share a hash (-2): collisions stay distinct keys.
                    let k = (i * 7 + round) % 257 - 2;
                    step += 1;
                    let (kk, vv) = (key(k), key(step));
                    assert_eq!(set_item(d, kk, vv), 0);
                    decref(kk);
                    decref(vv);
                    match model.iter_mut().find(|e| e.0 == k) {
                        Some(e) => e.1 = step,
                        None => model.push((k, step)),
                    }
                    if i % 3 == 0 {
                        let victim = (i * 5 + round) % 257 - 2;
                        let kk = key(victim);
                        let r = pop(d, kk).unwrap();
                        decref(kk);
                        match model.iter().position(|e| e.0 == victim) {
                            Some(p) => {
                                model.remove(p);
                                decref(r.expect("present"));
                            }
                            None => assert!(r.is_none()),
                        }
                    }
                }
                assert_eq!(len(d), model.len() as Py_ssize_t);
                let got: Vec<(i128, i128)> = entries(d)
                    .iter()
                    .map(|&(k, v)| {
                        (
                            crate::object::str_string(k).parse().unwrap(),
                            crate::object::str_string(v).parse().unwrap(),
                        )
                    })
                    .collect();
                assert_eq!(got, model);
                for &(k, v) in &model {
                    let kk = key(k);
                    let got = get_with_error(d, kk);
                    decref(kk);
                    assert!(!got.is_null(), "{k} missing");
                    assert_eq!(crate::object::str_string(got), v.to_string());
                }
                let kk = key(100_000);
                assert!(get_with_error(d, kk).is_null());
                decref(kk);
            }
            PyDict_Clear(d);
            assert_eq!(len(d), 0);
            let (kk, vv) = (key(-1), key(-2));
            assert_eq!(set_item(d, kk, vv), 0);
            assert_eq!(set_item(d, vv, kk), 0);
            assert_eq!(len(d), 2);
            assert_eq!(crate::object::str_string(get(d, kk)), "-2");
            assert_eq!(crate::object::str_string(get(d, vv)), "-1");
            decref(kk);
            decref(vv);
            decref(d);
        }
    }
}

/// `_PyDict_NewPresized`: a new empty dict (gilgate's dicts grow as needed; the size hint only
/// saves CPython resizes).
#[export]
pub fn _PyDict_NewPresized(_minused: Py_ssize_t) -> *mut PyObject {
    new_dict()
}

/// `_PyDict_GetItem_KnownHash`: the value for `key` (borrowed), NULL without an error when
/// absent. gilgate's dicts hash the key themselves; the caller's hash is `hash(key)` by the
/// function's contract.
#[export]
pub unsafe fn _PyDict_GetItem_KnownHash(
    d: *mut PyObject,
    k: *mut PyObject,
    _hash: crate::pyport::Py_hash_t,
) -> *mut PyObject {
    // SAFETY: live objects, per the C API contract.
    unsafe {
        if !is_dict(d) {
            return crate::pyerrors::bad_internal_call();
        }
        get_with_error(d, k)
    }
}
