/*
 * test_escpos.c - unit tests for drivers/escpos.c: the receipt's bytes read
 * back by a small ESC/POS interpreter that knows only the commands a
 * receipt may use (so any stray control byte fails), and the real-time
 * status bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/escpos.h"

/* What the interpreter saw. */
struct seen {
    char lines[64][200];
    int size[64]; /* GS ! value in force for each line */
    int nlines;
    char qr[300];
    int qr_model, qr_module, qr_level, qr_printed;
    int init_first, cut_last;
};

static void interpret(const uint8_t *b, size_t n, struct seen *s)
{
    memset(s, 0, sizeof *s);
    size_t i = 0, col = 0;
    int cur_size = 0;
    s->init_first = n >= 2 && b[0] == 0x1B && b[1] == '@';
    while (i < n) {
        uint8_t c = b[i];
        if (c >= 0x20 && c <= 0x7E) {
            assert_true(col < sizeof s->lines[0] - 1);
            s->lines[s->nlines][col++] = (char)c;
            s->size[s->nlines] = cur_size;
            i++;
        } else if (c == 0x0A) {
            assert_true(s->nlines < 63);
            s->nlines++;
            col = 0;
            i++;
        } else if (c == 0x1B) {
            assert_true(i + 2 < n + 1);
            uint8_t cmd = b[i + 1];
            if (cmd == '@') {
                i += 2;
            } else if (cmd == 't' || cmd == 'R' || cmd == 'a' || cmd == 'E' || cmd == 'd') {
                assert_true(i + 2 < n);
                i += 3;
            } else {
                fail_msg("unexpected ESC %02x", cmd);
            }
        } else if (c == 0x1D) {
            assert_true(i + 1 < n);
            uint8_t cmd = b[i + 1];
            if (cmd == '!') {
                assert_true(i + 2 < n);
                cur_size = b[i + 2];
                i += 3;
            } else if (cmd == 'V') {
                assert_true(i + 3 < n);
                assert_int_equal(b[i + 2], 66);
                s->cut_last = i + 4 == n;
                i += 4;
            } else if (cmd == '(') {
                assert_true(i + 6 < n);
                assert_int_equal(b[i + 2], 'k');
                size_t p = (size_t)b[i + 3] | (size_t)b[i + 4] << 8;
                assert_true(p >= 2 && i + 5 + p <= n);
                assert_int_equal(b[i + 5], '1'); /* cn 49: QR code */
                uint8_t fn = b[i + 6];
                const uint8_t *arg = b + i + 7;
                size_t nargs = p - 2;
                if (fn == 'A') {
                    assert_int_equal(nargs, 2);
                    s->qr_model = arg[0];
                } else if (fn == 'C') {
                    assert_int_equal(nargs, 1);
                    s->qr_module = arg[0];
                } else if (fn == 'E') {
                    assert_int_equal(nargs, 1);
                    s->qr_level = arg[0];
                } else if (fn == 'P') {
                    assert_true(nargs >= 1 && nargs - 1 < sizeof s->qr);
                    assert_int_equal(arg[0], '0');
                    memcpy(s->qr, arg + 1, nargs - 1);
                    s->qr[nargs - 1] = '\0';
                } else if (fn == 'Q') {
                    assert_int_equal(nargs, 1);
                    s->qr_printed = 1;
                } else {
                    fail_msg("unexpected QR function %02x", fn);
                }
                i += 5 + p;
            } else {
                fail_msg("unexpected GS %02x", cmd);
            }
        } else {
            fail_msg("stray control byte %02x at %zu", c, i);
        }
    }
}

static int find_line(const struct seen *s, const char *text)
{
    for (int i = 0; i < s->nlines; i++)
        if (strcmp(s->lines[i], text) == 0)
            return i;
    return -1;
}

static void fill(struct receipt_doc *d)
{
    memset(d, 0, sizeof *d);
    strcpy(d->title, "NSER registration receipt");
    strcpy(d->centre, "BISP Tehsil Office Murree");
    strcpy(d->kiosk_line, "Kiosk 12345");
    strcpy(d->date_line, "Date: 23-11-2026 14:05");
    strcpy(d->tracking_label, "Tracking ID");
    strcpy(d->tracking, "12345-261123-0042-7");
    strcpy(d->qr_payload, "1234526112300427");
    strcpy(d->next_title, "What to do next");
    strcpy(d->next[0], "Keep this slip. Your household's status can be checked at any kiosk "
                       "or by SMS to 8171 with the tracking ID above.");
    strcpy(d->next[1], "Bring every member's CNIC or B-form to the centre if you are called.");
}

