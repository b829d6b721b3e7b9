/*
 * expr.c - parser and evaluator of the rule and indicator expressions
 * (grammar in expr.h).
 *
 * Expressions come from data files a registry officer edits, so the parser
 * is defensive: it bounds nesting depth and length, names the column of
 * the first thing it cannot read, and never reads past the string. The
 * evaluator never fails: what it cannot know is UNKNOWN. Pure: no I/O, no
 * locale.
 */
#include "expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_DEPTH_MAX 32
#define EXPR_TEXT_MAX  1000
#define EXPR_LIST_MAX  64

enum node_kind {
    N_NUM,
    N_STR,
    N_REF,
    N_HEAD_REF,
    N_NOT,
    N_AND,
    N_OR,
    N_EQ,
    N_NE,
    N_LT,
    N_LE,
    N_GT,
    N_GE,
    N_IN,
    N_ADD,
    N_SUB,
    N_COUNT,
    N_SUM,
    N_ANSWERED,
    N_YEARS,
};

struct expr {
    enum node_kind kind;
    double num;
    char *text;         /* N_STR literal, or the id of a reference */
    struct expr *a, *b; /* operands */
    struct expr **list; /* N_IN: the candidates */
    size_t n_list;
};

/* --- tokens --- */

enum tok_kind {
    T_END,
    T_NUM,
    T_STR,
    T_ID,
    T_OP, /* = != < <= > >= + - ( ) , */
};

struct parser {
    const char *src;
    size_t pos;
    enum tok_kind tok;
    size_t tok_start, tok_len;
    char op[3];
    int depth;
    char *err;
    size_t errsz;
    bool failed;
};

static bool is_id_start(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void fail_at(struct parser *p, size_t at, const char *what)
{
    if (p->failed)
        return;
    p->failed = true;
    if (p->err && p->errsz)
        snprintf(p->err, p->errsz, "column %zu: %s", at + 1, what);
}

static void next_token(struct parser *p)
{
    const char *s = p->src;
    while (s[p->pos] == ' ' || s[p->pos] == '\t')
        p->pos++;
    p->tok_start = p->pos;
    char c = s[p->pos];
    if (c == '\0') {
        p->tok = T_END;
        p->tok_len = 0;
        return;
    }
    if (is_digit(c)) {
        size_t i = p->pos;
        while (is_digit(s[i]))
            i++;
        if (s[i] == '.' && is_digit(s[i + 1])) {
            i++;
            while (is_digit(s[i]))
                i++;
        }
        p->tok = T_NUM;
        p->tok_len = i - p->pos;
        p->pos = i;
        return;
    }
    if (c == '\'' || c == '"') {
        size_t i = p->pos + 1;
        while (s[i] && s[i] != c)
            i++;
        if (!s[i]) {
            fail_at(p, p->pos, "text in quotes is not closed");
            p->tok = T_END;
            return;
        }
        p->tok = T_STR;
        p->tok_start = p->pos + 1;
        p->tok_len = i - p->pos - 1;
        p->pos = i + 1;
        return;
    }
    if (is_id_start(c)) {
        size_t i = p->pos;
        while (is_id_char(s[i]))
            i++;
        p->tok = T_ID;
        p->tok_len = i - p->pos;
        p->pos = i;
        return;
    }
    static const char *const ops[] = {"!=", "<=", ">=", "=", "<", ">", "+", "-", "(", ")", ","};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k]);
        if (strncmp(s + p->pos, ops[k], n) == 0) {
            p->tok = T_OP;
            memcpy(p->op, ops[k], n + 1);
            p->tok_len = n;
            p->pos += n;
            return;
        }
    }
    fail_at(p, p->pos, "unexpected character");
    p->tok = T_END;
}

static bool tok_is_op(const struct parser *p, const char *op)
{
    return p->tok == T_OP && strcmp(p->op, op) == 0;
}

static bool tok_is_word(const struct parser *p, const char *w)
{
    return p->tok == T_ID && p->tok_len == strlen(w) &&
           strncmp(p->src + p->tok_start, w, p->tok_len) == 0;
}

static bool is_keyword(const char *s, size_t n)
{
    static const char *const kw[] = {"and", "or", "not", "in", "count", "sum", "answered", "years"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == n && strncmp(s, kw[i], n) == 0)
            return true;
    return false;
}

/* --- nodes --- */

static struct expr *node(struct parser *p, enum node_kind k)
{
    struct expr *e = calloc(1, sizeof *e);
    if (!e)
        fail_at(p, p->tok_start, "out of memory");
    else
        e->kind = k;
    return e;
}

