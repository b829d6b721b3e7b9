/*
 * bio_record.c - encodes and strictly decodes the clear fingerprint record
 * that kiosk/biometric_vault.c seals (the layout is in bio_record.h).
 *
 * Every length is checked against what is left before anything is copied,
 * the image must parse as a finger image record of the capture's own
 * finger, and partial results are wiped before they are freed. Never logs,
 * never prints.
 */
#include "bio_record.h"
#include "errbuf.h"
#include "bytes.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finger_image.h"

#define FIXED_HDR (4 + 1 + 2 + 8 + 1) /* magic+version, finger, retries, time, driver length */

static bool driver_ok(const char *d, size_t n)
{
    if (n < 1 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = d[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

int bio_record_encode(const struct fp_capture *c, uint8_t **out, size_t *outlen)
{
    if (!c || !out || !outlen || (unsigned)c->finger >= FP_FINGER_COUNT || c->retries < 0 ||
        c->retries > 0xffff || !c->print || c->print_len < 1 ||
        c->print_len > BIO_RECORD_PRINT_MAX || (c->image && c->image_len == 0) ||
        (!c->image && c->image_len != 0) || c->image_len > BIO_RECORD_IMAGE_MAX)
        return -1;
    size_t dlen = strnlen(c->driver, sizeof c->driver);
    if (!driver_ok(c->driver, dlen))
        return -1;
    size_t total = FIXED_HDR + dlen + 4 + c->print_len + 4 + c->image_len;
    uint8_t *b = malloc(total);
    if (!b)
        return -1;
    uint8_t *p = b;
    memcpy(p, "NBR", 3);
    p[3] = BIO_RECORD_VERSION;
    p[4] = (uint8_t)c->finger;
    be_put(p + 5, (uint64_t)c->retries, 2);
    be_put(p + 7, (uint64_t)(int64_t)c->captured_at, 8);
    p[15] = (uint8_t)dlen;
    p += FIXED_HDR;
    memcpy(p, c->driver, dlen);
    p += dlen;
    be_put(p, c->print_len, 4);
    memcpy(p + 4, c->print, c->print_len);
    p += 4 + c->print_len;
    be_put(p, c->image_len, 4);
    if (c->image_len)
        memcpy(p + 4, c->image, c->image_len);
    *out = b;
    *outlen = total;
    return 0;
}

/* The next length-prefixed field of at most MAX bytes: its start and size. */
static bool take_field(const uint8_t **p, size_t *left, size_t max, const uint8_t **field,
                       size_t *n)
{
    if (*left < 4)
        return false;
    uint64_t len = be_get(*p, 4);
    if (len > max || len > *left - 4)
        return false;
    *field = *p + 4;
    *n = (size_t)len;
    *p += 4 + len;
    *left -= 4 + (size_t)len;
    return true;
}

int bio_record_decode(const uint8_t *buf, size_t len, struct fp_capture **out, char *why,
                      size_t whysz)
{
    if (!out)
        return err_set(why, whysz, "nowhere to put the capture");
    *out = NULL;
    if (!buf || len < FIXED_HDR)
        return err_set(why, whysz, "fingerprint record too short");
    if (memcmp(buf, "NBR", 3) != 0)
        return err_set(why, whysz, "not a fingerprint record");
    if (buf[3] != BIO_RECORD_VERSION)
        return err_set(why, whysz, "fingerprint record version %d is not known", buf[3]);
    if (buf[4] >= FP_FINGER_COUNT)
        return err_set(why, whysz, "fingerprint record names no finger");
    size_t dlen = buf[15];
    if (dlen > len - FIXED_HDR || !driver_ok((const char *)buf + FIXED_HDR, dlen))
        return err_set(why, whysz, "fingerprint record has a bad driver id");
    const uint8_t *p = buf + FIXED_HDR + dlen;
    size_t left = len - FIXED_HDR - dlen;
    const uint8_t *print, *image;
    size_t print_len, image_len;
    if (!take_field(&p, &left, BIO_RECORD_PRINT_MAX, &print, &print_len) || print_len == 0)
        return err_set(why, whysz, "fingerprint record: bad print length");
    if (!take_field(&p, &left, BIO_RECORD_IMAGE_MAX, &image, &image_len))
        return err_set(why, whysz, "fingerprint record: bad image length");
    if (left != 0)
        return err_set(why, whysz, "fingerprint record: %zu bytes after the end", left);
    if (image_len) {
        struct finger_image img;
        char iwhy[96];
        if (finger_image_decode(image, image_len, &img, iwhy, sizeof iwhy) != 0)
            return err_set(why, whysz, "fingerprint record: image: %s", iwhy);
        if ((int)img.finger != buf[4])
            return err_set(why, whysz, "fingerprint record: the image is of another finger");
    }
    struct fp_capture *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(why, whysz, "no memory for a capture");
    c->print = malloc(print_len);
    c->image = image_len ? malloc(image_len) : NULL;
    if (!c->print || (image_len && !c->image)) {
        fp_capture_free(c);
        return err_set(why, whysz, "no memory for a capture");
    }
    memcpy(c->print, print, print_len);
    c->print_len = print_len;
    if (image_len)
        memcpy(c->image, image, image_len);
    c->image_len = image_len;
    memcpy(c->driver, buf + FIXED_HDR, dlen);
    c->driver[dlen] = '\0';
    c->finger = (enum fp_finger)buf[4];
    c->retries = (int)be_get(buf + 5, 2);
    c->captured_at = (time_t)(int64_t)be_get(buf + 7, 8);
    *out = c;
    return 0;
}
