/*
 * scan_payload.c - find the CNIC in a scanner's payload with a POSIX
 * extended regular expression.
 *
 * regexec() needs a NUL-terminated string, and a payload may hold NULs or
 * any other byte: it is copied with control bytes and NULs turned into
 * spaces, which can only separate digit runs, never join them. Must never
 * trust the payload's length or content.
 */
#include "scan_payload.h"

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"
#include "i18n.h"

/* A run of exactly 13 digits, dashed or not, not inside a longer run. */
static const char default_pattern[] = "(^|[^0-9])([0-9]{5}-?[0-9]{7}-?[0-9])([^0-9]|$)";

struct scan_pattern {
    regex_t re;
    int group; /* which group holds the CNIC */
};

const char *scan_pattern_default(void)
{
    return default_pattern;
}

/*
 * True when P repeats a repetition ("a++", "a*{2}", "a{1,9}{1,9}"): glibc's
 * regcomp() takes time and memory exponential in such a stack (30 '+' take
 * over a gigabyte), and a repeated repetition never means anything a single
 * one cannot say. Bracket expressions and escaped characters are skipped.
 */
static bool stacked_repetition(const char *p)
{
    bool after_rep = false;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\') {
            after_rep = false;
            if (p[i + 1])
                i++;
            continue;
        }
        if (c == '[') {
            i++;
            if (p[i] == '^')
                i++;
            if (p[i] == ']')
                i++;
            while (p[i] && p[i] != ']') {
                if (p[i] == '[' && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
                    char kind = p[i + 1];
                    i += 2;
                    while (p[i] && !(p[i] == kind && p[i + 1] == ']'))
                        i++;
                    if (p[i])
                        i++;
                }
                if (p[i])
                    i++;
            }
            if (!p[i])
                return false; /* regcomp refuses the open bracket itself */
            after_rep = false;
            continue;
        }
        if (c == '*' || c == '+' || c == '?' || c == '{') {
            if (after_rep)
                return true;
            if (c == '{')
                while (p[i + 1] && p[i] != '}')
                    i++;
            after_rep = true;
            continue;
        }
        after_rep = false;
    }
    return false;
}

struct scan_pattern *scan_pattern_new(const char *pattern, char *err, size_t errsz)
{
    bool is_default = !pattern || !*pattern || strcmp(pattern, default_pattern) == 0;
    if (!is_default && strlen(pattern) >= SCAN_PATTERN_MAX) {
        snprintf(err, errsz, _("is longer than %d characters"), SCAN_PATTERN_MAX - 1);
        return NULL;
    }
    if (!is_default && stacked_repetition(pattern)) {
        /* The reason is in the same (untranslated) words as regerror()'s. */
        snprintf(err, errsz, _("is not a valid pattern: %s"),
                 "a repetition is repeated (such as ++ or *{2})");
        return NULL;
    }
    struct scan_pattern *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errsz, _("out of memory"));
        return NULL;
    }
    int rc = regcomp(&p->re, is_default ? default_pattern : pattern, REG_EXTENDED);
    if (rc != 0) {
        char why[128];
        regerror(rc, &p->re, why, sizeof why);
        snprintf(err, errsz, _("is not a valid pattern: %s"), why);
        free(p);
        return NULL;
    }
    /* The default needs its guards as groups 1 and 3; a centre's own
     * pattern names the CNIC in its first group. */
    p->group = is_default ? 2 : (p->re.re_nsub >= 1 ? 1 : 0);
    return p;
}

void scan_pattern_free(struct scan_pattern *p)
{
    if (!p)
        return;
    regfree(&p->re);
    free(p);
}

int scan_find_cnic(const struct scan_pattern *p, const char *payload, size_t len,
                   const char *regions, struct cnic *out)
{
    if (!p || !payload || len == 0 || len > SCAN_PAYLOAD_MAX)
        return -1;
    char text[SCAN_PAYLOAD_MAX + 1];
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)payload[i];
        text[i] = (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
    }
    text[len] = '\0';
    /* A card or slip printed with Urdu digits is matched as ASCII digits. */
    digits_normalise_inplace(text);
    regmatch_t m[10];
    if (regexec(&p->re, text, 10, m, 0) != 0)
        return -1;
    regmatch_t g = m[p->group];
    if (g.rm_so < 0 || g.rm_eo <= g.rm_so || g.rm_eo - g.rm_so > 40)
        return -1;
    char found[41];
    memcpy(found, text + g.rm_so, (size_t)(g.rm_eo - g.rm_so));
    found[g.rm_eo - g.rm_so] = '\0';
    return cnic_parse(found, regions, out) == CNIC_OK ? 0 : -1;
}
