/*
 * escpos.c - receipt layout in ESC/POS, and real-time status bytes.
 *
 * Commands follow Epson's ESC/POS reference (the common subset every
 * ESC/POS clone implements): ESC @, ESC t, ESC a, ESC E, GS !, GS ( k
 * function 165/167/169/180/181 for the QR code, ESC d, GS V, and DLE EOT
 * 1/2/4. All output goes through one bounded writer; a text never puts a
 * byte below 0x20 or above 0x7E on the wire.
 */
#include "escpos.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define ESC 0x1B
#define GS  0x1D
#define DLE 0x10
#define EOT 0x04
#define LF  0x0A

#define QR_DATA_MAX 256 /* more than receipt_doc's qr_payload */

struct writer {
    uint8_t *out;
    size_t size, len;
    bool full;
};

static void put(struct writer *w, const void *bytes, size_t n)
{
    if (w->full || n > w->size - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->out + w->len, bytes, n);
    w->len += n;
}

static void put_byte(struct writer *w, uint8_t b)
{
    put(w, &b, 1);
}

/* Length of the UTF-8 sequence led by C, or 0 when C cannot lead one. */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

size_t escpos_sanitize(const char *text, char *out, size_t outsz)
{
    size_t n = 0;
    if (outsz == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)text; p && *p && n + 1 < outsz;) {
        unsigned char c = *p;
        if (c >= 0x20 && c <= 0x7E) {
            out[n++] = (char)c;
            p++;
            continue;
        }
        size_t seq = utf8_len(c), i = 1;
        while (i < seq && p[i] >= 0x80 && p[i] <= 0xBF)
            i++;
        p += seq ? i : 1; /* a cut-off sequence is one character too */
        out[n++] = '?';
    }
    out[n] = '\0';
    return n;
}

/* Writes TEXT word-wrapped at WIDTH, each line ended by LF; a word longer
 * than a line is cut. An empty text writes one empty line. */
static void put_wrapped(struct writer *w, const char *text, int width)
{
    char clean[RECEIPT_LINE_MAX * 2];
    size_t n = escpos_sanitize(text, clean, sizeof clean);
    size_t pos = 0, col = 0;
    size_t lim = (size_t)width;
    if (n == 0) {
        put_byte(w, LF);
        return;
    }
    while (pos < n) {
        while (pos < n && clean[pos] == ' ')
            pos++;
        size_t end = pos;
        while (end < n && clean[end] != ' ')
            end++;
        size_t wl = end - pos;
        if (wl == 0)
            break;
        if (col > 0 && col + 1 + wl > lim) {
            put_byte(w, LF);
            col = 0;
        }
        if (col > 0) {
            put_byte(w, ' ');
            col++;
        }
        while (wl > lim - col) { /* a word wider than the line */
            size_t part = lim - col;
            put(w, clean + pos, part);
            put_byte(w, LF);
            pos += part;
            wl -= part;
            col = 0;
        }
        put(w, clean + pos, wl);
        col += wl;
        pos = end;
    }
    put_byte(w, LF);
}

static void align(struct writer *w, int centre)
{
    const uint8_t cmd[] = {ESC, 'a', (uint8_t)(centre ? 1 : 0)};
    put(w, cmd, sizeof cmd);
}

static void bold(struct writer *w, int on)
{
    const uint8_t cmd[] = {ESC, 'E', (uint8_t)(on ? 1 : 0)};
    put(w, cmd, sizeof cmd);
}

/* GS ! n: character width and height multipliers 1..8. */
static void size(struct writer *w, int wide, int high)
{
    const uint8_t cmd[] = {GS, '!', (uint8_t)(((wide - 1) << 4) | (high - 1))};
    put(w, cmd, sizeof cmd);
}

/* GS ( k pL pH cn fn [m]: one QR code function. */
static void qr_fn(struct writer *w, uint8_t fn, const uint8_t *args, size_t nargs)
{
    size_t p = nargs + 2;
    const uint8_t head[] = {GS, '(', 'k', (uint8_t)(p & 0xFF), (uint8_t)(p >> 8), '1', fn};
    put(w, head, sizeof head);
    put(w, args, nargs);
}

static void put_qr(struct writer *w, const char *payload, int columns)
{
    char data[QR_DATA_MAX];
    size_t n = escpos_sanitize(payload, data, sizeof data);
    if (n == 0)
        return;
    const uint8_t model[] = {'2', 0};                            /* fn 65: model 2 */
    const uint8_t module[] = {(uint8_t)(columns >= 40 ? 6 : 4)}; /* fn 67: dots a module */
    const uint8_t level[] = {'1'};                               /* fn 69: 48 L, 49 M, 50 Q, 51 H */
    uint8_t store[QR_DATA_MAX + 1];
    store[0] = '0'; /* fn 80 m = 48 */
    memcpy(store + 1, data, n);
    const uint8_t print[] = {'0'}; /* fn 81 m = 48 */
    qr_fn(w, 'A', model, sizeof model);
    qr_fn(w, 'C', module, sizeof module);
    qr_fn(w, 'E', level, sizeof level);
    qr_fn(w, 'P', store, n + 1);
    qr_fn(w, 'Q', print, sizeof print);
    put_byte(w, LF);
}

