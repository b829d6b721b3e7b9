/*
 * frame.c - title bar and clickable footer hints shared by all screens.
 *
 * In a right-to-left language the frame mirrors: the centre name on the
 * right, the language on the left, footer hints laid out from the right.
 * Must never reorder text itself: text.c does that.
 */
#include "frame.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "text.h"

struct hit {
    int y, x0, x1, code;
};

static struct hit hits[FRAME_MAX_HINTS];
static int nhits;
static const char *centre_name = "";
static void (*message_hook)(const char *text, int is_error, void *ud);
static void *message_hook_ud;

void frame_set_message_hook(void (*hook)(const char *text, int is_error, void *ud), void *ud)
{
    message_hook = hook;
    message_hook_ud = ud;
}

void frame_set_centre(const char *name)
{
    centre_name = name;
}

int frame_body_top(void)
{
    return 2;
}

int frame_body_bottom(void)
{
    return LINES - 4;
}

void frame_draw(const char *title, const struct frame_hint *hints, int n)
{
    erase();
    attr_t bar = crt_attr(CRT_TITLE);
    text_fill(0, 0, COLS, bar);
    const char *lang = i18n_language_name(0);
    for (size_t i = 0; i < i18n_language_count(); i++)
        if (strcmp(i18n_language_code(i), i18n_language()) == 0)
            lang = i18n_language_name(i);
    /* Centre name left, language right, the title gets the middle. */
    int right = text_width(lang) + 2;
    int left = text_width(centre_name) + 2;
    if (left > COLS / 4)
        left = COLS / 4;
    if (text_rtl()) {
        text_right(0, COLS - left + 1, left - 2, centre_name, bar);
        text_draw(0, 1, right - 1, lang, bar);
    } else {
        text_draw(0, 1, left - 2, centre_name, bar);
        text_right(0, COLS - right, right - 1, lang, bar);
    }
    int span = COLS - 2 * (left > right ? left : right);
    text_center(0, (COLS - span) / 2, span, title, bar);

    /* Footer: hints as buttons on the last row. Padding shrinks before a
     * hint is dropped, so longer languages keep every button. */
    int y = LINES - 1;
    int total = 0;
    char bufs[FRAME_MAX_HINTS][128];
    if (n > FRAME_MAX_HINTS)
        n = FRAME_MAX_HINTS;
    for (int i = 0; i < n; i++) {
        snprintf(bufs[i], sizeof bufs[i], "%s %s", hints[i].key, _(hints[i].label));
        total += text_width(bufs[i]) + 1;
    }
    int pad = total + 3 * n <= COLS - 2 ? 1 : 0; /* a blank either side */
    /* X counts from the start of the reading direction: from the left,
     * or in a right-to-left language from the right. */
    bool rtl = text_rtl();
    int x = 1;
    nhits = 0;
    for (int i = 0; i < n; i++) {
        int w = text_width(bufs[i]) + 2 * pad;
        if (x + w >= COLS)
            break;
        int at = rtl ? COLS - x - w : x;
        text_fill(y, at, w, crt_attr(CRT_BUTTON));
        text_draw(y, at + pad, w - pad, bufs[i], crt_attr(CRT_BUTTON));
        hits[nhits++] = (struct hit){y, at, at + w - 1, hints[i].code};
        x += w + 1;
    }
}

int frame_hit(int y, int x)
{
    for (int i = 0; i < nhits; i++)
        if (hits[i].y == y && x >= hits[i].x0 && x <= hits[i].x1)
            return hits[i].code;
    return 0;
}

void frame_message(const char *text, int is_error)
{
    int y = LINES - 3;
    text_fill(y, 0, COLS, A_NORMAL);
    text_fill(y + 1, 0, COLS, A_NORMAL);
    if (text && *text)
        text_wrap(y, 2, COLS - 4, 2, text, crt_attr(is_error ? CRT_ERROR : CRT_GOOD), 1);
    if (message_hook && text && *text)
        message_hook(text, is_error, message_hook_ud);
}
