/*
 * doctor_cmd.c - `nser-kiosk doctor`: start the USB side exactly as the
 * kiosk does, give the drivers a moment to look at their devices, and
 * report what they found.
 *
 * It runs the real drivers on a private event loop, so what it says is
 * what the kiosk would see. Must never draw or write anything but its
 * report; never prints a CNIC or name (drivers put none in their events).
 */
#include "doctor_cmd.h"

#include <libusb.h>
#include <string.h>

#include "../drivers/fingerprint.h"
#include "../drivers/fp_map.h"
#include "../drivers/fp_udev.h"
#include "../drivers/roles.h"
#include "../drivers/scanner_vendors.h"
#include "../drivers/usb.h"
#include "i18n.h"
#include "loop.h"

#define DOCTOR_SETTLE_MS 1500 /* enough for a reader to report its slot */
#define DOCTOR_TIMER     150
#define DOCTOR_MAX_ROWS  32

static void on_settled(void *ud)
{
    loop_quit(ud);
}

static void on_event(const struct device_event *ev, void *ud)
{
    (void)ev;
    (void)ud; /* the report reads the state the events left behind */
}

static const char *class_name(uint8_t c)
{
    switch (c) {
    case LIBUSB_CLASS_SMART_CARD:
        return "smart card";
    case LIBUSB_CLASS_HID:
        return "HID";
    case LIBUSB_CLASS_PRINTER:
        return "printer";
    case LIBUSB_CLASS_HUB:
        return "hub";
    case LIBUSB_CLASS_MASS_STORAGE:
        return "storage";
    case LIBUSB_CLASS_VENDOR_SPEC:
        return "vendor";
    case LIBUSB_CLASS_PER_INTERFACE:
        return "per interface";
    default:
        return "other";
    }
}

static void advice(FILE *out, const struct usb_report_row *r)
{
    switch (r->problem) {
    case DEVICE_PROBLEM_NO_ACCESS:
        fprintf(out,
                _("  %04x:%04x (%s): no permission. Install the udev rules as %s\n"
                  "    (nser-kiosk doctor --udev-rules > %s), make sure the kiosk's user is\n"
                  "    in the group they name, then unplug the device and plug it in again.\n"),
                r->vid, r->pid, r->role, UDEV_RULES_PATH, UDEV_RULES_PATH);
        break;
    case DEVICE_PROBLEM_BUSY:
        if (strstr(r->role, "card"))
            fprintf(out,
                    _("  %04x:%04x (%s): busy: another program holds it, usually pcscd. Stop\n"
                      "    and disable it (systemctl disable --now pcscd.socket pcscd), then\n"
                      "    plug the reader in again.\n"),
                    r->vid, r->pid, r->role);
        else
            fprintf(out,
                    _("  %04x:%04x (%s): busy: another program or a kernel driver holds it\n"
                      "    and would not let go. Close other programs using it, then plug it\n"
                      "    in again.\n"),
                    r->vid, r->pid, r->role);
        break;
    case DEVICE_PROBLEM_UNSUPPORTED:
        fprintf(out,
                _("  %04x:%04x (%s): the kiosk cannot drive this model; see docs/devices.md\n"
                  "    for what is supported and what to report.\n"),
                r->vid, r->pid, r->role);
        break;
    default:
        break;
    }
}

