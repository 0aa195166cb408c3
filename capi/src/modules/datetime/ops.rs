//! The Python-level side of the datetime types: methods (`isoformat`, `replace`,
//! `utcoffset`, `now`, `fromtimestamp`, `astimezone`, ...), class attributes (`min`, `max`,
//! `resolution`), arithmetic (`datetime ± timedelta`, `datetime - datetime`, the timedelta
//! number protocol), comparisons with CPython's aware/naive rules and hashes consistent with
//! them. Messages are CPython's.

use super::iso;
use super::pickle;
use super::*;
use crate::longobject::method;
use crate::methodobject::{
    METH_CLASS, METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef,
};
use crate::object::none;
use crate::pyerrors::{EXC_NotImplementedError, EXC_ZeroDivisionError};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

/// `Err` means an exception is set.
pub(super) type R<T> = Result<T, ()>;

fn fail<T>(t: *mut PyTypeObject, msg: &str) -> R<T> {
    raise(t, msg);
    Err(())
}

fn ok(p: *mut PyObject) -> R<*mut PyObject> {
    if p.is_null() { Err(()) } else { Ok(p) }
}

fn done(r: R<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

pub(super) const US_PER_SEC: i128 = 1_000_000;
pub(super) const US_PER_DAY: i128 = 86_400_000_000;
/// `date(9999, 12, 31).toordinal()`.
const MAX_ORDINAL: i64 = 3_652_059;
/// `date(1970, 1, 1).toordinal()`.
const EPOCH_ORDINAL: i64 = 719_163;

// --- calendar arithmetic ---

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn month_days(y: i64, m: i64) -> i64 {
    if m == 2 && is_leap(y) {
        29
    } else {
        i64::from(days_in_month(2001, m as i32))
    }
}

/// Days in the years before `y` (proleptic Gregorian, year 1 starts at day 0).
fn days_before_year(y: i64) -> i64 {
    let p = y - 1;
    p * 365 + p.div_euclid(4) - p.div_euclid(100) + p.div_euclid(400)
}

/// The proleptic Gregorian ordinal (`date(1, 1, 1)` is 1).
pub(crate) fn to_ordinal(y: i64, m: i64, d: i64) -> i64 {
    days_before_year(y) + (1..m).map(|k| month_days(y, k)).sum::<i64>() + d
}

/// `(year, month, day)` of an ordinal (any value; years outside 1..9999 are returned as is).
pub(super) fn from_ordinal(n: i64) -> (i64, i64, i64) {
    let mut y = (n - 1).div_euclid(146_097) * 400 + 1;
    y += ((n - days_before_year(y)) * 400 / 146_097).max(0);
    while days_before_year(y) >= n {
        y -= 1;
    }
    while days_before_year(y + 1) < n {
        y += 1;
    }
    let mut d = n - days_before_year(y);
    let mut m = 1;
    while d > month_days(y, m) {
        d -= month_days(y, m);
        m += 1;
    }
    (y, m, d)
}

/// The fields of a date or datetime (time fields zero for dates).
#[derive(Clone, Copy, Debug)]
pub(super) struct Fields {
    pub y: i64,
    pub mo: i64,
    pub d: i64,
    pub h: i64,
    pub mi: i64,
    pub s: i64,
    pub us: i64,
}

impl Fields {
    /// Microseconds since `0001-01-01T00:00` minus one day (ordinal-based).
    pub(super) fn total_us(&self) -> i128 {
        let days = i128::from(to_ordinal(self.y, self.mo, self.d));
        let secs = i128::from(self.h * 3600 + self.mi * 60 + self.s);
        (days * 86_400 + secs) * US_PER_SEC + i128::from(self.us)
    }

    /// The fields of a total; `None` when the date falls outside years 1..9999.
    pub(super) fn from_total(t: i128) -> Option<Fields> {
        let ord = t.div_euclid(US_PER_DAY);
        if ord < 1 || ord > i128::from(MAX_ORDINAL) {
            return None;
        }
        let rest = t.rem_euclid(US_PER_DAY) as i64;
        let (y, mo, d) = from_ordinal(ord as i64);
        let secs = rest / 1_000_000;
        Some(Fields {
            y,
            mo,
            d,
            h: secs / 3600,
            mi: secs / 60 % 60,
            s: secs % 60,
            us: rest % 1_000_000,
        })
    }
}

fn date_out_of_range<T>() -> R<T> {
    fail(&raw mut EXC_OverflowError, "date value out of range")
}

/// # Safety
/// `op` must be a live date or datetime.
pub(super) unsafe fn fields(op: *mut PyObject) -> Fields {
    // SAFETY: forwarded contract.
    match unsafe { value(op) } {
        Some(Value::DateTime(y, mo, d, h, mi, s, us)) => Fields {
            y: y.into(),
            mo: mo.into(),
            d: d.into(),
            h: h.into(),
            mi: mi.into(),
            s: s.into(),
            us: us.into(),
        },
        Some(Value::Date(y, mo, d)) => Fields {
            y: y.into(),
            mo: mo.into(),
            d: d.into(),
            h: 0,
            mi: 0,
            s: 0,
            us: 0,
        },
        Some(Value::Time(h, mi, s, us)) => Fields {
            y: 1,
            mo: 1,
            d: 1,
            h: h.into(),
            mi: mi.into(),
            s: s.into(),
            us: us.into(),
        },
        _ => Fields {
            y: 1,
            mo: 1,
            d: 1,
            h: 0,
            mi: 0,
            s: 0,
            us: 0,
        },
    }
}

fn datetime_of(
    f: Fields,
    tz: *mut PyObject,
    fold: c_int,
    t: *mut PyTypeObject,
) -> R<*mut PyObject> {
    let c = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as c_int;
    ok(new_datetime(
        c(f.y),
        c(f.mo),
        c(f.d),
        c(f.h),
        c(f.mi),
        c(f.s),
        c(f.us),
        tz,
        fold,
        t,
    ))
}

/// The date `y-m-d` as an instance of `cls`, a date class: a class method called through a
/// datetime class (`datetime.today()`, `datetime.fromordinal(n)`, ...) gives that datetime
/// at midnight, without time zone.
///
/// # Safety
/// `cls` must be a type object.
pub(super) unsafe fn date_of_class(
    cls: *mut PyObject,
    y: i64,
    mo: i64,
    d: i64,
) -> R<*mut PyObject> {
    let t = cls.cast::<PyTypeObject>();
    // SAFETY: forwarded contract.
    if unsafe { crate::object::is_subtype(t, &raw mut DateTime_Type) } {
        let f = Fields {
            y,
            mo,
            d,
            h: 0,
            mi: 0,
            s: 0,
            us: 0,
        };
        return datetime_of(f, none(), 0, t);
    }
    let c = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as c_int;
    ok(new_date(c(y), c(mo), c(d), t))
}

/// The kind of a datetime-family object.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Date,
    DateTime,
    Time,
    Delta,
    Other,
}

/// # Safety
/// `op` must be a live object.
unsafe fn kind(op: *mut PyObject) -> Kind {
    // SAFETY: forwarded contract.
    match unsafe { value(op) } {
        Some(Value::Date(..)) => Kind::Date,
        Some(Value::DateTime(..)) => Kind::DateTime,
        Some(Value::Time(..)) => Kind::Time,
        Some(Value::Delta(..)) => Kind::Delta,
        None => Kind::Other,
    }
}

/// The microseconds of a timedelta.
///
/// # Safety
/// `op` must be a live timedelta.
pub(super) unsafe fn delta_us(op: *mut PyObject) -> i128 {
    // SAFETY: forwarded contract.
    let o = unsafe { &*op.cast::<PyDateTime_Delta>() };
    i128::from(o.days) * US_PER_DAY
        + i128::from(o.seconds) * US_PER_SEC
        + i128::from(o.microseconds)
}

/// A timedelta of `us` microseconds, with CPython's overflow errors.
pub(super) fn delta_from_us(us: i128, t: *mut PyTypeObject) -> R<*mut PyObject> {
    let days = us.div_euclid(US_PER_DAY);
    if days > i128::from(i32::MAX) || days < i128::from(i32::MIN) {
        return fail(
            &raw mut EXC_OverflowError,
            "Python int too large to convert to C int",
        );
    }
    ok(new_delta(
        days as i64,
        0,
        us.rem_euclid(US_PER_DAY) as i64,
        t,
    ))
}

fn delta_from_big(us: &BigInt) -> R<*mut PyObject> {
    match us.to_i128() {
        Some(v) if v.unsigned_abs() < (1u128 << 100) => delta_from_us(v, &raw mut Delta_Type),
        _ => fail(
            &raw mut EXC_OverflowError,
            "Python int too large to convert to C int",
        ),
    }
}

pub(super) fn delta(us: i128) -> R<*mut PyObject> {
    delta_from_us(us, &raw mut Delta_Type)
}

/// The offset of a `datetime.timezone`, in microseconds.
///
/// # Safety
/// `tz` must be a live timezone.
pub(super) unsafe fn tz_offset_us(tz: *mut PyObject) -> i128 {
    // SAFETY: forwarded contract: a timezone holds a timedelta.
    unsafe { delta_us((*tz.cast::<TimeZone>()).offset) }
}

/// `+HH:MM`, with `:SS` and `.ffffff` when present.
pub(super) fn fmt_offset(us: i128, sep: &str) -> String {
    let sign = if us < 0 { '-' } else { '+' };
    let a = us.abs();
    let (frac, secs) = (a % US_PER_SEC, a / US_PER_SEC);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if frac != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}.{frac:06}")
    } else if s != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}")
    } else {
        format!("{sign}{h:02}{sep}{m:02}")
    }
}

