/*
 * utf8.h - the few UTF-8 byte-level helpers the data-file parsers and the
 * flow share: decode one character, check a run of bytes, and cut a copy
 * or a prefix at a character boundary.
 *
 * Pure and locale-independent: data files are UTF-8 whatever the locale.
 * Widths on screen are screens/text.c's business (wcwidth), never this.
 */
#ifndef NSER_UTF8_H
#define NSER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the UTF-8 sequence at P (before END) and its code point in
 * *CP; 0 when it is not valid UTF-8 (overlong forms and surrogates too). */
size_t utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);

/* True when S[0..N) is well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

/* The longest prefix of S of at most MAX bytes that ends between characters. */
size_t utf8_clip(const char *s, size_t max);

/* Copies S into OUT (OUTSZ > 0), cut short at a character boundary rather
 * than overflowing, so the copy stays valid UTF-8; always terminated. */
void utf8_copy(const char *s, char *out, size_t outsz);

#endif
