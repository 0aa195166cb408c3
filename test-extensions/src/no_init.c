/* A shared object that defines no init hook at all (ImportError). */
#include <Python.h>

Py_EXPORTED_SYMBOL int no_init_marker(void);

int no_init_marker(void)
{
    return 1;
}