/// # Safety
/// `op` must be a live object.
unsafe fn is_exact_timezone(op: *mut PyObject) -> bool {
    // SAFETY: forwarded contract.
    unsafe { crate::object::ty(op) == &raw mut TimeZone_Type }
}

/// `tz.utcoffset(arg)` or `tz.dst(arg)` (`which`), checked as CPython does.
///
/// # Safety
/// `tz` and `arg` must be live.
pub(super) unsafe fn tz_call_offset(
    tz: *mut PyObject,
    which: &str,
    arg: *mut PyObject,
) -> R<Option<i128>> {
    // SAFETY: forwarded contract.
    unsafe {
        if tz == none() {
            return Ok(None);
        }
        if is_exact_timezone(tz) {
            return Ok((which == "utcoffset").then(|| tz_offset_us(tz)));
        }
        let r = ok(crate::abstract_::call_method(tz, which, &[arg]))?;
        if r == none() {
            decref(r);
            return Ok(None);
        }
        if !is(r, &raw mut Delta_Type) {
            let tn = crate::object::type_name(crate::object::ty(r));
            decref(r);
            return fail(
                &raw mut EXC_TypeError,
                &format!("tzinfo.{which}() must return None or timedelta, not '{tn}'"),
            );
        }
        let us = delta_us(r);
        if us.abs() >= US_PER_DAY {
            // CPython 3.14 shows the offending timedelta
            let shown = crate::object::repr_string(r);
            decref(r);
            return fail(
                &raw mut EXC_ValueError,
                &format!(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {shown}"
                ),
            );
        }
        decref(r);
        Ok(Some(us))
    }
}

/// The name of a timezone as `tzname()` gives it.
///
/// # Safety
/// `tz` must be a live timezone.
pub(super) unsafe fn timezone_name(tz: *mut PyObject) -> String {
    // SAFETY: forwarded contract.
    unsafe {
        let o = &*tz.cast::<TimeZone>();
        if !o.name.is_null() {
            return crate::unicodeobject::as_str(o.name)
                .unwrap_or("")
                .to_string();
        }
        let us = tz_offset_us(tz);
        if us == 0 {
            "UTC".into()
        } else {
            format!("UTC{}", fmt_offset(us, ":"))
        }
    }
}

/// `tz.tzname(arg)`: None or a str (new reference).
///
/// # Safety
/// `tz` and `arg` must be live.
unsafe fn tz_call_name(tz: *mut PyObject, arg: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if tz == none() {
            return Ok(crate::object::new_none());
        }
        if is_exact_timezone(tz) {
            return ok(text(timezone_name(tz)));
        }
        let r = ok(crate::abstract_::call_method(tz, "tzname", &[arg]))?;
        if r != none() && !crate::unicodeobject::is_str(r) {
            let tn = crate::object::type_name(crate::object::ty(r));
            decref(r);
            return fail(
                &raw mut EXC_TypeError,
                &format!("tzinfo.tzname() must return None or a string, not '{tn}'"),
            );
        }
        Ok(r)
    }
}

/// The UTC offset of a datetime (`tz.utcoffset(self)`) or time (`tz.utcoffset(None)`).
///
/// # Safety
/// `op` must be a live time or datetime.
pub(super) unsafe fn utcoffset_of(op: *mut PyObject) -> R<Option<i128>> {
    // SAFETY: forwarded contract.
    unsafe {
        let arg = if is(op, &raw mut DateTime_Type) {
            op
        } else {
            none()
        };
        tz_call_offset(tzinfo_of(op), "utcoffset", arg)
    }
}

/// `HH:MM:SS.ffffff` cut to `timespec`.
fn time_iso(f: &Fields, spec: &str) -> R<String> {
    let (h, mi, s, us) = (f.h, f.mi, f.s, f.us);
    Ok(match spec {
        "auto" if us != 0 => format!("{h:02}:{mi:02}:{s:02}.{us:06}"),
        "auto" | "seconds" => format!("{h:02}:{mi:02}:{s:02}"),
        "hours" => format!("{h:02}"),
        "minutes" => format!("{h:02}:{mi:02}"),
        "milliseconds" => format!("{h:02}:{mi:02}:{s:02}.{:03}", us / 1000),
        "microseconds" => format!("{h:02}:{mi:02}:{s:02}.{us:06}"),
        _ => return fail(&raw mut EXC_ValueError, "Unknown timespec value"),
    })
}

/// `isoformat(sep, timespec)` of a datetime, or of a time when `sep` is `None`.
///
/// # Safety
/// `op` must be a live time or datetime.
pub(super) unsafe fn iso_text(op: *mut PyObject, sep: Option<char>, spec: &str) -> R<String> {
    // SAFETY: forwarded contract.
    unsafe {
        let f = fields(op);
        let mut out = match sep {
            Some(c) => format!("{:04}-{:02}-{:02}{c}", f.y, f.mo, f.d),
            None => String::new(),
        };
        out.push_str(&time_iso(&f, spec)?);
        if let Some(off) = utcoffset_of(op)? {
            out.push_str(&fmt_offset(off, ":"));
        }
        Ok(out)
    }
}

// --- argument parsing in PyArg_ParseTupleAndKeywords' words ---

/// Positional and keyword arguments matched to `names` (NULL when absent).
///
/// # Safety
/// `args` NULL or a live tuple; `kw` NULL or a live dict.
pub(super) unsafe fn parse_kw(
    fname: &str,
    args: *mut PyObject,
    kw: *mut PyObject,
    names: &[&str],
    required: usize,
) -> R<Vec<*mut PyObject>> {
    // PyArg's wording: `f()` for a named function, `function`/`this function` for an unnamed one
    let (who, whom) = if fname.is_empty() {
        ("function".to_string(), "this function".to_string())
    } else {
        (format!("{fname}()"), format!("{fname}()"))
    };
    // SAFETY: forwarded contract.
    unsafe {
        let pos: &[*mut PyObject] = if args.is_null() {
            &[]
        } else {
            crate::tupleobject::items(args)
        };
        let nkw = if kw.is_null() {
            0
        } else {
            crate::dictobject::entries(kw).len()
        };
        if pos.len() + nkw > names.len() {
            let n = names.len();
            let word = if n == 1 { "argument" } else { "arguments" };
            let keyword = if pos.is_empty() { "keyword " } else { "" };
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "{who} takes at most {n} {keyword}{word} ({} given)",
                    pos.len() + nkw
                ),
            );
        }
        let mut out: Vec<*mut PyObject> = vec![null_mut(); names.len()];
        out[..pos.len()].copy_from_slice(pos);
        if !kw.is_null() {
            for (k, v) in crate::dictobject::entries(kw) {
                let key = crate::unicodeobject::as_str(k).unwrap_or("");
                match names.iter().position(|n| *n == key) {
                    Some(i) if out[i].is_null() => out[i] = v,
                    Some(i) => {
                        return fail(
                            &raw mut EXC_TypeError,
                            &format!(
                                "argument for {whom} given by name ('{key}') and position ({})",
                                i + 1
                            ),
                        );
                    }
                    None => {
                        return fail(
                            &raw mut EXC_TypeError,
                            &format!("{whom} got an unexpected keyword argument '{key}'"),
                        );
                    }
                }
            }
        }
        if let Some(i) = out[..required].iter().position(|p| p.is_null()) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "{who} missing required argument '{}' (pos {})",
                    names[i],
                    i + 1
                ),
            );
        }
        Ok(out)
    }
}

/// An optional str argument (`default` when NULL).
///
/// # Safety
/// `o` NULL or live.
unsafe fn str_arg(fname: &str, pos: usize, o: *mut PyObject, default: &str) -> R<String> {
    if o.is_null() {
        return Ok(default.to_string());
    }
    // SAFETY: forwarded contract.
    unsafe {
        match crate::unicodeobject::as_str(o) {
            Some(s) if crate::unicodeobject::is_str(o) => Ok(s.to_string()),
            _ => fail(
                &raw mut EXC_TypeError,
                &format!(
                    "{fname}() argument {pos} must be str, not {}",
                    crate::object::type_name(crate::object::ty(o))
                ),
            ),
        }
    }
}

/// The tzinfo argument check shared by constructors and methods.
///
/// # Safety
/// `tz` NULL or live.
unsafe fn check_tzinfo(tz: *mut PyObject) -> R<()> {
    // SAFETY: forwarded contract.
    unsafe {
        if tz.is_null() || tz == none() || is(tz, &raw mut TZInfo_Type) {
            return Ok(());
        }
        let tn = crate::object::type_name(crate::object::ty(tz));
        fail(
            &raw mut EXC_TypeError,
            &format!("tzinfo argument must be None or of a tzinfo subclass, not type '{tn}'"),
        )
    }
}

pub(super) fn int_or(o: *mut PyObject, default: i64) -> R<c_int> {
    // SAFETY: `o` is NULL or a live argument.
    let v = unsafe { int_arg(o, default) }.ok_or(())?;
    cint(v).ok_or(())
}

// --- the current time and timestamps ---

/// Seconds and microseconds of the system clock (floored to microseconds).
fn clock_now() -> (i64, i64) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_secs() as i64, i64::from(d.subsec_micros())))
        .unwrap_or((0, 0));
    (d.0, d.1)
}

/// A float timestamp as (seconds, microseconds), the fraction rounded half to even.
fn split_timestamp(ts: f64) -> R<(i64, i64)> {
    if ts.is_nan() {
        return fail(&raw mut EXC_ValueError, "Invalid value NaN (not a number)");
    }
    let int_part = ts.trunc();
    let mut frac = ((ts - int_part) * 1e6).round_ties_even();
    let mut secs = int_part;
    if frac >= 1e6 {
        frac -= 1e6;
        secs += 1.0;
    } else if frac < 0.0 {
        frac += 1e6;
        secs -= 1.0;
    }
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&secs) {
        return fail(
            &raw mut EXC_OverflowError,
            "timestamp out of range for platform time_t",
        );
    }
    Ok((secs as i64, frac as i64))
}

