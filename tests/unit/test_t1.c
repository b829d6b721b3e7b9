/*
 * test_t1.c - unit tests for drivers/t1.c: the T=1 block protocol played
 * block by block against a scripted card: plain exchanges, chaining both
 * ways, S(WTX), S(IFS), garbled blocks, retransmission, resynch, abort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/t1.h"

static uint8_t blk[T1_BLOCK_MAX];
static size_t blk_len;

/* The card's block PCB with INF. */
static const uint8_t *card(uint8_t pcb, const void *inf, size_t len)
{
    blk_len = t1_block(blk, sizeof blk, pcb, inf, len, false);
    return blk;
}

/* What the kiosk sends now must be PCB with INF. */
static void expect_out(const struct t1 *t, uint8_t pcb, const void *inf, size_t len)
{
    uint8_t want[T1_BLOCK_MAX];
    size_t wl = t1_block(want, sizeof want, pcb, inf, len, t->crc);
    size_t n;
    const uint8_t *o = t1_out(t, &n);
    assert_int_equal(n, wl);
    assert_memory_equal(o, want, wl);
}

static const uint8_t APDU[] = {0x00, 0xB0, 0x00, 0x00, 0x04};
static const uint8_t OK[] = {0x90, 0x00};

static void test_plain_exchanges(void **state)
{
    (void)state;
    struct t1 t;
    size_t n;
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    expect_out(&t, 0x00, APDU, sizeof APDU);
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
    const uint8_t *r = t1_response(&t, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(r, OK, 2);
    /* The second command and answer carry sequence 1. */
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    expect_out(&t, 0x40, APDU, sizeof APDU);
    card(0x40, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
    /* A block when nothing was asked is an error. */
    char why[64];
    assert_int_equal(t1_feed(&t, blk, blk_len, why, sizeof why), T1_STEP_ERROR);
}

static void test_chained_command(void **state)
{
    (void)state;
    struct t1 t;
    static const uint8_t cmd[] = {0x00, 0xA4, 0x04, 0x00, 0x05, 1, 2, 3, 4, 5};
    t1_init(&t, 4, false);
    assert_int_equal(t1_begin(&t, cmd, sizeof cmd), 0);
    expect_out(&t, 0x20, cmd, 4); /* I(0, more) */
    card(0x90, NULL, 0);          /* R(1): next */
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x60, cmd + 4, 4); /* I(1, more) */
    card(0x80, NULL, 0);              /* R(0): next */
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x00, cmd + 8, 2); /* I(0) last */
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
}

static void test_chained_answer(void **state)
{
    (void)state;
    struct t1 t;
    size_t n;
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    card(0x20, "ab", 2); /* I(0, more) */
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x90, NULL, 0); /* R(1) */
    static const uint8_t last[] = {'c', 0x90, 0x00};
    card(0x40, last, 3);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
    const uint8_t *r = t1_response(&t, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(r, "abc\x90\x00", 5);
    /* Next command: we are at N(S)=1, the card at 0 again. */
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    expect_out(&t, 0x40, APDU, sizeof APDU);
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
}

static void test_wtx_and_ifs(void **state)
{
    (void)state;
    struct t1 t;
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    uint8_t m = 3;
    card(T1_S_WTX, &m, 1);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, T1_S_WTX | T1_S_RESPONSE, &m, 1);
    assert_int_equal(t1_take_wtx(&t), 3);
    assert_int_equal(t1_take_wtx(&t), 0);
    uint8_t ifs = 0x80;
    card(T1_S_IFS, &ifs, 1);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, T1_S_IFS | T1_S_RESPONSE, &ifs, 1);
    assert_int_equal(t.ifsc, 0x80);
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
}

static void test_garbled_and_retransmit(void **state)
{
    (void)state;
    struct t1 t;
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    card(0x00, OK, 2);
    blk[3] ^= 0x01; /* EDC no longer matches */
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x81, NULL, 0); /* R(0) with an EDC error */
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len - 1, NULL, 0), T1_STEP_SEND); /* cut short */
    expect_out(&t, 0x81, NULL, 0);
    card(0x40, OK, 2); /* wrong sequence */
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x82, NULL, 0);
    card(0x00, OK, 2);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_DONE);
    /* The card asks for our block again with R(N(R) = our N(S)). */
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    card(0x80 | 0x10, NULL, 0);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x40, APDU, sizeof APDU);
}

