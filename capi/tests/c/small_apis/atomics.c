/* Exercises include/cpython/pyatomic.h and Py_MEMCPY from C; built as a shared object by
 * tests/small_apis.rs. gg_atomic_checks returns the number of failed checks, one line per
 * check in `out`. */
#include <Python.h>
#include <stdio.h>

static char *g_out;
static size_t g_cap, g_len;
static int g_failed;

static void note(int ok, const char *what)
{
    int n = snprintf(g_out + g_len, g_cap - g_len, "%s %s\n", ok ? "ok" : "FAIL", what);
    if (n > 0 && (size_t)n < g_cap - g_len)
        g_len += (size_t)n;
    if (!ok)
        g_failed++;
}

#define CHECK(cond) note((cond), #cond)

int gg_atomic_checks(char *out, size_t cap)
{
    g_out = out;
    g_cap = cap;
    g_len = 0;
    g_failed = 0;
    out[0] = '\0';

    uint32_t status = 0x10;
    CHECK(_Py_atomic_or_uint32(&status, 0x3) == 0x10);
    CHECK(_Py_atomic_load_uint32_relaxed(&status) == 0x13);
    CHECK(_Py_atomic_and_uint32(&status, 0x2) == 0x13);
    CHECK(_Py_atomic_load_uint32(&status) == 0x2);

    Py_ssize_t n = 40;
    CHECK(_Py_atomic_add_ssize(&n, 2) == 40 && n == 42);
    Py_ssize_t expected = 41;
    CHECK(_Py_atomic_compare_exchange_ssize(&n, &expected, 7) == 0 && expected == 42 && n == 42);
    CHECK(_Py_atomic_compare_exchange_ssize(&n, &expected, 7) == 1 && n == 7);
    CHECK(_Py_atomic_exchange_ssize(&n, -1) == 7 && n == -1);

    int8_t small = 127;
    CHECK(_Py_atomic_add_int8(&small, 1) == 127 && small == -128);
    uint64_t big = 0;
    _Py_atomic_store_uint64_release(&big, UINT64_MAX);
    CHECK(_Py_atomic_load_uint64_acquire(&big) == UINT64_MAX);

    int a = 1, b = 2;
    int *p = &a;
    CHECK(_Py_atomic_load_ptr(&p) == &a);
    CHECK(_Py_atomic_exchange_ptr(&p, &b) == &a && p == &b);
    int *want = &a;
    CHECK(_Py_atomic_compare_exchange_ptr(&p, &want, &a) == 0 && want == &b);
    CHECK(_Py_atomic_compare_exchange_ptr(&p, &want, &a) == 1 && p == &a);
    _Py_atomic_store_ptr_release(&p, NULL);
    CHECK(_Py_atomic_load_ptr_acquire(&p) == NULL);

    double d = 0.0;
    _Py_atomic_store_double_relaxed(&d, 2.5);
    CHECK(_Py_atomic_load_double_relaxed(&d) == 2.5);
    _Py_atomic_fence_seq_cst();

    char buf[6] = "xxxxx";
    Py_MEMCPY(buf, "abc", 3);
    CHECK(buf[0] == 'a' && buf[2] == 'c' && buf[3] == 'x');
    return g_failed;
}
