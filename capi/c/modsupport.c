/*
 * gilgate C shim: the variadic entry points of modsupport.h and abstract.h (argument parsing,
 * Py_BuildValue, PyObject_CallFunction & co.). The C side only moves arguments out of the
 * va_list: the parse functions take pointers only, so they are collected into an array; for
 * Py_BuildValue, Rust says which C type each argument has. Everything else happens in Rust
 * (modsupport.rs, abstract.rs).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gg_api.h"

typedef union {
    long long i;
    unsigned long long u;
    double d;
    void *p;
} gg_val;

typedef ptrdiff_t Py_ssize_t;

extern const void *_gilgate_build_prepare(const char *format, const char **kinds, ptrdiff_t *n);
extern PyObject *_gilgate_build_prepared(const void *plan, const gg_val *vals, ptrdiff_t n,
                                       int as_tuple);
extern ptrdiff_t _gilgate_parse_count(const char *format);
extern const void *_gilgate_parse_prepare(const char *format, ptrdiff_t *count);
extern int _gilgate_parse_prepared(PyObject *args, PyObject *kw, const void *compiled,
                                   char *const *kwlist, void **ptrs, ptrdiff_t n, int mode);
extern int _gilgate_parse(PyObject *args, PyObject *kw, const char *format,
                          char *const *kwlist, void **ptrs, ptrdiff_t n, int mode);
extern ptrdiff_t _gilgate_unpack_check(PyObject *args, const char *name, ptrdiff_t min,
                                       ptrdiff_t max);
extern PyObject *_gilgate_call_array(PyObject *callable, PyObject *const *items, ptrdiff_t n);
extern PyObject *_gilgate_call_method_array(PyObject *obj, PyObject *name,
                                            PyObject *const *items, ptrdiff_t n);
extern PyObject *_gilgate_call_built(PyObject *callable, const char *name, PyObject *name_obj,
                                     PyObject *built);
extern PyObject *_PyStack_AsDict(PyObject *const *values, PyObject *kwnames);
extern PyObject *PyErr_NoMemory(void);

#define GG_SMALL 32

/* Reads the arguments of `format` from `ap` and builds the value (as_tuple: always a tuple of
 * the top-level values). */
/* Inlined into each caller: the va_list is then the caller's own local, which the compiler
 * reads without going through a pointer for every argument. */
static inline __attribute__((always_inline)) PyObject *gg_vbuild(const char *format, va_list *ap,
                                                                 int as_tuple)
{
    gg_val vbuf[GG_SMALL];
    const char *kinds = NULL;
    ptrdiff_t n = 0;
    /* The format analysed once (cached by address, checked by content; see modsupport.rs). */
    const void *plan = _gilgate_build_prepare(format, &kinds, &n);
    if (plan == NULL)
        return NULL;
    gg_val *vals = n <= GG_SMALL ? vbuf : malloc((size_t)n * sizeof(gg_val));
    if (vals == NULL)
        return PyErr_NoMemory();
    for (ptrdiff_t i = 0; i < n; i++) {
        switch (kinds[i]) {
        case 'i': vals[i].i = va_arg(*ap, int); break;
        case 'I': vals[i].u = va_arg(*ap, unsigned int); break;
        case 'l': vals[i].i = va_arg(*ap, long); break;
        case 'k': vals[i].u = va_arg(*ap, unsigned long); break;
        case 'L': vals[i].i = va_arg(*ap, long long); break;
        case 'K': vals[i].u = va_arg(*ap, unsigned long long); break;
        case 'n': vals[i].i = va_arg(*ap, Py_ssize_t); break;
        case 'd': vals[i].d = va_arg(*ap, double); break;
        default: vals[i].p = va_arg(*ap, void *); break;
        }
    }
    PyObject *r = _gilgate_build_prepared(plan, vals, n, as_tuple);
    if (vals != vbuf)
        free(vals);
    return r;
}

GG_API PyObject *Py_BuildValue(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_vbuild(format, &ap, 0);
    va_end(ap);
    return r;
}

