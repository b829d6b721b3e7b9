/*
 * fingerprint.c - names of fingers, and freeing a capture without leaving
 * its bytes in freed memory. Pure: no GLib, no libfprint, no I/O.
 */
#include "fingerprint.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const finger_ids[FP_FINGER_COUNT] = {
    "left_thumb",  "left_index",  "left_middle",  "left_ring",  "left_little",
    "right_thumb", "right_index", "right_middle", "right_ring", "right_little",
};

const char *fp_finger_id(enum fp_finger f)
{
    return (unsigned)f < FP_FINGER_COUNT ? finger_ids[f] : "unknown";
}

int fp_finger_parse(const char *id)
{
    for (int i = 0; i < FP_FINGER_COUNT; i++)
        if (strcmp(id, finger_ids[i]) == 0)
            return i;
    return -1;
}

void fp_capture_free(struct fp_capture *c)
{
    if (!c)
        return;
    if (c->print)
        sodium_memzero(c->print, c->print_len);
    if (c->image)
        sodium_memzero(c->image, c->image_len);
    free(c->print);
    free(c->image);
    sodium_memzero(c, sizeof *c);
    free(c);
}
