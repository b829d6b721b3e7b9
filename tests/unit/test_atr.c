/*
 * test_atr.c - unit tests for drivers/atr.c: what an ATR offers, and the
 * ATRs that lie (missing bytes, bad TCK, too long, extra bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/atr.h"

/* Appends the TCK (XOR of T0 to the last byte) to B[0..N). */
static size_t with_tck(uint8_t *b, size_t n)
{
    uint8_t x = 0;
    for (size_t i = 1; i < n; i++)
        x ^= b[i];
    b[n] = x;
    return n + 1;
}

static void test_t0_only(void **state)
{
    (void)state;
    /* TA1 TC1 present, no TD: T=0 only, no TCK; two historical bytes. */
    static const uint8_t b[] = {0x3B, 0x52, 0x13, 0x00, 0x14, 0x50};
    struct atr a;
    char why[64];
    assert_int_equal(atr_parse(b, sizeof b, &a, why, sizeof why), 0);
    assert_int_equal(a.protocols, 1);
    assert_int_equal(a.first_protocol, 0);
    assert_int_equal(a.ta1, 0x13);
    assert_false(a.has_tck);
    assert_int_equal(a.hist_len, 2);
    assert_int_equal(a.hist[1], 0x50);
    assert_int_equal(a.wi, 10);
    assert_int_equal(atr_choose_protocol(&a, 3), 0);
    assert_int_equal(atr_choose_protocol(&a, 2), -1);
    /* A TCK on a T=0-only ATR is a byte too many. */
    uint8_t c[8];
    memcpy(c, b, sizeof b);
    size_t n = with_tck(c, sizeof b);
    assert_int_equal(atr_parse(c, n, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: bytes after the declared end");
}

static void test_t1_params(void **state)
{
    (void)state;
    /* TD1 T=1, TD2 T=1 with TA3 IFSC 254, TB3 BWI 4 CWI 5, TC3 CRC. */
    uint8_t b[32] = {0x3B, 0x83, 0x81, 0x71, 0xFE, 0x45, 0x01, 'N', 'S', 'E'};
    size_t n = with_tck(b, 10);
    struct atr a;
    char why[64];
    assert_int_equal(atr_parse(b, n, &a, why, sizeof why), 0);
    assert_int_equal(a.protocols, 2);
    assert_int_equal(a.first_protocol, 1);
    assert_int_equal(a.ifsc, 254);
    assert_int_equal(a.bwi, 4);
    assert_int_equal(a.cwi, 5);
    assert_int_equal(a.edc, ATR_EDC_CRC);
    assert_true(a.has_tck);
    assert_int_equal(a.hist_len, 3);
    assert_int_equal(a.len, n);
    assert_int_equal(atr_choose_protocol(&a, 3), 1);
    assert_int_equal(atr_choose_protocol(&a, 1), -1);
    /* Bad TCK. */
    b[n - 1] ^= 1;
    assert_int_equal(atr_parse(b, n, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: bad TCK");
    /* TCK missing. */
    assert_int_equal(atr_parse(b, n - 1, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: TCK missing");
}

static void test_defaults_and_both(void **state)
{
    (void)state;
    /* TD1 T=0, TD2 T=1, one historical byte: both offered, T=0 first. */
    uint8_t b[8] = {0x3B, 0x81, 0x80, 0x01, 0x80};
    size_t n = with_tck(b, 5);
    struct atr a;
    assert_int_equal(atr_parse(b, n, &a, NULL, 0), 0);
    assert_int_equal(a.protocols, 3);
    assert_int_equal(a.first_protocol, 0);
    assert_int_equal(a.ifsc, 32);
    assert_int_equal(a.edc, ATR_EDC_LRC);
    assert_int_equal(atr_choose_protocol(&a, 3), 0);
    assert_int_equal(atr_choose_protocol(&a, 2), 1);
    /* TA2: specific mode, T=1. */
    uint8_t s[8] = {0x3B, 0x80, 0x11, 0x01};
    n = with_tck(s, 4);
    assert_int_equal(atr_parse(s, n, &a, NULL, 0), 0);
    assert_true(a.specific);
    assert_int_equal(a.specific_protocol, 1);
    assert_int_equal(atr_choose_protocol(&a, 3), 1);
    assert_int_equal(atr_choose_protocol(&a, 1), -1);
}

static void test_lies(void **state)
{
    (void)state;
    struct atr a;
    char why[64];
    static const uint8_t bad_ts[] = {0x3C, 0x00};
    assert_int_equal(atr_parse(bad_ts, 2, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: bad TS");
    static const uint8_t hist_missing[] = {0x3B, 0x05, 1, 2};
    assert_int_equal(atr_parse(hist_missing, 4, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: historical bytes missing");
    static const uint8_t iface_missing[] = {0x3B, 0xF0, 0x11};
    assert_int_equal(atr_parse(iface_missing, 3, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: interface bytes missing");
    uint8_t longer[40] = {0x3B, 0x0F};
    assert_int_equal(atr_parse(longer, 34, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: longer than 33 bytes");
    assert_int_equal(atr_parse(longer, 1, &a, why, sizeof why), -1);
    assert_int_equal(atr_parse(NULL, 0, &a, why, sizeof why), -1);
    /* IFSC FF is reserved. */
    uint8_t ifsc[8] = {0x3B, 0x80, 0x81, 0x11, 0xFF};
    size_t n = with_tck(ifsc, 5);
    assert_int_equal(atr_parse(ifsc, n, &a, why, sizeof why), -1);
    assert_string_equal(why, "ATR: invalid IFSC");
    /* A chain of TDs that runs off the end. */
    static const uint8_t chain[] = {0x3B, 0x80, 0x80, 0x80, 0x80};
    assert_int_equal(atr_parse(chain, sizeof chain, &a, why, sizeof why), -1);
    /* Inverse convention as a reader reports it after decoding. */
    static const uint8_t inv[] = {0x3F, 0x00};
    assert_int_equal(atr_parse(inv, 2, &a, why, sizeof why), 0);
    assert_true(a.inverse);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t0_only),
        cmocka_unit_test(test_t1_params),
        cmocka_unit_test(test_defaults_and_both),
        cmocka_unit_test(test_lies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