/// UTC fields of a POSIX time (years outside 1..9999 are kept, for the range message).
fn utc_fields(secs: i64, us: i64) -> Fields {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (y, mo, d) = from_ordinal(days + EPOCH_ORDINAL);
    Fields {
        y,
        mo,
        d,
        h: rest / 3600,
        mi: rest / 60 % 60,
        s: rest % 60,
        us,
    }
}

/// Local fields of a POSIX time, with the zone's offset (seconds) and abbreviation.
fn local_fields(secs: i64, us: i64) -> R<(Fields, i64, String)> {
    // SAFETY: a zeroed `tm` is a valid output buffer.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let tt = secs as libc::time_t;
    // SAFETY: valid pointers to a time_t and a tm.
    if unsafe { libc::localtime_r(&tt, &mut tm) }.is_null() {
        return fail(
            &raw mut EXC_OverflowError,
            "timestamp out of range for platform time_t",
        );
    }
    let zone = if tm.tm_zone.is_null() {
        String::new()
    } else {
        // SAFETY: localtime_r sets tm_zone to a NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
            .to_string_lossy()
            .into_owned()
    };
    Ok((
        Fields {
            y: i64::from(tm.tm_year) + 1900,
            mo: i64::from(tm.tm_mon) + 1,
            d: i64::from(tm.tm_mday),
            h: i64::from(tm.tm_hour),
            mi: i64::from(tm.tm_min),
            s: i64::from(tm.tm_sec.min(59)),
            us,
        },
        tm.tm_gmtoff,
        zone,
    ))
}

/// POSIX-style seconds of wall-clock fields (as if they were UTC).
fn wall_seconds(f: &Fields) -> i64 {
    (to_ordinal(f.y, f.mo, f.d) - EPOCH_ORDINAL) * 86_400 + f.h * 3600 + f.mi * 60 + f.s
}

/// The local wall clock at POSIX time `u`, as `wall_seconds`.
fn local_wall(u: i64) -> R<i64> {
    Ok(wall_seconds(&local_fields(u, 0)?.0))
}

/// The POSIX time of naive local fields: solves `local_wall(u) == wall` for `u` around the
/// two offsets in play; `fold` picks the later of two solutions (a repeated hour) and, in a
/// gap, the earlier of the two candidates (CPython's rule).
fn local_to_posix(f: &Fields, fold: bool) -> R<i64> {
    const DAY: i64 = 86_400;
    let t = wall_seconds(f);
    let a = local_wall(t)? - t;
    let u1 = t - a;
    let t1 = local_wall(u1)?;
    let b = if t1 == t {
        // one solution; is there another one a day away (the other side of a fold)?
        let probe = if fold { u1 + DAY } else { u1 - DAY };
        let b = local_wall(probe)? - probe;
        if a == b {
            return Ok(u1);
        }
        b
    } else {
        t1 - u1
    };
    let u2 = t - b;
    if local_wall(u2)? == t {
        return Ok(u2);
    }
    if t1 == t {
        return Ok(u1);
    }
    // in a gap: neither offset solves it
    Ok(if fold { u1.min(u2) } else { u1.max(u2) })
}

/// Whether the local time of POSIX time `secs` is the second of two equal wall-clock times.
fn local_fold(secs: i64, f: &Fields) -> R<bool> {
    const DAY: i64 = 86_400;
    let result = wall_seconds(f);
    let transition = result - local_wall(secs - DAY)? - DAY;
    if transition < 0 {
        return Ok(local_wall(secs + transition)? == result);
    }
    Ok(false)
}

/// A local-time timezone for a POSIX time (`astimezone()` without argument).
fn local_timezone(secs: i64) -> R<*mut PyObject> {
    let (_, off, zone) = local_fields(secs, 0)?;
    let d = delta(i128::from(off) * US_PER_SEC)?;
    let name = text(zone);
    // SAFETY: `d` is a live timedelta and `name` a live str (checked below).
    let tz = unsafe {
        if name.is_null() {
            decref(d);
            return Err(());
        }
        let tz = new_timezone(d, name);
        decref(d);
        decref(name);
        tz
    };
    ok(tz)
}

/// `tz.fromutc(dt)` (fast for `datetime.timezone`); steals `dt`.
///
/// # Safety
/// `tz` and `dt` must be live; `dt` owned.
unsafe fn call_fromutc(tz: *mut PyObject, dt: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if is_exact_timezone(tz) {
            let r = shift(dt, tz_offset_us(tz));
            decref(dt);
            return r;
        }
        let r = crate::abstract_::call_method(tz, "fromutc", &[dt]);
        decref(dt);
        ok(r)
    }
}

/// A datetime of the fields of `secs`/`us` in `tz` (None: naive local time), of type `t`.
fn datetime_from_posix(
    secs: i64,
    us: i64,
    tz: *mut PyObject,
    utc: bool,
    t: *mut PyTypeObject,
) -> R<*mut PyObject> {
    if tz.is_null() || tz == none() {
        if utc {
            return datetime_of(utc_fields(secs, us), none(), 0, t);
        }
        let f = local_fields(secs, us)?.0;
        let fold = c_int::from(local_fold(secs, &f)?);
        return datetime_of(f, none(), fold, t);
    }
    let dt = datetime_of(utc_fields(secs, us), tz, 0, t)?;
    // SAFETY: live tz; `dt` is ours.
    unsafe { call_fromutc(tz, dt) }
}

/// `dt` moved by `us` microseconds (same tzinfo, fold 0, the type of `dt`).
///
/// # Safety
/// `dt` must be a live datetime.
unsafe fn shift(dt: *mut PyObject, us: i128) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(f) = Fields::from_total(fields(dt).total_us() + us) else {
            return date_out_of_range();
        };
        datetime_of(f, tzinfo_of(dt), 0, crate::object::ty(dt))
    }
}

// --- methods ---

macro_rules! meth {
    ($name:literal, |$($a:ident),*| $body:expr) => {{
        crate::ffi_guard::guard($name, null_mut(), || {
            let body = || -> R<*mut PyObject> {
                // SAFETY: method contract: live arguments of the declared convention.
                #[allow(unused_unsafe)]
                unsafe {
                    $body
                }
            };
            let r = body();
            let _ = ($(&$a),*);
            done(r)
        })
    }};
}

unsafe extern "C" fn date_today(cls: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("date.today", |cls| {
        let (s, us) = clock_now();
        let (f, _, _) = local_fields(s, us)?;
        date_of_class(cls, f.y, f.mo, f.d)
    })
}

unsafe extern "C" fn date_fromordinal(cls: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    meth!("date.fromordinal", |cls, n| {
        let n = int_or(n, 0)?;
        if n < 1 {
            return fail(&raw mut EXC_ValueError, "ordinal must be >= 1");
        }
        let (y, m, d) = from_ordinal(i64::from(n));
        date_of_class(cls, y, m, d)
    })
}

unsafe extern "C" fn date_isoformat(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("date.isoformat", |op| {
        let f = fields(op);
        ok(text(format!("{:04}-{:02}-{:02}", f.y, f.mo, f.d)))
    })
}

unsafe extern "C" fn date_toordinal(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("date.toordinal", |op| {
        let f = fields(op);
        ok(crate::longobject::from_i64(to_ordinal(f.y, f.mo, f.d)))
    })
}

unsafe extern "C" fn date_weekday(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("date.weekday", |op| {
        let f = fields(op);
        ok(crate::longobject::from_i64(
            (to_ordinal(f.y, f.mo, f.d) + 6) % 7,
        ))
    })
}

unsafe extern "C" fn date_isoweekday(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("date.isoweekday", |op| {
        let f = fields(op);
        ok(crate::longobject::from_i64(
            (to_ordinal(f.y, f.mo, f.d) + 6) % 7 + 1,
        ))
    })
}

unsafe extern "C" fn date_replace(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("date.replace", |op, args, kw| {
        let v = parse_kw("replace", args, kw, &["year", "month", "day"], 0)?;
        let f = fields(op);
        ok(new_date(
            int_or(v[0], f.y)?,
            int_or(v[1], f.mo)?,
            int_or(v[2], f.d)?,
            crate::object::ty(op),
        ))
    })
}

unsafe extern "C" fn datetime_now(
    cls: *mut PyObject,
    args: *const *mut PyObject,
    nargs: isize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.now", |cls, args, nargs, kwnames| {
        let pos = if nargs > 0 {
            std::slice::from_raw_parts(args, nargs as usize)
        } else {
            &[]
        };
        let names = if kwnames.is_null() {
            &[][..]
        } else {
            crate::tupleobject::items(kwnames)
        };
        let total = pos.len() + names.len();
        if total > 1 {
            return fail(
                &raw mut EXC_TypeError,
                &format!("now() takes at most 1 argument ({total} given)"),
            );
        }
        let mut tz = pos.first().copied().unwrap_or(null_mut());
        if let Some(&k) = names.first() {
            let key = crate::unicodeobject::as_str(k).unwrap_or("");
            if key != "tz" {
                return fail(
                    &raw mut EXC_TypeError,
                    &format!("now() got an unexpected keyword argument '{key}'"),
                );
            }
            tz = *args.add(pos.len());
        }
        check_tzinfo(tz)?;
        let (s, us) = clock_now();
        datetime_from_posix(s, us, tz, false, cls.cast())
    })
}

unsafe extern "C" fn datetime_utcnow(cls: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("datetime.utcnow", |cls| {
        let (s, us) = clock_now();
        datetime_from_posix(s, us, none(), true, cls.cast())
    })
}

