/*
 * questionnaire.h - the household survey as data: pages, questions, answer
 * options, validation, skip rules and cross-field checks, read from a
 * versioned file under data/ (format: docs/questionnaire.md).
 *
 * The loader refuses a bad file whole, with the line and the reason, so the
 * kiosk never runs a broken survey. After loading, everything is read-only:
 * screens, the flow and the scorer only look. Pure apart from
 * questionnaire_load, which reads the files; never draws, never touches SQL.
 */
#ifndef NSER_QUESTIONNAIRE_H
#define NSER_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"
#include "expr.h"

#define Q_LANGS_MAX   4  /* UI languages a file may carry */
#define Q_CODE_MAX    24 /* option and place codes, NUL included */
#define Q_ERROR_MAX   256
#define Q_OPTIONS_MAX 64

enum q_type {
    Q_TEXT,   /* free text (names in any script); min/max are lengths in characters */
    Q_NUMBER, /* a number in [min, max] with at most `decimals` decimals */
    Q_CHOICE, /* one option's code */
    Q_DATE,   /* YYYY-MM-DD, typed DD-MM-YYYY; not in the future */
    Q_PHONE,  /* Pakistani mobile, stored 03XXXXXXXXX */
    Q_CNIC,   /* 13 digits (CNIC, B-form or NICOP) */
    Q_PLACE,  /* a code from the places file at `place_level`, under `parent`'s answer */
};

enum q_scope {
    Q_SCOPE_HOUSEHOLD, /* asked once per household */
    Q_SCOPE_MEMBER,    /* asked for every member, the head included */
};

/* One text per language, in the order of questionnaire_language(). */
struct q_text {
    const char *t[Q_LANGS_MAX];
};

struct q_option {
    char code[Q_CODE_MAX];
    struct q_text text;
};

struct q_question {
    char id[ANSWER_ID_MAX];
    enum q_type type;
    enum q_scope scope;
    bool required; /* when shown */
    double min, max;
    int decimals;
    struct q_text label;
    struct q_text help;    /* every t[] NULL when the file gives none */
    struct q_text heading; /* short column heading; every t[] NULL when none */
    const struct q_option *options;
    size_t n_options;
    char place_level[Q_CODE_MAX]; /* Q_PLACE */
    char parent[ANSWER_ID_MAX]; /* Q_PLACE: the question holding the parent place, "" for the top */
    const struct expr *show_if; /* NULL: always shown */
    int line;                   /* where the file defines it */
};

/* A cross-field check: `check` must not be FALSE when `when` is not FALSE. */
struct q_check {
    const struct expr *check;
    const struct expr *when; /* NULL: always */
    struct q_text message;
    int line;
};

struct q_page {
    char id[ANSWER_ID_MAX];
    enum q_scope scope; /* member pages are asked per member, in file order */
    struct q_text title;
    const struct q_question *const *questions;
    size_t n_questions;
    const struct q_check *checks;
    size_t n_checks;
    int line;
};

struct q_place {
    char code[Q_CODE_MAX];
    char parent[Q_CODE_MAX]; /* "" at the top level */
    char level[Q_CODE_MAX];
    struct q_text name;
};

struct q_error {
    char file[128]; /* base name of the file at fault */
    int line;       /* 0 when the fault is not on one line (e.g. a missing file) */
    char reason[Q_ERROR_MAX];
};

struct questionnaire;

/*
 * Reads the questionnaire at PATH and the places file it names (relative
 * to PATH's folder). NULL on any fault, with ERR filled in.
 */
struct questionnaire *questionnaire_load(const char *path, struct q_error *err);
/* The same from memory (tests, fuzzing): PLACES may be NULL when the text
 * names no places file. Errors name the text "(text)" and the places by the
 * name the text's `places` line gives. */
struct questionnaire *questionnaire_parse(const char *text, size_t len, const char *places,
                                          size_t places_len, struct q_error *err);
void questionnaire_free(struct questionnaire *q);

const char *questionnaire_id(const struct questionnaire *q);
const char *questionnaire_version(const struct questionnaire *q);

