/*
 * test_scorecard.c - the poverty score engine and its table: the shipped
 * example table (Schreiner 2009) against households scored by hand, what
 * cannot be scored and why, the clamp, per-region points, the threshold's
 * edge, and bad tables refused with their line.
 *
 * Run from the top of the tree (the data/ and tests/data/ paths are
 * relative to it), as tests/run-all.sh does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/answers.h"
#include "kiosk/answers_json.h"
#include "kiosk/scorecard.h"
#include "kiosk/thresholds.h"

#define TABLE      "data/scorecard-pk-2009.txt"
#define THRESHOLDS "data/thresholds.txt"
#define HOUSEHOLDS "tests/data/households/"

static const int TODAY[3] = {2026, 1, 15};

static struct scorecard *shipped(void)
{
    struct score_error err;
    struct scorecard *sc = scorecard_load(TABLE, &err);
    if (!sc)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    return sc;
}

static struct answers *household_file(const char *name)
{
    char path[256];
    struct answers_json_error err;
    snprintf(path, sizeof path, HOUSEHOLDS "%s.json", name);
    struct answers *a = answers_json_load(path, NULL, 0, &err);
    if (!a)
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.reason);
    return a;
}

static void test_shipped_table_loads(void **state)
{
    (void)state;
    struct scorecard *sc = shipped();
    double lo, hi;
    assert_string_equal(scorecard_id(sc), "schreiner-pk-2009");
    assert_string_equal(scorecard_version(sc), "1");
    scorecard_range(sc, &lo, &hi);
    assert_true(lo == 0 && hi == 100);
    assert_int_equal(scorecard_language_count(sc), 3);
    assert_string_equal(scorecard_language(sc, 0), "en");
    assert_string_equal(scorecard_language(sc, 1), "ur_Latn");
    assert_string_equal(scorecard_language(sc, 2), "ur");
    static const char *const ids[] = {
        "province",
        "members_aged_0_13",
        "children_5_13_in_school",
        "elementary_workers",
        "female_head_spouse_class",
        "drinking_water",
        "toilet",
        "fridge",
        "television",
        "vehicle",
    };
    assert_int_equal(scorecard_indicator_count(sc), 10);
    for (size_t i = 0; i < 10; i++) {
        assert_string_equal(scorecard_indicator_id(sc, i), ids[i]);
        /* Every label exists in every UI language, and they differ where it matters. */
        assert_non_null(scorecard_indicator_label(sc, i, "en"));
        assert_non_null(scorecard_indicator_label(sc, i, "ur_Latn"));
        assert_non_null(scorecard_indicator_label(sc, i, "ur"));
        assert_string_not_equal(scorecard_indicator_label(sc, i, "ur"),
                                scorecard_indicator_label(sc, i, "en"));
    }
    assert_string_equal(scorecard_indicator_label(sc, 0, "ur_Latn"), "Subah");
    assert_string_equal(scorecard_indicator_label(sc, 0, "ur"), "صوبہ");
    assert_string_equal(scorecard_indicator_label(sc, 0, "en"), "Province");
    assert_string_equal(scorecard_indicator_label(sc, 0, "xx"), "Province"); /* falls back */
    assert_null(scorecard_indicator_label(sc, 10, "en"));
    scorecard_free(sc);
}

/*
 * Households scored by hand with the table in docs/domain.md. Points in
 * table order: province, members aged 0-13, children 5-13 in school,
 * elementary workers, female head/spouse's class, water, toilet, fridge,
 * TV, vehicle. Also the answer each indicator shows.
 */