/// `cls.fromtimestamp(timestamp, tz=None)` (the C API's `DateTime_FromTimestamp` too).
pub(super) unsafe fn datetime_fromtimestamp(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> R<*mut PyObject> {
    // SAFETY: forwarded contract: a datetime class, a tuple, NULL or a dict.
    unsafe {
        let v = parse_kw("fromtimestamp", args, kw, &["timestamp", "tz"], 1)?;
        let ts = timestamp_arg_as(v[0], true).ok_or(())?;
        check_tzinfo(v[1])?;
        let (s, us) = split_timestamp(ts)?;
        datetime_from_posix(s, us, v[1], false, cls.cast())
    }
}

/// `cls.fromtimestamp(timestamp)` for date classes (the C API's `Date_FromTimestamp` too).
pub(super) unsafe fn date_fromtimestamp(
    cls: *mut PyObject,
    args: *mut PyObject,
) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let v = parse_kw("fromtimestamp", args, null_mut(), &["timestamp"], 1)?;
        let ts = timestamp_arg(v[0]).ok_or(())?;
        let (s, us) = split_timestamp(ts)?;
        let (f, _, _) = local_fields(s, us)?;
        date_of_class(cls, f.y, f.mo, f.d)
    }
}

unsafe extern "C" fn date_fromtimestamp_m(
    cls: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    meth!("date.fromtimestamp", |cls, args| date_fromtimestamp(
        cls, args
    ))
}

unsafe extern "C" fn datetime_fromtimestamp_m(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.fromtimestamp", |cls, args, kw| {
        datetime_fromtimestamp(cls, args, kw)
    })
}

unsafe extern "C" fn datetime_utcfromtimestamp(
    cls: *mut PyObject,
    args: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.utcfromtimestamp", |cls, args| {
        let v = parse_kw("utcfromtimestamp", args, null_mut(), &["timestamp"], 1)?;
        let ts = timestamp_arg_as(v[0], true).ok_or(())?;
        let (s, us) = split_timestamp(ts)?;
        datetime_from_posix(s, us, none(), true, cls.cast())
    })
}

unsafe extern "C" fn datetime_combine(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.combine", |cls, args, kw| {
        let v = parse_kw("combine", args, kw, &["date", "time", "tzinfo"], 2)?;
        let tn = |o: *mut PyObject| crate::object::type_name(crate::object::ty(o));
        if !is(v[0], &raw mut Date_Type) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "combine() argument 1 must be datetime.date, not {}",
                    tn(v[0])
                ),
            );
        }
        if !is(v[1], &raw mut Time_Type) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "combine() argument 2 must be datetime.time, not {}",
                    tn(v[1])
                ),
            );
        }
        let tz = if v[2].is_null() {
            tzinfo_of(v[1])
        } else {
            v[2]
        };
        let d = fields(v[0]);
        let t = fields(v[1]);
        let f = Fields {
            h: t.h,
            mi: t.mi,
            s: t.s,
            us: t.us,
            ..d
        };
        datetime_of(f, tz, c_int::from(fold_of(v[1])), cls.cast())
    })
}

unsafe extern "C" fn datetime_date(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("datetime.date", |op| {
        let f = fields(op);
        ok(new_date(
            f.y as c_int,
            f.mo as c_int,
            f.d as c_int,
            &raw mut Date_Type,
        ))
    })
}

unsafe extern "C" fn datetime_time(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("datetime.time", |op| {
        let f = fields(op);
        ok(new_time(
            f.h as c_int,
            f.mi as c_int,
            f.s as c_int,
            f.us as c_int,
            none(),
            c_int::from(fold_of(op)),
            &raw mut Time_Type,
        ))
    })
}

unsafe extern "C" fn datetime_timetz(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("datetime.timetz", |op| {
        let f = fields(op);
        ok(new_time(
            f.h as c_int,
            f.mi as c_int,
            f.s as c_int,
            f.us as c_int,
            tzinfo_of(op),
            c_int::from(fold_of(op)),
            &raw mut Time_Type,
        ))
    })
}

/// `utcoffset()`/`dst()` of a time or datetime as a timedelta or None.
///
/// # Safety
/// `op` must be a live time or datetime.
unsafe fn offset_method(op: *mut PyObject, which: &str) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let arg = if is(op, &raw mut DateTime_Type) {
            op
        } else {
            none()
        };
        match tz_call_offset(tzinfo_of(op), which, arg)? {
            Some(us) => delta(us),
            None => Ok(crate::object::new_none()),
        }
    }
}

unsafe extern "C" fn any_utcoffset(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("utcoffset", |op| offset_method(op, "utcoffset"))
}

unsafe extern "C" fn any_dst(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("dst", |op| offset_method(op, "dst"))
}

unsafe extern "C" fn any_tzname(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("tzname", |op| {
        let arg = if is(op, &raw mut DateTime_Type) {
            op
        } else {
            none()
        };
        tz_call_name(tzinfo_of(op), arg)
    })
}

unsafe extern "C" fn datetime_isoformat(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.isoformat", |op, args, kw| {
        let v = parse_kw("isoformat", args, kw, &["sep", "timespec"], 0)?;
        let sep = if v[0].is_null() {
            'T'
        } else {
            let s = if crate::unicodeobject::is_str(v[0]) {
                crate::unicodeobject::as_str(v[0])
            } else {
                None
            };
            let mut chars = s.unwrap_or("").chars();
            match (s, chars.next(), chars.next()) {
                (Some(_), Some(c), None) => c,
                _ => {
                    let what = if let Some(s) = s {
                        format!("a string of length {}", s.chars().count())
                    } else {
                        crate::object::type_name(crate::object::ty(v[0]))
                    };
                    return fail(
                        &raw mut EXC_TypeError,
                        &format!("isoformat() argument 1 must be a unicode character, not {what}"),
                    );
                }
            }
        };
        let spec = str_arg("isoformat", 2, v[1], "auto")?;
        ok(text(iso_text(op, Some(sep), &spec)?))
    })
}

unsafe extern "C" fn time_isoformat(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("time.isoformat", |op, args, kw| {
        let v = parse_kw("isoformat", args, kw, &["timespec"], 0)?;
        let spec = str_arg("isoformat", 1, v[0], "auto")?;
        ok(text(iso_text(op, None, &spec)?))
    })
}

unsafe extern "C" fn datetime_replace(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.replace", |op, args, kw| {
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
        let v = parse_kw("replace", args, kw, &names, 0)?;
        let f = fields(op);
        let tz = if v[7].is_null() { tzinfo_of(op) } else { v[7] };
        ok(new_datetime(
            int_or(v[0], f.y)?,
            int_or(v[1], f.mo)?,
            int_or(v[2], f.d)?,
            int_or(v[3], f.h)?,
            int_or(v[4], f.mi)?,
            int_or(v[5], f.s)?,
            int_or(v[6], f.us)?,
            tz,
            int_or(v[8], i64::from(fold_of(op)))?,
            crate::object::ty(op),
        ))
    })
}

unsafe extern "C" fn time_replace(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("time.replace", |op, args, kw| {
        let names = ["hour", "minute", "second", "microsecond", "tzinfo", "fold"];
        let v = parse_kw("replace", args, kw, &names, 0)?;
        let f = fields(op);
        let tz = if v[4].is_null() { tzinfo_of(op) } else { v[4] };
        ok(new_time(
            int_or(v[0], f.h)?,
            int_or(v[1], f.mi)?,
            int_or(v[2], f.s)?,
            int_or(v[3], f.us)?,
            tz,
            int_or(v[5], i64::from(fold_of(op)))?,
            crate::object::ty(op),
        ))
    })
}

unsafe extern "C" fn datetime_timestamp(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("datetime.timestamp", |op| {
        let f = fields(op);
        match utcoffset_of(op)? {
            Some(off) => {
                let epoch = i128::from(EPOCH_ORDINAL) * US_PER_DAY;
                let us = f.total_us() - off - epoch;
                let v =
                    crate::longobject::true_divide(&BigInt::from(us), &BigInt::from(US_PER_SEC))
                        .map_err(|m| {
                            raise(&raw mut EXC_OverflowError, m);
                        })?;
                ok(crate::floatobject::from_f64(v))
            }
            None => {
                let secs = local_to_posix(&f, fold_of(op) == 1)?;
                ok(crate::floatobject::from_f64(
                    secs as f64 + f.us as f64 / 1e6,
                ))
            }
        }
    })
}

unsafe extern "C" fn datetime_astimezone(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.astimezone", |op, args, kw| {
        let v = parse_kw("astimezone", args, kw, &["tz"], 0)?;
        let tz = if v[0].is_null() { none() } else { v[0] };
        check_tzinfo(tz)?;
        let own = tzinfo_of(op);
        if tz != none() && own == tz {
            return Ok(new_ref(op));
        }
        let f = fields(op);
        let off = match utcoffset_of(op)? {
            Some(o) => o,
            None => {
                // the instant `timestamp()` gives (CPython 3.14: in a skipped hour, the wall
                // time moved across the gap, as `timestamp()` resolves it)
                let secs = local_to_posix(&f, fold_of(op) == 1)?;
                let epoch = i128::from(EPOCH_ORDINAL) * US_PER_DAY;
                f.total_us() - (epoch + i128::from(secs) * US_PER_SEC + i128::from(f.us))
            }
        };
        let Some(u) = Fields::from_total(f.total_us() - off) else {
            return date_out_of_range();
        };
        if tz == none() {
            let epoch = i128::from(EPOCH_ORDINAL) * US_PER_DAY;
            let secs = (u.total_us() - epoch).div_euclid(US_PER_SEC) as i64;
            let local = local_timezone(secs)?;
            let shifted = Fields::from_total(u.total_us() + tz_offset_us(local));
            let r = match shifted {
                Some(l) => datetime_of(l, local, 0, crate::object::ty(op)),
                None => date_out_of_range(),
            };
            decref(local);
            return r;
        }
        let dt = datetime_of(u, tz, 0, crate::object::ty(op))?;
        call_fromutc(tz, dt)
    })
}

