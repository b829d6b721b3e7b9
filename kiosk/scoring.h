/*
 * scoring.h - the kiosk's provisional poverty score: the score table and
 * the programme thresholds loaded together, run over one household.
 *
 * A thin layer over kiosk/scorecard.h and kiosk/thresholds.h, so the flow
 * and the clerk's screen see one result with its breakdown, and the
 * registry gets the stored form (table id and version included). The
 * score is always provisional: the central registry decides. Pure apart
 * from scoring_load, which reads the two files.
 */
#ifndef NSER_SCORING_H
#define NSER_SCORING_H

#include <stdbool.h>
#include <stddef.h>

#include "../db/registry.h"
#include "answers.h"

#define SCORING_ITEMS_MAX     32
#define SCORING_DECISIONS_MAX 8

struct scoring;

struct scoring_item {
    char id[32];
    char answer[64]; /* the value the indicator read, as text */
    double points;
};

struct scoring_decision {
    char programme[32];
    double threshold;
    bool eligible;
};

struct scoring_result {
    bool scored;
    char problem[256]; /* why not, in plain English, when !scored */
    double total;      /* clamped to the table's range */
    size_t n_items;
    struct scoring_item items[SCORING_ITEMS_MAX];
    size_t n_decisions;
    struct scoring_decision decisions[SCORING_DECISIONS_MAX];
    struct registration_score stored;
};

/* NULL on failure with ERR saying which file, line and why. */
struct scoring *scoring_load(const char *scorecard_path, const char *thresholds_path, char *err,
                             size_t errsz);
void scoring_free(struct scoring *s);

/* Scores A (member 0 the head). Always fills OUT; OUT->scored says whether. */
void scoring_run(const struct scoring *s, const struct answers *a, const int today[3],
                 struct scoring_result *out);

/* Labels in LANG (falling back to the table's first language). */
const char *scoring_item_label(const struct scoring *s, const char *id, const char *lang);
const char *scoring_programme_label(const struct scoring *s, const char *id, const char *lang);
const char *scoring_table_id(const struct scoring *s);
const char *scoring_table_version(const struct scoring *s);

#endif
