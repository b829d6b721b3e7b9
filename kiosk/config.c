/*
 * config.c - parse and write the key = value configuration file.
 *
 * Keys are a table: each names its parser, so a new setting is one row.
 * Unknown keys are errors (a typo must not silently fall back to a
 * default). Must never print, exit or touch the terminal.
 */
#include "config.h"
#include "fingerprint.h"

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
        snprintf(why, whysz, _("must be one of en, ur_Latn, ur"));
        return -1;
    }
    return copy_text(cfg->language, sizeof cfg->language, v, why, whysz);
}

static int set_int_range(int *dst, const char *v, long lo, long hi, const char *msg, char *why,
                         size_t whysz)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi) {
        snprintf(why, whysz, _(msg), lo, hi);
        return -1;
    }
    *dst = (int)n;
    return 0;
}

static int set_idle_timeout(struct config *cfg, const char *v, char *why, size_t whysz)
{
    /* Under 3 s nobody can type; over an hour leaves a session on screen. */
    return set_int_range(&cfg->idle_timeout_s, v, 3, 3600,
                         N_("must be a whole number of seconds from %ld to %ld"), why, whysz);
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
    /* At least an hour for a power cut to pass; at most 30 days of
     * personal data nobody confirmed. */
    return set_int_range(&cfg->draft_retention_hours, v, 1, 720,
                         N_("must be a whole number of hours from %ld to %ld"), why, whysz);
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

static int set_usb(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
        snprintf(why, whysz, _("must be on or off"));
        return -1;
    }
    cfg->usb_enabled = strcmp(v, "on") == 0;
    return copy_text(cfg->usb, sizeof cfg->usb, v, why, whysz);
}

static int set_scanner_layout(struct config *cfg, const char *v, char *why, size_t whysz)
{
    static const char *const layouts[] = {"us", "uk", "de", "fr"};
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (strcmp(v, layouts[i]) == 0)
            return copy_text(cfg->scanner_layout, sizeof cfg->scanner_layout, v, why, whysz);
    snprintf(why, whysz, _("must be one of %s"), CONFIG_SCANNER_LAYOUTS);
    return -1;
}

/* Reads "vvvv:pppp" at S; returns the character after it or NULL. */
static const char *parse_id(const char *s, unsigned *vid, unsigned *pid)
{
    unsigned v = 0, p = 0;
    for (int i = 0; i < 9; i++) {
        char c = s[i];
        if (i == 4) {
            if (c != ':')
                return NULL;
            continue;
        }
        int d = isxdigit((unsigned char)c)
                    ? (isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10))
                    : -1;
        if (d < 0)
            return NULL;
        if (i < 4)
            v = v << 4 | (unsigned)d;
        else
            p = p << 4 | (unsigned)d;
    }
    *vid = v;
    *pid = p;
    return s + 9;
}

bool config_id_listed(const char *list, unsigned vid, unsigned pid)
{
    const char *s = list;
    while (*s) {
        unsigned v, p;
        while (*s == ',' || *s == ' ')
            s++;
        if (!*s || !(s = parse_id(s, &v, &p)))
            return false;
        if (v == vid && p == pid)
            return true;
    }
    return false;
}

/* A VID:PID list, checked; copied to DST. */
static int set_id_list(char *dst, size_t dstsz, const char *v, char *why, size_t whysz)
{
    const char *s = v;
    while (*s) {
        unsigned vid, pid;
        while (*s == ',' || *s == ' ')
            s++;
        if (*s && !(s = parse_id(s, &vid, &pid))) {
            snprintf(why, whysz,
                     _("must be a list of VID:PID in hex, such as 0c2e:0b61, 05e0:1200"));
            return -1;
        }
    }
    return copy_text(dst, dstsz, v, why, whysz);
}

static int set_scanner_ids(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_id_list(cfg->scanner_ids, sizeof cfg->scanner_ids, v, why, whysz);
}

static int set_printer_ids(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_id_list(cfg->printer_ids, sizeof cfg->printer_ids, v, why, whysz);
}

static int set_scan_pattern(struct config *cfg, const char *v, char *why, size_t whysz)
{
    struct scan_pattern *p = scan_pattern_new(v, why, whysz);
    if (!p)
        return -1;
    scan_pattern_free(p);
    return copy_text(cfg->scan_pattern, sizeof cfg->scan_pattern, v, why, whysz);
}

