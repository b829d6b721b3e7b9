/*
 * thresholds.h - programmes and their cut-offs: which households a score
 * makes eligible, read from a versioned file (format: docs/scoring.md).
 *
 * Cut-offs are BISP's and change: they live in the file, never in C. A
 * cut-off may depend on the household (a higher one when a member has a
 * disability: `when CONDITION` over the answers) and a programme may be
 * open only to another programme's eligible households (`requires`). The
 * file names the score table it was made for, because a cut-off means
 * nothing on another table's scale.
 *
 * The decision is provisional like the score: the central registry
 * decides. Pure apart from thresholds_load, which reads the file; never
 * prints, draws or touches SQL.
 */
#ifndef NSER_THRESHOLDS_H
#define NSER_THRESHOLDS_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"
#include "scorecard.h"

#define TH_PROGRAMMES_MAX 32

enum programme_outcome {
    PROGRAMME_NOT_ELIGIBLE = 0,
    PROGRAMME_ELIGIBLE,
    PROGRAMME_UNDECIDED, /* a question the cut-off depends on is unanswered */
};

struct programme_decision {
    char programme[ANSWER_ID_MAX];
    size_t index; /* for thresholds_programme_label() */
    enum programme_outcome outcome;
    bool eligible;      /* outcome == PROGRAMME_ELIGIBLE */
    bool has_threshold; /* false for a programme decided by `requires` alone */
    double threshold;   /* the cut-off used (the first whose condition held) */
    bool inclusive;     /* eligible when score <= threshold; else score < threshold */
    char failed_requirement[ANSWER_ID_MAX]; /* the required programme that was not
                                               eligible (or undecided); "" */
    char unanswered[ANSWER_ID_MAX];         /* PROGRAMME_UNDECIDED: the question */
};

struct thresholds;

/* Reads the file at PATH. NULL on any fault, with ERR filled in. */
struct thresholds *thresholds_load(const char *path, struct score_error *err);
/* The same from memory (tests, fuzzing); NAME names the text in errors. */
struct thresholds *thresholds_parse(const char *text, size_t len, const char *name,
                                    struct score_error *err);
void thresholds_free(struct thresholds *th);

const char *thresholds_id(const struct thresholds *th);
const char *thresholds_version(const struct thresholds *th);
/* The score table (id and version) these cut-offs are for. */
const char *thresholds_table_id(const struct thresholds *th);
const char *thresholds_table_version(const struct thresholds *th);
/* True when SC is that table: never compare a score with another table's cut-offs. */
bool thresholds_match_table(const struct thresholds *th, const struct scorecard *sc);

size_t thresholds_programme_count(const struct thresholds *th);
const char *thresholds_programme_id(const struct thresholds *th, size_t i);
/* Programme I's label in LANG, falling back to the file's first language. */
const char *thresholds_programme_label(const struct thresholds *th, size_t i, const char *lang);

/*
 * Decides every programme, in file order, for the household A with SCORE
 * (a scorecard_score() total). TODAY as for scorecard_score (may be NULL).
 * Writes at most MAX decisions to OUT and their number to *N; returns 0,
 * or -1 when MAX was too small for them all.
 */
int thresholds_decide(const struct thresholds *th, const struct answers *a, double score,
                      const int today[3], struct programme_decision *out, size_t max, size_t *n);

/*
 * The stored form of a score (db/registry.h): table id and version, total,
 * one "id\tanswer\tpoints\n" line per indicator and one
 * "id\teligible|not_eligible|undecided\n" line per programme. TH may be
 * NULL (no thresholds: those fields stay empty). Returns 0, or -1 when a
 * breakdown did not fit and was cut after its last whole line.
 */
struct registration_score;
int score_to_registration(const struct scorecard *sc, const struct score_result *r,
                          const struct thresholds *th, const struct programme_decision *d, size_t n,
                          struct registration_score *out);

#endif
