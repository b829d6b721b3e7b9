/*
 * home_screen.c - the attract/home screen: two big choices and the
 * language switch, readable from across the room; for a clerk also the
 * counter's lists and tools, for a supervisor accounts and the audit
 * trail, on a second page of the menu. Offers only what the role may do
 * (the flow checks again); never touches SQL.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "menu.h"
#include "text.h"

enum {
    PICK_STATUS,
    PICK_REGISTER,
    PICK_LANGUAGE,
    PICK_DRAFTS,
    PICK_UPDATE,
    PICK_SYNC,
    PICK_TODAY,
    PICK_REPRINT,
    PICK_ACCOUNTS,
    PICK_AUDIT,
    PICK_COUNT
};

/* Every choice, by PICK_*: its key and label. Which are offered depends on
 * who is logged in; the flow refuses the rest anyway. */
static const struct menu_item choices[PICK_COUNT] = {
    [PICK_STATUS] = {'1', N_("Check status")},
    [PICK_REGISTER] = {'2', N_("Register household")},
    [PICK_LANGUAGE] = {'3', N_("Language: English / Roman Urdu")},
    [PICK_DRAFTS] = {'4', N_("Saved drafts")},
    [PICK_UPDATE] = {'5', N_("Update a registration")},
    [PICK_SYNC] = {'6', N_("Sync with the registry")},
    [PICK_TODAY] = {'7', N_("Today's work")},
    [PICK_REPRINT] = {'8', N_("Reprint a receipt")},
    [PICK_ACCOUNTS] = {'9', N_("Accounts")},
    [PICK_AUDIT] = {'0', N_("Audit trail")},
};

/* Six big buttons fill an 80x24 screen: the clerk's tools go on a second
 * page of the menu (PgDn / PgUp), and their digits work from either. */
static struct menu menu;
static int picks[MENU_MAX]; /* PICK_* of each button shown */
static int menu_page;

static int pick_count(const struct flow *f)
{
    switch (flow_role(f)) {
    case ROLE_SUPERVISOR:
        return PICK_COUNT;
    case ROLE_CLERK:
        return PICK_ACCOUNTS;
    default:
        return PICK_LANGUAGE + 1;
    }
}

static void build_menu(const struct flow *f)
{
    int n = pick_count(f);
    int pages = (n + MENU_MAX - 1) / MENU_MAX;
    if (menu_page >= pages)
        menu_page = pages - 1;
    menu.n = 0;
    for (int i = menu_page * MENU_MAX; i < n && menu.n < MENU_MAX; i++) {
        picks[menu.n] = i;
        menu.items[menu.n++] = choices[i];
    }
    if (menu.focus >= menu.n)
        menu.focus = 0;
}

static const struct frame_hint hints[] = {
    {"1", N_("Check status"), '1'},
    {"2", N_("Register"), '2'},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};
static const struct frame_hint clerk_hints[] = {
    {"1", N_("Check status"), '1'},
    {"2", N_("Register"), '2'},
    /* TRANSLATORS: button: the other page of the clerk's menu. */
    {"PgDn", N_("More tools"), KEY_NPAGE},
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
    menu_page = 0;
}

static void enter(struct flow *f)
{
    menu.focus = 0;
    menu_page = 0;
    build_menu(f);
}

static void draw(struct flow *f)
{
    if (flow_clerk_mode(f))
        frame_draw(_("Welcome"), clerk_hints, (int)(sizeof clerk_hints / sizeof clerk_hints[0]));
    else
        frame_draw(_("Welcome"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + 1;
    text_center(y++, 0, COLS, _("National Socio-Economic Registry"), A_BOLD);
    text_center(y++, 0, COLS, _("Benazir Income Support Programme"), A_NORMAL);
    y++;
    text_center(y++, 0, COLS, _("Press a number, or touch a button."), crt_attr(CRT_HINT));
    if (crt_large())
        y += 2;    /* the larger layout spaces the page out */
    build_menu(f); /* the role may have changed since enter() */
    /* As big as fits above the + and * in the bottom corner. */
    int keys_rows = crt_large() ? 5 : MENU_KEYS_ROWS;
    int h = menu_fit_height(menu.n, frame_body_bottom() - keys_rows - y + 1);
    menu_draw(&menu, y, h, crt_large() ? COLS / 2 : COLS * 2 / 3);
    if (flow_has_unfinished(f))
        frame_message(_("A registration is open: press 2 to continue it."), 0);
    else if (flow_clerk_mode(f) && menu_page == 0)
        frame_message(_("Counter mode: today's work, reprints and more on the next page (PgDn)."),
                      0);
    else if (flow_clerk_mode(f))
        frame_message(_("Counter mode: PgUp for status, registration, drafts and sync."), 0);
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
    case PICK_TODAY:
        flow_show_today(f);
        break;
    case PICK_REPRINT:
        flow_show_reprint(f);
        break;
    case PICK_ACCOUNTS:
        flow_show_accounts(f);
        break;
    case PICK_AUDIT:
        flow_show_audit(f);
        break;
    default:
        break;
    }
}

static int shown_pick(int i)
{
    return i >= 0 && i < menu.n ? picks[i] : -1;
}

static void key(struct flow *f, int ch, bool is_keycode)
{
    build_menu(f);
    int n = pick_count(f);
    if (is_keycode && (ch == KEY_NPAGE || ch == KEY_PPAGE)) {
        int pages = (n + MENU_MAX - 1) / MENU_MAX;
        menu_page = ch == KEY_NPAGE ? (menu_page + 1) % pages : (menu_page + pages - 1) % pages;
        menu.focus = 0;
        build_menu(f);
        return;
    }
    /* A clerk's own finger, for log-in by fingerprint (docs/fingerprints.md). */
    if (!is_keycode && (ch == 'f' || ch == 'F') && flow_clerk_mode(f)) {
        flow_fp_staff_enrol(f); /* says so itself when there is no reader */
        return;
    }
    /* A digit picks its choice whichever page is shown. */
    for (int i = 0; !is_keycode && i < n; i++)
        if (choices[i].key == ch) {
            pick(f, i);
            return;
        }
    pick(f, shown_pick(menu_key(&menu, ch, is_keycode)));
}

static void click(struct flow *f, int y, int x)
{
    pick(f, shown_pick(menu_click(&menu, y, x)));
}

const struct screen_ops home_screen = {"home", init, fini, wipe, enter, draw, key, click, NULL};
