/*
 * usb.c - libusb on the kiosk's event loop: device arrival and removal,
 * matching devices to role drivers, and asynchronous transfers.
 *
 * libusb's file descriptors join the loop's poll(); events are handled
 * with a zero timeout, so nothing here ever blocks the terminal. Device
 * arrival, removal, restarts and closes are queued and done from a
 * zero-delay loop timer, outside libusb's callbacks: a hotplug callback
 * must not open or close devices, and a role driver's callback must be
 * able to ask for a restart without pulling its own device from under it.
 *
 * A device is closed only once every transfer on it has completed (libusb
 * requires it): cancelled transfers are counted down in their callbacks.
 * The kernel driver that held an interface is given back on close, so a
 * scanner types into the console again after the kiosk exits.
 *
 * Must never draw, touch SQL, or log personal data: only IDs, lengths and
 * reasons reach the log.
 */
#include "usb.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/log.h"

#define USB_MAX_DEVS     16
#define USB_MAX_FDS      16
#define USB_WORK_TIMER   1000 /* loop timer ids: see kiosk/loop.h */
#define USB_LIBUSB_TIMER 1001
#define USB_RETRY_TIMER  1002
#define USB_DEV_TIMER0   1010 /* + slot index * USB_DEV_TIMERS + timer slot */
#define USB_RETRY_MS     5000 /* libusb could not start: try again this often */
#define USB_RESCAN_MS    2000 /* no hotplug support: look for changes this often */
#define USB_CTRL_TIMEOUT 1000 /* string descriptors, clear-halt, reset */

enum slot_state {
    SLOT_FREE = 0,
    SLOT_SEEN,    /* present but not ours: matched nothing, or unusable */
    SLOT_ACTIVE,  /* a role driver has it */
    SLOT_CLOSING, /* driver detached; waiting for transfers to finish */
};

struct usb_xfer {
    struct usb_dev *dev;
    struct libusb_transfer *t;
    usb_done_cb cb;
    void *ud;
    uint8_t ep;
    bool live; /* false: cancelled; the callback only frees it */
};

struct dev_timer {
    struct usb_dev *dev;
    usb_timer_cb cb;
    void *ud;
};

struct usb_dev {
    struct usb *u;
    enum slot_state state;
    int index;
    libusb_device *ldev; /* referenced while the slot is used */
    libusb_device_handle *h;
    const struct usb_role_ops *ops;
    void *drv;
    int iface;
    bool kernel_detached; /* give the interface back to the kernel on close */
    uint16_t vid, pid;
    uint8_t dev_class;
    char label[48];
    char where[32];
    struct usb_xfer *xfers[USB_DEV_MAX_XFERS];
    int inflight; /* including cancelled ones not yet completed */
    struct dev_timer timers[USB_DEV_TIMERS];
    /* Work queued for the work timer. */
    bool gone;         /* unplugged: detach and close */
    bool restart;      /* driver asked: detach, reset, reopen */
    bool reopen;       /* after closing, take the device again */
    bool gone_emitted; /* the driver already said DEVICE_GONE */
    char reason[96];
    char status[96]; /* for doctor when not active */
    enum device_problem problem;
    const char *role_name; /* matched role, even when unusable */
};

struct usb {
    struct loop *loop;
    libusb_context *ctx;
    const struct config *cfg;
    const struct usb_role_ops *const *roles;
    size_t nroles;
    usb_event_cb cb;
    void *ud;
    struct usb_dev devs[USB_MAX_DEVS];
    int fds[USB_MAX_FDS];
    int nfds;
    bool hotplug;
    libusb_hotplug_callback_handle hp;
    libusb_device *arrived[USB_MAX_DEVS]; /* queued by the hotplug callback */
    int narrived;
    bool work_armed;
    bool started;          /* the devices present at start have been taken */
    char start_error[128]; /* "" once libusb runs */
};

static void schedule_work(struct usb *u);
static void take_device(struct usb *u, libusb_device *ldev);

static enum usb_status map_status(enum libusb_transfer_status st)
{
    switch (st) {
    case LIBUSB_TRANSFER_COMPLETED:
        return USB_OK;
    case LIBUSB_TRANSFER_TIMED_OUT:
        return USB_TIMEOUT;
    case LIBUSB_TRANSFER_STALL:
        return USB_STALL;
    case LIBUSB_TRANSFER_NO_DEVICE:
        return USB_GONE;
    case LIBUSB_TRANSFER_OVERFLOW:
        return USB_OVERFLOW;
    default:
        return USB_ERROR;
    }
}

static void emit(struct usb *u, struct device_event *ev)
{
    if (u->cb)
        u->cb(ev, u->ud);
}

