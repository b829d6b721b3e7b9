/*
 * answers_json.c - reads a household's answers from JSON (shape in
 * answers_json.h) with jansson.
 *
 * The file comes from outside (an auditor, a test, a tool), so nothing is
 * trusted: jansson checks the syntax and UTF-8 (and refuses duplicate keys
 * and \u0000), and every id, value, length and shape is checked here
 * before it reaches struct answers. Decimals are written out by hand so no
 * locale turns the point into a comma. Only answers_json_load does I/O.
 * Must never print, draw or exit.
 */
#include "answers_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ascii.h"

#define AJ_FILE_MAX  (1024 * 1024)
#define AJ_DECIMALS  9
#define AJ_WHERE_MAX 96

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void fail(struct answers_json_error *err, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct answers_json_error *err, const char *name, const char *fmt, ...)
{
    if (!err)
        return;
    ascii_copy(base_name(name), err->file, sizeof err->file);
    err->line = 0;
    err->column = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->reason, sizeof err->reason, fmt, ap);
    va_end(ap);
}

/* A key as it may be shown in a message: cut short, control bytes hidden. */
static void shown_key(const char *key, char *out, size_t outsz)
{
    ascii_copy(key, out, outsz > 40 ? 40 : outsz);
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

/*
 * V as decimal text without an exponent (2, 2.5, 16.17): the fewest
 * decimals, at most AJ_DECIMALS, that give V back. False when too large.
 */
static bool format_real(double v, char *out, size_t outsz)
{
    if (!isfinite(v) || fabs(v) >= 1e15)
        return false;
    double a = fabs(v);
    long long p10[AJ_DECIMALS + 1];
    p10[0] = 1;
    for (int p = 1; p <= AJ_DECIMALS; p++)
        p10[p] = p10[p - 1] * 10;
    int best = 0;
    long long scaled = (long long)round(a);
    for (int p = 0; p <= AJ_DECIMALS; p++) {
        double s = round(a * (double)p10[p]);
        if (s > 9e18)
            break;
        best = p;
        scaled = (long long)s;
        /* s / 10^p is the double nearest the decimal, so the text's own digits match
         * (almost) exactly; anything finer than AJ_DECIMALS is rounded. */
        if (fabs(s / (double)p10[p] - a) <= a * 1e-12)
            break;
    }
    long long whole = scaled / p10[best], frac = scaled % p10[best];
    const char *sign = v < 0 && scaled != 0 ? "-" : "";
    if (frac == 0) {
        snprintf(out, outsz, "%s%lld", sign, whole);
        return true;
    }
    snprintf(out, outsz, "%s%lld.%0*lld", sign, whole, best, frac);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '0') /* trailing zeros of the fraction say nothing */
        out[--n] = '\0';
    return true;
}

/*
 * One value into OUT as the text answers keep. NULL when fine (OUT ""
 * means unanswered), else what is wrong with it.
 */
static const char *value_text(const json_t *v, char *out, size_t outsz)
{
    out[0] = '\0';
    switch (json_typeof(v)) {
    case JSON_NULL:
        return NULL;
    case JSON_STRING: {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n >= outsz || n >= ANSWER_VALUE_MAX)
            return "the text is too long";
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return "the text holds a control character";
        memcpy(out, s, n + 1);
        return NULL;
    }
    case JSON_INTEGER:
        snprintf(out, outsz, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return NULL;
    case JSON_REAL:
        if (!format_real(json_real_value(v), out, outsz))
            return "the number is too large";
        return NULL;
    case JSON_TRUE:
    case JSON_FALSE:
        return "expected text or a number, not true/false (write \"yes\" or \"no\")";
    case JSON_OBJECT:
        return "expected text or a number, not an object";
    case JSON_ARRAY:
        return "expected text or a number, not a list";
    }
    return "expected text or a number";
}

/* Copies OBJ's answers into MEMBER of A; WHERE names OBJ in messages. */
static bool read_answers(struct answers *a, int member, const json_t *obj, const char *where,
                         const char *name, struct answers_json_error *err)
{
    const char *key;
    json_t *v;
    char text[ANSWER_VALUE_MAX + 1], k[48];
    json_object_foreach((json_t *)obj, key, v)
    {
        shown_key(key, k, sizeof k);
        if (!answers_valid_id(key)) {
            fail(err, name,
                 "%s.%s: not a question id (1-31 of a-z, 0-9, _, starting with a letter)", where,
                 k);
            return false;
        }
        const char *why = value_text(v, text, sizeof text);
        if (why) {
            fail(err, name, "%s.%s: %s", where, k, why);
            return false;
        }
        /* Household and member questions share one name space (kiosk/expr.h). */
        if (member != ANSWERS_HOUSEHOLD && answers_get(a, ANSWERS_HOUSEHOLD, key)) {
            fail(err, name, "%s.%s: '%s' is a household question, not a member's", where, k, k);
            return false;
        }
        if (text[0] && answers_set(a, member, key, text) != 0) {
            fail(err, name, "%s.%s: cannot be kept (out of memory)", where, k);
            return false;
        }
    }
    return true;
}