void expr_free(struct expr *e)
{
    if (!e)
        return;
    expr_free(e->a);
    expr_free(e->b);
    for (size_t i = 0; i < e->n_list; i++)
        expr_free(e->list[i]);
    free(e->list);
    free(e->text);
    free(e);
}

static struct expr *binary(struct parser *p, enum node_kind k, struct expr *a, struct expr *b)
{
    if (!a || !b) {
        expr_free(a);
        expr_free(b);
        return NULL;
    }
    struct expr *e = node(p, k);
    if (!e) {
        expr_free(a);
        expr_free(b);
        return NULL;
    }
    e->a = a;
    e->b = b;
    return e;
}

static char *dup_range(struct parser *p, size_t start, size_t len)
{
    char *s = malloc(len + 1);
    if (!s) {
        fail_at(p, start, "out of memory");
        return NULL;
    }
    memcpy(s, p->src + start, len);
    s[len] = '\0';
    return s;
}

/* Parses digits[.digits] (with an optional leading '-') by hand: no locale. */
static bool parse_number(const char *s, double *out)
{
    bool neg = false;
    if (*s == '-') {
        neg = true;
        s++;
    }
    if (!is_digit(*s))
        return false;
    double v = 0;
    while (is_digit(*s))
        v = v * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        if (!is_digit(*s))
            return false;
        double scale = 0.1;
        while (is_digit(*s)) {
            v += (*s++ - '0') * scale;
            scale /= 10;
        }
    }
    if (*s)
        return false;
    *out = neg ? -v : v;
    return true;
}

static struct expr *parse_or(struct parser *p);

static bool expect_op(struct parser *p, const char *op)
{
    if (!tok_is_op(p, op)) {
        char what[32];
        snprintf(what, sizeof what, "expected '%s'", op);
        fail_at(p, p->tok_start, what);
        return false;
    }
    next_token(p);
    return true;
}

/* ref := ID | "head." ID; the current token is the first ID. */
static struct expr *parse_ref(struct parser *p)
{
    if (p->tok != T_ID || is_keyword(p->src + p->tok_start, p->tok_len)) {
        fail_at(p, p->tok_start, "expected a question id");
        return NULL;
    }
    enum node_kind k = N_REF;
    size_t start = p->tok_start, len = p->tok_len;
    if (tok_is_word(p, "head") && p->src[p->pos] == '.') {
        p->pos++;
        next_token(p);
        if (p->tok != T_ID || is_keyword(p->src + p->tok_start, p->tok_len)) {
            fail_at(p, p->tok_start, "expected a question id after 'head.'");
            return NULL;
        }
        k = N_HEAD_REF;
        start = p->tok_start;
        len = p->tok_len;
    }
    if (len >= ANSWER_ID_MAX) {
        fail_at(p, start, "question id is too long");
        return NULL;
    }
    struct expr *e = node(p, k);
    if (!e)
        return NULL;
    e->text = dup_range(p, start, len);
    if (!e->text) {
        free(e);
        return NULL;
    }
    next_token(p);
    return e;
}

static struct expr *parse_call(struct parser *p, enum node_kind k)
{
    next_token(p);
    if (!expect_op(p, "("))
        return NULL;
    struct expr *inner = (k == N_ANSWERED || k == N_YEARS) ? parse_ref(p) : parse_or(p);
    if (!inner)
        return NULL;
    if (!expect_op(p, ")")) {
        expr_free(inner);
        return NULL;
    }
    struct expr *e = node(p, k);
    if (!e) {
        expr_free(inner);
        return NULL;
    }
    e->a = inner;
    return e;
}

static struct expr *parse_atom(struct parser *p)
{
    if (p->failed)
        return NULL;
    if (p->tok == T_NUM || (tok_is_op(p, "-") && is_digit(p->src[p->pos]))) {
        bool neg = tok_is_op(p, "-");
        if (neg)
            next_token(p);
        struct expr *e = node(p, N_NUM);
        if (!e)
            return NULL;
        char buf[64];
        if (p->tok_len >= sizeof buf - 1) {
            fail_at(p, p->tok_start, "number is too long");
            free(e);
            return NULL;
        }
        memcpy(buf, p->src + p->tok_start, p->tok_len);
        buf[p->tok_len] = '\0';
        parse_number(buf, &e->num);
        if (neg)
            e->num = -e->num;
        next_token(p);
        return e;
    }
    if (p->tok == T_STR) {
        struct expr *e = node(p, N_STR);
        if (!e)
            return NULL;
        e->text = dup_range(p, p->tok_start, p->tok_len);
        if (!e->text) {
            free(e);
            return NULL;
        }
        next_token(p);
        return e;
    }
    if (tok_is_op(p, "(")) {
        next_token(p);
        struct expr *e = parse_or(p);
        if (e && !expect_op(p, ")")) {
            expr_free(e);
            return NULL;
        }
        return e;
    }
    if (p->tok == T_ID) {
        if (tok_is_word(p, "count"))
            return parse_call(p, N_COUNT);
        if (tok_is_word(p, "sum"))
            return parse_call(p, N_SUM);
        if (tok_is_word(p, "answered"))
            return parse_call(p, N_ANSWERED);
        if (tok_is_word(p, "years"))
            return parse_call(p, N_YEARS);
        return parse_ref(p);
    }
    fail_at(p, p->tok_start,
            p->tok == T_END ? "the expression ends too early" : "expected a value");
    return NULL;
}

