//! `Flag`'s behaviour: pseudo-members for combined values (`Flag._missing_` with the four
//! boundaries), iteration over the single-bit members of a value, the operators, and the
//! module's bit helpers (`show_flag_values`, the private `bin`).

use super::members::crate_int;
use super::*;
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

pub(crate) fn is_single_bit(v: &BigInt) -> bool {
    if v.is_zero() || v.is_negative() {
        return false;
    }
    let m: BigInt = v - BigInt::one();
    (v & m).is_zero()
}

fn bit_length(v: &BigInt) -> u64 {
    v.magnitude().bits()
}

/// `2 ** flag_mask.bit_length() - 1`.
pub(crate) fn all_bits_of(flag_mask: &BigInt) -> BigInt {
    (BigInt::one() << bit_length(flag_mask)) - BigInt::one()
}

/// The powers of two set in `v` (`v` >= 0), lowest first.
fn bits_lsb(v: &BigInt) -> Vec<BigInt> {
    let mut out = Vec::new();
    let mut n = v.clone();
    while !n.is_zero() {
        let lowest: BigInt = &n & (-&n);
        out.push(lowest.clone());
        n ^= lowest;
    }
    out
}

/// The module's private `bin(num, max_bits=None)`: two's complement, sign bit first.
pub(crate) fn bin(num: &BigInt, max_bits: Option<u64>) -> String {
    let ceiling = BigInt::one() << bit_length(num);
    let s = if !num.is_negative() {
        let t = format!("0b{:b}", num + &ceiling);
        t.replacen('1', "0", 1)
    } else {
        let inv: BigInt = -num - BigInt::one();
        let t: BigInt = inv ^ (&ceiling - BigInt::one() + &ceiling);
        if t.is_negative() {
            format!("-0b{:b}", -t)
        } else {
            format!("0b{t:b}")
        }
    };
    let sign = &s[..3.min(s.len())];
    let mut digits = s[3.min(s.len())..].to_string();
    if let Some(mb) = max_bits {
        let mb = mb as usize;
        if digits.len() < mb {
            let fill = sign.chars().last().unwrap_or('0').to_string().repeat(mb);
            let all = fill + &digits;
            digits = all[all.len() - mb..].to_string();
        }
    }
    format!("{sign} {digits}")
}

unsafe fn big(o: *mut PyObject) -> Result<BigInt, ()> {
    // SAFETY: a live object.
    unsafe {
        let i = ok(Obj::new(crate::abstract_::PyNumber_Index(o)))?;
        Ok(crate::longobject::to_bigint(i.ptr()))
    }
}

unsafe fn cls_big(cls: *mut PyObject, name: &str) -> Result<BigInt, ()> {
    // SAFETY: a live class.
    unsafe { big(ga(cls, name)?.ptr()) }
}

/// `cls._iter_member_(value)` as a list of members.
unsafe fn iter_member(cls: *mut PyObject, value: &BigInt) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live class.
    unsafe {
        let f = ga(cls, "_iter_member_")?;
        let v = crate_int(value)?;
        let r = callv(f.ptr(), &[v.ptr()])?;
        Ok(list_items(
            ok(Obj::new(crate::abstract_::PySequence_List(r.ptr())))?.ptr(),
        ))
    }
}

unsafe fn by_value(cls: *mut PyObject, value: &BigInt) -> Result<Vec<Obj>, ()> {
    // SAFETY: a live class.
    unsafe {
        let fm = cls_big(cls, "_flag_mask_")?;
        let v2m = ga(cls, "_value2member_map_")?;
        let mut out = Vec::new();
        for bit in bits_lsb(&(value & fm)) {
            let k = crate_int(&bit)?;
            out.push(dget(v2m.ptr(), k.ptr())?.unwrap_or_else(none));
        }
        Ok(out)
    }
}

