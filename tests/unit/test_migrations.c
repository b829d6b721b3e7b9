/*
 * test_migrations.c - opening the local store: a fresh file gets the whole
 * schema, an old file is brought forward without losing anything, and
 * files the program must not touch (too new, damaged, not a database,
 * unreachable) are refused with the right result.
 *
 * Files live in a mkdtemp folder removed at the end. Raw sqlite3 is used
 * here, and only here, to build and inspect files behind db_open's back.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "kiosk/status.h"

static char tmpdir[] = "/tmp/nser-test-migrations-XXXXXX";

static void path_for(const char *name, char *out, size_t outsz)
{
    int n = snprintf(out, outsz, "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < outsz);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *c = NULL;
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    return c;
}

static void raw_exec(sqlite3 *c, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(c, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static long long raw_int(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_text(sqlite3 *c, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static bool has_table(sqlite3 *c, const char *name)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c,
                                        "SELECT count(*) FROM sqlite_master"
                                        " WHERE type IN ('table', 'index') AND name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool found = sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    return found;
}

/* Reads a whole file, to prove a refused file was not changed. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A v1 household with one registration per given status, in raw SQL. */
static void add_v1_registration(sqlite3 *c, int n, const char *status)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO households (id, head_cnic, district, tehsil, created_at)"
             "  VALUES (%d, '3520212345678', 'Lahore', 'Model Town', '2024-03-1%dT09:00:00Z');"
             "INSERT INTO members (household_id, position, name, relation, gender)"
             "  VALUES (%d, 0, 'Ayesha Bibi', 'head', 'female');"
             "INSERT INTO registrations (id, tracking_id, cnic, household_id, kiosk_code,"
             "  record_uuid, record_version, status, status_at, created_at)"
             "  VALUES (%d, '123452403150%03d7', '3520212345678', %d, '12345',"
             "  '0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d', %d, '%s',"
             "  '2024-03-1%dT09:00:00Z', '2024-03-1%dT09:00:00Z');",
             n, n, n, n, n, n, n, status, n, n);
    raw_exec(c, sql);
}

/* ------------------------------------------------------------------ tests */

