/*
 * test_ccid_proto.c - unit tests for drivers/ccid_proto.c: the CCID class
 * descriptor, the commands built, and every way a reply or an interrupt
 * message is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/ccid_proto.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A typical APDU-level reader's descriptor. */
static void make_desc(uint8_t d[CCID_DESC_LEN], uint32_t features, uint32_t maxmsg)
{
    memset(d, 0, CCID_DESC_LEN);
    d[0] = CCID_DESC_LEN;
    d[1] = CCID_DESC_TYPE;
    d[2] = 0x10;
    d[3] = 0x01;
    d[4] = 0;    /* one slot */
    d[5] = 0x07; /* 5 V, 3 V, 1.8 V */
    put32(d + 6, 3);
    put32(d + 10, 4000);
    put32(d + 19, 9600);
    put32(d + 28, 254);
    put32(d + 40, features);
    put32(d + 44, maxmsg);
    d[53] = 1;
}

static void test_desc_apdu_level(void **state)
{
    (void)state;
    uint8_t d[CCID_DESC_LEN];
    struct ccid_desc c;
    char why[80];
    make_desc(d, 0x000204BA, 271);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, why, sizeof why), 0);
    assert_int_equal(c.level, CCID_LEVEL_SHORT_APDU);
    assert_int_equal(c.protocols, 3);
    assert_int_equal(c.max_msg_len, 271);
    assert_int_equal(c.voltage_support, 7);
    assert_true(c.auto_params);
    assert_int_equal(c.max_ifsd, 254);
    assert_int_equal(c.bcd_ccid, 0x0110);
}

static void test_desc_levels(void **state)
{
    (void)state;
    uint8_t d[CCID_DESC_LEN];
    struct ccid_desc c;
    make_desc(d, 0x00010000, 271);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, NULL, 0), 0);
    assert_int_equal(c.level, CCID_LEVEL_TPDU);
    assert_false(c.auto_params);
    make_desc(d, 0, 271);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, NULL, 0), 0);
    assert_int_equal(c.level, CCID_LEVEL_CHAR);
    make_desc(d, 0x00040000, 271);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, NULL, 0), 0);
    assert_int_equal(c.level, CCID_LEVEL_EXT_APDU);
    make_desc(d, 0x00030000, 271);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, NULL, 0), -1);
}

static void test_desc_after_other_descriptor(void **state)
{
    (void)state;
    uint8_t buf[4 + CCID_DESC_LEN] = {4, 0x24, 1, 2};
    struct ccid_desc c;
    make_desc(buf + 4, 0x00020000, 271);
    assert_int_equal(ccid_desc_parse(buf, sizeof buf, &c, NULL, 0), 0);
    assert_int_equal(c.level, CCID_LEVEL_SHORT_APDU);
}

static void test_desc_refused(void **state)
{
    (void)state;
    uint8_t d[CCID_DESC_LEN];
    struct ccid_desc c;
    char why[80];
    make_desc(d, 0x00020000, 271);
    assert_int_equal(ccid_desc_parse(d, CCID_DESC_LEN - 1, &c, why, sizeof why), -1); /* cut */
    assert_int_equal(ccid_desc_parse(NULL, 0, &c, why, sizeof why), -1);
    assert_string_equal(why, "no CCID class descriptor");
    d[0] = 40; /* declares less than 54 */
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, why, sizeof why), -1);
    make_desc(d, 0x00020000, 8); /* message length too small */
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, why, sizeof why), -1);
    make_desc(d, 0x00020000, 0x7FFFFFFF);
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, why, sizeof why), -1);
    make_desc(d, 0x00020000, 271);
    put32(d + 6, 0x4); /* no T=0, no T=1 */
    assert_int_equal(ccid_desc_parse(d, sizeof d, &c, why, sizeof why), -1);
    uint8_t zero[3] = {0, 0x21, 0}; /* a zero-length descriptor must not loop */
    assert_int_equal(ccid_desc_parse(zero, sizeof zero, &c, why, sizeof why), -1);
}

