/* gilgate: symbol visibility for the C API and for module entry points. */
#ifndef Py_EXPORTS_H
#define Py_EXPORTS_H

#define Py_IMPORTED_SYMBOL __attribute__((visibility("default")))
#define Py_EXPORTED_SYMBOL __attribute__((visibility("default")))
#define Py_LOCAL_SYMBOL __attribute__((visibility("hidden")))

/* Functions and data the host provides: resolved from the process at dlopen. */
#define PyAPI_FUNC(RTYPE) Py_IMPORTED_SYMBOL RTYPE
#define PyAPI_DATA(RTYPE) extern Py_IMPORTED_SYMBOL RTYPE

/* Entry points a module defines: C linkage, default visibility. */
#ifdef __cplusplus
#  define _PyINIT_EXPORTED_SYMBOL extern "C" Py_EXPORTED_SYMBOL
#else
#  define _PyINIT_EXPORTED_SYMBOL Py_EXPORTED_SYMBOL
#endif
#define PyMODINIT_FUNC _PyINIT_EXPORTED_SYMBOL PyObject *
#define PyMODEXPORT_FUNC _PyINIT_EXPORTED_SYMBOL PySlot *

#endif /* Py_EXPORTS_H */
