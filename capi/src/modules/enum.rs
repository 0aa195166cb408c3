//! gilgate's own `enum` module (CPython's `Lib/enum.py`, Python source in CPython): the
//! metaclass `EnumType` (a heap type deriving from `type`, whose slots are the class-level
//! protocol: calling a class looks a value up or, on a class without members, makes a new
//! enumeration through the functional API; subscripting, iterating, `len` and `in` act on the
//! members), the classes `Enum`, `ReprEnum`, `IntEnum`, `StrEnum`, `Flag`, `IntFlag` and
//! `FlagBoundary` made by calling `EnumType` as their class statements would, and the helpers
//! (`auto`, `member`, `nonmember`, `unique`, `pickle_by_*`, `show_flag_values`).
//!
//! Every class made by `EnumType` gets its slots from its dunders (`type.__new__`'s
//! `fixup_slot_dispatchers`, `objects/typeobject/slots.rs`), so the methods `EnumType.__new__`
//! installs, as CPython's does (`__repr__`, `__str__`, `__format__`, `__reduce_ex__`, the flag
//! operators), are what members use. A class
//! statement compiled by Cython reaches `EnumType.__prepare__` and `EnumType(name, bases, ns)`,
//! so the members are found in the namespace when the class is made (dunder, sunder,
//! private and descriptor names are not members; `auto()` values are generated then, in
//! definition order).

mod flag;
mod members;

use crate::abc::{FuncDef, Kind, Obj, call, dict_items, getattr, getattr_opt, py_bool};
use crate::object::{PyObject, PyTypeObject, ty};
use crate::pyerrors::{EXC_AttributeError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::new_ref;
use crate::unicodeobject as uni;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) type R = Result<Obj, ()>;

// ---- small helpers -----------------------------------------------------------------------------

