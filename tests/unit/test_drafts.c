/*
 * test_drafts.c - surveys in progress in the draft store.
 *
 * The story: a clerk starts a draft for a head of household, answers
 * question by question, adds members, scrolls the roster a page at a
 * time, deletes a member added by mistake; the applicant comes back with
 * the draft number, or by CNIC; old drafts are wiped; an earlier
 * registration is reopened as an update. And the power may go at any
 * moment: a child process killed with SIGKILL between two answers loses
 * none that it was told were stored.
 *
 * Each test gets a fresh database in a mkdtemp folder removed at the end;
 * raw sqlite3 is used only to inspect rows.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
#include "kiosk/damm.h"

static char tmpdir[] = "/tmp/nser-test-drafts-XXXXXX";

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

static void ok(struct db *db, enum db_result r)
{
    if (r != DB_OK)
        fail_msg("db result %d: %s", r, db_last_error(db));
}

static struct draft_info create(struct fixture *fx, const char *cnic, time_t now)
{
    struct draft_info d;
    ok(fx->db, drafts_create(fx->db, cnic, QID, QVERSION, now, &d));
    return d;
}

static void set(struct fixture *fx, int64_t draft, int member, const char *qid, const char *value)
{
    ok(fx->db, drafts_set_answer(fx->db, draft, member, qid, value, day1()));
}

static int add_member(struct fixture *fx, int64_t draft)
{
    int position = -1;
    ok(fx->db, drafts_add_member(fx->db, draft, day1(), &position));
    return position;
}

/* A member with a name, relation and age, as the roster shows them. */
static int add_named(struct fixture *fx, int64_t draft, const char *name, const char *relation,
                     const char *age)
{
    int p = add_member(fx, draft);
    set(fx, draft, p, "name", name);
    set(fx, draft, p, "relation", relation);
    set(fx, draft, p, "age", age);
    return p;
}

static void assert_no_transaction(struct db *db)
{
    assert_true(sqlite3_get_autocommit(db_sqlite(db)));
}

static void assert_answer(const struct answers *a, int member, const char *qid, const char *want)
{
    const char *got = answers_get(a, member, qid);
    if (!want) {
        if (got)
            fail_msg("%s of member %d: want no answer, got \"%s\"", qid, member, got);
        return;
    }
    if (!got)
        fail_msg("%s of member %d: want \"%s\", got no answer", qid, member, want);
    assert_string_equal(got, want);
}

/* ------------------------------------------------------------------ tests */

static void create_starts_with_the_head(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    assert_true(d.id > 0);
    assert_int_equal(strlen(d.number), DRAFT_NUMBER_DIGITS);
    assert_true(damm_valid(d.number));
    assert_string_equal(d.head_cnic, HEAD_CNIC);
    assert_string_equal(d.questionnaire_id, QID);
    assert_string_equal(d.questionnaire_version, QVERSION);
    assert_string_equal(d.created_at, "2024-03-15T10:20:30Z");
    assert_string_equal(d.updated_at, "2024-03-15T10:20:30Z");
    assert_int_equal(d.members, 1);
    assert_int_equal(d.previous_registration, 0);
    assert_string_equal(d.previous_tracking, "");

    int n = 0;
    ok(fx->db, drafts_member_count(fx->db, d.id, &n));
    assert_int_equal(n, 1);
    int position = -1;
    ok(fx->db, drafts_member_at(fx->db, d.id, 0, &position));
    assert_int_equal(position, 0);
    assert_no_transaction(fx->db);

    /* Two drafts, two different numbers. */
    struct draft_info e = create(fx, HEAD_CNIC, day1());
    assert_int_not_equal(e.id, d.id);
    assert_string_not_equal(e.number, d.number);
}

