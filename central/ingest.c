/*
 * ingest.c - the ingest run: list, sort, verify, open, parse, decide,
 * apply each batch in one transaction, then acknowledge per kiosk.
 *
 * Order: files sorted by sender kiosk, then batch number, so a kiosk's
 * batches apply in the order it made them. A file that is not a sync
 * file or comes from an unknown kiosk is refused without touching the
 * database. Must never move or delete an input file, never leave a batch
 * half-applied, and never put a CNIC or a name in the report.
 */
#include "ingest.h"

#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../kiosk/atomic_file.h"
#include "../kiosk/envelope.h"
#include "../kiosk/keystore.h"
#include "ack.h"
#include "audit_ingest.h"
#include "fp_ingest.h"
#include "batch_json.h"
#include "decide.h"
#include "kiosks.h"
#include "pg.h"
#include "staging.h"

#define FILE_MAX   ((size_t)ENVELOPE_HEADER + ENVELOPE_MAX_PAYLOAD + 48 + ENVELOPE_SIG)
#define KIOSKS_MAX 4096

enum outcome { OUT_APPLIED, OUT_REPLAYED, OUT_REFUSED, OUT_FAILED };

struct entry {
    char *name;
    bool peeked; /* header read: sort by sender and sequence */
    struct envelope_header h;
};

struct touched {
    struct central_kiosk k;
    struct ack_list acks;
};

struct run {
    PGconn *c;
    const struct ingest_options *o;
    struct keystore *central;
    struct score_tables *tables;
    struct touched *kiosks;
    size_t n_kiosks;
    char today[11];
    size_t applied, replayed, refused, failed, records, new_records;
    bool fatal; /* the database went away: stop */
};

static void report(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (r->o->report) {
        va_start(ap, fmt);
        vfprintf(r->o->report, fmt, ap);
        va_end(ap);
    }
    fflush(stdout);
}

static int cmp_entries(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->peeked != y->peeked)
        return x->peeked ? -1 : 1;
    if (x->peeked) {
        int c = strcmp(x->h.sender, y->h.sender);
        if (c)
            return c;
        if (x->h.sequence != y->h.sequence)
            return x->h.sequence < y->h.sequence ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

static bool is_batch_name(const char *n)
{
    size_t len = strlen(n);
    return n[0] != '.' && len > 6 && strcmp(n + len - 6, ".nserb") == 0;
}

/* The batch files of IN_DIR, peeked and sorted. */
static int list_files(struct run *r, struct entry **out, size_t *n_out, char *err, size_t errsz)
{
    DIR *d = opendir(r->o->in_dir);
    if (!d) {
        snprintf(err, errsz, "cannot read the folder %s", r->o->in_dir);
        return -1;
    }
    struct entry *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && rc == 0) {
        if (!is_batch_name(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct entry *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                rc = -1;
                break;
            }
            v = nv;
        }
        memset(&v[n], 0, sizeof v[n]);
        v[n].name = strdup(de->d_name);
        if (!v[n].name) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", r->o->in_dir, v[i].name);
        /* Only the header is needed to sort; the file is read whole later. */
        FILE *f = fopen(path, "rb");
        uint8_t head[ENVELOPE_HEADER];
        if (!f)
            continue;
        size_t got = fread(head, 1, sizeof head, f);
        long size = -1;
        if (got == sizeof head && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        fclose(f);
        /* envelope_peek checks the length adds up: give it the real size
         * by peeking at a header whose tail is not read. */
        if (size >= (long)ENVELOPE_HEADER) {
            uint32_t n_c = (uint32_t)head[41] << 24 | (uint32_t)head[42] << 16 |
                           (uint32_t)head[43] << 8 | head[44];
            if ((uint64_t)size == (uint64_t)ENVELOPE_HEADER + n_c + ENVELOPE_SIG) {
                /* Sort key only: the whole file is verified before use. */
                memcpy(v[i].h.sender, head + 9, KEY_ID_MAX);
                v[i].h.sender[KEY_ID_MAX] = '\0';
                uint64_t seq = 0;
                for (int k = 0; k < 8; k++)
                    seq = seq << 8 | head[25 + k];
                v[i].h.sequence = seq;
                v[i].peeked = memcmp(head, ENVELOPE_MAGIC, 8) == 0;
            }
        }
    }
    if (rc != 0) {
        for (size_t i = 0; i < n; i++)
            free(v[i].name);
        free(v);
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_entries);
    *out = v;
    *n_out = n;
    return 0;
}

static struct touched *touch(struct run *r, const struct central_kiosk *k)
{
    for (size_t i = 0; i < r->n_kiosks; i++)
        if (strcmp(r->kiosks[i].k.code, k->code) == 0)
            return &r->kiosks[i];
    if (r->n_kiosks == KIOSKS_MAX)
        return NULL;
    struct touched *nv = realloc(r->kiosks, (r->n_kiosks + 1) * sizeof *nv);
    if (!nv)
        return NULL;
    r->kiosks = nv;
    struct touched *t = &r->kiosks[r->n_kiosks++];
    memset(t, 0, sizeof *t);
    t->k = *k;
    return t;
}

static void hash_hex(const uint8_t *data, size_t len, char out[2 + 64 + 1])
{
    uint8_t h[32];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, 65, h, sizeof h);
}

