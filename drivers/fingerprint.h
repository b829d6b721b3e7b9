/*
 * fingerprint.h - the fingerprint reader driver: libfprint-2 on the kiosk's
 * one event loop, raising kiosk/fingerprint.h events.
 *
 * One reader at a time (the first usable one libfprint finds); hotplug
 * through FpContext's device-added/removed. Everything is asynchronous:
 * nothing here may block the loop (the one exception: enumerating readers
 * when the driver starts or rescans, which libfprint does in one short
 * pass). Never touches ncurses or SQL; never logs a print or an image.
 */
#ifndef NSER_DRIVERS_FINGERPRINT_H
#define NSER_DRIVERS_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/config.h"
#include "kiosk/fingerprint.h"

struct loop;
struct fp_driver;

typedef void (*fp_event_cb)(struct fp_event *ev, void *ud);

/* Starts the driver on LOOP: joins GLib's main context to it, finds the
 * readers and opens the first (READY or UNUSABLE follows through CB).
 * CFG is read now (fp_enabled, fp_stage_timeout_s) and not kept. With
 * fingerprints off (cfg->fp_enabled false) no libfprint context is made at
 * all and every op returns -1. NULL with a reason in ERR on failure. */
struct fp_driver *fp_driver_new(struct loop *loop, const struct config *cfg, fp_event_cb cb,
                                void *ud, char *err, size_t errsz);
/* Cancels any capture (no event follows), closes the reader. NULL is fine. */
void fp_driver_free(struct fp_driver *d);

/* Fills the ops the flow uses (kiosk/fingerprint.h struct fp_reader_ops).
 * enroll / verify with no reader ready return -1; when no reader is known
 * at all they also start a rescan (at most every few seconds), so a reader
 * that comes back is found without a restart: READY follows. */
void fp_driver_ops(struct fp_driver *d, struct fp_reader_ops *out);

/* Looks for readers again with a fresh libfprint context, when none is
 * present: for readers that announce no hotplug (libfprint's virtual ones,
 * a USB stack without hotplug events). 0 when a rescan ran, -1 when a
 * reader is present or fingerprints are off. */
int fp_driver_rescan(struct fp_driver *d);

/* For doctor: one row per reader libfprint found. */
enum fp_reader_state {
    FP_READER_STATE_READY = 0, /* opened, idle */
    FP_READER_STATE_BUSY,      /* capturing, or another program holds it */
    FP_READER_STATE_NO_ACCESS, /* the udev rules are missing (FP_UDEV_RULES_PATH) */
    FP_READER_STATE_OPENING,   /* still being opened */
    FP_READER_STATE_FAILED,    /* could not be opened: DETAIL says why */
};
struct fp_reader_row {
    char driver[32];   /* libfprint driver id, "virtual_image" */
    char name[96];     /* the model, as libfprint names it */
    char scan_type[8]; /* "press" or "swipe" */
    int stages;        /* enrolment stages */
    enum fp_reader_state state;
    char detail[128]; /* for the report: the error text libfprint gave */
};
/* Copies up to MAX rows into OUT; returns how many readers there are. */
size_t fp_driver_report(struct fp_driver *d, struct fp_reader_row *out, size_t max);

#endif
