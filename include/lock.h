/* gilgate: PyMutex (the lock itself is in cpython/lock.h). */
#ifndef Py_LOCK_H
#define Py_LOCK_H
#include "cpython/lock.h"
#endif /* !Py_LOCK_H */
