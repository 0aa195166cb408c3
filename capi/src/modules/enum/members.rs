//! Making an enum class (`EnumType.__new__`: classifying the namespace, creating the members,
//! the fix-ups CPython's metaclass makes), looking a value up (`Enum.__new__`) and the
//! functional API (`EnumType._create_`).

use super::*;

/// Raw lookup of `name` along `cls`'s MRO (borrowed; NULL when absent).
pub(crate) unsafe fn lookup_raw(cls: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: a live type.
    unsafe {
        for c in mro(cls) {
            let d = tdict(c);
            if !d.is_null() {
                let v = crate::dictobject::get_str(d, name);
                if !v.is_null() {
                    return v;
                }
            }
        }
        null_mut()
    }
}

unsafe fn own(cls: *mut PyObject, name: &str) -> bool {
    // SAFETY: a live type.
    unsafe { !crate::dictobject::get_str(tdict(cls), name).is_null() }
}

/// Sets a class attribute past `EnumType.__setattr__`'s member check.
pub(crate) unsafe fn set_type_attr(
    cls: *mut PyObject,
    name: &str,
    v: *mut PyObject,
) -> Result<(), ()> {
    // SAFETY: a live type.
    unsafe {
        let n = s(name)?;
        let f = crate::object::PyType_Type
            .tp_setattro
            .expect("type has tp_setattro");
        if crate::extcall::objobjarg(f, cls, n.ptr(), v) < 0 {
            Err(())
        } else {
            Ok(())
        }
    }
}

