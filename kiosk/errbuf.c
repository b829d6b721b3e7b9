/*
 * errbuf.c - filling a caller's error buffer (see errbuf.h). Never prints.
 */
#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(char *buf, size_t sz, const char *fmt, ...)
{
    if (buf && sz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sz, fmt, ap);
        va_end(ap);
    }
    return -1;
}
