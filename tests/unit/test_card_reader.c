/*
 * test_card_reader.c - the card reader role driver (drivers/card_reader.c)
 * driven through a fake transport by a scripted CCID reader holding a
 * virtual card: insertion, a read at APDU level and at TPDU level with
 * T=0, polling without an interrupt endpoint, and the faults: a reply out
 * of sequence, silence, a stall, a card taken out mid-read, an unplug
 * mid-read, a card of another application, and restarts.
 *
 * The driver's file is included here with the transport's calls renamed
 * to the fakes below, so it is the real state machine under test; no
 * libusb call is made.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define usb_dev_submit       fake_submit
#define usb_dev_cancel       fake_cancel
#define usb_dev_clear_halt   fake_clear_halt
#define usb_dev_control      fake_control
#define usb_dev_timer_set    fake_timer_set
#define usb_dev_timer_cancel fake_timer_cancel
#define usb_dev_emit         fake_emit
#define usb_dev_restart      fake_restart
#define usb_dev_config       fake_config
#define usb_dev_vid          fake_vid
#define usb_dev_pid          fake_pid
#define usb_dev_label        fake_label
#define card_reader_role     test_card_reader_role
#include "drivers/card_reader.c"

#include "kiosk/config.h"

/* ---- the fake transport ---- */

struct xfer {
    uint8_t ep;
    bool intr;
    uint8_t data[CR_OUT_MAX];
    size_t len;
    usb_done_cb cb;
    void *ud;
};
#define MAXX 8
static struct xfer X[MAXX];
static int nx;
static struct device_event EV[32];
static int nev;
static int restarts, clear_halts;
static usb_timer_cb timer_cb;
static void *timer_ud;
static struct config CFG;

int fake_submit(struct usb_dev *d, uint8_t ep, bool interrupt, const uint8_t *data, size_t len,
                unsigned timeout_ms, usb_done_cb cb, void *ud)
{
    (void)d;
    assert_true(timeout_ms > 0);
    assert_true(nx < MAXX);
    assert_true(len <= CR_OUT_MAX || (ep & 0x80));
    struct xfer *x = &X[nx++];
    memset(x, 0, sizeof *x);
    x->ep = ep;
    x->intr = interrupt;
    x->len = len;
    if (data && !(ep & 0x80))
        memcpy(x->data, data, len);
    x->cb = cb;
    x->ud = ud;
    return 0;
}
void fake_cancel(struct usb_dev *d, uint8_t ep)
{
    (void)d;
    (void)ep;
}
int fake_clear_halt(struct usb_dev *d, uint8_t ep)
{
    (void)d;
    (void)ep;
    clear_halts++;
    return 0;
}
int fake_control(struct usb_dev *d, uint8_t request_type, uint8_t request, uint16_t value,
                 uint16_t index, const uint8_t *data, uint16_t len, unsigned timeout_ms,
                 usb_done_cb cb, void *ud)
{
    (void)d, (void)request_type, (void)request, (void)value, (void)index, (void)data, (void)len;
    (void)timeout_ms, (void)cb, (void)ud;
    return -1;
}
int fake_timer_set(struct usb_dev *d, int slot, int64_t delay_ms, usb_timer_cb cb, void *ud)
{
    (void)d;
    (void)slot;
    (void)delay_ms;
    timer_cb = cb;
    timer_ud = ud;
    return 0;
}
void fake_timer_cancel(struct usb_dev *d, int slot)
{
    (void)d;
    (void)slot;
    timer_cb = NULL;
}
void fake_emit(struct usb_dev *d, struct device_event *ev)
{
    (void)d;
    assert_true(nev < 32);
    EV[nev++] = *ev;
}
void fake_restart(struct usb_dev *d, const char *reason)
{
    (void)d;
    (void)reason;
    restarts++;
}
const struct config *fake_config(const struct usb_dev *d)
{
    (void)d;
    return &CFG;
}
uint16_t fake_vid(const struct usb_dev *d)
{
    (void)d;
    return 0x1234;
}
uint16_t fake_pid(const struct usb_dev *d)
{
    (void)d;
    return 0x5678;
}
const char *fake_label(const struct usb_dev *d)
{
    (void)d;
    return "1234:5678 1-1";
}

