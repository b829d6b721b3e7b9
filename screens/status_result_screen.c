/*
 * status_result_screen.c - the answer to a status check.
 *
 * Shows the status, its date, the tracking ID and the head's name masked:
 * never household data. An unknown CNIC gets the registry's answer, "your
 * survey is incomplete", with what to do next.
 */
#include "screen.h"

#include <stdio.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "menu.h"
#include "text.h"

enum { PICK_DONE, PICK_REGISTER };

static struct menu menu = {
    .items = {{'1', N_("Finish")}, {'2', N_("Register now")}},
    .n = 2,
};

static const struct frame_hint hints[] = {
    {"Enter", N_("Finish"), '\r'},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static int init(void)
{
    return 0;
}

static void fini(void)
{
}

static void wipe(void)
{
    menu.focus = 0;
}

static void enter(struct flow *f)
{
    (void)f;
    menu.focus = 0;
}

/* Labels in one column, as wide as the widest label of the answer. */
static const char *const labels[] = {N_("Status:"), N_("Since:"), N_("Tracking ID:"),
                                     N_("Head of household:"), N_("CNIC:")};

static int line(int y, const char *label, const char *value)
{
    int lw = 0;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (text_width(_(labels[i])) > lw)
            lw = text_width(_(labels[i]));
    /* Mirrored in Urdu: the label column at the right, the value on its
     * left, right-aligned to it. */
    if (text_rtl()) {
        text_start(y, COLS - 4 - lw, lw, _(label), A_NORMAL);
        return y + text_wrap(y, 4, COLS - 10 - lw, 2, value, A_BOLD, 1);
    }
    text_draw(y, 4, lw, _(label), A_NORMAL);
    return y + text_wrap(y, 6 + lw, COLS - 10 - lw, 2, value, A_BOLD, 1);
}

static int helpline(int y, const struct config *cfg)
{
    char buf[256];
    snprintf(buf, sizeof buf, _("Helpline: %s    SMS your CNIC to %s"), cfg->helpline,
             cfg->sms_number);
    text_start(y, 4, COLS - 8, buf, crt_attr(CRT_HINT));
    return y + 1;
}

static int draw_found(const struct status_answer *a, int y)
{
    text_start(y++, 4, COLS - 8,
               a->from_snapshot ? _("Registration found (made at another centre)")
                                : _("Registration found"),
               crt_attr(CRT_GOOD));
    y++;
    y = line(y, labels[0], _(reg_status_text(a->status)));
    y = line(y, labels[1], a->status_date);
    y = line(y, labels[2], a->tracking);
    y = line(y, labels[3], a->masked_name);
    y++;
    y += text_wrap(y, 4, COLS - 8, 3, _(reg_status_advice(a->status)), A_NORMAL, 1);
    return y;
}

static int draw_not_found(const struct status_answer *a, int y)
{
    if (a->by_tracking) {
        text_start(y++, 4, COLS - 8, _("No registration has this tracking ID."),
                   crt_attr(CRT_ERROR));
        y++;
        y = line(y, labels[2], a->tracking);
        y++;
        y += text_wrap(y, 4, COLS - 8, 3,
                       _("Please check the number on your receipt, or check by CNIC instead."),
                       A_NORMAL, 1);
        return y;
    }
    text_start(y++, 4, COLS - 8, _("Your survey is incomplete."), crt_attr(CRT_ERROR));
    y++;
    y = line(y, labels[4], a->cnic);
    y++;
    y += text_wrap(y, 4, COLS - 8, 4,
                   _("This household is not in the registry yet. Press 2 to register now, or "
                     "go to the registration desk with your CNIC and the CNIC or B-form of "
                     "everyone in your household."),
                   A_NORMAL, 1);
    return y;
}

static bool offers_registration(const struct status_answer *a)
{
    return a->kind == STATUS_Q_NOT_FOUND && !a->by_tracking;
}

static void draw(struct flow *f)
{
    const struct status_answer *a = flow_status_answer(f);
    frame_draw(_("Your status"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + 1;
    y = a->kind == STATUS_Q_FOUND ? draw_found(a, y) : draw_not_found(a, y);
    y = helpline(y + 1, flow_config(f));
    menu.n = offers_registration(a) ? 2 : 1;
    int keys_rows = crt_large() ? 5 : MENU_KEYS_ROWS;
    menu_draw(&menu, y + 1, menu_fit_height(menu.n, frame_body_bottom() - keys_rows - y), COLS / 2);
}

static void pick(struct flow *f, int i)
{
    if (i == PICK_DONE) {
        flow_finish_status(f);
    } else if (i == PICK_REGISTER && offers_registration(flow_status_answer(f))) {
        flow_start_registration(f);
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        flow_go_back(f);
        return;
    }
    pick(f, menu_key(&menu, ch, is_keycode));
}

static void click(struct flow *f, int y, int x)
{
    pick(f, menu_click(&menu, y, x));
}

const struct screen_ops status_result_screen = {"status-result", init, fini, wipe, enter, draw, key,
                                                click,           NULL};
