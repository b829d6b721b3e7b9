/*
 * scorecard.c - the score table loader and the scoring engine (format in
 * docs/scoring.md).
 *
 * The table comes from a file a registry officer edits, so every line is
 * bounds-checked and a fault refuses the whole file with its line: a kiosk
 * must never score with half a table. Scoring never guesses: an answer the
 * table does not list, or an unanswered question an indicator needs, stops
 * the score with a reason instead of counting 0. Points are whole
 * millionths so sums and cut-offs compare exactly.
 *
 * Only scorecard_load does I/O (it reads the one file). Must never print,
 * draw or exit.
 */
#include "scorecard.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "i18n.h"
#include "utf8.h"

#define SC_ROWS_MAX  256 /* rows of one indicator */
#define SC_NEEDS_MAX 16
#define SC_CODE_MAX  ANSWER_ID_MAX
#define SC_FILE_MAX  (1024 * 1024)

enum row_kind {
    ROW_POINTS, /* the value equals `value` */
    ROW_BAND,   /* the value, a number, lies in [lo, hi] */
    ROW_CASE,   /* `cond` holds; the answer shown is `value` (the case's code) */
};

struct row {
    enum row_kind kind;
    char *value; /* ROW_POINTS: the answer; ROW_CASE: the code */
    bool open_lo, open_hi;
    long long lo, hi;  /* ROW_BAND, millionths */
    long long points;  /* millionths */
    struct expr *cond; /* ROW_POINTS/ROW_BAND: `when` (NULL: always); ROW_CASE: the case */
    char *cond_text;   /* as written, to tell rows for the same region apart */
    int line;
};

struct need {
    char qid[ANSWER_ID_MAX];
    struct expr *cond; /* NULL: every member */
    int line;
};

struct indicator {
    char id[ANSWER_ID_MAX];
    char *label[SC_LANGS_MAX];
    struct expr *value; /* NULL when every row is a case */
    struct need needs[SC_NEEDS_MAX];
    size_t n_needs;
    struct row *rows;
    size_t n_rows;
    bool has_otherwise, otherwise_refuse;
    long long otherwise;
    int line;
};

struct scorecard {
    char id[SC_ID_MAX];
    char version[SC_VERSION_MAX];
    char langs[SC_LANGS_MAX][SC_LANG_MAX];
    size_t n_langs;
    bool has_range;
    long long lo, hi;
    struct indicator *ind;
    size_t n_ind;
};

/* --- numbers --- */

bool score_parse_decimal(const char *s, long long *micro)
{
    if (!s)
        return false;
    bool neg = false;
    if (*s == '-') {
        neg = true;
        s++;
    }
    if (!ascii_is_digit(*s))
        return false;
    long long whole = 0;
    int digits = 0;
    while (ascii_is_digit(*s)) {
        if (++digits > 10) /* beyond SCORE_ABS_MAX anyway; keeps the sum from overflowing */
            return false;
        whole = whole * 10 + (*s++ - '0');
    }
    long long frac = 0;
    if (*s == '.') {
        s++;
        if (!ascii_is_digit(*s))
            return false;
        int places = 0;
        while (ascii_is_digit(*s)) {
            if (++places > SCORE_DECIMALS)
                return false;
            frac = frac * 10 + (*s++ - '0');
        }
        for (; places < SCORE_DECIMALS; places++)
            frac *= 10;
    }
    if (*s || whole > SCORE_ABS_MAX)
        return false;
    long long v = whole * SCORE_UNIT + frac;
    if (v > SCORE_ABS_MAX * SCORE_UNIT)
        return false;
    if (micro)
        *micro = neg ? -v : v;
    return true;
}

double score_from_micro(long long micro)
{
    return (double)micro / (double)SCORE_UNIT;
}

long long score_to_micro(double v)
{
    /* Far beyond any table's range: saturate rather than overflow. */
    const double limit = 4e18 / (double)SCORE_UNIT;
    if (isnan(v))
        return 0;
    if (v > limit)
        return LLONG_MAX / 2;
    if (v < -limit)
        return -(LLONG_MAX / 2);
    return llround(v * (double)SCORE_UNIT);
}

void score_format(long long micro, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    unsigned long long a = micro < 0 ? 0ULL - (unsigned long long)micro : (unsigned long long)micro;
    unsigned long long whole = a / (unsigned long long)SCORE_UNIT;
    unsigned long long frac = a % (unsigned long long)SCORE_UNIT;
    if (frac == 0) {
        snprintf(out, outsz, "%s%llu", micro < 0 ? "-" : "", whole);
        return;
    }
    char f[SCORE_DECIMALS + 1];
    snprintf(f, sizeof f, "%0*llu", SCORE_DECIMALS, frac);
    size_t n = strlen(f);
    while (n > 1 && f[n - 1] == '0')
        f[--n] = '\0';
    snprintf(out, outsz, "%s%llu.%s", micro < 0 ? "-" : "", whole, f);
}