static void emit_simple(struct usb_dev *d, enum device_role role, enum device_event_kind kind,
                        enum device_problem problem, const char *detail)
{
    struct device_event ev = {
        .kind = kind, .role = role, .problem = problem, .at_start = !d->u->started};
    snprintf(ev.detail, sizeof ev.detail, "%s %s", d->label, detail ? detail : "");
    emit(d->u, &ev);
}

/* ---- libusb's descriptors on the loop ---- */

static void handle_events(struct usb *u);

static void on_libusb_fd(int fd, short revents, void *ud)
{
    (void)fd;
    (void)revents;
    handle_events(ud);
}

static void on_libusb_timer(void *ud)
{
    handle_events(ud);
}

static void handle_events(struct usb *u)
{
    struct timeval zero = {0, 0};
    libusb_handle_events_timeout_completed(u->ctx, &zero, NULL);
    /* libusb keeps its own timeouts in a timerfd on Linux; this covers
     * builds where it does not. */
    struct timeval next;
    if (libusb_get_next_timeout(u->ctx, &next) == 1) {
        int64_t ms = (int64_t)next.tv_sec * 1000 + next.tv_usec / 1000;
        loop_timer_set(u->loop, USB_LIBUSB_TIMER, ms, on_libusb_timer, u);
    }
}

static void add_fd(int fd, short events, void *ud)
{
    struct usb *u = ud;
    if (u->nfds >= USB_MAX_FDS || loop_add_fd(u->loop, fd, events, on_libusb_fd, u) != 0) {
        log_msg(LOG_ERROR, "usb: cannot watch libusb descriptor %d", fd);
        return;
    }
    u->fds[u->nfds++] = fd;
}

static void remove_fd(int fd, void *ud)
{
    struct usb *u = ud;
    loop_remove_fd(u->loop, fd);
    for (int i = 0; i < u->nfds; i++) {
        if (u->fds[i] == fd) {
            u->fds[i] = u->fds[--u->nfds];
            break;
        }
    }
}

static void watch_fds(struct usb *u)
{
    const struct libusb_pollfd **pfds = libusb_get_pollfds(u->ctx);
    if (pfds) {
        for (int i = 0; pfds[i]; i++)
            add_fd(pfds[i]->fd, pfds[i]->events, u);
        libusb_free_pollfds(pfds);
    }
    libusb_set_pollfd_notifiers(u->ctx, add_fd, remove_fd, u);
}

static void libusb_log(libusb_context *ctx, enum libusb_log_level level, const char *str)
{
    (void)ctx;
    size_t n = strlen(str);
    while (n && (str[n - 1] == '\n' || str[n - 1] == '\r'))
        n--;
    log_msg(level == LIBUSB_LOG_LEVEL_ERROR ? LOG_WARN : LOG_DEBUG, "libusb: %.*s", (int)n, str);
}

/* ---- slots ---- */

static struct usb_dev *find_slot(struct usb *u, libusb_device *ldev)
{
    for (int i = 0; i < USB_MAX_DEVS; i++)
        if (u->devs[i].state != SLOT_FREE && u->devs[i].ldev == ldev)
            return &u->devs[i];
    return NULL;
}

static struct usb_dev *new_slot(struct usb *u, libusb_device *ldev)
{
    for (int i = 0; i < USB_MAX_DEVS; i++) {
        struct usb_dev *d = &u->devs[i];
        if (d->state != SLOT_FREE)
            continue;
        memset(d, 0, sizeof *d);
        d->u = u;
        d->index = i;
        d->ldev = libusb_ref_device(ldev);
        d->state = SLOT_SEEN;
        d->problem = DEVICE_PROBLEM_NONE;
        return d;
    }
    return NULL;
}

static void free_slot(struct usb_dev *d)
{
    for (int t = 0; t < USB_DEV_TIMERS; t++)
        loop_timer_cancel(d->u->loop, USB_DEV_TIMER0 + d->index * USB_DEV_TIMERS + t);
    if (d->ldev)
        libusb_unref_device(d->ldev);
    memset(d, 0, sizeof *d);
    d->state = SLOT_FREE;
}

/* Releases the interface, gives it back to the kernel, closes. Only when
 * nothing is in flight. */
static void close_handle(struct usb_dev *d, bool reset)
{
    if (!d->h)
        return;
    if (!d->gone) {
        libusb_release_interface(d->h, d->iface);
        if (reset)
            libusb_reset_device(d->h);
        if (d->kernel_detached) {
            int rc = libusb_attach_kernel_driver(d->h, d->iface);
            if (rc != 0)
                log_msg(LOG_WARN, "usb: %s: kernel driver not given back: %s", d->label,
                        libusb_error_name(rc));
        }
    }
    d->kernel_detached = false;
    libusb_close(d->h);
    d->h = NULL;
}

