/*
 * reg_receipt_screen.c - the tracking ID, in big digits and as a QR code a
 * phone can scan, what to do next, and how the printed receipt is going.
 * The applicant leaves with this number; it is shown until Enter or the
 * idle timeout, which wipes it. The receipt prints by itself when the
 * registration is saved; P prints it again.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "keybar.h"
#include "crt.h"
#include "frame.h"
#include "qr.h"
#include "text.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: end this visit and return to the start. */
    {"Enter", N_("Finish"), '\r'},
    /* TRANSLATORS: button: print the receipt (again). */
    {"P", N_("Print receipt"), 'p'},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct qr *code;
/* P and Enter as number keys, drawn big under the words. */
static const struct keybar_item actions[] = {
    /* TRANSLATORS: button: print the receipt again. */
    {'1', N_("Print a copy")},
    {'2', N_("Finish")},
};
static struct keybar bar;

static int init(void)
{
    return 0;
}

static void wipe(void)
{
    qr_free(code);
    code = NULL;
}

static void fini(void)
{
    wipe();
}

static void enter(struct flow *f)
{
    wipe();
    code = qr_new(flow_receipt(f)->digits); /* NULL: the screen simply shows no code */
}

static const char *print_line(struct flow *f, bool *bad)
{
    *bad = false;
    switch (flow_print_state(f)) {
    case FLOW_PRINT_PRINTING:
        return _("Printing your receipt...");
    case FLOW_PRINT_DONE:
        return _("Your receipt is printed. Please take it.");
    case FLOW_PRINT_FAILED:
        *bad = true;
        return _(flow_print_problem(f));
    case FLOW_PRINT_NO_PRINTER:
        *bad = true;
        return _("No receipt printer here: please write the tracking ID down.");
    default:
        return "";
    }
}

static void draw(struct flow *f)
{
    const struct config *cfg = flow_config(f);
    char id[TRACKING_FORMATTED_LEN + 1], buf[320], today[16];
    int d[3];
    flow_today(d);
    snprintf(today, sizeof today, "%02d-%02d-%04d", d[2], d[1], d[0]);
    tracking_format(flow_receipt(f), id, sizeof id);

    bool copy = flow_receipt_is_copy(f);
    /* TRANSLATORS: title of the receipt page when a clerk shows it again. */
    frame_draw(copy ? _("Receipt (copy)") : _("Registration saved"), hints,
               (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    int w = bigdigits_width(id);
    bigdigits_draw(y, w < COLS ? (COLS - w) / 2 : 0, id);
    y += BIGDIGITS_ROWS;
    snprintf(buf, sizeof buf, _("Tracking ID: %s    Date: %s"), id, today);
    text_center(y++, 0, COLS, buf, A_BOLD);

    /* The code on the right, the words on the left; without room for the
     * code, the words take the whole width. */
    int bottom = frame_body_bottom();
    int qr_x = code ? COLS - qr_cols(code) - 2 : COLS;
    bool with_code = code && qr_x > 30 && y + qr_rows(code) <= bottom + 1;
    int text_w = with_code ? qr_x - 6 : COLS - 8;
    if (with_code)
        qr_draw(code, y, qr_x);
    int bar_top = bottom - keybar_rows() + 1;
    keybar_draw(&bar, bar_top, 2, with_code ? qr_x - 4 : COLS - 4, actions, 2, -1);
    bottom = bar_top - 2; /* the words stay above the keys */
    /* The words, in order of need: what happened, the printer's news, how
     * to check, the code's hint. With the keys at the bottom of 80x24 they
     * lose their blank lines first, then the hint. */
    const char *thanks = copy ? _("A copy of the receipt of a registration made here.")
                              : _("Thank you. Your registration is saved.");
    snprintf(buf, sizeof buf,
             _("Write this number down or take a photo. Check your status here, by SMS to %s "
               "or at the helpline %s, with your CNIC or this tracking ID."),
             cfg->sms_number, cfg->helpline);
    const char *hint = with_code ? _("A phone can scan the code on the right.") : "";
    bool bad;
    const char *p = print_line(f, &bad);
    int ty = y + 1;
    int n_thanks = text_wrap(0, 0, text_w, 2, thanks, A_NORMAL, 0);
    int n_buf = text_wrap(0, 0, text_w, 5, buf, A_NORMAL, 0);
    int n_hint = *hint ? text_wrap(0, 0, text_w, 2, hint, A_NORMAL, 0) : 0;
    int n_print = *p ? text_wrap(0, 0, text_w, 3, p, A_NORMAL, 0) : 0;
    int need = n_thanks + n_buf + n_print + (n_hint ? n_hint + 1 : 0) + 2;
    int gap = need <= bottom - ty + 1 ? 1 : 0;
    ty += text_wrap(ty, 4, text_w, 2, thanks, crt_attr(CRT_GOOD), 1) + gap;
    if (n_print)
        ty += text_wrap(ty, 4, text_w, 3, p, crt_attr(bad ? CRT_ERROR : CRT_GOOD), 1) + gap;
    ty += text_wrap(ty, 4, text_w, 5, buf, A_NORMAL, 1) + gap;
    if (n_hint && ty + n_hint - 1 <= bottom)
        text_wrap(ty, 4, text_w, 2, hint, crt_attr(CRT_HINT), 1);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    if ((!is_keycode && (ch == '\r' || ch == '\n' || ch == 27 || ch == '2')) ||
        (is_keycode && ch == KEY_ENTER))
        flow_end_session(f);
    else if (!is_keycode && (ch == 'p' || ch == 'P' || ch == '1'))
        flow_print_receipt(f);
}

static void click(struct flow *f, int y, int x)
{
    char k = keybar_hit(&bar, y, x);
    if (k)
        key(f, k, false);
}

const struct screen_ops reg_receipt_screen = {"reg-receipt", init, fini,  wipe, enter,
                                              draw,          key,  click, NULL};
