//! gilgate's own `heapq` module (CPython's `Lib/heapq.py` over `Modules/_heapqmodule.c`,
//! written natively): the heap functions on lists (`heappush` ... `heappushpop_max`, every
//! comparison through `<`, with CPython's "list changed size during iteration" when a
//! comparison resizes the heap), `merge` (a lazy iterator, stable: on ties the earlier input
//! goes first), `nlargest` and `nsmallest` (with `key=`; the same results as `sorted(...)[:n]`,
//! which is how CPython documents them).

use crate::bytes_methods::def;
use crate::listobject::{PyList_Append, PyList_GetItemRef, PyList_SetItem, PyList_Size};
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_TypeError, raise};
use crate::pyport::Py_ssize_t;
use crate::refcount::{decref, incref, xdecref};
use std::ffi::CStr;
use std::ptr::null_mut;
use std::sync::OnceLock;

const PY_LT: std::ffi::c_int = 0;

fn check(name: &str, n: usize, min: usize, max: usize) -> bool {
    crate::getargs::check_positional(
        Some(name),
        n as Py_ssize_t,
        min as Py_ssize_t,
        max as Py_ssize_t,
    )
}

/// The list check of CPython's argument clinic (`subclass_of=&PyList_Type`).
///
/// # Safety
/// `heap` live.
unsafe fn is_heap(func: &str, which: &str, heap: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::listobject::is_list(heap) {
            return true;
        }
        let tn = if heap == crate::object::none() {
            "None".to_string()
        } else {
            crate::object::tname(heap)
        };
        raise(
            &raw mut EXC_TypeError,
            &format!("{func}() {which} must be list, not {tn}"),
        );
        false
    }
}

/// `a < b` (max: `b < a`) for items `i` and `j` of the heap: -1 on error.
///
/// # Safety
/// `heap` a live list with items `i` and `j`.
unsafe fn less(heap: *mut PyObject, i: Py_ssize_t, j: Py_ssize_t, max: bool) -> std::ffi::c_int {
    // SAFETY: forwarded contract; both items are held while compared.
    unsafe {
        let a = PyList_GetItemRef(heap, i);
        let b = PyList_GetItemRef(heap, j);
        if a.is_null() || b.is_null() {
            xdecref(a);
            xdecref(b);
            return -1;
        }
        let r = if max {
            crate::abstract_::PyObject_RichCompareBool(b, a, PY_LT)
        } else {
            crate::abstract_::PyObject_RichCompareBool(a, b, PY_LT)
        };
        decref(a);
        decref(b);
        r
    }
}

/// Swaps items `i` and `j`.
///
/// # Safety
/// `heap` a live list with both items.
unsafe fn swap(heap: *mut PyObject, i: Py_ssize_t, j: Py_ssize_t) {
    // SAFETY: forwarded contract; SetItem takes the references GetItemRef gave.
    unsafe {
        let a = PyList_GetItemRef(heap, i);
        let b = PyList_GetItemRef(heap, j);
        PyList_SetItem(heap, i, b);
        PyList_SetItem(heap, j, a);
    }
}

fn changed_size() -> i32 {
    raise(
        &raw mut crate::pyerrors::EXC_RuntimeError,
        "list changed size during iteration",
    );
    -1
}

/// Moves item `pos` up towards `start` (CPython's `siftdown`).
///
/// # Safety
/// `heap` a live list.
unsafe fn sift_down(heap: *mut PyObject, start: Py_ssize_t, mut pos: Py_ssize_t, max: bool) -> i32 {
    // SAFETY: forwarded contract.
    unsafe {
        let size = PyList_Size(heap);
        if pos >= size {
            raise(
                &raw mut crate::pyerrors::EXC_IndexError,
                "index out of range",
            );
            return -1;
        }
        while pos > start {
            let parent = (pos - 1) >> 1;
            let c = less(heap, pos, parent, max);
            if c < 0 {
                return -1;
            }
            if size != PyList_Size(heap) {
                return changed_size();
            }
            if c == 0 {
                break;
            }
            swap(heap, parent, pos);
            pos = parent;
        }
        0
    }
}