static void test_receipt_layout(void **state)
{
    (void)state;
    struct receipt_doc d;
    fill(&d);
    uint8_t out[ESCPOS_RECEIPT_MAX];
    size_t len = 0;
    assert_int_equal(escpos_receipt(&d, 42, out, sizeof out, &len), 0);
    assert_true(len > 100);
    struct seen s;
    interpret(out, len, &s);
    assert_true(s.init_first);
    assert_true(s.cut_last);
    assert_true(find_line(&s, "NSER registration receipt") >= 0);
    assert_true(find_line(&s, "BISP Tehsil Office Murree") >= 0);
    assert_true(find_line(&s, "Date: 23-11-2026 14:05") >= 0);
    assert_int_equal(find_line(&s, "COPY"), -1);
    int t = find_line(&s, "12345-261123-0042-7");
    assert_true(t >= 0);
    assert_int_equal(s.size[t], 0x11); /* double width and height */
    assert_string_equal(s.qr, "1234526112300427");
    assert_int_equal(s.qr_model, '2');
    assert_int_equal(s.qr_level, '1'); /* M */
    assert_true(s.qr_module >= 1 && s.qr_module <= 16);
    assert_true(s.qr_printed);
    /* The paragraphs are wrapped at 42, and every word is still there. */
    char joined[1024] = "";
    for (int i = find_line(&s, "What to do next") + 1; i < s.nlines; i++) {
        assert_true(strlen(s.lines[i]) <= 42);
        if (s.lines[i][0]) {
            if (joined[0] && joined[strlen(joined) - 1] != '\n')
                strcat(joined, " ");
            strcat(joined, s.lines[i]);
        } else {
            strcat(joined, "\n");
        }
    }
    assert_non_null(strstr(joined, d.next[0]));
    assert_non_null(strstr(joined, d.next[1]));
}

static void test_reprint_and_narrow_paper(void **state)
{
    (void)state;
    struct receipt_doc d;
    fill(&d);
    d.reprint = 1;
    uint8_t out[ESCPOS_RECEIPT_MAX];
    size_t len;
    assert_int_equal(escpos_receipt(&d, 32, out, sizeof out, &len), 0);
    struct seen s;
    interpret(out, len, &s);
    assert_true(find_line(&s, "COPY") >= 0);
    for (int i = 0; i < s.nlines; i++)
        assert_true(strlen(s.lines[i]) <= (s.size[i] & 0x70 ? 16u : 32u));
    /* 19 characters do not fit twice as wide in 32: tall only. */
    int t = find_line(&s, "12345-261123-0042-7");
    assert_true(t >= 0);
    assert_int_equal(s.size[t], 0x01);
    assert_int_equal(s.qr_module, 4);
}

static void test_hostile_text_never_a_command(void **state)
{
    (void)state;
    struct receipt_doc d;
    fill(&d);
    strcpy(d.title, "\x1b@\x1dV\x42\x10\x04\x01\n\r\t\x7f");
    strcpy(d.centre, "Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC3 \xFF\x80z");
    strcpy(d.tracking, "\x1d!\x77");
    strcpy(d.qr_payload, "12\x1d(k34");
    memset(d.next[0], 'W', sizeof d.next[0] - 1); /* one word longer than a line */
    d.next[0][sizeof d.next[0] - 1] = '\0';
    uint8_t out[ESCPOS_RECEIPT_MAX];
    size_t len;
    assert_int_equal(escpos_receipt(&d, 42, out, sizeof out, &len), 0);
    struct seen s;
    interpret(out, len, &s); /* fails on any stray command */
    assert_true(find_line(&s, "?@?VB???????") >= 0);
    assert_true(find_line(&s, "Caf? ? ? ? ??z") >= 0);
    assert_string_equal(s.qr, "12?(k34");
    for (int i = 0; i < s.nlines; i++)
        assert_true(strlen(s.lines[i]) <= 42);
}

static void test_bounds(void **state)
{
    (void)state;
    struct receipt_doc d;
    fill(&d);
    uint8_t out[ESCPOS_RECEIPT_MAX];
    size_t len = 7;
    assert_int_equal(escpos_receipt(&d, 42, out, 100, &len), -1);
    assert_int_equal(len, 0);
    assert_int_equal(escpos_receipt(&d, 8, out, sizeof out, &len), -1);
    assert_int_equal(escpos_receipt(&d, 1000, out, sizeof out, &len), -1);
    assert_int_equal(escpos_receipt(NULL, 42, out, sizeof out, &len), -1);
    /* Every field full, the widest paper: still fits the documented max. */
    memset(&d, 'A', sizeof d);
    d.title[RECEIPT_LINE_MAX - 1] = d.centre[RECEIPT_LINE_MAX - 1] = '\0';
    d.kiosk_line[RECEIPT_LINE_MAX - 1] = d.date_line[RECEIPT_LINE_MAX - 1] = '\0';
    d.tracking_label[RECEIPT_LINE_MAX - 1] = d.next_title[RECEIPT_LINE_MAX - 1] = '\0';
    d.tracking[sizeof d.tracking - 1] = d.qr_payload[sizeof d.qr_payload - 1] = '\0';
    for (int i = 0; i < RECEIPT_NEXT_MAX; i++)
        d.next[i][RECEIPT_LINE_MAX - 1] = '\0';
    assert_int_equal(escpos_receipt(&d, ESCPOS_COLUMNS_MIN, out, sizeof out, &len), 0);
    assert_int_equal(escpos_receipt(&d, ESCPOS_COLUMNS_MAX, out, sizeof out, &len), 0);
}

