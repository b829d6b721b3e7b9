/*
 * bench_roster.c - measures what adding the kth member to a draft costs,
 * for k = 1 to 100, to show that the 100th costs what the first did (the
 * issue's demand: peers freeze at ~100 members).
 *
 * One step is what the roster screen does for a new member: drafts_add_member,
 * 15 drafts_set_answer (each its own durable transaction, as at the kiosk),
 * the roster page that shows the new member (drafts_roster_page, 10 rows,
 * 4 columns) and drafts_load_member to open it for editing. Every step of
 * every draft is timed; DRAFTS drafts of 100 members are filled one after
 * another in one file, and the first step of the next draft is measured
 * next to the 100th of the current one (alternating which goes first), so
 * drift in the disk's speed falls on both alike. The figures are medians
 * over the drafts; the writes (16 fsync'd commits) and the reads (page +
 * load) are also shown apart, since the fsyncs dominate the total and
 * could hide a read that grows with the roster. The reads are compared
 * between the 10th and the 100th member, both shown on a full page (the
 * 1st member's page has only the head and itself). An optional argument
 * sets the number of drafts.
 *
 * The file lives under bench/out/ (the real disk) and is removed before and
 * after. Prints figures and ratios; it must never assert a wall-clock
 * limit, never touch the kiosk's real database, and never relax durability.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/drafts.h"
#include "kiosk/answers.h"

#define OUT_DIR    "bench/out"
#define DB_PATH    OUT_DIR "/roster.db"
#define DRAFTS     30
#define DRAFTS_MAX 200
#define MEMBERS    100 /* head excluded: k = 1..MEMBERS */
#define PAGE       10

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The member questions a roster step answers, with plausible values. */
static const char *const QUESTIONS[][2] = {
    {"name", "Muhammad Bilal Aslam"},
    {"relation", "son"},
    {"gender", "male"},
    {"dob", "2010-12-31"},
    {"age", "13"},
    {"marital", "never_married"},
    {"id_number", "3520298765431"},
    {"in_school", "yes"},
    {"class_passed", "7"},
    {"literate", "yes"},
    {"occupation", "student"},
    {"disability", "none"},
    {"disability_severity", "none"},
    {"phone", "03001234567"},
    {"remarks", "lives with the household"},
};
_Static_assert(COUNT(QUESTIONS) == 15, "a roster step answers 15 questions");

static const char *const COLS[] = {"name", "relation", "age", "gender"};

struct step_ms {
    double total, writes, reads;
};

