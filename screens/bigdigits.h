/*
 * bigdigits.h - digits, dashes and the two key symbols (+ back, * help)
 * drawn big: the tracking ID on the receipt, a CNIC or tracking ID as it
 * is typed, the digit beside each choice. For applicants who read little,
 * the big figure is what they match against the key.
 *
 * Two sizes of the same 3x5 font: LARGE draws each cell as a full block
 * (5 rows), SMALL packs two cells into one row with half blocks (3 rows),
 * so the figures still fit 80x24. Digits always read left to right, in
 * Urdu as well (numbers are not mirrored).
 */
#ifndef NSER_BIGDIGITS_H
#define NSER_BIGDIGITS_H

#include <curses.h>

#define BIGDIGITS_ROWS 5 /* rows of the LARGE size */

enum bigdigits_size {
    BIGDIGITS_SMALL, /* 3 rows */
    BIGDIGITS_LARGE, /* 5 rows */
};

/* Rows a figure takes in size S. */
int bigdigits_rows(enum bigdigits_size s);
/* Columns TEXT (digits, dashes, + and *) takes when drawn big (any size). */
int bigdigits_width(const char *text);
/* Draws TEXT big with its top-left at (Y, X), LARGE, in the big-text
 * colour. Other characters are skipped. */
void bigdigits_draw(int y, int x, const char *text);
/* The same in size S and attributes ATTR. */
void bigdigits_draw_in(int y, int x, const char *text, enum bigdigits_size s, attr_t attr);

#endif