pub(crate) fn ok(o: Obj) -> R {
    if o.is_null() { Err(()) } else { Ok(o) }
}
pub(crate) fn out(r: R) -> *mut PyObject {
    match r {
        Ok(o) => o.into_raw(),
        Err(()) => null_mut(),
    }
}
pub(crate) fn err<T>(t: *mut PyTypeObject, msg: &str) -> Result<T, ()> {
    raise(t, msg);
    Err(())
}
pub(crate) fn type_err<T>(msg: &str) -> Result<T, ()> {
    err(&raw mut EXC_TypeError, msg)
}
pub(crate) fn value_err<T>(msg: &str) -> Result<T, ()> {
    err(&raw mut EXC_ValueError, msg)
}
pub(crate) fn s(x: &str) -> R {
    ok(Obj::new(uni::from_str(x)))
}
pub(crate) fn int(v: i64) -> R {
    ok(Obj::new(crate::longobject::from_i64(v)))
}
pub(crate) fn none() -> Obj {
    Obj::new(crate::object::new_none())
}
pub(crate) fn b(p: *mut PyObject) -> Obj {
    Obj::borrowed(p)
}
/// `o.name`.
pub(crate) unsafe fn ga(o: *mut PyObject, name: &str) -> R {
    // SAFETY: a live object (caller).
    ok(unsafe { getattr(o, name) })
}
/// `o.name`, None when it is missing.
pub(crate) unsafe fn ga_opt(o: *mut PyObject, name: &str) -> Result<Option<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe { getattr_opt(o, name) }
}
/// `o.name = v` (`v` NULL: `del o.name`).
pub(crate) unsafe fn sa(o: *mut PyObject, name: &str, v: *mut PyObject) -> Result<(), ()> {
    let n = s(name)?;
    // SAFETY: live objects (caller).
    if unsafe { crate::object::setattr(o, n.ptr(), v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}
/// `f(*args)`.
pub(crate) unsafe fn callv(f: *mut PyObject, args: &[*mut PyObject]) -> R {
    // SAFETY: live objects (caller).
    ok(unsafe { call(f, args) })
}
/// `f(*args, **kw)`.
pub(crate) unsafe fn callkw(
    f: *mut PyObject,
    args: &[*mut PyObject],
    kw: &[(&str, *mut PyObject)],
) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let t = ok(Obj::new(crate::tupleobject::from_slice(args)))?;
        let d = if kw.is_empty() {
            Obj::new(null_mut())
        } else {
            let d = ok(Obj::new(crate::dictobject::new_dict()))?;
            for (k, v) in kw {
                if crate::dictobject::set_item_str(d.ptr(), k, *v) < 0 {
                    return Err(());
                }
            }
            d
        };
        ok(Obj::new(crate::abstract_::PyObject_Call(
            f,
            t.ptr(),
            d.ptr(),
        )))
    }
}
/// `repr(o)` as a Rust string.
pub(crate) unsafe fn rep(o: *mut PyObject) -> Result<String, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let r = ok(Obj::new(crate::object::PyObject_Repr(o)))?;
        Ok(uni::as_str(r.ptr()).unwrap_or("").to_string())
    }
}
/// `str(o)` as a Rust string.
pub(crate) unsafe fn strs(o: *mut PyObject) -> Result<String, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let r = ok(Obj::new(crate::object::PyObject_Str(o)))?;
        Ok(uni::as_str(r.ptr()).unwrap_or("").to_string())
    }
}
pub(crate) unsafe fn isinst(o: *mut PyObject, cls: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_IsInstance(o, cls) } {
        r if r < 0 => Err(()),
        r => Ok(r != 0),
    }
}
pub(crate) unsafe fn issub(a: *mut PyObject, c: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_IsSubclass(a, c) } {
        r if r < 0 => Err(()),
        r => Ok(r != 0),
    }
}
pub(crate) unsafe fn eq(a: *mut PyObject, c: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects (caller).
    match unsafe { crate::abstract_::PyObject_RichCompareBool(a, c, crate::object::Py_EQ) } {
        r if r < 0 => Err(()),
        r => Ok(r != 0),
    }
}
/// `d[key]` for a dict: `Ok(None)` when missing, `Err` with TypeError for an unhashable key.
pub(crate) unsafe fn dget(d: *mut PyObject, key: *mut PyObject) -> Result<Option<Obj>, ()> {
    // SAFETY: a live dict and key (caller).
    unsafe {
        let v = crate::dictobject::get_with_error(d, key);
        if v.is_null() {
            if crate::pyerrors::occurred() {
                return Err(());
            }
            return Ok(None);
        }
        Ok(Some(b(v)))
    }
}
pub(crate) unsafe fn dset(
    d: *mut PyObject,
    key: *mut PyObject,
    v: *mut PyObject,
) -> Result<(), ()> {
    // SAFETY: a live dict (caller).
    if unsafe { crate::dictobject::set_item(d, key, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}
pub(crate) unsafe fn dset_str(d: *mut PyObject, key: &str, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: a live dict (caller).
    if unsafe { crate::dictobject::set_item_str(d, key, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}
/// The items of a list (new references).
pub(crate) unsafe fn list_items(l: *mut PyObject) -> Vec<Obj> {
    // SAFETY: a live list (caller).
    unsafe { crate::listobject::snapshot(l) }
        .into_iter()
        .map(Obj::new)
        .collect()
}
pub(crate) unsafe fn list_append(l: *mut PyObject, v: *mut PyObject) -> Result<(), ()> {
    // SAFETY: a live list (caller).
    if unsafe { crate::listobject::append(l, v) } < 0 {
        Err(())
    } else {
        Ok(())
    }
}
/// The class's `__mro__` entries.
pub(crate) unsafe fn mro(cls: *mut PyObject) -> Vec<*mut PyObject> {
    // SAFETY: a live type (caller).
    unsafe {
        let m = (*cls.cast::<PyTypeObject>()).tp_mro;
        if m.is_null() {
            return vec![cls];
        }
        crate::tupleobject::items(m).to_vec()
    }
}
/// The type's own `__dict__` (borrowed).
pub(crate) unsafe fn tdict(cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live type (caller).
    unsafe { (*cls.cast::<PyTypeObject>()).tp_dict }
}
/// `cls.__name__`.
pub(crate) unsafe fn tname(cls: *mut PyObject) -> String {
    // SAFETY: a live type (caller).
    unsafe {
        ga(cls, "__name__")
            .ok()
            .and_then(|n| uni::as_str(n.ptr()).map(str::to_string))
            .unwrap_or_default()
    }
}
pub(crate) unsafe fn tqualname(cls: *mut PyObject) -> String {
    // SAFETY: a live type (caller).
    unsafe {
        ga(cls, "__qualname__")
            .ok()
            .and_then(|n| uni::as_str(n.ptr()).map(str::to_string))
            .unwrap_or_default()
    }
}
pub(crate) fn is_none(o: *mut PyObject) -> bool {
    o == crate::object::none()
}
/// A builtin by name.
pub(crate) unsafe fn builtin(name: &str) -> R {
    let m = crate::bltinmodule::module();
    if m.is_null() {
        return Err(());
    }
    // SAFETY: the builtins module lives for the process.
    unsafe { ga(m, name) }
}
pub(crate) unsafe fn truth(o: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object (caller).
    unsafe { crate::abc::truth(o) }
}

// ---- the module's objects ----------------------------------------------------------------------

static ENUMTYPE: AtomicUsize = AtomicUsize::new(0);
static ENUM: AtomicUsize = AtomicUsize::new(0);
static REPRENUM: AtomicUsize = AtomicUsize::new(0);
static FLAG: AtomicUsize = AtomicUsize::new(0);
static AUTO: AtomicUsize = AtomicUsize::new(0);
static AUTO_NULL: AtomicUsize = AtomicUsize::new(0);
static NOT_GIVEN: AtomicUsize = AtomicUsize::new(0);
static MEMBER: AtomicUsize = AtomicUsize::new(0);
static NONMEMBER: AtomicUsize = AtomicUsize::new(0);
static ENUMDICT: AtomicUsize = AtomicUsize::new(0);
static PROPERTY: AtomicUsize = AtomicUsize::new(0);
static DCA: AtomicUsize = AtomicUsize::new(0);
/// STRICT, CONFORM, EJECT, KEEP.
static BOUNDARIES: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];

pub(crate) fn get(a: &AtomicUsize) -> *mut PyObject {
    a.load(Ordering::Acquire) as *mut PyObject
}
pub(crate) fn enumtype() -> *mut PyObject {
    get(&ENUMTYPE)
}
pub(crate) fn enum_cls() -> *mut PyObject {
    get(&ENUM)
}
pub(crate) fn flag_cls() -> *mut PyObject {
    get(&FLAG)
}
pub(crate) fn boundary(i: usize) -> *mut PyObject {
    get(&BOUNDARIES[i])
}
pub(crate) const STRICT: usize = 0;
pub(crate) const CONFORM: usize = 1;
pub(crate) const EJECT: usize = 2;
pub(crate) const KEEP: usize = 3;

/// Whether `cls` is an enum class (an instance of `EnumType`).
pub(crate) unsafe fn is_enum_class(cls: *mut PyObject) -> bool {
    let et = enumtype();
    // SAFETY: live objects.
    !et.is_null() && unsafe { crate::object::is_type(cls) && isinst(cls, et).unwrap_or(false) }
}
/// Whether `cls` derives from `Flag`.
pub(crate) unsafe fn is_flag_class(cls: *mut PyObject) -> bool {
    let f = flag_cls();
    // SAFETY: live objects.
    !f.is_null() && unsafe { issub(cls, f).unwrap_or(false) }
}

// ---- slots of enum classes: the dunders looked up along the MRO --------------------------------

/// Looks `name` up along `type(op)`'s MRO and calls it bound to `op` with `args`.
/// `Ok(None)` when no class defines it.
pub(crate) unsafe fn call_special(
    op: *mut PyObject,
    name: &str,
    args: &[*mut PyObject],
) -> Result<Option<Obj>, ()> {
    // SAFETY: a live object (caller).
    unsafe {
        let n = s(name)?;
        let f = crate::object::type_lookup(ty(op), n.ptr());
        if f.is_null() {
            return Ok(None);
        }
        let f = b(f);
        let bound = match (*ty(f.ptr())).tp_descr_get {
            Some(g) => ok(Obj::new(crate::extcall::ternary(
                g,
                f.ptr(),
                op,
                ty(op).cast(),
            )))?,
            None => {
                let mut v = vec![op];
                v.extend_from_slice(args);
                return callv(f.ptr(), &v).map(Some);
            }
        };
        callv(bound.ptr(), args).map(Some)
    }
}

// ---- EnumType ----------------------------------------------------------------------------------

fn is_dunder(n: &str) -> bool {
    n.len() > 4
        && n.starts_with("__")
        && n.ends_with("__")
        && n.as_bytes()[2] != b'_'
        && n.as_bytes()[n.len() - 3] != b'_'
}
fn is_sunder(n: &str) -> bool {
    n.len() > 2
        && n.starts_with('_')
        && n.ends_with('_')
        && n.as_bytes()[1] != b'_'
        && n.as_bytes()[n.len() - 2] != b'_'
}
fn is_private(cls_name: &str, n: &str) -> bool {
    let pat = format!("_{cls_name}__");
    let b = n.as_bytes();
    n.len() > pat.len() && n.starts_with(&pat) && (b[b.len() - 1] != b'_' || b[b.len() - 2] != b'_')
}
unsafe fn is_descriptor(o: *mut PyObject) -> Result<bool, ()> {
    for n in ["__get__", "__set__", "__delete__"] {
        // SAFETY: a live object.
        if unsafe { crate::object::PyObject_HasAttrWithError(o, s(n)?.ptr()) } > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `_find_data_type_`: the data type mixed into `bases` (None: object).
unsafe fn find_data_type(class_name: &str, bases: &[*mut PyObject]) -> R {
    // SAFETY: live types (caller).
    unsafe {
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let mut found: Vec<*mut PyObject> = Vec::new();
        for &chain in bases {
            let mut candidate: *mut PyObject = null_mut();
            for base in mro(chain) {
                if base == object {
                    continue;
                }
                if is_enum_class(base) {
                    let mt = ga(base, "_member_type_")?;
                    if mt.ptr() != object {
                        if !found.contains(&mt.ptr()) {
                            found.push(mt.ptr());
                        }
                        break;
                    }
                    continue;
                }
                let t = base.cast::<PyTypeObject>();
                let heap = (*t).tp_flags & crate::object::Py_TPFLAGS_HEAPTYPE != 0;
                let d = tdict(base);
                let own_new = if heap {
                    !crate::dictobject::get_str(d, "__new__").is_null()
                } else {
                    let bt = (*t).tp_base;
                    !bt.is_null()
                        && (*t).tp_new.is_some()
                        && (*t).tp_new.map(|f| f as usize) != (*bt).tp_new.map(|f| f as usize)
                };
                if own_new || !crate::dictobject::get_str(d, "__dataclass_fields__").is_null() {
                    let pick = if candidate.is_null() { base } else { candidate };
                    if !found.contains(&pick) {
                        found.push(pick);
                    }
                    break;
                }
                if candidate.is_null() {
                    candidate = base;
                }
            }
        }
        if found.len() > 1 {
            let set = ok(Obj::new(crate::setobject::PySet_New(null_mut())))?;
            for f in &found {
                crate::setobject::PySet_Add(set.ptr(), *f);
            }
            return type_err(&format!(
                "too many data types for {}: {}",
                uni::repr_text(class_name),
                rep(set.ptr())?
            ));
        }
        Ok(b(found.first().copied().unwrap_or(object)))
    }
}

/// `_find_data_repr_`.
unsafe fn find_data_repr(bases: &[*mut PyObject]) -> R {
    // SAFETY: live types (caller).
    unsafe {
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        for &chain in bases {
            for base in mro(chain) {
                if base == object {
                    continue;
                }
                if is_enum_class(base) {
                    return ga(base, "_value_repr_");
                }
                let r = crate::dictobject::get_str(tdict(base), "__repr__");
                if !r.is_null() {
                    return Ok(b(r));
                }
            }
        }
        Ok(none())
    }
}

unsafe fn check_existing_members(class_name: &str, bases: &[*mut PyObject]) -> Result<(), ()> {
    // SAFETY: live types (caller).
    unsafe {
        for &chain in bases {
            for base in mro(chain) {
                if is_enum_class(base) {
                    let names = ga(base, "_member_names_")?;
                    if truth(names.ptr())? {
                        return type_err(&format!(
                            "<enum {}> cannot extend {}",
                            uni::repr_text(class_name),
                            rep(base)?
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// `_get_mixins_`: (member type, first enum).
unsafe fn get_mixins(class_name: &str, bases: &[*mut PyObject]) -> Result<(Obj, Obj), ()> {
    // SAFETY: live types (caller).
    unsafe {
        if bases.is_empty() {
            return Ok((
                b((&raw mut crate::object::PyBaseObject_Type).cast()),
                b(enum_cls()),
            ));
        }
        let first = bases[bases.len() - 1];
        if !is_enum_class(first) {
            return type_err(
                "new enumerations should be created as `EnumName([mixin_type, ...] [data_type,] enum_type)`",
            );
        }
        Ok((find_data_type(class_name, bases)?, b(first)))
    }
}

/// `EnumType.__new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds)`.
unsafe extern "C" fn enumtype_new(
    meta: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    out(unsafe { enumtype_new_impl(meta, args, kw) })
}

unsafe fn enumtype_new_impl(meta: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> R {
    // SAFETY: tp_new contract: args a tuple, kw NULL or a dict.
    unsafe {
        let a = crate::tupleobject::items(args);
        let tp_new = crate::object::PyType_Type.tp_new.expect("type has tp_new");
        if a.len() != 3 {
            return ok(Obj::new(crate::extcall::new(tp_new, meta, args, kw)));
        }
        let mut boundary_arg = none();
        let mut simple = false;
        let rest_kw = ok(Obj::new(crate::dictobject::new_dict()))?;
        if !kw.is_null() {
            for (k, v) in dict_items(kw) {
                match uni::as_str(k.ptr()) {
                    Some("boundary") => boundary_arg = v,
                    Some("_simple") => simple = truth(v.ptr())?,
                    _ => dset(rest_kw.ptr(), k.ptr(), v.ptr())?,
                }
            }
        }
        if simple {
            return ok(Obj::new(crate::extcall::new(
                tp_new,
                meta,
                args,
                rest_kw.ptr(),
            )));
        }
        let (name, bases_t, ns) = (a[0], a[1], a[2]);
        if !uni::is_str(name) || !crate::tupleobject::is_tuple(bases_t) {
            return ok(Obj::new(crate::extcall::new(
                tp_new,
                meta,
                args,
                rest_kw.ptr(),
            )));
        }
        let cls_name = uni::as_str(name).unwrap_or("").to_string();
        let bases: Vec<*mut PyObject> = crate::tupleobject::items(bases_t).to_vec();
        members::make_class(
            meta,
            name,
            &cls_name,
            bases_t,
            &bases,
            ns,
            boundary_arg,
            rest_kw,
        )
    }
}

/// `EnumType.__call__(cls, value, names=_not_given, *values, module=None, qualname=None,
/// type=None, start=1, boundary=None)`.
unsafe extern "C" fn enumtype_call(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_call contract.
    out(unsafe { enumtype_call_impl(cls, args, kw) })
}

unsafe fn enumtype_call_impl(cls: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> R {
    // SAFETY: tp_call contract.
    unsafe {
        let a = crate::tupleobject::items(args);
        let mut value: Option<Obj> = a.first().map(|x| b(*x));
        let mut names: Option<Obj> = a.get(1).map(|x| b(*x));
        let values: Vec<*mut PyObject> = a.iter().skip(2).copied().collect();
        let (mut module, mut qualname, mut typ, mut start, mut bnd) =
            (none(), none(), none(), int(1)?, none());
        if !kw.is_null() {
            for (k, v) in dict_items(kw) {
                let slot = match uni::as_str(k.ptr()).unwrap_or("") {
                    "value" if value.is_none() => {
                        value = Some(v);
                        continue;
                    }
                    "names" if names.is_none() => {
                        names = Some(v);
                        continue;
                    }
                    "module" => &mut module,
                    "qualname" => &mut qualname,
                    "type" => &mut typ,
                    "start" => &mut start,
                    "boundary" => &mut bnd,
                    k2 @ ("value" | "names") => {
                        return type_err(&format!(
                            "EnumType.__call__() got multiple values for argument '{k2}'"
                        ));
                    }
                    k2 => {
                        return type_err(&format!(
                            "EnumType.__call__() got an unexpected keyword argument '{k2}'"
                        ));
                    }
                };
                *slot = v;
            }
        }
        let Some(value) = value else {
            return type_err("EnumType.__call__() missing 1 required positional argument: 'value'");
        };
        let map = ga(cls, "_member_map_")?;
        if truth(map.ptr())? {
            let v = match &names {
                Some(n) => {
                    let mut all = vec![value.ptr(), n.ptr()];
                    all.extend_from_slice(&values);
                    ok(Obj::new(crate::tupleobject::from_slice(&all)))?
                }
                None => value,
            };
            return members::lookup(cls, v.ptr());
        }
        if names.is_none() && is_none(typ.ptr()) {
            return type_err(&format!(
                "{} has no members; specify `names=()` if you meant to create a new, empty, enum",
                strs(cls)?
            ));
        }
        members::create(
            cls,
            value.ptr(),
            names.as_ref().map_or(crate::object::none(), Obj::ptr),
            module.ptr(),
            qualname.ptr(),
            typ.ptr(),
            start.ptr(),
            bnd.ptr(),
        )
    }
}

unsafe extern "C" fn enumtype_getitem(cls: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let map = match ga(cls, "_member_map_") {
            Ok(m) => m,
            Err(()) => return null_mut(),
        };
        crate::abstract_::PyObject_GetItem(map.ptr(), name)
    }
}

/// The members in definition order (no aliases).
pub(crate) unsafe fn members_list(cls: *mut PyObject) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live enum class.
    unsafe {
        let map = ga(cls, "_member_map_")?;
        let names = ga(cls, "_member_names_")?;
        let it = ok(Obj::new(crate::abstract_::PyObject_GetIter(names.ptr())))?;
        let mut v = Vec::new();
        loop {
            let n = Obj::new(crate::abstract_::PyIter_Next(it.ptr()));
            if n.is_null() {
                if crate::pyerrors::occurred() {
                    return Err(());
                }
                break;
            }
            v.push(ok(Obj::new(crate::abstract_::PyObject_GetItem(
                map.ptr(),
                n.ptr(),
            )))?);
        }
        Ok(v)
    }
}

unsafe extern "C" fn enumtype_iter(cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        match members_list(cls) {
            Ok(v) => {
                let l = crate::listobject::from_vec(v.into_iter().map(Obj::into_raw).collect());
                if l.is_null() {
                    return l;
                }
                let it = crate::abstract_::PyObject_GetIter(l);
                crate::refcount::decref(l);
                it
            }
            Err(()) => null_mut(),
        }
    }
}

unsafe extern "C" fn enumtype_len(cls: *mut PyObject) -> crate::pyport::Py_ssize_t {
    // SAFETY: slot contract.
    unsafe {
        match ga(cls, "_member_names_") {
            Ok(n) => crate::abstract_::PyObject_Size(n.ptr()),
            Err(()) => -1,
        }
    }
}

unsafe fn contains(cls: *mut PyObject, value: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: live objects.
    unsafe {
        if isinst(value, cls)? {
            return Ok(true);
        }
        if is_flag_class(cls) {
            match flag::missing(cls, value) {
                Ok(r) => return isinst(r.ptr(), cls),
                Err(()) => {
                    if crate::pyerrors::matches_current(&raw mut EXC_ValueError) {
                        crate::pyerrors::clear();
                    } else {
                        return Err(());
                    }
                }
            }
        }
        for list in ["_unhashable_values_", "_hashable_values_"] {
            let l = ga(cls, list)?;
            match crate::abstract_::PySequence_Contains(l.ptr(), value) {
                r if r < 0 => return Err(()),
                0 => {}
                _ => return Ok(true),
            }
        }
        Ok(false)
    }
}

unsafe extern "C" fn enumtype_contains(cls: *mut PyObject, value: *mut PyObject) -> c_int {
    // SAFETY: slot contract.
    match unsafe { contains(cls, value) } {
        Ok(t) => c_int::from(t),
        Err(()) => -1,
    }
}

unsafe extern "C" fn enumtype_repr(cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot contract.
    unsafe {
        let n = tname(cls);
        let kind = if is_flag_class(cls) { "flag" } else { "enum" };
        uni::from_str(&format!("<{kind} {}>", uni::repr_text(&n)))
    }
}

unsafe extern "C" fn enumtype_bool(_cls: *mut PyObject) -> c_int {
    1
}

/// `EnumType.__setattr__` / `__delattr__`: members cannot be reassigned or deleted.
unsafe extern "C" fn enumtype_setattro(
    cls: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: slot contract.
    unsafe {
        let d = tdict(cls);
        let map = if d.is_null() {
            null_mut()
        } else {
            crate::dictobject::get_str(d, "_member_map_")
        };
        if !map.is_null() && crate::dictobject::is_dict(map) {
            match dget(map, name) {
                Ok(Some(_)) => {
                    let n = rep(name).unwrap_or_default();
                    if value.is_null() {
                        let cn = rep(ga(cls, "__name__").map_or(null_mut(), |x| x.into_raw()))
                            .unwrap_or_default();
                        raise(
                            &raw mut EXC_AttributeError,
                            &format!("{cn} cannot delete member {n}."),
                        );
                    } else {
                        raise(
                            &raw mut EXC_AttributeError,
                            &format!("cannot reassign member {n}"),
                        );
                    }
                    return -1;
                }
                Ok(None) => {}
                Err(()) => crate::pyerrors::clear(),
            }
        }
        let f = crate::object::PyType_Type
            .tp_setattro
            .expect("type has tp_setattro");
        crate::extcall::objobjarg(f, cls, name, value)
    }
}

// ---- EnumType's methods ------------------------------------------------------------------------

unsafe fn et_prepare(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (metacls, cls, bases).
    out(unsafe {
        (|| {
            let cls_name = uni::as_str(a[1]).unwrap_or("").to_string();
            let bases = crate::abstract_::PySequence_Tuple(a[2]);
            let bases = ok(Obj::new(bases))?;
            check_existing_members(&cls_name, crate::tupleobject::items(bases.ptr()))?;
            let d = callv(get(&ENUMDICT), &[a[1]])?;
            let items = crate::tupleobject::items(bases.ptr());
            if !enum_cls().is_null() {
                let (_, first) = get_mixins(&cls_name, items)?;
                let g = ga_opt(first.ptr(), "_generate_next_value_")?.unwrap_or_else(none);
                let k = s("_generate_next_value_")?;
                enumdict_set(d.ptr(), k.ptr(), g.ptr())?;
            }
            Ok(d)
        })()
    })
}

unsafe fn et_members(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls,).
    unsafe {
        match ga(a[0], "_member_map_") {
            Ok(m) => crate::descrobject::mappingproxy::PyDictProxy_New(m.ptr()),
            Err(()) => null_mut(),
        }
    }
}

unsafe fn et_reversed(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls,).
    unsafe {
        match members_list(a[0]) {
            Ok(mut v) => {
                v.reverse();
                let l = crate::listobject::from_vec(v.into_iter().map(Obj::into_raw).collect());
                if l.is_null() {
                    return l;
                }
                let it = crate::abstract_::PyObject_GetIter(l);
                crate::refcount::decref(l);
                it
            }
            Err(()) => null_mut(),
        }
    }
}

unsafe fn et_dir(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls,).
    out(unsafe {
        (|| {
            let cls = a[0];
            let set = ok(Obj::new(crate::setobject::PySet_New(null_mut())))?;
            for n in [
                "__class__",
                "__contains__",
                "__doc__",
                "__getitem__",
                "__iter__",
                "__len__",
                "__members__",
                "__module__",
                "__name__",
                "__qualname__",
            ] {
                crate::setobject::PySet_Add(set.ptr(), s(n)?.ptr());
            }
            for n in list_items(ga(cls, "_member_names_")?.ptr()) {
                crate::setobject::PySet_Add(set.ptr(), n.ptr());
            }
            let mt = ga(cls, "_member_type_")?;
            let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
            let has = |n: &str| {
                mro(cls)
                    .iter()
                    .any(|c| *c != object && !crate::dictobject::get_str(tdict(*c), n).is_null())
            };
            if mt.ptr() != object || has("__new_member__") {
                crate::setobject::PySet_Add(set.ptr(), s("__new__")?.ptr());
            }
            // `cls.__init_subclass__ is not object.__init_subclass__` holds for every class
            // in CPython (each lookup makes a new bound method).
            crate::setobject::PySet_Add(set.ptr(), s("__init_subclass__")?.ptr());
            if mt.ptr() != object {
                let d = callv(builtin("dir")?.ptr(), &[mt.ptr()])?;
                for n in list_items(d.ptr()) {
                    crate::setobject::PySet_Add(set.ptr(), n.ptr());
                }
            }
            let l = ok(Obj::new(crate::abstract_::PySequence_List(set.ptr())))?;
            if crate::listobject::PyList_Sort(l.ptr()) < 0 {
                return Err(());
            }
            Ok(l)
        })()
    })
}

/// `repr` of a member's value with the class's `_value_repr_` (or `repr`).
pub(crate) unsafe fn value_repr(cls: *mut PyObject, member: *mut PyObject) -> Result<String, ()> {
    // SAFETY: live objects.
    unsafe {
        let v = ga(member, "_value_")?;
        let vr = ga_opt(cls, "_value_repr_")?.unwrap_or_else(none);
        if is_none(vr.ptr()) {
            return rep(v.ptr());
        }
        strs(callv(vr.ptr(), &[v.ptr()])?.ptr())
    }
}

// ---- Enum's methods ----------------------------------------------------------------------------

unsafe fn e_new(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, value).
    out(unsafe { members::lookup(a[0], a[1]) })
}
unsafe fn e_init(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::object::new_none()
}
unsafe fn e_generate(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (name, start, count, last_values).
    out(unsafe {
        (|| {
            if !truth(a[3])? {
                return Ok(b(a[1]));
            }
            let sorted = match callv(builtin("sorted")?.ptr(), &[a[3]]) {
                Ok(x) => x,
                Err(()) => {
                    if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                        crate::pyerrors::clear();
                        return type_err("unable to sort non-numeric values");
                    }
                    return Err(());
                }
            };
            let items = list_items(sorted.ptr());
            let last = items.last().map(|x| b(x.ptr())).unwrap_or_else(none);
            let one = int(1)?;
            let r = Obj::new(crate::abstract_::PyNumber_Add(last.ptr(), one.ptr()));
            if r.is_null() {
                if crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    crate::pyerrors::clear();
                    return type_err(&format!("unable to increment {}", rep(last.ptr())?));
                }
                return Err(());
            }
            Ok(r)
        })()
    })
}
unsafe fn e_missing(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    crate::object::new_none()
}
unsafe fn e_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            let vr = value_repr(cls, a[0])?;
            let n = strs(ga(a[0], "_name_")?.ptr())?;
            s(&format!("<{}.{n}: {vr}>", tname(cls)))
        })()
    })
}
unsafe fn e_str(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            let n = strs(ga(a[0], "_name_")?.ptr())?;
            s(&format!("{}.{n}", tname(cls)))
        })()
    })
}
unsafe fn e_dir(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let me = a[0];
            let cls = ty(me).cast::<PyObject>();
            let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
            let set = ok(Obj::new(crate::setobject::PySet_New(null_mut())))?;
            let map = ga(cls, "_member_map_")?;
            let in_map = |n: *mut PyObject| -> Result<bool, ()> {
                Ok(crate::abstract_::PySequence_Contains(map.ptr(), n) == 1)
            };
            if ga(cls, "_member_type_")?.ptr() != object {
                let od = lookup_raw_obj(object, "__dir__")?;
                let d = callv(od.ptr(), &[me])?;
                let it = ok(Obj::new(crate::abstract_::PySequence_List(d.ptr())))?;
                for n in list_items(it.ptr()) {
                    crate::setobject::PySet_Add(set.ptr(), n.ptr());
                }
            }
            if let Some(dp) = crate::object::dict_ptr(me)
                && !(*dp).is_null()
            {
                for (k, _) in dict_items(*dp) {
                    let ks = uni::as_str(k.ptr()).unwrap_or("_");
                    if !ks.starts_with('_') && !in_map(k.ptr())? {
                        crate::setobject::PySet_Add(set.ptr(), k.ptr());
                    }
                }
            }
            let prop = (&raw mut crate::descrobject::property::PyProperty_Type).cast::<PyObject>();
            for c in mro(cls) {
                for (k, v) in dict_items(tdict(c)) {
                    let ks = uni::as_str(k.ptr()).unwrap_or("_");
                    if ks.starts_with('_') {
                        continue;
                    }
                    if isinst(v.ptr(), prop)? {
                        let fget = ga(v.ptr(), "fget")?;
                        if !is_none(fget.ptr()) || !in_map(k.ptr())? {
                            crate::setobject::PySet_Add(set.ptr(), k.ptr());
                        } else {
                            crate::setobject::PySet_Discard(set.ptr(), k.ptr());
                        }
                    } else if !in_map(k.ptr())? {
                        crate::setobject::PySet_Add(set.ptr(), k.ptr());
                    }
                }
            }
            for n in ["__class__", "__doc__", "__eq__", "__hash__", "__module__"] {
                crate::setobject::PySet_Add(set.ptr(), s(n)?.ptr());
            }
            let l = ok(Obj::new(crate::abstract_::PySequence_List(set.ptr())))?;
            if crate::listobject::PyList_Sort(l.ptr()) < 0 {
                return Err(());
            }
            Ok(l)
        })()
    })
}
unsafe fn lookup_raw_obj(cls: *mut PyObject, name: &str) -> R {
    // SAFETY: a live type.
    let v = unsafe { members::lookup_raw(cls, name) };
    if v.is_null() {
        return err(
            &raw mut EXC_AttributeError,
            &format!("no attribute '{name}'"),
        );
    }
    Ok(b(v))
}
unsafe fn e_format(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, format_spec).
    out(unsafe {
        (|| {
            let st = ok(Obj::new(crate::object::PyObject_Str(a[0])))?;
            if !uni::is_str(a[1]) {
                return type_err(&format!(
                    "__format__() argument must be str, not {}",
                    crate::object::tname(a[1])
                ));
            }
            ok(Obj::new(crate::abstract_::PyObject_Format(st.ptr(), a[1])))
        })()
    })
}
unsafe fn e_hash(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let n = ga(a[0], "_name_")?;
            let h = crate::object::PyObject_Hash(n.ptr());
            if h == -1 && crate::pyerrors::occurred() {
                return Err(());
            }
            int(h as i64)
        })()
    })
}
unsafe fn e_reduce_ex(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, proto).
    out(unsafe {
        (|| {
            let v = ga(a[0], "_value_")?;
            let inner = ok(Obj::new(crate::tupleobject::from_slice(&[v.ptr()])))?;
            ok(Obj::new(crate::tupleobject::from_slice(&[
                ty(a[0]).cast(),
                inner.ptr(),
            ])))
        })()
    })
}
unsafe fn e_self(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, ...).
    unsafe { new_ref(a[0]) }
}
unsafe fn e_name(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe { ga(a[0], "_name_") })
}
unsafe fn e_value(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe { ga(a[0], "_value_") })
}
unsafe fn e_add_alias(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, name).
    out(unsafe { members::add_member(ty(a[0]).cast(), a[1], a[0]).map(|()| none()) })
}
unsafe fn e_add_value_alias(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, value).
    out(unsafe {
        (|| {
            let (me, value) = (a[0], a[1]);
            let cls = ty(me).cast::<PyObject>();
            let v2m = ga(cls, "_value2member_map_")?;
            match dget(v2m.ptr(), value) {
                Ok(Some(m)) => {
                    if m.ptr() != me {
                        return value_err(&format!(
                            "{} is already bound: {}",
                            rep(value)?,
                            rep(m.ptr())?
                        ));
                    }
                    return Ok(none());
                }
                Ok(None) => {
                    dset(v2m.ptr(), value, me)?;
                    list_append(ga(cls, "_hashable_values_")?.ptr(), value)?;
                }
                Err(()) => {
                    if !crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                        return Err(());
                    }
                    crate::pyerrors::clear();
                    let map = ga(cls, "_member_map_")?;
                    for (_, m) in dict_items(map.ptr()) {
                        if eq(ga(m.ptr(), "_value_")?.ptr(), value)? {
                            if m.ptr() != me {
                                return value_err(&format!(
                                    "{} is already bound: {}",
                                    rep(value)?,
                                    rep(m.ptr())?
                                ));
                            }
                            return Ok(none());
                        }
                    }
                    list_append(ga(cls, "_unhashable_values_")?.ptr(), value)?;
                    let um = ga(cls, "_unhashable_values_map_")?;
                    let name = ga(me, "name")?;
                    let l = match dget(um.ptr(), name.ptr())? {
                        Some(l) => l,
                        None => {
                            let l = ok(Obj::new(crate::listobject::new_list(0)))?;
                            dset(um.ptr(), name.ptr(), l.ptr())?;
                            l
                        }
                    };
                    list_append(l.ptr(), value)?;
                }
            }
            Ok(none())
        })()
    })
}

