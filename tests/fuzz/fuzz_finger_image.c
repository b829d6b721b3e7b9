/*
 * fuzz_finger_image.c - libFuzzer target for the ISO/IEC 19794-4 finger
 * image record parser (kiosk/finger_image.c) on arbitrary bytes. A crash,
 * an overread or undefined behaviour is a bug; a refusal with a reason is
 * not. An accepted record must re-encode to exactly the same size, with its
 * pixels inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/finger_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct finger_image img;
    char why[128] = "";
    if (finger_image_decode(data, size, &img, why, sizeof why) != 0) {
        if (why[0] == '\0' || img.pixels)
            abort();
        return 0;
    }
    if (img.width < 1 || img.width > 2048 || img.height < 1 || img.height > 2048 ||
        (unsigned)img.finger >= FP_FINGER_COUNT || img.pixels < data ||
        img.pixels + (size_t)img.width * (size_t)img.height != data + size)
        abort();
    uint8_t *again = NULL;
    size_t len = 0;
    if (img.ppi >= 1 && img.ppi <= 0xffff) {
        if (finger_image_encode(&img, &again, &len) != 0 || len != size)
            abort();
        free(again);
    }
    return 0;
}
