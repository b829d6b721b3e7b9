/*
 * apdu.c - build short APDUs, read responses, and follow 61xx / 6Cxx to
 * the final answer.
 *
 * The case of a command is decided from its length alone, as ISO/IEC
 * 7816-3 12.1 does, so a mis-built command is refused rather than sent.
 * Must never read past LEN, call libusb, allocate or log.
 */
#include "apdu.h"

#include <string.h>

size_t apdu_build(uint8_t *out, size_t outsz, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
                  const uint8_t *data, size_t lc, int le)
{
    if (lc > 255 || le < -1 || le == 0 || le > 256 || (lc && !data))
        return 0;
    size_t n = 4 + (lc ? 1 + lc : 0) + (le > 0 ? 1 : 0);
    if (outsz < n)
        return 0;
    out[0] = cla;
    out[1] = ins;
    out[2] = p1;
    out[3] = p2;
    size_t o = 4;
    if (lc) {
        out[o++] = (uint8_t)lc;
        memcpy(out + o, data, lc);
        o += lc;
    }
    if (le > 0)
        out[o++] = (uint8_t)(le == 256 ? 0 : le);
    return o;
}

int apdu_case_of(const uint8_t *cmd, size_t len)
{
    if (!cmd || len < 4)
        return -1;
    if (len == 4)
        return APDU_CASE_1;
    if (len == 5)
        return APDU_CASE_2;
    size_t lc = cmd[4];
    if (lc == 0)
        return -1; /* an extended APDU: not spoken here */
    if (len == 5 + lc)
        return APDU_CASE_3;
    if (len == 6 + lc)
        return APDU_CASE_4;
    return -1;
}

int apdu_resp_parse(const uint8_t *b, size_t len, struct apdu_resp *out)
{
    if (!b || len < 2 || len > APDU_RESP_MAX)
        return -1;
    out->data = len > 2 ? b : NULL;
    out->len = len - 2;
    out->sw = (uint16_t)(b[len - 2] << 8 | b[len - 1]);
    return 0;
}

enum apdu_sw_class apdu_sw_classify(uint16_t sw)
{
    uint8_t sw1 = (uint8_t)(sw >> 8);
    if (sw == APDU_SW_OK)
        return APDU_SW_CLASS_OK;
    if (sw1 == 0x62 || sw1 == 0x63)
        return APDU_SW_CLASS_WARNING;
    if (sw1 == 0x61 || sw1 == 0x6C)
        return APDU_SW_CLASS_MORE;
    return APDU_SW_CLASS_ERROR;
}

int apdu_xchg_start(struct apdu_xchg *x, const uint8_t *cmd, size_t len, bool t0)
{
    int c = apdu_case_of(cmd, len);
    if (c < 0)
        return -1;
    memset(x, 0, sizeof *x);
    x->t0 = t0;
    memcpy(x->cmd, cmd, len);
    x->cmd_len = len;
    if (t0 && c == APDU_CASE_1)
        x->cmd[x->cmd_len++] = 0x00; /* a T=0 header always has P3 */
    else if (t0 && c == APDU_CASE_4)
        x->cmd_len--; /* the card answers 61xx; the data comes by GET RESPONSE */
    return 0;
}

static int append(struct apdu_xchg *x, const struct apdu_resp *r)
{
    if (r->len > sizeof x->data - x->data_len)
        return -1;
    if (r->len)
        memcpy(x->data + x->data_len, r->data, r->len);
    x->data_len += r->len;
    return 0;
}

enum apdu_step apdu_xchg_feed(struct apdu_xchg *x, const uint8_t *resp, size_t len)
{
    struct apdu_resp r;
    if (apdu_resp_parse(resp, len, &r) < 0 || ++x->rounds > APDU_XCHG_MAX_ROUNDS)
        return APDU_STEP_ERROR;
    uint8_t sw1 = (uint8_t)(r.sw >> 8), sw2 = (uint8_t)r.sw;
    if (sw1 == 0x61) {
        if (append(x, &r) < 0)
            return APDU_STEP_ERROR;
        /* GET RESPONSE in the command's class (its logical channel). */
        uint8_t cla = x->cmd[0];
        x->cmd_len =
            apdu_build(x->cmd, sizeof x->cmd, cla, 0xC0, 0x00, 0x00, NULL, 0, sw2 ? sw2 : 256);
        return APDU_STEP_SEND;
    }
    if (sw1 == 0x6C) {
        /* Wrong Le: the same command again with Le = SW2; what came with
         * the 6Cxx is not the answer. */
        int c = apdu_case_of(x->cmd, x->cmd_len);
        uint8_t le = sw2;
        if (c == APDU_CASE_2 || c == APDU_CASE_4)
            x->cmd[x->cmd_len - 1] = le;
        else if ((c == APDU_CASE_1 || c == APDU_CASE_3) && !x->t0 && x->cmd_len < sizeof x->cmd)
            x->cmd[x->cmd_len++] = le;
        else
            return APDU_STEP_ERROR;
        return APDU_STEP_SEND;
    }
    if (append(x, &r) < 0)
        return APDU_STEP_ERROR;
    x->sw = r.sw;
    return APDU_STEP_DONE;
}