static void answers_are_stored_one_by_one(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    ok(fx->db,
       drafts_set_answer(fx->db, d.id, ANSWERS_HOUSEHOLD, "district", "lahore", day1() + 60));
    ok(fx->db, drafts_set_answer(fx->db, d.id, 0, "name", "Ayesha Bibi", day1() + 120));
    /* Urdu script is stored byte for byte. */
    ok(fx->db, drafts_set_answer(fx->db, d.id, 0, "name_ur",
                                 "\xd8\xb9\xd8\xa7\xd8\xa6\xd8\xb4\xdb\x81", day1() + 130));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 3);

    struct draft_info got;
    ok(fx->db, drafts_get(fx->db, d.id, &got));
    assert_string_equal(got.created_at, "2024-03-15T10:20:30Z");
    assert_string_equal(got.updated_at, "2024-03-15T10:22:40Z"); /* the last answer's time */

    int slot = -1;
    ok(fx->db, drafts_load_member(fx->db, d.id, 0, fx->a, &slot));
    assert_int_equal(slot, 0);
    assert_int_equal(answers_member_count(fx->a), 1);
    assert_answer(fx->a, ANSWERS_HOUSEHOLD, "district", "lahore");
    assert_answer(fx->a, 0, "name", "Ayesha Bibi");
    assert_answer(fx->a, 0, "name_ur", "\xd8\xb9\xd8\xa7\xd8\xa6\xd8\xb4\xdb\x81");

    /* A changed answer replaces the old one; an emptied one is removed. */
    set(fx, d.id, 0, "name", "Ayesha Begum");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "district", "");
    set(fx, d.id, 0, "name_ur", NULL);
    ok(fx->db, drafts_load_member(fx->db, d.id, 0, fx->a, &slot));
    assert_answer(fx->a, 0, "name", "Ayesha Begum");
    assert_answer(fx->a, ANSWERS_HOUSEHOLD, "district", NULL);
    assert_answer(fx->a, 0, "name_ur", NULL);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 1);
    /* Removing what is not there is no error. */
    set(fx, d.id, 0, "never_given", NULL);

    /* The longest value that fits in memory fits in the store. */
    char longest[ANSWER_VALUE_MAX];
    memset(longest, 'x', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    set(fx, d.id, 0, "long", longest);
    ok(fx->db, drafts_load_member(fx->db, d.id, 0, fx->a, &slot));
    assert_answer(fx->a, 0, "long", longest);
    assert_no_transaction(fx->db);
}

