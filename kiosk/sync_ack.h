/*
 * sync_ack.h - the registry's acknowledgement payload (kind 'A', format
 * nser-ack version 1, docs/sync.md) parsed into a struct: the records it
 * acknowledges with their statuses, and the district snapshot.
 *
 * Pure: bytes in, struct out (jansson only), so unit tests and the
 * fuzz_ack target link it alone. It must never trust the payload: every
 * field is checked for type, shape and length, unknown keys are refused,
 * and a problem is named in ERR without quoting a value (a CNIC or a
 * name must not reach a log through it). Never prints, never touches the
 * store.
 */
#ifndef NSER_SYNC_ACK_H
#define NSER_SYNC_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cnic.h"
#include "status.h"
#include "tracking.h"

#define SYNC_UUID_LEN     36
#define SYNC_DISTRICT_MAX 16  /* with the NUL: 1-15 printable ASCII */
#define SYNC_HEAD_MAX     192 /* a masked name, with the NUL */

struct sync_ack_entry {
    char uuid[SYNC_UUID_LEN + 1];
    int version;
    enum reg_status status; /* never STATUS_NONE or STATUS_PENDING_SYNC */
    char status_date[11];   /* YYYY-MM-DD */
};

struct sync_snapshot_entry {
    char tracking[TRACKING_DIGITS + 1];
    char cnic[CNIC_DIGITS + 1];
    enum reg_status status;
    char status_date[11];
    char head[SYNC_HEAD_MAX]; /* masked as the registry sent it */
};

struct sync_ack {
    char kiosk[TRACKING_KIOSK_DIGITS + 1];
    uint64_t ack_no;
    char created[21]; /* YYYY-MM-DDTHH:MM:SSZ */
    struct sync_ack_entry *acks;
    size_t n_acks;
    bool has_snapshot; /* false when "snapshot" is null */
    char district[SYNC_DISTRICT_MAX];
    struct sync_snapshot_entry *snapshot;
    size_t n_snapshot;
};

/*
 * Parses LEN bytes of JSON. KIOSK and ACK_NO are what the envelope's
 * header says; the payload must repeat them. *OUT is allocated (free with
 * sync_ack_free). 0, or -1 with the problem in ERR.
 */
int sync_ack_parse(const char *json, size_t len, const char *kiosk, uint64_t ack_no,
                   struct sync_ack **out, char *err, size_t errsz);

/* Wipes (the snapshot holds CNICs) and frees; NULL is fine. */
void sync_ack_free(struct sync_ack *a);

#endif
