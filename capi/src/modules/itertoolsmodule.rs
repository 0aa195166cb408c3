//! gilgate's own `itertools` module (CPython's `Modules/itertoolsmodule.c`, written natively):
//! every iterator type of CPython 3.14 (`accumulate` ... `zip_longest`, with `_grouper`,
//! `_tee` and `_tee_dataobject`) and the `tee` function.
//!
//! All the types share one layout, [`Iter`]: the object header and a pointer to a Rust
//! [`State`] (one variant per type). A step takes the state out of the object (an atomic swap
//! with NULL) under the object's critical section and puts it back afterwards, so no two
//! threads ever work on one state: a thread that finds the state out while another thread
//! steps (whose section was suspended by a call that detached) waits detached and retries; the
//! same thread finding it out (a call back into the iterator from inside its own step) gets
//! RuntimeError (CPython's tee text for tee objects). As in 3.14, pickling and `copy` support
//! were removed from the types (only `_tee.__copy__` remains).

use crate::abc::Obj;
use crate::bytes_methods::def;
use crate::critical_section::hold;
use crate::methodobject::PyMethodDef;
use crate::object::{Py_TPFLAGS_BASETYPE, PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_RuntimeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, new_ref};
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// Values a `_tee_dataobject` holds before linking to the next one (CPython's `LINKCELLS`).
const LINKCELLS: usize = 57;

/// The layout of every itertools object.
#[repr(C)]
struct Iter {
    ob_base: PyObject,
    /// The state (`Box::into_raw`), NULL while a step has it out.
    state: AtomicPtr<State>,
    /// The thread stepping while the state is out (0 when none).
    owner: AtomicUsize,
    /// Weak references (only `_tee` has `tp_weaklistoffset`, as in CPython).
    weakreflist: *mut PyObject,
}

/// One itertools object's state.
enum State {
    Accumulate {
        it: Obj,
        func: Option<Obj>,
        total: Option<Obj>,
        initial: Option<Obj>,
    },
    Batched {
        it: Option<Obj>,
        n: usize,
        strict: bool,
    },
    Chain {
        source: Option<Obj>,
        active: Option<Obj>,
    },
    Combinations {
        pool: Vec<Obj>,
        indices: Vec<usize>,
        r: usize,
        started: bool,
        stopped: bool,
        replace: bool,
    },
    Compress {
        data: Obj,
        selectors: Obj,
    },
    Count {
        cnt: Obj,
        step: Obj,
    },
    Cycle {
        it: Option<Obj>,
        saved: Vec<Obj>,
        index: usize,
    },
    DropWhile {
        func: Obj,
        it: Obj,
        started: bool,
    },
    FilterFalse {
        func: Obj,
        it: Obj,
    },
    GroupBy {
        it: Obj,
        keyfunc: Option<Obj>,
        tgtkey: Option<Obj>,
        currkey: Option<Obj>,
        currvalue: Option<Obj>,
        /// The address of the current `_grouper` (identity only, never dereferenced).
        currgrouper: usize,
    },
    Grouper {
        parent: Obj,
        tgtkey: Obj,
    },
    ISlice {
        it: Option<Obj>,
        next: Py_ssize_t,
        stop: Py_ssize_t,
        step: Py_ssize_t,
        cnt: Py_ssize_t,
    },
    Pairwise {
        it: Option<Obj>,
        old: Option<Obj>,
    },
    Permutations {
        pool: Vec<Obj>,
        indices: Vec<usize>,
        cycles: Vec<usize>,
        r: usize,
        started: bool,
        stopped: bool,
    },
    Product {
        pools: Vec<Vec<Obj>>,
        indices: Vec<usize>,
        started: bool,
        stopped: bool,
    },
    Repeat {
        element: Obj,
        /// -1: forever.
        cnt: Py_ssize_t,
    },
    StarMap {
        func: Obj,
        it: Obj,
    },
    TakeWhile {
        func: Obj,
        it: Obj,
        stopped: bool,
    },
    Tee {
        data: Obj,
        index: usize,
    },
    TeeData {
        it: Obj,
        values: Vec<Obj>,
        next: Option<Obj>,
    },
    ZipLongest {
        its: Vec<Option<Obj>>,
        active: usize,
        fill: Obj,
    },
}

// ---- small helpers ---------------------------------------------------------------------------

/// `next(it)`: Ok(None) when exhausted (StopIteration cleared), Err with the exception set.
///
/// # Safety
/// `it` must be a live iterator.
unsafe fn next_of(it: *mut PyObject) -> Result<Option<Obj>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let v = crate::abstract_::PyIter_Next(it);
        if !v.is_null() {
            Ok(Some(Obj::new(v)))
        } else if crate::pyerrors::PyErr_Occurred().is_null() {
            Ok(None)
        } else {
            Err(())
        }
    }
}

/// Wraps a new reference: Err when NULL (an exception is set).
fn ok(p: *mut PyObject) -> Result<Obj, ()> {
    if p.is_null() {
        Err(())
    } else {
        Ok(Obj::new(p))
    }
}

/// `iter(o)`.
///
/// # Safety
/// `o` must be a live object.
unsafe fn iter_of(o: *mut PyObject) -> Result<Obj, ()> {
    // SAFETY: forwarded contract.
    ok(unsafe { crate::abstract_::PyObject_GetIter(o) })
}

/// `bool(o)`: Err with the exception set.
///
/// # Safety
/// `o` must be a live object.
unsafe fn truth(o: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: forwarded contract.
    match unsafe { crate::object::PyObject_IsTrue(o) } {
        r if r < 0 => Err(()),
        r => Ok(r != 0),
    }
}

/// `f(arg)`.
///
/// # Safety
/// Both must be live objects.
unsafe fn call1(f: *mut PyObject, arg: *mut PyObject) -> Result<Obj, ()> {
    // SAFETY: forwarded contract.
    ok(unsafe { crate::abstract_::PyObject_CallOneArg(f, arg) })
}

/// The items of `o` as owned references (`tuple(o)`).
///
/// # Safety
/// `o` must be a live object.
unsafe fn pool_of(o: *mut PyObject) -> Result<Vec<Obj>, ()> {
    // SAFETY: forwarded contract; the tuple's items are live while it is.
    unsafe {
        let t = ok(crate::abstract_::PySequence_Tuple(o))?;
        Ok(crate::tupleobject::items(t.ptr())
            .iter()
            .map(|&p| Obj::borrowed(p))
            .collect())
    }
}

/// A new tuple of new references to `items`.
///
/// # Safety
/// Each must be live.
unsafe fn tuple_of(items: &[*mut PyObject]) -> Result<Obj, ()> {
    // SAFETY: forwarded contract.
    ok(unsafe { crate::collections::tuple_of(items) })
}

/// `o` as a C `Py_ssize_t` (argument clinic's `Py_ssize_t` converter).
///
/// # Safety
/// `o` must be a live object.
unsafe fn ssize(o: *mut PyObject) -> Result<Py_ssize_t, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let i = ok(crate::abstract_::PyNumber_Index(o))?;
        let v = crate::longobject::PyLong_AsSsize_t(i.ptr());
        if v == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
            Err(())
        } else {
            Ok(v)
        }
    }
}

