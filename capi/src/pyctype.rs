//! `pyctype.h`: the character tables inline code reads.