unsafe fn f_iter_by_value(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, value).
    out(unsafe {
        (|| {
            let v = by_value(a[0], &big(a[1])?)?;
            ok(Obj::new(crate::listobject::from_vec(
                v.into_iter().map(Obj::into_raw).collect(),
            )))
        })()
    })
}

unsafe fn f_iter_by_def(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, value).
    out(unsafe {
        (|| {
            let v = by_value(a[0], &big(a[1])?)?;
            let mut keyed = Vec::new();
            for m in v {
                let k = big(ga(m.ptr(), "_sort_order_")?.ptr())?;
                keyed.push((k, m));
            }
            keyed.sort_by(|x, y| x.0.cmp(&y.0));
            ok(Obj::new(crate::listobject::from_vec(
                keyed.into_iter().map(|(_, m)| m.into_raw()).collect(),
            )))
        })()
    })
}

/// `Flag._missing_(cls, value)`.
pub(crate) unsafe fn missing(cls: *mut PyObject, value: *mut PyObject) -> R {
    // SAFETY: live objects.
    unsafe {
        if !crate::longobject::is_int(value) {
            return value_err(&format!(
                "{} is not a valid {}",
                rep(value)?,
                tqualname(cls)
            ));
        }
        let mut v = crate::longobject::to_bigint(value);
        let flag_mask = cls_big(cls, "_flag_mask_")?;
        let singles = cls_big(cls, "_singles_mask_")?;
        let all_bits = cls_big(cls, "_all_bits_")?;
        let bnd = ga(cls, "_boundary_")?;
        let is = |i: usize| bnd.ptr() == boundary(i);
        let neg_all: BigInt = -&all_bits - BigInt::one();
        if !(neg_all <= v && v <= all_bits && (&v & (&all_bits ^ &flag_mask)).is_zero()) {
            if is(STRICT) {
                let max_bits = bit_length(&v).max(bit_length(&flag_mask));
                return value_err(&format!(
                    "{} invalid value {}\n    given {}\n  allowed {}",
                    rep(cls)?,
                    rep(value)?,
                    bin(&v, Some(max_bits)),
                    bin(&flag_mask, Some(max_bits))
                ));
            } else if is(CONFORM) {
                v &= &flag_mask;
            } else if is(EJECT) {
                return Ok(b(value));
            } else if is(KEEP) {
                if v.is_negative() {
                    let p = BigInt::one() << bit_length(&v);
                    let base = (&all_bits + BigInt::one()).max(p);
                    v += base;
                }
            } else {
                return value_err(&format!(
                    "{} unknown flag boundary {}",
                    rep(cls)?,
                    rep(bnd.ptr())?
                ));
            }
        }
        let mut neg_value = None;
        if v.is_negative() {
            neg_value = Some(v.clone());
            v = &all_bits + BigInt::one() + &v;
        }
        let unknown: BigInt = &v & !&flag_mask;
        let aliases: BigInt = &v & !&singles;
        let member_value: BigInt = &v & &singles;
        if !unknown.is_zero() && !is(KEEP) {
            return value_err(&format!(
                "{}({}) -->  unknown values {} [{}]",
                tname(cls),
                v,
                unknown,
                bin(&unknown, None)
            ));
        }
        let mt = ga(cls, "_member_type_")?;
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let vobj = crate_int(&v)?;
        let pseudo = if mt.ptr() == object {
            let empty = ok(Obj::new(crate::tupleobject::new_tuple(0)))?;
            let f = crate::object::PyBaseObject_Type
                .tp_new
                .expect("object has tp_new");
            ok(Obj::new(crate::extcall::new(
                f,
                cls.cast(),
                empty.ptr(),
                null_mut(),
            )))?
        } else {
            let args = ok(Obj::new(crate::tupleobject::from_slice(&[vobj.ptr()])))?;
            let f = (*mt.ptr().cast::<PyTypeObject>())
                .tp_new
                .expect("a data type has tp_new");
            ok(Obj::new(crate::extcall::new(
                f,
                cls.cast(),
                args.ptr(),
                null_mut(),
            )))?
        };
        let p = pseudo.ptr();
        let has_value = match crate::object::dict_ptr(p) {
            Some(dp) if !(*dp).is_null() => !crate::dictobject::get_str(*dp, "_value_").is_null(),
            _ => false,
        };
        if !has_value {
            sa(p, "_value_", vobj.ptr())?;
        }
        if !member_value.is_zero() || !aliases.is_zero() {
            let mut members = iter_member(cls, &member_value)?;
            let mut combined = BigInt::zero();
            for m in &members {
                combined |= big(ga(m.ptr(), "_value_")?.ptr())?;
            }
            let mut value = v.clone();
            if !aliases.is_zero() {
                value = &member_value | &aliases;
                let map = ga(cls, "_member_map_")?;
                for (_, pm) in dict_items(map.ptr()) {
                    let mut present = false;
                    for m in &members {
                        if m.ptr() == pm.ptr() || eq(m.ptr(), pm.ptr())? {
                            present = true;
                            break;
                        }
                    }
                    let pv = big(ga(pm.ptr(), "_value_")?.ptr())?;
                    if !present && !pv.is_zero() && (&pv & &value) == pv {
                        combined |= &pv;
                        members.push(pm);
                    }
                }
            }
            let unknown = &value ^ &combined;
            let mut names = Vec::new();
            for m in &members {
                names.push(strs(ga(m.ptr(), "_name_")?.ptr())?);
            }
            if combined.is_zero() {
                sa(p, "_name_", crate::object::none())?;
            } else if !unknown.is_zero() && is(STRICT) {
                return value_err(&format!("{}: no members with value {}", rep(cls)?, unknown));
            } else {
                let mut name = names.join("|");
                if !unknown.is_zero() {
                    let nr = ga(cls, "_numeric_repr_")?;
                    let u = crate_int(&unknown)?;
                    let r = callv(nr.ptr(), &[u.ptr()])?;
                    name.push('|');
                    name.push_str(&strs(r.ptr())?);
                }
                sa(p, "_name_", s(&name)?.ptr())?;
            }
        } else {
            sa(p, "_name_", crate::object::none())?;
        }
        let v2m = ga(cls, "_value2member_map_")?;
        // One pseudo-member per value even when threads race to make it (setdefault is
        // atomic on the dict).
        let mut res = null_mut();
        if crate::dictobject::PyDict_SetDefaultRef(v2m.ptr(), vobj.ptr(), p, &mut res) < 0 {
            return Err(());
        }
        let result = Obj::new(res);
        if let Some(nv) = neg_value {
            dset(v2m.ptr(), crate_int(&nv)?.ptr(), result.ptr())?;
        }
        Ok(result)
    }
}