/* The flow notes where the survey stands, so a restart opens the same page. */
static void the_resume_point_is_kept(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    assert_string_equal(d.resume_at, "");
    ok(fx->db, drafts_set_resume(fx->db, d.id, "m 2 3 4"));
    struct draft_info got;
    ok(fx->db, drafts_get(fx->db, d.id, &got));
    assert_string_equal(got.resume_at, "m 2 3 4");
    /* Not an answer: expiry still counts from the last one. */
    assert_string_equal(got.updated_at, d.updated_at);

    char longest[32];
    memset(longest, 'v', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    ok(fx->db, drafts_set_resume(fx->db, d.id, longest));
    ok(fx->db, drafts_find_by_number(fx->db, d.number, &got));
    assert_string_equal(got.resume_at, longest);

    char toolong[33];
    memset(toolong, 'v', sizeof toolong - 1);
    toolong[sizeof toolong - 1] = '\0';
    assert_int_equal(drafts_set_resume(fx->db, d.id, toolong), DB_ERROR);
    assert_int_equal(drafts_set_resume(fx->db, d.id, "s 1\n2"), DB_ERROR);
    assert_int_equal(drafts_set_resume(fx->db, d.id, "\xd8\xb9"), DB_ERROR);
    assert_int_equal(drafts_set_resume(fx->db, d.id, NULL), DB_ERROR);
    assert_int_equal(drafts_set_resume(fx->db, d.id + 99, "r"), DB_NOT_FOUND);
    ok(fx->db, drafts_set_resume(fx->db, d.id, ""));
    ok(fx->db, drafts_get(fx->db, d.id, &got));
    assert_string_equal(got.resume_at, "");
    assert_no_transaction(fx->db);
}

static void bad_input_is_refused(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    struct draft_info x;
    char toolong[ANSWER_VALUE_MAX + 1];
    memset(toolong, 'x', sizeof toolong - 1);
    toolong[sizeof toolong - 1] = '\0';

    assert_int_equal(drafts_create(fx->db, "352021234567", QID, QVERSION, day1(), &x), DB_ERROR);
    assert_int_equal(drafts_create(fx->db, "35202123456a8", QID, QVERSION, day1(), &x), DB_ERROR);
    assert_int_equal(drafts_create(fx->db, HEAD_CNIC, "", QVERSION, day1(), &x), DB_ERROR);
    assert_int_equal(drafts_create(fx->db, HEAD_CNIC, QID, "0123456789abcdef", day1(), &x),
                     DB_ERROR);
    assert_int_equal(drafts_create(NULL, HEAD_CNIC, QID, QVERSION, day1(), &x), DB_ERROR);

    assert_int_equal(drafts_set_answer(fx->db, d.id, 0, "Name", "x", day1()), DB_ERROR);
    assert_int_equal(drafts_set_answer(fx->db, d.id, 0, "", "x", day1()), DB_ERROR);
    assert_int_equal(drafts_set_answer(fx->db, d.id, 0, "name", toolong, day1()), DB_ERROR);
    assert_int_equal(drafts_set_answer(fx->db, d.id, -2, "name", "x", day1()), DB_ERROR);
    assert_int_equal(drafts_set_answer(fx->db, d.id, 1, "name", "x", day1()), DB_NOT_FOUND);
    assert_int_equal(drafts_set_answer(fx->db, d.id + 99, 0, "name", "x", day1()), DB_NOT_FOUND);
    assert_int_equal(drafts_add_member(fx->db, d.id + 99, day1(), &(int){0}), DB_NOT_FOUND);
    assert_int_equal(drafts_delete_member(fx->db, d.id, -1, day1()), DB_ERROR);
    assert_int_equal(drafts_delete_member(fx->db, d.id, 5, day1()), DB_NOT_FOUND);
    assert_int_equal(drafts_delete(fx->db, d.id + 99), DB_NOT_FOUND);
    assert_int_equal(drafts_get(fx->db, d.id + 99, &x), DB_NOT_FOUND);
    assert_int_equal(drafts_member_count(fx->db, d.id + 99, &(int){0}), DB_NOT_FOUND);
    assert_int_equal(drafts_load_member(fx->db, d.id + 99, 0, fx->a, NULL), DB_NOT_FOUND);
    assert_int_equal(drafts_load_all(fx->db, d.id + 99, fx->a, NULL, 0), DB_NOT_FOUND);
    assert_int_equal(drafts_find_by_cnic(fx->db, "12345", &x), DB_ERROR);
    assert_int_equal(drafts_find_by_number(fx->db, "12345678", &x), DB_ERROR);
    assert_int_equal(drafts_expire(fx->db, day1(), -1, NULL), DB_ERROR);

    /* Nothing of it was written, and no transaction was left open. */
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM drafts"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_members"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT last_position FROM drafts"), 0);
    assert_string_equal(d.updated_at, "2024-03-15T10:20:30Z");
    ok(fx->db, drafts_get(fx->db, d.id, &x));
    assert_string_equal(x.updated_at, d.updated_at);
    assert_no_transaction(fx->db);
}

static void a_member_is_loaded_with_the_head_only(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    set(fx, d.id, ANSWERS_HOUSEHOLD, "rooms", "3");
    set(fx, d.id, 0, "name", "Ayesha Bibi");
    int p1 = add_named(fx, d.id, "Muhammad Aslam", "spouse", "49");
    int p2 = add_named(fx, d.id, "Bilal Aslam", "son", "13");
    int p3 = add_named(fx, d.id, "Zainab Aslam", "daughter", "7");
    assert_int_equal(p1, 1);
    assert_int_equal(p2, 2);
    assert_int_equal(p3, 3);

    int slot = -1;
    ok(fx->db, drafts_load_member(fx->db, d.id, p2, fx->a, &slot));
    assert_int_equal(slot, 1);
    assert_int_equal(answers_member_count(fx->a), 2);
    assert_answer(fx->a, ANSWERS_HOUSEHOLD, "rooms", "3");
    assert_answer(fx->a, 0, "name", "Ayesha Bibi");
    assert_answer(fx->a, 1, "name", "Bilal Aslam");
    assert_answer(fx->a, 1, "age", "13");
    assert_int_equal(answers_count(fx->a, 1), 3);

    /* A member that is not there clears what was loaded. */
    assert_int_equal(drafts_load_member(fx->db, d.id, 9, fx->a, &slot), DB_NOT_FOUND);
    assert_int_equal(answers_member_count(fx->a), 0);
    assert_int_equal(answers_count(fx->a, ANSWERS_HOUSEHOLD), 0);
    assert_no_transaction(fx->db);
}

struct page {
    int n;
    int positions[32];
    char names[32][64];
    bool age_missing[32];
    int stop_after; /* 0: never */
};

static int collect(void *ud, int position, const char *const *values)
{
    struct page *pg = ud;
    assert_true(pg->n < 32);
    pg->positions[pg->n] = position;
    snprintf(pg->names[pg->n], sizeof pg->names[0], "%s", values[0] ? values[0] : "(none)");
    pg->age_missing[pg->n] = values[1] == NULL;
    pg->n++;
    return pg->stop_after && pg->n >= pg->stop_after;
}

static void roster_is_read_a_page_at_a_time(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    set(fx, d.id, 0, "name", "Member 0");
    set(fx, d.id, 0, "age", "44");
    for (int i = 1; i <= 24; i++) {
        int p = add_member(fx, d.id);
        char name[32];
        snprintf(name, sizeof name, "Member %d", p);
        set(fx, d.id, p, "name", name);
        if (p % 5 != 0)
            set(fx, d.id, p, "age", "10");
    }
    ok(fx->db, drafts_delete_member(fx->db, d.id, 12, day1()));

    static const char *const cols[] = {"name", "age"};
    struct page pg = {0};
    int after = -1, pages = 0, seen = 0;
    for (;;) {
        memset(&pg, 0, sizeof pg);
        ok(fx->db, drafts_roster_page(fx->db, d.id, after, 10, cols, 2, collect, &pg));
        if (pg.n == 0)
            break;
        pages++;
        for (int i = 0; i < pg.n; i++) {
            int p = pg.positions[i];
            assert_true(p > after);
            assert_int_not_equal(p, 12); /* deleted */
            char want[32];
            snprintf(want, sizeof want, "Member %d", p);
            assert_string_equal(pg.names[i], want);
            assert_int_equal(pg.age_missing[i], p != 0 && p % 5 == 0);
            after = p;
            seen++;
        }
    }
    assert_int_equal(pages, 3); /* 10 + 10 + 4 */
    assert_int_equal(seen, 24);

    /* Keyset paging: the page after position 9 starts at 10, whatever came before. */
    memset(&pg, 0, sizeof pg);
    ok(fx->db, drafts_roster_page(fx->db, d.id, 9, 3, cols, 2, collect, &pg));
    assert_int_equal(pg.n, 3);
    assert_int_equal(pg.positions[0], 10);
    assert_int_equal(pg.positions[1], 11);
    assert_int_equal(pg.positions[2], 13);

    /* The callback can stop early. */
    memset(&pg, 0, sizeof pg);
    pg.stop_after = 2;
    ok(fx->db, drafts_roster_page(fx->db, d.id, -1, 10, cols, 2, collect, &pg));
    assert_int_equal(pg.n, 2);

    /* An unknown column is unanswered everywhere. */
    static const char *const other[] = {"nickname", "age"};
    memset(&pg, 0, sizeof pg);
    ok(fx->db, drafts_roster_page(fx->db, d.id, -1, 1, other, 2, collect, &pg));
    assert_string_equal(pg.names[0], "(none)");

    /* The Nth member in order, for jumping to a row. */
    int position = -1;
    ok(fx->db, drafts_member_at(fx->db, d.id, 12, &position));
    assert_int_equal(position, 13);
    assert_int_equal(drafts_member_at(fx->db, d.id, 24, &position), DB_NOT_FOUND);

    assert_int_equal(drafts_roster_page(fx->db, d.id, -1, 0, cols, 2, collect, &pg), DB_ERROR);
    assert_no_transaction(fx->db);
}

static void a_deleted_member_takes_its_answers(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    set(fx, d.id, 0, "name", "Ayesha Bibi");
    int p1 = add_named(fx, d.id, "Muhammad Aslam", "spouse", "49");
    int p2 = add_named(fx, d.id, "Added By Mistake", "son", "1");
    int p3 = add_named(fx, d.id, "Zainab Aslam", "daughter", "7");
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers WHERE member = 2"), 3);

    ok(fx->db, drafts_delete_member(fx->db, d.id, p2, day1() + 300));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers WHERE member = 2"), 0);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 7);
    assert_int_equal(drafts_delete_member(fx->db, d.id, p2, day1()), DB_NOT_FOUND);
    assert_int_equal(drafts_load_member(fx->db, d.id, p2, fx->a, NULL), DB_NOT_FOUND);
    assert_int_equal(drafts_set_answer(fx->db, d.id, p2, "name", "x", day1()), DB_NOT_FOUND);

    /* The head stays, whatever is asked. */
    assert_int_equal(drafts_delete_member(fx->db, d.id, 0, day1()), DB_ERROR);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_members WHERE position = 0"), 1);

    /* A gap is left, and a new member never reuses a position. */
    int n = 0;
    ok(fx->db, drafts_member_count(fx->db, d.id, &n));
    assert_int_equal(n, 3);
    ok(fx->db, drafts_delete_member(fx->db, d.id, p3, day1()));
    int p4 = add_member(fx, d.id);
    assert_int_equal(p4, 4);

    int positions[8] = {0};
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, positions, 8));
    assert_int_equal(answers_member_count(fx->a), 3);
    assert_int_equal(positions[0], 0);
    assert_int_equal(positions[1], p1);
    assert_int_equal(positions[2], p4);
    assert_answer(fx->a, 1, "name", "Muhammad Aslam");
    assert_int_equal(answers_count(fx->a, 2), 0);

    struct draft_info got;
    ok(fx->db, drafts_get(fx->db, d.id, &got));
    assert_int_equal(got.members, 3);
    assert_no_transaction(fx->db);
}

