/*
 * migrations.c - the schema of the local store, as an ordered list of
 * forward steps from an empty file.
 *
 * Nothing before issue 3 ever shipped, so the schema started again from a
 * clean version 1 (the old households/members tables and the old version 2
 * outbox step are gone; one step holds the whole schema, because a split
 * that no real file ever went through would only be a second place for the
 * same truth). From now on a kiosk may run an old program for months and
 * be updated in the field, so a step, once shipped, is never edited: a
 * change is a new step at the end (and DB_SCHEMA_VERSION goes up with it).
 * Steps only ever move forward; there are no down-migrations because a
 * file is never handed back to an older program (db_open refuses it as too
 * new instead). foreign_keys is ON and cannot be switched off inside a
 * step's transaction, so a future step that rebuilds a referenced table
 * must copy rows in an order the foreign keys accept.
 *
 * The schema guards itself: lengths, digits-only codes, timestamp shapes
 * and question ids are CHECKed, so a bug above cannot store a malformed
 * row that a later lookup or central would trip over. Timestamps are UTC
 * ISO-8601 text, "YYYY-MM-DDTHH:MM:SSZ", so text order is time order.
 * Status codes are those of kiosk/status.h. Answer values are text exactly
 * as kiosk/answers.h holds them (1..255 bytes; an unanswered question has
 * no row).
 *
 * Never draws, never prints.
 */
#include "migrations.h"

#include <stdio.h>

#include "db_internal.h"

/* ------------------------------------------------ reusable column checks */

#define DIGITS_CHECK(col, n) "(length(" col ") = " #n " AND " col " NOT GLOB '*[^0-9]*')"

#define D                    "[0-9]"
#define TIMESTAMP_GLOB       "'" D D D D "-" D D "-" D D "T" D D ":" D D ":" D D "Z'"
#define DAY_GLOB             "'" D D D D "-" D D "-" D D "'"
#define TIMESTAMP_CHECK(col) "(" col " GLOB " TIMESTAMP_GLOB ")"

#define X  "[0-9a-f]"
#define X4 X X X X
/* Lower-case 8-4-4-4-12, as uuid_v4 writes it: one spelling per record. */
#define UUID_GLOB "'" X4 X4 "-" X4 "-" X4 "-" X4 "-" X4 X4 X4 "'"

/* answers_valid_id: 1-31 of [a-z0-9_], starting with a letter. */
#define QUESTION_CHECK(col)                                                                        \
    "(length(" col ") BETWEEN 1 AND 31 AND " col " GLOB '[a-z]*' AND " col                         \
    " NOT GLOB '*[^a-z0-9_]*')"

/* Bytes, not characters: ANSWER_VALUE_MAX counts bytes with the NUL. */
#define VALUE_CHECK(col) "(length(CAST(" col " AS BLOB)) BETWEEN 1 AND 255)"

#define TEXT_CHECK(col, max) "(length(CAST(" col " AS BLOB)) BETWEEN 1 AND " #max ")"

/*
 * Version 1: confirmed registrations (immutable rows with their answers,
 * score and outbox entry), the per-kiosk per-day tracking sequence, and
 * drafts (surveys in progress, one row per member and per answer).
 *
 * registrations: an update is a new row with the same record_uuid, the
 * next record_version and supersedes pointing at the row it replaces; a
 * first version supersedes nothing. The index on (cnic, id) answers
 * "latest registration for this CNIC" from the index alone, the kiosk's
 * most frequent question. head_name is kept on the row so a status answer
 * needs no join; member_count keeps members that have no answer.
 *
 * registration_answers / draft_answers: member -1 holds household answers,
 * 0 the head. WITHOUT ROWID, so the primary key is the table and reading
 * one member's answers is one range of one b-tree. A trigger refuses an
 * answer for a member the registration or draft does not have.
 *
 * scores: one per registration at most, naming the table and thresholds
 * (id and version) that produced it so central can recompute it.
 *
 * outbox: the store-and-forward queue sync reads, one row per
 * registration; exported_at is set when it goes into a batch, acked_at
 * when the central registry acknowledges it.
 *
 * drafts: number is the 7-digit draft number (6 random digits and a Damm
 * check digit, chosen in db/drafts.c); last_position is the highest member
 * position ever given out, so a deleted member's position is never reused;
 * resume_at is the flow's own note of where the survey stands (printable
 * ASCII, opaque to the store; '' for the start).
 * Deleting a draft cascades to its members and answers; deleting a member
 * deletes its answers by trigger, in the same statement. The index on
 * (head_cnic, updated_at) finds a CNIC's latest draft, the one on
 * updated_at serves the clerk's list and expiry.
 */
