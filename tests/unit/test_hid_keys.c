/*
 * test_hid_keys.c - unit tests for drivers/hid_keys.c: boot keyboard
 * reports from a barcode scanner turned into characters, per layout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/hid_keys.h"

/* Types STEPS (each a modifier byte and one key code, pressed then
 * released) and returns what came out, terminators as '\n'. */
struct step {
    uint8_t mods, code;
};

static void type(struct hid_keys *k, const struct step *steps, size_t n, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        uint8_t press[8] = {steps[i].mods, 0, steps[i].code, 0, 0, 0, 0, 0};
        uint8_t release[8] = {0};
        struct hid_key keys[HID_KEYS_MAX];
        size_t got = 0;
        assert_int_equal(hid_keys_decode(k, press, 8, keys, &got), HID_OK);
        for (size_t j = 0; j < got; j++) {
            const char *s = keys[j].kind == HID_KEY_TERMINATOR ? "\n" : keys[j].text;
            size_t sl = strlen(s);
            assert_true(len + sl < outsz);
            memcpy(out + len, s, sl + 1);
            len += sl;
        }
        assert_int_equal(hid_keys_decode(k, release, 8, keys, &got), HID_OK);
        assert_int_equal(got, 0);
    }
}

#define S 0x02 /* left shift */
#define R 0x20 /* right shift */
#define G 0x40 /* AltGr */

static void test_us_digits_letters_shift(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_US);
    assert_non_null(k);
    const struct step s[] = {{0, 0x20}, {0, 0x21}, {S, 0x2D}, {0, 0x1E}, {0, 0x27},
                             {R, 0x04}, {0, 0x05}, {S, 0x1F}, {0, 0x2C}, {0, 0x28}};
    char out[64];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "34_10Ab@ \n");
    hid_keys_free(k);
}

static void test_terminators_and_keypad(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_US);
    const struct step s[] = {{0, 0x59}, {0, 0x62}, {0, 0x56}, {0, 0x58}, {0, 0x61}, {0, 0x2B}};
    char out[64];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "10-\n9\n");
    hid_keys_free(k);
}

static void test_key_counts_once_while_held(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_US);
    struct hid_key keys[HID_KEYS_MAX];
    size_t n;
    const uint8_t a[8] = {0, 0, 0x1E, 0, 0, 0, 0, 0};
    const uint8_t ab[8] = {0, 0, 0x1E, 0x1F, 0, 0, 0, 0};
    const uint8_t b[8] = {0, 0, 0x1F, 0, 0, 0, 0, 0};
    const uint8_t none[8] = {0};
    assert_int_equal(hid_keys_decode(k, a, 8, keys, &n), HID_OK);
    assert_int_equal(n, 1);
    assert_string_equal(keys[0].text, "1");
    assert_int_equal(hid_keys_decode(k, a, 8, keys, &n), HID_OK); /* still held */
    assert_int_equal(n, 0);
    assert_int_equal(hid_keys_decode(k, ab, 8, keys, &n), HID_OK);
    assert_int_equal(n, 1);
    assert_string_equal(keys[0].text, "2");
    assert_int_equal(hid_keys_decode(k, b, 8, keys, &n), HID_OK); /* 1 released */
    assert_int_equal(n, 0);
    assert_int_equal(hid_keys_decode(k, none, 8, keys, &n), HID_OK);
    assert_int_equal(hid_keys_decode(k, b, 8, keys, &n), HID_OK); /* pressed again */
    assert_int_equal(n, 1);
    /* Several new keys in one report, in report order; a duplicate once. */
    const uint8_t many[8] = {0, 0, 0x20, 0x21, 0x21, 0x22, 0, 0};
    assert_int_equal(hid_keys_decode(k, none, 8, keys, &n), HID_OK);
    assert_int_equal(hid_keys_decode(k, many, 8, keys, &n), HID_OK);
    assert_int_equal(n, 3);
    assert_string_equal(keys[0].text, "3");
    assert_string_equal(keys[1].text, "4");
    assert_string_equal(keys[2].text, "5");
    hid_keys_free(k);
}

