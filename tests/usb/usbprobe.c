/*
 * usbprobe.c - a small libusb client (synchronous API) for poking at USB
 * devices by hand and for checking the emulator (tests/usb/usbemu.py)
 * before the kiosk's own drivers exist. It prints what it sees, one fact
 * a line, for a test to grep:
 *
 *   usbprobe list                        every device: VID:PID, classes, strings
 *   usbprobe hotplug SECONDS [N]         arrivals and departures (stop after N)
 *   usbprobe ccid STEP...                the first CCID reader; steps:
 *       on | off | slot | params          IccPowerOn (prints the ATR), IccPowerOff,
 *                                         GetSlotStatus, GetParameters
 *       setparams PROTO HEX               SetParameters
 *       xfr HEX                           XfrBlock (an APDU or a TPDU as given)
 *       raw HEX | read                    any bytes out / one message in, as they are
 *       intr                              one NotifySlotChange (1 s at most)
 *       clear | sleep MS                  CLEAR_HALT on bulk IN / a pause
 *   usbprobe scan [--no-detach] [MS]     the first HID keyboard: detach usbhid,
 *                                         claim, read one scan up to Enter, reattach
 *   usbprobe printer STEP...             the first printer; steps: send HEX,
 *                                         file PATH, dle N (DLE EOT N), devid, clear
 *
 * Must never: write to a device other than the one a command names, or
 * hide an error: every libusb failure is printed as "error <where> <name>"
 * and makes the exit status 1.
 */
#include <libusb-1.0/libusb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TIMEOUT_MS 1000
#define CCID_MAX   (10 + 65536)

static int failed;

static void err(const char *where, int rc)
{
    printf("error %s %s\n", where, libusb_error_name(rc));
    fflush(stdout);
    failed = 1;
}

static void put_hex(const char *label, const uint8_t *b, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%02X", i ? " " : " ", b[i]);
    if (n == 0)
        printf(" -");
    printf("\n");
    fflush(stdout);
}

/* Hex digits (spaces and colons allowed) into OUT; -1 when not hex. */
static long parse_hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int v;
        if (*s == ' ' || *s == ':')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= max)
                return -1;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? (long)n : -1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---------------------------------------------------------------- finding */

struct found {
    libusb_device_handle *h;
    int iface;
    uint8_t ep_out, ep_in, ep_int;
};

/* Opens the first device with an interface of class CLS. */
static int open_class(libusb_context *ctx, uint8_t cls, struct found *f)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(ctx, &list);
    int rc = LIBUSB_ERROR_NOT_FOUND;
    memset(f, 0, sizeof *f);
    for (ssize_t i = 0; i < n && rc == LIBUSB_ERROR_NOT_FOUND; i++) {
        struct libusb_config_descriptor *cfg;
        if (libusb_get_active_config_descriptor(list[i], &cfg) != 0)
            continue;
        for (int j = 0; j < cfg->bNumInterfaces; j++) {
            const struct libusb_interface_descriptor *id = &cfg->interface[j].altsetting[0];
            if (id->bInterfaceClass != cls)
                continue;
            f->iface = id->bInterfaceNumber;
            for (int k = 0; k < id->bNumEndpoints; k++) {
                const struct libusb_endpoint_descriptor *e = &id->endpoint[k];
                int type = e->bmAttributes & 3;
                if (type == LIBUSB_TRANSFER_TYPE_BULK && !(e->bEndpointAddress & 0x80))
                    f->ep_out = e->bEndpointAddress;
                else if (type == LIBUSB_TRANSFER_TYPE_BULK)
                    f->ep_in = e->bEndpointAddress;
                else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && (e->bEndpointAddress & 0x80))
                    f->ep_int = e->bEndpointAddress;
            }
            rc = libusb_open(list[i], &f->h);
            break;
        }
        libusb_free_config_descriptor(cfg);
    }
    libusb_free_device_list(list, 1);
    return rc;
}