/* Ends a closing slot once its last transfer has come back. */
static void finish_close(struct usb_dev *d)
{
    if (d->state != SLOT_CLOSING || d->inflight > 0)
        return;
    bool reopen = d->reopen && !d->gone;
    close_handle(d, reopen);
    libusb_device *ldev = reopen ? libusb_ref_device(d->ldev) : NULL;
    struct usb *u = d->u;
    free_slot(d);
    if (ldev) {
        take_device(u, ldev);
        libusb_unref_device(ldev);
    }
}

/* Detaches the driver (no callback of it runs after this) and starts
 * closing the device. */
static void stop_device(struct usb_dev *d, bool gone)
{
    if (d->state == SLOT_ACTIVE) {
        enum device_role role = d->ops->role;
        d->gone_emitted = false;
        for (int t = 0; t < USB_DEV_TIMERS; t++)
            usb_dev_timer_cancel(d, t);
        for (int i = 0; i < USB_DEV_MAX_XFERS; i++) {
            if (d->xfers[i] && d->xfers[i]->live) {
                d->xfers[i]->live = false;
                libusb_cancel_transfer(d->xfers[i]->t);
            }
        }
        void *drv = d->drv;
        d->drv = NULL;
        d->ops->detach(drv, gone);
        if (gone && !d->gone_emitted)
            emit_simple(d, role, DEVICE_GONE, DEVICE_PROBLEM_NONE, "unplugged");
        log_msg(LOG_INFO, "usb: %s %s %s", d->ops->name, d->label, gone ? "unplugged" : "closed");
        d->state = SLOT_CLOSING;
        finish_close(d);
    } else if (d->state == SLOT_SEEN) {
        if (d->h)
            close_handle(d, false);
        free_slot(d);
    }
}

/* ---- taking a device ---- */

static void read_string(libusb_device_handle *h, uint8_t index, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!h || !index)
        return;
    unsigned char buf[128];
    int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    if (n <= 0)
        return;
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < outsz; i++)
        out[o++] = (buf[i] >= 0x20 && buf[i] < 0x7F) ? (char)buf[i] : '?';
    out[o] = '\0';
}

/* Does any interface of CFG belong to a class some role could want? Only
 * those devices are opened: the kiosk has no business with the rest. */
static bool interesting(const struct libusb_config_descriptor *cfg)
{
    for (int i = 0; i < cfg->bNumInterfaces; i++) {
        for (int a = 0; a < cfg->interface[i].num_altsetting; a++) {
            uint8_t c = cfg->interface[i].altsetting[a].bInterfaceClass;
            if (c == LIBUSB_CLASS_SMART_CARD || c == LIBUSB_CLASS_HID ||
                c == LIBUSB_CLASS_PRINTER || c == LIBUSB_CLASS_VENDOR_SPEC)
                return true;
        }
    }
    return false;
}

/*
 * The IEEE 1284 device ID of the first printer-class interface (class
 * request GET_DEVICE_ID): it says which command languages the printer
 * speaks, so an office printer is not sent ESC/POS. A short synchronous
 * request on a device just opened, like the string descriptors.
 */
static void read_printer_id(libusb_device_handle *h, const struct libusb_config_descriptor *cfg,
                            char *out, size_t outsz)
{
    out[0] = '\0';
    for (int i = 0; h && i < cfg->bNumInterfaces; i++) {
        if (cfg->interface[i].num_altsetting < 1)
            continue;
        const struct libusb_interface_descriptor *alt = &cfg->interface[i].altsetting[0];
        if (alt->bInterfaceClass != LIBUSB_CLASS_PRINTER)
            continue;
        unsigned char buf[1024];
        int n = libusb_control_transfer(
            h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, 0, 0,
            (uint16_t)(alt->bInterfaceNumber << 8 | alt->bAlternateSetting), buf, sizeof buf,
            USB_CTRL_TIMEOUT);
        /* Two bytes of length (big-endian, counting themselves), then text. */
        if (n < 2)
            return;
        size_t len = (size_t)(buf[0] << 8 | buf[1]);
        if (len < 2 || len > (size_t)n)
            len = (size_t)n;
        size_t o = 0;
        for (size_t k = 2; k < len && o + 1 < outsz; k++)
            out[o++] = (buf[k] >= 0x20 && buf[k] < 0x7F) ? (char)buf[k] : ' ';
        out[o] = '\0';
        return;
    }
}

