//! `modsupport.h`: 3.15's `PyABIInfo` and its check (module-building helpers live in
//! `moduleobject.rs`).

use crate::pyerrors::raise_import_error;
use std::ffi::{CStr, c_char, c_int};

/// `PyABIInfo` (12 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PyABIInfo {
    pub abiinfo_major_version: u8,
    pub abiinfo_minor_version: u8,
    pub flags: u16,
    pub build_version: u32,
    pub abi_version: u32,
}

pub const PyABIInfo_STABLE: u16 = 0x1;
pub const PyABIInfo_GIL: u16 = 0x2;
pub const PyABIInfo_FREETHREADED: u16 = 0x4;
pub const PyABIInfo_INTERNAL: u16 = 0x8;
pub const PyABIInfo_FREETHREADING_AGNOSTIC: u16 = PyABIInfo_GIL | PyABIInfo_FREETHREADED;

/// The version whose rules `PyABIInfo_Check` applies (3.15.2, free-threaded).
pub const CHECK_VERSION_HEX: u32 = 0x030F_02F0;

/// `PyABIInfo_Check` (§2.5): 0 or -1 with ImportError("<module>: <reason>").
///
/// # Safety
/// `info` must be NULL or point to a `PyABIInfo`.
pub unsafe fn abi_info_check(info: *const PyABIInfo, module_name: Option<&str>) -> c_int {
    let fail = |reason: String| {
        let msg = match module_name {
            Some(n) => format!("{n}: {reason}"),
            None => reason,
        };
        raise_import_error(&msg, None, None);
        -1
    };
    // SAFETY: forwarded contract.
    let Some(i) = (unsafe { info.as_ref() }) else {
        return fail("NULL PyABIInfo".into());
    };
    if i.abiinfo_major_version == 0 {
        return 0;
    }
    if i.abiinfo_major_version > 1 {
        return fail("PyABIInfo version too high".into());
    }
    let running_xy = CHECK_VERSION_HEX & 0xffff_0000;
    let xy = |v: u32| ((v >> 24) & 0xff, (v >> 16) & 0xff);
    if i.flags & PyABIInfo_INTERNAL != 0 && i.abi_version != 0 && i.abi_version != CHECK_VERSION_HEX
    {
        return fail(format!(
            "incompatible internal ABI (0x{:x} != 0x{:x})",
            i.abi_version, CHECK_VERSION_HEX
        ));
    }
    if i.flags & PyABIInfo_STABLE != 0 {
        if i.abi_version != 0 {
            let (x, y) = xy(i.abi_version);
            if i.abi_version & 0xffff_0000 > running_xy {
                return fail(format!("incompatible future stable ABI version ({x}.{y})"));
            }
            if i.abi_version < 0x0302_0000 {
                return fail(format!("invalid stable ABI version ({x}.{y})"));
            }
        }
        if i.flags & PyABIInfo_INTERNAL != 0 {
            return fail("cannot use both internal and stable ABI".into());
        }
    } else if i.abi_version != 0 && i.abi_version & 0xffff_0000 != running_xy {
        let (x, y) = xy(i.abi_version);
        return fail(format!("incompatible ABI version ({x}.{y})"));
    }
    if i.flags & (PyABIInfo_GIL | PyABIInfo_FREETHREADED) == PyABIInfo_GIL {
        return fail("incompatible with free-threaded CPython".into());
    }
    0
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyABIInfo_Check(
    info: *const PyABIInfo,
    module_name: *const c_char,
) -> c_int {
    crate::ffi_guard::guard("PyABIInfo_Check", -1, || {
        // SAFETY: NULL or a PyABIInfo, and NULL or a NUL-terminated name.
        unsafe {
            let n = if module_name.is_null() {
                None
            } else {
                Some(CStr::from_ptr(module_name).to_string_lossy())
            };
            abi_info_check(info, n.as_deref())
        }
    })
}
