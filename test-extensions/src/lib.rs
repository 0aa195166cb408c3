//! Sample extension modules (skeleton).
