/*
 * reg_head_screen.c - the head of household and the address.
 *
 * The gender is pre-set from the CNIC's last digit and shown as a
 * suggestion to confirm: the rule has exceptions.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "form_page.h"

enum { Q_NAME, Q_GENDER, Q_DOB, Q_PHONE, Q_DISTRICT, Q_TEHSIL };

/* A CNIC is issued at 18: the head registers with one. */
#define HEAD_MIN_AGE 18

static const char *const genders[] = {N_("Male"), N_("Female"), N_("Transgender")};

static void load(struct form *form, struct flow *f)
{
    struct household *h = flow_household(f);
    const struct person *head = household_head(h);
    char buf[32];
    field_set(form_field(form, Q_NAME), head->name);
    form_set_choice(form, Q_GENDER, (int)head->gender - 1);
    if (head->dob.year) {
        date_format(&head->dob, buf, sizeof buf);
        field_set(form_field(form, Q_DOB), buf);
    }
    field_set(form_field(form, Q_PHONE), household_phone(h));
    field_set(form_field(form, Q_DISTRICT), household_address(h)->district);
    field_set(form_field(form, Q_TEHSIL), household_address(h)->tehsil);
}

static bool store(struct form *form, struct flow *f)
{
    struct household *h = flow_household(f);
    struct person head = *household_head(h);
    struct household_address addr = {{0}, {0}};
    char phone[PHONE_MAX];
    char text[PERSON_NAME_MAX * 2];
    struct date today;
    flow_today(&today);

    field_get(form_field(form, Q_NAME), text, sizeof text);
    const char *why = person_name_problem(text);
    form_set_error(form, Q_NAME, why);
    if (!why) /* checked: it fits */
        memcpy(head.name, text, strlen(text) + 1);

    if (form_choice(form, Q_GENDER) < 0)
        form_set_error(form, Q_GENDER, N_("Please choose the gender."));
    head.gender = (enum gender)(form_choice(form, Q_GENDER) + 1);

    field_get(form_field(form, Q_DOB), text, sizeof text);
    why = date_parse(text, &today, &head.dob);
    if (!why && date_age_on(&head.dob, &today) < HEAD_MIN_AGE)
        why = N_("The head of household must be 18 or older (the age a CNIC is issued).");
    form_set_error(form, Q_DOB, why);
    if (!why)
        head.age = date_age_on(&head.dob, &today);

    field_get(form_field(form, Q_PHONE), text, sizeof text);
    form_set_error(form, Q_PHONE, phone_problem(text, phone, sizeof phone));

    field_get(form_field(form, Q_DISTRICT), addr.district, sizeof addr.district);
    form_set_error(form, Q_DISTRICT, place_name_problem(addr.district));
    field_get(form_field(form, Q_TEHSIL), addr.tehsil, sizeof addr.tehsil);
    form_set_error(form, Q_TEHSIL, place_name_problem(addr.tehsil));

    bool ok = !form_has_errors(form);
    if (ok) {
        *household_head(h) = head;
        *household_address(h) = addr;
        snprintf(household_phone(h), PHONE_MAX, "%s", phone);
    }
    explicit_bzero(&head, sizeof head);
    explicit_bzero(text, sizeof text);
    return ok;
}

static const char *notice(struct flow *f, char *buf, size_t bufsz)
{
    if (!flow_is_update(f))
        return NULL;
    snprintf(buf, bufsz,
             _("This household is already registered here (tracking ID %s). "
               "Check each answer: this will be an update."),
             flow_previous_tracking(f));
    return buf;
}

static struct form_page page = {
    .title = N_("Head of household"),
    .load = load,
    .store = store,
    .forward = flow_next,
    .back = flow_back,
    .notice = notice,
};

static int build(struct form *form)
{
    int rc = 0;
    rc |= form_add_text(form, N_("Full name"), FIELD_TEXT, 60, N_("As written on the CNIC.")) < 0;
    rc |= form_add_choice(form, N_("Gender"), genders, 3,
                          N_("Suggested by the last digit of the CNIC: please check it.")) < 0;
    rc |= form_add_text(form, N_("Date of birth"), FIELD_DATE, 0,
                        N_("Day, month, year: for example 05-11-1980.")) < 0;
    rc |= form_add_text(form, N_("Mobile phone"), FIELD_PHONE, 0,
                        N_("Optional. For example 0300-1234567. Updates come by SMS.")) < 0;
    rc |= form_add_text(form, N_("District"), FIELD_TEXT, PLACE_NAME_MAX - 1, NULL) < 0;
    rc |= form_add_text(form, N_("Tehsil"), FIELD_TEXT, PLACE_NAME_MAX - 1, NULL) < 0;
    return rc ? -1 : 0;
}

FORM_PAGE_SCREEN(reg_head_screen, "reg-head", page, build);