static const struct {
    const char *file;
    double total;
    int points[10];
    const char *shown[10];
} scored[] = {
    /* Punjab 12; children 10 and 7 -> two 15; both in school 5; a craftsman, no elementary
     * 12; wife class 5 -> 6; tap 3; flush to sewer 4; fridge 12; TV 3; motorcycle 12 = 84 */
    {"h01_punjab_couple_two_children",
     84,
     {12, 15, 5, 12, 6, 3, 4, 12, 3, 12},
     {"3", "2", "yes", "0", "class_1_or_more", "tap", "flush_sewer", "yes", "yes", "yes"}},
    /* KP 9; six children 13 or younger (12,10,8,6,3,1) 0; the 8-year-old is not in school 0;
     * a farmer is not elementary 12; wife class 0 -> 0; hand pump 3; dry pit 0; no fridge 0,
     * no TV 0, no vehicle 0 = 24 */
    {"h02_kp_rural_six_children",
     24,
     {9, 0, 0, 12, 0, 3, 0, 0, 0, 0},
     {"1", "6", "no", "0", "none_or_below_class_1", "hand_pump", "dry_pit", "no", "no", "no"}},
    /* former FATA scored as KP 9; one child 13 or younger (13) 22; she is in school 5 (the
     * 16-year-old out of school is not 5-13); three elementary workers 0; female head with
     * no class 0; unprotected well 0; no toilet 0; 0; 0; 0 = 36 */
    {"h03_fata_female_head",
     36,
     {9, 22, 5, 0, 0, 0, 0, 0, 0, 0},
     {"2", "1", "yes", "3", "none_or_below_class_1", "unprotected_well", "none", "no", "no", "no"}},
    /* Sindh 11; children 11, 9, 4 -> three 11; the two 5-13 in school 5; head elementary ->
     * one 5; wife class 8 -> 6; motor pump 3; flush to pit 2; no fridge 0; TV 3; none 0 = 46 */
    {"h04_sindh_three_children",
     46,
     {11, 11, 5, 5, 6, 3, 2, 0, 3, 0},
     {"4", "3", "yes", "1", "class_1_or_more", "motor_pump", "flush_pit", "no", "yes", "no"}},
    /* Balochistan 0; five children (13,11,9,7,2) 0; three of 5-13 out of school 0; head and
     * the 17-year-old elementary -> two 0; wife class 0 -> 0; surface water 0; no toilet 0;
     * 0; 0; 0 = 0 */
    {"h05_balochistan_five_children",
     0,
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     {"5", "5", "no", "2", "none_or_below_class_1", "surface", "none", "no", "no", "no"}},
    /* Islamabad 12 (as Punjab); no children 31; none 5-13 5; a professional 12; a man alone:
     * no female head/spouse 4; bottled water is 'other' 0; sewer 4; fridge 12; TV 3; car 12
     * = 95 */
    {"h06_islamabad_single_man",
     95,
     {12, 31, 5, 12, 4, 0, 4, 12, 3, 12},
     {"6", "0", "no_children_5_13", "0", "no_female_head_spouse", "bottled", "flush_sewer", "yes",
      "yes", "yes"}},
    /* Punjab 12; children 13, 10, 6, 3 -> four 6; the three 5-13 in school 5; none elementary
     * 12; wife class 0 -> 0; protected well 3; flush to septic tank (as pit) 2; fridge 12;
     * no TV 0; a tractor 12 = 64 */
    {"h09_punjab_four_children_tractor",
     64,
     {12, 6, 5, 12, 0, 3, 2, 12, 0, 12},
     {"3", "4", "yes", "0", "none_or_below_class_1", "protected_well", "flush_septic", "yes", "no",
      "yes"}},
    /* Sindh 11; one child (5) 22; she is in school 5; a clerk 12; female head class 10 -> 6;
     * tanker is 'other' 0; flush to open drain 2; no fridge 0; TV 3; none 0 = 61 */
    {"h10_sindh_educated_female_head",
     61,
     {11, 22, 5, 12, 6, 0, 2, 0, 3, 0},
     {"4", "1", "yes", "0", "class_1_or_more", "tanker", "flush_open_drain", "no", "yes", "no"}},
    /* The cut-off's edge from below. Balochistan 0; children 12,10,8,6 -> four 6; two of them
     * out of school 0; head and son elementary -> two 0; a widower: no female head/spouse 4;
     * tap 3; other toilet 0; no fridge 0; TV 3; none 0 = 16 (< 16.17: eligible) */
    {"h11_edge_score_16",
     16,
     {0, 6, 0, 0, 4, 3, 0, 0, 3, 0},
     {"5", "4", "no", "2", "no_female_head_spouse", "tap", "other", "no", "yes", "no"}},
    /* The cut-off's edge from above. Balochistan 0; children 11, 9, 1 -> three 11; the
     * 11-year-old out of school 0; head and wife elementary -> two 0; wife class 2 -> 6;
     * other water 0; dry raised latrine 0; 0; 0; 0 = 17 (not < 16.17: not eligible) */
    {"h12_edge_score_17",
     17,
     {0, 11, 0, 0, 6, 0, 0, 0, 0, 0},
     {"5", "3", "no", "2", "class_1_or_more", "other", "dry_raised", "no", "no", "no"}},
    /* Punjab 12; one child 22; in school 5; none elementary 12; two wives, classes 0 and 4:
     * the more educated counts -> 6; tap 3; sewer 4; fridge 12; TV 3; a motorcycle 12 (the
     * unanswered car does not matter once one answer is yes) = 91 */
    {"h13_two_wives_one_educated",
     91,
     {12, 22, 5, 12, 6, 3, 4, 12, 3, 12},
     {"3", "1", "yes", "0", "class_1_or_more", "tap", "flush_sewer", "yes", "yes", "yes"}},
    /* KP 9; no children 31; 5; a technician 12; his mother and sister are neither head nor
     * spouse: no female head/spouse 4; tap 3; flush to pit 2; fridge 12; TV 3; none 0 = 81 */
    {"h14_man_with_mother_and_sister",
     81,
     {9, 31, 5, 12, 4, 3, 2, 12, 3, 0},
     {"1", "0", "no_children_5_13", "0", "no_female_head_spouse", "tap", "flush_pit", "yes", "yes",
      "no"}},
    /* Age edges. Islamabad 12; children 13, 5, 4 -> three 11 (14 is not); the 13- and
     * 5-year-old in school 5 (the 14- and 4-year-old out of school do not count); soldier 12;
     * wife with exactly class 1 -> 6; tap 3; sewer 4; fridge 12; TV 3; motorcycle 12 = 80 */
    {"h15_age_edges_wife_class_1",
     80,
     {12, 11, 5, 12, 6, 3, 4, 12, 3, 12},
     {"6", "3", "yes", "0", "class_1_or_more", "tap", "flush_sewer", "yes", "yes", "yes"}},
    /* KP 9; grandchildren 3 and 1 -> two 15; none 5-13 5; the son elementary -> one 5; wife
     * class 0 -> 0 (the daughter-in-law's class 8 does not count); hand pump 3; dry raised 0;
     * 0; 0; a tractor 12 = 49 */
    {"h16_kp_tractor_daughter_in_law",
     49,
     {9, 15, 5, 5, 0, 3, 0, 0, 0, 12},
     {"1", "2", "no_children_5_13", "1", "none_or_below_class_1", "hand_pump", "dry_raised", "no",
      "no", "yes"}},
    /* Sindh 11; one child (12) 22; in school 5; head, wife and son elementary -> three 0;
     * wife class 0 -> 0; other water 0; other toilet 0; no fridge 0; TV 3; none 0 = 41 */
    {"h17_sindh_three_elementary",
     41,
     {11, 22, 5, 0, 0, 0, 0, 0, 3, 0},
     {"4", "1", "yes", "3", "none_or_below_class_1", "other", "other", "no", "yes", "no"}},
    /* Punjab 12; a grandson of 10 -> one 22; not in school 0; the widow is elementary -> one
     * 5; female head with no class 0; unprotected well 0; no toilet 0; 0; 0; 0 = 39 */
    {"h18_punjab_widow_grandson",
     39,
     {12, 22, 0, 5, 0, 0, 0, 0, 0, 0},
     {"3", "1", "no", "1", "none_or_below_class_1", "unprotected_well", "none", "no", "no", "no"}},
};