const S: &[&str] = &["self"];
static ENUM_FUNCS: [FuncDef; 14] = [
    FuncDef::new("Enum.__new__", &["cls", "value"], 2, Kind::Static, e_new),
    FuncDef::new("Enum.__init__", S, 1, Kind::Method, e_init)
        .with_varargs()
        .with_kwargs(),
    FuncDef::new(
        "Enum._generate_next_value_",
        &["name", "start", "count", "last_values"],
        4,
        Kind::Static,
        e_generate,
    ),
    FuncDef::new(
        "Enum._missing_",
        &["cls", "value"],
        2,
        Kind::Class,
        e_missing,
    ),
    FuncDef::new("Enum.__repr__", S, 1, Kind::Method, e_repr),
    FuncDef::new("Enum.__str__", S, 1, Kind::Method, e_str),
    FuncDef::new("Enum.__dir__", S, 1, Kind::Method, e_dir),
    FuncDef::new(
        "Enum.__format__",
        &["self", "format_spec"],
        2,
        Kind::Method,
        e_format,
    ),
    FuncDef::new("Enum.__hash__", S, 1, Kind::Method, e_hash),
    FuncDef::new(
        "Enum.__reduce_ex__",
        &["self", "proto"],
        2,
        Kind::Method,
        e_reduce_ex,
    ),
    FuncDef::new(
        "Enum.__deepcopy__",
        &["self", "memo"],
        2,
        Kind::Method,
        e_self,
    ),
    FuncDef::new("Enum.__copy__", S, 1, Kind::Method, e_self),
    FuncDef::new(
        "Enum._add_alias_",
        &["self", "name"],
        2,
        Kind::Method,
        e_add_alias,
    ),
    FuncDef::new(
        "Enum._add_value_alias_",
        &["self", "value"],
        2,
        Kind::Method,
        e_add_value_alias,
    ),
];
static ENUM_NAME: FuncDef = FuncDef::new("Enum.name", S, 1, Kind::Method, e_name);
static ENUM_VALUE: FuncDef = FuncDef::new("Enum.value", S, 1, Kind::Method, e_value);

