/* gilgate: build configuration seen by extension modules.
 * gilgate hosts free-threaded CPython 3.14t extensions on x86_64 Linux. */
#ifndef GILGATE_PYCONFIG_H
#define GILGATE_PYCONFIG_H

/* The host is a free-threaded ("t") build. */
#ifndef Py_GIL_DISABLED
#define Py_GIL_DISABLED 1
#endif

#define SIZEOF_VOID_P 8
#define SIZEOF_SIZE_T 8
#define SIZEOF_LONG 8
#define SIZEOF_INT 4
#define SIZEOF_SHORT 2
#define SIZEOF_LONG_LONG 8
#define SIZEOF_DOUBLE 8
#define SIZEOF_FLOAT 4
#define SIZEOF_WCHAR_T 4
#define SIZEOF_PID_T 4
#define SIZEOF_TIME_T 8
#define SIZEOF_OFF_T 8
#define SIZEOF_FPOS_T 16
#define SIZEOF_UINTPTR_T 8
#define SIZEOF__BOOL 1
#define ALIGNOF_SIZE_T 8
#define ALIGNOF_LONG 8
#define ALIGNOF_MAX_ALIGN_T 16
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_UNISTD_H 1
#define HAVE_STDDEF_H 1
#define HAVE_WCHAR_H 1
#define HAVE_ERRNO_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_DLFCN_H 1
#define HAVE_DYNAMIC_LOADING 1
#define HAVE_PTHREAD_H 1
#define HAVE_LONG_DOUBLE 1
#define WITH_DOC_STRINGS 1
#define WITH_PYMALLOC 1
#define WITH_MIMALLOC 1
#define PY_HAVE_THREAD_NATIVE_ID 1
#define PY_SUPPORT_TIER 1
#define DOUBLE_IS_LITTLE_ENDIAN_IEEE754 1
#define Py_ENABLE_SHARED 0

/* Like CPython's pyconfig.h: expose the full POSIX/GNU API of the C library, so
 * Python.h must come before any system header. */
#ifndef _GNU_SOURCE
#  define _GNU_SOURCE 1
#endif
#ifndef _POSIX_C_SOURCE
#  define _POSIX_C_SOURCE 200809L
#endif
#ifndef _XOPEN_SOURCE
#  define _XOPEN_SOURCE 700
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#  define _XOPEN_SOURCE_EXTENDED 1
#endif

#endif /* GILGATE_PYCONFIG_H */