static void test_households_scored_by_hand(void **state)
{
    (void)state;
    struct scorecard *sc = shipped();
    for (size_t h = 0; h < sizeof scored / sizeof scored[0]; h++) {
        struct answers *a = household_file(scored[h].file);
        struct score_result r;
        int rc = scorecard_score(sc, a, TODAY, &r);
        if (rc != 0) {
            char why[256];
            scorecard_problem_text(sc, &r.problem, "en", why, sizeof why);
            fail_msg("%s: not scored: %s", scored[h].file, why);
        }
        assert_int_equal(r.problem.kind, SCORE_OK);
        if (r.total != scored[h].total)
            fail_msg("%s: total %g, by hand %g", scored[h].file, r.total, scored[h].total);
        assert_true(r.sum == r.total); /* the shipped table's points never leave 0-100 */
        assert_int_equal(r.n_lines, 10);
        for (size_t i = 0; i < 10; i++) {
            assert_string_equal(r.lines[i].indicator, scorecard_indicator_id(sc, i));
            if (r.lines[i].points != scored[h].points[i])
                fail_msg("%s: %s gave %g points, by hand %d", scored[h].file, r.lines[i].indicator,
                         r.lines[i].points, scored[h].points[i]);
            if (strcmp(r.lines[i].answer, scored[h].shown[i]) != 0)
                fail_msg("%s: %s shows '%s', expected '%s'", scored[h].file, r.lines[i].indicator,
                         r.lines[i].answer, scored[h].shown[i]);
        }
        answers_free(a);
    }
    scorecard_free(sc);
}

/*
 * Every option of every indicator appears in some household above (or,
 * for the provinces the table does not list, below): the test table
 * itself is checked, so a household removed later cannot silently drop
 * an option.
 */
static void test_households_cover_every_option(void **state)
{
    (void)state;
    static const struct {
        size_t indicator;
        int points;
        const char *shown; /* NULL: any answer with these points */
    } options[] = {
        {0, 0, "5"},
        {0, 9, "1"},
        {0, 9, "2"},
        {0, 11, "4"},
        {0, 12, "3"},
        {0, 12, "6"},
        {1, 0, "5"},
        {1, 0, "6"},
        {1, 6, "4"},
        {1, 11, "3"},
        {1, 15, "2"},
        {1, 22, "1"},
        {1, 31, "0"},
        {2, 0, "no"},
        {2, 5, "yes"},
        {2, 5, "no_children_5_13"},
        {3, 0, "2"},
        {3, 0, "3"},
        {3, 5, "1"},
        {3, 12, "0"},
        {4, 0, "none_or_below_class_1"},
        {4, 4, "no_female_head_spouse"},
        {4, 6, "class_1_or_more"},
        {5, 3, "tap"},
        {5, 3, "hand_pump"},
        {5, 3, "motor_pump"},
        {5, 3, "protected_well"},
        {5, 0, "unprotected_well"},
        {5, 0, "surface"},
        {5, 0, "tanker"},
        {5, 0, "bottled"},
        {5, 0, "other"},
        {6, 4, "flush_sewer"},
        {6, 2, "flush_septic"},
        {6, 2, "flush_pit"},
        {6, 2, "flush_open_drain"},
        {6, 0, "dry_raised"},
        {6, 0, "dry_pit"},
        {6, 0, "none"},
        {6, 0, "other"},
        {7, 12, "yes"},
        {7, 0, "no"},
        {8, 3, "yes"},
        {8, 0, "no"},
        {9, 12, "yes"},
        {9, 0, "no"},
    };
    for (size_t o = 0; o < sizeof options / sizeof options[0]; o++) {
        bool found = false;
        for (size_t h = 0; !found && h < sizeof scored / sizeof scored[0]; h++)
            found = scored[h].points[options[o].indicator] == options[o].points &&
                    strcmp(scored[h].shown[options[o].indicator], options[o].shown) == 0;
        if (!found)
            fail_msg("no household covers indicator %zu answer '%s' (%d points)",
                     options[o].indicator, options[o].shown, options[o].points);
    }
    /* The female head/spouse's three answers, each reached both through a female head and
     * through a wife where that applies. */
    const char *heads[] = {"h03_fata_female_head", "h10_sindh_educated_female_head"};
    for (size_t i = 0; i < 2; i++) {
        struct answers *a = household_file(heads[i]);
        assert_string_equal(answers_get(a, 0, "gender"), "female");
        answers_free(a);
    }
}

