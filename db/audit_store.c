/*
 * audit_store.c - the SQL of the audit trail: append after the last row,
 * walk by id, pages newest first, the head, the last row a batch carried.
 *
 * Every statement is a fixed string with bound parameters. An append reads
 * the last row and inserts the next in one write transaction (the caller's
 * or its own BEGIN IMMEDIATE), so no two rows ever claim the same
 * predecessor. Every text read back goes through db_copy_column, so a
 * damaged or hand-edited file cannot overrun a buffer: a row that does not
 * fit is reported, never truncated into something that might verify.
 * Never draws, never prints; error details never hold a subject or detail.
 */
#include "audit_store.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "rows.h"

/* ------------------------------------------------------------ statements */

static const char SQL_LAST[] = "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1";

static const char SQL_INSERT[] =
    "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

static const char SQL_WALK[] =
    "SELECT id, at, actor, action, subject, detail, prev_mac, mac FROM audit"
    "  WHERE id > ?1 ORDER BY id LIMIT ?2";

static const char SQL_PAGE[] =
    "SELECT id, at, actor, action, subject, detail, prev_mac, mac FROM audit"
    "  WHERE id < ?1 ORDER BY id DESC LIMIT ?2";

static const char SQL_COUNT[] = "SELECT count(*) FROM audit";

static const char SQL_UPTO[] = "SELECT coalesce(max(audit_upto), 0) FROM sync_batches";

static const char ZERO_MAC[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* --------------------------------------------------------------- helpers */

static enum db_result bind_failed(struct db *db, sqlite3_stmt *st, const char *what)
{
    db_stmt_release(st);
    db_set_error(db, "%s: cannot bind parameters", what);
    return DB_ERROR;
}

static bool text_ok(const char *s, size_t fieldsz, bool empty_ok, size_t *len)
{
    return db_text_fits(s, fieldsz, empty_ok, len);
}

/* Reads the row ST is on (columns as in SQL_WALK). */
static bool read_row(sqlite3_stmt *st, struct audit_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    return sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
           db_copy_column(st, 1, r->at, sizeof r->at) &&
           db_copy_column(st, 2, r->actor, sizeof r->actor) &&
           db_copy_column(st, 3, r->action, sizeof r->action) &&
           db_copy_column(st, 4, r->subject, sizeof r->subject) &&
           db_copy_column(st, 5, r->detail, sizeof r->detail) &&
           db_copy_column(st, 6, r->prev_mac, sizeof r->prev_mac) &&
           db_copy_column(st, 7, r->mac, sizeof r->mac);
}

/* ---------------------------------------------------------------- append */

static enum db_result append_body(struct db *db, struct audit_row *row, audit_mac_cb mac, void *ud)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_LAST, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row->id = sqlite3_column_int64(st, 0);
        if (!db_copy_column(st, 1, row->prev_mac, sizeof row->prev_mac) ||
            strlen(row->prev_mac) != AUDIT_MAC_HEX || row->id < 0 || row->id == INT64_MAX) {
            db_stmt_release(st);
            db_set_error(db, "appending to the audit trail: the last row is damaged");
            return DB_ERROR;
        }
        row->id++;
    } else if (rc == SQLITE_DONE) {
        row->id = 1;
        memcpy(row->prev_mac, ZERO_MAC, sizeof ZERO_MAC);
    } else {
        r = db_fail(db, rc, "reading the last audit row");
        db_stmt_release(st);
        return r;
    }
    db_stmt_release(st);

    if (mac(ud, row) != 0 || strlen(row->mac) != AUDIT_MAC_HEX) {
        db_set_error(db, "appending to the audit trail: no MAC");
        return DB_ERROR;
    }
    r = db_stmt(db, SQL_INSERT, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, row->id) | db_bind_text(st, 2, row->at, strlen(row->at), false) |
        db_bind_text(st, 3, row->actor, strlen(row->actor), false) |
        db_bind_text(st, 4, row->action, strlen(row->action), false) |
        db_bind_text(st, 5, row->subject, strlen(row->subject), false) |
        db_bind_text(st, 6, row->detail, strlen(row->detail), false) |
        db_bind_text(st, 7, row->prev_mac, AUDIT_MAC_HEX, false) |
        db_bind_text(st, 8, row->mac, AUDIT_MAC_HEX, false))
        return bind_failed(db, st, "appending to the audit trail");
    return db_step_done(db, st, "appending to the audit trail");
}