static void everything_is_loaded_in_order(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    set(fx, d.id, ANSWERS_HOUSEHOLD, "district", "lahore");
    set(fx, d.id, ANSWERS_HOUSEHOLD, "rooms", "2");
    set(fx, d.id, 0, "name", "Head");
    for (int i = 1; i <= 12; i++) {
        char name[16];
        snprintf(name, sizeof name, "M%d", i);
        add_named(fx, d.id, name, "son", "5");
    }
    ok(fx->db, drafts_delete_member(fx->db, d.id, 3, day1()));
    add_named(fx, d.id, "Last", "daughter", "1"); /* position 13 */

    int positions[4] = {-1, -1, -1, -1};
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, positions, 4));
    assert_int_equal(answers_member_count(fx->a), 13);
    assert_int_equal(answers_count(fx->a, ANSWERS_HOUSEHOLD), 2);
    assert_answer(fx->a, 0, "name", "Head");
    assert_answer(fx->a, 2, "name", "M2");
    assert_answer(fx->a, 3, "name", "M4"); /* M3 was deleted */
    assert_answer(fx->a, 12, "name", "Last");
    /* Only as many positions as asked for. */
    assert_int_equal(positions[3], 4);
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));
    assert_int_equal(answers_member_count(fx->a), 13);
    assert_no_transaction(fx->db);
}

