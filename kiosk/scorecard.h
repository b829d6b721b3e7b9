/*
 * scorecard.h - the poverty score table (Proxy Means Test) and the engine
 * that scores one household with it.
 *
 * The table is data (format: docs/scoring.md): a versioned list of
 * indicators, each an expression over the survey answers (kiosk/expr.h)
 * whose value maps to points, optionally per region; the points are summed
 * and clamped to the table's range. C never knows what an indicator means,
 * so the registry can replace the example table with its own PMT table
 * without a new build.
 *
 * The score is always provisional: the central registry decides. A
 * household the table cannot score (an answer it lists no points for, an
 * unanswered question an indicator needs) gets no score and a reason,
 * never a silent 0.
 *
 * The loader refuses a bad file whole, with the file, line and reason.
 * Pure apart from scorecard_load, which reads the file: never prints,
 * never draws, never touches SQL.
 */
#ifndef NSER_SCORECARD_H
#define NSER_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"
#include "expr.h"

#define SC_ID_MAX         32 /* table/thresholds ids, NUL included (registration_score) */
#define SC_VERSION_MAX    16 /* versions, NUL included (registration_score) */
#define SC_LANGS_MAX      4  /* label languages a file may carry */
#define SC_LANG_MAX       16 /* one language code ("ur_Latn"), NUL included */
#define SC_INDICATORS_MAX 64
#define SC_ANSWER_MAX     64 /* the answer shown for one indicator, NUL included */
#define SC_ERROR_MAX      256

/* Why a file was refused. Plain English for the officer who edits it. */
struct score_error {
    char file[128]; /* base name of the file at fault */
    int line;       /* 0 when the fault is not on one line (missing file, empty file) */
    char reason[SC_ERROR_MAX];
};

enum score_problem_kind {
    SCORE_OK = 0,
    SCORE_NO_MEMBERS,   /* an empty roster: nothing to score */
    SCORE_UNANSWERED,   /* a question the indicator needs has no answer */
    SCORE_NOT_LISTED,   /* the table lists no points for this answer (and has no otherwise) */
    SCORE_NOT_A_NUMBER, /* an indicator with bands got an answer that is not a number */
    SCORE_UNKNOWN,      /* the indicator's expression cannot be worked out */
};

/* Why a household could not be scored: which indicator and what. */
struct score_problem {
    enum score_problem_kind kind;
    size_t indicator; /* index of the indicator at fault */
    char indicator_id[ANSWER_ID_MAX];
    char question[ANSWER_ID_MAX]; /* SCORE_UNANSWERED: the question; else "" */
    int member;                   /* the member at fault, or ANSWERS_HOUSEHOLD */
    char value[SC_ANSWER_MAX];    /* SCORE_NOT_LISTED / _NOT_A_NUMBER: the answer */
};

/* One indicator's part of a score, in table order. */
struct score_line {
    char indicator[ANSWER_ID_MAX];
    char answer[SC_ANSWER_MAX]; /* the value the table looked at, or the matching case */
    double points;
};

struct score_result {
    double total; /* the sum clamped to the table's range: the score */
    double sum;   /* before clamping */
    size_t n_lines;
    struct score_line lines[SC_INDICATORS_MAX];
    struct score_problem problem; /* kind SCORE_OK when scored */
};

struct scorecard;

/* Reads the table at PATH. NULL on any fault, with ERR filled in. */
struct scorecard *scorecard_load(const char *path, struct score_error *err);
/* The same from memory (tests, fuzzing); NAME names the text in errors. */
struct scorecard *scorecard_parse(const char *text, size_t len, const char *name,
                                  struct score_error *err);
void scorecard_free(struct scorecard *sc);

const char *scorecard_id(const struct scorecard *sc);
const char *scorecard_version(const struct scorecard *sc);
void scorecard_range(const struct scorecard *sc, double *lo, double *hi);

size_t scorecard_language_count(const struct scorecard *sc);
const char *scorecard_language(const struct scorecard *sc, size_t i);

