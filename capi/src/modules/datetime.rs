//! The `datetime` module gilgate provides itself, with its C API capsule
//! `datetime.datetime_CAPI` (`PyDateTime_CAPI`, `include/datetime.h`): `date`, `datetime`,
//! `time`, `timedelta`, `tzinfo` and `timezone` with CPython's instance layouts (the inline
//! `PyDateTime_GET_YEAR`-style macros read them directly), their constructors with CPython's
//! range checks and messages, `timedelta` normalisation, reprs and `str()` and the field
//! attributes (`year`, `days`, ...). The Python-level methods, class attributes, arithmetic,
//! comparisons and hashes are in [`ops`].
//!
//! ISO 8601 parsing and the ISO calendar are in `iso`, pickle support in `pickle`; the `time`
//! module is [`crate::timemodule`].

use crate::object::{PyObject, PyTypeObject, static_type};
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::{decref, new_ref, xdecref};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

pub(crate) mod iso;
pub(crate) mod ops;
pub(crate) mod pickle;
pub(crate) use ops::{fmt_struct_tm, to_ordinal};

/// `PyDateTime_Delta`.
#[repr(C)]
pub struct PyDateTime_Delta {
    pub ob_base: PyObject,
    pub hashcode: isize,
    pub days: c_int,
    pub seconds: c_int,
    pub microseconds: c_int,
}

/// `PyDateTime_Date`.
#[repr(C)]
pub struct PyDateTime_Date {
    pub ob_base: PyObject,
    pub hashcode: isize,
    pub hastzinfo: u8,
    pub data: [u8; 4],
}

/// `PyDateTime_Time`.
#[repr(C)]
pub struct PyDateTime_Time {
    pub ob_base: PyObject,
    pub hashcode: isize,
    pub hastzinfo: u8,
    pub data: [u8; 6],
    pub fold: u8,
    pub tzinfo: *mut PyObject,
}

/// `PyDateTime_DateTime`.
#[repr(C)]
pub struct PyDateTime_DateTime {
    pub ob_base: PyObject,
    pub hashcode: isize,
    pub hastzinfo: u8,
    pub data: [u8; 10],
    pub fold: u8,
    pub tzinfo: *mut PyObject,
}

/// A fixed-offset time zone (`datetime.timezone`).
#[repr(C)]
pub(crate) struct TimeZone {
    pub ob_base: PyObject,
    pub offset: *mut PyObject,
    pub name: *mut PyObject,
}

/// `PyDateTime_CAPI` (120 bytes).
#[repr(C)]
pub struct PyDateTime_CAPI {
    pub DateType: *mut PyTypeObject,
    pub DateTimeType: *mut PyTypeObject,
    pub TimeType: *mut PyTypeObject,
    pub DeltaType: *mut PyTypeObject,
    pub TZInfoType: *mut PyTypeObject,
    pub TimeZone_UTC: *mut PyObject,
    pub Date_FromDate:
        unsafe extern "C" fn(c_int, c_int, c_int, *mut PyTypeObject) -> *mut PyObject,
    pub DateTime_FromDateAndTime: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        *mut PyTypeObject,
    ) -> *mut PyObject,
    pub Time_FromTime: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        *mut PyTypeObject,
    ) -> *mut PyObject,
    pub Delta_FromDelta:
        unsafe extern "C" fn(c_int, c_int, c_int, c_int, *mut PyTypeObject) -> *mut PyObject,
    pub TimeZone_FromTimeZone: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
    pub DateTime_FromTimestamp:
        unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject,
    pub Date_FromTimestamp: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
    pub DateTime_FromDateAndTimeAndFold: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        c_int,
        *mut PyTypeObject,
    ) -> *mut PyObject,
    pub Time_FromTimeAndFold: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        c_int,
        *mut PyTypeObject,
    ) -> *mut PyObject,
}

const BASETYPE: std::ffi::c_ulong = crate::object::Py_TPFLAGS_BASETYPE;

