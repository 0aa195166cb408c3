//! `structseq.h`: struct sequences, tuple subclasses whose items also have names
//! (`os.stat_result`-style). The visible items are the tuple's `ob_size` first items; hidden
//! fields (past `n_in_sequence`) follow them in the same allocation.

use crate::export;
use crate::object::{PyObject, PyTypeObject, PyVarObject};
use crate::refcount::{decref, xdecref};
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_int};
use std::ptr::null_mut;
use std::sync::Mutex;

/// `PyStructSequence_Field`.
#[repr(C)]
pub struct PyStructSequence_Field {
    pub name: *const c_char,
    pub doc: *const c_char,
}

/// `PyStructSequence_Desc`.
#[repr(C)]
pub struct PyStructSequence_Desc {
    pub name: *const c_char,
    pub doc: *const c_char,
    pub fields: *mut PyStructSequence_Field,
    pub n_in_sequence: c_int,
}

use crate::static_data::PyStructSequence_UnnamedField;

/// Field names (None: unnamed) and the visible count, per struct-sequence type.
struct Info {
    fields: Vec<Option<String>>,
    visible: usize,
}

static TYPES: Mutex<Option<HashMap<usize, Info>>> = Mutex::new(None);

fn with_info<R>(t: *mut PyTypeObject, f: impl FnOnce(Option<&Info>) -> R) -> R {
    let g = TYPES.lock().unwrap_or_else(|e| e.into_inner());
    f(g.as_ref().and_then(|m| m.get(&(t as usize))))
}

/// # Safety
/// `desc` must be a valid descriptor with a NULL-name-terminated field list.
unsafe fn read_desc(desc: *const PyStructSequence_Desc) -> Info {
    // SAFETY: forwarded contract.
    unsafe {
        let mut fields = Vec::new();
        let mut f = (*desc).fields;
        while !f.is_null() && !(*f).name.is_null() {
            let n = (*f).name;
            fields.push(if n == PyStructSequence_UnnamedField.0 {
                None
            } else {
                Some(CStr::from_ptr(n).to_string_lossy().into_owned())
            });
            f = f.add(1);
        }
        let visible = usize::try_from((*desc).n_in_sequence)
            .unwrap_or(0)
            .min(fields.len());
        Info { fields, visible }
    }
}

unsafe extern "C" fn seq_dealloc(op: *mut PyObject) {
    // SAFETY: a dead struct sequence: every field slot (visible and hidden) is ours.
    unsafe {
        let t = crate::object::ty(op);
        let n = with_info(t, |i| i.map_or(0, |i| i.fields.len()));
        let items = op.cast::<u8>().add(48).cast::<*mut PyObject>();
        for k in 0..n {
            xdecref(*items.add(k));
        }
        crate::objimpl::default_dealloc(op);
    }
}

unsafe extern "C" fn seq_getattro(op: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects (slot contract).
    unsafe {
        if let Some(n) = crate::unicodeobject::as_str(name) {
            let t = crate::object::ty(op);
            let idx = with_info(t, |i| {
                i.and_then(|i| i.fields.iter().rposition(|f| f.as_deref() == Some(n)))
            });
            if let Some(k) = idx {
                let v = *op.cast::<u8>().add(48).cast::<*mut PyObject>().add(k);
                if !v.is_null() {
                    return crate::refcount::new_ref(v);
                }
            }
        }
        crate::object::PyObject_GenericGetAttr(op, name)
    }
}

unsafe extern "C" fn seq_repr(op: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live struct sequence (slot contract).
    unsafe {
        let t = crate::object::ty(op);
        let names = with_info(t, |i| i.map(|i| i.fields.clone()).unwrap_or_default());
        let parts: Vec<String> = crate::tupleobject::items(op)
            .iter()
            .zip(names)
            .map(|(&v, f)| {
                let r = if v.is_null() {
                    "NULL".to_string()
                } else {
                    crate::object::repr_string(v)
                };
                format!("{}={r}", f.as_deref().unwrap_or("unnamed field"))
            })
            .collect();
        crate::unicodeobject::from_str(&format!(
            "{}({})",
            crate::object::type_name(t),
            parts.join(", ")
        ))
    }
}

/// `T(sequence, dict=None)`: the visible fields from the sequence (CPython's length checks and
/// texts), the hidden ones from `dict` by name or None.
unsafe extern "C" fn seq_new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kw: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: slot contract: `args` a tuple, `kw` NULL or a dict.
    unsafe {
        let Some(v) = crate::importlib::py_args(
            &format!("{}.__new__", crate::object::type_name(t)),
            args,
            kw,
            &["sequence", "dict"],
            1,
        ) else {
            return null_mut();
        };
        let seq = crate::abstract_::PySequence_Tuple(v[0]);
        if seq.is_null() {
            return null_mut();
        }
        let items = crate::tupleobject::items(seq).to_vec();
        let Some((fields, visible)) = with_info(t, |i| i.map(|i| (i.fields.clone(), i.visible)))
        else {
            decref(seq);
            crate::pyerrors::set_system_error("structseq: not a struct sequence type");
            return null_mut();
        };
        let (min, max) = (visible, fields.len());
        let tn = CStr::from_ptr((*t).tp_name).to_string_lossy().into_owned();
        let len = items.len();
        let bad = if len < min {
            Some(if min == max {
                format!("{tn}() takes a {min}-sequence ({len}-sequence given)")
            } else {
                format!("{tn}() takes an at least {min}-sequence ({len}-sequence given)")
            })
        } else if len > max {
            Some(if min == max {
                format!("{tn}() takes a {max}-sequence ({len}-sequence given)")
            } else {
                format!("{tn}() takes an at most {max}-sequence ({len}-sequence given)")
            })
        } else {
            None
        };
        if let Some(m) = bad {
            decref(seq);
            return crate::pyerrors::raise(&raw mut crate::pyerrors::EXC_TypeError, &m);
        }
        let op = new_instance(t);
        if op.is_null() {
            decref(seq);
            return op;
        }
        let slots = op.cast::<u8>().add(48).cast::<*mut PyObject>();
        let dict = v[1];
        for (k, f) in fields.iter().enumerate() {
            let x = if k < len {
                items[k]
            } else if !dict.is_null()
                && crate::dictobject::is_dict(dict)
                && let Some(name) = f.as_deref()
                && !crate::dictobject::get_str(dict, name).is_null()
            {
                crate::dictobject::get_str(dict, name)
            } else {
                crate::object::none()
            };
            *slots.add(k) = crate::refcount::new_ref(x);
        }
        decref(seq);
        op
    }
}

