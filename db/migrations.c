/*
 * migrations.c - the schema of the local store, as an ordered list of
 * forward steps from an empty file.
 *
 * A kiosk may run an old program for months and be updated in the field,
 * so a step, once shipped, is never edited: a change is a new step at the
 * end (and DB_SCHEMA_VERSION goes up with it). Steps only ever move
 * forward; there are no down-migrations because a file is never handed
 * back to an older program (db_open refuses it as too new instead).
 * foreign_keys is ON and cannot be switched off inside a step's
 * transaction, so a future step that rebuilds a referenced table must copy
 * rows in an order the foreign keys accept.
 *
 * Timestamps are UTC ISO-8601 text, "YYYY-MM-DDTHH:MM:SSZ"; dates of birth
 * "YYYY-MM-DD". Codes (status, relation, gender, toilet, water) are the
 * stable text codes of kiosk/status.h and kiosk/household.h.
 *
 * Never draws, never prints.
 */
#include "migrations.h"

#include <stdio.h>

#include "db_internal.h"

/*
 * Version 1: households, their members, the registrations that describe
 * them and the per-kiosk per-day tracking sequence.
 *
 * A registration is immutable; an update is a new row with the same
 * record_uuid, the next record_version and supersedes pointing at the row
 * it replaces. The index on (cnic, id) answers "latest registration for
 * this CNIC" from the index alone, the kiosk's most frequent question.
 * Members are numbered within their household; position 0 is the head.
 */
static const char MIGRATION_1[] =
    "CREATE TABLE households ("
    "  id INTEGER PRIMARY KEY,"
    "  head_cnic TEXT NOT NULL CHECK (length(head_cnic) = 13),"
    "  phone TEXT,"
    "  district TEXT NOT NULL,"
    "  tehsil TEXT NOT NULL,"
    "  rooms INTEGER CHECK (rooms IS NULL OR rooms > 0),"
    "  toilet TEXT,"
    "  water TEXT,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE TABLE members ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  name TEXT NOT NULL,"
    "  relation TEXT NOT NULL,"
    "  gender TEXT NOT NULL,"
    "  dob TEXT CHECK (dob IS NULL OR length(dob) = 10),"
    "  age INTEGER CHECK (age IS NULL OR age >= 0),"
    "  id_number TEXT,"
    "  UNIQUE (household_id, position)"
    ");"
    "CREATE TABLE registrations ("
    "  id INTEGER PRIMARY KEY,"
    "  tracking_id TEXT NOT NULL UNIQUE CHECK (length(tracking_id) = 16),"
    "  cnic TEXT NOT NULL CHECK (length(cnic) = 13),"
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  kiosk_code TEXT NOT NULL CHECK (length(kiosk_code) = 5),"
    "  record_uuid TEXT NOT NULL CHECK (length(record_uuid) = 36),"
    "  record_version INTEGER NOT NULL CHECK (record_version >= 1),"
    "  supersedes INTEGER REFERENCES registrations(id),"
    "  status TEXT NOT NULL CHECK (status IN ('pending_sync', 'received', 'eligible',"
    "    'not_eligible', 'under_review')),"
    "  status_at TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  UNIQUE (record_uuid, record_version)"
    ");"
    "CREATE INDEX registrations_by_cnic ON registrations (cnic, id);"
    "CREATE TABLE tracking_sequence ("
    "  kiosk_code TEXT NOT NULL CHECK (length(kiosk_code) = 5),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  last_seq INTEGER NOT NULL CHECK (last_seq >= 0),"
    "  PRIMARY KEY (kiosk_code, day)"
    ") WITHOUT ROWID;";

/*
 * Version 2: the outbox, the store-and-forward queue sync reads. One row
 * per registration; exported_at is set when it goes into a batch, acked_at
 * when the central registry acknowledges it.
 *
 * Registrations a version-1 program made were never queued, so every one
 * not yet acknowledged is queued here, dated when it was registered;
 * otherwise sync would never send them.
 */
static const char MIGRATION_2[] =
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations(id),"
    "  created_at TEXT NOT NULL,"
    "  exported_at TEXT,"
    "  acked_at TEXT"
    ");"
    "INSERT INTO outbox (registration_id, created_at)"
    "  SELECT id, created_at FROM registrations WHERE status = 'pending_sync' ORDER BY id;";

/* Step N (1-based) brings the schema from version N-1 to N. */
static const char *const MIGRATIONS[] = {
    MIGRATION_1,
    MIGRATION_2,
};

_Static_assert(sizeof MIGRATIONS / sizeof MIGRATIONS[0] == DB_SCHEMA_VERSION,
               "every schema version needs exactly one migration step");

/*
 * PRAGMA user_version takes no bound parameters, so this is the one
 * statement built as text. It is formatted from an int and nothing else,
 * so no outside text can reach the SQL.
 */
static enum db_result set_user_version(struct db *db, int version)
{
    char sql[48];
    int n = snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", version);
    if (n < 0 || (size_t)n >= sizeof sql) {
        db_set_error(db, "could not format the schema version %d", version);
        return DB_ERROR;
    }
    int rc = sqlite3_exec(db_sqlite(db), sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_fail(db, rc, "setting the schema version");
    return DB_OK;
}

/* One step in its own transaction, with the version that records it. */
static enum db_result run_step(struct db *db, int version)
{
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;

    /* Another process may have migrated while we waited for the lock. */
    int current;
    r = db_user_version(db, &current);
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    if (current >= version) {
        db_rollback(db);
        return DB_OK;
    }
    if (current != version - 1) {
        db_rollback(db);
        db_set_error(db, "schema version %d cannot be migrated to %d", current, version);
        return DB_ERROR;
    }

    int rc = sqlite3_exec(db_sqlite(db), MIGRATIONS[version - 1], NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        char what[64];
        snprintf(what, sizeof what, "migrating the schema to version %d", version);
        r = db_fail(db, rc, what);
        db_rollback(db);
        return r;
    }
    r = set_user_version(db, version);
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    return db_commit(db);
}

enum db_result db_migrate(struct db *db, int target)
{
    if (target < 1 || target > DB_SCHEMA_VERSION) {
        db_set_error(db, "no schema version %d (this program knows 1 to %d)", target,
                     DB_SCHEMA_VERSION);
        return DB_ERROR;
    }
    int current;
    enum db_result r = db_user_version(db, &current);
    if (r != DB_OK)
        return r;
    for (int v = current + 1; v <= target; v++) {
        r = run_step(db, v);
        if (r != DB_OK)
            return r;
    }
    return DB_OK;
}
