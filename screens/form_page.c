/*
 * form_page.c - shared load/keep/validate/wipe cycle of survey pages.
 */
#include "form_page.h"

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "text.h"

static const struct frame_hint hints[] = {
    {"Enter", N_("Next question"), '\r'},
    {"F2", N_("Next page"), KEY_F(2)},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

void form_page_wipe(struct form_page *p)
{
    form_clear(p->form);
    p->loaded = false;
}

void form_page_enter(struct form_page *p, struct flow *f)
{
    if (p->prepare)
        p->prepare(p, f);
    if (!p->loaded) {
        form_clear(p->form);
        p->load(p->form, f);
        p->loaded = true;
    }
}

void form_page_draw(struct form_page *p, struct flow *f)
{
    frame_draw(_(p->title), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top();
    char buf[256];
    const char *notice = p->notice ? p->notice(f, buf, sizeof buf) : NULL;
    if (notice)
        y += text_wrap(y, 2, COLS - 4, 2, notice, crt_attr(CRT_GOOD), 1);
    if (p->intro)
        y += text_wrap(y, 2, COLS - 4, 2, _(p->intro), A_NORMAL, 1);
    form_draw(p->form, y + 1);
}

void form_page_key(struct form_page *p, struct flow *f, int ch, bool is_keycode)
{
    switch (form_key(p->form, ch, is_keycode)) {
    case FORM_SUBMIT:
        form_clear_errors(p->form);
        if (p->store(p->form, f))
            p->forward(f);
        else
            form_focus_first_error(p->form);
        break;
    case FORM_BACK:
        p->back(f);
        break;
    case FORM_NONE:
        break;
    }
}

void form_page_click(struct form_page *p, struct flow *f, int y, int x)
{
    (void)f;
    form_click(p->form, y, x);
}
