/*
 * test_apdu.c - unit tests for drivers/apdu.c: building the four cases,
 * reading responses, and following 61xx (GET RESPONSE) and 6Cxx (again
 * with the right Le) to the final answer, in T=1 and T=0 ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/apdu.h"

static void test_build_cases(void **state)
{
    (void)state;
    uint8_t b[APDU_CMD_MAX];
    static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x09, 0x99};
    assert_int_equal(apdu_build(b, sizeof b, 0, 0xA4, 4, 0, NULL, 0, -1), 4);
    assert_int_equal(apdu_case_of(b, 4), APDU_CASE_1);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0xB0, 0, 0, NULL, 0, 256), 5);
    assert_int_equal(b[4], 0x00);
    assert_int_equal(apdu_case_of(b, 5), APDU_CASE_2);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0xA4, 4, 0, aid, 5, -1), 10);
    assert_int_equal(b[4], 5);
    assert_int_equal(apdu_case_of(b, 10), APDU_CASE_3);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0xA4, 4, 0, aid, 5, 16), 11);
    assert_int_equal(b[10], 16);
    assert_int_equal(apdu_case_of(b, 11), APDU_CASE_4);
    assert_int_equal(apdu_case_of(b, 12), -1);
    assert_int_equal(apdu_case_of(b, 3), -1);
    b[4] = 0; /* extended length marker */
    assert_int_equal(apdu_case_of(b, 8), -1);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0, 0, 0, NULL, 0, 0), 0);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0, 0, 0, NULL, 0, 257), 0);
    assert_int_equal(apdu_build(b, sizeof b, 0, 0, 0, 0, aid, 256, -1), 0);
    assert_int_equal(apdu_build(b, 9, 0, 0xA4, 4, 0, aid, 5, -1), 0);
}

static void test_resp(void **state)
{
    (void)state;
    struct apdu_resp r;
    static const uint8_t ok[] = {'a', 'b', 0x90, 0x00};
    assert_int_equal(apdu_resp_parse(ok, 4, &r), 0);
    assert_int_equal(r.len, 2);
    assert_int_equal(r.sw, 0x9000);
    assert_int_equal(apdu_resp_parse(ok + 2, 2, &r), 0);
    assert_null(r.data);
    assert_int_equal(apdu_resp_parse(ok, 1, &r), -1);
    assert_int_equal(apdu_resp_parse(ok, APDU_RESP_MAX + 1, &r), -1);
    assert_int_equal(apdu_sw_classify(0x9000), APDU_SW_CLASS_OK);
    assert_int_equal(apdu_sw_classify(0x6282), APDU_SW_CLASS_WARNING);
    assert_int_equal(apdu_sw_classify(0x6310), APDU_SW_CLASS_WARNING);
    assert_int_equal(apdu_sw_classify(0x6110), APDU_SW_CLASS_MORE);
    assert_int_equal(apdu_sw_classify(0x6C10), APDU_SW_CLASS_MORE);
    assert_int_equal(apdu_sw_classify(0x6A82), APDU_SW_CLASS_ERROR);
}

static void test_get_response(void **state)
{
    (void)state;
    struct apdu_xchg x;
    static const uint8_t sel[] = {0x00, 0xA4, 0x04, 0x00, 0x02, 0x3F, 0x00, 0x00};
    /* T=0: the case 4 command goes without its Le. */
    assert_int_equal(apdu_xchg_start(&x, sel, sizeof sel, true), 0);
    assert_int_equal(x.cmd_len, 7);
    static const uint8_t r1[] = {0x61, 0x03};
    assert_int_equal(apdu_xchg_feed(&x, r1, 2), APDU_STEP_SEND);
    static const uint8_t gr[] = {0x00, 0xC0, 0x00, 0x00, 0x03};
    assert_int_equal(x.cmd_len, 5);
    assert_memory_equal(x.cmd, gr, 5);
    static const uint8_t r2[] = {1, 2, 0x61, 0x00}; /* part, and 256 more */
    assert_int_equal(apdu_xchg_feed(&x, r2, 4), APDU_STEP_SEND);
    assert_int_equal(x.cmd[4], 0x00);
    static const uint8_t r3[] = {3, 0x90, 0x00};
    assert_int_equal(apdu_xchg_feed(&x, r3, 3), APDU_STEP_DONE);
    assert_int_equal(x.sw, 0x9000);
    assert_int_equal(x.data_len, 3);
    assert_int_equal(x.data[2], 3);
    /* T=1: the command goes whole. */
    assert_int_equal(apdu_xchg_start(&x, sel, sizeof sel, false), 0);
    assert_int_equal(x.cmd_len, 8);
    /* T=0 case 1 gets a P3 of 00. */
    assert_int_equal(apdu_xchg_start(&x, sel, 4, true), 0);
    assert_int_equal(x.cmd_len, 5);
    assert_int_equal(x.cmd[4], 0);
    assert_int_equal(apdu_xchg_start(&x, sel, 3, true), -1);
}

