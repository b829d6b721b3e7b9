/*
 * household.c - the household being registered, and the checks on what the
 * applicant types for it.
 *
 * Pure domain code: it must never do I/O, call gettext, read the clock or
 * print. It holds personal data, so it must never let a copy outlive the
 * household: memory is wiped before it is released, and the roster is a
 * fixed array precisely so that no realloc leaves an unwiped copy behind.
 */
#include "household.h"

#include "ascii.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

struct household {
    struct cnic head_cnic;
    struct person head;
    char phone[PHONE_MAX];
    struct household_address address;
    struct housing housing;
    size_t member_count;
    struct person members[HOUSEHOLD_MEMBERS_MAX];
};

/* ---------------------------------------------------------------- tables */

struct code_label {
    const char *code; /* stored in the database: never rename */
    const char *label;
};

static const struct code_label relations[REL_COUNT] = {
    [REL_NONE] = {"none", N_("Not given")},
    [REL_HEAD] = {"head", N_("Head of household")},
    [REL_SPOUSE] = {"spouse", N_("Wife or husband")},
    [REL_SON] = {"son", N_("Son")},
    [REL_DAUGHTER] = {"daughter", N_("Daughter")},
    [REL_PARENT] = {"parent", N_("Mother or father")},
    [REL_SIBLING] = {"sibling", N_("Brother or sister")},
    [REL_GRANDCHILD] = {"grandchild", N_("Grandchild")},
    [REL_CHILD_IN_LAW] = {"child_in_law", N_("Son-in-law or daughter-in-law")},
    [REL_OTHER_RELATIVE] = {"other_relative", N_("Other relative")},
    [REL_NOT_RELATED] = {"not_related", N_("Not related")},
};

static const struct code_label genders[] = {
    [GENDER_UNKNOWN] = {"unknown", N_("Not given")},
    [GENDER_MALE] = {"male", N_("Male")},
    [GENDER_FEMALE] = {"female", N_("Female")},
    [GENDER_TRANSGENDER] = {"transgender", N_("Transgender")},
};

static const struct code_label toilets[TOILET_COUNT] = {
    [TOILET_NONE_GIVEN] = {"none_given", N_("Not given")},
    [TOILET_FLUSH_SEWER] = {"flush_sewer", N_("Flush to sewer")},
    [TOILET_FLUSH_PIT] = {"flush_pit", N_("Flush to pit or open drain")},
    [TOILET_PIT_LATRINE] = {"pit_latrine", N_("Pit latrine (no flush)")},
    [TOILET_NONE] = {"none", N_("No toilet / other")},
};