unsafe extern "C" fn delta_total_seconds(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("timedelta.total_seconds", |op| {
        let v =
            crate::longobject::true_divide(&BigInt::from(delta_us(op)), &BigInt::from(US_PER_SEC))
                .map_err(|m| {
                    raise(&raw mut EXC_OverflowError, m);
                })?;
        ok(crate::floatobject::from_f64(v))
    })
}

// tzinfo's abstract methods

unsafe extern "C" fn tzinfo_utcoffset(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut EXC_NotImplementedError,
        "a tzinfo subclass must implement utcoffset()",
    )
}

unsafe extern "C" fn tzinfo_dst(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut EXC_NotImplementedError,
        "a tzinfo subclass must implement dst()",
    )
}

unsafe extern "C" fn tzinfo_tzname(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    raise(
        &raw mut EXC_NotImplementedError,
        "a tzinfo subclass must implement tzname()",
    )
}

/// The `fromutc` argument check shared by tzinfo and timezone.
///
/// # Safety
/// `tz` and `dt` must be live.
unsafe fn check_fromutc(tz: *mut PyObject, dt: *mut PyObject) -> R<()> {
    // SAFETY: forwarded contract.
    unsafe {
        if !is(dt, &raw mut DateTime_Type) {
            return fail(
                &raw mut EXC_TypeError,
                "fromutc: argument must be a datetime",
            );
        }
        if tzinfo_of(dt) != tz {
            return fail(&raw mut EXC_ValueError, "fromutc: dt.tzinfo is not self");
        }
        Ok(())
    }
}

/// `tzinfo.fromutc(dt)`: the standard algorithm over `utcoffset()` and `dst()`.
unsafe extern "C" fn tzinfo_fromutc(tz: *mut PyObject, dt: *mut PyObject) -> *mut PyObject {
    meth!("tzinfo.fromutc", |tz, dt| {
        check_fromutc(tz, dt)?;
        let Some(off) = tz_call_offset(tz, "utcoffset", dt)? else {
            return fail(
                &raw mut EXC_ValueError,
                "fromutc: non-None utcoffset() result required",
            );
        };
        let Some(dst) = tz_call_offset(tz, "dst", dt)? else {
            return fail(
                &raw mut EXC_ValueError,
                "fromutc: non-None dst() result required",
            );
        };
        let moved = shift(dt, off - dst)?;
        let dst2 = match tz_call_offset(tz, "dst", moved) {
            Ok(Some(d)) => d,
            Ok(None) => {
                decref(moved);
                return fail(
                    &raw mut EXC_ValueError,
                    "fromutc: tz.dst() gave inconsistent results; cannot convert",
                );
            }
            Err(()) => {
                decref(moved);
                return Err(());
            }
        };
        let r = shift(moved, dst2);
        decref(moved);
        r
    })
}

/// The argument check of `timezone.utcoffset/dst/tzname`.
///
/// # Safety
/// `dt` must be live.
unsafe fn check_dt_or_none(which: &str, dt: *mut PyObject) -> R<()> {
    // SAFETY: forwarded contract.
    unsafe {
        if dt == none() || is(dt, &raw mut DateTime_Type) {
            return Ok(());
        }
        fail(
            &raw mut EXC_TypeError,
            &format!(
                "{which}(dt) argument must be a datetime instance or None, not {}",
                crate::object::type_name(crate::object::ty(dt))
            ),
        )
    }
}

unsafe extern "C" fn timezone_utcoffset(tz: *mut PyObject, dt: *mut PyObject) -> *mut PyObject {
    meth!("timezone.utcoffset", |tz, dt| {
        check_dt_or_none("utcoffset", dt)?;
        Ok(new_ref((*tz.cast::<TimeZone>()).offset))
    })
}

unsafe extern "C" fn timezone_dst(tz: *mut PyObject, dt: *mut PyObject) -> *mut PyObject {
    meth!("timezone.dst", |tz, dt| {
        check_dt_or_none("dst", dt)?;
        Ok(crate::object::new_none())
    })
}

unsafe extern "C" fn timezone_tzname(tz: *mut PyObject, dt: *mut PyObject) -> *mut PyObject {
    meth!("timezone.tzname", |tz, dt| {
        check_dt_or_none("tzname", dt)?;
        ok(text(timezone_name(tz)))
    })
}

unsafe extern "C" fn timezone_fromutc(tz: *mut PyObject, dt: *mut PyObject) -> *mut PyObject {
    meth!("timezone.fromutc", |tz, dt| {
        check_fromutc(tz, dt)?;
        shift(dt, tz_offset_us(tz))
    })
}

/// `timezone(offset, name=None)`.
pub(super) unsafe extern "C" fn timezone_new(
    _t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("datetime.timezone", |args, kw| {
        let v = parse_kw("timezone", args, kw, &["offset", "name"], 1)?;
        if !is(v[0], &raw mut Delta_Type) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "timezone() argument 1 must be datetime.timedelta, not {}",
                    crate::object::type_name(crate::object::ty(v[0]))
                ),
            );
        }
        if !v[1].is_null() && !crate::unicodeobject::is_str(v[1]) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "timezone() argument 2 must be str, not {}",
                    crate::object::type_name(crate::object::ty(v[1]))
                ),
            );
        }
        if v[1].is_null() && delta_us(v[0]) == 0 {
            return Ok(new_ref(utc()));
        }
        ok(new_timezone(v[0], v[1]))
    })
}

pub(super) unsafe extern "C" fn timezone_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if (op != 2 && op != 3) || !is_exact_timezone(b) || !is_exact_timezone(a) {
            return crate::longobject::not_implemented();
        }
        let eq = tz_offset_us(a) == tz_offset_us(b);
        crate::boolobject::from_bool(eq == (op == 2))
    }
}

pub(super) unsafe extern "C" fn timezone_hash(op: *mut PyObject) -> isize {
    // SAFETY: a live timezone (slot contract).
    hash_key(&("tz", unsafe { tz_offset_us(op) }))
}

pub(super) fn hash_key<T: std::hash::Hash>(v: &T) -> isize {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    let r = h.finish() as isize;
    if r == -1 { -2 } else { r }
}

// --- hashes and comparisons ---

/// The key equal objects share: UTC microseconds for aware values.
///
/// # Safety
/// `op` must be a live datetime-family object.
unsafe fn compare_key(op: *mut PyObject) -> R<(Kind, i128)> {
    // SAFETY: forwarded contract.
    unsafe {
        let k = kind(op);
        let v = match k {
            Kind::Date | Kind::DateTime | Kind::Time => {
                let f = fields(op);
                let off = if k == Kind::Date {
                    None
                } else if k == Kind::DateTime && fold_of(op) == 1 && tzinfo_of(op) != none() {
                    // hashes use the offset of the fold=0 twin, as CPython's do
                    offset_with_fold(op, 0)?
                } else {
                    utcoffset_of(op)?
                };
                f.total_us() - off.unwrap_or(0)
            }
            Kind::Delta => delta_us(op),
            Kind::Other => 0,
        };
        Ok((k, v))
    }
}

pub(super) unsafe extern "C" fn dt_hash(op: *mut PyObject) -> isize {
    crate::ffi_guard::guard("datetime hash", -1, || {
        // SAFETY: a live datetime-family object (slot contract).
        match unsafe { compare_key(op) } {
            Ok(k) => hash_key(&(k.0 as u8, k.1)),
            Err(()) => -1,
        }
    })
}

/// `utcoffset()` of a copy of the datetime `op` with the given fold.
///
/// # Safety
/// `op` must be a live datetime.
unsafe fn offset_with_fold(op: *mut PyObject, fold: c_int) -> R<Option<i128>> {
    // SAFETY: forwarded contract.
    unsafe {
        let twin = datetime_of(fields(op), tzinfo_of(op), fold, &raw mut DateTime_Type)?;
        let r = tz_call_offset(tzinfo_of(op), "utcoffset", twin);
        decref(twin);
        r
    }
}

