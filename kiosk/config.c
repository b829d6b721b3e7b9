/*
 * config.c - parse and write the key = value configuration file.
 *
 * Keys are a table: each names its parser, so a new setting is one row.
 * Unknown keys are errors (a typo must not silently fall back to a
 * default). Must never print, exit or touch the terminal.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cnic.h"
#include "i18n.h"

typedef int (*setter)(struct config *cfg, const char *value, char *why, size_t whysz);

static int copy_text(char *dst, size_t dstsz, const char *value, char *why, size_t whysz)
{
    if (strlen(value) >= dstsz) {
        snprintf(why, whysz, _("is longer than %zu characters"), dstsz - 1);
        return -1;
    }
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

static int set_kiosk_code(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (!tracking_kiosk_code_valid(v)) {
        snprintf(why, whysz, _("must be exactly %d digits"), TRACKING_KIOSK_DIGITS);
        return -1;
    }
    return copy_text(cfg->kiosk_code, sizeof cfg->kiosk_code, v, why, whysz);
}

static int set_centre_name(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->centre_name, sizeof cfg->centre_name, v, why, whysz);
}

static int set_language(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (!i18n_language_known(v)) {
        snprintf(why, whysz, _("must be one of en, ur_Latn"));
        return -1;
    }
    return copy_text(cfg->language, sizeof cfg->language, v, why, whysz);
}

static int set_idle_timeout(struct config *cfg, const char *v, char *why, size_t whysz)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    /* Under 3 s nobody can type; over an hour leaves a session on screen. */
    if (errno || *end || end == v || n < 3 || n > 3600) {
        snprintf(why, whysz, _("must be a whole number of seconds from 3 to 3600"));
        return -1;
    }
    cfg->idle_timeout_s = (int)n;
    return 0;
}

static int set_cnic_regions(struct config *cfg, const char *v, char *why, size_t whysz)
{
    size_t n = strlen(v);
    if (n == 0 || n >= sizeof cfg->cnic_regions) {
        snprintf(why, whysz, _("must list between 1 and 10 region digits, e.g. 12345678"));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)v[i])) {
            snprintf(why, whysz, _("must contain digits only, e.g. 12345678"));
            return -1;
        }
    }
    return copy_text(cfg->cnic_regions, sizeof cfg->cnic_regions, v, why, whysz);
}

static int set_phone_like(char *dst, size_t dstsz, const char *v, char *why, size_t whysz)
{
    for (const char *p = v; *p; p++) {
        if (!isdigit((unsigned char)*p) && *p != '-' && *p != ' ' && *p != '+') {
            snprintf(why, whysz, _("must be a phone number (digits, dashes, spaces)"));
            return -1;
        }
    }
    return copy_text(dst, dstsz, v, why, whysz);
}

static int set_helpline(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_phone_like(cfg->helpline, sizeof cfg->helpline, v, why, whysz);
}

static int set_sms_number(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_phone_like(cfg->sms_number, sizeof cfg->sms_number, v, why, whysz);
}

static int set_log_file(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->log_file, sizeof cfg->log_file, v, why, whysz);
}

static int set_mode(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (strcmp(v, "applicant") != 0 && strcmp(v, "clerk") != 0) {
        snprintf(why, whysz, _("must be applicant or clerk"));
        return -1;
    }
    cfg->clerk_mode = strcmp(v, "clerk") == 0;
    return copy_text(cfg->mode, sizeof cfg->mode, v, why, whysz);
}

static int set_retention(struct config *cfg, const char *v, char *why, size_t whysz)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    /* At least an hour for a power cut to pass; at most 30 days of
     * personal data nobody confirmed. */
    if (errno || *end || end == v || n < 1 || n > 720) {
        snprintf(why, whysz, _("must be a whole number of hours from 1 to 720"));
        return -1;
    }
    cfg->draft_retention_hours = (int)n;
    return 0;
}

static int set_questionnaire(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->questionnaire, sizeof cfg->questionnaire, v, why, whysz);
}

static int set_scorecard(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->scorecard, sizeof cfg->scorecard, v, why, whysz);
}

static int set_thresholds(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->thresholds, sizeof cfg->thresholds, v, why, whysz);
}

#define TEXT_FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define INT_FIELD(f)  offsetof(struct config, f), 0

