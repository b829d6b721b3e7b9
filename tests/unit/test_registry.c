/*
 * test_registry.c - confirming drafts as registrations and finding them
 * again.
 *
 * The story: a clerk confirms a household of four, the applicant gets a
 * tracking ID, checks it by CNIC and by tracking ID, comes back to update
 * it; meanwhile the kiosk's tracking numbers count up per day and per
 * kiosk, and a confirmation that fails half-way leaves nothing behind and
 * the draft as it was.
 *
 * Each test gets a fresh database in a mkdtemp folder removed at the end;
 * raw sqlite3 is used only to inspect rows and to inject failures.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/testdir.h"
#include <sqlite3.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/status_query.h"

static char tmpdir[] = "/tmp/nser-test-registry-XXXXXX";

#define KIOSK     "12345"
#define UUID_A    "0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d"
#define HEAD_CNIC "3520212345678"
#define QID       "nser_household"
#define QVERSION  "2024.1"
#define ONE_DAY   ((time_t)24 * 60 * 60)

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
    struct registration_meta meta;
    struct registration_score score;
};

/* ---------------------------------------------------------------- helpers */

static long long raw_int(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_exec(struct db *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static void ok(struct db *db, enum db_result r)
{
    if (r != DB_OK)
        fail_msg("db result %d: %s", r, db_last_error(db));
}

static void set(struct fixture *fx, int64_t draft, int member, const char *qid, const char *value)
{
    ok(fx->db, drafts_set_answer(fx->db, draft, member, qid, value, fx->meta.now));
}

/*
 * A draft for CNIC with the household's answers, the head and MEMBERS more
 * people (up to 3 distinct ones, then repeats), loaded into fx->a as the
 * review screen would hand it over.
 */
static int64_t household_draft(struct fixture *fx, const char *cnic, int members)
{
    struct draft_info d;
    ok(fx->db, drafts_create(fx->db, cnic, QID, QVERSION, fx->meta.now, &d));
    set(fx, d.id, ANSWERS_HOUSEHOLD, "district", "lahore");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "rooms", "3");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "toilet", "flush_pit");
    set(fx, d.id, 0, "name", "Ayesha Bibi");
    set(fx, d.id, 0, "relation", "head");
    set(fx, d.id, 0, "cnic", cnic);
    static const char *const people[3][3] = {
        {"Muhammad Aslam", "spouse", "49"},
        {"Bilal Aslam", "son", "13"},
        {"Zainab \xd8\xb2\xdb\x8c\xd9\x86\xd8\xa8", "daughter", "7"},
    };
    for (int i = 0; i < members; i++) {
        int p = -1;
        ok(fx->db, drafts_add_member(fx->db, d.id, fx->meta.now, &p));
        set(fx, d.id, p, "name", people[i % 3][0]);
        set(fx, d.id, p, "relation", people[i % 3][1]);
        set(fx, d.id, p, "age", people[i % 3][2]);
    }
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));
    return d.id;
}

/* Every new household needs its own record UUID. */
static void next_uuid(struct fixture *fx)
{
    static unsigned n;
    snprintf(fx->meta.record_uuid, sizeof fx->meta.record_uuid, "00000000-0000-4000-8000-%012u",
             ++n);
}

static struct tracking_id expected_id(const char *kiosk, time_t when, unsigned seq)
{
    struct tm tm;
    assert_non_null(gmtime_r(&when, &tm));
    struct tracking_id t;
    assert_int_equal(tracking_make(kiosk, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, seq, &t),
                     0);
    return t;
}

static struct tracking_id confirm_ok(struct fixture *fx, int64_t draft,
                                     const struct registration_score *score)
{
    struct tracking_id t;
    enum db_result r = registry_confirm(fx->db, draft, fx->a, score, &fx->meta, &t);
    if (r != DB_OK)
        fail_msg("registry_confirm: %d %s", r, db_last_error(fx->db));
    return t;
}

static struct tracking_id new_household(struct fixture *fx, const char *cnic, int members)
{
    next_uuid(fx);
    return confirm_ok(fx, household_draft(fx, cnic, members), NULL);
}

static void assert_answers_equal(const struct answers *got, const struct answers *want)
{
    assert_int_equal(answers_member_count(got), answers_member_count(want));
    for (int m = ANSWERS_HOUSEHOLD; m < (int)answers_member_count(want); m++) {
        assert_int_equal(answers_count(got, m), answers_count(want, m));
        const char *qid, *value;
        for (size_t i = 0; answers_at(want, m, i, &qid, &value); i++) {
            const char *g = answers_get(got, m, qid);
            if (!g)
                fail_msg("member %d lost %s", m, qid);
            assert_string_equal(g, value);
        }
    }
}

