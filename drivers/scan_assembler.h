/*
 * scan_assembler.h - turns the characters a barcode scanner types into
 * whole scans: one scan per terminator (Enter, Tab) or after a quiet gap.
 *
 * Pure: time comes in as milliseconds from the caller, so tests need no
 * clock; no I/O, no logging. Memory is fixed at creation: a scan longer
 * than SCAN_PAYLOAD_MAX bytes is reported once as too long and the rest of
 * it dropped until it ends, whatever a device sends. Empty scans are
 * never reported.
 */
#ifndef NSER_SCAN_ASSEMBLER_H
#define NSER_SCAN_ASSEMBLER_H

#include <stddef.h>
#include <stdint.h>

#include "../kiosk/scan_payload.h"
#include "hid_keys.h"

enum scan_result {
    SCAN_NONE = 0, /* nothing finished */
    SCAN_COMPLETE, /* a scan is ready: scan_assembler_text() */
    SCAN_TOO_LONG, /* a scan passed SCAN_PAYLOAD_MAX bytes; the rest of it is dropped */
};

struct scan_assembler;

/* GAP_MS > 0: this long without a character ends a scan. */
struct scan_assembler *scan_assembler_new(int gap_ms);
void scan_assembler_free(struct scan_assembler *a);

/*
 * One key typed at NOW_MS. A gap since the previous character ends the
 * scan before this key (so the result may be that earlier scan); a
 * terminator ends the scan it belongs to. At most one result per call.
 */
enum scan_result scan_assembler_key(struct scan_assembler *a, const struct hid_key *key,
                                    int64_t now_ms);

/* Called when the deadline passes: ends the scan when it has been quiet
 * for the gap. */
enum scan_result scan_assembler_tick(struct scan_assembler *a, int64_t now_ms);

/* When tick() should next be called (ms, same clock), or -1 when no scan
 * is under way. */
int64_t scan_assembler_deadline(const struct scan_assembler *a);

/* The last SCAN_COMPLETE scan: *LEN bytes, not NUL-terminated (any byte
 * may be in it). Valid until the next call on A. */
const char *scan_assembler_text(const struct scan_assembler *a, size_t *len);

/* True while a scan is being typed (for the driver's "busy"). */
int scan_assembler_busy(const struct scan_assembler *a);

/* Forgets a scan under way (device restarted). */
void scan_assembler_reset(struct scan_assembler *a);

#endif