/// Moves the smaller child up until a leaf, then item `pos` back (CPython's `siftup`).
///
/// # Safety
/// `heap` a live list.
unsafe fn sift_up(heap: *mut PyObject, mut pos: Py_ssize_t, max: bool) -> i32 {
    // SAFETY: forwarded contract.
    unsafe {
        let end = PyList_Size(heap);
        let start = pos;
        let limit = end >> 1;
        while pos < limit {
            let mut child = 2 * pos + 1;
            if child + 1 < end {
                let c = less(heap, child, child + 1, max);
                if c < 0 {
                    return -1;
                }
                child += (c ^ 1) as Py_ssize_t;
                if end != PyList_Size(heap) {
                    return changed_size();
                }
            }
            swap(heap, child, pos);
            pos = child;
        }
        sift_down(heap, start, pos, max)
    }
}

/// `list.pop()` of the last item (a new reference).
///
/// # Safety
/// `heap` a live, non-empty list.
unsafe fn pop_last(heap: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let n = PyList_Size(heap);
        let last = PyList_GetItemRef(heap, n - 1);
        if last.is_null() {
            return last;
        }
        if crate::listobject::PyList_SetSlice(heap, n - 1, n, null_mut()) < 0 {
            decref(last);
            return null_mut();
        }
        last
    }
}

fn index_error() -> *mut PyObject {
    raise(
        &raw mut crate::pyerrors::EXC_IndexError,
        "index out of range",
    )
}

unsafe fn push(name: &str, a: &[*mut PyObject], max: bool) -> *mut PyObject {
    if !check(name, a.len(), 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        if !is_heap(name, "argument 1", a[0]) || PyList_Append(a[0], a[1]) < 0 {
            return null_mut();
        }
        let n = PyList_Size(a[0]);
        if sift_down(a[0], 0, n - 1, max) < 0 {
            return null_mut();
        }
        crate::object::new_none()
    }
}

unsafe fn pop(name: &str, heap: *mut PyObject, max: bool) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe {
        if !is_heap(name, "argument", heap) {
            return null_mut();
        }
        if PyList_Size(heap) == 0 {
            return index_error();
        }
        let last = pop_last(heap);
        if last.is_null() || PyList_Size(heap) == 0 {
            return last;
        }
        let top = PyList_GetItemRef(heap, 0);
        PyList_SetItem(heap, 0, last);
        if sift_up(heap, 0, max) < 0 {
            decref(top);
            return null_mut();
        }
        top
    }
}

unsafe fn replace(name: &str, a: &[*mut PyObject], max: bool) -> *mut PyObject {
    if !check(name, a.len(), 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        if !is_heap(name, "argument 1", a[0]) {
            return null_mut();
        }
        if PyList_Size(a[0]) == 0 {
            return index_error();
        }
        let top = PyList_GetItemRef(a[0], 0);
        incref(a[1]);
        PyList_SetItem(a[0], 0, a[1]);
        if sift_up(a[0], 0, max) < 0 {
            decref(top);
            return null_mut();
        }
        top
    }
}

unsafe fn pushpop(name: &str, a: &[*mut PyObject], max: bool) -> *mut PyObject {
    if !check(name, a.len(), 2, 2) {
        return null_mut();
    }
    // SAFETY: live arguments.
    unsafe {
        let (heap, item) = (a[0], a[1]);
        if !is_heap(name, "argument 1", heap) {
            return null_mut();
        }
        if PyList_Size(heap) == 0 {
            incref(item);
            return item;
        }
        let top = PyList_GetItemRef(heap, 0);
        let c = if max {
            crate::abstract_::PyObject_RichCompareBool(item, top, PY_LT)
        } else {
            crate::abstract_::PyObject_RichCompareBool(top, item, PY_LT)
        };
        decref(top);
        if c < 0 {
            return null_mut();
        }
        if c == 0 {
            incref(item);
            return item;
        }
        if PyList_Size(heap) == 0 {
            return index_error();
        }
        let top = PyList_GetItemRef(heap, 0);
        incref(item);
        PyList_SetItem(heap, 0, item);
        if sift_up(heap, 0, max) < 0 {
            decref(top);
            return null_mut();
        }
        top
    }
}

unsafe fn heapify(name: &str, heap: *mut PyObject, max: bool) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe {
        if !is_heap(name, "argument", heap) {
            return null_mut();
        }
        let n = PyList_Size(heap);
        for i in (0..n / 2).rev() {
            if sift_up(heap, i, max) < 0 {
                return null_mut();
            }
        }
        crate::object::new_none()
    }
}

