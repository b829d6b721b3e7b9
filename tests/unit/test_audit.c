/*
 * test_audit.c - the audit trail on real SQLite files and a real key: a
 * chain of entries verifies; the triggers refuse UPDATE and DELETE; with
 * the triggers dropped through the sqlite3 library, a changed detail, a
 * deleted middle row and an inserted row are each caught with the right
 * row named (and the deleted last row is not: docs/audit.md says why);
 * the keyed CNIC hash is stable and not the CNIC; audit_log_tx inside a
 * rolled-back transaction leaves nothing; the key file is made 0600 and
 * refused when others may read it; entries holding a CNIC are refused;
 * `audit verify` and `audit show` with their exit statuses; a sync batch
 * carries the new rows and the head, and the next one chains on.
 *
 * Each test gets its own folder under a mkdtemp root, removed after.
 */
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
#include <jansson.h>
#include <sqlite3.h>

#include "db/audit_store.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "tests/unit/testdir.h"
#include "kiosk/audit.h"
#include "kiosk/audit_cmd.h"
#include "kiosk/atomic_file.h"
#include "kiosk/config.h"
#include "kiosk/envelope.h"
#include "kiosk/keystore.h"
#include "kiosk/sync.h"

#define T0 ((int64_t)1795000000)

static char rootdir[] = "/tmp/nser-test-audit-XXXXXX";
static int counter;

struct fx {
    char dir[300];
    char keys[320];
    char dbpath[320];
    struct db *db;
    struct audit *a;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "%s/%d", rootdir, ++counter);
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    snprintf(fx->keys, sizeof fx->keys, "%s/keys", fx->dir);
    snprintf(fx->dbpath, sizeof fx->dbpath, "%s/kiosk.db", fx->dir);
    assert_int_equal(db_open(fx->dbpath, &fx->db, NULL, 0), DB_OK);
    char err[256];
    fx->a = audit_open(fx->db, fx->keys, err, sizeof err);
    if (!fx->a)
        fail_msg("audit_open: %s", err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    audit_free(fx->a);
    db_close(fx->db);
    testdir_remove(fx->dir);
    free(fx);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    return testdir_make(rootdir);
}

static int group_teardown(void **state)
{
    (void)state;
    testdir_remove(rootdir);
    return 0;
}

static void exec_ok(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
}

static long long raw_int(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Five entries, ids 1..5. */
static void five(struct fx *fx)
{
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_LOGIN, "", ""), 0);
    assert_int_equal(audit_log(fx->a, T0 + 1, "ali", AUDIT_REGISTRATION, "1234526100100012", ""),
                     0);
    assert_int_equal(audit_log(fx->a, T0 + 2, "ali", AUDIT_REPRINT, "1234526100100012", "copy 2"),
                     0);
    assert_int_equal(audit_log(fx->a, T0 + 3, "applicant", AUDIT_STATUS_CHECK, "cnic:00", ""), 0);
    assert_int_equal(audit_log(fx->a, T0 + 4, "ali", AUDIT_LOGOUT, "", "idle"), 0);
}

static void drop_triggers(struct db *db)
{
    exec_ok(db, "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;");
}

static void expect_broken(struct fx *fx, int64_t bad, const char *why_want)
{
    int64_t checked = -1, bad_id = -1;
    char why[200];
    assert_int_equal(audit_verify(fx->a, &checked, &bad_id, why, sizeof why), 1);
    assert_int_equal(bad_id, bad);
    assert_string_equal(why, why_want);
}

/* ----------------------------------------------------------------- tests */

