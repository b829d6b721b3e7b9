/*
 * form.c - question pages: layout, focus, skip-hidden questions, choices,
 * searchable pick lists and per-question errors.
 *
 * Layout: one row per shown question (label column, then the answer box);
 * under them the focused question's help, then its options: a numbered
 * list for a choice, or a search line and a numbered page of matches for
 * a pick list. Positions drawn are remembered for clicks. Never decides
 * what an answer means: the caller reads values and sets errors.
 */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

#define PICK_FILTER_MAX 64
#define PICK_ROWS_MAX   9 /* one digit picks a row */

enum item_kind { ITEM_TEXT, ITEM_CHOICE, ITEM_PICK };

struct item {
    enum item_kind kind;
    const char *label;
    const char *hint;
    const char *error;
    struct field *field; /* ITEM_TEXT */
    const char *const *options;
    int noptions;
    int choice;
    bool hidden;
    int row; /* where it was last drawn, -1 when not drawn */
    /* ITEM_PICK */
    char filter[PICK_FILTER_MAX];
    int highlight; /* index into the matches, -1 for none */
    int page;      /* first match shown */
};

struct form {
    struct item items[FORM_MAX_ITEMS];
    int n;
    int focus;
    const char *notice;
    /* The option rows as last drawn, for clicks and digits. */
    int list_row, list_x, list_colw, list_per_col;
    int list_index[PICK_ROWS_MAX * 2]; /* option index of each drawn row */
    int list_n;
};

struct form *form_new(void)
{
    return calloc(1, sizeof(struct form));
}

void form_free(struct form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        field_free(f->items[i].field);
    explicit_bzero(f, sizeof *f);
    free(f);
}

static int add(struct form *f, enum item_kind kind)
{
    if (f->n >= FORM_MAX_ITEMS)
        return -1;
    f->items[f->n] = (struct item){.kind = kind, .choice = -1, .highlight = -1, .row = -1};
    return f->n++;
}

int form_add_text(struct form *f, enum field_kind kind, int max)
{
    int i = add(f, ITEM_TEXT);
    if (i < 0)
        return -1;
    f->items[i].field = field_new(kind, max);
    if (!f->items[i].field) {
        f->n--;
        return -1;
    }
    return i;
}

int form_add_choice(struct form *f)
{
    return add(f, ITEM_CHOICE);
}

int form_add_pick(struct form *f)
{
    return add(f, ITEM_PICK);
}

int form_count(const struct form *f)
{
    return f->n;
}

void form_set_text(struct form *f, int item, const char *label, const char *hint)
{
    f->items[item].label = label;
    f->items[item].hint = hint;
}

void form_set_options(struct form *f, int item, const char *const *options, int n)
{
    struct item *it = &f->items[item];
    it->options = options;
    it->noptions = n;
    if (it->choice >= n)
        it->choice = -1;
}

void form_set_hidden(struct form *f, int item, bool hidden)
{
    f->items[item].hidden = hidden;
}

bool form_hidden(const struct form *f, int item)
{
    return f->items[item].hidden;
}

struct field *form_field(struct form *f, int item)
{
    return f->items[item].field;
}

int form_choice(const struct form *f, int item)
{
    return f->items[item].choice;
}

void form_set_choice(struct form *f, int item, int option)
{
    struct item *it = &f->items[item];
    it->choice = option >= 0 && option < it->noptions ? option : -1;
}

int form_focus(const struct form *f)
{
    return f->focus;
}

void form_set_focus(struct form *f, int item)
{
    if (item < 0)
        item = 0;
    for (int i = item; i < f->n; i++) {
        if (!f->items[i].hidden) {
            f->focus = i;
            return;
        }
    }
    /* Nothing shown from there on: the last shown one before it. */
    for (int i = f->n - 1; i >= 0; i--) {
        if (!f->items[i].hidden) {
            f->focus = i;
            return;
        }
    }
    f->focus = 0;
}

void form_set_error(struct form *f, int item, const char *msg)
{
    f->items[item].error = msg;
}

void form_clear_errors(struct form *f)
{
    for (int i = 0; i < f->n; i++)
        f->items[i].error = NULL;
    f->notice = NULL;
}

void form_set_notice(struct form *f, const char *msg)
{
    f->notice = msg;
}