static void test_wrong_le(void **state)
{
    (void)state;
    struct apdu_xchg x;
    static const uint8_t rb[] = {0x00, 0xB0, 0x00, 0x10, 0x00};
    assert_int_equal(apdu_xchg_start(&x, rb, sizeof rb, true), 0);
    static const uint8_t r1[] = {0x6C, 0x05};
    assert_int_equal(apdu_xchg_feed(&x, r1, 2), APDU_STEP_SEND);
    static const uint8_t again[] = {0x00, 0xB0, 0x00, 0x10, 0x05};
    assert_memory_equal(x.cmd, again, 5);
    static const uint8_t r2[] = {1, 2, 3, 4, 5, 0x90, 0x00};
    assert_int_equal(apdu_xchg_feed(&x, r2, sizeof r2), APDU_STEP_DONE);
    assert_int_equal(x.data_len, 5);
    /* 6Cxx on a case 3 command in T=0 cannot be followed. */
    static const uint8_t sel[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01};
    assert_int_equal(apdu_xchg_start(&x, sel, sizeof sel, true), 0);
    assert_int_equal(apdu_xchg_feed(&x, r1, 2), APDU_STEP_ERROR);
    /* ... but in T=1 it gets an Le. */
    assert_int_equal(apdu_xchg_start(&x, sel, sizeof sel, false), 0);
    assert_int_equal(apdu_xchg_feed(&x, r1, 2), APDU_STEP_SEND);
    assert_int_equal(x.cmd_len, 8);
    assert_int_equal(x.cmd[7], 5);
}

static void test_errors_and_limits(void **state)
{
    (void)state;
    struct apdu_xchg x;
    static const uint8_t rb[] = {0x00, 0xB0, 0x00, 0x00, 0x10};
    assert_int_equal(apdu_xchg_start(&x, rb, sizeof rb, false), 0);
    static const uint8_t nf[] = {0x6A, 0x82};
    assert_int_equal(apdu_xchg_feed(&x, nf, 2), APDU_STEP_DONE);
    assert_int_equal(x.sw, 0x6A82);
    /* A card that answers 61xx for ever is given up on. */
    assert_int_equal(apdu_xchg_start(&x, rb, sizeof rb, false), 0);
    static const uint8_t more[] = {0x61, 0x01};
    int i;
    for (i = 0; i < 100; i++)
        if (apdu_xchg_feed(&x, more, 2) != APDU_STEP_SEND)
            break;
    assert_int_equal(i, APDU_XCHG_MAX_ROUNDS);
    /* Short or oversized answers. */
    assert_int_equal(apdu_xchg_start(&x, rb, sizeof rb, false), 0);
    assert_int_equal(apdu_xchg_feed(&x, more, 1), APDU_STEP_ERROR);
    /* More gathered data than the buffer holds. */
    static uint8_t big[258];
    memset(big, 'x', sizeof big);
    big[256] = 0x61;
    big[257] = 0x00;
    assert_int_equal(apdu_xchg_start(&x, rb, sizeof rb, false), 0);
    int step = APDU_STEP_SEND;
    for (i = 0; i < 10 && step == APDU_STEP_SEND; i++)
        step = apdu_xchg_feed(&x, big, sizeof big);
    assert_int_equal(step, APDU_STEP_ERROR);
    assert_true(x.data_len <= APDU_XCHG_DATA_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_cases),       cmocka_unit_test(test_resp),
        cmocka_unit_test(test_get_response),      cmocka_unit_test(test_wrong_le),
        cmocka_unit_test(test_errors_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
