/*
 * scan_payload.h - finds a CNIC in what a barcode/QR scanner read.
 *
 * Card backs carry a PDF417 or QR code whose layout is not public, so the
 * CNIC is found by a configurable pattern: a POSIX extended regular
 * expression whose first parenthesised group (or whole match, if it has no
 * group) is the CNIC, dashes allowed. The default takes the first run of
 * exactly 13 digits, with or without the XXXXX-XXXXXXX-X dashes, that is
 * not part of a longer run of digits. Pure: no I/O.
 */
#ifndef NSER_SCAN_PAYLOAD_H
#define NSER_SCAN_PAYLOAD_H

#include <stddef.h>

#include "cnic.h"

#define SCAN_PATTERN_MAX 256
#define SCAN_PAYLOAD_MAX 2048 /* longer scans are refused */

struct scan_pattern;

/* NULL or "" = the default pattern. NULL on a bad pattern with the reason in ERR. */
struct scan_pattern *scan_pattern_new(const char *pattern, char *err, size_t errsz);
void scan_pattern_free(struct scan_pattern *p);

/* The default pattern's text (for the written default config). */
const char *scan_pattern_default(void);

/*
 * Looks for a CNIC in PAYLOAD (LEN bytes, not necessarily NUL-terminated,
 * any bytes). Returns 0 and fills OUT when the pattern matches and the
 * match is a valid CNIC for REGIONS (see cnic_parse), else -1.
 */
int scan_find_cnic(const struct scan_pattern *p, const char *payload, size_t len,
                   const char *regions, struct cnic *out);

#endif