static void test_power_sequence(void **state)
{
    (void)state;
    struct ccid_desc c = {0};
    uint8_t p[3];
    c.voltage_support = 7;
    assert_int_equal(ccid_power_sequence(&c, p), 3);
    assert_int_equal(p[0], CCID_POWER_18V);
    assert_int_equal(p[2], CCID_POWER_5V);
    c.features = CCID_FEAT_AUTO_VOLTAGE;
    assert_int_equal(ccid_power_sequence(&c, p), 1);
    assert_int_equal(p[0], CCID_POWER_AUTO);
    c.features = 0;
    c.voltage_support = 0;
    assert_int_equal(ccid_power_sequence(&c, p), 1);
    assert_int_equal(p[0], CCID_POWER_AUTO);
}

static void test_build(void **state)
{
    (void)state;
    uint8_t out[64];
    static const uint8_t on[] = {0x62, 0, 0, 0, 0, 0, 7, 1, 0, 0};
    assert_int_equal(ccid_build_power_on(out, sizeof out, 0, 7, 1), 10);
    assert_memory_equal(out, on, 10);
    assert_int_equal(ccid_build_power_off(out, sizeof out, 0, 8), 10);
    assert_int_equal(out[0], 0x63);
    assert_int_equal(ccid_build_slot_status(out, sizeof out, 1, 9), 10);
    assert_int_equal(out[0], 0x65);
    assert_int_equal(out[5], 1);
    assert_int_equal(out[6], 9);
    static const uint8_t apdu[] = {0x00, 0xB0, 0x00, 0x00, 0x10};
    static const uint8_t xfr[] = {0x6F, 5, 0, 0, 0, 0, 3, 0, 0, 0, 0x00, 0xB0, 0x00, 0x00, 0x10};
    assert_int_equal(ccid_build_xfr_block(out, sizeof out, 0, 3, 0, apdu, sizeof apdu), 15);
    assert_memory_equal(out, xfr, 15);
    assert_int_equal(ccid_build_xfr_block(out, 14, 0, 3, 0, apdu, sizeof apdu), 0);
    uint8_t t1[7] = {0x11, 0x10, 0, 0x45, 0, 0xFE, 0};
    assert_int_equal(ccid_build_set_parameters(out, sizeof out, 0, 4, 1, t1, 7), 17);
    assert_int_equal(out[0], 0x61);
    assert_int_equal(out[7], 1);
    assert_int_equal(ccid_build_set_parameters(out, sizeof out, 0, 4, 1, t1, 5), 0);
    assert_int_equal(ccid_reply_type(0x62), 0x80);
    assert_int_equal(ccid_reply_type(0x65), 0x81);
    assert_int_equal(ccid_reply_type(0x61), 0x82);
    assert_int_equal(ccid_reply_type(0x12), 0);
}

static size_t reply(uint8_t *b, uint8_t type, uint32_t dl, uint8_t seq, uint8_t status,
                    uint8_t error)
{
    memset(b, 0xAA, 300);
    b[0] = type;
    put32(b + 1, dl);
    b[5] = 0;
    b[6] = seq;
    b[7] = status;
    b[8] = error;
    b[9] = 0;
    return 10 + dl;
}

static void test_reply_ok(void **state)
{
    (void)state;
    uint8_t b[300];
    struct ccid_reply r;
    char why[80];
    size_t n = reply(b, 0x80, 12, 5, 0x00, 0);
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 5, 271, &r, why, sizeof why), 0);
    assert_int_equal(r.data_len, 12);
    assert_ptr_equal(r.data, b + 10);
    assert_int_equal(r.cmd, CCID_CMD_OK);
    assert_int_equal(r.icc, CCID_ICC_ACTIVE);
    n = reply(b, 0x81, 0, 6, 0x02, 0);
    assert_int_equal(ccid_reply_parse(b, n, 0x65, 0, 6, 271, &r, why, sizeof why), 0);
    assert_int_equal(r.icc, CCID_ICC_ABSENT);
    n = reply(b, 0x80, 0, 1, 0x42, 0xFE); /* power on, no card: failed, ICC mute */
    assert_int_equal(ccid_reply_parse(b, n, 0x62, 0, 1, 271, &r, why, sizeof why), 0);
    assert_int_equal(r.cmd, CCID_CMD_FAILED);
    assert_int_equal(r.icc, CCID_ICC_ABSENT);
    assert_int_equal(r.error, CCID_ERR_ICC_MUTE);
    assert_string_equal(ccid_error_name(r.error), "ICC mute");
    n = reply(b, 0x80, 0, 1, 0x80, 2); /* time extension */
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 1, 271, &r, why, sizeof why), 0);
    assert_int_equal(r.cmd, CCID_CMD_TIME_EXT);
}

