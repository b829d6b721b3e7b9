/*
 * fp_map.c - libfprint's and GUsb's errors as kiosk fingerprint events.
 *
 * Matches domains and codes, never message text (messages change between
 * libfprint releases and languages). GUsb's header is not installed with
 * libfprint's, so its domain is found by its registered name and its codes
 * are GUsb's stable enum values. Must never log or keep anything.
 */
#include "fp_map.h"

#include <fprint.h>
#include <gio/gio.h>
#include <stdio.h>

/* GUsbDeviceError (gusb-device.h): stable since GUsb 0.2. */
#define GUSB_ERROR_TIMED_OUT         2
#define GUSB_ERROR_NO_DEVICE         4
#define GUSB_ERROR_PERMISSION_DENIED 9
#define GUSB_ERROR_BUSY              10

static bool gusb_error(const GError *e, int code)
{
    return e && e->domain == g_quark_from_static_string("g-usb-device-error-quark") &&
           e->code == code;
}

bool fp_map_is_retry(const GError *e)
{
    return e && e->domain == FP_DEVICE_RETRY;
}

enum fp_retry_reason fp_map_retry(const GError *e)
{
    if (g_error_matches(e, FP_DEVICE_RETRY, FP_DEVICE_RETRY_TOO_SHORT))
        return FP_RETRY_TOO_SHORT;
    if (g_error_matches(e, FP_DEVICE_RETRY, FP_DEVICE_RETRY_CENTER_FINGER))
        return FP_RETRY_CENTER;
    if (g_error_matches(e, FP_DEVICE_RETRY, FP_DEVICE_RETRY_REMOVE_FINGER))
        return FP_RETRY_REMOVE;
    return FP_RETRY_GENERAL;
}

enum device_problem fp_map_problem(const GError *e)
{
    if (!e)
        return DEVICE_PROBLEM_NONE;
    if (gusb_error(e, GUSB_ERROR_PERMISSION_DENIED) ||
        g_error_matches(e, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        return DEVICE_PROBLEM_NO_ACCESS;
    if (gusb_error(e, GUSB_ERROR_BUSY) || g_error_matches(e, G_IO_ERROR, G_IO_ERROR_BUSY) ||
        g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_BUSY) ||
        g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_ALREADY_OPEN))
        return DEVICE_PROBLEM_BUSY;
    if (gusb_error(e, GUSB_ERROR_NO_DEVICE) ||
        g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED))
        return DEVICE_PROBLEM_GONE_MID_READ;
    if (gusb_error(e, GUSB_ERROR_TIMED_OUT) || g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        return DEVICE_PROBLEM_TIMEOUT;
    if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_NOT_SUPPORTED))
        return DEVICE_PROBLEM_UNSUPPORTED;
    return DEVICE_PROBLEM_PROTOCOL;
}

void fp_map_detail(const GError *e, const char *driver, char *detail, size_t detailsz)
{
    const char *drv = driver ? driver : "?";
    if (fp_map_problem(e) == DEVICE_PROBLEM_NO_ACCESS)
        snprintf(detail, detailsz, "%s: no permission; install %s", drv, FP_UDEV_RULES_PATH);
    else
        snprintf(detail, detailsz, "%s: %s", drv, e && e->message ? e->message : "error");
}
