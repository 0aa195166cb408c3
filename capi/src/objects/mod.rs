//! The object model: one file per type, after CPython's `Objects/` (and the header of the same
//! stem in `include/`). These files call each other freely, as CPython's do.

#[path = "abstract.rs"]
pub(crate) mod abstract_;
pub(crate) mod boolobject;
pub(crate) mod bytearrayobject;
pub(crate) mod bytes_methods;
pub(crate) mod bytesobject;
pub(crate) mod classobject;
pub(crate) mod codeobject;
pub(crate) mod complexobject;
pub(crate) mod descrobject;
pub(crate) mod dictobject;
pub(crate) mod enumobject;
pub(crate) mod exceptions;
pub(crate) mod fileobject;
pub(crate) mod floatobject;
pub(crate) mod frameobject;
pub(crate) mod funcobject;
pub(crate) mod iterobject;
pub(crate) mod listobject;
pub(crate) mod longobject;
pub(crate) mod memoryobject;
pub(crate) mod methodobject;
pub(crate) mod moduleobject;
pub(crate) mod object;
pub(crate) mod pybuffer;
pub(crate) mod pycapsule;
pub(crate) mod rangeobject;
pub(crate) mod setobject;
pub(crate) mod sliceobject;
pub(crate) mod structseq;
pub(crate) mod tupleobject;
pub(crate) mod typeobject;
pub(crate) mod typeslots;
pub(crate) mod unicodeobject;
pub(crate) mod weakrefobject;
