/* gilgate: the PEP 393 str layouts and their inline accessors (3.14t layout). */
#ifndef GILGATE_CPYTHON_UNICODEOBJECT_H
#define GILGATE_CPYTHON_UNICODEOBJECT_H

/* Every str starts with this; compact ASCII strings store the characters right after it. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t length;
    Py_hash_t hash;     /* -1 until computed */
    struct {
        /* 3.14t: a whole byte so it can be updated atomically. */
        unsigned char interned;
        unsigned int kind : 3;      /* PyUnicode_1BYTE_KIND .. 4BYTE_KIND */
        unsigned int compact : 1;
        unsigned int ascii : 1;
        unsigned int statically_allocated : 1;
        unsigned int : 2;
    } state;
} PyASCIIObject;

/* Compact non-ASCII strings: the UTF-8 cache, then the characters. */
typedef struct {
    PyASCIIObject _base;
    Py_ssize_t utf8_length;
    char *utf8;
} PyCompactUnicodeObject;

/* Legacy (non-compact) strings keep their characters in a separate block. */
typedef struct {
    PyCompactUnicodeObject _base;
    union {
        void *any;
        Py_UCS1 *latin1;
        Py_UCS2 *ucs2;
        Py_UCS4 *ucs4;
    } data;
} PyUnicodeObject;

#define _PyASCIIObject_CAST(op) ((PyASCIIObject *)(op))
#define _PyCompactUnicodeObject_CAST(op) ((PyCompactUnicodeObject *)(op))
#define _PyUnicodeObject_CAST(op) ((PyUnicodeObject *)(op))

#define SSTATE_NOT_INTERNED 0
#define SSTATE_INTERNED_MORTAL 1
#define SSTATE_INTERNED_IMMORTAL 2
#define SSTATE_INTERNED_IMMORTAL_STATIC 3

static inline unsigned int PyUnicode_CHECK_INTERNED(PyObject *op)
{
    return __atomic_load_n(&_PyASCIIObject_CAST(op)->state.interned, __ATOMIC_RELAXED);
}
#define PyUnicode_CHECK_INTERNED(op) PyUnicode_CHECK_INTERNED(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_READY(PyObject *Py_UNUSED(op))
{
    return 1;
}
#define PyUnicode_IS_READY(op) PyUnicode_IS_READY(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_ASCII(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->state.ascii;
}
#define PyUnicode_IS_ASCII(op) PyUnicode_IS_ASCII(_PyObject_CAST(op))

static inline unsigned int PyUnicode_IS_COMPACT(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->state.compact;
}
#define PyUnicode_IS_COMPACT(op) PyUnicode_IS_COMPACT(_PyObject_CAST(op))

static inline int PyUnicode_IS_COMPACT_ASCII(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->state.ascii && PyUnicode_IS_COMPACT(op);
}
#define PyUnicode_IS_COMPACT_ASCII(op) PyUnicode_IS_COMPACT_ASCII(_PyObject_CAST(op))

enum PyUnicode_Kind {
    PyUnicode_1BYTE_KIND = 1,
    PyUnicode_2BYTE_KIND = 2,
    PyUnicode_4BYTE_KIND = 4
};

#define PyUnicode_KIND(op) _Py_RVALUE(_PyASCIIObject_CAST(op)->state.kind)

static inline void *_PyUnicode_COMPACT_DATA(PyObject *op)
{
    if (PyUnicode_IS_ASCII(op)) {
        return _Py_STATIC_CAST(void *, _PyASCIIObject_CAST(op) + 1);
    }
    return _Py_STATIC_CAST(void *, _PyCompactUnicodeObject_CAST(op) + 1);
}

static inline void *_PyUnicode_NONCOMPACT_DATA(PyObject *op)
{
    return _PyUnicodeObject_CAST(op)->data.any;
}

static inline void *PyUnicode_DATA(PyObject *op)
{
    if (PyUnicode_IS_COMPACT(op)) {
        return _PyUnicode_COMPACT_DATA(op);
    }
    return _PyUnicode_NONCOMPACT_DATA(op);
}
#define PyUnicode_DATA(op) PyUnicode_DATA(_PyObject_CAST(op))

