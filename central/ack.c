/*
 * ack.c - building, sealing and writing a kiosk's acknowledgement, and
 * recording it in the acks table.
 *
 * Statuses are read back from registrations after the batches were
 * committed, so the acknowledgement says what the registry holds now
 * (a record made duplicate by a later batch says so). Must never write
 * an unmasked name into the snapshot, and never commit an ack row before
 * its file is in place.
 */
#include "ack.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../kiosk/atomic_file.h"
#include "../kiosk/envelope.h"
#include "../kiosk/status.h"
#include "pg.h"

int ack_list_add(struct ack_list *l, const char *uuid, int version)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct ack_key *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    snprintf(l->v[l->n].uuid, sizeof l->v[l->n].uuid, "%s", uuid);
    l->v[l->n].version = version;
    l->n++;
    return 0;
}

void ack_list_free(struct ack_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* "{a,b,...}" array literals for the two unnest() parameters. */
static int array_params(const struct ack_list *l, char **uuids, char **versions)
{
    size_t n = l->n;
    *uuids = malloc(n * (BATCH_UUID_LEN + 1) + 3);
    *versions = malloc(n * 12 + 3);
    if (!*uuids || !*versions)
        return -1;
    char *u = *uuids, *v = *versions;
    *u++ = '{';
    *v++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i) {
            *u++ = ',';
            *v++ = ',';
        }
        memcpy(u, l->v[i].uuid, BATCH_UUID_LEN);
        u += BATCH_UUID_LEN;
        v += sprintf(v, "%d", l->v[i].version);
    }
    *u++ = '}';
    *v++ = '}';
    *u = *v = '\0';
    return 0;
}

static void iso_time(int64_t t, char *out, size_t outsz)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int add_statuses(PGconn *c, const struct ack_list *l, json_t *acks, struct ack_result *res,
                        char *err, size_t errsz)
{
    if (l->n == 0)
        return 0;
    char *uuids = NULL, *versions = NULL;
    if (array_params(l, &uuids, &versions) != 0) {
        free(uuids);
        free(versions);
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    const char *p[2] = {uuids, versions};
    PGresult *r = pg_query(c, "reading the records' statuses",
                           "SELECT DISTINCT k.u, k.v, r.status,"
                           " to_char(r.status_date, 'YYYY-MM-DD'), r.uuid IS NULL"
                           " FROM unnest($1::uuid[], $2::integer[]) AS k(u, v)"
                           " LEFT JOIN registrations r ON r.uuid = k.u AND r.version = k.v"
                           " ORDER BY 1, 2",
                           2, p, err, errsz);
    free(uuids);
    free(versions);
    if (!r)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        /* Not on file (a replayed batch whose records never applied):
         * left out, so the kiosk sends them again. */
        if (strcmp(PQgetvalue(r, i, 4), "t") == 0) {
            res->missing++;
            continue;
        }
        json_t *o = json_pack("{s:s, s:i, s:s, s:s}", "uuid", PQgetvalue(r, i, 0), "version",
                              atoi(PQgetvalue(r, i, 1)), "status", PQgetvalue(r, i, 2),
                              "status_date", PQgetvalue(r, i, 3));
        if (!o || json_array_append_new(acks, o) != 0) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
        } else {
            res->records++;
        }
    }
    PQclear(r);
    return rc;
}

static int add_snapshot(PGconn *c, const struct central_kiosk *k, json_t *entries,
                        struct ack_result *res, char *err, size_t errsz)
{
    const char *p[2] = {k->district, k->code};
    PGresult *r = pg_query(c, "reading the district snapshot",
                           "SELECT tracking, cnic, status, to_char(status_date, 'YYYY-MM-DD'),"
                           " head_name FROM (SELECT DISTINCT ON (uuid) * FROM registrations"
                           " WHERE district = $1 AND kiosk <> $2 ORDER BY uuid, version DESC) s"
                           " ORDER BY tracking",
                           2, p, err, errsz);
    if (!r)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        char masked[512];
        name_mask(PQgetvalue(r, i, 4), masked, sizeof masked);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "tracking", PQgetvalue(r, i, 0), "cnic",
                              PQgetvalue(r, i, 1), "status", PQgetvalue(r, i, 2), "status_date",
                              PQgetvalue(r, i, 3), "head", masked);
        if (!o || json_array_append_new(entries, o) != 0) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
        } else {
            res->snapshot++;
        }
    }
    PQclear(r);
    return rc;
}