/* --- the shared line reader --- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void set_error(struct score_error *err, const char *name, int line, const char *fmt,
                      va_list ap) __attribute__((format(printf, 4, 0)));

static void set_error(struct score_error *err, const char *name, int line, const char *fmt,
                      va_list ap)
{
    if (!err)
        return;
    ascii_copy(base_name(name ? name : "?"), err->file, sizeof err->file);
    err->line = line;
    vsnprintf(err->reason, sizeof err->reason, fmt, ap);
}

void score_reader_fail(const struct score_reader *r, struct score_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(err, r->name, r->line, fmt, ap);
    va_end(ap);
}

static void fail_at(struct score_error *err, const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(struct score_error *err, const char *name, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(err, name, line, fmt, ap);
    va_end(ap);
}

int score_reader_next(struct score_reader *r, char *buf, size_t bufsz, struct score_error *err)
{
    /* A UTF-8 byte order mark, as some editors write, is not content. */
    if (r->pos == 0 && r->len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    while (r->pos < r->len) {
        r->line++;
        size_t start = r->pos, end = start;
        while (end < r->len && r->text[end] != '\n') {
            if (r->text[end] == '\0') {
                score_reader_fail(r, err, "the line holds a NUL byte");
                return -1;
            }
            end++;
        }
        r->pos = end < r->len ? end + 1 : end;
        while (end > start && ascii_is_blank(r->text[end - 1]))
            end--;
        if (end - start >= bufsz) {
            score_reader_fail(r, err, "the line is longer than %zu bytes", bufsz - 1);
            return -1;
        }
        /* Labels reach the screen and JSON: only well-formed UTF-8 may pass. */
        if (!utf8_valid(r->text + start, end - start)) {
            score_reader_fail(r, err, "the line is not valid UTF-8");
            return -1;
        }
        memcpy(buf, r->text + start, end - start);
        buf[end - start] = '\0';
        const char *p = buf;
        while (ascii_is_blank(*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        return 1;
    }
    return 0;
}

void score_strip_comment(char *line)
{
    char quote = 0;
    for (char *p = line; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '#' && (p == line || ascii_is_blank(p[-1]))) {
            *p = '\0';
            break;
        }
    }
    size_t n = strlen(line);
    while (n > 0 && ascii_is_blank(line[n - 1]))
        line[--n] = '\0';
}

int score_labels(char *line, size_t n, char **label)
{
    char *texts[SC_LANGS_MAX];
    if (n > SC_LANGS_MAX || score_split_texts(line, texts, n) != 0)
        return -1;
    for (size_t l = 0; l < n; l++) {
        label[l] = strdup(texts[l]);
        if (!label[l])
            return -2;
    }
    return 0;
}

const char *score_label_in(const char (*langs)[SC_LANG_MAX], size_t n, char *const *label,
                           const char *lang)
{
    for (size_t l = 0; lang && l < n; l++)
        if (strcmp(langs[l], lang) == 0)
            return label[l];
    return label[0];
}

int score_split_texts(char *line, char **texts, size_t n)
{
    char *p = line;
    while (ascii_is_blank(*p))
        p++;
    if (*p != '|')
        return -1;
    p++;
    size_t count = 0;
    for (;;) {
        char *bar = strchr(p, '|');
        char *start = p, *end = bar ? bar : p + strlen(p);
        while (start < end && ascii_is_blank(*start))
            start++;
        while (end > start && ascii_is_blank(end[-1]))
            end--;
        if (count == n || end == start)
            return -1;
        *end = '\0'; /* at or before BAR, which is already known */
        texts[count++] = start;
        if (!bar)
            break;
        p = bar + 1;
    }
    return count == n ? 0 : -1;
}

bool score_valid_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || ascii_is_digit(s[0])))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || ascii_is_digit(c) || c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

struct expr *score_reader_expr(const struct score_reader *r, const char *line, const char *text,
                               struct score_error *err)
{
    char why[SC_ERROR_MAX];
    if (*text == '\0') {
        score_reader_fail(r, err, "an expression is missing");
        return NULL;
    }
    struct expr *e = expr_parse(text, why, sizeof why);
    if (e)
        return e;
    /* expr names the column in the expression; the officer needs the line's. */
    size_t col = 0;
    int used = 0;
    if (sscanf(why, "column %zu: %n", &col, &used) == 1 && used > 0)
        score_reader_fail(r, err, "bad expression at column %zu: %s", col + (size_t)(text - line),
                          why + used);
    else
        score_reader_fail(r, err, "bad expression: %s", why);
    return NULL;
}

/* --- tokens within a line --- */

static char *skip_blanks(char *p)
{
    while (ascii_is_blank(*p))
        p++;
    return p;
}

/*
 * The next word or quoted text of *P into TOK. 1 read, 0 nothing left, -1
 * unclosed quote or too long. *QUOTED tells which.
 */
