/*
 * questionnaire.c - reads the survey file and its places list into a
 * read-only model, and checks typed answers against it.
 *
 * Both files are edited by hand by a registry officer, so the loader trusts
 * no byte: it bounds file and line sizes, insists on UTF-8, and refuses the
 * whole file at the first fault with the file, the line and a plain English
 * reason (the format is docs/questionnaire.md). It must never print, exit,
 * draw or touch SQL; the only I/O is questionnaire_load reading the two
 * files. It never keeps answers: those are the caller's.
 */
#include "questionnaire.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "cnic.h"
#include "digits.h"
#include "utf8.h"

#ifndef N_
#define N_(s) (s)
#endif

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#define Q_FILE_MAX     (1024 * 1024) /* bytes of either file */
#define Q_LINE_MAX     1000          /* bytes of one line, line end excluded */
#define Q_TEXT_LEN_MAX 200           /* `text` answers, in characters */
#define Q_ROSTER_MAX   6             /* roster columns */
#define Q_LANG_MAX     16            /* a language code, NUL included */
#define Q_QID_MAX      32            /* the questionnaire id, NUL included */
#define Q_VERSION_MAX  16            /* its version, NUL included */
#define Q_PLACES_NAME  128           /* the places file name, NUL included */
#define Q_INT_DIGITS   12            /* integer digits of a number: exact in a double */
#define Q_DECIMALS_MAX 3
#define Q_LEVELS_MAX   16 /* place levels */
#define Q_WORDS_MAX    8  /* words on a `question` line */
#define Q_ECHO_MAX     40 /* bytes of a file's word quoted back in a reason */
#define ARENA_BLOCK    (64 * 1024)

/* ------------------------------------------------------------------ model */

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    char data[];
};

struct question_rec {
    struct q_question pub; /* first: a q_question pointer is a question_rec pointer */
    struct q_option *opts;
    size_t cap_opts;
    size_t index;     /* in file order, both scopes */
    int show_if_line; /* for messages */
};

struct page_rec {
    struct q_page pub;
    const struct q_question **qs;
    size_t cap_qs;
    struct q_check *checks;
    size_t cap_checks;
    bool has_title;
};

struct level {
    char name[Q_CODE_MAX];
    char parent[Q_CODE_MAX]; /* the level its places hang under; "" at the top */
    bool numeric;            /* its codes are integers (the first code decides) */
};

enum role { ROLE_NAME, ROLE_RELATION, ROLE_GENDER, ROLE_ID, ROLE_AGE, ROLE_COUNT };

static const char *const role_names[ROLE_COUNT] = {"name", "relation", "gender", "id", "age"};

struct questionnaire {
    char id[Q_QID_MAX];
    char version[Q_VERSION_MAX];
    char langs[Q_LANGS_MAX][Q_LANG_MAX];
    size_t n_langs;

    struct page_rec **pages;
    size_t n_pages, cap_pages;
    struct question_rec **questions; /* file order */
    size_t n_questions, cap_questions;

    const struct q_question *roles[ROLE_COUNT];
    const struct q_question *roster[Q_ROSTER_MAX];
    size_t n_roster;

    struct q_place *places; /* file order */
    int *place_lines;
    size_t n_places, cap_places;
    size_t *place_hash; /* open addressing by code: index + 1, 0 = empty */
    size_t hash_cap;
    const struct q_place **by_parent; /* sorted by level, parent, file order */
    struct level levels[Q_LEVELS_MAX];
    size_t n_levels;

    struct arena_block *arena; /* every text */
};

static char *arena_dup(struct questionnaire *q, const char *s, size_t n)
{
    struct arena_block *b = q->arena;

    if (b == NULL || b->size - b->used < n + 1) {
        size_t size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (b == NULL)
            return NULL;
        b->next = q->arena;
        b->used = 0;
        b->size = size;
        q->arena = b;
    }
    char *out = b->data + b->used;
    memcpy(out, s, n);
    out[n] = '\0';
    b->used += n + 1;
    return out;
}

void questionnaire_free(struct questionnaire *q)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < q->n_pages; i++) {
        struct page_rec *p = q->pages[i];
        for (size_t c = 0; c < p->pub.n_checks; c++) {
            /* The model hands out const views; it owns the expressions. */
            expr_free((struct expr *)p->checks[c].check);
            expr_free((struct expr *)p->checks[c].when);
        }
        free(p->checks);
        free(p->qs);
        free(p);
    }
    free(q->pages);
    for (size_t i = 0; i < q->n_questions; i++) {
        expr_free((struct expr *)q->questions[i]->pub.show_if);
        free(q->questions[i]->opts);
        free(q->questions[i]);
    }
    free(q->questions);
    free(q->places);
    free(q->place_lines);
    free(q->place_hash);
    free(q->by_parent);
    while (q->arena) {
        struct arena_block *next = q->arena->next;
        free(q->arena);
        q->arena = next;
    }
    free(q);
}

/*
 * ARR (holding N of *CAP items of SIZE bytes) with room for one more: ARR
 * itself, or a bigger copy. NULL when memory runs out; ARR is then intact.
 */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? *cap * 2 : 8;
    void *m = realloc(arr, c * size);
    if (m)
        *cap = c;
    return m;
}

/* ------------------------------------------------------------ characters */

/* C0, DEL and C1 controls: nothing a screen should be asked to draw. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* For "%.*s": the longest prefix of S of at most MAX bytes between characters. */
static int clip(const char *s, size_t max)
{
    return (int)utf8_clip(s, max);
}

static bool is_code_char(char c)
{
    return (c >= 'a' && c <= 'z') || ascii_is_digit(c) || c == '_';
}

/* Option, place and level codes: 1..Q_CODE_MAX-1 of [a-z0-9_]. */
static bool valid_code(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n >= Q_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_code_char(s[i]))
            return false;
    return true;
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!ascii_is_digit(*s))
            return false;
    return true;
}

/* Words of the rule language: a question so named could not be referred to. */
static bool is_rule_word(const char *s)
{
    static const char *const words[] = {"and", "or",       "not",   "in",  "count",
                                        "sum", "answered", "years", "head"};

    for (size_t i = 0; i < COUNT_OF(words); i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/*
 * Reads [-]digits[.digits] by hand (no locale): at most Q_INT_DIGITS before
 * the point and Q_DECIMALS_MAX after it. The digits are summed as one
 * integer and divided once, so equal texts always give equal doubles.
 */
static bool parse_decimal(const char *s, double *out, int *decimals)
{
    static const double scale[] = {1, 10, 100, 1000};
    bool neg = false;
    int ints = 0, decs = 0;
    double mant = 0;

    if (*s == '-') {
        neg = true;
        s++;
    }
    for (; ascii_is_digit(*s); s++, ints++)
        mant = mant * 10 + (*s - '0');
    if (ints == 0 || ints > Q_INT_DIGITS)
        return false;
    if (*s == '.') {
        for (s++; ascii_is_digit(*s); s++, decs++)
            if (decs < Q_DECIMALS_MAX)
                mant = mant * 10 + (*s - '0');
        if (decs == 0 || decs > Q_DECIMALS_MAX)
            return false;
    }
    if (*s != '\0')
        return false;
    *out = (neg ? -mant : mant) / scale[decs];
    if (decimals)
        *decimals = decs;
    return true;
}

/* Formats V with at most DECIMALS decimals, trailing zeros dropped, without
 * printf's locale-dependent point. */
static void format_decimal(double v, int decimals, char *out, size_t outsz)
{
    static const long long scale[] = {1, 10, 100, 1000};
    int d = decimals < 0 ? 0 : decimals > Q_DECIMALS_MAX ? Q_DECIMALS_MAX : decimals;
    bool neg = v < 0;
    double a = neg ? -v : v;
    long long n = (long long)(a * (double)scale[d] + 0.5);
    long long ip = n / scale[d], fp = n % scale[d];

    char frac[Q_DECIMALS_MAX + 2] = ".";

    while (d > 0 && fp % 10 == 0) {
        fp /= 10;
        d--;
    }
    for (int i = d; i > 0; i--, fp /= 10)
        frac[i] = (char)('0' + fp % 10);
    frac[d > 0 ? d + 1 : 0] = '\0';
    snprintf(out, outsz, "%s%lld%s", neg && (ip != 0 || d > 0) ? "-" : "", ip, frac);
}

/* ------------------------------------------------------------- the loader */

enum stage { S_QUESTIONNAIRE, S_LANGUAGES, S_PLACES, S_ROSTER, S_ROLES, S_BODY };

enum open_kind { OPEN_NONE, OPEN_PAGE, OPEN_QUESTION, OPEN_CHECK };

struct loader {
    struct questionnaire *q;
    struct q_error *err;
    const char *file; /* the name errors give */
    bool failed;
    int line;
    char buf[Q_LINE_MAX + 1]; /* the line being read */

    enum stage stage;
    struct page_rec *page; /* the page lines add to */
    struct question_rec *question;
    enum open_kind open;

    char roster_ids[Q_ROSTER_MAX][ANSWER_ID_MAX];
    int roster_line;
    char role_ids[ROLE_COUNT][ANSWER_ID_MAX];
    int roles_line;
    char places_name[Q_PLACES_NAME];
    int places_line;

    /* Where the places text comes from: memory, or a file beside DIR. */
    const char *places_text;
    size_t places_len;
    bool from_file;
    const char *dir;
};

static int fail(struct loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first fault (later ones are echoes of it); returns -1. */
static int fail(struct loader *ld, int line, const char *fmt, ...)
{
    if (ld->failed)
        return -1;
    ld->failed = true;
    ascii_copy(ld->file, ld->err->file, sizeof ld->err->file);
    ld->err->line = line;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ld->err->reason, sizeof ld->err->reason, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof ld->err->reason) {
        /* Cut short: never leave half a character at the end. */
        char *r = ld->err->reason;
        r[clip(r, sizeof ld->err->reason - 2)] = '\0';
    }
    return -1;
}

static int out_of_memory(struct loader *ld)
{
    return fail(ld, ld->line, "out of memory");
}

struct reader {
    const char *p, *end;
    int line;
};

/*
 * Copies the next line of R into LD->buf without its line end (a CR before
 * the LF is dropped; so is a UTF-8 byte order mark opening the file).
 * 1 for a line, 0 at the end, -1 after reporting a fault.
 */
static int read_line(struct loader *ld, struct reader *r)
{
    size_t left = (size_t)(r->end - r->p);

    if (left == 0)
        return 0;
    const char *s = r->p;
    const char *nl = memchr(s, '\n', left);
    size_t n = nl ? (size_t)(nl - s) : left;

    r->p = s + (nl ? n + 1 : n);
    ld->line = ++r->line;
    if (r->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        n -= 3;
    }
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n > Q_LINE_MAX)
        return fail(ld, r->line, "the line is longer than %d bytes", Q_LINE_MAX);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(u + i, u + n, &cp);

        if (u[i] == '\0')
            return fail(ld, r->line, "the line holds a NUL byte: this is not a text file");
        if (len == 0)
            return fail(ld, r->line,
                        "the line is not valid UTF-8 (byte %zu): save the file as UTF-8", i + 1);
        if (is_control(cp) && cp != '\t')
            return fail(ld, r->line, "the line holds a control character (U+%04X)", (unsigned)cp);
        i += len;
    }
    memcpy(ld->buf, s, n);
    ld->buf[n] = '\0';
    return 1;
}

