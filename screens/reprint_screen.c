/*
 * reprint_screen.c - the counter's "Reprint a receipt": a tracking ID or
 * the head's CNIC of a registration made here; its receipt page opens and
 * the receipt prints again, marked as a copy. Clerk only (the flow refuses
 * otherwise and records every reprint). Never shows the household's
 * answers: only the receipt's tracking ID.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "field_page.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: print the receipt again. */
    {"Enter", N_("Reprint"), '\r'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct field_page page = {
    .title = N_("Reprint a receipt"),
    .prompt = N_("Type the tracking ID (16 digits) or the CNIC of the head of household "
                 "(13 digits) of a registration made here, then press Enter."),
    .hint = N_("The receipt opens on the screen and prints again, marked COPY."),
    .label = N_("Tracking ID or CNIC:"),
    .kind = FIELD_LOOKUP,
    .width = 24,
    .hints = hints,
    .nhints = (int)(sizeof hints / sizeof hints[0]),
    .submit = flow_reprint,
};

static int init(void)
{
    return field_page_init(&page);
}

static void fini(void)
{
    field_page_fini(&page);
}

static void wipe(void)
{
    field_page_wipe(&page);
}

static void enter(struct flow *f)
{
    field_page_enter(&page, f);
}

static void draw(struct flow *f)
{
    field_page_draw(&page, f);
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    /* Esc leaves the tool for the clerk's home page. */
    if (!is_keycode && ch == 27)
        flow_tools_back(f);
    else
        field_page_key(&page, f, ch, is_keycode);
}

static void click(struct flow *f, int y, int x)
{
    (void)f;
    (void)y;
    (void)x;
}

static void device(struct flow *f)
{
    field_page_device(&page, f);
}

const struct screen_ops reprint_screen = {"reprint", init, fini,  wipe,  enter,
                                          draw,      key,  click, device};