/// `EnumType.__new__` for `(name, bases, ns)`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn make_class(
    meta: *mut PyTypeObject,
    name: *mut PyObject,
    cls_name: &str,
    bases_t: *mut PyObject,
    bases: &[*mut PyObject],
    ns: *mut PyObject,
    boundary_arg: Obj,
    rest_kw: Obj,
) -> R {
    // SAFETY: live objects (caller).
    unsafe {
        let bootstrap = enum_cls().is_null();
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        // `classdict._member_names` (an EnumDict's; a plain dict has none).
        let member_names = ga(ns, "_member_names")?;
        let names: Vec<Obj> = list_items(
            ok(Obj::new(crate::abstract_::PySequence_List(
                member_names.ptr(),
            )))?
            .ptr(),
        );
        // _ignore_ (always ignored itself).
        let ignore_key = s("_ignore_")?;
        let ignore = match dget(ns, ignore_key.ptr())? {
            Some(l) => l,
            None => {
                let l = ok(Obj::new(crate::listobject::new_list(0)))?;
                dset(ns, ignore_key.ptr(), l.ptr())?;
                l
            }
        };
        crate::abc::call_method(ignore.ptr(), "append", &[ignore_key.ptr()]);
        if crate::pyerrors::occurred() {
            return Err(());
        }
        let it = ok(Obj::new(crate::abstract_::PySequence_List(ignore.ptr())))?;
        for k in list_items(it.ptr()) {
            if crate::dictobject::PyDict_DelItem(ns, k.ptr()) < 0 {
                crate::pyerrors::clear();
            }
        }
        let bad: Vec<String> = names
            .iter()
            .filter_map(|n| uni::as_str(n.ptr()))
            .filter(|n| *n == "mro" || n.is_empty())
            .map(uni::repr_text)
            .collect();
        if !bad.is_empty() {
            return value_err(&format!("invalid enum member name(s) {}", bad.join(",")));
        }
        // A plain dict copy of the namespace, in order.
        let cd = ok(Obj::new(crate::dictobject::new_dict()))?;
        for (k, v) in dict_items(ns) {
            dset(cd.ptr(), k.ptr(), v.ptr())?;
        }
        let (member_type, first_enum) = if bootstrap {
            (b(object), none())
        } else {
            get_mixins(cls_name, bases)?
        };
        let own_gnv = crate::dictobject::get_str(cd.ptr(), "_generate_next_value_");
        if !own_gnv.is_null() && !is_none(own_gnv) {
            let g = b(own_gnv);
            let sm = (&raw mut crate::funcobject::PyStaticMethod_Type).cast::<PyObject>();
            if ty(g.ptr()).cast::<PyObject>() != sm {
                let w = callv(sm, &[g.ptr()])?;
                dset_str(cd.ptr(), "_generate_next_value_", w.ptr())?;
            }
        }
        let mut found_values = Vec::new();
        for n in &names {
            let v = ok(Obj::new(crate::abstract_::PyObject_GetItem(
                cd.ptr(),
                n.ptr(),
            )))?;
            found_values.push(v);
            if crate::dictobject::del_item(cd.ptr(), n.ptr()) < 0 {
                return Err(());
            }
        }
        struct Found {
            names: Vec<Obj>,
            values: Vec<Obj>,
        }
        let found = Found {
            names,
            values: found_values,
        };
        let order = crate::dictobject::get_str(cd.ptr(), "_order_");
        let order = if order.is_null() {
            None
        } else {
            let o = b(order);
            let k = s("_order_")?;
            if crate::dictobject::del_item(cd.ptr(), k.ptr()) < 0 {
                return Err(());
            }
            Some(o)
        };
        // __new__ of the members.
        let user_new = crate::dictobject::get_str(cd.ptr(), "__new__");
        let user_new = if user_new.is_null() {
            None
        } else {
            Some(b(user_new))
        };
        let save_new = !bootstrap && user_new.is_some();
        let new_member: Option<Obj> = match &user_new {
            Some(n) => Some(b(n.ptr())),
            None if bootstrap => None,
            None => {
                let mut nm = None;
                for possible in [member_type.ptr(), first_enum.ptr()] {
                    let v = lookup_raw(possible, "__new_member__");
                    if !v.is_null() && !is_none(v) {
                        nm = Some(b(v));
                        break;
                    }
                }
                nm
            }
        };
        let use_args = new_member.is_some() || member_type.ptr() != object;
        let nm_obj = match &new_member {
            Some(n) => b(n.ptr()),
            None => ga_opt(member_type.ptr(), "__new__")?.unwrap_or_else(none),
        };
        dset_str(cd.ptr(), "_new_member_", nm_obj.ptr())?;
        dset_str(cd.ptr(), "_use_args_", py_bool_obj(use_args).ptr())?;
        for (k, mk) in [
            ("_member_names_", 0),
            ("_member_map_", 1),
            ("_value2member_map_", 1),
            ("_hashable_values_", 0),
            ("_unhashable_values_", 0),
            ("_unhashable_values_map_", 1),
        ] {
            let v = if mk == 0 {
                Obj::new(crate::listobject::new_list(0))
            } else {
                Obj::new(crate::dictobject::new_dict())
            };
            dset_str(cd.ptr(), k, ok(v)?.ptr())?;
        }
        dset_str(cd.ptr(), "_member_type_", member_type.ptr())?;
        let vr = if bootstrap {
            none()
        } else {
            find_data_repr(bases)?
        };
        dset_str(cd.ptr(), "_value_repr_", vr.ptr())?;
        let bnd = if !is_none(boundary_arg.ptr()) {
            boundary_arg
        } else if bootstrap {
            none()
        } else {
            ga_opt(first_enum.ptr(), "_boundary_")?.unwrap_or_else(none)
        };
        dset_str(cd.ptr(), "_boundary_", bnd.ptr())?;
        for k in ["_flag_mask_", "_singles_mask_", "_all_bits_"] {
            dset_str(cd.ptr(), k, int(0)?.ptr())?;
        }
        dset_str(cd.ptr(), "_inverted_", crate::object::none())?;
        // The class itself.
        let args = ok(Obj::new(crate::tupleobject::from_slice(&[
            name,
            bases_t,
            cd.ptr(),
        ])))?;
        let tp_new = crate::object::PyType_Type.tp_new.expect("type has tp_new");
        let cls = ok(Obj::new(crate::extcall::new(
            tp_new,
            meta,
            args.ptr(),
            rest_kw.ptr(),
        )))?;
        let c = cls.ptr();
        let flag_now = if flag_cls().is_null() {
            cls_name == "Flag"
        } else {
            is_flag_class(c)
        };
        if !bootstrap {
            let reprenum = get(&REPRENUM);
            if !reprenum.is_null() && bases.contains(&reprenum) {
                if member_type.ptr() == object {
                    return type_err(
                        "ReprEnum subclasses must be mixed with a data type (i.e. int, str, float, etc.)",
                    );
                }
                if !own(c, "__format__") {
                    let f = lookup_raw(member_type.ptr(), "__format__");
                    if !f.is_null() {
                        set_type_attr(c, "__format__", f)?;
                    }
                }
                if !own(c, "__str__") {
                    let mut m = null_mut();
                    for t in mro(member_type.ptr()) {
                        if t == object {
                            break;
                        }
                        let v = crate::dictobject::get_str(tdict(t), "__str__");
                        if !v.is_null() {
                            m = v;
                            break;
                        }
                    }
                    if m.is_null() {
                        m = lookup_raw(member_type.ptr(), "__repr__");
                    }
                    if !m.is_null() {
                        set_type_attr(c, "__str__", m)?;
                    }
                }
            }
            for n in ["__repr__", "__str__", "__format__", "__reduce_ex__"] {
                if own(c, n) {
                    continue;
                }
                let enum_method = lookup_raw(first_enum.ptr(), n);
                let found_m = lookup_raw(c, n);
                let object_m = lookup_raw(object, n);
                let data_m = lookup_raw(member_type.ptr(), n);
                if !enum_method.is_null() && (found_m == object_m || found_m == data_m) {
                    set_type_attr(c, n, enum_method)?;
                }
            }
            if flag_now && !flag_cls().is_null() {
                for n in [
                    "__or__",
                    "__and__",
                    "__xor__",
                    "__ror__",
                    "__rand__",
                    "__rxor__",
                    "__invert__",
                ] {
                    if !own(c, n) {
                        let m = crate::dictobject::get_str(tdict(flag_cls()), n);
                        if !m.is_null() {
                            set_type_attr(c, n, m)?;
                        }
                    }
                }
            }
            if save_new && let Some(n) = &user_new {
                set_type_attr(c, "__new_member__", n.ptr())?;
            }
            let en = crate::dictobject::get_str(tdict(enum_cls()), "__new__");
            if !en.is_null() {
                set_type_attr(c, "__new__", en)?;
            }
        }
        // The members.
        for (n, v) in found.names.iter().zip(found.values.iter()) {
            make_member(
                c,
                n.ptr(),
                v.ptr(),
                &member_type,
                use_args,
                new_member.as_ref(),
                flag_now,
            )?;
        }
        // _order_ (a str becomes a list of names).
        let mut order_list: Option<Vec<String>> = match &order {
            None => None,
            Some(o) if uni::is_str(o.ptr()) => Some(
                uni::as_str(o.ptr())
                    .unwrap_or("")
                    .replace(',', " ")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            ),
            Some(o) => {
                let l = ok(Obj::new(crate::abstract_::PySequence_List(o.ptr())))?;
                Some(
                    list_items(l.ptr())
                        .iter()
                        .map(|x| uni::as_str(x.ptr()).unwrap_or("").to_string())
                        .collect(),
                )
            }
        };
        let map = ga(c, "_member_map_")?;
        if !flag_now {
            for k in [
                "_boundary_",
                "_flag_mask_",
                "_singles_mask_",
                "_all_bits_",
                "_inverted_",
            ] {
                set_type_attr(c, k, null_mut())?;
            }
        } else if !flag_cls().is_null() {
            let ms = members_list(c)?;
            let mut vals = Vec::new();
            for m in &ms {
                vals.push(crate::longobject::to_bigint(ga(m.ptr(), "_value_")?.ptr()));
            }
            let mut sorted = vals.clone();
            sorted.sort();
            if sorted != vals {
                let f = ga(c, "_iter_member_by_def_")?;
                set_type_attr(c, "_iter_member_", f.ptr())?;
            }
            if let Some(ol) = &mut order_list {
                let mut keep = Vec::new();
                for o in ol.iter() {
                    let m = crate::dictobject::get_str(map.ptr(), o);
                    let single = if m.is_null() {
                        true
                    } else {
                        let v = crate::longobject::to_bigint(ga(m, "_value_")?.ptr());
                        flag::is_single_bit(&v)
                    };
                    if single {
                        keep.push(o.clone());
                    }
                }
                *ol = keep;
            }
        }
        if let Some(ol) = order_list
            && !ol.is_empty()
        {
            let names = ga(c, "_member_names_")?;
            let names: Vec<String> = list_items(names.ptr())
                .iter()
                .map(|x| uni::as_str(x.ptr()).unwrap_or("").to_string())
                .collect();
            let ol: Vec<String> = ol
                .into_iter()
                .filter(|o| crate::dictobject::get_str(map.ptr(), o).is_null() || names.contains(o))
                .collect();
            if ol != names {
                let r = |v: &[String]| {
                    format!(
                        "[{}]",
                        v.iter()
                            .map(|x| uni::repr_text(x))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return type_err(&format!(
                    "member order does not match _order_:\n  {}\n  {}",
                    r(&names),
                    r(&ol)
                ));
            }
        }
        Ok(cls)
    }
}

fn py_bool_obj(v: bool) -> Obj {
    Obj::new(py_bool(v))
}

/// Makes one member (`_proto_member.__set_name__`).
unsafe fn make_member(
    cls: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
    member_type: &Obj,
    use_args: bool,
    new_member: Option<&Obj>,
    is_flag: bool,
) -> Result<(), ()> {
    // SAFETY: live objects (caller).
    unsafe {
        let object = (&raw mut crate::object::PyBaseObject_Type).cast::<PyObject>();
        let tuple_t = (&raw mut crate::tupleobject::PyTuple_Type).cast::<PyObject>();
        let mut args: Obj = if crate::tupleobject::is_tuple(value) {
            b(value)
        } else {
            ok(Obj::new(crate::tupleobject::from_slice(&[value])))?
        };
        if member_type.ptr() == tuple_t {
            args = ok(Obj::new(crate::tupleobject::from_slice(&[args.ptr()])))?;
        }
        let argv: Vec<*mut PyObject> = crate::tupleobject::items(args.ptr()).to_vec();
        let member = if !use_args {
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
        } else if let Some(nm) = new_member {
            let mut v = vec![cls];
            v.extend_from_slice(&argv);
            callv(nm.ptr(), &v)?
        } else {
            let f = (*member_type.ptr().cast::<PyTypeObject>())
                .tp_new
                .expect("a data type has tp_new");
            ok(Obj::new(crate::extcall::new(
                f,
                cls.cast(),
                args.ptr(),
                null_mut(),
            )))?
        };
        let m = member.ptr();
        let has_value = match crate::object::dict_ptr(m) {
            Some(dp) if !(*dp).is_null() => !crate::dictobject::get_str(*dp, "_value_").is_null(),
            _ => false,
        };
        if !has_value {
            if member_type.ptr() == object {
                sa(m, "_value_", value)?;
            } else {
                match callv(member_type.ptr(), &argv) {
                    Ok(v) => sa(m, "_value_", v.ptr())?,
                    Err(()) => {
                        let cause = crate::pyerrors::PyErr_GetRaisedException();
                        raise(
                            &raw mut EXC_TypeError,
                            "_value_ not set in __new__, unable to create it",
                        );
                        let e = crate::pyerrors::PyErr_GetRaisedException();
                        crate::pyerrors::PyException_SetCause(e, cause);
                        crate::pyerrors::PyErr_SetRaisedException(e);
                        return Err(());
                    }
                }
            }
        }
        let value = ga(m, "_value_")?;
        sa(m, "_name_", name)?;
        sa(m, "__objclass__", cls)?;
        call_special(m, "__init__", &argv)?;
        let names = ga(cls, "_member_names_")?;
        let n = crate::abstract_::PyObject_Size(names.ptr());
        sa(m, "_sort_order_", int(n as i64)?.ptr())?;
        let value_int = crate::longobject::is_int(value.ptr());
        if is_flag && value_int {
            let v = crate::longobject::to_bigint(value.ptr());
            let fm = crate::longobject::to_bigint(ga(cls, "_flag_mask_")?.ptr()) | &v;
            set_type_attr(cls, "_flag_mask_", crate_int(&fm)?.ptr())?;
            if flag::is_single_bit(&v) {
                let sm = crate::longobject::to_bigint(ga(cls, "_singles_mask_")?.ptr()) | &v;
                set_type_attr(cls, "_singles_mask_", crate_int(&sm)?.ptr())?;
            }
            let all = flag::all_bits_of(&fm);
            set_type_attr(cls, "_all_bits_", crate_int(&all)?.ptr())?;
        }
        // An alias when another member has the value already.
        let v2m = ga(cls, "_value2member_map_")?;
        let existing = match dget(v2m.ptr(), value.ptr()) {
            Ok(x) => x,
            Err(()) => {
                if !crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    return Err(());
                }
                crate::pyerrors::clear();
                let map = ga(cls, "_member_map_")?;
                let mut found = None;
                for (_, cm) in dict_items(map.ptr()) {
                    let cv = ga(cm.ptr(), "_value_")?;
                    if eq(cv.ptr(), value.ptr())? {
                        found = Some(cm);
                        break;
                    }
                }
                found
            }
        };
        let member = match existing {
            Some(e) => e,
            None => {
                if !is_flag
                    || (value_int
                        && flag::is_single_bit(&crate::longobject::to_bigint(value.ptr())))
                {
                    list_append(names.ptr(), name)?;
                }
                member
            }
        };
        add_member(cls, name, member.ptr())?;
        match dget(v2m.ptr(), value.ptr()) {
            Ok(None) => {
                dset(v2m.ptr(), value.ptr(), member.ptr())?;
                add_hashable(cls, value.ptr())?;
            }
            Ok(Some(_)) => add_hashable(cls, value.ptr())?,
            Err(()) => {
                if !crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    return Err(());
                }
                crate::pyerrors::clear();
                list_append(ga(cls, "_unhashable_values_")?.ptr(), value.ptr())?;
                let um = ga(cls, "_unhashable_values_map_")?;
                let l = match dget(um.ptr(), name)? {
                    Some(l) => l,
                    None => {
                        let l = ok(Obj::new(crate::listobject::new_list(0)))?;
                        dset(um.ptr(), name, l.ptr())?;
                        l
                    }
                };
                list_append(l.ptr(), value.ptr())?;
            }
        }
        Ok(())
    }
}

