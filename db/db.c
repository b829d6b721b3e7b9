/*
 * db.c - opening the kiosk's SQLite file: pragmas, integrity check,
 * refusing files from a newer program, running the migrations; plus the
 * statement cache and transaction helpers the other db/ files share.
 *
 * The order of db_open matters: the schema version is read before anything
 * could write, so a file from a newer program is refused untouched; the
 * durability pragmas are in force before quick_check and before any
 * migration writes.
 *
 * Never draws, never prints, never includes ncurses: problems are returned
 * as a db_result with a one-line detail for the log, without personal data.
 */
#include "db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_internal.h"
#include "migrations.h"

#ifndef N_
#define N_(s) (s)
#endif

/* How long to wait for another process's write lock before DB_BUSY. */
#define DB_BUSY_TIMEOUT_MS 5000

#define DB_ERROR_MAX 256

struct cached_stmt {
    const char *sql; /* key: the caller's static string, by address */
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *conn;
    struct cached_stmt *cache;
    size_t ncache, capcache;
    char err[DB_ERROR_MAX];
};

sqlite3 *db_sqlite(struct db *db)
{
    return db->conn;
}

void db_set_error(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

enum db_result db_from_sqlite(int rc)
{
    /* Extended codes carry the primary code in the low byte. */
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return DB_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return DB_CORRUPT;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return DB_CANTOPEN;
    default:
        return DB_ERROR;
    }
}

enum db_result db_fail(struct db *db, int rc, const char *what)
{
    /* sqlite3_errmsg(NULL) is defined: it reports out of memory. */
    db_set_error(db, "%s: %s", what, sqlite3_errmsg(db->conn));
    enum db_result r = db_from_sqlite(rc);
    return r == DB_OK ? DB_ERROR : r;
}

enum db_result db_stmt(struct db *db, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    for (size_t i = 0; i < db->ncache; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_stmt *st = db->cache[i].st;
            /* A caller that forgot db_stmt_release must not leak its state. */
            if (sqlite3_stmt_busy(st))
                sqlite3_reset(st);
            *out = st;
            return DB_OK;
        }
    }

    if (db->ncache == db->capcache) {
        size_t cap = db->capcache ? db->capcache * 2 : 16;
        struct cached_stmt *grown = realloc(db->cache, cap * sizeof *grown);
        if (!grown) {
            db_set_error(db, "out of memory preparing a statement");
            return DB_ERROR;
        }
        db->cache = grown;
        db->capcache = cap;
    }

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_fail(db, rc, "preparing a statement");
    }
    db->cache[db->ncache].sql = sql;
    db->cache[db->ncache].st = st;
    db->ncache++;
    *out = st;
    return DB_OK;
}

void db_stmt_release(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

/* Runs a statement that returns no rows worth reading. */
static enum db_result exec_cached(struct db *db, const char *sql, const char *what)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, sql, &st);
    if (r != DB_OK)
        return r;
    int rc;
    do
        rc = sqlite3_step(st);
    while (rc == SQLITE_ROW);
    r = rc == SQLITE_DONE ? DB_OK : db_fail(db, rc, what);
    db_stmt_release(st);
    return r;
}

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_USER_VERSION[] = "PRAGMA user_version";

enum db_result db_begin(struct db *db)
{
    return exec_cached(db, SQL_BEGIN, "starting a transaction");
}

enum db_result db_commit(struct db *db)
{
    enum db_result r = exec_cached(db, SQL_COMMIT, "committing a transaction");
    if (r != DB_OK)
        db_rollback(db);
    return r;
}

void db_rollback(struct db *db)
{
    /* SQLite may already have rolled back by itself (e.g. on a full disk). */
    if (sqlite3_get_autocommit(db->conn))
        return;
    char keep[DB_ERROR_MAX];
    memcpy(keep, db->err, sizeof keep);
    (void)exec_cached(db, SQL_ROLLBACK, "rolling back a transaction");
    memcpy(db->err, keep, sizeof keep);
}

