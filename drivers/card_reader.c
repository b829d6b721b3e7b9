/*
 * card_reader.c - the CCID smart-card reader role driver: notices a card,
 * powers it, speaks to it at whatever level the reader works (short APDU,
 * or TPDU with T=0 or T=1), reads the card profile's files and emits the
 * CNIC, name and date of birth, or why the card could not be read.
 *
 * A state machine on the transport's callbacks: one bulk command at a
 * time (OUT, then its IN reply), the interrupt endpoint listened to in
 * parallel for slot changes, or GetSlotStatus polled when there is none.
 * The bytes are built and checked by ccid_proto, atr, apdu, t1 and
 * card_app; this file only sequences them and decides what a failure
 * costs: a card-level refusal ends the read, a bad or missing reply also
 * drains the reader and powers the card off, repeated ones restart the
 * device. Must never draw, touch SQL, block, or log card data (no CNIC,
 * name, date of birth, nor APDU data bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/log.h"
#include "apdu.h"
#include "atr.h"
#include "card_app.h"
#include "ccid_proto.h"
#include "ccid_quirks.h"
#include "roles.h"
#include "t1.h"

/* Timeouts (ms); a quirk may replace XFR. */
#define CR_OUT_TIMEOUT_MS    2000  /* a command to reach the reader */
#define CR_STATUS_TIMEOUT_MS 2000  /* GetSlotStatus, PowerOff, SetParameters */
#define CR_POWER_TIMEOUT_MS  5000  /* PowerOn: activation and the ATR */
#define CR_XFR_TIMEOUT_MS    10000 /* one APDU or T=1 block, card processing included */
#define CR_DRAIN_MS          150   /* silence that means the reader has nothing left */
#define CR_INT_LISTEN_MS     60000 /* the interrupt read is simply renewed after this */
#define CR_POLL_MS           500   /* GetSlotStatus when there is no interrupt endpoint */
#define CR_MAX_TIME_EXT      60    /* reader time extensions for one command */
#define CR_MAX_DRAIN         8     /* stale replies thrown away before giving up */
#define CR_MAX_FAILS         3     /* transport failures in a row before a restart */
#define CR_IN_MAX            (CCID_HDR_LEN + 1024)
#define CR_OUT_MAX           (CCID_HDR_LEN + APDU_CMD_MAX + T1_BLOCK_MAX)
#define CR_TIMER_POLL        0
#define CR_SLOT              0

enum shown { SHOWN_NO_CARD = 0, SHOWN_PRESENT, SHOWN_READING, SHOWN_READ };

struct reader;
typedef void (*reply_fn)(struct reader *r, const struct ccid_reply *rep);

struct reader {
    struct usb_dev *dev;
    struct ccid_desc desc;
    const struct ccid_quirk *quirk;
    const char *label;
    uint8_t ep_in, ep_out, ep_int; /* ep_int 0: poll instead */
    size_t in_len;
    unsigned xfr_timeout;
    uint8_t power[3];
    size_t npower, power_i;

    /* The bulk command in flight. */
    uint8_t out[CR_OUT_MAX];
    size_t out_len;
    uint8_t seq, cmd_type, cmd_seq;
    unsigned timeout;
    reply_fn on_reply;
    bool busy;     /* a command is out or its reply awaited */
    bool draining; /* throwing away what the reader still has */
    int drained;
    int stalls; /* clear-halts for this command */
    int time_ext;
    int fails; /* transport failures in a row */
    bool dead; /* a restart was asked: nothing more is sent */
    bool int_stalled;

    /* The slot. */
    bool slot_present; /* what the reader last said */
    bool card_present; /* what the kiosk was told */
    bool want_status;
    enum shown shown;

    /* The read. */
    bool reading;
    bool read_aborted; /* the card went away mid-read; the command in flight finishes */
    struct atr atr;
    int proto;
    bool tpdu_t0, tpdu_t1;
    struct apdu_xchg x;
    struct t1 t1;
    struct card_app app;
};

/* ---- small helpers ---- */

