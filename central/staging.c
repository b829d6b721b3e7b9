/*
 * staging.c - COPY of a batch into the TEMP staging table.
 *
 * Rows are sent in chunks of about a megabyte so a 5,000-record batch
 * does not need one huge buffer. Must never send an unescaped value: a
 * tab or newline in a name would shift every column after it.
 */
#include "staging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

#define COPY_CHUNK (1u << 20)

/* The columns in the order staging_load sends them. */
static const char SQL_STAGING[] =
    "CREATE TEMP TABLE staging ON COMMIT DROP AS"
    " SELECT uuid, version, supersedes, district, kiosk, batch_no, tracking, cnic, head_name,"
    " created, questionnaire_id, questionnaire_version, member_count, answers, kiosk_score,"
    " kiosk_score_detail, table_id, table_version, thresholds_id, thresholds_version,"
    " central_score, decision, status, status_reason, status_date"
    " FROM registrations WITH NO DATA";
static const char SQL_COPY[] = "COPY staging FROM STDIN";

static void grow(struct copy_buf *b, size_t need)
{
    if (b->failed || b->len + need + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return;
    }
    b->data = p;
    b->cap = cap;
}

void copy_raw(struct copy_buf *b, const char *s, size_t n)
{
    grow(b, n);
    if (b->failed)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void copy_escape(struct copy_buf *b, const char *s)
{
    if (!s) {
        copy_raw(b, "\\N", 2);
        return;
    }
    for (const char *p = s; *p; p++) {
        const char *esc = NULL;
        switch (*p) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            break;
        }
        if (esc)
            copy_raw(b, esc, 2);
        else
            copy_raw(b, p, 1);
    }
}

void copy_buf_free(struct copy_buf *b)
{
    if (b->data)
        memset(b->data, 0, b->cap); /* names and CNICs */
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void field(struct copy_buf *b, const char *s, int last)
{
    copy_escape(b, s);
    copy_raw(b, last ? "\n" : "\t", 1);
}

static void add_row(struct copy_buf *b, const struct batch *bt, const struct batch_record *r,
                    const struct decision *d, const char *district, const char *status_date)
{
    char version[16], batch_no[24], members[16], kscore[40], cscore[40];
    snprintf(version, sizeof version, "%d", r->version);
    snprintf(batch_no, sizeof batch_no, "%llu", (unsigned long long)bt->batch_no);
    snprintf(members, sizeof members, "%d", r->member_count);
    snprintf(kscore, sizeof kscore, "%.6f", r->kiosk_score);
    snprintf(cscore, sizeof cscore, "%.6f", d->central_score);
    field(b, r->uuid, 0);
    field(b, version, 0);
    field(b, r->supersedes[0] ? r->supersedes : NULL, 0);
    field(b, district, 0);
    field(b, bt->kiosk, 0);
    field(b, batch_no, 0);
    field(b, r->tracking, 0);
    field(b, r->cnic, 0);
    field(b, r->head_name, 0);
    field(b, r->created, 0);
    field(b, r->questionnaire_id, 0);
    field(b, r->questionnaire_version, 0);
    field(b, members, 0);
    field(b, r->answers_json, 0);
    field(b, r->has_score ? kscore : NULL, 0);
    field(b, r->score_json, 0);
    field(b, r->has_score ? r->table_id : NULL, 0);
    field(b, r->has_score ? r->table_version : NULL, 0);
    field(b, r->thresholds_id[0] ? r->thresholds_id : NULL, 0);
    field(b, r->thresholds_id[0] ? r->thresholds_version : NULL, 0);
    field(b, d->scored ? cscore : NULL, 0);
    field(b, decision_code(d->kind), 0);
    field(b, d->status, 0);
    field(b, d->reason[0] ? d->reason : NULL, 0);
    field(b, status_date, 1);
}

static int copy_send(PGconn *c, struct copy_buf *b, char *err, size_t errsz)
{
    if (b->failed) {
        snprintf(err, errsz, "copying the records: out of memory");
        return -1;
    }
    if (b->len && PQputCopyData(c, b->data, (int)b->len) != 1) {
        pg_error(c, NULL, "copying the records", err, errsz);
        return -1;
    }
    /* A batch of audit rows alone has no records: no buffer at all. */
    if (b->len)
        memset(b->data, 0, b->len);
    b->len = 0;
    return 0;
}

int staging_load(PGconn *c, const struct batch *b, const struct decision *d, const char *district,
                 const char *status_date, char *err, size_t errsz)
{
    if (pg_exec(c, "making the staging table", SQL_STAGING, 0, NULL, err, errsz) != 0)
        return -1;
    PGresult *r = PQexec(c, SQL_COPY);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        pg_error(c, r, "starting the copy", err, errsz);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    struct copy_buf buf = {0};
    int rc = 0;
    for (size_t i = 0; i < b->n_records && rc == 0; i++) {
        add_row(&buf, b, &b->records[i], &d[i], district, status_date);
        if (buf.failed || buf.len >= COPY_CHUNK)
            rc = copy_send(c, &buf, err, errsz);
    }
    if (rc == 0)
        rc = copy_send(c, &buf, err, errsz);
    copy_buf_free(&buf);
    if (PQputCopyEnd(c, rc == 0 ? NULL : "ingest gave up") != 1 && rc == 0) {
        pg_error(c, NULL, "ending the copy", err, errsz);
        rc = -1;
    }
    /* The copy's own result, then the end of the command. */
    while ((r = PQgetResult(c)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_error(c, r, "copying the records", err, errsz);
            rc = -1;
        }
        PQclear(r);
    }
    return rc;
}