/* Blank or comment: nothing to read. */
static bool is_empty_line(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

/* The next blank-separated word of *CUR, terminated in place; NULL at the end. */
static char *next_word(char **cur)
{
    char *p = *cur;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0') {
        *cur = p;
        return NULL;
    }
    char *w = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = '\0';
    *cur = p;
    return w;
}

/* Trims blanks off [*B, *E). */
static void trim(const char **b, const char **e)
{
    while (*b < *e && ascii_is_blank(**b))
        (*b)++;
    while (*e > *b && ascii_is_blank((*e)[-1]))
        (*e)--;
}

/* "en | ur_Latn": the languages in the order texts are written, for messages. */
static const char *lang_list(const struct questionnaire *q, char *out, size_t outsz)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < q->n_langs && n < outsz; i++)
        n += (size_t)snprintf(out + n, outsz - n, "%s%s", i ? " | " : "", q->langs[i]);
    return out;
}

/*
 * Reads the texts after BAR (the first '|'): one per language, each
 * non-empty, none with a tab. WHAT names the directive in messages.
 */
static int parse_texts(struct loader *ld, const char *what, const char *bar, struct q_text *out)
{
    struct questionnaire *q = ld->q;
    size_t parts = 1;

    for (const char *p = bar + 1; *p; p++)
        parts += *p == '|';
    if (parts != q->n_langs) {
        char langs[Q_LANGS_MAX * (Q_LANG_MAX + 3)];
        return fail(ld, ld->line, "'%s' needs %zu text%s separated by '|' (%s), found %zu", what,
                    q->n_langs, q->n_langs == 1 ? "" : "s", lang_list(q, langs, sizeof langs),
                    parts);
    }
    const char *p = bar + 1;
    for (size_t i = 0; i < parts; i++) {
        const char *next = strchr(p, '|');
        const char *b = p, *e = next ? next : p + strlen(p);

        trim(&b, &e);
        if (b == e)
            return fail(ld, ld->line, "'%s': the %s text is empty", what, q->langs[i]);
        if (memchr(b, '\t', (size_t)(e - b)))
            return fail(ld, ld->line, "'%s': the %s text holds a tab", what, q->langs[i]);
        out->t[i] = arena_dup(q, b, (size_t)(e - b));
        if (out->t[i] == NULL)
            return out_of_memory(ld);
        p = next ? next + 1 : e;
    }
    return 0;
}

/* "label | a | b": nothing may stand between the directive and the first '|'. */
static int parse_texts_only(struct loader *ld, const char *what, char *args, struct q_text *out)
{
    const char *p = args;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '|')
        return fail(ld, ld->line, "'%s' is followed by its texts: %s | English | ...", what, what);
    return parse_texts(ld, what, p, out);
}

/*
 * Parses a rule that starts at TEXT inside the current line. A parse error
 * keeps expr's reason, with the column counted from the line's start.
 */
static int parse_rule(struct loader *ld, const char *what, char *text, const struct expr **out)
{
    const char *b = text, *e = text + strlen(text);
    char msg[Q_ERROR_MAX];

    trim(&b, &e);
    if (b == e)
        return fail(ld, ld->line, "'%s' needs a rule, for example: %s age >= 5", what, what);
    text[e - text] = '\0'; /* drop trailing blanks */
    struct expr *x = expr_parse(b, msg, sizeof msg);
    if (x == NULL) {
        unsigned long col = 0;
        const char *rest = msg;
        if (strncmp(msg, "column ", 7) == 0) {
            char *end;
            col = strtoul(msg + 7, &end, 10);
            if (strncmp(end, ": ", 2) == 0)
                rest = end + 2;
            else
                col = 0;
        }
        if (col > 0)
            return fail(ld, ld->line, "'%s' rule, column %zu: %s", what,
                        (size_t)(b - ld->buf) + col, rest);
        return fail(ld, ld->line, "'%s' rule: %s", what, rest);
    }
    *out = x;
    return 0;
}

static struct question_rec *find_question(const struct questionnaire *q, const char *id)
{
    for (size_t i = 0; i < q->n_questions; i++)
        if (strcmp(q->questions[i]->pub.id, id) == 0)
            return q->questions[i];
    return NULL;
}

/* ----------------------------------------------------------------- header */

static int d_questionnaire(struct loader *ld, char *args)
{
    char *id = next_word(&args), *version = next_word(&args), *extra = next_word(&args);

    if (id == NULL || version == NULL)
        return fail(ld, ld->line,
                    "'questionnaire' needs an id and a version, e.g. "
                    "questionnaire nser-household 2026.1");
    if (extra)
        return fail(ld, ld->line, "unexpected '%.*s' after the version", clip(extra, Q_ECHO_MAX),
                    extra);
    size_t n = strlen(id);
    bool ok = n > 0 && n < Q_QID_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = is_code_char(id[i]) || id[i] == '-';
    if (!ok)
        return fail(ld, ld->line,
                    "the questionnaire id '%.*s' must be 1-%d of a-z, 0-9, '_' and '-'",
                    clip(id, Q_ECHO_MAX), id, Q_QID_MAX - 1);
    n = strlen(version);
    ok = n > 0 && n < Q_VERSION_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = version[i];
        ok = ascii_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
             c == '-';
    }
    if (!ok)
        return fail(ld, ld->line, "the version '%.*s' must be 1-%d of 0-9, A-Z, a-z, '.' and '-'",
                    clip(version, Q_ECHO_MAX), version, Q_VERSION_MAX - 1);
    ascii_copy(id, ld->q->id, sizeof ld->q->id);
    ascii_copy(version, ld->q->version, sizeof ld->q->version);
    return 0;
}

static int d_languages(struct loader *ld, char *args)
{
    struct questionnaire *q = ld->q;
    char *w;

    while ((w = next_word(&args)) != NULL) {
        size_t n = strlen(w);
        bool ok = n >= 2 && n < Q_LANG_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = ascii_is_digit(w[i]) || (w[i] >= 'a' && w[i] <= 'z') ||
                 (w[i] >= 'A' && w[i] <= 'Z') || w[i] == '_' || w[i] == '-';
        if (!ok)
            return fail(ld, ld->line, "'%.*s' is not a language code like en or ur_Latn",
                        clip(w, Q_ECHO_MAX), w);
        for (size_t i = 0; i < q->n_langs; i++)
            if (strcmp(q->langs[i], w) == 0)
                return fail(ld, ld->line, "the language '%s' is listed twice", w);
        if (q->n_langs == Q_LANGS_MAX)
            return fail(ld, ld->line, "at most %d languages", Q_LANGS_MAX);
        ascii_copy(w, q->langs[q->n_langs++], Q_LANG_MAX);
    }
    if (q->n_langs == 0)
        return fail(ld, ld->line,
                    "'languages' needs at least one language code, e.g. "
                    "languages en ur_Latn");
    return 0;
}

static int d_places(struct loader *ld, char *args)
{
    char *name = next_word(&args), *extra = next_word(&args);

    if (name == NULL)
        return fail(ld, ld->line, "'places' needs a file name, e.g. places places.tsv");
    if (extra)
        return fail(ld, ld->line, "unexpected '%.*s' after the file name (no blanks in it)",
                    clip(extra, Q_ECHO_MAX), extra);
    size_t n = strlen(name);
    bool ok = n < Q_PLACES_NAME && name[0] != '/' && strstr(name, "..") == NULL;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        ok = ascii_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
             c == '_' || c == '-' || c == '/';
    }
    if (!ok)
        return fail(ld, ld->line,
                    "the places file must be a plain name in this file's folder "
                    "(A-Z, a-z, 0-9, '.', '_', '-', '/'; no '..'), not '%.*s'",
                    clip(name, Q_ECHO_MAX), name);
    ascii_copy(name, ld->places_name, sizeof ld->places_name);
    ld->places_line = ld->line;
    return 0;
}