/// PEP 495: two aware datetimes of different zones that compare equal are still unequal when
/// either one's offset depends on its fold (a wall time in a repeated or skipped hour).
///
/// # Safety
/// `a` and `b` must be live datetimes.
unsafe fn fold_makes_unequal(
    a: *mut PyObject,
    b: *mut PyObject,
    oa: Option<i128>,
    ob: Option<i128>,
) -> R<bool> {
    // SAFETY: forwarded contract.
    unsafe {
        for (x, off) in [(a, oa), (b, ob)] {
            let tz = tzinfo_of(x);
            if tz == none() || is_exact_timezone(tz) {
                continue;
            }
            let flip = c_int::from(fold_of(x) == 0);
            if offset_with_fold(x, flip)? != off {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn cmp_result(o: std::cmp::Ordering, op: c_int) -> *mut PyObject {
    crate::boolobject::from_bool(crate::longobject::compare_result(o, op))
}

pub(super) unsafe extern "C" fn dt_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime comparison", null_mut(), || {
        // SAFETY: live objects (slot contract).
        done(unsafe { richcompare(a, b, op) })
    })
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let (ka, kb) = (kind(a), kind(b));
        if ka == Kind::Other || kb == Kind::Other {
            return Ok(crate::longobject::not_implemented());
        }
        if ka != kb {
            // CPython 3.14: a date and a datetime are not ordered (NotImplemented both ways,
            // so the comparison's own TypeError) and never equal
            return Ok(crate::longobject::not_implemented());
        }
        match ka {
            Kind::DateTime | Kind::Time => {
                let (fa, fb) = (fields(a), fields(b));
                let (ta, tb) = (tzinfo_of(a), tzinfo_of(b));
                if ta == tb {
                    return Ok(cmp_result(fa.total_us().cmp(&fb.total_us()), op));
                }
                let (oa, ob) = (utcoffset_of(a)?, utcoffset_of(b)?);
                let ord = match (oa, ob) {
                    (Some(x), Some(y)) => Some((fa.total_us() - x).cmp(&(fb.total_us() - y))),
                    (None, None) => Some(fa.total_us().cmp(&fb.total_us())),
                    _ => None,
                };
                if let Some(mut o) = ord {
                    if ka == Kind::DateTime
                        && (op == 2 || op == 3)
                        && o == std::cmp::Ordering::Equal
                        && fold_makes_unequal(a, b, oa, ob)?
                    {
                        o = std::cmp::Ordering::Greater;
                    }
                    return Ok(cmp_result(o, op));
                }
                if op == 2 || op == 3 {
                    return Ok(crate::boolobject::from_bool(op == 3));
                }
                let what = if ka == Kind::Time {
                    "times"
                } else {
                    "datetimes"
                };
                fail(
                    &raw mut EXC_TypeError,
                    &format!("can't compare offset-naive and offset-aware {what}"),
                )
            }
            _ => {
                let (x, y) = (compare_key(a)?.1, compare_key(b)?.1);
                Ok(cmp_result(x.cmp(&y), op))
            }
        }
    }
}

// --- arithmetic ---

/// `date + days` keeping the date's type.
///
/// # Safety
/// `d` must be a live date.
unsafe fn date_plus_days(d: *mut PyObject, days: i128) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let f = fields(d);
        let n = i128::from(to_ordinal(f.y, f.mo, f.d)) + days;
        if n < 1 || n > i128::from(MAX_ORDINAL) {
            return date_out_of_range();
        }
        let (y, m, dd) = from_ordinal(n as i64);
        ok(new_date(
            y as c_int,
            m as c_int,
            dd as c_int,
            crate::object::ty(d),
        ))
    }
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn add(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        match (kind(a), kind(b)) {
            (Kind::DateTime, Kind::Delta) => shift(a, delta_us(b)),
            (Kind::Delta, Kind::DateTime) => shift(b, delta_us(a)),
            (Kind::Date, Kind::Delta) => {
                date_plus_days(a, i128::from((*b.cast::<PyDateTime_Delta>()).days))
            }
            (Kind::Delta, Kind::Date) => {
                date_plus_days(b, i128::from((*a.cast::<PyDateTime_Delta>()).days))
            }
            (Kind::Delta, Kind::Delta) => delta(delta_us(a) + delta_us(b)),
            _ => Ok(crate::longobject::not_implemented()),
        }
    }
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn sub(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        match (kind(a), kind(b)) {
            (Kind::DateTime, Kind::DateTime) => {
                let (fa, fb) = (fields(a), fields(b));
                let (mut oa, mut ob) = (None, None);
                if tzinfo_of(a) != tzinfo_of(b) {
                    oa = utcoffset_of(a)?;
                    ob = utcoffset_of(b)?;
                    if oa.is_some() != ob.is_some() {
                        return fail(
                            &raw mut EXC_TypeError,
                            "can't subtract offset-naive and offset-aware datetimes",
                        );
                    }
                }
                delta((fa.total_us() - oa.unwrap_or(0)) - (fb.total_us() - ob.unwrap_or(0)))
            }
            (Kind::DateTime, Kind::Delta) => shift(a, -delta_us(b)),
            (Kind::Date, Kind::Date) => {
                let (fa, fb) = (fields(a), fields(b));
                let days = to_ordinal(fa.y, fa.mo, fa.d) - to_ordinal(fb.y, fb.mo, fb.d);
                delta(i128::from(days) * US_PER_DAY)
            }
            (Kind::Date, Kind::Delta) => {
                date_plus_days(a, -i128::from((*b.cast::<PyDateTime_Delta>()).days))
            }
            (Kind::Delta, Kind::Delta) => delta(delta_us(a) - delta_us(b)),
            _ => Ok(crate::longobject::not_implemented()),
        }
    }
}

pub(super) unsafe extern "C" fn nb_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands (slot contract).
    crate::ffi_guard::guard("datetime +", null_mut(), || done(unsafe { add(a, b) }))
}

pub(super) unsafe extern "C" fn nb_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands (slot contract).
    crate::ffi_guard::guard("datetime -", null_mut(), || done(unsafe { sub(a, b) }))
}

/// `round(n / d)` with ties to even (`d != 0`).
fn divide_nearest(n: &BigInt, d: &BigInt) -> BigInt {
    let (q, r): (BigInt, BigInt) = n.div_mod_floor(d);
    let twice: BigInt = (&r * BigInt::from(2)).abs();
    let c = twice.cmp(&d.abs());
    if c == std::cmp::Ordering::Greater || (c == std::cmp::Ordering::Equal && q.is_odd()) {
        q + 1
    } else {
        q
    }
}

/// The operand of `timedelta * x` / `timedelta / x`: an int or a float's exact ratio.
enum Scalar {
    Int(BigInt),
    Ratio(BigInt, BigInt),
}

/// # Safety
/// `o` must be live.
unsafe fn scalar(o: *mut PyObject) -> R<Option<Scalar>> {
    // SAFETY: forwarded contract.
    unsafe {
        if crate::longobject::is_int(o) {
            return Ok(Some(Scalar::Int(crate::longobject::to_bigint(o))));
        }
        if is(o, &raw mut crate::floatobject::PyFloat_Type) {
            return match crate::floatobject::integer_ratio(crate::floatobject::value(o)) {
                Ok((n, d)) => Ok(Some(Scalar::Ratio(n, d))),
                Err((true, m)) => fail(&raw mut EXC_OverflowError, m),
                Err((false, m)) => fail(&raw mut EXC_ValueError, m),
            };
        }
        Ok(None)
    }
}

fn int_zero_div<T>() -> R<T> {
    fail(&raw mut EXC_ZeroDivisionError, "division by zero")
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn mul(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        let (d, o) = match (kind(a), kind(b)) {
            (Kind::Delta, Kind::Other) => (a, b),
            (Kind::Other, Kind::Delta) => (b, a),
            _ => return Ok(crate::longobject::not_implemented()),
        };
        let us = BigInt::from(delta_us(d));
        match scalar(o)? {
            Some(Scalar::Int(n)) => delta_from_big(&(us * n)),
            Some(Scalar::Ratio(n, den)) => delta_from_big(&divide_nearest(&(us * n), &den)),
            None => Ok(crate::longobject::not_implemented()),
        }
    }
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn truediv(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if kind(a) != Kind::Delta {
            return Ok(crate::longobject::not_implemented());
        }
        let us = BigInt::from(delta_us(a));
        if kind(b) == Kind::Delta {
            let v =
                crate::longobject::true_divide(&us, &BigInt::from(delta_us(b))).map_err(|m| {
                    let t: *mut PyTypeObject = if m.contains("zero") {
                        &raw mut EXC_ZeroDivisionError
                    } else {
                        &raw mut EXC_OverflowError
                    };
                    raise(t, m);
                })?;
            return ok(crate::floatobject::from_f64(v));
        }
        match scalar(b)? {
            Some(Scalar::Int(n)) => {
                if n.is_zero() {
                    return int_zero_div();
                }
                delta_from_big(&divide_nearest(&us, &n))
            }
            Some(Scalar::Ratio(n, den)) => {
                if n.is_zero() {
                    return int_zero_div();
                }
                delta_from_big(&divide_nearest(&(us * den), &n))
            }
            None => Ok(crate::longobject::not_implemented()),
        }
    }
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn floordiv(a: *mut PyObject, b: *mut PyObject) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if kind(a) != Kind::Delta {
            return Ok(crate::longobject::not_implemented());
        }
        let us = delta_us(a);
        if kind(b) == Kind::Delta {
            let d = delta_us(b);
            if d == 0 {
                return int_zero_div();
            }
            return ok(crate::longobject::from_i128(floor_divmod(us, d).0));
        }
        if crate::longobject::is_int(b) {
            let n = crate::longobject::to_bigint(b);
            if n.is_zero() {
                return int_zero_div();
            }
            return delta_from_big(&BigInt::from(us).div_floor(&n));
        }
        Ok(crate::longobject::not_implemented())
    }
}

/// `(a // b, a % b)` of two timedeltas, floor semantics.
fn floor_divmod(a: i128, b: i128) -> (i128, i128) {
    let (q, r) = (a / b, a % b);
    if r != 0 && ((r < 0) != (b < 0)) {
        (q - 1, r + b)
    } else {
        (q, r)
    }
}

/// # Safety
/// `a` and `b` must be live.
unsafe fn rem(a: *mut PyObject, b: *mut PyObject, both: bool) -> R<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe {
        if kind(a) != Kind::Delta || kind(b) != Kind::Delta {
            return Ok(crate::longobject::not_implemented());
        }
        let d = delta_us(b);
        if d == 0 {
            return if both {
                int_zero_div()
            } else {
                fail(&raw mut EXC_ZeroDivisionError, "division by zero")
            };
        }
        let (q, r) = floor_divmod(delta_us(a), d);
        let r = delta(r)?;
        if !both {
            return Ok(r);
        }
        ok(crate::longobject::pair(crate::longobject::from_i128(q), r))
    }
}

