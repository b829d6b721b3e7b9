/*
 * fuzz_answers_json.c - libFuzzer target for the JSON answers reader: any
 * bytes in an answers file must be read or refused with a message, never
 * crash; what is read must keep answers.h's promises (the head first,
 * bounded values) and score with a small table without crashing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/answers.h"
#include "kiosk/answers_json.h"
#include "kiosk/scorecard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every kind of table line, so the answers reach every path of the engine. */
static const char table_text[] =
    "scorecard fuzz 1\nlanguages en\nrange 0 100\n"
    "indicator province\nlabel | Province\nvalue province\npoints '1' 9\npoints '3' 12\n"
    "points '3' 14 when urban_rural = 'rural'\notherwise 1\n"
    "indicator children\nlabel | Children\nneed age\nvalue count(age <= 13)\n"
    "band 0 0 31\nband 1 3 15\nband 4 - 0\n"
    "indicator school\nlabel | School\nneed attends_school if age >= 5 and age <= 13\n"
    "case none 5 count(age >= 5 and age <= 13) = 0\n"
    "case yes 5 count(age >= 5 and age <= 13 and attends_school != 'yes') = 0\n"
    "case no 0 count(age >= 5 and age <= 13 and attends_school = 'no') > 0\n"
    "indicator female\nlabel | Female\n"
    "case head 6 head.gender = 'female' and head.highest_class >= 1\n"
    "case other 0 head.gender != 'female' or head.highest_class < 1\n"
    "indicator land\nlabel | Land\nvalue land_acres + 0\nband 0 0.5 0\nband 0.51 - 3\n"
    "otherwise refuse\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct scorecard *sc;
    if (!sc) {
        struct score_error err;
        sc = scorecard_parse(table_text, sizeof table_text - 1, "fuzz", &err);
        if (!sc)
            __builtin_trap();
    }
    char q[AJ_QUESTIONNAIRE_MAX];
    struct answers_json_error err;
    struct answers *a = answers_json_parse((const char *)data, size, "fuzz", q, sizeof q, &err);
    if (!a) {
        if (err.reason[0] == '\0' || memchr(err.reason, '\0', sizeof err.reason) == NULL)
            __builtin_trap();
        return 0;
    }
    size_t n = answers_member_count(a);
    const char *rel = answers_get(a, 0, "relation");
    if (n == 0 || n > AJ_MEMBERS_MAX || !rel || strcmp(rel, "head") != 0 || strlen(q) >= sizeof q)
        __builtin_trap();
    for (int m = ANSWERS_HOUSEHOLD; m < (int)n; m++) {
        const char *qid, *v;
        for (size_t i = 0; answers_at(a, m, i, &qid, &v); i++)
            if (!answers_valid_id(qid) || strlen(v) == 0 || strlen(v) >= ANSWER_VALUE_MAX)
                __builtin_trap();
    }
    static const int today[3] = {2026, 1, 15};
    struct score_result r;
    if (scorecard_score(sc, a, today, &r) != 0) {
        char text[512];
        scorecard_problem_text(sc, &r.problem, "en", text, sizeof text);
    } else if (r.total < 0 || r.total > 100) {
        __builtin_trap();
    }
    answers_free(a);
    return 0;
}
