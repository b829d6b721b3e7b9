/*
 * kiosks.h - the kiosks the registry accepts batches from: their code,
 * district and public keys (`nser-central kiosk add`), and the lookup
 * ingest makes for every file's sender.
 *
 * A kiosk's key is never replaced by accident: adding a different key for
 * a known code is refused unless the caller says replace. Never prints.
 */
#ifndef NSER_CENTRAL_KIOSKS_H
#define NSER_CENTRAL_KIOSKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../kiosk/keystore.h"

#define DISTRICT_MAX 33 /* 1-32 of [a-z0-9_-], NUL included */

struct central_kiosk {
    char code[KEY_ID_MAX + 1];
    char district[DISTRICT_MAX];
    struct public_key pk; /* role "kiosk", id = code */
    int64_t last_batch;   /* highest batch number applied, 0 none */
    int64_t last_ack;     /* highest acknowledgement written, 0 none */
};

/* True for a district code: 1-32 of [a-z0-9_-], starting with a letter or digit. */
bool district_valid(const char *s);

enum kiosk_add_result { KIOSK_ADDED, KIOSK_UNCHANGED, KIOSK_REPLACED, KIOSK_ADD_FAILED };

/* Registers PK (role kiosk, a 5-digit id) for DISTRICT. */
enum kiosk_add_result kiosk_add(PGconn *c, const struct public_key *pk, const char *district,
                                bool replace, char *err, size_t errsz);

/* 1 found (OUT filled), 0 unknown, -1 error (ERR). */
int kiosk_find(PGconn *c, const char *code, struct central_kiosk *out, char *err, size_t errsz);

#endif
