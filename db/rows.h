/*
 * rows.h - the small helpers db/drafts.c and db/registry.c share to bind
 * parameters, read columns and step statements, and the one timestamp
 * format of the store.
 *
 * Internal to db/ (it includes sqlite3.h). Never draws, never prints,
 * never puts personal data in an error detail.
 */
#ifndef NSER_DB_ROWS_H
#define NSER_DB_ROWS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "db.h"

#define DB_TIMESTAMP_LEN 20 /* YYYY-MM-DDTHH:MM:SSZ */
#define DB_DAY_LEN       10 /* YYYY-MM-DD */

/* T as a UTC timestamp into OUT; false when T has no such date. */
bool db_timestamp(time_t t, char out[DB_TIMESTAMP_LEN + 1]);

/* True when S is exactly N ASCII digits followed by its NUL. */
bool db_all_digits(const char *s, size_t n);

/*
 * True when S (may be NULL: false) is terminated within FIELDSZ bytes
 * and, unless EMPTY_OK, not empty; its length into *LEN when LEN is not
 * NULL. For text in fixed-size fields that came from a caller.
 */
bool db_text_fits(const char *s, size_t fieldsz, bool empty_ok, size_t *len);

/*
 * Binds N bytes of S as text, or NULL when N is 0 and EMPTY_IS_NULL.
 * SQLITE_STATIC: every statement is stepped and released before the
 * bound buffer goes away. Returns the SQLite code.
 */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s, size_t n, bool empty_is_null);

/*
 * Copies text column COL (NULL as "") into DST; false when it does not
 * fit in DSTSZ with its NUL or holds a NUL byte. Every stored text is
 * read through here, so a damaged or hostile file cannot overrun a
 * buffer.
 */
bool db_copy_column(sqlite3_stmt *st, int col, char *dst, size_t dstsz);

/* Steps a statement that returns no rows to its end, then releases it. */
enum db_result db_step_done(struct db *db, sqlite3_stmt *st, const char *what);

/*
 * A read snapshot (plain BEGIN) so rows read by several statements belong
 * to the same moment; db_end_read ends it without writing anything and
 * keeps the current error detail.
 */
enum db_result db_begin_read(struct db *db);
void db_end_read(struct db *db);

#endif
