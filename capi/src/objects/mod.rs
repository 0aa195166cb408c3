//! The object model: one file per type, after CPython's `Objects/` (and the header of the same
//! stem in `include/`). These files call each other freely, as CPython's do.

#[path = "abstract.rs"]
pub mod abstract_;
pub mod boolobject;
pub mod bytearrayobject;
pub mod bytesobject;
pub mod complexobject;
pub mod descrobject;
pub mod dictobject;
pub mod exceptions;
pub mod floatobject;
pub mod funcobject;
pub mod iterobject;
pub mod listobject;
pub mod longobject;
pub mod memoryobject;
pub mod methodobject;
pub mod moduleobject;
pub mod object;
pub mod pybuffer;
pub mod pycapsule;
pub mod rangeobject;
pub mod setobject;
pub mod sliceobject;
pub mod structseq;
pub mod tupleobject;
pub mod typeobject;
pub mod typeslots;
pub mod unicodeobject;
pub mod weakrefobject;