static int doctor_usb(const struct config *cfg, FILE *out)
{
    if (!cfg->usb_enabled) {
        fprintf(out, _("USB devices are switched off in the configuration (usb = off).\n"));
        return 0;
    }
    struct loop *loop = loop_new();
    if (!loop) {
        fprintf(out, _("out of memory\n"));
        return 1;
    }
    static const struct usb_role_ops *const roles[] = {&card_reader_role, &scanner_role,
                                                       &printer_role};
    char err[160];
    struct usb *u =
        usb_new(loop, cfg, roles, sizeof roles / sizeof roles[0], on_event, NULL, err, sizeof err);
    if (!u) {
        fprintf(out, _("USB cannot be used: %s\n"), err);
        loop_free(loop);
        return 1;
    }
    if (usb_start_error(u)) {
        fprintf(out,
                _("USB cannot be used: %s.\n"
                  "Is this a machine with USB, and is /dev/bus/usb there?\n"),
                usb_start_error(u));
        usb_free(u);
        loop_free(loop);
        return 1;
    }
    loop_timer_set(loop, DOCTOR_TIMER, DOCTOR_SETTLE_MS, on_settled, loop);
    loop_run(loop);

    struct usb_report_row rows[DOCTOR_MAX_ROWS];
    size_t n = usb_report(u, rows, DOCTOR_MAX_ROWS);
    const struct libusb_version *v = libusb_get_version();
    fprintf(out, _("USB devices (libusb %u.%u.%u):\n"), v->major, v->minor, v->micro);
    int bad = 0, used = 0;
    if (n == 0)
        fprintf(out, _("  none found\n"));
    else
        fprintf(out, "  %-9s  %-16s  %-16s  %-16s  %s\n", _("VID:PID"), _("class"), _("where"),
                _("role"), _("status"));
    for (size_t i = 0; i < n; i++) {
        const struct usb_report_row *r = &rows[i];
        char cls[24];
        snprintf(cls, sizeof cls, "%02x %s", r->dev_class, class_name(r->dev_class));
        fprintf(out, "  %04x:%04x  %-16s  %-16s  %-16s  %s\n", r->vid, r->pid, cls, r->where,
                r->role[0] ? r->role : "-", r->status);
        if (r->role[0]) {
            used++;
            bad += r->problem != DEVICE_PROBLEM_NONE;
        }
    }
    bool have[DEVICE_ROLE_COUNT] = {false};
    for (int role = 0; role < DEVICE_ROLE_COUNT; role++)
        have[role] = usb_role_state(u, (enum device_role)role) != NULL;
    if (bad) {
        fprintf(out, _("\nWhat to do:\n"));
        for (size_t i = 0; i < n; i++)
            if (rows[i].role[0])
                advice(out, &rows[i]);
    }
    fprintf(out, _("\nCard reader: %s. Scanner: %s. Receipt printer: %s.\n"),
            have[DEVICE_CARD_READER] ? _("ready") : _("none"),
            have[DEVICE_SCANNER] ? _("ready") : _("none"),
            have[DEVICE_PRINTER] ? _("ready") : _("none"));
    if (!used)
        fprintf(out, _("Without them the kiosk works with typed CNICs and the receipt on "
                       "screen.\n"));
    usb_free(u);
    loop_free(loop);
    return bad ? 1 : 0;
}

static void on_fp_event(struct fp_event *ev, void *ud)
{
    (void)ev;
    (void)ud; /* the report reads the state the events left behind */
}

static const char *fp_state_name(enum fp_reader_state s)
{
    switch (s) {
    case FP_READER_STATE_READY:
        return _("ready");
    case FP_READER_STATE_BUSY:
        return _("busy");
    case FP_READER_STATE_NO_ACCESS:
        return _("no permission");
    case FP_READER_STATE_OPENING:
        return _("not answering");
    default:
        return _("failed");
    }
}

void doctor_fp_advice(FILE *out, const struct fp_reader_row *r)
{
    if (r->state == FP_READER_STATE_NO_ACCESS)
        fprintf(out,
                _("  %s: no permission. Install the fingerprint udev rules as %s\n"
                  "    (nser-kiosk doctor --fingerprint-udev-rules > %s; make install\n"
                  "    writes it), make sure the kiosk's user is in the group nser-kiosk,\n"
                  "    then unplug the reader and plug it in again.\n"),
                r->driver, FP_UDEV_RULES_PATH, FP_UDEV_RULES_PATH);
    else if (r->state == FP_READER_STATE_BUSY)
        fprintf(out,
                _("  %s: busy: another program holds it (the kiosk itself, or\n"
                  "    fprintd: systemctl disable --now fprintd). Close it and try again.\n"),
                r->driver);
    else if (r->state != FP_READER_STATE_READY)
        fprintf(out,
                _("  %s: could not be opened (%s). Plug it in again; if it\n"
                  "    stays so, see docs/fingerprints.md.\n"),
                r->driver, r->detail);
}

/* Fingerprint readers through libfprint: the real driver on a private loop,
 * given the same moment to open the readers as the USB side. */
