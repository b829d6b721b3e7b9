/*
 * field.c - one-line text entry with masks.
 *
 * Wide characters inside, so the cursor moves by characters and widths
 * come from wcwidth. Masked kinds edit at the end only (a clerk retypes
 * a digit with Backspace), which keeps the shown dashes simple.
 */
#include "field.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "../kiosk/cnic.h"
#include "../kiosk/digits.h"
#include "../kiosk/i18n.h"
#include "../kiosk/tracking.h"
#include "crt.h"
#include "text.h"

#define FIELD_MAX 128

struct field {
    enum field_kind kind;
    int max;
    wchar_t buf[FIELD_MAX + 1];
    int len;
    int cursor;
};

static int kind_max(enum field_kind kind, int max)
{
    switch (kind) {
    case FIELD_CNIC:
        return CNIC_DIGITS;
    case FIELD_LOOKUP:
        return TRACKING_DIGITS;
    case FIELD_DATE:
        return 8;
    case FIELD_PHONE:
        return 13;
    default:
        return max > 0 && max < FIELD_MAX ? max : FIELD_MAX;
    }
}

struct field *field_new(enum field_kind kind, int max_chars)
{
    struct field *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->kind = kind;
    f->max = kind_max(kind, max_chars);
    return f;
}

void field_free(struct field *f)
{
    if (!f)
        return;
    explicit_bzero(f, sizeof *f);
    free(f);
}

void field_clear(struct field *f)
{
    explicit_bzero(f->buf, sizeof f->buf);
    f->len = f->cursor = 0;
}

static bool masked(const struct field *f)
{
    return f->kind != FIELD_TEXT && f->kind != FIELD_SECRET;
}

/* Characters a kind stores; mask punctuation (dashes, spaces) is dropped. */
static int accepts(const struct field *f, wint_t c)
{
    switch (f->kind) {
    case FIELD_TEXT:
        return iswprint(c) ? 1 : 0;
    case FIELD_SECRET: /* ASCII: a secret must be typeable on any keyboard */
        return c > 0x20 && c < 0x7F ? 1 : 0;
    case FIELD_DECIMAL:
        if (c == L'.') {
            for (int i = 0; i < f->len; i++)
                if (f->buf[i] == L'.')
                    return 0;
            return 1;
        }
        return c >= L'0' && c <= L'9' ? 1 : 0;
    default:
        if (c >= L'0' && c <= L'9')
            return 1;
        return (c == L'-' || c == L' ') ? -1 : 0; /* -1: quietly skipped */
    }
}

/* Every kind but free text stores digits in ASCII, whichever script they
 * were typed or scanned in (digits.h): parsers, the database and the
 * receipt see one form. A name or address keeps the digits as written. */
static wchar_t as_ascii_digit(const struct field *f, wchar_t c)
{
    if (f->kind == FIELD_TEXT || c < 0)
        return c;
    int d = digits_ascii((uint32_t)c);
    return d >= 0 ? (wchar_t)d : c;
}

static void insert(struct field *f, wchar_t c)
{
    if (f->len >= f->max)
        return;
    if (masked(f))
        f->cursor = f->len;
    memmove(&f->buf[f->cursor + 1], &f->buf[f->cursor],
            (size_t)(f->len - f->cursor) * sizeof(wchar_t));
    f->buf[f->cursor++] = c;
    f->buf[++f->len] = L'\0';
}

void field_set(struct field *f, const char *utf8)
{
    field_clear(f);
    wchar_t w[FIELD_MAX + 1];
    size_t n = text_to_wide(utf8, w, FIELD_MAX + 1);
    for (size_t i = 0; i < n; i++) {
        wchar_t c = as_ascii_digit(f, w[i]);
        if (accepts(f, (wint_t)c) == 1)
            insert(f, c);
    }
    explicit_bzero(w, sizeof w);
}

void field_get(const struct field *f, char *out, size_t outsz)
{
    text_from_wide(f->buf, out, outsz);
}

bool field_empty(const struct field *f)
{
    return f->len == 0;
}

static void delete_at(struct field *f, int pos)
{
    if (pos < 0 || pos >= f->len)
        return;
    memmove(&f->buf[pos], &f->buf[pos + 1], (size_t)(f->len - pos) * sizeof(wchar_t));
    f->len--;
    if (f->cursor > pos)
        f->cursor--;
}

static enum field_key_result edit_key(struct field *f, int ch)
{
    switch (ch) {
    case KEY_BACKSPACE:
    case 127:
    case 8:
        if (masked(f))
            f->cursor = f->len;
        if (f->cursor > 0)
            delete_at(f, f->cursor - 1);
        return FIELD_CHANGED;
    case KEY_DC:
        if (!masked(f))
            delete_at(f, f->cursor);
        return FIELD_CHANGED;
    case KEY_LEFT:
        if (masked(f) || f->cursor == 0)
            return FIELD_IGNORED;
        f->cursor--;
        return FIELD_CHANGED;
    case KEY_RIGHT:
        if (masked(f) || f->cursor >= f->len)
            return FIELD_IGNORED;
        f->cursor++;
        return FIELD_CHANGED;
    case KEY_HOME:
        f->cursor = masked(f) ? f->len : 0;
        return FIELD_CHANGED;
    case KEY_END:
        f->cursor = f->len;
        return FIELD_CHANGED;
    case 21: /* Ctrl-U: clear the field, as in a shell */
        field_clear(f);
        return FIELD_CHANGED;
    default:
        return FIELD_IGNORED;
    }
}