/// An empty vector with room for `n` items (CPython allocates its index arrays when the
/// object is made): MemoryError when that cannot be had.
fn reserved<T>(n: usize) -> Result<Vec<T>, ()> {
    let mut v = Vec::new();
    if v.try_reserve_exact(n).is_err() {
        crate::pyerrors::no_memory();
        return Err(());
    }
    Ok(v)
}

/// `None` as an option.
fn some_unless_none(p: *mut PyObject) -> Option<Obj> {
    (!p.is_null() && p != crate::object::none()).then(|| Obj::borrowed(p))
}

/// The positional arguments of a `tp_new` call, checked as argument clinic checks a
/// positional-only signature (`NAME expected N arguments, got M`; keywords refused for the
/// exact type).
///
/// # Safety
/// `args` a tuple, `kw` NULL or a dict, `t` a live type.
unsafe fn positional<'a>(
    t: *mut PyTypeObject,
    base: *mut PyTypeObject,
    name: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    min: usize,
    max: usize,
) -> Option<&'a [*mut PyObject]> {
    // SAFETY: forwarded contract.
    unsafe {
        if t == base && !crate::collections::no_keywords(name, kw) {
            return None;
        }
        let a = crate::tupleobject::items(args);
        if !crate::getargs::check_positional(
            Some(name),
            a.len() as Py_ssize_t,
            min as Py_ssize_t,
            max as Py_ssize_t,
        ) {
            return None;
        }
        Some(a)
    }
}

/// An identity for the calling thread.
fn me() -> usize {
    crate::refcount::thread_id()
}

/// Runs `f` on the state of `op` (see the module's doc): Err with an exception set.
///
/// # Safety
/// `op` must be a live itertools object.
unsafe fn with_state<R>(
    op: *mut PyObject,
    f: impl FnOnce(&mut State) -> Result<R, ()>,
) -> Result<R, ()> {
    // SAFETY: `op` is a live `Iter` (caller); the state pointer is owned by whoever swapped it
    // out, so `f` has it alone.
    unsafe {
        let it = &*op.cast::<Iter>();
        loop {
            hold!(g, op);
            let p = it.state.swap(null_mut(), Ordering::AcqRel);
            if !p.is_null() {
                it.owner.store(me(), Ordering::Release);
                let r = f(&mut *p);
                it.owner.store(0, Ordering::Release);
                it.state.store(p, Ordering::Release);
                drop(g);
                return r;
            }
            if it.owner.load(Ordering::Acquire) == me() {
                drop(g);
                let msg = if crate::object::ty(op) == &raw mut Tee_Type
                    || crate::object::ty(op) == &raw mut TeeData_Type
                {
                    "cannot re-enter the tee iterator".to_string()
                } else {
                    format!(
                        "gilgate: {} iterator re-entered from its own step",
                        crate::object::type_name(crate::object::ty(op))
                    )
                };
                raise(&raw mut EXC_RuntimeError, &msg);
                return Err(());
            }
            drop(g);
            crate::host::allow_threads(std::thread::yield_now);
        }
    }
}

/// A new object of type `t` holding `state`.
///
/// # Safety
/// `t` must be one of this module's types or a subtype.
unsafe fn make(t: *mut PyTypeObject, state: State) -> *mut PyObject {
    // SAFETY: forwarded contract; the object is fresh and zeroed past its header.
    unsafe {
        let op = crate::objimpl::alloc_object(t, 0);
        if op.is_null() {
            return op;
        }
        let it = &*op.cast::<Iter>();
        it.state
            .store(Box::into_raw(Box::new(state)), Ordering::Release);
        op
    }
}

fn done(r: Result<Obj, ()>) -> *mut PyObject {
    match r {
        Ok(o) => o.into_raw(),
        Err(()) => null_mut(),
    }
}

