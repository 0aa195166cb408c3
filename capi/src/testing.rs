//! What capi's own tests (and the root crate's) need beyond [`crate::ffi`] and
//! [`crate::host`]: internal helpers, grouped by the module that defines them. Not part of
//! any contract; hidden from the docs.

pub mod boolobject {
    pub use crate::boolobject::{from_bool, true_};
}

pub mod bytesobject {
    pub use crate::bytesobject::{as_bytes, from_bytes};
}

pub mod datetime {
    pub use crate::datetime::capi;
}

pub mod dictobject {
    pub use crate::dictobject::{len, new_dict, set_item};
}

pub mod ffi_guard {
    pub use crate::ffi_guard::take_void_failures;
}

pub mod floatobject {
    pub use crate::floatobject::{from_f64, value};
}

pub mod import {
    pub use crate::import::{is_package, search_roots};
}

pub mod initconfig {
    pub use crate::initconfig::orig_argv;
}

pub mod iterobject {
    pub use crate::iterobject::{compare_bool, get_iter, next};
}

pub mod longobject {
    pub use crate::longobject::{LONG_AS_NUMBER, compact, from_i128, is_int, value_i128};
}

pub mod moduleobject {
    pub use crate::moduleobject::{exec_module, is_module, new_module};
}

pub mod object {
    pub use crate::object::extra::near_stack_limit;
    pub use crate::object::{
        eq, getattr, hash, is_subtype, new_none, none, repr, repr_string, static_type, str_string,
        ty, type_name, type_short_name,
    };
}

pub mod objimpl {
    pub use crate::objimpl::{alloc_object, default_dealloc};
}

pub mod pyerrors {
    pub use crate::pyerrors::{current, raise};
}

pub mod qsbr {
    pub use crate::qsbr::{abandoned_frees, pending_frees};
}

pub mod rangeobject {
    pub use crate::rangeobject::new_range;
}

pub mod refcount {
    pub use crate::refcount::{is_immortal, new_ref, pending_count, refcnt, thread_id};
}

pub mod sliceobject {
    pub use crate::sliceobject::indices;
}

pub mod sysmodule {
    pub use crate::sysmodule::{gil_enabled, module};
}

pub mod tupleobject {
    pub use crate::tupleobject::{from_slice, items};
}

pub mod typeobject {
    pub use crate::typeobject::{object_hash, type_call};
}

pub mod unicodeobject {
    pub use crate::unicodeobject::{as_str, chars, from_str, from_ucs4, kind, length, read};
}

pub mod warnings {
    pub use crate::warnings::{Warning, set_quiet, take_warnings};
}

pub mod weakrefobject {
    pub use crate::weakrefobject::weakref_count;
}
