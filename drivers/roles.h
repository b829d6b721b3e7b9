/*
 * roles.h - the three role drivers, and the one call into a driver that
 * does not start from the device: printing a receipt.
 */
#ifndef NSER_ROLES_H
#define NSER_ROLES_H

#include "../kiosk/receipt_doc.h"
#include "usb.h"

extern const struct usb_role_ops card_reader_role; /* drivers/card_reader.c */
extern const struct usb_role_ops scanner_role;     /* drivers/scanner.c */
extern const struct usb_role_ops printer_role;     /* drivers/printer.c */

/*
 * Queues DOC for printing on the printer whose state is STATE (from
 * usb_role_state). 0 when queued (PRINT_DONE or PRINT_FAILED follows), -1
 * when a print is already under way.
 */
int printer_print(void *state, const struct receipt_doc *doc);

#endif
