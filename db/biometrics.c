/*
 * biometrics.c - the SQL of fingerprints (schema step 4): sealed prints and
 * exceptions of drafts, registrations and staff accounts, and the rows a
 * sync batch carries and the wipe after central's acknowledgement.
 *
 * Only sealed bytes pass through here. Every statement is a fixed string
 * with bound parameters; every write is one statement (an UPSERT replaces a
 * row in place) or one transaction. secure_delete is on for the connection
 * (db.c), so a replaced or wiped blob's pages are zeroed; after a wipe the
 * write-ahead log is checkpointed and truncated so the old page images do
 * not linger there either. Never draws, never prints; error details never
 * name a person or an account.
 */
#include "biometrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/fingerprint.h"
#include "db_internal.h"
#include "rows.h"
#include "sync_store.h"

#define COLS                                                                                       \
    "b.id, b.finger, b.driver, CAST(strftime('%s', b.captured_at) AS INTEGER), b.retries,"         \
    " b.has_image, b.exception, b.signed_off_by, b.approved_by, b.sealed"

static const char SQL_PUT_DRAFT[] =
    "INSERT INTO biometrics (draft_id, finger, driver, captured_at, retries, has_image, sealed)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    "  ON CONFLICT (draft_id) DO UPDATE SET finger = excluded.finger, driver = excluded.driver,"
    "  captured_at = excluded.captured_at, retries = excluded.retries,"
    "  has_image = excluded.has_image, sealed = excluded.sealed, exception = NULL,"
    "  signed_off_by = NULL";

static const char SQL_PUT_DRAFT_EXCEPTION[] =
    "INSERT INTO biometrics (draft_id, captured_at, exception, signed_off_by)"
    "  VALUES (?1, ?2, ?3, ?4)"
    "  ON CONFLICT (draft_id) DO UPDATE SET finger = NULL, driver = '',"
    "  captured_at = excluded.captured_at, retries = 0, has_image = 0, sealed = NULL,"
    "  exception = excluded.exception, signed_off_by = excluded.signed_off_by";

static const char SQL_GET_DRAFT[] = "SELECT " COLS " FROM biometrics b WHERE b.draft_id = ?1";

static const char SQL_ATTACH[] =
    "UPDATE biometrics SET draft_id = NULL, registration_id = ?2 WHERE draft_id = ?1";

static const char SQL_CLEAR_DRAFT[] = "DELETE FROM biometrics WHERE draft_id = ?1";

/* The household: every version sharing REGISTRATION_ID's record_uuid. */
#define HOUSEHOLD_ROW                                                                              \
    " FROM biometrics b JOIN registrations r ON r.id = b.registration_id"                          \
    "  WHERE r.record_uuid = (SELECT record_uuid FROM registrations WHERE id = ?1)"                \
    "  AND b.wiped_at IS NULL ORDER BY r.record_version DESC LIMIT 1"

static const char SQL_COPY_TO_DRAFT[] =
    "INSERT INTO biometrics (draft_id, finger, driver, captured_at, retries, has_image, sealed,"
    "  exception, signed_off_by)"
    "  SELECT ?2, b.finger, b.driver, b.captured_at, b.retries, b.has_image, b.sealed,"
    "  b.exception, b.signed_off_by" HOUSEHOLD_ROW;

static const char SQL_GET_REGISTRATION[] = "SELECT " COLS HOUSEHOLD_ROW;

static const char SQL_PUT_ACCOUNT[] =
    "INSERT INTO biometrics (account, finger, driver, captured_at, retries, has_image, sealed)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    "  ON CONFLICT (account) DO UPDATE SET finger = excluded.finger, driver = excluded.driver,"
    "  captured_at = excluded.captured_at, retries = excluded.retries,"
    "  has_image = excluded.has_image, sealed = excluded.sealed, approved_by = NULL,"
    "  approved_at = NULL";

static const char SQL_APPROVE_ACCOUNT[] = "UPDATE biometrics SET approved_by = ?2, approved_at = ?3"
                                          "  WHERE account = ?1 AND sealed IS NOT NULL";

