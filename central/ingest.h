/*
 * ingest.h - `nser-central ingest`: every batch file in a folder verified,
 * opened, checked and applied (one transaction per batch), then one
 * acknowledgement per kiosk touched.
 *
 * Idempotent: a replayed batch changes nothing but is acknowledged again;
 * records are keyed by (uuid, version) and inserted with ON CONFLICT DO
 * NOTHING, so a kill -9 at any moment followed by a rerun leaves nothing
 * half-applied or doubled. Files are only read, never moved or deleted.
 * Writes the report (one line per file, one per acknowledgement, a
 * summary) to stdout and to the report file; never a CNIC or a name.
 */
#ifndef NSER_CENTRAL_INGEST_H
#define NSER_CENTRAL_INGEST_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

struct ingest_options {
    const char *keys_dir; /* central.secret */
    const char *in_dir;   /* *.nserb */
    const char *out_dir;  /* acknowledgements, created if missing */
    const char *data_dir; /* score tables; NULL: the shipped data folder */
    FILE *report;         /* a copy of the report, or NULL */
};

/*
 * -1 when the run could not start or had to stop (ERR: keys, tables,
 * folders, the database gone); otherwise the number of files refused or
 * failed and acknowledgements not written (0: all well).
 */
int ingest_run(PGconn *c, const struct ingest_options *o, char *err, size_t errsz);

#endif