static int d_roster(struct loader *ld, char *args)
{
    struct questionnaire *q = ld->q;
    char *w;

    while ((w = next_word(&args)) != NULL) {
        if (!answers_valid_id(w))
            return fail(ld, ld->line, "'%.*s' is not a question id", clip(w, Q_ECHO_MAX), w);
        for (size_t i = 0; i < q->n_roster; i++)
            if (strcmp(ld->roster_ids[i], w) == 0)
                return fail(ld, ld->line, "'%s' is listed twice", w);
        if (q->n_roster == Q_ROSTER_MAX)
            return fail(ld, ld->line, "the roster list shows at most %d columns", Q_ROSTER_MAX);
        ascii_copy(w, ld->roster_ids[q->n_roster++], ANSWER_ID_MAX);
    }
    if (q->n_roster == 0)
        return fail(ld, ld->line,
                    "'roster' needs the member questions the roster list shows, "
                    "e.g. roster name relation gender age");
    ld->roster_line = ld->line;
    return 0;
}

static int d_roles(struct loader *ld, char *args)
{
    char *w;

    while ((w = next_word(&args)) != NULL) {
        char *eq = strchr(w, '=');
        size_t r;

        if (eq == NULL)
            return fail(ld, ld->line, "'%.*s' should read role=question, e.g. age=age",
                        clip(w, Q_ECHO_MAX), w);
        *eq = '\0';
        for (r = 0; r < ROLE_COUNT; r++)
            if (strcmp(w, role_names[r]) == 0)
                break;
        if (r == ROLE_COUNT)
            return fail(ld, ld->line,
                        "unknown role '%.*s' (the roles are name, relation, gender, id, age)",
                        clip(w, Q_ECHO_MAX), w);
        if (ld->role_ids[r][0])
            return fail(ld, ld->line, "the role '%s' is given twice", role_names[r]);
        if (!answers_valid_id(eq + 1))
            return fail(ld, ld->line, "role '%s': '%.*s' is not a question id", role_names[r],
                        clip(eq + 1, Q_ECHO_MAX), eq + 1);
        ascii_copy(eq + 1, ld->role_ids[r], ANSWER_ID_MAX);
    }
    for (size_t r = 0; r < ROLE_COUNT; r++)
        if (ld->role_ids[r][0] == '\0')
            return fail(ld, ld->line,
                        "the role '%s' is missing (roles needs name, relation, "
                        "gender, id and age)",
                        role_names[r]);
    ld->roles_line = ld->line;
    return 0;
}

/* ------------------------------------------------------------------- body */

static int close_question(struct loader *ld)
{
    const struct q_question *qq = &ld->question->pub;

    if (qq->label.t[0] == NULL)
        return fail(ld, qq->line, "question '%s' has no 'label'", qq->id);
    if (qq->type == Q_CHOICE && qq->n_options < 2)
        return fail(ld, qq->line, "choice question '%s' needs at least 2 options, found %zu",
                    qq->id, qq->n_options);
    return 0;
}

static int close_check(struct loader *ld)
{
    const struct q_check *c = &ld->page->checks[ld->page->pub.n_checks - 1];

    if (c->message.t[0] == NULL)
        return fail(ld, c->line, "the check has no 'message'");
    return 0;
}

/* Ends the open question or check: a new block starts or the file ends. */
static int close_open(struct loader *ld)
{
    int rc = 0;

    if (ld->open == OPEN_QUESTION)
        rc = close_question(ld);
    else if (ld->open == OPEN_CHECK)
        rc = close_check(ld);
    ld->open = ld->page ? OPEN_PAGE : OPEN_NONE;
    ld->question = NULL;
    return rc;
}

static int close_page(struct loader *ld)
{
    const struct page_rec *p = ld->page;

    if (p == NULL)
        return 0;
    if (!p->has_title)
        return fail(ld, p->pub.line, "page '%s' has no 'title'", p->pub.id);
    if (p->pub.n_questions == 0)
        return fail(ld, p->pub.line, "page '%s' has no questions", p->pub.id);
    return 0;
}

static int d_page(struct loader *ld, char *args)
{
    struct questionnaire *q = ld->q;

    if (close_open(ld) || close_page(ld))
        return -1;
    char *id = next_word(&args), *scope = next_word(&args), *extra = next_word(&args);
    if (id == NULL || scope == NULL)
        return fail(ld, ld->line, "'page' needs an id and a scope: page <id> household|member");
    if (extra)
        return fail(ld, ld->line, "unexpected '%.*s' after the scope", clip(extra, Q_ECHO_MAX),
                    extra);
    if (!answers_valid_id(id))
        return fail(ld, ld->line,
                    "the page id '%.*s' must be 1-31 of a-z, 0-9 and '_', starting with a letter",
                    clip(id, Q_ECHO_MAX), id);
    for (size_t i = 0; i < q->n_pages; i++)
        if (strcmp(q->pages[i]->pub.id, id) == 0)
            return fail(ld, ld->line, "there is already a page '%s' (line %d)", id,
                        q->pages[i]->pub.line);
    enum q_scope sc;
    if (strcmp(scope, "household") == 0)
        sc = Q_SCOPE_HOUSEHOLD;
    else if (strcmp(scope, "member") == 0)
        sc = Q_SCOPE_MEMBER;
    else
        return fail(ld, ld->line, "the scope is 'household' or 'member', not '%.*s'",
                    clip(scope, Q_ECHO_MAX), scope);

    struct page_rec *p = calloc(1, sizeof *p);
    struct page_rec **pages =
        p ? grow(q->pages, &q->cap_pages, q->n_pages, sizeof *q->pages) : NULL;
    if (pages == NULL) {
        free(p);
        return out_of_memory(ld);
    }
    q->pages = pages;
    ascii_copy(id, p->pub.id, sizeof p->pub.id);
    p->pub.scope = sc;
    p->pub.line = ld->line;
    q->pages[q->n_pages++] = p;
    ld->page = p;
    ld->open = OPEN_PAGE;
    return 0;
}

static int d_title(struct loader *ld, char *args)
{
    if (ld->page == NULL)
        return fail(ld, ld->line, "'title' before any 'page'");
    if (ld->open != OPEN_PAGE || ld->page->pub.n_questions || ld->page->pub.n_checks)
        return fail(ld, ld->line, "'title' belongs right after its 'page' line");
    if (ld->page->has_title)
        return fail(ld, ld->line, "page '%s' already has a 'title'", ld->page->pub.id);
    if (parse_texts_only(ld, "title", args, &ld->page->pub.title))
        return -1;
    ld->page->has_title = true;
    return 0;
}

static const struct {
    const char *name;
    enum q_type type;
} type_names[] = {
    {"text", Q_TEXT},   {"number", Q_NUMBER}, {"choice", Q_CHOICE}, {"date", Q_DATE},
    {"phone", Q_PHONE}, {"cnic", Q_CNIC},     {"place", Q_PLACE},
};

/* A whole number 0..9999 (text lengths, decimals). */
static bool parse_small(const char *s, int *out)
{
    int v = 0;
    size_t n = strlen(s);

    if (n == 0 || n > 4 || !all_digits(s))
        return false;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    *out = v;
    return true;
}

static int type_args_text(struct loader *ld, struct q_question *qq, char **a, size_t n)
{
    int lo, hi;

    if (n != 2 || !parse_small(a[0], &lo) || !parse_small(a[1], &hi))
        return fail(ld, ld->line,
                    "'text' needs the shortest and longest length in "
                    "characters, e.g. text 2 60");
    if (hi < 1 || hi > Q_TEXT_LEN_MAX)
        return fail(ld, ld->line, "the longest text is 1 to %d characters, not %d", Q_TEXT_LEN_MAX,
                    hi);
    if (lo > hi)
        return fail(ld, ld->line, "the shortest length %d is more than the longest %d", lo, hi);
    qq->min = lo;
    qq->max = hi;
    return 0;
}

static int type_args_number(struct loader *ld, struct q_question *qq, char **a, size_t n)
{
    int dmin, dmax, d = 0;

    if (n != 2 && !(n == 4 && strcmp(a[2], "decimals") == 0))
        return fail(ld, ld->line,
                    "'number' needs the smallest and largest value, e.g. number "
                    "0 120 (or number 0 10000 decimals 2)");
    if (!parse_decimal(a[0], &qq->min, &dmin))
        return fail(ld, ld->line, "'%.*s' is not a number like 0, 120 or 2.5",
                    clip(a[0], Q_ECHO_MAX), a[0]);
    if (!parse_decimal(a[1], &qq->max, &dmax))
        return fail(ld, ld->line, "'%.*s' is not a number like 0, 120 or 2.5",
                    clip(a[1], Q_ECHO_MAX), a[1]);
    if (n == 4 && (!parse_small(a[3], &d) || d > Q_DECIMALS_MAX))
        return fail(ld, ld->line, "decimals is 0 to %d, not '%.*s'", Q_DECIMALS_MAX,
                    clip(a[3], Q_ECHO_MAX), a[3]);
    if (qq->min > qq->max)
        return fail(ld, ld->line, "the smallest value %s is more than the largest %s", a[0], a[1]);
    if (dmin > d || dmax > d)
        return fail(ld, ld->line, "the range has more decimals than 'decimals %d' allows", d);
    qq->decimals = d;
    return 0;
}

