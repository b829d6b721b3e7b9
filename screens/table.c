/*
 * table.c - roster table drawing and selection.
 *
 * In a right-to-left language the columns run from the right: the first
 * column is the rightmost, and each cell starts at its right edge.
 */
#include "table.h"

#include <curses.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "text.h"

static void clamp(struct table *t)
{
    if (t->selected >= t->nrows)
        t->selected = t->nrows - 1;
    if (t->selected < 0)
        t->selected = 0;
    if (t->height > 0) {
        if (t->selected < t->scroll)
            t->scroll = t->selected;
        if (t->selected >= t->scroll + t->height)
            t->scroll = t->selected - t->height + 1;
    }
    if (t->scroll < 0)
        t->scroll = 0;
}

/* Screen column of a column that starts OFF columns into the table (in
 * reading order) and is W wide; the table spans 2 .. 2+AVAIL-1. The
 * column's last blank (the gap) stays on the side its neighbour is. */
static int column_x(int off, int w, int avail)
{
    return text_rtl() ? 2 + avail - off - w + 1 : 2 + off;
}

void table_draw(struct table *t, int top, int height, table_cell_fn cell, void *ud)
{
    int total = 0;
    for (int c = 0; c < t->ncols; c++)
        total += t->widths[c];
    int avail = COLS - 4;
    t->top = top + 1;
    t->height = height - 1;
    clamp(t);
    int x = 0;
    for (int c = 0; c < t->ncols; c++) {
        int w = avail * t->widths[c] / total;
        text_start(top, column_x(x, w, avail), w - 1, _(t->headers[c]), A_BOLD | A_UNDERLINE);
        x += w;
    }
    for (int r = 0; r < t->height && t->scroll + r < t->nrows; r++) {
        int row = t->scroll + r;
        attr_t a = row == t->selected ? crt_attr(CRT_BUTTON_FOCUS) : A_NORMAL;
        if (row == t->selected)
            text_fill(t->top + r, 2, avail, a);
        x = 0;
        for (int c = 0; c < t->ncols; c++) {
            int w = avail * t->widths[c] / total;
            char buf[256];
            cell(ud, row, c, buf, sizeof buf);
            text_start(t->top + r, column_x(x, w, avail), w - 1, buf, a);
            x += w;
        }
    }
}

bool table_key(struct table *t, int ch, bool is_keycode)
{
    if (!is_keycode)
        return false;
    int before = t->selected;
    switch (ch) {
    case KEY_UP:
        t->selected--;
        break;
    case KEY_DOWN:
        t->selected++;
        break;
    case KEY_PPAGE:
        t->selected -= t->height > 1 ? t->height - 1 : 1;
        break;
    case KEY_NPAGE:
        t->selected += t->height > 1 ? t->height - 1 : 1;
        break;
    case KEY_HOME:
        t->selected = 0;
        break;
    case KEY_END:
        t->selected = t->nrows - 1;
        break;
    default:
        return false;
    }
    clamp(t);
    return t->selected != before;
}

int table_click(struct table *t, int y)
{
    int row = t->scroll + (y - t->top);
    if (y < t->top || y >= t->top + t->height || row >= t->nrows)
        return -1;
    t->selected = row;
    return row;
}
