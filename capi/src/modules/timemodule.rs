//! A small `time` module: `time`, `time_ns`, `clock_gettime(_ns)`, `monotonic(_ns)`,
//! `perf_counter(_ns)`, `process_time(_ns)`, `thread_time(_ns)`, `sleep`, `gmtime`, `localtime`,
//! `mktime`, `strftime`, `asctime`, `ctime`, `tzset`, `struct_time`, the `CLOCK_*` constants and
//! `timezone`, `altzone`, `daylight`, `tzname`, with CPython's argument conventions
//! (time-machine patches the `PyMethodDef`s of these functions in place, so they are writable
//! statics) and messages.

use crate::datetime::{cint, fmt_struct_tm, int_arg, text, timestamp_arg, to_ordinal};
use crate::longobject::method;
use crate::methodobject::{METH_NOARGS, METH_O, METH_VARARGS, PyMethodDef};
use crate::object::{PyObject, PyTypeObject};
use crate::pyerrors::{EXC_OverflowError, EXC_TypeError, EXC_ValueError, raise};
use crate::refcount::decref;
use crate::structseq::{PyStructSequence_Desc, PyStructSequence_Field};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// A result whose error is an exception already set.
type R<T> = Result<T, ()>;

fn fail<T>(t: *mut PyTypeObject, msg: &str) -> R<T> {
    raise(t, msg);
    Err(())
}

fn ok(p: *mut PyObject) -> R<*mut PyObject> {
    if p.is_null() { Err(()) } else { Ok(p) }
}

fn clock(id: libc::clockid_t) -> R<(i64, i64)> {
    // SAFETY: a zeroed timespec is a valid output buffer.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer.
    if unsafe { libc::clock_gettime(id, &mut ts) } != 0 {
        let e = std::io::Error::last_os_error();
        let code = e.raw_os_error().unwrap_or(0);
        // SAFETY: strerror returns a NUL-terminated static string.
        let text = unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) }.to_string_lossy();
        return fail(
            &raw mut crate::pyerrors::EXC_OSError,
            &format!("[Errno {code}] {text}"),
        );
    }
    Ok((ts.tv_sec, ts.tv_nsec))
}

fn seconds(c: (i64, i64)) -> *mut PyObject {
    crate::floatobject::from_f64(c.0 as f64 + c.1 as f64 * 1e-9)
}

fn nanoseconds(c: (i64, i64)) -> *mut PyObject {
    crate::longobject::from_i128(i128::from(c.0) * 1_000_000_000 + i128::from(c.1))
}

fn done(r: R<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

unsafe extern "C" fn time_time(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_REALTIME).map(seconds))
}

unsafe extern "C" fn time_time_ns(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_REALTIME).map(nanoseconds))
}

unsafe extern "C" fn time_monotonic(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_MONOTONIC).map(seconds))
}

unsafe extern "C" fn time_monotonic_ns(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_MONOTONIC).map(nanoseconds))
}

/// The clock id argument of `clock_gettime`.
///
/// # Safety
/// `o` must be live.
unsafe fn clock_id(o: *mut PyObject) -> R<libc::clockid_t> {
    // CPython 3.14 takes an int that fits a C int, and names the argument otherwise
    // SAFETY: forwarded contract.
    unsafe {
        let bad = || {
            let t = crate::object::type_name(crate::object::ty(o));
            fail(
                &raw mut EXC_TypeError,
                &format!("clk_id should be integer, not {t}"),
            )
        };
        if !crate::longobject::is_int(o) {
            return bad();
        }
        let Some(v) = int_arg(o, 0) else {
            crate::pyerrors::clear();
            return bad();
        };
        libc::clockid_t::try_from(v).or_else(|_| bad())
    }
}

unsafe extern "C" fn time_clock_gettime(_: *mut PyObject, id: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.clock_gettime", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { clock_id(id) }.and_then(clock).map(seconds))
    })
}

unsafe extern "C" fn time_clock_gettime_ns(_: *mut PyObject, id: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.clock_gettime_ns", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        done(unsafe { clock_id(id) }.and_then(clock).map(nanoseconds))
    })
}

