/*
 * test_biometrics.c - unit tests for db/biometrics.c and the fingerprint
 * parts of db/sync_store.c and schema step 4: a draft's print stored, read,
 * replaced by an exception and back; moved to its registration inside the
 * confirmation; copied to an update's draft; gone with a wiped draft; staff
 * prints stored, approved, replaced (approval cleared) and deleted; the
 * print marked sent with its batch and wiped when the acknowledgement
 * names it, after which neither the database file nor its log holds the
 * sealed bytes; trimmed households lose their rows; a version 3 file
 * migrates to 4 with its data.
 *
 * Real database files in a scratch folder; never outside /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/testdir.h"
#include <sqlite3.h>

#include "db/biometrics.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "db/sync_store.h"
#include "db/users.h"
#include "kiosk/answers.h"
#include "kiosk/atomic_file.h"

static char tmpdir[] = "/tmp/nser-test-biometrics-XXXXXX";

#define KIOSK    "12345"
#define QID      "nser_household"
#define QVERSION "2024.1"
#define NOW      ((time_t)1790000000)
#define SEALED_N 3000 /* more than a page: overflow pages must be wiped too */

struct fixture {
    char path[256];
    struct db *db;
    struct answers *a;
};

static void ok(struct db *db, enum db_result r)
{
    if (r != DB_OK)
        fail_msg("db result %d: %s", r, db_last_error(db));
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

/* Bytes no other part of the file could hold by chance. */
static void pattern(uint8_t *b, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)x;
    }
}

static struct bio_info print_info(const char *finger)
{
    struct bio_info in;
    memset(&in, 0, sizeof in);
    snprintf(in.finger, sizeof in.finger, "%s", finger);
    snprintf(in.driver, sizeof in.driver, "%s", "virtual_image");
    in.captured_at = NOW;
    in.retries = 2;
    in.has_image = true;
    return in;
}

static int64_t new_draft(struct fixture *fx, const char *cnic)
{
    struct draft_info d;
    ok(fx->db, drafts_create(fx->db, cnic, QID, QVERSION, NOW, &d));
    ok(fx->db, drafts_set_answer(fx->db, d.id, 0, "name", "Ayesha Bibi", NOW));
    return d.id;
}

struct attach_ctx {
    int64_t draft;
    int64_t registration;
};

/* What the flow does in registry_confirm's transaction. */
static int attach_in_tx(void *ud, struct db *db, const struct tracking_id *t, int version,
                        int64_t registration_id)
{
    (void)t;
    (void)version;
    struct attach_ctx *cx = ud;
    cx->registration = registration_id;
    return biometrics_attach(db, cx->draft, registration_id) == DB_OK ? 0 : -1;
}

static int64_t confirm(struct fixture *fx, int64_t draft, unsigned n)
{
    ok(fx->db, drafts_load_all(fx->db, draft, fx->a, NULL, 0));
    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    snprintf(meta.kiosk_code, sizeof meta.kiosk_code, "%s", KIOSK);
    snprintf(meta.record_uuid, sizeof meta.record_uuid, "00000000-0000-4000-8000-%012u", n);
    snprintf(meta.head_name, sizeof meta.head_name, "%s", "Ayesha Bibi");
    snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "%s", QID);
    snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "%s", QVERSION);
    meta.now = NOW;
    struct attach_ctx cx = {.draft = draft};
    meta.in_tx = attach_in_tx;
    meta.in_tx_ud = &cx;
    struct tracking_id t;
    ok(fx->db, registry_confirm(fx->db, draft, fx->a, NULL, &meta, &t));
    return cx.registration;
}

static int setup(void **state)
{
    static int counter;
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->path, sizeof fx->path, "%s/bio-%d.db", tmpdir, ++counter);
    if (db_open(fx->path, &fx->db, NULL, 0) != DB_OK)
        return -1;
    fx->a = answers_new();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    answers_free(fx->a);
    free(fx);
    return 0;
}

