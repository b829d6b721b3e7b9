/*
 * test_finger_image.c - unit tests for kiosk/finger_image.c: an ISO/IEC
 * 19794-4 record round-trips (size, resolution, finger, every pixel), has
 * the standard's header bytes where the standard puts them, and every
 * inconsistent record (any truncation, a byte added, a wrong length, depth,
 * compression, finger, size) is refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/finger_image.h"

static uint8_t *make_pixels(int w, int h)
{
    uint8_t *p = malloc((size_t)w * (size_t)h);
    for (int i = 0; i < w * h; i++)
        p[i] = (uint8_t)((i * 7 + i / w) & 0xff);
    return p;
}

static void encode_sample(uint8_t **rec, size_t *len, int w, int h, enum fp_finger f)
{
    uint8_t *px = make_pixels(w, h);
    struct finger_image img = {.width = w, .height = h, .ppi = 500, .finger = f, .pixels = px};
    assert_int_equal(finger_image_encode(&img, rec, len), 0);
    free(px);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (int f = 0; f < FP_FINGER_COUNT; f++) {
        uint8_t *px = make_pixels(37, 23);
        struct finger_image img = {
            .width = 37, .height = 23, .ppi = 500, .finger = (enum fp_finger)f, .pixels = px};
        uint8_t *rec = NULL;
        size_t len = 0;
        assert_int_equal(finger_image_encode(&img, &rec, &len), 0);
        assert_int_equal(len, 32 + 14 + 37 * 23);
        struct finger_image back;
        char why[128] = "";
        assert_int_equal(finger_image_decode(rec, len, &back, why, sizeof why), 0);
        assert_int_equal(back.width, 37);
        assert_int_equal(back.height, 23);
        assert_int_equal(back.ppi, 500);
        assert_int_equal(back.finger, f);
        assert_memory_equal(back.pixels, px, 37 * 23);
        assert_ptr_equal(back.pixels, rec + 46);
        free(rec);
        free(px);
    }
}

static void test_header_layout(void **state)
{
    (void)state;
    uint8_t *rec;
    size_t len;
    encode_sample(&rec, &len, 256, 300, FP_RIGHT_THUMB);
    assert_memory_equal(rec,
                        "FIR\0"
                        "010\0",
                        8);
    /* Record length, 6 bytes big-endian. */
    size_t total = 46 + 256 * 300;
    assert_int_equal(rec[8] | rec[9] | rec[10], 0);
    assert_int_equal((rec[11] << 16) | (rec[12] << 8) | rec[13], total);
    assert_int_equal((rec[16] << 8) | rec[17], 31); /* acquisition level at 500 ppi */
    assert_int_equal(rec[18], 1);                   /* one finger */
    assert_int_equal(rec[19], 1);                   /* ppi */
    assert_int_equal((rec[20] << 8) | rec[21], 500);
    assert_int_equal(rec[28], 8); /* depth */
    assert_int_equal(rec[29], 0); /* uncompressed */
    assert_int_equal((rec[32] << 24) | (rec[33] << 16) | (rec[34] << 8) | rec[35], 14 + 256 * 300);
    assert_int_equal(rec[36], 1); /* right thumb is position 1 */
    assert_int_equal((rec[41] << 8) | rec[42], 256);
    assert_int_equal((rec[43] << 8) | rec[44], 300);
    free(rec);
    encode_sample(&rec, &len, 4, 4, FP_LEFT_LITTLE);
    assert_int_equal(rec[36], 10);
    free(rec);
}

static void test_encode_refuses(void **state)
{
    (void)state;
    uint8_t px[4] = {0};
    uint8_t *rec = NULL;
    size_t len = 0;
    struct finger_image img = {.width = 2, .height = 2, .ppi = 500, .finger = 0, .pixels = px};
    img.width = 0;
    assert_int_equal(finger_image_encode(&img, &rec, &len), -1);
    img.width = 2049;
    assert_int_equal(finger_image_encode(&img, &rec, &len), -1);
    img.width = 2;
    img.finger = FP_FINGER_COUNT;
    assert_int_equal(finger_image_encode(&img, &rec, &len), -1);
    img.finger = 0;
    img.pixels = NULL;
    assert_int_equal(finger_image_encode(&img, &rec, &len), -1);
    assert_null(rec);
}

static void expect_refused(const uint8_t *rec, size_t len)
{
    struct finger_image img;
    char why[128] = "";
    assert_int_equal(finger_image_decode(rec, len, &img, why, sizeof why), -1);
    assert_true(why[0] != '\0');
    assert_null(img.pixels);
}

static void test_truncations_and_extra(void **state)
{
    (void)state;
    uint8_t *rec;
    size_t len;
    encode_sample(&rec, &len, 5, 3, FP_RIGHT_INDEX);
    for (size_t n = 0; n < len; n++)
        expect_refused(rec, n);
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, rec, len);
    longer[len] = 0;
    expect_refused(longer, len + 1);
    free(longer);
    expect_refused(NULL, 0);
    free(rec);
}

static void test_inconsistent_fields(void **state)
{
    (void)state;
    uint8_t *rec;
    size_t len;
    encode_sample(&rec, &len, 5, 3, FP_RIGHT_INDEX);
    /* Offsets that must each, changed alone, make the record refused. */
    struct {
        size_t off;
        uint8_t val;
    } bad[] = {
        {0, 'X'}, {5, '2'},  {13, 0},   /* format, version, record length */
        {18, 2},  {19, 3},   {39, 200}, /* fingers, scale units */
        {28, 1},  {29, 5},   {35, 0},   /* depth, compression (PNG), block length */
        {36, 0},  {36, 11},  {37, 0},   /* position: unknown, palm; no views */
        {38, 2},  {39, 101}, {42, 6},   /* view 2 of 1; quality; width != pixels */
        {44, 4},                        /* height != pixels */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t keep = rec[bad[i].off];
        rec[bad[i].off] = bad[i].val;
        expect_refused(rec, len);
        rec[bad[i].off] = keep;
    }
    rec[20] = rec[21] = 0; /* zero scan resolution */
    expect_refused(rec, len);
    rec[20] = 0x01;
    rec[21] = 0xf4;
    /* Consistent but too big: width 4096 with the lengths fixed up cannot be
     * made in a small buffer, so zero-sized dimensions stand in for it. */
    rec[41] = 0;
    rec[42] = 0;
    expect_refused(rec, len);
    free(rec);
}

static void test_ppcm(void **state)
{
    (void)state;
    uint8_t *rec;
    size_t len;
    encode_sample(&rec, &len, 2, 2, FP_LEFT_THUMB);
    rec[19] = 2; /* ppcm */
    for (int o = 20; o < 28; o += 2) {
        rec[o] = 0;
        rec[o + 1] = 197;
    }
    struct finger_image img;
    char why[64];
    assert_int_equal(finger_image_decode(rec, len, &img, why, sizeof why), 0);
    assert_int_equal(img.ppi, 500);
    free(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),          cmocka_unit_test(test_header_layout),
        cmocka_unit_test(test_encode_refuses),      cmocka_unit_test(test_truncations_and_extra),
        cmocka_unit_test(test_inconsistent_fields), cmocka_unit_test(test_ppcm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
