/*
 * test_thresholds.c - programmes and cut-offs: the shipped BISP 16.17
 * cut-off, a cut-off that depends on the household (disability), a
 * programme open only to another's eligible households, undecided
 * answers, bad files refused with their line, and the stored form of a
 * score.
 *
 * Run from the top of the tree, as tests/run-all.sh does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/scorecard.h"
#include "kiosk/thresholds.h"

static struct thresholds *parse(const char *text)
{
    struct score_error err;
    struct thresholds *th = thresholds_parse(text, strlen(text), "t.txt", &err);
    if (!th)
        fail_msg("t.txt:%d: %s", err.line, err.reason);
    return th;
}

/* A household of N members; DISABLED of them (after the head) have a disability. */
static struct answers *household(int n, int disabled)
{
    struct answers *a = answers_new();
    assert_non_null(a);
    for (int i = 0; i < n; i++) {
        assert_int_equal(answers_add_member(a), i);
        answers_set(a, i, "relation", i == 0 ? "head" : "son");
        answers_set(a, i, "disability", i > 0 && i <= disabled ? "seeing" : "none");
    }
    return a;
}

static void test_shipped_file(void **state)
{
    (void)state;
    struct score_error err;
    struct thresholds *th = thresholds_load("data/thresholds.txt", &err);
    if (!th)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    assert_string_equal(thresholds_id(th), "bisp-example");
    assert_string_equal(thresholds_version(th), "1");
    assert_string_equal(thresholds_table_id(th), "schreiner-pk-2009");
    assert_string_equal(thresholds_table_version(th), "1");
    /* The active programme is the 16.17 cut-off alone; the NSER examples are comments. */
    assert_int_equal(thresholds_programme_count(th), 1);
    assert_string_equal(thresholds_programme_id(th, 0), "bisp_2010");
    assert_non_null(strstr(thresholds_programme_label(th, 0, "en"), "BISP"));
    assert_non_null(strstr(thresholds_programme_label(th, 0, "ur_Latn"), "imdaad"));
    assert_null(thresholds_programme_label(th, 1, "en"));

    static const struct {
        double score;
        bool eligible;
    } cases[] = {
        {0, true},      {16, true},  {16.16, true}, {16.17, false},
        {16.18, false}, {17, false}, {100, false},
    };
    struct answers *a = household(1, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct programme_decision d[1];
        size_t n = 9;
        assert_int_equal(thresholds_decide(th, a, cases[i].score, NULL, d, 1, &n), 0);
        assert_int_equal(n, 1);
        if (d[0].eligible != cases[i].eligible)
            fail_msg("score %g: eligible %d", cases[i].score, d[0].eligible);
        assert_int_equal(d[0].outcome,
                         cases[i].eligible ? PROGRAMME_ELIGIBLE : PROGRAMME_NOT_ELIGIBLE);
        assert_true(d[0].has_threshold && d[0].threshold == 16.17 && !d[0].inclusive);
    }
    answers_free(a);
    thresholds_free(th);
}

#define NSER "thresholds nser 1\nlanguages en ur_Latn\ntable nser-pmt 2\n"

/* Kafaalat's rule: <= 32, or <= 37 when a member has a disability. */
static const char *const kafaalat =
    NSER "programme kafaalat\n"
         "label | Kafaalat | Kafaalat\n"
         "eligible score <= 37 when count(disability != 'none') > 0   # with a disabled member\n"
         "eligible score <= 32\n";