unsafe fn hq_heappush(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { push("heappush", a, false) }
}
unsafe fn hq_heappush_max(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { push("heappush_max", a, true) }
}
unsafe fn hq_heappop(_m: *mut PyObject, h: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { pop("heappop", h, false) }
}
unsafe fn hq_heappop_max(_m: *mut PyObject, h: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { pop("heappop_max", h, true) }
}
unsafe fn hq_heapreplace(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { replace("heapreplace", a, false) }
}
unsafe fn hq_heapreplace_max(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { replace("heapreplace_max", a, true) }
}
unsafe fn hq_heappushpop(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { pushpop("heappushpop", a, false) }
}
unsafe fn hq_heappushpop_max(_m: *mut PyObject, a: &[*mut PyObject]) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe { pushpop("heappushpop_max", a, true) }
}
unsafe fn hq_heapify(_m: *mut PyObject, h: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { heapify("heapify", h, false) }
}
unsafe fn hq_heapify_max(_m: *mut PyObject, h: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument.
    unsafe { heapify("heapify_max", h, true) }
}

/// Calls builtin `name` with positional `args` and keywords `kw` (pairs).
///
/// # Safety
/// Every object live.
unsafe fn call_builtin(
    name: &str,
    args: &[*mut PyObject],
    kw: &[(&str, *mut PyObject)],
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let b = crate::bltinmodule::module();
        let f = crate::object::PyObject_GetAttr(b, crate::unicodeobject::intern(name));
        if f.is_null() {
            return f;
        }
        let t = crate::tupleobject::new_tuple(args.len());
        for (i, &a) in args.iter().enumerate() {
            incref(a);
            crate::tupleobject::PyTuple_SetItem(t, i as isize, a);
        }
        let d = crate::dictobject::new_dict();
        for &(k, v) in kw {
            crate::dictobject::set_item_str(d, k, v);
        }
        let r = crate::abstract_::PyObject_Call(f, t, d);
        decref(d);
        decref(t);
        decref(f);
        r
    }
}

/// `nlargest(n, iterable, key=None)` / `nsmallest(...)`.
///
/// # Safety
/// `args` as METH_FASTCALL | METH_KEYWORDS gives them.
unsafe fn nbest(
    name: &str,
    largest: bool,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let pos = crate::unicodeobject::methods::slice(args, n);
        let kwn: &[*mut PyObject] = if kwnames.is_null() {
            &[]
        } else {
            crate::tupleobject::items(kwnames)
        };
        let kwv =
            crate::unicodeobject::methods::slice(args.add(pos.len()), kwn.len() as Py_ssize_t);
        let names = ["n", "iterable", "key"];
        let mut vals = [null_mut(); 3];
        if pos.len() > 3 {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name}() takes from 2 to 3 positional arguments but {} were given",
                    pos.len()
                ),
            );
        }
        vals[..pos.len()].copy_from_slice(pos);
        for (&k, &v) in kwn.iter().zip(kwv) {
            let k = crate::unicodeobject::as_str(k).unwrap_or("");
            match names.iter().position(|x| *x == k) {
                Some(i) if !vals[i].is_null() => {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("{name}() got multiple values for argument '{k}'"),
                    );
                }
                Some(i) => vals[i] = v,
                None => {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("{name}() got an unexpected keyword argument '{k}'"),
                    );
                }
            }
        }
        let missing: Vec<String> = names[..2]
            .iter()
            .zip(&vals)
            .filter(|(_, v)| v.is_null())
            .map(|(k, _)| format!("'{k}'"))
            .collect();
        if !missing.is_empty() {
            let list = if missing.len() == 2 {
                format!("{} and {}", missing[0], missing[1])
            } else {
                missing[0].clone()
            };
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "{name}() missing {} required positional argument{}: {list}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" }
                ),
            );
        }
        let (count, iterable) = (vals[0], vals[1]);
        let key = if vals[2].is_null() {
            crate::object::none()
        } else {
            vals[2]
        };
        let one = crate::longobject::from_i64(1);
        let is_one = crate::abstract_::PyObject_RichCompareBool(count, one, 2);
        decref(one);
        if is_one < 0 {
            return null_mut();
        }
        if is_one == 1 {
            // `max(it, default=sentinel, key=key)`
            let sentinel = crate::object::PyObject_GetAttr(
                crate::bltinmodule::module(),
                crate::unicodeobject::intern("object"),
            );
            let s = crate::abstract_::PyObject_CallNoArgs(sentinel);
            decref(sentinel);
            let it = crate::abstract_::PyObject_GetIter(iterable);
            if it.is_null() {
                decref(s);
                return null_mut();
            }
            let r = call_builtin(
                if largest { "max" } else { "min" },
                &[it],
                &[("default", s), ("key", key)],
            );
            decref(it);
            if r.is_null() {
                decref(s);
                return r;
            }
            let out = crate::listobject::new_list(0);
            if r != s {
                PyList_Append(out, r);
            }
            decref(r);
            decref(s);
            return out;
        }
        let reverse = crate::boolobject::from_bool(largest);
        let size = crate::abstract_::PyObject_Size(iterable);
        if size < 0 {
            crate::pyerrors::PyErr_Clear();
        } else {
            let sz = crate::longobject::from_i64(size as i64);
            let ge = crate::abstract_::PyObject_RichCompareBool(count, sz, 5);
            decref(sz);
            if ge < 0 {
                decref(reverse);
                return null_mut();
            }
            if ge == 1 {
                let r = call_builtin("sorted", &[iterable], &[("key", key), ("reverse", reverse)]);
                decref(reverse);
                return r;
            }
        }
        // CPython's `range(n)` (`range(0, -n, -1)` for nlargest): its errors
        let c = if largest {
            crate::abstract_::PyNumber_Negative(count)
        } else {
            incref(count);
            count
        };
        let i = if c.is_null() {
            c
        } else {
            let i = crate::abstract_::PyNumber_Index(c);
            decref(c);
            i
        };
        if i.is_null() {
            decref(reverse);
            return null_mut();
        }
        let mut k = crate::longobject::PyLong_AsSsize_t(i);
        decref(i);
        if largest && k != -1 {
            k = -k;
        }
        if k == -1 && !crate::pyerrors::PyErr_Occurred().is_null() {
            decref(reverse);
            return null_mut();
        }
        if k <= 0 {
            decref(reverse);
            return crate::listobject::new_list(0);
        }
        let r = call_builtin("sorted", &[iterable], &[("key", key), ("reverse", reverse)]);
        decref(reverse);
        if r.is_null() {
            return r;
        }
        let m = PyList_Size(r);
        if k < m && crate::listobject::PyList_SetSlice(r, k, m, null_mut()) < 0 {
            decref(r);
            return null_mut();
        }
        r
    }
}

