/*
 * test_migrations.c - opening the local store: a fresh file gets the whole
 * schema with its pragmas, the schema refuses malformed rows and keeps a
 * draft's rows together, its indexes serve the frequent questions, and
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

#include "tests/unit/testdir.h"
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
    assert_int_equal(db_schema_version(db), 4);
    assert_string_equal(db_last_error(db), "");
    db_close(db);

    sqlite3 *c = raw_open(path);
    const char *names[] = {
        "registrations",
        "registrations_by_cnic",
        "registration_answers",
        "scores",
        "tracking_sequence",
        "outbox",
        "drafts",
        "drafts_by_cnic",
        "drafts_by_updated",
        "draft_members",
        "draft_answers",
        "sync_batches",
        "sync_imports",
        "outbox_unacked",
        "status_snapshot",
        "status_snapshot_by_cnic",
        "status_snapshot_by_district",
        "users",
        "login_attempts",
        "audit",
        "biometrics",
        "biometrics_by_registration",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!has_table(c, names[i]))
            fail_msg("missing %s", names[i]);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 6);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM pragma_table_info('sync_batches')"
                                " WHERE name = 'audit_upto'"),
                     1);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM pragma_table_info('registrations')"
                                " WHERE name = 'trimmed_at'"),
                     1);
    assert_false(has_table(c, "households"));
    assert_false(has_table(c, "members"));
    assert_int_equal(raw_int(c, "PRAGMA user_version"), 4);
    assert_false(has_table(c, "registrations_v1"));
    sqlite3_close(c);

    /* A second open finds nothing to do and changes nothing. */
    assert_int_equal(db_open(path, &db, detail, sizeof detail), DB_OK);
    assert_int_equal(db_schema_version(db), 4);
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
    assert_int_equal(raw_int(c, "PRAGMA secure_delete"), 1);
    /* Foreign keys really are enforced, not just switched on. */
    assert_int_not_equal(
        sqlite3_exec(c, "INSERT INTO draft_members (draft_id, position) VALUES (4242, 0)", NULL,
                     NULL, NULL),
        SQLITE_OK);
    db_close(db);
}

static void open_at_version_never_goes_back(void **state)
{
    (void)state;
    char path[256];
    path_for("forward.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 1, &db, NULL, 0), DB_OK);
    assert_int_equal(db_schema_version(db), 1);
    db_close(db);
    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    assert_int_equal(db_schema_version(db), DB_SCHEMA_VERSION);
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

/* A valid registration row (id N, version 1) through raw SQL. */
static void add_registration(sqlite3 *c, int n, const char *status)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO registrations (id, tracking_id, cnic, kiosk_code, record_uuid,"
             "  record_version, head_name, questionnaire_id, questionnaire_version,"
             "  member_count, status, status_at, created_at)"
             "  VALUES (%d, printf('%%016d', %d), '3520212345678', '12345',"
             "  printf('00000000-0000-4000-8000-%%012d', %d), 1, 'Ayesha Bibi', 'nser', '1',"
             "  2, '%s', '2024-03-15T09:00:00Z', '2024-03-15T09:00:00Z')",
             n, n, n, status);
    raw_exec(c, sql);
}

static void add_draft(sqlite3 *c, int id)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO drafts (id, number, head_cnic, questionnaire_id,"
             "  questionnaire_version, last_position, created_at, updated_at)"
             "  VALUES (%d, printf('%%07d', %d), '3520212345678', 'nser', '1', 0,"
             "  '2024-03-15T09:00:00Z', '2024-03-15T09:00:00Z');"
             "INSERT INTO draft_members (draft_id, position) VALUES (%d, 0);",
             id, id, id);
    raw_exec(c, sql);
}

static sqlite3 *fresh_store(const char *name, struct db **db)
{
    char path[256];
    path_for(name, path, sizeof path);
    *db = NULL;
    assert_int_equal(db_open(path, db, NULL, 0), DB_OK);
    return db_sqlite(*db);
}

/*
 * A version 1 file with rows in every table that points at registrations
 * comes through the rebuild of step 2 whole: same rows, same links, the
 * foreign keys and the answers' trigger still in force.
 */