static int next_token(char **p, char *tok, size_t toksz, bool *quoted)
{
    char *s = skip_blanks(*p);
    size_t n = 0;
    *quoted = false;
    if (*s == '\0') {
        *p = s;
        return 0;
    }
    if (*s == '\'' || *s == '"') {
        char q = *s++;
        char *end = strchr(s, q);
        if (!end)
            return -1;
        n = (size_t)(end - s);
        if (n >= toksz)
            return -1;
        memcpy(tok, s, n);
        tok[n] = '\0';
        *quoted = true;
        *p = end + 1;
        if (**p && !ascii_is_blank(**p))
            return -1;
        return 1;
    }
    char *start = s;
    while (*s && !ascii_is_blank(*s))
        s++;
    n = (size_t)(s - start);
    if (n >= toksz)
        return -1;
    memcpy(tok, start, n);
    tok[n] = '\0';
    *p = s;
    return 1;
}

/* The word W followed by a blank (or the end) at P: returns what follows. */
static char *after_word(char *p, const char *w)
{
    size_t n = strlen(w);
    p = skip_blanks(p);
    if (strncmp(p, w, n) != 0 || (p[n] && !ascii_is_blank(p[n])))
        return NULL;
    return skip_blanks(p + n);
}

/* --- the table --- */

static void indicator_free(struct indicator *ind)
{
    for (size_t l = 0; l < SC_LANGS_MAX; l++)
        free(ind->label[l]);
    expr_free(ind->value);
    for (size_t i = 0; i < ind->n_needs; i++)
        expr_free(ind->needs[i].cond);
    for (size_t i = 0; i < ind->n_rows; i++) {
        free(ind->rows[i].value);
        expr_free(ind->rows[i].cond);
        free(ind->rows[i].cond_text);
    }
    free(ind->rows);
}

void scorecard_free(struct scorecard *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_ind; i++)
        indicator_free(&sc->ind[i]);
    free(sc->ind);
    free(sc);
}

struct loader {
    struct score_reader r;
    struct scorecard *sc;
    struct score_error *err;
    char *line; /* the current line as read */
};

static bool fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(ld->err, ld->r.name, ld->r.line, fmt, ap);
    va_end(ap);
    return false;
}

static bool oom(struct loader *ld)
{
    return fail(ld, "out of memory");
}

static struct indicator *current(struct loader *ld)
{
    return ld->sc->n_ind ? &ld->sc->ind[ld->sc->n_ind - 1] : NULL;
}

/* A number of points: a decimal within the table's range. */
static bool parse_points(struct loader *ld, const char *tok, long long *out)
{
    if (!score_parse_decimal(tok, out))
        return fail(ld, "'%s' is not a number of points (digits, '.', at most %d decimals)", tok,
                    SCORE_DECIMALS);
    if (*out < ld->sc->lo || *out > ld->sc->hi) {
        char lo[32], hi[32];
        score_format(ld->sc->lo, lo, sizeof lo);
        score_format(ld->sc->hi, hi, sizeof hi);
        return fail(ld, "%s points are outside the table's range %s to %s", tok, lo, hi);
    }
    return true;
}

static bool header_line(struct loader *ld, const char *directive, char *rest)
{
    struct scorecard *sc = ld->sc;
    bool quoted;
    if (strcmp(directive, "languages") == 0) {
        char tok[64];
        if (sc->n_langs)
            return fail(ld, "'languages' is given twice");
        int rc;
        while ((rc = next_token(&rest, tok, sizeof tok, &quoted)) == 1) {
            size_t n = strlen(tok);
            bool ok = !quoted && n > 0 && n < SC_LANG_MAX;
            for (size_t i = 0; ok && i < n; i++)
                ok = (tok[i] >= 'a' && tok[i] <= 'z') || (tok[i] >= 'A' && tok[i] <= 'Z') ||
                     tok[i] == '_';
            if (!ok)
                return fail(ld, "'%s' is not a language code (like en or ur_Latn)", tok);
            for (size_t i = 0; i < sc->n_langs; i++)
                if (strcmp(sc->langs[i], tok) == 0)
                    return fail(ld, "language '%s' is listed twice", tok);
            if (sc->n_langs == SC_LANGS_MAX)
                return fail(ld, "more than %d languages", SC_LANGS_MAX);
            memcpy(sc->langs[sc->n_langs++], tok, n + 1);
        }
        if (rc < 0)
            return fail(ld, "a language code is too long");
        if (sc->n_langs == 0)
            return fail(ld, "'languages' needs at least one language code");
        return true;
    }
    /* range */
    if (sc->has_range)
        return fail(ld, "'range' is given twice");
    char lo[64], hi[64];
    if (next_token(&rest, lo, sizeof lo, &quoted) != 1 ||
        next_token(&rest, hi, sizeof hi, &quoted) != 1 || *skip_blanks(rest))
        return fail(ld, "'range' needs two numbers: range LOW HIGH");
    if (!score_parse_decimal(lo, &sc->lo) || !score_parse_decimal(hi, &sc->hi))
        return fail(ld, "'range' needs two numbers: range LOW HIGH");
    if (sc->lo >= sc->hi)
        return fail(ld, "the range's low end must be below its high end");
    sc->has_range = true;
    return true;
}

