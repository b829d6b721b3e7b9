/*
 * fuzz_ccid.c - libFuzzer target for every parser of what a card reader
 * and a card send: the CCID class descriptor, RDR_to_PC replies,
 * interrupt messages, the ATR, response APDUs over GET RESPONSE / 6Cxx,
 * T=1 blocks, BER-TLV, and a whole profile read answered by the input.
 * The first byte picks the parser. Any crash, overflow or undefined
 * behaviour is a bug; a refusal is not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/apdu.h"
#include "drivers/atr.h"
#include "drivers/card_app.h"
#include "drivers/ccid_proto.h"
#include "drivers/t1.h"
#include "drivers/tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits the input into records: a length byte, then that many bytes. */
static const uint8_t *next_rec(const uint8_t **p, const uint8_t *end, size_t *len)
{
    if (*p >= end)
        return NULL;
    size_t n = **p;
    (*p)++;
    if (n > (size_t)(end - *p))
        n = (size_t)(end - *p);
    const uint8_t *r = *p;
    *p += n;
    *len = n;
    return r;
}

static struct card_app app; /* large: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t pick = data[0] % 8;
    const uint8_t *b = data + 1, *end = data + size;
    size_t n = size - 1;
    char why[96];
    switch (pick) {
    case 0: {
        struct ccid_desc d;
        if (ccid_desc_parse(b, n, &d, why, sizeof why) == 0) {
            uint8_t p[3];
            (void)ccid_power_sequence(&d, p);
        }
        break;
    }
    case 1: {
        struct ccid_reply r;
        static const uint8_t types[] = {0x61, 0x62, 0x63, 0x65, 0x6F, 0x72};
        for (size_t i = 0; i < sizeof types; i++)
            if (ccid_reply_parse(b, n, types[i], 0, n ? b[n - 1] : 0, 271, &r, why, sizeof why) ==
                    0 &&
                r.data_len && (r.data < b || r.data + r.data_len > b + n))
                abort(); /* data must lie inside what was received */
        break;
    }
    case 2: {
        struct ccid_notify nt;
        for (uint8_t slot = 0; slot < 9; slot++)
            (void)ccid_notify_parse(b, n, slot, n ? b[0] : 0, &nt, why, sizeof why);
        break;
    }
    case 3: {
        struct atr a;
        if (atr_parse(b, n, &a, why, sizeof why) == 0) {
            if (a.len != n || a.hist_len > ATR_HIST_MAX)
                abort();
            for (uint32_t rp = 0; rp < 4; rp++)
                (void)atr_choose_protocol(&a, rp);
        }
        break;
    }
    case 4: {
        struct apdu_xchg x;
        static const uint8_t rb[] = {0x00, 0xB0, 0x00, 0x00, 0x00};
        if (apdu_xchg_start(&x, rb, sizeof rb, n & 1) < 0)
            abort();
        size_t len;
        const uint8_t *r;
        while ((r = next_rec(&b, end, &len)) != NULL)
            if (apdu_xchg_feed(&x, r, len) != APDU_STEP_SEND)
                break;
        if (x.data_len > sizeof x.data)
            abort();
        break;
    }
    case 5: {
        struct t1 t;
        static const uint8_t cmd[40] = {0x00, 0xA4, 0x04, 0x00, 0x23};
        t1_init(&t, n ? b[0] : 32, n > 1 && (b[1] & 1));
        if (t1_begin(&t, cmd, sizeof cmd) < 0)
            abort();
        size_t len;
        const uint8_t *r;
        while ((r = next_rec(&b, end, &len)) != NULL)
            if (t1_feed(&t, r, len, why, sizeof why) != T1_STEP_SEND)
                break;
        (void)t1_response(&t, &len);
        if (len > APDU_RESP_MAX)
            abort();
        break;
    }
    case 6: {
        const uint8_t *v;
        size_t vl;
        static const uint32_t tags[] = {0x5F01, 0x80, 0x9F8101, 0x61};
        for (size_t i = 0; i < 4; i++)
            if (tlv_find(b, n, tags[i], &v, &vl) == TLV_FOUND && (v < b || v + vl > b + n))
                abort();
        break;
    }
    default: {
        /* The card answers every command of a profile read with records:
         * two SW bytes then data. */
        struct card_profile p;
        card_profile_default(&p);
        p.dob_format = (n & 1) ? CARD_DOB_DDMMYYYY : CARD_DOB_YYYYMMDD;
        card_app_start(&app, &p, n ? b[0] : 0);
        size_t len;
        const uint8_t *r;
        enum card_app_step s = CARD_APP_SEND;
        while (s == CARD_APP_SEND && (r = next_rec(&b, end, &len)) != NULL && len >= 2)
            s = card_app_feed(&app, (uint16_t)(r[0] << 8 | r[1]), r + 2, len - 2);
        struct device_event ev;
        if (card_app_result(&app, NULL, &ev, why, sizeof why) == DEVICE_PROBLEM_NONE &&
            (strlen(ev.cnic) != 13 || strlen(ev.dob) > 10))
            abort();
        break;
    }
    }
    return 0;
}
