/*
 * utf8.c - UTF-8 at the byte level for the data-file parsers and the flow.
 *
 * Strict (RFC 3629): overlong forms, surrogates and code points past
 * U+10FFFF are invalid. Pure; never looks at the locale.
 */
#include "utf8.h"

#include <string.h>

size_t utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    if (p >= end)
        return 0;
    unsigned c = p[0];
    size_t n;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xc2)
        return 0;
    if (c < 0xe0) {
        n = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if (c < 0xf0) {
        n = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if (c < 0xf5) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint32_t cp;
        size_t len = utf8_decode(p, end, &cp);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

size_t utf8_clip(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    n = max;
    /* S[N] is the first byte left out: never end inside a character. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void utf8_copy(const char *s, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    size_t n = utf8_clip(s, outsz - 1);
    memcpy(out, s, n);
    out[n] = '\0';
}