static int type_args_place(struct loader *ld, struct q_question *qq, char **a, size_t n)
{
    if ((n != 1 && n != 3) || (n == 3 && strcmp(a[1], "parent") != 0))
        return fail(ld, ld->line,
                    "'place' needs a level and, below the top level, the "
                    "question of the parent place: place district parent province");
    if (!valid_code(a[0]))
        return fail(ld, ld->line, "the place level '%.*s' must be 1-%d of a-z, 0-9 and '_'",
                    clip(a[0], Q_ECHO_MAX), a[0], Q_CODE_MAX - 1);
    ascii_copy(a[0], qq->place_level, sizeof qq->place_level);
    if (n == 1)
        return 0;
    const struct question_rec *parent = find_question(ld->q, a[2]);
    if (parent == NULL)
        return fail(ld, ld->line, "the parent '%.*s' is not an earlier question",
                    clip(a[2], Q_ECHO_MAX), a[2]);
    if (parent->pub.type != Q_PLACE || parent->pub.scope != Q_SCOPE_HOUSEHOLD)
        return fail(ld, ld->line, "the parent '%s' must be a household place question", a[2]);
    ascii_copy(a[2], qq->parent, sizeof qq->parent);
    return 0;
}

static int d_question(struct loader *ld, char *args)
{
    struct questionnaire *q = ld->q;
    char *w[Q_WORDS_MAX + 1];
    size_t n = 0;
    char *x;

    if (ld->page == NULL)
        return fail(ld, ld->line, "'question' before any 'page'");
    if (close_open(ld))
        return -1;
    while (n <= Q_WORDS_MAX && (x = next_word(&args)) != NULL)
        w[n++] = x;
    if (n < 2)
        return fail(ld, ld->line, "'question' needs an id and a type: question <id> <type> ...");
    if (n > Q_WORDS_MAX)
        return fail(ld, ld->line, "too many words for a question");
    bool required = n > 2 && strcmp(w[n - 1], "required") == 0;
    if (required)
        n--;
    if (!answers_valid_id(w[0]))
        return fail(ld, ld->line,
                    "the question id '%.*s' must be 1-31 of a-z, 0-9 and '_', starting with a "
                    "letter",
                    clip(w[0], Q_ECHO_MAX), w[0]);
    if (is_rule_word(w[0]))
        return fail(ld, ld->line, "'%s' is a word of the rule language and cannot be an id", w[0]);
    const struct question_rec *dup = find_question(q, w[0]);
    if (dup)
        return fail(ld, ld->line, "there is already a question '%s' (line %d)", w[0],
                    dup->pub.line);
    size_t t;
    for (t = 0; t < COUNT_OF(type_names); t++)
        if (strcmp(w[1], type_names[t].name) == 0)
            break;
    if (t == COUNT_OF(type_names))
        return fail(ld, ld->line,
                    "unknown type '%.*s' (text, number, choice, date, phone, cnic, place)",
                    clip(w[1], Q_ECHO_MAX), w[1]);

    struct question_rec *r = calloc(1, sizeof *r);
    if (r == NULL)
        return out_of_memory(ld);
    struct q_question *qq = &r->pub;
    ascii_copy(w[0], qq->id, sizeof qq->id);
    qq->type = type_names[t].type;
    qq->scope = ld->page->pub.scope;
    qq->required = required;
    qq->line = ld->line;
    int rc = 0;
    switch (qq->type) {
    case Q_TEXT:
        rc = type_args_text(ld, qq, w + 2, n - 2);
        break;
    case Q_NUMBER:
        rc = type_args_number(ld, qq, w + 2, n - 2);
        break;
    case Q_PLACE:
        rc = type_args_place(ld, qq, w + 2, n - 2);
        break;
    default:
        if (n > 2)
            rc = fail(ld, ld->line, "a %s question takes nothing more, found '%.*s'", w[1],
                      clip(w[2], Q_ECHO_MAX), w[2]);
        break;
    }
    if (rc == 0) {
        struct question_rec **all =
            grow(q->questions, &q->cap_questions, q->n_questions, sizeof *q->questions);
        if (all)
            q->questions = all;
        const struct q_question **on_page =
            all ? grow(ld->page->qs, &ld->page->cap_qs, ld->page->pub.n_questions,
                       sizeof *ld->page->qs)
                : NULL;
        if (on_page)
            ld->page->qs = on_page;
        else
            rc = out_of_memory(ld);
    }
    if (rc) {
        free(r);
        return -1;
    }
    r->index = q->n_questions;
    q->questions[q->n_questions++] = r;
    ld->page->qs[ld->page->pub.n_questions++] = qq;
    ld->page->pub.questions = ld->page->qs;
    ld->question = r;
    ld->open = OPEN_QUESTION;
    return 0;
}

static int need_question(struct loader *ld, const char *what)
{
    if (ld->open != OPEN_QUESTION)
        return fail(ld, ld->line, "'%s' belongs to a question: put it after a 'question' line",
                    what);
    return 0;
}

static int d_label(struct loader *ld, char *args)
{
    if (need_question(ld, "label"))
        return -1;
    if (ld->question->pub.label.t[0])
        return fail(ld, ld->line, "question '%s' already has a 'label'", ld->question->pub.id);
    return parse_texts_only(ld, "label", args, &ld->question->pub.label);
}

static int d_help(struct loader *ld, char *args)
{
    if (need_question(ld, "help"))
        return -1;
    if (ld->question->pub.help.t[0])
        return fail(ld, ld->line, "question '%s' already has a 'help'", ld->question->pub.id);
    return parse_texts_only(ld, "help", args, &ld->question->pub.help);
}

/* A short heading for the roster's columns, where the label is too long. */
static int d_heading(struct loader *ld, char *args)
{
    if (need_question(ld, "heading"))
        return -1;
    if (ld->question->pub.heading.t[0])
        return fail(ld, ld->line, "question '%s' already has a 'heading'", ld->question->pub.id);
    return parse_texts_only(ld, "heading", args, &ld->question->pub.heading);
}

static int d_option(struct loader *ld, char *args)
{
    if (need_question(ld, "option"))
        return -1;
    struct question_rec *r = ld->question;
    struct q_question *qq = &r->pub;
    if (qq->type != Q_CHOICE)
        return fail(ld, ld->line, "'option' belongs to a choice question; '%s' is not one", qq->id);
    char *bar = strchr(args, '|');
    if (bar == NULL)
        return fail(ld, ld->line, "'option' needs a code and its texts: option <code> | ... | ...");
    const char *b = args, *e = bar;
    trim(&b, &e);
    char code[Q_CODE_MAX];
    size_t n = (size_t)(e - b);
    if (n == 0)
        return fail(ld, ld->line, "the option has no code: option <code> | ... | ...");
    if (n >= sizeof code || memchr(b, ' ', n) || memchr(b, '\t', n))
        goto bad_code;
    memcpy(code, b, n);
    code[n] = '\0';
    if (!valid_code(code))
        goto bad_code;
    if (q_option(qq, code))
        return fail(ld, ld->line, "question '%s' already has an option '%s'", qq->id, code);
    if (qq->n_options == Q_OPTIONS_MAX)
        return fail(ld, ld->line, "a question has at most %d options", Q_OPTIONS_MAX);
    /* "=" compares numbers as numbers: a mix of number-like and word codes,
     * or "01" beside "1", would not compare the way the author meant. */
    if (qq->n_options > 0 && all_digits(code) != all_digits(qq->options[0].code))
        return fail(ld, ld->line,
                    "option codes are all whole numbers or none is: '%s' and '%s' mix them", code,
                    qq->options[0].code);
    if (all_digits(code) && code[0] == '0' && code[1] != '\0')
        return fail(ld, ld->line, "a number code has no leading zeros: '%s'", code);
    struct q_option *opts = grow(r->opts, &r->cap_opts, qq->n_options, sizeof *r->opts);
    if (opts == NULL)
        return out_of_memory(ld);
    r->opts = opts;
    qq->options = opts;
    struct q_option *o = &r->opts[qq->n_options];
    memset(o, 0, sizeof *o);
    memcpy(o->code, code, n + 1);
    if (parse_texts(ld, "option", bar, &o->text))
        return -1;
    qq->n_options++;
    return 0;

bad_code:
    return fail(ld, ld->line, "the option code '%.*s' must be 1-%d of a-z, 0-9 and '_'",
                clip(b, n < Q_ECHO_MAX ? n : Q_ECHO_MAX), b, Q_CODE_MAX - 1);
}

static int d_show_if(struct loader *ld, char *args)
{
    if (need_question(ld, "show_if"))
        return -1;
    if (ld->question->pub.show_if)
        return fail(ld, ld->line, "question '%s' already has a 'show_if'", ld->question->pub.id);
    ld->question->show_if_line = ld->line;
    return parse_rule(ld, "show_if", args, &ld->question->pub.show_if);
}

static int d_check(struct loader *ld, char *args)
{
    struct page_rec *p = ld->page;
    const struct expr *x = NULL;

    if (p == NULL)
        return fail(ld, ld->line, "'check' before any 'page'");
    if (close_open(ld) || parse_rule(ld, "check", args, &x))
        return -1;
    struct q_check *checks = grow(p->checks, &p->cap_checks, p->pub.n_checks, sizeof *p->checks);
    if (checks == NULL) {
        expr_free((struct expr *)x);
        return out_of_memory(ld);
    }
    p->checks = checks;
    struct q_check *c = &p->checks[p->pub.n_checks++];
    memset(c, 0, sizeof *c);
    c->check = x;
    c->line = ld->line;
    p->pub.checks = p->checks;
    ld->open = OPEN_CHECK;
    return 0;
}

static struct q_check *need_check(struct loader *ld, const char *what)
{
    if (ld->open != OPEN_CHECK) {
        fail(ld, ld->line, "'%s' belongs to a check: put it after a 'check' line", what);
        return NULL;
    }
    return &ld->page->checks[ld->page->pub.n_checks - 1];
}