/* --- pick lists --- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive (for Latin letters) substring match. */
static bool matches(const char *text, const char *filter)
{
    if (!filter[0])
        return true;
    size_t fl = strlen(filter);
    for (const char *t = text; *t; t++) {
        size_t k = 0;
        while (k < fl && t[k] && lower(t[k]) == lower(filter[k]))
            k++;
        if (k == fl)
            return true;
    }
    return false;
}

/* The Nth option matching the filter, or -1; *TOTAL counts them all. */
static int nth_match(const struct item *it, int nth, int *total)
{
    int found = -1, count = 0;
    for (int o = 0; o < it->noptions; o++) {
        if (!matches(it->options[o], it->filter))
            continue;
        if (count == nth)
            found = o;
        count++;
    }
    if (total)
        *total = count;
    return found;
}

static void pick_option(struct item *it, int option)
{
    it->choice = option;
    it->error = NULL;
    it->filter[0] = '\0';
    it->highlight = -1;
    it->page = 0;
}

/* --- drawing --- */

static int label_width(const struct form *f)
{
    int w = 0;
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].hidden || !f->items[i].label)
            continue;
        int lw = text_width(f->items[i].label);
        if (lw > w)
            w = lw;
    }
    int cap = COLS / 2;
    return (w < cap ? w : cap) + 2;
}

static void draw_button(int y, int x, int w, int number, const char *text, bool on)
{
    char buf[200];
    snprintf(buf, sizeof buf, " %d  %s ", number, text);
    attr_t a = crt_attr(on ? CRT_BUTTON_FOCUS : CRT_BUTTON);
    text_fill(y, x, w, a);
    text_draw(y, x, w, buf, a);
}

static void draw_choice_list(struct form *f, const struct item *it, int row)
{
    int rows_free = frame_body_bottom() - row + 1;
    int per_col = it->noptions <= rows_free ? it->noptions : (it->noptions + 1) / 2;
    if (per_col < 1)
        per_col = 1;
    int colw = per_col == it->noptions ? COLS - 8 : (COLS - 8) / 2;
    f->list_row = row;
    f->list_x = 4;
    f->list_colw = colw;
    f->list_per_col = per_col;
    f->list_n = 0;
    for (int o = 0; o < it->noptions && o < PICK_ROWS_MAX * 2; o++) {
        int bw = colw - 2 < 40 ? colw - 2 : 40;
        draw_button(row + o % per_col, 4 + (o / per_col) * colw, bw, o + 1, it->options[o],
                    o == it->choice);
        f->list_index[f->list_n++] = o;
    }
}

static void draw_pick_list(struct form *f, struct item *it, int row)
{
    int bottom = frame_body_bottom();
    char line[200];
    snprintf(line, sizeof line, "%s %s", _("Type to search:"), it->filter);
    text_draw(row, 4, COLS - 8, line, A_BOLD);
    row++;
    int total;
    nth_match(it, 0, &total);
    int rows = bottom - row; /* one row left for "more" */
    if (rows > PICK_ROWS_MAX)
        rows = PICK_ROWS_MAX;
    if (rows < 1)
        rows = 1;
    if (it->page >= total)
        it->page = 0;
    f->list_row = row;
    f->list_x = 4;
    f->list_colw = COLS - 8;
    f->list_per_col = rows;
    f->list_n = 0;
    for (int r = 0; r < rows && it->page + r < total; r++) {
        int o = nth_match(it, it->page + r, NULL);
        bool on = it->highlight == it->page + r || (it->highlight < 0 && o == it->choice);
        draw_button(row + r, 4, COLS - 12 < 50 ? COLS - 12 : 50, r + 1, it->options[o], on);
        f->list_index[f->list_n++] = o;
    }
    if (total == 0)
        text_draw(row, 4, COLS - 8, _("Nothing matches. Press Backspace to search again."),
                  crt_attr(CRT_HINT));
    else if (total > rows) {
        snprintf(line, sizeof line, _("%d-%d of %d   PgDn: more   PgUp: back"), it->page + 1,
                 it->page + f->list_n, total);
        text_draw(row + rows, 4, COLS - 8, line, crt_attr(CRT_HINT));
    }
}

