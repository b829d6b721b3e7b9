/*
 * tlv.h - find one BER-TLV data object (ISO/IEC 7816-4, 5.2) in the bytes
 * of a card file: tags of 1 to 3 bytes, definite lengths in up to 3 bytes,
 * constructed objects searched inside.
 *
 * Pure: no I/O, no allocation, no logging (the values are personal data).
 * Never reads past the end it is given, whatever the lengths inside say.
 */
#ifndef NSER_TLV_H
#define NSER_TLV_H

#include <stddef.h>
#include <stdint.h>

#define TLV_MAX_DEPTH 8

enum tlv_result {
    TLV_FOUND = 0,
    TLV_NOT_FOUND = -1,
    TLV_MALFORMED = -2, /* the bytes before the tag was found do not parse */
};

/*
 * Looks for TAG (e.g. 0x5F01) in B[0..LEN), depth first, in the order the
 * objects come. 00 and FF bytes between objects are padding. On TLV_FOUND
 * *VAL and *VLEN give the value (inside B).
 */
enum tlv_result tlv_find(const uint8_t *b, size_t len, uint32_t tag, const uint8_t **val,
                         size_t *vlen);

#endif
