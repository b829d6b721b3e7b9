/*
 * test_privacy.c - privacy trimming (kiosk/privacy.c, db/privacy_store.c):
 * only households the registry acknowledged longer ago than the retention
 * lose their answers and score; they keep what a status check needs, and
 * status checks still answer for them; a second run trims nothing more;
 * a failure half-way changes nothing; a retention the config could not
 * hold is refused.
 *
 * Works on real database files in a scratch folder; never outside /tmp.
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

#include "db/db.h"
#include "db/db_internal.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/config.h"
#include "kiosk/privacy.h"
#include "kiosk/status_query.h"

static char tmpdir[] = "/tmp/nser-test-privacy-XXXXXX";

#define KIOSK    "12345"
#define QID      "nser_household"
#define QVERSION "2024.1"
#define DAY      ((time_t)24 * 60 * 60)

/* The four households: acknowledged long ago, acknowledged lately,
 * sent but never acknowledged, never sent. */
#define CNIC_OLD     "3520211111111"
#define CNIC_RECENT  "3520222222222"
#define CNIC_SENT    "3520233333333"
#define CNIC_PENDING "3520244444444"

/* 2024-03-15 10:20:30 UTC */
static time_t day1(void)
{
    struct tm tm = {
        .tm_year = 124, .tm_mon = 2, .tm_mday = 15, .tm_hour = 10, .tm_min = 20, .tm_sec = 30};
    return timegm(&tm);
}

struct fixture {
    char path[256];
    struct db *db;
    struct answers *a;
    struct config cfg;
    int64_t id[4]; /* OLD, RECENT, SENT, PENDING */
};

static long long raw_int(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long count_for(struct db *db, const char *sql_with_id, int64_t id)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql_with_id, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long answers_of(struct fixture *fx, int i)
{
    return count_for(fx->db, "SELECT count(*) FROM registration_answers WHERE registration_id = ?1",
                     fx->id[i]);
}

static long long scores_of(struct fixture *fx, int i)
{
    return count_for(fx->db, "SELECT count(*) FROM scores WHERE registration_id = ?1", fx->id[i]);
}

static long long trimmed(struct fixture *fx, int i)
{
    return count_for(fx->db,
                     "SELECT count(*) FROM registrations WHERE id = ?1 AND trimmed_at IS NOT NULL",
                     fx->id[i]);
}

static void raw_exec(struct db *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_free(err);
}

static void ok(struct db *db, enum db_result r)
{
    if (r != DB_OK)
        fail_msg("db result %d: %s", r, db_last_error(db));
}

static void set(struct fixture *fx, int64_t draft, int member, const char *qid, const char *value)
{
    ok(fx->db, drafts_set_answer(fx->db, draft, member, qid, value, day1()));
}

/* A household of two for CNIC, confirmed with a score; its row id. */
static int64_t register_household(struct fixture *fx, const char *cnic, unsigned n)
{
    struct draft_info d;
    ok(fx->db, drafts_create(fx->db, cnic, QID, QVERSION, day1(), &d));
    set(fx, d.id, ANSWERS_HOUSEHOLD, "district", "lahore");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "rooms", "3");
    set(fx, d.id, 0, "name", "Ayesha Bibi");
    set(fx, d.id, 0, "relation", "head");
    set(fx, d.id, 0, "cnic", cnic);
    int p = -1;
    ok(fx->db, drafts_add_member(fx->db, d.id, day1(), &p));
    set(fx, d.id, p, "name", "Muhammad Aslam");
    set(fx, d.id, p, "relation", "spouse");
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));

    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    snprintf(meta.kiosk_code, sizeof meta.kiosk_code, "%s", KIOSK);
    snprintf(meta.record_uuid, sizeof meta.record_uuid, "00000000-0000-4000-8000-%012u", n);
    snprintf(meta.head_name, sizeof meta.head_name, "%s", "Ayesha Bibi");
    snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "%s", QID);
    snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "%s", QVERSION);
    meta.now = day1();
    struct registration_score s;
    memset(&s, 0, sizeof s);
    snprintf(s.table_id, sizeof s.table_id, "%s", "schreiner_pk_2009");
    snprintf(s.table_version, sizeof s.table_version, "%s", "1");
    s.score = 14.25;
    snprintf(s.breakdown, sizeof s.breakdown, "%s", "rooms\t3\t5\n");
    snprintf(s.decisions, sizeof s.decisions, "%s", "");
    struct tracking_id t;
    ok(fx->db, registry_confirm(fx->db, d.id, fx->a, &s, &meta, &t));
    return raw_int(fx->db, "SELECT max(id) FROM registrations");
}

/* The outbox row of registration ID exported (and acknowledged) at these
 * times; 0 leaves a column NULL. */
static void mark(struct fixture *fx, int64_t id, time_t exported, time_t acked)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(fx->db),
                                        "UPDATE outbox SET"
                                        "  exported_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?2, "
                                        "'unixepoch'),"
                                        "  acked_at = CASE WHEN ?3 = 0 THEN NULL ELSE"
                                        "    strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch') END"
                                        "  WHERE registration_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)exported);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)acked);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Now: 60 days after the registrations; retention 30 days. */
static int64_t now(void)
{
    return (int64_t)(day1() + 60 * DAY);
}