static void assert_nothing_registered(struct db *db)
{
    assert_int_equal(raw_int(db, "SELECT count(*) FROM registrations"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM registration_answers"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM scores"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM tracking_sequence"), 0);
}

static void fill_score(struct registration_score *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->table_id, sizeof s->table_id, "%s", "schreiner_pk_2009");
    snprintf(s->table_version, sizeof s->table_version, "%s", "1");
    s->score = 14.25;
    snprintf(s->breakdown, sizeof s->breakdown, "%s", "province\tpunjab\t12\nchildren\t3\t11\n");
    snprintf(s->thresholds_id, sizeof s->thresholds_id, "%s", "bisp_programmes");
    snprintf(s->thresholds_version, sizeof s->thresholds_version, "%s", "2024.03");
    snprintf(s->decisions, sizeof s->decisions, "%s", "kafaalat\teligible\n");
}

/* ------------------------------------------------------------------ tests */

static void confirm_writes_everything_at_once(void **state)
{
    struct fixture *fx = *state;
    int64_t draft = household_draft(fx, HEAD_CNIC, 3);
    struct tracking_id t = confirm_ok(fx, draft, &fx->score);

    struct tracking_id parsed;
    assert_int_equal(tracking_parse(t.digits, &parsed), TRACKING_OK);
    assert_string_equal(t.digits, expected_id(KIOSK, day1(), 1).digits);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"
                                     " WHERE status = 'pending_sync' AND record_version = 1"
                                     " AND supersedes IS NULL AND record_uuid = '" UUID_A "'"
                                     " AND created_at = '2024-03-15T10:20:30Z'"
                                     " AND status_at = created_at AND kiosk_code = '" KIOSK "'"
                                     " AND cnic = '" HEAD_CNIC "' AND head_name = 'Ayesha Bibi'"
                                     " AND questionnaire_id = '" QID "'"
                                     " AND questionnaire_version = '" QVERSION "'"
                                     " AND member_count = 4"),
                     1);
    /* 3 household + 3 head + 3 x 3 members. */
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registration_answers"), 15);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registration_answers"
                                     " WHERE member = 3 AND question = 'age' AND value = '7'"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox JOIN registrations r"
                                     " ON r.id = outbox.registration_id"
                                     " WHERE outbox.exported_at IS NULL"
                                     " AND outbox.acked_at IS NULL"
                                     " AND outbox.created_at = r.created_at"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM scores"
                                     " WHERE table_id = 'schreiner_pk_2009' AND table_version = '1'"
                                     " AND thresholds_id = 'bisp_programmes'"
                                     " AND thresholds_version = '2024.03' AND score = 14.25"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT last_seq FROM tracking_sequence"), 1);

    /* The draft is gone, with every row it had. */
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM drafts"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_members"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 0);
    assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));
}

static void answers_and_score_round_trip(void **state)
{
    struct fixture *fx = *state;
    int64_t draft = household_draft(fx, HEAD_CNIC, 3);
    /* A member still without answers is a member all the same. */
    assert_true(answers_add_member(fx->a) == 4);
    struct tracking_id t = confirm_ok(fx, draft, &fx->score);
    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &s));

    struct answers *loaded = answers_new();
    assert_non_null(loaded);
    answers_set(loaded, ANSWERS_HOUSEHOLD, "stale", "cleared first");
    ok(fx->db, registry_load_answers(fx->db, s.id, loaded));
    assert_answers_equal(loaded, fx->a);
    assert_int_equal(answers_member_count(loaded), 5);
    assert_string_equal(answers_get(loaded, 3, "name"), "Zainab \xd8\xb2\xdb\x8c\xd9\x86\xd8\xa8");

    struct registration_score got;
    ok(fx->db, registry_load_score(fx->db, s.id, &got));
    assert_string_equal(got.table_id, fx->score.table_id);
    assert_string_equal(got.table_version, fx->score.table_version);
    assert_true(fabs(got.score - 14.25) < 1e-9);
    assert_string_equal(got.breakdown, fx->score.breakdown);
    assert_string_equal(got.thresholds_id, fx->score.thresholds_id);
    assert_string_equal(got.thresholds_version, fx->score.thresholds_version);
    assert_string_equal(got.decisions, fx->score.decisions);

    assert_int_equal(registry_load_answers(fx->db, s.id + 99, loaded), DB_NOT_FOUND);
    assert_int_equal(answers_member_count(loaded), 0);
    answers_free(loaded);
}

