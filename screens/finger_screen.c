/*
 * finger_screen.c - a finger is taken or checked: a simple drawing of two
 * hands with the finger marked, its name, "stage 3 of 5" with a bar, each
 * retry reason in plain words, and the choices when a stage timed out or
 * the reader is gone (1 try again, 2 another finger, 3 an exception, 4
 * carry on), drawn as big number keys. An applicant page: + back and *
 * help work here as everywhere; in Urdu the words and the bar read from
 * the right.
 *
 * What to ask and what happens next is the flow's (kiosk/flow_finger.c):
 * this file only draws its view and passes keys on. It never sees a print
 * or an image, and never touches the reader.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "keybar.h"
#include "text.h"

#define HAND_ROWS 7
#define HAND_COLS 16

/* The left hand, back up, as its owner sees it; the right is its mirror.
 * Plain ASCII so every terminal and font draws it. */
static const char *const left_hand[HAND_ROWS] = {
    "    _  _  _     ", " _ | || || |    ", "| || || || |  _ ",  "| || || || | | |",
    "|          |_| |", "|              |", " \\____________/ ",
};

/* Each finger's inside: its column in the left hand and its rows, from
 * the little finger to the thumb (enum order is thumb first). */
static const struct {
    int col, top, bottom;
} left_cells[5] = {
    {14, 3, 4}, /* thumb */
    {10, 1, 3}, /* index */
    {7, 1, 3},  /* middle */
    {4, 1, 3},  /* ring */
    {1, 2, 3},  /* little */
};

static char problem[300];
static struct keybar bar, bar_up; /* the choices as last drawn, for clicks */

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    problem[0] = '\0';
}

static void enter(struct flow *f)
{
    (void)f;
    problem[0] = '\0';
}

static char hand_char(bool right, int row, int col)
{
    int src = right ? HAND_COLS - 1 - col : col;
    char c = left_hand[row][src];
    if (right && c == '/')
        return '\\';
    if (right && c == '\\')
        return '/';
    return c;
}

static bool marked(enum fp_finger finger, bool right, int row, int col)
{
    if ((finger >= FP_RIGHT_THUMB) != right)
        return false;
    int k = (int)finger - (right ? FP_RIGHT_THUMB : FP_LEFT_THUMB);
    int src = right ? HAND_COLS - 1 - col : col;
    return src == left_cells[k].col && row >= left_cells[k].top && row <= left_cells[k].bottom;
}

static void draw_hands(int y, enum fp_finger finger)
{
    int gap = crt_large() ? 16 : 8, w = 2 * HAND_COLS + gap;
    int x0 = (COLS - w) / 2 > 2 ? (COLS - w) / 2 : 2;
    for (int hand = 0; hand < 2; hand++) {
        bool right = hand == 1;
        /* The drawing is of the hands as their owner sees them, so it is
         * not mirrored in Urdu: only its words read from the right. */
        int x = x0 + (right ? HAND_COLS + gap : 0);
        for (int r = 0; r < HAND_ROWS; r++) {
            for (int c = 0; c < HAND_COLS; c++) {
                bool m = marked(finger, right, r, c);
                attr_t a = m ? (A_REVERSE | A_BOLD) : A_NORMAL;
                mvaddch(y + r, x + c, (chtype)(m ? '#' : hand_char(right, r, c)) | a);
            }
        }
        text_center(y + HAND_ROWS, x, HAND_COLS, right ? _("RIGHT hand") : _("LEFT hand"), A_BOLD);
    }
}

/* The bar fills from the side a line starts on: the right in Urdu. */
static void draw_bar(int y, int done, int stages)
{
    int most = crt_large() ? 60 : 40;
    int w = COLS - 30 < most ? COLS - 30 : most;
    if (w < 10 || stages <= 0)
        return;
    int fill = done * w / stages;
    int x = (COLS - w - 2) / 2;
    bool rtl = text_rtl();
    mvaddch(y, x, '[');
    for (int i = 0; i < w; i++) {
        bool on = rtl ? i >= w - fill : i < fill;
        addch(on ? ('#' | crt_attr(CRT_GOOD)) : '.');
    }
    addch(']');
}

static void add_choice(struct keybar_item *items, int *n, char key, const char *label)
{
    if (*n < KEYBAR_MAX)
        items[(*n)++] = (struct keybar_item){key, label};
}

