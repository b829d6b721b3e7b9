/*
 * sync_store.h - the local store's side of sync: the outbox records not
 * yet acknowledged, the batches written, the acknowledgements applied and
 * the district's status snapshot (schema version 2, db/migrations.c).
 *
 * The SQL of sync lives here and nowhere else; kiosk/sync.c builds and
 * reads the files. Each write that must be all-or-nothing (recording a
 * batch, applying an acknowledgement) is one transaction. Never draws,
 * never prints; error details name what failed, never a person.
 */
#ifndef NSER_SYNC_STORE_H
#define NSER_SYNC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "registry.h"
#include "../kiosk/sync_ack.h"

/* One unacknowledged record, as a batch carries it (answers and score apart). */
struct sync_pending {
    int64_t outbox_id;
    int64_t registration_id;
    char uuid[UUID_TEXT_LEN + 1];
    int version;
    char supersedes[UUID_TEXT_LEN + 1]; /* "" for a first version */
    char tracking[TRACKING_DIGITS + 1];
    char cnic[CNIC_DIGITS + 1];
    char head_name[HEAD_NAME_MAX];
    char created[21]; /* YYYY-MM-DDTHH:MM:SSZ */
    char questionnaire_id[32];
    char questionnaire_version[16];
    int member_count;
};

/*
 * Up to LIMIT records whose outbox row is not acknowledged: never sent
 * first, then those sent longest ago; oldest first within each. *OUT is malloc'd (free with
 * sync_pending_free); *N may be 0 (then *OUT is NULL).
 */
enum db_result sync_store_pending(struct db *db, size_t limit, struct sync_pending **out,
                                  size_t *n);
/* Wipes (names and CNICs) and frees N records. */
void sync_pending_free(struct sync_pending *p, size_t n);

/* Called for each stored answer of a registration; non-zero stops the walk. */
typedef int (*sync_answer_cb)(void *ud, int member, const char *question, const char *value);
/* Every answer of REGISTRATION_ID, household first, then by member and question. */
enum db_result sync_store_answers(struct db *db, int64_t registration_id, sync_answer_cb cb,
                                  void *ud);

struct bio_info;
/*
 * The fingerprint row of REGISTRATION_ID as a batch carries it: a print
 * (*SEALED malloc'd, for kiosk/biometric_vault.h to open) or an exception
 * (*SEALED NULL). DB_NOT_FOUND when none, or wiped already. Staff prints
 * are never returned. (SQL in db/biometrics.c, with the other biometric SQL.)
 */
enum db_result sync_store_print(struct db *db, int64_t registration_id, struct bio_info *info,
                                uint8_t **sealed, size_t *len);

/* The number the next batch gets: one more than the last recorded (1 at first). */
enum db_result sync_store_next_batch(struct db *db, uint64_t *next);

/*
 * In one transaction: the sync_batches row (BATCH_NO, NOW, N, FILE_NAME,
 * AUDIT_UPTO: the last audit row the batch carried, or the previous
 * batch's when it carried none) and, for each of the N outbox rows,
 * exported_at = NOW (kept if already set) and batch_no = BATCH_NO. N may
 * be 0 for a batch of audit rows alone. Their fingerprint rows get sent_at. Call only after the
 * batch file is durable.
 */
enum db_result sync_store_record_batch(struct db *db, uint64_t batch_no, time_t now,
                                       const char *file_name, const int64_t *outbox_ids, size_t n,
                                       int64_t audit_upto);

/* Whether acknowledgement ACK_NO was applied already. */
enum db_result sync_store_ack_seen(struct db *db, uint64_t ack_no, bool *seen);

struct sync_apply_counts {
    bool already;            /* applied before: nothing was changed */
    size_t acked;            /* outbox rows newly acknowledged */
    size_t unknown;          /* named records this kiosk does not have */
    size_t statuses_changed; /* registrations whose status or its date changed */
    size_t snapshot;         /* snapshot entries stored */
    size_t prints_wiped;     /* fingerprint rows wiped (or exceptions marked) */
};

/*
 * Applies A in one transaction: acked_at (and exported_at, when the batch
 * that carried the record was never recorded here) for each named record;
 * its status and date unless a later acknowledgement set them already;
 * the snapshot of A's district replaced by A's entries (when A has one);
 * each named record's print and image wiped (db/biometrics.h); the
 * sync_imports row. After the commit the log is emptied when a print was
 * wiped. *C gets the counts.
 */
enum db_result sync_store_apply_ack(struct db *db, const struct sync_ack *a, const char *file_name,
                                    time_t now, struct sync_apply_counts *c);

struct sync_store_info {
    size_t backlog;         /* outbox rows not acknowledged */
    int64_t oldest_unacked; /* Unix seconds, 0 when none */
    int64_t last_export;    /* Unix seconds of the last batch, 0 never */
    uint64_t last_batch;
    int64_t last_import;
    uint64_t last_ack;
};
enum db_result sync_store_info(struct db *db, struct sync_store_info *out);

/*
 * The snapshot's entry for a tracking ID (BY_TRACKING, 16 digits) or the
 * latest for a CNIC (13 digits). DB_NOT_FOUND when none.
 */
enum db_result sync_store_snapshot_find(struct db *db, bool by_tracking, const char *digits,
                                        struct sync_snapshot_entry *out);

#endif
