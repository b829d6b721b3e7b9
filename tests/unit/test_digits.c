/*
 * test_digits.c - unit tests for kiosk/digits.c and the parsers that use
 * it: a number typed or scanned in Urdu (۰-۹) or Arabic-Indic (٠-٩) digits
 * is the same number as in ASCII digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <locale.h>

#include "kiosk/cnic.h"
#include "kiosk/digits.h"
#include "kiosk/scan_payload.h"
#include "kiosk/tracking.h"
#include "screens/field.h"

/* 35202-1234567-1 in Urdu digits, and in Arabic-Indic ones. */
#define URDU_CNIC   "۳۵۲۰۲-۱۲۳۴۵۶۷-۱"
#define ARABIC_CNIC "٣٥٢٠٢-١٢٣٤٥٦٧-١"

static void test_ascii_of_each_script(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < 10; i++) {
        assert_int_equal(digits_ascii('0' + i), '0' + (int)i);
        assert_int_equal(digits_ascii(0x06F0 + i), '0' + (int)i);
        assert_int_equal(digits_ascii(0x0660 + i), '0' + (int)i);
    }
    assert_int_equal(digits_ascii('a'), -1);
    assert_int_equal(digits_ascii(0x06EF), -1);
    assert_int_equal(digits_ascii(0x06FA), -1);
    assert_int_equal(digits_ascii(0x065F), -1);
    assert_int_equal(digits_ascii(0x066A), -1); /* Arabic percent sign */
    assert_int_equal(digits_ascii(0x0967), -1); /* Devanagari one: not asked for */
}

static void test_at(void **state)
{
    (void)state;
    char d = 0;
    const char *s = "۷x";
    assert_int_equal(digits_at(s, s + strlen(s), &d), 2);
    assert_int_equal(d, '7');
    assert_int_equal(digits_at(s + 2, s + strlen(s), &d), 0);
    s = "٩";
    assert_int_equal(digits_at(s, s + 1, &d), 0); /* cut short: not a digit */
    assert_int_equal(digits_at(s, s + 2, &d), 2);
    assert_int_equal(d, '9');
    assert_int_equal(digits_at(NULL, NULL, &d), 0);
}

static void test_normalise(void **state)
{
    (void)state;
    char out[64];
    const char *s = URDU_CNIC;
    assert_int_equal(digits_normalise(s, strlen(s), out, sizeof out), 15);
    assert_string_equal(out, "35202-1234567-1");
    s = "ab ٠٣٠٠-١٢٣٤٥٦٧ é";
    digits_normalise(s, strlen(s), out, sizeof out);
    assert_string_equal(out, "ab 0300-1234567 é");
    /* Letters of the Urdu alphabet are left alone. */
    s = "گھر ۵";
    digits_normalise(s, strlen(s), out, sizeof out);
    assert_string_equal(out, "گھر 5");
    /* Bytes that are not UTF-8 are copied, not dropped. */
    s = "1\xff\xdb";
    assert_int_equal(digits_normalise(s, strlen(s), out, sizeof out), 3);
    assert_memory_equal(out, "1\xff\xdb", 4);
}

static void test_normalise_too_small(void **state)
{
    (void)state;
    char out[4];
    const char *s = "۱۲۳۴۵";
    assert_int_equal(digits_normalise(s, strlen(s), out, sizeof out), (size_t)-1);
    assert_string_equal(out, "123");
    /* Never half a character. */
    s = "1é";
    assert_int_equal(digits_normalise(s, strlen(s), out, 3), (size_t)-1);
    assert_string_equal(out, "1");
    assert_int_equal(digits_normalise(s, strlen(s), out, 0), (size_t)-1);
}

static void test_inplace(void **state)
{
    (void)state;
    char s[] = "٠٣٠٠ ۱۲۳";
    digits_normalise_inplace(s);
    assert_string_equal(s, "0300 123");
    digits_normalise_inplace(NULL);
}

static void test_cnic_parse_in_other_scripts(void **state)
{
    (void)state;
    struct cnic c;
    assert_int_equal(cnic_parse(URDU_CNIC, NULL, &c), CNIC_OK);
    assert_string_equal(c.digits, "3520212345671");
    assert_int_equal(cnic_parse(ARABIC_CNIC, NULL, &c), CNIC_OK);
    assert_string_equal(c.digits, "3520212345671");
    assert_int_equal(cnic_parse("35202-۱۲۳۴۵۶۷-1", NULL, &c), CNIC_OK); /* mixed */
    assert_int_equal(cnic_parse("۹۵۲۰۲۱۲۳۴۵۶۷۱", NULL, &c), CNIC_BAD_REGION);
    assert_int_equal(cnic_parse("۳۵۲۰۲۱۲۳۴۵۶۷", NULL, &c), CNIC_WRONG_LENGTH);
    assert_int_equal(cnic_parse("۳۵۲۰۲۱۲۳۴۵۶۷ب", NULL, &c), CNIC_BAD_CHAR);
    char shown[CNIC_FORMATTED_LEN + 1];
    cnic_format_partial("۳۵۲۰۲۱", shown, sizeof shown);
    assert_string_equal(shown, "35202-1");
}

