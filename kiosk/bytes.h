/*
 * bytes.h - big-endian integers in byte buffers, for the fixed binary
 * formats the kiosk writes and reads (the sync envelope, the sealed
 * fingerprint record, ISO/IEC 19794-4 image records).
 *
 * Callers check lengths first: these never check a buffer's size.
 */
#ifndef NSER_BYTES_H
#define NSER_BYTES_H

#include <stdint.h>

/* Writes the low N bytes of V at P, most significant first. */
static inline void be_put(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)(v & 0xff);
        v >>= 8;
    }
}

/* Reads N bytes at P, most significant first. */
static inline uint64_t be_get(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

#endif