unsafe extern "C" fn it_dealloc(op: *mut PyObject) {
    // SAFETY: a dead itertools object (slot contract): nobody else holds it.
    unsafe {
        let it = &*op.cast::<Iter>();
        if !it.weakreflist.is_null() {
            crate::weakrefobject::PyObject_ClearWeakRefs(op);
        }
        let p = it.state.swap(null_mut(), Ordering::AcqRel);
        if !p.is_null() {
            let mut st = Box::from_raw(p);
            // a long chain of tee data objects is unlinked here, not by recursion
            if let State::TeeData { next, .. } = &mut *st {
                let mut link = next.take();
                while let Some(l) = link {
                    if crate::refcount::refcnt(l.ptr()) != 1 {
                        break;
                    }
                    let lp = (*l.ptr().cast::<Iter>()).state.load(Ordering::Acquire);
                    link = match lp.as_mut() {
                        Some(State::TeeData { next, .. }) => next.take(),
                        _ => None,
                    };
                    drop(l);
                }
            }
            drop(st);
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn iter_self(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { new_ref(op) }
}

unsafe extern "C" fn it_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("itertools.__next__", null_mut(), || {
        // SAFETY: tp_iternext on a live itertools object.
        unsafe {
            match with_state(op, |st| step(op, st)) {
                Ok(Some(v)) => v.into_raw(),
                _ => null_mut(),
            }
        }
    })
}

// ---- the steps --------------------------------------------------------------------------------

/// One `next()`: Ok(None) when exhausted.
///
/// # Safety
/// `op` is the live object whose state `st` is.
unsafe fn step(op: *mut PyObject, st: &mut State) -> Result<Option<Obj>, ()> {
    // SAFETY: every object in the state is owned by it and live.
    unsafe {
        match st {
            State::Accumulate {
                it,
                func,
                total,
                initial,
            } => {
                if let Some(i) = initial.take() {
                    *total = Some(Obj::borrowed(i.ptr()));
                    return Ok(Some(i));
                }
                let Some(v) = next_of(it.ptr())? else {
                    return Ok(None);
                };
                let new = match total {
                    None => v,
                    Some(t) => match func {
                        None => ok(crate::abstract_::PyNumber_Add(t.ptr(), v.ptr()))?,
                        Some(f) => {
                            let a = [t.ptr(), v.ptr()];
                            ok(crate::abstract_::PyObject_Vectorcall(
                                f.ptr(),
                                a.as_ptr(),
                                2,
                                null_mut(),
                            ))?
                        }
                    },
                };
                *total = Some(Obj::borrowed(new.ptr()));
                Ok(Some(new))
            }
            State::Batched { it, n, strict } => {
                let Some(i) = it.as_ref().map(|i| i.ptr()) else {
                    return Ok(None);
                };
                let mut items: Vec<Obj> = Vec::with_capacity((*n).min(1024));
                while items.len() < *n {
                    match next_of(i).inspect_err(|_| *it = None)? {
                        Some(v) => items.push(v),
                        None => break,
                    }
                }
                if items.is_empty() {
                    *it = None;
                    return Ok(None);
                }
                if items.len() < *n && *strict {
                    *it = None;
                    raise(&raw mut EXC_ValueError, "batched(): incomplete batch");
                    return Err(());
                }
                let ptrs: Vec<*mut PyObject> = items.iter().map(|o| o.ptr()).collect();
                Ok(Some(tuple_of(&ptrs)?))
            }
            State::Chain { source, active } => {
                while let Some(s) = source.as_ref().map(|s| s.ptr()) {
                    if active.is_none() {
                        let Some(iterable) = next_of(s).inspect_err(|_| *source = None)? else {
                            *source = None;
                            return Ok(None);
                        };
                        match iter_of(iterable.ptr()) {
                            Ok(a) => *active = Some(a),
                            Err(()) => {
                                *source = None;
                                return Err(());
                            }
                        }
                    }
                    let a = active.as_ref().map_or(null_mut(), |a| a.ptr());
                    if let Some(v) = next_of(a)? {
                        return Ok(Some(v));
                    }
                    *active = None;
                }
                Ok(None)
            }
            State::Combinations {
                pool,
                indices,
                r,
                started,
                stopped,
                replace,
            } => {
                if *stopped {
                    return Ok(None);
                }
                let n = pool.len();
                let r = *r;
                if !*started {
                    *started = true;
                    if (!*replace && r > n) || (*replace && n == 0 && r > 0) {
                        *stopped = true;
                        return Ok(None);
                    }
                    if *replace {
                        indices.extend(std::iter::repeat_n(0, r));
                    } else {
                        indices.extend(0..r);
                    }
                } else if *replace {
                    let Some(i) = (0..r).rev().find(|&i| indices[i] != n - 1) else {
                        *stopped = true;
                        return Ok(None);
                    };
                    let v = indices[i] + 1;
                    for x in &mut indices[i..] {
                        *x = v;
                    }
                } else {
                    let Some(i) = (0..r).rev().find(|&i| indices[i] != i + n - r) else {
                        *stopped = true;
                        return Ok(None);
                    };
                    indices[i] += 1;
                    for j in i + 1..r {
                        indices[j] = indices[j - 1] + 1;
                    }
                }
                let ptrs: Vec<*mut PyObject> = indices.iter().map(|&i| pool[i].ptr()).collect();
                Ok(Some(tuple_of(&ptrs)?))
            }
            State::Compress { data, selectors } => loop {
                let Some(d) = next_of(data.ptr())? else {
                    return Ok(None);
                };
                let Some(s) = next_of(selectors.ptr())? else {
                    return Ok(None);
                };
                if truth(s.ptr())? {
                    return Ok(Some(d));
                }
            },
            State::Count { cnt, step, .. } => {
                let next = ok(crate::abstract_::PyNumber_Add(cnt.ptr(), step.ptr()))?;
                Ok(Some(std::mem::replace(cnt, next)))
            }
            State::Cycle { it, saved, index } => {
                if let Some(i) = it.as_ref().map(|i| i.ptr()) {
                    if let Some(v) = next_of(i)? {
                        saved.push(Obj::borrowed(v.ptr()));
                        return Ok(Some(v));
                    }
                    *it = None;
                }
                if saved.is_empty() {
                    return Ok(None);
                }
                let v = Obj::borrowed(saved[*index].ptr());
                *index = (*index + 1) % saved.len();
                Ok(Some(v))
            }
            State::DropWhile { func, it, started } => loop {
                let Some(v) = next_of(it.ptr())? else {
                    return Ok(None);
                };
                if *started {
                    return Ok(Some(v));
                }
                let good = call1(func.ptr(), v.ptr())?;
                if !truth(good.ptr())? {
                    *started = true;
                    return Ok(Some(v));
                }
            },
            State::FilterFalse { func, it } => loop {
                let Some(v) = next_of(it.ptr())? else {
                    return Ok(None);
                };
                let f = func.ptr();
                let t = if f == crate::object::none()
                    || f == (&raw mut crate::boolobject::PyBool_Type).cast()
                {
                    truth(v.ptr())?
                } else {
                    let good = call1(f, v.ptr())?;
                    truth(good.ptr())?
                };
                if !t {
                    return Ok(Some(v));
                }
            },
            State::GroupBy { .. } => groupby_next(op, st),
            State::Grouper { parent, tgtkey } => {
                let (p, k) = (parent.ptr(), tgtkey.ptr());
                with_state(p, |pst| grouper_next(op, k, pst))
            }
            State::ISlice {
                it,
                next,
                stop,
                step,
                cnt,
            } => {
                let Some(i) = it.as_ref().map(|i| i.ptr()) else {
                    return Ok(None);
                };
                while *cnt < *next {
                    if next_of(i).inspect_err(|_| *it = None)?.is_none() {
                        *it = None;
                        return Ok(None);
                    }
                    *cnt += 1;
                }
                if *stop != -1 && *cnt >= *stop {
                    *it = None;
                    return Ok(None);
                }
                let Some(v) = next_of(i).inspect_err(|_| *it = None)? else {
                    *it = None;
                    return Ok(None);
                };
                *cnt += 1;
                let old = *next;
                *next = next.wrapping_add(*step);
                if *next < old || (*stop != -1 && *next > *stop) {
                    *next = *stop;
                }
                Ok(Some(v))
            }
            State::Pairwise { it, old } => {
                let Some(i) = it.as_ref().map(|i| i.ptr()) else {
                    return Ok(None);
                };
                if old.is_none() {
                    match next_of(i) {
                        Ok(Some(v)) => *old = Some(v),
                        r => {
                            *it = None;
                            r?;
                            return Ok(None);
                        }
                    }
                }
                match next_of(i) {
                    Ok(Some(new)) => {
                        let o = old.as_ref().map_or(null_mut(), |o| o.ptr());
                        let t = tuple_of(&[o, new.ptr()])?;
                        *old = Some(new);
                        Ok(Some(t))
                    }
                    r => {
                        *it = None;
                        *old = None;
                        r?;
                        Ok(None)
                    }
                }
            }
            State::Permutations {
                pool,
                indices,
                cycles,
                r,
                started,
                stopped,
            } => {
                if *stopped {
                    return Ok(None);
                }
                let n = pool.len();
                let r = *r;
                if !*started {
                    *started = true;
                    if r > n {
                        *stopped = true;
                        return Ok(None);
                    }
                    indices.extend(0..n);
                    cycles.extend((0..r).map(|i| n - i));
                } else {
                    if n == 0 {
                        *stopped = true;
                        return Ok(None);
                    }
                    let mut found = false;
                    for i in (0..r).rev() {
                        cycles[i] -= 1;
                        if cycles[i] == 0 {
                            let first = indices[i];
                            indices.copy_within(i + 1.., i);
                            indices[n - 1] = first;
                            cycles[i] = n - i;
                        } else {
                            let j = cycles[i];
                            indices.swap(i, n - j);
                            found = true;
                            break;
                        }
                    }
                    if !found {
                        *stopped = true;
                        return Ok(None);
                    }
                }
                let ptrs: Vec<*mut PyObject> =
                    indices[..r].iter().map(|&i| pool[i].ptr()).collect();
                Ok(Some(tuple_of(&ptrs)?))
            }
            State::Product {
                pools,
                indices,
                started,
                stopped,
            } => {
                if *stopped {
                    return Ok(None);
                }
                if !*started {
                    *started = true;
                    if pools.iter().any(|p| p.is_empty()) {
                        *stopped = true;
                        return Ok(None);
                    }
                    indices.extend(std::iter::repeat_n(0, pools.len()));
                } else {
                    let mut i = pools.len();
                    loop {
                        if i == 0 {
                            *stopped = true;
                            return Ok(None);
                        }
                        i -= 1;
                        indices[i] += 1;
                        if indices[i] == pools[i].len() {
                            indices[i] = 0;
                        } else {
                            break;
                        }
                    }
                }
                let ptrs: Vec<*mut PyObject> = indices
                    .iter()
                    .zip(pools.iter())
                    .map(|(&i, p)| p[i].ptr())
                    .collect();
                Ok(Some(tuple_of(&ptrs)?))
            }
            State::Repeat { element, cnt } => {
                if *cnt == 0 {
                    return Ok(None);
                }
                if *cnt > 0 {
                    *cnt -= 1;
                }
                Ok(Some(Obj::borrowed(element.ptr())))
            }
            State::StarMap { func, it } => {
                let Some(a) = next_of(it.ptr())? else {
                    return Ok(None);
                };
                let args =
                    if crate::object::ty(a.ptr()) == &raw mut crate::tupleobject::PyTuple_Type {
                        a
                    } else {
                        ok(crate::abstract_::PySequence_Tuple(a.ptr()))?
                    };
                Ok(Some(ok(crate::abstract_::PyObject_Call(
                    func.ptr(),
                    args.ptr(),
                    null_mut(),
                ))?))
            }
            State::TakeWhile { func, it, stopped } => {
                if *stopped {
                    return Ok(None);
                }
                let Some(v) = next_of(it.ptr())? else {
                    return Ok(None);
                };
                let good = call1(func.ptr(), v.ptr())?;
                if truth(good.ptr())? {
                    return Ok(Some(v));
                }
                *stopped = true;
                Ok(None)
            }
            State::Tee { data, index } => {
                if *index >= LINKCELLS {
                    let next = with_state(data.ptr(), |d| match d {
                        State::TeeData { it, next, .. } => {
                            if next.is_none() {
                                let it = Obj::borrowed(it.ptr());
                                *next = Some(ok(make(
                                    &raw mut TeeData_Type,
                                    State::TeeData {
                                        it,
                                        values: Vec::new(),
                                        next: None,
                                    },
                                ))?);
                            }
                            Ok(next.as_ref().map(|n| Obj::borrowed(n.ptr())))
                        }
                        _ => Ok(None),
                    })?;
                    let Some(next) = next else { return Ok(None) };
                    *data = next;
                    *index = 0;
                }
                let i = *index;
                let v = with_state(data.ptr(), |d| match d {
                    State::TeeData { it, values, .. } => {
                        if i < values.len() {
                            return Ok(Some(Obj::borrowed(values[i].ptr())));
                        }
                        match next_of(it.ptr())? {
                            Some(v) => {
                                values.push(Obj::borrowed(v.ptr()));
                                Ok(Some(v))
                            }
                            None => Ok(None),
                        }
                    }
                    _ => Ok(None),
                })?;
                if v.is_some() {
                    *index += 1;
                }
                Ok(v)
            }
            State::TeeData { .. } => Ok(None),
            State::ZipLongest { its, active, fill } => {
                if its.is_empty() || *active == 0 {
                    return Ok(None);
                }
                let mut items: Vec<Obj> = Vec::with_capacity(its.len());
                for slot in its.iter_mut() {
                    let Some(i) = slot.as_ref().map(|i| i.ptr()) else {
                        items.push(Obj::borrowed(fill.ptr()));
                        continue;
                    };
                    match next_of(i) {
                        Ok(Some(v)) => items.push(v),
                        r => {
                            *active -= 1;
                            if *active == 0 || r.is_err() {
                                *active = 0;
                                r?;
                                return Ok(None);
                            }
                            *slot = None;
                            items.push(Obj::borrowed(fill.ptr()));
                        }
                    }
                }
                let ptrs: Vec<*mut PyObject> = items.iter().map(|o| o.ptr()).collect();
                Ok(Some(tuple_of(&ptrs)?))
            }
        }
    }
}

/// groupby's `groupby_step`: reads the next value and its key into the state.
///
/// # Safety
/// `st` is a live groupby's state.
unsafe fn groupby_step(st: &mut State) -> Result<bool, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let State::GroupBy {
            it,
            keyfunc,
            currkey,
            currvalue,
            ..
        } = st
        else {
            return Ok(false);
        };
        let Some(v) = next_of(it.ptr())? else {
            return Ok(false);
        };
        let k = match keyfunc {
            None => Obj::borrowed(v.ptr()),
            Some(f) => call1(f.ptr(), v.ptr())?,
        };
        *currvalue = Some(v);
        *currkey = Some(k);
        Ok(true)
    }
}