#define PyUnicode_1BYTE_DATA(op) _Py_STATIC_CAST(Py_UCS1 *, PyUnicode_DATA(op))
#define PyUnicode_2BYTE_DATA(op) _Py_STATIC_CAST(Py_UCS2 *, PyUnicode_DATA(op))
#define PyUnicode_4BYTE_DATA(op) _Py_STATIC_CAST(Py_UCS4 *, PyUnicode_DATA(op))

static inline Py_ssize_t PyUnicode_GET_LENGTH(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->length;
}
#define PyUnicode_GET_LENGTH(op) PyUnicode_GET_LENGTH(_PyObject_CAST(op))

static inline void PyUnicode_WRITE(int kind, void *data, Py_ssize_t index, Py_UCS4 value)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        _Py_STATIC_CAST(Py_UCS1 *, data)[index] = _Py_STATIC_CAST(Py_UCS1, value);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        _Py_STATIC_CAST(Py_UCS2 *, data)[index] = _Py_STATIC_CAST(Py_UCS2, value);
    }
    else {
        _Py_STATIC_CAST(Py_UCS4 *, data)[index] = value;
    }
}
#define PyUnicode_WRITE(kind, data, index, value) \
    PyUnicode_WRITE(_Py_STATIC_CAST(int, kind), _Py_CAST(void *, data), (index), _Py_STATIC_CAST(Py_UCS4, value))

static inline Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        return _Py_STATIC_CAST(const Py_UCS1 *, data)[index];
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        return _Py_STATIC_CAST(const Py_UCS2 *, data)[index];
    }
    return _Py_STATIC_CAST(const Py_UCS4 *, data)[index];
}
#define PyUnicode_READ(kind, data, index) \
    PyUnicode_READ(_Py_STATIC_CAST(int, kind), _Py_STATIC_CAST(const void *, data), (index))

static inline Py_UCS4 PyUnicode_READ_CHAR(PyObject *unicode, Py_ssize_t index)
{
    int kind = (int)PyUnicode_KIND(unicode);
    return PyUnicode_READ(kind, PyUnicode_DATA(unicode), index);
}
#define PyUnicode_READ_CHAR(unicode, index) PyUnicode_READ_CHAR(_PyObject_CAST(unicode), (index))

static inline Py_UCS4 PyUnicode_MAX_CHAR_VALUE(PyObject *op)
{
    if (PyUnicode_IS_ASCII(op)) {
        return 0x7fU;
    }
    switch (PyUnicode_KIND(op)) {
    case PyUnicode_1BYTE_KIND:
        return 0xffU;
    case PyUnicode_2BYTE_KIND:
        return 0xffffU;
    default:
        return 0x10ffffU;
    }
}
#define PyUnicode_MAX_CHAR_VALUE(op) PyUnicode_MAX_CHAR_VALUE(_PyObject_CAST(op))

/* UTF-16 surrogates: U+D800..U+DBFF lead, U+DC00..U+DFFF trail. */
static inline int Py_UNICODE_IS_SURROGATE(Py_UCS4 ch) { return 0xD800 <= ch && ch <= 0xDFFF; }
static inline int Py_UNICODE_IS_HIGH_SURROGATE(Py_UCS4 ch) { return 0xD800 <= ch && ch <= 0xDBFF; }
static inline int Py_UNICODE_IS_LOW_SURROGATE(Py_UCS4 ch) { return 0xDC00 <= ch && ch <= 0xDFFF; }
/* The code point of a surrogate pair, and the pair of a code point above U+FFFF. */
static inline Py_UCS4 Py_UNICODE_JOIN_SURROGATES(Py_UCS4 high, Py_UCS4 low)
{
    return 0x10000 + (((high & 0x03FF) << 10) | (low & 0x03FF));
}
static inline Py_UCS4 Py_UNICODE_HIGH_SURROGATE(Py_UCS4 ch) { return 0xD800 - (0x10000 >> 10) + (ch >> 10); }
static inline Py_UCS4 Py_UNICODE_LOW_SURROGATE(Py_UCS4 ch) { return 0xDC00 + (ch & 0x3FF); }

PyAPI_FUNC(PyObject *) PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar);
PyAPI_FUNC(Py_ssize_t) PyUnicode_CopyCharacters(PyObject *to, Py_ssize_t to_start, PyObject *from,
                                                Py_ssize_t from_start, Py_ssize_t how_many);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Fill(PyObject *unicode, Py_ssize_t start, Py_ssize_t length, Py_UCS4 fill_char);
