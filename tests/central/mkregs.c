/*
 * mkregs.c - test and bench tool: makes N registrations in a kiosk database
 * through the kiosk's own commit path (drafts_create + scoring_run +
 * registry_confirm), so the rows, answers, scores and outbox rows are
 * exactly what the kiosk writes, only without typing them in tmux.
 *
 *   mkregs --db PATH --kiosk CODE --count N [--first K] [--data DIR]
 *          [--households DIR] [--durable]
 *
 * The households are the scorable ones of tests/data/households (answers
 * files for `nser-kiosk score`), taken in turn, each given a head's name
 * and CNIC: registration I (K, K+1, ...) has the CNIC 35202 + I in seven
 * digits + a last digit that agrees with the head's gender, so two runs
 * with the same --first make the same CNICs (two kiosks, one household).
 * Scores are made with DIR's score table and thresholds, as the kiosk's
 * flow makes them, and dated today, or for a run of more than 5,000 the
 * earlier ones on the days before (5,000 a day: the tracking ID numbers
 * at most 9,999 a day). Prints "N registrations" on success.
 *
 * Without --durable the connection runs with synchronous=OFF: this is a
 * fixture generator (100,000 households for the bench would otherwise be
 * 200,000 fsyncs), never the thing measured; it reaches the connection
 * through db/db_internal.h for that one pragma only.
 *
 * Must never: be linked into the kiosk, touch a database it was not
 * given, or print personal data beyond the count.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "db/drafts.h"
#include "db/registry.h"
#include "kiosk/answers.h"
#include "kiosk/answers_json.h"
#include "kiosk/scoring.h"
#include "kiosk/uuid.h"

#define HOUSEHOLDS_MAX 64
#define PATH_LEN       1024
#define PER_DAY        5000

struct options {
    const char *db;
    const char *kiosk;
    long count;
    long first;
    const char *data;
    const char *households;
    int durable;
};

static const char *const FIRST_NAMES[] = {"Muhammad", "Ghulam", "Abdul",  "Nasreen", "Allah",
                                          "Shabana",  "Imran",  "Rubina", "Zahid",   "Parveen"};
static const char *const LAST_NAMES[] = {"Ali",    "Khan",   "Bibi",  "Ahmed", "Hussain",
                                         "Akhtar", "Rasool", "Begum", "Iqbal", "Shah"};

static int usage(void)
{
    fprintf(stderr, "usage: mkregs --db PATH --kiosk CODE --count N [--first K] [--data DIR] "
                    "[--households DIR] [--durable]\n");
    return 2;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->first = 1;
    o->data = "data";
    o->households = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--durable") == 0) {
            o->durable = 1;
            continue;
        }
        if (!v)
            return -1;
        i++;
        if (strcmp(a, "--db") == 0)
            o->db = v;
        else if (strcmp(a, "--kiosk") == 0)
            o->kiosk = v;
        else if (strcmp(a, "--count") == 0)
            o->count = strtol(v, NULL, 10);
        else if (strcmp(a, "--first") == 0)
            o->first = strtol(v, NULL, 10);
        else if (strcmp(a, "--data") == 0)
            o->data = v;
        else if (strcmp(a, "--households") == 0)
            o->households = v;
        else
            return -1;
    }
    if (!o->db || !o->kiosk || o->count < 0 || o->first < 0 || o->first + o->count > 9999999)
        return -1;
    return 0;
}

/* "questionnaire ID VERSION" from the survey file, as the kiosk stores them. */
static int questionnaire_name(const char *data, char *id, size_t idsz, char *ver, size_t versz)
{
    char path[PATH_LEN];
    snprintf(path, sizeof path, "%s/questionnaire.txt", data);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        char a[32], b[16];
        if (sscanf(line, "questionnaire %31s %15s", a, b) == 2) {
            snprintf(id, idsz, "%s", a);
            snprintf(ver, versz, "%s", b);
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The scorable households of DIR, in file-name order, into HH. */
static size_t load_households(const char *dir, const struct scoring *sc, const int today[3],
                              struct answers *hh[HOUSEHOLDS_MAX])
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char *names[HOUSEHOLDS_MAX] = {0};
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < HOUSEHOLDS_MAX) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof names[0], by_name);
    size_t n = 0;
    static struct scoring_result r;
    for (size_t i = 0; i < nn; i++) {
        char path[PATH_LEN];
        int pn = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        free(names[i]);
        if (pn < 0 || (size_t)pn >= sizeof path)
            continue;
        struct answers_json_error err;
        struct answers *a = answers_json_load(path, NULL, 0, &err);
        if (!a)
            continue;
        scoring_run(sc, a, today, &r);
        if (!r.scored || answers_member_count(a) == 0) {
            answers_free(a);
            continue;
        }
        hh[n++] = a;
    }
    return n;
}

/* A copy of household A for registration number I: the head named, with
 * a CNIC whose last digit agrees with the head's gender. */