enum db_result audit_store_append(struct db *db, bool own_tx, struct audit_row *row,
                                  audit_mac_cb mac, void *ud)
{
    if (!row || !mac || !text_ok(row->at, sizeof row->at, false, NULL) ||
        !text_ok(row->actor, sizeof row->actor, false, NULL) ||
        !text_ok(row->action, sizeof row->action, false, NULL) ||
        !text_ok(row->subject, sizeof row->subject, true, NULL) ||
        !text_ok(row->detail, sizeof row->detail, true, NULL)) {
        db_set_error(db, "appending to the audit trail: a field is missing or too long");
        return DB_ERROR;
    }
    if (!own_tx)
        return append_body(db, row, mac, ud);
    enum db_result r = db_begin(db);
    if (r != DB_OK)
        return r;
    r = append_body(db, row, mac, ud);
    if (r != DB_OK) {
        db_rollback(db);
        return r;
    }
    return db_commit(db);
}

/* ------------------------------------------------------------------ read */

static enum db_result walk_body(struct db *db, int64_t after, size_t limit, audit_row_cb cb,
                                void *ud, int *stopped)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_WALK, &st);
    if (r != DB_OK)
        return r;
    sqlite3_int64 lim = limit == 0 || limit > INT64_MAX ? -1 : (sqlite3_int64)limit;
    if (sqlite3_bind_int64(st, 1, after) | sqlite3_bind_int64(st, 2, lim))
        return bind_failed(db, st, "reading the audit trail");
    int rc;
    struct audit_row row;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!read_row(st, &row)) {
            db_set_error(db, "reading the audit trail: a row after id %lld does not fit",
                         (long long)row.id);
            db_stmt_release(st);
            return DB_CORRUPT;
        }
        int s = cb(ud, &row);
        if (s != 0) {
            if (stopped)
                *stopped = s;
            db_stmt_release(st);
            return DB_OK;
        }
    }
    r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, "reading the audit trail");
    db_stmt_release(st);
    return r;
}

enum db_result audit_store_walk(struct db *db, int64_t after, size_t limit, audit_row_cb cb,
                                void *ud, int *stopped)
{
    if (stopped)
        *stopped = 0;
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    r = walk_body(db, after, limit, cb, ud, stopped);
    db_end_read(db);
    return r;
}

enum db_result audit_store_page(struct db *db, int64_t before, struct audit_row *out, size_t max,
                                size_t *n)
{
    *n = 0;
    if (max == 0)
        return DB_OK;
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_PAGE, &st);
    if (r != DB_OK)
        return r;
    if (sqlite3_bind_int64(st, 1, before <= 0 ? INT64_MAX : before) |
        sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max))
        return bind_failed(db, st, "reading a page of the audit trail");
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!read_row(st, &out[*n])) {
            db_set_error(db, "reading the audit trail: a row does not fit");
            db_stmt_release(st);
            return DB_CORRUPT;
        }
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE)
        r = db_fail(db, rc, "reading a page of the audit trail");
    db_stmt_release(st);
    return r;
}

static enum db_result one_int(struct db *db, const char *sql, int64_t *out, const char *what)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        r = db_fail(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, what);
    db_stmt_release(st);
    return r;
}

static enum db_result head_body(struct db *db, struct audit_head *out)
{
    enum db_result r = one_int(db, SQL_COUNT, &out->count, "counting the audit trail");
    if (r != DB_OK)
        return r;
    sqlite3_stmt *st;
    r = db_stmt(db, SQL_LAST, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->last_id = sqlite3_column_int64(st, 0);
        if (!db_copy_column(st, 1, out->last_mac, sizeof out->last_mac)) {
            db_set_error(db, "reading the audit trail's head: the last row is damaged");
            r = DB_CORRUPT;
        }
    } else if (rc != SQLITE_DONE) {
        r = db_fail(db, rc, "reading the audit trail's head");
    }
    db_stmt_release(st);
    return r;
}

enum db_result audit_store_head(struct db *db, struct audit_head *out)
{
    memset(out, 0, sizeof *out);
    enum db_result r = db_begin_read(db);
    if (r != DB_OK)
        return r;
    r = head_body(db, out);
    db_end_read(db);
    return r;
}

enum db_result audit_store_synced_upto(struct db *db, int64_t *upto)
{
    *upto = 0;
    return one_int(db, SQL_UPTO, upto, "reading the last audit row synced");
}

bool audit_parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se;
    char z;
    if (!s || strlen(s) != AUDIT_ROW_AT_LEN ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 || z != 'Z')
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 ||
        mi < 0 || se < 0)
        return false;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *out = (int64_t)t;
    return true;
}
