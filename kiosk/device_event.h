/*
 * device_event.h - what the centre's USB devices tell the session, as
 * domain events: a CNIC was read (from a card or a scan), a card came or
 * went, a device appeared, vanished or misbehaved, a receipt printed or
 * failed.
 *
 * Drivers fill these in; the flow decides what a screen does with them;
 * main wires the two. Pure types: no I/O. A card reader and a scanner are
 * interchangeable sources of a CNIC: the flow sees only the role that read
 * it. DETAIL is for the log and must never hold a CNIC, a name or a date of
 * birth.
 */
#ifndef NSER_DEVICE_EVENT_H
#define NSER_DEVICE_EVENT_H

#include <stdbool.h>

enum device_role {
    DEVICE_CARD_READER = 0, /* CCID smart-card reader */
    DEVICE_SCANNER,         /* barcode/QR scanner (HID boot keyboard) */
    DEVICE_PRINTER,         /* ESC/POS receipt printer */
    DEVICE_ROLE_COUNT
};

enum device_event_kind {
    DEVICE_READY = 0, /* a device of ROLE was found (at start or plugged in) and works */
    DEVICE_GONE,      /* unplugged; PROBLEM is DEVICE_PROBLEM_GONE_MID_READ if it was busy */
    DEVICE_UNUSABLE,  /* found but cannot be used: PROBLEM says why (access, busy, ...) */
    DEVICE_FAULT,     /* it misbehaved (garbage, stall, timeout) and was reset; still usable */
    CARD_INSERTED,    /* a card is in the reader; reading it */
    CARD_REMOVED,     /* the card was taken out */
    CARD_UNREADABLE,  /* the card could not be read: PROBLEM says why */
    CNIC_READ,        /* CNIC holds a valid number; NAME and DOB when the card has them */
    SCAN_NOT_CNIC,    /* a scan that holds no CNIC */
    PRINT_DONE,       /* the receipt went to the printer */
    PRINT_FAILED,     /* PROBLEM: paper out, cover open, offline, gone, timeout */
};

enum device_problem {
    DEVICE_PROBLEM_NONE = 0,
    DEVICE_PROBLEM_NO_ACCESS,     /* LIBUSB_ERROR_ACCESS: the udev rules are missing */
    DEVICE_PROBLEM_BUSY,          /* another program has claimed it */
    DEVICE_PROBLEM_UNSUPPORTED,   /* a kind of device this kiosk cannot drive */
    DEVICE_PROBLEM_GONE_MID_READ, /* unplugged while reading or printing */
    DEVICE_PROBLEM_TIMEOUT,       /* the device did not answer in time */
    DEVICE_PROBLEM_PROTOCOL,      /* garbage, short, oversized or out-of-order reply */
    DEVICE_PROBLEM_CARD_MUTE,     /* the card gave no usable answer to reset (ATR) */
    DEVICE_PROBLEM_CARD_UNKNOWN,  /* the card has no application/file/tag of the profile */
    DEVICE_PROBLEM_CARD_BAD_CNIC, /* the card's CNIC field is not a valid CNIC */
    DEVICE_PROBLEM_CARD_REMOVED,  /* taken out before it was read */
    DEVICE_PROBLEM_PAPER_OUT,
    DEVICE_PROBLEM_COVER_OPEN,
    DEVICE_PROBLEM_OFFLINE,       /* the printer says it is offline or in error */
    DEVICE_PROBLEM_SCAN_TOO_LONG, /* a scan longer than any payload we accept */
};

#define DEVICE_NAME_MAX   96
#define DEVICE_DETAIL_MAX 128

struct device_event {
    enum device_event_kind kind;
    enum device_role role;
    enum device_problem problem;
    char cnic[14];                  /* CNIC_READ: 13 digits, no dashes */
    char name[DEVICE_NAME_MAX];     /* CNIC_READ from a card: UTF-8 name, or "" */
    char dob[11];                   /* CNIC_READ from a card: "YYYY-MM-DD", or "" */
    char detail[DEVICE_DETAIL_MAX]; /* for the log (VID:PID, reason); never personal data */
    bool at_start; /* DEVICE_READY/UNUSABLE of a device found when the kiosk started */
};

#endif
