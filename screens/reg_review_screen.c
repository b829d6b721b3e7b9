/*
 * reg_review_screen.c - reads every answer back before the registration is
 * confirmed, then asks once more. A confirmed registration cannot be
 * changed here afterwards (only by a later update), so the review must
 * show everything.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "dialog.h"
#include "frame.h"
#include "text.h"

#define REVIEW_MAX_LINES (12 + HOUSEHOLD_MEMBERS_MAX * 2)

struct review_line {
    const char *label; /* translated, or NULL for a heading in VALUE */
    char value[PERSON_NAME_MAX + 64];
};

static struct review_line lines[REVIEW_MAX_LINES];
static int nlines, top_line;
static bool more_below; /* as last drawn: lines past the bottom */
static struct dialog confirm;
static const char *problem;

static const struct frame_hint hints[] = {
    {"Enter", N_("Confirm"), '\r'},
    /* TRANSLATORS: button: scroll down to see more of the review. */
    {"PgDn", N_("More"), KEY_NPAGE},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};
static const char *const yes_no[] = {N_("Yes, save"), N_("No, go back")};

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    explicit_bzero(lines, sizeof lines);
    nlines = top_line = 0;
    confirm.open = false;
    problem = NULL;
}

static void enter(struct flow *f)
{
    (void)f;
    top_line = 0;
    problem = NULL;
}

static struct review_line *add(const char *label)
{
    if (nlines >= REVIEW_MAX_LINES)
        return &lines[REVIEW_MAX_LINES - 1];
    struct review_line *l = &lines[nlines++];
    l->label = label;
    l->value[0] = '\0';
    return l;
}

static void heading(const char *text)
{
    snprintf(add(NULL)->value, sizeof lines[0].value, "%s", text);
}

static void person_line(const struct person *p, const char *relation)
{
    char dob[16] = "";
    struct review_line *l = add("");
    if (p->dob.year)
        date_format(&p->dob, dob, sizeof dob);
    int n = snprintf(l->value, sizeof l->value, "%s - %s, %s, ", p->name, relation,
                     _(gender_label(p->gender)));
    if (n < 0 || (size_t)n >= sizeof l->value)
        return;
    if (p->dob.year)
        n +=
            snprintf(l->value + n, sizeof l->value - (size_t)n, _("born %s (age %d)"), dob, p->age);
    else
        n += snprintf(l->value + n, sizeof l->value - (size_t)n, _("age %d"), p->age);
    if (p->id_number[0] && n > 0 && (size_t)n < sizeof l->value) {
        struct cnic c;
        char id[CNIC_FORMATTED_LEN + 1];
        memcpy(c.digits, p->id_number, sizeof c.digits);
        cnic_format(&c, id, sizeof id);
        snprintf(l->value + n, sizeof l->value - (size_t)n, ", %s", id);
    }
}

static void build(struct flow *f)
{
    const struct household *h = flow_household(f);
    const struct person *head = household_head_const(h);
    char cnic[CNIC_FORMATTED_LEN + 1], dob[16];
    nlines = 0;
    heading(_("Head of household"));
    cnic_format(household_head_cnic_const(h), cnic, sizeof cnic);
    snprintf(add(_("CNIC:"))->value, sizeof lines[0].value, "%s", cnic);
    snprintf(add(_("Name:"))->value, sizeof lines[0].value, "%s", head->name);
    snprintf(add(_("Gender:"))->value, sizeof lines[0].value, "%s", _(gender_label(head->gender)));
    date_format(&head->dob, dob, sizeof dob);
    snprintf(add(_("Date of birth:"))->value, sizeof lines[0].value, "%s", dob);
    snprintf(add(_("Mobile phone:"))->value, sizeof lines[0].value, "%s",
             household_phone_const(h)[0] ? household_phone_const(h) : _("none"));
    snprintf(add(_("District / tehsil:"))->value, sizeof lines[0].value, "%s / %s",
             household_address_const(h)->district, household_address_const(h)->tehsil);
    char title[128];
    snprintf(title, sizeof title, _("Household members (%zu people)"), household_size(h));
    heading(title);
    person_line(head, _("Head"));
    for (size_t i = 0; i < household_member_count(h); i++) {
        const struct person *m = household_member(h, i);
        person_line(m, _(relation_label(m->relation)));
    }
    const struct housing *hs = household_housing_const(h);
    heading(_("Housing"));
    snprintf(add(_("Rooms:"))->value, sizeof lines[0].value, "%d", hs->rooms);
    snprintf(add(_("Toilet:"))->value, sizeof lines[0].value, "%s", _(toilet_label(hs->toilet)));
    snprintf(add(_("Drinking water:"))->value, sizeof lines[0].value, "%s",
             _(water_label(hs->water)));
}

static int body_rows(void)
{
    return frame_body_bottom() - frame_body_top() - 2;
}

static void draw(struct flow *f)
{
    build(f);
    frame_draw(_("Check and confirm"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    text_draw(y++, 2, COLS - 4,
              _("Please check everything. Press Esc to go back and correct, Enter to confirm."),
              crt_attr(CRT_HINT));
    int rows = body_rows();
    if (top_line >= nlines)
        top_line = nlines > 0 ? nlines - 1 : 0;
    int lw = 0;
    for (int i = 0; i < nlines; i++)
        if (lines[i].label && text_width(lines[i].label) > lw)
            lw = text_width(lines[i].label);
    int last = frame_body_top() + 1 + rows;
    int i = top_line;
    for (; i < nlines && y < last; i++) {
        const struct review_line *l = &lines[i];
        if (!l->label) {
            y += text_wrap(y, 2, COLS - 4, last - y, l->value, A_BOLD | A_UNDERLINE, 1);
        } else if (!*l->label) {
            y += text_wrap(y, 4, COLS - 6, last - y, l->value, A_NORMAL, 1);
        } else {
            text_draw(y, 4, lw, l->label, A_NORMAL);
            y += text_wrap(y, 6 + lw, COLS - 8 - lw, last - y, l->value, A_BOLD, 1);
        }
    }
    more_below = i < nlines;
    if (more_below)
        text_right(frame_body_bottom(), 0, COLS - 2, _("More below: PgDn"), crt_attr(CRT_HINT));
    if (problem)
        frame_message(_(problem), 1);
    dialog_draw(&confirm);
}

static void answer(struct flow *f, int a)
{
    if (a == 0)
        problem = flow_confirm(f);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (confirm.open) {
        answer(f, dialog_key(&confirm, ch, is_keycode));
        return;
    }
    if (!is_keycode && ch == 27) {
        flow_back(f);
        return;
    }
    if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
        dialog_open(&confirm,
                    N_("Save this registration? After saving, changes need a new update."), yes_no,
                    2);
        return;
    }
    if (!is_keycode)
        return;
    int page = body_rows() - 1;
    if (ch == KEY_DOWN && more_below)
        top_line++;
    else if (ch == KEY_UP && top_line > 0)
        top_line--;
    else if (ch == KEY_NPAGE && more_below)
        top_line += page;
    else if (ch == KEY_PPAGE)
        top_line = top_line > page ? top_line - page : 0;
}

static void click(struct flow *f, int y, int x)
{
    if (confirm.open)
        answer(f, dialog_click(&confirm, y, x));
}

const struct screen_ops reg_review_screen = {"reg-review", init, fini, wipe,
                                             enter,        draw, key,  click};
