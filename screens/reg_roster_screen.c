/*
 * reg_roster_screen.c - the household roster: everyone who lives and eats
 * together, the head first. Rows are read from the draft a screenful at a
 * time, so a household of a hundred scrolls as fast as one of three.
 * Add, edit and remove members in place. Never holds the whole roster:
 * only the rows on screen.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "dialog.h"
#include "keybar.h"
#include "frame.h"
#include "table.h"
#include "text.h"

#define ROSTER_ROWS_MAX 64 /* more than any screen shows at once */

static struct table table;
static struct flow_roster_row rows[ROSTER_ROWS_MAX];
static int rows_first, rows_n; /* the rows fetched: table rows first..first+n-1 */
static int rows_seen;          /* members when last drawn, 0 before the first draw */
static struct dialog confirm_delete;
static const char *problem;
static char problem_buf[512];

static const struct frame_hint hints[] = {
    {"1", N_("Add member"), '1'},
    {"2", N_("Edit"), '2'},
    {"3", N_("Remove"), '3'},
    {"F2", N_("Next page"), KEY_F(2)},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

/* The three actions as big number keys under the table. */
static const struct keybar_item actions[] = {
    {'1', N_("Add member")},
    {'2', N_("Edit")},
    {'3', N_("Remove")},
};
static struct keybar bar;

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
    rows_n = 0;
    rows_seen = 0;
    table.selected = table.scroll = 0;
    confirm_delete.open = false;
    problem = NULL;
}

static void enter(struct flow *f)
{
    (void)f;
    problem = NULL;
    rows_n = 0;
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    (void)ud;
    int i = row - rows_first;
    if (i < 0 || i >= rows_n) {
        snprintf(out, outsz, "%s", "");
        return;
    }
    if (col == 0)
        snprintf(out, outsz, "%d", row + 1);
    else
        snprintf(out, outsz, "%s", rows[i].cells[col - 1]);
}

/* Column headers and widths from the questionnaire's roster columns. */
static void set_columns(struct flow *f)
{
    const struct questionnaire *q = flow_questionnaire(f);
    size_t n = questionnaire_roster_column_count(q);
    if (n > FLOW_ROSTER_COLS)
        n = FLOW_ROSTER_COLS;
    if (n + 1 > TABLE_MAX_COLS)
        n = TABLE_MAX_COLS - 1;
    table.headers[0] = "#";
    table.widths[0] = 3;
    for (size_t c = 0; c < n; c++) {
        const struct q_question *qq = questionnaire_roster_column(q, c);
        table.headers[c + 1] =
            q_text(q, qq->heading.t[0] ? &qq->heading : &qq->label, i18n_language());
        table.widths[c + 1] = qq->type == Q_TEXT ? 18 : qq->type == Q_NUMBER ? 5 : 14;
    }
    table.ncols = (int)n + 1;
}

static void draw(struct flow *f)
{
    frame_draw(_("Household members"), hints, (int)(sizeof hints / sizeof hints[0]));
    set_columns(f);
    int y = frame_body_top();
    table.nrows = flow_roster_count(f);
    /* A member just added is selected, so it is in view under the keys. */
    if (rows_seen > 0 && table.nrows > rows_seen)
        table.selected = table.nrows - 1;
    rows_seen = table.nrows;
    char buf[200];
    snprintf(buf, sizeof buf, _("People in the household: %d"), table.nrows);
    text_start(y++, 2, COLS - 4, buf, A_BOLD);
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("Add everyone who lives and eats in this household, children too. "
                     "Press 1 to add a member."),
                   A_NORMAL, 1);
    y++;
    int bar_top = frame_body_bottom() - keybar_rows() + 1;
    keybar_draw(&bar, bar_top, 2, COLS - 4, actions, 3, -1);
    int height = bar_top - 1 - y;
    /* Keep the selection in view, then fetch just the rows shown. */
    if (table.selected >= table.nrows)
        table.selected = table.nrows - 1;
    if (table.selected < 0)
        table.selected = 0;
    int visible = height - 1 > 0 ? height - 1 : 1;
    if (table.selected < table.scroll)
        table.scroll = table.selected;
    if (table.selected >= table.scroll + visible)
        table.scroll = table.selected - visible + 1;
    rows_first = table.scroll;
    rows_n = flow_roster_rows(f, rows_first, visible < ROSTER_ROWS_MAX ? visible : ROSTER_ROWS_MAX,
                              rows);
    table_draw(&table, y, height, cell, f);
    if (problem)
        frame_message(_(problem), 1);
    dialog_draw(&confirm_delete);
}

static int selected_position(void)
{
    int i = table.selected - rows_first;
    return i >= 0 && i < rows_n ? rows[i].position : -1;
}

static void show(const char *p)
{
    if (p) {
        snprintf(problem_buf, sizeof problem_buf, "%s", _(p));
        problem = problem_buf;
    }
}

static const char *const yes_no[] = {N_("Yes, remove"), N_("No, keep")};

static void remove_selected(struct flow *f)
{
    show(flow_delete_member(f, selected_position()));
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    if (confirm_delete.open) {
        if (dialog_key(&confirm_delete, ch, is_keycode) == 0)
            remove_selected(f);
        return;
    }
    if (table_key(&table, ch, is_keycode))
        return;
    if (is_keycode) {
        if (ch == KEY_F(2) || ch == KEY_RIGHT)
            show(flow_roster_done(f));
        else if (ch == KEY_ENTER)
            key(f, '\r', false);
        else if (ch == KEY_IC)
            key(f, 'a', false);
        else if (ch == KEY_DC)
            key(f, 'd', false);
        return;
    }
    switch (ch) {
    case 27:
        flow_roster_back(f);
        break;
    case '1': /* every choice is a number key; the letters still work */
    case 'a':
    case 'A':
        show(flow_edit_member(f, -1));
        break;
    case '2':
    case '\r':
    case '\n':
    case 'e':
    case 'E':
        if (selected_position() >= 0)
            show(flow_edit_member(f, selected_position()));
        break;
    case '3':
    case 'd':
    case 'D':
        if (selected_position() == 0)
            problem = N_("The head of household cannot be removed.");
        else if (selected_position() > 0)
            dialog_open(&confirm_delete, N_("Remove this member from the household?"), yes_no, 2);
        break;
    default:
        break;
    }
}

static void click(struct flow *f, int y, int x)
{
    if (confirm_delete.open) {
        if (dialog_click(&confirm_delete, y, x) == 0)
            remove_selected(f);
        return;
    }
    char k = keybar_hit(&bar, y, x);
    if (k) {
        key(f, k, false);
        return;
    }
    table_click(&table, y);
}

const struct screen_ops reg_roster_screen = {"reg-roster", init, fini,  wipe, enter,
                                             draw,         key,  click, NULL};