static const char SQL_DELETE_ACCOUNT[] = "DELETE FROM biometrics WHERE account = ?1";

static const char SQL_GET_ACCOUNT[] = "SELECT " COLS " FROM biometrics b WHERE b.account = ?1";

static const char SQL_SYNC_PRINT[] =
    "SELECT " COLS " FROM biometrics b WHERE b.registration_id = ?1 AND b.wiped_at IS NULL";

static const char SQL_SYNC_SENT[] =
    "UPDATE biometrics SET sent_at = coalesce(sent_at, ?1)"
    "  WHERE registration_id = (SELECT registration_id FROM outbox WHERE id = ?2)";

/* The SET expressions see the row as it was: wiped_at only for a print. */
static const char SQL_SYNC_ACKED[] =
    "UPDATE biometrics SET sealed = NULL, sent_at = coalesce(sent_at, ?1),"
    "  acked_at = coalesce(acked_at, ?1),"
    "  wiped_at = CASE WHEN sealed IS NOT NULL THEN ?1 ELSE wiped_at END"
    "  WHERE registration_id = ?2 AND (sealed IS NOT NULL OR acked_at IS NULL)";

static const char SQL_FORGET_TRIMMED[] =
    "DELETE FROM biometrics WHERE registration_id IN"
    "  (SELECT id FROM registrations WHERE trimmed_at IS NOT NULL)";

/* --------------------------------------------------------------- helpers */

static enum db_result bind_failed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: a parameter could not be bound", what);
    return DB_ERROR;
}

static int bind_str(sqlite3_stmt *st, int idx, const char *s)
{
    return db_bind_text(st, idx, s, strlen(s), false);
}

static bool valid_info(const struct bio_info *info)
{
    size_t dlen;
    return info && fp_finger_parse(info->finger) >= 0 &&
           db_text_fits(info->driver, sizeof info->driver, true, &dlen) && info->retries >= 0 &&
           info->retries <= 65535;
}

static bool valid_name(const char *s, size_t max)
{
    return s && s[0] && strnlen(s, max + 1) <= max;
}

/* Binds ?2..?7 of a print row (finger, driver, time, retries, image, sealed). */
static int bind_print(sqlite3_stmt *st, const struct bio_info *info, const char *ts,
                      const uint8_t *sealed, size_t len)
{
    return bind_str(st, 2, info->finger) | bind_str(st, 3, info->driver) | bind_str(st, 4, ts) |
           sqlite3_bind_int(st, 5, info->retries) | sqlite3_bind_int(st, 6, info->has_image) |
           sqlite3_bind_blob64(st, 7, sealed, (sqlite3_uint64)len, SQLITE_STATIC);
}

/* One row of COLS into INFO and (when SEALED) a malloc'd copy of its blob. */
static bool read_row(sqlite3_stmt *st, struct bio_info *info, uint8_t **sealed, size_t *len)
{
    memset(info, 0, sizeof *info);
    info->id = sqlite3_column_int64(st, 0);
    sqlite3_int64 retries = sqlite3_column_int64(st, 4);
    if (retries < 0 || retries > 65535 ||
        !db_copy_column(st, 1, info->finger, sizeof info->finger) ||
        !db_copy_column(st, 2, info->driver, sizeof info->driver) ||
        !db_copy_column(st, 6, info->exception, sizeof info->exception) ||
        !db_copy_column(st, 7, info->signed_off_by, sizeof info->signed_off_by) ||
        !db_copy_column(st, 8, info->approved_by, sizeof info->approved_by))
        return false;
    info->captured_at = (time_t)sqlite3_column_int64(st, 3);
    info->retries = (int)retries;
    info->has_image = sqlite3_column_int(st, 5) != 0;
    if (!sealed)
        return true;
    *sealed = NULL;
    *len = 0;
    if (sqlite3_column_type(st, 9) == SQLITE_NULL)
        return true;
    const void *b = sqlite3_column_blob(st, 9);
    int n = sqlite3_column_bytes(st, 9);
    if (!b || n <= 0)
        return false;
    *sealed = malloc((size_t)n);
    if (!*sealed)
        return false;
    memcpy(*sealed, b, (size_t)n);
    *len = (size_t)n;
    return true;
}

