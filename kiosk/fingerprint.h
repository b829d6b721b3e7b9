/*
 * fingerprint.h - what a fingerprint reader tells the session, and what the
 * session may ask of it, as domain types: fingers, capture events, and the
 * reader operations main wires in (like struct flow_devices for USB).
 *
 * Pure types and small pure helpers (kiosk/fingerprint.c): no GLib, no
 * libfprint, no I/O. The driver (drivers/fingerprint.c) fills the events;
 * the flow decides what happens. DETAIL is for the log only. A capture's
 * bytes (the serialised print, the image) must never reach a log, a screen,
 * an export or the audit trail.
 */
#ifndef NSER_FINGERPRINT_H
#define NSER_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "device_event.h"

/* Same order as libfprint's FpFinger minus FP_FINGER_UNKNOWN (value - 1). */
enum fp_finger {
    FP_LEFT_THUMB = 0,
    FP_LEFT_INDEX,
    FP_LEFT_MIDDLE,
    FP_LEFT_RING,
    FP_LEFT_LITTLE,
    FP_RIGHT_THUMB,
    FP_RIGHT_INDEX,
    FP_RIGHT_MIDDLE,
    FP_RIGHT_RING,
    FP_RIGHT_LITTLE,
    FP_FINGER_COUNT
};

/* "right_thumb" ...: the config's and the database's name for a finger. */
const char *fp_finger_id(enum fp_finger f);
/* -1 when ID names no finger. */
int fp_finger_parse(const char *id);

enum fp_event_kind {
    FP_READER_READY = 0, /* a reader was found (at start or plugged in) and opened */
    FP_READER_GONE,      /* unplugged; PROBLEM is DEVICE_PROBLEM_GONE_MID_READ if capturing */
    FP_READER_UNUSABLE,  /* found but cannot be used: PROBLEM says why (access, busy) */
    FP_FINGER_NEEDED,    /* the reader waits for a finger: STAGE of STAGES (1-based) */
    FP_STAGE_PASSED,     /* enrolment stage STAGE of STAGES captured */
    FP_RETRY,            /* the last touch was not usable: RETRY says why; stage unchanged */
    FP_TIMED_OUT,        /* no usable touch within the stage timeout; the capture stopped */
    FP_ENROLLED,         /* enrolment finished: CAPTURE holds the print */
    FP_MATCH,            /* verify: the finger matches the stored print */
    FP_NO_MATCH,         /* verify: it does not */
    FP_FAILED,           /* the capture failed: PROBLEM says why (protocol, gone...) */
};

enum fp_retry_reason {
    FP_RETRY_GENERAL = 0, /* "lift and press again" */
    FP_RETRY_TOO_SHORT,   /* swiped too fast / touched too briefly */
    FP_RETRY_CENTER,      /* not centred on the sensor */
    FP_RETRY_REMOVE,      /* lift the finger, then press again */
    FP_RETRY_QUALITY,     /* the image was unusable (no ridges found): clean and press again */
};

/* What an enrolment produced. Owned by whoever holds the pointer;
 * fp_capture_free wipes the bytes before freeing. */
struct fp_capture {
    uint8_t *print; /* libfprint's serialised FpPrint */
    size_t print_len;
    uint8_t *image; /* image readers: an ISO/IEC 19794-4 record (kiosk/finger_image.h); else NULL */
    size_t image_len;
    char driver[32]; /* libfprint driver id, e.g. "virtual_image" */
    enum fp_finger finger;
    int retries;        /* retries during this enrolment */
    time_t captured_at; /* UTC */
};
void fp_capture_free(struct fp_capture *c);

struct fp_event {
    enum fp_event_kind kind;
    int stage;  /* FINGER_NEEDED, STAGE_PASSED: 1-based */
    int stages; /* enrolment stages of this reader (verify: 1) */
    enum fp_retry_reason retry;
    enum device_problem problem;
    /* FP_ENROLLED: the capture. The receiver takes it by setting the
     * pointer to NULL; otherwise the driver frees it after the callback. */
    struct fp_capture *capture;
    char detail[DEVICE_DETAIL_MAX];
};

/* What main wires into the flow so it can use the reader without knowing
 * libfprint. Any member may be NULL (no reader support built or enabled). */
struct fp_reader_ops {
    /* Starts an enrolment of FINGER; 0, or -1 when no reader is ready or it is busy. */
    int (*enroll)(void *ud, enum fp_finger finger);
    /* Starts a verify against PRINT (a serialised print, borrowed for the
     * call only); 0, or -1 as above, or when PRINT cannot be loaded. */
    int (*verify)(void *ud, const uint8_t *print, size_t len);
    /* Stops whatever capture is running; no event follows it. */
    void (*cancel)(void *ud);
    /* A reader is plugged in, opened and idle or capturing. */
    bool (*present)(void *ud);
    void *ud;
};

#endif