static const struct libusb_interface_descriptor *
find_alt(const struct libusb_config_descriptor *cfg, int iface)
{
    for (int i = 0; i < cfg->bNumInterfaces; i++) {
        const struct libusb_interface *in = &cfg->interface[i];
        if (in->num_altsetting > 0 && in->altsetting[0].bInterfaceNumber == iface)
            return &in->altsetting[0];
    }
    return NULL;
}

static void set_unusable(struct usb_dev *d, const struct usb_role_ops *ops,
                         enum device_problem problem, const char *status, const char *why)
{
    d->problem = problem;
    d->role_name = ops->name;
    snprintf(d->status, sizeof d->status, "%s", status);
    log_msg(LOG_WARN, "usb: %s %s: %s", ops->name, d->label, why);
    emit_simple(d, ops->role, DEVICE_UNUSABLE, problem, why);
}

static bool claim(struct usb_dev *d, const struct usb_role_ops *ops, int iface)
{
    int rc = libusb_kernel_driver_active(d->h, iface);
    if (rc == 1) {
        rc = libusb_detach_kernel_driver(d->h, iface);
        if (rc != 0 && rc != LIBUSB_ERROR_NOT_FOUND) {
            set_unusable(d, ops,
                         rc == LIBUSB_ERROR_ACCESS ? DEVICE_PROBLEM_NO_ACCESS : DEVICE_PROBLEM_BUSY,
                         "busy", libusb_error_name(rc));
            return false;
        }
        d->kernel_detached = rc == 0;
    }
    rc = libusb_claim_interface(d->h, iface);
    if (rc == 0)
        return true;
    if (d->kernel_detached)
        libusb_attach_kernel_driver(d->h, iface);
    d->kernel_detached = false;
    if (rc == LIBUSB_ERROR_BUSY)
        set_unusable(d, ops, DEVICE_PROBLEM_BUSY, "busy: another program uses it",
                     "interface busy");
    else if (rc == LIBUSB_ERROR_ACCESS)
        set_unusable(d, ops, DEVICE_PROBLEM_NO_ACCESS, "no permission", "claim: access denied");
    else
        set_unusable(d, ops, DEVICE_PROBLEM_UNSUPPORTED, "cannot claim", libusb_error_name(rc));
    return false;
}

static int match_roles(struct usb *u, const struct usb_match_info *mi,
                       const struct usb_role_ops **ops)
{
    for (size_t r = 0; r < u->nroles; r++) {
        int iface = u->roles[r]->match(mi);
        if (iface >= 0) {
            *ops = u->roles[r];
            return iface;
        }
    }
    return -1;
}

