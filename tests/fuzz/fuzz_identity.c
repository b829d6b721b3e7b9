/*
 * fuzz_identity.c - libFuzzer target for everything an applicant types that
 * the domain parses: CNIC, tracking ID, names, the masks and formatters
 * that show them, and the rule expressions of the data files. Any crash, overflow or
 * undefined behaviour is a bug; a refusal is not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/cnic.h"
#include "kiosk/answers.h"
#include "kiosk/expr.h"
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
        free(out);
    }
    /* The same bytes as a rule from a data file: parsed, and when it
     * parses, evaluated against a small household. */
    char err[128];
    struct expr *e = expr_parse(text, err, sizeof err);
    if (e) {
        struct answers *a = answers_new();
        if (a) {
            answers_set(a, ANSWERS_HOUSEHOLD, "rooms", "2");
            int head = answers_add_member(a);
            if (head >= 0) {
                answers_set(a, head, "age", "40");
                answers_set(a, head, "dob", "1986-02-29");
            }
            struct expr_ctx ctx = {a, head, 2026, 11, 23};
            double n;
            char out[64];
            (void)expr_test(e, &ctx);
            (void)expr_number(e, &ctx, &n);
            (void)expr_text(e, &ctx, out, sizeof out);
            answers_free(a);
        }
        expr_free(e);
    }
    free(text);
    return 0;
}
