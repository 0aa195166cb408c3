/* gilgate: per-object critical sections (free-threaded builds lock ob_mutex). */
#ifndef GILGATE_CPYTHON_CRITICAL_SECTION_H
#define GILGATE_CPYTHON_CRITICAL_SECTION_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct PyCriticalSection PyCriticalSection;
typedef struct PyCriticalSection2 PyCriticalSection2;

struct PyCriticalSection {
    uintptr_t _cs_prev;     /* the enclosing section, tagged in the low bits */
    PyMutex *_cs_mutex;
};

struct PyCriticalSection2 {
    PyCriticalSection _cs_base;
    PyMutex *_cs_mutex2;
};

PyAPI_FUNC(void) PyCriticalSection_Begin(PyCriticalSection *c, PyObject *op);
PyAPI_FUNC(void) PyCriticalSection_BeginMutex(PyCriticalSection *c, PyMutex *m);
PyAPI_FUNC(void) PyCriticalSection_End(PyCriticalSection *c);
PyAPI_FUNC(void) PyCriticalSection2_Begin(PyCriticalSection2 *c, PyObject *a, PyObject *b);
PyAPI_FUNC(void) PyCriticalSection2_BeginMutex(PyCriticalSection2 *c, PyMutex *m1, PyMutex *m2);
PyAPI_FUNC(void) PyCriticalSection2_End(PyCriticalSection2 *c);

#define Py_BEGIN_CRITICAL_SECTION(op)                         \
    {                                                         \
        PyCriticalSection _py_cs;                             \
        PyCriticalSection_Begin(&_py_cs, _PyObject_CAST(op))

#define Py_BEGIN_CRITICAL_SECTION_MUTEX(mutex)                \
    {                                                         \
        PyCriticalSection _py_cs;                             \
        PyCriticalSection_BeginMutex(&_py_cs, (mutex))

#define Py_END_CRITICAL_SECTION()                             \
        PyCriticalSection_End(&_py_cs);                       \
    }

#define Py_BEGIN_CRITICAL_SECTION2(a, b)                      \
    {                                                         \
        PyCriticalSection2 _py_cs2;                           \
        PyCriticalSection2_Begin(&_py_cs2, _PyObject_CAST(a), _PyObject_CAST(b))

#define Py_BEGIN_CRITICAL_SECTION2_MUTEX(m1, m2)              \
    {                                                         \
        PyCriticalSection2 _py_cs2;                           \
        PyCriticalSection2_BeginMutex(&_py_cs2, (m1), (m2))

#define Py_END_CRITICAL_SECTION2()                            \
        PyCriticalSection2_End(&_py_cs2);                     \
    }

#ifdef __cplusplus
}
#endif
#endif /* GILGATE_CPYTHON_CRITICAL_SECTION_H */
