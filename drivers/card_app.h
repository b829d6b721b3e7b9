/*
 * card_app.h - what the kiosk asks an identity card, and what the answers
 * mean: SELECT the profile's application, SELECT and READ BINARY each file
 * the profile names, then find the CNIC, name and date of birth in them
 * (BER-TLV) and check them.
 *
 * Pure: APDUs out, status words and data in, a device_event filled at the
 * end. Knows nothing of CCID, T=0/T=1 or USB (the card reader driver
 * carries the APDUs), so every step is unit-tested without a reader.
 * Never logs, and never puts card data in WHY: the values are the
 * cardholder's.
 */
#ifndef NSER_CARD_APP_H
#define NSER_CARD_APP_H

#include <stddef.h>
#include <stdint.h>

#include "../kiosk/card_profile.h"
#include "../kiosk/device_event.h"
#include "apdu.h"

#define CARD_FILE_MAX  4096 /* bytes read of one file at most */
#define CARD_APP_FILES 3    /* CNIC, name and date of birth may each have their own */

enum card_app_step {
    CARD_APP_SEND = 0, /* send card_app's CMD (a short APDU) and feed the final SW */
    CARD_APP_DONE,     /* every file read: call card_app_result */
    CARD_APP_FAILED,   /* PROBLEM and WHY say what the card refused */
};

struct card_app {
    struct card_profile prof;
    size_t chunk; /* Le of one READ BINARY (1-256) */
    uint16_t fid[CARD_APP_FILES];
    size_t nfiles;
    uint8_t data[CARD_APP_FILES][CARD_FILE_MAX];
    size_t len[CARD_APP_FILES];
    int stage;    /* internal */
    size_t file;  /* the file being read */
    size_t asked; /* Le of the READ BINARY in flight */
    uint8_t cmd[APDU_CMD_MAX];
    size_t cmd_len;
    enum device_problem problem;
    char why[96];
};

/* Starts reading per profile P; CHUNK: the largest READ BINARY the link
 * carries (capped at 256). The first command is then in A->CMD. */
void card_app_start(struct card_app *a, const struct card_profile *p, size_t chunk);

/* Feeds the final status word and data of A->CMD (after 61xx/6Cxx). */
enum card_app_step card_app_feed(struct card_app *a, uint16_t sw, const uint8_t *data, size_t len);

/*
 * After DONE: fills EV (kind CNIC_READ with cnic, name, dob; or
 * CARD_UNREADABLE with a problem) from the files read. REGIONS: the
 * accepted first digits of a CNIC (NULL or "" for the default). Returns
 * EV->problem. WHY gets a reason without card data.
 */
enum device_problem card_app_result(const struct card_app *a, const char *regions,
                                    struct device_event *ev, char *why, size_t whysz);

/* Converts 8 ASCII digits in FORMAT to "YYYY-MM-DD" in OUT (11 bytes) when
 * they are a real date between 1900 and 2100. 0 or -1. */
int card_dob_convert(const uint8_t *v, size_t n, enum card_dob_format format, char out[11]);

#endif
