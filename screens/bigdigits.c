/*
 * bigdigits.c - a 3x5 block font for 0-9 and '-'.
 *
 * Glyphs are drawn with U+2588 FULL BLOCK, which every terminal font we
 * have met shows one column wide.
 */
#include "bigdigits.h"

#include <curses.h>

#include "crt.h"
#include "text.h"

#define GLYPH_W 3

/* '#' is a filled cell; one string per row. */
static const char *const glyphs[11][BIGDIGITS_ROWS] = {
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
};

static int glyph_index(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    return c == '-' ? 10 : -1;
}

int bigdigits_width(const char *text)
{
    int w = 0;
    for (; *text; text++)
        if (glyph_index(*text) >= 0)
            w += GLYPH_W + 1;
    return w > 0 ? w - 1 : 0;
}

void bigdigits_draw(int y, int x, const char *text)
{
    attr_t a = crt_attr(CRT_BIG);
    for (; *text; text++) {
        int g = glyph_index(*text);
        if (g < 0)
            continue;
        for (int r = 0; r < BIGDIGITS_ROWS; r++)
            for (int c = 0; c < GLYPH_W; c++)
                if (glyphs[g][r][c] == '#')
                    text_draw(y + r, x + c, 1, "\xe2\x96\x88", a);
        x += GLYPH_W + 1;
    }
}
