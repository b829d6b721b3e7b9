/*
 * fp_map.h - libfprint's errors as the kiosk's fingerprint events: which
 * retry reason, which device problem, what the log may say.
 *
 * By error domain and code only (g_error_matches), never by message text.
 * Pure: no I/O, no libfprint calls beyond its error quarks. The detail
 * holds libfprint's message, which names no person.
 */
#ifndef NSER_FP_MAP_H
#define NSER_FP_MAP_H

#include <glib.h>

#include "kiosk/fingerprint.h"

/* Where `make install` puts the fingerprint readers' udev rules; the
 * message for a reader the kiosk may not open names it. */
#define FP_UDEV_RULES_PATH "/etc/udev/rules.d/71-nser-kiosk-fingerprint.rules"

/* FP_DEVICE_RETRY codes; anything else in that domain is GENERAL. libfprint
 * turns an image it finds no minutiae in (a flat or smudged image) into
 * FP_DEVICE_RETRY_GENERAL, so QUALITY cannot be told apart from it. */
enum fp_retry_reason fp_map_retry(const GError *e);
/* True when E is a retry (the touch, not the reader, was the problem). */
bool fp_map_is_retry(const GError *e);
/* The device problem an open or capture error means: NO_ACCESS (no
 * permission: GUsb's PERMISSION_DENIED, G_IO_ERROR_PERMISSION_DENIED),
 * BUSY, GONE_MID_READ (FP_DEVICE_ERROR_REMOVED), TIMEOUT, else PROTOCOL. */
enum device_problem fp_map_problem(const GError *e);
/* Fills DETAIL for the log: for NO_ACCESS it names FP_UDEV_RULES_PATH. */
void fp_map_detail(const GError *e, const char *driver, char *detail, size_t detailsz);

#endif