/* ---- the virtual reader and card ---- */

static const uint8_t AID[] = {0xA0, 0x00, 0x00, 0x09, 0x99, 0x4E, 0x53, 0x45, 0x52};

static struct {
    bool tpdu_t0; /* TPDU level with a T=0 card (else APDU level, T=1 card) */
    bool tpdu_t1; /* TPDU level with a T=1 card: the card side of T=1 below */
    uint8_t t1_cmd[300], t1_resp[300];
    size_t t1_cmd_len, t1_resp_len, t1_resp_off;
    uint8_t t1_ns; /* the card's next N(S) */
    bool t1_wtx;   /* ask for more time before the first answer */
    int t1_wtx_seen;
    bool card_in, powered, app, file_sel;
    bool mute_18v; /* the card answers reset only from 3 V */
    uint8_t file[256];
    size_t flen;
    int apdus;        /* XfrBlocks seen */
    int swallow_from; /* from this XfrBlock on, never answer (0 = off) */
    int bad_seq_at;   /* answer this XfrBlock with a wrong bSeq */
    int stall_at;     /* stall the IN of this XfrBlock once */
    int pull_at;      /* take the card out when this XfrBlock arrives */
    int set_params;   /* SetParameters seen */
    int power_offs;
    uint8_t power_selects[4];
    int npower;
    uint8_t reply[CR_IN_MAX];
    size_t reply_len;
    bool have_reply;
    bool stall_next_in;
    uint8_t notify[4];
    size_t notify_len;
    bool have_notify;
} R;

static size_t tlv(uint8_t *p, uint16_t tag, const char *v)
{
    size_t n = strlen(v);
    p[0] = (uint8_t)(tag >> 8);
    p[1] = (uint8_t)tag;
    p[2] = (uint8_t)n;
    memcpy(p + 3, v, n);
    return 3 + n;
}

static void reader_reset(bool tpdu_t0)
{
    memset(&R, 0, sizeof R);
    R.tpdu_t0 = tpdu_t0;
    size_t o = 0;
    o += tlv(R.file + o, 0x5F01, "35202-1234567-1");
    o += tlv(R.file + o, 0x5F02, "Ayesha Bibi");
    o += tlv(R.file + o, 0x5F03, "19850314");
    R.flen = o;
}

static uint8_t icc_status(void)
{
    return R.card_in ? (R.powered ? 0 : 1) : 2;
}

static void put_reply(uint8_t type, uint8_t seq, uint8_t status, uint8_t error, const uint8_t *data,
                      size_t len)
{
    R.reply[0] = type;
    R.reply[1] = (uint8_t)len;
    R.reply[2] = (uint8_t)(len >> 8);
    R.reply[3] = R.reply[4] = 0;
    R.reply[5] = 0;
    R.reply[6] = seq;
    R.reply[7] = status;
    R.reply[8] = error;
    R.reply[9] = 0;
    if (len)
        memcpy(R.reply + 10, data, len);
    R.reply_len = 10 + len;
    R.have_reply = true;
}

