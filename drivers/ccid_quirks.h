/*
 * ccid_quirks.h - per-model fixes for CCID readers that do not behave as
 * their descriptors say, keyed by VID:PID.
 *
 * Never used to decide whether a device is a card reader (that is the
 * class descriptor's job): only to bend a named timeout or habit for a
 * model known to need it. Pure table lookup.
 */
#ifndef NSER_CCID_QUIRKS_H
#define NSER_CCID_QUIRKS_H

#include <stdint.h>

#define CCID_QUIRK_NO_INTERRUPT  0x01u /* its interrupt endpoint never reports: poll instead */
#define CCID_QUIRK_NO_SET_PARAMS 0x02u /* refuses SetParameters although it wants them */
#define CCID_QUIRK_POWER_AUTO    0x04u /* power on with "automatic" voltage only */

struct ccid_quirk {
    uint16_t vid, pid;
    unsigned flags;          /* CCID_QUIRK_* */
    unsigned xfr_timeout_ms; /* 0: the driver's default */
    const char *why;         /* for the log: what this model does */
};

/* The quirks of VID:PID, or NULL when the model needs none. */
const struct ccid_quirk *ccid_quirk_find(uint16_t vid, uint16_t pid);

#endif