/* Per draft, per k (1-based; index 0 unused). */
static struct step_ms samples[DRAFTS_MAX][MEMBERS + 1];

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[256];
    for (size_t i = 0; i < COUNT(suffix); i++) {
        snprintf(p, sizeof p, "%s%s", DB_PATH, suffix[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            fprintf(stderr, "bench_roster: cannot remove %s: %s\n", p, strerror(errno));
    }
}

static int fail(struct db *db, const char *what)
{
    fprintf(stderr, "bench_roster: %s: %s\n", what, db_last_error(db));
    return -1;
}

/* Reads every shown value, so the page is not read for nothing. */
static int count_row(void *ud, int position, const char *const *values)
{
    size_t *sink = ud;
    *sink += (size_t)position;
    for (size_t c = 0; c < COUNT(COLS); c++)
        *sink += values[c] ? strlen(values[c]) : 0;
    return 0;
}

/* One roster step on DRAFT: add member K and everything the screen does with it. */
static int step(struct db *db, int64_t draft, struct answers *a, size_t *sink, struct step_ms *out)
{
    time_t now = time(NULL);
    int position = -1;
    double t0 = now_ms();
    if (drafts_add_member(db, draft, now, &position) != DB_OK)
        return fail(db, "drafts_add_member");
    for (size_t q = 0; q < COUNT(QUESTIONS); q++)
        if (drafts_set_answer(db, draft, position, QUESTIONS[q][0], QUESTIONS[q][1], now) != DB_OK)
            return fail(db, "drafts_set_answer");
    double t1 = now_ms();
    /* The page whose last row is the new member. */
    int after = position - PAGE < -1 ? -1 : position - PAGE;
    if (drafts_roster_page(db, draft, after, PAGE, COLS, COUNT(COLS), count_row, sink) != DB_OK)
        return fail(db, "drafts_roster_page");
    int slot = -1;
    if (drafts_load_member(db, draft, position, a, &slot) != DB_OK || slot != 1)
        return fail(db, "drafts_load_member");
    double t2 = now_ms();
    *sink += answers_count(a, slot);
    out->writes = t1 - t0;
    out->reads = t2 - t1;
    out->total = t2 - t0;
    return 0;
}

/* A draft with its head answered, as a survey reaches the roster. */
static int new_draft(struct db *db, int d, int64_t *id)
{
    char cnic[14];
    snprintf(cnic, sizeof cnic, "35202%07u%u", (unsigned)d % 10000000u, (unsigned)d % 10u);
    struct draft_info info;
    time_t now = time(NULL);
    if (drafts_create(db, cnic, "nser_household", "2024.1", now, &info) != DB_OK)
        return fail(db, "drafts_create");
    for (size_t q = 0; q < COUNT(QUESTIONS); q++)
        if (drafts_set_answer(db, info.id, 0, QUESTIONS[q][0], QUESTIONS[q][1], now) != DB_OK)
            return fail(db, "drafts_set_answer");
    *id = info.id;
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Median over the drafts of one figure at member K. */
static double median_at(int drafts, int k, int which)
{
    double v[DRAFTS_MAX] = {0};
    for (int d = 0; d < drafts; d++)
        v[d] = which == 0   ? samples[d][k].total
               : which == 1 ? samples[d][k].writes
                            : samples[d][k].reads;
    return median(v, (size_t)drafts);
}

static int bench(struct db *db, int drafts)
{
    struct answers *a = answers_new();
    if (!a) {
        fprintf(stderr, "bench_roster: out of memory\n");
        return -1;
    }
    size_t sink = 0;
    int rc = -1;
    int64_t cur = 0, next = 0;
    if (new_draft(db, 0, &cur) != 0 || step(db, cur, a, &sink, &samples[0][1]) != 0)
        goto out;
    for (int d = 0; d < drafts; d++) {
        for (int k = 2; k < MEMBERS; k++)
            if (step(db, cur, a, &sink, &samples[d][k]) != 0)
                goto out;
        /* The next draft's first member beside this one's 100th, in turns. */
        int have_next = d + 1 < drafts;
        if (have_next && new_draft(db, d + 1, &next) != 0)
            goto out;
        for (int turn = 0; turn < 2; turn++) {
            int first_now = (turn == 0) == (d % 2 == 0);
            if (first_now && have_next && step(db, next, a, &sink, &samples[d + 1][1]) != 0)
                goto out;
            if (!first_now && step(db, cur, a, &sink, &samples[d][MEMBERS]) != 0)
                goto out;
        }
        int n = 0;
        if (drafts_member_count(db, cur, &n) != DB_OK || n != MEMBERS + 1) {
            fprintf(stderr, "bench_roster: draft %d has %d members, not %d\n", d, n, MEMBERS + 1);
            goto out;
        }
        cur = next;
        printf("roster: draft %d/%d filled\n", d + 1, drafts);
        fflush(stdout);
    }

    printf("\nadding member k to a draft: add + %zu answers (each a durable commit),"
           " roster page of %d, load member; median of %d drafts\n",
           COUNT(QUESTIONS), PAGE, drafts);
    printf("  %5s %12s %12s %12s\n", "k", "total ms", "writes ms", "reads us");
    static const int shown[] = {1, 2, 10, 25, 50, 75, 99, MEMBERS};
    for (size_t i = 0; i < COUNT(shown); i++) {
        int k = shown[i];
        printf("  %5d %12.3f %12.3f %12.1f\n", k, median_at(drafts, k, 0), median_at(drafts, k, 1),
               median_at(drafts, k, 2) * 1e3);
    }
    double t1 = median_at(drafts, 1, 0), t100 = median_at(drafts, MEMBERS, 0);
    double ratio = t1 > 0 ? t100 / t1 : 0.0;
    /* Reads compare full pages: member 1's page has 2 rows, member PAGE's the full 10. */
    double rfull = median_at(drafts, PAGE, 2), r100 = median_at(drafts, MEMBERS, 2);
    double rratio = rfull > 0 ? r100 / rfull : 0.0;
    printf("  ratio 100th/1st: %.2fx\n", ratio);
    printf("  reads alone, 100th/%dth (both a full page): %.2fx\n", PAGE, rratio);
    printf("  (checksum %zu)\n", sink);
    printf("SUMMARY|roster: add member 100 vs 1|100th/1st (median)|%.2f ms|%.2f ms|%.2f\n", t100,
           t1, ratio);
    printf("SUMMARY|roster reads: page + load|100th/%dth (median)|%.1f us|%.1f us|%.2f\n", PAGE,
           r100 * 1e3, rfull * 1e3, rratio);
    rc = 0;
out:
    answers_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    int drafts = DRAFTS;
    if (argc > 1) {
        char *end;
        long v = strtol(argv[1], &end, 10);
        if (*end || v < 1 || v > DRAFTS_MAX) {
            fprintf(stderr, "usage: bench_roster [drafts, 1..%d]\n", DRAFTS_MAX);
            return 2;
        }
        drafts = (int)v;
    }
    if (mkdir(OUT_DIR, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_roster: cannot create %s: %s\n", OUT_DIR, strerror(errno));
        return 1;
    }
    remove_db();
    struct db *db = NULL;
    char detail[256];
    int rc = 1;
    if (db_open(DB_PATH, &db, detail, sizeof detail) != DB_OK)
        fprintf(stderr, "bench_roster: db_open %s: %s\n", DB_PATH, detail);
    else
        rc = bench(db, drafts) == 0 ? 0 : 1;
    db_close(db);
    remove_db();
    return rc;
}