static void test_chain_verifies(void **state)
{
    struct fx *fx = *state;
    int64_t checked = -1, bad = -1;
    char why[200];
    assert_int_equal(audit_verify(fx->a, &checked, &bad, why, sizeof why), 0);
    assert_int_equal(checked, 0);
    five(fx);
    assert_int_equal(audit_verify(fx->a, &checked, &bad, why, sizeof why), 0);
    assert_int_equal(checked, 5);
    assert_int_equal(bad, 0);
    assert_int_equal(raw_int(fx->db,
                             "SELECT count(*) FROM audit WHERE id = 1 AND prev_mac = "
                             "'0000000000000000000000000000000000000000000000000000000000000000'"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1"
                                     " WHERE b.prev_mac = a.mac"),
                     4);

    /* A second handle on the same key folder reads the same key. */
    char err[200];
    struct audit *again = audit_open(fx->db, fx->keys, err, sizeof err);
    assert_non_null(again);
    assert_int_equal(audit_verify(again, &checked, &bad, why, sizeof why), 0);
    assert_int_equal(audit_log(again, T0 + 5, "system", AUDIT_PRIVACY_PURGE, "", "3 trimmed"), 0);
    audit_free(again);
    assert_int_equal(audit_verify(fx->a, &checked, &bad, why, sizeof why), 0);
    assert_int_equal(checked, 6);
}

static void test_page_newest_first(void **state)
{
    struct fx *fx = *state;
    five(fx);
    struct audit_entry e[8];
    size_t n = 0;
    assert_int_equal(audit_page(fx->a, 0, e, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(e[0].id, 5);
    assert_int_equal(e[0].action, AUDIT_LOGOUT);
    assert_int_equal(e[0].at, T0 + 4);
    assert_string_equal(e[0].detail, "idle");
    assert_int_equal(e[2].id, 3);
    assert_string_equal(e[2].subject, "1234526100100012");
    assert_int_equal(audit_page(fx->a, 3, e, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].id, 2);
    assert_int_equal(e[1].id, 1);
    assert_string_equal(e[1].actor, "ali");
    assert_int_equal(e[1].action, AUDIT_LOGIN);
}

static void test_triggers_refuse(void **state)
{
    struct fx *fx = *state;
    five(fx);
    sqlite3 *s = db_sqlite(fx->db);
    assert_int_not_equal(
        sqlite3_exec(s, "UPDATE audit SET detail = 'x' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "DELETE FROM audit WHERE id = 5", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit"), 5);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit WHERE detail = 'x'"), 0);
    assert_int_equal(audit_verify(fx->a, NULL, NULL, NULL, 0), 0);
}

static void test_changed_detail(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "UPDATE audit SET detail = 'copy 1' WHERE id = 3");
    expect_broken(fx, 3, "row 3: changed");
}

static void test_changed_time(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE id = 4");
    expect_broken(fx, 4, "row 4: changed");
}

static void test_deleted_middle_row(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 3");
    expect_broken(fx, 4, "row 4: row 3 is missing");
}

static void test_deleted_first_row(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 1");
    expect_broken(fx, 2, "row 2: row 1 is missing");
}

/* Renumbering rows 4.. and deleting one to hide the gap: the chain still tells. */
static void test_deleted_and_renumbered(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 3;"
                    "UPDATE audit SET id = 3 WHERE id = 4; UPDATE audit SET id = 4 WHERE id = 5;");
    expect_broken(fx, 3, "row 3: does not follow row 2 (inserted or replaced)");
}

/* A row slipped in between 3 and 4, with the later rows moved up to make room. */
static void test_inserted_row(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "UPDATE audit SET id = 6 WHERE id = 5; UPDATE audit SET id = 5 WHERE id = 4;"
                    "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
                    "  SELECT 4, at, 'ali', 'logout', '', '', mac,"
                    "  '1111111111111111111111111111111111111111111111111111111111111111'"
                    "  FROM audit WHERE id = 3;");
    expect_broken(fx, 4, "row 4: changed");
}

/* A forged row at the end, even with the right prev_mac, has no valid MAC. */
static void test_appended_forgery(void **state)
{
    struct fx *fx = *state;
    five(fx);
    exec_ok(fx->db, "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
                    "  SELECT 6, at, 'ali', 'logout', '', '', mac,"
                    "  'abababababababababababababababababababababababababababababababab'"
                    "  FROM audit WHERE id = 5;");
    expect_broken(fx, 6, "row 6: changed");
    /* And one whose prev_mac is not the last row's. */
    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 6;"
                    "INSERT INTO audit (id, at, actor, action, subject, detail, prev_mac, mac)"
                    "  SELECT 6, at, actor, action, subject, detail, prev_mac, mac"
                    "  FROM audit WHERE id = 5;");
    expect_broken(fx, 6, "row 6: does not follow row 5 (inserted or replaced)");
}

