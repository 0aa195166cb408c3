/* gilgate: basic types and portability macros. */
#ifndef Py_PYPORT_H
#define Py_PYPORT_H

#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef ssize_t Py_ssize_t;
#define PY_LONG_LONG long long
#define PY_INT32_MAX INT32_MAX
typedef Py_ssize_t Py_hash_t;
typedef size_t Py_uhash_t;
typedef Py_ssize_t Py_ssize_clean_t;
typedef uintptr_t Py_uintptr_t;
typedef intptr_t Py_intptr_t;

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)
#define PY_SIZE_MAX SIZE_MAX
#define PY_FORMAT_SIZE_T "z"

#define PY_LLONG_MIN LLONG_MIN
#define PY_LLONG_MAX LLONG_MAX
#define PY_ULLONG_MAX ULLONG_MAX
#define PY_INT32_T int32_t
#define PY_UINT32_T uint32_t
#define PY_INT64_T int64_t
#define PY_UINT64_T uint64_t

#define Py_LOCAL(type) static type
#define Py_LOCAL_INLINE(type) static inline type

/* An old spelling of memcpy that 3.14 still provides outside the limited API (bpo-28126). */
#if !defined(Py_LIMITED_API) || Py_LIMITED_API + 0 < 0x030b0000
#define Py_MEMCPY memcpy
#endif
#define Py_ALWAYS_INLINE __attribute__((always_inline))
#define Py_NO_INLINE __attribute__((noinline))
#define Py_DEPRECATED(VERSION_UNUSED) __attribute__((__deprecated__))
#define _Py_NO_RETURN __attribute__((__noreturn__))
#define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#define Py_ALIGNED(x) __attribute__((aligned(x)))
#define _Py_HOT_FUNCTION __attribute__((hot))
#define _Py_ALIGNED_DEF(N, T) T __attribute__((aligned(N)))

#define Py_ARITHMETIC_RIGHT_SHIFT(TYPE, I, J) ((I) >> (J))
#define Py_FORCE_EXPANSION(X) X

#ifdef __cplusplus
#  define _Py_STATIC_CAST(type, expr) static_cast<type>(expr)
#  define _Py_CAST(type, expr) ((type)(expr))
#  define _Py_NULL nullptr
#else
#  define _Py_STATIC_CAST(type, expr) ((type)(expr))
#  define _Py_CAST(type, expr) ((type)(expr))
#  define _Py_NULL ((void *)0)
#endif

#define _Py_CONST_CAST(type, expr) ((type)(expr))

#define PY_LITTLE_ENDIAN 1
#define PY_BIG_ENDIAN 0

#define Py_CAN_START_THREADS 1

#if defined(__cplusplus)
#  define Py_STATIC_ASSERT static_assert
#else
#  define Py_STATIC_ASSERT _Static_assert
#endif

/* Names older extensions test for; always true on the platforms CPython 3.14 supports. */
#define HAVE_LONG_LONG 1
#define WITH_THREAD
#define Py_VA_COPY va_copy
#define PY_DWORD_MAX 4294967295U
/* Integer constant suffixes: Py_LL(1) is 1LL, Py_ULL(1) is 1ULL. */
#define Py_LL(x) x##LL
#define Py_ULL(x) Py_LL(x##U)
/* Py_hash_t and Py_uhash_t are size_t wide. */
#define SIZEOF_PY_HASH_T SIZEOF_SIZE_T
#define SIZEOF_PY_UHASH_T SIZEOF_SIZE_T
/* `const` for C++ callers of functions whose C signature has none. */
#ifdef __cplusplus
#  define PY_CXX_CONST const
#else
#  define PY_CXX_CONST
#endif
/* Silencing deprecation warnings around a use of a deprecated name. */
#if defined(__clang__)
#  define _Py_COMP_DIAG_PUSH _Pragma("clang diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS _Pragma("clang diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("clang diagnostic pop")
#else
#  define _Py_COMP_DIAG_PUSH _Pragma("GCC diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS _Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("GCC diagnostic pop")
#endif


/* A ThreadSanitizer build: gcc's -fsanitize=thread defines __SANITIZE_THREAD__, clang says so
 * through __has_feature. Headers then make the reads TSan would call races atomic, as
 * CPython's do (object.h: _Py_IsOwnedByCurrentThread). */
#if defined(__has_feature)
#  if __has_feature(thread_sanitizer)
#    define _Py_THREAD_SANITIZER
#  endif
#endif
#if !defined(_Py_THREAD_SANITIZER) && defined(__SANITIZE_THREAD__)
#  define _Py_THREAD_SANITIZER
#endif

#endif /* Py_PYPORT_H */