size_t questionnaire_language_count(const struct questionnaire *q);
const char *questionnaire_language(const struct questionnaire *q, size_t i); /* "en", "ur_Latn" */
/* T in LANG ("en", "ur_Latn", ...), falling back to the file's first language. */
const char *q_text(const struct questionnaire *q, const struct q_text *t, const char *lang);

size_t questionnaire_page_count(const struct questionnaire *q);
const struct q_page *questionnaire_page(const struct questionnaire *q, size_t i);
/* NULL when no question has that id. */
const struct q_question *questionnaire_question(const struct questionnaire *q, const char *id);
/* NULL when CODE is not one of Q's options. */
const struct q_option *q_option(const struct q_question *qq, const char *code);

/* Roles: the member questions the roster list and the flow rely on. */
const struct q_question *questionnaire_member_name(const struct questionnaire *q);
const struct q_question *questionnaire_member_relation(const struct questionnaire *q);
const struct q_question *questionnaire_member_gender(const struct questionnaire *q);
const struct q_question *questionnaire_member_id(const struct questionnaire *q); /* CNIC/B-form */
const struct q_question *questionnaire_member_age(const struct questionnaire *q);
/* Member question ids the roster list shows, in order. */
size_t questionnaire_roster_column_count(const struct questionnaire *q);
const struct q_question *questionnaire_roster_column(const struct questionnaire *q, size_t i);

/* Places: the children of PARENT ("" for the top) at LEVEL, in file order. */
size_t questionnaire_place_count(const struct questionnaire *q, const char *level,
                                 const char *parent);
const struct q_place *questionnaire_place_at(const struct questionnaire *q, const char *level,
                                             const char *parent, size_t i);
const struct q_place *questionnaire_place(const struct questionnaire *q, const char *level,
                                          const char *code);

/*
 * Checks VALUE (as typed, already trimmed) against QQ's type and range,
 * writing the value to store into OUT (dates become YYYY-MM-DD, phones
 * 03XXXXXXXXX). Returns NULL when fine, else an untranslated message id.
 * Empty VALUE is fine here; requiredness is the caller's (see below).
 * TODAY ({year, month, day}; NULL or year 0: unbounded) bounds dates.
 * PARENT_VALUE is the parent place's answer for Q_PLACE; CNIC_REGIONS the
 * accepted first digits (NULL: CNIC_DEFAULT_REGIONS). A message may hold
 * one "%s": format it with q_range_text(QQ). OUT may be NULL (check only);
 * a value that does not fit OUTSZ is refused as too long.
 */
const char *q_validate(const struct questionnaire *q, const struct q_question *qq,
                       const char *value, const char *parent_value, const int today[3],
                       const char *cnic_regions, char *out, size_t outsz);

/*
 * The allowed range of QQ, for the one "%s" a q_validate message may hold:
 * "2-60" (text length, or a typed place name), "0-120" (number); "" for
 * other types. Returns BUF.
 */
const char *q_range_text(const struct q_question *qq, char *buf, size_t bufsz);

/* A typed place name (Q_PLACE, see q_place_is_typed) has this many characters. */
#define Q_PLACE_TYPED_MIN 2
#define Q_PLACE_TYPED_MAX 60

/*
 * True when Q_PLACE question QQ is answered by typing a name rather than
 * choosing: the places file lists nothing at its level under PARENT_VALUE
 * (its parent's answer; NULL or "" when unanswered). The shipped list is a
 * sample, so a missing place must never block a registration.
 */
bool q_place_is_typed(const struct questionnaire *q, const struct q_question *qq,
                      const char *parent_value);

/* Is QQ shown, given CTX (its skip condition; UNKNOWN hides). */
bool q_shown(const struct q_question *qq, const struct expr_ctx *ctx);

/*
 * Runs PAGE's checks against CTX: returns the first failing check (FALSE,
 * with `when` not FALSE) or NULL. For a member page CTX.member is the member.
 */
const struct q_check *q_page_failing_check(const struct q_page *page, const struct expr_ctx *ctx);

#endif
