/*
 * card_profile.h - where on the national identity card the CNIC, the name
 * and the date of birth are: the application ID to select, and for each
 * field the file (2-byte file ID) and the BER-TLV tag inside that file.
 *
 * The card's layout is not public, so this is configuration, not code:
 * the kiosk ships a documented default profile (a placeholder, to be
 * replaced by the issuing authority's) and a centre sets the card_* keys in
 * its config file. Pure: parses and holds values, reads no card, no file.
 */
#ifndef NSER_CARD_PROFILE_H
#define NSER_CARD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARD_AID_MAX 16

enum card_dob_format {
    CARD_DOB_YYYYMMDD = 0, /* 8 ASCII digits */
    CARD_DOB_DDMMYYYY,     /* 8 ASCII digits */
};

struct card_field_ref {
    bool present;  /* false: the card does not hold this field ("none") */
    uint16_t file; /* file ID selected with SELECT (P1=02) */
    uint32_t tag;  /* BER-TLV tag, 1 to 3 bytes, e.g. 0x5F01 */
};

struct card_profile {
    uint8_t aid[CARD_AID_MAX];
    size_t aid_len;             /* 5 to 16 bytes */
    struct card_field_ref cnic; /* always present */
    struct card_field_ref name;
    struct card_field_ref dob;
    enum card_dob_format dob_format;
};

/* The shipped default (see docs/devices.md): AID A0 00 00 09 99 4E 53 45 52,
 * file 0101 with tags 5F01 CNIC (13 ASCII digits, dashes allowed), 5F02
 * name (UTF-8), 5F03 date of birth (YYYYMMDD). */
void card_profile_default(struct card_profile *p);

/*
 * Sets one config key: card_aid ("A0 00 00 09 99 4E 53 45 52", spaces or
 * colons optional), card_cnic / card_name / card_dob ("0101/5F01", or
 * "none" for name and dob), card_dob_format ("YYYYMMDD" or "DDMMYYYY").
 * Returns 1 when KEY is not a card key, 0 when set, -1 with a reason in ERR
 * (no line number: the caller adds it).
 */
int card_profile_set(struct card_profile *p, const char *key, const char *value, char *err,
                     size_t errsz);

/* Writes VALUE of KEY as card_profile_set reads it (for the written default). */
void card_profile_get(const struct card_profile *p, const char *key, char *out, size_t outsz);

#endif
