/*
 * reg_resume_screen.c - saved answers exist for the CNIC just typed:
 * continue them, or start again (the saved answers are then wiped).
 * Shows when they were saved and the draft number, never the answers.
 */
#include "screen.h"

#include <stdio.h>

#include "../kiosk/i18n.h"
#include "crt.h"
#include "frame.h"
#include "menu.h"
#include "text.h"

static struct menu menu = {
    .items = {{'1', N_("Continue my saved answers")},
              {'2', N_("Start again (the saved answers are deleted)")}},
    .n = 2,
};
static const char *problem;

static const struct frame_hint hints[] = {
    {"1", N_("Continue"), '1'},
    {"2", N_("Start again"), '2'},
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
    problem = NULL;
}

static void enter(struct flow *f)
{
    (void)f;
    menu.focus = 0;
    problem = NULL;
}

static void draw(struct flow *f)
{
    const struct draft_info *d = flow_resume_offer(f);
    frame_draw(_("Saved answers found"), hints, (int)(sizeof hints / sizeof hints[0]));
    int y = frame_body_top() + 1;
    char line[300];
    /* The time is UTC YYYY-MM-DDTHH:MM:SSZ: show the date and the hour. */
    snprintf(line, sizeof line,
             _("Answers for this CNIC were saved on %.10s at %.5s (UTC), draft number %.3s-%s."),
             d->updated_at, d->updated_at + 11, d->number, d->number + 3);
    y += text_wrap(y, 2, COLS - 4, 3, line, A_BOLD, 1) + 1;
    y +=
        text_wrap(y, 2, COLS - 4, 2, _("Do you want to continue where you stopped?"), A_NORMAL, 1) +
        1;
    int keys_rows = crt_large() ? 5 : MENU_KEYS_ROWS;
    menu_draw(&menu, y, menu_fit_height(menu.n, frame_body_bottom() - keys_rows - y), COLS * 2 / 3);
    if (problem)
        frame_message(_(problem), 1);
}

static void pick(struct flow *f, int i)
{
    if (i == 0 || i == 1)
        problem = flow_resume(f, i == 0);
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

const struct screen_ops reg_resume_screen = {"reg-resume", init, fini,  wipe, enter,
                                             draw,         key,  click, NULL};