// ---- StrEnum -----------------------------------------------------------------------------------

unsafe fn se_new(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, *values).
    out(unsafe {
        (|| {
            let cls = a[0];
            let values = &a[1..];
            let str_t = (&raw mut crate::unicodeobject::PyUnicode_Type).cast::<PyObject>();
            if values.len() > 3 {
                let t = ok(Obj::new(crate::tupleobject::from_slice(values)))?;
                return type_err(&format!("too many arguments for str(): {}", rep(t.ptr())?));
            }
            if values.len() == 1 && !uni::is_str(values[0]) {
                return type_err(&format!("{} is not a string", rep(values[0])?));
            }
            if values.len() >= 2 && !uni::is_str(values[1]) {
                return type_err(&format!(
                    "encoding must be a string, not {}",
                    rep(values[1])?
                ));
            }
            if values.len() == 3 && !uni::is_str(values[2]) {
                return type_err(&format!("errors must be a string, not {}", rep(values[2])?));
            }
            let value = callv(str_t, values)?;
            let args = ok(Obj::new(crate::tupleobject::from_slice(&[value.ptr()])))?;
            let f = crate::unicodeobject::PyUnicode_Type
                .tp_new
                .expect("str has tp_new");
            let member = ok(Obj::new(crate::extcall::new(
                f,
                cls.cast(),
                args.ptr(),
                null_mut(),
            )))?;
            sa(member.ptr(), "_value_", value.ptr())?;
            Ok(member)
        })()
    })
}
unsafe fn se_generate(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (name, start, count, last_values).
    unsafe { crate::abc::call_method(a[0], "lower", &[]).into_raw() }
}
static STRENUM_FUNCS: [FuncDef; 2] = [
    FuncDef::new("StrEnum.__new__", &["cls"], 1, Kind::Static, se_new).with_varargs(),
    FuncDef::new(
        "StrEnum._generate_next_value_",
        &["name", "start", "count", "last_values"],
        4,
        Kind::Static,
        se_generate,
    ),
];

// ---- module functions --------------------------------------------------------------------------

unsafe fn f_unique(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (enumeration,).
    out(unsafe {
        (|| {
            let en = a[0];
            let members = ga(en, "__members__")?;
            let items = crate::abc::call_method(members.ptr(), "items", &[]);
            let items = ok(items)?;
            let l = ok(Obj::new(crate::abstract_::PySequence_List(items.ptr())))?;
            let mut dups = Vec::new();
            for it in list_items(l.ptr()) {
                let p = crate::tupleobject::items(it.ptr());
                let mn = ga(p[1], "name")?;
                if !eq(p[0], mn.ptr())? {
                    dups.push(format!("{} -> {}", strs(p[0])?, strs(mn.ptr())?));
                }
            }
            if !dups.is_empty() {
                return value_err(&format!(
                    "duplicate values found in {}: {}",
                    rep(en)?,
                    dups.join(", ")
                ));
            }
            Ok(b(en))
        })()
    })
}
unsafe fn f_pickle_global(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, proto).
    out(unsafe { ga(a[0], "name") })
}
unsafe fn f_pickle_enum(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, proto).
    out(unsafe {
        (|| {
            let n = ga(a[0], "_name_")?;
            let inner = ok(Obj::new(crate::tupleobject::from_slice(&[
                ty(a[0]).cast(),
                n.ptr(),
            ])))?;
            let g = builtin("getattr")?;
            ok(Obj::new(crate::tupleobject::from_slice(&[
                g.ptr(),
                inner.ptr(),
            ])))
        })()
    })
}
unsafe fn module_last(me: *mut PyObject) -> Result<String, ()> {
    // SAFETY: a live object.
    unsafe {
        let m = strs(ga(ty(me).cast(), "__module__")?.ptr())?;
        Ok(m.rsplit('.').next().unwrap_or("").to_string())
    }
}
unsafe fn f_global_enum_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let m = module_last(a[0])?;
            s(&format!("{m}.{}", strs(ga(a[0], "_name_")?.ptr())?))
        })()
    })
}
unsafe fn f_global_flag_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let me = a[0];
            let m = module_last(me)?;
            let cn = tname(ty(me).cast());
            let name = ga(me, "_name_")?;
            let v = ga(me, "_value_")?;
            if is_none(name.ptr()) {
                return s(&format!("{m}.{cn}({})", rep(v.ptr())?));
            }
            let bv = crate::longobject::to_bigint(
                ok(Obj::new(crate::abstract_::PyNumber_Index(v.ptr())))?.ptr(),
            );
            let ns = strs(name.ptr())?;
            if flag::is_single_bit(&bv) {
                return s(&format!("{m}.{ns}"));
            }
            if ga(me, "_boundary_")?.ptr() != boundary(KEEP) {
                let pub_name = strs(ga(me, "name")?.ptr())?;
                let parts: Vec<String> = pub_name.split('|').map(|n| format!("{m}.{n}")).collect();
                return s(&parts.join("|"));
            }
            let parts: Vec<String> = ns
                .split('|')
                .map(|n| {
                    if n.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        n.to_string()
                    } else {
                        format!("{m}.{n}")
                    }
                })
                .collect();
            s(&parts.join("|"))
        })()
    })
}
unsafe fn f_global_str(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let name = ga(a[0], "_name_")?;
            if is_none(name.ptr()) {
                let cn = tname(ty(a[0]).cast());
                return s(&format!("{cn}({})", rep(ga(a[0], "_value_")?.ptr())?));
            }
            Ok(name)
        })()
    })
}
unsafe fn f_global_enum(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, update_str=False).
    out(unsafe {
        (|| {
            let cls = a[0];
            let update_str = !a[1].is_null() && truth(a[1])?;
            let m = get(&MODULE_OBJ);
            let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
            let r = if issub(cls, flag_cls())? {
                "global_flag_repr"
            } else {
                "global_enum_repr"
            };
            sa(cls, "__repr__", crate::dictobject::get_str(d, r))?;
            if !issub(cls, get(&REPRENUM))? || update_str {
                sa(cls, "__str__", crate::dictobject::get_str(d, "global_str"))?;
            }
            let sys = crate::sysmodule::module();
            let modules = ga(sys, "modules")?;
            let mn = ga(cls, "__module__")?;
            let module = ok(Obj::new(crate::abstract_::PyObject_GetItem(
                modules.ptr(),
                mn.ptr(),
            )))?;
            let md = ga(module.ptr(), "__dict__")?;
            let members = ga(cls, "__members__")?;
            crate::abc::call_method(md.ptr(), "update", &[members.ptr()]);
            if crate::pyerrors::occurred() {
                return Err(());
            }
            Ok(b(cls))
        })()
    })
}

