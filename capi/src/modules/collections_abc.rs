//! gilgate's own `_collections_abc` module, which is `collections.abc` (CPython 3.14's
//! `Lib/_collections_abc.py`: the module is named `collections.abc` and so is its classes'
//! `__module__`). Every ABC of `__all__`, made by `abc.ABCMeta`, with its abstract methods, its
//! `__subclasshook__` (the structural checks of `Iterable`, `Hashable`, `Sized`, ...), its mixin
//! methods (written in Rust as [`crate::abc::Func`]s, so they bind like Python functions and
//! work unbound on any object: `Sequence.index([1, 2], 2)`), and the built-in types registered
//! as CPython registers them (`list` is a `MutableSequence`, `dict` a `MutableMapping`, ...).
//!
//! The classes' slots that the mixins imply (`__init__`, `__len__`, `__iter__`,
//! `__contains__`, `__repr__` of the views, the set operators and comparisons of `Set`) are
//! set on the classes, so subclasses made by `type(name, bases, dict)` get them.
//!
//! Methods whose CPython body is a coroutine or a generator function with a body
//! (`Awaitable.__await__`, `AsyncIterator.__anext__`, `AsyncGenerator.asend`/`athrow`/
//! `aclose`/`__anext__`) raise `SystemError` naming themselves: calling them needs Python.

use crate::abc::{
    Body, FuncDef, Kind, Obj, call, call_method, collect, getattr, not_implemented, py_bool,
    type_error,
};
use crate::object::{PyObject, PyTypeObject, ty};
use crate::pyerrors::{
    EXC_IndexError, EXC_KeyError, EXC_RuntimeError, EXC_StopIteration, EXC_ValueError, raise,
};
use crate::refcount::{decref, new_ref};
use crate::unicodeobject as uni;
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The ABCs, in `__all__`'s order.
const NAMES: [&str; 26] = [
    "Awaitable",
    "Coroutine",
    "AsyncIterable",
    "AsyncIterator",
    "AsyncGenerator",
    "Hashable",
    "Iterable",
    "Iterator",
    "Generator",
    "Reversible",
    "Sized",
    "Container",
    "Callable",
    "Collection",
    "Set",
    "MutableSet",
    "Mapping",
    "MutableMapping",
    "MappingView",
    "KeysView",
    "ItemsView",
    "ValuesView",
    "Sequence",
    "MutableSequence",
    "ByteString",
    "Buffer",
];

/// Indexes into [`NAMES`] (and [`CLASSES`]).
#[derive(Clone, Copy)]
#[repr(usize)]
enum A {
    Awaitable,
    Coroutine,
    AsyncIterable,
    AsyncIterator,
    AsyncGenerator,
    Hashable,
    Iterable,
    Iterator,
    Generator,
    Reversible,
    Sized,
    Container,
    Callable,
    Collection,
    Set,
    MutableSet,
    Mapping,
    MutableMapping,
    MappingView,
    KeysView,
    ItemsView,
    ValuesView,
    Sequence,
    MutableSequence,
    ByteString,
    Buffer,
}

/// The ABC classes (addresses), set while the module is made.
static CLASSES: [AtomicUsize; 26] = [const { AtomicUsize::new(0) }; 26];

fn class(a: A) -> *mut PyObject {
    CLASSES[a as usize].load(Ordering::SeqCst) as *mut PyObject
}

