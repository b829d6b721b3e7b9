/*
 * finger_exception_screen.c - clerk only: no usable finger can be taken
 * from the household head. The clerk picks the reason (worn, injured,
 * missing, other) with a digit, then signs it off by typing their own PIN
 * or password again (checked like a log-in, lockout included).
 *
 * The secret is wiped as soon as it has been checked, right or wrong. The
 * flow stores and audits the exception; this file never touches SQL.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "field.h"
#include "frame.h"
#include "menu.h"
#include "text.h"

static const char *const codes[] = {"worn", "injured", "missing", "other"};

static struct menu menu = {
    .items = {{'1', N_("Worn (no clear ridges)")},
              {'2', N_("Injured or bandaged")},
              {'3', N_("Missing (no such finger)")},
              {'4', N_("Other reason")}},
    .n = 4,
};
static const struct frame_hint hints[] = {
    {"1-4", N_("Reason"), 0},
    {"Enter", N_("Sign off"), '\r'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct field *secret;
static int reason = -1; /* index into codes */
static char problem[200];

static int init(void)
{
    secret = field_new(FIELD_SECRET, 64);
    return secret ? 0 : -1;
}

static void fini(void)
{
    field_free(secret);
    secret = NULL;
}

static void wipe(void)
{
    field_clear(secret);
    reason = -1;
    menu.focus = 0;
    problem[0] = '\0';
}

static void enter(struct flow *f)
{
    (void)f;
    wipe();
}

static void draw(struct flow *f)
{
    frame_draw(_("Fingerprint exception"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    y += text_wrap(y, 2, COLS - 4, 2,
                   _("No usable finger can be taken. Choose the reason, then type your own PIN "
                     "or password to sign it off."),
                   A_NORMAL, 1) +
         1;
    menu_draw(&menu, y, 1, COLS * 2 / 3);
    y += menu.n * 2; /* each button a row and a gap */
    char line[200];
    snprintf(line, sizeof line, _("Reason: %s"), reason >= 0 ? _(menu.items[reason].label) : "-");
    text_draw(y, 4, COLS - 8, line, A_BOLD);
    y += 2;
    snprintf(line, sizeof line, _("Signed off by %s. PIN or password:"), flow_user(f));
    int w = text_draw(y, 4, COLS - 8, line, A_BOLD);
    if (problem[0])
        frame_message(problem, 1);
    field_draw(secret, y, 6 + w < COLS - 20 ? 6 + w : COLS - 20, 18, reason >= 0);
}

static void submit(struct flow *f)
{
    char s[128];
    field_get(secret, s, sizeof s);
    int wait_s = 0;
    const char *why = flow_fp_exception(f, reason >= 0 ? codes[reason] : "", s, &wait_s);
    explicit_bzero(s, sizeof s);
    field_clear(secret);
    if (!why)
        return;
    snprintf(problem, sizeof problem, _(why), wait_s);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        flow_fp_exception_back(f);
        return;
    }
    if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
        if (reason < 0)
            reason = menu.focus;
        else
            submit(f);
        return;
    }
    /* Until a reason is picked digits pick it; then they are the PIN. */
    if (reason < 0) {
        int i = menu_key(&menu, ch, is_keycode);
        if (i >= 0)
            reason = i;
        return;
    }
    if (is_keycode && ch == KEY_UP) {
        reason = -1;
        return;
    }
    enum field_key_result r = field_key(secret, ch, is_keycode);
    if (r == FIELD_REFUSED)
        snprintf(problem, sizeof problem, "%s", _(field_refusal(secret)));
    else if (r == FIELD_CHANGED)
        problem[0] = '\0';
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    int i = menu_click(&menu, y, x);
    if (i >= 0) {
        reason = i;
        field_clear(secret);
    }
}

const struct screen_ops finger_exception_screen = {
    "finger-exception", init, fini, wipe, enter, draw, key, click, NULL};