/* Runs a prepared lookup whose parameters are bound: one row or DB_NOT_FOUND. */
static enum db_result fetch(struct db *db, sqlite3_stmt *st, struct bio_info *info,
                            uint8_t **sealed, size_t *len, const char *what)
{
    if (sealed) {
        *sealed = NULL;
        *len = 0;
    }
    enum db_result r = DB_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, what);
    } else if (!read_row(st, info, sealed, len)) {
        db_set_error(db, "%s: a stored row is malformed", what);
        r = DB_ERROR;
    }
    db_stmt_release(st);
    return r;
}

/* ----------------------------------------------------------------- drafts */

enum db_result biometrics_put_draft(struct db *db, int64_t draft, const struct bio_info *info,
                                    const uint8_t *sealed, size_t len)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!valid_info(info) || !sealed || len == 0 || !db_timestamp(info->captured_at, ts)) {
        db_set_error(db, "storing a draft's print: incomplete print");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PUT_DRAFT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | bind_print(st, info, ts, sealed, len))
        return bind_failed(db, st, "storing a draft's print");
    return db_step_done(db, st, "storing a draft's print");
}

enum db_result biometrics_put_draft_exception(struct db *db, int64_t draft, const char *reason,
                                              const char *clerk, time_t now)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!valid_name(reason, BIO_REASON_MAX) || !valid_name(clerk, BIO_ACCOUNT_MAX) ||
        !db_timestamp(now, ts)) {
        db_set_error(db, "recording a fingerprint exception: no reason or no clerk");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PUT_DRAFT_EXCEPTION, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | bind_str(st, 2, ts) | bind_str(st, 3, reason) |
        bind_str(st, 4, clerk))
        return bind_failed(db, st, "recording a fingerprint exception");
    return db_step_done(db, st, "recording a fingerprint exception");
}

enum db_result biometrics_get_draft(struct db *db, int64_t draft, struct bio_info *info,
                                    uint8_t **sealed, size_t *len)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_GET_DRAFT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft))
        return bind_failed(db, st, "reading a draft's print");
    return fetch(db, st, info, sealed, len, "reading a draft's print");
}

enum db_result biometrics_attach(struct db *db, int64_t draft, int64_t registration_id)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ATTACH, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, draft) | sqlite3_bind_int64(st, 2, registration_id))
        return bind_failed(db, st, "moving a print to its registration");
    return db_step_done(db, st, "moving a print to its registration");
}

static enum db_result run_id_pair(struct db *db, const char *sql, int64_t a, int64_t b,
                                  const char *what)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_bind_int64(st, 1, a);
    if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
        rc = sqlite3_bind_int64(st, 2, b);
    if (rc != SQLITE_OK)
        return bind_failed(db, st, what);
    return db_step_done(db, st, what);
}

enum db_result biometrics_copy_to_draft(struct db *db, int64_t registration_id, int64_t draft)
{
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = run_id_pair(db, SQL_CLEAR_DRAFT, draft, 0, "copying a household's print");
    if (r == DB_OK)
        r = run_id_pair(db, SQL_COPY_TO_DRAFT, registration_id, draft,
                        "copying a household's print");
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    bool copied = sqlite3_changes(db_sqlite(db)) == 1;
    r = db_commit(db);
    if (r == DB_OK && !copied)
        r = DB_NOT_FOUND;
    return r;
}

/* ---------------------------------------------------------- registrations */

enum db_result biometrics_get_registration(struct db *db, int64_t registration_id,
                                           struct bio_info *info, uint8_t **sealed, size_t *len)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_GET_REGISTRATION, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, registration_id))
        return bind_failed(db, st, "reading a household's print");
    return fetch(db, st, info, sealed, len, "reading a household's print");
}

