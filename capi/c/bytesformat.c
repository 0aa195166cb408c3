/*
 * gilgate C shim: PyBytes_FromFormat(V). The format is expanded by the str formatter
 * (PyUnicode_FromFormatV, where `%s` arguments are read as UTF-8) and the result is encoded
 * back to UTF-8, so ASCII text and UTF-8 `%s` arguments come out byte for byte.
 */
#include "gg_api.h"

extern PyObject *PyUnicode_FromFormatV(const char *format, va_list vargs);
extern PyObject *PyUnicode_AsUTF8String(PyObject *unicode);

GG_API PyObject *PyBytes_FromFormatV(const char *format, va_list vargs)
{
    PyObject *u = PyUnicode_FromFormatV(format, vargs);
    if (u == NULL)
        return NULL;
    PyObject *b = PyUnicode_AsUTF8String(u);
    Py_DecRef(u);
    return b;
}

GG_API PyObject *PyBytes_FromFormat(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = PyBytes_FromFormatV(format, ap);
    va_end(ap);
    return r;
}