static void fresh_file_gets_every_table(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("fresh.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_OK);
    assert_non_null(db);
    assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
    assert_int_equal(db_schema_version(db), 2);
    assert_string_equal(db_last_error(db), "");
    db_close(db);

    sqlite3 *c = raw_open(path);
    const char *names[] = {"households",        "members", "registrations", "registrations_by_cnic",
                           "tracking_sequence", "outbox"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_true(has_table(c, names[i]));
    assert_int_equal(raw_int(c, "PRAGMA user_version"), 2);
    sqlite3_close(c);

    /* A second open finds nothing to do and changes nothing. */
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_OK);
    assert_int_equal(db_schema_version(db), 2);
    db_close(db);
}

static void pragmas_are_in_force(void **state)
{
    (void)state;
    char path[256], mode[16];
    path_for("pragmas.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    sqlite3 *c = db_sqlite(db);
    raw_text(c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(raw_int(c, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(raw_int(c, "PRAGMA foreign_keys"), 1);
    /* Foreign keys really are enforced, not just switched on. */
    assert_int_not_equal(sqlite3_exec(c,
                                      "INSERT INTO members (household_id, position, name,"
                                      " relation, gender) VALUES (4242, 0, 'x', 'head', 'male')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    db_close(db);
}

static void version_1_file_is_migrated_and_queued(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("old.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 1, &db, detail, sizeof detail), DB_OK);
    assert_int_equal(db_schema_version(db), 1);
    db_close(db);

    sqlite3 *c = raw_open(path);
    assert_false(has_table(c, "outbox"));
    assert_true(has_table(c, "registrations"));
    add_v1_registration(c, 1, "pending_sync");
    add_v1_registration(c, 2, "received");
    sqlite3_close(c);

    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_OK);
    assert_int_equal(db_schema_version(db), 2);
    db_close(db);

    c = raw_open(path);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registrations"), 2);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM members"), 2);
    /* Only the one not yet acknowledged waits to be sent. */
    assert_int_equal(raw_int(c, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(raw_int(c, "SELECT registration_id FROM outbox"), 1);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM outbox WHERE created_at ="
                                " '2024-03-11T09:00:00Z' AND exported_at IS NULL"
                                " AND acked_at IS NULL"),
                     1);
    sqlite3_close(c);
}

static void open_at_version_never_goes_back(void **state)
{
    (void)state;
    char path[256];
    path_for("forward.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    db_close(db);
    assert_int_equal(db_open_at_version(path, 1, &db, NULL, 0), DB_OK);
    assert_int_equal(db_schema_version(db), 2);
    db_close(db);
}

static void bad_version_argument_is_refused(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("badversion.db", path, sizeof path);
    struct db *db = (struct db *)&db; /* must be reset to NULL */
    assert_int_equal(db_open_at_version(path, 0, &db, detail, sizeof detail), DB_ERROR);
    assert_null(db);
    assert_true(strlen(detail) > 0);
    assert_int_equal(db_open_at_version(path, DB_SCHEMA_VERSION + 1, &db, NULL, 0), DB_ERROR);
    assert_null(db);
}

static void newer_file_is_refused_untouched(void **state)
{
    (void)state;
    char path[256], wal[300], detail[256];
    path_for("newer.db", path, sizeof path);
    snprintf(wal, sizeof wal, "%s-wal", path);

    sqlite3 *c = raw_open(path);
    raw_exec(c,
             "CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = 99;");
    sqlite3_close(c);

    size_t before_len, after_len;
    unsigned char *before = slurp(path, &before_len);

    struct db *db = (struct db *)&db;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_TOO_NEW);
    assert_null(db);
    assert_non_null(strstr(detail, "99"));

    unsigned char *after = slurp(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_false(file_exists(wal));
    free(before);
    free(after);

    c = raw_open(path);
    assert_int_equal(raw_int(c, "PRAGMA user_version"), 99);
    char mode[16];
    raw_text(c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "delete");
    sqlite3_close(c);
}

static void garbage_file_is_corrupt(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("garbage.db", path, sizeof path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    srand(20240315);
    for (int i = 0; i < 8192; i++)
        fputc(rand() & 0xff, f);
    fclose(f);

    struct db *db = (struct db *)&db;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_CORRUPT);
    assert_null(db);
    assert_true(strlen(detail) > 0);
}

/*
 * A real database whose table pages were overwritten: the header is fine,
 * so only quick_check can tell.
 */
static void damaged_database_fails_quick_check(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("damaged.db", path, sizeof path);
    sqlite3 *c = raw_open(path);
    raw_exec(c, "PRAGMA page_size = 4096; CREATE TABLE t (x TEXT);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                "  INSERT INTO t SELECT printf('row %d of some filler text', i) FROM n;");
    long long pages = raw_int(c, "PRAGMA page_count");
    sqlite3_close(c);
    assert_true(pages > 4);

    /* Scribble over a few interior pages of the table. */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 2 * 4096 + 100, SEEK_SET), 0);
    for (int i = 0; i < 3 * 4096; i++)
        fputc((i * 37) & 0xff, f);
    fclose(f);

    struct db *db = (struct db *)&db;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_CORRUPT);
    assert_null(db);
    assert_non_null(strstr(detail, "integrity check"));
}

static void missing_folder_cannot_open(void **state)
{
    (void)state;
    char path[256], detail[256];
    path_for("no/such/folder/kiosk.db", path, sizeof path);
    struct db *db = (struct db *)&db;
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_CANTOPEN);
    assert_null(db);
    assert_true(strlen(detail) > 0);

    assert_int_equal(db_open("", &db, NULL, 0), DB_CANTOPEN);
    assert_null(db);
}

static void read_only_file_cannot_open(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root writes through any permission bits */
    char path[256], detail[256];
    path_for("readonly.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    db_close(db);
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_CANTOPEN);
    assert_null(db);
    assert_int_equal(chmod(path, 0644), 0);
}

/* The CHECK on registrations.status must accept every code the domain has. */
static void every_status_code_fits_the_schema(void **state)
{
    (void)state;
    char path[256];
    path_for("statuses.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    sqlite3 *c = db_sqlite(db);
    raw_exec(c, "INSERT INTO households (id, head_cnic, district, tehsil, created_at)"
                "  VALUES (1, '3520212345678', 'Lahore', 'Model Town', '2024-03-15T09:00:00Z')");
    for (int s = STATUS_NONE + 1; s < STATUS_COUNT; s++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(c,
                                            "INSERT INTO registrations (tracking_id, cnic,"
                                            " household_id, kiosk_code, record_uuid,"
                                            " record_version, status, status_at, created_at)"
                                            " VALUES (printf('%016d', ?1), '3520212345678', 1,"
                                            " '12345', '0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d',"
                                            " ?1, ?2, 'x', 'x')",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, s);
        sqlite3_bind_text(st, 2, reg_status_code((enum reg_status)s), -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_not_equal(
        sqlite3_exec(c, "UPDATE registrations SET status = 'lost' WHERE id = 1", NULL, NULL, NULL),
        SQLITE_OK);
    db_close(db);
}

static void every_result_has_words(void **state)
{
    (void)state;
    for (int r = DB_OK; r <= DB_BUSY; r++) {
        const char *t = db_result_text((enum db_result)r);
        assert_non_null(t);
        assert_true(strlen(t) > 3);
        for (int o = DB_OK; o < r; o++)
            assert_string_not_equal(t, db_result_text((enum db_result)o));
    }
    assert_non_null(strstr(db_result_text(DB_CORRUPT), "backup"));
    db_close(NULL);
    assert_int_equal(db_schema_version(NULL), -1);
    assert_non_null(db_last_error(NULL));
}

/* ---------------------------------------------------------------- fixture */

static int make_tmpdir(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    /* Recursive for the one level of files the tests make. */
    DIR *d = opendir(tmpdir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_file_gets_every_table),
        cmocka_unit_test(pragmas_are_in_force),
        cmocka_unit_test(version_1_file_is_migrated_and_queued),
        cmocka_unit_test(open_at_version_never_goes_back),
        cmocka_unit_test(bad_version_argument_is_refused),
        cmocka_unit_test(newer_file_is_refused_untouched),
        cmocka_unit_test(garbage_file_is_corrupt),
        cmocka_unit_test(damaged_database_fails_quick_check),
        cmocka_unit_test(missing_folder_cannot_open),
        cmocka_unit_test(read_only_file_cannot_open),
        cmocka_unit_test(every_status_code_fits_the_schema),
        cmocka_unit_test(every_result_has_words),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
