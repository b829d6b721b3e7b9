/*
 * privacy_store.c - privacy trimming in SQL: answers and scores of
 * acknowledged households deleted after the retention period.
 *
 * Three fixed statements with bound parameters in one BEGIN IMMEDIATE
 * transaction: the answers, then the score, then trimmed_at, each chosen
 * by the same condition (acknowledged before the cut-off, not yet
 * trimmed), so the mark goes last and a registration is never marked
 * without its data gone, nor the other way round. Deleting answers is
 * not refused by registration_answers_need_a_member (step 1): that
 * trigger guards INSERT only. secure_delete (db.c) overwrites the freed
 * space; a passive checkpoint then carries the wiped pages into the main
 * file rather than leaving the old ones there until the next one.
 * Never draws, never prints, never touches a registrations row beyond
 * trimmed_at: status checks must keep working on a trimmed household.
 */
#include "privacy_store.h"

#include "db_internal.h"
#include "rows.h"

#define DUE                                                                                        \
    "SELECT r.id FROM registrations r JOIN outbox o ON o.registration_id = r.id"                   \
    "  WHERE r.trimmed_at IS NULL AND o.acked_at IS NOT NULL AND o.acked_at < ?1"

static const char SQL_ANSWERS[] =
    "DELETE FROM registration_answers WHERE registration_id IN (" DUE ")";
static const char SQL_SCORES[] = "DELETE FROM scores WHERE registration_id IN (" DUE ")";
static const char SQL_MARK[] = "UPDATE registrations SET trimmed_at = ?2 WHERE id IN (" DUE ")";

/* Runs one of the statements above; ?2 is bound only where it exists. */
static enum db_result run(struct db *db, const char *sql, const char *cutoff, const char *now,
                          const char *what)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
        rc = sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    db_stmt_release(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, what);
    return DB_OK;
}

enum db_result privacy_store_trim(struct db *db, time_t acked_before, time_t now, size_t *trimmed)
{
    *trimmed = 0;
    char cutoff[DB_TIMESTAMP_LEN + 1], stamp[DB_TIMESTAMP_LEN + 1];
    if (!db_timestamp(acked_before, cutoff) || !db_timestamp(now, stamp)) {
        db_set_error(db, "privacy trim: a time out of range");
        return DB_ERROR;
    }
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = run(db, SQL_ANSWERS, cutoff, stamp, "privacy trim: deleting answers");
    if (r == DB_OK)
        r = run(db, SQL_SCORES, cutoff, stamp, "privacy trim: deleting scores");
    if (r == DB_OK)
        r = run(db, SQL_MARK, cutoff, stamp, "privacy trim: marking registrations");
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    size_t n = (size_t)sqlite3_changes(db_sqlite(db));
    r = db_commit(db);
    if (r != DB_OK)
        return r;
    *trimmed = n;
    if (n > 0)
        (void)sqlite3_wal_checkpoint_v2(db_sqlite(db), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return DB_OK;
}
