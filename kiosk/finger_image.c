/*
 * finger_image.c - ISO/IEC 19794-4:2005 finger image records, one finger,
 * one view, 8-bit grey, uncompressed: the only form the kiosk writes, so the
 * only form it reads back.
 *
 * Layout (all integers big-endian):
 *   general record header, 32 bytes: "FIR\0", "010\0", record length (6),
 *   capture device id (2), image acquisition level (2), number of fingers (1),
 *   scale units (1: 1 = ppi, 2 = ppcm), horizontal and vertical scan
 *   resolution (2+2), horizontal and vertical image resolution (2+2), pixel
 *   depth (1), compression (1: 0 = uncompressed, no bit packing), reserved (2);
 *   finger record header, 14 bytes: finger data block length (4, header and
 *   pixels), finger position (1), view count (1), view number (1), quality
 *   (1), impression type (1), width (2), height (2), reserved (1);
 *   then width x height pixels, row-major.
 *
 * The decoder trusts nothing (it is a fuzz target): every length must agree
 * with every other and with the buffer, exactly. Never logs, never allocates
 * while decoding, never keeps a copy of the pixels.
 */
#include "finger_image.h"
#include "errbuf.h"
#include "bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_HDR    32
#define FINGER_HDR 14
#define DIM_MAX    2048

/* The standard's finger position codes: 1..5 right thumb..little, 6..10 left. */
static int position_code(enum fp_finger f)
{
    if (f >= FP_RIGHT_THUMB && f <= FP_RIGHT_LITTLE)
        return 1 + (int)(f - FP_RIGHT_THUMB);
    if (f >= FP_LEFT_THUMB && f <= FP_LEFT_LITTLE)
        return 6 + (int)(f - FP_LEFT_THUMB);
    return -1;
}

static int finger_from_code(int code)
{
    if (code >= 1 && code <= 5)
        return FP_RIGHT_THUMB + (code - 1);
    if (code >= 6 && code <= 10)
        return FP_LEFT_THUMB + (code - 6);
    return -1;
}

/* The acquisition level of an 8-bit image at PPI (Table 1 of the standard);
 * 0 when the resolution fits none of the 8-bit levels. */
static int acquisition_level(int ppi)
{
    if (ppi >= 1000)
        return 41;
    if (ppi >= 500)
        return 31;
    return 0;
}

int finger_image_encode(const struct finger_image *img, uint8_t **out, size_t *outlen)
{
    if (!img || !out || !outlen || !img->pixels || img->width < 1 || img->width > DIM_MAX ||
        img->height < 1 || img->height > DIM_MAX || img->ppi < 1 || img->ppi > 0xffff)
        return -1;
    int pos = position_code(img->finger);
    if (pos < 0)
        return -1;
    size_t npix = (size_t)img->width * (size_t)img->height;
    size_t total = GEN_HDR + FINGER_HDR + npix;
    uint8_t *b = calloc(1, total);
    if (!b)
        return -1;
    memcpy(b, "FIR\0", 4);
    memcpy(b + 4, "010\0", 4);
    be_put(b + 8, total, 6);
    be_put(b + 14, 0, 2); /* capture device id: 0 = unreported */
    be_put(b + 16, (uint64_t)acquisition_level(img->ppi), 2);
    b[18] = 1; /* fingers */
    b[19] = 1; /* scale units: pixels per inch */
    be_put(b + 20, (uint64_t)img->ppi, 2);
    be_put(b + 22, (uint64_t)img->ppi, 2);
    be_put(b + 24, (uint64_t)img->ppi, 2);
    be_put(b + 26, (uint64_t)img->ppi, 2);
    b[28] = 8; /* pixel depth */
    b[29] = 0; /* uncompressed, no bit packing */
    uint8_t *f = b + GEN_HDR;
    be_put(f, FINGER_HDR + npix, 4);
    f[4] = (uint8_t)pos;
    f[5] = 1;   /* view count */
    f[6] = 1;   /* view number */
    f[7] = 254; /* quality: not computed on the kiosk (central's check grades it) */
    f[8] = 0;   /* impression: live-scan plain */
    be_put(f + 9, (uint64_t)img->width, 2);
    be_put(f + 11, (uint64_t)img->height, 2);
    memcpy(f + FINGER_HDR, img->pixels, npix);
    *out = b;
    *outlen = total;
    return 0;
}

int finger_image_decode(const uint8_t *buf, size_t len, struct finger_image *img, char *why,
                        size_t whysz)
{
    if (!img)
        return err_set(why, whysz, "no image to fill");
    memset(img, 0, sizeof *img);
    if (!buf || len < GEN_HDR + FINGER_HDR)
        return err_set(why, whysz, "finger image record too short (%zu bytes)", buf ? len : 0);
    if (memcmp(buf, "FIR\0", 4) != 0)
        return err_set(why, whysz, "not a finger image record (format identifier)");
    if (memcmp(buf + 4, "010\0", 4) != 0)
        return err_set(why, whysz, "unsupported finger image record version");
    uint64_t total = be_get(buf + 8, 6);
    if (total != len)
        return err_set(why, whysz, "record length %llu does not match the %zu bytes given",
                       (unsigned long long)total, len);
    if (buf[18] != 1)
        return err_set(why, whysz, "record holds %d finger images, expected 1", buf[18]);
    int units = buf[19];
    if (units != 1 && units != 2)
        return err_set(why, whysz, "unknown scale units %d", units);
    int hscan = (int)be_get(buf + 20, 2), vscan = (int)be_get(buf + 22, 2);
    int himg = (int)be_get(buf + 24, 2), vimg = (int)be_get(buf + 26, 2);
    if (hscan == 0 || vscan == 0 || himg == 0 || vimg == 0)
        return err_set(why, whysz, "zero resolution");
    if (buf[28] != 8)
        return err_set(why, whysz, "pixel depth %d, expected 8", buf[28]);
    if (buf[29] != 0)
        return err_set(why, whysz, "compressed image (algorithm %d), expected uncompressed",
                       buf[29]);
    const uint8_t *f = buf + GEN_HDR;
    uint64_t block = be_get(f, 4);
    if (block != len - GEN_HDR)
        return err_set(why, whysz, "finger data length %llu does not match the record",
                       (unsigned long long)block);
    int finger = finger_from_code(f[4]);
    if (finger < 0)
        return err_set(why, whysz, "finger position %d is not one finger", f[4]);
    if (f[5] < 1 || f[6] < 1 || f[6] > f[5])
        return err_set(why, whysz, "view %d of %d", f[6], f[5]);
    if (f[7] > 100 && f[7] != 254 && f[7] != 255)
        return err_set(why, whysz, "image quality %d out of range", f[7]);
    int w = (int)be_get(f + 9, 2), h = (int)be_get(f + 11, 2);
    if (w < 1 || w > DIM_MAX || h < 1 || h > DIM_MAX)
        return err_set(why, whysz, "image size %dx%d outside 1..%d", w, h, DIM_MAX);
    if ((uint64_t)w * (uint64_t)h != block - FINGER_HDR)
        return err_set(why, whysz, "%dx%d pixels do not fill the %llu-byte image", w, h,
                       (unsigned long long)(block - FINGER_HDR));
    img->width = w;
    img->height = h;
    /* ppcm to ppi, rounded: 197 ppcm is the standard's 500 ppi. */
    img->ppi = units == 1 ? himg : (int)((himg * 254 + 50) / 100);
    img->finger = (enum fp_finger)finger;
    img->pixels = f + FINGER_HDR;
    return 0;
}
