//! Slots from dunders (CPython's slot table in `Objects/typeobject.c`: `slotdefs`,
//! `update_one_slot`, `fixup_slot_dispatchers`, `update_slot`, and the `slot_*` functions).
//!
//! A class made by `type(name, bases, dict)` gets its C slots from the dunders its MRO's dicts
//! hold: a slot wrapper of the very function a base has in that slot keeps that function (no
//! indirection); any other object (a `Func`, a builtin, a bound method ...) puts the slot's
//! generic function there, which looks the dunder up on the instance's type at each call and
//! calls it. `__hash__ = None` makes the class unhashable. Setting or deleting a dunder on a
//! heap type later (`T.__repr__ = f`, `PyObject_SetAttr`) redoes the slots of that name on the
//! type and on its subclasses that do not define the name themselves.
//!
//! gilgate's static types do not expose every slot they fill as a wrapper (`object` has no
//! `__getattribute__`, `__setattr__` or `__str__` entry), so where no class of the MRO has the
//! dunder, or only a wrapper of a sibling slot of the same name (`__len__` of `mp_length` for
//! `sq_length`), the slot keeps what the nearest base has in it (CPython would clear it, its
//! `object` defining all of them).

use crate::object::{
    Py_TPFLAGS_HAVE_VECTORCALL, Py_TPFLAGS_HEAPTYPE, PyObject, PyTypeObject, is_subtype, ty,
    type_lookup_ref,
};
use crate::pyerrors::{EXC_AttributeError, EXC_TypeError, EXC_ValueError, raise};
use crate::pyport::{Py_hash_t, Py_ssize_t};
use crate::refcount::{decref, new_ref, xdecref};
use crate::unicodeobject as uni;
use std::ffi::c_int;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which structure of a type a slot lives in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sub {
    Type,
    Async,
    Number,
    Sequence,
    Mapping,
}

/// A slot: its structure and the offset of its function pointer there.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct SlotId(Sub, usize);

impl SlotId {
    /// The address of the slot's function pointer in `t` (NULL when `t` has no such
    /// structure).
    unsafe fn field(self, t: *mut PyTypeObject) -> *mut usize {
        // SAFETY: `t` is a type object; the sub-structures are NULL or valid.
        unsafe {
            let base: *mut u8 = match self.0 {
                Sub::Type => t.cast(),
                Sub::Async => (*t).tp_as_async.cast(),
                Sub::Number => (*t).tp_as_number.cast(),
                Sub::Sequence => (*t).tp_as_sequence.cast(),
                Sub::Mapping => (*t).tp_as_mapping.cast(),
            };
            if base.is_null() {
                return null_mut();
            }
            base.add(self.1).cast()
        }
    }

    /// The function in `t`'s slot (0 when unset or absent).
    unsafe fn read(self, t: *mut PyTypeObject) -> usize {
        // SAFETY: forwarded contract; the field is an aligned pointer.
        unsafe {
            let p = self.field(t);
            if p.is_null() {
                0
            } else {
                AtomicUsize::from_ptr(p).load(Ordering::Acquire)
            }
        }
    }
}

macro_rules! tp {
    ($f:ident) => {
        SlotId(
            Sub::Type,
            std::mem::offset_of!(crate::object::PyTypeObject, $f),
        )
    };
}
macro_rules! nb {
    ($f:ident) => {
        SlotId(
            Sub::Number,
            std::mem::offset_of!(crate::object::PyNumberMethods, $f),
        )
    };
}
macro_rules! sq {
    ($f:ident) => {
        SlotId(
            Sub::Sequence,
            std::mem::offset_of!(crate::object::PySequenceMethods, $f),
        )
    };
}
macro_rules! mp {
    ($f:ident) => {
        SlotId(
            Sub::Mapping,
            std::mem::offset_of!(crate::object::PyMappingMethods, $f),
        )
    };
}
macro_rules! am {
    ($f:ident) => {
        SlotId(
            Sub::Async,
            std::mem::offset_of!(crate::object::PyAsyncMethods, $f),
        )
    };
}

/// One dunder of a slot and the generic function that calls it (CPython's `slotdef`).
struct SlotDef {
    name: &'static str,
    slot: SlotId,
    generic: *const (),
}

// SAFETY: the table is immutable; `generic` is the address of a function.
unsafe impl Sync for SlotDef {}

macro_rules! def {
    ($name:literal, $slot:expr, $f:expr) => {
        SlotDef {
            name: $name,
            slot: $slot,
            generic: $f as *const (),
        }
    };
}

// ---- calling the dunder ----------------------------------------------------------------------

