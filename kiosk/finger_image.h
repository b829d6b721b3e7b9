/*
 * finger_image.h - ISO/IEC 19794-4:2005 finger image records: one 8-bit
 * grey, uncompressed image of one finger, the form central hands to NADRA's
 * check.
 *
 * Pure: bytes in, struct out, and the reverse. The parser trusts nothing in
 * its input (it is a fuzz target). Never logs an image.
 */
#ifndef NSER_FINGER_IMAGE_H
#define NSER_FINGER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

struct finger_image {
    int width, height; /* pixels, 1..2048 each */
    int ppi;           /* resolution, e.g. 500 */
    enum fp_finger finger;
    const uint8_t *pixels; /* width*height bytes, row-major, 0 = black; borrowed */
};

/* A record for IMG into a new malloc'd buffer (*OUT, *OUTLEN); 0 or -1. */
int finger_image_encode(const struct finger_image *img, uint8_t **out, size_t *outlen);
/* Parses BUF; IMG->pixels then points into BUF. 0, or -1 with a reason. */
int finger_image_decode(const uint8_t *buf, size_t len, struct finger_image *img, char *why,
                        size_t whysz);

#endif