static void rollback(PGconn *c)
{
    PQclear(PQexec(c, "ROLLBACK"));
}

/* Everything one batch changes, in one transaction. */
static enum outcome apply_batch(struct run *r, const struct central_kiosk *k, const struct batch *b,
                                const struct decision *d, const char *hash, size_t *new_records,
                                size_t *new_audit, char *audit_note, size_t audit_notesz,
                                char *note, size_t notesz, char *err, size_t errsz)
{
    PGconn *c = r->c;
    char batch_no[24], created[BATCH_TIME_LEN + 1], count[24];
    snprintf(batch_no, sizeof batch_no, "%" PRIu64, b->batch_no);
    snprintf(created, sizeof created, "%s", b->created);
    snprintf(count, sizeof count, "%zu", b->n_records);
    note[0] = '\0';
    if (pg_exec(c, "starting the transaction", "BEGIN", 0, NULL, err, errsz) != 0)
        return OUT_FAILED;
    /* Locks the kiosk's row: two ingests of one kiosk queue up here. */
    const char *pk[1] = {k->code};
    PGresult *res =
        pg_query(c, "locking the kiosk", "SELECT last_batch FROM kiosks WHERE code = $1 FOR UPDATE",
                 1, pk, err, errsz);
    if (!res)
        goto failed;
    if (PQntuples(res) != 1) {
        PQclear(res);
        snprintf(err, errsz, "foreign: unknown kiosk");
        rollback(c);
        return OUT_REFUSED;
    }
    uint64_t last = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (b->batch_no <= last || b->batch_no != last + 1) {
        if (b->batch_no <= last)
            snprintf(note, notesz, "batch %" PRIu64 " is not after the last applied (%" PRIu64 ")",
                     b->batch_no, last);
        else
            snprintf(note, notesz, "gap: batch %" PRIu64 " follows %" PRIu64, b->batch_no, last);
    }
    const char *pb[7] = {k->code, batch_no, k->district,          created,
                         count,   hash,     note[0] ? note : NULL};
    res = pg_query(c, "recording the batch",
                   "INSERT INTO batches (kiosk, batch_no, district, created, records, new_records,"
                   " payload_hash, note) VALUES ($1, $2::bigint, $3, $4::timestamptz,"
                   " $5::integer, 0, $6::bytea, $7) ON CONFLICT (kiosk, batch_no) DO NOTHING"
                   " RETURNING batch_no",
                   7, pb, err, errsz);
    if (!res)
        goto failed;
    int inserted = PQntuples(res);
    PQclear(res);
    if (inserted == 0) {
        /* Already applied: nothing changes. Say when the content differs. */
        const char *ph[3] = {k->code, batch_no, hash};
        res = pg_query(c, "comparing the replayed batch",
                       "SELECT payload_hash = $3::bytea FROM batches"
                       " WHERE kiosk = $1 AND batch_no = $2::bigint",
                       3, ph, err, errsz);
        if (!res)
            goto failed;
        bool same = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        snprintf(note, notesz, "%s", same ? "" : "its content differs from the batch applied");
        rollback(c);
        return OUT_REPLAYED;
    }
    if (staging_load(c, b, d, k->district, r->today, err, errsz) != 0)
        goto failed;
    res = pg_query(c, "inserting the records",
                   "INSERT INTO registrations (uuid, version, supersedes, district, kiosk,"
                   " batch_no, tracking, cnic, head_name, created, questionnaire_id,"
                   " questionnaire_version, member_count, answers, kiosk_score,"
                   " kiosk_score_detail, table_id, table_version, thresholds_id,"
                   " thresholds_version, central_score, decision, status, status_reason,"
                   " status_date) SELECT * FROM staging"
                   " ON CONFLICT (uuid, version) DO NOTHING",
                   0, NULL, err, errsz);
    if (!res)
        goto failed;
    *new_records = strtoull(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    /*
     * The same CNIC, latest versions, at two kiosks: both wait for review.
     * The lock (held to commit) makes concurrent ingests check one after
     * another, so each sees the other's committed records: without it two
     * kiosks' batches applied at once could both miss the duplicate.
     */
    if (pg_exec(c, "waiting for the duplicate check", "SELECT pg_advisory_xact_lock(4919, 2)", 0,
                NULL, err, errsz) != 0)
        goto failed;
    const char *pd[1] = {r->today};
    if (pg_exec(c, "checking for duplicate CNICs",
                "WITH latest AS (SELECT DISTINCT ON (uuid) uuid, version, cnic, kiosk, district"
                "  FROM registrations WHERE cnic IN (SELECT cnic FROM staging)"
                "  ORDER BY uuid, version DESC),"
                " pairs AS (SELECT a.cnic, a.uuid ua, a.version va, a.kiosk ka, a.district da,"
                "  b.uuid ub, b.version vb, b.kiosk kb, b.district db FROM latest a"
                "  JOIN latest b ON a.cnic = b.cnic AND a.uuid < b.uuid AND a.kiosk <> b.kiosk),"
                " flagged AS (INSERT INTO review_flags (cnic, uuid_a, version_a, kiosk_a,"
                "  district_a, uuid_b, version_b, kiosk_b, district_b, reason)"
                "  SELECT cnic, ua, va, ka, da, ub, vb, kb, db,"
                "  'same CNIC registered at two kiosks' FROM pairs ON CONFLICT DO NOTHING)"
                " UPDATE registrations g SET status = 'duplicate_elsewhere',"
                "  status_reason = 'same CNIC registered at another kiosk',"
                "  status_date = $1::date, ack_pending = true"
                " FROM (SELECT ua u, va v FROM pairs UNION SELECT ub, vb FROM pairs) p"
                " WHERE g.uuid = p.u AND g.version = p.v AND g.status <> 'duplicate_elsewhere'",
                1, pd, err, errsz) != 0)
        goto failed;
    /* The heads' fingerprints and the kiosk's audit rows, in the same
     * transaction as its records. */
    size_t new_prints = 0;
    if (fp_ingest(c, k->code, k->district, b, &new_prints, err, errsz) != 0)
        goto failed;
    if (audit_ingest(c, k->code, b, new_audit, audit_note, audit_notesz, err, errsz) != 0)
        goto failed;
    char nrec[24];
    snprintf(nrec, sizeof nrec, "%zu", *new_records);
    const char *pu[3] = {k->code, batch_no, nrec};
    if (pg_exec(c, "counting the batch",
                "UPDATE batches SET new_records = $3::integer"
                " WHERE kiosk = $1 AND batch_no = $2::bigint",
                3, pu, err, errsz) != 0 ||
        pg_exec(c, "advancing the kiosk",
                "UPDATE kiosks SET last_batch = greatest(last_batch, $2::bigint) WHERE code = $1",
                2, pu, err, errsz) != 0 ||
        pg_exec(c, "committing the batch", "COMMIT", 0, NULL, err, errsz) != 0)
        goto failed;
    return OUT_APPLIED;
failed:
    rollback(c);
    if (PQstatus(c) != CONNECTION_OK)
        r->fatal = true;
    return OUT_FAILED;
}

/* One file from reading to its report line. */
static enum outcome ingest_file(struct run *r, const struct entry *e, char *why, size_t whysz)
{
    char path[PATH_MAX], err[1024];
    snprintf(path, sizeof path, "%s/%s", r->o->in_dir, e->name);
    uint8_t *buf = NULL;
    size_t len = 0;
    if (read_whole_file(path, FILE_MAX, &buf, &len, err, sizeof err) != 0) {
        snprintf(why, whysz, "%s", err);
        return OUT_REFUSED;
    }
    struct envelope_header h;
    enum envelope_error ee = envelope_peek(buf, len, &h);
    if (ee != ENVELOPE_OK) {
        snprintf(why, whysz, "%s", envelope_error_text(ee));
        free(buf);
        return OUT_REFUSED;
    }
    if (h.kind != ENVELOPE_BATCH || strcmp(h.recipient, "central") != 0) {
        snprintf(why, whysz, "%s", h.kind != ENVELOPE_BATCH ? "not a batch" : "not for us");
        free(buf);
        return OUT_REFUSED;
    }
    struct central_kiosk k;
    int found = kiosk_find(r->c, h.sender, &k, err, sizeof err);
    if (found <= 0) {
        snprintf(why, whysz, "%s", found == 0 ? "foreign: unknown kiosk" : err);
        free(buf);
        if (found < 0 && PQstatus(r->c) != CONNECTION_OK)
            r->fatal = true;
        return found == 0 ? OUT_REFUSED : OUT_FAILED;
    }
    uint8_t *payload = NULL;
    size_t plen = 0;
    ee = envelope_open(buf, len, &k.pk, r->central, &h, &payload, &plen);
    char hash[2 + 64 + 1];
    hash_hex(buf, len, hash);
    free(buf);
    if (ee != ENVELOPE_OK) {
        snprintf(why, whysz, "%s", envelope_error_text(ee));
        return OUT_REFUSED;
    }
    struct batch *b =
        batch_parse((const char *)payload, plen, h.sender, h.sequence, err, sizeof err);
    sodium_memzero(payload, plen);
    free(payload);
    if (!b) {
        snprintf(why, whysz, "%s", err);
        return OUT_REFUSED;
    }
    struct decision *d = calloc(b->n_records ? b->n_records : 1, sizeof *d);
    if (!d) {
        batch_free(b);
        snprintf(why, whysz, "out of memory");
        return OUT_FAILED;
    }
    for (size_t i = 0; i < b->n_records; i++)
        decide_record(r->tables, &b->records[i], &d[i]);
    size_t fresh = 0, fresh_audit = 0;
    char note[160], audit_note[600] = "";
    enum outcome out = apply_batch(r, &k, b, d, hash, &fresh, &fresh_audit, audit_note,
                                   sizeof audit_note, note, sizeof note, err, sizeof err);
    free(d);
    if (out == OUT_APPLIED || out == OUT_REPLAYED) {
        /* Replayed records are acknowledged again: the last ack may be lost. */
        struct touched *t = touch(r, &k);
        for (size_t i = 0; t && i < b->n_records; i++)
            if (ack_list_add(&t->acks, b->records[i].uuid, b->records[i].version) != 0)
                t = NULL;
        if (!t) {
            out = OUT_FAILED;
            snprintf(err, sizeof err, "out of memory keeping the records to acknowledge");
        }
    }
    if (out == OUT_APPLIED) {
        r->records += b->n_records;
        r->new_records += fresh;
        char audit[64] = "";
        if (b->n_audit)
            snprintf(audit, sizeof audit, "; %zu audit rows (%zu new)", b->n_audit, fresh_audit);
        snprintf(why, whysz, "applied %zu records (%zu new)%s%s%s%s%s", b->n_records, fresh, audit,
                 note[0] ? "; note: " : "", note, audit_note[0] ? "; " : "", audit_note);
    } else if (out == OUT_REPLAYED) {
        snprintf(why, whysz, "replayed: batch %" PRIu64 " already applied%s%s", b->batch_no,
                 note[0] ? "; note: " : "", note);
    } else {
        snprintf(why, whysz, "%s", err);
    }
    batch_free(b);
    return out;
}

/* Kiosks with a record whose status changed after it was acknowledged
 * get an acknowledgement even when they sent nothing this run. */
static int touch_pending(struct run *r)
{
    char err[1024];
    PGresult *res = pg_query(r->c, "finding changed statuses",
                             "SELECT DISTINCT kiosk FROM registrations WHERE ack_pending", 0, NULL,
                             err, sizeof err);
    if (!res) {
        report(r, "changed statuses: failed: %s\n", err);
        return 1;
    }
    int problems = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        struct central_kiosk k;
        if (kiosk_find(r->c, PQgetvalue(res, i, 0), &k, err, sizeof err) != 1 || !touch(r, &k))
            problems++;
    }
    PQclear(res);
    return problems;
}

