/*
 * scanner_vendors.c - the scanner makers' vendor IDs and scanner words.
 *
 * Every ID below was checked against the USB ID Repository (usb.ids,
 * version 2025.07.26, Debian package usb.ids), where its vendor line names
 * the maker given here. Makers the brief named that have no vendor line
 * there (Zebex, The Code Corporation) are not listed: a centre adds such a
 * scanner by VID:PID in the config's scanner_ids, or it is recognised by
 * its product name. Vendor IDs of companies that make keyboards, printers
 * or other HID devices as well (Zebra Technologies 0a5f: label printers;
 * Honeywell, Inc. 10ac: UPS and controls) are left out on purpose.
 */
#include "scanner_vendors.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static const struct {
    uint16_t vid;
    const char *maker; /* as usb.ids names it; for the reader of this table */
} vendors[] = {
    {0x0536, "Hand Held Products (Welch Allyn) - Honeywell"},
    {0x0c2e, "Metrologic Instruments - Honeywell"},
    {0x05e0, "Symbol Technologies - Zebra"},
    {0x05f9, "PSC Scanning - Datalogic"},
    {0x080c, "Datalogic S.p.A."},
    {0x1eab, "Fujian Newland Computer Co., Ltd"},
    {0x065a, "Optoelectronics Co., Ltd - Opticon"},
    {0x067e, "Intermec Technologies Corp. - Honeywell"},
};

static const char *const words[] = {"scan", "barcode", "bar code", "qr", "imager"};

bool scanner_vendor_at(size_t i, uint16_t *vid, const char **maker)
{
    if (i >= sizeof vendors / sizeof vendors[0])
        return false;
    *vid = vendors[i].vid;
    *maker = vendors[i].maker;
    return true;
}

bool scanner_vendor_known(uint16_t vid)
{
    for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++)
        if (vendors[i].vid == vid)
            return true;
    return false;
}

bool scanner_name_matches(const char *text)
{
    if (!text)
        return false;
    char low[128];
    size_t n = 0;
    for (; text[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)text[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i]))
            return true;
    return false;
}
