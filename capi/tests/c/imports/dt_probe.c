/* Compiled against include/ by capi/tests/imports.rs into a shared object that the test loads
 * into its own process: uses the datetime C API the way extensions do (PyDateTime_IMPORT, the
 * constructor macros and the inline field macros) and reports what it read. */
#include <Python.h>
#include <datetime.h>
#include <stdio.h>

int gg_dt_probe(char *out, size_t n)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return -1;
    PyObject *d = PyDate_FromDate(2024, 1, 2);
    PyObject *dt = PyDateTime_FromDateAndTime(1999, 12, 31, 23, 59, 58, 123456);
    PyObject *t = PyTime_FromTime(7, 8, 9, 10);
    PyObject *td = PyDelta_FromDSU(1, -1, 1500000);
    if (d == NULL || dt == NULL || t == NULL || td == NULL)
        return -2;
    int checks = PyDate_Check(d) && PyDate_Check(dt) && PyDateTime_Check(dt) && !PyDateTime_Check(d)
                 && PyTime_Check(t) && PyDelta_Check(td) && PyTZInfo_Check(PyDateTime_TimeZone_UTC);
    snprintf(out, n, "%d-%d-%d %d-%d-%d %d:%d:%d.%d %d:%d:%d.%d %d/%d/%d checks=%d",
             PyDateTime_GET_YEAR(d), PyDateTime_GET_MONTH(d), PyDateTime_GET_DAY(d),
             PyDateTime_GET_YEAR(dt), PyDateTime_GET_MONTH(dt), PyDateTime_GET_DAY(dt),
             PyDateTime_DATE_GET_HOUR(dt), PyDateTime_DATE_GET_MINUTE(dt),
             PyDateTime_DATE_GET_SECOND(dt), PyDateTime_DATE_GET_MICROSECOND(dt),
             PyDateTime_TIME_GET_HOUR(t), PyDateTime_TIME_GET_MINUTE(t),
             PyDateTime_TIME_GET_SECOND(t), PyDateTime_TIME_GET_MICROSECOND(t),
             PyDateTime_DELTA_GET_DAYS(td), PyDateTime_DELTA_GET_SECONDS(td),
             PyDateTime_DELTA_GET_MICROSECONDS(td), checks);
    Py_DECREF(d);
    Py_DECREF(dt);
    Py_DECREF(t);
    Py_DECREF(td);
    /* An out-of-range date raises ValueError. */
    PyObject *bad = PyDate_FromDate(2023, 2, 29);
    if (bad != NULL || !PyErr_ExceptionMatches(PyExc_ValueError))
        return -3;
    PyErr_Clear();
    return 0;
}
