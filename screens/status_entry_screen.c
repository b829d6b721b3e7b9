/*
 * status_entry_screen.c - "Check status": one field that takes a CNIC or a
 * tracking ID, shaped as it is typed. Invalid input is refused here with
 * the reason and never looked up.
 */
#include "screen.h"

#include "../kiosk/i18n.h"
#include "field_page.h"

static const struct frame_hint hints[] = {
    /* TRANSLATORS: button: look the typed number up. */
    {"Enter", N_("Check"), '\r'},
    {"+", N_("Back"), 27},
    {"*", N_("Help"), '*'},
    {"F9", N_("Language"), FRAME_KEY_LANGUAGE},
};

static const char *submit(struct flow *f, const char *text)
{
    const struct status_answer *a = flow_check_status(f, text);
    return (a->kind == STATUS_Q_INVALID || a->kind == STATUS_Q_ERROR) ? a->problem : NULL;
}

static struct field_page page = {
    .title = N_("Check status"),
    .prompt = N_("Type your CNIC number (13 digits) or the tracking ID on your receipt "
                 "(16 digits), then press Enter."),
    .hint = N_("Example CNIC: 35202-1234567-1"),
    .label = N_("CNIC or tracking ID:"),
    .kind = FIELD_LOOKUP,
    .width = 24,
    .hints = hints,
    .nhints = (int)(sizeof hints / sizeof hints[0]),
    .submit = submit,
};

FIELD_PAGE_SCREEN(status_entry_screen, "status-entry", page);
