/*
 * doctor_cmd.h - `nser-kiosk doctor`: what USB devices the kiosk sees and
 * whether it can use them, in words a centre manager can act on.
 *
 *   nser-kiosk doctor [--config PATH]
 *   nser-kiosk doctor --udev-rules
 *   nser-kiosk doctor --fingerprint-udev-rules [HWDB]
 *
 * Lists every USB device (VID:PID, class, where, the role the kiosk gives
 * it, its status: ready / no permission / busy / card present / paper
 * out), then what to do about each problem. --udev-rules prints the udev
 * rules that let an unprivileged kiosk user open the devices (the file
 * shipped as data/udev/70-nser-kiosk.rules). Exit status 0 when every
 * device the kiosk would use is ready (or none is plugged in), 1 when one
 * is not or USB cannot be used. Then the fingerprint readers libfprint
 * finds (driver, name, scan type, enrolment stages, ready / busy / no
 * permission) and what to do. Writes only to OUT; never draws.
 */
#ifndef NSER_DOCTOR_CMD_H
#define NSER_DOCTOR_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

#define UDEV_RULES_PATH "/etc/udev/rules.d/70-nser-kiosk.rules"

int doctor_command(const struct config *cfg, FILE *out);
void doctor_udev_rules(FILE *out);
/* The fingerprint readers' rules (71-nser-kiosk-fingerprint.rules) from
 * libfprint's hwdb at HWDB_PATH, or the installed one when NULL. 0, or 1
 * with a message on ERROUT. */
struct fp_reader_row;
/* What to do about one fingerprint reader that is not ready; for NO_ACCESS
 * it names the rules file. Nothing for a ready one. */
void doctor_fp_advice(FILE *out, const struct fp_reader_row *r);
int doctor_fp_udev_rules(const char *hwdb_path, FILE *out, FILE *errout);

#endif