/// `isinstance(o, abc)`: Err on error.
unsafe fn is_a(o: *mut PyObject, a: A) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    match unsafe { crate::abstract_::PyObject_IsInstance(o, class(a)) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

// ---- helpers ---------------------------------------------------------------------------------

fn none() -> *mut PyObject {
    crate::object::new_none()
}

/// `len(o)`.
unsafe fn len(o: *mut PyObject) -> Result<isize, ()> {
    // SAFETY: a live object (caller).
    match unsafe { crate::abstract_::PyObject_Size(o) } {
        n if n < 0 => Err(()),
        n => Ok(n),
    }
}

/// `x in o`.
unsafe fn contains(o: *mut PyObject, x: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PySequence_Contains(o, x) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

/// `a is b or a == b`.
unsafe fn same(a: *mut PyObject, b: *mut PyObject) -> Result<bool, ()> {
    if a == b {
        return Ok(true);
    }
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_RichCompareBool(a, b, crate::object::Py_EQ) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

/// `o[k]`.
unsafe fn getitem(o: *mut PyObject, k: *mut PyObject) -> Obj {
    // SAFETY: live objects (caller).
    Obj::new(unsafe { crate::abstract_::PyObject_GetItem(o, k) })
}

unsafe fn getitem_i(o: *mut PyObject, i: isize) -> Obj {
    let k = Obj::new(crate::longobject::from_i128(i as i128));
    if k.is_null() {
        return k;
    }
    // SAFETY: live objects (caller).
    unsafe { getitem(o, k.ptr()) }
}

unsafe fn setitem(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    if unsafe { crate::abstract_::PyObject_SetItem(o, k, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

unsafe fn delitem(o: *mut PyObject, k: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    if unsafe { crate::abstract_::PyObject_DelItem(o, k) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}

/// Whether the pending exception is `t` (cleared if so).
fn caught(t: *mut PyTypeObject) -> bool {
    if crate::pyerrors::matches_current(t) {
        crate::pyerrors::clear();
        true
    } else {
        false
    }
}

/// A Rust result as a new reference (NULL on error).
fn ret(r: Result<*mut PyObject, ()>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

fn raise_none(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: `t` is a live exception type.
    unsafe { crate::pyerrors::PyErr_SetNone(t.cast()) };
    null_mut()
}

/// An iterator over `items` (the result of a mixin whose CPython body is a generator).
fn iter_of(items: Vec<Obj>) -> *mut PyObject {
    let ptrs: Vec<*mut PyObject> = items.iter().map(Obj::ptr).collect();
    // SAFETY: live items.
    let l = Obj::new(unsafe { crate::tupleobject::from_slice(&ptrs) });
    if l.is_null() {
        return null_mut();
    }
    // SAFETY: a live tuple.
    unsafe { crate::abstract_::get_iter(l.ptr()) }
}

/// `self._from_iterable(<items>)`: the method is looked up before the items are made (as
/// Python evaluates the callee before its argument).
unsafe fn from_iterable_of(
    self_: *mut PyObject,
    items: impl FnOnce() -> Result<Vec<Obj>, ()>,
) -> *mut PyObject {
    // SAFETY: live objects (caller).
    unsafe {
        let f = getattr(self_, "_from_iterable");
        if f.is_null() {
            return null_mut();
        }
        let Ok(items) = items() else {
            return null_mut();
        };
        let ptrs: Vec<*mut PyObject> = items.iter().map(Obj::ptr).collect();
        let l = Obj::new(crate::tupleobject::from_slice(&ptrs));
        if l.is_null() {
            return null_mut();
        }
        call(f.ptr(), &[l.ptr()]).into_raw()
    }
}

/// Python's `a, b = o`: the two items, or CPython's unpacking errors.
unsafe fn unpack2(o: *mut PyObject) -> Result<(Obj, Obj), ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let it = Obj::new(crate::abstract_::get_iter(o));
        if it.is_null() {
            if crate::pyerrors::matches_current(&raw mut crate::pyerrors::EXC_TypeError)
                && (*ty(o)).tp_iter.is_none()
                && crate::abstract_::PySequence_Check(o) == 0
            {
                crate::pyerrors::clear();
                type_error(&format!(
                    "cannot unpack non-iterable {} object",
                    crate::object::tname(o)
                ));
            }
            return Err(());
        }
        let items = collect(it.ptr())?;
        if items.len() == 2 {
            let mut v = items.into_iter();
            let (a, b) = (v.next(), v.next());
            if let (Some(a), Some(b)) = (a, b) {
                return Ok((a, b));
            }
            return Err(());
        }
        let msg = if items.len() < 2 {
            format!(
                "not enough values to unpack (expected 2, got {})",
                items.len()
            )
        } else if crate::tupleobject::is_tuple(o)
            || crate::listobject::is_list(o)
            || crate::dictobject::is_dict(o)
        {
            format!(
                "too many values to unpack (expected 2, got {})",
                items.len()
            )
        } else {
            "too many values to unpack (expected 2)".to_string()
        };
        raise(&raw mut EXC_ValueError, &msg);
        Err(())
    }
}

fn needs_python(what: &str) -> *mut PyObject {
    crate::pyerrors::set_system_error(&format!(
        "gilgate: {what} is a coroutine or generator function: calling it needs Python"
    ));
    null_mut()
}

// ---- __subclasshook__ ------------------------------------------------------------------------

/// CPython's `_check_methods(C, *methods)`: True when each name is defined along `C`'s MRO
/// (and not set to None there), else NotImplemented.
pub(crate) unsafe fn check_methods(c: *mut PyObject, methods: &[&str]) -> *mut PyObject {
    // SAFETY: a live object (caller).
    unsafe {
        let mro = getattr(c, "__mro__");
        if mro.is_null() {
            return null_mut();
        }
        let Ok(mro) = collect(mro.ptr()) else {
            return null_mut();
        };
        'names: for m in methods {
            for b in &mro {
                if !crate::object::is_type(b.ptr()) {
                    continue;
                }
                let d = crate::object::ensure_dict(b.ptr().cast());
                if d.is_null() {
                    continue;
                }
                let v = crate::dictobject::get_str(d, m);
                if !v.is_null() {
                    if v == crate::object::none() {
                        return not_implemented();
                    }
                    continue 'names;
                }
            }
            return not_implemented();
        }
        py_bool(true)
    }
}

/// A `__subclasshook__` body: `methods` checked when `cls` is the ABC `a`, else
/// NotImplemented.
unsafe fn hook(args: &[*mut PyObject], a: A, methods: &[&str]) -> *mut PyObject {
    if args[0] != class(a) {
        return not_implemented();
    }
    // SAFETY: a live class (Func contract).
    unsafe { check_methods(args[1], methods) }
}

macro_rules! hooks {
    ($($f:ident: $a:ident [$($m:literal),*];)*) => {
        $(
            unsafe fn $f(args: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
                // SAFETY: forwarded Func contract.
                unsafe { hook(args, A::$a, &[$($m),*]) }
            }
        )*
    };
}

hooks! {
    hook_hashable: Hashable ["__hash__"];
    hook_awaitable: Awaitable ["__await__"];
    hook_coroutine: Coroutine ["__await__", "send", "throw", "close"];
    hook_async_iterable: AsyncIterable ["__aiter__"];
    hook_async_iterator: AsyncIterator ["__anext__", "__aiter__"];
    hook_async_generator: AsyncGenerator ["__aiter__", "__anext__", "asend", "athrow", "aclose"];
    hook_iterable: Iterable ["__iter__"];
    hook_iterator: Iterator ["__iter__", "__next__"];
    hook_reversible: Reversible ["__reversed__", "__iter__"];
    hook_generator: Generator ["__iter__", "__next__", "send", "throw", "close"];
    hook_sized: Sized ["__len__"];
    hook_container: Container ["__contains__"];
    hook_collection: Collection ["__len__", "__iter__", "__contains__"];
    hook_buffer: Buffer ["__buffer__"];
    hook_callable: Callable ["__call__"];
}

const fn hook_def(qualname: &'static str, body: Body) -> FuncDef {
    FuncDef::new(qualname, &["cls", "C"], 2, Kind::Class, body)
}

// ---- one-trick ponies ------------------------------------------------------------------------

unsafe fn zero(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::longobject::from_i128(0)
}
unsafe fn false_(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    py_bool(false)
}
unsafe fn return_self(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { new_ref(a[0]) }
}
unsafe fn empty_iter(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    iter_of(Vec::new())
}
unsafe fn stop_iteration(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise_none(&raw mut EXC_StopIteration)
}
unsafe fn index_error(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise_none(&raw mut EXC_IndexError)
}
unsafe fn key_error(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise_none(&raw mut EXC_KeyError)
}
unsafe fn not_implemented_error(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    raise_none(&raw mut crate::pyerrors::EXC_NotImplementedError)
}
unsafe fn await_body(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("Awaitable.__await__")
}
unsafe fn anext_body(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("AsyncIterator.__anext__")
}
unsafe fn agen_anext(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("AsyncGenerator.__anext__")
}
unsafe fn agen_asend(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("AsyncGenerator.asend")
}
unsafe fn agen_athrow(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("AsyncGenerator.athrow")
}
unsafe fn agen_aclose(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    needs_python("AsyncGenerator.aclose")
}

/// `AsyncIterable.__aiter__`: `AsyncIterator()` (which raises: it is abstract).
unsafe fn aiter_body(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: the live AsyncIterator class.
    unsafe { call(class(A::AsyncIterator), &[]).into_raw() }
}

/// Python's `raise e`: an exception class is instantiated, an instance raised as it is.
unsafe fn raise_obj(e: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (caller).
    unsafe {
        let base = (&raw mut crate::pyerrors::EXC_BaseException).cast::<PyObject>();
        let inst = if crate::object::is_type(e) && crate::object::is_subtype(e.cast(), base.cast())
        {
            call(e, &[])
        } else {
            Obj::borrowed(e)
        };
        if inst.is_null() {
            return null_mut();
        }
        if !crate::object::type_check(inst.ptr(), base.cast()) {
            return type_error("exceptions must derive from BaseException");
        }
        crate::pyerrors::PyErr_SetObject(ty(inst.ptr()).cast(), inst.ptr());
        null_mut()
    }
}

/// `throw(typ, val=None, tb=None)`: raises `typ` (or `val`).
unsafe fn throw(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (typ, val, tb) = (a[1], a.get(2).copied(), a.get(3).copied());
        let val = val.filter(|v| !v.is_null() && *v != crate::object::none());
        let tb = tb.filter(|v| !v.is_null() && *v != crate::object::none());
        let exc = match val {
            Some(v) => Obj::borrowed(v),
            None => {
                if tb.is_none() {
                    return raise_obj(typ);
                }
                call(typ, &[])
            }
        };
        if exc.is_null() {
            return null_mut();
        }
        let exc = match tb {
            Some(t) => call_method(exc.ptr(), "with_traceback", &[t]),
            None => exc,
        };
        if exc.is_null() {
            return null_mut();
        }
        raise_obj(exc.ptr())
    }
}

/// `close()` of Generator/Coroutine: `throw(GeneratorExit)` must end it.
unsafe fn close_with(a: &[*mut PyObject], what: &str) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let r = call_method(
            a[0],
            "throw",
            &[(&raw mut crate::pyerrors::EXC_GeneratorExit).cast()],
        );
        if r.is_null() {
            if caught(&raw mut crate::pyerrors::EXC_GeneratorExit)
                || caught(&raw mut EXC_StopIteration)
            {
                return none();
            }
            return null_mut();
        }
        raise(
            &raw mut EXC_RuntimeError,
            &format!("{what} ignored GeneratorExit"),
        )
    }
}
unsafe fn gen_close(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { close_with(a, "generator") }
}
unsafe fn coro_close(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { close_with(a, "coroutine") }
}
unsafe fn gen_next(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { call_method(a[0], "send", &[crate::object::none()]).into_raw() }
}

// ---- Set -------------------------------------------------------------------------------------

/// `self <= other` over elements (both Sets).
unsafe fn set_le(a: *mut PyObject, b: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        if len(a)? > len(b)? {
            return Ok(false);
        }
        for x in collect(a)? {
            if !contains(b, x.ptr())? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The four comparisons and `==`: NotImplemented unless `other` is a Set.
unsafe fn set_compare(a: &[*mut PyObject], op: c_int) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, o) = (a[0], a[1]);
        match is_a(o, A::Set) {
            Err(()) => return null_mut(),
            Ok(false) => return not_implemented(),
            Ok(true) => {}
        }
        let r = (|| -> Result<bool, ()> {
            let (ls, lo) = (len(s)?, len(o)?);
            Ok(match op {
                crate::object::Py_LE => set_le(s, o)?,
                crate::object::Py_LT => ls < lo && set_le(s, o)?,
                crate::object::Py_GT => ls > lo && set_le(o, s)?,
                crate::object::Py_GE => set_le(o, s)?,
                _ => ls == lo && set_le(s, o)?,
            })
        })();
        match r {
            Ok(b) => py_bool(b),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn set_le_m(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { set_compare(a, crate::object::Py_LE) }
}
unsafe fn set_lt_m(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { set_compare(a, crate::object::Py_LT) }
}
unsafe fn set_gt_m(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { set_compare(a, crate::object::Py_GT) }
}
unsafe fn set_ge_m(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { set_compare(a, crate::object::Py_GE) }
}
unsafe fn set_eq_m(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { set_compare(a, crate::object::Py_EQ) }
}

/// `Set._from_iterable(cls, it)`: `cls(it)`.
unsafe fn set_from_iterable(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { call(a[0], &[a[1]]).into_raw() }
}

/// `KeysView/ItemsView._from_iterable(cls, it)`: `set(it)`.
unsafe fn view_from_iterable(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { crate::setobject::PySet_New(a[1]) }
}

unsafe fn set_and(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, o) = (a[0], a[1]);
        match is_a(o, A::Iterable) {
            Err(()) => return null_mut(),
            Ok(false) => return not_implemented(),
            Ok(true) => {}
        }
        from_iterable_of(s, || {
            let mut keep = Vec::new();
            for x in collect(o)? {
                if contains(s, x.ptr())? {
                    keep.push(x);
                }
            }
            Ok(keep)
        })
    }
}

unsafe fn set_isdisjoint(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(items) = collect(a[1]) else {
            return null_mut();
        };
        for x in items {
            match contains(a[0], x.ptr()) {
                Err(()) => return null_mut(),
                Ok(true) => return py_bool(false),
                Ok(false) => {}
            }
        }
        py_bool(true)
    }
}

unsafe fn set_or(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, o) = (a[0], a[1]);
        match is_a(o, A::Iterable) {
            Err(()) => return null_mut(),
            Ok(false) => return not_implemented(),
            Ok(true) => {}
        }
        from_iterable_of(s, || {
            let mut x = collect(s)?;
            x.extend(collect(o)?);
            Ok(x)
        })
    }
}

