/*
 * test_household.c - unit tests for kiosk/household.c and kiosk/status.c:
 * the roster, the checks on typed values, stored codes and masked names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/household.h"
#include "kiosk/status.h"

/* "Muhammad Ali" in Urdu script: محمد علی */
#define URDU_MUHAMMAD "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf"
#define URDU_ALI      "\xd8\xb9\xd9\x84\xdb\x8c"
#define URDU_NAME     URDU_MUHAMMAD " " URDU_ALI

static const struct date today = {2025, 6, 15};

static struct person make_person(const char *name, enum relation rel)
{
    struct person p;

    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    p.relation = rel;
    p.gender = GENDER_FEMALE;
    p.age = -1;
    return p;
}

/* ---------------------------------------------------------------- roster */

static void test_new_household(void **state)
{
    struct household *h = household_new();

    (void)state;
    assert_non_null(h);
    assert_int_equal(household_member_count(h), 0);
    assert_int_equal(household_size(h), 1);
    assert_int_equal(household_head_const(h)->relation, REL_HEAD);
    assert_int_equal(household_head_const(h)->age, -1);
    assert_string_equal(household_phone_const(h), "");
    assert_string_equal(household_address_const(h)->district, "");
    assert_int_equal(household_housing_const(h)->toilet, TOILET_NONE_GIVEN);
    assert_null(household_member(h, 0));
    household_free(h);
    household_free(NULL);
}

static void test_add_set_remove(void **state)
{
    struct household *h = household_new();
    struct person a = make_person("Ayesha", REL_SPOUSE);
    struct person b = make_person("Bilal", REL_SON);
    struct person c = make_person("Chanda", REL_DAUGHTER);

    (void)state;
    assert_int_equal(household_add_member(h, &a), 0);
    assert_int_equal(household_add_member(h, &b), 1);
    assert_int_equal(household_add_member(h, &c), 2);
    assert_int_equal(household_member_count(h), 3);
    assert_int_equal(household_size(h), 4);
    assert_string_equal(household_member(h, 1)->name, "Bilal");

    b = make_person("Babar", REL_SON);
    assert_int_equal(household_set_member(h, 1, &b), 0);
    assert_string_equal(household_member(h, 1)->name, "Babar");
    assert_int_equal(household_set_member(h, 3, &b), -1);

    assert_int_equal(household_remove_member(h, 0), 0);
    assert_int_equal(household_member_count(h), 2);
    assert_string_equal(household_member(h, 0)->name, "Babar");
    assert_string_equal(household_member(h, 1)->name, "Chanda");
    assert_null(household_member(h, 2));
    assert_int_equal(household_remove_member(h, 2), -1);
    assert_int_equal(household_remove_member(h, 1), 0);
    assert_int_equal(household_remove_member(h, 0), 0);
    assert_int_equal(household_member_count(h), 0);
    assert_int_equal(household_remove_member(h, 0), -1);
    household_free(h);
}

static void test_second_head_refused(void **state)
{
    struct household *h = household_new();
    struct person p = make_person("Usman", REL_HEAD);
    struct person ok = make_person("Usman", REL_SIBLING);

    (void)state;
    assert_int_equal(household_add_member(h, &p), -1);
    assert_int_equal(household_add_member(h, NULL), -1);
    assert_int_equal(household_add_member(h, &ok), 0);
    assert_int_equal(household_set_member(h, 0, &p), -1);
    assert_int_equal(household_member(h, 0)->relation, REL_SIBLING);
    household_free(h);
}

static void test_capacity_limit(void **state)
{
    struct household *h = household_new();
    struct person p = make_person("Member", REL_OTHER_RELATIVE);

    (void)state;
    for (int i = 0; i < HOUSEHOLD_MEMBERS_MAX; i++)
        assert_int_equal(household_add_member(h, &p), i);
    assert_int_equal(household_add_member(h, &p), -1);
    assert_int_equal(household_member_count(h), HOUSEHOLD_MEMBERS_MAX);
    assert_int_equal(household_size(h), HOUSEHOLD_MEMBERS_MAX + 1);
    assert_int_equal(household_remove_member(h, HOUSEHOLD_MEMBERS_MAX - 1), 0);
    assert_int_equal(household_add_member(h, &p), HOUSEHOLD_MEMBERS_MAX - 1);
    household_free(h);
}