static const struct code_label waters[WATER_COUNT] = {
    [WATER_NONE_GIVEN] = {"none_given", N_("Not given")},
    [WATER_TAP] = {"tap", N_("Tap water in the house")},
    [WATER_HAND_PUMP] = {"hand_pump", N_("Hand pump")},
    [WATER_MOTOR_PUMP] = {"motor_pump", N_("Motor pump / tube well")},
    [WATER_PROTECTED_WELL] = {"protected_well", N_("Protected well / spring")},
    [WATER_UNPROTECTED] = {"unprotected", N_("Unprotected well / pond / river")},
    [WATER_TANKER] = {"tanker", N_("Tanker / bottled water")},
    [WATER_OTHER] = {"other", N_("Other")},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Out-of-range values give NULL: a corrupt code must not be stored as a real one. */
static const struct code_label *entry(const struct code_label *t, size_t n, int v)
{
    if (v < 0 || (size_t)v >= n)
        return NULL;
    return &t[v];
}

static const char *code_of(const struct code_label *t, size_t n, int v)
{
    const struct code_label *e = entry(t, n, v);
    return e ? e->code : NULL;
}

static const char *label_of(const struct code_label *t, size_t n, int v)
{
    const struct code_label *e = entry(t, n, v);
    return e ? e->label : NULL;
}

static int from_code(const struct code_label *t, size_t n, const char *code)
{
    if (code == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (t[i].code != NULL && strcmp(t[i].code, code) == 0)
            return (int)i;
    return -1;
}

const char *relation_label(enum relation r)
{
    return label_of(relations, COUNT_OF(relations), (int)r);
}

const char *relation_code(enum relation r)
{
    return code_of(relations, COUNT_OF(relations), (int)r);
}

int relation_from_code(const char *code)
{
    return from_code(relations, COUNT_OF(relations), code);
}

const char *gender_label(enum gender g)
{
    return label_of(genders, COUNT_OF(genders), (int)g);
}

const char *gender_code(enum gender g)
{
    return code_of(genders, COUNT_OF(genders), (int)g);
}

int gender_from_code(const char *code)
{
    return from_code(genders, COUNT_OF(genders), code);
}

const char *toilet_label(enum toilet t)
{
    return label_of(toilets, COUNT_OF(toilets), (int)t);
}

const char *toilet_code(enum toilet t)
{
    return code_of(toilets, COUNT_OF(toilets), (int)t);
}

int toilet_from_code(const char *code)
{
    return from_code(toilets, COUNT_OF(toilets), code);
}

const char *water_label(enum water w)
{
    return label_of(waters, COUNT_OF(waters), (int)w);
}

const char *water_code(enum water w)
{
    return code_of(waters, COUNT_OF(waters), (int)w);
}

int water_from_code(const char *code)
{
    return from_code(waters, COUNT_OF(waters), code);
}

/* ------------------------------------------------------------- household */

/* Everything not set here is zero, which means "not given". */
static void household_init(struct household *h)
{
    h->head.relation = REL_HEAD;
    h->head.age = -1;
}

struct household *household_new(void)
{
    struct household *h = calloc(1, sizeof *h);

    if (h != NULL)
        household_init(h);
    return h;
}

void household_free(struct household *h)
{
    if (h == NULL)
        return;
    explicit_bzero(h, sizeof *h);
    free(h);
}

void household_clear(struct household *h)
{
    if (h == NULL)
        return;
    explicit_bzero(h, sizeof *h);
    household_init(h);
}

struct cnic *household_head_cnic(struct household *h)
{
    return h ? &h->head_cnic : NULL;
}

const struct cnic *household_head_cnic_const(const struct household *h)
{
    return h ? &h->head_cnic : NULL;
}

struct person *household_head(struct household *h)
{
    return h ? &h->head : NULL;
}

const struct person *household_head_const(const struct household *h)
{
    return h ? &h->head : NULL;
}

char *household_phone(struct household *h)
{
    return h ? h->phone : NULL;
}

const char *household_phone_const(const struct household *h)
{
    return h ? h->phone : NULL;
}

struct household_address *household_address(struct household *h)
{
    return h ? &h->address : NULL;
}

const struct household_address *household_address_const(const struct household *h)
{
    return h ? &h->address : NULL;
}

struct housing *household_housing(struct household *h)
{
    return h ? &h->housing : NULL;
}

const struct housing *household_housing_const(const struct household *h)
{
    return h ? &h->housing : NULL;
}

size_t household_member_count(const struct household *h)
{
    return h ? h->member_count : 0;
}

size_t household_size(const struct household *h)
{
    /* The head always counts, even before their details are typed. */
    return h ? 1 + h->member_count : 0;
}

const struct person *household_member(const struct household *h, size_t i)
{
    if (h == NULL || i >= h->member_count)
        return NULL;
    return &h->members[i];
}

/*
 * The head is kept apart from the roster, so a second REL_HEAD would be a
 * second head; strings are re-terminated so a careless caller cannot make
 * later readers run off the end.
 */
static int store_member(struct person *dst, const struct person *p)
{
    if (p == NULL || p->relation == REL_HEAD)
        return -1;
    *dst = *p;
    dst->name[PERSON_NAME_MAX - 1] = '\0';
    dst->id_number[CNIC_DIGITS] = '\0';
    return 0;
}

int household_add_member(struct household *h, const struct person *p)
{
    if (h == NULL || h->member_count >= HOUSEHOLD_MEMBERS_MAX)
        return -1;
    if (store_member(&h->members[h->member_count], p) != 0)
        return -1;
    return (int)h->member_count++;
}

int household_set_member(struct household *h, size_t i, const struct person *p)
{
    if (h == NULL || i >= h->member_count)
        return -1;
    return store_member(&h->members[i], p);
}

int household_remove_member(struct household *h, size_t i)
{
    if (h == NULL || i >= h->member_count)
        return -1;
    memmove(&h->members[i], &h->members[i + 1], (h->member_count - i - 1) * sizeof h->members[0]);
    h->member_count--;
    /* The last slot still holds a copy of someone: wipe it. */
    explicit_bzero(&h->members[h->member_count], sizeof h->members[0]);
    return 0;
}

/* ---------------------------------------------------------------- text */

/*
 * Length of the well-formed UTF-8 character at S (before END), 0 if it is
 * not one. Overlong forms and surrogates are refused so that what is stored
 * is what every later reader will see.
 */
static size_t utf8_char(const unsigned char *s, const unsigned char *end, uint32_t *cp)
{
    static const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - s) < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min_for_len[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Any non-ASCII character counts: names may be in Urdu, Sindhi or Pashto script. */
static bool is_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp >= 0x80;
}

struct name_messages {
    const char *empty, *too_long, *bad_char, *no_letter;
};

static const struct name_messages person_messages = {
    N_("Please type the name."),
    N_("This name is too long. Please shorten it."),
    N_("This name has a sign in it that cannot be used. Please type it again."),
    N_("A name must have letters in it, not only numbers or signs."),
};

static const struct name_messages place_messages = {
    N_("Please type the name of the place."),
    N_("This place name is too long. Please shorten it."),
    N_("This place name has a sign in it that cannot be used. Please type it again."),
    N_("A place name must have letters in it, not only numbers or signs."),
};

/* MAX includes the NUL: the untrimmed text must fit the field it goes into. */
static const char *name_problem(const char *text, size_t max, const struct name_messages *m)
{
    const char *b, *e;
    bool letter = false;

    if (text == NULL)
        return m->empty;
    ascii_trim(text, &b, &e);
    if (b == e)
        return m->empty;
    if (strlen(text) > max - 1)
        return m->too_long;
    for (const unsigned char *p = (const unsigned char *)b; p < (const unsigned char *)e;) {
        uint32_t cp;
        size_t len = utf8_char(p, (const unsigned char *)e, &cp);

        if (len == 0 || is_control(cp))
            return m->bad_char;
        letter = letter || is_letter(cp);
        p += len;
    }
    return letter ? NULL : m->no_letter;
}

const char *person_name_problem(const char *name)
{
    return name_problem(name, PERSON_NAME_MAX, &person_messages);
}

const char *place_name_problem(const char *text)
{
    return name_problem(text, PLACE_NAME_MAX, &place_messages);
}

/* ---------------------------------------------------------------- dates */

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return days[month - 1] + (month == 2 && is_leap(year));
}

static int date_cmp(const struct date *a, const struct date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

int date_age_on(const struct date *dob, const struct date *today)
{
    int age;

    if (dob == NULL || today == NULL || dob->year == 0 || date_cmp(today, dob) < 0)
        return -1;
    age = today->year - dob->year;
    /* Not yet had this year's birthday (a 29 February one comes on 1 March). */
    if (today->month < dob->month || (today->month == dob->month && today->day < dob->day))
        age--;
    return age;
}

void date_format(const struct date *d, char *out, size_t outsz)
{
    if (out == NULL || outsz == 0)
        return;
    if (d == NULL || d->year == 0) {
        out[0] = '\0';
        return;
    }
    snprintf(out, outsz, "%02d-%02d-%04d", d->day, d->month, d->year);
}

/* Reads 1..MAXLEN digits at *P into *V; advances *P. */
static bool read_number(const char **p, const char *end, size_t minlen, size_t maxlen, int *v)
{
    size_t n = 0;

    *v = 0;
    while (*p < end && ascii_is_digit(**p) && n < maxlen) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= minlen && (*p == end || !ascii_is_digit(**p));
}

static bool is_date_separator(char c)
{
    return c == '-' || c == '/' || c == '.' || c == ' ';
}

/* D-M-YYYY with any one of "-/. " between the parts. */
static bool split_separated(const char *p, const char *e, struct date *d)
{
    if (!read_number(&p, e, 1, 2, &d->day) || p == e || !is_date_separator(*p++))
        return false;
    if (!read_number(&p, e, 1, 2, &d->month) || p == e || !is_date_separator(*p++))
        return false;
    return read_number(&p, e, 4, 4, &d->year) && p == e;
}

/* DDMMYYYY: eight digits, nothing else. */
static bool split_compact(const char *p, const char *e, struct date *d)
{
    if (e - p != 8)
        return false;
    return read_number(&p, p + 2, 2, 2, &d->day) && read_number(&p, p + 2, 2, 2, &d->month) &&
           read_number(&p, e, 4, 4, &d->year);
}

const char *date_parse(const char *text, const struct date *today, struct date *out)
{
    const char *b, *e;
    struct date d = {0, 0, 0};

    if (text == NULL)
        return N_("Please type the date.");
    ascii_trim(text, &b, &e);
    if (b == e)
        return N_("Please type the date.");
    if (!split_compact(b, e, &d) && !split_separated(b, e, &d))
        return N_("Please write the date as day-month-year, for example 05-03-1980.");
    if (d.month < 1 || d.month > 12)
        return N_("There is no such month: the month is a number from 1 to 12.");
    if (d.day < 1 || d.day > days_in_month(d.year, d.month))
        return N_("There is no such day in that month. Please check the date.");
    if (d.year < 1)
        return N_("This date is too long ago. Please check the year.");
    if (today != NULL && today->year != 0) {
        if (date_cmp(&d, today) > 0)
            return N_("This date is in the future. Please check the year.");
        if (date_age_on(&d, today) > AGE_MAX)
            return N_("This date is too long ago. Please check the year.");
    }
    if (out != NULL)
        *out = d;
    return NULL;
}

/* ---------------------------------------------------------------- phone */

#define PHONE_LOCAL_DIGITS 11 /* 03XXXXXXXXX */

/*
 * Strips dashes and blanks into BUF; the "+" may only lead. Returns the
 * number of characters kept, which exceeds BUFSZ - 1 when the text is too
 * long to be a phone number, or -1 on any other sign.
 */
static long phone_digits(const char *b, const char *e, char *buf, size_t bufsz)
{
    size_t n = 0;

    for (const char *p = b; p < e; p++) {
        if (*p == '-' || ascii_is_blank(*p))
            continue;
        if (!ascii_is_digit(*p) && !(*p == '+' && p == b))
            return -1;
        if (n < bufsz - 1)
            buf[n] = *p;
        n++;
    }
    buf[n < bufsz ? n : bufsz - 1] = '\0';
    return (long)n;
}

/* The international prefixes a Pakistani mobile number is written with. */
static const char *const phone_country_prefixes[] = {"+92", "0092"};

/* Rewrites NUM (no blanks or dashes) as 03XXXXXXXXX into LOCAL, or fails. */
static bool phone_to_local(const char *num, char local[PHONE_LOCAL_DIGITS + 1])
{
    for (size_t i = 0; i < COUNT_OF(phone_country_prefixes); i++) {
        size_t plen = strlen(phone_country_prefixes[i]);

        if (strncmp(num, phone_country_prefixes[i], plen) == 0) {
            local[0] = '0';
            num += plen;
            if (strlen(num) != PHONE_LOCAL_DIGITS - 1 || num[0] != '3')
                return false;
            memcpy(local + 1, num, PHONE_LOCAL_DIGITS);
            return true;
        }
    }
    if (strlen(num) != PHONE_LOCAL_DIGITS || num[0] != '0' || num[1] != '3')
        return false;
    memcpy(local, num, PHONE_LOCAL_DIGITS + 1);
    return true;
}

const char *phone_problem(const char *text, char *out, size_t outsz)
{
    const char *b, *e;
    char buf[PHONE_MAX + 8];
    char local[PHONE_LOCAL_DIGITS + 1];
    long n;

    ascii_copy("", out, outsz);
    if (text == NULL)
        return NULL;
    ascii_trim(text, &b, &e);
    n = phone_digits(b, e, buf, sizeof buf);
    if (n < 0)
        return N_("A mobile phone number has only digits, like 0300-1234567.");
    if (n == 0)
        return NULL; /* the phone is optional */
    if ((size_t)n >= sizeof buf || !phone_to_local(buf, local))
        return N_("A mobile phone number has 11 digits and starts with 03, like 0300-1234567.");
    ascii_copy(local, out, outsz);
    return NULL;
}
