/*
 * test_envelope.c - unit tests for kiosk/envelope.c: a sync file opens
 * only whole, unchanged, from its sender and for its recipient. Round
 * trips both ways; every single-byte change refused; every truncation and
 * a byte added refused as truncated; wrong recipient; right file checked
 * with another sender's key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "kiosk/envelope.h"
#include "kiosk/keystore.h"
#include "tests/unit/testdir.h"

struct party {
    char dir[128];
    const char *role;
    struct keystore *k;
};

static char root[64];
static struct party kiosk_a = {"", "kiosk", NULL}, kiosk_b = {"", "kiosk", NULL},
                    central = {"", "central", NULL}, impostor = {"", "central", NULL};

static void rm_party(struct party *p)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.secret", p->dir, p->role);
    unlink(path);
    snprintf(path, sizeof path, "%s/%s.pub", p->dir, p->role);
    unlink(path);
    rmdir(p->dir);
}

static int make_party(struct party *p, const char *sub, const char *id)
{
    char err[256];
    snprintf(p->dir, sizeof p->dir, "%s/%s", root, sub);
    if (keystore_create(p->dir, p->role, id, err, sizeof err) != 0)
        return -1;
    p->k = keystore_load(p->dir, p->role, err, sizeof err);
    return p->k ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    strcpy(root, "/tmp/nser-env-XXXXXX");
    if (keys_crypto_init() != 0 || testdir_make(root) != 0)
        return -1;
    if (make_party(&kiosk_a, "a", "04217") || make_party(&kiosk_b, "b", "04218") ||
        make_party(&central, "c", "central") || make_party(&impostor, "i", "central"))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    struct party *all[] = {&kiosk_a, &kiosk_b, &central, &impostor};
    for (size_t i = 0; i < 4; i++) {
        keystore_free(all[i]->k);
        rm_party(all[i]);
    }
    return testdir_remove(root);
}

static const char payload[] = "{\"format\": \"nser-batch\", \"version\": 1, \"kiosk\": "
                              "\"04217\", \"batch\": 12, \"records\": []}";

static uint8_t *seal_batch(size_t *len)
{
    uint8_t *out;
    assert_int_equal(envelope_seal(ENVELOPE_BATCH, kiosk_a.k, keystore_public(central.k), 12,
                                   1795860000, (const uint8_t *)payload, strlen(payload), &out,
                                   len),
                     ENVELOPE_OK);
    return out;
}

static enum envelope_error open_batch(const uint8_t *buf, size_t len)
{
    uint8_t *p = NULL;
    size_t plen = 99;
    struct envelope_header h;
    enum envelope_error e =
        envelope_open(buf, len, keystore_public(kiosk_a.k), central.k, &h, &p, &plen);
    if (e != ENVELOPE_OK) {
        assert_null(p);
        assert_int_equal(plen, 0);
    }
    free(p);
    return e;
}

static void test_round_trip_batch(void **state)
{
    size_t len;
    uint8_t *buf = seal_batch(&len);
    struct envelope_header h;
    uint8_t *p;
    size_t plen;

    (void)state;
    assert_int_equal(len, ENVELOPE_HEADER + strlen(payload) + 48 + ENVELOPE_SIG);
    assert_memory_equal(buf, "NSERSYN1B04217\0\0\0central\0", 25);
    assert_int_equal(envelope_peek(buf, len, &h), ENVELOPE_OK);
    assert_int_equal(h.kind, 'B');
    assert_string_equal(h.sender, "04217");
    assert_string_equal(h.recipient, "central");
    assert_int_equal(h.sequence, 12);
    assert_int_equal(h.created, 1795860000);
    assert_int_equal(h.cipher_len, strlen(payload) + 48);
    /* Big-endian on the wire. */
    assert_int_equal(buf[32], 12);
    assert_int_equal(buf[25], 0);

    memset(&h, 0, sizeof h);
    assert_int_equal(envelope_open(buf, len, keystore_public(kiosk_a.k), central.k, &h, &p, &plen),
                     ENVELOPE_OK);
    assert_int_equal(plen, strlen(payload));
    assert_memory_equal(p, payload, plen);
    assert_int_equal(p[plen], 0);
    assert_int_equal(h.sequence, 12);
    free(p);
    free(buf);
}