enum db_result db_user_version(struct db *db, int *version)
{
    sqlite3_stmt *st;
    enum db_result r = db_stmt(db, SQL_USER_VERSION, &st);
    if (r != DB_OK)
        return r;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        r = DB_OK;
    } else {
        r = db_fail(db, rc, "reading the schema version");
    }
    db_stmt_release(st);
    return r;
}

/* Runs PRAGMA SQL and copies the first column of its first row into OUT. */
static enum db_result pragma_text(struct db *db, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_fail(db, rc, sql);
    }
    out[0] = '\0';
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, outsz, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    enum db_result r = rc == SQLITE_OK ? DB_OK : db_fail(db, rc, sql);
    sqlite3_finalize(st);
    return r;
}

/*
 * WAL lets the status screens read while a registration commits, and
 * FULL makes a commit survive a power cut (WAL with NORMAL may lose the
 * last commits). Each setting is read back because SQLite ignores some of
 * them silently: journal_mode stays as it was on a file system without
 * shared memory, foreign_keys on a build without foreign key support.
 */
static enum db_result apply_pragmas(struct db *db)
{
    char answer[32];
    enum db_result r = pragma_text(db, "PRAGMA journal_mode = WAL", answer, sizeof answer);
    if (r != DB_OK)
        return r;
    if (strcasecmp(answer, "wal") != 0) {
        db_set_error(db, "the database refused write-ahead logging (journal mode is \"%s\")",
                     answer);
        return DB_ERROR;
    }

    r = pragma_text(db, "PRAGMA synchronous = FULL", answer, sizeof answer);
    if (r == DB_OK)
        r = pragma_text(db, "PRAGMA synchronous", answer, sizeof answer);
    if (r != DB_OK)
        return r;
    if (strcmp(answer, "2") != 0) {
        db_set_error(db, "the database refused synchronous=FULL (it is %s)", answer);
        return DB_ERROR;
    }

    r = pragma_text(db, "PRAGMA foreign_keys = ON", answer, sizeof answer);
    if (r == DB_OK)
        r = pragma_text(db, "PRAGMA foreign_keys", answer, sizeof answer);
    if (r != DB_OK)
        return r;
    if (strcmp(answer, "1") != 0) {
        db_set_error(db, "this SQLite cannot enforce foreign keys");
        return DB_ERROR;
    }

    /*
     * Drafts hold personal data and are wiped when they expire or are
     * confirmed: without secure_delete the deleted rows stay readable in
     * free pages and in the unused parts of live pages until reused.
     */
    r = pragma_text(db, "PRAGMA secure_delete = ON", answer, sizeof answer);
    if (r == DB_OK)
        r = pragma_text(db, "PRAGMA secure_delete", answer, sizeof answer);
    if (r != DB_OK)
        return r;
    if (strcmp(answer, "1") != 0) {
        db_set_error(db, "the database refused secure_delete (it is %s)", answer);
        return DB_ERROR;
    }
    return DB_OK;
}

/*
 * quick_check reads every page and checks its structure (not index
 * contents, which integrity_check would also do, far slower on a big
 * file). It answers one row "ok", or one row per problem found.
 */
static enum db_result check_integrity(struct db *db)
{
    char first[160];
    enum db_result r = pragma_text(db, "PRAGMA quick_check", first, sizeof first);
    if (r == DB_CORRUPT) {
        db_set_error(db, "the database file failed its integrity check: %s",
                     sqlite3_errmsg(db->conn));
        return DB_CORRUPT;
    }
    if (r != DB_OK)
        return r;
    if (strcmp(first, "ok") != 0) {
        first[strcspn(first, "\r\n")] = '\0';
        db_set_error(db, "the database file failed its integrity check: %s", first);
        return DB_CORRUPT;
    }
    return DB_OK;
}

static enum db_result setup(struct db *db, int version)
{
    /* SQLite quietly opens a file it may not write read-only instead. */
    if (sqlite3_db_readonly(db->conn, "main") == 1) {
        db_set_error(db, "the database file is not writable");
        return DB_CANTOPEN;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);

