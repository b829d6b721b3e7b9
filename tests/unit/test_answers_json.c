/*
 * test_answers_json.c - reading a household's answers from JSON: a good
 * file in full, how numbers become text, and each refusal with the place
 * it names.
 *
 * Run from the top of the tree (it reads tests/data/households/), as
 * tests/run-all.sh does.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/answers.h"
#include "kiosk/answers_json.h"

static struct answers *parse(const char *text, struct answers_json_error *err)
{
    return answers_json_parse(text, strlen(text), "dir/in.json", NULL, 0, err);
}

static void test_good_file(void **state)
{
    (void)state;
    static const char text[] =
        "{ \"questionnaire\": \"nser-household\",\n"
        "  \"household\": { \"province\": \"3\", \"rooms\": 2, \"land_acres\": 2.5,\n"
        "                 \"fridge\": \"no\", \"phone\": null, \"village\": \"\",\n"
        "                 \"district\": \"Lahore \\u0644\\u0627\\u06c1\\u0648\\u0631\" },\n"
        "  \"members\": [\n"
        "    { \"relation\": \"head\", \"age\": 40, \"gender\": \"male\" },\n"
        "    { \"relation\": \"son\", \"age\": 9, \"attends_school\": \"yes\" } ] }\n";
    char q[AJ_QUESTIONNAIRE_MAX];
    struct answers_json_error err;
    struct answers *a = answers_json_parse(text, sizeof text - 1, "x", q, sizeof q, &err);
    if (!a)
        fail_msg("%d:%d: %s", err.line, err.column, err.reason);
    assert_string_equal(q, "nser-household");
    assert_string_equal(answers_get(a, ANSWERS_HOUSEHOLD, "province"), "3");
    assert_string_equal(answers_get(a, ANSWERS_HOUSEHOLD, "rooms"), "2");
    assert_string_equal(answers_get(a, ANSWERS_HOUSEHOLD, "land_acres"), "2.5");
    assert_string_equal(answers_get(a, ANSWERS_HOUSEHOLD, "district"),
                        "Lahore \xd9\x84\xd8\xa7\xdb\x81\xd9\x88\xd8\xb1");
    /* null and "" are unanswered. */
    assert_null(answers_get(a, ANSWERS_HOUSEHOLD, "phone"));
    assert_null(answers_get(a, ANSWERS_HOUSEHOLD, "village"));
    assert_int_equal(answers_count(a, ANSWERS_HOUSEHOLD), 5);
    assert_int_equal(answers_member_count(a), 2);
    assert_string_equal(answers_get(a, 0, "relation"), "head");
    assert_string_equal(answers_get(a, 0, "age"), "40");
    assert_string_equal(answers_get(a, 1, "attends_school"), "yes");
    assert_null(answers_get(a, 1, "gender"));
    answers_free(a);
}

/* Numbers are kept as decimal text, never with an exponent. */
static void test_numbers_as_text(void **state)
{
    (void)state;
    static const struct {
        const char *json, *text;
    } cases[] = {
        {"0", "0"},
        {"-3", "-3"},
        {"2.5", "2.5"},
        {"16.17", "16.17"},
        {"0.1", "0.1"},
        {"-0.5", "-0.5"},
        {"1e3", "1000"},
        {"2.50", "2.5"},
        {"1.0", "1"},
        {"-0.0", "0"},
        {"123456789012", "123456789012"},
        {"0.000000001", "0.000000001"},
        {"3.14159265358979", "3.141592654"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "{\"household\": {\"x\": %s}, \"members\": [{\"relation\": "
                 "\"head\"}]}",
                 cases[i].json);
        struct answers_json_error err;
        struct answers *a = parse(text, &err);
        if (!a)
            fail_msg("%s: %s", cases[i].json, err.reason);
        if (strcmp(answers_get(a, ANSWERS_HOUSEHOLD, "x"), cases[i].text) != 0)
            fail_msg("%s became '%s', expected '%s'", cases[i].json,
                     answers_get(a, ANSWERS_HOUSEHOLD, "x"), cases[i].text);
        answers_free(a);
    }
}

