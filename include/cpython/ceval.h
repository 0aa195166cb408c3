/* gilgate: the non-limited part of ceval.h. */
#ifndef GILGATE_CPYTHON_CEVAL_H
#define GILGATE_CPYTHON_CEVAL_H

/* Slice index converters (usable with the O& format): store the index of `v` (clamped to the
 * Py_ssize_t range) in *pi and return 1, or return 0 with TypeError set. _PyEval_SliceIndex
 * accepts None and then leaves *pi unchanged. */
PyAPI_FUNC(int) _PyEval_SliceIndex(PyObject *v, Py_ssize_t *pi);
PyAPI_FUNC(int) _PyEval_SliceIndexNotNone(PyObject *v, Py_ssize_t *pi);

#endif /* GILGATE_CPYTHON_CEVAL_H */