static void test_resynch(void **state)
{
    (void)state;
    struct t1 t;
    char why[64];
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    static const uint8_t junk[] = {0x00, 0x00, 0x09, 0x00};
    for (int i = 0; i < T1_MAX_RETRIES; i++) {
        assert_int_equal(t1_feed(&t, junk, sizeof junk, NULL, 0), T1_STEP_SEND);
        expect_out(&t, 0x81, NULL, 0);
    }
    assert_int_equal(t1_feed(&t, junk, sizeof junk, NULL, 0), T1_STEP_SEND);
    expect_out(&t, T1_S_RESYNCH, NULL, 0);
    card(T1_S_RESYNCH | T1_S_RESPONSE, NULL, 0);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    expect_out(&t, 0x00, APDU, sizeof APDU); /* the command again, from sequence 0 */
    /* Garbage again after the resynch: given up on. */
    int step = T1_STEP_SEND;
    for (int i = 0; i < 10 && step == T1_STEP_SEND; i++)
        step = t1_feed(&t, junk, sizeof junk, why, sizeof why);
    assert_int_equal(step, T1_STEP_ERROR);
}

static void test_abort_and_limits(void **state)
{
    (void)state;
    struct t1 t;
    char why[64];
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    card(T1_S_ABORT, NULL, 0);
    assert_int_equal(t1_feed(&t, blk, blk_len, why, sizeof why), T1_STEP_ERROR);
    assert_string_equal(why, "T=1: card aborted the exchange");
    static uint8_t huge[APDU_CMD_MAX + 1];
    assert_int_equal(t1_begin(&t, huge, sizeof huge), -1);
    assert_int_equal(t1_begin(&t, huge, 0), -1);
    /* An answer longer than a short response. */
    t1_init(&t, 32, false);
    assert_int_equal(t1_begin(&t, APDU, sizeof APDU), 0);
    static uint8_t part[200];
    card(0x20, part, sizeof part);
    assert_int_equal(t1_feed(&t, blk, blk_len, NULL, 0), T1_STEP_SEND);
    card(0x60, part, sizeof part);
    assert_int_equal(t1_feed(&t, blk, blk_len, why, sizeof why), T1_STEP_ERROR);
}

static void test_crc(void **state)
{
    (void)state;
    /* ISO/IEC 13239 CRC without the final inversion: 6F91 for "123456789". */
    assert_int_equal(t1_crc((const uint8_t *)"123456789", 9), 0x6F91);
    uint8_t b[T1_BLOCK_MAX];
    size_t n = t1_block(b, sizeof b, 0x00, OK, 2, true);
    assert_int_equal(n, 7);
    uint8_t pcb;
    const uint8_t *inf;
    size_t il;
    assert_int_equal(t1_check(b, n, true, &pcb, &inf, &il), 0);
    assert_int_equal(il, 2);
    b[6] ^= 1;
    assert_int_equal(t1_check(b, n, true, &pcb, &inf, &il), -1);
    assert_int_equal(t1_check(b, 3, false, &pcb, &inf, &il), -1);
    n = t1_block(b, sizeof b, 0x00, OK, 2, false);
    b[0] = 0x21; /* a NAD we never use */
    b[5] ^= 0x21;
    assert_int_equal(t1_check(b, n, false, &pcb, &inf, &il), -1);
    assert_int_equal(t1_block(b, 4, 0, OK, 2, false), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_exchanges),        cmocka_unit_test(test_chained_command),
        cmocka_unit_test(test_chained_answer),         cmocka_unit_test(test_wtx_and_ifs),
        cmocka_unit_test(test_garbled_and_retransmit), cmocka_unit_test(test_resynch),
        cmocka_unit_test(test_abort_and_limits),       cmocka_unit_test(test_crc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