/* ISO 7816-4 as the card sees a command; writes data+SW into OUT. */
static size_t card_apdu(const uint8_t *c, size_t n, uint8_t *out)
{
    uint16_t sw = 0x6D00;
    size_t k = 0;
    if (n >= 5 && c[1] == 0xA4 && c[2] == 0x04) {
        R.app = c[4] == sizeof AID && n >= 5 + sizeof AID && !memcmp(c + 5, AID, sizeof AID);
        sw = R.app ? 0x9000 : 0x6A82;
    } else if (n == 7 && c[1] == 0xA4 && c[2] == 0x02) {
        R.file_sel = R.app && c[5] == 0x01 && c[6] == 0x01;
        sw = R.file_sel ? 0x9000 : 0x6A82;
    } else if (n == 5 && c[1] == 0xB0 && R.file_sel) {
        size_t off = (size_t)(c[2] << 8 | c[3]), le = c[4] ? c[4] : 256;
        if (off >= R.flen) {
            sw = 0x6B00;
        } else {
            size_t avail = R.flen - off;
            if (R.tpdu_t0 && le != avail && le > avail) {
                sw = (uint16_t)(0x6C00 | avail); /* T=0: wrong Le */
            } else {
                k = le < avail ? le : avail;
                memcpy(out, R.file + off, k);
                sw = k < le ? 0x6282 : 0x9000;
            }
        }
    }
    out[k] = (uint8_t)(sw >> 8);
    out[k + 1] = (uint8_t)sw;
    return k + 2;
}

/* Sends the next part of the card's T=1 answer (IFSD 32, as after reset). */
static size_t t1_next(uint8_t *out)
{
    size_t left = R.t1_resp_len - R.t1_resp_off, k = left > 32 ? 32 : left;
    uint8_t pcb = (uint8_t)(R.t1_ns << 6 | (k < left ? 0x20 : 0));
    size_t n = t1_block(out, T1_BLOCK_MAX, pcb, R.t1_resp + R.t1_resp_off, k, false);
    R.t1_resp_off += k;
    R.t1_ns ^= 1;
    return n;
}

/* The card's side of T=1 for one block from the kiosk. */
static size_t card_t1(const uint8_t *b, size_t n, uint8_t *out)
{
    uint8_t pcb;
    const uint8_t *inf;
    size_t il;
    assert_int_equal(t1_check(b, n, false, &pcb, &inf, &il), 0);
    if ((pcb & 0x80) == 0) { /* I-block: the command (never chained here) */
        assert_int_equal(pcb & 0x20, 0);
        memcpy(R.t1_cmd, inf, il);
        R.t1_cmd_len = il;
        R.t1_resp_len = card_apdu(R.t1_cmd, R.t1_cmd_len, R.t1_resp);
        R.t1_resp_off = 0;
        if (R.t1_wtx) {
            R.t1_wtx = false;
            uint8_t m = 2;
            return t1_block(out, T1_BLOCK_MAX, T1_S_WTX, &m, 1, false);
        }
        return t1_next(out);
    }
    if (pcb == (T1_S_WTX | T1_S_RESPONSE)) {
        R.t1_wtx_seen++;
        return t1_next(out);
    }
    assert_int_equal(pcb & 0xC0, 0x80); /* R-block: the next part, please */
    assert_true(R.t1_resp_off < R.t1_resp_len);
    return t1_next(out);
}