/* What a chain alone cannot see: the last rows gone (the sync head catches it). */
static void test_deleted_last_row_unseen(void **state)
{
    struct fx *fx = *state;
    five(fx);
    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 5");
    int64_t checked = 0;
    assert_int_equal(audit_verify(fx->a, &checked, NULL, NULL, 0), 0);
    assert_int_equal(checked, 4);
    struct audit_head h;
    assert_int_equal(audit_store_head(fx->db, &h), DB_OK);
    assert_int_equal(h.count, 4);
    assert_int_equal(h.last_id, 4);
}

static void test_cnic_subject(void **state)
{
    struct fx *fx = *state;
    char s1[64], s2[64], s3[64];
    audit_subject_cnic(fx->a, "3520212345671", s1, sizeof s1);
    audit_subject_cnic(fx->a, "3520212345671", s2, sizeof s2);
    audit_subject_cnic(fx->a, "3520212345672", s3, sizeof s3);
    assert_string_equal(s1, s2);
    assert_string_not_equal(s1, s3);
    assert_int_equal(strlen(s1), 5 + 16);
    assert_memory_equal(s1, "cnic:", 5);
    assert_int_equal(strspn(s1 + 5, "0123456789abcdef"), 16);
    assert_null(strstr(s1, "3520212345671"));
    assert_null(strstr(s1, "35202"));

    /* Stable across handles on the same key; another kiosk's key differs. */
    char err[200], other_keys[400];
    struct audit *again = audit_open(fx->db, fx->keys, err, sizeof err);
    assert_non_null(again);
    audit_subject_cnic(again, "3520212345671", s2, sizeof s2);
    assert_string_equal(s1, s2);
    audit_free(again);
    snprintf(other_keys, sizeof other_keys, "%s/other", fx->dir);
    struct audit *other = audit_open(fx->db, other_keys, err, sizeof err);
    assert_non_null(other);
    audit_subject_cnic(other, "3520212345671", s2, sizeof s2);
    assert_string_not_equal(s1, s2);
    audit_free(other);

    /* Not a CNIC: nothing. */
    audit_subject_cnic(fx->a, "352021234567", s2, sizeof s2);
    assert_string_equal(s2, "");
    audit_subject_cnic(fx->a, "35202-1234567-1", s2, sizeof s2);
    assert_string_equal(s2, "");
    assert_int_equal(audit_log(fx->a, T0, "applicant", AUDIT_STATUS_CHECK, s1, ""), 0);
}