unsafe fn f_missing(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (cls, value).
    out(unsafe { missing(a[0], a[1]) })
}

unsafe fn f_generate(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (name, start, count, last_values).
    out(unsafe {
        (|| {
            if !truth(a[2])? {
                return if is_none(a[1]) { int(1) } else { Ok(b(a[1])) };
            }
            let mx = callv(builtin("max")?.ptr(), &[a[3]])?;
            let hb = match crate::abstract_::PyNumber_Index(mx.ptr()) {
                p if p.is_null() => {
                    crate::pyerrors::clear();
                    return type_err(&format!("invalid flag value {}", rep(mx.ptr())?));
                }
                p => {
                    let p = Obj::new(p);
                    bit_length(&crate::longobject::to_bigint(p.ptr())) as i64 - 1
                }
            };
            let r = BigInt::one() << ((hb + 1).max(0) as u64);
            let r = if hb + 1 < 0 { BigInt::zero() } else { r };
            crate_int(&r)
        })()
    })
}

unsafe fn value_of(op: *mut PyObject) -> Result<BigInt, ()> {
    // SAFETY: a live member.
    unsafe { big(ga(op, "_value_")?.ptr()) }
}

unsafe fn f_contains(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, other).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            if !isinst(a[1], cls)? {
                return type_err(&format!(
                    "unsupported operand type(s) for 'in': {} and {}",
                    uni::repr_text(&crate::object::type_qualname(ty(a[1]))),
                    uni::repr_text(&tqualname(cls))
                ));
            }
            let o = value_of(a[1])?;
            let sv = value_of(a[0])?;
            Ok(Obj::new(py_bool((&o & sv) == o)))
        })()
    })
}

