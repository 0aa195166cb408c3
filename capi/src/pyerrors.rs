//! `pyerrors.h`: the error indicator and the exception types. (Skeleton: filled in by the
//! object-model work.)

/// Sets the error indicator to a `SystemError` with this message.
pub fn set_system_error(msg: &str) {
    let _ = msg;
    unimplemented!("pyerrors::set_system_error")
}

/// A Python exception taken out of the error indicator, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcInfo {
    /// The exception type's `__name__` (`"SystemError"`).
    pub type_name: String,
    /// `str()` of the exception.
    pub message: String,
    /// The `__cause__`, if any.
    pub cause: Option<Box<ExcInfo>>,
}

/// Takes the current exception out of this thread's error indicator (clearing it).
pub fn take_exception() -> Option<ExcInfo> {
    unimplemented!("take_exception")
}

/// Sets the error indicator: an exception of type `PyExc_<type_name>` with `msg`.
pub fn set_error(type_name: &str, msg: &str) {
    let _ = (type_name, msg);
    unimplemented!("set_error")
}
