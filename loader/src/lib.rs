//! gilgate-loader (skeleton).