static void reader_command(const uint8_t *m, size_t len)
{
    assert_true(len >= 10);
    uint8_t seq = m[6];
    switch (m[0]) {
    case 0x65:
        put_reply(0x81, seq, icc_status(), 0, NULL, 0);
        break;
    case 0x63:
        R.powered = false;
        R.power_offs++;
        put_reply(0x81, seq, icc_status(), 0, NULL, 0);
        break;
    case 0x61:
        R.set_params++;
        put_reply(0x82, seq, icc_status(), 0, m + 10, len - 10);
        break;
    case 0x62: {
        if (R.npower < 4)
            R.power_selects[R.npower++] = m[7];
        if (!R.card_in || (R.mute_18v && m[7] == CCID_POWER_18V)) {
            put_reply(0x80, seq, (uint8_t)(0x40 | icc_status()), CCID_ERR_ICC_MUTE, NULL, 0);
            break;
        }
        R.powered = true;
        R.t1_ns = 0;
        static const uint8_t atr_t0[] = {0x3B, 0x02, 0x14, 0x50};
        /* T=1 only: TD1 = 0x81, TD2 = 0x31 (TA3 IFSC 254, TB3), one hist byte, TCK. */
        static const uint8_t atr_t1[] = {0x3B, 0x81, 0x81, 0x31,
                                         0xFE, 0x45, 0x4E, 0x81 ^ 0x81 ^ 0x31 ^ 0xFE ^ 0x45 ^ 0x4E};
        if (R.tpdu_t0)
            put_reply(0x80, seq, 0, 0, atr_t0, sizeof atr_t0);
        else
            put_reply(0x80, seq, 0, 0, atr_t1, sizeof atr_t1);
        break;
    }
    case 0x6F: {
        R.apdus++;
        if (R.pull_at && R.apdus == R.pull_at) {
            R.card_in = R.powered = false;
            R.notify[0] = 0x50;
            R.notify[1] = 0x02;
            R.notify_len = 2;
            R.have_notify = true;
            put_reply(0x80, seq, 0x42, CCID_ERR_ICC_MUTE, NULL, 0);
            break;
        }
        if (R.swallow_from && R.apdus >= R.swallow_from)
            break;
        if (R.stall_at && R.apdus == R.stall_at)
            R.stall_next_in = true;
        uint8_t out[300];
        size_t n = R.tpdu_t1 ? card_t1(m + 10, len - 10, out) : card_apdu(m + 10, len - 10, out);
        put_reply(0x80, R.bad_seq_at == R.apdus ? (uint8_t)(seq + 1) : seq, 0, 0, out, n);
        break;
    }
    default:
        fail_msg("unexpected command 0x%02X", m[0]);
    }
}

/* Completes transfer I (removed from the list first: its callback may submit). */
static void complete(int i, enum usb_status st, const uint8_t *data, size_t len)
{
    struct xfer x = X[i];
    memmove(X + i, X + i + 1, (size_t)(nx - i - 1) * sizeof X[0]);
    nx--;
    x.cb(x.ud, st, data, len);
}

/* Runs the reader until nothing moves; a bulk IN with nothing to read
 * times out (as it would after its timeout). */
static void settle(void)
{
    for (int guard = 0; guard < 2000; guard++) {
        int pick = -1;
        for (int i = 0; i < nx && pick < 0; i++) {
            if (!(X[i].ep & 0x80))
                pick = i;
            else if (X[i].intr && R.have_notify)
                pick = i;
            else if (!X[i].intr && (R.have_reply || R.stall_next_in))
                pick = i;
        }
        if (pick >= 0) {
            struct xfer *x = &X[pick];
            if (!(x->ep & 0x80)) {
                uint8_t m[CR_OUT_MAX];
                size_t n = x->len;
                memcpy(m, x->data, n);
                complete(pick, USB_OK, NULL, 0);
                reader_command(m, n);
            } else if (x->intr) {
                R.have_notify = false;
                uint8_t m[4];
                memcpy(m, R.notify, R.notify_len);
                complete(pick, USB_OK, m, R.notify_len);
            } else if (R.stall_next_in) {
                R.stall_next_in = false;
                complete(pick, USB_STALL, NULL, 0);
            } else {
                R.have_reply = false;
                uint8_t m[CR_IN_MAX];
                memcpy(m, R.reply, R.reply_len);
                complete(pick, USB_OK, m, R.reply_len);
            }
            continue;
        }
        for (int i = 0; i < nx && pick < 0; i++)
            if ((X[i].ep & 0x80) && !X[i].intr)
                pick = i;
        if (pick < 0)
            return;
        complete(pick, USB_TIMEOUT, NULL, 0);
    }
    fail_msg("the driver never settles");
}

static void notify(bool present)
{
    R.notify[0] = 0x50;
    R.notify[1] = present ? 0x03 : 0x02;
    R.notify_len = 2;
    R.have_notify = true;
}

/* ---- descriptors ---- */

static uint8_t DESC[54];
static struct libusb_endpoint_descriptor EPS[3];
static struct libusb_interface_descriptor ALT;