static int acknowledge(struct run *r, int64_t now)
{
    int problems = touch_pending(r);
    for (size_t i = 0; i < r->n_kiosks && !r->fatal; i++) {
        struct touched *t = &r->kiosks[i];
        struct ack_result res;
        char err[1024];
        if (ack_write(r->c, r->central, &t->k, &t->acks, r->o->out_dir, now, &res, err,
                      sizeof err) != 0) {
            report(r, "ack for kiosk %s: failed: %s\n", t->k.code, err);
            problems++;
            if (PQstatus(r->c) != CONNECTION_OK)
                r->fatal = true;
            continue;
        }
        report(r, "%s: %zu records acknowledged, %zu district snapshot entries", res.file,
               res.records, res.snapshot);
        if (res.missing)
            report(r, "; %zu records not on file, left unacknowledged", res.missing);
        report(r, "\n");
    }
    return problems;
}

int ingest_run(PGconn *c, const struct ingest_options *o, char *err, size_t errsz)
{
    struct run r = {.c = c, .o = o};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(r.today, sizeof r.today, "%Y-%m-%d", &tm);

    r.central = keystore_load(o->keys_dir, "central", err, errsz);
    if (!r.central)
        return -1;
    r.tables = score_tables_load(o->data_dir, err, errsz);
    if (!r.tables) {
        keystore_free(r.central);
        return -1;
    }
    if (make_dirs(o->out_dir, 0755) != 0) {
        snprintf(err, errsz, "cannot create the folder %s", o->out_dir);
        score_tables_free(r.tables);
        keystore_free(r.central);
        return -1;
    }
    struct entry *files = NULL;
    size_t n = 0;
    if (list_files(&r, &files, &n, err, errsz) != 0) {
        score_tables_free(r.tables);
        keystore_free(r.central);
        return -1;
    }
    for (size_t i = 0; i < n && !r.fatal; i++) {
        char why[1200];
        enum outcome out = ingest_file(&r, &files[i], why, sizeof why);
        static const char *const label[] = {"", "", "refused: ", "failed: "};
        report(&r, "%s: %s%s\n", files[i].name, label[out], why);
        r.applied += out == OUT_APPLIED;
        r.replayed += out == OUT_REPLAYED;
        r.refused += out == OUT_REFUSED;
        r.failed += out == OUT_FAILED;
    }
    int ack_problems = acknowledge(&r, (int64_t)now);
    report(&r,
           "summary: %zu files: %zu applied, %zu replayed, %zu refused, %zu failed;"
           " %zu records (%zu new); %zu acknowledgements\n",
           n, r.applied, r.replayed, r.refused, r.failed, r.records, r.new_records,
           r.n_kiosks - (size_t)ack_problems);
    int rc = (int)(r.refused + r.failed) + ack_problems;
    if (r.fatal) {
        snprintf(err, errsz, "the registry database went away: %s", PQerrorMessage(c));
        rc = -1;
    }
    for (size_t i = 0; i < n; i++)
        free(files[i].name);
    free(files);
    for (size_t i = 0; i < r.n_kiosks; i++)
        ack_list_free(&r.kiosks[i].acks);
    free(r.kiosks);
    score_tables_free(r.tables);
    keystore_free(r.central);
    return rc;
}