static void a_score_is_optional(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t = new_household(fx, HEAD_CNIC, 1);
    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &s));
    struct registration_score got;
    assert_int_equal(registry_load_score(fx->db, s.id, &got), DB_NOT_FOUND);

    /* A score without programme thresholds stores them as absent. */
    fx->score.thresholds_id[0] = '\0';
    fx->score.thresholds_version[0] = '\0';
    fx->score.decisions[0] = '\0';
    next_uuid(fx);
    t = confirm_ok(fx, household_draft(fx, "4210112345671", 0), &fx->score);
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &s));
    ok(fx->db, registry_load_score(fx->db, s.id, &got));
    assert_string_equal(got.thresholds_id, "");
    assert_string_equal(got.table_id, "schreiner_pk_2009");
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM scores WHERE thresholds_id IS NULL"), 1);
}

static void sequence_counts_per_kiosk_per_day(void **state)
{
    struct fixture *fx = *state;
    assert_string_equal(new_household(fx, "3520211111111", 1).digits,
                        expected_id(KIOSK, day1(), 1).digits);
    assert_string_equal(new_household(fx, "3520222222222", 1).digits,
                        expected_id(KIOSK, day1(), 2).digits);

    /* A new UTC day starts again at 1... */
    fx->meta.now = day1() + ONE_DAY;
    assert_string_equal(new_household(fx, "3520233333333", 1).digits,
                        expected_id(KIOSK, day1() + ONE_DAY, 1).digits);

    /* ...and so does another kiosk on the first day. */
    fx->meta.now = day1();
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", "54321");
    assert_string_equal(new_household(fx, "3520244444444", 1).digits,
                        expected_id("54321", day1(), 1).digits);

    /* Back at the first kiosk, the first day carries on where it was. */
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", KIOSK);
    assert_string_equal(new_household(fx, "3520255555555", 1).digits,
                        expected_id(KIOSK, day1(), 3).digits);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM tracking_sequence"), 3);
}

static void found_by_cnic_and_by_tracking(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 3), NULL);
    struct cnic c;
    assert_int_equal(cnic_parse(HEAD_CNIC, NULL, &c), CNIC_OK);

    struct registration_summary by_cnic, by_tracking;
    ok(fx->db, registry_find_by_cnic(fx->db, &c, &by_cnic));
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &by_tracking));
    const struct registration_summary *both[] = {&by_cnic, &by_tracking};
    for (size_t i = 0; i < 2; i++) {
        const struct registration_summary *s = both[i];
        assert_true(s->id > 0);
        assert_string_equal(s->tracking.digits, t.digits);
        assert_string_equal(s->cnic.digits, HEAD_CNIC);
        assert_int_equal(s->status, STATUS_PENDING_SYNC);
        assert_string_equal(s->status_date, "2024-03-15");
        assert_string_equal(s->registered_date, "2024-03-15");
        assert_string_equal(s->head_name, "Ayesha Bibi");
        assert_string_equal(s->record_uuid, UUID_A);
        assert_int_equal(s->record_version, 1);
    }
    assert_int_equal(by_cnic.id, by_tracking.id);

    /* The status changes centrally; the summary follows it. */
    raw_exec(fx->db, "UPDATE registrations SET status = 'eligible',"
                     " status_at = '2024-04-02T08:00:00Z'");
    ok(fx->db, registry_find_by_cnic(fx->db, &c, &by_cnic));
    assert_int_equal(by_cnic.status, STATUS_ELIGIBLE);
    assert_string_equal(by_cnic.status_date, "2024-04-02");
    assert_string_equal(by_cnic.registered_date, "2024-03-15");
}

static void unknown_is_not_found(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 0), NULL);

    struct registration_summary s;
    struct cnic other;
    assert_int_equal(cnic_parse("4210112345671", NULL, &other), CNIC_OK);
    assert_int_equal(registry_find_by_cnic(fx->db, &other, &s), DB_NOT_FOUND);
    struct tracking_id unknown = expected_id(KIOSK, day1(), 2);
    assert_int_not_equal(strcmp(unknown.digits, t.digits), 0);
    assert_int_equal(registry_find_by_tracking(fx->db, &unknown, &s), DB_NOT_FOUND);
    struct registration_score score;
    assert_int_equal(registry_load_score(fx->db, 4242, &score), DB_NOT_FOUND);
}