/* Households the table cannot score, and exactly why: never a silent 0. */
static void test_households_not_scored(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum score_problem_kind kind;
        const char *indicator;
        const char *question;
        int member;
        const char *value;
        const char *message;
    } cases[] = {
        /* Gilgit-Baltistan and AJK are not in the table: 'otherwise refuse'. */
        {"h07_gilgit_baltistan", SCORE_NOT_LISTED, "province", "", ANSWERS_HOUSEHOLD, "7",
         "Province: the score table has no points for the answer '7'."},
        {"h08_ajk", SCORE_NOT_LISTED, "province", "", ANSWERS_HOUSEHOLD, "8",
         "Province: the score table has no points for the answer '8'."},
        {"h19_toilet_unanswered", SCORE_UNANSWERED, "toilet", "toilet", ANSWERS_HOUSEHOLD, "",
         "Toilet: the question 'toilet' is not answered."},
        /* A 9-year-old without a school answer: the indicator's 'need'. */
        {"h20_school_unanswered", SCORE_UNANSWERED, "children_5_13_in_school", "attends_school", 2,
         "",
         "Do all children aged 5 to 13 attend school?: member 3 has not answered the question "
         "'attends_school'."},
        /* A member without an age would silently drop out of count(age <= 13). */
        {"h21_age_unanswered", SCORE_UNANSWERED, "members_aged_0_13", "age", 2, "",
         "Household members aged 13 or younger: member 3 has not answered the question 'age'."},
        /* Motorcycle 'no' and the car unanswered: no vehicle cannot be told. */
        {"h22_car_unanswered", SCORE_UNANSWERED, "vehicle", "car_tractor", ANSWERS_HOUSEHOLD, "",
         "Car, motorcycle, scooter or tractor: the question 'car_tractor' is not answered."},
        {"h23_wife_class_unanswered", SCORE_UNANSWERED, "female_head_spouse_class", "highest_class",
         1, "",
         "Highest class passed by the female head/spouse: member 2 has not answered the question "
         "'highest_class'."},
        {"h24_female_head_class_unanswered", SCORE_UNANSWERED, "female_head_spouse_class",
         "highest_class", 0, "",
         "Highest class passed by the female head/spouse: member 1 has not answered the question "
         "'highest_class'."},
    };
    struct scorecard *sc = shipped();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers *a = household_file(cases[i].file);
        struct score_result r;
        char text[256];
        if (scorecard_score(sc, a, TODAY, &r) != -1)
            fail_msg("%s: scored %g, should not be", cases[i].file, r.total);
        assert_int_equal(r.problem.kind, cases[i].kind);
        assert_string_equal(r.problem.indicator_id, cases[i].indicator);
        assert_string_equal(scorecard_indicator_id(sc, r.problem.indicator), cases[i].indicator);
        assert_string_equal(r.problem.question, cases[i].question);
        assert_int_equal(r.problem.member, cases[i].member);
        assert_string_equal(r.problem.value, cases[i].value);
        assert_int_equal(r.n_lines, r.problem.indicator); /* what came before is kept */
        scorecard_problem_text(sc, &r.problem, "en", text, sizeof text);
        assert_string_equal(text, cases[i].message);
        answers_free(a);
    }
    scorecard_free(sc);
}

