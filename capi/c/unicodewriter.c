/*
 * gilgate C shim: PyUnicodeWriter_Format, the one variadic member of the 3.14 string builder.
 * The format is expanded by PyUnicode_FromFormatV (the same path as PyUnicode_FromFormat) and
 * the result appended with PyUnicodeWriter_WriteStr; on failure the writer is left unchanged.
 */
#include "gg_api.h"

typedef struct _PyUnicodeWriter PyUnicodeWriter;

extern PyObject *PyUnicode_FromFormatV(const char *format, va_list vargs);
extern int PyUnicodeWriter_WriteStr(PyUnicodeWriter *writer, PyObject *obj);

GG_API int PyUnicodeWriter_Format(PyUnicodeWriter *writer, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *text = PyUnicode_FromFormatV(format, ap);
    va_end(ap);
    if (text == NULL)
        return -1;
    int rc = PyUnicodeWriter_WriteStr(writer, text);
    Py_DecRef(text);
    return rc;
}
