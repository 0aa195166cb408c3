//! Pickle support as CPython has it: `__reduce__`/`__reduce_ex__` give `(type, (state bytes[,
//! tzinfo]))` (the fold in the high bit of the month or hour byte from protocol 4 on),
//! `timedelta` reduces to `(days, seconds, microseconds)`, `timezone.__getinitargs__`,
//! `tzinfo.__reduce__`, and the constructors accept the state bytes back.

use super::ops::{R, fields};
use super::*;

fn ok(p: *mut PyObject) -> R<*mut PyObject> {
    if p.is_null() { Err(()) } else { Ok(p) }
}

fn done(r: R<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

/// A tuple of new references (taken over; NULL items make the result NULL).
fn tuple(items: Vec<*mut PyObject>) -> R<*mut PyObject> {
    if items.iter().any(|p| p.is_null()) {
        for p in items {
            // SAFETY: our references (or NULL).
            unsafe { xdecref(p) };
        }
        return Err(());
    }
    let t = crate::tupleobject::new_tuple(items.len());
    if t.is_null() {
        for p in items {
            // SAFETY: our references.
            unsafe { decref(p) };
        }
        return Err(());
    }
    for (i, p) in items.into_iter().enumerate() {
        // SAFETY: a fresh tuple being filled; the reference is stolen.
        unsafe { crate::tupleobject::PyTuple_SetItem(t, i as isize, p) };
    }
    Ok(t)
}

/// The state bytes of a date, datetime or time; the fold bit only when `with_fold`.
///
/// # Safety
/// `op` must be a live date, datetime or time.
unsafe fn state(op: *mut PyObject, with_fold: bool) -> Vec<u8> {
    // SAFETY: forwarded contract.
    unsafe {
        let f = fields(op);
        let fold = if with_fold && fold_of(op) == 1 {
            0x80
        } else {
            0
        };
        let time = [
            f.h as u8,
            f.mi as u8,
            f.s as u8,
            (f.us >> 16) as u8,
            (f.us >> 8) as u8,
            f.us as u8,
        ];
        if is(op, &raw mut Time_Type) {
            let mut v = time.to_vec();
            v[0] |= fold;
            return v;
        }
        let mut v = vec![(f.y >> 8) as u8, f.y as u8, f.mo as u8 | fold, f.d as u8];
        if is(op, &raw mut DateTime_Type) {
            v.extend_from_slice(&time);
        }
        v
    }
}

/// `(type(op), (state[, tzinfo]))`.
///
/// # Safety
/// `op` must be a live date, datetime or time.
unsafe fn reduce(op: *mut PyObject, proto: i64) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let mut args = vec![crate::bytesobject::from_bytes(&state(op, proto > 3))];
        let tz = tzinfo_of(op);
        let has_time = !is(op, &raw mut Date_Type) || is(op, &raw mut DateTime_Type);
        if has_time && tz != crate::object::none() {
            args.push(new_ref(tz));
        }
        let args = tuple(args)?;
        tuple(vec![new_ref(crate::object::ty(op).cast()), args])
    }
}

pub(super) unsafe extern "C" fn any_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("__reduce__", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live date, datetime or time.
        done(unsafe { reduce(op, 2) })
    })
}

pub(super) unsafe extern "C" fn any_reduce_ex(
    op: *mut PyObject,
    p: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("__reduce_ex__", null_mut(), || {
        // SAFETY: METH_O contract: live arguments.
        match super::ops::int_or(p, 0) {
            // SAFETY: METH_O contract: live arguments.
            Ok(proto) => done(unsafe { reduce(op, i64::from(proto)) }),
            Err(()) => null_mut(),
        }
    })
}

pub(super) unsafe extern "C" fn delta_reduce(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("timedelta.__reduce__", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live timedelta.
        let o = unsafe { &*op.cast::<PyDateTime_Delta>() };
        let args = tuple(vec![
            crate::longobject::from_i64(o.days.into()),
            crate::longobject::from_i64(o.seconds.into()),
            crate::longobject::from_i64(o.microseconds.into()),
        ]);
        // SAFETY: the type of a live object.
        done(args.and_then(|a| tuple(vec![unsafe { new_ref(crate::object::ty(op).cast()) }, a])))
    })
}

