/*
 * fuzz_identity.c - libFuzzer target for everything an applicant types that
 * the domain parses: CNIC, tracking ID, dates, phone numbers, names, and
 * the masks and formatters that show them. Any crash, overflow or
 * undefined behaviour is a bug; a refusal is not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/cnic.h"
#include "kiosk/household.h"
#include "kiosk/status.h"
#include "kiosk/tracking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct cnic c;
    if (cnic_parse(text, NULL, &c) == CNIC_OK) {
        char out[CNIC_FORMATTED_LEN + 1];
        cnic_format(&c, out, sizeof out);
        struct cnic again;
        if (cnic_parse(out, NULL, &again) != CNIC_OK || strcmp(again.digits, c.digits) != 0)
            abort(); /* what we show must read back as the same number */
        (void)cnic_gender(&c);
    }
    struct tracking_id t;
    if (tracking_parse(text, &t) == TRACKING_OK) {
        char out[TRACKING_FORMATTED_LEN + 1];
        tracking_format(&t, out, sizeof out);
        struct tracking_id again;
        if (tracking_parse(out, &again) != TRACKING_OK || strcmp(again.digits, t.digits) != 0)
            abort();
    }
    /* Small and odd output sizes must truncate, never overflow. */
    for (size_t outsz = 0; outsz < 24; outsz += 7) {
        char *out = malloc(outsz ? outsz : 1);
        if (!out)
            break;
        cnic_format_partial(text, out, outsz);
        tracking_format_partial(text, out, outsz);
        name_mask(text, out, outsz);
        (void)phone_problem(text, out, outsz);
        free(out);
    }
    struct date today = {2026, 11, 23}, d;
    if (!date_parse(text, &today, &d)) {
        char out[16];
        date_format(&d, out, sizeof out);
        (void)date_age_on(&d, &today);
    }
    (void)person_name_problem(text);
    (void)place_name_problem(text);
    free(text);
    return 0;
}