enum field_key_result field_key(struct field *f, int ch, bool is_keycode)
{
    if (is_keycode || ch == 127 || ch == 8 || ch == 21)
        return edit_key(f, ch);
    if (ch < 32)
        return FIELD_IGNORED; /* Enter, Tab, Esc: the form's business */
    wchar_t c = as_ascii_digit(f, (wchar_t)ch);
    int ok = accepts(f, (wint_t)c);
    if (ok == 0)
        return FIELD_REFUSED;
    if (ok == 1)
        insert(f, c);
    return FIELD_CHANGED;
}

/* How the value is shown: the digits with the kind's dashes. */
static void shown(const struct field *f, char *out, size_t outsz);

void field_shown(const struct field *f, char *out, size_t outsz)
{
    shown(f, out, outsz);
}

static void shown(const struct field *f, char *out, size_t outsz)
{
    char raw[FIELD_MAX * 4 + 1];
    field_get(f, raw, sizeof raw);
    switch (f->kind) {
    case FIELD_CNIC:
        cnic_format_partial(raw, out, outsz);
        break;
    case FIELD_LOOKUP:
        if (f->len <= CNIC_DIGITS)
            cnic_format_partial(raw, out, outsz);
        else
            tracking_format_partial(raw, out, outsz);
        break;
    case FIELD_SECRET: {
        size_t o = 0;
        for (int i = 0; raw[i] && o + 1 < outsz; i++)
            out[o++] = '*';
        out[o] = '\0';
        break;
    }
    case FIELD_DATE: {
        size_t o = 0;
        for (int i = 0; raw[i] && o + 2 < outsz; i++) {
            if (i == 2 || i == 4)
                out[o++] = '-';
            out[o++] = raw[i];
        }
        out[o] = '\0';
        break;
    }
    default:
        snprintf(out, outsz, "%s", raw);
    }
    explicit_bzero(raw, sizeof raw);
}

void field_draw(const struct field *f, int y, int x, int w, bool focus)
{
    attr_t a = crt_attr(focus ? CRT_FIELD_FOCUS : CRT_FIELD);
    text_fill(y, x, w, a);
    char buf[FIELD_MAX * 4 + 8];
    shown(f, buf, sizeof buf);
    int cursor_col;
    bool rtl = false;
    if (masked(f)) {
        cursor_col = text_width(buf);
    } else if (f->kind == FIELD_TEXT) {
        /* Where the next letter appears once shaped and reordered: left
         * of an Urdu word typed, right of a Latin one. */
        cursor_col = text_cursor_col(buf, f->cursor, &rtl);
    } else {
        cursor_col = f->cursor; /* '*' for each character */
    }
    int tw = rtl ? text_width(buf) : 0;
    if (rtl && tw < w) {
        /* Urdu typed on an Urdu screen starts at the box's right edge,
         * the next letter going on its left. */
        int off = w - tw;
        text_draw(y, x + off, tw, buf, a);
        explicit_bzero(buf, sizeof buf);
        if (focus) {
            int c = off + cursor_col;
            move(y, x + (c < 0 ? 0 : c >= w ? w - 1 : c));
            curs_set(1);
        }
        return;
    }
    if (cursor_col < 0)
        cursor_col = 0;
    /* Scroll long text so the cursor stays visible. */
    int skip = cursor_col >= w ? cursor_col - w + 1 : 0;
    if (skip == 0) {
        text_draw(y, x, w, buf, a);
    } else {
        wchar_t wb[FIELD_MAX * 2];
        size_t n = text_to_wide(buf, wb, FIELD_MAX * 2);
        size_t i = 0;
        int cols = 0;
        while (i < n && cols < skip) {
            int cw = wcwidth(wb[i]);
            cols += cw > 0 ? cw : 1;
            i++;
        }
        char tail[FIELD_MAX * 4 + 8];
        text_from_wide(wb + i, tail, sizeof tail);
        text_draw(y, x, w, tail, a);
        cursor_col -= cols;
    }
    explicit_bzero(buf, sizeof buf);
    if (focus) {
        move(y, x + (cursor_col < w ? cursor_col : w - 1));
        curs_set(1);
    }
}

const char *field_refusal(const struct field *f)
{
    switch (f->kind) {
    case FIELD_TEXT:
        return N_("That key cannot be typed here.");
    case FIELD_SECRET:
        return N_("Use letters, digits and signs without spaces (English keyboard).");
    case FIELD_PHONE:
        return N_("Please type digits only, like 0300-1234567.");
    case FIELD_DECIMAL:
        return N_("Please type digits only (one . for a part, as in 2.5).");
    default:
        return N_("Please type digits only.");
    }
}