static void make_alt(uint32_t features, bool with_int)
{
    memset(DESC, 0, sizeof DESC);
    DESC[0] = 54;
    DESC[1] = 0x21;
    DESC[2] = 0x10;
    DESC[3] = 0x01;
    DESC[5] = 0x07;
    DESC[6] = 0x03;
    DESC[40] = (uint8_t)features;
    DESC[41] = (uint8_t)(features >> 8);
    DESC[42] = (uint8_t)(features >> 16);
    DESC[44] = 0x0F; /* 271 */
    DESC[45] = 0x01;
    memset(EPS, 0, sizeof EPS);
    EPS[0].bEndpointAddress = 0x02;
    EPS[0].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
    EPS[1].bEndpointAddress = 0x82;
    EPS[1].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
    EPS[2].bEndpointAddress = 0x83;
    EPS[2].bmAttributes = LIBUSB_TRANSFER_TYPE_INTERRUPT;
    memset(&ALT, 0, sizeof ALT);
    ALT.bInterfaceNumber = 0;
    ALT.bInterfaceClass = 0x0B;
    ALT.bNumEndpoints = with_int ? 3 : 2;
    ALT.endpoint = EPS;
    ALT.extra = DESC;
    ALT.extra_length = sizeof DESC;
}

#define APDU_LEVEL 0x000204BA /* short APDU, automatic parameters and voltage */
#define TPDU_LEVEL 0x00010030 /* TPDU, nothing automatic */

static struct usb_dev *const DEV = (struct usb_dev *)&R; /* never dereferenced */

static void *start(uint32_t features, bool with_int, bool tpdu_t0, bool card_in)
{
    nx = nev = restarts = clear_halts = 0;
    timer_cb = NULL;
    config_defaults(&CFG);
    reader_reset(tpdu_t0);
    R.card_in = card_in;
    make_alt(features, with_int);
    char err[128] = "";
    void *st = test_card_reader_role.attach(DEV, &ALT, err, sizeof err);
    assert_non_null(st);
    settle();
    return st;
}

static void describe_is(void *st, const char *want)
{
    char out[32];
    test_card_reader_role.describe(st, out, sizeof out);
    assert_string_equal(out, want);
}

static int find_ev(enum device_event_kind k)
{
    for (int i = 0; i < nev; i++)
        if (EV[i].kind == k)
            return i;
    return -1;
}

static void assert_read(void)
{
    int i = find_ev(CNIC_READ);
    assert_true(i >= 0);
    assert_string_equal(EV[i].cnic, "3520212345671");
    assert_string_equal(EV[i].name, "Ayesha Bibi");
    assert_string_equal(EV[i].dob, "1985-03-14");
    assert_true(find_ev(CARD_INSERTED) >= 0 && find_ev(CARD_INSERTED) < i);
}

/* ---- the stories ---- */

static void test_card_already_in_apdu_level(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, true);
    assert_read();
    assert_int_equal(R.set_params, 0); /* the reader sets them itself */
    assert_int_equal(R.power_selects[0], CCID_POWER_AUTO);
    assert_int_equal(R.power_offs, 1);
    assert_false(R.powered);
    describe_is(st, "card present, read");
    /* Taken out. */
    nev = 0;
    R.card_in = false;
    notify(false);
    settle();
    assert_int_equal(nev, 1);
    assert_int_equal(EV[0].kind, CARD_REMOVED);
    assert_int_equal(EV[0].problem, DEVICE_PROBLEM_NONE);
    describe_is(st, "no card");
    /* Put back: read again. */
    nev = 0;
    R.card_in = true;
    notify(true);
    settle();
    assert_read();
    test_card_reader_role.detach(st, false);
}

static void test_tpdu_t0_with_voltage_fallback(void **state)
{
    (void)state;
    void *st = start(TPDU_LEVEL, true, true, false);
    describe_is(st, "no card");
    assert_int_equal(nev, 0);
    R.card_in = true;
    R.mute_18v = true;
    notify(true);
    settle();
    assert_read();
    assert_int_equal(R.power_selects[0], CCID_POWER_18V);
    assert_int_equal(R.power_selects[1], CCID_POWER_3V);
    assert_int_equal(R.set_params, 1);
    test_card_reader_role.detach(st, false);
}

