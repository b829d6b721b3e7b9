/*
 * ascii.c - locale-independent character helpers for the domain parsers.
 */
#include "ascii.h"

#include <string.h>

bool ascii_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool ascii_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void ascii_trim(const char *text, const char **begin, const char **end)
{
    const char *b = text;
    const char *e = text + strlen(text);

    while (b < e && ascii_is_blank(*b))
        b++;
    while (e > b && ascii_is_blank(e[-1]))
        e--;
    *begin = b;
    *end = e;
}

void ascii_copy(const char *src, char *out, size_t outsz)
{
    if (out == NULL || outsz == 0)
        return;
    size_t n = strlen(src);
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, src, n);
    out[n] = '\0';
}
