/*
 * fp_ingest.h - the heads' fingerprints of one batch into the registry's
 * biometrics table (schema version 3), inside the batch's transaction.
 *
 * Never logs or prints a print, an image or a name.
 */
#ifndef NSER_CENTRAL_FP_INGEST_H
#define NSER_CENTRAL_FP_INGEST_H

#include <libpq-fe.h>
#include <stddef.h>

#include "batch_json.h"

/* Stores the fingerprint (print or exception) of each record of B that has
 * one, once per (uuid, version): a row already there is kept as it is.
 * *STORED gets the rows added. 0, or -1 with ERR (the caller rolls back). */
int fp_ingest(PGconn *c, const char *kiosk, const char *district, const struct batch *b,
              size_t *stored, char *err, size_t errsz);

#endif
