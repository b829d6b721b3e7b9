/*
 * scanner.c - the barcode/QR scanner role: a HID boot keyboard that is
 * known to be a scanner, read through one interrupt IN transfer kept in
 * flight, its keys assembled into scans, and each scan turned into
 * CNIC_READ or SCAN_NOT_CNIC.
 *
 * Must never take a real keyboard from the kiosk: a boot keyboard is
 * matched only when its VID:PID is in the config's scanner_ids, its vendor
 * makes scanners, or its name says it is one. Must never log what was
 * scanned (it may be a CNIC): lengths and reasons only. Memory is fixed
 * at attach; a flood of reports is read at most REPORTS_PER_S a second.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/log.h"
#include "../kiosk/loop.h"
#include "hid_keys.h"
#include "roles.h"
#include "scan_assembler.h"
#include "scanner_vendors.h"

#define HID_CLASS          0x03
#define HID_SUBCLASS_BOOT  0x01
#define HID_PROTOCOL_KEYBD 0x01
#define HID_SET_IDLE       0x0A
#define HID_SET_PROTOCOL   0x0B
#define REQ_CLASS_IFACE    0x21 /* host to device, class, interface */

#define CONTROL_TIMEOUT_MS 1000
#define READ_TIMEOUT_MS    60000 /* nothing typed for a minute: just ask again */
#define TIMER_GAP          0     /* the quiet gap that ends a scan */
#define TIMER_RESUME       1     /* reading again after a flood pause */

/* More reports than a full-speed keyboard's 1 ms interval allows is not
 * typing: reading pauses for the rest of that second. */
#define REPORTS_PER_S 1000
#define SCANS_PER_S   10 /* events beyond this in a second are dropped */
#define BAD_LOG_MAX   5  /* bad reports logged one by one, then counted */
#define STALLS_MAX    3  /* in a row, before the device is restarted */

struct scanner {
    struct usb_dev *dev;
    int iface;
    uint8_t ep;
    struct hid_keys *keys;
    struct scan_assembler *sa;
    struct scan_pattern *pattern;
    char regions[16];  /* config's cnic_regions */
    int64_t window_ms; /* start of the current one-second window */
    unsigned reports;  /* in the window */
    unsigned scans;    /* events in the window */
    bool paused;       /* flood: reading waits for TIMER_RESUME */
    int64_t paused_at; /* when reading paused */
    int64_t paused_ms; /* all pauses so far: taken off the scan clock */
    unsigned bad;      /* bad reports since attach */
    unsigned stalls;   /* in a row */
    unsigned scans_total;
};

static bool is_boot_keyboard(const struct libusb_interface_descriptor *alt)
{
    return alt->bInterfaceClass == HID_CLASS && alt->bInterfaceSubClass == HID_SUBCLASS_BOOT &&
           alt->bInterfaceProtocol == HID_PROTOCOL_KEYBD;
}

static const struct libusb_endpoint_descriptor *
interrupt_in(const struct libusb_interface_descriptor *alt)
{
    for (int e = 0; e < alt->bNumEndpoints; e++) {
        const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
        if ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
            (ep->bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_INTERRUPT)
            return ep;
    }
    return NULL;
}

static bool is_scanner(const struct usb_match_info *mi)
{
    return (mi->kcfg &&
            config_id_listed(mi->kcfg->scanner_ids, mi->dd->idVendor, mi->dd->idProduct)) ||
           scanner_vendor_known(mi->dd->idVendor) || scanner_name_matches(mi->product) ||
           scanner_name_matches(mi->manufacturer);
}

static int scanner_match(const struct usb_match_info *mi)
{
    if (!mi->cfg || !is_scanner(mi))
        return -1;
    for (int i = 0; i < mi->cfg->bNumInterfaces; i++) {
        const struct libusb_interface *in = &mi->cfg->interface[i];
        if (in->num_altsetting < 1)
            continue;
        const struct libusb_interface_descriptor *alt = &in->altsetting[0];
        if (is_boot_keyboard(alt) && interrupt_in(alt))
            return alt->bInterfaceNumber;
    }
    return -1;
}

static void read_next(struct scanner *s);

/* The clock scans are timed by: a pause of ours is not a quiet gap of
 * the scanner's, so it is left out. */
static int64_t scan_clock(const struct scanner *s)
{
    return loop_now_ms() - s->paused_ms;
}

static void emit_scan(struct scanner *s, const char *text, size_t len)
{
    int64_t now = loop_now_ms();
    if (now - s->window_ms >= 1000) {
        s->window_ms = now;
        s->reports = 0;
        s->scans = 0;
    }
    if (++s->scans > SCANS_PER_S) {
        if (s->scans == SCANS_PER_S + 1)
            log_msg(LOG_WARN, "scanner %s: more than %d scans a second; dropping",
                    usb_dev_label(s->dev), SCANS_PER_S);
        return;
    }
    struct device_event ev = {.kind = SCAN_NOT_CNIC};
    struct cnic c;
    s->scans_total++;
    if (scan_find_cnic(s->pattern, text, len, s->regions, &c) == 0) {
        ev.kind = CNIC_READ;
        snprintf(ev.cnic, sizeof ev.cnic, "%s", c.digits);
        log_msg(LOG_INFO, "scanner %s: scan of %zu bytes holds a CNIC", usb_dev_label(s->dev), len);
    } else {
        log_msg(LOG_INFO, "scanner %s: scan of %zu bytes holds no CNIC", usb_dev_label(s->dev),
                len);
    }
    snprintf(ev.detail, sizeof ev.detail, "scan of %zu bytes", len);
    usb_dev_emit(s->dev, &ev);
}

