//! The format-specification mini-language (CPython's `Python/formatter_unicode.c`): parsing
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` and the `__format__`
//! methods of `str`, `int`, `float` and `object`, with CPython 3.14's error texts.

use crate::object::{PyObject, tname};
use crate::pyerrors::{EXC_TypeError, EXC_ValueError, raise};
use std::ptr::null_mut;

/// A parsed format specification.
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    z: bool,
    alt: bool,
    zero: bool,
    /// '=' came from the '0' flag, not from the spec (strings pad on the right then)
    implicit_align: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn invalid(spec: &str, what: &str) {
    raise(
        &raw mut EXC_ValueError,
        &format!("Invalid format specifier '{spec}' for object of type '{what}'"),
    );
}

fn parse(spec: &str, what: &str) -> Result<Spec, ()> {
    let c: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |ch: char| matches!(ch, '<' | '>' | '=' | '^');
    if c.len() >= 2 && is_align(c[1]) {
        s.fill = Some(c[0]);
        s.align = Some(c[1]);
        i = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        s.align = Some(c[0]);
        i = 1;
    }
    if i < c.len() && matches!(c[i], '+' | '-' | ' ') {
        s.sign = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == 'z' {
        s.z = true;
        i += 1;
    }
    if i < c.len() && c[i] == '#' {
        s.alt = true;
        i += 1;
    }
    if i < c.len() && c[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while i < c.len() && c[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let w: String = c[start..i].iter().collect();
        s.width = match w.parse() {
            Ok(v) => v,
            Err(_) => {
                raise(
                    &raw mut EXC_ValueError,
                    "Too many decimal digits in format string",
                );
                return Err(());
            }
        };
    }
    if i < c.len() && (c[i] == ',' || c[i] == '_') {
        s.grouping = Some(c[i]);
        i += 1;
        if i < c.len() && (c[i] == ',' || c[i] == '_') {
            raise(&raw mut EXC_ValueError, "Cannot specify both ',' and '_'.");
            return Err(());
        }
    }
    if i < c.len() && c[i] == '.' {
        i += 1;
        let start = i;
        while i < c.len() && c[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            raise(
                &raw mut EXC_ValueError,
                "Format specifier missing precision",
            );
            return Err(());
        }
        let p: String = c[start..i].iter().collect();
        s.precision = match p.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                raise(
                    &raw mut EXC_ValueError,
                    "Too many decimal digits in format string",
                );
                return Err(());
            }
        };
    }
    if c.len() - i > 1 {
        invalid(spec, what);
        return Err(());
    }
    if i < c.len() {
        s.ty = Some(c[i]);
    }
    if s.zero {
        if s.fill.is_none() {
            s.fill = Some('0');
        }
        if s.align.is_none() {
            s.align = Some('=');
            s.implicit_align = true;
        }
    }
    if let Some(g) = s.grouping {
        let ok = match s.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
            Some('b' | 'o' | 'x' | 'X') => g == '_',
            _ => false,
        };
        if !ok {
            let t = s.ty.unwrap_or(' ');
            raise(
                &raw mut EXC_ValueError,
                &format!("Cannot specify '{g}' with '{t}'."),
            );
            return Err(());
        }
    }
    Ok(s)
}

/// Pads `body` (with `sign_part` before it) to the width.
fn pad(s: &Spec, sign_part: &str, body: &str, default_align: char) -> String {
    let len = sign_part.chars().count() + body.chars().count();
    let fill = s.fill.unwrap_or(' ');
    if len >= s.width {
        return format!("{sign_part}{body}");
    }
    let n = s.width - len;
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match s.align.unwrap_or(default_align) {
        '<' => format!("{sign_part}{body}{}", f(n)),
        '^' => format!("{}{sign_part}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{sign_part}{}{body}", f(n)),
        _ => format!("{}{sign_part}{body}", f(n)),
    }
}

/// Inserts `sep` every `every` digits from the right of `digits`; with '0' padding the
/// grouped number is widened to `min_width` as CPython does.
fn group(digits: &str, sep: char, every: usize, min_width: usize) -> String {
    let mut d: Vec<char> = digits.chars().collect();
    // zero padding widens the digits before grouping
    while min_width > 0 && {
        let n = d.len();
        n + (n.saturating_sub(1)) / every < min_width
    } {
        d.insert(0, '0');
    }
    let mut out = Vec::new();
    for (k, ch) in d.iter().rev().enumerate() {
        if k > 0 && k % every == 0 {
            out.push(sep);
        }
        out.push(*ch);
    }
    let s: String = out.into_iter().rev().collect();
    // a leading separator never stands alone
    s.trim_start_matches(sep).to_string()
}

fn sign_of(s: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else {
        match s.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// `str.__format__`.
pub(crate) fn format_str(text: &str, spec: &str) -> *mut PyObject {
    let Ok(mut s) = parse(spec, "str") else {
        return null_mut();
    };
    if s.implicit_align {
        s.align = Some('<');
    }
    match s.ty {
        None | Some('s') => {}
        Some(t) => {
            return raise(
                &raw mut EXC_ValueError,
                &format!("Unknown format code '{t}' for object of type 'str'"),
            );
        }
    }
    if s.sign.is_some() {
        return raise(
            &raw mut EXC_ValueError,
            "Sign not allowed in string format specifier",
        );
    }
    if s.alt {
        return raise(
            &raw mut EXC_ValueError,
            "Alternate form (#) not allowed in string format specifier",
        );
    }
    if s.align == Some('=') {
        return raise(
            &raw mut EXC_ValueError,
            "'=' alignment not allowed in string format specifier",
        );
    }
    if let Some(g) = s.grouping {
        return raise(
            &raw mut EXC_ValueError,
            &format!("Cannot specify '{g}' with 's'."),
        );
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    crate::unicodeobject::from_str(&pad(&s, "", &body, '<'))
}

/// `int.__format__` (float types go through the float formatter).
///
/// # Safety
/// `v` is a live int.
pub(crate) unsafe fn format_int(v: *mut PyObject, spec: &str) -> *mut PyObject {
    let Ok(s) = parse(spec, "int") else {
        return null_mut();
    };
    let t = s.ty.unwrap_or('d');
    if matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        // SAFETY: a live int.
        let f = match unsafe { crate::longobject::to_f64(v) } {
            Ok(f) => f,
            Err(_) => return null_mut(),
        };
        return format_float_value(f, &s, spec);
    }
    if !matches!(t, 'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n') {
        return raise(
            &raw mut EXC_ValueError,
            &format!("Unknown format code '{t}' for object of type 'int'"),
        );
    }
    if s.precision.is_some() {
        return raise(
            &raw mut EXC_ValueError,
            "Precision not allowed in integer format specifier",
        );
    }
    // SAFETY: a live int.
    let Ok(dec) = (unsafe { crate::longobject::decimal(v) }) else {
        return null_mut();
    };
    let (negative, mag) = match dec.strip_prefix('-') {
        Some(m) => (true, m.to_string()),
        None => (false, dec),
    };
    if t == 'c' {
        if s.sign.is_some() {
            return raise(
                &raw mut EXC_ValueError,
                "Sign not allowed with integer format specifier 'c'",
            );
        }
        if s.alt {
            return raise(
                &raw mut EXC_ValueError,
                "Alternate form (#) not allowed with integer format specifier 'c'",
            );
        }
        let code: u64 = mag.parse().unwrap_or(u64::MAX);
        let ch = (!negative)
            .then(|| u32::try_from(code).ok().and_then(char::from_u32))
            .flatten();
        let Some(ch) = ch else {
            return raise(
                &raw mut crate::pyerrors::EXC_OverflowError,
                "%c arg not in range(0x110000)",
            );
        };
        return crate::unicodeobject::from_str(&pad(&s, "", &ch.to_string(), '>'));
    }
    let (radix, prefix) = match t {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let digits = if radix == 10 {
        mag
    } else {
        // SAFETY: a live int; `PyNumber_ToBase` gives "0x..." or "-0x...".
        let r = unsafe { crate::abstract_::PyNumber_ToBase(v, radix) };
        if r.is_null() {
            return r;
        }
        // SAFETY: a live str.
        let text = unsafe { crate::unicodeobject::as_str(r) }
            .unwrap_or("")
            .to_string();
        // SAFETY: our reference.
        unsafe { crate::refcount::decref(r) };
        let d = text.trim_start_matches('-')[2..].to_string();
        if t == 'X' { d.to_uppercase() } else { d }
    };
    let sign = sign_of(&s, negative);
    let prefix = if s.alt { prefix } else { "" };
    let lead = format!("{sign}{prefix}");
    let digits = match s.grouping {
        Some(g) => {
            let every = if radix == 10 { 3 } else { 4 };
            let min = if s.fill == Some('0') && s.align == Some('=') {
                s.width.saturating_sub(lead.chars().count())
            } else {
                0
            };
            group(&digits, g, every, min)
        }
        None => digits,
    };
    crate::unicodeobject::from_str(&pad(&s, &lead, &digits, '>'))
}

/// `1.5e+02`-style exponent text from Rust's `1.5e2`.
fn fix_exponent(r: &str, upper: bool) -> String {
    let (m, e) = r.split_once('e').unwrap_or((r, "0"));
    let (es, ed) = match e.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', e),
    };
    let ech = if upper { 'E' } else { 'e' };
    format!("{m}{ech}{es}{ed:0>2}")
}

/// The digits of |f| in `t`'s presentation (no sign).
fn float_body(f: f64, t: Option<char>, precision: Option<usize>, alt: bool) -> String {
    let upper = matches!(t, Some('E' | 'F' | 'G'));
    if f.is_nan() {
        return if upper { "NAN".into() } else { "nan".into() };
    }
    if f.is_infinite() {
        return if upper { "INF".into() } else { "inf".into() };
    }
    let a = f.abs();
    match t {
        Some('f' | 'F') => {
            let r = format!("{:.*}", precision.unwrap_or(6), a);
            if alt && !r.contains('.') { r + "." } else { r }
        }
        Some('e' | 'E') => {
            let p = precision.unwrap_or(6);
            let mut r = fix_exponent(&format!("{:.*e}", p, a), upper);
            if alt && p == 0 {
                r = r.replacen(
                    if upper { 'E' } else { 'e' },
                    if upper { ".E" } else { ".e" },
                    1,
                );
            }
            r
        }
        Some('%') => {
            let r = format!("{:.*}", precision.unwrap_or(6), a * 100.0);
            let r = if alt && !r.contains('.') { r + "." } else { r };
            r + "%"
        }
        Some('g' | 'G') | Some('n') => general(a, precision.unwrap_or(6).max(1), alt, upper, false),
        _ => match precision {
            // no type: repr's digits, or 'g'-like with at least one digit after the point
            None => crate::floatobject::repr_f64(a),
            Some(p) => general(a, p.max(1), alt, upper, true),
        },
    }
}

/// The 'g' presentation with `p` significant digits; `keep_point` for the no-type form
/// (fixed notation keeps one digit after the point).
fn general(a: f64, p: usize, alt: bool, upper: bool, keep_point: bool) -> String {
    let e_form = format!("{:.*e}", p - 1, a);
    let exp: i64 = e_form
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let mut r = if -4 <= exp && exp < p as i64 {
        let r = format!("{:.*}", (p as i64 - 1 - exp).max(0) as usize, a);
        if !alt && r.contains('.') {
            let t = r.trim_end_matches('0');
            let t = t.strip_suffix('.').unwrap_or(t);
            if keep_point && !t.contains('.') {
                format!("{t}.0")
            } else {
                t.to_string()
            }
        } else if keep_point && !r.contains('.') {
            format!("{r}.0")
        } else {
            r
        }
    } else {
        let (m, e) = e_form.split_once('e').unwrap_or((&e_form, "0"));
        let m = if !alt && m.contains('.') {
            let t = m.trim_end_matches('0');
            t.strip_suffix('.').unwrap_or(t).to_string()
        } else {
            m.to_string()
        };
        fix_exponent(&format!("{m}e{e}"), upper)
    };
    if alt && !r.contains('.') {
        r = match r.find(['e', 'E']) {
            Some(i) => format!("{}.{}", &r[..i], &r[i..]),
            None => r + ".",
        };
    }
    r
}

fn format_float_value(f: f64, s: &Spec, spec: &str) -> *mut PyObject {
    if !matches!(
        s.ty,
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')
    ) {
        let t = s.ty.unwrap_or(' ');
        return raise(
            &raw mut EXC_ValueError,
            &format!("Unknown format code '{t}' for object of type 'float'"),
        );
    }
    let _ = spec;
    let mut body = float_body(f, s.ty, s.precision, s.alt);
    let mut negative = f.is_sign_negative() && !f.is_nan();
    if s.z && negative && body.chars().all(|c| matches!(c, '0' | '.' | '%')) {
        negative = false;
    }
    if let Some(g) = s.grouping {
        let cut = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        let min = if s.fill == Some('0') && s.align == Some('=') {
            s.width
                .saturating_sub(sign_of(s, negative).len() + (body.len() - cut))
        } else {
            0
        };
        body = format!("{}{}", group(&body[..cut], g, 3, min), &body[cut..]);
    }
    crate::unicodeobject::from_str(&pad(s, sign_of(s, negative), &body, '>'))
}

/// `float.__format__`.
pub(crate) fn format_float(f: f64, spec: &str) -> *mut PyObject {
    let Ok(s) = parse(spec, "float") else {
        return null_mut();
    };
    format_float_value(f, &s, spec)
}

/// The spec argument of a `__format__` method (a str), or None with CPython's TypeError.
///
/// # Safety
/// `spec` is live.
pub(crate) unsafe fn spec_arg<'a>(spec: *mut PyObject) -> Option<&'a str> {
    // SAFETY: forwarded contract.
    unsafe {
        if !crate::unicodeobject::is_str(spec) {
            raise(
                &raw mut EXC_TypeError,
                &format!("__format__() argument must be str, not {}", tname(spec)),
            );
            return None;
        }
        crate::unicodeobject::as_str(spec).or(Some(""))
    }
}

/// `object.__format__`: `str(self)` for an empty spec, else TypeError.
///
/// # Safety
/// `op`, `spec` live.
pub(crate) unsafe fn format_object(op: *mut PyObject, spec: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded contract.
    unsafe {
        let Some(sp) = spec_arg(spec) else {
            return null_mut();
        };
        if !sp.is_empty() {
            return raise(
                &raw mut EXC_TypeError,
                &format!(
                    "unsupported format string passed to {}.__format__",
                    tname(op)
                ),
            );
        }
        crate::object::str(op)
    }
}
