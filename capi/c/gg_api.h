/*
 * gilgate C shim: shared declarations. GG_API marks a definition exported as part of the C API
 * surface; each such function has a row in capi/data/shim-exports.tsv (build.rs reads the
 * table, capi/tests/exports.rs checks it against the compiled shim). The gg_* functions are
 * small Rust helpers (exported as `_gilgate_*`).
 */
#ifndef GG_API_H
#define GG_API_H

#include <stdarg.h>
#include <stddef.h>

#ifndef GG_API
#define GG_API __attribute__((visibility("default")))
#endif

typedef struct _object PyObject;
typedef struct gg_fmt gg_fmt;

extern gg_fmt *_gilgate_fmt_new(void);
extern void _gilgate_fmt_bytes(gg_fmt *b, const char *p, size_t n);
extern void _gilgate_fmt_cstr(gg_fmt *b, const char *s, ptrdiff_t width, ptrdiff_t prec);
extern int _gilgate_fmt_object(gg_fmt *b, int conv, PyObject *obj, const char *fallback,
                               ptrdiff_t width, ptrdiff_t prec);
extern PyObject *_gilgate_fmt_finish(gg_fmt *b, int fail);
extern PyObject *_gilgate_fmt_ascii(const char *p, size_t n);
extern void _gilgate_err_set_formatted(PyObject *exc, PyObject *msg);
extern int _gilgate_warn_formatted(PyObject *category, PyObject *msg, ptrdiff_t stacklevel);
extern int _gilgate_warn_explicit_formatted(PyObject *category, const char *filename, int lineno,
                                            const char *module, PyObject *registry, PyObject *msg);
extern int _gilgate_resource_warning_formatted(PyObject *source, PyObject *msg, ptrdiff_t stacklevel);
extern PyObject *_gilgate_tuple_from_array(PyObject *const *items, ptrdiff_t n);
extern void Py_DecRef(PyObject *op);

#endif
