/*
 * bench_commit.c - measures one durable registration commit: registry_commit()
 * of a household (head + 4 members) through a db_open'ed file (WAL,
 * synchronous=FULL, foreign keys on), against the same rows written by
 * plain prepared statements in one BEGIN IMMEDIATE transaction on a second
 * fresh file with the same schema and pragmas: tracking_sequence upsert,
 * household, 5 members, registration, outbox row (registry_commit also
 * looks up an earlier registration for the CNIC and reads the sequence back;
 * the raw side skips the lookup, so the ratio includes it). Commits alternate
 * kiosk / raw, and which of them goes first, so drift in the disk's speed
 * falls on both equally; a bare write + fdatasync figure is printed for
 * scale, since fsync dominates.
 *
 * The files live under bench/out/ (the real disk, not a tmpfs) and are
 * removed before and after. Prints figures and a ratio; it must never
 * assert a wall-clock limit, never touch the kiosk's real database, and
 * never relax durability (no synchronous=OFF/NORMAL) on either side.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/db.h"
#include "db/registry.h"
#include "kiosk/cnic.h"
#include "kiosk/household.h"
#include "kiosk/status.h"
#include "kiosk/tracking.h"
#include "kiosk/uuid.h"

#define OUT_DIR    "bench/out"
#define KIOSK_DB   OUT_DIR "/commit-kiosk.db"
#define RAW_DB     OUT_DIR "/commit-raw.db"
#define FSYNC_FILE OUT_DIR "/commit-fsync.tmp"
#define WARMUPS    5
#define COMMITS    300
#define FSYNCS     100
#define KIOSK_CODE "00001"
#define TS_LEN     20
#define DAY_LEN    10

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int fail_sql(sqlite3 *conn, int rc, const char *what)
{
    fprintf(stderr, "bench_commit: %s: %s (%d)\n", what, conn ? sqlite3_errmsg(conn) : "", rc);
    return -1;
}

static void remove_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[256];
    for (size_t i = 0; i < COUNT(suffix); i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            fprintf(stderr, "bench_commit: cannot remove %s: %s\n", p, strerror(errno));
    }
}

/* ------------------------------------------------------------ household */

static void set_person(struct person *p, const char *name, enum relation rel, enum gender g,
                       int year, int month, int day, const char *id_number)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->relation = rel;
    p->gender = g;
    p->dob = (struct date){year, month, day};
    p->age = 2024 - year;
    snprintf(p->id_number, sizeof p->id_number, "%s", id_number);
}

/* The household every commit stores; only the head's CNIC changes. */
static struct household *make_household(void)
{
    struct household *h = household_new();
    if (!h)
        return NULL;
    set_person(household_head(h), "Muhammad Ali Khan", REL_HEAD, GENDER_MALE, 1980, 3, 14, "");
    snprintf(household_phone(h), PHONE_MAX, "%s", "03001234567");
    struct household_address *a = household_address(h);
    snprintf(a->district, sizeof a->district, "%s", "Lahore");
    snprintf(a->tehsil, sizeof a->tehsil, "%s", "Model Town");
    *household_housing(h) =
        (struct housing){.rooms = 3, .toilet = TOILET_FLUSH_SEWER, .water = WATER_TAP};
    struct person p;
    set_person(&p, "Ayesha Bibi", REL_SPOUSE, GENDER_FEMALE, 1984, 7, 2, "3520212345672");
    int bad = household_add_member(h, &p) < 0;
    set_person(&p, "Bilal Ali", REL_SON, GENDER_MALE, 2006, 1, 20, "3520298765431");
    bad |= household_add_member(h, &p) < 0;
    set_person(&p, "Sana Ali", REL_DAUGHTER, GENDER_FEMALE, 2010, 11, 5, "");
    bad |= household_add_member(h, &p) < 0;
    set_person(&p, "Ghulam Rasool", REL_PARENT, GENDER_MALE, 1950, 1, 1, "");
    bad |= household_add_member(h, &p) < 0;
    if (bad) {
        household_free(h);
        return NULL;
    }
    return h;
}

