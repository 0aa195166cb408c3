/* gilgate: small helper macros. */
#ifndef Py_PYMACRO_H
#define Py_PYMACRO_H

#define Py_MIN(a, b) (((a) > (b)) ? (b) : (a))
#define Py_MAX(a, b) (((a) > (b)) ? (a) : (b))
#define Py_ABS(v) ((v) < 0 ? -(v) : (v))

#define _Py_XSTRINGIFY(v) #v
#define Py_STRINGIFY(v) _Py_XSTRINGIFY(v)

#define Py_MEMBER_SIZE(type, member) sizeof(((type *)0)->member)
#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))

#if defined(__cplusplus) && __cplusplus >= 201103L
#  define Py_BUILD_ASSERT_EXPR(cond) (sizeof(char[1 - 2 * !(cond)]) - 1)
#  define Py_BUILD_ASSERT(cond) static_assert((cond), #cond)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define Py_BUILD_ASSERT_EXPR(cond) (sizeof(struct { int gg_build_assert : (cond) ? 1 : -1; }) * 0)
#  define Py_BUILD_ASSERT(cond) _Static_assert((cond), #cond)
#else
#  define Py_BUILD_ASSERT_EXPR(cond) (sizeof(char[1 - 2 * !(cond)]) - 1)
#  define Py_BUILD_ASSERT(cond) ((void)Py_BUILD_ASSERT_EXPR(cond))
#endif

/* Round down/up to a multiple of a power of two. */
#define _Py_SIZE_ROUND_DOWN(n, a) ((size_t)(n) & ~(size_t)((a) - 1))
#define _Py_SIZE_ROUND_UP(n, a) (((size_t)(n) + (size_t)((a) - 1)) & ~(size_t)((a) - 1))
#define _Py_ALIGN_DOWN(p, a) ((void *)((uintptr_t)(p) & ~(uintptr_t)((a) - 1)))
#define _Py_ALIGN_UP(p, a) ((void *)(((uintptr_t)(p) + (uintptr_t)((a) - 1)) & ~(uintptr_t)((a) - 1)))
#define _Py_IS_ALIGNED(p, a) (!((uintptr_t)(p) & (uintptr_t)((a) - 1)))

#define Py_UNUSED(name) _unused_##name __attribute__((unused))
#define Py_UNREACHABLE() __builtin_unreachable()

#define PyDoc_VAR(name) static const char name[]
#define PyDoc_STRVAR(name, str) PyDoc_VAR(name) = PyDoc_STR(str)
#define PyDoc_STR(str) str

#define _Py_RVALUE(EXPR) ((void)0, (EXPR))

#define Py_SAFE_DOWNCAST(VALUE, WIDE, NARROW) ((NARROW)(VALUE))

/* Versions packed as PY_VERSION_HEX packs them (functions of the same names are exported). */
#define Py_PACK_FULL_VERSION _Py_PACK_FULL_VERSION
#define Py_PACK_VERSION(X, Y) Py_PACK_FULL_VERSION(X, Y, 0, 0, 0)

#endif /* Py_PYMACRO_H */
