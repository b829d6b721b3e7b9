/*
 * fuzz_envelope.c - libFuzzer target for what sync brings in from outside:
 * a sync file (envelope_peek, envelope_open, both directions, with fixed
 * test keys) and a public key file (public_key_parse). Any crash, overflow,
 * read past the input or undefined behaviour is a bug; a refusal is not.
 * Also checks that what parses re-formats to the same key, and that any
 * input sealed as a payload opens back unchanged.
 *
 * The fixed keys are written once to a scratch folder and loaded through
 * keystore_load, so the target uses no API the kiosk does not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "kiosk/atomic_file.h"
#include "kiosk/envelope.h"
#include "kiosk/keystore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct keystore *kiosk_keys, *central_keys;

/* Secret key file for a party whose keys come from the fixed byte FIRST. */
static struct keystore *fixed_keys(const char *dir, const char *role, const char *id, uint8_t first)
{
    uint8_t seed[32], pk[KEY_SIGN_PK], sk[KEY_SIGN_SK], box[KEY_BOX_SK];
    char sign64[128], box64[64], text[512], err[256], name[32];

    for (int i = 0; i < 32; i++) {
        seed[i] = (uint8_t)(first + i);
        box[i] = (uint8_t)(first + 32 + i);
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_bin2base64(sign64, sizeof sign64, sk, sizeof sk, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(box64, sizeof box64, box, sizeof box, sodium_base64_VARIANT_ORIGINAL);
    snprintf(text, sizeof text, "nser-secret-key 1\nid %s\nsign %s\nbox %s\n", id, sign64, box64);
    snprintf(name, sizeof name, "%s.secret", role);
    if (atomic_write(dir, name, text, strlen(text), 0600, err, sizeof err) != 0)
        abort();
    struct keystore *k = keystore_load(dir, role, err, sizeof err);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    if (!k)
        abort();
    return k;
}

static void init_keys(void)
{
    char dir[] = "/tmp/nser-fuzz-keys-XXXXXX";
    if (keys_crypto_init() != 0 || !mkdtemp(dir))
        abort();
    kiosk_keys = fixed_keys(dir, "kiosk", "04217", 1);
    central_keys = fixed_keys(dir, "central", "central", 101);
    rmdir(dir);
}

static void open_one(const uint8_t *data, size_t size, const struct keystore *from,
                     const struct keystore *to)
{
    struct envelope_header h;
    uint8_t *p = NULL;
    size_t plen = 0;

    enum envelope_error e = envelope_open(data, size, keystore_public(from), to, &h, &p, &plen);
    if (e == ENVELOPE_OK) {
        if (!p || plen + ENVELOPE_HEADER + ENVELOPE_SIG + 48 != size || p[plen] != 0)
            abort();
    } else if (p || plen) {
        abort();
    }
    free(p);
    (void)envelope_error_text(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!kiosk_keys)
        init_keys();

    /* As a sync file. */
    struct envelope_header h;
    enum envelope_error pe = envelope_peek(data, size, &h);
    if (pe == ENVELOPE_OK && (uint64_t)h.cipher_len + ENVELOPE_HEADER + ENVELOPE_SIG != size)
        abort();
    open_one(data, size, kiosk_keys, central_keys);
    open_one(data, size, central_keys, kiosk_keys);

    /* As a public key file. */
    struct public_key pk;
    char err[256], text[512];
    if (public_key_parse((const char *)data, size, &pk, err, sizeof err) == 0) {
        struct public_key again;
        if (public_key_format(&pk, text, sizeof text) != 0 ||
            public_key_parse(text, strlen(text), &again, err, sizeof err) != 0 ||
            memcmp(&pk, &again, sizeof pk) != 0)
            abort();
    }

    /* As a payload: what is sealed opens unchanged. */
    if (size <= 4096) {
        uint8_t *env, *back;
        size_t elen, blen;
        if (envelope_seal(ENVELOPE_BATCH, kiosk_keys, keystore_public(central_keys), size, 0, data,
                          size, &env, &elen) != ENVELOPE_OK)
            abort();
        if (envelope_open(env, elen, keystore_public(kiosk_keys), central_keys, &h, &back, &blen) !=
                ENVELOPE_OK ||
            blen != size || (size && memcmp(back, data, size) != 0) || h.sequence != size)
            abort();
        free(back);
        free(env);
    }
    return 0;
}
