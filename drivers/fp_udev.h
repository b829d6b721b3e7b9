/*
 * fp_udev.h - udev rules for fingerprint readers, made from the hwdb that
 * Debian's libfprint ships (60-autosuspend-libfprint-2.hwdb lists every
 * VID:PID a libfprint driver supports).
 *
 * Pure text in, text out: the hwdb is outside input, read line by line with
 * bounds; a malformed line is skipped, never trusted. Never opens devices.
 */
#ifndef NSER_FP_UDEV_H
#define NSER_FP_UDEV_H

#include <stdio.h>

/* Where Debian 12 installs the hwdb; newer releases use /usr/lib. */
#define FP_HWDB_PATH     "/lib/udev/hwdb.d/60-autosuspend-libfprint-2.hwdb"
#define FP_HWDB_PATH_USR "/usr/lib/udev/hwdb.d/60-autosuspend-libfprint-2.hwdb"

/* Writes to OUT one rule per supported VID:PID in HWDB (sections headed
 * "# Supported by libfprint driver NAME"; the "Known unsupported devices"
 * section is left out), giving the group nser-kiosk access. Returns the
 * number of rules, or -1 when HWDB cannot be read. */
int fp_udev_rules(FILE *hwdb, FILE *out);

#endif
