/*
 * hid_keys.h - turns the 8-byte reports of a USB HID boot keyboard (what a
 * barcode scanner sends) into the characters it typed, for one keyboard
 * layout.
 *
 * Pure: bytes in, characters out; no libusb, no I/O, no logging. A key
 * counts once, in the report where it first appears, never again while it
 * is held. Must never trust a report: other lengths and the keyboard's
 * "too many keys" (rollover) reports are refused with a reason.
 */
#ifndef NSER_HID_KEYS_H
#define NSER_HID_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define HID_REPORT_LEN 8 /* modifiers, reserved, six key codes */
#define HID_KEYS_MAX   6 /* key presses one report can carry */

enum hid_layout { HID_LAYOUT_US = 0, HID_LAYOUT_UK, HID_LAYOUT_DE, HID_LAYOUT_FR };

/* "us", "uk", "de", "fr" (config's scanner_layout). -1 when unknown. */
int hid_layout_from_name(const char *name, enum hid_layout *out);

enum hid_key_kind {
    HID_KEY_CHAR = 0,   /* TEXT holds the character, UTF-8 */
    HID_KEY_TERMINATOR, /* Enter, keypad Enter or Tab: the scan ends */
};

struct hid_key {
    enum hid_key_kind kind;
    char text[5]; /* HID_KEY_CHAR: one character, UTF-8, NUL-terminated */
};

enum hid_result {
    HID_OK = 0,
    HID_BAD_LENGTH, /* not an 8-byte report */
    HID_ROLLOVER,   /* ErrorRollOver / POSTFail / ErrorUndefined: which keys are down is unknown */
};

struct hid_keys;

struct hid_keys *hid_keys_new(enum hid_layout layout);
void hid_keys_free(struct hid_keys *k);

/*
 * Decodes one report of LEN bytes: the keys pressed since the previous
 * report go to KEYS (room for HID_KEYS_MAX) in report order, their count to
 * *N. On anything but HID_OK *N is 0 and the keys held are left as they
 * were. Keys the layout has no character for (arrows, F-keys) are skipped.
 */
enum hid_result hid_keys_decode(struct hid_keys *k, const uint8_t *report, size_t len,
                                struct hid_key *keys, size_t *n);

/* For the log: "report of 5 bytes, not 8" style words, never content. */
const char *hid_result_text(enum hid_result r);

#endif
