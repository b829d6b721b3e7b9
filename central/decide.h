/*
 * decide.h - the registry's decision on a record: its score worked out
 * again with the same score table (id and version) the kiosk used, the
 * programme cut-offs applied, and the status that follows.
 *
 * Every score table and thresholds file in the data folder is loaded
 * once, so records scored under an older table version are still
 * checked against that version. Pure apart from score_tables_load, which
 * reads the folder; never prints, never touches SQL.
 */
#ifndef NSER_CENTRAL_DECIDE_H
#define NSER_CENTRAL_DECIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "batch_json.h"

/* A central score further than this from the kiosk's sends the record to review. */
#define DECIDE_SCORE_TOLERANCE 0.01

struct score_tables;

/* Loads every score table and thresholds file in DIR (NULL: the shipped
 * data folder, kiosk/datafiles.h). Other files there (the questionnaire,
 * places) are skipped; a score table or thresholds file that does not
 * load is an error, so a bad table is never silently ignored. */
struct score_tables *score_tables_load(const char *dir, char *err, size_t errsz);
void score_tables_free(struct score_tables *t);
size_t score_tables_count(const struct score_tables *t); /* tables + thresholds files */

enum decision_kind {
    DECISION_NONE = 0,
    DECISION_ELIGIBLE,
    DECISION_NOT_ELIGIBLE,
    DECISION_UNDECIDED
};

struct decision {
    bool scored; /* CENTRAL_SCORE is set */
    double central_score;
    enum decision_kind kind;
    const char *status; /* "eligible", "not_eligible", "under_review" */
    char reason[160];   /* why under review; "" otherwise. Never personal data. */
};

/* Decides R. Always fills OUT. */
void decide_record(const struct score_tables *t, const struct batch_record *r,
                   struct decision *out);

/* "eligible", "not_eligible", "undecided", or NULL for DECISION_NONE. */
const char *decision_code(enum decision_kind k);

#endif