static int doctor_fingerprint(const struct config *cfg, FILE *out)
{
    if (!cfg->fp_enabled) {
        fprintf(out, _("\nFingerprint readers are switched off in the configuration "
                       "(fingerprint = off).\n"));
        return 0;
    }
    struct loop *loop = loop_new();
    if (!loop)
        return 1;
    char err[160];
    struct fp_driver *d = fp_driver_new(loop, cfg, on_fp_event, NULL, err, sizeof err);
    if (!d) {
        fprintf(out, _("\nFingerprint readers cannot be used: %s\n"), err);
        loop_free(loop);
        return 1;
    }
    loop_timer_set(loop, DOCTOR_TIMER, DOCTOR_SETTLE_MS, on_settled, loop);
    loop_run(loop);
    struct fp_reader_row rows[DOCTOR_MAX_ROWS];
    size_t n = fp_driver_report(d, rows, DOCTOR_MAX_ROWS);
    if (n > DOCTOR_MAX_ROWS)
        n = DOCTOR_MAX_ROWS;
    fprintf(out, _("\nFingerprint readers (libfprint):\n"));
    if (n == 0)
        fprintf(out, _("  none found\n"));
    else
        fprintf(out, "  %-16s  %-34s  %-6s  %-6s  %s\n", _("driver"), _("name"), _("scan"),
                _("stages"), _("status"));
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct fp_reader_row *r = &rows[i];
        fprintf(out, "  %-16s  %-34.34s  %-6s  %-6d  %s\n", r->driver, r->name,
                strcmp(r->scan_type, "swipe") == 0 ? _("swipe") : _("press"), r->stages,
                fp_state_name(r->state));
        bad += r->state != FP_READER_STATE_READY;
    }
    if (bad) {
        fprintf(out, _("\nWhat to do:\n"));
        for (size_t i = 0; i < n; i++)
            doctor_fp_advice(out, &rows[i]);
    }
    fp_driver_free(d);
    loop_free(loop);
    return bad ? 1 : 0;
}

int doctor_command(const struct config *cfg, FILE *out)
{
    int usb = doctor_usb(cfg, out);
    int fp = doctor_fingerprint(cfg, out);
    return usb || fp ? 1 : 0;
}

int doctor_fp_udev_rules(const char *hwdb_path, FILE *out, FILE *errout)
{
    const char *path = hwdb_path;
    FILE *f = NULL;
    if (path)
        f = fopen(path, "r");
    else {
        path = FP_HWDB_PATH_USR;
        f = fopen(path, "r");
        if (!f) {
            path = FP_HWDB_PATH;
            f = fopen(path, "r");
        }
    }
    if (!f) {
        fprintf(errout, _("nser-kiosk: cannot read %s: is libfprint-2-2 installed?\n"), path);
        return 1;
    }
    int n = fp_udev_rules(f, out);
    fclose(f);
    if (n <= 0) {
        fprintf(errout, _("nser-kiosk: %s lists no fingerprint reader\n"), path);
        return 1;
    }
    return 0;
}

/*
 * The rules follow the drivers' own matching: readers and printers by
 * interface class, scanners by their makers' IDs from the scanner table
 * (never every keyboard: a kiosk user who could open keyboards could read
 * what clerks type). A scanner recognised only by its name, or listed in
 * scanner_ids, needs a line of its own: the comment says how.
 */
void doctor_udev_rules(FILE *out)
{
    fprintf(out,
            "# %s - written by `nser-kiosk doctor --udev-rules`; do not edit.\n"
            "# Lets members of the group nser-kiosk open the kiosk's USB devices.\n"
            "# Install as " UDEV_RULES_PATH ", then:\n"
            "#   groupadd --system nser-kiosk; usermod -aG nser-kiosk KIOSK-USER\n"
            "#   udevadm control --reload && udevadm trigger\n\n",
            "70-nser-kiosk.rules");
    fprintf(out, "# Smart-card readers (CCID, interface class 0b), any maker.\n"
                 "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", "
                 "ENV{ID_USB_INTERFACES}==\"*:0b????:*\", MODE=\"0660\", GROUP=\"nser-kiosk\"\n\n");
    fprintf(out, "# Receipt printers (USB printer class 07).\n"
                 "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", "
                 "ENV{ID_USB_INTERFACES}==\"*:0701??:*\", MODE=\"0660\", GROUP=\"nser-kiosk\"\n\n");
    fprintf(out, "# Barcode scanners (HID boot keyboards) of known scanner makers.\n");
    uint16_t vid;
    const char *maker;
    /* udev has no comments after a rule: the maker goes on the line above. */
    for (size_t i = 0; scanner_vendor_at(i, &vid, &maker); i++)
        fprintf(out,
                "# %s\n"
                "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"%04x\", "
                "ENV{ID_USB_INTERFACES}==\"*:030101:*\", MODE=\"0660\", GROUP=\"nser-kiosk\"\n",
                maker, vid);
    fprintf(out, "\n# Any other scanner: copy a line above with its own vendor, and\n"
                 "# ATTR{idProduct}==\"pppp\" to name the one model.\n");
}
