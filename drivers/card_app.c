/*
 * card_app.c - the identity card's side of a read: the APDUs of the
 * profile, when a file ends, and the checks on what was read.
 *
 * A file ends when the card says so (6282, fewer bytes than asked, 6B00
 * past the end) or at CARD_FILE_MAX; a card that sends more than asked is
 * lying and the read is abandoned. Must never log, keep card data outside
 * struct card_app and the event it fills, or read past a value's length.
 */
#include "card_app.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/cnic.h"
#include "../kiosk/utf8.h"
#include "tlv.h"

enum { ST_SELECT_AID = 0, ST_SELECT_FILE, ST_READ, ST_DONE, ST_FAILED };

static enum card_app_step fail(struct card_app *a, enum device_problem p, const char *what,
                               uint16_t sw)
{
    a->stage = ST_FAILED;
    a->problem = p;
    snprintf(a->why, sizeof a->why, "%s (SW %04X)", what, (unsigned)sw);
    return CARD_APP_FAILED;
}

static void add_file(struct card_app *a, const struct card_field_ref *r)
{
    if (!r->present)
        return;
    for (size_t i = 0; i < a->nfiles; i++)
        if (a->fid[i] == r->file)
            return;
    a->fid[a->nfiles++] = r->file;
}

static void select_file(struct card_app *a)
{
    uint8_t fid[2] = {(uint8_t)(a->fid[a->file] >> 8), (uint8_t)a->fid[a->file]};
    /* P2=0C: no FCI wanted, so the answer is a bare status word. */
    a->cmd_len = apdu_build(a->cmd, sizeof a->cmd, 0x00, 0xA4, 0x02, 0x0C, fid, 2, -1);
    a->stage = ST_SELECT_FILE;
}

static void read_next(struct card_app *a)
{
    size_t off = a->len[a->file];
    size_t le = CARD_FILE_MAX - off < a->chunk ? CARD_FILE_MAX - off : a->chunk;
    a->asked = le;
    a->cmd_len = apdu_build(a->cmd, sizeof a->cmd, 0x00, 0xB0, (uint8_t)(off >> 8), (uint8_t)off,
                            NULL, 0, (int)le);
    a->stage = ST_READ;
}

void card_app_start(struct card_app *a, const struct card_profile *p, size_t chunk)
{
    memset(a, 0, sizeof *a);
    a->prof = *p;
    a->chunk = chunk == 0 || chunk > 256 ? 256 : chunk;
    add_file(a, &p->cnic);
    add_file(a, &p->name);
    add_file(a, &p->dob);
    a->cmd_len = apdu_build(a->cmd, sizeof a->cmd, 0x00, 0xA4, 0x04, 0x00, p->aid,
                            p->aid_len > CARD_AID_MAX ? CARD_AID_MAX : p->aid_len, -1);
    a->stage = ST_SELECT_AID;
}

/* The file in hand is finished: the next one, or done. */
static enum card_app_step file_done(struct card_app *a)
{
    if (++a->file < a->nfiles) {
        select_file(a);
        return CARD_APP_SEND;
    }
    a->stage = ST_DONE;
    return CARD_APP_DONE;
}

