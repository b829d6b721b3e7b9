/*
 * test_text.c - unit tests for screens/text.c: what a curses screen holds
 * after text is drawn, read back cell by cell from a real (headless)
 * curses terminal. Covers Arabic shaping and reordering, numbers inside
 * Urdu text, combining marks, wrapping and truncation, and that Latin
 * text is drawn exactly as before. The right-to-left cases need the `ur`
 * language (kiosk/i18n.c) and are skipped where it does not exist yet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <wchar.h>

#include "kiosk/i18n.h"
#include "screens/text.h"

static SCREEN *scr;
static FILE *out_f, *in_f;

static int setup(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TERM", "xterm-256color", 1);
    out_f = fopen("/dev/null", "w");
    /* curses never reads here: the input only has to exist. */
    // cppcheck-suppress incompatibleFileOpen
    in_f = fopen("/dev/null", "r");
    if (!out_f || !in_f)
        return -1;
    scr = newterm(NULL, out_f, in_f);
    if (!scr)
        return -1;
    resizeterm(24, 80);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(out_f);
    fclose(in_f);
    return 0;
}

static int use_en(void **state)
{
    (void)state;
    i18n_set_language("en");
    erase();
    return 0;
}

/* Row Y as drawn, every cell's characters (letter and marks), trailing
 * blanks cut. */