static void test_refuses_cnic_and_junk(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_STATUS_CHECK, "3520212345671", ""), -1);
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_REPRINT, "", "for 35202-1234567-1"), -1);
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_REPRINT, "", "x3520212345671y"), -1);
    assert_int_equal(audit_log(fx->a, T0, "", AUDIT_LOGIN, "", ""), -1);
    assert_int_equal(audit_log(fx->a, T0, NULL, AUDIT_LOGIN, "", ""), -1);
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_LOGIN, "", "two\nlines"), -1);
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_ACTION_COUNT, "", ""), -1);
    assert_int_equal(
        audit_log(fx->a, T0, "a234567890123456789012345678901234", AUDIT_LOGIN, "", ""), -1);
    char big[AUDIT_DETAIL_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_LOGIN, "", big), -1);
    big[AUDIT_DETAIL_MAX] = '\0';
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_LOGIN, "", big), 0);
    /* A tracking ID (16 digits) is no CNIC. */
    assert_int_equal(audit_log(fx->a, T0, "ali", AUDIT_UPDATE, "1234526100100012", "v2"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit"), 2);
}

static void test_log_tx_rolled_back(void **state)
{
    struct fx *fx = *state;
    five(fx);
    assert_int_equal(db_begin(fx->db), DB_OK);
    assert_int_equal(audit_log_tx(fx->a, T0 + 9, "ali", AUDIT_REGISTRATION, "1234526100100099", ""),
                     0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit"), 6);
    db_rollback(fx->db);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM audit"), 5);
    assert_int_equal(audit_verify(fx->a, NULL, NULL, NULL, 0), 0);

    assert_int_equal(db_begin(fx->db), DB_OK);
    assert_int_equal(audit_log_tx(fx->a, T0 + 9, "ali", AUDIT_REGISTRATION, "1234526100100099", ""),
                     0);
    assert_int_equal(db_commit(fx->db), DB_OK);
    int64_t checked = 0;
    assert_int_equal(audit_verify(fx->a, &checked, NULL, NULL, 0), 0);
    assert_int_equal(checked, 6);
}

static void test_key_file(void **state)
{
    struct fx *fx = *state;
    char path[400], err[300];
    struct stat st;
    snprintf(path, sizeof path, "%s/audit.key", fx->keys);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 32);

    assert_int_equal(chmod(path, 0640), 0);
    struct audit *bad = audit_open(fx->db, fx->keys, err, sizeof err);
    assert_null(bad);
    assert_non_null(strstr(err, "open to others"));

    /* A damaged (short) key is refused, never replaced. */
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(truncate(path, 16), 0);
    bad = audit_open(fx->db, fx->keys, err, sizeof err);
    assert_null(bad);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 16);
}

/* Another key over the same rows: every row is "changed" from the first. */
static void test_wrong_key(void **state)
{
    struct fx *fx = *state;
    five(fx);
    char err[200], other_keys[400];
    snprintf(other_keys, sizeof other_keys, "%s/other", fx->dir);
    struct audit *other = audit_open(fx->db, other_keys, err, sizeof err);
    assert_non_null(other);
    int64_t bad = 0;
    char why[200];
    assert_int_equal(audit_verify(other, NULL, &bad, why, sizeof why), 1);
    assert_int_equal(bad, 1);
    assert_string_equal(why, "row 1: changed");
    audit_free(other);
}

static void test_action_codes(void **state)
{
    (void)state;
    for (int i = 0; i < AUDIT_ACTION_COUNT; i++) {
        const char *c = audit_action_code((enum audit_action)i);
        assert_true(strlen(c) >= 1 && strlen(c) <= 31);
        assert_int_equal(strspn(c, "abcdefghijklmnopqrstuvwxyz_"), strlen(c));
        assert_int_equal(audit_action_from_code(c), i);
    }
    assert_int_equal(audit_action_from_code("nope"), -1);
    assert_int_equal(audit_action_from_code(NULL), -1);
}

/* Runs `audit ARGS...` on FX, the two streams into OUT and ERR (caller frees). */
static int run_cmd(struct fx *fx, char **out, char **err, int argc, char **argv)
{
    struct config cfg;
    config_defaults(&cfg);
    snprintf(cfg.key_dir, sizeof cfg.key_dir, "%s", fx->keys);
    size_t on = 0, en = 0;
    FILE *o = open_memstream(out, &on), *e = open_memstream(err, &en);
    assert_non_null(o);
    assert_non_null(e);
    int rc = audit_command(argc, argv, fx->db, &cfg, o, e);
    fclose(o);
    fclose(e);
    return rc;
}

static void test_cmd_verify(void **state)
{
    struct fx *fx = *state;
    char *out, *err;
    char *verify[] = {"audit", "verify"};
    five(fx);
    assert_int_equal(run_cmd(fx, &out, &err, 2, verify), 0);
    assert_string_equal(out, "audit trail intact: 5 entries\n");
    assert_string_equal(err, "");
    free(out);
    free(err);

    drop_triggers(fx->db);
    exec_ok(fx->db, "DELETE FROM audit WHERE id = 2");
    assert_int_equal(run_cmd(fx, &out, &err, 2, verify), 1);
    assert_string_equal(out, "audit trail BROKEN: row 3: row 2 is missing (1 entries before it "
                             "intact)\n");
    free(out);
    free(err);

    /* No key file: the rows cannot be checked, and no new key is made. */
    char path[400];
    snprintf(path, sizeof path, "%s/audit.key", fx->keys);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(run_cmd(fx, &out, &err, 2, verify), 1);
    assert_non_null(strstr(err, "is missing"));
    assert_int_equal(access(path, F_OK), -1);
    free(out);
    free(err);
}