static void test_draft_put_get_replace(void **state)
{
    struct fixture *fx = *state;
    int64_t d = new_draft(fx, "3520211111111");
    struct bio_info info;
    uint8_t *sealed = NULL;
    size_t len = 0;
    assert_int_equal(biometrics_get_draft(fx->db, d, &info, &sealed, &len), DB_NOT_FOUND);
    uint8_t blob[SEALED_N];
    pattern(blob, sizeof blob, 1);
    struct bio_info in = print_info("right_thumb");
    ok(fx->db, biometrics_put_draft(fx->db, d, &in, blob, sizeof blob));
    ok(fx->db, biometrics_get_draft(fx->db, d, &info, &sealed, &len));
    assert_string_equal(info.finger, "right_thumb");
    assert_string_equal(info.driver, "virtual_image");
    assert_int_equal(info.captured_at, NOW);
    assert_int_equal(info.retries, 2);
    assert_true(info.has_image);
    assert_string_equal(info.exception, "");
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(sealed, blob, len);
    free(sealed);
    /* Info only. */
    ok(fx->db, biometrics_get_draft(fx->db, d, &info, NULL, NULL));
    /* An exception replaces the print... */
    ok(fx->db, biometrics_put_draft_exception(fx->db, d, "worn", "clerk1", NOW + 5));
    ok(fx->db, biometrics_get_draft(fx->db, d, &info, &sealed, &len));
    assert_null(sealed);
    assert_string_equal(info.exception, "worn");
    assert_string_equal(info.signed_off_by, "clerk1");
    assert_string_equal(info.finger, "");
    assert_false(info.has_image);
    /* ...and a print the exception. */
    in = print_info("left_index");
    ok(fx->db, biometrics_put_draft(fx->db, d, &in, blob, 10));
    ok(fx->db, biometrics_get_draft(fx->db, d, &info, &sealed, &len));
    assert_string_equal(info.finger, "left_index");
    assert_string_equal(info.exception, "");
    assert_int_equal(len, 10);
    free(sealed);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics"), 1);
    /* Refused: a finger that is none, no bytes, no reason. */
    in = print_info("thumb");
    assert_int_equal(biometrics_put_draft(fx->db, d, &in, blob, 10), DB_ERROR);
    in = print_info("right_thumb");
    assert_int_equal(biometrics_put_draft(fx->db, d, &in, NULL, 0), DB_ERROR);
    assert_int_equal(biometrics_put_draft_exception(fx->db, d, "", "clerk1", NOW), DB_ERROR);
    assert_int_equal(biometrics_put_draft_exception(fx->db, d, "tired", "clerk1", NOW), DB_ERROR);
    /* The draft wiped: its row goes with it. */
    ok(fx->db, drafts_delete(fx->db, d));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics"), 0);
}

static void test_attach_and_copy(void **state)
{
    struct fixture *fx = *state;
    int64_t d = new_draft(fx, "3520222222222");
    uint8_t blob[64];
    pattern(blob, sizeof blob, 2);
    struct bio_info in = print_info("right_thumb");
    ok(fx->db, biometrics_put_draft(fx->db, d, &in, blob, sizeof blob));
    int64_t reg = confirm(fx, d, 1);
    assert_true(reg > 0);
    struct bio_info info;
    uint8_t *sealed = NULL;
    size_t len = 0;
    assert_int_equal(biometrics_get_draft(fx->db, d, &info, NULL, NULL), DB_NOT_FOUND);
    ok(fx->db, biometrics_get_registration(fx->db, reg, &info, &sealed, &len));
    assert_memory_equal(sealed, blob, sizeof blob);
    free(sealed);
    /* A confirmation without a print leaves nothing behind. */
    int64_t d2 = new_draft(fx, "3520233333333");
    int64_t reg2 = confirm(fx, d2, 2);
    assert_int_equal(biometrics_get_registration(fx->db, reg2, &info, NULL, NULL), DB_NOT_FOUND);
    /* An update's draft starts from the household's print. */
    struct draft_info up;
    ok(fx->db, drafts_create_update(fx->db, reg, QID, QVERSION, NOW + 60, &up));
    ok(fx->db, biometrics_copy_to_draft(fx->db, reg, up.id));
    ok(fx->db, biometrics_get_draft(fx->db, up.id, &info, &sealed, &len));
    assert_memory_equal(sealed, blob, sizeof blob);
    free(sealed);
    assert_int_equal(biometrics_copy_to_draft(fx->db, reg2, up.id), DB_NOT_FOUND);
    assert_int_equal(biometrics_get_draft(fx->db, up.id, &info, NULL, NULL), DB_NOT_FOUND);
    /* Version 2 gets its own row; the household's latest is version 2's. */
    in = print_info("right_index");
    ok(fx->db, biometrics_put_draft(fx->db, up.id, &in, blob, 20));
    int64_t reg_v2 = confirm(fx, up.id, 1);
    ok(fx->db, biometrics_get_registration(fx->db, reg, &info, &sealed, &len));
    assert_string_equal(info.finger, "right_index");
    assert_int_equal(len, 20);
    free(sealed);
    ok(fx->db, biometrics_get_registration(fx->db, reg_v2, &info, NULL, NULL));
    assert_string_equal(info.finger, "right_index");
}

