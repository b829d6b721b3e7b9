/*
 * household.h - the household a registration describes: head, address,
 * roster of members and housing answers.
 *
 * Pure domain code: no I/O, no gettext. Owns its member array; everything
 * else is plain values. Texts are UTF-8. Validation helpers return an
 * untranslated message id (NULL when the value is fine) so the screens can
 * say what is wrong in the applicant's language.
 *
 * The full survey (issue 3) adds sections; the skeleton keeps what a first
 * registration needs.
 */
#ifndef NSER_HOUSEHOLD_H
#define NSER_HOUSEHOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "cnic.h"

#define PERSON_NAME_MAX       96 /* bytes of UTF-8, NUL included */
#define PLACE_NAME_MAX        64
#define PHONE_MAX             16
#define HOUSEHOLD_MEMBERS_MAX 60
#define AGE_MAX               120

struct date {
    int year, month, day; /* year 0 = not given */
};

enum relation {
    REL_NONE = 0,
    REL_HEAD,
    REL_SPOUSE,
    REL_SON,
    REL_DAUGHTER,
    REL_PARENT,
    REL_SIBLING,
    REL_GRANDCHILD,
    REL_CHILD_IN_LAW,
    REL_OTHER_RELATIVE,
    REL_NOT_RELATED,
    REL_COUNT
};

/* Drinking water and toilet answer codes; stable, they are stored. */
enum toilet {
    TOILET_NONE_GIVEN = 0,
    TOILET_FLUSH_SEWER,
    TOILET_FLUSH_PIT,
    TOILET_PIT_LATRINE,
    TOILET_NONE,
    TOILET_COUNT
};

enum water {
    WATER_NONE_GIVEN = 0,
    WATER_TAP,
    WATER_HAND_PUMP,
    WATER_MOTOR_PUMP,
    WATER_PROTECTED_WELL,
    WATER_UNPROTECTED,
    WATER_TANKER,
    WATER_OTHER,
    WATER_COUNT
};

struct person {
    char name[PERSON_NAME_MAX];
    enum relation relation;
    enum gender gender;
    struct date dob;                 /* year 0 when only the age is known */
    int age;                         /* -1 when not given; derived from dob when that is */
    char id_number[CNIC_DIGITS + 1]; /* CNIC or B-form digits, "" if none */
};

struct household_address {
    char district[PLACE_NAME_MAX];
    char tehsil[PLACE_NAME_MAX];
};

struct housing {
    int rooms; /* 0 = not given */
    enum toilet toilet;
    enum water water;
};

struct household;

struct household *household_new(void);
/* Wipes personal data from memory before freeing. NULL is fine. */
void household_free(struct household *h);
/* Wipes everything (the idle timeout uses it) and leaves an empty household. */
void household_clear(struct household *h);

struct cnic *household_head_cnic(struct household *h);
const struct cnic *household_head_cnic_const(const struct household *h);
/* The head is a person with relation REL_HEAD, kept apart from the roster. */
struct person *household_head(struct household *h);
const struct person *household_head_const(const struct household *h);
char *household_phone(struct household *h); /* PHONE_MAX bytes */
const char *household_phone_const(const struct household *h);
struct household_address *household_address(struct household *h);
const struct household_address *household_address_const(const struct household *h);
struct housing *household_housing(struct household *h);
const struct housing *household_housing_const(const struct household *h);

/* Roster of members other than the head. */
size_t household_member_count(const struct household *h);
const struct person *household_member(const struct household *h, size_t i);
/* Returns the new index, or -1 when the roster is full. */
int household_add_member(struct household *h, const struct person *p);
int household_set_member(struct household *h, size_t i, const struct person *p);
int household_remove_member(struct household *h, size_t i);

/* Everyone, head included. */
size_t household_size(const struct household *h);

/* --- validation: each returns NULL when fine, else a message id --- */
const char *person_name_problem(const char *name);
/* Checks a date typed as DD-MM-YYYY (dashes optional) and parses it into
 * OUT. TODAY bounds it: no future dates, no one older than AGE_MAX. */
const char *date_parse(const char *text, const struct date *today, struct date *out);
void date_format(const struct date *d, char *out, size_t outsz); /* DD-MM-YYYY */
int date_age_on(const struct date *dob, const struct date *today);
/* Pakistani phone: 03XXXXXXXXX (11 digits) or +923XXXXXXXXX; dashes and
 * spaces ignored. Empty is allowed (the phone is optional). Normalises into
 * OUT as 03XXXXXXXXX. */
const char *phone_problem(const char *text, char *out, size_t outsz);
const char *place_name_problem(const char *text);

/* Untranslated labels for stored codes. */
const char *relation_label(enum relation r);
const char *gender_label(enum gender g);
const char *toilet_label(enum toilet t);
const char *water_label(enum water w);

/* Stable text codes used in the database ("son", "flush_sewer", ...), and
 * their inverse (-1 when unknown). */
const char *relation_code(enum relation r);
int relation_from_code(const char *code);
const char *gender_code(enum gender g);
int gender_from_code(const char *code);
const char *toilet_code(enum toilet t);
int toilet_from_code(const char *code);
const char *water_code(enum water w);
int water_from_code(const char *code);

#endif