macro_rules! binary_slot {
    ($name:ident, $f:expr) => {
        pub(super) unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            crate::ffi_guard::guard(stringify!($name), null_mut(), || {
                // SAFETY: live operands (slot contract).
                done(unsafe { $f(a, b) })
            })
        }
    };
}

binary_slot!(nb_mul, mul);
binary_slot!(nb_truediv, truediv);
binary_slot!(nb_floordiv, floordiv);
binary_slot!(nb_rem, |a, b| rem(a, b, false));
binary_slot!(nb_divmod, |a, b| rem(a, b, true));

pub(super) unsafe extern "C" fn nb_neg(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timedelta (slot contract).
    done(delta(-unsafe { delta_us(a) }))
}

pub(super) unsafe extern "C" fn nb_pos(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timedelta (slot contract).
    done(delta(unsafe { delta_us(a) }))
}

pub(super) unsafe extern "C" fn nb_abs(a: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live timedelta (slot contract).
    done(delta(unsafe { delta_us(a) }.abs()))
}

pub(super) unsafe extern "C" fn nb_bool(a: *mut PyObject) -> c_int {
    // SAFETY: a live timedelta (slot contract).
    c_int::from(unsafe { delta_us(a) } != 0)
}

// --- timedelta(...) with ints and floats ---

/// The components' sum in microseconds, as CPython accumulates it: exact integer parts, the
/// float fractions added up separately and rounded half to even at the end.
///
/// # Safety
/// Each value NULL or live.
pub(super) unsafe fn delta_components(vals: &[*mut PyObject]) -> R<i128> {
    const NAMES: [&str; 7] = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    const FACTORS: [i128; 7] = [
        US_PER_DAY,
        US_PER_SEC,
        1,
        1000,
        60 * US_PER_SEC,
        3600 * US_PER_SEC,
        7 * US_PER_DAY,
    ];
    let too_big = || {
        fail::<i128>(
            &raw mut EXC_OverflowError,
            "Python int too large to convert to C int",
        )
    };
    let mut sum: i128 = 0;
    let mut leftover = 0.0f64;
    let mut any_float = false;
    // microseconds first, as CPython folds them in that order
    for i in [2usize, 3, 1, 4, 5, 0, 6] {
        let o = vals[i];
        if o.is_null() {
            continue;
        }
        // SAFETY: forwarded contract.
        unsafe {
            if crate::longobject::is_int(o) {
                let Some(v) = crate::longobject::value_i128(o)
                    .and_then(|v| v.checked_mul(FACTORS[i]))
                    .filter(|v| v.unsigned_abs() < 1u128 << 100)
                else {
                    return too_big();
                };
                sum += v;
            } else if is(o, &raw mut crate::floatobject::PyFloat_Type) {
                any_float = true;
                let x = crate::floatobject::value(o);
                if !x.is_finite() {
                    if x.is_nan() {
                        return fail(
                            &raw mut EXC_ValueError,
                            "cannot convert float NaN to integer",
                        );
                    }
                    return fail(
                        &raw mut EXC_OverflowError,
                        "cannot convert float infinity to integer",
                    );
                }
                let ip = x.trunc();
                if ip.abs() > 1e30 {
                    return too_big();
                }
                let frac = x - ip;
                sum += (ip as i128) * FACTORS[i];
                if frac != 0.0 {
                    let scaled = frac * FACTORS[i] as f64;
                    let sp = scaled.trunc();
                    sum += sp as i128;
                    leftover += scaled - sp;
                }
            } else {
                return fail(
                    &raw mut EXC_TypeError,
                    &format!(
                        "unsupported type for timedelta {} component: {}",
                        NAMES[i],
                        crate::object::type_name(crate::object::ty(o))
                    ),
                );
            }
        }
    }
    if any_float && leftover != 0.0 {
        let mut whole = leftover.round();
        if (whole - leftover).abs() == 0.5 {
            // a tie: to even, judged on the whole sum
            let odd = sum.rem_euclid(2) as f64;
            whole = 2.0 * ((leftover + odd) * 0.5).round() - odd;
        }
        sum += whole as i128;
    }
    Ok(sum)
}

// --- tables and class attributes ---

pub(super) static mut DATE_METHODS: [PyMethodDef; 18] = [
    method(
        c"__reduce__",
        pickle::any_reduce as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"__reduce_ex__",
        pickle::any_reduce_ex as *mut c_void,
        METH_O,
    ),
    method(
        c"fromisoformat",
        iso::date_fromisoformat as *mut c_void,
        METH_O | METH_CLASS,
    ),
    method(
        c"fromisocalendar",
        iso::date_fromisocalendar as *mut c_void,
        METH_VARARGS | METH_KEYWORDS | METH_CLASS,
    ),
    method(
        c"isocalendar",
        iso::date_isocalendar as *mut c_void,
        METH_NOARGS,
    ),
    method(c"ctime", iso::any_ctime as *mut c_void, METH_NOARGS),
    method(
        c"today",
        date_today as *mut c_void,
        METH_NOARGS | METH_CLASS,
    ),
    method(
        c"fromtimestamp",
        date_fromtimestamp_m as *mut c_void,
        METH_VARARGS | METH_CLASS,
    ),
    method(
        c"fromordinal",
        date_fromordinal as *mut c_void,
        METH_O | METH_CLASS,
    ),
    method(c"isoformat", date_isoformat as *mut c_void, METH_NOARGS),
    method(c"toordinal", date_toordinal as *mut c_void, METH_NOARGS),
    method(c"weekday", date_weekday as *mut c_void, METH_NOARGS),
    method(c"isoweekday", date_isoweekday as *mut c_void, METH_NOARGS),
    method(
        c"replace",
        date_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"__format__", date_format as *mut c_void, METH_O),
    method(
        c"strftime",
        any_strftime as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"timetuple", any_timetuple as *mut c_void, METH_NOARGS),
    PyMethodDef::END,
];

pub(super) static mut DATETIME_METHODS: [PyMethodDef; 19] = [
    method(
        c"fromisoformat",
        iso::datetime_fromisoformat as *mut c_void,
        METH_O | METH_CLASS,
    ),
    method(
        c"utctimetuple",
        iso::datetime_utctimetuple as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"now",
        datetime_now as *mut c_void,
        METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
    ),
    method(
        c"utcnow",
        datetime_utcnow as *mut c_void,
        METH_NOARGS | METH_CLASS,
    ),
    method(
        c"fromtimestamp",
        datetime_fromtimestamp_m as *mut c_void,
        METH_VARARGS | METH_KEYWORDS | METH_CLASS,
    ),
    method(
        c"utcfromtimestamp",
        datetime_utcfromtimestamp as *mut c_void,
        METH_VARARGS | METH_CLASS,
    ),
    method(
        c"combine",
        datetime_combine as *mut c_void,
        METH_VARARGS | METH_KEYWORDS | METH_CLASS,
    ),
    method(c"date", datetime_date as *mut c_void, METH_NOARGS),
    method(c"time", datetime_time as *mut c_void, METH_NOARGS),
    method(c"timetz", datetime_timetz as *mut c_void, METH_NOARGS),
    method(c"utcoffset", any_utcoffset as *mut c_void, METH_NOARGS),
    method(c"dst", any_dst as *mut c_void, METH_NOARGS),
    method(c"tzname", any_tzname as *mut c_void, METH_NOARGS),
    method(
        c"isoformat",
        datetime_isoformat as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"replace",
        datetime_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"astimezone",
        datetime_astimezone as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"timestamp", datetime_timestamp as *mut c_void, METH_NOARGS),
    method(c"__format__", date_format as *mut c_void, METH_O),
    PyMethodDef::END,
];

pub(super) static mut TIME_METHODS: [PyMethodDef; 11] = [
    method(
        c"__reduce__",
        pickle::any_reduce as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"__reduce_ex__",
        pickle::any_reduce_ex as *mut c_void,
        METH_O,
    ),
    method(
        c"fromisoformat",
        iso::time_fromisoformat as *mut c_void,
        METH_O | METH_CLASS,
    ),
    method(
        c"isoformat",
        time_isoformat as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(
        c"replace",
        time_replace as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    method(c"utcoffset", any_utcoffset as *mut c_void, METH_NOARGS),
    method(c"dst", any_dst as *mut c_void, METH_NOARGS),
    method(c"tzname", any_tzname as *mut c_void, METH_NOARGS),
    method(c"__format__", date_format as *mut c_void, METH_O),
    method(
        c"strftime",
        any_strftime as *mut c_void,
        METH_VARARGS | METH_KEYWORDS,
    ),
    PyMethodDef::END,
];

pub(super) static mut DELTA_METHODS: [PyMethodDef; 3] = [
    method(
        c"__reduce__",
        pickle::delta_reduce as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"total_seconds",
        delta_total_seconds as *mut c_void,
        METH_NOARGS,
    ),
    PyMethodDef::END,
];

pub(super) static mut TZINFO_METHODS: [PyMethodDef; 6] = [
    method(
        c"__reduce__",
        pickle::tzinfo_reduce as *mut c_void,
        METH_NOARGS,
    ),
    method(c"utcoffset", tzinfo_utcoffset as *mut c_void, METH_O),
    method(c"dst", tzinfo_dst as *mut c_void, METH_O),
    method(c"tzname", tzinfo_tzname as *mut c_void, METH_O),
    method(c"fromutc", tzinfo_fromutc as *mut c_void, METH_O),
    PyMethodDef::END,
];

pub(super) static mut TIMEZONE_METHODS: [PyMethodDef; 6] = [
    method(
        c"__getinitargs__",
        pickle::timezone_getinitargs as *mut c_void,
        METH_NOARGS,
    ),
    method(c"utcoffset", timezone_utcoffset as *mut c_void, METH_O),
    method(c"dst", timezone_dst as *mut c_void, METH_O),
    method(c"tzname", timezone_tzname as *mut c_void, METH_O),
    method(c"fromutc", timezone_fromutc as *mut c_void, METH_O),
    PyMethodDef::END,
];

/// `format(x, spec)`: `str(x)` for an empty spec, else `x.strftime(spec)`.
unsafe extern "C" fn date_format(op: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    meth!("date.__format__", |op, spec| {
        if !crate::unicodeobject::is_str(spec) {
            return fail(
                &raw mut EXC_TypeError,
                &format!(
                    "__format__() argument 1 must be str, not {}",
                    crate::object::type_name(crate::object::ty(spec))
                ),
            );
        }
        match crate::unicodeobject::as_str(spec) {
            Some("") | None => ok(crate::object::str(op)),
            Some(f) => ok(text(strftime_text(op, f)?)),
        }
    })
}

/// C `strftime` over a `tm` (CPython's growing buffer).
pub(crate) fn fmt_struct_tm(fmt: &str, tm: &libc::tm) -> R<String> {
    if fmt.is_empty() {
        return Ok(String::new());
    }
    let Ok(c) = std::ffi::CString::new(fmt) else {
        return fail(&raw mut EXC_ValueError, "embedded null character");
    };
    let mut size = 1024usize;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: a buffer of `size` bytes, a NUL-terminated format and a valid tm.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), size, c.as_ptr(), tm) };
        if n > 0 || size >= 256 * fmt.len() {
            return Ok(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        size *= 2;
    }
}