static void test_round_trip_ack_and_empty(void **state)
{
    uint8_t *buf, *p;
    size_t len, plen;
    struct envelope_header h;

    (void)state;
    assert_int_equal(envelope_seal(ENVELOPE_ACK, central.k, keystore_public(kiosk_b.k), UINT64_MAX,
                                   -5, NULL, 0, &buf, &len),
                     ENVELOPE_OK);
    assert_int_equal(len, ENVELOPE_HEADER + 48 + ENVELOPE_SIG);
    assert_int_equal(envelope_open(buf, len, keystore_public(central.k), kiosk_b.k, &h, &p, &plen),
                     ENVELOPE_OK);
    assert_int_equal(plen, 0);
    assert_int_equal(p[0], 0);
    assert_int_equal(h.kind, 'A');
    assert_int_equal(h.sequence, UINT64_MAX);
    assert_int_equal(h.created, -5);
    assert_string_equal(h.sender, "central");
    assert_string_equal(h.recipient, "04218");
    free(p);
    free(buf);
}

static void test_every_byte_flip_refused(void **state)
{
    size_t len;
    uint8_t *buf = seal_batch(&len);
    static const uint8_t masks[] = {0x01, 0x80, 0xff};

    (void)state;
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            buf[i] ^= masks[m];
            enum envelope_error e = open_batch(buf, len);
            buf[i] ^= masks[m];
            if (i < 8)
                assert_int_equal(e, ENVELOPE_NOT_SYNC);
            else if (i == 8)
                assert_int_equal(e, ENVELOPE_BAD_HEADER);
            else if (i < 25)
                assert_true(e == ENVELOPE_BAD_HEADER || e == ENVELOPE_BAD_SIGNATURE);
            else if (i < 41)
                assert_int_equal(e, ENVELOPE_BAD_SIGNATURE);
            else if (i < 45)
                assert_true(e == ENVELOPE_BAD_HEADER || e == ENVELOPE_TRUNCATED);
            else
                assert_int_equal(e, ENVELOPE_BAD_SIGNATURE);
        }
    }
    assert_int_equal(open_batch(buf, len), ENVELOPE_OK);
    free(buf);
}

static void test_truncated_and_grown(void **state)
{
    size_t len;
    uint8_t *buf = seal_batch(&len);
    struct envelope_header h;

    (void)state;
    for (size_t n = 0; n < len; n++) {
        /* A copy of exactly N bytes, so ASan sees any read past it. */
        uint8_t *cut = malloc(n ? n : 1);
        assert_non_null(cut);
        memcpy(cut, buf, n);
        assert_int_equal(open_batch(cut, n), ENVELOPE_TRUNCATED);
        if (n >= ENVELOPE_HEADER)
            assert_int_equal(envelope_peek(cut, n, &h), ENVELOPE_TRUNCATED);
        free(cut);
    }
    uint8_t *grown = malloc(len + 1);
    assert_non_null(grown);
    memcpy(grown, buf, len);
    grown[len] = 0;
    assert_int_equal(open_batch(grown, len + 1), ENVELOPE_TRUNCATED);
    free(grown);
    free(buf);
}

static void test_wrong_recipient(void **state)
{
    size_t len;
    uint8_t *buf = seal_batch(&len), *p;
    size_t plen;
    struct envelope_header h;

    (void)state;
    /* Another kiosk holding the file. */
    assert_int_equal(envelope_open(buf, len, keystore_public(kiosk_a.k), kiosk_b.k, &h, &p, &plen),
                     ENVELOPE_NOT_FOR_US);
    assert_null(p);
    /* Someone calling itself "central" with other keys. */
    assert_int_equal(envelope_open(buf, len, keystore_public(kiosk_a.k), impostor.k, &h, &p, &plen),
                     ENVELOPE_NOT_FOR_US);
    assert_null(p);
    free(buf);
}