GG_API PyObject *_Py_BuildValue_SizeT(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_vbuild(format, &ap, 0);
    va_end(ap);
    return r;
}

GG_API PyObject *Py_VaBuildValue(const char *format, va_list va)
{
    va_list ap;
    va_copy(ap, va);
    PyObject *r = gg_vbuild(format, &ap, 0);
    va_end(ap);
    return r;
}

GG_API PyObject *_Py_VaBuildValue_SizeT(const char *format, va_list va)
{
    va_list ap;
    va_copy(ap, va);
    PyObject *r = gg_vbuild(format, &ap, 0);
    va_end(ap);
    return r;
}

/* ---- calls with a format ---------------------------------------------------------------- */

static PyObject *gg_call_format(PyObject *callable, const char *name, PyObject *name_obj,
                                const char *format, va_list *ap)
{
    PyObject *built = NULL;
    if (format != NULL && *format != '\0') {
        built = gg_vbuild(format, ap, 1);
        if (built == NULL)
            return NULL;
    }
    return _gilgate_call_built(callable, name, name_obj, built);
}

GG_API PyObject *PyObject_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_call_format(callable, NULL, NULL, format, &ap);
    va_end(ap);
    return r;
}

GG_API PyObject *_PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_call_format(callable, NULL, NULL, format, &ap);
    va_end(ap);
    return r;
}

GG_API PyObject *PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_call_format(obj, name, NULL, format, &ap);
    va_end(ap);
    return r;
}

GG_API PyObject *_PyObject_CallMethod_SizeT(PyObject *obj, const char *name, const char *format,
                                            ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_call_format(obj, name, NULL, format, &ap);
    va_end(ap);
    return r;
}

GG_API PyObject *_PyObject_CallMethod(PyObject *obj, PyObject *name, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_call_format(obj, NULL, name, format, &ap);
    va_end(ap);
    return r;
}

/* Collects the NULL-terminated object arguments. Returns the count, -1 on memory failure. */
static ptrdiff_t gg_collect(va_list *ap, PyObject **small, PyObject ***out)
{
    va_list count;
    va_copy(count, *ap);
    ptrdiff_t n = 0;
    while (va_arg(count, PyObject *) != NULL)
        n++;
    va_end(count);
    PyObject **items = n <= GG_SMALL ? small : malloc((size_t)n * sizeof(PyObject *));
    if (items == NULL)
        return -1;
    for (ptrdiff_t i = 0; i < n; i++)
        items[i] = va_arg(*ap, PyObject *);
    *out = items;
    return n;
}

GG_API PyObject *PyObject_CallFunctionObjArgs(PyObject *callable, ...)
{
    PyObject *small[GG_SMALL];
    PyObject **items;
    va_list ap;
    va_start(ap, callable);
    ptrdiff_t n = gg_collect(&ap, small, &items);
    va_end(ap);
    if (n < 0)
        return NULL;
    PyObject *r = _gilgate_call_array(callable, items, n);
    if (items != small)
        free(items);
    return r;
}

GG_API PyObject *PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...)
{
    PyObject *small[GG_SMALL];
    PyObject **items;
    va_list ap;
    va_start(ap, name);
    ptrdiff_t n = gg_collect(&ap, small, &items);
    va_end(ap);
    if (n < 0)
        return NULL;
    PyObject *r = _gilgate_call_method_array(obj, name, items, n);
    if (items != small)
        free(items);
    return r;
}

/* ---- argument parsing ------------------------------------------------------------------- */

/* mode: 0 PyArg_Parse, 1 PyArg_ParseTuple, 2 with keywords. */
static int gg_vparse(PyObject *args, PyObject *kw, const char *format, char *const *kwlist,
                     va_list *ap, int mode)
{
    void *small[GG_SMALL];
    ptrdiff_t n = 0;
    /* The format compiled once (cached by address, checked by content; see modsupport.rs). */
    const void *compiled = _gilgate_parse_prepare(format, &n);
    if (compiled == NULL)
        return 0;
    void **ptrs = n <= GG_SMALL ? small : malloc((size_t)n * sizeof(void *));
    if (ptrs == NULL)
        return 0;
    for (ptrdiff_t i = 0; i < n; i++)
        ptrs[i] = va_arg(*ap, void *);
    int r = _gilgate_parse_prepared(args, kw, compiled, kwlist, ptrs, n, mode);
    if (ptrs != small)
        free(ptrs);
    return r;
}