static bool read_members(struct answers *a, const json_t *members, const char *name,
                         struct answers_json_error *err)
{
    size_t n = json_array_size(members);
    if (!json_is_array(members) || n == 0) {
        fail(err, name, "members: expected a list of at least one member (the head first)");
        return false;
    }
    if (n > AJ_MEMBERS_MAX) {
        fail(err, name, "members: more than %d members", AJ_MEMBERS_MAX);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *m = json_array_get(members, i);
        char where[AJ_WHERE_MAX];
        snprintf(where, sizeof where, "members[%zu]", i);
        if (!json_is_object(m)) {
            fail(err, name, "%s: expected an object of answers", where);
            return false;
        }
        int idx = answers_add_member(a);
        if (idx != (int)i) {
            fail(err, name, "%s: cannot be kept (out of memory)", where);
            return false;
        }
        if (!read_answers(a, idx, m, where, name, err))
            return false;
        const char *rel = answers_get(a, idx, "relation");
        bool head = rel && strcmp(rel, "head") == 0;
        if (i == 0 && !head) {
            fail(err, name,
                 "members[0]: the first member must be the head (\"relation\": "
                 "\"head\")");
            return false;
        }
        if (i > 0 && head) {
            fail(err, name, "%s: only the first member can be the head", where);
            return false;
        }
    }
    return true;
}

struct answers *answers_json_parse(const char *text, size_t len, const char *name,
                                   char *questionnaire, size_t qsz, struct answers_json_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (questionnaire && qsz)
        questionnaire[0] = '\0';
    if (!name)
        name = "answers";
    if (!text)
        text = "";
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        fail(err, name, "%s", je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return NULL;
    }
    struct answers *a = NULL;
    const json_t *household = NULL, *members = NULL, *q = NULL;
    const char *key;
    json_t *v;
    if (!json_is_object(root)) {
        fail(err, name, "expected an object with \"household\" and \"members\"");
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        char k[48];
        shown_key(key, k, sizeof k);
        if (strcmp(key, "questionnaire") == 0) {
            q = v;
        } else if (strcmp(key, "household") == 0) {
            household = v;
        } else if (strcmp(key, "members") == 0) {
            members = v;
        } else {
            fail(err, name,
                 "unknown member \"%s\" at the top (expected questionnaire, household, members)",
                 k);
            goto out;
        }
    }
    if (q && !json_is_null(q)) {
        const char *s = json_string_value(q);
        if (!s || json_string_length(q) == 0 || json_string_length(q) >= AJ_QUESTIONNAIRE_MAX) {
            fail(err, name, "questionnaire: expected an id of 1-%d characters",
                 AJ_QUESTIONNAIRE_MAX - 1);
            goto out;
        }
        for (const char *c = s; *c; c++) {
            if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
                fail(err, name, "questionnaire: the id holds a blank or control character");
                goto out;
            }
        }
        if (questionnaire && qsz)
            ascii_copy(s, questionnaire, qsz);
    }
    if (household && !json_is_null(household) && !json_is_object(household)) {
        fail(err, name, "household: expected an object of answers");
        goto out;
    }
    if (!members) {
        fail(err, name, "no \"members\": the household needs at least its head");
        goto out;
    }
    a = answers_new();
    if (!a) {
        fail(err, name, "out of memory");
        goto out;
    }
    if ((household && json_is_object(household) &&
         !read_answers(a, ANSWERS_HOUSEHOLD, household, "household", name, err)) ||
        !read_members(a, members, name, err)) {
        answers_free(a);
        a = NULL;
    }
out:
    json_decref(root);
    if (!a && questionnaire && qsz)
        questionnaire[0] = '\0';
    return a;
}

struct answers *answers_json_load(const char *path, char *questionnaire, size_t qsz,
                                  struct answers_json_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(AJ_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        fail(err, path, "out of memory");
        return NULL;
    }
    size_t n = fread(buf, 1, AJ_FILE_MAX + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    struct answers *a = NULL;
    if (bad)
        fail(err, path, "cannot read the file");
    else if (n > AJ_FILE_MAX)
        fail(err, path, "the file is larger than %d bytes", AJ_FILE_MAX);
    else
        a = answers_json_parse(buf, n, path, questionnaire, qsz, err);
    free(buf);
    return a;
}
