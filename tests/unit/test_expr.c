/*
 * test_expr.c - the rule and indicator expression language: parsing (and
 * the column of what it cannot read), three-valued logic, numbers versus
 * codes, the roster functions and head references.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/answers.h"
#include "kiosk/expr.h"

static struct answers *household(void)
{
    struct answers *a = answers_new();
    assert_non_null(a);
    assert_int_equal(answers_set(a, ANSWERS_HOUSEHOLD, "province", "3"), 0);
    assert_int_equal(answers_set(a, ANSWERS_HOUSEHOLD, "rooms", "2"), 0);
    static const char *const rows[][4] = {
        {"head", "40", "male", "1985-06-15"},
        {"spouse", "35", "female", NULL},
        {"son", "9", "male", NULL},
        {"daughter", "4", "female", NULL},
    };
    for (size_t i = 0; i < 4; i++) {
        int m = answers_add_member(a);
        assert_int_equal(m, (int)i);
        answers_set(a, m, "relation", rows[i][0]);
        answers_set(a, m, "age", rows[i][1]);
        answers_set(a, m, "gender", rows[i][2]);
        answers_set(a, m, "dob", rows[i][3]);
    }
    answers_set(a, 2, "attends_school", "yes");
    return a;
}

static enum tri eval_at(const char *text, int member)
{
    struct answers *a = household();
    char err[128];
    struct expr *e = expr_parse(text, err, sizeof err);
    if (!e)
        fail_msg("%s: %s", text, err);
    struct expr_ctx ctx = {a, member, 2026, 6, 14};
    enum tri t = expr_test(e, &ctx);
    expr_free(e);
    answers_free(a);
    return t;
}

static void test_truth(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int member;
        enum tri want;
    } cases[] = {
        {"province = 3", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"province = '3'", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"province in (1, 2, 4)", ANSWERS_HOUSEHOLD, TRI_FALSE},
        {"rooms + 1 >= 3", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"rooms - 3 < 0", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"age < head.age", 2, TRI_TRUE},
        {"age < head.age", 0, TRI_FALSE},
        {"relation = 'son' and age < 18", 2, TRI_TRUE},
        {"not relation = 'son'", 2, TRI_FALSE},
        /* unanswered: UNKNOWN flows, and/or short-circuit on certainty */
        {"attends_school = 'yes'", 3, TRI_UNKNOWN},
        {"attends_school = 'yes' or age < 5", 3, TRI_TRUE},
        {"attends_school = 'yes' and age > 5", 3, TRI_FALSE},
        {"not attends_school = 'no'", 3, TRI_UNKNOWN},
        {"answered(attends_school) = 0", 3, TRI_TRUE},
        {"missing in (1, 2)", ANSWERS_HOUSEHOLD, TRI_UNKNOWN},
        /* roster functions see every member, head included */
        {"count(age <= 13) = 2", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"count(age >= 5 and age <= 13 and attends_school != 'yes') = 0", ANSWERS_HOUSEHOLD,
         TRI_TRUE},
        {"sum(age) = 88", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"rooms <= count(age >= 0) + 20", ANSWERS_HOUSEHOLD, TRI_TRUE},
        /* years() counts full years to today (2026-06-14) */
        {"years(dob) = 40", 0, TRI_TRUE},
        {"years(dob) = age", 1, TRI_UNKNOWN},
        /* codes compare as text, numbers as numbers */
        {"'10' > '9'", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"gender = 'female'", 1, TRI_TRUE},
        {"gender < 3", 1, TRI_UNKNOWN},
        {"16.17 > 16.1", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"-3 < 0", ANSWERS_HOUSEHOLD, TRI_TRUE},
        {"(1 = 1) = 1", ANSWERS_HOUSEHOLD, TRI_TRUE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum tri got = eval_at(cases[i].text, cases[i].member);
        if (got != cases[i].want)
            fail_msg("%s (member %d): got %d, want %d", cases[i].text, cases[i].member, got,
                     cases[i].want);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *err;
    } cases[] = {
        {"", "column 1: the expression ends too early"},
        {"age <", "column 6: the expression ends too early"},
        {"age < 'x", "column 7: text in quotes is not closed"},
        {"count(age", "column 10: expected ')'"},
        {"age = 3 3", "column 9: unexpected text after the expression"},
        {"Age = 3", "column 1: unexpected character"},
        {"head.", "column 6: expected a question id after 'head.'"},
        {"age in 3", "column 8: expected '('"},
        {"answered(3)", "column 10: expected a question id"},
        {"and = 1", "column 1: expected a question id"},
        {"age = $", "column 7: unexpected character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[128];
        struct expr *e = expr_parse(cases[i].text, err, sizeof err);
        if (e) {
            expr_free(e);
            fail_msg("'%s' parsed", cases[i].text);
        }
        if (strcmp(err, cases[i].err) != 0)
            fail_msg("'%s': got \"%s\", want \"%s\"", cases[i].text, err, cases[i].err);
    }
    char deep[200];
    memset(deep, '(', 100);
    strcpy(deep + 100, "1");
    memset(deep + 101, ')', 98);
    deep[199] = '\0';
    char err[128];
    assert_null(expr_parse(deep, err, sizeof err));
    assert_non_null(strstr(err, "nested too deeply"));
}