static void take_device(struct usb *u, libusb_device *ldev)
{
    if (find_slot(u, ldev))
        return;
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(ldev, &dd) != 0)
        return;
    if (dd.bDeviceClass == LIBUSB_CLASS_HUB)
        return;
    struct usb_dev *d = new_slot(u, ldev);
    if (!d) {
        log_msg(LOG_WARN, "usb: more than %d devices; %04x:%04x ignored", USB_MAX_DEVS, dd.idVendor,
                dd.idProduct);
        return;
    }
    d->vid = dd.idVendor;
    d->pid = dd.idProduct;
    d->dev_class = dd.bDeviceClass;
    uint8_t ports[8];
    int np = libusb_get_port_numbers(ldev, ports, sizeof ports);
    int o = snprintf(d->where, sizeof d->where, "bus %u port %u",
                     (unsigned)libusb_get_bus_number(ldev), np > 0 ? (unsigned)ports[0] : 0u);
    for (int i = 1; i < np && o > 0 && (size_t)o < sizeof d->where; i++)
        o += snprintf(d->where + o, sizeof d->where - (size_t)o, ".%u", (unsigned)ports[i]);
    snprintf(d->label, sizeof d->label, "%04x:%04x %u-%u", d->vid, d->pid,
             (unsigned)libusb_get_bus_number(ldev), (unsigned)libusb_get_device_address(ldev));
    snprintf(d->status, sizeof d->status, "not used by the kiosk");

    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(ldev, &cfg) != 0 || !cfg) {
        snprintf(d->status, sizeof d->status, "no configuration");
        return;
    }
    if (!interesting(cfg)) {
        libusb_free_config_descriptor(cfg);
        return;
    }
    for (int i = 0; i < cfg->bNumInterfaces && d->dev_class == 0; i++)
        if (cfg->interface[i].num_altsetting > 0)
            d->dev_class = cfg->interface[i].altsetting[0].bInterfaceClass;

    char manufacturer[64] = "", product[64] = "", printer_id[256] = "";
    int orc = libusb_open(ldev, &d->h);
    if (orc == 0) {
        read_string(d->h, dd.iManufacturer, manufacturer, sizeof manufacturer);
        read_string(d->h, dd.iProduct, product, sizeof product);
        read_printer_id(d->h, cfg, printer_id, sizeof printer_id);
    } else {
        d->h = NULL;
    }
    struct usb_match_info mi = {.dd = &dd,
                                .cfg = cfg,
                                .manufacturer = manufacturer,
                                .product = product,
                                .printer_id = printer_id,
                                .kcfg = u->cfg};
    const struct usb_role_ops *ops = NULL;
    int iface = match_roles(u, &mi, &ops);
    const struct libusb_interface_descriptor *alt = iface >= 0 ? find_alt(cfg, iface) : NULL;
    if (!ops || !alt) {
        if (d->h)
            libusb_close(d->h);
        d->h = NULL;
        libusb_free_config_descriptor(cfg);
        return;
    }
    d->dev_class = alt->bInterfaceClass;
    d->role_name = ops->name;
    if (orc != 0) {
        if (orc == LIBUSB_ERROR_ACCESS)
            set_unusable(d, ops, DEVICE_PROBLEM_NO_ACCESS, "no permission",
                         "open: access denied (udev rules not installed?)");
        else
            set_unusable(d, ops, DEVICE_PROBLEM_BUSY, "cannot open", libusb_error_name(orc));
        libusb_free_config_descriptor(cfg);
        return;
    }
    d->iface = iface;
    if (!claim(d, ops, iface)) {
        libusb_close(d->h);
        d->h = NULL;
        libusb_free_config_descriptor(cfg);
        return;
    }
    d->ops = ops;
    d->state = SLOT_ACTIVE;
    char err[128] = "";
    void *drv = ops->attach(d, alt, err, sizeof err);
    libusb_free_config_descriptor(cfg);
    if (!drv) {
        /* The driver may have started nothing; nothing can be in flight
         * for a driver that refused. */
        d->state = SLOT_SEEN;
        d->ops = NULL;
        libusb_release_interface(d->h, iface);
        if (d->kernel_detached)
            libusb_attach_kernel_driver(d->h, iface);
        d->kernel_detached = false;
        libusb_close(d->h);
        d->h = NULL;
        set_unusable(d, ops, DEVICE_PROBLEM_UNSUPPORTED, "not supported", err[0] ? err : "refused");
        return;
    }
    d->drv = drv;
    log_msg(LOG_INFO, "usb: %s ready: %s interface %d", ops->name, d->label, iface);
    emit_simple(d, ops->role, DEVICE_READY, DEVICE_PROBLEM_NONE, ops->name);
}

/* ---- queued work ---- */

static void do_work(void *ud)
{
    struct usb *u = ud;
    u->work_armed = false;
    while (u->narrived > 0) {
        libusb_device *ldev = u->arrived[--u->narrived];
        take_device(u, ldev);
        libusb_unref_device(ldev);
    }
    u->started = true; /* later arrivals are plugged in while it runs */
    for (int i = 0; i < USB_MAX_DEVS; i++) {
        struct usb_dev *d = &u->devs[i];
        if (d->state == SLOT_ACTIVE && (d->gone || d->restart)) {
            if (d->restart && !d->gone) {
                d->reopen = true;
                emit_simple(d, d->ops->role, DEVICE_FAULT, DEVICE_PROBLEM_PROTOCOL, d->reason);
                log_msg(LOG_WARN, "usb: %s %s restarted: %s", d->ops->name, d->label, d->reason);
            }
            stop_device(d, d->gone);
        } else if (d->state == SLOT_SEEN && d->gone) {
            stop_device(d, true);
        } else if (d->state == SLOT_CLOSING) {
            finish_close(d);
        }
    }
}

static void schedule_work(struct usb *u)
{
    if (u->work_armed)
        return;
    u->work_armed = loop_timer_set(u->loop, USB_WORK_TIMER, 0, do_work, u) == 0;
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *ldev,
                                  libusb_hotplug_event event, void *ud)
{
    (void)ctx;
    struct usb *u = ud;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
        if (u->narrived < USB_MAX_DEVS)
            u->arrived[u->narrived++] = libusb_ref_device(ldev);
    } else {
        for (int i = 0; i < u->narrived; i++) {
            if (u->arrived[i] == ldev) { /* came and went before we looked */
                libusb_unref_device(ldev);
                u->arrived[i] = u->arrived[--u->narrived];
                break;
            }
        }
        struct usb_dev *d = find_slot(u, ldev);
        if (d)
            d->gone = true;
    }
    schedule_work(u);
    return 0;
}

