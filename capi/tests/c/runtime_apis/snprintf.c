/* PyOS_snprintf and PyOS_vsnprintf as CPython's Python/mysnprintf.c defines them: the C
 * library's length, and a NUL in the buffer's last byte whenever size > 0. */
#include <Python.h>
#include <string.h>

#include "checks.h"

static int via_v(char *buf, size_t size, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    int n = PyOS_vsnprintf(buf, size, fmt, va);
    va_end(va);
    return n;
}

int gg_snprintf_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    char buf[16];

    memset(buf, 'x', sizeof buf);
    CHECK(PyOS_snprintf(buf, sizeof buf, "%d-%s", 12, "abc") == 6);
    CHECK(strcmp(buf, "12-abc") == 0);

    /* cut: the full length comes back, the text ends in NUL at size - 1 */
    memset(buf, 'x', sizeof buf);
    CHECK(PyOS_snprintf(buf, 4, "%s", "abcdef") == 6);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK(buf[4] == 'x');

    /* exactly fits with its NUL */
    memset(buf, 'x', sizeof buf);
    CHECK(PyOS_snprintf(buf, 4, "%s", "abc") == 3);
    CHECK(strcmp(buf, "abc") == 0);

    /* size 1: only the NUL */
    memset(buf, 'x', sizeof buf);
    CHECK(PyOS_snprintf(buf, 1, "%s", "abc") == 3);
    CHECK(buf[0] == '\0' && buf[1] == 'x');

    /* size 0: nothing written, the needed length returned */
    memset(buf, 'x', sizeof buf);
    CHECK(PyOS_snprintf(buf, 0, "%d", 12345) == 5);
    CHECK(buf[0] == 'x');

    /* the va_list form */
    memset(buf, 'x', sizeof buf);
    CHECK(via_v(buf, sizeof buf, "%.2f|%c|%%", 1.5, 'z') == 8);
    CHECK(strcmp(buf, "1.50|z|%") == 0);
    memset(buf, 'x', sizeof buf);
    CHECK(via_v(buf, 3, "%ld", 123456L) == 6);
    CHECK(strcmp(buf, "12") == 0);
    return g_failed;
}
