/*
 * ack.h - acknowledgement files (docs/sync.md, "Acknowledgement payload"):
 * every record of the batches an ingest run processed, with its current
 * status, and the district snapshot, sealed for the kiosk.
 *
 * The ack row and the file go together: the row is committed only after
 * the file is in place (written atomically), so a row never exists
 * without its file; a crash in between leaves a file with no row, which
 * the next run writes again under the same number. Never prints; names
 * and CNICs go only into the sealed payload, masked names only.
 */
#ifndef NSER_CENTRAL_ACK_H
#define NSER_CENTRAL_ACK_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../kiosk/keystore.h"
#include "batch_json.h"
#include "kiosks.h"

struct ack_list {
    struct ack_key {
        char uuid[BATCH_UUID_LEN + 1];
        int version;
    } * v;
    size_t n, cap;
};

int ack_list_add(struct ack_list *l, const char *uuid, int version);
void ack_list_free(struct ack_list *l);

struct ack_result {
    uint64_t ack_no;
    size_t records;  /* named with a status */
    size_t missing;  /* asked for but not on file (never applied): left unacknowledged */
    size_t snapshot; /* district snapshot entries */
    char file[64];   /* KKKKK-ack-NNNNNN.nsera */
};

/* Writes kiosk K's next acknowledgement into OUT_DIR, naming the records
 * of L, sealed with CENTRAL's keys for K. 0 or -1 with ERR. */
int ack_write(PGconn *c, const struct keystore *central, const struct central_kiosk *k,
              const struct ack_list *l, const char *out_dir, int64_t now, struct ack_result *res,
              char *err, size_t errsz);

#endif
