/* PyUnicode_DecodeLocale(AndSize) and PyUnicode_EncodeLocale in the calling thread's locale
 * (uselocale), C.UTF-8 and C. The answers are CPython 3.14.10's, read through ctypes
 * (pythonapi.PyUnicode_DecodeLocale(b'caf\xc3\xa9', None), ...) under LC_ALL=C.UTF-8 and
 * LC_ALL=C. */
#include <Python.h>
#include <locale.h>
#include <string.h>

#include "checks.h"

/* o is a str equal to the UCS4 code points `want` (n of them); o is released */
static int str_is(PyObject *o, const Py_UCS4 *want, Py_ssize_t n)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PyUnicode_Check(o) && PyUnicode_GetLength(o) == n;
    for (Py_ssize_t i = 0; ok && i < n; i++)
        ok = PyUnicode_ReadChar(o, i) == want[i];
    Py_DECREF(o);
    return ok;
}

static int bytes_is(PyObject *o, const char *want, Py_ssize_t n)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PyBytes_Check(o) && PyBytes_GET_SIZE(o) == n && memcmp(PyBytes_AS_STRING(o), want, n) == 0;
    Py_DECREF(o);
    return ok;
}

static int raised(PyObject *type, const char *msg)
{
    PyObject *e = PyErr_GetRaisedException();
    if (e == NULL)
        return 0;
    int ok = PyErr_GivenExceptionMatches(e, type);
    if (ok && msg != NULL) {
        PyObject *s = PyObject_Str(e);
        ok = s != NULL && strcmp(PyUnicode_AsUTF8(s), msg) == 0;
        Py_XDECREF(s);
    }
    Py_DECREF(e);
    return ok;
}

static PyObject *ucs4(const Py_UCS4 *u, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, u, n);
}

#define SE "surrogateescape"

