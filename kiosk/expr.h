/*
 * expr.h - the small expression language of the questionnaire's skip and
 * cross-field rules and of the score table's indicators.
 *
 * Grammar (keywords lower case, ids are question ids):
 *
 *   expr  := and { "or" and }
 *   and   := not { "and" not }
 *   not   := "not" not | cmp
 *   cmp   := sum [ ("=" | "!=" | "<" | "<=" | ">" | ">=") sum ]
 *          | sum "in" "(" sum { "," sum } ")"
 *   sum   := atom { ("+" | "-") atom }
 *   atom  := NUMBER | STRING | ref | "(" expr ")"
 *          | "count" "(" expr ")"      members (head included) for whom expr holds
 *          | "sum" "(" expr ")"        total of a number over the members
 *          | "answered" "(" ref ")"    1 when the question has an answer, else 0
 *          | "years" "(" ref ")"       full years from a YYYY-MM-DD answer to today
 *   ref   := ID | "head." ID
 *   NUMBER: 12, 16.17, -3      STRING: 'text' or "text" (no escapes)
 *
 * A bare ID is the current member's answer when evaluated for a member
 * (member pages, inside count/sum), else the household's answer. Question
 * ids are unique across the two scopes, so there is never a doubt which.
 *
 * Logic is three-valued: an unanswered question is UNKNOWN, and UNKNOWN
 * flows through comparisons and arithmetic (Kleene and/or/not). Callers
 * decide what UNKNOWN means: a rule that is UNKNOWN does not block, a skip
 * condition that is UNKNOWN hides its question. Values that both read as
 * numbers compare as numbers, otherwise as text ("=" and "!=" only make
 * sense for codes; "<" on YYYY-MM-DD dates orders them).
 *
 * Pure: no I/O, no locale (numbers are parsed by hand, '.' is the point).
 */
#ifndef NSER_EXPR_H
#define NSER_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"

enum tri { TRI_FALSE = 0, TRI_TRUE = 1, TRI_UNKNOWN = 2 };

struct expr;

struct expr_ctx {
    const struct answers *answers;
    int member;           /* ANSWERS_HOUSEHOLD, or the member bare ids mean */
    int year, month, day; /* today, for years() */
};

/*
 * Parses TEXT (the whole string must be one expression). On error returns
 * NULL and writes a one-line English reason with the column (1-based) into
 * ERR, e.g. "column 9: expected ')'".
 */
struct expr *expr_parse(const char *text, char *err, size_t errsz);
void expr_free(struct expr *e);

/* Truth of E. A number is true when not 0; text is true when not empty. */
enum tri expr_test(const struct expr *e, const struct expr_ctx *ctx);

/* Numeric value of E; false when UNKNOWN or not a number. */
bool expr_number(const struct expr *e, const struct expr_ctx *ctx, double *out);

/* Text value of E (a number is formatted without trailing zeros); false when
 * UNKNOWN. Truncated to OUTSZ. */
bool expr_text(const struct expr *e, const struct expr_ctx *ctx, char *out, size_t outsz);

enum expr_ref_kind {
    EXPR_REF_PLAIN,   /* a bare ID outside count()/sum() */
    EXPR_REF_HEAD,    /* head.ID */
    EXPR_REF_MEMBERS, /* a bare ID inside count()/sum(): a member question */
};

/*
 * Calls FN for every question id E mentions, so a loader can check that
 * each exists and has the right scope. Stops at and returns the first
 * non-zero FN result; 0 when all were fine.
 */
typedef int (*expr_ref_fn)(void *ud, const char *qid, enum expr_ref_kind kind);
int expr_refs(const struct expr *e, expr_ref_fn fn, void *ud);

/* True when E uses count() or sum(), which need the whole roster loaded. */
bool expr_uses_roster(const struct expr *e);

#endif
