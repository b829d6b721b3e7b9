/*
 * text.c - UTF-8 measuring, clipping, centring and wrapping for curses,
 * and the one place where right-to-left text is put in visual order.
 *
 * A line holding Arabic-script letters goes through GNU FriBidi before it
 * is measured or drawn: the paragraph's embedding levels are resolved on
 * the logical text, the letters are joined and shaped to their
 * presentation forms (terminals do neither), and each line is reordered
 * on its own. Numbers inside Urdu text (CNIC, tracking ID, dates, phone,
 * amounts) are wrapped in left-to-right isolates first, so they read as
 * printed; the isolates and other invisible controls are dropped before
 * drawing, because a terminal would show them as boxes or blanks. Lines
 * with no right-to-left letter in a left-to-right language are drawn as
 * they are, exactly as before.
 *
 * Invalid UTF-8 (from a damaged file, say) is shown as U+FFFD rather than
 * breaking the screen. Must never allocate on the heap itself (FriBidi
 * allocates inside) and never split a letter from its combining marks:
 * texts on a kiosk screen are short and bounded by the buffers below.
 */
#include "text.h"

#include "../kiosk/i18n.h"

#include <fribidi.h>
#include <limits.h>
#include <string.h>

#define TEXT_MAX 1024

/* Shaping (joining and presentation forms, mirrored brackets) and the
 * reordering of marks after their letter, which a terminal needs. */
#define TEXT_FRIBIDI_FLAGS (FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC)

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

/* Invisible controls that only steer the bidi algorithm or the joining:
 * their work is done once the text is shaped and reordered, and a
 * terminal may draw them as a box or a blank. FEFF is also where FriBidi
 * leaves the second letter of a lam-alef ligature. */
static bool hidden(wchar_t c)
{
    return (c >= 0x200C && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x061C || c == 0xFEFF;
}

static int wc_width(wchar_t c)
{
    if (hidden(c))
        return 0;
    int w = wcwidth(c);
    return w < 0 ? 1 : w; /* shown as a replacement, one column */
}

bool text_rtl(void)
{
    return strcmp(i18n_language(), "ur") == 0;
}

/* ------------------------------------------------------------ shaping */

/* One text prepared for drawing: STR is the logical text (isolates
 * added, letters shaped), with its resolved levels. BIDI false: the text
 * has no right-to-left letter and is drawn as it is. */
struct shaped {
    FriBidiChar str[TEXT_MAX];
    FriBidiCharType types[TEXT_MAX];
    FriBidiLevel levels[TEXT_MAX];
    FriBidiParType base;
    int n;
    bool bidi;
};

static bool is_digit(FriBidiChar c)
{
    return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9);
}

static bool joins_digits(FriBidiChar c)
{
    return c == '-' || c == '/' || c == ':' || c == '.' || c == ',' || c == ' ';
}

static bool latin_letter(wchar_t c)
{
    return fribidi_get_bidi_type((FriBidiChar)c) == FRIBIDI_TYPE_LTR;
}

static bool has_rtl_letter(const wchar_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FriBidiCharType t = fribidi_get_bidi_type((FriBidiChar)w[i]);
        if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)
            return true;
    }
    return false;
}

/* Copies W into S->str; with ISOLATE, every number (digits joined by
 * - / : . , or a space between digits) is put between LRI and PDI, so
 * that a CNIC or a phone number reads as printed inside Urdu text. */
static void copy_isolating(struct shaped *s, const wchar_t *w, size_t n, bool isolate, int *where)
{
    int k = 0;
    for (size_t i = 0; i < n && k < TEXT_MAX; i++) {
        if (!isolate || !is_digit((FriBidiChar)w[i])) {
            if (where)
                where[i] = k;
            s->str[k++] = (FriBidiChar)w[i];
            continue;
        }
        size_t j = i + 1;
        while (j < n &&
               (is_digit((FriBidiChar)w[j]) ||
                (joins_digits((FriBidiChar)w[j]) && j + 1 < n && is_digit((FriBidiChar)w[j + 1]))))
            j++;
        /* Digits glued to a Latin letter (the key F9) belong to that
         * word, which the bidi algorithm already keeps left to right. */
        bool glued = (i > 0 && latin_letter(w[i - 1])) || (j < n && latin_letter(w[j]));
        if (k + (int)(j - i) + 2 > TEXT_MAX)
            break;
        if (!glued)
            s->str[k++] = FRIBIDI_CHAR_LRI;
        for (; i < j; i++) {
            if (where)
                where[i] = k;
            s->str[k++] = (FriBidiChar)w[i];
        }
        if (!glued)
            s->str[k++] = FRIBIDI_CHAR_PDI;
        i--;
    }
    s->n = k;
}