pub(crate) static mut Date_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(date_repr),
    tp_str: Some(date_str),
    tp_hash: Some(ops::dt_hash),
    tp_richcompare: Some(ops::dt_richcompare),
    tp_methods: (&raw mut ops::DATE_METHODS).cast(),
    tp_as_number: &raw mut ops::DATE_AS_NUMBER,
    tp_getattro: Some(any_getattro),
    tp_new: Some(date_new),
    ..static_type(c"datetime.date", size_of::<PyDateTime_Date>(), 0, BASETYPE)
};
pub(crate) static mut DateTime_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut Date_Type,
    tp_repr: Some(datetime_repr),
    tp_str: Some(datetime_str),
    tp_hash: Some(ops::dt_hash),
    tp_richcompare: Some(ops::dt_richcompare),
    tp_methods: (&raw mut ops::DATETIME_METHODS).cast(),
    tp_as_number: &raw mut ops::DATE_AS_NUMBER,
    tp_getattro: Some(any_getattro),
    tp_dealloc: Some(tz_holder_dealloc),
    tp_new: Some(datetime_new),
    ..static_type(
        c"datetime.datetime",
        size_of::<PyDateTime_DateTime>(),
        0,
        BASETYPE,
    )
};
pub(crate) static mut Time_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(time_repr),
    tp_str: Some(time_str),
    tp_hash: Some(ops::dt_hash),
    tp_richcompare: Some(ops::dt_richcompare),
    tp_methods: (&raw mut ops::TIME_METHODS).cast(),
    tp_getattro: Some(any_getattro),
    tp_dealloc: Some(tz_holder_dealloc),
    tp_new: Some(time_new),
    ..static_type(c"datetime.time", size_of::<PyDateTime_Time>(), 0, BASETYPE)
};
pub(crate) static mut Delta_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(delta_repr),
    tp_str: Some(delta_str),
    tp_hash: Some(ops::dt_hash),
    tp_richcompare: Some(ops::dt_richcompare),
    tp_methods: (&raw mut ops::DELTA_METHODS).cast(),
    tp_as_number: &raw mut ops::DELTA_AS_NUMBER,
    tp_getattro: Some(any_getattro),
    tp_new: Some(delta_new),
    ..static_type(
        c"datetime.timedelta",
        size_of::<PyDateTime_Delta>(),
        0,
        BASETYPE,
    )
};
pub(crate) static mut TZInfo_Type: PyTypeObject = PyTypeObject {
    tp_methods: (&raw mut ops::TZINFO_METHODS).cast(),
    tp_new: Some(crate::objimpl::PyType_GenericNew),
    ..static_type(c"datetime.tzinfo", size_of::<PyObject>(), 0, BASETYPE)
};
pub(crate) static mut TimeZone_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut TZInfo_Type,
    tp_repr: Some(tz_repr),
    tp_str: Some(tz_str),
    tp_dealloc: Some(tz_dealloc),
    tp_methods: (&raw mut ops::TIMEZONE_METHODS).cast(),
    tp_new: Some(ops::timezone_new),
    tp_hash: Some(ops::timezone_hash),
    tp_richcompare: Some(ops::timezone_richcompare),
    ..static_type(c"datetime.timezone", size_of::<TimeZone>(), 0, 0)
};

/// The types start-up readies (listed in `config::INITTAB`) (bases first).
pub(crate) fn static_types() -> Vec<*mut PyTypeObject> {
    vec![
        &raw mut Date_Type,
        &raw mut DateTime_Type,
        &raw mut Time_Type,
        &raw mut Delta_Type,
        &raw mut TZInfo_Type,
        &raw mut TimeZone_Type,
    ]
}

// --- checks and field access ---

/// # Safety
/// `op` must be a live object.
unsafe fn is(op: *mut PyObject, t: *mut PyTypeObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::type_check(op, t) }
}

fn days_in_month(y: i32, m: i32) -> i32 {
    const D: [i32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) {
        29
    } else {
        D[m as usize]
    }
}

fn check_date(y: c_int, m: c_int, d: c_int) -> bool {
    let msg = if !(1..=9999).contains(&y) {
        format!("year must be in 1..9999, not {y}")
    } else if !(1..=12).contains(&m) {
        format!("month must be in 1..12, not {m}")
    } else if d < 1 || d > days_in_month(y, m) {
        format!(
            "day {d} must be in range 1..{} for month {m} in year {y}",
            days_in_month(y, m)
        )
    } else {
        return true;
    };
    raise(&raw mut EXC_ValueError, &msg);
    false
}

/// # Safety
/// `tz` NULL or live.
unsafe fn check_time(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    fold: c_int,
) -> bool {
    let msg = if !(0..=23).contains(&h) {
        format!("hour must be in 0..23, not {h}")
    } else if !(0..=59).contains(&mi) {
        format!("minute must be in 0..59, not {mi}")
    } else if !(0..=59).contains(&s) {
        format!("second must be in 0..59, not {s}")
    } else if !(0..=999_999).contains(&us) {
        format!("microsecond must be in 0..999999, not {us}")
    } else if fold != 0 && fold != 1 {
        format!("fold must be either 0 or 1, not {fold}")
    // SAFETY: `tz` is live when not NULL/None.
    } else if !tz.is_null()
        && tz != crate::object::none()
        // SAFETY: `tz` is live when not NULL/None.
        && !unsafe { is(tz, &raw mut TZInfo_Type) }
    {
        // SAFETY: live object.
        let tn = unsafe { crate::object::type_name(crate::object::ty(tz)) };
        raise(
            &raw mut EXC_TypeError,
            &format!("tzinfo argument must be None or of a tzinfo subclass, not type '{tn}'"),
        );
        return false;
    } else {
        return true;
    };
    raise(&raw mut EXC_ValueError, &msg);
    false
}