static struct expr *parse_sum(struct parser *p)
{
    struct expr *e = parse_atom(p);
    while (e && (tok_is_op(p, "+") || tok_is_op(p, "-"))) {
        enum node_kind k = tok_is_op(p, "+") ? N_ADD : N_SUB;
        next_token(p);
        e = binary(p, k, e, parse_atom(p));
    }
    return e;
}

static struct expr *parse_in(struct parser *p, struct expr *left)
{
    next_token(p);
    struct expr *e = node(p, N_IN);
    if (!e || !expect_op(p, "(")) {
        expr_free(left);
        expr_free(e);
        return NULL;
    }
    e->a = left;
    e->list = calloc(EXPR_LIST_MAX, sizeof *e->list);
    if (!e->list) {
        fail_at(p, p->tok_start, "out of memory");
        expr_free(e);
        return NULL;
    }
    for (;;) {
        if (e->n_list == EXPR_LIST_MAX) {
            fail_at(p, p->tok_start, "too many values in the list");
            expr_free(e);
            return NULL;
        }
        struct expr *item = parse_sum(p);
        if (!item) {
            expr_free(e);
            return NULL;
        }
        e->list[e->n_list++] = item;
        if (tok_is_op(p, ",")) {
            next_token(p);
            continue;
        }
        if (!expect_op(p, ")")) {
            expr_free(e);
            return NULL;
        }
        return e;
    }
}

static struct expr *parse_cmp(struct parser *p)
{
    struct expr *left = parse_sum(p);
    if (!left)
        return NULL;
    if (tok_is_word(p, "in"))
        return parse_in(p, left);
    static const struct {
        const char *op;
        enum node_kind k;
    } cmps[] = {{"=", N_EQ}, {"!=", N_NE}, {"<", N_LT}, {"<=", N_LE}, {">", N_GT}, {">=", N_GE}};
    for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++) {
        if (tok_is_op(p, cmps[i].op)) {
            next_token(p);
            return binary(p, cmps[i].k, left, parse_sum(p));
        }
    }
    return left;
}

static struct expr *parse_not(struct parser *p)
{
    if (++p->depth > EXPR_DEPTH_MAX) {
        fail_at(p, p->tok_start, "the expression is nested too deeply");
        return NULL;
    }
    struct expr *e;
    if (tok_is_word(p, "not")) {
        next_token(p);
        struct expr *inner = parse_not(p);
        e = inner ? node(p, N_NOT) : NULL;
        if (e)
            e->a = inner;
        else
            expr_free(inner);
    } else {
        e = parse_cmp(p);
    }
    p->depth--;
    return e;
}

static struct expr *parse_and(struct parser *p)
{
    struct expr *e = parse_not(p);
    while (e && tok_is_word(p, "and")) {
        next_token(p);
        e = binary(p, N_AND, e, parse_not(p));
    }
    return e;
}

static struct expr *parse_or(struct parser *p)
{
    if (++p->depth > EXPR_DEPTH_MAX) {
        fail_at(p, p->tok_start, "the expression is nested too deeply");
        return NULL;
    }
    struct expr *e = parse_and(p);
    while (e && tok_is_word(p, "or")) {
        next_token(p);
        e = binary(p, N_OR, e, parse_and(p));
    }
    p->depth--;
    return e;
}

struct expr *expr_parse(const char *text, char *err, size_t errsz)
{
    if (err && errsz)
        err[0] = '\0';
    struct parser p = {.src = text, .err = err, .errsz = errsz};
    if (!text || strlen(text) > EXPR_TEXT_MAX) {
        fail_at(&p, 0, "the expression is empty or too long");
        return NULL;
    }
    next_token(&p);
    struct expr *e = parse_or(&p);
    if (e && !p.failed && p.tok != T_END)
        fail_at(&p, p.tok_start, "unexpected text after the expression");
    if (p.failed) {
        expr_free(e);
        return NULL;
    }
    return e;
}