enum card_app_step card_app_feed(struct card_app *a, uint16_t sw, const uint8_t *data, size_t len)
{
    enum apdu_sw_class c = apdu_sw_classify(sw);
    switch (a->stage) {
    case ST_SELECT_AID:
        if (c != APDU_SW_CLASS_OK && c != APDU_SW_CLASS_WARNING)
            return fail(a, DEVICE_PROBLEM_CARD_UNKNOWN, "application not selected", sw);
        if (a->nfiles == 0)
            return fail(a, DEVICE_PROBLEM_CARD_UNKNOWN, "profile names no file", sw);
        a->file = 0;
        select_file(a);
        return CARD_APP_SEND;
    case ST_SELECT_FILE:
        if (c != APDU_SW_CLASS_OK && c != APDU_SW_CLASS_WARNING)
            return fail(a, DEVICE_PROBLEM_CARD_UNKNOWN, "file not selected", sw);
        read_next(a);
        return CARD_APP_SEND;
    case ST_READ: {
        size_t *have = &a->len[a->file];
        if (sw == APDU_SW_WRONG_P1P2)
            return file_done(a); /* the offset is past the end: the file ended exactly */
        if (sw != APDU_SW_OK && sw != APDU_SW_EOF)
            return fail(a, DEVICE_PROBLEM_CARD_UNKNOWN, "file not read", sw);
        if (len > a->asked || (len && !data))
            return fail(a, DEVICE_PROBLEM_PROTOCOL, "card sent more than asked", sw);
        if (len)
            memcpy(a->data[a->file] + *have, data, len);
        *have += len;
        if (sw == APDU_SW_EOF || len < a->asked || *have >= CARD_FILE_MAX)
            return file_done(a);
        read_next(a);
        return CARD_APP_SEND;
    }
    default:
        return fail(a, DEVICE_PROBLEM_PROTOCOL, "answer after the end", sw);
    }
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int digits(const uint8_t *v, size_t n)
{
    int x = 0;
    for (size_t i = 0; i < n; i++)
        x = x * 10 + (v[i] - '0');
    return x;
}

int card_dob_convert(const uint8_t *v, size_t n, enum card_dob_format format, char out[11])
{
    if (!v || n != 8)
        return -1;
    for (size_t i = 0; i < 8; i++)
        if (v[i] < '0' || v[i] > '9')
            return -1;
    int y, m, d;
    if (format == CARD_DOB_DDMMYYYY) {
        d = digits(v, 2);
        m = digits(v + 2, 2);
        y = digits(v + 4, 4);
    } else {
        y = digits(v, 4);
        m = digits(v + 4, 2);
        d = digits(v + 6, 2);
    }
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return -1;
    if (d > dim[m - 1] + (m == 2 && is_leap(y)))
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return 0;
}

/* The value of field R, or NULL with TLV_NOT_FOUND / TLV_MALFORMED in *RES. */
static const uint8_t *field(const struct card_app *a, const struct card_field_ref *r, size_t *n,
                            enum tlv_result *res)
{
    const uint8_t *v = NULL;
    *res = TLV_NOT_FOUND;
    for (size_t i = 0; i < a->nfiles; i++)
        if (a->fid[i] == r->file) {
            *res = tlv_find(a->data[i], a->len[i], r->tag, &v, n);
            break;
        }
    return *res == TLV_FOUND ? v : NULL;
}

static enum device_problem unreadable(struct device_event *ev, enum device_problem p, char *why,
                                      size_t whysz, const char *text)
{
    ev->kind = CARD_UNREADABLE;
    ev->problem = p;
    ev->cnic[0] = ev->name[0] = ev->dob[0] = '\0';
    if (why && whysz)
        snprintf(why, whysz, "%s", text);
    return p;
}

/* Pads a card may leave after a text value. */
static size_t trim(const uint8_t *v, size_t n)
{
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == 0x00 || v[n - 1] == 0xFF))
        n--;
    return n;
}

static void take_name(const uint8_t *v, size_t n, char *out, size_t outsz)
{
    char tmp[4 * DEVICE_NAME_MAX];
    out[0] = '\0';
    n = trim(v, n);
    if (!utf8_valid((const char *)v, n))
        return;
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] == 0x7F)
            return;
    if (n > sizeof tmp - 1)
        n = sizeof tmp - 1;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    utf8_copy(tmp, out, outsz); /* cut at a character boundary to fit */
}

enum device_problem card_app_result(const struct card_app *a, const char *regions,
                                    struct device_event *ev, char *why, size_t whysz)
{
    memset(ev, 0, sizeof *ev);
    if (a->stage != ST_DONE)
        return unreadable(ev, a->problem ? a->problem : DEVICE_PROBLEM_PROTOCOL, why, whysz,
                          a->why[0] ? a->why : "read not finished");
    size_t n;
    enum tlv_result res;
    const uint8_t *v = field(a, &a->prof.cnic, &n, &res);
    if (!v)
        return unreadable(ev, DEVICE_PROBLEM_CARD_UNKNOWN, why, whysz,
                          res == TLV_MALFORMED ? "CNIC file is not BER-TLV" : "no CNIC tag");
    char text[24];
    n = trim(v, n);
    if (n >= sizeof text)
        return unreadable(ev, DEVICE_PROBLEM_CARD_BAD_CNIC, why, whysz, "CNIC field too long");
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] > 0x7E)
            return unreadable(ev, DEVICE_PROBLEM_CARD_BAD_CNIC, why, whysz,
                              "CNIC field is not text");
    memcpy(text, v, n);
    text[n] = '\0';
    struct cnic c;
    enum cnic_error ce = cnic_parse(text, regions && regions[0] ? regions : NULL, &c);
    if (ce != CNIC_OK)
        return unreadable(ev, DEVICE_PROBLEM_CARD_BAD_CNIC, why, whysz, cnic_error_text(ce));
    ev->kind = CNIC_READ;
    ev->problem = DEVICE_PROBLEM_NONE;
    snprintf(ev->cnic, sizeof ev->cnic, "%s", c.digits);
    if (why && whysz)
        why[0] = '\0';
    if (a->prof.name.present && (v = field(a, &a->prof.name, &n, &res)) != NULL) {
        take_name(v, n, ev->name, sizeof ev->name);
        if (!ev->name[0] && why && whysz)
            snprintf(why, whysz, "name not valid text: left out");
    }
    if (a->prof.dob.present && (v = field(a, &a->prof.dob, &n, &res)) != NULL) {
        if (card_dob_convert(v, trim(v, n), a->prof.dob_format, ev->dob) < 0) {
            ev->dob[0] = '\0';
            if (why && whysz)
                snprintf(why, whysz, "date of birth not a real date: left out");
        }
    }
    return DEVICE_PROBLEM_NONE;
}
