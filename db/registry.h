/*
 * registry.h - registrations in the local store: confirm a draft, look a
 * registration up by CNIC or tracking ID, read its answers and score back.
 *
 * A confirmed registration (its row, answers, score and outbox row, and the
 * draft's removal) is written in exactly one transaction: after registry_confirm
 * returns DB_OK it survives a power cut; if it fails nothing of it is
 * stored. Every statement is prepared with bound parameters.
 * Never draws, never prints.
 */
#ifndef NSER_REGISTRY_H
#define NSER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "../kiosk/cnic.h"
#include "../kiosk/answers.h"
#include "../kiosk/status.h"
#include "../kiosk/tracking.h"

#define UUID_TEXT_LEN 36
#define HEAD_NAME_MAX 96

struct registration_meta {
    char kiosk_code[TRACKING_KIOSK_DIGITS + 1];
    time_t now;                          /* registration time (UTC) */
    char record_uuid[UUID_TEXT_LEN + 1]; /* for a new household; an update
                                            reuses the earlier record's */
    char head_name[HEAD_NAME_MAX];       /* kept on the row for status answers */
    char questionnaire_id[32];
    char questionnaire_version[16];
    /* Optional: runs inside the confirmation's transaction once the row
     * exists (the audit entry and the head's fingerprint, so a
     * registration and what hangs on it are stored together or not at
     * all), with the new row's id. Non-zero rolls everything back. */
    int (*in_tx)(void *ud, struct db *db, const struct tracking_id *t, int version,
                 int64_t registration_id);
    void *in_tx_ud;
};

/*
 * The provisional score as stored: which table and thresholds produced it,
 * the total, and per-indicator and per-programme lines so a clerk (and
 * central, recomputing with the same table) can see how it was reached.
 */
struct registration_score {
    char table_id[32];
    char table_version[16];
    double score;
    char breakdown[2048]; /* one line per indicator: "id\tanswer\tpoints\n" */
    char thresholds_id[32];
    char thresholds_version[16];
    char decisions[512]; /* one line per programme: "id\teligible|not_eligible\n" */
};

struct registration_summary {
    int64_t id;
    struct tracking_id tracking;
    struct cnic cnic;
    enum reg_status status;
    char status_date[11];          /* YYYY-MM-DD of the last status change */
    char registered_date[11];      /* YYYY-MM-DD of the registration */
    char head_name[HEAD_NAME_MAX]; /* raw; the caller masks it */
    char record_uuid[UUID_TEXT_LEN + 1];
    int record_version;
    time_t registered_at; /* Unix seconds (the stored UTC time) */
    bool trimmed;         /* answers and score gone (privacy); ID, CNIC, status kept */
};

/*
 * Confirms DRAFT as a registration, in one transaction: the registration
 * row (next sequence number for META->now's UTC date, tracking ID into
 * *OUT), every answer of A (the household as reviewed, hidden questions
 * already dropped; member I of A is stored as member I), SCORE (may be
 * NULL), the outbox row, and the draft deleted. If the draft updates a
 * registration, or the head's CNIC already has one here, the new row is an
 * update: same record UUID, version + 1, supersedes the latest one.
 */
enum db_result registry_confirm(struct db *db, int64_t draft, const struct answers *a,
                                const struct registration_score *score,
                                const struct registration_meta *meta, struct tracking_id *out);

/* Latest registration for CNIC (by head's CNIC). */
enum db_result registry_find_by_cnic(struct db *db, const struct cnic *c,
                                     struct registration_summary *out);
enum db_result registry_find_by_tracking(struct db *db, const struct tracking_id *t,
                                         struct registration_summary *out);

/*
 * Registrations stored at FROM <= time < TO (Unix seconds; the caller
 * picks the day's bounds in local time), newest first, at most MAX into
 * OUT, the count into *N. Every version counts (an update is a row).
 */
enum db_result registry_list_range(struct db *db, time_t from, time_t to,
                                   struct registration_summary *out, size_t max, size_t *n);

/* The stored answers of registration ID into A (cleared first). */
enum db_result registry_load_answers(struct db *db, int64_t id, struct answers *a);
/* The stored score of registration ID; DB_NOT_FOUND when it has none. */
enum db_result registry_load_score(struct db *db, int64_t id, struct registration_score *out);

#endif
