/* gilgate: the non-limited part of ceval.h. */
#ifndef GILGATE_CPYTHON_CEVAL_H
#define GILGATE_CPYTHON_CEVAL_H

/* Slice index converters (usable with the O& format): store the index of `v` (clamped to the
 * Py_ssize_t range) in *pi and return 1, or return 0 with TypeError set. _PyEval_SliceIndex
 * accepts None and then leaves *pi unchanged. */
PyAPI_FUNC(int) _PyEval_SliceIndex(PyObject *v, Py_ssize_t *pi);
PyAPI_FUNC(int) _PyEval_SliceIndexNotNone(PyObject *v, Py_ssize_t *pi);


PyAPI_FUNC(int) PyEval_MergeCompilerFlags(PyCompilerFlags *);
PyAPI_FUNC(void) PyEval_SetProfile(Py_tracefunc, PyObject *);
PyAPI_FUNC(void) PyEval_SetProfileAllThreads(Py_tracefunc, PyObject *);
PyAPI_FUNC(void) PyEval_SetTrace(Py_tracefunc, PyObject *);
PyAPI_FUNC(void) PyEval_SetTraceAllThreads(Py_tracefunc, PyObject *);
PyAPI_FUNC(int) PyUnstable_CopyPerfMapFile(const char *);
PyAPI_FUNC(Py_ssize_t) PyUnstable_Eval_RequestCodeExtraIndex(freefunc);
PyAPI_FUNC(void) PyUnstable_PerfMapState_Fini(void);
PyAPI_FUNC(int) PyUnstable_PerfMapState_Init(void);
PyAPI_FUNC(int) PyUnstable_PerfTrampoline_CompileCode(PyCodeObject *);
PyAPI_FUNC(int) PyUnstable_PerfTrampoline_SetPersistAfterFork(int);
PyAPI_FUNC(int) PyUnstable_WritePerfMapEntry(const void *, unsigned int, const char *);
PyAPI_FUNC(PyObject *) _PyEval_EvalFrameDefault(PyThreadState *, struct _PyInterpreterFrame *, int);

static inline Py_ssize_t _PyEval_RequestCodeExtraIndex(freefunc f)
{
    return PyUnstable_Eval_RequestCodeExtraIndex(f);
}

#endif /* GILGATE_CPYTHON_CEVAL_H */
