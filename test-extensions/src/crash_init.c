/* A single-phase init that writes through a NULL pointer (SIGSEGV). */
#include <Python.h>

PyMODINIT_FUNC PyInit_crash_init(void)
{
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
    return NULL;
}