/// `other` as a Set: itself, or `self._from_iterable(other)`; None when not iterable.
unsafe fn as_set(s: *mut PyObject, o: *mut PyObject) -> Result<Option<Obj>, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        if is_a(o, A::Set)? {
            return Ok(Some(Obj::borrowed(o)));
        }
        if !is_a(o, A::Iterable)? {
            return Ok(None);
        }
        let r = Obj::new(from_iterable_of(s, || collect(o)));
        if r.is_null() { Err(()) } else { Ok(Some(r)) }
    }
}

/// The elements of `x` not in `y`.
unsafe fn minus(x: *mut PyObject, y: *mut PyObject) -> Result<Vec<Obj>, ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let mut out = Vec::new();
        for v in collect(x)? {
            if !contains(y, v.ptr())? {
                out.push(v);
            }
        }
        Ok(out)
    }
}

unsafe fn set_sub(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let s = a[0];
        match as_set(s, a[1]) {
            Err(()) => null_mut(),
            Ok(None) => not_implemented(),
            Ok(Some(o)) => from_iterable_of(s, || minus(s, o.ptr())),
        }
    }
}

unsafe fn set_rsub(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let s = a[0];
        match as_set(s, a[1]) {
            Err(()) => null_mut(),
            Ok(None) => not_implemented(),
            Ok(Some(o)) => from_iterable_of(s, || minus(o.ptr(), s)),
        }
    }
}

unsafe fn set_xor(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let s = a[0];
        match as_set(s, a[1]) {
            Err(()) => null_mut(),
            Ok(None) => not_implemented(),
            Ok(Some(o)) => {
                let l = Obj::new(crate::abstract_::PyNumber_Subtract(s, o.ptr()));
                let r = Obj::new(crate::abstract_::PyNumber_Subtract(o.ptr(), s));
                if l.is_null() || r.is_null() {
                    return null_mut();
                }
                crate::abstract_::PyNumber_Or(l.ptr(), r.ptr())
            }
        }
    }
}

/// `Set._hash()`: CPython's order-independent hash of the elements.
unsafe fn set_hash(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let Ok(n) = len(a[0]) else {
            return null_mut();
        };
        let mut h: u64 = 1927868237u64.wrapping_mul(n as u64 + 1);
        let Ok(items) = collect(a[0]) else {
            return null_mut();
        };
        for x in items {
            let hx = crate::object::hash(x.ptr());
            if hx == -1 && crate::pyerrors::occurred() {
                return null_mut();
            }
            let hx = hx as u64;
            h ^= (hx ^ (hx << 16) ^ 89869747).wrapping_mul(3644798167);
        }
        h ^= (h >> 11) ^ (h >> 25);
        h = h.wrapping_mul(69069).wrapping_add(907133923);
        let mut v = h as i64;
        if v == -1 {
            v = 590923713;
        }
        crate::longobject::from_i128(i128::from(v))
    }
}

// ---- MutableSet ------------------------------------------------------------------------------

unsafe fn mset_remove(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        match contains(a[0], a[1]) {
            Err(()) => null_mut(),
            Ok(false) => {
                crate::pyerrors::PyErr_SetObject((&raw mut EXC_KeyError).cast(), a[1]);
                null_mut()
            }
            Ok(true) => call_method(a[0], "discard", &[a[1]]).into_raw(),
        }
    }
}

unsafe fn mset_pop(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let it = Obj::new(crate::abstract_::get_iter(a[0]));
        if it.is_null() {
            return null_mut();
        }
        let v = Obj::new(crate::abstract_::iter_next(it.ptr()));
        if v.is_null() {
            if crate::pyerrors::occurred() {
                return null_mut();
            }
            return raise_none(&raw mut EXC_KeyError);
        }
        let r = call_method(a[0], "discard", &[v.ptr()]);
        if r.is_null() {
            return null_mut();
        }
        v.into_raw()
    }
}

/// `clear()` by popping until `stop` is raised.
unsafe fn clear_by_pop(
    o: *mut PyObject,
    stop: *mut PyTypeObject,
    args: &[*mut PyObject],
) -> *mut PyObject {
    loop {
        // SAFETY: a live object (caller).
        let r = unsafe { call_method(o, "pop", args) };
        if r.is_null() {
            return if caught(stop) { none() } else { null_mut() };
        }
    }
}

