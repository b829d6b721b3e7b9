/*
 * menu.c - big numbered buttons, each with its digit drawn big beside
 * its label (bigdigits.h), so the key to press is the figure one sees.
 */
#include "menu.h"

#include <curses.h>
#include <stdio.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "crt.h"
#include "text.h"

/* The digit beside each label is drawn as big as the button allows: a
 * 5-row figure, a 3-row one, or the plain digit in a one-row button. */
static void draw_key(const struct menu *m, int i, int y, int x, attr_t a)
{
    char k[2] = {m->items[i].key, '\0'};
    if (m->height >= bigdigits_rows(BIGDIGITS_LARGE))
        bigdigits_draw_in(y, x, k, BIGDIGITS_LARGE, a | A_BOLD);
    else if (m->height >= bigdigits_rows(BIGDIGITS_SMALL))
        bigdigits_draw_in(y + (m->height - 3) / 2, x, k, BIGDIGITS_SMALL, a | A_BOLD);
    else
        text_draw(y, x + 1, 1, k, a | A_BOLD);
}

void menu_draw(struct menu *m, int top, int height, int w)
{
    if (w > COLS - 4)
        w = COLS - 4;
    int gap = height >= bigdigits_rows(BIGDIGITS_LARGE) ? 2 : 1;
    m->height = height;
    m->x0 = (COLS - w) / 2;
    m->x1 = m->x0 + w - 1;
    int kw = bigdigits_width("0"), pad = 2;
    int lx = pad + kw + 3, lw = w - lx - pad;
    for (int i = 0; i < m->n; i++) {
        int y = top + i * (height + gap);
        m->rows[i] = y;
        attr_t a = crt_attr(i == m->focus ? CRT_BUTTON_FOCUS : CRT_BUTTON);
        for (int r = 0; r < height; r++)
            text_fill(y + r, m->x0, w, a);
        /* In Urdu the choices read from the right: the digit on the right
         * of its label, the label right-aligned before it. */
        if (text_rtl()) {
            draw_key(m, i, y, m->x1 - pad - kw + 1, a);
            text_start(y + height / 2, m->x0 + pad, lw, _(m->items[i].label), a);
        } else {
            draw_key(m, i, y, m->x0 + pad, a);
            text_start(y + height / 2, m->x0 + lx, lw, _(m->items[i].label), a);
        }
    }
}

int menu_rows(int n, int height)
{
    int gap = height >= bigdigits_rows(BIGDIGITS_LARGE) ? 2 : 1;
    return n > 0 ? n * height + (n - 1) * gap : 0;
}

int menu_fit_height(int n, int free_rows)
{
    if (crt_large() && menu_rows(n, 5) <= free_rows)
        return 5;
    return menu_rows(n, 3) <= free_rows ? 3 : 1;
}

int menu_key(struct menu *m, int ch, bool is_keycode)
{
    if (is_keycode) {
        if (ch == KEY_UP && m->focus > 0)
            m->focus--;
        else if (ch == KEY_DOWN && m->focus + 1 < m->n)
            m->focus++;
        else if (ch == KEY_ENTER)
            return m->focus;
        return -1;
    }
    if (ch == '\r' || ch == '\n')
        return m->focus;
    for (int i = 0; i < m->n; i++) {
        if (m->items[i].key == ch) {
            m->focus = i;
            return i;
        }
    }
    return -1;
}

int menu_click(const struct menu *m, int y, int x)
{
    if (x < m->x0 || x > m->x1)
        return -1;
    for (int i = 0; i < m->n; i++)
        if (y >= m->rows[i] && y < m->rows[i] + m->height)
            return i;
    return -1;
}