static void emit(struct reader *r, enum device_event_kind kind, enum device_problem p,
                 const char *detail)
{
    struct device_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.problem = p;
    snprintf(ev.detail, sizeof ev.detail, "%s", detail ? detail : "");
    usb_dev_emit(r->dev, &ev);
}

static const char *status_name(enum usb_status st)
{
    switch (st) {
    case USB_OK:
        return "ok";
    case USB_TIMEOUT:
        return "timeout";
    case USB_STALL:
        return "stall";
    case USB_GONE:
        return "gone";
    case USB_OVERFLOW:
        return "overflow";
    default:
        return "I/O error";
    }
}

static void idle(struct reader *r);
static void recover(struct reader *r);
static void send_apdu(struct reader *r, const uint8_t *cmd, size_t len);
static void power_off(struct reader *r);

/* Wipes what the card said: it is personal data and must not linger. */
static void forget_card(struct reader *r)
{
    memset(&r->app, 0, sizeof r->app);
    memset(&r->x, 0, sizeof r->x);
    memset(&r->t1, 0, sizeof r->t1);
}

static void end_read(struct reader *r, enum shown shown)
{
    r->reading = false;
    r->read_aborted = false;
    r->shown = r->card_present ? shown : SHOWN_NO_CARD;
    forget_card(r);
}

/*
 * The card cannot be read for a reason of its own (refusal, garbage in
 * its protocol): say so and power it off; the reader itself is fine.
 */
static void read_failed(struct reader *r, enum device_problem p, const char *why)
{
    log_msg(LOG_WARN, "card reader %s: card not read: %s", r->label, why);
    if (r->reading && !r->read_aborted)
        emit(r, CARD_UNREADABLE, p, why);
    end_read(r, SHOWN_PRESENT);
    power_off(r);
}

/*
 * The reader misbehaved (no reply, a bad reply, a transfer error): end
 * any read, put the reader back in a known state, and restart the device
 * when it keeps happening.
 */
static void trouble(struct reader *r, enum device_problem p, const char *why)
{
    log_msg(LOG_WARN, "card reader %s: %s", r->label, why);
    r->busy = false;
    if (r->reading && !r->read_aborted)
        emit(r, CARD_UNREADABLE, p, why);
    if (r->reading)
        end_read(r, SHOWN_PRESENT);
    if (++r->fails >= CR_MAX_FAILS) {
        r->dead = true;
        usb_dev_restart(r->dev, why);
        return;
    }
    recover(r);
}

/* ---- one bulk command: OUT, then the IN reply ---- */

static void on_in(void *ud, enum usb_status st, const uint8_t *data, size_t len);

static void submit_in(struct reader *r, unsigned timeout)
{
    if (usb_dev_submit(r->dev, r->ep_in, false, NULL, r->in_len, timeout, on_in, r) < 0)
        trouble(r, DEVICE_PROBLEM_PROTOCOL, "bulk IN not submitted");
}

static void on_out(void *ud, enum usb_status st, const uint8_t *data, size_t len);

static void submit_out(struct reader *r)
{
    if (usb_dev_submit(r->dev, r->ep_out, false, r->out, r->out_len, CR_OUT_TIMEOUT_MS, on_out, r) <
        0)
        trouble(r, DEVICE_PROBLEM_PROTOCOL, "bulk OUT not submitted");
}

/* Sends the LEN bytes built in R->OUT; FN gets the checked reply. */
static void command(struct reader *r, size_t len, unsigned timeout, reply_fn fn)
{
    if (r->dead)
        return;
    if (len == 0 || len > r->desc.max_msg_len) {
        trouble(r, DEVICE_PROBLEM_PROTOCOL, "command does not fit the reader's messages");
        return;
    }
    r->out_len = len;
    r->cmd_type = r->out[0];
    r->cmd_seq = r->out[6];
    r->timeout = timeout;
    r->on_reply = fn;
    r->busy = true;
    r->stalls = 0;
    r->time_ext = 0;
    submit_out(r);
}