unsafe fn mset_clear(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { clear_by_pop(a[0], &raw mut EXC_KeyError, &[]) }
}

unsafe fn each(o: *mut PyObject, method: &str, items: Vec<Obj>) -> Result<(), ()> {
    for x in items {
        // SAFETY: live objects (caller).
        if unsafe { call_method(o, method, &[x.ptr()]) }.is_null() {
            return Err(());
        }
    }
    Ok(())
}

unsafe fn mset_ior(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        match collect(a[1]).and_then(|v| each(a[0], "add", v)) {
            Ok(()) => new_ref(a[0]),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mset_iand(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let d = Obj::new(crate::abstract_::PyNumber_Subtract(a[0], a[1]));
        if d.is_null() {
            return null_mut();
        }
        match collect(d.ptr()).and_then(|v| each(a[0], "discard", v)) {
            Ok(()) => new_ref(a[0]),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mset_ixor(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, it) = (a[0], a[1]);
        if s == it {
            if call_method(s, "clear", &[]).is_null() {
                return null_mut();
            }
            return new_ref(s);
        }
        let other = match is_a(it, A::Set) {
            Err(()) => return null_mut(),
            Ok(true) => Obj::borrowed(it),
            Ok(false) => Obj::new(from_iterable_of(s, || collect(it))),
        };
        if other.is_null() {
            return null_mut();
        }
        let Ok(items) = collect(other.ptr()) else {
            return null_mut();
        };
        for x in items {
            let m = match contains(s, x.ptr()) {
                Err(()) => return null_mut(),
                Ok(true) => "discard",
                Ok(false) => "add",
            };
            if call_method(s, m, &[x.ptr()]).is_null() {
                return null_mut();
            }
        }
        new_ref(s)
    }
}

unsafe fn mset_isub(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let (s, it) = (a[0], a[1]);
        let r = if s == it {
            if call_method(s, "clear", &[]).is_null() {
                Err(())
            } else {
                Ok(())
            }
        } else {
            collect(it).and_then(|v| each(s, "discard", v))
        };
        match r {
            Ok(()) => new_ref(s),
            Err(()) => null_mut(),
        }
    }
}

// ---- Mapping ---------------------------------------------------------------------------------

unsafe fn map_get(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); `a[2]` NULL when not given.
    unsafe {
        let v = getitem(a[0], a[1]);
        if !v.is_null() {
            return v.into_raw();
        }
        if !caught(&raw mut EXC_KeyError) {
            return null_mut();
        }
        let d = a.get(2).copied().unwrap_or(null_mut());
        if d.is_null() { none() } else { new_ref(d) }
    }
}

unsafe fn map_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let v = getitem(a[0], a[1]);
        if !v.is_null() {
            return py_bool(true);
        }
        if caught(&raw mut EXC_KeyError) {
            py_bool(false)
        } else {
            null_mut()
        }
    }
}

unsafe fn map_view(a: &[*mut PyObject], v: A) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe { call(class(v), &[a[0]]).into_raw() }
}
unsafe fn map_keys(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { map_view(a, A::KeysView) }
}
unsafe fn map_items(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { map_view(a, A::ItemsView) }
}
unsafe fn map_values(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { map_view(a, A::ValuesView) }
}

/// `dict(m.items())`.
unsafe fn as_dict(m: *mut PyObject) -> Obj {
    // SAFETY: a live object (caller).
    unsafe {
        let items = call_method(m, "items", &[]);
        if items.is_null() {
            return items;
        }
        call(
            (&raw mut crate::dictobject::PyDict_Type).cast(),
            &[items.ptr()],
        )
    }
}

unsafe fn map_eq(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        match is_a(a[1], A::Mapping) {
            Err(()) => return null_mut(),
            Ok(false) => return not_implemented(),
            Ok(true) => {}
        }
        let (x, y) = (as_dict(a[0]), as_dict(a[1]));
        if x.is_null() || y.is_null() {
            return null_mut();
        }
        crate::abstract_::PyObject_RichCompare(x.ptr(), y.ptr(), crate::object::Py_EQ)
    }
}

// ---- MappingView and the three views ---------------------------------------------------------

unsafe fn mapping_of(view: *mut PyObject) -> Obj {
    // SAFETY: a live object (caller).
    unsafe { getattr(view, "_mapping") }
}

unsafe fn mview_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let n = Obj::new(uni::from_str("_mapping"));
        if crate::object::setattr(a[0], n.ptr(), a[1]) < 0 {
            return null_mut();
        }
        none()
    }
}

unsafe fn mview_len(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let m = mapping_of(a[0]);
        if m.is_null() {
            return null_mut();
        }
        match len(m.ptr()) {
            Ok(n) => crate::longobject::from_i128(n as i128),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mview_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let m = mapping_of(a[0]);
        if m.is_null() {
            return null_mut();
        }
        let r = Obj::new(crate::object::repr(m.ptr()));
        let c = getattr(a[0], "__class__");
        if r.is_null() || c.is_null() {
            return null_mut();
        }
        let n = getattr(c.ptr(), "__name__");
        if n.is_null() {
            return null_mut();
        }
        let s = format!(
            "{}({})",
            crate::object::str_string(n.ptr()),
            uni::as_str(r.ptr()).unwrap_or("")
        );
        uni::from_str(&s)
    }
}

unsafe fn keys_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let m = mapping_of(a[0]);
        if m.is_null() {
            return null_mut();
        }
        match contains(m.ptr(), a[1]) {
            Ok(b) => py_bool(b),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn keys_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let m = mapping_of(a[0]);
        if m.is_null() {
            return null_mut();
        }
        crate::abstract_::get_iter(m.ptr())
    }
}

unsafe fn items_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok((k, v)) = unpack2(a[1]) else {
            return null_mut();
        };
        let m = mapping_of(a[0]);
        if m.is_null() {
            return null_mut();
        }
        let got = getitem(m.ptr(), k.ptr());
        if got.is_null() {
            return if caught(&raw mut EXC_KeyError) {
                py_bool(false)
            } else {
                null_mut()
            };
        }
        ret(same(got.ptr(), v.ptr()).map(py_bool))
    }
}

/// The `(key, mapping[key])` pairs, or the values, of a view's mapping.
unsafe fn view_entries(view: *mut PyObject, pairs: bool) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let m = mapping_of(view);
        if m.is_null() {
            return Err(());
        }
        let mut out = Vec::new();
        for k in collect(m.ptr())? {
            let v = getitem(m.ptr(), k.ptr());
            if v.is_null() {
                return Err(());
            }
            if pairs {
                let t = Obj::new(crate::tupleobject::from_slice(&[k.ptr(), v.ptr()]));
                if t.is_null() {
                    return Err(());
                }
                out.push(t);
            } else {
                out.push(v);
            }
        }
        Ok(out)
    }
}

unsafe fn items_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    match unsafe { view_entries(a[0], true) } {
        Ok(v) => iter_of(v),
        Err(()) => null_mut(),
    }
}

unsafe fn values_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    match unsafe { view_entries(a[0], false) } {
        Ok(v) => iter_of(v),
        Err(()) => null_mut(),
    }
}

unsafe fn values_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(vals) = view_entries(a[0], false) else {
            return null_mut();
        };
        for v in vals {
            match same(v.ptr(), a[1]) {
                Err(()) => return null_mut(),
                Ok(true) => return py_bool(true),
                Ok(false) => {}
            }
        }
        py_bool(false)
    }
}

// ---- MutableMapping --------------------------------------------------------------------------

