/*
 * test_qr.c - unit tests for screens/qr.c: the cells of an on-screen QR
 * code, and the proof that what it draws scans: the glyphs written out as
 * terminal text, turned into an image by tests/usb/qr_from_pane.py and
 * decoded by zbarimg (zbar-tools) back to the payload.
 */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "screens/qr.h"

static void test_size_and_quiet_zone(void **state)
{
    (void)state;
    struct qr *q = qr_new("1234526112300427");
    assert_non_null(q);
    int cols = qr_cols(q), rows = qr_rows(q);
    /* A version-1 symbol is 21 modules; versions grow by 4. */
    assert_true(cols >= 21 + 2 * QR_QUIET);
    assert_int_equal((cols - 2 * QR_QUIET - 21) % 4, 0);
    assert_int_equal(rows, (cols + 1) / 2);
    for (int c = 0; c < cols; c++) {
        assert_int_equal(qr_cell(q, 0, c), QR_BLANK); /* modules 0 and 1 */
        assert_int_equal(qr_cell(q, rows - 1, c) & QR_UPPER, 0);
    }
    for (int r = 0; r < rows; r++) {
        assert_int_equal(qr_cell(q, r, 0), QR_BLANK);
        assert_int_equal(qr_cell(q, r, 1), QR_BLANK);
        assert_int_equal(qr_cell(q, r, cols - 1), QR_BLANK);
        assert_int_equal(qr_cell(q, r, cols - 2), QR_BLANK);
    }
    /* The top-left finder: its first row all dark, its second dark only
     * at the edges, so cell row 1 is full at the edges, upper between. */
    assert_int_equal(qr_cell(q, 1, 2), QR_FULL);
    assert_int_equal(qr_cell(q, 1, 3), QR_UPPER);
    assert_int_equal(qr_cell(q, 1, 8), QR_FULL);
    /* Outside is blank, never a read out of bounds. */
    assert_int_equal(qr_cell(q, -1, 5), QR_BLANK);
    assert_int_equal(qr_cell(q, 5, 1000), QR_BLANK);
    assert_int_equal(qr_cell(q, 1000, 5), QR_BLANK);
    qr_free(q);
}

static void test_glyphs(void **state)
{
    (void)state;
    assert_string_equal(qr_glyph_text(QR_BLANK), " ");
    assert_string_equal(qr_glyph_text(QR_UPPER), "\xE2\x96\x80");
    assert_string_equal(qr_glyph_text(QR_LOWER), "\xE2\x96\x84");
    assert_string_equal(qr_glyph_text(QR_FULL), "\xE2\x96\x88");
    assert_string_equal(qr_glyph_text((enum qr_glyph)7), " ");
}

static void test_refused(void **state)
{
    (void)state;
    assert_null(qr_new(NULL));
    assert_null(qr_new(""));
    char *big = malloc(8000);
    assert_non_null(big);
    memset(big, 'x', 7999);
    big[7999] = '\0';
    assert_null(qr_new(big)); /* more than a QR code holds */
    free(big);
    qr_free(NULL);
}

/* Writes the code as terminal text, with a header above and big digits
 * beside it, as a screen capture would hold it. */
static void write_pane(const struct qr *q, FILE *f)
{
    fprintf(f, "  Your tracking ID\n\n");
    for (int r = 0; r < qr_rows(q); r++) {
        fputs("    ", f);
        for (int c = 0; c < qr_cols(q); c++)
            fputs(qr_glyph_text(qr_cell(q, r, c)), f);
        /* Trailing big digits, five cells away, full blocks only. */
        fputs(r < 5 ? "     \xE2\x96\x88\xE2\x96\x88\xE2\x96\x88 \xE2\x96\x88" : "", f);
        fputc('\n', f);
    }
    fputs("  Press Enter\n", f);
}

static void roundtrip(const char *payload)
{
    if (system("command -v zbarimg >/dev/null 2>&1") != 0 ||
        system("command -v python3 >/dev/null 2>&1") != 0)
        skip();
    struct qr *q = qr_new(payload);
    assert_non_null(q);
    char pane[] = "/tmp/test_qr_paneXXXXXX";
    int fd = mkstemp(pane);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    write_pane(q, f);
    fclose(f);
    qr_free(q);
    char cmd[512], out[256] = "";
    snprintf(cmd, sizeof cmd,
             "python3 tests/usb/qr_from_pane.py -o %s.pbm %s && zbarimg -q --raw --nodbus %s.pbm",
             pane, pane, pane);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    char pbm[64];
    snprintf(pbm, sizeof pbm, "%s.pbm", pane);
    unlink(pbm);
    unlink(pane);
    assert_int_equal(rc, 0);
    if (n > 0 && out[n - 1] == '\n')
        out[n - 1] = '\0';
    assert_string_equal(out, payload);
}

static void test_scans_back(void **state)
{
    (void)state;
    roundtrip("1234526112300427");
    roundtrip("NSER 35202-1234567-1 https://example.org/s?x=1");
}

static void test_draw(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8"))
        skip();
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/zero", "r");
    assert_non_null(out);
    assert_non_null(in);
    SCREEN *s = newterm("xterm", out, in);
    if (!s) {
        fclose(out);
        fclose(in);
        skip();
    }
    struct qr *q = qr_new("42");
    assert_non_null(q);
    qr_draw(q, 1, 3);
    for (int r = 0; r < qr_rows(q); r++)
        for (int c = 0; c < qr_cols(q); c++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            assert_int_equal(mvin_wch(1 + r, 3 + c, &cc), OK);
            getcchar(&cc, wc, &a, &pair, NULL);
            static const wchar_t want[] = {L' ', 0x2580, 0x2584, 0x2588};
            assert_int_equal(wc[0], want[qr_cell(q, r, c)]);
        }
    qr_free(q);
    endwin();
    delscreen(s);
    fclose(out);
    fclose(in);
    setlocale(LC_ALL, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_and_quiet_zone),
        cmocka_unit_test(test_glyphs),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_scans_back),
        cmocka_unit_test(test_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