// auto, member, nonmember, _not_given, _auto_null, EnumDict
unsafe fn auto_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, value=_auto_null).
    out(unsafe {
        let v = if a[1].is_null() {
            get(&AUTO_NULL)
        } else {
            a[1]
        };
        sa(a[0], "value", v).map(|()| none())
    })
}
unsafe fn auto_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe { (|| s(&format!("auto({})", rep(ga(a[0], "value")?.ptr())?)))() })
}
unsafe fn value_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, value).
    out(unsafe { sa(a[0], "value", a[1]).map(|()| none()) })
}
unsafe fn not_given_repr(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    uni::from_str("<not given>")
}
unsafe fn auto_null_repr(_a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    uni::from_str("_auto_null")
}
unsafe fn enumdict_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, cls_name=None).
    out(unsafe {
        (|| {
            let n = if a[1].is_null() {
                crate::object::none()
            } else {
                a[1]
            };
            let mn = ok(Obj::new(crate::dictobject::new_dict()))?;
            sa(a[0], "_member_names", mn.ptr())?;
            let l = ok(Obj::new(crate::listobject::new_list(0)))?;
            sa(a[0], "_last_values", l.ptr())?;
            let ig = ok(Obj::new(crate::listobject::new_list(0)))?;
            sa(a[0], "_ignore", ig.ptr())?;
            sa(a[0], "_cls_name", n)?;
            sa(a[0], "_auto_called", crate::boolobject::false_())?;
            Ok(none())
        })()
    })
}
unsafe fn enumdict_member_names(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let m = ga(a[0], "_member_names")?;
            ok(Obj::new(crate::abstract_::PySequence_List(m.ptr())))
        })()
    })
}

/// `EnumDict.__new__`: an empty dict of the subclass (`__init__` takes the class name).
unsafe extern "C" fn enumdict_new(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let empty = Obj::new(crate::tupleobject::new_tuple(0));
        if empty.is_null() {
            return null_mut();
        }
        let f = crate::dictobject::PyDict_Type
            .tp_new
            .expect("dict has tp_new");
        crate::extcall::new(f, t, empty.ptr(), null_mut())
    }
}

const SUNDER_OK: [&str; 10] = [
    "_order_",
    "_generate_next_value_",
    "_numeric_repr_",
    "_missing_",
    "_ignore_",
    "_iter_member_",
    "_iter_member_by_value_",
    "_iter_member_by_def_",
    "_add_alias_",
    "_add_value_alias_",
];

/// `_is_internal_class(cls_name, obj)`: a class defined inside the enum's body.
unsafe fn is_internal_class(cls_name: &str, obj: *mut PyObject) -> Result<bool, ()> {
    // SAFETY: a live object.
    unsafe {
        if !crate::object::is_type(obj) {
            return Ok(false);
        }
        let q = match ga_opt(obj, "__qualname__")? {
            Some(q) => strs(q.ptr())?,
            None => String::new(),
        };
        let n = match ga_opt(obj, "__name__")? {
            Some(q) => strs(q.ptr())?,
            None => String::new(),
        };
        let sp = format!("{cls_name}.{n}");
        Ok(q == sp || q.ends_with(&format!(".{sp}")))
    }
}

/// `EnumDict.__setitem__(self, key, value)`.
unsafe fn enumdict_set(
    d: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> Result<(), ()> {
    // SAFETY: a live EnumDict and live objects.
    unsafe {
        let mut key = b(key);
        let mut value = b(value);
        let cn = ga(d, "_cls_name")?;
        let cls_name = if is_none(cn.ptr()) {
            None
        } else {
            Some(strs(cn.ptr())?)
        };
        let members = ga(d, "_member_names")?;
        let ks = uni::as_str(key.ptr()).map(str::to_string);
        let k = ks.as_deref().unwrap_or("");
        let in_self = |k: *mut PyObject| -> Result<bool, ()> {
            match crate::dictobject::PyDict_Contains(d, k) {
                r if r < 0 => Err(()),
                r => Ok(r == 1),
            }
        };
        if ks.is_some() && cls_name.as_deref().is_some_and(|c| is_private(c, k)) {
        } else if ks.is_some() && is_sunder(k) {
            if !SUNDER_OK.contains(&k) && !k.starts_with("_repr_") {
                return value_err(&format!(
                    "_sunder_ names, such as {}, are reserved for future Enum use",
                    rep(key.ptr())?
                ));
            }
            if k == "_generate_next_value_" {
                if truth(ga(d, "_auto_called")?.ptr())? {
                    return type_err("_generate_next_value_ must be defined before members");
                }
                let sm = (&raw mut crate::funcobject::PyStaticMethod_Type).cast::<PyObject>();
                let g = if isinst(value.ptr(), sm)? {
                    ga(value.ptr(), "__func__")?
                } else {
                    b(value.ptr())
                };
                sa(d, "_generate_next_value", g.ptr())?;
            } else if k == "_ignore_" {
                let l = if uni::is_str(value.ptr()) {
                    let t = uni::as_str(value.ptr()).unwrap_or("").replace(',', " ");
                    let v: Vec<Obj> = t.split_whitespace().map(s).collect::<Result<_, _>>()?;
                    ok(Obj::new(crate::listobject::from_vec(
                        v.into_iter().map(Obj::into_raw).collect(),
                    )))?
                } else {
                    ok(Obj::new(crate::abstract_::PySequence_List(value.ptr())))?
                };
                sa(d, "_ignore", l.ptr())?;
                let already = ok(Obj::new(crate::setobject::PySet_New(null_mut())))?;
                for n in list_items(l.ptr()) {
                    if crate::abstract_::PySequence_Contains(members.ptr(), n.ptr()) == 1 {
                        crate::setobject::PySet_Add(already.ptr(), n.ptr());
                    }
                }
                if crate::abstract_::PyObject_Size(already.ptr()) > 0 {
                    return value_err(&format!(
                        "_ignore_ cannot specify already set names: {}",
                        rep(already.ptr())?
                    ));
                }
                value = l;
            }
        } else if ks.is_some() && is_dunder(k) {
            if k == "__order__" {
                key = s("_order_")?;
            }
        } else if dget(members.ptr(), key.ptr())?.is_some() {
            let cur = ok(Obj::new(crate::abstract_::PyObject_GetItem(d, key.ptr())))?;
            return type_err(&format!(
                "{} already defined as {}",
                rep(key.ptr())?,
                rep(cur.ptr())?
            ));
        } else if crate::abstract_::PySequence_Contains(ga(d, "_ignore")?.ptr(), key.ptr()) == 1 {
        } else if ty(value.ptr()).cast::<PyObject>() == get(&NONMEMBER) {
            value = ga(value.ptr(), "value")?;
        } else if is_descriptor(value.ptr())? {
        } else if let Some(c) = &cls_name
            && is_internal_class(c, value.ptr())?
        {
        } else {
            if in_self(key.ptr())? {
                let cur = ok(Obj::new(crate::abstract_::PyObject_GetItem(d, key.ptr())))?;
                return type_err(&format!(
                    "{} already defined as {}",
                    rep(key.ptr())?,
                    rep(cur.ptr())?
                ));
            }
            if ty(value.ptr()).cast::<PyObject>() == get(&MEMBER) {
                value = ga(value.ptr(), "value")?;
            }
            let mut non_auto_store = true;
            let single = ty(value.ptr()).cast::<PyObject>() == get(&AUTO);
            if single {
                value = ok(Obj::new(crate::tupleobject::from_slice(&[value.ptr()])))?;
            }
            let last = ga(d, "_last_values")?;
            if crate::tupleobject::is_tuple(value.ptr())
                && crate::tupleobject::items(value.ptr())
                    .iter()
                    .any(|v| ty(*v).cast::<PyObject>() == get(&AUTO))
            {
                let mut vals = Vec::new();
                for &v in crate::tupleobject::items(value.ptr()) {
                    let mut v = b(v);
                    if ty(v.ptr()).cast::<PyObject>() == get(&AUTO) {
                        non_auto_store = false;
                        let cur = ga(v.ptr(), "value")?;
                        if cur.ptr() == get(&AUTO_NULL) {
                            let gnv = ga(d, "_generate_next_value")?;
                            let lv = ok(Obj::new(crate::abstract_::PySequence_List(last.ptr())))?;
                            let n = int(crate::abstract_::PyObject_Size(members.ptr()) as i64)?;
                            let one = int(1)?;
                            let g = callv(gnv.ptr(), &[key.ptr(), one.ptr(), n.ptr(), lv.ptr()])?;
                            sa(v.ptr(), "value", g.ptr())?;
                            sa(d, "_auto_called", crate::boolobject::true_())?;
                        }
                        v = ga(v.ptr(), "value")?;
                        list_append(last.ptr(), v.ptr())?;
                    }
                    vals.push(v);
                }
                value = if single {
                    b(vals[0].ptr())
                } else {
                    let t = ty(value.ptr()).cast::<PyObject>();
                    let l = ok(Obj::new(crate::listobject::from_vec(
                        vals.iter()
                            .map(|x| crate::refcount::new_ref(x.ptr()))
                            .collect(),
                    )))?;
                    match callv(t, &[l.ptr()]) {
                        Ok(v) => v,
                        Err(()) => {
                            if !crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                                return Err(());
                            }
                            crate::pyerrors::clear();
                            callv(t, &vals.iter().map(Obj::ptr).collect::<Vec<_>>())?
                        }
                    }
                };
            }
            dset(members.ptr(), key.ptr(), crate::object::none())?;
            if non_auto_store {
                list_append(last.ptr(), value.ptr())?;
            }
        }
        if crate::dictobject::PyDict_SetItem(d, key.ptr(), value.ptr()) < 0 {
            return Err(());
        }
        Ok(())
    }
}