int gg_locale_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    static const Py_UCS4 abc[] = {'a', 'b', 'c'};
    static const Py_UCS4 cafe[] = {'c', 'a', 'f', 0xe9};
    static const Py_UCS4 cafe_esc[] = {'c', 'a', 'f', 0xdcc3, 0xdca9};
    static const Py_UCS4 a_ff_b[] = {'a', 0xdcff, 'b'};
    static const Py_UCS4 surr_esc[] = {0xdced, 0xdcb2, 0xdc80};
    static const Py_UCS4 partial_esc[] = {0xdce2, 0xdc82};
    static const Py_UCS4 a_dc80_b[] = {'a', 0xdc80, 'b'};
    static const Py_UCS4 lone[] = {0xd800};
    static const Py_UCS4 euro[] = {0x20ac};
    static const Py_UCS4 nul[] = {'a', 0, 'b'};

    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t c = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    CHECK(utf8 != (locale_t)0 && c != (locale_t)0);
    if (utf8 == (locale_t)0 || c == (locale_t)0)
        return g_failed;

    /* ---- C.UTF-8 ---- */
    locale_t old = uselocale(utf8);
    CHECK(str_is(PyUnicode_DecodeLocale("abc", NULL), abc, 3));
    CHECK(str_is(PyUnicode_DecodeLocale("abc", "strict"), abc, 3));
    CHECK(str_is(PyUnicode_DecodeLocale("caf\xc3\xa9", NULL), cafe, 4));
    CHECK(str_is(PyUnicode_DecodeLocale("caf\xc3\xa9", SE), cafe, 4));
    CHECK(str_is(PyUnicode_DecodeLocale("", NULL), abc, 0));
    CHECK(PyUnicode_DecodeLocale("a\xff" "b", NULL) == NULL &&
          raised(PyExc_UnicodeDecodeError,
                 "'locale' codec can't decode byte 0xff in position 1: decoding error"));
    CHECK(str_is(PyUnicode_DecodeLocale("a\xff" "b", SE), a_ff_b, 3));
    /* an encoded surrogate is not decoded: its bytes are escaped */
    CHECK(PyUnicode_DecodeLocale("\xed\xb2\x80", "strict") == NULL &&
          raised(PyExc_UnicodeDecodeError,
                 "'locale' codec can't decode byte 0xed in position 0: decoding error"));
    CHECK(str_is(PyUnicode_DecodeLocale("\xed\xb2\x80", SE), surr_esc, 3));
    CHECK(PyUnicode_DecodeLocale("\xe2\x82", NULL) == NULL &&
          raised(PyExc_UnicodeDecodeError,
                 "'locale' codec can't decode byte 0xe2 in position 0: decoding error"));
    CHECK(str_is(PyUnicode_DecodeLocale("\xe2\x82", SE), partial_esc, 2));
    CHECK(PyUnicode_DecodeLocale("abc", "replace") == NULL &&
          raised(PyExc_ValueError, "unsupported error handler"));
    CHECK(PyUnicode_DecodeLocale("abc", "bogus") == NULL &&
          raised(PyExc_ValueError, "unsupported error handler"));
    CHECK(PyUnicode_DecodeLocaleAndSize("ab\0c", 4, NULL) == NULL &&
          raised(PyExc_ValueError, "embedded null byte"));
    /* the byte after the given size must be the string's end */
    CHECK(PyUnicode_DecodeLocaleAndSize("abc", 2, NULL) == NULL &&
          raised(PyExc_ValueError, "embedded null byte"));
    CHECK(str_is(PyUnicode_DecodeLocaleAndSize("abc", 3, NULL), abc, 3));
    CHECK(PyUnicode_DecodeLocaleAndSize("ab\0c", 4, "bogus") == NULL &&
          raised(PyExc_ValueError, "embedded null byte"));

    PyObject *s = ucs4(cafe, 4);
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, NULL), "caf\xc3\xa9", 5));
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, SE), "caf\xc3\xa9", 5));
    CHECK(PyUnicode_EncodeLocale(s, "ignore") == NULL &&
          raised(PyExc_ValueError, "unsupported error handler"));
    Py_DECREF(s);
    s = ucs4(euro, 1);
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, "strict"), "\xe2\x82\xac", 3));
    Py_DECREF(s);
    s = ucs4(a_dc80_b, 3);
    CHECK(PyUnicode_EncodeLocale(s, NULL) == NULL &&
          raised(PyExc_UnicodeEncodeError,
                 "'locale' codec can't encode character '\\udc80' in position 1: encoding error"));
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, SE), "a\x80" "b", 3));
    Py_DECREF(s);
    /* only U+DC80..U+DCFF are escapes */
    s = ucs4(lone, 1);
    CHECK(PyUnicode_EncodeLocale(s, SE) == NULL &&
          raised(PyExc_UnicodeEncodeError,
                 "'locale' codec can't encode character '\\ud800' in position 0: encoding error"));
    Py_DECREF(s);
    s = ucs4(nul, 3);
    CHECK(PyUnicode_EncodeLocale(s, "ignore") == NULL &&
          raised(PyExc_ValueError, "embedded null character"));
    Py_DECREF(s);
    s = PyBytes_FromString("x");
    CHECK(PyUnicode_EncodeLocale(s, NULL) == NULL &&
          raised(PyExc_TypeError, "bad argument type for built-in operation"));
    Py_DECREF(s);
    s = ucs4(abc, 0);
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, NULL), "", 0));
    Py_DECREF(s);

    /* ---- C (ASCII) ---- */
    uselocale(c);
    CHECK(str_is(PyUnicode_DecodeLocale("abc", NULL), abc, 3));
    CHECK(PyUnicode_DecodeLocale("caf\xc3\xa9", NULL) == NULL &&
          raised(PyExc_UnicodeDecodeError,
                 "'locale' codec can't decode byte 0xc3 in position 3: decoding error"));
    CHECK(str_is(PyUnicode_DecodeLocale("caf\xc3\xa9", SE), cafe_esc, 5));
    s = ucs4(cafe, 4);
    CHECK(PyUnicode_EncodeLocale(s, NULL) == NULL &&
          raised(PyExc_UnicodeEncodeError,
                 "'locale' codec can't encode character '\\xe9' in position 3: encoding error"));
    Py_DECREF(s);
    s = ucs4(cafe_esc, 5);
    CHECK(bytes_is(PyUnicode_EncodeLocale(s, SE), "caf\xc3\xa9", 5));
    Py_DECREF(s);

    uselocale(old);
    freelocale(utf8);
    freelocale(c);
    return g_failed;
}