void form_draw(struct form *f, int top)
{
    int lw = label_width(f);
    int bx = 2 + lw;
    int bw = COLS - bx - 4;
    if (bw > 48)
        bw = 48;
    f->list_n = 0;
    form_set_focus(f, f->focus);
    int y = top;
    for (int i = 0; i < f->n; i++) {
        struct item *it = &f->items[i];
        it->row = -1;
        if (it->hidden)
            continue;
        it->row = y;
        bool focus = i == f->focus;
        if (it->error)
            text_draw(y, 0, 1, "!", crt_attr(CRT_ERROR));
        text_draw(y, 2, lw - 1, it->label ? it->label : "", focus ? A_BOLD : A_NORMAL);
        if (it->field) {
            field_draw(it->field, y, bx, bw, false);
        } else {
            attr_t a = crt_attr(focus ? CRT_FIELD_FOCUS : CRT_FIELD);
            text_fill(y, bx, bw, a);
            if (it->choice >= 0 && it->choice < it->noptions)
                text_draw(y, bx, bw, it->options[it->choice], a);
        }
        y++;
    }
    struct item *it = &f->items[f->focus];
    int below = y + 1;
    if (it->hint && it->hint[0])
        below += text_wrap(below, 4, COLS - 8, 2, it->hint, crt_attr(CRT_HINT), 1) + 1;
    if (it->kind == ITEM_CHOICE) {
        curs_set(0);
        draw_choice_list(f, it, below);
    } else if (it->kind == ITEM_PICK) {
        curs_set(0);
        draw_pick_list(f, it, below);
    }
    const char *message = NULL;
    for (int i = 0; i < f->n && !message; i++)
        if (!f->items[i].hidden && f->items[i].error &&
            (i == f->focus || !f->items[f->focus].error))
            message = f->items[i].error;
    if (f->notice)
        frame_message(_(f->notice), 1);
    else if (message)
        frame_message(_(message), 1);
    /* The focused field last, so the terminal cursor ends up in it. */
    if (it->field && it->row >= 0)
        field_draw(it->field, it->row, bx, bw, true);
}

/* --- keys --- */

static enum form_result advance(struct form *f)
{
    for (int i = f->focus + 1; i < f->n; i++) {
        if (!f->items[i].hidden) {
            f->focus = i;
            return FORM_NONE;
        }
    }
    return FORM_SUBMIT;
}

static void retreat(struct form *f)
{
    for (int i = f->focus - 1; i >= 0; i--) {
        if (!f->items[i].hidden) {
            f->focus = i;
            return;
        }
    }
}

static enum form_result choice_key(struct form *f, struct item *it, int ch, bool is_keycode)
{
    if (!is_keycode && ch >= '1' && ch <= '0' + it->noptions) {
        it->choice = ch - '1';
        it->error = NULL;
        return advance(f);
    }
    if (is_keycode && (ch == KEY_LEFT || ch == KEY_RIGHT) && it->noptions > 0) {
        int d = ch == KEY_RIGHT ? 1 : -1;
        it->choice = ((it->choice < 0 ? 0 : it->choice + d) + it->noptions) % it->noptions;
        it->error = NULL;
        return FORM_NONE;
    }
    if (!is_keycode && ch >= 32 && ch != ' ')
        f->notice = N_("Press the number of your answer.");
    return FORM_NONE;
}

/* Appends the UTF-8 of wide character CH to the filter. */
static void filter_add(struct item *it, int ch)
{
    wchar_t w[2] = {(wchar_t)ch, 0};
    char mb[16];
    size_t n = text_from_wide(w, mb, sizeof mb);
    size_t len = strlen(it->filter);
    if (n == 0 || len + n >= sizeof it->filter)
        return;
    memcpy(it->filter + len, mb, n + 1);
    it->highlight = 0;
    it->page = 0;
}

static void filter_pop(struct item *it)
{
    size_t len = strlen(it->filter);
    while (len > 0) {
        unsigned char c = (unsigned char)it->filter[--len];
        it->filter[len] = '\0';
        if ((c & 0xC0) != 0x80) /* stop after the first byte of a character */
            break;
    }
    it->highlight = it->filter[0] ? 0 : -1;
    it->page = 0;
}

