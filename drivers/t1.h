/*
 * t1.h - the T=1 block protocol (ISO/IEC 7816-3, 11) for readers that work
 * at TPDU level: an APDU goes to the card in I-blocks of at most IFSC
 * bytes, the answer comes back the same way, and R- and S-blocks
 * acknowledge, ask for a block again, change the block size, ask for more
 * time or start over.
 *
 * Pure: a state machine fed bytes, no libusb, no timers, no I/O, no
 * logging. The caller sends t1_out() and feeds back what the reader
 * returns until t1_feed says DONE or ERROR.
 */
#ifndef NSER_T1_H
#define NSER_T1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"

#define T1_INF_MAX     254
#define T1_BLOCK_MAX   (3 + T1_INF_MAX + 2)
#define T1_MAX_RETRIES 3 /* per block, before a resynch */

/* PCB values of the S-blocks (request; a response adds 0x20). */
#define T1_S_RESYNCH  0xC0
#define T1_S_IFS      0xC1
#define T1_S_ABORT    0xC2
#define T1_S_WTX      0xC3
#define T1_S_RESPONSE 0x20

enum t1_step {
    T1_STEP_SEND = 0, /* send t1_out() and feed the answer */
    T1_STEP_DONE,     /* t1_response() holds the response APDU */
    T1_STEP_ERROR,    /* give up on this card: WHY says why */
};

struct t1 {
    uint8_t ifsc;
    bool crc;
    uint8_t ns, nr; /* our next N(S); the card's N(S) we expect next */
    uint8_t apdu[APDU_CMD_MAX];
    size_t apdu_len, off, chunk; /* the chunk [off, off+chunk) is in flight */
    uint8_t out[T1_BLOCK_MAX];   /* the block to send, kept for a retransmission */
    size_t out_len;
    uint8_t resp[APDU_RESP_MAX];
    size_t resp_len;
    int phase; /* internal */
    int retries;
    int resynchs;
    bool got_first; /* a first I-block of the answer has come */
    uint8_t wtx;    /* the waiting time multiplier the card last asked for, or 0 */
};

/* After every power-on: sequence numbers back to 0, IFSC and EDC (LRC or
 * CRC, from the ATR). */
void t1_init(struct t1 *t, uint8_t ifsc, bool crc);

/* Starts sending APDU (LEN bytes). 0, or -1 when it is too long. */
int t1_begin(struct t1 *t, const uint8_t *apdu, size_t len);

/* The block to send now. */
const uint8_t *t1_out(const struct t1 *t, size_t *len);

/* Feeds one block received from the card. */
enum t1_step t1_feed(struct t1 *t, const uint8_t *blk, size_t len, char *why, size_t whysz);

/* The response APDU once t1_feed said DONE. */
const uint8_t *t1_response(const struct t1 *t, size_t *len);

/* Takes the multiplier of the last S(WTX request) (0 when none): the
 * caller lengthens its next wait by it, once. */
uint8_t t1_take_wtx(struct t1 *t);

/* Framing helpers, also for tests: build a block (0 when too long) and
 * check one (0 with PCB and INF, or -1: bad length, NAD or EDC). */
size_t t1_block(uint8_t *out, size_t outsz, uint8_t pcb, const uint8_t *inf, size_t len, bool crc);
int t1_check(const uint8_t *blk, size_t len, bool crc, uint8_t *pcb, const uint8_t **inf,
             size_t *inf_len);
uint16_t t1_crc(const uint8_t *b, size_t len);

#endif