static void an_update_is_a_new_version(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id first = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 3), NULL);
    struct registration_summary s1;
    ok(fx->db, registry_find_by_tracking(fx->db, &first, &s1));

    /* Next day: reopened from the registration; a child was born. */
    fx->meta.now = day1() + ONE_DAY;
    next_uuid(fx); /* an update ignores it and keeps the record's UUID */
    struct draft_info d;
    ok(fx->db, drafts_create_update(fx->db, s1.id, QID, "2024.2", fx->meta.now, &d));
    int p = -1;
    ok(fx->db, drafts_add_member(fx->db, d.id, fx->meta.now, &p));
    set(fx, d.id, p, "name", "Fatima Aslam");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "rooms", "4");
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));
    snprintf(fx->meta.questionnaire_version, sizeof fx->meta.questionnaire_version, "%s", "2024.2");
    struct tracking_id second = confirm_ok(fx, d.id, NULL);
    assert_string_equal(second.digits, expected_id(KIOSK, day1() + ONE_DAY, 1).digits);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations AS n"
                                     " JOIN registrations AS o ON n.supersedes = o.id"
                                     " WHERE n.record_version = 2 AND o.record_version = 1"
                                     " AND n.record_uuid = o.record_uuid"
                                     " AND n.record_uuid = '" UUID_A "'"
                                     " AND n.member_count = 5 AND o.member_count = 4"),
                     1);

    struct cnic c;
    assert_int_equal(cnic_parse(HEAD_CNIC, NULL, &c), CNIC_OK);
    struct registration_summary s;
    ok(fx->db, registry_find_by_cnic(fx->db, &c, &s));
    assert_string_equal(s.tracking.digits, second.digits);
    assert_int_equal(s.record_version, 2);
    assert_string_equal(s.record_uuid, UUID_A);
    assert_string_equal(s.registered_date, "2024-03-16");

    /* The first receipt still answers, as the older version, unchanged. */
    ok(fx->db, registry_find_by_tracking(fx->db, &first, &s));
    assert_int_equal(s.record_version, 1);
    struct answers *old = answers_new();
    assert_non_null(old);
    ok(fx->db, registry_load_answers(fx->db, s1.id, old));
    assert_string_equal(answers_get(old, ANSWERS_HOUSEHOLD, "rooms"), "3");
    assert_int_equal(answers_member_count(old), 4);
    answers_free(old);
}

/* A fresh draft for a CNIC registered here is an update all the same. */
static void same_cnic_again_supersedes_the_latest(void **state)
{
    struct fixture *fx = *state;
    confirm_ok(fx, household_draft(fx, HEAD_CNIC, 1), NULL);
    next_uuid(fx);
    confirm_ok(fx, household_draft(fx, HEAD_CNIC, 2), NULL);
    next_uuid(fx);
    struct tracking_id third = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 0), NULL);

    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, &third, &s));
    assert_int_equal(s.record_version, 3);
    assert_string_equal(s.record_uuid, UUID_A);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations n"
                                     " JOIN registrations o ON n.supersedes = o.id"
                                     " WHERE n.record_version = o.record_version + 1"),
                     2);
    /* Another CNIC is another household. */
    struct tracking_id other = new_household(fx, "4210112345671", 0);
    ok(fx->db, registry_find_by_tracking(fx->db, &other, &s));
    assert_int_equal(s.record_version, 1);
    assert_string_not_equal(s.record_uuid, UUID_A);
}

static void assert_draft_intact(struct fixture *fx, int64_t draft, long long answers)
{
    struct answers *now = answers_new();
    assert_non_null(now);
    ok(fx->db, drafts_load_all(fx->db, draft, now, NULL, 0));
    assert_answers_equal(now, fx->a);
    answers_free(now);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM draft_answers WHERE draft_id = %lld",
             (long long)draft);
    assert_int_equal(raw_int(fx->db, sql), answers);
}

/*
 * A fault at any step of a confirmation - the first answer, the score,
 * the outbox, the draft's removal (the very last step) - leaves nothing of
 * it stored, the tracking number unspent and the draft as it was.
 */
