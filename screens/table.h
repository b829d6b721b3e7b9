/*
 * table.h - a scrolling table with a selected row (the household roster).
 * Rows come from a callback, so the table never copies personal data and
 * a roster of any length costs only the rows on screen.
 */
#ifndef NSER_TABLE_H
#define NSER_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define TABLE_MAX_COLS 8

/* Writes the text of cell (ROW, COL) into OUT. */
typedef void (*table_cell_fn)(void *ud, int row, int col, char *out, size_t outsz);

struct table {
    const char *headers[TABLE_MAX_COLS]; /* message ids */
    int widths[TABLE_MAX_COLS];          /* share of the width, in parts */
    int ncols;
    int nrows;
    int selected;
    int scroll;
    int top, height; /* as last drawn: first data row and rows shown */
};

void table_draw(struct table *t, int top, int height, table_cell_fn cell, void *ud);
/* True if the key moved the selection. */
bool table_key(struct table *t, int ch, bool is_keycode);
/* Selects the row at screen row Y; returns its index or -1. */
int table_click(struct table *t, int y);

#endif