int escpos_receipt(const struct receipt_doc *doc, int columns, uint8_t *out, size_t outsz,
                   size_t *len)
{
    *len = 0;
    if (!doc || !out || columns < ESCPOS_COLUMNS_MIN || columns > ESCPOS_COLUMNS_MAX)
        return -1;
    struct writer w = {out, outsz, 0, false};
    const uint8_t init[] = {ESC, '@', ESC, 't', 0, ESC, 'R', 0}; /* PC437, USA */
    put(&w, init, sizeof init);

    align(&w, 1);
    bold(&w, 1);
    put_wrapped(&w, doc->title, columns);
    bold(&w, 0);
    if (doc->reprint) {
        size(&w, 2, 2);
        put_wrapped(&w, "COPY", columns / 2);
        size(&w, 1, 1);
    }
    put_wrapped(&w, doc->centre, columns);
    put_wrapped(&w, doc->kiosk_line, columns);
    put_wrapped(&w, doc->date_line, columns);
    put_byte(&w, LF);

    put_wrapped(&w, doc->tracking_label, columns);
    char id[sizeof doc->tracking];
    size_t idlen = escpos_sanitize(doc->tracking, id, sizeof id);
    int wide = (idlen * 2 <= (size_t)columns) ? 2 : 1;
    size(&w, wide, 2);
    bold(&w, 1);
    put_wrapped(&w, id, columns / wide);
    bold(&w, 0);
    size(&w, 1, 1);
    put_byte(&w, LF);

    put_qr(&w, doc->qr_payload, columns);

    align(&w, 0);
    if (doc->next_title[0]) {
        put_byte(&w, LF);
        bold(&w, 1);
        put_wrapped(&w, doc->next_title, columns);
        bold(&w, 0);
    }
    for (int i = 0; i < RECEIPT_NEXT_MAX; i++) {
        if (!doc->next[i][0])
            continue;
        put_wrapped(&w, doc->next[i], columns);
        put_byte(&w, LF);
    }
    const uint8_t finish[] = {ESC, 'd', 3, GS, 'V', 66, 0}; /* feed, then feed to cut and cut */
    put(&w, finish, sizeof finish);
    if (w.full)
        return -1;
    *len = w.len;
    return 0;
}

void escpos_status_request(enum escpos_status_req req, uint8_t out[ESCPOS_STATUS_REQ_LEN])
{
    out[0] = DLE;
    out[1] = EOT;
    out[2] = (uint8_t)req;
}

int escpos_status_parse(enum escpos_status_req req, const uint8_t *reply, size_t len,
                        struct escpos_status *st)
{
    if (!reply || len != 1 || (reply[0] & 0x93) != 0x12)
        return -1;
    uint8_t b = reply[0];
    switch (req) {
    case ESCPOS_REQ_PRINTER:
        st->offline = st->offline || (b & 0x08);
        return 0;
    case ESCPOS_REQ_OFFLINE:
        st->cover_open = st->cover_open || (b & 0x04);
        st->paper_out = st->paper_out || (b & 0x20);
        st->error = st->error || (b & 0x40);
        return 0;
    case ESCPOS_REQ_PAPER:
        st->paper_near_end = st->paper_near_end || (b & 0x0C);
        st->paper_out = st->paper_out || (b & 0x60);
        return 0;
    }
    return -1;
}

/* The value of KEY (e.g. "CMD" or "COMMAND SET") in ID, or NULL; its length in *LEN. */
static const char *id_field(const char *id, const char *key, size_t *len)
{
    size_t klen = strlen(key);
    for (const char *p = id; *p;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ';');
        size_t flen = end ? (size_t)(end - p) : strlen(p);
        if (flen > klen && p[klen] == ':' && strncasecmp(p, key, klen) == 0) {
            *len = flen - klen - 1;
            return p + klen + 1;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

bool escpos_device_id_ok(const char *id)
{
    size_t len = 0;
    const char *cmd = id ? id_field(id, "CMD", &len) : NULL;
    if (!cmd && id)
        cmd = id_field(id, "COMMAND SET", &len);
    if (!cmd || len == 0)
        return true;
    /* Each comma-separated command set, compared without case or spaces. */
    const char *p = cmd, *end = cmd + len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        char set[32];
        size_t n = 0;
        for (const char *q = p; q < stop && n + 1 < sizeof set; q++)
            if (*q != ' ' && *q != '/' && *q != '-' && *q != '_')
                set[n++] = (char)toupper((unsigned char)*q);
        set[n] = '\0';
        if (strcmp(set, "ESCPOS") == 0)
            return true;
        p = stop + 1;
    }
    return false;
}
