/*
 * t1.c - the T=1 block protocol as a small state machine.
 *
 * Only what a reader that sends one short APDU at a time needs: chaining
 * both ways, R-block acknowledgement and retransmission, S(IFS), S(WTX)
 * and S(RESYNCH); a card that sends S(ABORT) or keeps garbling is given up
 * on. Must never read past a block's length, keep state outside struct
 * t1, call libusb or log (the INF fields are the cardholder's data).
 */
#include "t1.h"

#include <stdio.h>
#include <string.h>

enum {
    PH_SEND = 0, /* an I-block of ours is out: waiting for an ack or the answer */
    PH_RECV,     /* the answer is chained: our R-block asked for the next part */
    PH_RESYNCH,  /* our S(RESYNCH request) is out */
    PH_DONE,
    PH_FAILED,
};

static int fail(struct t1 *t, char *why, size_t whysz, const char *text)
{
    t->phase = PH_FAILED;
    if (why && whysz)
        snprintf(why, whysz, "T=1: %s", text);
    return T1_STEP_ERROR;
}

uint16_t t1_crc(const uint8_t *b, size_t len)
{
    /* ISO/IEC 13239 CRC (x^16 + x^12 + x^5 + 1), bit-reflected, preset to
     * all ones, as 7816-3 11.4.3 refers to it. */
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len; i++) {
        crc ^= b[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0x8408) : (uint16_t)(crc >> 1);
    }
    return crc;
}

size_t t1_block(uint8_t *out, size_t outsz, uint8_t pcb, const uint8_t *inf, size_t len, bool crc)
{
    size_t n = 3 + len + (crc ? 2 : 1);
    if (len > T1_INF_MAX || outsz < n || (len && !inf))
        return 0;
    out[0] = 0x00; /* NAD: no addressing */
    out[1] = pcb;
    out[2] = (uint8_t)len;
    if (len)
        memcpy(out + 3, inf, len);
    if (crc) {
        uint16_t c = t1_crc(out, 3 + len);
        out[3 + len] = (uint8_t)(c >> 8);
        out[4 + len] = (uint8_t)c;
    } else {
        uint8_t x = 0;
        for (size_t i = 0; i < 3 + len; i++)
            x ^= out[i];
        out[3 + len] = x;
    }
    return n;
}

int t1_check(const uint8_t *blk, size_t len, bool crc, uint8_t *pcb, const uint8_t **inf,
             size_t *inf_len)
{
    size_t edc = crc ? 2 : 1;
    if (!blk || len < 3 + edc)
        return -1;
    size_t l = blk[2];
    if (l > T1_INF_MAX || len != 3 + l + edc || blk[0] != 0x00)
        return -1;
    if (crc) {
        uint16_t c = t1_crc(blk, 3 + l);
        if (blk[3 + l] != (uint8_t)(c >> 8) || blk[4 + l] != (uint8_t)c)
            return -1;
    } else {
        uint8_t x = 0;
        for (size_t i = 0; i < 3 + l + 1; i++)
            x ^= blk[i];
        if (x != 0)
            return -1;
    }
    *pcb = blk[1];
    *inf = l ? blk + 3 : NULL;
    *inf_len = l;
    return 0;
}

void t1_init(struct t1 *t, uint8_t ifsc, bool crc)
{
    memset(t, 0, sizeof *t);
    t->ifsc = (ifsc == 0 || ifsc > T1_INF_MAX) ? 32 : ifsc;
    t->crc = crc;
    t->phase = PH_DONE;
}

static void send_chunk(struct t1 *t)
{
    size_t left = t->apdu_len - t->off;
    t->chunk = left > t->ifsc ? t->ifsc : left;
    bool more = t->off + t->chunk < t->apdu_len;
    uint8_t pcb = (uint8_t)(t->ns << 6 | (more ? 0x20 : 0));
    t->out_len = t1_block(t->out, sizeof t->out, pcb, t->apdu + t->off, t->chunk, t->crc);
    t->phase = PH_SEND;
}

static void send_simple(struct t1 *t, uint8_t pcb, const uint8_t *inf, size_t len)
{
    t->out_len = t1_block(t->out, sizeof t->out, pcb, inf, len, t->crc);
}

int t1_begin(struct t1 *t, const uint8_t *apdu, size_t len)
{
    if (len == 0 || len > sizeof t->apdu)
        return -1;
    memcpy(t->apdu, apdu, len);
    t->apdu_len = len;
    t->off = 0;
    t->resp_len = 0;
    t->retries = 0;
    t->resynchs = 0;
    t->got_first = false;
    t->wtx = 0;
    send_chunk(t);
    return 0;
}

const uint8_t *t1_out(const struct t1 *t, size_t *len)
{
    *len = t->out_len;
    return t->out;
}

const uint8_t *t1_response(const struct t1 *t, size_t *len)
{
    *len = t->resp_len;
    return t->resp;
}

uint8_t t1_take_wtx(struct t1 *t)
{
    uint8_t w = t->wtx;
    t->wtx = 0;
    return w;
}

