/*
 * reg_review_screen.c - reads every answer back, section by section in the
 * applicant's language, before the registration is confirmed; any line
 * jumps to its page for a change. A confirmed registration cannot be
 * changed here afterwards (only by a later update), so the review shows
 * everything that will be stored and nothing that will not. Never shows
 * the score: that is the clerk's page, reached with F5 in counter mode.
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "dialog.h"
#include "frame.h"
#include "keybar.h"
#include "text.h"

struct review_line {
    int page;     /* questionnaire page index */
    int member;   /* index in the review answers, -1 for household pages */
    bool heading; /* a section title */
    const struct q_question *qq;
};

static struct review_line *lines;
static size_t nlines, cap;
static int top_line, selected, rows_shown, list_top;
static struct dialog confirm;
static const char *problem;
static char problem_buf[512];

static const struct frame_hint hints[] = {
    {"F2", N_("Save registration"), KEY_F(2)},
    {"Enter", N_("Change"), '\r'},
    /* TRANSLATORS: button: scroll down to see more of the review. */
    {"PgDn", N_("More"), KEY_NPAGE},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};
static const struct frame_hint clerk_hints[] = {
    {"F2", N_("Save registration"), KEY_F(2)},
    {"Enter", N_("Change"), '\r'},
    {"F5", N_("Score"), KEY_F(5)},
    {"PgDn", N_("More"), KEY_NPAGE},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};
static const char *const yes_no[] = {N_("Yes, save"), N_("No, go back")};
/* F2 and Enter as number keys, drawn big under the answers. */
static const struct keybar_item actions[] = {
    {'1', N_("Save registration")},
    {'2', N_("Change the answer selected")},
    /* TRANSLATORS: button: take the household head's fingerprint now. */
    {FLOW_FP_KEY_TAKE, N_("Take finger")},
};
static struct keybar bar;
static bool take_offered; /* the finger's key was drawn */

static int init(void)
{
    return 0;
}

static void fini(void)
{
    free(lines);
    lines = NULL;
    nlines = cap = 0;
}

static void wipe(void)
{
    nlines = 0;
    top_line = selected = 0;
    confirm.open = false;
    problem = NULL;
    explicit_bzero(problem_buf, sizeof problem_buf);
}

static int push(struct review_line l)
{
    if (nlines == cap) {
        size_t c = cap ? cap * 2 : 256;
        struct review_line *n = realloc(lines, c * sizeof *n);
        if (!n)
            return -1;
        lines = n;
        cap = c;
    }
    lines[nlines++] = l;
    return 0;
}

static void add_page(const struct answers *a, const struct questionnaire *q, size_t p, int member)
{
    const struct q_page *pg = questionnaire_page(q, p);
    push((struct review_line){(int)p, member, true, NULL});
    int slot = member < 0 ? ANSWERS_HOUSEHOLD : member;
    for (size_t i = 0; i < pg->n_questions; i++)
        if (answers_get(a, slot, pg->questions[i]->id))
            push((struct review_line){(int)p, member, false, pg->questions[i]});
}

/* Household pages first in file order, then every member's pages. */
static void build(struct flow *f)
{
    nlines = 0;
    const struct questionnaire *q = flow_questionnaire(f);
    const struct answers *a = flow_review_answers(f);
    for (size_t p = 0; p < questionnaire_page_count(q); p++)
        if (questionnaire_page(q, p)->scope == Q_SCOPE_HOUSEHOLD)
            add_page(a, q, p, -1);
    for (size_t m = 0; m < answers_member_count(a); m++)
        for (size_t p = 0; p < questionnaire_page_count(q); p++)
            if (questionnaire_page(q, p)->scope == Q_SCOPE_MEMBER)
                add_page(a, q, p, (int)m);
}

static void enter(struct flow *f)
{
    build(f);
    top_line = selected = 0;
    problem = NULL;
    confirm.open = false;
}

static void line_text(struct flow *f, const struct review_line *l, char *out, size_t outsz)
{
    const struct questionnaire *q = flow_questionnaire(f);
    const char *lang = i18n_language();
    const struct answers *a = flow_review_answers(f);
    const struct q_page *pg = questionnaire_page(q, (size_t)l->page);
    if (l->heading) {
        if (l->member < 0) {
            snprintf(out, outsz, "%s", q_text(q, &pg->title, lang));
        } else {
            const char *name = answers_get(a, l->member, questionnaire_member_name(q)->id);
            snprintf(out, outsz, _("Member %d: %s - %s"), l->member + 1, name ? name : "-",
                     q_text(q, &pg->title, lang));
        }
        return;
    }
    char value[ANSWER_VALUE_MAX];
    int slot = l->member < 0 ? ANSWERS_HOUSEHOLD : l->member;
    flow_display_answer(f, l->qq, answers_get(a, slot, l->qq->id), value, sizeof value);
    snprintf(out, outsz, "%s: %s", q_text(q, &l->qq->label, lang), value);
    explicit_bzero(value, sizeof value);
}