/// `next(groupby)`: skips to the next group, returns `(key, _grouper)`.
///
/// # Safety
/// `op` the live groupby whose state `st` is.
unsafe fn groupby_next(op: *mut PyObject, st: &mut State) -> Result<Option<Obj>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if let State::GroupBy { currgrouper, .. } = st {
            *currgrouper = 0;
        }
        loop {
            let State::GroupBy {
                tgtkey, currkey, ..
            } = st
            else {
                return Ok(None);
            };
            match (currkey.as_ref(), tgtkey.as_ref()) {
                (None, _) => {}
                (Some(_), None) => break,
                (Some(c), Some(t)) => {
                    let r = crate::abstract_::PyObject_RichCompareBool(
                        t.ptr(),
                        c.ptr(),
                        crate::object::Py_EQ,
                    );
                    if r < 0 {
                        return Err(());
                    }
                    if r == 0 {
                        break;
                    }
                }
            }
            if !groupby_step(st)? {
                return Ok(None);
            }
        }
        let State::GroupBy {
            tgtkey,
            currkey,
            currgrouper,
            ..
        } = st
        else {
            return Ok(None);
        };
        let key = currkey.as_ref().map_or(null_mut(), |k| k.ptr());
        *tgtkey = Some(Obj::borrowed(key));
        let g = ok(make(
            &raw mut Grouper_Type,
            State::Grouper {
                parent: Obj::borrowed(op),
                tgtkey: Obj::borrowed(key),
            },
        ))?;
        *currgrouper = g.ptr() as usize;
        Ok(Some(tuple_of(&[key, g.ptr()])?))
    }
}

/// `next(_grouper)` on its parent's state `pst`.
///
/// # Safety
/// `g` the live grouper, `tgtkey` its key, `pst` its parent's state.
unsafe fn grouper_next(
    g: *mut PyObject,
    tgtkey: *mut PyObject,
    pst: &mut State,
) -> Result<Option<Obj>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let State::GroupBy {
            currgrouper,
            currvalue,
            ..
        } = pst
        else {
            return Ok(None);
        };
        if *currgrouper != g as usize {
            return Ok(None);
        }
        if currvalue.is_none() && !groupby_step(pst)? {
            return Ok(None);
        }
        let State::GroupBy {
            currkey, currvalue, ..
        } = pst
        else {
            return Ok(None);
        };
        let k = currkey.as_ref().map_or(null_mut(), |k| k.ptr());
        let r = crate::abstract_::PyObject_RichCompareBool(tgtkey, k, crate::object::Py_EQ);
        if r < 0 {
            return Err(());
        }
        if r == 0 {
            return Ok(None);
        }
        Ok(currvalue.take())
    }
}

// ---- constructors -----------------------------------------------------------------------------

