/*
 * form.c - question pages: layout, focus, skip-hidden questions, choices,
 * searchable pick lists and per-question errors.
 *
 * Layout: one row per shown question (label column, then the answer box;
 * mirrored in Urdu, the label at the right);
 * under them the focused question's help, then its options: buttons for a
 * choice, or a search line and a page of matching buttons for a pick list.
 * Every button has its key's digit drawn big beside its words (3 rows, 5
 * on the larger layout), in as many columns as fit beside the + and *
 * corner; when they still do not fit, a page of them and a big 0 for the
 * next page. Positions drawn are remembered for clicks. Never decides what
 * an answer means: the caller reads values and sets errors.
 */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "applicant_keys.h"
#include "bigdigits.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

#define PICK_FILTER_MAX 64
#define PICK_ROWS_MAX   9                   /* one digit picks a row */
#define GRID_MAX        (PICK_ROWS_MAX + 1) /* the options and "more" */
#define MORE_KEY        '0'                 /* the next page of answers */

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
    /* The option buttons as last drawn, for clicks and digits. */
    struct button {
        int y0, y1, x0, x1;
        int option; /* -1: the "more" button */
    } buttons[GRID_MAX];
    int nbuttons;
    int list_index[PICK_ROWS_MAX]; /* a pick list's option by its digit - 1 */
    int list_n;
    int list_per_page; /* options on one page (all when they fit) */
    bool list_more;    /* a "more" button was drawn */
};

/* Where the focused question's answers go: SLOTS places, PER_COL to a
 * column, each H rows high with GAP rows between, COLS columns of COLW. */