static void draw(struct flow *f)
{
    bool clerk = flow_clerk_mode(f);
    /* The head's finger: taken, an exception, or not taken (then 3, or F
     * for the staff, takes it when a reader is there). */
    char finger[200];
    bool can_take = false;
    flow_fp_review_line(f, finger, sizeof finger, &can_take);
    struct frame_hint shown[FRAME_MAX_HINTS];
    int n = clerk ? (int)(sizeof clerk_hints / sizeof clerk_hints[0])
                  : (int)(sizeof hints / sizeof hints[0]);
    memcpy(shown, clerk ? clerk_hints : hints, sizeof shown[0] * (size_t)n);
    if (can_take && n < FRAME_MAX_HINTS) {
        struct frame_hint take = {"3", N_("Take finger"), FLOW_FP_KEY_TAKE};
        memmove(&shown[2], &shown[1], sizeof shown[0] * (size_t)(n - 1));
        shown[1] = take;
        n++;
    }
    take_offered = can_take;
    frame_draw(_("Check your answers"), shown, n);
    int y = frame_body_top();
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("Please check every answer. To change one, select it and press 2. "
                     "When all is right, press 1 to save."),
                   A_NORMAL, 1);
    if (finger[0])
        text_draw(y++, 2, COLS - 4, finger, A_BOLD);
    y++;
    int bar_top = frame_body_bottom() - keybar_rows() + 1;
    keybar_draw(&bar, bar_top, 2, COLS - 4, actions, can_take ? 3 : 2, -1);
    int bottom = bar_top - 2;
    list_top = y;
    rows_shown = bottom - y + 1;
    if (rows_shown < 1)
        rows_shown = 1;
    if (selected >= (int)nlines)
        selected = (int)nlines - 1;
    if (selected < 0)
        selected = 0;
    if (selected < top_line)
        top_line = selected;
    if (selected >= top_line + rows_shown)
        top_line = selected - rows_shown + 1;
    for (int r = 0; r < rows_shown && top_line + r < (int)nlines; r++) {
        const struct review_line *l = &lines[top_line + r];
        char text[600];
        line_text(f, l, text, sizeof text);
        attr_t a = l->heading ? A_BOLD : A_NORMAL;
        if (top_line + r == selected)
            a = crt_attr(CRT_FIELD_FOCUS);
        text_fill(y + r, 2, COLS - 4, top_line + r == selected ? a : A_NORMAL);
        /* An answer is indented under its heading from where lines start:
         * the right in Urdu. */
        if (text_rtl())
            text_start(y + r, 2, l->heading ? COLS - 4 : COLS - 6, text, a);
        else
            text_draw(y + r, l->heading ? 2 : 4, COLS - 6, text, a);
        explicit_bzero(text, sizeof text);
    }
    /* At the end of the lines' reading: the left in Urdu. */
    if (top_line + rows_shown < (int)nlines && text_rtl())
        text_draw(bottom + 1, 2, COLS - 4, _("More below: PgDn"), crt_attr(CRT_HINT));
    else if (top_line + rows_shown < (int)nlines)
        text_right(bottom + 1, 2, COLS - 4, _("More below: PgDn"), crt_attr(CRT_HINT));
    if (problem)
        frame_message(_(problem), 1);
    dialog_draw(&confirm);
}

static void save(struct flow *f)
{
    const char *p = flow_confirm(f);
    if (p) {
        snprintf(problem_buf, sizeof problem_buf, "%s", _(p));
        problem = problem_buf;
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    problem = NULL;
    if (confirm.open) {
        if (dialog_key(&confirm, ch, is_keycode) == 0)
            save(f);
        return;
    }
    if (is_keycode) {
        switch (ch) {
        case KEY_DOWN:
            selected++;
            break;
        case KEY_UP:
            selected--;
            break;
        case KEY_NPAGE: /* a whole screenful on, the selection at its top */
            if (top_line + rows_shown < (int)nlines)
                top_line += rows_shown;
            selected = top_line;
            break;
        case KEY_PPAGE:
            top_line = top_line > rows_shown ? top_line - rows_shown : 0;
            selected = top_line;
            break;
        case KEY_HOME:
            selected = 0;
            break;
        case KEY_END:
            selected = (int)nlines - 1;
            break;
        case KEY_F(2):
            dialog_open(&confirm, N_("Save this registration? You will get a tracking ID to keep."),
                        yes_no, 2);
            break;
        case KEY_F(5):
            flow_show_score(f);
            break;
        case KEY_ENTER:
            key(f, '\r', false);
            break;
        default:
            break;
        }
        return;
    }
    if (ch == '1') {
        key(f, KEY_F(2), true);
    } else if (ch == 27) {
        flow_review_back(f);
    } else if ((ch == FLOW_FP_KEY_TAKE && take_offered) || ch == 'f' || ch == 'F') {
        problem = flow_fp_review_take(f);
    } else if ((ch == '\r' || ch == '\n' || ch == '2') && selected >= 0 && selected < (int)nlines) {
        flow_review_edit(f, (size_t)lines[selected].page, lines[selected].member);
    }
}

static void click(struct flow *f, int y, int x)
{
    if (confirm.open) {
        if (dialog_click(&confirm, y, x) == 0)
            save(f);
        return;
    }
    char k = keybar_hit(&bar, y, x);
    if (k) {
        key(f, k, false);
        return;
    }
    int first = list_top;
    if (y >= first && y < first + rows_shown && top_line + (y - first) < (int)nlines)
        selected = top_line + (y - first);
}

const struct screen_ops reg_review_screen = {"reg-review", init, fini,  wipe, enter,
                                             draw,         key,  click, NULL};