/* The SQL reads as SQL; clang-format would split it at every macro. */
/* clang-format off */
static const char MIGRATION_1[] =
    "CREATE TABLE registrations ("
    "  id INTEGER PRIMARY KEY,"
    "  tracking_id TEXT NOT NULL UNIQUE CHECK " DIGITS_CHECK("tracking_id", 16) ","
    "  cnic TEXT NOT NULL CHECK " DIGITS_CHECK("cnic", 13) ","
    "  kiosk_code TEXT NOT NULL CHECK " DIGITS_CHECK("kiosk_code", 5) ","
    "  record_uuid TEXT NOT NULL CHECK (record_uuid GLOB " UUID_GLOB "),"
    "  record_version INTEGER NOT NULL CHECK (record_version >= 1),"
    "  supersedes INTEGER REFERENCES registrations(id),"
    "  head_name TEXT NOT NULL CHECK " TEXT_CHECK("head_name", 95) ","
    "  questionnaire_id TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_id", 31) ","
    "  questionnaire_version TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_version", 15) ","
    "  member_count INTEGER NOT NULL CHECK (member_count >= 1),"
    "  status TEXT NOT NULL CHECK (status IN ('pending_sync', 'received', 'eligible',"
    "    'not_eligible', 'under_review')),"
    "  status_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("status_at") ","
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  UNIQUE (record_uuid, record_version),"
    "  CHECK ((record_version = 1) = (supersedes IS NULL))"
    ");"
    "CREATE INDEX registrations_by_cnic ON registrations (cnic, id);"

    "CREATE TABLE registration_answers ("
    "  registration_id INTEGER NOT NULL REFERENCES registrations(id),"
    "  member INTEGER NOT NULL CHECK (member >= -1),"
    "  question TEXT NOT NULL CHECK " QUESTION_CHECK("question") ","
    "  value TEXT NOT NULL CHECK " VALUE_CHECK("value") ","
    "  PRIMARY KEY (registration_id, member, question)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER registration_answers_need_a_member"
    "  BEFORE INSERT ON registration_answers"
    "  WHEN NEW.member >= (SELECT member_count FROM registrations"
    "                      WHERE id = NEW.registration_id)"
    "  BEGIN SELECT RAISE(ABORT, 'answer for a member the registration does not have'); END;"

    "CREATE TABLE scores ("
    "  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),"
    "  table_id TEXT NOT NULL CHECK " TEXT_CHECK("table_id", 31) ","
    "  table_version TEXT NOT NULL CHECK " TEXT_CHECK("table_version", 15) ","
    "  score REAL NOT NULL CHECK (typeof(score) = 'real'),"
    "  breakdown TEXT NOT NULL CHECK (length(CAST(breakdown AS BLOB)) <= 2047),"
    "  thresholds_id TEXT CHECK (thresholds_id IS NULL OR " TEXT_CHECK("thresholds_id", 31) "),"
    "  thresholds_version TEXT"
    "    CHECK (thresholds_version IS NULL OR " TEXT_CHECK("thresholds_version", 15) "),"
    "  decisions TEXT NOT NULL CHECK (length(CAST(decisions AS BLOB)) <= 511),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  CHECK ((thresholds_id IS NULL) = (thresholds_version IS NULL))"
    ");"

    "CREATE TABLE tracking_sequence ("
    "  kiosk_code TEXT NOT NULL CHECK " DIGITS_CHECK("kiosk_code", 5) ","
    "  day TEXT NOT NULL CHECK (day GLOB " DAY_GLOB "),"
    "  last_seq INTEGER NOT NULL CHECK (last_seq BETWEEN 1 AND 9999),"
    "  PRIMARY KEY (kiosk_code, day)"
    ") WITHOUT ROWID;"

    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations(id),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  exported_at TEXT CHECK (exported_at IS NULL OR " TIMESTAMP_CHECK("exported_at") "),"
    "  acked_at TEXT CHECK (acked_at IS NULL OR " TIMESTAMP_CHECK("acked_at") "),"
    "  CHECK (acked_at IS NULL OR exported_at IS NOT NULL)"
    ");"

    "CREATE TABLE drafts ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE CHECK " DIGITS_CHECK("number", 7) ","
    "  head_cnic TEXT NOT NULL CHECK " DIGITS_CHECK("head_cnic", 13) ","
    "  questionnaire_id TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_id", 31) ","
    "  questionnaire_version TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_version", 15) ","
    "  previous_registration INTEGER REFERENCES registrations(id),"
    "  last_position INTEGER NOT NULL CHECK (last_position >= 0),"
    "  resume_at TEXT NOT NULL DEFAULT '' CHECK (length(resume_at) <= 31"
    "    AND resume_at NOT GLOB '*[^ -~]*'),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  updated_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("updated_at")
    ");"
    "CREATE INDEX drafts_by_cnic ON drafts (head_cnic, updated_at);"
    "CREATE INDEX drafts_by_updated ON drafts (updated_at);"

    "CREATE TABLE draft_members ("
    "  id INTEGER PRIMARY KEY,"
    "  draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  UNIQUE (draft_id, position)"
    ");"

    "CREATE TABLE draft_answers ("
    "  draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,"
    "  member INTEGER NOT NULL CHECK (member >= -1),"
    "  question TEXT NOT NULL CHECK " QUESTION_CHECK("question") ","
    "  value TEXT NOT NULL CHECK " VALUE_CHECK("value") ","
    "  PRIMARY KEY (draft_id, member, question)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER draft_answers_need_a_member"
    "  BEFORE INSERT ON draft_answers"
    "  WHEN NEW.member >= 0 AND NOT EXISTS (SELECT 1 FROM draft_members"
    "    WHERE draft_id = NEW.draft_id AND position = NEW.member)"
    "  BEGIN SELECT RAISE(ABORT, 'answer for a member the draft does not have'); END;"
    "CREATE TRIGGER draft_member_answers_go_with_it"
    "  AFTER DELETE ON draft_members"
    "  BEGIN DELETE FROM draft_answers"
    "    WHERE draft_id = OLD.draft_id AND member = OLD.position; END;";
