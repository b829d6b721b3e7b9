/*
 * clerk_drafts_screen.c - the counter's list of unfinished surveys, newest
 * first: draft number, CNIC, when started and last saved, how many
 * members, whether it updates a registration. Enter continues one; typing
 * the draft number an applicant shows finds theirs. Clerk mode only; the
 * flow refuses the list otherwise. Never shows a draft's answers here:
 * only its number, CNIC, times and size.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "table.h"
#include "text.h"

#define DRAFTS_SHOWN 200

static struct draft_info drafts[DRAFTS_SHOWN];
static size_t ndrafts;
static const char *problem;
static char number[16]; /* digits of a draft number typed to find it */
static struct table table = {
    .headers = {N_("Draft"), N_("CNIC"), N_("Started"), N_("Last saved"), N_("Members"),
                N_("Kind")},
    .widths = {10, 17, 13, 13, 8, 8},
    .ncols = 6,
};

static const struct frame_hint hints[] = {
    {"Enter", N_("Continue"), '\r'},
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
    explicit_bzero(drafts, sizeof drafts);
    ndrafts = 0;
    table.selected = table.scroll = 0;
    problem = NULL;
    explicit_bzero(number, sizeof number);
}

static void enter(struct flow *f)
{
    wipe();
    problem = flow_list_drafts(f, drafts, DRAFTS_SHOWN, &ndrafts);
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    (void)ud;
    const struct draft_info *d = &drafts[row];
    switch (col) {
    case 0:
        snprintf(out, outsz, "%.3s-%s", d->number, d->number + 3);
        break;
    case 1:
        snprintf(out, outsz, "%.5s-%.7s-%.1s", d->head_cnic, d->head_cnic + 5, d->head_cnic + 12);
        break;
    case 2:
        snprintf(out, outsz, "%.5s %.5s", d->created_at + 5, d->created_at + 11);
        break;
    case 3:
        snprintf(out, outsz, "%.5s %.5s", d->updated_at + 5, d->updated_at + 11);
        break;
    case 4:
        snprintf(out, outsz, "%d", d->members);
        break;
    default:
        snprintf(out, outsz, "%s", d->previous_registration ? _("update") : _("new"));
    }
}

static void draw(struct flow *f)
{
    (void)f;
    frame_draw(_("Saved drafts"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("Unfinished surveys on this machine, newest first (times in UTC). Select "
                     "one and press Enter, or type the draft number the applicant shows."),
                   A_NORMAL, 1);
    char line[80];
    size_t n = strlen(number);
    snprintf(line, sizeof line, "%s %.3s%s%s", _("Draft number:"), number, n > 3 ? "-" : "",
             n > 3 ? number + 3 : "");
    text_draw(y++, 2, COLS - 4, line, A_BOLD);
    y++;
    table.nrows = (int)ndrafts;
    if (ndrafts == 0)
        text_draw(y, 2, COLS - 4, _("There are no saved drafts."), A_BOLD);
    else
        table_draw(&table, y, frame_body_bottom() - y, cell, NULL);
    if (problem)
        frame_message(_(problem), 1);
}

static void open_selected(struct flow *f)
{
    if (table.selected >= 0 && (size_t)table.selected < ndrafts)
        problem = flow_open_draft(f, drafts[table.selected].id);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    size_t n = strlen(number);
    if (!is_keycode && ch >= '0' && ch <= '9') {
        if (n < DRAFT_NUMBER_DIGITS)
            number[n] = (char)ch;
        return;
    }
    if ((!is_keycode && (ch == 127 || ch == 8)) || (is_keycode && ch == KEY_BACKSPACE)) {
        if (n > 0)
            number[n - 1] = '\0';
        return;
    }
    if (table_key(&table, ch, is_keycode))
        return;
    bool enter = (!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER);
    if (!is_keycode && ch == 27)
        flow_go_back(f);
    else if (enter && n > 0)
        problem = flow_open_draft_number(f, number);
    else if (enter)
        open_selected(f);
}

static void click(struct flow *f, int y, int x)
{
    (void)x;
    int before = table.selected;
    if (table_click(&table, y) >= 0 && table.selected == before)
        open_selected(f); /* a second touch on the same row opens it */
}

const struct screen_ops clerk_drafts_screen = {"clerk-drafts", init, fini,  wipe, enter,
                                               draw,           key,  click, NULL};