unsafe extern "C" fn time_sleep(_: *mut PyObject, secs: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.sleep", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let Some(s) = (unsafe { timestamp_arg(secs) }) else {
            return null_mut();
        };
        if s.is_nan() {
            return raise(&raw mut EXC_ValueError, "Invalid value NaN (not a number)");
        }
        if s < 0.0 {
            return raise(&raw mut EXC_ValueError, "sleep length must be non-negative");
        }
        std::thread::sleep(std::time::Duration::from_secs_f64(s.min(1e12)));
        crate::object::new_none()
    })
}

static mut STRUCT_TIME_FIELDS: [PyStructSequence_Field; 12] = [
    field(c"tm_year"),
    field(c"tm_mon"),
    field(c"tm_mday"),
    field(c"tm_hour"),
    field(c"tm_min"),
    field(c"tm_sec"),
    field(c"tm_wday"),
    field(c"tm_yday"),
    field(c"tm_isdst"),
    field(c"tm_zone"),
    field(c"tm_gmtoff"),
    PyStructSequence_Field {
        name: std::ptr::null(),
        doc: std::ptr::null(),
    },
];

const fn field(name: &'static std::ffi::CStr) -> PyStructSequence_Field {
    PyStructSequence_Field {
        name: name.as_ptr(),
        doc: std::ptr::null(),
    }
}

/// A process-lifetime object kept in a `OnceLock` (its address).
struct Ptr(usize);

/// `time.struct_time` (created once; lives for the process).
fn struct_time_type() -> *mut PyTypeObject {
    static T: OnceLock<Ptr> = OnceLock::new();
    T.get_or_init(|| {
        let mut desc = PyStructSequence_Desc {
            name: c"time.struct_time".as_ptr(),
            doc: std::ptr::null(),
            fields: (&raw mut STRUCT_TIME_FIELDS).cast(),
            n_in_sequence: 9,
        };
        // SAFETY: a valid descriptor with a terminated field list.
        Ptr(unsafe { crate::structseq::PyStructSequence_NewType(&mut desc) } as usize)
    })
    .0 as *mut PyTypeObject
}

/// A `struct_time` of C `tm` fields (`tm_wday` Monday = 0, `tm_yday` from 1, as Python has
/// them), with the zone name and offset.
pub(crate) fn new_struct_time(
    v: [i64; 9],
    zone: Option<&str>,
    gmtoff: Option<i64>,
) -> R<*mut PyObject> {
    let t = struct_time_type();
    if t.is_null() {
        return Err(());
    }
    let op = ok(crate::structseq::new_instance(t))?;
    let items = v.iter().map(|&x| crate::longobject::from_i64(x)).chain([
        zone.map_or_else(crate::object::new_none, |z| text(z.to_string())),
        gmtoff.map_or_else(crate::object::new_none, crate::longobject::from_i64),
    ]);
    for (i, item) in items.enumerate() {
        // SAFETY: a fresh struct sequence being filled; the item reference is stolen.
        unsafe { crate::structseq::PyStructSequence_SetItem(op, i as isize, item) };
        if item.is_null() {
            // SAFETY: our reference.
            unsafe { decref(op) };
            return Err(());
        }
    }
    Ok(op)
}

fn struct_time_of(tm: &libc::tm) -> R<*mut PyObject> {
    let zone = if tm.tm_zone.is_null() {
        None
    } else {
        // SAFETY: the C library sets tm_zone to a NUL-terminated string.
        Some(
            unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
                .to_string_lossy()
                .into_owned(),
        )
    };
    new_struct_time(
        [
            i64::from(tm.tm_year) + 1900,
            i64::from(tm.tm_mon) + 1,
            i64::from(tm.tm_mday),
            i64::from(tm.tm_hour),
            i64::from(tm.tm_min),
            i64::from(tm.tm_sec),
            i64::from((tm.tm_wday + 6) % 7),
            i64::from(tm.tm_yday) + 1,
            i64::from(tm.tm_isdst),
        ],
        zone.as_deref(),
        Some(tm.tm_gmtoff),
    )
}

