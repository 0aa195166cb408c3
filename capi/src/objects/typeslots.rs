//! `typeslots.h`: the slot numbers of `PyType_Slot` and the table that maps each to its
//! field of the (heap) type object.

use crate::object::PyTypeObject;
use crate::typeobject::PyHeapTypeObject;
use std::ffi::{c_int, c_void};

pub const Py_bf_getbuffer: c_int = 1;
pub const Py_bf_releasebuffer: c_int = 2;
pub const Py_mp_ass_subscript: c_int = 3;
pub const Py_mp_length: c_int = 4;
pub const Py_mp_subscript: c_int = 5;
pub const Py_nb_absolute: c_int = 6;
pub const Py_nb_add: c_int = 7;
pub const Py_nb_and: c_int = 8;
pub const Py_nb_bool: c_int = 9;
pub const Py_nb_divmod: c_int = 10;
pub const Py_nb_float: c_int = 11;
pub const Py_nb_floor_divide: c_int = 12;
pub const Py_nb_index: c_int = 13;
pub const Py_nb_inplace_add: c_int = 14;
pub const Py_nb_inplace_and: c_int = 15;
pub const Py_nb_inplace_floor_divide: c_int = 16;
pub const Py_nb_inplace_lshift: c_int = 17;
pub const Py_nb_inplace_multiply: c_int = 18;
pub const Py_nb_inplace_or: c_int = 19;
pub const Py_nb_inplace_power: c_int = 20;
pub const Py_nb_inplace_remainder: c_int = 21;
pub const Py_nb_inplace_rshift: c_int = 22;
pub const Py_nb_inplace_subtract: c_int = 23;
pub const Py_nb_inplace_true_divide: c_int = 24;
pub const Py_nb_inplace_xor: c_int = 25;
pub const Py_nb_int: c_int = 26;
pub const Py_nb_invert: c_int = 27;
pub const Py_nb_lshift: c_int = 28;
pub const Py_nb_multiply: c_int = 29;
pub const Py_nb_negative: c_int = 30;
pub const Py_nb_or: c_int = 31;
pub const Py_nb_positive: c_int = 32;
pub const Py_nb_power: c_int = 33;
pub const Py_nb_remainder: c_int = 34;
pub const Py_nb_rshift: c_int = 35;
pub const Py_nb_subtract: c_int = 36;
pub const Py_nb_true_divide: c_int = 37;
pub const Py_nb_xor: c_int = 38;
pub const Py_sq_ass_item: c_int = 39;
pub const Py_sq_concat: c_int = 40;
pub const Py_sq_contains: c_int = 41;
pub const Py_sq_inplace_concat: c_int = 42;
pub const Py_sq_inplace_repeat: c_int = 43;
pub const Py_sq_item: c_int = 44;
pub const Py_sq_length: c_int = 45;
pub const Py_sq_repeat: c_int = 46;
pub const Py_tp_alloc: c_int = 47;
pub const Py_tp_base: c_int = 48;
pub const Py_tp_bases: c_int = 49;
pub const Py_tp_call: c_int = 50;
pub const Py_tp_clear: c_int = 51;
pub const Py_tp_dealloc: c_int = 52;
pub const Py_tp_del: c_int = 53;
pub const Py_tp_descr_get: c_int = 54;
pub const Py_tp_descr_set: c_int = 55;
pub const Py_tp_doc: c_int = 56;
pub const Py_tp_getattr: c_int = 57;
pub const Py_tp_getattro: c_int = 58;
pub const Py_tp_hash: c_int = 59;
pub const Py_tp_init: c_int = 60;
pub const Py_tp_is_gc: c_int = 61;
pub const Py_tp_iter: c_int = 62;
pub const Py_tp_iternext: c_int = 63;
pub const Py_tp_methods: c_int = 64;
pub const Py_tp_new: c_int = 65;
pub const Py_tp_repr: c_int = 66;
pub const Py_tp_richcompare: c_int = 67;
pub const Py_tp_setattr: c_int = 68;
pub const Py_tp_setattro: c_int = 69;
pub const Py_tp_str: c_int = 70;
pub const Py_tp_traverse: c_int = 71;
pub const Py_tp_members: c_int = 72;
pub const Py_tp_getset: c_int = 73;
pub const Py_tp_free: c_int = 74;
pub const Py_nb_matrix_multiply: c_int = 75;
pub const Py_nb_inplace_matrix_multiply: c_int = 76;
pub const Py_am_await: c_int = 77;
pub const Py_am_aiter: c_int = 78;
pub const Py_am_anext: c_int = 79;
pub const Py_tp_finalize: c_int = 80;
pub const Py_am_send: c_int = 81;
pub const Py_tp_vectorcall: c_int = 82;
pub const Py_tp_token: c_int = 83;

