/*
 * sync_store.c - the SQL of sync: outbox records not yet acknowledged,
 * batches written, acknowledgements applied, the district snapshot.
 *
 * Every statement is a fixed string with bound parameters, prepared once
 * per connection. A batch is recorded, and an acknowledgement applied, in
 * exactly one BEGIN IMMEDIATE transaction each, so a power cut leaves all
 * of it or none. Every text read back goes through db_copy_column, so a
 * damaged file cannot overrun a buffer. Never draws, never prints; error
 * details never hold a CNIC, a name or a tracking ID.
 */
#include "sync_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "biometrics.h"
#include "db_internal.h"
#include "rows.h"

/* ------------------------------------------------------------ statements */

/*
 * Records never sent first (NULL sorts first), then those whose last batch
 * is oldest, oldest record first within each: a backlog larger than one
 * batch goes out whole over successive exports instead of the same oldest
 * records again and again while no acknowledgement comes back. The
 * outbox_unacked index serves both the filter and the order.
 */
static const char SQL_PENDING[] =
    "SELECT o.id, r.id, r.record_uuid, r.record_version, p.record_uuid, r.tracking_id, r.cnic,"
    "       r.head_name, r.created_at, r.questionnaire_id, r.questionnaire_version,"
    "       r.member_count"
    "  FROM outbox o JOIN registrations r ON r.id = o.registration_id"
    "  LEFT JOIN registrations p ON p.id = r.supersedes"
    "  WHERE o.acked_at IS NULL ORDER BY o.batch_no, o.created_at, o.id LIMIT ?1";

static const char SQL_ANSWERS[] = "SELECT member, question, value FROM registration_answers"
                                  "  WHERE registration_id = ?1 ORDER BY member, question";

static const char SQL_LAST_BATCH[] = "SELECT coalesce(max(batch_no), 0) FROM sync_batches";

static const char SQL_INSERT_BATCH[] =
    "INSERT INTO sync_batches (batch_no, created_at, record_count, file_name, audit_upto)"
    "  VALUES (?1, ?2, ?3, ?4, ?5)"
    "  ON CONFLICT (batch_no) DO NOTHING";

static const char SQL_MARK_EXPORTED[] =
    "UPDATE outbox SET exported_at = coalesce(exported_at, ?1), batch_no = ?2"
    "  WHERE id = ?3 AND acked_at IS NULL";

static const char SQL_ACK_SEEN[] = "SELECT 1 FROM sync_imports WHERE ack_no = ?1";

static const char SQL_FIND_RECORD[] =
    "SELECT r.id, r.status, r.status_at, r.status_ack, o.id, o.acked_at IS NULL"
    "  FROM registrations r LEFT JOIN outbox o ON o.registration_id = r.id"
    "  WHERE r.record_uuid = ?1 AND r.record_version = ?2";

static const char SQL_ACK_OUTBOX[] =
    "UPDATE outbox SET acked_at = ?1, exported_at = coalesce(exported_at, ?1)"
    "  WHERE id = ?2 AND acked_at IS NULL";

static const char SQL_SET_STATUS[] =
    "UPDATE registrations SET status = ?1, status_at = ?2, status_ack = ?3"
    "  WHERE id = ?4 AND status_ack < ?3";

static const char SQL_CLEAR_SNAPSHOT[] = "DELETE FROM status_snapshot WHERE district = ?1";

static const char SQL_INSERT_SNAPSHOT[] =
    "INSERT INTO status_snapshot (tracking, cnic, status, status_date, head, district,"
    "  imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    "  ON CONFLICT (tracking) DO UPDATE SET cnic = excluded.cnic, status = excluded.status,"
    "  status_date = excluded.status_date, head = excluded.head,"
    "  district = excluded.district, imported_at = excluded.imported_at";

static const char SQL_INSERT_IMPORT[] =
    "INSERT INTO sync_imports (ack_no, imported_at, file_name, acked, statuses, snapshot)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char SQL_BACKLOG[] =
    "SELECT count(*), coalesce(CAST(strftime('%s', min(created_at)) AS INTEGER), 0)"
    "  FROM outbox WHERE acked_at IS NULL";

static const char SQL_LAST_EXPORT[] =
    "SELECT batch_no, CAST(strftime('%s', created_at) AS INTEGER) FROM sync_batches"
    "  ORDER BY batch_no DESC LIMIT 1";

