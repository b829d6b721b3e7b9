/*
 * applicant_keys.c - `+` back and `*` help on every applicant page.
 *
 * The big symbols are drawn after the page, only into blank cells: a page
 * that needs its bottom corner keeps it (the footer shows both keys too).
 * Must never take a key on a staff page, nor draw over a page's text.
 */
#include "applicant_keys.h"

#include <curses.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

#define GAP 3 /* columns between the two symbols */

struct hit {
    int y0, y1, x0, x1, code;
};

static struct hit hits[2];
static int nhits;

int applicant_keys_map(int ch, bool is_keycode)
{
    if (is_keycode)
        return ch;
    if (ch == APPLICANT_KEY_BACK)
        return 27;
    return ch;
}

const char *applicant_keys_help_text(enum flow_page p)
{
    switch (p) {
    case PAGE_HOME:
        return N_("Press 1 to check your status, 2 to register your household, 3 to change the "
                  "language.");
    case PAGE_STATUS_ENTRY:
        return N_("Type the 13 digits of your CNIC, or the 16 digits of the tracking ID on "
                  "your receipt, then press Enter. Press + to go back.");
    case PAGE_STATUS_RESULT:
        return N_("Press 1 when you have finished. If your household is not registered, "
                  "press 2 to register now. Press + to go back.");
    case PAGE_REG_CNIC:
        return N_("Type the 13 digits of the CNIC of the head of the household, then press "
                  "Enter. Press + to go back.");
    case PAGE_REG_RESUME:
        return N_("Answers were saved for this CNIC. Press 1 to go on with them, or 2 to "
                  "start again. Press + to go back.");
    case PAGE_REG_SURVEY:
        return N_("Press the number of your answer, or type it, then press Enter for the next "
                  "question. Press + to go back.");
    case PAGE_REG_ROSTER:
        return N_("Add everyone who lives and eats in the household. Press 1 to add a member, "
                  "2 to change the one selected, 3 to remove it. F2 goes on.");
    case PAGE_REG_REVIEW:
        return N_("Check every answer. To change one, select it and press 2. When all is "
                  "right, press 1 to save.");
    case PAGE_REG_RECEIPT:
        return N_("Keep your tracking ID: write it down or take a photo of it. Press 1 for a "
                  "printed copy, and 2 when you have finished.");
    case PAGE_FINGER:
        return N_("Press the finger shown in the picture on the reader, lift it, and press "
                  "again until the bar is full. If nothing happens, press 1 to try again or 2 "
                  "for another finger. Press + to go back.");
    default:
        return N_("Press + to go back.");
    }
}

/* True when the cells of the box are all blank (nothing of the page's). */
static bool box_blank(int y0, int x0, int h, int w)
{
    if (y0 < frame_body_top() || x0 < 0 || x0 + w > COLS)
        return false;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            if ((mvinch(y, x) & A_CHARTEXT) != ' ')
                return false;
    return true;
}

static void draw_help(enum flow_page p)
{
    int margin = crt_large() ? 12 : 6;
    int w = COLS - 2 * margin, tw = w - 4;
    const char *title = _("Help");
    const char *text = _(applicant_keys_help_text(p));
    const char *more = _("Press any key to go on.");
    int lines = text_wrap(0, 0, tw, 8, text, A_NORMAL, 0);
    int h = lines + 6;
    int y0 = frame_body_top() + 2;
    attr_t a = crt_attr(CRT_BUTTON_FOCUS);
    for (int y = y0; y < y0 + h; y++)
        text_fill(y, margin, w, a);
    text_center(y0 + 1, margin, w, title, a | A_BOLD);
    text_wrap(y0 + 3, margin + 2, tw, 8, text, a, 1);
    text_center(y0 + h - 2, margin, w, more, a);
}

/* Columns the two symbols with their words take (each one's in IW). */
static int corner_total(int iw[2])
{
    static const char *const symbols[2] = {"+", "*"};
    const char *words[2] = {_("Back"), _("Help")};
    int total = GAP;
    for (int i = 0; i < 2; i++) {
        iw[i] = bigdigits_width(symbols[i]) + 1 + text_width(words[i]);
        total += iw[i];
    }
    return total;
}

int applicant_keys_corner_width(void)
{
    int iw[2];
    return (crt_large() ? 4 : 2) + corner_total(iw) + 1;
}

void applicant_keys_draw(enum flow_page p, bool help)
{
    int cy, cx;
    getyx(stdscr, cy, cx);
    nhits = 0;
    enum bigdigits_size size = crt_large() ? BIGDIGITS_LARGE : BIGDIGITS_SMALL;
    int rows = bigdigits_rows(size);
    static const char *const symbols[2] = {"+", "*"};
    const char *words[2] = {_("Back"), _("Help")};
    int codes[2] = {27, APPLICANT_KEY_HELP};
    int iw[2], total = corner_total(iw);
    int margin = crt_large() ? 4 : 2;
    bool rtl = text_rtl();
    int y0 = frame_body_bottom() - rows + 1;
    int x0 = rtl ? margin : COLS - margin - total;
    /* One blank column around it, so it never touches the page's text. */
    if (box_blank(y0, x0 - 1, rows, total + 2)) {
        attr_t big = crt_attr(CRT_BIG);
        int x = x0;
        for (int k = 0; k < 2; k++) {
            /* In Urdu the choices read from the right: Back is the right one,
             * each symbol on the right of its word. */
            int i = rtl ? 1 - k : k;
            int gw = bigdigits_width(symbols[i]);
            int word_y = y0 + rows / 2;
            if (rtl) {
                text_draw(word_y, x, iw[i] - gw - 1, words[i], A_BOLD);
                bigdigits_draw_in(y0, x + iw[i] - gw, symbols[i], size, big);
            } else {
                bigdigits_draw_in(y0, x, symbols[i], size, big);
                text_draw(word_y, x + gw + 1, iw[i] - gw - 1, words[i], A_BOLD);
            }
            hits[nhits++] = (struct hit){y0, y0 + rows - 1, x, x + iw[i] - 1, codes[i]};
            x += iw[i] + GAP;
        }
    }
    if (help)
        draw_help(p);
    move(cy, cx); /* the cursor stays in the field being typed */
}

int applicant_keys_hit(int y, int x)
{
    for (int i = 0; i < nhits; i++)
        if (y >= hits[i].y0 && y <= hits[i].y1 && x >= hits[i].x0 && x <= hits[i].x1)
            return hits[i].code;
    return 0;
}