/* clang-format on */

/*
 * Version 2: store-and-forward sync (docs/sync.md).
 *
 * registrations is rebuilt so status may also be 'duplicate_elsewhere',
 * and gains status_ack: the number of the acknowledgement that last set
 * the status (0: set here), so an older acknowledgement imported late
 * never overwrites a newer decision. SQLite cannot alter a CHECK, and
 * foreign_keys cannot be switched off inside the step's transaction, so
 * the rebuild defers the foreign keys instead (defer_foreign_keys lasts
 * until this transaction ends): the rows are kept aside in a temporary
 * table, the old table dropped (its implicit DELETE counts one deferred
 * violation per answer, score, outbox, draft and supersedes row pointing
 * at it), the new one created under the same name, and the rows put back
 * in id order; each row put back finds its children again and takes its
 * violations off the count, so the commit sees none (and would refuse
 * the whole step if a row had gone missing). No ALTER ... RENAME is used,
 * so the children's REFERENCES and the answers' trigger, which name
 * registrations, need no rewriting. The index goes with the old table
 * and is made again.
 *
 * sync_batches: one row per batch written, recorded in the same
 * transaction that marks its records exported (kiosk/sync.c says why the
 * file is written first). sync_imports: one row per acknowledgement
 * applied, so the same file is never applied twice. outbox.batch_no: the
 * last batch the record went in; the index outbox_unacked gives the
 * unacknowledged records in the order a batch takes them (never sent
 * first, then sent longest ago, oldest first within each). status_snapshot: the district's
 * registrations made at other kiosks, as the registry last sent them,
 * for status checks; head is the masked name, never the raw one.
 */