/* Without hotplug support: compare the device list with what we hold. */
static void rescan(void *ud)
{
    struct usb *u = ud;
    libusb_device **list;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n >= 0) {
        for (int i = 0; i < USB_MAX_DEVS; i++) {
            struct usb_dev *d = &u->devs[i];
            bool present = false;
            for (ssize_t k = 0; k < n && !present; k++)
                present = list[k] == d->ldev;
            if (d->state != SLOT_FREE && !present)
                d->gone = true;
        }
        for (ssize_t k = 0; k < n; k++)
            if (!find_slot(u, list[k]) && u->narrived < USB_MAX_DEVS)
                u->arrived[u->narrived++] = libusb_ref_device(list[k]);
        libusb_free_device_list(list, 1);
        schedule_work(u);
    }
    loop_timer_set(u->loop, USB_RETRY_TIMER, USB_RESCAN_MS, rescan, u);
}

static int start_libusb(struct usb *u, char *err, size_t errsz)
{
    /* libusb writes its own errors to stderr, which is the kiosk's screen:
     * they go to the log instead, from every context and from before one
     * exists. */
    libusb_set_log_cb(NULL, libusb_log, LIBUSB_LOG_CB_GLOBAL);
    int rc = libusb_init(&u->ctx);
    if (rc != 0) {
        u->ctx = NULL;
        snprintf(err, errsz, "libusb cannot start: %s", libusb_error_name(rc));
        return -1;
    }
    libusb_set_log_cb(u->ctx, libusb_log, LIBUSB_LOG_CB_CONTEXT);
    libusb_set_option(u->ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_WARNING);
    watch_fds(u);
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        rc = libusb_hotplug_register_callback(
            u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, u, &u->hp);
        u->hotplug = rc == 0;
    }
    if (!u->hotplug)
        rescan(u);
    schedule_work(u);
    return 0;
}

static void retry_start(void *ud)
{
    struct usb *u = ud;
    char err[128];
    if (start_libusb(u, err, sizeof err) != 0) {
        loop_timer_set(u->loop, USB_RETRY_TIMER, USB_RETRY_MS, retry_start, u);
    } else {
        u->start_error[0] = '\0';
        log_msg(LOG_INFO, "usb: libusb started");
    }
}

struct usb *usb_new(struct loop *loop, const struct config *cfg,
                    const struct usb_role_ops *const *roles, size_t n, usb_event_cb cb, void *ud,
                    char *err, size_t errsz)
{
    struct usb *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    *u = (struct usb){.loop = loop, .cfg = cfg, .roles = roles, .nroles = n, .cb = cb, .ud = ud};
    if (start_libusb(u, err, errsz) != 0) {
        /* No usbfs yet (early boot, or a machine without USB): keep
         * trying, so devices work once it appears. */
        log_msg(LOG_WARN, "usb: %s; trying again every %d s", err, USB_RETRY_MS / 1000);
        snprintf(u->start_error, sizeof u->start_error, "%s", err);
        loop_timer_set(loop, USB_RETRY_TIMER, USB_RETRY_MS, retry_start, u);
    }
    return u;
}

void usb_free(struct usb *u)
{
    if (!u)
        return;
    loop_timer_cancel(u->loop, USB_WORK_TIMER);
    loop_timer_cancel(u->loop, USB_LIBUSB_TIMER);
    loop_timer_cancel(u->loop, USB_RETRY_TIMER);
    if (u->ctx) {
        if (u->hotplug)
            libusb_hotplug_deregister_callback(u->ctx, u->hp);
        for (int i = 0; i < u->narrived; i++)
            libusb_unref_device(u->arrived[i]);
        u->narrived = 0;
        for (int i = 0; i < USB_MAX_DEVS; i++) {
            u->devs[i].reopen = false;
            stop_device(&u->devs[i], false);
        }
        /* Let cancelled transfers come back so the handles can close;
         * a device that never answers the cancel is closed anyway. */
        for (int tries = 0; tries < 50; tries++) {
            bool pending = false;
            for (int i = 0; i < USB_MAX_DEVS; i++)
                pending |= u->devs[i].state == SLOT_CLOSING;
            if (!pending)
                break;
            struct timeval tv = {0, 20000};
            libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
            for (int i = 0; i < USB_MAX_DEVS; i++)
                finish_close(&u->devs[i]);
        }
        for (int i = 0; i < USB_MAX_DEVS; i++) {
            struct usb_dev *d = &u->devs[i];
            if (d->state == SLOT_CLOSING) {
                log_msg(LOG_WARN, "usb: %s closed with transfers pending", d->label);
                d->inflight = 0;
                finish_close(d);
            }
        }
        libusb_set_pollfd_notifiers(u->ctx, NULL, NULL, NULL);
        for (int i = 0; i < u->nfds; i++)
            loop_remove_fd(u->loop, u->fds[i]);
        libusb_exit(u->ctx);
    }
    free(u);
}