/// The nine `timetuple()` fields of a date, datetime or time (times on 1900-01-01).
///
/// # Safety
/// `op` must be a live date, datetime or time.
unsafe fn timetuple_fields(op: *mut PyObject) -> R<[i64; 9]> {
    // SAFETY: forwarded contract.
    unsafe {
        let k = kind(op);
        let mut f = fields(op);
        if k == Kind::Time {
            (f.y, f.mo, f.d) = (1900, 1, 1);
        }
        let dst = match k {
            Kind::DateTime | Kind::Time => {
                let arg = if k == Kind::DateTime { op } else { none() };
                match tz_call_offset(tzinfo_of(op), "dst", arg)? {
                    None => -1,
                    Some(0) => 0,
                    Some(_) => 1,
                }
            }
            _ => -1,
        };
        let ord = to_ordinal(f.y, f.mo, f.d);
        Ok([
            f.y,
            f.mo,
            f.d,
            f.h,
            f.mi,
            f.s,
            (ord + 6) % 7,
            ord - to_ordinal(f.y, 1, 1) + 1,
            dst,
        ])
    }
}

/// `x.strftime(fmt)`: `%f`, `%z` and `%Z` filled in here, the rest by C `strftime`.
///
/// # Safety
/// `op` must be a live date, datetime or time.
unsafe fn strftime_text(op: *mut PyObject, fmt: &str) -> R<String> {
    // SAFETY: forwarded contract.
    unsafe {
        let k = kind(op);
        let f = fields(op);
        let aware = matches!(k, Kind::DateTime | Kind::Time);
        let mut out = String::with_capacity(fmt.len());
        let mut chars = fmt.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('f') => out.push_str(&format!("{:06}", if aware { f.us } else { 0 })),
                // CPython 3.13+ gives years below 1000 four digits (`%Y`, `%G`, `%F`) and the
                // century two (`%C`), where C strftime writes no leading zeros
                Some(c @ ('Y' | 'G' | 'C' | 'F')) if k != Kind::Time && f.y < 1000 => match c {
                    'Y' => out.push_str(&format!("{:04}", f.y)),
                    'G' => {
                        let (iy, _, _) = iso::iso_calendar(to_ordinal(f.y, f.mo, f.d), f.y);
                        out.push_str(&format!("{iy:04}"));
                    }
                    'C' => out.push_str(&format!("{:02}", f.y / 100)),
                    _ => out.push_str(&format!("{:04}-%m-%d", f.y)),
                },
                Some('z') => {
                    if aware && let Some(off) = utcoffset_of(op)? {
                        out.push_str(&fmt_offset(off, "").replace('%', "%%"));
                    }
                }
                Some('Z') => {
                    if aware {
                        let arg = if k == Kind::DateTime { op } else { none() };
                        let n = tz_call_name(tzinfo_of(op), arg)?;
                        if n != none() {
                            out.push_str(
                                &crate::unicodeobject::as_str(n)
                                    .unwrap_or("")
                                    .replace('%', "%%"),
                            );
                        }
                        decref(n);
                    }
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        let v = timetuple_fields(op)?;
        let mut tm: libc::tm = std::mem::zeroed();
        tm.tm_year = (v[0] - 1900) as c_int;
        tm.tm_mon = (v[1] - 1) as c_int;
        tm.tm_mday = v[2] as c_int;
        tm.tm_hour = v[3] as c_int;
        tm.tm_min = v[4] as c_int;
        tm.tm_sec = v[5] as c_int;
        tm.tm_wday = ((v[6] + 1) % 7) as c_int;
        tm.tm_yday = (v[7] - 1) as c_int;
        tm.tm_isdst = v[8] as c_int;
        fmt_struct_tm(&out, &tm)
    }
}

unsafe extern "C" fn any_strftime(
    op: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    meth!("strftime", |op, args, kw| {
        let v = parse_kw("strftime", args, kw, &["format"], 1)?;
        let f = str_arg("strftime", 1, v[0], "")?;
        ok(text(strftime_text(op, &f)?))
    })
}

unsafe extern "C" fn any_timetuple(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    meth!("timetuple", |op| {
        crate::timemodule::new_struct_time(timetuple_fields(op)?, None, None)
    })
}

pub(super) static mut DELTA_AS_NUMBER: crate::object::PyNumberMethods =
    crate::object::PyNumberMethods {
        nb_add: Some(nb_add),
        nb_subtract: Some(nb_sub),
        nb_multiply: Some(nb_mul),
        nb_remainder: Some(nb_rem),
        nb_divmod: Some(nb_divmod),
        nb_negative: Some(nb_neg),
        nb_positive: Some(nb_pos),
        nb_absolute: Some(nb_abs),
        nb_bool: Some(nb_bool),
        nb_floor_divide: Some(nb_floordiv),
        nb_true_divide: Some(nb_truediv),
        ..crate::longobject::NB_EMPTY
    };

pub(super) static mut DATE_AS_NUMBER: crate::object::PyNumberMethods =
    crate::object::PyNumberMethods {
        nb_add: Some(nb_add),
        nb_subtract: Some(nb_sub),
        ..crate::longobject::NB_EMPTY
    };

/// Puts `min`, `max`, `resolution` (and `timezone.utc/min/max`) in the type dicts.
pub(super) fn add_class_attributes() -> R<()> {
    let day = || delta(US_PER_DAY);
    let us1 = || delta(1);
    let min_dt = Fields {
        y: 1,
        mo: 1,
        d: 1,
        h: 0,
        mi: 0,
        s: 0,
        us: 0,
    };
    let max_dt = Fields {
        y: 9999,
        mo: 12,
        d: 31,
        h: 23,
        mi: 59,
        s: 59,
        us: 999_999,
    };
    let max_delta = i128::from(999_999_999i64) * US_PER_DAY + US_PER_DAY - 1;
    let tz_edge = |us: i128| -> R<*mut PyObject> {
        let d = delta(us)?;
        // SAFETY: `d` is a live timedelta.
        let tz = unsafe { new_timezone(d, null_mut()) };
        // SAFETY: our reference.
        unsafe { decref(d) };
        ok(tz)
    };
    let minute = 60 * US_PER_SEC;
    let entries: Vec<(*mut PyTypeObject, &str, R<*mut PyObject>)> = vec![
        (
            &raw mut Date_Type,
            "min",
            ok(new_date(1, 1, 1, &raw mut Date_Type)),
        ),
        (
            &raw mut Date_Type,
            "max",
            ok(new_date(9999, 12, 31, &raw mut Date_Type)),
        ),
        (&raw mut Date_Type, "resolution", day()),
        (
            &raw mut DateTime_Type,
            "min",
            datetime_of(min_dt, none(), 0, &raw mut DateTime_Type),
        ),
        (
            &raw mut DateTime_Type,
            "max",
            datetime_of(max_dt, none(), 0, &raw mut DateTime_Type),
        ),
        (&raw mut DateTime_Type, "resolution", us1()),
        (
            &raw mut Time_Type,
            "min",
            ok(new_time(0, 0, 0, 0, none(), 0, &raw mut Time_Type)),
        ),
        (
            &raw mut Time_Type,
            "max",
            ok(new_time(23, 59, 59, 999_999, none(), 0, &raw mut Time_Type)),
        ),
        (&raw mut Time_Type, "resolution", us1()),
        (&raw mut Delta_Type, "min", delta(-999_999_999 * US_PER_DAY)),
        (&raw mut Delta_Type, "max", delta(max_delta)),
        (&raw mut Delta_Type, "resolution", us1()),
        (
            &raw mut TimeZone_Type,
            "min",
            tz_edge(-(US_PER_DAY - minute)),
        ),
        (&raw mut TimeZone_Type, "max", tz_edge(US_PER_DAY - minute)),
    ];
    let mut result = Ok(());
    for (t, name, v) in entries {
        match v {
            Ok(v) => {
                // SAFETY: a ready static type; `v` is our reference.
                unsafe {
                    let d = crate::object::ensure_dict(t);
                    if !d.is_null() {
                        crate::dictobject::set_item_str(d, name, v);
                    }
                    decref(v);
                }
            }
            Err(()) => result = Err(()),
        }
    }
    result
}
