/*
 * gilgate C shim: the variadic C API entry points. The C side only walks the format string and
 * pulls each argument with the right type; text assembly and object conversions happen in Rust.
 *
 * Format units (PyUnicode_FromFormat): %% %c %d %i %u %x %X %o %p %s %ls %U %S %R %A %V %lV %T %N with
 * the length modifiers l, ll, z, t, j, the flags '-' and '0', a width and a precision
 * (`%.200s`, `%-10d`, `%*d` is not supported by CPython either).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "gg_api.h"

extern PyObject *PyUnicode_FromWideChar(const wchar_t *w, ptrdiff_t size);

/* The text of a format call is gathered in `out` while it is plain ASCII (literal text,
 * numbers, ASCII `%s` strings without a width); anything else (object units, non-ASCII bytes)
 * first flushes `out` into the Rust buffer, which is only created then. Each piece reaches
 * Rust exactly as it did when every piece went through `_gilgate_fmt_bytes`. */
typedef struct {
    char *p;
    size_t n, cap;
    gg_fmt *rust;
    char small[256];
} gg_out;

static int gg_out_reserve(gg_out *o, size_t extra)
{
    if (o->n + extra <= o->cap)
        return 0;
    size_t cap = o->cap * 2;
    if (cap < o->n + extra)
        cap = o->n + extra;
    char *p = o->p == o->small ? malloc(cap) : realloc(o->p, cap);
    if (p == NULL)
        return -1;
    if (o->p == o->small)
        memcpy(p, o->small, o->n);
    o->p = p;
    o->cap = cap;
    return 0;
}

/* Appends ASCII bytes to `out` (falls back to the Rust buffer if memory runs out). */
static void gg_out_ascii(gg_out *o, const char *s, size_t n);

/* Moves the gathered bytes into the Rust buffer (created on first use). */
static gg_fmt *gg_out_flush(gg_out *o)
{
    if (o->rust == NULL)
        o->rust = _gilgate_fmt_new();
    if (o->n > 0) {
        _gilgate_fmt_bytes(o->rust, o->p, o->n);
        o->n = 0;
    }
    return o->rust;
}