fn alloc(t: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: `t` is one of our ready types or a subclass of one.
    let op = unsafe { crate::objimpl::alloc_object(t, 0) };
    if !op.is_null() {
        // SAFETY: every datetime object has the hash cache right after the header, except
        // tzinfo objects, whose types never reach here.
        unsafe { *op.cast::<u8>().add(32).cast::<isize>() = -1 };
    }
    op
}

/// A new date (or subclass) object.
pub(crate) fn new_date(y: c_int, m: c_int, d: c_int, t: *mut PyTypeObject) -> *mut PyObject {
    if !check_date(y, m, d) {
        return null_mut();
    }
    let op = alloc(t);
    if !op.is_null() {
        // SAFETY: a fresh date-layout object.
        unsafe {
            (*op.cast::<PyDateTime_Date>()).data = [(y >> 8) as u8, y as u8, m as u8, d as u8];
        }
    }
    op
}

fn tz_or_none(tz: *mut PyObject) -> (*mut PyObject, u8) {
    if tz.is_null() || tz == crate::object::none() {
        (crate::object::new_none(), 0)
    } else {
        // SAFETY: a live tzinfo.
        (unsafe { new_ref(tz) }, 1)
    }
}

/// A new datetime (or subclass) object.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_datetime(
    y: c_int,
    m: c_int,
    d: c_int,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    fold: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: `tz` NULL or live (caller).
    if !check_date(y, m, d) || !unsafe { check_time(h, mi, s, us, tz, fold) } {
        return null_mut();
    }
    let op = alloc(t);
    if !op.is_null() {
        let (tz, has) = tz_or_none(tz);
        // SAFETY: a fresh datetime-layout object.
        unsafe {
            let o = &mut *op.cast::<PyDateTime_DateTime>();
            o.data = [
                (y >> 8) as u8,
                y as u8,
                m as u8,
                d as u8,
                h as u8,
                mi as u8,
                s as u8,
                (us >> 16) as u8,
                (us >> 8) as u8,
                us as u8,
            ];
            o.fold = fold as u8;
            o.hastzinfo = has;
            o.tzinfo = tz;
        }
    }
    op
}

/// A new time (or subclass) object.
pub(crate) fn new_time(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    fold: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    // SAFETY: `tz` NULL or live (caller).
    if !unsafe { check_time(h, mi, s, us, tz, fold) } {
        return null_mut();
    }
    let op = alloc(t);
    if !op.is_null() {
        let (tz, has) = tz_or_none(tz);
        // SAFETY: a fresh time-layout object.
        unsafe {
            let o = &mut *op.cast::<PyDateTime_Time>();
            o.data = [
                h as u8,
                mi as u8,
                s as u8,
                (us >> 16) as u8,
                (us >> 8) as u8,
                us as u8,
            ];
            o.fold = fold as u8;
            o.hastzinfo = has;
            o.tzinfo = tz;
        }
    }
    op
}

/// A new timedelta from days, seconds and microseconds, normalised as CPython does
/// (`0 <= seconds < 86400`, `0 <= microseconds < 1000000`, `|days| <= 999999999`).
pub(crate) fn new_delta(days: i64, seconds: i64, us: i64, t: *mut PyTypeObject) -> *mut PyObject {
    let s = seconds + us.div_euclid(1_000_000);
    let us = us.rem_euclid(1_000_000);
    let d = days + s.div_euclid(86_400);
    let s = s.rem_euclid(86_400);
    if d.abs() > 999_999_999 {
        return raise(
            &raw mut EXC_OverflowError,
            &format!("days={d}; must have magnitude <= 999999999"),
        );
    }
    let op = alloc(t);
    if !op.is_null() {
        // SAFETY: a fresh timedelta-layout object.
        unsafe {
            let o = &mut *op.cast::<PyDateTime_Delta>();
            o.days = d as c_int;
            o.seconds = s as c_int;
            o.microseconds = us as c_int;
        }
    }
    op
}