static void test_values(void **state)
{
    (void)state;
    struct answers *a = household();
    struct expr_ctx ctx = {a, ANSWERS_HOUSEHOLD, 2026, 6, 14};
    char err[64], text[32];
    double n;
    struct expr *e = expr_parse("count(age <= 13) + 0.5", err, sizeof err);
    assert_non_null(e);
    assert_true(expr_number(e, &ctx, &n));
    assert_true(n > 2.49 && n < 2.51);
    assert_true(expr_text(e, &ctx, text, sizeof text));
    assert_string_equal(text, "2.5");
    expr_free(e);
    e = expr_parse("head.relation", err, sizeof err);
    assert_true(expr_text(e, &ctx, text, sizeof text));
    assert_string_equal(text, "head");
    assert_false(expr_number(e, &ctx, &n));
    expr_free(e);
    e = expr_parse("missing", err, sizeof err);
    assert_false(expr_text(e, &ctx, text, sizeof text));
    expr_free(e);
    answers_free(a);
}

struct seen {
    char ids[8][ANSWER_ID_MAX];
    enum expr_ref_kind kinds[8];
    int n;
};

static int collect(void *ud, const char *qid, enum expr_ref_kind kind)
{
    struct seen *s = ud;
    if (s->n == 8)
        return 1;
    strcpy(s->ids[s->n], qid);
    s->kinds[s->n++] = kind;
    return 0;
}

static void test_refs(void **state)
{
    (void)state;
    char err[64];
    struct expr *e =
        expr_parse("rooms <= count(age < head.age) and answered(dob) = 1", err, sizeof err);
    assert_non_null(e);
    struct seen s = {0};
    assert_int_equal(expr_refs(e, collect, &s), 0);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.ids[0], "rooms");
    assert_int_equal(s.kinds[0], EXPR_REF_PLAIN);
    assert_string_equal(s.ids[1], "age");
    assert_int_equal(s.kinds[1], EXPR_REF_MEMBERS);
    assert_string_equal(s.ids[2], "age");
    assert_int_equal(s.kinds[2], EXPR_REF_HEAD);
    assert_string_equal(s.ids[3], "dob");
    assert_int_equal(s.kinds[3], EXPR_REF_PLAIN);
    assert_true(expr_uses_roster(e));
    expr_free(e);
    e = expr_parse("age > 3", err, sizeof err);
    assert_false(expr_uses_roster(e));
    expr_free(e);
}

static void test_answers(void **state)
{
    (void)state;
    struct answers *a = household();
    assert_int_equal(answers_set(a, 9, "age", "1"), -1);
    assert_int_equal(answers_set(a, 0, "Bad", "1"), -1);
    assert_int_equal(answers_set(a, 0, "age", "41"), 0);
    assert_string_equal(answers_get(a, 0, "age"), "41");
    assert_int_equal(answers_set(a, 0, "age", ""), 0);
    assert_null(answers_get(a, 0, "age"));
    assert_int_equal(answers_remove_member(a, 1), 0);
    assert_int_equal(answers_member_count(a), 3);
    assert_string_equal(answers_get(a, 1, "relation"), "son");
    char big[ANSWER_VALUE_MAX + 1];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(answers_set(a, ANSWERS_HOUSEHOLD, "locality", big), -1);
    answers_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truth),   cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_values),  cmocka_unit_test(test_refs),
        cmocka_unit_test(test_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
