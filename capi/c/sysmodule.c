/*
 * gilgate C shim: the variadic `PySys_Write*` and `PySys_Format*` functions. Write* formats
 * with C's printf rules into a 1000-byte buffer (longer output is cut, as in CPython);
 * Format* uses PyUnicode_FromFormatV's units. The text goes to Rust for output.
 */
#include <stdio.h>

#include "gg_api.h"

extern void _gilgate_sys_write(int fd, const char *text);
extern void _gilgate_sys_write_obj(int fd, PyObject *s);
extern PyObject *PyUnicode_FromFormatV(const char *format, va_list vargs);

static void gg_sys_writev(int fd, const char *format, va_list va)
{
    char buf[1001];
    vsnprintf(buf, sizeof buf, format, va);
    _gilgate_sys_write(fd, buf);
}

GG_API void PySys_WriteStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    gg_sys_writev(1, format, va);
    va_end(va);
}

GG_API void PySys_WriteStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    gg_sys_writev(2, format, va);
    va_end(va);
}

static void gg_sys_formatv(int fd, const char *format, va_list va)
{
    PyObject *s = PyUnicode_FromFormatV(format, va);
    _gilgate_sys_write_obj(fd, s);
    if (s != NULL)
        Py_DecRef(s);
}

GG_API void PySys_FormatStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    gg_sys_formatv(1, format, va);
    va_end(va);
}

GG_API void PySys_FormatStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    gg_sys_formatv(2, format, va);
    va_end(va);
}
