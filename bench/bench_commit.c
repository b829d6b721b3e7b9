/*
 * bench_commit.c - measures one durable confirmation: registry_confirm() of
 * a draft (head + 4 members, 78 answers, a score) through a db_open'ed file
 * (WAL, synchronous=FULL, foreign keys and secure_delete on), against the
 * same rows written by plain prepared statements in one BEGIN IMMEDIATE
 * transaction on a second fresh file with the same schema and pragmas:
 * tracking sequence read and upsert, registration row, 78 answer rows,
 * score row, outbox row, and the draft's deletion (which cascades to its
 * members and answers). registry_confirm also reads the draft's row and
 * looks up an earlier registration for the CNIC; the raw side skips both,
 * so the ratio includes them.
 *
 * The drafts are built beforehand through the draft store (untimed), on
 * both files alike, and each draft's answers are loaded just before its
 * confirmation, as the review screen would hand them over. Confirmations
 * alternate kiosk / raw, and which of them goes first, so drift in the
 * disk's speed falls on both equally; a bare write + fdatasync figure is
 * printed for scale, since fsync dominates.
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
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/status.h"
#include "kiosk/tracking.h"
#include "kiosk/uuid.h"

#define OUT_DIR    "bench/out"
#define KIOSK_DB   OUT_DIR "/commit-kiosk.db"
#define RAW_DB     OUT_DIR "/commit-raw.db"
#define FSYNC_FILE OUT_DIR "/commit-fsync.tmp"
#define WARMUPS    5
#define COMMITS    200
#define ROUNDS     (WARMUPS + COMMITS)
#define FSYNCS     100
#define KIOSK_CODE "00001"
#define QID        "nser_household"
#define QVERSION   "2024.1"
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

static int fail_db(struct db *db, const char *what)
{
    fprintf(stderr, "bench_commit: %s: %s\n", what, db_last_error(db));
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

/* Household-level answers: address, housing, assets, land, livestock. */
static const char *const HOUSEHOLD[][2] = {
    {"province", "punjab"},
    {"district", "lahore"},
    {"tehsil", "model_town"},
    {"union_council", "uc_142"},
    {"locality", "Gulshan"},
    {"urban", "yes"},
    {"phone", "03001234567"},
    {"ownership", "owned"},
    {"rooms", "3"},
    {"walls", "baked_bricks"},
    {"roof", "rcc"},
    {"toilet", "flush_sewer"},
    {"water", "tap"},
    {"cooking_fuel", "gas"},
    {"lighting", "electricity"},
    {"fridge", "yes"},
    {"television", "yes"},
    {"motorcycle", "yes"},
    {"land_acres", "0"},
    {"buffaloes", "0"},
};

/* Twelve answers per person. */
static const char *const PERSON_Q[] = {
    "name",      "relation",  "gender",       "dob",      "age",        "marital",
    "id_number", "in_school", "class_passed", "literate", "occupation", "disability",
};

static const char *const PEOPLE[5][12] = {
    {"Muhammad Ali Khan", "head", "male", "1980-03-14", "44", "married", "3520212345671", "no",
     "10", "yes", "driver", "none"},
    {"Ayesha Bibi", "spouse", "female", "1984-07-02", "39", "married", "3520212345672", "no", "5",
     "yes", "housewife", "none"},
    {"Bilal Ali", "son", "male", "2006-01-20", "18", "never_married", "3520298765431", "yes", "11",
     "yes", "student", "none"},
    {"Sana Ali", "daughter", "female", "2010-11-05", "13", "never_married", "", "yes", "7", "yes",
     "student", "none"},
    {"Ghulam Rasool", "parent", "male", "1950-01-01", "74", "widowed", "", "no", "0", "no", "none",
     "seeing"},
};

/* What a household stores: its non-empty answers (a blank is no answer). */
static size_t answers_per_household(void)
{
    size_t n = COUNT(HOUSEHOLD);
    for (size_t p = 0; p < COUNT(PEOPLE); p++)
        for (size_t q = 0; q < COUNT(PERSON_Q); q++)
            n += PEOPLE[p][q][0] != '\0';
    return n;
}