static bool check_indicator_done(struct loader *ld)
{
    struct indicator *ind = current(ld);
    if (!ind)
        return true;
    /* Reported on the indicator's own line: that is where the officer looks. */
    if (!ind->label[0]) {
        fail_at(ld->err, ld->r.name, ind->line, "indicator '%s' has no label", ind->id);
        return false;
    }
    if (ind->n_rows == 0) {
        fail_at(ld->err, ld->r.name, ind->line, "indicator '%s' has no points, band or case lines",
                ind->id);
        return false;
    }
    return true;
}

static bool start_indicator(struct loader *ld, char *rest)
{
    struct scorecard *sc = ld->sc;
    if (!sc->n_langs || !sc->has_range)
        return fail(ld, "'languages' and 'range' must come before the first indicator");
    if (!check_indicator_done(ld))
        return false;
    char tok[64];
    bool quoted;
    if (next_token(&rest, tok, sizeof tok, &quoted) != 1 || quoted || *skip_blanks(rest) ||
        !answers_valid_id(tok))
        return fail(ld, "'indicator' needs one id (1-31 of a-z, 0-9, _, starting with a letter)");
    for (size_t i = 0; i < sc->n_ind; i++)
        if (strcmp(sc->ind[i].id, tok) == 0)
            return fail(ld, "indicator '%s' is already defined on line %d", tok, sc->ind[i].line);
    if (sc->n_ind == SC_INDICATORS_MAX)
        return fail(ld, "more than %d indicators", SC_INDICATORS_MAX);
    struct indicator *grown = realloc(sc->ind, (sc->n_ind + 1) * sizeof *grown);
    if (!grown)
        return oom(ld);
    sc->ind = grown;
    struct indicator *ind = &sc->ind[sc->n_ind++];
    memset(ind, 0, sizeof *ind);
    memcpy(ind->id, tok, strlen(tok) + 1);
    ind->line = ld->r.line;
    return true;
}

static bool label_line(struct loader *ld, struct indicator *ind, char *rest)
{
    if (ind->label[0])
        return fail(ld, "indicator '%s' already has a label", ind->id);
    int rc = score_labels(rest, ld->sc->n_langs, ind->label);
    if (rc == -2)
        return oom(ld);
    if (rc != 0)
        return fail(ld, "'label' needs %zu texts, one per language: label | %s%s", ld->sc->n_langs,
                    ld->sc->langs[0], ld->sc->n_langs > 1 ? " | ..." : "");
    return true;
}

/* An optional "when EXPR" after a row's fields. */
static bool row_condition(struct loader *ld, struct row *row, char *rest)
{
    rest = skip_blanks(rest);
    if (*rest == '\0')
        return true;
    char *cond = after_word(rest, "when");
    if (!cond)
        return fail(ld, "unexpected '%s' (only 'when CONDITION' may follow)", rest);
    row->cond = score_reader_expr(&ld->r, ld->line, cond, ld->err);
    if (!row->cond)
        return false;
    row->cond_text = strdup(cond);
    return row->cond_text ? true : oom(ld);
}

static bool same_answer(const char *a, const char *b)
{
    long long x, y;
    if (score_parse_decimal(a, &x) && score_parse_decimal(b, &y))
        return x == y;
    return strcmp(a, b) == 0;
}

static bool same_condition(const struct row *a, const struct row *b)
{
    if (!a->cond_text || !b->cond_text)
        return !a->cond_text && !b->cond_text;
    return strcmp(a->cond_text, b->cond_text) == 0;
}

/* Rows for the same region must not say two things about one answer. */
static bool check_row_conflicts(struct loader *ld, const struct indicator *ind,
                                const struct row *row)
{
    for (size_t i = 0; i < ind->n_rows; i++) {
        const struct row *o = &ind->rows[i];
        if (o->kind != row->kind)
            continue;
        /* Two cases may show the same answer (two ways to own a vehicle), never with two
         * different points: the clerk would see one answer worth two things. */
        if (row->kind == ROW_CASE && strcmp(o->value, row->value) == 0 && o->points != row->points)
            return fail(ld, "case '%s' has other points on line %d", row->value, o->line);
        if (!same_condition(o, row))
            continue;
        if (row->kind == ROW_POINTS && same_answer(o->value, row->value))
            return fail(ld, "the answer '%s' already has points on line %d", row->value, o->line);
        if (row->kind == ROW_BAND && (o->open_lo || row->open_hi || o->lo <= row->hi) &&
            (row->open_lo || o->open_hi || row->lo <= o->hi))
            return fail(ld, "this band overlaps the band on line %d", o->line);
    }
    return true;
}