/// `timezone.__getinitargs__()`: `(offset,)` or `(offset, name)`.
///
/// # Safety
/// `tz` must be a live timezone.
unsafe fn initargs(tz: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let o = &*tz.cast::<TimeZone>();
        let mut v = vec![new_ref(o.offset)];
        if !o.name.is_null() {
            v.push(new_ref(o.name));
        }
        tuple(v)
    }
}

pub(super) unsafe extern "C" fn timezone_getinitargs(
    tz: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("timezone.__getinitargs__", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live timezone.
        done(unsafe { initargs(tz) })
    })
}

/// `tzinfo.__reduce__()`: `(type, self.__getinitargs__() or (), self.__getstate__() or the
/// instance dict or None)`.
pub(super) unsafe extern "C" fn tzinfo_reduce(
    tz: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("tzinfo.__reduce__", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live tzinfo.
        done(unsafe { tzinfo_reduce_impl(tz) })
    })
}

/// # Safety
/// `tz` must be a live tzinfo.
unsafe fn tzinfo_reduce_impl(tz: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let args = if crate::object::ty(tz) == &raw mut TimeZone_Type {
            initargs(tz)?
        } else {
            let name = crate::unicodeobject::intern("__getinitargs__");
            let mut m = null_mut();
            if crate::object::getattr_opt(tz, name, &mut m) < 0 {
                return Err(());
            }
            if m.is_null() {
                tuple(Vec::new())?
            } else {
                let r = crate::abstract_::call_args(m, &[]);
                decref(m);
                ok(r)?
            }
        };
        let state = match crate::object::dict_ptr(tz) {
            Some(p) if !(*p).is_null() && crate::abstract_::size(*p) > 0 => new_ref(*p),
            _ => crate::object::new_none(),
        };
        tuple(vec![new_ref(crate::object::ty(tz).cast()), args, state])
    }
}

/// The object a constructor call with pickle state makes, if the arguments are one.
///
/// # Safety
/// `args` a live tuple; `t` a date, datetime or time type.
pub(super) unsafe fn from_state(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if !kw.is_null() && !crate::dictobject::entries(kw).is_empty() {
            return None;
        }
        let a = crate::tupleobject::items(args);
        let first = *a.first()?;
        if !crate::bytesobject::is_bytes(first) {
            return None;
        }
        let b = crate::bytesobject::as_bytes(first);
        let is_dt = crate::object::is_subtype(t, &raw mut DateTime_Type);
        let is_time = crate::object::is_subtype(t, &raw mut Time_Type);
        let sane_month = |m: u8| (1..=12).contains(&(m & 0x7f));
        let ok_state = if is_dt {
            a.len() <= 2 && b.len() == 10 && sane_month(b[2])
        } else if is_time {
            a.len() <= 2 && b.len() == 6 && (b[0] & 0x7f) < 24
        } else {
            a.len() == 1 && b.len() == 4 && (1..=12).contains(&b[2])
        };
        if !ok_state {
            return None;
        }
        let tz = a.get(1).copied().unwrap_or(null_mut());
        if !tz.is_null() && tz != crate::object::none() && !is(tz, &raw mut TZInfo_Type) {
            return Some(raise(&raw mut EXC_TypeError, "bad tzinfo state arg"));
        }
        let us = |i: usize| {
            (c_int::from(b[i]) << 16) | (c_int::from(b[i + 1]) << 8) | c_int::from(b[i + 2])
        };
        Some(if is_dt {
            new_datetime(
                (c_int::from(b[0]) << 8) | c_int::from(b[1]),
                c_int::from(b[2] & 0x7f),
                c_int::from(b[3]),
                c_int::from(b[4]),
                c_int::from(b[5]),
                c_int::from(b[6]),
                us(7),
                tz,
                c_int::from(b[2] >> 7),
                t,
            )
        } else if is_time {
            new_time(
                c_int::from(b[0] & 0x7f),
                c_int::from(b[1]),
                c_int::from(b[2]),
                us(3),
                tz,
                c_int::from(b[0] >> 7),
                t,
            )
        } else {
            new_date(
                (c_int::from(b[0]) << 8) | c_int::from(b[1]),
                c_int::from(b[2]),
                c_int::from(b[3]),
                t,
            )
        })
    }
}