const char *usb_start_error(const struct usb *u)
{
    return u->start_error[0] ? u->start_error : NULL;
}

void *usb_role_state(struct usb *u, enum device_role role)
{
    if (!u)
        return NULL;
    for (int i = 0; i < USB_MAX_DEVS; i++) {
        struct usb_dev *d = &u->devs[i];
        if (d->state == SLOT_ACTIVE && !d->gone && !d->restart && d->ops->role == role)
            return d->drv;
    }
    return NULL;
}

size_t usb_report(struct usb *u, struct usb_report_row *rows, size_t max)
{
    size_t n = 0;
    for (int i = 0; u && i < USB_MAX_DEVS && n < max; i++) {
        const struct usb_dev *d = &u->devs[i];
        if (d->state == SLOT_FREE || d->gone)
            continue;
        struct usb_report_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->vid = d->vid;
        r->pid = d->pid;
        r->dev_class = d->dev_class;
        snprintf(r->where, sizeof r->where, "%s", d->where);
        snprintf(r->role, sizeof r->role, "%s", d->role_name ? d->role_name : "");
        r->problem = d->problem;
        if (d->state == SLOT_ACTIVE && d->drv) {
            char what[80] = "";
            d->ops->describe(d->drv, what, sizeof what);
            if (!what[0] || strncmp(what, "ready", 5) == 0)
                snprintf(r->status, sizeof r->status, "%s", what[0] ? what : "ready");
            else
                snprintf(r->status, sizeof r->status, "ready, %s", what);
        } else {
            snprintf(r->status, sizeof r->status, "%s", d->status);
        }
    }
    return n;
}

/* ---- for role drivers ---- */

static void LIBUSB_CALL on_transfer(struct libusb_transfer *t)
{
    struct usb_xfer *x = t->user_data;
    struct usb_dev *d = x->dev;
    for (int i = 0; i < USB_DEV_MAX_XFERS; i++)
        if (d->xfers[i] == x)
            d->xfers[i] = NULL;
    d->inflight--;
    bool deliver = x->live && d->state == SLOT_ACTIVE && !d->gone && !d->restart;
    if (deliver && t->status == LIBUSB_TRANSFER_NO_DEVICE) {
        /* The device is gone: the driver hears it through detach(). */
        d->gone = true;
        schedule_work(d->u);
        deliver = false;
    }
    if (deliver) {
        const uint8_t *data = t->buffer;
        size_t len = (size_t)t->actual_length;
        if (t->type == LIBUSB_TRANSFER_TYPE_CONTROL) {
            data += LIBUSB_CONTROL_SETUP_SIZE;
        }
        x->cb(x->ud, map_status(t->status), data, len);
    }
    free(t->buffer);
    libusb_free_transfer(t);
    free(x);
    /* libusb_close() must not run inside event handling: close later. */
    if (d->state == SLOT_CLOSING && d->inflight == 0)
        schedule_work(d->u);
}

static struct usb_xfer *new_xfer(struct usb_dev *d, uint8_t ep, size_t buflen, usb_done_cb cb,
                                 void *ud)
{
    if (d->state != SLOT_ACTIVE || d->gone || d->restart || !d->h)
        return NULL;
    int slot = -1;
    for (int i = 0; i < USB_DEV_MAX_XFERS && slot < 0; i++)
        if (!d->xfers[i])
            slot = i;
    if (slot < 0)
        return NULL;
    struct usb_xfer *x = calloc(1, sizeof *x);
    struct libusb_transfer *t = libusb_alloc_transfer(0);
    unsigned char *buf = malloc(buflen ? buflen : 1);
    if (!x || !t || !buf) {
        free(x);
        free(buf);
        if (t)
            libusb_free_transfer(t);
        return NULL;
    }
    *x = (struct usb_xfer){.dev = d, .t = t, .cb = cb, .ud = ud, .ep = ep, .live = true};
    t->buffer = buf;
    d->xfers[slot] = x;
    return x;
}

static int submit(struct usb_dev *d, struct usb_xfer *x)
{
    int rc = libusb_submit_transfer(x->t);
    if (rc != 0) {
        for (int i = 0; i < USB_DEV_MAX_XFERS; i++)
            if (d->xfers[i] == x)
                d->xfers[i] = NULL;
        free(x->t->buffer);
        libusb_free_transfer(x->t);
        free(x);
        if (rc == LIBUSB_ERROR_NO_DEVICE) {
            d->gone = true;
            schedule_work(d->u);
        }
        return -1;
    }
    d->inflight++;
    return 0;
}