thread_local! {
    /// The interned dunder names this thread has used (immortal strs), so that a slot call
    /// does not take the global intern table's lock.
    static NAMES: std::cell::RefCell<std::collections::HashMap<&'static str, usize>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The interned str `name` (immortal; no reference to release).
fn name_obj(name: &'static str) -> *mut PyObject {
    let cached = NAMES
        .try_with(|m| m.borrow().get(name).copied())
        .ok()
        .flatten();
    if let Some(p) = cached {
        return p as *mut PyObject;
    }
    let p = uni::intern(name);
    if !p.is_null() {
        let _ = NAMES.try_with(|m| m.borrow_mut().insert(name, p as usize));
    }
    p
}

/// `name` looked up on `self_`'s type and bound to it (a new reference); None when no class of
/// the MRO has it; Err with an exception when binding failed.
unsafe fn bound_method(
    self_: *mut PyObject,
    name: &'static str,
) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: a live object.
    unsafe {
        let t = ty(self_);
        let f = type_lookup_ref(t, name_obj(name));
        if f.is_null() {
            return Ok(None);
        }
        match (*ty(f)).tp_descr_get {
            Some(get) => {
                let b = crate::extcall::ternary(get, f, self_, t.cast());
                decref(f);
                if b.is_null() { Err(()) } else { Ok(Some(b)) }
            }
            None => Ok(Some(f)),
        }
    }
}

/// `type(self).name(self, *args)`: None when no class has the dunder.
unsafe fn call_maybe(
    self_: *mut PyObject,
    name: &'static str,
    args: &[*mut PyObject],
) -> Result<Option<*mut PyObject>, ()> {
    // SAFETY: live objects.
    unsafe {
        let Some(m) = bound_method(self_, name)? else {
            return Ok(None);
        };
        let r = crate::abstract_::call_args(m, args);
        decref(m);
        if r.is_null() { Err(()) } else { Ok(Some(r)) }
    }
}

/// `type(self).name(self, *args)`, AttributeError naming the dunder when it is missing (NULL
/// with an exception on failure).
unsafe fn call_method(
    self_: *mut PyObject,
    name: &'static str,
    args: &[*mut PyObject],
) -> *mut PyObject {
    // SAFETY: live objects.
    match unsafe { call_maybe(self_, name, args) } {
        Ok(Some(r)) => r,
        Ok(None) => raise(&raw mut EXC_AttributeError, name),
        Err(()) => null_mut(),
    }
}

fn not_implemented() -> *mut PyObject {
    // SAFETY: the immortal singleton.
    unsafe { new_ref(&raw mut crate::object::_Py_NotImplementedStruct) }
}

fn is_not_implemented(o: *mut PyObject) -> bool {
    o == &raw mut crate::object::_Py_NotImplementedStruct
}

/// The function the nearest base of `t` (along the MRO) has in `slot`, skipping `skip`
/// (a generic function of this table that a base may carry too).
unsafe fn inherited(t: *mut PyTypeObject, slot: SlotId, skip: *const ()) -> usize {
    let skip = skip as usize;
    // SAFETY: a type object.
    unsafe {
        for b in crate::object::mro_list(t).into_iter().skip(1) {
            let f = slot.read(b);
            if f != 0 && f != skip {
                return f;
            }
        }
        0
    }
}

// ---- the generic slot functions ----------------------------------------------------------

unsafe extern "C" fn slot_tp_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe {
        match call_maybe(op, "__repr__", &[]) {
            Ok(Some(r)) => r,
            Ok(None) => crate::object::object_repr(op),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn slot_tp_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { call_method(op, "__str__", &[]) }
}

unsafe extern "C" fn slot_tp_hash(op: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live object (slot contract).
    unsafe {
        let t = ty(op);
        let f = type_lookup_ref(t, name_obj("__hash__"));
        if f.is_null() || f == crate::object::none() {
            xdecref(f);
            return crate::typeobject::PyObject_HashNotImplemented(op);
        }
        decref(f);
        let r = call_method(op, "__hash__", &[]);
        if r.is_null() {
            return -1;
        }
        if !crate::longobject::is_int(r) {
            decref(r);
            raise(
                &raw mut EXC_TypeError,
                "__hash__ method should return an integer",
            );
            return -1;
        }
        // The int itself when it fits, else its hash as an int (CPython's rule); -1 becomes
        // -2.
        let h = match i64::try_from(&crate::longobject::to_bigint(r)) {
            Ok(v) => v as Py_hash_t,
            Err(_) => crate::longobject::long_hash(r),
        };
        decref(r);
        if h == -1 { -2 } else { h }
    }
}

unsafe extern "C" fn slot_tp_call(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let m = match bound_method(op, "__call__") {
            Ok(Some(m)) => m,
            Ok(None) => {
                return raise(
                    &raw mut EXC_TypeError,
                    &format!("'{}' object is not callable", crate::object::tname(op)),
                );
            }
            Err(()) => return null_mut(),
        };
        let r = crate::abstract_::PyObject_Call(m, args, kw);
        decref(m);
        r
    }
}

unsafe extern "C" fn slot_tp_init(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let m = match bound_method(op, "__init__") {
            Ok(Some(m)) => m,
            Ok(None) => return 0,
            Err(()) => return -1,
        };
        let r = crate::abstract_::PyObject_Call(m, args, kw);
        decref(m);
        if r.is_null() {
            return -1;
        }
        if r != crate::object::none() {
            let msg = format!(
                "__init__() should return None, not '{}'",
                crate::object::tname(r)
            );
            decref(r);
            raise(&raw mut EXC_TypeError, &msg);
            return -1;
        }
        decref(r);
        0
    }
}