static int open_fresh(void **state)
{
    static int counter;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/privacy-%d.db", tmpdir, ++counter);
    if (db_open(fx->path, &fx->db, NULL, 0) != DB_OK) {
        free(fx);
        return -1;
    }
    fx->a = answers_new();
    if (!fx->a)
        return -1;
    config_defaults(&fx->cfg);
    fx->cfg.acknowledged_retention_days = 30;
    fx->id[0] = register_household(fx, CNIC_OLD, 1);
    fx->id[1] = register_household(fx, CNIC_RECENT, 2);
    fx->id[2] = register_household(fx, CNIC_SENT, 3);
    fx->id[3] = register_household(fx, CNIC_PENDING, 4);
    mark(fx, fx->id[0], day1() + DAY, day1() + 20 * DAY);      /* acked 40 days ago */
    mark(fx, fx->id[1], day1() + 45 * DAY, day1() + 50 * DAY); /* acked 10 days ago */
    mark(fx, fx->id[2], day1() + DAY, 0);                      /* sent long ago, no ack */
    *state = fx;
    return 0;
}

static int close_fixture(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    answers_free(fx->a);
    free(fx);
    return 0;
}

static void assert_untouched(struct fixture *fx, int i)
{
    assert_int_equal(answers_of(fx, i), 7); /* 2 household + 3 head + 2 spouse */
    assert_int_equal(scores_of(fx, i), 1);
    assert_int_equal(trimmed(fx, i), 0);
}

/* ------------------------------------------------------------------ tests */

static void only_acknowledged_past_retention_are_trimmed(void **state)
{
    struct fixture *fx = *state;
    size_t n = 99;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(answers_of(fx, 0), 0);
    assert_int_equal(scores_of(fx, 0), 0);
    assert_int_equal(trimmed(fx, 0), 1);
    for (int i = 1; i < 4; i++)
        assert_untouched(fx, i);
    /* The row status checks read is whole, marked with the time of the trim. */
    assert_int_equal(
        count_for(fx->db,
                  "SELECT count(*) FROM registrations WHERE id = ?1 AND cnic = '" CNIC_OLD
                  "' AND head_name = 'Ayesha Bibi' AND trimmed_at = '2024-05-14T10:20:30Z'",
                  fx->id[0]),
        1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox"), 4);
}

static void status_checks_still_answer(void **state)
{
    struct fixture *fx = *state;
    raw_exec(fx->db, "UPDATE registrations SET status = 'eligible',"
                     " status_at = '2024-04-01T09:00:00Z' WHERE cnic = '" CNIC_OLD "'");
    size_t n = 0;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), 0);
    assert_int_equal(n, 1);
    struct status_answer a;
    assert_int_equal(status_query(fx->db, NULL, "35202-1111111-1", &a), STATUS_Q_FOUND);
    assert_int_equal(a.status, STATUS_ELIGIBLE);
    assert_string_equal(a.status_date, "2024-04-01");
    assert_string_equal(a.masked_name, "A***** B***");
    char tracking[TRACKING_FORMATTED_LEN + 1];
    snprintf(tracking, sizeof tracking, "%s", a.tracking);
    assert_int_equal(status_query(fx->db, NULL, tracking, &a), STATUS_Q_FOUND);
    assert_string_equal(a.cnic, "35202-1111111-1");
}

static void a_second_run_trims_nothing_more(void **state)
{
    struct fixture *fx = *state;
    size_t n = 0;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), 0);
    assert_int_equal(n, 0);
    /* Ten more days and the lately acknowledged one is past it too. */
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now() + 21 * DAY, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(trimmed(fx, 1), 1);
    assert_untouched(fx, 2);
    assert_untouched(fx, 3);
}

/* Exactly at the retention: not yet (strictly more than the retention). */
static void the_boundary_is_kept(void **state)
{
    struct fixture *fx = *state;
    size_t n = 0;
    int64_t at = (int64_t)(day1() + 20 * DAY) + 30 * (int64_t)DAY;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, at, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, at + 1, &n), 0);
    assert_int_equal(n, 1);
}

/* The mark fails after the answers and scores were deleted: all of it is
 * rolled back. */
static void a_failure_changes_nothing(void **state)
{
    struct fixture *fx = *state;
    raw_exec(fx->db, "CREATE TEMP TRIGGER no_mark BEFORE UPDATE OF trimmed_at ON registrations"
                     " BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;");
    size_t n = 99;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), -1);
    assert_int_equal(n, 0);
    for (int i = 0; i < 4; i++)
        assert_untouched(fx, i);
    raw_exec(fx->db, "DROP TRIGGER temp.no_mark;");
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), 0);
    assert_int_equal(n, 1);
}

static void an_unusable_retention_is_refused(void **state)
{
    struct fixture *fx = *state;
    size_t n = 99;
    fx->cfg.acknowledged_retention_days = 0;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), -1);
    assert_int_equal(n, 0);
    fx->cfg.acknowledged_retention_days = -5;
    assert_int_equal(privacy_trim(fx->db, &fx->cfg, now(), &n), -1);
    for (int i = 0; i < 4; i++)
        assert_untouched(fx, i);
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

#define T(f) cmocka_unit_test_setup_teardown(f, open_fresh, close_fixture)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(only_acknowledged_past_retention_are_trimmed),
        T(status_checks_still_answer),
        T(a_second_run_trims_nothing_more),
        T(the_boundary_is_kept),
        T(a_failure_changes_nothing),
        T(an_unusable_retention_is_refused),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