/// `MutableMapping.pop(key[, default])`: a missing key reads `self._MutableMapping__marker`
/// (CPython's name-mangled sentinel, so a plain dict raises AttributeError there).
unsafe fn mmap_pop(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); `a[2]` NULL when not given.
    unsafe {
        let v = getitem(a[0], a[1]);
        if v.is_null() {
            if !crate::pyerrors::matches_current(&raw mut EXC_KeyError) {
                return null_mut();
            }
            let key_error = crate::pyerrors::take_raised();
            let marker = getattr(a[0], "_MutableMapping__marker");
            if marker.is_null() {
                decref(key_error);
                return null_mut();
            }
            let d = a.get(2).copied().unwrap_or(null_mut());
            if d.is_null() || d == marker.ptr() {
                crate::pyerrors::restore_raised(key_error);
                return null_mut();
            }
            decref(key_error);
            return new_ref(d);
        }
        match delitem(a[0], a[1]) {
            Ok(()) => v.into_raw(),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mmap_popitem(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let it = Obj::new(crate::abstract_::get_iter(a[0]));
        if it.is_null() {
            return null_mut();
        }
        let k = Obj::new(crate::abstract_::iter_next(it.ptr()));
        if k.is_null() {
            if crate::pyerrors::occurred() {
                return null_mut();
            }
            return raise_none(&raw mut EXC_KeyError);
        }
        let v = getitem(a[0], k.ptr());
        if v.is_null() || delitem(a[0], k.ptr()).is_err() {
            return null_mut();
        }
        crate::tupleobject::from_slice(&[k.ptr(), v.ptr()])
    }
}

unsafe fn mmap_clear(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    loop {
        // SAFETY: a live argument (Func contract).
        let r = unsafe { call_method(a[0], "popitem", &[]) };
        if r.is_null() {
            return if caught(&raw mut EXC_KeyError) {
                none()
            } else {
                null_mut()
            };
        }
    }
}

unsafe fn mmap_update(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); `a[1]` NULL when not given, kw NULL or a dict.
    unsafe {
        let (s, other) = (a[0], a.get(1).copied().unwrap_or(null_mut()));
        let r = (|| -> Result<(), ()> {
            if !other.is_null() {
                let keys = if is_a(other, A::Mapping)? {
                    Some(collect(other)?)
                } else if crate::abc::getattr_opt(other, "keys")?.is_some() {
                    let k = call_method(other, "keys", &[]);
                    if k.is_null() {
                        return Err(());
                    }
                    Some(collect(k.ptr())?)
                } else {
                    None
                };
                match keys {
                    Some(keys) => {
                        for k in keys {
                            let v = getitem(other, k.ptr());
                            if v.is_null() {
                                return Err(());
                            }
                            setitem(s, k.ptr(), v.ptr())?;
                        }
                    }
                    None => {
                        for pair in collect(other)? {
                            let (k, v) = unpack2(pair.ptr())?;
                            setitem(s, k.ptr(), v.ptr())?;
                        }
                    }
                }
            }
            if !kw.is_null() {
                for (k, v) in crate::abc::dict_items(kw) {
                    setitem(s, k.ptr(), v.ptr())?;
                }
            }
            Ok(())
        })();
        match r {
            Ok(()) => none(),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mmap_setdefault(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); `a[2]` NULL when not given.
    unsafe {
        let v = getitem(a[0], a[1]);
        if !v.is_null() {
            return v.into_raw();
        }
        if !caught(&raw mut EXC_KeyError) {
            return null_mut();
        }
        let d = match a.get(2).copied() {
            Some(d) if !d.is_null() => d,
            _ => crate::object::none(),
        };
        match setitem(a[0], a[1], d) {
            Ok(()) => new_ref(d),
            Err(()) => null_mut(),
        }
    }
}

// ---- Sequence and MutableSequence --------------------------------------------------------------

unsafe fn seq_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe { crate::iterobject::PySeqIter_New(a[0]) }
}

unsafe fn seq_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(items) = collect(a[0]) else {
            return null_mut();
        };
        for v in items {
            match same(v.ptr(), a[1]) {
                Err(()) => return null_mut(),
                Ok(true) => return py_bool(true),
                Ok(false) => {}
            }
        }
        py_bool(false)
    }
}

unsafe fn seq_reversed(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let Ok(n) = len(a[0]) else {
            return null_mut();
        };
        let mut out = Vec::new();
        for i in (0..n).rev() {
            let v = getitem_i(a[0], i);
            if v.is_null() {
                return null_mut();
            }
            out.push(v);
        }
        iter_of(out)
    }
}

/// Python's `a < b`.
unsafe fn lt(a: *mut PyObject, b: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_RichCompareBool(a, b, crate::object::Py_LT) } {
        r if r < 0 => Err(()),
        r => Ok(r == 1),
    }
}

/// Python's `a + b`.
unsafe fn add(a: *mut PyObject, b: *mut PyObject) -> Result<Obj, ()> {
    // SAFETY: live objects (caller).
    let r = Obj::new(unsafe { crate::abstract_::PyNumber_Add(a, b) });
    if r.is_null() { Err(()) } else { Ok(r) }
}

unsafe fn seq_index(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); start/stop NULL when not given.
    unsafe {
        let (s, value) = (a[0], a[1]);
        let none = crate::object::none();
        let r = (|| -> Result<Option<Obj>, ()> {
            let zero = Obj::new(crate::longobject::from_i128(0));
            let one = Obj::new(crate::longobject::from_i128(1));
            let mut start = match a.get(2).copied() {
                Some(x) if !x.is_null() => Obj::borrowed(x),
                _ => Obj::borrowed(zero.ptr()),
            };
            let mut stop = match a.get(3).copied() {
                Some(x) if !x.is_null() => Obj::borrowed(x),
                _ => Obj::borrowed(none),
            };
            let length = || -> Result<Obj, ()> {
                let n = len(s)?;
                let o = Obj::new(crate::longobject::from_i128(n as i128));
                if o.is_null() { Err(()) } else { Ok(o) }
            };
            if start.ptr() != none && lt(start.ptr(), zero.ptr())? {
                let x = add(length()?.ptr(), start.ptr())?;
                start = if lt(x.ptr(), zero.ptr())? { zero } else { x };
            }
            if stop.ptr() != none
                && lt(stop.ptr(), Obj::new(crate::longobject::from_i128(0)).ptr())?
            {
                stop = add(stop.ptr(), length()?.ptr())?;
            }
            let mut i = start;
            while stop.ptr() == none || lt(i.ptr(), stop.ptr())? {
                let v = getitem(s, i.ptr());
                if v.is_null() {
                    if caught(&raw mut EXC_IndexError) {
                        break;
                    }
                    return Err(());
                }
                if same(v.ptr(), value)? {
                    return Ok(Some(i));
                }
                i = add(i.ptr(), one.ptr())?;
            }
            Ok(None)
        })();
        match r {
            Ok(Some(i)) => i.into_raw(),
            Ok(None) => raise_none(&raw mut EXC_ValueError),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn seq_count(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(items) = collect(a[0]) else {
            return null_mut();
        };
        let mut n = 0i128;
        for v in items {
            match same(v.ptr(), a[1]) {
                Err(()) => return null_mut(),
                Ok(true) => n += 1,
                Ok(false) => {}
            }
        }
        crate::longobject::from_i128(n)
    }
}

unsafe fn mseq_append(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let Ok(n) = len(a[0]) else {
            return null_mut();
        };
        let i = Obj::new(crate::longobject::from_i128(n as i128));
        if i.is_null() {
            return null_mut();
        }
        call_method(a[0], "insert", &[i.ptr(), a[1]]).into_raw()
    }
}

