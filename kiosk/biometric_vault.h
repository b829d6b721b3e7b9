/*
 * biometric_vault.h - fingerprints at rest: a capture (print, image and
 * what was captured when) sealed with the kiosk's biometric key
 * (key_dir/biometric.key, 32 random bytes, 0600, made with the other keys
 * or on first use) using XChaCha20-Poly1305 (libsodium secretbox).
 *
 * The only code that sees a print in the clear between the driver and the
 * sync batch. Never logs, never draws, never writes a clear print to disk;
 * every buffer that held one is wiped (sodium_memzero) before it is freed.
 */
#ifndef NSER_BIOMETRIC_VAULT_H
#define NSER_BIOMETRIC_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

struct bio_vault;

/* Loads (or, with CREATE, makes) KEY_DIR/biometric.key. NULL with a reason. */
struct bio_vault *bio_vault_open(const char *key_dir, int create, char *err, size_t errsz);
void bio_vault_free(struct bio_vault *v);

/* Seals C into a new buffer (*OUT, *OUTLEN; free with free()). 0 or -1. */
int bio_vault_seal(const struct bio_vault *v, const struct fp_capture *c, uint8_t **out,
                   size_t *outlen);
/* Opens SEALED into a new capture (fp_capture_free). -1 with a reason when
 * the key is wrong, the bytes were changed, or the record inside is bad. */
int bio_vault_unseal(const struct bio_vault *v, const uint8_t *sealed, size_t len,
                     struct fp_capture **out, char *why, size_t whysz);

#endif
