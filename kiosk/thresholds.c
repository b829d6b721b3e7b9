/*
 * thresholds.c - the programmes file loader, the eligibility decision, and
 * the stored form of a score (format in docs/scoring.md).
 *
 * Reads with the score table's line conventions (scorecard.h) so the two
 * files look and fail alike. Every programme must end with a cut-off that
 * always applies, so no household falls between cut-offs; a `requires`
 * may name only an earlier programme, so requirements can never loop.
 * Only thresholds_load does I/O. Must never print, draw or exit.
 */
#include "thresholds.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/registry.h"
#include "ascii.h"
#include "expr.h"

#define TH_CUTOFFS_MAX  16
#define TH_REQUIRES_MAX 4
#define TH_FILE_MAX     (256 * 1024)

struct cutoff {
    long long micro;
    bool inclusive;
    struct expr *when; /* NULL: always */
    int line;
};

struct programme {
    char id[ANSWER_ID_MAX];
    char *label[SC_LANGS_MAX];
    size_t requires[TH_REQUIRES_MAX]; /* indices of earlier programmes */
    size_t n_requires;
    struct cutoff cut[TH_CUTOFFS_MAX];
    size_t n_cut;
    int line;
};

struct thresholds {
    char id[SC_ID_MAX];
    char version[SC_VERSION_MAX];
    char table_id[SC_ID_MAX];
    char table_version[SC_VERSION_MAX];
    char langs[SC_LANGS_MAX][SC_LANG_MAX];
    size_t n_langs;
    struct programme prog[TH_PROGRAMMES_MAX];
    size_t n_prog;
};

void thresholds_free(struct thresholds *th)
{
    if (!th)
        return;
    for (size_t i = 0; i < th->n_prog; i++) {
        for (size_t l = 0; l < SC_LANGS_MAX; l++)
            free(th->prog[i].label[l]);
        for (size_t c = 0; c < th->prog[i].n_cut; c++)
            expr_free(th->prog[i].cut[c].when);
    }
    free(th);
}

struct loader {
    struct score_reader r;
    struct thresholds *th;
    struct score_error *err;
    char *line;
};

