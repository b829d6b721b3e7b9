/*
 * db_internal.h - what the db/ files share behind the opaque struct db:
 * the raw connection, the error detail, a cache of prepared statements and
 * transaction helpers.
 *
 * Only files in db/ include this; nothing above the db layer may see
 * sqlite3. Never draws, never prints, never puts personal data in a detail.
 */
#ifndef NSER_DB_INTERNAL_H
#define NSER_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

#if defined(__GNUC__)
#define DB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DB_PRINTF(f, a)
#endif

/* The connection, for the db/ files only. */
sqlite3 *db_sqlite(struct db *db);

/* Records a one-line detail for db_last_error (overwrites the previous). */
void db_set_error(struct db *db, const char *fmt, ...) DB_PRINTF(2, 3);

/* The db_result an SQLite result code stands for. */
enum db_result db_from_sqlite(int rc);

/*
 * Records "WHAT: <sqlite's message>" as the detail and returns the
 * db_result for RC. SQLite's messages name tables and columns, never
 * values, so no personal data reaches the log this way.
 */
enum db_result db_fail(struct db *db, int rc, const char *what);

/*
 * Puts in *OUT the prepared statement for SQL, prepared on first use and
 * kept until db_close, so a lookup costs no parsing. SQL must have static
 * storage duration: its address is the cache key, so each call site passes
 * one named static string. On failure *OUT is NULL and the detail is set.
 * Release every statement with db_stmt_release when done, also on error
 * paths: an un-reset SELECT keeps a read snapshot open, which would stall
 * WAL checkpoints and hide later commits from this connection.
 */
enum db_result db_stmt(struct db *db, const char *sql, sqlite3_stmt **out);
void db_stmt_release(sqlite3_stmt *st);

/* PRAGMA user_version into *VERSION. */
enum db_result db_user_version(struct db *db, int *version);

/*
 * BEGIN IMMEDIATE takes the write lock up front, so a transaction never
 * fails half-way for want of it (and waits up to busy_timeout for it).
 * db_rollback is safe to call when no transaction is open and keeps the
 * detail of the error that caused it.
 */
enum db_result db_begin(struct db *db);
enum db_result db_commit(struct db *db);
void db_rollback(struct db *db);

#endif