unsafe extern "C" fn enumdict_ass_sub(
    d: *mut PyObject,
    key: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: slot contract.
    unsafe {
        if value.is_null() {
            return crate::dictobject::PyDict_DelItem(d, key);
        }
        match enumdict_set(d, key, value) {
            Ok(()) => 0,
            Err(()) => -1,
        }
    }
}

unsafe fn enumdict_setitem_f(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, key, value).
    out(unsafe { enumdict_set(a[0], a[1], a[2]).map(|()| none()) })
}

unsafe fn enumdict_update(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, members, **more_members).
    out(unsafe {
        (|| {
            let (d, m) = (a[0], a[1]);
            let by_keys = (|| -> Result<(), ()> {
                let keys = ga(m, "keys")?;
                let ks = callv(keys.ptr(), &[])?;
                let it = ok(Obj::new(crate::abstract_::PyObject_GetIter(ks.ptr())))?;
                loop {
                    let k = Obj::new(crate::abstract_::PyIter_Next(it.ptr()));
                    if k.is_null() {
                        return if crate::pyerrors::occurred() {
                            Err(())
                        } else {
                            Ok(())
                        };
                    }
                    let v = ok(Obj::new(crate::abstract_::PyObject_GetItem(m, k.ptr())))?;
                    enumdict_set(d, k.ptr(), v.ptr())?;
                }
            })();
            let fallback = match by_keys {
                Ok(()) => false,
                Err(()) if crate::pyerrors::matches_current(&raw mut EXC_AttributeError) => {
                    crate::pyerrors::clear();
                    true
                }
                Err(()) => return Err(()),
            };
            match fallback {
                false => {}
                true => {
                    let l = ok(Obj::new(crate::abstract_::PySequence_List(m)))?;
                    for item in list_items(l.ptr()) {
                        let t = ok(Obj::new(crate::abstract_::PySequence_Tuple(item.ptr())))?;
                        let p = crate::tupleobject::items(t.ptr());
                        if p.len() != 2 {
                            return value_err(&format!(
                                "{} values to unpack (expected 2, got {})",
                                if p.len() > 2 {
                                    "too many"
                                } else {
                                    "not enough"
                                },
                                p.len()
                            ));
                        }
                        enumdict_set(d, p[0], p[1])?;
                    }
                }
            }
            if !kw.is_null() {
                for (k, v) in dict_items(kw) {
                    enumdict_set(d, k.ptr(), v.ptr())?;
                }
            }
            Ok(none())
        })()
    })
}

// ---- enum.property -----------------------------------------------------------------------------

unsafe fn prop_get(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, instance, ownerclass=None).
    out(unsafe {
        (|| {
            let (me, inst) = (a[0], a[1]);
            let owner = if a.len() > 2 && !a[2].is_null() {
                a[2]
            } else {
                crate::object::none()
            };
            let no_attr = || -> R {
                let name = ga(me, "name")?;
                err(
                    &raw mut EXC_AttributeError,
                    &format!("{} has no attribute {}", rep(owner)?, rep(name.ptr())?),
                )
            };
            if is_none(inst) {
                let m = ga(me, "member")?;
                if !is_none(m.ptr()) {
                    return Ok(m);
                }
                return no_attr();
            }
            let fget = ga(me, "fget")?;
            if !is_none(fget.ptr()) {
                return callv(fget.ptr(), &[inst]);
            }
            let at = ga(me, "_attr_type")?;
            match uni::as_str(at.ptr()) {
                Some("attr") => {
                    let name = ga(me, "name")?;
                    let ct = ga(me, "_cls_type")?;
                    return ok(Obj::new(crate::object::PyObject_GetAttr(
                        ct.ptr(),
                        name.ptr(),
                    )));
                }
                Some("desc") => {
                    let name = ga(me, "name")?;
                    let v = ga(inst, "_value_")?;
                    return ok(Obj::new(crate::object::PyObject_GetAttr(
                        v.ptr(),
                        name.ptr(),
                    )));
                }
                _ => {}
            }
            let name = ga(me, "name")?;
            let map = ga(owner, "_member_map_")?;
            match dget(map.ptr(), name.ptr())? {
                Some(m) => Ok(m),
                None => no_attr(),
            }
        })()
    })
}
unsafe fn prop_set(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, instance, value).
    out(unsafe {
        (|| {
            let fset = ga(a[0], "fset")?;
            if !is_none(fset.ptr()) {
                return callv(fset.ptr(), &[a[1], a[2]]);
            }
            err(
                &raw mut EXC_AttributeError,
                &format!(
                    "<enum {}> cannot set attribute {}",
                    rep(ga(a[0], "clsname")?.ptr())?,
                    rep(ga(a[0], "name")?.ptr())?
                ),
            )
        })()
    })
}
unsafe fn prop_delete(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, instance).
    out(unsafe {
        (|| {
            let fdel = ga(a[0], "fdel")?;
            if !is_none(fdel.ptr()) {
                return callv(fdel.ptr(), &[a[1]]);
            }
            err(
                &raw mut EXC_AttributeError,
                &format!(
                    "<enum {}> cannot delete attribute {}",
                    rep(ga(a[0], "clsname")?.ptr())?,
                    rep(ga(a[0], "name")?.ptr())?
                ),
            )
        })()
    })
}
unsafe fn prop_set_name(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, ownerclass, name).
    out(unsafe {
        (|| {
            sa(a[0], "name", a[2])?;
            let n = ga(a[1], "__name__")?;
            sa(a[0], "clsname", n.ptr())?;
            Ok(none())
        })()
    })
}
static PROPERTY_FUNCS: [FuncDef; 4] = [
    FuncDef::new(
        "property.__get__",
        &["self", "instance", "ownerclass"],
        2,
        Kind::Method,
        prop_get,
    ),
    FuncDef::new(
        "property.__set__",
        &["self", "instance", "value"],
        3,
        Kind::Method,
        prop_set,
    ),
    FuncDef::new(
        "property.__delete__",
        &["self", "instance"],
        2,
        Kind::Method,
        prop_delete,
    ),
    FuncDef::new(
        "property.__set_name__",
        &["self", "ownerclass", "name"],
        3,
        Kind::Method,
        prop_set_name,
    ),
];

// ---- verify ------------------------------------------------------------------------------------

unsafe fn verify_init(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, *checks).
    out(unsafe {
        (|| {
            let t = ok(Obj::new(crate::tupleobject::from_slice(&a[1..])))?;
            sa(a[0], "checks", t.ptr())?;
            Ok(none())
        })()
    })
}

unsafe fn verify_call(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, enumeration).
    out(unsafe {
        (|| {
            let (me, en) = (a[0], a[1]);
            let checks = ga(me, "checks")?;
            let cls_name = strs(ga(en, "__name__")?.ptr())?;
            let is_flag = crate::object::is_type(en) && issub(en, flag_cls())?;
            let enum_type = if is_flag {
                "flag"
            } else if crate::object::is_type(en) && issub(en, enum_cls())? {
                "enum"
            } else {
                return type_err("the 'verify' decorator only works with Enum and Flag");
            };
            let chk = |i: usize| get(&CHECKS[i]);
            let l = ok(Obj::new(crate::abstract_::PySequence_List(checks.ptr())))?;
            for check in list_items(l.ptr()) {
                if check.ptr() == chk(2) {
                    let members = ga(en, "__members__")?;
                    let items = ok(crate::abc::call_method(members.ptr(), "items", &[]))?;
                    let il = ok(Obj::new(crate::abstract_::PySequence_List(items.ptr())))?;
                    let mut dups = Vec::new();
                    for it in list_items(il.ptr()) {
                        let p = crate::tupleobject::items(it.ptr());
                        let mn = ga(p[1], "name")?;
                        if !eq(p[0], mn.ptr())? {
                            dups.push(format!("{} -> {}", strs(p[0])?, strs(mn.ptr())?));
                        }
                    }
                    if !dups.is_empty() {
                        return value_err(&format!(
                            "aliases found in {}: {}",
                            rep(en)?,
                            dups.join(", ")
                        ));
                    }
                } else if check.ptr() == chk(0) {
                    let mut values: Vec<num_bigint::BigInt> = Vec::new();
                    for m in members_list(en)? {
                        let v = ga(m.ptr(), "value")?;
                        let i = ok(Obj::new(crate::abstract_::PyNumber_Index(v.ptr())))?;
                        let bv = crate::longobject::to_bigint(i.ptr());
                        if !values.contains(&bv) {
                            values.push(bv);
                        }
                    }
                    if values.len() < 2 {
                        continue;
                    }
                    let low = values.iter().min().cloned().unwrap_or_default();
                    let high = values.iter().max().cloned().unwrap_or_default();
                    let mut missing: Vec<String> = Vec::new();
                    if is_flag {
                        let hb = |v: &num_bigint::BigInt| v.magnitude().bits() as i64 - 1;
                        for i in (hb(&low) + 1)..hb(&high) {
                            let p = num_bigint::BigInt::from(1) << (i as u64);
                            if !values.contains(&p) {
                                missing.push(p.to_string());
                            }
                        }
                    } else {
                        let mut i = &low + 1;
                        while i < high {
                            if !values.contains(&i) {
                                missing.push(i.to_string());
                            }
                            i += 1;
                        }
                    }
                    if !missing.is_empty() {
                        let msg = format!(
                            "invalid {enum_type} {}: missing values {}",
                            uni::repr_text(&cls_name),
                            missing.join(", ")
                        );
                        let cut: String = msg.chars().take(256).collect();
                        return value_err(&cut);
                    }
                } else if check.ptr() == chk(1) {
                    let names = ga(en, "_member_names_")?;
                    let mut member_values = Vec::new();
                    for m in members_list(en)? {
                        let v = ga(m.ptr(), "value")?;
                        member_values.push(crate::longobject::to_bigint(
                            ok(Obj::new(crate::abstract_::PyNumber_Index(v.ptr())))?.ptr(),
                        ));
                    }
                    let map = ga(en, "_member_map_")?;
                    let mut missing_names = Vec::new();
                    let mut missing_value = num_bigint::BigInt::from(0);
                    for (n, alias) in dict_items(map.ptr()) {
                        if crate::abstract_::PySequence_Contains(names.ptr(), n.ptr()) == 1 {
                            continue;
                        }
                        let v = ga(alias.ptr(), "value")?;
                        let bv = crate::longobject::to_bigint(
                            ok(Obj::new(crate::abstract_::PyNumber_Index(v.ptr())))?.ptr(),
                        );
                        if bv < num_bigint::BigInt::from(0) {
                            continue;
                        }
                        let mut n2 = bv.clone();
                        let mut missed = false;
                        while n2 != num_bigint::BigInt::from(0) {
                            let low: num_bigint::BigInt = &n2 & (-&n2);
                            if !member_values.contains(&low) {
                                missed = true;
                                missing_value |= &low;
                            }
                            n2 ^= low;
                        }
                        if missed {
                            missing_names.push(strs(n.ptr())?);
                        }
                    }
                    if !missing_names.is_empty() {
                        let alias = if missing_names.len() == 1 {
                            format!("alias {} is missing", missing_names[0])
                        } else {
                            let k = missing_names.len() - 1;
                            format!(
                                "aliases {} and {} are missing",
                                missing_names[..k].join(", "),
                                missing_names[k]
                            )
                        };
                        let value = if flag::is_single_bit(&missing_value) {
                            format!("value 0x{missing_value:x}")
                        } else {
                            format!("combined values of 0x{missing_value:x}")
                        };
                        return value_err(&format!(
                            "invalid Flag {}: {alias} {value} [use enum.show_flag_values(value) for details]",
                            uni::repr_text(&cls_name)
                        ));
                    }
                }
            }
            Ok(b(en))
        })()
    })
}

