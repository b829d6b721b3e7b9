/*
 * home_screen.c - the attract/home screen: two big choices and the
 * language switch, readable from across the room.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "menu.h"
#include "text.h"

enum { PICK_STATUS, PICK_REGISTER, PICK_LANGUAGE, PICK_DRAFTS, PICK_UPDATE, PICK_SYNC };

static const struct menu applicant_menu = {
    .items = {{'1', N_("Check status")},
              {'2', N_("Register household")},
              {'3', N_("Language: English / Roman Urdu")}},
    .n = 3,
};
/* The counter's machine: the applicant's choices plus the clerk's lists. */
static const struct menu clerk_menu = {
    .items = {{'1', N_("Check status")},
              {'2', N_("Register household")},
              {'3', N_("Language: English / Roman Urdu")},
              {'4', N_("Saved drafts")},
              {'5', N_("Update a registration")},
              {'6', N_("Sync with the registry")}},
    .n = 6,
};
static struct menu menu;

static const struct frame_hint hints[] = {
    {"1", N_("Check status"), '1'},
    {"2", N_("Register"), '2'},
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
    menu = flow_clerk_mode(f) ? clerk_menu : applicant_menu;
    menu.focus = 0;
}

static void draw(struct flow *f)
{
    frame_draw(_("Welcome"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + 1;
    text_center(y++, 0, COLS, _("National Socio-Economic Registry"), A_BOLD);
    text_center(y++, 0, COLS, _("Benazir Income Support Programme"), A_NORMAL);
    y++;
    text_center(y++, 0, COLS, _("Press a number, or touch a button."), crt_attr(CRT_HINT));
    y++;
    if (menu.n == 0)
        enter(f);
    int h = LINES >= 30 ? 3 : 1;
    menu_draw(&menu, y, h, COLS * 2 / 3);
    if (flow_has_unfinished(f))
        frame_message(_("A registration is open: press 2 to continue it."), 0);
    else if (flow_clerk_mode(f))
        frame_message(_("Counter mode: drafts, updates and sync are on 4, 5 and 6."), 0);
}

static void pick(struct flow *f, int i)
{
    switch (i) {
    case PICK_STATUS:
        flow_start_status(f);
        break;
    case PICK_REGISTER:
        flow_start_registration(f);
        break;
    case PICK_LANGUAGE:
        i18n_cycle_language();
        break;
    case PICK_DRAFTS:
        flow_show_drafts(f);
        break;
    case PICK_UPDATE:
        flow_start_update(f);
        break;
    case PICK_SYNC:
        flow_show_sync(f);
        break;
    default:
        break;
    }
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    pick(f, menu_key(&menu, ch, is_keycode));
}

static void click(struct flow *f, int y, int x)
{
    pick(f, menu_click(&menu, y, x));
}

const struct screen_ops home_screen = {"home", init, fini, wipe, enter, draw, key, click, NULL};