unsafe fn hq_nlargest(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall arguments.
    unsafe { nbest("nlargest", true, args, n, kw) }
}

unsafe fn hq_nsmallest(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall arguments.
    unsafe { nbest("nsmallest", false, args, n, kw) }
}

// ---- merge ----------------------------------------------------------------------------------

/// `merge(*iterables, key=None, reverse=False)`'s iterator, run as CPython's generator runs:
/// a heap (`h`) of lists `[value, order, iterator]` (with a key: `[key(value), order, value,
/// iterator]`; `order` negated for `reverse`), compared as lists, so every comparison is
/// CPython's; when one input is left, the rest of its iterator (`tail`).
#[repr(C)]
struct Merge {
    ob_base: PyObject,
    iterables: *mut PyObject,
    h: *mut PyObject,
    key: *mut PyObject,
    tail: *mut PyObject,
    reverse: bool,
    /// 0 not started, 1 running, 2 the top entry was yielded and must advance, 3 finished.
    state: u8,
}

unsafe fn hq_merge(
    _m: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall arguments.
    unsafe {
        let pos = crate::unicodeobject::methods::slice(args, n);
        let kwn: &[*mut PyObject] = if kwnames.is_null() {
            &[]
        } else {
            crate::tupleobject::items(kwnames)
        };
        let kwv =
            crate::unicodeobject::methods::slice(args.add(pos.len()), kwn.len() as Py_ssize_t);
        let mut key = crate::object::none();
        let mut reverse = false;
        for (&k, &v) in kwn.iter().zip(kwv) {
            match crate::unicodeobject::as_str(k).unwrap_or("") {
                "key" => key = v,
                "reverse" => {
                    let t = crate::object::PyObject_IsTrue(v);
                    if t < 0 {
                        return null_mut();
                    }
                    reverse = t != 0;
                }
                other => {
                    return raise(
                        &raw mut EXC_TypeError,
                        &format!("merge() got an unexpected keyword argument '{other}'"),
                    );
                }
            }
        }
        let t = crate::tupleobject::new_tuple(pos.len());
        for (i, &p) in pos.iter().enumerate() {
            incref(p);
            crate::tupleobject::PyTuple_SetItem(t, i as isize, p);
        }
        let op = crate::objimpl::alloc_object(&raw mut Merge_Type, 0);
        if op.is_null() {
            decref(t);
            return op;
        }
        incref(key);
        let m = &mut *op.cast::<Merge>();
        m.iterables = t;
        m.h = crate::listobject::new_list(0);
        m.key = key;
        m.tail = null_mut();
        m.reverse = reverse;
        m.state = 0;
        op
    }
}