static bool row_line(struct loader *ld, struct indicator *ind, enum row_kind kind, char *rest)
{
    if (kind != ROW_CASE && !ind->value)
        return fail(ld, "'%s' needs a 'value' line before it",
                    kind == ROW_POINTS ? "points" : "band");
    if (ind->n_rows == SC_ROWS_MAX)
        return fail(ld, "indicator '%s' has more than %d rows", ind->id, SC_ROWS_MAX);
    struct row row;
    memset(&row, 0, sizeof row);
    row.kind = kind;
    row.line = ld->r.line;
    char tok[ANSWER_VALUE_MAX], hi[64], pts[64];
    bool quoted, q2;
    bool ok = false;
    switch (kind) {
    case ROW_POINTS:
        if (next_token(&rest, tok, sizeof tok, &quoted) != 1 ||
            next_token(&rest, pts, sizeof pts, &q2) != 1 || q2) {
            fail(ld, "'points' needs an answer and its points: points 'ANSWER' N");
            break;
        }
        if (tok[0] == '\0') {
            fail(ld, "'points' needs an answer: an unanswered question stops the score anyway");
            break;
        }
        if (!parse_points(ld, pts, &row.points))
            break;
        row.value = strdup(tok);
        if (!row.value) {
            oom(ld);
            break;
        }
        ok = row_condition(ld, &row, rest);
        break;
    case ROW_BAND:
        if (next_token(&rest, tok, 64, &quoted) != 1 || quoted ||
            next_token(&rest, hi, sizeof hi, &quoted) != 1 || quoted ||
            next_token(&rest, pts, sizeof pts, &quoted) != 1 || quoted) {
            fail(ld, "'band' needs LOW HIGH POINTS ('-' for an open end)");
            break;
        }
        row.open_lo = strcmp(tok, "-") == 0;
        row.open_hi = strcmp(hi, "-") == 0;
        if ((!row.open_lo && !score_parse_decimal(tok, &row.lo)) ||
            (!row.open_hi && !score_parse_decimal(hi, &row.hi))) {
            fail(ld, "'band' needs LOW HIGH POINTS ('-' for an open end)");
            break;
        }
        if (row.open_lo && row.open_hi) {
            fail(ld, "a band open at both ends matches everything: use 'otherwise'");
            break;
        }
        if (!row.open_lo && !row.open_hi && row.lo > row.hi) {
            fail(ld, "the band's low end is above its high end");
            break;
        }
        if (!parse_points(ld, pts, &row.points))
            break;
        ok = row_condition(ld, &row, rest);
        break;
    case ROW_CASE:
        if (next_token(&rest, tok, SC_CODE_MAX, &quoted) != 1 || quoted || !answers_valid_id(tok) ||
            next_token(&rest, pts, sizeof pts, &q2) != 1 || q2) {
            fail(ld, "'case' needs a code, its points and a condition: case CODE N CONDITION");
            break;
        }
        if (!parse_points(ld, pts, &row.points))
            break;
        row.value = strdup(tok);
        if (!row.value) {
            oom(ld);
            break;
        }
        rest = skip_blanks(rest);
        row.cond = score_reader_expr(&ld->r, ld->line, rest, ld->err);
        if (!row.cond)
            break;
        row.cond_text = strdup(rest);
        ok = row.cond_text ? true : oom(ld);
        break;
    }
    if (ok)
        ok = check_row_conflicts(ld, ind, &row);
    struct row *grown = ok ? realloc(ind->rows, (ind->n_rows + 1) * sizeof *grown) : NULL;
    if (!grown) {
        if (ok)
            oom(ld);
        free(row.value);
        expr_free(row.cond);
        free(row.cond_text);
        return false;
    }
    ind->rows = grown;
    ind->rows[ind->n_rows++] = row;
    return true;
}

static bool need_line(struct loader *ld, struct indicator *ind, char *rest)
{
    char tok[64];
    bool quoted;
    if (ind->n_needs == SC_NEEDS_MAX)
        return fail(ld, "indicator '%s' has more than %d 'need' lines", ind->id, SC_NEEDS_MAX);
    if (next_token(&rest, tok, sizeof tok, &quoted) != 1 || quoted || !answers_valid_id(tok))
        return fail(ld, "'need' needs a member question id: need ID [if CONDITION]");
    struct need *n = &ind->needs[ind->n_needs];
    memset(n, 0, sizeof *n);
    memcpy(n->qid, tok, strlen(tok) + 1);
    n->line = ld->r.line;
    rest = skip_blanks(rest);
    if (*rest) {
        char *cond = after_word(rest, "if");
        if (!cond)
            return fail(ld, "unexpected '%s' (only 'if CONDITION' may follow)", rest);
        n->cond = score_reader_expr(&ld->r, ld->line, cond, ld->err);
        if (!n->cond)
            return false;
    }
    ind->n_needs++;
    return true;
}