static void test_clear(void **state)
{
    struct household *h = household_new();
    struct person p = make_person("Zainab", REL_DAUGHTER);

    (void)state;
    snprintf(household_head(h)->name, PERSON_NAME_MAX, "Karim");
    snprintf(household_phone(h), PHONE_MAX, "03001234567");
    snprintf(household_head_cnic(h)->digits, CNIC_DIGITS + 1, "3520212345671");
    snprintf(household_address(h)->district, PLACE_NAME_MAX, "Lahore");
    household_housing(h)->rooms = 3;
    household_add_member(h, &p);
    household_clear(h);
    assert_string_equal(household_head_const(h)->name, "");
    assert_int_equal(household_head_const(h)->relation, REL_HEAD);
    assert_string_equal(household_phone_const(h), "");
    assert_string_equal(household_head_cnic_const(h)->digits, "");
    assert_string_equal(household_address_const(h)->district, "");
    assert_int_equal(household_housing_const(h)->rooms, 0);
    assert_int_equal(household_member_count(h), 0);
    household_clear(NULL);
    household_free(h);
}

static void test_null_household(void **state)
{
    (void)state;
    assert_null(household_head(NULL));
    assert_null(household_phone_const(NULL));
    assert_int_equal(household_member_count(NULL), 0);
    assert_int_equal(household_add_member(NULL, NULL), -1);
}

/* ----------------------------------------------------------------- dates */

static void test_date_parse_ok(void **state)
{
    static const struct {
        const char *text;
        struct date want;
    } cases[] = {
        {"05-03-1980", {1980, 3, 5}},   {"05031980", {1980, 3, 5}},
        {"5-3-1980", {1980, 3, 5}},     {" 29-02-2000 ", {2000, 2, 29}},
        {"31/12/1999", {1999, 12, 31}}, {"15-06-2025", {2025, 6, 15}},
        {"15-06-1905", {1905, 6, 15}},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct date d = {0, 0, 0};

        assert_null(date_parse(cases[i].text, &today, &d));
        assert_int_equal(d.year, cases[i].want.year);
        assert_int_equal(d.month, cases[i].want.month);
        assert_int_equal(d.day, cases[i].want.day);
    }
}

static void test_date_parse_refused(void **state)
{
    struct date d = {0, 0, 0};
    const char *empty, *shape, *month, *day, *future, *old;

    (void)state;
    empty = date_parse("  ", &today, &d);
    shape = date_parse("5-3-80", &today, &d);
    month = date_parse("05-13-1980", &today, &d);
    day = date_parse("29-02-1999", &today, &d);
    future = date_parse("16-06-2025", &today, &d);
    old = date_parse("14-06-1904", &today, &d);
    assert_non_null(empty);
    assert_non_null(shape);
    assert_non_null(month);
    assert_non_null(day);
    assert_non_null(future);
    assert_non_null(old);
    /* Each mistake gets its own explanation. */
    const char *all[] = {empty, shape, month, day, future, old};
    for (size_t i = 0; i < 6; i++)
        for (size_t j = i + 1; j < 6; j++)
            assert_string_not_equal(all[i], all[j]);

    assert_non_null(date_parse(NULL, &today, &d));
    assert_non_null(date_parse("31-04-2001", &today, &d));
    assert_non_null(date_parse("00-01-2001", &today, &d));
    assert_non_null(date_parse("1-1-2001x", &today, &d));
    assert_non_null(date_parse("123-1-2001", &today, &d));
    assert_non_null(date_parse("1--1-2001", &today, &d));
    assert_non_null(date_parse("0101200", &today, &d));
    assert_non_null(date_parse("29-02-1900", &today, &d));
    /* Untouched on error. */
    assert_int_equal(d.year, 0);
}

static void test_date_age(void **state)
{
    const struct date dob = {1980, 6, 15};
    const struct date leap = {2000, 2, 29};
    const struct date d1 = {2025, 6, 14}, d2 = {2025, 6, 15};
    const struct date feb28 = {2001, 2, 28}, mar1 = {2001, 3, 1};
    const struct date unknown = {0, 0, 0};
    char out[16];

    (void)state;
    assert_int_equal(date_age_on(&dob, &d1), 44);
    assert_int_equal(date_age_on(&dob, &d2), 45);
    assert_int_equal(date_age_on(&dob, &dob), 0);
    assert_int_equal(date_age_on(&leap, &feb28), 0);
    assert_int_equal(date_age_on(&leap, &mar1), 1);
    assert_int_equal(date_age_on(&d2, &dob), -1);
    assert_int_equal(date_age_on(&unknown, &d2), -1);
    assert_int_equal(date_age_on(NULL, &d2), -1);

    date_format(&leap, out, sizeof out);
    assert_string_equal(out, "29-02-2000");
    date_format(&unknown, out, sizeof out);
    assert_string_equal(out, "");
}

/* ----------------------------------------------------------------- phone */