static int d_when(struct loader *ld, char *args)
{
    struct q_check *c = need_check(ld, "when");

    if (c == NULL)
        return -1;
    if (c->when)
        return fail(ld, ld->line, "the check already has a 'when'");
    return parse_rule(ld, "when", args, &c->when);
}

static int d_message(struct loader *ld, char *args)
{
    struct q_check *c = need_check(ld, "message");

    if (c == NULL)
        return -1;
    if (c->message.t[0])
        return fail(ld, ld->line, "the check already has a 'message'");
    return parse_texts_only(ld, "message", args, &c->message);
}

static const struct directive {
    const char *name;
    enum stage stage; /* a header line's place; S_BODY for the rest */
    int (*fn)(struct loader *ld, char *args);
} directives[] = {
    {"questionnaire", S_QUESTIONNAIRE, d_questionnaire},
    {"languages", S_LANGUAGES, d_languages},
    {"places", S_PLACES, d_places},
    {"roster", S_ROSTER, d_roster},
    {"roles", S_ROLES, d_roles},
    {"page", S_BODY, d_page},
    {"title", S_BODY, d_title},
    {"question", S_BODY, d_question},
    {"label", S_BODY, d_label},
    {"help", S_BODY, d_help},
    {"heading", S_BODY, d_heading},
    {"option", S_BODY, d_option},
    {"show_if", S_BODY, d_show_if},
    {"check", S_BODY, d_check},
    {"when", S_BODY, d_when},
    {"message", S_BODY, d_message},
};

/* What the header needs next, for messages. */
static const char *const stage_wants[] = {
    [S_QUESTIONNAIRE] = "questionnaire <id> <version>",
    [S_LANGUAGES] = "languages",
    [S_PLACES] = "places' or 'roster",
    [S_ROSTER] = "roster",
    [S_ROLES] = "roles",
    [S_BODY] = "page",
};

static int do_line(struct loader *ld)
{
    char *args = ld->buf;
    char *name = next_word(&args);
    size_t i;

    for (i = 0; i < COUNT_OF(directives); i++)
        if (strcmp(name, directives[i].name) == 0)
            break;
    if (i == COUNT_OF(directives))
        return fail(ld, ld->line, "unknown directive '%.*s'", clip(name, Q_ECHO_MAX), name);
    const struct directive *d = &directives[i];
    if (d->stage != S_BODY) {
        /* The places line is optional: roster may follow languages. */
        bool ok = d->stage == ld->stage || (d->stage == S_ROSTER && ld->stage == S_PLACES);
        if (!ok && ld->stage == S_BODY)
            return fail(ld, ld->line, "'%s' belongs to the header, once, at the top of the file",
                        d->name);
        if (!ok)
            return fail(ld, ld->line,
                        "the header needs '%s' here, not '%s' (the header is "
                        "questionnaire, languages, [places,] roster, roles)",
                        stage_wants[ld->stage], d->name);
        if (d->fn(ld, args))
            return -1;
        ld->stage = d->stage + 1;
        return 0;
    }
    if (ld->stage != S_BODY) {
        if (ld->stage == S_QUESTIONNAIRE)
            return fail(ld, ld->line,
                        "the file must start with 'questionnaire <id> <version>', not '%s'",
                        d->name);
        return fail(ld, ld->line, "the header is not complete: '%s' must come before '%s'",
                    stage_wants[ld->stage], d->name);
    }
    return d->fn(ld, args);
}

/* ----------------------------------------------------------------- places */

static uint32_t hash_code(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static size_t place_index(const struct questionnaire *q, const char *code)
{
    if (q->hash_cap == 0)
        return SIZE_MAX;
    for (size_t h = hash_code(code) & (q->hash_cap - 1);; h = (h + 1) & (q->hash_cap - 1)) {
        size_t v = q->place_hash[h];
        if (v == 0)
            return SIZE_MAX;
        if (strcmp(q->places[v - 1].code, code) == 0)
            return v - 1;
    }
}

/* Adds place I to the code index, keeping it at most half full. */
static bool hash_add(struct questionnaire *q, size_t i)
{
    if ((q->n_places + 1) * 2 > q->hash_cap) {
        size_t cap = q->hash_cap ? q->hash_cap * 2 : 256;
        size_t *h = calloc(cap, sizeof *h);
        if (h == NULL)
            return false;
        for (size_t k = 0; k < q->hash_cap; k++) {
            size_t v = q->place_hash[k];
            if (v == 0)
                continue;
            size_t at = hash_code(q->places[v - 1].code) & (cap - 1);
            while (h[at])
                at = (at + 1) & (cap - 1);
            h[at] = v;
        }
        free(q->place_hash);
        q->place_hash = h;
        q->hash_cap = cap;
    }
    size_t at = hash_code(q->places[i].code) & (q->hash_cap - 1);
    while (q->place_hash[at])
        at = (at + 1) & (q->hash_cap - 1);
    q->place_hash[at] = i + 1;
    return true;
}

static struct level *find_level(struct questionnaire *q, const char *name)
{
    for (size_t i = 0; i < q->n_levels; i++)
        if (strcmp(q->levels[i].name, name) == 0)
            return &q->levels[i];
    return NULL;
}

/* One row: level, code, parent, then a name per language, tab-separated. */
static int place_row(struct loader *ld)
{
    struct questionnaire *q = ld->q;
    const char *col[3 + Q_LANGS_MAX];
    size_t len[3 + Q_LANGS_MAX];
    size_t want = 3 + q->n_langs, n = 0;

    for (const char *p = ld->buf;;) {
        const char *tab = strchr(p, '\t');
        const char *e = tab ? tab : p + strlen(p);
        if (n < want) {
            const char *b = p;
            trim(&b, &e);
            col[n] = b;
            len[n] = (size_t)(e - b);
        }
        n++;
        if (tab == NULL)
            break;
        p = tab + 1;
    }
    if (n != want) {
        char langs[Q_LANGS_MAX * (Q_LANG_MAX + 3)];
        return fail(ld, ld->line,
                    "expected %zu columns separated by tabs (level, code, parent, %s), found %zu",
                    want, lang_list(q, langs, sizeof langs), n);
    }

    struct q_place pl;
    memset(&pl, 0, sizeof pl);
    const char *const what[3] = {"level", "code", "parent"};
    char *dst[3] = {pl.level, pl.code, pl.parent};
    for (size_t c = 0; c < 3; c++) {
        bool ok = len[c] < Q_CODE_MAX;
        for (size_t k = 0; ok && k < len[c]; k++)
            ok = is_code_char(col[c][k]);
        if (!ok || (c < 2 && len[c] == 0))
            return fail(ld, ld->line, "the %s '%.*s' must be 1-%d of a-z, 0-9 and '_'", what[c],
                        clip(col[c], len[c] < Q_ECHO_MAX ? len[c] : Q_ECHO_MAX), col[c],
                        Q_CODE_MAX - 1);
        memcpy(dst[c], col[c], len[c]);
        dst[c][len[c]] = '\0';
    }
    size_t dup = place_index(q, pl.code);
    if (dup != SIZE_MAX)
        return fail(ld, ld->line, "the code '%s' is already used (line %d)", pl.code,
                    q->place_lines[dup]);
    const char *parent_level = "";
    if (pl.parent[0]) {
        size_t pi = place_index(q, pl.parent);
        if (pi == SIZE_MAX)
            return fail(ld, ld->line, "the parent '%s' is not an earlier place in the file",
                        pl.parent);
        parent_level = q->places[pi].level;
    }
    if (strcmp(parent_level, pl.level) == 0)
        return fail(ld, ld->line, "a %s cannot lie under another %s", pl.level, pl.level);
    struct level *lv = find_level(q, pl.level);
    if (lv == NULL) {
        if (q->n_levels == Q_LEVELS_MAX)
            return fail(ld, ld->line, "at most %d place levels", Q_LEVELS_MAX);
        lv = &q->levels[q->n_levels++];
        ascii_copy(pl.level, lv->name, sizeof lv->name);
        ascii_copy(parent_level, lv->parent, sizeof lv->parent);
        lv->numeric = all_digits(pl.code);
    } else if (strcmp(lv->parent, parent_level) != 0) {
        return fail(ld, ld->line, "every %s lies under a %s, but '%s' has a %s parent", pl.level,
                    lv->parent[0] ? lv->parent : "(no parent)", pl.code,
                    parent_level[0] ? parent_level : "(no)");
    }
    if (all_digits(pl.code) != lv->numeric)
        return fail(ld, ld->line, "the %s codes are all whole numbers or none is: '%s' mixes them",
                    pl.level, pl.code);
    if (lv->numeric && pl.code[0] == '0' && pl.code[1] != '\0')
        return fail(ld, ld->line, "a number code has no leading zeros: '%s'", pl.code);
    for (size_t i = 0; i < q->n_langs; i++) {
        if (len[3 + i] == 0)
            return fail(ld, ld->line, "the %s name is empty", q->langs[i]);
        pl.name.t[i] = arena_dup(q, col[3 + i], len[3 + i]);
        if (pl.name.t[i] == NULL)
            return out_of_memory(ld);
    }
    size_t cap = q->cap_places;
    struct q_place *places = grow(q->places, &cap, q->n_places, sizeof *q->places);
    if (places == NULL)
        return out_of_memory(ld);
    q->places = places;
    if (cap != q->cap_places) {
        int *lines = realloc(q->place_lines, cap * sizeof *lines);
        if (lines == NULL)
            return out_of_memory(ld);
        q->place_lines = lines;
        q->cap_places = cap;
    }
    q->places[q->n_places] = pl;
    q->place_lines[q->n_places] = ld->line;
    if (!hash_add(q, q->n_places))
        return out_of_memory(ld);
    q->n_places++;
    return 0;
}

static int parse_places(struct loader *ld, const char *text, size_t len)
{
    struct reader r = {text, text + len, 0};
    int rc;

    if (len > Q_FILE_MAX)
        return fail(ld, 0, "the file is larger than 1 MiB");
    while ((rc = read_line(ld, &r)) > 0)
        if (!is_empty_line(ld->buf) && place_row(ld))
            return -1;
    return rc;
}

static int cmp_by_parent(const void *a, const void *b)
{
    const struct q_place *x = *(const struct q_place *const *)a;
    const struct q_place *y = *(const struct q_place *const *)b;
    int c = strcmp(x->level, y->level);

    if (c == 0)
        c = strcmp(x->parent, y->parent);
    if (c == 0) /* one array: addresses keep file order */
        c = x < y ? -1 : x > y;
    return c;
}

static int index_places(struct loader *ld)
{
    struct questionnaire *q = ld->q;

    if (q->n_places == 0)
        return 0;
    q->by_parent = malloc(q->n_places * sizeof *q->by_parent);
    if (q->by_parent == NULL)
        return out_of_memory(ld);
    for (size_t i = 0; i < q->n_places; i++)
        q->by_parent[i] = &q->places[i];
    qsort(q->by_parent, q->n_places, sizeof *q->by_parent, cmp_by_parent);
    return 0;
}

static char *read_file(const char *path, size_t *len, const char *name, struct q_error *err)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        ascii_copy(name, err->file, sizeof err->file);
        err->line = 0;
        snprintf(err->reason, sizeof err->reason, "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(Q_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, Q_FILE_MAX + 1, f) : 0;
    bool bad = buf == NULL || ferror(f);
    fclose(f);
    ascii_copy(name, err->file, sizeof err->file);
    err->line = 0;
    if (bad) {
        snprintf(err->reason, sizeof err->reason, "cannot read the file");
    } else if (n > Q_FILE_MAX) {
        snprintf(err->reason, sizeof err->reason, "the file is larger than 1 MiB");
    } else {
        *len = n;
        return buf;
    }
    free(buf);
    return NULL;
}

/* Reads the places file the header names, from memory or beside the text. */
static int load_places(struct loader *ld)
{
    const char *saved = ld->file;
    char *owned = NULL;
    const char *text = ld->places_text;
    size_t len = ld->places_len;

    if (ld->from_file) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", ld->dir, ld->places_name);
        if (n < 0 || (size_t)n >= sizeof path)
            return fail(ld, ld->places_line, "the path of the places file is too long");
        owned = read_file(path, &len, ld->places_name, ld->err);
        if (owned == NULL) {
            ld->failed = true;
            return -1;
        }
        text = owned;
    } else if (text == NULL) {
        return fail(ld, ld->places_line, "the places file '%s' was not given", ld->places_name);
    }
    ld->file = ld->places_name;
    int rc = parse_places(ld, text, len);
    ld->file = saved;
    free(owned);
    return rc;
}