/// The seconds argument of `gmtime`/`localtime` (absent or None: now), floored.
///
/// # Safety
/// `args` must be a live tuple.
unsafe fn seconds_arg(fname: &str, args: *mut PyObject) -> R<libc::time_t> {
    // SAFETY: forwarded contract.
    unsafe {
        let a = crate::tupleobject::items(args);
        if a.len() > 1 {
            return fail(
                &raw mut EXC_TypeError,
                &format!("{fname}() takes at most 1 argument ({} given)", a.len()),
            );
        }
        match a.first() {
            None => Ok(clock(libc::CLOCK_REALTIME)?.0 as libc::time_t),
            Some(&o) if o == crate::object::none() => {
                Ok(clock(libc::CLOCK_REALTIME)?.0 as libc::time_t)
            }
            Some(&o) => {
                if crate::longobject::is_int(o) {
                    return match crate::longobject::value_i128(o)
                        .and_then(|v| libc::time_t::try_from(v).ok())
                    {
                        Some(v) => Ok(v),
                        None => fail(
                            &raw mut EXC_OverflowError,
                            "timestamp out of range for platform time_t",
                        ),
                    };
                }
                let v = timestamp_arg(o).ok_or(())?;
                if v.is_nan() {
                    return fail(&raw mut EXC_ValueError, "Invalid value NaN (not a number)");
                }
                let f = v.floor();
                if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
                    return fail(
                        &raw mut EXC_OverflowError,
                        "timestamp out of range for platform time_t",
                    );
                }
                Ok(f as libc::time_t)
            }
        }
    }
}

fn broken(t: libc::time_t, local: bool) -> R<libc::tm> {
    // SAFETY: a zeroed tm is a valid output buffer.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers.
    let r = unsafe {
        if local {
            libc::localtime_r(&t, &mut tm)
        } else {
            libc::gmtime_r(&t, &mut tm)
        }
    };
    if r.is_null() {
        return fail(
            &raw mut EXC_OverflowError,
            "timestamp out of range for platform time_t",
        );
    }
    Ok(tm)
}

unsafe extern "C" fn time_gmtime(_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.gmtime", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a live tuple.
        done(
            unsafe { seconds_arg("gmtime", args) }.and_then(|t| struct_time_of(&broken(t, false)?)),
        )
    })
}

unsafe extern "C" fn time_localtime(_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.localtime", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a live tuple.
        done(
            unsafe { seconds_arg("localtime", args) }
                .and_then(|t| struct_time_of(&broken(t, true)?)),
        )
    })
}

/// A C `tm` from a 9-tuple or `struct_time` (`gettmarg`: `fname` names the function in the
/// length error).
///
/// # Safety
/// `o` must be live.
unsafe fn tuple_tm(fname: &str, o: *mut PyObject) -> R<libc::tm> {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::object::type_check(o, &raw mut crate::tupleobject::PyTuple_Type) {
            return fail(
                &raw mut EXC_TypeError,
                "Tuple or struct_time argument required",
            );
        }
        let items = crate::tupleobject::items(o);
        if items.len() != 9 {
            return fail(
                &raw mut EXC_TypeError,
                &format!("{fname}(): illegal time tuple argument"),
            );
        }
        let mut v = [0 as c_int; 9];
        for (slot, &it) in v.iter_mut().zip(items) {
            *slot = cint(int_arg(it, 0).ok_or(())?).ok_or(())?;
        }
        let mut tm: libc::tm = std::mem::zeroed();
        tm.tm_year = v[0].wrapping_sub(1900);
        tm.tm_mon = v[1].wrapping_sub(1);
        tm.tm_mday = v[2];
        tm.tm_hour = v[3];
        tm.tm_min = v[4];
        tm.tm_sec = v[5];
        tm.tm_wday = v[6].wrapping_add(1) % 7;
        tm.tm_yday = v[7].wrapping_sub(1);
        tm.tm_isdst = v[8];
        if crate::object::ty(o) == struct_time_type() {
            let full = o.cast::<u8>().add(48).cast::<*mut PyObject>();
            let zone = *full.add(9);
            if !zone.is_null()
                && let Some(z) = crate::unicodeobject::as_str(zone)
            {
                // Kept for the process: a struct tm only borrows its zone name.
                let c = std::ffi::CString::new(z).unwrap_or_default();
                tm.tm_zone = Box::leak(c.into_boxed_c_str()).as_ptr();
            }
            let off = *full.add(10);
            if !off.is_null() && crate::longobject::is_int(off) {
                tm.tm_gmtoff = crate::longobject::value_i128(off).unwrap_or(0) as libc::c_long;
            }
        }
        Ok(tm)
    }
}