static void handle_result(struct scanner *s, enum scan_result r)
{
    if (r == SCAN_COMPLETE) {
        size_t len;
        const char *text = scan_assembler_text(s->sa, &len);
        emit_scan(s, text, len);
    } else if (r == SCAN_TOO_LONG) {
        log_msg(LOG_WARN, "scanner %s: scan longer than %d bytes dropped", usb_dev_label(s->dev),
                SCAN_PAYLOAD_MAX);
        struct device_event ev = {.kind = SCAN_NOT_CNIC, .problem = DEVICE_PROBLEM_SCAN_TOO_LONG};
        snprintf(ev.detail, sizeof ev.detail, "scan longer than %d bytes", SCAN_PAYLOAD_MAX);
        usb_dev_emit(s->dev, &ev);
    }
}

static void on_gap(void *ud)
{
    struct scanner *s = ud;
    if (s->paused)
        return; /* on_resume starts the gap again */
    handle_result(s, scan_assembler_tick(s->sa, scan_clock(s)));
    int64_t due = scan_assembler_deadline(s->sa);
    if (due >= 0)
        usb_dev_timer_set(s->dev, TIMER_GAP, due - scan_clock(s), on_gap, s);
}

static void bad_report(struct scanner *s, const char *why, size_t len)
{
    s->bad++;
    if (s->bad <= BAD_LOG_MAX)
        log_msg(LOG_WARN, "scanner %s: report of %zu bytes ignored: %s", usb_dev_label(s->dev), len,
                why);
    else if (s->bad % 1000 == 0)
        log_msg(LOG_WARN, "scanner %s: %u bad reports so far", usb_dev_label(s->dev), s->bad);
}

static void take_report(struct scanner *s, const uint8_t *data, size_t len)
{
    struct hid_key keys[HID_KEYS_MAX];
    size_t n = 0;
    enum hid_result r = hid_keys_decode(s->keys, data, len, keys, &n);
    if (r != HID_OK) {
        bad_report(s, hid_result_text(r), len);
        return;
    }
    int64_t now = scan_clock(s);
    for (size_t i = 0; i < n; i++)
        handle_result(s, scan_assembler_key(s->sa, &keys[i], now));
    int64_t due = scan_assembler_deadline(s->sa);
    if (due >= 0)
        usb_dev_timer_set(s->dev, TIMER_GAP, due - now, on_gap, s);
    else
        usb_dev_timer_cancel(s->dev, TIMER_GAP);
}

static void on_resume(void *ud)
{
    struct scanner *s = ud;
    s->paused = false;
    s->window_ms = loop_now_ms();
    s->paused_ms += s->window_ms - s->paused_at;
    s->reports = 0;
    int64_t due = scan_assembler_deadline(s->sa);
    if (due >= 0)
        usb_dev_timer_set(s->dev, TIMER_GAP, due - scan_clock(s), on_gap, s);
    read_next(s);
}

/* True when this report is one too many for the second: reading pauses. */
static bool flooding(struct scanner *s)
{
    int64_t now = loop_now_ms();
    if (now - s->window_ms >= 1000) {
        s->window_ms = now;
        s->reports = 0;
        s->scans = 0;
    }
    if (++s->reports <= REPORTS_PER_S)
        return false;
    log_msg(LOG_WARN, "scanner %s: report flood (over %d a second); reading paused",
            usb_dev_label(s->dev), REPORTS_PER_S);
    s->paused = true;
    s->paused_at = now;
    usb_dev_timer_cancel(s->dev, TIMER_GAP);
    usb_dev_timer_set(s->dev, TIMER_RESUME, s->window_ms + 1000 - now, on_resume, s);
    return true;
}

static void on_report(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct scanner *s = ud;
    switch (st) {
    case USB_OK:
        s->stalls = 0;
        take_report(s, data, len);
        if (flooding(s))
            return;
        break;
    case USB_TIMEOUT: /* nobody scanned anything: ask again */
        break;
    case USB_OVERFLOW:
        bad_report(s, "longer than 8 bytes", len);
        break;
    case USB_STALL:
        if (++s->stalls > STALLS_MAX) {
            usb_dev_restart(s->dev, "interrupt endpoint keeps stalling");
            return;
        }
        log_msg(LOG_WARN, "scanner %s: endpoint stalled; clearing", usb_dev_label(s->dev));
        if (usb_dev_clear_halt(s->dev, s->ep) != 0) {
            usb_dev_restart(s->dev, "cannot clear a stall");
            return;
        }
        break;
    case USB_GONE: /* detach() follows */
        return;
    case USB_ERROR:
        usb_dev_restart(s->dev, "read error");
        return;
    }
    read_next(s);
}