static void found_by_cnic_number_and_listed(void **state)
{
    struct fixture *fx = *state;
    struct draft_info older = create(fx, HEAD_CNIC, day1());
    struct draft_info other = create(fx, "4210112345671", day1() + 10);
    struct draft_info newer = create(fx, HEAD_CNIC, day1() + 20);
    struct draft_info got;

    ok(fx->db, drafts_find_by_cnic(fx->db, HEAD_CNIC, &got));
    assert_int_equal(got.id, newer.id);
    /* Answering the older one makes it the latest. */
    ok(fx->db, drafts_set_answer(fx->db, older.id, 0, "name", "x", day1() + 30));
    ok(fx->db, drafts_find_by_cnic(fx->db, HEAD_CNIC, &got));
    assert_int_equal(got.id, older.id);
    assert_int_equal(drafts_find_by_cnic(fx->db, "6110112345672", &got), DB_NOT_FOUND);

    ok(fx->db, drafts_find_by_number(fx->db, other.number, &got));
    assert_int_equal(got.id, other.id);
    assert_string_equal(got.head_cnic, "4210112345671");
    /* One wrong digit is caught by the check digit, never someone else's draft. */
    char typo[DRAFT_NUMBER_DIGITS + 1];
    memcpy(typo, other.number, sizeof typo);
    typo[2] = typo[2] == '9' ? '0' : (char)(typo[2] + 1);
    assert_int_equal(drafts_find_by_number(fx->db, typo, &got), DB_NOT_FOUND);

    struct draft_info list[8];
    size_t n = 0;
    ok(fx->db, drafts_list(fx->db, list, 8, &n));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, older.id);
    assert_int_equal(list[1].id, newer.id);
    assert_int_equal(list[2].id, other.id);
    ok(fx->db, drafts_list(fx->db, list, 2, &n));
    assert_int_equal(n, 2);
    ok(fx->db, drafts_list(fx->db, list, 0, &n));
    assert_int_equal(n, 0);
}