static void version_1_file_migrates_with_its_rows(void **state)
{
    (void)state;
    char path[256], text[64];
    path_for("v1.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 1, &db, NULL, 0), DB_OK);
    sqlite3 *c = db_sqlite(db);
    add_registration(c, 1, "pending_sync");
    add_registration(c, 2, "received");
    add_registration(c, 3, "eligible");
    raw_exec(c, "INSERT INTO registrations (id, tracking_id, cnic, kiosk_code, record_uuid,"
                "  record_version, supersedes, head_name, questionnaire_id, questionnaire_version,"
                "  member_count, status, status_at, created_at)"
                "  SELECT 4, '0000000000000004', cnic, kiosk_code, record_uuid, 2, 1, head_name,"
                "  questionnaire_id, questionnaire_version, 2, 'pending_sync', status_at,"
                "  '2024-03-16T09:00:00Z' FROM registrations WHERE id = 1;"
                "INSERT INTO registration_answers VALUES (1, -1, 'district', 'lhr'),"
                "  (1, 0, 'name', 'Ayesha'), (4, 1, 'age', '7');"
                "INSERT INTO scores VALUES (1, 'psc', '1', 12.5, 'x', NULL, NULL, '',"
                "  '2024-03-15T09:00:00Z');"
                "INSERT INTO outbox (registration_id, created_at, exported_at, acked_at) VALUES"
                "  (1, '2024-03-15T09:00:00Z', '2024-03-15T10:00:00Z', '2024-03-15T11:00:00Z'),"
                "  (2, '2024-03-15T09:00:00Z', '2024-03-15T10:00:00Z', NULL),"
                "  (3, '2024-03-15T09:00:00Z', NULL, NULL),"
                "  (4, '2024-03-16T09:00:00Z', NULL, NULL);");
    add_draft(c, 7);
    raw_exec(c, "UPDATE drafts SET previous_registration = 4 WHERE id = 7;"
                "INSERT INTO draft_answers VALUES (7, 0, 'name', 'Ayesha');");
    db_close(db);

    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    assert_int_equal(db_schema_version(db), 4);
    c = db_sqlite(db);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registrations"), 4);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registrations WHERE trimmed_at IS NULL"), 4);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registration_answers"), 3);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM scores"), 1);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM outbox WHERE batch_no IS NULL"), 4);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM outbox WHERE acked_at IS NULL"), 3);
    assert_int_equal(raw_int(c, "SELECT supersedes FROM registrations WHERE id = 4"), 1);
    assert_int_equal(raw_int(c, "SELECT previous_registration FROM drafts WHERE id = 7"), 4);
    assert_int_equal(raw_int(c, "SELECT sum(status_ack) FROM registrations"), 0);
    raw_text(c, "SELECT status FROM registrations WHERE id = 3", text, sizeof text);
    assert_string_equal(text, "eligible");
    raw_text(c, "SELECT created_at FROM registrations WHERE id = 4", text, sizeof text);
    assert_string_equal(text, "2024-03-16T09:00:00Z");
    assert_false(has_table(c, "registrations_v1"));
    assert_true(has_table(c, "registrations_by_cnic"));
    /* Nothing dangles, and the links are still enforced. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA foreign_key_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_not_equal(
        sqlite3_exec(c, "DELETE FROM registrations WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(c,
                                      "INSERT INTO registration_answers VALUES (2, 5, 'age', '1')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    raw_exec(c, "UPDATE registrations SET status = 'duplicate_elsewhere', status_ack = 3"
                "  WHERE id = 2");
    db_close(db);
}

/* The sync tables refuse malformed rows too. */
static void sync_tables_refuse_malformed_rows(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("synccheck.db", &db);
    add_registration(c, 1, "pending_sync");
#define TS "'2024-03-15T09:00:00Z'"
    raw_exec(c, "INSERT INTO sync_batches (batch_no, created_at, record_count, file_name)"
                "  VALUES (1, " TS ", 3, '12345-000001.nserb');"
                "INSERT INTO sync_imports VALUES (1, " TS ", '12345-ack-000001.nsera', 3, 1, 0);"
                "INSERT INTO outbox (registration_id, created_at, exported_at, batch_no)"
                "  VALUES (1, " TS ", " TS ", 1);"
                "INSERT INTO status_snapshot VALUES ('1234524031500027', '3520212345678',"
                "  'eligible', '2024-03-15', 'A**** B***', 'd3lhr', " TS ");");
    static const char *const bad[] = {
        "INSERT INTO sync_batches VALUES (0, " TS ", 3, '12345-000000.nserb', 0)",
        "INSERT INTO sync_batches VALUES (2, " TS ", 0, '12345-000002.nserb', 0)",
        "INSERT INTO sync_batches VALUES (2, " TS ", 1, '12345-000002.nsera', 0)",
        "INSERT INTO sync_batches VALUES (2, '2024-03-15', 1, '12345-000002.nserb', 0)",
        "INSERT INTO sync_batches VALUES (2, " TS ", 1, '12345-000002.nserb', -1)",
        "INSERT INTO sync_imports VALUES (2, " TS ", '12345-000002.nserb', 0, 0, 0)",
        "INSERT INTO sync_imports VALUES (2, " TS ", '12345-ack-000002.nsera', -1, 0, 0)",
        "UPDATE outbox SET batch_no = 9",
        "INSERT INTO status_snapshot VALUES ('123452403150002', '3520212345678',"
        "  'eligible', '2024-03-15', 'A', 'd3lhr', " TS ")",
        "INSERT INTO status_snapshot VALUES ('1234524031500028', '3520212345678',"
        "  'pending_sync', '2024-03-15', 'A', 'd3lhr', " TS ")",
        "INSERT INTO status_snapshot VALUES ('1234524031500028', '3520212345678',"
        "  'eligible', '15-03-2024', 'A', 'd3lhr', " TS ")",
        "INSERT INTO status_snapshot VALUES ('1234524031500028', '3520212345678',"
        "  'eligible', '2024-03-15', '', 'd3lhr', " TS ")",
        "INSERT INTO status_snapshot VALUES ('1234524031500028', '3520212345678',"
        "  'eligible', '2024-03-15', 'A', 'd3' || char(10), " TS ")",
        "UPDATE registrations SET status_ack = -1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sqlite3_exec(c, bad[i], NULL, NULL, NULL) == SQLITE_OK)
            fail_msg("accepted: %s", bad[i]);
    }
#undef TS
    db_close(db);
}

