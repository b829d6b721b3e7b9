/*
 * bigdigits.c - a 3x5 block font for 0-9, '-', '+' and '*'.
 *
 * Glyphs are drawn with U+2588 FULL BLOCK and, in the small size, U+2580
 * UPPER HALF and U+2584 LOWER HALF BLOCK, which every terminal font we
 * have met shows one column wide. Must never draw outside the columns
 * bigdigits_width gives.
 */
#include "bigdigits.h"

#include <curses.h>

#include "crt.h"
#include "text.h"

#define GLYPH_W 3
#define GLYPH_H 5

#define FULL  "\xe2\x96\x88"
#define UPPER "\xe2\x96\x80"
#define LOWER "\xe2\x96\x84"

/* '#' is a filled cell; one string per row. */
static const char *const glyphs[13][GLYPH_H] = {
    {"###", "# #", "# #", "# #", "###"}, /* 0 */
    {" # ", "## ", " # ", " # ", "###"}, /* 1 */
    {"###", "  #", "###", "#  ", "###"}, /* 2 */
    {"###", "  #", "###", "  #", "###"}, /* 3 */
    {"# #", "# #", "###", "  #", "  #"}, /* 4 */
    {"###", "#  ", "###", "  #", "###"}, /* 5 */
    {"###", "#  ", "###", "# #", "###"}, /* 6 */
    {"###", "  #", "  #", "  #", "  #"}, /* 7 */
    {"###", "# #", "###", "# #", "###"}, /* 8 */
    {"###", "# #", "###", "  #", "###"}, /* 9 */
    {"   ", "   ", "###", "   ", "   "}, /* - */
    {"   ", " # ", "###", " # ", "   "}, /* + */
    {"# #", " # ", "###", " # ", "# #"}, /* * */
};

static int glyph_index(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    switch (c) {
    case '-':
        return 10;
    case '+':
        return 11;
    case '*':
        return 12;
    default:
        return -1;
    }
}

int bigdigits_rows(enum bigdigits_size s)
{
    return s == BIGDIGITS_SMALL ? (GLYPH_H + 1) / 2 : GLYPH_H;
}

int bigdigits_width(const char *text)
{
    int w = 0;
    for (; *text; text++)
        if (glyph_index(*text) >= 0)
            w += GLYPH_W + 1;
    return w > 0 ? w - 1 : 0;
}

static bool filled(int g, int r, int c)
{
    return r < GLYPH_H && glyphs[g][r][c] == '#';
}

void bigdigits_draw_in(int y, int x, const char *text, enum bigdigits_size s, attr_t attr)
{
    for (; *text; text++) {
        int g = glyph_index(*text);
        if (g < 0)
            continue;
        for (int r = 0; r < bigdigits_rows(s); r++) {
            for (int c = 0; c < GLYPH_W; c++) {
                const char *cell;
                if (s == BIGDIGITS_LARGE) {
                    cell = filled(g, r, c) ? FULL : NULL;
                } else {
                    bool top = filled(g, 2 * r, c), bottom = filled(g, 2 * r + 1, c);
                    cell = top && bottom ? FULL : top ? UPPER : bottom ? LOWER : NULL;
                }
                if (cell)
                    text_draw(y + r, x + c, 1, cell, attr);
            }
        }
        x += GLYPH_W + 1;
    }
}

void bigdigits_draw(int y, int x, const char *text)
{
    bigdigits_draw_in(y, x, text, BIGDIGITS_LARGE, crt_attr(CRT_BIG));
}