struct grid {
    int top, x0, width;
    int h, gap, cols, per_col, colw;
    enum bigdigits_size size;
    bool big; /* false: one-row buttons with a plain digit */
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

/* Lays out N answers from ROW down: one column if they fit, then two (or
 * three on a wide screen), then pages. Returns how many fit on a page. */
static int plan_grid(int row, int n, struct grid *g)
{
    int corner = applicant_keys_corner_width();
    int avail = frame_body_bottom() - row + 1;
    g->top = row;
    g->width = COLS - 4 - corner - 1;
    g->x0 = text_rtl() ? corner + 1 : 4;
    g->size = crt_large() ? BIGDIGITS_LARGE : BIGDIGITS_SMALL;
    g->h = bigdigits_rows(g->size);
    if (avail < g->h && g->size == BIGDIGITS_LARGE) {
        g->size = BIGDIGITS_SMALL;
        g->h = bigdigits_rows(g->size);
    }
    g->big = avail >= g->h;
    if (!g->big) {
        g->h = 1;
        g->width = COLS - 8;
        g->x0 = 4;
    }
    int dw = g->big ? bigdigits_width("0") : 1;
    int maxcols = g->width / (dw + 20);
    if (maxcols > 3)
        maxcols = 3;
    if (maxcols < 1)
        maxcols = 1;
    for (g->gap = 1; g->gap >= 0; g->gap--) {
        g->per_col = (avail + g->gap) / (g->h + g->gap);
        for (g->cols = 1; g->cols <= maxcols && g->per_col > 0; g->cols++)
            if (n <= g->per_col * g->cols) {
                g->colw = g->width / g->cols;
                g->per_col = (n + g->cols - 1) / g->cols; /* even columns */
                return n;
            }
    }
    g->gap = 0;
    g->cols = maxcols;
    g->per_col = avail / g->h > 0 ? avail / g->h : 1;
    g->colw = g->width / g->cols;
    int fit = g->per_col * g->cols;
    return fit > GRID_MAX ? GRID_MAX : fit;
}

/* Button P of the grid: KEY drawn big beside TEXT; OPTION for clicks. */
static void draw_grid_button(struct form *f, const struct grid *g, int p, char key,
                             const char *text, bool on, int option)
{
    int col = p / g->per_col, r = p % g->per_col;
    int bw = g->colw - 2;
    int x = text_rtl() ? g->x0 + g->width - (col + 1) * g->colw + 2 : g->x0 + col * g->colw;
    int y = g->top + r * (g->h + g->gap);
    if (y + g->h - 1 > frame_body_bottom())
        return; /* never past the body, whatever the screen */
    attr_t a = crt_attr(on ? CRT_BUTTON_FOCUS : CRT_BUTTON);
    for (int k = 0; k < g->h; k++)
        text_fill(y + k, x, bw, a);
    char k[2] = {key, '\0'};
    int dw = g->big ? bigdigits_width(k) : 1;
    int lw = bw - dw - 4;
    int dx = text_rtl() ? x + bw - 1 - dw : x + 1;
    int lx = text_rtl() ? x + 1 : x + dw + 3;
    if (g->big)
        bigdigits_draw_in(y, dx, k, g->size, a | A_BOLD);
    else
        text_draw(y, dx, 1, k, a | A_BOLD);
    /* The words wrap onto the button's rows, centred on its digit. */
    int lines = text_wrap(y, lx, lw, g->h, text, a, 0);
    text_wrap(y + (g->h - lines) / 2, lx, lw, g->h, text, a, 1);
    if (f->nbuttons < GRID_MAX)
        f->buttons[f->nbuttons++] = (struct button){y, y + g->h - 1, x, x + bw - 1, option};
}

static void draw_choice_list(struct form *f, struct item *it, int row)
{
    struct grid g;
    int fit = plan_grid(row, it->noptions, &g);
    f->nbuttons = 0;
    f->list_n = 0;
    f->list_more = fit < it->noptions;
    f->list_per_page = f->list_more ? fit - 1 : it->noptions;
    if (f->list_per_page < 1)
        f->list_per_page = 1;
    if (!f->list_more || it->page >= it->noptions || it->page < 0)
        it->page = 0;
    int p = 0;
    /* Digits stay the options' own (the voice says them): a page shows
     * some of 1-9, and any of them picks, shown or not. */
    for (int o = it->page; o < it->noptions && p < f->list_per_page; o++, p++)
        draw_grid_button(f, &g, p, (char)('1' + o), it->options[o], o == it->choice, o);
    if (f->list_more)
        draw_grid_button(f, &g, p, MORE_KEY, _("More answers"), false, -1);
}

static void draw_pick_list(struct form *f, struct item *it, int row)
{
    char line[200];
    snprintf(line, sizeof line, "%s %s", _("Type to search:"), it->filter);
    text_start(row, 4, COLS - 8, line, A_BOLD);
    row++;
    int total;
    nth_match(it, 0, &total);
    struct grid g;
    int fit = plan_grid(row, total < PICK_ROWS_MAX ? total : PICK_ROWS_MAX, &g);
    f->nbuttons = 0;
    f->list_n = 0;
    f->list_more = total > fit;
    f->list_per_page = f->list_more ? fit - 1 : fit;
    if (f->list_per_page < 1)
        f->list_per_page = 1;
    if (it->page >= total)
        it->page = 0;
    for (int r = 0; r < f->list_per_page && it->page + r < total; r++) {
        int o = nth_match(it, it->page + r, NULL);
        bool on = it->highlight == it->page + r || (it->highlight < 0 && o == it->choice);
        draw_grid_button(f, &g, r, (char)('1' + r), it->options[o], on, o);
        f->list_index[f->list_n++] = o;
    }
    if (total == 0)
        text_start(row, 4, COLS - 8, _("Nothing matches. Press Backspace to search again."),
                   crt_attr(CRT_HINT));
    else if (f->list_more)
        draw_grid_button(f, &g, f->list_per_page, MORE_KEY, _("More answers"), false, -1);
}

/* The next page of the focused list (the 0 key, PgDn), from the first
 * after the last. */
static void next_page(struct form *f, struct item *it, int total)
{
    it->page += f->list_per_page;
    if (it->page >= total)
        it->page = 0;
    if (it->kind == ITEM_PICK)
        it->highlight = it->page;
}

void form_draw(struct form *f, int top)
{
    int lw = label_width(f);
    int bx = 2 + lw;
    int bw = COLS - bx - 4;
    if (bw > 48)
        bw = 48;
    /* Mirrored in Urdu: the marker and the label at the right, the box on
     * the label's left, as far from it as on the other side. */
    bool rtl = text_rtl();
    int mark_x = rtl ? COLS - 1 : 0;
    int label_x = rtl ? COLS - 1 - lw : 2;
    if (rtl)
        bx = COLS - bx - bw;
    f->list_n = 0;
    f->nbuttons = 0;
    f->list_more = false;
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
            text_draw(y, mark_x, 1, "!", crt_attr(CRT_ERROR));
        text_start(y, label_x, lw - 1, it->label ? it->label : "", focus ? A_BOLD : A_NORMAL);
        if (it->field) {
            field_draw(it->field, y, bx, bw, false);
        } else {
            attr_t a = crt_attr(focus ? CRT_FIELD_FOCUS : CRT_FIELD);
            text_fill(y, bx, bw, a);
            if (it->choice >= 0 && it->choice < it->noptions)
                text_start(y, bx, bw, it->options[it->choice], a);
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
    if (f->list_more && ((!is_keycode && ch == MORE_KEY) || (is_keycode && ch == KEY_NPAGE))) {
        next_page(f, it, it->noptions);
        return FORM_NONE;
    }
    if (f->list_more && is_keycode && ch == KEY_PPAGE) {
        it->page = it->page >= f->list_per_page ? it->page - f->list_per_page : 0;
        return FORM_NONE;
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
    int rows = f->list_per_page > 0 ? f->list_per_page : PICK_ROWS_MAX;
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
            if (it->page + rows < total) {
                it->page += rows;
                it->highlight = it->page;
            }
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
    if (ch == MORE_KEY && f->list_more) {
        next_page(f, it, total);
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
    for (int b = 0; it->kind != ITEM_TEXT && b < f->nbuttons; b++) {
        const struct button *bt = &f->buttons[b];
        if (y < bt->y0 || y > bt->y1 || x < bt->x0 || x > bt->x1)
            continue;
        if (bt->option < 0) {
            int total = it->noptions;
            if (it->kind == ITEM_PICK)
                nth_match(it, 0, &total);
            next_page(f, it, total);
        } else if (it->kind == ITEM_PICK) {
            pick_option(it, bt->option);
        } else {
            it->choice = bt->option;
        }
        if (bt->option >= 0)
            it->error = NULL;
        return FORM_NONE;
    }
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].row == y && !f->items[i].hidden) {
            f->focus = i;
            return FORM_NONE;
        }
    }
    return FORM_NONE;
}