static void on_out(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct reader *r = ud;
    (void)data;
    (void)len;
    if (st == USB_OK) {
        submit_in(r, r->timeout);
        return;
    }
    if (st == USB_STALL && r->stalls++ == 0 && usb_dev_clear_halt(r->dev, r->ep_out) == 0) {
        log_msg(LOG_INFO, "card reader %s: bulk OUT stalled; cleared, sending again", r->label);
        submit_out(r);
        return;
    }
    char why[64];
    snprintf(why, sizeof why, "command not sent: %s", status_name(st));
    trouble(r, st == USB_TIMEOUT ? DEVICE_PROBLEM_TIMEOUT : DEVICE_PROBLEM_PROTOCOL, why);
}

static void drained(struct reader *r, enum usb_status st)
{
    if (st == USB_OK && ++r->drained < CR_MAX_DRAIN) {
        submit_in(r, CR_DRAIN_MS);
        return;
    }
    r->draining = false;
    if (st == USB_OK) {
        r->dead = true;
        usb_dev_restart(r->dev, "reader keeps sending");
        return;
    }
    /* Quiet now: the card is powered off so the next insertion starts clean. */
    power_off(r);
}

static void on_in(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct reader *r = ud;
    if (r->draining) {
        drained(r, st);
        return;
    }
    if (st == USB_STALL && r->stalls++ == 0 && usb_dev_clear_halt(r->dev, r->ep_in) == 0) {
        /* The reply the halt swallowed is gone: ask again, under a new
         * sequence number so a late copy of the old reply is refused.
         * Every command this driver sends can be repeated safely (T=1
         * blocks carry their own sequence bit). */
        log_msg(LOG_INFO, "card reader %s: bulk IN stalled; cleared, asking again", r->label);
        r->out[6] = r->seq++;
        r->cmd_seq = r->out[6];
        submit_out(r);
        return;
    }
    if (st != USB_OK) {
        char why[64];
        snprintf(why, sizeof why, "no reply to 0x%02X: %s", r->cmd_type, status_name(st));
        trouble(r, st == USB_TIMEOUT ? DEVICE_PROBLEM_TIMEOUT : DEVICE_PROBLEM_PROTOCOL, why);
        return;
    }
    struct ccid_reply rep;
    char why[80];
    if (ccid_reply_parse(data, len, r->cmd_type, CR_SLOT, r->cmd_seq, r->desc.max_msg_len, &rep,
                         why, sizeof why) < 0) {
        char msg[DEVICE_DETAIL_MAX];
        snprintf(msg, sizeof msg, "bad reply: %s", why);
        trouble(r, DEVICE_PROBLEM_PROTOCOL, msg);
        return;
    }
    if (rep.cmd == CCID_CMD_TIME_EXT) {
        if (++r->time_ext > CR_MAX_TIME_EXT) {
            trouble(r, DEVICE_PROBLEM_TIMEOUT, "reader keeps asking for more time");
            return;
        }
        submit_in(r, r->timeout);
        return;
    }
    r->busy = false;
    r->on_reply(r, &rep);
    if (!r->busy && !r->draining)
        idle(r);
}

/* ---- recovery ---- */

static void recover(struct reader *r)
{
    if (r->dead)
        return;
    r->draining = true;
    r->drained = 0;
    submit_in(r, CR_DRAIN_MS);
}

static void after_off(struct reader *r, const struct ccid_reply *rep)
{
    if (rep->icc == CCID_ICC_ABSENT)
        r->slot_present = false;
    else if (rep->cmd == CCID_CMD_OK)
        r->slot_present = true;
}

static void power_off(struct reader *r)
{
    size_t n = ccid_build_power_off(r->out, sizeof r->out, CR_SLOT, r->seq++);
    command(r, n, CR_STATUS_TIMEOUT_MS, after_off);
}

/* ---- the slot ---- */

