/*
 * receipt_doc.h - what goes on a printed receipt, already in the session's
 * language. The flow fills it in; the printer driver lays it out. Pure
 * type: no I/O. A receipt printer prints a limited character set, so the
 * printer driver replaces what it cannot print; the flow should prefer
 * texts in Latin script (English, Roman Urdu) here.
 */
#ifndef NSER_RECEIPT_DOC_H
#define NSER_RECEIPT_DOC_H

#define RECEIPT_LINE_MAX 160
#define RECEIPT_NEXT_MAX 4

struct receipt_doc {
    char title[RECEIPT_LINE_MAX];                  /* "NSER registration receipt" */
    char centre[RECEIPT_LINE_MAX];                 /* centre name */
    char kiosk_line[RECEIPT_LINE_MAX];             /* "Kiosk 1234" */
    char date_line[RECEIPT_LINE_MAX];              /* "Date: 23-11-2026 14:05" */
    char tracking_label[RECEIPT_LINE_MAX];         /* "Tracking ID" */
    char tracking[40];                             /* formatted, printed large */
    char qr_payload[40];                           /* digits only: what the QR code holds */
    char next_title[RECEIPT_LINE_MAX];             /* "What to do next" */
    char next[RECEIPT_NEXT_MAX][RECEIPT_LINE_MAX]; /* each a paragraph; "" = unused */
    int reprint;                                   /* non-zero: mark as a copy */
};

#endif