static const char SQL_LAST_IMPORT[] =
    "SELECT ack_no, CAST(strftime('%s', imported_at) AS INTEGER) FROM sync_imports"
    "  ORDER BY ack_no DESC LIMIT 1";

static const char SQL_SNAPSHOT_BY_TRACKING[] =
    "SELECT tracking, cnic, status, status_date, head FROM status_snapshot WHERE tracking = ?1";

static const char SQL_SNAPSHOT_BY_CNIC[] =
    "SELECT tracking, cnic, status, status_date, head FROM status_snapshot WHERE cnic = ?1"
    "  ORDER BY status_date DESC LIMIT 1";

/* --------------------------------------------------------------- helpers */

static enum db_result bind_failed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: a parameter could not be bound", what);
    return DB_ERROR;
}

static enum db_result malformed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: a stored row is malformed", what);
    return DB_ERROR;
}

static int bind_str(sqlite3_stmt *st, int idx, const char *s)
{
    return db_bind_text(st, idx, s, strlen(s), false);
}

/* ------------------------------------------------------------- export */

static bool read_pending(sqlite3_stmt *st, struct sync_pending *p)
{
    sqlite3_int64 version = sqlite3_column_int64(st, 3);
    sqlite3_int64 members = sqlite3_column_int64(st, 11);
    p->outbox_id = sqlite3_column_int64(st, 0);
    p->registration_id = sqlite3_column_int64(st, 1);
    if (version < 1 || version > 0x7fffffff || members < 1 || members > 0x7fffffff)
        return false;
    p->version = (int)version;
    p->member_count = (int)members;
    return db_copy_column(st, 2, p->uuid, sizeof p->uuid) && strlen(p->uuid) == UUID_TEXT_LEN &&
           db_copy_column(st, 4, p->supersedes, sizeof p->supersedes) &&
           db_copy_column(st, 5, p->tracking, sizeof p->tracking) &&
           db_all_digits(p->tracking, TRACKING_DIGITS) &&
           db_copy_column(st, 6, p->cnic, sizeof p->cnic) && db_all_digits(p->cnic, CNIC_DIGITS) &&
           db_copy_column(st, 7, p->head_name, sizeof p->head_name) &&
           db_copy_column(st, 8, p->created, sizeof p->created) &&
           strlen(p->created) == DB_TIMESTAMP_LEN &&
           db_copy_column(st, 9, p->questionnaire_id, sizeof p->questionnaire_id) &&
           db_copy_column(st, 10, p->questionnaire_version, sizeof p->questionnaire_version);
}

enum db_result sync_store_pending(struct db *db, size_t limit, struct sync_pending **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (limit == 0)
        return DB_OK;
    struct sync_pending *p = calloc(limit, sizeof *p);
    if (!p) {
        db_set_error(db, "no memory for %zu outgoing records", limit);
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PENDING, &st);
    if (r != DB_OK) {
        free(p);
        return r;
    }
    if (sqlite3_bind_int64(st, 1, (sqlite3_int64)limit)) {
        free(p);
        return bind_failed(db, st, "reading the outbox");
    }
    size_t count = 0;
    int rc = SQLITE_DONE;
    while (count < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!read_pending(st, &p[count])) {
            sync_pending_free(p, limit);
            return malformed(db, st, "reading the outbox");
        }
        count++;
    }
    if (count < limit && rc != SQLITE_DONE) {
        sync_pending_free(p, limit);
        r = db_fail(db, rc, "reading the outbox");
        db_stmt_release(st);
        return r;
    }
    db_stmt_release(st);
    if (count == 0) {
        free(p);
        return DB_OK;
    }
    *out = p;
    *n = count;
    return DB_OK;
}

void sync_pending_free(struct sync_pending *p, size_t n)
{
    if (!p)
        return;
    explicit_bzero(p, n * sizeof *p);
    free(p);
}

enum db_result sync_store_answers(struct db *db, int64_t registration_id, sync_answer_cb cb,
                                  void *ud)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ANSWERS, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, registration_id))
        return bind_failed(db, st, "reading a record's answers");
    int rc;
    char question[32], value[256];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 member = sqlite3_column_int64(st, 0);
        if (member < -1 || member > 0x7fffffff ||
            !db_copy_column(st, 1, question, sizeof question) ||
            !db_copy_column(st, 2, value, sizeof value))
            return malformed(db, st, "reading a record's answers");
        if (cb(ud, (int)member, question, value)) {
            db_stmt_release(st);
            explicit_bzero(value, sizeof value);
            db_set_error(db, "reading a record's answers: stopped by the caller");
            return DB_ERROR;
        }
    }
    explicit_bzero(value, sizeof value);
    r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, "reading a record's answers");
    db_stmt_release(st);
    return r;
}