static void gg_out_ascii(gg_out *o, const char *s, size_t n)
{
    if (gg_out_reserve(o, n) < 0) {
        _gilgate_fmt_bytes(gg_out_flush(o), s, n);
        return;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

static int gg_is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Appends bytes: gathered when ASCII, else handed to Rust as one piece. */
static void gg_out_bytes(gg_out *o, const char *s, size_t n)
{
    if (gg_is_ascii(s, n))
        gg_out_ascii(o, s, n);
    else
        _gilgate_fmt_bytes(gg_out_flush(o), s, n);
}

/* Appends the UTF-8 encoding of code point `ch`. */
static void gg_put_char(gg_out *o, int ch)
{
    char out[4];
    size_t n;
    unsigned int c = (unsigned int)ch;
    if (c < 0x80) {
        out[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        out[0] = (char)(0xe0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        out[0] = (char)(0xf0 | (c >> 18));
        out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    gg_out_bytes(o, out, n);
}

/* Decimal digits of `v` (with a '-' when `neg`), as printf's plain %d/%u print them. */
static void gg_put_decimal(gg_out *o, unsigned long long v, int neg)
{
    char out[24];
    char *e = out + sizeof out;
    char *p = e;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (neg)
        *--p = '-';
    gg_out_ascii(o, p, (size_t)(e - p));
}

/* Formats one integer unit; `len` is the length modifier: 0 none, 1 l, 2 ll, 3 z, 4 t, 5 j.
 * Plain %d/%i/%u (no flag, width or precision) are converted here; the rest through
 * snprintf with the unit rebuilt without the length modifier. */
static void gg_put_int(gg_out *o, const char *flags, ptrdiff_t width, ptrdiff_t prec, int len,
                       char conv, va_list *ap)
{
    char spec[64];
    char out[128];
    int n;
    int is_signed = conv == 'd' || conv == 'i';
    if ((is_signed || conv == 'u') && flags[0] == '\0' && width <= 0 && prec < 0) {
        long long s = 0;
        unsigned long long u = 0;
        switch (len) {
        case 1:
            if (is_signed) s = va_arg(*ap, long); else u = va_arg(*ap, unsigned long);
            break;
        case 2:
            if (is_signed) s = va_arg(*ap, long long); else u = va_arg(*ap, unsigned long long);
            break;
        case 3:
            if (is_signed) s = va_arg(*ap, ptrdiff_t); else u = va_arg(*ap, size_t);
            break;
        case 4:
            /* %tu reads a ptrdiff_t as snprintf would; print its unsigned value */
            if (is_signed) s = va_arg(*ap, ptrdiff_t); else u = (size_t)va_arg(*ap, ptrdiff_t);
            break;
        case 5:
            if (is_signed) s = (long long)va_arg(*ap, intmax_t); else u = va_arg(*ap, uintmax_t);
            break;
        default:
            if (is_signed) s = va_arg(*ap, int); else u = va_arg(*ap, unsigned int);
            break;
        }
        if (is_signed)
            gg_put_decimal(o, s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s, s < 0);
        else
            gg_put_decimal(o, u, 0);
        return;
    }
    const char *lm = len == 1 ? "l" : len == 2 ? "ll" : len == 3 ? "z" : len == 4 ? "t" : len == 5 ? "j" : "";
    if (prec >= 0)
        snprintf(spec, sizeof spec, "%%%s%td.%td%s%c", flags, width, prec, lm, conv);
    else
        snprintf(spec, sizeof spec, "%%%s%td%s%c", flags, width, lm, conv);
    switch (len) {
    case 1:
        n = is_signed ? snprintf(out, sizeof out, spec, va_arg(*ap, long))
                      : snprintf(out, sizeof out, spec, va_arg(*ap, unsigned long));
        break;
    case 2:
        n = is_signed ? snprintf(out, sizeof out, spec, va_arg(*ap, long long))
                      : snprintf(out, sizeof out, spec, va_arg(*ap, unsigned long long));
        break;
    case 3:
        n = is_signed ? snprintf(out, sizeof out, spec, va_arg(*ap, ptrdiff_t))
                      : snprintf(out, sizeof out, spec, va_arg(*ap, size_t));
        break;
    case 4:
        n = snprintf(out, sizeof out, spec, va_arg(*ap, ptrdiff_t));
        break;
    case 5:
        n = is_signed ? snprintf(out, sizeof out, spec, va_arg(*ap, intmax_t))
                      : snprintf(out, sizeof out, spec, va_arg(*ap, uintmax_t));
        break;
    default:
        n = is_signed ? snprintf(out, sizeof out, spec, va_arg(*ap, int))
                      : snprintf(out, sizeof out, spec, va_arg(*ap, unsigned int));
        break;
    }
    if (n > 0)
        gg_out_bytes(o, out, (size_t)n < sizeof out ? (size_t)n : sizeof out - 1);
}

/* `%s`: a non-NULL ASCII string without a width is copied here; the rest (NULL, non-ASCII
 * text, padding in characters) is Rust's `_gilgate_fmt_cstr`. */
static void gg_put_cstr(gg_out *o, const char *s, ptrdiff_t width, ptrdiff_t prec)
{
    if (s != NULL && width < 0) {
        size_t n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
        if (gg_is_ascii(s, n)) {
            gg_out_ascii(o, s, n);
            return;
        }
    }
    _gilgate_fmt_cstr(gg_out_flush(o), s, width, prec);
}

/* `%ls`: a `wchar_t` string, at most `prec` of its units, padded to `width` characters.
 * NULL is handled as `%s` handles it. */
static int gg_put_wstr(gg_out *o, const wchar_t *s, ptrdiff_t width, ptrdiff_t prec)
{
    if (s == NULL) {
        _gilgate_fmt_cstr(gg_out_flush(o), NULL, width, prec);
        return 0;
    }
    size_t n = 0;
    if (prec >= 0) {
        while ((ptrdiff_t)n < prec && s[n] != 0)
            n++;
    } else {
        n = wcslen(s);
    }
    PyObject *u = PyUnicode_FromWideChar(s, (ptrdiff_t)n);
    if (u == NULL)
        return -1;
    int r = _gilgate_fmt_object(gg_out_flush(o), 'U', u, NULL, width, -1);
    Py_DecRef(u);
    return r;
}

/* Walks `format`, returns a new str or NULL with an exception set. */
static PyObject *gg_format(const char *format, va_list vargs)
{
    va_list ap;
    gg_out o;
    o.p = o.small;
    o.n = 0;
    o.cap = sizeof o.small;
    o.rust = NULL;
    const char *f = format;
    int fail = 0;
    va_copy(ap, vargs);
    while (*f && !fail) {
        if (*f != '%') {
            const char *start = f;
            unsigned char high = 0;
            while (*f && *f != '%')
                high |= (unsigned char)*f++;
            if (high < 0x80)
                gg_out_ascii(&o, start, (size_t)(f - start));
            else
                _gilgate_fmt_bytes(gg_out_flush(&o), start, (size_t)(f - start));
            continue;
        }
        const char *unit = f++;
        if (*f == '%') {
            gg_out_ascii(&o, "%", 1);
            f++;
            continue;
        }
        char flags[4] = {0};
        int nflags = 0, alt = 0;
        while ((*f == '-' || *f == '0' || *f == '#') && nflags < 3) {
            if (*f != '#')
                flags[nflags++] = *f;
            else
                alt = 1;
            f++;
        }
        ptrdiff_t width = -1, prec = -1;
        if (*f >= '0' && *f <= '9') {
            width = 0;
            while (*f >= '0' && *f <= '9')
                width = width * 10 + (*f++ - '0');
        }
        if (*f == '.') {
            f++;
            prec = 0;
            while (*f >= '0' && *f <= '9')
                prec = prec * 10 + (*f++ - '0');
        }
        int len = 0;
        if (*f == 'l') {
            len = 1;
            f++;
            if (*f == 'l') {
                len = 2;
                f++;
            }
        } else if (*f == 'z') {
            len = 3;
            f++;
        } else if (*f == 't') {
            len = 4;
            f++;
        } else if (*f == 'j') {
            len = 5;
            f++;
        }
        char conv = *f ? *f++ : '\0';
        switch (conv) {
        case 'c':
            gg_put_char(&o, va_arg(ap, int));
            break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            gg_put_int(&o, flags, width < 0 ? 0 : width, prec, len, conv, &ap);
            break;
        case 'p': {
            char out[64];
            int n = snprintf(out, sizeof out, "%p", va_arg(ap, void *));
            if (n > 1 && !(out[0] == '0' && out[1] == 'x')) {
                gg_out_ascii(&o, "0x", 2);
            }
            if (n > 0)
                gg_out_bytes(&o, out, (size_t)n);
            break;
        }
        case 's':
            if (len == 1) {
                if (gg_put_wstr(&o, va_arg(ap, const wchar_t *), width, prec) < 0)
                    fail = 1;
            } else {
                gg_put_cstr(&o, va_arg(ap, const char *), width, prec);
            }
            break;
        case 'U': case 'S': case 'R': case 'A': case 'T': case 'N':
            /* 0x100: the '#' flag of %#T and %#N (module:qualname) */
            if (_gilgate_fmt_object(gg_out_flush(&o),
                                    conv | ((alt && (conv == 'T' || conv == 'N')) ? 0x100 : 0),
                                    va_arg(ap, PyObject *), NULL, width, prec) < 0)
                fail = 1;
            break;
        case 'V': {
            PyObject *obj = va_arg(ap, PyObject *);
            if (len == 1) {
                /* %lV: the fallback is a wchar_t string */
                const wchar_t *wfallback = va_arg(ap, const wchar_t *);
                if (obj == NULL) {
                    if (gg_put_wstr(&o, wfallback, width, prec) < 0)
                        fail = 1;
                } else if (_gilgate_fmt_object(gg_out_flush(&o), 'V', obj, NULL, width, prec)
                           < 0) {
                    fail = 1;
                }
                break;
            }
            const char *fallback = va_arg(ap, const char *);
            if (_gilgate_fmt_object(gg_out_flush(&o), 'V', obj, fallback, width, prec) < 0)
                fail = 1;
            break;
        }
        default:
            /* CPython copies the rest of the format string verbatim after a bad unit. */
            gg_out_bytes(&o, unit, strlen(unit));
            f = unit + strlen(unit);
            break;
        }
    }
    va_end(ap);
    PyObject *r;
    if (o.rust == NULL && !fail) {
        /* Only ASCII was gathered: make the str straight from it. */
        r = _gilgate_fmt_ascii(o.p, o.n);
    } else {
        if (!fail)
            gg_out_flush(&o);
        r = _gilgate_fmt_finish(o.rust != NULL ? o.rust : _gilgate_fmt_new(), fail);
    }
    if (o.p != o.small)
        free(o.p);
    return r;
}

GG_API PyObject *PyUnicode_FromFormatV(const char *format, va_list vargs)
{
    return gg_format(format, vargs);
}

GG_API PyObject *PyUnicode_FromFormat(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *r = gg_format(format, ap);
    va_end(ap);
    return r;
}

GG_API PyObject *PyErr_FormatV(PyObject *exception, const char *format, va_list vargs)
{
    PyObject *msg = gg_format(format, vargs);
    if (msg != NULL) {
        _gilgate_err_set_formatted(exception, msg);
        Py_DecRef(msg);
    }
    return NULL;
}

GG_API PyObject *PyErr_Format(PyObject *exception, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyErr_FormatV(exception, format, ap);
    va_end(ap);
    return NULL;
}

extern PyObject *PyErr_GetRaisedException(void);
extern void PyErr_SetRaisedException(PyObject *exc);
extern void _gilgate_write_unraisable_msg(PyObject *msg);

/* The pending exception goes to the unraisable hook with `format`'s text as the message
 * (CPython's "<message>:" line before the exception); NULL prints the exception alone. */
GG_API void PyErr_FormatUnraisable(const char *format, ...)
{
    PyObject *msg = NULL;
    if (format != NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        va_list ap;
        va_start(ap, format);
        msg = gg_format(format, ap);
        va_end(ap);
        PyErr_SetRaisedException(exc);
    }
    _gilgate_write_unraisable_msg(msg);
    if (msg != NULL)
        Py_DecRef(msg);
}

extern void Py_IncRef(PyObject *op);
extern void PyException_SetCause(PyObject *exc, PyObject *cause);
extern void PyException_SetContext(PyObject *exc, PyObject *ctx);

/* Raises `exception` with the formatted message, the exception being raised becoming its
 * __cause__ and __context__ (CPython's _PyErr_FormatFromCause, which expects one to be set). */
GG_API PyObject *_PyErr_FormatFromCause(PyObject *exception, const char *format, ...)
{
    PyObject *cause = PyErr_GetRaisedException();
    va_list ap;
    va_start(ap, format);
    PyErr_FormatV(exception, format, ap);
    va_end(ap);
    if (cause != NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        if (exc != NULL) {
            Py_IncRef(cause);
            PyException_SetCause(exc, cause);
            PyException_SetContext(exc, cause);
            PyErr_SetRaisedException(exc);
        } else {
            Py_DecRef(cause);
        }
    }
    return NULL;
}

GG_API int PyErr_WarnFormat(PyObject *category, ptrdiff_t stack_level, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *msg = gg_format(format, ap);
    va_end(ap);
    if (msg == NULL)
        return -1;
    int r = _gilgate_warn_formatted(category, msg, stack_level);
    Py_DecRef(msg);
    return r;
}

GG_API int PyErr_WarnExplicitFormat(PyObject *category, const char *filename, int lineno,
                                    const char *module, PyObject *registry, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *msg = gg_format(format, ap);
    va_end(ap);
    if (msg == NULL)
        return -1;
    int r = _gilgate_warn_explicit_formatted(category, filename, lineno, module, registry, msg);
    Py_DecRef(msg);
    return r;
}

GG_API int PyErr_ResourceWarning(PyObject *source, ptrdiff_t stack_level, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    PyObject *msg = gg_format(format, ap);
    va_end(ap);
    if (msg == NULL)
        return -1;
    int r = _gilgate_resource_warning_formatted(source, msg, stack_level);
    Py_DecRef(msg);
    return r;
}

GG_API PyObject *PyTuple_Pack(ptrdiff_t n, ...)
{
    va_list ap;
    PyObject *small[16];
    PyObject **items = small;
    if (n > 16) {
        items = malloc(sizeof(PyObject *) * (size_t)n);
        if (items == NULL)
            return _gilgate_tuple_from_array(NULL, -1);
    }
    va_start(ap, n);
    for (ptrdiff_t i = 0; i < n; i++)
        items[i] = va_arg(ap, PyObject *);
    va_end(ap);
    PyObject *t = _gilgate_tuple_from_array(items, n);
    if (items != small)
        free(items);
    return t;
}