/* clang-format off */
static const char MIGRATION_2[] =
    "PRAGMA defer_foreign_keys = ON;"
    "CREATE TEMP TABLE registrations_v1 AS SELECT * FROM registrations;"
    "DROP TABLE registrations;"
    "CREATE TABLE registrations ("
    "  id INTEGER PRIMARY KEY,"
    "  tracking_id TEXT NOT NULL UNIQUE CHECK " DIGITS_CHECK("tracking_id", 16) ","
    "  cnic TEXT NOT NULL CHECK " DIGITS_CHECK("cnic", 13) ","
    "  kiosk_code TEXT NOT NULL CHECK " DIGITS_CHECK("kiosk_code", 5) ","
    "  record_uuid TEXT NOT NULL CHECK (record_uuid GLOB " UUID_GLOB "),"
    "  record_version INTEGER NOT NULL CHECK (record_version >= 1),"
    "  supersedes INTEGER REFERENCES registrations(id),"
    "  head_name TEXT NOT NULL CHECK " TEXT_CHECK("head_name", 95) ","
    "  questionnaire_id TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_id", 31) ","
    "  questionnaire_version TEXT NOT NULL CHECK " TEXT_CHECK("questionnaire_version", 15) ","
    "  member_count INTEGER NOT NULL CHECK (member_count >= 1),"
    "  status TEXT NOT NULL CHECK (status IN ('pending_sync', 'received', 'eligible',"
    "    'not_eligible', 'under_review', 'duplicate_elsewhere')),"
    "  status_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("status_at") ","
    "  status_ack INTEGER NOT NULL DEFAULT 0 CHECK (status_ack >= 0),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  UNIQUE (record_uuid, record_version),"
    "  CHECK ((record_version = 1) = (supersedes IS NULL))"
    ");"
    "INSERT INTO registrations (id, tracking_id, cnic, kiosk_code, record_uuid, record_version,"
    "  supersedes, head_name, questionnaire_id, questionnaire_version, member_count, status,"
    "  status_at, created_at)"
    "  SELECT id, tracking_id, cnic, kiosk_code, record_uuid, record_version, supersedes,"
    "    head_name, questionnaire_id, questionnaire_version, member_count, status, status_at,"
    "    created_at FROM temp.registrations_v1 ORDER BY id;"
    "DROP TABLE temp.registrations_v1;"
    "CREATE INDEX registrations_by_cnic ON registrations (cnic, id);"

    "CREATE TABLE sync_batches ("
    "  batch_no INTEGER PRIMARY KEY CHECK (batch_no >= 1),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  record_count INTEGER NOT NULL CHECK (record_count >= 1),"
    "  file_name TEXT NOT NULL CHECK (file_name GLOB"
    "    '" D D D D D "-" D D D D D D "*.nserb' AND " TEXT_CHECK("file_name", 63) ")"
    ");"

    "CREATE TABLE sync_imports ("
    "  ack_no INTEGER PRIMARY KEY CHECK (ack_no >= 1),"
    "  imported_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("imported_at") ","
    "  file_name TEXT NOT NULL CHECK (file_name GLOB"
    "    '" D D D D D "-ack-" D D D D D D "*.nsera' AND " TEXT_CHECK("file_name", 63) "),"
    "  acked INTEGER NOT NULL CHECK (acked >= 0),"
    "  statuses INTEGER NOT NULL CHECK (statuses >= 0),"
    "  snapshot INTEGER NOT NULL CHECK (snapshot >= 0)"
    ");"

    "ALTER TABLE outbox ADD COLUMN batch_no INTEGER REFERENCES sync_batches(batch_no);"
    "CREATE INDEX outbox_unacked ON outbox (acked_at, batch_no, created_at, id);"

    "CREATE TABLE status_snapshot ("
    "  tracking TEXT PRIMARY KEY CHECK " DIGITS_CHECK("tracking", 16) ","
    "  cnic TEXT NOT NULL CHECK " DIGITS_CHECK("cnic", 13) ","
    "  status TEXT NOT NULL CHECK (status IN ('received', 'eligible', 'not_eligible',"
    "    'under_review', 'duplicate_elsewhere')),"
    "  status_date TEXT NOT NULL CHECK (status_date GLOB " DAY_GLOB "),"
    "  head TEXT NOT NULL CHECK " TEXT_CHECK("head", 191) ","
    "  district TEXT NOT NULL CHECK (" TEXT_CHECK("district", 15) " AND"
    "    district NOT GLOB '*[^ -~]*'),"
    "  imported_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("imported_at")
    ") WITHOUT ROWID;"
    "CREATE INDEX status_snapshot_by_cnic ON status_snapshot (cnic, status_date);"
    "CREATE INDEX status_snapshot_by_district ON status_snapshot (district);";