enum db_result sync_store_next_batch(struct db *db, uint64_t *next)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LAST_BATCH, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "numbering the next batch");
    } else {
        sqlite3_int64 last = sqlite3_column_int64(st, 0);
        if (last < 0 || last >= 999999)
            r = DB_FULL;
        else
            *next = (uint64_t)last + 1;
        if (r == DB_FULL)
            db_set_error(db, "batch numbers are used up");
    }
    db_stmt_release(st);
    return r;
}

static enum db_result record_batch_body(struct db *db, uint64_t batch_no, const char *now,
                                        const char *file_name, const int64_t *ids, size_t n,
                                        int64_t audit_upto)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_INSERT_BATCH, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, (sqlite3_int64)batch_no) | bind_str(st, 2, now) |
        sqlite3_bind_int64(st, 3, (sqlite3_int64)n) | bind_str(st, 4, file_name) |
        sqlite3_bind_int64(st, 5, audit_upto))
        return bind_failed(db, st, "recording the batch");
    r = db_step_done(db, st, "recording the batch");
    if (r != DB_OK)
        return r;
    if (sqlite3_changes(db_sqlite(db)) != 1) {
        db_set_error(db, "batch %llu was recorded already", (unsigned long long)batch_no);
        return DB_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        r = db_stmt(db, SQL_MARK_EXPORTED, &st);
        if (r != DB_OK)
            return r;
        if (bind_str(st, 1, now) | sqlite3_bind_int64(st, 2, (sqlite3_int64)batch_no) |
            sqlite3_bind_int64(st, 3, ids[i]))
            return bind_failed(db, st, "marking records exported");
        r = db_step_done(db, st, "marking records exported");
        if (r == DB_OK)
            r = biometrics_sync_sent(db, ids[i], now);
        if (r != DB_OK)
            return r;
    }
    return DB_OK;
}

enum db_result sync_store_record_batch(struct db *db, uint64_t batch_no, time_t now,
                                       const char *file_name, const int64_t *outbox_ids, size_t n,
                                       int64_t audit_upto)
{
    char ts[DB_TIMESTAMP_LEN + 1];
    if ((n == 0 && audit_upto <= 0) || audit_upto < 0 || batch_no == 0 || !db_timestamp(now, ts)) {
        db_set_error(db, "recording a batch: nothing to record or a bad time");
        return DB_ERROR;
    }
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = record_batch_body(db, batch_no, ts, file_name, outbox_ids, n, audit_upto);
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    return db_commit(db);
}

/* ------------------------------------------------------------- import */

enum db_result sync_store_ack_seen(struct db *db, uint64_t ack_no, bool *seen)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_ACK_SEEN, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, (sqlite3_int64)ack_no))
        return bind_failed(db, st, "looking up an acknowledgement");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *seen = rc == SQLITE_ROW;
    else
        r = db_fail(db, rc, "looking up an acknowledgement");
    db_stmt_release(st);
    return r;
}

struct found_record {
    int64_t id;
    char status[32];
    char status_at[DB_TIMESTAMP_LEN + 1];
    int64_t status_ack;
    int64_t outbox_id; /* 0 when it has none */
    bool unacked;
};

static enum db_result find_record(struct db *db, const struct sync_ack_entry *e,
                                  struct found_record *f)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_FIND_RECORD, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, e->uuid, strlen(e->uuid), false) | sqlite3_bind_int(st, 2, e->version))
        return bind_failed(db, st, "finding an acknowledged record");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "finding an acknowledged record");
    } else {
        f->id = sqlite3_column_int64(st, 0);
        f->status_ack = sqlite3_column_int64(st, 3);
        f->outbox_id = sqlite3_column_int64(st, 4);
        f->unacked = sqlite3_column_int(st, 5) != 0;
        if (!db_copy_column(st, 1, f->status, sizeof f->status) ||
            !db_copy_column(st, 2, f->status_at, sizeof f->status_at))
            return malformed(db, st, "finding an acknowledged record");
    }
    db_stmt_release(st);
    return r;
}