static void row_text(int y, wchar_t *out, size_t outlen)
{
    size_t k = 0, last = 0;
    for (int x = 0; x < COLS && k + 1 < outlen; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        mvin_wch(y, x, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        for (size_t i = 0; wch[i] && k + 1 < outlen; i++)
            out[k++] = wch[i];
        if (!(wch[0] == L' ' && wch[1] == 0))
            last = k;
    }
    out[last] = 0;
}

/* Column of the first non-blank cell of row Y, or -1. */
static int row_first(int y)
{
    for (int x = 0; x < COLS; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        mvin_wch(y, x, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        if (!(wch[0] == L' ' && wch[1] == 0))
            return x;
    }
    return -1;
}

/* No letter of the Arabic block that joins is left unshaped. */
static void assert_all_shaped(const wchar_t *w)
{
    for (; *w; w++) {
        if (*w >= 0x0620 && *w <= 0x06D3 && !(*w >= 0x064B && *w <= 0x065F) && *w != 0x0670 &&
            !(*w >= 0x0660 && *w <= 0x0669)) {
            print_error("unshaped letter U+%04X\n", (unsigned)*w);
            fail();
        }
    }
}

static void test_latin_unchanged(void **state)
{
    (void)state;
    int n = text_draw(0, 0, 80, "Tracking ID: 04217-261123-0001-5", A_NORMAL);
    assert_int_equal(n, 32);
    wchar_t row[200];
    row_text(0, row, 200);
    assert_true(wcscmp(row, L"Tracking ID: 04217-261123-0001-5") == 0);
    assert_int_equal(text_width("Muhammad Ali"), 12);
    /* Truncation keeps the start. */
    erase();
    text_draw(1, 0, 5, "Muhammad", A_NORMAL);
    row_text(1, row, 200);
    assert_true(wcscmp(row, L"Muham") == 0);
}

static void test_arabic_shaped_and_reversed_in_english(void **state)
{
    (void)state;
    /* سلام: seen initial, lam-alef ligature, meem isolated; drawn right
     * to left, so the first letter is the rightmost cell. */
    int n = text_draw(0, 0, 80, "سلام", A_NORMAL);
    assert_int_equal(n, 3);
    assert_int_equal(text_width("سلام"), 3);
    wchar_t row[200];
    row_text(0, row, 200);
    assert_true(wcscmp(row, L"\uFEE1\uFEFC\uFEB3") == 0);
}

static int use_ur(void **state)
{
    (void)state;
    erase();
    i18n_set_language("ur"); /* absent before kiosk/i18n.c offers ur: skipped */
    return 0;
}

#define NEED_UR()                                                                                  \
    do {                                                                                           \
        if (!text_rtl())                                                                           \
            skip();                                                                                \
    } while (0)

static void test_urdu_letters_get_presentation_forms(void **state)
{
    (void)state;
    NEED_UR();
    /* ٹ ڈ ڑ ں ہ ھ ے in words, and the Urdu full stop. */
    const char *s = "ٹوپی ڈاکٹر بڑا ہیں کھانا بچے۔";
    text_draw(0, 0, 80, s, A_NORMAL);
    wchar_t row[200];
    row_text(0, row, 200);
    assert_all_shaped(row);
    assert_non_null(wcschr(row, 0x06D4)); /* ۔ stays */
    assert_non_null(wcschr(row, 0xFB68)); /* ٹ initial */
    assert_non_null(wcschr(row, 0xFB88)); /* ڈ isolated */
    assert_non_null(wcschr(row, 0xFB8D)); /* ڑ final */
    assert_non_null(wcschr(row, 0xFB9F)); /* ں final */
    assert_non_null(wcschr(row, 0xFBA8)); /* ہ initial */
    assert_non_null(wcschr(row, 0xFBAD)); /* ھ medial */
    assert_non_null(wcschr(row, 0xFBAF)); /* ے final */
    /* The full stop ends the sentence: leftmost in a right-to-left row. */
    assert_int_equal(row[0], 0x06D4);
    /* Right to left: the first word's first letter is the rightmost. */
    assert_int_equal(row[wcslen(row) - 1], 0xFB68);
}

static void test_numbers_read_as_printed(void **state)
{
    (void)state;
    NEED_UR();
    const char *cases[] = {"شناختی کارڈ نمبر 35202-1234567-1 درج کریں", "فون 0300 1234567 پر",
                           "تاریخ 15/01/2026 کو", "ٹریکنگ آئی ڈی: 04217-261123-0001-5", "F9 زبان"};
    const wchar_t *want[] = {L"35202-1234567-1", L"0300 1234567", L"15/01/2026",
                             L"04217-261123-0001-5", L"F9"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        erase();
        text_draw(0, 0, 80, cases[i], A_NORMAL);
        wchar_t row[200];
        row_text(0, row, 200);
        if (!wcsstr(row, want[i])) {
            print_error("case %zu: %ls not in %ls\n", i, want[i], row);
            fail();
        }
        for (const wchar_t *p = row; *p; p++)
            assert_false(*p >= 0x2066 && *p <= 0x2069); /* isolates removed */
        assert_all_shaped(row);
    }
}

static void test_latin_inside_urdu_screen(void **state)
{
    (void)state;
    NEED_UR();
    text_draw(0, 0, 80, "Block C, Johar Town.", A_NORMAL);
    wchar_t row[200];
    row_text(0, row, 200);
    assert_true(wcscmp(row, L"Block C, Johar Town.") == 0);
    /* A Latin name inside an Urdu sentence keeps its own order. */
    erase();
    text_draw(1, 0, 80, "نام: Muhammad Ali", A_NORMAL);
    row_text(1, row, 200);
    assert_non_null(wcsstr(row, L"Muhammad Ali"));
}

/* A field's cursor stands where the next character typed appears. */
static void test_cursor_where_next_letter_appears(void **state)
{
    (void)state;
    NEED_UR();
    bool rtl = true;
    /* Latin: right of what is typed, left to right. */
    assert_int_equal(text_cursor_col("Ali", 3, &rtl), 3);
    assert_false(rtl);
    assert_int_equal(text_cursor_col("Ali", 1, &rtl), 1);
    /* An Urdu word reads from the right: after all of it, the next letter
     * goes left of its last letter, which is drawn leftmost. */
    const char *w = "گھر"; /* 3 letters, 3 columns */
    assert_int_equal(text_cursor_col(w, 3, &rtl), -1);
    assert_true(rtl);
    /* After its first letter (drawn rightmost, column 2): column 1. */
    assert_int_equal(text_cursor_col(w, 1, &rtl), 1);
    /* Nothing before the cursor: past the right end, where it starts. */
    assert_int_equal(text_cursor_col(w, 0, &rtl), 3);
    /* Digits after an Urdu word read left to right: next digit on their
     * right. "گھر 12": drawn "12 رھگ", the 2 at column 1. */
    assert_int_equal(text_cursor_col("گھر 12", 6, &rtl), 2);
}

static void test_marks_stay_with_their_letter(void **state)
{
    (void)state;
    NEED_UR();
    /* بَ with zabar, شّ with shadda: each mark is in its letter's cell. */
    const char *s = "بَچّہ";
    int w = text_width(s);
    assert_int_equal(w, 3);
    text_draw(0, 0, 80, s, A_NORMAL);
    for (int x = 0; x < 3; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        mvin_wch(0, x, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        assert_true(wcwidth(wch[0]) == 1); /* a letter first, marks after */
    }
    /* Truncated to two columns: two letters, and their marks. */
    erase();
    int n = text_draw(1, 0, 2, s, A_NORMAL);
    assert_int_equal(n, 2);
    wchar_t row[200];
    row_text(1, row, 200);
    assert_non_null(wcschr(row, 0x064E)); /* zabar kept with ب */
    assert_non_null(wcschr(row, 0x0651)); /* shadda kept with چ */
}

static void test_wrap_right_aligned_line_by_line(void **state)
{
    (void)state;
    NEED_UR();
    const char *s = "اپنا شناختی کارڈ نمبر 35202-1234567-1 درج کریں اور انٹر دبائیں۔";
    int lines = text_wrap(0, 10, 20, 6, s, A_NORMAL, 1);
    assert_true(lines >= 3);
    int cnic_rows = 0;
    for (int y = 0; y < lines; y++) {
        wchar_t row[200];
        row_text(y, row, 200);
        assert_all_shaped(row);
        int first = row_first(y);
        assert_true(first >= 10);
        assert_true((int)wcslen(row) <= 30); /* within x 10 .. 29 */
        if (wcsstr(row, L"35202-1234567-1"))
            cnic_rows++;
    }
    assert_int_equal(cnic_rows, 1);
    /* The first word starts the first row at its right end (column 29). */
    wchar_t row0[200];
    row_text(0, row0, 200);
    assert_int_equal((int)wcslen(row0), 30);
    assert_int_equal(row0[29], 0xFE8D); /* ا isolated: the first letter */
    /* text_start right-aligns. */
    erase();
    text_start(5, 0, 40, "خوش آمدید", A_NORMAL);
    assert_int_equal(row_first(5), 40 - text_width("خوش آمدید"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_latin_unchanged, use_en),
        cmocka_unit_test_setup(test_arabic_shaped_and_reversed_in_english, use_en),
        cmocka_unit_test_setup(test_urdu_letters_get_presentation_forms, use_ur),
        cmocka_unit_test_setup(test_numbers_read_as_printed, use_ur),
        cmocka_unit_test_setup(test_latin_inside_urdu_screen, use_ur),
        cmocka_unit_test_setup(test_marks_stay_with_their_letter, use_ur),
        cmocka_unit_test_setup(test_cursor_where_next_letter_appears, use_ur),
        cmocka_unit_test_setup(test_wrap_right_aligned_line_by_line, use_ur),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
