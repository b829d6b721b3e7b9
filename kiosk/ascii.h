/*
 * ascii.h - the few character and string helpers the domain parsers share:
 * digits, blanks, trimming, bounded copies.
 *
 * Locale-independent on purpose: the kiosk runs in Urdu locales, where
 * isdigit()/isspace() may answer for other characters. Pure: no I/O.
 */
#ifndef NSER_ASCII_H
#define NSER_ASCII_H

#include <stdbool.h>
#include <stddef.h>

bool ascii_is_digit(char c);
bool ascii_is_blank(char c);

/* Narrows TEXT to [*BEGIN, *END) without surrounding blanks. */
void ascii_trim(const char *text, const char **begin, const char **end);

/* Copies SRC into OUT, cutting it short rather than overflowing; always
 * terminates OUT when OUTSZ > 0. OUT may be NULL (nothing is written). */
void ascii_copy(const char *src, char *out, size_t outsz);

#endif