/// A fixed-offset time zone; `offset` must be a timedelta strictly within one day.
///
/// # Safety
/// `offset` live; `name` NULL or a live str.
pub(crate) unsafe fn new_timezone(offset: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        if !is(offset, &raw mut Delta_Type) {
            return raise(
                &raw mut EXC_TypeError,
                "timezone() argument 1 must be datetime.timedelta",
            );
        }
        let dl = &*offset.cast::<PyDateTime_Delta>();
        let total = i64::from(dl.days) * 86_400_000_000
            + i64::from(dl.seconds) * 1_000_000
            + i64::from(dl.microseconds);
        if total.abs() >= 86_400_000_000 {
            return raise(
                &raw mut EXC_ValueError,
                &format!(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}",
                    crate::object::repr_string(offset)
                ),
            );
        }
        let op = crate::objimpl::alloc_object(&raw mut TimeZone_Type, 0);
        if op.is_null() {
            return op;
        }
        let o = &mut *op.cast::<TimeZone>();
        o.offset = new_ref(offset);
        o.name = if name.is_null() {
            null_mut()
        } else {
            new_ref(name)
        };
        op
    }
}

unsafe extern "C" fn tz_dealloc(op: *mut PyObject) {
    // SAFETY: a dead timezone (slot contract).
    unsafe {
        let o = &*op.cast::<TimeZone>();
        xdecref(o.offset);
        xdecref(o.name);
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn tz_holder_dealloc(op: *mut PyObject) {
    // SAFETY: a dead time or datetime (slot contract): its tzinfo field is owned.
    unsafe {
        let off = if is(op, &raw mut Time_Type) { 48 } else { 56 };
        xdecref(*op.cast::<u8>().add(off).cast::<*mut PyObject>());
        crate::objimpl::default_dealloc(op);
    }
}

/// The fields of a date, datetime, time or timedelta, for comparisons, hashes and reprs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Value {
    Date(i32, i32, i32),
    DateTime(i32, i32, i32, i32, i32, i32, i32),
    Time(i32, i32, i32, i32),
    Delta(i32, i32, i32),
}

/// # Safety
/// `op` must be a live object.
unsafe fn value(op: *mut PyObject) -> Option<Value> {
    // SAFETY: forwarded contract; the layout follows from the type check.
    unsafe {
        if is(op, &raw mut DateTime_Type) {
            let d = (*op.cast::<PyDateTime_DateTime>()).data.map(i32::from);
            Some(Value::DateTime(
                d[0] << 8 | d[1],
                d[2],
                d[3],
                d[4],
                d[5],
                d[6],
                d[7] << 16 | d[8] << 8 | d[9],
            ))
        } else if is(op, &raw mut Date_Type) {
            let d = (*op.cast::<PyDateTime_Date>()).data.map(i32::from);
            Some(Value::Date(d[0] << 8 | d[1], d[2], d[3]))
        } else if is(op, &raw mut Time_Type) {
            let d = (*op.cast::<PyDateTime_Time>()).data.map(i32::from);
            Some(Value::Time(d[0], d[1], d[2], d[3] << 16 | d[4] << 8 | d[5]))
        } else if is(op, &raw mut Delta_Type) {
            let o = &*op.cast::<PyDateTime_Delta>();
            Some(Value::Delta(o.days, o.seconds, o.microseconds))
        } else {
            None
        }
    }
}

/// The tzinfo of a time or datetime (borrowed; None when naive).
///
/// # Safety
/// `op` must be a live object.
unsafe fn tzinfo_of(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract; the layout follows from the type check.
    unsafe {
        if is(op, &raw mut DateTime_Type) {
            (*op.cast::<PyDateTime_DateTime>()).tzinfo
        } else if is(op, &raw mut Time_Type) {
            (*op.cast::<PyDateTime_Time>()).tzinfo
        } else {
            crate::object::none()
        }
    }
}

/// # Safety
/// `op` must be a live object.
unsafe fn fold_of(op: *mut PyObject) -> u8 {
    // SAFETY: forwarded contract.
    unsafe {
        if is(op, &raw mut DateTime_Type) {
            (*op.cast::<PyDateTime_DateTime>()).fold
        } else if is(op, &raw mut Time_Type) {
            (*op.cast::<PyDateTime_Time>()).fold
        } else {
            0
        }
    }
}

fn time_args(h: i32, mi: i32, s: i32, us: i32) -> String {
    if us != 0 {
        format!("{h}, {mi}, {s}, {us}")
    } else if s != 0 {
        format!("{h}, {mi}, {s}")
    } else {
        format!("{h}, {mi}")
    }
}

/// `, tzinfo=...` and `, fold=1` tails of reprs.
///
/// # Safety
/// `op` must be a live time or datetime.
unsafe fn repr_tail(op: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        let mut out = String::new();
        let tz = tzinfo_of(op);
        if tz != crate::object::none() {
            out.push_str(&format!(", tzinfo={}", crate::object::repr_string(tz)));
        }
        if fold_of(op) == 1 {
            out.push_str(", fold=1");
        }
        out
    }
}

pub(crate) fn text(s: String) -> *mut PyObject {
    crate::unicodeobject::from_str(&s)
}