static const struct {
    const char *key;
    setter set;
    const char *comment; /* written into the default file */
    size_t offset;       /* where the value lives, for writing it back */
    size_t size;         /* of a text value; 0 for an int */
} keys[] = {
    {"kiosk_code", set_kiosk_code,
     "Five digits that make this machine's tracking IDs unique. Every kiosk\n"
     "# in the registry must have its own; ask the registry for one.",
     TEXT_FIELD(kiosk_code)},
    {"centre_name", set_centre_name, "Shown on every screen and on receipts.",
     TEXT_FIELD(centre_name)},
    {"language", set_language,
     "Language the kiosk starts in and returns to after each applicant: en or ur_Latn.",
     TEXT_FIELD(language)},
    {"idle_timeout", set_idle_timeout,
     "Seconds without a key press before the session is wiped and the home\n"
     "# screen returns (3-3600).",
     INT_FIELD(idle_timeout_s)},
    {"cnic_regions", set_cnic_regions, "First digits of a CNIC that are accepted as region codes.",
     TEXT_FIELD(cnic_regions)},
    {"helpline", set_helpline, "Helpline shown to applicants.", TEXT_FIELD(helpline)},
    {"sms_number", set_sms_number, "SMS short code for status checks.", TEXT_FIELD(sms_number)},
    {"log_file", set_log_file,
     "Log file (no personal data is ever written to it); empty for none.\n"
     "# A relative path is relative to the folder the kiosk starts in.",
     TEXT_FIELD(log_file)},
    {"mode", set_mode,
     "applicant: a walk-in kiosk (status checks, new registrations, resuming\n"
     "# one's own draft by CNIC). clerk: a counter machine, which also lists\n"
     "# saved drafts, updates registrations and shows the provisional score.",
     TEXT_FIELD(mode)},
    {"draft_retention_hours", set_retention,
     "Hours an unfinished survey is kept for resuming before it is wiped (1-720).",
     INT_FIELD(draft_retention_hours)},
    {"questionnaire", set_questionnaire,
     "The survey file; empty for the one shipped in the data folder.", TEXT_FIELD(questionnaire)},
    {"scorecard", set_scorecard, "The poverty score table; empty for the shipped example table.",
     TEXT_FIELD(scorecard)},
    {"thresholds", set_thresholds,
     "The programmes' cut-offs; empty for the shipped example thresholds.", TEXT_FIELD(thresholds)},
};

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->kiosk_code, "00001");
    strcpy(cfg->centre_name, "NSER Registration Centre");
    strcpy(cfg->language, "en");
    cfg->idle_timeout_s = 120;
    strcpy(cfg->cnic_regions, CNIC_DEFAULT_REGIONS);
    strcpy(cfg->helpline, "0800-26477");
    strcpy(cfg->sms_number, "8171");
    strcpy(cfg->log_file, "var/nser-kiosk.log");
    strcpy(cfg->mode, "applicant");
    cfg->draft_retention_hours = 72;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int apply(struct config *cfg, char *line, int lineno, char *err, size_t errsz)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(err, errsz, _("line %d: expected 'key = value'"), lineno);
        return -1;
    }
    *eq = '\0';
    char *key = trim(s);
    char *value = trim(eq + 1);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].key, key) != 0)
            continue;
        char why[160];
        if (keys[i].set(cfg, value, why, sizeof why) != 0) {
            snprintf(err, errsz, _("line %d: %s %s"), lineno, key, why);
            return -1;
        }
        return 0;
    }
    snprintf(err, errsz, _("line %d: unknown setting '%.40s'"), lineno, key);
    return -1;
}

int config_load(const char *path, struct config *cfg, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, _("cannot read %s: %s"), path, strerror(errno));
        return -1;
    }
    int rc = config_load_stream(f, path, cfg, err, errsz);
    fclose(f);
    return rc;
}

int config_load_stream(FILE *f, const char *name, struct config *cfg, char *err, size_t errsz)
{
    char line[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errsz, _("line %d: too long"), lineno);
            rc = -1;
            break;
        }
        rc = apply(cfg, line, lineno, err, errsz);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errsz, _("error reading %s"), name);
        rc = -1;
    }
    return rc;
}

static void value_text(const struct config *c, size_t k, char *out, size_t outsz)
{
    const char *base = (const char *)c + keys[k].offset;
    if (keys[k].size)
        snprintf(out, outsz, "%s", base);
    else
        snprintf(out, outsz, "%d", *(const int *)(const void *)base);
}

int config_write_default(const char *path, char *err, size_t errsz)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, errsz, _("cannot create %s: %s"), path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        snprintf(err, errsz, _("cannot write %s"), path);
        return -1;
    }
    struct config d;
    config_defaults(&d);
    fprintf(f, "# nser-kiosk configuration. Lines are 'key = value'; '#' starts a comment.\n");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char value[CONFIG_PATH_MAX];
        value_text(&d, i, value, sizeof value);
        fprintf(f, "\n# %s\n%s = %s\n", keys[i].comment, keys[i].key, value);
    }
    int bad = ferror(f);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        bad = 1;
    if (fclose(f) != 0 || bad) {
        snprintf(err, errsz, _("error writing %s"), path);
        return -1;
    }
    return 0;
}