/* --- evaluation --- */

struct val {
    bool known;
    bool has_num;
    double num;
    const char *str; /* NULL for a computed number */
};

static const struct val UNKNOWN_VAL = {false, false, 0, NULL};

static struct val num_val(double n)
{
    struct val v = {true, true, n, NULL};
    return v;
}

static struct val text_val(const char *s)
{
    struct val v = {true, false, 0, s};
    v.has_num = parse_number(s, &v.num);
    return v;
}

static struct val tri_val(enum tri t)
{
    return t == TRI_UNKNOWN ? UNKNOWN_VAL : num_val(t == TRI_TRUE ? 1 : 0);
}

static enum tri truth(struct val v)
{
    if (!v.known)
        return TRI_UNKNOWN;
    if (v.has_num)
        return v.num != 0 ? TRI_TRUE : TRI_FALSE;
    return v.str && *v.str ? TRI_TRUE : TRI_FALSE;
}

static struct val eval(const struct expr *e, const struct expr_ctx *ctx);

static const char *lookup(const struct expr *e, const struct expr_ctx *ctx)
{
    if (!ctx->answers)
        return NULL;
    if (e->kind == N_HEAD_REF)
        return answers_member_count(ctx->answers) > 0 ? answers_get(ctx->answers, 0, e->text)
                                                      : NULL;
    const char *v = NULL;
    if (ctx->member >= 0)
        v = answers_get(ctx->answers, ctx->member, e->text);
    if (!v)
        v = answers_get(ctx->answers, ANSWERS_HOUSEHOLD, e->text);
    return v;
}

/* -1, 0, 1; *OK false when the two cannot be ordered. */
static int compare(struct val a, struct val b, bool *ok)
{
    *ok = true;
    if (a.has_num && b.has_num)
        return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    if (a.str && b.str) {
        int c = strcmp(a.str, b.str);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    *ok = false;
    return 0;
}

static int date_years(const char *s, const struct expr_ctx *ctx, double *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31 || ctx->year <= 0)
        return -1;
    int years = ctx->year - y;
    if (ctx->month < m || (ctx->month == m && ctx->day < d))
        years--;
    if (years < 0)
        return -1;
    *out = years;
    return 0;
}

static struct val eval_cmp(const struct expr *e, const struct expr_ctx *ctx)
{
    struct val a = eval(e->a, ctx), b = eval(e->b, ctx);
    if (!a.known || !b.known)
        return UNKNOWN_VAL;
    bool ok;
    int c = compare(a, b, &ok);
    if (!ok)
        return e->kind == N_NE ? num_val(1) : e->kind == N_EQ ? num_val(0) : UNKNOWN_VAL;
    switch (e->kind) {
    case N_EQ:
        return num_val(c == 0);
    case N_NE:
        return num_val(c != 0);
    case N_LT:
        return num_val(c < 0);
    case N_LE:
        return num_val(c <= 0);
    case N_GT:
        return num_val(c > 0);
    default:
        return num_val(c >= 0);
    }
}

static struct val eval_in(const struct expr *e, const struct expr_ctx *ctx)
{
    struct val a = eval(e->a, ctx);
    if (!a.known)
        return UNKNOWN_VAL;
    bool unknown = false;
    for (size_t i = 0; i < e->n_list; i++) {
        struct val b = eval(e->list[i], ctx);
        if (!b.known) {
            unknown = true;
            continue;
        }
        bool ok;
        if (compare(a, b, &ok) == 0 && ok)
            return num_val(1);
    }
    return unknown ? UNKNOWN_VAL : num_val(0);
}

static struct val eval_members(const struct expr *e, const struct expr_ctx *ctx)
{
    double total = 0;
    size_t n = ctx->answers ? answers_member_count(ctx->answers) : 0;
    for (size_t i = 0; i < n; i++) {
        struct expr_ctx sub = *ctx;
        sub.member = (int)i;
        if (e->kind == N_COUNT) {
            if (expr_test(e->a, &sub) == TRI_TRUE)
                total += 1;
        } else {
            struct val v = eval(e->a, &sub);
            if (v.known && v.has_num) /* unanswered members add nothing */
                total += v.num;
        }
    }
    return num_val(total);
}