/* Round I's head CNIC: each round is a new household. */
static void head_cnic(int i, char out[14])
{
    snprintf(out, 14, "35202%07u%u", (unsigned)i % 10000000u, (unsigned)i % 10u);
}

/* A draft for round I's household, built through the store. */
static int build_draft(struct db *db, int i, int64_t *id)
{
    char cnic[14];
    head_cnic(i, cnic);
    time_t now = time(NULL);
    struct draft_info d;
    if (drafts_create(db, cnic, QID, QVERSION, now, &d) != DB_OK)
        return fail_db(db, "drafts_create");
    for (size_t q = 0; q < COUNT(HOUSEHOLD); q++)
        if (drafts_set_answer(db, d.id, ANSWERS_HOUSEHOLD, HOUSEHOLD[q][0], HOUSEHOLD[q][1], now) !=
            DB_OK)
            return fail_db(db, "drafts_set_answer");
    for (int p = 0; p < 5; p++) {
        int position = 0;
        if (p > 0 && drafts_add_member(db, d.id, now, &position) != DB_OK)
            return fail_db(db, "drafts_add_member");
        for (size_t q = 0; q < COUNT(PERSON_Q); q++)
            if (drafts_set_answer(db, d.id, position, PERSON_Q[q], PEOPLE[p][q], now) != DB_OK)
                return fail_db(db, "drafts_set_answer");
    }
    *id = d.id;
    return 0;
}

static void fill_score(struct registration_score *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->table_id, sizeof s->table_id, "%s", "schreiner_pk_2009");
    snprintf(s->table_version, sizeof s->table_version, "%s", "1");
    s->score = 38.0;
    snprintf(s->breakdown, sizeof s->breakdown, "%s",
             "province\tpunjab\t12\nchildren_13\t1\t22\nschool\tyes\t5\nelementary\t1\t5\n"
             "female_class\t5\t6\nwater\ttap\t3\ntoilet\tflush_sewer\t4\nfridge\tyes\t12\n"
             "television\tyes\t3\nvehicle\tyes\t12\n");
    snprintf(s->thresholds_id, sizeof s->thresholds_id, "%s", "bisp_programmes");
    snprintf(s->thresholds_version, sizeof s->thresholds_version, "%s", "2024.03");
    snprintf(s->decisions, sizeof s->decisions, "%s",
             "kafaalat\tnot_eligible\ntaleemi_wazaif\tnot_eligible\n");
}

/* ------------------------------------------------------------ raw side */

enum raw_stmt {
    R_BEGIN,
    R_GET_SEQ,
    R_SET_SEQ,
    R_REGISTRATION,
    R_ANSWER,
    R_SCORE,
    R_OUTBOX,
    R_DELETE_DRAFT,
    R_COMMIT,
    R_COUNT
};

static const char *const RAW_SQL[R_COUNT] = {
    "BEGIN IMMEDIATE",
    "SELECT last_seq FROM tracking_sequence WHERE kiosk_code = ?1 AND day = ?2",
    "INSERT INTO tracking_sequence (kiosk_code, day, last_seq) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (kiosk_code, day) DO UPDATE SET last_seq = excluded.last_seq",
    "INSERT INTO registrations (tracking_id, cnic, kiosk_code, record_uuid, record_version,"
    " supersedes, head_name, questionnaire_id, questionnaire_version, member_count, status,"
    " status_at, created_at) VALUES (?1, ?2, ?3, ?4, 1, NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    "INSERT INTO registration_answers (registration_id, member, question, value)"
    " VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO scores (registration_id, table_id, table_version, score, breakdown,"
    " thresholds_id, thresholds_version, decisions, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    "INSERT INTO outbox (registration_id, created_at) VALUES (?1, ?2)",
    "DELETE FROM drafts WHERE id = ?1",
    "COMMIT",
};

struct raw {
    sqlite3 *conn;
    sqlite3_stmt *st[R_COUNT];
};

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
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return fail_sql(r->conn, rc, what);
    if (rc2 != SQLITE_OK)
        return fail_sql(r->conn, rc2, what);
    return 0;
}

static int bound(struct raw *r, int rc)
{
    return rc == SQLITE_OK ? 0 : fail_sql(r->conn, rc, "binding a parameter");
}

