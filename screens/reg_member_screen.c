/*
 * reg_member_screen.c - one member of the household roster (add or edit).
 *
 * Esc goes back to the roster keeping what was typed: opening the same
 * member (or "add" again) shows it. A date of birth or, when it is not
 * known, an age is required.
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/i18n.h"
#include "form_page.h"

enum { Q_NAME, Q_RELATION, Q_GENDER, Q_DOB, Q_AGE, Q_ID };

/* Roster relations in the order shown: REL_SPOUSE .. REL_NOT_RELATED. */
static const char *relations[REL_COUNT - REL_SPOUSE];
static const char *const genders[] = {N_("Male"), N_("Female"), N_("Transgender")};

/* Which member the typed text belongs to: -1 a new one, -2 nobody yet. */
static int loaded_for = -2;

static void prepare(struct form_page *p, struct flow *f)
{
    if (flow_editing_member(f) != loaded_for)
        p->loaded = false;
    loaded_for = flow_editing_member(f);
}

static void load(struct form *form, struct flow *f)
{
    int i = flow_editing_member(f);
    if (i < 0)
        return;
    const struct person *m = household_member(flow_household(f), (size_t)i);
    char buf[32];
    field_set(form_field(form, Q_NAME), m->name);
    form_set_choice(form, Q_RELATION, (int)m->relation - REL_SPOUSE);
    form_set_choice(form, Q_GENDER, (int)m->gender - 1);
    if (m->dob.year) {
        date_format(&m->dob, buf, sizeof buf);
        field_set(form_field(form, Q_DOB), buf);
    } else if (m->age >= 0) {
        snprintf(buf, sizeof buf, "%d", m->age);
        field_set(form_field(form, Q_AGE), buf);
    }
    field_set(form_field(form, Q_ID), m->id_number);
}

/* The ID must be a well-formed CNIC/B-form and not someone else's here. */
static const char *id_problem(struct flow *f, const char *text, struct person *p)
{
    p->id_number[0] = '\0';
    if (!*text)
        return NULL;
    struct cnic c;
    enum cnic_error e = cnic_parse(text, flow_config(f)->cnic_regions, &c);
    if (e != CNIC_OK)
        return cnic_error_text(e);
    const struct household *h = flow_household(f);
    if (strcmp(household_head_cnic_const(h)->digits, c.digits) == 0)
        return N_("This is the head's CNIC. Each person has their own number.");
    for (size_t i = 0; i < household_member_count(h); i++) {
        if ((int)i != flow_editing_member(f) &&
            strcmp(household_member(h, i)->id_number, c.digits) == 0)
            return N_("Another member of this household already has this number.");
    }
    memcpy(p->id_number, c.digits, sizeof p->id_number);
    return NULL;
}

static const char *age_problem(const char *dob_text, const char *age_text, struct person *p)
{
    struct date today;
    flow_today(&today);
    p->dob = (struct date){0, 0, 0};
    p->age = -1;
    if (*dob_text) {
        const char *why = date_parse(dob_text, &today, &p->dob);
        if (!why)
            p->age = date_age_on(&p->dob, &today);
        return why;
    }
    if (!*age_text)
        return N_("Please type the date of birth, or the age if the date is not known.");
    long age = strtol(age_text, NULL, 10);
    if (age < 0 || age > AGE_MAX)
        return N_("Please type an age from 0 to 120.");
    p->age = (int)age;
    return NULL;
}

static bool store(struct form *form, struct flow *f)
{
    struct person p;
    memset(&p, 0, sizeof p);
    char text[PERSON_NAME_MAX * 2], age[8];

    field_get(form_field(form, Q_NAME), text, sizeof text);
    const char *why = person_name_problem(text);
    form_set_error(form, Q_NAME, why);
    if (!why) /* checked: it fits */
        memcpy(p.name, text, strlen(text) + 1);
    if (form_choice(form, Q_RELATION) < 0)
        form_set_error(form, Q_RELATION,
                       N_("Please choose how this person is related to the head."));
    p.relation = (enum relation)(form_choice(form, Q_RELATION) + REL_SPOUSE);
    if (form_choice(form, Q_GENDER) < 0)
        form_set_error(form, Q_GENDER, N_("Please choose the gender."));
    p.gender = (enum gender)(form_choice(form, Q_GENDER) + 1);
    field_get(form_field(form, Q_DOB), text, sizeof text);
    field_get(form_field(form, Q_AGE), age, sizeof age);
    why = age_problem(text, age, &p);
    form_set_error(form, *text ? Q_DOB : Q_AGE, why);
    field_get(form_field(form, Q_ID), text, sizeof text);
    form_set_error(form, Q_ID, id_problem(f, text, &p));

    bool ok = !form_has_errors(form);
    if (ok) {
        why = flow_save_member(f, &p);
        form_set_error(form, Q_NAME, why);
        ok = why == NULL;
    }
    explicit_bzero(&p, sizeof p);
    explicit_bzero(text, sizeof text);
    return ok;
}

static struct form_page page;

/* Saved: the next "add" starts from a blank form. */
static void forward(struct flow *f)
{
    (void)f;
    page.loaded = false;
    loaded_for = -2;
}

static const char *notice(struct flow *f, char *buf, size_t bufsz)
{
    int i = flow_editing_member(f);
    if (i < 0)
        snprintf(buf, bufsz, _("New member (number %zu in the household)."),
                 household_size(flow_household(f)) + 1);
    else
        snprintf(buf, bufsz, _("Member number %d."), i + 2);
    return buf;
}

static struct form_page page = {
    .title = N_("Household member"),
    .load = load,
    .store = store,
    .forward = forward,
    .back = flow_leave_member,
    .prepare = prepare,
    .notice = notice,
};

static int build(struct form *form)
{
    for (int r = REL_SPOUSE; r < REL_COUNT; r++)
        relations[r - REL_SPOUSE] = relation_label((enum relation)r);
    int rc = 0;
    rc |= form_add_text(form, N_("Full name"), FIELD_TEXT, 60, NULL) < 0;
    rc |=
        form_add_choice(form, N_("Relation to head"), relations, REL_COUNT - REL_SPOUSE, NULL) < 0;
    rc |= form_add_choice(form, N_("Gender"), genders, 3, NULL) < 0;
    rc |= form_add_text(form, N_("Date of birth"), FIELD_DATE, 0,
                        N_("Day, month, year. Leave empty if not known and give the age.")) < 0;
    rc |= form_add_text(form, N_("Age in years"), FIELD_NUMBER, 3,
                        N_("Only if the date of birth is not known.")) < 0;
    rc |= form_add_text(form, N_("CNIC or B-form"), FIELD_CNIC, 0,
                        N_("13 digits. Leave empty if this person has none.")) < 0;
    return rc ? -1 : 0;
}

FORM_PAGE_SCREEN(reg_member_screen, "reg-member", page, build);
