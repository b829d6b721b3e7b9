/*
 * keystore.h - the keys a kiosk signs and opens sync batches with, and the
 * central registry's public keys it encrypts to and verifies against.
 *
 * A kiosk has two key pairs (libsodium): Ed25519 to sign what it sends,
 * X25519 to open what the registry encrypts to it. The registry's public
 * keys (the same two kinds) are installed by the centre manager. Files
 * live in one folder (config key_dir, default var/keys):
 *
 *   kiosk.secret   0600  "nser-secret-key 1" / "id" / "sign" / "box" lines
 *   kiosk.pub      0644  public key file (below), given to the registry
 *   central.pub    0644  the registry's public key file, installed
 *
 * A public key file is text, one "key value" per line, base64 values:
 *
 *   nser-public-key 1
 *   role kiosk            (or central)
 *   id 04217              (the kiosk code, or "central")
 *   sign <32-byte Ed25519 public key>
 *   box <32-byte X25519 public key>
 *
 * The same code makes and reads the registry's keys (role central), so
 * nser-central links this file too. Never prints; secret key bytes are
 * wiped when freed and never leave this file except to the crypto calls
 * of kiosk/envelope.c.
 */
#ifndef NSER_KEYSTORE_H
#define NSER_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_SIGN_PK 32
#define KEY_SIGN_SK 64
#define KEY_BOX_PK  32
#define KEY_BOX_SK  32
#define KEY_ID_MAX  8 /* "04217" or "central" */

struct public_key {
    char role[8]; /* "kiosk" or "central" */
    char id[KEY_ID_MAX + 1];
    uint8_t sign[KEY_SIGN_PK];
    uint8_t box[KEY_BOX_PK];
};

struct keystore; /* one party's own keys (secret and public) */

/* sodium_init(); 0 or -1. Safe to call more than once. */
int keys_crypto_init(void);

/*
 * Makes a new key pair set for ROLE ("kiosk" or "central") and ID in DIR
 * (created 0700 if missing): ROLE.secret (0600) and ROLE.pub. Refuses (-1,
 * reason in ERR) when ROLE.secret exists: a kiosk's identity is never
 * replaced by accident.
 */
int keystore_create(const char *dir, const char *role, const char *id, char *err, size_t errsz);

/* Loads ROLE.secret from DIR. NULL with a reason (missing: "run keys init"). */
struct keystore *keystore_load(const char *dir, const char *role, char *err, size_t errsz);
void keystore_free(struct keystore *k);

const struct public_key *keystore_public(const struct keystore *k);
const uint8_t *keystore_sign_sk(const struct keystore *k); /* KEY_SIGN_SK bytes */
const uint8_t *keystore_box_sk(const struct keystore *k);  /* KEY_BOX_SK bytes */

/* The public key file's text for PK. */
int public_key_format(const struct public_key *pk, char *out, size_t outsz);
/* Parses a public key file's text (LEN bytes). 0, or -1 with the line and reason. */
int public_key_parse(const char *text, size_t len, struct public_key *out, char *err, size_t errsz);
/* Reads and parses a public key file. */
int public_key_load(const char *path, struct public_key *out, char *err, size_t errsz);

/*
 * Installs the registry's public key file SRC as DIR/central.pub, after
 * checking it parses and says role central. Written atomically, 0644.
 */
int keystore_install_central(const char *dir, const char *src, char *err, size_t errsz);

#endif