unsafe fn add_hashable(cls: *mut PyObject, value: *mut PyObject) -> Result<(), ()> {
    // SAFETY: live objects.
    unsafe {
        let hv = ga(cls, "_hashable_values_")?;
        match crate::abstract_::PySequence_Contains(hv.ptr(), value) {
            r if r < 0 => Err(()),
            0 => list_append(hv.ptr(), value),
            _ => Ok(()),
        }
    }
}

pub(crate) fn crate_int(v: &num_bigint::BigInt) -> R {
    ok(Obj::new(crate::longobject::from_bigint(v)))
}

/// `EnumType._add_member_(cls, name, member)`.
pub(crate) unsafe fn add_member(
    cls: *mut PyObject,
    name: *mut PyObject,
    member: *mut PyObject,
) -> Result<(), ()> {
    // SAFETY: live objects.
    unsafe {
        let map = ga(cls, "_member_map_")?;
        if let Some(old) = dget(map.ptr(), name)? {
            if old.ptr() != member {
                return err(
                    &raw mut crate::pyerrors::EXC_NameError,
                    &format!("{} is already bound: {}", rep(name)?, rep(old.ptr())?),
                );
            }
            return Ok(());
        }
        // A base's descriptor or attribute of that name: the member is reached through an
        // enum.property that keeps the descriptor for instances (`_add_member_`).
        let mut found: Option<Obj> = None;
        let mut dtype: Option<&str> = None;
        let mut class_type: Option<Obj> = None;
        let bprop = (&raw mut crate::descrobject::property::PyProperty_Type).cast::<PyObject>();
        for base in mro(cls).into_iter().skip(1) {
            let d = tdict(base);
            if d.is_null() {
                continue;
            }
            let Some(attr) = dget(d, name)? else {
                continue;
            };
            if isinst(attr.ptr(), bprop)? || isinst(attr.ptr(), get(&DCA))? {
                found = Some(attr);
                dtype = Some("enum");
                class_type = Some(b(base));
                break;
            } else if is_descriptor(attr.ptr())? {
                found = Some(attr);
                dtype = dtype.or(Some("desc"));
                if class_type.is_none() {
                    class_type = Some(b(base));
                }
            } else {
                dtype = Some("attr");
                class_type = Some(b(base));
            }
        }
        let stored = match found {
            None => b(member),
            Some(fd) => {
                let r = callv(get(&PROPERTY), &[])?;
                sa(r.ptr(), "member", member)?;
                let sn = ga(r.ptr(), "__set_name__")?;
                callv(sn.ptr(), &[cls, name])?;
                let dt = dtype.unwrap_or("enum");
                if dt == "enum" || dt == "desc" {
                    for (to, from) in [
                        ("fget", "fget"),
                        ("_get", "__get__"),
                        ("fset", "fset"),
                        ("_set", "__set__"),
                        ("fdel", "fdel"),
                        ("_del", "__delete__"),
                    ] {
                        let v = ga_opt(fd.ptr(), from)?.unwrap_or_else(none);
                        sa(r.ptr(), to, v.ptr())?;
                    }
                }
                sa(r.ptr(), "_attr_type", s(dt)?.ptr())?;
                let ct = class_type.unwrap_or_else(none);
                sa(r.ptr(), "_cls_type", ct.ptr())?;
                r
            }
        };
        let f = crate::object::PyType_Type
            .tp_setattro
            .expect("type has tp_setattro");
        if crate::extcall::objobjarg(f, cls, name, stored.ptr()) < 0 {
            return Err(());
        }
        dset(map.ptr(), name, member)
    }
}

