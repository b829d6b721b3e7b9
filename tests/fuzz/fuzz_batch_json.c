/*
 * fuzz_batch_json.c - libFuzzer target for the registry's batch payload
 * parser (central/batch_json.c) on arbitrary bytes: a batch that opened
 * with a registered kiosk's key is still never trusted. Any crash,
 * overflow, leak or undefined behaviour is a bug; a refusal is not. An
 * accepted batch must hold only what the parser promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "central/batch_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    err[0] = '\0';
    struct batch *b = batch_parse((const char *)data, size, "04217", 12, err, sizeof err);
    if (!b) {
        if (err[0] == '\0' || strnlen(err, sizeof err) == sizeof err)
            abort();
        return 0;
    }
    if (b->batch_no != 12 || strcmp(b->kiosk, "04217") != 0)
        abort();
    for (size_t i = 0; i < b->n_records; i++) {
        const struct batch_record *r = &b->records[i];
        int ymd[3];
        if (!batch_uuid_valid(r->uuid) || r->version < 1 || strlen(r->tracking) != 16 ||
            strncmp(r->tracking, "04217", 5) != 0 || strlen(r->cnic) != 13 ||
            !batch_time_valid(r->created, ymd) || r->member_count < 1 || !r->answers ||
            !r->answers_json || (r->has_score && !r->score_json) ||
            (r->version == 1) != (r->supersedes[0] == '\0'))
            abort();
    }
    batch_free(b);
    return 0;
}
