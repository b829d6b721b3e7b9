/*
 * digits.c - Urdu and Arabic-Indic digits read as ASCII ones.
 *
 * Byte-level on purpose: the parsers that call this work on UTF-8 in any
 * locale, and a scanner's payload may hold bytes that are not UTF-8 at all
 * (they are copied, never decoded into something else).
 */
#include "digits.h"

#include <string.h>

#include "utf8.h"

int digits_ascii(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)cp;
    if (cp >= 0x06F0 && cp <= 0x06F9) /* Urdu, Persian: ۰-۹ */
        return '0' + (int)(cp - 0x06F0);
    if (cp >= 0x0660 && cp <= 0x0669) /* Arabic-Indic: ٠-٩ */
        return '0' + (int)(cp - 0x0660);
    return -1;
}

size_t digits_at(const char *p, const char *end, char *ascii)
{
    if (p == NULL || p >= end)
        return 0;
    if (*p >= '0' && *p <= '9') {
        *ascii = *p;
        return 1;
    }
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);
    int d = n > 0 ? digits_ascii(cp) : -1;
    if (d < 0)
        return 0;
    *ascii = (char)d;
    return n;
}

size_t digits_normalise(const char *s, size_t n, char *out, size_t outsz)
{
    if (outsz == 0)
        return (size_t)-1;
    const char *p = s, *end = s + n;
    size_t o = 0;
    while (p < end) {
        char d;
        size_t k = digits_at(p, end, &d);
        if (k > 0) {
            if (o + 1 >= outsz)
                break;
            out[o++] = d;
            p += k;
            continue;
        }
        /* Copy one whole character (or one stray byte), never half of one. */
        uint32_t cp;
        k = utf8_decode((const unsigned char *)p, (const unsigned char *)end, &cp);
        if (k == 0)
            k = 1;
        if (o + k >= outsz)
            break;
        memcpy(out + o, p, k);
        o += k;
        p += k;
    }
    out[o] = '\0';
    return p < end ? (size_t)-1 : o;
}

void digits_normalise_inplace(char *s)
{
    if (s == NULL)
        return;
    /* Writing never overtakes reading: each character shrinks or stays. */
    size_t n = strlen(s);
    const char *p = s, *end = s + n;
    char *w = s;
    while (p < end) {
        char d;
        size_t k = digits_at(p, end, &d);
        if (k > 0) {
            *w++ = d;
            p += k;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
}
