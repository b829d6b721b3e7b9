/*
 * decide.c - loading every score table version the registry knows and
 * deciding a record with the one it names.
 *
 * The kiosk's score is provisional: here the household is scored again
 * with kiosk/scorecard.c and kiosk/thresholds.c, the very code the kiosk
 * ran, on the day the kiosk registered it (years() in a table depends on
 * the day). Must never decide with a table other than the one named: an
 * unknown version is sent to review, not scored with the nearest one.
 */
#include "decide.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/datafiles.h"
#include "../kiosk/scorecard.h"
#include "../kiosk/thresholds.h"

#define TABLES_MAX 64

struct score_tables {
    size_t n_cards, n_th;
    struct scorecard *cards[TABLES_MAX];
    struct thresholds *th[TABLES_MAX];
};

void score_tables_free(struct score_tables *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_cards; i++)
        scorecard_free(t->cards[i]);
    for (size_t i = 0; i < t->n_th; i++)
        thresholds_free(t->th[i]);
    free(t);
}

size_t score_tables_count(const struct score_tables *t)
{
    return t->n_cards + t->n_th;
}

/* The first keyword of the file's first line with content: "scorecard",
 * "thresholds" or something else (0 when unreadable or other). */
static int file_kind(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    int kind = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
            continue;
        if (strncmp(p, "scorecard ", 10) == 0)
            kind = 1;
        else if (strncmp(p, "thresholds ", 11) == 0)
            kind = 2;
        break;
    }
    fclose(f);
    return kind;
}

static void describe(const struct score_error *e, char *err, size_t errsz)
{
    if (e->line)
        snprintf(err, errsz, "%s line %d: %s", e->file, e->line, e->reason);
    else
        snprintf(err, errsz, "%s: %s", e->file, e->reason);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct score_tables *t, const char *dir, char *err, size_t errsz)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "cannot read the data folder %s", dir);
        return -1;
    }
    char *names[256] = {0};
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < sizeof names / sizeof names[0]) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0)
            continue;
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (rc == 0 && (size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) < sizeof path) {
            int kind = file_kind(path);
            struct score_error e;
            memset(&e, 0, sizeof e);
            if (kind == 1 && t->n_cards < TABLES_MAX) {
                t->cards[t->n_cards] = scorecard_load(path, &e);
                if (t->cards[t->n_cards])
                    t->n_cards++;
                else
                    rc = -1;
            } else if (kind == 2 && t->n_th < TABLES_MAX) {
                t->th[t->n_th] = thresholds_load(path, &e);
                if (t->th[t->n_th])
                    t->n_th++;
                else
                    rc = -1;
            }
            if (rc != 0)
                describe(&e, err, errsz);
        }
        free(names[i]);
    }
    return rc;
}

struct score_tables *score_tables_load(const char *dir, char *err, size_t errsz)
{
    char shipped[PATH_MAX];
    if (!dir || !*dir) {
        /* The shipped score table tells where the shipped data folder is. */
        if (datafiles_path("", "scorecard-pk-2009.txt", shipped, sizeof shipped) != 0) {
            snprintf(err, errsz, "no data folder found (looked for %s): use --data DIR", shipped);
            return NULL;
        }
        dir = dirname(shipped);
    }
    struct score_tables *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (load_dir(t, dir, err, errsz) != 0) {
        score_tables_free(t);
        return NULL;
    }
    return t;
}

const char *decision_code(enum decision_kind k)
{
    switch (k) {
    case DECISION_ELIGIBLE:
        return "eligible";
    case DECISION_NOT_ELIGIBLE:
        return "not_eligible";
    case DECISION_UNDECIDED:
        return "undecided";
    case DECISION_NONE:
        break;
    }
    return NULL;
}

static const struct thresholds *find_thresholds(const struct score_tables *t,
                                                const struct batch_record *r,
                                                const struct scorecard *sc)
{
    for (size_t i = 0; i < t->n_th; i++) {
        const struct thresholds *th = t->th[i];
        if (!thresholds_match_table(th, sc))
            continue;
        if (!r->thresholds_id[0] || (strcmp(thresholds_id(th), r->thresholds_id) == 0 &&
                                     strcmp(thresholds_version(th), r->thresholds_version) == 0))
            return th;
    }
    return NULL;
}

static void review(struct decision *out, const char *why)
{
    out->status = "under_review";
    snprintf(out->reason, sizeof out->reason, "%s", why);
}

void decide_record(const struct score_tables *t, const struct batch_record *r, struct decision *out)
{
    memset(out, 0, sizeof *out);
    if (!r->has_score) {
        review(out, "no provisional score from the kiosk");
        return;
    }
    const struct scorecard *sc = NULL;
    for (size_t i = 0; t && i < t->n_cards && !sc; i++)
        if (strcmp(scorecard_id(t->cards[i]), r->table_id) == 0 &&
            strcmp(scorecard_version(t->cards[i]), r->table_version) == 0)
            sc = t->cards[i];
    if (!sc) {
        review(out, "unknown table version");
        return;
    }
    struct score_result res;
    memset(&res, 0, sizeof res);
    if (scorecard_score(sc, r->answers, r->created_ymd, &res) != 0) {
        review(out, "the household cannot be scored with its table");
        return;
    }
    out->scored = true;
    out->central_score = res.total;
    const struct thresholds *th = find_thresholds(t, r, sc);
    if (!th) {
        review(out,
               r->thresholds_id[0] ? "unknown thresholds version" : "no thresholds for the table");
        return;
    }
    struct programme_decision d[TH_PROGRAMMES_MAX];
    size_t n = 0;
    if (thresholds_decide(th, r->answers, res.total, r->created_ymd, d, TH_PROGRAMMES_MAX, &n) !=
        0) {
        review(out, "too many programmes to decide");
        return;
    }
    bool eligible = false, undecided = false;
    for (size_t i = 0; i < n; i++) {
        eligible |= d[i].outcome == PROGRAMME_ELIGIBLE;
        undecided |= d[i].outcome == PROGRAMME_UNDECIDED;
    }
    /* Eligible for any programme is eligible; an open question with no
     * eligibility yet needs a person. */
    out->kind = eligible    ? DECISION_ELIGIBLE
                : undecided ? DECISION_UNDECIDED
                            : DECISION_NOT_ELIGIBLE;
    if (fabs(res.total - r->kiosk_score) > DECIDE_SCORE_TOLERANCE) {
        snprintf(out->reason, sizeof out->reason, "central score differs from the kiosk's");
        out->status = "under_review";
        return;
    }
    if (out->kind == DECISION_UNDECIDED)
        review(out, "a cut-off depends on an unanswered question");
    else
        out->status = decision_code(out->kind);
}