/*
 * Prepares W (N characters, possibly several lines split by '\n') for
 * measuring and drawing. The base direction is right to left in a
 * right-to-left language when the text holds a right-to-left letter; a
 * text all in Latin letters (a name typed in English) stays left to
 * right even on an Urdu screen.
 */
static void shape_at(struct shaped *s, const wchar_t *w, size_t n, int *where)
{
    s->bidi = has_rtl_letter(w, n);
    s->base = s->bidi && text_rtl() ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    copy_isolating(s, w, n, s->base == FRIBIDI_PAR_RTL, where);
    if (!s->bidi || s->n == 0)
        return;
    FriBidiBracketType brackets[TEXT_MAX];
    FriBidiJoiningType joins[TEXT_MAX];
    fribidi_get_bidi_types(s->str, s->n, s->types);
    fribidi_get_bracket_types(s->str, s->n, s->types, brackets);
    if (fribidi_get_par_embedding_levels_ex(s->types, brackets, s->n, &s->base, s->levels) == 0) {
        s->bidi = false; /* out of memory: draw it unshaped, never fail */
        return;
    }
    fribidi_get_joining_types(s->str, s->n, joins);
    fribidi_join_arabic(s->types, s->n, s->levels, joins);
    fribidi_shape(TEXT_FRIBIDI_FLAGS, s->levels, s->n, joins, s->str);
}

static void shape(struct shaped *s, const wchar_t *w, size_t n)
{
    shape_at(s, w, n, NULL);
}

/* Columns of S->str[FROM, TO). */
static int span_width(const struct shaped *s, int from, int to)
{
    int cols = 0;
    for (int i = from; i < to; i++)
        cols += wc_width((wchar_t)s->str[i]);
    return cols;
}

/* End of the longest run from FROM (not past TO) that fits in MAXW
 * columns; the marks of the last letter taken are taken with it. */
static int fit(const struct shaped *s, int from, int to, int maxw)
{
    int cols = 0, i = from;
    while (i < to) {
        int cw = wc_width((wchar_t)s->str[i]);
        if (cols + cw > maxw)
            break;
        cols += cw;
        i++;
    }
    return i;
}

/* The line S->str[FROM, TO) in visual order, invisible controls dropped,
 * into OUT (TEXT_MAX); returns its length. Reorders S's copy in place,
 * so each line of S is made visual once. */
static size_t visual(struct shaped *s, int from, int to, wchar_t *out)
{
    if (s->bidi && to > from) {
        FriBidiLevel ok = fribidi_reorder_line(TEXT_FRIBIDI_FLAGS, s->types, to - from, from,
                                               s->base, s->levels, s->str, NULL);
        /* Out of memory: the rest stays in logical order, still letters
         * a reader can make out, rather than a blank. */
        if (ok == 0)
            s->bidi = false;
    }
    size_t k = 0;
    for (int i = from; i < to; i++)
        if (!hidden((wchar_t)s->str[i]))
            out[k++] = (wchar_t)s->str[i];
    out[k] = L'\0';
    return k;
}

static void shape_utf8(struct shaped *s, const char *text)
{
    wchar_t w[TEXT_MAX];
    size_t n = text_to_wide(text, w, TEXT_MAX);
    shape(s, w, n);
}

/* ------------------------------------------------------------ drawing */