/// `Enum.__new__(cls, value)`: the member with that value (`_missing_` when none).
pub(crate) unsafe fn lookup(cls: *mut PyObject, value: *mut PyObject) -> R {
    // SAFETY: live objects.
    unsafe {
        if ty(value).cast::<PyObject>() == cls {
            return Ok(b(value));
        }
        let v2m = ga(cls, "_value2member_map_")?;
        match dget(v2m.ptr(), value) {
            Ok(Some(m)) => return Ok(m),
            Ok(None) => {}
            Err(()) => {
                if !crate::pyerrors::matches_current(&raw mut EXC_TypeError) {
                    return Err(());
                }
                crate::pyerrors::clear();
                let um = ga(cls, "_unhashable_values_map_")?;
                for (n, vals) in dict_items(um.ptr()) {
                    match crate::abstract_::PySequence_Contains(vals.ptr(), value) {
                        r if r < 0 => return Err(()),
                        0 => {}
                        _ => return ok(Obj::new(crate::abstract_::PyObject_GetItem(cls, n.ptr()))),
                    }
                }
                let map = ga(cls, "_member_map_")?;
                for (n, m) in dict_items(map.ptr()) {
                    let mv = ga(m.ptr(), "_value_")?;
                    if eq(value, mv.ptr())? {
                        return ok(Obj::new(crate::abstract_::PyObject_GetItem(cls, n.ptr())));
                    }
                }
            }
        }
        let map = ga(cls, "_member_map_")?;
        if !truth(map.ptr())? {
            return type_err(&format!("{} has no members defined", rep(cls)?));
        }
        let missing = ga(cls, "_missing_")?;
        let (result, exc) = match callv(missing.ptr(), &[value]) {
            Ok(r) => (r, None),
            Err(()) => (none(), Some(crate::pyerrors::PyErr_GetRaisedException())),
        };
        if isinst(result.ptr(), cls)? {
            return Ok(result);
        }
        if is_flag_class(cls)
            && ga(cls, "_boundary_")?.ptr() == boundary(EJECT)
            && crate::longobject::is_int(result.ptr())
        {
            return Ok(result);
        }
        let ve = format!("{} is not a valid {}", rep(value)?, tqualname(cls));
        match exc {
            None if is_none(result.ptr()) => value_err(&ve),
            None => {
                let te = format!(
                    "error in {}._missing_: returned {} instead of None or a valid member",
                    tname(cls),
                    rep(result.ptr())?
                );
                raise(&raw mut EXC_ValueError, &ve);
                let ctx = crate::pyerrors::PyErr_GetRaisedException();
                raise(&raw mut EXC_TypeError, &te);
                let e = crate::pyerrors::PyErr_GetRaisedException();
                crate::pyerrors::PyException_SetContext(e, ctx);
                crate::pyerrors::PyErr_SetRaisedException(e);
                Err(())
            }
            Some(e) => {
                let is_ve =
                    crate::abstract_::PyObject_IsInstance(e, (&raw mut EXC_ValueError).cast()) > 0;
                if !is_ve {
                    raise(&raw mut EXC_ValueError, &ve);
                    let ctx = crate::pyerrors::PyErr_GetRaisedException();
                    crate::pyerrors::PyException_SetContext(e, ctx);
                }
                crate::pyerrors::PyErr_SetRaisedException(e);
                Err(())
            }
        }
    }
}

