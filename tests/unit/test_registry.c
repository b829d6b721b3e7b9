/*
 * test_registry.c - committing registrations and finding them again.
 *
 * The story: a clerk confirms a household of four, the applicant gets a
 * tracking ID, checks it by CNIC and by tracking ID, comes back to update
 * it; meanwhile the kiosk's tracking numbers count up per day and per
 * kiosk, and a commit that fails half-way leaves nothing behind.
 *
 * Each test gets a fresh database in a mkdtemp folder removed at the end;
 * raw sqlite3 is used only to inspect rows and to inject failures.
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "db/registry.h"

static char tmpdir[] = "/tmp/nser-test-registry-XXXXXX";

#define KIOSK     "12345"
#define UUID_A    "0b6f1c2e-8d4a-4f3b-9c1d-2e3f4a5b6c7d"
#define UUID_B    "f47ac10b-58cc-4372-a567-0e02b2c3d479"
#define HEAD_CNIC "3520212345678"

/* 2024-03-15 10:20:30 UTC */
static time_t day1(void)
{
    struct tm tm = {
        .tm_year = 124, .tm_mon = 2, .tm_mday = 15, .tm_hour = 10, .tm_min = 20, .tm_sec = 30};
    return timegm(&tm);
}

#define ONE_DAY ((time_t)24 * 60 * 60)

struct fixture {
    char path[256];
    struct db *db;
    struct household *h;
    struct registration_meta meta;
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

static struct cnic cnic_of(const char *text)
{
    struct cnic c;
    assert_int_equal(cnic_parse(text, NULL, &c), CNIC_OK);
    return c;
}

static struct person person(const char *name, enum relation rel, enum gender g, int y, int m, int d,
                            int age, const char *id)
{
    struct person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    p.relation = rel;
    p.gender = g;
    p.dob = (struct date){y, m, d};
    p.age = age;
    snprintf(p.id_number, sizeof p.id_number, "%s", id);
    return p;
}

/* Head plus MEMBERS people (up to 3 distinct ones, then repeats). */
static void fill_household(struct household *h, const char *cnic, size_t members)
{
    household_clear(h);
    *household_head_cnic(h) = cnic_of(cnic);
    *household_head(h) = person("Ayesha Bibi", REL_HEAD, GENDER_FEMALE, 1980, 5, 17, 43, cnic);
    snprintf(household_phone(h), PHONE_MAX, "%s", "03001234567");
    snprintf(household_address(h)->district, PLACE_NAME_MAX, "%s", "Lahore");
    snprintf(household_address(h)->tehsil, PLACE_NAME_MAX, "%s", "Model Town");
    household_housing(h)->rooms = 3;
    household_housing(h)->toilet = TOILET_FLUSH_PIT;
    household_housing(h)->water = WATER_HAND_PUMP;

    const struct person roster[] = {
        person("Muhammad Aslam", REL_SPOUSE, GENDER_MALE, 1975, 1, 2, 49, "3520298765431"),
        person("Bilal Aslam", REL_SON, GENDER_MALE, 2010, 12, 31, 13, ""),
        /* Only the age is known: no date of birth. */
        person("Zainab \xd8\xb2\xdb\x8c\xd9\x86\xd8\xa8", REL_DAUGHTER, GENDER_FEMALE, 0, 0, 0, 7,
               ""),
    };
    for (size_t i = 0; i < members; i++)
        assert_true(household_add_member(h, &roster[i % 3]) >= 0);
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

static struct tracking_id commit_ok(struct fixture *fx)
{
    struct tracking_id t;
    enum db_result r = registry_commit(fx->db, fx->h, &fx->meta, &t);
    if (r != DB_OK)
        fail_msg("registry_commit: %d %s", r, db_last_error(fx->db));
    return t;
}

static void assert_person_equal(const struct person *a, const struct person *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->relation, b->relation);
    assert_int_equal(a->gender, b->gender);
    assert_int_equal(a->dob.year, b->dob.year);
    assert_int_equal(a->dob.month, b->dob.month);
    assert_int_equal(a->dob.day, b->dob.day);
    assert_int_equal(a->age, b->age);
    assert_string_equal(a->id_number, b->id_number);
}

static void assert_household_equal(const struct household *a, const struct household *b)
{
    assert_string_equal(household_head_cnic_const(a)->digits, household_head_cnic_const(b)->digits);
    assert_person_equal(household_head_const(a), household_head_const(b));
    assert_string_equal(household_phone_const(a), household_phone_const(b));
    assert_string_equal(household_address_const(a)->district, household_address_const(b)->district);
    assert_string_equal(household_address_const(a)->tehsil, household_address_const(b)->tehsil);
    assert_int_equal(household_housing_const(a)->rooms, household_housing_const(b)->rooms);
    assert_int_equal(household_housing_const(a)->toilet, household_housing_const(b)->toilet);
    assert_int_equal(household_housing_const(a)->water, household_housing_const(b)->water);
    assert_int_equal(household_member_count(a), household_member_count(b));
    for (size_t i = 0; i < household_member_count(a); i++)
        assert_person_equal(household_member(a, i), household_member(b, i));
}

static void assert_nothing_stored(struct db *db)
{
    assert_int_equal(raw_int(db, "SELECT count(*) FROM registrations"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM households"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM members"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM outbox"), 0);
}

/* ------------------------------------------------------------------ tests */

static void commit_writes_everything_at_once(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 3);
    struct tracking_id t = commit_ok(fx);

    struct tracking_id parsed;
    assert_int_equal(tracking_parse(t.digits, &parsed), TRACKING_OK);
    assert_string_equal(t.digits, expected_id(KIOSK, day1(), 1).digits);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM households"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members"), 4);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members WHERE position = 0"
                                     " AND relation = 'head' AND name = 'Ayesha Bibi'"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT max(position) FROM members"), 3);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"
                                     " WHERE status = 'pending_sync' AND record_version = 1"
                                     " AND supersedes IS NULL AND record_uuid = '" UUID_A "'"
                                     " AND created_at = '2024-03-15T10:20:30Z'"
                                     " AND status_at = created_at AND kiosk_code = '" KIOSK "'"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox JOIN registrations r"
                                     " ON r.id = outbox.registration_id"
                                     " WHERE outbox.exported_at IS NULL"
                                     " AND outbox.acked_at IS NULL"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM households WHERE toilet = 'flush_pit'"
                                     " AND water = 'hand_pump' AND rooms = 3"),
                     1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members WHERE dob IS NULL"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members WHERE dob = '2010-12-31'"), 1);
}

