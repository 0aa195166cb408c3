/*
 * PyOS_snprintf and PyOS_vsnprintf (CPython's Python/mysnprintf.c): the C library's
 * vsnprintf with CPython's guarantees. The result always ends in NUL when size > 0 (the last
 * byte of the buffer is written even when the C library already did), the return value is
 * what vsnprintf returns (the full length the text needed, so a value >= size means it was
 * cut), and a size above INT_MAX - 1, whose length could not be returned as an int, writes
 * nothing but that NUL and returns -666, as CPython does.
 */
#include <limits.h>
#include <stdio.h>

#include "gg_api.h"

GG_API int PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va)
{
    int len;
    if (size > (size_t)INT_MAX - 1) {
        len = -666;
    } else {
        len = vsnprintf(str, size, format, va);
    }
    if (size > 0) {
        str[size - 1] = '\0';
    }
    return len;
}

GG_API int PyOS_snprintf(char *str, size_t size, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int len = PyOS_vsnprintf(str, size, format, va);
    va_end(va);
    return len;
}
