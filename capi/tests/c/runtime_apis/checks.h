/* Shared by the fixtures of tests/runtime_apis.rs: each fixture's entry point fills `out` with
 * one line per check ("ok ..." or "FAIL ...") and returns the number of failed checks. */
#ifndef GG_RUNTIME_CHECKS_H
#define GG_RUNTIME_CHECKS_H
#include <stdio.h>

static char *g_out;
static size_t g_cap, g_len;
static int g_failed;

static void gg_begin(char *out, size_t cap)
{
    g_out = out;
    g_cap = cap;
    g_len = 0;
    g_failed = 0;
    out[0] = '\0';
}

static void gg_note(int ok, const char *what, int line)
{
    int n = snprintf(g_out + g_len, g_cap - g_len, "%s line %d: %s\n", ok ? "ok" : "FAIL", line,
                     what);
    if (n > 0 && (size_t)n < g_cap - g_len)
        g_len += (size_t)n;
    if (!ok)
        g_failed++;
}

#define CHECK(cond) gg_note((cond) ? 1 : 0, #cond, __LINE__)
#endif