/// Reinterprets a slot value as the slot's (optional) function pointer type.
///
/// # Safety
/// `v` must be NULL or a function of the type `T` wraps.
unsafe fn fp<T: Copy>(v: *mut c_void) -> T {
    const { assert!(std::mem::size_of::<T>() == std::mem::size_of::<*mut c_void>()) };
    // SAFETY: same size; NULL maps to None for the `Option<fn>` slot types.
    unsafe { std::mem::transmute_copy(&v) }
}

/// Stores slot `id` of a heap type (the sub-structures are the heap type's own).
/// `Err` for an unknown number. `Py_tp_base`, `Py_tp_bases`, `Py_tp_doc`, `Py_tp_members`
/// and `Py_tp_token` are handled by the caller.
///
/// # Safety
/// `ht` must be a heap type under construction; `v` must have the slot's signature.
#[allow(clippy::result_unit_err)]
pub(crate) unsafe fn set_slot(
    ht: *mut PyHeapTypeObject,
    id: c_int,
    v: *mut c_void,
) -> Result<(), ()> {
    // SAFETY: forwarded contract: `v` is a function pointer (or table) of the slot's type.
    unsafe {
        let t = &mut (*ht).ht_type;
        match id {
            Py_bf_getbuffer => (*ht).as_buffer.bf_getbuffer = fp(v),
            Py_bf_releasebuffer => (*ht).as_buffer.bf_releasebuffer = fp(v),
            Py_mp_ass_subscript => (*ht).as_mapping.mp_ass_subscript = fp(v),
            Py_mp_length => (*ht).as_mapping.mp_length = fp(v),
            Py_mp_subscript => (*ht).as_mapping.mp_subscript = fp(v),
            Py_nb_absolute => (*ht).as_number.nb_absolute = fp(v),
            Py_nb_add => (*ht).as_number.nb_add = fp(v),
            Py_nb_and => (*ht).as_number.nb_and = fp(v),
            Py_nb_bool => (*ht).as_number.nb_bool = fp(v),
            Py_nb_divmod => (*ht).as_number.nb_divmod = fp(v),
            Py_nb_float => (*ht).as_number.nb_float = fp(v),
            Py_nb_floor_divide => (*ht).as_number.nb_floor_divide = fp(v),
            Py_nb_index => (*ht).as_number.nb_index = fp(v),
            Py_nb_inplace_add => (*ht).as_number.nb_inplace_add = fp(v),
            Py_nb_inplace_and => (*ht).as_number.nb_inplace_and = fp(v),
            Py_nb_inplace_floor_divide => (*ht).as_number.nb_inplace_floor_divide = fp(v),
            Py_nb_inplace_lshift => (*ht).as_number.nb_inplace_lshift = fp(v),
            Py_nb_inplace_multiply => (*ht).as_number.nb_inplace_multiply = fp(v),
            Py_nb_inplace_or => (*ht).as_number.nb_inplace_or = fp(v),
            Py_nb_inplace_power => (*ht).as_number.nb_inplace_power = fp(v),
            Py_nb_inplace_remainder => (*ht).as_number.nb_inplace_remainder = fp(v),
            Py_nb_inplace_rshift => (*ht).as_number.nb_inplace_rshift = fp(v),
            Py_nb_inplace_subtract => (*ht).as_number.nb_inplace_subtract = fp(v),
            Py_nb_inplace_true_divide => (*ht).as_number.nb_inplace_true_divide = fp(v),
            Py_nb_inplace_xor => (*ht).as_number.nb_inplace_xor = fp(v),
            Py_nb_int => (*ht).as_number.nb_int = fp(v),
            Py_nb_invert => (*ht).as_number.nb_invert = fp(v),
            Py_nb_lshift => (*ht).as_number.nb_lshift = fp(v),
            Py_nb_multiply => (*ht).as_number.nb_multiply = fp(v),
            Py_nb_negative => (*ht).as_number.nb_negative = fp(v),
            Py_nb_or => (*ht).as_number.nb_or = fp(v),
            Py_nb_positive => (*ht).as_number.nb_positive = fp(v),
            Py_nb_power => (*ht).as_number.nb_power = fp(v),
            Py_nb_remainder => (*ht).as_number.nb_remainder = fp(v),
            Py_nb_rshift => (*ht).as_number.nb_rshift = fp(v),
            Py_nb_subtract => (*ht).as_number.nb_subtract = fp(v),
            Py_nb_true_divide => (*ht).as_number.nb_true_divide = fp(v),
            Py_nb_xor => (*ht).as_number.nb_xor = fp(v),
            Py_sq_ass_item => (*ht).as_sequence.sq_ass_item = fp(v),
            Py_sq_concat => (*ht).as_sequence.sq_concat = fp(v),
            Py_sq_contains => (*ht).as_sequence.sq_contains = fp(v),
            Py_sq_inplace_concat => (*ht).as_sequence.sq_inplace_concat = fp(v),
            Py_sq_inplace_repeat => (*ht).as_sequence.sq_inplace_repeat = fp(v),
            Py_sq_item => (*ht).as_sequence.sq_item = fp(v),
            Py_sq_length => (*ht).as_sequence.sq_length = fp(v),
            Py_sq_repeat => (*ht).as_sequence.sq_repeat = fp(v),
            Py_tp_alloc => t.tp_alloc = fp(v),
            Py_tp_call => t.tp_call = fp(v),
            Py_tp_clear => t.tp_clear = fp(v),
            Py_tp_dealloc => t.tp_dealloc = fp(v),
            Py_tp_del => t.tp_del = fp(v),
            Py_tp_descr_get => t.tp_descr_get = fp(v),
            Py_tp_descr_set => t.tp_descr_set = fp(v),
            Py_tp_getattr => t.tp_getattr = fp(v),
            Py_tp_getattro => t.tp_getattro = fp(v),
            Py_tp_hash => t.tp_hash = fp(v),
            Py_tp_init => t.tp_init = fp(v),
            Py_tp_is_gc => t.tp_is_gc = fp(v),
            Py_tp_iter => t.tp_iter = fp(v),
            Py_tp_iternext => t.tp_iternext = fp(v),
            Py_tp_methods => t.tp_methods = v.cast(),
            Py_tp_new => t.tp_new = fp(v),
            Py_tp_repr => t.tp_repr = fp(v),
            Py_tp_richcompare => t.tp_richcompare = fp(v),
            Py_tp_setattr => t.tp_setattr = fp(v),
            Py_tp_setattro => t.tp_setattro = fp(v),
            Py_tp_str => t.tp_str = fp(v),
            Py_tp_traverse => t.tp_traverse = fp(v),
            Py_tp_getset => t.tp_getset = v.cast(),
            Py_tp_free => t.tp_free = fp(v),
            Py_nb_matrix_multiply => (*ht).as_number.nb_matrix_multiply = fp(v),
            Py_nb_inplace_matrix_multiply => (*ht).as_number.nb_inplace_matrix_multiply = fp(v),
            Py_am_await => (*ht).as_async.am_await = fp(v),
            Py_am_aiter => (*ht).as_async.am_aiter = fp(v),
            Py_am_anext => (*ht).as_async.am_anext = fp(v),
            Py_tp_finalize => t.tp_finalize = fp(v),
            Py_am_send => (*ht).as_async.am_send = fp(v),
            Py_tp_vectorcall => t.tp_vectorcall = fp(v),
            _ => return Err(()),
        }
        Ok(())
    }
}

