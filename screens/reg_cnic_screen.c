/*
 * reg_cnic_screen.c - first page of a registration: the head of
 * household's CNIC. Saved answers for that CNIC are offered for resuming;
 * at the counter, a CNIC registered here before starts an update.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "field_page.h"

static const struct frame_hint hints[] = {
    {"Enter", N_("Next"), '\r'},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static void prefill(struct field *field, struct flow *f)
{
    if (!field_empty(field))
        return;
    const struct status_answer *a = flow_status_answer(f);
    /* Back from the next page: show the CNIC the registration is for. */
    if (flow_draft(f))
        field_set(field, flow_draft(f)->head_cnic);
    /* Coming from "Register now" after a status check: keep that CNIC. */
    else if (a->kind == STATUS_Q_NOT_FOUND && a->cnic[0])
        field_set(field, a->cnic);
}

static struct field_page page = {
    .title = N_("Register: head of household"),
    .prompt = N_("Type the CNIC number of the head of the household (13 digits), then "
                 "press Enter."),
    .hint = N_("Have ready: the CNIC or B-form of everyone who lives and eats in the "
               "household."),
    .label = N_("Head's CNIC:"),
    .kind = FIELD_CNIC,
    .width = 20,
    .hints = hints,
    .nhints = (int)(sizeof hints / sizeof hints[0]),
    .submit = flow_set_head_cnic,
    .prefill = prefill,
};

FIELD_PAGE_SCREEN(reg_cnic_screen, "reg-cnic", page);