static void test_disability_dependent_cutoff(void **state)
{
    (void)state;
    struct thresholds *th = parse(kafaalat);
    static const struct {
        int disabled;
        double score, threshold;
        bool eligible;
    } cases[] = {
        {0, 32, 32, true}, {0, 32.01, 32, false}, {0, 35, 32, false}, {1, 35, 37, true},
        {1, 37, 37, true}, {2, 37.5, 37, false},  {0, 10, 32, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers *a = household(4, cases[i].disabled);
        struct programme_decision d[1];
        size_t n;
        assert_int_equal(thresholds_decide(th, a, cases[i].score, NULL, d, 1, &n), 0);
        if (d[0].eligible != cases[i].eligible || d[0].threshold != cases[i].threshold)
            fail_msg("case %zu: eligible %d with cut-off %g", i, d[0].eligible, d[0].threshold);
        assert_true(d[0].inclusive);
        answers_free(a);
    }
    thresholds_free(th);
}

/* Taleemi Wazaif is open only to Kafaalat households; a third needs both its own cut-off
 * and Kafaalat. */
static void test_requires_another_programme(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text,
             "%sprogramme taleemi_wazaif\nlabel | Taleemi Wazaif | Taleemi Wazaif\n"
             "requires kafaalat\n"
             "programme savings\nlabel | Savings | Bachat\neligible score < 40\n"
             "programme strict\nlabel | Strict | Sakht\nrequires kafaalat\n"
             "eligible score < 20\n",
             kafaalat);
    struct thresholds *th = parse(text);
    assert_int_equal(thresholds_programme_count(th), 4);
    static const struct {
        int disabled;
        double score;
        bool kafaalat, taleemi, savings, strict;
    } cases[] = {
        {0, 15, true, true, true, true},
        {0, 25, true, true, true, false},   /* Kafaalat, but not under strict's own 20 */
        {0, 34, false, false, true, false}, /* not Kafaalat: neither dependent programme */
        {1, 34, true, true, true, false},   /* Kafaalat through the disability cut-off */
        {0, 45, false, false, false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers *a = household(3, cases[i].disabled);
        struct programme_decision d[4];
        size_t n;
        assert_int_equal(thresholds_decide(th, a, cases[i].score, NULL, d, 4, &n), 0);
        assert_int_equal(n, 4);
        assert_string_equal(d[1].programme, "taleemi_wazaif");
        assert_false(d[1].has_threshold);
        if (d[0].eligible != cases[i].kafaalat || d[1].eligible != cases[i].taleemi ||
            d[2].eligible != cases[i].savings || d[3].eligible != cases[i].strict)
            fail_msg("case %zu: %d %d %d %d", i, d[0].eligible, d[1].eligible, d[2].eligible,
                     d[3].eligible);
        /* The refusal says which requirement failed. */
        assert_string_equal(d[1].failed_requirement, cases[i].kafaalat ? "" : "kafaalat");
        answers_free(a);
    }
    thresholds_free(th);
}

/* A cut-off that depends on an unanswered question: undecided, naming it, never a guess. */
static void test_undecided(void **state)
{
    (void)state;
    struct thresholds *th = parse(NSER "programme rural\nlabel | R | R\n"
                                       "eligible score < 30 when urban_rural = 'rural'\n"
                                       "eligible score < 20\n"
                                       "programme follows\nlabel | F | F\nrequires rural\n"
                                       "programme other\nlabel | O | O\neligible score < 50\n");
    struct answers *a = household(2, 0);
    struct programme_decision d[3];
    size_t n;
    assert_int_equal(thresholds_decide(th, a, 25, NULL, d, 3, &n), 0);
    assert_int_equal(d[0].outcome, PROGRAMME_UNDECIDED);
    assert_false(d[0].eligible);
    assert_string_equal(d[0].unanswered, "urban_rural");
    assert_int_equal(d[1].outcome, PROGRAMME_UNDECIDED);
    assert_string_equal(d[1].failed_requirement, "rural");
    assert_int_equal(d[2].outcome, PROGRAMME_ELIGIBLE);
    /* Answered, it decides. */
    answers_set(a, ANSWERS_HOUSEHOLD, "urban_rural", "urban");
    assert_int_equal(thresholds_decide(th, a, 25, NULL, d, 3, &n), 0);
    assert_int_equal(d[0].outcome, PROGRAMME_NOT_ELIGIBLE);
    assert_true(d[0].threshold == 20);
    assert_int_equal(d[1].outcome, PROGRAMME_NOT_ELIGIBLE);
    answers_set(a, ANSWERS_HOUSEHOLD, "urban_rural", "rural");
    assert_int_equal(thresholds_decide(th, a, 25, NULL, d, 3, &n), 0);
    assert_int_equal(d[0].outcome, PROGRAMME_ELIGIBLE);
    assert_int_equal(d[1].outcome, PROGRAMME_ELIGIBLE);
    /* Too little room: what fits, and -1. */
    assert_int_equal(thresholds_decide(th, a, 25, NULL, d, 2, &n), -1);
    assert_int_equal(n, 2);
    answers_free(a);
    thresholds_free(th);
}

static void test_bad_files(void **state)
{
    (void)state;
#define P "programme p\nlabel | P | P\n" /* lines 4-5 after NSER */
    static const struct {
        const char *text;
        int line;
        const char *reason;
    } cases[] = {
        {"", 0, "the file is empty"},
        {"programme p\n", 1, "must start with 'thresholds ID VERSION'"},
        {"thresholds x\n", 1, "needs an id and a version"},
        {"thresholds t 1\nthresholds t 1\n", 2, "given twice"},
        {"thresholds t 1\nlanguages en\n", 0, "which table it is for"},
        {NSER, 0, "no programmes"},
        {"thresholds t 1\nlanguages en\nprogramme p\n", 3, "must come before the first programme"},
        {NSER "table x 1\n", 4, "'table' is given twice"},
        {"thresholds t 1\nlanguages en\ntable Bad 1\n", 3, "not an id"},
        {NSER "eligible score < 3\n", 4, "must follow a 'programme' line"},
        {NSER "cutoff 3\n", 4, "unknown directive 'cutoff'"},
        {NSER P "languages en\n", 6, "must come before the first programme"},
        {NSER "programme P\n", 4, "'programme' needs one id"},
        {NSER P "eligible score < 1\nprogramme p\n", 7, "already defined on line 4"},
        {NSER "programme p\neligible score < 1\n", 4, "programme 'p' has no label"},
        {NSER P, 4, "has no 'eligible' or 'requires' line"},
        {NSER P "eligible score < 1 when x = 1\n", 4, "last 'eligible' line needs no 'when'"},
        {NSER P "eligible score < 1\neligible score < 2\n", 7, "can never apply"},
        {NSER P "eligible score > 1\n", 6, "compares with < or <="},
        {NSER P "eligible points < 1\n", 6, "expected: eligible score < CUT-OFF"},
        {NSER P "eligible score <\n", 6, "expected: eligible score < CUT-OFF"},
        {NSER P "eligible score < 1,5\n", 6, "'1,5' is not a cut-off"},
        {NSER P "eligible score < 1 if x\n", 6, "only 'when CONDITION' may follow"},
        {NSER P "eligible score < 1 when (x\neligible score < 2\n", 6, "bad expression at column"},
        {NSER P "requires q\n", 6, "no programme 'q' is defined above this one"},
        {NSER P "requires p\n", 6, "cannot require itself"},
        {NSER P "eligible score < 1\nprogramme q\nlabel | Q | Q\nrequires p\nrequires p\n", 10,
         "already requires 'p'"},
        {NSER "programme p\nlabel | only one\n", 5, "'label' needs 2 texts"},
        {NSER P "label | P | P\n", 6, "already has a label"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct score_error err;
        struct thresholds *th =
            thresholds_parse(cases[i].text, strlen(cases[i].text), "conf/th.txt", &err);
        if (th) {
            thresholds_free(th);
            fail_msg("case %zu accepted:\n%s", i, cases[i].text);
        }
        assert_string_equal(err.file, "th.txt");
        if (err.line != cases[i].line || !strstr(err.reason, cases[i].reason))
            fail_msg("case %zu: line %d '%s', expected line %d '%s'", i, err.line, err.reason,
                     cases[i].line, cases[i].reason);
    }
#undef P
    struct score_error err;
    assert_null(thresholds_load("no/such/thresholds.txt", &err));
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.reason, "cannot open"));
}

