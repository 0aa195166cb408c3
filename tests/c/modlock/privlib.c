/* Built by tests/modlock.rs as `withlib.libs/libwl.so`, a wheel's private library (as
 * auditwheel places them): the function the module `withlib` exposes lives here, so only the
 * library's registration puts its calls under the per-module lock. */
#include <Python.h>

static int counter;
static volatile int sink;

PyObject *wl_bump(PyObject *self, PyObject *unused)
{
    int v = *(volatile int *)&counter;
    for (int i = 0; i < 300; i++)
        sink += i;
    *(volatile int *)&counter = v + 1;
    Py_RETURN_NONE;
}

PyObject *wl_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(counter);
}
