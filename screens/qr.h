/*
 * qr.h - a QR code on the terminal, for the receipt screen: a phone can
 * scan the tracking ID from the screen when no printer is there.
 *
 * Two modules per character cell vertically, drawn with the half-block
 * characters, with a 2-module quiet zone all round. Dark on light whatever
 * the terminal's own colours: drawn in the black-on-white pair when the
 * terminal has colours, else in reverse video (dark on light on the
 * light-on-dark consoles kiosks run). Never touches USB or SQL.
 */
#ifndef NSER_QR_H
#define NSER_QR_H

#define QR_QUIET 2 /* light modules round the code */

enum qr_glyph {
    QR_BLANK = 0, /* both modules light: space */
    QR_UPPER,     /* top dark: U+2580 */
    QR_LOWER,     /* bottom dark: U+2584 */
    QR_FULL,      /* both dark: U+2588 */
};

struct qr;

/* Encodes PAYLOAD (error correction level M). NULL when it cannot be
 * encoded (empty, too long, out of memory). */
struct qr *qr_new(const char *payload);
void qr_free(struct qr *q);

/* Terminal rows and columns the code takes, quiet zone included. */
int qr_rows(const struct qr *q);
int qr_cols(const struct qr *q);

/* Pure: which glyph the cell at ROW, COL is (QR_BLANK outside). */
enum qr_glyph qr_cell(const struct qr *q, int row, int col);
/* The UTF-8 text of G. */
const char *qr_glyph_text(enum qr_glyph g);

/* Draws the code with its top-left (quiet zone included) at Y, X. */
void qr_draw(const struct qr *q, int y, int x);

#endif