/* A scripted random source: the 32-bit values to hand out, in order. */
static const uint32_t *script;
static size_t script_len, script_at;

static int scripted(void *buf, size_t len)
{
    if (len != sizeof(uint32_t) || script_at >= script_len)
        return -1;
    memcpy(buf, &script[script_at++], len);
    return 0;
}

static void use_script(const uint32_t *values, size_t n)
{
    script = values;
    script_len = n;
    script_at = 0;
    drafts_set_random_source(scripted);
}

static void expect_number(const char *six, const char *got)
{
    char want[DRAFT_NUMBER_DIGITS + 1];
    snprintf(want, sizeof want, "%s%d", six, damm_check_digit(six));
    assert_string_equal(got, want);
}

static void a_taken_number_is_drawn_again(void **state)
{
    struct fixture *fx = *state;
    /* 4294000000 and up would favour low numbers: drawn again. */
    static const uint32_t first[] = {4294967295u, 4294000000u, 123456u};
    use_script(first, 3);
    struct draft_info a = create(fx, HEAD_CNIC, day1());
    expect_number("123456", a.number);

    /* The same digits again collide with the open draft, so the next are used. */
    static const uint32_t second[] = {1123456u, 42u};
    use_script(second, 2);
    struct draft_info b = create(fx, HEAD_CNIC, day1());
    expect_number("000042", b.number);

    /* A source that always collides gives up, writing nothing. */
    static const uint32_t stuck[] = {123456u, 123456u, 123456u, 123456u, 123456u, 123456u,
                                     123456u, 123456u, 123456u, 123456u, 123456u, 123456u,
                                     123456u, 123456u, 123456u, 123456u, 123456u, 123456u};
    use_script(stuck, sizeof stuck / sizeof stuck[0]);
    struct draft_info c;
    assert_int_equal(drafts_create(fx->db, HEAD_CNIC, QID, QVERSION, day1(), &c), DB_ERROR);
    assert_non_null(strstr(db_last_error(fx->db), "draft number"));

    /* No randomness, no draft. */
    use_script(NULL, 0);
    assert_int_equal(drafts_create(fx->db, HEAD_CNIC, QID, QVERSION, day1(), &c), DB_ERROR);
    drafts_set_random_source(NULL);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM drafts"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_members"), 2);
    assert_no_transaction(fx->db);

    /* A wiped draft's number is free again. */
    ok(fx->db, drafts_delete(fx->db, a.id));
    use_script(first + 2, 1);
    struct draft_info again = create(fx, HEAD_CNIC, day1());
    expect_number("123456", again.number);
    drafts_set_random_source(NULL);
}

/* True when NEEDLE appears anywhere in the file at PATH (missing: false). */
static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = strlen(needle), cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap);
            assert_non_null(grown);
            buf = grown;
        }
    }
    fclose(f);
    bool found = memmem(buf, len, needle, n) != NULL;
    free(buf);
    return found;
}