unsafe extern "C" fn date_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live date (slot contract).
    match unsafe { value(op) } {
        // SAFETY: a live date (slot contract).
        Some(Value::Date(y, m, d)) => text(format!("{}({y}, {m}, {d})", unsafe {
            crate::object::tname(op)
        })),
        _ => crate::pyerrors::bad_internal_call(),
    }
}

unsafe extern "C" fn datetime_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live datetime (slot contract).
    unsafe {
        match value(op) {
            Some(Value::DateTime(y, m, d, h, mi, s, us)) => text(format!(
                "{}({y}, {m}, {d}, {}{})",
                crate::object::tname(op),
                time_args(h, mi, s, us),
                repr_tail(op)
            )),
            _ => crate::pyerrors::bad_internal_call(),
        }
    }
}

unsafe extern "C" fn time_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live time (slot contract).
    unsafe {
        match value(op) {
            Some(Value::Time(h, mi, s, us)) => text(format!(
                "{}({}{})",
                crate::object::tname(op),
                time_args(h, mi, s, us),
                repr_tail(op)
            )),
            _ => crate::pyerrors::bad_internal_call(),
        }
    }
}

unsafe extern "C" fn delta_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timedelta (slot contract).
    unsafe {
        match value(op) {
            Some(Value::Delta(d, s, us)) => {
                let mut parts = Vec::new();
                if d != 0 {
                    parts.push(format!("days={d}"));
                }
                if s != 0 {
                    parts.push(format!("seconds={s}"));
                }
                if us != 0 {
                    parts.push(format!("microseconds={us}"));
                }
                if parts.is_empty() {
                    parts.push("0".into());
                }
                text(format!(
                    "{}({})",
                    crate::object::tname(op),
                    parts.join(", ")
                ))
            }
            _ => crate::pyerrors::bad_internal_call(),
        }
    }
}

fn hms(h: i32, mi: i32, s: i32, us: i32) -> String {
    if us != 0 {
        format!("{h:02}:{mi:02}:{s:02}.{us:06}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    }
}

unsafe extern "C" fn date_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live date (slot contract).
    match unsafe { value(op) } {
        Some(Value::Date(y, m, d)) => text(format!("{y:04}-{m:02}-{d:02}")),
        _ => crate::pyerrors::bad_internal_call(),
    }
}

unsafe extern "C" fn datetime_str(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.__str__", null_mut(), || {
        // SAFETY: a live datetime (slot contract).
        match unsafe { ops::iso_text(op, Some(' '), "auto") } {
            Ok(s) => text(s),
            Err(()) => null_mut(),
        }
    })
}

unsafe extern "C" fn time_str(op: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.__str__", null_mut(), || {
        // SAFETY: a live time (slot contract).
        match unsafe { ops::iso_text(op, None, "auto") } {
            Ok(s) => text(s),
            Err(()) => null_mut(),
        }
    })
}

unsafe extern "C" fn delta_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timedelta (slot contract).
    match unsafe { value(op) } {
        Some(Value::Delta(d, s, us)) => {
            let t = hms(s / 3600, s / 60 % 60, s % 60, us);
            let t = t
                .strip_prefix('0')
                .filter(|r| r.len() > 1 && !r.starts_with(':'))
                .map_or(t.clone(), str::to_string);
            if d != 0 {
                let plural = if d.abs() != 1 { "s" } else { "" };
                text(format!("{d} day{plural}, {t}"))
            } else {
                text(t)
            }
        }
        _ => crate::pyerrors::bad_internal_call(),
    }
}

unsafe extern "C" fn tz_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timezone (slot contract).
    unsafe {
        if op == utc() {
            return text("datetime.timezone.utc".into());
        }
        let o = &*op.cast::<TimeZone>();
        let off = crate::object::repr_string(o.offset);
        if o.name.is_null() {
            text(format!("datetime.timezone({off})"))
        } else {
            text(format!(
                "datetime.timezone({off}, {})",
                crate::object::repr_string(o.name)
            ))
        }
    }
}

unsafe extern "C" fn tz_str(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timezone (slot contract).
    text(unsafe { ops::timezone_name(op) })
}