static struct answers *household_for(const struct answers *a, long i, char cnic[14], char *name,
                                     size_t namesz)
{
    struct answers *c = answers_new();
    if (!c)
        return NULL;
    size_t members = answers_member_count(a);
    for (size_t m = 0; m < members; m++)
        if (answers_add_member(c) < 0)
            goto fail;
    for (int m = ANSWERS_HOUSEHOLD; m < (int)members; m++) {
        const char *qid, *value;
        for (size_t k = 0; answers_at(a, m, k, &qid, &value); k++)
            if (answers_set(c, m, qid, value) != 0)
                goto fail;
    }
    const char *g = answers_get(a, 0, "gender");
    int female = g && strcmp(g, "female") == 0;
    /* i < 10,000,000 (parse_options): seven digits. */
    snprintf(cnic, 14, "35202%07u%u", (unsigned)(i % 10000000),
             (unsigned)((i % 5) * 2 + (female ? 0 : 1)));
    snprintf(name, namesz, "%s %s", FIRST_NAMES[i % 10], LAST_NAMES[(i / 10) % 10]);
    if (answers_set(c, 0, "name", name) != 0 || answers_set(c, 0, "id_number", cnic) != 0)
        goto fail;
    return c;
fail:
    answers_free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o) != 0)
        return usage();
    char hh_dir[PATH_LEN];
    if (o.households)
        snprintf(hh_dir, sizeof hh_dir, "%s", o.households);
    else
        snprintf(hh_dir, sizeof hh_dir, "%s/../tests/data/households", o.data);
    char qid[32], qver[16];
    if (questionnaire_name(o.data, qid, sizeof qid, qver, sizeof qver) != 0) {
        fprintf(stderr, "mkregs: no 'questionnaire' line in %s/questionnaire.txt\n", o.data);
        return 1;
    }
    char table[PATH_LEN], thresholds[PATH_LEN], err[512];
    snprintf(table, sizeof table, "%s/scorecard-pk-2009.txt", o.data);
    snprintf(thresholds, sizeof thresholds, "%s/thresholds.txt", o.data);
    struct scoring *sc = scoring_load(table, thresholds, err, sizeof err);
    if (!sc) {
        fprintf(stderr, "mkregs: %s\n", err);
        return 1;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int today[3] = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    struct answers *hh[HOUSEHOLDS_MAX];
    size_t nhh = load_households(hh_dir, sc, today, hh);
    if (nhh == 0) {
        fprintf(stderr, "mkregs: no scorable household in %s\n", hh_dir);
        scoring_free(sc);
        return 1;
    }
    struct db *db = NULL;
    int rc = 1;
    if (db_open(o.db, &db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "mkregs: %s: %s\n", o.db, err);
        goto out;
    }
    if (!o.durable && sqlite3_exec(db_sqlite(db), "PRAGMA synchronous=OFF", NULL, NULL, NULL))
        goto out;
    static struct scoring_result r;
    long made = 0;
    for (long i = o.first; i < o.first + o.count; i++) {
        char cnic[14], name[HEAD_NAME_MAX];
        struct answers *a =
            household_for(hh[(size_t)(i - o.first) % nhh], i, cnic, name, sizeof name);
        if (!a) {
            fprintf(stderr, "mkregs: out of memory\n");
            goto out;
        }
        scoring_run(sc, a, today, &r);
        struct draft_info d;
        struct registration_meta meta;
        memset(&meta, 0, sizeof meta);
        snprintf(meta.kiosk_code, sizeof meta.kiosk_code, "%s", o.kiosk);
        /* A kiosk numbers at most 9,999 registrations a day (tracking.h):
         * a large run is spread over the days before today, oldest first. */
        meta.now = now - (time_t)((o.first + o.count - 1 - i) / PER_DAY) * 86400;
        snprintf(meta.head_name, sizeof meta.head_name, "%s", name);
        snprintf(meta.questionnaire_id, sizeof meta.questionnaire_id, "%s", qid);
        snprintf(meta.questionnaire_version, sizeof meta.questionnaire_version, "%s", qver);
        struct tracking_id t;
        enum db_result dr = drafts_create(db, cnic, qid, qver, now, &d);
        if (dr == DB_OK)
            dr = uuid_v4(meta.record_uuid, sizeof meta.record_uuid) == 0 ? DB_OK : DB_ERROR;
        if (dr == DB_OK)
            dr = registry_confirm(db, d.id, a, r.scored ? &r.stored : NULL, &meta, &t);
        answers_free(a);
        if (dr != DB_OK) {
            fprintf(stderr, "mkregs: registration %ld: %s\n", i, db_last_error(db));
            goto out;
        }
        made++;
    }
    printf("%ld registrations\n", made);
    rc = 0;
out:
    db_close(db);
    for (size_t i = 0; i < nhh; i++)
        answers_free(hh[i]);
    scoring_free(sc);
    return rc;
}