type NewFn = unsafe fn(*mut PyTypeObject, *mut PyObject, *mut PyObject) -> Result<State, ()>;

/// The `tp_new` of each type: `f` parses and builds the state.
macro_rules! new_slot {
    ($slot:ident, $f:path) => {
        unsafe extern "C" fn $slot(
            t: *mut PyTypeObject,
            args: *mut PyObject,
            kw: *mut PyObject,
        ) -> *mut PyObject {
            crate::ffi_guard::guard(stringify!($f), null_mut(), || {
                let f: NewFn = $f;
                // SAFETY: tp_new: `t` is the type or a subtype, `args` a tuple, `kw` NULL or
                // a dict.
                unsafe {
                    match f(t, args, kw) {
                        Ok(st) => make(t, st),
                        Err(()) => null_mut(),
                    }
                }
            })
        }
    };
}

/// Argument clinic's parse of `names` (the first `npos` positional-or-keyword, the rest
/// keyword-only): borrowed values, NULL where not given.
///
/// # Safety
/// `args` a tuple, `kw` NULL or a dict.
unsafe fn clinic(
    func: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    npos: usize,
    required: usize,
) -> Result<Vec<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let n = crate::tupleobject::items(args).len();
        if n > names.len() {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes at most {} argument{} ({n} given)",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                ),
            );
            return Err(());
        }
        if npos < names.len() && n > npos {
            let which = if required == npos {
                "exactly"
            } else {
                "at most"
            };
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{func}() takes {which} {npos} positional argument{} ({n} given)",
                    if npos == 1 { "" } else { "s" }
                ),
            );
            return Err(());
        }
        crate::collections::parse(func, args, kw, names, required).ok_or(())
    }
}

unsafe fn accumulate_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic(
            "accumulate",
            args,
            kw,
            &["iterable", "func", "initial"],
            2,
            1,
        )?;
        Ok(State::Accumulate {
            it: iter_of(a[0])?,
            func: some_unless_none(a[1]),
            total: None,
            initial: some_unless_none(a[2]),
        })
    }
}

unsafe fn batched_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic("batched", args, kw, &["iterable", "n", "strict"], 2, 2)?;
        let n = ssize(a[1])?;
        let strict = if a[2].is_null() { false } else { truth(a[2])? };
        if n < 1 {
            raise(&raw mut EXC_ValueError, "n must be at least one");
            return Err(());
        }
        Ok(State::Batched {
            it: Some(iter_of(a[0])?),
            n: n as usize,
            strict,
        })
    }
}

unsafe fn chain_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if t == &raw mut Chain_Type && !crate::collections::no_keywords("chain", kw) {
            return Err(());
        }
        Ok(State::Chain {
            source: Some(iter_of(args)?),
            active: None,
        })
    }
}

unsafe fn chain_from_iterable(cls: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a class method on a live class with a live argument.
    unsafe {
        match iter_of(a) {
            Ok(source) => make(
                cls.cast(),
                State::Chain {
                    source: Some(source),
                    active: None,
                },
            ),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn class_getitem(cls: *mut PyObject, a: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe { crate::genericaliasobject::Py_GenericAlias(cls, a) }
}

unsafe fn combinations_common(
    name: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    replace: bool,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic(name, args, kw, &["iterable", "r"], 2, 2)?;
        let pool = pool_of(a[0])?;
        let r = ssize(a[1])?;
        if r < 0 {
            raise(&raw mut EXC_ValueError, "r must be non-negative");
            return Err(());
        }
        Ok(State::Combinations {
            pool,
            indices: reserved(r as usize)?,
            r: r as usize,
            started: false,
            stopped: false,
            replace,
        })
    }
}

unsafe fn combinations_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe { combinations_common("combinations", args, kw, false) }
}

unsafe fn cwr_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe { combinations_common("combinations_with_replacement", args, kw, true) }
}

unsafe fn compress_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic("compress", args, kw, &["data", "selectors"], 2, 2)?;
        Ok(State::Compress {
            data: iter_of(a[0])?,
            selectors: iter_of(a[1])?,
        })
    }
}

unsafe fn count_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic("count", args, kw, &["start", "step"], 2, 0)?;
        for &x in &a {
            if !x.is_null() && crate::abstract_::PyNumber_Check(x) == 0 {
                raise(&raw mut EXC_TypeError, "a number is required");
                return Err(());
            }
        }
        let mut cnt = if a[0].is_null() {
            Obj::new(crate::longobject::from_i64(0))
        } else {
            Obj::borrowed(a[0])
        };
        let mut step = if a[1].is_null() {
            Obj::new(crate::longobject::from_i64(1))
        } else {
            Obj::borrowed(a[1])
        };
        // CPython's fast mode: an int start that fits a C ssize_t and a step whose C long
        // value is 1 count as plain ints (`count(True)` is `count(1)`)
        let one = crate::longobject::PyLong_AsLong(step.ptr());
        if one == -1 {
            crate::pyerrors::PyErr_Clear();
        }
        if one == 1 && crate::longobject::is_int(cnt.ptr()) {
            let v = crate::longobject::PyLong_AsSsize_t(cnt.ptr());
            if v == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                crate::pyerrors::PyErr_Clear();
            } else {
                cnt = Obj::new(crate::longobject::from_i64(v as i64));
                step = Obj::new(crate::longobject::from_i64(1));
            }
        }
        Ok(State::Count { cnt, step })
    }
}

unsafe extern "C" fn count_repr(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("itertools.count.__repr__", null_mut(), || {
        // SAFETY: tp_repr on a live count.
        unsafe {
            let parts = with_state(op, |st| match st {
                State::Count { cnt, step, .. } => {
                    Ok((Obj::borrowed(cnt.ptr()), Obj::borrowed(step.ptr())))
                }
                _ => Err(()),
            });
            let Ok((cnt, step)) = parts else {
                return null_mut();
            };
            let name = crate::collections::type_name_of(op);
            let Some(c) = crate::collections::repr_of(cnt.ptr()) else {
                return null_mut();
            };
            let s = step.ptr();
            let one = crate::longobject::is_int(s) && {
                let v = crate::longobject::PyLong_AsLong(s);
                if v == -1 {
                    crate::pyerrors::PyErr_Clear();
                }
                v == 1
            };
            if one {
                return crate::unicodeobject::from_str(&format!("{name}({c})"));
            }
            let Some(sr) = crate::collections::repr_of(s) else {
                return null_mut();
            };
            crate::unicodeobject::from_str(&format!("{name}({c}, {sr})"))
        }
    })
}

unsafe fn cycle_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut Cycle_Type, "cycle", args, kw, 1, 1).ok_or(())?;
        Ok(State::Cycle {
            it: Some(iter_of(a[0])?),
            saved: Vec::new(),
            index: 0,
        })
    }
}

unsafe fn dropwhile_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut DropWhile_Type, "dropwhile", args, kw, 2, 2).ok_or(())?;
        Ok(State::DropWhile {
            func: Obj::borrowed(a[0]),
            it: iter_of(a[1])?,
            started: false,
        })
    }
}