static void on_status(struct reader *r, const struct ccid_reply *rep)
{
    if (rep->cmd == CCID_CMD_FAILED && rep->error != CCID_ERR_ICC_MUTE) {
        /* Mute is what an empty or unpowered slot says; anything else is not. */
        trouble(r, DEVICE_PROBLEM_PROTOCOL, "GetSlotStatus failed");
        return;
    }
    r->fails = 0;
    r->slot_present = rep->icc != CCID_ICC_ABSENT;
}

static void get_status(struct reader *r)
{
    size_t n = ccid_build_slot_status(r->out, sizeof r->out, CR_SLOT, r->seq++);
    command(r, n, CR_STATUS_TIMEOUT_MS, on_status);
}

static void start_read(struct reader *r);

/* Nothing is in flight on the bulk pipe: act on what the slot says. */
static void idle(struct reader *r)
{
    if (r->dead || r->busy || r->draining || r->reading)
        return;
    if (r->want_status) {
        r->want_status = false;
        get_status(r);
        return;
    }
    if (r->slot_present && !r->card_present) {
        r->card_present = true;
        emit(r, CARD_INSERTED, DEVICE_PROBLEM_NONE, "card inserted");
        start_read(r);
        return;
    }
    if (!r->slot_present && r->card_present) {
        r->card_present = false;
        r->shown = SHOWN_NO_CARD;
        emit(r, CARD_REMOVED, DEVICE_PROBLEM_NONE, "card removed");
    }
}

/* The card went away: said at once, even with a command in flight. */
static void card_gone(struct reader *r)
{
    r->slot_present = false;
    if (!r->card_present)
        return;
    r->card_present = false;
    if (r->reading && !r->read_aborted) {
        r->read_aborted = true;
        emit(r, CARD_REMOVED, DEVICE_PROBLEM_CARD_REMOVED, "card removed mid-read");
    } else if (!r->reading) {
        r->shown = SHOWN_NO_CARD;
        emit(r, CARD_REMOVED, DEVICE_PROBLEM_NONE, "card removed");
    }
}

static void on_poll(void *ud)
{
    struct reader *r = ud;
    if (r->dead)
        return;
    usb_dev_timer_set(r->dev, CR_TIMER_POLL, CR_POLL_MS, on_poll, r);
    if (!r->busy && !r->draining && !r->reading)
        get_status(r);
}

static void listen_int(struct reader *r);

static void on_int(void *ud, enum usb_status st, const uint8_t *data, size_t len)
{
    struct reader *r = ud;
    if (r->dead)
        return;
    if (st == USB_TIMEOUT) {
        listen_int(r);
        return;
    }
    if (st == USB_STALL && !r->int_stalled && usb_dev_clear_halt(r->dev, r->ep_int) == 0) {
        r->int_stalled = true;
        listen_int(r);
        return;
    }
    if (st != USB_OK) {
        /* Without slot-change messages the reader is still usable: poll. */
        log_msg(LOG_WARN, "card reader %s: interrupt endpoint %s; polling instead", r->label,
                status_name(st));
        r->ep_int = 0;
        on_poll(r);
        return;
    }
    struct ccid_notify n;
    char why[80];
    int rc = ccid_notify_parse(data, len, CR_SLOT, r->desc.max_slot_index, &n, why, sizeof why);
    if (rc < 0) {
        log_msg(LOG_WARN, "card reader %s: interrupt message ignored: %s", r->label, why);
    } else if (rc == 0 && n.kind == CCID_NOTIFY_HW) {
        log_msg(LOG_WARN, "card reader %s: hardware error 0x%02X", r->label, n.code);
        r->want_status = true;
    } else if (rc == 0) {
        if (!n.present) {
            card_gone(r);
        } else {
            /* A card swapped between two messages: the old one went first. */
            if (n.changed && r->card_present && !r->reading)
                card_gone(r);
            r->slot_present = true;
        }
    }
    listen_int(r);
    idle(r);
}

static void listen_int(struct reader *r)
{
    if (r->ep_int == 0 || r->dead)
        return;
    if (usb_dev_submit(r->dev, r->ep_int, true, NULL, 8, CR_INT_LISTEN_MS, on_int, r) < 0) {
        log_msg(LOG_WARN, "card reader %s: interrupt read not submitted; polling", r->label);
        r->ep_int = 0;
        on_poll(r);
    }
}