unsafe fn f_iter(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            let v = iter_member(cls, &value_of(a[0])?)?;
            let l = ok(Obj::new(crate::listobject::from_vec(
                v.into_iter().map(Obj::into_raw).collect(),
            )))?;
            ok(Obj::new(crate::abstract_::PyObject_GetIter(l.ptr())))
        })()
    })
}

unsafe fn f_len(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let v = value_of(a[0])?;
            int(v.magnitude().count_ones() as i64)
        })()
    })
}

unsafe fn f_repr(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            let cn = tname(cls);
            let vr = super::value_repr(cls, a[0])?;
            let name = ga(a[0], "_name_")?;
            if is_none(name.ptr()) {
                s(&format!("<{cn}: {vr}>"))
            } else {
                s(&format!("<{cn}.{}: {vr}>", strs(name.ptr())?))
            }
        })()
    })
}

unsafe fn f_str(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let cls = ty(a[0]).cast::<PyObject>();
            let cn = tname(cls);
            let name = ga(a[0], "_name_")?;
            if is_none(name.ptr()) {
                s(&format!("{cn}({})", rep(ga(a[0], "_value_")?.ptr())?))
            } else {
                s(&format!("{cn}.{}", strs(name.ptr())?))
            }
        })()
    })
}

unsafe fn f_bool(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let v = ga(a[0], "_value_")?;
            Ok(Obj::new(py_bool(truth(v.ptr())?)))
        })()
    })
}

/// `self._get_value(flag)`: `Ok(None)` for NotImplemented.
unsafe fn get_value(op: *mut PyObject, flag: *mut PyObject) -> Result<Option<Obj>, ()> {
    // SAFETY: live objects.
    unsafe {
        let cls = ty(op).cast::<PyObject>();
        if isinst(flag, cls)? {
            return ga(flag, "_value_").map(Some);
        }
        let mt = ga(op, "_member_type_")?;
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        if mt.ptr() != object && isinst(flag, mt.ptr())? {
            return Ok(Some(b(flag)));
        }
        Ok(None)
    }
}

unsafe fn f_get_value(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self, flag).
    out(unsafe { get_value(a[0], a[1]) }
        .map(|v| v.unwrap_or_else(|| Obj::new(crate::abc::not_implemented()))))
}

unsafe fn binop(a: &[*mut PyObject], sym: &str) -> R {
    // SAFETY: live arguments.
    unsafe {
        let (me, other) = (a[0], a[1]);
        let Some(ov) = get_value(me, other)? else {
            return Ok(Obj::new(crate::abc::not_implemented()));
        };
        for f in [me, other] {
            let v = get_value(me, f)?;
            if v.as_ref().is_some_and(|x| is_none(x.ptr())) {
                return type_err(&format!(
                    "'{}' cannot be combined with other flags with {sym}",
                    strs(f)?
                ));
            }
        }
        let sv = ga(me, "_value_")?;
        let r = ok(Obj::new(match sym {
            "|" => crate::abstract_::PyNumber_Or(sv.ptr(), ov.ptr()),
            "&" => crate::abstract_::PyNumber_And(sv.ptr(), ov.ptr()),
            _ => crate::abstract_::PyNumber_Xor(sv.ptr(), ov.ptr()),
        }))?;
        callv(ty(me).cast(), &[r.ptr()])
    }
}