static void print_string(libusb_device_handle *h, const char *label, uint8_t idx)
{
    unsigned char s[256];
    int rc;
    if (!idx)
        return;
    rc = libusb_get_string_descriptor_ascii(h, idx, s, sizeof s);
    if (rc < 0)
        printf(" %s=<%s>", label, libusb_error_name(rc));
    else
        printf(" %s='%s'", label, (char *)s);
}

static int cmd_list(libusb_context *ctx)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        err("list", (int)n);
        return 1;
    }
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor d;
        struct libusb_config_descriptor *cfg;
        libusb_device_handle *h;
        libusb_get_device_descriptor(list[i], &d);
        printf("device %04x:%04x bus %d addr %d", d.idVendor, d.idProduct,
               libusb_get_bus_number(list[i]), libusb_get_device_address(list[i]));
        if (libusb_get_active_config_descriptor(list[i], &cfg) == 0) {
            for (int j = 0; j < cfg->bNumInterfaces; j++) {
                const struct libusb_interface_descriptor *id = &cfg->interface[j].altsetting[0];
                printf(" if%d=%02x/%02x/%02x eps=%d", id->bInterfaceNumber, id->bInterfaceClass,
                       id->bInterfaceSubClass, id->bInterfaceProtocol, id->bNumEndpoints);
                if (id->extra_length >= 2)
                    printf(" extra=%02x:%d", id->extra[1], id->extra[0]);
            }
            libusb_free_config_descriptor(cfg);
        }
        if (libusb_open(list[i], &h) == 0) {
            print_string(h, "mfr", d.iManufacturer);
            print_string(h, "product", d.iProduct);
            print_string(h, "serial", d.iSerialNumber);
            libusb_close(h);
        } else {
            printf(" (cannot open)");
        }
        printf("\n");
    }
    libusb_free_device_list(list, 1);
    return 0;
}

/* ---------------------------------------------------------------- hotplug */

static int hp_events;

static int LIBUSB_CALL hp_cb(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev,
                             void *user)
{
    struct libusb_device_descriptor d;
    (void)ctx;
    (void)user;
    libusb_get_device_descriptor(dev, &d);
    printf("%s %04x:%04x addr %d\n", ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? "arrived" : "left",
           d.idVendor, d.idProduct, libusb_get_device_address(dev));
    fflush(stdout);
    hp_events++;
    return 0;
}