static void test_sanitize(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(escpos_sanitize("abc", out, sizeof out), 3);
    assert_string_equal(out, "abc");
    escpos_sanitize("\xD8\xB9\xD9\x84\xDB\x8C", out, sizeof out); /* Urdu: three letters */
    assert_string_equal(out, "???");
    escpos_sanitize("a\xE2\x82", out, sizeof out); /* cut-off sequence */
    assert_string_equal(out, "a?");
    escpos_sanitize("0123456789abcdefghij", out, 5);
    assert_string_equal(out, "0123");
    assert_int_equal(escpos_sanitize(NULL, out, sizeof out), 0);
    assert_int_equal(escpos_sanitize("x", out, 0), 0);
}

/* Office printers say what they speak; receipt printers often say nothing. */
static void test_device_id(void **state)
{
    (void)state;
    assert_true(escpos_device_id_ok("MFG:EPSON;CMD:ESC/POS;MDL:TM-T20II;CLS:PRINTER;"));
    assert_true(escpos_device_id_ok("MFG:Star;CMD:STAR,ESCPOS;MDL:TSP100;"));
    assert_true(escpos_device_id_ok("MANUFACTURER:POS;COMMAND SET:esc/pos;"));
    assert_true(escpos_device_id_ok(""));
    assert_true(escpos_device_id_ok("MFG:Generic;MDL:58mm;"));
    assert_true(escpos_device_id_ok(NULL));
    assert_false(escpos_device_id_ok("MFG:HP;CMD:PJL,PCL,POSTSCRIPT;MDL:LaserJet;"));
    /* Epson's inkjets speak ESC/P-R, which is not ESC/POS. */
    assert_false(escpos_device_id_ok("MFG:EPSON;CMD:ESCPL2,BDC,D4,D4PX,ESCPR7,END4;MDL:L3150;"));
    assert_false(escpos_device_id_ok("CMD:PCL;CMD:ESC/POS;")); /* the first CMD counts */
}

static void test_status_bytes(void **state)
{
    (void)state;
    uint8_t req[ESCPOS_STATUS_REQ_LEN];
    escpos_status_request(ESCPOS_REQ_PAPER, req);
    assert_memory_equal(req, "\x10\x04\x04", 3);

    struct escpos_status st = {0};
    const uint8_t ok = 0x12, offline = 0x1A, cover = 0x16, paper_end = 0x32, error = 0x52;
    const uint8_t roll_out = 0x72, near_end = 0x1E;
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, &ok, 1, &st), 0);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_OFFLINE, &ok, 1, &st), 0);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PAPER, &ok, 1, &st), 0);
    assert_false(st.offline || st.cover_open || st.paper_out || st.paper_near_end || st.error);

    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, &offline, 1, &st), 0);
    assert_true(st.offline);
    memset(&st, 0, sizeof st);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_OFFLINE, &cover, 1, &st), 0);
    assert_true(st.cover_open);
    assert_false(st.paper_out);
    memset(&st, 0, sizeof st);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_OFFLINE, &paper_end, 1, &st), 0);
    assert_true(st.paper_out);
    memset(&st, 0, sizeof st);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_OFFLINE, &error, 1, &st), 0);
    assert_true(st.error);
    memset(&st, 0, sizeof st);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PAPER, &roll_out, 1, &st), 0);
    assert_true(st.paper_out);
    memset(&st, 0, sizeof st);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PAPER, &near_end, 1, &st), 0);
    assert_true(st.paper_near_end);
    assert_false(st.paper_out);

    /* Wrong fixed bits, wrong lengths. */
    const uint8_t bad[] = {0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x1B};
    for (size_t i = 0; i < sizeof bad; i++)
        assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, &bad[i], 1, &st), -1);
    const uint8_t two[2] = {0x12, 0x12};
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, two, 2, &st), -1);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, two, 0, &st), -1);
    assert_int_equal(escpos_status_parse(ESCPOS_REQ_PRINTER, NULL, 1, &st), -1);
    assert_int_equal(escpos_status_parse((enum escpos_status_req)3, &ok, 1, &st), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_layout),
        cmocka_unit_test(test_reprint_and_narrow_paper),
        cmocka_unit_test(test_hostile_text_never_a_command),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_status_bytes),
        cmocka_unit_test(test_device_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
