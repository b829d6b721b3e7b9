/*
 * bench_status.c - measures "am I registered?" lookups on a store of
 * 1,000,000 registrations: status_query() (the code path the status screen
 * and `nser-kiosk status` use: input validation, lookup, masking) and
 * registry_find_by_cnic() / registry_find_by_tracking(), against a raw
 * indexed sqlite3 query reusing one prepared statement on the same file,
 * with the same random sequence of keys (half present, half absent but
 * valid, shuffled). The raw query reads the very columns the registry
 * reads (the head's name is on the registration row), so the gap is the
 * code around the query: validation, copying, bounds checks, masking.
 *
 * The store is generated once into bench/out/status-1m.db (schema from
 * db_open, so the real migrations; rows bulk-inserted with raw prepared
 * statements in one transaction) and reused while it still looks complete
 * and has the current schema. It holds the registrations, a score for
 * each and the outbox rows of those not yet acknowledged, but no answer
 * rows: the lookups never read them, and some 80 per registration would
 * make generation and the quick_check at every open dominate the run (so
 * the db_open figure is a floor for a real store of this size). It also
 * reports how long db_open (pragmas, quick_check, migrations) takes on
 * that file, since the kiosk pays it at every start.
 *
 * Sees sqlite3 directly only for the generator and the baseline; the
 * measured paths go through the kiosk's own API. Prints figures and
 * ratios; it must never assert a wall-clock limit, never open the kiosk's
 * real database, and never write to the store outside generation.
 */
#include <errno.h>
#include <inttypes.h>
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
#include "kiosk/status.h"
#include "kiosk/status_query.h"
#include "kiosk/tracking.h"

#define OUT_DIR     "bench/out"
#define DB_PATH     OUT_DIR "/status-1m.db"
#define N_REG       1000000u
#define LOOKUPS     100000u
#define WARM        20000u
#define CHUNK       5000u /* lookups per turn; LOOKUPS is a multiple */
#define METHODS_MAX 8
#define ROUNDS      3
#define N_KIOSKS    250u
#define PER_DAY     8u /* registrations per kiosk per day */
#define SEED        0x9e3779b97f4a7c15ull
#define TS_LEN      20 /* YYYY-MM-DDTHH:MM:SSZ */

_Static_assert(LOOKUPS % CHUNK == 0, "the sequence must split into whole chunks");

/* ------------------------------------------------------------ utilities */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = SEED;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static int fail_sql(sqlite3 *conn, int rc, const char *what)
{
    fprintf(stderr, "bench_status: %s: %s (%d)\n", what, conn ? sqlite3_errmsg(conn) : "", rc);
    return -1;
}

static int exec_sql(sqlite3 *conn, const char *sql)
{
    int rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail_sql(conn, rc, sql);
}

/* ------------------------------------------------------ generated keys */

/*
 * Key K < 2 * N_REG names a CNIC: K < N_REG are registered, the rest are
 * valid but absent. The 12 digits after the region digit are K times an
 * odd multiplier not divisible by 5, modulo 10^12: a bijection, so every
 * K has its own CNIC, and consecutive registrations land all over the index.
 */
static void cnic_for(uint64_t k, char out[CNIC_DIGITS + 1])
{
    uint64_t body = (k * 982451653ull + 123456789ull) % 1000000000000ull;
    snprintf(out, CNIC_DIGITS + 1, "%c%012" PRIu64, (char)('1' + k % 8), body);
}

/* Registration I's UTC time and the parts of its tracking ID. */
struct reg_when {
    char kiosk[TRACKING_KIOSK_DIGITS + 1];
    unsigned seq;
    struct tm tm;
};

