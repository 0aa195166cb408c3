/* gilgate: memory allocator customisation.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_CPYTHON_PYMEM_H
#define Py_CPYTHON_PYMEM_H
#ifdef __cplusplus
extern "C" {
#endif
/* The three allocator families. */
typedef enum {
    PYMEM_DOMAIN_RAW,
    PYMEM_DOMAIN_MEM,
    PYMEM_DOMAIN_OBJ
} PyMemAllocatorDomain;
/* An allocator: its context and its four functions. */
typedef struct {
    void *ctx;
    void *(*malloc)(void *ctx, size_t size);
    void *(*calloc)(void *ctx, size_t nelem, size_t elsize);
    void *(*realloc)(void *ctx, void *ptr, size_t new_size);
    void (*free)(void *ctx, void *ptr);
} PyMemAllocatorEx;

PyAPI_FUNC(void) PyMem_GetAllocator(PyMemAllocatorDomain, PyMemAllocatorEx *);
PyAPI_FUNC(void) PyMem_SetAllocator(PyMemAllocatorDomain, PyMemAllocatorEx *);
PyAPI_FUNC(void) PyMem_SetupDebugHooks(void);

#ifdef __cplusplus
}
#endif
#endif /* !Py_CPYTHON_PYMEM_H */