/* Distinct valid CNIC for commit I (region 3), so each is a new record. */
static void set_head_cnic(struct household *h, int i)
{
    struct cnic *c = household_head_cnic(h);
    snprintf(c->digits, sizeof c->digits, "35202%07d%d", i, i % 10);
    snprintf(household_head(h)->id_number, CNIC_DIGITS + 1, "%s", c->digits);
}

/* ------------------------------------------------------------ raw side */

enum raw_stmt {
    R_BEGIN,
    R_SEQ,
    R_GET_SEQ,
    R_HOUSEHOLD,
    R_MEMBER,
    R_REGISTRATION,
    R_OUTBOX,
    R_COMMIT,
    R_COUNT
};

static const char *const RAW_SQL[R_COUNT] = {
    "BEGIN IMMEDIATE",
    "INSERT INTO tracking_sequence (kiosk_code, day, last_seq) VALUES (?1, ?2, 1)"
    " ON CONFLICT (kiosk_code, day) DO UPDATE SET last_seq = last_seq + 1",
    /* Not RETURNING on the upsert: on SQLite 3.40 that measured ~8 us slower. */
    "SELECT last_seq FROM tracking_sequence WHERE kiosk_code = ?1 AND day = ?2",
    "INSERT INTO households (head_cnic, phone, district, tehsil, rooms, toilet, water, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO members (household_id, position, name, relation, gender, dob, age, id_number)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO registrations (tracking_id, cnic, household_id, kiosk_code, record_uuid,"
    " record_version, supersedes, status, status_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 1, NULL, ?6, ?7, ?7)",
    "INSERT INTO outbox (registration_id, created_at) VALUES (?1, ?2)",
    "COMMIT",
};

struct raw {
    sqlite3 *conn;
    sqlite3_stmt *st[R_COUNT];
};

static int bind_ok(struct raw *r, int rc)
{
    return rc == SQLITE_OK ? 0 : fail_sql(r->conn, rc, "binding a parameter");
}

/* Steps S to its end (after at most one row), resets it. */
static int step(struct raw *r, sqlite3_stmt *s, sqlite3_int64 *row_value, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (row_value)
            *row_value = sqlite3_column_int64(s, 0);
        rc = sqlite3_step(s);
    }
    int rc2 = sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return fail_sql(r->conn, rc, what);
    if (rc2 != SQLITE_OK)
        return fail_sql(r->conn, rc2, what);
    return 0;
}

static int bind_opt_text(struct raw *r, sqlite3_stmt *s, int idx, const char *t)
{
    if (!t || !*t)
        return bind_ok(r, sqlite3_bind_null(s, idx));
    return bind_ok(r, sqlite3_bind_text(s, idx, t, -1, SQLITE_STATIC));
}

static int raw_member(struct raw *r, sqlite3_int64 hid, int pos, const struct person *p)
{
    char dob[DAY_LEN + 1] = "";
    if (p->dob.year)
        snprintf(dob, sizeof dob, "%04d-%02d-%02d", p->dob.year, p->dob.month, p->dob.day);
    sqlite3_stmt *s = r->st[R_MEMBER];
    if (bind_ok(r, sqlite3_bind_int64(s, 1, hid)) || bind_ok(r, sqlite3_bind_int(s, 2, pos)) ||
        bind_ok(r, sqlite3_bind_text(s, 3, p->name, -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 4, relation_code(p->relation), -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 5, gender_code(p->gender), -1, SQLITE_STATIC)) ||
        bind_opt_text(r, s, 6, dob) ||
        bind_ok(r, p->age < 0 ? sqlite3_bind_null(s, 7) : sqlite3_bind_int(s, 7, p->age)) ||
        bind_opt_text(r, s, 8, p->id_number))
        return -1;
    return step(r, s, NULL, "inserting a member");
}

