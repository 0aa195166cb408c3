/* gilgate: object allocation helpers of the CPython-specific API.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_OBJIMPL_H
#define Py_CPYTHON_OBJIMPL_H
#ifdef __cplusplus
extern "C" {
#endif
/* The allocator of pymalloc's arenas. */
typedef struct {
    void *ctx;
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *ptr, size_t size);
} PyObjectArenaAllocator;
typedef int (*gcvisitobjects_t)(PyObject *obj, void *arg);
/* The allocation size of a variable-size object of `nitems` items, pointer-aligned. */
static inline size_t _PyObject_VAR_SIZE(PyTypeObject *type, Py_ssize_t nitems)
{
    size_t size = (size_t)type->tp_basicsize + (size_t)nitems * (size_t)type->tp_itemsize;
    return (size + (SIZEOF_VOID_P - 1)) & ~(size_t)(SIZEOF_VOID_P - 1);
}

PyAPI_FUNC(PyObject **) PyObject_GET_WEAKREFS_LISTPTR(PyObject *);
PyAPI_FUNC(void) PyObject_GetArenaAllocator(PyObjectArenaAllocator *);
PyAPI_FUNC(void) PyObject_SetArenaAllocator(PyObjectArenaAllocator *);
PyAPI_FUNC(int) PyType_SUPPORTS_WEAKREFS(PyTypeObject *);
PyAPI_FUNC(void) PyUnstable_GC_VisitObjects(gcvisitobjects_t, void *);
PyAPI_FUNC(PyObject *) PyUnstable_Object_GC_NewWithExtraData(PyTypeObject *, size_t);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_OBJIMPL_H */
