//! ISO 8601 parsing (`date/datetime/time.fromisoformat`, CPython 3.11's accepted forms), ISO
//! calendar (`isocalendar`, `fromisocalendar`, `datetime.IsoCalendarDate`), `ctime()` and
//! `utctimetuple()`.

use super::ops::{Fields, R, delta, fields, from_ordinal, to_ordinal};
use super::*;
use crate::structseq::{PyStructSequence_Desc, PyStructSequence_Field};

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

/// A cursor over ASCII digits and separators.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |a, &d| a * 10 + i64::from(d - b'0')))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
}

/// The Monday of ISO week 1 of `y`, as an ordinal.
fn week1_monday(y: i64) -> i64 {
    let jan4 = to_ordinal(y, 1, 4);
    jan4 - (jan4 + 6) % 7
}

/// `(year, week, weekday)` of an ordinal.
pub(super) fn iso_calendar(ord: i64, y: i64) -> (i64, i64, i64) {
    let mut iy = y;
    if ord >= week1_monday(y + 1) {
        iy = y + 1;
    } else if ord < week1_monday(y) {
        iy = y - 1;
    }
    (iy, (ord - week1_monday(iy)) / 7 + 1, (ord + 6) % 7 + 1)
}

/// The ordinal of an ISO week date, with `fromisocalendar`'s checks.
fn from_iso_calendar(y: i64, w: i64, d: i64) -> R<i64> {
    if !(1..=9999).contains(&y) {
        return fail(
            &raw mut EXC_ValueError,
            &format!("year must be in 1..9999, not {y}"),
        );
    }
    let jan1 = (to_ordinal(y, 1, 1) + 6) % 7; // Monday = 0
    let long = jan1 == 3 || (jan1 == 2 && days_in_month(y as i32, 2) == 29);
    if w < 1 || w > 52 + i64::from(long) {
        return fail(&raw mut EXC_ValueError, &format!("Invalid week: {w}"));
    }
    if !(1..=7).contains(&d) {
        return fail(
            &raw mut EXC_ValueError,
            &format!("Invalid weekday: {d} (range is [1, 7])"),
        );
    }
    Ok(week1_monday(y) + (w - 1) * 7 + (d - 1))
}

/// A date part: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]`, `YYYYWww[D]`; `(y, m, d)`.
fn scan_date(s: &mut Scan) -> Option<R<(i64, i64, i64)>> {
    let y = s.digits(4)?;
    let ext = s.eat(b'-');
    if s.eat(b'W') {
        let w = s.digits(2)?;
        let mut d = 1;
        if ext {
            if s.eat(b'-') {
                d = s.digits(1)?;
            }
        } else if let Some(v) = s.digits(1) {
            d = v;
        }
        return Some(from_iso_calendar(y, w, d).map(|o| {
            let (y, m, d) = from_ordinal(o);
            (y, m, d)
        }));
    }
    let m = s.digits(2)?;
    if ext && !s.eat(b'-') {
        return None;
    }
    let d = s.digits(2)?;
    Some(Ok((y, m, d)))
}

/// A time part: `HH[:MM[:SS[.f+]]]` or `HH[MM[SS[.f+]]]`; `(h, m, s, us)`.
fn scan_time(s: &mut Scan) -> Option<(i64, i64, i64, i64)> {
    let h = s.digits(2)?;
    let (mut mi, mut sec, mut us) = (0, 0, 0);
    let ext = s.peek() == Some(b':');
    let sep = |s: &mut Scan| if ext { s.eat(b':') } else { true };
    if matches!(s.peek(), Some(b':') | Some(b'0'..=b'9')) {
        if !sep(s) {
            return None;
        }
        mi = s.digits(2)?;
        if matches!(s.peek(), Some(b':') | Some(b'0'..=b'9')) {
            if !sep(s) {
                return None;
            }
            sec = s.digits(2)?;
            if s.eat(b'.') || s.eat(b',') {
                let start = s.i;
                while s.peek().is_some_and(|c| c.is_ascii_digit()) {
                    s.i += 1;
                }
                let frac = &s.b[start..s.i];
                if frac.is_empty() {
                    return None;
                }
                let mut v = 0;
                for k in 0..6 {
                    v = v * 10 + frac.get(k).map_or(0, |&d| i64::from(d - b'0'));
                }
                us = v;
            }
        }
    }
    Some((h, mi, sec, us))
}

/// A UTC offset: `Z` or `±HH[:MM[:SS[.ffffff]]]` (or the basic form); microseconds.
fn scan_offset(s: &mut Scan) -> Option<Option<i128>> {
    if s.done() {
        return Some(None);
    }
    if s.eat(b'Z') {
        return Some(Some(0));
    }
    let sign = if s.eat(b'+') {
        1
    } else if s.eat(b'-') {
        -1
    } else {
        return None;
    };
    let (h, m, sec, us) = scan_time(s)?;
    let total = ((h * 3600 + m * 60 + sec) * 1_000_000 + us) as i128;
    Some(Some(sign * total))
}

