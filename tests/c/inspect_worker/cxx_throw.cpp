/* A C++ module whose init throws an exception and catches it itself: it loads libstdc++ and
 * libgcc_s.so.1, whose unwinder finds the handler, while gilgate's own (Rust's) unwinder is
 * linked into gilgate statically. The init fails with RuntimeError when the exception was
 * not caught as thrown. */
#include <Python.h>
#include <stdexcept>
#include <string>

static int throw_if_positive(int x)
{
    if (x > 0) {
        throw std::runtime_error("thrown in cxx_throw");
    }
    return x;
}

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cxx_throw", NULL, 0, NULL,
                                 NULL, NULL, NULL, NULL};

extern "C" PyObject *PyInit_cxx_throw(void)
{
    std::string caught;
    try {
        throw_if_positive(1);
    } catch (const std::exception &e) {
        caught = e.what();
    }
    if (caught != "thrown in cxx_throw") {
        PyErr_SetString(PyExc_RuntimeError, "cxx_throw: the C++ exception was not caught");
        return NULL;
    }
    return PyModuleDef_Init(&def);
}
