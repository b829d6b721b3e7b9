/*
 * printer.c - the receipt printer role: a USB printer-class interface
 * (0x07) with a bulk OUT endpoint, spoken to in ESC/POS. When the
 * interface is bidirectional (protocol 2, bulk IN) the printer is asked
 * its real-time status (DLE EOT 1, 2, 4) before a receipt, so a receipt is
 * never sent to a printer without paper, and again after it.
 *
 * One print at a time, as a state machine on the transport's callbacks
 * and timers: printer_print() only queues, and every event is emitted from
 * a callback, never from inside printer_print(). Must never log what is
 * printed (it holds a tracking ID): byte counts and reasons only.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/log.h"
#include "escpos.h"
#include "roles.h"

#define PRINTER_CLASS      0x07
#define PRINTER_PROTO_UNI  0x01
#define PRINTER_PROTO_BIDI 0x02
#define CHUNK_MAX          4096
#define CHUNK_TIMEOUT_MS   10000
#define STATUS_TIMEOUT_MS  1000
#define STATUS_READ_MAX    64
#define TIMER_START        0

enum phase {
    IDLE = 0,
    PRE_STATUS,  /* asking before sending */
    SENDING,     /* the receipt's chunks */
    POST_STATUS, /* asking after sending */
};

static const enum escpos_status_req status_reqs[] = {ESCPOS_REQ_PRINTER, ESCPOS_REQ_OFFLINE,
                                                     ESCPOS_REQ_PAPER};
#define N_REQS (sizeof status_reqs / sizeof status_reqs[0])

struct printer {
    struct usb_dev *dev;
    uint8_t ep_out, ep_in; /* ep_in 0: unidirectional */
    bool status_ok;        /* the printer answers status (until it does not) */
    enum phase phase;
    size_t req;                /* index into status_reqs */
    struct escpos_status st;   /* of the current asking */
    struct escpos_status last; /* of the last complete asking, for describe() */
    bool have_last;
    uint8_t *buf; /* the receipt's bytes while printing */
    size_t len, off, chunk;
    bool retried; /* the current chunk was sent again after a stall */
    enum device_problem last_problem;
    unsigned printed;
};