unsafe extern "C" fn merge_dealloc(op: *mut PyObject) {
    // SAFETY: a dead merge (slot contract): its fields are owned.
    unsafe {
        let m = &mut *op.cast::<Merge>();
        xdecref(m.iterables);
        xdecref(m.h);
        xdecref(m.key);
        xdecref(m.tail);
        crate::objimpl::default_dealloc(op);
    }
}

/// `next(it)`: Ok(None) when exhausted.
///
/// # Safety
/// `it` a live iterator.
unsafe fn next_of(it: *mut PyObject) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let v = crate::abstract_::PyIter_Next(it);
        if !v.is_null() {
            Ok(Some(v))
        } else if crate::pyerrors::PyErr_Occurred().is_null() {
            Ok(None)
        } else {
            Err(())
        }
    }
}

/// Stores `v` (a new reference) as the value of entry `s` (and its key).
///
/// # Safety
/// `m` a live merge, `s` one of its entries.
unsafe fn set_value(m: &Merge, s: *mut PyObject, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if m.key == crate::object::none() {
            PyList_SetItem(s, 0, v);
            return Ok(());
        }
        let k = crate::abstract_::PyObject_CallOneArg(m.key, v);
        if k.is_null() {
            decref(v);
            return Err(());
        }
        PyList_SetItem(s, 0, k);
        PyList_SetItem(s, 2, v);
        Ok(())
    }
}

/// The first step of the generator: one entry per non-empty input, then the heap.
///
/// # Safety
/// `m` a live merge.
unsafe fn merge_start(m: &Merge) -> Result<(), ()> {
    // SAFETY: forwarded contract.
    unsafe {
        let dir: i64 = if m.reverse { -1 } else { 1 };
        for (order, &p) in crate::tupleobject::items(m.iterables).iter().enumerate() {
            let it = crate::abstract_::PyObject_GetIter(p);
            if it.is_null() {
                return Err(());
            }
            let Some(v) = next_of(it).inspect_err(|_| decref(it))? else {
                decref(it);
                continue;
            };
            let keyed = m.key != crate::object::none();
            let s = crate::listobject::new_list(if keyed { 4 } else { 3 });
            incref(crate::object::none());
            PyList_SetItem(s, 0, crate::object::none());
            PyList_SetItem(s, 1, crate::longobject::from_i64(order as i64 * dir));
            if keyed {
                incref(crate::object::none());
                PyList_SetItem(s, 2, crate::object::none());
            }
            PyList_SetItem(s, if keyed { 3 } else { 2 }, it);
            let r = set_value(m, s, v);
            if r.is_ok() {
                PyList_Append(m.h, s);
            }
            decref(s);
            r?;
        }
        let h = heapify("heapify", m.h, m.reverse);
        if h.is_null() {
            return Err(());
        }
        decref(h);
        Ok(())
    }
}

/// The value of entry `s` (a new reference).
///
/// # Safety
/// `m` a live merge, `s` one of its entries.
unsafe fn value_of(m: &Merge, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe { PyList_GetItemRef(s, if m.key == crate::object::none() { 0 } else { 2 }) }
}