static int bind_text(struct raw *r, sqlite3_stmt *s, int idx, const char *t)
{
    return bound(r, sqlite3_bind_text(s, idx, t, -1, SQLITE_STATIC));
}

static int bind_opt(struct raw *r, sqlite3_stmt *s, int idx, const char *t)
{
    return *t ? bind_text(r, s, idx, t) : bound(r, sqlite3_bind_null(s, idx));
}

static int raw_answers(struct raw *r, sqlite3_int64 rid, const struct answers *a, int member)
{
    const char *qid, *value;
    sqlite3_stmt *s = r->st[R_ANSWER];
    for (size_t i = 0; answers_at(a, member, i, &qid, &value); i++) {
        if (bound(r, sqlite3_bind_int64(s, 1, rid)) || bound(r, sqlite3_bind_int(s, 2, member)) ||
            bind_text(r, s, 3, qid) || bind_text(r, s, 4, value) ||
            step(r, s, NULL, "inserting an answer"))
            return -1;
    }
    return 0;
}

/* The transaction registry_confirm makes, without the code around it. */
static int raw_body(struct raw *r, int64_t draft, const char *cnic, const struct answers *a,
                    const struct registration_score *sc, const struct registration_meta *m,
                    const char *now, const char *day, const struct tm *utc)
{
    sqlite3_int64 seq = 0;
    sqlite3_stmt *s = r->st[R_GET_SEQ];
    if (bind_text(r, s, 1, KIOSK_CODE) || bind_text(r, s, 2, day) ||
        step(r, s, &seq, "reading the tracking number"))
        return -1;
    seq++;
    s = r->st[R_SET_SEQ];
    if (bind_text(r, s, 1, KIOSK_CODE) || bind_text(r, s, 2, day) ||
        bound(r, sqlite3_bind_int64(s, 3, seq)) || step(r, s, NULL, "storing the tracking number"))
        return -1;
    struct tracking_id t;
    if (seq > TRACKING_SEQ_MAX || tracking_make(KIOSK_CODE, utc->tm_year + 1900, utc->tm_mon + 1,
                                                utc->tm_mday, (unsigned)seq, &t) != 0) {
        fprintf(stderr, "bench_commit: no tracking ID for sequence %lld\n", (long long)seq);
        return -1;
    }

    s = r->st[R_REGISTRATION];
    if (bind_text(r, s, 1, t.digits) || bind_text(r, s, 2, cnic) ||
        bind_text(r, s, 3, KIOSK_CODE) || bind_text(r, s, 4, m->record_uuid) ||
        bind_text(r, s, 5, m->head_name) || bind_text(r, s, 6, QID) ||
        bind_text(r, s, 7, QVERSION) ||
        bound(r, sqlite3_bind_int64(s, 8, (sqlite3_int64)answers_member_count(a))) ||
        bind_text(r, s, 9, reg_status_code(STATUS_PENDING_SYNC)) || bind_text(r, s, 10, now) ||
        step(r, s, NULL, "inserting a registration"))
        return -1;
    sqlite3_int64 rid = sqlite3_last_insert_rowid(r->conn);

    if (raw_answers(r, rid, a, ANSWERS_HOUSEHOLD) != 0)
        return -1;
    for (size_t i = 0; i < answers_member_count(a); i++)
        if (raw_answers(r, rid, a, (int)i) != 0)
            return -1;

    s = r->st[R_SCORE];
    if (bound(r, sqlite3_bind_int64(s, 1, rid)) || bind_text(r, s, 2, sc->table_id) ||
        bind_text(r, s, 3, sc->table_version) || bound(r, sqlite3_bind_double(s, 4, sc->score)) ||
        bind_text(r, s, 5, sc->breakdown) || bind_opt(r, s, 6, sc->thresholds_id) ||
        bind_opt(r, s, 7, sc->thresholds_version) || bind_text(r, s, 8, sc->decisions) ||
        bind_text(r, s, 9, now) || step(r, s, NULL, "inserting a score"))
        return -1;

    s = r->st[R_OUTBOX];
    if (bound(r, sqlite3_bind_int64(s, 1, rid)) || bind_text(r, s, 2, now) ||
        step(r, s, NULL, "inserting an outbox row"))
        return -1;

    s = r->st[R_DELETE_DRAFT];
    if (bound(r, sqlite3_bind_int64(s, 1, draft)) || step(r, s, NULL, "deleting the draft"))
        return -1;
    return 0;
}