unsafe extern "C" fn any_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        let n = crate::unicodeobject::as_str(name).unwrap_or("");
        let v = value(op);
        let field = match (v, n) {
            (Some(Value::Date(y, ..) | Value::DateTime(y, ..)), "year") => Some(y),
            (Some(Value::Date(_, m, _) | Value::DateTime(_, m, ..)), "month") => Some(m),
            (Some(Value::Date(_, _, d) | Value::DateTime(_, _, d, ..)), "day") => Some(d),
            (Some(Value::DateTime(_, _, _, h, ..) | Value::Time(h, ..)), "hour") => Some(h),
            (Some(Value::DateTime(_, _, _, _, mi, ..) | Value::Time(_, mi, ..)), "minute") => {
                Some(mi)
            }
            (Some(Value::DateTime(_, _, _, _, _, s, _) | Value::Time(_, _, s, _)), "second") => {
                Some(s)
            }
            (
                Some(Value::DateTime(_, _, _, _, _, _, us) | Value::Time(_, _, _, us)),
                "microsecond",
            ) => Some(us),
            (Some(Value::Delta(d, ..)), "days") => Some(d),
            (Some(Value::Delta(_, s, _)), "seconds") => Some(s),
            (Some(Value::Delta(_, _, us)), "microseconds") => Some(us),
            (Some(Value::DateTime(..) | Value::Time(..)), "fold") => Some(i32::from(fold_of(op))),
            (Some(Value::DateTime(..) | Value::Time(..)), "tzinfo") => {
                return new_ref(tzinfo_of(op));
            }
            _ => None,
        };
        match field {
            Some(f) => crate::longobject::from_i128(i128::from(f)),
            None => crate::object::PyObject_GenericGetAttr(op, name),
        }
    }
}

// --- Python-level constructors (`datetime.date(2024, 1, 2)`) ---

/// PyArg's order for the required int arguments: each is converted before a later one is
/// found missing (`function missing required argument 'day' (pos 3)`).
///
/// # Safety
/// Each value NULL or live.
unsafe fn require_ints(v: &[*mut PyObject], names: &[&str], required: usize) -> bool {
    for i in 0..required {
        if v[i].is_null() {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "function missing required argument '{}' (pos {})",
                    names[i],
                    i + 1
                ),
            );
            return false;
        }
        // SAFETY: forwarded contract.
        if unsafe { int_arg(v[i], 0) }.is_none() {
            return false;
        }
    }
    true
}

/// An int argument (NULL: `default`); raises TypeError for non-ints.
///
/// # Safety
/// `o` NULL or live.
pub(crate) unsafe fn int_arg(o: *mut PyObject, default: i64) -> Option<i64> {
    if o.is_null() {
        return Some(default);
    }
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::longobject::is_int(o) {
            raise(
                &raw mut EXC_TypeError,
                &format!(
                    "'{}' object cannot be interpreted as an integer",
                    crate::object::type_name(crate::object::ty(o))
                ),
            );
            return None;
        }
        match crate::longobject::value_i128(o).and_then(|v| i64::try_from(v).ok()) {
            Some(v) => Some(v),
            None => {
                raise(
                    &raw mut EXC_OverflowError,
                    "Python int too large to convert to C int",
                );
                None
            }
        }
    }
}

/// Narrows to C int with CPython's overflow message.
pub(crate) fn cint(v: i64) -> Option<c_int> {
    match c_int::try_from(v) {
        Ok(v) => Some(v),
        Err(_) => {
            raise(
                &raw mut EXC_OverflowError,
                "signed integer is greater than maximum",
            );
            None
        }
    }
}

/// Ints of `vals` with defaults, narrowed to C ints.
///
/// # Safety
/// Each value NULL or live.
unsafe fn cints(vals: &[*mut PyObject], defaults: &[i64]) -> Option<Vec<c_int>> {
    vals.iter()
        .zip(defaults)
        // SAFETY: forwarded contract.
        .map(|(&v, &d)| unsafe { int_arg(v, d) }.and_then(cint))
        .collect()
}

unsafe extern "C" fn date_new(
    t: *mut PyTypeObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.date", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            if let Some(r) = pickle::from_state(t, a, kw) {
                return r;
            }
            let names = ["year", "month", "day"];
            let Ok(v) = ops::parse_kw("", a, kw, &names, 0) else {
                return null_mut();
            };
            if !require_ints(&v, &names, 3) {
                return null_mut();
            }
            let Some(i) = cints(&v, &[0, 0, 0]) else {
                return null_mut();
            };
            new_date(i[0], i[1], i[2], t)
        }
    })
}

unsafe extern "C" fn datetime_new(
    t: *mut PyTypeObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.datetime", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            if let Some(r) = pickle::from_state(t, a, kw) {
                return r;
            }
            let names = [
                "year",
                "month",
                "day",
                "hour",
                "minute",
                "second",
                "microsecond",
                "tzinfo",
                "fold",
            ];
            let Ok(v) = ops::parse_kw("", a, kw, &names, 0) else {
                return null_mut();
            };
            if !require_ints(&v, &names, 3) {
                return null_mut();
            }
            let ints = [&v[..7], &v[8..9]].concat();
            let Some(i) = cints(&ints, &[0; 8]) else {
                return null_mut();
            };
            new_datetime(i[0], i[1], i[2], i[3], i[4], i[5], i[6], v[7], i[7], t)
        }
    })
}

