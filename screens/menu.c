/*
 * menu.c - big numbered buttons.
 */
#include "menu.h"

#include <curses.h>
#include <stdio.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "text.h"

void menu_draw(struct menu *m, int top, int height, int w)
{
    if (w > COLS - 4)
        w = COLS - 4;
    m->height = height;
    m->x0 = (COLS - w) / 2;
    m->x1 = m->x0 + w - 1;
    for (int i = 0; i < m->n; i++) {
        int y = top + i * (height + 1);
        m->rows[i] = y;
        attr_t a = crt_attr(i == m->focus ? CRT_BUTTON_FOCUS : CRT_BUTTON);
        for (int r = 0; r < height; r++)
            text_fill(y + r, m->x0, w, a);
        char buf[200];
        snprintf(buf, sizeof buf, "%c   %s", m->items[i].key, _(m->items[i].label));
        text_draw(y + height / 2, m->x0 + 3, w - 6, buf, a);
    }
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