    /* Before anything that could write: a newer file must stay as it is. */
    int found;
    enum db_result r = db_user_version(db, &found);
    if (r == DB_CORRUPT) {
        db_set_error(db, "the file is damaged or is not a database: %s", sqlite3_errmsg(db->conn));
        return r;
    }
    if (r != DB_OK)
        return r;
    if (found > DB_SCHEMA_VERSION) {
        db_set_error(db, "the database has schema version %d; this program knows up to %d", found,
                     DB_SCHEMA_VERSION);
        return DB_TOO_NEW;
    }

    r = apply_pragmas(db);
    if (r == DB_OK)
        r = check_integrity(db);
    if (r == DB_OK)
        r = db_migrate(db, version);
    return r;
}

enum db_result db_open_at_version(const char *path, int version, struct db **out, char *detail,
                                  size_t detailsz)
{
    if (detail && detailsz)
        detail[0] = '\0';
    if (!out)
        return DB_ERROR;
    *out = NULL;

    struct db *db = calloc(1, sizeof *db);
    if (!db) {
        if (detail && detailsz)
            snprintf(detail, detailsz, "out of memory opening the database");
        return DB_ERROR;
    }

    enum db_result r;
    if (!path || !*path) {
        db_set_error(db, "no database file was given");
        r = DB_CANTOPEN;
    } else if (version < 1 || version > DB_SCHEMA_VERSION) {
        db_set_error(db, "no schema version %d (this program knows 1 to %d)", version,
                     DB_SCHEMA_VERSION);
        r = DB_ERROR;
    } else {
        /* NOMUTEX: a struct db belongs to the one event-loop thread. */
        int rc =
            sqlite3_open_v2(path, &db->conn,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
        if (rc != SQLITE_OK) {
            r = db_fail(db, rc, "opening the database file");
            /* The folder may be missing; nothing else is plausible here. */
            if (r == DB_ERROR && (rc & 0xff) != SQLITE_NOMEM)
                r = DB_CANTOPEN;
        } else {
            r = setup(db, version);
        }
    }

    if (r != DB_OK) {
        if (detail && detailsz)
            snprintf(detail, detailsz, "%s", db->err);
        db_close(db);
        return r;
    }
    db->err[0] = '\0';
    *out = db;
    return DB_OK;
}

enum db_result db_open(const char *path, struct db **out, char *detail, size_t detailsz)
{
    return db_open_at_version(path, DB_SCHEMA_VERSION, out, detail, detailsz);
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    free(db->cache);
    /* close_v2 cannot fail for want of finalizing; NULL is a no-op. */
    sqlite3_close_v2(db->conn);
    free(db);
}

int db_schema_version(struct db *db)
{
    int version;
    if (!db || db_user_version(db, &version) != DB_OK)
        return -1;
    return version;
}

const char *db_last_error(struct db *db)
{
    if (!db)
        return "no database is open";
    return db->err;
}

const char *db_result_text(enum db_result r)
{
    switch (r) {
    case DB_OK:
        return N_("Done.");
    case DB_ERROR:
        return N_("The database on this machine reported a problem. Please try again; if it "
                  "happens again, call the centre manager.");
    case DB_CANTOPEN:
        return N_("The database on this machine could not be opened. Ask the centre manager to "
                  "check the data folder.");
    case DB_CORRUPT:
        return N_("The database on this machine is damaged. Ask the centre manager to restore it "
                  "from backup.");
    case DB_TOO_NEW:
        return N_("The database on this machine was made by a newer version of this program. "
                  "Ask the centre manager to update the kiosk.");
    case DB_NOT_FOUND:
        return N_("No registration was found.");
    case DB_FULL:
        return N_("This kiosk has used all of today's tracking IDs. Please come back "
                  "tomorrow, or ask the centre manager.");
    case DB_BUSY:
        return N_("The database on this machine is busy. Please wait a moment and try again.");
    }
    return N_("The database on this machine reported an unknown problem.");
}