/* The transaction registry_commit makes, without the code around it. */
static int raw_body(struct raw *r, const struct household *h, const char *uuid, const char *now,
                    const char *day, const struct tm *utc)
{
    sqlite3_int64 seq = 0;
    sqlite3_stmt *s = r->st[R_SEQ];
    if (bind_ok(r, sqlite3_bind_text(s, 1, KIOSK_CODE, TRACKING_KIOSK_DIGITS, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 2, day, DAY_LEN, SQLITE_STATIC)) ||
        step(r, s, NULL, "allocating a tracking number"))
        return -1;
    s = r->st[R_GET_SEQ];
    if (bind_ok(r, sqlite3_bind_text(s, 1, KIOSK_CODE, TRACKING_KIOSK_DIGITS, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 2, day, DAY_LEN, SQLITE_STATIC)) ||
        step(r, s, &seq, "reading the tracking number"))
        return -1;
    struct tracking_id t;
    if (seq < 1 || seq > TRACKING_SEQ_MAX ||
        tracking_make(KIOSK_CODE, utc->tm_year + 1900, utc->tm_mon + 1, utc->tm_mday, (unsigned)seq,
                      &t) != 0) {
        fprintf(stderr, "bench_commit: no tracking ID for sequence %lld\n", (long long)seq);
        return -1;
    }

    const char *cnic = household_head_cnic_const(h)->digits;
    const struct household_address *a = household_address_const(h);
    const struct housing *hs = household_housing_const(h);
    s = r->st[R_HOUSEHOLD];
    if (bind_ok(r, sqlite3_bind_text(s, 1, cnic, CNIC_DIGITS, SQLITE_STATIC)) ||
        bind_opt_text(r, s, 2, household_phone_const(h)) ||
        bind_ok(r, sqlite3_bind_text(s, 3, a->district, -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 4, a->tehsil, -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_int(s, 5, hs->rooms)) ||
        bind_ok(r, sqlite3_bind_text(s, 6, toilet_code(hs->toilet), -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 7, water_code(hs->water), -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 8, now, TS_LEN, SQLITE_STATIC)) ||
        step(r, s, NULL, "inserting a household"))
        return -1;
    sqlite3_int64 hid = sqlite3_last_insert_rowid(r->conn);

    if (raw_member(r, hid, 0, household_head_const(h)) != 0)
        return -1;
    for (size_t i = 0; i < household_member_count(h); i++)
        if (raw_member(r, hid, (int)i + 1, household_member(h, i)) != 0)
            return -1;

    s = r->st[R_REGISTRATION];
    if (bind_ok(r, sqlite3_bind_text(s, 1, t.digits, TRACKING_DIGITS, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 2, cnic, CNIC_DIGITS, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_int64(s, 3, hid)) ||
        bind_ok(r, sqlite3_bind_text(s, 4, KIOSK_CODE, TRACKING_KIOSK_DIGITS, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 5, uuid, UUID_TEXT_LEN, SQLITE_STATIC)) ||
        bind_ok(r,
                sqlite3_bind_text(s, 6, reg_status_code(STATUS_PENDING_SYNC), -1, SQLITE_STATIC)) ||
        bind_ok(r, sqlite3_bind_text(s, 7, now, TS_LEN, SQLITE_STATIC)) ||
        step(r, s, NULL, "inserting a registration"))
        return -1;
    sqlite3_int64 rid = sqlite3_last_insert_rowid(r->conn);

    s = r->st[R_OUTBOX];
    if (bind_ok(r, sqlite3_bind_int64(s, 1, rid)) ||
        bind_ok(r, sqlite3_bind_text(s, 2, now, TS_LEN, SQLITE_STATIC)) ||
        step(r, s, NULL, "inserting an outbox row"))
        return -1;
    return 0;
}

static int raw_commit(struct raw *r, const struct household *h, const char *uuid, time_t when)
{
    struct tm utc;
    char now[TS_LEN + 1], day[DAY_LEN + 1];
    if (!gmtime_r(&when, &utc) || strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &utc) != TS_LEN)
        return -1;
    memcpy(day, now, DAY_LEN);
    day[DAY_LEN] = '\0';

    if (step(r, r->st[R_BEGIN], NULL, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (raw_body(r, h, uuid, now, day, &utc) != 0 ||
        step(r, r->st[R_COMMIT], NULL, "COMMIT") != 0) {
        if (!sqlite3_get_autocommit(r->conn))
            (void)sqlite3_exec(r->conn, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* A pragma's one-row answer must be WANT. */
static int pragma_is(sqlite3 *conn, const char *sql, const char *want)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail_sql(conn, rc, sql);
    }
    int ok = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        ok = t && strcmp((const char *)t, want) == 0;
    }
    sqlite3_finalize(st);
    if (!ok) {
        fprintf(stderr, "bench_commit: %s did not give %s\n", sql, want);
        return -1;
    }
    return 0;
}

/* The raw file gets the real schema from db_open, then its own connection
 * with the same pragmas the kiosk uses. */
static int raw_open(struct raw *r)
{
    struct db *db = NULL;
    char detail[256];
    if (db_open(RAW_DB, &db, detail, sizeof detail) != DB_OK) {
        fprintf(stderr, "bench_commit: db_open %s: %s\n", RAW_DB, detail);
        return -1;
    }
    db_close(db);

    int rc = sqlite3_open_v2(RAW_DB, &r->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return fail_sql(r->conn, rc, "opening the raw file");
    if (pragma_is(r->conn, "PRAGMA journal_mode = WAL", "wal") ||
        sqlite3_exec(r->conn, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK ||
        pragma_is(r->conn, "PRAGMA synchronous", "2") ||
        sqlite3_exec(r->conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        pragma_is(r->conn, "PRAGMA foreign_keys", "1"))
        return -1;
    for (int k = 0; k < R_COUNT; k++) {
        rc =
            sqlite3_prepare_v3(r->conn, RAW_SQL[k], -1, SQLITE_PREPARE_PERSISTENT, &r->st[k], NULL);
        if (rc != SQLITE_OK)
            return fail_sql(r->conn, rc, "preparing a raw insert");
    }
    return 0;
}

static void raw_close(struct raw *r)
{
    for (int k = 0; k < R_COUNT; k++)
        sqlite3_finalize(r->st[k]);
    sqlite3_close_v2(r->conn);
}

/* ----------------------------------------------------------- reporting */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct stats {
    double mean, median, p90, max;
};

static struct stats summarise(const double *samples, size_t n)
{
    double v[COMMITS > FSYNCS ? COMMITS : FSYNCS];
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = samples[i];
        sum += v[i];
    }
    qsort(v, n, sizeof v[0], cmp_double);
    size_t p90 = (size_t)(0.9 * (double)n + 0.999999);
    struct stats st = {
        .mean = sum / (double)n,
        .median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0,
        .p90 = v[(p90 ? p90 : 1) - 1],
        .max = v[n - 1],
    };
    return st;
}

/* A 4 KiB write + fdatasync, the floor under any durable commit here. */
static int fsync_floor(double *samples)
{
    int fd = open(FSYNC_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "bench_commit: cannot create %s: %s\n", FSYNC_FILE, strerror(errno));
        return -1;
    }
    char block[4096];
    memset(block, 'x', sizeof block);
    int rc = 0;
    for (int i = 0; i < FSYNCS && rc == 0; i++) {
        double t0 = now_ms();
        if (pwrite(fd, block, sizeof block, (off_t)i * (off_t)sizeof block) !=
                (ssize_t)sizeof block ||
            fdatasync(fd) != 0) {
            fprintf(stderr, "bench_commit: write/fdatasync: %s\n", strerror(errno));
            rc = -1;
        }
        samples[i] = now_ms() - t0;
    }
    if (close(fd) != 0)
        rc = -1;
    unlink(FSYNC_FILE);
    return rc;
}

static long count_rows(const char *path, const char *sql)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(conn, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close_v2(conn);
    return n;
}

/* ---------------------------------------------------------------- main */

static int bench(struct db *db, struct raw *raw, struct household *h)
{
    static double ks[COMMITS], rs[COMMITS], fs[FSYNCS];
    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    memcpy(meta.kiosk_code, KIOSK_CODE, sizeof meta.kiosk_code);
    meta.now = time(NULL);

    printf("commit: write + fdatasync floor, %d times\n", FSYNCS);
    fflush(stdout);
    if (fsync_floor(fs) != 0)
        return -1;

    printf("commit: %d warm-up + %d timed commits each, alternating kiosk / raw\n", WARMUPS,
           COMMITS);
    fflush(stdout);
    for (int i = 0; i < WARMUPS + COMMITS; i++) {
        set_head_cnic(h, i);
        if (uuid_v4(meta.record_uuid, sizeof meta.record_uuid) != 0) {
            fprintf(stderr, "bench_commit: uuid_v4 failed\n");
            return -1;
        }
        /* Which side goes first alternates too, so neither always follows
         * the other's fsync. */
        double kt = 0, rt = 0;
        for (int side = 0; side < 2; side++) {
            int kiosk_now = (side == 0) == (i % 2 == 0);
            struct tracking_id t;
            double t0 = now_ms();
            if (kiosk_now) {
                enum db_result r = registry_commit(db, h, &meta, &t);
                kt = now_ms() - t0;
                if (r != DB_OK) {
                    fprintf(stderr, "bench_commit: registry_commit: %s\n", db_last_error(db));
                    return -1;
                }
            } else {
                int rr = raw_commit(raw, h, meta.record_uuid, meta.now);
                rt = now_ms() - t0;
                if (rr != 0)
                    return -1;
            }
        }
        if (i >= WARMUPS) {
            ks[i - WARMUPS] = kt;
            rs[i - WARMUPS] = rt;
        }
        if ((i + 1 - WARMUPS) % 100 == 0 && i >= WARMUPS) {
            printf("commit: %d/%d\n", i + 1 - WARMUPS, COMMITS);
            fflush(stdout);
        }
    }

    long want = WARMUPS + COMMITS;
    static const char SQL_CHECK[] = "SELECT (SELECT count(*) FROM registrations) * 1000000 +"
                                    " (SELECT count(*) FROM members)";
    long kc = count_rows(KIOSK_DB, SQL_CHECK), rc = count_rows(RAW_DB, SQL_CHECK);
    if (kc != want * 1000000 + want * 5 || rc != kc) {
        fprintf(stderr, "bench_commit: row counts differ (kiosk %ld, raw %ld, want %ld)\n", kc, rc,
                want * 1000000 + want * 5);
        return -1;
    }

    struct stats k = summarise(ks, COMMITS), r = summarise(rs, COMMITS), f = summarise(fs, FSYNCS);
    printf("\ndurable commit, household of 5, WAL + synchronous=FULL, %d commits each\n", COMMITS);
    printf("  %-40s %9s %9s %9s %9s\n", "", "mean ms", "median", "p90", "max");
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "registry_commit()", k.mean, k.median, k.p90,
           k.max);
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "raw prepared statements, one transaction", r.mean,
           r.median, r.p90, r.max);
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "(4 KiB write + fdatasync, for scale)", f.mean,
           f.median, f.p90, f.max);
    double ratio = r.mean > 0 ? k.mean / r.mean : 0.0;
    printf("  ratio registry/raw: %.2fx mean, %.2fx median\n", ratio,
           r.median > 0 ? k.median / r.median : 0.0);
    printf("SUMMARY|durable commit (5 persons)|registry_commit/raw (mean)|%.2f ms|%.2f ms|%.2f\n",
           k.mean, r.mean, ratio);
    return 0;
}

int main(void)
{
    if (mkdir(OUT_DIR, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_commit: cannot create %s: %s\n", OUT_DIR, strerror(errno));
        return 1;
    }
    remove_db(KIOSK_DB);
    remove_db(RAW_DB);

    int rc = 1;
    struct db *db = NULL;
    struct raw raw = {0};
    struct household *h = make_household();
    char detail[256];
    if (!h) {
        fprintf(stderr, "bench_commit: cannot build the household\n");
    } else if (db_open(KIOSK_DB, &db, detail, sizeof detail) != DB_OK) {
        fprintf(stderr, "bench_commit: db_open %s: %s\n", KIOSK_DB, detail);
    } else if (raw_open(&raw) == 0) {
        rc = bench(db, &raw, h) == 0 ? 0 : 1;
    }
    raw_close(&raw);
    db_close(db);
    household_free(h);
    remove_db(KIOSK_DB);
    remove_db(RAW_DB);
    return rc;
}