static void test_cmd_show(void **state)
{
    struct fx *fx = *state;
    char *out, *err;
    char *empty[] = {"audit", "show"};
    assert_int_equal(run_cmd(fx, &out, &err, 2, empty), 0);
    assert_string_equal(out, "no audit entries\n");
    free(out);
    free(err);

    five(fx);
    char *show[] = {"audit", "show", "--limit", "2"};
    assert_int_equal(run_cmd(fx, &out, &err, 4, show), 0);
    char *second = strchr(out, '\n');
    assert_non_null(second);
    assert_int_equal(strncmp(out, "5\t", 2), 0);
    assert_int_equal(strncmp(second + 1, "4\t", 2), 0);
    assert_non_null(strstr(out, "\tali\tlogout\t-\tidle\n"));
    assert_null(strstr(out, "\n3\t"));
    free(out);
    free(err);

    char *before[] = {"audit", "show", "--before", "3", "--limit", "1000"};
    assert_int_equal(run_cmd(fx, &out, &err, 6, before), 0);
    assert_int_equal(strncmp(out, "2\t", 2), 0);
    assert_non_null(strstr(out, "\tali\tregistration\t1234526100100012\t-\n1\t"));
    free(out);
    free(err);
}

static void test_cmd_usage(void **state)
{
    struct fx *fx = *state;
    char *out, *err;
    char *bad[][4] = {
        {"audit", NULL, NULL, NULL},         {"audit", "erase", NULL, NULL},
        {"audit", "show", "--limit", "0"},   {"audit", "show", "--limit", "1001"},
        {"audit", "show", "--limit", "-3"},  {"audit", "show", "--before", "x"},
        {"audit", "verify", "--limit", "3"}, {"audit", "show", "--limit", NULL},
    };
    int argcs[] = {1, 2, 4, 4, 4, 4, 4, 3};
    for (size_t i = 0; i < sizeof argcs / sizeof argcs[0]; i++) {
        assert_int_equal(run_cmd(fx, &out, &err, argcs[i], bad[i]), 2);
        assert_string_not_equal(err, "");
        free(out);
        free(err);
    }
}

/* --------------------------------------------------------- audit in sync */

struct sync_fx {
    struct config cfg;
    struct keystore *central;
    struct public_key kiosk_pub;
    char out[400];
};

