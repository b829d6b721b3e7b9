/*
 * field_page.c - one-number pages: prompt, hint, masked field, refusals.
 */
#include "field_page.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "bigdigits.h"
#include "crt.h"
#include "text.h"

int field_page_init(struct field_page *p)
{
    p->field = field_new(p->kind, 0);
    return p->field ? 0 : -1;
}

void field_page_fini(struct field_page *p)
{
    field_free(p->field);
    p->field = NULL;
}

static void forget_card(struct field_page *p)
{
    explicit_bzero(p->card_name, sizeof p->card_name);
    explicit_bzero(p->card_dob, sizeof p->card_dob);
}

void field_page_wipe(struct field_page *p)
{
    field_clear(p->field);
    p->problem = NULL;
    forget_card(p);
}

void field_page_device(struct field_page *p, struct flow *f)
{
    struct flow_device_cnic c;
    if (!flow_take_device_cnic(f, &c))
        return;
    field_set(p->field, c.cnic);
    p->problem = NULL;
    forget_card(p);
    snprintf(p->card_name, sizeof p->card_name, "%s", c.name);
    snprintf(p->card_dob, sizeof p->card_dob, "%s", c.dob);
    explicit_bzero(&c, sizeof c);
}

void field_page_enter(struct field_page *p, struct flow *f)
{
    p->problem = NULL;
    forget_card(p);
    if (p->prefill)
        p->prefill(p->field, f);
}

/* The digits typed so far, big and with their dashes, centred under the
 * field from row Y: the applicant checks them against the card or the
 * receipt without reading small print. Returns the rows used (with one
 * blank after). */
static int draw_big(const struct field_page *p, int y)
{
    if (p->kind != FIELD_CNIC && p->kind != FIELD_LOOKUP)
        return 0;
    enum bigdigits_size size = crt_large() ? BIGDIGITS_LARGE : BIGDIGITS_SMALL;
    char buf[64];
    field_shown(p->field, buf, sizeof buf);
    int w = bigdigits_width(buf);
    /* Numbers read left to right in Urdu too: never mirrored. */
    if (w > 0 && w <= COLS - 4)
        bigdigits_draw_in(y, (COLS - w) / 2, buf, size, crt_attr(CRT_BIG));
    explicit_bzero(buf, sizeof buf);
    return bigdigits_rows(size) + 1;
}

void field_page_draw(struct field_page *p, struct flow *f)
{
    (void)f;
    frame_draw(_(p->title), p->hints, p->nhints);
    int m = crt_large() ? 12 : 4; /* the larger layout has wider margins */
    int y = frame_body_top() + (crt_large() ? 3 : 1);
    y += text_wrap(y, m, COLS - 2 * m, 3, _(p->prompt), A_NORMAL, 1) + 1;
    if (p->hint)
        y += text_wrap(y, m, COLS - 2 * m, 2, _(p->hint), crt_attr(CRT_HINT), 1) + 1;
    if (crt_large())
        y++;
    const char *label = _(p->label);
    int lw = text_width(label);
    /* Mirrored in Urdu: the label at the right, the box on its left (the
     * digits in it still read left to right). */
    bool rtl = text_rtl();
    int label_x = rtl ? COLS - m - lw : m;
    int box_x = rtl ? label_x - 2 - p->width : m + lw + 2;
    if (box_x < 0)
        box_x = 0;
    text_draw(y, label_x, lw, label, A_BOLD);
    if (p->problem)
        frame_message(_(p->problem), 1);
    int big_rows = draw_big(p, y + 2);
    if (p->card_name[0] || p->card_dob[0]) {
        /* Read back so the person confirms the card is theirs: a CNIC
         * has no check digit. */
        char line[200], dob[16] = "";
        if (strlen(p->card_dob) == 10)
            snprintf(dob, sizeof dob, "%.2s-%.2s-%.4s", p->card_dob + 8, p->card_dob + 5,
                     p->card_dob);
        if (p->card_name[0] && dob[0])
            snprintf(line, sizeof line, _("On the card: %s, born %s"), p->card_name, dob);
        else if (p->card_name[0])
            snprintf(line, sizeof line, _("On the card: %s"), p->card_name);
        else
            snprintf(line, sizeof line, _("On the card: born %s"), dob);
        text_start(y + 2 + big_rows, m, COLS - 2 * m, line, A_BOLD);
    }
    field_draw(p->field, y, box_x, p->width, true);
}

void field_page_key(struct field_page *p, struct flow *f, int ch, bool is_keycode)
{
    if (!is_keycode && ch == 27) {
        flow_go_back(f);
        return;
    }
    if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
        char buf[64];
        field_get(p->field, buf, sizeof buf);
        p->problem = p->submit(f, buf);
        explicit_bzero(buf, sizeof buf);
        return;
    }
    enum field_key_result r = field_key(p->field, ch, is_keycode);
    if (r == FIELD_REFUSED)
        p->problem = field_refusal(p->field);
    else if (r == FIELD_CHANGED) {
        p->problem = NULL;
        forget_card(p); /* the number is no longer the card's */
    }
}
