/*
 * reg_score_screen.c - the clerk's view of the household's provisional
 * poverty score: each indicator with the answer it read and its points,
 * the total, the table it came from, and each programme's provisional
 * decision. Reached from the review in clerk mode only; an applicant is
 * never shown a score. Marked provisional everywhere: the central
 * registry decides.
 */
#include "screen.h"

#include <stdio.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

static int top_line;

static const struct frame_hint hints[] = {
    {"Esc", N_("Back to the answers"), 27},
    {"PgDn", N_("More"), KEY_NPAGE},
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
    top_line = 0;
}

static void enter(struct flow *f)
{
    (void)f;
    top_line = 0;
}

static void draw(struct flow *f)
{
    frame_draw(_("Provisional score (clerk only)"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    int bottom = frame_body_bottom();
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("PROVISIONAL: the central registry decides eligibility after its own "
                     "checks. Do not tell the applicant this score."),
                   crt_attr(CRT_ERROR), 1);
    y++;
    const struct scoring_result *r = flow_score(f);
    const char *problem = flow_score_problem(f);
    if (!r || problem) {
        char line[400];
        snprintf(line, sizeof line, _("This household cannot be scored: %s"),
                 problem ? _(problem) : "");
        text_wrap(y, 2, COLS - 4, 4, line, A_BOLD, 1);
        return;
    }
    char line[300];
    snprintf(line, sizeof line, _("Score table: %s, version %s"), r->stored.table_id,
             r->stored.table_version);
    text_draw(y++, 2, COLS - 4, line, crt_attr(CRT_HINT));
    int labelw = COLS - 4 - 30;
    text_draw(y, 2, labelw, _("Indicator"), A_BOLD);
    text_draw(y, 2 + labelw, 20, _("Answer"), A_BOLD);
    text_right(y++, COLS - 10, 8, _("Points"), A_BOLD);
    /* Rows: the indicators, then the total and the decisions. */
    int rows = bottom - y - 1 - (int)r->n_decisions - 1;
    if (rows < 1)
        rows = 1;
    if (top_line > (int)r->n_items - rows)
        top_line = (int)r->n_items - rows;
    if (top_line < 0)
        top_line = 0;
    for (int i = 0; i < rows && top_line + i < (int)r->n_items; i++) {
        const struct scoring_item *it = &r->items[top_line + i];
        text_draw(y, 2, labelw - 1, flow_score_label(f, it->id), A_NORMAL);
        text_draw(y, 2 + labelw, 20, it->answer, A_NORMAL);
        snprintf(line, sizeof line, "%g", it->points);
        text_right(y++, COLS - 10, 8, line, A_NORMAL);
    }
    snprintf(line, sizeof line, _("Total (provisional): %.2f"), r->total);
    text_draw(y++, 2, COLS - 4, line, A_BOLD);
    for (size_t d = 0; d < r->n_decisions && y <= bottom; d++) {
        const struct scoring_decision *dec = &r->decisions[d];
        const char *what = dec->undecided  ? _("undecided: an answer it needs is missing")
                           : dec->eligible ? _("provisionally eligible")
                                           : _("provisionally not eligible");
        if (dec->has_threshold)
            snprintf(line, sizeof line, _("%s: %s (cut-off %g)"),
                     flow_programme_label(f, dec->programme), what, dec->threshold);
        else
            snprintf(line, sizeof line, "%s: %s", flow_programme_label(f, dec->programme), what);
        y += text_wrap(y, 2, COLS - 4, 2, line, A_NORMAL, 1);
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && (ch == 27 || ch == '\r' || ch == '\n')) {
        flow_score_back(f);
        return;
    }
    if (is_keycode && ch == KEY_NPAGE)
        top_line += 5;
    else if (is_keycode && ch == KEY_PPAGE)
        top_line -= 5;
    else if (is_keycode && ch == KEY_DOWN)
        top_line++;
    else if (is_keycode && ch == KEY_UP)
        top_line--;
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)y;
    (void)x;
}

const struct screen_ops reg_score_screen = {"reg-score", init, fini,  wipe, enter,
                                            draw,        key,  click, NULL};
