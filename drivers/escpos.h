/*
 * escpos.h - the ESC/POS bytes of a receipt, and the printer's real-time
 * status replies (DLE EOT n).
 *
 * Pure: a receipt_doc in, bytes out; one status byte in, findings out. No
 * libusb, no I/O, no logging. Must never let a text byte reach the printer
 * as a command: everything outside printable ASCII is printed as '?'. Must
 * never trust a status byte whose fixed bits are wrong.
 */
#ifndef NSER_ESCPOS_H
#define NSER_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kiosk/receipt_doc.h"

#define ESCPOS_RECEIPT_MAX 8192 /* more than any receipt_doc can need */
#define ESCPOS_COLUMNS_MIN 16
#define ESCPOS_COLUMNS_MAX 128

/*
 * Lays DOC out for a printer of COLUMNS characters a line (font A): init,
 * code page, centred header, the tracking ID large, a QR code of
 * doc->qr_payload (GS ( k, model 2, level M), the next steps word-wrapped,
 * "COPY" on a reprint, feed and cut. Writes at most OUTSZ bytes to OUT and
 * their number to *LEN. 0, or -1 when COLUMNS is out of range or OUTSZ too
 * small.
 */
int escpos_receipt(const struct receipt_doc *doc, int columns, uint8_t *out, size_t outsz,
                   size_t *len);

/*
 * Copies TEXT as the printer may print it, to OUT (OUTSZ bytes, always
 * NUL-terminated when OUTSZ > 0): printable ASCII is kept, a UTF-8
 * sequence becomes one '?', any other byte '?'. Returns the length.
 */
size_t escpos_sanitize(const char *text, char *out, size_t outsz);

/* The three real-time status requests this driver asks (DLE EOT n). */
enum escpos_status_req {
    ESCPOS_REQ_PRINTER = 1, /* online / offline */
    ESCPOS_REQ_OFFLINE = 2, /* why offline: cover, paper end, error */
    ESCPOS_REQ_PAPER = 4,   /* roll paper sensors */
};
#define ESCPOS_STATUS_REQ_LEN 3
/* The request bytes for REQ: 10 04 n. */
void escpos_status_request(enum escpos_status_req req, uint8_t out[ESCPOS_STATUS_REQ_LEN]);

struct escpos_status {
    bool offline;
    bool cover_open;
    bool paper_out;
    bool paper_near_end;
    bool error;
};

/*
 * Reads the reply to REQ (LEN bytes, exactly one expected) into ST, adding
 * to what is already there. 0, or -1 when the reply is not one byte with
 * the fixed bits of a status byte (bit 1 and 4 set, bit 0 and 7 clear).
 */
int escpos_status_parse(enum escpos_status_req req, const uint8_t *reply, size_t len,
                        struct escpos_status *st);

/*
 * Does an IEEE 1284 device ID ("MFG:EPSON;CMD:ESC/POS;MDL:TM-T20;") say
 * the printer speaks ESC/POS? True when it names ESC/POS (or ESCPOS) among
 * its command sets, or names no command set at all (many receipt printers
 * report nothing useful); false when it lists only others (PCL, PJL,
 * PostScript, ESC/P-R...): an office printer must not be sent receipts.
 */
bool escpos_device_id_ok(const char *id);

#endif
