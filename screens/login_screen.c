/*
 * login_screen.c - a clerk or supervisor logs in: name, then PIN or
 * password (shown as stars). Reached by the configured log-in key from
 * the applicant's screens, or where a counter machine starts. The secret
 * is wiped from memory as soon as it has been checked, right or wrong.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "field.h"
#include "frame.h"
#include "text.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: check the name and secret and log in. */
    {"Enter", N_("Log in"), '\r'},
    {"Tab", N_("Next field"), '\t'},
    /* TRANSLATORS: button: log in with the finger instead of the secret. */
    {"F3", N_("Use fingerprint"), KEY_F(3)},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct field *name, *secret;
static int focus; /* 0 name, 1 secret */
static char problem[200];

static int init(void)
{
    name = field_new(FIELD_TEXT, 32);
    secret = field_new(FIELD_SECRET, 64);
    return name && secret ? 0 : -1;
}

static void fini(void)
{
    field_free(name);
    field_free(secret);
    name = secret = NULL;
}

static void wipe(void)
{
    field_clear(name);
    field_clear(secret);
    focus = 0;
    problem[0] = '\0';
}

static void enter(struct flow *f)
{
    (void)f;
    wipe();
}

static void draw(struct flow *f)
{
    frame_draw(_("Staff log-in"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + 1;
    y += text_wrap(y, 4, COLS - 8, 3,
                   _("For clerks and supervisors. Type your name, then your PIN or password, and "
                     "press Enter."),
                   A_NORMAL, 1) +
         1;
    if (flow_config(f)->clerk_mode)
        y += text_wrap(y, 4, COLS - 8, 2,
                       _("This is a counter machine: the registration screens open after log-in."),
                       crt_attr(CRT_HINT), 1) +
             1;
    const char *ln = _("Name:"), *ls = _("PIN or password:");
    int lw = text_width(ln) > text_width(ls) ? text_width(ln) : text_width(ls);
    text_draw(y, 4, lw, ln, A_BOLD);
    text_draw(y + 2, 4, lw, ls, A_BOLD);
    if (problem[0])
        frame_message(problem, 1);
    /* The focused field last: it leaves the cursor where typing goes. */
    field_draw(focus ? name : secret, focus ? y : y + 2, 6 + lw, 34, false);
    field_draw(focus ? secret : name, focus ? y + 2 : y, 6 + lw, 34, true);
}

static void submit(struct flow *f)
{
    char n[64], s[128];
    field_get(name, n, sizeof n);
    field_get(secret, s, sizeof s);
    int wait_s = 0;
    const char *why = flow_login(f, n, s, &wait_s);
    explicit_bzero(s, sizeof s);
    explicit_bzero(n, sizeof n);
    field_clear(secret);
    if (!why)
        return; /* the flow moved on; this page was wiped */
    snprintf(problem, sizeof problem, _(why), wait_s);
    focus = 1;
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        flow_go_back(f);
        return;
    }
    if (!is_keycode && ch == '\t') {
        focus = !focus;
        return;
    }
    if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
        if (focus == 0)
            focus = 1;
        else
            submit(f);
        return;
    }
    if (is_keycode && ch == KEY_F(3)) {
        /* After the name, the finger instead of the secret. */
        char n[64];
        field_get(name, n, sizeof n);
        int wait_s = 0;
        const char *why = flow_fp_login(f, n, &wait_s);
        explicit_bzero(n, sizeof n);
        if (why)
            snprintf(problem, sizeof problem, _(why), wait_s);
        return;
    }
    if (is_keycode && (ch == KEY_UP || ch == KEY_BTAB)) {
        focus = 0;
        return;
    }
    if (is_keycode && ch == KEY_DOWN) {
        focus = 1;
        return;
    }
    enum field_key_result r = field_key(focus ? secret : name, ch, is_keycode);
    if (r == FIELD_REFUSED)
        snprintf(problem, sizeof problem, "%s", _(field_refusal(focus ? secret : name)));
    else if (r == FIELD_CHANGED)
        problem[0] = '\0';
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)y;
    (void)x;
}

const struct screen_ops login_screen = {"login", init, fini, wipe, enter, draw, key, click, NULL};
