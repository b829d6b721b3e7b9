/*
 * audit_ingest.c - the kiosks' audit rows stored at the registry, with the
 * linkage checks audit_ingest.h describes.
 *
 * Every statement is bound (PQexecParams through pg.c). A break is a note,
 * never a refusal: the rows are evidence and are kept as sent; a row that
 * is already held is never overwritten, even when the new one differs
 * (that difference is itself noted). Never prints.
 */
#include "audit_ingest.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

static const char ZERO_MAC[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct notes {
    char *buf;
    size_t sz;
};

static void note(struct notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct notes *n, const char *fmt, ...)
{
    size_t used = strlen(n->buf);
    if (used + 4 >= n->sz)
        return;
    if (used) {
        memcpy(n->buf + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->buf + used, n->sz - used, fmt, ap);
    va_end(ap);
}

/* The row held for KIOSK with the highest id below BELOW (0: none). */
static int last_below(PGconn *c, const char *kiosk, int64_t below, int64_t *id,
                      char mac[BATCH_MAC_HEX + 1], char *err, size_t errsz)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, below);
    const char *p[2] = {kiosk, b};
    PGresult *r = pg_query(c, "reading the audit rows held",
                           "SELECT id, mac FROM audit WHERE kiosk = $1 AND id < $2::bigint"
                           " ORDER BY id DESC LIMIT 1",
                           2, p, err, errsz);
    if (!r)
        return -1;
    *id = 0;
    mac[0] = '\0';
    if (PQntuples(r) == 1) {
        *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        snprintf(mac, BATCH_MAC_HEX + 1, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return 0;
}

/* Does the first new row chain onto the rows held? */
static int check_link(PGconn *c, const char *kiosk, const struct batch_audit_row *first,
                      struct notes *n, char *err, size_t errsz)
{
    int64_t held = 0;
    char mac[BATCH_MAC_HEX + 1];
    if (last_below(c, kiosk, first->id, &held, mac, err, errsz) != 0)
        return -1;
    if (held == 0 && first->id == 1) {
        if (strcmp(first->prev_mac, ZERO_MAC) != 0)
            note(n, "audit break: row 1 does not start a chain");
    } else if (held != first->id - 1) {
        note(n, "audit break: rows %" PRId64 " to %" PRId64 " never arrived", held + 1,
             first->id - 1);
    } else if (strcmp(first->prev_mac, mac) != 0) {
        note(n, "audit break: row %" PRId64 " does not chain onto row %" PRId64 " held", first->id,
             held);
    }
    return 0;
}

static int insert_rows(PGconn *c, const char *kiosk, const struct batch *b, size_t *fresh,
                       struct notes *n, char *err, size_t errsz)
{
    char batch_no[24];
    snprintf(batch_no, sizeof batch_no, "%" PRIu64, b->batch_no);
    bool noted_link = false, noted_differs = false;
    for (size_t i = 0; i < b->n_audit; i++) {
        const struct batch_audit_row *a = &b->audit[i];
        if (i && !noted_link && strcmp(a->prev_mac, b->audit[i - 1].mac) != 0) {
            note(n, "audit break: row %" PRId64 " does not chain onto row %" PRId64, a->id,
                 b->audit[i - 1].id);
            noted_link = true;
        }
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, a->id);
        const char *p[10] = {kiosk,      id,        a->at,       a->actor, a->action,
                             a->subject, a->detail, a->prev_mac, a->mac,   batch_no};
        PGresult *r = pg_query(c, "storing an audit row",
                               "INSERT INTO audit (kiosk, id, at, actor, action, subject, detail,"
                               " prev_mac, mac, batch_no) VALUES ($1, $2::bigint,"
                               " $3::timestamptz, $4, $5, $6, $7, $8, $9, $10::bigint)"
                               " ON CONFLICT (kiosk, id) DO NOTHING RETURNING id",
                               10, p, err, errsz);
        if (!r)
            return -1;
        int added = PQntuples(r);
        PQclear(r);
        if (added) {
            (*fresh)++;
            continue;
        }
        if (noted_differs)
            continue;
        const char *q[3] = {kiosk, id, a->mac};
        r = pg_query(c, "comparing an audit row held",
                     /* The mac covers every field: comparing it is enough. */
                     "SELECT mac = $3 FROM audit WHERE kiosk = $1 AND id = $2::bigint", 3, q, err,
                     errsz);
        if (!r)
            return -1;
        bool same = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
        if (!same) {
            note(n, "audit break: row %" PRId64 " differs from the row held (kept the first)",
                 a->id);
            noted_differs = true;
        }
    }
    return 0;
}

/* The kiosk's head against what the registry now holds. */
static int check_head(PGconn *c, const char *kiosk, const struct batch_audit_head *h,
                      struct notes *n, char *err, size_t errsz)
{
    int64_t held = 0;
    char mac[BATCH_MAC_HEX + 1];
    if (last_below(c, kiosk, INT64_MAX, &held, mac, err, errsz) != 0)
        return -1;
    if (h->last_id < held)
        note(n,
             "audit break: the kiosk's trail ends at row %" PRId64 " but the registry holds rows"
             " up to %" PRId64 " (rows deleted at the kiosk)",
             h->last_id, held);
    else if (h->last_id == held && held > 0 && strcmp(h->last_mac, mac) != 0)
        note(n, "audit break: the kiosk's row %" PRId64 " differs from the row held", held);
    if (h->count != h->last_id)
        note(n,
             "audit break: the kiosk's trail holds %" PRId64 " rows up to id %" PRId64
             " (rows missing there)",
             h->count, h->last_id);
    return 0;
}

int audit_ingest(PGconn *c, const char *kiosk, const struct batch *b, size_t *fresh, char *note_out,
                 size_t notesz, char *err, size_t errsz)
{
    struct notes n = {note_out, notesz};
    *fresh = 0;
    if (notesz)
        note_out[0] = '\0';
    if (b->n_audit && (check_link(c, kiosk, &b->audit[0], &n, err, errsz) != 0 ||
                       insert_rows(c, kiosk, b, fresh, &n, err, errsz) != 0))
        return -1;
    if (b->has_audit_head && check_head(c, kiosk, &b->audit_head, &n, err, errsz) != 0)
        return -1;
    char batch_no[24], count[24];
    snprintf(batch_no, sizeof batch_no, "%" PRIu64, b->batch_no);
    snprintf(count, sizeof count, "%zu", *fresh);
    const char *p[4] = {kiosk, batch_no, count, note_out[0] ? note_out : NULL};
    return pg_exec(c, "recording the batch's audit rows",
                   "UPDATE batches SET audit_rows = $3::integer, audit_note = $4"
                   " WHERE kiosk = $1 AND batch_no = $2::bigint",
                   4, p, err, errsz);
}
