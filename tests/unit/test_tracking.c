/*
 * test_tracking.c - unit tests for kiosk/tracking.c and kiosk/damm.c: making,
 * reading and showing tracking IDs, and the promise that a single typo in
 * one is always caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/damm.h"
#include "kiosk/tracking.h"

static void test_damm_known_values(void **state)
{
    (void)state;
    /* The textbook example: 572 gets check digit 4. */
    assert_int_equal(damm_check_digit("572"), 4);
    assert_true(damm_valid("5724"));
    assert_false(damm_valid("5725"));
    assert_int_equal(damm_check_digit(""), 0);
    assert_int_equal(damm_check_digit("12a"), -1);
    assert_int_equal(damm_check_digit(NULL), -1);
    assert_false(damm_valid(""));
    assert_false(damm_valid(NULL));
    assert_false(damm_valid("57 24"));
}

static void test_make_and_format(void **state)
{
    struct tracking_id t;
    char out[TRACKING_FORMATTED_LEN + 1];

    (void)state;
    assert_int_equal(tracking_make("35202", 2025, 3, 7, 42, &t), 0);
    assert_int_equal(strlen(t.digits), TRACKING_DIGITS);
    assert_memory_equal(t.digits, "352022503070042", 15);
    assert_true(damm_valid(t.digits));
    tracking_format(&t, out, sizeof out);
    assert_int_equal(strlen(out), TRACKING_FORMATTED_LEN);
    assert_memory_equal(out, "35202-250307-0042-", 18);
    assert_int_equal(out[18], t.digits[15]);
}

