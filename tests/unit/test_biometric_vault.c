/*
 * test_biometric_vault.c - unit tests for kiosk/bio_record.c and
 * kiosk/biometric_vault.c: a capture (with and without an image) survives
 * record encoding and sealing unchanged; the key file is made 0600 with
 * CREATE only, and refused when readable by others or of the wrong size;
 * another key, every flipped byte and every truncation are refused; the
 * clear print never appears in the sealed bytes; bad records are refused.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/bio_record.h"
#include "kiosk/biometric_vault.h"
#include "kiosk/finger_image.h"
#include "tests/unit/testdir.h"

static char root[] = "/tmp/nser-vault-XXXXXX";

static struct fp_capture *sample(bool with_image)
{
    struct fp_capture *c = calloc(1, sizeof *c);
    c->print_len = 300;
    c->print = malloc(c->print_len);
    for (size_t i = 0; i < c->print_len; i++)
        c->print[i] = (uint8_t)(0xA5 ^ i);
    strcpy(c->driver, "virtual_image");
    c->finger = FP_RIGHT_INDEX;
    c->retries = 3;
    c->captured_at = 1790000000;
    if (with_image) {
        uint8_t px[64];
        for (int i = 0; i < 64; i++)
            px[i] = (uint8_t)(i * 3);
        struct finger_image img = {
            .width = 8, .height = 8, .ppi = 500, .finger = FP_RIGHT_INDEX, .pixels = px};
        assert_int_equal(finger_image_encode(&img, &c->image, &c->image_len), 0);
    }
    return c;
}

static void same_capture(const struct fp_capture *a, const struct fp_capture *b)
{
    assert_int_equal(a->print_len, b->print_len);
    assert_memory_equal(a->print, b->print, a->print_len);
    assert_int_equal(a->image_len, b->image_len);
    if (a->image_len)
        assert_memory_equal(a->image, b->image, a->image_len);
    else
        assert_null(b->image);
    assert_string_equal(a->driver, b->driver);
    assert_int_equal(a->finger, b->finger);
    assert_int_equal(a->retries, b->retries);
    assert_int_equal(a->captured_at, b->captured_at);
}

static int setup(void **state)
{
    (void)state;
    return testdir_make(root);
}

static int teardown(void **state)
{
    (void)state;
    return testdir_remove_tree(root);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    for (int img = 0; img < 2; img++) {
        struct fp_capture *c = sample(img), *back = NULL;
        uint8_t *rec;
        size_t len;
        char why[128];
        assert_int_equal(bio_record_encode(c, &rec, &len), 0);
        assert_int_equal(bio_record_decode(rec, len, &back, why, sizeof why), 0);
        same_capture(c, back);
        fp_capture_free(back);
        /* Every truncation and one byte more are refused. */
        for (size_t n = 0; n < len; n++) {
            assert_int_equal(bio_record_decode(rec, n, &back, why, sizeof why), -1);
            assert_null(back);
        }
        uint8_t *more = malloc(len + 1);
        memcpy(more, rec, len);
        more[len] = 0;
        assert_int_equal(bio_record_decode(more, len + 1, &back, why, sizeof why), -1);
        free(more);
        free(rec);
        fp_capture_free(c);
    }
}

static void test_record_refuses(void **state)
{
    (void)state;
    struct fp_capture *c = sample(true), *back = NULL;
    uint8_t *rec;
    size_t len;
    char why[128];
    assert_int_equal(bio_record_encode(c, &rec, &len), 0);
    /* Version, finger, driver character, the image's finger. */
    size_t offs[] = {3, 4, 16};
    uint8_t vals[] = {2, FP_FINGER_COUNT, 'A'};
    for (size_t i = 0; i < 3; i++) {
        uint8_t keep = rec[offs[i]];
        rec[offs[i]] = vals[i];
        assert_int_equal(bio_record_decode(rec, len, &back, why, sizeof why), -1);
        rec[offs[i]] = keep;
    }
    rec[4] = FP_LEFT_THUMB;
    assert_int_equal(bio_record_decode(rec, len, &back, why, sizeof why), -1);
    assert_non_null(strstr(why, "another finger"));
    free(rec);
    /* What cannot be encoded. */
    c->driver[0] = '\0';
    assert_int_equal(bio_record_encode(c, &rec, &len), -1);
    strcpy(c->driver, "x");
    c->finger = FP_FINGER_COUNT;
    assert_int_equal(bio_record_encode(c, &rec, &len), -1);
    c->finger = FP_RIGHT_INDEX;
    c->retries = -1;
    assert_int_equal(bio_record_encode(c, &rec, &len), -1);
    fp_capture_free(c);
}

