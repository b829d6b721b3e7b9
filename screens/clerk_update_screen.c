/*
 * clerk_update_screen.c - the counter's "Update a registration": a CNIC or
 * tracking ID of a registration made here; its answers become a draft
 * that is saved as the next version. Clerk mode only (the flow refuses it
 * otherwise): an applicant never sees a registered household's answers.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "field_page.h"

static const struct frame_hint hints[] = {
    {"Enter", N_("Next"), '\r'},
    {"Esc", N_("Back"), 27},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static struct field_page page = {
    .title = N_("Update a registration"),
    .prompt = N_("Type the CNIC of the head of household (13 digits) or the tracking ID "
                 "(16 digits) of the registration to update, then press Enter."),
    .hint = N_("The update starts from the saved answers and is stored as a new version."),
    .label = N_("CNIC or tracking ID:"),
    .kind = FIELD_LOOKUP,
    .width = 24,
    .hints = hints,
    .nhints = (int)(sizeof hints / sizeof hints[0]),
    .submit = flow_update_registration,
};

FIELD_PAGE_SCREEN(clerk_update_screen, "clerk-update", page);
