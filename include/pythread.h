/* gilgate: the portable thread API. */
#ifndef Py_PYTHREAD_H
#define Py_PYTHREAD_H
#ifdef __cplusplus
extern "C" {
#endif

#include <pthread.h>

typedef void *PyThread_type_lock;

typedef enum PyLockStatus {
    PY_LOCK_FAILURE = 0,
    PY_LOCK_ACQUIRED = 1,
    PY_LOCK_INTR
} PyLockStatus;

PyAPI_FUNC(void) PyThread_init_thread(void);
PyAPI_FUNC(unsigned long) PyThread_start_new_thread(void (*func)(void *), void *arg);
PyAPI_FUNC(void) _Py_NO_RETURN PyThread_exit_thread(void);
PyAPI_FUNC(unsigned long) PyThread_get_thread_ident(void);
PyAPI_FUNC(unsigned long) PyThread_get_thread_native_id(void);
PyAPI_FUNC(PyThread_type_lock) PyThread_allocate_lock(void);
PyAPI_FUNC(void) PyThread_free_lock(PyThread_type_lock lock);
PyAPI_FUNC(int) PyThread_acquire_lock(PyThread_type_lock lock, int waitflag);
#define WAIT_LOCK 1
#define NOWAIT_LOCK 0
#define PY_TIMEOUT_T long long
#define PY_HAVE_THREAD_NATIVE_ID
PyAPI_DATA(const long long) PY_TIMEOUT_MAX;
PyAPI_FUNC(PyLockStatus) PyThread_acquire_lock_timed(PyThread_type_lock lock, PY_TIMEOUT_T microseconds,
                                                     int intr_flag);
PyAPI_FUNC(void) PyThread_release_lock(PyThread_type_lock lock);
PyAPI_FUNC(size_t) PyThread_get_stacksize(void);
PyAPI_FUNC(int) PyThread_set_stacksize(size_t size);
PyAPI_FUNC(PyObject *) PyThread_GetInfo(void);

/* Thread-specific storage. */
typedef struct _Py_tss_t Py_tss_t;
struct _Py_tss_t {
    int _is_initialized;
    pthread_key_t _key;
};
#define Py_tss_NEEDS_INIT {0}

PyAPI_FUNC(Py_tss_t *) PyThread_tss_alloc(void);
PyAPI_FUNC(void) PyThread_tss_free(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_is_created(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_create(Py_tss_t *key);
PyAPI_FUNC(void) PyThread_tss_delete(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_set(Py_tss_t *key, void *value);
PyAPI_FUNC(void *) PyThread_tss_get(Py_tss_t *key);

#define PYTHREAD_INVALID_THREAD_ID ((unsigned long)-1)


PyAPI_FUNC(void) PyThread_ReInitTLS(void);
PyAPI_FUNC(int) PyThread_create_key(void);
PyAPI_FUNC(void) PyThread_delete_key(int);
PyAPI_FUNC(void) PyThread_delete_key_value(int);
PyAPI_FUNC(void *) PyThread_get_key_value(int);
PyAPI_FUNC(int) PyThread_set_key_value(int, void *);

#ifdef __cplusplus
}
#endif
#endif /* Py_PYTHREAD_H */