static void a_failed_confirm_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    static const char *const faults[] = {
        "CREATE TRIGGER fault BEFORE INSERT ON registration_answers"
        " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        "CREATE TRIGGER fault BEFORE INSERT ON scores"
        " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        "CREATE TRIGGER fault BEFORE INSERT ON outbox"
        " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        "CREATE TRIGGER fault BEFORE DELETE ON drafts"
        " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
    };
    int64_t draft = household_draft(fx, HEAD_CNIC, 3);
    long long answers = raw_int(fx->db, "SELECT count(*) FROM draft_answers");
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        raw_exec(fx->db, faults[i]);
        struct tracking_id t = {.digits = "untouched"};
        enum db_result r = registry_confirm(fx->db, draft, fx->a, &fx->score, &fx->meta, &t);
        assert_int_equal(r, DB_ERROR);
        assert_non_null(strstr(db_last_error(fx->db), "injected"));
        assert_string_equal(t.digits, "untouched");
        assert_nothing_registered(fx->db);
        assert_draft_intact(fx, draft, answers);
        assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));
        raw_exec(fx->db, "DROP TRIGGER fault");
    }

    /* A fault half-way through the answers, after some were written: the same. */
    assert_int_equal(answers_set(fx->a, 2, "bad", "x"), 0);
    raw_exec(fx->db, "CREATE TRIGGER fault BEFORE INSERT ON registration_answers"
                     " WHEN NEW.question = 'bad'"
                     " BEGIN SELECT RAISE(ABORT, 'injected'); END;");
    struct tracking_id t;
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &fx->meta, &t), DB_ERROR);
    assert_nothing_registered(fx->db);
    raw_exec(fx->db, "DROP TRIGGER fault");
    assert_int_equal(answers_set(fx->a, 2, "bad", NULL), 0);

    /* Once the fault is gone the same confirmation gets the number it would have. */
    assert_string_equal(confirm_ok(fx, draft, &fx->score).digits,
                        expected_id(KIOSK, day1(), 1).digits);
}

static void an_exhausted_day_is_full(void **state)
{
    struct fixture *fx = *state;
    new_household(fx, HEAD_CNIC, 1);
    raw_exec(fx->db, "UPDATE tracking_sequence SET last_seq = 9999");

    next_uuid(fx);
    int64_t draft = household_draft(fx, "4210112345671", 2);
    long long answers = raw_int(fx->db, "SELECT count(*) FROM draft_answers");
    struct tracking_id t;
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &fx->meta, &t), DB_FULL);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT last_seq FROM tracking_sequence"), 9999);
    assert_draft_intact(fx, draft, answers);
    assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));

    /* Tomorrow there are numbers again. */
    fx->meta.now = day1() + ONE_DAY;
    assert_string_equal(confirm_ok(fx, draft, NULL).digits,
                        expected_id(KIOSK, day1() + ONE_DAY, 1).digits);
}

static void the_last_number_of_the_day_is_usable(void **state)
{
    struct fixture *fx = *state;
    raw_exec(fx->db, "INSERT INTO tracking_sequence VALUES ('" KIOSK "', '2024-03-15', 9998)");
    assert_string_equal(confirm_ok(fx, household_draft(fx, HEAD_CNIC, 1), NULL).digits,
                        expected_id(KIOSK, day1(), 9999).digits);
}

static void bad_input_is_refused_before_writing(void **state)
{
    struct fixture *fx = *state;
    int64_t draft = household_draft(fx, HEAD_CNIC, 1);
    struct tracking_id t;

    struct registration_meta bad = fx->meta;
    snprintf(bad.kiosk_code, sizeof bad.kiosk_code, "%s", "12a45");
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &bad, &t), DB_ERROR);

    bad = fx->meta;
    bad.record_uuid[0] = '\0';
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &bad, &t), DB_ERROR);
    snprintf(bad.record_uuid, sizeof bad.record_uuid, "%s", "0B6F1C2E-8D4A-4F3B-9C1D-2E3F4A5B6C7D");
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &bad, &t), DB_ERROR);

    bad = fx->meta;
    bad.head_name[0] = '\0';
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &bad, &t), DB_ERROR);
    bad = fx->meta;
    memset(bad.questionnaire_version, 'v', sizeof bad.questionnaire_version); /* unterminated */
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, NULL, &bad, &t), DB_ERROR);

    struct registration_score score = fx->score;
    score.score = NAN;
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, &score, &fx->meta, &t), DB_ERROR);
    score = fx->score;
    score.thresholds_version[0] = '\0';
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, &score, &fx->meta, &t), DB_ERROR);
    score = fx->score;
    score.table_id[0] = '\0';
    assert_int_equal(registry_confirm(fx->db, draft, fx->a, &score, &fx->meta, &t), DB_ERROR);

    struct answers *empty = answers_new();
    assert_non_null(empty);
    assert_int_equal(registry_confirm(fx->db, draft, empty, NULL, &fx->meta, &t), DB_ERROR);
    answers_free(empty);

    assert_int_equal(registry_confirm(fx->db, draft + 99, fx->a, NULL, &fx->meta, &t),
                     DB_NOT_FOUND);
    assert_int_equal(registry_confirm(NULL, draft, fx->a, NULL, &fx->meta, &t), DB_ERROR);
    assert_int_equal(registry_confirm(fx->db, draft, NULL, NULL, &fx->meta, &t), DB_ERROR);
    assert_nothing_registered(fx->db);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM drafts"), 1);
    assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));

    struct registration_summary s;
    struct cnic c = {.digits = "35202-1234567"};
    assert_int_equal(registry_find_by_cnic(fx->db, &c, &s), DB_ERROR);
    struct tracking_id bad_t = {.digits = "12345"};
    assert_int_equal(registry_find_by_tracking(fx->db, &bad_t, &s), DB_ERROR);
}

