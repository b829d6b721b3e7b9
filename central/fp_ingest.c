/*
 * fp_ingest.c - stores the fingerprints a batch carries (central/fp_ingest.h).
 *
 * One fixed INSERT with text parameters per record that has a fingerprint;
 * the bytes go as bytea hex text ("\x..."), so no binary parameter handling
 * is needed, and the hex buffers are wiped before they are freed. ON
 * CONFLICT DO NOTHING makes a batch sent again, under any number, add
 * nothing. The registration row (same uuid, version) was inserted earlier
 * in the same transaction, which the foreign key relies on. Never logs.
 */
#include "fp_ingest.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

static const char SQL_INSERT[] =
    "INSERT INTO biometrics (uuid, version, district, kiosk, batch_no, kind, finger, driver,"
    " captured, retries, print, image, exception, signed_off_by)"
    " VALUES ($1::uuid, $2::integer, $3, $4, $5::bigint, $6, $7, $8, $9::timestamptz,"
    " $10::integer, $11::bytea, $12::bytea, $13, $14)"
    " ON CONFLICT (uuid, version) DO NOTHING";

/* "\x" and the hex of BYTES in a new buffer; NULL when out of memory. */
static char *bytea_hex(const uint8_t *bytes, size_t n, size_t *size)
{
    *size = 2 + 2 * n + 1;
    char *t = malloc(*size);
    if (!t)
        return NULL;
    t[0] = '\\';
    t[1] = 'x';
    sodium_bin2hex(t + 2, 2 * n + 1, bytes, n);
    return t;
}

static void wipe_free(char *p, size_t n)
{
    if (p)
        sodium_memzero(p, n);
    free(p);
}

int fp_ingest(PGconn *c, const char *kiosk, const char *district, const struct batch *b,
              size_t *stored, char *err, size_t errsz)
{
    *stored = 0;
    char batch_no[24];
    snprintf(batch_no, sizeof batch_no, "%" PRIu64, b->batch_no);
    for (size_t i = 0; i < b->n_records; i++) {
        const struct batch_record *r = &b->records[i];
        if (r->fp_kind == BATCH_FP_NONE)
            continue;
        bool print = r->fp_kind == BATCH_FP_PRINT;
        char version[16], retries[16];
        snprintf(version, sizeof version, "%d", r->version);
        snprintf(retries, sizeof retries, "%d", r->fp_retries);
        size_t psz = 0, isz = 0;
        char *phex = print ? bytea_hex(r->fp_print, r->fp_print_len, &psz) : NULL;
        char *ihex = print && r->fp_image ? bytea_hex(r->fp_image, r->fp_image_len, &isz) : NULL;
        if ((print && !phex) || (print && r->fp_image && !ihex)) {
            wipe_free(phex, psz);
            wipe_free(ihex, isz);
            snprintf(err, errsz, "storing a fingerprint: out of memory");
            return -1;
        }
        const char *p[14] = {r->uuid,
                             version,
                             district,
                             kiosk,
                             batch_no,
                             print ? "print" : "exception",
                             print ? r->fp_finger : NULL,
                             print ? r->fp_driver : NULL,
                             r->fp_at,
                             retries,
                             phex,
                             ihex,
                             print ? NULL : r->fp_reason,
                             print ? NULL : r->fp_signed_off_by};
        PGresult *res = pg_query(c, "storing a fingerprint", SQL_INSERT, 14, p, err, errsz);
        wipe_free(phex, psz);
        wipe_free(ihex, isz);
        if (!res)
            return -1;
        *stored += strtoull(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    return 0;
}