unsafe fn takewhile_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut TakeWhile_Type, "takewhile", args, kw, 2, 2).ok_or(())?;
        Ok(State::TakeWhile {
            func: Obj::borrowed(a[0]),
            it: iter_of(a[1])?,
            stopped: false,
        })
    }
}

unsafe fn filterfalse_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut FilterFalse_Type, "filterfalse", args, kw, 2, 2).ok_or(())?;
        Ok(State::FilterFalse {
            func: Obj::borrowed(a[0]),
            it: iter_of(a[1])?,
        })
    }
}

unsafe fn starmap_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut StarMap_Type, "starmap", args, kw, 2, 2).ok_or(())?;
        Ok(State::StarMap {
            func: Obj::borrowed(a[0]),
            it: iter_of(a[1])?,
        })
    }
}

unsafe fn pairwise_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut Pairwise_Type, "pairwise", args, kw, 1, 1).ok_or(())?;
        Ok(State::Pairwise {
            it: Some(iter_of(a[0])?),
            old: None,
        })
    }
}

unsafe fn groupby_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic("groupby", args, kw, &["iterable", "key"], 2, 1)?;
        Ok(State::GroupBy {
            it: iter_of(a[0])?,
            keyfunc: some_unless_none(a[1]),
            tgtkey: None,
            currkey: None,
            currvalue: None,
            currgrouper: 0,
        })
    }
}

unsafe fn grouper_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut Grouper_Type, "_grouper", args, kw, 2, 2).ok_or(())?;
        if crate::object::ty(a[0]) != &raw mut GroupBy_Type {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "_grouper() argument 1 must be itertools.groupby, not {}",
                    crate::object::type_name(crate::object::ty(a[0]))
                ),
            );
            return Err(());
        }
        Ok(State::Grouper {
            parent: Obj::borrowed(a[0]),
            tgtkey: Obj::borrowed(a[1]),
        })
    }
}

unsafe fn islice_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    const STOP: &str =
        "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    // SAFETY: forwarded contract.
    unsafe {
        if t == &raw mut ISlice_Type && !crate::collections::no_keywords("islice", kw) {
            return Err(());
        }
        let a = crate::tupleobject::items(args);
        if !crate::getargs::check_positional(Some("islice"), a.len() as Py_ssize_t, 2, 4) {
            return Err(());
        }
        let none = crate::object::none();
        let (mut start, mut stop, mut step) = (0, -1, 1);
        let as_index = |o: *mut PyObject| -> Py_ssize_t {
            match ssize(o) {
                Ok(v) => v,
                Err(()) => {
                    crate::pyerrors::PyErr_Clear();
                    -1
                }
            }
        };
        if a.len() == 2 {
            if a[1] != none {
                stop = as_index(a[1]);
                if stop == -1 {
                    raise(&raw mut EXC_ValueError, STOP);
                    return Err(());
                }
            }
        } else {
            if a[1] != none {
                start = as_index(a[1]);
            }
            if a[2] != none {
                stop = as_index(a[2]);
                if stop == -1 {
                    raise(&raw mut EXC_ValueError, STOP);
                    return Err(());
                }
            }
        }
        if start < 0 || stop < -1 {
            raise(
                &raw mut EXC_ValueError,
                "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
            );
            return Err(());
        }
        if a.len() == 4 {
            if a[3] != none {
                step = as_index(a[3]);
            }
            if step < 1 {
                raise(
                    &raw mut EXC_ValueError,
                    "Step for islice() must be a positive integer or None.",
                );
                return Err(());
            }
        }
        Ok(State::ISlice {
            it: Some(iter_of(a[0])?),
            next: start,
            stop,
            step,
            cnt: 0,
        })
    }
}

unsafe fn permutations_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = clinic("permutations", args, kw, &["iterable", "r"], 2, 1)?;
        let pool = pool_of(a[0])?;
        let mut r = pool.len() as Py_ssize_t;
        if !a[1].is_null() && a[1] != crate::object::none() {
            if !crate::longobject::is_int(a[1]) {
                raise(&raw mut EXC_TypeError, "Expected int as r");
                return Err(());
            }
            r = crate::longobject::PyLong_AsSsize_t(a[1]);
            if r == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
                return Err(());
            }
        }
        if r < 0 {
            raise(&raw mut EXC_ValueError, "r must be non-negative");
            return Err(());
        }
        Ok(State::Permutations {
            indices: reserved(pool.len())?,
            cycles: reserved(r as usize)?,
            pool,
            r: r as usize,
            started: false,
            stopped: false,
        })
    }
}

unsafe fn product_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let mut repeat: Py_ssize_t = 1;
        if !kw.is_null() {
            let nkw = crate::dictobject::PyDict_Size(kw);
            if nkw > 1 {
                raise(
                    &raw mut EXC_TypeError,
                    &format!("product() takes at most 1 keyword argument ({nkw} given)"),
                );
                return Err(());
            }
            let empty = Obj::new(crate::tupleobject::new_tuple(0));
            let a =
                crate::collections::parse("product", empty.ptr(), kw, &["repeat"], 0).ok_or(())?;
            if !a[0].is_null() {
                repeat = ssize(a[0])?;
            }
            if repeat < 0 {
                raise(
                    &raw mut EXC_ValueError,
                    "repeat argument cannot be negative",
                );
                return Err(());
            }
        }
        let mut once = Vec::new();
        for &p in crate::tupleobject::items(args) {
            once.push(pool_of(p)?);
        }
        if !once.is_empty() && repeat as usize > (isize::MAX as usize) / once.len() / 8 {
            raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                "repeat argument too large",
            );
            return Err(());
        }
        let mut pools = reserved(once.len() * repeat as usize)?;
        for _ in 0..if once.is_empty() { 0 } else { repeat } {
            for p in &once {
                pools.push(p.iter().map(|o| Obj::borrowed(o.ptr())).collect());
            }
        }
        Ok(State::Product {
            indices: reserved(pools.len())?,
            pools,
            started: false,
            stopped: false,
        })
    }
}

unsafe fn repeat_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::PyDict_Size(kw) as usize
        };
        let given = crate::tupleobject::items(args).len() + nkw;
        if given > 2 {
            raise(
                &raw mut EXC_TypeError,
                &format!("repeat() takes at most 2 arguments ({given} given)"),
            );
            return Err(());
        }
        let a = crate::collections::parse("repeat", args, kw, &["object", "times"], 1).ok_or(())?;
        let mut cnt = -1;
        if !a[1].is_null() {
            cnt = ssize(a[1])?.max(0);
        }
        Ok(State::Repeat {
            element: Obj::borrowed(a[0]),
            cnt,
        })
    }
}

unsafe extern "C" fn repeat_repr(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("itertools.repeat.__repr__", null_mut(), || {
        // SAFETY: tp_repr on a live repeat.
        unsafe {
            let Ok((e, cnt)) = with_state(op, |st| match st {
                State::Repeat { element, cnt } => Ok((Obj::borrowed(element.ptr()), *cnt)),
                _ => Err(()),
            }) else {
                return null_mut();
            };
            let name = crate::collections::type_name_of(op);
            let Some(r) = crate::collections::repr_of(e.ptr()) else {
                return null_mut();
            };
            let s = if cnt == -1 {
                format!("{name}({r})")
            } else {
                format!("{name}({r}, {cnt})")
            };
            crate::unicodeobject::from_str(&s)
        }
    })
}