static void draw(struct flow *f)
{
    struct flow_fp_view v;
    flow_fp_view(f, &v);
    static const struct frame_hint hints[] = {
        {"+", N_("Back"), 27},
        {"*", N_("Help"), '*'},
        {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
    };
    bool verify = v.task == FLOW_FP_VERIFY || v.task == FLOW_FP_LOGIN;
    bool large = crt_large();
    int margin = large ? 4 : 2;
    frame_draw(verify ? _("Fingerprint check") : _("Fingerprint"), hints,
               (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + (large ? 1 : 0);
    char line[300];
    snprintf(line, sizeof line,
             verify ? _("Please press your %s on the reader.")
                    : _("Please press your %s on the reader, then lift it, as many times as "
                        "asked."),
             flow_fp_finger_name(v.finger));
    y += text_wrap(y, margin, COLS - 2 * margin, 2, line, A_BOLD, 1) + (large ? 1 : 0);
    draw_hands(y, v.finger);
    y += HAND_ROWS + 1 + (large ? 1 : 0);
    if (v.state == FLOW_FP_WAITING && !verify && v.stages > 0) {
        snprintf(line, sizeof line, _("Stage %d of %d"), v.stage, v.stages);
        text_center(y++, 0, COLS, line, A_BOLD);
        draw_bar(y++, v.done, v.stages);
    } else if (v.state == FLOW_FP_WAITING && verify && v.tries_left > 0) {
        snprintf(line, sizeof line, _("Tries left: %d"), v.tries_left);
        text_center(y++, 0, COLS, line, A_NORMAL);
    }
    if (large)
        y++;
    /* The words of what happened, then the choices as big number keys
     * (Enter still carries on, for the staff). */
    int bar_top = frame_body_bottom() - keybar_rows() + 1;
    int choices_top = bar_top; /* updated below when the choices take two rows */
    struct keybar_item items[KEYBAR_MAX];
    int n = 0;
    switch (v.state) {
    case FLOW_FP_TIMED_OUT:
    case FLOW_FP_FAILED:
        add_choice(items, &n, FLOW_FP_KEY_AGAIN, N_("Try again"));
        if (v.can_other_finger && v.state == FLOW_FP_TIMED_OUT)
            add_choice(items, &n, FLOW_FP_KEY_OTHER, N_("Use another finger"));
        if (v.can_exception)
            add_choice(items, &n, FLOW_FP_KEY_EXCEPTION,
                       N_("Record an exception (no usable finger)"));
        if (v.can_skip)
            add_choice(items, &n, FLOW_FP_KEY_ON, N_("Carry on without the finger"));
        break;
    case FLOW_FP_NO_READER:
        add_choice(items, &n, FLOW_FP_KEY_ON, N_("Carry on without the finger"));
        break;
    case FLOW_FP_TOO_MANY:
        add_choice(items, &n, FLOW_FP_KEY_ON,
                   flow_clerk_mode(f) ? N_("Carry on (this is recorded)") : N_("Finish here"));
        break;
    default:
        if (v.can_exception)
            add_choice(items, &n, FLOW_FP_KEY_EXCEPTION,
                       N_("Record an exception (no usable finger)"));
        if (v.can_skip)
            add_choice(items, &n, FLOW_FP_KEY_ON, N_("Carry on without the finger"));
        break;
    }
    /* Three or four buttons do not fit one row beside the + and * corner
     * at 80 columns without breaking words: two rows then (the stage and
     * its bar are not shown in those states, so the rows are free). */
    int first = n > 2 && COLS < 120 ? 2 : 0;
    if (first)
        choices_top = bar_top - keybar_rows() - 1;
    if (v.message && choices_top - y > 0)
        text_wrap(y, margin, COLS - 2 * margin, choices_top - y > 2 ? 2 : choices_top - y,
                  _(v.message), crt_attr(v.message_is_error ? CRT_ERROR : CRT_GOOD), 1);
    bar_up.n = 0;
    if (first)
        keybar_draw(&bar_up, choices_top, margin, COLS - 2 * margin, items, first, -1);
    keybar_draw(&bar, bar_top, margin, COLS - 2 * margin, items + first, n - first, -1);
    if (problem[0])
        frame_message(problem, 1);
}

static void pick(struct flow *f, int ch)
{
    const char *why = NULL;
    struct flow_fp_view v;
    flow_fp_view(f, &v);
    problem[0] = '\0';
    switch (ch) {
    case FLOW_FP_KEY_AGAIN:
        if (v.state != FLOW_FP_WAITING)
            why = flow_fp_try_again(f);
        break;
    case FLOW_FP_KEY_OTHER:
        if (v.state == FLOW_FP_TIMED_OUT)
            why = flow_fp_other_finger(f);
        break;
    case FLOW_FP_KEY_EXCEPTION:
        why = flow_fp_show_exception(f);
        break;
    case FLOW_FP_KEY_ON:
    case '\r':
    case '\n':
    case KEY_ENTER:
        if (v.can_skip || v.state == FLOW_FP_NO_READER || v.state == FLOW_FP_TOO_MANY)
            why = flow_fp_skip(f);
        break;
    default:
        break;
    }
    if (why)
        snprintf(problem, sizeof problem, "%s", _(why));
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        flow_fp_back(f);
        return;
    }
    if (is_keycode && ch != KEY_ENTER)
        return;
    pick(f, ch);
}

static void click(struct flow *f, int y, int x)
{
    char k = keybar_hit(&bar, y, x);
    if (!k)
        k = keybar_hit(&bar_up, y, x);
    if (k)
        pick(f, k);
}

const struct screen_ops finger_screen = {"finger", init, fini, wipe, enter, draw, key, click, NULL};
