/*
 * qr.c - QR codes drawn with half blocks (libqrencode for the symbol).
 *
 * The symbol is copied out of libqrencode's struct into a plain module
 * grid with the quiet zone already around it, so qr_cell() is a lookup
 * and the drawing code cannot index outside the symbol. Must never draw
 * outside qr_draw() and never change colours (crt.c owns them).
 */
#include "qr.h"

#include <curses.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crt.h"
#include "text.h"

struct qr {
    int size;             /* modules a side, quiet zone included */
    unsigned char dark[]; /* size * size, 1 = dark */
};

static const char *const glyph_text[] = {
    [QR_BLANK] = " ",
    [QR_UPPER] = "\xE2\x96\x80",
    [QR_LOWER] = "\xE2\x96\x84",
    [QR_FULL] = "\xE2\x96\x88",
};

struct qr *qr_new(const char *payload)
{
    if (!payload || !*payload)
        return NULL;
    QRcode *code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return NULL;
    int w = code->width;
    int size = w + 2 * QR_QUIET;
    struct qr *q = calloc(1, sizeof *q + (size_t)size * (size_t)size);
    if (q) {
        q->size = size;
        for (int r = 0; r < w; r++)
            for (int c = 0; c < w; c++)
                q->dark[(r + QR_QUIET) * size + c + QR_QUIET] =
                    code->data[r * w + c] & 1; /* bit 0: dark module */
    }
    QRcode_free(code);
    return q;
}

void qr_free(struct qr *q)
{
    free(q);
}

int qr_rows(const struct qr *q)
{
    return (q->size + 1) / 2;
}

int qr_cols(const struct qr *q)
{
    return q->size;
}

static bool dark(const struct qr *q, int r, int c)
{
    return r >= 0 && c >= 0 && r < q->size && c < q->size && q->dark[r * q->size + c];
}

enum qr_glyph qr_cell(const struct qr *q, int row, int col)
{
    bool top = dark(q, 2 * row, col), bottom = dark(q, 2 * row + 1, col);
    return top ? (bottom ? QR_FULL : QR_UPPER) : (bottom ? QR_LOWER : QR_BLANK);
}

const char *qr_glyph_text(enum qr_glyph g)
{
    return (unsigned)g < sizeof glyph_text / sizeof glyph_text[0] ? glyph_text[g] : " ";
}

void qr_draw(const struct qr *q, int y, int x)
{
    /* The glyphs' ink is the foreground: black on white, or the console's
     * background colour under reverse video. */
    attr_t a = has_colors() ? crt_attr(CRT_FIELD) : A_REVERSE;
    int cols = qr_cols(q);
    char *line = malloc((size_t)cols * 3 + 1);
    if (!line)
        return;
    for (int r = 0; r < qr_rows(q); r++) {
        size_t n = 0;
        for (int c = 0; c < cols; c++) {
            const char *g = qr_glyph_text(qr_cell(q, r, c));
            size_t gl = strlen(g);
            memcpy(line + n, g, gl);
            n += gl;
        }
        line[n] = '\0';
        text_draw(y + r, x, cols, line, a);
    }
    free(line);
}