PyAPI_FUNC(PyObject *) PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size);
PyAPI_FUNC(int) _PyUnicode_IsWhitespace(const Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsLinebreak(const Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsAlpha(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsNumeric(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(PyObject *) _PyUnicode_FromId(void *id);
PyAPI_FUNC(int) _PyUnicode_IsLowercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsUppercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsPrintable(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToLowercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToUppercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDigit(Py_UCS4 ch);
PyAPI_FUNC(double) _PyUnicode_ToNumeric(Py_UCS4 ch);

/* ASCII whitespace table (1 for the characters str.isspace() accepts below 128). */
PyAPI_DATA(const unsigned char) _Py_ascii_whitespace[];

/* Character classification: ASCII space is answered inline, the rest by the runtime. */
static inline int Py_UNICODE_ISSPACE(Py_UCS4 ch)
{
    return ch < 128U ? _Py_ascii_whitespace[ch] : _PyUnicode_IsWhitespace(ch);
}
#define Py_UNICODE_ISLOWER(ch) _PyUnicode_IsLowercase(ch)
#define Py_UNICODE_ISUPPER(ch) _PyUnicode_IsUppercase(ch)
#define Py_UNICODE_ISTITLE(ch) _PyUnicode_IsTitlecase(ch)
#define Py_UNICODE_ISLINEBREAK(ch) _PyUnicode_IsLinebreak(ch)
#define Py_UNICODE_TOLOWER(ch) _PyUnicode_ToLowercase(ch)
#define Py_UNICODE_TOUPPER(ch) _PyUnicode_ToUppercase(ch)
#define Py_UNICODE_TOTITLE(ch) _PyUnicode_ToTitlecase(ch)
#define Py_UNICODE_ISDECIMAL(ch) _PyUnicode_IsDecimalDigit(ch)
#define Py_UNICODE_ISDIGIT(ch) _PyUnicode_IsDigit(ch)
#define Py_UNICODE_ISNUMERIC(ch) _PyUnicode_IsNumeric(ch)
#define Py_UNICODE_ISPRINTABLE(ch) _PyUnicode_IsPrintable(ch)
#define Py_UNICODE_TODECIMAL(ch) _PyUnicode_ToDecimalDigit(ch)
#define Py_UNICODE_TODIGIT(ch) _PyUnicode_ToDigit(ch)
#define Py_UNICODE_TONUMERIC(ch) _PyUnicode_ToNumeric(ch)
#define Py_UNICODE_ISALPHA(ch) _PyUnicode_IsAlpha(ch)
static inline int Py_UNICODE_ISALNUM(Py_UCS4 ch)
{
    return Py_UNICODE_ISALPHA(ch) || Py_UNICODE_ISDECIMAL(ch) || Py_UNICODE_ISDIGIT(ch) ||
           Py_UNICODE_ISNUMERIC(ch);
}

static inline int PyUnicode_READY(PyObject *Py_UNUSED(op))
{
    return 0;
}
#define PyUnicode_READY(op) PyUnicode_READY(_PyObject_CAST(op))

/* 3.14 public string builder. The writer is opaque: make it with PyUnicodeWriter_Create, end it
 * with PyUnicodeWriter_Finish (which returns the str) or PyUnicodeWriter_Discard. Every write
 * returns 0, or -1 with an exception set and the writer unchanged. */
typedef struct PyUnicodeWriter PyUnicodeWriter;

PyAPI_FUNC(PyUnicodeWriter *) PyUnicodeWriter_Create(Py_ssize_t length);
PyAPI_FUNC(void) PyUnicodeWriter_Discard(PyUnicodeWriter *writer);
PyAPI_FUNC(PyObject *) PyUnicodeWriter_Finish(PyUnicodeWriter *writer);

PyAPI_FUNC(int) PyUnicodeWriter_WriteChar(PyUnicodeWriter *writer, Py_UCS4 ch);
PyAPI_FUNC(int) PyUnicodeWriter_WriteUTF8(PyUnicodeWriter *writer, const char *str, Py_ssize_t size);
PyAPI_FUNC(int) PyUnicodeWriter_WriteASCII(PyUnicodeWriter *writer, const char *str, Py_ssize_t size);
PyAPI_FUNC(int) PyUnicodeWriter_WriteWideChar(PyUnicodeWriter *writer, const wchar_t *str, Py_ssize_t size);
PyAPI_FUNC(int) PyUnicodeWriter_WriteUCS4(PyUnicodeWriter *writer, Py_UCS4 *str, Py_ssize_t size);
PyAPI_FUNC(int) PyUnicodeWriter_WriteStr(PyUnicodeWriter *writer, PyObject *obj);
PyAPI_FUNC(int) PyUnicodeWriter_WriteRepr(PyUnicodeWriter *writer, PyObject *obj);
PyAPI_FUNC(int) PyUnicodeWriter_WriteSubstring(PyUnicodeWriter *writer, PyObject *str,
                                               Py_ssize_t start, Py_ssize_t end);
PyAPI_FUNC(int) PyUnicodeWriter_Format(PyUnicodeWriter *writer, const char *format, ...);
PyAPI_FUNC(int) PyUnicodeWriter_DecodeUTF8Stateful(PyUnicodeWriter *writer, const char *string,
                                                   Py_ssize_t length, const char *errors,
                                                   Py_ssize_t *consumed);

/* The older private builder, deprecated for extensions in 3.14 but still exported. Its layout
 * is public: after _PyUnicodeWriter_Prepare succeeds, callers store characters themselves with
 * PyUnicode_WRITE(writer->kind, writer->data, writer->pos++, ch). `buffer` is a str of `size`
 * characters of which the first `pos` are written; `maxchar` is the widest character its kind
 * holds. */
typedef struct {
    PyObject *buffer;
    void *data;
    int kind;
    Py_UCS4 maxchar;
    Py_ssize_t size;
    Py_ssize_t pos;
    Py_ssize_t min_length;      /* allocate at least this many characters (0) */
    Py_UCS4 min_char;           /* the buffer holds at least characters up to this (127) */
    unsigned char overallocate; /* grow by a quarter more than needed (0) */
    unsigned char readonly;     /* buffer is shared and must be copied first (0) */
} _PyUnicodeWriter;

Py_DEPRECATED(3.14) PyAPI_FUNC(void) _PyUnicodeWriter_Init(_PyUnicodeWriter *writer);

/* 0 when `length` more characters up to `maxchar` fit already, else the runtime grows or
 * widens the buffer (-1 with an exception on failure). */
#define _PyUnicodeWriter_Prepare(WRITER, LENGTH, MAXCHAR)                               \
    (((MAXCHAR) <= (WRITER)->maxchar && (LENGTH) <= (WRITER)->size - (WRITER)->pos)     \
         ? 0                                                                             \
         : (((LENGTH) == 0) ? 0                                                          \
                            : _PyUnicodeWriter_PrepareInternal((WRITER), (LENGTH), (MAXCHAR))))
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_PrepareInternal(_PyUnicodeWriter *writer,
                                                                     Py_ssize_t length, Py_UCS4 maxchar);

/* Make the buffer at least `KIND` bytes per character. */
#define _PyUnicodeWriter_PrepareKind(WRITER, KIND) \
    ((KIND) <= (WRITER)->kind ? 0 : _PyUnicodeWriter_PrepareKindInternal((WRITER), (KIND)))
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_PrepareKindInternal(_PyUnicodeWriter *writer, int kind);

Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_WriteChar(_PyUnicodeWriter *writer, Py_UCS4 ch);
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_WriteStr(_PyUnicodeWriter *writer, PyObject *str);
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_WriteSubstring(_PyUnicodeWriter *writer, PyObject *str,
                                                                    Py_ssize_t start, Py_ssize_t end);
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_WriteASCIIString(_PyUnicodeWriter *writer,
                                                                      const char *str, Py_ssize_t len);
Py_DEPRECATED(3.14) PyAPI_FUNC(int) _PyUnicodeWriter_WriteLatin1String(_PyUnicodeWriter *writer,
                                                                       const char *str, Py_ssize_t len);
Py_DEPRECATED(3.14) PyAPI_FUNC(PyObject *) _PyUnicodeWriter_Finish(_PyUnicodeWriter *writer);
Py_DEPRECATED(3.14) PyAPI_FUNC(void) _PyUnicodeWriter_Dealloc(_PyUnicodeWriter *writer);

#endif /* GILGATE_CPYTHON_UNICODEOBJECT_H */