static int set_scan_gap(struct config *cfg, const char *v, char *why, size_t whysz)
{
    /* Scanners type a character every few ms; a person needs 100+ ms. */
    return set_int_range(&cfg->scan_gap_ms, v, 20, 2000,
                         N_("must be a whole number of milliseconds from %ld to %ld"), why, whysz);
}

static int set_printer_columns(struct config *cfg, const char *v, char *why, size_t whysz)
{
    /* 58 mm paper holds 32 characters, 80 mm holds 42 to 48. */
    return set_int_range(&cfg->printer_columns, v, 24, 64,
                         N_("must be a whole number of characters from %ld to %ld"), why, whysz);
}

static int set_key_dir(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->key_dir, sizeof cfg->key_dir, v, why, whysz);
}

static int set_sync_out_dir(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->sync_out_dir, sizeof cfg->sync_out_dir, v, why, whysz);
}

static int set_sync_in_dir(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->sync_in_dir, sizeof cfg->sync_in_dir, v, why, whysz);
}

static int set_sync_batch_max(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->sync_batch_max, v, 1, 100000,
                         N_("must be a whole number of records from %ld to %ld"), why, whysz);
}

static int set_freeze(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->freeze_after_days, v, 0, 365,
                         N_("must be a whole number of days from %ld to %ld"), why, whysz);
}

static int set_login_key(struct config *cfg, const char *v, char *why, size_t whysz)
{
    char *end;
    long n = (v[0] == 'F' || v[0] == 'f') ? strtol(v + 1, &end, 10) : 0;
    /* F9 switches the language on every screen. */
    if (n < 1 || n > 12 || n == 9 || *end) {
        snprintf(why, whysz, _("must be a function key F1 to F12, not F9"));
        return -1;
    }
    snprintf(cfg->login_key, sizeof cfg->login_key, "F%ld", n);
    return 0;
}

static int set_clerk_idle(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->clerk_idle_timeout_s, v, 30, 3600,
                         N_("must be a whole number of seconds from %ld to %ld"), why, whysz);
}

static int set_ack_retention(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->acknowledged_retention_days, v, 1, 3650,
                         N_("must be a whole number of days from %ld to %ld"), why, whysz);
}

static int set_fingerprint(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
        snprintf(why, whysz, _("must be on or off"));
        return -1;
    }
    cfg->fp_enabled = strcmp(v, "on") == 0;
    return copy_text(cfg->fingerprint, sizeof cfg->fingerprint, v, why, whysz);
}

static int set_fp_fingers(struct config *cfg, const char *v, char *why, size_t whysz)
{
    int fingers[FP_FINGER_COUNT], n = 0;
    char buf[CONFIG_TEXT_MAX];
    if (copy_text(buf, sizeof buf, v, why, whysz) != 0)
        return -1;
    for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        int fg = fp_finger_parse(tok);
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup = dup || fingers[i] == fg;
        if (fg < 0 || dup) {
            snprintf(why, whysz,
                     _("must list fingers once each, from: right_thumb, right_index, "
                       "right_middle, right_ring, right_little, left_thumb, left_index, "
                       "left_middle, left_ring, left_little"));
            return -1;
        }
        fingers[n++] = fg;
    }
    if (n == 0) {
        snprintf(why, whysz, _("must list at least one finger"));
        return -1;
    }
    memcpy(cfg->fp_fingers, fingers, sizeof(int) * (size_t)n);
    cfg->fp_finger_count = n;
    return copy_text(cfg->fp_fingers_text, sizeof cfg->fp_fingers_text, v, why, whysz);
}

static int set_fp_stage_timeout(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->fp_stage_timeout_s, v, 5, 120,
                         N_("must be a whole number of seconds from %ld to %ld"), why, whysz);
}

static int set_fp_verify_attempts(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return set_int_range(&cfg->fp_verify_attempts, v, 1, 10,
                         N_("must be a whole number of tries from %ld to %ld"), why, whysz);
}

static int set_voice(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
        snprintf(why, whysz, _("must be on or off"));
        return -1;
    }
    cfg->voice_enabled = strcmp(v, "on") == 0;
    return copy_text(cfg->voice, sizeof cfg->voice, v, why, whysz);
}

static int set_voice_dir(struct config *cfg, const char *v, char *why, size_t whysz)
{
    return copy_text(cfg->voice_dir, sizeof cfg->voice_dir, v, why, whysz);
}

