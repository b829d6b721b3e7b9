/*
 * staging.h - the bulk path of ingest: a batch's records, with the
 * registry's decisions, copied into a TEMP staging table with
 * COPY ... FROM STDIN (text format), from which one INSERT ... SELECT
 * puts the new ones into registrations.
 *
 * Text-format COPY needs every value escaped (backslash, tab, newline,
 * carriage return); copy_escape does it and is pure, for the unit test.
 * Never prints.
 */
#ifndef NSER_CENTRAL_STAGING_H
#define NSER_CENTRAL_STAGING_H

#include <stddef.h>

#include <libpq-fe.h>

#include "batch_json.h"
#include "decide.h"

struct copy_buf {
    char *data;
    size_t len, cap;
    int failed; /* out of memory: the buffer is unusable */
};

/* Appends S escaped for COPY text format (NULL appends \N). */
void copy_escape(struct copy_buf *b, const char *s);
/* Appends raw bytes (delimiters). */
void copy_raw(struct copy_buf *b, const char *s, size_t n);
void copy_buf_free(struct copy_buf *b);

/*
 * Inside the caller's transaction: creates the TEMP table "staging"
 * (dropped at commit) and copies B's records into it, with DISTRICT, the
 * decisions D (one per record) and STATUS_DATE (YYYY-MM-DD). 0 or -1 with ERR.
 */
int staging_load(PGconn *c, const struct batch *b, const struct decision *d, const char *district,
                 const char *status_date, char *err, size_t errsz);

#endif
