/*
 * digits.h - digits in the scripts an applicant may type or scan them in:
 * ASCII 0-9, Urdu (Extended Arabic-Indic, U+06F0-06F9) and Arabic-Indic
 * (U+0660-0669). Everything that reads a number (CNIC, tracking ID, draft
 * number, numbers, dates, phone, PIN) turns them into ASCII through here,
 * so a number typed on an Urdu keyboard is the same number.
 *
 * Pure: no I/O, no allocation, no locale. Must never change anything but
 * the digits (letters, signs and invalid bytes are copied as they are).
 */
#ifndef NSER_DIGITS_H
#define NSER_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/* The ASCII digit ('0'-'9') for code point CP in any accepted script, or
 * -1 when CP is not a digit. */
int digits_ascii(uint32_t cp);

/* When [P, END) starts with a digit in any accepted script: its ASCII digit
 * in *ASCII and the bytes it takes (1 or 2). 0 otherwise. */
size_t digits_at(const char *p, const char *end, char *ascii);

/* Copies [S, S+N) into OUT (OUTSZ bytes) with every digit written in ASCII;
 * always terminated. Returns the length written, or (size_t)-1 when it did
 * not fit (OUT then holds what did, cut between characters). The result is
 * never longer than the input. */
size_t digits_normalise(const char *s, size_t n, char *out, size_t outsz);

/* digits_normalise of a string onto itself (it can only shrink). */
void digits_normalise_inplace(char *s);

#endif
