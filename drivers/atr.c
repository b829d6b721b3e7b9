/*
 * atr.c - parse an ATR (ISO/IEC 7816-3, 8.2) into the few values the card
 * reader needs.
 *
 * The chain of interface bytes is walked with a bounds check before every
 * byte; the length the ATR itself declares must be exactly the length
 * received. Must never read past LEN, call libusb or log.
 */
#include "atr.h"

#include <stdio.h>
#include <string.h>

static int refuse(char *why, size_t whysz, const char *text)
{
    if (why && whysz)
        snprintf(why, whysz, "ATR: %s", text);
    return -1;
}

int atr_parse(const uint8_t *b, size_t len, struct atr *out, char *why, size_t whysz)
{
    if (!b || len < 2)
        return refuse(why, whysz, "shorter than TS and T0");
    if (len > ATR_MAX)
        return refuse(why, whysz, "longer than 33 bytes");
    if (b[0] != 0x3B && b[0] != 0x3F)
        return refuse(why, whysz, "bad TS");
    struct atr a;
    memset(&a, 0, sizeof a);
    a.inverse = b[0] == 0x3F;
    a.ta1 = 0x11;
    a.wi = 10;
    a.ifsc = 32;
    a.bwi = 4;
    a.cwi = 13;
    a.edc = ATR_EDC_LRC;
    a.hist_len = b[1] & 0x0F;

    size_t pos = 2;
    uint8_t y = b[1] >> 4;
    int cur_t = 0;        /* the protocol TD(i-1) named, for the bytes of group i */
    bool t1_seen = false; /* the first group for T=1 has been taken */
    bool tck_needed = false;
    for (int i = 1; y; i++) {
        uint8_t ta = 0, tb = 0, tc = 0, td = 0;
        bool has_a = y & 1, has_b = y & 2, has_c = y & 4, has_d = y & 8;
        size_t n = (size_t)has_a + has_b + has_c + has_d;
        if (n > len - pos)
            return refuse(why, whysz, "interface bytes missing");
        if (has_a)
            ta = b[pos++];
        if (has_b)
            tb = b[pos++];
        if (has_c)
            tc = b[pos++];
        if (has_d)
            td = b[pos++];
        if (i == 1) {
            if (has_a)
                a.ta1 = ta;
            if (has_c)
                a.tc1 = tc;
        } else if (i == 2) {
            if (has_a) {
                a.specific = true;
                a.specific_protocol = ta & 0x0F;
            }
            if (has_c && cur_t == 0)
                a.wi = tc;
        } else if (cur_t == 1 && !t1_seen) {
            t1_seen = true;
            if (has_a) {
                /* IFSC 00 and FF are reserved. */
                if (ta == 0x00 || ta == 0xFF)
                    return refuse(why, whysz, "invalid IFSC");
                a.ifsc = ta;
            }
            if (has_b) {
                a.bwi = tb >> 4;
                a.cwi = tb & 0x0F;
                if (a.bwi > 9)
                    return refuse(why, whysz, "invalid BWI");
            }
            if (has_c)
                a.edc = (tc & 1) ? ATR_EDC_CRC : ATR_EDC_LRC;
        }
        if (!has_d)
            break;
        int t = td & 0x0F;
        if (t != 0)
            tck_needed = true;
        if (t != 15) {
            if (a.protocols == 0)
                a.first_protocol = t;
            a.protocols |= 1u << t;
        }
        cur_t = t;
        y = td >> 4;
        if (i > 16)
            return refuse(why, whysz, "too many interface groups");
    }
    if (a.protocols == 0) {
        a.protocols = 1; /* no TD1: T=0 only */
        a.first_protocol = 0;
    }
    if (a.hist_len > len - pos)
        return refuse(why, whysz, "historical bytes missing");
    memcpy(a.hist, b + pos, a.hist_len);
    pos += a.hist_len;
    if (tck_needed) {
        if (pos >= len)
            return refuse(why, whysz, "TCK missing");
        uint8_t x = 0;
        for (size_t k = 1; k <= pos; k++)
            x ^= b[k];
        if (x != 0)
            return refuse(why, whysz, "bad TCK");
        a.has_tck = true;
        pos++;
    }
    if (pos != len)
        return refuse(why, whysz, "bytes after the declared end");
    memcpy(a.raw, b, len);
    a.len = len;
    *out = a;
    return 0;
}

int atr_choose_protocol(const struct atr *a, uint32_t reader_protocols)
{
    if (a->specific)
        return (a->specific_protocol <= 1 && (reader_protocols >> a->specific_protocol & 1))
                   ? a->specific_protocol
                   : -1;
    if (a->first_protocol <= 1 && (reader_protocols >> a->first_protocol & 1))
        return a->first_protocol;
    if ((a->protocols & 2) && (reader_protocols & 2))
        return 1;
    if ((a->protocols & 1) && (reader_protocols & 1))
        return 0;
    return -1;
}