/* ------------------------------------------------------ final resolution */

static int resolve_place_questions(struct loader *ld)
{
    struct questionnaire *q = ld->q;

    for (size_t i = 0; i < q->n_questions; i++) {
        const struct q_question *qq = &q->questions[i]->pub;
        if (qq->type != Q_PLACE)
            continue;
        if (ld->places_name[0] == '\0')
            return fail(ld, qq->line, "'%s' asks for a place, but the header names no places file",
                        qq->id);
        const struct level *lv = find_level(q, qq->place_level);
        if (lv == NULL)
            return fail(ld, qq->line, "%s lists no places at level '%s'", ld->places_name,
                        qq->place_level);
        if (qq->parent[0] == '\0') {
            if (lv->parent[0])
                return fail(ld, qq->line,
                            "every %s lies under a %s: name the question holding it, e.g. "
                            "place %s parent <question>",
                            lv->name, lv->parent, lv->name);
            continue;
        }
        const struct q_question *pq = questionnaire_question(q, qq->parent);
        if (strcmp(pq->place_level, lv->parent) != 0)
            return fail(ld, qq->line, "the parent '%s' asks for a %s, but every %s lies under a %s",
                        pq->id, pq->place_level, lv->name,
                        lv->parent[0] ? lv->parent : "(nothing)");
    }
    return 0;
}

struct ref_check {
    struct loader *ld;
    enum q_scope scope; /* of the page the rule sits on */
    size_t before;      /* a skip rule may name only questions before this index */
    const char *what;
    int line;
};

static int check_ref(void *ud, const char *qid, enum expr_ref_kind kind)
{
    const struct ref_check *rc = ud;
    const struct question_rec *r = find_question(rc->ld->q, qid);

    if (r == NULL)
        return fail(rc->ld, rc->line, "'%s' names '%s', which is not a question in this file",
                    rc->what, qid);
    if (kind == EXPR_REF_HEAD && r->pub.scope != Q_SCOPE_MEMBER)
        return fail(rc->ld, rc->line,
                    "'%s': head.%s names a household question; head. is "
                    "for member questions",
                    rc->what, qid);
    if (kind == EXPR_REF_MEMBERS && r->pub.scope != Q_SCOPE_MEMBER)
        return fail(rc->ld, rc->line,
                    "'%s': inside count() or sum(), '%s' must be a member question", rc->what, qid);
    if (kind == EXPR_REF_PLAIN && rc->scope == Q_SCOPE_HOUSEHOLD && r->pub.scope == Q_SCOPE_MEMBER)
        return fail(rc->ld, rc->line,
                    "'%s': '%s' is a member question; on a household page use count(), sum() "
                    "or head.%s",
                    rc->what, qid, qid);
    if (r->index >= rc->before)
        return fail(rc->ld, rc->line, "a skip rule can only look back, but '%s' is %s (line %d)",
                    qid, r->index == rc->before ? "this question itself" : "asked later",
                    r->pub.line);
    return 0;
}

static int resolve_rules(struct loader *ld)
{
    struct questionnaire *q = ld->q;
    struct ref_check rc = {ld, Q_SCOPE_HOUSEHOLD, 0, "", 0};

    for (size_t i = 0; i < q->n_pages; i++) {
        const struct page_rec *p = q->pages[i];
        rc.scope = p->pub.scope;
        for (size_t k = 0; k < p->pub.n_questions; k++) {
            const struct question_rec *r = (const struct question_rec *)p->qs[k];
            if (r->pub.show_if == NULL)
                continue;
            rc.before = r->index;
            rc.what = "show_if";
            rc.line = r->show_if_line;
            if (expr_refs(r->pub.show_if, check_ref, &rc))
                return -1;
        }
        for (size_t k = 0; k < p->pub.n_checks; k++) {
            const struct q_check *c = &p->checks[k];
            rc.before = SIZE_MAX;
            rc.line = c->line;
            rc.what = "check";
            if (expr_refs(c->check, check_ref, &rc))
                return -1;
            rc.what = "when";
            if (c->when && expr_refs(c->when, check_ref, &rc))
                return -1;
        }
    }
    return 0;
}

static const struct q_question *member_question(struct loader *ld, const char *id, int line,
                                                const char *what)
{
    const struct q_question *qq = questionnaire_question(ld->q, id);

    if (qq == NULL)
        fail(ld, line, "%s: there is no question '%s'", what, id);
    else if (qq->scope != Q_SCOPE_MEMBER)
        fail(ld, line, "%s: '%s' must be a question on a member page", what, id);
    else
        return qq;
    return NULL;
}

static int resolve_roles(struct loader *ld)
{
    struct questionnaire *q = ld->q;
    char what[32];

    for (size_t i = 0; i < q->n_roster; i++) {
        q->roster[i] = member_question(ld, ld->roster_ids[i], ld->roster_line, "roster");
        if (q->roster[i] == NULL)
            return -1;
    }
    static const enum q_type role_types[ROLE_COUNT] = {Q_TEXT, Q_CHOICE, Q_CHOICE, Q_CNIC,
                                                       Q_NUMBER};
    static const char *const type_words[] = {
        [Q_TEXT] = "text",   [Q_NUMBER] = "number", [Q_CHOICE] = "choice", [Q_DATE] = "date",
        [Q_PHONE] = "phone", [Q_CNIC] = "cnic",     [Q_PLACE] = "place",
    };
    for (size_t r = 0; r < ROLE_COUNT; r++) {
        snprintf(what, sizeof what, "role '%s'", role_names[r]);
        const struct q_question *qq = member_question(ld, ld->role_ids[r], ld->roles_line, what);
        if (qq == NULL)
            return -1;
        if (qq->type != role_types[r])
            return fail(ld, ld->roles_line, "%s: '%s' must be a %s question", what, qq->id,
                        type_words[role_types[r]]);
        q->roles[r] = qq;
    }
    if (q_option(q->roles[ROLE_RELATION], "head") == NULL)
        return fail(ld, ld->roles_line, "role 'relation': '%s' needs an option 'head'",
                    q->roles[ROLE_RELATION]->id);
    if (q_option(q->roles[ROLE_GENDER], "male") == NULL ||
        q_option(q->roles[ROLE_GENDER], "female") == NULL)
        return fail(ld, ld->roles_line, "role 'gender': '%s' needs options 'male' and 'female'",
                    q->roles[ROLE_GENDER]->id);
    return 0;
}

