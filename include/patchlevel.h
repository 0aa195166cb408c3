/* gilgate: the CPython version whose ABI the host presents.
 * Default: 3.14.10 (the runtime ABI). With GILGATE_TARGET_3_15 defined before
 * Python.h: 3.15.2 (used to build samples that follow 3.15's rules). */
#ifndef _Py_PATCHLEVEL_H
#define _Py_PATCHLEVEL_H

#define PY_RELEASE_LEVEL_ALPHA 0xA
#define PY_RELEASE_LEVEL_BETA 0xB
#define PY_RELEASE_LEVEL_GAMMA 0xC
#define PY_RELEASE_LEVEL_FINAL 0xF

#define PY_MAJOR_VERSION 3
#ifdef GILGATE_TARGET_3_15
#  define PY_MINOR_VERSION 15
#  define PY_MICRO_VERSION 2
#  define PY_VERSION "3.15.2"
#else
#  define PY_MINOR_VERSION 14
#  define PY_MICRO_VERSION 10
#  define PY_VERSION "3.14.10"
#endif
#define PY_RELEASE_LEVEL PY_RELEASE_LEVEL_FINAL
#define PY_RELEASE_SERIAL 0

/* 0xMMmmppLS: major, minor, micro, level, serial. */
#define _Py_PACK_FULL_VERSION(X, Y, Z, LEVEL, SERIAL) \
    ((((X) & 0xff) << 24) | (((Y) & 0xff) << 16) | (((Z) & 0xff) << 8) | \
     (((LEVEL) & 0xf) << 4) | ((SERIAL) & 0xf))
#define _Py_PACK_VERSION(X, Y) _Py_PACK_FULL_VERSION(X, Y, 0, 0, 0)

#ifdef GILGATE_TARGET_3_15
#  define PY_VERSION_HEX 0x030F02F0
#else
#  define PY_VERSION_HEX 0x030E0AF0
#endif

#endif /* _Py_PATCHLEVEL_H */