/* Cut-offs made for one table never judge another table's score. */
static void test_table_match(void **state)
{
    (void)state;
    static const char sc_text[] = "scorecard nser-pmt 2\nlanguages en\nrange 0 100\n"
                                  "indicator a\nlabel | A\nvalue x\npoints 'y' 1\n";
    struct score_error err;
    struct scorecard *sc = scorecard_parse(sc_text, sizeof sc_text - 1, "s", &err);
    assert_non_null(sc);
    struct thresholds *th = parse(kafaalat);
    assert_true(thresholds_match_table(th, sc));
    thresholds_free(th);
    th = parse("thresholds n 1\nlanguages en\ntable nser-pmt 3\nprogramme p\nlabel | P\n"
               "eligible score < 1\n");
    assert_false(thresholds_match_table(th, sc));
    thresholds_free(th);
    scorecard_free(sc);
}

static void test_stored_form(void **state)
{
    (void)state;
    static const char sc_text[] = "scorecard nser-pmt 2\nlanguages en\nrange 0 100\n"
                                  "indicator water\nlabel | W\nvalue water_source\n"
                                  "points 'tap' 3.5\npoints 'other' 0\n"
                                  "indicator rooms\nlabel | R\nvalue rooms\nband 0 2 10\n"
                                  "band 3 - 20\n";
    struct score_error err;
    struct scorecard *sc = scorecard_parse(sc_text, sizeof sc_text - 1, "s", &err);
    assert_non_null(sc);
    char text[1024];
    snprintf(text, sizeof text,
             "%sprogramme taleemi\nlabel | T | T\nrequires kafaalat\n"
             "programme local\nlabel | L | L\neligible score < 30 when urban_rural = 'rural'\n"
             "eligible score < 20\n",
             kafaalat);
    struct thresholds *th = parse(text);
    struct answers *a = household(2, 1);
    answers_set(a, ANSWERS_HOUSEHOLD, "water_source", "tap");
    answers_set(a, ANSWERS_HOUSEHOLD, "rooms", "2");
    struct score_result r;
    struct programme_decision d[4];
    size_t n;
    assert_int_equal(scorecard_score(sc, a, NULL, &r), 0);
    assert_true(r.total == 13.5);
    assert_int_equal(thresholds_decide(th, a, r.total, NULL, d, 4, &n), 0);
    struct registration_score out;
    memset(&out, 'x', sizeof out);
    assert_int_equal(score_to_registration(sc, &r, th, d, n, &out), 0);
    assert_string_equal(out.table_id, "nser-pmt");
    assert_string_equal(out.table_version, "2");
    assert_true(out.score == 13.5);
    assert_string_equal(out.breakdown, "water\ttap\t3.5\nrooms\t2\t10\n");
    assert_string_equal(out.thresholds_id, "nser");
    assert_string_equal(out.thresholds_version, "1");
    assert_string_equal(out.decisions, "kafaalat\teligible\ntaleemi\teligible\nlocal\tundecided\n");
    /* Without thresholds those fields stay empty. */
    assert_int_equal(score_to_registration(sc, &r, NULL, NULL, 0, &out), 0);
    assert_string_equal(out.thresholds_id, "");
    assert_string_equal(out.decisions, "");
    assert_string_equal(out.breakdown, "water\ttap\t3.5\nrooms\t2\t10\n");
    /* Too many lines for the stored breakdown: cut after the last whole line, and said so. */
    struct score_result big = r;
    big.n_lines = SC_INDICATORS_MAX;
    for (size_t i = 0; i < SC_INDICATORS_MAX; i++) {
        snprintf(big.lines[i].indicator, sizeof big.lines[i].indicator, "indicator_%02zu", i);
        memset(big.lines[i].answer, 'a', sizeof big.lines[i].answer - 1);
        big.lines[i].answer[sizeof big.lines[i].answer - 1] = '\0';
        big.lines[i].answer[3] = '\t'; /* would break the line's shape */
        big.lines[i].points = 1;
    }
    assert_int_equal(score_to_registration(sc, &big, NULL, NULL, 0, &out), -1);
    size_t len = strlen(out.breakdown);
    assert_true(len > 0 && len < sizeof out.breakdown);
    assert_int_equal(out.breakdown[len - 1], '\n');
    assert_non_null(strstr(out.breakdown, "indicator_00\taaa aaa"));
    answers_free(a);
    thresholds_free(th);
    scorecard_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_file),
        cmocka_unit_test(test_disability_dependent_cutoff),
        cmocka_unit_test(test_requires_another_programme),
        cmocka_unit_test(test_undecided),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_table_match),
        cmocka_unit_test(test_stored_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
