/*
 * audit_ingest.h - storing the audit rows a batch carries at the registry
 * (schema version 2, table audit) and checking they chain onto what the
 * registry already holds for that kiosk.
 *
 * The registry has no kiosk's MAC key, so it checks linkage, not MACs: the
 * first new row's prev_mac must be the mac of the last row held, ids must
 * follow on, a row sent again must be the row held, and the head (count,
 * last id, last mac) must not fall behind what the registry holds (rows
 * deleted at the end of a kiosk's trail). What does not fit is returned as
 * a note for the report and kept on the batch row; it never refuses the
 * batch, so the evidence is stored. Never prints; the note holds ids and
 * counts only.
 */
#ifndef NSER_CENTRAL_AUDIT_INGEST_H
#define NSER_CENTRAL_AUDIT_INGEST_H

#include <stddef.h>

#include <libpq-fe.h>

#include "batch_json.h"

/*
 * Inside the batch's transaction (the kiosk's row locked): inserts B's
 * audit rows for KIOSK (ON CONFLICT DO NOTHING), *FRESH the rows new, and
 * records the count and NOTE ("" when all is well) on the batch row. 0,
 * or -1 with ERR on a database failure (the caller rolls back).
 */
int audit_ingest(PGconn *c, const char *kiosk, const struct batch *b, size_t *fresh, char *note,
                 size_t notesz, char *err, size_t errsz);

#endif
