/*
 * form.c - question pages: layout, focus, choices, per-question errors.
 *
 * Layout: one row per question (label column, then the answer box); the
 * focused choice question lists its options, numbered, below the
 * questions, where a digit key or a click picks one. Positions drawn are
 * remembered for clicks.
 */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

struct item {
    const char *label;
    const char *hint;
    const char *error;
    struct field *field; /* NULL for a choice */
    const char *const *options;
    int noptions;
    int choice;
    int row; /* where it was last drawn */
};

struct form {
    struct item items[FORM_MAX_ITEMS];
    int n;
    int focus;
    const char *notice; /* a refused key, shown until the next key */
    int options_row;    /* first row of the option list, -1 if none */
    int options_x;
    int options_colw;
};

struct form *form_new(void)
{
    struct form *f = calloc(1, sizeof *f);
    if (f)
        f->options_row = -1;
    return f;
}

void form_free(struct form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        field_free(f->items[i].field);
    free(f);
}

int form_add_text(struct form *f, const char *label, enum field_kind kind, int max,
                  const char *hint)
{
    if (f->n >= FORM_MAX_ITEMS)
        return -1;
    struct field *fld = field_new(kind, max);
    if (!fld)
        return -1;
    f->items[f->n] = (struct item){.label = label, .hint = hint, .field = fld, .choice = -1};
    return f->n++;
}

int form_add_choice(struct form *f, const char *label, const char *const *options, int n,
                    const char *hint)
{
    if (f->n >= FORM_MAX_ITEMS || n > FORM_MAX_OPTIONS)
        return -1;
    f->items[f->n] = (struct item){
        .label = label, .hint = hint, .options = options, .noptions = n, .choice = -1};
    return f->n++;
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

void form_set_error(struct form *f, int item, const char *msgid)
{
    f->items[item].error = msgid;
}

void form_clear_errors(struct form *f)
{
    for (int i = 0; i < f->n; i++)
        f->items[i].error = NULL;
    f->notice = NULL;
}

bool form_has_errors(const struct form *f)
{
    for (int i = 0; i < f->n; i++)
        if (f->items[i].error)
            return true;
    return false;
}

void form_focus_first_error(struct form *f)
{
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].error) {
            f->focus = i;
            return;
        }
    }
}

void form_clear(struct form *f)
{
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].field)
            field_clear(f->items[i].field);
        f->items[i].choice = -1;
        f->items[i].error = NULL;
    }
    f->focus = 0;
    f->notice = NULL;
}

static int label_width(const struct form *f)
{
    int w = 0;
    for (int i = 0; i < f->n; i++) {
        int lw = text_width(_(f->items[i].label));
        if (lw > w)
            w = lw;
    }
    int cap = COLS * 2 / 5;
    return (w < cap ? w : cap) + 2;
}

static void draw_options(struct form *f, const struct item *it, int row)
{
    int bottom = frame_body_bottom();
    f->options_row = row;
    f->options_x = 4;
    int rows_free = bottom - row + 1;
    int per_col = it->noptions <= rows_free ? it->noptions : (it->noptions + 1) / 2;
    int colw = per_col == it->noptions ? COLS - 8 : (COLS - 8) / 2;
    f->options_colw = colw;
    for (int o = 0; o < it->noptions; o++) {
        int y = row + o % per_col, x = 4 + (o / per_col) * colw;
        char buf[160];
        snprintf(buf, sizeof buf, " %d  %s ", o + 1, _(it->options[o]));
        attr_t a = crt_attr(o == it->choice ? CRT_BUTTON_FOCUS : CRT_BUTTON);
        int bw = text_width(buf) + 1;
        if (bw < 30)
            bw = 30;
        if (bw > colw - 2)
            bw = colw - 2;
        text_fill(y, x, bw, a);
        text_draw(y, x, bw, buf, a);
    }
}