static void sequence_counts_per_kiosk_per_day(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, "3520211111111", 1);
    next_uuid(fx);
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1(), 1).digits);
    fill_household(fx->h, "3520222222222", 1);
    next_uuid(fx);
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1(), 2).digits);

    /* A new UTC day starts again at 1... */
    fx->meta.now = day1() + ONE_DAY;
    fill_household(fx->h, "3520233333333", 1);
    next_uuid(fx);
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1() + ONE_DAY, 1).digits);

    /* ...and so does another kiosk on the first day. */
    fx->meta.now = day1();
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", "54321");
    fill_household(fx->h, "3520244444444", 1);
    next_uuid(fx);
    struct tracking_id t = commit_ok(fx);
    assert_string_equal(t.digits, expected_id("54321", day1(), 1).digits);

    /* Back at the first kiosk, the first day carries on where it was. */
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", KIOSK);
    fill_household(fx->h, "3520255555555", 1);
    next_uuid(fx);
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1(), 3).digits);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM tracking_sequence"), 3);
}

static void found_by_cnic_and_by_tracking(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 3);
    struct tracking_id t = commit_ok(fx);
    const struct cnic c = cnic_of(HEAD_CNIC);

    struct registration_summary by_cnic, by_tracking;
    assert_int_equal(registry_find_by_cnic(fx->db, &c, &by_cnic), DB_OK);
    assert_int_equal(registry_find_by_tracking(fx->db, &t, &by_tracking), DB_OK);
    const struct registration_summary *both[] = {&by_cnic, &by_tracking};
    for (size_t i = 0; i < 2; i++) {
        const struct registration_summary *s = both[i];
        assert_string_equal(s->tracking.digits, t.digits);
        assert_string_equal(s->cnic.digits, HEAD_CNIC);
        assert_int_equal(s->status, STATUS_PENDING_SYNC);
        assert_string_equal(s->status_date, "2024-03-15");
        assert_string_equal(s->registered_date, "2024-03-15");
        assert_string_equal(s->head_name, "Ayesha Bibi");
        assert_string_equal(s->record_uuid, UUID_A);
        assert_int_equal(s->record_version, 1);
    }

    /* The status changes centrally; the summary follows it. */
    raw_exec(fx->db, "UPDATE registrations SET status = 'eligible',"
                     " status_at = '2024-04-02T08:00:00Z'");
    assert_int_equal(registry_find_by_cnic(fx->db, &c, &by_cnic), DB_OK);
    assert_int_equal(by_cnic.status, STATUS_ELIGIBLE);
    assert_string_equal(by_cnic.status_date, "2024-04-02");
    assert_string_equal(by_cnic.registered_date, "2024-03-15");
}

