/*
 * usb.h - the USB transport: one libusb context joined to the kiosk's
 * event loop, hotplug, and the role drivers (card reader, scanner,
 * printer) that take the devices it finds.
 *
 * Devices are matched by what their interfaces are (class, subclass,
 * protocol), never by a VID:PID list: each role driver's match() looks at
 * the descriptors and names the interface it wants. The transport opens the
 * device, detaches a kernel driver that holds that interface (and gives it
 * back on close), claims it, and hands the role driver a struct usb_dev.
 * Unplug, replug and "start this device over" are handled here, so a role
 * driver is a protocol state machine and nothing else.
 *
 * Every transfer is asynchronous, has a timeout, and completes through a
 * callback on the loop's thread. After a role driver's detach() returns,
 * none of its callbacks or timers run again. Never draws, never touches
 * SQL; errors come back as values and events, and go to the log without
 * personal data.
 */
#ifndef NSER_USB_H
#define NSER_USB_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kiosk/config.h"
#include "../kiosk/device_event.h"
#include "../kiosk/loop.h"

struct usb;     /* the context */
struct usb_dev; /* one opened device, taken by one role driver */

enum usb_status {
    USB_OK = 0,
    USB_TIMEOUT,  /* no answer within the transfer's timeout */
    USB_STALL,    /* the endpoint halted; clear it with usb_dev_clear_halt() */
    USB_GONE,     /* the device was unplugged */
    USB_OVERFLOW, /* the device sent more than was asked for */
    USB_ERROR,    /* anything else (I/O error) */
};

/* DATA/LEN: the bytes read (IN) or sent (OUT); valid only during the call. */
typedef void (*usb_done_cb)(void *ud, enum usb_status st, const uint8_t *data, size_t len);
typedef void (*usb_timer_cb)(void *ud);

/* What a role driver's match() sees of a device. */
struct usb_match_info {
    const struct libusb_device_descriptor *dd;
    const struct libusb_config_descriptor *cfg; /* the active configuration */
    const char *manufacturer;                   /* "" when absent or unreadable */
    const char *product;                        /* "" when absent or unreadable */
    const char *printer_id;    /* IEEE 1284 device ID of a printer interface, or "" */
    const struct config *kcfg; /* the kiosk's settings */
};

/* What each role driver provides (see drivers/roles.h for the three). */
struct usb_role_ops {
    const char *name; /* "card reader": for the log and doctor */
    enum device_role role;
    /*
     * Pure: the interface number this driver takes on the device, or -1.
     * May look at class descriptors in "extra" and at the strings.
     */
    int (*match)(const struct usb_match_info *mi);
    /*
     * DEV is open and ALT's interface claimed. Returns the driver's state,
     * or NULL with a short reason in ERR (then the device is released and
     * reported UNUSABLE/UNSUPPORTED). Must not block; starts its first
     * transfers here.
     */
    void *(*attach)(struct usb_dev *dev, const struct libusb_interface_descriptor *alt, char *err,
                    size_t errsz);
    /*
     * The device was unplugged (GONE true) or is being closed or restarted.
     * Free STATE. In-flight transfers are cancelled by the transport and
     * their callbacks never run. When GONE and the driver was busy (a read
     * or a print under way) it emits DEVICE_GONE with
     * DEVICE_PROBLEM_GONE_MID_READ itself before returning; otherwise the
     * transport emits the plain DEVICE_GONE.
     */
    void (*detach)(void *state, bool gone);
    /* Doctor: a few words on the state ("card present", "paper out"). */
    void (*describe)(const void *state, char *out, size_t outsz);
};

/* Called for every event of every device. */
typedef void (*usb_event_cb)(const struct device_event *ev, void *ud);

/*
 * Starts libusb, joins its descriptors to LOOP, registers hotplug and takes
 * the devices already present. ROLES: an array of N role drivers. CFG is
 * borrowed and must outlive the context. NULL with a reason in ERR when
 * libusb cannot start (the kiosk then runs with typed entry only).
 */
struct usb *usb_new(struct loop *loop, const struct config *cfg,
                    const struct usb_role_ops *const *roles, size_t n, usb_event_cb cb, void *ud,
                    char *err, size_t errsz);
/* NULL when libusb is running; else why not (it keeps trying). */
const char *usb_start_error(const struct usb *u);

/* Detaches every driver (gives kernel drivers back) and closes libusb. */
void usb_free(struct usb *u);

/* The state of the ready device of ROLE (the first one), or NULL. */
void *usb_role_state(struct usb *u, enum device_role role);

/* Doctor: every USB device seen, matched or not. */
struct usb_report_row {
    uint16_t vid, pid;
    uint8_t dev_class; /* device class, or the matched interface's class */
    char where[32];    /* "bus 1 port 1-4" */
    char role[32];     /* role driver's name, or "" when no driver matched */
    char status[96];   /* "ready, card present", "no permission", "busy", ... */
    enum device_problem problem;
};
size_t usb_report(struct usb *u, struct usb_report_row *rows, size_t max);

/* ---- for role drivers ---- */

/*
 * Submits a transfer on endpoint EP (IN when EP & 0x80): OUT sends LEN
 * bytes of DATA (copied); IN reads at most LEN bytes (DATA NULL).
 * INTERRUPT chooses an interrupt transfer over a bulk one. TIMEOUT_MS > 0.
 * CB runs later on the loop's thread, never from inside this call. Returns
 * 0, or -1 when the device is gone or too many transfers are in flight
 * (USB_DEV_MAX_XFERS).
 */
#define USB_DEV_MAX_XFERS 4
int usb_dev_submit(struct usb_dev *d, uint8_t ep, bool interrupt, const uint8_t *data, size_t len,
                   unsigned timeout_ms, usb_done_cb cb, void *ud);
/* Cancels what is in flight on EP; their callbacks never run. */
void usb_dev_cancel(struct usb_dev *d, uint8_t ep);
/* Clears a halted endpoint (a short synchronous control request). 0 or -1. */
int usb_dev_clear_halt(struct usb_dev *d, uint8_t ep);
/*
 * A control request, asynchronous: IN when REQUEST_TYPE & 0x80 (reads at
 * most LEN bytes, DATA NULL), else OUT with LEN bytes of DATA (copied).
 * For class requests INDEX is the interface number.
 */
int usb_dev_control(struct usb_dev *d, uint8_t request_type, uint8_t request, uint16_t value,
                    uint16_t index, const uint8_t *data, uint16_t len, unsigned timeout_ms,
                    usb_done_cb cb, void *ud);

/* One-shot timers, SLOT 0..USB_DEV_TIMERS-1 per device; re-arming replaces. */
#define USB_DEV_TIMERS 4
int usb_dev_timer_set(struct usb_dev *d, int slot, int64_t delay_ms, usb_timer_cb cb, void *ud);
void usb_dev_timer_cancel(struct usb_dev *d, int slot);

/* Hands EV to the kiosk (ROLE is filled in by the transport). */
void usb_dev_emit(struct usb_dev *d, struct device_event *ev);
/*
 * The driver cannot go on with this device (it stopped answering sensibly):
 * after the current callback returns the transport detaches the driver,
 * resets and reopens the device, as if it had been replugged. Emits
 * DEVICE_FAULT with REASON in the detail.
 */
void usb_dev_restart(struct usb_dev *d, const char *reason);

const struct config *usb_dev_config(const struct usb_dev *d);
uint16_t usb_dev_vid(const struct usb_dev *d);
uint16_t usb_dev_pid(const struct usb_dev *d);
/* "08e6:3437 1-4" for the log. */
const char *usb_dev_label(const struct usb_dev *d);

#endif
