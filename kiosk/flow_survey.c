/*
 * flow_survey.c - the survey part of the session: the draft, the pages
 * the questionnaire defines, the roster, the review and the confirmation.
 *
 * Every answer is validated and written to the draft at once (one small
 * transaction), and so is the point the applicant has reached, so a power
 * cut loses at most the answer being typed and a restart resumes at that
 * question. In memory there is only the page being answered (and, on the
 * review, the household being reviewed); the roster is read from the draft
 * a page at a time. Never draws.
 */
#include "flow_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ascii.h"
#include "cnic.h"
#include "i18n.h"
#include "log.h"
#include "utf8.h"
#include "uuid.h"

static char message[512]; /* a formatted message returned to the screens */

int flow_survey_setup(struct flow *f)
{
    bool roster = false;
    for (size_t i = 0; i < questionnaire_page_count(f->q); i++) {
        const struct q_page *p = questionnaire_page(f->q, i);
        if (f->n_steps >= FLOW_STEPS_MAX || f->n_member_pages >= FLOW_STEPS_MAX)
            return -1;
        if (p->scope == Q_SCOPE_HOUSEHOLD) {
            f->steps[f->n_steps++].page = (int)i;
        } else {
            f->member_pages[f->n_member_pages++] = (int)i;
            if (!roster) {
                f->steps[f->n_steps++].page = -1;
                roster = true;
            }
        }
    }
    return roster ? 0 : -1;
}

void flow_survey_wipe(struct flow *f)
{
    flow_fp_wipe(f);
    f->draft_open = false;
    explicit_bzero(&f->draft, sizeof f->draft);
    answers_clear(f->page_answers);
    answers_clear(f->review);
    explicit_bzero(&f->score, sizeof f->score);
    f->step = 0;
    f->member_page = 0;
    f->member_pos = ANSWERS_HOUSEHOLD;
    f->focus = 0;
    f->back_to_review = false;
}

const struct draft_info *flow_draft(const struct flow *f)
{
    return f->draft_open ? &f->draft : NULL;
}

bool flow_is_update(const struct flow *f)
{
    return f->draft_open && f->draft.previous_registration != 0;
}

static int today_ctx(struct expr_ctx *ctx)
{
    int t[3];
    flow_today(t);
    ctx->year = t[0];
    ctx->month = t[1];
    ctx->day = t[2];
    return 0;
}

struct expr_ctx flow_survey_ctx(const struct flow *f)
{
    struct expr_ctx ctx = {f->page_answers,
                           f->member_pos == ANSWERS_HOUSEHOLD ? ANSWERS_HOUSEHOLD : f->page_slot, 0,
                           0, 0};
    today_ctx(&ctx);
    return ctx;
}

const struct q_page *flow_survey_page(const struct flow *f)
{
    int page = f->member_pos == ANSWERS_HOUSEHOLD ? f->steps[f->step].page
                                                  : f->member_pages[f->member_page];
    return page >= 0 ? questionnaire_page(f->q, (size_t)page) : NULL;
}

int flow_survey_member(const struct flow *f)
{
    return f->member_pos;
}

int flow_survey_member_number(const struct flow *f)
{
    return f->member_pos == ANSWERS_HOUSEHOLD ? 0 : f->member_rank;
}

const struct answers *flow_survey_answers(const struct flow *f)
{
    return f->page_answers;
}

int flow_survey_slot(const struct flow *f)
{
    return f->member_pos == ANSWERS_HOUSEHOLD ? ANSWERS_HOUSEHOLD : f->page_slot;
}

int flow_survey_focus(const struct flow *f)
{
    return f->focus;
}

/* --- where the survey is, kept in the draft --- */

static void save_resume(struct flow *f)
{
    char at[32];
    switch (f->page) {
    case PAGE_REG_SURVEY:
        if (f->member_pos == ANSWERS_HOUSEHOLD)
            snprintf(at, sizeof at, "s %d %d", f->step, f->focus);
        else
            snprintf(at, sizeof at, "m %d %d %d", f->member_page, f->member_pos, f->focus);
        break;
    case PAGE_REG_ROSTER:
        snprintf(at, sizeof at, "r");
        break;
    case PAGE_REG_REVIEW:
        snprintf(at, sizeof at, "v");
        break;
    default:
        return;
    }
    if (strcmp(at, f->draft.resume_at) == 0)
        return;
    if (drafts_set_resume(f->db, f->draft.id, at) != DB_OK)
        log_msg(LOG_WARN, "saving the resume point failed: %s", db_last_error(f->db));
    else
        ascii_copy(at, f->draft.resume_at, sizeof f->draft.resume_at);
}