/* CNIC is the draft's head CNIC, which registry_confirm reads from the draft row. */
static int raw_confirm(struct raw *r, int64_t draft, const char *cnic, const struct answers *a,
                       const struct registration_score *sc, const struct registration_meta *m)
{
    struct tm utc;
    char now[TS_LEN + 1], day[DAY_LEN + 1];
    if (!gmtime_r(&m->now, &utc) || strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &utc) != TS_LEN)
        return -1;
    memcpy(day, now, DAY_LEN);
    day[DAY_LEN] = '\0';

    if (step(r, r->st[R_BEGIN], NULL, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (raw_body(r, draft, cnic, a, sc, m, now, day, &utc) != 0 ||
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

/* The raw file's own connection, with the pragmas the kiosk uses. */
static int raw_open(struct raw *r)
{
    int rc = sqlite3_open_v2(RAW_DB, &r->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return fail_sql(r->conn, rc, "opening the raw file");
    if (pragma_is(r->conn, "PRAGMA journal_mode = WAL", "wal") ||
        sqlite3_exec(r->conn, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK ||
        pragma_is(r->conn, "PRAGMA synchronous", "2") ||
        sqlite3_exec(r->conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        pragma_is(r->conn, "PRAGMA foreign_keys", "1") ||
        sqlite3_exec(r->conn, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK ||
        pragma_is(r->conn, "PRAGMA secure_delete", "1"))
        return -1;
    sqlite3_busy_timeout(r->conn, 5000);
    for (int k = 0; k < R_COUNT; k++) {
        rc =
            sqlite3_prepare_v3(r->conn, RAW_SQL[k], -1, SQLITE_PREPARE_PERSISTENT, &r->st[k], NULL);
        if (rc != SQLITE_OK)
            return fail_sql(r->conn, rc, "preparing a raw statement");
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
    double v[COMMITS > FSYNCS ? COMMITS : FSYNCS] = {0};
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

struct sides {
    struct db *kiosk;   /* measured: registry_confirm */
    struct db *rawdb;   /* builds the raw file's drafts (untimed) */
    struct raw raw;     /* measured: the same rows, raw */
    int64_t kd[ROUNDS]; /* drafts, per round */
    int64_t rd[ROUNDS];
};

static int build_drafts(struct sides *s)
{
    printf("commit: building %d drafts of %zu answers on each file (untimed)\n", ROUNDS,
           answers_per_household());
    fflush(stdout);
    for (int i = 0; i < ROUNDS; i++)
        if (build_draft(s->kiosk, i, &s->kd[i]) != 0 || build_draft(s->rawdb, i, &s->rd[i]) != 0)
            return -1;
    return 0;
}

static int bench(struct sides *s, struct answers *a)
{
    static double ks[COMMITS], rs[COMMITS], fs[FSYNCS];
    struct registration_meta meta;
    memset(&meta, 0, sizeof meta);
    memcpy(meta.kiosk_code, KIOSK_CODE, sizeof meta.kiosk_code);
    snprintf(meta.head_name, sizeof meta.head_name, "%s", PEOPLE[0][0]);
    snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "%s", QID);
    snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "%s", QVERSION);
    meta.now = time(NULL);
    struct registration_score score;
    fill_score(&score);

    printf("commit: write + fdatasync floor, %d times\n", FSYNCS);
    fflush(stdout);
    if (fsync_floor(fs) != 0)
        return -1;
    if (build_drafts(s) != 0)
        return -1;

    printf("commit: %d warm-up + %d timed confirmations each, alternating kiosk / raw\n", WARMUPS,
           COMMITS);
    fflush(stdout);
    for (int i = 0; i < ROUNDS; i++) {
        if (uuid_v4(meta.record_uuid, sizeof meta.record_uuid) != 0) {
            fprintf(stderr, "bench_commit: uuid_v4 failed\n");
            return -1;
        }
        /* Which side goes first alternates too, so neither always follows
         * the other's fsync. */
        double kt = 0, rt = 0;
        for (int side = 0; side < 2; side++) {
            int kiosk_now = (side == 0) == (i % 2 == 0);
            struct db *from = kiosk_now ? s->kiosk : s->rawdb;
            int64_t draft = kiosk_now ? s->kd[i] : s->rd[i];
            if (drafts_load_all(from, draft, a, NULL, 0) != DB_OK)
                return fail_db(from, "drafts_load_all");
            struct tracking_id t;
            double t0 = now_ms();
            if (kiosk_now) {
                enum db_result r = registry_confirm(s->kiosk, draft, a, &score, &meta, &t);
                kt = now_ms() - t0;
                if (r != DB_OK)
                    return fail_db(s->kiosk, "registry_confirm");
            } else {
                char cnic[14];
                head_cnic(i, cnic);
                int rr = raw_confirm(&s->raw, draft, cnic, a, &score, &meta);
                rt = now_ms() - t0;
                if (rr != 0)
                    return -1;
            }
        }
        if (i >= WARMUPS) {
            ks[i - WARMUPS] = kt;
            rs[i - WARMUPS] = rt;
        }
        if (i >= WARMUPS && (i + 1 - WARMUPS) % 50 == 0) {
            printf("commit: %d/%d\n", i + 1 - WARMUPS, COMMITS);
            fflush(stdout);
        }
    }

    long want = (long)ROUNDS * 1000000 + (long)ROUNDS * (long)answers_per_household();
    static const char SQL_CHECK[] = "SELECT (SELECT count(*) FROM registrations) * 1000000 +"
                                    " (SELECT count(*) FROM registration_answers) +"
                                    " (SELECT count(*) FROM drafts) * 1000000000";
    long kc = count_rows(KIOSK_DB, SQL_CHECK), rc = count_rows(RAW_DB, SQL_CHECK);
    if (kc != want || rc != kc) {
        fprintf(stderr, "bench_commit: row counts differ (kiosk %ld, raw %ld, want %ld)\n", kc, rc,
                want);
        return -1;
    }

    struct stats k = summarise(ks, COMMITS), r = summarise(rs, COMMITS), f = summarise(fs, FSYNCS);
    printf("\ndurable confirmation, household of 5 (%zu answers) + score,"
           " WAL + synchronous=FULL, %d each\n",
           answers_per_household(), COMMITS);
    printf("  %-40s %9s %9s %9s %9s\n", "", "mean ms", "median", "p90", "max");
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "registry_confirm()", k.mean, k.median, k.p90,
           k.max);
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "raw prepared statements, one transaction", r.mean,
           r.median, r.p90, r.max);
    printf("  %-40s %9.3f %9.3f %9.3f %9.3f\n", "(4 KiB write + fdatasync, for scale)", f.mean,
           f.median, f.p90, f.max);
    double ratio = r.mean > 0 ? k.mean / r.mean : 0.0;
    printf("  ratio registry/raw: %.2fx mean, %.2fx median\n", ratio,
           r.median > 0 ? k.median / r.median : 0.0);
    printf("SUMMARY|durable confirm (5 persons)|registry_confirm/raw (mean)|%.2f ms|%.2f ms|%.2f\n",
           k.mean, r.mean, ratio);
    return 0;
}

static int open_store(const char *path, struct db **db)
{
    char detail[256];
    if (db_open(path, db, detail, sizeof detail) != DB_OK) {
        fprintf(stderr, "bench_commit: db_open %s: %s\n", path, detail);
        return -1;
    }
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
    static struct sides s;
    struct answers *a = answers_new();
    if (!a)
        fprintf(stderr, "bench_commit: out of memory\n");
    else if (open_store(KIOSK_DB, &s.kiosk) == 0 && open_store(RAW_DB, &s.rawdb) == 0 &&
             raw_open(&s.raw) == 0)
        rc = bench(&s, a) == 0 ? 0 : 1;
    raw_close(&s.raw);
    db_close(s.rawdb);
    db_close(s.kiosk);
    answers_free(a);
    remove_db(KIOSK_DB);
    remove_db(RAW_DB);
    return rc;
}
