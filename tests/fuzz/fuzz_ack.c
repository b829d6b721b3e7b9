/*
 * fuzz_ack.c - libFuzzer target for the registry's acknowledgement payload
 * parser (kiosk/sync_ack.c) on arbitrary bytes: the JSON a signed file
 * opens to is still never trusted. Any crash, overflow, leak or undefined
 * behaviour is a bug; a refusal is not. An accepted payload must hold
 * only what the parser promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/status.h"
#include "kiosk/sync_ack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sync_ack *a = NULL;
    char err[256];
    if (sync_ack_parse((const char *)data, size, "12345", 7, &a, err, sizeof err) != 0) {
        if (a || strnlen(err, sizeof err) == sizeof err || err[0] == '\0')
            abort();
        return 0;
    }
    if (!a || a->ack_no != 7 || strcmp(a->kiosk, "12345") != 0)
        abort();
    for (size_t i = 0; i < a->n_acks; i++) {
        const struct sync_ack_entry *e = &a->acks[i];
        if (strlen(e->uuid) != SYNC_UUID_LEN || e->version < 1 || strlen(e->status_date) != 10 ||
            e->status <= STATUS_PENDING_SYNC || e->status >= STATUS_COUNT)
            abort();
    }
    for (size_t i = 0; i < a->n_snapshot; i++) {
        const struct sync_snapshot_entry *e = &a->snapshot[i];
        if (strlen(e->tracking) != 16 || strlen(e->cnic) != 13 || e->head[0] == '\0' ||
            e->status <= STATUS_PENDING_SYNC || e->status >= STATUS_COUNT)
            abort();
    }
    sync_ack_free(a);
    return 0;
}