static void test_make_bounds(void **state)
{
    struct tracking_id t;

    (void)state;
    assert_int_equal(tracking_make("00001", 2024, 1, 1, 1, &t), 0);
    assert_int_equal(tracking_make("00001", 2024, 1, 1, TRACKING_SEQ_MAX, &t), 0);
    assert_int_equal(tracking_make("00001", 2024, 1, 1, 0, &t), -1);
    assert_int_equal(tracking_make("00001", 2024, 1, 1, 10000, &t), -1);
    /* Leap years, including the century rule inside the range (2000). */
    assert_int_equal(tracking_make("00001", 2024, 2, 29, 1, &t), 0);
    assert_int_equal(tracking_make("00001", 2000, 2, 29, 1, &t), 0);
    assert_int_equal(tracking_make("00001", 2025, 2, 29, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2025, 2, 28, 1, &t), 0);
    assert_int_equal(tracking_make("00001", 2025, 4, 31, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2025, 12, 31, 1, &t), 0);
    assert_int_equal(tracking_make("00001", 2025, 13, 1, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2025, 0, 1, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2025, 1, 0, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 1999, 12, 31, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2100, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make("00001", 2099, 12, 31, 1, &t), 0);
    /* Kiosk codes: exactly five digits. */
    assert_int_equal(tracking_make("1234", 2025, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make("123456", 2025, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make("12a45", 2025, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make("", 2025, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make(NULL, 2025, 1, 1, 1, &t), -1);
    assert_int_equal(tracking_make("12345", 2025, 1, 1, 1, NULL), -1);
}

static void test_kiosk_code_valid(void **state)
{
    (void)state;
    assert_true(tracking_kiosk_code_valid("00000"));
    assert_true(tracking_kiosk_code_valid("99999"));
    assert_false(tracking_kiosk_code_valid("9999"));
    assert_false(tracking_kiosk_code_valid("999999"));
    assert_false(tracking_kiosk_code_valid("9999 "));
    assert_false(tracking_kiosk_code_valid("-9999"));
    assert_false(tracking_kiosk_code_valid(NULL));
}

/* Several IDs across kiosks, dates and sequence numbers. */
static const struct {
    const char *kiosk;
    int y, m, d;
    unsigned seq;
} samples[] = {
    {"35202", 2025, 3, 7, 42},  {"00000", 2000, 1, 1, 1},    {"99999", 2099, 12, 31, 9999},
    {"61101", 2024, 2, 29, 17}, {"42301", 2031, 10, 5, 808}, {"17301", 2026, 6, 30, 5000},
};

#define SAMPLE_COUNT (sizeof samples / sizeof samples[0])

static void make_sample(size_t i, struct tracking_id *t)
{
    assert_int_equal(tracking_make(samples[i].kiosk, samples[i].y, samples[i].m, samples[i].d,
                                   samples[i].seq, t),
                     0);
    assert_int_equal(tracking_parse(t->digits, NULL), TRACKING_OK);
}

static void test_every_single_substitution_caught(void **state)
{
    (void)state;
    for (size_t s = 0; s < SAMPLE_COUNT; s++) {
        struct tracking_id t, got;

        make_sample(s, &t);
        for (size_t pos = 0; pos < TRACKING_DIGITS; pos++) {
            for (char d = '0'; d <= '9'; d++) {
                char typo[TRACKING_DIGITS + 1];

                if (d == t.digits[pos])
                    continue;
                memcpy(typo, t.digits, sizeof typo);
                typo[pos] = d;
                assert_int_equal(tracking_parse(typo, &got), TRACKING_BAD_CHECK);
            }
        }
    }
}

static void test_every_adjacent_transposition_caught(void **state)
{
    (void)state;
    for (size_t s = 0; s < SAMPLE_COUNT; s++) {
        struct tracking_id t, got;
        size_t tried = 0;

        make_sample(s, &t);
        /* pos + 1 reaches the check digit: swapping it in must be caught too. */
        for (size_t pos = 0; pos + 1 < TRACKING_DIGITS; pos++) {
            char typo[TRACKING_DIGITS + 1];

            if (t.digits[pos] == t.digits[pos + 1])
                continue;
            memcpy(typo, t.digits, sizeof typo);
            typo[pos] = t.digits[pos + 1];
            typo[pos + 1] = t.digits[pos];
            assert_int_equal(tracking_parse(typo, &got), TRACKING_BAD_CHECK);
            tried++;
        }
        assert_true(tried > 0);
    }
}

static void test_parse_separators(void **state)
{
    struct tracking_id t, got;
    char formatted[TRACKING_FORMATTED_LEN + 1];
    char spaced[64];

    (void)state;
    assert_int_equal(tracking_make("35202", 2025, 3, 7, 42, &t), 0);
    tracking_format(&t, formatted, sizeof formatted);

    memset(&got, 0, sizeof got);
    assert_int_equal(tracking_parse(formatted, &got), TRACKING_OK);
    assert_string_equal(got.digits, t.digits);

    strcpy(spaced, "  ");
    strcat(spaced, formatted);
    for (char *p = spaced; *p; p++)
        if (*p == '-')
            *p = ' ';
    strcat(spaced, " \t");
    memset(&got, 0, sizeof got);
    assert_int_equal(tracking_parse(spaced, &got), TRACKING_OK);
    assert_string_equal(got.digits, t.digits);

    memset(&got, 0, sizeof got);
    assert_int_equal(tracking_parse(t.digits, &got), TRACKING_OK);
    assert_string_equal(got.digits, t.digits);
}

static void test_parse_errors(void **state)
{
    struct tracking_id t;

    (void)state;
    assert_int_equal(tracking_parse(NULL, &t), TRACKING_EMPTY);
    assert_int_equal(tracking_parse("", &t), TRACKING_EMPTY);
    assert_int_equal(tracking_parse(" - - ", &t), TRACKING_EMPTY);
    assert_int_equal(tracking_parse("35202-250307-0042", &t), TRACKING_WRONG_LENGTH);
    assert_int_equal(tracking_parse("35202-250307-0042-12", &t), TRACKING_WRONG_LENGTH);
    assert_int_equal(tracking_parse("3520212345671", &t), TRACKING_WRONG_LENGTH);
    assert_int_equal(tracking_parse("35202-25O307-0042-1", &t), TRACKING_BAD_CHAR);
    assert_int_equal(tracking_parse("35202_250307_0042_1", &t), TRACKING_BAD_CHAR);
    assert_int_equal(tracking_parse("35202/250307/0042/1", &t), TRACKING_BAD_CHAR);
}

static void test_format_partial(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"3520", "3520"},
        {"35202", "35202"},
        {"352022", "35202-2"},
        {"35202250307", "35202-250307"},
        {"352022503070", "35202-250307-0"},
        {"352022503070042", "35202-250307-0042"},
        {"3520225030700425", "35202-250307-0042-5"},
        {"35202250307004251", "35202-250307-0042-5"},
        {"35202-2503 07x0", "35202-250307-0"},
    };
    char out[TRACKING_FORMATTED_LEN + 1];
    char small[10];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tracking_format_partial(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    tracking_format_partial("3520225030700425", small, sizeof small);
    assert_string_equal(small, "35202-250");
}

static void test_error_texts(void **state)
{
    (void)state;
    for (int e = TRACKING_OK; e <= TRACKING_BAD_CHECK; e++) {
        const char *t = tracking_error_text((enum tracking_error)e);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
    }
    assert_string_equal(tracking_error_text(TRACKING_BAD_CHECK),
                        "This tracking ID has a typing mistake: please check every digit.");
    assert_non_null(tracking_error_text((enum tracking_error)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damm_known_values),
        cmocka_unit_test(test_make_and_format),
        cmocka_unit_test(test_make_bounds),
        cmocka_unit_test(test_kiosk_code_valid),
        cmocka_unit_test(test_every_single_substitution_caught),
        cmocka_unit_test(test_every_adjacent_transposition_caught),
        cmocka_unit_test(test_parse_separators),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format_partial),
        cmocka_unit_test(test_error_texts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