/// A `timezone` for an offset (the UTC singleton for zero).
fn make_tz(us: i128) -> R<*mut PyObject> {
    if us == 0 {
        // SAFETY: the process-lifetime UTC object.
        return Ok(unsafe { new_ref(utc()) });
    }
    let d = delta(us)?;
    // SAFETY: a live timedelta, our reference.
    unsafe {
        let tz = new_timezone(d, null_mut());
        decref(d);
        ok(tz)
    }
}

/// The str argument of the `fromisoformat` functions.
///
/// # Safety
/// `o` must be live.
unsafe fn iso_arg<'a>(o: *mut PyObject) -> R<&'a str> {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::unicodeobject::is_str(o) {
            return fail(
                &raw mut EXC_TypeError,
                "fromisoformat: argument must be str",
            );
        }
        crate::unicodeobject::as_str(o).ok_or(())
    }
}

fn invalid<T>(text: &str) -> R<T> {
    let r = crate::unicodeobject::from_str(text);
    // SAFETY: `r` is a fresh str (or NULL).
    let shown = if r.is_null() {
        format!("'{text}'")
    } else {
        // SAFETY: `r` is a live object returned to us.
        let s = unsafe { crate::object::repr_string(r) };
        // SAFETY: our reference.
        unsafe { decref(r) };
        s
    };
    fail(
        &raw mut EXC_ValueError,
        &format!("Invalid isoformat string: {shown}"),
    )
}

/// What `fromisoformat` parsed.
struct Parsed {
    date: Option<(i64, i64, i64)>,
    time: (i64, i64, i64, i64),
    offset: Option<i128>,
}

fn parse(text: &str, want_date: bool, want_time: bool) -> R<Parsed> {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
    };
    let mut p = Parsed {
        date: None,
        time: (0, 0, 0, 0),
        offset: None,
    };
    if want_date {
        match scan_date(&mut s) {
            Some(Ok(d)) => p.date = Some(d),
            Some(Err(())) => return Err(()),
            None => return invalid(text),
        }
        if s.done() || !want_time {
            return if s.done() { Ok(p) } else { invalid(text) };
        }
        // one separator character of any kind
        let rest = &text[s.i..];
        let Some(c) = rest.chars().next() else {
            return invalid(text);
        };
        s.i += c.len_utf8();
    } else if s.peek() == Some(b'T') {
        s.i += 1;
    }
    match scan_time(&mut s) {
        Some(t) => p.time = t,
        None => return invalid(text),
    }
    match scan_offset(&mut s) {
        Some(o) if s.done() => p.offset = o,
        _ => return invalid(text),
    }
    Ok(p)
}

fn c(v: i64) -> c_int {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as c_int
}

pub(super) unsafe extern "C" fn date_fromisoformat(
    cls: *mut PyObject,
    o: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("date.fromisoformat", null_mut(), || {
        // SAFETY: METH_O|METH_CLASS contract: a class and a live argument.
        done(unsafe {
            (|| {
                let text = iso_arg(o)?;
                if text.len() != 10 && text.len() != 8 {
                    return invalid(text);
                }
                let p = parse(text, true, false)?;
                let (y, m, d) = p.date.unwrap_or((1, 1, 1));
                super::ops::date_of_class(cls, y, m, d)
            })()
        })
    })
}

pub(super) unsafe extern "C" fn datetime_fromisoformat(
    cls: *mut PyObject,
    o: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.fromisoformat", null_mut(), || {
        // SAFETY: METH_O|METH_CLASS contract: a class and a live argument.
        done(unsafe {
            (|| {
                let text = iso_arg(o)?;
                let p = parse(text, true, true)?;
                let (y, m, d) = p.date.unwrap_or((1, 1, 1));
                let (h, mi, s, us) = p.time;
                let tz = match p.offset {
                    Some(off) => make_tz(off)?,
                    None => crate::object::new_none(),
                };
                let r = new_datetime(
                    c(y),
                    c(m),
                    c(d),
                    c(h),
                    c(mi),
                    c(s),
                    c(us),
                    tz,
                    0,
                    cls.cast(),
                );
                decref(tz);
                ok(r)
            })()
        })
    })
}

