/*
 * config.h - the kiosk's configuration file (key = value lines).
 *
 * A plain struct of values with defaults for everything, so a machine with
 * no file still runs (the embedded default under ./var/). A bad file is
 * refused with its line number and the reason: a kiosk must not run with a
 * setting it misread. Never draws; never prints: errors come back as text.
 */
#ifndef NSER_CONFIG_H
#define NSER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "card_profile.h"
#include "scan_payload.h"
#include "tracking.h"

#define CONFIG_TEXT_MAX 96
#define CONFIG_PATH_MAX 512

struct config {
    char kiosk_code[TRACKING_KIOSK_DIGITS + 1]; /* part of every tracking ID */
    char centre_name[CONFIG_TEXT_MAX];
    char language[16];     /* language the kiosk starts in and returns to */
    int idle_timeout_s;    /* session wiped after this long without a key */
    char cnic_regions[11]; /* accepted first digits of a CNIC */
    char helpline[32];
    char sms_number[16];
    char log_file[CONFIG_PATH_MAX]; /* "" = no log */
    char mode[16];                  /* "applicant" or "clerk" */
    bool clerk_mode;                /* mode is "clerk" */
    int draft_retention_hours;      /* unfinished surveys are wiped after this */
    /* Data files; "" = the ones shipped in the data folder. */
    char questionnaire[CONFIG_PATH_MAX];
    char scorecard[CONFIG_PATH_MAX];
    char thresholds[CONFIG_PATH_MAX];
    /* USB devices (drivers/). */
    char usb[4];                         /* "on" or "off" */
    bool usb_enabled;                    /* usb is "on" */
    char scanner_layout[8];              /* keyboard layout the scanner types in */
    char scanner_ids[CONFIG_TEXT_MAX];   /* "vvvv:pppp,..." also taken as scanners */
    char printer_ids[CONFIG_TEXT_MAX];   /* "vvvv:pppp,..." taken as ESC/POS printers */
    char scan_pattern[SCAN_PATTERN_MAX]; /* "" = scan_pattern_default() */
    int scan_gap_ms;                     /* a pause this long ends a scan */
    int printer_columns;                 /* characters per receipt line */
    struct card_profile card;            /* where the card keeps the CNIC */
    /* Sync (docs/sync.md). */
    char key_dir[CONFIG_PATH_MAX];      /* the kiosk's keys and the registry's public key */
    char sync_out_dir[CONFIG_PATH_MAX]; /* where the sync screen writes batches */
    char sync_in_dir[CONFIG_PATH_MAX];  /* where it reads acknowledgements */
    int sync_batch_max;                 /* records per batch */
    int freeze_after_days; /* no new registrations past this unacknowledged age; 0 never */
    /* Accounts, kiosk mode, privacy. */
    char login_key[8];               /* the key that opens the log-in screen: F1-F12 */
    int clerk_idle_timeout_s;        /* a clerk is logged out after this long idle */
    int acknowledged_retention_days; /* acknowledged households are trimmed after this */
    /* Fingerprints (docs/fingerprints.md). */
    char fingerprint[4]; /* "on" or "off" */
    bool fp_enabled;     /* fingerprint is "on" */
    int fp_fingers[10];  /* enum fp_finger, in order of preference */
    int fp_finger_count;
    char fp_fingers_text[CONFIG_TEXT_MAX]; /* as written: "right_thumb, right_index" */
    int fp_stage_timeout_s;                /* a capture stage gives up after this */
    int fp_verify_attempts;                /* failed matches before the clerk decides */
    /* Applicants who read little (docs/accessibility.md). */
    char voice[4]; /* "on" or "off": spoken prompts */
    bool voice_enabled;
    char voice_dir[CONFIG_PATH_MAX]; /* recorded prompts; "" = data/voice */
    char colours[16];                /* "normal" or "high_contrast" */
    bool high_contrast;
};

/* True when VID:PID is in LIST ("vvvv:pppp, ...", as scanner_ids and
 * printer_ids hold it). */
bool config_id_listed(const char *list, unsigned vid, unsigned pid);

/* Keyboard layouts a scanner may be set to type in. */
#define CONFIG_SCANNER_LAYOUTS "us, uk, de, fr"

void config_defaults(struct config *cfg);

/*
 * Reads PATH over the defaults already in CFG. Returns 0, or -1 with a
 * message such as "line 4: idle_timeout must be a whole number of seconds
 * from 10 to 3600" in ERR.
 */
int config_load(const char *path, struct config *cfg, char *err, size_t errsz);

/* As config_load, from an open stream; NAME is used in messages. */
int config_load_stream(FILE *f, const char *name, struct config *cfg, char *err, size_t errsz);

/* Writes the default configuration, with comments, to PATH (mode 0600). */
int config_write_default(const char *path, char *err, size_t errsz);

#endif