static void unknown_is_not_found(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 0);
    struct tracking_id t = commit_ok(fx);

    struct registration_summary s;
    const struct cnic other = cnic_of("4210112345671");
    assert_int_equal(registry_find_by_cnic(fx->db, &other, &s), DB_NOT_FOUND);
    struct tracking_id unknown = expected_id(KIOSK, day1(), 2);
    assert_int_not_equal(strcmp(unknown.digits, t.digits), 0);
    assert_int_equal(registry_find_by_tracking(fx->db, &unknown, &s), DB_NOT_FOUND);
    struct household *h = household_new();
    assert_non_null(h);
    assert_int_equal(registry_load_household(fx->db, &other, h), DB_NOT_FOUND);
    household_free(h);
}

static void update_is_a_new_version(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 3);
    struct tracking_id first = commit_ok(fx);

    /* Next day: the family has moved and a child was born. */
    fx->meta.now = day1() + ONE_DAY;
    snprintf(fx->meta.record_uuid, sizeof fx->meta.record_uuid, "%s", UUID_B);
    snprintf(household_phone(fx->h), PHONE_MAX, "%s", "03219876543");
    struct person baby = person("Fatima Aslam", REL_DAUGHTER, GENDER_FEMALE, 2024, 3, 1, 0, "");
    assert_true(household_add_member(fx->h, &baby) >= 0);
    struct tracking_id second = commit_ok(fx);
    assert_string_equal(second.digits, expected_id(KIOSK, day1() + ONE_DAY, 1).digits);

    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations AS n"
                                     " JOIN registrations AS o ON n.supersedes = o.id"
                                     " WHERE n.record_version = 2 AND o.record_version = 1"
                                     " AND n.record_uuid = o.record_uuid"
                                     " AND n.record_uuid = '" UUID_A "'"),
                     1);

    const struct cnic c = cnic_of(HEAD_CNIC);
    struct registration_summary s;
    assert_int_equal(registry_find_by_cnic(fx->db, &c, &s), DB_OK);
    assert_string_equal(s.tracking.digits, second.digits);
    assert_int_equal(s.record_version, 2);
    assert_string_equal(s.record_uuid, UUID_A);
    assert_string_equal(s.registered_date, "2024-03-16");

    /* The first receipt still answers, as the older version. */
    assert_int_equal(registry_find_by_tracking(fx->db, &first, &s), DB_OK);
    assert_int_equal(s.record_version, 1);

    struct household *loaded = household_new();
    assert_non_null(loaded);
    assert_int_equal(registry_load_household(fx->db, &c, loaded), DB_OK);
    assert_household_equal(loaded, fx->h);
    household_free(loaded);
}

static void household_round_trips(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 3);
    commit_ok(fx);

    struct household *loaded = household_new();
    assert_non_null(loaded);
    /* Loading clears whatever was there. */
    fill_household(loaded, "4210112345671", 2);
    const struct cnic c = cnic_of(HEAD_CNIC);
    assert_int_equal(registry_load_household(fx->db, &c, loaded), DB_OK);
    assert_household_equal(loaded, fx->h);
    assert_int_equal(household_member(loaded, 2)->dob.year, 0);
    assert_int_equal(household_member(loaded, 2)->age, 7);
    household_free(loaded);
}

/* Optional answers left blank come back blank, not as some default. */
static void blanks_round_trip(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 0);
    household_phone(fx->h)[0] = '\0';
    *household_housing(fx->h) = (struct housing){0, TOILET_NONE_GIVEN, WATER_NONE_GIVEN};
    struct person *head = household_head(fx->h);
    head->dob = (struct date){0, 0, 0};
    head->age = -1;
    head->id_number[0] = '\0';
    head->gender = GENDER_UNKNOWN;
    commit_ok(fx);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM households WHERE phone IS NULL"
                                     " AND rooms IS NULL AND toilet IS NULL AND water IS NULL"),
                     1);

    struct household *loaded = household_new();
    assert_non_null(loaded);
    const struct cnic c = cnic_of(HEAD_CNIC);
    assert_int_equal(registry_load_household(fx->db, &c, loaded), DB_OK);
    assert_household_equal(loaded, fx->h);
    household_free(loaded);
}

static void full_roster_round_trips(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, HOUSEHOLD_MEMBERS_MAX);
    commit_ok(fx);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members"), HOUSEHOLD_MEMBERS_MAX + 1);
    struct household *loaded = household_new();
    assert_non_null(loaded);
    const struct cnic c = cnic_of(HEAD_CNIC);
    assert_int_equal(registry_load_household(fx->db, &c, loaded), DB_OK);
    assert_household_equal(loaded, fx->h);
    household_free(loaded);
}