static int finish(struct loader *ld, int last_line)
{
    if (ld->stage != S_BODY) {
        if (ld->stage == S_QUESTIONNAIRE)
            return fail(ld, last_line,
                        "the file has no header: it must start with "
                        "'questionnaire <id> <version>'");
        return fail(ld, last_line, "the file ends before the header is complete: '%s' is missing",
                    stage_wants[ld->stage]);
    }
    if (close_open(ld) || close_page(ld))
        return -1;
    if (ld->q->n_pages == 0)
        return fail(ld, last_line, "the questionnaire has no pages");
    if (ld->places_name[0] && load_places(ld))
        return -1;
    if (resolve_place_questions(ld) || resolve_rules(ld) || resolve_roles(ld))
        return -1;
    return index_places(ld);
}

static struct questionnaire *parse(struct loader *ld, const char *text, size_t len)
{
    struct reader r = {text, text + len, 0};
    int rc;

    ld->q = calloc(1, sizeof *ld->q);
    if (ld->q == NULL) {
        fail(ld, 0, "out of memory");
        return NULL;
    }
    if (len > Q_FILE_MAX)
        rc = fail(ld, 0, "the file is larger than 1 MiB");
    else if (len == 0)
        rc = fail(ld, 0, "the file is empty");
    else
        rc = 0;
    while (rc == 0 && (rc = read_line(ld, &r)) > 0)
        rc = is_empty_line(ld->buf) ? 0 : do_line(ld);
    if (rc == 0)
        rc = finish(ld, r.line);
    if (rc) {
        questionnaire_free(ld->q);
        return NULL;
    }
    return ld->q;
}

struct questionnaire *questionnaire_parse(const char *text, size_t len, const char *places,
                                          size_t places_len, struct q_error *err)
{
    struct q_error dummy;
    struct loader *ld = calloc(1, sizeof *ld);

    if (err == NULL)
        err = &dummy;
    memset(err, 0, sizeof *err);
    if (ld == NULL) {
        snprintf(err->reason, sizeof err->reason, "out of memory");
        return NULL;
    }
    ld->err = err;
    ld->file = "(text)";
    ld->places_text = places;
    ld->places_len = places_len;
    struct questionnaire *q = text ? parse(ld, text, len) : parse(ld, "", 0);
    free(ld);
    return q;
}

struct questionnaire *questionnaire_load(const char *path, struct q_error *err)
{
    struct q_error dummy;

