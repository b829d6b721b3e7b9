/*
 * apdu.h - ISO/IEC 7816-4 short command APDUs and their responses, and the
 * small dance around them: 61xx asks for a GET RESPONSE, 6Cxx for the same
 * command again with the right Le, and T=0 sends a case 4 command without
 * its Le.
 *
 * Pure: bytes in, bytes out; no libusb, no I/O, no allocation, no logging
 * (response data is the cardholder's: it goes nowhere but to the caller).
 */
#ifndef NSER_APDU_H
#define NSER_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APDU_CMD_MAX         (4 + 1 + 255 + 1) /* short APDU, case 4 */
#define APDU_RESP_MAX        (256 + 2)         /* short response: data and SW1 SW2 */
#define APDU_XCHG_DATA_MAX   1024              /* data gathered over GET RESPONSEs */
#define APDU_XCHG_MAX_ROUNDS 16                /* a card that keeps asking is broken */

#define APDU_SW_OK           0x9000
#define APDU_SW_EOF          0x6282 /* end of file before Le bytes */
#define APDU_SW_WRONG_LENGTH 0x6700
#define APDU_SW_NOT_FOUND    0x6A82 /* file or application not found */
#define APDU_SW_WRONG_P1P2   0x6B00 /* e.g. READ BINARY offset past the end */
#define APDU_SW_INS_UNKNOWN  0x6D00

enum apdu_case {
    APDU_CASE_1 = 1, /* header only */
    APDU_CASE_2,     /* header, Le */
    APDU_CASE_3,     /* header, Lc, data */
    APDU_CASE_4,     /* header, Lc, data, Le */
};

/*
 * Builds a short APDU. LC bytes of DATA (0-255; 0 means no data field); LE
 * -1 for none, else 1-256 (256 is written 00). Returns the length, or 0
 * when a value is out of range or OUTSZ too small.
 */
size_t apdu_build(uint8_t *out, size_t outsz, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
                  const uint8_t *data, size_t lc, int le);

/* The case of the short APDU CMD, or -1 when LEN does not fit any case
 * (extended APDUs included). */
int apdu_case_of(const uint8_t *cmd, size_t len);

struct apdu_resp {
    const uint8_t *data; /* into the caller's bytes */
    size_t len;
    uint16_t sw; /* SW1 << 8 | SW2 */
};

/* 0, or -1 when LEN is below 2 or above APDU_RESP_MAX. */
int apdu_resp_parse(const uint8_t *b, size_t len, struct apdu_resp *out);

enum apdu_sw_class {
    APDU_SW_CLASS_OK = 0,  /* 9000 */
    APDU_SW_CLASS_WARNING, /* 62xx, 63xx: done, with a remark */
    APDU_SW_CLASS_MORE,    /* 61xx, 6Cxx: apdu_xchg handles these */
    APDU_SW_CLASS_ERROR,   /* everything else */
};
enum apdu_sw_class apdu_sw_classify(uint16_t sw);

/* One command carried to its final status word over GET RESPONSE and
 * 6Cxx retries. */
struct apdu_xchg {
    bool t0;
    uint8_t cmd[APDU_CMD_MAX]; /* what to send now */
    size_t cmd_len;
    uint8_t data[APDU_XCHG_DATA_MAX];
    size_t data_len;
    uint16_t sw;
    int rounds;
};

enum apdu_step {
    APDU_STEP_SEND = 0, /* send apdu_xchg's CMD and feed the answer */
    APDU_STEP_DONE,     /* SW and DATA hold the final response */
    APDU_STEP_ERROR,    /* malformed answer, too many rounds, too much data */
};

/* Starts an exchange of the short APDU CMD. T0: the card speaks T=0 at
 * TPDU level (case 4 goes without Le, case 1 with P3=00). 0, or -1 when
 * CMD is not a short APDU. The first thing to send is then in X->CMD. */
int apdu_xchg_start(struct apdu_xchg *x, const uint8_t *cmd, size_t len, bool t0);

/* Feeds the card's answer to X->CMD. */
enum apdu_step apdu_xchg_feed(struct apdu_xchg *x, const uint8_t *resp, size_t len);

#endif