static int cmd_hotplug(libusb_context *ctx, int seconds, int want)
{
    libusb_hotplug_callback_handle cb;
    struct timespec start, now;
    int rc = libusb_hotplug_register_callback(
        ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
        LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, hp_cb, NULL,
        &cb);
    if (rc != 0) {
        err("hotplug", rc);
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timeval tv = {0, 100000};
        libusb_handle_events_timeout_completed(ctx, &tv, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (want > 0 && hp_events >= want)
            break;
        if (now.tv_sec - start.tv_sec >= seconds)
            break;
    }
    libusb_hotplug_deregister_callback(ctx, cb);
    return 0;
}

/* ---------------------------------------------------------------- CCID */

static uint8_t seq;

static int ccid_send(struct found *f, uint8_t type, uint8_t b7, const uint8_t *data, size_t n)
{
    uint8_t msg[10 + 512];
    int done = 0, rc;
    if (n > 512)
        return LIBUSB_ERROR_INVALID_PARAM;
    msg[0] = type;
    msg[1] = (uint8_t)n;
    msg[2] = (uint8_t)(n >> 8);
    msg[3] = msg[4] = 0;
    msg[5] = 0;
    msg[6] = seq++;
    msg[7] = b7;
    msg[8] = msg[9] = 0;
    if (n)
        memcpy(msg + 10, data, n);
    rc = libusb_bulk_transfer(f->h, f->ep_out, msg, (int)(10 + n), &done, TIMEOUT_MS);
    return rc;
}

/* One message from bulk IN, printed as the reader sent it, with its header
 * fields when it has one. */
static int ccid_read(struct found *f, const char *label)
{
    static uint8_t buf[CCID_MAX];
    int got = 0;
    int rc = libusb_bulk_transfer(f->h, f->ep_in, buf, 10 + 271, &got, TIMEOUT_MS);
    if (rc != 0) {
        err(label, rc);
        return rc;
    }
    if (got < 10) {
        put_hex("short", buf, (size_t)got);
        return 0;
    }
    uint32_t len = buf[1] | (uint32_t)buf[2] << 8 | (uint32_t)buf[3] << 16 | (uint32_t)buf[4] << 24;
    printf("reply type=%02X seq=%d status=%02X error=%02X b9=%02X len=%u got=%d\n", buf[0], buf[6],
           buf[7], buf[8], buf[9], len, got - 10);
    put_hex(label, buf + 10, (size_t)got - 10);
    return 0;
}

static int cmd_ccid(libusb_context *ctx, int argc, char **argv)
{
    struct found f;
    uint8_t data[512];
    int rc = open_class(ctx, 0x0B, &f);
    if (rc != 0) {
        err("open-reader", rc);
        return 1;
    }
    rc = libusb_claim_interface(f.h, f.iface);
    if (rc != 0) {
        err("claim", rc);
        libusb_close(f.h);
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        long n = 0;
        rc = 0;
        if (!strcmp(s, "on")) {
            rc = ccid_send(&f, 0x62, 0, NULL, 0);
            if (!rc)
                ccid_read(&f, "atr");
        } else if (!strcmp(s, "off")) {
            rc = ccid_send(&f, 0x63, 0, NULL, 0);
            if (!rc)
                ccid_read(&f, "slot");
        } else if (!strcmp(s, "slot")) {
            rc = ccid_send(&f, 0x65, 0, NULL, 0);
            if (!rc)
                ccid_read(&f, "slot");
        } else if (!strcmp(s, "params")) {
            rc = ccid_send(&f, 0x6C, 0, NULL, 0);
            if (!rc)
                ccid_read(&f, "params");
        } else if (!strcmp(s, "setparams") && i + 2 < argc) {
            uint8_t proto = (uint8_t)atoi(argv[++i]);
            n = parse_hex(argv[++i], data, sizeof data);
            rc = n < 0 ? LIBUSB_ERROR_INVALID_PARAM : ccid_send(&f, 0x61, proto, data, (size_t)n);
            if (!rc)
                ccid_read(&f, "params");
        } else if (!strcmp(s, "xfr") && i + 1 < argc) {
            n = parse_hex(argv[++i], data, sizeof data);
            rc = n < 0 ? LIBUSB_ERROR_INVALID_PARAM : ccid_send(&f, 0x6F, 0, data, (size_t)n);
            if (!rc)
                ccid_read(&f, "resp");
        } else if (!strcmp(s, "raw") && i + 1 < argc) {
            int done;
            n = parse_hex(argv[++i], data, sizeof data);
            rc = n < 0 ? LIBUSB_ERROR_INVALID_PARAM
                       : libusb_bulk_transfer(f.h, f.ep_out, data, (int)n, &done, TIMEOUT_MS);
        } else if (!strcmp(s, "read")) {
            ccid_read(&f, "msg");
        } else if (!strcmp(s, "intr")) {
            uint8_t b[8];
            int got = 0;
            if (!f.ep_int) {
                printf("intr none\n");
                continue;
            }
            rc = libusb_interrupt_transfer(f.h, f.ep_int, b, sizeof b, &got, TIMEOUT_MS);
            if (rc == LIBUSB_ERROR_TIMEOUT) {
                printf("intr timeout\n");
                rc = 0;
            } else if (!rc) {
                put_hex("intr", b, (size_t)got);
            }
        } else if (!strcmp(s, "clear")) {
            rc = libusb_clear_halt(f.h, f.ep_in);
            if (!rc)
                printf("cleared\n");
        } else if (!strcmp(s, "sleep") && i + 1 < argc) {
            sleep_ms(atol(argv[++i]));
        } else {
            printf("error bad-step %s\n", s);
            failed = 1;
            break;
        }
        if (rc != 0) {
            err(s, rc);
            if (rc == LIBUSB_ERROR_NO_DEVICE)
                break;
        }
    }
    libusb_release_interface(f.h, f.iface);
    libusb_close(f.h);
    return failed;
}

/* ---------------------------------------------------------------- HID scan */

/* US layout, boot keyboard usages 0x04..0x38: unshifted and shifted. */
static const char KEYMAP[2][0x39] = {
    {0,   0,   0,   0,   'a',  'b', 'c', 'd',  'e', 'f', 'g', 'h', 'i', 'j',  'k',
     'l', 'm', 'n', 'o', 'p',  'q', 'r', 's',  't', 'u', 'v', 'w', 'x', 'y',  'z',
     '1', '2', '3', '4', '5',  '6', '7', '8',  '9', '0', 0,   0,   0,   '\t', ' ',
     '-', '=', '[', ']', '\\', 0,   ';', '\'', '`', ',', '.', '/'},
    {0,   0,   0,   0,   'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J',  'K',
     'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y',  'Z',
     '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', 0,   0,   0,   '\t', ' ',
     '_', '+', '{', '}', '|', 0,   ':', '"', '~', '<', '>', '?'},
};

static int cmd_scan(libusb_context *ctx, int argc, char **argv)
{
    struct found f;
    int detach = 1, limit_ms = 3000, active, rc, reports = 0;
    char text[1024];
    size_t len = 0;
    uint8_t last = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--no-detach"))
            detach = 0;
        else
            limit_ms = atoi(argv[i]);
    }
    rc = open_class(ctx, 0x03, &f);
    if (rc != 0) {
        err("open-scanner", rc);
        return 1;
    }
    active = libusb_kernel_driver_active(f.h, f.iface);
    printf("driver-active %d\n", active);
    if (active == 1 && detach) {
        rc = libusb_detach_kernel_driver(f.h, f.iface);
        printf("detach %s\n", rc ? libusb_error_name(rc) : "ok");
    }
    rc = libusb_claim_interface(f.h, f.iface);
    if (rc != 0) {
        err("claim", rc);
        libusb_close(f.h);
        return 1;
    }
    printf("claimed\n");
    fflush(stdout);
    /* SET_PROTOCOL(boot), SET_IDLE(0), as a driver would. */
    libusb_control_transfer(f.h, 0x21, 0x0B, 0, (uint16_t)f.iface, NULL, 0, TIMEOUT_MS);
    libusb_control_transfer(f.h, 0x21, 0x0A, 0, (uint16_t)f.iface, NULL, 0, TIMEOUT_MS);
    for (int waited = 0; waited < limit_ms;) {
        uint8_t r[8];
        int got = 0;
        rc = libusb_interrupt_transfer(f.h, f.ep_int, r, sizeof r, &got, 100);
        if (rc == LIBUSB_ERROR_TIMEOUT) {
            waited += 100;
            continue;
        }
        if (rc != 0) {
            err("read", rc);
            break;
        }
        reports++;
        if (got != 8 || r[2] == 0 || r[2] == last) {
            last = got == 8 ? r[2] : 0;
            continue;
        }
        last = r[2];
        if (r[2] == 0x28)
            break;
        if (r[2] < 0x39 && KEYMAP[(r[0] & 0x22) ? 1 : 0][r[2]] && len + 1 < sizeof text)
            text[len++] = KEYMAP[(r[0] & 0x22) ? 1 : 0][r[2]];
    }
    text[len] = 0;
    printf("scanned '%s'\nreports %d\n", text, reports);
    libusb_release_interface(f.h, f.iface);
    if (active == 1 && detach) {
        rc = libusb_attach_kernel_driver(f.h, f.iface);
        printf("reattach %s\n", rc ? libusb_error_name(rc) : "ok");
        if (rc)
            failed = 1;
    }
    libusb_close(f.h);
    return failed;
}

