/*
 * keybar.c - a row of number-key buttons with big digits.
 *
 * A label that does not fit its share of the row wraps onto the button's
 * rows; nothing is drawn outside the span given, nor over the corner the
 * big + and * take.
 */
#include "keybar.h"

#include <curses.h>

#include "../kiosk/i18n.h"
#include "applicant_keys.h"
#include "bigdigits.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

#define GAP 2 /* columns between buttons */

static enum bigdigits_size size(void)
{
    return crt_large() ? BIGDIGITS_LARGE : BIGDIGITS_SMALL;
}

int keybar_rows(void)
{
    return bigdigits_rows(size());
}

void keybar_draw(struct keybar *kb, int y, int x, int w, const struct keybar_item *items, int n,
                 int focus)
{
    kb->n = 0;
    if (n > KEYBAR_MAX)
        n = KEYBAR_MAX;
    int h = keybar_rows();
    /* The corner's columns are left free when the bar reaches its rows. */
    if (y + h - 1 > frame_body_bottom() - h) {
        int corner = applicant_keys_corner_width();
        if (text_rtl() && x < corner + 1) {
            w -= corner + 1 - x;
            x = corner + 1;
        } else if (!text_rtl() && x + w > COLS - corner - 1) {
            w = COLS - corner - 1 - x;
        }
    }
    int dw = bigdigits_width("0");
    if (n < 1 || w < n * (dw + 6))
        return;
    /* Each button as wide as its words need, while they fit; else even
     * shares, the words wrapped. */
    int need[KEYBAR_MAX], total = 0;
    for (int i = 0; i < n; i++) {
        need[i] = dw + 4 + text_width(_(items[i].label));
        total += need[i] + (i ? GAP : 0);
    }
    int bx = x;
    for (int i = 0; i < n; i++) {
        int bw = total <= w ? need[i] : (w - (n - 1) * GAP) / n;
        int at = text_rtl() ? x + w - (bx - x) - bw : bx;
        attr_t a = crt_attr(i == focus ? CRT_BUTTON_FOCUS : CRT_BUTTON);
        for (int r = 0; r < h; r++)
            text_fill(y + r, at, bw, a);
        char k[2] = {items[i].key, '\0'};
        int lw = bw - dw - 4;
        int dx = text_rtl() ? at + bw - 1 - dw : at + 1;
        int lx = text_rtl() ? at + 1 : at + dw + 3;
        bigdigits_draw_in(y, dx, k, size(), a | A_BOLD);
        const char *label = _(items[i].label);
        int lines = text_wrap(y, lx, lw, h, label, a, 0);
        text_wrap(y + (h - lines) / 2, lx, lw, h, label, a, 1);
        kb->hit[kb->n].y0 = y;
        kb->hit[kb->n].y1 = y + h - 1;
        kb->hit[kb->n].x0 = at;
        kb->hit[kb->n].x1 = at + bw - 1;
        kb->hit[kb->n].key = items[i].key;
        kb->n++;
        bx += bw + GAP;
    }
}

char keybar_hit(const struct keybar *kb, int y, int x)
{
    for (int i = 0; i < kb->n; i++)
        if (y >= kb->hit[i].y0 && y <= kb->hit[i].y1 && x >= kb->hit[i].x0 && x <= kb->hit[i].x1)
            return kb->hit[i].key;
    return 0;
}
