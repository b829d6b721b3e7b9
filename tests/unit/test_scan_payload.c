/*
 * test_scan_payload.c - unit tests for kiosk/scan_payload.c: finding the
 * CNIC in what a barcode/QR scanner read, by the default pattern and by a
 * centre's own, whatever bytes the scan holds.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/scan_payload.h"

static struct scan_pattern *def(void)
{
    char err[256];
    struct scan_pattern *p = scan_pattern_new(NULL, err, sizeof err);
    assert_non_null(p);
    return p;
}

static void found(const struct scan_pattern *p, const char *payload, size_t len, const char *want)
{
    struct cnic c;
    memset(&c, 'x', sizeof c);
    assert_int_equal(scan_find_cnic(p, payload, len, NULL, &c), 0);
    assert_string_equal(c.digits, want);
}

static void none(const struct scan_pattern *p, const char *payload, size_t len)
{
    struct cnic c;
    assert_int_equal(scan_find_cnic(p, payload, len, NULL, &c), -1);
}

#define FOUND(p, s, want) found(p, s, sizeof s - 1, want)
#define NONE(p, s)        none(p, s, sizeof s - 1)

static void test_default_plain_and_dashed(void **state)
{
    (void)state;
    struct scan_pattern *p = def();
    FOUND(p, "3520212345671", "3520212345671");
    FOUND(p, "35202-1234567-1", "3520212345671");
    FOUND(p, "NAME:ALI;CNIC:35202-1234567-1;DOB:1980", "3520212345671");
    FOUND(p, "x3520212345671y", "3520212345671");
    FOUND(p, "3520212345671\r\n", "3520212345671");
    scan_pattern_free(p);
}

static void test_default_refuses_other_runs(void **state)
{
    (void)state;
    struct scan_pattern *p = def();
    NONE(p, "352021234567");   /* 12 digits */
    NONE(p, "35202123456712"); /* 14 */
    NONE(p, "03520212345671"); /* 13 inside a longer run */
    NONE(p, "hello world");
    NONE(p, "9520212345671"); /* 9 is no region */
    NONE(p, "0520212345671");
    /* A longer run first does not hide a CNIC after it. */
    FOUND(p, "12345678901234 3520212345671", "3520212345671");
    FOUND(p, "1234567890123456789012345;4210112345672", "4210112345672");
    scan_pattern_free(p);
}

static void test_any_bytes(void **state)
{
    (void)state;
    struct scan_pattern *p = def();
    /* A NUL or control byte separates; it never joins digit runs. */
    const char nul[] = "35202\0"
                       "12345671";
    none(p, nul, sizeof nul - 1);
    const char gs[] = "0001\x1d"
                      "3520212345671\x1d"
                      "99";
    found(p, gs, sizeof gs - 1, "3520212345671");
    const char high[] = "\xff\xfe\x80 3520212345671 \xc3\xa9";
    found(p, high, sizeof high - 1, "3520212345671");
    /* Not NUL-terminated: LEN is the end. */
    const char cut[] = "35202123456719999";
    found(p, cut, 13, "3520212345671");
    none(p, cut, 12);
    none(p, "", 0);
    none(p, NULL, 5);
    char big[SCAN_PAYLOAD_MAX + 1];
    memset(big, ' ', sizeof big);
    memcpy(big, "3520212345671", 13);
    found(p, big, SCAN_PAYLOAD_MAX, "3520212345671");
    none(p, big, SCAN_PAYLOAD_MAX + 1);
    scan_pattern_free(p);
}

static void test_any_bytes_in_utf8_locale(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8"))
        skip();
    test_any_bytes(state);
    struct scan_pattern *p = def();
    const char urdu[] = "\xd8\xb4\xd9\x86\xd8\xa7\xd8\xae\xd8\xaa 35202-1234567-1";
    found(p, urdu, sizeof urdu - 1, "3520212345671");
    scan_pattern_free(p);
    setlocale(LC_ALL, "C");
}

static void test_regions(void **state)
{
    (void)state;
    struct scan_pattern *p = def();
    struct cnic c;
    assert_int_equal(scan_find_cnic(p, "3520212345671", 13, "12", &c), -1);
    assert_int_equal(scan_find_cnic(p, "3520212345671", 13, "3", &c), 0);
    scan_pattern_free(p);
}

static void test_custom_pattern(void **state)
{
    (void)state;
    char err[256];
    /* The CNIC in the first group. */
    struct scan_pattern *p = scan_pattern_new("ID=([0-9-]+)", err, sizeof err);
    assert_non_null(p);
    FOUND(p, "X;ID=35202-1234567-1;Y", "3520212345671");
    NONE(p, "3520212345671");
    NONE(p, "ID=352021234567"); /* matches, but not a valid CNIC */
    scan_pattern_free(p);
    /* No group: the whole match. */
    p = scan_pattern_new("[0-9]{13}", err, sizeof err);
    assert_non_null(p);
    FOUND(p, "ab3520212345671", "3520212345671");
    scan_pattern_free(p);
    /* A group that took no part in the match. */
    p = scan_pattern_new("A([0-9]{13})|B", err, sizeof err);
    assert_non_null(p);
    NONE(p, "B3520212345671");
    scan_pattern_free(p);
    /* The default's own text is the default. */
    p = scan_pattern_new(scan_pattern_default(), err, sizeof err);
    assert_non_null(p);
    FOUND(p, "x 35202-1234567-1", "3520212345671");
    scan_pattern_free(p);
    p = scan_pattern_new("", err, sizeof err);
    assert_non_null(p);
    scan_pattern_free(p);
}

static void test_bad_patterns(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(scan_pattern_new("([0-9]", err, sizeof err));
    assert_true(err[0] != '\0');
    char longp[SCAN_PATTERN_MAX + 1];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    err[0] = '\0';
    assert_null(scan_pattern_new(longp, err, sizeof err));
    assert_true(err[0] != '\0');
    /* Stacked repetitions make regcomp() exponential: refused before. */
    const char *stacked[] = {"V++++++++++++++++++++++++++++++++++++++++(V", "a*+", "[0-9]{13}{2}",
                             "(x)?*", "a{1,9}?"};
    for (size_t i = 0; i < sizeof stacked / sizeof stacked[0]; i++) {
        err[0] = '\0';
        assert_null(scan_pattern_new(stacked[i], err, sizeof err));
        assert_non_null(strstr(err, "repetition"));
    }
    /* Repetition inside brackets or escaped is no repetition. */
    const char *fine[] = {"[+*]+([0-9]{13})", "a\\++", "[[:digit:]]{13}", "[]+]*x", "(a+)+"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        struct scan_pattern *p = scan_pattern_new(fine[i], err, sizeof err);
        assert_non_null(p);
        scan_pattern_free(p);
    }
    scan_pattern_free(NULL);
    struct cnic c;
    assert_int_equal(scan_find_cnic(NULL, "3520212345671", 13, NULL, &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_plain_and_dashed),
        cmocka_unit_test(test_default_refuses_other_runs),
        cmocka_unit_test(test_any_bytes),
        cmocka_unit_test(test_any_bytes_in_utf8_locale),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_custom_pattern),
        cmocka_unit_test(test_bad_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