/* clang-format on */

/*
 * Step 3: accounts, the audit trail, privacy trimming.
 *
 * users: clerks and supervisors; the secret is an Argon2id string
 * (crypto_pwhash_str), never the secret. login_attempts: failures in a row
 * and the lock, per name TYPED (known or not, so a lock says nothing about
 * which names exist). audit: append-only (the triggers refuse UPDATE and
 * DELETE; whoever drops them with the sqlite3 CLI is caught by the chain:
 * each row's mac is a keyed hash over its fields and prev_mac, the mac of
 * the row before). sync_batches.audit_upto: the last audit row a batch
 * carried (the table is rebuilt so a batch of audit rows alone, with
 * record_count 0, is allowed). registrations.trimmed_at: when the
 * answers and score of an acknowledged household were deleted after the
 * retention period.
 */
/* clang-format off */
static const char MIGRATION_3[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 32 AND"
    "    name NOT GLOB '*[^A-Za-z0-9._-]*'),"
    "  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),"
    "  secret_hash TEXT NOT NULL CHECK (secret_hash GLOB '$argon2id$*' AND"
    "    length(secret_hash) <= 255),"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  last_login TEXT CHECK (last_login IS NULL OR " TIMESTAMP_CHECK("last_login") ")"
    ");"

    "CREATE TABLE login_attempts ("
    "  name TEXT PRIMARY KEY CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 64),"
    "  failures INTEGER NOT NULL CHECK (failures >= 0),"
    "  locked_until TEXT CHECK (locked_until IS NULL OR " TIMESTAMP_CHECK("locked_until") "),"
    "  last_failure TEXT NOT NULL CHECK " TIMESTAMP_CHECK("last_failure")
    ") WITHOUT ROWID;"

    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("at") ","
    "  actor TEXT NOT NULL CHECK (length(CAST(actor AS BLOB)) BETWEEN 1 AND 32),"
    "  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 31 AND"
    "    action NOT GLOB '*[^a-z_]*'),"
    "  subject TEXT NOT NULL CHECK (length(CAST(subject AS BLOB)) <= 64),"
    "  detail TEXT NOT NULL CHECK (length(CAST(detail AS BLOB)) <= 160),"
    "  prev_mac TEXT NOT NULL CHECK (length(prev_mac) = 64 AND prev_mac NOT GLOB '*[^0-9a-f]*'),"
    "  mac TEXT NOT NULL CHECK (length(mac) = 64 AND mac NOT GLOB '*[^0-9a-f]*')"
    ");"
    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    /* INSERT OR REPLACE deletes the row it replaces without firing the
       DELETE trigger (recursive_triggers is off): refuse it up front. */
    "CREATE TRIGGER audit_append_only_replace BEFORE INSERT ON audit"
    "  WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"

    /* sync_batches is rebuilt, not ALTERed: a batch may now carry audit
     * rows only (record_count 0), and SQLite cannot relax a CHECK. The
     * same deferred-foreign-keys rebuild as step 2 (outbox.batch_no
     * points here); a batch carries records, audit rows or both. */
    "PRAGMA defer_foreign_keys = ON;"
    "CREATE TEMP TABLE sync_batches_v2 AS SELECT * FROM sync_batches;"
    "DROP TABLE sync_batches;"
    "CREATE TABLE sync_batches ("
    "  batch_no INTEGER PRIMARY KEY CHECK (batch_no >= 1),"
    "  created_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("created_at") ","
    "  record_count INTEGER NOT NULL CHECK (record_count >= 0),"
    "  file_name TEXT NOT NULL CHECK (file_name GLOB"
    "    '" D D D D D "-" D D D D D D "*.nserb' AND " TEXT_CHECK("file_name", 63) "),"
    "  audit_upto INTEGER NOT NULL DEFAULT 0 CHECK (audit_upto >= 0),"
    "  CHECK (record_count >= 1 OR audit_upto >= 1)"
    ");"
    "INSERT INTO sync_batches (batch_no, created_at, record_count, file_name)"
    "  SELECT batch_no, created_at, record_count, file_name FROM temp.sync_batches_v2"
    "  ORDER BY batch_no;"
    "DROP TABLE temp.sync_batches_v2;"
    "ALTER TABLE registrations ADD COLUMN trimmed_at TEXT"
    "  CHECK (trimmed_at IS NULL OR " TIMESTAMP_CHECK("trimmed_at") ");";
/* clang-format on */

/*
 * Step 4: fingerprints (db/biometrics.h, docs/fingerprints.md).
 *
 * biometrics: one row per enrolled finger or recorded exception, owned by
 * exactly one of a draft, a registration or a staff account. sealed holds
 * only what kiosk/biometric_vault.c sealed (never a clear print); it is
 * NULL for an exception and after the wipe that follows central's
 * acknowledgement (wiped_at), when finger, time and sent_at stay so the
 * clerk can see the print went. A draft's row goes with the draft (ON
 * DELETE CASCADE; secure_delete zeroes it); an account's with the account.
 * One row per owner: the UNIQUE columns and the partial index.
 */
/* clang-format off */
static const char MIGRATION_4[] =
    "CREATE TABLE biometrics ("
    "  id INTEGER PRIMARY KEY,"
    "  draft_id INTEGER UNIQUE REFERENCES drafts(id) ON DELETE CASCADE,"
    "  registration_id INTEGER REFERENCES registrations(id),"
    "  account TEXT UNIQUE REFERENCES users(name) ON DELETE CASCADE,"
    "  finger TEXT CHECK (finger IS NULL OR finger IN ('left_thumb', 'left_index',"
    "    'left_middle', 'left_ring', 'left_little', 'right_thumb', 'right_index',"
    "    'right_middle', 'right_ring', 'right_little')),"
    "  driver TEXT NOT NULL DEFAULT '' CHECK (length(driver) <= 32 AND"
    "    driver NOT GLOB '*[^a-z0-9_-]*'),"
    "  captured_at TEXT NOT NULL CHECK " TIMESTAMP_CHECK("captured_at") ","
    "  retries INTEGER NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 65535),"
    "  has_image INTEGER NOT NULL DEFAULT 0 CHECK (has_image IN (0, 1)),"
    "  sealed BLOB CHECK (sealed IS NULL OR (typeof(sealed) = 'blob' AND length(sealed) >= 1)),"
    "  exception TEXT CHECK (exception IS NULL OR exception IN ('worn', 'injured', 'missing',"
    "    'other')),"
    "  signed_off_by TEXT CHECK (signed_off_by IS NULL OR " TEXT_CHECK("signed_off_by", 32) "),"
    "  approved_by TEXT CHECK (approved_by IS NULL OR " TEXT_CHECK("approved_by", 32) "),"
    "  approved_at TEXT CHECK (approved_at IS NULL OR " TIMESTAMP_CHECK("approved_at") "),"
    "  sent_at TEXT CHECK (sent_at IS NULL OR " TIMESTAMP_CHECK("sent_at") "),"
    "  acked_at TEXT CHECK (acked_at IS NULL OR " TIMESTAMP_CHECK("acked_at") "),"
    "  wiped_at TEXT CHECK (wiped_at IS NULL OR " TIMESTAMP_CHECK("wiped_at") "),"
    "  CHECK ((draft_id IS NOT NULL) + (registration_id IS NOT NULL)"
    "    + (account IS NOT NULL) = 1),"
    "  CHECK ((exception IS NULL) = (signed_off_by IS NULL)),"
    "  CHECK (exception IS NULL OR (sealed IS NULL AND account IS NULL AND has_image = 0)),"
    "  CHECK (exception IS NOT NULL OR finger IS NOT NULL),"
    "  CHECK (exception IS NOT NULL OR sealed IS NOT NULL OR wiped_at IS NOT NULL),"
    "  CHECK ((approved_by IS NULL) = (approved_at IS NULL)),"
    "  CHECK (approved_by IS NULL OR account IS NOT NULL),"
    "  CHECK (account IS NULL OR (sent_at IS NULL AND acked_at IS NULL AND wiped_at IS NULL))"
    ");"
    "CREATE UNIQUE INDEX biometrics_by_registration ON biometrics (registration_id)"
    "  WHERE registration_id IS NOT NULL;";
/* clang-format on */

/* Step N (1-based) brings the schema from version N-1 to N. */
static const char *const MIGRATIONS[] = {
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
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
