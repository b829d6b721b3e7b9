/*
 * fuzz_questionnaire.c - libFuzzer target for the questionnaire loader:
 * whatever bytes an officer (or a damaged disk) puts in the survey file or
 * its places list must be accepted or refused with a line and a reason,
 * never crash, and what is accepted must be safe to ask questions of.
 *
 * Input: the questionnaire text, optionally followed by a line "%%places"
 * and the places file's text (fed whenever the text names one).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/questionnaire.h"

#define PLACES_MARK "\n%%places\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct q_error *err)
{
    /* A refusal always says where and why, in terminated strings. */
    if (memchr(err->reason, '\0', sizeof err->reason) == NULL ||
        memchr(err->file, '\0', sizeof err->file) == NULL || err->reason[0] == '\0' ||
        err->line < 0)
        __builtin_trap();
}

/* Asks every question of an accepted questionnaire, as the screens would. */
static void exercise(const struct questionnaire *q, const char *sample)
{
    static const int today[3] = {2026, 6, 14};
    static const char *const values[] = {
        "",  "0",     "1",         "-1.5", "yes", "29-02-2024", "0300-1234567", "35202-1234567-1",
        "3", "d3lhr", "Typed name"};
    struct answers *a = answers_new();
    char out[ANSWER_VALUE_MAX], range[64];

    if (a == NULL)
        return;
    if (answers_add_member(a) < 0 || answers_add_member(a) < 0) {
        answers_free(a);
        return;
    }
    for (size_t p = 0; p < questionnaire_page_count(q); p++) {
        const struct q_page *page = questionnaire_page(q, p);
        if (page->n_questions == 0 || page->title.t[0] == NULL)
            __builtin_trap();
        int member = page->scope == Q_SCOPE_MEMBER ? 1 : ANSWERS_HOUSEHOLD;
        struct expr_ctx ctx = {a, member, today[0], today[1], today[2]};
        for (size_t i = 0; i < page->n_questions; i++) {
            const struct q_question *qq = page->questions[i];
            if (questionnaire_question(q, qq->id) != qq || qq->label.t[0] == NULL)
                __builtin_trap();
            for (size_t l = 0; l < questionnaire_language_count(q); l++)
                if (q_text(q, &qq->label, questionnaire_language(q, l)) == NULL)
                    __builtin_trap();
            q_range_text(qq, range, sizeof range);
            (void)q_shown(qq, &ctx);
            for (size_t v = 0; v <= sizeof values / sizeof values[0]; v++) {
                const char *value = v < sizeof values / sizeof values[0] ? values[v] : sample;
                const char *msg = q_validate(q, qq, value, "3", today, NULL, out, sizeof out);
                if (msg == NULL && memchr(out, '\0', sizeof out) == NULL)
                    __builtin_trap();
                if (msg == NULL && out[0])
                    answers_set(a, member, qq->id, out);
            }
            for (size_t o = 0; o < qq->n_options; o++)
                if (q_option(qq, qq->options[o].code) != &qq->options[o])
                    __builtin_trap();
            if (qq->type == Q_PLACE) {
                size_t n = questionnaire_place_count(q, qq->place_level, "");
                for (size_t k = 0; k < n && k < 16; k++)
                    if (questionnaire_place_at(q, qq->place_level, "", k) == NULL)
                        __builtin_trap();
                (void)q_place_is_typed(q, qq, "3");
            }
        }
        (void)q_page_failing_check(page, &ctx);
    }
    for (size_t i = 0; i < questionnaire_roster_column_count(q); i++)
        if (questionnaire_roster_column(q, i) == NULL)
            __builtin_trap();
    if (questionnaire_member_name(q) == NULL || questionnaire_member_age(q) == NULL)
        __builtin_trap();
    answers_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t len = size;
    const char *places = NULL;
    size_t places_len = 0;
    const char *mark = memmem(data, size, PLACES_MARK, strlen(PLACES_MARK));

    if (mark) {
        len = (size_t)(mark - text);
        places = mark + strlen(PLACES_MARK);
        places_len = size - len - strlen(PLACES_MARK);
    }
    struct q_error err;
    struct questionnaire *q = questionnaire_parse(text, len, places, places_len, &err);
    if (q == NULL) {
        check_error(&err);
        return 0;
    }
    /* A value made of the input's first bytes, for the validators. */
    char sample[64];
    size_t n = size < sizeof sample - 1 ? size : sizeof sample - 1;
    memcpy(sample, data, n);
    sample[n] = '\0';
    exercise(q, sample);
    questionnaire_free(q);
    return 0;
}