static void test_key_file(void **state)
{
    (void)state;
    char dir[128], path[160], err[256];
    snprintf(dir, sizeof dir, "%s/keys1", root);
    snprintf(path, sizeof path, "%s/biometric.key", dir);
    assert_null(bio_vault_open(dir, 0, err, sizeof err));
    assert_non_null(strstr(err, "keys init"));
    struct bio_vault *v = bio_vault_open(dir, 1, err, sizeof err);
    assert_non_null(v);
    bio_vault_free(v);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 32);
    /* Opening again keeps the key: what was sealed still opens. */
    v = bio_vault_open(dir, 1, err, sizeof err);
    assert_non_null(v);
    struct fp_capture *c = sample(false), *back = NULL;
    uint8_t *sealed;
    size_t len;
    assert_int_equal(bio_vault_seal(v, c, &sealed, &len), 0);
    bio_vault_free(v);
    v = bio_vault_open(dir, 0, err, sizeof err);
    assert_non_null(v);
    assert_int_equal(bio_vault_unseal(v, sealed, len, &back, err, sizeof err), 0);
    same_capture(c, back);
    fp_capture_free(back);
    bio_vault_free(v);
    free(sealed);
    fp_capture_free(c);
    assert_int_equal(chmod(path, 0644), 0);
    assert_null(bio_vault_open(dir, 0, err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(truncate(path, 31), 0);
    assert_null(bio_vault_open(dir, 1, err, sizeof err));
}

static void test_seal_unseal(void **state)
{
    (void)state;
    char dir[128], other[128], err[256];
    snprintf(dir, sizeof dir, "%s/keys2", root);
    snprintf(other, sizeof other, "%s/keys3", root);
    struct bio_vault *v = bio_vault_open(dir, 1, err, sizeof err);
    struct bio_vault *w = bio_vault_open(other, 1, err, sizeof err);
    assert_non_null(v);
    assert_non_null(w);
    struct fp_capture *c = sample(true), *back = NULL;
    uint8_t *sealed, *again;
    size_t len, len2;
    assert_int_equal(bio_vault_seal(v, c, &sealed, &len), 0);
    assert_int_equal(bio_vault_seal(v, c, &again, &len2), 0);
    /* A fresh nonce each time: the same capture never seals the same way. */
    assert_int_equal(len, len2);
    assert_memory_not_equal(sealed, again, len);
    free(again);
    assert_null(memmem(sealed, len, c->print, c->print_len));
    assert_int_equal(bio_vault_unseal(v, sealed, len, &back, err, sizeof err), 0);
    same_capture(c, back);
    fp_capture_free(back);
    /* The wrong key. */
    assert_int_equal(bio_vault_unseal(w, sealed, len, &back, err, sizeof err), -1);
    assert_null(back);
    assert_non_null(strstr(err, "wrong key"));
    /* Every flipped byte, every truncation. */
    for (size_t i = 0; i < len; i++) {
        sealed[i] ^= 0x01;
        assert_int_equal(bio_vault_unseal(v, sealed, len, &back, err, sizeof err), -1);
        assert_null(back);
        sealed[i] ^= 0x01;
    }
    for (size_t n = 0; n < len; n += 7)
        assert_int_equal(bio_vault_unseal(v, sealed, n, &back, err, sizeof err), -1);
    free(sealed);
    fp_capture_free(c);
    bio_vault_free(v);
    bio_vault_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_round_trip),
        cmocka_unit_test(test_record_refuses),
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_seal_unseal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
