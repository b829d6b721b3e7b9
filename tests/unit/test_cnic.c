/*
 * test_cnic.c - unit tests for kiosk/cnic.c: how a typed CNIC is read,
 * refused, formatted and interpreted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/cnic.h"

static void parse_ok(const char *text, const char *regions, const char *want)
{
    struct cnic c;

    memset(&c, 'x', sizeof c);
    assert_int_equal(cnic_parse(text, regions, &c), CNIC_OK);
    assert_string_equal(c.digits, want);
}

static void test_parse_with_and_without_dashes(void **state)
{
    (void)state;
    parse_ok("3520212345671", NULL, "3520212345671");
    parse_ok("35202-1234567-1", NULL, "3520212345671");
    parse_ok("35202-12345671", NULL, "3520212345671");
    parse_ok("352021234567-1", NULL, "3520212345671");
    parse_ok("  \t35202-1234567-1 \n", NULL, "3520212345671");
}

static void test_parse_empty(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse(NULL, NULL, &c), CNIC_EMPTY);
    assert_int_equal(cnic_parse("", NULL, &c), CNIC_EMPTY);
    assert_int_equal(cnic_parse("   ", NULL, &c), CNIC_EMPTY);
}

static void test_parse_wrong_length(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse("352021234567", NULL, &c), CNIC_WRONG_LENGTH);   /* 12 */
    assert_int_equal(cnic_parse("35202123456712", NULL, &c), CNIC_WRONG_LENGTH); /* 14 */
    assert_int_equal(cnic_parse("35202-123456-1", NULL, &c), CNIC_WRONG_LENGTH);
    assert_int_equal(cnic_parse("-", NULL, &c), CNIC_WRONG_LENGTH);
}

static void test_parse_bad_chars(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse("35202-12345A7-1", NULL, &c), CNIC_BAD_CHAR);
    assert_int_equal(cnic_parse("abc", NULL, &c), CNIC_BAD_CHAR);
    assert_int_equal(cnic_parse("35202 1234567 1", NULL, &c), CNIC_BAD_CHAR);
    assert_int_equal(cnic_parse("35202.1234567.1", NULL, &c), CNIC_BAD_CHAR);
    /* Letters are reported before the length, which is then meaningless. */
    assert_int_equal(cnic_parse("3520X", NULL, &c), CNIC_BAD_CHAR);
}

static void test_parse_misplaced_dashes(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse("3520-21234567-1", NULL, &c), CNIC_BAD_DASHES);
    assert_int_equal(cnic_parse("35202--1234567-1", NULL, &c), CNIC_BAD_DASHES);
    assert_int_equal(cnic_parse("-3520212345671", NULL, &c), CNIC_BAD_DASHES);
    assert_int_equal(cnic_parse("3520212345671-", NULL, &c), CNIC_BAD_DASHES);
    assert_int_equal(cnic_parse("35202-123456-71", NULL, &c), CNIC_BAD_DASHES);
}

static void test_parse_leaves_out_alone_on_error(void **state)
{
    struct cnic c;

    (void)state;
    strcpy(c.digits, "unchanged");
    assert_int_equal(cnic_parse("12", NULL, &c), CNIC_WRONG_LENGTH);
    assert_string_equal(c.digits, "unchanged");
}

static void test_region_refused(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse("05202-1234567-1", NULL, &c), CNIC_BAD_REGION);
    assert_int_equal(cnic_parse("95202-1234567-1", NULL, &c), CNIC_BAD_REGION);
    for (char d = '1'; d <= '8'; d++) {
        char text[] = "35202-1234567-1";
        text[0] = d;
        assert_int_equal(cnic_parse(text, NULL, &c), CNIC_OK);
        assert_int_equal(cnic_region(&c), d - '0');
    }
}

static void test_custom_regions(void **state)
{
    struct cnic c;

    (void)state;
    assert_int_equal(cnic_parse("85202-1234567-1", "1234567", &c), CNIC_BAD_REGION);
    assert_int_equal(cnic_parse("35202-1234567-1", "1234567", &c), CNIC_OK);
    assert_int_equal(cnic_parse("35202-1234567-1", "", &c), CNIC_BAD_REGION);
    assert_int_equal(cnic_parse("95202-1234567-1", "9", &c), CNIC_OK);
}

static void test_region_names(void **state)
{
    (void)state;
    assert_string_equal(cnic_region_name(1), "Khyber Pakhtunkhwa");
    assert_string_equal(cnic_region_name(3), "Punjab");
    assert_string_equal(cnic_region_name(8), "Azad Jammu & Kashmir");
    assert_null(cnic_region_name(0));
    assert_null(cnic_region_name(9));
    assert_null(cnic_region_name(-1));
    assert_null(cnic_region_name(10));
}

static void test_gender_from_last_digit(void **state)
{
    struct cnic c;

    (void)state;
    for (char d = '0'; d <= '9'; d++) {
        char text[] = "35202-1234567-0";
        text[14] = d;
        assert_int_equal(cnic_parse(text, NULL, &c), CNIC_OK);
        assert_int_equal(cnic_gender(&c), (d - '0') % 2 ? GENDER_MALE : GENDER_FEMALE);
    }
    assert_int_equal(cnic_gender(NULL), GENDER_UNKNOWN);
}

static void test_format_full(void **state)
{
    struct cnic c;
    char out[CNIC_FORMATTED_LEN + 1];
    char small[8];

    (void)state;
    assert_int_equal(cnic_parse("3520212345671", NULL, &c), CNIC_OK);
    cnic_format(&c, out, sizeof out);
    assert_string_equal(out, "35202-1234567-1");
    cnic_format(&c, small, sizeof small);
    assert_string_equal(small, "35202-1");
}

static void test_format_partial(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"3", "3"},
        {"35202", "35202"},
        {"352021", "35202-1"},
        {"3520212", "35202-12"},
        {"352021234567", "35202-1234567"},
        {"3520212345671", "35202-1234567-1"},
        {"35202123456719", "35202-1234567-1"},
        {"35-202 12x", "35202-12"},
    };
    char out[CNIC_FORMATTED_LEN + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnic_format_partial(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    cnic_format_partial(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_error_texts(void **state)
{
    (void)state;
    for (int e = CNIC_OK; e <= CNIC_BAD_REGION; e++) {
        const char *t = cnic_error_text((enum cnic_error)e);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
    }
    assert_string_equal(cnic_error_text(CNIC_WRONG_LENGTH), "A CNIC has 13 digits.");
    assert_non_null(cnic_error_text((enum cnic_error)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_with_and_without_dashes),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_wrong_length),
        cmocka_unit_test(test_parse_bad_chars),
        cmocka_unit_test(test_parse_misplaced_dashes),
        cmocka_unit_test(test_parse_leaves_out_alone_on_error),
        cmocka_unit_test(test_region_refused),
        cmocka_unit_test(test_custom_regions),
        cmocka_unit_test(test_region_names),
        cmocka_unit_test(test_gender_from_last_digit),
        cmocka_unit_test(test_format_full),
        cmocka_unit_test(test_format_partial),
        cmocka_unit_test(test_error_texts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
