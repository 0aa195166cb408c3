/* gilgate: sys.monitoring events fired from C (declared in cpython/monitoring.h). */
#ifndef Py_MONITORING_H
#define Py_MONITORING_H
#include "cpython/monitoring.h"
#endif /* !Py_MONITORING_H */