/* A version 2 file keeps its batches and registrations through step 3. */
static void version_2_file_gains_step_3(void **state)
{
    (void)state;
    char path[256];
    path_for("v2.db", path, sizeof path);
    struct db *db = NULL;
    assert_int_equal(db_open_at_version(path, 2, &db, NULL, 0), DB_OK);
    sqlite3 *c = db_sqlite(db);
    assert_false(has_table(c, "users"));
    add_registration(c, 1, "pending_sync");
    raw_exec(c, "INSERT INTO sync_batches VALUES (1, '2024-03-15T09:00:00Z', 1,"
                "  '12345-000001.nserb');");
    db_close(db);

    assert_int_equal(db_open(path, &db, NULL, 0), DB_OK);
    assert_int_equal(db_schema_version(db), 4);
    c = db_sqlite(db);
    assert_int_equal(raw_int(c, "SELECT audit_upto FROM sync_batches WHERE batch_no = 1"), 0);
    assert_int_equal(raw_int(c, "SELECT trimmed_at IS NULL FROM registrations WHERE id = 1"), 1);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM users"), 0);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM audit"), 0);
    db_close(db);
}

#define ARGON "'$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA'"
#define MAC0  "'0000000000000000000000000000000000000000000000000000000000000000'"
#define MAC1  "'00000000000000000000000000000000000000000000000000000000000000a1'"