int usb_dev_submit(struct usb_dev *d, uint8_t ep, bool interrupt, const uint8_t *data, size_t len,
                   unsigned timeout_ms, usb_done_cb cb, void *ud)
{
    if (len > 65536 || timeout_ms == 0)
        return -1;
    struct usb_xfer *x = new_xfer(d, ep, len, cb, ud);
    if (!x)
        return -1;
    if (!(ep & LIBUSB_ENDPOINT_IN) && len)
        memcpy(x->t->buffer, data, len);
    if (interrupt)
        libusb_fill_interrupt_transfer(x->t, d->h, ep, x->t->buffer, (int)len, on_transfer, x,
                                       timeout_ms);
    else
        libusb_fill_bulk_transfer(x->t, d->h, ep, x->t->buffer, (int)len, on_transfer, x,
                                  timeout_ms);
    return submit(d, x);
}

int usb_dev_control(struct usb_dev *d, uint8_t request_type, uint8_t request, uint16_t value,
                    uint16_t index, const uint8_t *data, uint16_t len, unsigned timeout_ms,
                    usb_done_cb cb, void *ud)
{
    if (timeout_ms == 0)
        return -1;
    struct usb_xfer *x = new_xfer(d, 0, LIBUSB_CONTROL_SETUP_SIZE + (size_t)len, cb, ud);
    if (!x)
        return -1;
    libusb_fill_control_setup(x->t->buffer, request_type, request, value, index, len);
    if (!(request_type & LIBUSB_ENDPOINT_IN) && len)
        memcpy(x->t->buffer + LIBUSB_CONTROL_SETUP_SIZE, data, len);
    libusb_fill_control_transfer(x->t, d->h, x->t->buffer, on_transfer, x, timeout_ms);
    return submit(d, x);
}

void usb_dev_cancel(struct usb_dev *d, uint8_t ep)
{
    for (int i = 0; i < USB_DEV_MAX_XFERS; i++) {
        struct usb_xfer *x = d->xfers[i];
        if (x && x->live && x->ep == ep) {
            x->live = false;
            libusb_cancel_transfer(x->t);
        }
    }
}

int usb_dev_clear_halt(struct usb_dev *d, uint8_t ep)
{
    if (d->state != SLOT_ACTIVE || d->gone || !d->h)
        return -1;
    int rc = libusb_clear_halt(d->h, ep);
    if (rc == LIBUSB_ERROR_NO_DEVICE) {
        d->gone = true;
        schedule_work(d->u);
    }
    return rc == 0 ? 0 : -1;
}

static void on_dev_timer(void *ud)
{
    struct dev_timer *t = ud;
    usb_timer_cb cb = t->cb;
    t->cb = NULL;
    if (cb && t->dev->state == SLOT_ACTIVE)
        cb(t->ud);
}

int usb_dev_timer_set(struct usb_dev *d, int slot, int64_t delay_ms, usb_timer_cb cb, void *ud)
{
    if (slot < 0 || slot >= USB_DEV_TIMERS || d->state != SLOT_ACTIVE)
        return -1;
    d->timers[slot] = (struct dev_timer){d, cb, ud};
    return loop_timer_set(d->u->loop, USB_DEV_TIMER0 + d->index * USB_DEV_TIMERS + slot, delay_ms,
                          on_dev_timer, &d->timers[slot]);
}

void usb_dev_timer_cancel(struct usb_dev *d, int slot)
{
    if (slot < 0 || slot >= USB_DEV_TIMERS)
        return;
    d->timers[slot].cb = NULL;
    loop_timer_cancel(d->u->loop, USB_DEV_TIMER0 + d->index * USB_DEV_TIMERS + slot);
}

void usb_dev_emit(struct usb_dev *d, struct device_event *ev)
{
    if (!d->ops)
        return;
    ev->role = d->ops->role;
    if (ev->kind == DEVICE_GONE)
        d->gone_emitted = true;
    emit(d->u, ev);
}

void usb_dev_restart(struct usb_dev *d, const char *reason)
{
    if (d->state != SLOT_ACTIVE || d->restart)
        return;
    d->restart = true;
    snprintf(d->reason, sizeof d->reason, "%s", reason ? reason : "restart");
    schedule_work(d->u);
}

const struct config *usb_dev_config(const struct usb_dev *d)
{
    return d->u->cfg;
}

uint16_t usb_dev_vid(const struct usb_dev *d)
{
    return d->vid;
}

uint16_t usb_dev_pid(const struct usb_dev *d)
{
    return d->pid;
}

const char *usb_dev_label(const struct usb_dev *d)
{
    return d->label;
}
