/*
 * reg_roster_screen.c - the household roster: everyone who lives and eats
 * together. Add, edit and remove members; the head is listed first and
 * edited on the head page.
 */
#include "screen.h"

#include <stdio.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "dialog.h"
#include "frame.h"
#include "table.h"
#include "text.h"

static struct table table = {
    .headers = {"#", N_("Name"), N_("Relation"), N_("Gender"), N_("Age"), N_("CNIC / B-form")},
    .widths = {3, 18, 20, 12, 5, 17},
    .ncols = 6,
};
static struct dialog confirm_delete;
static const char *problem;

static const struct frame_hint hints[] = {
    {"A", N_("Add member"), 'a'}, {"Enter", N_("Edit"), '\r'},
    {"D", N_("Remove"), 'd'},     {"F2", N_("Next page"), KEY_F(2)},
    {"Esc", N_("Back"), 27},      {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
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
    table.selected = table.scroll = 0;
    confirm_delete.open = false;
    problem = NULL;
}

static void enter(struct flow *f)
{
    (void)f;
    problem = NULL;
}

/* Row 0 is the head; row i > 0 is roster member i - 1. */
static const struct person *row_person(struct flow *f, int row)
{
    struct household *h = flow_household(f);
    return row == 0 ? household_head(h) : household_member(h, (size_t)row - 1);
}

static void cell(void *ud, int row, int col, char *out, size_t outsz)
{
    const struct person *p = row_person(ud, row);
    switch (col) {
    case 0:
        snprintf(out, outsz, "%d", row + 1);
        break;
    case 1:
        snprintf(out, outsz, "%s", p->name);
        break;
    case 2:
        /* TRANSLATORS: relation of the head of household to themself. */
        snprintf(out, outsz, "%s", row == 0 ? _("Head") : _(relation_label(p->relation)));
        break;
    case 3:
        snprintf(out, outsz, "%s", _(gender_label(p->gender)));
        break;
    case 4:
        snprintf(out, outsz, p->age >= 0 ? "%d" : "-", p->age);
        break;
    default: {
        struct cnic c;
        snprintf(c.digits, sizeof c.digits, "%s", p->id_number);
        if (p->id_number[0])
            cnic_format(&c, out, outsz);
        else
            snprintf(out, outsz, "-");
    }
    }
}

static void draw(struct flow *f)
{
    struct household *h = flow_household(f);
    frame_draw(_("Household members"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    char buf[200];
    snprintf(buf, sizeof buf, _("People in the household: %zu"), household_size(h));
    text_draw(y++, 2, COLS - 4, buf, A_BOLD);
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("Add everyone who lives and eats in this household, children too. "
                     "Press A to add a member."),
                   A_NORMAL, 1);
    y++;
    table.nrows = (int)household_size(h);
    table_draw(&table, y, frame_body_bottom() - y, cell, f);
    if (problem)
        frame_message(_(problem), 1);
    dialog_draw(&confirm_delete);
}

static const char *const yes_no[] = {N_("Yes, remove"), N_("No, keep")};

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    if (confirm_delete.open) {
        int a = dialog_key(&confirm_delete, ch, is_keycode);
        if (a == 0) {
            household_remove_member(flow_household(f), (size_t)table.selected - 1);
            table.selected--;
        }
        return;
    }
    if (table_key(&table, ch, is_keycode))
        return;
    if (is_keycode) {
        if (ch == KEY_F(2) || ch == KEY_RIGHT)
            flow_next(f);
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
        flow_back(f);
        break;
    case 'a':
    case 'A':
    case '+':
        if (household_member_count(flow_household(f)) >= HOUSEHOLD_MEMBERS_MAX)
            problem = N_("The household list is full.");
        else
            flow_edit_member(f, -1);
        break;
    case '\r':
    case '\n':
    case 'e':
    case 'E':
        if (table.selected == 0)
            flow_back(f); /* the head is edited on the head page */
        else
            flow_edit_member(f, table.selected - 1);
        break;
    case 'd':
    case 'D':
        if (table.selected == 0)
            problem = N_("The head of household cannot be removed.");
        else
            dialog_open(&confirm_delete, N_("Remove this member from the household?"), yes_no, 2);
        break;
    default:
        break;
    }
}

static void click(struct flow *f, int y, int x)
{
    if (confirm_delete.open) {
        if (dialog_click(&confirm_delete, y, x) == 0) {
            household_remove_member(flow_household(f), (size_t)table.selected - 1);
            table.selected--;
        }
        return;
    }
    table_click(&table, y);
}

const struct screen_ops reg_roster_screen = {"reg-roster", init, fini, wipe,
                                             enter,        draw, key,  click};