static void test_refusals(void **state)
{
    (void)state;
    char long_value[400], long_id[128], many[8192];
    snprintf(long_value, sizeof long_value,
             "{\"members\": [{\"relation\": \"head\", \"name\": \"%0256d\"}]}", 0);
    snprintf(long_id, sizeof long_id,
             "{\"household\": {\"a234567890123456789012345678901x\": 1}, \"members\": []}");
    size_t n = (size_t)snprintf(many, sizeof many, "{\"members\": [{\"relation\": \"head\"}");
    for (int i = 1; i <= AJ_MEMBERS_MAX; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, ",{}");
    snprintf(many + n, sizeof many - n, "]}");
    static const char head[] = "\"members\": [{\"relation\": \"head\"}]";
    char with_head[16][256];
    static const char *const bodies[] = {
        "\"household\": 3",
        "\"household\": {\"rooms\": true}",
        "\"household\": {\"rooms\": false}",
        "\"household\": {\"rooms\": {\"n\": 2}}",
        "\"household\": {\"rooms\": [2]}",
        "\"household\": {\"Rooms\": 2}",
        "\"household\": {\"2rooms\": 2}",
        "\"household\": {\"name\": \"a\\tb\"}",
        "\"household\": {\"x\": 1e300}",
        "\"questionnaire\": 7",
        "\"questionnaire\": \"a name with blanks\"",
        "\"questionnaire\": \"an-id-that-is-far-too-long-for-any-registry\"",
        "\"extra\": 1",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        snprintf(with_head[i], sizeof with_head[i], "{%s, %s}", bodies[i], head);
    const struct {
        const char *text;
        const char *reason; /* the whole message */
    } cases[] = {
        {"[1, 2]", "expected an object with \"household\" and \"members\""},
        {"\"3\"", "expected an object with \"household\" and \"members\""},
        {"{}", "no \"members\": the household needs at least its head"},
        {"{\"household\": {}}", "no \"members\": the household needs at least its head"},
        {"{\"members\": {}}", "members: expected a list of at least one member (the head first)"},
        {"{\"members\": []}", "members: expected a list of at least one member (the head first)"},
        {"{\"members\": [{\"relation\": \"head\"}, 3]}",
         "members[1]: expected an object of answers"},
        {"{\"members\": [{\"relation\": \"son\"}]}",
         "members[0]: the first member must be the head (\"relation\": \"head\")"},
        {"{\"members\": [{\"age\": 3}]}",
         "members[0]: the first member must be the head (\"relation\": \"head\")"},
        {"{\"members\": [{\"relation\": \"head\"}, {\"relation\": \"head\"}]}",
         "members[1]: only the first member can be the head"},
        {"{\"members\": [{\"relation\": \"head\"}, {\"relation\": \"son\", \"age\": true}]}",
         "members[1].age: expected text or a number, not true/false (write \"yes\" or \"no\")"},
        {"{\"members\": [{\"relation\": \"head\"}, {\"age\": [9]}]}",
         "members[1].age: expected text or a number, not a list"},
        {"{\"household\": {\"province\": \"3\"}, \"members\": [{\"relation\": \"head\", "
         "\"province\": \"4\"}]}",
         "members[0].province: 'province' is a household question, not a member's"},
        {with_head[0], "household: expected an object of answers"},
        {with_head[1], "household.rooms: expected text or a number, not true/false (write \"yes\" "
                       "or \"no\")"},
        {with_head[2], "household.rooms: expected text or a number, not true/false (write \"yes\" "
                       "or \"no\")"},
        {with_head[3], "household.rooms: expected text or a number, not an object"},
        {with_head[4], "household.rooms: expected text or a number, not a list"},
        {with_head[5],
         "household.Rooms: not a question id (1-31 of a-z, 0-9, _, starting with a letter)"},
        {with_head[6],
         "household.2rooms: not a question id (1-31 of a-z, 0-9, _, starting with a letter)"},
        {with_head[7], "household.name: the text holds a control character"},
        {with_head[8], "household.x: the number is too large"},
        {with_head[9], "questionnaire: expected an id of 1-31 characters"},
        {with_head[10], "questionnaire: the id holds a blank or control character"},
        {with_head[11], "questionnaire: expected an id of 1-31 characters"},
        {with_head[12], "unknown member \"extra\" at the top (expected questionnaire, household, "
                        "members)"},
        {long_value, "members[0].name: the text is too long"},
        {long_id, "household.a234567890123456789012345678901x: not a question id (1-31 of a-z, "
                  "0-9, _, starting with a letter)"},
        {many, "members: more than 100 members"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers_json_error err;
        memset(&err, 'x', sizeof err);
        char q[AJ_QUESTIONNAIRE_MAX] = "junk";
        struct answers *a = answers_json_parse(cases[i].text, strlen(cases[i].text), "dir/in.json",
                                               q, sizeof q, &err);
        if (a) {
            answers_free(a);
            fail_msg("case %zu accepted: %s", i, cases[i].text);
        }
        assert_string_equal(q, "");
        assert_string_equal(err.file, "in.json");
        assert_int_equal(err.line, 0);
        if (strcmp(err.reason, cases[i].reason) != 0)
            fail_msg("case %zu: '%s', expected '%s'", i, err.reason, cases[i].reason);
    }
}

/* What jansson refuses: the line and column it names come through. */
static void test_syntax_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int line, column;
    } cases[] = {
        {"{\"members\": [\n  {\"relation\": \"head\",, }]}", 0, 2, 23},
        {"{\"members\": [\n", 0, 2, 0},
        {"", 0, 1, 0},
        {"{\"a\": 1, \"a\": 2}", 0, 1, 0},                  /* duplicate key */
        {"{\"household\": {\"x\": \"\\u0000\"}}", 0, 1, 0}, /* NUL in text */
        {"{\"household\": {\"x\": \"\xff\"}}", 0, 1, 0},    /* not UTF-8 */
        {"{\"members\": []} trailing", 0, 1, 0},
        {"{\"members\"\0: []}", 16, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct answers_json_error err;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        struct answers *a = answers_json_parse(cases[i].text, len, "in.json", NULL, 0, &err);
        if (a) {
            answers_free(a);
            fail_msg("case %zu accepted", i);
        }
        assert_true(err.reason[0] != '\0');
        if (err.line < cases[i].line || (cases[i].column && err.column != cases[i].column))
            fail_msg("case %zu: %d:%d %s", i, err.line, err.column, err.reason);
    }
    struct answers_json_error err;
    assert_null(answers_json_load("no/such/file.json", NULL, 0, &err));
    assert_string_equal(err.file, "file.json");
    assert_non_null(strstr(err.reason, "cannot open"));
}

/* Every hand-computed household in the tree reads, with its head first. */
static void test_household_files_read(void **state)
{
    (void)state;
    DIR *dir = opendir("tests/data/households");
    assert_non_null(dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[512], q[AJ_QUESTIONNAIRE_MAX];
        snprintf(path, sizeof path, "tests/data/households/%s", e->d_name);
        struct answers_json_error err;
        struct answers *a = answers_json_load(path, q, sizeof q, &err);
        if (!a)
            fail_msg("%s:%d:%d: %s", path, err.line, err.column, err.reason);
        assert_string_equal(q, "nser-household");
        assert_string_equal(answers_get(a, 0, "relation"), "head");
        answers_free(a);
        files++;
    }
    closedir(dir);
    assert_true(files >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_numbers_as_text),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_household_files_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