/* The accounts and audit tables refuse malformed rows. */
static void step_3_tables_refuse_malformed_rows(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("step3.db", &db);
#define TS "'2024-03-15T09:00:00Z'"
    raw_exec(c, "INSERT INTO users (name, role, secret_hash, created_at)"
                "  VALUES ('amina.k', 'supervisor', " ARGON ", " TS ");"
                "INSERT INTO login_attempts VALUES ('ghost', 3, " TS ", " TS ");"
                "INSERT INTO login_attempts VALUES ('amina.k', 1, NULL, " TS ");"
                "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
                "  VALUES (" TS ", 'amina.k', 'login', '', '', " MAC0 ", " MAC1 ");"
                "UPDATE registrations SET trimmed_at = NULL;");
    add_registration(c, 1, "received");
    raw_exec(c, "UPDATE registrations SET trimmed_at = " TS " WHERE id = 1");
    static const char *const bad[] = {
        /* users: name shape, taken, role, hash, flags, times */
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('a', 'clerk', " ARGON ", " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('with space', 'clerk', " ARGON ", " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES (printf('%.33c', 'a'), 'clerk', " ARGON ", " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('amina.k', 'clerk', " ARGON ", " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('bilal', 'admin', " ARGON ", " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('bilal', 'clerk', '123456', " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('bilal', 'clerk', '$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA', " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('bilal', 'clerk', '$argon2id$' || printf('%.250c', 'x'), " TS ")",
        "INSERT INTO users (name, role, secret_hash, created_at)"
        "  VALUES ('bilal', 'clerk', " ARGON ", '2024-03-15')",
        "UPDATE users SET disabled = 2",
        "UPDATE users SET last_login = 'yesterday'",
        /* login attempts */
        "INSERT INTO login_attempts VALUES ('', 1, NULL, " TS ")",
        "INSERT INTO login_attempts VALUES (printf('%.65c', 'a'), 1, NULL, " TS ")",
        "INSERT INTO login_attempts VALUES ('ghost', 1, NULL, " TS ")",
        "INSERT INTO login_attempts VALUES ('x', -1, NULL, " TS ")",
        "INSERT INTO login_attempts VALUES ('x', 1, 'soon', " TS ")",
        "INSERT INTO login_attempts VALUES ('x', 1, NULL, NULL)",
        /* audit */
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES ('2024-03-15', 'a', 'login', '', '', " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", '', 'login', '', '', " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", 'a', 'Login', '', '', " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", 'a', 'login', printf('%.65c', 's'), '', " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", 'a', 'login', '', printf('%.161c', 'd'), " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", 'a', 'login', '', '', 'abc', " MAC1 ")",
        "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (" TS ", 'a', 'login', '', '', " MAC0 ", upper(" MAC1 ") || 'A')",
        /* trimming */
        "UPDATE registrations SET trimmed_at = '2024-03-15' WHERE id = 1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sqlite3_exec(c, bad[i], NULL, NULL, NULL) == SQLITE_OK)
            fail_msg("accepted: %s", bad[i]);
    }
    assert_int_equal(raw_int(c, "SELECT count(*) FROM users"), 1);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM login_attempts"), 2);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM audit"), 1);
    db_close(db);
}

/* The audit trail takes new rows and refuses every UPDATE and DELETE. */
static void audit_is_append_only(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("appendonly.db", &db);
    raw_exec(c, "INSERT INTO audit (at, actor, action, subject, detail, prev_mac, mac)"
                "  VALUES (" TS ", 'amina', 'login', '', '', " MAC0 ", " MAC1 "),"
                "  (" TS ", 'amina', 'logout', '', '', " MAC1 ", " MAC0 ");");
    static const char *const refused[] = {
        "UPDATE audit SET actor = 'bilal' WHERE id = 1",
        "UPDATE audit SET detail = detail",
        "DELETE FROM audit WHERE id = 2",
        "DELETE FROM audit",
        "INSERT OR REPLACE INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (1, " TS ", 'x', 'login', '', '', " MAC0 ", " MAC1 ")",
        "REPLACE INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (2, " TS ", 'x', 'login', '', '', " MAC0 ", " MAC1 ")",
        "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
        "  VALUES (1, " TS ", 'x', 'login', '', '', " MAC0 ", " MAC1 ")"
        "  ON CONFLICT (id) DO UPDATE SET actor = 'y'",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char *err = NULL;
        if (sqlite3_exec(c, refused[i], NULL, NULL, &err) == SQLITE_OK)
            fail_msg("accepted: %s", refused[i]);
        sqlite3_free(err);
    }
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(c, "DELETE FROM audit", NULL, NULL, &err), SQLITE_OK);
    assert_non_null(err);
    assert_non_null(strstr(err, "append-only"));
    sqlite3_free(err);
    /* Rows after the last one are still welcome. */
    raw_exec(c, "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
                "  VALUES (3, " TS ", 'amina', 'login', '', '', " MAC0 ", " MAC1 ")");
    assert_int_equal(raw_int(c, "SELECT count(*) FROM audit"), 3);
    char actor[16];
    raw_text(c, "SELECT actor FROM audit WHERE id = 1", actor, sizeof actor);
    assert_string_equal(actor, "amina");
#undef TS
    db_close(db);
}
#undef ARGON
#undef MAC0
#undef MAC1

/* The CHECK on registrations.status must accept every code the domain has. */
static void every_status_code_fits_the_schema(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("statuses.db", &db);
    for (int s = STATUS_NONE + 1; s < STATUS_COUNT; s++)
        add_registration(c, s, reg_status_code((enum reg_status)s));
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registrations"), STATUS_COUNT - 1);
    assert_int_not_equal(
        sqlite3_exec(c, "UPDATE registrations SET status = 'lost' WHERE id = 1", NULL, NULL, NULL),
        SQLITE_OK);
    db_close(db);
}

/*
 * The schema refuses malformed rows by itself, so a bug above the store
 * cannot write one. Each statement breaks exactly one rule of an otherwise
 * valid row.
 */
static void checks_refuse_malformed_rows(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("checks.db", &db);
    add_registration(c, 1, "pending_sync");
    add_draft(c, 1);

#define REG_COLS                                                                                   \
    "INSERT INTO registrations (tracking_id, cnic, kiosk_code, record_uuid, record_version,"       \
    " supersedes, head_name, questionnaire_id, questionnaire_version, member_count, status,"       \
    " status_at, created_at) VALUES "
#define UUID "'0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d'"
#define TS   "'2024-03-15T09:00:00Z'"
    /* The valid row the others vary. */
    raw_exec(c, REG_COLS "('1234524031500027', '3520212345678', '12345', " UUID
                         ", 1, NULL, 'A', 'q', '1', 1, 'received', " TS ", " TS ")");
    static const char *const bad[] = {
        /* registrations */
        REG_COLS "('123452403150003', '3520212345678', '12345', " UUID
                 ", 2, 1, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('12345240315000a7', '3520212345678', '12345', " UUID
                 ", 2, 1, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '352021234567x', '12345', " UUID
                 ", 2, 1, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '1234', " UUID
                 ", 2, 1, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345',"
                 " '0B6F1C2E-8D4A-4F3B-9C1D-2E3F4A5B6C7D', 2, 1, 'A', 'q', '1', 1, 'received', " TS
                 ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 2, NULL, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 1, 1, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 2, 1, '', 'q', '1', 1, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 2, 1, 'A', 'q', '1', 0, 'received', " TS ", " TS ")",
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 2, 1, 'A', 'q', '1', 1, 'received', '2024-03-15 09:00:00', " TS ")",
        /* the same record and version twice */
        REG_COLS "('1234524031500037', '3520212345678', '12345', " UUID
                 ", 1, NULL, 'A', 'q', '1', 1, 'received', " TS ", " TS ")",
        /* registration answers: bad id, empty value, too long, no such member */
        "INSERT INTO registration_answers VALUES (1, 0, 'Name', 'x')",
        "INSERT INTO registration_answers VALUES (1, 0, 'name', '')",
        "INSERT INTO registration_answers VALUES (1, 0, 'name', printf('%.256c', 'x'))",
        "INSERT INTO registration_answers VALUES (1, -2, 'name', 'x')",
        "INSERT INTO registration_answers VALUES (1, 2, 'name', 'x')",
        "INSERT INTO registration_answers VALUES (99, 0, 'name', 'x')",
        /* scores */
        "INSERT INTO scores VALUES (1, '', '1', 10.5, '', NULL, NULL, '', " TS ")",
        "INSERT INTO scores VALUES (1, 'psc', '1', 10.5, '', 'bisp', NULL, '', " TS ")",
        "INSERT INTO scores VALUES (1, 'psc', '1', 'high', '', NULL, NULL, '', " TS ")",
        /* tracking sequence and outbox */
        "INSERT INTO tracking_sequence VALUES ('12345', '2024-03-15', 10000)",
        "INSERT INTO tracking_sequence VALUES ('12345', '15-03-2024', 1)",
        "INSERT INTO outbox (registration_id, created_at, acked_at) VALUES (1, " TS ", " TS ")",
        "INSERT INTO outbox (registration_id, created_at) VALUES (99, " TS ")",
        /* drafts */
        "INSERT INTO drafts (number, head_cnic, questionnaire_id, questionnaire_version,"
        " last_position, created_at, updated_at) VALUES ('123456', '3520212345678', 'q', '1',"
        " 0, " TS ", " TS ")",
        "INSERT INTO drafts (number, head_cnic, questionnaire_id, questionnaire_version,"
        " last_position, created_at, updated_at) VALUES ('0000001', '3520212345678', 'q', '1',"
        " 0, " TS ", " TS ")", /* number taken by draft 1 */
        "INSERT INTO drafts (number, head_cnic, questionnaire_id, questionnaire_version,"
        " previous_registration, last_position, created_at, updated_at) VALUES ('1234567',"
        " '3520212345678', 'q', '1', 99, 0, " TS ", " TS ")",
        "UPDATE drafts SET resume_at = printf('%.32c', 'r') WHERE id = 1",
        "UPDATE drafts SET resume_at = 'r' || char(10) WHERE id = 1",
        "INSERT INTO draft_members (draft_id, position) VALUES (1, 0)",
        "INSERT INTO draft_members (draft_id, position) VALUES (1, -1)",
        "INSERT INTO draft_answers VALUES (1, 3, 'name', 'x')",
        "INSERT INTO draft_answers VALUES (1, 0, 'name', '')",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sqlite3_exec(c, bad[i], NULL, NULL, NULL) == SQLITE_OK)
            fail_msg("accepted: %s", bad[i]);
    }
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registrations"), 2);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM registration_answers"), 0);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM drafts"), 1);
    /* The valid neighbours of the refused rows are accepted. */
    raw_exec(c, "INSERT INTO registration_answers VALUES (1, -1, 'district', 'lhr'),"
                " (1, 1, 'name', printf('%.255c', 'x'));"
                "INSERT INTO scores VALUES (1, 'psc', '1', 10, '', NULL, NULL, '', " TS ");"
                "INSERT INTO draft_answers VALUES (1, -1, 'district', 'lhr'),"
                " (1, 0, 'name', 'Ayesha');");
    assert_int_equal(raw_int(c, "SELECT typeof(score) = 'real' FROM scores"), 1);
