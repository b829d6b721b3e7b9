/*
 * status_query.c - validate a CNIC or tracking ID and look it up.
 *
 * Input is told apart by its digit count (13 = CNIC, 16 = tracking ID);
 * invalid input is refused before any lookup, so a typo never reaches the
 * database. The raw name is masked here and wiped from memory.
 */
#include "status_query.h"

#include <ctype.h>
#include <string.h>

#include "../db/registry.h"
#include "i18n.h"

_Static_assert(STATUS_MASKED_NAME_MAX >= 2 * HEAD_NAME_MAX,
               "a masked head's name must fit wherever the raw one did");

static size_t count_digits(const char *s, int *other)
{
    size_t n = 0;
    *other = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            n++;
        else if (*s != '-' && *s != ' ')
            *other = 1;
    }
    return n;
}

static void fill_found(struct status_answer *out, struct registration_summary *s)
{
    out->kind = STATUS_Q_FOUND;
    out->status = s->status;
    memcpy(out->status_date, s->status_date, sizeof out->status_date);
    memcpy(out->registered_date, s->registered_date, sizeof out->registered_date);
    tracking_format(&s->tracking, out->tracking, sizeof out->tracking);
    cnic_format(&s->cnic, out->cnic, sizeof out->cnic);
    name_mask(s->head_name, out->masked_name, sizeof out->masked_name);
    explicit_bzero(s, sizeof *s);
}

enum status_kind status_query(struct db *db, const char *regions, const char *input,
                              struct status_answer *out)
{
    memset(out, 0, sizeof *out);
    int other;
    size_t digits = count_digits(input, &other);
    struct registration_summary s;
    enum db_result r;

    if (digits == 0 && !other) {
        out->kind = STATUS_Q_INVALID;
        out->problem = N_("Please type a CNIC or a tracking ID.");
        return out->kind;
    }
    if (digits > CNIC_DIGITS && !other) {
        struct tracking_id t;
        enum tracking_error te = tracking_parse(input, &t);
        if (te != TRACKING_OK) {
            out->kind = STATUS_Q_INVALID;
            out->problem = tracking_error_text(te);
            return out->kind;
        }
        out->by_tracking = 1;
        tracking_format(&t, out->tracking, sizeof out->tracking);
        r = registry_find_by_tracking(db, &t, &s);
    } else {
        struct cnic c;
        enum cnic_error ce = cnic_parse(input, regions, &c);
        if (ce != CNIC_OK) {
            out->kind = STATUS_Q_INVALID;
            out->problem = cnic_error_text(ce);
            return out->kind;
        }
        cnic_format(&c, out->cnic, sizeof out->cnic);
        r = registry_find_by_cnic(db, &c, &s);
    }
    if (r == DB_OK)
        fill_found(out, &s);
    else if (r == DB_NOT_FOUND)
        out->kind = STATUS_Q_NOT_FOUND;
    else {
        out->kind = STATUS_Q_ERROR;
        out->problem = db_result_text(r);
    }
    return out->kind;
}