static void test_reply_refused(void **state)
{
    (void)state;
    uint8_t b[300];
    struct ccid_reply r;
    char why[80];
    size_t n = reply(b, 0x80, 12, 5, 0, 0);
    assert_int_equal(ccid_reply_parse(b, 9, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    assert_string_equal(why, "reply shorter than a CCID header");
    assert_int_equal(ccid_reply_parse(b, n, 0x65, 0, 5, 271, &r, why, sizeof why), -1); /* type */
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 6, 271, &r, why, sizeof why), -1); /* seq */
    assert_string_equal(why, "reply sequence 5, expected 6");
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 1, 5, 271, &r, why, sizeof why), -1); /* slot */
    assert_int_equal(ccid_reply_parse(b, n - 1, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    assert_string_equal(why, "reply dwLength longer than the bytes received");
    assert_int_equal(ccid_reply_parse(b, n + 1, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 5, 20, &r, why, sizeof why), -1);
    assert_string_equal(why, "reply dwLength over the reader's maximum");
    n = reply(b, 0x80, 0xFFFFFFFF, 5, 0, 0); /* a huge dwLength must not wrap */
    assert_int_equal(ccid_reply_parse(b, 20, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    (void)n;
    n = reply(b, 0x80, 0, 5, 0x04, 0); /* reserved status bits */
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    n = reply(b, 0x80, 0, 5, 0xC0, 0); /* reserved command status */
    assert_int_equal(ccid_reply_parse(b, n, 0x6F, 0, 5, 271, &r, why, sizeof why), -1);
    n = reply(b, 0x81, 2, 5, 0, 0); /* a SlotStatus with data */
    assert_int_equal(ccid_reply_parse(b, n, 0x65, 0, 5, 271, &r, why, sizeof why), -1);
    assert_int_equal(ccid_reply_parse(NULL, 0, 0x65, 0, 5, 271, &r, why, sizeof why), -1);
}

static void test_notify(void **state)
{
    (void)state;
    struct ccid_notify n;
    char why[80];
    uint8_t in[] = {0x50, 0x03};
    assert_int_equal(ccid_notify_parse(in, 2, 0, 0, &n, why, sizeof why), 0);
    assert_int_equal(n.kind, CCID_NOTIFY_SLOT);
    assert_true(n.present);
    assert_true(n.changed);
    uint8_t out[] = {0x50, 0x02};
    assert_int_equal(ccid_notify_parse(out, 2, 0, 0, &n, why, sizeof why), 0);
    assert_false(n.present);
    assert_true(n.changed);
    uint8_t slot5[] = {0x50, 0x00, 0x0C}; /* slot 5 of 6: byte 2, bits 2-3 */
    assert_int_equal(ccid_notify_parse(slot5, 3, 5, 5, &n, why, sizeof why), 0);
    assert_true(n.present);
    assert_int_equal(ccid_notify_parse(slot5, 2, 5, 5, &n, why, sizeof why), -1); /* short */
    assert_int_equal(ccid_notify_parse(in, 1, 0, 0, &n, why, sizeof why), -1);
    uint8_t hw[] = {0x51, 0, 7, 1};
    assert_int_equal(ccid_notify_parse(hw, 4, 0, 0, &n, why, sizeof why), 0);
    assert_int_equal(n.kind, CCID_NOTIFY_HW);
    assert_int_equal(n.seq, 7);
    assert_int_equal(n.code, 1);
    assert_int_equal(ccid_notify_parse(hw, 3, 0, 0, &n, why, sizeof why), -1);
    hw[1] = 1;
    assert_int_equal(ccid_notify_parse(hw, 4, 0, 1, &n, why, sizeof why), 1); /* other slot */
    uint8_t junk[] = {0x99};
    assert_int_equal(ccid_notify_parse(junk, 1, 0, 0, &n, why, sizeof why), -1);
    assert_int_equal(ccid_notify_parse(NULL, 0, 0, 0, &n, why, sizeof why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_desc_apdu_level),
        cmocka_unit_test(test_desc_levels),
        cmocka_unit_test(test_desc_after_other_descriptor),
        cmocka_unit_test(test_desc_refused),
        cmocka_unit_test(test_power_sequence),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_reply_ok),
        cmocka_unit_test(test_reply_refused),
        cmocka_unit_test(test_notify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