static enum db_result apply_entry(struct db *db, const struct sync_ack *a,
                                  const struct sync_ack_entry *e, const char *now,
                                  struct sync_apply_counts *c)
{
    struct found_record f = {0};
    enum db_result r = find_record(db, e, &f);
    if (r == DB_NOT_FOUND) {
        c->unknown++;
        return DB_OK;
    }
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    if (f.outbox_id && f.unacked) {
        r = db_stmt(db, SQL_ACK_OUTBOX, &st);
        if (r != DB_OK)
            return r;
        if (bind_str(st, 1, now) | sqlite3_bind_int64(st, 2, f.outbox_id))
            return bind_failed(db, st, "acknowledging a record");
        r = db_step_done(db, st, "acknowledging a record");
        if (r != DB_OK)
            return r;
        c->acked += (size_t)sqlite3_changes(db_sqlite(db));
    }
    /* Central holds the print now (same ingest transaction as the record):
     * the kiosk's copy goes, also when an earlier ack was lost. */
    r = biometrics_sync_acked(db, f.id, now, &c->prints_wiped);
    if (r != DB_OK)
        return r;
    /* A later acknowledgement's decision stands; this one is older news. */
    if (f.status_ack >= (int64_t)a->ack_no)
        return DB_OK;
    char status_at[DB_TIMESTAMP_LEN + 1];
    snprintf(status_at, sizeof status_at, "%.10sT00:00:00Z", e->status_date);
    const char *code = reg_status_code(e->status);
    r = db_stmt(db, SQL_SET_STATUS, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, code) | bind_str(st, 2, status_at) |
        sqlite3_bind_int64(st, 3, (sqlite3_int64)a->ack_no) | sqlite3_bind_int64(st, 4, f.id))
        return bind_failed(db, st, "setting a record's status");
    r = db_step_done(db, st, "setting a record's status");
    if (r != DB_OK)
        return r;
    if (strcmp(f.status, code) != 0 || strncmp(f.status_at, status_at, DB_DAY_LEN) != 0)
        c->statuses_changed++;
    return DB_OK;
}

static enum db_result apply_snapshot(struct db *db, const struct sync_ack *a, const char *now,
                                     struct sync_apply_counts *c)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_CLEAR_SNAPSHOT, &st);
    if (r != DB_OK)
        return r;
    if (bind_str(st, 1, a->district))
        return bind_failed(db, st, "replacing the district snapshot");
    r = db_step_done(db, st, "replacing the district snapshot");
    for (size_t i = 0; r == DB_OK && i < a->n_snapshot; i++) {
        const struct sync_snapshot_entry *e = &a->snapshot[i];
        r = db_stmt(db, SQL_INSERT_SNAPSHOT, &st);
        if (r != DB_OK)
            return r;
        if (bind_str(st, 1, e->tracking) | bind_str(st, 2, e->cnic) |
            bind_str(st, 3, reg_status_code(e->status)) | bind_str(st, 4, e->status_date) |
            bind_str(st, 5, e->head) | bind_str(st, 6, a->district) | bind_str(st, 7, now))
            return bind_failed(db, st, "storing the district snapshot");
        r = db_step_done(db, st, "storing the district snapshot");
        if (r == DB_OK)
            c->snapshot++;
    }
    return r;
}

static enum db_result apply_body(struct db *db, const struct sync_ack *a, const char *file_name,
                                 const char *now, struct sync_apply_counts *c)
{
    /* Checked again under the write lock: another process may have just applied it. */
    bool seen = false;
    enum db_result r = sync_store_ack_seen(db, a->ack_no, &seen);
    if (r != DB_OK)
        return r;
    if (seen) {
        c->already = true;
        return DB_OK;
    }
    for (size_t i = 0; i < a->n_acks; i++) {
        r = apply_entry(db, a, &a->acks[i], now, c);
        if (r != DB_OK)
            return r;
    }
    if (a->has_snapshot) {
        r = apply_snapshot(db, a, now, c);
        if (r != DB_OK)
            return r;
    }
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_INSERT_IMPORT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, (sqlite3_int64)a->ack_no) | bind_str(st, 2, now) |
        bind_str(st, 3, file_name) | sqlite3_bind_int64(st, 4, (sqlite3_int64)c->acked) |
        sqlite3_bind_int64(st, 5, (sqlite3_int64)c->statuses_changed) |
        sqlite3_bind_int64(st, 6, (sqlite3_int64)c->snapshot))
        return bind_failed(db, st, "recording the acknowledgement");
    return db_step_done(db, st, "recording the acknowledgement");
}