/* ---- reading a card ---- */

/* Common checks on a reply during a read. True when the read goes on. */
static bool read_goes_on(struct reader *r, const struct ccid_reply *rep)
{
    if (rep->icc == CCID_ICC_ABSENT)
        card_gone(r);
    if (r->read_aborted || !r->card_present) {
        end_read(r, SHOWN_NO_CARD);
        if (rep->icc != CCID_ICC_ABSENT)
            power_off(r);
        return false;
    }
    return true;
}

static void on_apdu_done(struct reader *r)
{
    enum card_app_step s = card_app_feed(&r->app, r->x.sw, r->x.data, r->x.data_len);
    if (s == CARD_APP_SEND) {
        send_apdu(r, r->app.cmd, r->app.cmd_len);
        return;
    }
    if (s == CARD_APP_FAILED) {
        read_failed(r, r->app.problem, r->app.why);
        return;
    }
    struct device_event ev;
    char why[96] = "";
    const struct config *cfg = usb_dev_config(r->dev);
    enum device_problem p =
        card_app_result(&r->app, cfg ? cfg->cnic_regions : NULL, &ev, why, sizeof why);
    if (p != DEVICE_PROBLEM_NONE) {
        read_failed(r, p, why);
        return;
    }
    if (why[0])
        log_msg(LOG_INFO, "card reader %s: %s", r->label, why);
    snprintf(ev.detail, sizeof ev.detail, "card read");
    usb_dev_emit(r->dev, &ev);
    memset(&ev, 0, sizeof ev);
    log_msg(LOG_INFO, "card reader %s: card read", r->label);
    r->fails = 0;
    end_read(r, SHOWN_READ);
    power_off(r);
}

/* One response APDU (data and SW) came back. */
static void on_response(struct reader *r, const uint8_t *resp, size_t len)
{
    switch (apdu_xchg_feed(&r->x, resp, len)) {
    case APDU_STEP_SEND:
        send_apdu(r, NULL, 0);
        return;
    case APDU_STEP_DONE:
        on_apdu_done(r);
        return;
    default:
        read_failed(r, DEVICE_PROBLEM_PROTOCOL, "malformed response APDU");
        return;
    }
}

static void xfr(struct reader *r, const uint8_t *data, size_t len, uint8_t bwi, unsigned timeout);

static void on_xfr(struct reader *r, const struct ccid_reply *rep)
{
    if (!read_goes_on(r, rep))
        return;
    if (rep->cmd == CCID_CMD_FAILED) {
        char why[64];
        snprintf(why, sizeof why, "exchange failed: %s", ccid_error_name(rep->error));
        read_failed(
            r, rep->error == CCID_ERR_ICC_MUTE ? DEVICE_PROBLEM_TIMEOUT : DEVICE_PROBLEM_PROTOCOL,
            why);
        return;
    }
    if (!r->tpdu_t0 && !r->tpdu_t1 && rep->param != 0) {
        /* A short response always fits one message: a chained one is a
         * reader doing something this driver never asked for. */
        read_failed(r, DEVICE_PROBLEM_PROTOCOL, "chained reply to a short APDU");
        return;
    }
    if (!r->tpdu_t1) {
        on_response(r, rep->data, rep->data_len);
        return;
    }
    char why[64];
    switch (t1_feed(&r->t1, rep->data, rep->data_len, why, sizeof why)) {
    case T1_STEP_SEND: {
        size_t n;
        const uint8_t *b = t1_out(&r->t1, &n);
        uint8_t wtx = t1_take_wtx(&r->t1);
        xfr(r, b, n, wtx, r->xfr_timeout * (wtx ? wtx : 1u));
        return;
    }
    case T1_STEP_DONE: {
        size_t n;
        const uint8_t *resp = t1_response(&r->t1, &n);
        on_response(r, resp, n);
        return;
    }
    default:
        read_failed(r, DEVICE_PROBLEM_PROTOCOL, why);
        return;
    }
}