static struct val eval(const struct expr *e, const struct expr_ctx *ctx)
{
    switch (e->kind) {
    case N_NUM:
        return num_val(e->num);
    case N_STR:
        return text_val(e->text);
    case N_REF:
    case N_HEAD_REF: {
        const char *v = lookup(e, ctx);
        return v ? text_val(v) : UNKNOWN_VAL;
    }
    case N_NOT: {
        enum tri t = truth(eval(e->a, ctx));
        return tri_val(t == TRI_UNKNOWN ? t : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE);
    }
    case N_AND: {
        enum tri a = truth(eval(e->a, ctx));
        if (a == TRI_FALSE)
            return num_val(0);
        enum tri b = truth(eval(e->b, ctx));
        if (b == TRI_FALSE)
            return num_val(0);
        return tri_val(a == TRI_TRUE && b == TRI_TRUE ? TRI_TRUE : TRI_UNKNOWN);
    }
    case N_OR: {
        enum tri a = truth(eval(e->a, ctx));
        if (a == TRI_TRUE)
            return num_val(1);
        enum tri b = truth(eval(e->b, ctx));
        if (b == TRI_TRUE)
            return num_val(1);
        return tri_val(a == TRI_FALSE && b == TRI_FALSE ? TRI_FALSE : TRI_UNKNOWN);
    }
    case N_EQ:
    case N_NE:
    case N_LT:
    case N_LE:
    case N_GT:
    case N_GE:
        return eval_cmp(e, ctx);
    case N_IN:
        return eval_in(e, ctx);
    case N_ADD:
    case N_SUB: {
        struct val a = eval(e->a, ctx), b = eval(e->b, ctx);
        if (!a.known || !b.known || !a.has_num || !b.has_num)
            return UNKNOWN_VAL;
        return num_val(e->kind == N_ADD ? a.num + b.num : a.num - b.num);
    }
    case N_COUNT:
    case N_SUM:
        return eval_members(e, ctx);
    case N_ANSWERED:
        return num_val(lookup(e->a, ctx) != NULL);
    case N_YEARS: {
        const char *v = lookup(e->a, ctx);
        double y;
        if (!v || date_years(v, ctx, &y) != 0)
            return UNKNOWN_VAL;
        return num_val(y);
    }
    }
    return UNKNOWN_VAL;
}

enum tri expr_test(const struct expr *e, const struct expr_ctx *ctx)
{
    return truth(eval(e, ctx));
}

bool expr_number(const struct expr *e, const struct expr_ctx *ctx, double *out)
{
    struct val v = eval(e, ctx);
    if (!v.known || !v.has_num)
        return false;
    *out = v.num;
    return true;
}

bool expr_text(const struct expr *e, const struct expr_ctx *ctx, char *out, size_t outsz)
{
    struct val v = eval(e, ctx);
    if (!v.known || outsz == 0)
        return false;
    if (v.str) {
        snprintf(out, outsz, "%s", v.str);
    } else {
        /* Up to three decimals, trailing zeros dropped: 3, 2.5, 16.17. */
        snprintf(out, outsz, "%.3f", v.num);
        char *dot = strchr(out, '.');
        if (dot) {
            char *end = out + strlen(out) - 1;
            while (end > dot && *end == '0')
                *end-- = '\0';
            if (end == dot)
                *end = '\0';
        }
        if (strcmp(out, "-0") == 0)
            snprintf(out, outsz, "0");
    }
    return true;
}

static int refs(const struct expr *e, expr_ref_fn fn, void *ud, bool in_members)
{
    if (!e)
        return 0;
    int rc = 0;
    if (e->kind == N_REF)
        rc = fn(ud, e->text, in_members ? EXPR_REF_MEMBERS : EXPR_REF_PLAIN);
    else if (e->kind == N_HEAD_REF)
        rc = fn(ud, e->text, EXPR_REF_HEAD);
    if (rc)
        return rc;
    bool inner = in_members || e->kind == N_COUNT || e->kind == N_SUM;
    if ((rc = refs(e->a, fn, ud, inner)) != 0 || (rc = refs(e->b, fn, ud, inner)) != 0)
        return rc;
    for (size_t i = 0; i < e->n_list; i++)
        if ((rc = refs(e->list[i], fn, ud, inner)) != 0)
            return rc;
    return 0;
}

int expr_refs(const struct expr *e, expr_ref_fn fn, void *ud)
{
    return refs(e, fn, ud, false);
}

bool expr_uses_roster(const struct expr *e)
{
    if (!e)
        return false;
    if (e->kind == N_COUNT || e->kind == N_SUM)
        return true;
    if (expr_uses_roster(e->a) || expr_uses_roster(e->b))
        return true;
    for (size_t i = 0; i < e->n_list; i++)
        if (expr_uses_roster(e->list[i]))
            return true;
    return false;
}