unsafe fn mseq_clear(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded.
    unsafe { clear_by_pop(a[0], &raw mut EXC_IndexError, &[]) }
}

unsafe fn mseq_reverse(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live argument (Func contract).
    unsafe {
        let s = a[0];
        let Ok(n) = len(s) else {
            return null_mut();
        };
        for i in 0..n / 2 {
            let j = n - i - 1;
            let (x, y) = (getitem_i(s, i), getitem_i(s, j));
            if x.is_null() || y.is_null() {
                return null_mut();
            }
            let (ki, kj) = (
                Obj::new(crate::longobject::from_i128(i as i128)),
                Obj::new(crate::longobject::from_i128(j as i128)),
            );
            if setitem(s, ki.ptr(), y.ptr()).is_err() || setitem(s, kj.ptr(), x.ptr()).is_err() {
                return null_mut();
            }
        }
        none()
    }
}

unsafe fn mseq_extend(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        match collect(a[1]).and_then(|v| each(a[0], "append", v)) {
            Ok(()) => none(),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn mseq_pop(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract); the index NULL when not given.
    unsafe {
        let minus_one = Obj::new(crate::longobject::from_i128(-1));
        let i = match a.get(1).copied() {
            Some(i) if !i.is_null() => i,
            _ => minus_one.ptr(),
        };
        let v = getitem(a[0], i);
        if v.is_null() || delitem(a[0], i).is_err() {
            return null_mut();
        }
        v.into_raw()
    }
}

unsafe fn mseq_remove(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        let i = call_method(a[0], "index", &[a[1]]);
        if i.is_null() || delitem(a[0], i.ptr()).is_err() {
            return null_mut();
        }
        none()
    }
}

unsafe fn mseq_iadd(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments (Func contract).
    unsafe {
        if call_method(a[0], "extend", &[a[1]]).is_null() {
            return null_mut();
        }
        new_ref(a[0])
    }
}

// ---- the tables ------------------------------------------------------------------------------