pub(super) unsafe extern "C" fn time_fromisoformat(
    cls: *mut PyObject,
    o: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("time.fromisoformat", null_mut(), || {
        // SAFETY: METH_O|METH_CLASS contract: a class and a live argument.
        done(unsafe {
            (|| {
                let text = iso_arg(o)?;
                let p = parse(text, false, true)?;
                let (h, mi, s, us) = p.time;
                let tz = match p.offset {
                    Some(off) => make_tz(off)?,
                    None => crate::object::new_none(),
                };
                let r = new_time(c(h), c(mi), c(s), c(us), tz, 0, cls.cast());
                decref(tz);
                ok(r)
            })()
        })
    })
}

static mut ISO_FIELDS: [PyStructSequence_Field; 4] = [
    PyStructSequence_Field {
        name: c"year".as_ptr(),
        doc: std::ptr::null(),
    },
    PyStructSequence_Field {
        name: c"week".as_ptr(),
        doc: std::ptr::null(),
    },
    PyStructSequence_Field {
        name: c"weekday".as_ptr(),
        doc: std::ptr::null(),
    },
    PyStructSequence_Field {
        name: std::ptr::null(),
        doc: std::ptr::null(),
    },
];

fn iso_calendar_type() -> *mut PyTypeObject {
    static T: OnceLock<Ptr> = OnceLock::new();
    T.get_or_init(|| {
        let mut desc = PyStructSequence_Desc {
            name: c"datetime.IsoCalendarDate".as_ptr(),
            doc: std::ptr::null(),
            fields: (&raw mut ISO_FIELDS).cast(),
            n_in_sequence: 3,
        };
        // SAFETY: a valid descriptor with a terminated field list.
        Ptr(unsafe { crate::structseq::PyStructSequence_NewType(&mut desc) } as usize)
    })
    .0 as *mut PyTypeObject
}

pub(super) unsafe extern "C" fn date_isocalendar(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("date.isocalendar", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live date.
        let f = unsafe { fields(op) };
        let (y, w, d) = iso_calendar(to_ordinal(f.y, f.mo, f.d), f.y);
        let t = iso_calendar_type();
        if t.is_null() {
            return null_mut();
        }
        let r = crate::structseq::new_instance(t);
        if r.is_null() {
            return r;
        }
        for (i, v) in [y, w, d].into_iter().enumerate() {
            // SAFETY: a fresh struct sequence being filled; the reference is stolen.
            unsafe {
                crate::structseq::PyStructSequence_SetItem(
                    r,
                    i as isize,
                    crate::longobject::from_i64(v),
                )
            };
        }
        r
    })
}

pub(super) unsafe extern "C" fn date_fromisocalendar(
    cls: *mut PyObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("date.fromisocalendar", null_mut(), || {
        // SAFETY: METH_VARARGS|METH_KEYWORDS|METH_CLASS contract.
        done(unsafe {
            (|| {
                let v =
                    super::ops::parse_kw("fromisocalendar", args, kw, &["year", "week", "day"], 3)?;
                let mut n = [0i64; 3];
                for (slot, &o) in n.iter_mut().zip(&v) {
                    *slot = i64::from(super::ops::int_or(o, 0)?);
                }
                let o = from_iso_calendar(n[0], n[1], n[2])?;
                let (y, m, d) = from_ordinal(o);
                super::ops::date_of_class(cls, y, m, d)
            })()
        })
    })
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) unsafe extern "C" fn any_ctime(op: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("ctime", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live date or datetime.
        let f = unsafe { fields(op) };
        let wd = (to_ordinal(f.y, f.mo, f.d) + 6) % 7;
        text(format!(
            "{} {} {:2} {:02}:{:02}:{:02} {:04}",
            DAYS[wd as usize],
            MONTHS[(f.mo - 1) as usize],
            f.d,
            f.h,
            f.mi,
            f.s,
            f.y
        ))
    })
}

pub(super) unsafe extern "C" fn datetime_utctimetuple(
    op: *mut PyObject,
    _: *mut PyObject,
) -> *mut PyObject {
    crate::ffi_guard::guard("datetime.utctimetuple", null_mut(), || {
        // SAFETY: METH_NOARGS contract: a live datetime.
        done(unsafe {
            (|| {
                let mut f = fields(op);
                if let Some(off) = super::ops::utcoffset_of(op)? {
                    f = match Fields::from_total(f.total_us() - off) {
                        Some(u) => u,
                        None => {
                            return fail(&raw mut EXC_OverflowError, "date value out of range");
                        }
                    };
                }
                let ord = to_ordinal(f.y, f.mo, f.d);
                crate::timemodule::new_struct_time(
                    [
                        f.y,
                        f.mo,
                        f.d,
                        f.h,
                        f.mi,
                        f.s,
                        (ord + 6) % 7,
                        ord - to_ordinal(f.y, 1, 1) + 1,
                        0,
                    ],
                    None,
                    None,
                )
            })()
        })
    })
}