static const struct libusb_endpoint_descriptor *
bulk_ep(const struct libusb_interface_descriptor *alt, bool in)
{
    for (int e = 0; e < alt->bNumEndpoints; e++) {
        const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
        if ((ep->bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_BULK &&
            !!(ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) == in)
            return ep;
    }
    return NULL;
}

static int printer_match(const struct usb_match_info *mi)
{
    if (!mi->cfg)
        return -1;
    /* An office printer that says it speaks only PCL or PostScript is left
     * alone, unless the centre lists it in printer_ids. */
    if (mi->printer_id && !escpos_device_id_ok(mi->printer_id) &&
        !(mi->kcfg && config_id_listed(mi->kcfg->printer_ids, mi->dd->idVendor, mi->dd->idProduct)))
        return -1;
    for (int i = 0; i < mi->cfg->bNumInterfaces; i++) {
        const struct libusb_interface *in = &mi->cfg->interface[i];
        if (in->num_altsetting < 1)
            continue;
        const struct libusb_interface_descriptor *alt = &in->altsetting[0];
        /* Protocol 3 (IEEE 1284.4) wraps data in packets: not ESC/POS. */
        if (alt->bInterfaceClass == PRINTER_CLASS &&
            (alt->bInterfaceProtocol == PRINTER_PROTO_UNI ||
             alt->bInterfaceProtocol == PRINTER_PROTO_BIDI) &&
            bulk_ep(alt, false))
            return alt->bInterfaceNumber;
    }
    return -1;
}

static void finish(struct printer *p, enum device_event_kind kind, enum device_problem problem,
                   const char *why)
{
    free(p->buf);
    p->buf = NULL;
    p->phase = IDLE;
    p->last_problem = kind == PRINT_DONE ? DEVICE_PROBLEM_NONE : problem;
    struct device_event ev = {.kind = kind, .problem = problem};
    snprintf(ev.detail, sizeof ev.detail, "%s", why);
    if (kind == PRINT_DONE) {
        p->printed++;
        log_msg(LOG_INFO, "printer %s: receipt of %zu bytes printed", usb_dev_label(p->dev),
                p->len);
    } else {
        log_msg(LOG_WARN, "printer %s: receipt not printed: %s", usb_dev_label(p->dev), why);
    }
    usb_dev_emit(p->dev, &ev);
}

static void send_chunk(struct printer *p);
static void ask_status(struct printer *p);

/* The printer stopped answering status: from now on it is unidirectional. */
static void status_lost(struct printer *p, const char *why)
{
    if (p->status_ok)
        log_msg(LOG_WARN, "printer %s: no real-time status (%s); printing without it",
                usb_dev_label(p->dev), why);
    p->status_ok = false;
    p->have_last = false;
    usb_dev_cancel(p->dev, p->ep_in);
    if (p->phase == PRE_STATUS) {
        p->phase = SENDING;
        p->retried = false;
        send_chunk(p);
    } else {
        finish(p, PRINT_DONE, DEVICE_PROBLEM_NONE, "printed (no status after)");
    }
}

static void status_done(struct printer *p)
{
    p->last = p->st;
    p->have_last = true;
    if (p->phase == PRE_STATUS) {
        if (p->st.paper_out)
            finish(p, PRINT_FAILED, DEVICE_PROBLEM_PAPER_OUT, "paper out");
        else if (p->st.cover_open)
            finish(p, PRINT_FAILED, DEVICE_PROBLEM_COVER_OPEN, "cover open");
        else if (p->st.offline || p->st.error)
            finish(p, PRINT_FAILED, DEVICE_PROBLEM_OFFLINE, "offline");
        else {
            p->phase = SENDING;
            p->retried = false;
            send_chunk(p);
        }
        return;
    }
    if (p->st.paper_out)
        finish(p, PRINT_FAILED, DEVICE_PROBLEM_PAPER_OUT, "paper ran out while printing");
    else
        finish(p, PRINT_DONE, DEVICE_PROBLEM_NONE, "printed");
}

static void on_status_reply(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct printer *p = ud;
    if (st == USB_GONE)
        return;
    if (st != USB_OK) {
        status_lost(p, st == USB_TIMEOUT ? "no answer in time" : "read failed");
        return;
    }
    if (escpos_status_parse(status_reqs[p->req], data, len, &p->st) != 0) {
        char why[64];
        snprintf(why, sizeof why, "reply of %zu bytes is not a status byte", len);
        status_lost(p, why);
        return;
    }
    if (++p->req < N_REQS)
        ask_status(p);
    else
        status_done(p);
}

static void on_status_sent(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct printer *p = ud;
    (void)data;
    (void)len;
    switch (st) {
    case USB_OK:
        if (usb_dev_submit(p->dev, p->ep_in, false, NULL, STATUS_READ_MAX, STATUS_TIMEOUT_MS,
                           on_status_reply, p) != 0)
            status_lost(p, "cannot read");
        return;
    case USB_GONE:
        return;
    case USB_STALL:
        /* Cleared and asked once more; a second stall means no status. */
        if (!p->retried && usb_dev_clear_halt(p->dev, p->ep_out) == 0) {
            log_msg(LOG_WARN, "printer %s: bulk OUT stalled; cleared, asking again",
                    usb_dev_label(p->dev));
            p->retried = true;
            ask_status(p);
        } else {
            status_lost(p, "status request stalls");
        }
        return;
    case USB_TIMEOUT:
        /* It does not take even three bytes: the receipt would not go
         * either. After a receipt was sent, it was sent. */
        if (p->phase == PRE_STATUS)
            finish(p, PRINT_FAILED, DEVICE_PROBLEM_TIMEOUT, "the printer took no data in time");
        else
            finish(p, PRINT_DONE, DEVICE_PROBLEM_NONE, "printed (no status after)");
        return;
    case USB_OVERFLOW:
    case USB_ERROR:
        status_lost(p, "request not sent");
        return;
    }
}

static void ask_status(struct printer *p)
{
    uint8_t req[ESCPOS_STATUS_REQ_LEN];
    escpos_status_request(status_reqs[p->req], req);
    if (usb_dev_submit(p->dev, p->ep_out, false, req, sizeof req, STATUS_TIMEOUT_MS, on_status_sent,
                       p) != 0)
        status_lost(p, "cannot send");
}

static void start_status(struct printer *p, enum phase phase)
{
    p->phase = phase;
    p->req = 0;
    p->retried = false;
    memset(&p->st, 0, sizeof p->st);
    ask_status(p);
}

static void on_chunk_sent(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct printer *p = ud;
    (void)data;
    switch (st) {
    case USB_OK:
        if (len != p->chunk) {
            /* A short write on bulk OUT: the rest is sent next. */
            log_msg(LOG_WARN, "printer %s: took %zu of %zu bytes", usb_dev_label(p->dev), len,
                    p->chunk);
            if (len > p->chunk)
                len = p->chunk;
        }
        p->off += len;
        p->retried = false;
        if (p->off < p->len)
            send_chunk(p);
        else if (p->ep_in && p->status_ok)
            start_status(p, POST_STATUS);
        else
            finish(p, PRINT_DONE, DEVICE_PROBLEM_NONE, "printed");
        return;
    case USB_STALL:
        if (!p->retried && usb_dev_clear_halt(p->dev, p->ep_out) == 0) {
            log_msg(LOG_WARN, "printer %s: bulk OUT stalled; cleared, sending again",
                    usb_dev_label(p->dev));
            p->retried = true;
            send_chunk(p);
        } else {
            finish(p, PRINT_FAILED, DEVICE_PROBLEM_OFFLINE, "bulk OUT stalls");
        }
        return;
    case USB_TIMEOUT:
        finish(p, PRINT_FAILED, DEVICE_PROBLEM_TIMEOUT, "the printer took no data in time");
        return;
    case USB_GONE: /* detach() says it */
        return;
    case USB_OVERFLOW:
    case USB_ERROR:
        finish(p, PRINT_FAILED, DEVICE_PROBLEM_PROTOCOL, "write failed");
        return;
    }
}

static void send_chunk(struct printer *p)
{
    size_t n = p->len - p->off;
    if (n > CHUNK_MAX)
        n = CHUNK_MAX;
    p->chunk = n;
    if (usb_dev_submit(p->dev, p->ep_out, false, p->buf + p->off, n, CHUNK_TIMEOUT_MS,
                       on_chunk_sent, p) != 0)
        finish(p, PRINT_FAILED, DEVICE_PROBLEM_PROTOCOL, "cannot send");
}

static void on_start(void *ud)
{
    struct printer *p = ud;
    if (p->ep_in && p->status_ok)
        start_status(p, PRE_STATUS);
    else {
        p->phase = SENDING;
        send_chunk(p);
    }
}

int printer_print(void *state, const struct receipt_doc *doc)
{
    struct printer *p = state;
    if (!p || !doc || p->phase != IDLE || p->buf)
        return -1;
    const struct config *cfg = usb_dev_config(p->dev);
    p->buf = malloc(ESCPOS_RECEIPT_MAX);
    if (!p->buf)
        return -1;
    int columns = cfg->printer_columns;
    if (columns < ESCPOS_COLUMNS_MIN || columns > ESCPOS_COLUMNS_MAX)
        columns = 42;
    if (escpos_receipt(doc, columns, p->buf, ESCPOS_RECEIPT_MAX, &p->len) != 0) {
        free(p->buf);
        p->buf = NULL;
        return -1;
    }
    p->off = 0;
    p->retried = false;
    p->phase = SENDING; /* busy from now; on_start picks the real first step */
    if (usb_dev_timer_set(p->dev, TIMER_START, 0, on_start, p) != 0) {
        free(p->buf);
        p->buf = NULL;
        p->phase = IDLE;
        return -1;
    }
    return 0;
}

static void *printer_attach(struct usb_dev *dev, const struct libusb_interface_descriptor *alt,
                            char *err, size_t errsz)
{
    const struct libusb_endpoint_descriptor *out = bulk_ep(alt, false);
    if (!out) {
        snprintf(err, errsz, "no bulk OUT endpoint");
        return NULL;
    }
    struct printer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    p->dev = dev;
    p->ep_out = out->bEndpointAddress;
    const struct libusb_endpoint_descriptor *in =
        alt->bInterfaceProtocol == PRINTER_PROTO_BIDI ? bulk_ep(alt, true) : NULL;
    p->ep_in = in ? in->bEndpointAddress : 0;
    p->status_ok = p->ep_in != 0;
    log_msg(LOG_INFO, "printer %s: %s", usb_dev_label(dev),
            p->ep_in ? "bidirectional (real-time status)" : "unidirectional");
    return p;
}

static void printer_detach(void *state, bool gone)
{
    struct printer *p = state;
    if (gone && p->phase != IDLE) {
        struct device_event ev = {.kind = DEVICE_GONE, .problem = DEVICE_PROBLEM_GONE_MID_READ};
        snprintf(ev.detail, sizeof ev.detail, "unplugged while printing");
        usb_dev_emit(p->dev, &ev);
    } else if (!gone && p->phase != IDLE) {
        /* Closed or restarted mid-print: the print did not happen. */
        struct device_event ev = {.kind = PRINT_FAILED, .problem = DEVICE_PROBLEM_PROTOCOL};
        snprintf(ev.detail, sizeof ev.detail, "printer restarted while printing");
        usb_dev_emit(p->dev, &ev);
    }
    log_msg(LOG_INFO, "printer %s: %s after %u receipts", usb_dev_label(p->dev),
            gone ? "unplugged" : "closed", p->printed);
    free(p->buf);
    free(p);
}

static void printer_describe(const void *state, char *out, size_t outsz)
{
    const struct printer *p = state;
    const char *s = "ready";
    if (p->phase != IDLE)
        s = "printing";
    else if (p->have_last && p->last.paper_out)
        s = "paper out";
    else if (p->have_last && p->last.cover_open)
        s = "cover open";
    else if (p->have_last && (p->last.offline || p->last.error))
        s = "offline";
    else if (p->last_problem == DEVICE_PROBLEM_TIMEOUT)
        s = "not taking data";
    else if (p->have_last && p->last.paper_near_end)
        s = "ready, paper low";
    snprintf(out, outsz, "%s%s", s, p->ep_in && !p->status_ok ? " (no status)" : "");
}

const struct usb_role_ops printer_role = {
    .name = "receipt printer",
    .role = DEVICE_PRINTER,
    .match = printer_match,
    .attach = printer_attach,
    .detach = printer_detach,
    .describe = printer_describe,
};
