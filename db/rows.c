/*
 * rows.c - binding, column reading and stepping helpers for db/, and the
 * store's timestamp format.
 *
 * Bounds first: every text read from the file is length-checked against
 * its destination before a byte is copied, and every text bound from a
 * caller's fixed-size field is measured within that field. Never draws,
 * never prints.
 */
#include "rows.h"

#include <string.h>

#include "db_internal.h"

bool db_timestamp(time_t t, char out[DB_TIMESTAMP_LEN + 1])
{
    struct tm utc;
    if (!gmtime_r(&t, &utc) || utc.tm_year + 1900 < 1 || utc.tm_year + 1900 > 9999)
        return false;
    return strftime(out, DB_TIMESTAMP_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &utc) == DB_TIMESTAMP_LEN;
}

bool db_all_digits(const char *s, size_t n)
{
    if (!s)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[n] == '\0';
}

bool db_text_fits(const char *s, size_t fieldsz, bool empty_ok, size_t *len)
{
    if (!s)
        return false;
    size_t n = strnlen(s, fieldsz);
    if (n == fieldsz || (n == 0 && !empty_ok))
        return false;
    if (len)
        *len = n;
    return true;
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s, size_t n, bool empty_is_null)
{
    if (n == 0 && empty_is_null)
        return sqlite3_bind_null(st, idx);
    if (n > (size_t)0x7fffffff)
        return SQLITE_TOOBIG;
    return sqlite3_bind_text(st, idx, s, (int)n, SQLITE_STATIC);
}

bool db_copy_column(sqlite3_stmt *st, int col, char *dst, size_t dstsz)
{
    if (dstsz == 0)
        return false;
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= dstsz || (n && memchr(t, '\0', n)))
        return false;
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
    return true;
}

enum db_result db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    enum db_result r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, what);
    db_stmt_release(st);
    return r;
}

static const char SQL_BEGIN_READ[] = "BEGIN";

enum db_result db_begin_read(struct db *db)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_BEGIN_READ, &st);
    if (r != DB_OK)
        return r;
    return db_step_done(db, st, "starting a read");
}

void db_end_read(struct db *db)
{
    /* Nothing was written: rolling back ends the snapshot and keeps the detail. */
    db_rollback(db);
}