/* Something went wrong with the last exchange: ask again, or after too
 * many tries start over with a resynch. CODE: 1 EDC error, 2 other. */
static enum t1_step retry(struct t1 *t, int code, bool resend_ours, char *why, size_t whysz)
{
    if (++t->retries > T1_MAX_RETRIES) {
        if (t->phase == PH_RESYNCH || t->resynchs >= 1)
            return fail(t, why, whysz, "no valid block after a resynch");
        t->resynchs++;
        t->retries = 0;
        t->phase = PH_RESYNCH;
        send_simple(t, T1_S_RESYNCH, NULL, 0);
        return T1_STEP_SEND;
    }
    if (t->phase == PH_RESYNCH) {
        send_simple(t, T1_S_RESYNCH, NULL, 0);
        return T1_STEP_SEND;
    }
    if (!resend_ours)
        send_simple(t, (uint8_t)(0x80 | t->nr << 4 | code), NULL, 0);
    /* else: t->out still holds our last block */
    return T1_STEP_SEND;
}

static enum t1_step on_s_block(struct t1 *t, uint8_t pcb, const uint8_t *inf, size_t n, char *why,
                               size_t whysz)
{
    if (pcb == (T1_S_RESYNCH | T1_S_RESPONSE) && t->phase == PH_RESYNCH && n == 0) {
        /* Both ends are at sequence 0 again: the command goes again whole. */
        t->ns = t->nr = 0;
        t->retries = 0;
        t->off = 0;
        t->resp_len = 0;
        t->got_first = false;
        send_chunk(t);
        return T1_STEP_SEND;
    }
    if (t->phase == PH_RESYNCH)
        return retry(t, 2, false, why, whysz);
    if (pcb == T1_S_WTX && n == 1) {
        t->wtx = inf[0];
        send_simple(t, T1_S_WTX | T1_S_RESPONSE, inf, 1);
        return T1_STEP_SEND;
    }
    if (pcb == T1_S_IFS && n == 1 && inf[0] != 0x00 && inf[0] != 0xFF) {
        t->ifsc = inf[0];
        send_simple(t, T1_S_IFS | T1_S_RESPONSE, inf, 1);
        return T1_STEP_SEND;
    }
    if (pcb == T1_S_ABORT)
        return fail(t, why, whysz, "card aborted the exchange");
    return retry(t, 2, false, why, whysz);
}

enum t1_step t1_feed(struct t1 *t, const uint8_t *blk, size_t len, char *why, size_t whysz)
{
    if (t->phase == PH_DONE || t->phase == PH_FAILED)
        return fail(t, why, whysz, "block with no exchange under way");
    uint8_t pcb;
    const uint8_t *inf;
    size_t n;
    if (t1_check(blk, len, t->crc, &pcb, &inf, &n) < 0)
        return retry(t, 1, false, why, whysz);

    if ((pcb & 0xC0) == 0xC0)
        return on_s_block(t, pcb, inf, n, why, whysz);
    if (t->phase == PH_RESYNCH)
        return retry(t, 2, false, why, whysz);

    if ((pcb & 0xC0) == 0x80) { /* R-block */
        uint8_t nr = (uint8_t)(pcb >> 4 & 1);
        if ((pcb & 0x2C) != 0 || n != 0)
            return retry(t, 2, false, why, whysz);
        bool chaining = t->phase == PH_SEND && t->off + t->chunk < t->apdu_len;
        if (chaining && nr != t->ns) {
            /* Our chunk was acknowledged: the next one. */
            t->ns ^= 1;
            t->off += t->chunk;
            t->retries = 0;
            send_chunk(t);
            return T1_STEP_SEND;
        }
        /* The card asks for our last block again. */
        if (t->phase == PH_SEND)
            send_chunk(t);
        return retry(t, 2, true, why, whysz);
    }

    /* I-block */
    uint8_t ns = (uint8_t)(pcb >> 6 & 1);
    bool more = (pcb & 0x20) != 0;
    if ((pcb & 0x1F) != 0)
        return retry(t, 2, false, why, whysz);
    if (t->phase == PH_SEND && t->off + t->chunk < t->apdu_len)
        return retry(t, 2, false, why, whysz); /* the answer before the whole command */
    if (ns != t->nr)
        return retry(t, 2, false, why, whysz);
    if (!t->got_first) {
        t->got_first = true;
        t->ns ^= 1; /* the answer acknowledges our last I-block */
    }
    t->nr ^= 1;
    t->retries = 0;
    if (n > sizeof t->resp - t->resp_len)
        return fail(t, why, whysz, "answer longer than a short response");
    if (n)
        memcpy(t->resp + t->resp_len, inf, n);
    t->resp_len += n;
    if (more) {
        t->phase = PH_RECV;
        send_simple(t, (uint8_t)(0x80 | t->nr << 4), NULL, 0);
        return T1_STEP_SEND;
    }
    t->phase = PH_DONE;
    return T1_STEP_DONE;
}