static VERIFY_FUNCS: [FuncDef; 2] = [
    FuncDef::new("verify.__init__", S, 1, Kind::Method, verify_init).with_varargs(),
    FuncDef::new(
        "verify.__call__",
        &["self", "enumeration"],
        2,
        Kind::Method,
        verify_call,
    ),
];
/// CONTINUOUS, NAMED_FLAGS, UNIQUE.
static CHECKS: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

static AUTO_FUNCS: [FuncDef; 2] = [
    FuncDef::new(
        "auto.__init__",
        &["self", "value"],
        1,
        Kind::Method,
        auto_init,
    ),
    FuncDef::new("auto.__repr__", S, 1, Kind::Method, auto_repr),
];
static MEMBER_FUNCS: [FuncDef; 1] = [FuncDef::new(
    "member.__init__",
    &["self", "value"],
    2,
    Kind::Method,
    value_init,
)];
static NONMEMBER_FUNCS: [FuncDef; 1] = [FuncDef::new(
    "nonmember.__init__",
    &["self", "value"],
    2,
    Kind::Method,
    value_init,
)];
static NOT_GIVEN_FUNCS: [FuncDef; 1] = [FuncDef::new(
    "_not_given.__repr__",
    S,
    1,
    Kind::Method,
    not_given_repr,
)];
static AUTO_NULL_FUNCS: [FuncDef; 1] = [FuncDef::new(
    "_auto_null.__repr__",
    S,
    1,
    Kind::Method,
    auto_null_repr,
)];
static ENUMDICT_FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "EnumDict.__init__",
        &["self", "cls_name"],
        1,
        Kind::Method,
        enumdict_init,
    ),
    FuncDef::new(
        "EnumDict.__setitem__",
        &["self", "key", "value"],
        3,
        Kind::Method,
        enumdict_setitem_f,
    ),
    FuncDef::new(
        "EnumDict.update",
        &["self", "members"],
        2,
        Kind::Method,
        enumdict_update,
    )
    .with_kwargs(),
];
static ENUMDICT_MEMBER_NAMES: FuncDef = FuncDef::new(
    "EnumDict.member_names",
    S,
    1,
    Kind::Method,
    enumdict_member_names,
);

static MODULE_FUNCS: [FuncDef; 8] = [
    FuncDef::new("unique", &["enumeration"], 1, Kind::Static, f_unique),
    FuncDef::new(
        "pickle_by_global_name",
        &["self", "proto"],
        2,
        Kind::Method,
        f_pickle_global,
    ),
    FuncDef::new(
        "pickle_by_enum_name",
        &["self", "proto"],
        2,
        Kind::Method,
        f_pickle_enum,
    ),
    FuncDef::new("global_enum_repr", S, 1, Kind::Method, f_global_enum_repr),
    FuncDef::new("global_flag_repr", S, 1, Kind::Method, f_global_flag_repr),
    FuncDef::new("global_str", S, 1, Kind::Method, f_global_str),
    FuncDef::new(
        "global_enum",
        &["cls", "update_str"],
        1,
        Kind::Static,
        f_global_enum,
    ),
    FuncDef::new(
        "show_flag_values",
        &["value"],
        1,
        Kind::Static,
        flag::f_show_flag_values,
    ),
];

static ET_FUNCS: [FuncDef; 3] = [
    FuncDef::new(
        "EnumType.__prepare__",
        &["metacls", "cls", "bases"],
        3,
        Kind::Class,
        et_prepare,
    )
    .with_kwargs(),
    FuncDef::new("EnumType.__reversed__", S, 1, Kind::Method, et_reversed),
    FuncDef::new("EnumType.__dir__", S, 1, Kind::Method, et_dir),
];
unsafe fn et_create(a: &[*mut PyObject], kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, class_name, names, **kw).
    out(unsafe {
        (|| {
            let (mut module, mut qualname, mut typ, mut start, mut bnd) =
                (none(), none(), none(), int(1)?, none());
            if !kw.is_null() {
                for (k, v) in dict_items(kw) {
                    let slot = match uni::as_str(k.ptr()).unwrap_or("") {
                        "module" => &mut module,
                        "qualname" => &mut qualname,
                        "type" => &mut typ,
                        "start" => &mut start,
                        "boundary" => &mut bnd,
                        k2 => {
                            return type_err(&format!(
                                "EnumType._create_() got an unexpected keyword argument '{k2}'"
                            ));
                        }
                    };
                    *slot = v;
                }
            }
            members::create(
                a[0],
                a[1],
                a[2],
                module.ptr(),
                qualname.ptr(),
                typ.ptr(),
                start.ptr(),
                bnd.ptr(),
            )
        })()
    })
}

static ET_CREATE: FuncDef = FuncDef::new(
    "EnumType._create_",
    &["cls", "class_name", "names"],
    3,
    Kind::Method,
    et_create,
)
.with_kwargs();

static ET_MEMBERS: FuncDef = FuncDef::new("EnumType.__members__", S, 1, Kind::Method, et_members);

static MODULE_OBJ: AtomicUsize = AtomicUsize::new(0);
static MADE: OnceLock<usize> = OnceLock::new();

/// The `enum` module (a borrowed, process-lifetime reference; NULL with an exception).
pub(crate) fn module() -> *mut PyObject {
    super::once(&MADE, "enum", build)
}

/// A plain helper class `name(base)` made by `type()` in module `enum`.
unsafe fn helper_class(
    name: &str,
    base: *mut PyObject,
    defs: &'static [FuncDef],
    doc: Option<&str>,
) -> R {
    // SAFETY: live objects.
    unsafe {
        let docs;
        let mut extra: Vec<(&str, *mut PyObject)> = Vec::new();
        if let Some(d) = doc {
            docs = s(d)?;
            extra.push(("__doc__", docs.ptr()));
        }
        let bases: Vec<*mut PyObject> = if base.is_null() { vec![] } else { vec![base] };
        let c = ok(crate::abc::make_class(
            &raw mut crate::object::PyType_Type,
            "enum",
            name,
            &bases,
            defs,
            &extra,
        ))?;
        Ok(c)
    }
}

/// An enum class made by calling `EnumType(name, bases, ns)` (as a class statement would).
unsafe fn enum_class(
    name: &str,
    bases: &[*mut PyObject],
    defs: &'static [FuncDef],
    extra: &[(&str, *mut PyObject)],
    kw: &[(&str, *mut PyObject)],
) -> R {
    // SAFETY: live objects.
    unsafe {
        let n = s(name)?;
        let bt = ok(Obj::new(crate::tupleobject::from_slice(bases)))?;
        let prep = ga(enumtype(), "__prepare__")?;
        let ns = callv(prep.ptr(), &[n.ptr(), bt.ptr()])?;
        let put = |k: &str, v: *mut PyObject| -> Result<(), ()> {
            let k = s(k)?;
            enumdict_set(ns.ptr(), k.ptr(), v)
        };
        put("__module__", s("enum")?.ptr())?;
        put("__qualname__", s(name)?.ptr())?;
        for d in defs {
            let f = ok(Obj::new(crate::abc::new_func(d, null_mut())))?;
            put(d.name(), f.ptr())?;
        }
        for (k, v) in extra {
            put(k, *v)?;
        }
        callkw(enumtype(), &[n.ptr(), bt.ptr(), ns.ptr()], kw)
    }
}

fn build() -> *mut PyObject {
    // SAFETY: every object used is live; the statics are set once, here.
    unsafe { build_inner().map_or(null_mut(), |m| m as *mut PyObject) }
}

