/*
 * db.h - the kiosk's one SQLite file: open, pragmas, integrity check and
 * forward migrations.
 *
 * Durability first: WAL, synchronous=FULL, foreign keys on; secure_delete
 * on, so deleted personal data does not linger in the file. The schema is
 * versioned by PRAGMA user_version and only ever migrated forward; a file
 * from a newer program is refused, never touched. Never draws, never prints:
 * problems come back as a result code plus a plain-English detail string
 * for the log (the caller picks the user's words).
 */
#ifndef NSER_DB_H
#define NSER_DB_H

#include <stddef.h>

#define DB_SCHEMA_VERSION 4

enum db_result {
    DB_OK = 0,
    DB_ERROR,     /* any other SQLite failure; detail says which */
    DB_CANTOPEN,  /* file or folder missing / not writable */
    DB_CORRUPT,   /* quick_check failed or the file is not a database */
    DB_TOO_NEW,   /* written by a newer nser-kiosk; left untouched */
    DB_NOT_FOUND, /* a lookup found nothing */
    DB_FULL,      /* a per-day sequence is exhausted */
    DB_BUSY,      /* locked by another process for too long */
};

struct db;

/*
 * Opens (creating if missing) the database at PATH, applies the pragmas, runs
 * quick_check and migrates to DB_SCHEMA_VERSION. On failure *OUT is NULL and
 * DETAIL (if not NULL) holds a one-line explanation.
 */
enum db_result db_open(const char *path, struct db **out, char *detail, size_t detailsz);

/* As db_open but migrates only up to VERSION (tests build old schemas). */
enum db_result db_open_at_version(const char *path, int version, struct db **out, char *detail,
                                  size_t detailsz);

void db_close(struct db *db);

/* PRAGMA user_version of the open file. */
int db_schema_version(struct db *db);

/* Last error detail for the log (never personal data). */
const char *db_last_error(struct db *db);

/* Untranslated message id for R, for the user. */
const char *db_result_text(enum db_result r);

#endif
