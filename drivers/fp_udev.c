/*
 * fp_udev.c - fingerprint readers' udev rules from libfprint's hwdb.
 *
 * The hwdb's lines are "usb:vVVVVpPPPP*" under a comment naming the driver.
 * Only exact four-hex-digit IDs become rules; a driver name goes into a
 * comment only after it is checked to be a plain identifier (a comment
 * line must not carry anything udev could read as a rule). Must never
 * trust a line's length or content.
 */
#include "fp_udev.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static const char supported[] = "# Supported by libfprint driver ";

static bool hex4(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

int fp_udev_rules(FILE *hwdb, FILE *out)
{
    if (!hwdb)
        return -1;
    fprintf(out,
            "# 71-nser-kiosk-fingerprint.rules - written by `nser-kiosk doctor\n"
            "# --fingerprint-udev-rules` from libfprint's hwdb; do not edit.\n"
            "# Lets members of the group nser-kiosk open the fingerprint readers\n"
            "# libfprint supports. Install as /etc/udev/rules.d/71-nser-kiosk-fingerprint.rules,\n"
            "# then: udevadm control --reload && udevadm trigger\n");
    char line[256];
    bool in_supported = false, skipping = false;
    int rules = 0;
    while (fgets(line, sizeof line, hwdb)) {
        size_t n = strlen(line);
        bool whole = n > 0 && line[n - 1] == '\n';
        if (skipping) { /* the rest of an over-long line */
            skipping = !whole;
            continue;
        }
        if (!whole && !feof(hwdb)) {
            skipping = true;
            continue;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (line[0] == '#') {
            if (strncmp(line, supported, sizeof supported - 1) == 0) {
                const char *name = line + sizeof supported - 1;
                in_supported = true;
                fprintf(out, "\n# %.40s\n", plain_name(name) ? name : "?");
            } else if (strncmp(line, "# Known unsupported", 19) == 0) {
                in_supported = false;
            }
            continue;
        }
        /* usb:vVVVVpPPPP* exactly */
        if (!in_supported || n != 15 || strncmp(line, "usb:v", 5) != 0 || line[9] != 'p' ||
            line[14] != '*' || !hex4(line + 5) || !hex4(line + 10))
            continue;
        char vid[5], pid[5];
        for (int i = 0; i < 4; i++) {
            vid[i] = (char)tolower((unsigned char)line[5 + i]);
            pid[i] = (char)tolower((unsigned char)line[10 + i]);
        }
        vid[4] = pid[4] = '\0';
        fprintf(out,
                "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"%s\", "
                "ATTR{idProduct}==\"%s\", MODE=\"0660\", GROUP=\"nser-kiosk\"\n",
                vid, pid);
        rules++;
    }
    return rules;
}