#undef REG_COLS
#undef UUID
#undef TS
    db_close(db);
}

/* Members' answers leave with the member, and everything with the draft. */
static void draft_rows_go_together(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("cascade.db", &db);
    add_draft(c, 1);
    add_draft(c, 2);
    raw_exec(c, "INSERT INTO draft_members (draft_id, position) VALUES (1, 1), (1, 2), (2, 1);"
                "INSERT INTO draft_answers VALUES (1, -1, 'district', 'lhr'),"
                " (1, 0, 'name', 'A'), (1, 1, 'name', 'B'), (1, 1, 'age', '7'),"
                " (1, 2, 'name', 'C'), (2, 1, 'name', 'D');");
    raw_exec(c, "DELETE FROM draft_members WHERE draft_id = 1 AND position = 1");
    assert_int_equal(raw_int(c, "SELECT count(*) FROM draft_answers WHERE draft_id = 1"), 3);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM draft_answers WHERE member = 1"), 1);
    raw_exec(c, "DELETE FROM drafts WHERE id = 1");
    assert_int_equal(raw_int(c, "SELECT count(*) FROM draft_members WHERE draft_id = 1"), 0);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM draft_answers WHERE draft_id = 1"), 0);
    assert_int_equal(raw_int(c, "SELECT count(*) FROM draft_answers"), 1);
    db_close(db);
}