unsafe extern "C" fn time_new(
    t: *mut PyTypeObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.time", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            if let Some(r) = pickle::from_state(t, a, kw) {
                return r;
            }
            let names = ["hour", "minute", "second", "microsecond", "tzinfo", "fold"];
            let Ok(v) = ops::parse_kw("", a, kw, &names, 0) else {
                return null_mut();
            };
            let ints = [&v[..4], &v[5..6]].concat();
            let Some(i) = cints(&ints, &[0; 5]) else {
                return null_mut();
            };
            new_time(i[0], i[1], i[2], i[3], v[4], i[4], t)
        }
    })
}

unsafe extern "C" fn delta_new(
    t: *mut PyTypeObject,
    a: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.timedelta", null_mut(), || {
        // SAFETY: tp_new contract.
        unsafe {
            let names = [
                "days",
                "seconds",
                "microseconds",
                "milliseconds",
                "minutes",
                "hours",
                "weeks",
            ];
            let Ok(v) = ops::parse_kw("__new__", a, kw, &names, 0) else {
                return null_mut();
            };
            match ops::delta_components(&v) {
                Ok(us) => ops::delta_from_us(us, t).unwrap_or(null_mut()),
                Err(()) => null_mut(),
            }
        }
    })
}

// --- the C API table ---

unsafe extern "C" fn capi_date(
    y: c_int,
    m: c_int,
    d: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyDateTime_CAPI.Date_FromDate", null_mut(), || {
        new_date(y, m, d, t)
    })
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn capi_datetime(
    y: c_int,
    m: c_int,
    d: c_int,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    crate::ffi_guard::guard(
        "PyDateTime_CAPI.DateTime_FromDateAndTime",
        null_mut(),
        || new_datetime(y, m, d, h, mi, s, us, tz, 0, t),
    )
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn capi_datetime_fold(
    y: c_int,
    m: c_int,
    d: c_int,
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    fold: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    crate::ffi_guard::guard(
        "PyDateTime_CAPI.DateTime_FromDateAndTimeAndFold",
        null_mut(),
        || new_datetime(y, m, d, h, mi, s, us, tz, fold, t),
    )
}

unsafe extern "C" fn capi_time(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyDateTime_CAPI.Time_FromTime", null_mut(), || {
        new_time(h, mi, s, us, tz, 0, t)
    })
}

unsafe extern "C" fn capi_time_fold(
    h: c_int,
    mi: c_int,
    s: c_int,
    us: c_int,
    tz: *mut PyObject,
    fold: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyDateTime_CAPI.Time_FromTimeAndFold", null_mut(), || {
        new_time(h, mi, s, us, tz, fold, t)
    })
}

unsafe extern "C" fn capi_delta(
    d: c_int,
    s: c_int,
    us: c_int,
    normalize: c_int,
    t: *mut PyTypeObject,
) -> *mut PyObject {
    let _ = normalize; // CPython normalises in both cases too (the flag is unused there)
    crate::ffi_guard::guard("PyDateTime_CAPI.Delta_FromDelta", null_mut(), || {
        new_delta(i64::from(d), i64::from(s), i64::from(us), t)
    })
}

unsafe extern "C" fn capi_timezone(offset: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C API contract: live offset, NULL or live name.
    crate::ffi_guard::guard(
        "PyDateTime_CAPI.TimeZone_FromTimeZone",
        null_mut(),
        || unsafe { new_timezone(offset, name) },
    )
}

unsafe extern "C" {
    fn PyFloat_AsDouble(o: *mut PyObject) -> f64;
}

/// The timestamp argument as a float (int or float; anything else: TypeError).
///
/// # Safety
/// `o` must be a live object.
pub(crate) unsafe fn timestamp_arg(o: *mut PyObject) -> Option<f64> {
    // SAFETY: forwarded contract.
    unsafe { timestamp_arg_as(o, false) }
}

/// `timestamp_arg` with CPython 3.14's text for `datetime.fromtimestamp` and
/// `utcfromtimestamp` when `datetime` is set ("argument must be int or float, not T"; the date
/// and `time` functions keep the integer conversion's text).
///
/// # Safety
/// `o` must be live.
unsafe fn timestamp_arg_as(o: *mut PyObject, datetime: bool) -> Option<f64> {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::longobject::is_int(o)
            && !crate::object::type_check(o, &raw mut crate::floatobject::PyFloat_Type)
        {
            let t = crate::object::type_name(crate::object::ty(o));
            let msg = if datetime {
                format!("argument must be int or float, not {t}")
            } else {
                format!("'{t}' object cannot be interpreted as an integer")
            };
            raise(&raw mut EXC_TypeError, &msg);
            return None;
        }
        let v = PyFloat_AsDouble(o);
        if v == -1.0 && crate::pyerrors::occurred() {
            return None;
        }
        Some(v)
    }
}