/* Statements are cached per connection; the cache must survive reopening. */
static void survives_reopen(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 3), NULL);
    db_close(fx->db);
    fx->db = NULL;
    assert_int_equal(db_open(fx->path, &fx->db, NULL, 0), DB_OK);
    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, &t, &s));
    assert_string_equal(s.head_name, "Ayesha Bibi");
}

/* The status screen's question, asked the way the screen asks it. */
static void status_query_discloses_only_the_status(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t = confirm_ok(fx, household_draft(fx, HEAD_CNIC, 3), NULL);
    char typed[TRACKING_FORMATTED_LEN + 1];
    tracking_format(&t, typed, sizeof typed);

    struct status_answer a;
    assert_int_equal(status_query(fx->db, NULL, "35202-1234567-8", &a), STATUS_Q_FOUND);
    assert_int_equal(a.status, STATUS_PENDING_SYNC);
    assert_string_equal(a.masked_name, "A***** B***");
    assert_string_equal(a.registered_date, "2024-03-15");
    assert_string_equal(a.tracking, typed);
    assert_int_equal(a.by_tracking, 0);

    assert_int_equal(status_query(fx->db, NULL, typed, &a), STATUS_Q_FOUND);
    assert_int_equal(a.by_tracking, 1);
    assert_string_equal(a.cnic, "35202-1234567-8");

    assert_int_equal(status_query(fx->db, NULL, "42101-1234567-1", &a), STATUS_Q_NOT_FOUND);
    assert_int_equal(status_query(fx->db, NULL, "35202-1234567", &a), STATUS_Q_INVALID);
    assert_non_null(a.problem);
    assert_int_equal(status_query(fx->db, NULL, "", &a), STATUS_Q_INVALID);
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

static int open_fresh(void **state)
{
    static int counter;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/registry-%d.db", tmpdir, ++counter);
    char detail[256];
    if (db_open(fx->path, &fx->db, detail, sizeof detail) != DB_OK) {
        fprintf(stderr, "db_open: %s\n", detail);
        free(fx);
        return -1;
    }
    fx->a = answers_new();
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", KIOSK);
    snprintf(fx->meta.record_uuid, sizeof fx->meta.record_uuid, "%s", UUID_A);
    snprintf(fx->meta.head_name, sizeof fx->meta.head_name, "%s", "Ayesha Bibi");
    snprintf(fx->meta.questionnaire_id, sizeof fx->meta.questionnaire_id, "%s", QID);
    snprintf(fx->meta.questionnaire_version, sizeof fx->meta.questionnaire_version, "%s", QVERSION);
    fx->meta.now = day1();
    fill_score(&fx->score);
    *state = fx;
    return fx->a ? 0 : -1;
}

static int close_fixture(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    answers_free(fx->a);
    free(fx);
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, open_fresh, close_fixture)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(confirm_writes_everything_at_once),
        T(answers_and_score_round_trip),
        T(a_score_is_optional),
        T(sequence_counts_per_kiosk_per_day),
        T(found_by_cnic_and_by_tracking),
        T(unknown_is_not_found),
        T(an_update_is_a_new_version),
        T(same_cnic_again_supersedes_the_latest),
        T(a_failed_confirm_leaves_nothing),
        T(an_exhausted_day_is_full),
        T(the_last_number_of_the_day_is_usable),
        T(bad_input_is_refused_before_writing),
        T(survives_reopen),
        T(status_query_discloses_only_the_status),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
