/*
 * text.h - the one place that measures and draws text.
 *
 * All text is UTF-8; widths come from wcwidth, never strlen, because
 * Urdu script and wide characters take other widths than bytes. Text in
 * Arabic script is shaped and put in visual order here, and only here
 * (GNU FriBidi): callers pass logical text and never reorder it
 * themselves. Widths are those of the shaped text.
 */
#ifndef NSER_TEXT_H
#define NSER_TEXT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Display columns S takes. */
int text_width(const char *s);

/* Draws S at (Y, X), at most MAXW columns; returns the columns drawn. */
int text_draw(int y, int x, int maxw, const char *s, attr_t attr);

/* Draws S centred in the span X .. X+W-1. */
void text_center(int y, int x, int w, const char *s, attr_t attr);

/* Draws S right-aligned so it ends at column X+W-1. */
void text_right(int y, int x, int w, const char *s, attr_t attr);

/* Word-wraps S into W columns from row Y, at most MAXLINES rows; returns
 * the rows used. A NULL attr-less call with DRAW=0 only counts. Breaks
 * are chosen on the logical text and each row is reordered on its own;
 * in a right-to-left language the rows are right-aligned. */
int text_wrap(int y, int x, int w, int maxlines, const char *s, attr_t attr, int draw);

/* True when the current language reads right to left (Urdu script): the
 * layout mirrors, text starts at the right. */
bool text_rtl(void);

/* Draws S where a line starts in the current reading direction: left-
 * aligned at X, or right-aligned to end at X+W-1 in a right-to-left
 * language. Returns the columns drawn. */
int text_start(int y, int x, int w, const char *s, attr_t attr);

/* Where a field's cursor goes when it holds S with the first CHARS
 * characters (logical order) before it: the column, counted from S's
 * first drawn column, at which the next character typed appears. That is
 * right of character CHARS-1 when it reads left to right, left of it
 * (possibly -1) when it reads right to left, as shaped and reordered for
 * drawing. *RTL tells whether S is laid out right to left (an Urdu word
 * on an Urdu screen): such a field is drawn right-aligned. */
int text_cursor_col(const char *s, int chars, bool *rtl);

/* Fills W columns at (Y, X) with blanks in ATTR. */
void text_fill(int y, int x, int w, attr_t attr);

/* UTF-8 <-> wide conversions into fixed buffers; return the length. */
size_t text_to_wide(const char *s, wchar_t *out, size_t outlen);
size_t text_from_wide(const wchar_t *s, char *out, size_t outsz);

#endif
