//! `pyerrors.h`: the error indicator and the exception types. (Skeleton: filled in by the
//! object-model work.)

/// Sets the error indicator to a `SystemError` with this message.
pub fn set_system_error(msg: &str) {
    let _ = msg;
    unimplemented!("pyerrors::set_system_error")
}
