/*
 * survey_screen.c - any questionnaire page, household or member: the
 * questions the file defines, drawn with the form widget.
 *
 * Nothing here knows a question by name. The page is rebuilt from the
 * questionnaire whenever the flow opens another page; before every draw
 * the texts are refreshed in the current language and skip rules re-run,
 * so an answer that hides or shows a later question does so at once.
 * Each answer goes to the flow (and so to the draft) the moment the
 * applicant leaves its question.
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "form.h"
#include "frame.h"
#include "text.h"

struct slot {
    const struct q_question *qq;
    const char **opts; /* texts shown for the options, in the current language */
    const char **codes;
    int nopts, cap;
    bool free_place; /* a place the list has nothing for: typed */
    char error[256];
};

static struct form *form;
static struct slot slots[FORM_MAX_ITEMS];
static int nslots;
static const struct q_page *page;

static const struct frame_hint hints[] = {
    {"Enter", N_("Next question"), '\r'},
    {"F2", N_("Next page"), KEY_F(2)},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static void free_slots(void)
{
    for (int i = 0; i < nslots; i++) {
        free(slots[i].opts);
        free(slots[i].codes);
    }
    memset(slots, 0, sizeof slots);
    nslots = 0;
}

static int init(void)
{
    return 0;
}

static void fini(void)
{
    form_free(form);
    form = NULL;
    free_slots();
    page = NULL;
}

static void wipe(void)
{
    fini();
}

static int reserve(struct slot *s, int n)
{
    if (n <= s->cap)
        return 0;
    const char **o = realloc(s->opts, (size_t)n * sizeof *o);
    if (!o)
        return -1;
    s->opts = o;
    const char **c = realloc(s->codes, (size_t)n * sizeof *c);
    if (!c)
        return -1;
    s->codes = c;
    s->cap = n;
    return 0;
}

/* The parent place's code for a place question ("" at the top). */
static const char *parent_code(struct flow *f, const struct q_question *qq)
{
    if (!qq->parent[0])
        return "";
    const char *v = answers_get(flow_survey_answers(f), flow_survey_slot(f), qq->parent);
    return v ? v : "";
}

/* Option texts and codes in the current language; places under the
 * parent's current answer. */
static void refresh_options(struct flow *f, struct slot *s)
{
    const struct questionnaire *q = flow_questionnaire(f);
    const char *lang = i18n_language();
    s->nopts = 0;
    if (s->qq->type == Q_CHOICE) {
        if (reserve(s, (int)s->qq->n_options) != 0)
            return;
        for (size_t i = 0; i < s->qq->n_options; i++) {
            s->opts[i] = q_text(q, &s->qq->options[i].text, lang);
            s->codes[i] = s->qq->options[i].code;
        }
        s->nopts = (int)s->qq->n_options;
    } else if (s->qq->type == Q_PLACE && !s->free_place) {
        const char *parent = parent_code(f, s->qq);
        size_t n = questionnaire_place_count(q, s->qq->place_level, parent);
        if (reserve(s, (int)n) != 0)
            return;
        for (size_t i = 0; i < n; i++) {
            const struct q_place *p = questionnaire_place_at(q, s->qq->place_level, parent, i);
            s->opts[i] = q_text(q, &p->name, lang);
            s->codes[i] = p->code;
        }
        s->nopts = (int)n;
    }
}

static enum field_kind field_kind_for(const struct q_question *qq)
{
    switch (qq->type) {
    case Q_NUMBER:
        return qq->decimals > 0 ? FIELD_DECIMAL : FIELD_NUMBER;
    case Q_DATE:
        return FIELD_DATE;
    case Q_PHONE:
        return FIELD_PHONE;
    case Q_CNIC:
        return FIELD_CNIC;
    default:
        return FIELD_TEXT;
    }
}

/* Skip rules and texts, before every draw and after every answer. */
static void refresh_page(struct flow *f)
{
    const struct questionnaire *q = flow_questionnaire(f);
    const char *lang = i18n_language();
    struct expr_ctx ctx = flow_survey_ctx(f);
    for (int i = 0; i < nslots; i++) {
        struct slot *s = &slots[i];
        const char *hint = s->qq->help.t[0] ? q_text(q, &s->qq->help, lang) : NULL;
        if (s->free_place)
            hint = _("This place is not in the list: please type its name.");
        form_set_text(form, i, q_text(q, &s->qq->label, lang), hint);
        form_set_hidden(form, i, !q_shown(s->qq, &ctx));
        if (s->qq->type == Q_CHOICE || (s->qq->type == Q_PLACE && !s->free_place)) {
            int chosen = form_choice(form, i);
            const char *code = chosen >= 0 && chosen < s->nopts ? s->codes[chosen] : NULL;
            refresh_options(f, s);
            form_set_options(form, i, s->opts, s->nopts);
            /* The list may have changed under the choice: find it again. */
            int again = -1;
            for (int o = 0; code && o < s->nopts; o++)
                if (strcmp(s->codes[o], code) == 0)
                    again = o;
            form_set_choice(form, i, again);
        }
    }
}

/* Builds the form for the flow's current page, values from the draft. */
static void build(struct flow *f)
{
    form_free(form);
    free_slots();
    form = form_new();
    page = flow_survey_page(f);
    if (!form || !page)
        return;
    const struct questionnaire *q = flow_questionnaire(f);
    const struct answers *a = flow_survey_answers(f);
    int member = flow_survey_slot(f);
    for (size_t i = 0; i < page->n_questions && nslots < FORM_MAX_ITEMS; i++) {
        const struct q_question *qq = page->questions[i];
        struct slot *s = &slots[nslots];
        s->qq = qq;
        const char *stored = answers_get(a, member, qq->id);
        int item;
        if (qq->type == Q_PLACE)
            s->free_place = q_place_is_typed(q, qq, parent_code(f, qq));
        if (qq->type == Q_CHOICE && qq->n_options <= 9) {
            item = form_add_choice(form);
        } else if (qq->type == Q_CHOICE || (qq->type == Q_PLACE && !s->free_place)) {
            item = form_add_pick(form);
        } else {
            int max = qq->type == Q_TEXT || s->free_place ? (int)qq->max : 0;
            if (s->free_place)
                max = Q_PLACE_TYPED_MAX;
            item = form_add_text(form, field_kind_for(qq), max);
            char shown[ANSWER_VALUE_MAX];
            flow_answer_for_field(qq, stored, shown, sizeof shown);
            if (item >= 0)
                field_set(form_field(form, item), shown);
        }
        if (item < 0)
            break;
        nslots++;
        if (qq->type == Q_CHOICE || (qq->type == Q_PLACE && !s->free_place)) {
            refresh_options(f, s);
            form_set_options(form, item, s->opts, s->nopts);
            for (int o = 0; stored && o < s->nopts; o++)
                if (strcmp(s->codes[o], stored) == 0)
                    form_set_choice(form, item, o);
        }
    }
    refresh_page(f);
    form_set_focus(form, flow_survey_focus(f));
}

static void enter(struct flow *f)
{
    build(f);
}

static void value_of(int item, char *out, size_t outsz)
{
    struct slot *s = &slots[item];
    struct field *fld = form_field(form, item);
    if (fld) {
        field_get(fld, out, outsz);
        return;
    }
    int c = form_choice(form, item);
    snprintf(out, outsz, "%s", c >= 0 && c < s->nopts ? s->codes[c] : "");
}

/* Hands ITEM's answer to the flow; false (with the error shown) if refused. */
static bool commit(struct flow *f, int item, int next)
{
    struct slot *s = &slots[item];
    char value[ANSWER_VALUE_MAX];
    value_of(item, value, sizeof value);
    const char *problem = flow_answer(f, s->qq, value, next);
    explicit_bzero(value, sizeof value);
    if (problem) {
        char range[64];
        flow_range_text(s->qq, range, sizeof range);
        const char *text = _(problem);
        if (strstr(text, "%s"))
            snprintf(s->error, sizeof s->error, text, range);
        else
            snprintf(s->error, sizeof s->error, "%s", text);
        form_set_error(form, item, s->error);
        return false;
    }
    form_set_error(form, item, NULL);
    /* Another place chosen: the lists (or typed names) under it change. */
    if (s->qq->type == Q_PLACE) {
        build(f);
        form_set_focus(form, next);
    }
    return true;
}

static void submit(struct flow *f)
{
    int bad = -1;
    const char *problem = flow_survey_done(f, &bad);
    if (!problem)
        return; /* the flow moved on; enter() rebuilds */
    if (bad >= 0 && bad < nslots) {
        snprintf(slots[bad].error, sizeof slots[bad].error, "%s", _(problem));
        form_set_error(form, bad, slots[bad].error);
        form_set_focus(form, bad);
    } else {
        form_set_notice(form, problem);
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!form || !page)
        return;
    int before = form_focus(form);
    int choice_before = form_choice(form, before);
    enum form_result r = form_key(form, ch, is_keycode);
    if (r == FORM_BACK) {
        commit(f, before, before); /* keep what is valid; the rest is dropped */
        flow_survey_back(f);
        return;
    }
    int after = form_focus(form);
    bool picked = form_field(form, before) == NULL && form_choice(form, before) != choice_before;
    if (after != before || r == FORM_SUBMIT || picked) {
        if (!commit(f, before, r == FORM_SUBMIT ? before : after)) {
            form_set_focus(form, before);
            return;
        }
        refresh_page(f);
        /* The answer may have shown a question right after it: go there;
         * or hidden every one after it: then it was the page's last. */
        if (after > before) {
            form_set_focus(form, before + 1);
            if (form_focus(form) <= before && !(is_keycode && ch == KEY_DOWN))
                r = FORM_SUBMIT;
        } else if (after != before) {
            form_set_focus(form, after);
        }
        if (flow_page(f) == PAGE_REG_SURVEY)
            flow_survey_set_focus(f, form_focus(form));
    }
    if (r == FORM_SUBMIT && !(is_keycode && ch == KEY_F(2))) {
        /* Past the last question, unless the answer just showed another. */
        form_set_focus(form, before + 1);
        if (form_focus(form) > before) {
            flow_survey_set_focus(f, form_focus(form));
            return;
        }
    }
    if (r == FORM_SUBMIT)
        submit(f);
}

static void click(struct flow *f, int y, int x)
{
    if (!form)
        return;
    int before = form_focus(form);
    int choice_before = form_choice(form, before);
    form_click(form, y, x);
    int after = form_focus(form);
    bool picked = form_field(form, before) == NULL && form_choice(form, before) != choice_before;
    if (after != before || picked) {
        if (!commit(f, before, after)) {
            form_set_focus(form, before);
            return;
        }
        refresh_page(f);
        form_set_focus(form, after);
        flow_survey_set_focus(f, form_focus(form));
    }
}

static void draw(struct flow *f)
{
    if (!form || !page)
        build(f);
    if (!form || !page)
        return;
    const struct questionnaire *q = flow_questionnaire(f);
    refresh_page(f);
    frame_draw(q_text(q, &page->title, i18n_language()), hints,
               (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    char line[300];
    const struct draft_info *d = flow_draft(f);
    int member = flow_survey_member_number(f);
    if (member > 0) {
        const struct q_question *name = questionnaire_member_name(q);
        const char *v = answers_get(flow_survey_answers(f), flow_survey_slot(f), name->id);
        snprintf(line, sizeof line, _("Member %d: %s"), member, v ? v : _("(new member)"));
        /* Mirrored in Urdu: the member at the right, the draft on the left. */
        if (text_rtl())
            text_right(y, COLS / 2, COLS / 2 - 2, line, A_BOLD);
        else
            text_draw(y, 2, COLS / 2, line, A_BOLD);
    }
    if (d) {
        /* TRANSLATORS: shown on every survey page; the number lets the
           applicant continue at the counter. */
        snprintf(line, sizeof line, _("Draft %.3s-%s"), d->number, d->number + 3);
        if (text_rtl())
            text_draw(y, 2, COLS / 2 - 2, line, crt_attr(CRT_HINT));
        else
            text_right(y, COLS / 2, COLS / 2 - 2, line, crt_attr(CRT_HINT));
    }
    form_draw(form, y + 2);
}

/* A card or scan read a CNIC while a CNIC question has the cursor (the
 * flow only keeps one then): it fills that field, stored like typing
 * when the question is left. */
static void device(struct flow *f)
{
    struct flow_device_cnic c;
    if (!form || !flow_take_device_cnic(f, &c))
        return;
    int item = form_focus(form);
    struct field *fld = form_field(form, item);
    if (fld) {
        field_set(fld, c.cnic);
        form_set_error(form, item, NULL);
    }
    explicit_bzero(&c, sizeof c);
}

const struct screen_ops survey_screen = {"survey", init, fini,  wipe,  enter,
                                         draw,     key,  click, device};
