/*
 * test_tlv.c - unit tests for drivers/tlv.c: tags of one to three bytes,
 * long lengths, nested templates, padding, and lengths that lie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/tlv.h"

static void test_flat(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x5F, 0x01, 0x03, '3', '5',  '2',  0x5F,
                                0x02, 0x02, 'A',  'B', 0x80, 0x01, 0x07};
    const uint8_t *v;
    size_t n;
    assert_int_equal(tlv_find(b, sizeof b, 0x5F01, &v, &n), TLV_FOUND);
    assert_int_equal(n, 3);
    assert_memory_equal(v, "352", 3);
    assert_int_equal(tlv_find(b, sizeof b, 0x5F02, &v, &n), TLV_FOUND);
    assert_memory_equal(v, "AB", 2);
    assert_int_equal(tlv_find(b, sizeof b, 0x80, &v, &n), TLV_FOUND);
    assert_int_equal(v[0], 7);
    assert_int_equal(tlv_find(b, sizeof b, 0x5F03, &v, &n), TLV_NOT_FOUND);
    assert_int_equal(tlv_find(NULL, 0, 0x5F03, &v, &n), TLV_NOT_FOUND);
}

static void test_nested_and_padding(void **state)
{
    (void)state;
    /* 00 padding, template 61 { 70 { 9F1F01 'x' } } , then FF padding. */
    static const uint8_t b[] = {0x00, 0x00, 0x61, 0x06, 0x70, 0x04,
                                0x9F, 0x81, 0x01, 0x00, 0xFF, 0xFF};
    const uint8_t *v;
    size_t n;
    /* 9F 81 01: a three-byte tag with an empty value. */
    assert_int_equal(tlv_find(b, sizeof b, 0x9F8101, &v, &n), TLV_FOUND);
    assert_int_equal(n, 0);
    static const uint8_t c[] = {0x00, 0x61, 0x07, 0x70, 0x05, 0x9F, 0x81, 0x01, 0x01, 'x', 0xFF};
    assert_int_equal(tlv_find(c, sizeof c, 0x9F8101, &v, &n), TLV_FOUND);
    assert_int_equal(n, 1);
    assert_int_equal(v[0], 'x');
    assert_int_equal(tlv_find(c, sizeof c, 0x70, &v, &n), TLV_FOUND);
    assert_int_equal(n, 5);
}

static void test_long_lengths(void **state)
{
    (void)state;
    static uint8_t b[300 + 8];
    memset(b, 'z', sizeof b);
    b[0] = 0x5F;
    b[1] = 0x02;
    b[2] = 0x82;
    b[3] = 0x01;
    b[4] = 0x2C; /* 300 */
    const uint8_t *v;
    size_t n;
    assert_int_equal(tlv_find(b, 305, 0x5F02, &v, &n), TLV_FOUND);
    assert_int_equal(n, 300);
    assert_int_equal(tlv_find(b, 304, 0x5F02, &v, &n), TLV_MALFORMED); /* one short */
    b[2] = 0x81;
    b[3] = 0x80;
    assert_int_equal(tlv_find(b, 200, 0x5F02, &v, &n), TLV_FOUND);
    assert_int_equal(n, 128);
    b[2] = 0x83;
    b[3] = 0xFF;
    b[4] = 0xFF;
    b[5] = 0xFF;
    assert_int_equal(tlv_find(b, sizeof b, 0x5F02, &v, &n), TLV_MALFORMED);
    b[2] = 0x84; /* four length bytes: refused */
    assert_int_equal(tlv_find(b, sizeof b, 0x5F02, &v, &n), TLV_MALFORMED);
    b[2] = 0x80; /* indefinite: refused */
    assert_int_equal(tlv_find(b, sizeof b, 0x5F02, &v, &n), TLV_MALFORMED);
}

static void test_malformed(void **state)
{
    (void)state;
    const uint8_t *v;
    size_t n;
    static const uint8_t cut_tag[] = {0x5F};
    assert_int_equal(tlv_find(cut_tag, 1, 0x5F01, &v, &n), TLV_MALFORMED);
    static const uint8_t no_len[] = {0x5F, 0x01};
    assert_int_equal(tlv_find(no_len, 2, 0x5F01, &v, &n), TLV_MALFORMED);
    static const uint8_t four_byte_tag[] = {0x5F, 0x81, 0x81, 0x01, 0x00};
    assert_int_equal(tlv_find(four_byte_tag, 5, 0x5F01, &v, &n), TLV_MALFORMED);
    /* A template whose inside lies about a length is caught inside. */
    static const uint8_t inner[] = {0x61, 0x03, 0x5F, 0x01, 0x09};
    assert_int_equal(tlv_find(inner, 5, 0x5F01, &v, &n), TLV_MALFORMED);
    /* Deep nesting stops at the limit. */
    uint8_t deep[40];
    for (int i = 0; i < 20; i++) {
        deep[2 * i] = 0x61;
        deep[2 * i + 1] = (uint8_t)(40 - 2 * i - 2);
    }
    assert_int_equal(tlv_find(deep, sizeof deep, 0x5F01, &v, &n), TLV_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat),
        cmocka_unit_test(test_nested_and_padding),
        cmocka_unit_test(test_long_lengths),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