static void when_for(uint64_t i, int absent, struct reg_when *w)
{
    unsigned kiosk = (unsigned)(i % N_KIOSKS);
    uint64_t j = i / N_KIOSKS;
    unsigned day = (unsigned)(j / PER_DAY);
    w->seq = (unsigned)(j % PER_DAY) + 1;
    /* Absent IDs use kiosk codes no registration has: valid, never stored. */
    snprintf(w->kiosk, sizeof w->kiosk, "%05u", (absent ? 90001u : 10001u) + kiosk);
    struct tm base = {.tm_year = 123, .tm_mon = 0, .tm_mday = 1};
    time_t t = timegm(&base) + (time_t)day * 86400 + 8 * 3600 +
               (time_t)((w->seq * 1800u + kiosk * 7u) % 32400u);
    gmtime_r(&t, &w->tm);
}

static int tracking_for(uint64_t i, int absent, struct tracking_id *t, struct reg_when *w)
{
    when_for(i, absent, w);
    if (tracking_make(w->kiosk, w->tm.tm_year + 1900, w->tm.tm_mon + 1, w->tm.tm_mday, w->seq, t) !=
        0) {
        fprintf(stderr, "bench_status: tracking_make refused registration %" PRIu64 "\n", i);
        return -1;
    }
    return 0;
}