static void test_rollover_and_bad_length(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_US);
    struct hid_key keys[HID_KEYS_MAX];
    size_t n = 99;
    const uint8_t a[8] = {0, 0, 0x1E, 0, 0, 0, 0, 0};
    const uint8_t phantom[8] = {0, 0, 1, 1, 1, 1, 1, 1};
    const uint8_t post[8] = {0, 0, 0x1E, 0x02, 0, 0, 0, 0};
    assert_int_equal(hid_keys_decode(k, a, 8, keys, &n), HID_OK);
    assert_int_equal(hid_keys_decode(k, phantom, 8, keys, &n), HID_ROLLOVER);
    assert_int_equal(n, 0);
    assert_int_equal(hid_keys_decode(k, post, 8, keys, &n), HID_ROLLOVER);
    /* The phantom changed nothing: 1 is still held, not typed again. */
    assert_int_equal(hid_keys_decode(k, a, 8, keys, &n), HID_OK);
    assert_int_equal(n, 0);
    n = 99;
    assert_int_equal(hid_keys_decode(k, a, 7, keys, &n), HID_BAD_LENGTH);
    assert_int_equal(n, 0);
    assert_int_equal(hid_keys_decode(k, a, 0, keys, &n), HID_BAD_LENGTH);
    const uint8_t nine[9] = {0, 0, 0x1F, 0, 0, 0, 0, 0, 0};
    assert_int_equal(hid_keys_decode(k, nine, 9, keys, &n), HID_BAD_LENGTH);
    assert_int_equal(hid_keys_decode(k, NULL, 8, keys, &n), HID_BAD_LENGTH);
    assert_string_equal(hid_result_text(HID_BAD_LENGTH), "report is not 8 bytes");
    hid_keys_free(k);
}

static void test_unknown_keys_skipped_and_ctrl(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_US);
    /* F1, arrow, Escape, a code past the table, then Ctrl+] (GS). */
    const struct step s[] = {{0, 0x3A}, {0, 0x4F}, {0, 0x29}, {0, 0xE8}, {0x01, 0x30}, {0, 0x1E}};
    char out[16];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "\x1D"
                             "1");
    hid_keys_free(k);
}

static void test_uk(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_UK);
    const struct step s[] = {{S, 0x1F}, {S, 0x34}, {S, 0x20}, {0, 0x32}, {0, 0x64}, {G, 0x21}};
    char out[32];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "\"@\xC2\xA3#\\\xE2\x82\xAC");
    hid_keys_free(k);
}

static void test_de(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_DE);
    /* y and z swapped; - is on the / key; AltGr+q is @; Shift+7 is /. */
    const struct step s[] = {{0, 0x1C}, {0, 0x1D}, {0, 0x38}, {G, 0x14}, {S, 0x24},
                             {0, 0x1E}, {0, 0x34}, {S, 0x27}, {G, 0x25}};
    char out[32];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "zy-@/1\xC3\xA4=[");
    hid_keys_free(k);
}

static void test_de_dead_keys(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_DE);
    /* ^ then Space types ^; ^ then 5 drops the accent, keeps the 5. */
    const struct step s[] = {{0, 0x35}, {0, 0x2C}, {0, 0x35}, {0, 0x22}, {S, 0x35}};
    char out[32];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "^5\xC2\xB0");
    hid_keys_free(k);
}

static void test_fr_digits_need_shift(void **state)
{
    (void)state;
    struct hid_keys *k = hid_keys_new(HID_LAYOUT_FR);
    const struct step s[] = {{S, 0x20}, {S, 0x26}, {0, 0x23}, {0, 0x1E}, {0, 0x04},
                             {0, 0x14}, {0, 0x33}, {G, 0x27}, {0, 0x28}};
    char out[32];
    type(k, s, sizeof s / sizeof s[0], out, sizeof out);
    assert_string_equal(out, "39-&qam@\n");
    hid_keys_free(k);
}

static void test_layout_names(void **state)
{
    (void)state;
    enum hid_layout l;
    assert_int_equal(hid_layout_from_name("us", &l), 0);
    assert_int_equal(l, HID_LAYOUT_US);
    assert_int_equal(hid_layout_from_name("fr", &l), 0);
    assert_int_equal(l, HID_LAYOUT_FR);
    assert_int_equal(hid_layout_from_name("xx", &l), -1);
    assert_int_equal(hid_layout_from_name(NULL, &l), -1);
    assert_null(hid_keys_new((enum hid_layout)9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_us_digits_letters_shift),
        cmocka_unit_test(test_terminators_and_keypad),
        cmocka_unit_test(test_key_counts_once_while_held),
        cmocka_unit_test(test_rollover_and_bad_length),
        cmocka_unit_test(test_unknown_keys_skipped_and_ctrl),
        cmocka_unit_test(test_uk),
        cmocka_unit_test(test_de),
        cmocka_unit_test(test_de_dead_keys),
        cmocka_unit_test(test_fr_digits_need_shift),
        cmocka_unit_test(test_layout_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
