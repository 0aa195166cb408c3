/*
 * gilgate C shim: the C API functions that never return.
 *
 * They print CPython's "Fatal Python error: ..." report on stderr and abort the process, or,
 * for Py_Exit and an exit status, end it with the given exit code. They are written in C so
 * that no Rust frame sits between the caller and abort()/exit()/pthread_exit().
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef GG_API
#define GG_API __attribute__((visibility("default")))
#endif

#define GG_NORETURN __attribute__((noreturn))

/* Same layout as CPython's PyStatus (32 bytes on x86_64). */
typedef struct {
    enum { GG_STATUS_OK = 0, GG_STATUS_ERROR = 1, GG_STATUS_EXIT = 2 } _type;
    const char *func;
    const char *err_msg;
    int exitcode;
} gg_status;

GG_NORETURN static void gg_fatal(const char *func, const char *msg)
{
    fflush(stdout);
    fputs("Fatal Python error: ", stderr);
    if (func != NULL) {
        fputs(func, stderr);
        fputs(": ", stderr);
    }
    fputs(msg != NULL ? msg : "<message not set>", stderr);
    fputs("\nPython runtime state: gilgate host\n", stderr);
    fflush(stderr);
    abort();
}

GG_API GG_NORETURN void _Py_FatalErrorFunc(const char *func, const char *msg)
{
    gg_fatal(func, msg);
}

GG_API GG_NORETURN void Py_FatalError(const char *msg)
{
    gg_fatal(NULL, msg);
}

/* Private in CPython (pycore_object.h); called by refcount checks of internal inline code. */
GG_API GG_NORETURN void _Py_FatalRefcountErrorFunc(const char *func, const char *msg)
{
    gg_fatal(func, msg);
}

GG_API GG_NORETURN void _PyObject_AssertFailed(void *obj, const char *expr, const char *msg,
                                               const char *file, int line, const char *function)
{
    fflush(stdout);
    fprintf(stderr, "%s:%d: ", file != NULL ? file : "<unknown>", line);
    if (function != NULL) {
        fprintf(stderr, "%s: ", function);
    }
    if (expr != NULL) {
        fprintf(stderr, "Assertion \"%s\" failed", expr);
    } else {
        fputs("Assertion failed", stderr);
    }
    if (msg != NULL) {
        fprintf(stderr, ": %s", msg);
    }
    fprintf(stderr, "\nobject address  : %p\n", obj);
    gg_fatal(function, "_PyObject_AssertFailed");
}

GG_API GG_NORETURN void Py_Exit(int status)
{
    /* gilgate has no interpreter state to finalize: flush the C streams and leave. */
    exit(status);
}

GG_API GG_NORETURN void Py_ExitStatusException(gg_status status)
{
    if (status._type == GG_STATUS_EXIT) {
        exit(status.exitcode);
    }
    if (status._type == GG_STATUS_ERROR) {
        gg_fatal(status.func, status.err_msg);
    }
    gg_fatal("Py_ExitStatusException", "must not be called on success");
}

GG_API GG_NORETURN void PyThread_exit_thread(void)
{
    pthread_exit(NULL);
}