void form_draw(struct form *f, int top)
{
    int lw = label_width(f);
    int bx = 2 + lw;
    int bw = COLS - bx - 4;
    if (bw > 48)
        bw = 48;
    f->options_row = -1;
    const char *message = NULL;
    for (int i = 0; i < f->n; i++) {
        struct item *it = &f->items[i];
        int y = top + i;
        it->row = y;
        bool focus = i == f->focus;
        if (it->error)
            text_draw(y, 0, 1, "!", crt_attr(CRT_ERROR));
        text_draw(y, 2, lw - 1, _(it->label), focus ? A_BOLD : A_NORMAL);
        if (it->field) {
            field_draw(it->field, y, bx, bw, false);
        } else {
            attr_t a = crt_attr(focus ? CRT_FIELD_FOCUS : CRT_FIELD);
            text_fill(y, bx, bw, a);
            if (it->choice >= 0)
                text_draw(y, bx, bw, _(it->options[it->choice]), a);
        }
    }
    struct item *it = &f->items[f->focus];
    int below = top + f->n + 1;
    if (it->hint)
        below += text_wrap(below, 4, COLS - 8, 2, _(it->hint), crt_attr(CRT_HINT), 1) + 1;
    if (!it->field) {
        curs_set(0);
        draw_options(f, it, below);
    }
    for (int i = 0; i < f->n && !message; i++)
        if (f->items[i].error && (i == f->focus || !f->items[f->focus].error))
            message = f->items[i].error;
    if (f->notice)
        frame_message(_(f->notice), 1);
    else if (message)
        frame_message(_(message), 1);
    /* Draw the focused field last so the terminal cursor ends up in it. */
    if (it->field)
        field_draw(it->field, it->row, bx, bw, true);
}

static enum form_result advance(struct form *f)
{
    if (f->focus + 1 >= f->n)
        return FORM_SUBMIT;
    f->focus++;
    return FORM_NONE;
}

static enum form_result choice_key(struct form *f, struct item *it, int ch, bool is_keycode)
{
    if (!is_keycode && ch >= '1' && ch <= '0' + it->noptions) {
        it->choice = ch - '1';
        it->error = NULL;
        return advance(f);
    }
    if (is_keycode && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
        int d = ch == KEY_RIGHT ? 1 : -1;
        it->choice = ((it->choice < 0 ? 0 : it->choice + d) + it->noptions) % it->noptions;
        it->error = NULL;
        return FORM_NONE;
    }
    if (!is_keycode && ch >= 32 && ch != ' ')
        f->notice = N_("Press the number of your answer.");
    return FORM_NONE;
}

enum form_result form_key(struct form *f, int ch, bool is_keycode)
{
    f->notice = NULL;
    struct item *it = &f->items[f->focus];
    if (!is_keycode) {
        if (ch == 27)
            return FORM_BACK;
        if (ch == '\r' || ch == '\n' || ch == '\t')
            return advance(f);
    } else {
        switch (ch) {
        case KEY_ENTER:
            return advance(f);
        case KEY_DOWN:
            return f->focus + 1 < f->n ? advance(f) : FORM_NONE;
        case KEY_UP:
        case KEY_BTAB:
            if (f->focus > 0)
                f->focus--;
            return FORM_NONE;
        case KEY_F(2):
            return FORM_SUBMIT;
        default:
            break;
        }
    }
    if (!it->field)
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
    if (!it->field && f->options_row >= 0 && y >= f->options_row && x >= f->options_x) {
        int colw = f->options_colw;
        int rows_free = frame_body_bottom() - f->options_row + 1;
        int per_col = it->noptions <= rows_free ? it->noptions : (it->noptions + 1) / 2;
        int o = (y - f->options_row) + ((x - f->options_x) / colw) * per_col;
        if (y - f->options_row < per_col && o >= 0 && o < it->noptions) {
            it->choice = o;
            it->error = NULL;
            return FORM_NONE;
        }
    }
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].row == y) {
            f->focus = i;
            return FORM_NONE;
        }
    }
    return FORM_NONE;
}
