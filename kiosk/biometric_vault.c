/*
 * biometric_vault.c - seals and opens fingerprint captures with the kiosk's
 * biometric key (libsodium secretbox, XChaCha20-Poly1305).
 *
 * Sealed layout: "NBV" and version 1 (4 bytes), a random 24-byte nonce, then
 * crypto_secretbox_xchacha20poly1305_easy of the clear bio_record. The key
 * file is 32 raw bytes, 0600, refused when group or others may read it or
 * when it has any other size; it is made with atomic_write, so a crash
 * never leaves half a key. The key lives in locked memory where the system
 * allows it and is wiped when the vault is freed; every clear record is
 * wiped before it is freed. Never logs, never prints.
 */
#include "biometric_vault.h"
#include "errbuf.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keyfile.h"
#include "bio_record.h"

#define KEY_FILE  "biometric.key"
#define KEY_BYTES crypto_secretbox_xchacha20poly1305_KEYBYTES
#define NONCE     crypto_secretbox_xchacha20poly1305_NONCEBYTES
#define MAC       crypto_secretbox_xchacha20poly1305_MACBYTES
#define HDR       4

struct bio_vault {
    uint8_t key[KEY_BYTES];
};

_Static_assert(KEY_BYTES == 32, "the biometric key file holds 32 bytes");

struct bio_vault *bio_vault_open(const char *key_dir, int create, char *err, size_t errsz)
{
    if (sodium_init() < 0) {
        err_set(err, errsz, "libsodium cannot start");
        return NULL;
    }
    if (!key_dir || !key_dir[0]) {
        err_set(err, errsz, "no key folder configured");
        return NULL;
    }
    struct bio_vault *v = sodium_malloc(sizeof *v);
    if (!v) {
        err_set(err, errsz, "no memory for the biometric key");
        return NULL;
    }
    int got = keyfile_read(key_dir, KEY_FILE, v->key, KEY_BYTES, err, errsz);
    if (got == 0 && create && keyfile_make(key_dir, KEY_FILE, KEY_BYTES, err, errsz) == 0)
        got = keyfile_read(key_dir, KEY_FILE, v->key, KEY_BYTES, err, errsz);
    else if (got == 0 && !create)
        err_set(err, errsz, "%s/%s: no such file (run nser-kiosk keys init)", key_dir, KEY_FILE);
    if (got != 1) {
        bio_vault_free(v);
        return NULL;
    }
    return v;
}

void bio_vault_free(struct bio_vault *v)
{
    /* sodium_free wipes the whole allocation before releasing it. */
    if (v)
        sodium_free(v);
}

int bio_vault_seal(const struct bio_vault *v, const struct fp_capture *c, uint8_t **out,
                   size_t *outlen)
{
    if (!v || !c || !out || !outlen)
        return -1;
    uint8_t *clear = NULL;
    size_t clear_len = 0;
    if (bio_record_encode(c, &clear, &clear_len) != 0)
        return -1;
    size_t total = HDR + NONCE + MAC + clear_len;
    uint8_t *b = malloc(total);
    int rc = -1;
    if (b) {
        memcpy(b, "NBV", 3);
        b[3] = 1;
        randombytes_buf(b + HDR, NONCE);
        if (crypto_secretbox_xchacha20poly1305_easy(b + HDR + NONCE, clear, clear_len, b + HDR,
                                                    v->key) == 0) {
            *out = b;
            *outlen = total;
            rc = 0;
        } else {
            free(b);
        }
    }
    sodium_memzero(clear, clear_len);
    free(clear);
    return rc;
}

int bio_vault_unseal(const struct bio_vault *v, const uint8_t *sealed, size_t len,
                     struct fp_capture **out, char *why, size_t whysz)
{
    if (!out)
        return err_set(why, whysz, "nowhere to put the capture");
    *out = NULL;
    if (!v || !sealed || len < HDR + NONCE + MAC + 1)
        return err_set(why, whysz, "sealed fingerprint too short");
    if (memcmp(sealed, "NBV", 3) != 0 || sealed[3] != 1)
        return err_set(why, whysz, "not a sealed fingerprint of a known version");
    size_t clear_len = len - HDR - NONCE - MAC;
    uint8_t *clear = malloc(clear_len);
    if (!clear)
        return err_set(why, whysz, "no memory to open a sealed fingerprint");
    int rc;
    if (crypto_secretbox_xchacha20poly1305_open_easy(clear, sealed + HDR + NONCE, len - HDR - NONCE,
                                                     sealed + HDR, v->key) != 0)
        rc = err_set(why, whysz,
                     "the sealed fingerprint does not open (wrong key or changed bytes)");
    else
        rc = bio_record_decode(clear, clear_len, out, why, whysz);
    sodium_memzero(clear, clear_len);
    free(clear);
    return rc;
}
