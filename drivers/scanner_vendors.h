/*
 * scanner_vendors.h - USB vendor IDs of barcode scanner makers, and the
 * words that name a scanner, to tell a scanner that types like a keyboard
 * from a real keyboard.
 *
 * Pure tables and lookups: no I/O. Must never list a vendor that also
 * sells ordinary keyboards: a keyboard is never taken from the kiosk.
 */
#ifndef NSER_SCANNER_VENDORS_H
#define NSER_SCANNER_VENDORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when VID belongs to a maker of barcode scanners. */
bool scanner_vendor_known(uint16_t vid);

/* The table, for the udev rules: vendor I (0-based) and its maker's name;
 * false past the end. */
bool scanner_vendor_at(size_t i, uint16_t *vid, const char **maker);

/* True when TEXT (a product or manufacturer string, any bytes) holds a
 * scanner word: scan, barcode, bar code, qr, imager (any case). */
bool scanner_name_matches(const char *text);

#endif