size_t scorecard_indicator_count(const struct scorecard *sc);
const char *scorecard_indicator_id(const struct scorecard *sc, size_t i);
/* Indicator I's label in LANG ("en", "ur_Latn"), falling back to the
 * file's first language; NULL when I is out of range. */
const char *scorecard_indicator_label(const struct scorecard *sc, size_t i, const char *lang);

/*
 * Scores the household A. TODAY is {year, month, day} for years() in the
 * table's expressions (may be NULL: years() is then unknown). Returns 0
 * when scored, -1 when not: OUT->problem says why, and OUT->lines holds the
 * indicators worked out before the one at fault.
 */
int scorecard_score(const struct scorecard *sc, const struct answers *a, const int today[3],
                    struct score_result *out);

/*
 * One line in the user's language saying why the household could not be
 * scored (the indicator's label in LANG, the question, the member).
 * Translated with gettext: the formats are marked N_() in scorecard.c.
 */
void scorecard_problem_text(const struct scorecard *sc, const struct score_problem *p,
                            const char *lang, char *out, size_t outsz);

/*
 * Points and scores are decimals with at most SCORE_DECIMALS places, kept
 * as whole millionths so that sums and the comparison with a cut-off are
 * exact (16 + 0.17 is exactly 16.17). Parsing and formatting are by hand:
 * no locale ever turns the '.' into a ','.
 */
#define SCORE_DECIMALS 6
#define SCORE_UNIT     1000000LL
#define SCORE_ABS_MAX  1000000000LL /* largest magnitude a table may write */

/* Parses [-]digits[.digits] into millionths; false when not such a number. */
bool score_parse_decimal(const char *s, long long *micro);
/* Millionths to a score for the API, and back (rounded to the nearest). */
double score_from_micro(long long micro);
long long score_to_micro(double v);
/* Formats millionths without trailing zeros: "12", "16.17", "-0.5". */
void score_format(long long micro, char *out, size_t outsz);

/*
 * The line-oriented file conventions the score table and the thresholds
 * file share (docs/scoring.md); thresholds.c reads its file with these so
 * the two formats cannot drift apart.
 */
struct score_reader {
    const char *text;
    size_t len, pos;
    int line;
    const char *name;
};

#define SCORE_LINE_MAX 2048

/*
 * The next line with content into BUF (trailing blanks and a CR removed;
 * blank lines and whole-line '#' comments skipped). 1 for a line, 0 at the
 * end, -1 with ERR filled in (a NUL byte, an overlong line).
 */
int score_reader_next(struct score_reader *r, char *buf, size_t bufsz, struct score_error *err);
/* Fills ERR with R's name and current line; printf-style REASON. */
void score_reader_fail(const struct score_reader *r, struct score_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Cuts a trailing " # comment" outside quotes from LINE (not for label lines). */
void score_strip_comment(char *line);
/* Splits "| a | b" into exactly N trimmed texts (pointers into LINE); -1
 * when the count differs or a text is empty. */
int score_split_texts(char *line, char **texts, size_t n);
/* A `label | ...` line's texts, one per language, copied into LABEL[0..N):
 * 0, -1 when the count differs or a text is empty, -2 out of memory. */
int score_labels(char *line, size_t n, char **label);
/* LABEL's text in LANG (of the N languages LANGS), else the first one's. */
const char *score_label_in(const char (*langs)[SC_LANG_MAX], size_t n, char *const *label,
                           const char *lang);
/*
 * Parses the expression TEXT, a part of LINE (the line as read), so that
 * an error names the column in the line. NULL with ERR filled in.
 */
struct expr *score_reader_expr(const struct score_reader *r, const char *line, const char *text,
                               struct score_error *err);
/*
 * E evaluated UNKNOWN for MEMBER (or ANSWERS_HOUSEHOLD): finds the
 * unanswered question behind it, into QID, and whose answer it is into *AT.
 * False when no unanswered question explains it.
 */
bool score_unanswered_ref(const struct expr *e, const struct answers *a, int member,
                          char qid[ANSWER_ID_MAX], int *at);
/* True for a table/thresholds id: 1-31 of [a-z0-9._-], starting with a
 * letter or digit. */
bool score_valid_name(const char *s, size_t max);

#endif