static const char *const FIRST[] = {
    "Muhammad", "Ayesha", "Ali",   "Fatima", "Ahmed", "Zainab", "Hassan", "Maryam",
    "Bilal",    "Sana",   "Usman", "Hina",   "Imran", "Rabia",  "Tariq",  "Nazia",
};
static const char *const LAST[] = {
    "Khan",   "Ahmed",   "Hussain", "Malik",    "Qureshi", "Butt",  "Chaudhry", "Shah",
    "Baloch", "Khattak", "Abbasi",  "Siddiqui", "Jatoi",   "Memon", "Mengal",   "Awan",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ----------------------------------------------------------- generation */

enum gen_stmt { G_REGISTRATION, G_SCORE, G_OUTBOX, G_COUNT };

static const char *const GEN_SQL[G_COUNT] = {
    "INSERT INTO registrations (id, tracking_id, cnic, kiosk_code, record_uuid, record_version,"
    " supersedes, head_name, questionnaire_id, questionnaire_version, member_count, status,"
    " status_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 1, NULL, ?6, 'nser_household', '2024.1', ?7, ?8, ?9, ?10)",
    "INSERT INTO scores (registration_id, table_id, table_version, score, breakdown,"
    " thresholds_id, thresholds_version, decisions, created_at)"
    " VALUES (?1, 'schreiner_pk_2009', '1', ?2, ?3, 'bisp_programmes', '2024.03', ?4, ?5)",
    "INSERT INTO outbox (registration_id, created_at) VALUES (?1, ?2)",
};

/* Steps a bound insert to its end and resets it. */
static int step_insert(sqlite3 *conn, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    int rc2 = sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail_sql(conn, rc, what);
    if (rc2 != SQLITE_OK)
        return fail_sql(conn, rc2, what);
    return 0;
}

static int bind_ok(sqlite3 *conn, int rc)
{
    return rc == SQLITE_OK ? 0 : fail_sql(conn, rc, "binding a parameter");
}

static int insert_one(sqlite3 *conn, sqlite3_stmt **st, uint64_t i)
{
    char cnic[CNIC_DIGITS + 1], created[TS_LEN + 1], status_at[TS_LEN + 1];
    char uuid[UUID_TEXT_LEN + 1], name[HEAD_NAME_MAX], breakdown[256];
    struct reg_when w;
    struct tracking_id t;
    uint64_t h = mix(i + 1);
    sqlite3_int64 id = (sqlite3_int64)i + 1;

    cnic_for(i, cnic);
    if (tracking_for(i, 0, &t, &w) != 0)
        return -1;
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &w.tm);
    snprintf(uuid, sizeof uuid,
             "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64, h >> 32,
             (uint64_t)((h >> 16) & 0xffffu), (uint64_t)(h & 0xfffu),
             (uint64_t)(0x8000u | ((h >> 20) & 0x3fffu)), (uint64_t)(mix(h) & 0xffffffffffffu));
    snprintf(name, sizeof name, "%s %s", FIRST[h % COUNT(FIRST)], LAST[(h >> 8) % COUNT(LAST)]);
    int members = 1 + (int)((h >> 24) % 9);
    double score = (double)((h >> 28) % 10000) / 100.0;
    snprintf(breakdown, sizeof breakdown,
             "province\tpunjab\t12\nchildren_13\t%d\t11\nwater\ttap\t3\ntoilet\tflush_pit\t2\n",
             members / 2);
    const char *decisions = score <= 32.0 ? "kafaalat\teligible\n" : "kafaalat\tnot_eligible\n";

    /* Status mix: 30% pending_sync, 30% received, 20% eligible, 10% each. */
    static const enum reg_status mixes[10] = {
        STATUS_PENDING_SYNC, STATUS_PENDING_SYNC, STATUS_PENDING_SYNC, STATUS_RECEIVED,
        STATUS_RECEIVED,     STATUS_RECEIVED,     STATUS_ELIGIBLE,     STATUS_ELIGIBLE,
        STATUS_NOT_ELIGIBLE, STATUS_UNDER_REVIEW,
    };
    enum reg_status status = mixes[(h >> 40) % 10];
    if (status == STATUS_PENDING_SYNC) {
        memcpy(status_at, created, sizeof status_at);
    } else {
        time_t later = timegm(&w.tm) + (time_t)(1 + (h >> 44) % 60) * 86400;
        struct tm tl;
        gmtime_r(&later, &tl);
        strftime(status_at, sizeof status_at, "%Y-%m-%dT%H:%M:%SZ", &tl);
    }

    sqlite3_stmt *s = st[G_REGISTRATION];
    if (bind_ok(conn, sqlite3_bind_int64(s, 1, id)) ||
        bind_ok(conn, sqlite3_bind_text(s, 2, t.digits, TRACKING_DIGITS, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 3, cnic, CNIC_DIGITS, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 4, w.kiosk, TRACKING_KIOSK_DIGITS, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 5, uuid, UUID_TEXT_LEN, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 6, name, -1, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_int(s, 7, members)) ||
        bind_ok(conn, sqlite3_bind_text(s, 8, reg_status_code(status), -1, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 9, status_at, TS_LEN, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 10, created, TS_LEN, SQLITE_STATIC)) ||
        step_insert(conn, s, "inserting a registration"))
        return -1;

    s = st[G_SCORE];
    if (bind_ok(conn, sqlite3_bind_int64(s, 1, id)) ||
        bind_ok(conn, sqlite3_bind_double(s, 2, score)) ||
        bind_ok(conn, sqlite3_bind_text(s, 3, breakdown, -1, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 4, decisions, -1, SQLITE_STATIC)) ||
        bind_ok(conn, sqlite3_bind_text(s, 5, created, TS_LEN, SQLITE_STATIC)) ||
        step_insert(conn, s, "inserting a score"))
        return -1;

    if (status == STATUS_PENDING_SYNC) {
        s = st[G_OUTBOX];
        if (bind_ok(conn, sqlite3_bind_int64(s, 1, id)) ||
            bind_ok(conn, sqlite3_bind_text(s, 2, created, TS_LEN, SQLITE_STATIC)) ||
            step_insert(conn, s, "inserting an outbox row"))
            return -1;
    }
    return 0;
}

/* The tracking sequence the kiosks would have left behind. */
static const char SQL_FILL_SEQUENCE[] =
    "INSERT INTO tracking_sequence (kiosk_code, day, last_seq)"
    " SELECT kiosk_code, substr(created_at, 1, 10), max(CAST(substr(tracking_id, 12, 4) AS "
    "INTEGER))"
    " FROM registrations GROUP BY kiosk_code, substr(created_at, 1, 10)";

static int generate_rows(sqlite3 *conn)
{
    sqlite3_stmt *st[G_COUNT] = {NULL};
    int rc = 0;
    for (int k = 0; k < G_COUNT && rc == 0; k++) {
        int prc = sqlite3_prepare_v2(conn, GEN_SQL[k], -1, &st[k], NULL);
        if (prc != SQLITE_OK)
            rc = fail_sql(conn, prc, "preparing an insert");
    }
    if (rc == 0)
        rc = exec_sql(conn, "BEGIN");
    for (uint64_t i = 0; rc == 0 && i < N_REG; i++) {
        rc = insert_one(conn, st, i);
        if (rc == 0 && (i + 1) % 100000 == 0) {
            printf("status: generated %" PRIu64 "/%u registrations\n", i + 1, N_REG);
            fflush(stdout);
        }
    }
    if (rc == 0)
        rc = exec_sql(conn, SQL_FILL_SEQUENCE);
    if (rc == 0)
        rc = exec_sql(conn, "COMMIT");
    else
        (void)sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
    for (int k = 0; k < G_COUNT; k++)
        sqlite3_finalize(st[k]);
    return rc;
}

static void remove_store(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[256];
    for (size_t i = 0; i < COUNT(suffix); i++) {
        snprintf(path, sizeof path, "%s%s", DB_PATH, suffix[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            fprintf(stderr, "bench_status: cannot remove %s: %s\n", path, strerror(errno));
    }
}

/* True when the store exists and its last registration is the one expected. */
static int store_complete(void)
{
    if (access(DB_PATH, F_OK) != 0)
        return 0;
    sqlite3 *conn = NULL;
    int ok = 0;
    if (sqlite3_open_v2(DB_PATH, &conn, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        /* head_name is on the registration row only in the current schema. */
        if (sqlite3_prepare_v2(conn,
                               "SELECT cnic, (SELECT count(*) FROM registrations),"
                               " (SELECT user_version FROM pragma_user_version), head_name"
                               " FROM registrations WHERE id = ?1",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_bind_int64(st, 1, (sqlite3_int64)N_REG) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            char want[CNIC_DIGITS + 1];
            cnic_for(N_REG - 1, want);
            const unsigned char *got = sqlite3_column_text(st, 0);
            ok = got && strcmp((const char *)got, want) == 0 &&
                 sqlite3_column_int64(st, 1) == (sqlite3_int64)N_REG &&
                 sqlite3_column_int(st, 2) == DB_SCHEMA_VERSION;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(conn);
    return ok;
}

static int ensure_store(void)
{
    if (mkdir(OUT_DIR, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_status: cannot create %s: %s\n", OUT_DIR, strerror(errno));
        return -1;
    }
    if (store_complete()) {
        printf("status: reusing %s (delete it to regenerate)\n", DB_PATH);
        return 0;
    }
    remove_store();
    printf("status: generating %s with %u registrations (once; reused afterwards)\n", DB_PATH,
           N_REG);
    fflush(stdout);
    double t0 = now_s();

    /* The real schema, through the real migrations. */
    struct db *db = NULL;
    char detail[256];
    enum db_result r = db_open(DB_PATH, &db, detail, sizeof detail);
    if (r != DB_OK) {
        fprintf(stderr, "bench_status: db_open %s: %s\n", DB_PATH, detail);
        return -1;
    }
    db_close(db);

    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(DB_PATH, &conn, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        fail_sql(conn, rc, "opening the store to fill it");
        sqlite3_close_v2(conn);
        return -1;
    }
    /* A rollback journal for the bulk load (a fresh file's new pages are not
     * journaled, so it is cheap and an interrupted run leaves an empty
     * store); WAL again afterwards, as the kiosk keeps it. */
    int ok = exec_sql(conn, "PRAGMA journal_mode = DELETE") == 0 &&
             exec_sql(conn, "PRAGMA synchronous = OFF") == 0 &&
             exec_sql(conn, "PRAGMA cache_size = -524288") == 0 && generate_rows(conn) == 0 &&
             exec_sql(conn, "PRAGMA journal_mode = WAL") == 0;
    rc = sqlite3_close_v2(conn);
    if (ok && rc != SQLITE_OK) {
        fprintf(stderr, "bench_status: closing the store: %d\n", rc);
        ok = 0;
    }
    if (!ok) {
        remove_store();
        return -1;
    }
    struct stat sb;
    double mib = stat(DB_PATH, &sb) == 0 ? (double)sb.st_size / 1048576.0 : 0.0;
    printf("status: generated in %.1f s, %.0f MiB\n", now_s() - t0, mib);
    return 0;
}

/* -------------------------------------------------------------- lookups */

struct keys {
    char (*cnic_text)[CNIC_DIGITS + 1];
    struct cnic *cnic;
    char (*trk_text)[TRACKING_DIGITS + 1];
    struct tracking_id *trk;
    unsigned present;
};

static int make_keys(struct keys *k)
{
    k->cnic_text = calloc(LOOKUPS, sizeof *k->cnic_text);
    k->cnic = calloc(LOOKUPS, sizeof *k->cnic);
    k->trk_text = calloc(LOOKUPS, sizeof *k->trk_text);
    k->trk = calloc(LOOKUPS, sizeof *k->trk);
    if (!k->cnic_text || !k->cnic || !k->trk_text || !k->trk) {
        fprintf(stderr, "bench_status: out of memory\n");
        return -1;
    }
    k->present = 0;
    for (unsigned i = 0; i < LOOKUPS; i++) {
        uint64_t r = rng_next();
        int absent = (int)(r & 1);
        uint64_t idx = (r >> 1) % N_REG;
        k->present += !absent;
        cnic_for(absent ? N_REG + idx : idx, k->cnic_text[i]);
        memcpy(k->cnic[i].digits, k->cnic_text[i], sizeof k->cnic[i].digits);
        struct reg_when w;
        if (tracking_for(idx, absent, &k->trk[i], &w) != 0)
            return -1;
        memcpy(k->trk_text[i], k->trk[i].digits, sizeof k->trk_text[i]);
    }
    return 0;
}

static void free_keys(struct keys *k)
{
    free(k->cnic_text);
    free(k->cnic);
    free(k->trk_text);
    free(k->trk);
}

struct ctx {
    struct db *db;
    sqlite3 *raw;
    sqlite3_stmt *raw_cnic, *raw_trk;
    const struct keys *k;
    size_t sink; /* bytes read, so no read is optimised away */
};

/* Each returns 1 found, 0 not found, -1 error. */
typedef int (*lookup_fn)(struct ctx *, unsigned i);

static int via_status_cnic(struct ctx *c, unsigned i)
{
    struct status_answer a;
    enum status_kind kind = status_query(c->db, NULL, c->k->cnic_text[i], &a);
    c->sink += (size_t)a.masked_name[0];
    return kind == STATUS_Q_FOUND ? 1 : kind == STATUS_Q_NOT_FOUND ? 0 : -1;
}

static int via_status_trk(struct ctx *c, unsigned i)
{
    struct status_answer a;
    enum status_kind kind = status_query(c->db, NULL, c->k->trk_text[i], &a);
    c->sink += (size_t)a.masked_name[0];
    return kind == STATUS_Q_FOUND ? 1 : kind == STATUS_Q_NOT_FOUND ? 0 : -1;
}

static int via_registry_cnic(struct ctx *c, unsigned i)
{
    struct registration_summary s;
    enum db_result r = registry_find_by_cnic(c->db, &c->k->cnic[i], &s);
    if (r == DB_OK)
        c->sink += (size_t)s.head_name[0];
    return r == DB_OK ? 1 : r == DB_NOT_FOUND ? 0 : -1;
}

static int via_registry_trk(struct ctx *c, unsigned i)
{
    struct registration_summary s;
    enum db_result r = registry_find_by_tracking(c->db, &c->k->trk[i], &s);
    if (r == DB_OK)
        c->sink += (size_t)s.head_name[0];
    return r == DB_OK ? 1 : r == DB_NOT_FOUND ? 0 : -1;
}

/* Binds KEY, steps once, reads every column's text, resets. */
static int raw_lookup(struct ctx *c, sqlite3_stmt *st, const char *key, int len)
{
    if (sqlite3_bind_text(st, 1, key, len, SQLITE_STATIC) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1) {
        int n = sqlite3_column_count(st);
        for (int col = 0; col < n; col++) {
            const unsigned char *t = sqlite3_column_text(st, col);
            c->sink += t ? (size_t)sqlite3_column_bytes(st, col) : 0;
        }
    }
    if (sqlite3_reset(st) != SQLITE_OK)
        return -1;
    return found;
}

static int via_raw_cnic(struct ctx *c, unsigned i)
{
    return raw_lookup(c, c->raw_cnic, c->k->cnic_text[i], CNIC_DIGITS);
}

static int via_raw_trk(struct ctx *c, unsigned i)
{
    return raw_lookup(c, c->raw_trk, c->k->trk_text[i], TRACKING_DIGITS);
}

/* The baseline: the registry's own query, with nothing around it. */
#define RAW_COLUMNS                                                                                \
    "SELECT id, tracking_id, cnic, status, status_at, created_at, record_uuid,"                    \
    " record_version, head_name FROM registrations"

static const char SQL_RAW_CNIC[] = RAW_COLUMNS " WHERE cnic = ?1 ORDER BY id DESC LIMIT 1";
static const char SQL_RAW_TRK[] = RAW_COLUMNS " WHERE tracking_id = ?1";

struct method {
    const char *name;
    lookup_fn fn;
    double us[ROUNDS];
    double median_us;
};

/* Runs FN over keys [FROM, TO); returns the number found, -1 on error. */
static long run_range(struct ctx *c, lookup_fn fn, unsigned from, unsigned to)
{
    long found = 0;
    for (unsigned i = from; i < to; i++) {
        int f = fn(c, i);
        if (f < 0)
            return -1;
        found += f;
    }
    return found;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int measure(struct ctx *c, const char *what, struct method *m, size_t n)
{
    if (n > METHODS_MAX)
        return -1;
    for (size_t j = 0; j < n; j++) {
        if (run_range(c, m[j].fn, 0, WARM) < 0) {
            fprintf(stderr, "bench_status: %s failed while warming up (%s)\n", m[j].name,
                    db_last_error(c->db));
            return -1;
        }
    }
    /* Methods take turns on chunks of the sequence (the first one moving
     * round the methods), so a burst of other load on the machine falls on
     * all of them alike instead of on whichever ran during it. */
    for (int round = 0; round < ROUNDS; round++) {
        double total[METHODS_MAX] = {0};
        long found[METHODS_MAX] = {0};
        for (unsigned chunk = 0; chunk < LOOKUPS / CHUNK; chunk++) {
            for (size_t step = 0; step < n; step++) {
                size_t j = (step + chunk) % n;
                double t0 = now_s();
                long f = run_range(c, m[j].fn, chunk * CHUNK, (chunk + 1) * CHUNK);
                total[j] += now_s() - t0;
                if (f < 0) {
                    fprintf(stderr, "bench_status: %s failed (%s)\n", m[j].name,
                            db_last_error(c->db));
                    return -1;
                }
                found[j] += f;
            }
        }
        for (size_t j = 0; j < n; j++) {
            if (found[j] != (long)c->k->present) {
                fprintf(stderr, "bench_status: %s found %ld of %u present keys\n", m[j].name,
                        found[j], c->k->present);
                return -1;
            }
            m[j].us[round] = total[j] * 1e6 / LOOKUPS;
        }
        printf("status: %s round %d/%d done\n", what, round + 1, ROUNDS);
        fflush(stdout);
    }
    for (size_t j = 0; j < n; j++) {
        double v[ROUNDS];
        memcpy(v, m[j].us, sizeof v);
        qsort(v, ROUNDS, sizeof v[0], cmp_double);
        m[j].median_us = v[ROUNDS / 2];
    }
    return 0;
}

/* The baseline is the last method. */
static void report(const char *what, const struct method *m, size_t n, unsigned present)
{
    const double raw = m[n - 1].median_us;
    printf("\nlookup by %s, %u lookups x %d rounds (median round), %u present / %u absent"
           " (valid, shuffled)\n",
           what, LOOKUPS, ROUNDS, present, LOOKUPS - present);
    printf("  %-46s %10s %10s\n", "", "us/lookup", "vs raw");
    for (size_t j = 0; j < n; j++)
        printf("  %-46s %10.2f %9.2fx\n", m[j].name, m[j].median_us,
               raw > 0 ? m[j].median_us / raw : 0.0);
}

static int prepare(sqlite3 *conn, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? 0 : fail_sql(conn, rc, "preparing the raw lookup");
}

static int bench(void)
{
    struct keys k = {0};
    struct ctx c = {.k = &k};
    int rc = -1;

    if (make_keys(&k) != 0)
        goto out;

    /* The first open meets the file as the machine left it (after a boot,
     * or once the kernel dropped its cached pages: cold); its quick_check
     * reads every page, so the second one finds them cached (warm). */
    char detail[256];
    double open_ms[2];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            db_close(c.db);
        c.db = NULL;
        double t0 = now_s();
        enum db_result r = db_open(DB_PATH, &c.db, detail, sizeof detail);
        open_ms[pass] = (now_s() - t0) * 1e3;
        if (r != DB_OK) {
            fprintf(stderr, "bench_status: db_open %s: %s\n", DB_PATH, detail);
            goto out;
        }
    }
    printf("status: db_open on the 1M store (pragmas, quick_check, migrations):"
           " %.0f ms as found, %.0f ms with the file cached\n",
           open_ms[0], open_ms[1]);
    printf("NOTE|db_open on the 1M-registration store (quick_check reads the whole file) took"
           " %.0f ms as found, %.0f ms cached: paid at every kiosk start\n",
           open_ms[0], open_ms[1]);

    int orc = sqlite3_open_v2(DB_PATH, &c.raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (orc != SQLITE_OK) {
        fail_sql(c.raw, orc, "opening the store raw");
        goto out;
    }
    if (prepare(c.raw, SQL_RAW_CNIC, &c.raw_cnic) || prepare(c.raw, SQL_RAW_TRK, &c.raw_trk))
        goto out;

    struct method by_cnic[] = {
        {.name = "status_query() (validate, look up, mask)", .fn = via_status_cnic},
        {.name = "registry_find_by_cnic()", .fn = via_registry_cnic},
        {.name = "raw: the same SQL, WHERE cnic=? ... LIMIT 1", .fn = via_raw_cnic},
    };
    struct method by_trk[] = {
        {.name = "status_query() (validate, look up, mask)", .fn = via_status_trk},
        {.name = "registry_find_by_tracking()", .fn = via_registry_trk},
        {.name = "raw: the same SQL, WHERE tracking_id=?", .fn = via_raw_trk},
    };
    size_t n_cnic = COUNT(by_cnic), n_trk = COUNT(by_trk);

    if (measure(&c, "CNIC", by_cnic, n_cnic) != 0 || measure(&c, "tracking ID", by_trk, n_trk) != 0)
        goto out;

    report("CNIC", by_cnic, n_cnic, k.present);
    report("tracking ID", by_trk, n_trk, k.present);
    printf("  (checksum %zu)\n", c.sink);

    double rc_cnic = by_cnic[n_cnic - 1].median_us, rc_trk = by_trk[n_trk - 1].median_us;
    printf("SUMMARY|status by CNIC, 1M rows|status_query/raw|%.2f us|%.2f us|%.2f\n",
           by_cnic[0].median_us, rc_cnic, rc_cnic > 0 ? by_cnic[0].median_us / rc_cnic : 0.0);
    printf("SUMMARY|status by tracking ID, 1M rows|status_query/raw|%.2f us|%.2f us|%.2f\n",
           by_trk[0].median_us, rc_trk, rc_trk > 0 ? by_trk[0].median_us / rc_trk : 0.0);
    rc = 0;
out:
    sqlite3_finalize(c.raw_cnic);
    sqlite3_finalize(c.raw_trk);
    sqlite3_close_v2(c.raw);
    db_close(c.db);
    free_keys(&k);
    return rc;
}

int main(void)
{
    if (ensure_store() != 0)
        return 1;
    return bench() == 0 ? 0 : 1;
}
