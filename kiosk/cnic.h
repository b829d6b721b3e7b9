/*
 * cnic.h - the Computerised National Identity Card number (and B-form / NICOP,
 * which share its 13-digit shape).
 *
 * Pure domain code: no I/O, no allocation, no gettext. Error and region texts
 * are returned as untranslated message ids; the caller translates them.
 * A CNIC has no check digit: format and region are all that can be checked,
 * so the gender it implies is only a default for the person to confirm.
 */
#ifndef NSER_CNIC_H
#define NSER_CNIC_H

#include <stddef.h>

#define CNIC_DIGITS        13
#define CNIC_FORMATTED_LEN 15 /* XXXXX-XXXXXXX-X */

/* Region digits accepted when the configuration says nothing else. */
#define CNIC_DEFAULT_REGIONS "12345678"

enum cnic_error {
    CNIC_OK = 0,
    CNIC_EMPTY,        /* nothing typed */
    CNIC_BAD_CHAR,     /* something other than digits and dashes */
    CNIC_BAD_DASHES,   /* dashes anywhere but XXXXX-XXXXXXX-X */
    CNIC_WRONG_LENGTH, /* not 13 digits */
    CNIC_BAD_REGION,   /* first digit is not an accepted region code */
};

enum gender {
    GENDER_UNKNOWN = 0,
    GENDER_MALE = 1,
    GENDER_FEMALE = 2,
    GENDER_TRANSGENDER = 3,
};

struct cnic {
    char digits[CNIC_DIGITS + 1]; /* NUL-terminated, digits only */
};

/*
 * Parses TEXT (13 digits, with or without the dashes of XXXXX-XXXXXXX-X;
 * leading and trailing blanks ignored). REGIONS lists the accepted first
 * digits (NULL means CNIC_DEFAULT_REGIONS). On CNIC_OK fills OUT.
 */
enum cnic_error cnic_parse(const char *text, const char *regions, struct cnic *out);

/* Writes XXXXX-XXXXXXX-X into OUT (at least CNIC_FORMATTED_LEN + 1 bytes). */
void cnic_format(const struct cnic *c, char *out, size_t outsz);

/*
 * Formats a partial run of up to 13 digits the way it is shown while typing
 * ("35202-12" for "3520212"). Non-digits in DIGITS are skipped.
 */
void cnic_format_partial(const char *digits, char *out, size_t outsz);

/* The gender the last digit suggests: odd male, even female. */
enum gender cnic_gender(const struct cnic *c);

/* First digit as a number 0-9. */
int cnic_region(const struct cnic *c);

/* English name of a region digit as a message id ("Punjab"), or NULL. */
const char *cnic_region_name(int digit);

/* Untranslated message id explaining E. */
const char *cnic_error_text(enum cnic_error e);

#endif
