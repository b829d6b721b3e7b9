/*
 * fuzz_bio_record.c - libFuzzer target for loading stored prints: the clear
 * record inside a sealed fingerprint (kiosk/bio_record.c) on arbitrary
 * bytes. A crash, overread, leak or undefined behaviour is a bug; a refusal
 * with a reason is not. An accepted record must encode back to exactly the
 * input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bio_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fp_capture *c = NULL;
    char why[160] = "";
    if (bio_record_decode(data, size, &c, why, sizeof why) != 0) {
        if (c || why[0] == '\0')
            abort();
        return 0;
    }
    uint8_t *again = NULL;
    size_t len = 0;
    if (!c || bio_record_encode(c, &again, &len) != 0 || len != size ||
        memcmp(again, data, size) != 0)
        abort();
    free(again);
    fp_capture_free(c);
    return 0;
}
