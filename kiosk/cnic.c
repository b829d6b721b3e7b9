/*
 * cnic.c - reading, checking and showing CNIC / B-form / NICOP numbers.
 *
 * Pure domain code: it must never do I/O, allocate, call gettext or print.
 * A CNIC has no check digit, so this file must never claim a number is
 * genuine; it only says whether it is well formed and in an accepted region.
 */
#include "cnic.h"

#include "ascii.h"
#include "digits.h"

#include <stdbool.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

/* Digits before each dash of XXXXX-XXXXXXX-X. */
#define CNIC_DASH1_AFTER 5
#define CNIC_DASH2_AFTER 12

/* Longest text cnic_parse reads digit by digit in any script. */
#define CNIC_TEXT_MAX 128

static const char *const cnic_error_texts[] = {
    [CNIC_OK] = N_("This CNIC is written correctly."),
    [CNIC_EMPTY] = N_("Please type the 13 digits of the CNIC."),
    [CNIC_BAD_CHAR] = N_("A CNIC has only digits: please remove letters and other signs."),
    [CNIC_BAD_DASHES] = N_("The dashes are in the wrong places. Write the CNIC like "
                           "12345-1234567-1, or with no dashes."),
    [CNIC_WRONG_LENGTH] = N_("A CNIC has 13 digits."),
    [CNIC_BAD_REGION] = N_("The first digit of a CNIC is a region code from 1 to 8; "
                           "this one is not valid."),
};

/* For a value outside the enum: never hand the screens a NULL. */
static const char *const cnic_unknown_error = N_("Please check the CNIC number.");

/* Indexed by the region digit; NULL where the digit is not a region. */
static const char *const cnic_region_names[10] = {
    [1] = N_("Khyber Pakhtunkhwa"),
    [2] = N_("former FATA"),
    [3] = N_("Punjab"),
    [4] = N_("Sindh"),
    [5] = N_("Balochistan"),
    [6] = N_("Islamabad"),
    [7] = N_("Gilgit-Baltistan"),
    [8] = N_("Azad Jammu & Kashmir"),
};

/*
 * Checks for foreign characters and counts digits before deciding anything
 * about dashes, so the applicant hears about the biggest mistake first.
 */
static enum cnic_error check_shape(const char *b, const char *e)
{
    size_t ndigits = 0;
    bool dash1 = false, dash2 = false, bad_dash = false;

    for (const char *p = b; p < e; p++) {
        if (ascii_is_digit(*p)) {
            ndigits++;
        } else if (*p != '-') {
            return CNIC_BAD_CHAR;
        } else if (ndigits == CNIC_DASH1_AFTER && !dash1) {
            dash1 = true;
        } else if (ndigits == CNIC_DASH2_AFTER && !dash2) {
            dash2 = true;
        } else {
            bad_dash = true;
        }
    }
    if (ndigits != CNIC_DIGITS)
        return CNIC_WRONG_LENGTH;
    return bad_dash ? CNIC_BAD_DASHES : CNIC_OK;
}

enum cnic_error cnic_parse(const char *text, const char *regions, struct cnic *out)
{
    const char *b, *e;
    char digits[CNIC_DIGITS + 1];
    size_t n = 0;
    enum cnic_error err;

    if (text == NULL)
        return CNIC_EMPTY;
    /* Urdu and Arabic-Indic digits count as digits; text too long for the
     * buffer is far too long for a CNIC and is judged as it is. */
    char norm[CNIC_TEXT_MAX];
    if (digits_normalise(text, strlen(text), norm, sizeof norm) != (size_t)-1)
        text = norm;
    ascii_trim(text, &b, &e);
    if (b == e)
        return CNIC_EMPTY;
    err = check_shape(b, e);
    if (err != CNIC_OK)
        return err;
    for (const char *p = b; p < e; p++)
        if (ascii_is_digit(*p))
            digits[n++] = *p;
    digits[n] = '\0';
    if (regions == NULL)
        regions = CNIC_DEFAULT_REGIONS;
    if (strchr(regions, digits[0]) == NULL)
        return CNIC_BAD_REGION;
    if (out != NULL)
        memcpy(out->digits, digits, sizeof out->digits);
    return CNIC_OK;
}

void cnic_format_partial(const char *digits, char *out, size_t outsz)
{
    char buf[CNIC_FORMATTED_LEN + 1];
    size_t len = 0, ndigits = 0;

    const char *end = digits ? digits + strlen(digits) : NULL;
    for (const char *p = digits ? digits : ""; *p != '\0' && ndigits < CNIC_DIGITS; p++) {
        char d;
        size_t k = digits_at(p, end, &d);
        if (k == 0)
            continue;
        p += k - 1;
        /* A dash appears only once the digit after it is typed. */
        if (ndigits == CNIC_DASH1_AFTER || ndigits == CNIC_DASH2_AFTER)
            buf[len++] = '-';
        buf[len++] = d;
        ndigits++;
    }
    buf[len] = '\0';
    ascii_copy(buf, out, outsz);
}

void cnic_format(const struct cnic *c, char *out, size_t outsz)
{
    cnic_format_partial(c != NULL ? c->digits : "", out, outsz);
}

enum gender cnic_gender(const struct cnic *c)
{
    char last;

    if (c == NULL)
        return GENDER_UNKNOWN;
    last = c->digits[CNIC_DIGITS - 1];
    if (!ascii_is_digit(last))
        return GENDER_UNKNOWN;
    return (last - '0') % 2 == 1 ? GENDER_MALE : GENDER_FEMALE;
}

int cnic_region(const struct cnic *c)
{
    if (c == NULL || !ascii_is_digit(c->digits[0]))
        return -1;
    return c->digits[0] - '0';
}

const char *cnic_region_name(int digit)
{
    if (digit < 0 || digit > 9)
        return NULL;
    return cnic_region_names[digit];
}

const char *cnic_error_text(enum cnic_error e)
{
    size_t i = (size_t)e;

    if (i >= sizeof cnic_error_texts / sizeof cnic_error_texts[0])
        return cnic_unknown_error;
    return cnic_error_texts[i];
}