unsafe fn f_or(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract.
    out(unsafe { binop(a, "|") })
}
unsafe fn f_and(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract.
    out(unsafe { binop(a, "&") })
}
unsafe fn f_xor(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract.
    out(unsafe { binop(a, "^") })
}

unsafe fn f_invert(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (self,).
    out(unsafe {
        (|| {
            let me = a[0];
            if get_value(me, me)?.is_some_and(|x| is_none(x.ptr())) {
                return type_err(&format!("'{}' cannot be inverted", strs(me)?));
            }
            let inv = ga(me, "_inverted_")?;
            if !is_none(inv.ptr()) {
                return Ok(inv);
            }
            let cls = ty(me).cast::<PyObject>();
            let bnd = ga(me, "_boundary_")?;
            let v = value_of(me)?;
            let nv: BigInt = if bnd.ptr() == boundary(EJECT) || bnd.ptr() == boundary(KEEP) {
                !v
            } else {
                cls_big(cls, "_singles_mask_")? & !v
            };
            let r = callv(cls, &[crate_int(&nv)?.ptr()])?;
            sa(me, "_inverted_", r.ptr())?;
            Ok(r)
        })()
    })
}

/// `show_flag_values(value)`.
pub(crate) unsafe fn f_show_flag_values(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract: (value,).
    out(unsafe {
        (|| {
            let original = a[0];
            let mut n = original;
            let holder;
            if isinst(n, enum_cls())? {
                holder = ga(n, "value")?;
                n = holder.ptr();
            }
            let zero = int(0)?;
            let lt =
                crate::abstract_::PyObject_RichCompareBool(n, zero.ptr(), crate::object::Py_LT);
            if lt < 0 {
                return Err(());
            }
            if lt == 1 {
                return value_err(&format!("{} is not a positive integer", rep(original)?));
            }
            let v = big(n)?;
            let items: Vec<*mut PyObject> = bits_lsb(&v)
                .iter()
                .map(|x| crate_int(x).map(Obj::into_raw))
                .collect::<Result<_, _>>()?;
            ok(Obj::new(crate::listobject::from_vec(items)))
        })()
    })
}

const S: &[&str] = &["self"];
const O: &[&str] = &["self", "other"];
const CV: &[&str] = &["cls", "value"];
pub(crate) static FLAG_FUNCS: [FuncDef; 15] = [
    FuncDef::new(
        "Flag._generate_next_value_",
        &["name", "start", "count", "last_values"],
        4,
        Kind::Static,
        f_generate,
    ),
    FuncDef::new(
        "Flag._iter_member_by_value_",
        CV,
        2,
        Kind::Class,
        f_iter_by_value,
    ),
    FuncDef::new(
        "Flag._iter_member_by_def_",
        CV,
        2,
        Kind::Class,
        f_iter_by_def,
    ),
    FuncDef::new("Flag._missing_", CV, 2, Kind::Class, f_missing),
    FuncDef::new("Flag.__contains__", O, 2, Kind::Method, f_contains),
    FuncDef::new("Flag.__iter__", S, 1, Kind::Method, f_iter),
    FuncDef::new("Flag.__len__", S, 1, Kind::Method, f_len),
    FuncDef::new("Flag.__repr__", S, 1, Kind::Method, f_repr),
    FuncDef::new("Flag.__str__", S, 1, Kind::Method, f_str),
    FuncDef::new("Flag.__bool__", S, 1, Kind::Method, f_bool),
    FuncDef::new(
        "Flag._get_value",
        &["self", "flag"],
        2,
        Kind::Method,
        f_get_value,
    ),
    FuncDef::new("Flag.__or__", O, 2, Kind::Method, f_or),
    FuncDef::new("Flag.__and__", O, 2, Kind::Method, f_and),
    FuncDef::new("Flag.__xor__", O, 2, Kind::Method, f_xor),
    FuncDef::new("Flag.__invert__", S, 1, Kind::Method, f_invert),
];
