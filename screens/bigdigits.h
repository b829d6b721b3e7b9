/*
 * bigdigits.h - digits five rows tall, for the tracking ID on the receipt
 * screen: an applicant copies it down or photographs it.
 */
#ifndef NSER_BIGDIGITS_H
#define NSER_BIGDIGITS_H

#define BIGDIGITS_ROWS 5

/* Columns TEXT (digits and dashes) takes when drawn big. */
int bigdigits_width(const char *text);
/* Draws TEXT big with its top-left at (Y, X). Other characters are skipped. */
void bigdigits_draw(int y, int x, const char *text);

#endif