static void old_drafts_are_wiped(void **state)
{
    struct fixture *fx = *state;
    const long retention = 7 * ONE_DAY;
    struct draft_info stale = create(fx, HEAD_CNIC, day1());
    set(fx, stale.id, 0, "name", "QQSTALESECRETQQ");
    add_named(fx, stale.id, "QQSTALEMEMBERQQ", "son", "4");
    struct draft_info touched = create(fx, "4210112345671", day1());
    struct draft_info fresh = create(fx, "6110112345672", day1() + 6 * ONE_DAY);
    ok(fx->db, drafts_set_answer(fx->db, fresh.id, 0, "name", "Fresh", day1() + 6 * ONE_DAY));
    /* Old but answered recently: kept. */
    ok(fx->db, drafts_set_answer(fx->db, touched.id, 0, "name", "Touched", day1() + 5 * ONE_DAY));

    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", fx->path);
    assert_true(file_contains(fx->path, "QQSTALESECRETQQ") ||
                file_contains(wal, "QQSTALESECRETQQ"));

    int wiped = -1;
    ok(fx->db, drafts_expire(fx->db, day1() + retention + 1, retention, &wiped));
    assert_int_equal(wiped, 1);
    struct draft_info got;
    assert_int_equal(drafts_get(fx->db, stale.id, &got), DB_NOT_FOUND);
    ok(fx->db, drafts_get(fx->db, touched.id, &got));
    ok(fx->db, drafts_get(fx->db, fresh.id, &got));
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_members"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 2);

    /* Wiped means gone from the file, not just unlinked from the tables. */
    assert_false(file_contains(fx->path, "QQSTALESECRETQQ"));
    assert_false(file_contains(fx->path, "QQSTALEMEMBERQQ"));
    assert_false(file_contains(wal, "QQSTALESECRETQQ"));

    /* Exactly at the limit is not yet past it. */
    ok(fx->db, drafts_expire(fx->db, day1() + 5 * ONE_DAY + retention, retention, &wiped));
    assert_int_equal(wiped, 0);
    ok(fx->db, drafts_expire(fx->db, day1() + 30 * ONE_DAY, retention, &wiped));
    assert_int_equal(wiped, 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM draft_answers"), 0);
    assert_no_transaction(fx->db);
}

/* A registration confirmed from a draft, for the update tests. */
static int64_t confirmed(struct fixture *fx, struct tracking_id *t)
{
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    set(fx, d.id, ANSWERS_HOUSEHOLD, "district", "lahore");
    set(fx, d.id, 0, "name", "Ayesha Bibi");
    add_named(fx, d.id, "Muhammad Aslam", "spouse", "49");
    add_member(fx, d.id); /* a member with no answers yet */
    add_named(fx, d.id, "Zainab Aslam", "daughter", "7");
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));

    struct registration_meta meta = {.kiosk_code = "12345", .now = day1()};
    snprintf(meta.record_uuid, sizeof meta.record_uuid, "%s",
             "0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d");
    snprintf(meta.head_name, sizeof meta.head_name, "%s", "Ayesha Bibi");
    snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "%s", QID);
    snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "%s", QVERSION);
    ok(fx->db, registry_confirm(fx->db, d.id, fx->a, NULL, &meta, t));
    struct registration_summary s;
    ok(fx->db, registry_find_by_tracking(fx->db, t, &s));
    return s.id;
}

static void an_update_starts_from_the_registration(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t;
    int64_t reg = confirmed(fx, &t);
    struct answers *stored = answers_new();
    assert_non_null(stored);
    ok(fx->db, registry_load_answers(fx->db, reg, stored));

    struct draft_info d;
    ok(fx->db, drafts_create_update(fx->db, reg, QID, "2024.2", day1() + ONE_DAY, &d));
    assert_int_equal(d.previous_registration, reg);
    assert_string_equal(d.previous_tracking, t.digits);
    assert_string_equal(d.head_cnic, HEAD_CNIC);
    assert_string_equal(d.questionnaire_version, "2024.2");
    assert_int_equal(d.members, 4);

    int positions[4];
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, positions, 4));
    assert_int_equal(answers_member_count(fx->a), answers_member_count(stored));
    for (int m = ANSWERS_HOUSEHOLD; m < 4; m++) {
        assert_int_equal(answers_count(fx->a, m), answers_count(stored, m));
        const char *qid, *value;
        for (size_t i = 0; answers_at(stored, m, i, &qid, &value); i++)
            assert_answer(fx->a, m, qid, value);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(positions[i], i);
    assert_int_equal(answers_count(fx->a, 2), 0); /* the unanswered member is kept */

    /* New members come after the copied ones; the registration is untouched. */
    assert_int_equal(add_member(fx, d.id), 4);
    set(fx, d.id, 1, "age", "50");
    ok(fx->db, registry_load_answers(fx->db, reg, fx->a));
    assert_answer(fx->a, 1, "age", "49");
    assert_int_equal(answers_member_count(fx->a), 4);

    struct draft_info x;
    assert_int_equal(drafts_create_update(fx->db, reg + 99, QID, QVERSION, day1(), &x),
                     DB_NOT_FOUND);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM drafts"), 1);
    answers_free(stored);
    assert_no_transaction(fx->db);
}