unsafe fn repeat_length_hint(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live repeat.
    unsafe {
        let Ok(cnt) = with_state(op, |st| match st {
            State::Repeat { cnt, .. } => Ok(*cnt),
            _ => Err(()),
        }) else {
            return null_mut();
        };
        if cnt == -1 {
            return raise(&raw mut EXC_TypeError, "len() of unsized object");
        }
        crate::longobject::from_i64(cnt as i64)
    }
}

/// `__sizeof__` of the combinatoric types: CPython 3.14t's object size (the free-threaded
/// header is 32 bytes) plus its index arrays.
unsafe fn sizeof(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live itertools object.
    unsafe {
        let Ok(n) = with_state(op, |st| {
            Ok(match st {
                State::Combinations { r, .. } => 72 + 8 * *r,
                State::Permutations { pool, r, .. } => 80 + 8 * (pool.len() + *r),
                State::Product { pools, .. } => 64 + 8 * pools.len(),
                _ => 32,
            })
        }) else {
            return null_mut();
        };
        crate::longobject::from_i64(n as i64)
    }
}

unsafe fn zip_longest_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let mut fill = Obj::borrowed(crate::object::none());
        if !kw.is_null() && crate::dictobject::PyDict_Size(kw) > 0 {
            let entries = crate::dictobject::entries(kw);
            let f = (entries.len() == 1
                && crate::unicodeobject::as_str(entries[0].0) == Some("fillvalue"))
            .then(|| entries[0].1);
            let Some(f) = f else {
                raise(
                    &raw mut EXC_TypeError,
                    "zip_longest() got an unexpected keyword argument",
                );
                return Err(());
            };
            fill = Obj::borrowed(f);
        }
        let mut its = Vec::new();
        for &p in crate::tupleobject::items(args) {
            its.push(Some(iter_of(p)?));
        }
        Ok(State::ZipLongest {
            active: its.len(),
            its,
            fill,
        })
    }
}

/// `_tee(iterable)`: a tee over `iter(iterable)`, or a copy when that is a tee already.
///
/// # Safety
/// `o` must be live.
unsafe fn tee_from(t: *mut PyTypeObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Ok(it) = iter_of(o) else {
            return null_mut();
        };
        if crate::object::ty(it.ptr()) == &raw mut Tee_Type {
            return tee_copy(it.ptr());
        }
        let data = make(
            &raw mut TeeData_Type,
            State::TeeData {
                it,
                values: Vec::new(),
                next: None,
            },
        );
        if data.is_null() {
            return data;
        }
        make(
            t,
            State::Tee {
                data: Obj::new(data),
                index: 0,
            },
        )
    }
}

/// `_tee_dataobject(iterable, values, next)`: a buffer link holding `values` (at most 57)
/// read from `iter(iterable)`, followed by `next` (a link, only when this one is full).
unsafe fn teedata_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Result<State, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = positional(t, &raw mut TeeData_Type, "teedataobject", args, kw, 3, 3).ok_or(())?;
        if !crate::listobject::is_list(a[1]) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "teedataobject() argument 2 must be list, not {}",
                    crate::object::type_name(crate::object::ty(a[1]))
                ),
            );
            return Err(());
        }
        // kept as given (CPython does not call iter() here)
        let it = Obj::borrowed(a[0]);
        let values: Vec<Obj> = crate::listobject::snapshot(a[1])
            .into_iter()
            .map(Obj::new)
            .collect();
        let none = crate::object::none();
        let next = if values.len() == LINKCELLS && a[2] != none {
            (crate::object::ty(a[2]) == &raw mut TeeData_Type).then(|| Obj::borrowed(a[2]))
        } else {
            None
        };
        if values.len() > LINKCELLS || (a[2] != none && next.is_none()) {
            raise(&raw mut EXC_ValueError, "Invalid arguments");
            return Err(());
        }
        Ok(State::TeeData { it, values, next })
    }
}

unsafe extern "C" fn tee_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("itertools._tee.__new__", null_mut(), || {
        // SAFETY: tp_new arguments.
        unsafe {
            match positional(t, &raw mut Tee_Type, "_tee", args, kw, 1, 1) {
                Some(a) => tee_from(t, a[0]),
                None => null_mut(),
            }
        }
    })
}

unsafe fn tee_copy(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live tee.
    unsafe {
        let Ok((data, index)) = with_state(op, |st| match st {
            State::Tee { data, index } => Ok((Obj::borrowed(data.ptr()), *index)),
            _ => Err(()),
        }) else {
            return null_mut();
        };
        make(crate::object::ty(op), State::Tee { data, index })
    }
}

unsafe fn it_tee(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        if !crate::getargs::check_positional(Some("tee"), a.len() as Py_ssize_t, 1, 2) {
            return null_mut();
        }
        let n = if a.len() > 1 {
            match ssize(a[1]) {
                Ok(n) => n,
                Err(()) => return null_mut(),
            }
        } else {
            2
        };
        if n < 0 {
            return raise(&raw mut EXC_ValueError, "n must be >= 0");
        }
        done(tee_all(a[0], n as usize))
    }
}

unsafe fn tee_all(iterable: *mut PyObject, n: usize) -> Result<Obj, ()> {
    // SAFETY: a live iterable.
    unsafe {
        let mut out: Vec<Obj> = Vec::with_capacity(n);
        if n > 0 {
            // 3.14: always a new tee, also when the input is a tee (then a copy of it)
            let name = Obj::new(crate::unicodeobject::intern("__copy__"));
            let first = ok(tee_from(&raw mut Tee_Type, iterable))?;
            let copy = ok(crate::object::getattr(first.ptr(), name.ptr()))?;
            out.push(first);
            for _ in 1..n {
                out.push(ok(crate::abstract_::PyObject_CallNoArgs(copy.ptr()))?);
            }
        }
        let ptrs: Vec<*mut PyObject> = out.iter().map(|o| o.ptr()).collect();
        tuple_of(&ptrs)
    }
}

// ---- types ------------------------------------------------------------------------------------

new_slot!(accumulate_slot, accumulate_new);
new_slot!(batched_slot, batched_new);
new_slot!(chain_slot, chain_new);
new_slot!(combinations_slot, combinations_new);
new_slot!(cwr_slot, cwr_new);
new_slot!(compress_slot, compress_new);
new_slot!(count_slot, count_new);
new_slot!(cycle_slot, cycle_new);
new_slot!(dropwhile_slot, dropwhile_new);
new_slot!(filterfalse_slot, filterfalse_new);
new_slot!(groupby_slot, groupby_new);
/// `_grouper(parent, tgtkey)`: made current for its parent, as CPython's `_grouper_create`.
unsafe extern "C" fn grouper_slot(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("itertools._grouper.__new__", null_mut(), || {
        // SAFETY: tp_new arguments; the parent is a live groupby.
        unsafe {
            let Ok(st) = grouper_new(t, args, kw) else {
                return null_mut();
            };
            let State::Grouper { parent, .. } = &st else {
                return null_mut();
            };
            let p = parent.ptr();
            let g = make(t, st);
            if g.is_null() {
                return g;
            }
            let r = with_state(p, |pst| {
                if let State::GroupBy { currgrouper, .. } = pst {
                    *currgrouper = g as usize;
                }
                Ok(())
            });
            if r.is_err() {
                decref(g);
                return null_mut();
            }
            g
        }
    })
}
new_slot!(islice_slot, islice_new);
new_slot!(pairwise_slot, pairwise_new);
new_slot!(permutations_slot, permutations_new);
new_slot!(product_slot, product_new);
new_slot!(repeat_slot, repeat_new);
new_slot!(starmap_slot, starmap_new);
new_slot!(takewhile_slot, takewhile_new);
new_slot!(zip_longest_slot, zip_longest_new);
new_slot!(teedata_slot, teedata_new);