static bool fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct loader *ld, const char *fmt, ...)
{
    char reason[SC_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    score_reader_fail(&ld->r, ld->err, "%s", reason);
    return false;
}

static char *skip_blanks(char *p)
{
    while (ascii_is_blank(*p))
        p++;
    return p;
}

/* The next blank-separated word of *P into W; false when none or too long. */
static bool word(char **p, char *w, size_t wsz)
{
    char *s = skip_blanks(*p), *start = s;
    while (*s && !ascii_is_blank(*s))
        s++;
    size_t n = (size_t)(s - start);
    if (n == 0 || n >= wsz)
        return false;
    memcpy(w, start, n);
    w[n] = '\0';
    *p = s;
    return true;
}

static bool at_end(char *p)
{
    return *skip_blanks(p) == '\0';
}

/* "ID VERSION" of the thresholds or table line. */
static bool id_and_version(struct loader *ld, char *rest, const char *what, char *id, char *ver)
{
    char a[64], b[64];
    if (!word(&rest, a, sizeof a) || !word(&rest, b, sizeof b) || !at_end(rest))
        return fail(ld, "'%s' needs an id and a version: %s ID VERSION", what, what);
    if (!score_valid_name(a, SC_ID_MAX))
        return fail(ld, "'%s' is not an id (1-31 of a-z, 0-9, '.', '_', '-')", a);
    if (!score_valid_name(b, SC_VERSION_MAX))
        return fail(ld, "'%s' is not a version (1-15 of a-z, 0-9, '.', '_', '-')", b);
    memcpy(id, a, strlen(a) + 1);
    memcpy(ver, b, strlen(b) + 1);
    return true;
}

static bool languages_line(struct loader *ld, char *rest)
{
    struct thresholds *th = ld->th;
    char w[64];
    if (th->n_langs)
        return fail(ld, "'languages' is given twice");
    while (!at_end(rest)) {
        if (!word(&rest, w, sizeof w) || strlen(w) >= SC_LANG_MAX)
            return fail(ld, "a language code is too long");
        for (const char *c = w; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_'))
                return fail(ld, "'%s' is not a language code (like en or ur_Latn)", w);
        for (size_t i = 0; i < th->n_langs; i++)
            if (strcmp(th->langs[i], w) == 0)
                return fail(ld, "language '%s' is listed twice", w);
        if (th->n_langs == SC_LANGS_MAX)
            return fail(ld, "more than %d languages", SC_LANGS_MAX);
        memcpy(th->langs[th->n_langs++], w, strlen(w) + 1);
    }
    if (th->n_langs == 0)
        return fail(ld, "'languages' needs at least one language code");
    return true;
}

static struct programme *current(struct loader *ld)
{
    return ld->th->n_prog ? &ld->th->prog[ld->th->n_prog - 1] : NULL;
}

static bool check_programme_done(struct loader *ld)
{
    struct programme *p = current(ld);
    if (!p)
        return true;
    char reason[SC_ERROR_MAX];
    reason[0] = '\0';
    if (!p->label[0])
        snprintf(reason, sizeof reason, "programme '%s' has no label", p->id);
    else if (p->n_cut == 0 && p->n_requires == 0)
        snprintf(reason, sizeof reason, "programme '%s' has no 'eligible' or 'requires' line",
                 p->id);
    else if (p->n_cut && p->cut[p->n_cut - 1].when)
        snprintf(reason, sizeof reason,
                 "programme '%s': its last 'eligible' line needs no 'when', so every "
                 "household has a cut-off",
                 p->id);
    if (!reason[0])
        return true;
    /* On the programme's own line: that is where the officer looks. */
    int saved = ld->r.line;
    ld->r.line = p->line;
    score_reader_fail(&ld->r, ld->err, "%s", reason);
    ld->r.line = saved;
    return false;
}

static bool programme_line(struct loader *ld, char *rest)
{
    struct thresholds *th = ld->th;
    char w[64];
    if (!th->n_langs || !th->table_id[0])
        return fail(ld, "'languages' and 'table' must come before the first programme");
    if (!check_programme_done(ld))
        return false;
    if (!word(&rest, w, sizeof w) || !at_end(rest) || !answers_valid_id(w))
        return fail(ld, "'programme' needs one id (1-31 of a-z, 0-9, _, starting with a letter)");
    for (size_t i = 0; i < th->n_prog; i++)
        if (strcmp(th->prog[i].id, w) == 0)
            return fail(ld, "programme '%s' is already defined on line %d", w, th->prog[i].line);
    if (th->n_prog == TH_PROGRAMMES_MAX)
        return fail(ld, "more than %d programmes", TH_PROGRAMMES_MAX);
    struct programme *p = &th->prog[th->n_prog++];
    memset(p, 0, sizeof *p);
    memcpy(p->id, w, strlen(w) + 1);
    p->line = ld->r.line;
    return true;
}

static bool label_line(struct loader *ld, struct programme *p, char *rest)
{
    if (p->label[0])
        return fail(ld, "programme '%s' already has a label", p->id);
    int rc = score_labels(rest, ld->th->n_langs, p->label);
    if (rc == -2)
        return fail(ld, "out of memory");
    if (rc != 0)
        return fail(ld, "'label' needs %zu texts, one per language: label | %s%s", ld->th->n_langs,
                    ld->th->langs[0], ld->th->n_langs > 1 ? " | ..." : "");
    return true;
}

static bool requires_line(struct loader *ld, struct programme *p, char *rest)
{
    char w[64];
    if (!word(&rest, w, sizeof w) || !at_end(rest))
        return fail(ld, "'requires' needs one programme id");
    if (strcmp(w, p->id) == 0)
        return fail(ld, "programme '%s' cannot require itself", w);
    size_t k;
    for (k = 0; k + 1 < ld->th->n_prog; k++)
        if (strcmp(ld->th->prog[k].id, w) == 0)
            break;
    if (k + 1 >= ld->th->n_prog)
        return fail(ld, "'requires %s': no programme '%s' is defined above this one", w, w);
    for (size_t i = 0; i < p->n_requires; i++)
        if (p->requires[i] == k)
            return fail(ld, "programme '%s' already requires '%s'", p->id, w);
    if (p->n_requires == TH_REQUIRES_MAX)
        return fail(ld, "more than %d 'requires' lines", TH_REQUIRES_MAX);
    p->requires[p->n_requires++] = k;
    return true;
}

/* eligible score < N [when CONDITION]  |  eligible score <= N [when CONDITION] */
static bool eligible_line(struct loader *ld, struct programme *p, char *rest)
{
    char w[64], op[8], num[64];
    if (p->n_cut && !p->cut[p->n_cut - 1].when)
        return fail(ld, "this line can never apply: the 'eligible' line %d has no 'when'",
                    p->cut[p->n_cut - 1].line);
    if (p->n_cut == TH_CUTOFFS_MAX)
        return fail(ld, "more than %d 'eligible' lines", TH_CUTOFFS_MAX);
    if (!word(&rest, w, sizeof w) || strcmp(w, "score") != 0 || !word(&rest, op, sizeof op) ||
        !word(&rest, num, sizeof num))
        return fail(ld, "expected: eligible score < CUT-OFF [when CONDITION]");
    struct cutoff c = {0, false, NULL, ld->r.line};
    if (strcmp(op, "<=") == 0)
        c.inclusive = true;
    else if (strcmp(op, "<") != 0)
        return fail(ld, "'%s': a cut-off compares with < or <= (a lower score is poorer)", op);
    if (!score_parse_decimal(num, &c.micro))
        return fail(ld, "'%s' is not a cut-off (digits, '.', at most %d decimals)", num,
                    SCORE_DECIMALS);
    rest = skip_blanks(rest);
    if (*rest) {
        if (strncmp(rest, "when", 4) != 0 || !ascii_is_blank(rest[4]))
            return fail(ld, "unexpected '%s' (only 'when CONDITION' may follow)", rest);
        c.when = score_reader_expr(&ld->r, ld->line, skip_blanks(rest + 4), ld->err);
        if (!c.when)
            return false;
    }
    p->cut[p->n_cut++] = c;
    return true;
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
    if (strcmp(directive, "label") != 0)
        score_strip_comment(rest);
    struct thresholds *th = ld->th;

    if (!*seen_header) {
        if (strcmp(directive, "thresholds") != 0)
            return fail(ld, "the file must start with 'thresholds ID VERSION'");
        *seen_header = true;
        return id_and_version(ld, rest, "thresholds", th->id, th->version);
    }
    if (strcmp(directive, "thresholds") == 0)
        return fail(ld, "'thresholds' is given twice");
    if (strcmp(directive, "languages") == 0 || strcmp(directive, "table") == 0) {
        if (th->n_prog)
            return fail(ld, "'%s' must come before the first programme", directive);
        if (directive[0] == 'l')
            return languages_line(ld, rest);
        if (th->table_id[0])
            return fail(ld, "'table' is given twice");
        return id_and_version(ld, rest, "table", th->table_id, th->table_version);
    }
    if (strcmp(directive, "programme") == 0)
        return programme_line(ld, rest);
    bool known = strcmp(directive, "label") == 0 || strcmp(directive, "requires") == 0 ||
                 strcmp(directive, "eligible") == 0;
    if (!known)
        return fail(ld, "unknown directive '%s'", directive);
    struct programme *prog = current(ld);
    if (!prog)
        return fail(ld, "'%s' must follow a 'programme' line", directive);
    if (directive[0] == 'l')
        return label_line(ld, prog, rest);
    if (directive[0] == 'r')
        return requires_line(ld, prog, rest);
    return eligible_line(ld, prog, rest);
}

struct thresholds *thresholds_parse(const char *text, size_t len, const char *name,
                                    struct score_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!name)
        name = "thresholds";
    struct thresholds *th = calloc(1, sizeof *th);
    char *line = malloc(SCORE_LINE_MAX);
    struct loader ld = {{text ? text : "", text ? len : 0, 0, 0, name}, th, err, line};
    if (!th || !line) {
        free(th);
        free(line);
        score_reader_fail(&ld.r, err, "out of memory");
        return NULL;
    }
    bool seen_header = false, ok = true;
    int rc = 0;
    while (ok && (rc = score_reader_next(&ld.r, line, SCORE_LINE_MAX, err)) == 1)
        ok = parse_line(&ld, &seen_header);
    if (ok && rc < 0)
        ok = false;
    ld.r.line = 0; /* what is missing at the end is on no line */
    if (ok && !seen_header) {
        score_reader_fail(&ld.r, err,
                          "the file is empty: it must start with 'thresholds ID "
                          "VERSION'");
        ok = false;
    }
    if (ok && !th->table_id[0]) {
        score_reader_fail(&ld.r, err, "the file does not say which table it is for ('table')");
        ok = false;
    }
    if (ok && th->n_prog == 0) {
        score_reader_fail(&ld.r, err, "the file has no programmes");
        ok = false;
    }
    if (ok)
        ok = check_programme_done(&ld);
    free(line);
    if (!ok) {
        thresholds_free(th);
        return NULL;
    }
    return th;
}

struct thresholds *thresholds_load(const char *path, struct score_error *err)
{
    struct score_reader r = {"", 0, 0, 0, path};
    if (err)
        memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        score_reader_fail(&r, err, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(TH_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        score_reader_fail(&r, err, "out of memory");
        return NULL;
    }
    size_t n = fread(buf, 1, TH_FILE_MAX + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    struct thresholds *th = NULL;
    if (bad)
        score_reader_fail(&r, err, "cannot read the file");
    else if (n > TH_FILE_MAX)
        score_reader_fail(&r, err, "the file is larger than %d bytes", TH_FILE_MAX);
    else
        th = thresholds_parse(buf, n, path, err);
    free(buf);
    return th;
}

const char *thresholds_id(const struct thresholds *th)
{
    return th->id;
}

const char *thresholds_version(const struct thresholds *th)
{
    return th->version;
}

const char *thresholds_table_id(const struct thresholds *th)
{
    return th->table_id;
}

const char *thresholds_table_version(const struct thresholds *th)
{
    return th->table_version;
}

bool thresholds_match_table(const struct thresholds *th, const struct scorecard *sc)
{
    return strcmp(th->table_id, scorecard_id(sc)) == 0 &&
           strcmp(th->table_version, scorecard_version(sc)) == 0;
}

size_t thresholds_programme_count(const struct thresholds *th)
{
    return th->n_prog;
}

const char *thresholds_programme_id(const struct thresholds *th, size_t i)
{
    return i < th->n_prog ? th->prog[i].id : NULL;
}

const char *thresholds_programme_label(const struct thresholds *th, size_t i, const char *lang)
{
    if (i >= th->n_prog)
        return NULL;
    return score_label_in(th->langs, th->n_langs, th->prog[i].label, lang);
}

/* The worse of two outcomes: not eligible beats undecided beats eligible. */
static enum programme_outcome worse(enum programme_outcome a, enum programme_outcome b)
{
    if (a == PROGRAMME_NOT_ELIGIBLE || b == PROGRAMME_NOT_ELIGIBLE)
        return PROGRAMME_NOT_ELIGIBLE;
    if (a == PROGRAMME_UNDECIDED || b == PROGRAMME_UNDECIDED)
        return PROGRAMME_UNDECIDED;
    return PROGRAMME_ELIGIBLE;
}

static void decide_one(const struct thresholds *th, size_t i, const struct expr_ctx *ctx,
                       long long score, const struct programme_decision *earlier,
                       struct programme_decision *d)
{
    const struct programme *p = &th->prog[i];
    memset(d, 0, sizeof *d);
    memcpy(d->programme, p->id, sizeof d->programme);
    d->index = i;
    enum programme_outcome req = PROGRAMME_ELIGIBLE;
    for (size_t k = 0; k < p->n_requires; k++) {
        const struct programme_decision *r = &earlier[p->requires[k]];
        /* Name the requirement that decided it: a refusal before an unknown. */
        bool decisive = (r->outcome == PROGRAMME_NOT_ELIGIBLE && req != PROGRAMME_NOT_ELIGIBLE) ||
                        (r->outcome == PROGRAMME_UNDECIDED && req == PROGRAMME_ELIGIBLE);
        if (decisive)
            memcpy(d->failed_requirement, r->programme, sizeof d->failed_requirement);
        req = worse(req, r->outcome);
    }
    enum programme_outcome cut = PROGRAMME_ELIGIBLE;
    for (size_t c = 0; c < p->n_cut; c++) {
        const struct cutoff *co = &p->cut[c];
        if (co->when) {
            enum tri t = expr_test(co->when, ctx);
            if (t == TRI_FALSE)
                continue;
            if (t == TRI_UNKNOWN) {
                int at;
                if (!score_unanswered_ref(co->when, ctx->answers, ANSWERS_HOUSEHOLD, d->unanswered,
                                          &at))
                    d->unanswered[0] = '\0';
                cut = PROGRAMME_UNDECIDED;
                break;
            }
        }
        d->has_threshold = true;
        d->threshold = score_from_micro(co->micro);
        d->inclusive = co->inclusive;
        bool below = co->inclusive ? score <= co->micro : score < co->micro;
        cut = below ? PROGRAMME_ELIGIBLE : PROGRAMME_NOT_ELIGIBLE;
        break;
    }
    d->outcome = worse(req, cut);
    d->eligible = d->outcome == PROGRAMME_ELIGIBLE;
}

int thresholds_decide(const struct thresholds *th, const struct answers *a, double score,
                      const int today[3], struct programme_decision *out, size_t max, size_t *n)
{
    struct programme_decision all[TH_PROGRAMMES_MAX];
    struct expr_ctx ctx = {a, ANSWERS_HOUSEHOLD, 0, 0, 0};
    if (today) {
        ctx.year = today[0];
        ctx.month = today[1];
        ctx.day = today[2];
    }
    /* The score came from millionths: back to them, so the cut-off compares exactly. */
    long long micro = score_to_micro(score);
    for (size_t i = 0; i < th->n_prog; i++)
        decide_one(th, i, &ctx, micro, all, &all[i]);
    bool short_of_room = th->n_prog > max;
    size_t k = short_of_room ? max : th->n_prog;
    if (k)
        memcpy(out, all, k * sizeof *out);
    if (n)
        *n = k;
    return short_of_room ? -1 : 0;
}

/* Appends LINE to BUF (of BUFSZ) only whole; false when it does not fit. */
static bool append_line(char *buf, size_t bufsz, const char *line)
{
    size_t used = strlen(buf), n = strlen(line);
    if (used + n + 1 > bufsz)
        return false;
    memcpy(buf + used, line, n + 1);
    return true;
}

/* Tabs and newlines would break the stored lines' shape. */
static void flatten(const char *s, char *out, size_t outsz)
{
    ascii_copy(s, out, outsz);
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
}

int score_to_registration(const struct scorecard *sc, const struct score_result *r,
                          const struct thresholds *th, const struct programme_decision *d, size_t n,
                          struct registration_score *out)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    ascii_copy(scorecard_id(sc), out->table_id, sizeof out->table_id);
    ascii_copy(scorecard_version(sc), out->table_version, sizeof out->table_version);
    out->score = r->total;
    for (size_t i = 0; i < r->n_lines; i++) {
        char answer[SC_ANSWER_MAX], pts[32], line[ANSWER_ID_MAX + SC_ANSWER_MAX + 40];
        flatten(r->lines[i].answer, answer, sizeof answer);
        score_format(score_to_micro(r->lines[i].points), pts, sizeof pts);
        snprintf(line, sizeof line, "%s\t%s\t%s\n", r->lines[i].indicator, answer, pts);
        if (!append_line(out->breakdown, sizeof out->breakdown, line)) {
            rc = -1;
            break;
        }
    }
    if (!th)
        return rc;
    ascii_copy(thresholds_id(th), out->thresholds_id, sizeof out->thresholds_id);
    ascii_copy(thresholds_version(th), out->thresholds_version, sizeof out->thresholds_version);
    for (size_t i = 0; i < n; i++) {
        static const char *const words[] = {"not_eligible", "eligible", "undecided"};
        char line[ANSWER_ID_MAX + 16];
        snprintf(line, sizeof line, "%s\t%s\n", d[i].programme, words[d[i].outcome]);
        if (!append_line(out->decisions, sizeof out->decisions, line)) {
            rc = -1;
            break;
        }
    }
    return rc;
}
