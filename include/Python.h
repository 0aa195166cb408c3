/* gilgate's Python.h: a CPython-compatible C API header set with the ABI of
 * free-threaded CPython 3.14t on x86_64 Linux. Written for gilgate; the names,
 * numbers and layouts are CPython's so that extension sources build unchanged.
 *
 * Define GILGATE_TARGET_3_15 before including this file to get CPython 3.15's
 * module slot numbering, PySlot, PyABIInfo and PyModExport declarations. */
#ifndef Py_PYTHON_H
#define Py_PYTHON_H /* the name tools such as Cython test for */

#include "patchlevel.h"
#include "pyconfig.h"
#include "pymacconfig.h"

#if defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)
#  ifdef GILGATE_TARGET_3_15
/* 3.15 would build an abi3t module (opaque PyObject); gilgate's headers do not offer that. */
#    error "gilgate: the free-threaded stable ABI (abi3t: Py_LIMITED_API with Py_GIL_DISABLED) is not supported by these headers"
#  else
/* The same refusal, with the same text, as CPython 3.13t and 3.14t. */
#    error "The limited API is not currently supported in the free-threaded build"
#  endif
#endif

#include <assert.h>
#include <ctype.h> /* CPython 3.14 includes it outside the limited API (tolower() etc.) */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "pyport.h"
#include "pystats.h"
#include "pymacro.h"
#include "pymath.h"
#include "pytypedefs.h"
#include "pyatomic.h"
#include "exports.h"
#include "pymem.h"
#include "lock.h"
#include "object.h"
#include "objimpl.h"
#include "typeslots.h"
#include "pybuffer.h"
#include "pyerrors.h"
#include "longobject.h"
#include "boolobject.h"
#include "floatobject.h"
#include "complexobject.h"
#include "unicodeobject.h"
#include "bytearrayobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "structseq.h"
#include "cpython/classobject.h"
#include "cpython/cellobject.h"
#include "sliceobject.h"
#include "weakrefobject.h"
#include "memoryobject.h"
#include "pycapsule.h"
#include "iterobject.h"
#include "rangeobject.h"
#include "bltinmodule.h"
#include "cpython/funcobject.h"
#include "cpython/genobject.h"
#include "traceback.h"
#include "genericaliasobject.h"
#include "methodobject.h"
#include "descrobject.h"
#include "slots.h"
#include "moduleobject.h"
#include "modsupport.h"
#include "pystate.h"
#include "cpython/compile.h"
#include "ceval.h"
#include "critical_section.h"
#include "warnings.h"
#include "import.h"
#include "abstract.h"
#include "compile.h"
#include "pythonrun.h"
#include "cpython/code.h"
#include "pyframe.h"
#include "pylifecycle.h"
#include "sysmodule.h"
#include "fileobject.h"
#include "pystrtod.h"
#include "pythread.h"
#include "cpython/pyctype.h"
#include "pystrcmp.h"
#include "enumobject.h"
#include "cpython/pyfpe.h"
#include "pyhash.h"
#include "cpython/initconfig.h"

/* The rest of CPython 3.14's API surface (declarations; see include/README.md). */
#include "cpython/pymem.h"
#include "cpython/pytime.h"
#include "cpython/pyhash.h"
#include "cpython/objimpl.h"
#include "cpython/abstract.h"
#include "cpython/bytesobject.h"
#include "cpython/dictobject.h"
#include "cpython/odictobject.h"
#include "cpython/context.h"
#include "cpython/picklebufobject.h"
#include "codecs.h"
#include "cpython/audit.h"
#include "cpython/fileobject.h"
#include "fileutils.h"
#include "cpython/fileutils.h"
#include "intrcheck.h"
#include "osmodule.h"
#include "cpython/pydebug.h"
#include "cpython/pylifecycle.h"
#include "cpython/import.h"
#include "cpython/pythonrun.h"
#include "monitoring.h"
#include "cpython/tracemalloc.h"

#endif /* Py_PYTHON_H */