unsafe fn build_inner() -> Result<usize, ()> {
    // SAFETY: as build().
    unsafe {
        let name = uni::intern("enum");
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return Err(());
        }
        MODULE_OBJ.store(m as usize, Ordering::Release);
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let set = |k: &str, v: *mut PyObject| dset_str(d, k, v);
        // Sentinels and helper classes.
        let ng_cls = helper_class("_not_given", null_mut(), &NOT_GIVEN_FUNCS, None)?;
        let ng = callv(ng_cls.ptr(), &[])?;
        NOT_GIVEN.store(ng.into_raw() as usize, Ordering::Release);
        let an_cls = helper_class("_auto_null", null_mut(), &AUTO_NULL_FUNCS, None)?;
        let an = callv(an_cls.ptr(), &[])?;
        AUTO_NULL.store(an.into_raw() as usize, Ordering::Release);
        let auto = helper_class(
            "auto",
            null_mut(),
            &AUTO_FUNCS,
            Some("Instances are replaced with an appropriate value in Enum class suites."),
        )?;
        set("auto", auto.ptr())?;
        AUTO.store(auto.into_raw() as usize, Ordering::Release);
        let member = helper_class(
            "member",
            null_mut(),
            &MEMBER_FUNCS,
            Some("Forces item to become an Enum member during class creation."),
        )?;
        set("member", member.ptr())?;
        MEMBER.store(member.into_raw() as usize, Ordering::Release);
        let nonmember = helper_class(
            "nonmember",
            null_mut(),
            &NONMEMBER_FUNCS,
            Some("Protects item from becoming an Enum member during class creation."),
        )?;
        set("nonmember", nonmember.ptr())?;
        NONMEMBER.store(nonmember.into_raw() as usize, Ordering::Release);
        let dict_t = (&raw mut crate::dictobject::PyDict_Type).cast::<PyObject>();
        let ed = helper_class(
            "EnumDict",
            dict_t,
            &ENUMDICT_FUNCS,
            Some(
                "Track enum member order and ensure member names are not reused.\n\nEnumType will use the names found in self._member_names as the\nenumeration member names.",
            ),
        )?;
        let mn = ok(Obj::new(crate::abc::new_func(
            &ENUMDICT_MEMBER_NAMES,
            null_mut(),
        )))?;
        let mnp = callv(
            (&raw mut crate::descrobject::property::PyProperty_Type).cast(),
            &[mn.ptr()],
        )?;
        sa(ed.ptr(), "member_names", mnp.ptr())?;
        (*ed.ptr().cast::<PyTypeObject>()).tp_new = Some(enumdict_new);
        let mp = (*ed.ptr().cast::<PyTypeObject>()).tp_as_mapping;
        if !mp.is_null() {
            (*mp).mp_ass_subscript = Some(enumdict_ass_sub);
        }
        set("EnumDict", ed.ptr())?;
        ENUMDICT.store(ed.into_raw() as usize, Ordering::Release);
        // EnumType.
        let mut slots = [
            slot(crate::typeslots::Py_tp_new, enumtype_new as *mut c_void),
            slot(crate::typeslots::Py_tp_call, enumtype_call as *mut c_void),
            slot(crate::typeslots::Py_tp_iter, enumtype_iter as *mut c_void),
            slot(crate::typeslots::Py_tp_repr, enumtype_repr as *mut c_void),
            slot(
                crate::typeslots::Py_tp_setattro,
                enumtype_setattro as *mut c_void,
            ),
            slot(
                crate::typeslots::Py_mp_subscript,
                enumtype_getitem as *mut c_void,
            ),
            slot(crate::typeslots::Py_mp_length, enumtype_len as *mut c_void),
            slot(crate::typeslots::Py_sq_length, enumtype_len as *mut c_void),
            slot(
                crate::typeslots::Py_sq_contains,
                enumtype_contains as *mut c_void,
            ),
            slot(crate::typeslots::Py_nb_bool, enumtype_bool as *mut c_void),
            slot(
                crate::typeslots::Py_tp_dealloc,
                crate::object::PyType_Type
                    .tp_dealloc
                    .map_or(null_mut(), |f| f as *mut c_void),
            ),
            slot(0, null_mut()),
        ];
        let mut spec = crate::typeobject::PyType_Spec {
            name: c"enum.EnumType".as_ptr(),
            basicsize: 0,
            itemsize: 0,
            flags: crate::object::Py_TPFLAGS_BASETYPE as std::ffi::c_uint,
            slots: slots.as_mut_ptr(),
        };
        let meta = ok(Obj::new(crate::typeobject::PyType_FromSpecWithBases(
            &mut spec,
            (&raw mut crate::object::PyType_Type).cast(),
        )))?;
        let md = crate::object::ensure_dict(meta.ptr().cast());
        crate::abc::add_funcs(md, &ET_FUNCS)?;
        let cf = ok(Obj::new(crate::abc::new_func(&ET_CREATE, null_mut())))?;
        dset_str(md, "_create_", cf.ptr())?;
        let mf = ok(Obj::new(crate::abc::new_func(&ET_MEMBERS, null_mut())))?;
        let mp = callv(
            (&raw mut crate::descrobject::property::PyProperty_Type).cast(),
            &[mf.ptr()],
        )?;
        dset_str(md, "__members__", mp.ptr())?;
        dset_str(md, "__doc__", s("Metaclass for Enum")?.ptr())?;
        set("EnumType", meta.ptr())?;
        set("EnumMeta", meta.ptr())?;
        ENUMTYPE.store(meta.into_raw() as usize, Ordering::Release);
        // enum.property (a DynamicClassAttribute).
        let types_m = crate::types::module();
        if types_m.is_null() {
            return Err(());
        }
        let dca = ga(types_m, "DynamicClassAttribute")?;
        let prop = helper_class("property", dca.ptr(), &PROPERTY_FUNCS, Some(PROPERTY_DOC))?;
        for k in ["member", "_attr_type", "_cls_type"] {
            sa(prop.ptr(), k, crate::object::none())?;
        }
        set("property", prop.ptr())?;
        PROPERTY.store(
            crate::refcount::new_ref(prop.ptr()) as usize,
            Ordering::Release,
        );
        DCA.store(
            crate::refcount::new_ref(dca.ptr()) as usize,
            Ordering::Release,
        );
        let prop = prop.ptr();
        // Enum.
        let pname = ok(Obj::new(crate::abc::new_func(&ENUM_NAME, null_mut())))?;
        let pvalue = ok(Obj::new(crate::abc::new_func(&ENUM_VALUE, null_mut())))?;
        let pname = callv(prop, &[pname.ptr()])?;
        let pvalue = callv(prop, &[pvalue.ptr()])?;
        let enum_doc = s(ENUM_DOC)?;
        let en = enum_class(
            "Enum",
            &[],
            &ENUM_FUNCS,
            &[
                ("name", pname.ptr()),
                ("value", pvalue.ptr()),
                ("__doc__", enum_doc.ptr()),
            ],
            &[],
        )?;
        set("Enum", en.ptr())?;
        ENUM.store(en.ptr() as usize, Ordering::Release);
        let doc = s("Only changes the repr(), leaving str() and format() to the mixed-in type.")?;
        let re = enum_class("ReprEnum", &[en.ptr()], &[], &[("__doc__", doc.ptr())], &[])?;
        set("ReprEnum", re.ptr())?;
        REPRENUM.store(re.ptr() as usize, Ordering::Release);
        let int_t = (&raw mut crate::longobject::PyLong_Type).cast::<PyObject>();
        let str_t = (&raw mut crate::unicodeobject::PyUnicode_Type).cast::<PyObject>();
        let doc = s("Enum where members are also (and must be) ints")?;
        let ie = enum_class(
            "IntEnum",
            &[int_t, re.ptr()],
            &[],
            &[("__doc__", doc.ptr())],
            &[],
        )?;
        set("IntEnum", ie.ptr())?;
        let doc = s("Enum where members are also (and must be) strings")?;
        let se = enum_class(
            "StrEnum",
            &[str_t, re.ptr()],
            &STRENUM_FUNCS,
            &[("__doc__", doc.ptr())],
            &[],
        )?;
        set("StrEnum", se.ptr())?;
        // FlagBoundary(StrEnum) with four auto() members.
        let autos: Vec<Obj> = (0..4)
            .map(|_| callv(get(&AUTO), &[]))
            .collect::<Result<_, _>>()?;
        let doc = s(FLAGBOUNDARY_DOC)?;
        let fb = enum_class(
            "FlagBoundary",
            &[se.ptr()],
            &[],
            &[
                ("__doc__", doc.ptr()),
                ("STRICT", autos[0].ptr()),
                ("CONFORM", autos[1].ptr()),
                ("EJECT", autos[2].ptr()),
                ("KEEP", autos[3].ptr()),
            ],
            &[],
        )?;
        set("FlagBoundary", fb.ptr())?;
        for (i, n) in ["STRICT", "CONFORM", "EJECT", "KEEP"].iter().enumerate() {
            let v = ga(fb.ptr(), n)?;
            set(n, v.ptr())?;
            BOUNDARIES[i].store(v.into_raw() as usize, Ordering::Release);
        }
        // Flag.
        let doc = s("Support for flags")?;
        let repr_f = builtin("repr")?;
        let fl = enum_class(
            "Flag",
            &[en.ptr()],
            &flag::FLAG_FUNCS,
            &[("__doc__", doc.ptr()), ("_numeric_repr_", repr_f.ptr())],
            &[("boundary", boundary(STRICT))],
        )?;
        let fd = tdict(fl.ptr());
        for (alias, orig) in [
            ("__ror__", "__or__"),
            ("__rand__", "__and__"),
            ("__rxor__", "__xor__"),
            ("_iter_member_", "_iter_member_by_value_"),
        ] {
            let o = crate::dictobject::get_str(fd, orig);
            dset_str(fd, alias, o)?;
        }
        set("Flag", fl.ptr())?;
        FLAG.store(fl.ptr() as usize, Ordering::Release);
        let doc = s("Support for integer-based Flags")?;
        let inf = enum_class(
            "IntFlag",
            &[int_t, re.ptr(), fl.ptr()],
            &[],
            &[("__doc__", doc.ptr())],
            &[("boundary", boundary(KEEP))],
        )?;
        set("IntFlag", inf.ptr())?;
        // verify and EnumCheck.
        let ver = helper_class(
            "verify",
            null_mut(),
            &VERIFY_FUNCS,
            Some("Check an enumeration for various constraints. (see EnumCheck)"),
        )?;
        set("verify", ver.ptr())?;
        let doc = s("various conditions to check an enumeration for")?;
        let (c1, c2, c3) = (
            s("no skipped integer values")?,
            s("multi-flag aliases may not contain unnamed flags")?,
            s("one name per value")?,
        );
        let ec = enum_class(
            "EnumCheck",
            &[se.ptr()],
            &[],
            &[
                ("__doc__", doc.ptr()),
                ("CONTINUOUS", c1.ptr()),
                ("NAMED_FLAGS", c2.ptr()),
                ("UNIQUE", c3.ptr()),
            ],
            &[],
        )?;
        set("EnumCheck", ec.ptr())?;
        for (i, n) in ["CONTINUOUS", "NAMED_FLAGS", "UNIQUE"].iter().enumerate() {
            let v = ga(ec.ptr(), n)?;
            set(n, v.ptr())?;
            CHECKS[i].store(v.into_raw() as usize, Ordering::Release);
        }
        std::mem::forget(ec);
        crate::abc::add_funcs(d, &MODULE_FUNCS)?;
        std::mem::forget(en);
        std::mem::forget(re);
        std::mem::forget(ie);
        std::mem::forget(se);
        std::mem::forget(fb);
        std::mem::forget(fl);
        std::mem::forget(inf);
        let all = ok(Obj::new(crate::listobject::new_list(0)))?;
        for n in ALL {
            list_append(all.ptr(), s(n)?.ptr())?;
        }
        set("__all__", all.ptr())?;
        Ok(m as usize)
    }
}

fn slot(id: c_int, pfunc: *mut c_void) -> crate::typeobject::PyType_Slot {
    crate::typeobject::PyType_Slot { slot: id, pfunc }
}

const ALL: [&str; 30] = [
    "EnumType",
    "EnumMeta",
    "EnumDict",
    "Enum",
    "IntEnum",
    "StrEnum",
    "Flag",
    "IntFlag",
    "ReprEnum",
    "auto",
    "unique",
    "property",
    "verify",
    "member",
    "nonmember",
    "FlagBoundary",
    "STRICT",
    "CONFORM",
    "EJECT",
    "KEEP",
    "global_flag_repr",
    "global_enum_repr",
    "global_str",
    "global_enum",
    "EnumCheck",
    "CONTINUOUS",
    "NAMED_FLAGS",
    "UNIQUE",
    "pickle_by_global_name",
    "pickle_by_enum_name",
];

const PROPERTY_DOC: &str = "This is a descriptor, used to define attributes that act differently\nwhen accessed through an enum member and through an enum class.\nInstance access is the same as property(), but access to an attribute\nthrough the enum class will instead look in the class' _member_map_ for\na corresponding enum member.";

const ENUM_DOC: &str = "Create a collection of name/value pairs.\n\nExample enumeration:\n\n>>> class Color(Enum):\n...     RED = 1\n...     BLUE = 2\n...     GREEN = 3\n\nAccess them by:\n\n- attribute access:\n\n  >>> Color.RED\n  <Color.RED: 1>\n\n- value lookup:\n\n  >>> Color(1)\n  <Color.RED: 1>\n\n- name lookup:\n\n  >>> Color['RED']\n  <Color.RED: 1>\n\nEnumerations can be iterated over, and know how many members they have:\n\n>>> len(Color)\n3\n\n>>> list(Color)\n[<Color.RED: 1>, <Color.BLUE: 2>, <Color.GREEN: 3>]\n\nMethods can be added to enumerations, and members can have their own\nattributes -- see the documentation for details.";

const FLAGBOUNDARY_DOC: &str = "control how out of range values are handled\n\"strict\" -> error is raised             [default for Flag]\n\"conform\" -> extra bits are discarded\n\"eject\" -> lose flag status\n\"keep\" -> keep flag status and all bits [default for IntFlag]";