static void test_tpdu_t1_with_chaining_and_wtx(void **state)
{
    (void)state;
    void *st = start(TPDU_LEVEL, true, false, false);
    R.tpdu_t1 = true;
    R.t1_wtx = true;
    R.card_in = true;
    notify(true);
    settle();
    assert_read();
    assert_int_equal(R.t1_wtx_seen, 1);
    assert_int_equal(R.set_params, 1);
    /* A second card: sequence numbers start again from the reset. */
    R.card_in = false;
    notify(false);
    settle();
    nev = 0;
    R.card_in = true;
    notify(true);
    settle();
    assert_read();
    test_card_reader_role.detach(st, false);
}

static void test_polled_without_interrupt(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, false, false, false);
    assert_non_null(timer_cb);
    R.card_in = true;
    timer_cb(timer_ud);
    settle();
    assert_read();
    nev = 0;
    R.card_in = false;
    timer_cb(timer_ud);
    settle();
    assert_int_equal(nev, 1);
    assert_int_equal(EV[0].kind, CARD_REMOVED);
    test_card_reader_role.detach(st, false);
}

static void test_bad_sequence_then_next_card_works(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, false);
    R.card_in = true;
    R.bad_seq_at = 2;
    notify(true);
    settle();
    int i = find_ev(CARD_UNREADABLE);
    assert_true(i >= 0);
    assert_int_equal(EV[i].problem, DEVICE_PROBLEM_PROTOCOL);
    assert_int_equal(find_ev(CNIC_READ), -1);
    assert_false(R.powered); /* put back in a known state */
    assert_int_equal(restarts, 0);
    describe_is(st, "card present");
    /* Out and in again: read. */
    R.bad_seq_at = 0;
    R.card_in = false;
    notify(false);
    settle();
    nev = 0;
    R.card_in = true;
    notify(true);
    settle();
    assert_read();
    test_card_reader_role.detach(st, false);
}

static void test_silence_then_restart(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, false);
    R.swallow_from = 1;
    for (int k = 0; k < CR_MAX_FAILS && restarts == 0; k++) {
        nev = 0;
        R.card_in = true;
        notify(true);
        settle();
        int i = find_ev(CARD_UNREADABLE);
        assert_true(i >= 0);
        assert_int_equal(EV[i].problem, DEVICE_PROBLEM_TIMEOUT);
        R.card_in = false;
        notify(false);
        settle();
    }
    assert_int_equal(restarts, 1);
    test_card_reader_role.detach(st, false);
}

static void test_stall_is_cleared(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, false);
    R.card_in = true;
    R.stall_at = 3;
    notify(true);
    settle();
    assert_read();
    assert_int_equal(clear_halts, 1);
    test_card_reader_role.detach(st, false);
}

static void test_removed_mid_read(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, false);
    R.card_in = true;
    R.pull_at = 3;
    notify(true);
    settle();
    int i = find_ev(CARD_REMOVED);
    assert_true(i >= 0);
    assert_int_equal(EV[i].problem, DEVICE_PROBLEM_CARD_REMOVED);
    assert_int_equal(find_ev(CNIC_READ), -1);
    assert_int_equal(find_ev(CARD_UNREADABLE), -1);
    describe_is(st, "no card");
    /* The next card is read. */
    nev = 0;
    R.pull_at = 0;
    R.card_in = true;
    notify(true);
    settle();
    assert_read();
    test_card_reader_role.detach(st, false);
}

