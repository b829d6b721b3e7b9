/*
 * tlv.c - BER-TLV lookup with a bounds check before every byte.
 *
 * The indefinite length form (80) and lengths of more than 3 bytes are
 * refused: a card file is small and a length that large is a lie. Must
 * never read past LEN, recurse deeper than TLV_MAX_DEPTH, or log.
 */
#include "tlv.h"

static enum tlv_result find(const uint8_t *b, size_t len, uint32_t tag, const uint8_t **val,
                            size_t *vlen, int depth)
{
    size_t p = 0;
    while (p < len) {
        if (b[p] == 0x00 || b[p] == 0xFF) {
            p++;
            continue;
        }
        /* Tag: more bytes follow when the low five bits are all set, and
         * after that while bit 8 is set; at most three in all. */
        uint32_t t = b[p];
        int constructed = (b[p] & 0x20) != 0;
        size_t tl = 1;
        if ((b[p] & 0x1F) == 0x1F) {
            for (;;) {
                if (p + tl >= len || tl >= 3)
                    return TLV_MALFORMED;
                uint8_t c = b[p + tl++];
                t = t << 8 | c;
                if (!(c & 0x80))
                    break;
            }
        }
        p += tl;
        if (p >= len)
            return TLV_MALFORMED;
        size_t l = b[p++];
        if (l & 0x80) {
            size_t nb = l & 0x7F;
            if (nb == 0 || nb > 3 || nb > len - p)
                return TLV_MALFORMED;
            l = 0;
            for (size_t i = 0; i < nb; i++)
                l = l << 8 | b[p++];
        }
        if (l > len - p)
            return TLV_MALFORMED;
        if (t == tag) {
            *val = b + p;
            *vlen = l;
            return TLV_FOUND;
        }
        if (constructed) {
            if (depth >= TLV_MAX_DEPTH)
                return TLV_MALFORMED;
            enum tlv_result r = find(b + p, l, tag, val, vlen, depth + 1);
            if (r != TLV_NOT_FOUND)
                return r;
        }
        p += l;
    }
    return TLV_NOT_FOUND;
}

enum tlv_result tlv_find(const uint8_t *b, size_t len, uint32_t tag, const uint8_t **val,
                         size_t *vlen)
{
    if (!b)
        return TLV_NOT_FOUND;
    return find(b, len, tag, val, vlen, 0);
}