static void read_next(struct scanner *s)
{
    if (s->paused)
        return;
    if (usb_dev_submit(s->dev, s->ep, true, NULL, HID_REPORT_LEN, READ_TIMEOUT_MS, on_report, s) !=
        0)
        usb_dev_restart(s->dev, "cannot submit a read");
}

/* SET_PROTOCOL (boot) and SET_IDLE (0: report only on change) are asked
 * one after the other, then reading starts; a scanner that refuses either
 * (a stall) or ignores it is read all the same. */
static void on_set_idle(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct scanner *s = ud;
    (void)data;
    (void)len;
    if (st == USB_GONE)
        return;
    if (st != USB_OK)
        log_msg(LOG_INFO, "scanner %s: SET_IDLE not taken (%d); reading anyway",
                usb_dev_label(s->dev), (int)st);
    read_next(s);
}

static void on_set_protocol(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct scanner *s = ud;
    (void)data;
    (void)len;
    if (st == USB_GONE)
        return;
    if (st != USB_OK)
        log_msg(LOG_INFO, "scanner %s: SET_PROTOCOL not taken (%d)", usb_dev_label(s->dev),
                (int)st);
    if (usb_dev_control(s->dev, REQ_CLASS_IFACE, HID_SET_IDLE, 0, (uint16_t)s->iface, NULL, 0,
                        CONTROL_TIMEOUT_MS, on_set_idle, s) != 0)
        read_next(s);
}

static void scanner_free(struct scanner *s)
{
    if (!s)
        return;
    hid_keys_free(s->keys);
    scan_assembler_free(s->sa);
    scan_pattern_free(s->pattern);
    free(s);
}

static void *scanner_attach(struct usb_dev *dev, const struct libusb_interface_descriptor *alt,
                            char *err, size_t errsz)
{
    const struct libusb_endpoint_descriptor *ep = interrupt_in(alt);
    if (!ep) {
        snprintf(err, errsz, "no interrupt IN endpoint");
        return NULL;
    }
    const struct config *cfg = usb_dev_config(dev);
    enum hid_layout layout = HID_LAYOUT_US;
    if (hid_layout_from_name(cfg->scanner_layout, &layout) != 0)
        log_msg(LOG_WARN, "scanner: layout %s unknown; using us", cfg->scanner_layout);
    struct scanner *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    char why[160] = "";
    s->dev = dev;
    s->iface = alt->bInterfaceNumber;
    s->ep = ep->bEndpointAddress;
    s->keys = hid_keys_new(layout);
    s->sa = scan_assembler_new(cfg->scan_gap_ms > 0 ? cfg->scan_gap_ms : 150);
    s->pattern = scan_pattern_new(cfg->scan_pattern, why, sizeof why);
    if (!s->pattern) {
        /* config_load refuses a bad pattern; this is the embedded default
         * or a struct filled in some other way. */
        log_msg(LOG_WARN, "scanner: scan_pattern %s; using the default", why);
        s->pattern = scan_pattern_new(NULL, why, sizeof why);
    }
    snprintf(s->regions, sizeof s->regions, "%s", cfg->cnic_regions);
    if (!s->keys || !s->sa || !s->pattern) {
        scanner_free(s);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    s->window_ms = loop_now_ms();
    if (usb_dev_control(dev, REQ_CLASS_IFACE, HID_SET_PROTOCOL, 0, (uint16_t)s->iface, NULL, 0,
                        CONTROL_TIMEOUT_MS, on_set_protocol, s) != 0 &&
        usb_dev_submit(dev, s->ep, true, NULL, HID_REPORT_LEN, READ_TIMEOUT_MS, on_report, s) !=
            0) {
        scanner_free(s);
        snprintf(err, errsz, "cannot start reading");
        return NULL;
    }
    return s;
}

static void scanner_detach(void *state, bool gone)
{
    struct scanner *s = state;
    if (gone && scan_assembler_busy(s->sa)) {
        struct device_event ev = {.kind = DEVICE_GONE, .problem = DEVICE_PROBLEM_GONE_MID_READ};
        snprintf(ev.detail, sizeof ev.detail, "unplugged during a scan");
        usb_dev_emit(s->dev, &ev);
    }
    log_msg(LOG_INFO, "scanner %s: %s after %u scans, %u bad reports", usb_dev_label(s->dev),
            gone ? "unplugged" : "closed", s->scans_total, s->bad);
    scanner_free(s);
}

static void scanner_describe(const void *state, char *out, size_t outsz)
{
    const struct scanner *s = state;
    if (s->paused)
        snprintf(out, outsz, "ready, too many reports (paused)");
    else if (scan_assembler_busy(s->sa))
        snprintf(out, outsz, "ready, reading a scan");
    else
        snprintf(out, outsz, "ready");
}

const struct usb_role_ops scanner_role = {
    .name = "barcode scanner",
    .role = DEVICE_SCANNER,
    .match = scanner_match,
    .attach = scanner_attach,
    .detach = scanner_detach,
    .describe = scanner_describe,
};
