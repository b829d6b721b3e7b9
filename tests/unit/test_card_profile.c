/*
 * test_card_profile.c - unit tests for kiosk/card_profile.c: the shipped
 * default, each card_* key read and refused, and values written back the
 * way they are read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/card_profile.h"

static void test_default(void **state)
{
    (void)state;
    struct card_profile p;
    static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x09, 0x99, 0x4E, 0x53, 0x45, 0x52};
    card_profile_default(&p);
    assert_int_equal(p.aid_len, sizeof aid);
    assert_memory_equal(p.aid, aid, sizeof aid);
    assert_true(p.cnic.present);
    assert_int_equal(p.cnic.file, 0x0101);
    assert_int_equal(p.cnic.tag, 0x5F01);
    assert_int_equal(p.name.tag, 0x5F02);
    assert_int_equal(p.dob.tag, 0x5F03);
    assert_int_equal(p.dob_format, CARD_DOB_YYYYMMDD);
}

static void test_set_ok(void **state)
{
    (void)state;
    struct card_profile p;
    char err[128];
    card_profile_default(&p);
    assert_int_equal(card_profile_set(&p, "card_aid", "D2:76:00:01:24:01", err, sizeof err), 0);
    assert_int_equal(p.aid_len, 6);
    assert_int_equal(p.aid[0], 0xD2);
    assert_int_equal(card_profile_set(&p, "card_aid", "a000000999", err, sizeof err), 0);
    assert_int_equal(p.aid_len, 5);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0102/9F8101", err, sizeof err), 0);
    assert_int_equal(p.cnic.file, 0x0102);
    assert_int_equal(p.cnic.tag, 0x9F8101);
    assert_int_equal(card_profile_set(&p, "card_name", "none", err, sizeof err), 0);
    assert_false(p.name.present);
    assert_int_equal(card_profile_set(&p, "card_dob", "0103/80", err, sizeof err), 0);
    assert_int_equal(p.dob.tag, 0x80);
    assert_int_equal(card_profile_set(&p, "card_dob_format", "DDMMYYYY", err, sizeof err), 0);
    assert_int_equal(p.dob_format, CARD_DOB_DDMMYYYY);
    assert_int_equal(card_profile_set(&p, "language", "en", err, sizeof err), 1);
}

static void test_set_refused(void **state)
{
    (void)state;
    struct card_profile p, before;
    char err[128];
    card_profile_default(&p);
    before = p;
    assert_int_equal(card_profile_set(&p, "card_aid", "A0 00 00", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_aid", "A0 00 00 09 9", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_aid",
                                      "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00", err,
                                      sizeof err),
                     -1); /* 17 bytes */
    assert_int_equal(card_profile_set(&p, "card_aid", "A0 00 00 09 ZZ", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "none", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "101/5F01", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101/5F", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101/5F81", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101/1F", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101/9F818101", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_cnic", "0101/5F01", err, sizeof err), 0);
    assert_int_equal(card_profile_set(&p, "card_name", "", err, sizeof err), -1);
    assert_int_equal(card_profile_set(&p, "card_dob_format", "yyyymmdd", err, sizeof err), -1);
    assert_memory_equal(&p, &before, sizeof p);
}

static void roundtrip(const char *key, const char *value)
{
    struct card_profile p;
    char err[128], out[64];
    card_profile_default(&p);
    assert_int_equal(card_profile_set(&p, key, value, err, sizeof err), 0);
    card_profile_get(&p, key, out, sizeof out);
    assert_string_equal(out, value);
}

static void test_get_roundtrip(void **state)
{
    (void)state;
    roundtrip("card_aid", "A0 00 00 09 99 4E 53 45 52");
    roundtrip("card_cnic", "0101/5F01");
    roundtrip("card_name", "none");
    roundtrip("card_name", "0A0B/9F8101");
    roundtrip("card_dob", "0101/80");
    roundtrip("card_dob_format", "DDMMYYYY");
    struct card_profile p;
    char tiny[5];
    card_profile_default(&p);
    card_profile_get(&p, "card_aid", tiny, sizeof tiny); /* cut, never overflowed */
    assert_true(strlen(tiny) < sizeof tiny);
    card_profile_get(&p, "nothing", tiny, sizeof tiny);
    assert_string_equal(tiny, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_set_ok),
        cmocka_unit_test(test_set_refused),
        cmocka_unit_test(test_get_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
