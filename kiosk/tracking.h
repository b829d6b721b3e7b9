/*
 * tracking.h - tracking IDs handed to the applicant on the receipt.
 *
 * Digits only, unique across kiosks without any coordination:
 *   KKKKK YYMMDD SSSS C
 *   kiosk code (5), date of registration (6), per-kiosk per-day sequence (4),
 *   Damm check digit (1) = 16 digits, shown as KKKKK-YYMMDD-SSSS-C.
 * A CNIC has 13 digits, so the two can share one input field.
 * Pure domain code: no I/O.
 */
#ifndef NSER_TRACKING_H
#define NSER_TRACKING_H

#include <stddef.h>

#define TRACKING_KIOSK_DIGITS  5
#define TRACKING_DIGITS        16
#define TRACKING_FORMATTED_LEN 19
#define TRACKING_SEQ_MAX       9999

enum tracking_error {
    TRACKING_OK = 0,
    TRACKING_EMPTY,
    TRACKING_BAD_CHAR,     /* not digits, dashes or spaces */
    TRACKING_WRONG_LENGTH, /* not 16 digits */
    TRACKING_BAD_CHECK,    /* check digit does not match: a typo */
};

struct tracking_id {
    char digits[TRACKING_DIGITS + 1];
};

/*
 * Builds the ID for KIOSK_CODE (exactly 5 digits), the date and SEQ
 * (1..TRACKING_SEQ_MAX). Returns 0, or -1 when an argument is out of range.
 */
int tracking_make(const char *kiosk_code, int year, int month, int day, unsigned seq,
                  struct tracking_id *out);

/* Parses digits with optional dashes or spaces anywhere between them. */
enum tracking_error tracking_parse(const char *text, struct tracking_id *out);

/* Writes KKKKK-YYMMDD-SSSS-C into OUT (at least TRACKING_FORMATTED_LEN + 1). */
void tracking_format(const struct tracking_id *t, char *out, size_t outsz);

/* Formats a partial run of digits the way it is shown while typing. */
void tracking_format_partial(const char *digits, char *out, size_t outsz);

/* True when S is a syntactically valid kiosk code (5 digits). */
int tracking_kiosk_code_valid(const char *s);

/* Untranslated message id explaining E. */
const char *tracking_error_text(enum tracking_error e);

#endif
