/*
 * text.c - UTF-8 measuring, clipping, centring and wrapping for curses.
 *
 * Invalid UTF-8 (from a damaged file, say) is shown as U+FFFD rather than
 * breaking the screen. Never allocates on the heap: texts on a kiosk
 * screen are short and bounded by the buffers below.
 */
#include "text.h"

#include "../kiosk/i18n.h"

#include <limits.h>
#include <string.h>

#define TEXT_MAX 1024

size_t text_to_wide(const char *s, wchar_t *out, size_t outlen)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = 0;
    const char *p = s;
    size_t left = strlen(s);
    while (left > 0 && n + 1 < outlen) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, p, left, &st);
        if (k == (size_t)-1 || k == (size_t)-2) {
            wc = 0xFFFD;
            k = 1;
            memset(&st, 0, sizeof st);
        } else if (k == 0) {
            break;
        }
        out[n++] = wc;
        p += k;
        left -= k;
    }
    out[n] = L'\0';
    return n;
}

size_t text_from_wide(const wchar_t *s, char *out, size_t outsz)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = 0;
    char buf[MB_LEN_MAX];
    for (; *s; s++) {
        size_t k = wcrtomb(buf, *s, &st);
        if (k == (size_t)-1)
            continue;
        if (n + k + 1 > outsz)
            break;
        memcpy(out + n, buf, k);
        n += k;
    }
    if (outsz)
        out[n] = '\0';
    return n;
}

static int wc_width(wchar_t c)
{
    int w = wcwidth(c);
    return w < 0 ? 1 : w; /* shown as a replacement, one column */
}

int text_width(const char *s)
{
    wchar_t w[TEXT_MAX];
    size_t n = text_to_wide(s, w, TEXT_MAX);
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += wc_width(w[i]);
    return cols;
}

static int draw_wide(int y, int x, int maxw, const wchar_t *w, size_t n, attr_t attr)
{
    int cols = 0;
    attron(attr);
    move(y, x);
    for (size_t i = 0; i < n; i++) {
        int cw = wc_width(w[i]);
        if (cols + cw > maxw)
            break;
        wchar_t one[2] = {wcwidth(w[i]) < 0 ? (wchar_t)0xFFFD : w[i], L'\0'};
        addnwstr(one, 1);
        cols += cw;
    }
    attroff(attr);
    return cols;
}

int text_draw(int y, int x, int maxw, const char *s, attr_t attr)
{
    if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + maxw > COLS)
        maxw = COLS - x;
    wchar_t w[TEXT_MAX];
    size_t n = text_to_wide(s, w, TEXT_MAX);
    return draw_wide(y, x, maxw, w, n, attr);
}

void text_center(int y, int x, int w, const char *s, attr_t attr)
{
    int tw = text_width(s);
    int off = tw < w ? (w - tw) / 2 : 0;
    text_draw(y, x + off, w - off, s, attr);
}

void text_right(int y, int x, int w, const char *s, attr_t attr)
{
    int tw = text_width(s);
    int off = tw < w ? w - tw : 0;
    text_draw(y, x + off, w - off, s, attr);
}

bool text_rtl(void)
{
    return strcmp(i18n_language(), "ur") == 0;
}

int text_start(int y, int x, int w, const char *s, attr_t attr)
{
    if (!text_rtl())
        return text_draw(y, x, w, s, attr);
    int tw = text_width(s);
    int off = tw < w ? w - tw : 0;
    return text_draw(y, x + off, w - off, s, attr);
}

void text_fill(int y, int x, int w, attr_t attr)
{
    if (y < 0 || y >= LINES)
        return;
    attron(attr);
    for (int i = 0; i < w && x + i < COLS; i++)
        mvaddch(y, x + i, ' ');
    attroff(attr);
}

int text_wrap(int y, int x, int w, int maxlines, const char *s, attr_t attr, int draw)
{
    wchar_t buf[TEXT_MAX];
    size_t n = text_to_wide(s, buf, TEXT_MAX);
    size_t start = 0;
    int lines = 0;
    while (start < n && lines < maxlines) {
        /* Take as many words as fit in W columns; break a word only when it
         * alone is wider than the line. */
        size_t i = start, last_space = 0;
        int cols = 0;
        while (i < n && buf[i] != L'\n') {
            int cw = wc_width(buf[i]);
            if (cols + cw > w)
                break;
            if (buf[i] == L' ')
                last_space = i;
            cols += cw;
            i++;
        }
        size_t end = i;
        if (i < n && buf[i] != L'\n' && last_space > start)
            end = last_space;
        if (draw)
            draw_wide(y + lines, x, w, buf + start, end - start, attr);
        lines++;
        start = end;
        while (start < n && (buf[start] == L' ' || buf[start] == L'\n')) {
            if (buf[start] == L'\n' && start > end)
                break;
            start++;
        }
    }
    return lines;
}
