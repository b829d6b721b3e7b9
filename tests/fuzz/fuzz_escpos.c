/*
 * fuzz_escpos.c - libFuzzer target for the receipt printer's bytes: every
 * input byte as a real-time status reply to each request, and the input
 * cut into the texts of a receipt (hostile text: control bytes, broken
 * UTF-8, commands) laid out at any width. A receipt must always fit the
 * documented maximum, and no text byte may reach the printer outside
 * printable ASCII: checked by walking the commands the layout uses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes the next field of FIELDSZ bytes at most, up to a 0xFF byte. */
static void take(const uint8_t **p, const uint8_t *end, char *field, size_t fieldsz)
{
    size_t n = 0;
    while (*p < end && **p != 0xFF && n + 1 < fieldsz)
        field[n++] = (char)*(*p)++;
    field[n] = '\0';
    while (*p < end && **p != 0xFF)
        (*p)++;
    if (*p < end)
        (*p)++;
}

/* Every byte is text (0x20-0x7E, LF) or one of the layout's commands. */
static void walk(const uint8_t *b, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = b[i];
        if ((c >= 0x20 && c <= 0x7E) || c == 0x0A) {
            i++;
        } else if (c == 0x1B && i + 1 < n && b[i + 1] == '@') {
            i += 2;
        } else if (c == 0x1B && i + 2 < n && strchr("tRaEd", b[i + 1])) {
            i += 3;
        } else if (c == 0x1D && i + 2 < n && b[i + 1] == '!') {
            i += 3;
        } else if (c == 0x1D && i + 3 < n && b[i + 1] == 'V') {
            i += 4;
        } else if (c == 0x1D && i + 6 < n && b[i + 1] == '(' && b[i + 2] == 'k') {
            size_t p = (size_t)b[i + 3] | (size_t)b[i + 4] << 8;
            if (p < 2 || i + 5 + p > n)
                abort();
            i += 5 + p;
        } else {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The input as a printer's IEEE 1284 device ID. */
    char id[512];
    size_t idn = size < sizeof id - 1 ? size : sizeof id - 1;
    memcpy(id, data, idn);
    id[idn] = '\0';
    (void)escpos_device_id_ok(id);

    for (size_t i = 0; i < size && i < 64; i++) {
        struct escpos_status st = {0};
        (void)escpos_status_parse(ESCPOS_REQ_PRINTER, data + i, 1, &st);
        (void)escpos_status_parse(ESCPOS_REQ_OFFLINE, data + i, 1, &st);
        (void)escpos_status_parse(ESCPOS_REQ_PAPER, data + i, 1, &st);
        (void)escpos_status_parse(ESCPOS_REQ_PAPER, data + i, size - i, &st);
    }
    if (size < 2)
        return 0;
    int columns = ESCPOS_COLUMNS_MIN + data[0] % (ESCPOS_COLUMNS_MAX - ESCPOS_COLUMNS_MIN + 1);
    struct receipt_doc d;
    memset(&d, 0, sizeof d);
    d.reprint = data[1] & 1;
    const uint8_t *p = data + 2, *end = data + size;
    take(&p, end, d.title, sizeof d.title);
    take(&p, end, d.centre, sizeof d.centre);
    take(&p, end, d.kiosk_line, sizeof d.kiosk_line);
    take(&p, end, d.date_line, sizeof d.date_line);
    take(&p, end, d.tracking_label, sizeof d.tracking_label);
    take(&p, end, d.tracking, sizeof d.tracking);
    take(&p, end, d.qr_payload, sizeof d.qr_payload);
    take(&p, end, d.next_title, sizeof d.next_title);
    for (int i = 0; i < RECEIPT_NEXT_MAX; i++)
        take(&p, end, d.next[i], sizeof d.next[i]);
    static uint8_t out[ESCPOS_RECEIPT_MAX];
    size_t len;
    if (escpos_receipt(&d, columns, out, sizeof out, &len) != 0)
        abort(); /* any receipt_doc fits */
    walk(out, len);
    char clean[64];
    size_t n = escpos_sanitize(d.title, clean, sizeof clean);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)clean[i] < 0x20 || (unsigned char)clean[i] > 0x7E)
            abort();
    return 0;
}
