/*
 * reg_receipt_screen.c - the tracking ID, in big digits, and what to do
 * next. The applicant leaves with this number; it is shown until Enter or
 * the idle timeout, which wipes it.
 */
#include "screen.h"

#include <stdio.h>
#include <time.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: end this visit and return to the start. */
    {"Enter", N_("Finish"), '\r'},
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
}

static void enter(struct flow *f)
{
    (void)f;
}

static void draw(struct flow *f)
{
    const struct config *cfg = flow_config(f);
    char id[TRACKING_FORMATTED_LEN + 1], buf[320], today[16];
    int d[3];
    flow_today(d);
    snprintf(today, sizeof today, "%02d-%02d-%04d", d[2], d[1], d[0]);
    tracking_format(flow_receipt(f), id, sizeof id);

    frame_draw(_("Registration saved"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    text_center(y++, 0, COLS, _("Thank you. Your registration is saved."), crt_attr(CRT_GOOD));
    text_center(y++, 0, COLS, _("Your tracking ID:"), A_BOLD);
    y++;
    int w = bigdigits_width(id);
    bigdigits_draw(y, w < COLS ? (COLS - w) / 2 : 0, id);
    y += BIGDIGITS_ROWS + 1;
    snprintf(buf, sizeof buf, _("Tracking ID: %s    Date: %s"), id, today);
    text_center(y++, 0, COLS, buf, A_BOLD);
    y++;
    snprintf(buf, sizeof buf,
             _("Write this number down or take a photo. Check your status here, by SMS to %s "
               "or at the helpline %s, with your CNIC or this tracking ID."),
             cfg->sms_number, cfg->helpline);
    text_wrap(y, 4, COLS - 8, 3, buf, A_NORMAL, 1);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if ((!is_keycode && (ch == '\r' || ch == '\n' || ch == 27)) || (is_keycode && ch == KEY_ENTER))
        flow_end_session(f);
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)y;
    (void)x;
}

const struct screen_ops reg_receipt_screen = {"reg-receipt", init, fini,  wipe, enter,
                                              draw,          key,  click, NULL};