int text_width(const char *s)
{
    struct shaped sh;
    shape_utf8(&sh, s);
    return span_width(&sh, 0, sh.n);
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

/* Draws the logical line S->str[FROM, TO) at (Y, X) in at most MAXW
 * columns: cut in logical order (a right-to-left text loses its end, on
 * the left), then reordered. */
static int draw_span(int y, int x, int maxw, struct shaped *s, int from, int to, attr_t attr)
{
    wchar_t vis[TEXT_MAX];
    int end = fit(s, from, to, maxw);
    size_t n = visual(s, from, end, vis);
    return draw_wide(y, x, maxw, vis, n, attr);
}

int text_draw(int y, int x, int maxw, const char *s, attr_t attr)
{
    if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + maxw > COLS)
        maxw = COLS - x;
    struct shaped sh;
    shape_utf8(&sh, s);
    return draw_span(y, x, maxw, &sh, 0, sh.n, attr);
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

int text_start(int y, int x, int w, const char *s, attr_t attr)
{
    if (!text_rtl())
        return text_draw(y, x, w, s, attr);
    int tw = text_width(s);
    int off = tw < w ? w - tw : 0;
    return text_draw(y, x + off, w - off, s, attr);
}

int text_cursor_col(const char *s, int chars, bool *rtl)
{
    wchar_t w[TEXT_MAX];
    int where[TEXT_MAX];
    size_t n = text_to_wide(s, w, TEXT_MAX);
    for (size_t i = 0; i < n; i++)
        where[i] = TEXT_MAX;
    struct shaped sh;
    shape_at(&sh, w, n, where);
    *rtl = sh.base == FRIBIDI_PAR_RTL;
    if (chars > (int)n)
        chars = (int)n;
    /* A mark goes with its letter: the cursor stands beside the letter. */
    while (chars > 1 && wc_width(w[chars - 1]) == 0)
        chars--;
    /* Isolates may have cut the copy short: only characters copied count. */
    while (chars > 0 && where[chars - 1] >= sh.n)
        chars--;
    if (chars <= 0)
        return *rtl ? span_width(&sh, 0, sh.n) : 0;
    if (!sh.bidi)
        return span_width(&sh, 0, where[chars - 1] + 1);
    int at = where[chars - 1];
    bool back = sh.levels[at] & 1; /* that character reads right to left */
    FriBidiStrIndex map[TEXT_MAX];
    for (int i = 0; i < sh.n; i++)
        map[i] = i;
    if (fribidi_reorder_line(TEXT_FRIBIDI_FLAGS, sh.types, sh.n, 0, sh.base, sh.levels, sh.str,
                             map) == 0)
        return span_width(&sh, 0, sh.n); /* out of memory: the end, roughly */
    int col = 0;
    for (int v = 0; v < sh.n; v++) {
        if (map[v] == at)
            return back ? col - 1 : col + wc_width((wchar_t)sh.str[v]);
        col += wc_width((wchar_t)sh.str[v]);
    }
    return col;
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

/*
 * Line breaking works on the logical (shaped) text; each line is then
 * reordered on its own, so an Urdu sentence wraps from its first word on
 * the right of the first row. A number kept in an isolate is not broken
 * at its inner spaces unless it alone is wider than the line. In a
 * right-to-left language each row is right-aligned in the W columns.
 */
int text_wrap(int y, int x, int w, int maxlines, const char *s, attr_t attr, int draw)
{
    struct shaped sh;
    shape_utf8(&sh, s);
    const FriBidiChar *buf = sh.str;
    int n = sh.n;
    bool right = text_rtl();
    int start = 0;
    int lines = 0;
    while (start < n && lines < maxlines) {
        /* Take as many words as fit in W columns; break a word only when it
         * alone is wider than the line. */
        int i = start, last_space = 0, depth = 0;
        int cols = 0;
        while (i < n && buf[i] != L'\n') {
            int cw = wc_width((wchar_t)buf[i]);
            if (cols + cw > w)
                break;
            if (buf[i] == FRIBIDI_CHAR_LRI)
                depth++;
            else if (buf[i] == FRIBIDI_CHAR_PDI && depth > 0)
                depth--;
            else if (buf[i] == L' ' && depth == 0)
                last_space = i;
            cols += cw;
            i++;
        }
        int end = i;
        if (i < n && buf[i] != L'\n' && last_space > start)
            end = last_space;
        if (draw) {
            int lw = span_width(&sh, start, end);
            int off = right && lw < w ? w - lw : 0;
            draw_span(y + lines, x + off, w - off, &sh, start, end, attr);
        }
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
