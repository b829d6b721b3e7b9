/*
 * dialog.c - modal numbered question box.
 *
 * In a right-to-left language the options are laid out from the right,
 * option 1 first in reading order; the number keys stay the same.
 */
#include "dialog.h"

#include <curses.h>
#include <stdio.h>

#include "../kiosk/i18n.h"
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
    int w = COLS - 16 > 64 ? 64 : COLS - 16;
    int lines = text_wrap(0, 0, w - 4, 6, _(d->text), A_NORMAL, 0);
    int h = lines + 5;
    int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
    attr_t box = crt_attr(CRT_TITLE);
    for (int r = 0; r < h; r++)
        text_fill(y0 + r, x0, w, box);
    text_wrap(y0 + 1, x0 + 2, w - 4, 6, _(d->text), box, 1);
    d->row = y0 + h - 2;
    bool rtl = text_rtl();
    int used = 0; /* columns taken from the reading start of the row */
    for (int i = 0; i < d->n; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, " %d  %s ", i + 1, _(d->options[i]));
        int room = w - 3 - used;
        int bw = text_width(buf);
        if (bw > room)
            bw = room > 0 ? room : 0;
        d->w[i] = bw;
        d->x[i] = rtl ? x0 + w - 2 - used - bw : x0 + 2 + used;
        text_draw(d->row, d->x[i], bw, buf,
                  crt_attr(i == d->focus ? CRT_BUTTON_FOCUS : CRT_BUTTON));
        used += bw + 2;
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
    if (y != d->row)
        return DIALOG_PENDING;
    for (int i = 0; i < d->n; i++)
        if (x >= d->x[i] && x < d->x[i] + d->w[i])
            return answer(d, i);
    return DIALOG_PENDING;
}