    if (err == NULL)
        err = &dummy;
    memset(err, 0, sizeof *err);
    if (path == NULL || *path == '\0') {
        snprintf(err->reason, sizeof err->reason, "no questionnaire file given");
        return NULL;
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[4096];
    if (slash == NULL) {
        ascii_copy(".", dir, sizeof dir);
    } else if ((size_t)(slash - path) >= sizeof dir) {
        ascii_copy(base, err->file, sizeof err->file);
        snprintf(err->reason, sizeof err->reason, "the path is too long");
        return NULL;
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path); /* "/q.txt": the root */
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    size_t len = 0;
    char *text = read_file(path, &len, base, err);
    if (text == NULL)
        return NULL;
    struct loader *ld = calloc(1, sizeof *ld);
    struct questionnaire *q = NULL;
    if (ld == NULL) {
        snprintf(err->reason, sizeof err->reason, "out of memory");
    } else {
        ld->err = err;
        ld->file = base;
        ld->from_file = true;
        ld->dir = dir;
        q = parse(ld, text, len);
    }
    free(ld);
    free(text);
    return q;
}

/* -------------------------------------------------------------- accessors */

const char *questionnaire_id(const struct questionnaire *q)
{
    return q->id;
}

const char *questionnaire_version(const struct questionnaire *q)
{
    return q->version;
}

size_t questionnaire_language_count(const struct questionnaire *q)
{
    return q->n_langs;
}

const char *questionnaire_language(const struct questionnaire *q, size_t i)
{
    return i < q->n_langs ? q->langs[i] : NULL;
}

const char *q_text(const struct questionnaire *q, const struct q_text *t, const char *lang)
{
    if (t == NULL)
        return NULL;
    for (size_t i = 0; lang && i < q->n_langs; i++)
        if (strcmp(q->langs[i], lang) == 0 && t->t[i])
            return t->t[i];
    return t->t[0];
}

size_t questionnaire_page_count(const struct questionnaire *q)
{
    return q->n_pages;
}

const struct q_page *questionnaire_page(const struct questionnaire *q, size_t i)
{
    return i < q->n_pages ? &q->pages[i]->pub : NULL;
}

const struct q_question *questionnaire_question(const struct questionnaire *q, const char *id)
{
    const struct question_rec *r = id ? find_question(q, id) : NULL;

    return r ? &r->pub : NULL;
}

const struct q_option *q_option(const struct q_question *qq, const char *code)
{
    if (qq == NULL || code == NULL)
        return NULL;
    for (size_t i = 0; i < qq->n_options; i++)
        if (strcmp(qq->options[i].code, code) == 0)
            return &qq->options[i];
    return NULL;
}

const struct q_question *questionnaire_member_name(const struct questionnaire *q)
{
    return q->roles[ROLE_NAME];
}

const struct q_question *questionnaire_member_relation(const struct questionnaire *q)
{
    return q->roles[ROLE_RELATION];
}

const struct q_question *questionnaire_member_gender(const struct questionnaire *q)
{
    return q->roles[ROLE_GENDER];
}

const struct q_question *questionnaire_member_id(const struct questionnaire *q)
{
    return q->roles[ROLE_ID];
}

const struct q_question *questionnaire_member_age(const struct questionnaire *q)
{
    return q->roles[ROLE_AGE];
}

size_t questionnaire_roster_column_count(const struct questionnaire *q)
{
    return q->n_roster;
}

const struct q_question *questionnaire_roster_column(const struct questionnaire *q, size_t i)
{
    return i < q->n_roster ? q->roster[i] : NULL;
}

/* [*FIRST, *FIRST + count) of by_parent are LEVEL's places under PARENT. */
static size_t children(const struct questionnaire *q, const char *level, const char *parent,
                       size_t *first)
{
    size_t lo = 0, hi = q->n_places;

    if (level == NULL)
        return 0;
    if (parent == NULL)
        parent = "";
    while (lo < hi) { /* the first not before (level, parent) */
        size_t mid = lo + (hi - lo) / 2;
        const struct q_place *p = q->by_parent[mid];
        int c = strcmp(p->level, level);
        if (c == 0)
            c = strcmp(p->parent, parent);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < q->n_places && strcmp(q->by_parent[lo + n]->level, level) == 0 &&
           strcmp(q->by_parent[lo + n]->parent, parent) == 0)
        n++;
    *first = lo;
    return n;
}

size_t questionnaire_place_count(const struct questionnaire *q, const char *level,
                                 const char *parent)
{
    size_t first;

    return children(q, level, parent, &first);
}

const struct q_place *questionnaire_place_at(const struct questionnaire *q, const char *level,
                                             const char *parent, size_t i)
{
    size_t first;
    size_t n = children(q, level, parent, &first);

    return i < n ? q->by_parent[first + i] : NULL;
}

const struct q_place *questionnaire_place(const struct questionnaire *q, const char *level,
                                          const char *code)
{
    size_t i = code ? place_index(q, code) : SIZE_MAX;

    if (i == SIZE_MAX || (level && strcmp(q->places[i].level, level) != 0))
        return NULL;
    return &q->places[i];
}

/* ------------------------------------------------------------- validation */

static const char *msg_too_long = N_("This answer is too long. Please write it shorter.");

/* Copies [B, E) into OUT; the too-long message when it does not fit. */
static const char *put(const char *b, const char *e, char *out, size_t outsz)
{
    size_t n = (size_t)(e - b);

    if (n >= ANSWER_VALUE_MAX)
        return msg_too_long;
    if (out == NULL)
        return NULL;
    if (n >= outsz)
        return msg_too_long;
    memcpy(out, b, n);
    out[n] = '\0';
    return NULL;
}

/* Free text: valid UTF-8, no control characters, MIN..MAX characters. */
static const char *check_text(const char *b, const char *e, double min, double max, char *out,
                              size_t outsz)
{
    size_t chars = 0;

    for (const unsigned char *p = (const unsigned char *)b; p < (const unsigned char *)e;) {
        uint32_t cp;
        size_t n = utf8_decode(p, (const unsigned char *)e, &cp);
        if (n == 0 || is_control(cp))
            return N_("This text has a sign that cannot be used. Please type it again.");
        chars++;
        p += n;
    }
    if ((double)chars < min || (double)chars > max)
        return N_("Please write %s letters.");
    return put(b, e, out, outsz);
}

static const char *check_number(const struct q_question *qq, const char *b, const char *e,
                                char *out, size_t outsz)
{
    char norm[Q_INT_DIGITS + Q_DECIMALS_MAX + 4];
    const char *p = b;
    bool neg = false;

    if (p < e && *p == '-' && qq->min < 0) {
        neg = true;
        p++;
    }
    const char *ib = p;
    while (p < e && ascii_is_digit(*p))
        p++;
    const char *ie = p, *fb = p, *fe = p;
    if (p < e && *p == '.') {
        fb = ++p;
        while (p < e && ascii_is_digit(*p))
            p++;
        fe = p;
    }
    if (p != e || (ie == ib && fe == fb))
        return N_("Please type a number using digits only.");
    while (ib < ie && *ib == '0') /* no leading zeros */
        ib++;
    while (fe > fb && fe[-1] == '0') /* nor trailing decimal ones */
        fe--;
    if (fe > fb && qq->decimals == 0)
        return N_("Please type a whole number, without a point.");
    if (fe - fb > qq->decimals)
        return N_("There are too many digits after the point.");
    if (ie - ib > Q_INT_DIGITS)
        return N_("Please type a number in the range %s.");
    size_t n = 0;
    if (neg && (ie > ib || fe > fb))
        norm[n++] = '-';
    if (ie == ib)
        norm[n++] = '0';
    memcpy(norm + n, ib, (size_t)(ie - ib));
    n += (size_t)(ie - ib);
    if (fe > fb) {
        norm[n++] = '.';
        memcpy(norm + n, fb, (size_t)(fe - fb));
        n += (size_t)(fe - fb);
    }
    norm[n] = '\0';
    double v;
    if (!parse_decimal(norm, &v, NULL) || v < qq->min || v > qq->max)
        return N_("Please type a number in the range %s.");
    return put(norm, norm + n, out, outsz);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return days[m - 1] + (m == 2 && is_leap(y));
}

/* MIN..MAX digits at *P (before E) into *V; not followed by another digit. */
static bool take_int(const char **p, const char *e, int min, int max, int *v)
{
    int n = 0;

    *v = 0;
    while (*p < e && ascii_is_digit(**p) && n < max) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min && (*p == e || !ascii_is_digit(**p));
}

static bool is_date_sep(char c)
{
    return c == '-' || c == '/' || c == '.';
}

/* DD-MM-YYYY (any of -/. between), DDMMYYYY, or YYYY-MM-DD. */
static bool split_date(const char *b, const char *e, int *y, int *m, int *d)
{
    const char *p = b;

    if (e - b == 8 && take_int(&p, b + 2, 2, 2, d) && take_int(&p, b + 4, 2, 2, m) &&
        take_int(&p, e, 4, 4, y))
        return true;
    p = b;
    if (take_int(&p, e, 4, 4, y) && p < e && *p++ == '-' && take_int(&p, e, 1, 2, m) && p < e &&
        *p++ == '-' && take_int(&p, e, 1, 2, d) && p == e)
        return true;
    p = b;
    return take_int(&p, e, 1, 2, d) && p < e && is_date_sep(*p++) && take_int(&p, e, 1, 2, m) &&
           p < e && is_date_sep(*p++) && take_int(&p, e, 4, 4, y) && p == e;
}

static const char *check_date(const char *b, const char *e, const int today[3], char *out,
                              size_t outsz)
{
    int y, m, d;

    if (!split_date(b, e, &y, &m, &d))
        return N_("Please write the date as day-month-year, for example 05-03-1980.");
    if (m < 1 || m > 12)
        return N_("There is no such month: the month is a number from 1 to 12.");
    if (d < 1 || d > month_days(y, m))
        return N_("There is no such day in that month. Please check the date.");
    if (y < 1)
        return N_("This date is too long ago. Please check the year.");
    if (today && today[0] > 0) {
        long long when = (long long)y * 10000 + m * 100 + d;
        long long now = (long long)today[0] * 10000 + today[1] * 100 + today[2];
        if (when > now)
            return N_("This date is in the future. Please check the year.");
        int age = today[0] - y - (today[1] < m || (today[1] == m && today[2] < d));
        if (age > 120)
            return N_("This date is too long ago. Please check the year.");
    }
    char buf[32]; /* 10 are used: the year has 4 digits, month and day 2 */
    int n = snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return put(buf, buf + n, out, outsz);
}

static const char *check_phone(const char *b, const char *e, char *out, size_t outsz)
{
    char digits[24];
    size_t n = 0;

    for (const char *p = b; p < e; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (!ascii_is_digit(*p) && !(*p == '+' && n == 0))
            return N_("A mobile phone number has only digits, like 0300-1234567.");
        if (n == sizeof digits - 1)
            return N_("A mobile phone number has 11 digits and starts with 03, like "
                      "0300-1234567.");
        digits[n++] = *p;
    }
    digits[n] = '\0';
    const char *rest = digits;
    if (strncmp(digits, "+92", 3) == 0)
        rest = digits + 3;
    else if (strncmp(digits, "0092", 4) == 0)
        rest = digits + 4;
    char local[12];
    if (rest != digits && strlen(rest) == 10 && all_digits(rest) && rest[0] == '3') {
        local[0] = '0';
        memcpy(local + 1, rest, 11);
    } else if (rest == digits && n == 11 && all_digits(digits) && digits[0] == '0' &&
               digits[1] == '3') {
        memcpy(local, digits, 12);
    } else {
        return N_("A mobile phone number has 11 digits and starts with 03, like 0300-1234567.");
    }
    return put(local, local + 11, out, outsz);
}

bool q_place_is_typed(const struct questionnaire *q, const struct q_question *qq,
                      const char *parent_value)
{
    if (qq == NULL || qq->type != Q_PLACE)
        return false;
    const char *parent = qq->parent[0] ? (parent_value ? parent_value : "") : "";
    return questionnaire_place_count(q, qq->place_level, parent) == 0;
}

const char *q_validate(const struct questionnaire *q, const struct q_question *qq,
                       const char *value, const char *parent_value, const int today[3],
                       const char *cnic_regions, char *out, size_t outsz)
{
    const char *b, *e;

    if (out && outsz)
        out[0] = '\0';
    if (value == NULL || qq == NULL)
        return NULL;
    ascii_trim(value, &b, &e);
    if (b == e)
        return NULL;
    /* Numbers typed or scanned in Urdu or Arabic-Indic digits are read as
     * ASCII ones (digits.h); free text keeps the digits it was written in. */
    char norm[ANSWER_VALUE_MAX];
    if (qq->type == Q_NUMBER || qq->type == Q_DATE || qq->type == Q_PHONE || qq->type == Q_CNIC) {
        size_t n = digits_normalise(b, (size_t)(e - b), norm, sizeof norm);
        if (n != (size_t)-1) {
            b = norm;
            e = norm + n;
        }
    }
    switch (qq->type) {
    case Q_TEXT:
        return check_text(b, e, qq->min, qq->max, out, outsz);
    case Q_NUMBER:
        return check_number(qq, b, e, out, outsz);
    case Q_CHOICE: {
        char code[Q_CODE_MAX];
        size_t n = (size_t)(e - b);
        if (n >= sizeof code)
            return N_("Please choose one of the answers in the list.");
        memcpy(code, b, n);
        code[n] = '\0';
        if (q_option(qq, code) == NULL)
            return N_("Please choose one of the answers in the list.");
        return put(b, e, out, outsz);
    }
    case Q_DATE:
        return check_date(b, e, today, out, outsz);
    case Q_PHONE:
        return check_phone(b, e, out, outsz);
    case Q_CNIC: {
        struct cnic c;
        char buf[ANSWER_VALUE_MAX];
        size_t n = (size_t)(e - b);
        if (n >= sizeof buf)
            return cnic_error_text(CNIC_WRONG_LENGTH);
        memcpy(buf, b, n);
        buf[n] = '\0';
        enum cnic_error ce = cnic_parse(buf, cnic_regions, &c);
        if (ce != CNIC_OK)
            return cnic_error_text(ce);
        return put(c.digits, c.digits + strlen(c.digits), out, outsz);
    }
    case Q_PLACE: {
        if (q_place_is_typed(q, qq, parent_value))
            return check_text(b, e, Q_PLACE_TYPED_MIN, Q_PLACE_TYPED_MAX, out, outsz);
        char code[Q_CODE_MAX];
        size_t n = (size_t)(e - b);
        const struct q_place *pl = NULL;
        if (n < sizeof code) {
            memcpy(code, b, n);
            code[n] = '\0';
            pl = questionnaire_place(q, qq->place_level, code);
        }
        if (pl == NULL ||
            (qq->parent[0] && strcmp(pl->parent, parent_value ? parent_value : "") != 0))
            return N_("Please choose a place from the list.");
        return put(b, e, out, outsz);
    }
    }
    return NULL;
}

const char *q_range_text(const struct q_question *qq, char *buf, size_t bufsz)
{
    char lo[32], hi[32];

    if (buf == NULL || bufsz == 0)
        return buf;
    buf[0] = '\0';
    if (qq == NULL)
        return buf;
    switch (qq->type) {
    case Q_TEXT:
        /* Empty is never refused here, so the least worth saying is 1. */
        format_decimal(qq->min < 1 ? 1 : qq->min, 0, lo, sizeof lo);
        format_decimal(qq->max, 0, hi, sizeof hi);
        break;
    case Q_NUMBER:
        format_decimal(qq->min, qq->decimals, lo, sizeof lo);
        format_decimal(qq->max, qq->decimals, hi, sizeof hi);
        break;
    case Q_PLACE:
        format_decimal(Q_PLACE_TYPED_MIN, 0, lo, sizeof lo);
        format_decimal(Q_PLACE_TYPED_MAX, 0, hi, sizeof hi);
        break;
    default:
        return buf;
    }
    if (strcmp(lo, hi) == 0)
        snprintf(buf, bufsz, "%s", lo);
    else
        snprintf(buf, bufsz, "%s-%s", lo, hi);
    return buf;
}

bool q_shown(const struct q_question *qq, const struct expr_ctx *ctx)
{
    if (qq == NULL)
        return false;
    return qq->show_if == NULL || expr_test(qq->show_if, ctx) == TRI_TRUE;
}

const struct q_check *q_page_failing_check(const struct q_page *page, const struct expr_ctx *ctx)
{
    if (page == NULL)
        return NULL;
    for (size_t i = 0; i < page->n_checks; i++) {
        const struct q_check *c = &page->checks[i];
        if (c->when && expr_test(c->when, ctx) == TRI_FALSE)
            continue;
        if (expr_test(c->check, ctx) == TRI_FALSE)
            return c;
    }
    return NULL;
}
