/*
 * test_scan_assembler.c - unit tests for drivers/scan_assembler.c: scans
 * ended by a terminator or a quiet gap, too-long scans, empty scans.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/scan_assembler.h"

static enum scan_result key(struct scan_assembler *a, const char *text, int64_t t)
{
    struct hid_key k = {HID_KEY_CHAR, ""};
    strncpy(k.text, text, sizeof k.text - 1);
    return scan_assembler_key(a, &k, t);
}

static enum scan_result enter(struct scan_assembler *a, int64_t t)
{
    struct hid_key k = {HID_KEY_TERMINATOR, ""};
    return scan_assembler_key(a, &k, t);
}

static void assert_text(struct scan_assembler *a, const char *want)
{
    size_t len;
    const char *s = scan_assembler_text(a, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(s, want, len);
}

static void test_terminator_ends_scan(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    assert_non_null(a);
    assert_int_equal(scan_assembler_deadline(a), -1);
    assert_int_equal(key(a, "1", 0), SCAN_NONE);
    assert_int_equal(key(a, "2", 10), SCAN_NONE);
    assert_true(scan_assembler_busy(a));
    assert_int_equal(scan_assembler_deadline(a), 110);
    assert_int_equal(key(a, "\xC3\xA4", 20), SCAN_NONE);
    assert_int_equal(enter(a, 30), SCAN_COMPLETE);
    assert_text(a, "12\xC3\xA4");
    assert_false(scan_assembler_busy(a));
    assert_int_equal(scan_assembler_deadline(a), -1);
    scan_assembler_free(a);
}

static void test_gap_ends_scan(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    key(a, "4", 0);
    key(a, "2", 50);
    assert_int_equal(scan_assembler_tick(a, 149), SCAN_NONE);
    assert_int_equal(scan_assembler_tick(a, 150), SCAN_COMPLETE);
    assert_text(a, "42");
    assert_int_equal(scan_assembler_tick(a, 500), SCAN_NONE);
    scan_assembler_free(a);
}

static void test_gap_seen_at_next_key(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    key(a, "7", 0);
    /* No tick came; the next key after the gap finishes the first scan
     * and starts the next one. */
    assert_int_equal(key(a, "8", 400), SCAN_COMPLETE);
    assert_text(a, "7");
    assert_int_equal(enter(a, 410), SCAN_COMPLETE);
    assert_text(a, "8");
    /* A terminator after a gap: the earlier scan, no empty one. */
    key(a, "9", 500);
    assert_int_equal(enter(a, 900), SCAN_COMPLETE);
    assert_text(a, "9");
    assert_int_equal(enter(a, 910), SCAN_NONE);
    scan_assembler_free(a);
}

static void test_empty_scans_ignored(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    assert_int_equal(enter(a, 0), SCAN_NONE);
    assert_int_equal(enter(a, 1), SCAN_NONE);
    assert_int_equal(key(a, "", 2), SCAN_NONE);
    assert_int_equal(scan_assembler_tick(a, 1000), SCAN_NONE);
    scan_assembler_free(a);
}

static void test_too_long_once_then_dropped(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    int64_t t = 0;
    for (int i = 0; i < SCAN_PAYLOAD_MAX; i++)
        assert_int_equal(key(a, "5", t++), SCAN_NONE);
    assert_int_equal(key(a, "5", t++), SCAN_TOO_LONG);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(key(a, "5", t++), SCAN_NONE);
    assert_int_equal(enter(a, t++), SCAN_NONE);
    /* The next scan is whole again. */
    key(a, "1", t++);
    assert_int_equal(enter(a, t++), SCAN_COMPLETE);
    assert_text(a, "1");
    /* Too long, ended by a gap this time. */
    for (int i = 0; i <= SCAN_PAYLOAD_MAX; i++)
        key(a, "6", t++);
    assert_int_equal(scan_assembler_tick(a, t + 100), SCAN_NONE);
    assert_false(scan_assembler_busy(a));
    scan_assembler_free(a);
}

static void test_exactly_max_and_multibyte_edge(void **state)
{
    (void)state;
    struct scan_assembler *a = scan_assembler_new(100);
    for (int i = 0; i < SCAN_PAYLOAD_MAX - 1; i++)
        key(a, "x", 0);
    /* Two bytes do not fit in the one left: never half a character. */
    assert_int_equal(key(a, "\xC3\xA4", 0), SCAN_TOO_LONG);
    enter(a, 0);
    for (int i = 0; i < SCAN_PAYLOAD_MAX; i++)
        key(a, "y", 0);
    assert_int_equal(enter(a, 0), SCAN_COMPLETE);
    size_t len;
    scan_assembler_text(a, &len);
    assert_int_equal(len, SCAN_PAYLOAD_MAX);
    scan_assembler_free(a);
}

static void test_reset_and_bad_gap(void **state)
{
    (void)state;
    assert_null(scan_assembler_new(0));
    struct scan_assembler *a = scan_assembler_new(50);
    key(a, "1", 0);
    scan_assembler_reset(a);
    assert_int_equal(enter(a, 1), SCAN_NONE);
    /* A clock that goes backwards is not a gap. */
    key(a, "2", 1000);
    assert_int_equal(key(a, "3", 10), SCAN_NONE);
    assert_int_equal(enter(a, 11), SCAN_COMPLETE);
    assert_text(a, "23");
    scan_assembler_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminator_ends_scan),
        cmocka_unit_test(test_gap_ends_scan),
        cmocka_unit_test(test_gap_seen_at_next_key),
        cmocka_unit_test(test_empty_scans_ignored),
        cmocka_unit_test(test_too_long_once_then_dropped),
        cmocka_unit_test(test_exactly_max_and_multibyte_edge),
        cmocka_unit_test(test_reset_and_bad_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