/// `strftime`'s tuple: `tuple_tm` plus its normalisation and range checks.
///
/// # Safety
/// `o` must be live.
unsafe fn tm_arg(fname: &str, o: *mut PyObject) -> R<libc::tm> {
    // SAFETY: forwarded contract.
    unsafe {
        let mut tm = tuple_tm(fname, o)?;
        // strftime's normalisation and range checks
        if tm.tm_mon == -1 {
            tm.tm_mon = 0;
        } else if !(0..=11).contains(&tm.tm_mon) {
            return fail(&raw mut EXC_ValueError, "month out of range");
        }
        if tm.tm_mday == 0 {
            tm.tm_mday = 1;
        } else if !(0..=31).contains(&tm.tm_mday) {
            return fail(&raw mut EXC_ValueError, "day of month out of range");
        }
        if !(0..=23).contains(&tm.tm_hour) {
            return fail(&raw mut EXC_ValueError, "hour out of range");
        }
        if !(0..=59).contains(&tm.tm_min) {
            return fail(&raw mut EXC_ValueError, "minute out of range");
        }
        if !(0..=61).contains(&tm.tm_sec) {
            return fail(&raw mut EXC_ValueError, "seconds out of range");
        }
        if tm.tm_wday < 0 {
            return fail(&raw mut EXC_ValueError, "day of week out of range");
        }
        if tm.tm_yday == -1 {
            tm.tm_yday = 0;
        } else if !(0..=365).contains(&tm.tm_yday) {
            return fail(&raw mut EXC_ValueError, "day of year out of range");
        }
        tm.tm_isdst = tm.tm_isdst.clamp(-1, 1);
        Ok(tm)
    }
}

unsafe extern "C" fn time_strftime(_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.strftime", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a live tuple.
        let r = unsafe {
            (|| -> R<*mut PyObject> {
                let a = crate::tupleobject::items(args);
                if a.is_empty() || a.len() > 2 {
                    let msg = if a.is_empty() {
                        "strftime expected at least 1 argument, got 0".to_string()
                    } else {
                        format!("strftime expected at most 2 arguments, got {}", a.len())
                    };
                    return fail(&raw mut EXC_TypeError, &msg);
                }
                if !crate::unicodeobject::is_str(a[0]) {
                    return fail(
                        &raw mut EXC_TypeError,
                        &format!(
                            "strftime() argument 1 must be str, not {}",
                            crate::object::type_name(crate::object::ty(a[0]))
                        ),
                    );
                }
                let fmt = crate::unicodeobject::as_str(a[0]).unwrap_or("").to_string();
                let tm = match a.get(1) {
                    Some(&t) => tm_arg("strftime", t)?,
                    None => broken(clock(libc::CLOCK_REALTIME)?.0 as libc::time_t, true)?,
                };
                ok(text(fmt_struct_tm(&fmt, &tm)?))
            })()
        };
        done(r)
    })
}

unsafe extern "C" fn time_mktime(_: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.mktime", null_mut(), || {
        // SAFETY: METH_O contract: a live argument.
        let mut tm = match unsafe { tuple_tm("mktime", t) } {
            Ok(tm) => tm,
            Err(()) => return null_mut(),
        };
        tm.tm_wday = -1; // mktime sets it on success
        // SAFETY: a valid tm.
        let r = unsafe { libc::mktime(&mut tm) };
        if r == -1 && tm.tm_wday == -1 {
            return raise(&raw mut EXC_OverflowError, "mktime argument out of range");
        }
        crate::floatobject::from_f64(r as f64)
    })
}