/*
 * Durability: a child sets answers one by one and reports each one whose
 * drafts_set_answer returned DB_OK down a pipe; the parent kills it with
 * SIGKILL in the middle, then reopens the file and finds every answer
 * reported (the one in flight may or may not be there).
 */
#define KILL_AFTER 200 /* reports read before the kill */

/* Sets answers until killed; never returns. */
static void child_sets_answers(const char *path, int64_t draft, int fd)
{
    struct db *db = NULL;
    if (db_open(path, &db, NULL, 0) != DB_OK)
        _exit(2);
    for (int i = 0;; i++) {
        char qid[16], value[32];
        snprintf(qid, sizeof qid, "q%d", i);
        snprintf(value, sizeof value, "value %d", i);
        if (drafts_set_answer(db, draft, i % 2 ? 0 : ANSWERS_HOUSEHOLD, qid, value, time(NULL)) !=
            DB_OK)
            _exit(3);
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i)
            _exit(4);
    }
}

static void killed_mid_survey_loses_nothing_reported(void **state)
{
    struct fixture *fx = *state;
    struct draft_info d = create(fx, HEAD_CNIC, day1());
    db_close(fx->db); /* a connection must not cross fork */
    fx->db = NULL;

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_sets_answers(fx->path, d.id, fds[1]);
    }
    close(fds[1]);

    /* Let it get well into its writes, then cut it off mid-stride. */
    int last = -1, i;
    while (last < KILL_AFTER && read(fds[0], &i, sizeof i) == (ssize_t)sizeof i)
        last = i;
    assert_int_equal(last, KILL_AFTER);
    assert_int_equal(kill(pid, SIGKILL), 0);
    while (read(fds[0], &i, sizeof i) == (ssize_t)sizeof i)
        last = i; /* reported before it died */
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    char detail[256];
    assert_int_equal(db_open(fx->path, &fx->db, detail, sizeof detail), DB_OK);
    ok(fx->db, drafts_load_all(fx->db, d.id, fx->a, NULL, 0));
    for (int k = 0; k <= last; k++) {
        char qid[16], value[32];
        snprintf(qid, sizeof qid, "q%d", k);
        snprintf(value, sizeof value, "value %d", k);
        assert_answer(fx->a, k % 2 ? 0 : ANSWERS_HOUSEHOLD, qid, value);
    }
    size_t stored = answers_count(fx->a, ANSWERS_HOUSEHOLD) + answers_count(fx->a, 0);
    assert_true(stored == (size_t)last + 1 || stored == (size_t)last + 2);
    /* And the store carries on. */
    set(fx, d.id, 0, "after", "yes");
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
    snprintf(fx->path, sizeof fx->path, "%s/drafts-%d.db", tmpdir, ++counter);
    char detail[256];
    if (db_open(fx->path, &fx->db, detail, sizeof detail) != DB_OK) {
        fprintf(stderr, "db_open: %s\n", detail);
        free(fx);
        return -1;
    }
    fx->a = answers_new();
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
        T(create_starts_with_the_head),
        T(answers_are_stored_one_by_one),
        T(the_resume_point_is_kept),
        T(bad_input_is_refused),
        T(a_member_is_loaded_with_the_head_only),
        T(roster_is_read_a_page_at_a_time),
        T(a_deleted_member_takes_its_answers),
        T(everything_is_loaded_in_order),
        T(found_by_cnic_number_and_listed),
        T(a_taken_number_is_drawn_again),
        T(old_drafts_are_wiped),
        T(an_update_starts_from_the_registration),
        T(killed_mid_survey_loses_nothing_reported),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