/// Reads slot `id` of any type (`PyType_GetSlot`): NULL when the type or its sub-structure
/// lacks it. `Err` for an invalid number.
///
/// # Safety
/// `t` must be a type object.
#[allow(clippy::result_unit_err)]
pub(crate) unsafe fn get_slot(t: *mut PyTypeObject, id: c_int) -> Result<*mut c_void, ()> {
    // SAFETY: forwarded contract; the sub-structure pointers are NULL or valid.
    unsafe {
        let t = &*t;
        Ok(match id {
            Py_bf_getbuffer => {
                if t.tp_as_buffer.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_buffer)
                        .bf_getbuffer
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_bf_releasebuffer => {
                if t.tp_as_buffer.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_buffer)
                        .bf_releasebuffer
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_mp_ass_subscript => {
                if t.tp_as_mapping.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_mapping)
                        .mp_ass_subscript
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_mp_length => {
                if t.tp_as_mapping.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_mapping)
                        .mp_length
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_mp_subscript => {
                if t.tp_as_mapping.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_mapping)
                        .mp_subscript
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_absolute => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_absolute
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_add => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_add
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_and => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_and
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_bool => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_bool
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_divmod => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_divmod
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_float => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_float
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_floor_divide => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_floor_divide
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_index => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_index
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_add => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_add
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_and => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_and
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_floor_divide => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_floor_divide
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_lshift => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_lshift
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_multiply => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_multiply
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_or => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_or
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_power => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_power
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_remainder => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_remainder
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_rshift => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_rshift
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_subtract => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_subtract
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_true_divide => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_true_divide
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_xor => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_xor
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_int => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_int
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_invert => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_invert
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_lshift => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_lshift
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_multiply => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_multiply
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_negative => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_negative
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_or => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_or
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_positive => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_positive
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_power => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_power
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_remainder => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_remainder
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_rshift => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_rshift
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_subtract => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_subtract
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_true_divide => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_true_divide
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_xor => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_xor
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_ass_item => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_ass_item
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_concat => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_concat
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_contains => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_contains
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_inplace_concat => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_inplace_concat
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_inplace_repeat => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_inplace_repeat
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_item => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_item
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_length => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_length
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_sq_repeat => {
                if t.tp_as_sequence.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_sequence)
                        .sq_repeat
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_tp_alloc => t
                .tp_alloc
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_base => t.tp_base.cast(),
            Py_tp_bases => t.tp_bases.cast(),
            Py_tp_call => t.tp_call.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_clear => t
                .tp_clear
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_dealloc => t
                .tp_dealloc
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_del => t.tp_del.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_descr_get => t
                .tp_descr_get
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_descr_set => t
                .tp_descr_set
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_doc => t.tp_doc.cast_mut().cast(),
            Py_tp_getattr => t
                .tp_getattr
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_getattro => t
                .tp_getattro
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_hash => t.tp_hash.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_init => t.tp_init.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_is_gc => t
                .tp_is_gc
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_iter => t.tp_iter.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_iternext => t
                .tp_iternext
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_methods => t.tp_methods.cast(),
            Py_tp_new => t.tp_new.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_repr => t.tp_repr.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_richcompare => t
                .tp_richcompare
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_setattr => t
                .tp_setattr
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_setattro => t
                .tp_setattro
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_str => t.tp_str.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_traverse => t
                .tp_traverse
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_members => t.tp_members.cast(),
            Py_tp_getset => t.tp_getset.cast(),
            Py_tp_free => t.tp_free.map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_nb_matrix_multiply => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_matrix_multiply
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_nb_inplace_matrix_multiply => {
                if t.tp_as_number.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_number)
                        .nb_inplace_matrix_multiply
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_am_await => {
                if t.tp_as_async.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_async)
                        .am_await
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_am_aiter => {
                if t.tp_as_async.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_async)
                        .am_aiter
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_am_anext => {
                if t.tp_as_async.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_async)
                        .am_anext
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_tp_finalize => t
                .tp_finalize
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_am_send => {
                if t.tp_as_async.is_null() {
                    std::ptr::null_mut()
                } else {
                    (*t.tp_as_async)
                        .am_send
                        .map_or(std::ptr::null_mut(), |f| f as *mut c_void)
                }
            }
            Py_tp_vectorcall => t
                .tp_vectorcall
                .map_or(std::ptr::null_mut(), |f| f as *mut c_void),
            Py_tp_token => {
                if t.tp_flags & crate::object::Py_TPFLAGS_HEAPTYPE == 0 {
                    std::ptr::null_mut()
                } else {
                    (*(t as *const PyTypeObject).cast::<PyHeapTypeObject>()).ht_token
                }
            }
            _ => return Err(()),
        })
    }
}
