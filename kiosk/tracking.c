/*
 * tracking.c - the tracking ID printed on an applicant's receipt.
 *
 * KKKKK YYMMDD SSSS C: unique without coordination because the kiosk code
 * and the day are in it, and typo-proof because of the Damm digit. Pure
 * domain code: it must never do I/O, allocate, call gettext or read the
 * clock (the caller passes the date, so tests and replays are exact).
 */
#include "tracking.h"

#include "ascii.h"

#include <stdbool.h>
#include <string.h>

#include "damm.h"
#include "digits.h"

#ifndef N_
#define N_(s) (s)
#endif

#define TRACKING_YEAR_MIN 2000
#define TRACKING_YEAR_MAX 2099

/* Where each field starts in KKKKKYYMMDDSSSSC. */
#define AT_YEAR  TRACKING_KIOSK_DIGITS
#define AT_MONTH (AT_YEAR + 2)
#define AT_DAY   (AT_MONTH + 2)
#define AT_SEQ   (AT_DAY + 2)
#define AT_CHECK (AT_SEQ + 4)

/* Digits before each dash of KKKKK-YYMMDD-SSSS-C. */
static const size_t tracking_dash_after[] = {AT_YEAR, AT_SEQ, AT_CHECK};

static const char *const tracking_error_texts[] = {
    [TRACKING_OK] = N_("This tracking ID is written correctly."),
    [TRACKING_EMPTY] = N_("Please type the 16 digits of the tracking ID."),
    [TRACKING_BAD_CHAR] =
        N_("A tracking ID has only digits: please remove letters and other signs."),
    [TRACKING_WRONG_LENGTH] = N_("A tracking ID has 16 digits. You can find it on your receipt."),
    [TRACKING_BAD_CHECK] = N_("This tracking ID has a typing mistake: please check every digit."),
};

static const char *const tracking_unknown_error = N_("Please check the tracking ID.");

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static bool date_exists(int year, int month, int day)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12 || day < 1)
        return false;
    return day <= days[month - 1] + (month == 2 && is_leap(year));
}

int tracking_kiosk_code_valid(const char *s)
{
    if (s == NULL)
        return 0;
    for (size_t i = 0; i < TRACKING_KIOSK_DIGITS; i++)
        if (!ascii_is_digit(s[i]))
            return 0;
    return s[TRACKING_KIOSK_DIGITS] == '\0';
}

/* Writes V as exactly WIDTH decimal digits, zero-padded (V must fit). */
static void put_digits(char *dst, unsigned v, size_t width)
{
    for (size_t i = width; i > 0; i--) {
        dst[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
}

int tracking_make(const char *kiosk_code, int year, int month, int day, unsigned seq,
                  struct tracking_id *out)
{
    char payload[TRACKING_DIGITS + 1];
    int check;

    if (out == NULL || !tracking_kiosk_code_valid(kiosk_code))
        return -1;
    if (year < TRACKING_YEAR_MIN || year > TRACKING_YEAR_MAX || !date_exists(year, month, day))
        return -1;
    if (seq < 1 || seq > TRACKING_SEQ_MAX)
        return -1;
    memcpy(payload, kiosk_code, TRACKING_KIOSK_DIGITS);
    put_digits(payload + AT_YEAR, (unsigned)(year % 100), 2);
    put_digits(payload + AT_MONTH, (unsigned)month, 2);
    put_digits(payload + AT_DAY, (unsigned)day, 2);
    put_digits(payload + AT_SEQ, seq, 4);
    payload[AT_CHECK] = '\0';
    check = damm_check_digit(payload);
    if (check < 0)
        return -1;
    payload[AT_CHECK] = (char)('0' + check);
    payload[TRACKING_DIGITS] = '\0';
    memcpy(out->digits, payload, sizeof out->digits);
    return 0;
}

/* Any blank counts as a separator, so a pasted "12345 250101 ..." works. */
static bool is_separator(char c)
{
    return c == '-' || ascii_is_blank(c);
}

enum tracking_error tracking_parse(const char *text, struct tracking_id *out)
{
    char digits[TRACKING_DIGITS + 1];
    size_t n = 0;
    bool any = false;

    if (text == NULL)
        return TRACKING_EMPTY;
    const char *end = text + strlen(text);
    for (const char *p = text; *p != '\0'; p++) {
        if (is_separator(*p))
            continue;
        /* Urdu and Arabic-Indic digits are digits too (digits.h). */
        char d;
        size_t k = digits_at(p, end, &d);
        if (k == 0)
            return TRACKING_BAD_CHAR;
        p += k - 1;
        any = true;
        /* Keep counting past 16 so the length error is still reported. */
        if (n < TRACKING_DIGITS)
            digits[n] = d;
        n++;
    }
    if (!any)
        return TRACKING_EMPTY;
    if (n != TRACKING_DIGITS)
        return TRACKING_WRONG_LENGTH;
    digits[n] = '\0';
    if (!damm_valid(digits))
        return TRACKING_BAD_CHECK;
    if (out != NULL)
        memcpy(out->digits, digits, sizeof out->digits);
    return TRACKING_OK;
}

static bool dash_before(size_t ndigits)
{
    for (size_t i = 0; i < sizeof tracking_dash_after / sizeof tracking_dash_after[0]; i++)
        if (tracking_dash_after[i] == ndigits)
            return true;
    return false;
}

void tracking_format_partial(const char *digits, char *out, size_t outsz)
{
    char buf[TRACKING_FORMATTED_LEN + 1];
    size_t len = 0, ndigits = 0;

    const char *end = digits ? digits + strlen(digits) : NULL;
    for (const char *p = digits ? digits : ""; *p != '\0' && ndigits < TRACKING_DIGITS; p++) {
        char d;
        size_t k = digits_at(p, end, &d);
        if (k == 0)
            continue;
        p += k - 1;
        /* A dash appears only once the digit after it is typed. */
        if (dash_before(ndigits))
            buf[len++] = '-';
        buf[len++] = d;
        ndigits++;
    }
    buf[len] = '\0';
    ascii_copy(buf, out, outsz);
}

void tracking_format(const struct tracking_id *t, char *out, size_t outsz)
{
    tracking_format_partial(t != NULL ? t->digits : "", out, outsz);
}

const char *tracking_error_text(enum tracking_error e)
{
    size_t i = (size_t)e;

    if (i >= sizeof tracking_error_texts / sizeof tracking_error_texts[0])
        return tracking_unknown_error;
    return tracking_error_texts[i];
}
