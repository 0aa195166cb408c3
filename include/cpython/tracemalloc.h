/* gilgate: tracemalloc tracking of foreign allocations.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_TRACEMALLOC_H
#define Py_TRACEMALLOC_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_FUNC(int) PyTraceMalloc_Track(unsigned int, uintptr_t, size_t);
PyAPI_FUNC(int) PyTraceMalloc_Untrack(unsigned int, uintptr_t);

#ifdef __cplusplus
}
#endif
#endif /* !Py_TRACEMALLOC_H */