/* ---------------------------------------------------------------- printer */

static int cmd_printer(libusb_context *ctx, int argc, char **argv)
{
    struct found f;
    static uint8_t data[65536];
    int rc = open_class(ctx, 0x07, &f);
    if (rc != 0) {
        err("open-printer", rc);
        return 1;
    }
    if (libusb_kernel_driver_active(f.h, f.iface) == 1) {
        rc = libusb_detach_kernel_driver(f.h, f.iface);
        printf("detach %s\n", rc ? libusb_error_name(rc) : "ok");
    }
    rc = libusb_claim_interface(f.h, f.iface);
    if (rc != 0) {
        err("claim", rc);
        libusb_close(f.h);
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        int done = 0;
        long n = -1;
        rc = 0;
        if (!strcmp(s, "send") && i + 1 < argc) {
            n = parse_hex(argv[++i], data, sizeof data);
        } else if (!strcmp(s, "file") && i + 1 < argc) {
            FILE *fp = fopen(argv[++i], "rb");
            if (!fp) {
                printf("error file %s\n", argv[i]);
                failed = 1;
                break;
            }
            n = (long)fread(data, 1, sizeof data, fp);
            fclose(fp);
        } else if (!strcmp(s, "dle") && i + 1 < argc) {
            uint8_t q[3] = {0x10, 0x04, (uint8_t)atoi(argv[++i])}, b[64];
            int got = 0;
            rc = libusb_bulk_transfer(f.h, f.ep_out, q, 3, &done, TIMEOUT_MS);
            if (!rc)
                rc = libusb_bulk_transfer(f.h, f.ep_in, b, sizeof b, &got, TIMEOUT_MS);
            if (!rc)
                put_hex("dle", b, (size_t)got);
        } else if (!strcmp(s, "devid")) {
            uint8_t b[256];
            rc = libusb_control_transfer(f.h, 0xA1, 0, 0, (uint16_t)(f.iface << 8), b, sizeof b,
                                         TIMEOUT_MS);
            if (rc >= 2) {
                printf("devid '%.*s'\n", rc - 2, (char *)b + 2);
                rc = 0;
            }
        } else if (!strcmp(s, "clear")) {
            rc = libusb_clear_halt(f.h, f.ep_out);
            if (!rc)
                printf("cleared\n");
        } else {
            printf("error bad-step %s\n", s);
            failed = 1;
            break;
        }
        if (n >= 0) {
            rc = libusb_bulk_transfer(f.h, f.ep_out, data, (int)n, &done, TIMEOUT_MS);
            if (!rc)
                printf("sent %d\n", done);
        }
        if (rc < 0) {
            err(s, rc);
            if (rc == LIBUSB_ERROR_NO_DEVICE)
                break;
        }
        fflush(stdout);
    }
    libusb_release_interface(f.h, f.iface);
    libusb_close(f.h);
    return failed;
}

