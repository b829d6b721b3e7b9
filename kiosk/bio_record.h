/*
 * bio_record.h - the clear record inside a sealed fingerprint: a capture
 * (struct fp_capture) as a small versioned, length-checked binary format.
 *
 * Layout (big-endian): "NBR" and format version 1 (4 bytes), finger (1,
 * enum fp_finger), retries (2), captured_at (8, signed Unix seconds),
 * driver length (1, 1..31) and the driver id ([a-z0-9_-]), print length (4,
 * 1..BIO_RECORD_PRINT_MAX) and the print, image length (4, 0 = no image) and
 * an ISO/IEC 19794-4 record of the same finger. Nothing may follow.
 *
 * Pure: bytes in, capture out, and back. The decoder trusts nothing (it is
 * the fuzz target for loading stored prints). Never logs; the caller wipes
 * every buffer that held a record (sodium_memzero) before freeing it.
 */
#ifndef NSER_BIO_RECORD_H
#define NSER_BIO_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

#define BIO_RECORD_VERSION   1
#define BIO_RECORD_PRINT_MAX (1u << 20) /* a serialised FpPrint is a few KiB */
#define BIO_RECORD_IMAGE_MAX (46u + 2048u * 2048u)

/* C as a record in a new malloc'd buffer (*OUT, *OUTLEN). 0, or -1 when C
 * is incomplete or out of range. */
int bio_record_encode(const struct fp_capture *c, uint8_t **out, size_t *outlen);
/* A new capture (fp_capture_free) from BUF. 0, or -1 with a reason that
 * never quotes the bytes. */
int bio_record_decode(const uint8_t *buf, size_t len, struct fp_capture **out, char *why,
                      size_t whysz);

#endif