static void test_accounts(void **state)
{
    struct fixture *fx = *state;
    ok(fx->db, users_insert(fx->db, "clerk1", ROLE_CLERK,
                            "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", NOW));
    uint8_t blob[40];
    pattern(blob, sizeof blob, 3);
    struct bio_info in = print_info("left_thumb"), info;
    in.has_image = false;
    assert_int_equal(biometrics_get_account(fx->db, "clerk1", &info, NULL, NULL), DB_NOT_FOUND);
    assert_int_equal(biometrics_approve_account(fx->db, "clerk1", "super", NOW), DB_NOT_FOUND);
    ok(fx->db, biometrics_put_account(fx->db, "clerk1", &in, blob, sizeof blob));
    /* No such account: refused by the schema. */
    assert_int_not_equal(biometrics_put_account(fx->db, "nobody", &in, blob, sizeof blob), DB_OK);
    uint8_t *sealed = NULL;
    size_t len = 0;
    ok(fx->db, biometrics_get_account(fx->db, "clerk1", &info, &sealed, &len));
    assert_string_equal(info.approved_by, "");
    assert_memory_equal(sealed, blob, sizeof blob);
    free(sealed);
    ok(fx->db, biometrics_approve_account(fx->db, "clerk1", "super", NOW + 1));
    ok(fx->db, biometrics_get_account(fx->db, "clerk1", &info, NULL, NULL));
    assert_string_equal(info.approved_by, "super");
    /* A new print needs a new approval. */
    ok(fx->db, biometrics_put_account(fx->db, "clerk1", &in, blob, 8));
    ok(fx->db, biometrics_get_account(fx->db, "clerk1", &info, NULL, NULL));
    assert_string_equal(info.approved_by, "");
    /* Staff prints never go in a batch. */
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics WHERE registration_id"
                                     " IS NOT NULL"),
                     0);
    ok(fx->db, biometrics_delete_account(fx->db, "clerk1"));
    assert_int_equal(biometrics_get_account(fx->db, "clerk1", &info, NULL, NULL), DB_NOT_FOUND);
}

static bool file_holds(const char *path, const uint8_t *needle, size_t n)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[128];
    if (read_whole_file(path, 64u << 20, &buf, &len, err, sizeof err) != 0)
        return false; /* no such file (the log may be gone) */
    bool found = memmem(buf, len, needle, n) != NULL;
    free(buf);
    return found;
}

static bool store_holds(struct fixture *fx, const uint8_t *needle, size_t n)
{
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", fx->path);
    return file_holds(fx->path, needle, n) || file_holds(wal, needle, n);
}