enum db_result sync_store_apply_ack(struct db *db, const struct sync_ack *a, const char *file_name,
                                    time_t now, struct sync_apply_counts *c)
{
    memset(c, 0, sizeof *c);
    char ts[DB_TIMESTAMP_LEN + 1];
    if (!a || a->ack_no == 0 || a->ack_no > INT64_MAX || !db_timestamp(now, ts)) {
        db_set_error(db, "applying an acknowledgement: bad number or time");
        return DB_ERROR;
    }
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = apply_body(db, a, file_name, ts, c);
    if (r != DB_OK || c->already) {
        db_rollback(db);
        if (r != DB_OK) {
            struct sync_apply_counts zero = {0};
            *c = zero;
        }
        return r;
    }
    r = db_commit(db);
    if (r != DB_OK) {
        struct sync_apply_counts zero = {0};
        *c = zero;
    } else if (c->prints_wiped) {
        biometrics_flush_wiped(db);
    }
    return r;
}

/* --------------------------------------------------------------- status */

/* Reads "number, unix time" from a statement with no parameters; zeros when no row. */
static enum db_result read_pair(struct db *db, const char *sql, const char *what, int64_t *a,
                                int64_t *b)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    *a = *b = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *a = sqlite3_column_int64(st, 0);
        *b = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        r = db_fail(db, rc, what);
    }
    db_stmt_release(st);
    return r;
}

enum db_result sync_store_info(struct db *db, struct sync_store_info *out)
{
    memset(out, 0, sizeof *out);
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    int64_t backlog = 0, oldest = 0, batch = 0, batch_at = 0, ack = 0, ack_at = 0;
    r = read_pair(db, SQL_BACKLOG, "counting the backlog", &backlog, &oldest);
    if (r == DB_OK)
        r = read_pair(db, SQL_LAST_EXPORT, "reading the last export", &batch, &batch_at);
    if (r == DB_OK)
        r = read_pair(db, SQL_LAST_IMPORT, "reading the last import", &ack, &ack_at);
    db_end_read(db);
    if (r != DB_OK)
        return r;
    if (backlog < 0 || batch < 0 || ack < 0) {
        db_set_error(db, "reading the sync state: a stored count is negative");
        return DB_ERROR;
    }
    out->backlog = (size_t)backlog;
    out->oldest_unacked = oldest;
    out->last_batch = (uint64_t)batch;
    out->last_export = batch_at;
    out->last_ack = (uint64_t)ack;
    out->last_import = ack_at;
    return DB_OK;
}

enum db_result sync_store_snapshot_find(struct db *db, bool by_tracking, const char *digits,
                                        struct sync_snapshot_entry *out)
{
    memset(out, 0, sizeof *out);
    size_t want = by_tracking ? TRACKING_DIGITS : CNIC_DIGITS;
    if (!digits || !db_all_digits(digits, want)) {
        db_set_error(db, "looking up the snapshot: malformed key");
        return DB_ERROR;
    }
    sqlite3_stmt *st;
    enum db_result r =
        db_stmt(db, by_tracking ? SQL_SNAPSHOT_BY_TRACKING : SQL_SNAPSHOT_BY_CNIC, &st);
    if (r != DB_OK)
        return r;
    if (db_bind_text(st, 1, digits, want, false))
        return bind_failed(db, st, "looking up the snapshot");
    int rc = sqlite3_step(st);
    char status[32];
    if (rc == SQLITE_DONE) {
        r = DB_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        r = db_fail(db, rc, "looking up the snapshot");
    } else if (!db_copy_column(st, 0, out->tracking, sizeof out->tracking) ||
               !db_all_digits(out->tracking, TRACKING_DIGITS) ||
               !db_copy_column(st, 1, out->cnic, sizeof out->cnic) ||
               !db_all_digits(out->cnic, CNIC_DIGITS) ||
               !db_copy_column(st, 2, status, sizeof status) ||
               !db_copy_column(st, 3, out->status_date, sizeof out->status_date) ||
               !db_copy_column(st, 4, out->head, sizeof out->head) ||
               (out->status = reg_status_from_code(status)) == STATUS_NONE) {
        memset(out, 0, sizeof *out);
        return malformed(db, st, "looking up the snapshot");
    }
    db_stmt_release(st);
    return r;
}