GG_API int PyArg_Parse(PyObject *args, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 0);
    va_end(ap);
    return r;
}

GG_API int _PyArg_Parse_SizeT(PyObject *args, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 0);
    va_end(ap);
    return r;
}

GG_API int PyArg_ParseTuple(PyObject *args, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 1);
    va_end(ap);
    return r;
}

GG_API int _PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 1);
    va_end(ap);
    return r;
}

GG_API int PyArg_VaParse(PyObject *args, const char *format, va_list va)
{
    va_list ap;
    va_copy(ap, va);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 1);
    va_end(ap);
    return r;
}

GG_API int _PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list va)
{
    va_list ap;
    va_copy(ap, va);
    int r = gg_vparse(args, NULL, format, NULL, &ap, 1);
    va_end(ap);
    return r;
}

GG_API int PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format,
                                       char *const *kwlist, ...)
{
    va_list ap;
    va_start(ap, kwlist);
    int r = gg_vparse(args, kw, format, kwlist, &ap, 2);
    va_end(ap);
    return r;
}

GG_API int _PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kw, const char *format,
                                              char *const *kwlist, ...)
{
    va_list ap;
    va_start(ap, kwlist);
    int r = gg_vparse(args, kw, format, kwlist, &ap, 2);
    va_end(ap);
    return r;
}

GG_API int PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format,
                                         char *const *kwlist, va_list va)
{
    va_list ap;
    va_copy(ap, va);
    int r = gg_vparse(args, kw, format, kwlist, &ap, 2);
    va_end(ap);
    return r;
}

GG_API int _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kw,
                                                const char *format, char *const *kwlist,
                                                va_list va)
{
    va_list ap;
    va_copy(ap, va);
    int r = gg_vparse(args, kw, format, kwlist, &ap, 2);
    va_end(ap);
    return r;
}

GG_API int PyArg_ParseArray(PyObject *const *args, Py_ssize_t nargs, const char *format, ...)
{
    PyObject *t = _gilgate_tuple_from_array(args, nargs);
    if (t == NULL)
        return 0;
    va_list ap;
    va_start(ap, format);
    int r = gg_vparse(t, NULL, format, NULL, &ap, 1);
    va_end(ap);
    Py_DecRef(t);
    return r;
}

GG_API int PyArg_ParseArrayAndKeywords(PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames, const char *format,
                                       const char *const *kwlist, ...)
{
    PyObject *t = _gilgate_tuple_from_array(args, nargs);
    if (t == NULL)
        return 0;
    PyObject *kw = NULL;
    if (kwnames != NULL) {
        kw = _PyStack_AsDict(args + nargs, kwnames);
        if (kw == NULL) {
            Py_DecRef(t);
            return 0;
        }
    }
    va_list ap;
    va_start(ap, kwlist);
    int r = gg_vparse(t, kw, format, (char *const *)kwlist, &ap, 2);
    va_end(ap);
    Py_DecRef(t);
    if (kw != NULL)
        Py_DecRef(kw);
    return r;
}

GG_API int PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max,
                             ...)
{
    ptrdiff_t l = _gilgate_unpack_check(args, name, min, max);
    if (l < 0)
        return 0;
    /* The tuple's items start after the 40-byte variable-size header and the 8-byte hash. */
    PyObject *const *items = (PyObject *const *)((char *)args + 48);
    va_list ap;
    va_start(ap, max);
    for (ptrdiff_t i = 0; i < l; i++) {
        PyObject **out = va_arg(ap, PyObject **);
        *out = items[i];
    }
    va_end(ap);
    return 1;
}