static int set_colours(struct config *cfg, const char *v, char *why, size_t whysz)
{
    if (strcmp(v, "normal") != 0 && strcmp(v, "high_contrast") != 0) {
        snprintf(why, whysz, _("must be normal or high_contrast"));
        return -1;
    }
    cfg->high_contrast = strcmp(v, "high_contrast") == 0;
    return copy_text(cfg->colours, sizeof cfg->colours, v, why, whysz);
}

/* The card profile keys: parsed by card_profile_set. */
#define CARD_SETTER(name)                                                                          \
    static int set_##name(struct config *cfg, const char *v, char *why, size_t whysz)              \
    {                                                                                              \
        return card_profile_set(&cfg->card, #name, v, why, whysz) == 0 ? 0 : -1;                   \
    }
CARD_SETTER(card_aid)
CARD_SETTER(card_cnic)
CARD_SETTER(card_name)
CARD_SETTER(card_dob)
CARD_SETTER(card_dob_format)

#define TEXT_FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define INT_FIELD(f)  offsetof(struct config, f), 0
#define CARD_FIELD    offsetof(struct config, card), CARD_VALUE
#define CARD_VALUE    ((size_t)-1) /* written back by card_profile_get */

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
     "Language the kiosk starts in and returns to after each applicant: en, ur_Latn or ur.",
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
     "# one's own draft by CNIC); clerks log in with the log-in key. clerk: a\n"
     "# counter machine, which starts at the staff log-in; a clerk then also\n"
     "# has saved drafts, updates, sync, today's work and reprints.",
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
    {"usb", set_usb,
     "on: use the USB card reader, barcode scanner and receipt printer when they\n"
     "# are plugged in (see docs/devices.md). off: typed entry only, nothing printed.",
     TEXT_FIELD(usb)},
    {"scanner_layout", set_scanner_layout,
     "Keyboard layout the barcode scanner is set to type in: us, uk, de or fr.",
     TEXT_FIELD(scanner_layout)},
    {"scanner_ids", set_scanner_ids,
     "A scanner types like a keyboard, and a keyboard is never taken from the\n"
     "# kiosk: a scanner is recognised by its name (\"scanner\", \"barcode\"...) or\n"
     "# its maker. List here, as VID:PID in hex, any scanner that is not.",
     TEXT_FIELD(scanner_ids)},
    {"scan_pattern", set_scan_pattern,
     "Where the CNIC is in what the scanner reads: a POSIX extended regular\n"
     "# expression whose first group is the CNIC. Empty for the default: the\n"
     "# first run of exactly 13 digits, with or without dashes.",
     TEXT_FIELD(scan_pattern)},
    {"scan_gap_ms", set_scan_gap,
     "A scan ends at Enter or Tab, or after this many milliseconds without a\n"
     "# character (20-2000).",
     INT_FIELD(scan_gap_ms)},
    {"printer_ids", set_printer_ids,
     "A USB printer whose device ID names command sets but not ESC/POS (an office\n"
     "# printer) is left alone. List here, as VID:PID in hex, a receipt printer\n"
     "# that speaks ESC/POS without saying so.",
     TEXT_FIELD(printer_ids)},
    {"printer_columns", set_printer_columns,
     "Characters per line on the receipt printer: 32 for 58 mm paper, 42 or 48\n"
     "# for 80 mm (24-64).",
     INT_FIELD(printer_columns)},
    {"card_aid", set_card_aid,
     "The card profile: where the identity card keeps the CNIC, name and date of\n"
     "# birth. THESE DEFAULTS ARE PLACEHOLDERS: the national card's layout is not\n"
     "# public, and the issuing authority supplies the real values (docs/devices.md).\n"
     "# card_aid: the application ID selected first, in hex.",
     CARD_FIELD},
    {"card_cnic", set_card_cnic, "File ID / BER-TLV tag of the CNIC (13 ASCII digits).",
     CARD_FIELD},
    {"card_name", set_card_name, "File ID / tag of the holder's name (UTF-8), or none.",
     CARD_FIELD},
    {"card_dob", set_card_dob, "File ID / tag of the date of birth, or none.", CARD_FIELD},
    {"key_dir", set_key_dir,
     "Sync (docs/sync.md). The folder of this kiosk's keys (nser-kiosk keys init)\n"
     "# and the registry's public key (keys install-central). Keep it private.",
     TEXT_FIELD(key_dir)},
    {"sync_out_dir", set_sync_out_dir,
     "Where the clerk's sync screen writes batches for the registry (a network\n"
     "# share or a USB stick's folder).",
     TEXT_FIELD(sync_out_dir)},
    {"sync_in_dir", set_sync_in_dir,
     "Where the clerk's sync screen reads the registry's acknowledgements.",
     TEXT_FIELD(sync_in_dir)},
    {"sync_batch_max", set_sync_batch_max,
     "Records in one batch at most (1-100000); the rest go in the next.",
     INT_FIELD(sync_batch_max)},
    {"freeze_after_days", set_freeze,
     "Stop new registrations when a record has waited this many days for the\n"
     "# registry's acknowledgement (0-365; 0 never stops).",
     INT_FIELD(freeze_after_days)},
    {"login_key", set_login_key,
     "Accounts (nser-kiosk user add). The key that opens the clerks' log-in\n"
     "# screen from the applicant's screens: F1-F12 (not F9). In mode = clerk the\n"
     "# kiosk starts at the log-in screen.",
     TEXT_FIELD(login_key)},
    {"clerk_idle_timeout", set_clerk_idle,
     "Seconds without a key before a logged-in clerk is logged out, after a\n"
     "# warning (30-3600).",
     INT_FIELD(clerk_idle_timeout_s)},
    {"acknowledged_retention_days", set_ack_retention,
     "Days after the registry acknowledged a household before the kiosk deletes\n"
     "# its answers and score, keeping only what a status check needs (1-3650).",
     INT_FIELD(acknowledged_retention_days)},
    {"fingerprint", set_fingerprint,
     "on: the household head enrols a finger after the CNIC, returning applicants\n"
     "# and clerks may be checked by finger (docs/fingerprints.md). off: never asked.",
     TEXT_FIELD(fingerprint)},
    {"fp_fingers", set_fp_fingers,
     "Fingers to enrol, in order of preference (right_thumb, right_index, ...).",
     TEXT_FIELD(fp_fingers_text)},
    {"fp_stage_timeout", set_fp_stage_timeout,
     "Seconds a fingerprint capture stage waits for a finger (5-120).",
     INT_FIELD(fp_stage_timeout_s)},
    {"fp_verify_attempts", set_fp_verify_attempts,
     "Failed fingerprint matches before a returning applicant is sent to the\n"
     "# clerk (1-10).",
     INT_FIELD(fp_verify_attempts)},
    {"voice", set_voice,
     "on: every applicant screen is also spoken (espeak-ng, or a recording).\n"
     "# off: silent.",
     TEXT_FIELD(voice)},
    {"voice_dir", set_voice_dir,
     "Folder of recorded prompts, <lang>/<prompt-id>.wav (nser-kiosk voice list);\n"
     "# empty: data/voice.",
     TEXT_FIELD(voice_dir)},
    {"colours", set_colours,
     "normal, or high_contrast for applicants who see poorly.",
     TEXT_FIELD(colours)},
    {"card_dob_format", set_card_dob_format,
     "How the date of birth is written: YYYYMMDD or DDMMYYYY.", CARD_FIELD},
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
    strcpy(cfg->usb, "on");
    cfg->usb_enabled = true;
    strcpy(cfg->scanner_layout, "us");
    cfg->scan_gap_ms = 150;
    cfg->printer_columns = 42;
    card_profile_default(&cfg->card);
    strcpy(cfg->key_dir, "var/keys");
    strcpy(cfg->sync_out_dir, "var/sync/out");
    strcpy(cfg->sync_in_dir, "var/sync/in");
    cfg->sync_batch_max = 5000;
    cfg->freeze_after_days = 30;
    strcpy(cfg->login_key, "F12");
    cfg->clerk_idle_timeout_s = 300;
    cfg->acknowledged_retention_days = 30;
    strcpy(cfg->fingerprint, "on");
    cfg->fp_enabled = true;
    cfg->fp_fingers[0] = FP_RIGHT_THUMB;
    cfg->fp_fingers[1] = FP_RIGHT_INDEX;
    cfg->fp_fingers[2] = FP_LEFT_THUMB;
    cfg->fp_fingers[3] = FP_LEFT_INDEX;
    cfg->fp_finger_count = 4;
    strcpy(cfg->fp_fingers_text, "right_thumb, right_index, left_thumb, left_index");
    cfg->fp_stage_timeout_s = 20;
    cfg->fp_verify_attempts = 3;
    strcpy(cfg->voice, "on");
    cfg->voice_enabled = true;
    strcpy(cfg->colours, "normal");
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
    if (keys[k].size == CARD_VALUE)
        card_profile_get(&c->card, keys[k].key, out, outsz);
    else if (keys[k].size)
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
