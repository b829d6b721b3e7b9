/*
 * field_page.c - one-number pages: prompt, hint, masked field, refusals.
 */
#include "field_page.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
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

void field_page_draw(struct field_page *p, struct flow *f)
{
    (void)f;
    frame_draw(_(p->title), p->hints, p->nhints);
    int y = frame_body_top() + 1;
    y += text_wrap(y, 4, COLS - 8, 3, _(p->prompt), A_NORMAL, 1) + 1;
    if (p->hint)
        y += text_wrap(y, 4, COLS - 8, 2, _(p->hint), crt_attr(CRT_HINT), 1) + 1;
    const char *label = _(p->label);
    int lw = text_width(label);
    text_draw(y, 4, lw, label, A_BOLD);
    if (p->problem)
        frame_message(_(p->problem), 1);
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
        text_draw(y + 2, 4, COLS - 8, line, A_BOLD);
    }
    field_draw(p->field, y, 4 + lw + 2, p->width, true);
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
