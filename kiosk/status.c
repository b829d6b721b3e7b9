/*
 * status.c - what an applicant is told about their registration, and the
 * masked name shown with it.
 *
 * Pure domain code: it must never do I/O, call gettext or print. The status
 * screen may be read over a shoulder, so name_mask must never let more of a
 * name through than its initials, and must never emit broken UTF-8.
 */
#include "status.h"

#include <stdbool.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

struct status_entry {
    const char *code; /* stored in the database: never rename */
    const char *text;
    const char *advice;
};

/*
 * Help-line numbers are configuration (they change), so the advice never
 * names one; the screen adds them from the configuration.
 */
static const struct status_entry statuses[STATUS_COUNT] = {
    [STATUS_NONE] = {"none", N_("Not in the registry"),
                     N_("Your survey is incomplete. You can register your household at "
                        "this centre.")},
    [STATUS_PENDING_SYNC] = {"pending_sync",
                             N_("Registered at this centre - not yet sent to the registry"),
                             N_("Nothing more is needed from you. Keep your receipt: your "
                                "details will be sent to the registry soon.")},
    [STATUS_RECEIVED] = {"received", N_("Received by the registry - being processed"),
                         N_("Nothing more is needed from you now. You can check again later "
                            "with your CNIC or tracking ID.")},
    [STATUS_ELIGIBLE] = {"eligible", N_("Eligible"),
                         N_("You will be told by SMS how and when to collect payment.")},
    [STATUS_NOT_ELIGIBLE] = {"not_eligible", N_("Not eligible"),
                             N_("If your situation has changed, you can ask for a "
                                "reassessment at the counter.")},
    [STATUS_UNDER_REVIEW] = {"under_review", N_("Under review"),
                             N_("Your details are being reviewed. Please look again later, "
                                "or ask at the counter.")},
    [STATUS_DUPLICATE_ELSEWHERE] =
        {"duplicate_elsewhere", N_("Under review: this CNIC was registered at another centre too"),
         N_("Both registrations will be checked, and nothing is lost. Do not register "
            "again. Bring your CNIC and your receipts to the counter, or look again "
            "later.")},
};

static const struct status_entry *status_entry(enum reg_status s)
{
    size_t i = (size_t)s;

    /* A corrupt value reads as "not found", which never promises anything. */
    return &statuses[i < STATUS_COUNT ? i : STATUS_NONE];
}

const char *reg_status_code(enum reg_status s)
{
    return status_entry(s)->code;
}

enum reg_status reg_status_from_code(const char *code)
{
    if (code == NULL)
        return STATUS_NONE;
    for (size_t i = 0; i < STATUS_COUNT; i++)
        if (strcmp(statuses[i].code, code) == 0)
            return (enum reg_status)i;
    return STATUS_NONE;
}

const char *reg_status_text(enum reg_status s)
{
    return status_entry(s)->text;
}

const char *reg_status_advice(enum reg_status s)
{
    return status_entry(s)->advice;
}

/* ---------------------------------------------------------- name masking */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Bytes in the well-formed UTF-8 character at S, or 0 when S does not start
 * one (a stray byte then counts as one character of its own).
 */
static size_t utf8_len(const unsigned char *s)
{
    size_t len;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* Overlong three- and four-byte forms, surrogates, beyond U+10FFFF. */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

struct mask_out {
    char *buf;
    size_t size; /* room including the NUL */
    size_t len;
    bool full; /* once something did not fit, nothing more is written */
};

/* Appends N bytes whole or not at all, keeping room for the NUL. */
static bool put(struct mask_out *o, const char *s, size_t n)
{
    if (o->full || o->len + n >= o->size) {
        o->full = true;
        return false;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return true;
}

/* Masks the word at P (up to a blank or NUL); returns where it ends. */
static const unsigned char *mask_word(struct mask_out *o, const unsigned char *p)
{
    size_t len = utf8_len(p);

    /* The first character is shown, unless it is not readable text. */
    if (len == 0 || p[0] < 0x20 || p[0] == 0x7F)
        put(o, "?", 1);
    else
        put(o, (const char *)p, len);
    p += len ? len : 1;
    while (*p != '\0' && !is_space(*p)) {
        len = utf8_len(p);
        put(o, "*", 1);
        p += len ? len : 1;
    }
    return p;
}

void name_mask(const char *name, char *out, size_t outsz)
{
    struct mask_out o = {out, outsz, 0, false};
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    bool first = true;

    if (out == NULL || outsz == 0)
        return;
    while (*p != '\0') {
        if (is_space(*p)) {
            p++;
            continue;
        }
        /* Blanks collapse to one space between words. */
        if (!first && !put(&o, " ", 1))
            break;
        first = false;
        p = mask_word(&o, p);
    }
    /* Never end on the separator of a word that did not fit. */
    if (o.len > 0 && out[o.len - 1] == ' ')
        o.len--;
    out[o.len] = '\0';
}
