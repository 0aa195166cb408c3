/* gilgate: module creation helpers, argument parsing and value building. */
#ifndef Py_MODSUPPORT_H
#define Py_MODSUPPORT_H
#ifdef __cplusplus
extern "C" {
#endif

#include <stdarg.h>

PyAPI_FUNC(int) PyArg_Parse(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTuple(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format,
                                            char *const *keywords, ...);
PyAPI_FUNC(int) PyArg_VaParse(PyObject *args, const char *format, va_list va);
PyAPI_FUNC(int) PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format,
                                              char *const *keywords, va_list va);
PyAPI_FUNC(int) PyArg_ValidateKeywordArguments(PyObject *kw);
PyAPI_FUNC(int) PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min,
                                  Py_ssize_t max, ...);
#ifndef Py_LIMITED_API
/* Argument Clinic's description of a function's parameters (cpython/modsupport.h); the
 * runtime fills `pos`, `min`, `max` and `kwtuple` on first use. */
typedef struct {
    uint8_t v;
} _PyOnceFlag;

typedef struct _PyArg_Parser {
    const char *format;
    const char *const *keywords;
    const char *fname;
    const char *custom_msg;
    _PyOnceFlag once;
    int is_kwtuple_owned;
    int pos;
    int min;
    int max;
    PyObject *kwtuple;
    struct _PyArg_Parser *next;
} _PyArg_Parser;
#endif

PyAPI_FUNC(PyObject *) Py_BuildValue(const char *format, ...);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *format, ...);
PyAPI_FUNC(PyObject *) Py_VaBuildValue(const char *format, va_list va);
#ifdef GILGATE_TARGET_3_15
PyAPI_FUNC(int) PyArg_ParseArray(PyObject *const *args, Py_ssize_t nargs, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseArrayAndKeywords(PyObject *const *args, Py_ssize_t nargs,
                                            PyObject *kwnames, const char *format,
                                            const char *const *keywords, ...);
#endif

PyAPI_FUNC(int) PyModule_AddObjectRef(PyObject *mod, const char *name, PyObject *value);
PyAPI_FUNC(int) PyModule_Add(PyObject *mod, const char *name, PyObject *value);
PyAPI_FUNC(int) PyModule_AddObject(PyObject *mod, const char *name, PyObject *value);
PyAPI_FUNC(int) PyModule_AddIntConstant(PyObject *mod, const char *name, long value);
PyAPI_FUNC(int) PyModule_AddStringConstant(PyObject *mod, const char *name, const char *value);
PyAPI_FUNC(int) PyModule_AddType(PyObject *mod, PyTypeObject *type);
#define PyModule_AddIntMacro(m, c) PyModule_AddIntConstant((m), #c, (c))
#define PyModule_AddStringMacro(m, c) PyModule_AddStringConstant((m), #c, (c))

PyAPI_FUNC(int) PyModule_SetDocString(PyObject *mod, const char *doc);
PyAPI_FUNC(int) PyModule_AddFunctions(PyObject *mod, PyMethodDef *functions);
PyAPI_FUNC(int) PyModule_ExecDef(PyObject *module, PyModuleDef *def);

/* C API versions handed to PyModule_Create2 / PyModule_FromDefAndSpec2. */
#define PYTHON_API_VERSION 1013
#define PYTHON_API_STRING "1013"
#define PYTHON_ABI_VERSION 3
#define PYTHON_ABI_STRING "3"

PyAPI_FUNC(PyObject *) PyModule_Create2(PyModuleDef *def, int apiver);
#define PyModule_Create(module) PyModule_Create2((module), PYTHON_API_VERSION)

PyAPI_FUNC(PyObject *) PyModule_FromDefAndSpec2(PyModuleDef *def, PyObject *spec, int module_api_version);
#define PyModule_FromDefAndSpec(module, spec) \
    PyModule_FromDefAndSpec2((module), (spec), PYTHON_API_VERSION)


#ifdef GILGATE_TARGET_3_15
/* The ABI a module was built for (3.15, the Py_mod_abi slot). 12 bytes. */
typedef struct PyABIInfo {
    uint8_t abiinfo_major_version;
    uint8_t abiinfo_minor_version;
    uint16_t flags;
    uint32_t build_version;
    uint32_t abi_version;
} PyABIInfo;

#define PyABIInfo_STABLE 0x0001
#define PyABIInfo_GIL 0x0002
#define PyABIInfo_FREETHREADED 0x0004
#define PyABIInfo_INTERNAL 0x0008
#define PyABIInfo_FREETHREADING_AGNOSTIC (PyABIInfo_GIL | PyABIInfo_FREETHREADED)

PyAPI_FUNC(int) PyABIInfo_Check(PyABIInfo *info, const char *module_name);

#ifdef Py_LIMITED_API
#  define _PyABIInfo_DEFAULT_FLAG_STABLE PyABIInfo_STABLE
#  if Py_LIMITED_API == 3
#    define PyABIInfo_DEFAULT_ABI_VERSION _Py_PACK_VERSION(3, 2)
#  else
#    define PyABIInfo_DEFAULT_ABI_VERSION Py_LIMITED_API
#  endif
#else
#  define _PyABIInfo_DEFAULT_FLAG_STABLE 0
#  define PyABIInfo_DEFAULT_ABI_VERSION PY_VERSION_HEX
#endif

#if defined(Py_TARGET_ABI3T)
#  define _PyABIInfo_DEFAULT_FLAG_FT PyABIInfo_FREETHREADING_AGNOSTIC
#elif defined(Py_GIL_DISABLED)
#  define _PyABIInfo_DEFAULT_FLAG_FT PyABIInfo_FREETHREADED
#else
#  define _PyABIInfo_DEFAULT_FLAG_FT PyABIInfo_GIL
#endif

#ifdef Py_BUILD_CORE
#  define _PyABIInfo_DEFAULT_FLAG_INTERNAL PyABIInfo_INTERNAL
#else
#  define _PyABIInfo_DEFAULT_FLAG_INTERNAL 0
#endif

#define PyABIInfo_DEFAULT_FLAGS \
    (_PyABIInfo_DEFAULT_FLAG_STABLE | _PyABIInfo_DEFAULT_FLAG_FT | _PyABIInfo_DEFAULT_FLAG_INTERNAL)

#define _PyABIInfo_DEFAULT {1, 0, PyABIInfo_DEFAULT_FLAGS, PY_VERSION_HEX, PyABIInfo_DEFAULT_ABI_VERSION}

#define PyABIInfo_VAR(NAME) static PyABIInfo NAME = _PyABIInfo_DEFAULT
#endif /* GILGATE_TARGET_3_15 */

PyAPI_DATA(const unsigned long) Py_Version;

/* Flag of PyArg_Parse* converters that take a cleanup call. */
#define Py_CLEANUP_SUPPORTED 0x20000

#ifdef __cplusplus
}
#endif
#endif /* Py_MODSUPPORT_H */
