/* gilgate: osmodule.h of CPython 3.14's API (declarations; the runtime exports every name). */
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
