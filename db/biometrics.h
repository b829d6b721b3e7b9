/*
 * biometrics.h - the SQL of fingerprints (schema step 4): one row per
 * enrolled finger or recorded exception, owned by a draft (moved to its
 * registration when it is confirmed) or by a staff account.
 *
 * Stores only SEALED bytes (kiosk/biometric_vault.h encrypts them before
 * they get here): this file never sees a print in the clear. Never draws,
 * never prints; every statement has bound parameters; error details never
 * hold a CNIC or a name.
 */
#ifndef NSER_DB_BIOMETRICS_H
#define NSER_DB_BIOMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"

#define BIO_FINGER_MAX  16 /* "right_thumb" */
#define BIO_DRIVER_MAX  32
#define BIO_REASON_MAX  16 /* exception codes: "worn", "injured", "missing", "other" */
#define BIO_ACCOUNT_MAX 32

/* What is known about one row, without its sealed bytes. */
struct bio_info {
    int64_t id;
    char finger[BIO_FINGER_MAX + 1];
    char driver[BIO_DRIVER_MAX + 1];
    time_t captured_at;
    int retries;
    bool has_image;
    /* An exception instead of a print: the reason code and the clerk who
     * signed it off ("" for a print). */
    char exception[BIO_REASON_MAX + 1];
    char signed_off_by[BIO_ACCOUNT_MAX + 1];
    /* Staff prints: the supervisor who approved it for log-in ("" = not yet). */
    char approved_by[BIO_ACCOUNT_MAX + 1];
};

/* --- a household head's finger, while the registration is a draft --- */

/* Stores the draft's print (replacing any earlier print or exception of it). */
enum db_result biometrics_put_draft(struct db *db, int64_t draft, const struct bio_info *info,
                                    const uint8_t *sealed, size_t len);
/* Records an exception for the draft (replacing any print): REASON, clerk CLERK. */
enum db_result biometrics_put_draft_exception(struct db *db, int64_t draft, const char *reason,
                                              const char *clerk, time_t now);
/* The draft's row; *SEALED (malloc'd, NULL for an exception) when SEALED is not
 * NULL. DB_NOT_FOUND when the draft has neither print nor exception. */
enum db_result biometrics_get_draft(struct db *db, int64_t draft, struct bio_info *info,
                                    uint8_t **sealed, size_t *len);
/* Inside registry_confirm's transaction (registration_meta.in_tx): the
 * draft's row becomes the registration's. DB_OK also when there is none. */
enum db_result biometrics_attach(struct db *db, int64_t draft, int64_t registration_id);
/* An update's new draft starts from the household's print: copy it over. */
enum db_result biometrics_copy_to_draft(struct db *db, int64_t registration_id, int64_t draft);

/* --- a registered household --- */

/* The latest print of REGISTRATION_ID's household (any version). DB_NOT_FOUND
 * when none is kept here (never taken, or wiped after central acknowledged it). */
enum db_result biometrics_get_registration(struct db *db, int64_t registration_id,
                                           struct bio_info *info, uint8_t **sealed, size_t *len);

/* --- staff accounts --- */

/* Stores ACCOUNT's print (replacing an earlier one; the approval is cleared). */
enum db_result biometrics_put_account(struct db *db, const char *account,
                                      const struct bio_info *info, const uint8_t *sealed,
                                      size_t len);
enum db_result biometrics_approve_account(struct db *db, const char *account,
                                          const char *supervisor, time_t now);
enum db_result biometrics_delete_account(struct db *db, const char *account);
/* ACCOUNT's print, approved or not (INFO->approved_by says). */
enum db_result biometrics_get_account(struct db *db, const char *account, struct bio_info *info,
                                      uint8_t **sealed, size_t *len);

/* --- sync (household prints only; staff prints never leave the kiosk) --- */
/* The sealed rows of registrations in a batch (sync_store_print in
 * db/sync_store.h). The two below are for db/sync_store.c inside its own
 * transactions; NOW is a store timestamp (db/rows.h). */

/* sent_at of OUTBOX_ID's registration's row, when it has one (kept once set). */
enum db_result biometrics_sync_sent(struct db *db, int64_t outbox_id, const char *now);
/* Central acknowledged REGISTRATION_ID: its print and image are wiped (sealed
 * NULL, wiped_at), finger, time and sent_at stay; acked_at set. Adds the rows
 * changed to *WIPED. */
enum db_result biometrics_sync_acked(struct db *db, int64_t registration_id, const char *now,
                                     size_t *wiped);
/* After the transaction that wiped prints committed: checkpoints and empties
 * the write-ahead log, so the wiped pages' old images leave it. */
void biometrics_flush_wiped(struct db *db);

/* --- privacy trimming --- */
/* Deletes the rows of trimmed households (registrations.trimmed_at set):
 * finger and time go with the answers. *FORGOTTEN gets the count. */
enum db_result biometrics_forget_trimmed(struct db *db, size_t *forgotten);

#endif
