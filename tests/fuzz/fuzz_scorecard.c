/*
 * fuzz_scorecard.c - libFuzzer target for the score table and thresholds
 * parsers (they share one line reader): any bytes an officer (or a
 * damaged disk) can put in those files must be accepted or refused with a
 * line and a reason, never crash. An accepted table must also score a
 * household without crashing and within its own range.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/answers.h"
#include "kiosk/scorecard.h"
#include "kiosk/thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct answers *household(void)
{
    static const char *const hh[][2] = {
        {"province", "3"},    {"urban_rural", "rural"}, {"water_source", "tap"},
        {"toilet", "none"},   {"fridge", "yes"},        {"tv", "no"},
        {"motorcycle", "no"}, {"car_tractor", "no"},    {"land_acres", "2.5"},
    };
    static const char *const members[][5] = {
        {"head", "male", "40", "elementary", "0"},
        {"spouse", "female", "35", NULL, "5"},
        {"son", "male", "9", NULL, NULL},
    };
    struct answers *a = answers_new();
    if (!a)
        return NULL;
    for (size_t i = 0; i < sizeof hh / sizeof hh[0]; i++)
        answers_set(a, ANSWERS_HOUSEHOLD, hh[i][0], hh[i][1]);
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        int m = answers_add_member(a);
        if (m < 0)
            break;
        answers_set(a, m, "relation", members[i][0]);
        answers_set(a, m, "gender", members[i][1]);
        answers_set(a, m, "age", members[i][2]);
        answers_set(a, m, "occupation", members[i][3]);
        answers_set(a, m, "highest_class", members[i][4]);
        answers_set(a, m, "attends_school", i == 2 ? "yes" : NULL);
    }
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int today[3] = {2026, 1, 15};
    struct score_error err;
    struct scorecard *sc = scorecard_parse((const char *)data, size, "fuzz", &err);
    /* A refusal always says why, and never on a line past the end. */
    if (!sc && (err.reason[0] == '\0' || memchr(err.reason, '\0', sizeof err.reason) == NULL))
        __builtin_trap();
    struct thresholds *th = thresholds_parse((const char *)data, size, "fuzz", &err);
    if (!th && err.reason[0] == '\0')
        __builtin_trap();
    if (sc) {
        struct answers *a = household();
        struct score_result r;
        char text[512];
        double lo, hi;
        scorecard_range(sc, &lo, &hi);
        if (scorecard_indicator_count(sc) == 0 || !scorecard_indicator_label(sc, 0, "en"))
            __builtin_trap();
        if (a && scorecard_score(sc, a, today, &r) == 0) {
            if (r.total < lo || r.total > hi)
                __builtin_trap();
        } else if (a) {
            scorecard_problem_text(sc, &r.problem, "ur_Latn", text, sizeof text);
        }
        answers_free(a);
        scorecard_free(sc);
    }
    if (th) {
        struct answers *a = household();
        if (a) {
            struct programme_decision d[TH_PROGRAMMES_MAX];
            size_t n;
            thresholds_decide(th, a, 16.17, today, d, TH_PROGRAMMES_MAX, &n);
        }
        answers_free(a);
        thresholds_free(th);
    }
    return 0;
}
