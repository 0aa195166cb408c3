/* gilgate: critical sections (declared in cpython/critical_section.h). */
#ifndef Py_CRITICAL_SECTION_H
#define Py_CRITICAL_SECTION_H
#include "cpython/critical_section.h"
#endif /* !Py_CRITICAL_SECTION_H */