/*
 * The store's frequent questions are answered through an index, without
 * a scan or a sort, so their cost does not grow with the table (the SQL
 * is that of db/registry.c and db/drafts.c).
 */
static void frequent_questions_use_an_index(void **state)
{
    (void)state;
    struct db *db;
    sqlite3 *c = fresh_store("plans.db", &db);
    static const char *const queries[] = {
        "SELECT id, tracking_id, status FROM registrations WHERE cnic = ?1"
        " ORDER BY id DESC LIMIT 1",
        "SELECT id, cnic, status FROM registrations WHERE tracking_id = ?1",
        "SELECT member, question, value FROM registration_answers WHERE registration_id = ?1",
        "SELECT position FROM draft_members WHERE draft_id = ?1 AND position > ?2"
        " ORDER BY position LIMIT ?3",
        "SELECT question, value FROM draft_answers WHERE draft_id = ?1 AND member = ?2",
        "SELECT member, question, value FROM draft_answers WHERE draft_id = ?1 ORDER BY member",
        "SELECT 1 FROM draft_members WHERE draft_id = ?1 AND position = ?2",
        "SELECT id FROM drafts WHERE head_cnic = ?1 ORDER BY updated_at DESC, id DESC LIMIT 1",
        "SELECT id FROM drafts ORDER BY updated_at DESC, id DESC LIMIT ?1",
        "SELECT id FROM drafts WHERE updated_at < ?1",
        "SELECT last_seq FROM tracking_sequence WHERE kiosk_code = ?1 AND day = ?2",
        "SELECT id, registration_id FROM outbox WHERE acked_at IS NULL"
        " ORDER BY batch_no, created_at, id LIMIT ?1",
        "SELECT status, status_date FROM status_snapshot WHERE cnic = ?1"
        " ORDER BY status_date DESC LIMIT 1",
        "SELECT status, status_date FROM status_snapshot WHERE tracking = ?1",
        "DELETE FROM status_snapshot WHERE district = ?1",
        "SELECT id, status, status_ack FROM registrations"
        " WHERE record_uuid = ?1 AND record_version = ?2",
        "SELECT id, role, secret_hash FROM users WHERE name = ?1",
        "SELECT failures, locked_until FROM login_attempts WHERE name = ?1",
        "SELECT id, mac FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[i]);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
        bool searched = false;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(st, 3);
            if (strncmp(detail, "SCAN", 4) == 0 && !strstr(detail, "USING"))
                fail_msg("%s\n  scans: %s", queries[i], detail);
            if (strstr(detail, "TEMP B-TREE"))
                fail_msg("%s\n  sorts: %s", queries[i], detail);
            searched |= strstr(detail, "USING") != NULL;
        }
        sqlite3_finalize(st);
        if (!searched)
            fail_msg("%s\n  uses no index", queries[i]);
    }
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
    return testdir_make(tmpdir);
}

static int remove_tmpdir(void **state)
{
    (void)state;
    return testdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_file_gets_every_table),
        cmocka_unit_test(pragmas_are_in_force),
        cmocka_unit_test(open_at_version_never_goes_back),
        cmocka_unit_test(bad_version_argument_is_refused),
        cmocka_unit_test(newer_file_is_refused_untouched),
        cmocka_unit_test(garbage_file_is_corrupt),
        cmocka_unit_test(damaged_database_fails_quick_check),
        cmocka_unit_test(missing_folder_cannot_open),
        cmocka_unit_test(read_only_file_cannot_open),
        cmocka_unit_test(version_1_file_migrates_with_its_rows),
        cmocka_unit_test(sync_tables_refuse_malformed_rows),
        cmocka_unit_test(version_2_file_gains_step_3),
        cmocka_unit_test(step_3_tables_refuse_malformed_rows),
        cmocka_unit_test(audit_is_append_only),
        cmocka_unit_test(every_status_code_fits_the_schema),
        cmocka_unit_test(checks_refuse_malformed_rows),
        cmocka_unit_test(draft_rows_go_together),
        cmocka_unit_test(frequent_questions_use_an_index),
        cmocka_unit_test(every_result_has_words),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