/// Fills `t` as a struct-sequence type for `desc`, readies it and records its fields.
///
/// # Safety
/// `t` must be writable type storage; `desc` a valid descriptor.
pub(crate) unsafe fn init_type(t: *mut PyTypeObject, desc: *const PyStructSequence_Desc) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        let info = read_desc(desc);
        let name: &'static CStr =
            Box::leak(CString::from(CStr::from_ptr((*desc).name)).into_boxed_c_str());
        t.write(PyTypeObject {
            tp_base: &raw mut crate::tupleobject::PyTuple_Type,
            tp_getattro: Some(seq_getattro),
            tp_repr: Some(seq_repr),
            tp_dealloc: Some(seq_dealloc),
            tp_new: Some(seq_new),
            tp_doc: (*desc).doc,
            ..crate::object::static_type(name, 48, 8, crate::object::Py_TPFLAGS_TUPLE_SUBCLASS)
        });
        // `static_type` marks the type ready; clear that so readying inherits tuple's slots
        // (`len()`, indexing, iteration).
        (*t).tp_flags &= !crate::object::Py_TPFLAGS_READY;
        TYPES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashMap::new)
            .insert(t as usize, info);
        let r = crate::object::type_ready(t);
        if r < 0 {
            return r;
        }
        // `n_sequence_fields`, `n_fields`, `n_unnamed_fields`, as CPython's types have them
        let (n, visible, unnamed) = with_info(t, |i| {
            i.map_or((0, 0, 0), |i| {
                (
                    i.fields.len(),
                    i.visible,
                    i.fields.iter().filter(|f| f.is_none()).count(),
                )
            })
        });
        let d = crate::object::ensure_dict(t);
        if d.is_null() {
            return -1;
        }
        for (k, v) in [
            ("n_sequence_fields", visible),
            ("n_fields", n),
            ("n_unnamed_fields", unnamed),
        ] {
            let o = crate::longobject::from_i64(v as i64);
            if o.is_null() || crate::dictobject::set_item_str(d, k, o) < 0 {
                crate::refcount::xdecref(o);
                return -1;
            }
            crate::refcount::decref(o);
        }
        0
    }
}

#[export]
pub unsafe fn PyStructSequence_InitType2(
    t: *mut PyTypeObject,
    desc: *mut PyStructSequence_Desc,
) -> c_int {
    // SAFETY: C API contract.
    unsafe { init_type(t, desc) }
}

#[export]
pub unsafe fn PyStructSequence_InitType(t: *mut PyTypeObject, desc: *mut PyStructSequence_Desc) {
    // SAFETY: C API contract.
    unsafe {
        init_type(t, desc);
    }
}

#[export]
pub unsafe fn PyStructSequence_NewType(desc: *mut PyStructSequence_Desc) -> *mut PyTypeObject {
    // A type that lives for the process (like a static type).
    let t = Box::into_raw(Box::new(crate::object::static_type(c"", 0, 0, 0)));
    // SAFETY: fresh writable storage; the descriptor per the C API contract.
    if unsafe { init_type(t, desc) } < 0 {
        return null_mut();
    }
    t
}

/// A new instance of a struct-sequence type with every field NULL (new reference).
pub(crate) fn new_instance(t: *mut PyTypeObject) -> *mut PyObject {
    let Some((n, visible)) = with_info(t, |i| i.map(|i| (i.fields.len(), i.visible))) else {
        crate::pyerrors::set_system_error("PyStructSequence_New: not a struct sequence type");
        return null_mut();
    };
    // SAFETY: `t` is a ready struct-sequence type with tuple layout.
    let op = unsafe { crate::objimpl::alloc_object(t, n as isize) };
    if !op.is_null() {
        // SAFETY: a fresh tuple-layout object: only the visible items count as the tuple.
        unsafe {
            (*op.cast::<crate::tupleobject::PyTupleObject>()).ob_hash = -1;
            (*op.cast::<PyVarObject>()).ob_size = visible as isize;
        }
    }
    op
}

#[export]
pub unsafe fn PyStructSequence_New(t: *mut PyTypeObject) -> *mut PyObject {
    new_instance(t)
}

#[export]
pub unsafe fn PyStructSequence_GetItem(op: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: C API contract: a struct sequence and a field index in range.
    unsafe { *op.cast::<u8>().add(48).cast::<*mut PyObject>().offset(i) }
}

#[export]
pub unsafe fn PyStructSequence_SetItem(op: *mut PyObject, i: isize, v: *mut PyObject) {
    // SAFETY: C API contract: a struct sequence being filled; the reference to `v` is stolen.
    unsafe {
        let slot = op.cast::<u8>().add(48).cast::<*mut PyObject>().offset(i);
        xdecref(std::mem::replace(&mut *slot, v));
    }
}