const fn m(q: &'static str, p: &'static [&'static str], req: usize, body: Body) -> FuncDef {
    FuncDef::new(q, p, req, Kind::Method, body)
}
const fn ab(q: &'static str, p: &'static [&'static str], req: usize, body: Body) -> FuncDef {
    FuncDef::new(q, p, req, Kind::Abstract, body)
}
const SELF: &[&str] = &["self"];
const OTHER: &[&str] = &["self", "other"];

static HASHABLE: [FuncDef; 2] = [
    ab("Hashable.__hash__", SELF, 1, zero),
    hook_def("Hashable.__subclasshook__", hook_hashable),
];
static AWAITABLE: [FuncDef; 2] = [
    ab("Awaitable.__await__", SELF, 1, await_body),
    hook_def("Awaitable.__subclasshook__", hook_awaitable),
];
static COROUTINE: [FuncDef; 4] = [
    ab("Coroutine.send", &["self", "value"], 2, stop_iteration),
    ab("Coroutine.throw", &["self", "typ", "val", "tb"], 2, throw),
    m("Coroutine.close", SELF, 1, coro_close),
    hook_def("Coroutine.__subclasshook__", hook_coroutine),
];
static ASYNC_ITERABLE: [FuncDef; 2] = [
    ab("AsyncIterable.__aiter__", SELF, 1, aiter_body),
    hook_def("AsyncIterable.__subclasshook__", hook_async_iterable),
];
static ASYNC_ITERATOR: [FuncDef; 3] = [
    ab("AsyncIterator.__anext__", SELF, 1, anext_body),
    m("AsyncIterator.__aiter__", SELF, 1, return_self),
    hook_def("AsyncIterator.__subclasshook__", hook_async_iterator),
];
static ASYNC_GENERATOR: [FuncDef; 5] = [
    m("AsyncGenerator.__anext__", SELF, 1, agen_anext),
    ab("AsyncGenerator.asend", &["self", "value"], 2, agen_asend),
    ab(
        "AsyncGenerator.athrow",
        &["self", "typ", "val", "tb"],
        2,
        agen_athrow,
    ),
    m("AsyncGenerator.aclose", SELF, 1, agen_aclose),
    hook_def("AsyncGenerator.__subclasshook__", hook_async_generator),
];
static ITERABLE: [FuncDef; 2] = [
    ab("Iterable.__iter__", SELF, 1, empty_iter),
    hook_def("Iterable.__subclasshook__", hook_iterable),
];
static ITERATOR: [FuncDef; 3] = [
    ab("Iterator.__next__", SELF, 1, stop_iteration),
    m("Iterator.__iter__", SELF, 1, return_self),
    hook_def("Iterator.__subclasshook__", hook_iterator),
];
static REVERSIBLE: [FuncDef; 2] = [
    ab("Reversible.__reversed__", SELF, 1, empty_iter),
    hook_def("Reversible.__subclasshook__", hook_reversible),
];
static GENERATOR: [FuncDef; 5] = [
    m("Generator.__next__", SELF, 1, gen_next),
    ab("Generator.send", &["self", "value"], 2, stop_iteration),
    ab("Generator.throw", &["self", "typ", "val", "tb"], 2, throw),
    m("Generator.close", SELF, 1, gen_close),
    hook_def("Generator.__subclasshook__", hook_generator),
];
static SIZED: [FuncDef; 2] = [
    ab("Sized.__len__", SELF, 1, zero),
    hook_def("Sized.__subclasshook__", hook_sized),
];
static CONTAINER: [FuncDef; 2] = [
    ab("Container.__contains__", &["self", "x"], 2, false_),
    hook_def("Container.__subclasshook__", hook_container),
];
static COLLECTION: [FuncDef; 1] = [hook_def("Collection.__subclasshook__", hook_collection)];
static BUFFER: [FuncDef; 2] = [
    ab(
        "Buffer.__buffer__",
        &["self", "flags"],
        2,
        not_implemented_error,
    ),
    hook_def("Buffer.__subclasshook__", hook_buffer),
];
static CALLABLE: [FuncDef; 2] = [
    FuncDef::new("Callable.__call__", SELF, 1, Kind::Abstract, false_)
        .with_varargs()
        .with_kwargs(),
    hook_def("Callable.__subclasshook__", hook_callable),
];
static SET: [FuncDef; 13] = [
    m("Set.__le__", OTHER, 2, set_le_m),
    m("Set.__lt__", OTHER, 2, set_lt_m),
    m("Set.__gt__", OTHER, 2, set_gt_m),
    m("Set.__ge__", OTHER, 2, set_ge_m),
    m("Set.__eq__", OTHER, 2, set_eq_m),
    FuncDef::new(
        "Set._from_iterable",
        &["cls", "it"],
        2,
        Kind::Class,
        set_from_iterable,
    ),
    m("Set.__and__", OTHER, 2, set_and),
    m("Set.isdisjoint", OTHER, 2, set_isdisjoint),
    m("Set.__or__", OTHER, 2, set_or),
    m("Set.__sub__", OTHER, 2, set_sub),
    m("Set.__rsub__", OTHER, 2, set_rsub),
    m("Set.__xor__", OTHER, 2, set_xor),
    m("Set._hash", SELF, 1, set_hash),
];
/// Set's reflected `&`, `|`, `^` are its plain ones under a second name (as in CPython).
const SET_ALIASES: [(&str, usize); 3] = [("__rand__", 6), ("__ror__", 8), ("__rxor__", 11)];
static MUTABLE_SET: [FuncDef; 9] = [
    ab(
        "MutableSet.add",
        &["self", "value"],
        2,
        not_implemented_error,
    ),
    ab(
        "MutableSet.discard",
        &["self", "value"],
        2,
        not_implemented_error,
    ),
    m("MutableSet.remove", &["self", "value"], 2, mset_remove),
    m("MutableSet.pop", SELF, 1, mset_pop),
    m("MutableSet.clear", SELF, 1, mset_clear),
    m("MutableSet.__ior__", &["self", "it"], 2, mset_ior),
    m("MutableSet.__iand__", &["self", "it"], 2, mset_iand),
    m("MutableSet.__ixor__", &["self", "it"], 2, mset_ixor),
    m("MutableSet.__isub__", &["self", "it"], 2, mset_isub),
];
static MAPPING: [FuncDef; 7] = [
    ab("Mapping.__getitem__", &["self", "key"], 2, key_error),
    m("Mapping.get", &["self", "key", "default"], 2, map_get),
    m("Mapping.__contains__", &["self", "key"], 2, map_contains),
    m("Mapping.keys", SELF, 1, map_keys),
    m("Mapping.items", SELF, 1, map_items),
    m("Mapping.values", SELF, 1, map_values),
    m("Mapping.__eq__", OTHER, 2, map_eq),
];
static MAPPING_VIEW: [FuncDef; 3] = [
    m("MappingView.__init__", &["self", "mapping"], 2, mview_init),
    m("MappingView.__len__", SELF, 1, mview_len),
    m("MappingView.__repr__", SELF, 1, mview_repr),
];
static KEYS_VIEW: [FuncDef; 3] = [
    FuncDef::new(
        "KeysView._from_iterable",
        &["cls", "it"],
        2,
        Kind::Class,
        view_from_iterable,
    ),
    m("KeysView.__contains__", &["self", "key"], 2, keys_contains),
    m("KeysView.__iter__", SELF, 1, keys_iter),
];
static ITEMS_VIEW: [FuncDef; 3] = [
    FuncDef::new(
        "ItemsView._from_iterable",
        &["cls", "it"],
        2,
        Kind::Class,
        view_from_iterable,
    ),
    m(
        "ItemsView.__contains__",
        &["self", "item"],
        2,
        items_contains,
    ),
    m("ItemsView.__iter__", SELF, 1, items_iter),
];
static VALUES_VIEW: [FuncDef; 2] = [
    m(
        "ValuesView.__contains__",
        &["self", "value"],
        2,
        values_contains,
    ),
    m("ValuesView.__iter__", SELF, 1, values_iter),
];
static MUTABLE_MAPPING: [FuncDef; 7] = [
    ab(
        "MutableMapping.__setitem__",
        &["self", "key", "value"],
        3,
        key_error,
    ),
    ab("MutableMapping.__delitem__", &["self", "key"], 2, key_error),
    m(
        "MutableMapping.pop",
        &["self", "key", "default"],
        2,
        mmap_pop,
    ),
    m("MutableMapping.popitem", SELF, 1, mmap_popitem),
    m("MutableMapping.clear", SELF, 1, mmap_clear),
    // `other` is positional-only: no keyword names it (the space keeps it from matching).
    FuncDef::new(
        "MutableMapping.update",
        &["self", " other"],
        1,
        Kind::Method,
        mmap_update,
    )
    .with_kwargs(),
    m(
        "MutableMapping.setdefault",
        &["self", "key", "default"],
        2,
        mmap_setdefault,
    ),
];
static SEQUENCE: [FuncDef; 6] = [
    ab("Sequence.__getitem__", &["self", "index"], 2, index_error),
    m("Sequence.__iter__", SELF, 1, seq_iter),
    m("Sequence.__contains__", &["self", "value"], 2, seq_contains),
    m("Sequence.__reversed__", SELF, 1, seq_reversed),
    m(
        "Sequence.index",
        &["self", "value", "start", "stop"],
        2,
        seq_index,
    ),
    m("Sequence.count", &["self", "value"], 2, seq_count),
];
static MUTABLE_SEQUENCE: [FuncDef; 10] = [
    ab(
        "MutableSequence.__setitem__",
        &["self", "index", "value"],
        3,
        index_error,
    ),
    ab(
        "MutableSequence.__delitem__",
        &["self", "index"],
        2,
        index_error,
    ),
    ab(
        "MutableSequence.insert",
        &["self", "index", "value"],
        3,
        index_error,
    ),
    m("MutableSequence.append", &["self", "value"], 2, mseq_append),
    m("MutableSequence.clear", SELF, 1, mseq_clear),
    m("MutableSequence.reverse", SELF, 1, mseq_reverse),
    m(
        "MutableSequence.extend",
        &["self", "values"],
        2,
        mseq_extend,
    ),
    m("MutableSequence.pop", &["self", "index"], 1, mseq_pop),
    m("MutableSequence.remove", &["self", "value"], 2, mseq_remove),
    m(
        "MutableSequence.__iadd__",
        &["self", "values"],
        2,
        mseq_iadd,
    ),
];
static NONE_DEFS: [FuncDef; 0] = [];

// ---- the module ------------------------------------------------------------------------------

static MADE: OnceLock<usize> = OnceLock::new();

/// The `_collections_abc` module, named `collections.abc` (a borrowed, process-lifetime
/// reference; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "_collections_abc", build)
}

/// What each ABC is made of: its bases, methods, `__slots__` and `__abc_tpflags__`.
fn spec(a: A) -> (&'static [A], &'static [FuncDef]) {
    use A::*;
    match a {
        Hashable => (&[], &HASHABLE),
        Awaitable => (&[], &AWAITABLE),
        Coroutine => (&[Awaitable], &COROUTINE),
        AsyncIterable => (&[], &ASYNC_ITERABLE),
        AsyncIterator => (&[AsyncIterable], &ASYNC_ITERATOR),
        AsyncGenerator => (&[AsyncIterator], &ASYNC_GENERATOR),
        Iterable => (&[], &ITERABLE),
        Iterator => (&[Iterable], &ITERATOR),
        Reversible => (&[Iterable], &REVERSIBLE),
        Generator => (&[Iterator], &GENERATOR),
        Sized => (&[], &SIZED),
        Container => (&[], &CONTAINER),
        Collection => (&[Sized, Iterable, Container], &COLLECTION),
        Buffer => (&[], &BUFFER),
        Callable => (&[], &CALLABLE),
        Set => (&[Collection], &SET),
        MutableSet => (&[Set], &MUTABLE_SET),
        Mapping => (&[Collection], &MAPPING),
        MappingView => (&[Sized], &MAPPING_VIEW),
        KeysView => (&[MappingView, Set], &KEYS_VIEW),
        ItemsView => (&[MappingView, Set], &ITEMS_VIEW),
        ValuesView => (&[MappingView, Collection], &VALUES_VIEW),
        MutableMapping => (&[Mapping], &MUTABLE_MAPPING),
        Sequence => (&[Reversible, Collection], &SEQUENCE),
        ByteString => (&[Sequence], &NONE_DEFS),
        MutableSequence => (&[Sequence], &MUTABLE_SEQUENCE),
    }
}

/// The order classes are made in (bases first).
const ORDER: [A; 26] = [
    A::Hashable,
    A::Awaitable,
    A::Coroutine,
    A::AsyncIterable,
    A::AsyncIterator,
    A::AsyncGenerator,
    A::Iterable,
    A::Iterator,
    A::Reversible,
    A::Generator,
    A::Sized,
    A::Container,
    A::Collection,
    A::Buffer,
    A::Callable,
    A::Set,
    A::MutableSet,
    A::Mapping,
    A::MappingView,
    A::KeysView,
    A::ItemsView,
    A::ValuesView,
    A::MutableMapping,
    A::Sequence,
    A::ByteString,
    A::MutableSequence,
];

unsafe fn make(a: A) -> Result<Obj, ()> {
    // SAFETY: the ABCMeta type and the bases made before are live.
    unsafe {
        let (bases, defs) = spec(a);
        let bases: Vec<*mut PyObject> = bases.iter().map(|&b| class(b)).collect();
        let slots = Obj::new(if matches!(a, A::MappingView) {
            let s = Obj::new(uni::from_str("_mapping"));
            crate::tupleobject::from_slice(&[s.ptr()])
        } else {
            crate::tupleobject::new_tuple(0)
        });
        let flags = match a {
            A::Sequence => Some(crate::object::Py_TPFLAGS_SEQUENCE),
            A::Mapping => Some(crate::object::Py_TPFLAGS_MAPPING),
            _ => None,
        };
        let flags =
            Obj::new(flags.map_or(null_mut(), |f| crate::longobject::from_i128(i128::from(f))));
        let mut extra = vec![("__slots__", slots.ptr())];
        if !flags.is_null() {
            extra.push(("__abc_tpflags__", flags.ptr()));
        }
        if matches!(a, A::Set | A::Mapping) {
            extra.push(("__hash__", crate::object::none()));
        }
        if matches!(a, A::Mapping) {
            extra.push(("__reversed__", crate::object::none()));
        }
        let marker = Obj::new(if matches!(a, A::MutableMapping) {
            call((&raw mut crate::object::PyBaseObject_Type).cast(), &[]).into_raw()
        } else {
            null_mut()
        });
        if !marker.is_null() {
            extra.push(("_MutableMapping__marker", marker.ptr()));
        }
        let c = crate::abc::make_class(
            crate::abc::abcmeta(),
            "collections.abc",
            NAMES[a as usize],
            &bases,
            defs,
            &extra,
        );
        if c.is_null() {
            return Err(());
        }
        if matches!(a, A::Set) {
            let d = crate::object::ensure_dict(c.ptr().cast());
            for (alias, i) in SET_ALIASES {
                let f = Obj::new(crate::abc::new_func(&SET[i], null_mut()));
                if f.is_null() || crate::dictobject::set_item_str(d, alias, f.ptr()) < 0 {
                    return Err(());
                }
            }
        }
        Ok(c)
    }
}

/// `type(iter(o))` for a fresh `o` made by `make` (None when it cannot be made).
unsafe fn iter_type(o: *mut PyObject) -> Option<Obj> {
    if o.is_null() {
        crate::pyerrors::clear();
        return None;
    }
    let o = Obj::new(o);
    // SAFETY: a live object.
    let it = Obj::new(unsafe { crate::abstract_::get_iter(o.ptr()) });
    if it.is_null() {
        crate::pyerrors::clear();
        return None;
    }
    // SAFETY: a live object.
    Some(Obj::borrowed(unsafe { ty(it.ptr()) }.cast()))
}

/// CPython's registrations of the built-in types.
unsafe fn register_builtins() -> Result<(), ()> {
    unsafe extern "C" {
        static mut PyBytes_Type: PyTypeObject;
        static mut PyByteArray_Type: PyTypeObject;
        static mut PyList_Type: PyTypeObject;
        static mut PySet_Type: PyTypeObject;
        static mut PyFrozenSet_Type: PyTypeObject;
        static mut PyRange_Type: PyTypeObject;
        static mut PyMemoryView_Type: PyTypeObject;
        static mut PyDictKeys_Type: PyTypeObject;
        static mut PyDictValues_Type: PyTypeObject;
        static mut PyDictItems_Type: PyTypeObject;
        static mut PyGen_Type: PyTypeObject;
        static mut PyCoro_Type: PyTypeObject;
        static mut PyAsyncGen_Type: PyTypeObject;
    }
    // SAFETY: the static types named are gilgate's; registering reads and caches them.
    unsafe {
        let reg = |a: A, t: *mut PyObject| -> Result<(), ()> {
            let r = call_method(class(a), "register", &[t]);
            if r.is_null() { Err(()) } else { Ok(()) }
        };
        let t = |p: *mut PyTypeObject| p.cast::<PyObject>();
        // Iterators of the built-in containers.
        let empty_dict = crate::dictobject::new_dict();
        let samples = [
            crate::bytesobject::PyBytes_FromStringAndSize(null_mut(), 0),
            call(t(&raw mut PyByteArray_Type), &[]).into_raw(),
            call_method(empty_dict, "keys", &[]).into_raw(),
            call_method(empty_dict, "values", &[]).into_raw(),
            call_method(empty_dict, "items", &[]).into_raw(),
            crate::listobject::new_list(0),
            crate::setobject::PySet_New(null_mut()),
            uni::from_str(""),
            crate::tupleobject::new_tuple(0),
        ];
        decref(empty_dict);
        for s in samples {
            if let Some(it) = iter_type(s) {
                reg(A::Iterator, it.ptr())?;
            }
        }
        for (a, ty_) in [
            (A::Coroutine, &raw mut PyCoro_Type),
            (A::AsyncGenerator, &raw mut PyAsyncGen_Type),
            (A::Generator, &raw mut PyGen_Type),
            (A::Set, &raw mut PyFrozenSet_Type),
            (A::MutableSet, &raw mut PySet_Type),
            (A::Mapping, &raw mut crate::descrobject::PyDictProxy_Type),
            (A::MutableMapping, &raw mut crate::dictobject::PyDict_Type),
            (A::KeysView, &raw mut PyDictKeys_Type),
            (A::ItemsView, &raw mut PyDictItems_Type),
            (A::ValuesView, &raw mut PyDictValues_Type),
            (A::Sequence, &raw mut crate::tupleobject::PyTuple_Type),
            (A::Sequence, &raw mut crate::unicodeobject::PyUnicode_Type),
            (A::Sequence, &raw mut PyRange_Type),
            (A::Sequence, &raw mut PyMemoryView_Type),
            (A::ByteString, &raw mut PyBytes_Type),
            (A::ByteString, &raw mut PyByteArray_Type),
            (A::MutableSequence, &raw mut PyList_Type),
            (A::MutableSequence, &raw mut PyByteArray_Type),
        ] {
            reg(a, t(ty_))?;
        }
        Ok(())
    }
}

fn build() -> *mut PyObject {
    build_parts().map_or(null_mut(), |m| m as *mut PyObject)
}

fn build_parts() -> Option<usize> {
    let name = uni::intern("collections.abc");
    // SAFETY: `name` is a live str; every object put in the dict is live.
    unsafe {
        if crate::abc::abcmeta().is_null() {
            return None;
        }
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return None;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        for a in ORDER {
            let c = make(a).ok()?;
            CLASSES[a as usize].store(c.ptr() as usize, Ordering::SeqCst);
            crate::dictobject::set_item_str(d, NAMES[a as usize], c.ptr());
        }
        let all: Vec<Obj> = NAMES.iter().map(|n| Obj::new(uni::from_str(n))).collect();
        let ptrs: Vec<*mut PyObject> = all.iter().map(Obj::ptr).collect();
        let all = Obj::new(crate::listobject::PyList_New(0));
        for p in ptrs {
            crate::listobject::append(all.ptr(), p);
        }
        crate::dictobject::set_item_str(d, "__all__", all.ptr());
        register_builtins().ok()?;
        Some(m as usize)
    }
}