static void sync_setup(struct fx *fx, struct sync_fx *s)
{
    char err[256], path[700], cdir[400];
    config_defaults(&s->cfg);
    snprintf(s->cfg.kiosk_code, sizeof s->cfg.kiosk_code, "12345");
    snprintf(s->cfg.key_dir, sizeof s->cfg.key_dir, "%s", fx->keys);
    s->cfg.sync_batch_max = 5000;
    snprintf(s->out, sizeof s->out, "%s/out", fx->dir);
    assert_int_equal(keys_crypto_init(), 0);
    if (keystore_create(fx->keys, "kiosk", "12345", err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(cdir, sizeof cdir, "%s/central", fx->dir);
    if (keystore_create(cdir, "central", "central", err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s/central.pub", cdir);
    if (keystore_install_central(fx->keys, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    s->central = keystore_load(cdir, "central", err, sizeof err);
    assert_non_null(s->central);
    struct keystore *k = keystore_load(fx->keys, "kiosk", err, sizeof err);
    assert_non_null(k);
    s->kiosk_pub = *keystore_public(k);
    keystore_free(k);
}

static json_t *open_batch(struct sync_fx *s, const char *path)
{
    uint8_t *buf, *payload;
    size_t len, plen;
    char err[256];
    if (read_whole_file(path, 64u << 20, &buf, &len, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct envelope_header h;
    assert_int_equal(envelope_open(buf, len, &s->kiosk_pub, s->central, &h, &payload, &plen),
                     ENVELOPE_OK);
    json_error_t je;
    json_t *root = json_loadb((const char *)payload, plen, 0, &je);
    assert_non_null(root);
    free(buf);
    free(payload);
    return root;
}

static const char *row_str(json_t *root, size_t i, const char *key)
{
    json_t *r = json_array_get(json_object_get(root, "audit"), i);
    return json_string_value(json_object_get(r, key));
}

static void test_audit_in_batches(void **state)
{
    struct fx *fx = *state;
    struct sync_fx s;
    sync_setup(fx, &s);
    struct sync_export_result res;
    char err[300];

    /* Nothing at all: no batch. */
    assert_int_equal(sync_export(fx->db, &s.cfg, s.out, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(res.batch, 0);

    /* Audit rows alone make a batch, with the head. */
    five(fx);
    assert_int_equal(sync_export(fx->db, &s.cfg, s.out, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(res.batch, 1);
    assert_int_equal(res.records, 0);
    assert_int_equal(res.audit_rows, 5);
    json_t *b = open_batch(&s, res.file);
    assert_int_equal(json_array_size(json_object_get(b, "records")), 0);
    json_t *audit = json_object_get(b, "audit");
    assert_int_equal(json_array_size(audit), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(audit, 0), "id")), 1);
    assert_string_equal(row_str(b, 0, "action"), "login");
    assert_string_equal(row_str(b, 0, "at"), "2026-11-18T11:06:40Z");
    assert_string_equal(row_str(b, 2, "detail"), "copy 2");
    assert_string_equal(row_str(b, 1, "mac"), row_str(b, 2, "prev_mac"));
    char mac5[65];
    snprintf(mac5, sizeof mac5, "%s", row_str(b, 4, "mac"));
    json_t *head = json_object_get(b, "audit_head");
    assert_int_equal(json_integer_value(json_object_get(head, "count")), 5);
    assert_int_equal(json_integer_value(json_object_get(head, "last_id")), 5);
    assert_string_equal(json_string_value(json_object_get(head, "last_mac")), mac5);
    json_decref(b);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM sync_batches WHERE batch_no = 1 AND"
                                     " record_count = 0 AND audit_upto = 5"),
                     1);

    /* Nothing new: no batch; a sync_export entry alone makes none either. */
    assert_int_equal(sync_export(fx->db, &s.cfg, s.out, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(res.batch, 0);
    assert_int_equal(audit_log(fx->a, T0 + 10, "system", AUDIT_SYNC_EXPORT, "1", ""), 0);
    assert_int_equal(sync_export(fx->db, &s.cfg, s.out, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(res.batch, 0);

    /* The next batch carries the rows after 5, chained onto row 5. */
    assert_int_equal(audit_log(fx->a, T0 + 11, "sara", AUDIT_LOGIN, "", ""), 0);
    assert_int_equal(sync_export(fx->db, &s.cfg, s.out, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(res.batch, 2);
    assert_int_equal(res.audit_rows, 2);
    b = open_batch(&s, res.file);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(b, "audit"), 0), "id")),
        6);
    assert_string_equal(row_str(b, 0, "prev_mac"), mac5);
    assert_string_equal(row_str(b, 0, "action"), "sync_export");
    assert_string_equal(row_str(b, 1, "actor"), "sara");
    head = json_object_get(b, "audit_head");
    assert_int_equal(json_integer_value(json_object_get(head, "count")), 7);
    json_decref(b);
    assert_int_equal(raw_int(fx->db, "SELECT audit_upto FROM sync_batches WHERE batch_no = 2"), 7);
    keystore_free(s.central);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_newest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers_refuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_middle_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_first_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_and_renumbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inserted_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appended_forgery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_last_row_unseen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cnic_subject, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_cnic_and_junk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_tx_rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmd_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmd_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmd_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_in_batches, setup, teardown),
        cmocka_unit_test(test_action_codes),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