/// `EnumType._create_(cls, class_name, names, *, module, qualname, type, start, boundary)`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn create(
    cls: *mut PyObject,
    class_name: *mut PyObject,
    names: *mut PyObject,
    module: *mut PyObject,
    qualname: *mut PyObject,
    typ: *mut PyObject,
    start: *mut PyObject,
    bnd: *mut PyObject,
) -> R {
    // SAFETY: live objects.
    unsafe {
        let metacls = ty(cls).cast::<PyObject>();
        let bases: Vec<*mut PyObject> = if is_none(typ) {
            vec![cls]
        } else {
            vec![typ, cls]
        };
        let cn = strs(class_name)?;
        let (_, first_enum) = get_mixins(&cn, &bases)?;
        let bases_t = ok(Obj::new(crate::tupleobject::from_slice(&bases)))?;
        let prepare = ga(metacls, "__prepare__")?;
        let classdict = callv(prepare.ptr(), &[class_name, bases_t.ptr()])?;
        let mut names = b(names);
        if uni::is_str(names.ptr()) {
            let t = uni::as_str(names.ptr()).unwrap_or("").replace(',', " ");
            let v: Vec<Obj> = t.split_whitespace().map(s).collect::<Result<_, _>>()?;
            names = ok(Obj::new(crate::listobject::from_vec(
                v.into_iter().map(Obj::into_raw).collect(),
            )))?;
        }
        let is_seq =
            crate::tupleobject::is_tuple(names.ptr()) || crate::listobject::is_list(names.ptr());
        if is_seq && crate::abstract_::PyObject_Size(names.ptr()) > 0 {
            let first = ok(Obj::new(crate::abstract_::PySequence_GetItem(
                names.ptr(),
                0,
            )))?;
            if uni::is_str(first.ptr()) {
                let orig = ok(Obj::new(crate::abstract_::PySequence_List(names.ptr())))?;
                let gnv = ga(first_enum.ptr(), "_generate_next_value_")?;
                let mut last: Vec<Obj> = Vec::new();
                let mut pairs = Vec::new();
                for (count, n) in list_items(orig.ptr()).into_iter().enumerate() {
                    let lv = ok(Obj::new(crate::listobject::from_slice(
                        &last.iter().map(Obj::ptr).collect::<Vec<_>>(),
                    )))?;
                    let c = int(count as i64)?;
                    let v = callv(gnv.ptr(), &[n.ptr(), start, c.ptr(), lv.ptr()])?;
                    pairs.push(ok(Obj::new(crate::tupleobject::from_slice(&[
                        n.ptr(),
                        v.ptr(),
                    ])))?);
                    last.push(v);
                }
                names = ok(Obj::new(crate::listobject::from_vec(
                    pairs.into_iter().map(Obj::into_raw).collect(),
                )))?;
            }
        }
        if is_none(names.ptr()) {
            names = ok(Obj::new(crate::tupleobject::new_tuple(0)))?;
        }
        let it = ok(Obj::new(crate::abstract_::PyObject_GetIter(names.ptr())))?;
        loop {
            let item = Obj::new(crate::abstract_::PyIter_Next(it.ptr()));
            if item.is_null() {
                if crate::pyerrors::occurred() {
                    return Err(());
                }
                break;
            }
            let (k, v) = if uni::is_str(item.ptr()) {
                let v = ok(Obj::new(crate::abstract_::PyObject_GetItem(
                    names.ptr(),
                    item.ptr(),
                )))?;
                (item, v)
            } else {
                let t = ok(Obj::new(crate::abstract_::PySequence_Tuple(item.ptr())))?;
                let parts = crate::tupleobject::items(t.ptr());
                if parts.len() != 2 {
                    let msg = if parts.len() > 2 {
                        format!(
                            "too many values to unpack (expected 2, got {})",
                            parts.len()
                        )
                    } else {
                        format!(
                            "not enough values to unpack (expected 2, got {})",
                            parts.len()
                        )
                    };
                    return value_err(&msg);
                }
                (b(parts[0]), b(parts[1]))
            };
            if crate::abstract_::PyObject_SetItem(classdict.ptr(), k.ptr(), v.ptr()) < 0 {
                return Err(());
            }
        }
        let mkey = s("__module__")?;
        if is_none(module) {
            let f = ok(Obj::new(crate::abc::new_func(&BREAK_REDUCE, null_mut())))?;
            crate::abstract_::PyObject_SetItem(classdict.ptr(), s("__reduce_ex__")?.ptr(), f.ptr());
            let unk = s("<unknown>")?;
            crate::abstract_::PyObject_SetItem(classdict.ptr(), mkey.ptr(), unk.ptr());
        } else if crate::abstract_::PyObject_SetItem(classdict.ptr(), mkey.ptr(), module) < 0 {
            return Err(());
        }
        if !is_none(qualname)
            && crate::abstract_::PyObject_SetItem(
                classdict.ptr(),
                s("__qualname__")?.ptr(),
                qualname,
            ) < 0
        {
            return Err(());
        }
        let args = ok(Obj::new(crate::tupleobject::from_slice(&[
            class_name,
            bases_t.ptr(),
            classdict.ptr(),
        ])))?;
        let kw = ok(Obj::new(crate::dictobject::new_dict()))?;
        dset_str(kw.ptr(), "boundary", bnd)?;
        let newf = (*metacls.cast::<PyTypeObject>())
            .tp_new
            .expect("a metaclass has tp_new");
        ok(Obj::new(crate::extcall::new(
            newf,
            metacls.cast(),
            args.ptr(),
            kw.ptr(),
        )))
    }
}

unsafe fn break_reduce(a: &[*mut PyObject], _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: Func contract.
    out(unsafe { rep(a[0]) }.and_then(|r| type_err(&format!("{r} cannot be pickled"))))
}
static BREAK_REDUCE: FuncDef = FuncDef::new(
    "_make_class_unpicklable.<locals>._break_on_call_reduce",
    &["self", "proto"],
    2,
    Kind::Method,
    break_reduce,
);