int main(int argc, char **argv)
{
    libusb_context *ctx;
    int rc;
    if (argc < 2) {
        fprintf(stderr, "usage: usbprobe list | hotplug S [N] | ccid STEP... | scan [--no-detach] "
                        "[MS] | printer STEP...\n");
        return 2;
    }
    rc = libusb_init(&ctx);
    if (rc != 0) {
        err("init", rc);
        return 1;
    }
    if (!strcmp(argv[1], "list"))
        rc = cmd_list(ctx);
    else if (!strcmp(argv[1], "hotplug") && argc >= 3)
        rc = cmd_hotplug(ctx, atoi(argv[2]), argc >= 4 ? atoi(argv[3]) : 0);
    else if (!strcmp(argv[1], "ccid"))
        rc = cmd_ccid(ctx, argc - 2, argv + 2);
    else if (!strcmp(argv[1], "scan"))
        rc = cmd_scan(ctx, argc - 2, argv + 2);
    else if (!strcmp(argv[1], "printer"))
        rc = cmd_printer(ctx, argc - 2, argv + 2);
    else {
        fprintf(stderr, "usbprobe: unknown command %s\n", argv[1]);
        rc = 2;
    }
    libusb_exit(ctx);
    fflush(stdout);
    return rc ? rc : failed;
}