static bool indicator_line(struct loader *ld, const char *directive, char *rest)
{
    struct indicator *ind = current(ld);
    if (!ind)
        return fail(ld, "'%s' must follow an 'indicator' line", directive);
    if (strcmp(directive, "label") == 0)
        return label_line(ld, ind, rest);
    score_strip_comment(rest);
    if (strcmp(directive, "value") == 0) {
        if (ind->value)
            return fail(ld, "indicator '%s' already has a value", ind->id);
        if (ind->n_rows)
            return fail(ld, "'value' must come before the indicator's rows");
        ind->value = score_reader_expr(&ld->r, ld->line, skip_blanks(rest), ld->err);
        return ind->value != NULL;
    }
    if (strcmp(directive, "need") == 0)
        return need_line(ld, ind, rest);
    if (strcmp(directive, "points") == 0)
        return row_line(ld, ind, ROW_POINTS, rest);
    if (strcmp(directive, "band") == 0)
        return row_line(ld, ind, ROW_BAND, rest);
    if (strcmp(directive, "case") == 0)
        return row_line(ld, ind, ROW_CASE, rest);
    /* otherwise */
    if (ind->has_otherwise)
        return fail(ld, "indicator '%s' already has an 'otherwise'", ind->id);
    char tok[64];
    bool quoted;
    if (next_token(&rest, tok, sizeof tok, &quoted) != 1 || quoted || *skip_blanks(rest))
        return fail(ld, "'otherwise' needs points or 'refuse'");
    ind->has_otherwise = true;
    if (strcmp(tok, "refuse") == 0) {
        ind->otherwise_refuse = true;
        return true;
    }
    return parse_points(ld, tok, &ind->otherwise);
}

static bool parse_line(struct loader *ld, bool *seen_header)
{
    char *p = skip_blanks(ld->line);
    char directive[24];
    size_t n = 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_') {
        if (n + 1 >= sizeof directive)
            return fail(ld, "unknown directive");
        directive[n] = p[n];
        n++;
    }
    directive[n] = '\0';
    if (n == 0 || (p[n] && !ascii_is_blank(p[n])))
        return fail(ld, "expected a directive (a lower-case word) at the start of the line");
    char *rest = p + n;

    if (!*seen_header) {
        if (strcmp(directive, "scorecard") != 0)
            return fail(ld, "the file must start with 'scorecard ID VERSION'");
        score_strip_comment(rest);
        char id[64], ver[64];
        bool q1, q2;
        if (next_token(&rest, id, sizeof id, &q1) != 1 ||
            next_token(&rest, ver, sizeof ver, &q2) != 1 || q1 || q2 || *skip_blanks(rest))
            return fail(ld, "'scorecard' needs an id and a version: scorecard ID VERSION");
        if (!score_valid_name(id, SC_ID_MAX))
            return fail(ld, "'%s' is not a table id (1-31 of a-z, 0-9, '.', '_', '-')", id);
        if (!score_valid_name(ver, SC_VERSION_MAX))
            return fail(ld, "'%s' is not a version (1-15 of a-z, 0-9, '.', '_', '-')", ver);
        memcpy(ld->sc->id, id, strlen(id) + 1);
        memcpy(ld->sc->version, ver, strlen(ver) + 1);
        *seen_header = true;
        return true;
    }
    if (strcmp(directive, "scorecard") == 0)
        return fail(ld, "'scorecard' is given twice");
    if (strcmp(directive, "languages") == 0 || strcmp(directive, "range") == 0) {
        if (ld->sc->n_ind)
            return fail(ld, "'%s' must come before the first indicator", directive);
        score_strip_comment(rest);
        return header_line(ld, directive, rest);
    }
    if (strcmp(directive, "indicator") == 0) {
        score_strip_comment(rest);
        return start_indicator(ld, rest);
    }
    static const char *const inside[] = {"label", "value", "need",     "points",
                                         "band",  "case",  "otherwise"};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (strcmp(directive, inside[i]) == 0)
            return indicator_line(ld, directive, rest);
    return fail(ld, "unknown directive '%s'", directive);
}

struct scorecard *scorecard_parse(const char *text, size_t len, const char *name,
                                  struct score_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!name)
        name = "score table";
    struct scorecard *sc = calloc(1, sizeof *sc);
    char *line = malloc(SCORE_LINE_MAX);
    if (!sc || !line) {
        free(sc);
        free(line);
        fail_at(err, name, 0, "out of memory");
        return NULL;
    }
    struct loader ld = {{text ? text : "", text ? len : 0, 0, 0, name}, sc, err, line};
    bool seen_header = false;
    int rc = 0;
    bool ok = true;
    while (ok && (rc = score_reader_next(&ld.r, line, SCORE_LINE_MAX, err)) == 1)
        ok = parse_line(&ld, &seen_header);
    if (ok && rc < 0)
        ok = false;
    if (ok && !seen_header) {
        fail_at(err, name, 0, "the file is empty: it must start with 'scorecard ID VERSION'");
        ok = false;
    }
    if (ok && sc->n_ind == 0) {
        fail_at(err, name, 0, "the table has no indicators");
        ok = false;
    }
    if (ok)
        ok = check_indicator_done(&ld);
    free(line);
    if (!ok) {
        scorecard_free(sc);
        return NULL;
    }
    return sc;
}