static void xfr(struct reader *r, const uint8_t *data, size_t len, uint8_t bwi, unsigned timeout)
{
    size_t n = ccid_build_xfr_block(r->out, sizeof r->out, CR_SLOT, r->seq++, bwi, data, len);
    command(r, n, timeout, on_xfr);
}

/* Sends a new command APDU (CMD), or with CMD NULL the next one of the
 * exchange under way (GET RESPONSE, or again with the right Le). */
static void send_apdu(struct reader *r, const uint8_t *cmd, size_t len)
{
    if (cmd && apdu_xchg_start(&r->x, cmd, len, r->tpdu_t0) < 0) {
        read_failed(r, DEVICE_PROBLEM_PROTOCOL, "command APDU not built");
        return;
    }
    if (r->tpdu_t1) {
        if (t1_begin(&r->t1, r->x.cmd, r->x.cmd_len) < 0) {
            read_failed(r, DEVICE_PROBLEM_PROTOCOL, "command APDU too long for T=1");
            return;
        }
        size_t n;
        const uint8_t *b = t1_out(&r->t1, &n);
        xfr(r, b, n, 0, r->xfr_timeout);
        return;
    }
    xfr(r, r->x.cmd, r->x.cmd_len, 0, r->xfr_timeout);
}

static void start_app(struct reader *r)
{
    const struct config *cfg = usb_dev_config(r->dev);
    struct card_profile prof;
    if (cfg)
        prof = cfg->card;
    else
        card_profile_default(&prof);
    r->tpdu_t0 = r->desc.level == CCID_LEVEL_TPDU && r->proto == 0;
    r->tpdu_t1 = r->desc.level == CCID_LEVEL_TPDU && r->proto == 1;
    if (r->tpdu_t1)
        t1_init(&r->t1, r->atr.ifsc, r->atr.edc == ATR_EDC_CRC);
    /* A READ BINARY answer (data, SW1 SW2) must fit one reader message,
     * except in T=1 where it comes in blocks. */
    size_t room = r->desc.max_msg_len - CCID_HDR_LEN - 2;
    size_t chunk = r->tpdu_t1 || room > 256 ? 256 : room;
    card_app_start(&r->app, &prof, chunk);
    send_apdu(r, r->app.cmd, r->app.cmd_len);
}

static void on_params(struct reader *r, const struct ccid_reply *rep)
{
    if (!read_goes_on(r, rep))
        return;
    if (rep->cmd == CCID_CMD_FAILED)
        /* The reader keeps the parameters it had; the card may still talk. */
        log_msg(LOG_INFO, "card reader %s: SetParameters refused (%s); going on", r->label,
                ccid_error_name(rep->error));
    start_app(r);
}

static void set_params(struct reader *r)
{
    const struct atr *a = &r->atr;
    /* Fi/Di from TA1 only when the reader negotiates them or the card is
     * fixed to them; otherwise both ends are still at the defaults. */
    bool negotiated =
        (r->desc.features & (CCID_FEAT_AUTO_PPS | CCID_FEAT_AUTO_PARAM_NEG)) || a->specific;
    uint8_t fidi = negotiated ? a->ta1 : 0x11;
    uint8_t conv = a->inverse ? 0x02 : 0x00;
    uint8_t p[7];
    size_t n;
    if (r->proto == 1) {
        p[0] = fidi;
        p[1] = (uint8_t)(0x10 | conv | (a->edc == ATR_EDC_CRC ? 1 : 0));
        p[2] = a->tc1;
        p[3] = (uint8_t)(a->bwi << 4 | a->cwi);
        p[4] = 0;
        p[5] = a->ifsc;
        p[6] = 0;
        n = ccid_build_set_parameters(r->out, sizeof r->out, CR_SLOT, r->seq++, 1, p, 7);
    } else {
        p[0] = fidi;
        p[1] = conv;
        p[2] = a->tc1;
        p[3] = a->wi;
        p[4] = 0;
        n = ccid_build_set_parameters(r->out, sizeof r->out, CR_SLOT, r->seq++, 0, p, 5);
    }
    command(r, n, CR_STATUS_TIMEOUT_MS, on_params);
}

