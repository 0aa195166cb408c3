/* gilgate: running code and printing errors. */
#ifndef Py_PYTHONRUN_H
#define Py_PYTHONRUN_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) Py_CompileString(const char *str, const char *filename, int start);
PyAPI_FUNC(void) PyErr_Print(void);
PyAPI_FUNC(void) PyErr_PrintEx(int set_sys_last_vars);
PyAPI_FUNC(void) PyErr_Display(PyObject *exc, PyObject *value, PyObject *tb);
PyAPI_FUNC(void) PyErr_DisplayException(PyObject *exc);
PyAPI_FUNC(PyObject *) PyRun_String(const char *str, int start, PyObject *globals, PyObject *locals);


PyAPI_DATA(int) (*PyOS_InputHook)(void);

#ifdef __cplusplus
}
#endif
#endif /* Py_PYTHONRUN_H */