static enum form_result pick_key(struct form *f, struct item *it, int ch, bool is_keycode)
{
    int total;
    nth_match(it, 0, &total);
    int rows = f->list_per_col > 0 ? f->list_per_col : PICK_ROWS_MAX;
    if (is_keycode) {
        switch (ch) {
        case KEY_DOWN:
            if (total == 0)
                return advance(f);
            it->highlight = it->highlight < 0 ? 0 : it->highlight + 1;
            if (it->highlight >= total)
                it->highlight = total - 1;
            if (it->highlight >= it->page + rows)
                it->page = it->highlight - rows + 1;
            return FORM_NONE;
        case KEY_UP:
            if (it->highlight <= 0) {
                it->highlight = -1;
                retreat(f);
                return FORM_NONE;
            }
            it->highlight--;
            if (it->highlight < it->page)
                it->page = it->highlight;
            return FORM_NONE;
        case KEY_NPAGE:
            if (it->page + rows < total)
                it->page += rows;
            it->highlight = it->page;
            return FORM_NONE;
        case KEY_PPAGE:
            it->page = it->page >= rows ? it->page - rows : 0;
            it->highlight = it->page;
            return FORM_NONE;
        case KEY_BACKSPACE:
            filter_pop(it);
            return FORM_NONE;
        default:
            return FORM_NONE;
        }
    }
    if (ch == 127 || ch == 8) {
        filter_pop(it);
        return FORM_NONE;
    }
    if (ch >= '1' && ch <= '9') {
        int r = ch - '1';
        if (r < f->list_n) {
            pick_option(it, f->list_index[r]);
            return advance(f);
        }
        f->notice = N_("Press the number of your answer.");
        return FORM_NONE;
    }
    if (ch >= 32) {
        filter_add(it, ch);
        return FORM_NONE;
    }
    return FORM_NONE;
}

enum form_result form_key(struct form *f, int ch, bool is_keycode)
{
    f->notice = NULL;
    form_set_focus(f, f->focus);
    struct item *it = &f->items[f->focus];
    bool enter = (!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER);
    if (!is_keycode && ch == 27)
        return FORM_BACK;
    if (enter) {
        if (it->kind == ITEM_PICK) {
            int o = it->highlight >= 0 ? nth_match(it, it->highlight, NULL) : -1;
            if (o >= 0)
                pick_option(it, o);
            else if (it->filter[0])
                return FORM_NONE; /* nothing to pick yet */
        }
        return advance(f);
    }
    if (!is_keycode && ch == '\t')
        return advance(f);
    if (is_keycode && ch == KEY_F(2))
        return FORM_SUBMIT;
    if (is_keycode && ch == KEY_BTAB) {
        retreat(f);
        return FORM_NONE;
    }
    if (it->kind == ITEM_PICK)
        return pick_key(f, it, ch, is_keycode);
    if (is_keycode && ch == KEY_DOWN) {
        advance(f); /* never submits: Down on the last question stays there */
        return FORM_NONE;
    }
    if (is_keycode && ch == KEY_UP) {
        retreat(f);
        return FORM_NONE;
    }
    if (it->kind == ITEM_CHOICE)
        return choice_key(f, it, ch, is_keycode);
    enum field_key_result r = field_key(it->field, ch, is_keycode);
    if (r == FIELD_REFUSED)
        f->notice = field_refusal(it->field);
    else if (r == FIELD_CHANGED)
        it->error = NULL;
    return FORM_NONE;
}

enum form_result form_click(struct form *f, int y, int x)
{
    struct item *it = &f->items[f->focus];
    if (it->kind != ITEM_TEXT && f->list_n > 0 && y >= f->list_row && x >= f->list_x) {
        int r = (y - f->list_row) + ((x - f->list_x) / f->list_colw) * f->list_per_col;
        if (y - f->list_row < f->list_per_col && r >= 0 && r < f->list_n) {
            if (it->kind == ITEM_PICK)
                pick_option(it, f->list_index[r]);
            else
                it->choice = f->list_index[r];
            it->error = NULL;
            return FORM_NONE;
        }
    }
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].row == y && !f->items[i].hidden) {
            f->focus = i;
            return FORM_NONE;
        }
    }
    return FORM_NONE;
}