static void power_on(struct reader *r);

static void on_power_on(struct reader *r, const struct ccid_reply *rep)
{
    if (!read_goes_on(r, rep))
        return;
    if (rep->cmd == CCID_CMD_FAILED) {
        if (rep->error == CCID_ERR_ICC_MUTE && r->power_i + 1 < r->npower) {
            /* Mute at this class: the next voltage up (ISO 7816-3 6.2.4). */
            r->power_i++;
            power_on(r);
            return;
        }
        char why[64];
        snprintf(why, sizeof why, "no answer to reset: %s", ccid_error_name(rep->error));
        read_failed(r, DEVICE_PROBLEM_CARD_MUTE, why);
        return;
    }
    char why[64];
    if (atr_parse(rep->data, rep->data_len, &r->atr, why, sizeof why) < 0) {
        read_failed(r, DEVICE_PROBLEM_CARD_MUTE, why);
        return;
    }
    r->proto = atr_choose_protocol(&r->atr, r->desc.protocols);
    if (r->proto < 0) {
        read_failed(r, DEVICE_PROBLEM_UNSUPPORTED, "card and reader share no protocol");
        return;
    }
    log_msg(LOG_INFO, "card reader %s: ATR %zu bytes, T=%d", r->label, r->atr.len, r->proto);
    bool wants =
        !r->desc.auto_params && !(r->quirk && (r->quirk->flags & CCID_QUIRK_NO_SET_PARAMS));
    if (wants)
        set_params(r);
    else
        start_app(r);
}

static void power_on(struct reader *r)
{
    size_t n = ccid_build_power_on(r->out, sizeof r->out, CR_SLOT, r->seq++, r->power[r->power_i]);
    command(r, n, CR_POWER_TIMEOUT_MS, on_power_on);
}

static void start_read(struct reader *r)
{
    forget_card(r);
    r->reading = true;
    r->read_aborted = false;
    r->shown = SHOWN_READING;
    r->power_i = 0;
    power_on(r);
}

/* ---- the role ---- */

/* The CCID descriptor is in the interface's extra bytes, or on some
 * readers after the last endpoint's. */
static int find_desc(const struct libusb_interface_descriptor *alt, struct ccid_desc *d, char *why,
                     size_t whysz)
{
    if (ccid_desc_parse(alt->extra, (size_t)(alt->extra_length > 0 ? alt->extra_length : 0), d, why,
                        whysz) == 0)
        return 0;
    if (alt->bNumEndpoints > 0 && alt->endpoint) {
        const struct libusb_endpoint_descriptor *e = &alt->endpoint[alt->bNumEndpoints - 1];
        if (e->extra_length > 0 &&
            ccid_desc_parse(e->extra, (size_t)e->extra_length, d, NULL, 0) == 0)
            return 0;
    }
    return -1;
}

static void find_endpoints(const struct libusb_interface_descriptor *alt, uint8_t *in, uint8_t *out,
                           uint8_t *intr)
{
    *in = *out = *intr = 0;
    for (int i = 0; alt->endpoint && i < alt->bNumEndpoints; i++) {
        const struct libusb_endpoint_descriptor *e = &alt->endpoint[i];
        int type = e->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
        bool is_in = (e->bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0;
        if (type == LIBUSB_TRANSFER_TYPE_BULK && is_in && !*in)
            *in = e->bEndpointAddress;
        else if (type == LIBUSB_TRANSFER_TYPE_BULK && !is_in && !*out)
            *out = e->bEndpointAddress;
        else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && is_in && !*intr)
            *intr = e->bEndpointAddress;
    }
}