/* Inside the transaction: the payload for ACK_NO, sealed, written. */
static int build_and_write(PGconn *c, const struct keystore *central, const struct central_kiosk *k,
                           const struct ack_list *l, const char *out_dir, int64_t now,
                           struct ack_result *res, char *err, size_t errsz)
{
    char created[32];
    iso_time(now, created, sizeof created);
    json_t *acks = json_array(), *entries = json_array();
    json_t *root =
        json_pack("{s:s, s:i, s:s, s:I, s:s, s:o, s:{s:s, s:o}}", "format", "nser-ack", "version",
                  1, "kiosk", k->code, "ack", (json_int_t)res->ack_no, "created", created, "acks",
                  acks, "snapshot", "district", k->district, "entries", entries);
    if (!root) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    int rc = add_statuses(c, l, acks, res, err, errsz);
    if (rc == 0)
        rc = add_snapshot(c, k, entries, res, err, errsz);
    char *text = rc == 0 ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (rc != 0)
        return -1;
    if (!text) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    size_t tlen = strlen(text);
    uint8_t *sealed = NULL;
    size_t slen = 0;
    enum envelope_error e = envelope_seal(ENVELOPE_ACK, central, &k->pk, res->ack_no, now,
                                          (const uint8_t *)text, tlen, &sealed, &slen);
    memset(text, 0, tlen);
    free(text);
    if (e != ENVELOPE_OK) {
        snprintf(err, errsz, "sealing the acknowledgement: %s", envelope_error_text(e));
        return -1;
    }
    rc = atomic_write(out_dir, res->file, sealed, slen, 0644, err, errsz);
    free(sealed);
    return rc;
}

int ack_write(PGconn *c, const struct keystore *central, const struct central_kiosk *k,
              const struct ack_list *l, const char *out_dir, int64_t now, struct ack_result *res,
              char *err, size_t errsz)
{
    memset(res, 0, sizeof *res);
    if (pg_exec(c, "starting the transaction", "BEGIN", 0, NULL, err, errsz) != 0)
        return -1;
    const char *p1[1] = {k->code};
    PGresult *r = pg_query(c, "numbering the acknowledgement",
                           "UPDATE kiosks SET last_ack = last_ack + 1 WHERE code = $1"
                           " RETURNING last_ack",
                           1, p1, err, errsz);
    int rc = -1;
    if (r && PQntuples(r) == 1) {
        res->ack_no = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
        snprintf(res->file, sizeof res->file, "%s-ack-%06" PRIu64 ".nsera", k->code, res->ack_no);
        rc = 0;
    } else if (r) {
        snprintf(err, errsz, "kiosk %s is no longer registered", k->code);
    }
    PQclear(r);
    /* This kiosk's records changed since they were acknowledged: named
     * again, and no longer pending once this acknowledgement commits. */
    struct ack_list all = {0};
    if (rc == 0) {
        r = pg_query(c, "finding changed statuses",
                     "UPDATE registrations SET ack_pending = false"
                     " WHERE kiosk = $1 AND ack_pending RETURNING uuid, version",
                     1, p1, err, errsz);
        if (!r) {
            rc = -1;
        } else {
            for (size_t i = 0; rc == 0 && i < l->n; i++)
                rc = ack_list_add(&all, l->v[i].uuid, l->v[i].version);
            for (int i = 0; rc == 0 && i < PQntuples(r); i++)
                rc = ack_list_add(&all, PQgetvalue(r, i, 0), atoi(PQgetvalue(r, i, 1)));
            PQclear(r);
            if (rc != 0)
                snprintf(err, errsz, "out of memory");
        }
    }
    if (rc == 0)
        rc = build_and_write(c, central, k, &all, out_dir, now, res, err, errsz);
    ack_list_free(&all);
    if (rc == 0) {
        char no[24], recs[24], snap[24];
        snprintf(no, sizeof no, "%" PRIu64, res->ack_no);
        snprintf(recs, sizeof recs, "%zu", res->records);
        snprintf(snap, sizeof snap, "%zu", res->snapshot);
        const char *p[5] = {k->code, no, recs, snap, res->file};
        rc = pg_exec(c, "recording the acknowledgement",
                     "INSERT INTO acks (kiosk, ack_no, records, snapshot_entries, file)"
                     " VALUES ($1, $2::bigint, $3::integer, $4::integer, $5)",
                     5, p, err, errsz);
    }
    /* The file is in place before the row commits: a row never lacks its file. */
    if (rc == 0)
        rc = pg_exec(c, "committing the acknowledgement", "COMMIT", 0, NULL, err, errsz);
    if (rc != 0)
        PQclear(PQexec(c, "ROLLBACK"));
    return rc;
}