unsafe extern "C" fn time_process_time(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_PROCESS_CPUTIME_ID).map(seconds))
}

unsafe extern "C" fn time_process_time_ns(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_PROCESS_CPUTIME_ID).map(nanoseconds))
}

unsafe extern "C" fn time_thread_time(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_THREAD_CPUTIME_ID).map(seconds))
}

unsafe extern "C" fn time_thread_time_ns(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    done(clock(libc::CLOCK_THREAD_CPUTIME_ID).map(nanoseconds))
}

/// `timezone`, `altzone`, `daylight` and `tzname` as CPython derives them: from the local
/// offsets of January 1 and July 1 of the current year.
fn zone_constants() -> R<(i64, i64, i64, String, String)> {
    let now = clock(libc::CLOCK_REALTIME)?.0 as libc::time_t;
    let year_start = {
        let tm = broken(now, false)?;
        let days = to_ordinal(i64::from(tm.tm_year) + 1900, 1, 1) - 719_163;
        days * 86_400
    };
    let jan = broken(year_start as libc::time_t, true)?;
    let jul = broken((year_start + 181 * 86_400) as libc::time_t, true)?;
    let name = |tm: &libc::tm| {
        if tm.tm_zone.is_null() {
            String::new()
        } else {
            // SAFETY: the C library sets tm_zone to a NUL-terminated string.
            unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
                .to_string_lossy()
                .into_owned()
        }
    };
    let (janzone, julzone) = (-jan.tm_gmtoff, -jul.tm_gmtoff);
    let daylight = i64::from(janzone != julzone);
    Ok(if janzone < julzone {
        // southern hemisphere: DST in January
        (julzone, janzone, daylight, name(&jul), name(&jan))
    } else {
        (janzone, julzone, daylight, name(&jan), name(&jul))
    })
}

/// `asctime`'s text: `Thu Jan  1 00:00:00 1970`.
fn asctime_text(tm: &libc::tm) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS[tm.tm_wday.rem_euclid(7) as usize],
        MONTHS[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    )
}

unsafe extern "C" fn time_asctime(_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.asctime", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a live tuple.
        let r = unsafe {
            (|| -> R<*mut PyObject> {
                let a = crate::tupleobject::items(args);
                if a.len() > 1 {
                    return fail(
                        &raw mut EXC_TypeError,
                        &format!("asctime expected at most 1 argument, got {}", a.len()),
                    );
                }
                let tm = match a.first() {
                    Some(&t) => tm_arg("asctime", t)?,
                    None => broken(clock(libc::CLOCK_REALTIME)?.0 as libc::time_t, true)?,
                };
                ok(text(asctime_text(&tm)))
            })()
        };
        done(r)
    })
}

unsafe extern "C" fn time_ctime(_: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.ctime", null_mut(), || {
        // SAFETY: METH_VARARGS contract: a live tuple.
        done(
            unsafe { seconds_arg("ctime", args) }
                .and_then(|t| ok(text(asctime_text(&broken(t, true)?)))),
        )
    })
}

unsafe extern "C" fn time_tzset(m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::ffi_guard::guard("time.tzset", null_mut(), || {
        unsafe extern "C" {
            fn tzset();
        }
        // SAFETY: the C library's tzset re-reads TZ; `m` is the time module (METH_NOARGS self).
        unsafe {
            tzset();
            if set_zone_constants(m).is_err() {
                return null_mut();
            }
        }
        crate::object::new_none()
    })
}