static void test_sync_sent_acked_wiped(void **state)
{
    struct fixture *fx = *state;
    static uint8_t blob[SEALED_N];
    pattern(blob, sizeof blob, 4);
    int64_t d = new_draft(fx, "3520244444444");
    struct bio_info in = print_info("right_thumb");
    ok(fx->db, biometrics_put_draft(fx->db, d, &in, blob, sizeof blob));
    int64_t reg = confirm(fx, d, 7);
    int64_t exc_draft = new_draft(fx, "3520255555555");
    ok(fx->db, biometrics_put_draft_exception(fx->db, exc_draft, "injured", "clerk1", NOW));
    int64_t reg_exc = confirm(fx, exc_draft, 8);

    struct sync_pending *p = NULL;
    size_t n = 0;
    ok(fx->db, sync_store_pending(fx->db, 10, &p, &n));
    assert_int_equal(n, 2);
    struct bio_info info;
    uint8_t *sealed = NULL;
    size_t len = 0;
    ok(fx->db, sync_store_print(fx->db, reg, &info, &sealed, &len));
    assert_memory_equal(sealed, blob, sizeof blob);
    free(sealed);
    ok(fx->db, sync_store_print(fx->db, reg_exc, &info, &sealed, &len));
    assert_null(sealed);
    assert_string_equal(info.exception, "injured");
    int64_t ids[2] = {p[0].outbox_id, p[1].outbox_id};
    sync_pending_free(p, n);
    ok(fx->db, sync_store_record_batch(fx->db, 1, NOW + 10, "12345-000001.nserb", ids, 2, 0));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics WHERE sent_at IS NOT NULL"),
                     2);
    assert_true(store_holds(fx, blob, 64));

    struct sync_ack_entry e[2];
    memset(e, 0, sizeof e);
    for (int i = 0; i < 2; i++) {
        snprintf(e[i].uuid, sizeof e[i].uuid, "00000000-0000-4000-8000-%012u", 7u + (unsigned)i);
        e[i].version = 1;
        e[i].status = STATUS_RECEIVED;
        snprintf(e[i].status_date, sizeof e[i].status_date, "%s", "2026-09-21");
    }
    struct sync_ack a;
    memset(&a, 0, sizeof a);
    snprintf(a.kiosk, sizeof a.kiosk, "%s", KIOSK);
    a.ack_no = 1;
    a.acks = e;
    a.n_acks = 2;
    struct sync_apply_counts c;
    ok(fx->db, sync_store_apply_ack(fx->db, &a, "12345-ack-000001.nsera", NOW + 20, &c));
    assert_int_equal(c.acked, 2);
    assert_int_equal(c.prints_wiped, 2);
    /* Gone from the store, the file and its log; finger, time and "sent" stay. */
    assert_int_equal(sync_store_print(fx->db, reg, &info, NULL, NULL), DB_NOT_FOUND);
    assert_int_equal(biometrics_get_registration(fx->db, reg, &info, NULL, NULL), DB_NOT_FOUND);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics WHERE sealed IS NULL AND"
                                     " finger = 'right_thumb' AND sent_at IS NOT NULL AND"
                                     " wiped_at IS NOT NULL AND acked_at IS NOT NULL"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics WHERE exception ="
                                     " 'injured' AND acked_at IS NOT NULL AND wiped_at IS NULL"),
                     1);
    for (size_t off = 0; off + 32 <= sizeof blob; off += 256)
        assert_false(store_holds(fx, blob + off, 32));
    /* The same acknowledgement again changes nothing. */
    ok(fx->db, sync_store_apply_ack(fx->db, &a, "12345-ack-000001.nsera", NOW + 30, &c));
    assert_true(c.already);
}

static void test_trimmed_forgotten(void **state)
{
    struct fixture *fx = *state;
    uint8_t blob[16];
    pattern(blob, sizeof blob, 5);
    int64_t d = new_draft(fx, "3520266666666");
    struct bio_info in = print_info("right_thumb");
    ok(fx->db, biometrics_put_draft(fx->db, d, &in, blob, sizeof blob));
    confirm(fx, d, 9);
    size_t gone = 9;
    ok(fx->db, biometrics_forget_trimmed(fx->db, &gone));
    assert_int_equal(gone, 0);
    char *err = NULL;
    assert_int_equal(sqlite3_exec(db_sqlite(fx->db),
                                  "UPDATE registrations SET trimmed_at = '2026-10-01T00:00:00Z'",
                                  NULL, NULL, &err),
                     SQLITE_OK);
    ok(fx->db, biometrics_forget_trimmed(fx->db, &gone));
    assert_int_equal(gone, 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM biometrics"), 0);
}

static void test_migration_from_v3(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/v3.db", tmpdir);
    struct db *db = NULL;
    ok(db, db_open_at_version(path, 3, &db, NULL, 0));
    assert_int_equal(db_schema_version(db), 3);
    struct draft_info d;
    ok(db, drafts_create(db, "3520277777777", QID, QVERSION, NOW, &d));
    assert_int_equal(sqlite3_exec(db_sqlite(db), "SELECT 1 FROM biometrics", NULL, NULL, NULL),
                     SQLITE_ERROR);
    db_close(db);
    ok(NULL, db_open(path, &db, NULL, 0));
    assert_int_equal(db_schema_version(db), 4);
    struct draft_info again;
    ok(db, drafts_get(db, d.id, &again));
    uint8_t blob[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct bio_info in = print_info("left_ring");
    ok(db, biometrics_put_draft(db, d.id, &in, blob, sizeof blob));
    db_close(db);
}

int main(void)
{
    if (testdir_make(tmpdir) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_draft_put_get_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_and_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_sent_acked_wiped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trimmed_forgotten, setup, teardown),
        cmocka_unit_test(test_migration_from_v3),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    testdir_remove_tree(tmpdir);
    return failed;
}