static void test_other_senders_key(void **state)
{
    size_t len;
    uint8_t *buf = seal_batch(&len), *p;
    size_t plen;
    struct envelope_header h;

    (void)state;
    assert_int_equal(envelope_open(buf, len, keystore_public(kiosk_b.k), central.k, &h, &p, &plen),
                     ENVELOPE_BAD_SIGNATURE);
    assert_null(p);
    /* The right key filed under another id is not that sender either. */
    struct public_key renamed = *keystore_public(kiosk_a.k);
    strcpy(renamed.id, "04218");
    assert_int_equal(envelope_open(buf, len, &renamed, central.k, &h, &p, &plen),
                     ENVELOPE_BAD_SIGNATURE);
    free(buf);

    /* Signed by the impostor, addressed as central to kiosk B. */
    assert_int_equal(envelope_seal(ENVELOPE_ACK, impostor.k, keystore_public(kiosk_b.k), 1, 0,
                                   (const uint8_t *)"{}", 2, &buf, &len),
                     ENVELOPE_OK);
    assert_int_equal(envelope_open(buf, len, keystore_public(central.k), kiosk_b.k, &h, &p, &plen),
                     ENVELOPE_BAD_SIGNATURE);
    free(buf);
}

static void test_peek_refusals(void **state)
{
    struct envelope_header h;
    uint8_t buf[ENVELOPE_HEADER + 48 + ENVELOPE_SIG];

    (void)state;
    assert_int_equal(envelope_peek((const uint8_t *)"PK\3\4", 4, &h), ENVELOPE_NOT_SYNC);
    assert_int_equal(envelope_peek((const uint8_t *)"NSER", 4, &h), ENVELOPE_TRUNCATED);
    assert_int_equal(envelope_peek(NULL, 0, &h), ENVELOPE_TRUNCATED);

    memset(buf, 0, sizeof buf);
    memcpy(buf, "NSERSYN1B04217\0\0\0central\0", 25);
    buf[44] = 48; /* N = 48: an empty payload */
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_OK);
    buf[8] = 'X';
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[8] = 'A';
    buf[9] = 0; /* empty sender */
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[9] = '0';
    buf[15] = 'x'; /* a character after the padding began */
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[15] = 0;
    buf[17] = ' ';
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[17] = 'c';
    buf[44] = 47; /* shorter than a sealed box can be */
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[41] = 0xff; /* far beyond the largest payload */
    assert_int_equal(envelope_peek(buf, sizeof buf, &h), ENVELOPE_BAD_HEADER);
    buf[41] = 0;
    buf[44] = 48;
    assert_int_equal(envelope_peek(buf, sizeof buf, NULL), ENVELOPE_OK);
}

static void test_seal_refusals_and_texts(void **state)
{
    uint8_t *out = (uint8_t *)"x";
    size_t len = 5;

    (void)state;
    assert_int_equal(envelope_seal('Z', kiosk_a.k, keystore_public(central.k), 1, 0,
                                   (const uint8_t *)"{}", 2, &out, &len),
                     ENVELOPE_BAD_HEADER);
    assert_null(out);
    assert_int_equal(len, 0);
    struct public_key bad = *keystore_public(central.k);
    bad.id[0] = '\0';
    assert_int_equal(
        envelope_seal('B', kiosk_a.k, &bad, 1, 0, (const uint8_t *)"{}", 2, &out, &len),
        ENVELOPE_BAD_HEADER);
    for (int e = ENVELOPE_OK; e <= ENVELOPE_NO_MEMORY; e++) {
        assert_non_null(envelope_error_text((enum envelope_error)e));
        assert_true(strlen(envelope_error_text((enum envelope_error)e)) > 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_batch),
        cmocka_unit_test(test_round_trip_ack_and_empty),
        cmocka_unit_test(test_every_byte_flip_refused),
        cmocka_unit_test(test_truncated_and_grown),
        cmocka_unit_test(test_wrong_recipient),
        cmocka_unit_test(test_other_senders_key),
        cmocka_unit_test(test_peek_refusals),
        cmocka_unit_test(test_seal_refusals_and_texts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