unsafe extern "C" fn slot_tp_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let f = crate::object::getattr(t.cast(), name_obj("__new__"));
        if f.is_null() {
            return f;
        }
        let mut all = vec![t.cast::<PyObject>()];
        all.extend_from_slice(crate::tupleobject::items(args));
        let a = crate::tupleobject::from_slice(&all);
        if a.is_null() {
            decref(f);
            return a;
        }
        let r = crate::abstract_::PyObject_Call(f, a, kw);
        decref(a);
        decref(f);
        r
    }
}

/// Whether `f` is the generic `tp_new` (a class-level `__new__`).
pub(crate) fn is_generic_new(f: crate::object::newfunc) -> bool {
    f.is_some_and(|f| f as usize == slot_tp_new as *const () as usize)
}

const CMP_NAMES: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];

unsafe extern "C" fn slot_tp_richcompare(
    op: *mut PyObject,
    other: *mut PyObject,
    cmp: c_int,
) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    unsafe {
        let Some(name) = usize::try_from(cmp).ok().and_then(|i| CMP_NAMES.get(i)) else {
            return not_implemented();
        };
        match call_maybe(op, name, &[other]) {
            Ok(Some(r)) => r,
            Ok(None) => not_implemented(),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn slot_tp_iter(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe {
        let not_iterable = || {
            raise(
                &raw mut EXC_TypeError,
                &format!("'{}' object is not iterable", crate::object::tname(op)),
            )
        };
        let t = ty(op);
        let f = type_lookup_ref(t, name_obj("__iter__"));
        if f == crate::object::none() {
            decref(f);
            return not_iterable();
        }
        if !f.is_null() {
            decref(f);
            return call_method(op, "__iter__", &[]);
        }
        let g = type_lookup_ref(t, name_obj("__getitem__"));
        if g.is_null() {
            return not_iterable();
        }
        decref(g);
        crate::iterobject::PySeqIter_New(op)
    }
}

unsafe extern "C" fn slot_tp_iternext(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { call_method(op, "__next__", &[]) }
}

unsafe extern "C" fn slot_tp_descr_get(
    op: *mut PyObject,
    obj: *mut PyObject,
    owner: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_descr_get contract.
    unsafe {
        let none = crate::object::none();
        let obj = if obj.is_null() { none } else { obj };
        let owner = if owner.is_null() { none } else { owner };
        match call_maybe(op, "__get__", &[obj, owner]) {
            Ok(Some(r)) => r,
            Ok(None) => new_ref(op),
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn slot_tp_descr_set(
    op: *mut PyObject,
    obj: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: tp_descr_set contract.
    unsafe {
        let r = if value.is_null() {
            call_method(op, "__delete__", &[obj])
        } else {
            call_method(op, "__set__", &[obj, value])
        };
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

/// `__getattribute__`, then `__getattr__` on AttributeError (CPython's
/// `slot_tp_getattr_hook`). Without a `__getattribute__` of the MRO the nearest base's
/// `tp_getattro` is the first step.
unsafe extern "C" fn slot_tp_getattr_hook(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_getattro contract.
    unsafe {
        let t = ty(op);
        let ga = type_lookup_ref(t, name_obj("__getattribute__"));
        let res = if ga.is_null() {
            let slot = tp!(tp_getattro);
            let f = inherited(t, slot, slot_tp_getattr_hook as *const ());
            if f == 0 {
                crate::object::PyObject_GenericGetAttr(op, name)
            } else {
                let f: crate::object::getattrofunc = std::mem::transmute::<usize, _>(f);
                crate::extcall::binary(f.unwrap_unchecked(), op, name)
            }
        } else {
            let b = match (*ty(ga)).tp_descr_get {
                Some(get) => crate::extcall::ternary(get, ga, op, t.cast()),
                None => new_ref(ga),
            };
            decref(ga);
            if b.is_null() {
                return b;
            }
            let r = crate::abstract_::call_args(b, &[name]);
            decref(b);
            r
        };
        if !res.is_null() || !crate::pyerrors::matches_current(&raw mut EXC_AttributeError) {
            return res;
        }
        let gt = type_lookup_ref(t, name_obj("__getattr__"));
        if gt.is_null() {
            return null_mut();
        }
        decref(gt);
        crate::pyerrors::clear();
        call_method(op, "__getattr__", &[name])
    }
}

unsafe extern "C" fn slot_tp_setattro(
    op: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: tp_setattro contract.
    unsafe {
        let r = if value.is_null() {
            call_maybe(op, "__delattr__", &[name])
        } else {
            call_maybe(op, "__setattr__", &[name, value])
        };
        match r {
            Ok(Some(r)) => {
                decref(r);
                0
            }
            Err(()) => -1,
            Ok(None) => {
                // Only the other of the pair is defined: the nearest base's slot does this one.
                let slot = tp!(tp_setattro);
                let f = inherited(ty(op), slot, slot_tp_setattro as *const ());
                if f == 0 {
                    return crate::object::PyObject_GenericSetAttr(op, name, value);
                }
                let f: crate::object::setattrofunc = std::mem::transmute::<usize, _>(f);
                crate::extcall::objobjarg(f.unwrap_unchecked(), op, name, value)
            }
        }
    }
}

/// A `__len__` result as a length (CPython's checks and texts).
unsafe fn length_of(r: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live result we own.
    unsafe {
        let n = crate::abstract_::as_ssize_t(r, &raw mut crate::pyerrors::EXC_OverflowError);
        decref(r);
        if n == -1 && crate::pyerrors::occurred() {
            return -1;
        }
        if n < 0 {
            raise(&raw mut EXC_ValueError, "__len__() should return >= 0");
            return -1;
        }
        n
    }
}

unsafe extern "C" fn slot_sq_length(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object (slot contract).
    unsafe {
        let r = call_method(op, "__len__", &[]);
        if r.is_null() {
            return -1;
        }
        length_of(r)
    }
}

unsafe extern "C" fn slot_mp_subscript(op: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe { call_method(op, "__getitem__", &[key]) }
}

unsafe extern "C" fn slot_sq_item(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live object (slot contract).
    unsafe {
        let k = crate::longobject::from_i64(i as i64);
        if k.is_null() {
            return k;
        }
        let r = call_method(op, "__getitem__", &[k]);
        decref(k);
        r
    }
}

unsafe extern "C" fn slot_mp_ass_subscript(
    op: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: a live object (slot contract).
    unsafe {
        let r = if value.is_null() {
            call_method(op, "__delitem__", &[key])
        } else {
            call_method(op, "__setitem__", &[key, value])
        };
        if r.is_null() {
            return -1;
        }
        decref(r);
        0
    }
}

unsafe extern "C" fn slot_sq_ass_item(
    op: *mut PyObject,
    i: Py_ssize_t,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: a live object (slot contract).
    unsafe {
        let k = crate::longobject::from_i64(i as i64);
        if k.is_null() {
            return -1;
        }
        let r = slot_mp_ass_subscript(op, k, value);
        decref(k);
        r
    }
}

unsafe extern "C" fn slot_sq_contains(op: *mut PyObject, value: *mut PyObject) -> c_int {
    // SAFETY: a live object (slot contract).
    unsafe {
        let t = ty(op);
        let f = type_lookup_ref(t, name_obj("__contains__"));
        if f == crate::object::none() {
            decref(f);
            raise(
                &raw mut EXC_TypeError,
                &format!("'{}' object is not a container", crate::object::tname(op)),
            );
            return -1;
        }
        if f.is_null() {
            // No `__contains__`: search by iteration.
            let it = crate::abstract_::PyObject_GetIter(op);
            if it.is_null() {
                return -1;
            }
            loop {
                let x = crate::abstract_::PyIter_Next(it);
                if x.is_null() {
                    decref(it);
                    return if crate::pyerrors::occurred() { -1 } else { 0 };
                }
                let c = crate::abstract_::rich_compare_bool(x, value, crate::object::Py_EQ);
                decref(x);
                if c != 0 {
                    decref(it);
                    return c;
                }
            }
        }
        decref(f);
        let r = call_method(op, "__contains__", &[value]);
        if r.is_null() {
            return -1;
        }
        let b = crate::object::truth(r);
        decref(r);
        b
    }
}

unsafe extern "C" fn slot_nb_bool(op: *mut PyObject) -> c_int {
    // SAFETY: a live object (slot contract).
    unsafe {
        match call_maybe(op, "__bool__", &[]) {
            Err(()) => -1,
            Ok(Some(r)) => {
                if !crate::boolobject::is_bool(r) {
                    let msg = format!(
                        "__bool__ should return bool, returned {}",
                        crate::object::tname(r)
                    );
                    decref(r);
                    raise(&raw mut EXC_TypeError, &msg);
                    return -1;
                }
                let b = c_int::from(r == crate::boolobject::true_());
                decref(r);
                b
            }
            Ok(None) => match call_maybe(op, "__len__", &[]) {
                Err(()) => -1,
                Ok(None) => 1,
                Ok(Some(r)) => {
                    let n = length_of(r);
                    if n < 0 { -1 } else { c_int::from(n != 0) }
                }
            },
        }
    }
}

macro_rules! unary_slot {
    ($fn:ident, $name:literal) => {
        unsafe extern "C" fn $fn(op: *mut PyObject) -> *mut PyObject {
            // SAFETY: a live object (slot contract).
            unsafe { call_method(op, $name, &[]) }
        }
    };
}

unary_slot!(slot_nb_negative, "__neg__");
unary_slot!(slot_nb_positive, "__pos__");
unary_slot!(slot_nb_absolute, "__abs__");
unary_slot!(slot_nb_invert, "__invert__");
unary_slot!(slot_nb_int, "__int__");
unary_slot!(slot_nb_float, "__float__");
unary_slot!(slot_nb_index, "__index__");
unary_slot!(slot_am_await, "__await__");
unary_slot!(slot_am_aiter, "__aiter__");
unary_slot!(slot_am_anext, "__anext__");

macro_rules! inplace_slot {
    ($fn:ident, $name:literal) => {
        unsafe extern "C" fn $fn(op: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
            // SAFETY: live objects (slot contract).
            unsafe { call_method(op, $name, &[other]) }
        }
    };
}

inplace_slot!(slot_nb_inplace_add, "__iadd__");
inplace_slot!(slot_nb_inplace_subtract, "__isub__");
inplace_slot!(slot_nb_inplace_multiply, "__imul__");
inplace_slot!(slot_nb_inplace_remainder, "__imod__");
inplace_slot!(slot_nb_inplace_lshift, "__ilshift__");
inplace_slot!(slot_nb_inplace_rshift, "__irshift__");
inplace_slot!(slot_nb_inplace_and, "__iand__");
inplace_slot!(slot_nb_inplace_xor, "__ixor__");
inplace_slot!(slot_nb_inplace_or, "__ior__");
inplace_slot!(slot_nb_inplace_floor_divide, "__ifloordiv__");
inplace_slot!(slot_nb_inplace_true_divide, "__itruediv__");
inplace_slot!(slot_nb_inplace_matrix_multiply, "__imatmul__");

unsafe extern "C" fn slot_nb_inplace_power(
    op: *mut PyObject,
    other: *mut PyObject,
    _modulus: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe { call_method(op, "__ipow__", &[other]) }
}

/// Whether `right`'s type has another `name` than `left`'s (CPython's
/// `method_is_overloaded`: the reflected method is tried first only then).
unsafe fn overloaded(
    left: *mut PyObject,
    right: *mut PyObject,
    name: &'static str,
) -> Result<bool, ()> {
    // SAFETY: live objects.
    unsafe {
        let n = name_obj(name);
        let a = type_lookup_ref(ty(right), n);
        if a.is_null() {
            return Ok(false);
        }
        let b = type_lookup_ref(ty(left), n);
        if b.is_null() {
            decref(a);
            return Ok(true);
        }
        let r = crate::abstract_::rich_compare_bool(a, b, crate::object::Py_NE);
        decref(a);
        decref(b);
        if r < 0 { Err(()) } else { Ok(r != 0) }
    }
}

/// `type(a).name(a, b)`, NotImplemented when the type has no such method.
unsafe fn call_or_not_implemented(
    a: *mut PyObject,
    name: &'static str,
    b: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects.
    match unsafe { call_maybe(a, name, &[b]) } {
        Ok(Some(r)) => r,
        Ok(None) => not_implemented(),
        Err(()) => null_mut(),
    }
}

/// The binary operator protocol of a class-defined operator (CPython's `SLOT1BINFULL`):
/// `self` and `other` are the operands in order; `mine(t)` tells whether type `t` has this
/// generic function in the slot.
unsafe fn binary_op(
    a: *mut PyObject,
    b: *mut PyObject,
    op: &'static str,
    rop: &'static str,
    mine: unsafe fn(*mut PyTypeObject) -> bool,
) -> *mut PyObject {
    // SAFETY: live objects.
    unsafe {
        let (ta, tb) = (ty(a), ty(b));
        let mut do_other = ta != tb && mine(tb);
        if mine(ta) {
            if do_other && is_subtype(tb, ta) {
                match overloaded(a, b, rop) {
                    Err(()) => return null_mut(),
                    Ok(true) => {
                        let r = call_or_not_implemented(b, rop, a);
                        if r.is_null() || !is_not_implemented(r) {
                            return r;
                        }
                        decref(r);
                        do_other = false;
                    }
                    Ok(false) => {}
                }
            }
            let r = call_or_not_implemented(a, op, b);
            if r.is_null() || !is_not_implemented(r) || ta == tb {
                return r;
            }
            decref(r);
        }
        if do_other {
            return call_or_not_implemented(b, rop, a);
        }
        not_implemented()
    }
}

macro_rules! binary_slot {
    ($fn:ident, $field:ident, $op:literal, $rop:literal) => {
        unsafe extern "C" fn $fn(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            unsafe fn mine(t: *mut PyTypeObject) -> bool {
                // SAFETY: a type object.
                unsafe { nb!($field).read(t) == $fn as *const () as usize }
            }
            // SAFETY: live objects (slot contract).
            unsafe { binary_op(a, b, $op, $rop, mine) }
        }
    };
}

binary_slot!(slot_nb_add, nb_add, "__add__", "__radd__");
binary_slot!(slot_nb_subtract, nb_subtract, "__sub__", "__rsub__");
binary_slot!(slot_nb_multiply, nb_multiply, "__mul__", "__rmul__");
binary_slot!(slot_nb_remainder, nb_remainder, "__mod__", "__rmod__");
binary_slot!(slot_nb_divmod, nb_divmod, "__divmod__", "__rdivmod__");
binary_slot!(slot_nb_lshift, nb_lshift, "__lshift__", "__rlshift__");
binary_slot!(slot_nb_rshift, nb_rshift, "__rshift__", "__rrshift__");
binary_slot!(slot_nb_and, nb_and, "__and__", "__rand__");
binary_slot!(slot_nb_xor, nb_xor, "__xor__", "__rxor__");
binary_slot!(slot_nb_or, nb_or, "__or__", "__ror__");
binary_slot!(
    slot_nb_floor_divide,
    nb_floor_divide,
    "__floordiv__",
    "__rfloordiv__"
);
binary_slot!(
    slot_nb_true_divide,
    nb_true_divide,
    "__truediv__",
    "__rtruediv__"
);
binary_slot!(
    slot_nb_matrix_multiply,
    nb_matrix_multiply,
    "__matmul__",
    "__rmatmul__"
);

unsafe fn power_is_mine(t: *mut PyTypeObject) -> bool {
    // SAFETY: a type object.
    unsafe { nb!(nb_power).read(t) == slot_nb_power as *const () as usize }
}

unsafe extern "C" fn slot_nb_power(
    a: *mut PyObject,
    b: *mut PyObject,
    modulus: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if modulus.is_null() || modulus == crate::object::none() {
            return binary_op(a, b, "__pow__", "__rpow__", power_is_mine);
        }
        // Three arguments: only `a`'s own `__pow__` (CPython does not try `__rpow__`).
        if power_is_mine(ty(a)) {
            return match call_maybe(a, "__pow__", &[b, modulus]) {
                Ok(Some(r)) => r,
                Ok(None) => not_implemented(),
                Err(()) => null_mut(),
            };
        }
        not_implemented()
    }
}

/// CPython's slot table, grouped by slot (the entries of one slot are adjacent).
static SLOTDEFS: &[SlotDef] = &[
    def!("__getattribute__", tp!(tp_getattro), slot_tp_getattr_hook),
    def!("__getattr__", tp!(tp_getattro), slot_tp_getattr_hook),
    def!("__setattr__", tp!(tp_setattro), slot_tp_setattro),
    def!("__delattr__", tp!(tp_setattro), slot_tp_setattro),
    def!("__repr__", tp!(tp_repr), slot_tp_repr),
    def!("__hash__", tp!(tp_hash), slot_tp_hash),
    def!("__call__", tp!(tp_call), slot_tp_call),
    def!("__str__", tp!(tp_str), slot_tp_str),
    def!("__lt__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__le__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__eq__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__ne__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__gt__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__ge__", tp!(tp_richcompare), slot_tp_richcompare),
    def!("__iter__", tp!(tp_iter), slot_tp_iter),
    def!("__next__", tp!(tp_iternext), slot_tp_iternext),
    def!("__get__", tp!(tp_descr_get), slot_tp_descr_get),
    def!("__set__", tp!(tp_descr_set), slot_tp_descr_set),
    def!("__delete__", tp!(tp_descr_set), slot_tp_descr_set),
    def!("__init__", tp!(tp_init), slot_tp_init),
    def!("__new__", tp!(tp_new), slot_tp_new),
    def!("__await__", am!(am_await), slot_am_await),
    def!("__aiter__", am!(am_aiter), slot_am_aiter),
    def!("__anext__", am!(am_anext), slot_am_anext),
    def!("__add__", nb!(nb_add), slot_nb_add),
    def!("__radd__", nb!(nb_add), slot_nb_add),
    def!("__sub__", nb!(nb_subtract), slot_nb_subtract),
    def!("__rsub__", nb!(nb_subtract), slot_nb_subtract),
    def!("__mul__", nb!(nb_multiply), slot_nb_multiply),
    def!("__rmul__", nb!(nb_multiply), slot_nb_multiply),
    def!("__mod__", nb!(nb_remainder), slot_nb_remainder),
    def!("__rmod__", nb!(nb_remainder), slot_nb_remainder),
    def!("__divmod__", nb!(nb_divmod), slot_nb_divmod),
    def!("__rdivmod__", nb!(nb_divmod), slot_nb_divmod),
    def!("__pow__", nb!(nb_power), slot_nb_power),
    def!("__rpow__", nb!(nb_power), slot_nb_power),
    def!("__neg__", nb!(nb_negative), slot_nb_negative),
    def!("__pos__", nb!(nb_positive), slot_nb_positive),
    def!("__abs__", nb!(nb_absolute), slot_nb_absolute),
    def!("__bool__", nb!(nb_bool), slot_nb_bool),
    def!("__invert__", nb!(nb_invert), slot_nb_invert),
    def!("__lshift__", nb!(nb_lshift), slot_nb_lshift),
    def!("__rlshift__", nb!(nb_lshift), slot_nb_lshift),
    def!("__rshift__", nb!(nb_rshift), slot_nb_rshift),
    def!("__rrshift__", nb!(nb_rshift), slot_nb_rshift),
    def!("__and__", nb!(nb_and), slot_nb_and),
    def!("__rand__", nb!(nb_and), slot_nb_and),
    def!("__xor__", nb!(nb_xor), slot_nb_xor),
    def!("__rxor__", nb!(nb_xor), slot_nb_xor),
    def!("__or__", nb!(nb_or), slot_nb_or),
    def!("__ror__", nb!(nb_or), slot_nb_or),
    def!("__int__", nb!(nb_int), slot_nb_int),
    def!("__float__", nb!(nb_float), slot_nb_float),
    def!("__iadd__", nb!(nb_inplace_add), slot_nb_inplace_add),
    def!(
        "__isub__",
        nb!(nb_inplace_subtract),
        slot_nb_inplace_subtract
    ),
    def!(
        "__imul__",
        nb!(nb_inplace_multiply),
        slot_nb_inplace_multiply
    ),
    def!(
        "__imod__",
        nb!(nb_inplace_remainder),
        slot_nb_inplace_remainder
    ),
    def!("__ipow__", nb!(nb_inplace_power), slot_nb_inplace_power),
    def!(
        "__ilshift__",
        nb!(nb_inplace_lshift),
        slot_nb_inplace_lshift
    ),
    def!(
        "__irshift__",
        nb!(nb_inplace_rshift),
        slot_nb_inplace_rshift
    ),
    def!("__iand__", nb!(nb_inplace_and), slot_nb_inplace_and),
    def!("__ixor__", nb!(nb_inplace_xor), slot_nb_inplace_xor),
    def!("__ior__", nb!(nb_inplace_or), slot_nb_inplace_or),
    def!("__floordiv__", nb!(nb_floor_divide), slot_nb_floor_divide),
    def!("__rfloordiv__", nb!(nb_floor_divide), slot_nb_floor_divide),
    def!("__truediv__", nb!(nb_true_divide), slot_nb_true_divide),
    def!("__rtruediv__", nb!(nb_true_divide), slot_nb_true_divide),
    def!(
        "__ifloordiv__",
        nb!(nb_inplace_floor_divide),
        slot_nb_inplace_floor_divide
    ),
    def!(
        "__itruediv__",
        nb!(nb_inplace_true_divide),
        slot_nb_inplace_true_divide
    ),
    def!("__index__", nb!(nb_index), slot_nb_index),
    def!(
        "__matmul__",
        nb!(nb_matrix_multiply),
        slot_nb_matrix_multiply
    ),
    def!(
        "__rmatmul__",
        nb!(nb_matrix_multiply),
        slot_nb_matrix_multiply
    ),
    def!(
        "__imatmul__",
        nb!(nb_inplace_matrix_multiply),
        slot_nb_inplace_matrix_multiply
    ),
    def!("__len__", mp!(mp_length), slot_sq_length),
    def!("__getitem__", mp!(mp_subscript), slot_mp_subscript),
    def!("__setitem__", mp!(mp_ass_subscript), slot_mp_ass_subscript),
    def!("__delitem__", mp!(mp_ass_subscript), slot_mp_ass_subscript),
    def!("__len__", sq!(sq_length), slot_sq_length),
    def!("__getitem__", sq!(sq_item), slot_sq_item),
    def!("__setitem__", sq!(sq_ass_item), slot_sq_ass_item),
    def!("__delitem__", sq!(sq_ass_item), slot_sq_ass_item),
    def!("__contains__", sq!(sq_contains), slot_sq_contains),
];

/// Whether `name` is one of the table's dunders.
pub(crate) fn is_slot_name(name: &str) -> bool {
    name.starts_with("__") && SLOTDEFS.iter().any(|d| d.name == name)
}

/// Whether `descr` is the `__new__` builtin a type gets for its own `tp_new` (CPython's
/// `tp_new_wrapper` special case: the slot keeps the type's `tp_new`).
unsafe fn is_tp_new_wrapper(descr: *mut PyObject) -> bool {
    // SAFETY: a live object.
    unsafe {
        crate::methodobject::is_cfunction(descr)
            && crate::typeobject::is_tp_new_def(
                (*descr.cast::<crate::methodobject::PyCFunctionObject>()).m_ml,
            )
    }
}

/// Recomputes one slot of `t` from the dunders of `group` (CPython's `update_one_slot`).
unsafe fn update_one_slot(t: *mut PyTypeObject, group: &[SlotDef]) {
    // SAFETY: `t` is a heap type being made or changed.
    unsafe {
        let slot = group[0].slot;
        let ptr = slot.field(t);
        if ptr.is_null() {
            return;
        }
        let current = AtomicUsize::from_ptr(ptr).load(Ordering::Acquire);
        let mut specific: Option<usize> = None;
        let mut generic: *const () = std::ptr::null();
        let mut use_generic = false;
        for p in group {
            let descr = type_lookup_ref(t, name_obj(p.name));
            if descr.is_null() {
                continue;
            }
            if ty(descr) == &raw mut crate::descrobject::PyWrapperDescr_Type {
                let wd = descr.cast::<crate::descrobject::PyWrapperDescrObject>();
                let owner = (*wd).d_common.d_type;
                let wrapped = (*wd).d_wrapped as usize;
                let same_name = crate::descrobject::descr_name(descr) == p.name;
                if same_name && slot.read(owner) == wrapped && is_subtype(t, owner) {
                    match specific {
                        None => specific = Some(wrapped),
                        Some(s) if s == wrapped => {}
                        Some(_) => {
                            use_generic = true;
                            generic = p.generic;
                        }
                    }
                } else if !same_name {
                    use_generic = true;
                    generic = p.generic;
                }
                // A wrapper of a sibling slot of this name: this slot is left to inheritance.
            } else if slot == tp!(tp_new) && is_tp_new_wrapper(descr) {
                specific = Some(current);
            } else if descr == crate::object::none() && slot == tp!(tp_hash) {
                specific =
                    Some(crate::typeobject::PyObject_HashNotImplemented as *const () as usize);
            } else {
                use_generic = true;
                generic = p.generic;
                if slot == tp!(tp_call) {
                    (*t).tp_flags &= !Py_TPFLAGS_HAVE_VECTORCALL;
                }
            }
            decref(descr);
        }
        let value = if use_generic {
            generic as usize
        } else if let Some(s) = specific {
            s
        } else {
            inherited(t, slot, group[0].generic)
        };
        AtomicUsize::from_ptr(ptr).store(value, Ordering::Release);
    }
}

/// Runs `f` on each group of adjacent table entries of one slot that `pick` selects.
fn for_each_group(pick: impl Fn(&SlotDef) -> bool, mut f: impl FnMut(&[SlotDef])) {
    let mut i = 0;
    while i < SLOTDEFS.len() {
        let mut j = i + 1;
        while j < SLOTDEFS.len() && SLOTDEFS[j].slot == SLOTDEFS[i].slot {
            j += 1;
        }
        if SLOTDEFS[i..j].iter().any(&pick) {
            f(&SLOTDEFS[i..j]);
        }
        i = j;
    }
}

/// Every slot of a class made by `type(name, bases, dict)` from the dunders of its MRO
/// (CPython's `fixup_slot_dispatchers`).
///
/// # Safety
/// `t` must be a ready heap type no other thread uses yet.
pub(crate) unsafe fn fixup_slot_dispatchers(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    for_each_group(|_| true, |g| unsafe { update_one_slot(t, g) });
}

/// The slots of dunder `name` on heap type `t` and on its subclasses that do not define
/// `name` themselves (CPython's `update_slot` after `T.name = v` or `del T.name`).
///
/// # Safety
/// `t` must be a live heap type.
pub(crate) unsafe fn update_slot(t: *mut PyTypeObject, name: &str) {
    if !is_slot_name(name) {
        return;
    }
    // SAFETY: forwarded contract.
    unsafe {
        for_each_group(|d| d.name == name, |g| update_one_slot(t, g));
        for sub in subclasses(t) {
            let d = (*sub).tp_dict;
            let own = !d.is_null() && !crate::dictobject::get_str(d, name).is_null();
            if !own {
                update_slot(sub, name);
            }
            decref(sub.cast());
        }
    }
}

// ---- subclasses --------------------------------------------------------------------------

/// Serialises the creation of `tp_subclasses` dicts.
static SUBCLASSES_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Records `sub` as a subclass of each heap type among its bases: `tp_subclasses` is a dict
/// of weak references keyed by the subclass's address, as CPython's.
///
/// # Safety
/// `sub` must be a ready type.
pub(crate) unsafe fn add_subclass(sub: *mut PyTypeObject) {
    // SAFETY: forwarded contract; the dicts are made under the lock and live as long as
    // their type.
    unsafe {
        for b in crate::object::bases_list(sub) {
            if (*b).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
                continue;
            }
            let d = {
                let _g = SUBCLASSES_LOCK.lock().unwrap_or_else(|e| e.into_inner());
                if (*b).tp_subclasses.is_null() {
                    let d = crate::dictobject::new_dict();
                    if d.is_null() {
                        crate::pyerrors::clear();
                        continue;
                    }
                    (*b).tp_subclasses = d.cast();
                }
                (*b).tp_subclasses.cast::<PyObject>()
            };
            let key = crate::longobject::from_i64(sub as i64);
            let r = crate::weakrefobject::PyWeakref_NewRef(sub.cast(), null_mut());
            if key.is_null() || r.is_null() || crate::dictobject::set_item(d, key, r) < 0 {
                crate::pyerrors::clear();
            }
            xdecref(key);
            xdecref(r);
        }
    }
}

/// Forgets `sub` in its bases' subclass dicts (its deallocation).
///
/// # Safety
/// `sub` must be a type whose bases are still valid.
pub(crate) unsafe fn remove_subclass(sub: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    unsafe {
        // A type that failed while being made is freed with its error pending: keep it.
        let saved = crate::pyerrors::take_raised();
        for b in crate::object::bases_list(sub) {
            let d = (*b).tp_subclasses.cast::<PyObject>();
            if d.is_null() || (*b).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
                continue;
            }
            let key = crate::longobject::from_i64(sub as i64);
            if key.is_null() || crate::dictobject::del_item(d, key) < 0 {
                crate::pyerrors::clear();
            }
            xdecref(key);
        }
        crate::pyerrors::restore_raised(saved);
    }
}

/// The live subclasses of heap type `t` (new references).
///
/// # Safety
/// `t` must be a live type.
pub(crate) unsafe fn subclasses(t: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let d = (*t).tp_subclasses.cast::<PyObject>();
        if d.is_null() || (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let entries = crate::dictobject::owned_entries(d);
        for &(_, r) in &entries {
            let mut o = null_mut();
            if crate::weakrefobject::PyWeakref_GetRef(r, &mut o) > 0 && !o.is_null() {
                out.push(o.cast());
            }
        }
        crate::dictobject::release_entries(entries);
        out
    }
}

/// Frees `t`'s subclass dict (its deallocation).
///
/// # Safety
/// `t` must be a dying type.
pub(crate) unsafe fn clear_subclasses(t: *mut PyTypeObject) {
    // SAFETY: forwarded contract.
    unsafe {
        let d = std::mem::replace(&mut (*t).tp_subclasses, null_mut());
        xdecref(d.cast());
    }
}
