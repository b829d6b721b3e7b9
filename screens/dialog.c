/*
 * dialog.c - modal numbered question box.
 *
 * In a right-to-left language the options are laid out from the right,
 * option 1 first in reading order; the number keys stay the same.
 */
#include "dialog.h"

#include <curses.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "crt.h"
#include "text.h"

void dialog_open(struct dialog *d, const char *text, const char *const *options, int n)
{
    d->open = true;
    d->text = text;
    d->n = n > DIALOG_MAX ? DIALOG_MAX : n;
    for (int i = 0; i < d->n; i++)
        d->options[i] = options[i];
    d->focus = 0;
}

void dialog_draw(struct dialog *d)
{
    if (!d->open)
        return;
    enum bigdigits_size size = crt_large() ? BIGDIGITS_LARGE : BIGDIGITS_SMALL;
    int bh = bigdigits_rows(size), dw = bigdigits_width("0");
    int w = COLS - 16 > 64 ? 64 : COLS - 16;
    if (crt_large())
        w = COLS - 32 > 96 ? 96 : COLS - 32;
    int lines = text_wrap(0, 0, w - 4, 6, _(d->text), A_NORMAL, 0);
    int h = lines + 4 + bh;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    attr_t box = crt_attr(CRT_TITLE);
    for (int r = 0; r < h; r++)
        text_fill(y0 + r, x0, w, box);
    text_wrap(y0 + 1, x0 + 2, w - 4, 6, _(d->text), box, 1);
    d->row = y0 + lines + 2;
    d->rows = bh;
    /* Even shares of the box; in Urdu the first answer is on the right. */
    int share = (w - 2 - 2 * (d->n - 1)) / (d->n > 0 ? d->n : 1);
    for (int i = 0; i < d->n; i++) {
        int x = text_rtl() ? x0 + w - 2 - (i + 1) * share - 2 * i : x0 + 2 + i * (share + 2);
        d->w[i] = share;
        d->x[i] = x;
        attr_t a = crt_attr(i == d->focus ? CRT_BUTTON_FOCUS : CRT_BUTTON);
        for (int r = 0; r < bh; r++)
            text_fill(d->row + r, x, share, a);
        char k[2] = {(char)('1' + i), '\0'};
        int dx = text_rtl() ? x + share - 1 - dw : x + 1;
        int lx = text_rtl() ? x + 1 : x + dw + 3;
        int lw = share - dw - 4;
        bigdigits_draw_in(d->row, dx, k, size, a | A_BOLD);
        int n = text_wrap(0, 0, lw, bh, _(d->options[i]), a, 0);
        text_wrap(d->row + (bh - n) / 2, lx, lw, bh, _(d->options[i]), a, 1);
    }
    curs_set(0);
}

static int answer(struct dialog *d, int i)
{
    d->open = false;
    return i;
}

int dialog_key(struct dialog *d, int ch, bool is_keycode)
{
    if (!is_keycode) {
        if (ch == 27)
            return answer(d, DIALOG_CANCEL);
        if (ch >= '1' && ch < '1' + d->n)
            return answer(d, ch - '1');
        if (ch == '\r' || ch == '\n')
            return answer(d, d->focus);
        return DIALOG_PENDING;
    }
    /* The arrows move the way the options lie on screen. */
    int back = text_rtl() ? KEY_RIGHT : KEY_LEFT, on = text_rtl() ? KEY_LEFT : KEY_RIGHT;
    if ((ch == back || ch == KEY_UP) && d->focus > 0)
        d->focus--;
    else if ((ch == on || ch == KEY_DOWN) && d->focus + 1 < d->n)
        d->focus++;
    else if (ch == KEY_ENTER)
        return answer(d, d->focus);
    return DIALOG_PENDING;
}

int dialog_click(struct dialog *d, int y, int x)
{
    if (y < d->row || y >= d->row + d->rows)
        return DIALOG_PENDING;
    for (int i = 0; i < d->n; i++)
        if (x >= d->x[i] && x < d->x[i] + d->w[i])
            return answer(d, i);
    return DIALOG_PENDING;
}