/* The shipped cut-off on the shipped table: 16 is eligible, 17 is not. */
static void test_shipped_threshold_edge(void **state)
{
    (void)state;
    struct scorecard *sc = shipped();
    struct score_error err;
    struct thresholds *th = thresholds_load(THRESHOLDS, &err);
    if (!th)
        fail_msg("%s:%d: %s", err.file, err.line, err.reason);
    assert_true(thresholds_match_table(th, sc));
    static const struct {
        const char *file;
        bool eligible;
    } cases[] = {
        {"h11_edge_score_16", true},
        {"h12_edge_score_17", false},
        {"h05_balochistan_five_children", true},
        {"h01_punjab_couple_two_children", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers *a = household_file(cases[i].file);
        struct score_result r;
        struct programme_decision d[4];
        size_t n = 0;
        assert_int_equal(scorecard_score(sc, a, TODAY, &r), 0);
        assert_int_equal(thresholds_decide(th, a, r.total, TODAY, d, 4, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(d[0].programme, "bisp_2010");
        assert_true(d[0].has_threshold && d[0].threshold == 16.17 && !d[0].inclusive);
        assert_int_equal(d[0].eligible, cases[i].eligible);
        answers_free(a);
    }
    thresholds_free(th);
    scorecard_free(sc);
}

/* The sidecar the command-line test reads agrees with the working by hand above. */
static void test_sidecar_agrees(void **state)
{
    (void)state;
    FILE *f = fopen(HOUSEHOLDS "expected.tsv", "r");
    assert_non_null(f);
    char line[512];
    size_t rows = 0, matched = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char file[128], score[32], bisp[32], ind[64], what[64];
        int exit_status;
        assert_int_equal(sscanf(line, "%127s %d %31s %31s %63s %63s", file, &exit_status, score,
                                bisp, ind, what),
                         6);
        rows++;
        char *dot = strrchr(file, '.');
        assert_non_null(dot);
        *dot = '\0';
        for (size_t h = 0; h < sizeof scored / sizeof scored[0]; h++) {
            if (strcmp(scored[h].file, file) != 0)
                continue;
            char want[32];
            snprintf(want, sizeof want, "%g", scored[h].total);
            assert_int_equal(exit_status, 0);
            assert_string_equal(score, want);
            assert_string_equal(bisp, scored[h].total < 16.17 ? "eligible" : "not_eligible");
            matched++;
        }
        if (exit_status != 0) {
            assert_string_equal(score, "-");
            matched++;
        }
    }
    fclose(f);
    assert_true(rows >= 20);
    assert_int_equal(matched, rows);
}

/* --- small tables written for one rule each --- */

#define HEADER "scorecard test 1\nlanguages en ur_Latn\nrange 0 100\n"

static struct scorecard *table(const char *text)
{
    struct score_error err;
    struct scorecard *sc = scorecard_parse(text, strlen(text), "test.txt", &err);
    if (!sc)
        fail_msg("test.txt:%d: %s", err.line, err.reason);
    return sc;
}

static struct answers *one_member(const char *const *household)
{
    struct answers *a = answers_new();
    assert_non_null(a);
    assert_int_equal(answers_add_member(a), 0);
    answers_set(a, 0, "relation", "head");
    for (size_t i = 0; household && household[i]; i += 2)
        assert_int_equal(answers_set(a, ANSWERS_HOUSEHOLD, household[i], household[i + 1]), 0);
    return a;
}

/* Points that add up to exactly the cut-off: 16 + 0.17 is 16.17, not 16.1699999. */
static void test_threshold_exact_sum(void **state)
{
    (void)state;
    struct scorecard *sc = table(HEADER "indicator a\nlabel | A | A\nvalue x\n"
                                        "points 'whole' 16\npoints 'less' 15\notherwise refuse\n"
                                        "indicator b\nlabel | B | B\nvalue y\n"
                                        "points 'part' 0.17\npoints 'smaller' 0.16\n");
    static const char *const th_text = "thresholds t 1\nlanguages en ur_Latn\ntable test 1\n"
                                       "programme strict\nlabel | S | S\neligible score < 16.17\n"
                                       "programme upto\nlabel | U | U\neligible score <= 16.17\n";
    struct score_error err;
    struct thresholds *th = thresholds_parse(th_text, strlen(th_text), "t", &err);
    assert_non_null(th);
    static const struct {
        const char *x, *y;
        double total;
        bool strict, upto;
    } cases[] = {
        {"whole", "part", 16.17, false, true},   /* exactly at the cut-off */
        {"whole", "smaller", 16.16, true, true}, /* just below */
        {"less", "part", 15.17, true, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const hh[] = {"x", cases[i].x, "y", cases[i].y, NULL};
        struct answers *a = one_member(hh);
        struct score_result r;
        struct programme_decision d[2];
        size_t n;
        assert_int_equal(scorecard_score(sc, a, NULL, &r), 0);
        assert_true(r.total == cases[i].total);
        assert_int_equal(thresholds_decide(th, a, r.total, NULL, d, 2, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(d[0].eligible, cases[i].strict);
        assert_int_equal(d[1].eligible, cases[i].upto);
        answers_free(a);
    }
    thresholds_free(th);
    scorecard_free(sc);
}

static void test_clamp(void **state)
{
    (void)state;
    struct scorecard *sc =
        table("scorecard clamp 1\nlanguages en\nrange -2 10\n"
              "indicator a\nlabel | A\nvalue x\npoints 'hi' 8\npoints 'lo' -2\n"
              "indicator b\nlabel | B\nvalue y\npoints 'hi' 7\npoints 'lo' -1.5\n");
    static const struct {
        const char *x, *y;
        double sum, total;
    } cases[] = {
        {"hi", "hi", 15, 10},   /* above the range: the high end */
        {"lo", "lo", -3.5, -2}, /* below: the low end */
        {"hi", "lo", 6.5, 6.5}, /* inside: as is */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const hh[] = {"x", cases[i].x, "y", cases[i].y, NULL};
        struct answers *a = one_member(hh);
        struct score_result r;
        assert_int_equal(scorecard_score(sc, a, NULL, &r), 0);
        assert_true(r.sum == cases[i].sum);
        assert_true(r.total == cases[i].total);
        answers_free(a);
    }
    scorecard_free(sc);
}

/* Points per urban/rural and per province, with a fallback for the rest. */
static void test_points_per_region(void **state)
{
    (void)state;
    struct scorecard *sc = table(
        HEADER "indicator fridge\nlabel | Fridge | Fridge\nvalue fridge\n"
               "points 'yes' 10 when urban_rural = 'urban'\n"
               "points 'yes' 14 when urban_rural = 'rural'  # a fridge says more in a village\n"
               "points 'no' 0\n"
               "indicator land\nlabel | Land | Zameen\nvalue land_acres\n"
               "band 0 0 0\n"
               "band 0.5 4.99 6 when province in ('3', '4')\n"
               "band 0.5 4.99 4\n"
               "band 5 - 9\n"
               "otherwise 1\n");
    static const struct {
        const char *ur, *fridge, *province, *acres;
        double total;
    } cases[] = {
        {"urban", "yes", "3", "0", 10},   /* 10 + 0 */
        {"rural", "yes", "3", "2.5", 20}, /* 14 + 6 (Punjab) */
        {"rural", "no", "1", "2.5", 4},   /* 0 + 4 (KP: the band for everywhere else) */
        {"urban", "no", "4", "7", 9},     /* 0 + 9 */
        {"urban", "no", "4", "0.25", 1},  /* between bands: 'otherwise 1' */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const hh[] = {"urban_rural",   cases[i].ur,    "fridge",
                                  cases[i].fridge, "province",     cases[i].province,
                                  "land_acres",    cases[i].acres, NULL};
        struct answers *a = one_member(hh);
        struct score_result r;
        assert_int_equal(scorecard_score(sc, a, NULL, &r), 0);
        if (r.total != cases[i].total)
            fail_msg("case %zu: %g, expected %g", i, r.total, cases[i].total);
        answers_free(a);
    }
    /* The region itself unanswered: the fridge's points cannot be chosen. */
    const char *const hh[] = {"fridge", "yes", "province", "3", "land_acres", "0", NULL};
    struct answers *a = one_member(hh);
    struct score_result r;
    assert_int_equal(scorecard_score(sc, a, NULL, &r), -1);
    assert_int_equal(r.problem.kind, SCORE_UNANSWERED);
    assert_string_equal(r.problem.question, "urban_rural");
    answers_free(a);
    /* A number where bands are expected, and an answer no line lists. */
    const char *const bad[] = {"fridge", "no", "land_acres", "much", NULL};
    a = one_member(bad);
    assert_int_equal(scorecard_score(sc, a, NULL, &r), -1);
    assert_int_equal(r.problem.kind, SCORE_NOT_A_NUMBER);
    assert_string_equal(r.problem.value, "much");
    answers_free(a);
    const char *const odd[] = {"fridge", "maybe", NULL};
    a = one_member(odd);
    assert_int_equal(scorecard_score(sc, a, NULL, &r), -1);
    assert_int_equal(r.problem.kind, SCORE_NOT_LISTED);
    assert_string_equal(r.problem.value, "maybe");
    answers_free(a);
    scorecard_free(sc);
}

static void test_no_members_and_case_without_match(void **state)
{
    (void)state;
    struct scorecard *sc = table(HEADER "indicator v\nlabel | V | V\n"
                                        "case yes 5 a = 'yes'\ncase no 0 a = 'no'\n");
    struct answers *a = answers_new();
    struct score_result r;
    char text[128];
    assert_int_equal(scorecard_score(sc, a, NULL, &r), -1);
    assert_int_equal(r.problem.kind, SCORE_NO_MEMBERS);
    scorecard_problem_text(sc, &r.problem, "en", text, sizeof text);
    assert_string_equal(text, "The household has no members, so it cannot be scored.");
    answers_free(a);
    const char *const hh[] = {"a", "perhaps", NULL};
    a = one_member(hh);
    assert_int_equal(scorecard_score(sc, a, NULL, &r), -1);
    assert_int_equal(r.problem.kind, SCORE_NOT_LISTED);
    scorecard_problem_text(sc, &r.problem, "ur_Latn", text, sizeof text);
    assert_string_equal(text, "V: no line of the score table fits these answers.");
    answers_free(a);
    scorecard_free(sc);
}

/* Two cases may show the same answer (a motorcycle or a car: 'yes'); the first that holds wins. */
static void test_cases_sharing_an_answer(void **state)
{
    (void)state;
    struct scorecard *sc = table(HEADER "indicator vehicle\nlabel | V | V\n"
                                        "case yes 12 moto = 'yes'\ncase yes 12 car = 'yes'\n"
                                        "case no 0 moto = 'no' and car = 'no'\n");
    static const struct {
        const char *moto, *car;
        int rc;
        double total;
        const char *shown;
    } cases[] = {
        {"no", "yes", 0, 12, "yes"},
        {"yes", NULL, 0, 12, "yes"}, /* the car does not matter once one answer is yes */
        {"no", "no", 0, 0, "no"},
        {"no", NULL, -1, 0, ""}, /* cannot tell: the car is unanswered */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const hh[] = {"moto", cases[i].moto, cases[i].car ? "car" : NULL, cases[i].car,
                                  NULL};
        struct answers *a = one_member(hh);
        struct score_result r;
        assert_int_equal(scorecard_score(sc, a, NULL, &r), cases[i].rc);
        if (cases[i].rc == 0) {
            assert_true(r.total == cases[i].total);
            assert_string_equal(r.lines[0].answer, cases[i].shown);
        } else {
            assert_int_equal(r.problem.kind, SCORE_UNANSWERED);
            assert_string_equal(r.problem.question, "car");
        }
        answers_free(a);
    }
    scorecard_free(sc);
}

static void test_numbers(void **state)
{
    (void)state;
    long long m;
    char buf[32];
    assert_true(score_parse_decimal("16.17", &m) && m == 16170000);
    assert_true(score_parse_decimal("-0.5", &m) && m == -500000);
    assert_true(score_parse_decimal("100", &m) && m == 100000000);
    assert_true(score_parse_decimal("0.000001", &m) && m == 1);
    assert_false(score_parse_decimal("0.0000001", &m)); /* seven decimals */
    assert_false(score_parse_decimal("1e3", &m));
    assert_false(score_parse_decimal("1,5", &m));
    assert_false(score_parse_decimal(".5", &m));
    assert_false(score_parse_decimal("5.", &m));
    assert_false(score_parse_decimal("", &m));
    assert_false(score_parse_decimal("-", &m));
    assert_false(score_parse_decimal("99999999999", &m)); /* beyond any table */
    score_format(16170000, buf, sizeof buf);
    assert_string_equal(buf, "16.17");
    score_format(-500000, buf, sizeof buf);
    assert_string_equal(buf, "-0.5");
    score_format(84000000, buf, sizeof buf);
    assert_string_equal(buf, "84");
    score_format(1, buf, sizeof buf);
    assert_string_equal(buf, "0.000001");
    assert_int_equal(score_to_micro(score_from_micro(16170000)), 16170000);
}

/* Bad tables: refused whole, with the line and a reason an officer understands. */
static void test_bad_tables(void **state)
{
    (void)state;
#define IND "indicator a\nlabel | A | A\nvalue x\n" /* lines 4-6 after HEADER */
    static const struct {
        const char *text;
        int line;
        const char *reason;
    } cases[] = {
        {"", 0, "the file is empty"},
        {"# only a comment\n\n", 0, "the file is empty"},
        {"range 0 100\n", 1, "must start with 'scorecard ID VERSION'"},
        {"scorecard onlyid\n", 1, "needs an id and a version"},
        {"scorecard Bad 1\n", 1, "not a table id"},
        {"scorecard t 1\nscorecard t 2\n", 2, "'scorecard' is given twice"},
        {HEADER, 0, "no indicators"},
        {"scorecard t 1\nindicator a\n", 2, "must come before the first indicator"},
        {"scorecard t 1\nlanguages en\nrange 5 5\n", 3, "low end must be below"},
        {"scorecard t 1\nlanguages en\nrange 0\n", 3, "'range' needs two numbers"},
        {"scorecard t 1\nlanguages en\nlanguages en\n", 3, "'languages' is given twice"},
        {"scorecard t 1\nlanguages en en\n", 2, "listed twice"},
        {"scorecard t 1\nlanguages e-n\n", 2, "not a language code"},
        {HEADER "frobnicate 3\n", 4, "unknown directive 'frobnicate'"},
        {HEADER "Points 'x' 3\n", 4, "expected a directive"},
        {HEADER "label | A | A\n", 4, "must follow an 'indicator' line"},
        {HEADER "indicator Bad\n", 4, "'indicator' needs one id"},
        {HEADER IND "points 'y' 1\nindicator a\n", 8, "indicator 'a' is already defined on line 4"},
        {HEADER IND "points 'y' 1\nrange 0 9\n", 8, "must come before the first indicator"},
        {HEADER "indicator a\nlabel | Only English\n", 5, "'label' needs 2 texts"},
        {HEADER "indicator a\nlabel | A | B | C\n", 5, "'label' needs 2 texts"},
        {HEADER "indicator a\nlabel | A |\n", 5, "'label' needs 2 texts"},
        {HEADER "indicator a\nlabel | A | A\nlabel | B | B\n", 6, "already has a label"},
        {HEADER "indicator a\nvalue x\npoints 'y' 1\nindicator b\n", 4,
         "indicator 'a' has no label"},
        {HEADER IND "indicator b\n", 4, "has no points, band or case lines"},
        {HEADER IND, 4, "has no points, band or case lines"},
        {HEADER "indicator a\nlabel | A | A\npoints 'y' 1\n", 6, "needs a 'value' line before it"},
        {HEADER IND "value y\n", 7, "already has a value"},
        {HEADER IND "points 'y' 1\nvalue z\n", 8, "already has a value"},
        {HEADER "indicator a\nlabel | A | A\nvalue (x\n", 6,
         "bad expression at column 9: expected ')'"},
        {HEADER IND "points 'y' 1 when x = \n", 7, "bad expression at column 22"},
        {HEADER IND "points 'y' abc\n", 7, "'abc' is not a number of points"},
        {HEADER IND "points 'y' 1.1234567\n", 7, "is not a number of points"},
        {HEADER IND "points 'y' 101\n", 7, "outside the table's range 0 to 100"},
        {HEADER IND "points 'y' -1\n", 7, "outside the table's range"},
        {HEADER IND "points 'y\n", 7, "'points' needs an answer and its points"},
        {HEADER IND "points '' 1\n", 7, "'points' needs an answer"},
        {HEADER IND "points 'y' 1 extra\n", 7, "only 'when CONDITION' may follow"},
        {HEADER IND "points 'y' 1\npoints 'y' 2\n", 8, "'y' already has points on line 7"},
        {HEADER IND "points '3' 1\npoints 3.0 2\n", 8, "already has points on line 7"},
        {HEADER IND "band 0 5 1\nband 5 9 2\n", 8, "overlaps the band on line 7"},
        {HEADER IND "band 3 - 1\nband 0 10 2\n", 8, "overlaps the band on line 7"},
        {HEADER IND "band - 2 1\nband - 0 2\n", 8, "overlaps the band on line 7"},
        {HEADER IND "band 5 1 1\n", 7, "low end is above its high end"},
        {HEADER IND "band - - 1\n", 7, "open at both ends"},
        {HEADER IND "band x 1 1\n", 7, "'band' needs LOW HIGH POINTS"},
        {HEADER IND "band 0 1\n", 7, "'band' needs LOW HIGH POINTS"},
        {HEADER IND "case Yes 1 x = 1\n", 7, "'case' needs a code"},
        {HEADER IND "case yes 1\n", 7, "an expression is missing"},
        {HEADER IND "case yes 1 x = 1\ncase yes 2 x = 2\n", 8,
         "case 'yes' has other points on line 7"},
        {HEADER IND "points 'y' 1\notherwise 2\notherwise refuse\n", 9,
         "already has an 'otherwise'"},
        {HEADER IND "points 'y' 1\notherwise maybe\n", 8, "not a number of points"},
        {HEADER IND "need Age\n", 7, "'need' needs a member question id"},
        {HEADER IND "need age when x\n", 7, "only 'if CONDITION' may follow"},
        {HEADER IND "need age if (\n", 7, "bad expression"},
        {HEADER "indicator a\nlabel | A | \xff\n", 5, "not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct score_error err;
        memset(&err, 'x', sizeof err);
        struct scorecard *sc =
            scorecard_parse(cases[i].text, strlen(cases[i].text), "dir/bad.txt", &err);
        if (sc) {
            scorecard_free(sc);
            fail_msg("case %zu accepted:\n%s", i, cases[i].text);
        }
        assert_string_equal(err.file, "bad.txt");
        if (err.line != cases[i].line || !strstr(err.reason, cases[i].reason))
            fail_msg("case %zu: line %d '%s', expected line %d '%s'", i, err.line, err.reason,
                     cases[i].line, cases[i].reason);
    }
#undef IND
}

static void test_bad_bytes(void **state)
{
    (void)state;
    struct score_error err;
    static const char nul[] = HEADER "indicator a\0b\n";
    assert_null(scorecard_parse(nul, sizeof nul - 1, "n", &err));
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.reason, "NUL"));
    char long_line[SCORE_LINE_MAX + 64];
    memset(long_line, 'a', sizeof long_line);
    memcpy(long_line, "scorecard", 9);
    assert_null(scorecard_parse(long_line, sizeof long_line, "n", &err));
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.reason, "longer than"));
    assert_null(scorecard_load("no/such/table.txt", &err));
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, "table.txt");
    assert_non_null(strstr(err.reason, "cannot open"));
    /* A byte order mark, CRLF line ends and trailing comments are fine. */
    static const char crlf[] =
        "\xEF\xBB\xBFscorecard t 1\r\nlanguages en\r\nrange 0 9 # comment\r\n"
        "indicator a\r\nlabel | A # not a comment\r\nvalue x\r\n"
        "points 'a # b' 1 # the answer holds a '#'\r\n";
    struct scorecard *sc = scorecard_parse(crlf, sizeof crlf - 1, "crlf", &err);
    if (!sc)
        fail_msg("%d: %s", err.line, err.reason);
    assert_string_equal(scorecard_indicator_label(sc, 0, "en"), "A # not a comment");
    const char *const hh[] = {"x", "a # b", NULL};
    struct answers *a = one_member(hh);
    struct score_result r;
    assert_int_equal(scorecard_score(sc, a, NULL, &r), 0);
    assert_true(r.total == 1);
    answers_free(a);
    scorecard_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_table_loads),
        cmocka_unit_test(test_households_scored_by_hand),
        cmocka_unit_test(test_households_cover_every_option),
        cmocka_unit_test(test_households_not_scored),
        cmocka_unit_test(test_shipped_threshold_edge),
        cmocka_unit_test(test_sidecar_agrees),
        cmocka_unit_test(test_threshold_exact_sum),
        cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_points_per_region),
        cmocka_unit_test(test_no_members_and_case_without_match),
        cmocka_unit_test(test_cases_sharing_an_answer),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_bad_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