static void failed_commit_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    raw_exec(fx->db, "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox"
                     " BEGIN SELECT RAISE(ABORT, 'injected'); END;");
    fill_household(fx->h, HEAD_CNIC, 3);
    struct tracking_id t = {.digits = "untouched"};
    enum db_result r = registry_commit(fx->db, fx->h, &fx->meta, &t);
    assert_int_not_equal(r, DB_OK);
    assert_non_null(strstr(db_last_error(fx->db), "injected"));
    assert_string_equal(t.digits, "untouched");
    assert_nothing_stored(fx->db);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM tracking_sequence"), 0);
    assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));

    /* Once the fault is gone the same commit gets the number it would have. */
    raw_exec(fx->db, "DROP TRIGGER fail_outbox");
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1(), 1).digits);
}

static void exhausted_sequence_is_full(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 1);
    commit_ok(fx);
    raw_exec(fx->db, "UPDATE tracking_sequence SET last_seq = 9999");

    fill_household(fx->h, "4210112345671", 2);
    next_uuid(fx);
    struct tracking_id t;
    assert_int_equal(registry_commit(fx->db, fx->h, &fx->meta, &t), DB_FULL);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM registrations"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM households"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM members"), 2);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(raw_int(fx->db, "SELECT last_seq FROM tracking_sequence"), 9999);
    assert_true(sqlite3_get_autocommit(db_sqlite(fx->db)));

    /* Tomorrow there are numbers again. */
    fx->meta.now = day1() + ONE_DAY;
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1() + ONE_DAY, 1).digits);
}

static void last_number_of_the_day_is_usable(void **state)
{
    struct fixture *fx = *state;
    raw_exec(fx->db, "INSERT INTO tracking_sequence VALUES ('" KIOSK "', '2024-03-15', 9998)");
    fill_household(fx->h, HEAD_CNIC, 1);
    assert_string_equal(commit_ok(fx).digits, expected_id(KIOSK, day1(), 9999).digits);
}

static void bad_input_is_refused_before_writing(void **state)
{
    struct fixture *fx = *state;
    struct tracking_id t;
    fill_household(fx->h, HEAD_CNIC, 1);

    struct registration_meta bad = fx->meta;
    snprintf(bad.kiosk_code, sizeof bad.kiosk_code, "%s", "12a45");
    assert_int_equal(registry_commit(fx->db, fx->h, &bad, &t), DB_ERROR);

    bad = fx->meta;
    bad.record_uuid[0] = '\0';
    assert_int_equal(registry_commit(fx->db, fx->h, &bad, &t), DB_ERROR);

    struct household *h = household_new();
    assert_non_null(h);
    fill_household(h, HEAD_CNIC, 0);
    household_head(h)->relation = REL_COUNT; /* no code for it */
    assert_int_equal(registry_commit(fx->db, h, &fx->meta, &t), DB_ERROR);
    household_free(h);

    assert_int_equal(registry_commit(NULL, fx->h, &fx->meta, &t), DB_ERROR);
    assert_int_equal(registry_commit(fx->db, NULL, &fx->meta, &t), DB_ERROR);
    assert_nothing_stored(fx->db);
    assert_int_equal(raw_int(fx->db, "SELECT count(*) FROM tracking_sequence"), 0);
}

/* Statements are cached per connection; the cache must survive reopening. */
static void survives_reopen(void **state)
{
    struct fixture *fx = *state;
    fill_household(fx->h, HEAD_CNIC, 3);
    struct tracking_id t = commit_ok(fx);
    db_close(fx->db);
    fx->db = NULL;
    assert_int_equal(db_open(fx->path, &fx->db, NULL, 0), DB_OK);
    struct registration_summary s;
    assert_int_equal(registry_find_by_tracking(fx->db, &t, &s), DB_OK);
    assert_string_equal(s.head_name, "Ayesha Bibi");
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
    fx->h = household_new();
    snprintf(fx->meta.kiosk_code, sizeof fx->meta.kiosk_code, "%s", KIOSK);
    snprintf(fx->meta.record_uuid, sizeof fx->meta.record_uuid, "%s", UUID_A);
    fx->meta.now = day1();
    *state = fx;
    return fx->h ? 0 : -1;
}

static int close_fixture(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    household_free(fx->h);
    free(fx);
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, open_fresh, close_fixture)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(commit_writes_everything_at_once),
        T(sequence_counts_per_kiosk_per_day),
        T(found_by_cnic_and_by_tracking),
        T(unknown_is_not_found),
        T(update_is_a_new_version),
        T(household_round_trips),
        T(blanks_round_trip),
        T(full_roster_round_trips),
        T(failed_commit_leaves_nothing),
        T(exhausted_sequence_is_full),
        T(last_number_of_the_day_is_usable),
        T(bad_input_is_refused_before_writing),
        T(survives_reopen),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