/// Stores `timezone`, `altzone`, `daylight` and `tzname` in the module's dict.
///
/// # Safety
/// `m` must be the live time module.
unsafe fn set_zone_constants(m: *mut PyObject) -> R<()> {
    let (tz, alt, daylight, std_name, dst_name) = zone_constants()?;
    // SAFETY: forwarded contract; every value put in the dict is live (NULL ones skipped).
    unsafe {
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        let names = crate::longobject::pair(text(std_name), text(dst_name));
        for (k, v) in [
            ("timezone", crate::longobject::from_i64(tz)),
            ("altzone", crate::longobject::from_i64(alt)),
            ("daylight", crate::longobject::from_i64(daylight)),
            ("tzname", names),
        ] {
            if v.is_null() {
                return Err(());
            }
            crate::dictobject::set_item_str(d, k, v);
            decref(v);
        }
    }
    Ok(())
}

static mut TIME_FUNCTIONS: [PyMethodDef; 21] = [
    method(c"asctime", time_asctime as *mut c_void, METH_VARARGS),
    method(c"ctime", time_ctime as *mut c_void, METH_VARARGS),
    method(c"tzset", time_tzset as *mut c_void, METH_NOARGS),
    method(c"mktime", time_mktime as *mut c_void, METH_O),
    method(
        c"process_time",
        time_process_time as *mut c_void,
        METH_NOARGS,
    ),
    method(
        c"process_time_ns",
        time_process_time_ns as *mut c_void,
        METH_NOARGS,
    ),
    method(c"thread_time", time_thread_time as *mut c_void, METH_NOARGS),
    method(
        c"thread_time_ns",
        time_thread_time_ns as *mut c_void,
        METH_NOARGS,
    ),
    method(c"time", time_time as *mut c_void, METH_NOARGS),
    method(c"time_ns", time_time_ns as *mut c_void, METH_NOARGS),
    method(c"monotonic", time_monotonic as *mut c_void, METH_NOARGS),
    method(
        c"monotonic_ns",
        time_monotonic_ns as *mut c_void,
        METH_NOARGS,
    ),
    method(c"perf_counter", time_monotonic as *mut c_void, METH_NOARGS),
    method(
        c"perf_counter_ns",
        time_monotonic_ns as *mut c_void,
        METH_NOARGS,
    ),
    method(c"clock_gettime", time_clock_gettime as *mut c_void, METH_O),
    method(
        c"clock_gettime_ns",
        time_clock_gettime_ns as *mut c_void,
        METH_O,
    ),
    method(c"sleep", time_sleep as *mut c_void, METH_O),
    method(c"gmtime", time_gmtime as *mut c_void, METH_VARARGS),
    method(c"localtime", time_localtime as *mut c_void, METH_VARARGS),
    method(c"strftime", time_strftime as *mut c_void, METH_VARARGS),
    PyMethodDef::END,
];

/// The `time` module (borrowed; lives for the process), or NULL with an exception.
pub(crate) fn module() -> *mut PyObject {
    static M: OnceLock<usize> = OnceLock::new();
    super::once(&M, "time", build_time)
}

fn build_time() -> *mut PyObject {
    let name = crate::unicodeobject::intern("time");
    // SAFETY: `name` is a live str; every value put in the dict is live (NULL ones skipped).
    unsafe {
        let m = crate::moduleobject::new_module(name);
        if m.is_null() {
            return m;
        }
        let d = (*m.cast::<crate::moduleobject::PyModuleObject>()).md_dict;
        if crate::moduleobject::add_functions(m, (&raw mut TIME_FUNCTIONS).cast()) < 0 {
            decref(m);
            return null_mut();
        }
        for (k, v) in [
            ("CLOCK_REALTIME", libc::CLOCK_REALTIME),
            ("CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC),
            ("CLOCK_PROCESS_CPUTIME_ID", libc::CLOCK_PROCESS_CPUTIME_ID),
            ("CLOCK_THREAD_CPUTIME_ID", libc::CLOCK_THREAD_CPUTIME_ID),
        ] {
            let o = crate::longobject::from_i64(i64::from(v));
            if !o.is_null() {
                crate::dictobject::set_item_str(d, k, o);
                decref(o);
            }
        }
        if set_zone_constants(m).is_err() {
            decref(m);
            return null_mut();
        }
        let st = struct_time_type();
        if st.is_null() {
            decref(m);
            return null_mut();
        }
        crate::dictobject::set_item_str(d, "struct_time", st.cast());
        m
    }
}
