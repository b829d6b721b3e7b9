/*
 * scoring.c - the score table and the thresholds as one thing the flow
 * runs: load both (refusing a thresholds file written for another table),
 * score a household, decide each programme, and fill the stored form.
 *
 * Reads files only in scoring_load; never draws, never touches SQL.
 */
#include "scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "scorecard.h"
#include "thresholds.h"

struct scoring {
    struct scorecard *table;
    struct thresholds *thresholds;
};

static void describe(const struct score_error *e, char *err, size_t errsz)
{
    if (e->line)
        snprintf(err, errsz, "%s line %d: %s", e->file, e->line, e->reason);
    else
        snprintf(err, errsz, "%s: %s", e->file, e->reason);
}

struct scoring *scoring_load(const char *scorecard_path, const char *thresholds_path, char *err,
                             size_t errsz)
{
    struct scoring *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    struct score_error e;
    memset(&e, 0, sizeof e);
    s->table = scorecard_load(scorecard_path, &e);
    if (!s->table) {
        describe(&e, err, errsz);
        scoring_free(s);
        return NULL;
    }
    s->thresholds = thresholds_load(thresholds_path, &e);
    if (!s->thresholds) {
        describe(&e, err, errsz);
        scoring_free(s);
        return NULL;
    }
    /* Cut-offs only mean something on the scale they were set for. */
    if (!thresholds_match_table(s->thresholds, s->table)) {
        snprintf(err, errsz, "%s is for score table %s version %s, not %s version %s",
                 thresholds_path, thresholds_table_id(s->thresholds),
                 thresholds_table_version(s->thresholds), scorecard_id(s->table),
                 scorecard_version(s->table));
        scoring_free(s);
        return NULL;
    }
    return s;
}

void scoring_free(struct scoring *s)
{
    if (!s)
        return;
    scorecard_free(s->table);
    thresholds_free(s->thresholds);
    free(s);
}

void scoring_run(const struct scoring *s, const struct answers *a, const int today[3],
                 struct scoring_result *out)
{
    memset(out, 0, sizeof *out);
    struct score_result r;
    memset(&r, 0, sizeof r);
    if (scorecard_score(s->table, a, today, &r) != 0) {
        scorecard_problem_text(s->table, &r.problem, "en", out->problem, sizeof out->problem);
        return;
    }
    out->scored = true;
    out->total = r.total;
    for (size_t i = 0; i < r.n_lines && i < SCORING_ITEMS_MAX; i++) {
        struct scoring_item *it = &out->items[out->n_items++];
        ascii_copy(r.lines[i].indicator, it->id, sizeof it->id);
        ascii_copy(r.lines[i].answer, it->answer, sizeof it->answer);
        it->points = r.lines[i].points;
    }
    struct programme_decision d[TH_PROGRAMMES_MAX];
    size_t n = 0;
    if (thresholds_decide(s->thresholds, a, r.total, today, d, TH_PROGRAMMES_MAX, &n) != 0)
        n = 0;
    for (size_t i = 0; i < n && i < SCORING_DECISIONS_MAX; i++) {
        struct scoring_decision *dec = &out->decisions[out->n_decisions++];
        ascii_copy(d[i].programme, dec->programme, sizeof dec->programme);
        dec->threshold = d[i].threshold;
        dec->has_threshold = d[i].has_threshold;
        dec->eligible = d[i].eligible;
        dec->undecided = d[i].outcome == PROGRAMME_UNDECIDED;
    }
    if (score_to_registration(s->table, &r, s->thresholds, d, n, &out->stored) != 0) {
        out->scored = false;
        snprintf(out->problem, sizeof out->problem, "the score breakdown is too long to store");
    }
}

const char *scoring_item_label(const struct scoring *s, const char *id, const char *lang)
{
    for (size_t i = 0; i < scorecard_indicator_count(s->table); i++)
        if (strcmp(scorecard_indicator_id(s->table, i), id) == 0)
            return scorecard_indicator_label(s->table, i, lang);
    return id;
}

const char *scoring_programme_label(const struct scoring *s, const char *id, const char *lang)
{
    for (size_t i = 0; i < thresholds_programme_count(s->thresholds); i++)
        if (strcmp(thresholds_programme_id(s->thresholds, i), id) == 0)
            return thresholds_programme_label(s->thresholds, i, lang);
    return id;
}

const char *scoring_table_id(const struct scoring *s)
{
    return scorecard_id(s->table);
}

const char *scoring_table_version(const struct scoring *s)
{
    return scorecard_version(s->table);
}