/// `cls.fromtimestamp(timestamp, tz=None)` for datetime classes.
unsafe extern "C" fn capi_datetime_ts(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("PyDateTime_CAPI.DateTime_FromTimestamp", null_mut(), || {
        // SAFETY: C API contract: a datetime class, an args tuple, NULL or a dict.
        unsafe { ops::datetime_fromtimestamp(cls, args, kw) }.unwrap_or(null_mut())
    })
}

/// `cls.fromtimestamp(timestamp)` for date classes (local time).
unsafe extern "C" fn capi_date_ts(cls: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("PyDateTime_CAPI.Date_FromTimestamp", null_mut(), || {
        // SAFETY: C API contract: a date class and an args tuple.
        unsafe { ops::date_fromtimestamp(cls, args) }.unwrap_or(null_mut())
    })
}

struct Ptr(usize);

/// `datetime.timezone.utc` (borrowed, immortal for the process).
pub(crate) fn utc() -> *mut PyObject {
    static UTC: OnceLock<Ptr> = OnceLock::new();
    UTC.get_or_init(|| {
        let zero = new_delta(0, 0, 0, &raw mut Delta_Type);
        if zero.is_null() {
            return Ptr(0);
        }
        // SAFETY: `zero` is a live timedelta; the result is kept for the process.
        let tz = unsafe { new_timezone(zero, null_mut()) };
        // SAFETY: our reference.
        unsafe { decref(zero) };
        Ptr(tz as usize)
    })
    .0 as *mut PyObject
}

/// The C API table (lives for the process).
pub fn capi() -> *mut PyDateTime_CAPI {
    static CAPI: OnceLock<Ptr> = OnceLock::new();
    CAPI.get_or_init(|| {
        let table = PyDateTime_CAPI {
            DateType: &raw mut Date_Type,
            DateTimeType: &raw mut DateTime_Type,
            TimeType: &raw mut Time_Type,
            DeltaType: &raw mut Delta_Type,
            TZInfoType: &raw mut TZInfo_Type,
            TimeZone_UTC: utc(),
            Date_FromDate: capi_date,
            DateTime_FromDateAndTime: capi_datetime,
            Time_FromTime: capi_time,
            Delta_FromDelta: capi_delta,
            TimeZone_FromTimeZone: capi_timezone,
            DateTime_FromTimestamp: capi_datetime_ts,
            Date_FromTimestamp: capi_date_ts,
            DateTime_FromDateAndTimeAndFold: capi_datetime_fold,
            Time_FromTimeAndFold: capi_time_fold,
        };
        Ptr(Box::into_raw(Box::new(table)) as usize)
    })
    .0 as *mut PyDateTime_CAPI
}

/// The `datetime` module (borrowed; lives for the process), or NULL with an exception.
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "datetime", build)
}

fn build() -> *mut PyObject {
    let name = crate::unicodeobject::intern("datetime");
    // SAFETY: `name` is a live str; every value put in the dict is live or NULL (skipped).
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return m;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let capsule = crate::pycapsule::new_capsule(
            capi().cast::<c_void>(),
            c"datetime.datetime_CAPI".as_ptr(),
            None,
        );
        let utc = utc();
        if utc.is_null() || capsule.is_null() {
            xdecref(capsule);
            decref(m);
            return null_mut();
        }
        let owned: [(&str, *mut PyObject); 3] = [
            ("MINYEAR", crate::longobject::from_i128(1)),
            ("MAXYEAR", crate::longobject::from_i128(9999)),
            ("datetime_CAPI", capsule),
        ];
        for (k, v) in owned {
            if !v.is_null() {
                crate::dictobject::set_item_str(d, k, v);
            }
            xdecref(v);
        }
        for (k, t) in [
            ("date", &raw mut Date_Type),
            ("datetime", &raw mut DateTime_Type),
            ("time", &raw mut Time_Type),
            ("timedelta", &raw mut Delta_Type),
            ("tzinfo", &raw mut TZInfo_Type),
            ("timezone", &raw mut TimeZone_Type),
        ] {
            crate::dictobject::set_item_str(d, k, t.cast());
        }
        crate::dictobject::set_item_str(d, "UTC", utc);
        // `timezone.utc` as a class attribute.
        let tz_type: *mut PyTypeObject = &raw mut TimeZone_Type;
        let td = crate::object::ensure_dict(tz_type);
        if !td.is_null() {
            crate::dictobject::set_item_str(td, "utc", utc);
        }
        if ops::add_class_attributes().is_err() {
            decref(m);
            return null_mut();
        }
        m
    }
}
