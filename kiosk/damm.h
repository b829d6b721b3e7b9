/*
 * damm.h - the Damm check digit (quasigroup of order 10).
 *
 * Chosen over Luhn because it catches every single-digit error and every
 * adjacent transposition. Pure: no I/O.
 */
#ifndef NSER_DAMM_H
#define NSER_DAMM_H

#include <stdbool.h>

/* Check digit (0-9) for a string of decimal digits; -1 if it holds a non-digit. */
int damm_check_digit(const char *digits);

/* True when DIGITS (payload followed by its check digit) is consistent. */
bool damm_valid(const char *digits);

#endif
