/*
 * fuzz_hid.c - libFuzzer target for what a barcode scanner sends: HID boot
 * keyboard reports of any length through the key decoder (every layout),
 * the keys through the scan assembler with a clock that jumps, and each
 * finished scan (and the raw input) through scan_find_cnic. Any crash,
 * overflow or undefined behaviour is a bug; a refused report is not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hid_keys.h"
#include "drivers/scan_assembler.h"
#include "kiosk/scan_payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_scan(const struct scan_pattern *p, const char *text, size_t len)
{
    struct cnic c;
    if (len > SCAN_PAYLOAD_MAX)
        abort(); /* the assembler must never hand out more */
    if (scan_find_cnic(p, text, len, NULL, &c) == 0 && strlen(c.digits) != CNIC_DIGITS)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct scan_pattern *pattern;
    if (!pattern) {
        char err[128];
        pattern = scan_pattern_new(NULL, err, sizeof err);
        if (!pattern)
            abort();
    }
    if (size < 2)
        return 0;
    struct hid_keys *k = hid_keys_new((enum hid_layout)(data[0] % 4));
    struct scan_assembler *a = scan_assembler_new(20 + data[1] % 200);
    if (!k || !a)
        abort();
    int64_t now = 0;
    size_t i = 2;
    /* Each record: one byte of length (mostly 8) and time step, then the
     * report. */
    while (i < size) {
        uint8_t head = data[i++];
        size_t len = (head & 0x80) ? (size_t)(head & 0x0F) : HID_REPORT_LEN;
        now += head & 0x70;
        if (len > size - i)
            len = size - i;
        struct hid_key keys[HID_KEYS_MAX];
        size_t n = 99;
        enum hid_result r = hid_keys_decode(k, data + i, len, keys, &n);
        if (n > HID_KEYS_MAX || (r != HID_OK && n != 0))
            abort();
        i += len;
        for (size_t j = 0; j < n; j++) {
            if (keys[j].kind == HID_KEY_CHAR && strnlen(keys[j].text, 5) >= 5)
                abort();
            if (scan_assembler_key(a, &keys[j], now) == SCAN_COMPLETE) {
                size_t sl;
                const char *s = scan_assembler_text(a, &sl);
                check_scan(pattern, s, sl);
            }
        }
        if (scan_assembler_tick(a, now) == SCAN_COMPLETE) {
            size_t sl;
            const char *s = scan_assembler_text(a, &sl);
            check_scan(pattern, s, sl);
        }
    }
    if (size - 2 <= SCAN_PAYLOAD_MAX)
        check_scan(pattern, (const char *)data + 2, size - 2);
    scan_assembler_free(a);
    hid_keys_free(k);
    return 0;
}