/* --------------------------------------------------------------- accounts */

enum db_result biometrics_put_account(struct db *db, const char *account,
                                      const struct bio_info *info, const uint8_t *sealed,
                                      size_t len)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!valid_name(account, BIO_ACCOUNT_MAX) || !valid_info(info) || !sealed || len == 0 ||
        !db_timestamp(info->captured_at, ts)) {
        db_set_error(db, "storing a staff print: incomplete print");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PUT_ACCOUNT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, account) | bind_print(st, info, ts, sealed, len))
        return bind_failed(db, st, "storing a staff print");
    return db_step_done(db, st, "storing a staff print");
}

enum db_result biometrics_approve_account(struct db *db, const char *account,
                                          const char *supervisor, time_t now)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!valid_name(account, BIO_ACCOUNT_MAX) || !valid_name(supervisor, BIO_ACCOUNT_MAX) ||
        !db_timestamp(now, ts)) {
        db_set_error(db, "approving a staff print: no account or supervisor");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_APPROVE_ACCOUNT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, account) | bind_str(st, 2, supervisor) | bind_str(st, 3, ts))
        return bind_failed(db, st, "approving a staff print");
    r = db_step_done(db, st, "approving a staff print");
    if (r == DB_OK && sqlite3_changes(db_sqlite(db)) == 0)
        r = DB_NOT_FOUND;
    return r;
}

enum db_result biometrics_delete_account(struct db *db, const char *account)
{
    if (!valid_name(account, BIO_ACCOUNT_MAX)) {
        db_set_error(db, "deleting a staff print: no account");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_DELETE_ACCOUNT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, account))
        return bind_failed(db, st, "deleting a staff print");
    return db_step_done(db, st, "deleting a staff print");
}

enum db_result biometrics_get_account(struct db *db, const char *account, struct bio_info *info,
                                      uint8_t **sealed, size_t *len)
{
    if (!valid_name(account, BIO_ACCOUNT_MAX))
        return DB_NOT_FOUND;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_GET_ACCOUNT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, account))
        return bind_failed(db, st, "reading a staff print");
    return fetch(db, st, info, sealed, len, "reading a staff print");
}

/* ------------------------------------------- sync (declared in sync_store.h) */

enum db_result sync_store_print(struct db *db, int64_t registration_id, struct bio_info *info,
                                uint8_t **sealed, size_t *len)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SYNC_PRINT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, registration_id))
        return bind_failed(db, st, "reading a record's print");
    return fetch(db, st, info, sealed, len, "reading a record's print");
}

enum db_result biometrics_sync_sent(struct db *db, int64_t outbox_id, const char *now)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SYNC_SENT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, now) | sqlite3_bind_int64(st, 2, outbox_id))
        return bind_failed(db, st, "marking a print sent");
    return db_step_done(db, st, "marking a print sent");
}

enum db_result biometrics_sync_acked(struct db *db, int64_t registration_id, const char *now,
                                     size_t *wiped)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_SYNC_ACKED, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, now) | sqlite3_bind_int64(st, 2, registration_id))
        return bind_failed(db, st, "wiping an acknowledged print");
    r = db_step_done(db, st, "wiping an acknowledged print");
    if (r == DB_OK)
        *wiped += (size_t)sqlite3_changes(db_sqlite(db));
    return r;
}

void biometrics_flush_wiped(struct db *db)
{
    /* A reader may hold the log; then a later checkpoint does it. */
    (void)sqlite3_wal_checkpoint_v2(db_sqlite(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

enum db_result biometrics_forget_trimmed(struct db *db, size_t *forgotten)
{
    *forgotten = 0;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_FORGET_TRIMMED, &st);
    if (r != DB_OK)
        return r;
    r = db_step_done(db, st, "forgetting trimmed households' prints");
    if (r == DB_OK) {
        *forgotten = (size_t)sqlite3_changes(db_sqlite(db));
        if (*forgotten)
            biometrics_flush_wiped(db);
    }
    return r;
}