static void test_tracking_parse_in_other_scripts(void **state)
{
    (void)state;
    struct tracking_id t, u;
    assert_int_equal(tracking_make("12345", 2025, 1, 31, 7, &t), 0);
    char ascii[TRACKING_FORMATTED_LEN + 1], urdu[80], arabic[80];
    tracking_format(&t, ascii, sizeof ascii);
    size_t n = 0, m = 0;
    for (const char *p = ascii; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            /* U+06F0 + d is DB B0+d, U+0660 + d is D9 A0+d. */
            urdu[n++] = (char)0xDB;
            urdu[n++] = (char)(0xB0 + (*p - '0'));
            arabic[m++] = (char)0xD9;
            arabic[m++] = (char)(0xA0 + (*p - '0'));
        } else {
            urdu[n++] = arabic[m++] = *p;
        }
    }
    urdu[n] = arabic[m] = '\0';
    assert_int_equal(tracking_parse(urdu, &u), TRACKING_OK);
    assert_string_equal(u.digits, t.digits);
    assert_int_equal(tracking_parse(arabic, &u), TRACKING_OK);
    assert_string_equal(u.digits, t.digits);
    urdu[n - 1] = (char)(0xB0 + ((urdu[n - 1] - (char)0xB0 + 1) % 10)); /* a typo */
    assert_int_equal(tracking_parse(urdu, &u), TRACKING_BAD_CHECK);
    char shown[TRACKING_FORMATTED_LEN + 1];
    tracking_format_partial("۱۲۳۴۵۶", shown, sizeof shown);
    assert_string_equal(shown, "12345-6");
}

static void test_scan_payload_in_urdu_digits(void **state)
{
    (void)state;
    char err[200];
    struct scan_pattern *p = scan_pattern_new(NULL, err, sizeof err);
    assert_non_null(p);
    struct cnic c;
    const char *payload = "CNIC:" URDU_CNIC;
    int rc = scan_find_cnic(p, payload, strlen(payload), NULL, &c);
    if (rc == 0)
        assert_string_equal(c.digits, "3520212345671");
    /* The default pattern may want a frame around the number: the bare
     * number must be found at least. */
    payload = URDU_CNIC;
    assert_int_equal(scan_find_cnic(p, payload, strlen(payload), NULL, &c), 0);
    assert_string_equal(c.digits, "3520212345671");
    scan_pattern_free(p);
}

/* Keys typed into fields: every number kind stores ASCII digits. */
static void test_fields_take_urdu_digits(void **state)
{
    (void)state;
    char out[64];
    enum field_kind kinds[] = {FIELD_NUMBER, FIELD_CNIC,    FIELD_LOOKUP, FIELD_DATE,
                               FIELD_PHONE,  FIELD_DECIMAL, FIELD_SECRET};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct field *f = field_new(kinds[i], 0);
        assert_non_null(f);
        assert_int_equal(field_key(f, 0x06F0, false), FIELD_CHANGED);
        assert_int_equal(field_key(f, 0x0663, false), FIELD_CHANGED);
        assert_int_equal(field_key(f, '5', false), FIELD_CHANGED);
        field_get(f, out, sizeof out);
        assert_string_equal(out, "035");
        field_set(f, "۱٢3");
        field_get(f, out, sizeof out);
        assert_string_equal(out, "123");
        field_free(f);
    }
    /* A name or address keeps the digits it was written with. */
    struct field *t = field_new(FIELD_TEXT, 40);
    assert_int_equal(field_key(t, 0x06F5, false), FIELD_CHANGED);
    field_get(t, out, sizeof out);
    assert_string_equal(out, "۵");
    field_free(t);
    /* + is the back key: no phone number needs it (typed 03xx...). */
    struct field *p = field_new(FIELD_PHONE, 0);
    assert_int_equal(field_key(p, '+', false), FIELD_REFUSED);
    field_free(p);
}

int main(void)
{
    /* The kiosk runs in a UTF-8 locale: fields decode typed text by it. */
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_of_each_script),
        cmocka_unit_test(test_at),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_normalise_too_small),
        cmocka_unit_test(test_inplace),
        cmocka_unit_test(test_cnic_parse_in_other_scripts),
        cmocka_unit_test(test_tracking_parse_in_other_scripts),
        cmocka_unit_test(test_scan_payload_in_urdu_digits),
        cmocka_unit_test(test_fields_take_urdu_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