static int cr_match(const struct usb_match_info *mi)
{
    const struct libusb_config_descriptor *cfg = mi->cfg;
    for (int i = 0; cfg && i < cfg->bNumInterfaces; i++) {
        const struct libusb_interface *itf = &cfg->interface[i];
        for (int a = 0; a < itf->num_altsetting; a++) {
            const struct libusb_interface_descriptor *alt = &itf->altsetting[a];
            if (alt->bInterfaceClass != CCID_CLASS)
                continue;
            struct ccid_desc d;
            uint8_t in, out, intr;
            find_endpoints(alt, &in, &out, &intr);
            if (in && out && find_desc(alt, &d, NULL, 0) == 0)
                return alt->bInterfaceNumber;
        }
    }
    return -1;
}

static void *cr_attach(struct usb_dev *dev, const struct libusb_interface_descriptor *alt,
                       char *err, size_t errsz)
{
    struct ccid_desc d;
    char why[80];
    if (find_desc(alt, &d, why, sizeof why) < 0) {
        snprintf(err, errsz, "%s", why);
        return NULL;
    }
    if (d.level == CCID_LEVEL_CHAR) {
        snprintf(err, errsz, "character-level CCID reader: not supported");
        return NULL;
    }
    struct reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    r->dev = dev;
    r->desc = d;
    r->label = usb_dev_label(dev);
    r->quirk = ccid_quirk_find(usb_dev_vid(dev), usb_dev_pid(dev));
    find_endpoints(alt, &r->ep_in, &r->ep_out, &r->ep_int);
    if (!r->ep_in || !r->ep_out) {
        free(r);
        snprintf(err, errsz, "no bulk endpoints");
        return NULL;
    }
    r->in_len = d.max_msg_len < CR_IN_MAX ? d.max_msg_len : CR_IN_MAX;
    r->xfr_timeout = CR_XFR_TIMEOUT_MS;
    r->npower = ccid_power_sequence(&d, r->power);
    if (r->quirk) {
        log_msg(LOG_INFO, "card reader %s: quirk: %s", r->label, r->quirk->why);
        if (r->quirk->xfr_timeout_ms)
            r->xfr_timeout = r->quirk->xfr_timeout_ms;
        if (r->quirk->flags & CCID_QUIRK_NO_INTERRUPT)
            r->ep_int = 0;
        if (r->quirk->flags & CCID_QUIRK_POWER_AUTO) {
            r->power[0] = CCID_POWER_AUTO;
            r->npower = 1;
        }
    }
    static const char *const levels[] = {"character", "TPDU", "short APDU", "extended APDU"};
    log_msg(LOG_INFO, "card reader %s: CCID %x.%02x, %s level, T=0 %s, T=1 %s, max message %u, %s",
            r->label, d.bcd_ccid >> 8, d.bcd_ccid & 0xFF, levels[d.level],
            (d.protocols & 1) ? "yes" : "no", (d.protocols & 2) ? "yes" : "no",
            (unsigned)d.max_msg_len, r->ep_int ? "slot-change interrupt" : "polled");
    /* First find out whether a card is already in. */
    get_status(r);
    if (r->ep_int)
        listen_int(r);
    else
        usb_dev_timer_set(dev, CR_TIMER_POLL, CR_POLL_MS, on_poll, r);
    return r;
}

static void cr_detach(void *state, bool gone)
{
    struct reader *r = state;
    if (!r)
        return;
    if (gone && r->reading && !r->read_aborted)
        emit(r, DEVICE_GONE, DEVICE_PROBLEM_GONE_MID_READ, "unplugged mid-read");
    forget_card(r);
    free(r);
}

static void cr_describe(const void *state, char *out, size_t outsz)
{
    const struct reader *r = state;
    static const char *const words[] = {"no card", "card present", "card present, reading",
                                        "card present, read"};
    if (!out || outsz == 0)
        return;
    snprintf(out, outsz, "%s", r ? words[r->shown] : "");
}

const struct usb_role_ops card_reader_role = {
    .name = "card reader",
    .role = DEVICE_CARD_READER,
    .match = cr_match,
    .attach = cr_attach,
    .detach = cr_detach,
    .describe = cr_describe,
};
