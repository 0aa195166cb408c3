/* gilgate: os.fspath.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_OSMODULE_H
#define Py_OSMODULE_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(PyObject *) PyOS_FSPath(PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_OSMODULE_H */