static mut CHAIN_METHODS: [PyMethodDef; 3] = [
    def!(c"from_iterable", class_o, chain_from_iterable),
    def!(c"__class_getitem__", class_o, class_getitem),
    PyMethodDef::END,
];

static mut SIZEOF_METHODS: [PyMethodDef; 2] =
    [def!(c"__sizeof__", noargs, sizeof), PyMethodDef::END];

static mut REPEAT_METHODS: [PyMethodDef; 2] = [
    def!(c"__length_hint__", noargs, repeat_length_hint),
    PyMethodDef::END,
];

static mut TEE_METHODS: [PyMethodDef; 2] = [def!(c"__copy__", noargs, tee_copy), PyMethodDef::END];

/// One itertools type: `static mut NAME: PyTypeObject`.
macro_rules! itype {
    ($t:ident, $name:literal, $new:expr, $flags:expr) => {
        itype!($t, $name, $new, $flags, null_mut());
    };
    ($t:ident, $name:literal, $new:expr, $flags:expr, $methods:expr) => {
        #[allow(non_upper_case_globals)]
        pub(crate) static mut $t: PyTypeObject = PyTypeObject {
            tp_new: $new,
            tp_dealloc: Some(it_dealloc),
            tp_iter: Some(iter_self),
            tp_iternext: Some(it_next),
            tp_methods: $methods,
            ..static_type($name, size_of::<Iter>(), 0, $flags)
        };
    };
}

const B: std::ffi::c_ulong = Py_TPFLAGS_BASETYPE;

itype!(
    Accumulate_Type,
    c"itertools.accumulate",
    Some(accumulate_slot),
    B
);
itype!(Batched_Type, c"itertools.batched", Some(batched_slot), B);
itype!(
    Chain_Type,
    c"itertools.chain",
    Some(chain_slot),
    B,
    (&raw mut CHAIN_METHODS).cast()
);
itype!(
    Combinations_Type,
    c"itertools.combinations",
    Some(combinations_slot),
    B,
    (&raw mut SIZEOF_METHODS).cast()
);
itype!(
    Cwr_Type,
    c"itertools.combinations_with_replacement",
    Some(cwr_slot),
    B,
    (&raw mut SIZEOF_METHODS).cast()
);
itype!(Compress_Type, c"itertools.compress", Some(compress_slot), B);
itype!(Cycle_Type, c"itertools.cycle", Some(cycle_slot), B);
itype!(
    DropWhile_Type,
    c"itertools.dropwhile",
    Some(dropwhile_slot),
    B
);
itype!(
    FilterFalse_Type,
    c"itertools.filterfalse",
    Some(filterfalse_slot),
    B
);
itype!(GroupBy_Type, c"itertools.groupby", Some(groupby_slot), B);
itype!(Grouper_Type, c"itertools._grouper", Some(grouper_slot), 0);
itype!(ISlice_Type, c"itertools.islice", Some(islice_slot), B);
itype!(Pairwise_Type, c"itertools.pairwise", Some(pairwise_slot), B);
itype!(
    Permutations_Type,
    c"itertools.permutations",
    Some(permutations_slot),
    B,
    (&raw mut SIZEOF_METHODS).cast()
);
itype!(
    Product_Type,
    c"itertools.product",
    Some(product_slot),
    B,
    (&raw mut SIZEOF_METHODS).cast()
);
itype!(StarMap_Type, c"itertools.starmap", Some(starmap_slot), B);
itype!(
    TakeWhile_Type,
    c"itertools.takewhile",
    Some(takewhile_slot),
    B
);
itype!(
    ZipLongest_Type,
    c"itertools.zip_longest",
    Some(zip_longest_slot),
    B
);
#[allow(non_upper_case_globals)]
pub(crate) static mut Tee_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(tee_new),
    tp_dealloc: Some(it_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(it_next),
    tp_methods: (&raw mut TEE_METHODS).cast(),
    tp_weaklistoffset: std::mem::offset_of!(Iter, weakreflist) as Py_ssize_t,
    ..static_type(c"itertools._tee", size_of::<Iter>(), 0, 0)
};

#[allow(non_upper_case_globals)]
pub(crate) static mut Count_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(count_slot),
    tp_dealloc: Some(it_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(it_next),
    tp_repr: Some(count_repr),
    ..static_type(c"itertools.count", size_of::<Iter>(), 0, B)
};

#[allow(non_upper_case_globals)]
pub(crate) static mut Repeat_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(repeat_slot),
    tp_dealloc: Some(it_dealloc),
    tp_iter: Some(iter_self),
    tp_iternext: Some(it_next),
    tp_repr: Some(repeat_repr),
    tp_methods: (&raw mut REPEAT_METHODS).cast(),
    ..static_type(c"itertools.repeat", size_of::<Iter>(), 0, B)
};

/// The shared buffer of tee objects (not an iterator).
#[allow(non_upper_case_globals)]
pub(crate) static mut TeeData_Type: PyTypeObject = PyTypeObject {
    tp_new: Some(teedata_slot),
    tp_dealloc: Some(it_dealloc),
    ..static_type(c"itertools._tee_dataobject", size_of::<Iter>(), 0, 0)
};

static mut FUNCTIONS: [PyMethodDef; 2] = [def!(c"tee", fast, it_tee), PyMethodDef::END];

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut Accumulate_Type,
        &raw mut Batched_Type,
        &raw mut Chain_Type,
        &raw mut Combinations_Type,
        &raw mut Cwr_Type,
        &raw mut Compress_Type,
        &raw mut Count_Type,
        &raw mut Cycle_Type,
        &raw mut DropWhile_Type,
        &raw mut FilterFalse_Type,
        &raw mut GroupBy_Type,
        &raw mut Grouper_Type,
        &raw mut ISlice_Type,
        &raw mut Pairwise_Type,
        &raw mut Permutations_Type,
        &raw mut Product_Type,
        &raw mut Repeat_Type,
        &raw mut StarMap_Type,
        &raw mut TakeWhile_Type,
        &raw mut Tee_Type,
        &raw mut TeeData_Type,
        &raw mut ZipLongest_Type,
    ]
}

/// The `itertools` module (borrowed, process-lifetime; NULL with an exception if it could not
/// be made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "itertools", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("itertools");
    // SAFETY: `name` is a live str; the tables and types are static and ready.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        if crate::moduleobject::add_functions(m, (&raw mut FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for t in static_types() {
            let full = crate::object::type_name(t);
            let short = full.rsplit('.').next().unwrap_or(&full).to_string();
            crate::dictobject::set_item_str(d, &short, t.cast());
        }
        m
    }
}