static void test_unplugged_mid_read(void **state)
{
    (void)state;
    void *st = start(APDU_LEVEL, true, false, false);
    R.card_in = true;
    R.swallow_from = 2;
    notify(true);
    /* Run only until the second APDU is out and unanswered. */
    for (int guard = 0; guard < 50 && R.apdus < 2; guard++) {
        int pick = -1;
        for (int i = 0; i < nx && pick < 0; i++)
            if (!(X[i].ep & 0x80) || (X[i].intr && R.have_notify) || (!X[i].intr && R.have_reply))
                pick = i;
        assert_true(pick >= 0);
        if (pick < 0)
            break;
        if (!(X[pick].ep & 0x80)) {
            uint8_t m[CR_OUT_MAX];
            size_t n = X[pick].len;
            memcpy(m, X[pick].data, n);
            complete(pick, USB_OK, NULL, 0);
            reader_command(m, n);
        } else if (X[pick].intr) {
            R.have_notify = false;
            complete(pick, USB_OK, R.notify, R.notify_len);
        } else {
            R.have_reply = false;
            complete(pick, USB_OK, R.reply, R.reply_len);
        }
    }
    describe_is(st, "card present, reading");
    nev = 0;
    test_card_reader_role.detach(st, true);
    assert_int_equal(nev, 1);
    assert_int_equal(EV[0].kind, DEVICE_GONE);
    assert_int_equal(EV[0].problem, DEVICE_PROBLEM_GONE_MID_READ);
    nx = 0; /* the transport cancels what was in flight */
}

static void test_other_card(void **state)
{
    (void)state;
    static const uint8_t other[] = {0xA0, 0x00, 0x00, 0x00, 0x03};
    void *st = start(APDU_LEVEL, true, false, false);
    memcpy(CFG.card.aid, other, sizeof other);
    CFG.card.aid_len = sizeof other;
    R.card_in = true;
    notify(true);
    settle();
    int i = find_ev(CARD_UNREADABLE);
    assert_true(i >= 0);
    assert_int_equal(EV[i].problem, DEVICE_PROBLEM_CARD_UNKNOWN);
    assert_false(R.powered);
    test_card_reader_role.detach(st, false);
}

static void test_match_and_refusals(void **state)
{
    (void)state;
    nx = 0;
    make_alt(APDU_LEVEL, true);
    struct libusb_interface itf[2];
    struct libusb_interface_descriptor hid = ALT;
    hid.bInterfaceClass = 0x03;
    hid.bInterfaceNumber = 0;
    ALT.bInterfaceNumber = 1;
    itf[0].altsetting = &hid;
    itf[0].num_altsetting = 1;
    itf[1].altsetting = &ALT;
    itf[1].num_altsetting = 1;
    struct libusb_config_descriptor cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.bNumInterfaces = 2;
    cfg.interface = itf;
    struct usb_match_info mi = {.cfg = &cfg, .manufacturer = "", .product = "", .printer_id = ""};
    assert_int_equal(test_card_reader_role.match(&mi), 1);
    ALT.extra_length = 10; /* no valid class descriptor */
    assert_int_equal(test_card_reader_role.match(&mi), -1);
    /* Character level: matched, but refused at attach. */
    make_alt(0x00000000, true);
    ALT.bInterfaceNumber = 1;
    assert_int_equal(test_card_reader_role.match(&mi), 1);
    char err[128] = "";
    assert_null(test_card_reader_role.attach(DEV, &ALT, err, sizeof err));
    assert_string_equal(err, "character-level CCID reader: not supported");
    assert_int_equal(nx, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_already_in_apdu_level),
        cmocka_unit_test(test_tpdu_t0_with_voltage_fallback),
        cmocka_unit_test(test_tpdu_t1_with_chaining_and_wtx),
        cmocka_unit_test(test_polled_without_interrupt),
        cmocka_unit_test(test_bad_sequence_then_next_card_works),
        cmocka_unit_test(test_silence_then_restart),
        cmocka_unit_test(test_stall_is_cleared),
        cmocka_unit_test(test_removed_mid_read),
        cmocka_unit_test(test_unplugged_mid_read),
        cmocka_unit_test(test_other_card),
        cmocka_unit_test(test_match_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
