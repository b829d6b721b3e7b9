/*
 * reg_housing_screen.c - housing questions: rooms, toilet, drinking water.
 * (The full survey adds ownership, materials, fuel and lighting as more
 * questions or pages of the same kind.)
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "form_page.h"

enum { Q_ROOMS, Q_TOILET, Q_WATER };

#define ROOMS_MAX 50

/* Options in enum order from the first real answer (code 1). */
static const char *toilets[TOILET_COUNT - 1];
static const char *waters[WATER_COUNT - 1];

static void load(struct form *form, struct flow *f)
{
    const struct housing *hs = household_housing(flow_household(f));
    if (hs->rooms > 0) {
        char buf[12];
        snprintf(buf, sizeof buf, "%d", hs->rooms);
        field_set(form_field(form, Q_ROOMS), buf);
    }
    form_set_choice(form, Q_TOILET, (int)hs->toilet - 1);
    form_set_choice(form, Q_WATER, (int)hs->water - 1);
}

static bool store(struct form *form, struct flow *f)
{
    char buf[8];
    field_get(form_field(form, Q_ROOMS), buf, sizeof buf);
    long rooms = strtol(buf, NULL, 10);
    if (!*buf || rooms < 1 || rooms > ROOMS_MAX)
        form_set_error(form, Q_ROOMS, N_("Please type the number of rooms (1 or more)."));
    if (form_choice(form, Q_TOILET) < 0)
        form_set_error(form, Q_TOILET, N_("Please choose the kind of toilet."));
    if (form_choice(form, Q_WATER) < 0)
        form_set_error(form, Q_WATER, N_("Please choose where drinking water comes from."));
    if (form_has_errors(form))
        return false;
    struct housing *hs = household_housing(flow_household(f));
    hs->rooms = (int)rooms;
    hs->toilet = (enum toilet)(form_choice(form, Q_TOILET) + 1);
    hs->water = (enum water)(form_choice(form, Q_WATER) + 1);
    return true;
}

static struct form_page page = {
    .title = N_("Housing"),
    .intro = N_("About the house the household lives in."),
    .load = load,
    .store = store,
    .forward = flow_next,
    .back = flow_back,
};

static int build(struct form *form)
{
    for (int i = 1; i < TOILET_COUNT; i++)
        toilets[i - 1] = toilet_label((enum toilet)i);
    for (int i = 1; i < WATER_COUNT; i++)
        waters[i - 1] = water_label((enum water)i);
    int rc = 0;
    rc |= form_add_text(form, N_("Number of rooms"), FIELD_NUMBER, 2,
                        N_("Rooms the household lives and sleeps in; not the kitchen, "
                           "bathroom or store.")) < 0;
    rc |= form_add_choice(form, N_("Toilet"), toilets, TOILET_COUNT - 1, NULL) < 0;
    rc |= form_add_choice(form, N_("Drinking water"), waters, WATER_COUNT - 1, NULL) < 0;
    return rc ? -1 : 0;
}

FORM_PAGE_SCREEN(reg_housing_screen, "reg-housing", page, build);