struct scorecard *scorecard_load(const char *path, struct score_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_at(err, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(SC_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        fail_at(err, path, 0, "out of memory");
        return NULL;
    }
    size_t n = fread(buf, 1, SC_FILE_MAX + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    struct scorecard *sc = NULL;
    if (bad)
        fail_at(err, path, 0, "cannot read the file");
    else if (n > SC_FILE_MAX)
        fail_at(err, path, 0, "the file is larger than %d bytes", SC_FILE_MAX);
    else
        sc = scorecard_parse(buf, n, path, err);
    free(buf);
    return sc;
}

/* --- reading --- */

const char *scorecard_id(const struct scorecard *sc)
{
    return sc->id;
}

const char *scorecard_version(const struct scorecard *sc)
{
    return sc->version;
}

void scorecard_range(const struct scorecard *sc, double *lo, double *hi)
{
    if (lo)
        *lo = score_from_micro(sc->lo);
    if (hi)
        *hi = score_from_micro(sc->hi);
}

size_t scorecard_language_count(const struct scorecard *sc)
{
    return sc->n_langs;
}

const char *scorecard_language(const struct scorecard *sc, size_t i)
{
    return i < sc->n_langs ? sc->langs[i] : NULL;
}

size_t scorecard_indicator_count(const struct scorecard *sc)
{
    return sc->n_ind;
}

const char *scorecard_indicator_id(const struct scorecard *sc, size_t i)
{
    return i < sc->n_ind ? sc->ind[i].id : NULL;
}

const char *scorecard_indicator_label(const struct scorecard *sc, size_t i, const char *lang)
{
    if (i >= sc->n_ind)
        return NULL;
    return score_label_in(sc->langs, sc->n_langs, sc->ind[i].label, lang);
}

/* --- scoring --- */

struct missing {
    const struct answers *a;
    int member;
    char qid[ANSWER_ID_MAX];
    int at; /* where it is missing */
};

static int find_missing(void *ud, const char *qid, enum expr_ref_kind kind)
{
    struct missing *m = ud;
    int at;
    if (kind == EXPR_REF_MEMBERS) /* count()/sum() pass over a missing answer */
        return 0;
    if (kind == EXPR_REF_HEAD) {
        if (answers_get(m->a, 0, qid))
            return 0;
        at = 0;
    } else {
        if (m->member >= 0 && answers_get(m->a, m->member, qid))
            return 0;
        if (answers_get(m->a, ANSWERS_HOUSEHOLD, qid))
            return 0;
        at = m->member;
    }
    ascii_copy(qid, m->qid, sizeof m->qid);
    m->at = at;
    return 1;
}

bool score_unanswered_ref(const struct expr *e, const struct answers *a, int member,
                          char qid[ANSWER_ID_MAX], int *at)
{
    struct missing m = {a, member, "", ANSWERS_HOUSEHOLD};
    if (!expr_refs(e, find_missing, &m))
        return false;
    memcpy(qid, m.qid, ANSWER_ID_MAX);
    *at = m.at;
    return true;
}

/* E was UNKNOWN for MEMBER: name the unanswered question behind it. */
static void explain_unknown(const struct expr *e, const struct answers *a, int member,
                            struct score_problem *p)
{
    if (score_unanswered_ref(e, a, member, p->question, &p->member)) {
        p->kind = SCORE_UNANSWERED;
    } else {
        p->kind = SCORE_UNKNOWN;
        p->member = ANSWERS_HOUSEHOLD;
    }
}

static bool check_needs(const struct indicator *ind, const struct expr_ctx *base,
                        struct score_problem *p)
{
    size_t n = answers_member_count(base->answers);
    for (size_t k = 0; k < ind->n_needs; k++) {
        const struct need *need = &ind->needs[k];
        for (size_t m = 0; m < n; m++) {
            struct expr_ctx ctx = *base;
            ctx.member = (int)m;
            if (need->cond) {
                enum tri t = expr_test(need->cond, &ctx);
                if (t == TRI_UNKNOWN) {
                    explain_unknown(need->cond, base->answers, (int)m, p);
                    return false;
                }
                if (t == TRI_FALSE)
                    continue;
            }
            if (!answers_get(base->answers, (int)m, need->qid)) {
                p->kind = SCORE_UNANSWERED;
                memcpy(p->question, need->qid, sizeof p->question);
                p->member = (int)m;
                return false;
            }
        }
    }
    return true;
}

/* Points for one indicator into LINE; false with P filled in. */
static bool score_indicator(const struct indicator *ind, const struct expr_ctx *ctx,
                            struct score_line *line, long long *points, struct score_problem *p)
{
    if (!check_needs(ind, ctx, p))
        return false;
    char value[ANSWER_VALUE_MAX] = "";
    bool have_num = false;
    long long num = 0;
    if (ind->value) {
        if (!expr_text(ind->value, ctx, value, sizeof value)) {
            explain_unknown(ind->value, ctx->answers, ANSWERS_HOUSEHOLD, p);
            return false;
        }
        double d;
        if (expr_number(ind->value, ctx, &d)) {
            have_num = true;
            num = score_to_micro(d);
        }
        utf8_copy(value, line->answer, sizeof line->answer);
    }
    for (size_t i = 0; i < ind->n_rows; i++) {
        const struct row *row = &ind->rows[i];
        if (row->kind == ROW_POINTS && !same_answer(value, row->value))
            continue;
        if (row->kind == ROW_BAND) {
            if (!have_num) {
                p->kind = SCORE_NOT_A_NUMBER;
                p->member = ANSWERS_HOUSEHOLD;
                utf8_copy(value, p->value, sizeof p->value);
                return false;
            }
            if ((!row->open_lo && num < row->lo) || (!row->open_hi && num > row->hi))
                continue;
        }
        if (row->cond) {
            enum tri t = expr_test(row->cond, ctx);
            if (t == TRI_UNKNOWN) {
                explain_unknown(row->cond, ctx->answers, ANSWERS_HOUSEHOLD, p);
                return false;
            }
            if (t == TRI_FALSE)
                continue;
        }
        if (row->kind == ROW_CASE)
            utf8_copy(row->value, line->answer, sizeof line->answer);
        *points = row->points;
        return true;
    }
    if (ind->has_otherwise && !ind->otherwise_refuse) {
        *points = ind->otherwise;
        return true;
    }
    p->kind = SCORE_NOT_LISTED;
    p->member = ANSWERS_HOUSEHOLD;
    utf8_copy(value, p->value, sizeof p->value);
    return false;
}

int scorecard_score(const struct scorecard *sc, const struct answers *a, const int today[3],
                    struct score_result *out)
{
    memset(out, 0, sizeof *out);
    out->problem.member = ANSWERS_HOUSEHOLD;
    if (answers_member_count(a) == 0) {
        out->problem.kind = SCORE_NO_MEMBERS;
        return -1;
    }
    struct expr_ctx ctx = {a, ANSWERS_HOUSEHOLD, 0, 0, 0};
    if (today) {
        ctx.year = today[0];
        ctx.month = today[1];
        ctx.day = today[2];
    }
    long long sum = 0;
    for (size_t i = 0; i < sc->n_ind; i++) {
        const struct indicator *ind = &sc->ind[i];
        struct score_line *line = &out->lines[i];
        long long points = 0;
        memcpy(line->indicator, ind->id, sizeof line->indicator);
        if (!score_indicator(ind, &ctx, line, &points, &out->problem)) {
            out->problem.indicator = i;
            memcpy(out->problem.indicator_id, ind->id, sizeof out->problem.indicator_id);
            memset(line, 0, sizeof *line);
            return -1;
        }
        line->points = score_from_micro(points);
        out->n_lines = i + 1;
        sum += points; /* at most 64 * 1e15: no overflow */
    }
    long long total = sum < sc->lo ? sc->lo : sum > sc->hi ? sc->hi : sum;
    out->sum = score_from_micro(sum);
    out->total = score_from_micro(total);
    return 0;
}

void scorecard_problem_text(const struct scorecard *sc, const struct score_problem *p,
                            const char *lang, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    const char *label = scorecard_indicator_label(sc, p->indicator, lang);
    if (!label)
        label = p->indicator_id;
    switch (p->kind) {
    case SCORE_OK:
        out[0] = '\0';
        return;
    case SCORE_NO_MEMBERS:
        snprintf(out, outsz, "%s", _(N_("The household has no members, so it cannot be scored.")));
        return;
    case SCORE_UNANSWERED:
        if (p->member == ANSWERS_HOUSEHOLD)
            snprintf(out, outsz, _(N_("%s: the question '%s' is not answered.")), label,
                     p->question);
        else
            snprintf(out, outsz, _(N_("%s: member %d has not answered the question '%s'.")), label,
                     p->member + 1, p->question);
        return;
    case SCORE_NOT_LISTED:
        if (p->value[0])
            snprintf(out, outsz, _(N_("%s: the score table has no points for the answer '%s'.")),
                     label, p->value);
        else
            snprintf(out, outsz, _(N_("%s: no line of the score table fits these answers.")),
                     label);
        return;
    case SCORE_NOT_A_NUMBER:
        snprintf(out, outsz, _(N_("%s: the answer '%s' is not a number.")), label, p->value);
        return;
    case SCORE_UNKNOWN:
        snprintf(out, outsz, _(N_("%s: cannot be worked out from the answers.")), label);
        return;
    }
    out[0] = '\0';
}