/// # Safety
/// `m` a live merge.
unsafe fn merge_step(m: &mut Merge) -> Result<*mut PyObject, ()> {
    // SAFETY: forwarded contract.
    unsafe {
        if !m.tail.is_null() {
            return Ok(next_of(m.tail)?.unwrap_or(null_mut()));
        }
        if m.state == 0 {
            m.state = 1;
            merge_start(m)?;
        }
        let keyed = m.key != crate::object::none();
        if m.state == 2 {
            m.state = 1;
            let s = PyList_GetItemRef(m.h, 0);
            let it = PyList_GetItemRef(s, if keyed { 3 } else { 2 });
            let r = next_of(it);
            decref(it);
            match r {
                Err(()) => {
                    decref(s);
                    return Err(());
                }
                Ok(None) => {
                    decref(s);
                    let p = pop("heappop", m.h, m.reverse);
                    if p.is_null() {
                        return Err(());
                    }
                    decref(p);
                }
                Ok(Some(v)) => {
                    let r = set_value(m, s, v);
                    if r.is_ok() && sift_up(m.h, 0, m.reverse) < 0 {
                        decref(s);
                        return Err(());
                    }
                    decref(s);
                    r?;
                }
            }
        }
        match PyList_Size(m.h) {
            0 => Ok(null_mut()),
            1 => {
                let s = PyList_GetItemRef(m.h, 0);
                m.tail = PyList_GetItemRef(s, if keyed { 3 } else { 2 });
                let v = value_of(m, s);
                decref(s);
                crate::listobject::PyList_SetSlice(m.h, 0, 1, null_mut());
                Ok(v)
            }
            _ => {
                let s = PyList_GetItemRef(m.h, 0);
                let v = value_of(m, s);
                decref(s);
                m.state = 2;
                Ok(v)
            }
        }
    }
}

unsafe extern "C" fn merge_next(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("heapq.merge", null_mut(), || {
        // SAFETY: tp_iternext on a live merge.
        unsafe {
            let m = &mut *op.cast::<Merge>();
            if m.state == 3 {
                return null_mut();
            }
            match merge_step(m) {
                Ok(v) if !v.is_null() => v,
                _ => {
                    // a generator that returned or raised is finished
                    m.state = 3;
                    xdecref(std::mem::replace(&mut m.tail, null_mut()));
                    null_mut()
                }
            }
        }
    })
}

unsafe extern "C" fn merge_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    unsafe { incref(op) };
    op
}

/// CPython's `merge` is a Python generator; gilgate's iterator has that type name.
pub(crate) static mut Merge_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(merge_dealloc),
    tp_iter: Some(merge_iter),
    tp_iternext: Some(merge_next),
    ..static_type(c"generator", size_of::<Merge>(), 0, 0)
};

static mut FUNCTIONS: [PyMethodDef; 14] = [
    def!(c"heappush", fast, hq_heappush),
    def!(c"heappop", o, hq_heappop),
    def!(c"heapify", o, hq_heapify),
    def!(c"heapreplace", fast, hq_heapreplace),
    def!(c"heappushpop", fast, hq_heappushpop),
    def!(c"heappush_max", fast, hq_heappush_max),
    def!(c"heappop_max", o, hq_heappop_max),
    def!(c"heapify_max", o, hq_heapify_max),
    def!(c"heapreplace_max", fast, hq_heapreplace_max),
    def!(c"heappushpop_max", fast, hq_heappushpop_max),
    def!(c"merge", kw, hq_merge),
    def!(c"nlargest", kw, hq_nlargest),
    def!(c"nsmallest", kw, hq_nsmallest),
    PyMethodDef::END,
];

/// The types start-up readies (listed in `config::INITTAB`).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![&raw mut Merge_Type]
}

/// The `heapq` module (borrowed, process-lifetime; NULL with an exception if it could not be
/// made).
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "heapq", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("heapq");
    // SAFETY: `name` is a live str; the table is static; every object put in the dict is live.
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return null_mut();
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let table = &raw mut FUNCTIONS;
        for i in 0..(*table).len() - 1 {
            let ml = (&raw mut (*table)[i]).cast::<PyMethodDef>();
            let k = CStr::from_ptr((*ml).ml_name).to_string_lossy();
            // the C functions are `_heapq`'s; merge and the n-best ones are heapq.py's
            let owner = if matches!(&*k, "merge" | "nlargest" | "nsmallest") {
                "heapq"
            } else {
                "_heapq"
            };
            let f = crate::methodobject::new_cfunction(
                ml,
                null_mut(),
                crate::unicodeobject::intern(owner),
                null_mut(),
            );
            if f.is_null() {
                decref(m);
                return null_mut();
            }
            crate::dictobject::set_item_str(d, &k, f);
            decref(f);
        }
        let all = crate::listobject::new_list(0);
        for n in [
            "heappush",
            "heappop",
            "heapify",
            "heapreplace",
            "merge",
            "nlargest",
            "nsmallest",
            "heappushpop",
            "heappush_max",
            "heappop_max",
            "heapify_max",
            "heapreplace_max",
            "heappushpop_max",
        ] {
            let s = crate::unicodeobject::from_str(n);
            crate::listobject::append(all, s);
            decref(s);
        }
        crate::dictobject::set_item_str(d, "__all__", all);
        decref(all);
        m
    }
}