static void test_phone(void **state)
{
    static const char *const good[] = {
        "03001234567",     "0300-1234567",    " 0300 123 4567 ", "+923001234567",
        "+92 300 1234567", "+92-300-1234567", "00923001234567",
    };
    static const char *const bad[] = {
        "0300123456",   "030012345678", "04001234567",  "+924001234567",  "+9230012345678",
        "923001234567", "0300-12345x7", "0300+1234567", "++923001234567", "0300123456789012345678",
    };
    char out[PHONE_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_null(phone_problem(good[i], out, sizeof out));
        assert_string_equal(out, "03001234567");
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_non_null(phone_problem(bad[i], out, sizeof out));
        assert_string_equal(out, "");
    }
    /* The phone is optional. */
    assert_null(phone_problem("", out, sizeof out));
    assert_string_equal(out, "");
    assert_null(phone_problem("  ", out, sizeof out));
    assert_null(phone_problem(NULL, out, sizeof out));
    /* Letters and wrong shape are explained differently. */
    assert_string_not_equal(phone_problem("0300-12345x7", out, sizeof out),
                            phone_problem("0300123456", out, sizeof out));
}

/* ----------------------------------------------------------------- names */

static void test_person_names(void **state)
{
    char longest[PERSON_NAME_MAX];
    char too_long[PERSON_NAME_MAX + 1];

    (void)state;
    assert_null(person_name_problem("Muhammad Ali"));
    assert_null(person_name_problem(URDU_NAME));
    assert_null(person_name_problem("  Bibi  "));
    assert_null(person_name_problem("Ali 2"));
    assert_non_null(person_name_problem(""));
    assert_non_null(person_name_problem("   \t "));
    assert_non_null(person_name_problem(NULL));
    assert_non_null(person_name_problem("123"));
    assert_non_null(person_name_problem("- ."));
    assert_non_null(person_name_problem("Ali\x01Khan"));
    assert_non_null(person_name_problem("Ali\x7f"));
    assert_non_null(person_name_problem("Ali\tKhan"));
    assert_non_null(person_name_problem("Ali \xd9")); /* cut-off UTF-8 */
    assert_non_null(person_name_problem("\xc2\x85")); /* C1 control */

    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    assert_null(person_name_problem(longest));
    memset(too_long, 'a', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    assert_non_null(person_name_problem(too_long));
    assert_string_not_equal(person_name_problem(too_long), person_name_problem(""));
}

static void test_place_names(void **state)
{
    char too_long[PLACE_NAME_MAX + 1];

    (void)state;
    assert_null(place_name_problem("Chak 123/GB"));
    assert_null(place_name_problem("\xd9\x84\xd8\xa7\xdb\x81\xd9\x88\xd8\xb1")); /* لاہور */
    assert_non_null(place_name_problem(""));
    assert_non_null(place_name_problem(" "));
    assert_non_null(place_name_problem("123"));
    assert_non_null(place_name_problem("Lahore\n"
                                       "x"));
    memset(too_long, 'a', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    assert_non_null(place_name_problem(too_long));
}

/* ----------------------------------------------------------------- codes */

static void test_code_round_trips(void **state)
{
    (void)state;
    for (int r = 0; r < REL_COUNT; r++) {
        assert_int_equal(relation_from_code(relation_code((enum relation)r)), r);
        assert_non_null(relation_label((enum relation)r));
    }
    for (int g = GENDER_UNKNOWN; g <= GENDER_TRANSGENDER; g++) {
        assert_int_equal(gender_from_code(gender_code((enum gender)g)), g);
        assert_non_null(gender_label((enum gender)g));
    }
    for (int t = 0; t < TOILET_COUNT; t++) {
        assert_int_equal(toilet_from_code(toilet_code((enum toilet)t)), t);
        assert_non_null(toilet_label((enum toilet)t));
    }
    for (int w = 0; w < WATER_COUNT; w++) {
        assert_int_equal(water_from_code(water_code((enum water)w)), w);
        assert_non_null(water_label((enum water)w));
    }
    for (int s = 0; s < STATUS_COUNT; s++) {
        assert_int_equal(reg_status_from_code(reg_status_code((enum reg_status)s)), s);
        assert_non_null(reg_status_text((enum reg_status)s));
        assert_non_null(reg_status_advice((enum reg_status)s));
    }
}

static void test_codes_known_values(void **state)
{
    (void)state;
    assert_string_equal(relation_code(REL_SON), "son");
    assert_string_equal(relation_label(REL_SON), "Son");
    assert_string_equal(toilet_code(TOILET_FLUSH_SEWER), "flush_sewer");
    assert_string_equal(toilet_label(TOILET_FLUSH_SEWER), "Flush to sewer");
    assert_string_equal(water_label(WATER_HAND_PUMP), "Hand pump");
    assert_string_equal(gender_label(GENDER_TRANSGENDER), "Transgender");
    assert_string_equal(reg_status_code(STATUS_PENDING_SYNC), "pending_sync");
    assert_string_equal(reg_status_code(STATUS_NOT_ELIGIBLE), "not_eligible");
    assert_string_equal(reg_status_code(STATUS_UNDER_REVIEW), "under_review");
    assert_string_equal(reg_status_text(STATUS_ELIGIBLE), "Eligible");
    assert_int_equal(relation_from_code("nephew"), -1);
    assert_int_equal(relation_from_code(NULL), -1);
    assert_int_equal(gender_from_code("Male"), -1);
    assert_int_equal(toilet_from_code(""), -1);
    assert_int_equal(water_from_code("well"), -1);
    assert_int_equal(reg_status_from_code("approved"), STATUS_NONE);
    assert_int_equal(reg_status_from_code(NULL), STATUS_NONE);
    assert_null(relation_code(REL_COUNT));
    assert_null(water_label(WATER_COUNT));
    assert_null(gender_code((enum gender)7));
    assert_string_equal(reg_status_code(STATUS_COUNT), "none");
}

/* ------------------------------------------------------------ name_mask */

/* Well-formed UTF-8, checked by hand so the test trusts nothing it tests. */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = *p < 0x80         ? 1
                   : (*p >> 5) == 6  ? 2
                   : (*p >> 4) == 14 ? 3
                   : (*p >> 3) == 30 ? 4
                                     : 0;
        if (n == 0)
            return false;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void test_name_mask_ascii(void **state)
{
    char out[64];

    (void)state;
    name_mask("Muhammad Ali", out, sizeof out);
    assert_string_equal(out, "M******* A**");
    name_mask("  Muhammad   Ali  ", out, sizeof out);
    assert_string_equal(out, "M******* A**");
    name_mask("A", out, sizeof out);
    assert_string_equal(out, "A");
    name_mask("", out, sizeof out);
    assert_string_equal(out, "");
    name_mask(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_name_mask_truncates(void **state)
{
    char out[8];

    (void)state;
    name_mask("Muhammad Ali", out, sizeof out);
    assert_string_equal(out, "M******");
    name_mask("Ali Raza", out, 5);
    assert_string_equal(out, "A**"); /* never ends on a separator */
    name_mask("Ali Raza", out, 6);
    assert_string_equal(out, "A** R");
    name_mask("Ali", out, 1);
    assert_string_equal(out, "");
    out[0] = 'x';
    name_mask("Ali", out, 0); /* no room even for the NUL: left alone */
    assert_int_equal(out[0], 'x');
}

static void test_name_mask_urdu(void **state)
{
    char out[64];

    (void)state;
    /* محمد علی: 4 and 3 characters, 2 bytes each. */
    name_mask(URDU_NAME, out, sizeof out);
    assert_true(valid_utf8(out));
    assert_string_equal(out, "\xd9\x85***"
                             " "
                             "\xd8\xb9**");
    /* Room for the first letter's first byte only: nothing is split. */
    name_mask(URDU_NAME, out, 2);
    assert_string_equal(out, "");
    name_mask(URDU_NAME, out, 3);
    assert_string_equal(out, "\xd9\x85");
    for (size_t sz = 1; sz < 20; sz++) {
        name_mask(URDU_NAME, out, sz);
        assert_true(valid_utf8(out));
        assert_true(strlen(out) < sz);
    }
    /* Three- and four-byte characters count as one each. */
    name_mask("\xe2\x82\xac\xe2\x82\xac \xf0\x9f\x98\x80\xf0\x9f\x98\x80x", out, sizeof out);
    assert_string_equal(out, "\xe2\x82\xac* \xf0\x9f\x98\x80**");
    /* Broken bytes never reach the screen. */
    name_mask("\xff\xfe Ali\xd9", out, sizeof out);
    assert_true(valid_utf8(out));
    assert_string_equal(out, "?* A***");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_household),
        cmocka_unit_test(test_add_set_remove),
        cmocka_unit_test(test_second_head_refused),
        cmocka_unit_test(test_capacity_limit),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_null_household),
        cmocka_unit_test(test_date_parse_ok),
        cmocka_unit_test(test_date_parse_refused),
        cmocka_unit_test(test_date_age),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_person_names),
        cmocka_unit_test(test_place_names),
        cmocka_unit_test(test_code_round_trips),
        cmocka_unit_test(test_codes_known_values),
        cmocka_unit_test(test_name_mask_ascii),
        cmocka_unit_test(test_name_mask_truncates),
        cmocka_unit_test(test_name_mask_urdu),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
