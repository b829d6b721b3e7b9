/*
 * today_screen.c - the counter's "Today's work": the registrations made at
 * this kiosk today (local date), newest first: time, tracking ID, CNIC,
 * the head's name masked, new or update, status. A screenful at a time
 * (arrows, PgUp/PgDn); Enter on a row reprints its receipt. Clerk only:
 * the flow refuses the list otherwise. Never shows a full name or any
 * answer; keeps the rows only while the page is shown.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../kiosk/i18n.h"
#include "../kiosk/status.h"
#include "crt.h"
#include "frame.h"
#include "table.h"
#include "text.h"

#define TODAY_SHOWN 500 /* a busy counter registers far fewer in a day */

static struct registration_summary rows[TODAY_SHOWN];
static size_t nrows;
static const char *problem;
static struct table table = {
    .headers = {N_("Time"), N_("Tracking ID"), N_("CNIC"), N_("Head"), N_("Kind"), N_("Status")},
    .widths = {6, 20, 16, 13, 7, 14}, /* columns at 80 wide: the IDs whole */
    .ncols = 6,
};

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: print the selected registration's receipt again. */
    {"Enter", N_("Reprint"), '\r'},
    {"PgDn", N_("More"), KEY_NPAGE},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    explicit_bzero(rows, sizeof rows);
    nrows = 0;
    table.selected = table.scroll = 0;
    problem = NULL;
}

static void enter(struct flow *f)
{
    wipe();
    problem = flow_today_list(f, rows, TODAY_SHOWN, &nrows);
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    (void)ud;
    const struct registration_summary *s = &rows[row];
    switch (col) {
    case 0: {
        struct tm tm;
        if (localtime_r(&s->registered_at, &tm))
            snprintf(out, outsz, "%02d:%02d", tm.tm_hour, tm.tm_min);
        else
            snprintf(out, outsz, "?");
        break;
    }
    case 1:
        tracking_format(&s->tracking, out, outsz);
        break;
    case 2:
        snprintf(out, outsz, "%.5s-%.7s-%.1s", s->cnic.digits, s->cnic.digits + 5,
                 s->cnic.digits + 12);
        break;
    case 3:
        if (s->trimmed)
            /* TRANSLATORS: the household's details were deleted for privacy. */
            snprintf(out, outsz, "%s", _("(trimmed)"));
        else
            name_mask(s->head_name, out, outsz);
        break;
    case 4:
        snprintf(out, outsz, "%s", s->record_version > 1 ? _("update") : _("new"));
        break;
    default:
        snprintf(out, outsz, "%s", _(reg_status_text(s->status)));
    }
}

static void draw(struct flow *f)
{
    (void)f;
    frame_draw(_("Today's work"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    char line[160];
    int d[3];
    flow_today(d);
    snprintf(line, sizeof line, _("Registrations at this kiosk on %02d-%02d-%04d: %zu"), d[2], d[1],
             d[0], nrows);
    text_draw(y++, 2, COLS - 4, line, A_BOLD);
    y += text_wrap(y, 2, COLS - 4, 1,
                   _("Newest first. Select one and press Enter to print its receipt again."),
                   crt_attr(CRT_HINT), 1);
    y++;
    table.nrows = (int)nrows;
    if (nrows == 0 && !problem)
        text_draw(y, 2, COLS - 4, _("No registrations yet today."), A_BOLD);
    else if (nrows > 0)
        table_draw(&table, y, frame_body_bottom() - y, cell, NULL);
    if (problem)
        frame_message(_(problem), 1);
}

static void reprint_selected(struct flow *f)
{
    if (table.selected < 0 || (size_t)table.selected >= nrows)
        return;
    char id[TRACKING_DIGITS + 1];
    memcpy(id, rows[table.selected].tracking.digits, sizeof id);
    problem = flow_reprint(f, id);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    if (table_key(&table, ch, is_keycode))
        return;
    if (!is_keycode && ch == 27)
        flow_tools_back(f);
    else if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER))
        reprint_selected(f);
}

static void click(struct flow *f, int y, int x)
{
    (void)x;
    int before = table.selected;
    if (table_click(&table, y) >= 0 && table.selected == before)
        reprint_selected(f); /* a second touch on the same row */
}

const struct screen_ops today_screen = {"today", init, fini, wipe, enter, draw, key, click, NULL};