static bool page_has_shown(struct flow *f, const struct q_page *p)
{
    struct expr_ctx ctx = flow_survey_ctx(f);
    for (size_t i = 0; i < p->n_questions; i++)
        if (q_shown(p->questions[i], &ctx))
            return true;
    return false;
}

static const char *load_page(struct flow *f)
{
    enum db_result r;
    if (f->member_pos == ANSWERS_HOUSEHOLD)
        r = drafts_load_all(f->db, f->draft.id, f->page_answers, NULL, 0);
    else
        r = drafts_load_member(f->db, f->draft.id, f->member_pos, f->page_answers, &f->page_slot);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "loading a draft page failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

static const char *go_review(struct flow *f);
static const char *go_step(struct flow *f, int step, int dir);

/* Opens member page K of member POS, skipping pages with nothing to ask
 * in direction DIR; past either end goes back to the roster. */
static const char *go_member_page(struct flow *f, int k, int pos, int dir, int focus)
{
    f->member_pos = pos;
    const char *err = load_page(f);
    if (err)
        return err;
    if (drafts_member_rank(f->db, f->draft.id, pos, &f->member_rank) != DB_OK)
        f->member_rank = 0;
    while (k >= 0 && k < f->n_member_pages) {
        f->member_page = k;
        if (page_has_shown(f, flow_survey_page(f))) {
            f->focus = focus;
            flow_set_page(f, PAGE_REG_SURVEY);
            save_resume(f);
            return NULL;
        }
        k += dir;
        focus = 0;
    }
    f->member_pos = ANSWERS_HOUSEHOLD;
    if (f->back_to_review)
        return go_review(f);
    for (int s = 0; s < f->n_steps; s++)
        if (f->steps[s].page < 0)
            f->step = s;
    flow_set_page(f, PAGE_REG_ROSTER);
    save_resume(f);
    return NULL;
}

/* Opens step STEP (a household page or the roster), skipping household
 * pages with nothing to ask in direction DIR. */
static const char *go_step(struct flow *f, int step, int dir)
{
    f->member_pos = ANSWERS_HOUSEHOLD;
    const char *err = load_page(f);
    if (err)
        return err;
    while (step >= 0 && step < f->n_steps) {
        f->step = step;
        if (f->steps[step].page < 0) {
            flow_set_page(f, PAGE_REG_ROSTER);
            save_resume(f);
            return NULL;
        }
        if (page_has_shown(f, flow_survey_page(f))) {
            f->focus = 0;
            flow_set_page(f, PAGE_REG_SURVEY);
            save_resume(f);
            return NULL;
        }
        step += dir;
    }
    if (step < 0) {
        f->step = 0;
        flow_set_page(f, PAGE_REG_CNIC);
        return NULL;
    }
    return go_review(f);
}

const char *flow_survey_open(struct flow *f, const struct draft_info *d)
{
    if (&f->draft != d)
        f->draft = *d;
    f->draft_open = true;
    f->back_to_review = false;
    int a = 0, b = 0, c = 0;
    char kind = 0;
    const char *at = f->draft.resume_at;
    if (sscanf(at, "s %d %d", &a, &b) == 2 && at[0] == 's' && a >= 0 && a < f->n_steps) {
        const char *err = go_step(f, a, +1);
        if (!err && f->page == PAGE_REG_SURVEY && f->step == a)
            f->focus = b;
        return err;
    }
    if (sscanf(at, "m %d %d %d", &a, &b, &c) == 3 && at[0] == 'm' && a >= 0 &&
        a < f->n_member_pages) {
        int n;
        if (drafts_load_member(f->db, f->draft.id, b, f->page_answers, &n) == DB_OK)
            return go_member_page(f, a, b, +1, c);
    }
    if (sscanf(at, "%c", &kind) == 1 && kind == 'v')
        return go_review(f);
    if (kind == 'r') {
        for (int s = 0; s < f->n_steps; s++)
            if (f->steps[s].page < 0)
                return go_step(f, s, +1);
    }
    return go_step(f, 0, +1);
}

void flow_survey_set_focus(struct flow *f, int q)
{
    if (f->page != PAGE_REG_SURVEY || q == f->focus)
        return;
    f->focus = q;
    save_resume(f);
}

/* --- answers --- */

bool flow_question_locked(const struct flow *f, const struct q_question *qq)
{
    return f->member_pos == 0 &&
           (qq == questionnaire_member_relation(f->q) || qq == questionnaire_member_id(f->q));
}

void flow_range_text(const struct q_question *qq, char *out, size_t outsz)
{
    q_range_text(qq, out, outsz);
}

void flow_answer_for_field(const struct q_question *qq, const char *stored, char *out, size_t outsz)
{
    if (!stored) {
        ascii_copy("", out, outsz);
        return;
    }
    /* A date field holds DDMMYYYY digits and draws the dashes itself. */
    if (qq->type == Q_DATE && strlen(stored) == 10) {
        snprintf(out, outsz, "%.2s%.2s%.4s", stored + 8, stored + 5, stored);
        return;
    }
    ascii_copy(stored, out, outsz);
}

static enum db_result store(struct flow *f, int slot, const char *qid, const char *value)
{
    int target = f->member_pos == ANSWERS_HOUSEHOLD ? ANSWERS_HOUSEHOLD : f->member_pos;
    enum db_result r = drafts_set_answer(f->db, f->draft.id, target, qid, value, time(NULL));
    if (r == DB_OK && answers_set(f->page_answers, slot, qid, value) != 0)
        r = DB_ERROR;
    return r;
}

/* A changed place makes the places under it meaningless: clear them. */
static enum db_result clear_children(struct flow *f, int slot, const char *qid, int depth)
{
    if (depth > 8)
        return DB_OK;
    for (size_t p = 0; p < questionnaire_page_count(f->q); p++) {
        const struct q_page *pg = questionnaire_page(f->q, p);
        for (size_t i = 0; i < pg->n_questions; i++) {
            const struct q_question *qq = pg->questions[i];
            if (qq->type != Q_PLACE || strcmp(qq->parent, qid) != 0)
                continue;
            if (!answers_get(f->page_answers, slot, qq->id))
                continue;
            enum db_result r = store(f, slot, qq->id, NULL);
            if (r == DB_OK)
                r = clear_children(f, slot, qq->id, depth + 1);
            if (r != DB_OK)
                return r;
        }
    }
    return DB_OK;
}

const char *flow_answer(struct flow *f, const struct q_question *qq, const char *typed,
                        int next_question)
{
    if (!f->draft_open)
        return N_("The registration could not be saved. Please ask the clerk for help.");
    int slot = flow_survey_slot(f);
    const char *old = answers_get(f->page_answers, slot, qq->id);
    char text[ANSWER_VALUE_MAX], out[ANSWER_VALUE_MAX];
    const char *b, *e;
    ascii_trim(typed ? typed : "", &b, &e);
    size_t n = (size_t)(e - b);
    if (n >= sizeof text)
        return N_("This answer is too long.");
    memcpy(text, b, n);
    text[n] = '\0';
    if (flow_question_locked(f, qq)) {
        f->focus = next_question;
        save_resume(f);
        return old && strcmp(old, text) != 0 && text[0]
                   ? N_("This answer comes from the CNIC and cannot be changed here.")
                   : NULL;
    }
    const char *value = NULL;
    if (text[0]) {
        /* q_validate also takes a typed name for a place the list lacks. */
        int today[3];
        flow_today(today);
        const char *parent = qq->parent[0] ? answers_get(f->page_answers, slot, qq->parent) : NULL;
        const char *problem = q_validate(f->q, qq, text, parent ? parent : "", today,
                                         f->cfg->cnic_regions, out, sizeof out);
        if (problem)
            return problem;
        if (qq == questionnaire_member_relation(f->q) && f->member_pos != 0 &&
            strcmp(out, "head") == 0)
            return N_("Only one person can be the head of the household.");
        value = out;
    }
    bool changed = strcmp(old ? old : "", value ? value : "") != 0;
    if (changed) {
        enum db_result r = store(f, slot, qq->id, value);
        if (r == DB_OK && qq->type == Q_PLACE)
            r = clear_children(f, slot, qq->id, 0);
        if (r != DB_OK) {
            log_msg(LOG_ERROR, "saving an answer failed: %s", db_last_error(f->db));
            return db_result_text(r);
        }
    }
    f->focus = next_question;
    save_resume(f);
    return NULL;
}

/* First problem of page P for CTX: a required question unanswered (its
 * index in *BAD) or a failing check (*BAD = -1). */
static const char *page_problem(struct flow *f, const struct q_page *p, const struct expr_ctx *ctx,
                                int *bad)
{
    for (size_t i = 0; i < p->n_questions; i++) {
        const struct q_question *qq = p->questions[i];
        if (qq->required && q_shown(qq, ctx) && !answers_get(ctx->answers, ctx->member, qq->id)) {
            *bad = (int)i;
            return N_("Please answer this question.");
        }
    }
    const struct q_check *c = q_page_failing_check(p, ctx);
    if (c) {
        *bad = -1;
        return q_text(f->q, &c->message, i18n_language());
    }
    return NULL;
}

const char *flow_survey_done(struct flow *f, int *bad_question)
{
    struct expr_ctx ctx = flow_survey_ctx(f);
    const char *problem = page_problem(f, flow_survey_page(f), &ctx, bad_question);
    if (problem)
        return problem;
    if (f->member_pos != ANSWERS_HOUSEHOLD) {
        if (f->back_to_review)
            return go_review(f);
        return go_member_page(f, f->member_page + 1, f->member_pos, +1, 0);
    }
    if (f->back_to_review)
        return go_review(f);
    return go_step(f, f->step + 1, +1);
}

void flow_survey_back(struct flow *f)
{
    if (f->back_to_review) {
        go_review(f);
        return;
    }
    if (f->member_pos == ANSWERS_HOUSEHOLD) {
        go_step(f, f->step - 1, -1);
        return;
    }
    /* A member added and left without a single answer is not kept. */
    if (f->member_page == 0 && f->member_pos > 0 &&
        answers_count(f->page_answers, f->page_slot) == 0)
        drafts_delete_member(f->db, f->draft.id, f->member_pos, time(NULL));
    go_member_page(f, f->member_page - 1, f->member_pos, -1, 0);
}

/* --- roster --- */

int flow_roster_count(struct flow *f)
{
    int n = 0;
    if (f->draft_open && drafts_member_count(f->db, f->draft.id, &n) != DB_OK)
        log_msg(LOG_ERROR, "counting members failed: %s", db_last_error(f->db));
    return n;
}

struct roster_fill {
    struct flow *f;
    struct flow_roster_row *out;
    int n, max;
    size_t ncols;
    const struct q_question *cols[FLOW_ROSTER_COLS];
};

/* How a stored answer reads in a list: an option's text, a CNIC with dashes. */
static void display(const struct flow *f, const struct q_question *qq, const char *v, char *out,
                    size_t outsz)
{
    if (!v) {
        ascii_copy("-", out, outsz);
        return;
    }
    if (qq->type == Q_CHOICE) {
        const struct q_option *o = q_option(qq, v);
        ascii_copy(o ? q_text(f->q, &o->text, i18n_language()) : v, out, outsz);
    } else if (qq->type == Q_PLACE) {
        const struct q_place *p = questionnaire_place(f->q, qq->place_level, v);
        ascii_copy(p ? q_text(f->q, &p->name, i18n_language()) : v, out, outsz);
    } else if (qq->type == Q_CNIC && strlen(v) == CNIC_DIGITS) {
        struct cnic c;
        memcpy(c.digits, v, sizeof c.digits);
        cnic_format(&c, out, outsz);
    } else if (qq->type == Q_DATE && strlen(v) == 10) {
        snprintf(out, outsz, "%.2s-%.2s-%.4s", v + 8, v + 5, v);
    } else {
        ascii_copy(v, out, outsz);
    }
}

void flow_display_answer(const struct flow *f, const struct q_question *qq, const char *v,
                         char *out, size_t outsz)
{
    display(f, qq, v, out, outsz);
}

static int roster_row(void *ud, int position, const char *const *values)
{
    struct roster_fill *rf = ud;
    if (rf->n >= rf->max)
        return 1;
    struct flow_roster_row *row = &rf->out[rf->n++];
    memset(row, 0, sizeof *row);
    row->position = position;
    for (size_t c = 0; c < rf->ncols; c++)
        display(rf->f, rf->cols[c], values[c], row->cells[c], sizeof row->cells[c]);
    return 0;
}

int flow_roster_rows(struct flow *f, int start, int n, struct flow_roster_row *out)
{
    if (!f->draft_open || n <= 0)
        return 0;
    int first;
    if (drafts_member_at(f->db, f->draft.id, start, &first) != DB_OK)
        return 0;
    struct roster_fill rf = {.f = f, .out = out, .max = n};
    const char *ids[FLOW_ROSTER_COLS];
    rf.ncols = questionnaire_roster_column_count(f->q);
    if (rf.ncols > FLOW_ROSTER_COLS)
        rf.ncols = FLOW_ROSTER_COLS;
    for (size_t c = 0; c < rf.ncols; c++) {
        rf.cols[c] = questionnaire_roster_column(f->q, c);
        ids[c] = rf.cols[c]->id;
    }
    if (drafts_roster_page(f->db, f->draft.id, first - 1, n, ids, rf.ncols, roster_row, &rf) !=
        DB_OK)
        log_msg(LOG_ERROR, "reading the roster failed: %s", db_last_error(f->db));
    return rf.n;
}

const char *flow_edit_member(struct flow *f, int position)
{
    if (!f->draft_open)
        return NULL;
    if (position < 0) {
        enum db_result r = drafts_add_member(f->db, f->draft.id, time(NULL), &position);
        if (r != DB_OK) {
            log_msg(LOG_ERROR, "adding a member failed: %s", db_last_error(f->db));
            return db_result_text(r);
        }
    }
    f->back_to_review = false;
    return go_member_page(f, 0, position, +1, 0);
}

const char *flow_delete_member(struct flow *f, int position)
{
    if (position == 0)
        return N_("The head of household cannot be removed.");
    enum db_result r = drafts_delete_member(f->db, f->draft.id, position, time(NULL));
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "removing a member failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

/* Loads the whole draft into f->review with each member's position. */
static const char *load_review(struct flow *f)
{
    int n = 0;
    enum db_result r = drafts_member_count(f->db, f->draft.id, &n);
    if (r == DB_OK && (size_t)n > f->review_cap) {
        int *p = realloc(f->review_positions, (size_t)n * sizeof *p);
        if (!p)
            return N_("The registration could not be saved. Please ask the clerk for help.");
        f->review_positions = p;
        f->review_cap = (size_t)n;
    }
    if (r == DB_OK)
        r = drafts_load_all(f->db, f->draft.id, f->review, f->review_positions, f->review_cap);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "loading the draft failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    return NULL;
}

/* The first problem anywhere in the loaded household, with where it is. */
static const char *household_problem(struct flow *f, const struct answers *a)
{
    struct expr_ctx ctx = {a, ANSWERS_HOUSEHOLD, 0, 0, 0};
    today_ctx(&ctx);
    int bad;
    const char *lang = i18n_language();
    for (int s = 0; s < f->n_steps; s++) {
        if (f->steps[s].page < 0)
            continue;
        const struct q_page *p = questionnaire_page(f->q, (size_t)f->steps[s].page);
        const char *problem = page_problem(f, p, &ctx, &bad);
        if (problem) {
            snprintf(message, sizeof message, "%s: %s", q_text(f->q, &p->title, lang), _(problem));
            return message;
        }
    }
    for (size_t m = 0; m < answers_member_count(a); m++) {
        ctx.member = (int)m;
        for (int k = 0; k < f->n_member_pages; k++) {
            const struct q_page *p = questionnaire_page(f->q, (size_t)f->member_pages[k]);
            const char *problem = page_problem(f, p, &ctx, &bad);
            if (problem) {
                const char *name = answers_get(a, (int)m, questionnaire_member_name(f->q)->id);
                snprintf(message, sizeof message, _("Member %zu (%s), %s: %s"), m + 1,
                         name ? name : "-", q_text(f->q, &p->title, lang), _(problem));
                return message;
            }
        }
    }
    return NULL;
}

const char *flow_roster_done(struct flow *f)
{
    const char *err = load_review(f);
    if (err)
        return err;
    struct expr_ctx ctx = {f->review, ANSWERS_HOUSEHOLD, 0, 0, 0};
    today_ctx(&ctx);
    int bad;
    for (size_t m = 0; m < answers_member_count(f->review); m++) {
        ctx.member = (int)m;
        for (int k = 0; k < f->n_member_pages; k++) {
            const struct q_page *p = questionnaire_page(f->q, (size_t)f->member_pages[k]);
            const char *problem = page_problem(f, p, &ctx, &bad);
            if (problem) {
                const char *name =
                    answers_get(f->review, (int)m, questionnaire_member_name(f->q)->id);
                snprintf(message, sizeof message,
                         _("Member %zu (%s) is not finished: %s Select the member and press "
                           "Enter."),
                         m + 1, name ? name : "-", _(problem));
                answers_clear(f->review);
                return message;
            }
        }
    }
    answers_clear(f->review);
    return go_step(f, f->step + 1, +1);
}

void flow_roster_back(struct flow *f)
{
    go_step(f, f->step - 1, -1);
}

/* --- review --- */

/* Drops answers the household's other answers hide, and answers to
 * questions this questionnaire does not have: they are not part of it. */
static void drop_hidden(struct flow *f, struct answers *a, int member)
{
    struct expr_ctx ctx = {a, member, 0, 0, 0};
    today_ctx(&ctx);
    char drop[64][ANSWER_ID_MAX];
    size_t n = 0;
    const char *qid, *value;
    for (size_t i = 0; answers_at(a, member, i, &qid, &value) && n < 64; i++) {
        const struct q_question *qq = questionnaire_question(f->q, qid);
        bool scope_ok = qq && (member == ANSWERS_HOUSEHOLD) == (qq->scope == Q_SCOPE_HOUSEHOLD);
        if (!scope_ok || !q_shown(qq, &ctx))
            ascii_copy(qid, drop[n++], ANSWER_ID_MAX);
    }
    for (size_t i = 0; i < n; i++)
        answers_set(a, member, drop[i], NULL);
}

static const char *go_review(struct flow *f)
{
    f->back_to_review = false;
    f->member_pos = ANSWERS_HOUSEHOLD;
    const char *err = load_review(f);
    if (err)
        return err;
    drop_hidden(f, f->review, ANSWERS_HOUSEHOLD);
    for (size_t m = 0; m < answers_member_count(f->review); m++)
        drop_hidden(f, f->review, (int)m);
    memset(&f->score, 0, sizeof f->score);
    if (f->scoring) {
        int today[3];
        flow_today(today);
        scoring_run(f->scoring, f->review, today, &f->score);
    }
    flow_set_page(f, PAGE_REG_REVIEW);
    save_resume(f);
    return NULL;
}

const struct answers *flow_review_answers(const struct flow *f)
{
    return f->review;
}

int flow_review_position(const struct flow *f, size_t i)
{
    return i < answers_member_count(f->review) && i < f->review_cap ? f->review_positions[i] : -1;
}

void flow_review_edit(struct flow *f, size_t page_index, int member_index)
{
    const struct q_page *p = questionnaire_page(f->q, page_index);
    if (!p)
        return;
    if (p->scope == Q_SCOPE_MEMBER) {
        int pos = flow_review_position(f, (size_t)member_index);
        for (int k = 0; k < f->n_member_pages && pos >= 0; k++) {
            if (f->member_pages[k] == (int)page_index) {
                f->back_to_review = true;
                go_member_page(f, k, pos, +1, 0);
                return;
            }
        }
        return;
    }
    for (int s = 0; s < f->n_steps; s++) {
        if (f->steps[s].page == (int)page_index) {
            f->back_to_review = true;
            go_step(f, s, +1);
            return;
        }
    }
}

void flow_review_back(struct flow *f)
{
    answers_clear(f->review);
    go_step(f, f->n_steps - 1, -1);
}

const struct scoring_result *flow_score(const struct flow *f)
{
    return f->scoring ? &f->score : NULL;
}

const char *flow_score_problem(const struct flow *f)
{
    if (!f->scoring)
        return N_("No score table is configured.");
    return f->score.scored ? NULL : f->score.problem;
}

const char *flow_score_label(const struct flow *f, const char *item_id)
{
    return f->scoring ? scoring_item_label(f->scoring, item_id, i18n_language()) : item_id;
}

const char *flow_programme_label(const struct flow *f, const char *programme_id)
{
    return f->scoring ? scoring_programme_label(f->scoring, programme_id, i18n_language())
                      : programme_id;
}

void flow_show_score(struct flow *f)
{
    if (flow_clerk_mode(f) && f->page == PAGE_REG_REVIEW)
        flow_set_page(f, PAGE_REG_SCORE);
}

void flow_score_back(struct flow *f)
{
    flow_set_page(f, PAGE_REG_REVIEW);
}

/* The audit entry of a confirmation, written in its transaction: a
 * registration is never stored without it, nor it without the registration. */
static int audit_confirm(void *ud, struct db *db, const struct tracking_id *t, int version,
                         int64_t registration_id)
{
    struct flow *f = ud;
    char detail[32];
    snprintf(detail, sizeof detail, "version %d", version);
    if (f->audit &&
        audit_log_tx(f->audit, (int64_t)time(NULL), f->role >= ROLE_CLERK ? f->user : "applicant",
                     version > 1 ? AUDIT_UPDATE : AUDIT_REGISTRATION, t->digits, detail) != 0)
        return -1;
    /* The head's finger moves with the draft, in the same transaction. */
    return flow_fp_confirm_tx(f, db, t, registration_id);
}

const char *flow_confirm(struct flow *f)
{
    if (!f->draft_open || f->page != PAGE_REG_REVIEW)
        return NULL;
    const char *problem = household_problem(f, f->review);
    if (!problem)
        problem = flow_fp_confirm_problem(f);
    if (problem)
        return problem;
    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    ascii_copy(f->cfg->kiosk_code, meta.kiosk_code, sizeof meta.kiosk_code);
    meta.now = time(NULL);
    ascii_copy(questionnaire_id(f->q), meta.questionnaire_id, sizeof meta.questionnaire_id);
    ascii_copy(questionnaire_version(f->q), meta.questionnaire_version,
               sizeof meta.questionnaire_version);
    const char *name = answers_get(f->review, 0, questionnaire_member_name(f->q)->id);
    utf8_copy(name ? name : "", meta.head_name, sizeof meta.head_name);
    if (uuid_v4(meta.record_uuid, sizeof meta.record_uuid) != 0)
        return N_("The registration could not be saved. Please ask the clerk for help.");
    const struct registration_score *score =
        f->scoring && f->score.scored ? &f->score.stored : NULL;
    meta.in_tx = audit_confirm;
    meta.in_tx_ud = f;
    enum db_result r = registry_confirm(f->db, f->draft.id, f->review, score, &meta, &f->receipt);
    explicit_bzero(&meta, sizeof meta);
    if (r != DB_OK) {
        log_msg(LOG_ERROR, "registration commit failed: %s", db_last_error(f->db));
        return db_result_text(r);
    }
    log_msg(LOG_INFO, "registration committed (%s)", flow_is_update(f) ? "update" : "new");
    flow_survey_wipe(f);
    f->generation++;
    flow_set_page(f, PAGE_REG_RECEIPT);
    f->print_state = FLOW_PRINT_NONE;
    f->receipt_printed = false;
    f->receipt_copy = false;
    flow_print_receipt(f);
    return NULL;
}

const struct tracking_id *flow_receipt(const struct flow *f)
{
    return &f->receipt;
}
