/* gilgate: atomic operations (declared in cpython/pyatomic.h). */
#ifndef Py_ATOMIC_H
#define Py_ATOMIC_H
#include "cpython/pyatomic.h"
#endif /* !Py_ATOMIC_H */
